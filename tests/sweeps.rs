//! Sweeps: designs, reproducibility whatever the threads, shards merged equal to one
//! unsharded sweep, resuming after an interruption, and the experiment file's errors.

use std::fs;
use std::path::{Path, PathBuf};

use plenary::Failure;
use plenary::experiment::sweep::{SweepArgs, merge, sweep};

use crate::common::scenarios_dir;

const FILES: [&str; 4] = ["sweep.csv", "points.csv", "summary.csv", "sensitivity.csv"];

/// Writes an experiment on the tutorial scenario into `dir`.
fn experiment(dir: &Path, design: &str, vary: &str, shards: u64) -> PathBuf {
    let tutorial = scenarios_dir().join("tutorial.toml");
    let text = format!(
        "[experiment]\nid = \"t\"\nscenario = \"{}\"\nseed = 3\nreplicates = 4\nshards = {shards}\n\n{design}\n\n{vary}\n",
        tutorial.display()
    );
    let path = dir.join("experiment.toml");
    fs::write(&path, text).unwrap();
    path
}

const GRID: &str = "[design]\nkind = \"grid\"";
const GRID_VARY: &str = "[[vary]]\npath = \"parameters.stakeholder_weight\"\nvalues = [0, 0.5]\n\n[[vary]]\npath = \"bloc.western.cohesion\"\nrange = [0.2, 1.0]\nsteps = 3\n";
const SOBOL: &str = "[design]\nkind = \"sobol\"\nsamples = 8\nbootstrap = 50";
const SOBOL_VARY: &str = "[[vary]]\npath = \"parameters.concession_rate\"\nrange = [0.05, 0.5]\n\n[[vary]]\npath = \"actor.RUS.position.treaty\"\nrange = [50, 100]\n\n[[vary]]\npath = \"forum.working-group.rounds\"\nrange = [3, 9]\n";

fn args(file: &Path, out: &Path, threads: usize) -> SweepArgs {
    SweepArgs {
        experiment: file.to_path_buf(),
        threads: Some(threads),
        out: Some(out.to_path_buf()),
        ..SweepArgs::default()
    }
}

fn read(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    FILES.iter().map(|f| (f.to_string(), fs::read(dir.join(f)).ok())).collect()
}

#[test]
fn a_grid_takes_every_combination_first_parameter_slowest() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), GRID, GRID_VARY, 1);
    sweep(&args(&file, &tmp.path().join("out"), 2)).unwrap();
    let points = fs::read_to_string(tmp.path().join("out/points.csv")).unwrap();
    let expected = "point,parameters.stakeholder_weight,bloc.western.cohesion\n0,0,0.2\n1,0,0.6000000000000001\n2,0,1\n3,0.5,0.2\n4,0.5,0.6000000000000001\n5,0.5,1\n";
    assert_eq!(points, expected);
    let sweep_csv = fs::read_to_string(tmp.path().join("out/sweep.csv")).unwrap();
    assert_eq!(sweep_csv.lines().count(), 1 + 6 * 4, "6 points x 4 replicates x 1 forum");
}

#[test]
fn each_run_is_the_replicate_of_its_point_on_its_own_stream() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), GRID, GRID_VARY, 1);
    sweep(&args(&file, &tmp.path().join("out"), 2)).unwrap();
    // Run 13 is point 3 (stakeholder weight 0.5, cohesion 0.2), replicate 1, stream 13.
    let mut scenario = plenary::scenario::load(&scenarios_dir().join("tutorial.toml")).unwrap().scenario;
    scenario.parameters.stakeholder_weight = 0.5;
    scenario.blocs[0].cohesion = 0.2;
    let record = plenary::sim::run_replicate(&std::sync::Arc::new(scenario.clone()), 3, 13, false);
    let cells = plenary::output::tables::run_cells(&scenario, &record.forums[0]).join(",");
    let sweep_csv = fs::read_to_string(tmp.path().join("out/sweep.csv")).unwrap();
    let row = sweep_csv.lines().find(|l| l.starts_with("13,")).unwrap();
    assert_eq!(row, format!("13,3,1,3,0.5,0.2,{cells}"));
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), SOBOL, SOBOL_VARY, 1);
    sweep(&args(&file, &tmp.path().join("one"), 1)).unwrap();
    sweep(&args(&file, &tmp.path().join("two"), 2)).unwrap();
    let one = read(&tmp.path().join("one"));
    assert!(one.iter().all(|(_, bytes)| bytes.is_some()), "a sobol sweep writes all four files");
    assert_eq!(one, read(&tmp.path().join("two")));
}

