//! `plenary backtest FILE`: models scored against observed outcomes.
//!
//! A file gives issues with actors' positions and saliences (0..100), optionally their
//! capabilities, the status quo if known, and the outcome observed. Every predictor
//! predicts every issue it can; the error is prediction minus outcome, on the 0..100 scale.
//! A predictor is one entry of `Predictor`: the static ones are plain functions of an
//! issue's row, the simulated ones play each case as a scenario (`chair`).

mod chair;
mod read;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Failure;
use crate::scenario::Model;

pub use chair::case_scenario;
pub use read::read;

/// Replicates and seed of the simulated models unless given on the command line.
pub const DEFAULT_REPLICATES: u64 = 100;
pub const DEFAULT_SEED: u64 = 1;
/// An issue is predicted "within 10" when |prediction - outcome| <= this.
pub const WITHIN: f64 = 10.0;

/// The layouts `plenary backtest` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// plenary's own CSV: `case,issue,outcome,status_quo,position.<actor>,salience.<actor>[,capability.<actor>]`.
    Plenary,
    /// DEU III as prepared by blksv/predictioneers_game: tab-separated, `p<actor>`,
    /// `s<actor>`, `rp`, `out`, row 2 a weight per actor.
    Deu,
}

impl Layout {
    pub const NAMES: [&'static str; 2] = ["plenary", "deu"];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "plenary" => Some(Layout::Plenary),
            "deu" => Some(Layout::Deu),
            _ => None,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Layout::Plenary => "plenary's backtest layout (CSV)",
            Layout::Deu => "the DEU III layout (tab-separated)",
        }
    }
}

/// A backtest file as read: the issues with an observed outcome, in file order.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// The file's name as given.
    pub source: String,
    pub layout: Layout,
    pub actors: Vec<String>,
    /// Capabilities were given (plenary: `capability.<actor>` columns; DEU: the weights row).
    pub has_capabilities: bool,
    pub issues: Vec<IssueRow>,
    /// Lines of the rows skipped because they have no observed outcome.
    pub no_outcome: Vec<usize>,
    /// DEU: positions without a recorded salience, which weigh 0 in the compromise model.
    pub unweighted_positions: usize,
}

/// One issue with its observed outcome; vectors per actor, in `Dataset::actors` order.
#[derive(Clone, Debug)]
pub struct IssueRow {
    pub case: String,
    pub issue: String,
    /// 1-based line in the file.
    pub line: usize,
    pub outcome: f64,
    pub status_quo: Option<f64>,
    /// None: the actor has no recorded position on this issue.
    pub positions: Vec<Option<f64>>,
    /// 0..100; 0 where none is recorded.
    pub saliences: Vec<f64>,
    /// Above 0; 1 where the file gives none.
    pub capabilities: Vec<f64>,
}

impl Dataset {
    /// The cases in order of first appearance, each with the indices of its issue rows.
    pub fn cases(&self) -> Vec<(&str, Vec<usize>)> {
        let mut cases: Vec<(&str, Vec<usize>)> = Vec::new();
        let mut index = std::collections::BTreeMap::new();
        for (r, row) in self.issues.iter().enumerate() {
            let i = *index.entry(row.case.as_str()).or_insert_with(|| {
                cases.push((row.case.as_str(), Vec::new()));
                cases.len() - 1
            });
            cases[i].1.push(r);
        }
        cases
    }
}

/// Why a predictor has no prediction for an issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Miss {
    /// The issue has no known status quo.
    NoStatusQuo,
    /// No actor has a position on the issue (in its case, for simulated models).
    NoPosition,
    /// Every actor with a position has weight 0: salience 0, or none recorded.
    NoWeight,
}

impl Miss {
    pub fn reason(self) -> &'static str {
        match self {
            Miss::NoStatusQuo => "without a status quo",
            Miss::NoPosition => "without any position",
            Miss::NoWeight => "where every actor with a position has salience 0",
        }
    }
}

