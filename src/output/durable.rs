//! Writing files so that they survive a crash or a power cut in a known state: temporary
//! names unique to the writer, fsync of a file before it is renamed and of the folder
//! after, and the errors that name the file.

use std::fs::{self, File};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Failure;

pub fn io_failure(what: &str, path: &Path, error: impl std::fmt::Display) -> Failure {
    Failure::Io(format!("cannot {what} {}: {error}", path.display()))
}

/// A hidden name for `name` while it is written: the process id and a counter make it
/// unique to this writer, so two writers never write into one file even where a lock
/// is not honoured (some network file systems).
pub fn temporary_name(name: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(".{name}.{}-{}.tmp", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A writer's temporary file, this program's or an older version's (`.NAME.partial`),
/// other than the sweep's own `.sweep.csv.partial`, which holds the runs of an
/// interrupted sweep and is resumed, not thrown away.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && (name.ends_with(".tmp") || (name.ends_with(".partial") && name != ".sweep.csv.partial"))
}

/// Forces a written file's bytes to the disk.
pub fn sync_file(path: &Path) -> Result<(), Failure> {
    File::open(path).and_then(|f| f.sync_all()).map_err(|e| io_failure("write", path, e))
}

/// Forces a folder's entries (renames, removals) to the disk. Where folders cannot be
/// opened as files (Windows), renames are already durable when they return.
pub fn sync_dir(dir: &Path) -> Result<(), Failure> {
    #[cfg(unix)]
    {
        File::open(dir).and_then(|f| f.sync_all()).map_err(|e| io_failure("write", dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

pub fn rename(from: &Path, to: &Path) -> Result<(), Failure> {
    fs::rename(from, to).map_err(|e| io_failure("rename", from, e))
}

/// Removes `path` if it exists.
pub fn remove(path: &Path) -> Result<(), Failure> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_failure("remove", path, e)),
        _ => Ok(()),
    }
}
