//! A sweep's folder: locked against a second writer, told apart by what it holds (nothing,
//! an interrupted sweep, a finished one, another command's results), and committed so that
//! a kill at any moment leaves an interrupted sweep that `--resume` finishes.
//!
//! `.sweep-plan.json` is written, durably, before the first run: while it is there and
//! manifest.json is not, the sweep is interrupted. The runs go to `.sweep.csv.partial`;
//! at the end the summaries are written and renamed, then sweep.csv, then the manifest
//! (with sweep.csv's SHA-256, which `merge` checks), and the plan is removed last. A kill
//! after sweep.csv is renamed and before the manifest leaves every run on disk: `--resume`
//! takes sweep.csv back as its partial file and recomputes nothing. Failpoints:
//! `sweep:batch` (after each batch is on disk), `sweep:summaries-written`,
//! `sweep:summaries-renamed`, `sweep:before-manifest`, `sweep:manifest-written`.

use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::design::Design;
use super::file::{self, Experiment};
use super::sweep::Plan;
use crate::Failure;
use crate::failpoint;
use crate::output::contents::{Holds, MANIFEST, README, SWEEP_PARTIAL, SWEEP_PLAN, inspect};
use crate::output::durable::{io_failure as io, remove, rename, sync_dir, sync_file, temporary_name};
use crate::output::folder::command_line;
use crate::output::lock::FolderLock;
use crate::output::sweep::{summarise, write_points};

pub const SWEEP: &str = "sweep.csv";
/// Every file a sweep may leave; starting again removes these and nothing else, the
/// manifest first (report.html, from `plenary report`, because it would describe the
/// results replaced).
const SWEEP_FILES: [&str; 8] =
    [MANIFEST, SWEEP, SWEEP_PARTIAL, "points.csv", "summary.csv", "sensitivity.csv", SWEEP_PLAN, crate::report::REPORT];

/// A sweep's folder, locked, and what is to be done in it.
pub struct Opened {
    pub lock: FolderLock,
    /// An interrupted sweep of the plan is resumed.
    pub resuming: bool,
    /// The plan's sweep is finished already (asked to resume): its files, nothing to do.
    pub finished: Option<Vec<String>>,
}

