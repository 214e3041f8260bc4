//! Property tests of the scenario reader: no input makes it panic; every problem it reports
//! points inside its file; every scenario it accepts is in range, as `model.rs` promises.
//!
//! Inputs: random bytes and strings, random TOML-like lines, and random mutations of the
//! shipped scenarios (every scenarios/*.toml, read at test time, with the actors tables
//! under scenarios/ for `actors_table`) and of the UN member states table.
//!
//! The runs are seeded and small so that the suite stays quick and repeatable. To fuzz
//! longer with fresh inputs: `PROPTEST_CASES=5000 PROPTEST_RNG_SEED=$RANDOM cargo test
//! --release --test main fuzz`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use plenary::diagnostic::{Problem, Problems, SourceFile};
use plenary::scenario::{self, Action, PARAMETERS, Scenario, Timing};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{RngSeed, TestCaseError};

/// The seed of every run unless PROPTEST_RNG_SEED is set.
const SEED: u64 = 20_250_711;

pub(crate) fn config(cases: u32) -> ProptestConfig {
    let from_env = ProptestConfig::default();
    let set = |name: &str| std::env::var_os(name).is_some();
    ProptestConfig {
        cases: if set("PROPTEST_CASES") { from_env.cases } else { cases },
        rng_seed: if set("PROPTEST_RNG_SEED") { from_env.rng_seed } else { RngSeed::Fixed(SEED) },
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..from_env
    }
}

// ---- The shipped scenarios ----------------------------------------------------------------

struct Shipped {
    /// (path relative to the crate, text) of every scenarios/*.toml.
    scenarios: Vec<(String, String)>,
    /// Every CSV under scenarios/, by path relative to scenarios/ ("data/x.csv").
    tables: BTreeMap<String, String>,
}

static SHIPPED: LazyLock<Shipped> = LazyLock::new(|| {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut scenarios = Vec::new();
    let mut tables = BTreeMap::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        for entry in std::fs::read_dir(dir.join(&relative)).expect("scenarios/ is readable") {
            let entry = entry.expect("a directory entry");
            let name = relative.join(entry.file_name());
            let path = entry.path();
            if path.is_dir() {
                pending.push(name);
                continue;
            }
            let key = name.to_string_lossy().replace('\\', "/");
            match path.extension().and_then(|e| e.to_str()) {
                Some("toml") if relative.as_os_str().is_empty() => {
                    let text = std::fs::read_to_string(&path).expect("a UTF-8 scenario");
                    scenarios.push((format!("scenarios/{key}"), text));
                }
                Some("csv") => {
                    tables.insert(key, std::fs::read_to_string(&path).expect("a UTF-8 table"));
                }
                _ => {}
            }
        }
    }
    scenarios.sort();
    assert!(!scenarios.is_empty(), "no scenarios/*.toml to mutate");
    assert!(tables.contains_key(UN_TABLE), "scenarios/{UN_TABLE} is missing");
    Shipped { scenarios, tables }
});

const UN_TABLE: &str = "data/un-member-states.csv";

fn no_table(relative: &str) -> Problems {
    let file = SourceFile::new(relative, "");
    Problems(vec![Problem::new(&file, 0..0, format!("cannot read {relative}: no such table"))])
}

/// Reads a table relative to scenarios/ from the shipped ones, mutated by `mutations`.
fn shipped_table(relative: &str, mutations: &[Mutation]) -> Result<(String, String), Problems> {
    let key = relative.trim_start_matches("./");
    match SHIPPED.tables.get(key) {
        Some(text) => Ok((format!("scenarios/{key}"), mutate(text, mutations))),
        None => Err(no_table(relative)),
    }
}

// ---- The checks ---------------------------------------------------------------------------

/// Reads `text` and checks the outcome: problems that point inside their files, or a
/// scenario whose values are all in range.
fn check(
    name: &str,
    text: &str,
    read_table: impl Fn(&str) -> Result<(String, String), Problems>,
) -> Result<(), TestCaseError> {
    match scenario::from_text(name, text, PathBuf::from(name), read_table) {
        Ok(scenario) => check_scenario(&scenario),
        Err(problems) => check_problems(&problems),
    }
}

