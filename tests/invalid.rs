//! Invalid input: one fixture in tests/data/invalid/ for each kind of mistake, each a copy
//! of `base.toml` (a minimal valid scenario) with one mistake, named on its first line.
//! Every test checks that the mistake is reported, with which message, at which line and
//! column (counted by hand from the fixture), and with which hint where the hint matters.
//!
//! Tests marked `#[ignore]` show a known bug of the engine; the reason names it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use plenary::diagnostic::{Problem, Problems};
use plenary::scenario;

const FIXTURES: &str = "tests/data/invalid";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES).join(name)
}

/// Loads a fixture that must be invalid and returns its problems.
#[track_caller]
fn problems(name: &str) -> Problems {
    match scenario::load(&fixture(name)) {
        Ok(_) => panic!("{name} was accepted, but it has a mistake"),
        Err(problems) => {
            assert!(!problems.is_empty(), "{name}: Err with no problems");
            for p in problems.iter() {
                assert!(
                    p.span.start <= p.span.end && p.span.end <= p.file.text.len(),
                    "{name}: span {:?} outside {} ({} bytes): {p}",
                    p.span,
                    p.file.name,
                    p.file.text.len()
                );
            }
            problems
        }
    }
}

/// The problem of fixture `name`, in file `file` (a fixture name), whose message contains
/// `fragment`; it must be at `line`:`column`.
#[track_caller]
fn expect_in(name: &str, file: &str, fragment: &str, line: usize, column: usize) -> Problem {
    let problems = problems(name);
    let matching: Vec<&Problem> = problems.iter().filter(|p| p.message.contains(fragment)).collect();
    assert!(!matching.is_empty(), "{name}: no problem mentions {fragment:?}; the problems are:\n{problems}");
    let Some(found) = matching.iter().find(|p| p.line_col() == (line, column)) else {
        let places: Vec<String> = matching.iter().map(|p| p.location()).collect();
        panic!(
            "{name}: {fragment:?} is reported at {places:?}, expected {line}:{column}; the problems are:\n{problems}"
        )
    };
    let shown = Path::new(&found.file.name).file_name().and_then(|n| n.to_str()).unwrap_or_default();
    assert_eq!(shown, file, "{name}: {fragment:?} is reported in the wrong file");
    (*found).clone()
}

/// As `expect_in`, for a problem in the fixture itself.
#[track_caller]
fn expect(name: &str, fragment: &str, line: usize, column: usize) -> Problem {
    expect_in(name, name, fragment, line, column)
}

#[track_caller]
fn assert_help(problem: &Problem, fragment: &str) {
    let help = problem.help.as_deref().unwrap_or_else(|| panic!("no help for: {problem}"));
    assert!(help.contains(fragment), "the help of `{problem}` is {help:?}, expected it to contain {fragment:?}");
}

#[test]
fn the_bases_of_the_fixtures_are_valid() {
    for name in ["base.toml", "base-table.toml"] {
        if let Err(problems) = scenario::load(&fixture(name)) {
            panic!("{name} must be valid for its copies to have one mistake each:\n{problems}");
        }
    }
}

#[test]
fn every_fixture_is_invalid_and_names_its_mistake() {
    let mut names: Vec<String> = std::fs::read_dir(fixture(""))
        .expect("the fixtures folder")
        .map(|e| e.expect("a fixture").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && !n.starts_with("base"))
        .collect();
    names.sort();
    assert!(names.len() >= 60, "only {} fixtures", names.len());
    for name in &names {
        let text = std::fs::read_to_string(fixture(name)).expect("readable fixture");
        assert!(text.starts_with("# Mistake: "), "{name} does not name its mistake on line 1");
        let known_bugs = [
            "cycle-after.toml",
            "effect-cohesion-member.toml",
            "effect-no-targets.toml",
            "range-capability-huge.toml",
            "range-scale-huge.toml",
            "table-crlf.toml",
        ];
        if known_bugs.contains(&name.as_str()) {
            continue; // known bugs, see their tests
        }
        problems(name);
    }
}

// ---- TOML syntax --------------------------------------------------------------------------

#[test]
fn syntax_error() {
    let p = expect("syntax-error.toml", "TOML syntax", 3, 6);
    assert!(p.message.contains("quoted"), "{p}");
    assert_eq!(problems("syntax-error.toml").len(), 1, "no follow-up problems after a syntax error");
}