/// Locks `folder` for a sweep or a merge and settles what it holds: an interrupted sweep
/// of `plan` is resumed; otherwise the folder is emptied of an earlier sweep (when
/// `force`, or when `same_replaces` and it is a finished sweep of this very plan, whose
/// bytes the new one repeats) and `plan` is written.
pub fn open(folder: &Path, plan: &Plan, resume: bool, force: bool, same_replaces: bool) -> Result<Opened, Failure> {
    let shown = folder.display();
    if folder.exists() && !folder.is_dir() {
        return Err(Failure::Refused(format!("{shown} exists and is not a folder; choose another place with --out")));
    }
    fs::create_dir_all(folder).map_err(|e| io("create", folder, e))?;
    let lock = FolderLock::acquire(folder, &command_line())?;
    let contents = inspect(folder)?;
    let resuming = match contents.holds {
        Holds::Nothing => false,
        Holds::Results { .. } => {
            return Err(Failure::Refused(format!(
                "{shown} holds the results of a run or a tabletop session; nothing was run, and --force does not replace another command's results.\n  hint: choose another folder with --out"
            )));
        }
        Holds::Other(files) if !force => {
            return Err(Failure::Refused(format!(
                "{shown} holds files plenary did not write ({}); nothing was run.\n  hint: choose another folder with --out, or pass --force to write beside them",
                files.join(", ")
            )));
        }
        Holds::Other(_) => false,
        Holds::Sweep { finished: true } if force => false,
        Holds::Sweep { finished: true } => match finished_files(folder, plan) {
            Some(files) if resume => return Ok(Opened { lock, resuming: false, finished: Some(files) }),
            Some(_) if same_replaces => false,
            _ if resume => {
                return Err(Failure::Refused(format!(
                    "{shown} holds a finished sweep of another experiment, scenario or shard; there is nothing to resume"
                )));
            }
            _ => {
                return Err(Failure::Refused(format!(
                    "{shown} already holds the results of a sweep; nothing was run.\n  hint: pass --force to replace them, or --out DIR to write elsewhere"
                )));
            }
        },
        Holds::Sweep { finished: false } if force => false,
        Holds::Sweep { finished: false } if !resume => {
            return Err(Failure::Refused(format!(
                "{shown} holds an interrupted sweep; nothing was run.\n  hint: pass --resume to finish it, or --force to start again"
            )));
        }
        Holds::Sweep { finished: false } => true,
    };
    // The lock is held: these writers are gone.
    for path in &contents.temporaries {
        remove(path)?;
    }
    if resuming {
        let written: Plan = read_plan(&folder.join(SWEEP_PLAN)).ok_or_else(|| {
            Failure::Refused(format!(
                "{shown} has no readable {SWEEP_PLAN}; cannot tell which sweep this was.\n  hint: pass --force to start again"
            ))
        })?;
        if written != *plan {
            return Err(Failure::Refused(format!(
                "the interrupted sweep in {shown} was started from a different experiment, scenario or shard; nothing was run.\n  hint: pass --force to start again with this one"
            )));
        }
        // Killed while committing, after sweep.csv took its name: every run is there.
        let partial = folder.join(SWEEP_PARTIAL);
        if !partial.exists() && folder.join(SWEEP).exists() {
            rename(&folder.join(SWEEP), &partial)?;
            sync_dir(folder)?;
        }
    } else {
        for name in SWEEP_FILES {
            remove(&folder.join(name))?;
        }
        sync_dir(folder)?;
        let text = serde_json::to_vec_pretty(plan).expect("a plan serialises");
        write_durably(folder, SWEEP_PLAN, &|out| {
            out.write_all(&text).map_err(|e| io("write", &folder.join(SWEEP_PLAN), e))
        })?;
    }
    Ok(Opened { lock, resuming, finished: None })
}

/// The files of the finished sweep in `folder`, if it is a sweep of `plan` by this version.
fn finished_files(folder: &Path, plan: &Plan) -> Option<Vec<String>> {
    let bytes =
        crate::input::read_bytes(&folder.join(MANIFEST), crate::scenario::limits::MAX_LOG_BYTES, "manifest").ok()?;
    let manifest: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let same = manifest["version"] == env!("CARGO_PKG_VERSION")
        && serde_json::from_value::<Plan>(manifest["plan"].clone()).ok().as_ref() == Some(plan);
    same.then(|| serde_json::from_value(manifest["files"].clone()).ok()).flatten()
}

pub fn read_plan(path: &Path) -> Option<Plan> {
    fs::read(path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok())
}

