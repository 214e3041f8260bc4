//! JSON Schema of the scenario format, for editors (Even Better TOML, VS Code) that
//! complete and check keys as a student types. Kept beside the reader; a test checks that
//! both accept the same keys.
//!
//! Draft-07, the dialect Taplo (the engine of Even Better TOML) supports best: shared parts
//! live under `definitions`, every table has `additionalProperties: false`, and every key
//! has a short description, its default where it has one, and an example. The schema
//! checks what can be checked key by key (types, ranges, names of rules and kinds, one
//! action per effect); what depends on other tables (ids that must exist, a position
//! inside its issue's scale) is left to `plenary validate`.

use serde_json::{Map, Value, json};

use super::limits::{MAX_ACTORS, MAX_FORUMS, MAX_ISSUES, MAX_REPLICATES, MAX_ROUNDS};
use super::model::ActorKind;
use super::parameters::PARAMETERS;
use super::validate::{ALL, ALL_STATES};

/// The names of the decision rules, as written in `decision` and `fallback`.
pub const RULE_NAMES: [&str; 5] = ["consensus", "unanimity", "majority", "two-thirds", "qualified"];

/// The characters an id may contain, as a pattern.
pub const ID_PATTERN: &str = "^[A-Za-z0-9._-]+$";

/// The tables of the format, as named by `keys_of`: `top` is the file itself, `effect` an
/// entry of an inject's `effects`, `rule` the table form of `decision` and `fallback`.
pub const TABLES: [&str; 10] =
    ["top", "scenario", "parameters", "issue", "bloc", "actor", "forum", "inject", "effect", "rule"];

/// The schema, pretty-printed: what `plenary schema` prints.
pub fn json() -> String {
    serde_json::to_string_pretty(&schema()).expect("a JSON value always serialises")
}

/// The keys the schema allows in one table (see `TABLES`), in the schema's order; empty
/// for a name that is not a table.
pub fn keys_of(table: &str) -> Vec<String> {
    let schema = schema();
    let node = match table {
        "top" => Some(&schema),
        "rule" => schema["definitions"].get("rule_table"),
        _ => schema["definitions"].get(table),
    };
    node.and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default()
}

/// The schema as a JSON value.
pub fn schema() -> Value {
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "plenary scenario",
        "description": "A negotiation scenario for plenary: issues, actors, blocs, forums and injects. See docs/scenario-format.md.",
        "type": "object",
        "additionalProperties": false,
        "required": ["scenario", "issue", "forum"],
        "properties": {
            "scenario": { "$ref": "#/definitions/scenario" },
            "parameters": { "$ref": "#/definitions/parameters" },
            "issue": {
                "description": "[[issue]]: a question negotiated, as a line between two poles. At least one.",
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_ISSUES,
                "items": { "$ref": "#/definitions/issue" }
            },
            "bloc": {
                "description": "[[bloc]]: a group of actors that caucus together and may give them default positions.",
                "type": "array",
                "items": { "$ref": "#/definitions/bloc" }
            },
            "actor": {
                "description": "[[actor]]: a state, organisation or stakeholder; refines the actors-table row of the same id.",
                "type": "array",
                "maxItems": MAX_ACTORS,
                "items": { "$ref": "#/definitions/actor" }
            },
            "forum": {
                "description": "[[forum]]: where a text is negotiated and decided. At least one.",
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_FORUMS,
                "items": { "$ref": "#/definitions/forum" }
            },
            "inject": {
                "description": "[[inject]]: an event that changes actors, blocs or seats at a round of a forum.",
                "type": "array",
                "items": { "$ref": "#/definitions/inject" }
            }
        },
        "definitions": definitions()
    })
}

