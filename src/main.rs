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
    /// Run an experiment: every parameter point of its design, with replicates.
    Sweep(Sweep),
    /// Merge the folders of a sharded sweep into the files of an unsharded one.
    Merge {
        /// The shards' results folders.
        #[arg(required = true)]
        folders: Vec<PathBuf>,
        /// Where the merged files go. Default: results/<experiment id>/.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace merged results already in the folder.
        #[arg(long)]
        force: bool,
    },
    /// Print a team brief for a seat in a tabletop exercise: positions, red lines, allies.
    Brief {
        /// Scenario file (TOML); the built-in default scenario if left out.
        scenario: Option<PathBuf>,
        /// The seat: an actor id or a bloc id (a bloc answers for all its members).
        #[arg(long, required = true)]
        seat: Vec<String>,
    },
    /// Play a tabletop session: human teams take seats, the model plays everyone else.
    Play(Play),
    /// Run a tabletop session in browsers: a page per team, the room's screen, the trainer's console.
    Room(Room),
    /// Print the JSON Schema of the scenario format, for editors.
    Schema,
    /// Write report.html into a results folder: charts and tables for a debrief, self-contained.
    Report {
        /// A results folder written by `plenary run` or `plenary sweep`.
        folder: PathBuf,
        /// Replace a report.html already in the folder.
        #[arg(long)]
        force: bool,
    },
    /// Turn the input of another negotiation model into a scenario file.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Score models against observed outcomes: mean and median absolute error, share within 10 points.
    Backtest(Backtest),
}

#[derive(clap::Args)]
struct Backtest {
    /// Issues with observed outcomes: plenary's backtest CSV or the DEU III layout (docs/backtest.md).
    file: PathBuf,
    /// The file's layout; by default told from its header.
    #[arg(long, value_parser = ["auto", "plenary", "deu"], default_value = "auto")]
    layout: String,
    /// Write every prediction per issue and model here (CSV).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the --out file if it exists.
    #[arg(long)]
    force: bool,
    /// Master seed of the simulated models, 0 to 2^63 - 1.
    #[arg(long, default_value_t = plenary::backtest::DEFAULT_SEED)]
    seed: u64,
    /// Replicates per case of the simulated models; their prediction is the mean outcome.
    #[arg(long, default_value_t = plenary::backtest::DEFAULT_REPLICATES)]
    replicates: u64,
}

#[derive(Subcommand)]
enum ImportSource {
    /// A decide-exchange-model input file (#A, #P, #M and #D rows).
    Decide(ImportFile),
    /// A KTAB SMP CSV file (name,desc,nActors,nDims; Actor,Description,Power,Pstn1,Sal1,...).
    Ktab(ImportFile),
}

#[derive(clap::Args)]
struct ImportFile {
    /// The file to import.
    file: PathBuf,
    /// Write the scenario here instead of printing it.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the --out file if it exists.
    #[arg(long)]
    force: bool,
    /// The model the scenario is played with (docs/models.md).
    #[arg(long, default_value = "chair", value_parser = clap::builder::PossibleValuesParser::new(plenary::scenario::Model::NAMES))]
    model: String,
}

#[derive(clap::Args)]
#[command(after_help = "Each round, every seated team sees the chair's draft and answers at its prompt \
(type help there). Between rounds the trainer may fire injects. Ctrl-C ends the session with everything \
so far saved. See docs/tabletop.md.")]
struct Play {
    /// Scenario file (TOML); the built-in default scenario if left out.
    scenario: Option<PathBuf>,
    /// A seat for a team: an actor id or a bloc id (a bloc answers for all its members).
    #[arg(long, required_unless_present = "replay")]
    seat: Vec<String>,
    /// Master seed, 0 to 2^63 - 1. Default: the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    /// Results folder. Default: results/<scenario id>-play/.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the results already in the folder.
    #[arg(long)]
    force: bool,
    /// Take the teams' decisions (and the trainer's injects) from this file, in the format of
    /// decisions.toml; a team's round without one is answered by the model. Nothing is asked.
    #[arg(long, conflicts_with = "replay")]
    moves: Option<PathBuf>,
    /// Play a session's decisions.toml again, with its scenario, seed and seats; a session
    /// that was stopped goes on at the prompts from where it stopped.
    #[arg(long, conflicts_with_all = ["seat", "seed"])]
    replay: Option<PathBuf>,
    /// Do not stop for the trainer between rounds.
    #[arg(long)]
    no_pause: bool,
}

