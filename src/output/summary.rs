//! Statistics across replicates, accumulated as replicates stream past: per forum the
//! agreement rate with its Wilson interval, the distribution of each measure, the text
//! agreed per issue, and per actor the probability of still objecting at the end.

use std::fmt::Write as _;
use std::io::Write;

use crate::Failure;
use crate::record::{ReplicateRecord, Seat, Verdict};
use crate::scenario::Scenario;

use super::stats::{Distribution, share_of_budget, wilson};

pub const SUMMARY_COLUMNS: [&str; 11] =
    ["forum", "measure", "issue", "actor", "n", "mean", "sd", "q025", "q975", "ci_low", "ci_high"];

struct ForumSummary {
    runs: u64,
    adopted: u64,
    fallback_used: u64,
    adoption_round: Distribution,
    rounds_used: Distribution,
    mean_gain: Distribution,
    min_gain: Distribution,
    share_better_off: Distribution,
    objectors_end: Distribution,
    distance_from_compromise: Distribution,
    /// Per agenda issue, over the replicates that adopted a text.
    agreed_text: Vec<Distribution>,
    /// Per agenda issue, over all replicates (the status quo where nothing was agreed).
    outcome: Vec<Distribution>,
    /// Per actor of the scenario: (replicates it voted in, replicates it still objected).
    still_objecting: Vec<(u64, u64)>,
    /// The voting members' last answers summed over replicates: accept, object, abstain,
    /// none (left, or never asked): a recorded vote's tally.
    answers: [u64; 4],
}

pub struct Summary {
    forums: Vec<ForumSummary>,
}

impl Summary {
    pub fn new(scenario: &Scenario) -> Self {
        // Seven measures and two per agenda issue in each forum share the memory budget.
        let count: usize = scenario.forums.iter().map(|f| 7 + 2 * f.agenda.len()).sum();
        let limit = share_of_budget(count);
        let dist = |lo: f64, hi: f64| Distribution::with_limit(lo, hi, limit);
        let forums = scenario
            .forums
            .iter()
            .map(|forum| {
                let rounds = forum.rounds as f64;
                let per_issue = || {
                    forum.agenda.iter().map(|&k| dist(scenario.issues[k].lo, scenario.issues[k].hi)).collect::<Vec<_>>()
                };
                ForumSummary {
                    runs: 0,
                    adopted: 0,
                    fallback_used: 0,
                    adoption_round: dist(1.0, rounds),
                    rounds_used: dist(1.0, rounds),
                    mean_gain: dist(-1.0, 1.0),
                    min_gain: dist(-1.0, 1.0),
                    share_better_off: dist(0.0, 1.0),
                    objectors_end: dist(0.0, scenario.actors.len() as f64),
                    distance_from_compromise: dist(0.0, 100.0),
                    agreed_text: per_issue(),
                    outcome: per_issue(),
                    still_objecting: vec![(0, 0); scenario.actors.len()],
                    answers: [0; 4],
                }
            })
            .collect();
        Summary { forums }
    }

    pub fn add(&mut self, scenario: &Scenario, record: &ReplicateRecord) {
        for forum_record in &record.forums {
            let s = &mut self.forums[forum_record.forum];
            let m = forum_record.measures(scenario);
            s.runs += 1;
            s.adopted += u64::from(forum_record.adopted);
            s.fallback_used += u64::from(forum_record.fallback_used);
            if let Some(round) = forum_record.adoption_round {
                s.adoption_round.add(round as f64);
            }
            s.rounds_used.add(forum_record.rounds_used as f64);
            s.mean_gain.add(m.mean_gain);
            s.min_gain.add(m.min_gain);
            s.share_better_off.add(m.share_better_off);
            if !scenario.model.is_forecast() {
                s.objectors_end.add(m.objectors_end as f64);
            }
            s.distance_from_compromise.add(m.distance_from_compromise);
            for (j, &x) in forum_record.outcome.iter().enumerate() {
                s.outcome[j].add(x);
                if forum_record.adopted {
                    s.agreed_text[j].add(x);
                }
            }
            let answered = !scenario.model.is_forecast();
            for actor in forum_record.actors.iter().filter(|a| answered && a.seat == Seat::Voting) {
                let entry = &mut s.still_objecting[actor.actor];
                entry.0 += 1;
                entry.1 += u64::from(actor.last_response == Some(Verdict::Object));
                let answer = match actor.last_response {
                    Some(Verdict::Accept) => 0,
                    Some(Verdict::Object) => 1,
                    Some(Verdict::Abstain) => 2,
                    None => 3,
                };
                s.answers[answer] += 1;
            }
        }
    }

