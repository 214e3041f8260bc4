//! The simulation: one replicate of a scenario on a bevy_ecs world.
//!
//! Actors are entities; each phase of a round is a system; the phases are chained in one
//! schedule run once per round on the single-threaded executor (parallelism is across
//! replicates, not within one). This is the only module that knows bevy_ecs, and it does
//! no I/O: a replicate is a pure function of the scenario, its seed and its index.

pub mod formulas;
pub mod models;
mod phases;
mod world;

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::record::{self, ActorOutcome, Caucus, ForumRecord, ReplicateRecord, Verdict};
use crate::scenario::{Inject, Interval, Model, Scenario, Timing};
use formulas::{utility, weighted_sd};
use world::*;

pub use phases::caucuses;

/// The random stream of one replicate: ChaCha8 keyed by the master seed, on the stream
/// numbered by the replicate, so replicates are independent of one another and of the
/// order and threads they run on.
pub fn replicate_rng(seed: u64, replicate: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(replicate);
    rng
}

/// Runs every forum of the scenario once, in order, and records what happened.
/// A world with the scenario's actors and the schedule of phases, kept per thread and
/// reused by the replicates of one scenario: building them costs more than a small
/// replicate. Reuse cannot leak state from one replicate into the next, because every
/// forum starts by restoring all mutable state (`Snapshot::restore`, `seat`) and every
/// replicate gets fresh dice.
struct Table {
    scenario: Arc<Scenario>,
    world: World,
    /// A round runs in two parts so that human teams can answer between them (`Players`).
    opening: Schedule,
    closing: Schedule,
    initial: Snapshot,
}

thread_local! {
    static TABLE: std::cell::RefCell<Option<Table>> = const { std::cell::RefCell::new(None) };
}

fn set_table(scenario: &Arc<Scenario>) -> Table {
    let mut world = World::new();
    let roster: Vec<Entity> = scenario
        .actors
        .iter()
        .enumerate()
        .map(|(a, actor)| {
            world
                .spawn((
                    ActorIndex(a),
                    Capability(actor.capability),
                    Flexibility(actor.flexibility),
                    Positions(actor.positions.clone()),
                    Saliences(actor.saliences.clone()),
                    RedLines(actor.red_lines.clone()),
                    Memberships(actor.blocs.clone()),
                    Seat::Absent,
                    Response::default(),
                ))
                .id()
        })
        .collect();
    world.insert_resource(Setup { scenario: scenario.clone(), trace: false });
    world.insert_resource(Roster(roster));

    let single_threaded = |mut schedule: Schedule| {
        schedule.set_executor(SingleThreadedExecutor::new());
        schedule
    };
    let mut opening = single_threaded(Schedule::default());
    let mut closing = single_threaded(Schedule::default());
    if scenario.model == Model::Chair {
        opening.add_systems((phases::apply_injects, phases::caucus, phases::draft_text).chain());
        closing.add_systems((phases::respond, phases::decide, phases::concede, phases::record_round).chain());
    } else {
        // The other models have no answers to wait for: their round is the opening alone.
        models::add(scenario.model, &mut world, &mut opening);
    }
    Table { scenario: scenario.clone(), world, opening, closing, initial: Snapshot::initial(scenario) }
}

/// Runs every forum of the scenario once, in order, and records what happened.
pub fn run_replicate(scenario: &Arc<Scenario>, seed: u64, replicate: u64, trace: bool) -> ReplicateRecord {
    TABLE.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.as_ref().is_none_or(|table| !Arc::ptr_eq(&table.scenario, scenario)) {
            *cached = Some(set_table(scenario));
        }
        let table = cached.as_mut().expect("just set");
        table.world.resource_mut::<Setup>().trace = trace;
        table.world.insert_resource(Dice(replicate_rng(seed, replicate)));
        play(scenario, replicate, table, None).0
    })
}

