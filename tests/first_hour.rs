//! The first hour of a new user: the README's first command works every time without
//! destroying earlier results, every results folder says in README.md what its files
//! hold, and the summary reads as a trainer would have it.

use std::fs;
use std::path::Path;
use std::process::Command;

use plenary::commands::{RunArgs, run};
use plenary::experiment::sweep::{SweepArgs, sweep};

use crate::common::scenarios_dir;

/// `plenary run` without --out, as the README has it, in `dir`.
fn run_in(dir: &Path, extra: &[&str]) -> String {
    let tutorial = scenarios_dir().join("tutorial.toml").display().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_plenary"))
        .args(["run", &tutorial, "--replicates", "20"])
        .args(extra)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("PLENARY_FAILPOINT")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn csv_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
        .filter(|(n, _)| n.ends_with(".csv"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_same_run_twice_replaces_its_own_results_and_another_run_keeps_them() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("results/tutorial");
    run_in(tmp.path(), &[]);
    let kept = csv_files(&first);
    let again = run_in(tmp.path(), &[]);
    assert!(again.contains("held the results of this same run"), "{again}");
    assert_eq!(csv_files(&first), kept);
    let other = run_in(tmp.path(), &["--seed", "99"]);
    assert!(other.contains("results/tutorial-2"), "{other}");
    assert_eq!(csv_files(&first), kept, "the first results are untouched");
    assert!(tmp.path().join("results/tutorial-2/manifest.json").exists());
    let third = run_in(tmp.path(), &["--seed", "100"]);
    assert!(third.contains("results/tutorial-3"), "{third}");
}

fn readme_lists_every_file(dir: &Path) {
    let readme = fs::read_to_string(dir.join("README.md")).unwrap();
    for entry in fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            assert!(readme.contains(&format!("| {name} |")), "{name} is not described in {}", dir.display());
        }
    }
}

#[test]
fn every_results_folder_has_a_readme_describing_each_of_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let args = RunArgs {
        scenario: Some(scenarios_dir().join("tutorial.toml")),
        replicates: Some(10),
        out: Some(out.clone()),
        trace: true,
        narrate: true,
        ..Default::default()
    };
    run(&args).unwrap();
    readme_lists_every_file(&out);
    let experiment = tmp.path().join("experiment.toml");
    fs::write(
        &experiment,
        format!(
            "[experiment]\nid = \"t\"\nscenario = \"{}\"\nseed = 3\nreplicates = 2\n\n[design]\nkind = \"sobol\"\nsamples = 4\nbootstrap = 10\n\n[[vary]]\npath = \"parameters.concession_rate\"\nrange = [0.05, 0.5]\n",
            scenarios_dir().join("tutorial.toml").display()
        ),
    )
    .unwrap();
    let swept = tmp.path().join("sweep");
    sweep(&SweepArgs { experiment, out: Some(swept.clone()), threads: Some(1), ..Default::default() }).unwrap();
    readme_lists_every_file(&swept);
    // The sweep's end says what it found, per forum.
    let found = plenary::output::sweep::findings(&swept).unwrap();
    assert!(found.contains("working-group: agreement from "), "{found}");
    assert!(found.contains("parameters.concession_rate"), "{found}");
}

#[test]
fn the_summary_names_objectors_groups_ties_and_says_what_to_try_next() {
    let tmp = tempfile::tempdir().unwrap();
    let args = RunArgs { replicates: Some(200), out: Some(tmp.path().join("d")), ..Default::default() };
    let summary = run(&args).unwrap().summary;
    let objecting: Vec<&str> = summary.lines().filter(|l| l.contains("still objecting")).collect();
    assert!(!objecting.is_empty(), "{summary}");
    for line in objecting {
        assert!(!line.contains(" 0%"), "no objector at 0%: {line}");
        assert!(line.contains(" ("), "names, not only codes: {line}");
    }
    assert!(
        summary.contains("% 8 of the 11 members of Group aligned with Russia and China: Belarus, Bolivia"),
        "a bloc's members together: {summary}"
    );
    assert!(summary.contains("Next: plenary report"), "{summary}");
    assert!(summary.contains("--narrate"), "{summary}");
}

