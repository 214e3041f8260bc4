//! Work on numbered items in parallel, results handed on in item order.
//!
//! Items are computed in fixed-size batches: memory holds two batches of results whatever
//! the number of items, and whoever consumes them sees the same sequence whatever the
//! number of threads. While one batch is consumed (written to disk, say) the next is
//! being computed, so the writer does not leave the other threads idle.

use std::ops::Range;

use rayon::prelude::*;

use crate::Failure;

/// Items computed before their results are handed on, per thread.
const BATCH_PER_THREAD: u64 = 64;

/// Computes `compute(i)` for every `i` in `items` on `threads` threads; `consume` receives
/// the results batch by batch in order of `i`, with the number of items done so far.
pub fn in_order<T: Send>(
    items: Range<u64>,
    threads: usize,
    compute: impl Fn(u64) -> T + Sync,
    mut consume: impl FnMut(Vec<T>, u64) -> Result<(), Failure> + Send,
) -> Result<(), Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Failure::Io(format!("cannot start {threads} threads: {e}")))?;
    let batch = BATCH_PER_THREAD * threads as u64;
    let batch_of = |start: u64| start..(start + batch).min(items.end);
    let compute_batch = |range: Range<u64>| -> Vec<T> { range.into_par_iter().map(&compute).collect() };
    pool.install(|| {
        let mut done = batch_of(items.start);
        let mut results = compute_batch(done.clone());
        while done.end < items.end {
            let next = batch_of(done.end);
            let (next_results, consumed) = rayon::join(|| compute_batch(next.clone()), || consume(results, done.end));
            consumed?;
            results = next_results;
            done = next;
        }
        if !done.is_empty() { consume(results, done.end) } else { Ok(()) }
    })
}
