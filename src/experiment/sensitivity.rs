//! Variance-based global sensitivity analysis: a Sobol low-discrepancy sequence, Saltelli's
//! sampling scheme built on it, and Jansen's estimators of first-order and total-order Sobol
//! indices with percentile-bootstrap confidence intervals.
//!
//! Everything here is pure, deterministic arithmetic on the unit cube: callers map unit
//! coordinates to their parameter ranges, run the model at each point, and hand the outputs
//! back in the same order.
//!
//! References:
//! - I. M. Sobol', "On the distribution of points in a cube and the approximate evaluation of
//!   integrals", USSR Comput. Math. Math. Phys. 7 (1967).
//! - S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
//!   projections", SIAM J. Sci. Comput. 30 (2008), 2635–2654.
//! - A. Saltelli, "Making best use of model evaluations to compute sensitivity indices",
//!   Comput. Phys. Commun. 145 (2002).
//! - A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto, S. Tarantola, "Variance based
//!   sensitivity analysis of model output. Design and estimator for the total sensitivity
//!   index", Comput. Phys. Commun. 181 (2010), 259–270.
//! - M. J. W. Jansen, "Analysis of variance designs for model output", Comput. Phys. Commun.
//!   117 (1999).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Primitive-polynomial parameters and initial direction numbers for Sobol dimensions
/// 2..=64, one row per dimension as `(d, s, a, [m_1, ..., m_s])`, copied from the columns
/// of the file `new-joe-kuo-6.21201` that accompanies S. Joe and F. Y. Kuo, "Constructing
/// Sobol sequences with better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008).
///
/// `s` is the degree of the primitive polynomial x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1,
/// whose inner coefficients a_1..a_(s-1) are the bits of `a`, most significant first; the
/// `m_j` are odd and below 2^j. Dimension 1 is the van der Corput sequence (all m_j = 1)
/// and has no row. The rows were checked against the direction numbers SciPy 1.17 ships
/// for `scipy.stats.qmc.Sobol` (also new-joe-kuo-6.21201) and against a second,
/// independently transcribed copy of the file; the generated points are checked against
/// SciPy's unscrambled points in the tests.
#[rustfmt::skip]
const JOE_KUO: [(u32, u32, u32, &[u32]); 63] = [
    (2, 1, 0, &[1]),
    (3, 2, 1, &[1, 3]),
    (4, 3, 1, &[1, 3, 1]),
    (5, 3, 2, &[1, 1, 1]),
    (6, 4, 1, &[1, 1, 3, 3]),
    (7, 4, 4, &[1, 3, 5, 13]),
    (8, 5, 2, &[1, 1, 5, 5, 17]),
    (9, 5, 4, &[1, 1, 5, 5, 5]),
    (10, 5, 7, &[1, 1, 7, 11, 19]),
    (11, 5, 11, &[1, 1, 5, 1, 1]),
    (12, 5, 13, &[1, 1, 1, 3, 11]),
    (13, 5, 14, &[1, 3, 5, 5, 31]),
    (14, 6, 1, &[1, 3, 3, 9, 7, 49]),
    (15, 6, 13, &[1, 1, 1, 15, 21, 21]),
    (16, 6, 16, &[1, 3, 1, 13, 27, 49]),
    (17, 6, 19, &[1, 1, 1, 15, 7, 5]),
    (18, 6, 22, &[1, 3, 1, 15, 13, 25]),
    (19, 6, 25, &[1, 1, 5, 5, 19, 61]),
    (20, 7, 1, &[1, 3, 7, 11, 23, 15, 103]),
    (21, 7, 4, &[1, 3, 7, 13, 13, 15, 69]),
    (22, 7, 7, &[1, 1, 3, 13, 7, 35, 63]),
    (23, 7, 8, &[1, 3, 5, 9, 1, 25, 53]),
    (24, 7, 14, &[1, 3, 1, 13, 9, 35, 107]),
    (25, 7, 19, &[1, 3, 1, 5, 27, 61, 31]),
    (26, 7, 21, &[1, 1, 5, 11, 19, 41, 61]),
    (27, 7, 28, &[1, 3, 5, 3, 3, 13, 69]),
    (28, 7, 31, &[1, 1, 7, 13, 1, 19, 1]),
    (29, 7, 32, &[1, 3, 7, 5, 13, 19, 59]),
    (30, 7, 37, &[1, 1, 3, 9, 25, 29, 41]),
    (31, 7, 41, &[1, 3, 5, 13, 23, 1, 55]),
    (32, 7, 42, &[1, 3, 7, 3, 13, 59, 17]),
    (33, 7, 50, &[1, 3, 1, 3, 5, 53, 69]),
    (34, 7, 55, &[1, 1, 5, 5, 23, 33, 13]),
    (35, 7, 56, &[1, 1, 7, 7, 1, 61, 123]),
    (36, 7, 59, &[1, 1, 7, 9, 13, 61, 49]),
    (37, 7, 62, &[1, 3, 3, 5, 3, 55, 33]),
    (38, 8, 14, &[1, 3, 1, 15, 31, 13, 49, 245]),
    (39, 8, 21, &[1, 3, 5, 15, 31, 59, 63, 97]),
    (40, 8, 22, &[1, 3, 1, 11, 11, 11, 77, 249]),
    (41, 8, 38, &[1, 3, 1, 11, 27, 43, 71, 9]),
    (42, 8, 47, &[1, 1, 7, 15, 21, 11, 81, 45]),
    (43, 8, 49, &[1, 3, 7, 3, 25, 31, 65, 79]),
    (44, 8, 50, &[1, 3, 1, 1, 19, 11, 3, 205]),
    (45, 8, 52, &[1, 1, 5, 9, 19, 21, 29, 157]),
    (46, 8, 56, &[1, 3, 7, 11, 1, 33, 89, 185]),
    (47, 8, 67, &[1, 3, 3, 3, 15, 9, 79, 71]),
    (48, 8, 70, &[1, 3, 7, 11, 15, 39, 119, 27]),
    (49, 8, 84, &[1, 1, 3, 1, 11, 31, 97, 225]),
    (50, 8, 97, &[1, 1, 1, 3, 23, 43, 57, 177]),
    (51, 8, 103, &[1, 3, 7, 7, 17, 17, 37, 71]),
    (52, 8, 115, &[1, 3, 1, 5, 27, 63, 123, 213]),
    (53, 8, 122, &[1, 1, 3, 5, 11, 43, 53, 133]),
    (54, 9, 8, &[1, 3, 5, 5, 29, 17, 47, 173, 479]),
    (55, 9, 13, &[1, 3, 3, 11, 3, 1, 109, 9, 69]),
    (56, 9, 16, &[1, 1, 1, 5, 17, 39, 23, 5, 343]),
    (57, 9, 22, &[1, 3, 1, 5, 25, 15, 31, 103, 499]),
    (58, 9, 25, &[1, 1, 1, 11, 11, 17, 63, 105, 183]),
    (59, 9, 44, &[1, 1, 5, 11, 9, 29, 97, 231, 363]),
    (60, 9, 47, &[1, 1, 5, 15, 19, 45, 41, 7, 383]),
    (61, 9, 52, &[1, 3, 7, 7, 31, 19, 83, 137, 221]),
    (62, 9, 55, &[1, 1, 1, 3, 23, 15, 111, 223, 83]),
    (63, 9, 59, &[1, 1, 5, 13, 31, 15, 55, 25, 161]),
    (64, 9, 62, &[1, 1, 3, 13, 25, 47, 39, 87, 257]),
];

