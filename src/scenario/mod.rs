//! Scenario files: read (TOML and an optional actors table in CSV), check, and resolve into
//! the `Scenario` the rest of the program uses without checking again.
//!
//! Two stages, as in ripgrep's argument handling: `file` mirrors what the student wrote,
//! with the span of every value; `validate` resolves ids and ranges. Every problem from
//! either stage is collected and reported together.

mod file;
pub mod limits;
mod model;
mod parameters;

pub mod schema;
mod table;
mod validate;

use std::path::{Path, PathBuf};

pub use model::*;
pub use parameters::{PARAMETERS, ParameterSpec, Parameters};
pub use validate::{ALL, ALL_STATES, DEFAULT_FLEXIBILITY, is_valid_id};

use crate::diagnostic::{Problem, Problems, SourceFile};
use crate::toml_fields::Sink;
use limits::{MAX_SCENARIO_BYTES, MAX_TABLE_BYTES};

/// The default scenario, built into the binary so that `plenary run` works anywhere.
pub const DEFAULT_NAME: &str = "scenarios/oewg-to-global-mechanism.toml";
const DEFAULT_TEXT: &str = include_str!("../../scenarios/oewg-to-global-mechanism.toml");
const DEFAULT_TABLE_NAME: &str = "scenarios/data/un-member-states.csv";
const DEFAULT_TABLE: &str = include_str!("../../scenarios/data/un-member-states.csv");

/// A scenario together with the text it was read from, for the manifest's checksum.
pub struct Loaded {
    pub scenario: Scenario,
    pub text: String,
}

/// Reads and validates a scenario file; an actors table is read relative to it.
pub fn load(path: &Path) -> Result<Loaded, Problems> {
    let name = path.display().to_string();
    let text = read_text(path, &name, "scenario file", MAX_SCENARIO_BYTES)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let scenario = from_text(&name, &text, path.to_path_buf(), |relative| {
        let table_path = base.join(relative);
        let table_name = table_path.display().to_string();
        read_text(&table_path, &table_name, "actors table", MAX_TABLE_BYTES).map(|t| (table_name, t))
    })?;
    Ok(Loaded { scenario, text })
}

/// The scenario built into the binary.
pub fn load_default() -> Loaded {
    let scenario = from_text(DEFAULT_NAME, DEFAULT_TEXT, PathBuf::from(DEFAULT_NAME), |_| {
        Ok((DEFAULT_TABLE_NAME.to_string(), DEFAULT_TABLE.to_string()))
    })
    .unwrap_or_else(|problems| panic!("the embedded default scenario is invalid:\n{problems}"));
    Loaded { scenario, text: DEFAULT_TEXT.to_string() }
}

fn read_text(path: &Path, name: &str, what: &str, limit: u64) -> Result<String, Problems> {
    crate::input::read_text(path, limit, what).map_err(|refused| {
        let file = SourceFile::new(name, "");
        Problems(vec![Problem::new(&file, 0..0, refused.message).help(refused.help)])
    })
}

/// Parses and validates scenario text. `read_table` fetches the actors table named in the
/// file, given its path relative to the scenario, as (display name, text).
pub fn from_text(
    name: &str,
    text: &str,
    source: PathBuf,
    read_table: impl Fn(&str) -> Result<(String, String), Problems>,
) -> Result<Scenario, Problems> {
    let file = SourceFile::new(name, text);
    let mut sink = Sink::new(file.clone());
    // Nothing to validate when the text is not a scenario at all (a syntax error, or an
    // experiment file): follow-up problems would only confuse.
    let Some(raw) = file::read(&file, &mut sink) else {
        return Err(Problems(sink.problems).sorted());
    };
    let mut problems = sink.problems;
    let mut table = Vec::new();
    let mut table_source = None;
    if let Some(path) = &raw.actors_table {
        match read_table(&path.value) {
            Ok((table_name, table_text)) => {
                let table_file = SourceFile::new(table_name.clone(), table_text.clone());
                table = table::read(&table_file, &mut problems);
                table_source = Some((table_name, table_text));
            }
            Err(Problems(mut found)) => {
                for p in &mut found {
                    *p = Problem::new(&file, path.span.clone(), p.message.clone())
                        .label("actors table named here")
                        .help("the path is relative to the folder of the scenario file");
                }
                problems.extend(found);
            }
        }
    }
    match validate::validate(&file, raw, table, source) {
        Ok(scenario) if problems.is_empty() => Ok(Scenario { actors_table: table_source, ..scenario }),
        Ok(_) => Err(Problems(problems).sorted()),
        Err(found) => {
            problems.extend(found);
            Err(Problems(problems).sorted())
        }
    }
}