#[test]
fn three_shards_merged_equal_the_unsharded_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), SOBOL, SOBOL_VARY, 3);
    sweep(&args(&file, &tmp.path().join("whole"), 2)).unwrap();
    let mut shards = Vec::new();
    for i in 0..3 {
        let dir = tmp.path().join(format!("shard-{i}"));
        sweep(&SweepArgs { shard: Some((i, 3)), ..args(&file, &dir, 1) }).unwrap();
        assert!(!dir.join("summary.csv").exists(), "a shard leaves the summaries to merge");
        shards.push(dir);
    }
    // Given in any order.
    shards.reverse();
    merge(&shards, Some(tmp.path().join("merged")), false).unwrap();
    assert_eq!(read(&tmp.path().join("whole")), read(&tmp.path().join("merged")));
}

#[test]
fn merge_names_missing_and_duplicated_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), GRID, GRID_VARY, 3);
    let dirs: Vec<PathBuf> = (0..3).map(|i| tmp.path().join(format!("s{i}"))).collect();
    for (i, dir) in dirs.iter().enumerate() {
        sweep(&SweepArgs { shard: Some((i as u64, 3)), ..args(&file, dir, 1) }).unwrap();
    }
    let copy = tmp.path().join("s1-again");
    fs::create_dir_all(&copy).unwrap();
    for name in ["sweep.csv", "manifest.json"] {
        fs::copy(dirs[1].join(name), copy.join(name)).unwrap();
    }
    let out = tmp.path().join("merged");
    match merge(&[dirs[0].clone(), dirs[1].clone()], Some(out.clone()), false) {
        Err(Failure::Refused(message)) => {
            assert!(message.contains("shard 2 of 3 is missing: runs 16 to 23"), "{message}")
        }
        other => panic!("expected a refusal, got {:?}", other.map(|r| r.folder)),
    }
    match merge(&[dirs[0].clone(), dirs[1].clone(), copy.clone(), dirs[2].clone()], Some(out.clone()), false) {
        Err(Failure::Refused(message)) => {
            assert!(message.contains("shard 1 of 3 appears more than once"), "{message}");
            assert!(message.contains("s1-again"), "{message}");
        }
        other => panic!("expected a refusal, got {:?}", other.map(|r| r.folder)),
    }
    assert!(!out.join("sweep.csv").exists(), "nothing written");
}

#[test]
fn a_shard_count_other_than_the_experiments_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), GRID, GRID_VARY, 3);
    let result = sweep(&SweepArgs { shard: Some((0, 1)), ..args(&file, &tmp.path().join("x"), 1) });
    assert!(matches!(result, Err(Failure::Refused(m)) if m.contains("split into 3 shards")));
}

/// Cuts an uninterrupted sweep's sweep.csv at `cut` bytes, as a kill -9 would leave it.
fn interrupted_at(whole: &Path, into: &Path, file: &Path, cut: usize) {
    // A sweep started and interrupted: let it write its plan, then replace its partial file.
    let plan_dir = into.parent().unwrap().join("plan-source");
    let _ = fs::remove_dir_all(&plan_dir);
    sweep(&args(file, &plan_dir, 1)).unwrap();
    fs::create_dir_all(into).unwrap();
    let plan = plenary::experiment::sweep::plan(
        &plenary::experiment::file::load(file).unwrap(),
        &plenary::experiment::design::build(&plenary::experiment::file::load(file).unwrap()),
        None,
    );
    fs::write(into.join(".sweep-plan.json"), serde_json::to_vec_pretty(&plan).unwrap()).unwrap();
    let bytes = fs::read(whole.join("sweep.csv")).unwrap();
    fs::write(into.join(".sweep.csv.partial"), &bytes[..cut]).unwrap();
}

