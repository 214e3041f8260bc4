//! `plenary import`: decide-exchange-model and KTAB SMP files become valid scenarios, with
//! the source's names and numbers, and bad rows are reported at their line.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use plenary::Failure;
use plenary::import::{self, Format};
use plenary::scenario::{self, Scenario};

fn fixture(name: &str) -> (String, String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/import").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    (name.to_string(), text)
}

/// Imports, validates the TOML through the scenario reader and runs one replicate.
fn imported(format: Format, name: &str, text: &str) -> Arc<Scenario> {
    let toml = import::import(format, name, text).unwrap_or_else(|p| panic!("import failed:\n{p}"));
    let scenario = scenario::from_text("imported.toml", &toml, PathBuf::from("imported.toml"), |_| {
        panic!("an imported scenario has no actors table")
    })
    .unwrap_or_else(|p| panic!("the imported scenario is invalid:\n{p}\n{toml}"));
    let scenario = Arc::new(scenario);
    let record = plenary::sim::run_replicate(&scenario, 1, 0, false);
    assert!(!record.forums.is_empty(), "one replicate ran no forum");
    scenario
}

fn actor<'a>(s: &'a Scenario, id: &str) -> &'a scenario::Actor {
    s.actors.iter().find(|a| a.id == id).unwrap_or_else(|| panic!("no actor `{id}`"))
}

#[test]
fn decide_file_carries_names_and_numbers_over() {
    let (name, text) = fixture("three-actors.csv");
    let s = imported(Format::Decide, &name, &text);
    assert_eq!(s.id, "three-actors");
    let ids: Vec<&str> = s.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["ambition", "finance"]);
    assert_eq!(s.issues[0].name, "Emission ambition");
    assert_eq!((s.issues[0].lo, s.issues[0].hi), (0.0, 100.0));
    // The #M bounds give the scale.
    assert_eq!((s.issues[1].lo, s.issues[1].hi), (0.0, 10.0));
    // ambition: weights salience x power 1, 1, 2 on 20, 80, 50 -> 200 / 4.
    assert_eq!(s.issues[0].status_quo, 50.0);
    // finance: weights 1 and 3 on 2 and 6 -> 20 / 4.
    assert_eq!(s.issues[1].status_quo, 5.0);

    let ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["USA", "EU_28", "China"], "`EU 28` is made an id");
    let usa = actor(&s, "USA");
    assert_eq!(usa.name, "United States");
    assert_eq!(usa.capability, 2.0);
    assert_eq!(usa.positions, [20.0, 2.0]);
    assert_eq!(usa.saliences, [0.5, 0.5]);
    let eu = actor(&s, "EU_28");
    assert_eq!(eu.name, "European Union");
    assert_eq!(eu.capability, 3.5, "mean power over its issues: (1 + 6) / 2");
    assert_eq!(eu.positions, [80.0, 6.0]);
    assert_eq!(eu.saliences, [1.0, 0.5]);
    // China has no #D row on finance: salience 0, position at the status quo.
    let china = actor(&s, "China");
    assert_eq!(china.capability, 4.0);
    assert_eq!(china.positions, [50.0, 5.0]);
    assert_eq!(china.saliences, [0.5, 0.0]);
    assert_eq!(s.forums.len(), 1);
    assert_eq!(s.forums[0].id, "negotiation");
    assert_eq!(s.forums[0].voting.len(), 3);
    assert_eq!(s.forums[0].rounds, 10);
}

#[test]
fn decide_toml_keeps_descriptions_and_says_where_it_came_from() {
    let (name, text) = fixture("three-actors.csv");
    let toml = import::import(Format::Decide, &name, &text).unwrap();
    assert!(toml.starts_with("# Imported by `plenary import` from three-actors.csv"));
    assert!(toml.contains("# A superpower\n"));
    assert!(toml.contains("# How far to cut\n"));
    assert!(toml.contains("status quo is the mean of the actors' positions weighted"));
}

#[test]
fn ktab_file_carries_names_and_numbers_over() {
    let (name, text) = fixture("toy-smp.csv");
    let s = imported(Format::Ktab, &name, &text);
    assert_eq!(s.id, "toy-smp");
    assert_eq!(s.title, "toy");
    assert_eq!(s.description, "A toy SMP problem");
    let ids: Vec<&str> = s.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["Pstn1", "Pstn2"]);
    // Saliences 0..100 become 0..1; weights salience x power: 5, 5, 10 on 20, 60, 100.
    assert_eq!(s.issues[0].status_quo, 70.0);
    // 10, 10, 0 on 40, 80, 0.
    assert_eq!(s.issues[1].status_quo, 60.0);
    let ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["A1", "A2", "A3"]);
    let a2 = actor(&s, "A2");
    assert_eq!(a2.capability, 20.0);
    assert_eq!(a2.positions, [60.0, 80.0]);
    assert_eq!(a2.saliences, [0.25, 0.5]);
    let a3 = actor(&s, "A3");
    assert_eq!(a3.capability, 10.0);
    assert_eq!(a3.positions, [100.0, 0.0]);
    assert_eq!(a3.saliences, [1.0, 0.0]);
    let toml = import::import(Format::Ktab, &name, &text).unwrap();
    assert!(toml.contains("# Third, with a comma\n"), "a quoted cell with a comma stays one cell");
}

