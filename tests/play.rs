//! `plenary play`: scripted sessions, replays, bloc seats, the trainer's injects, and
//! sessions ended early.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use plenary::Failure;
use plenary::play::{PlayArgs, play};

use crate::common::scenarios_dir;

fn tutorial() -> PathBuf {
    scenarios_dir().join("tutorial.toml")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The rows of rounds.csv as (round, issue, objects).
fn objections(folder: &Path) -> Vec<(u32, String, u32)> {
    let mut reader = csv::Reader::from_path(folder.join("rounds.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (round, issue, objects) = (column("round"), column("issue"), column("objects"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[round].parse().unwrap(), r[issue].to_string(), r[objects].parse().unwrap())
        })
        .collect()
}

const MOVES: &str = r#"
[[decision]]
forum = "working-group"
round = 1
seat = "USA"
answer = "object"
red_lines = { treaty = [0, 30] }

[[inject]]
forum = "working-group"
round = 2
id = "outage"
text = """
id = "outage"
name = "Cloud outage"
narrative = "A major cloud outage takes hospitals offline."
effects = [{ targets = ["all-states"], issue = "capacity", shift_salience = 0.1 }]
"""

[[decision]]
forum = "working-group"
round = 3
seat = "USA"
answer = "accept"
moves = { treaty = 28 }
"#;

#[test]
fn a_scripted_session_and_its_replay_give_the_same_results() {
    let tmp = tempfile::tempdir().unwrap();
    let moves = tmp.path().join("moves.toml");
    std::fs::write(&moves, MOVES).unwrap();
    let scripted = tmp.path().join("scripted");
    let done = play(&PlayArgs {
        scenario: Some(tutorial()),
        seats: vec!["USA".into()],
        out: Some(scripted.clone()),
        moves: Some(moves),
        ..Default::default()
    })
    .unwrap_or_else(|f| panic!("{f:?}"));
    assert!(done.stopped.is_none());
    let replayed = tmp.path().join("replayed");
    play(&PlayArgs {
        replay: Some(scripted.join("decisions.toml")),
        out: Some(replayed.clone()),
        ..Default::default()
    })
    .unwrap_or_else(|f| panic!("{f:?}"));
    for file in
        ["narrative.md", "runs.csv", "outcomes.csv", "actors.csv", "rounds.csv", "summary.csv", "decisions.toml"]
    {
        assert_eq!(read(&scripted.join(file)), read(&replayed.join(file)), "{file} differs between script and replay");
    }
    // A trainer projects the session's report in the debrief.
    let page = plenary::report::report(&scripted, false).unwrap_or_else(|f| panic!("{f:?}"));
    let html = read(&page);
    assert!(html.contains("outage"), "the report does not mark the inject written on the spot");
    assert!(html.contains("One play-through (a tabletop session)"), "the report reads one session as a sample");
    // The script took effect: the team's objection, its red line and the inject written on the spot.
    let story = read(&scripted.join("narrative.md"));
    assert!(story.contains("Teams in the room played United States (USA)"), "{story}");
    assert!(story.contains("**Event: Cloud outage.** A major cloud outage takes hospitals offline."), "{story}");
    let round1 = story.split("### Round 1").nth(1).unwrap().split("### Round 2").next().unwrap();
    assert!(round1.contains("United States"), "the team's objection is not told in round 1:\n{round1}");
    let log = read(&scripted.join("decisions.toml"));
    assert!(log.contains("seats = [\"USA\"]") && log.contains("red_lines = { \"treaty\" = [0, 30] }"), "{log}");
    // A round the script leaves out (round 2) is answered by the model, and logged as such;
    // round 2 is played because the team's objection blocked consensus in round 1.
    assert!(log.contains("round = 2\nseat = \"USA\"\nanswer = \"model\""), "{log}");
}

#[test]
fn a_bloc_seat_answers_for_all_its_members() {
    let tmp = tempfile::tempdir().unwrap();
    let moves = tmp.path().join("moves.toml");
    std::fs::write(
        &moves,
        "[[decision]]\nforum = \"working-group\"\nround = 1\nseat = \"western\"\nanswer = \"object\"\n\n\
         [[decision]]\nforum = \"working-group\"\nround = 2\nseat = \"western\"\nanswer = \"accept\"\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    play(&PlayArgs {
        scenario: Some(tutorial()),
        seats: vec!["western".into()],
        out: Some(out.clone()),
        moves: Some(moves),
        ..Default::default()
    })
    .unwrap_or_else(|f| panic!("{f:?}"));
    let story = read(&out.join("narrative.md"));
    assert!(story.contains("Objecting by their team's choice: United States and France."), "{story}");
    // Both members object in round 1. In round 2 both accept, so at most Russia and Brazil object.
    let rows = objections(&out);
    assert!(rows.iter().filter(|r| r.0 == 1).all(|r| r.2 >= 2), "{rows:?}");
    let round2 = story.split("### Round 2").nth(1).unwrap().split("### ").next().unwrap();
    assert!(!round2.contains("United States") || !round2.contains("Objecting"), "{round2}");
    assert!(!round2.contains("France ("), "France objected in round 2 though its bloc accepted:\n{round2}");
}

