//! Problems found in input files, each pointing at a file, line and column, with the
//! offending text underlined and a hint on how to fix it.
//!
//! Readers collect every problem they find and report them together, so a student fixes a
//! file in one pass instead of one error per run.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SpanContents,
};

/// Problems shown with their source quoted; the others get one line each, so that a file
/// with 100,000 problems is reported in time linear in their number.
pub const QUOTED_PROBLEMS: usize = 50;
/// A line longer than this is not quoted (a 200 KB line would fill the terminal).
const QUOTED_LINE_BYTES: usize = 400;

thread_local! {
    static WORK: Cell<u64> = const { Cell::new(0) };
}

/// Bytes of source this thread has scanned to place and quote problems: the work of an
/// error report, which the tests count instead of timing it.
pub fn work() -> u64 {
    WORK.with(Cell::get)
}

fn count(bytes: usize) {
    WORK.with(|w| w.set(w.get() + bytes as u64));
}

/// A file read as input, kept whole so that problems can quote it.
#[derive(Debug)]
pub struct SourceFile {
    /// The name shown to the user: the path as given on the command line.
    pub name: String,
    pub text: String,
    /// Byte offset of the start of each line, found once when first needed.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(SourceFile { name: name.into(), text: text.into(), line_starts: OnceLock::new() })
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            count(self.text.len());
            std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect()
        })
    }

    /// 0-based index of the line holding a byte offset.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&start| start <= offset).saturating_sub(1)
    }

    /// The byte range of a line (0-based), without its newline.
    fn line_range(&self, line: usize) -> Range<usize> {
        let starts = self.line_starts();
        let start = starts.get(line).copied().unwrap_or(self.text.len());
        let end = starts.get(line + 1).map_or(self.text.len(), |&next| next - 1);
        start..end.max(start)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_index(offset);
        let start = self.line_starts()[line];
        count(offset - start);
        (line + 1, self.text[start..offset].chars().count() + 1)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Clone, Debug)]
pub struct Problem {
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
    pub message: String,
    /// Short text shown under the underlined span.
    pub label: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(file: &Arc<SourceFile>, span: Range<usize>, message: impl Into<String>) -> Self {
        Problem { file: file.clone(), span, message: message.into(), label: String::new(), help: None }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = label.into();
        self
    }

    pub fn with_help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn line_col(&self) -> (usize, usize) {
        self.file.line_col(self.span.start)
    }

    /// `file:line:column: message`, the form editors and tests look for.
    pub fn location(&self) -> String {
        let (line, column) = self.line_col();
        format!("{}:{line}:{column}", self.file.name)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

impl std::error::Error for Problem {}

impl miette::Diagnostic for Problem {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.file.text as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let len = self.span.end.saturating_sub(self.span.start).max(1);
        let start = self.span.start.min(self.file.text.len());
        let label = (!self.label.is_empty()).then(|| self.label.clone());
        Some(Box::new(std::iter::once(LabeledSpan::new(label, start, len))))
    }
}

/// Every problem found in one go: the error of a command whose input is not valid.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }

