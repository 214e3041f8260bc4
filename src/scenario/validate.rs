//! From the file as written to the validated `Scenario`: ids resolved to indices, values
//! checked against their ranges, defaults filled in, every problem reported with its place.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use super::file::{ActionValue, RawActor, RawEffect, RawRule, RawScenario, Strings};
use super::limits::*;
use super::model::*;
use super::parameters::{PARAMETERS, Parameters};
use crate::diagnostic::{Problem, SourceFile, show, suggestion};
use crate::toml_fields::At;

/// Selection keywords: every actor, or every actor of kind state.
pub const ALL: &str = "all";
pub const ALL_STATES: &str = "all-states";

const DEFAULT_REPLICATES: i64 = 100;
const DEFAULT_SEED: i64 = 1;
const DEFAULT_ROUNDS: i64 = 10;
/// The keys of a forum's `observed` tally, in the order it is kept.
const OBSERVED: [&str; 3] = ["accept", "object", "abstain"];
const DEFAULT_CAPABILITY: f64 = 1.0;
/// An actor's flexibility when the scenario gives none (also used by `plenary backtest`).
pub const DEFAULT_FLEXIBILITY: f64 = 0.5;
const DEFAULT_COHESION: f64 = 0.5;

struct Checker {
    file: Arc<SourceFile>,
    problems: Vec<Problem>,
}

impl Checker {
    fn report(&mut self, span: Range<usize>, message: impl Into<String>) -> &mut Problem {
        self.problems.push(Problem::new(&self.file, span, message));
        self.problems.last_mut().expect("just pushed")
    }

    fn report_in(&mut self, file: &Arc<SourceFile>, span: Range<usize>, message: impl Into<String>) -> &mut Problem {
        self.problems.push(Problem::new(file, span, message));
        self.problems.last_mut().expect("just pushed")
    }

    fn in_range(&mut self, value: &At<f64>, lo: f64, hi: f64, what: &str) -> bool {
        if value.value < lo || value.value > hi {
            self.report(
                value.span.clone(),
                format!("{what} is {}, outside {}..{}", show(value.value), show(lo), show(hi)),
            )
            .with_label(format!("must be between {lo} and {hi}"))
            .with_help(format!("use a value from {lo} to {hi}"));
            false
        } else {
            true
        }
    }
}

/// Letters, digits, `-`, `_` and `.`, not starting with `.`: scenario ids name folders, and
/// `..` must not lead out of results/.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

/// Ids in one namespace, with the span of each definition for duplicate reports.
struct Names {
    index: BTreeMap<String, usize>,
    /// Where each id is defined, for duplicate reports.
    places: Vec<(Range<usize>, Arc<SourceFile>)>,
}

impl Names {
    fn new() -> Self {
        Names { index: BTreeMap::new(), places: Vec::new() }
    }