#[test]
fn a_resumed_sweep_ends_byte_identical_to_an_uninterrupted_one() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), GRID, GRID_VARY, 1);
    let whole = tmp.path().join("whole");
    sweep(&args(&file, &whole, 2)).unwrap();
    let expected = read(&whole);
    let size = fs::read(whole.join("sweep.csv")).unwrap().len();
    let header = fs::read_to_string(whole.join("sweep.csv")).unwrap().lines().next().unwrap().len() + 1;
    for cut in [header, header + 7, size / 3, size / 2 + 11, size - 1] {
        let dir = tmp.path().join(format!("cut-{cut}"));
        interrupted_at(&whole, &dir, &file, cut);
        let refused = sweep(&args(&file, &dir, 2));
        assert!(
            matches!(refused, Err(Failure::Refused(ref m)) if m.contains("--resume")),
            "an interrupted sweep is not started over silently"
        );
        let report = sweep(&SweepArgs { resume: true, ..args(&file, &dir, 2) }).unwrap();
        assert!(report.resumed_from.is_some());
        assert_eq!(read(&dir), expected, "cut at byte {cut}");
    }
}

#[test]
fn a_finished_sweep_is_not_overwritten_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), GRID, GRID_VARY, 1);
    let out = tmp.path().join("out");
    sweep(&args(&file, &out, 1)).unwrap();
    assert!(matches!(sweep(&args(&file, &out, 1)), Err(Failure::Refused(m)) if m.contains("--force")));
    sweep(&SweepArgs { force: true, ..args(&file, &out, 1) }).unwrap();
}

#[test]
fn latin_hypercube_puts_one_point_in_each_stratum() {
    let tmp = tempfile::tempdir().unwrap();
    let vary = "[[vary]]\npath = \"parameters.tolerance\"\nrange = [0, 1]\n\n[[vary]]\npath = \"actor.BRA.salience.capacity\"\nrange = [0, 1]\n";
    let file = experiment(tmp.path(), "[design]\nkind = \"latin-hypercube\"\nsamples = 20", vary, 1);
    let e = plenary::experiment::file::load(&file).unwrap();
    let design = plenary::experiment::design::build(&e);
    assert_eq!(design.points.len(), 20);
    for d in 0..2 {
        let mut strata: Vec<usize> = design.points.iter().map(|p| (p[d] * 20.0) as usize).collect();
        strata.sort();
        assert_eq!(strata, (0..20).collect::<Vec<_>>(), "dimension {d}");
    }
}

#[test]
fn random_and_sobol_designs_stay_in_their_ranges() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), "[design]\nkind = \"random\"\nsamples = 200", SOBOL_VARY, 1);
    let design = plenary::experiment::design::build(&plenary::experiment::file::load(&file).unwrap());
    for p in &design.points {
        assert!((0.05..=0.5).contains(&p[0]) && (50.0..=100.0).contains(&p[1]));
        assert!((3.0..=9.0).contains(&p[2]) && p[2].fract() == 0.0, "rounds are whole: {}", p[2]);
    }
    let file = experiment(tmp.path(), SOBOL, SOBOL_VARY, 1);
    let design = plenary::experiment::design::build(&plenary::experiment::file::load(&file).unwrap());
    assert_eq!(design.points.len(), 8 * (3 + 2), "Saltelli: N (k + 2) points");
    assert_eq!(design.matrix[16], "AB:parameters.concession_rate");
}

