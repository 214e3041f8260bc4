//! Running many simulations: the replicates of one scenario, and sweeps over designed
//! parameter points. Every run is identified by a number and computed from (scenario,
//! master seed, run number) alone, so results do not depend on threads, order or shards.

pub mod design;
pub mod file;
mod merge;
pub mod parallel;
pub mod paths;
pub mod sensitivity;
pub mod sweep;
pub mod sweep_folder;

use std::sync::Arc;

use crate::Failure;
use crate::record::ReplicateRecord;
use crate::scenario::Scenario;
use crate::sim::run_replicate;

pub struct Plan {
    pub seed: u64,
    pub replicates: u64,
    pub threads: usize,
    pub trace: bool,
}

/// Runs replicates `0..plan.replicates`; `consume` sees each record in replicate order,
/// `progress` the number done so far.
pub fn run(
    scenario: &Arc<Scenario>,
    plan: &Plan,
    mut consume: impl FnMut(ReplicateRecord) -> Result<(), Failure> + Send,
    mut progress: impl FnMut(u64) -> Result<(), Failure> + Send,
) -> Result<(), Failure> {
    parallel::in_order(
        0..plan.replicates,
        plan.threads,
        |r| run_replicate(scenario, plan.seed, r, plan.trace),
        |records, done| {
            for record in records {
                consume(record)?;
            }
            progress(done)
        },
    )
}
