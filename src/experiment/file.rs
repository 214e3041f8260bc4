//! Experiment files: a base scenario, a master seed, replicates per point, the parameters
//! to vary and how, and what to summarise. Read and checked with the same care as
//! scenarios: every problem with its file, line, column and a hint, before anything runs.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::de::DeTable;

use super::paths::Knob;
use super::sensitivity;
use crate::diagnostic::{Problem, Problems, SourceFile, suggestion};
use crate::scenario::{self, Scenario};
use crate::toml_fields::{At, Fields, Sink};

/// A per-run measure, named as its column in runs.csv and sweep.csv.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Agreement,
    AdoptionRound,
    RoundsUsed,
    FallbackUsed,
    MeanGain,
    MinGain,
    ShareBetterOff,
    ObjectorsEnd,
    DistanceFromCompromise,
}

impl Measure {
    pub const ALL: [Measure; 9] = [
        Measure::Agreement,
        Measure::AdoptionRound,
        Measure::RoundsUsed,
        Measure::FallbackUsed,
        Measure::MeanGain,
        Measure::MinGain,
        Measure::ShareBetterOff,
        Measure::ObjectorsEnd,
        Measure::DistanceFromCompromise,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Measure::Agreement => "agreement",
            Measure::AdoptionRound => "adoption_round",
            Measure::RoundsUsed => "rounds_used",
            Measure::FallbackUsed => "fallback_used",
            Measure::MeanGain => "mean_gain",
            Measure::MinGain => "min_gain",
            Measure::ShareBetterOff => "share_better_off",
            Measure::ObjectorsEnd => "objectors_end",
            Measure::DistanceFromCompromise => "distance_from_compromise",
        }
    }

    /// The values the measure can take in a scenario with `actors` actors whose forums
    /// meet at most `rounds` times (or as often as a sweep of rounds allows).
    pub fn range(self, actors: usize, rounds: u32) -> (f64, f64) {
        match self {
            Measure::Agreement | Measure::FallbackUsed | Measure::ShareBetterOff => (0.0, 1.0),
            Measure::AdoptionRound | Measure::RoundsUsed => (1.0, super::paths::MAX_SWEPT_ROUNDS.max(rounds as f64)),
            Measure::MeanGain | Measure::MinGain => (-1.0, 1.0),
            Measure::ObjectorsEnd => (0.0, actors as f64),
            Measure::DistanceFromCompromise => (0.0, 100.0),
        }
    }

    /// A proportion (reported with a Wilson interval) rather than a quantity.
    pub fn is_rate(self) -> bool {
        matches!(self, Measure::Agreement | Measure::FallbackUsed)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum DesignKind {
    /// Every combination of the listed values.
    Grid,
    /// `samples` points drawn uniformly from the ranges.
    Random { samples: u64 },
    /// `samples` points, one in each of `samples` strata of every range.
    LatinHypercube { samples: u64 },
    /// Saltelli's scheme on a Sobol sequence: `samples` (k + 2) points, for sensitivity
    /// indices with `bootstrap` resamples for their intervals.
    Sobol { samples: u64, bootstrap: u64 },
}

impl DesignKind {
    pub const NAMES: [&'static str; 4] = ["grid", "random", "latin-hypercube", "sobol"];

    pub fn name(&self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::Random { .. } => "random",
            DesignKind::LatinHypercube { .. } => "latin-hypercube",
            DesignKind::Sobol { .. } => "sobol",
        }
    }
}

/// How one parameter varies.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    List(Vec<f64>),
    Range { lo: f64, hi: f64, steps: Option<u64> },
}

#[derive(Clone, Debug)]
pub struct Varied {
    pub knob: Knob,
    pub values: Values,
}

pub struct Experiment {
    pub id: String,
    pub source: PathBuf,
    pub text: String,
    pub scenario: Scenario,
    pub scenario_text: String,
    pub seed: u64,
    pub replicates: u64,
    pub shards: u64,
    /// Forum indices summarised, in running order.
    pub forums: Vec<usize>,
    pub measures: Vec<Measure>,
    pub design: DesignKind,
    pub varied: Vec<Varied>,
}