// ---- Unknown keys -------------------------------------------------------------------------

#[test]
fn unknown_key_at_top_level() {
    let p = expect("unknown-key-top.toml", "unknown key `paramters` in the top level", 8, 2);
    assert_help(&p, "did you mean `parameters`?");
}

#[test]
fn unknown_key_in_scenario() {
    let p = expect("unknown-key-scenario.toml", "unknown key `titel` in [scenario]", 4, 1);
    assert_help(&p, "did you mean `title`?");
}

#[test]
fn unknown_key_in_parameters() {
    let p = expect("unknown-key-parameters.toml", "unknown key `tolerence` in [parameters]", 9, 1);
    assert_help(&p, "did you mean `tolerance`?");
}

#[test]
fn unknown_key_in_issue() {
    let p = expect("unknown-key-issue.toml", "unknown key `scael` in [[issue]] `treaty`", 13, 1);
    assert_help(&p, "did you mean `scale`?");
}

#[test]
fn unknown_key_in_bloc() {
    let p = expect("unknown-key-bloc.toml", "unknown key `cohesio` in [[bloc]] `EU`", 22, 1);
    assert_help(&p, "did you mean `cohesion`?");
}

#[test]
fn unknown_key_in_actor() {
    let p = expect("unknown-key-actor.toml", "unknown key `flexibilty` in [[actor]] `FRA`", 29, 1);
    assert_help(&p, "did you mean `flexibility`?");
}

#[test]
fn unknown_key_in_forum() {
    let p = expect("unknown-key-forum.toml", "unknown key `round` in [[forum]] `wg`", 44, 1);
    assert_help(&p, "did you mean `rounds`?");
}

#[test]
fn unknown_key_in_decision_rule() {
    let p = expect("unknown-key-decision.toml", "unknown key `treshold` in `decision` of [[forum]] `wg`", 43, 33);
    assert_help(&p, "did you mean `threshold`?");
}

#[test]
fn unknown_key_in_inject() {
    let p = expect("unknown-key-inject.toml", "unknown key `froum` in [[inject]] `crisis`", 48, 1);
    assert_help(&p, "did you mean `forum`?");
}

#[test]
fn unknown_key_in_effect() {
    let p =
        expect("unknown-key-effect.toml", "unknown key `shift_salinece` in effect 1 of [[inject]] `crisis`", 51, 40);
    assert_help(&p, "did you mean `shift_salience`?");
}

// ---- Wrong types --------------------------------------------------------------------------

#[test]
fn string_for_number() {
    let p =
        expect("type-string-for-number.toml", "`capability` in [[actor]] `FRA` must be a number, not a string", 28, 14);
    assert_help(&p, "capability = 0.5");
}

#[test]
fn number_for_string() {
    expect("type-number-for-string.toml", "`title` in [scenario] must be a string, not an integer", 4, 9);
}

#[test]
fn table_for_list() {
    expect("type-table-for-list.toml", "`voting` in [[forum]] `wg` must be a list of strings, not a table", 42, 10);
}

#[test]
fn fraction_for_whole_number() {
    expect("type-float-for-integer.toml", "`rounds` in [[forum]] `wg` must be a whole number", 44, 10);
}

#[test]
fn three_numbers_for_a_pair() {
    expect("type-triple-for-pair.toml", "`scale` in [[issue]] `treaty` must be a pair of numbers", 13, 9);
}

#[test]
fn string_for_table() {
    expect("type-string-for-table.toml", "`positions` in [[bloc]] `EU` must be a table, not a string", 23, 13);
}

// ---- Values out of range ------------------------------------------------------------------

#[test]
fn salience_above_one() {
    expect("range-salience.toml", "the salience of `USA` on `treaty` is 1.5, outside 0..1", 37, 24);
}

#[test]
fn position_outside_the_scale() {
    expect("range-position.toml", "the position of `USA` on `treaty` is 120, outside 0..100", 36, 24);
}

#[test]
fn capability_zero() {
    let p = expect("range-capability.toml", "the capability of `FRA` is 0, it must be above 0", 28, 14);
    assert_help(&p, "positive");
}

