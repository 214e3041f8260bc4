//! The room: human teams in their seats and the trainer at the front, as the simulation's
//! `Players`. Each decision comes from the script (a moves file or a replayed log), from a
//! prompt, or from the model when neither has one; every one is logged.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use super::adhoc::Desk;
use super::console::Console;
use super::log::{Answer, Entry, Fired, Header, TeamDecision, save_live};
use super::standing::{Lines, Pending, Seated, Standing};
use crate::diagnostic::suggestion;
use crate::record::{ForumRecord, Reason, RoundRecord, Seat};
use crate::scenario::{Interval, Scenario, Timing};
use crate::sim::{Decision, Fire, Players, RoundView};

const TEAM_COMMANDS: [&str; 10] =
    ["accept", "object", "abstain", "move", "redline", "lift", "model", "show", "help", "quit"];
const TRAINER_COMMANDS: [&str; 5] = ["list", "fire", "new", "quit", "help"];

const TEAM_HELP: &str = "  accept | object | abstain      answer for this round (a, o, ab also work)
  move ISSUE VALUE               move your position on an issue (e.g. move law 40)
  redline ISSUE LOW HIGH         declare a red line: object to any draft outside LOW..HIGH
  lift ISSUE                     lift your red line on an issue
  model                          let the model answer for you this round
  show                           show the draft and the standings again
  help                           this list
  quit                           (the trainer) end the session here, saving everything so far";

const TRAINER_HELP: &str = "  (Enter)                        next round
  list                           the injects you can fire: held ones with their cues first
  fire ID                        fire a named inject at the start of the next round
  new                            write an inject in the scenario file's syntax, end with an empty line
  quit                           end the session here, saving everything so far
  help                           this list";

pub struct Room {
    scenario: Arc<Scenario>,
    seats: Vec<Seated>,
    script: Vec<Entry>,
    /// From this point (forum's place in the running order, round) on, ask at the prompts;
    /// `None`: never (a rehearsal scripted with --moves, or a finished session replayed).
    live_from: Option<(usize, u32)>,
    pause: bool,
    console: Option<Console>,
    desk: Desk,
    pub log: Vec<Entry>,
    stopped: bool,
    /// Where the log is saved after every entry, so that a crash or a closed terminal loses
    /// nothing: (path, the log's header).
    live: Option<(PathBuf, Header)>,
    /// The forum and round in play, for the live log's resume point.
    at: (String, u32),
}

