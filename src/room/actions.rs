//! What a team and the trainer may do, checked against the session's state before anything
//! changes: a refused request changes nothing and says why. A team's request reaches its
//! own sheet only; the trainer's reaches the session's flow and the inject queue.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::Value;

use super::forms::Form;
use super::hub::{Clock, Hub, Phase, Queued, State};
use super::server::Refusal;
use crate::diagnostic::suggestion;
use crate::play::log::{ANSWERS, Answer, Fired};
use crate::scenario::Interval;
use crate::sim::Fire;

/// The longest countdown the console sets: a session day.
const MAX_COUNTDOWN: u64 = 12 * 3600;

fn bad(message: impl Into<String>) -> Refusal {
    Refusal(StatusCode::BAD_REQUEST, message.into())
}

fn conflict(message: impl Into<String>) -> Refusal {
    Refusal(StatusCode::CONFLICT, message.into())
}

fn text<'a>(request: &'a Value, key: &str) -> Result<&'a str, Refusal> {
    request[key].as_str().ok_or_else(|| bad(format!("the request has no `{key}` text")))
}

fn answer(request: &Value) -> Result<Answer, Refusal> {
    let word = text(request, "answer")?;
    Answer::parse(word).ok_or_else(|| bad(format!("`{word}` is not an answer: use one of {}", ANSWERS.join(", "))))
}

/// The request is for the round open: a page that shows a round since closed is refused.
fn round_open(state: &State, request: &Value) -> Result<(), Refusal> {
    let Phase::Open { view } = &state.phase else {
        return Err(conflict("no round is open: answers are taken while a round is open"));
    };
    let forum = &view.scenario.forums[view.forum];
    let asked = (request["forum"].as_str(), request["round"].as_u64());
    if asked != (Some(forum.id.as_str()), Some(u64::from(view.round))) {
        return Err(conflict(format!(
            "that round has closed; {} round {} is open now: look at its draft and answer again",
            forum.name, view.round
        )));
    }
    Ok(())
}

/// An issue of the scenario, and a value on its scale.
fn issue(state: &State, request: &Value) -> Result<usize, Refusal> {
    let id = text(request, "issue")?;
    state.scenario.issues.iter().position(|i| i.id == id).ok_or_else(|| {
        let hint = suggestion(id, state.scenario.issues.iter().map(|i| i.id.as_str()))
            .unwrap_or_else(|| "choose an issue from the table".into());
        bad(format!("there is no issue `{id}`; {hint}"))
    })
}

fn on_scale(state: &State, k: usize, request: &Value, key: &str) -> Result<f64, Refusal> {
    let issue = &state.scenario.issues[k];
    match request[key].as_f64() {
        // + 0.0 turns a typed -0 into 0.
        Some(x) if x.is_finite() && issue.lo <= x && x <= issue.hi => Ok(x + 0.0),
        _ => Err(bad(format!("a position on {} is a number from {} to {}", issue.name, issue.lo, issue.hi))),
    }
}

/// A team's answer, move, red line, lift or reset, on its own sheet for the round open.
pub fn team(hub: &Hub, seat: usize, action: &str, request: &Value) -> Result<(), Refusal> {
    let mut state = hub.lock();
    round_open(&state, request)?;
    if state.voting(seat).is_empty() {
        return Err(conflict("your seat has no vote in this forum: there is nothing to answer"));
    }
    match action {
        "answer" => {
            let answer = answer(request)?;
            let sheet = &mut state.sheets[seat];
            sheet.answer = Some(answer);
            sheet.by_trainer = false;
        }
        "move" => {
            let k = issue(&state, request)?;
            let x = on_scale(&state, k, request, "to")?;
            state.sheets[seat].pending.moves.push((k, x));
        }
        "redline" => {
            let k = issue(&state, request)?;
            let (lo, hi) = (on_scale(&state, k, request, "low")?, on_scale(&state, k, request, "high")?);
            if lo > hi {
                return Err(bad(format!("write the lower end first: {hi} to {lo}")));
            }
            state.sheets[seat].pending.red_lines.push((k, Some(Interval { lo, hi })));
        }
        "lift" => {
            let k = issue(&state, request)?;
            state.sheets[seat].pending.red_lines.push((k, None));
        }
        "reset" => state.sheets[seat].pending = Default::default(),
        _ => return Err(Refusal(StatusCode::NOT_FOUND, format!("a team cannot `{action}`"))),
    }
    drop(state);
    hub.changed();
    Ok(())
}

