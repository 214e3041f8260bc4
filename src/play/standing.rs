//! What a team sees of a round, as data: the draft against where its seat stands, what it
//! gains, the red lines the draft crosses, its blocs' common lines and the main players.
//! The terminal (`room.rs`) and the live room's team page (`src/room/`) both show it.

use super::log::{Answer, TeamDecision};
use crate::record::{Seat, Verdict};
use crate::scenario::{Interval, Scenario};
use crate::sim::formulas::utility;
use crate::sim::{Decision, RoundView};

/// A seat at the table: one actor, or a bloc answering for all its members.
pub struct Seated {
    pub id: String,
    pub name: String,
    pub members: Vec<usize>,
}

/// The changes a team has made this round and not yet sent: (issue, position) and
/// (issue, red line or `None` for lifted), in the order made.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pending {
    pub moves: Vec<(usize, f64)>,
    pub red_lines: Vec<(usize, Option<Interval>)>,
}

impl Pending {
    /// The decision as logged: the last value per issue, in the order first changed.
    pub fn decision(
        &self,
        scenario: &Scenario,
        forum: usize,
        round: u32,
        seat: String,
        answer: Answer,
    ) -> TeamDecision {
        let mut moves: Vec<(String, f64)> = Vec::new();
        for &(k, x) in &self.moves {
            moves.retain(|(id, _)| *id != scenario.issues[k].id);
            moves.push((scenario.issues[k].id.clone(), x));
        }
        let mut red_lines: Vec<(String, Option<(f64, f64)>)> = Vec::new();
        for &(k, line) in &self.red_lines {
            red_lines.retain(|(id, _)| *id != scenario.issues[k].id);
            red_lines.push((scenario.issues[k].id.clone(), line.map(|l| (l.lo, l.hi))));
        }
        TeamDecision { forum: scenario.forums[forum].id.clone(), round, seat, answer, moves, red_lines }
    }
}

impl TeamDecision {
    /// What the simulation takes from a seat's decision: one per member, the verdict for
    /// the `voting` ones only.
    pub fn for_members(&self, scenario: &Scenario, members: &[usize], voting: &[usize]) -> Vec<Decision> {
        let verdict = match self.answer {
            Answer::Accept => Some(Verdict::Accept),
            Answer::Object => Some(Verdict::Object),
            Answer::Abstain => Some(Verdict::Abstain),
            Answer::Model => None,
        };
        let issue = |id: &str| scenario.issues.iter().position(|i| i.id == id);
        let moves: Vec<(usize, f64)> = self.moves.iter().filter_map(|(k, x)| Some((issue(k)?, *x))).collect();
        let red_lines: Vec<(usize, Option<Interval>)> = self
            .red_lines
            .iter()
            .filter_map(|(k, line)| Some((issue(k)?, line.map(|(lo, hi)| Interval { lo, hi }))))
            .collect();
        members
            .iter()
            .map(|&a| Decision {
                actor: a,
                verdict: if voting.contains(&a) { verdict } else { None },
                moves: moves.clone(),
                red_lines: red_lines.clone(),
            })
            .collect()
    }
}

/// The red lines a seat's members hold on one issue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lines {
    None,
    /// The seat is one actor, with this red line.
    One(Interval),
    /// All `n` members hold the same one.
    All(Interval, usize),
    /// `held` of the `of` members hold one, not all the same.
    Some {
        held: usize,
        of: usize,
    },
}

pub struct IssueRow {
    pub issue: usize,
    pub draft: f64,
    pub status_quo: f64,
    /// The seat's position: its voting members' capability x salience weighted mean.
    pub you: f64,
    /// The seat's mean salience on the issue, 0 to 1.
    pub salience: f64,
    pub lines: Lines,
}

/// The draft against the status quo, in points of utility (0 to 100).
pub struct Gain {
    pub mean: f64,
    pub better_off: usize,
    pub of: usize,
}

pub struct Standing {
    /// Members with a vote in this forum.
    pub voting: usize,
    pub rows: Vec<IssueRow>,
    pub gain: Option<Gain>,
    /// Per issue whose red line the draft crosses: the voting members concerned.
    pub crossed: Vec<(usize, Vec<usize>)>,
    /// Up to three of the seat's blocs (those holding most of its members first) with
    /// their common line per agenda issue.
    pub common_lines: Vec<(usize, Vec<(usize, f64)>)>,
    /// The six heaviest actors present outside the seat.
    pub main_players: Vec<usize>,
}