    pub fn write_csv(&self, scenario: &Scenario, out: impl Write) -> Result<(), Failure> {
        let fail = |e: csv::Error| Failure::Io(format!("cannot write summary.csv: {e}"));
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(SUMMARY_COLUMNS).map_err(fail)?;
        let text = |x: Option<f64>| x.map_or_else(String::new, |x| format!("{x}"));
        for &f in &scenario.forum_order {
            let forum = &scenario.forums[f];
            let s = &self.forums[f];
            let mut rate = |measure: &str, actor: &str, successes: u64, n: u64| {
                let ci = wilson(successes, n);
                let mean = (n > 0).then(|| successes as f64 / n as f64);
                writer.write_record([
                    forum.id.as_str(),
                    measure,
                    "",
                    actor,
                    &n.to_string(),
                    &text(mean),
                    "",
                    "",
                    "",
                    &text(ci.map(|c| c.0)),
                    &text(ci.map(|c| c.1)),
                ])
            };
            // A forecast model puts nothing to a decision: its rates count no replicates.
            let decided = if scenario.model.is_forecast() { 0 } else { s.runs };
            rate("agreement", "", s.adopted, decided).map_err(fail)?;
            rate("fallback_used", "", s.fallback_used, decided).map_err(fail)?;
            let mut dist = |measure: &str, issue: &str, d: &Distribution| {
                writer.write_record([
                    forum.id.as_str(),
                    measure,
                    issue,
                    "",
                    &d.count().to_string(),
                    &text(d.mean()),
                    &text(d.sd()),
                    &text(d.quantile(0.025)),
                    &text(d.quantile(0.975)),
                    "",
                    "",
                ])
            };
            dist("adoption_round", "", &s.adoption_round).map_err(fail)?;
            dist("rounds_used", "", &s.rounds_used).map_err(fail)?;
            dist("mean_gain", "", &s.mean_gain).map_err(fail)?;
            dist("min_gain", "", &s.min_gain).map_err(fail)?;
            dist("share_better_off", "", &s.share_better_off).map_err(fail)?;
            dist("objectors_end", "", &s.objectors_end).map_err(fail)?;
            dist("distance_from_compromise", "", &s.distance_from_compromise).map_err(fail)?;
            for (j, &k) in forum.agenda.iter().enumerate() {
                dist("agreed_text", &scenario.issues[k].id, &s.agreed_text[j]).map_err(fail)?;
                dist("outcome", &scenario.issues[k].id, &s.outcome[j]).map_err(fail)?;
            }
            for (a, &(n, objecting)) in s.still_objecting.iter().enumerate() {
                if n > 0 {
                    let ci = wilson(objecting, n);
                    writer
                        .write_record([
                            forum.id.as_str(),
                            "still_objecting",
                            "",
                            &scenario.actors[a].id,
                            &n.to_string(),
                            &text(Some(objecting as f64 / n as f64)),
                            "",
                            "",
                            "",
                            &text(ci.map(|c| c.0)),
                            &text(ci.map(|c| c.1)),
                        ])
                        .map_err(fail)?;
                }
            }
        }
        writer.flush().map_err(|e| Failure::Io(format!("cannot write summary.csv: {e}")))
    }

    /// A table for the terminal: per forum the agreement rate, rounds, the text agreed per
    /// issue and who most often still objects.
    pub fn render(&self, scenario: &Scenario) -> String {
        let mut out = String::new();
        for &f in &scenario.forum_order {
            let forum = &scenario.forums[f];
            let s = &self.forums[f];
            if scenario.model.is_forecast() {
                forecast(&mut out, scenario, forum, s);
                continue;
            }
            let rate = s.adopted as f64 / s.runs.max(1) as f64;
            let (lo, hi) = wilson(s.adopted, s.runs).unwrap_or((0.0, 0.0));
            let _ = writeln!(
                out,
                "\n{} ({}, {} round{}{})",
                forum.name,
                forum.rule.describe(),
                forum.rounds,
                if forum.rounds == 1 { "" } else { "s" },
                forum.fallback.as_ref().map_or_else(String::new, |r| format!(", fallback {}", r.describe()))
            );
            let _ = writeln!(
                out,
                "  agreement {:5.1}%  95% CI [{:.1}%, {:.1}%]   mean rounds {:.1}   fallback used {:.1}%",
                rate * 100.0,
                lo * 100.0,
                hi * 100.0,
                s.rounds_used.mean().unwrap_or(0.0),
                s.fallback_used as f64 / s.runs.max(1) as f64 * 100.0
            );
            let _ = writeln!(out, "  last answers, mean per replicate: {}", tally(&s.answers, s.runs));
            if let Some(observed) = forum.observed {
                let shown: Vec<String> = observed
                    .iter()
                    .zip(["accept", "object", "abstain"])
                    .map(|(n, name)| format!("{} {name}", n.map_or_else(|| "?".to_string(), |n| n.to_string())))
                    .collect();
                let _ = writeln!(out, "  observed, the recorded vote:      {}", shown.join(", "));
            }
            if s.adopted > 0 {
                let _ = writeln!(
                    out,
                    "  text agreed, mean [2.5%, 97.5%] over the {} that adopted one:",
                    if s.adopted == 1 { "replicate".to_string() } else { format!("{} replicates", s.adopted) }
                );
                per_issue(&mut out, scenario, forum, &s.agreed_text);
            }
            let mut objectors: Vec<(usize, f64)> = s
                .still_objecting
                .iter()
                .enumerate()
                .filter(|(_, (n, o))| *n > 0 && *o > 0)
                .map(|(a, (n, o))| (a, *o as f64 / *n as f64))
                .collect();
            objectors.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            if let Some(line) = objectors_line(scenario, &objectors) {
                let _ = writeln!(out, "  still objecting at the end, most often: {line}");
            }
        }
        out
    }
}