pub(crate) fn check_problems(problems: &Problems) -> Result<(), TestCaseError> {
    prop_assert!(!problems.is_empty(), "Err without problems");
    for p in problems.iter() {
        let len = p.file.text.len();
        prop_assert!(p.span.start <= p.span.end, "reversed span {:?}: {}", p.span, p.message);
        prop_assert!(p.span.end <= len, "span {:?} beyond {} ({len} bytes): {}", p.span, p.file.name, p.message);
        prop_assert!(!p.message.trim().is_empty(), "a problem without a message at {:?}", p.span);
        let (line, column) = p.line_col();
        let lines = p.file.text.matches('\n').count() + 1;
        prop_assert!(line >= 1 && line <= lines, "line {line} of {lines}: {}", p.message);
        prop_assert!(column >= 1, "column {column}: {}", p.message);
        let _ = p.to_string();
    }
    let order: Vec<(&str, usize)> = problems.iter().map(|p| (p.file.name.as_str(), p.span.start)).collect();
    prop_assert!(order.is_sorted(), "problems not in file order: {order:?}");
    // The binary renders every problem; rendering must not panic either. The first few
    // are enough to exercise it (a broken table may give a problem per row).
    let some = Problems(problems.iter().take(4).cloned().collect());
    let rendered = some.render(false);
    let count = format!("{} problem", some.len());
    prop_assert!(rendered.contains(&count), "the rendering does not count the problems:\n{rendered}");
    Ok(())
}

fn check_scenario(s: &Scenario) -> Result<(), TestCaseError> {
    let in_unit = |x: f64| (0.0..=1.0).contains(&x);
    for spec in &PARAMETERS {
        let mut parameters = s.parameters.clone();
        let value = *parameters.get_mut(spec.name).expect("a parameter");
        prop_assert!(spec.admits(value), "{} = {value}", spec.name);
    }
    prop_assert!(s.replicates >= 1);
    prop_assert!(!s.issues.is_empty() && !s.actors.is_empty() && !s.forums.is_empty());
    for issue in &s.issues {
        prop_assert!(issue.lo.is_finite() && issue.hi.is_finite() && issue.lo < issue.hi, "issue {}", issue.id);
        prop_assert!((issue.lo..=issue.hi).contains(&issue.status_quo), "status quo of {}", issue.id);
        prop_assert!(issue.range().is_finite(), "the scale of {} is infinitely wide", issue.id);
    }
    let n_issues = s.issues.len();
    let n_actors = s.actors.len();
    for a in &s.actors {
        prop_assert!(a.capability.is_finite() && a.capability > 0.0, "capability of {}: {}", a.id, a.capability);
        prop_assert!(in_unit(a.flexibility), "flexibility of {}: {}", a.id, a.flexibility);
        prop_assert!(a.positions.len() == n_issues && a.saliences.len() == n_issues && a.red_lines.len() == n_issues);
        for (k, issue) in s.issues.iter().enumerate() {
            let x = a.positions[k];
            prop_assert!((issue.lo..=issue.hi).contains(&x), "position of {} on {}: {x}", a.id, issue.id);
            prop_assert!(in_unit(a.saliences[k]), "salience of {} on {}: {}", a.id, issue.id, a.saliences[k]);
            if let Some(line) = a.red_lines[k] {
                prop_assert!(issue.lo <= line.lo && line.lo <= line.hi && line.hi <= issue.hi, "red line of {}", a.id);
                prop_assert!(line.contains(x), "{} stands outside its red line on {}", a.id, issue.id);
            }
        }
        prop_assert!(a.blocs.is_sorted() && a.blocs.iter().all(|&b| b < s.blocs.len()), "blocs of {}", a.id);
        prop_assert!(a.attributes.values().all(|v| v.is_finite()), "attributes of {}", a.id);
    }
    let capability: f64 = s.actors.iter().map(|a| a.capability).sum();
    prop_assert!(capability.is_finite(), "the capabilities sum to {capability}");
    for b in &s.blocs {
        prop_assert!(in_unit(b.cohesion), "cohesion of {}: {}", b.id, b.cohesion);
        prop_assert!(b.members.iter().all(|&m| m < n_actors), "members of {}", b.id);
    }
    for f in &s.forums {
        prop_assert!(!f.voting.is_empty(), "forum {} without voting members", f.id);
        prop_assert!(f.voting.is_sorted() && f.voting.iter().all(|&a| a < n_actors), "voting of {}", f.id);
        prop_assert!(f.voice.iter().all(|a| *a < n_actors && !f.voting.contains(a)), "voice of {}", f.id);
        prop_assert!(f.agenda.iter().all(|&k| k < n_issues), "agenda of {}", f.id);
        prop_assert!(f.rounds >= 1, "rounds of {}", f.id);
        prop_assert!(f.after.is_none_or(|p| p < s.forums.len()), "after of {}", f.id);
        for rule in std::iter::once(&f.rule).chain(&f.fallback) {
            match rule {
                scenario::Rule::Majority { threshold } => prop_assert!((0.0..1.0).contains(threshold)),
                scenario::Rule::Qualified { member_share, weight, weight_share } => {
                    prop_assert!(*member_share > 0.0 && *member_share <= 1.0);
                    prop_assert!(*weight_share > 0.0 && *weight_share <= 1.0);
                    for &a in &f.voting {
                        prop_assert!(s.actors[a].attributes.contains_key(weight), "{} lacks {weight}", s.actors[a].id);
                    }
                }
                _ => {}
            }
        }
    }
    let mut order = s.forum_order.clone();
    order.sort_unstable();
    prop_assert_eq!(order, (0..s.forums.len()).collect::<Vec<_>>(), "forum_order is not a permutation");
    for i in &s.injects {
        prop_assert!(i.forum < s.forums.len());
        let rounds = s.forums[i.forum].rounds;
        match i.timing {
            Timing::Round(r) => prop_assert!(r >= 1 && r <= rounds, "inject {} in round {r} of {rounds}", i.id),
            Timing::Held => {}
            Timing::Chance { probability, first, last } => {
                prop_assert!(in_unit(probability), "probability of {}", i.id);
                prop_assert!(1 <= first && first <= last && last <= rounds, "window of {}", i.id);
            }
        }
        for e in &i.effects {
            prop_assert!(e.actors.iter().all(|&a| a < n_actors) && e.blocs.iter().all(|&b| b < s.blocs.len()));
            let issue = match e.action {
                Action::ShiftPosition { issue, .. }
                | Action::SetPosition { issue, .. }
                | Action::ShiftSalience { issue, .. }
                | Action::SetSalience { issue, .. }
                | Action::SetRedLine { issue, .. }
                | Action::LiftRedLine { issue } => Some(issue),
                _ => None,
            };
            prop_assert!(issue.is_none_or(|k| k < n_issues), "effect of {} on issue {issue:?}", i.id);
            match e.action {
                Action::SetPosition { issue, to } => {
                    prop_assert!((s.issues[issue].lo..=s.issues[issue].hi).contains(&to));
                }
                Action::SetSalience { to, .. } => prop_assert!(in_unit(to)),
                Action::ScaleCapability { factor } => prop_assert!(factor.is_finite() && factor > 0.0),
                _ => {}
            }
            if let Action::SetCohesion { to } = e.action {
                prop_assert!(in_unit(to), "set_cohesion = {to} in {}", i.id);
            }
            if matches!(e.action, Action::ShiftCohesion { .. } | Action::SetCohesion { .. }) {
                prop_assert!(!e.blocs.is_empty(), "a cohesion effect of {} without blocs", i.id);
            }
        }
    }
    Ok(())
}