#[test]
fn an_actor_in_two_seats_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let failure = play(&PlayArgs {
        scenario: Some(tutorial()),
        seats: vec!["western".into(), "FRA".into()],
        out: Some(tmp.path().join("out")),
        no_pause: true,
        ..Default::default()
    });
    match failure {
        Err(Failure::Refused(message)) => assert!(message.contains("France would sit in two seats"), "{message}"),
        Err(other) => panic!("expected a refusal, got {other:?}"),
        Ok(_) => panic!("overlapping seats were accepted"),
    }
}

#[test]
fn a_script_with_a_typo_is_refused_before_the_session() {
    let tmp = tempfile::tempdir().unwrap();
    let moves = tmp.path().join("moves.toml");
    std::fs::write(&moves, "[[decision]]\nforum = \"working-group\"\nround = 1\nseat = \"USA\"\nanswer = \"acept\"\n")
        .unwrap();
    let result = play(&PlayArgs {
        scenario: Some(tutorial()),
        seats: vec!["USA".into()],
        out: Some(tmp.path().join("out")),
        moves: Some(moves.clone()),
        ..Default::default()
    });
    let Err(Failure::Input(problems)) = result else { panic!("a bad answer was accepted") };
    let problem = problems.iter().next().unwrap();
    assert_eq!(problem.line_col(), (5, 10));
    assert!(problem.help.as_deref().unwrap().contains("did you mean `accept`?"));

    std::fs::write(&moves, MOVES.replace("moves = { treaty = 28 }", "moves = { traety = 28 }")).unwrap();
    let result = play(&PlayArgs {
        scenario: Some(tutorial()),
        seats: vec!["USA".into()],
        out: Some(tmp.path().join("out")),
        moves: Some(moves),
        ..Default::default()
    });
    let Err(Failure::Refused(message)) = result else { panic!("an unknown issue was accepted") };
    assert!(message.contains("issue `traety`") && message.contains("did you mean `treaty`?"), "{message}");
    assert!(!tmp.path().join("out").exists(), "a refused session wrote results");
}

fn plenary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_plenary"))
}

