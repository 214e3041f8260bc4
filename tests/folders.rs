//! Results folders that cannot be mixed or lost: one writer at a time, a kill at any step
//! of committing a folder leaves one that every command knows is incomplete (or the old
//! results untouched), a sweep's folder is not touched by `run`, a sweep killed while
//! committing resumes without recomputing, and merge checks each shard's checksum.
//! Interruptions are made with failpoints (PLENARY_FAILPOINT), never with timers.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use plenary::Failure;
use plenary::commands::{RunArgs, run};
use plenary::experiment::sweep::{SweepArgs, merge, sweep};

use crate::common::scenarios_dir;

/// plenary::failpoint::EXIT_CODE, written out so that these tests also build against a
/// plenary without failpoints, and fail there.
const STOPPED: i32 = 86;

fn plenary(args: &[&str], failpoint: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plenary"));
    command.args(args).env("NO_COLOR", "1").env_remove("PLENARY_FAILPOINT");
    if let Some(step) = failpoint {
        command.env("PLENARY_FAILPOINT", step);
    }
    command
}

fn output(args: &[&str], failpoint: Option<&str>) -> Output {
    plenary(args, failpoint).output().unwrap()
}

fn tutorial() -> String {
    scenarios_dir().join("tutorial.toml").display().to_string()
}

fn run_args(out: &Path, seed: u64) -> RunArgs {
    RunArgs {
        scenario: Some(scenarios_dir().join("tutorial.toml")),
        seed: Some(seed),
        replicates: Some(20),
        threads: Some(1),
        out: Some(out.to_path_buf()),
        ..RunArgs::default()
    }
}

fn refusal<T>(result: Result<T, Failure>) -> String {
    match result {
        Err(Failure::Refused(message)) => message,
        Err(other) => panic!("expected a refusal, got {other:?}"),
        Ok(_) => panic!("expected a refusal, the command succeeded"),
    }
}

/// The folder's files other than the manifest and the lock, by name, with their bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
        // The lock file names its holder; it is no result.
        .filter(|(name, _)| name != "manifest.json" && name != ".plenary.lock")
        .collect();
    found.sort();
    found
}

fn visible(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files(dir).into_iter().filter(|(name, _)| !name.starts_with('.')).collect()
}

fn manifest_seed(dir: &Path) -> Option<u64> {
    let bytes = fs::read(dir.join("manifest.json")).ok()?;
    serde_json::from_slice::<serde_json::Value>(&bytes).ok()?["seed"].as_u64()
}

/// Waits until the child is at its `wait:` failpoint; panics if it ends first.
fn wait_at_failpoint(child: &mut Child, rendezvous: &Path) {
    let reached = PathBuf::from(format!("{}.reached", rendezvous.display()));
    while !reached.exists() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the writer ended ({status}) without reaching its failpoint");
        }
        std::thread::yield_now();
    }
}

#[test]
fn a_second_run_into_a_folder_being_written_is_refused_and_the_first_completes_unmixed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let go = tmp.path().join("go");
    let out_arg = out.display().to_string();
    let mut first = plenary(
        &["run", &tutorial(), "--seed", "1", "--replicates", "20", "--threads", "1", "--out", &out_arg],
        Some(&format!("commit:synced=wait:{}", go.display())),
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    wait_at_failpoint(&mut first, &go);

    let message = refusal(run(&run_args(&out, 2)));
    assert!(message.contains("is being written by another plenary"), "{message}");
    assert!(message.contains(&format!("process {}", first.id())), "the holder is named: {message}");
    let forced = refusal(run(&RunArgs { force: true, ..run_args(&out, 2) }));
    assert!(forced.contains("is being written"), "--force does not break a lock: {forced}");

    fs::write(&go, "").unwrap();
    let status = first.wait().unwrap();
    assert!(status.success(), "the first run completes");
    let alone = tmp.path().join("alone");
    run(&run_args(&alone, 1)).unwrap();
    assert_eq!(manifest_seed(&out), Some(1));
    assert_eq!(visible(&out), visible(&alone), "the folder holds the first run's files and only those");
}

#[test]
fn a_lock_left_by_a_killed_writer_is_taken_over_with_its_leftovers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out_arg = out.display().to_string();
    let killed = output(&["run", &tutorial(), "--replicates", "20", "--out", &out_arg], Some("commit:synced"));
    assert_eq!(killed.status.code(), Some(STOPPED));
    let lock = fs::read_to_string(out.join(".plenary.lock")).unwrap();
    assert!(lock.starts_with("process "), "the dead writer is still named in its lock file: {lock}");
    assert!(files(&out).iter().any(|(name, _)| name.ends_with(".tmp")), "the killed run left temporaries");

    run(&run_args(&out, 7)).unwrap();
    let left: Vec<String> = files(&out).into_iter().map(|(n, _)| n).filter(|n| n.starts_with('.')).collect();
    assert!(left.is_empty(), "nothing of the killed run is left: {left:?}");
    assert_eq!(fs::read_to_string(out.join(".plenary.lock")).unwrap(), "", "released in good order");
}

