//! Running many replicates: in parallel across threads, in fixed-size batches so that
//! memory does not grow with the number of replicates, handing records to the writers in
//! replicate order so that output does not depend on the thread count.

use std::sync::Arc;

use rayon::prelude::*;

use crate::Failure;
use crate::record::ReplicateRecord;
use crate::scenario::Scenario;
use crate::sim::run_replicate;

/// Replicates computed before their records are handed on, per thread.
const BATCH_PER_THREAD: u64 = 64;

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
    mut consume: impl FnMut(ReplicateRecord) -> Result<(), Failure>,
    progress: impl Fn(u64),
) -> Result<(), Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(|e| Failure::Io(format!("cannot start {} threads: {e}", plan.threads)))?;
    let batch = BATCH_PER_THREAD * plan.threads as u64;
    let mut start = 0;
    while start < plan.replicates {
        let end = (start + batch).min(plan.replicates);
        let records: Vec<ReplicateRecord> = pool.install(|| {
            (start..end).into_par_iter().map(|r| run_replicate(scenario, plan.seed, r, plan.trace)).collect()
        });
        for record in records {
            consume(record)?;
        }
        progress(end);
        start = end;
    }
    Ok(())
}