/// The weights of the compromise model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weighting {
    /// Salience alone (every capability taken as 1).
    Salience,
    /// Salience times capability (DEU: GDP).
    SalienceCapability,
}

/// A model or baseline scored by the backtest. Adding one is one variant here and its
/// arms in `id`, `label` and `predict`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Predictor {
    /// Weighted mean of the positions (Achen 2006), the round-1 draft of the chair model.
    Compromise(Weighting),
    /// Plain median of the positions recorded.
    Median,
    /// Nothing changes: the status quo (DEU: the reference point).
    StatusQuo,
    /// A model of `plenary run` (the chair's by default), each case played as a scenario
    /// (`chair.rs`).
    Simulated(Model),
}

/// What the simulated predictors need.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub seed: u64,
    pub replicates: u64,
}

impl Predictor {
    /// The name in the CSV written by `--out`.
    pub fn id(self) -> &'static str {
        match self {
            Predictor::Compromise(Weighting::Salience) => "compromise_salience",
            Predictor::Compromise(Weighting::SalienceCapability) => "compromise_salience_capability",
            Predictor::Median => "median",
            Predictor::StatusQuo => "status_quo",
            Predictor::Simulated(model) => model.name(),
        }
    }

    /// The name in the terminal table.
    pub fn label(self, settings: &Settings) -> String {
        match self {
            Predictor::Compromise(Weighting::Salience) => "compromise (salience)".into(),
            Predictor::Compromise(Weighting::SalienceCapability) => "compromise (salience x capability)".into(),
            Predictor::Median => "median position".into(),
            Predictor::StatusQuo => "status quo".into(),
            Predictor::Simulated(model) if model.is_random() => {
                format!("{} ({} replicates, seed {})", model.name(), settings.replicates, settings.seed)
            }
            Predictor::Simulated(model) => format!("{} model", model.name()),
        }
    }

    /// A prediction for every issue of the dataset, in its order.
    pub fn predict(self, data: &Dataset, settings: &Settings) -> Vec<Result<f64, Miss>> {
        match self {
            Predictor::Compromise(weighting) => data.issues.iter().map(|row| compromise(row, weighting)).collect(),
            Predictor::Median => data.issues.iter().map(median_position).collect(),
            Predictor::StatusQuo => data.issues.iter().map(|row| row.status_quo.ok_or(Miss::NoStatusQuo)).collect(),
            Predictor::Simulated(model) => chair::predict(data, settings.seed, settings.replicates, model),
        }
    }
}

/// The predictors scored on a dataset: the salience x capability compromise only when
/// capabilities were given.
pub fn predictors(data: &Dataset) -> Vec<Predictor> {
    let mut list = vec![Predictor::Compromise(Weighting::Salience)];
    if data.has_capabilities {
        list.push(Predictor::Compromise(Weighting::SalienceCapability));
    }
    list.extend([Predictor::Median, Predictor::StatusQuo]);
    list.extend([Model::Chair, Model::ExchangeEqualGain, Model::ExpectedUtility].map(Predictor::Simulated));
    list
}

/// The compromise model: the mean of the recorded positions weighted by salience (times
/// capability). Actors without a position do not count, whatever their salience.
pub fn compromise(row: &IssueRow, weighting: Weighting) -> Result<f64, Miss> {
    let mut total = 0.0;
    let mut weights = 0.0;
    let mut any = false;
    for a in 0..row.positions.len() {
        let Some(x) = row.positions[a] else { continue };
        any = true;
        let w = match weighting {
            Weighting::Salience => row.saliences[a],
            Weighting::SalienceCapability => row.saliences[a] * row.capabilities[a],
        };
        total += w * x;
        weights += w;
    }
    if !any {
        Err(Miss::NoPosition)
    } else if weights > 0.0 {
        Ok(total / weights)
    } else {
        Err(Miss::NoWeight)
    }
}