// The table's own invariants, checked at compile time: rows in dimension order, `m` of
// length `s`, each m_j odd and below 2^j, and `a` an (s-1)-bit number.
const _: () = {
    let mut row = 0;
    while row < JOE_KUO.len() {
        let (d, s, a, m) = JOE_KUO[row];
        assert!(d as usize == row + 2);
        assert!(m.len() == s as usize);
        assert!(s >= 1 && s <= 31);
        assert!(a < 1 << (s - 1));
        let mut j = 0;
        while j < m.len() {
            assert!(m[j] % 2 == 1 && m[j] < 1 << (j + 1));
            j += 1;
        }
        row += 1;
    }
};

/// The number of dimensions [`sobol`] can generate: the van der Corput dimension and one
/// per row of the Joe–Kuo table.
pub const MAX_DIMS: usize = JOE_KUO.len() + 1;

/// The number of bits of each coordinate: points are multiples of 2^-32.
const BITS: usize = 32;

/// The number of points [`sobol`] can generate before the 32-bit sequence repeats: 2^32.
pub const MAX_POINTS: u64 = 1 << BITS;

/// The 32 direction numbers v_1..v_32 of dimension `dim` (0-based), scaled by 2^32.
fn directions(dim: usize) -> [u32; BITS] {
    let mut v = [0u32; BITS];
    if dim == 0 {
        for (j, vj) in v.iter_mut().enumerate() {
            *vj = 1 << (BITS - 1 - j);
        }
        return v;
    }
    let (_, s, a, m) = JOE_KUO[dim - 1];
    let s = s as usize;
    for j in 0..BITS {
        v[j] = if j < s {
            m[j] << (BITS - 1 - j)
        } else {
            // Bratley and Fox's recurrence as Joe and Kuo state it:
            // v_j = a_1 v_(j-1) ^ ... ^ a_(s-1) v_(j-s+1) ^ v_(j-s) ^ (v_(j-s) >> s).
            let mut x = v[j - s] ^ (v[j - s] >> s);
            for k in 1..s {
                if (a >> (s - 1 - k)) & 1 == 1 {
                    x ^= v[j - k];
                }
            }
            x
        };
    }
    v
}

