//! The results folder: refused if it already holds results (unless forced), and written
//! so that an interrupted run never leaves a file that looks finished. Each file is
//! written under a hidden `.partial` name and renamed once everything is complete; the
//! manifest is renamed last, so its presence marks a finished run.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::Failure;

/// Every file a run may write; `--force` removes these and nothing else.
/// (report.html is written later by `plenary report`; a forced run removes it because it
/// would describe the results replaced.)
pub const OUTPUT_FILES: [&str; 16] = [
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
    "manifest.json",
    "report.html",
    "room-tokens.json",
];
const PARTIAL: &str = ".partial";

pub struct OutputFolder {
    dir: PathBuf,
    pending: Vec<(PathBuf, PathBuf)>,
}

fn io_failure(what: &str, path: &Path, error: io::Error) -> Failure {
    Failure::Io(format!("cannot {what} {}: {error}", path.display()))
}

impl OutputFolder {
    pub fn prepare(dir: &Path, force: bool) -> Result<Self, Failure> {
        if dir.exists() {
            if !dir.is_dir() {
                return Err(Failure::Refused(format!(
                    "{} exists and is not a folder; choose another place with --out",
                    dir.display()
                )));
            }
            let mut held = Vec::new();
            for entry in fs::read_dir(dir).map_err(|e| io_failure("read", dir, e))? {
                let entry = entry.map_err(|e| io_failure("read", dir, e))?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') && name.ends_with(PARTIAL) {
                    // Left by an interrupted run: never finished, safe to remove.
                    fs::remove_file(entry.path()).map_err(|e| io_failure("remove", &entry.path(), e))?;
                } else {
                    held.push(name);
                }
            }
            if !held.is_empty() && !force {
                held.sort();
                return Err(Failure::Refused(format!(
                    "{} already holds results ({}); nothing was written.\n  hint: pass --force to replace them, or --out DIR to write elsewhere",
                    dir.display(),
                    held.join(", ")
                )));
            }
            if force {
                for name in OUTPUT_FILES {
                    let path = dir.join(name);
                    if path.exists() {
                        fs::remove_file(&path).map_err(|e| io_failure("remove", &path, e))?;
                    }
                }
            }
        }
        fs::create_dir_all(dir).map_err(|e| io_failure("create", dir, e))?;
        Ok(OutputFolder { dir: dir.to_path_buf(), pending: Vec::new() })
    }

    /// The folder of a stopped session taken up again (`plenary room --resume`): its files
    /// stay until the session's new ones replace them.
    pub fn reopen(dir: &Path) -> Result<Self, Failure> {
        if !dir.is_dir() {
            return Err(Failure::Refused(format!("{} is not a folder of a session", dir.display())));
        }
        Ok(OutputFolder { dir: dir.to_path_buf(), pending: Vec::new() })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A writer for `name`, under its partial name until `commit`.
    pub fn create(&mut self, name: &str) -> Result<BufWriter<File>, Failure> {
        let partial = self.dir.join(format!(".{name}{PARTIAL}"));
        let file = File::create(&partial).map_err(|e| io_failure("create", &partial, e))?;
        self.pending.push((partial, self.dir.join(name)));
        Ok(BufWriter::with_capacity(1 << 16, file))
    }

    /// Writes a whole text file, under its partial name until `commit`.
    pub fn write_text(&mut self, name: &str, text: &str) -> Result<(), Failure> {
        let mut file = self.create(name)?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.flush())
            .map_err(|e| Failure::Io(format!("cannot write {name}: {e}")))
    }

    /// Gives every file its final name, in the order they were created.
    pub fn commit(self) -> Result<Vec<String>, Failure> {
        let mut names = Vec::new();
        for (partial, complete) in self.pending {
            fs::rename(&partial, &complete).map_err(|e| io_failure("rename", &partial, e))?;
            names.push(complete.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        }
        Ok(names)
    }
}
