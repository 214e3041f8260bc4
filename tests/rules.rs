//! Each decision rule, sequencing and each kind of inject, on tiny scenarios built for
//! them, with the noise switched off so that every number can be worked out by hand.

use plenary::record::{ForumRecord, ReplicateRecord};
use plenary::sim::run_replicate;

use crate::common::valid;

/// Three states on one issue with status quo 0, no noise and no movement, so that the
/// round-1 draft is the plain mean of positions: (30 + 40 + 90) / 3 = 53.33.
/// C's red line [80, 100] excludes that draft; A and B gain from it.
const THREE: &str = r#"
[scenario]
id = "three"
[parameters]
evaluation_noise = 0
position_noise = 0
caucus_rate = 0
concession_rate = 0
[[issue]]
id = "x"
status_quo = 0
[[actor]]
id = "A"
positions = { x = 30 }
saliences = { x = 1 }
attributes = { population = 10 }
[[actor]]
id = "B"
positions = { x = 40 }
saliences = { x = 1 }
attributes = { population = 10 }
[[actor]]
id = "C"
positions = { x = 90 }
saliences = { x = 1 }
red_lines = { x = [80, 100] }
attributes = { population = 80 }
"#;

fn forum(id: &str, decision: &str, extra: &str) -> String {
    format!("[[forum]]\nid = \"{id}\"\nvoting = [\"all-states\"]\ndecision = {decision}\nrounds = 1\n{extra}\n")
}

fn run(text: &str) -> ReplicateRecord {
    run_replicate(&valid(text), 1, 0, true)
}

fn by_id<'a>(record: &'a ReplicateRecord, text: &str, id: &str) -> &'a ForumRecord {
    let scenario = valid(text);
    let f = scenario.forum_index(id).unwrap();
    record.forums.iter().find(|r| r.forum == f).unwrap()
}

#[test]
fn consensus_fails_where_majority_passes() {
    let text = [
        THREE,
        &forum("consensus", "\"consensus\"", ""),
        &forum("unanimity", "\"unanimity\"", ""),
        &forum("majority", "\"majority\"", ""),
        &forum("two-thirds", "\"two-thirds\"", ""),
        &forum(
            "qualified",
            "{ rule = \"qualified\", members = 0.55, weight = \"population\", weight_share = 0.65 }",
            "",
        ),
        &forum(
            "light-qualified",
            "{ rule = \"qualified\", members = 0.55, weight = \"population\", weight_share = 0.2 }",
            "",
        ),
    ]
    .concat();
    let record = run(&text);
    let adopted = |id| by_id(&record, &text, id).adopted;
    assert!(!adopted("consensus"), "C objects on its red line");
    assert!(!adopted("unanimity"));
    assert!(adopted("majority"), "2 of 3 accept");
    assert!(adopted("two-thirds"), "2 of 3 is two thirds");
    assert!(!adopted("qualified"), "2 of 3 members but only 20% of the population");
    assert!(adopted("light-qualified"), "20% of the population is enough at a 20% share");
    let majority = by_id(&record, &text, "majority");
    assert!((majority.outcome[0] - 160.0 / 3.0).abs() < 1e-9, "the outcome is the draft: {:?}", majority.outcome);
    let consensus = by_id(&record, &text, "consensus");
    assert_eq!(consensus.outcome, vec![0.0], "a failed forum leaves the status quo");
    assert_eq!(consensus.rounds[0].objects, 1);
    assert_eq!(consensus.rounds[0].accepts, 2);
}

#[test]
fn fallback_puts_the_last_draft_to_a_vote() {
    let text = [THREE, &forum("oewg", "\"consensus\"", "fallback = \"majority\"")].concat();
    let record = run(&text);
    let f = &record.forums[0];
    assert!(f.adopted && f.fallback_used);
    assert_eq!(f.adoption_round, Some(1));
    let without = run(&[THREE, &forum("oewg", "\"consensus\"", "")].concat());
    assert!(!without.forums[0].adopted && !without.forums[0].fallback_used);
}

