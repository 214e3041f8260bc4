//! What each page is sent, as JSON: built here from the hub's state and nowhere else, so
//! that what a page may see is decided in one place. The room's screen is built from public
//! facts only (the draft, the tally, who objected and why, inject texts addressed to the
//! whole room); a team's view adds its own brief, standing and sheet; the console sees
//! everything but the sealed answers.

use std::time::Instant;

use serde_json::{Value, json};

use super::hub::{Phase, State};
use crate::play::standing::{Lines, Standing};
use crate::record::Reason;
use crate::scenario::{Interval, Scenario, Timing};

fn phase_name(phase: &Phase) -> &'static str {
    match phase {
        Phase::Waiting { .. } => "waiting",
        Phase::Open { .. } => "open",
        Phase::Tallying { .. } => "tallying",
        Phase::Over { .. } => "over",
    }
}

/// Forum, round, phase and countdown: what every page shows at the top.
fn header(state: &State) -> Value {
    let scenario = &*state.scenario;
    let (forum, round) = match &state.phase {
        Phase::Waiting { forum, round } | Phase::Tallying { forum, round } => (Some(*forum), *round),
        Phase::Open { view } => (Some(view.forum), view.round),
        Phase::Over { .. } => (state.forum(), 0),
    };
    let forum = forum.map(|f| {
        let forum = &scenario.forums[f];
        json!({ "id": forum.id, "name": forum.name, "rounds": forum.rounds, "rule": forum.rule.describe() })
    });
    let over = match &state.phase {
        Phase::Over { stopped, saved } => json!({
            "stopped": stopped,
            "saved": saved.as_ref().map(|r| r.as_ref().ok().cloned()),
            "error": saved.as_ref().and_then(|r| r.as_ref().err().cloned()),
        }),
        _ => Value::Null,
    };
    json!({
        "title": scenario.title,
        "phase": phase_name(&state.phase),
        "forum": forum,
        "round": round,
        "paused": state.paused,
        "countdown_ms": state.clock.remaining(Instant::now()).map(|d| d.as_millis() as u64),
        "over": over,
    })
}

fn reason(scenario: &Scenario, reason: &Reason) -> String {
    match reason {
        Reason::RedLine { issue } => format!("red line on {}", scenario.issues[*issue].name),
        Reason::Loss { gain } => format!("loses {:.0} points against the status quo", -gain * 100.0),
        Reason::Choice => "its team's choice".into(),
    }
}

/// The injects fired so far that the whole room may read: not those addressed to one team.
fn public_events(state: &State) -> Vec<Value> {
    let scenario = &*state.scenario;
    state
        .fired
        .iter()
        .filter(|(_, _, i)| scenario.injects[*i].to.is_none())
        .map(|&(f, round, i)| {
            let inject = &scenario.injects[i];
            json!({ "forum": scenario.forums[f].name, "round": round, "name": inject.name, "narrative": inject.narrative })
        })
        .collect()
}

/// The rounds closed and forums ended: public once they are.
fn results(state: &State) -> (Vec<Value>, Vec<Value>) {
    let scenario = &*state.scenario;
    let closed = state
        .closed
        .iter()
        .map(|c| {
            let objectors: Vec<Value> = c
                .objections
                .iter()
                .map(|(a, r)| json!({ "id": scenario.actors[*a].id, "name": scenario.actors[*a].name, "why": reason(scenario, r) }))
                .collect();
            let unanswered: Vec<&str> = c.unanswered.iter().map(|&s| state.seats[s].name.as_str()).collect();
            json!({
                "forum": scenario.forums[c.forum].name,
                "round": c.round,
                "accepts": c.accepts,
                "objects": c.objects,
                "abstains": c.abstains,
                "objectors": objectors,
                "model_answered_for": unanswered,
            })
        })
        .collect();
    let ended = state
        .ended
        .iter()
        .map(|e| {
            let outcome: Vec<Value> = e
                .outcome
                .iter()
                .map(|&(k, x, q)| json!({ "id": scenario.issues[k].id, "name": scenario.issues[k].name, "outcome": x, "status_quo": q }))
                .collect();
            json!({ "forum": scenario.forums[e.forum].name, "adopted": e.adopted, "rounds_used": e.rounds_used, "outcome": outcome })
        })
        .collect();
    (closed, ended)
}

/// The draft per agenda issue against the status quo, while a round is open.
fn draft(state: &State) -> Value {
    let Phase::Open { view } = &state.phase else { return Value::Null };
    let scenario = &*view.scenario;
    let rows: Vec<Value> = scenario.forums[view.forum]
        .agenda
        .iter()
        .map(|&k| {
            let issue = &scenario.issues[k];
            json!({ "id": issue.id, "name": issue.name, "low": issue.lo, "high": issue.hi, "draft": view.draft[k], "status_quo": view.status_quo[k] })
        })
        .collect();
    Value::Array(rows)
}

