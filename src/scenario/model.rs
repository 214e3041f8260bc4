//! The validated scenario: every id resolved to an index, every value in range.
//!
//! Nothing downstream re-checks what is here. Vectors indexed by issue run over all the
//! scenario's issues (a forum's agenda picks a subset); actors, blocs, forums and injects
//! keep the order in which the scenario declares them, which fixes the order of random draws.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::parameters::Parameters;

#[derive(Clone, Debug)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Where the scenario came from: its path, or the path it has in the repository for
    /// the built-in default.
    pub source: PathBuf,
    /// The actors table as read: (path shown to the user, its text), for the manifest.
    pub actors_table: Option<(String, String)>,
    pub seed: u64,
    pub replicates: u64,
    /// Which model plays the forums out.
    pub model: Model,
    pub parameters: Parameters,
    pub issues: Vec<Issue>,
    pub actors: Vec<Actor>,
    pub blocs: Vec<Bloc>,
    pub forums: Vec<Forum>,
    /// Forums in the order they run: every forum after the one it follows.
    pub forum_order: Vec<usize>,
    pub injects: Vec<Inject>,
}

/// The model a scenario is played with (docs/models.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Model {
    /// The chair's text under a decision rule (docs/model.md): the default.
    #[default]
    Chair,
    /// The round-1 weighted mean of positions as a one-shot forecast.
    Compromise,
    /// Stokman and Van Oosten's exchange model with equal gains for both partners.
    ExchangeEqualGain,
    /// The exchange model with an exchange rate drawn between the partners' break-even rates.
    ExchangeRandomRate,
    /// Bueno de Mesquita's expected-utility challenge model (Scholz, Calbert and Smith 2011).
    ExpectedUtility,
}

impl Model {
    pub const NAMES: [&'static str; 5] =
        ["chair", "compromise", "exchange-equal-gain", "exchange-random-rate", "expected-utility"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "chair" => Some(Self::Chair),
            "compromise" => Some(Self::Compromise),
            "exchange-equal-gain" => Some(Self::ExchangeEqualGain),
            "exchange-random-rate" => Some(Self::ExchangeRandomRate),
            "expected-utility" => Some(Self::ExpectedUtility),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Chair => "chair",
            Self::Compromise => "compromise",
            Self::ExchangeEqualGain => "exchange-equal-gain",
            Self::ExchangeRandomRate => "exchange-random-rate",
            Self::ExpectedUtility => "expected-utility",
        }
    }

    /// A forecast model predicts an outcome; nothing is put to a decision rule, so nothing
    /// is adopted, voted on or objected to.
    pub fn is_forecast(self) -> bool {
        self != Self::Chair
    }

    pub fn is_exchange(self) -> bool {
        matches!(self, Self::ExchangeEqualGain | Self::ExchangeRandomRate)
    }

    /// Models that draw on the replicate's random stream even without chance injects: their
    /// replicates differ.
    pub fn is_random(self) -> bool {
        matches!(self, Self::Chair | Self::ExchangeRandomRate)
    }

    /// Models that move positions round by round and trace them in trajectories.csv.
    pub fn moves_positions(self) -> bool {
        self.is_exchange() || self == Self::ExpectedUtility
    }
}

#[derive(Clone, Debug)]
pub struct Issue {
    pub id: String,
    pub name: String,
    pub lo: f64,
    pub hi: f64,
    pub low_label: String,
    pub high_label: String,
    pub status_quo: f64,
}

impl Issue {
    pub fn range(&self) -> f64 {
        self.hi - self.lo
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKind {
    State,
    Organisation,
    Stakeholder,
}

impl ActorKind {
    pub const NAMES: [&'static str; 3] = ["state", "organisation", "stakeholder"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "state" => Some(Self::State),
            "organisation" => Some(Self::Organisation),
            "stakeholder" => Some(Self::Stakeholder),
            _ => None,
        }
    }
}

/// A closed interval `[lo, hi]` on an issue's scale: an actor's red line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

impl Interval {
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    pub fn clamp(&self, x: f64) -> f64 {
        x.clamp(self.lo, self.hi)
    }
}

#[derive(Clone, Debug)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    pub capability: f64,
    pub flexibility: f64,
    /// Per issue.
    pub positions: Vec<f64>,
    /// Per issue, in 0..=1.
    pub saliences: Vec<f64>,
    /// Per issue: the acceptable interval, if the actor has a red line there.
    pub red_lines: Vec<Option<Interval>>,
    /// Bloc indices, ascending.
    pub blocs: Vec<usize>,
    /// Named numeric attributes (population, GDP, ...), used as weights by qualified rules.
    pub attributes: BTreeMap<String, f64>,
}