    fn get(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    fn ids(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(String::as_str)
    }
}

/// Checks ids for syntax and uniqueness; returns the index of each entry or None.
fn register(
    checker: &mut Checker,
    names: &mut Names,
    id: &At<String>,
    kind: &str,
    file: &Arc<SourceFile>,
) -> Option<usize> {
    if !is_valid_id(&id.value) {
        checker
            .report_in(file, id.span.clone(), format!("`{}` is not a valid {kind} id", id.value))
            .with_label("letters, digits, `-`, `_` and `.` (not first) only")
            .with_help(
                "ids name things in other tables and in output files: use letters, digits, `-`, `_` or `.` (not first), no spaces",
            );
        return None;
    }
    if let Some(&earlier) = names.index.get(&id.value) {
        let (first_span, first_file) = &names.places[earlier];
        let (line, _) = first_file.line_col(first_span.start);
        let first_file = first_file.name.clone();
        checker
            .report_in(file, id.span.clone(), format!("duplicate {kind} id `{}`", id.value))
            .with_label("defined a second time here")
            .with_help(format!("it is first defined on line {line} of {}; give each {kind} its own id", first_file));
        return None;
    }
    let index = names.places.len();
    names.index.insert(id.value.clone(), index);
    names.places.push((id.span.clone(), file.clone()));
    Some(index)
}

fn unknown(checker: &mut Checker, file: &Arc<SourceFile>, reference: &At<String>, kind: &str, known: &Names) {
    let help = suggestion(&reference.value, known.ids()).unwrap_or_else(|| {
        format!(
            "define {} {kind} with id = \"{}\" or use one of: {}",
            article(kind),
            reference.value,
            preview(known.ids())
        )
    });
    checker
        .report_in(file, reference.span.clone(), format!("unknown {kind} `{}`", reference.value))
        .with_label(format!("no {kind} has this id"))
        .with_help(help);
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

fn preview<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let ids: Vec<&str> = ids.collect();
    if ids.len() <= 12 { ids.join(", ") } else { format!("{}, ... ({} in all)", ids[..12].join(", "), ids.len()) }
}

/// Validates a parsed scenario and the actors table read beside it.
pub fn validate(
    file: &Arc<SourceFile>,
    raw: RawScenario,
    table: Vec<RawActor>,
    source: std::path::PathBuf,
) -> Result<Scenario, Vec<Problem>> {
    let mut checker = Checker { file: file.clone(), problems: Vec::new() };
    let c = &mut checker;

    // [scenario]
    let id = match &raw.id {
        Some(id) if is_valid_id(&id.value) => id.value.clone(),
        Some(id) => {
            c.report(id.span.clone(), format!("`{}` is not a valid scenario id", id.value))
                .with_label("letters, digits, `-`, `_` and `.` (not first) only")
                .with_help(
                    "the id names the results folder: use letters, digits, `-`, `_` or `.` (not first), no spaces",
                );
            String::new()
        }
        None => String::new(),
    };
    let seed = match &raw.seed {
        Some(s) if s.value < 0 => {
            c.report(s.span.clone(), "the seed must not be negative")
                .with_help("use a whole number from 0 to 9223372036854775807");
            0
        }
        Some(s) => s.value as u64,
        None => DEFAULT_SEED as u64,
    };
    let replicates = match &raw.replicates {
        Some(r) if r.value < 1 || r.value > MAX_REPLICATES => {
            c.report(r.span.clone(), format!("replicates is {}, outside 1..{MAX_REPLICATES}", r.value))
                .with_help("run at least one replicate; for more than this, split the study into several runs with different seeds");
            1
        }
        Some(r) => r.value as u64,
        None => DEFAULT_REPLICATES as u64,
    };

    let model = match &raw.model {
        Some(name) => Model::parse(&name.value).unwrap_or_else(|| {
            let help = suggestion(&name.value, Model::NAMES)
                .unwrap_or_else(|| format!("the models are: {}", Model::NAMES.join(", ")));
            c.report(name.span.clone(), format!("unknown model `{}`", name.value))
                .with_label("not a model")
                .with_help(help);
            Model::Chair
        }),
        None => Model::Chair,
    };

    // [parameters]
    let mut parameters = Parameters::default();
    for (name, value) in &raw.parameters {
        let spec = PARAMETERS.iter().find(|s| s.name == *name).expect("read from PARAMETERS");
        if spec.admits(value.value) {
            *parameters.get_mut(name).expect("known parameter") = value.value;
        } else {
            c.report(value.span.clone(), format!("{name} is {}, outside {}", value.value, spec.range_text()))
                .with_label("out of range")
                .with_help(format!("{name} ({}) is {}; its default is {}", spec.symbol, spec.meaning, spec.default));
        }
    }

    // [[issue]]
    let mut issue_names = Names::new();
    let mut issues = Vec::new();
    if raw.issues.is_empty() && c.problems.is_empty() {
        c.report(raw.span.clone(), "the scenario has no issues")
            .with_help("add at least one [[issue]] table with an id and a status_quo");
    }
    if raw.issues.len() > MAX_ISSUES {
        c.report(raw.issues[MAX_ISSUES].span.clone(), format!("more than {MAX_ISSUES} issues"))
            .with_help("plenary handles at most this many issues");
    }
    for raw_issue in raw.issues.iter().take(MAX_ISSUES) {
        let Some(id) = &raw_issue.id else { continue };
        if register(c, &mut issue_names, id, "issue", file).is_none() {
            continue;
        }
        let (lo, hi) = match &raw_issue.scale {
            Some(s) if s.value.0 >= s.value.1 => {
                c.report(
                    s.span.clone(),
                    format!("the scale of issue `{}` runs from {} to {}", id.value, s.value.0, s.value.1),
                )
                .with_label("low end must be below high end")
                .with_help("write the scale as [low, high], e.g. scale = [0, 100]");
                (0.0, 100.0)
            }
            Some(s) if s.value.0.abs() > MAX_MAGNITUDE || s.value.1.abs() > MAX_MAGNITUDE => {
                c.report(
                    s.span.clone(),
                    format!("the scale of issue `{}` reaches beyond ±{MAX_MAGNITUDE:e}", id.value),
                )
                .with_label("too wide")
                .with_help("issues are usually scaled 0 to 100; use ends between -1e9 and 1e9");
                (0.0, 100.0)
            }
            Some(s) => s.value,
            None => (0.0, 100.0),
        };
        let status_quo = raw_issue.status_quo.as_ref().map_or(lo, |q| {
            c.in_range(q, lo, hi, &format!("the status quo of issue `{}`", id.value));
            q.value.clamp(lo, hi)
        });
        issues.push(Issue {
            id: id.value.clone(),
            name: raw_issue.name.as_ref().map_or_else(|| id.value.clone(), |n| n.value.clone()),
            lo,
            hi,
            low_label: raw_issue.low.as_ref().map_or_else(|| "low".into(), |n| n.value.clone()),
            high_label: raw_issue.high.as_ref().map_or_else(|| "high".into(), |n| n.value.clone()),
            status_quo,
        });
    }
    let issue_ref = |c: &mut Checker, f: &Arc<SourceFile>, r: &At<String>| -> Option<usize> {
        let found = issue_names.get(&r.value);
        if found.is_none() {
            unknown(c, f, r, "issue", &issue_names);
        }
        found
    };

    // [[bloc]] ids first: actors and blocs share one namespace, so that a selection such
    // as `voting = ["EU", "USA"]` is never ambiguous.
    let mut party_names = Names::new();
    let mut bloc_names = Names::new();
    let mut bloc_raw = Vec::new();
    for raw_bloc in &raw.blocs {
        let Some(id) = &raw_bloc.id else { continue };
        if reserved(c, file, id) || register(c, &mut bloc_names, id, "bloc", file).is_none() {
            continue;
        }
        register(c, &mut party_names, id, "bloc or actor", file);
        bloc_raw.push(raw_bloc);
    }

    // Actors: rows of the table, refined by [[actor]] tables of the same id, then the
    // [[actor]] tables that are not in the table.
    let mut actor_names = Names::new();
    let mut sources: Vec<Vec<&RawActor>> = Vec::new();
    for row in &table {
        let Some(id) = &row.id else { continue };
        if reserved(c, &row.file, id) {
            continue;
        }
        if bloc_names.get(&id.value).is_some() {
            clash(c, &row.file, id);
            continue;
        }
        if register(c, &mut actor_names, id, "actor", &row.file).is_some() {
            sources.push(vec![row]);
        }
    }
    let table_ids = actor_names.index.clone();
    let mut toml_names = Names::new();
    for raw_actor in &raw.actors {
        let Some(id) = &raw_actor.id else { continue };
        if reserved(c, file, id) || register(c, &mut toml_names, id, "actor", file).is_none() {
            continue;
        }
        if bloc_names.get(&id.value).is_some() {
            clash(c, file, id);
            continue;
        }
        match table_ids.get(&id.value) {
            Some(&row) => sources[row].push(raw_actor),
            None => {
                register(c, &mut actor_names, id, "actor", file);
                sources.push(vec![raw_actor]);
            }
        }
    }
    if sources.len() > MAX_ACTORS {
        c.report(raw.span.clone(), format!("the scenario has {} actors, more than {MAX_ACTORS}", sources.len()))
            .with_help("aggregate actors into blocs, or split the study");
        return Err(checker.problems);
    }

    // Bloc memberships, from both sides.
    let mut members: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); bloc_raw.len()];
    for (b, raw_bloc) in bloc_raw.iter().enumerate() {
        for m in &raw_bloc.members {
            match actor_names.get(&m.value) {
                Some(a) => {
                    members[b].insert(a);
                }
                None => unknown(c, file, m, "actor", &actor_names),
            }
        }
    }
    // Actors that name a bloc that does not exist: what they lack probably comes from it,
    // so they are not reported again as incomplete.
    let mut names_unknown_bloc = vec![false; sources.len()];
    for (a, parts) in sources.iter().enumerate() {
        for part in parts {
            for b in &part.blocs {
                match bloc_names.get(&b.value) {
                    Some(bi) => {
                        members[bi].insert(a);
                    }
                    None => {
                        names_unknown_bloc[a] = true;
                        unknown(c, &part.file, b, "bloc", &bloc_names);
                    }
                }
            }
        }
    }

    // Bloc defaults and cohesion.
    let mut blocs = Vec::new();
    let mut bloc_positions: Vec<Vec<Option<f64>>> = Vec::new();
    let mut bloc_saliences: Vec<Vec<Option<f64>>> = Vec::new();
    for (b, raw_bloc) in bloc_raw.iter().enumerate() {
        let id = raw_bloc.id.as_ref().expect("registered blocs have ids");
        let cohesion = raw_bloc.cohesion.as_ref().map_or(DEFAULT_COHESION, |k| {
            c.in_range(k, 0.0, 1.0, &format!("the cohesion of bloc `{}`", id.value));
            k.value.clamp(0.0, 1.0)
        });
        let mut positions = vec![None; issues.len()];
        for (issue, x) in &raw_bloc.positions {
            if let Some(k) = issue_ref(c, file, issue) {
                let what = format!("bloc `{}`'s default position on `{}`", id.value, issue.value);
                if c.in_range(x, issues[k].lo, issues[k].hi, &what) {
                    positions[k] = Some(x.value);
                }
            }
        }
        let mut saliences = vec![None; issues.len()];
        for (issue, s) in &raw_bloc.saliences {
            if let Some(k) = issue_ref(c, file, issue) {
                let what = format!("bloc `{}`'s default salience on `{}`", id.value, issue.value);
                if c.in_range(s, 0.0, 1.0, &what) {
                    saliences[k] = Some(s.value);
                }
            }
        }
        bloc_positions.push(positions);
        bloc_saliences.push(saliences);
        blocs.push(Bloc {
            id: id.value.clone(),
            name: raw_bloc.name.as_ref().map_or_else(|| id.value.clone(), |n| n.value.clone()),
            cohesion,
            members: members[b].iter().copied().collect(),
        });
    }

    // Actors, resolved.
    let mut actors = Vec::new();
    for (a, parts) in sources.iter().enumerate() {
        let id = parts[0].id.as_ref().expect("registered actors have ids").value.clone();
        let last = |pick: fn(&RawActor) -> Option<&At<f64>>| {
            parts.iter().rev().find_map(|p| pick(p).map(|v| (v.clone(), p.file.clone())))
        };
        let capability = match last(|p| p.capability.as_ref()) {
            Some((v, f)) if v.value <= 0.0 => {
                c.report_in(&f, v.span.clone(), format!("the capability of `{id}` is {}, it must be above 0", v.value))
                    .with_label("must be positive")
                    .with_help("capability is a relative weight: use a positive number such as 1 (ordinary) or 10 (a great power)");
                DEFAULT_CAPABILITY
            }
            Some((v, f)) if v.value > MAX_MAGNITUDE => {
                c.report_in(&f, v.span.clone(), format!("the capability of `{id}` is above {MAX_MAGNITUDE:e}"))
                    .with_label("too large")
                    .with_help("capability is a relative weight: 1 for an ordinary state, 10 for a great power");
                DEFAULT_CAPABILITY
            }
            Some((v, _)) => v.value,
            None => DEFAULT_CAPABILITY,
        };
        let flexibility = match last(|p| p.flexibility.as_ref()) {
            Some((v, f)) => {
                let mut sub = Checker { file: f, problems: Vec::new() };
                sub.in_range(&v, 0.0, 1.0, &format!("the flexibility of `{id}`"));
                c.problems.append(&mut sub.problems);
                v.value.clamp(0.0, 1.0)
            }
            None => DEFAULT_FLEXIBILITY,
        };
        let kind = match parts.iter().rev().find_map(|p| p.kind.as_ref().map(|k| (k, &p.file))) {
            Some((k, f)) => ActorKind::parse(&k.value).unwrap_or_else(|| {
                let help = suggestion(&k.value, ActorKind::NAMES)
                    .unwrap_or_else(|| format!("the kinds are: {}", ActorKind::NAMES.join(", ")));
                c.report_in(f, k.span.clone(), format!("unknown actor kind `{}`", k.value))
                    .with_label("not a kind")
                    .with_help(help);
                ActorKind::State
            }),
            None => ActorKind::State,
        };
        let name = parts.iter().rev().find_map(|p| p.name.as_ref()).map_or_else(|| id.clone(), |n| n.value.clone());
        let my_blocs: Vec<usize> = (0..blocs.len()).filter(|&b| members[b].contains(&a)).collect();

        // Own values, later parts (the [[actor]] table) over earlier ones (the table row).
        let mut positions: Vec<Option<f64>> = vec![None; issues.len()];
        let mut saliences: Vec<Option<f64>> = vec![None; issues.len()];
        let mut red_lines: Vec<Option<Interval>> = vec![None; issues.len()];
        let mut red_line_spans: Vec<Option<(Range<usize>, Arc<SourceFile>)>> = vec![None; issues.len()];
        let mut position_spans: Vec<Option<(Range<usize>, Arc<SourceFile>)>> = vec![None; issues.len()];
        let mut out_of_range = vec![false; issues.len()];
        let mut attributes = BTreeMap::new();
        for part in parts {
            let mut sub = Checker { file: part.file.clone(), problems: Vec::new() };
            for (issue, x) in &part.positions {
                if let Some(k) = issue_ref(&mut sub, &part.file, issue) {
                    let what = format!("the position of `{id}` on `{}`", issue.value);
                    sub.in_range(x, issues[k].lo, issues[k].hi, &what);
                    // Kept, clamped, even when out of range: reported once, not again as missing
                    // or as outside a red line.
                    positions[k] = Some(x.value.clamp(issues[k].lo, issues[k].hi));
                    position_spans[k] = Some((x.span.clone(), part.file.clone()));
                    out_of_range[k] = x.value < issues[k].lo || x.value > issues[k].hi;
                }
            }
            for (issue, s) in &part.saliences {
                if let Some(k) = issue_ref(&mut sub, &part.file, issue) {
                    sub.in_range(s, 0.0, 1.0, &format!("the salience of `{id}` on `{}`", issue.value));
                    saliences[k] = Some(s.value.clamp(0.0, 1.0));
                }
            }
            for (issue, line) in &part.red_lines {
                if let Some(k) = issue_ref(&mut sub, &part.file, issue) {
                    let (lo, hi) = line.value;
                    let scale = &issues[k];
                    if lo > hi || lo < scale.lo || hi > scale.hi {
                        sub.report(
                            line.span.clone(),
                            format!("the red line of `{id}` on `{}` is [{lo}, {hi}]", issue.value),
                        )
                        .with_label("not an interval within the issue's scale")
                        .with_help(format!("write [low, high] with {} <= low <= high <= {}", scale.lo, scale.hi));
                    } else {
                        red_lines[k] = Some(Interval { lo, hi });
                        red_line_spans[k] = Some((line.span.clone(), part.file.clone()));
                    }
                }
            }
            for (name, x) in &part.attributes {
                attributes.insert(name.value.clone(), x.value);
            }
            c.problems.append(&mut sub.problems);
        }
        let mut missing = Vec::new();
        for k in 0..issues.len() {
            if positions[k].is_none() {
                positions[k] = mean(my_blocs.iter().filter_map(|&b| bloc_positions[b][k]));
            }
            if saliences[k].is_none() {
                saliences[k] = mean(my_blocs.iter().filter_map(|&b| bloc_saliences[b][k]));
            }
            if positions[k].is_none() || saliences[k].is_none() {
                missing.push(issues[k].id.as_str());
            }
            if let (Some(x), Some(line), Some((span, f))) = (positions[k], red_lines[k], &red_line_spans[k])
                && !line.contains(x)
                && !out_of_range[k]
            {
                let span = position_spans[k].as_ref().map_or(span.clone(), |(s, _)| s.clone());
                let f = position_spans[k].as_ref().map_or(f.clone(), |(_, f)| f.clone());
                c.report_in(
                    &f,
                    span,
                    format!(
                        "`{id}` stands at {x} on `{}`, outside its own red line [{}, {}]",
                        issues[k].id, line.lo, line.hi
                    ),
                )
                .with_label("position outside the red line")
                .with_help("an actor's position must be acceptable to itself: move the position or widen the red line");
            }
        }
        if !missing.is_empty() && !names_unknown_bloc[a] {
            let part = parts.last().expect("at least one part");
            let blocs_text = if my_blocs.is_empty() {
                "it belongs to no bloc".to_string()
            } else {
                format!(
                    "its blocs ({}) give no default",
                    my_blocs.iter().map(|&b| blocs[b].id.as_str()).collect::<Vec<_>>().join(", ")
                )
            };
            c.report_in(&part.file, part.id.as_ref().map_or(part.span.clone(), |i| i.span.clone()), format!("`{id}` has no position or salience on {}", missing.join(", ")))
                .with_label("incomplete actor")
                .with_help(format!("{blocs_text}; give `positions` and `saliences` for these issues, or default ones in a bloc it belongs to"));
        }
        actors.push(Actor {
            id,
            name,
            kind,
            capability,
            flexibility,
            positions: positions.into_iter().map(|x| x.unwrap_or(0.0)).collect(),
            saliences: saliences.into_iter().map(|x| x.unwrap_or(0.0)).collect(),
            red_lines,
            blocs: my_blocs,
            attributes,
        });
    }
    if actors.is_empty() && c.problems.is_empty() {
        c.report(raw.span.clone(), "the scenario has no actors")
            .with_help("add [[actor]] tables or an actors_table in [scenario]");
    }

    // [[forum]]
    let mut forum_names = Names::new();
    let mut forums = Vec::new();
    let mut forum_spans = Vec::new();
    let mut afters = Vec::new();
    if raw.forums.is_empty() && c.problems.is_empty() {
        c.report(raw.span.clone(), "the scenario has no forums")
            .with_help("add a [[forum]] table with an id, `voting` members and `rounds`");
    }
    if raw.forums.len() > MAX_FORUMS {
        c.report(raw.forums[MAX_FORUMS].span.clone(), format!("more than {MAX_FORUMS} forums"))
            .with_help("plenary handles at most this many forums");
    }
    for raw_forum in raw.forums.iter().take(MAX_FORUMS) {
        let Some(id) = &raw_forum.id else { continue };
        if register(c, &mut forum_names, id, "forum", file).is_none() {
            continue;
        }
        let voting = match &raw_forum.voting {
            Some(v) => select(c, file, v, &actor_names, &party_names, &actors, &blocs).0,
            None => Vec::new(),
        };
        // A `voting` of the wrong type is reported as such, not again as empty.
        if voting.is_empty() && (raw_forum.voting.is_some() || !raw_forum.voting_written) {
            let span = raw_forum.voting.as_ref().map_or(raw_forum.span.clone(), |v| v.span.clone());
            c.report(span, format!("forum `{}` has no voting members", id.value))
                .with_label("nobody can decide here")
                .with_help(
                    "list them, e.g. voting = [\"all-states\"], voting = [\"EU\", \"USA\"] (bloc and actor ids)",
                );
        }
        let mut voice = match &raw_forum.voice {
            Some(v) => select(c, file, v, &actor_names, &party_names, &actors, &blocs).0,
            None => Vec::new(),
        };
        voice.retain(|a| !voting.contains(a));
        let agenda = match &raw_forum.agenda {
            Some(list) => {
                let mut agenda: Vec<usize> = list.value.iter().filter_map(|i| issue_ref(c, file, i)).collect();
                agenda.sort_unstable();
                agenda.dedup();
                if agenda.is_empty() && list.value.is_empty() {
                    c.report(list.span.clone(), format!("forum `{}` has an empty agenda", id.value))
                        .with_help("name the issues it negotiates, or leave `agenda` out for all issues");
                }
                agenda
            }
            None => (0..issues.len()).collect(),
        };
        let decision =
            raw_forum.decision.as_ref().map_or(Some(Rule::Consensus), |r| rule(c, file, r, &voting, &actors));
        let fallback = raw_forum.fallback.as_ref().and_then(|r| rule(c, file, r, &voting, &actors));
        let rounds = match &raw_forum.rounds {
            Some(r) if r.value < 1 || r.value > MAX_ROUNDS => {
                c.report(r.span.clone(), format!("rounds is {}, outside 1..{MAX_ROUNDS}", r.value))
                    .with_label("out of range")
                    .with_help("a forum meets at least once; real negotiations last tens of sessions, not thousands");
                // Unknown: nothing that depends on the number of rounds is checked.
                u32::MAX
            }
            Some(r) => r.value as u32,
            None => DEFAULT_ROUNDS as u32,
        };
        let observed = raw_forum.observed.as_ref().map(|counts| {
            let mut tally = [None; 3];
            for (key, count) in counts {
                let Some(i) = OBSERVED.iter().position(|k| *k == key.value) else {
                    let hint = crate::diagnostic::suggestion(&key.value, OBSERVED)
                        .unwrap_or_else(|| format!("the keys of `observed` are {}", OBSERVED.join(", ")));
                    c.report(key.span.clone(), format!("unknown key `{}` in `observed`", key.value)).with_help(hint);
                    continue;
                };
                if count.value.fract() != 0.0 || count.value < 0.0 || count.value > voting.len() as f64 {
                    c.report(
                        count.span.clone(),
                        format!(
                            "`{}` is {}, not a count of 0 to {} voting members",
                            key.value,
                            count.value,
                            voting.len()
                        ),
                    )
                    .with_help("write the recorded number of votes, a whole number");
                    continue;
                }
                tally[i] = Some(count.value as u64);
            }
            tally
        });
        afters.push(raw_forum.after.clone());
        forum_spans.push(raw_forum.span.clone());
        forums.push(Forum {
            id: id.value.clone(),
            name: raw_forum.name.as_ref().map_or_else(|| id.value.clone(), |n| n.value.clone()),
            voting,
            voice,
            agenda,
            rule: decision.unwrap_or(Rule::Consensus),
            fallback,
            rounds,
            after: None,
            observed,
        });
    }
    for (f, after) in afters.iter().enumerate() {
        if let Some(after) = after {
            match forum_names.get(&after.value) {
                Some(p) if p == f => {
                    c.report(after.span.clone(), format!("forum `{}` comes after itself", forums[f].id))
                        .with_help("`after` names another forum, the one whose outcome this forum starts from");
                }
                Some(p) => forums[f].after = Some(p),
                None => unknown(c, file, after, "forum", &forum_names),
            }
        }
    }
    let forum_order = order_forums(c, &forums, &afters);
    let agenda_items: usize = forums.iter().map(|f| f.agenda.len()).sum();
    if agenda_items > MAX_AGENDA_ITEMS {
        c.report(
            raw.span.clone(),
            format!("the forums' agendas hold {agenda_items} items in all, more than {MAX_AGENDA_ITEMS}"),
        )
        .with_help("put fewer issues on each forum's agenda, or use fewer forums");
    }
    let rounds_known = forums.iter().all(|f| f.rounds != u32::MAX);
    let work: u128 = forums
        .iter()
        .map(|f| (f.voting.len() + f.voice.len()) as u128 * f.agenda.len().max(1) as u128 * f.rounds as u128)
        .sum();
    if rounds_known && work > MAX_WORK_PER_REPLICATE {
        c.report(
            raw.span.clone(),
            format!("one replicate would take {work} actor-issue-rounds, more than {MAX_WORK_PER_REPLICATE}"),
        )
        .with_help("reduce rounds, actors or issues: at this size one replicate would run for minutes");
    }

    // [[inject]]
    let mut inject_names = Names::new();
    let mut injects = Vec::new();
    for raw_inject in &raw.injects {
        let Some(id) = &raw_inject.id else { continue };
        if register(c, &mut inject_names, id, "inject", file).is_none() {
            continue;
        }
        let forum = match &raw_inject.forum {
            Some(f) => match forum_names.get(&f.value) {
                Some(fi) => Some(fi),
                None => {
                    unknown(c, file, f, "forum", &forum_names);
                    None
                }
            },
            None => {
                c.report(raw_inject.span.clone(), format!("inject `{}` names no forum", id.value))
                    .with_help("add `forum = \"...\"`: the forum in which it happens");
                None
            }
        };
        let rounds = forum.map_or(u32::MAX, |f| forums[f].rounds);
        let round_in_forum = |c: &mut Checker, value: f64, span: &Range<usize>| -> Option<u32> {
            if rounds == u32::MAX {
                return None;
            }
            if value.fract() != 0.0 || value < 1.0 || value > rounds as f64 {
                c.report(span.clone(), format!("round {value} is not a round of the forum (1 to {rounds})"))
                    .with_label("no such round")
                    .with_help(format!("use a whole number from 1 to {rounds}"));
                None
            } else {
                Some(value as u32)
            }
        };
        let held = raw_inject.held.as_ref().is_some_and(|h| h.value);
        let timing = match (&raw_inject.round, &raw_inject.probability, &raw_inject.window) {
            (None, None, None) if held => Some(Timing::Held),
            (round, probability, window) if held => {
                let span = round
                    .as_ref()
                    .map(|r| r.span.clone())
                    .or_else(|| probability.as_ref().map(|p| p.span.clone()))
                    .or_else(|| window.as_ref().map(|w| w.span.clone()))
                    .unwrap_or_else(|| raw_inject.span.clone());
                c.report(span, format!("inject `{}` is held for the trainer, so it has no timing", id.value))
                    .with_label("a held inject never fires on its own")
                    .with_help("remove `round`, `probability` and `window`, or remove `held = true`; put the facilitator's timing in `cue`");
                None
            }
            (Some(r), None, None) => round_in_forum(c, r.value as f64, &r.span).map(Timing::Round),
            (None, Some(p), Some(w)) => {
                let ok = c.in_range(p, 0.0, 1.0, &format!("the probability of inject `{}`", id.value));
                let first = round_in_forum(c, w.value.0, &w.span);
                let last = round_in_forum(c, w.value.1, &w.span);
                match (first, last) {
                    (Some(a), Some(b)) if a <= b && ok => {
                        Some(Timing::Chance { probability: p.value, first: a, last: b })
                    }
                    (Some(_), Some(_)) if ok => {
                        c.report(w.span.clone(), "the window's first round comes after its last")
                            .with_help("write window = [first, last] with first <= last");
                        None
                    }
                    _ => None,
                }
            }
            _ => {
                c.report(raw_inject.span.clone(), format!("inject `{}` needs either `round` or both `probability` and `window`", id.value))
                    .with_label("when does it happen?")
                    .with_help("write `round = 3` for a scheduled event, `probability = 0.3` with `window = [2, 6]` for one that may happen, or `held = true` for one the trainer fires in `plenary play`");
                None
            }
        };
        let to = raw_inject.to.as_ref().and_then(|to| {
            if party_names.get(&to.value).is_none() && actor_names.get(&to.value).is_none() {
                let help = suggestion(&to.value, party_names.ids().chain(actor_names.ids())).unwrap_or_else(|| {
                    "name the actor or bloc whose team the narrative is for, e.g. to = \"USA\"".into()
                });
                c.report_in(file, to.span.clone(), format!("unknown bloc or actor `{}`", to.value))
                    .with_label("no bloc or actor has this id")
                    .with_help(help);
                return None;
            }
            Some(to.value.clone())
        });
        if raw_inject.effects.is_empty() {
            c.report(raw_inject.span.clone(), format!("inject `{}` has no effects", id.value)).with_help(
                "add [[inject.effects]] tables, e.g. { targets = [\"all\"], issue = \"...\", shift_position = 10 }",
            );
        }
        let effects: Vec<Effect> = raw_inject
            .effects
            .iter()
            .filter_map(|e| {
                effect(
                    c,
                    file,
                    e,
                    &issues,
                    &issue_names,
                    &actor_names,
                    &party_names,
                    &actors,
                    &blocs,
                    forum.map(|f| &forums[f]),
                )
            })
            .collect();
        if let (Some(forum), Some(timing)) = (forum, timing) {
            injects.push(Inject {
                id: id.value.clone(),
                name: raw_inject.name.as_ref().map_or_else(|| id.value.clone(), |n| n.value.clone()),
                narrative: raw_inject.narrative.as_ref().map_or_else(String::new, |n| n.value.clone()),
                forum,
                timing,
                cue: raw_inject.cue.as_ref().map_or_else(String::new, |c| c.value.clone()),
                to,
                effects,
            });
        }
    }

    if !checker.problems.is_empty() {
        return Err(checker.problems);
    }
    Ok(Scenario {
        title: raw.title.as_ref().map_or_else(|| id.clone(), |t| t.value.clone()),
        id,
        description: raw.description.map_or_else(String::new, |d| d.value),
        source,
        actors_table: None,
        seed,
        replicates,
        model,
        parameters,
        issues,
        actors,
        blocs,
        forums,
        forum_order,
        injects,
    })
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn reserved(c: &mut Checker, file: &Arc<SourceFile>, id: &At<String>) -> bool {
    let is_reserved = id.value == ALL || id.value == ALL_STATES;
    if is_reserved {
        c.report_in(file, id.span.clone(), format!("`{}` is a reserved word, not an id", id.value))
            .with_help("`all` and `all-states` select actors in forums and injects; choose another id");
    }
    is_reserved
}

