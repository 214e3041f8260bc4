//! The files of a sweep: points.csv (the design), sweep.csv (one row per run and forum),
//! summary.csv (per point and forum) and sensitivity.csv (Sobol indices). The summaries
//! are computed from sweep.csv itself, so a sweep resumed after an interruption, or merged
//! from shards, summarises exactly what an uninterrupted one would.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::Path;

use crate::Failure;
use crate::experiment::design::Design;
use crate::experiment::file::{DesignKind, Experiment, Measure};
use crate::experiment::sensitivity;

use super::stats::{Distribution, share_of_budget, wilson};
use super::tables::{RUN_COLUMNS, num};

/// sensitivity.csv, read back by name by the report.
pub const SENSITIVITY_COLUMNS: [&str; 9] = [
    "forum",
    "measure",
    "parameter",
    "first_order",
    "first_low",
    "first_high",
    "total_order",
    "total_low",
    "total_high",
];

/// Columns before the parameter values in sweep.csv.
const KEY_COLUMNS: [&str; 4] = ["run", "point", "replicate", "seed"];

pub fn sweep_header(design: &Design) -> Vec<String> {
    let mut header: Vec<String> = KEY_COLUMNS.map(String::from).to_vec();
    header.extend(design.knobs.iter().map(|k| k.path.clone()));
    header.extend(RUN_COLUMNS.map(String::from));
    header
}

fn io(what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::Io(format!("cannot write {what}: {e}"))
}

pub fn write_points(design: &Design, out: impl Write) -> Result<(), Failure> {
    let mut writer = csv::Writer::from_writer(out);
    let mut header = vec!["point".to_string()];
    if !design.matrix.is_empty() {
        header.push("matrix".into());
    }
    header.extend(design.knobs.iter().map(|k| k.path.clone()));
    writer.write_record(&header).map_err(|e| io("points.csv", e))?;
    for (p, point) in design.points.iter().enumerate() {
        let mut row = vec![p.to_string()];
        if let Some(label) = design.matrix.get(p) {
            row.push(label.clone());
        }
        row.extend(point.iter().map(|&x| num(x)));
        writer.write_record(&row).map_err(|e| io("points.csv", e))?;
    }
    writer.flush().map_err(|e| io("points.csv", e))
}

/// The value of a measure in one row of sweep.csv; `None` where it does not apply (the
/// adoption round of a failed forum).
fn value(measure: Measure, row: &csv::StringRecord, first: usize) -> Result<Option<f64>, String> {
    let column =
        first + 1 + RUN_COLUMNS[1..].iter().position(|c| *c == column_of(measure)).expect("every measure is a column");
    let cell = row.get(column).ok_or("a row of sweep.csv is too short")?;
    match cell {
        "" => Ok(None),
        "true" => Ok(Some(1.0)),
        "false" => Ok(Some(0.0)),
        text => text.parse().map(Some).map_err(|_| format!("`{text}` in sweep.csv is not a number")),
    }
}

fn column_of(measure: Measure) -> &'static str {
    match measure {
        Measure::Agreement => "adopted",
        other => other.name(),
    }
}

/// Per forum and measure, for one point.
struct PointStats {
    values: Vec<Vec<Distribution>>,
    successes: Vec<Vec<u64>>,
}

impl PointStats {
    fn new(forums: usize, measures: &[Measure], actors: usize, rounds: u32) -> Self {
        let limit = share_of_budget(forums * measures.len());
        PointStats {
            values: (0..forums)
                .map(|_| {
                    measures
                        .iter()
                        .map(|m| {
                            let (lo, hi) = m.range(actors, rounds);
                            Distribution::with_limit(lo, hi, limit)
                        })
                        .collect()
                })
                .collect(),
            successes: vec![vec![0; measures.len()]; forums],
        }
    }
}

/// The bootstrap's seed: apart from the master seed itself, whose streams the runs use.
fn bootstrap_seed(seed: u64) -> u64 {
    seed ^ 0x9E37_79B9_7F4A_7C15
}

