//! narrative.md: one replicate told round by round in plain language, for a facilitator
//! to read aloud: the events, the chair's draft and how it moved, who objected and why,
//! the decision, the outcome and who gained and lost. Numbers are rounded as a person
//! would say them; names are those of the scenario.

use std::fmt::Write as _;

use crate::record::{ForumRecord, Reason, ReplicateRecord, RoundRecord, Seat};
use crate::scenario::{Issue, Scenario};

/// Objectors named one by one before the rest are counted.
const NAMED: usize = 8;

fn position(issue: &Issue, x: f64) -> String {
    format!("{:.0}", x)
        + &if (x - issue.lo).abs() < 0.5 {
            format!(" ({})", issue.low_label)
        } else if (issue.hi - x).abs() < 0.5 {
            format!(" ({})", issue.high_label)
        } else {
            String::new()
        }
}

/// How a text moved, e.g. `up 22 since the last round, toward "a new convention"`.
fn movement(issue: &Issue, from: f64, to: f64, since: &str) -> String {
    let delta = to - from;
    if delta.abs() < 0.5 {
        format!("unchanged {since}")
    } else {
        let pole = if delta > 0.0 { &issue.high_label } else { &issue.low_label };
        format!("{} {:.0} {since}, toward \"{pole}\"", if delta > 0.0 { "up" } else { "down" }, delta.abs())
    }
}

fn names(scenario: &Scenario, actors: impl Iterator<Item = usize>) -> Vec<String> {
    actors.map(|a| scenario.actors[a].name.clone()).collect()
}

fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] if init.len() < NAMED => format!("{} and {last}", init.join(", ")),
        _ => format!("{} and {} others", items[..NAMED].join(", "), items.len() - NAMED),
    }
}

/// The narrative of one traced replicate.
pub fn narrative(scenario: &Scenario, record: &ReplicateRecord, seed: u64) -> String {
    told(scenario, record, seed, &[], None)
}

/// The narrative of a replicate that may have been stopped early, at (forum, round): the
/// rounds played are told, and the story ends where the session did.
/// `teams` names the seats human teams took, if any.
pub fn told(
    scenario: &Scenario,
    record: &ReplicateRecord,
    seed: u64,
    teams: &[String],
    stopped: Option<(usize, u32)>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", scenario.title);
    let _ = writeln!(
        out,
        "One play-through (replicate {}, seed {seed}) of the scenario `{}`.\n",
        record.replicate, scenario.id
    );
    if !scenario.description.is_empty() {
        let _ = writeln!(out, "{}\n", scenario.description);
    }
    if !teams.is_empty() {
        let _ = writeln!(out, "Teams in the room played {}; the model played everyone else.\n", list(teams));
    }
    for forum_record in &record.forums {
        match stopped {
            Some((f, round)) if f == forum_record.forum => {
                rounds(&mut out, scenario, forum_record);
                let _ = writeln!(
                    out,
                    "\n### The session ended here\n\nThe session was stopped before round {round} was decided; nothing was adopted in {}.",
                    scenario.forums[f].name
                );
            }
            _ => {
                rounds(&mut out, scenario, forum_record);
                ending(&mut out, scenario, forum_record);
            }
        }
    }
    out
}

/// The forum's opening and its rounds.
fn rounds(out: &mut String, scenario: &Scenario, r: &ForumRecord) {
    let forum = &scenario.forums[r.forum];
    let _ = writeln!(out, "## {}\n", forum.name);
    let voice = if forum.voice.is_empty() {
        String::new()
    } else {
        format!(", with {} speaking without a vote", list(&names(scenario, forum.voice.iter().copied())))
    };
    let _ = writeln!(
        out,
        "{} members decide by {} over at most {} round{}{voice}.",
        forum.voting.len(),
        forum.rule.describe(),
        forum.rounds,
        if forum.rounds == 1 { "" } else { "s" }
    );
    if let Some(after) = forum.after {
        let _ = writeln!(out, "It starts from what {} left behind.", scenario.forums[after].name);
    }
    let _ = writeln!(out, "\nOn the table, and what holds if nothing is agreed:\n");
    for (j, &k) in forum.agenda.iter().enumerate() {
        let issue = &scenario.issues[k];
        let _ = writeln!(
            out,
            "- **{}**: from {}, \"{}\", to {}, \"{}\"; status quo {}.",
            issue.name,
            issue.lo,
            issue.low_label,
            issue.hi,
            issue.high_label,
            position(issue, r.status_quo[j])
        );
    }
    let mut previous: Option<&[f64]> = None;
    for round in &r.rounds {
        let _ = writeln!(out, "\n### Round {}\n", round.round);
        for &i in &round.injects {
            let inject = &scenario.injects[i];
            let text = if inject.narrative.is_empty() { String::new() } else { format!(" {}", inject.narrative) };
            let only = inject.to.as_ref().map_or_else(String::new, |to| format!(" (to {to} alone)"));
            let _ = writeln!(out, "**Event: {}.**{only}{text}\n", inject.name);
        }
        caucuses(out, scenario, forum, round);
        let _ = writeln!(out, "The chair's draft:\n");
        for (j, &k) in forum.agenda.iter().enumerate() {
            let issue = &scenario.issues[k];
            let since = match previous {
                Some(before) => format!(", {}", movement(issue, before[j], round.draft[j], "since the last round")),
                None => format!(", {}", movement(issue, r.status_quo[j], round.draft[j], "from the status quo")),
            };
            let _ = writeln!(out, "- {}: {}{since}", issue.name, position(issue, round.draft[j]));
        }
        previous = Some(&round.draft);
        let _ = writeln!(out);
        if round.objections.is_empty() {
            let _ = writeln!(out, "No delegation objects.");
        } else {
            let mut red_lines = Vec::new();
            let mut losses = Vec::new();
            let mut choices = Vec::new();
            for objection in &round.objections {
                let name = scenario.actors[objection.actor].name.clone();
                match objection.reason {
                    Reason::RedLine { issue } => {
                        red_lines.push(format!("{name} (its red line on {})", scenario.issues[issue].name))
                    }
                    Reason::Choice => choices.push(name),
                    Reason::Loss { gain } => losses
                        .push(format!("{name} (it would lose {:.0} points against the status quo)", -gain * 100.0)),
                }
            }
            if !red_lines.is_empty() {
                let _ = writeln!(out, "Objecting on a red line: {}.", list(&red_lines));
            }
            if !losses.is_empty() {
                let _ = writeln!(out, "Objecting because the text costs them too much: {}.", list(&losses));
            }
            if !choices.is_empty() {
                let _ = writeln!(out, "Objecting by their team's choice: {}.", list(&choices));
            }
        }
        let _ = writeln!(out, "\nAccept {}, object {}, abstain {}.", round.accepts, round.objects, round.abstains);
    }
}