// ---- Mutations ----------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub(crate) enum Mutation {
    /// Removes up to `len` bytes (the result is read as lossy UTF-8).
    DeleteRange {
        at: Index,
        len: usize,
    },
    DuplicateLine(Index),
    /// Replaces a number of the text (a run of digits) with another.
    ReplaceNumber {
        which: Index,
        with: String,
    },
    SwapLines(Index, Index),
    /// Inserts a line before line `at`; `Quoted` values take a string of the text itself,
    /// so that inserted keys name ids that exist.
    InsertLine {
        at: Index,
        line: Line,
    },
    Truncate(Index),
}

#[derive(Clone, Debug)]
pub(crate) enum Line {
    Text(String),
    Quoted { key: String, which: Index },
}

const KEYS: [&str; 52] = [
    "id",
    "name",
    "title",
    "description",
    "seed",
    "replicates",
    "actors_table",
    "status_quo",
    "scale",
    "low",
    "high",
    "cohesion",
    "members",
    "positions",
    "saliences",
    "capability",
    "flexibility",
    "blocs",
    "kind",
    "red_lines",
    "attributes",
    "voting",
    "voice",
    "agenda",
    "decision",
    "fallback",
    "rounds",
    "after",
    "forum",
    "round",
    "probability",
    "window",
    "effects",
    "targets",
    "issue",
    "shift_position",
    "set_position",
    "shift_salience",
    "set_salience",
    "scale_capability",
    "shift_cohesion",
    "set_cohesion",
    "set_red_line",
    "lift_red_line",
    "leave",
    "join",
    "tolerance",
    "caucus_rate",
    "concession_curve",
    "stakeholder_weight",
    "threshold",
    "not_a_key",
];