/// Reads sweep.csv and writes summary.csv, and for a Sobol design sensitivity.csv.
pub fn summarise(
    experiment: &Experiment,
    design: &Design,
    sweep_csv: &Path,
    summary: impl Write,
    sensitivity_out: Option<impl Write>,
) -> Result<(), Failure> {
    let read_failure = |e: String| Failure::Io(format!("cannot read {}: {e}", sweep_csv.display()));
    let file = File::open(sweep_csv).map_err(|e| read_failure(e.to_string()))?;
    let mut reader = csv::Reader::from_reader(BufReader::with_capacity(1 << 16, file));
    let first = KEY_COLUMNS.len() + design.knobs.len();
    let forum_ids: Vec<&str> = experiment.forums.iter().map(|&f| experiment.scenario.forums[f].id.as_str()).collect();
    let measures = &experiment.measures;

    let mut writer = csv::Writer::from_writer(summary);
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(design.knobs.iter().map(|k| k.path.clone()));
    header.extend(["forum", "measure", "n", "mean", "sd", "q025", "q975", "ci_low", "ci_high"].map(String::from));
    writer.write_record(&header).map_err(|e| io("summary.csv", e))?;

    // Per forum and measure, each point's mean: the model output for sensitivity.
    let sobol = matches!(experiment.design, DesignKind::Sobol { .. });
    let mut outputs: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); measures.len()]; forum_ids.len()];

    let mut write_point = |point: usize, stats: &PointStats, writer: &mut csv::Writer<_>| -> Result<(), Failure> {
        let text = |x: Option<f64>| x.map_or_else(String::new, num);
        for (f, forum) in forum_ids.iter().enumerate() {
            for (m, measure) in measures.iter().enumerate() {
                let d = &stats.values[f][m];
                let mut row = vec![point.to_string()];
                row.extend(design.points[point].iter().map(|&x| num(x)));
                row.extend([forum.to_string(), measure.name().to_string(), d.count().to_string(), text(d.mean())]);
                if measure.is_rate() {
                    let ci = wilson(stats.successes[f][m], d.count());
                    row.extend([
                        String::new(),
                        String::new(),
                        String::new(),
                        text(ci.map(|c| c.0)),
                        text(ci.map(|c| c.1)),
                    ]);
                } else {
                    row.extend([
                        text(d.sd()),
                        text(d.quantile(0.025)),
                        text(d.quantile(0.975)),
                        String::new(),
                        String::new(),
                    ]);
                }
                writer.write_record(&row).map_err(|e| io("summary.csv", e))?;
                if sobol {
                    outputs[f][m].push(d.mean().unwrap_or(f64::NAN));
                }
            }
        }
        Ok(())
    };

    let max_rounds = experiment.scenario.forums.iter().map(|f| f.rounds).max().unwrap_or(1);
    let mut current: Option<(usize, PointStats)> = None;
    for row in reader.records() {
        let row = row.map_err(|e| read_failure(e.to_string()))?;
        let point: usize = row
            .get(1)
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| read_failure("a row without a point number".into()))?;
        let Some(f) = row.get(first).and_then(|forum| forum_ids.iter().position(|id| *id == forum)) else { continue };
        if current.as_ref().is_none_or(|(p, _)| *p != point) {
            if let Some((p, stats)) = current.take() {
                write_point(p, &stats, &mut writer)?;
            }
            current =
                Some((point, PointStats::new(forum_ids.len(), measures, experiment.scenario.actors.len(), max_rounds)));
        }
        let (_, stats) = current.as_mut().expect("just set");
        for (m, &measure) in measures.iter().enumerate() {
            if let Some(x) = value(measure, &row, first).map_err(read_failure)? {
                stats.values[f][m].add(x);
                stats.successes[f][m] += u64::from(x == 1.0);
            }
        }
    }
    if let Some((p, stats)) = current.take() {
        write_point(p, &stats, &mut writer)?;
    }
    writer.flush().map_err(|e| io("summary.csv", e))?;

    if let (DesignKind::Sobol { samples, bootstrap }, Some(out)) = (&experiment.design, sensitivity_out) {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(SENSITIVITY_COLUMNS).map_err(|e| io("sensitivity.csv", e))?;
        let k = design.knobs.len();
        for (f, forum) in forum_ids.iter().enumerate() {
            for (m, measure) in measures.iter().enumerate() {
                let y = &outputs[f][m];
                // A measure undefined at some point (no adoption, so no adoption round)
                // has no variance decomposition.
                let indices = if y.iter().any(|v| v.is_nan()) {
                    None
                } else {
                    sensitivity::jansen(y, *samples as usize, k, *bootstrap as usize, bootstrap_seed(experiment.seed))
                        .ok()
                };
                for (i, knob) in design.knobs.iter().enumerate() {
                    let cell = |pick: &dyn Fn(&sensitivity::Indices) -> f64| {
                        indices.as_ref().map_or_else(String::new, |ix| num(pick(ix)))
                    };
                    writer
                        .write_record([
                            forum.to_string(),
                            measure.name().to_string(),
                            knob.path.clone(),
                            cell(&|ix| ix.first[i]),
                            cell(&|ix| ix.first_ci[i].0),
                            cell(&|ix| ix.first_ci[i].1),
                            cell(&|ix| ix.total[i]),
                            cell(&|ix| ix.total_ci[i].0),
                            cell(&|ix| ix.total_ci[i].1),
                        ])
                        .map_err(|e| io("sensitivity.csv", e))?;
                }
            }
        }
        writer.flush().map_err(|e| io("sensitivity.csv", e))?;
    }
    Ok(())
}

