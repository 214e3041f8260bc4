//! The results folder of a run or a tabletop session: locked against a second writer,
//! refused if it already holds results (unless forced) or another command's, and
//! committed as a set so that no moment of an interruption leaves a folder that looks
//! finished but is not, or mixes two runs.
//!
//! Each file is written under a temporary name unique to this writer. `commit` makes them
//! durable (fsync), takes the old manifest away first (from then on the folder reads as
//! incomplete), renames the new files into place, removes the old ones they do not
//! replace, and puts the manifest last: its presence marks a complete folder.
//! Failpoints `commit:synced`, `commit:old-manifest-removed`, `commit:renamed` (once per
//! file), `commit:before-manifest` and `commit:done` mark the steps for the tests.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::contents::{Holds, MANIFEST, OUTPUT_FILES, inspect};
use super::durable::{io_failure, remove, rename, sync_dir, sync_file, temporary_name};
use super::lock::FolderLock;
use crate::Failure;
use crate::failpoint;

pub struct OutputFolder {
    dir: PathBuf,
    /// (temporary path, final name), in the order created.
    pending: Vec<(PathBuf, String)>,
    /// Output files of earlier results found when the folder was prepared with `--force`:
    /// those the new files do not replace are removed at the commit. Files a session
    /// writes meanwhile (its live log, a room's tokens) are not among them.
    replaced: Vec<String>,
    committed: bool,
    _lock: FolderLock,
}

/// The command as typed, for the lock file: a second writer is told who holds it.
pub fn command_line() -> String {
    let args: Vec<String> = std::env::args().collect();
    let mut line = args.join(" ");
    line.truncate(line.floor_char_boundary(300));
    line
}

impl OutputFolder {
    pub fn prepare(dir: &Path, force: bool) -> Result<Self, Failure> {
        if dir.exists() && !dir.is_dir() {
            return Err(Failure::Refused(format!(
                "{} exists and is not a folder; choose another place with --out",
                dir.display()
            )));
        }
        fs::create_dir_all(dir).map_err(|e| io_failure("create", dir, e))?;
        let lock = FolderLock::acquire(dir, &command_line())?;
        let contents = inspect(dir)?;
        match contents.holds {
            Holds::Nothing => {}
            Holds::Sweep { finished } => {
                return Err(Failure::Refused(format!(
                    "{} holds {} sweep; nothing was written, and --force does not replace another command's results.\n  hint: {}choose another folder with --out",
                    dir.display(),
                    if finished { "the results of a" } else { "an interrupted" },
                    if finished { "" } else { "finish it with `plenary sweep EXPERIMENT --resume --out DIR`, or " }
                )));
            }
            Holds::Results { complete: true, files } | Holds::Other(files) if !force => {
                return Err(Failure::Refused(format!(
                    "{} already holds results ({}); nothing was written.\n  hint: pass --force to replace them, or --out DIR to write elsewhere",
                    dir.display(),
                    files.join(", ")
                )));
            }
            Holds::Results { complete: false, files } if !force => {
                return Err(Failure::Refused(format!(
                    "{} holds results without manifest.json ({}): a run interrupted while writing, or a tabletop session that was stopped; nothing was written.\n  hint: pass --force to replace them, or --out DIR to write elsewhere",
                    dir.display(),
                    files.join(", ")
                )));
            }
            _ => {}
        }
        // The lock is held: these writers are gone.
        for path in &contents.temporaries {
            remove(path)?;
        }
        let replaced = OUTPUT_FILES.iter().filter(|name| dir.join(name).exists()).map(|n| n.to_string()).collect();
        Ok(OutputFolder { dir: dir.to_path_buf(), pending: Vec::new(), replaced, committed: false, _lock: lock })
    }

    /// The folder of a stopped session taken up again (`plenary room --resume`), locked: its
    /// files stay until the session's new ones replace them.
    pub fn reopen(dir: &Path) -> Result<Self, Failure> {
        if !dir.is_dir() {
            return Err(Failure::Refused(format!("{} is not a folder of a session", dir.display())));
        }
        let lock = FolderLock::acquire(dir, &command_line())?;
        Ok(OutputFolder {
            dir: dir.to_path_buf(),
            pending: Vec::new(),
            replaced: Vec::new(),
            committed: false,
            _lock: lock,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A writer for `name`, under a temporary name until `commit`.
    pub fn create(&mut self, name: &str) -> Result<BufWriter<File>, Failure> {
        let temporary = self.dir.join(temporary_name(name));
        let file = File::create(&temporary).map_err(|e| io_failure("create", &self.dir.join(name), e))?;
        self.pending.push((temporary, name.to_string()));
        Ok(BufWriter::with_capacity(1 << 16, file))
    }

    /// Writes a whole text file, under a temporary name until `commit`.
    pub fn write_text(&mut self, name: &str, text: &str) -> Result<(), Failure> {
        let mut file = self.create(name)?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.flush())
            .map_err(|e| io_failure("write", &self.dir.join(name), e))
    }

    /// Gives every file its final name, the manifest last; returns the names in the order
    /// they were created, the manifest where it was created.
    pub fn commit(mut self) -> Result<Vec<String>, Failure> {
        let pending = self.pending.clone();
        for (temporary, _) in &pending {
            sync_file(temporary)?;
        }
        failpoint::hit("commit:synced");
        let old_manifest = self.dir.join(MANIFEST);
        if old_manifest.exists() {
            remove(&old_manifest)?;
            sync_dir(&self.dir)?;
        }
        failpoint::hit("commit:old-manifest-removed");
        let mut manifest = None;
        for (temporary, name) in &pending {
            if name == MANIFEST {
                manifest = Some(temporary);
                continue;
            }
            rename(temporary, &self.dir.join(name))?;
            failpoint::hit("commit:renamed");
        }
        // A forced run's old files that these results do not replace would describe the
        // old results beside the new. Only now, once the new files are in place.
        for name in &self.replaced {
            if !pending.iter().any(|(_, n)| n == name) {
                remove(&self.dir.join(name))?;
            }
        }
        sync_dir(&self.dir)?;
        failpoint::hit("commit:before-manifest");
        if let Some(temporary) = manifest {
            rename(temporary, &old_manifest)?;
            sync_dir(&self.dir)?;
        }
        self.committed = true;
        failpoint::hit("commit:done");
        Ok(pending.into_iter().map(|(_, name)| name).collect())
    }
}

impl Drop for OutputFolder {
    /// A folder given up (a full disk, a refused request after preparing) leaves no
    /// temporary files behind.
    fn drop(&mut self) {
        if !self.committed {
            for (temporary, _) in &self.pending {
                let _ = fs::remove_file(temporary);
            }
        }
    }
}