#[derive(clap::Args)]
#[command(after_help = "Prints one link per team, one for the room's screen and one for the trainer's \
console, each carrying its own key. Ctrl-C, or the console's button, ends the session with everything so \
far saved; --resume takes it up again with the same links. See docs/tabletop.md.")]
struct Room {
    /// Scenario file (TOML); the built-in default scenario if left out.
    scenario: Option<PathBuf>,
    /// A seat for a team: an actor id or a bloc id (a bloc answers for all its members).
    #[arg(long, required_unless_present = "resume")]
    seat: Vec<String>,
    /// Master seed. Default: the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    /// Address and port to listen on. Default: 127.0.0.1:8080, this machine only; 0.0.0.0:8080
    /// opens the room to the network the machine is on.
    #[arg(long)]
    listen: Option<String>,
    /// Results folder. Default: results/<scenario id>-room/.
    #[arg(long, conflicts_with = "resume")]
    out: Option<PathBuf>,
    /// Replace the results already in the folder.
    #[arg(long, conflicts_with = "resume")]
    force: bool,
    /// Take up a stopped session from its folder, where it stopped; the links stay the same.
    #[arg(long, conflicts_with_all = ["seat", "seed"])]
    resume: Option<PathBuf>,
}

#[derive(clap::Args)]
struct Sweep {
    /// Experiment file (TOML).
    experiment: PathBuf,
    /// Worker threads; results do not depend on it. Default: all cores.
    #[arg(long)]
    threads: Option<usize>,
    /// Results folder. Default: results/<experiment id>/ (a shard: .../shard-I-of-N/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Run only shard I of N (I from 0); N must be the experiment's `shards`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    shard: Option<(u64, u64)>,
    /// Finish an interrupted sweep in the same folder.
    #[arg(long)]
    resume: bool,
    /// Replace the results already in the folder.
    #[arg(long)]
    force: bool,
}

fn parse_shard(text: &str) -> Result<(u64, u64), String> {
    let (i, n) = text.split_once('/').ok_or("write the shard as I/N, e.g. 0/4")?;
    let i = i.trim().parse().map_err(|_| format!("`{i}` is not a shard number"))?;
    let n: u64 = n.trim().parse().map_err(|_| format!("`{n}` is not a shard count"))?;
    if n == 0 || i >= n {
        return Err(format!("shard {i}/{n}: shards are numbered 0 to N-1"));
    }
    Ok((i, n))
}