/// The first `n` points of the unscrambled Sobol sequence in `[0, 1)^dims`, one `Vec` of
/// `dims` coordinates per point, in Gray-code order, with Joe and Kuo's direction numbers
/// (`new-joe-kuo-6.21201`).
///
/// The first point, all zeros, is kept, so the output equals SciPy's
/// `scipy.stats.qmc.Sobol(dims, scramble=False).random(n)`, and every prefix of 2^m points
/// keeps the sequence's balance properties. Coordinates carry 32 bits.
///
/// Errors when `dims` is 0 or above [`MAX_DIMS`], or `n` above [`MAX_POINTS`].
pub fn sobol(n: usize, dims: usize) -> Result<Vec<Vec<f64>>, String> {
    if dims == 0 {
        return Err("a Sobol sequence needs at least 1 dimension".to_string());
    }
    if dims > MAX_DIMS {
        return Err(format!(
            "a Sobol sequence of {dims} dimensions was asked for, but the direction-number \
             table (Joe and Kuo, new-joe-kuo-6.21201) carried here covers at most {MAX_DIMS}"
        ));
    }
    if n as u64 > MAX_POINTS {
        return Err(format!("{n} Sobol points were asked for, but the 32-bit sequence has at most {MAX_POINTS}"));
    }
    let v: Vec<[u32; BITS]> = (0..dims).map(directions).collect();
    let scale = 1.0 / MAX_POINTS as f64;
    let mut x = vec![0u32; dims];
    let mut points = Vec::with_capacity(n);
    for i in 0..n {
        if i > 0 {
            // Gray code: point i differs from point i-1 by the direction number of the
            // lowest zero bit of i-1.
            let c = (i - 1).trailing_ones() as usize;
            for (xd, vd) in x.iter_mut().zip(&v) {
                *xd ^= vd[c];
            }
        }
        points.push(x.iter().map(|&xd| f64::from(xd) * scale).collect());
    }
    Ok(points)
}