#[test]
fn flexibility_above_one() {
    expect("range-flexibility.toml", "the flexibility of `FRA` is 1.5, outside 0..1", 29, 15);
}

#[test]
fn cohesion_above_one() {
    expect("range-cohesion.toml", "the cohesion of bloc `EU` is 1.2, outside 0..1", 22, 12);
}

#[test]
fn parameter_out_of_range() {
    let p = expect("range-parameter.toml", "tolerance is 2, outside [0, 1]", 9, 13);
    assert_help(&p, "its default is 0.15");
}

#[test]
fn parameter_at_excluded_minimum() {
    expect("range-parameter-exclusive.toml", "concession_curve is 0, outside (0, 100]", 9, 20);
}

#[test]
fn nan_number() {
    let p = expect("range-nan.toml", "`capability` in [[actor]] `FRA` must be a finite number", 28, 14);
    assert_help(&p, "nan and inf");
}

#[test]
fn inf_number() {
    expect("range-inf.toml", "`cohesion` in [[bloc]] `EU` must be a finite number", 22, 12);
}

#[test]
fn negative_inf_parameter() {
    expect("range-neg-inf.toml", "`tolerance` in [parameters] must be a finite number", 9, 13);
}

#[test]
fn status_quo_outside_the_scale() {
    expect("range-status-quo.toml", "the status quo of issue `treaty` is 150, outside 0..100", 14, 14);
}

#[test]
fn reversed_scale() {
    expect("range-scale-reversed.toml", "the scale of issue `treaty` runs from 100 to 0", 13, 9);
}

#[test]
fn zero_rounds() {
    expect("range-rounds.toml", "rounds is 0, outside 1..", 44, 10);
}

#[test]
fn zero_replicates() {
    expect("range-replicates.toml", "replicates is 0, outside 1..", 6, 14);
}

#[test]
fn negative_seed() {
    expect("range-seed.toml", "the seed must not be negative", 5, 8);
}

#[test]
fn integer_too_large_for_toml() {
    // TOML integers are 64-bit; 99999999999999999999 is finite, just too large. The
    // message must not tell the student that it is nan or inf.
    let p = expect("huge-integer.toml", "too large", 28, 14);
    assert!(!p.message.contains("finite"), "{p}");
}

#[test]
fn capabilities_whose_sum_overflows() {
    expect("range-capability-huge.toml", "capability", 28, 14);
}

#[test]
fn scale_whose_width_overflows() {
    expect("range-scale-huge.toml", "scale", 13, 9);
}

#[test]
fn huge_values_are_printed_short() {
    let p = expect("range-huge-number.toml", "the status quo of issue `treaty` is", 14, 14);
    assert!(p.message.len() < 100, "{} characters: {}", p.message.len(), p.message);
}

// ---- Duplicate ids ------------------------------------------------------------------------

#[test]
fn duplicate_issue() {
    let p = expect("dup-issue.toml", "duplicate issue id `treaty`", 17, 6);
    assert_help(&p, "first defined on line 12");
}

#[test]
fn duplicate_actor() {
    let p = expect("dup-actor.toml", "duplicate actor id `FRA`", 33, 6);
    assert_help(&p, "first defined on line 27");
}

#[test]
fn duplicate_bloc() {
    let p = expect("dup-bloc.toml", "duplicate bloc id `EU`", 27, 6);
    assert_help(&p, "first defined on line 21");
}

#[test]
fn duplicate_forum() {
    let p = expect("dup-forum.toml", "duplicate forum id `wg`", 55, 6);
    assert_help(&p, "first defined on line 41");
}

#[test]
fn duplicate_inject() {
    let p = expect("dup-inject.toml", "duplicate inject id `crisis`", 55, 6);
    assert_help(&p, "first defined on line 47");
}

#[test]
fn actor_with_the_id_of_a_bloc() {
    expect("dup-actor-bloc.toml", "`EU` is the id of both a bloc and an actor", 33, 6);
}

#[test]
fn reserved_word_as_id() {
    expect("reserved-id.toml", "`all` is a reserved word", 27, 6);
}

#[test]
fn id_with_a_space() {
    expect("invalid-id.toml", "`United States` is not a valid actor id", 33, 6);
}

// ---- References to things that do not exist ----------------------------------------------

