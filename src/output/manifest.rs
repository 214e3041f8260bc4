//! manifest.json: what produced a results folder, so that it can be reproduced. The only
//! output file that may differ between two runs with the same scenario and seed.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::scenario::{Parameters, Scenario};

#[derive(Serialize)]
pub struct Manifest<'a> {
    pub program: &'static str,
    pub version: &'static str,
    pub scenario: ScenarioEntry<'a>,
    pub seed: u64,
    pub replicates: u64,
    pub threads: usize,
    pub trace: bool,
    pub parameters: &'a Parameters,
    pub command_line: Vec<String>,
    pub files: Vec<String>,
}

#[derive(Serialize)]
pub struct ScenarioEntry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub path: String,
    pub sha256: String,
    /// The actors table the scenario reads, if any: its path and SHA-256.
    pub actors_table: Option<FileEntry>,
}

#[derive(Serialize)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl<'a> ScenarioEntry<'a> {
    pub fn new(scenario: &'a Scenario, text: &str) -> Self {
        ScenarioEntry {
            id: &scenario.id,
            title: &scenario.title,
            path: scenario.source.display().to_string(),
            sha256: sha256_hex(text.as_bytes()),
            actors_table: scenario
                .actors_table
                .as_ref()
                .map(|(path, text)| FileEntry { path: path.clone(), sha256: sha256_hex(text.as_bytes()) }),
        }
    }
}
