//! `plenary play`: a tabletop session. Human teams take some seats, the model plays the
//! rest, the trainer may fire injects between rounds; everything is logged to
//! decisions.toml so that the session can be replayed exactly or rehearsed from a script.

pub(crate) mod adhoc;
mod console;
pub mod log;
mod room;
pub mod standing;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::Failure;
use crate::diagnostic::suggestion;
use crate::output::blocs::{BlocGains, write_positions};
use crate::output::folder::OutputFolder;
use crate::output::manifest::{Manifest, sha256_hex};
use crate::output::summary::Summary;
use crate::output::tables::Tables;
use crate::scenario::{Loaded, Scenario};
use adhoc::Desk;
use log::{Entry, Header, Log};
use room::Room;
use standing::Seated;

#[derive(Clone, Debug, Default)]
pub struct PlayArgs {
    /// None: the default scenario built into the binary.
    pub scenario: Option<PathBuf>,
    pub seats: Vec<String>,
    pub seed: Option<u64>,
    pub out: Option<PathBuf>,
    pub force: bool,
    /// Team decisions and injects scripted in advance; nothing is asked.
    pub moves: Option<PathBuf>,
    /// A session's decisions.toml, played again with its scenario, seed and seats.
    pub replay: Option<PathBuf>,
    /// Do not stop for the trainer between rounds.
    pub no_pause: bool,
}

/// The log as it stands, saved after every decision while the session runs, so that a
/// crash or a closed terminal loses nothing: `plenary play --replay` takes it like any log.
pub const LIVE_LOG: &str = "decisions.live.toml";

pub struct PlayReport {
    pub folder: PathBuf,
    pub files: Vec<String>,
    /// (forum name, round) where the session was stopped, if it was.
    pub stopped: Option<(String, u32)>,
}

fn read_log(path: &Path) -> Result<Log, Failure> {
    let name = path.display().to_string();
    let text = crate::input::read_text(path, crate::scenario::limits::MAX_LOG_BYTES, "decisions log or moves file")?;
    Ok(Log::parse(&name, &text)?)
}

/// A session checked and ready to be played: the scenario, its seats and seed, the script
/// of decisions and injects to take as they come, and where the prompts begin.
pub(crate) struct Setup {
    pub scenario: Arc<Scenario>,
    pub text: String,
    pub seats: Vec<Seated>,
    pub seed: u64,
    pub script: Vec<Entry>,
    /// From this point (forum's place in the running order, round) on, ask the teams;
    /// `None`: never (a rehearsal scripted with --moves, or a finished session replayed).
    pub live_from: Option<(usize, u32)>,
    pub header: Header,
}

pub fn play(args: &PlayArgs) -> Result<PlayReport, Failure> {
    let setup = set_up(args)?;
    let folder_path =
        args.out.clone().unwrap_or_else(|| Path::new("results").join(format!("{}-play", setup.scenario.id)));
    // Before the session, not after two hours of it.
    let folder = OutputFolder::prepare(&folder_path, args.force)?;
    let live = folder.dir().join(LIVE_LOG);
    let team_names = team_names(&setup.seats);
    let mut room = Room::new(
        setup.scenario.clone(),
        &setup.text,
        setup.seats,
        setup.script,
        setup.live_from,
        !args.no_pause,
        Some((live, setup.header.clone())),
    );
    let played = crate::sim::run_session(&setup.scenario, setup.seed, &mut room);
    finish(folder, &setup.scenario, &setup.text, setup.header, played, room.log, &team_names)
}

/// The teams as the narrative names them: "United States (USA)".
pub(crate) fn team_names(seats: &[Seated]) -> Vec<String> {
    seats.iter().map(|s| format!("{} ({})", s.name, s.id)).collect()
}

