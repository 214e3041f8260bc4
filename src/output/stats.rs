//! Statistics across replicates in bounded memory: running moments, quantiles and the
//! Wilson interval for a proportion.

/// Values kept exactly for quantiles by one distribution; beyond this many, a histogram
/// over the measure's known range takes over, so memory stays bounded whatever the number
/// of replicates.
const EXACT_LIMIT: usize = 100_000;
const BINS: usize = 65_536;
/// Values (exact or histogram bins) kept by all the distributions of one summary together:
/// 64 MB. A scenario with many forums and issues gets fewer per distribution.
const BUDGET: usize = 8_000_000;
/// The fewest kept per distribution, however many there are.
const FLOOR: usize = 256;

/// How many values each of `distributions` may keep within the budget.
pub fn share_of_budget(distributions: usize) -> usize {
    (BUDGET / distributions.max(1)).clamp(FLOOR, EXACT_LIMIT)
}

#[derive(Clone, Debug)]
pub struct Distribution {
    n: u64,
    /// The plain sum, for the mean: exact for counts and shares, where Welford's running
    /// mean would leave rounding noise in the last digits.
    sum: f64,
    mean: f64,
    m2: f64,
    lo: f64,
    hi: f64,
    /// Values kept exactly, and bins of the histogram after: at most `limit`.
    limit: usize,
    exact: Vec<f64>,
    histogram: Vec<u64>,
}

impl Distribution {
    /// A distribution of values known to lie in `lo..=hi`.
    pub fn new(lo: f64, hi: f64) -> Self {
        Self::with_limit(lo, hi, EXACT_LIMIT)
    }

    /// The same, keeping at most `limit` values exactly and at most `limit` (and at most
    /// 65,536) histogram bins.
    pub fn with_limit(lo: f64, hi: f64, limit: usize) -> Self {
        Distribution {
            limit: limit.max(1),
            n: 0,
            sum: 0.0,
            mean: 0.0,
            m2: 0.0,
            lo,
            hi: if hi > lo { hi } else { lo + 1.0 },
            exact: Vec::new(),
            histogram: Vec::new(),
        }
    }

    pub fn add(&mut self, x: f64) {
        // Welford's update: stable for long runs.
        self.n += 1;
        self.sum += x;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
        if self.histogram.is_empty() && self.exact.len() < self.limit {
            self.exact.push(x);
            return;
        }
        if self.histogram.is_empty() {
            self.histogram = vec![0; self.limit.min(BINS)];
            for v in std::mem::take(&mut self.exact) {
                self.bin(v);
            }
        }
        self.bin(x);
    }

    fn bin(&mut self, x: f64) {
        let t = ((x - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0);
        let bins = self.histogram.len();
        let i = ((t * bins as f64) as usize).min(bins - 1);
        self.histogram[i] += 1;
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }

    /// Sample standard deviation (n - 1 in the denominator).
    pub fn sd(&self) -> Option<f64> {
        (self.n > 1).then(|| (self.m2 / (self.n - 1) as f64).sqrt())
    }

    /// The q-quantile by linear interpolation between order statistics (R's type 7, the
    /// default of R and numpy). From the histogram once more values came than are kept
    /// exactly, accurate to within one bin: 1/65,536 of the measure's range, or coarser
    /// when many distributions share the budget.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        if self.histogram.is_empty() {
            let mut sorted = self.exact.clone();
            sorted.sort_by(f64::total_cmp);
            let h = (sorted.len() - 1) as f64 * q;
            let (below, frac) = (h.floor() as usize, h - h.floor());
            let above = (below + 1).min(sorted.len() - 1);
            return Some(sorted[below] + frac * (sorted[above] - sorted[below]));
        }
        let rank = q * (self.n - 1) as f64;
        let mut seen = 0u64;
        for (i, &count) in self.histogram.iter().enumerate() {
            if count > 0 && (seen + count) as f64 > rank {
                let width = (self.hi - self.lo) / self.histogram.len() as f64;
                let within = (rank - seen as f64 + 0.5) / count as f64;
                return Some(self.lo + width * (i as f64 + within.clamp(0.0, 1.0)));
            }
            seen += count;
        }
        Some(self.hi)
    }
}

/// Wilson score interval for `successes` out of `n` at 95% (z = 1.959964).
pub fn wilson(successes: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    const Z: f64 = 1.959_963_984_540_054;
    let n = n as f64;
    let p = successes as f64 / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 or n successes the bound is exactly 0 or 1; the formula leaves a rounding error
    // (2e-19 for 0 of 1,000) that would be printed as it is.
    let low = if successes == 0 { 0.0 } else { (centre - half).max(0.0) };
    let high = if p == 1.0 { 1.0 } else { (centre + half).min(1.0) };
    Some((low, high))
}