#[test]
fn ids_are_sanitised_and_unique() {
    let text = "'#A'\t'a b'\t''\t''\n'#A'\t'a.b'\t''\t''\n'#A'\t'all'\t''\t''\n'#P'\t'.x'\t''\t''\n\
                '#D'\t'a b'\t'.x'\t10\t0.5\t1\n'#D'\t'a.b'\t'.x'\t20\t0.5\t1\n'#D'\t'all'\t'.x'\t30\t0.5\t1\n";
    let s = imported(Format::Decide, "odd ids.csv", text);
    assert_eq!(s.id, "odd_ids");
    let ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a_b", "a_b_2", "all_2"]);
    assert_eq!(s.actors[0].name, "a b", "an empty name cell keeps the source id as name");
    assert_eq!(s.issues[0].id, "_x");
}

fn problem_lines(format: Format, text: &str) -> Vec<(usize, String)> {
    let problems = import::import(format, "bad.csv", text).expect_err("the file should be refused");
    problems.iter().map(|p| (p.line_col().0, p.message.clone())).collect()
}

#[test]
fn decide_bad_rows_are_reported_at_their_line() {
    let (_, good) = fixture("three-actors.csv");
    let text = format!("{good}'#D'\t'Chna'\t'finance'\t5\t0.5\t1\n'#D'\t'China'\t'finanse'\tfive\t0.5\t1\n");
    let found = problem_lines(Format::Decide, &text);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].0, 15);
    assert!(found[0].1.contains("unknown actor `Chna`"), "{found:?}");
    assert_eq!(found[1].0, 16);
    assert!(found[1].1.contains("unknown issue `finanse`"), "{found:?}");
    assert_eq!(found[2].0, 16);
    assert!(found[2].1.contains("`five` is not a number"), "{found:?}");
    // The problem points at the cell, so its column is that of `five`.
    let problems = import::import(Format::Decide, "bad.csv", &text).unwrap_err();
    let five = problems.iter().find(|p| p.message.contains("five")).unwrap();
    assert_eq!(&text[five.span.clone()], "five");
}

#[test]
fn decide_position_outside_the_bounds_is_reported() {
    let (_, good) = fixture("three-actors.csv");
    let text = good.replace("'#D'\t'USA'\t'finance'\t2.0", "'#D'\t'USA'\t'finance'\t12.0");
    let found = problem_lines(Format::Decide, &text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 11);
    assert!(found[0].1.contains("outside the issue's scale [0, 10]"), "{found:?}");
}

#[test]
fn ktab_row_with_the_wrong_number_of_cells_is_reported_at_its_line() {
    let (_, good) = fixture("toy-smp.csv");
    let text = good.replace("A2,Actor two,20,60,25,80,50", "A2,Actor two,20,60,25,80");
    let found = problem_lines(Format::Ktab, &text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 4);
    assert!(found[0].1.contains("this row has 6 cells; the header has 7"), "{found:?}");

    let text = good.replace("A3,\"Third, with a comma\",10,", "A3,\"Third, with a comma\",ten,");
    let found = problem_lines(Format::Ktab, &text);
    assert_eq!(found, [(5, "the power `ten` is not a number".to_string())]);
}

#[test]
fn import_command_writes_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/import/toy-smp.csv");
    let out = dir.path().join("toy.toml");
    let done = plenary::commands::import(Format::Ktab, &source, Some(&out), false).unwrap();
    assert_eq!(done.written.as_deref(), Some(out.as_path()));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), done.toml);
    plenary::scenario::load(&out).unwrap_or_else(|p| panic!("written scenario is invalid:\n{p}"));

    std::fs::write(&out, "kept").unwrap();
    let refused = plenary::commands::import(Format::Ktab, &source, Some(&out), false);
    assert!(matches!(refused, Err(Failure::Refused(_))));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "kept");
    plenary::commands::import(Format::Ktab, &source, Some(&out), true).unwrap();
    assert_ne!(std::fs::read_to_string(&out).unwrap(), "kept");

    let printed = plenary::commands::import(Format::Ktab, &source, None, false).unwrap();
    assert!(printed.written.is_none());
    let bad = plenary::commands::import(Format::Decide, Path::new("tests/data/import/toy-smp.csv"), None, false);
    assert!(matches!(bad, Err(Failure::Input(_))), "a KTAB file is not a decide file");
}