fn clash(c: &mut Checker, file: &Arc<SourceFile>, id: &At<String>) {
    c.report_in(file, id.span.clone(), format!("`{}` is the id of both a bloc and an actor", id.value))
        .with_label("also a bloc id")
        .with_help("actors and blocs share one set of ids so that lists such as voting = [\"EU\", \"USA\"] are unambiguous; rename one");
}

/// Resolves a list of actor ids, bloc ids (all members) and keywords to actor indices.
/// Returns the actors and the blocs named.
fn select(
    c: &mut Checker,
    file: &Arc<SourceFile>,
    list: &Strings,
    actor_names: &Names,
    party_names: &Names,
    actors: &[Actor],
    blocs: &[Bloc],
) -> (Vec<usize>, Vec<usize>) {
    let mut chosen = BTreeSet::new();
    let mut named_blocs = Vec::new();
    for item in &list.value {
        match item.value.as_str() {
            ALL => chosen.extend(0..actors.len()),
            ALL_STATES => chosen.extend((0..actors.len()).filter(|&a| actors[a].kind == ActorKind::State)),
            name => {
                if let Some(a) = actor_names.get(name) {
                    chosen.insert(a);
                } else if let Some(b) = blocs.iter().position(|b| b.id == name) {
                    chosen.extend(blocs[b].members.iter().copied());
                    named_blocs.push(b);
                } else {
                    let candidates = party_names.ids().chain(actor_names.ids()).chain([ALL, ALL_STATES]);
                    let help = suggestion(name, candidates)
                        .unwrap_or_else(|| "use actor ids, bloc ids, \"all\" or \"all-states\"".into());
                    c.report_in(file, item.span.clone(), format!("unknown actor or bloc `{name}`"))
                        .with_label("no actor or bloc has this id")
                        .with_help(help);
                }
            }
        }
    }
    (chosen.into_iter().collect(), named_blocs)
}

