//! What the ECS costs: one replicate with `plenary::sim` (bevy_ecs) against the reference
//! kernel on flat arrays (`plenary::reference`), which computes the same record.
//!
//! - `ecs/default`, `flat/default`: the default scenario, replicates 0..64 in turn.
//! - `ecs/<actors>x<issues>`, `flat/<actors>x<issues>`: synthetic scenarios of 10 to 10,000
//!   actors on 4 or 16 issues, one consensus forum of 10 rounds, ten blocs of a tenth of
//!   the actors each. Positions spread around each bloc's line; one actor in twenty holds
//!   out behind a red line, so that all 10 rounds are played (each size runs the first
//!   replicate that plays them all, found before measuring). The throughput is
//!   actors x issues x rounds, so criterion's "elem/s" gives the cost per actor, issue and
//!   round: linear growth shows as a constant throughput.
//!
//! `cargo bench --bench kernel -- --warm-up-time 1 --measurement-time 3`

use std::fmt::Write;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime};
use plenary::scenario::{self, Scenario};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::Normal;

const ROUNDS: u32 = 10;
const BLOCS: usize = 10;

/// A synthetic scenario of `actors` states on `issues` issues, through an actors table.
/// Each bloc has a line drawn on every issue; its members stand around it (sd 15 on a
/// 0..100 scale), with saliences 0.2..1, capabilities 0.5..5, flexibilities 0.2..0.8. One
/// actor in twenty is a holdout: on the first issue it stands at 0..10 with a red line
/// [0, 10], so that consensus fails and every round is played.
fn synthetic(actors: usize, issues: usize) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64((actors * 1000 + issues) as u64);
    let spread = Normal::new(0.0, 15.0).expect("a valid normal");
    let lines: Vec<Vec<f64>> =
        (0..BLOCS).map(|_| (0..issues).map(|_| rng.random_range(10.0..90.0)).collect()).collect();

    let mut table = String::from("id,name,blocs,capability,flexibility");
    for k in 0..issues {
        write!(table, ",position.i{k},salience.i{k}").unwrap();
    }
    table.push('\n');
    let mut red_lines = String::new();
    for a in 0..actors {
        let bloc = a % BLOCS;
        let capability = rng.random_range(0.5..5.0);
        let flexibility = rng.random_range(0.2..0.8);
        write!(table, "A{a},Actor {a},b{bloc},{capability},{flexibility}").unwrap();
        let holdout = a % 20 == 7;
        for (k, line) in lines[bloc].iter().enumerate() {
            let x: f64 = if holdout && k == 0 {
                rng.random_range(0.0..10.0)
            } else {
                (line + rng.sample(spread)).clamp(0.0, 100.0)
            };
            write!(table, ",{x},{}", rng.random_range(0.2..1.0)).unwrap();
        }
        table.push('\n');
        if holdout {
            writeln!(red_lines, "[[actor]]\nid = \"A{a}\"\nred_lines = {{ i0 = [0, 10] }}").unwrap();
        }
    }

    let mut text = String::from("[scenario]\nid = \"synthetic\"\nseed = 1\nactors_table = \"synthetic.csv\"\n");
    for k in 0..issues {
        writeln!(text, "[[issue]]\nid = \"i{k}\"\nstatus_quo = 20").unwrap();
    }
    for b in 0..BLOCS {
        writeln!(text, "[[bloc]]\nid = \"b{b}\"\ncohesion = {}", rng.random_range(0.2..0.9)).unwrap();
    }
    writeln!(text, "[[forum]]\nid = \"f\"\nvoting = [\"all\"]\ndecision = \"consensus\"\nrounds = {ROUNDS}").unwrap();
    text.push_str(&red_lines);
    scenario::from_text("synthetic.toml", &text, PathBuf::from("synthetic.toml"), |_| {
        Ok(("synthetic.csv".to_string(), table.clone()))
    })
    .unwrap_or_else(|problems| panic!("the synthetic scenario is invalid:\n{problems}"))
}

fn ecs_and_flat(
    c: &mut Criterion,
    name: &str,
    scenario: &Arc<Scenario>,
    replicates: Range<u64>,
    tune: impl Fn(&mut BenchmarkGroup<WallTime>),
) {
    let mut group = c.benchmark_group("ecs");
    tune(&mut group);
    let mut next = replicates.clone().cycle();
    group.bench_function(name, |b| {
        b.iter(|| {
            let r = next.next().expect("a replicate");
            plenary::sim::run_replicate(scenario, scenario.seed, r, false)
        })
    });
    group.finish();
    let mut group = c.benchmark_group("flat");
    tune(&mut group);
    let mut next = replicates.cycle();
    group.bench_function(name, |b| {
        b.iter(|| {
            let r = next.next().expect("a replicate");
            plenary::reference::run_replicate(scenario, scenario.seed, r)
        })
    });
    group.finish();
}

fn default_scenario(c: &mut Criterion) {
    let scenario = Arc::new(scenario::load_default().scenario);
    ecs_and_flat(c, "default", &scenario, 0..64, |_| {});
}

fn scaling(c: &mut Criterion) {
    for actors in [10, 100, 1_000, 10_000] {
        for issues in [4, 16] {
            let scenario = Arc::new(synthetic(actors, issues));
            // One replicate, the first that plays all 10 rounds, so that every iteration
            // does the same, full work.
            let r = (0..100)
                .find(|&r| {
                    plenary::reference::run_replicate(&scenario, scenario.seed, r).forums[0].rounds_used == ROUNDS
                })
                .unwrap_or_else(|| panic!("{actors}x{issues}: no replicate plays all {ROUNDS} rounds"));
            let work = (actors * issues) as u64 * ROUNDS as u64;
            ecs_and_flat(c, &format!("{actors}x{issues}"), &scenario, r..r + 1, |group| {
                group.throughput(Throughput::Elements(work));
                if actors >= 10_000 {
                    group.sample_size(10);
                }
            });
        }
    }
}

criterion_group!(benches, default_scenario, scaling);
criterion_main!(benches);