fn problems(text: &str) -> plenary::diagnostic::Problems {
    let tmp = tempfile::tempdir().unwrap();
    let tutorial = scenarios_dir().join("tutorial.toml");
    let path = tmp.path().join("bad.toml");
    fs::write(&path, text.replace("TUTORIAL", &tutorial.display().to_string())).unwrap();
    plenary::experiment::file::load(&path).err().expect("the experiment is invalid")
}

fn has(problems: &plenary::diagnostic::Problems, fragment: &str, line: usize, column: usize, help: &str) {
    let found = problems
        .iter()
        .find(|p| p.message.contains(fragment))
        .unwrap_or_else(|| panic!("no `{fragment}` in:\n{problems}"));
    assert_eq!(found.line_col(), (line, column), "{found}");
    assert!(found.help.as_deref().unwrap_or("").contains(help), "help of {found}: {:?}", found.help);
}

#[test]
fn experiment_files_report_every_problem_with_its_place() {
    let p = problems(
        "[experiment]\nid = \"x\"\nscenario = \"TUTORIAL\"\nreplicate = 3\n\n[design]\nkind = \"latin-hypercub\"\n\n[[vary]]\npath = \"bloc.westrn.cohesion\"\nrange = [0, 1]\n\n[[vary]]\npath = \"parameters.tolerance\"\nrange = [0, 2]\n\n[[vary]]\npath = \"parameters.stakeholder_wieght\"\nrange = [0, 1]\n",
    );
    has(&p, "unknown key `replicate`", 4, 1, "did you mean `replicates`?");
    has(&p, "unknown design `latin-hypercub`", 7, 8, "did you mean `latin-hypercube`?");
    has(&p, "the scenario has no bloc `westrn`", 10, 8, "did you mean `western`?");
    has(&p, "2 is outside the values `parameters.tolerance` admits, [0, 1]", 15, 9, "within that range");
    has(&p, "no model parameter is called `stakeholder_wieght`", 18, 8, "did you mean `stakeholder_weight`?");
}

#[test]
fn experiment_paths_that_cannot_vary_are_refused() {
    let p = problems(
        "[experiment]\nid = \"x\"\nscenario = \"TUTORIAL\"\n\n[[vary]]\npath = \"inject.ransomware.probability\"\nvalues = [0.5]\n\n[[vary]]\npath = \"forum.working-group.threshold\"\nvalues = [0.5]\n\n[[vary]]\npath = \"actor.USA.position.treaty\"\nvalues = [60]\n",
    );
    has(&p, "inject `ransomware` is scheduled for round 3", 6, 8, "probability");
    has(&p, "does not decide by majority", 10, 8, "majority");
    // USA's red line on the treaty is [0, 40].
    has(&p, "60 is outside the values `actor.USA.position.treaty` admits, [0, 40]", 15, 10, "within that range");
    let p = problems(
        "[experiment]\nid = \"x\"\nscenario = \"TUTORIAL\"\n\n[[vary]]\npath = \"forum.working-group.rounds\"\nvalues = [2]\n",
    );
    has(&p, "2 is outside the values `forum.working-group.rounds` admits, [3, 1000]", 7, 10, "within that range");
}

#[test]
fn every_shipped_experiment_validates() {
    let dir = scenarios_dir().join("sweeps");
    let mut count = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let e = plenary::experiment::file::load(&path)
                .unwrap_or_else(|p| panic!("{} is invalid:\n{p}", path.display()));
            assert!(plenary::experiment::design::count(&e) > 1, "{} varies something", path.display());
            count += 1;
        }
    }
    assert!(count >= 1);
}