fn rule(c: &mut Checker, file: &Arc<SourceFile>, raw: &RawRule, voting: &[usize], actors: &[Actor]) -> Option<Rule> {
    const RULES: [&str; 5] = ["consensus", "unanimity", "majority", "two-thirds", "qualified"];
    let share = |c: &mut Checker, value: &Option<At<f64>>, key: &str, default: Option<f64>| -> Option<f64> {
        match value {
            Some(v) if v.value <= 0.0 || v.value > 1.0 => {
                c.report_in(
                    file,
                    v.span.clone(),
                    format!("`{key}` is {}, it must be a share above 0 and at most 1", v.value),
                )
                .with_label("impossible share")
                .with_help("write a share such as 0.55 for 55%");
                None
            }
            Some(v) => Some(v.value),
            None if default.is_some() => default,
            None => {
                c.report_in(file, raw.span.clone(), format!("a qualified rule needs `{key}`")).with_help("e.g. decision = { rule = \"qualified\", members = 0.55, weight = \"population\", weight_share = 0.65 }");
                None
            }
        }
    };
    let stray = |c: &mut Checker, value: &Option<At<f64>>, key: &str| {
        if let Some(v) = value {
            c.report_in(file, v.span.clone(), format!("`{key}` has no meaning for rule `{}`", raw.rule.value))
                .with_help("remove it, or choose the rule it belongs to");
        }
    };
    if let Some(weight) = raw.weight.as_ref().filter(|_| raw.rule.value != "qualified") {
        c.report_in(file, weight.span.clone(), format!("`weight` has no meaning for rule `{}`", raw.rule.value))
            .with_help("remove it, or choose the rule it belongs to");
    }
    match raw.rule.value.as_str() {
        "consensus" | "unanimity" | "two-thirds" => {
            stray(c, &raw.threshold, "threshold");
            stray(c, &raw.members, "members");
            stray(c, &raw.weight_share, "weight_share");
            Some(match raw.rule.value.as_str() {
                "consensus" => Rule::Consensus,
                "unanimity" => Rule::Unanimity,
                _ => Rule::TwoThirds,
            })
        }
        "majority" => {
            stray(c, &raw.members, "members");
            stray(c, &raw.weight_share, "weight_share");
            let threshold = match &raw.threshold {
                Some(t) if t.value < 0.0 || t.value >= 1.0 => {
                    c.report_in(file, t.span.clone(), format!("a majority threshold of {} can never be met", t.value))
                        .with_label("impossible threshold")
                        .with_help("the text passes when accepts exceed this share of the votes cast: use a value from 0 up to (not including) 1, e.g. 0.5");
                    return None;
                }
                Some(t) => t.value,
                None => 0.5,
            };
            Some(Rule::Majority { threshold })
        }
        "qualified" => {
            stray(c, &raw.threshold, "threshold");
            let member_share = share(c, &raw.members, "members", None);
            let weight_share = share(c, &raw.weight_share, "weight_share", None);
            let Some(weight) = &raw.weight else {
                c.report_in(
                    file,
                    raw.span.clone(),
                    "a qualified rule needs `weight`: the attribute that weighs each member",
                )
                .with_help("e.g. weight = \"population\", with a population for every voting member");
                return None;
            };
            let lacking: Vec<&str> = voting
                .iter()
                .filter(|&&a| !actors[a].attributes.contains_key(&weight.value))
                .map(|&a| actors[a].id.as_str())
                .collect();
            if !lacking.is_empty() {
                c.report_in(
                    file,
                    weight.span.clone(),
                    format!(
                        "{} voting member(s) have no `{}`: {}",
                        lacking.len(),
                        weight.value,
                        preview(lacking.iter().copied())
                    ),
                )
                .with_label("weight attribute missing for some members")
                .with_help(format!(
                    "give every voting member `attributes = {{ {} = ... }}` or a `{}` column in the actors table",
                    weight.value, weight.value
                ));
            }
            Some(Rule::Qualified {
                member_share: member_share?,
                weight: weight.value.clone(),
                weight_share: weight_share?,
            })
        }
        other => {
            let help = suggestion(other, RULES).unwrap_or_else(|| format!("the rules are: {}", RULES.join(", ")));
            c.report_in(file, raw.rule.span.clone(), format!("unknown decision rule `{other}`"))
                .with_label("not a rule")
                .with_help(help);
            None
        }
    }
}