fn countdown(request: &Value, key: &str) -> Result<Option<Duration>, Refusal> {
    match &request[key] {
        Value::Null => Ok(None),
        value => match value.as_f64() {
            Some(s) if s.is_finite() && s >= 0.0 && s <= MAX_COUNTDOWN as f64 => Ok(Some(Duration::from_secs_f64(s))),
            _ => Err(bad(format!("`{key}` is a number of seconds from 0 to {MAX_COUNTDOWN}"))),
        },
    }
}

/// Injects are queued between rounds, for the start of the round about to open.
fn between_rounds(state: &State) -> Result<(usize, u32), Refusal> {
    match state.phase {
        Phase::Waiting { forum, round } => Ok((forum, round)),
        _ => Err(conflict("an inject fires at the start of a round: queue it once this round has closed")),
    }
}

/// The trainer's requests.
pub fn console(hub: &Hub, action: &str, request: &Value, now: Instant) -> Result<(), Refusal> {
    let mut state = hub.lock();
    if matches!(state.phase, Phase::Over { .. }) && action != "shut" {
        return Err(conflict("the session is over; its results are saved"));
    }
    match action {
        "open" => {
            between_rounds(&state)?;
            let countdown = countdown(request, "seconds")?;
            state.open_requested = Some(countdown);
        }
        "close" => match state.phase {
            Phase::Open { .. } => state.close_requested = true,
            _ => return Err(conflict("no round is open")),
        },
        "countdown" => {
            if !matches!(state.phase, Phase::Open { .. }) {
                return Err(conflict("the countdown runs while a round is open; set it when you open the round"));
            }
            let left = countdown(request, "seconds")?;
            state.clock = if state.paused {
                Clock { deadline: None, left }
            } else {
                Clock { deadline: left.map(|d| now + d), left: None }
            };
        }
        "pause" => {
            let paused = request["paused"].as_bool().ok_or_else(|| bad("`paused` is true or false"))?;
            if paused && !state.paused {
                let left = state.clock.remaining(now);
                state.clock = Clock { deadline: None, left };
            } else if !paused && state.paused {
                let left = state.clock.left;
                state.clock = Clock { deadline: left.map(|d| now + d), left: None };
            }
            state.paused = paused;
        }
        "fire" => {
            let (forum, round) = between_rounds(&state)?;
            let id = text(request, "id")?;
            if state.queued.iter().any(|q| q.fired.id == id) {
                return Err(conflict(format!("inject `{id}` is queued already")));
            }
            let i = crate::play::named_inject(&state.scenario, &state.log, forum, id).map_err(bad)?;
            let inject = &state.scenario.injects[i];
            let fired =
                Fired { forum: state.scenario.forums[forum].id.clone(), round, id: inject.id.clone(), text: None };
            let name = inject.name.clone();
            state.queued.push(Queued { fired, fire: Fire::Named(i), name });
        }
        "inject" => {
            let (forum, round) = between_rounds(&state)?;
            let typed = match (&request["toml"], &request["form"]) {
                (Value::String(typed), Value::Null) => typed.clone(),
                (Value::Null, form @ Value::Object(_)) => serde_json::from_value::<Form>(form.clone())
                    .map_err(|e| bad(format!("the form is not complete: {e}")))?
                    .to_toml(),
                _ => return Err(bad("send either `toml`, the inject's keys, or `form`")),
            };
            let forum_id = state.scenario.forums[forum].id.clone();
            let inject = state
                .desk
                .write(&forum_id, round, &typed)
                .map_err(|problems| bad(format!("the inject was not queued:\n{problems}")))?;
            let fired = Fired { forum: forum_id, round, id: inject.id.clone(), text: Some(typed) };
            let name = inject.name.clone();
            state.queued.push(Queued { fired, fire: Fire::AdHoc(inject), name });
        }
        "answer" => {
            let id = text(request, "seat")?;
            let seat = state.seat_index(id).ok_or_else(|| bad(format!("no team sits in seat `{id}`")))?;
            round_open(&state, request)?;
            if state.voting(seat).is_empty() {
                return Err(conflict(format!("{} has no vote in this forum", state.seats[seat].name)));
            }
            let answer = answer(request)?;
            state.sheets[seat].answer = Some(answer);
            state.sheets[seat].by_trainer = true;
        }
        "end" | "shut" => {
            if request["confirm"] != Value::Bool(true) {
                return Err(bad("ending is final: send `confirm: true`"));
            }
            state.end_requested = true;
            if action == "shut" {
                state.shut = true;
            }
        }
        _ => return Err(Refusal(StatusCode::NOT_FOUND, format!("the console cannot `{action}`"))),
    }
    drop(state);
    hub.changed();
    Ok(())
}
