//! The integration tests, one binary: each module covers one concern.

mod backtest;
mod brief;
mod common;
mod decide_cop21;
mod expected_utility;
mod first_hour;
mod folders;
mod formulas;
mod fuzz;
mod fuzz_files;
mod import;
mod input;
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
mod seeds;
mod sensitivity;
mod sweeps;
