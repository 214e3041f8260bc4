//! `plenary sweep`: every (point, replicate) of an experiment as a numbered run, in
//! parallel, streamed to sweep.csv in run order; resumable after an interruption; split
//! into shards for a cluster and merged back.
//!
//! Run `r` is point `r / replicates`, replicate `r % replicates`, and uses the ChaCha8
//! stream `r` of the master seed: its numbers depend on nothing else.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::design::{self, Design};
use super::file::{self, Experiment};
pub use super::merge::merge;
use super::{parallel, sweep_folder};
use crate::Failure;
use crate::output::contents::SWEEP_PARTIAL;
use crate::output::manifest::sha256_hex;
use crate::output::sweep::sweep_header;
use crate::output::tables::{num, run_cells};
use crate::scenario::Scenario;
use crate::sim::run_replicate;

#[derive(Clone, Debug, Default)]
pub struct SweepArgs {
    pub experiment: PathBuf,
    pub threads: Option<usize>,
    pub out: Option<PathBuf>,
    /// (index from 0, count).
    pub shard: Option<(u64, u64)>,
    pub resume: bool,
    pub force: bool,
    pub progress: bool,
}

pub struct SweepReport {
    pub folder: PathBuf,
    pub runs: Range<u64>,
    pub resumed_from: Option<u64>,
    pub files: Vec<String>,
}

/// What identifies a sweep's runs: written when it starts, checked when it resumes or is
/// merged.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Plan {
    pub experiment_id: String,
    pub experiment_path: String,
    pub experiment_sha256: String,
    pub scenario_sha256: String,
    pub actors_table_sha256: Option<String>,
    pub points: u64,
    pub replicates: u64,
    pub forums: u64,
    pub total_runs: u64,
    pub shard: Option<(u64, u64)>,
    pub first_run: u64,
    pub end_run: u64,
}

/// Points' scenarios kept at once: more than a batch of runs can span.
const RECENT_POINTS: usize = 1024;

fn io(what: &str, path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure::Io(format!("cannot {what} {}: {e}", path.display()))
}

pub fn plan(experiment: &Experiment, design: &Design, shard: Option<(u64, u64)>) -> Plan {
    let total = design.points.len() as u64 * experiment.replicates;
    let (first_run, end_run) = match shard {
        Some((i, n)) => (shard_start(total, i, n), shard_start(total, i + 1, n)),
        None => (0, total),
    };
    Plan {
        experiment_id: experiment.id.clone(),
        experiment_path: experiment.source.display().to_string(),
        experiment_sha256: sha256_hex(experiment.text.as_bytes()),
        scenario_sha256: sha256_hex(experiment.scenario_text.as_bytes()),
        actors_table_sha256: experiment.scenario.actors_table.as_ref().map(|(_, t)| sha256_hex(t.as_bytes())),
        points: design.points.len() as u64,
        replicates: experiment.replicates,
        forums: experiment.scenario.forums.len() as u64,
        total_runs: total,
        shard,
        first_run,
        end_run,
    }
}

/// Shard `i` of `n` runs `shard_start(i)..shard_start(i + 1)`: contiguous and as equal as
/// whole numbers allow.
pub(super) fn shard_start(total: u64, i: u64, n: u64) -> u64 {
    (total as u128 * i as u128 / n as u128) as u64
}

/// The scenario of a point: the base with the point's values put in place.
fn point_scenario(experiment: &Experiment, design: &Design, point: usize) -> Scenario {
    let mut scenario = experiment.scenario.clone();
    for (knob, &value) in design.knobs.iter().zip(&design.points[point]) {
        knob.apply(&mut scenario, value);
    }
    scenario
}

