//! Where a run without `--out` writes: `results/<scenario id>/`, so that the README's
//! first command works every time without destroying earlier results.
//!
//! A folder that holds nothing is used. One that holds the complete results of this very
//! run (same program version, scenario and actors table checksums, seed, replicates and
//! files) is replaced: the run is a pure function of those, so the new files are the old
//! bytes and nothing is lost. Otherwise the next free numbered folder is taken
//! (`results/<id>-2/`, `-3/`, ...), and the old results stay where they are.

use std::path::{Path, PathBuf};

use super::contents::{Holds, MANIFEST, inspect};
use super::manifest::sha256_hex;
use crate::Failure;
use crate::scenario::Scenario;

/// What `run` was asked to do, as its manifest records it.
pub struct RunIdentity<'a> {
    pub scenario: &'a Scenario,
    pub text: &'a str,
    pub seed: u64,
    pub replicates: u64,
    pub files: &'a [String],
}

/// The folder to write and whether it is replaced, with a line saying why when it is not
/// the plain default.
pub fn default_folder(identity: &RunIdentity) -> Result<(PathBuf, bool, Option<String>), Failure> {
    let base = Path::new("results").join(&identity.scenario.id);
    for n in 1u32..10_000 {
        let dir = if n == 1 { base.clone() } else { PathBuf::from(format!("{}-{n}", base.display())) };
        match inspect(&dir)?.holds {
            Holds::Nothing => {
                let note = (n > 1).then(|| {
                    format!(
                        "{} holds other results, kept; these went to {} (--out DIR chooses, --force replaces)",
                        base.display(),
                        dir.display()
                    )
                });
                return Ok((dir, false, note));
            }
            Holds::Results { complete: true, .. } if same_run(&dir, identity) => {
                let note = format!("{} held the results of this same run, replaced by the same bytes", dir.display());
                return Ok((dir, true, Some(note)));
            }
            _ => continue,
        }
    }
    Err(Failure::Refused(format!(
        "{base}-2 to {base}-9999 are all taken; nothing was run.\n  hint: choose a folder with --out",
        base = base.display()
    )))
}

fn same_run(dir: &Path, identity: &RunIdentity) -> bool {
    let Ok(bytes) = crate::input::read_bytes(&dir.join(MANIFEST), crate::scenario::limits::MAX_LOG_BYTES, "manifest")
    else {
        return false;
    };
    let Ok(manifest) = serde_json::from_slice::<serde_json::Value>(&bytes) else { return false };
    let table = identity.scenario.actors_table.as_ref().map(|(_, text)| sha256_hex(text.as_bytes()));
    manifest["version"] == env!("CARGO_PKG_VERSION")
        && manifest["scenario"]["sha256"] == sha256_hex(identity.text.as_bytes()).as_str()
        && manifest["scenario"]["actors_table"]["sha256"].as_str() == table.as_deref()
        && manifest["seed"] == identity.seed
        && manifest["replicates"] == identity.replicates
        && manifest["files"] == serde_json::json!(identity.files)
}
