//! One seed range, 0 to 2^63 - 1, for run, sweep, play and replay: a seed a command
//! accepts can be written in a file and read back, and one outside is refused by each.

use std::fs;

use plenary::Failure;
use plenary::commands::{RunArgs, run};
use plenary::play::{PlayArgs, play};
use plenary::scenario::limits::MAX_SEED;

use crate::common::scenarios_dir;

fn refused<T>(result: Result<T, Failure>) -> String {
    match result {
        Err(Failure::Refused(message)) => message,
        Err(other) => panic!("expected a refusal, got {other:?}"),
        Ok(_) => panic!("a seed outside the range was accepted"),
    }
}

#[test]
fn a_seed_above_two_to_the_63_is_refused_by_run_and_play() {
    let tmp = tempfile::tempdir().unwrap();
    let tutorial = scenarios_dir().join("tutorial.toml");
    for seed in [MAX_SEED + 1, u64::MAX] {
        let args = RunArgs {
            scenario: Some(tutorial.clone()),
            seed: Some(seed),
            out: Some(tmp.path().join("r")),
            ..Default::default()
        };
        assert!(refused(run(&args)).contains("is outside 0..9223372036854775807"));
        let moves = tmp.path().join("moves.toml");
        fs::write(&moves, "").unwrap();
        let args = PlayArgs {
            scenario: Some(tutorial.clone()),
            seats: vec!["USA".into()],
            seed: Some(seed),
            moves: Some(moves),
            out: Some(tmp.path().join("p")),
            ..Default::default()
        };
        assert!(refused(play(&args)).contains("is outside 0..9223372036854775807"));
    }
    assert!(!tmp.path().join("r").exists() && !tmp.path().join("p").exists(), "nothing written");
}

#[test]
fn a_session_at_the_largest_seed_replays() {
    let tmp = tempfile::tempdir().unwrap();
    let moves = tmp.path().join("moves.toml");
    fs::write(&moves, "").unwrap();
    let first = tmp.path().join("first");
    let args = PlayArgs {
        scenario: Some(scenarios_dir().join("tutorial.toml")),
        seats: vec!["USA".into()],
        seed: Some(MAX_SEED),
        moves: Some(moves),
        out: Some(first.clone()),
        no_pause: true,
        ..Default::default()
    };
    play(&args).unwrap();
    let again = tmp.path().join("again");
    let replay = PlayArgs {
        replay: Some(first.join("decisions.toml")),
        out: Some(again.clone()),
        no_pause: true,
        ..Default::default()
    };
    play(&replay).unwrap();
    assert_eq!(fs::read(first.join("runs.csv")).unwrap(), fs::read(again.join("runs.csv")).unwrap());
}
