//! Team briefs: a seat's stance, red lines, seats in forums, allies and opponents.

use plenary::output::brief::brief;

use crate::common::scenarios_dir;

fn tutorial() -> plenary::scenario::Scenario {
    plenary::scenario::load(&scenarios_dir().join("tutorial.toml")).unwrap().scenario
}

#[test]
fn an_actor_brief_states_its_positions_red_lines_and_friends() {
    let text = brief(&tutorial(), "USA").unwrap();
    assert!(text.starts_with("# Team brief: United States (USA)\n"));
    // The USA takes the western bloc's defaults: treaty 10, capacity 35, red line 0-40.
    assert!(text.contains("| 10 | 10 | a great deal | only 0 to 40 |"), "{text}");
    assert!(text.contains("| 35 | 20 | somewhat | none |"), "{text}");
    assert!(text.contains("**Working group on ICTs**: you vote; decides by consensus, at most 6 rounds"));
    assert!(text.contains("Event in round 3: Ransomware wave on hospitals."));
    // France shares the bloc's treaty position and is nearest; Russia, at 90, farthest.
    let allies = &text[text.find("## Likely allies").unwrap()..text.find("## Likely opponents").unwrap()];
    let opponents = &text[text.find("## Likely opponents").unwrap()..];
    assert!(allies.lines().nth(2).unwrap().starts_with("- France (FRA)"), "{allies}");
    assert!(opponents.lines().nth(2).unwrap().starts_with("- Russian Federation (RUS)"), "{opponents}");
    assert!(!allies.contains("TechCo"), "a voice-only participant is not a voting ally");
}

#[test]
fn a_bloc_brief_answers_for_its_members() {
    let text = brief(&tutorial(), "western").unwrap();
    assert!(text.contains("You answer for the 2 members of Like-minded Western states."), "{text}");
    // USA (capability 10) and France (5) both at treaty 10 with salience 0.8: the bloc stands at 10.
    assert!(text.contains("| 10 | 10 | a great deal | 1 of your members hold one |"), "{text}");
    assert!(brief(&tutorial(), "nobody").is_none());
}