/// Limits that keep a sweep's design in memory and its runs countable.
pub const MAX_POINTS: u64 = 10_000_000;
pub const MAX_RUNS: u64 = 10_000_000_000;
/// Points x varied parameters: the design is held in memory (160 MB at this limit).
pub const MAX_DESIGN_VALUES: u64 = 20_000_000;
const MAX_BOOTSTRAP: u64 = 100_000;
/// Saltelli's scheme needs two dimensions of the Sobol table per parameter.
const MAX_SOBOL_PARAMETERS: usize = sensitivity::MAX_DIMS / 2;

pub fn load(path: &Path) -> Result<Experiment, Problems> {
    let name = path.display().to_string();
    let text = crate::input::read_text(path, crate::scenario::limits::MAX_EXPERIMENT_BYTES, "experiment file")
        .map_err(|refused| {
            let file = SourceFile::new(&name, "");
            Problems(vec![Problem::new(&file, 0..0, refused.message).help(refused.help)])
        })?;
    let file = SourceFile::new(&name, text.clone());
    let mut sink = Sink::new(file.clone());
    let (document, errors) = DeTable::parse_recoverable(&file.text);
    for error in &errors {
        sink.report(error.span().unwrap_or(0..0), format!("TOML syntax: {}", error.message().trim()))
            .with_label("here")
            .with_help("see docs/experiments.md for the syntax of each key");
    }
    if !errors.is_empty() {
        return Err(Problems(sink.problems).sorted());
    }
    if document.get_ref().contains_key("scenario") && !document.get_ref().contains_key("experiment") {
        sink.report(0..0, "this is a scenario file, not an experiment").with_label("a [scenario] table").with_help(
            "run it with `plenary run FILE`; `plenary sweep` takes an experiment file (docs/experiments.md)",
        );
        return Err(Problems(sink.problems));
    }
    let mut top = Fields::new(document.get_ref(), document.span(), "the top level of the file");

    let mut meta = top.table(&mut sink, "experiment");
    let mut id = None;
    let (mut scenario_path, mut seed, mut replicates, mut shards, mut forums, mut measures) =
        (None, None, None, None, None, None);
    match &mut meta {
        Some(meta) => {
            meta.rename("[experiment]");
            id = meta.required_string(&mut sink, "id", "\"my-sweep\"");
            scenario_path = meta.required_string(&mut sink, "scenario", "\"../oewg-to-global-mechanism.toml\"");
            seed = meta.integer(&mut sink, "seed");
            replicates = meta.integer(&mut sink, "replicates");
            shards = meta.integer(&mut sink, "shards");
            forums = meta.strings(&mut sink, "forums");
            measures = meta.strings(&mut sink, "measures");
        }
        None => {
            sink.report(0..0, "the file has no [experiment] table").with_label("expected [experiment] here").with_help(
                "start the file with\n[experiment]\nid = \"my-sweep\"\nscenario = \"path/to/scenario.toml\"",
            );
        }
    }
    if let Some(meta) = meta {
        meta.finish(&mut sink);
    }

    let mut design_kind = None;
    let (mut samples, mut bootstrap) = (None, None);
    let design_span;
    match top.table(&mut sink, "design") {
        Some(mut design) => {
            design.rename("[design]");
            design_span = design.span.clone();
            design_kind = design.required_string(&mut sink, "kind", "\"grid\"");
            samples = design.integer(&mut sink, "samples");
            bootstrap = design.integer(&mut sink, "bootstrap");
            design.finish(&mut sink);
        }
        None => design_span = 0..0,
    }

    struct RawVary {
        span: std::ops::Range<usize>,
        path: Option<At<String>>,
        values: Option<At<Vec<f64>>>,
        range: Option<At<(f64, f64)>>,
        steps: Option<At<i64>>,
    }
    let mut raw_varied = Vec::new();
    for mut vary in top.tables(&mut sink, "vary") {
        let path = vary.required_string(&mut sink, "path", "\"parameters.stakeholder_weight\"");
        if let Some(p) = &path {
            vary.rename(format!("[[vary]] `{}`", p.value));
        }
        let values = vary.numbers(&mut sink, "values");
        let range = vary.pair(&mut sink, "range");
        let steps = vary.integer(&mut sink, "steps");
        raw_varied.push(RawVary { span: vary.span.clone(), path, values, range, steps });
        vary.finish(&mut sink);
    }
    top.finish(&mut sink);

    // The base scenario, relative to the experiment file.
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut problems = sink.problems;
    let report = |problems: &mut Vec<Problem>, span: std::ops::Range<usize>, message: String, help: String| {
        problems.push(Problem::new(&file, span, message).help(help));
    };
    let loaded = match &scenario_path {
        Some(p) => match scenario::load(&base.join(&p.value)) {
            Ok(loaded) => Some(loaded),
            Err(Problems(found)) => {
                let unreadable = found.iter().any(|f| f.file.text.is_empty() && f.message.starts_with("cannot read"));
                if unreadable {
                    report(
                        &mut problems,
                        p.span.clone(),
                        format!("cannot read the scenario `{}`", p.value),
                        "the path is relative to the folder of the experiment file".into(),
                    );
                } else {
                    problems.extend(found);
                }
                None
            }
        },
        None => None,
    };

    if let Some(id) = &id
        && !crate::scenario::is_valid_id(&id.value)
    {
        report(
            &mut problems,
            id.span.clone(),
            format!("`{}` is not a valid experiment id", id.value),
            "the id names the results folder: use letters, digits, `-`, `_` or `.` (not first), no spaces".into(),
        );
    }
    let positive = |problems: &mut Vec<Problem>, value: &Option<At<i64>>, key: &str, default: u64, max: u64| -> u64 {
        match value {
            Some(v) if v.value < 1 || v.value as u64 > max => {
                problems.push(
                    Problem::new(&file, v.span.clone(), format!("`{key}` is {}, outside 1..{max}", v.value))
                        .help(format!("use a whole number from 1 to {max}")),
                );
                default
            }
            Some(v) => v.value as u64,
            None => default,
        }
    };
    // Per point at most as many as summaries keep exactly (output::stats).
    let replicates_n = positive(&mut problems, &replicates, "replicates", 10, 100_000);
    let shards_n = positive(&mut problems, &shards, "shards", 1, 100_000);
    let seed_n = match &seed {
        Some(s) if s.value < 0 => {
            report(
                &mut problems,
                s.span.clone(),
                "the seed must not be negative".into(),
                "use a whole number from 0".into(),
            );
            0
        }
        Some(s) => s.value as u64,
        None => 1,
    };

    let design = match design_kind.as_ref().map(|k| k.value.as_str()) {
        None if design_span == (0..0) => Some(DesignKind::Grid),
        None => None,
        Some("grid") => Some(DesignKind::Grid),
        Some(kind @ ("random" | "latin-hypercube" | "sobol")) => {
            let n = match &samples {
                Some(s) if s.value >= 1 && (s.value as u64) <= MAX_POINTS => Some(s.value as u64),
                Some(s) => {
                    report(
                        &mut problems,
                        s.span.clone(),
                        format!("`samples` is {}, outside 1..{MAX_POINTS}", s.value),
                        "use a positive whole number".into(),
                    );
                    None
                }
                None => {
                    report(
                        &mut problems,
                        design_span.clone(),
                        format!("a {kind} design needs `samples`"),
                        "add e.g. `samples = 64`".into(),
                    );
                    None
                }
            };
            let resamples = match &bootstrap {
                Some(b) if kind != "sobol" => {
                    report(
                        &mut problems,
                        b.span.clone(),
                        format!("`bootstrap` has no meaning for a {kind} design"),
                        "remove it; it sets the resamples of a sobol design".into(),
                    );
                    0
                }
                Some(b) if b.value < 1 || b.value as u64 > MAX_BOOTSTRAP => {
                    report(
                        &mut problems,
                        b.span.clone(),
                        format!("`bootstrap` is {}, outside 1..{MAX_BOOTSTRAP}", b.value),
                        "1000 resamples is usual".into(),
                    );
                    1000
                }
                Some(b) => b.value as u64,
                None => 1000,
            };
            n.map(|samples| match kind {
                "random" => DesignKind::Random { samples },
                "latin-hypercube" => DesignKind::LatinHypercube { samples },
                _ => DesignKind::Sobol { samples, bootstrap: resamples },
            })
        }
        Some(other) => {
            let help = suggestion(other, DesignKind::NAMES)
                .unwrap_or_else(|| format!("the designs are {}", DesignKind::NAMES.join(", ")));
            let span = design_kind.as_ref().map_or(0..0, |k| k.span.clone());
            report(&mut problems, span, format!("unknown design `{other}`"), help);
            None
        }
    };
    if matches!(design, Some(DesignKind::Grid))
        && let Some(s) = &samples
    {
        report(
            &mut problems,
            s.span.clone(),
            "`samples` has no meaning for a grid design".into(),
            "a grid takes every combination of the listed values; remove `samples`".into(),
        );
    }

    if let (Some(DesignKind::Sobol { .. }), Some(extra)) = (&design, raw_varied.get(MAX_SOBOL_PARAMETERS)) {
        report(
            &mut problems,
            extra.span.clone(),
            format!(
                "a sobol design varies at most {MAX_SOBOL_PARAMETERS} parameters; this is number {}",
                MAX_SOBOL_PARAMETERS + 1
            ),
            "the Sobol sequence's table has 64 dimensions, two per parameter; vary fewer, or use latin-hypercube"
                .into(),
        );
    }
    let mut varied = Vec::new();
    if raw_varied.is_empty() && problems.is_empty() {
        report(
            &mut problems,
            0..0,
            "the experiment varies nothing".into(),
            "add a [[vary]] table with a `path` and `values` or `range`".into(),
        );
    }
    if let Some(loaded) = &loaded {
        for raw in &raw_varied {
            let Some(path) = &raw.path else { continue };
            if varied.iter().any(|v: &Varied| v.knob.path == path.value) {
                report(
                    &mut problems,
                    path.span.clone(),
                    format!("`{}` is varied twice", path.value),
                    "vary each parameter in one [[vary]] table".into(),
                );
                continue;
            }
            let knob = match Knob::resolve(&loaded.scenario, &path.value) {
                Ok(knob) => knob,
                Err(e) => {
                    report(&mut problems, path.span.clone(), e.message, e.help);
                    continue;
                }
            };
            let check = |problems: &mut Vec<Problem>, x: f64, span: &std::ops::Range<usize>| {
                if !knob.admits(x) {
                    problems.push(
                        Problem::new(
                            &file,
                            span.clone(),
                            format!("{x} is outside the values `{}` admits, {}", knob.path, knob.range_text()),
                        )
                        .label("out of range")
                        .help("choose values within that range"),
                    );
                }
            };
            let sampled = !matches!(design, Some(DesignKind::Grid) | None);
            let values = match (&raw.values, &raw.range, &raw.steps) {
                (Some(list), None, None) if !sampled => {
                    if list.value.is_empty() {
                        report(
                            &mut problems,
                            list.span.clone(),
                            "an empty list of values".into(),
                            "list at least one value".into(),
                        );
                    }
                    for x in &list.value {
                        check(&mut problems, *x, &list.span);
                    }
                    Values::List(list.value.clone())
                }
                (None, Some(range), steps) => {
                    let (lo, hi) = range.value;
                    check(&mut problems, lo, &range.span);
                    check(&mut problems, hi, &range.span);
                    if lo >= hi {
                        report(
                            &mut problems,
                            range.span.clone(),
                            format!("the range [{lo}, {hi}] is empty"),
                            "write [low, high] with low < high".into(),
                        );
                    }
                    let steps = match steps {
                        Some(s) if sampled => {
                            report(
                                &mut problems,
                                s.span.clone(),
                                "`steps` has no meaning for a sampling design".into(),
                                "remove it: the design decides where the points fall".into(),
                            );
                            None
                        }
                        Some(s) if s.value < 2 || s.value as u64 > MAX_POINTS => {
                            report(
                                &mut problems,
                                s.span.clone(),
                                format!("`steps` is {}, it needs at least 2", s.value),
                                "steps counts the values from low to high, both included".into(),
                            );
                            None
                        }
                        Some(s) => {
                            let n = s.value as u64;
                            let whole =
                                (0..n).all(|i| (lo + (hi - lo) * i as f64 / (n - 1) as f64).fract().abs() < 1e-9);
                            if knob.integer && !whole {
                                report(
                                    &mut problems,
                                    s.span.clone(),
                                    format!(
                                        "{n} steps from {lo} to {hi} fall between whole numbers, and `{}` takes whole numbers",
                                        knob.path
                                    ),
                                    "choose steps so that every value is whole, or list the values".into(),
                                );
                            }
                            Some(n)
                        }
                        None if !sampled => {
                            report(
                                &mut problems,
                                range.span.clone(),
                                "a range in a grid needs `steps`".into(),
                                "add e.g. `steps = 5` for five evenly spaced values, or list them in `values`".into(),
                            );
                            None
                        }
                        None => None,
                    };
                    if knob.integer && sampled {
                        // Sampled values of a whole-number parameter are rounded; the range
                        // ends must then be whole numbers themselves.
                        if lo.fract() != 0.0 || hi.fract() != 0.0 {
                            report(
                                &mut problems,
                                range.span.clone(),
                                format!("`{}` takes whole numbers; the range ends must be whole", knob.path),
                                "write e.g. range = [5, 15]".into(),
                            );
                        }
                    }
                    Values::Range { lo, hi, steps }
                }
                (Some(list), _, _) if sampled => {
                    report(
                        &mut problems,
                        list.span.clone(),
                        "a sampling design draws from a `range`, not from listed `values`".into(),
                        "write range = [low, high], or use kind = \"grid\"".into(),
                    );
                    continue;
                }
                _ => {
                    report(
                        &mut problems,
                        raw.span.clone(),
                        format!("`{}` needs either `values` or `range` (with `steps` in a grid)", path.value),
                        "e.g. values = [0, 0.1, 0.2] or range = [0, 1]".into(),
                    );
                    continue;
                }
            };
            varied.push(Varied { knob, values });
        }
    }

    let forum_ids: Vec<usize> = match (&loaded, &forums) {
        (Some(l), Some(list)) => list
            .value
            .iter()
            .filter_map(|f| {
                let found = l.scenario.forum_index(&f.value);
                if found.is_none() {
                    let ids: Vec<&str> = l.scenario.forums.iter().map(|f| f.id.as_str()).collect();
                    let help = suggestion(&f.value, ids.iter().copied())
                        .unwrap_or_else(|| format!("the forums are {}", ids.join(", ")));
                    problems.push(
                        Problem::new(&file, f.span.clone(), format!("the scenario has no forum `{}`", f.value))
                            .help(help),
                    );
                }
                found
            })
            .collect(),
        (Some(l), None) => l.scenario.forum_order.clone(),
        _ => Vec::new(),
    };
    let measure_list: Vec<Measure> = match &measures {
        Some(list) => list
            .value
            .iter()
            .filter_map(|m| {
                let found = Measure::ALL.into_iter().find(|x| x.name() == m.value);
                if found.is_none() {
                    let help = suggestion(&m.value, Measure::ALL.map(Measure::name))
                        .unwrap_or_else(|| format!("the measures are {}", Measure::ALL.map(Measure::name).join(", ")));
                    problems
                        .push(Problem::new(&file, m.span.clone(), format!("unknown measure `{}`", m.value)).help(help));
                }
                found
            })
            .collect(),
        None => Measure::ALL.to_vec(),
    };

    if !problems.is_empty() {
        return Err(Problems(problems).sorted());
    }
    let loaded = loaded.expect("no problems, so the scenario loaded");
    let experiment = Experiment {
        id: id.map(|i| i.value).unwrap_or_default(),
        source: path.to_path_buf(),
        text,
        scenario: loaded.scenario,
        scenario_text: loaded.text,
        seed: seed_n,
        replicates: replicates_n,
        shards: shards_n,
        forums: forum_ids,
        measures: measure_list,
        design: design.expect("no problems, so the design is known"),
        varied,
    };
    let points = super::design::count(&experiment);
    let values = points.saturating_mul(experiment.varied.len() as u64);
    if points > MAX_POINTS || values > MAX_DESIGN_VALUES || points.saturating_mul(experiment.replicates) > MAX_RUNS {
        let file = Arc::clone(&file);
        return Err(Problems(vec![Problem::new(&file, 0..0, format!("the design has {points} points of {} values each, x {} replicates: {} point values and {} runs; plenary runs at most {MAX_POINTS} points, {MAX_DESIGN_VALUES} point values and {MAX_RUNS} runs in one sweep", experiment.varied.len(), experiment.replicates, values, points.saturating_mul(experiment.replicates))).help("use fewer values or samples, fewer varied parameters, or fewer replicates per point")]));
    }
    Ok(experiment)
}