/// Saltelli's sampling scheme for `k` parameters from `n` base points: `n * (k + 2)` points
/// of the unit cube `[0, 1)^k`, in blocks of `n` rows:
///
/// - rows `0..n`: the matrix A, the first `k` coordinates of the first `n` points of the
///   `2k`-dimensional Sobol sequence ([`sobol`], all-zero first point included);
/// - rows `n..2n`: the matrix B, the last `k` coordinates of the same points;
/// - rows `(2 + i) * n..(3 + i) * n`, for `i` in `0..k`: the matrix AB_i, which is A with
///   column `i` taken from B.
///
/// Row `j` of every block belongs to base point `j`. Callers map the unit coordinates to
/// their parameter ranges themselves, evaluate the model at every row, and pass the outputs
/// in this order to [`jansen`]. Powers of two for `n` keep Sobol's balance properties.
///
/// Errors when `k` is 0, `2k` exceeds [`MAX_DIMS`], or `n` exceeds [`MAX_POINTS`].
pub fn saltelli(n: usize, k: usize) -> Result<Vec<Vec<f64>>, String> {
    if k == 0 {
        return Err("Saltelli sampling needs at least 1 parameter".to_string());
    }
    if k > MAX_DIMS / 2 {
        return Err(format!(
            "Saltelli sampling of {k} parameters needs a {}-dimensional Sobol sequence, but at most \
             {MAX_DIMS} dimensions are available, so at most {} parameters",
            2 * k,
            MAX_DIMS / 2
        ));
    }
    let base = sobol(n, 2 * k)?;
    let mut rows = Vec::with_capacity(n * (k + 2));
    rows.extend(base.iter().map(|p| p[..k].to_vec()));
    rows.extend(base.iter().map(|p| p[k..].to_vec()));
    for i in 0..k {
        rows.extend(base.iter().map(|p| {
            let mut ab = p[..k].to_vec();
            ab[i] = p[k + i];
            ab
        }));
    }
    Ok(rows)
}

/// First-order and total-order Sobol indices, one entry per parameter, with their
/// bootstrap confidence intervals as `(lower, upper)` bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Indices {
    pub first: Vec<f64>,
    pub total: Vec<f64>,
    pub first_ci: Vec<(f64, f64)>,
    pub total_ci: Vec<(f64, f64)>,
}

/// Lower and upper percentiles of the bootstrap confidence intervals: a 95 % interval.
const CI_LEVELS: (f64, f64) = (0.025, 0.975);

