//! `decisions.toml`: every team decision and trainer inject of a session, in the order they
//! were taken, with what is needed to replay it (scenario, fingerprint, seed, seats). The
//! same file, or one written by hand in its format, scripts a rehearsal (`--moves`).

use std::collections::HashSet;
use std::fmt::Write as _;

use toml::de::DeTable;

use crate::diagnostic::{Problems, SourceFile};
use crate::toml_fields::{Fields, Sink};

/// The answer a team gave for a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Object,
    Abstain,
    /// The team let the model answer for it.
    Model,
}

pub const ANSWERS: [&str; 4] = ["accept", "object", "abstain", "model"];

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Accept => "accept",
            Answer::Object => "object",
            Answer::Abstain => "abstain",
            Answer::Model => "model",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "accept" => Some(Answer::Accept),
            "object" => Some(Answer::Object),
            "abstain" => Some(Answer::Abstain),
            "model" => Some(Answer::Model),
            _ => None,
        }
    }
}

/// A team's decision for one round: its answer, and the positions and red lines it set
/// (the last value per issue; a red line of `None` was lifted).
#[derive(Clone, Debug, PartialEq)]
pub struct TeamDecision {
    pub forum: String,
    pub round: u32,
    pub seat: String,
    pub answer: Answer,
    pub moves: Vec<(String, f64)>,
    pub red_lines: Vec<(String, Option<(f64, f64)>)>,
}

/// An inject the trainer fired at the start of a round: a named one of the scenario, or
/// one written on the spot (`text`, in the scenario file's `[[inject]]` syntax).
#[derive(Clone, Debug, PartialEq)]
pub struct Fired {
    pub forum: String,
    pub round: u32,
    pub id: String,
    pub text: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Decision(TeamDecision),
    Inject(Fired),
}

impl Entry {
    pub fn at(&self) -> (&str, u32) {
        match self {
            Entry::Decision(d) => (&d.forum, d.round),
            Entry::Inject(i) => (&i.forum, i.round),
        }
    }
}

/// What a session needs to be played again exactly.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Header {
    /// The scenario's path as given, or empty for the scenario built into the binary.
    pub scenario: String,
    pub scenario_sha256: String,
    /// The actors table's, when the scenario reads one.
    pub actors_table_sha256: Option<String>,
    pub seed: u64,
    pub seats: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Log {
    /// Absent in a hand-written moves file.
    pub header: Option<Header>,
    /// (forum, round) at which the session was stopped, if it was.
    pub stopped: Option<(String, u32)>,
    pub entries: Vec<Entry>,
}

