//! Phase 5: the forum's rule decides on the draft. At the last round a forum with a
//! fallback rule puts the text to that rule instead of failing outright.

use bevy_ecs::prelude::*;

use crate::record::Verdict;
use crate::scenario::Rule;
use crate::sim::formulas::{Tally, adopts, verdict};
use crate::sim::world::*;

pub fn decide(
    setup: Res<Setup>,
    mut session: ResMut<Session>,
    roster: Res<Roster>,
    actors: Query<(&ActorIndex, &Seat, &Response)>,
) {
    let scenario = &setup.scenario;
    let forum = &scenario.forums[session.forum];
    let tally_under = |rule: &Rule, recount: bool| {
        let mut tally = Tally::default();
        for &entity in &roster.0 {
            let Ok((index, seat, response)) = actors.get(entity) else { continue };
            if *seat != Seat::Voting {
                continue;
            }
            let weight = match rule {
                Rule::Qualified { weight, .. } => {
                    scenario.actors[index.0].attributes.get(weight).copied().unwrap_or(0.0)
                }
                _ => 0.0,
            };
            let answer = if recount {
                verdict(
                    response.red_line_breached,
                    response.gain,
                    response.tolerance,
                    rule.counts_votes(),
                    scenario.parameters.abstain_band,
                )
            } else {
                response.verdict.unwrap_or(Verdict::Abstain)
            };
            tally.total_weight += weight;
            match answer {
                Verdict::Accept => {
                    tally.accepts += 1;
                    tally.accepting_weight += weight;
                }
                Verdict::Object => tally.objects += 1,
                Verdict::Abstain => tally.abstains += 1,
            }
        }
        tally
    };
    let round = session.round;
    if adopts(&forum.rule, &tally_under(&forum.rule, false)) {
        session.progress = Progress::Adopted(round);
    } else if round >= forum.rounds {
        session.progress = match &forum.fallback {
            Some(fallback) => {
                session.fallback_used = true;
                if adopts(fallback, &tally_under(fallback, true)) { Progress::Adopted(round) } else { Progress::Failed }
            }
            None => Progress::Failed,
        };
    }
}
