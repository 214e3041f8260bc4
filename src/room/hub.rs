//! The session's state, shared by the simulation's thread (which waits in it for the
//! trainer and the teams) and the server's handlers (which change it for them). One lock
//! guards it all; every change bumps a version on a watch channel, on which the pages'
//! event streams wait, and wakes the simulation's thread.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::play::adhoc::Desk;
use crate::play::log::{Answer, Entry, Fired};
use crate::play::standing::{Pending, Seated};
use crate::record::Reason;
use crate::scenario::Scenario;
use crate::sim::{Fire, RoundView};

pub struct Hub {
    state: Mutex<State>,
    wake: Condvar,
    changed: watch::Sender<u64>,
}

/// Where the session stands.
pub enum Phase {
    /// Before `round` of `forum` opens: the trainer may queue injects, then opens it.
    Waiting { forum: usize, round: u32 },
    /// The draft is on the table and the teams answer.
    Open { view: Arc<RoundView> },
    /// The round is closed and being tallied.
    Tallying { forum: usize, round: u32 },
    /// Played to the end, or ended by the trainer (`stopped`); `folder` once written.
    Over { stopped: bool, saved: Option<Result<String, String>> },
}

/// A team's answer sheet for the round open: sealed until the round closes.
#[derive(Clone, Default)]
pub struct Sheet {
    pub answer: Option<Answer>,
    pub pending: Pending,
    /// The trainer answered for a team that was away.
    pub by_trainer: bool,
}

/// An inject the trainer has queued for the start of the next round.
pub struct Queued {
    pub fired: Fired,
    pub fire: Fire,
    pub name: String,
}

/// A round as the room saw it close: public once closed.
pub struct Closed {
    pub forum: usize,
    pub round: u32,
    pub accepts: u32,
    pub objects: u32,
    pub abstains: u32,
    pub objections: Vec<(usize, Reason)>,
    /// Seats whose answer was the model's because they had not answered.
    pub unanswered: Vec<usize>,
}

/// A forum's ending.
pub struct Ended {
    pub forum: usize,
    pub adopted: bool,
    pub rounds_used: u32,
    /// Per agenda issue: (issue, outcome, status quo).
    pub outcome: Vec<(usize, f64, f64)>,
}

/// The countdown of the round open: running towards `deadline`, or paused with `left`.
#[derive(Clone, Copy, Default)]
pub struct Clock {
    pub deadline: Option<Instant>,
    pub left: Option<Duration>,
}

impl Clock {
    pub fn remaining(&self, now: Instant) -> Option<Duration> {
        self.left.or_else(|| self.deadline.map(|d| d.saturating_duration_since(now)))
    }

    pub fn expired(&self, now: Instant) -> bool {
        self.deadline.is_some_and(|d| now >= d)
    }
}

pub struct State {
    /// The scenario as played: injects written on the spot are appended as they fire.
    pub scenario: Arc<Scenario>,
    pub seats: Vec<Seated>,
    pub phase: Phase,
    pub paused: bool,
    pub clock: Clock,
    /// Per seat, for the round open.
    pub sheets: Vec<Sheet>,
    pub queued: Vec<Queued>,
    /// Every inject fired, as (forum, round, index in `scenario.injects`).
    pub fired: Vec<(usize, u32, usize)>,
    pub closed: Vec<Closed>,
    pub ended: Vec<Ended>,
    /// Open event streams per seat, and of the room's screens and consoles.
    pub connected: Vec<u32>,
    pub screens: u32,
    pub consoles: u32,
    /// The trainer's requests to the simulation's thread.
    pub open_requested: Option<Option<Duration>>,
    pub close_requested: bool,
    pub end_requested: bool,
    /// The log so far (the simulation's thread writes it; the console checks against it).
    pub log: Vec<Entry>,
    /// The trainer closed the room: the server stops once the session is saved.
    pub shut: bool,
    /// Checks injects written on the spot, in the order they are queued or replayed.
    pub desk: Desk,
}

impl Hub {
    pub fn new(scenario: Arc<Scenario>, text: &str, seats: Vec<Seated>, first: (usize, u32)) -> Arc<Hub> {
        let n = seats.len();
        let state = State {
            desk: Desk::new(&scenario, text),
            scenario,
            seats,
            phase: Phase::Waiting { forum: first.0, round: first.1 },
            paused: false,
            clock: Clock::default(),
            sheets: vec![Sheet::default(); n],
            queued: Vec::new(),
            fired: Vec::new(),
            closed: Vec::new(),
            ended: Vec::new(),
            connected: vec![0; n],
            screens: 0,
            consoles: 0,
            open_requested: None,
            close_requested: false,
            end_requested: false,
            log: Vec::new(),
            shut: false,
        };
        Arc::new(Hub { state: Mutex::new(state), wake: Condvar::new(), changed: watch::channel(0).0 })
    }

    /// The state, for reading or for a change that `changed` then announces.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked mid-change cannot leave the state torn in a way that
        // matters more than stopping the room would: go on with it.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Tells the pages and the simulation's thread that the state changed.
    pub fn changed(&self) {
        self.changed.send_modify(|v| *v += 1);
        self.wake.notify_all();
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// Waits for the next change, or until `timeout` passes.
    pub fn wait_once<'a>(&self, state: MutexGuard<'a, State>, timeout: Option<Duration>) -> MutexGuard<'a, State> {
        match timeout {
            None => self.wake.wait(state).unwrap_or_else(|p| p.into_inner()),
            Some(limit) => self.wake.wait_timeout(state, limit).unwrap_or_else(|p| p.into_inner()).0,
        }
    }

    /// Waits until `ready` says the state is as the caller needs it, or `timeout` passes.
    pub fn wait_until<'a>(
        &self,
        mut state: MutexGuard<'a, State>,
        ready: impl Fn(&State) -> bool,
        timeout: Option<Duration>,
    ) -> MutexGuard<'a, State> {
        let start = Instant::now();
        while !ready(&state) {
            state = match timeout {
                None => self.wake.wait(state).unwrap_or_else(|p| p.into_inner()),
                Some(limit) => {
                    let Some(left) = limit.checked_sub(start.elapsed()) else { return state };
                    self.wake.wait_timeout(state, left).unwrap_or_else(|p| p.into_inner()).0
                }
            };
        }
        state
    }
}

impl State {
    /// Shut by the trainer or a signal, and the session saved: the server may stop.
    pub fn closing(&self) -> bool {
        self.shut && matches!(self.phase, Phase::Over { saved: Some(_), .. })
    }

    pub fn seat_index(&self, id: &str) -> Option<usize> {
        self.seats.iter().position(|s| s.id == id)
    }

    /// The seat's members with a vote: in the round open as the world has them (a walkout
    /// takes a vote away), between rounds as the forum seats them.
    pub fn voting(&self, seat: usize) -> Vec<usize> {
        let members = self.seats[seat].members.iter().copied();
        match &self.phase {
            Phase::Open { view } => members.filter(|&a| view.actors[a].seat == crate::record::Seat::Voting).collect(),
            _ => match self.forum() {
                Some(f) => members.filter(|a| self.scenario.forums[f].voting.binary_search(a).is_ok()).collect(),
                None => Vec::new(),
            },
        }
    }

    /// The forum the session is in, or was last in.
    pub fn forum(&self) -> Option<usize> {
        match &self.phase {
            Phase::Waiting { forum, .. } | Phase::Tallying { forum, .. } => Some(*forum),
            Phase::Open { view } => Some(view.forum),
            Phase::Over { .. } => self.ended.last().map(|e| e.forum),
        }
    }
}