/// Checks a session's scenario, seats and script (a replayed log's, or the `--moves` file).
pub(crate) fn set_up(args: &PlayArgs) -> Result<Setup, Failure> {
    let (loaded, seat_ids, seed, script, live_from_stop) = match &args.replay {
        Some(path) => {
            let log = read_log(path)?;
            let Some(header) = log.header.clone() else {
                return Err(Failure::Refused(format!(
                    "{} has no scenario, seed or seats: it is a moves file, not a session's log\n  hint: use it with `plenary play SCENARIO --seat ... --moves {}`",
                    path.display(),
                    path.display()
                )));
            };
            let scenario_path = args.scenario.clone().or_else(|| {
                (!header.scenario.is_empty() && header.scenario != crate::scenario::DEFAULT_NAME)
                    .then(|| PathBuf::from(&header.scenario))
            });
            if let Some(path) = &scenario_path
                && !path.exists()
            {
                return Err(Failure::Refused(format!(
                    "the session's scenario {} is not there; its path is relative to the folder the session was played in\n  hint: run the replay from that folder, or name the scenario: plenary play SCENARIO --replay {}",
                    path.display(),
                    args.replay.as_ref().map_or(String::new(), |p| p.display().to_string())
                )));
            }
            let loaded = crate::commands::load(scenario_path.as_deref())?;
            let table_sha = loaded.scenario.actors_table.as_ref().map(|(_, text)| sha256_hex(text.as_bytes()));
            if header.actors_table_sha256.is_some() && header.actors_table_sha256 != table_sha {
                return Err(Failure::Refused(format!(
                    "the actors table of {} has changed since the session was played; a replay needs the same table\n  hint: restore the table the session used (its SHA-256 is {})",
                    loaded.scenario.source.display(),
                    header.actors_table_sha256.as_deref().unwrap_or("")
                )));
            }
            if sha256_hex(loaded.text.as_bytes()) != header.scenario_sha256 {
                return Err(Failure::Refused(format!(
                    "the scenario {} has changed since the session was played; a replay needs the same file\n  hint: restore the file the session used (its SHA-256 is {})",
                    loaded.scenario.source.display(),
                    header.scenario_sha256
                )));
            }
            (loaded, header.seats, header.seed, log.entries, Some(log.stopped))
        }
        None => {
            let loaded = crate::commands::load(args.scenario.as_deref())?;
            let script = match &args.moves {
                Some(path) => read_log(path)?.entries,
                None => Vec::new(),
            };
            let seed = crate::scenario::limits::check_seed(args.seed.unwrap_or(loaded.scenario.seed))?;
            (loaded, args.seats.clone(), seed, script, None)
        }
    };
    let Loaded { scenario, text } = loaded;
    if scenario.model != crate::scenario::Model::Chair {
        return Err(Failure::Refused(format!(
            "plenary play seats teams in the chair's negotiation; this scenario uses the {} model, which has no drafts to answer\n  hint: remove `model` from the scenario's [scenario] table, or use `plenary run`",
            scenario.model.name()
        )));
    }
    if seat_ids.is_empty() {
        return Err(Failure::Refused("no seat is taken\n  hint: add --seat ID for each team, e.g. --seat USA".into()));
    }
    let seats = resolve_seats(&scenario, &seat_ids)?;
    check_script(&scenario, &text, &seats, &script)?;
    let live_from = match (live_from_stop, &args.moves) {
        // A replay goes on at the prompts from where the session stopped; a finished one is played through.
        (Some(Some((forum, round))), _) => {
            let f = scenario.forum_index(&forum).ok_or_else(|| {
                Failure::Refused(format!("the log stopped in forum `{forum}`, which the scenario does not have"))
            })?;
            if round > scenario.forums[f].rounds {
                return Err(Failure::Refused(format!(
                    "the log stopped at round {round} of forum `{forum}`, which has {} rounds\n  hint: the log does not come from a session of this scenario; use its own",
                    scenario.forums[f].rounds
                )));
            }
            Some((scenario.forum_order.iter().position(|&x| x == f).unwrap_or(0), round))
        }
        (Some(None), _) | (None, Some(_)) => None,
        (None, None) => Some((0, 0)),
    };

    let header = Header {
        scenario: scenario.source.display().to_string(),
        scenario_sha256: sha256_hex(text.as_bytes()),
        actors_table_sha256: scenario.actors_table.as_ref().map(|(_, text)| sha256_hex(text.as_bytes())),
        seed,
        seats: seat_ids,
    };
    Ok(Setup { scenario: Arc::new(scenario), text, seats, seed, script, live_from, header })
}

