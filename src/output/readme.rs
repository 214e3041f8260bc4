//! README.md of a results folder: what produced it and what each of its files holds, for
//! whoever opens the folder without the documentation at hand.

use std::fmt::Write;

/// One line per file plenary may write into a folder.
const DESCRIPTIONS: [(&str, &str); 21] = [
    ("runs.csv", "one row per replicate and forum: adopted or not, in which round, by which rule"),
    ("outcomes.csv", "one row per replicate, forum and issue: the status quo, the compromise and the outcome"),
    (
        "actors.csv",
        "one row per replicate, forum and actor: utility of the outcome and of the status quo, gain, last answer",
    ),
    ("rounds.csv", "(--trace) the draft text and the accepts, objections and abstentions round by round"),
    ("injects.csv", "(--trace) when each inject fired"),
    ("exchanges.csv", "(--trace, exchange models) every exchange of positions, one row per side"),
    ("trajectories.csv", "(--trace, moving models) the voting members' positions after each round"),
    ("summary.csv", "statistics across the replicates: mean, spread, quantiles, intervals per forum and measure"),
    ("blocs.csv", "mean gain per bloc across the replicates"),
    ("positions.csv", "replicate 0: every actor's position against the outcome, for the report's chart"),
    ("narrative.md", "replicate 0 (or the session) told round by round, to read aloud"),
    ("decisions.toml", "the session's team decisions and injects, to replay it with `plenary play --replay`"),
    ("sweep.csv", "one row per run and forum: the run's point, replicate and seed, then what the run did"),
    ("points.csv", "the design's parameter points, one row each"),
    ("sensitivity.csv", "Sobol sensitivity indices per forum, measure and parameter, with bootstrap intervals"),
    ("manifest.json", "what produced the folder (program, scenario and its SHA-256, seed, command line), written last"),
    ("report.html", "the report of `plenary report`: charts and tables, self-contained"),
    ("room-tokens.json", "the links of a `plenary room` session's teams, screen and trainer (keep it private)"),
    ("README.md", "this file"),
    (".plenary.lock", "(hidden) the lock that keeps a second writer out while a command writes here"),
    (".sweep-plan.json", "(hidden, while a sweep is interrupted) the plan a `--resume` is checked against"),
];

/// The README of a folder holding `files` (README.md among them); `what` says what was run (scenario, seed,
/// replicates). It depends on nothing else, so that a run repeated writes the same bytes.
pub fn readme(title: &str, what: &str, files: &[String]) -> String {
    let mut out =
        format!("# {title}\n\n{what}, by plenary {}.\n\n| file | holds |\n|---|---|\n", env!("CARGO_PKG_VERSION"));
    for name in files.iter().map(String::as_str) {
        if let Some((_, holds)) = DESCRIPTIONS.iter().find(|(n, _)| *n == name) {
            let _ = writeln!(out, "| {name} | {holds} |");
        }
    }
    out.push_str(
        "\nColumns, units and how to read them: docs/outputs.md (a sweep's: docs/experiments.md).\n\
         `plenary report` on this folder writes report.html. The folder is complete when\n\
         manifest.json is here; plenary writes it last.\n",
    );
    out
}