#[test]
fn the_trainer_gets_a_hint_for_a_mistyped_inject_and_the_session_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let input = "\n\
        accept\n\
        fire ransomwar\n\
        fire ransomware\n\
        new\n\
        id = \"smuggler\"\n\
        [[actor]]\n\
        \n\
        new\n\
        id = \"cable\"\n\
        name = \"Cable cut\"\n\
        effects = [{ targets = [\"all-states\"], issue = \"capacty\", shift_salience = 0.1 }]\n\
        \n\
        new\n\
        id = \"cable\"\n\
        name = \"Cable cut\"\n\
        effects = [{ targets = [\"all-states\"], issue = \"capacity\", shift_salience = 0.1 }]\n\
        \n\
        \n\
        object\n";
    let mut child = plenary()
        .args(["play", tutorial().to_str().unwrap(), "--seat", "USA", "--out", out.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        stdout.contains("there is no inject `ransomwar` in this forum\n  hint: did you mean `ransomware`?"),
        "{stdout}"
    );
    assert!(stdout.contains("line 3: unknown issue `capacty`\n    hint: did you mean `capacity`?"), "{stdout}");
    // A scheduled inject fires on its own; firing it too would count its effects twice.
    assert!(stdout.contains("inject `ransomware` is scheduled for round 3: it fires on its own"), "{stdout}");
    // The session's world has the scenario's actors: typed text cannot add any.
    assert!(stdout.contains("line 2: `[[actor]]` starts a table of its own"), "{stdout}");
    assert!(stdout.contains("Cable cut fires at the start of round 2."), "{stdout}");
    // The input ended during round 3: the session stops there, saved, with no tables.
    assert!(stdout.contains("The session was stopped in Working group on ICTs, round 3."), "{stdout}");
    let log = read(&out.join("decisions.toml"));
    assert!(log.contains("stopped = { forum = \"working-group\", round = 3 }"), "{log}");
    assert!(log.contains("id = \"cable\"\ntext = "), "{log}");
    assert!(!log.contains("ransomwar\""), "the mistyped inject was logged:\n{log}");
    assert!(read(&out.join("narrative.md")).contains("**Event: Cable cut.**"));
    assert!(!out.join("runs.csv").exists(), "a stopped session wrote tables that look complete");

    // The replay plays the log up to the stop and goes on at the prompts from there.
    let resumed = tmp.path().join("resumed");
    let mut child = plenary()
        .args(["play", "--replay", out.join("decisions.toml").to_str().unwrap(), "--out", resumed.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("\naccept\n".repeat(6).as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(!stdout.contains("round 1 of 6"), "the replay asked again about a round of the log:\n{stdout}");
    assert!(stdout.contains("round 3 of 6"), "the replay did not go on at round 3:\n{stdout}");
    let log = read(&resumed.join("decisions.toml"));
    assert!(!log.contains("stopped ="), "{log}");
    assert!(log.contains("id = \"cable\"\ntext = ") && log.contains("round = 3\nseat = \"USA\"\nanswer = \"accept\""));
    assert!(resumed.join("runs.csv").exists());
}

#[test]
fn ctrl_c_ends_the_session_with_everything_so_far_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut child = plenary()
        .args(["play", tutorial().to_str().unwrap(), "--seat", "USA", "--out", out.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"\naccept\n").unwrap();
    stdin.flush().unwrap();
    // Wait for the trainer's prompt before round 2, then press Ctrl-C; stdin stays open.
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("round 2 of 6") || !seen.ends_with(b"trainer> ") {
        let n = stdout.read(&mut buffer).unwrap();
        assert!(n > 0, "the session ended before round 2:\n{}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buffer[..n]);
    }
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let status = child.wait().unwrap();
    drop(stdin);
    assert!(status.success(), "Ctrl-C did not end the session cleanly: {status:?}");
    let log = read(&out.join("decisions.toml"));
    assert!(log.contains("round = 1\nseat = \"USA\"\nanswer = \"accept\""), "{log}");
    assert!(log.contains("stopped = { forum = \"working-group\", round = 2 }"), "{log}");
    assert!(read(&out.join("narrative.md")).contains("### Round 1"));
}

#[test]
fn an_unknown_seat_gets_a_hint_and_exit_code_2() {
    let tmp = tempfile::tempdir().unwrap();
    let output = plenary()
        .args(["play", tutorial().to_str().unwrap(), "--seat", "USB", "--out", tmp.path().join("o").to_str().unwrap()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no actor or bloc `USB`") && stderr.contains("did you mean `USA`?"), "{stderr}");
}

#[test]
fn a_script_off_the_scale_and_a_seat_without_a_vote_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let moves = tmp.path().join("moves.toml");
    std::fs::write(&moves, MOVES.replace("moves = { treaty = 28 }", "moves = { treaty = 300 }")).unwrap();
    let base = PlayArgs { scenario: Some(tutorial()), out: Some(tmp.path().join("out")), ..Default::default() };
    let result = play(&PlayArgs { seats: vec!["USA".into()], moves: Some(moves.clone()), ..base.clone() });
    let Err(Failure::Refused(message)) = result else { panic!("a position off the scale was accepted") };
    assert!(message.contains("at 300 on `treaty`") && message.contains("from 0 to 100"), "{message}");

    std::fs::write(&moves, MOVES.replace("red_lines = { treaty = [0, 30] }", "red_lines = { treaty = [30, 0] }"))
        .unwrap();
    let result = play(&PlayArgs { seats: vec!["USA".into()], moves: Some(moves), ..base.clone() });
    let Err(Failure::Refused(message)) = result else { panic!("a backward red line was accepted") };
    assert!(message.contains("runs backwards"), "{message}");

    let result = play(&PlayArgs { seats: vec!["TechCo".into()], no_pause: true, ..base });
    let Err(Failure::Refused(message)) = result else { panic!("a seat without a vote was accepted") };
    assert!(message.contains("`TechCo` has no vote in any forum"), "{message}");
    assert!(!tmp.path().join("out").exists(), "a refused session wrote results");
}

#[test]
fn a_session_that_dies_leaves_its_log_to_go_on_from() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut child = plenary()
        .args(["play", tutorial().to_str().unwrap(), "--seat", "USA", "--out", out.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"\nobject\n").unwrap();
    stdin.flush().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("round 2 of 6") || !seen.ends_with(b"trainer> ") {
        let n = stdout.read(&mut buffer).unwrap();
        assert!(n > 0, "the session ended before round 2:\n{}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buffer[..n]);
    }
    // No handler runs on SIGKILL: only what was saved as the session went is left.
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);
    let live = out.join("decisions.live.toml");
    let log = read(&live);
    assert!(log.contains("round = 1\nseat = \"USA\"\nanswer = \"object\""), "{log}");
    assert!(log.contains("stopped = { forum = \"working-group\", round = 1 }"), "{log}");
    assert!(!out.join("decisions.toml").exists() && !out.join("runs.csv").exists());

    // It replays like any log: round 1 from the log, then on at the prompts.
    let resumed = tmp.path().join("resumed");
    let mut child = plenary()
        .args(["play", "--replay", live.to_str().unwrap(), "--out", resumed.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("\naccept\n".repeat(6).as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let log = read(&resumed.join("decisions.toml"));
    assert!(log.contains("round = 1\nseat = \"USA\"\nanswer = \"object\""), "{log}");
    assert!(!resumed.join("decisions.live.toml").exists(), "the live log outlived a finished session");
}

/// The recorded session of the fuzzing corpus, with `from` replaced by `to`.
fn recorded_with(from: &str, to: &str) -> String {
    let text = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz/decisions.toml"));
    assert!(text.contains(from), "the recorded session has `{from}`");
    text.replacen(from, to, 1)
}

fn log_problems(text: &str) -> String {
    match plenary::play::log::Log::parse("decisions.toml", text) {
        Ok(_) => panic!("the log was accepted"),
        Err(problems) => problems.to_string(),
    }
}

#[test]
fn a_replay_refuses_a_duplicated_decision_a_stop_past_the_end_and_an_inject_named_twice() {
    let duplicated = recorded_with(
        "[[decision]]\nforum = \"working-group\"\nround = 1\n",
        "[[decision]]\nforum = \"working-group\"\nround = 2\n",
    );
    let message = log_problems(&duplicated);
    assert!(message.contains("a second decision for seat `USA` in forum `working-group`, round 2"), "{message}");

    let renamed = recorded_with("id = \"walkout\"\ntext", "id = \"strike\"\ntext");
    let message = log_problems(&renamed);
    assert!(message.contains("the inject is `strike` here and `walkout` in its text"), "{message}");

    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("decisions.toml");
    let text = recorded_with(
        "seats = [\"USA\"]\n",
        "seats = [\"USA\"]\nstopped = { forum = \"working-group\", round = 1000000 }\n",
    );
    std::fs::write(
        &log,
        text.replace(
            "scenario = \"scenarios/tutorial.toml\"",
            &format!("scenario = {:?}", tutorial().display().to_string()),
        ),
    )
    .unwrap();
    let args = PlayArgs { replay: Some(log), out: Some(tmp.path().join("out")), no_pause: true, ..Default::default() };
    match play(&args) {
        Err(Failure::Refused(message)) => assert!(message.contains("stopped at round 1000000"), "{message}"),
        Err(other) => panic!("expected a refusal, got {other:?}"),
        Ok(_) => panic!("a log stopped at round 1,000,000 of 6 was replayed"),
    }
}

#[test]
fn control_bytes_typed_at_a_prompt_are_not_echoed_to_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // An arrow key's escape sequence and a bell, then the session played to the end.
    let input = "\n\u{1b}[A\u{7}accept\n\naccept\n\naccept\n\naccept\n\naccept\n\naccept\n\n";
    let mut child = plenary()
        .args(["play", tutorial().to_str().unwrap(), "--seat", "USA", "--out", out.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{7}'), "control bytes echoed: {stdout:?}");
    assert!(stdout.contains("\u{FFFD}[A\u{FFFD}accept"), "shown replaced: {stdout}");
}
