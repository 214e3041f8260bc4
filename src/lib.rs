//! plenary: a scenario simulation engine for multilateral negotiation.
//!
//! The flow: scenario file -> `scenario` (parsed, validated) -> `sim` (one bevy_ecs world
//! per replicate) -> `record` (plain rows) -> `experiment` (replicates in parallel) ->
//! `output` (CSV, summaries, manifest).

pub mod backtest;
pub mod commands;
pub mod diagnostic;
pub mod experiment;
pub mod failpoint;
pub mod import;
pub mod input;
pub mod output;
pub mod play;
pub mod record;
pub mod reference;
pub mod report;
pub mod room;
pub mod scenario;
pub mod sim;
pub mod toml_fields;

use diagnostic::Problems;

/// Why a command did not complete. Each maps to an exit code in `main`.
#[derive(Debug)]
pub enum Failure {
    /// The input files have problems; nothing was run or written (exit 2).
    Input(Problems),
    /// The request cannot be honoured as given, e.g. results would be overwritten (exit 2).
    Refused(String),
    /// Reading or writing failed (exit 1).
    Io(String),
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Input(_) | Failure::Refused(_) => 2,
            Failure::Io(_) => 1,
        }
    }
}

impl From<Problems> for Failure {
    fn from(problems: Problems) -> Self {
        Failure::Input(problems)
    }
}
