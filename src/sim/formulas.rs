//! The model's formulas as plain functions of numbers, one per rule of MODEL.md, so that
//! each can be checked against values worked out by hand. The systems in `phases` gather
//! the numbers from the world and call these.

use crate::scenario::{Interval, Rule};

/// `d = |p - x| / (hi - lo)`.
#[inline]
pub fn distance(p: f64, x: f64, range: f64) -> f64 {
    (p - x).abs() / range
}

/// `U(p) = 1 - sum_k w_k d_k(p)` with `w_k = s_k / sum s` over the agenda.
/// `None` when the actor has no salience on the agenda: it is indifferent.
/// Each item is (text p_k, position x_k, salience s_k, range of the issue).
#[inline]
pub fn utility(items: impl Iterator<Item = (f64, f64, f64, f64)> + Clone) -> Option<f64> {
    let total: f64 = items.clone().map(|(_, _, s, _)| s).sum();
    if total <= 0.0 {
        return None;
    }
    Some(1.0 - items.map(|(p, x, s, range)| s / total * distance(p, x, range)).sum::<f64>())
}

/// A weighted mean; `None` when every weight is zero.
#[inline]
pub fn weighted_mean(items: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (sum, weight) = items.fold((0.0, 0.0), |(s, w), (x, v)| (s + v * x, w + v));
    (weight > 0.0).then(|| sum / weight)
}

/// Caucus move: `gamma * phi * sum_b kappa_b (B_b - x) / max(1, sum_b kappa_b)`, over the
/// blocs that have a position. Each item is (cohesion kappa_b, bloc position B_b).
#[inline]
pub fn caucus_move(x: f64, gamma: f64, phi: f64, blocs: impl Iterator<Item = (f64, f64)>) -> f64 {
    let (pull, cohesion) = blocs.fold((0.0, 0.0), |(p, k), (kappa, b)| (p + kappa * (b - x), k + kappa));
    gamma * phi * pull / f64::max(1.0, cohesion)
}

/// Draft weight `v = c * s * (1 + lambda * o) * (omega if voice-only else 1)`.
#[inline]
pub fn draft_weight(
    capability: f64,
    salience: f64,
    accommodation: f64,
    objections: u32,
    voice_weight: Option<f64>,
) -> f64 {
    capability * salience * (1.0 + accommodation * objections as f64) * voice_weight.unwrap_or(1.0)
}

/// Tolerance under time pressure: `e = phi * tau * (t / T)^(1 / beta)`.
#[inline]
pub fn tolerance(phi: f64, tau: f64, round: u32, rounds: u32, beta: f64) -> f64 {
    phi * tau * (round as f64 / rounds as f64).powf(1.0 / beta)
}

/// The verdict on a draft: object on a breached red line; otherwise accept when the gain
/// is at least `-tolerance`; under vote-counting rules abstain when `|gain| < band`.
/// An indifferent actor (no gain defined) accepts, or abstains where votes are counted.
#[inline]
pub fn verdict(
    red_line_breached: bool,
    gain: Option<f64>,
    tolerance: f64,
    counts_votes: bool,
    abstain_band: f64,
) -> crate::record::Verdict {
    use crate::record::Verdict::*;
    if red_line_breached {
        return Object;
    }
    match gain {
        None if counts_votes => Abstain,
        None => Accept,
        Some(g) if counts_votes && g.abs() < abstain_band => Abstain,
        Some(g) if g >= -tolerance => Accept,
        Some(_) => Object,
    }
}

/// Tally of the voting members' verdicts, with the summed weight attribute for qualified
/// rules.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    pub accepts: u32,
    pub objects: u32,
    pub abstains: u32,
    pub accepting_weight: f64,
    pub total_weight: f64,
}

impl Tally {
    pub fn members(&self) -> u32 {
        self.accepts + self.objects + self.abstains
    }
}

/// Whether a rule adopts the text given the tally. Nobody present adopts nothing.
#[inline]
pub fn adopts(rule: &Rule, tally: &Tally) -> bool {
    if tally.members() == 0 {
        return false;
    }
    let (a, o) = (tally.accepts as f64, tally.objects as f64);
    match rule {
        Rule::Consensus => tally.objects == 0,
        Rule::Unanimity => tally.accepts == tally.members(),
        // Shares are compared as ratios: a correctly rounded quotient equals the decimal
        // written in the scenario exactly when the true share does (55 of 100 is 0.55),
        // where a product such as 0.55 * 100 = 55.00000000000001 would not.
        Rule::Majority { threshold } => a + o > 0.0 && a / (a + o) > *threshold,
        // In whole numbers, so that 2 of 3 is exactly two thirds.
        Rule::TwoThirds => {
            tally.accepts + tally.objects > 0 && 3 * tally.accepts >= 2 * (tally.accepts + tally.objects)
        }
        Rule::Qualified { member_share, weight_share, .. } => {
            // Weights are sums of decimals, so their share gets a tolerance of rounding size.
            a / tally.members() as f64 >= *member_share
                && tally.total_weight > 0.0
                && tally.accepting_weight / tally.total_weight >= weight_share - 1e-12
        }
    }
}

/// Concession: `x + mu * phi * (1 - s) * (p - x) + eta`, clamped into the scale and the
/// actor's red line.
#[allow(clippy::too_many_arguments, reason = "the formula's own symbols, named as in docs/model.md")]
#[inline]
pub fn concede(
    x: f64,
    p: f64,
    mu: f64,
    phi: f64,
    salience: f64,
    eta: f64,
    lo: f64,
    hi: f64,
    red_line: Option<Interval>,
) -> f64 {
    let moved = (x + mu * phi * (1.0 - salience) * (p - x) + eta).clamp(lo, hi);
    red_line.map_or(moved, |line| line.clamp(moved))
}

/// Capability-weighted standard deviation: the spread of positions on one issue.
#[inline]
pub fn weighted_sd(items: impl Iterator<Item = (f64, f64)> + Clone) -> f64 {
    let Some(mean) = weighted_mean(items.clone()) else { return 0.0 };
    weighted_mean(items.map(|(x, w)| ((x - mean).powi(2), w))).map_or(0.0, f64::sqrt)
}
