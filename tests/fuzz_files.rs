//! Property tests of the other readers, with the scenario reader's mutations
//! (tests/fuzz.rs): experiment files mutated from the shipped experiments, and decisions
//! logs mutated from a recorded session (tests/data/fuzz/). No input makes a reader
//! panic, and every problem points inside its file.
//!
//! The corpus is tests/data/fuzz/ and scenarios/sweeps/; an input that once broke a
//! reader is added to tests/data/fuzz/ and read back by `the_corpus_reads_without_panic`.
//! `scripts/fuzz.sh` runs these and tests/fuzz.rs for as long as asked, with fresh seeds.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use plenary::play::log::Log;
use proptest::prelude::*;

use crate::fuzz::{check_problems, config, mutate, mutation};

fn corpus(folder: &str, extension: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut found: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the corpus folder is readable")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).expect("UTF-8 corpus")))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no .{extension} in {folder}");
    found
}

/// The shipped experiments, their scenario path made absolute so that they can be read
/// from a temporary folder.
static EXPERIMENTS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/oewg-to-global-mechanism.toml");
    corpus("scenarios/sweeps", "toml")
        .into_iter()
        .map(|(name, text)| {
            (
                name,
                text.replace("\"../oewg-to-global-mechanism.toml\"", &format!("{:?}", scenario.display().to_string())),
            )
        })
        .collect()
});

static LOGS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| corpus("tests/data/fuzz", "toml"));

fn check_experiment(dir: &Path, text: &str) -> Result<(), TestCaseError> {
    let path: PathBuf = dir.join("experiment.toml");
    std::fs::write(&path, text).expect("the temporary folder is writable");
    if let Err(problems) = plenary::experiment::file::load(&path) {
        check_problems(&problems)?;
    }
    Ok(())
}

fn check_log(text: &str) -> Result<(), TestCaseError> {
    match Log::parse("decisions.toml", text) {
        // What parses writes back as a log that parses again.
        Ok(log) => prop_assert!(Log::parse("again.toml", &log.to_toml()).is_ok(), "a parsed log does not read back"),
        Err(problems) => check_problems(&problems)?,
    }
    Ok(())
}

#[test]
fn the_corpus_reads_without_panic() {
    let tmp = tempfile::tempdir().unwrap();
    for (_, text) in EXPERIMENTS.iter() {
        check_experiment(tmp.path(), text).unwrap();
    }
    for (_, text) in LOGS.iter() {
        check_log(text).unwrap();
    }
    let (name, text) = &LOGS[0];
    assert!(Log::parse(name, text).is_ok(), "{name}, the recorded session, is a valid log");
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn mutated_experiment_files_never_panic(
        which in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let (_, text) = &EXPERIMENTS[which.index(EXPERIMENTS.len())];
        let tmp = tempfile::tempdir().unwrap();
        check_experiment(tmp.path(), &mutate(text, &mutations))?;
    }

    #[test]
    fn mutated_decisions_logs_never_panic(
        which in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let (_, text) = &LOGS[which.index(LOGS.len())];
        check_log(&mutate(text, &mutations))?;
    }

    #[test]
    fn arbitrary_text_as_a_log_never_panics(text in "(\\PC|\n){0,400}") {
        check_log(&text)?;
    }
}
