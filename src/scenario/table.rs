//! The actors table: a CSV file beside the scenario with one actor per row, so that 193
//! states do not mean 193 hand-written TOML tables.
//!
//! Known columns: `id`, `name`, `kind`, `capability`, `flexibility`, `region` (one bloc
//! id), `blocs` (bloc ids separated by `;`), `position.<issue>` and `salience.<issue>`.
//! Every other column is a numeric attribute (population, GDP, ...). An empty cell means
//! "not given here": bloc defaults or the actor's `[[actor]]` table fill it.

use std::ops::Range;
use std::sync::Arc;

use super::file::RawActor;
use super::limits::{MAX_ACTORS, MAX_TABLE_COLUMNS, MAX_TABLE_LINE_BYTES};
use crate::diagnostic::{Problem, SourceFile};
use crate::toml_fields::At;

const TEXT_COLUMNS: [&str; 5] = ["id", "name", "kind", "region", "blocs"];
const NUMBER_COLUMNS: [&str; 2] = ["capability", "flexibility"];

enum Column {
    Id,
    Name,
    Kind,
    Region,
    Blocs,
    Capability,
    Flexibility,
    Position(String),
    Salience(String),
    Attribute(String),
}

fn column(header: &str) -> Column {
    match header {
        "id" => Column::Id,
        "name" => Column::Name,
        "kind" => Column::Kind,
        "region" => Column::Region,
        "blocs" => Column::Blocs,
        "capability" => Column::Capability,
        "flexibility" => Column::Flexibility,
        _ => {
            if let Some(issue) = header.strip_prefix("position.") {
                Column::Position(issue.to_string())
            } else if let Some(issue) = header.strip_prefix("salience.") {
                Column::Salience(issue.to_string())
            } else {
                Column::Attribute(header.to_string())
            }
        }
    }
}

/// Byte ranges of the fields of the CSV record starting at `start`, as they stand in the
/// file (quotes included), so that problems can underline the cell.
fn field_spans(text: &str, start: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut start = start;
    // After a CRLF line ending the reader may place a record at the `\n` before it.
    while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
        start += 1;
    }
    let mut spans = Vec::new();
    let mut field_start = start;
    let mut in_quotes = false;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => {
                spans.push(field_start..i);
                field_start = i + 1;
            }
            b'\n' | b'\r' if !in_quotes => break,
            _ => {}
        }
        i += 1;
    }
    spans.push(field_start..i);
    spans
}

/// The first line longer than a row can be, if any: a row of a table within the limits is
/// far shorter, and reading a longer one as CSV would hold a cell boundary for each of
/// its commas (a 64 MiB line of commas: over 1 GiB).
fn overlong_line(text: &str) -> Option<(usize, Range<usize>)> {
    let mut start = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if line.len() > MAX_TABLE_LINE_BYTES {
            return Some((n + 1, start..start + line.len()));
        }
        start += line.len();
    }
    None
}