/// Which teams have answered (never what), and which are connected.
fn teams(state: &State) -> Vec<Value> {
    state
        .seats
        .iter()
        .enumerate()
        .map(|(s, seat)| {
            json!({
                "id": seat.id,
                "name": seat.name,
                "connected": state.connected[s] > 0,
                "answered": state.sheets[s].answer.is_some(),
                "votes": !state.voting(s).is_empty(),
            })
        })
        .collect()
}

/// The room's screen: public facts only.
pub fn screen(state: &State) -> Value {
    let (closed, ended) = results(state);
    json!({
        "role": "screen",
        "header": header(state),
        "draft": draft(state),
        "events": public_events(state),
        "teams": teams(state),
        "closed": closed,
        "ended": ended,
    })
}

fn interval(line: Option<Interval>) -> Value {
    line.map_or(Value::Null, |l| json!([l.lo, l.hi]))
}

/// A team's brief: the issues with its stance, and the forums' rules.
fn brief(state: &State, seat: usize) -> Value {
    let scenario = &*state.scenario;
    let members = &state.seats[seat].members;
    // The stance the seat brings, as its printed brief gives it.
    let stance = crate::output::brief::stance(scenario, members.clone());
    let issues: Vec<Value> = scenario
        .issues
        .iter()
        .enumerate()
        .map(|(k, issue)| {
            json!({ "id": issue.id, "name": issue.name, "low": issue.low_label, "high": issue.high_label, "lo": issue.lo, "hi": issue.hi, "position": stance.positions[k], "salience": stance.saliences[k] })
        })
        .collect();
    let forums: Vec<Value> = scenario
        .forum_order
        .iter()
        .map(|&f| {
            let forum = &scenario.forums[f];
            let votes = members.iter().any(|a| forum.voting.binary_search(a).is_ok());
            let agenda: Vec<&str> = forum.agenda.iter().map(|&k| scenario.issues[k].id.as_str()).collect();
            json!({ "name": forum.name, "rule": forum.rule.describe(), "rounds": forum.rounds, "agenda": agenda, "you_vote": votes })
        })
        .collect();
    let others: Vec<&str> =
        state.seats.iter().enumerate().filter(|(s, _)| *s != seat).map(|(_, s)| s.name.as_str()).collect();
    json!({ "issues": issues, "forums": forums, "other_teams": others })
}

/// The seat's standing in the round open, with its sheet.
fn standing(state: &State, seat: usize) -> Value {
    let Phase::Open { view } = &state.phase else { return Value::Null };
    let scenario = &*view.scenario;
    let sheet = &state.sheets[seat];
    let standing = Standing::of(view, &state.seats[seat], &sheet.pending);
    let rows: Vec<Value> = standing
        .rows
        .iter()
        .map(|row| {
            let issue = &scenario.issues[row.issue];
            let (line, lines) = match row.lines {
                Lines::None => (None, "none".to_string()),
                Lines::One(l) => (Some(l), format!("{} to {}", l.lo, l.hi)),
                Lines::All(l, n) => (Some(l), format!("{} to {}, all {n} members", l.lo, l.hi)),
                Lines::Some { held, of } => (None, format!("held by {held} of your {of} members")),
            };
            let crossed = standing.crossed.iter().any(|(k, _)| *k == row.issue);
            json!({
                "id": issue.id, "name": issue.name, "lo": issue.lo, "hi": issue.hi,
                "draft": row.draft, "status_quo": row.status_quo, "you": row.you, "salience": row.salience,
                "red_line": interval(line), "red_lines": lines, "crossed": crossed,
            })
        })
        .collect();
    let gain = standing.gain.as_ref().map(|g| json!({ "mean": g.mean, "better_off": g.better_off, "of": g.of }));
    let common: Vec<Value> = standing
        .common_lines
        .iter()
        .map(|(b, line)| {
            let items: Vec<Value> =
                line.iter().map(|(k, x)| json!({ "id": scenario.issues[*k].id, "line": x })).collect();
            json!({ "bloc": scenario.blocs[*b].name, "line": items })
        })
        .collect();
    let agenda = &scenario.forums[view.forum].agenda;
    let players: Vec<Value> = standing
        .main_players
        .iter()
        .map(|&a| {
            let positions: Vec<f64> = agenda.iter().map(|&k| view.actors[a].positions[k]).collect();
            json!({ "name": scenario.actors[a].name, "positions": positions })
        })
        .collect();
    let moves: Vec<Value> =
        sheet.pending.moves.iter().map(|(k, x)| json!({ "id": scenario.issues[*k].id, "to": x })).collect();
    let lines: Vec<Value> = sheet
        .pending
        .red_lines
        .iter()
        .map(|(k, l)| json!({ "id": scenario.issues[*k].id, "line": interval(*l) }))
        .collect();
    json!({
        "voting": standing.voting,
        "rows": rows,
        "gain": gain,
        "common_lines": common,
        "main_players": players,
        "sheet": {
            "answer": sheet.answer.map(|a| a.as_str()),
            "by_trainer": sheet.by_trainer,
            "moves": moves,
            "red_lines": lines,
        },
    })
}

