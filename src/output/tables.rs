//! The per-replicate CSV tables, written row by row as replicates finish. Column order is
//! public interface: docs/outputs.md documents it and scripts rely on it.

use std::fs::File;
use std::io::BufWriter;

use crate::Failure;
use crate::record::{ForumRecord, ReplicateRecord};
use crate::scenario::{Model, Scenario};

use super::folder::OutputFolder;

/// runs.csv: the replicate and seed, then what the run did in the forum (`RUN_COLUMNS`).
pub const RUNS_COLUMNS: [&str; 13] = {
    let mut columns = ["replicate", "seed", "", "", "", "", "", "", "", "", "", "", ""];
    let mut i = 0;
    while i < RUN_COLUMNS.len() {
        columns[i + 2] = RUN_COLUMNS[i];
        i += 1;
    }
    columns
};
pub const OUTCOMES_COLUMNS: [&str; 8] =
    ["replicate", "forum", "issue", "status_quo", "compromise", "outcome", "polarisation_start", "polarisation_end"];
pub const ACTORS_COLUMNS: [&str; 9] = [
    "replicate",
    "forum",
    "actor",
    "seat",
    "utility_outcome",
    "utility_status_quo",
    "gain",
    "last_response",
    "rounds_objecting",
];
pub const ROUNDS_COLUMNS: [&str; 8] =
    ["replicate", "forum", "round", "issue", "draft", "accepts", "objects", "abstains"];
/// With `--trace`: when each inject fired, so a timeline can mark it.
pub const INJECTS_COLUMNS: [&str; 4] = ["replicate", "forum", "round", "inject"];
/// Written by the exchange models when tracing: every realised exchange, one row per side.
pub const EXCHANGES_COLUMNS: [&str; 11] =
    ["replicate", "forum", "round", "order", "actor", "supply", "demand", "from", "to", "gain", "partner"];
/// Written by the models that move positions (exchange, expected utility) when tracing: the
/// voting members' positions after each round (trajectories.csv) (round 0: as they entered the forum).
pub const TRAJECTORIES_COLUMNS: [&str; 6] = ["replicate", "forum", "round", "actor", "issue", "position"];

type Writer = csv::Writer<BufWriter<File>>;

pub struct Tables {
    /// The folder, for messages.
    dir: std::path::PathBuf,
    runs: Writer,
    outcomes: Writer,
    actors: Writer,
    rounds: Option<Writer>,
    injects: Option<Writer>,
    exchanges: Option<Writer>,
    trajectories: Option<Writer>,
}

/// A table that cannot be written (a full disk), named with its folder.
fn failure(dir: &std::path::Path, name: &str, error: impl std::fmt::Display) -> Failure {
    Failure::Io(format!("cannot write {}: {error}", dir.join(name).display()))
}

fn open(folder: &mut OutputFolder, name: &str, header: &[&str]) -> Result<Writer, Failure> {
    let mut writer = csv::Writer::from_writer(folder.create(name)?);
    writer.write_record(header).map_err(|e| failure(folder.dir(), name, e))?;
    Ok(writer)
}

/// Shortest text that reads back as the same number.
pub fn num(x: f64) -> String {
    format!("{x}")
}

/// The columns of runs.csv from `forum` on, shared with sweep.csv: what one run did in
/// one forum.
pub const RUN_COLUMNS: [&str; 11] = [
    "forum",
    "adopted",
    "adoption_round",
    "rounds_used",
    "fallback_used",
    "mean_gain",
    "min_gain",
    "share_better_off",
    "objectors_end",
    "distance_from_compromise",
    "injects",
];

pub fn run_cells(scenario: &Scenario, record: &ForumRecord) -> [String; 11] {
    let measures = record.measures(scenario);
    let injects: Vec<&str> = record.injects.iter().map(|&i| scenario.injects[i].id.as_str()).collect();
    // A forecast model adopts nothing and hears no objections: those cells do not apply.
    let negotiated = |text: String| if scenario.model.is_forecast() { String::new() } else { text };
    [
        scenario.forums[record.forum].id.clone(),
        negotiated(record.adopted.to_string()),
        record.adoption_round.map_or_else(String::new, |r| r.to_string()),
        record.rounds_used.to_string(),
        negotiated(record.fallback_used.to_string()),
        num(measures.mean_gain),
        num(measures.min_gain),
        num(measures.share_better_off),
        negotiated(measures.objectors_end.to_string()),
        num(measures.distance_from_compromise),
        injects.join(";"),
    ]
}

