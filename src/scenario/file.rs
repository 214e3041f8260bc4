//! The scenario file as written: a faithful mirror of the TOML, every value with its span,
//! checked only for syntax, types and unknown keys. `validate` turns it into a `Scenario`.
//!
//! This is the only module that knows the TOML key names.

use std::sync::Arc;

use toml::de::{DeTable, DeValue};

use crate::diagnostic::SourceFile;
use crate::toml_fields::{At, Fields, Keyed, Sink};

pub type Strings = At<Vec<At<String>>>;

#[derive(Debug, Default)]
pub struct RawScenario {
    pub span: std::ops::Range<usize>,
    pub id: Option<At<String>>,
    pub title: Option<At<String>>,
    pub description: Option<At<String>>,
    pub seed: Option<At<i64>>,
    pub replicates: Option<At<i64>>,
    pub actors_table: Option<At<String>>,
    pub model: Option<At<String>>,
    pub parameters: Vec<(&'static str, At<f64>)>,
    pub issues: Vec<RawIssue>,
    pub actors: Vec<RawActor>,
    pub blocs: Vec<RawBloc>,
    pub forums: Vec<RawForum>,
    pub injects: Vec<RawInject>,
}

#[derive(Debug)]
pub struct RawIssue {
    pub span: std::ops::Range<usize>,
    pub id: Option<At<String>>,
    pub name: Option<At<String>>,
    pub scale: Option<At<(f64, f64)>>,
    pub low: Option<At<String>>,
    pub high: Option<At<String>>,
    pub status_quo: Option<At<f64>>,
}

/// An actor from a `[[actor]]` table or from a row of the actors table.
#[derive(Debug)]
pub struct RawActor {
    pub file: Arc<SourceFile>,
    pub span: std::ops::Range<usize>,
    pub id: Option<At<String>>,
    pub name: Option<At<String>>,
    pub kind: Option<At<String>>,
    pub capability: Option<At<f64>>,
    pub flexibility: Option<At<f64>>,
    pub blocs: Vec<At<String>>,
    pub positions: Keyed<f64>,
    pub saliences: Keyed<f64>,
    pub red_lines: Keyed<(f64, f64)>,
    pub attributes: Keyed<f64>,
}

#[derive(Debug)]
pub struct RawBloc {
    pub id: Option<At<String>>,
    pub name: Option<At<String>>,
    pub cohesion: Option<At<f64>>,
    pub members: Vec<At<String>>,
    pub positions: Keyed<f64>,
    pub saliences: Keyed<f64>,
}

#[derive(Debug)]
pub struct RawRule {
    pub span: std::ops::Range<usize>,
    pub rule: At<String>,
    pub threshold: Option<At<f64>>,
    pub members: Option<At<f64>>,
    pub weight: Option<At<String>>,
    pub weight_share: Option<At<f64>>,
}

#[derive(Debug)]
pub struct RawForum {
    pub span: std::ops::Range<usize>,
    pub id: Option<At<String>>,
    pub name: Option<At<String>>,
    pub voting: Option<Strings>,
    /// `voting` is written, though perhaps with the wrong type.
    pub voting_written: bool,
    pub voice: Option<Strings>,
    pub agenda: Option<Strings>,
    pub decision: Option<RawRule>,
    pub fallback: Option<RawRule>,
    pub rounds: Option<At<i64>>,
    pub after: Option<At<String>>,
    /// A recorded vote's real tally, `{ accept = 109, object = 45, abstain = 16 }`, shown
    /// beside the predicted one; None when not written.
    pub observed: Option<Keyed<f64>>,
}

#[derive(Debug)]
pub struct RawInject {
    pub span: std::ops::Range<usize>,
    pub id: Option<At<String>>,
    pub name: Option<At<String>>,
    pub narrative: Option<At<String>>,
    pub forum: Option<At<String>>,
    pub round: Option<At<i64>>,
    pub probability: Option<At<f64>>,
    pub window: Option<At<(f64, f64)>>,
    pub held: Option<At<bool>>,
    pub cue: Option<At<String>>,
    pub to: Option<At<String>>,
    pub effects: Vec<RawEffect>,
}

/// The action keys of an effect, each with the kind of value it takes.
pub const NUMBER_ACTIONS: [&str; 7] = [
    "shift_position",
    "set_position",
    "shift_salience",
    "set_salience",
    "scale_capability",
    "shift_cohesion",
    "set_cohesion",
];
pub const FLAG_ACTIONS: [&str; 3] = ["lift_red_line", "leave", "join"];
pub const PAIR_ACTIONS: [&str; 1] = ["set_red_line"];

#[derive(Debug, Clone)]
pub enum ActionValue {
    Number(f64),
    Pair(f64, f64),
    Flag(bool),
}

#[derive(Debug)]
pub struct RawEffect {
    pub span: std::ops::Range<usize>,
    pub targets: Option<Strings>,
    pub issue: Option<At<String>>,
    pub actions: Vec<(&'static str, At<ActionValue>)>,
}

/// Parses the TOML text. Syntax errors come back all at once, as far as the parser can
/// recover; type and key problems are collected in the sink.
/// `None` when there is nothing to validate: the TOML does not parse, or the file is an
/// experiment.
pub fn read(file: &Arc<SourceFile>, sink: &mut Sink) -> Option<RawScenario> {
    let (document, errors) = DeTable::parse_recoverable(&file.text);
    for error in &errors {
        let span = error.span().unwrap_or(0..0);
        sink.report(span, format!("TOML syntax: {}", error.message().trim()))
            .with_label("here")
            .with_help("see docs/scenario-format.md for the syntax of each key; strings need \"quotes\"");
    }
    if !errors.is_empty() {
        return None;
    }
    let span = document.span();
    if document.get_ref().contains_key("experiment") && !document.get_ref().contains_key("scenario") {
        sink.report(0..0, "this is an experiment file, not a scenario")
            .with_label("an [experiment] table")
            .with_help("run it with `plenary sweep FILE`; `plenary run` takes a scenario");
        return None;
    }
    let mut top = Fields::new(document.get_ref(), span.clone(), "the top level of the file");
    let mut raw = RawScenario { span: 0..0, ..Default::default() };
    match top.table(sink, "scenario") {
        Some(mut meta) => {
            meta.rename("[scenario]");
            raw.span = meta.span.clone();
            raw.id = meta.required_string(sink, "id", "\"my-scenario\"");
            raw.title = meta.string(sink, "title");
            raw.description = meta.string(sink, "description");
            raw.seed = meta.integer(sink, "seed");
            raw.replicates = meta.integer(sink, "replicates");
            raw.actors_table = meta.string(sink, "actors_table");
            raw.model = meta.string(sink, "model");
            meta.finish(sink);
        }
        None => {
            sink.report(0..0, "the file has no [scenario] table")
                .with_label("expected [scenario] here")
                .with_help("start the file with\n[scenario]\nid = \"my-scenario\"\ntitle = \"...\"");
        }
    }
    if let Some(mut parameters) = top.table(sink, "parameters") {
        parameters.rename("[parameters]");
        for spec in &super::parameters::PARAMETERS {
            if let Some(value) = parameters.number(sink, spec.name) {
                raw.parameters.push((spec.name, value));
            }
        }
        parameters.finish(sink);
    }
    raw.issues = top.tables(sink, "issue").into_iter().map(|t| read_issue(t, sink)).collect();
    raw.blocs = top.tables(sink, "bloc").into_iter().map(|t| read_bloc(t, sink)).collect();
    raw.actors = top.tables(sink, "actor").into_iter().map(|t| read_actor(t, file, sink)).collect();
    raw.forums = top.tables(sink, "forum").into_iter().map(|t| read_forum(t, sink)).collect();
    raw.injects = top.tables(sink, "inject").into_iter().map(|t| read_inject(t, sink)).collect();
    top.finish(sink);
    Some(raw)
}

/// Names a table by its id in later messages: "[[actor]] `USA`".
fn name_by_id(fields: &mut Fields<'_, '_>, sink: &mut Sink, kind: &str) -> Option<At<String>> {
    let id = fields.required_string(sink, "id", "\"some-id\"");
    if let Some(id) = &id {
        fields.rename(format!("[[{kind}]] `{}`", id.value));
    }
    id
}

fn read_issue(mut t: Fields<'_, '_>, sink: &mut Sink) -> RawIssue {
    let id = name_by_id(&mut t, sink, "issue");
    let issue = RawIssue {
        span: t.span.clone(),
        id,
        name: t.string(sink, "name"),
        scale: t.pair(sink, "scale"),
        low: t.string(sink, "low"),
        high: t.string(sink, "high"),
        status_quo: t.number(sink, "status_quo"),
    };
    if !t.has("status_quo") {
        t.missing(sink, "status_quo", "50");
    }
    t.finish(sink);
    issue
}

fn read_bloc(mut t: Fields<'_, '_>, sink: &mut Sink) -> RawBloc {
    let id = name_by_id(&mut t, sink, "bloc");
    let bloc = RawBloc {
        id,
        name: t.string(sink, "name"),
        cohesion: t.number(sink, "cohesion"),
        members: t.strings(sink, "members").map(|m| m.value).unwrap_or_default(),
        positions: t.number_map(sink, "positions"),
        saliences: t.number_map(sink, "saliences"),
    };
    t.finish(sink);
    bloc
}

fn read_actor(mut t: Fields<'_, '_>, file: &Arc<SourceFile>, sink: &mut Sink) -> RawActor {
    let id = name_by_id(&mut t, sink, "actor");
    let actor = RawActor {
        file: file.clone(),
        span: t.span.clone(),
        id,
        name: t.string(sink, "name"),
        kind: t.string(sink, "kind"),
        capability: t.number(sink, "capability"),
        flexibility: t.number(sink, "flexibility"),
        blocs: t.strings(sink, "blocs").map(|m| m.value).unwrap_or_default(),
        positions: t.number_map(sink, "positions"),
        saliences: t.number_map(sink, "saliences"),
        red_lines: t.pair_map(sink, "red_lines"),
        attributes: t.number_map(sink, "attributes"),
    };
    t.finish(sink);
    actor
}

fn read_rule(t: &mut Fields<'_, '_>, sink: &mut Sink, key: &'static str) -> Option<RawRule> {
    let value = t.raw(key)?;
    match value.get_ref() {
        DeValue::String(s) => Some(RawRule {
            span: value.span(),
            rule: At::new(s.to_string(), value.span()),
            threshold: None,
            members: None,
            weight: None,
            weight_share: None,
        }),
        DeValue::Table(table) => {
            let mut rule = Fields::new(table, value.span(), format!("`{key}` of {}", t.name));
            let name = rule.required_string(sink, "rule", "\"majority\"");
            let raw = RawRule {
                span: value.span(),
                rule: name?,
                threshold: rule.number(sink, "threshold"),
                members: rule.number(sink, "members"),
                weight: rule.string(sink, "weight"),
                weight_share: rule.number(sink, "weight_share"),
            };
            rule.finish(sink);
            Some(raw)
        }
        other => {
            sink.report(
                value.span(),
                format!(
                    "`{key}` in {} must be a rule name or a table, not {}",
                    t.name,
                    crate::toml_fields::type_name(other)
                ),
            )
            .with_label("expected a rule")
            .with_help(format!(
                "write `{key} = \"consensus\"` or `{key} = {{ rule = \"majority\", threshold = 0.5 }}`"
            ));
            None
        }
    }
}

fn read_forum(mut t: Fields<'_, '_>, sink: &mut Sink) -> RawForum {
    let id = name_by_id(&mut t, sink, "forum");
    let observed_written = t.has("observed");
    let forum = RawForum {
        span: t.span.clone(),
        id,
        name: t.string(sink, "name"),
        voting_written: t.has("voting"),
        voting: t.strings(sink, "voting"),
        voice: t.strings(sink, "voice"),
        agenda: t.strings(sink, "agenda"),
        decision: read_rule(&mut t, sink, "decision"),
        fallback: read_rule(&mut t, sink, "fallback"),
        rounds: t.integer(sink, "rounds"),
        after: t.string(sink, "after"),
        observed: {
            let counts = t.number_map(sink, "observed");
            observed_written.then_some(counts)
        },
    };
    t.finish(sink);
    forum
}

fn read_inject(mut t: Fields<'_, '_>, sink: &mut Sink) -> RawInject {
    let id = name_by_id(&mut t, sink, "inject");
    let name = t.name.clone();
    let inject = RawInject {
        span: t.span.clone(),
        id,
        name: t.string(sink, "name"),
        narrative: t.string(sink, "narrative"),
        forum: t.string(sink, "forum"),
        round: t.integer(sink, "round"),
        probability: t.number(sink, "probability"),
        window: t.pair(sink, "window"),
        held: t.boolean(sink, "held"),
        cue: t.string(sink, "cue"),
        to: t.string(sink, "to"),
        effects: t
            .tables(sink, "effects")
            .into_iter()
            .enumerate()
            .map(|(n, mut effect)| {
                effect.rename(format!("effect {} of {name}", n + 1));
                read_effect(effect, sink)
            })
            .collect(),
    };
    t.finish(sink);
    inject
}

fn read_effect(mut t: Fields<'_, '_>, sink: &mut Sink) -> RawEffect {
    let mut effect = RawEffect {
        span: t.span.clone(),
        targets: t.strings(sink, "targets"),
        issue: t.string(sink, "issue"),
        actions: Vec::new(),
    };
    for key in NUMBER_ACTIONS {
        if let Some(x) = t.number(sink, key) {
            effect.actions.push((key, At::new(ActionValue::Number(x.value), x.span)));
        }
    }
    for key in PAIR_ACTIONS {
        if let Some(x) = t.pair(sink, key) {
            effect.actions.push((key, At::new(ActionValue::Pair(x.value.0, x.value.1), x.span)));
        }
    }
    for key in FLAG_ACTIONS {
        if let Some(x) = t.boolean(sink, key) {
            effect.actions.push((key, At::new(ActionValue::Flag(x.value), x.span)));
        }
    }
    // In the order written, so that a second action is reported where it stands.
    effect.actions.sort_by_key(|(_, value)| value.span.start);
    t.finish(sink);
    effect
}