/// Human teams in some actors' seats (`plenary play`). The simulation asks them before
/// each round opens and again after the chair's draft, before the responses.
pub trait Players {
    /// The actors in the teams' hands: the model neither caucuses nor concedes for them.
    fn seated(&self) -> Vec<usize>;
    /// Before `round` of `forum` opens: the injects the trainer fires at its start.
    fn before_round(&mut self, scenario: &Scenario, forum: usize, round: u32) -> Vec<Fire>;
    /// After the chair's draft: the teams' decisions for this round.
    fn decide(&mut self, view: &RoundView) -> Vec<Decision>;
    /// The round as recorded, once it is over.
    fn round_over(&mut self, scenario: &Scenario, forum: usize, round: &record::RoundRecord);
    /// The forum's record, once it has ended.
    fn forum_over(&mut self, scenario: &Scenario, record: &ForumRecord);
    /// True once the session is to end where it stands (the trainer quit, input ended).
    fn stopped(&self) -> bool;
}

/// An inject the trainer fires: one of the scenario's, or one written on the spot.
pub enum Fire {
    Named(usize),
    AdHoc(Inject),
}

/// A team's decision for one of its actors in one round.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decision {
    pub actor: usize,
    /// `None`: the model answers for the actor this round.
    pub verdict: Option<Verdict>,
    /// (issue, new position), applied before the responses, in order.
    pub moves: Vec<(usize, f64)>,
    /// (issue, red line or `None` to lift it), applied before the responses, in order.
    pub red_lines: Vec<(usize, Option<Interval>)>,
}

/// What the teams see after the chair's draft. Vectors run over the scenario's issues.
/// Owned, so that a live room can keep it while the teams take their time to answer.
#[derive(Clone)]
pub struct RoundView {
    /// The scenario as played, with any injects written on the spot appended.
    pub scenario: Arc<Scenario>,
    pub forum: usize,
    pub round: u32,
    pub draft: Vec<f64>,
    pub status_quo: Vec<f64>,
    /// Per actor, in actor order.
    pub actors: Vec<ActorView>,
    pub caucuses: Vec<Caucus>,
    /// The injects that fired at the start of this round, in firing order.
    pub events: Vec<usize>,
}

#[derive(Clone)]
pub struct ActorView {
    pub seat: record::Seat,
    pub capability: f64,
    pub positions: Vec<f64>,
    pub saliences: Vec<f64>,
    pub red_lines: Vec<Option<Interval>>,
}

/// A session with human teams: the record so far, the scenario with any injects written
/// on the spot appended, and where the session was stopped if it did not run to the end.
pub struct Played {
    pub record: ReplicateRecord,
    pub scenario: Arc<Scenario>,
    /// (forum, round) at which the session ended early; the rounds before it are recorded.
    pub stopped: Option<(usize, u32)>,
}

/// Plays replicate 0 of the scenario with human teams, round by round, tracing everything.
pub fn run_session(scenario: &Arc<Scenario>, seed: u64, players: &mut dyn Players) -> Played {
    let mut table = set_table(scenario);
    table.world.resource_mut::<Setup>().trace = true;
    table.world.insert_resource(Dice(replicate_rng(seed, 0)));
    let roster = table.world.resource::<Roster>().0.clone();
    for a in players.seated() {
        table.world.entity_mut(roster[a]).insert(Team::default());
    }
    let (record, stopped) = play(scenario, 0, &mut table, Some(players));
    Played { record, scenario: table.world.resource::<Setup>().scenario.clone(), stopped }
}