/// The injects addressed to this team alone.
fn messages(state: &State, seat: usize) -> Vec<Value> {
    let scenario = &*state.scenario;
    state
        .fired
        .iter()
        .filter(|(_, _, i)| scenario.injects[*i].to.as_deref() == Some(state.seats[seat].id.as_str()))
        .map(|&(f, round, i)| {
            let inject = &scenario.injects[i];
            json!({ "forum": scenario.forums[f].name, "round": round, "name": inject.name, "narrative": inject.narrative })
        })
        .collect()
}

/// A team's page: the public screen, and its own brief, standing, sheet and messages.
pub fn team(state: &State, seat: usize) -> Value {
    let mut view = screen(state);
    view["role"] = json!("team");
    view["seat"] = json!({ "id": state.seats[seat].id, "name": state.seats[seat].name, "members": state.seats[seat].members.len() });
    view["brief"] = brief(state, seat);
    view["standing"] = standing(state, seat);
    view["messages"] = Value::Array(messages(state, seat));
    view
}

/// The trainer's console: the room, the library of injects, the queue, the forms' choices.
pub fn console(state: &State, links: &Value) -> Value {
    let scenario = &*state.scenario;
    let mut view = screen(state);
    view["role"] = json!("console");
    view["screens"] = json!(state.screens);
    let forum = state.forum();
    let fired = |id: &str| {
        state.log.iter().any(|e| matches!(e, crate::play::log::Entry::Inject(f) if f.id == id && forum.is_some_and(|fo| scenario.forums[fo].id == f.forum)))
    };
    let queued: Vec<&str> = state.queued.iter().map(|q| q.fired.id.as_str()).collect();
    let mut library: Vec<Value> = scenario
        .injects
        .iter()
        .filter(|i| Some(i.forum) == forum)
        .map(|i| {
            let when = match i.timing {
                Timing::Held => "held for you".to_string(),
                Timing::Round(r) => format!("scheduled for round {r}"),
                Timing::Chance { probability, first, last } => {
                    format!("{:.0}% likely in rounds {first} to {last}", probability * 100.0)
                }
            };
            let status = if queued.contains(&i.id.as_str()) {
                "queued"
            } else if fired(&i.id) {
                "fired"
            } else if matches!(i.timing, Timing::Round(_)) {
                "scheduled"
            } else {
                "ready"
            };
            json!({ "id": i.id, "name": i.name, "narrative": i.narrative, "cue": i.cue, "when": when, "to": i.to, "status": status, "held": i.timing == Timing::Held })
        })
        .collect();
    library.sort_by_key(|i| i["held"] != json!(true));
    view["library"] = Value::Array(library);
    view["queued"] = Value::Array(state.queued.iter().map(|q| json!({ "id": q.fired.id, "name": q.name })).collect());
    view["private_events"] = Value::Array(
        state
            .fired
            .iter()
            .filter_map(|&(f, round, i)| {
                let inject = &scenario.injects[i];
                inject.to.as_ref().map(
                    |to| json!({ "forum": scenario.forums[f].name, "round": round, "name": inject.name, "to": to }),
                )
            })
            .collect(),
    );
    let issues: Vec<Value> = forum
        .map(|f| {
            scenario.forums[f]
                .agenda
                .iter()
                .map(|&k| json!({ "id": scenario.issues[k].id, "name": scenario.issues[k].name, "lo": scenario.issues[k].lo, "hi": scenario.issues[k].hi }))
                .collect()
        })
        .unwrap_or_default();
    let mut targets: Vec<Value> = vec![json!({ "id": "all-states", "name": "every state" })];
    targets.extend(scenario.blocs.iter().map(|b| json!({ "id": b.id, "name": b.name })));
    targets.extend(scenario.actors.iter().map(|a| json!({ "id": a.id, "name": a.name })));
    view["choices"] = json!({ "issues": issues, "targets": targets });
    view["links"] = links.clone();
    view
}