pub fn sweep(args: &SweepArgs) -> Result<SweepReport, Failure> {
    let experiment = file::load(&args.experiment)?;
    let design = design::build(&experiment);
    if let Some((i, n)) = args.shard {
        if n != experiment.shards {
            return Err(Failure::Refused(format!(
                "--shard {i}/{n}: this experiment is split into {} shards (`shards` in [experiment]); nothing was run.\n  hint: use --shard I/{} with I from 0 to {}",
                experiment.shards,
                experiment.shards,
                experiment.shards - 1
            )));
        }
        if i >= n {
            return Err(Failure::Refused(format!("--shard {i}/{n}: shards are numbered from 0 to {}", n - 1)));
        }
    }
    let plan = plan(&experiment, &design, args.shard);
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 || threads > 1024 {
        return Err(Failure::Refused(format!("--threads {threads} is outside 1..1024")));
    }
    let folder = args.out.clone().unwrap_or_else(|| {
        let base = Path::new("results").join(&experiment.id);
        match args.shard {
            Some((i, n)) => base.join(format!("shard-{i}-of-{n}")),
            None => base,
        }
    });

    // The folder: refuse to overwrite results, pick up an interrupted sweep on --resume.
    let opened = sweep_folder::open(&folder, &plan, args.resume, args.force, args.out.is_none())?;
    if let Some(files) = opened.finished {
        return Ok(SweepReport { folder, runs: plan.first_run..plan.end_run, resumed_from: Some(plan.end_run), files });
    }
    let (_lock, resuming) = (opened.lock, opened.resuming);
    let partial = folder.join(SWEEP_PARTIAL);

    let rows_per_run = experiment.scenario.forums.len() as u64;
    let header = sweep_header(&design);
    let (start, file) = if resuming {
        reopen(&partial, &header, plan.first_run, rows_per_run)?
    } else {
        (plan.first_run, create(&partial, &header)?)
    };
    let resumed_from = resuming.then_some(start);
    let mut out = BufWriter::with_capacity(1 << 16, file);

    let bar = progress_bar(args.progress, plan.end_run - plan.first_run, start - plan.first_run);
    // Points' scenarios, each made once and shared while its runs are in flight: runs of a
    // point are contiguous, so the few most recent points are all that is needed. Sharing
    // one `Arc` per point also lets each thread keep its simulation world for the point.
    let recent: std::sync::Mutex<std::collections::VecDeque<(usize, Arc<Scenario>)>> = Default::default();
    let scenario_of = |point: usize| -> Arc<Scenario> {
        let mut recent = recent.lock().expect("no thread panics while holding it");
        if let Some((_, s)) = recent.iter().find(|(p, _)| *p == point) {
            return s.clone();
        }
        let s = Arc::new(point_scenario(&experiment, &design, point));
        if recent.len() == RECENT_POINTS {
            recent.pop_front();
        }
        recent.push_back((point, s.clone()));
        s
    };
    let write_failure = |e: std::io::Error| io("write", &partial, e);
    parallel::in_order(
        start..plan.end_run,
        threads,
        |run| {
            let point = (run / experiment.replicates) as usize;
            let scenario = scenario_of(point);
            (run, point, run_replicate(&scenario, experiment.seed, run, false), scenario)
        },
        |runs, done| {
            for (run, point, record, scenario) in runs {
                let mut prefix = vec![
                    run.to_string(),
                    point.to_string(),
                    (run % experiment.replicates).to_string(),
                    experiment.seed.to_string(),
                ];
                prefix.extend(design.points[point].iter().map(|&x| num(x)));
                for forum in &record.forums {
                    let mut line = csv::Writer::from_writer(Vec::new());
                    let mut row = prefix.clone();
                    row.extend(run_cells(&scenario, forum));
                    line.write_record(&row).map_err(|e| Failure::Io(e.to_string()))?;
                    out.write_all(&line.into_inner().map_err(|e| Failure::Io(e.to_string()))?)
                        .map_err(write_failure)?;
                }
            }
            // Each batch reaches the disk before the next is written: an interruption
            // loses at most the runs in flight.
            out.flush().map_err(write_failure)?;
            out.get_ref().sync_data().map_err(write_failure)?;
            crate::failpoint::hit("sweep:batch");
            bar.set_position(done - plan.first_run);
            Ok(())
        },
    )?;
    bar.finish_and_clear();
    drop(out);

    let files = sweep_folder::finish(&experiment, &design, &plan, &folder, threads)?;
    Ok(SweepReport { folder, runs: plan.first_run..plan.end_run, resumed_from, files })
}

fn progress_bar(show: bool, len: u64, done: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !show || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} runs [{bar:40}] {per_sec}, {eta} left")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_position(done);
    bar
}

pub(super) fn create(path: &Path, header: &[String]) -> Result<File, Failure> {
    let mut file = File::create(path).map_err(|e| io("create", path, e))?;
    let mut line = csv::Writer::from_writer(Vec::new());
    line.write_record(header).map_err(|e| Failure::Io(e.to_string()))?;
    file.write_all(&line.into_inner().map_err(|e| Failure::Io(e.to_string()))?).map_err(|e| io("write", path, e))?;
    file.sync_data().map_err(|e| io("write", path, e))?;
    Ok(file)
}

/// Keeps the complete runs of an interrupted sweep.csv: cuts a torn last line and any run
/// with only some of its forums written, checks that the runs kept are the first ones of
/// the plan, and returns the next run with the file open for appending.
fn reopen(path: &Path, header: &[String], first_run: u64, rows_per_run: u64) -> Result<(u64, File), Failure> {
    let file = File::open(path).map_err(|e| io("read", path, e))?;
    let mut reader = BufReader::new(file);
    let mut line = String::new();
    let mut kept_bytes = 0u64;
    let mut lines = 0u64;
    let mut complete_bytes = 0u64;
    let mut expected_run = first_run;
    loop {
        line.clear();
        let n = reader.read_line(&mut line).map_err(|e| io("read", path, e))?;
        if n == 0 || !line.ends_with('\n') {
            break;
        }
        if lines == 0 {
            let mut expected = csv::Writer::from_writer(Vec::new());
            expected.write_record(header).map_err(|e| Failure::Io(e.to_string()))?;
            if line.as_bytes() != expected.into_inner().map_err(|e| Failure::Io(e.to_string()))?.as_slice() {
                return Err(Failure::Refused(format!(
                    "{} does not start with this sweep's header.\n  hint: pass --force to start again",
                    path.display()
                )));
            }
        } else {
            let run: u64 = line.split(',').next().and_then(|r| r.parse().ok()).ok_or_else(|| {
                Failure::Refused(format!(
                    "{} holds a line that is not a run; pass --force to start again",
                    path.display()
                ))
            })?;
            let row_in_run = (lines - 1) % rows_per_run;
            if run != expected_run {
                return Err(Failure::Refused(format!(
                    "{} holds run {run} where run {expected_run} was expected; pass --force to start again",
                    path.display()
                )));
            }
            if row_in_run + 1 == rows_per_run {
                expected_run += 1;
            }
        }
        kept_bytes += n as u64;
        lines += 1;
        if lines == 1 || (lines - 1).is_multiple_of(rows_per_run) {
            complete_bytes = kept_bytes;
        }
    }
    if lines == 0 {
        // Not even the header survived (a power cut before it reached the disk).
        return create(path, header).map(|file| (first_run, file));
    }
    let file = OpenOptions::new().write(true).open(path).map_err(|e| io("open", path, e))?;
    file.set_len(complete_bytes).map_err(|e| io("truncate", path, e))?;
    let mut file = file;
    file.seek(SeekFrom::End(0)).map_err(|e| io("seek", path, e))?;
    let complete_runs = (lines.saturating_sub(1)) / rows_per_run;
    Ok((first_run + complete_runs, file))
}