fn play(
    scenario: &Scenario,
    replicate: u64,
    table: &mut Table,
    mut players: Option<&mut dyn Players>,
) -> (ReplicateRecord, Option<(usize, u32)>) {
    let Table { world, opening, closing, initial, .. } = table;
    let mut stopped = None;
    // The state each forum leaves behind, for the forums that come after it.
    let mut left: Vec<Option<(Snapshot, Vec<f64>)>> = vec![None; scenario.forums.len()];
    let mut forums = Vec::with_capacity(scenario.forums.len());
    for &f in &scenario.forum_order {
        let forum = &scenario.forums[f];
        let (start, status_quo) = match forum.after.and_then(|p| left[p].as_ref()) {
            Some((snapshot, status_quo)) => (snapshot, status_quo.clone()),
            None => (&*initial, scenario.issues.iter().map(|i| i.status_quo).collect()),
        };
        start.restore(world);
        let due = schedule_injects(scenario, f, &mut world.resource_mut::<Dice>().0);
        seat(world, scenario, f);
        world.insert_resource(Session {
            forum: f,
            round: 0,
            draft: status_quo.clone(),
            compromise: status_quo.clone(),
            status_quo,
            due,
            fired: Vec::new(),
            progress: Progress::Open,
            fallback_used: false,
            rounds: Vec::new(),
            caucuses: Vec::new(),
        });
        let entry = Snapshot::take(world);
        let polarisation_start = polarisation(world, scenario, f);
        for round in 1..=models::rounds(scenario.model, forum.rounds) {
            if let Some(players) = players.as_deref_mut() {
                let fired = players.before_round(&world.resource::<Setup>().scenario, f, round);
                fire(world, round, fired);
                if players.stopped() {
                    stopped = Some((f, round));
                    break;
                }
            }
            world.resource_mut::<Session>().round = round;
            opening.run(world);
            if let Some(players) = players.as_deref_mut() {
                let decisions = players.decide(&view(world, f, round));
                if players.stopped() {
                    stopped = Some((f, round));
                    world.resource_mut::<Session>().round = round - 1;
                    break;
                }
                take(world, &decisions);
            }
            closing.run(world);
            if let Some(players) = players.as_deref_mut()
                && let Some(record) = world.resource::<Session>().rounds.last()
            {
                players.round_over(&world.resource::<Setup>().scenario, f, record);
            }
            if world.resource::<Session>().progress != Progress::Open {
                break;
            }
        }
        let polarisation_end = polarisation(world, scenario, f);
        let record = conclude(world, scenario, f, &entry, polarisation_start, polarisation_end);
        let mut after_status_quo = world.resource::<Session>().status_quo.clone();
        for (j, &k) in forum.agenda.iter().enumerate() {
            after_status_quo[k] = record.outcome[j];
        }
        if scenario.forums.iter().any(|later| later.after == Some(f)) {
            left[f] = Some((Snapshot::take(world), after_status_quo));
        }
        if stopped.is_none()
            && let Some(players) = players.as_deref_mut()
        {
            players.forum_over(&world.resource::<Setup>().scenario, &record);
        }
        forums.push(record);
        if stopped.is_some() {
            break;
        }
    }
    (ReplicateRecord { replicate, forums }, stopped)
}

/// Puts the trainer's injects on this round's list, after the scheduled ones.
fn fire(world: &mut World, round: u32, fired: Vec<Fire>) {
    for fire in fired {
        let index = match fire {
            Fire::Named(i) => i,
            Fire::AdHoc(inject) => {
                let mut setup = world.resource_mut::<Setup>();
                let mut extended = (*setup.scenario).clone();
                extended.injects.push(inject);
                setup.scenario = Arc::new(extended);
                setup.scenario.injects.len() - 1
            }
        };
        world.resource_mut::<Session>().due.push((round, index));
    }
}

fn view(world: &mut World, forum: usize, round: u32) -> RoundView {
    let mut query = world.query::<(&ActorIndex, &Capability, &Positions, &Saliences, &RedLines, &Seat)>();
    let mut actors: Vec<(usize, ActorView)> = query
        .iter(world)
        .map(|(index, capability, positions, saliences, red_lines, seat)| {
            let view = ActorView {
                seat: seat.recorded(),
                capability: capability.0,
                positions: positions.0.clone(),
                saliences: saliences.0.clone(),
                red_lines: red_lines.0.clone(),
            };
            (index.0, view)
        })
        .collect();
    actors.sort_by_key(|(a, _)| *a);
    let session = world.resource::<Session>();
    RoundView {
        scenario: world.resource::<Setup>().scenario.clone(),
        forum,
        round,
        draft: session.draft.clone(),
        status_quo: session.status_quo.clone(),
        actors: actors.into_iter().map(|(_, view)| view).collect(),
        caucuses: session.caucuses.clone(),
        events: session.due_now(),
    }
}