/// The plain median of the recorded positions, salience 0 included (the convention that
/// gives DEU III's published baseline); with an even count, the mean of the middle two.
pub fn median_position(row: &IssueRow) -> Result<f64, Miss> {
    let mut xs: Vec<f64> = row.positions.iter().flatten().copied().collect();
    if xs.is_empty() {
        return Err(Miss::NoPosition);
    }
    xs.sort_by(f64::total_cmp);
    Ok(median_sorted(&xs))
}

fn median_sorted(xs: &[f64]) -> f64 {
    let n = xs.len();
    if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 }
}

/// The scores of one predictor over the issues it predicted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    pub issues: usize,
    pub mean_absolute_error: f64,
    pub median_absolute_error: f64,
    /// Share (0..1) of issues with |error| <= `WITHIN`.
    pub within: f64,
}

/// Metrics of absolute errors; None without any.
pub fn metrics(absolute_errors: &[f64]) -> Option<Metrics> {
    if absolute_errors.is_empty() {
        return None;
    }
    let mut sorted = absolute_errors.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    Some(Metrics {
        issues: sorted.len(),
        mean_absolute_error: sorted.iter().sum::<f64>() / n,
        median_absolute_error: median_sorted(&sorted),
        within: sorted.iter().filter(|&&e| e <= WITHIN).count() as f64 / n,
    })
}

/// A predictor's predictions and scores.
#[derive(Clone, Debug)]
pub struct Scored {
    pub predictor: Predictor,
    pub label: String,
    pub predictions: Vec<Result<f64, Miss>>,
    pub metrics: Option<Metrics>,
}

impl Scored {
    /// Issues not predicted, per reason.
    pub fn missed(&self) -> Vec<(Miss, usize)> {
        let mut counts = std::collections::BTreeMap::new();
        for miss in self.predictions.iter().filter_map(|p| p.err()) {
            *counts.entry(miss).or_insert(0) += 1;
        }
        counts.into_iter().collect()
    }
}

