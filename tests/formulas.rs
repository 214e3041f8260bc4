//! Each formula of the model against values worked out by hand (docs/model.md).

use plenary::output::stats::{Distribution, wilson};
use plenary::record::Verdict;
use plenary::scenario::{Interval, Rule};
use plenary::sim::formulas::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn utility_weighs_distances_by_normalised_salience() {
    // w = (0.6, 0.2) / 0.8 = (0.75, 0.25); d = (|50-40|, |50-90|) / 100 = (0.1, 0.4)
    // U = 1 - (0.75 * 0.1 + 0.25 * 0.4) = 1 - 0.175 = 0.825
    let u = utility([(50.0, 40.0, 0.6, 100.0), (50.0, 90.0, 0.2, 100.0)].into_iter()).unwrap();
    assert!(close(u, 0.825), "{u}");
}

#[test]
fn utility_is_undefined_for_an_actor_indifferent_to_the_agenda() {
    assert_eq!(utility([(50.0, 40.0, 0.0, 100.0)].into_iter()), None);
}

#[test]
fn caucus_pulls_toward_blocs_in_proportion_to_cohesion() {
    // pull = 0.8 (50 - 10) + 0.6 (30 - 10) = 44; sum of cohesion 1.4
    // move = 0.3 * 0.5 * 44 / 1.4 = 4.714285714...
    let m = caucus_move(10.0, 0.3, 0.5, [(0.8, 50.0), (0.6, 30.0)].into_iter());
    assert!(close(m, 0.15 * 44.0 / 1.4), "{m}");
    // One bloc of cohesion 0.5: the divisor is max(1, 0.5) = 1, move = 0.3 * 0.5 * 0.5 * 40 = 3
    let m = caucus_move(10.0, 0.3, 0.5, [(0.5, 50.0)].into_iter());
    assert!(close(m, 3.0), "{m}");
    assert_eq!(caucus_move(10.0, 0.3, 0.5, std::iter::empty()), 0.0);
}

#[test]
fn draft_weight_grows_with_objections_and_shrinks_for_voice_only() {
    // 2 * 0.5 * (1 + 0.5 * 2) * 0.3 = 0.6
    assert!(close(draft_weight(2.0, 0.5, 0.5, 2, Some(0.3)), 0.6));
    // A voting member: no stakeholder factor. 3 * 0.4 * 1 = 1.2
    assert!(close(draft_weight(3.0, 0.4, 0.5, 0, None), 1.2));
}

#[test]
fn weighted_mean_is_the_compromise_and_none_without_weight() {
    // (20 * 1 + 80 * 1 + 100 * 2) / 4 = 75
    assert!(close(weighted_mean([(20.0, 1.0), (80.0, 1.0), (100.0, 2.0)].into_iter()).unwrap(), 75.0));
    assert_eq!(weighted_mean([(20.0, 0.0)].into_iter()), None);
}

#[test]
fn tolerance_follows_the_concession_curve() {
    // 0.5 * 0.15 * (3/6)^(1/1) = 0.0375
    assert!(close(tolerance(0.5, 0.15, 3, 6, 1.0), 0.0375));
    // Boulware, beta = 0.5: (3/6)^2 = 0.25 -> 0.01875
    assert!(close(tolerance(0.5, 0.15, 3, 6, 0.5), 0.01875));
    // Conceder, beta = 2: (3/6)^0.5 = 0.7071... -> 0.05303...
    assert!(close(tolerance(0.5, 0.15, 3, 6, 2.0), 0.075 * 0.5f64.sqrt()));
    // At the deadline the whole tolerance applies.
    assert!(close(tolerance(1.0, 0.15, 6, 6, 0.3), 0.15));
}

#[test]
fn verdicts() {
    use Verdict::*;
    assert_eq!(verdict(true, Some(0.5), 0.1, false, 0.02), Object, "a breached red line always objects");
    assert_eq!(verdict(false, Some(-0.05), 0.1, false, 0.02), Accept, "within tolerance");
    assert_eq!(verdict(false, Some(-0.15), 0.1, false, 0.02), Object, "beyond tolerance");
    assert_eq!(verdict(false, Some(0.01), 0.0, true, 0.02), Abstain, "near-indifferent under a vote");
    assert_eq!(verdict(false, Some(0.01), 0.0, false, 0.02), Accept, "no abstaining under consensus");
    assert_eq!(verdict(false, None, 0.0, false, 0.02), Accept, "indifferent never objects");
    assert_eq!(verdict(false, None, 0.0, true, 0.02), Abstain);
}

fn tally(accepts: u32, objects: u32, abstains: u32) -> Tally {
    Tally { accepts, objects, abstains, ..Tally::default() }
}

#[test]
fn decision_rules() {
    assert!(adopts(&Rule::Consensus, &tally(3, 0, 2)), "abstaining is not objecting");
    assert!(!adopts(&Rule::Consensus, &tally(9, 1, 0)));
    assert!(!adopts(&Rule::Unanimity, &tally(3, 0, 1)), "unanimity needs every member to accept");
    assert!(adopts(&Rule::Unanimity, &tally(4, 0, 0)));
    let simple = Rule::Majority { threshold: 0.5 };
    assert!(!adopts(&simple, &tally(3, 3, 5)), "a tie is not a majority");
    assert!(adopts(&simple, &tally(4, 3, 5)), "abstentions do not count");
    assert!(adopts(&Rule::TwoThirds, &tally(2, 1, 0)), "exactly two thirds passes");
    assert!(!adopts(&Rule::TwoThirds, &tally(199, 101, 0)));
    assert!(!adopts(&Rule::Consensus, &tally(0, 0, 0)), "nobody present decides nothing");
}

