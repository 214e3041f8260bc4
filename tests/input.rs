//! Bounded input: every kind of input file is refused, before it is read, when it is not
//! a regular file (a device, a FIFO) or is over its limit (a sparse 3 GiB file); and an
//! error report's work grows linearly with its problems (counted, not timed).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use plenary::Failure;
use plenary::commands::{self, RunArgs};
use plenary::experiment::sweep::{SweepArgs, sweep};
use plenary::play::{PlayArgs, play};

const BASE: &str = include_str!("data/invalid/base.toml");

/// Every reader of an input file, given the path of the file to read as that kind; each
/// returns the message it was refused with.
type Reader = Box<dyn Fn(&Path) -> String + Send + Sync>;

fn readers(dir: &Path) -> Vec<(&'static str, Reader)> {
    let base = dir.join("base.toml");
    fs::write(&base, BASE).unwrap();
    let with_table = dir.to_path_buf();
    let out = dir.join("out");
    let run_args = move |p: &Path| RunArgs { scenario: Some(p.into()), out: Some(out.clone()), ..RunArgs::default() };
    let run_args_too = run_args.clone();
    vec![
        ("scenario", Box::new(move |p: &Path| message(commands::run(&run_args(p)).map(drop)))),
        (
            "actors table",
            Box::new(move |p: &Path| {
                let scenario = with_table.join("with-table.toml");
                let text = BASE.replace(
                    "replicates = 10",
                    &format!("replicates = 10\nactors_table = {:?}", p.display().to_string()),
                );
                fs::write(&scenario, text).unwrap();
                message(commands::run(&run_args_too(&scenario)).map(drop))
            }),
        ),
        (
            "experiment",
            Box::new(|p: &Path| message(sweep(&SweepArgs { experiment: p.into(), ..Default::default() }).map(drop))),
        ),
        (
            "moves",
            Box::new(move |p: &Path| {
                let args = PlayArgs {
                    scenario: Some(base.clone()),
                    seats: vec!["USA".into()],
                    moves: Some(p.into()),
                    ..Default::default()
                };
                message(play(&args).map(drop))
            }),
        ),
        (
            "replay",
            Box::new(|p: &Path| message(play(&PlayArgs { replay: Some(p.into()), ..Default::default() }).map(drop))),
        ),
        (
            "import",
            Box::new(|p: &Path| message(commands::import(plenary::import::Format::Ktab, p, None, false).map(drop))),
        ),
        (
            "backtest",
            Box::new(|p: &Path| {
                let args = plenary::backtest::BacktestArgs {
                    file: p.into(),
                    layout: plenary::backtest::Layout::parse("auto"),
                    out: None,
                    force: false,
                    seed: 1,
                    replicates: 1,
                };
                message(plenary::backtest::backtest(&args).map(drop))
            }),
        ),
    ]
}

fn message(result: Result<(), Failure>) -> String {
    match result {
        Err(Failure::Input(problems)) => problems.render(false),
        Err(Failure::Refused(m) | Failure::Io(m)) => m,
        Ok(()) => "accepted".into(),
    }
}

/// Calls `f` on a thread and gives up after a while: a reader that blocks on a FIFO
/// must fail the test, not hang it.
fn within_a_minute(f: impl FnOnce() -> String + Send + 'static) -> String {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    receive.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| "blocked".into())
}

#[test]
fn a_device_and_a_fifo_are_refused_as_every_kind_of_input() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for (kind, read) in readers(tmp.path()) {
        let read = std::sync::Arc::new(read);
        for (path, is) in [(PathBuf::from("/dev/zero"), "is a device"), (fifo.clone(), "is a FIFO")] {
            let read = read.clone();
            let message = within_a_minute(move || read(&path));
            assert!(message.contains(is), "{kind} {is}: {message}");
        }
    }
}

#[test]
fn a_sparse_file_over_the_limit_of_each_kind_is_refused_before_it_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big");
    fs::File::create(&big).unwrap().set_len(3 << 30).unwrap();
    for (kind, read) in readers(tmp.path()) {
        let message = read(&big);
        assert!(message.contains("is 3.0 GiB, more than the"), "{kind}: {message}");
    }
}

/// The work of validating `text` (with `table` as its actors table) and rendering its
/// problems, and how many problems were found.
fn report_work(text: &str, table: &str) -> (u64, usize) {
    let before = plenary::diagnostic::work();
    let table = table.to_string();
    let Err(problems) =
        plenary::scenario::from_text("s.toml", text, "s.toml".into(), |_| Ok(("t.csv".into(), table.clone())))
    else {
        panic!("the scenario has problems")
    };
    let rendered = problems.render(false);
    assert!(rendered.contains("problems found"));
    (plenary::diagnostic::work() - before, problems.len())
}

fn unknown_keys(n: usize) -> String {
    let keys: String = (0..n).map(|i| format!("unknown_{i} = 1\n")).collect();
    BASE.replace("[parameters]\n", &format!("{keys}\n[parameters]\n"))
}

fn rows_with_unknown_blocs(n: usize) -> (String, String) {
    let text = BASE.replace("replicates = 10", "replicates = 10\nactors_table = \"t.csv\"");
    let rows: String = (0..n).map(|i| format!("X{i},Actor {i},Nowhere,NoSuchBloc{i},1,1\n")).collect();
    (text, format!("id,name,region,blocs,capability,population\n{rows}"))
}

#[test]
fn an_error_report_takes_work_linear_in_its_problems() {
    let (small, n_small) = report_work(&unknown_keys(2_000), "");
    let (large, n_large) = report_work(&unknown_keys(16_000), "");
    assert!(n_large >= 16_000 && n_small >= 2_000);
    // Eight times the problems: about eight times the work; a quadratic report does 64.
    assert!(large < small * 12, "unknown keys: {small} then {large} bytes scanned");

    let (text, table) = rows_with_unknown_blocs(1_000);
    let (small, _) = report_work(&text, &table);
    let (text, table) = rows_with_unknown_blocs(8_000);
    let (large, _) = report_work(&text, &table);
    assert!(large < small * 12, "unknown blocs: {small} then {large} bytes scanned");
}