    /// In file order, so that a reader can go down the file fixing them; a problem repeated
    /// with the same message in the same file (one unknown bloc named on 120 rows of a
    /// table) is shown once, with the lines of the others.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| (&a.file.name, a.span.start).cmp(&(&b.file.name, b.span.start)));
        let mut kept: Vec<Problem> = Vec::new();
        let mut repeats: Vec<Vec<usize>> = Vec::new();
        let mut first: HashMap<(String, String), usize> = HashMap::new();
        for problem in self.0 {
            match first.get(&(problem.file.name.clone(), problem.message.clone())) {
                Some(&i) => {
                    // In file order, a repeat's line is never before the last one kept.
                    let line = problem.line_col().0;
                    if line != kept[i].line_col().0 && repeats[i].last() != Some(&line) {
                        repeats[i].push(line);
                    }
                }
                None => {
                    first.insert((problem.file.name.clone(), problem.message.clone()), kept.len());
                    kept.push(problem);
                    repeats.push(Vec::new());
                }
            }
        }
        for (problem, lines) in kept.iter_mut().zip(repeats) {
            if !lines.is_empty() {
                let shown: Vec<String> = lines.iter().take(10).map(usize::to_string).collect();
                let more = if lines.len() > 10 { format!(" and {} more", lines.len() - 10) } else { String::new() };
                problem.message = format!(
                    "{} (also on line{} {}{more})",
                    problem.message,
                    if lines.len() == 1 { "" } else { "s" },
                    shown.join(", ")
                );
            }
        }
        Problems(kept)
    }

    /// Renders the first problems with the quoted source, underlines and hints, and the
    /// others (and any whose line is too long to quote, or whose file could not be read)
    /// as `file:line:column: message` with the hint.
    pub fn render(&self, color: bool) -> String {
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
        let mut out = String::new();
        for (i, problem) in self.0.iter().enumerate() {
            let file = &problem.file;
            let offset = floor_char_boundary(&file.text, problem.span.start.min(file.text.len()));
            let quoted = i < QUOTED_PROBLEMS
                && !file.text.is_empty()
                && file.line_range(file.line_index(offset)).len() <= QUOTED_LINE_BYTES;
            if i == QUOTED_PROBLEMS {
                out.push_str(&format!("and {} more, each with its place:\n", self.0.len() - QUOTED_PROBLEMS));
            }
            let mut rendered = String::new();
            if !quoted || handler.render_report(&mut rendered, &Named { problem }).is_err() {
                out.push_str(&plain(problem));
                continue;
            }
            // miette counts columns in bytes; editors, and `Problem::line_col`, in characters.
            let (line, column) = problem.line_col();
            let byte_column = offset - file.line_starts()[line - 1] + 1;
            let name = &file.name;
            out.push_str(&rendered.replacen(
                &format!("{name}:{line}:{byte_column}]"),
                &format!("{name}:{line}:{column}]"),
                1,
            ));
        }
        let n = self.0.len();
        out.push_str(&format!("{n} problem{} found; nothing was run or written.\n", if n == 1 { "" } else { "s" }));
        out
    }
}

/// A problem on one line (two with its hint); no source is quoted, and the location is
/// left out for a file that could not be read at all.
fn plain(problem: &Problem) -> String {
    let mut line = if problem.file.text.is_empty() {
        format!("error: {}\n", problem.message)
    } else {
        format!("error: {problem}\n")
    };
    if let Some(help) = &problem.help {
        line.push_str(&format!("  help: {help}\n"));
    }
    line
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.0 {
            writeln!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// A problem with its file's name attached, so that miette prints `file:line:col`, and
/// only the lines around it handed to miette, which would otherwise scan the file from
/// its start for every problem.
#[derive(Debug)]
struct Named<'a> {
    problem: &'a Problem,
}

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem.message)
    }
}

impl std::error::Error for Named<'_> {}

impl miette::Diagnostic for Named<'_> {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        miette::Diagnostic::help(self.problem)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        miette::Diagnostic::labels(self.problem)
    }
}

impl SourceCode for Named<'_> {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = &self.problem.file;
        let first = file.line_index(span.offset()).saturating_sub(before);
        let last = file.line_index(span.offset() + span.len()) + after;
        // Up to the start of the line after the last, newline included, as miette reads a
        // whole file.
        let end = file.line_starts().get(last + 1).copied().unwrap_or(file.text.len());
        let window = file.line_range(first).start..end.max(file.line_range(first).start);
        count(window.len());
        let bytes = &file.text.as_bytes()[window.clone()];
        let inner = bytes.read_span(&(span.offset() - window.start, span.len()).into(), before, after)?;
        let shifted = (inner.span().offset() + window.start, inner.span().len());
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            inner.data(),
            shifted.into(),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

/// A number as a message shows it: short, in scientific notation when very large or small.
pub fn show(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e9 || x.abs() < 1e-4) { format!("{x:e}") } else { format!("{x}") }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(word, candidates).map(|c| format!("did you mean `{c}`?"))
}