#[test]
fn a_kill_at_every_step_of_committing_leaves_old_results_or_a_folder_known_as_incomplete() {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old");
    let new = tmp.path().join("new");
    run(&run_args(&old, 1)).unwrap();
    run(&run_args(&new, 2)).unwrap();
    let (old_files, new_files) = (visible(&old), visible(&new));
    let steps = [
        ("commit:synced", true),
        ("commit:old-manifest-removed", false),
        ("commit:renamed@1", false),
        ("commit:renamed@4", false),
        ("commit:before-manifest", false),
    ];
    for (step, old_kept) in steps {
        let dir = tmp.path().join(step.replace([':', '@'], "-"));
        run(&run_args(&dir, 1)).unwrap();
        let dir_arg = dir.display().to_string();
        let args =
            ["run", &tutorial(), "--seed", "2", "--replicates", "20", "--threads", "1", "--force", "--out", &dir_arg];
        let killed = output(&args, Some(step));
        assert_eq!(killed.status.code(), Some(STOPPED), "{step}: {}", String::from_utf8_lossy(&killed.stderr));
        if old_kept {
            assert_eq!(manifest_seed(&dir), Some(1), "{step}");
            assert_eq!(visible(&dir), old_files, "{step}: the old results are untouched");
            continue;
        }
        assert_eq!(manifest_seed(&dir), None, "{step}: no manifest beside files of two runs");
        for (name, bytes) in visible(&dir) {
            let of = |set: &[(String, Vec<u8>)]| set.iter().any(|(n, b)| *n == name && *b == bytes);
            assert!(of(&old_files) || of(&new_files), "{step}: {name} is one run's file");
        }
        let message = refusal(run(&run_args(&dir, 2)));
        assert!(message.contains("without manifest.json"), "{step}: {message}");
        let message = refusal(plenary::report::report(&dir, false));
        assert!(message.contains("without manifest.json"), "{step}: {message}");
        run(&RunArgs { force: true, ..run_args(&dir, 2) }).unwrap();
        assert_eq!(visible(&dir), new_files, "{step}: forced again, the folder is the new run's");
    }
    // After the manifest: a complete folder.
    let dir = tmp.path().join("done");
    let dir_arg = dir.display().to_string();
    let killed =
        output(&["run", &tutorial(), "--seed", "2", "--replicates", "20", "--out", &dir_arg], Some("commit:done"));
    assert_eq!(killed.status.code(), Some(STOPPED));
    assert_eq!((manifest_seed(&dir), visible(&dir)), (Some(2), new_files));
}

/// An experiment of 240 runs on the tutorial: four batches on one thread.
fn experiment(dir: &Path, shards: u64) -> PathBuf {
    let text = format!(
        "[experiment]\nid = \"t\"\nscenario = \"{}\"\nseed = 3\nreplicates = 40\nshards = {shards}\n\n[design]\nkind = \"grid\"\n\n[[vary]]\npath = \"parameters.stakeholder_weight\"\nvalues = [0, 0.25, 0.5, 0.75, 1, 1.5]\n",
        tutorial()
    );
    let path = dir.join("experiment.toml");
    fs::write(&path, text).unwrap();
    path
}

fn sweep_args(file: &Path, out: &Path) -> SweepArgs {
    SweepArgs { experiment: file.to_path_buf(), threads: Some(1), out: Some(out.to_path_buf()), ..SweepArgs::default() }
}

/// Starts a sweep in a process stopped at `step`.
fn stopped_sweep(file: &Path, out: &Path, step: &str) {
    let args =
        ["sweep", &file.display().to_string(), "--threads", "1", "--out", &out.display().to_string()].map(String::from);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let killed = output(&args, Some(step));
    assert_eq!(killed.status.code(), Some(STOPPED), "{step}: {}", String::from_utf8_lossy(&killed.stderr));
}

#[test]
fn a_run_or_a_session_into_an_interrupted_sweeps_folder_deletes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), 1);
    let whole = tmp.path().join("whole");
    sweep(&sweep_args(&file, &whole)).unwrap();
    let out = tmp.path().join("out");
    stopped_sweep(&file, &out, "sweep:batch@1");
    let before = files(&out);
    assert!(before.iter().any(|(name, _)| name == ".sweep.csv.partial"));

    for force in [false, true] {
        let message = refusal(run(&RunArgs { force, ..run_args(&out, 1) }));
        assert!(message.contains("holds an interrupted sweep"), "{message}");
        let play = plenary::play::PlayArgs {
            scenario: Some(scenarios_dir().join("tutorial.toml")),
            seats: vec!["USA".into()],
            out: Some(out.clone()),
            force,
            no_pause: true,
            ..Default::default()
        };
        let message = refusal(plenary::play::play(&play));
        assert!(message.contains("holds an interrupted sweep"), "{message}");
        assert_eq!(files(&out), before, "nothing of the sweep was touched");
    }
    let done = sweep(&SweepArgs { resume: true, ..sweep_args(&file, &out) }).unwrap();
    assert_eq!(done.resumed_from, Some(64), "the batch on disk is kept");
    assert_eq!(visible(&out), visible(&whole));
}