/// Forums in running order: each after the one it follows, otherwise in file order.
/// Reports cycles of `after`.
fn order_forums(c: &mut Checker, forums: &[Forum], afters: &[Option<At<String>>]) -> Vec<usize> {
    let mut order = Vec::new();
    let mut placed = vec![false; forums.len()];
    while order.len() < forums.len() {
        let next = (0..forums.len()).find(|&f| !placed[f] && forums[f].after.is_none_or(|p| placed[p]));
        match next {
            Some(f) => {
                placed[f] = true;
                order.push(f);
            }
            None => {
                let stuck = (0..forums.len()).find(|&f| !placed[f]).expect("some forum is not placed");
                let mut cycle = vec![stuck];
                let mut at = forums[stuck].after;
                while let Some(p) = at {
                    if cycle.contains(&p) {
                        break;
                    }
                    cycle.push(p);
                    at = forums[p].after;
                }
                let names: Vec<&str> = cycle.iter().map(|&f| forums[f].id.as_str()).collect();
                let span = afters[stuck].as_ref().map_or(0..0, |a| a.span.clone());
                c.report(span, format!("the forums {} follow one another in a circle", names.join(" -> ")))
                    .with_label("part of a cycle of `after`")
                    .with_help("`after` must lead back to a forum that starts from the initial state: remove `after` from one of them");
                // Placed only so that the search ends; the scenario is invalid and never runs.
                for f in cycle {
                    placed[f] = true;
                    order.push(f);
                }
            }
        }
    }
    order
}