#[derive(clap::Args, Default)]
struct Run {
    /// Scenario file (TOML); the built-in default scenario if left out.
    scenario: Option<PathBuf>,
    /// Master seed, 0 to 2^63 - 1 (overrides the scenario's).
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
    /// Also write the run round by round: rounds.csv (the draft and the accepts, objections
    /// and abstentions per round and issue) and injects.csv (when each inject fired); under
    /// the exchange and expected-utility models also exchanges.csv and trajectories.csv.
    /// Every replicate is traced, so the files grow with replicates x rounds.
    #[arg(long)]
    trace: bool,
    /// Also write narrative.md: the first replicate told round by round, to read aloud.
    #[arg(long)]
    narrate: bool,
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

fn finish_sweep(result: Result<plenary::experiment::sweep::SweepReport, Failure>) -> ExitCode {
    match result {
        Ok(done) => {
            let resumed = match done.resumed_from {
                Some(r) if r == done.runs.end => " (all were done already: nothing was run)".to_string(),
                Some(r) => format!(" (resumed at run {r})"),
                None => String::new(),
            };
            println!(
                "Runs {} to {}{resumed} done. Results in {}/: {}",
                done.runs.start,
                done.runs.end.saturating_sub(1),
                done.folder.display(),
                done.files.join(", ")
            );
            if let Some(found) = plenary::output::sweep::findings(&done.folder) {
                print!("{found}");
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            report(&failure);
            ExitCode::from(failure.exit_code() as u8)
        }
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
                narrate: run.narrate,
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
        Command::Sweep(sweep) => {
            let args = plenary::experiment::sweep::SweepArgs {
                experiment: sweep.experiment,
                threads: sweep.threads,
                out: sweep.out,
                shard: sweep.shard,
                resume: sweep.resume,
                force: sweep.force,
                progress: true,
            };
            finish_sweep(plenary::experiment::sweep::sweep(&args))
        }
        Command::Merge { folders, out, force } => finish_sweep(plenary::experiment::sweep::merge(&folders, out, force)),
        Command::Brief { scenario, seat } => match commands::brief(scenario.as_deref(), &seat) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(failure) => {
                report(&failure);
                ExitCode::from(failure.exit_code() as u8)
            }
        },
        Command::Room(room) => {
            let args = plenary::room::RoomArgs {
                scenario: room.scenario,
                seats: room.seat,
                seed: room.seed,
                out: room.out,
                force: room.force,
                listen: room.listen,
                resume: room.resume,
            };
            let done = plenary::room::open(&args).and_then(|opened| {
                println!("{}", plenary::room::announce(&opened));
                // Ctrl-C, a closed terminal and SIGTERM end the session with everything saved.
                let _ = ctrlc::set_handler(opened.shutter());
                opened.wait(|saved| {
                    if let Ok(done) = saved {
                        println!("Saved in {}/: {}", done.folder.display(), done.files.join(", "));
                        if done.stopped.is_some() {
                            println!("Take it up again with: plenary room --resume {}", done.folder.display());
                        }
                        println!(
                            "The pages show the session until you close the room (Ctrl-C, or the console's button)."
                        );
                    }
                })
            });
            match done {
                Ok(_) => ExitCode::SUCCESS,
                Err(failure) => {
                    report(&failure);
                    ExitCode::from(failure.exit_code() as u8)
                }
            }
        }
        Command::Play(play) => {
            let args = plenary::play::PlayArgs {
                scenario: play.scenario,
                seats: play.seat,
                seed: play.seed,
                out: play.out,
                force: play.force,
                moves: play.moves,
                replay: play.replay,
                no_pause: play.no_pause,
            };
            match plenary::play::play(&args) {
                Ok(done) => {
                    if let Some((forum, round)) = &done.stopped {
                        println!("\nThe session was stopped in {forum}, round {round}.");
                        println!(
                            "Go on from there with: plenary play --replay {} --out NEW_FOLDER",
                            done.folder.join("decisions.toml").display()
                        );
                    }
                    println!("Saved in {}/: {}", done.folder.display(), done.files.join(", "));
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    report(&failure);
                    ExitCode::from(failure.exit_code() as u8)
                }
            }
        }
        Command::Report { folder, force } => match plenary::report::report(&folder, force) {
            Ok(path) => {
                println!("Report written to {}", path.display());
                ExitCode::SUCCESS
            }
            Err(failure) => {
                report(&failure);
                ExitCode::from(failure.exit_code() as u8)
            }
        },
        Command::Schema => {
            println!("{}", plenary::scenario::schema::json());
            ExitCode::SUCCESS
        }
        Command::Import { source } => {
            let (format, args) = match source {
                ImportSource::Decide(args) => (plenary::import::Format::Decide, args),
                ImportSource::Ktab(args) => (plenary::import::Format::Ktab, args),
            };
            let model = plenary::scenario::Model::parse(&args.model).expect("clap admits only model names");
            match commands::import_as(format, &args.file, args.out.as_deref(), args.force, model) {
                Ok(done) => {
                    match done.written {
                        Some(path) => println!("Imported {} into {}", args.file.display(), path.display()),
                        None => print!("{}", done.toml),
                    }
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    report(&failure);
                    ExitCode::from(failure.exit_code() as u8)
                }
            }
        }
        Command::Backtest(args) => {
            let args = plenary::backtest::BacktestArgs {
                file: args.file,
                layout: plenary::backtest::Layout::parse(&args.layout),
                out: args.out,
                force: args.force,
                seed: args.seed,
                replicates: args.replicates,
            };
            match plenary::backtest::backtest(&args) {
                Ok(done) => {
                    print!("{}", done.text);
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    report(&failure);
                    ExitCode::from(failure.exit_code() as u8)
                }
            }
        }
    }
}
