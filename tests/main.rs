//! The integration tests, one binary: each module covers one concern.

mod backtest;
mod brief;
mod common;
mod decide_cop21;
mod expected_utility;
mod formulas;
mod fuzz;
mod import;
mod invalid;
mod models;
mod narrative;
mod play;
mod reference;
mod report;
mod room;
mod rules;
mod runs;
mod scenarios;
mod schema;
mod sensitivity;
mod sweeps;
