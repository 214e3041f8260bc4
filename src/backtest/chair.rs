//! A case as a scenario: what lets the simulated models be scored on observed outcomes.
//!
//! One case (the issues of one proposal) becomes one scenario with one forum on which every
//! actor with a position votes by consensus; `crate::sim::run_replicate` plays it, and the
//! prediction per issue is the mean outcome over the replicates, an unadopted replicate
//! counting as the status quo (what the forum records as its outcome then).
//!
//! A forecast model (exchange, expected utility) predicts only the issues some actor with a
//! position cares about (salience above 0): on the others its forecast would be the status
//! quo, or the midpoint where the status quo is unknown, which the data never gave it.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::scenario::{Actor, ActorKind, DEFAULT_FLEXIBILITY, Forum, Issue, Model, Parameters, Rule, Scenario};

use super::{Dataset, IssueRow, Miss};

/// Rounds of the forum a case is played in: the scenario format's default.
pub const ROUNDS: u32 = 10;

/// The scenario of one case: its issues that the model can predict, and the actors with a
/// position on at least one of them. The chair's model takes the issues with a status quo
/// (it measures gains against it); a forecast model the issues on which some actor with a
/// position has a salience above 0 (`forecast_miss`). An actor without a position on an
/// issue gets salience 0 there and the status quo as its position, so it neither pulls the
/// draft nor cares about that issue. Capability: the case's weights, else 1. Saliences are
/// divided by 100. Returns the scenario and, per scenario issue, the index of its row.
pub fn case_scenario(
    data: &Dataset,
    case: &str,
    rows: &[usize],
    seed: u64,
    replicates: u64,
    model: Model,
) -> Option<(Scenario, Vec<usize>)> {
    let kept: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&r| {
            let row = &data.issues[r];
            if model.is_forecast() { forecast_miss(row).is_none() } else { row.status_quo.is_some() }
        })
        .collect();
    let present: Vec<usize> =
        (0..data.actors.len()).filter(|&a| kept.iter().any(|&r| data.issues[r].positions[a].is_some())).collect();
    if kept.is_empty() || present.is_empty() {
        return None;
    }
    // A forecast model takes issues without a status quo too. Its forecast does not depend on
    // the status quo where someone cares (only its gains do), so the scale's midpoint stands
    // in: it is the position of the actors without one, who have salience 0 there.
    let issue = |r: usize| -> (&IssueRow, f64) {
        let row = &data.issues[r];
        (row, row.status_quo.unwrap_or(50.0))
    };
    let issues = kept
        .iter()
        .map(|&r| {
            let (row, status_quo) = issue(r);
            Issue {
                id: row.issue.clone(),
                name: row.issue.clone(),
                lo: 0.0,
                hi: 100.0,
                low_label: "0".into(),
                high_label: "100".into(),
                status_quo,
            }
        })
        .collect();
    let actors = present
        .iter()
        .map(|&a| {
            // Capabilities are constant within a case (the reader checks it); take them from
            // an issue the actor has a position on.
            let capability = kept
                .iter()
                .find(|&&r| data.issues[r].positions[a].is_some())
                .map_or(1.0, |&r| data.issues[r].capabilities[a]);
            Actor {
                id: data.actors[a].clone(),
                name: data.actors[a].clone(),
                kind: ActorKind::State,
                capability,
                flexibility: DEFAULT_FLEXIBILITY,
                positions: kept
                    .iter()
                    .map(|&r| {
                        let (row, status_quo) = issue(r);
                        row.positions[a].unwrap_or(status_quo)
                    })
                    .collect(),
                saliences: kept
                    .iter()
                    .map(|&r| {
                        let row = &data.issues[r];
                        if row.positions[a].is_some() { row.saliences[a] / 100.0 } else { 0.0 }
                    })
                    .collect(),
                red_lines: vec![None; kept.len()],
                blocs: Vec::new(),
                attributes: Default::default(),
            }
        })
        .collect();
    let scenario = Scenario {
        id: format!("backtest-{case}"),
        title: format!("Backtest case {case}"),
        description: format!("Case {case} of {}", data.source),
        source: PathBuf::from(&data.source),
        actors_table: None,
        model,
        seed,
        replicates,
        parameters: Parameters::default(),
        issues,
        actors,
        blocs: Vec::new(),
        forums: vec![Forum {
            id: "negotiation".into(),
            name: "Negotiation".into(),
            voting: (0..present.len()).collect(),
            voice: Vec::new(),
            agenda: (0..kept.len()).collect(),
            rule: Rule::Consensus,
            fallback: None,
            rounds: ROUNDS,
            after: None,
            observed: None,
        }],
        forum_order: vec![0],
        injects: Vec::new(),
    };
    Some((scenario, kept))
}

/// Why a forecast model has no prediction for an issue whatever its case: no actor has a
/// position on it, or every actor with one has salience 0 (then nobody at the table moves
/// the issue, and the model would only return the status quo it was given).
fn forecast_miss(row: &IssueRow) -> Option<Miss> {
    let mut positions = row.positions.iter().zip(&row.saliences).filter(|(p, _)| p.is_some());
    match positions.next() {
        None => Some(Miss::NoPosition),
        Some(first) if std::iter::once(first).chain(positions).all(|(_, &s)| s <= 0.0) => Some(Miss::NoWeight),
        Some(_) => None,
    }
}

/// A simulated model's prediction for every issue: per case, the mean outcome of
/// `replicates` replicates (seed `seed`, streams 0..replicates); one replicate for the
/// models without randomness, whose replicates would all be the same.
pub fn predict(data: &Dataset, seed: u64, replicates: u64, model: Model) -> Vec<Result<f64, Miss>> {
    let replicates = if model.is_random() { replicates } else { 1 };
    let mut out: Vec<Result<f64, Miss>> = data
        .issues
        .iter()
        .map(|row| {
            // Overwritten below for every issue the case's scenario plays.
            if model.is_forecast() {
                Err(forecast_miss(row).unwrap_or(Miss::NoPosition))
            } else if row.status_quo.is_none() {
                Err(Miss::NoStatusQuo)
            } else {
                Err(Miss::NoPosition)
            }
        })
        .collect();
    // Cases are independent: played in parallel, each with its own replicates and streams,
    // so the predictions do not depend on the number of threads.
    let cases = data.cases();
    let played: Vec<Option<(Vec<usize>, Vec<f64>)>> = cases
        .par_iter()
        .map(|(case, rows)| {
            let (scenario, kept) = case_scenario(data, case, rows, seed, replicates, model)?;
            let scenario = Arc::new(scenario);
            let mut sums = vec![0.0; kept.len()];
            for r in 0..replicates {
                let record = crate::sim::run_replicate(&scenario, seed, r, false);
                for (sum, x) in sums.iter_mut().zip(&record.forums[0].outcome) {
                    *sum += x;
                }
            }
            Some((kept, sums))
        })
        .collect();
    for (kept, sums) in played.into_iter().flatten() {
        for (row, sum) in kept.into_iter().zip(sums) {
            out[row] = Ok(sum / replicates as f64);
        }
    }
    out
}