impl Room {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scenario: Arc<Scenario>,
        text: &str,
        seats: Vec<Seated>,
        script: Vec<Entry>,
        live_from: Option<(usize, u32)>,
        pause: bool,
        live: Option<(PathBuf, Header)>,
    ) -> Room {
        let console = live_from.map(|_| Console::start());
        let desk = Desk::new(&scenario, text);
        let at = (String::new(), 0);
        Room { scenario, seats, script, live_from, pause, console, desk, log: Vec::new(), stopped: false, live, at }
    }

    /// Logs an entry and saves the log so far, marked as stopped where play stands: a
    /// replay of it goes on at the prompts from there.
    fn record(&mut self, entry: Entry) {
        self.log.push(entry);
        if let Some((path, header)) = &self.live {
            save_live(path, header, &self.at, &self.log);
        }
    }

    fn place(&self, forum: usize) -> usize {
        self.scenario.forum_order.iter().position(|&f| f == forum).unwrap_or(usize::MAX)
    }

    fn live(&self, forum: usize, round: u32) -> bool {
        self.live_from.is_some_and(|from| (self.place(forum), round) >= from)
    }

    fn ask(&mut self, prompt: &str) -> Option<String> {
        let line = self.console.as_mut().and_then(|console| console.ask(prompt));
        if line.is_none() {
            self.stopped = true;
        }
        line
    }

    fn trainer(&mut self, scenario: &Scenario, forum: usize, round: u32, fires: &mut Vec<Fire>) {
        let f = &scenario.forums[forum];
        println!(
            "\n── Next: {}, round {round} of {} ── trainer: Enter to go on (or list, fire ID, new, quit, help)",
            f.name, f.rounds
        );
        loop {
            let Some(line) = self.ask("trainer> ") else { return };
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [] => return,
                ["list"] => println!("{}", self.library(forum)),
                ["fire"] => println!("write fire ID, e.g. fire {}; type list to see them", self.example(forum)),
                ["fire", id] => match self.named(forum, id) {
                    Ok(i) => {
                        let inject = &self.scenario.injects[i];
                        println!("{} fires at the start of round {round}.", inject.name);
                        let fired = Fired { forum: f.id.clone(), round, id: inject.id.clone(), text: None };
                        self.record(Entry::Inject(fired));
                        fires.push(Fire::Named(i));
                    }
                    Err(message) => println!("{message}"),
                },
                ["new"] => {
                    println!(
                        "Write the inject as in a scenario file (id, name, narrative, effects); its forum and round are set for you. End with an empty line."
                    );
                    let mut typed = String::new();
                    loop {
                        let Some(line) = self.ask("  | ") else { return };
                        if line.is_empty() {
                            break;
                        }
                        typed.push_str(&line);
                        typed.push('\n');
                    }
                    match self.desk.write(&f.id, round, &typed) {
                        Ok(inject) => {
                            println!("{} fires at the start of round {round}.", inject.name);
                            let fired = Fired { forum: f.id.clone(), round, id: inject.id.clone(), text: Some(typed) };
                            self.record(Entry::Inject(fired));
                            fires.push(Fire::AdHoc(inject));
                        }
                        Err(problems) => {
                            println!("The inject was not fired:\n{problems}Type `new` to write it again.")
                        }
                    }
                }
                ["quit"] => {
                    self.stopped = true;
                    return;
                }
                ["help"] | ["?"] => println!("{TRAINER_HELP}"),
                [word, ..] => println!("{}", unknown(word, &TRAINER_COMMANDS)),
            }
        }
    }

    /// The scenario's injects of this forum, held ones (the trainer's library) first.
    fn library(&self, forum: usize) -> String {
        let mut out = String::new();
        let of_forum: Vec<_> = self.scenario.injects.iter().filter(|i| i.forum == forum).collect();
        if of_forum.is_empty() {
            return "This forum has no named injects; write one with `new`.".into();
        }
        for inject in of_forum.iter().filter(|i| i.timing == Timing::Held) {
            let cue = if inject.cue.is_empty() { "held for you".to_string() } else { format!("held: {}", inject.cue) };
            let _ = writeln!(out, "  {}: {}\n      {cue}", inject.id, inject.name);
        }
        for inject in of_forum.iter().filter(|i| i.timing != Timing::Held) {
            let when = match inject.timing {
                Timing::Round(r) => format!("scheduled for round {r}"),
                Timing::Chance { probability, first, last } => {
                    format!("{:.0}% likely in rounds {first} to {last}", probability * 100.0)
                }
                Timing::Held => unreachable!("held injects are listed above"),
            };
            let _ = writeln!(out, "  {}: {}\n      {when}", inject.id, inject.name);
        }
        out.trim_end().to_string()
    }

    fn example(&self, forum: usize) -> &str {
        self.scenario.injects.iter().find(|i| i.forum == forum).map_or("ID", |i| i.id.as_str())
    }

    fn named(&self, forum: usize, id: &str) -> Result<usize, String> {
        super::named_inject(&self.scenario, &self.log, forum, id)
    }

    /// Asks a team for its decision; `None` if the session was stopped meanwhile.
    fn prompt(&mut self, view: &RoundView, seat: usize) -> Option<TeamDecision> {
        let scenario = &*view.scenario;
        let mut pending = Pending::default();
        println!("{}", self.standing(view, seat, &pending));
        let id = self.seats[seat].id.clone();
        let issue = |word: &str| -> Result<usize, String> {
            scenario.issues.iter().position(|i| i.id == word).ok_or_else(|| {
                let hint = suggestion(word, scenario.issues.iter().map(|i| i.id.as_str()))
                    .unwrap_or_else(|| "the issues are the ids in the table above".into());
                format!("there is no issue `{word}`\n  hint: {hint}")
            })
        };
        let value = |word: &str, k: usize| -> Result<f64, String> {
            let issue = &scenario.issues[k];
            match word.parse::<f64>() {
                // + 0.0 turns a typed -0 into 0.
                Ok(x) if x.is_finite() && issue.lo <= x && x <= issue.hi => Ok(x + 0.0),
                _ => Err(format!(
                    "`{word}` is not a position on {}: use a number from {} to {}",
                    issue.id, issue.lo, issue.hi
                )),
            }
        };
        let answer = loop {
            let line = self.ask(&format!("{id}> "))?;
            let words: Vec<&str> = line.split_whitespace().collect();
            let done = match words.as_slice() {
                [] => Err("answer accept, object or abstain (type help for more)".to_string()),
                ["accept" | "a"] => Ok(Some(Answer::Accept)),
                ["object" | "o"] => Ok(Some(Answer::Object)),
                ["abstain" | "ab"] => Ok(Some(Answer::Abstain)),
                ["model" | "m"] => Ok(Some(Answer::Model)),
                ["move", word, x] => issue(word).and_then(|k| {
                    pending.moves.push((k, value(x, k)?));
                    Ok(None)
                }),
                ["redline", word, lo, hi] => issue(word).and_then(|k| {
                    let (lo, hi) = (value(lo, k)?, value(hi, k)?);
                    if lo > hi {
                        return Err(format!("write the lower end first: redline {word} {hi} {lo}"));
                    }
                    pending.red_lines.push((k, Some(Interval { lo, hi })));
                    Ok(None)
                }),
                ["lift", word] => issue(word).map(|k| {
                    pending.red_lines.push((k, None));
                    None
                }),
                ["show"] => Ok(None),
                ["help" | "?"] => Err(TEAM_HELP.to_string()),
                ["quit"] => {
                    self.stopped = true;
                    return None;
                }
                ["move" | "redline" | "lift", ..] => {
                    Err("write move ISSUE VALUE, redline ISSUE LOW HIGH or lift ISSUE (type help for more)".into())
                }
                [word, ..] => Err(unknown(word, &TEAM_COMMANDS)),
            };
            match done {
                Ok(Some(answer)) => break answer,
                Ok(None) => println!("{}", self.standing(view, seat, &pending)),
                Err(message) => println!("{message}"),
            }
        };
        Some(pending.decision(scenario, view.forum, view.round, id, answer))
    }

    /// What a team sees: the draft against where it stands, what it gains, its blocs'
    /// common lines and where the main players stand.
    fn standing(&self, view: &RoundView, seat: usize, pending: &Pending) -> String {
        let scenario = &*view.scenario;
        let seated = &self.seats[seat];
        let forum = &scenario.forums[view.forum];
        let agenda = &forum.agenda;
        let standing = Standing::of(view, seated, pending);
        let mut out = String::new();
        let who = if seated.members.len() == 1 {
            format!("{} ({})", seated.name, seated.id)
        } else {
            format!("{} ({}, {} members voting here)", seated.name, seated.id, standing.voting)
        };
        let _ = writeln!(out, "\n━━ {} · round {} of {} ━━ {who} ━━", forum.name, view.round, forum.rounds);
        let _ = writeln!(out, "  {:<16} {:>6} {:>11} {:>6}   red line", "issue", "draft", "status quo", "you");
        for row in &standing.rows {
            let line = match row.lines {
                Lines::None => "none".to_string(),
                Lines::One(one) => format!("{:.0} to {:.0}", one.lo, one.hi),
                Lines::All(one, n) => format!("{:.0} to {:.0}, all {n} members", one.lo, one.hi),
                Lines::Some { held, of } => format!("held by {held} of your {of} members"),
            };
            let _ = writeln!(
                out,
                "  {:<16} {:>6.0} {:>11.0} {:>6.0}   {line}",
                scenario.issues[row.issue].id, row.draft, row.status_quo, row.you
            );
        }
        if let Some(gain) = &standing.gain {
            if standing.voting == 1 {
                let _ =
                    writeln!(out, "  The draft against the status quo: {:+.0} points of utility for you.", gain.mean);
            } else {
                let _ = writeln!(
                    out,
                    "  The draft against the status quo: {:+.0} points on average; {} of {} members better off.",
                    gain.mean, gain.better_off, gain.of
                );
            }
        }
        // Per issue: the members whose red line the draft crosses, named when they are few.
        let breaches: Vec<String> = standing
            .crossed
            .iter()
            .map(|(k, actors)| {
                let id = &scenario.issues[*k].id;
                match actors.len() {
                    _ if standing.voting == 1 => id.clone(),
                    n if n <= 5 => {
                        let names: Vec<&str> = actors.iter().map(|&a| scenario.actors[a].id.as_str()).collect();
                        format!("{id} ({})", names.join(", "))
                    }
                    n => format!("{id} ({n} of your members)"),
                }
            })
            .collect();
        if !breaches.is_empty() {
            let _ = writeln!(out, "  The draft crosses red lines: {}.", breaches.join(", "));
        }
        let common: Vec<String> = standing
            .common_lines
            .iter()
            .map(|(bloc, line)| {
                let items: Vec<String> =
                    line.iter().map(|(k, x)| format!("{} {x:.0}", scenario.issues[*k].id)).collect();
                format!("    {}: {}", scenario.blocs[*bloc].name, items.join(", "))
            })
            .collect();
        if !common.is_empty() {
            let _ = writeln!(out, "  Your blocs' common lines:\n{}", common.join("\n"));
        }
        if !standing.main_players.is_empty() {
            let header: Vec<String> =
                agenda.iter().map(|&k| format!("{:>9}", truncate(&scenario.issues[k].id, 8))).collect();
            let _ = writeln!(out, "  Where the main players stand:\n    {:<20}{}", "", header.join(""));
            for &a in &standing.main_players {
                let cells: Vec<String> =
                    agenda.iter().map(|&k| format!("{:>9.0}", view.actors[a].positions[k])).collect();
                let _ = writeln!(out, "    {:<20}{}", truncate(&scenario.actors[a].name, 19), cells.join(""));
            }
        }
        let _ = write!(out, "  Answer accept, object or abstain; or move, redline, lift, model, show, help.");
        out
    }
}

