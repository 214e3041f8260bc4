//! Phase 5: the forum's rule decides on the draft. At the last round a forum with a
//! fallback rule puts the text to that rule instead of failing outright: every voting
//! member answers again under the fallback (where votes are counted, the nearly
//! indifferent abstain), and those answers are the ones recorded.

use bevy_ecs::prelude::*;

use crate::record::Verdict;
use crate::scenario::{Rule, Scenario};
use crate::sim::formulas::{Tally, adopts, verdict};
use crate::sim::world::*;

type Voters<'w, 's> = Query<'w, 's, (&'static ActorIndex, &'static Seat, &'static mut Response)>;

pub fn decide(setup: Res<Setup>, mut session: ResMut<Session>, roster: Res<Roster>, mut actors: Voters) {
    let scenario = &setup.scenario;
    let forum = &scenario.forums[session.forum];
    let round = session.round;
    if adopts(&forum.rule, &tally(scenario, &forum.rule, &roster, &actors)) {
        session.progress = Progress::Adopted(round);
    } else if round >= forum.rounds {
        session.progress = match &forum.fallback {
            Some(fallback) => {
                session.fallback_used = true;
                for &entity in &roster.0 {
                    if let Ok((_, Seat::Voting, mut response)) = actors.get_mut(entity) {
                        let again = verdict(
                            response.breached.is_some(),
                            response.gain,
                            response.tolerance,
                            fallback.counts_votes(),
                            scenario.parameters.abstain_band,
                        );
                        response.verdict = Some(again);
                    }
                }
                if adopts(fallback, &tally(scenario, fallback, &roster, &actors)) {
                    Progress::Adopted(round)
                } else {
                    Progress::Failed
                }
            }
            None => Progress::Failed,
        };
    }
}

/// The voting members' answers, with their summed weight where the rule weighs them.
fn tally(scenario: &Scenario, rule: &Rule, roster: &Roster, actors: &Voters) -> Tally {
    let mut tally = Tally::default();
    for &entity in &roster.0 {
        let Ok((index, Seat::Voting, response)) = actors.get(entity) else { continue };
        let weight = match rule {
            Rule::Qualified { weight, .. } => scenario.actors[index.0].attributes.get(weight).copied().unwrap_or(0.0),
            _ => 0.0,
        };
        tally.total_weight += weight;
        match response.verdict.unwrap_or(Verdict::Abstain) {
            Verdict::Accept => {
                tally.accepts += 1;
                tally.accepting_weight += weight;
            }
            Verdict::Object => tally.objects += 1,
            Verdict::Abstain => tally.abstains += 1,
        }
    }
    tally
}