/// The teams' decisions: moves and red lines at once, verdicts for this round's responses.
fn take(world: &mut World, decisions: &[Decision]) {
    let roster = world.resource::<Roster>().0.clone();
    let mut query = world.query::<(&mut Positions, &mut RedLines, &mut Team)>();
    for (_, _, mut team) in query.iter_mut(world) {
        team.verdict = None;
    }
    let scenario = world.resource::<Setup>().scenario.clone();
    for decision in decisions {
        let Ok((mut positions, mut red_lines, mut team)) = query.get_mut(world, roster[decision.actor]) else {
            continue;
        };
        team.verdict = decision.verdict;
        for &(k, to) in &decision.moves {
            let issue = &scenario.issues[k];
            positions.0[k] = to.clamp(issue.lo, issue.hi);
        }
        for &(k, line) in &decision.red_lines {
            red_lines.0[k] = line;
        }
    }
}

/// The rounds at which the forum's injects fire in this replicate. Every chance inject
/// draws both its coin and its round, fired or not, so that changing one inject's
/// probability leaves the others' draws alone.
fn schedule_injects(scenario: &Scenario, forum: usize, dice: &mut ChaCha8Rng) -> Vec<(u32, usize)> {
    let mut due = Vec::new();
    for (i, inject) in scenario.injects.iter().enumerate().filter(|(_, inject)| inject.forum == forum) {
        match inject.timing {
            Timing::Round(round) => due.push((round, i)),
            Timing::Held => {}
            Timing::Chance { probability, first, last } => {
                let coin: f64 = dice.random();
                let round = dice.random_range(first..=last);
                if coin < probability {
                    due.push((round, i));
                }
            }
        }
    }
    due.sort();
    due
}

fn seat(world: &mut World, scenario: &Scenario, forum: usize) {
    let forum = &scenario.forums[forum];
    let mut query = world.query::<(&ActorIndex, &mut Seat, &mut Response)>();
    for (index, mut seat, mut response) in query.iter_mut(world) {
        *seat = if forum.voting.binary_search(&index.0).is_ok() {
            Seat::Voting
        } else if forum.voice.binary_search(&index.0).is_ok() {
            Seat::Voice
        } else {
            Seat::Absent
        };
        *response = Response::default();
    }
}

fn polarisation(world: &mut World, scenario: &Scenario, forum: usize) -> Vec<f64> {
    let agenda = &scenario.forums[forum].agenda;
    let roster = world.resource::<Roster>().0.clone();
    let mut query = world.query::<(&Positions, &Capability, &Seat)>();
    let present: Vec<_> =
        roster.iter().filter_map(|&e| query.get(world, e).ok()).filter(|(_, _, seat)| seat.present()).collect();
    agenda.iter().map(|&k| weighted_sd(present.iter().map(|(p, c, _)| (p.0[k], c.0)))).collect()
}

