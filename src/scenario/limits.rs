//! Sizes beyond which plenary refuses input with a clear message instead of exhausting the
//! machine. Each is far above any real negotiation; memory per replicate grows with
//! actors x issues, time with rounds x actors x issues x replicates.

/// The largest scenario or actors table read, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
pub const MAX_ACTORS: usize = 100_000;
pub const MAX_ISSUES: usize = 1_000;
pub const MAX_FORUMS: usize = 1_000;
/// Agenda items summed over all forums: each has its own statistics in summaries, and they
/// share a fixed memory budget (output::stats).
pub const MAX_AGENDA_ITEMS: usize = 10_000;
pub const MAX_ROUNDS: i64 = 100_000;
pub const MAX_REPLICATES: i64 = 100_000_000;
/// Actors x issues x rounds summed over forums: the work of one replicate. At about
/// 10 ns per unit this is ten seconds per replicate.
pub const MAX_WORK_PER_REPLICATE: u128 = 1_000_000_000;
/// The largest magnitude of a scale's ends or of a capability: beyond it sums of weights
/// and distances lose precision or overflow.
pub const MAX_MAGNITUDE: f64 = 1e9;
