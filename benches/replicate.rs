//! The speed figures of BENCHMARKS.md: one replicate of the default scenario on one core,
//! and a whole run of 1,000 replicates on two threads, CSV included.

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use plenary::commands::{RunArgs, run};
use plenary::sim::run_replicate;

fn one_replicate(c: &mut Criterion) {
    let scenario = Arc::new(plenary::scenario::load_default().scenario);
    let mut replicate = 0;
    c.bench_function("replicate/default-scenario", |b| {
        b.iter(|| {
            replicate += 1;
            run_replicate(&scenario, scenario.seed, replicate, false)
        })
    });
}

fn thousand_replicates(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("run");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.bench_function("default-scenario/1000-replicates/2-threads", |b| {
        b.iter(|| {
            run(&RunArgs {
                replicates: Some(1000),
                threads: Some(2),
                out: Some(tmp.path().join("out")),
                force: true,
                ..RunArgs::default()
            })
            .expect("the default scenario runs")
        })
    });
    group.finish();
}

criterion_group!(benches, one_replicate, thousand_replicates);
criterion_main!(benches);