/// Saves the log so far, marked as stopped at `at` (forum id, round): a replay of it goes
/// on at the prompts from there. Best effort: a failed save must not end a session, whose
/// log is saved again at its end.
pub fn save_live(path: &std::path::Path, header: &Header, at: &(String, u32), entries: &[Entry]) {
    let log = Log { header: Some(header.clone()), stopped: Some(at.clone()), entries: entries.to_vec() };
    let partial = path.with_extension("toml.partial");
    if std::fs::write(&partial, log.to_toml()).is_ok() {
        let _ = std::fs::rename(&partial, path);
    }
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn number(x: f64) -> String {
    // TOML reads `20` as an integer and `20.0` as a float; both are accepted back. A whole
    // number past 2^53 is written as a float (`7.2e204`): as digits it is an integer
    // literal too large for TOML, and the log would not read back.
    if !x.is_finite() {
        return (if x.is_nan() {
            "nan"
        } else if x > 0.0 {
            "inf"
        } else {
            "-inf"
        })
        .to_string();
    }
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 { format!("{x}") } else { format!("{x:?}") }
}

impl Log {
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        out.push_str("# A tabletop session of plenary: every team decision and trainer inject, in order.\n");
        out.push_str("# Play it again exactly with `plenary play --replay decisions.toml`, or script a\n");
        out.push_str("# rehearsal with `plenary play SCENARIO --seat ... --moves decisions.toml`.\n");
        if let Some(h) = &self.header {
            let _ = writeln!(out, "scenario = {}", quote(&h.scenario));
            let _ = writeln!(out, "scenario_sha256 = {}", quote(&h.scenario_sha256));
            if let Some(sha) = &h.actors_table_sha256 {
                let _ = writeln!(out, "actors_table_sha256 = {}", quote(sha));
            }
            let _ = writeln!(out, "seed = {}", h.seed);
            let seats: Vec<String> = h.seats.iter().map(|s| quote(s)).collect();
            let _ = writeln!(out, "seats = [{}]", seats.join(", "));
        }
        if let Some((forum, round)) = &self.stopped {
            let _ = writeln!(out, "# The session was stopped here; a replay goes on from this round at the prompts.");
            let _ = writeln!(out, "stopped = {{ forum = {}, round = {round} }}", quote(forum));
        }
        for entry in &self.entries {
            match entry {
                Entry::Inject(i) => {
                    let _ = writeln!(out, "\n[[inject]]");
                    let _ = writeln!(out, "forum = {}\nround = {}\nid = {}", quote(&i.forum), i.round, quote(&i.id));
                    if let Some(text) = &i.text {
                        let _ = writeln!(out, "text = {}", quote(text));
                    }
                }
                Entry::Decision(d) => {
                    let _ = writeln!(out, "\n[[decision]]");
                    let _ = writeln!(
                        out,
                        "forum = {}\nround = {}\nseat = {}\nanswer = {}",
                        quote(&d.forum),
                        d.round,
                        quote(&d.seat),
                        quote(d.answer.as_str())
                    );
                    if !d.moves.is_empty() {
                        let moves: Vec<String> =
                            d.moves.iter().map(|(k, x)| format!("{} = {}", quote(k), number(*x))).collect();
                        let _ = writeln!(out, "moves = {{ {} }}", moves.join(", "));
                    }
                    let declared: Vec<String> = d
                        .red_lines
                        .iter()
                        .filter_map(|(k, line)| {
                            line.map(|(lo, hi)| format!("{} = [{}, {}]", quote(k), number(lo), number(hi)))
                        })
                        .collect();
                    if !declared.is_empty() {
                        let _ = writeln!(out, "red_lines = {{ {} }}", declared.join(", "));
                    }
                    let lifted: Vec<String> =
                        d.red_lines.iter().filter(|(_, line)| line.is_none()).map(|(k, _)| quote(k)).collect();
                    if !lifted.is_empty() {
                        let _ = writeln!(out, "lift = [{}]", lifted.join(", "));
                    }
                }
            }
        }
        out
    }

    /// Reads a decisions or moves file. Ids are checked against the scenario later, by
    /// the session, which knows it; here only the shape and types are.
    pub fn parse(name: &str, text: &str) -> Result<Log, Problems> {
        let file = SourceFile::new(name, text);
        let mut sink = Sink::new(file.clone());
        let (document, errors) = DeTable::parse_recoverable(text);
        for error in &errors {
            sink.report(error.span().unwrap_or(0..0), format!("TOML syntax: {}", error.message().trim()))
                .with_label("here")
                .with_help("see docs/tabletop.md for the format of decisions.toml; strings need \"quotes\"");
        }
        if !errors.is_empty() {
            return Err(Problems(sink.problems).sorted());
        }
        let mut top = Fields::new(document.get_ref(), document.span(), "the top level of the file");
        let scenario = top.string(&mut sink, "scenario");
        let sha = top.string(&mut sink, "scenario_sha256");
        let table_sha = top.string(&mut sink, "actors_table_sha256").map(|s| s.value);
        let seed = top.integer(&mut sink, "seed");
        let seats = top.strings(&mut sink, "seats");
        let header = match (scenario, sha, seed, seats) {
            (Some(scenario), Some(sha), Some(seed), Some(seats)) => Some(Header {
                scenario: scenario.value,
                scenario_sha256: sha.value,
                actors_table_sha256: table_sha,
                seed: u64::try_from(seed.value).unwrap_or_else(|_| {
                    sink.report(seed.span.clone(), "the seed is negative")
                        .with_help("use the seed the session ran with");
                    0
                }),
                seats: seats.value.into_iter().map(|s| s.value).collect(),
            }),
            _ => None,
        };
        let stopped = top.table(&mut sink, "stopped").and_then(|mut t| {
            let forum = t.required_string(&mut sink, "forum", "\"working-group\"");
            let round = round(&mut t, &mut sink);
            t.finish(&mut sink);
            Some((forum?.value, round?))
        });
        let mut entries = Vec::new();
        for mut t in top.tables(&mut sink, "inject") {
            let at = t.span.start;
            let forum = t.required_string(&mut sink, "forum", "\"working-group\"");
            let round = round(&mut t, &mut sink);
            let id = t.required_string(&mut sink, "id", "\"ransomware\"");
            let text = t.string(&mut sink, "text");
            t.finish(&mut sink);
            // An inject written on the spot carries its own id: the entry's must be the same.
            if let (Some(id), Some(text)) = (&id, &text)
                && let Some(own) = typed_id(&text.value)
                && own != id.value
            {
                sink.report(id.span.clone(), format!("the inject is `{}` here and `{own}` in its text", id.value))
                    .with_help("give the entry the id written in its text");
            }
            let text = text.map(|t| t.value);
            if let (Some(forum), Some(round), Some(id)) = (forum, round, id) {
                entries.push((at, Entry::Inject(Fired { forum: forum.value, round, id: id.value, text })));
            }
        }
        let mut decided: HashSet<(String, u32, String)> = HashSet::new();
        for mut t in top.tables(&mut sink, "decision") {
            let at = t.span.start;
            let span = t.span.clone();
            let forum = t.required_string(&mut sink, "forum", "\"working-group\"");
            let round = round(&mut t, &mut sink);
            let seat = t.required_string(&mut sink, "seat", "\"USA\"");
            let answer = t.required_string(&mut sink, "answer", "\"accept\"").and_then(|a| {
                Answer::parse(&a.value).or_else(|| {
                    let hint = crate::diagnostic::suggestion(&a.value, ANSWERS)
                        .unwrap_or_else(|| format!("write one of {}", ANSWERS.join(", ")));
                    sink.report(a.span.clone(), format!("`{}` is not an answer", a.value)).with_help(hint);
                    None
                })
            });
            let moves: Vec<(String, f64)> =
                t.number_map(&mut sink, "moves").into_iter().map(|(k, x)| (k.value, x.value)).collect();
            let mut red_lines: Vec<(String, Option<(f64, f64)>)> =
                t.pair_map(&mut sink, "red_lines").into_iter().map(|(k, line)| (k.value, Some(line.value))).collect();
            if let Some(lifted) = t.strings(&mut sink, "lift") {
                red_lines.extend(lifted.value.into_iter().map(|k| (k.value, None)));
            }
            t.finish(&mut sink);
            if let (Some(forum), Some(round), Some(seat), Some(answer)) = (forum, round, seat, answer) {
                if !decided.insert((forum.value.clone(), round, seat.value.clone())) {
                    sink.report(
                        span.start..span.start + "[[decision]]".len().min(span.len()),
                        format!(
                            "a second decision for seat `{}` in forum `{}`, round {round}",
                            seat.value, forum.value
                        ),
                    )
                    .with_help("a seat decides once a round: keep one of the two");
                    continue;
                }
                entries.push((
                    at,
                    Entry::Decision(TeamDecision {
                        forum: forum.value,
                        round,
                        seat: seat.value,
                        answer,
                        moves,
                        red_lines,
                    }),
                ));
            }
        }
        top.finish(&mut sink);
        if !sink.problems.is_empty() {
            return Err(Problems(sink.problems).sorted());
        }
        // Back into file order: injects and decisions interleave as they were taken.
        entries.sort_by_key(|(at, _)| *at);
        Ok(Log { header, stopped, entries: entries.into_iter().map(|(_, e)| e).collect() })
    }
}

/// The `id` an inject's text gives itself, if the text parses and has one.
fn typed_id(text: &str) -> Option<String> {
    let table = DeTable::parse(text).ok()?;
    table.get_ref().get("id")?.get_ref().as_str().map(String::from)
}

fn round(t: &mut Fields<'_, '_>, sink: &mut Sink) -> Option<u32> {
    let present = t.has("round");
    let Some(round) = t.integer(sink, "round") else {
        if !present {
            t.missing(sink, "round", "1");
        }
        return None;
    };
    match u32::try_from(round.value) {
        Ok(r) if r >= 1 => Some(r),
        _ => {
            sink.report(round.span.clone(), format!("round {} is not a round", round.value))
                .with_help("rounds are counted from 1");
            None
        }
    }
}