#[allow(clippy::too_many_arguments, reason = "an effect refers to every kind of thing in a scenario")]
fn effect(
    c: &mut Checker,
    file: &Arc<SourceFile>,
    raw: &RawEffect,
    issues: &[Issue],
    issue_names: &Names,
    actor_names: &Names,
    party_names: &Names,
    actors: &[Actor],
    blocs: &[Bloc],
    forum: Option<&Forum>,
) -> Option<Effect> {
    let Some(targets) = &raw.targets else {
        c.report(raw.span.clone(), "an effect needs `targets`")
            .with_help("e.g. targets = [\"all\"], targets = [\"EU\", \"USA\"]");
        return None;
    };
    if targets.value.is_empty() {
        c.report(targets.span.clone(), "an effect with no targets changes nobody")
            .with_label("empty list")
            .with_help("name actors or blocs, e.g. targets = [\"EU\"], or every actor with targets = [\"all\"]");
        return None;
    }
    let (chosen, named_blocs) = select(c, file, targets, actor_names, party_names, actors, blocs);
    let (key, value) = match raw.actions.as_slice() {
        [one] => one,
        [] => {
            c.report(raw.span.clone(), "an effect needs one action")
                .with_help("e.g. shift_position = 10, set_salience = 0.9, scale_capability = 1.5, set_cohesion = 0.4, set_red_line = [0, 40], lift_red_line = true, leave = true, join = true");
            return None;
        }
        [_, second, ..] => {
            c.report(second.1.span.clone(), "an effect has one action; this is a second one")
                .with_label("second action")
                .with_help("split it into two effects, each with its own targets");
            return None;
        }
    };
    let needs_issue = matches!(
        *key,
        "shift_position" | "set_position" | "shift_salience" | "set_salience" | "set_red_line" | "lift_red_line"
    );
    let issue = match (&raw.issue, needs_issue) {
        (Some(i), true) => {
            let k = issue_names.get(&i.value);
            if k.is_none() {
                unknown(c, file, i, "issue", issue_names);
            }
            Some(k?)
        }
        (None, true) => {
            c.report(raw.span.clone(), format!("`{key}` needs an `issue`"))
                .with_help("add issue = \"...\" naming the issue it changes");
            return None;
        }
        (Some(i), false) => {
            c.report(i.span.clone(), format!("`{key}` does not take an issue"))
                .with_help("remove `issue` from this effect");
            return None;
        }
        (None, false) => None,
    };
    let span = value.span.clone();
    let number = |c: &mut Checker, lo: f64, hi: f64, what: &str| -> Option<f64> {
        let ActionValue::Number(x) = value.value else { return None };
        c.in_range(&At::new(x, span.clone()), lo, hi, what).then_some(x)
    };
    let scale = issue.map(|k| &issues[k]);
    let action = match *key {
        "shift_position" => {
            let range = scale?.range();
            Action::ShiftPosition { issue: issue?, by: number(c, -range, range, "the shift of position")? }
        }
        "set_position" => {
            Action::SetPosition { issue: issue?, to: number(c, scale?.lo, scale?.hi, "the new position")? }
        }
        "shift_salience" => Action::ShiftSalience { issue: issue?, by: number(c, -1.0, 1.0, "the shift of salience")? },
        "set_salience" => Action::SetSalience { issue: issue?, to: number(c, 0.0, 1.0, "the new salience")? },
        "scale_capability" => {
            let factor = number(c, 0.0, 1000.0, "the capability factor")?;
            if factor <= 0.0 {
                c.report(span, "the capability factor must be above 0")
                    .with_help("capability must stay positive: use e.g. 0.5 to halve it, 2 to double it");
                return None;
            }
            Action::ScaleCapability { factor }
        }
        "shift_cohesion" | "set_cohesion" => {
            if named_blocs.is_empty() || targets.value.iter().any(|t| !blocs.iter().any(|b| b.id == t.value)) {
                c.report(targets.span.clone(), format!("`{key}` changes blocs; its targets must all be bloc ids"))
                    .with_label("not only blocs")
                    .with_help("name only blocs in `targets`, e.g. targets = [\"EU\"]");
                return None;
            }
            if *key == "shift_cohesion" {
                Action::ShiftCohesion { by: number(c, -1.0, 1.0, "the shift of cohesion")? }
            } else {
                Action::SetCohesion { to: number(c, 0.0, 1.0, "the new cohesion")? }
            }
        }
        "set_red_line" => {
            let ActionValue::Pair(lo, hi) = value.value else { return None };
            let scale = scale?;
            if lo > hi || lo < scale.lo || hi > scale.hi {
                c.report(span, format!("the red line [{lo}, {hi}] is not an interval within the issue's scale"))
                    .with_help(format!("write [low, high] with {} <= low <= high <= {}", scale.lo, scale.hi));
                return None;
            }
            Action::SetRedLine { issue: issue?, line: Interval { lo, hi } }
        }
        "lift_red_line" | "leave" | "join" => {
            let ActionValue::Flag(on) = value.value else { return None };
            if !on {
                c.report(span, format!("`{key} = false` does nothing"))
                    .with_help(format!("write `{key} = true`, or remove the effect"));
                return None;
            }
            match *key {
                "lift_red_line" => Action::LiftRedLine { issue: issue? },
                "leave" => Action::Leave,
                _ => {
                    let weights = forum.into_iter().flat_map(|f| [Some(&f.rule), f.fallback.as_ref()]).flatten();
                    for weight in weights.filter_map(|rule| match rule {
                        Rule::Qualified { weight, .. } => Some(weight),
                        _ => None,
                    }) {
                        let lacking: Vec<&str> = chosen
                            .iter()
                            .filter(|&&a| !actors[a].attributes.contains_key(weight))
                            .map(|&a| actors[a].id.as_str())
                            .collect();
                        if !lacking.is_empty() {
                            c.report(
                                targets.span.clone(),
                                format!(
                                    "actors joining a qualified-majority forum need `{weight}`: {}",
                                    lacking.join(", ")
                                ),
                            )
                            .with_help(format!("give them `attributes = {{ {weight} = ... }}`"));
                            return None;
                        }
                    }
                    Action::Join
                }
            }
        }
        _ => unreachable!("read_effect only accepts known action keys"),
    };
    Some(Effect { actors: chosen, blocs: named_blocs, action })
}
