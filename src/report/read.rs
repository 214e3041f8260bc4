//! Reading a results folder back: CSV tables by column name, with every problem reported
//! as the file, the line and what to do, never as a panic.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::Failure;

/// A CSV file being read: its header, so columns are found by name whatever their order.
pub struct Csv {
    path: PathBuf,
    name: String,
    reader: csv::Reader<File>,
    header: Vec<String>,
}

/// One row, with the line it came from for messages.
pub struct Row<'a> {
    csv: &'a Csv,
    record: csv::StringRecord,
}

/// Every file plenary writes ends with a newline; one that does not was cut (a torn line).
fn ends_with_newline(path: &Path) -> Result<bool, Failure> {
    use std::io::{Read, Seek, SeekFrom};
    let io = |e: std::io::Error| Failure::Io(format!("cannot read {}: {e}", path.display()));
    let mut file = File::open(path).map_err(io)?;
    if file.metadata().map_err(io)?.len() == 0 {
        return Ok(true);
    }
    let mut last = [0u8];
    file.seek(SeekFrom::End(-1)).and_then(|_| file.read_exact(&mut last)).map_err(io)?;
    Ok(last[0] == b'\n')
}

pub fn missing(dir: &Path, name: &str, hint: &str) -> Failure {
    Failure::Refused(format!("{} has no {name}; nothing was written.\n  hint: {hint}", dir.display()))
}

impl Csv {
    pub fn open(dir: &Path, name: &str, hint: &str) -> Result<Csv, Failure> {
        let path = dir.join(name);
        if !path.is_file() {
            return Err(missing(dir, name, hint));
        }
        if !ends_with_newline(&path)? {
            return Err(Failure::Refused(format!(
                "{} ends in the middle of a line: the file was cut short after plenary wrote it; nothing was written.\n  hint: run plenary again into a new folder with --out",
                path.display()
            )));
        }
        let mut reader =
            csv::Reader::from_path(&path).map_err(|e| Failure::Io(format!("cannot read {}: {e}", path.display())))?;
        let header = reader
            .headers()
            .map_err(|e| Failure::Refused(format!("{} cannot be read as CSV: {e}", path.display())))?
            .iter()
            .map(str::to_string)
            .collect();
        Ok(Csv { path, name: name.to_string(), reader, header })
    }

    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The index of a column, or a refusal naming the file and the column.
    pub fn column(&self, name: &str) -> Result<usize, Failure> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            Failure::Refused(format!(
                "{} has no column `{name}`; it does not look like a file written by plenary.\n  hint: run plenary again into a new folder with --out",
                self.path.display()
            ))
        })
    }

    /// Calls `each` with every row, in file order.
    pub fn for_each(&mut self, mut each: impl FnMut(&Row) -> Result<(), Failure>) -> Result<(), Failure> {
        let mut record = csv::StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let row = Row { csv: self, record: std::mem::take(&mut record) };
                    each(&row)?;
                    record = row.record;
                }
                Err(e) => return Err(Failure::Refused(format!("{} cannot be read as CSV: {e}", self.path.display()))),
            }
        }
    }
}

impl Row<'_> {
    fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }

    pub fn text(&self, column: usize) -> &str {
        self.record.get(column).unwrap_or("")
    }

    pub fn number(&self, column: usize) -> Result<f64, Failure> {
        let text = self.text(column);
        text.parse::<f64>().map_err(|_| self.bad(column, "a number"))
    }

    /// A number, or None for an empty cell ("does not apply").
    pub fn maybe_number(&self, column: usize) -> Result<Option<f64>, Failure> {
        if self.text(column).is_empty() { Ok(None) } else { self.number(column).map(Some) }
    }

    pub fn boolean(&self, column: usize) -> Result<bool, Failure> {
        match self.text(column) {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(self.bad(column, "true or false")),
        }
    }

    /// true or false, or None for an empty cell: a forecast model adopts nothing, so it
    /// leaves `adopted` empty.
    pub fn maybe_boolean(&self, column: usize) -> Result<Option<bool>, Failure> {
        if self.text(column).is_empty() { Ok(None) } else { self.boolean(column).map(Some) }
    }

    fn bad(&self, column: usize, expected: &str) -> Failure {
        Failure::Refused(format!(
            "{} line {}: column `{}` holds `{}`, expected {expected}",
            self.csv.name,
            self.line(),
            self.csv.header.get(column).map_or("?", String::as_str),
            self.text(column)
        ))
    }
}

/// manifest.json as a JSON value, or a refusal saying why the folder is not a results folder.
pub fn manifest(dir: &Path) -> Result<serde_json::Value, Failure> {
    let path = dir.join("manifest.json");
    if !path.is_file() {
        return Err(missing(
            dir,
            "manifest.json",
            "give the folder that `plenary run` or `plenary sweep` wrote (e.g. results/tutorial); a run that did not finish has no manifest, run it again",
        ));
    }
    let bytes = crate::input::read_bytes(&path, crate::scenario::limits::MAX_LOG_BYTES, "manifest")?;
    serde_json::from_slice(&bytes).map_err(|e| Failure::Refused(format!("{} is not valid JSON: {e}", path.display())))
}