/// Every predictor of `predictors(data)`, scored.
pub fn score(data: &Dataset, settings: &Settings) -> Vec<Scored> {
    predictors(data)
        .into_iter()
        .map(|predictor| {
            let predictions = predictor.predict(data, settings);
            let errors: Vec<f64> = predictions
                .iter()
                .zip(&data.issues)
                .filter_map(|(p, row)| p.as_ref().ok().map(|x| (x - row.outcome).abs()))
                .collect();
            Scored { predictor, label: predictor.label(settings), metrics: metrics(&errors), predictions }
        })
        .collect()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn lines(lines: &[usize]) -> String {
    let shown: Vec<String> = lines.iter().take(10).map(usize::to_string).collect();
    let more = if lines.len() > 10 { format!(" and {} more", lines.len() - 10) } else { String::new() };
    format!("line{} {}{more}", if lines.len() == 1 { "" } else { "s" }, shown.join(", "))
}

/// What was read, the table of scores, and what was left out and why.
pub fn render(data: &Dataset, scored: &[Scored]) -> String {
    let mut out = String::new();
    let capabilities = match (data.has_capabilities, data.layout) {
        (false, _) => "no capabilities",
        (true, Layout::Deu) => "a weight per actor from row 2",
        (true, Layout::Plenary) => "capabilities given",
    };
    out.push_str(&format!(
        "Read {} as {}: {} in {}, {}, {capabilities}.\n",
        data.source,
        data.layout.describe(),
        plural(data.issues.len(), "issue with an outcome", "issues with an outcome"),
        plural(data.cases().len(), "case", "cases"),
        plural(data.actors.len(), "actor", "actors"),
    ));
    if !data.no_outcome.is_empty() {
        out.push_str(&format!(
            "Skipped {} without an observed outcome ({}).\n",
            plural(data.no_outcome.len(), "row", "rows"),
            lines(&data.no_outcome)
        ));
    }
    if data.unweighted_positions > 0 {
        out.push_str(&format!(
            "{} without a recorded salience {} 0 in the compromise model.\n",
            plural(data.unweighted_positions, "position", "positions"),
            if data.unweighted_positions == 1 { "weighs" } else { "weigh" }
        ));
    }
    let width = scored.iter().map(|s| s.label.len()).max().unwrap_or(5).max(5);
    out.push('\n');
    table(&mut out, width, scored.iter().map(|s| (s.label.as_str(), s.metrics)));
    let notes: Vec<String> = scored
        .iter()
        .filter_map(|s| {
            let missed = s.missed();
            (!missed.is_empty()).then(|| {
                let parts: Vec<String> = missed
                    .iter()
                    .map(|(miss, n)| format!("{} {}", plural(*n, "issue", "issues"), miss.reason()))
                    .collect();
                format!("  {}: {}", s.label, parts.join(", "))
            })
        })
        .collect();
    if !notes.is_empty() {
        out.push_str("Not predicted:\n");
        for note in notes {
            out.push_str(&note);
            out.push('\n');
        }
    }
    // Models that predict different issues are compared again on the issues all predict.
    let common: Vec<usize> =
        (0..data.issues.len()).filter(|&r| scored.iter().all(|s| s.predictions[r].is_ok())).collect();
    let all_same = scored.iter().all(|s| s.metrics.map_or(0, |m| m.issues) == common.len());
    if !common.is_empty() && !all_same {
        out.push_str(&format!("\nOn the {} every model predicts:\n", plural(common.len(), "issue", "issues")));
        let on_common = scored.iter().map(|s| {
            let errors: Vec<f64> = common
                .iter()
                .filter_map(|&r| s.predictions[r].as_ref().ok().map(|x| (x - data.issues[r].outcome).abs()))
                .collect();
            (s.label.as_str(), metrics(&errors))
        });
        table(&mut out, width, on_common);
    }
    out.push_str("Errors are |prediction - outcome| on the 0..100 scale; within 10: |error| <= 10.\n");
    out
}

fn table<'a>(out: &mut String, width: usize, rows: impl Iterator<Item = (&'a str, Option<Metrics>)>) {
    out.push_str(&format!(
        "{:<width$}  {:>6}  {:>6}  {:>9}  {:>9}\n",
        "model", "issues", "MAE", "median AE", "within 10"
    ));
    for (label, metrics) in rows {
        match metrics {
            Some(m) => out.push_str(&format!(
                "{label:<width$}  {:>6}  {:>6.2}  {:>9.2}  {:>8.1}%\n",
                m.issues,
                m.mean_absolute_error,
                m.median_absolute_error,
                m.within * 100.0
            )),
            None => out.push_str(&format!("{label:<width$}  {:>6}  {:>6}  {:>9}  {:>9}\n", 0, "-", "-", "-")),
        }
    }
}

/// What `plenary backtest` was asked to do.
#[derive(Clone, Debug)]
pub struct BacktestArgs {
    pub file: PathBuf,
    /// None: told from the header.
    pub layout: Option<Layout>,
    /// Write the per-issue predictions here (CSV).
    pub out: Option<PathBuf>,
    pub force: bool,
    pub seed: u64,
    pub replicates: u64,
}

/// What `plenary backtest` did.
pub struct BacktestReport {
    pub dataset: Dataset,
    pub scored: Vec<Scored>,
    /// The terminal report.
    pub text: String,
    pub written: Option<PathBuf>,
}