const VALUES: [&str; 40] = [
    "0",
    "1",
    "-1",
    "0.5",
    "1.5",
    "100",
    "1e400",
    "nan",
    "-inf",
    "99999999999999999999",
    "0x10",
    "\"\"",
    "\"x\"",
    "\"all\"",
    "\"all-states\"",
    "\"state\"",
    "\"stakeholder\"",
    "\"consensus\"",
    "\"majority\"",
    "\"qualified\"",
    "\"data/un-member-states.csv\"",
    "\"../nowhere.csv\"",
    "\"has space\"",
    "\"Ünïcödé\"",
    "[]",
    "[0, 100]",
    "[100, 0]",
    "[1, 2, 3]",
    "[\"all\"]",
    "[\"all-states\", \"nobody\"]",
    "{}",
    "{ x = 1 }",
    "{ rule = \"majority\", threshold = 0.99 }",
    "{ rule = \"qualified\", members = 0.5, weight = \"population\", weight_share = 0.5 }",
    "[{ targets = [\"all\"], leave = true }]",
    "[{ targets = [\"all\"], set_cohesion = 0.5 }]",
    "true",
    "false",
    "1979-05-27",
    "[[1]]",
];

const HEADERS: [&str; 12] = [
    "[scenario]",
    "[parameters]",
    "[[issue]]",
    "[[actor]]",
    "[[bloc]]",
    "[[forum]]",
    "[[inject]]",
    "[[inject.effects]]",
    "[actor]",
    "[[scenario]]",
    "[forum.decision]",
    "[[",
];

const NUMBERS: [&str; 18] = [
    "nan",
    "+nan",
    "-nan",
    "inf",
    "+inf",
    "-inf",
    "0",
    "-0",
    "0.0",
    "1e308",
    "1e309",
    "-1e309",
    "99999999999999999999",
    "-9223372036854775808",
    "9223372036854775807",
    "0x7fffffffffffffff",
    "1_000",
    "5e-324",
];

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(&NUMBERS[..]).prop_map(String::from),
        any::<i64>().prop_map(|n| n.to_string()),
        (-1000i64..1000).prop_map(|n| n.to_string()),
        (-2.0f64..2.0).prop_map(|x| format!("{x:.3}")),
        any::<f64>().prop_filter("TOML-compatible", |x| x.is_finite()).prop_map(|x| format!("{x:e}")),
    ]
}

/// Numbers near the ranges of the format: shares, scales, rounds, and just outside them.
fn plausible_number() -> impl Strategy<Value = String> {
    prop_oneof![
        (-0.5f64..1.5).prop_map(|x| format!("{x:.2}")),
        (-20i64..120).prop_map(|n| n.to_string()),
        prop::sample::select(&["0", "1", "0.0", "1.0", "100", "-1", "nan", "inf"][..]).prop_map(String::from),
    ]
}

fn line() -> impl Strategy<Value = Line> {
    prop_oneof![
        3 => (prop::sample::select(&KEYS[..]), prop::sample::select(&VALUES[..]))
            .prop_map(|(k, v)| Line::Text(format!("{k} = {v}"))),
        2 => (prop::sample::select(&KEYS[..]), any::<Index>())
            .prop_map(|(k, which)| Line::Quoted { key: k.to_string(), which }),
        1 => (prop::sample::select(&KEYS[..]), number()).prop_map(|(k, v)| Line::Text(format!("{k} = {v}"))),
        1 => prop::sample::select(&HEADERS[..]).prop_map(|h| Line::Text(h.to_string())),
    ]
}

pub(crate) fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => (any::<Index>(), 1usize..64).prop_map(|(at, len)| Mutation::DeleteRange { at, len }),
        2 => any::<Index>().prop_map(Mutation::DuplicateLine),
        3 => (any::<Index>(), number()).prop_map(|(which, with)| Mutation::ReplaceNumber { which, with }),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        3 => (any::<Index>(), line()).prop_map(|(at, line)| Mutation::InsertLine { at, line }),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

/// The byte ranges of the numbers in `text`: runs of digits, `.`, `_`, `e` and signs that
/// start with a digit not inside a word.
fn numbers(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts =
            bytes[i].is_ascii_digit() && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
        if !starts {
            i += 1;
            continue;
        }
        let start = if i > 0 && bytes[i - 1] == b'-' { i - 1 } else { i };
        let mut end = i;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || matches!(bytes[end], b'.' | b'_' | b'e' | b'E')) {
            end += 1;
        }
        out.push(start..end);
        i = end;
    }
    out
}