#[test]
fn a_later_forum_starts_from_the_outcome_of_the_one_before() {
    let text = [
        THREE,
        &forum("first", "\"majority\"", ""),
        &forum("second", "\"consensus\"", "after = \"first\""),
        &forum("parallel", "\"consensus\"", ""),
    ]
    .concat();
    let record = run(&text);
    let first = by_id(&record, &text, "first");
    let second = by_id(&record, &text, "second");
    let parallel = by_id(&record, &text, "parallel");
    assert!(first.adopted);
    assert_eq!(second.status_quo, first.outcome, "the Global Mechanism starts from the OEWG's text");
    assert_eq!(parallel.status_quo, vec![0.0], "a forum without `after` starts from the scenario's status quo");
    // Running order puts `second` after `first` whatever the file order.
    let reversed =
        [THREE, &forum("second", "\"consensus\"", "after = \"first\""), &forum("first", "\"majority\"", "")].concat();
    let scenario = valid(&reversed);
    assert_eq!(scenario.forum_order, vec![1, 0]);
}

#[test]
fn positions_carry_over_to_a_later_forum() {
    // With concessions on and two rounds, the second forum's round-1 draft is computed from
    // the moved positions, so it differs from a parallel forum's.
    // Salience below 1, since an actor concedes in proportion to (1 - salience).
    let moving = THREE
        .replace("concession_rate = 0", "concession_rate = 0.5")
        .replace("saliences = { x = 1 }", "saliences = { x = 0.5 }")
        // Unequal flexibility, since equal concessions toward the mean keep the mean.
        .replace("id = \"A\"\n", "id = \"A\"\nflexibility = 1\n");
    let two_rounds = |id: &str, extra: &str| forum(id, "\"unanimity\"", extra).replace("rounds = 1", "rounds = 2");
    let text = [
        moving.as_str(),
        &two_rounds("first", ""),
        &two_rounds("second", "after = \"first\""),
        &two_rounds("parallel", ""),
    ]
    .concat();
    let record = run(&text);
    let second = by_id(&record, &text, "second");
    let parallel = by_id(&record, &text, "parallel");
    assert!(
        (second.compromise[0] - parallel.compromise[0]).abs() > 1e-6,
        "{:?} vs {:?}",
        second.compromise,
        parallel.compromise
    );
    assert!((parallel.compromise[0] - 160.0 / 3.0).abs() < 1e-9);
}

/// Runs THREE under consensus for one round with one inject at round 1, returning the
/// forum's record.
fn with_inject(effect: &str) -> ForumRecord {
    let text = [
        THREE,
        &forum("f", "\"consensus\"", ""),
        &format!("[[inject]]\nid = \"event\"\nforum = \"f\"\nround = 1\neffects = [ {effect} ]\n"),
    ]
    .concat();
    let record = run(&text);
    let f = record.forums[0].clone();
    assert_eq!(f.injects, vec![0], "the inject fired");
    f
}

#[test]
fn inject_shift_and_set_position() {
    // A moves from 30 to 60: draft (60 + 40 + 90) / 3.
    let f = with_inject("{ targets = [\"A\"], issue = \"x\", shift_position = 30 }");
    assert!((f.compromise[0] - 190.0 / 3.0).abs() < 1e-9, "{:?}", f.compromise);
    let f = with_inject("{ targets = [\"A\", \"B\"], issue = \"x\", set_position = 0 }");
    assert!((f.compromise[0] - 30.0).abs() < 1e-9, "{:?}", f.compromise);
    // A shift past the scale stops at its end: A at 100, draft (100 + 40 + 90) / 3.
    let f = with_inject("{ targets = [\"A\"], issue = \"x\", shift_position = 100 }");
    assert!((f.compromise[0] - 230.0 / 3.0).abs() < 1e-9, "{:?}", f.compromise);
}

#[test]
fn inject_salience_and_capability_change_the_weights() {
    // C's salience 1 -> 0.5: draft (30 + 40 + 0.5 * 90) / 2.5 = 46
    let f = with_inject("{ targets = [\"C\"], issue = \"x\", shift_salience = -0.5 }");
    assert!((f.compromise[0] - 46.0).abs() < 1e-9, "{:?}", f.compromise);
    let f = with_inject("{ targets = [\"C\"], issue = \"x\", set_salience = 0.5 }");
    assert!((f.compromise[0] - 46.0).abs() < 1e-9, "{:?}", f.compromise);
    // C's capability x 3: draft (30 + 40 + 3 * 90) / 5 = 68
    let f = with_inject("{ targets = [\"C\"], scale_capability = 3 }");
    assert!((f.compromise[0] - 68.0).abs() < 1e-9, "{:?}", f.compromise);
}