/// Writes `name` under a temporary name, forces it to disk and renames it into place.
fn write_durably(
    folder: &Path,
    name: &str,
    fill: &dyn Fn(&mut BufWriter<File>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let temporary = folder.join(temporary_name(name));
    write_temporary(&temporary, fill)?;
    rename(&temporary, &folder.join(name))?;
    sync_dir(folder)
}

fn write_temporary(path: &Path, fill: &dyn Fn(&mut BufWriter<File>) -> Result<(), Failure>) -> Result<(), Failure> {
    let mut out = BufWriter::new(File::create(path).map_err(|e| io("create", path, e))?);
    let filled = fill(&mut out).and_then(|()| out.flush().map_err(|e| io("write", path, e)));
    drop(out);
    match filled.and_then(|()| sync_file(path)) {
        Ok(()) => Ok(()),
        Err(failure) => {
            let _ = fs::remove_file(path);
            Err(failure)
        }
    }
}

/// The SHA-256 of a file, read in pieces.
pub fn file_sha256(path: &Path) -> Result<String, Failure> {
    let mut file = File::open(path).map_err(|e| io("read", path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer).map_err(|e| io("read", path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Commits a sweep whose runs are all in `.sweep.csv.partial`: a shard keeps its
/// sweep.csv and manifest for `merge`; a whole sweep also gets points.csv and its summaries.
pub fn finish(
    experiment: &Experiment,
    design: &Design,
    plan: &Plan,
    folder: &Path,
    threads: usize,
) -> Result<Vec<String>, Failure> {
    let partial = folder.join(SWEEP_PARTIAL);
    sync_file(&partial)?;
    let mut files = vec![SWEEP.to_string()];
    // (temporary, final name), renamed together once all are on disk.
    let mut written = Vec::new();
    // A shard leaves points.csv and the summaries to the merge: a large design's points
    // would otherwise be written once per shard.
    if plan.shard.is_none() {
        let points = folder.join(temporary_name("points.csv"));
        write_temporary(&points, &|out| write_points(design, out))?;
        written.push((points.clone(), "points.csv"));
        let sobol = matches!(experiment.design, file::DesignKind::Sobol { .. });
        let summary = folder.join(temporary_name("summary.csv"));
        let sensitivity = folder.join(temporary_name("sensitivity.csv"));
        let create = |path: &Path| File::create(path).map(BufWriter::new).map_err(|e| io("create", path, e));
        let summarised = create(&summary).and_then(|summary_out| {
            let sensitivity_out = if sobol { Some(create(&sensitivity)?) } else { None };
            summarise(experiment, design, &partial, summary_out, sensitivity_out)
        });
        if let Err(failure) = summarised {
            for path in [&points, &summary, &sensitivity] {
                let _ = fs::remove_file(path);
            }
            return Err(failure);
        }
        sync_file(&summary)?;
        written.push((summary, "summary.csv"));
        if sobol {
            sync_file(&sensitivity)?;
            written.push((sensitivity, "sensitivity.csv"));
        }
        files.extend(written.iter().map(|(_, name)| name.to_string()));
    }
    let what = format!(
        "{} of experiment {} ({}): {} runs, seed {}",
        plan.shard.map_or_else(|| "A sweep".to_string(), |(i, n)| format!("Shard {i} of {n}")),
        experiment.id,
        experiment.source.display(),
        plan.end_run - plan.first_run,
        experiment.seed
    );
    files.push(README.into());
    let mut listed = files.clone();
    listed.push(MANIFEST.into());
    let text = crate::output::readme::readme(&experiment.id, &what, &listed);
    let readme = folder.join(temporary_name(README));
    write_temporary(&readme, &|out| out.write_all(text.as_bytes()).map_err(|e| io("write", &folder.join(README), e)))?;
    written.push((readme, README));
    failpoint::hit("sweep:summaries-written");
    for (temporary, name) in &written {
        rename(temporary, &folder.join(name))?;
    }
    failpoint::hit("sweep:summaries-renamed");
    rename(&partial, &folder.join(SWEEP))?;
    sync_dir(folder)?;
    failpoint::hit("sweep:before-manifest");
    files.push(MANIFEST.into());
    let manifest = serde_json::json!({
        "program": "plenary",
        "version": env!("CARGO_PKG_VERSION"),
        "plan": plan,
        "seed": experiment.seed,
        "design": experiment.design.name(),
        "parameters": design.knobs.iter().map(|k| &k.path).collect::<Vec<_>>(),
        "model_parameters": &experiment.scenario.parameters,
        "threads": threads,
        "command_line": std::env::args().collect::<Vec<_>>(),
        "files": &files,
        "sweep_sha256": file_sha256(&folder.join(SWEEP))?,
    });
    write_durably(folder, MANIFEST, &|out| {
        serde_json::to_writer_pretty(&mut *out, &manifest).map_err(|e| Failure::Io(e.to_string()))?;
        out.write_all(b"\n").map_err(|e| Failure::Io(e.to_string()))
    })?;
    failpoint::hit("sweep:manifest-written");
    remove(&folder.join(SWEEP_PLAN))?;
    sync_dir(folder)?;
    Ok(files)
}