fn truncate(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}

fn unknown(word: &str, commands: &[&str]) -> String {
    let hint = suggestion(word, commands.iter().copied()).unwrap_or_else(|| "type help for the list".into());
    format!("`{word}` is not a command here\n  hint: {hint}")
}

impl Players for Room {
    fn seated(&self) -> Vec<usize> {
        self.seats.iter().flat_map(|s| s.members.iter().copied()).collect()
    }

    fn before_round(&mut self, scenario: &Scenario, forum: usize, round: u32) -> Vec<Fire> {
        let mut fires = Vec::new();
        let id = &scenario.forums[forum].id;
        self.at = (id.clone(), round);
        let scripted: Vec<Fired> = self
            .script
            .iter()
            .filter_map(|e| match e {
                Entry::Inject(i) if i.forum == *id && i.round == round => Some(i.clone()),
                _ => None,
            })
            .collect();
        for fired in scripted {
            let fire = match &fired.text {
                // Checked before the session began, in this same order.
                Some(text) => match self.desk.write(id, round, text) {
                    Ok(inject) => Fire::AdHoc(inject),
                    Err(_) => continue,
                },
                None => match self.scenario.injects.iter().position(|i| i.id == fired.id) {
                    Some(i) => Fire::Named(i),
                    None => continue,
                },
            };
            self.record(Entry::Inject(fired));
            fires.push(fire);
        }
        if self.pause && self.live(forum, round) {
            self.trainer(scenario, forum, round, &mut fires);
        }
        fires
    }

