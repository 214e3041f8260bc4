//! Designs: the parameter points of a sweep. Only the parameters named in [[vary]] change;
//! everything else stays as the base scenario says.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::file::{DesignKind, Experiment, Values};
use super::paths::Knob;
use super::sensitivity;

pub struct Design {
    pub knobs: Vec<Knob>,
    /// One row per point, one value per knob.
    pub points: Vec<Vec<f64>>,
    /// For a Sobol design, the Saltelli matrix each point belongs to: `A`, `B`, or `AB:<path>`.
    pub matrix: Vec<String>,
}

/// The random stream the design draws from: the master seed's last stream, which no run
/// ever uses (runs use streams 0, 1, 2, ...).
fn design_rng(seed: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(u64::MAX);
    rng
}

fn grid_values(values: &Values) -> Vec<f64> {
    match values {
        Values::List(list) => list.clone(),
        Values::Range { lo, hi, steps } => {
            let n = steps.unwrap_or(2);
            (0..n).map(|i| if i + 1 == n { *hi } else { lo + (hi - lo) * i as f64 / (n - 1) as f64 }).collect()
        }
    }
}

/// The number of points, without building them.
pub fn count(experiment: &Experiment) -> u64 {
    match experiment.design {
        DesignKind::Grid => {
            experiment.varied.iter().map(|v| grid_values(&v.values).len() as u64).fold(1, u64::saturating_mul)
        }
        DesignKind::Random { samples } | DesignKind::LatinHypercube { samples } => samples,
        DesignKind::Sobol { samples, .. } => samples.saturating_mul(experiment.varied.len() as u64 + 2),
    }
}

/// Maps `u` in [0, 1) into the knob's range; whole-number knobs take each whole value
/// with equal chance.
fn scale(values: &Values, knob: &Knob, u: f64) -> f64 {
    let Values::Range { lo, hi, .. } = values else { unreachable!("sampling designs read ranges") };
    if knob.integer { (lo + (u * (hi - lo + 1.0)).floor()).min(*hi) } else { lo + u * (hi - lo) }
}

pub fn build(experiment: &Experiment) -> Design {
    let knobs: Vec<Knob> = experiment.varied.iter().map(|v| v.knob.clone()).collect();
    let k = knobs.len();
    let mut matrix = Vec::new();
    let points: Vec<Vec<f64>> = match experiment.design {
        DesignKind::Grid => {
            let axes: Vec<Vec<f64>> = experiment.varied.iter().map(|v| grid_values(&v.values)).collect();
            let n: usize = axes.iter().map(Vec::len).product();
            // The first parameter varies slowest, as in a nested loop written in file order.
            (0..n)
                .map(|mut i| {
                    let mut point = vec![0.0; k];
                    for (d, axis) in axes.iter().enumerate().rev() {
                        point[d] = axis[i % axis.len()];
                        i /= axis.len();
                    }
                    point
                })
                .collect()
        }
        DesignKind::Random { samples } => {
            let mut rng = design_rng(experiment.seed);
            (0..samples)
                .map(|_| experiment.varied.iter().map(|v| scale(&v.values, &v.knob, rng.random::<f64>())).collect())
                .collect()
        }
        DesignKind::LatinHypercube { samples } => {
            let mut rng = design_rng(experiment.seed);
            let n = samples as usize;
            let mut columns = Vec::with_capacity(k);
            for v in &experiment.varied {
                let mut strata: Vec<usize> = (0..n).collect();
                for i in (1..n).rev() {
                    strata.swap(i, rng.random_range(0..=i));
                }
                columns.push(
                    strata
                        .iter()
                        .map(|&s| scale(&v.values, &v.knob, (s as f64 + rng.random::<f64>()) / n as f64))
                        .collect::<Vec<f64>>(),
                );
            }
            (0..n).map(|i| columns.iter().map(|c| c[i]).collect()).collect()
        }
        DesignKind::Sobol { samples, .. } => {
            let n = samples as usize;
            let unit = sensitivity::saltelli(n, k).expect("the number of varied parameters is within the Sobol table");
            for block in 0..k + 2 {
                let label = match block {
                    0 => "A".to_string(),
                    1 => "B".to_string(),
                    b => format!("AB:{}", knobs[b - 2].path),
                };
                matrix.extend(std::iter::repeat_n(label, n));
            }
            unit.iter()
                .map(|u| experiment.varied.iter().zip(u).map(|(v, &x)| scale(&v.values, &v.knob, x)).collect())
                .collect()
        }
    };
    Design { knobs, points, matrix }
}
