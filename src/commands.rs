//! The commands behind the command line: each takes its arguments, does its work through
//! the library and says what happened. `main` only parses arguments and maps failures to
//! exit codes.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};

use crate::Failure;
use crate::experiment::{self, Plan};
use crate::output::blocs::{BlocGains, write_positions};
use crate::output::choose::RunIdentity;
use crate::output::folder::OutputFolder;
use crate::output::manifest::Manifest;
use crate::output::summary::Summary;
use crate::output::tables::Tables;
use crate::scenario::{self, Loaded, limits::MAX_REPLICATES};

#[derive(Clone, Debug, Default)]
pub struct RunArgs {
    /// None: the default scenario built into the binary.
    pub scenario: Option<PathBuf>,
    pub seed: Option<u64>,
    pub replicates: Option<u64>,
    pub threads: Option<usize>,
    pub out: Option<PathBuf>,
    pub trace: bool,
    /// Also write narrative.md: replicate 0 told round by round.
    pub narrate: bool,
    pub force: bool,
    /// Show a progress bar (on stderr, when it is a terminal).
    pub progress: bool,
}

/// What a finished run reports.
pub struct RunReport {
    pub folder: PathBuf,
    pub files: Vec<String>,
    pub summary: String,
}

pub fn load(path: Option<&Path>) -> Result<Loaded, Failure> {
    match path {
        Some(path) => Ok(scenario::load(path)?),
        None => Ok(scenario::load_default()),
    }
}

pub fn run(args: &RunArgs) -> Result<RunReport, Failure> {
    let Loaded { scenario, text } = load(args.scenario.as_deref())?;
    let replicates = args.replicates.unwrap_or(scenario.replicates);
    if replicates == 0 || replicates > MAX_REPLICATES as u64 {
        return Err(Failure::Refused(format!(
            "--replicates {replicates} is outside 1..{MAX_REPLICATES}; nothing was run.\n  hint: split a larger study into runs with different seeds"
        )));
    }
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 || threads > 1024 {
        return Err(Failure::Refused(format!("--threads {threads} is outside 1..1024")));
    }
    if args.narrate && scenario.model.is_forecast() {
        return Err(Failure::Refused(format!(
            "--narrate tells a negotiation under the chair's model round by round; this scenario uses the {} model, which has no drafts or answers to tell. Nothing was run.\n  hint: use --trace for the forecast round by round (rounds.csv{})",
            scenario.model.name(),
            match (scenario.model.is_exchange(), scenario.model.moves_positions()) {
                (true, _) => ", exchanges.csv, trajectories.csv",
                (false, true) => ", trajectories.csv",
                _ => "",
            }
        )));
    }
    let seed = scenario::limits::check_seed(args.seed.unwrap_or(scenario.seed))?;
    let mut files: Vec<String> = Tables::names(scenario.model, args.trace).into_iter().map(String::from).collect();
    files.extend(["summary.csv".into(), "blocs.csv".into(), "positions.csv".into()]);
    if args.narrate {
        files.push("narrative.md".into());
    }
    files.extend(["README.md".into(), "manifest.json".into()]);
    let (folder_path, force, note) = match &args.out {
        Some(out) => (out.clone(), args.force, None),
        None if args.force => (Path::new("results").join(&scenario.id), true, None),
        None => {
            let identity = RunIdentity { scenario: &scenario, text: &text, seed, replicates, files: &files };
            crate::output::choose::default_folder(&identity)?
        }
    };
    let mut folder = OutputFolder::prepare(&folder_path, force)?;
    let mut tables = Tables::create(&mut folder, args.trace, scenario.model)?;
    let mut summary = Summary::new(&scenario);
    let mut bloc_gains = BlocGains::new(&scenario);
    let scenario = Arc::new(scenario);
    let plan = Plan { seed, replicates, threads, trace: args.trace };

    let bar = if args.progress && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(replicates);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos}/{len} replicates [{bar:40}] {per_sec}, {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    experiment::run(
        &scenario,
        &plan,
        |record| {
            summary.add(&scenario, &record);
            bloc_gains.add(&scenario, &record);
            tables.write(&scenario, seed, &record)
        },
        |done| {
            bar.set_position(done);
            Ok(())
        },
    )?;
    bar.finish_and_clear();
    tables.finish()?;
    summary.write_csv(&scenario, folder.create("summary.csv")?)?;
    bloc_gains.write_csv(&scenario, folder.create("blocs.csv")?)?;
    // Replicate 0 played again with its trace: the positions and the narrative are told of
    // the same play-through, the one the report draws.
    let replay = crate::sim::run_replicate(&scenario, seed, 0, true);
    write_positions(&scenario, &replay, folder.create("positions.csv")?)?;

    if args.narrate {
        folder.write_text("narrative.md", &crate::output::narrative::narrative(&scenario, &replay, seed))?;
    }
    let what =
        format!("{replicates} replicates of scenario `{}` ({}), seed {seed}", scenario.id, scenario.source.display());
    folder.write_text("README.md", &crate::output::readme::readme(&scenario.title, &what, &files))?;
    Manifest::new(&scenario, &text, seed, (replicates, threads, args.trace), files).write(&mut folder)?;
    let dir = folder.dir().to_path_buf();
    let written = folder.commit()?;

    let header = format!(
        "{} ({}): {replicates} replicate{}, seed {seed}",
        scenario.title,
        scenario.id,
        if replicates == 1 { "" } else { "s" }
    );
    let mut summary_text =
        format!("{header}\n{}\nResults in {}/: {}\n", summary.render(&scenario), dir.display(), written.join(", "));
    if let Some(note) = note {
        summary_text.push_str(&format!("Note: {note}\n"));
    }
    summary_text.push_str(&next_steps(&dir, args));
    Ok(RunReport { folder: dir, files: written, summary: summary_text })
}