/// What a finished sweep found, for the terminal: per forum, the points of lowest and
/// highest agreement (the mean gain for the forecast models, which adopt nothing), read
/// back from summary.csv. None for a shard, which has no summary.
pub fn findings(folder: &Path) -> Option<String> {
    let mut reader = csv::Reader::from_path(folder.join("summary.csv")).ok()?;
    let header: Vec<String> = reader.headers().ok()?.iter().map(String::from).collect();
    let at = |name: &str| header.iter().position(|h| h == name);
    let (forum, measure, mean) = (at("forum")?, at("measure")?, at("mean")?);
    let knobs = 1..forum;
    // Per forum, in order of appearance: (measure, lowest, highest), each (mean, point's values).
    type Extreme = (f64, String);
    let mut found: Vec<(String, &str, Extreme, Extreme)> = Vec::new();
    for record in reader.records() {
        let record = record.ok()?;
        let which = match &record[measure] {
            "agreement" => "agreement",
            "mean_gain" => "mean gain",
            _ => continue,
        };
        let Ok(value) = record[mean].parse::<f64>() else { continue };
        let point: Vec<String> = knobs.clone().map(|k| format!("{} {}", header[k], &record[k])).collect();
        let point = point.join(", ");
        match found.iter_mut().find(|f| f.0 == record[forum]) {
            // Agreement, when a forum has it, is what is reported.
            Some(f) if f.1 == "mean gain" && which == "agreement" => {
                *f = (f.0.clone(), which, (value, point.clone()), (value, point));
            }
            Some(f) if f.1 == which => {
                if value < f.2.0 {
                    f.2 = (value, point.clone());
                }
                if value > f.3.0 {
                    f.3 = (value, point);
                }
            }
            Some(_) => {}
            None => found.push((record[forum].to_string(), which, (value, point.clone()), (value, point))),
        }
    }
    let shown = |which: &str, x: f64| {
        if which == "agreement" { format!("{:.0}%", x * 100.0) } else { format!("{x:.2}") }
    };
    let mut out = String::from("What it found (summary.csv has every point; `plenary report` draws them):\n");
    for (forum, which, low, high) in &found {
        out.push_str(&format!(
            "  {forum}: {which} from {} ({}) to {} ({})\n",
            shown(which, low.0),
            low.1,
            shown(which, high.0),
            high.1
        ));
    }
    (!found.is_empty()).then_some(out)
}
