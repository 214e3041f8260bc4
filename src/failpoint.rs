//! Failpoints: named steps where a test can make the process stop as `kill -9` would, or
//! wait at a rendezvous, so that what an interruption leaves behind is tested step by step
//! instead of by racing a timer.
//!
//! Set `PLENARY_FAILPOINT` to `STEP`, `STEP@N` (the Nth time the step is reached),
//! `STEP=wait:PATH` (create `PATH.reached`, then wait until `PATH` exists) or, at a step
//! that writes, `STEP=error` (the write fails as on a full disk). `exit` ends
//! the process at once with code 86: no destructor runs and no buffer is flushed, as after
//! a kill. Unset, a failpoint costs one comparison. The steps are named where they are hit
//! (`output::folder`, `experiment::sweep`); docs/outputs.md lists them.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The exit code of a process stopped at a failpoint.
pub const EXIT_CODE: i32 = 86;

struct Armed {
    step: String,
    nth: u64,
    wait: Option<std::path::PathBuf>,
    /// `=error`: `write` fails instead of the process stopping.
    error: bool,
    hits: AtomicU64,
}

fn armed() -> Option<&'static Armed> {
    static ARMED: OnceLock<Option<Armed>> = OnceLock::new();
    ARMED
        .get_or_init(|| {
            let spec = std::env::var("PLENARY_FAILPOINT").ok()?;
            let (spec, error) = match spec.strip_suffix("=error") {
                Some(step) => (step.to_string(), true),
                None => (spec, false),
            };
            let (step, wait) = match spec.split_once("=wait:") {
                Some((step, path)) => (step, Some(path.into())),
                None => (spec.as_str(), None),
            };
            let (step, nth) = match step.split_once('@') {
                Some((step, n)) => (step, n.parse().unwrap_or(1)),
                None => (step, 1),
            };
            Some(Armed { step: step.to_string(), nth, wait, error, hits: AtomicU64::new(0) })
        })
        .as_ref()
}

fn reached(step: &str) -> Option<&'static Armed> {
    let armed = armed()?;
    (armed.step == step && armed.hits.fetch_add(1, Ordering::SeqCst) + 1 == armed.nth).then_some(armed)
}

/// Marks a step that writes: fails it as a full disk would if a test armed it `=error`.
pub fn write(step: &str) -> std::io::Result<()> {
    match reached(step) {
        Some(armed) if armed.error => {
            Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "No space left on device (failpoint)"))
        }
        Some(_) => {
            std::process::exit(EXIT_CODE);
        }
        None => Ok(()),
    }
}

/// Marks a step; stops or waits there if a test armed it.
pub fn hit(step: &str) {
    let Some(armed) = reached(step) else { return };
    match &armed.wait {
        None => std::process::exit(EXIT_CODE),
        Some(path) => {
            let mut reached = path.clone().into_os_string();
            reached.push(".reached");
            let _ = std::fs::write(&reached, std::process::id().to_string());
            // A test that never releases the rendezvous must not leave the process behind.
            for _ in 0..6000 {
                if path.exists() {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            std::process::exit(EXIT_CODE);
        }
    }
}
