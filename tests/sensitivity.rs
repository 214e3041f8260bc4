//! The Sobol sequence, Saltelli sampling and Jansen's estimators of Sobol indices.

use std::f64::consts::PI;

use plenary::experiment::sensitivity::{Indices, MAX_DIMS, jansen, saltelli, sobol};

/// The first 8 unscrambled points in 2, 3 and 5 dimensions, from SciPy 1.17:
/// `scipy.stats.qmc.Sobol(d, scramble=False).random(8)`; the 3-dimensional ones were also
/// worked out by hand from m = (1, 3), a = 1.
#[test]
fn sobol_first_points_match_scipy() {
    let two = [
        [0.0, 0.0],
        [0.5, 0.5],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.375, 0.375],
        [0.875, 0.875],
        [0.625, 0.125],
        [0.125, 0.625],
    ];
    let three = [
        [0.0, 0.0, 0.0],
        [0.5, 0.5, 0.5],
        [0.75, 0.25, 0.25],
        [0.25, 0.75, 0.75],
        [0.375, 0.375, 0.625],
        [0.875, 0.875, 0.125],
        [0.625, 0.125, 0.875],
        [0.125, 0.625, 0.375],
    ];
    let five = [
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [0.5, 0.5, 0.5, 0.5, 0.5],
        [0.75, 0.25, 0.25, 0.25, 0.75],
        [0.25, 0.75, 0.75, 0.75, 0.25],
        [0.375, 0.375, 0.625, 0.875, 0.375],
        [0.875, 0.875, 0.125, 0.375, 0.875],
        [0.625, 0.125, 0.875, 0.625, 0.625],
        [0.125, 0.625, 0.375, 0.125, 0.125],
    ];
    assert_eq!(sobol(8, 2).unwrap(), two.map(|p| p.to_vec()).to_vec());
    assert_eq!(sobol(8, 3).unwrap(), three.map(|p| p.to_vec()).to_vec());
    assert_eq!(sobol(8, 5).unwrap(), five.map(|p| p.to_vec()).to_vec());
}

/// Two points deep in the 64-dimensional sequence, as coordinate * 2^32, from SciPy 1.17:
/// `scipy.stats.qmc.Sobol(64, scramble=False, bits=32).random(43691)`. Point 682 is the
/// XOR of direction numbers v_1..v_10 of every dimension and point 43690 that of
/// v_1..v_16, so every row of the direction-number table (degrees up to 9) and the
/// recurrence beyond it take part.
#[test]
fn sobol_deep_points_match_scipy_in_all_64_dimensions() {
    let p682: [u64; 64] = [
        4290772992, 1094713344, 3141533696, 1891631104, 3862953984, 1103101952, 3158310912, 1270874112, 3082813440,
        2805989376, 1396703232, 1153433600, 1002438656, 4139778048, 2839543808, 3158310912, 1925185536, 1723858944,
        994050048, 1799356416, 2336227328, 121634816, 2445279232, 2092957696, 96468992, 566231040, 247463936,
        4148166656, 3032481792, 1505755136, 1782579200, 3066036224, 775946240, 3678404608, 1304428544, 901775360,
        281018368, 2671771648, 2705326080, 1228931072, 473956352, 4173332480, 3124756480, 2654994432, 2596274176,
        1715470336, 96468992, 163577856, 1832910848, 3594518528, 2394947584, 2764046336, 3091202048, 1757413376,
        2512388096, 952107008, 2831155200, 3703570432, 3334471680, 213909504, 1069547520, 1321205760, 2579496960,
        2545942528,
    ];
    let p43690: [u64; 64] = [
        4294901760, 65536, 2969501696, 1123221504, 3271884800, 2165374976, 2360147968, 2888237056, 3674406912,
        4149673984, 2657681408, 234684416, 1629290496, 859504640, 2453733376, 2338258944, 2593980416, 85786624,
        2806972416, 2343895040, 2971467776, 3853975552, 3620536320, 3785687040, 3187998720, 2502885376, 67960832,
        1271857152, 2618359808, 2253586432, 183566336, 2773549056, 2453733376, 1648558080, 285409280, 3171090432,
        805371904, 2088435712, 1993539584, 1378811904, 909574144, 3056533504, 3741646848, 1100152832, 803143680,
        965935104, 1129512960, 2560032768, 3110404096, 1892220928, 1424949248, 88408064, 287637504, 503382016,
        4174053376, 3845455872, 4144824320, 914948096, 1151270912, 1163853824, 2530803712, 2086469632, 2688876544,
        3836542976,
    ];
    assert_eq!(MAX_DIMS, 64);
    let points = sobol(43691, 64).unwrap();
    let scaled = |p: &[f64]| p.iter().map(|x| x * 2f64.powi(32)).collect::<Vec<_>>();
    assert_eq!(scaled(&points[682]), p682.map(|x| x as f64).to_vec());
    assert_eq!(scaled(&points[43690]), p43690.map(|x| x as f64).to_vec());
}

