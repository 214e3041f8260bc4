//! Sweep throughput at 1 and 2 threads (parallel efficiency), on 200 runs of the default
//! scenario, sweep.csv and summaries included.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use plenary::experiment::sweep::{SweepArgs, sweep};

fn throughput(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let default = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/oewg-to-global-mechanism.toml");
    let experiment = tmp.path().join("experiment.toml");
    std::fs::write(
        &experiment,
        format!(
            "[experiment]\nid = \"bench\"\nscenario = \"{}\"\nreplicates = 50\n\n[[vary]]\npath = \"bloc.EU.cohesion\"\nvalues = [0.2, 0.5, 0.8, 1.0]\n",
            default.display()
        ),
    )
    .expect("the experiment is written");
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Elements(200));
    for threads in [1, 2] {
        group.bench_function(format!("default-scenario/200-runs/{threads}-threads"), |b| {
            b.iter(|| {
                sweep(&SweepArgs {
                    experiment: experiment.clone(),
                    threads: Some(threads),
                    out: Some(tmp.path().join("out")),
                    force: true,
                    ..SweepArgs::default()
                })
                .expect("the sweep runs")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
