//! Every scenario shipped in scenarios/ validates and runs, and the default scenario is
//! the one built into the binary.

use std::fs;

use plenary::commands::{RunArgs, run};

use crate::common::scenarios_dir;

fn shipped() -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![scenarios_dir()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // Experiment files, tested in `sweeps`.
                if path.file_name().is_some_and(|n| n != "sweeps") {
                    folders.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_validates_and_runs() {
    let files = shipped();
    assert!(files.len() >= 3, "{files:?}");
    for path in files {
        let loaded = plenary::scenario::load(&path).unwrap_or_else(|p| panic!("{} is invalid:\n{p}", path.display()));
        let tmp = tempfile::tempdir().unwrap();
        let report = run(&RunArgs {
            scenario: Some(path.clone()),
            replicates: Some(20),
            threads: Some(2),
            out: Some(tmp.path().join("out")),
            trace: true,
            ..RunArgs::default()
        })
        .unwrap_or_else(|_| panic!("{} did not run", path.display()));
        let runs = fs::read_to_string(report.folder.join("runs.csv")).unwrap();
        assert_eq!(runs.lines().count(), 1 + 20 * loaded.scenario.forums.len(), "{}", path.display());
    }
}

#[test]
fn the_embedded_default_is_the_shipped_default_scenario() {
    let embedded = plenary::scenario::load_default();
    let on_disk = fs::read_to_string(scenarios_dir().join("oewg-to-global-mechanism.toml")).unwrap();
    assert_eq!(embedded.text, on_disk);
    assert_eq!(embedded.scenario.actors.iter().filter(|a| a.kind == plenary::scenario::ActorKind::State).count(), 193);
    assert!(embedded.scenario.issues.len() >= 8);
}
