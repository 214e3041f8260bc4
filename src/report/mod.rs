//! `plenary report DIR`: one self-contained report.html for a results folder, to show on a
//! projector in a debrief or print. It reads only the folder (never the clock, never the
//! network), so the same folder gives the same bytes. Fonts are embedded, charts are
//! inline SVG, and nothing on the page is fetched from elsewhere.
//!
//! A run folder gives: agreement per forum, the draft's path round by round with the
//! injects (with `--trace`), actors' final positions against the outcome, and mean gain per
//! bloc. A sweep folder gives: agreement against each varied parameter and, for a Sobol
//! design, the sensitivity indices. A forecast model (docs/models.md) adopts nothing, so
//! its run folder shows the forecast per issue against the status quo instead of agreement,
//! and its sweep folder the mean gain against each parameter.

pub mod charts;
mod page;
mod read;
mod run;
mod sweep;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Failure;

pub const REPORT: &str = "report.html";

/// A folder whose writer was interrupted is named as such, not read as results.
fn refuse_incomplete(dir: &Path) -> Result<(), Failure> {
    use crate::output::contents::{Holds, inspect};
    let shown = dir.display();
    match inspect(dir)?.holds {
        Holds::Sweep { finished: false } => Err(Failure::Refused(format!(
            "{shown} holds an interrupted sweep, not its results; nothing was written.\n  hint: finish it with `plenary sweep EXPERIMENT --resume --out {shown}`"
        ))),
        Holds::Results { complete: false, files } => Err(Failure::Refused(format!(
            "{shown} holds results without manifest.json ({}): a run interrupted while writing, or a tabletop session that was stopped; nothing was written.\n  hint: run it again with --force; a stopped session goes on with `plenary play --replay {shown}/decisions.toml --out NEW_FOLDER`",
            files.join(", ")
        ))),
        _ => Ok(()),
    }
}

/// Writes DIR/report.html and returns its path. Refuses (exit 2) a folder that is not a
/// results folder, naming the file it lacks, and an existing report without `force`.
pub fn report(dir: &Path, force: bool) -> Result<PathBuf, Failure> {
    if !dir.is_dir() {
        return Err(Failure::Refused(format!(
            "{} is not a folder.\n  hint: give the results folder that `plenary run` or `plenary sweep` wrote, e.g. results/tutorial",
            dir.display()
        )));
    }
    // Read-only first, so that a folder that is not a results folder gets no lock file.
    // A folder without a manifest is not a results folder: refused before any lock file
    // is left in it.
    refuse_incomplete(dir)?;
    read::manifest(dir)?;
    let _lock = crate::output::lock::FolderLock::acquire(dir, &crate::output::folder::command_line())?;
    refuse_incomplete(dir)?;
    let target = dir.join(REPORT);
    if target.exists() && !force {
        return Err(Failure::Refused(format!(
            "{} already exists; nothing was written.\n  hint: pass --force to replace it",
            target.display()
        )));
    }
    let manifest = read::manifest(dir)?;
    let html = if dir.join("sweep.csv").exists() || dir.join("points.csv").exists() {
        sweep::page(dir, &manifest)?
    } else {
        run::page(dir, &manifest)?
    };
    // Written under a hidden name and renamed, so a report is never half-written.
    let partial = dir.join(format!(".{REPORT}.partial"));
    let io = |what: &str, path: &Path, e: std::io::Error| Failure::Io(format!("cannot {what} {}: {e}", path.display()));
    let mut file = fs::File::create(&partial).map_err(|e| io("create", &partial, e))?;
    file.write_all(html.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| io("write", &partial, e))?;
    drop(file);
    fs::rename(&partial, &target).map_err(|e| io("rename", &partial, e))?;
    Ok(target)
}
