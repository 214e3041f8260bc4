//! The integration tests, one binary: each module covers one concern.

mod common;
mod formulas;
mod invalid;
mod fuzz;
mod rules;
mod runs;
mod scenarios;
mod schema;
