//! What a results folder holds, told from its file names alone, the same way for every
//! command: nothing, a run's or a session's results (complete only with manifest.json,
//! which is committed last), a sweep's (finished only with manifest.json; interrupted
//! while its plan or partial runs remain), or files plenary did not write.

use std::fs;
use std::path::{Path, PathBuf};

use super::durable::{io_failure, is_temporary};
use super::lock::LOCK_FILE;
use crate::Failure;

pub const MANIFEST: &str = "manifest.json";
pub const README: &str = "README.md";
pub const SWEEP_PLAN: &str = ".sweep-plan.json";
pub const SWEEP_PARTIAL: &str = ".sweep.csv.partial";

/// Every file a run or a tabletop session may write; `--force` replaces these and nothing
/// else. (report.html is written later by `plenary report`; a forced run removes it
/// because it would describe the results replaced.)
pub const OUTPUT_FILES: [&str; 17] = [
    "runs.csv",
    "outcomes.csv",
    "actors.csv",
    "rounds.csv",
    "injects.csv",
    "exchanges.csv",
    "trajectories.csv",
    "decisions.toml",
    "decisions.live.toml",
    "summary.csv",
    "blocs.csv",
    "positions.csv",
    "narrative.md",
    README,
    MANIFEST,
    "report.html",
    "room-tokens.json",
];

/// The files only a sweep writes: any of them makes a folder a sweep's.
pub const SWEEP_MARKERS: [&str; 5] = [SWEEP_PLAN, SWEEP_PARTIAL, "sweep.csv", "points.csv", "sensitivity.csv"];

#[derive(Debug, PartialEq)]
pub enum Holds {
    Nothing,
    /// A run's or a session's files; `complete` once manifest.json is in place.
    Results {
        complete: bool,
        files: Vec<String>,
    },
    /// A sweep's or a merge's files; `finished` once manifest.json is in place.
    Sweep {
        finished: bool,
    },
    /// Files plenary did not write (and perhaps some it did).
    Other(Vec<String>),
}

pub struct Contents {
    pub holds: Holds,
    /// Temporary files of writers that are no longer writing, when the lock is held.
    pub temporaries: Vec<PathBuf>,
}

pub fn inspect(dir: &Path) -> Result<Contents, Failure> {
    let mut names = Vec::new();
    let mut temporaries = Vec::new();
    if dir.is_dir() {
        for entry in fs::read_dir(dir).map_err(|e| io_failure("read", dir, e))? {
            let entry = entry.map_err(|e| io_failure("read", dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // Subfolders are not results (a sweep's folder holds its shards' folders).
            if name == LOCK_FILE || entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            if is_temporary(&name) {
                temporaries.push(entry.path());
            } else {
                names.push(name);
            }
        }
    }
    names.sort();
    let has = |name: &str| names.iter().any(|n| n == name);
    let holds = if names.is_empty() {
        Holds::Nothing
    } else if SWEEP_MARKERS.iter().any(|m| has(m)) {
        Holds::Sweep { finished: has(MANIFEST) }
    } else if names.iter().all(|n| OUTPUT_FILES.contains(&n.as_str())) {
        Holds::Results { complete: has(MANIFEST), files: names }
    } else {
        Holds::Other(names)
    };
    Ok(Contents { holds, temporaries })
}
