//! Reading a catalogue file (a JSON array of records) with every problem
//! reported at its line and column, and nothing accepted unless the whole
//! file is good.

use std::collections::HashMap;

use serde_json::Value;

use crate::record::Record;
use crate::validate::{Problems, unknown_fields};

/// Reported problems stop here: past this, the file is wrong throughout.
const PROBLEMS_MAX: usize = 50;

/// One problem in a file, at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub line: usize,
    pub column: usize,
    /// 1-based position of the record in the array, when inside one.
    pub record: Option<usize>,
    pub id: Option<String>,
    pub message: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "line {}, column {}", self.line, self.column)?;
        match (&self.record, &self.id) {
            (Some(record), Some(id)) => write!(formatter, " (record {record}, id `{id}`)")?,
            (Some(record), None) => write!(formatter, " (record {record})")?,
            _ => {}
        }
        write!(formatter, ": {}", self.message)
    }
}

/// Why a file was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s):\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct FileErrors(pub Vec<FileProblem>);

struct Position {
    offset: usize,
}

impl Position {
    fn line_column(&self, text: &str) -> (usize, usize) {
        let before = &text[..self.offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before
            .rfind('\n')
            .map_or(before.chars().count(), |newline| {
                before[newline + 1..].chars().count()
            })
            + 1;
        (line, column)
    }
}

/// Parses and validates every record of `text`; any problem refuses the
/// whole file.
pub fn parse_records<R: Record>(text: &str) -> Result<Vec<R>, FileErrors> {
    let mut problems = Vec::new();
    let mut records = Vec::new();
    let elements = match split_array(text) {
        Ok(elements) => elements,
        Err(problem) => return Err(FileErrors(vec![problem])),
    };
    let mut first_line_of_id: HashMap<String, usize> = HashMap::new();
    let mut first_line_of_slug: HashMap<String, usize> = HashMap::new();
    for (index, (start, end)) in elements.into_iter().enumerate() {
        if problems.len() >= PROBLEMS_MAX {
            break;
        }
        let number = index + 1;
        let slice = &text[start..end];
        let (line, column) = Position { offset: start }.line_column(text);
        let at = |message: String, id: Option<String>| FileProblem {
            line,
            column,
            record: Some(number),
            id,
            message,
        };
        let record: R = match serde_json::from_str(slice) {
            Ok(record) => record,
            Err(error) => {
                // serde_json counts from the slice; move onto the file.
                let inner_line = error.line().max(1);
                let (error_line, error_column) = if inner_line == 1 {
                    (line, column + error.column().saturating_sub(1))
                } else {
                    (line + inner_line - 1, error.column().max(1))
                };
                let message = error.to_string();
                let message = message
                    .rsplit_once(" at line ")
                    .map_or(message.as_str(), |(head, _)| head)
                    .to_owned();
                problems.push(FileProblem {
                    line: error_line,
                    column: error_column,
                    record: Some(number),
                    id: None,
                    message,
                });
                continue;
            }
        };
        let id = Some(record.id().to_owned());
        let input: Value = serde_json::from_str(slice).unwrap_or(Value::Null);
        let understood = serde_json::to_value(&record).unwrap_or(Value::Null);
        for field in unknown_fields(&input, &understood) {
            problems.push(at(format!("unknown field `{field}`"), id.clone()));
        }
        let mut found = Problems::default();
        record.validate(&mut found);
        for problem in found.0 {
            problems.push(at(problem.to_string(), id.clone()));
        }
        if let Some(first) = first_line_of_id.insert(record.id().to_owned(), line) {
            problems.push(at(
                format!("id `{}` is also used at line {first}", record.id()),
                id.clone(),
            ));
        }
        if let Some(slug) = record.slug()
            && let Some(first) = first_line_of_slug.insert(slug.to_owned(), line)
        {
            problems.push(at(
                format!("slug `{slug}` is also used at line {first}"),
                id.clone(),
            ));
        }
        records.push(record);
    }
    if problems.is_empty() {
        Ok(records)
    } else {
        problems.truncate(PROBLEMS_MAX);
        Err(FileErrors(problems))
    }
}

/// Byte ranges of the elements of the top-level JSON array in `text`.
fn split_array(text: &str) -> Result<Vec<(usize, usize)>, FileProblem> {
    let whole: Result<Value, _> = serde_json::from_str(text);
    if let Err(error) = whole {
        let message = error.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(head, _)| head)
            .to_owned();
        return Err(FileProblem {
            // serde_json says column 0 at the start of a line (or of an
            // empty file); the report counts from 1.
            line: error.line().max(1),
            column: error.column().max(1),
            record: None,
            id: None,
            message: format!("not valid JSON: {message}"),
        });
    }
    let bytes = text.as_bytes();
    let skip_blank = |mut offset: usize| {
        while offset < bytes.len() && bytes[offset].is_ascii_whitespace() {
            offset += 1;
        }
        offset
    };
    let mut offset = skip_blank(0);
    if bytes.get(offset) != Some(&b'[') {
        let (line, column) = Position { offset }.line_column(text);
        return Err(FileProblem {
            line,
            column,
            record: None,
            id: None,
            message: "a catalogue file is a JSON array of records: `[ {...}, {...} ]`".to_owned(),
        });
    }
    offset = skip_blank(offset + 1);
    let mut elements = Vec::new();
    if bytes.get(offset) == Some(&b']') {
        return Ok(elements);
    }
    loop {
        // The whole text parsed, so each element does too.
        let mut stream = serde_json::Deserializer::from_str(&text[offset..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(_)) => {}
            _ => break,
        }
        let end = offset + stream.byte_offset();
        elements.push((offset, end));
        offset = skip_blank(end);
        match bytes.get(offset) {
            Some(b',') => offset = skip_blank(offset + 1),
            _ => break,
        }
    }
    Ok(elements)
}