#[test]
fn a_recorded_votes_summary_gives_the_predicted_tally() {
    let tmp = tempfile::tempdir().unwrap();
    let args = RunArgs {
        scenario: Some(scenarios_dir().join("unga-first-committee-2018.toml")),
        replicates: Some(3),
        out: Some(tmp.path().join("u")),
        ..Default::default()
    };
    let summary = run(&args).unwrap().summary;
    // L.27/Rev.1 was adopted 109-45-16 in the First Committee (GA/DIS/3619).
    assert!(summary.contains("last answers, mean per replicate: 109 accept, 45 object, 16 abstain"), "{summary}");
    assert!(summary.contains("observed, the recorded vote:      109 accept, 45 object, 16 abstain"), "{summary}");
    assert!(summary.contains("observed, the recorded vote:      139 accept, 11 object, ? abstain"), "{summary}");
    assert!(summary.contains("majority (more than 0.5 of votes cast), 1 round)"), "no `1 rounds`: {summary}");
}

/// The ```text block after `marker` in a document, lines without trailing spaces.
fn documented_output(document: &str, marker: &str) -> String {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(document)).unwrap();
    let after = &text[text.find(marker).unwrap_or_else(|| panic!("{document} has `{marker}`"))..];
    let start = after.find("```text\n").unwrap() + "```text\n".len();
    let end = start + after[start..].find("```\n").unwrap();
    after[start..end].to_string()
}

/// What `plenary validate FILE` prints in `dir`, as the documents show it.
fn validate_output(dir: &Path, file: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_plenary"))
        .args(["validate", file])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8(out.stderr).unwrap().lines().map(|l| format!("{}\n", l.trim_end())).collect()
}

#[test]
fn the_documented_error_examples_are_what_plenary_prints() {
    let tmp = tempfile::tempdir().unwrap();
    // The README: the tutorial copied, France's bloc misspelt on line 62.
    let tutorial = fs::read_to_string(scenarios_dir().join("tutorial.toml")).unwrap();
    let mut lines: Vec<&str> = tutorial.lines().collect();
    assert_eq!(lines[61], "blocs = [\"western\"]", "line 62 of the tutorial is France's blocs");
    lines[61] = "blocs = [\"westrn\"]";
    fs::write(tmp.path().join("my-scenario.toml"), lines.join("\n") + "\n").unwrap();
    assert_eq!(
        validate_output(tmp.path(), "my-scenario.toml"),
        documented_output("README.md", "Mistakes are reported like this")
    );
    // docs/scenario-format.md: typo.toml as the document gives it.
    let doc = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scenario-format.md")).unwrap();
    let report = doc.find("the report reads:").unwrap();
    let start = doc[..report].rfind("```toml\n").unwrap() + "```toml\n".len();
    let end = start + doc[start..].find("```\n").unwrap();
    fs::write(tmp.path().join("typo.toml"), &doc[start..end]).unwrap();
    assert_eq!(
        validate_output(tmp.path(), "typo.toml"),
        documented_output("docs/scenario-format.md", "the report reads:")
    );
}

#[test]
fn an_observed_tally_is_checked_like_any_key() {
    let text = include_str!("data/invalid/base.toml")
        .replace("rounds = 6", "rounds = 6\nobserved = { accept = 1.5, agree = 1 }");
    let problems = crate::common::scenario(&text).err().map(|p| p.to_string()).unwrap_or_default();
    assert!(problems.contains("`accept` is 1.5, not a count of 0 to 2 voting members"), "{problems}");
    assert!(problems.contains("unknown key `agree` in `observed`"), "{problems}");
}