/// A forecast model's forum: the forecast per issue across replicates.
fn forecast(out: &mut String, scenario: &Scenario, forum: &crate::scenario::Forum, s: &ForumSummary) {
    let rounds = match scenario.model {
        crate::scenario::Model::Compromise => String::new(),
        _ => format!(", {} rounds", forum.rounds),
    };
    let _ = writeln!(out, "\n{} (model {}{rounds})", forum.name, scenario.model.name());
    let _ = writeln!(out, "  forecast, mean [2.5%, 97.5%] over {} replicates:", s.runs);
    per_issue(out, scenario, forum, &s.outcome);
}

/// One line per agenda issue: the mean and 2.5% / 97.5% quantiles of a text, against the
/// status quo and the scale's poles.
fn per_issue(out: &mut String, scenario: &Scenario, forum: &crate::scenario::Forum, texts: &[Distribution]) {
    let width = forum.agenda.iter().map(|&k| scenario.issues[k].name.chars().count()).max().unwrap_or(0).min(60);
    for (d, &k) in texts.iter().zip(&forum.agenda) {
        let issue = &scenario.issues[k];
        let _ = writeln!(
            out,
            "    {:width$}  {:6.1} [{:.1}, {:.1}]   (status quo {:.0}; {:.0} = {}, {:.0} = {})",
            truncate(&issue.name, width),
            d.mean().unwrap_or(f64::NAN),
            d.quantile(0.025).unwrap_or(f64::NAN),
            d.quantile(0.975).unwrap_or(f64::NAN),
            issue.status_quo,
            issue.lo,
            issue.low_label,
            issue.hi,
            issue.high_label,
        );
    }
}

/// `109 accept, 45 object, 16 abstain, 23 no answer`: whole numbers where every replicate
/// gave the same count's mean exactly, one decimal otherwise.
fn tally(answers: &[u64; 4], runs: u64) -> String {
    let names = ["accept", "object", "abstain", "no answer"];
    let shown: Vec<String> = answers
        .iter()
        .zip(names)
        .filter(|(n, name)| **n > 0 || *name != "no answer")
        .map(|(&n, name)| {
            let mean = n as f64 / runs.max(1) as f64;
            if n.is_multiple_of(runs.max(1)) { format!("{mean:.0} {name}") } else { format!("{mean:.1} {name}") }
        })
        .collect();
    shown.join(", ")
}

/// The actors most often still objecting, by name, those with the same share together
/// (a bloc that holds out as one is one group); those under 1%, and beyond three groups,
/// are counted, not named.
fn objectors_line(scenario: &Scenario, objectors: &[(usize, f64)]) -> Option<String> {
    let mut groups: Vec<(u32, Vec<usize>)> = Vec::new();
    for &(a, p) in objectors {
        let percent = (p * 100.0).round() as u32;
        if percent == 0 {
            break;
        }
        let full = groups.len() == 3;
        match groups.last_mut() {
            Some((last, members)) if *last == percent => members.push(a),
            _ if full => break,
            _ => groups.push((percent, vec![a])),
        }
    }
    let rest = objectors.len() - groups.iter().map(|(_, members)| members.len()).sum::<usize>();
    let mut shown: Vec<String> = groups
        .iter()
        .map(|(percent, members)| {
            // A bloc that holds out as one is named as such.
            let mut sorted = members.clone();
            sorted.sort_unstable();
            let within = scenario
                .blocs
                .iter()
                .filter(|b| sorted.iter().all(|a| b.members.binary_search(a).is_ok()))
                .min_by_key(|b| b.members.len());
            if members.len() > 1
                && let Some(bloc) = within
            {
                if bloc.members == sorted {
                    return format!("{percent}% all of {} ({} members)", bloc.name, members.len());
                }
                let first: Vec<&str> = members.iter().take(6).map(|&a| scenario.actors[a].name.as_str()).collect();
                let more = if members.len() > 6 { format!(" and {} more", members.len() - 6) } else { String::new() };
                return format!(
                    "{percent}% {} of the {} members of {}: {}{more}",
                    members.len(),
                    bloc.members.len(),
                    bloc.name,
                    first.join(", ")
                );
            }
            let mut names: Vec<String> = members
                .iter()
                .take(6)
                .map(|&a| {
                    let actor = &scenario.actors[a];
                    if actor.name == actor.id { actor.id.clone() } else { format!("{} ({})", actor.name, actor.id) }
                })
                .collect();
            if members.len() > 6 {
                names.push(format!("{} more", members.len() - 6));
            }
            format!("{percent}% {}", names.join(", "))
        })
        .collect();
    if shown.is_empty() && rest == 0 {
        return None;
    }
    if rest > 0 {
        shown.push(format!("{rest} other{} less often", if rest == 1 { "" } else { "s" }));
    }
    Some(shown.join("; "))
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        text.chars().take(width.saturating_sub(1)).chain(['…']).collect()
    }
}