/// Reads the file, scores every predictor, and writes the predictions if asked.
pub fn backtest(args: &BacktestArgs) -> Result<BacktestReport, Failure> {
    let max = crate::scenario::limits::MAX_REPLICATES as u64;
    if args.replicates == 0 || args.replicates > max {
        return Err(Failure::Refused(format!(
            "--replicates {} is outside 1..{max}; nothing was run.\n  hint: the chair model's prediction is the mean over this many replicates (default {DEFAULT_REPLICATES})",
            args.replicates
        )));
    }
    if let Some(out) = &args.out {
        refuse_overwrite(out, args.force)?;
        let same = |a: &Path, b: &Path| a.canonicalize().ok().zip(b.canonicalize().ok()).is_some_and(|(a, b)| a == b);
        if same(out, &args.file) {
            return Err(Failure::Refused(format!(
                "--out {} is the file being read; nothing was written.\n  hint: write the predictions to another file",
                out.display()
            )));
        }
    }
    let name = args.file.display().to_string();
    let bytes = crate::input::read_bytes(&args.file, crate::scenario::limits::MAX_BACKTEST_BYTES, "backtest file")?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::Refused(format!("{name} is not UTF-8 text\n  hint: save it as UTF-8 (CSV or TSV)")))?;
    let dataset = read(&name, &text, args.layout)?;
    if dataset.issues.is_empty() {
        return Err(Failure::Refused(format!(
            "{name} has no issue with an observed outcome ({} skipped); nothing was scored.\n  hint: the outcome column (DEU: `out`) gives what was decided, 0 to 100",
            plural(dataset.no_outcome.len(), "row", "rows")
        )));
    }
    let settings = Settings { seed: crate::scenario::limits::check_seed(args.seed)?, replicates: args.replicates };
    let scored = score(&dataset, &settings);
    let mut text = render(&dataset, &scored);
    if let Some(out) = &args.out {
        write_predictions(out, args.force, &dataset, &scored)?;
        text.push_str(&format!("Predictions per issue in {}\n", out.display()));
    }
    Ok(BacktestReport { dataset, scored, text, written: args.out.clone() })
}

fn refuse_overwrite(out: &Path, force: bool) -> Result<(), Failure> {
    if out.is_dir() {
        return Err(Failure::Refused(format!(
            "{} is a folder; nothing was written.\n  hint: give --out a file name, e.g. predictions.csv",
            out.display()
        )));
    }
    if out.exists() && !force {
        return Err(Failure::Refused(format!(
            "{} already exists; nothing was written.\n  hint: add --force to replace it",
            out.display()
        )));
    }
    Ok(())
}

/// The CSV columns of `--out`, in order (public interface, documented in docs/backtest.md).
pub const PREDICTION_COLUMNS: [&str; 7] = ["case", "issue", "line", "model", "prediction", "outcome", "error"];

/// One row per issue and predictor; written under a hidden partial name and renamed into
/// place when complete, so an interrupted write never leaves a file that looks finished.
fn write_predictions(out: &Path, force: bool, data: &Dataset, scored: &[Scored]) -> Result<(), Failure> {
    refuse_overwrite(out, force)?;
    let file_name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "predictions".into());
    let partial = out.with_file_name(format!(".{file_name}.partial"));
    let io = |what: &str, path: &Path, e: std::io::Error| Failure::Io(format!("cannot {what} {}: {e}", path.display()));
    let file = std::fs::File::create(&partial).map_err(|e| io("create", &partial, e))?;
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let csv_failure = |e: csv::Error| Failure::Io(format!("cannot write {}: {e}", partial.display()));
    writer.write_record(PREDICTION_COLUMNS).map_err(csv_failure)?;
    for (r, row) in data.issues.iter().enumerate() {
        for s in scored {
            let (prediction, error) = match s.predictions[r] {
                Ok(x) => (x.to_string(), (x - row.outcome).to_string()),
                Err(_) => (String::new(), String::new()),
            };
            let line = row.line.to_string();
            let outcome = row.outcome.to_string();
            writer
                .write_record([
                    row.case.as_str(),
                    row.issue.as_str(),
                    &line,
                    s.predictor.id(),
                    &prediction,
                    &outcome,
                    &error,
                ])
                .map_err(csv_failure)?;
        }
    }
    let mut inner = writer.into_inner().map_err(|e| Failure::Io(format!("cannot write {}: {e}", partial.display())))?;
    inner.flush().map_err(|e| io("write", &partial, e))?;
    drop(inner);
    std::fs::rename(&partial, out).map_err(|e| io("rename", &partial, e))
}