#[test]
fn unknown_actor() {
    let p = expect("ref-actor.toml", "unknown actor `USB`", 25, 12);
    assert_help(&p, "did you mean `USA`?");
}

#[test]
fn unknown_bloc() {
    let p = expect("ref-bloc.toml", "unknown bloc `EUU`", 30, 10);
    assert_help(&p, "`EU`");
}

#[test]
fn unknown_issue() {
    let p = expect("ref-issue.toml", "unknown issue `traety`", 36, 15);
    assert_help(&p, "did you mean `treaty`?");
}

#[test]
fn unknown_issue_on_an_agenda() {
    let p = expect("ref-agenda.toml", "unknown issue `fnd`", 43, 21);
    assert_help(&p, "did you mean `fund`?");
}

#[test]
fn unknown_forum() {
    let p = expect("ref-forum.toml", "unknown forum `wgg`", 48, 9);
    assert_help(&p, "did you mean `wg`?");
}

#[test]
fn unknown_forum_after() {
    let p = expect("ref-after.toml", "unknown forum `wgg`", 43, 9);
    assert_help(&p, "did you mean `wg`?");
}

#[test]
fn unknown_voter() {
    let p = expect("ref-voting.toml", "unknown actor or bloc `all-state`", 42, 11);
    assert_help(&p, "did you mean `all-states`?");
}

#[test]
fn unknown_effect_target() {
    let p = expect("ref-effect-target.toml", "unknown actor or bloc `USB`", 51, 16);
    assert_help(&p, "did you mean `USA`?");
}

#[test]
fn unknown_decision_rule() {
    let p = expect("unknown-rule.toml", "unknown decision rule `majorty`", 43, 12);
    assert_help(&p, "did you mean `majority`?");
}

#[test]
fn hints_use_the_right_article() {
    let p = expect("dup-issue.toml", "unknown issue `fund`", 23, 28);
    assert_help(&p, "define an issue");
    let p = expect_in("table-no-id-column.toml", "table-no-id-column.csv", "no `id` column", 1, 1);
    assert_help(&p, "add an `id` column");
}

// ---- Forums -------------------------------------------------------------------------------

#[test]
fn cycle_of_after() {
    let p = expect("cycle-after.toml", "in a circle", 43, 9);
    assert!(p.message.contains("`a`") || p.message.contains("a -> b"), "{p}");
}

#[test]
fn forum_after_itself() {
    expect("cycle-self.toml", "forum `wg` comes after itself", 43, 9);
}

#[test]
fn forum_without_voting_members() {
    expect("no-voting.toml", "forum `wg` has no voting members", 42, 10);
}

#[test]
fn majority_threshold_of_one() {
    expect("threshold-majority.toml", "a majority threshold of 1 can never be met", 43, 45);
}

#[test]
fn qualified_share_above_one() {
    expect("threshold-qualified-share.toml", "`members` is 1.5, it must be a share above 0 and at most 1", 43, 44);
}

#[test]
fn qualified_weight_missing_for_a_member() {
    let p = expect("threshold-qualified-weight.toml", "1 voting member(s) have no `population`: FRA", 43, 59);
    assert_help(&p, "population");
}

// ---- Injects and effects ------------------------------------------------------------------

#[test]
fn inject_without_timing() {
    expect("inject-no-timing.toml", "inject `crisis` needs either `round` or both `probability` and `window`", 46, 1);
}

#[test]
fn inject_addressed_to_an_unknown_team() {
    let p = expect("inject-to-unknown.toml", "unknown bloc or actor `SUA`", 50, 6);
    assert!(p.help.as_deref().unwrap_or_default().contains("USA"), "{p}");
}

#[test]
fn held_inject_with_a_round() {
    let p =
        expect("inject-held-with-round.toml", "inject `crisis` is held for the trainer, so it has no timing", 50, 9);
    assert_help(&p, "put the facilitator's timing in `cue`");
}

#[test]
fn inject_round_outside_the_forum() {
    expect("inject-round-outside.toml", "round 9 is not a round of the forum (1 to 6)", 49, 9);
}

#[test]
fn inject_window_reversed() {
    expect("inject-window-reversed.toml", "the window's first round comes after its last", 50, 10);
}

