//! The room as the simulation's `Players`: on the simulation's own thread, it waits in the
//! hub for the trainer to open each round and for the round to close, then hands the
//! teams' sealed answers to the simulation and logs them as `plenary play` does.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::hub::{Clock, Closed, Ended, Hub, Phase, Sheet, State};
use crate::play::log::{Answer, Entry, Header, TeamDecision, save_live};
use crate::record::{ForumRecord, RoundRecord};
use crate::scenario::Scenario;
use crate::sim::{Decision, Fire, Players, RoundView};

pub struct WebPlayers {
    pub hub: Arc<Hub>,
    /// The log of the session being resumed: taken as it comes, without waiting.
    script: Vec<Entry>,
    /// From this point (forum's place in the running order, round) on, wait for people.
    live_from: (usize, u32),
    live: (PathBuf, Header),
    at: (String, u32),
    /// The countdown the trainer asked for when opening the round.
    countdown: Option<Duration>,
    /// Seats the model answered for at the last close because they had not answered.
    unanswered: Vec<usize>,
    stopped: bool,
}

impl WebPlayers {
    pub fn new(hub: Arc<Hub>, script: Vec<Entry>, live_from: (usize, u32), live: (PathBuf, Header)) -> WebPlayers {
        WebPlayers {
            hub,
            script,
            live_from,
            live,
            at: (String::new(), 0),
            countdown: None,
            unanswered: Vec::new(),
            stopped: false,
        }
    }

    fn live(&self, scenario: &Scenario, forum: usize, round: u32) -> bool {
        let place = scenario.forum_order.iter().position(|&f| f == forum).unwrap_or(usize::MAX);
        (place, round) >= self.live_from
    }

    /// Logs an entry and saves the log so far, so that `--resume` goes on from here.
    fn record(&self, state: &mut State, entry: Entry) {
        state.log.push(entry);
        save_live(&self.live.0, &self.live.1, &self.at, &state.log);
    }
}

impl Players for WebPlayers {
    fn seated(&self) -> Vec<usize> {
        self.hub.lock().seats.iter().flat_map(|s| s.members.iter().copied()).collect()
    }

    fn before_round(&mut self, scenario: &Scenario, forum: usize, round: u32) -> Vec<Fire> {
        self.at = (scenario.forums[forum].id.clone(), round);
        let mut fires = Vec::new();
        let mut state = self.hub.lock();
        state.phase = Phase::Waiting { forum, round };
        state.sheets.iter_mut().for_each(|s| *s = Sheet::default());
        state.clock = Clock::default();
        state.paused = false;
        let scripted: Vec<_> = self
            .script
            .iter()
            .filter_map(|e| match e {
                Entry::Inject(i) if i.forum == self.at.0 && i.round == round => Some(i.clone()),
                _ => None,
            })
            .collect();
        for fired in scripted {
            let fire = match &fired.text {
                // Checked before the session began, in this same order.
                Some(text) => match state.desk.write(&self.at.0, round, text) {
                    Ok(inject) => Fire::AdHoc(inject),
                    Err(_) => continue,
                },
                None => match scenario.injects.iter().position(|i| i.id == fired.id) {
                    Some(i) => Fire::Named(i),
                    None => continue,
                },
            };
            self.record(&mut state, Entry::Inject(fired));
            fires.push(fire);
        }
        if !self.live(scenario, forum, round) {
            return fires;
        }
        self.hub.changed();
        let mut state = self.hub.wait_until(state, |s| s.open_requested.is_some() || s.end_requested, None);
        if state.end_requested {
            self.stopped = true;
            return fires;
        }
        self.countdown = state.open_requested.take().flatten();
        for queued in std::mem::take(&mut state.queued) {
            self.record(&mut state, Entry::Inject(queued.fired));
            fires.push(queued.fire);
        }
        state.phase = Phase::Tallying { forum, round };
        drop(state);
        self.hub.changed();
        fires
    }

    fn decide(&mut self, view: &RoundView) -> Vec<Decision> {
        let scenario = view.scenario.clone();
        let forum_id = scenario.forums[view.forum].id.clone();
        let mut state = self.hub.lock();
        state.scenario = scenario.clone();
        for &i in &view.events {
            state.fired.push((view.forum, view.round, i));
        }
        state.phase = Phase::Open { view: Arc::new(view.clone()) };
        state.close_requested = false;
        let now = Instant::now();
        state.clock = Clock { deadline: self.countdown.take().map(|d| now + d), left: None };
        let scripted: Vec<Option<TeamDecision>> = state
            .seats
            .iter()
            .map(|seat| {
                self.script.iter().find_map(|e| match e {
                    Entry::Decision(d) if d.forum == forum_id && d.round == view.round && d.seat == seat.id => {
                        Some(d.clone())
                    }
                    _ => None,
                })
            })
            .collect();
        let to_answer: Vec<usize> =
            (0..state.seats.len()).filter(|&s| !state.voting(s).is_empty() && scripted[s].is_none()).collect();
        if self.live(&scenario, view.forum, view.round) && !to_answer.is_empty() {
            self.hub.changed();
            loop {
                let now = Instant::now();
                if state.end_requested {
                    self.stopped = true;
                    return Vec::new();
                }
                if state.close_requested || (!state.paused && state.clock.expired(now)) {
                    break;
                }
                // Wake at the deadline, or at the next change (a pause, a new countdown, a
                // close), whichever comes first, and look again.
                let timeout = if state.paused { None } else { state.clock.remaining(now) };
                state = self.hub.wait_once(state, timeout);
            }
        }
        let mut decisions = Vec::new();
        self.unanswered.clear();
        for (seat, scripted) in scripted.into_iter().enumerate() {
            let voting = state.voting(seat);
            if voting.is_empty() {
                continue;
            }
            let decision = scripted.unwrap_or_else(|| {
                let sheet = &state.sheets[seat];
                if sheet.answer.is_none() {
                    self.unanswered.push(seat);
                }
                let answer = sheet.answer.unwrap_or(Answer::Model);
                sheet.pending.decision(&scenario, view.forum, view.round, state.seats[seat].id.clone(), answer)
            });
            decisions.extend(decision.for_members(&scenario, &state.seats[seat].members, &voting));
            self.record(&mut state, Entry::Decision(decision));
        }
        state.close_requested = false;
        state.clock = Clock::default();
        state.phase = Phase::Tallying { forum: view.forum, round: view.round };
        drop(state);
        self.hub.changed();
        decisions
    }

    fn round_over(&mut self, _scenario: &Scenario, forum: usize, round: &RoundRecord) {
        let mut state = self.hub.lock();
        state.closed.push(Closed {
            forum,
            round: round.round,
            accepts: round.accepts,
            objects: round.objects,
            abstains: round.abstains,
            objections: round.objections.iter().map(|o| (o.actor, o.reason)).collect(),
            unanswered: std::mem::take(&mut self.unanswered),
        });
        drop(state);
        self.hub.changed();
    }

    fn forum_over(&mut self, scenario: &Scenario, record: &ForumRecord) {
        let agenda = &scenario.forums[record.forum].agenda;
        let mut state = self.hub.lock();
        state.ended.push(Ended {
            forum: record.forum,
            adopted: record.adopted,
            rounds_used: record.rounds_used,
            outcome: agenda.iter().enumerate().map(|(j, &k)| (k, record.outcome[j], record.status_quo[j])).collect(),
        });
        drop(state);
        self.hub.changed();
    }

    fn stopped(&self) -> bool {
        self.stopped
    }
}