fn definitions() -> Value {
    json!({
        "id": {
            "description": "An id: letters, digits, `-`, `_` and `.`, no spaces.",
            "type": "string",
            "pattern": ID_PATTERN
        },
        "party_id": {
            "description": "An actor or bloc id; `all` and `all-states` are reserved. Actors and blocs share one set of ids.",
            "allOf": [
                { "$ref": "#/definitions/id" },
                { "not": { "enum": [ALL, ALL_STATES] } }
            ]
        },
        "selection": {
            "description": "Actor ids, bloc ids (all their members), \"all\" (every actor) or \"all-states\" (every actor of kind state). A single string is a list of one.",
            "type": ["string", "array"],
            "items": { "type": "string" }
        },
        "pair": {
            "description": "[low, high]",
            "type": "array",
            "minItems": 2,
            "maxItems": 2,
            "items": { "type": "number" }
        },
        "positions": {
            "description": "Position per issue id, on that issue's scale.",
            "type": "object",
            "propertyNames": { "$ref": "#/definitions/id" },
            "additionalProperties": { "type": "number" }
        },
        "saliences": {
            "description": "Salience per issue id, from 0 (does not care) to 1 (cares most).",
            "type": "object",
            "propertyNames": { "$ref": "#/definitions/id" },
            "additionalProperties": { "type": "number", "minimum": 0, "maximum": 1 }
        },
        "rule_name": {
            "description": "consensus: no voting member objects. unanimity: every voting member accepts. majority: accepts > 0.5 x (accepts + objects). two-thirds: accepts >= 2/3 x (accepts + objects). qualified: needs the table form with members, weight and weight_share.",
            "type": "string",
            "enum": RULE_NAMES
        },
        "rule": {
            "description": "A decision rule: a name, or a table with `rule` and its settings.",
            "oneOf": [
                {
                    "description": "A rule by name; a qualified rule needs the table form.",
                    "type": "string",
                    "enum": RULE_NAMES.iter().filter(|&&name| name != "qualified").collect::<Vec<_>>()
                },
                { "$ref": "#/definitions/rule_table" }
            ]
        },
        "rule_table": rule_table(),
        "scenario": scenario(),
        "parameters": parameters(),
        "issue": issue(),
        "bloc": bloc(),
        "actor": actor(),
        "forum": forum(),
        "inject": inject(),
        "effect": effect()
    })
}

/// One key: its schema with a description, an example and, if given, a default.
/// In draft-07 the siblings of `$ref` are ignored, so a reference is wrapped in `allOf`.
fn key(schema: Value, description: &str, example: Value, default: Option<Value>) -> Value {
    let mut schema = if schema.get("$ref").is_some() { json!({ "allOf": [schema] }) } else { schema };
    let object = schema.as_object_mut().expect("a key's schema is an object");
    object.insert("description".into(), Value::String(description.into()));
    if let Some(default) = default {
        object.insert("default".into(), default);
    }
    object.insert("examples".into(), json!([example]));
    schema
}

fn table(description: &str, required: &[&str], properties: Map<String, Value>) -> Value {
    json!({
        "description": description,
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties
    })
}