#[test]
fn qualified_majority_needs_both_members_and_weight() {
    let qmv = Rule::Qualified { member_share: 0.55, weight: "population".into(), weight_share: 0.65 };
    // 15 of 27 members (55.6% >= 55%) with 65% of the population: adopted.
    let both = Tally { accepts: 15, objects: 12, abstains: 0, accepting_weight: 65.0, total_weight: 100.0 };
    assert!(adopts(&qmv, &both));
    // Enough members, too little population.
    assert!(!adopts(&qmv, &Tally { accepting_weight: 64.9, ..both }));
    // Enough population, 14 of 27 members (51.9%).
    assert!(!adopts(&qmv, &Tally { accepts: 14, objects: 13, ..both }));
    // Abstaining members count in the total: 15 of 28 = 53.6% < 55%.
    assert!(!adopts(&qmv, &Tally { abstains: 1, ..both }));
}

#[test]
fn concession_moves_toward_the_draft_within_scale_and_red_line() {
    // 20 + 0.2 * 0.5 * (1 - 0.4) * (60 - 20) + 1 = 23.4
    assert!(close(concede(20.0, 60.0, 0.2, 0.5, 0.4, 1.0, 0.0, 100.0, None), 23.4));
    let line = Interval { lo: 0.0, hi: 22.0 };
    assert!(close(concede(20.0, 60.0, 0.2, 0.5, 0.4, 1.0, 0.0, 100.0, Some(line)), 22.0));
    assert!(close(concede(99.0, 100.0, 0.2, 1.0, 0.0, 5.0, 0.0, 100.0, None), 100.0), "clamped into the scale");
}

#[test]
fn polarisation_is_a_capability_weighted_standard_deviation() {
    // Positions 0 and 100 with weights 1 and 3: mean 75, variance (1*75^2 + 3*25^2)/4 = 1875
    let sd = weighted_sd([(0.0, 1.0), (100.0, 3.0)].into_iter());
    assert!(close(sd, 1875f64.sqrt()), "{sd}");
}

#[test]
fn wilson_interval_matches_published_values() {
    // Wilson (1927) 95% interval for 8 of 10: 0.4902 to 0.9433 (e.g. Newcombe 1998, table I).
    let (lo, hi) = wilson(8, 10).unwrap();
    assert!((lo - 0.4902).abs() < 5e-5 && (hi - 0.9433).abs() < 5e-5, "{lo} {hi}");
    let (lo, hi) = wilson(0, 10).unwrap();
    assert!(lo == 0.0 && (hi - 0.2775).abs() < 5e-5, "{lo} {hi}");
    assert_eq!(wilson(0, 0), None);
}

#[test]
fn wilson_bounds_at_none_and_all_are_exactly_zero_and_one() {
    // The formula leaves 2.168404344971009e-19 for 0 of 1000, printed as such in summary.csv.
    for n in [1, 10, 1000, 100_000] {
        assert_eq!(wilson(0, n).unwrap().0, 0.0, "0 of {n}");
        assert_eq!(wilson(n, n).unwrap().1, 1.0, "{n} of {n}");
    }
}

#[test]
fn quantiles_interpolate_like_r_type_7() {
    let mut d = Distribution::new(0.0, 10.0);
    for x in 1..=10 {
        d.add(x as f64);
    }
    // quantile(1:10, c(0.025, 0.975)) in R: 1.225 9.775
    assert!(close(d.quantile(0.025).unwrap(), 1.225));
    assert!(close(d.quantile(0.975).unwrap(), 9.775));
    assert!(close(d.mean().unwrap(), 5.5));
    // sd(1:10) = 3.02765
    assert!((d.sd().unwrap() - 3.0276503540974917).abs() < 1e-12);
}

#[test]
fn quantiles_stay_accurate_past_the_exact_limit() {
    // 200,000 values spread evenly over 0..1: the histogram's quantiles are within a bin.
    let mut d = Distribution::new(0.0, 1.0);
    let n = 200_000;
    for i in 0..n {
        d.add((i as f64 * 7919.0 % n as f64) / n as f64);
    }
    assert!((d.quantile(0.025).unwrap() - 0.025).abs() < 1e-4);
    assert!((d.quantile(0.975).unwrap() - 0.975).abs() < 1e-4);
}

#[test]
fn shares_at_the_exact_boundary_are_decided_as_written() {
    // 55 of 100 members is exactly 55%, although 0.55 * 100 = 55.00000000000001 in floats.
    let qmv = Rule::Qualified { member_share: 0.55, weight: "w".into(), weight_share: 0.5 };
    let t = Tally { accepts: 55, objects: 45, abstains: 0, accepting_weight: 55.0, total_weight: 100.0 };
    assert!(adopts(&qmv, &t));
    assert!(!adopts(&qmv, &Tally { accepts: 54, objects: 46, ..t }));
    // 57 of 100 is not more than 0.57, although 0.57 * 100 = 56.99999999999999.
    assert!(!adopts(&Rule::Majority { threshold: 0.57 }, &tally(57, 43, 0)));
    assert!(adopts(&Rule::Majority { threshold: 0.57 }, &tally(58, 42, 0)));
    // A weight share reached by a sum of decimals: 0.1 + 0.2 of 0.5 is 60%.
    let weighted = Rule::Qualified { member_share: 0.5, weight: "w".into(), weight_share: 0.6 };
    assert!(adopts(
        &weighted,
        &Tally { accepts: 2, objects: 1, abstains: 0, accepting_weight: 0.1 + 0.2, total_weight: 0.5 }
    ));
}