#[test]
fn whole_number_parameters_get_whole_grid_values_and_sobol_has_a_limit() {
    let p = problems(
        "[experiment]\nid = \"x y\"\nscenario = \"TUTORIAL\"\n\n[[vary]]\npath = \"forum.working-group.rounds\"\nrange = [4, 9]\nsteps = 3\n",
    );
    has(&p, "3 steps from 4 to 9 fall between whole numbers", 8, 9, "every value is whole");
    has(&p, "`x y` is not a valid experiment id", 2, 6, "results folder");
    let mut text =
        String::from("[experiment]\nid = \"x\"\nscenario = \"TUTORIAL\"\n\n[design]\nkind = \"sobol\"\nsamples = 4\n");
    for _ in 0..33 {
        text.push_str("\n[[vary]]\npath = \"parameters.tolerance\"\nrange = [0, 1]\n");
    }
    let p = problems(&text);
    assert!(p.iter().any(|x| x.message.contains("varies at most 32 parameters")), "{p}");
}

#[test]
fn a_partial_file_without_its_header_is_resumed_with_one() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment(tmp.path(), GRID, GRID_VARY, 1);
    let whole = tmp.path().join("whole");
    sweep(&args(&file, &whole, 1)).unwrap();
    for cut in [0, 10] {
        let dir = tmp.path().join(format!("torn-{cut}"));
        interrupted_at(&whole, &dir, &file, cut);
        sweep(&SweepArgs { resume: true, ..args(&file, &dir, 1) }).unwrap();
        assert_eq!(read(&dir), read(&whole), "a power cut before the header reached the disk, cut at {cut}");
    }
}

#[test]
fn validate_recognises_experiment_files_however_the_table_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let tutorial = scenarios_dir().join("tutorial.toml");
    for header in ["[experiment]   # the sweep", "[ experiment ]", "\u{feff}[experiment]"] {
        let path = tmp.path().join("e.toml");
        let text = format!(
            "{header}\nid = \"e\"\nscenario = \"{}\"\n\n[[vary]]\npath = \"parameters.tolerance\"\nvalues = [0.1, 0.2]\n",
            tutorial.display()
        );
        fs::write(&path, text).unwrap();
        let (fine, failed) = plenary::commands::validate(&[path]);
        assert!(failed.is_empty() && fine[0].contains("experiment on tutorial"), "{header:?}: {fine:?}");
    }
}

#[test]
fn ids_cannot_lead_out_of_the_results_folder() {
    let p = problems(
        "[experiment]\nid = \"..\"\nscenario = \"TUTORIAL\"\n\n[[vary]]\npath = \"parameters.tolerance\"\nvalues = [0.1]\n",
    );
    has(&p, "`..` is not a valid experiment id", 2, 6, "results folder");
    let scenario =
        fs::read_to_string(scenarios_dir().join("tutorial.toml")).unwrap().replace("id = \"tutorial\"", "id = \"..\"");
    let problems = crate::common::scenario(&scenario).expect_err("refused");
    assert!(problems.iter().any(|p| p.message.contains("`..` is not a valid scenario id")), "{problems}");
}

#[test]
fn a_scenario_given_as_experiment_and_the_reverse_are_named_as_such() {
    let p = plenary::experiment::file::load(&scenarios_dir().join("tutorial.toml")).err().expect("refused");
    assert_eq!(p.len(), 1, "{p}");
    assert!(p.iter().next().unwrap().help.as_deref().unwrap().contains("plenary run"), "{p}");
    let p = plenary::scenario::load(&scenarios_dir().join("sweeps/stakeholder-voice.toml")).err().expect("refused");
    assert_eq!(p.len(), 1, "{p}");
    assert!(p.iter().next().unwrap().message.contains("this is an experiment file, not a scenario"), "{p}");
}

#[test]
fn sweep_rows_carry_the_columns_of_runs_csv() {
    use plenary::output::tables::{RUN_COLUMNS, RUNS_COLUMNS};
    assert_eq!(RUNS_COLUMNS[..2], ["replicate", "seed"]);
    assert_eq!(RUNS_COLUMNS[2..], RUN_COLUMNS[..], "sweep.csv repeats runs.csv's columns from `forum` on");
}