/// The forum's record, with utilities measured on the positions and saliences each actor
/// brought into the forum.
fn conclude(
    world: &mut World,
    scenario: &Scenario,
    f: usize,
    entry: &Snapshot,
    polarisation_start: Vec<f64>,
    polarisation_end: Vec<f64>,
) -> ForumRecord {
    let forum = &scenario.forums[f];
    let session = world.resource::<Session>();
    let (adopted, adoption_round) = match session.progress {
        Progress::Adopted(round) => (true, Some(round)),
        _ => (false, None),
    };
    let rounds_used = session.round;
    let pick = |values: &[f64]| forum.agenda.iter().map(|&k| values[k]).collect::<Vec<f64>>();
    let status_quo = pick(&session.status_quo);
    let compromise = pick(&session.compromise);
    // A forecast model's outcome is its forecast, the last draft.
    let outcome = if adopted || scenario.model.is_forecast() { pick(&session.draft) } else { status_quo.clone() };
    let fallback_used = session.fallback_used;
    let traced = world.resource::<Setup>().trace;
    let injects = session.fired.clone();
    let rounds = session.rounds.clone();

    let mut query = world.query::<(&ActorIndex, &Seat, &Response, &Positions)>();
    let mut actors: Vec<ActorOutcome> = query
        .iter(world)
        // Everyone seated at the start, and anyone who joined and stayed or objected.
        .filter(|(index, seat, response, _)| {
            seat.present()
                || response.objections > 0
                || forum.voting.binary_search(&index.0).is_ok()
                || forum.voice.binary_search(&index.0).is_ok()
        })
        .map(|(index, seat, response, positions)| {
            let a = index.0;
            let u =
                |text: &[f64]| {
                    utility(forum.agenda.iter().enumerate().map(|(j, &k)| {
                        (text[j], entry.positions[a][k], entry.saliences[a][k], scenario.issues[k].range())
                    }))
                    .unwrap_or(1.0)
                };
            ActorOutcome {
                actor: a,
                seat: seat.recorded(),
                utility_outcome: u(&outcome),
                utility_status_quo: u(&status_quo),
                last_response: response.verdict,
                rounds_objecting: response.objections,
                entry_positions: if traced {
                    forum.agenda.iter().map(|&k| entry.positions[a][k]).collect()
                } else {
                    Vec::new()
                },
                final_positions: if traced {
                    forum.agenda.iter().map(|&k| positions.0[k]).collect()
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    actors.sort_by_key(|a| a.actor);
    let trail =
        world.get_resource_mut::<models::ModelTrail>().map(|mut t| std::mem::take(&mut t.0)).unwrap_or_default();
    ForumRecord {
        forum: f,
        adopted,
        adoption_round,
        rounds_used,
        fallback_used,
        status_quo,
        compromise,
        outcome,
        polarisation_start,
        polarisation_end,
        actors,
        injects,
        rounds,
        trail,
    }
}

/// What carries from one forum to the next: every actor's state and the blocs' cohesion.
#[derive(Clone)]
struct Snapshot {
    capabilities: Vec<f64>,
    positions: Vec<Vec<f64>>,
    saliences: Vec<Vec<f64>>,
    red_lines: Vec<Vec<Option<Interval>>>,
    cohesion: Vec<f64>,
}

impl Snapshot {
    fn initial(scenario: &Scenario) -> Self {
        Snapshot {
            capabilities: scenario.actors.iter().map(|a| a.capability).collect(),
            positions: scenario.actors.iter().map(|a| a.positions.clone()).collect(),
            saliences: scenario.actors.iter().map(|a| a.saliences.clone()).collect(),
            red_lines: scenario.actors.iter().map(|a| a.red_lines.clone()).collect(),
            cohesion: scenario.blocs.iter().map(|b| b.cohesion).collect(),
        }
    }

    fn take(world: &mut World) -> Self {
        let mut query = world.query::<(&ActorIndex, &Capability, &Positions, &Saliences, &RedLines)>();
        let n = query.iter(world).len();
        let mut snapshot = Snapshot {
            capabilities: vec![0.0; n],
            positions: vec![Vec::new(); n],
            saliences: vec![Vec::new(); n],
            red_lines: vec![Vec::new(); n],
            cohesion: Vec::new(),
        };
        for (index, capability, positions, saliences, red_lines) in query.iter(world) {
            snapshot.capabilities[index.0] = capability.0;
            snapshot.positions[index.0] = positions.0.clone();
            snapshot.saliences[index.0] = saliences.0.clone();
            snapshot.red_lines[index.0] = red_lines.0.clone();
        }
        snapshot.cohesion = world.get_resource::<Cohesion>().map_or_else(Vec::new, |c| c.0.clone());
        snapshot
    }

    fn restore(&self, world: &mut World) {
        let mut query = world.query::<(&ActorIndex, &mut Capability, &mut Positions, &mut Saliences, &mut RedLines)>();
        for (index, mut capability, mut positions, mut saliences, mut red_lines) in query.iter_mut(world) {
            capability.0 = self.capabilities[index.0];
            positions.0.clone_from(&self.positions[index.0]);
            saliences.0.clone_from(&self.saliences[index.0]);
            red_lines.0.clone_from(&self.red_lines[index.0]);
        }
        world.insert_resource(Cohesion(self.cohesion.clone()));
    }
}
