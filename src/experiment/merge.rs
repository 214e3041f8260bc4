//! `plenary merge`: the shards of a sweep, each finished and unaltered (its sweep.csv has
//! the SHA-256 its manifest recorded), put together into the files an unsharded sweep
//! would have written. The merged folder is committed as a sweep's is, so an interrupted
//! merge is an interrupted sweep that `plenary sweep --resume` can finish.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::sweep::{Plan, SweepReport, create, plan, shard_start};
use super::sweep_folder::{self, SWEEP};
use super::{design, file};
use crate::Failure;
use crate::output::contents::{MANIFEST, SWEEP_PARTIAL};
use crate::output::durable::io_failure as io;
use crate::output::manifest::sha256_hex;
use crate::output::sweep::sweep_header;

/// A finished shard: its folder, plan and the checksum its manifest gives its sweep.csv.
struct Shard {
    dir: PathBuf,
    plan: Plan,
    sha256: String,
}

/// Checks that the shards in `dirs` hold every run of one experiment exactly once, naming
/// any missing, duplicated or altered, and writes the files an unsharded sweep would have
/// written.
pub fn merge(dirs: &[PathBuf], out: Option<PathBuf>, force: bool) -> Result<SweepReport, Failure> {
    let mut shards: Vec<Shard> = Vec::new();
    let mut problems = Vec::new();
    for dir in dirs {
        let manifest_path = dir.join(MANIFEST);
        let manifest = std::fs::read(&manifest_path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok());
        let plan = manifest.as_ref().and_then(|m| serde_json::from_value::<Plan>(m["plan"].clone()).ok());
        let sha256 = manifest.as_ref().and_then(|m| m["sweep_sha256"].as_str().map(String::from));
        match (plan, sha256) {
            (Some(plan), Some(sha256)) if plan.shard.is_some() => shards.push(Shard { dir: dir.clone(), plan, sha256 }),
            (Some(plan), None) if plan.shard.is_some() => problems.push(format!(
                "{} has no checksum of its sweep.csv in manifest.json (written by an earlier plenary); run the shard again",
                dir.display()
            )),
            (Some(_), _) => problems.push(format!("{} holds a whole sweep, not a shard", dir.display())),
            (None, _) => problems.push(format!(
                "{} has no readable manifest.json: the shard did not finish, or this is not a shard's folder",
                dir.display()
            )),
        }
    }
    if let Some(first) = shards.first() {
        let key = |p: &Plan| {
            (
                p.experiment_sha256.clone(),
                p.scenario_sha256.clone(),
                p.actors_table_sha256.clone(),
                p.total_runs,
                p.shard.map(|s| s.1),
            )
        };
        for shard in &shards {
            if key(&shard.plan) != key(&first.plan) {
                problems.push(format!(
                    "{} comes from a different experiment, scenario or shard count than {}",
                    shard.dir.display(),
                    first.dir.display()
                ));
            }
        }
        let count = first.plan.shard.map_or(1, |s| s.1);
        for i in 0..count {
            let holders: Vec<String> = shards
                .iter()
                .filter(|s| s.plan.shard.map(|s| s.0) == Some(i))
                .map(|s| s.dir.display().to_string())
                .collect();
            match holders.len() {
                0 => problems.push(format!(
                    "shard {i} of {count} is missing: runs {} to {} are in none of the folders",
                    shard_start(first.plan.total_runs, i, count),
                    shard_start(first.plan.total_runs, i + 1, count).saturating_sub(1)
                )),
                1 => {}
                _ => {
                    problems.push(format!("shard {i} of {count} appears more than once: in {}", holders.join(" and ")))
                }
            }
        }
    } else if problems.is_empty() {
        problems.push("no shard folders given".into());
    }
    if !problems.is_empty() {
        return Err(Failure::Refused(format!("cannot merge; nothing was written:\n  - {}", problems.join("\n  - "))));
    }
    shards.sort_by_key(|s| s.plan.first_run);
    let first = &shards[0].plan;
    let experiment = file::load(Path::new(&first.experiment_path))?;
    if sha256_hex(experiment.text.as_bytes()) != first.experiment_sha256 {
        return Err(Failure::Refused(format!(
            "{} has changed since the shards ran; nothing was written.\n  hint: merge with the experiment file the shards were run from",
            first.experiment_path
        )));
    }
    let design = design::build(&experiment);
    let plan = plan(&experiment, &design, None);
    if plan.scenario_sha256 != first.scenario_sha256 || plan.actors_table_sha256 != first.actors_table_sha256 {
        return Err(Failure::Refused("the scenario has changed since the shards ran; nothing was written".into()));
    }

    let same_replaces = out.is_none();
    let folder = out.unwrap_or_else(|| Path::new("results").join(&experiment.id));
    if shards.iter().any(|s| s.dir == folder) {
        return Err(Failure::Refused(format!(
            "{} is one of the shards; nothing was written.\n  hint: merge into another folder with --out",
            folder.display()
        )));
    }
    let _lock = sweep_folder::open(&folder, &plan, false, force, same_replaces)?.lock;
    let partial = folder.join(SWEEP_PARTIAL);
    let mut out = BufWriter::new(create(&partial, &sweep_header(&design))?);
    let rows_per_run = experiment.scenario.forums.len() as u64;
    for shard in &shards {
        copy_runs(shard, rows_per_run, &mut out, &partial)?;
    }
    out.flush().map_err(|e| io("write", &partial, e))?;
    drop(out);
    let files = sweep_folder::finish(&experiment, &design, &plan, &folder, 1)?;
    Ok(SweepReport { folder, runs: 0..plan.total_runs, resumed_from: None, files })
}

/// Appends a shard's runs, checking that they are its runs in order and that its
/// sweep.csv is the one its manifest describes.
fn copy_runs(shard: &Shard, rows_per_run: u64, out: &mut impl Write, partial: &Path) -> Result<(), Failure> {
    let path = shard.dir.join(SWEEP);
    let mut reader = BufReader::new(File::open(&path).map_err(|e| io("read", &path, e))?);
    let mut hasher = Sha256::new();
    let mut expected = shard.plan.first_run;
    let mut rows = 0u64;
    let mut line = Vec::new();
    for n in 1.. {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(|e| io("read", &path, e))? == 0 {
            break;
        }
        hasher.update(&line);
        if n == 1 {
            continue;
        }
        let run: Option<u64> =
            line.split(|&b| b == b',').next().and_then(|r| std::str::from_utf8(r).ok()).and_then(|r| r.parse().ok());
        if run != Some(expected) || !line.ends_with(b"\n") {
            return Err(Failure::Refused(format!(
                "{} line {n}: run {} where run {expected} was expected; the shard is damaged: run it again",
                path.display(),
                run.map_or_else(|| "?".into(), |r| r.to_string())
            )));
        }
        rows += 1;
        if rows.is_multiple_of(rows_per_run) {
            expected += 1;
        }
        out.write_all(&line).map_err(|e| io("write", partial, e))?;
    }
    if expected != shard.plan.end_run || !rows.is_multiple_of(rows_per_run) {
        return Err(Failure::Refused(format!(
            "{} stops at run {expected}, before run {}; the shard is incomplete: run it again",
            path.display(),
            shard.plan.end_run
        )));
    }
    let sha256: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    if sha256 != shard.sha256 {
        return Err(Failure::Refused(format!(
            "{} is not the file its shard wrote: its SHA-256 differs from the one in {}; nothing was merged.\n  hint: run the shard again, or restore its sweep.csv",
            path.display(),
            shard.dir.join(MANIFEST).display()
        )));
    }
    Ok(())
}