/// The commands a newcomer tries next, with this run's folder in them.
fn next_steps(dir: &Path, args: &RunArgs) -> String {
    let scenario = args.scenario.as_ref().map_or_else(String::new, |p| format!(" {}", p.display()));
    let mut out =
        format!("\nNext: plenary report {} (charts and tables for a debrief, in report.html)\n", dir.display());
    if !args.narrate {
        out.push_str(&format!(
            "      plenary run{scenario} --narrate --out NEW_FOLDER (the first replicate told round by round)\n"
        ));
    }
    out.push_str("      README.md in the folder says what each file holds\n");
    out
}

/// Validates each scenario or experiment file; returns one line per valid file, and every
/// problem of the others.
pub fn validate(paths: &[PathBuf]) -> (Vec<String>, Vec<crate::diagnostic::Problems>) {
    let mut fine = Vec::new();
    let mut failed = Vec::new();
    for path in paths {
        if is_experiment(path) {
            match crate::experiment::file::load(path) {
                Ok(e) => fine.push(format!(
                    "ok  {}: experiment on {}, {} design, {} x {}",
                    path.display(),
                    e.scenario.id,
                    e.design.name(),
                    count(crate::experiment::design::count(&e) as usize, "point"),
                    count(e.replicates as usize, "replicate")
                )),
                Err(problems) => failed.push(problems),
            }
            continue;
        }
        match scenario::load(path) {
            Ok(Loaded { scenario: s, .. }) => fine.push(format!(
                "ok  {}: {}, {}, {}, {}, {}{}",
                path.display(),
                count(s.actors.len(), "actor"),
                count(s.blocs.len(), "bloc"),
                count(s.issues.len(), "issue"),
                count(s.forums.len(), "forum"),
                count(s.injects.len(), "inject"),
                // The default model goes unsaid, so that the line reads as before.
                if s.model == scenario::Model::Chair { String::new() } else { format!("; model {}", s.model.name()) }
            )),
            Err(problems) => failed.push(problems),
        }
    }
    (fine, failed)
}

/// `1 bloc`, `2 blocs`.
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// An experiment file has an `[experiment]` table at the top level; anything else, even a
/// file that does not parse, is read as a scenario (whose reader reports the problems).
fn is_experiment(path: &Path) -> bool {
    crate::input::read_text(path, scenario::limits::MAX_EXPERIMENT_BYTES, "experiment file").is_ok_and(|text| {
        toml::de::DeTable::parse(text.trim_start_matches('\u{feff}'))
            .is_ok_and(|table| table.get_ref().contains_key("experiment"))
    })
}

/// Team briefs for the given seats, one after another.
pub fn brief(path: Option<&Path>, seats: &[String]) -> Result<String, Failure> {
    let Loaded { scenario, .. } = load(path)?;
    let mut out = String::new();
    for seat in seats {
        match crate::output::brief::brief(&scenario, seat) {
            Some(text) => {
                out.push_str(&text);
                out.push('\n');
            }
            None => {
                let ids =
                    scenario.actors.iter().map(|a| a.id.as_str()).chain(scenario.blocs.iter().map(|b| b.id.as_str()));
                let hint = crate::diagnostic::suggestion(seat, ids)
                    .unwrap_or_else(|| "use an actor id or a bloc id of the scenario".into());
                return Err(Failure::Refused(format!("the scenario has no actor or bloc `{seat}`\n  hint: {hint}")));
            }
        }
    }
    Ok(out)
}

/// What `plenary import` did: the scenario TOML, and where it was written if it was.
pub struct ImportReport {
    pub toml: String,
    pub written: Option<PathBuf>,
}

/// Imports a decide-exchange-model or KTAB file as a scenario; writes it to `out` (never
/// over an existing file unless `force`), or only returns it.
pub fn import(
    format: crate::import::Format,
    file: &Path,
    out: Option<&Path>,
    force: bool,
) -> Result<ImportReport, Failure> {
    import_as(format, file, out, force, scenario::Model::Chair)
}

/// As [`import`], writing a scenario played with the given model.
pub fn import_as(
    format: crate::import::Format,
    file: &Path,
    out: Option<&Path>,
    force: bool,
    model: scenario::Model,
) -> Result<ImportReport, Failure> {
    let name = file.display().to_string();
    let text = crate::input::read_text(file, scenario::limits::MAX_IMPORT_BYTES, "file to import")?;
    if let Some(out) = out
        && out.exists()
        && !force
    {
        return Err(Failure::Refused(format!(
            "{} already exists; nothing was written.\n  hint: add --force to replace it",
            out.display()
        )));
    }
    let toml = crate::import::import_as(format, &name, &text, model)?;
    if let Some(out) = out {
        std::fs::write(out, &toml).map_err(|e| Failure::Io(format!("cannot write {}: {e}", out.display())))?;
    }
    Ok(ImportReport { toml, written: out.map(Path::to_path_buf) })
}
