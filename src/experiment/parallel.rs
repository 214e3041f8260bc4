//! Work on numbered items in parallel, results handed on in item order.
//!
//! Items are computed in fixed-size batches: memory holds one batch of results whatever
//! the number of items, and whoever consumes them sees the same sequence whatever the
//! number of threads.

use std::ops::Range;

use rayon::prelude::*;

use crate::Failure;

/// Items computed before their results are handed on, per thread.
const BATCH_PER_THREAD: u64 = 64;

/// Computes `compute(i)` for every `i` in `items` on `threads` threads; `consume` receives
/// the results in order of `i`; `progress` is told after each batch how far it got.
pub fn in_order<T: Send>(
    items: Range<u64>,
    threads: usize,
    compute: impl Fn(u64) -> T + Sync,
    mut consume: impl FnMut(T) -> Result<(), Failure>,
    mut progress: impl FnMut(u64) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Failure::Io(format!("cannot start {threads} threads: {e}")))?;
    let batch = BATCH_PER_THREAD * threads as u64;
    let mut start = items.start;
    while start < items.end {
        let end = (start + batch).min(items.end);
        let results: Vec<T> = pool.install(|| (start..end).into_par_iter().map(&compute).collect());
        for result in results {
            consume(result)?;
        }
        progress(end)?;
        start = end;
    }
    Ok(())
}