#[test]
fn effect_with_two_actions() {
    // Actions are collected in the order of NUMBER_ACTIONS, not the order written, so the
    // "second action" label lands on the first one written.
    expect("effect-two-actions.toml", "an effect has one action; this is a second one", 51, 77);
}

#[test]
fn effect_with_two_actions_is_rejected() {
    problems("effect-two-actions.toml");
}

#[test]
fn effect_without_action() {
    expect("effect-no-action.toml", "an effect needs one action", 51, 3);
}

#[test]
fn effect_without_targets() {
    expect("effect-no-targets.toml", "targets", 51, 15);
}

#[test]
fn cohesion_effect_on_an_actor() {
    expect("effect-cohesion-actor.toml", "`set_cohesion` changes blocs; its targets must all be bloc ids", 51, 15);
}

#[test]
fn cohesion_effect_on_a_bloc_and_its_member() {
    expect("effect-cohesion-member.toml", "its targets must all be bloc ids", 51, 15);
}

// ---- Actors -------------------------------------------------------------------------------

#[test]
fn red_line_excluding_own_position() {
    let p = expect(
        "red-line-own-position.toml",
        "`USA` stands at 20 on `treaty`, outside its own red line [50, 80]",
        36,
        24,
    );
    assert_help(&p, "widen the red line");
}

#[test]
fn missing_salience_without_bloc() {
    let p = expect("missing-salience.toml", "`USA` has no position or salience on treaty, fund", 33, 6);
    assert_help(&p, "it belongs to no bloc");
}

#[test]
fn missing_salience_with_bloc_without_default() {
    let p = expect("missing-bloc-default.toml", "`FRA` has no position or salience on fund", 27, 6);
    assert_help(&p, "its blocs (EU) give no default");
}

#[test]
fn missing_status_quo() {
    let p = expect("missing-status-quo.toml", "[[issue]] `fund` has no `status_quo`", 16, 1);
    assert_help(&p, "status_quo = ");
}

#[test]
fn a_value_out_of_range_is_reported_once() {
    for name in ["range-position.toml", "range-salience.toml", "range-rounds.toml", "type-table-for-list.toml"] {
        let problems = problems(name);
        assert_eq!(problems.len(), 1, "{name}: one mistake, {} problems:\n{problems}", problems.len());
    }
}

// ---- The actors table ---------------------------------------------------------------------

#[test]
fn table_cell_not_a_number() {
    let p = expect_in(
        "table-bad-number.toml",
        "table-bad-number.csv",
        "row on line 3, column `capability`: `five` is not a number",
        3,
        17,
    );
    assert_help(&p, "column `capability`");
}

#[test]
fn table_row_with_too_many_cells() {
    expect_in(
        "table-too-many-cells.toml",
        "table-too-many-cells.csv",
        "row on line 3 has 7 cells, the header has 6",
        3,
        1,
    );
}

#[test]
fn table_duplicate_id() {
    let p = expect_in("table-duplicate-id.toml", "table-duplicate-id.csv", "duplicate actor id `DEU`", 3, 1);
    assert_help(&p, "first defined on line 2");
}

#[test]
fn table_without_id_column() {
    expect_in("table-no-id-column.toml", "table-no-id-column.csv", "the actors table has no `id` column", 1, 1);
}

#[test]
fn table_file_missing() {
    let p = expect("table-missing-file.toml", "no-such-table.csv", 6, 16);
    assert!(p.message.contains("cannot read"), "{p}");
    assert_help(&p, "relative to the folder of the scenario file");
}

#[test]
fn table_cell_not_a_number_after_non_ascii_text() {
    // Columns count characters: `TUR,Türkiye,state,` is 18 characters (19 bytes).
    expect_in(
        "table-non-ascii.toml",
        "table-non-ascii.csv",
        "row on line 2, column `capability`: `fünf` is not a number",
        2,
        19,
    );
}

#[test]
fn table_with_crlf_line_endings() {
    let text = std::fs::read_to_string(fixture("table-crlf.csv")).expect("fixture");
    assert!(text.contains("\r\n"), "table-crlf.csv must keep its CRLF line endings");
    expect_in("table-crlf.toml", "table-crlf.csv", "row on line 3, column `capability`: `x` is not a number", 3, 17);
}