#[test]
fn sobol_coordinates_are_in_the_unit_interval() {
    let points = sobol(4096, 64).unwrap();
    assert_eq!(points.len(), 4096);
    for p in &points {
        assert_eq!(p.len(), 64);
        assert!(p.iter().all(|x| (0.0..1.0).contains(x)), "{p:?}");
    }
    // Each dimension of the first 2^m points holds one point in each interval of width 2^-m.
    for d in 0..64 {
        let mut bins = vec![0; 4096];
        for p in &points {
            bins[(p[d] * 4096.0) as usize] += 1;
        }
        assert!(bins.iter().all(|&b| b == 1), "dimension {d}");
    }
    assert_eq!(sobol(0, 3).unwrap(), Vec::<Vec<f64>>::new());
}

#[test]
fn sobol_refuses_dimensions_beyond_the_table() {
    let err = sobol(8, 65).unwrap_err();
    assert!(err.contains("65") && err.contains("64"), "{err}");
    assert!(sobol(8, 0).is_err());
    assert!(saltelli(8, 33).is_err());
    assert!(saltelli(8, 0).is_err());
    assert_eq!(saltelli(2, 32).unwrap().len(), 2 * 34);
}

#[test]
fn saltelli_blocks_are_a_b_and_a_with_one_column_of_b() {
    let (n, k) = (16, 3);
    let base = sobol(n, 2 * k).unwrap();
    let rows = saltelli(n, k).unwrap();
    assert_eq!(rows.len(), n * (k + 2));
    for j in 0..n {
        assert_eq!(rows[j], base[j][..k]);
        assert_eq!(rows[n + j], base[j][k..]);
        for i in 0..k {
            let mut ab = base[j][..k].to_vec();
            ab[i] = base[j][k + i];
            assert_eq!(rows[(2 + i) * n + j], ab);
        }
    }
}

/// Model outputs at the Saltelli points of `n` base points for `k` parameters.
fn outputs(n: usize, k: usize, f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
    saltelli(n, k).unwrap().iter().map(|x| f(x)).collect()
}

