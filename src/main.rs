//! The command line: parses arguments, calls the library, maps failures to exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use plenary::Failure;
use plenary::commands::{self, RunArgs};

#[derive(Parser)]
#[command(
    name = "plenary",
    version,
    about = "Scenario simulation of multilateral negotiation: seeded rounds in, outcome statistics out."
)]
#[command(
    after_help = "Without a command, runs the built-in default scenario (the OEWG handing over to the Global Mechanism)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario's replicates and write the results as CSV.
    Run(Run),
    /// Check scenario files and report every problem with its line and column.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the scenario format, for editors.
    Schema,
}

#[derive(clap::Args, Default)]
struct Run {
    /// Scenario file (TOML); the built-in default scenario if left out.
    scenario: Option<PathBuf>,
    /// Master seed (overrides the scenario's).
    #[arg(long)]
    seed: Option<u64>,
    /// Number of replicates (overrides the scenario's).
    #[arg(long)]
    replicates: Option<u64>,
    /// Worker threads; results do not depend on it. Default: all cores.
    #[arg(long)]
    threads: Option<usize>,
    /// Results folder. Default: results/<scenario id>/.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write rounds.csv: the draft and the responses round by round.
    #[arg(long)]
    trace: bool,
    /// Replace the results already in the folder.
    #[arg(long)]
    force: bool,
}

fn report(failure: &Failure) {
    match failure {
        Failure::Input(problems) => eprint!("{}", problems.render(color())),
        Failure::Refused(message) | Failure::Io(message) => eprintln!("error: {message}"),
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Run(Run::default())) {
        Command::Run(run) => {
            let args = RunArgs {
                scenario: run.scenario,
                seed: run.seed,
                replicates: run.replicates,
                threads: run.threads,
                out: run.out,
                trace: run.trace,
                force: run.force,
                progress: true,
            };
            match commands::run(&args) {
                Ok(done) => {
                    print!("{}", done.summary);
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    report(&failure);
                    ExitCode::from(failure.exit_code() as u8)
                }
            }
        }
        Command::Validate { files } => {
            let (fine, failed) = commands::validate(&files);
            for line in &fine {
                println!("{line}");
            }
            for problems in &failed {
                eprint!("{}", problems.render(color()));
            }
            if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) }
        }
        Command::Schema => {
            println!("{}", plenary::scenario::schema::json());
            ExitCode::SUCCESS
        }
    }
}