/// Writes what a session leaves: its log and narrative, and when it was played to the
/// end, the tables of one traced run (a stopped session's would look complete).
pub(crate) fn finish(
    mut folder: OutputFolder,
    scenario: &Arc<Scenario>,
    text: &str,
    header: Header,
    played: crate::sim::Played,
    entries: Vec<Entry>,
    team_names: &[String],
) -> Result<PlayReport, Failure> {
    let seed = header.seed;
    let live = folder.dir().join(LIVE_LOG);
    let stopped = played.stopped.map(|(f, r)| (scenario.forums[f].id.clone(), r));
    let log = Log { header: Some(header), stopped: stopped.clone(), entries };
    let mut files = Vec::new();
    folder.write_text("decisions.toml", &log.to_toml())?;
    files.push("decisions.toml".to_string());
    let story = crate::output::narrative::told(&played.scenario, &played.record, seed, team_names, played.stopped);
    folder.write_text("narrative.md", &story)?;
    files.push("narrative.md".to_string());
    // An unfinished negotiation has no outcome: its tables would look complete and mislead.
    if played.stopped.is_none() {
        let mut tables = Tables::create(&mut folder, true, played.scenario.model)?;
        tables.write(&played.scenario, seed, &played.record)?;
        tables.finish()?;
        let mut summary = Summary::new(&played.scenario);
        summary.add(&played.scenario, &played.record);
        summary.write_csv(&played.scenario, folder.create("summary.csv")?)?;
        let mut bloc_gains = BlocGains::new(&played.scenario);
        bloc_gains.add(&played.scenario, &played.record);
        bloc_gains.write_csv(&played.scenario, folder.create("blocs.csv")?)?;
        write_positions(&played.scenario, &played.record, folder.create("positions.csv")?)?;
        files.extend(Tables::names(played.scenario.model, true).into_iter().map(String::from));
        files.extend(["summary.csv", "blocs.csv", "positions.csv"].map(String::from));
    }
    let what = format!("A tabletop session of scenario `{}` ({}), seed {seed}", scenario.id, scenario.source.display());
    folder.write_text("README.md", &crate::output::readme::readme(&scenario.title, &what, &files))?;
    files.push("README.md".to_string());
    if played.stopped.is_none() {
        files.push("manifest.json".to_string());
        Manifest::new(scenario, text, seed, (1, 1, true), files).write(&mut folder)?;
    }
    let dir = folder.dir().to_path_buf();
    let files = folder.commit()?;
    // decisions.toml now holds all of it.
    let _ = std::fs::remove_file(&live);
    let stopped = stopped.map(|(f, r)| (scenario.forums[scenario.forum_index(&f).unwrap_or(0)].name.clone(), r));
    Ok(PlayReport { folder: dir, files, stopped })
}

/// Each seat is an actor or a bloc; no actor may sit in two seats.
fn resolve_seats(scenario: &Scenario, ids: &[String]) -> Result<Vec<Seated>, Failure> {
    let mut seats: Vec<Seated> = Vec::new();
    for id in ids {
        let seat = if let Some(a) = scenario.actor_index(id) {
            Seated { id: id.clone(), name: scenario.actors[a].name.clone(), members: vec![a] }
        } else if let Some(bloc) = scenario.blocs.iter().find(|b| b.id == *id) {
            Seated { id: id.clone(), name: bloc.name.clone(), members: bloc.members.clone() }
        } else {
            let ids = scenario.actors.iter().map(|a| a.id.as_str()).chain(scenario.blocs.iter().map(|b| b.id.as_str()));
            let hint = suggestion(id, ids).unwrap_or_else(|| "use an actor id or a bloc id of the scenario".into());
            return Err(Failure::Refused(format!("the scenario has no actor or bloc `{id}`\n  hint: {hint}")));
        };
        if seat.members.is_empty() {
            return Err(Failure::Refused(format!("bloc `{id}` has no members to seat")));
        }
        if !scenario.forums.iter().any(|f| seat.members.iter().any(|a| f.voting.binary_search(a).is_ok())) {
            return Err(Failure::Refused(format!(
                "`{id}` has no vote in any forum of the scenario: its team would have nothing to answer\n  hint: seat a voting member; stakeholders speak through the chair's draft"
            )));
        }
        for other in &seats {
            if let Some(a) = seat.members.iter().find(|a| other.members.contains(a)) {
                return Err(Failure::Refused(format!(
                    "{} would sit in two seats, `{}` and `{id}`\n  hint: seat a bloc or its member, not both",
                    scenario.actors[*a].name, other.id
                )));
            }
        }
        seats.push(seat);
    }
    Ok(seats)
}