/// The strings written in double quotes in `text`, without the quotes.
fn quoted(text: &str) -> Vec<&str> {
    text.split('\n').flat_map(|l| l.split('"').skip(1).step_by(2)).collect()
}

fn apply(text: &str, m: &Mutation) -> String {
    let lines = || text.split('\n').map(String::from).collect::<Vec<_>>();
    match m {
        Mutation::DeleteRange { at, len } => {
            let mut bytes = text.as_bytes().to_vec();
            if bytes.is_empty() {
                return String::new();
            }
            let start = at.index(bytes.len());
            let end = (start + len).min(bytes.len());
            bytes.drain(start..end);
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Mutation::DuplicateLine(at) => {
            let mut lines = lines();
            let n = at.index(lines.len());
            lines.insert(n, lines[n].clone());
            lines.join("\n")
        }
        Mutation::ReplaceNumber { which, with } => {
            let found = numbers(text);
            if found.is_empty() {
                return text.to_string();
            }
            let range = found[which.index(found.len())].clone();
            format!("{}{with}{}", &text[..range.start], &text[range.end..])
        }
        Mutation::SwapLines(a, b) => {
            let mut lines = lines();
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            lines.join("\n")
        }
        Mutation::InsertLine { at, line } => {
            let mut lines = lines();
            let new = match line {
                Line::Text(t) => t.clone(),
                Line::Quoted { key, which } => {
                    let strings = quoted(text);
                    let value = if strings.is_empty() { "x" } else { strings[which.index(strings.len())] };
                    format!("{key} = \"{value}\"")
                }
            };
            let n = at.index(lines.len() + 1);
            lines.insert(n, new);
            lines.join("\n")
        }
        Mutation::Truncate(at) => {
            let bytes = text.as_bytes();
            let end = at.index(bytes.len() + 1);
            String::from_utf8_lossy(&bytes[..end]).into_owned()
        }
    }
}

pub(crate) fn mutate(text: &str, mutations: &[Mutation]) -> String {
    mutations.iter().fold(text.to_string(), |t, m| apply(&t, m))
}

/// The UN member states table and the blocs its `region` and `blocs` columns name. An
/// actor id that is also a bloc name is renamed in this copy: the shipped table has `NAM`
/// both as Namibia's id and as the Non-Aligned Movement in `blocs`, and actors and blocs
/// share one set of ids.
static UN: LazyLock<(String, Vec<String>)> = LazyLock::new(|| {
    let text = &SHIPPED.tables[UN_TABLE];
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let column = |name: &str| header.iter().position(|h| h == name);
    let (id, region, blocs) = (column("id").expect("an id column"), column("region"), column("blocs"));
    let mut ids = Vec::new();
    let mut bloc_ids: Vec<String> = Vec::new();
    for record in reader.records() {
        let record = record.expect("a well-formed row");
        ids.push(record[id].to_string());
        let cells = region.iter().chain(&blocs).map(|&c| &record[c]);
        for bloc in cells.flat_map(|cell| cell.split(';')).map(str::trim).filter(|b| !b.is_empty()) {
            if !bloc_ids.iter().any(|b| b == bloc) {
                bloc_ids.push(bloc.to_string());
            }
        }
    }
    let mut table = text.clone();
    for clash in ids.iter().filter(|i| bloc_ids.contains(i)) {
        table = table.replace(&format!("\n{clash},"), &format!("\n{clash}-state,"));
    }
    (table, bloc_ids)
});

/// A small valid scenario that takes its 193 actors from the UN member states table, with
/// a default for every bloc named there and a qualified-majority forum weighted by
/// population, so that mutations of the table reach every column.
fn un_scenario() -> String {
    let mut text = String::from(
        "[scenario]\nid = \"un\"\nactors_table = \"data/un-member-states.csv\"\n\n\
         [[issue]]\nid = \"law\"\nstatus_quo = 20\n\n",
    );
    for (n, id) in UN.1.iter().enumerate() {
        text.push_str(&format!(
            "[[bloc]]\nid = \"{id}\"\npositions = {{ law = {} }}\nsaliences = {{ law = 0.5 }}\n\n",
            30 + 5 * (n % 5)
        ));
    }
    text.push_str(
        "[[actor]]\nid = \"USA\"\nred_lines = { law = [0, 60] }\n\n\
         [[forum]]\nid = \"ga\"\nvoting = [\"all-states\"]\n\
         decision = { rule = \"qualified\", members = 0.55, weight = \"population\", weight_share = 0.65 }\n\
         rounds = 4\n\n\
         [[inject]]\nid = \"walkout\"\nforum = \"ga\"\nprobability = 0.5\nwindow = [2, 3]\n\
         effects = [{ targets = [\"BRICS\"], leave = true }, { targets = [\"EU\"], set_cohesion = 0.9 }]\n",
    );
    text
}

fn un_table(relative: &str, mutations: &[Mutation]) -> Result<(String, String), Problems> {
    if relative == UN_TABLE {
        Ok((format!("scenarios/{UN_TABLE}"), mutate(&UN.0, mutations)))
    } else {
        Err(no_table(relative))
    }
}

#[test]
fn the_un_scenario_is_valid() {
    let text = un_scenario();
    let s = scenario::from_text("un.toml", &text, PathBuf::from("un.toml"), |r| un_table(r, &[]))
        .unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(s.actors.len(), 193);
    check_scenario(&s).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_mutations_change_the_text() {
    let text = "a = 1\nb = -2.5\nc = \"x\"\n";
    assert_eq!(numbers(text), vec![4..5, 10..14]);
    assert_eq!(quoted(text), vec!["x"]);
    let replaced = apply(text, &Mutation::ReplaceNumber { which: any_index(1, 2), with: "nan".into() });
    assert_eq!(replaced, "a = 1\nb = nan\nc = \"x\"\n");
    let inserted = apply(
        text,
        &Mutation::InsertLine { at: any_index(0, 4), line: Line::Quoted { key: "id".into(), which: any_index(0, 1) } },
    );
    assert_eq!(inserted, "id = \"x\"\na = 1\nb = -2.5\nc = \"x\"\n");
}

// ---- The properties -----------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        check("bytes.toml", &text, no_table_closure)?;
    }

    #[test]
    fn random_printable_text_never_panics(text in "\\PC{0,400}") {
        check("printable.toml", &text, no_table_closure)?;
    }

    #[test]
    fn random_toml_like_text_never_panics(text in "[a-z_\\[\\]=\"'0-9., {}\n#+-]{0,400}") {
        check("toml-like.toml", &text, no_table_closure)?;
    }
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn random_scenario_lines_never_panic(lines in prop::collection::vec(line(), 0..60)) {
        let text = lines
            .iter()
            .map(|l| match l {
                Line::Text(t) => t.clone(),
                Line::Quoted { key, which } => format!("{key} = \"{}\"", ["all", "x", "law", "EU"][which.index(4)]),
            })
            .collect::<Vec<_>>()
            .join("\n");
        check("lines.toml", &text, |r| shipped_table(r, &[]))?;
    }

    #[test]
    fn mutated_shipped_scenarios_never_panic(
        which in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..5),
        table_mutations in prop::collection::vec(mutation(), 0..3),
    ) {
        let (name, text) = &SHIPPED.scenarios[which.index(SHIPPED.scenarios.len())];
        let mutated = mutate(text, &mutations);
        check(name, &mutated, |r| shipped_table(r, &table_mutations))?;
    }

    #[test]
    fn shipped_scenarios_with_other_numbers_are_rejected_or_in_range(
        which in any::<Index>(),
        replacements in prop::collection::vec((any::<Index>(), plausible_number()), 1..4),
    ) {
        // Mostly still valid TOML, so that validation, not the parser, decides; whatever
        // it accepts must be in range.
        let (name, text) = &SHIPPED.scenarios[which.index(SHIPPED.scenarios.len())];
        let mutations: Vec<Mutation> = replacements
            .into_iter()
            .map(|(which, with)| Mutation::ReplaceNumber { which, with })
            .collect();
        check(name, &mutate(text, &mutations), |r| shipped_table(r, &[]))?;
    }

    #[test]
    fn mutated_un_member_states_table_never_panics(mutations in prop::collection::vec(mutation(), 1..5)) {
        let text = un_scenario();
        check("un.toml", &text, |r| un_table(r, &mutations))?;
    }
}

fn no_table_closure(relative: &str) -> Result<(String, String), Problems> {
    Err(no_table(relative))
}

/// An `Index` that picks `n` of `len` items.
fn any_index(n: usize, len: usize) -> Index {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    loop {
        let index = any::<Index>().new_tree(&mut runner).expect("an index").current();
        if index.index(len) == n {
            return index;
        }
    }
}
