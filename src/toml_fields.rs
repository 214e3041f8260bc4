//! Typed reading of a parsed TOML table (scenario and experiment files) that reports, rather than stops at, every wrong
//! type and unknown key.
//!
//! A `Fields` wraps one table. Each accessor records the key it was asked for, so that
//! `finish` knows which keys the format accepts and can name the nearest one for a typo.

use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Problem, SourceFile, suggestion};

/// A value with the span of the text it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<T> At<T> {
    pub fn new(value: T, span: Range<usize>) -> Self {
        At { value, span }
    }
}

/// An inline table from names to values, each with its span: `{ legal = 20 }`.
pub type Keyed<T> = Vec<(At<String>, At<T>)>;

/// Where problems go while a file is read.
pub struct Sink {
    pub file: Arc<SourceFile>,
    pub problems: Vec<Problem>,
}

impl Sink {
    pub fn new(file: Arc<SourceFile>) -> Self {
        Sink { file, problems: Vec::new() }
    }

    pub fn report(&mut self, span: Range<usize>, message: impl Into<String>) -> &mut Problem {
        self.problems.push(Problem::new(&self.file, span, message));
        self.problems.last_mut().expect("just pushed")
    }
}

pub fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

pub struct Fields<'a, 'i> {
    table: &'a DeTable<'i>,
    /// The span of the whole table, for problems about missing keys.
    pub span: Range<usize>,
    /// How the table is named in messages, e.g. "[[actor]] `USA`".
    pub name: String,
    asked: Vec<&'static str>,
}

impl<'a, 'i> Fields<'a, 'i> {
    pub fn new(table: &'a DeTable<'i>, span: Range<usize>, name: impl Into<String>) -> Self {
        Fields { table, span, name: name.into(), asked: Vec::new() }
    }

    pub fn rename(&mut self, name: impl Into<String>) {
        self.name = name.into();
    }

