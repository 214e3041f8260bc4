//! Sizes beyond which plenary refuses input with a clear message instead of exhausting the
//! machine. Each is far above any real negotiation; memory per replicate grows with
//! actors x issues, time with rounds x actors x issues x replicates.

/// The largest input files read, in bytes, each checked before anything is allocated
/// (`crate::input`). A TOML file takes up to about 80 times its size in memory while it
/// is parsed with the span of every value; a CSV table much less. These keep the peak
/// for any input under 1 GiB (BENCHMARKS.md, "Memory at the input limits").
pub const MAX_SCENARIO_BYTES: u64 = 4 << 20;
pub const MAX_TABLE_BYTES: u64 = 64 << 20;
/// A row of the actors table, and the table's columns (a position and a salience per
/// issue, text columns and attributes).
pub const MAX_TABLE_LINE_BYTES: usize = 1 << 20;
pub const MAX_TABLE_COLUMNS: usize = 10_000;
pub const MAX_EXPERIMENT_BYTES: u64 = 4 << 20;
/// decisions.toml, a moves file, a results folder's manifest.json.
pub const MAX_LOG_BYTES: u64 = 4 << 20;
/// A file to import: it becomes a scenario's TOML text, validated whole (about 240 times
/// its size in memory; 1 MiB of KTAB rows is 30,000 actors).
pub const MAX_IMPORT_BYTES: u64 = 1 << 20;
/// Backtest data: every case is held with its predictions (about 40 times its size).
pub const MAX_BACKTEST_BYTES: u64 = 8 << 20;
/// Seeds run from 0 to 2^63 - 1 wherever they are given (scenario, experiment, `--seed` of
/// run, play and backtest, a session's log): the largest whole number TOML holds, so that
/// every seed a command accepts can be written in a file and read back.
pub const MAX_SEED: u64 = i64::MAX as u64;

/// A seed given on the command line, or a refusal that gives the range.
pub fn check_seed(seed: u64) -> Result<u64, crate::Failure> {
    if seed <= MAX_SEED {
        Ok(seed)
    } else {
        Err(crate::Failure::Refused(format!(
            "--seed {seed} is outside 0..{MAX_SEED}; nothing was run.\n  hint: seeds are whole numbers from 0 to 2^63 - 1, the range scenario, experiment and session files can hold"
        )))
    }
}

pub const MAX_ACTORS: usize = 100_000;
pub const MAX_ISSUES: usize = 1_000;
pub const MAX_FORUMS: usize = 1_000;
/// Agenda items summed over all forums: each has its own statistics in summaries, and they
/// share a fixed memory budget (output::stats).
pub const MAX_AGENDA_ITEMS: usize = 10_000;
pub const MAX_ROUNDS: i64 = 100_000;
pub const MAX_REPLICATES: i64 = 100_000_000;
/// Actors x issues x rounds summed over forums: the work of one replicate. It costs 40 to
/// 200 ns per unit (BENCHMARKS.md), so one replicate at this limit takes one to four
/// minutes.
pub const MAX_WORK_PER_REPLICATE: u128 = 1_000_000_000;
/// The largest magnitude of a scale's ends or of a capability: beyond it sums of weights
/// and distances lose precision or overflow.
pub const MAX_MAGNITUDE: f64 = 1e9;
