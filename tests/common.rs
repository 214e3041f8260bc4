//! Helpers shared by the test modules.

use std::path::PathBuf;
use std::sync::Arc;

use plenary::diagnostic::Problems;
use plenary::scenario::{self, Scenario};

/// Validates scenario text written inline in a test.
pub fn scenario(text: &str) -> Result<Scenario, Problems> {
    scenario::from_text("test.toml", text, PathBuf::from("test.toml"), |_| {
        panic!("inline test scenarios have no actors table")
    })
}

/// Validates scenario text that must be valid.
pub fn valid(text: &str) -> Arc<Scenario> {
    Arc::new(scenario(text).unwrap_or_else(|p| panic!("test scenario is invalid:\n{p}")))
}

/// The folder of the shipped scenarios.
pub fn scenarios_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}