/// Reads every row; problems name the row and the column.
pub fn read(file: &Arc<SourceFile>, problems: &mut Vec<Problem>) -> Vec<RawActor> {
    if let Some((line, span)) = overlong_line(&file.text) {
        problems.push(
            Problem::new(
                file,
                span.start..span.start,
                format!(
                    "line {line} of the actors table is {} long, more than the {} a row may be",
                    crate::input::show_bytes(span.len() as u64),
                    crate::input::show_bytes(MAX_TABLE_LINE_BYTES as u64)
                ),
            )
            .label("this line")
            .help("one actor per line: check that the file is a CSV table with a newline after each row"),
        );
        return Vec::new();
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(file.text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            problems.push(csv_problem(file, &e));
            return Vec::new();
        }
        None => {
            problems.push(
                Problem::new(file, 0..0, "the actors table is empty")
                    .help("the first line names the columns, e.g. `id,name,capability,blocs`"),
            );
            return Vec::new();
        }
    };
    let header_spans = field_spans(&file.text, 0);
    if header.len() > MAX_TABLE_COLUMNS {
        problems.push(
            Problem::new(
                file,
                0..0,
                format!("the actors table has {} columns, more than {MAX_TABLE_COLUMNS}", header.len()),
            )
            .label("header line")
            .help("a column per attribute, and a position and a salience column per issue, are far fewer"),
        );
        return Vec::new();
    }
    let columns: Vec<Column> = header.iter().map(|h| column(h.trim())).collect();
    let mut header_ok = true;
    for required in ["id", "name"] {
        if !header.iter().any(|h| h.trim() == required) {
            header_ok = false;
            problems.push(
                Problem::new(
                    file,
                    header_spans.first().cloned().unwrap_or(0..0),
                    format!("the actors table has no `{required}` column"),
                )
                .label("header line")
                .help(format!(
                    "add {} `{required}` column; the known columns are {}, {}, position.<issue>, salience.<issue>",
                    if required == "id" { "an" } else { "a" },
                    TEXT_COLUMNS.join(", "),
                    NUMBER_COLUMNS.join(", ")
                )),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (n, h) in header.iter().enumerate() {
        if !seen.insert(h.trim()) {
            header_ok = false;
            problems.push(
                Problem::new(
                    file,
                    header_spans.get(n).cloned().unwrap_or(0..0),
                    format!("the actors table has two columns named `{h}`"),
                )
                .label("second column of that name")
                .help("rename or remove one of them"),
            );
        }
    }
    if !header_ok {
        return Vec::new();
    }
    let mut actors = Vec::new();
    let (mut line, mut counted_to) = (1, 0);
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_problem(file, &e));
                continue;
            }
        };
        let position = record.position().map_or(0, |p| p.byte() as usize);
        let spans = field_spans(&file.text, position);
        // Counted as we go: a line number per row from the start of the file would make
        // reading quadratic in the number of rows.
        let row_start = spans.first().map_or(position, |s| s.start);
        line += file.text.as_bytes()[counted_to..row_start].iter().filter(|&&b| b == b'\n').count();
        counted_to = row_start;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() != columns.len() {
            problems.push(
                Problem::new(file, spans.first().cloned().unwrap_or(position..position), format!("row on line {line} has {} cells, the header has {}", record.len(), columns.len()))
                    .label("this row")
                    .help("every row needs one cell per column, empty cells included (write `,,` for an empty one); quote cells that contain commas"),
            );
            continue;
        }
        if actors.len() >= MAX_ACTORS {
            problems.push(
                Problem::new(file, spans[0].clone(), format!("the actors table has more than {MAX_ACTORS} rows"))
                    .label("the first row over the limit")
                    .help(format!(
                        "plenary simulates at most {MAX_ACTORS} actors; split the study or aggregate actors into blocs"
                    )),
            );
            break;
        }
        let mut actor = RawActor {
            file: file.clone(),
            span: spans[0].start..spans.last().map_or(position, |s| s.end),
            id: None,
            name: None,
            kind: None,
            capability: None,
            flexibility: None,
            blocs: Vec::new(),
            positions: Vec::new(),
            saliences: Vec::new(),
            red_lines: Vec::new(),
            attributes: Vec::new(),
        };
        for ((cell, column), span) in record.iter().zip(&columns).zip(spans.iter().cloned()) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let header = &header[actor_column_index(&columns, column)];
            let number = |problems: &mut Vec<Problem>| match cell.parse::<f64>() {
                Ok(x) if x.is_finite() => Some(At::new(x, span.clone())),
                _ => {
                    problems.push(
                        Problem::new(
                            file,
                            span.clone(),
                            format!("row on line {line}, column `{header}`: `{cell}` is not a number"),
                        )
                        .label("expected a number")
                        .help(format!(
                            "write a plain number such as 1.5 in column `{header}`, or leave the cell empty"
                        )),
                    );
                    None
                }
            };
            match column {
                Column::Id => actor.id = Some(At::new(cell.to_string(), span)),
                Column::Name => actor.name = Some(At::new(cell.to_string(), span)),
                Column::Kind => actor.kind = Some(At::new(cell.to_string(), span)),
                Column::Region => actor.blocs.push(At::new(cell.to_string(), span)),
                Column::Blocs => {
                    let mut offset = span.start + usize::from(file.text.as_bytes().get(span.start) == Some(&b'"'));
                    for part in cell.split(';') {
                        let trimmed = part.trim();
                        if !trimmed.is_empty() {
                            let lead = part.len() - part.trim_start().len();
                            actor
                                .blocs
                                .push(At::new(trimmed.to_string(), offset + lead..offset + lead + trimmed.len()));
                        }
                        offset += part.len() + 1;
                    }
                }
                Column::Capability => actor.capability = number(problems),
                Column::Flexibility => actor.flexibility = number(problems),
                Column::Position(issue) => {
                    if let Some(x) = number(problems) {
                        actor.positions.push((At::new(issue.clone(), span.clone()), x));
                    }
                }
                Column::Salience(issue) => {
                    if let Some(x) = number(problems) {
                        actor.saliences.push((At::new(issue.clone(), span.clone()), x));
                    }
                }
                Column::Attribute(name) => {
                    if let Some(x) = number(problems) {
                        actor.attributes.push((At::new(name.clone(), span.clone()), x));
                    }
                }
            }
        }
        if actor.id.is_none() {
            problems.push(
                Problem::new(file, actor.span.clone(), format!("row on line {line} has no id"))
                    .label("this row")
                    .help("every row needs an id in the `id` column, e.g. an ISO 3166 alpha-3 code"),
            );
            continue;
        }
        actors.push(actor);
    }
    actors
}

fn actor_column_index(columns: &[Column], wanted: &Column) -> usize {
    columns.iter().position(|c| std::ptr::eq(c, wanted)).unwrap_or(0)
}

fn csv_problem(file: &Arc<SourceFile>, error: &csv::Error) -> Problem {
    let offset = error.position().map_or(0, |p| p.byte() as usize);
    Problem::new(file, offset..offset + 1, format!("the actors table cannot be read: {error}"))
        .label("here")
        .help("the file must be UTF-8 CSV with a header line; quote cells that contain commas")
}