    fn decide(&mut self, view: &RoundView) -> Vec<Decision> {
        let forum_id = view.scenario.forums[view.forum].id.clone();
        let mut decisions = Vec::new();
        for &i in &view.events {
            let inject = &view.scenario.injects[i];
            let story = if inject.narrative.is_empty() { String::new() } else { format!(" {}", inject.narrative) };
            let only = inject.to.as_ref().map_or_else(String::new, |to| format!(" (to {to} alone)"));
            println!("\n** Event: {}.{only}{story}", inject.name);
        }
        for seat in 0..self.seats.len() {
            let voting: Vec<usize> =
                self.seats[seat].members.iter().copied().filter(|&a| view.actors[a].seat == Seat::Voting).collect();
            if voting.is_empty() {
                continue;
            }
            let scripted = self.script.iter().find_map(|e| match e {
                Entry::Decision(d) if d.forum == forum_id && d.round == view.round && d.seat == self.seats[seat].id => {
                    Some(d.clone())
                }
                _ => None,
            });
            let decision = match scripted {
                Some(d) => d,
                None if self.live(view.forum, view.round) => match self.prompt(view, seat) {
                    Some(d) => d,
                    None => return Vec::new(),
                },
                None => TeamDecision {
                    forum: forum_id.clone(),
                    round: view.round,
                    seat: self.seats[seat].id.clone(),
                    answer: Answer::Model,
                    moves: Vec::new(),
                    red_lines: Vec::new(),
                },
            };
            decisions.extend(decision.for_members(&view.scenario, &self.seats[seat].members, &voting));
            self.record(Entry::Decision(decision));
        }
        decisions
    }