/// The forum's decision, its outcome, and who gained and lost.
fn ending(out: &mut String, scenario: &Scenario, r: &ForumRecord) {
    let forum = &scenario.forums[r.forum];
    let _ = writeln!(out, "\n### Decision\n");
    let decision = match (r.adopted, r.fallback_used) {
        (true, true) => format!(
            "Consensus failed; put to a vote under the fallback rule in round {}, the text was adopted.",
            r.rounds_used
        ),
        (true, false) => format!("The text was adopted by {} in round {}.", forum.rule.describe(), r.rounds_used),
        (false, true) => format!(
            "Consensus failed, and the text also failed under the fallback rule in round {}. The status quo holds.",
            r.rounds_used
        ),
        (false, false) => format!("No text was adopted in {} rounds. The status quo holds.", r.rounds_used),
    };
    let _ = writeln!(out, "{decision}\n");
    let _ = writeln!(out, "Outcome:\n");
    for (j, &k) in forum.agenda.iter().enumerate() {
        let issue = &scenario.issues[k];
        let _ = writeln!(
            out,
            "- {}: {}, {}",
            issue.name,
            position(issue, r.outcome[j]),
            movement(issue, r.status_quo[j], r.outcome[j], "from the status quo")
        );
    }
    let mut gains: Vec<(f64, usize)> =
        r.actors.iter().filter(|a| a.seat == Seat::Voting).map(|a| (a.gain(), a.actor)).collect();
    if gains.iter().any(|(g, _)| g.abs() >= 0.005) {
        gains.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let show = |items: &[(f64, usize)]| -> Vec<String> {
            items.iter().map(|(g, a)| format!("{} ({:+.0} points)", scenario.actors[*a].name, g * 100.0)).collect()
        };
        let winners: Vec<(f64, usize)> = gains.iter().take(3).copied().filter(|(g, _)| *g > 0.0).collect();
        if !winners.is_empty() {
            let _ = writeln!(out, "\nWho gained most, in points of utility out of 100: {}.", list(&show(&winners)));
        }
        let losers: Vec<(f64, usize)> = gains.iter().rev().take(3).copied().filter(|(g, _)| *g < 0.0).collect();
        if !losers.is_empty() {
            let _ = writeln!(out, "Who lost most: {}.", list(&show(&losers)));
        }
    }
    let _ = writeln!(out);
}

/// Which blocs met, and the widest gaps between a bloc's common line and the draft.
fn caucuses(out: &mut String, scenario: &Scenario, forum: &crate::scenario::Forum, round: &RoundRecord) {
    if round.caucuses.is_empty() {
        return;
    }
    let met: Vec<String> = round.caucuses.iter().map(|c| scenario.blocs[c.bloc].name.clone()).collect();
    let _ = writeln!(out, "Caucusing before the draft: {}.", list(&met));
    let mut gaps: Vec<(f64, usize, usize, f64)> = round
        .caucuses
        .iter()
        .flat_map(|c| {
            c.line.iter().enumerate().filter_map(move |(j, line)| {
                line.map(|line| {
                    let k = forum.agenda[j];
                    ((line - round.draft[j]).abs() / scenario.issues[k].range(), c.bloc, j, line)
                })
            })
        })
        .filter(|gap| gap.0 >= 0.05)
        .collect();
    gaps.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let widest: Vec<String> = gaps
        .iter()
        .take(3)
        .map(|&(_, b, j, line)| {
            let issue = &scenario.issues[forum.agenda[j]];
            format!(
                "{} on {} (its common line {}, the draft {})",
                scenario.blocs[b].name,
                issue.name,
                position(issue, line),
                position(issue, round.draft[j])
            )
        })
        .collect();
    if !widest.is_empty() {
        let _ = writeln!(out, "Farthest from the draft: {}.", list(&widest));
    }
    let _ = writeln!(out);
}