/// Jansen's estimators of first-order and total-order Sobol indices from model outputs at
/// the points of [`saltelli`]`(n, k)`, in the same order (A, B, AB_0, ..., AB_(k-1)).
///
/// With V the variance of the `2n` outputs at A and B together (divided by `2n`), and sums
/// over the base points j:
///
/// - first order (Saltelli et al. 2010, table 2, (f)):
///   S_i = (V - 1/(2n) Σ_j (f(B)_j - f(AB_i)_j)²) / V;
/// - total order (Jansen 1999; Saltelli et al. 2010, table 2, (f)):
///   S_Ti = 1/(2n) Σ_j (f(A)_j - f(AB_i)_j)² / V.
///
/// Confidence intervals are 95 % percentile-bootstrap intervals: the `n` base points are
/// resampled with replacement `resamples` times with a ChaCha8 generator seeded with
/// `seed`, both indices (and V) are recomputed on each resample, and the bounds are the
/// 2.5 % and 97.5 % percentiles of the recomputed values (linear interpolation between
/// order statistics, Hyndman and Fan's type 7). Resamples whose index is undefined (a
/// resample of constant outputs) are left out. The bootstrap treats the quasi-random base
/// points as independent, so the intervals are, if anything, wide for Sobol points. With
/// `resamples == 0` every bound is NaN. The same arguments always give the same result.
///
/// When V is 0 (the outputs at A and B are all equal, e.g. a constant model) the indices
/// are undefined: every index and every bound is NaN. This is not an error.
///
/// Errors when `n` or `k` is 0, `outputs.len() != n * (k + 2)`, or an output is not finite.
pub fn jansen(outputs: &[f64], n: usize, k: usize, resamples: usize, seed: u64) -> Result<Indices, String> {
    if n == 0 {
        return Err("Sobol indices need at least 1 base point (n = 0)".to_string());
    }
    if k == 0 {
        return Err("Sobol indices need at least 1 parameter (k = 0)".to_string());
    }
    let expected = k.checked_add(2).and_then(|blocks| n.checked_mul(blocks));
    if expected != Some(outputs.len()) {
        return Err(format!(
            "Saltelli sampling with n = {n} base points and k = {k} parameters has n * (k + 2) = {} outputs, \
             but {} were given",
            expected.map_or_else(|| "too many".to_string(), |e| e.to_string()),
            outputs.len()
        ));
    }
    if let Some(at) = outputs.iter().position(|y| !y.is_finite()) {
        return Err(format!("model output {at} is {}, not a finite number", outputs[at]));
    }
    let blocks: Vec<&[f64]> = outputs.chunks_exact(n).collect();
    let (fa, fb, fab) = (blocks[0], blocks[1], &blocks[2..]);

    let all: Vec<usize> = (0..n).collect();
    let mut first = vec![0.0; k];
    let mut total = vec![0.0; k];
    estimate(fa, fb, fab, &all, &mut first, &mut total);

    let mut first_boot: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); k];
    let mut total_boot: Vec<Vec<f64>> = vec![Vec::with_capacity(resamples); k];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows = vec![0usize; n];
    let (mut s, mut st) = (vec![0.0; k], vec![0.0; k]);
    for _ in 0..resamples {
        for row in rows.iter_mut() {
            *row = rng.random_range(0..n);
        }
        estimate(fa, fb, fab, &rows, &mut s, &mut st);
        for i in 0..k {
            first_boot[i].push(s[i]);
            total_boot[i].push(st[i]);
        }
    }
    Ok(Indices {
        first,
        total,
        first_ci: first_boot.into_iter().map(interval).collect(),
        total_ci: total_boot.into_iter().map(interval).collect(),
    })
}

/// Jansen's first-order and total-order indices over the base points `rows` (with
/// repetitions, for the bootstrap), written to `first` and `total`; NaN when V is 0.
fn estimate(fa: &[f64], fb: &[f64], fab: &[&[f64]], rows: &[usize], first: &mut [f64], total: &mut [f64]) {
    let count = 2.0 * rows.len() as f64;
    let v = variance(rows.iter().flat_map(|&j| [fa[j], fb[j]]), count);
    for (i, fabi) in fab.iter().enumerate() {
        if v == 0.0 {
            first[i] = f64::NAN;
            total[i] = f64::NAN;
            continue;
        }
        let (mut sum_b, mut sum_a) = (0.0, 0.0);
        for &j in rows {
            sum_b += (fb[j] - fabi[j]).powi(2);
            sum_a += (fa[j] - fabi[j]).powi(2);
        }
        first[i] = (v - sum_b / count) / v;
        total[i] = sum_a / count / v;
    }
}

/// The population variance (divided by `count`) of `values`, exactly 0 when all values are
/// equal (where rounding in the mean would otherwise leave a tiny positive variance).
fn variance(values: impl Iterator<Item = f64> + Clone, count: f64) -> f64 {
    let (mut sum, mut lo, mut hi) = (0.0, f64::INFINITY, f64::NEG_INFINITY);
    for y in values.clone() {
        sum += y;
        lo = lo.min(y);
        hi = hi.max(y);
    }
    if lo == hi {
        return 0.0;
    }
    let mean = sum / count;
    values.map(|y| (y - mean).powi(2)).sum::<f64>() / count
}

/// The percentile-bootstrap interval of `values`, ignoring non-finite ones; NaN bounds when
/// none is finite.
fn interval(mut values: Vec<f64>) -> (f64, f64) {
    values.retain(|y| y.is_finite());
    values.sort_by(f64::total_cmp);
    (percentile(&values, CI_LEVELS.0), percentile(&values, CI_LEVELS.1))
}

/// The `p`-quantile of ascending `sorted` values by linear interpolation between order
/// statistics (Hyndman and Fan's type 7, the default of R and NumPy); NaN when empty.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}
