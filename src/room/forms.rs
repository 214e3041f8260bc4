//! The console's inject forms (a walkout, a pledge, a joint statement, a cable cut, a red
//! line) written out as the scenario file's `[[inject]]` keys, so that they are checked by
//! the same validator as an inject typed on the spot and logged as text that replays.

use serde::Deserialize;

use crate::play::log::quote;

/// What the trainer filled in. Targets are actor or bloc ids, or "all-states".
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Form {
    /// The targets leave the forum for the rest of it.
    Walkout { id: String, name: String, narrative: String, targets: Vec<String>, to: Option<String> },
    /// The targets move their position on an issue by `by` (a pledge of money or language).
    Pledge {
        id: String,
        name: String,
        narrative: String,
        targets: Vec<String>,
        issue: String,
        by: f64,
        to: Option<String>,
    },
    /// The targets care more about an issue (`salience`, -1 to 1) and move on it (`by`).
    JointStatement {
        id: String,
        name: String,
        narrative: String,
        targets: Vec<String>,
        issue: String,
        salience: f64,
        by: f64,
        to: Option<String>,
    },
    /// Every state cares more about an issue of infrastructure.
    CableCut { id: String, name: String, narrative: String, issue: String, salience: f64, to: Option<String> },
    /// The targets get a red line on an issue.
    RedLine {
        id: String,
        name: String,
        narrative: String,
        targets: Vec<String>,
        issue: String,
        low: f64,
        high: f64,
        to: Option<String>,
    },
}

fn list(ids: &[String]) -> String {
    let quoted: Vec<String> = ids.iter().map(|t| quote(t)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A number as TOML writes it: always with a decimal point or exponent, never NaN (the
/// validator then says what is wrong with the value rather than with the syntax).
fn number(x: f64) -> String {
    if x.is_finite() { format!("{x:?}") } else { "nan".into() }
}

impl Form {
    /// The inject's keys in scenario syntax, as a trainer would type them.
    pub fn to_toml(&self) -> String {
        let (id, name, narrative, to, effects) = match self {
            Form::Walkout { id, name, narrative, targets, to } => {
                (id, name, narrative, to, vec![format!("{{ targets = {}, leave = true }}", list(targets))])
            }
            Form::Pledge { id, name, narrative, targets, issue, by, to } => (
                id,
                name,
                narrative,
                to,
                vec![format!(
                    "{{ targets = {}, issue = {}, shift_position = {} }}",
                    list(targets),
                    quote(issue),
                    number(*by)
                )],
            ),
            Form::JointStatement { id, name, narrative, targets, issue, salience, by, to } => {
                let mut effects = vec![format!(
                    "{{ targets = {}, issue = {}, shift_salience = {} }}",
                    list(targets),
                    quote(issue),
                    number(*salience)
                )];
                if *by != 0.0 {
                    effects.push(format!(
                        "{{ targets = {}, issue = {}, shift_position = {} }}",
                        list(targets),
                        quote(issue),
                        number(*by)
                    ));
                }
                (id, name, narrative, to, effects)
            }
            Form::CableCut { id, name, narrative, issue, salience, to } => (
                id,
                name,
                narrative,
                to,
                vec![format!(
                    "{{ targets = [\"all-states\"], issue = {}, shift_salience = {} }}",
                    quote(issue),
                    number(*salience)
                )],
            ),
            Form::RedLine { id, name, narrative, targets, issue, low, high, to } => (
                id,
                name,
                narrative,
                to,
                vec![format!(
                    "{{ targets = {}, issue = {}, set_red_line = [{}, {}] }}",
                    list(targets),
                    quote(issue),
                    number(*low),
                    number(*high)
                )],
            ),
        };
        let mut text = format!("id = {}\nname = {}\nnarrative = {}\n", quote(id), quote(name), quote(narrative));
        if let Some(to) = to.as_ref().filter(|t| !t.is_empty()) {
            text.push_str(&format!("to = {}\n", quote(to)));
        }
        text.push_str("effects = [\n");
        for effect in effects {
            text.push_str(&format!("  {effect},\n"));
        }
        text.push_str("]\n");
        text
    }
}
