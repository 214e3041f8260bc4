//! One writer per results folder: every command that writes into a folder (`run`, `play`,
//! `sweep`, `merge`, `report`) first takes an exclusive lock on its `.plenary.lock`, and a
//! second writer is refused with the first one's process and command named.
//!
//! The lock is the operating system's (`File::try_lock`: flock on Unix, LockFileEx on
//! Windows), not the file's existence: the system releases it when its process ends,
//! however it ends, so a lock file left by a killed process is stale by construction and
//! the next writer simply takes it. The file is never removed: removing a lock file lets
//! two writers lock two different files of the same name.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::Failure;

pub const LOCK_FILE: &str = ".plenary.lock";

/// Held while a command writes into a folder; released when dropped or when the process ends.
#[derive(Debug)]
pub struct FolderLock {
    file: File,
    /// The holder named in the lock file when it was taken: one killed while writing.
    pub stale: Option<String>,
}

impl FolderLock {
    /// Takes the lock of `dir`, which must exist. `command` names the writer for the
    /// message a second writer gets.
    pub fn acquire(dir: &Path, command: &str) -> Result<FolderLock, Failure> {
        let path = dir.join(LOCK_FILE);
        let io = |what: &str, e: std::io::Error| Failure::Io(format!("cannot {what} {}: {e}", path.display()));
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| io("create", e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(Failure::Refused(format!(
                    "{} is being written by another plenary ({}); nothing was written.\n  hint: wait until it has finished, or choose another folder with --out",
                    dir.display(),
                    holder(&mut file).unwrap_or_else(|| "a process that has not yet said which".into())
                )));
            }
            Err(TryLockError::Error(e)) => return Err(io("lock", e)),
        }
        let stale = holder(&mut file);
        let me = format!("process {}: {command}", std::process::id());
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(me.as_bytes()))
            .map_err(|e| io("write", e))?;
        Ok(FolderLock { file, stale })
    }
}

fn holder(file: &mut File) -> Option<String> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.take(4096).read_to_string(&mut text).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

impl Drop for FolderLock {
    /// An empty lock file is one released in good order; one that still names its holder
    /// was left by a process that was killed.
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
    }
}
