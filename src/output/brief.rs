//! Team briefs for a tabletop exercise: what a seat (an actor, or a bloc answering for all
//! its members) stands for, what it cannot accept, where it sits, and who is likely to be
//! with it or against it, from the scenario alone.

use std::fmt::Write as _;

use crate::scenario::{Scenario, Timing};

/// Allies and opponents named.
const NAMED: usize = 5;

/// The stance a seat brings: per issue a position, a salience, and the red lines held.
pub(crate) struct Stance {
    pub positions: Vec<f64>,
    pub saliences: Vec<f64>,
    /// Per issue, the red lines among the seat's members (one for an actor).
    pub red_lines: Vec<Vec<(f64, f64)>>,
    pub members: Vec<usize>,
}

pub(crate) fn stance(scenario: &Scenario, members: Vec<usize>) -> Stance {
    let issues = scenario.issues.len();
    let mut positions = vec![0.0; issues];
    let mut saliences = vec![0.0; issues];
    let mut red_lines = vec![Vec::new(); issues];
    for k in 0..issues {
        // A bloc stands where its members' capability x salience puts it, as in its caucus.
        let (mut sum, mut weight) = (0.0, 0.0);
        for &a in &members {
            let actor = &scenario.actors[a];
            sum += actor.capability * actor.saliences[k] * actor.positions[k];
            weight += actor.capability * actor.saliences[k];
            saliences[k] += actor.saliences[k] / members.len() as f64;
            if let Some(line) = actor.red_lines[k] {
                red_lines[k].push((line.lo, line.hi));
            }
        }
        positions[k] = if weight > 0.0 {
            sum / weight
        } else {
            members.iter().map(|&a| scenario.actors[a].positions[k]).sum::<f64>() / members.len().max(1) as f64
        };
    }
    Stance { positions, saliences, red_lines, members }
}

/// How far actor `other` stands from the seat, weighing each issue by what the seat cares
/// about: 0 = the same everywhere, 1 = opposite poles on everything.
fn distance(scenario: &Scenario, seat: &Stance, other: usize) -> f64 {
    let total: f64 = seat.saliences.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let actor = &scenario.actors[other];
    scenario
        .issues
        .iter()
        .enumerate()
        .map(|(k, issue)| seat.saliences[k] / total * (actor.positions[k] - seat.positions[k]).abs() / issue.range())
        .sum()
}

/// The brief for `seat`, an actor or bloc id; `None` if the scenario has neither.
pub fn brief(scenario: &Scenario, seat: &str) -> Option<String> {
    let (name, kind, members) = if let Some(a) = scenario.actor_index(seat) {
        (scenario.actors[a].name.clone(), "actor", vec![a])
    } else {
        let b = scenario.blocs.iter().position(|b| b.id == seat)?;
        (scenario.blocs[b].name.clone(), "bloc", scenario.blocs[b].members.clone())
    };
    let stance = stance(scenario, members);
    let mut out = String::new();
    let _ = writeln!(out, "# Team brief: {name} ({seat})\n");
    let _ = writeln!(out, "Scenario: {}.\n", scenario.title);
    if kind == "actor" {
        let a = stance.members[0];
        let actor = &scenario.actors[a];
        let rank = 1 + scenario.actors.iter().filter(|o| o.capability > actor.capability).count();
        let blocs: Vec<&str> = actor.blocs.iter().map(|&b| scenario.blocs[b].name.as_str()).collect();
        let _ = writeln!(
            out,
            "You speak for {name}: weight at the table {} (rank {rank} of {}), readiness to move {:.0} out of 100.",
            actor.capability,
            scenario.actors.len(),
            actor.flexibility * 100.0
        );
        if !blocs.is_empty() {
            let _ = writeln!(out, "You belong to: {}.", blocs.join(", "));
        }
    } else {
        let _ = writeln!(
            out,
            "You answer for the {} members of {name}. Positions below are the bloc's: its members' positions weighted by their weight at the table and how much they care.",
            stance.members.len()
        );
    }
    let _ = writeln!(out, "\n## What you want\n");
    let _ = writeln!(out, "| issue | you | status quo | matters to you | red line |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for (k, issue) in scenario.issues.iter().enumerate() {
        let lines = &stance.red_lines[k];
        let red_line = match lines.as_slice() {
            [] => "none".to_string(),
            [(lo, hi)] if stance.members.len() == 1 => format!("only {lo:.0} to {hi:.0}"),
            _ => format!("{} of your members hold one", lines.len()),
        };
        let _ = writeln!(
            out,
            "| {} ({:.0} = {}, {:.0} = {}) | {:.0} | {:.0} | {} | {red_line} |",
            issue.name,
            issue.lo,
            issue.low_label,
            issue.hi,
            issue.high_label,
            stance.positions[k],
            issue.status_quo,
            importance(stance.saliences[k])
        );
    }
    let _ = writeln!(out, "\n## Where you sit\n");
    for &f in &scenario.forum_order {
        let forum = &scenario.forums[f];
        let voting = stance.members.iter().filter(|a| forum.voting.binary_search(a).is_ok()).count();
        let voice = stance.members.iter().filter(|a| forum.voice.binary_search(a).is_ok()).count();
        let seat_text = match (voting, voice) {
            (0, 0) => "you have no seat".to_string(),
            (v, 0) if v == stance.members.len() => "you vote".to_string(),
            (0, _) => "you speak but do not vote".to_string(),
            (v, _) => format!("{v} of your members vote"),
        };
        let issues: Vec<&str> = forum.agenda.iter().map(|&k| scenario.issues[k].name.as_str()).collect();
        let _ = writeln!(
            out,
            "- **{}**: {seat_text}; decides by {}, at most {} rounds; on the table: {}.",
            forum.name,
            forum.rule.describe(),
            forum.rounds,
            issues.join(", ")
        );
        // Held injects are the trainer's surprises: a team's brief does not announce them.
        for inject in scenario.injects.iter().filter(|i| i.forum == f && i.timing != Timing::Held) {
            let when = match inject.timing {
                Timing::Round(r) => format!("Event in round {r}"),
                Timing::Held => unreachable!("held injects are left out above"),
                Timing::Chance { probability, first, last } => {
                    format!("Possible event, {:.0}% likely, between rounds {first} and {last}", probability * 100.0)
                }
            };
            let _ = writeln!(out, "  - {when}: {}.", inject.name);
        }
    }
    let mut others: Vec<(f64, usize)> = (0..scenario.actors.len())
        .filter(|a| !stance.members.contains(a))
        .filter(|&a| scenario.forums.iter().any(|f| f.voting.binary_search(&a).is_ok()))
        .map(|a| (distance(scenario, &stance, a), a))
        .collect();
    others.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    let show = |items: &mut dyn Iterator<Item = &(f64, usize)>| -> String {
        items
            .map(|(d, a)| {
                format!(
                    "- {} ({}), {:.0} points apart on what you care about",
                    scenario.actors[*a].name,
                    scenario.actors[*a].id,
                    d * 100.0
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let _ = writeln!(out, "\n## Likely allies\n\n{}", show(&mut others.iter().take(NAMED)));
    let _ = writeln!(out, "\n## Likely opponents\n\n{}", show(&mut others.iter().rev().take(NAMED)));
    Some(out)
}

fn importance(salience: f64) -> &'static str {
    match salience {
        s if s >= 0.75 => "a great deal",
        s if s >= 0.5 => "much",
        s if s >= 0.25 => "somewhat",
        s if s > 0.0 => "little",
        _ => "not at all",
    }
}
