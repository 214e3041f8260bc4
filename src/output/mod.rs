//! Everything a run writes: the results folder, the CSV tables, the summaries across
//! replicates and the manifest.

pub mod blocs;
pub mod brief;
pub mod choose;
pub mod contents;
pub mod durable;
pub mod folder;
pub mod lock;
pub mod manifest;
pub mod narrative;
pub mod readme;
pub mod stats;
pub mod summary;
pub mod sweep;
pub mod tables;