#[derive(Clone, Debug)]
pub struct Bloc {
    pub id: String,
    pub name: String,
    pub cohesion: f64,
    /// Actor indices, ascending.
    pub members: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// Adopted when no voting member objects; abstaining is not objecting.
    Consensus,
    /// Adopted when every voting member accepts.
    Unanimity,
    /// Adopted when accepts > threshold x (accepts + objects).
    Majority { threshold: f64 },
    /// Adopted when accepts >= 2/3 x (accepts + objects).
    TwoThirds,
    /// Double majority: accepting members >= `member_share` of the voting members, and
    /// their summed `weight` attribute >= `weight_share` of the voting members' total.
    Qualified { member_share: f64, weight: String, weight_share: f64 },
}

impl Rule {
    /// Under rules that count votes an actor close to indifferent abstains.
    pub fn counts_votes(&self) -> bool {
        matches!(self, Rule::Majority { .. } | Rule::TwoThirds | Rule::Qualified { .. })
    }

    pub fn describe(&self) -> String {
        match self {
            Rule::Consensus => "consensus".into(),
            Rule::Unanimity => "unanimity".into(),
            Rule::Majority { threshold } => format!("majority (more than {threshold} of votes cast)"),
            Rule::TwoThirds => "two-thirds of votes cast".into(),
            Rule::Qualified { member_share, weight, weight_share } => format!(
                "qualified majority ({:.0}% of members, {:.0}% of {weight})",
                member_share * 100.0,
                weight_share * 100.0
            ),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Forum {
    pub id: String,
    pub name: String,
    /// Actor indices, ascending.
    pub voting: Vec<usize>,
    /// Actor indices with a voice and no vote, ascending, disjoint from `voting`.
    pub voice: Vec<usize>,
    /// Issue indices, ascending.
    pub agenda: Vec<usize>,
    pub rule: Rule,
    pub fallback: Option<Rule>,
    pub rounds: u32,
    pub after: Option<usize>,
    /// The real tally of a recorded vote (accept, object, abstain; None where the record
    /// does not say), to print beside the predicted one; it changes nothing in the simulation.
    pub observed: Option<[Option<u64>; 3]>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Timing {
    /// Fires at this round of its forum.
    Round(u32),
    /// Fires in a replicate with probability `probability`, at a round drawn uniformly
    /// from `first..=last`.
    Chance { probability: f64, first: u32, last: u32 },
    /// Never fires on its own: kept for the trainer to fire during `plenary play`.
    Held,
}

#[derive(Clone, Debug)]
pub struct Inject {
    pub id: String,
    pub name: String,
    pub narrative: String,
    pub forum: usize,
    pub timing: Timing,
    /// The facilitator's note on when to use it (held injects), e.g. "minute 40".
    pub cue: String,
    /// The actor or bloc id of the one team whose eyes only its narrative is for (a
    /// cable to one delegation); `None`: told to the whole room. The effects happen alike.
    pub to: Option<String>,
    pub effects: Vec<Effect>,
}

#[derive(Clone, Debug)]
pub struct Effect {
    /// Actor indices the effect applies to, ascending (bloc targets expanded to members).
    pub actors: Vec<usize>,
    /// Bloc indices named as targets, for effects on cohesion.
    pub blocs: Vec<usize>,
    pub action: Action,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    ShiftPosition {
        issue: usize,
        by: f64,
    },
    SetPosition {
        issue: usize,
        to: f64,
    },
    ShiftSalience {
        issue: usize,
        by: f64,
    },
    SetSalience {
        issue: usize,
        to: f64,
    },
    ScaleCapability {
        factor: f64,
    },
    ShiftCohesion {
        by: f64,
    },
    SetCohesion {
        to: f64,
    },
    SetRedLine {
        issue: usize,
        line: Interval,
    },
    LiftRedLine {
        issue: usize,
    },
    /// Leave the inject's forum (a walkout).
    Leave,
    /// Join the inject's forum as a voting member.
    Join,
}

impl Scenario {
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }
    pub fn forum_index(&self, id: &str) -> Option<usize> {
        self.forums.iter().position(|f| f.id == id)
    }
}