fn props(entries: Vec<(&str, Value)>) -> Map<String, Value> {
    entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn id_key(what: &str, example: &str) -> Value {
    key(
        json!({ "$ref": "#/definitions/id" }),
        &format!(
            "Required. The {what}'s id: letters, digits, `-`, `_`, `.`; used in other tables and in the output files."
        ),
        json!(example),
        None,
    )
}

fn name_key(example: &str) -> Value {
    key(json!({ "type": "string" }), "Display name. Default: the id.", json!(example), None)
}

fn scenario() -> Value {
    table(
        "[scenario]: what the scenario is and how it is run.",
        &["id"],
        props(vec![
            (
                "id",
                key(
                    json!({ "$ref": "#/definitions/id" }),
                    "Required. Names the results folder: results/<id>/.",
                    json!("my-scenario"),
                    None,
                ),
            ),
            (
                "title",
                key(
                    json!({ "type": "string" }),
                    "Title for summaries. Default: the id.",
                    json!("Tutorial: a treaty or the law we have?"),
                    None,
                ),
            ),
            (
                "description",
                key(
                    json!({ "type": "string" }),
                    "A few sentences on the scenario. Default: empty.",
                    json!("Four states and a company decide on two texts."),
                    None,
                ),
            ),
            (
                "seed",
                key(
                    json!({ "type": "integer", "minimum": 0, "maximum": i64::MAX }),
                    "Master seed: the same seed gives the same results. `plenary run --seed` overrides it.",
                    json!(7),
                    Some(json!(1)),
                ),
            ),
            (
                "replicates",
                key(
                    json!({ "type": "integer", "minimum": 1, "maximum": MAX_REPLICATES }),
                    "How many times the negotiation is played out. `plenary run --replicates` overrides it.",
                    json!(200),
                    Some(json!(100)),
                ),
            ),
            (
                "model",
                key(
                    json!({ "enum": crate::scenario::Model::NAMES }),
                    "The model that plays the forums out (docs/models.md): the chair's text under a decision rule (\"chair\"), the round-1 compromise forecast, Stokman and Van Oosten's exchange model with equal gains or a random exchange rate, or Bueno de Mesquita's expected-utility challenge model (\"expected-utility\").",
                    json!("exchange-equal-gain"),
                    Some(json!("chair")),
                ),
            ),
            (
                "actors_table",
                key(
                    json!({ "type": "string" }),
                    "A CSV file of actors, one per row, relative to this file's folder (columns: id, name, kind, capability, flexibility, region, blocs, position.<issue>, salience.<issue>, attributes).",
                    json!("data/un-member-states.csv"),
                    None,
                ),
            ),
        ]),
    )
}

fn parameters() -> Value {
    let properties = PARAMETERS
        .iter()
        .map(|spec| {
            let mut schema = Map::new();
            schema.insert("type".into(), json!("number"));
            if spec.min_exclusive {
                schema.insert("exclusiveMinimum".into(), json!(spec.min));
            } else {
                schema.insert("minimum".into(), json!(spec.min));
            }
            schema.insert("maximum".into(), json!(spec.max));
            let description = format!(
                "{} ({}): {}. Range {}, default {}.",
                spec.name,
                spec.symbol,
                spec.meaning,
                spec.range_text(),
                spec.default
            );
            (spec.name, key(Value::Object(schema), &description, json!(spec.default), Some(json!(spec.default))))
        })
        .collect();
    table(
        "[parameters]: the model's parameters; those left out keep their defaults (docs/model.md).",
        &[],
        props(properties),
    )
}

fn issue() -> Value {
    table(
        "[[issue]]: a question negotiated, as a line from `low` to `high` with a status quo.",
        &["id", "status_quo"],
        props(vec![
            ("id", id_key("issue", "treaty")),
            ("name", name_key("Legal framework")),
            (
                "scale",
                key(
                    json!({ "$ref": "#/definitions/pair" }),
                    "The ends of the line, [low, high] with low < high.",
                    json!([0, 100]),
                    Some(json!([0, 100])),
                ),
            ),
            (
                "low",
                key(
                    json!({ "type": "string" }),
                    "What the low end stands for.",
                    json!("existing international law suffices"),
                    Some(json!("low")),
                ),
            ),
            (
                "high",
                key(
                    json!({ "type": "string" }),
                    "What the high end stands for.",
                    json!("a new legally binding convention"),
                    Some(json!("high")),
                ),
            ),
            (
                "status_quo",
                key(
                    json!({ "type": "number" }),
                    "Required. What holds if nothing is agreed; within the scale.",
                    json!(10),
                    None,
                ),
            ),
        ]),
    )
}

fn bloc() -> Value {
    table(
        "[[bloc]]: a group whose members caucus together; it may give default positions and saliences to members that state none.",
        &["id"],
        props(vec![
            (
                "id",
                key(
                    json!({ "$ref": "#/definitions/party_id" }),
                    "Required. The bloc's id, shared with actor ids.",
                    json!("western"),
                    None,
                ),
            ),
            ("name", name_key("Like-minded Western states")),
            (
                "cohesion",
                key(
                    json!({ "type": "number", "minimum": 0, "maximum": 1 }),
                    "How strongly members are pulled toward the bloc's position in a caucus, 0..1.",
                    json!(0.8),
                    Some(json!(0.5)),
                ),
            ),
            (
                "members",
                key(
                    json!({ "$ref": "#/definitions/selection" }),
                    "Actor ids of members (in addition to actors that list this bloc in `blocs`).",
                    json!(["USA"]),
                    None,
                ),
            ),
            (
                "positions",
                key(
                    json!({ "$ref": "#/definitions/positions" }),
                    "Default position per issue for members that state none (mean over their blocs).",
                    json!({ "treaty": 10 }),
                    None,
                ),
            ),
            (
                "saliences",
                key(
                    json!({ "$ref": "#/definitions/saliences" }),
                    "Default salience per issue for members that state none (mean over their blocs).",
                    json!({ "treaty": 0.8 }),
                    None,
                ),
            ),
        ]),
    )
}

fn actor() -> Value {
    table(
        "[[actor]]: a participant. Positions and saliences not given come from its blocs.",
        &["id"],
        props(vec![
            (
                "id",
                key(
                    json!({ "$ref": "#/definitions/party_id" }),
                    "Required. The actor's id, e.g. an ISO 3166 alpha-3 code; refines the actors-table row of the same id.",
                    json!("USA"),
                    None,
                ),
            ),
            ("name", name_key("United States")),
            (
                "kind",
                key(
                    json!({ "type": "string", "enum": ActorKind::NAMES }),
                    "state, organisation or stakeholder; \"all-states\" selects the states.",
                    json!("state"),
                    Some(json!("state")),
                ),
            ),
            (
                "capability",
                key(
                    json!({ "type": "number", "exclusiveMinimum": 0 }),
                    "Relative weight at the table, above 0.",
                    json!(10),
                    Some(json!(1)),
                ),
            ),
            (
                "flexibility",
                key(
                    json!({ "type": "number", "minimum": 0, "maximum": 1 }),
                    "Readiness to move, 0..1: scales caucus pull, concessions and tolerance.",
                    json!(0.3),
                    Some(json!(0.5)),
                ),
            ),
            (
                "blocs",
                key(
                    json!({ "$ref": "#/definitions/selection" }),
                    "Ids of the blocs it belongs to.",
                    json!(["western"]),
                    None,
                ),
            ),
            (
                "positions",
                key(
                    json!({ "$ref": "#/definitions/positions" }),
                    "Position per issue, on the issue's scale.",
                    json!({ "treaty": 20 }),
                    None,
                ),
            ),
            (
                "saliences",
                key(
                    json!({ "$ref": "#/definitions/saliences" }),
                    "Salience per issue, 0..1.",
                    json!({ "treaty": 0.8 }),
                    None,
                ),
            ),
            (
                "red_lines",
                key(
                    json!({
                        "type": "object",
                        "propertyNames": { "$ref": "#/definitions/id" },
                        "additionalProperties": { "$ref": "#/definitions/pair" }
                    }),
                    "Per issue, the interval [low, high] of texts it can live with; it objects to any draft outside it. Must contain its own position.",
                    json!({ "treaty": [0, 40] }),
                    None,
                ),
            ),
            (
                "attributes",
                key(
                    json!({ "type": "object", "additionalProperties": { "type": "number" } }),
                    "Named numbers (population, GDP, ...) that a qualified rule can use as `weight`.",
                    json!({ "population": 335 }),
                    None,
                ),
            ),
        ]),
    )
}

fn rule_table() -> Value {
    let with_rule = |names: Value| json!({ "properties": { "rule": { "enum": names } }, "required": ["rule"] });
    let mut schema = table(
        "A decision rule with its settings.",
        &["rule"],
        props(vec![
            (
                "rule",
                key(
                    json!({ "$ref": "#/definitions/rule_name" }),
                    "Required. The rule's name.",
                    json!("majority"),
                    None,
                ),
            ),
            (
                "threshold",
                key(
                    json!({ "type": "number", "minimum": 0, "exclusiveMaximum": 1 }),
                    "majority only: adopted when accepts > threshold x (accepts + objects).",
                    json!(0.5),
                    Some(json!(0.5)),
                ),
            ),
            (
                "members",
                key(
                    json!({ "type": "number", "exclusiveMinimum": 0, "maximum": 1 }),
                    "qualified only, required: share of voting members that must accept.",
                    json!(0.55),
                    None,
                ),
            ),
            (
                "weight",
                key(
                    json!({ "type": "string" }),
                    "qualified only, required: the actor attribute that weighs each member, e.g. population.",
                    json!("population"),
                    None,
                ),
            ),
            (
                "weight_share",
                key(
                    json!({ "type": "number", "exclusiveMinimum": 0, "maximum": 1 }),
                    "qualified only, required: share of the summed weight that accepting members must hold.",
                    json!(0.65),
                    None,
                ),
            ),
        ]),
    );
    schema.as_object_mut().expect("a table is an object").insert(
        "allOf".into(),
        json!([
            {
                "if": with_rule(json!(["qualified"])),
                "then": { "required": ["members", "weight", "weight_share"], "properties": { "threshold": false } }
            },
            {
                "if": with_rule(json!(["majority"])),
                "then": { "properties": { "members": false, "weight_share": false } }
            },
            {
                "if": with_rule(json!(["consensus", "unanimity", "two-thirds"])),
                "then": { "properties": { "threshold": false, "members": false, "weight_share": false } }
            }
        ]),
    );
    schema
}

fn forum() -> Value {
    table(
        "[[forum]]: who votes, who only speaks, what is on the agenda, how it decides and for how many rounds.",
        &["id", "voting"],
        props(vec![
            ("id", id_key("forum", "working-group")),
            ("name", name_key("Working group on ICTs")),
            (
                "voting",
                key(
                    json!({ "$ref": "#/definitions/selection" }),
                    "Required. The voting members: actor ids, bloc ids, \"all\", \"all-states\". Must select at least one actor.",
                    json!(["all-states"]),
                    None,
                ),
            ),
            (
                "voice",
                key(
                    json!({ "$ref": "#/definitions/selection" }),
                    "Participants with a voice and no vote (voting members are left out).",
                    json!(["TechCo"]),
                    None,
                ),
            ),
            (
                "agenda",
                key(
                    json!({ "type": ["string", "array"], "items": { "type": "string" } }),
                    "Issue ids negotiated here. Default: every issue.",
                    json!(["treaty"]),
                    None,
                ),
            ),
            (
                "decision",
                key(
                    json!({ "$ref": "#/definitions/rule" }),
                    "The decision rule: a name, or a table such as { rule = \"majority\", threshold = 0.5 }.",
                    json!("consensus"),
                    Some(json!("consensus")),
                ),
            ),
            (
                "fallback",
                key(
                    json!({ "$ref": "#/definitions/rule" }),
                    "A rule the last draft is put to when the last round ends without adoption. Default: none, the forum fails.",
                    json!("two-thirds"),
                    None,
                ),
            ),
            (
                "rounds",
                key(
                    json!({ "type": "integer", "minimum": 1, "maximum": MAX_ROUNDS }),
                    "The most rounds (sessions) the forum meets.",
                    json!(6),
                    Some(json!(10)),
                ),
            ),
            (
                "observed",
                key(
                    json!({
                        "type": "object",
                        "properties": {
                            "accept": { "type": "integer", "minimum": 0 },
                            "object": { "type": "integer", "minimum": 0 },
                            "abstain": { "type": "integer", "minimum": 0 }
                        },
                        "additionalProperties": false
                    }),
                    "A recorded vote's real tally, printed beside the predicted one; it changes nothing in the simulation.",
                    json!({ "accept": 1, "object": 0, "abstain": 0 }),
                    None,
                ),
            ),
            (
                "after",
                key(
                    json!({ "$ref": "#/definitions/id" }),
                    "Id of the forum this one follows: it starts from that forum's outcome and actors. Default: starts from the initial state.",
                    json!("oewg"),
                    None,
                ),
            ),
        ]),
    )
}

fn inject() -> Value {
    let mut schema = table(
        "[[inject]]: an event at a round of a forum: either `round`, or `probability` with `window`, or `held = true`.",
        &["id", "forum", "effects"],
        props(vec![
            ("id", id_key("inject", "ransomware")),
            ("name", name_key("Ransomware wave on hospitals")),
            (
                "narrative",
                key(
                    json!({ "type": "string" }),
                    "The story told to players. Default: empty.",
                    json!("Hospitals in three regions are hit by ransomware."),
                    None,
                ),
            ),
            (
                "forum",
                key(
                    json!({ "$ref": "#/definitions/id" }),
                    "Required. Id of the forum in which it happens.",
                    json!("working-group"),
                    None,
                ),
            ),
            (
                "round",
                key(
                    json!({ "type": "integer", "minimum": 1, "maximum": MAX_ROUNDS }),
                    "The round at which it always happens (1 to the forum's rounds). Not with probability/window.",
                    json!(3),
                    None,
                ),
            ),
            (
                "probability",
                key(
                    json!({ "type": "number", "minimum": 0, "maximum": 1 }),
                    "Chance that it happens in a replicate; needs `window`.",
                    json!(0.3),
                    None,
                ),
            ),
            (
                "window",
                key(
                    json!({ "type": "array", "minItems": 2, "maxItems": 2, "items": { "type": "integer", "minimum": 1, "maximum": MAX_ROUNDS } }),
                    "[first, last]: the rounds among which its round is drawn uniformly; needs `probability`.",
                    json!([2, 6]),
                    None,
                ),
            ),
            (
                "held",
                key(
                    json!({ "type": "boolean" }),
                    "Kept for the trainer: never fires on its own; fired by the trainer in `plenary play`. Not with round/probability/window.",
                    json!(true),
                    None,
                ),
            ),
            (
                "cue",
                key(
                    json!({ "type": "string" }),
                    "The facilitator's note on when to fire it. Default: empty.",
                    json!("minute 40, if talks stall"),
                    None,
                ),
            ),
            (
                "to",
                key(
                    json!({ "type": "string" }),
                    "An actor or bloc id: the narrative is for that team's eyes only in a tabletop session (its effects happen alike). Default: told to the whole room.",
                    json!("USA"),
                    None,
                ),
            ),
            (
                "effects",
                key(
                    json!({ "type": "array", "minItems": 1, "items": { "$ref": "#/definitions/effect" } }),
                    "Required. What happens: a list of effects, each with `targets` and one action.",
                    json!([{ "targets": ["all-states"], "issue": "treaty", "shift_salience": 0.2 }]),
                    None,
                ),
            ),
        ]),
    );
    schema.as_object_mut().expect("a table is an object").insert(
        "oneOf".into(),
        json!([
            {
                "required": ["round"],
                "not": { "anyOf": [{ "required": ["probability"] }, { "required": ["window"] }, { "required": ["held"], "properties": { "held": { "const": true } } }] }
            },
            {
                "required": ["probability", "window"],
                "not": { "anyOf": [{ "required": ["round"] }, { "required": ["held"] }] }
            },
            {
                "required": ["held"],
                "properties": { "held": { "const": true } },
                "not": { "anyOf": [{ "required": ["round"] }, { "required": ["probability"] }, { "required": ["window"] }] }
            }
        ]),
    );
    schema
}

/// The actions of an effect: key, whether it needs `issue`, schema, description, example.
fn actions() -> Vec<(&'static str, bool, Value, &'static str, Value)> {
    let number = |lo: f64, hi: f64| json!({ "type": "number", "minimum": lo, "maximum": hi });
    let flag = json!({ "type": "boolean", "const": true });
    vec![
        (
            "shift_position",
            true,
            json!({ "type": "number" }),
            "Move the position on `issue` by this much (within ± the scale's length); clamped into the scale and the actor's red line.",
            json!(10),
        ),
        (
            "set_position",
            true,
            json!({ "type": "number" }),
            "Set the position on `issue` (within the scale); clamped into the actor's red line.",
            json!(50),
        ),
        (
            "shift_salience",
            true,
            number(-1.0, 1.0),
            "Change the salience of `issue` by this much, -1..1; the result is clamped into 0..1.",
            json!(0.2),
        ),
        ("set_salience", true, number(0.0, 1.0), "Set the salience of `issue`, 0..1.", json!(0.9)),
        (
            "scale_capability",
            false,
            json!({ "type": "number", "exclusiveMinimum": 0, "maximum": 1000 }),
            "Multiply capability by this factor, above 0 and at most 1000.",
            json!(1.5),
        ),
        (
            "shift_cohesion",
            false,
            number(-1.0, 1.0),
            "Change the cohesion of the target blocs by this much, -1..1 (clamped into 0..1). Targets must be bloc ids.",
            json!(-0.2),
        ),
        (
            "set_cohesion",
            false,
            number(0.0, 1.0),
            "Set the cohesion of the target blocs, 0..1. Targets must be bloc ids.",
            json!(0.4),
        ),
        (
            "set_red_line",
            true,
            json!({ "$ref": "#/definitions/pair" }),
            "Set the red line on `issue` to [low, high] within the scale; the position is clamped into it.",
            json!([0, 40]),
        ),
        ("lift_red_line", true, flag.clone(), "Remove the red line on `issue`. Only `true`.", json!(true)),
        ("leave", false, flag.clone(), "The targets leave the inject's forum (a walkout). Only `true`.", json!(true)),
        ("join", false, flag, "The targets join the inject's forum as voting members. Only `true`.", json!(true)),
    ]
}

fn effect() -> Value {
    let actions = actions();
    let mut entries = vec![
        (
            "targets",
            key(
                json!({ "$ref": "#/definitions/selection" }),
                "Required. Who it applies to: actor ids, bloc ids, \"all\", \"all-states\".",
                json!(["all-states"]),
                None,
            ),
        ),
        (
            "issue",
            key(
                json!({ "$ref": "#/definitions/id" }),
                "The issue id, for the actions on positions, saliences and red lines; not allowed with the others.",
                json!("treaty"),
                None,
            ),
        ),
    ];
    let mut dependencies = Map::new();
    let mut one_of = Vec::new();
    for (name, needs_issue, schema, description, example) in actions {
        entries.push((name, key(schema, description, example, None)));
        dependencies.insert(
            name.into(),
            if needs_issue { json!(["issue"]) } else { json!({ "properties": { "issue": false } }) },
        );
        one_of.push(json!({ "required": [name] }));
    }
    let mut schema = table("An effect of an inject: `targets` and exactly one action.", &["targets"], props(entries));
    let object = schema.as_object_mut().expect("a table is an object");
    object.insert("dependencies".into(), Value::Object(dependencies));
    object.insert("oneOf".into(), Value::Array(one_of));
    schema
}
