//! Phase 3: the chair drafts a text, the weighted mean of the positions of everyone at
//! the table; weights grow with capability, salience and past objections, and
//! voice-only participants count with the stakeholder weight. At round 1 the draft is
//! the compromise model's forecast.

use bevy_ecs::prelude::*;

use crate::sim::formulas::{draft_weight, weighted_mean};
use crate::sim::world::*;

pub fn draft_text(
    setup: Res<Setup>,
    mut session: ResMut<Session>,
    roster: Res<Roster>,
    actors: Query<(&Positions, &Saliences, &Capability, &Seat, &Response)>,
) {
    let scenario = &setup.scenario;
    let parameters = &scenario.parameters;
    for &k in &scenario.forums[session.forum].agenda {
        let text = weighted_mean(roster.0.iter().filter_map(|&entity| {
            let (positions, saliences, capability, seat, response) = actors.get(entity).ok()?;
            let voice_weight = match seat {
                Seat::Voting => None,
                Seat::Voice => Some(parameters.stakeholder_weight),
                Seat::Absent => return None,
            };
            Some((
                positions.0[k],
                draft_weight(capability.0, saliences.0[k], parameters.accommodation, response.objections, voice_weight),
            ))
        }));
        session.draft[k] = text.unwrap_or(session.status_quo[k]);
    }
    if session.round == 1 {
        session.compromise = session.draft.clone();
    }
}