#[test]
fn inject_red_lines() {
    // Lifting C's red line: nobody objects to 53.33 (C loses less than... C's gain is
    // U(53.3) - U(0) = 0.633 - 0.1 > 0), so consensus.
    let f = with_inject("{ targets = [\"C\"], issue = \"x\", lift_red_line = true }");
    assert!(f.adopted);
    // A new red line for A that excludes the draft: A objects too.
    let f = with_inject("{ targets = [\"A\"], issue = \"x\", set_red_line = [0, 35] }");
    assert_eq!(f.rounds[0].objects, 2);
}

#[test]
fn inject_walkout_and_joining() {
    // C walks out: the two who remain accept, consensus.
    let f = with_inject("{ targets = [\"C\"], leave = true }");
    assert!(f.adopted);
    assert_eq!(f.rounds[0].accepts + f.rounds[0].objects, 2);
    assert!((f.compromise[0] - 35.0).abs() < 1e-9, "the draft no longer weighs C: {:?}", f.compromise);
}

#[test]
fn inject_join_gives_a_seat() {
    // D, an organisation outside the forum, joins and votes.
    let text = [
        THREE,
        "[[actor]]\nid = \"D\"\nkind = \"organisation\"\npositions = { x = 50 }\nsaliences = { x = 1 }\nattributes = { population = 1 }\n",
        &forum("f", "\"majority\"", ""),
        "[[inject]]\nid = \"join\"\nforum = \"f\"\nround = 1\neffects = [ { targets = [\"D\"], join = true } ]\n",
    ]
    .concat();
    let f = run(&text).forums[0].clone();
    assert_eq!(f.rounds[0].accepts + f.rounds[0].objects + f.rounds[0].abstains, 4);
    assert!((f.compromise[0] - 52.5).abs() < 1e-9, "(30 + 40 + 90 + 50) / 4: {:?}", f.compromise);
}

#[test]
fn inject_cohesion_changes_the_caucus() {
    // A and B in a bloc with cohesion 0; caucus_rate 1, flexibility 1. Setting cohesion to
    // 1 moves both to the bloc position 35 before the draft: (35 + 35 + 90) / 3.
    let text = [
        &THREE.replace("caucus_rate = 0", "caucus_rate = 1"),
        "[[bloc]]\nid = \"AB\"\ncohesion = 0\nmembers = [\"A\", \"B\"]\n",
        &forum("f", "\"consensus\"", ""),
    ]
    .concat()
    .replace("attributes = { population = 10 }", "attributes = { population = 10 }\nflexibility = 1");
    let set = format!(
        "{text}[[inject]]\nid = \"c\"\nforum = \"f\"\nround = 1\neffects = [ {{ targets = [\"AB\"], set_cohesion = 1 }} ]\n"
    );
    let f = run(&set).forums[0].clone();
    assert!(
        (f.compromise[0] - 160.0 / 3.0).abs() < 1e-9,
        "the bloc mean is 35, the mean is unchanged: {:?}",
        f.compromise
    );
    let record = run_replicate(&valid(&set), 1, 0, true);
    let polarised = record.forums[0].polarisation_end[0];
    let plain = run_replicate(&valid(&text), 1, 0, true).forums[0].polarisation_end[0];
    assert!(polarised < plain, "members who caucus stand closer together: {polarised} vs {plain}");
    let shift = set.replace("set_cohesion = 1", "shift_cohesion = 1");
    assert_eq!(run_replicate(&valid(&shift), 1, 0, true).forums[0].polarisation_end, record.forums[0].polarisation_end);
}

#[test]
fn chance_injects_fire_by_their_probability() {
    let text = |p: f64| {
        [
            THREE,
            &forum("f", "\"consensus\"", "").replace("rounds = 1", "rounds = 5"),
            &format!("[[inject]]\nid = \"maybe\"\nforum = \"f\"\nprobability = {p}\nwindow = [2, 4]\neffects = [ {{ targets = [\"C\"], leave = true }} ]\n"),
        ]
        .concat()
    };
    let always = valid(&text(1.0));
    let never = valid(&text(0.0));
    let half = valid(&text(0.5));
    let mut fired = 0;
    for r in 0..200 {
        let f = &run_replicate(&always, 1, r, false).forums[0];
        assert_eq!(f.injects, vec![0]);
        let round = f.adoption_round.unwrap();
        assert!((2..=4).contains(&round), "C leaves in the window, then consensus: round {round}");
        assert!(run_replicate(&never, 1, r, false).forums[0].injects.is_empty());
        fired += run_replicate(&half, 1, r, false).forums[0].injects.len();
    }
    assert!((70..=130).contains(&fired), "about half of 200 replicates: {fired}");
}