#[test]
fn a_sweep_killed_at_any_step_resumes_with_at_most_one_batch_recomputed() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), 1);
    let whole = tmp.path().join("whole");
    sweep(&sweep_args(&file, &whole)).unwrap();
    let expected = visible(&whole);
    let steps = [
        ("sweep:batch@2", Some(128)),
        ("sweep:batch@4", Some(240)),
        ("sweep:summaries-written", Some(240)),
        ("sweep:summaries-renamed", Some(240)),
        ("sweep:before-manifest", Some(240)),
        ("sweep:manifest-written", None),
    ];
    for (step, resumed_from) in steps {
        let out = tmp.path().join(step.replace([':', '@'], "-"));
        stopped_sweep(&file, &out, step);
        let before = files(&out);
        match resumed_from {
            Some(from) => {
                let message = refusal(sweep(&sweep_args(&file, &out)));
                assert!(message.contains("interrupted sweep") && message.contains("--resume"), "{step}: {message}");
                assert_eq!(files(&out), before, "{step}: a plain re-run deletes nothing");
                let message = refusal(plenary::report::report(&out, false));
                assert!(message.contains("interrupted sweep"), "{step}: {message}");
                let done = sweep(&SweepArgs { resume: true, ..sweep_args(&file, &out) }).unwrap();
                assert_eq!(done.resumed_from, Some(from), "{step}");
            }
            None => {
                let done = sweep(&SweepArgs { resume: true, ..sweep_args(&file, &out) }).unwrap();
                assert_eq!(done.resumed_from, Some(240), "{step}: finished, nothing to run");
            }
        }
        let left: Vec<String> = files(&out).into_iter().map(|(n, _)| n).filter(|n| n.starts_with('.')).collect();
        assert!(left.iter().all(|n| n == ".sweep-plan.json"), "{step}: {left:?}");
        assert_eq!(visible(&out), expected, "{step}");
    }
}

#[test]
fn merge_refuses_a_shard_whose_sweep_csv_was_edited() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), 3);
    let shards: Vec<PathBuf> = (0..3).map(|i| tmp.path().join(format!("s{i}"))).collect();
    for (i, dir) in shards.iter().enumerate() {
        sweep(&SweepArgs { shard: Some((i as u64, 3)), ..sweep_args(&file, dir) }).unwrap();
    }
    let edited = shards[1].join("sweep.csv");
    let text = fs::read_to_string(&edited).unwrap();
    // One cell changed (the seed of the first run), the run numbers and the line count intact.
    let second = text.lines().nth(1).unwrap();
    let mut cells: Vec<&str> = second.split(',').collect();
    cells[3] = "4";
    fs::write(&edited, text.replacen(second, &cells.join(","), 1)).unwrap();
    let out = tmp.path().join("merged");
    let message = refusal(merge(&shards, Some(out.clone()), false));
    assert!(message.contains("SHA-256 differs") && message.contains("s1"), "{message}");
    assert!(!out.join("manifest.json").exists() && !out.join("sweep.csv").exists(), "nothing merged");
}

#[test]
fn report_refuses_a_table_whose_last_line_is_torn() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run(&run_args(&out, 1)).unwrap();
    let runs = fs::read(out.join("runs.csv")).unwrap();
    fs::write(out.join("runs.csv"), &runs[..runs.len() - 3]).unwrap();
    let message = refusal(plenary::report::report(&out, false));
    assert!(message.contains("runs.csv ends in the middle of a line"), "{message}");
}

#[test]
fn a_run_whose_disk_fills_names_the_file_and_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out_arg = out.display().to_string();
    let full = output(&["run", &tutorial(), "--replicates", "20", "--out", &out_arg], Some("tables:runs@5=error"));
    assert_eq!(full.status.code(), Some(1), "an I/O failure");
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert!(stderr.contains(&format!("cannot write {}", out.join("runs.csv").display())), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    let left: Vec<String> = files(&out).into_iter().map(|(n, _)| n).collect();
    assert!(left.is_empty(), "no temporary file is left: {left:?}");
}

#[test]
fn report_on_a_folder_that_is_not_a_results_folder_leaves_no_lock_file_in_it() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let message = refusal(plenary::report::report(tmp.path(), false));
    assert!(message.contains("has no manifest.json"), "{message}");
    assert!(!tmp.path().join(".plenary.lock").exists(), "a lock file was left in someone else's folder");
}