/// Every id in a script names something of the scenario, and every inject written on the
/// spot is valid, before the session starts.
fn check_script(scenario: &Scenario, text: &str, seats: &[Seated], script: &[Entry]) -> Result<(), Failure> {
    let mut desk = Desk::new(scenario, text);
    let bad = |what: &str, id: &str, ids: Vec<&str>, at: (&str, u32)| {
        let hint = suggestion(id, ids).unwrap_or_else(|| format!("use a {what} id of the scenario"));
        Failure::Refused(format!(
            "the script names {what} `{id}` (at forum `{}`, round {}), which the scenario does not have\n  hint: {hint}",
            at.0, at.1
        ))
    };
    for entry in script {
        let at = entry.at();
        let Some(f) = scenario.forum_index(at.0) else {
            return Err(bad("forum", at.0, scenario.forums.iter().map(|f| f.id.as_str()).collect(), at));
        };
        if at.1 > scenario.forums[f].rounds {
            return Err(Failure::Refused(format!(
                "the script has round {} of forum `{}`, which has {} rounds\n  hint: use a round from 1 to {}",
                at.1, at.0, scenario.forums[f].rounds, scenario.forums[f].rounds
            )));
        }
        match entry {
            Entry::Inject(fired) => match &fired.text {
                Some(typed) => {
                    desk.write(at.0, at.1, typed).map_err(|problems| {
                        Failure::Refused(format!(
                            "the inject `{}` written in the script is not valid:\n{problems}",
                            fired.id
                        ))
                    })?;
                }
                None => match scenario.injects.iter().find(|i| i.id == fired.id) {
                    Some(inject) if inject.forum == f => {}
                    Some(_) => {
                        return Err(Failure::Refused(format!(
                            "the script fires inject `{}` in forum `{}`, but it belongs to another forum",
                            fired.id, at.0
                        )));
                    }
                    None => {
                        return Err(bad(
                            "inject",
                            &fired.id,
                            scenario.injects.iter().map(|i| i.id.as_str()).collect(),
                            at,
                        ));
                    }
                },
            },
            Entry::Decision(d) => {
                if !seats.iter().any(|s| s.id == d.seat) {
                    let taken: Vec<&str> = seats.iter().map(|s| s.id.as_str()).collect();
                    return Err(Failure::Refused(format!(
                        "the script has a decision for seat `{}` (forum `{}`, round {}), which no team takes in this session (seats: {})\n  hint: add --seat {}, or take its decisions out of the script",
                        d.seat,
                        at.0,
                        at.1,
                        taken.join(", "),
                        d.seat
                    )));
                }
                for id in d.moves.iter().map(|(k, _)| k).chain(d.red_lines.iter().map(|(k, _)| k)) {
                    if !scenario.issues.iter().any(|i| i.id == *id) {
                        return Err(bad("issue", id, scenario.issues.iter().map(|i| i.id.as_str()).collect(), at));
                    }
                }
                // As at the prompt: positions and red lines lie on the issue's scale.
                let on_scale = |id: &str, x: f64| {
                    let issue = scenario.issues.iter().find(|i| i.id == id).expect("checked above");
                    if x.is_finite() && issue.lo <= x && x <= issue.hi {
                        Ok(())
                    } else {
                        Err(Failure::Refused(format!(
                            "the script puts seat `{}` at {x} on `{id}` (forum `{}`, round {}), off the issue's scale\n  hint: use a number from {} to {}",
                            d.seat, at.0, at.1, issue.lo, issue.hi
                        )))
                    }
                };
                for (id, x) in &d.moves {
                    on_scale(id, *x)?;
                }
                for (id, line) in &d.red_lines {
                    if let Some((lo, hi)) = line {
                        on_scale(id, *lo)?;
                        on_scale(id, *hi)?;
                        if lo > hi {
                            return Err(Failure::Refused(format!(
                                "the script's red line [{lo}, {hi}] on `{id}` for seat `{}` (forum `{}`, round {}) runs backwards\n  hint: write the lower end first: [{hi}, {lo}]",
                                d.seat, at.0, at.1
                            )));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// The scenario's inject `id`, if the trainer may fire it now in `forum`: not one that
/// fires on its own, not one fired already (its effects would count twice).
pub(crate) fn named_inject(scenario: &Scenario, log: &[Entry], forum: usize, id: &str) -> Result<usize, String> {
    let forum_id = &scenario.forums[forum].id;
    let fired = |id: &str| log.iter().any(|e| matches!(e, Entry::Inject(f) if f.id == id && f.forum == *forum_id));
    match scenario.injects.iter().position(|i| i.id == id) {
        Some(i) if scenario.injects[i].forum == forum => match scenario.injects[i].timing {
            crate::scenario::Timing::Round(r) => {
                Err(format!("inject `{id}` is scheduled for round {r}: it fires on its own"))
            }
            _ if fired(id) => Err(format!("inject `{id}` has already been fired in this forum")),
            _ => Ok(i),
        },
        Some(i) => Err(format!(
            "inject `{id}` happens in {}; fire it while that forum sits",
            scenario.forums[scenario.injects[i].forum].name
        )),
        None => {
            let ids = scenario.injects.iter().filter(|i| i.forum == forum).map(|i| i.id.as_str());
            let hint = suggestion(id, ids).unwrap_or_else(|| "type `list` to see them".into());
            Err(format!("there is no inject `{id}` in this forum\n  hint: {hint}"))
        }
    }
}