/// A member of a seat as it would stand: (actor, positions, red lines).
type Member = (usize, Vec<f64>, Vec<Option<Interval>>);

impl Standing {
    /// The seat as it would stand with its pending changes.
    pub fn of(view: &RoundView, seated: &Seated, pending: &Pending) -> Standing {
        let scenario = &*view.scenario;
        let agenda = &scenario.forums[view.forum].agenda;
        let members: Vec<Member> = seated
            .members
            .iter()
            .map(|&a| {
                let mut positions = view.actors[a].positions.clone();
                let mut lines = view.actors[a].red_lines.clone();
                for &(k, x) in &pending.moves {
                    positions[k] = x;
                }
                for &(k, line) in &pending.red_lines {
                    lines[k] = line;
                }
                (a, positions, lines)
            })
            .collect();
        let voting: Vec<&Member> = members.iter().filter(|(a, _, _)| view.actors[*a].seat == Seat::Voting).collect();
        let rows = agenda
            .iter()
            .map(|&k| {
                let mut sum = (0.0, 0.0);
                for (a, positions, _) in &members {
                    let weight = view.actors[*a].capability * view.actors[*a].saliences[k];
                    sum.0 += weight * positions[k];
                    sum.1 += weight;
                }
                let you = if sum.1 > 0.0 { sum.0 / sum.1 } else { members.first().map_or(f64::NAN, |m| m.1[k]) };
                let salience =
                    members.iter().map(|(a, _, _)| view.actors[*a].saliences[k]).sum::<f64>() / members.len() as f64;
                let held: Vec<Interval> = members.iter().filter_map(|(_, _, lines)| lines[k]).collect();
                let lines = match held.as_slice() {
                    [] => Lines::None,
                    [one] if members.len() == 1 => Lines::One(*one),
                    [one, rest @ ..] if held.len() == members.len() && rest.iter().all(|l| l == one) => {
                        Lines::All(*one, members.len())
                    }
                    _ => Lines::Some { held: held.len(), of: members.len() },
                };
                IssueRow { issue: k, draft: view.draft[k], status_quo: view.status_quo[k], you, salience, lines }
            })
            .collect();
        let gains: Vec<f64> = voting
            .iter()
            .filter_map(|(a, positions, _)| {
                let s = &view.actors[*a].saliences;
                let u = |text: &[f64]| {
                    utility(agenda.iter().map(|&k| (text[k], positions[k], s[k], scenario.issues[k].range())))
                };
                u(&view.draft).zip(u(&view.status_quo)).map(|(d, q)| (d - q) * 100.0)
            })
            .collect();
        let gain = (!gains.is_empty()).then(|| Gain {
            mean: gains.iter().sum::<f64>() / gains.len() as f64,
            better_off: gains.iter().filter(|&&g| g > 0.0).count(),
            of: gains.len(),
        });
        let crossed = agenda
            .iter()
            .filter_map(|&k| {
                let actors: Vec<usize> = voting
                    .iter()
                    .filter(|(_, _, lines)| lines[k].is_some_and(|l| !l.contains(view.draft[k])))
                    .map(|(a, _, _)| *a)
                    .collect();
                (!actors.is_empty()).then_some((k, actors))
            })
            .collect();
        let share = |b: usize| seated.members.iter().filter(|a| scenario.actors[**a].blocs.contains(&b)).count();
        let mut caucuses: Vec<&crate::record::Caucus> =
            view.caucuses.iter().filter(|c| share(c.bloc) > 0 && seated.id != scenario.blocs[c.bloc].id).collect();
        caucuses.sort_by_key(|c| (std::cmp::Reverse(share(c.bloc)), c.bloc));
        let common_lines = caucuses
            .into_iter()
            .take(3)
            .map(|c| (c.bloc, c.line.iter().zip(agenda).filter_map(|(line, &k)| line.map(|x| (k, x))).collect()))
            .collect();
        let mut main_players: Vec<usize> = (0..view.actors.len())
            .filter(|a| view.actors[*a].seat != Seat::Absent && !seated.members.contains(a))
            .collect();
        main_players.sort_by(|a, b| view.actors[*b].capability.total_cmp(&view.actors[*a].capability).then(a.cmp(b)));
        main_players.truncate(6);
        Standing { voting: voting.len(), rows, gain, crossed, common_lines, main_players }
    }
}