impl Tables {
    /// The files a run writes, in the order the manifest lists them (summary.csv and
    /// manifest.json come after).
    pub fn names(model: Model, trace: bool) -> Vec<&'static str> {
        let mut names = vec!["runs.csv", "outcomes.csv", "actors.csv"];
        if trace {
            names.extend(["rounds.csv", "injects.csv"]);
            if model.is_exchange() {
                names.push("exchanges.csv");
            }
            if model.moves_positions() {
                names.push("trajectories.csv");
            }
        }
        names
    }

    pub fn create(folder: &mut OutputFolder, trace: bool, model: Model) -> Result<Self, Failure> {
        let exchange_trace = trace && model.is_exchange();
        Ok(Tables {
            dir: folder.dir().to_path_buf(),
            runs: open(folder, "runs.csv", &RUNS_COLUMNS)?,
            outcomes: open(folder, "outcomes.csv", &OUTCOMES_COLUMNS)?,
            actors: open(folder, "actors.csv", &ACTORS_COLUMNS)?,
            rounds: if trace { Some(open(folder, "rounds.csv", &ROUNDS_COLUMNS)?) } else { None },
            injects: if trace { Some(open(folder, "injects.csv", &INJECTS_COLUMNS)?) } else { None },
            exchanges: if exchange_trace { Some(open(folder, "exchanges.csv", &EXCHANGES_COLUMNS)?) } else { None },
            trajectories: if trace && model.moves_positions() {
                Some(open(folder, "trajectories.csv", &TRAJECTORIES_COLUMNS)?)
            } else {
                None
            },
        })
    }

    pub fn write(&mut self, scenario: &Scenario, seed: u64, record: &ReplicateRecord) -> Result<(), Failure> {
        let replicate = record.replicate.to_string();
        for forum_record in &record.forums {
            let forum = &scenario.forums[forum_record.forum];
            let mut row = vec![replicate.clone(), seed.to_string()];
            row.extend(run_cells(scenario, forum_record));
            self.runs.write_record(&row).map_err(|e| failure(&self.dir, "runs.csv", e))?;
            crate::failpoint::write("tables:runs").map_err(|e| failure(&self.dir, "runs.csv", e))?;
            for (j, &k) in forum.agenda.iter().enumerate() {
                self.outcomes
                    .write_record([
                        replicate.as_str(),
                        &forum.id,
                        &scenario.issues[k].id,
                        &num(forum_record.status_quo[j]),
                        &num(forum_record.compromise[j]),
                        &num(forum_record.outcome[j]),
                        &num(forum_record.polarisation_start[j]),
                        &num(forum_record.polarisation_end[j]),
                    ])
                    .map_err(|e| failure(&self.dir, "outcomes.csv", e))?;
            }
            for actor in &forum_record.actors {
                self.actors
                    .write_record([
                        replicate.as_str(),
                        &forum.id,
                        &scenario.actors[actor.actor].id,
                        actor.seat.as_str(),
                        &num(actor.utility_outcome),
                        &num(actor.utility_status_quo),
                        &num(actor.gain()),
                        actor.last_response.map_or("", |v| v.as_str()),
                        &if scenario.model.is_forecast() { String::new() } else { actor.rounds_objecting.to_string() },
                    ])
                    .map_err(|e| failure(&self.dir, "actors.csv", e))?;
            }
            if let Some(rounds) = &mut self.rounds {
                let count = |n: u32| if scenario.model.is_forecast() { String::new() } else { n.to_string() };
                for round in &forum_record.rounds {
                    for (j, &k) in forum.agenda.iter().enumerate() {
                        rounds
                            .write_record([
                                replicate.as_str(),
                                &forum.id,
                                &round.round.to_string(),
                                &scenario.issues[k].id,
                                &num(round.draft[j]),
                                &count(round.accepts),
                                &count(round.objects),
                                &count(round.abstains),
                            ])
                            .map_err(|e| failure(&self.dir, "rounds.csv", e))?;
                    }
                }
            }
            if let Some(injects) = &mut self.injects {
                for round in &forum_record.rounds {
                    for &i in &round.injects {
                        injects
                            .write_record([
                                replicate.as_str(),
                                &forum.id,
                                &round.round.to_string(),
                                &scenario.injects[i].id,
                            ])
                            .map_err(|e| failure(&self.dir, "injects.csv", e))?;
                    }
                }
            }
            if let Some(exchanges) = &mut self.exchanges {
                for exchange in &forum_record.trail.exchanges {
                    for (side, other) in [(0, 1), (1, 0)] {
                        let s = &exchange.sides[side];
                        exchanges
                            .write_record([
                                replicate.as_str(),
                                &forum.id,
                                &exchange.round.to_string(),
                                &exchange.order.to_string(),
                                &scenario.actors[s.actor].id,
                                &scenario.issues[s.supply].id,
                                &scenario.issues[s.demand].id,
                                &num(s.from),
                                &num(s.to),
                                &num(s.gain),
                                &scenario.actors[exchange.sides[other].actor].id,
                            ])
                            .map_err(|e| failure(&self.dir, "exchanges.csv", e))?;
                    }
                }
            }
            if let Some(trajectories) = &mut self.trajectories {
                for (round, rows) in &forum_record.trail.positions {
                    for (actor, values) in rows {
                        for (j, &k) in forum.agenda.iter().enumerate() {
                            trajectories
                                .write_record([
                                    replicate.as_str(),
                                    &forum.id,
                                    &round.to_string(),
                                    &scenario.actors[*actor].id,
                                    &scenario.issues[k].id,
                                    &num(values[j]),
                                ])
                                .map_err(|e| failure(&self.dir, "trajectories.csv", e))?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    pub fn finish(self) -> Result<(), Failure> {
        let all = [
            Some(self.runs),
            Some(self.outcomes),
            Some(self.actors),
            self.rounds,
            self.injects,
            self.exchanges,
            self.trajectories,
        ];
        for mut writer in all.into_iter().flatten() {
            writer.flush().map_err(|e| failure(&self.dir, "the tables", e))?;
        }
        Ok(())
    }
}