    /// Whether the key is written at all, whatever its type.
    pub fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.asked.push(key);
        self.table.get(key)
    }

    fn wrong_type(&self, sink: &mut Sink, key: &str, value: &Spanned<DeValue<'_>>, expected: &str, example: &str) {
        sink.report(
            value.span(),
            format!("`{key}` in {} must be {expected}, not {}", self.name, type_name(value.get_ref())),
        )
        .with_label(format!("expected {expected}"))
        .with_help(format!("write it like `{key} = {example}`"));
    }

    pub fn string(&mut self, sink: &mut Sink, key: &'static str) -> Option<At<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(At::new(s.to_string(), value.span())),
            _ => {
                self.wrong_type(sink, key, value, "a string", "\"...\"");
                None
            }
        }
    }

    /// A required string; reports its absence.
    pub fn required_string(&mut self, sink: &mut Sink, key: &'static str, example: &str) -> Option<At<String>> {
        let present = self.table.contains_key(key);
        let value = self.string(sink, key);
        if !present {
            self.missing(sink, key, example);
        }
        value
    }

    pub fn missing(&self, sink: &mut Sink, key: &str, example: &str) {
        sink.report(self.span.clone(), format!("{} has no `{key}`", self.name))
            .with_label(format!("`{key}` missing here"))
            .with_help(format!("add a line `{key} = {example}`"));
    }

    pub fn number(&mut self, sink: &mut Sink, key: &'static str) -> Option<At<f64>> {
        let value = self.get(key)?;
        number_value(sink, &self.name, key, value)
    }

    pub fn integer(&mut self, sink: &mut Sink, key: &'static str) -> Option<At<i64>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(At::new(n, value.span())),
                Err(_) => {
                    sink.report(value.span(), format!("`{key}` in {} is too large", self.name))
                        .with_label("does not fit in 64 bits");
                    None
                }
            },
            _ => {
                self.wrong_type(sink, key, value, "a whole number", "10");
                None
            }
        }
    }

    pub fn boolean(&mut self, sink: &mut Sink, key: &'static str) -> Option<At<bool>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(At::new(*b, value.span())),
            _ => {
                self.wrong_type(sink, key, value, "true or false", "true");
                None
            }
        }
    }

    /// An array of strings; a single string is accepted as an array of one.
    pub fn strings(&mut self, sink: &mut Sink, key: &'static str) -> Option<At<Vec<At<String>>>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(At::new(vec![At::new(s.to_string(), value.span())], value.span())),
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item.get_ref() {
                        DeValue::String(s) => out.push(At::new(s.to_string(), item.span())),
                        _ => self.wrong_type(sink, key, item, "a list of strings", "[\"a\", \"b\"]"),
                    }
                }
                Some(At::new(out, value.span()))
            }
            _ => {
                self.wrong_type(sink, key, value, "a list of strings", "[\"a\", \"b\"]");
                None
            }
        }
    }

    /// An array of numbers.
    pub fn numbers(&mut self, sink: &mut Sink, key: &'static str) -> Option<At<Vec<f64>>> {
        let value = self.get(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(sink, key, value, "a list of numbers", "[0, 0.5, 1]");
            return None;
        };
        let name = self.name.clone();
        let numbers = items.iter().filter_map(|item| number_value(sink, &name, key, item).map(|x| x.value)).collect();
        Some(At::new(numbers, value.span()))
    }

    /// A pair `[a, b]` of numbers.
    pub fn pair(&mut self, sink: &mut Sink, key: &'static str) -> Option<At<(f64, f64)>> {
        let value = self.get(key)?;
        pair_value(sink, &self.name, key, value)
    }

    /// An inline table from names to numbers, such as `positions = { legal = 20 }`.
    pub fn number_map(&mut self, sink: &mut Sink, key: &'static str) -> Keyed<f64> {
        self.map(sink, key, number_value)
    }

    /// An inline table from names to pairs, such as `red_lines = { legal = [0, 40] }`.
    pub fn pair_map(&mut self, sink: &mut Sink, key: &'static str) -> Keyed<(f64, f64)> {
        self.map(sink, key, pair_value)
    }

    fn map<T>(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        read: impl Fn(&mut Sink, &str, &str, &Spanned<DeValue<'_>>) -> Option<At<T>>,
    ) -> Keyed<T> {
        let Some(value) = self.get(key) else { return Vec::new() };
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type(sink, key, value, "a table", "{ issue-id = 50 }");
            return Vec::new();
        };
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        let name = format!("`{key}` of {}", self.name);
        entries
            .into_iter()
            .filter_map(|(k, v)| {
                let entry_key = k.get_ref().to_string();
                read(sink, &name, &entry_key, v).map(|value| (At::new(entry_key, k.span()), value))
            })
            .collect()
    }

    /// A sub-table, either `[a.b]` or inline.
    pub fn table(&mut self, sink: &mut Sink, key: &'static str) -> Option<Fields<'a, 'i>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some(Fields::new(t, value.span(), format!("`{key}`"))),
            _ => {
                self.wrong_type(sink, key, value, "a table", "{ ... }");
                None
            }
        }
    }

    /// The raw value of a key whose type depends on its content (a rule is a string or a
    /// table); the caller reads it.
    pub fn raw(&mut self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.get(key)
    }

    /// An array of tables, `[[key]]`.
    pub fn tables(&mut self, sink: &mut Sink, key: &'static str) -> Vec<Fields<'a, 'i>> {
        let Some(value) = self.get(key) else { return Vec::new() };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(sink, key, value, "an array of tables", &format!("[[{key}]]"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (n, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => out.push(Fields::new(t, item.span(), format!("[[{key}]] number {}", n + 1))),
                _ => self.wrong_type(sink, key, item, "a table", &format!("[[{key}]]")),
            }
        }
        out
    }

    /// Reports every key nobody asked for, with the nearest accepted key as a hint.
    pub fn finish(self, sink: &mut Sink) {
        let mut unknown: Vec<_> =
            self.table.iter().filter(|(k, _)| !self.asked.contains(&k.get_ref().as_ref())).collect();
        unknown.sort_by_key(|(k, _)| k.span().start);
        for (key, _) in unknown {
            let help = suggestion(key.get_ref(), self.asked.iter().copied())
                .unwrap_or_else(|| format!("the keys of {} are: {}", self.name, self.asked.join(", ")));
            sink.report(key.span(), format!("unknown key `{}` in {}", key.get_ref(), self.name))
                .with_label("not a key of this table")
                .with_help(help);
        }
    }
}

fn number_value(sink: &mut Sink, name: &str, key: &str, value: &Spanned<DeValue<'_>>) -> Option<At<f64>> {
    let number = match value.get_ref() {
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Some(n as f64),
            Err(_) => {
                sink.report(value.span(), format!("`{key}` in {name} is too large"))
                    .with_label("does not fit in 64 bits")
                    .with_help("TOML whole numbers stop at 9223372036854775807; write a smaller number");
                return None;
            }
        },
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        other => {
            sink.report(value.span(), format!("`{key}` in {name} must be a number, not {}", type_name(other)))
                .with_label("expected a number")
                .with_help(format!("write it like `{key} = 0.5`"));
            return None;
        }
    };
    match number {
        Some(x) if x.is_finite() => Some(At::new(x, value.span())),
        _ => {
            sink.report(value.span(), format!("`{key}` in {name} must be a finite number"))
                .with_label("not finite")
                .with_help("nan and inf have no meaning here; write an ordinary number");
            None
        }
    }
}

fn pair_value(sink: &mut Sink, name: &str, key: &str, value: &Spanned<DeValue<'_>>) -> Option<At<(f64, f64)>> {
    if let DeValue::Array(items) = value.get_ref()
        && items.len() == 2
    {
        let a = number_value(sink, name, key, &items[0]);
        let b = number_value(sink, name, key, &items[1]);
        return Some(At::new((a?.value, b?.value), value.span()));
    }
    sink.report(value.span(), format!("`{key}` in {name} must be a pair of numbers [low, high]"))
        .with_label("expected [low, high]")
        .with_help(format!("write it like `{key} = [20, 60]`"));
    None
}