    fn round_over(&mut self, scenario: &Scenario, forum: usize, round: &RoundRecord) {
        let name = |a: usize| scenario.actors[a].name.clone();
        let mut out = format!(
            "\n── {}, round {}: accept {}, object {}, abstain {}.",
            scenario.forums[forum].name, round.round, round.accepts, round.objects, round.abstains
        );
        let reasons: Vec<String> = round
            .objections
            .iter()
            .map(|o| match o.reason {
                Reason::RedLine { issue } => format!("{} (red line on {})", name(o.actor), scenario.issues[issue].id),
                Reason::Loss { gain } => format!("{} (loses {:.0} points)", name(o.actor), -gain * 100.0),
                Reason::Choice => format!("{} (its team's choice)", name(o.actor)),
            })
            .collect();
        if !reasons.is_empty() {
            let shown = reasons.len().min(8);
            let more =
                if reasons.len() > shown { format!(" and {} others", reasons.len() - shown) } else { String::new() };
            let _ = write!(out, "\n   Objecting: {}{more}.", reasons[..shown].join(", "));
        }
        println!("{out}");
    }

    fn forum_over(&mut self, scenario: &Scenario, record: &ForumRecord) {
        let forum = &scenario.forums[record.forum];
        let verdict = match (record.adopted, scenario.model.is_forecast()) {
            (true, _) => format!("adopted its text in round {}", record.rounds_used),
            (false, false) => format!("adopted nothing in {} rounds: the status quo holds", record.rounds_used),
            (false, true) => "forecast".into(),
        };
        let mut out = format!("\n══ {} {verdict}.", forum.name);
        for (j, &k) in forum.agenda.iter().enumerate() {
            let _ = write!(
                out,
                "\n   {:<16} {:>5.0}   (status quo {:.0})",
                scenario.issues[k].id, record.outcome[j], record.status_quo[j]
            );
        }
        println!("{out}");
    }

    fn stopped(&self) -> bool {
        self.stopped
    }
}
