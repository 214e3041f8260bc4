//! The one way plenary reads an input file (scenario, actors table, experiment, decisions
//! log, moves, import, backtest data): only a regular file, refused before anything is
//! allocated when it is larger than the limit of its kind, and never read past that limit
//! even if it grows while being read.
//!
//! A device (`/dev/zero` says it holds 0 bytes and never ends), a FIFO (opening one waits
//! for a writer, perhaps forever), a socket or a folder is refused from its metadata,
//! before it is opened. A sparse file is refused by its apparent size, which is what
//! reading it would allocate.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Why a file was not read, with the message and the hint to show.
#[derive(Debug)]
pub struct Refusal {
    pub message: String,
    pub help: String,
    /// The file could not be read (missing, no permission): an I/O failure, exit 1. Otherwise
    /// it was refused for what it is (exit 2).
    pub io: bool,
}

fn refusal(message: String, help: impl Into<String>) -> Refusal {
    Refusal { message, help: help.into(), io: false }
}

fn io_error(message: String, help: impl Into<String>) -> Refusal {
    Refusal { message, help: help.into(), io: true }
}

impl From<Refusal> for crate::Failure {
    fn from(refused: Refusal) -> Self {
        let text = format!("{}\n  hint: {}", refused.message, refused.help);
        if refused.io { crate::Failure::Io(text) } else { crate::Failure::Refused(text) }
    }
}

/// A size as a person reads it: 64 MiB, 3.0 GiB, 812 bytes.
pub fn show_bytes(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= MIB && b.is_multiple_of(MIB) => format!("{} MiB", b / MIB),
        b if b >= MIB => format!("{:.1} MiB", b as f64 / MIB as f64),
        b => format!("{b} bytes"),
    }
}

/// The bytes of `path`, if it is a regular file of at most `limit` bytes. `what` names the
/// kind of file for the messages ("scenario file", "decisions log", ...).
pub fn read_bytes(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, Refusal> {
    let name = path.display();
    let metadata = std::fs::metadata(path)
        .map_err(|e| io_error(format!("cannot read {name}: {e}"), format!("check the path of the {what}")))?;
    let kind = metadata.file_type();
    if !kind.is_file() {
        let is = if kind.is_dir() { "a folder" } else { special_kind(&kind) };
        return Err(refusal(
            format!("{name} is {is}, not a file; nothing was read"),
            format!("give the path of the {what} itself"),
        ));
    }
    let size = metadata.len();
    if size > limit {
        return Err(too_large(path, Some(size), limit, what));
    }
    let file = File::open(path).map_err(|e| {
        io_error(format!("cannot read {name}: {e}"), format!("check that the {what} can be read (its permissions)"))
    })?;
    // Allocated for what the metadata says, read up to one byte past the limit: a file
    // that grew meanwhile is refused, not followed.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(format!("cannot read {name}: {e}"), format!("check the {what}")))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, None, limit, what));
    }
    Ok(bytes)
}

/// As [`read_bytes`], as UTF-8 text (a byte-order mark is kept for the readers to skip).
pub fn read_text(path: &Path, limit: u64, what: &str) -> Result<String, Refusal> {
    let bytes = read_bytes(path, limit, what)?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        refusal(
            format!("{} is not UTF-8 text: line {line} has an invalid byte (at byte {offset})", path.display()),
            "save the file as UTF-8",
        )
    })
}

fn too_large(path: &Path, size: Option<u64>, limit: u64, what: &str) -> Refusal {
    let size = size.map_or_else(|| "grew past the limit while being read".into(), |s| format!("is {}", show_bytes(s)));
    refusal(
        format!(
            "{} {size}, more than the {} plenary reads as a {what}; nothing was read",
            path.display(),
            show_bytes(limit)
        ),
        format!("check that this is the right file; a {what} this large is not one plenary can use"),
    )
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO (a named pipe)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "not a regular file"
}