/// The Ishigami function f(x) = sin x1 + a sin² x2 + b x3⁴ sin x1, x uniform on [-π, π]^3,
/// with a = 7 and b = 0.1: a standard test of sensitivity estimators (Ishigami and Homma
/// 1990; Saltelli et al. 2010, section 4).
///
/// Its variance decomposition, with x_i uniform on [-π, π] (E sin² = 1/2, E sin⁴ = 3/8,
/// E x⁴ = π⁴/5, E x⁸ = π⁸/9):
/// - V1 = Var E[f | x1] = Var[(1 + b π⁴/5) sin x1] = ½ (1 + b π⁴/5)²;
/// - V2 = Var[a sin² x2] = a² (3/8 - 1/4) = a²/8;
/// - V3 = 0, since E[f | x3] = a/2 does not depend on x3;
/// - V13 = Var[b (x3⁴ - π⁴/5) sin x1] = b² (π⁸/9 - π⁸/25) / 2 = 8 b² π⁸ / 225;
/// - V12 = V23 = V123 = 0, so V = V1 + V2 + V13 = a²/8 + b π⁴/5 + b² π⁸/18 + 1/2.
///
/// First order S_i = V_i / V: (0.3139, 0.4424, 0); total order ST1 = (V1 + V13) / V,
/// ST2 = V2 / V, ST3 = V13 / V: (0.5576, 0.4424, 0.2437).
fn ishigami_analytic(a: f64, b: f64) -> ([f64; 3], [f64; 3]) {
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = 8.0 * b * b * PI.powi(8) / 225.0;
    let v = a * a / 8.0 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 18.0 + 0.5;
    assert!((v - (v1 + v2 + v13)).abs() < 1e-12);
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

#[test]
fn ishigami_indices_match_the_analytic_values() {
    let (a, b) = (7.0, 0.1);
    let (first, total) = ishigami_analytic(a, b);
    // The rounded values quoted in the literature.
    let rounded = |x: [f64; 3]| x.map(|v| (v * 1e4).round() / 1e4);
    assert_eq!(rounded(first), [0.3139, 0.4424, 0.0]);
    assert_eq!(rounded(total), [0.5576, 0.4424, 0.2437]);

    let n = 1 << 13;
    let ys = outputs(n, 3, |u| {
        let x: Vec<f64> = u.iter().map(|u| -PI + 2.0 * PI * u).collect();
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    });
    let got = jansen(&ys, n, 3, 250, 7).unwrap();
    // With 2^12 to 2^14 base points every estimate is within 0.0015 of its exact value, and
    // over 50 bootstrap seeds every interval held the exact value with at least 0.005 to
    // spare; 0.01 leaves room without letting a biased estimator through.
    check(&got, &first, &total, 0.01);
}

/// A linear model in two of three inputs, uniform on [0, 1]: Var = (1² + 2²) / 12, so
/// S = ST = (1/5, 4/5, 0).
#[test]
fn linear_model_indices_are_the_variance_shares() {
    let n = 1 << 12;
    let ys = outputs(n, 3, |x| x[0] + 2.0 * x[1]);
    let got = jansen(&ys, n, 3, 200, 1).unwrap();
    check(&got, &[0.2, 0.8, 0.0], &[0.2, 0.8, 0.0], 0.01);
    // The dummy input never changes the output, so its total index is exactly 0.
    assert_eq!(got.total[2], 0.0);
}

/// Estimates within `tolerance` of the exact values, and every 95 % interval around its
/// estimate and containing the exact value.
fn check(got: &Indices, first: &[f64], total: &[f64], tolerance: f64) {
    for (name, est, ci, exact) in [("S", &got.first, &got.first_ci, first), ("ST", &got.total, &got.total_ci, total)] {
        for i in 0..exact.len() {
            let (lo, hi) = ci[i];
            println!("{name}{} = {:.4} [{lo:.4}, {hi:.4}], exact {:.4}", i + 1, est[i], exact[i]);
            assert!((est[i] - exact[i]).abs() < tolerance, "{name}{}: {} vs {}", i + 1, est[i], exact[i]);
            assert!(lo <= est[i] && est[i] <= hi, "{name}{}: {} outside [{lo}, {hi}]", i + 1, est[i]);
            assert!(lo <= exact[i] && exact[i] <= hi, "{name}{}: {} outside [{lo}, {hi}]", i + 1, exact[i]);
        }
    }
}

#[test]
fn wrong_lengths_and_bad_outputs_are_errors() {
    let ys = outputs(8, 2, |x| x[0] + x[1]);
    assert_eq!(ys.len(), 32);
    let err = jansen(&ys[..31], 8, 2, 10, 0).unwrap_err();
    assert!(err.contains("32") && err.contains("31"), "{err}");
    assert!(jansen(&ys, 8, 3, 10, 0).is_err());
    assert!(jansen(&ys, 16, 2, 10, 0).is_err());
    assert!(jansen(&ys, 0, 2, 10, 0).is_err());
    assert!(jansen(&[], 0, 0, 10, 0).is_err());
    assert!(jansen(&ys, usize::MAX, 2, 10, 0).is_err());
    let mut bad = ys.clone();
    bad[5] = f64::NAN;
    assert!(jansen(&bad, 8, 2, 10, 0).unwrap_err().contains("output 5"));
    assert!(jansen(&ys, 8, 2, 10, 0).is_ok());
}

#[test]
fn constant_output_gives_nan_indices() {
    let n = 64;
    // 0.1 does not average back to itself in floating point: still exactly constant.
    let got = jansen(&vec![0.1; n * 5], n, 3, 50, 3).unwrap();
    for i in 0..3 {
        assert!(got.first[i].is_nan() && got.total[i].is_nan());
        assert!(got.first_ci[i].0.is_nan() && got.first_ci[i].1.is_nan());
        assert!(got.total_ci[i].0.is_nan() && got.total_ci[i].1.is_nan());
    }
}

#[test]
fn the_seed_fixes_the_intervals() {
    let n = 256;
    let ys = outputs(n, 3, |x| x[0] + 2.0 * x[1] * x[2]);
    let once = jansen(&ys, n, 3, 100, 42).unwrap();
    assert_eq!(once, jansen(&ys, n, 3, 100, 42).unwrap());
    let other = jansen(&ys, n, 3, 100, 43).unwrap();
    assert_eq!((&once.first, &once.total), (&other.first, &other.total));
    assert_ne!(once.first_ci, other.first_ci);
    let none = jansen(&ys, n, 3, 0, 42).unwrap();
    assert_eq!(none.first, once.first);
    assert!(none.first_ci.iter().chain(&none.total_ci).all(|(lo, hi)| lo.is_nan() && hi.is_nan()));
}