#[test]
fn crlf_table_is_read_like_lf() {
    let toml = std::fs::read_to_string(fixture("base-table.toml")).expect("fixture");
    let csv = std::fs::read_to_string(fixture("base-table.csv")).expect("fixture");
    let load = |table: String| {
        scenario::from_text("t.toml", &toml, PathBuf::from("t.toml"), move |_| Ok(("t.csv".into(), table.clone())))
            .unwrap_or_else(|p| panic!("{p}"))
    };
    let lf = load(csv.clone());
    let crlf = load(csv.replace('\n', "\r\n"));
    let deu = |s: &scenario::Scenario| s.actors.iter().find(|a| a.id == "DEU").expect("DEU").clone();
    assert_eq!(deu(&lf).capability, 2.0);
    assert_eq!(deu(&crlf).capability, deu(&lf).capability);
    assert_eq!(deu(&crlf).blocs, deu(&lf).blocs);
    assert_eq!(deu(&crlf).attributes, deu(&lf).attributes);
}

// ---- Many mistakes at once ----------------------------------------------------------------

#[test]
fn every_mistake_is_reported_at_once_in_file_order() {
    let problems = problems("multiple.toml");
    assert!(problems.len() >= 5, "five mistakes, {} problems:\n{problems}", problems.len());
    let places: Vec<(usize, usize)> = problems.iter().map(Problem::line_col).collect();
    assert!(places.is_sorted(), "not in file order: {places:?}");
    let expected = [
        ("unknown key `titel`", (4, 1)),
        ("the cohesion of bloc `EU` is 1.2", (22, 12)),
        ("`capability` in [[actor]] `FRA` must be a number", (28, 14)),
        ("unknown bloc `EUU`", (30, 10)),
        ("round 9 is not a round of the forum", (49, 9)),
    ];
    let mut from = 0;
    for (fragment, place) in expected {
        let Some(i) = problems.iter().skip(from).position(|p| p.message.contains(fragment)) else {
            panic!("{fragment:?} missing or out of order:\n{problems}")
        };
        assert_eq!(problems.0[from + i].line_col(), place, "{fragment}");
        from += i + 1;
    }
}

// ---- The binary ---------------------------------------------------------------------------

fn plenary(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenary"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the plenary binary runs")
}

#[test]
fn validate_command_reports_file_line_column() {
    let out = plenary(&["validate", "tests/data/invalid/range-capability.toml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(out.stdout.is_empty(), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr.contains("tests/data/invalid/range-capability.toml:28:14"), "stderr:\n{stderr}");
    assert!(stderr.contains("the capability of `FRA` is 0"), "stderr:\n{stderr}");
    assert!(stderr.contains("1 problem found"), "stderr:\n{stderr}");
}

#[test]
fn validate_command_reports_every_problem_of_every_file() {
    let out = plenary(&["validate", "tests/data/invalid/base.toml", "tests/data/invalid/multiple.toml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(stdout.contains("base.toml") && !stdout.contains("multiple.toml"), "stdout:\n{stdout}");
    for place in
        ["multiple.toml:4:1", "multiple.toml:22:12", "multiple.toml:28:14", "multiple.toml:30:10", "multiple.toml:49:9"]
    {
        assert!(stderr.contains(place), "{place} missing from stderr:\n{stderr}");
    }
}

#[test]
fn validate_command_names_the_actors_table() {
    let out = plenary(&["validate", "tests/data/invalid/table-bad-number.toml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("tests/data/invalid/table-bad-number.csv:3:17"), "stderr:\n{stderr}");
}

#[test]
fn validate_command_counts_columns_in_characters() {
    let out = plenary(&["validate", "tests/data/invalid/table-non-ascii.toml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(stderr.contains("tests/data/invalid/table-non-ascii.csv:2:19"), "stderr:\n{stderr}");
}

#[test]
fn run_command_refuses_an_invalid_scenario_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out_dir = dir.path().join("x");
    let out = plenary(&[
        "run",
        "tests/data/invalid/range-capability.toml",
        "--out",
        out_dir.to_str().expect("UTF-8 temp path"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(stderr.contains("range-capability.toml:28:14"), "stderr:\n{stderr}");
    assert!(!out_dir.exists(), "the run created {}", out_dir.display());
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("temp dir").collect();
    assert!(left.is_empty(), "the run left {left:?}");
}
