//! Where records come from: one caption per line, a string field of each JSON line, a CSV
//! column, or the elements of a JSON array. Every record keeps its file and the 1-based line
//! where it starts.

use std::fs::File;
use std::io::{self, BufRead};

use serde_json::Value;

use crate::compress::{self, Compression};
use crate::error::{Error, ErrorKind, Result};
pub use crate::format::{Column, InputFormat, InputKind};

/// How a reader treats bytes that are not text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadOptions {
    /// Replace invalid UTF-8 and NUL bytes with U+FFFD instead of failing (`--lossy`).
    pub lossy: bool,
}

/// What a lossy read replaced with U+FFFD: nothing, unless [`ReadOptions::lossy`] is set
/// and the input had bytes that are not UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Replaced {
    /// Lines with at least one replacement (for CSV, rows whose caption field had one,
    /// counted on the line where the row starts).
    pub lines: u64,
    /// Bytes replaced: those of every invalid UTF-8 sequence (one U+FFFD each) and every NUL.
    pub bytes: u64,
    /// The first line with a replacement.
    pub first_line: Option<u64>,
}

impl std::fmt::Display for Replaced {
    /// `replaced 3 bytes on 2 lines with U+FFFD (invalid UTF-8 or NUL; first on line 2)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        write!(
            f,
            "replaced {} byte{} on {} line{} with U+FFFD (invalid UTF-8 or NUL",
            self.bytes,
            plural(self.bytes),
            self.lines,
            plural(self.lines)
        )?;
        match self.first_line {
            Some(line) => write!(f, "; first on line {line})"),
            None => write!(f, ")"),
        }
    }
}

/// Opens `path` for reading; `-` is standard input. A compressed input (gzip, zstd, xz:
/// see [`crate::compress`]) is read decompressed.
///
/// # Errors
/// The file is missing, unreadable or a directory; its name announces a compression its
/// first bytes are not. The error names the path.
pub fn open(path: &str) -> Result<Box<dyn BufRead + Send>> {
    open_detected(path).map(|(reader, _)| reader)
}

/// [`open`], also returning the compression found.
///
/// # Errors
/// As [`open`].
pub fn open_detected(path: &str) -> Result<(Box<dyn BufRead + Send>, Compression)> {
    if path == "-" {
        return compress::decompress(path, Box::new(io::stdin()));
    }
    let io_err = |e| Error::at(path, None, ErrorKind::Io(e));
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(io_err(io::Error::from(io::ErrorKind::IsADirectory)));
    }
    let file = File::open(path).map_err(io_err)?;
    compress::decompress(path, Box::new(file))
}

/// Reads every record of `reader` (named `file` in messages) and calls `each(line, text)`,
/// `line` being the 1-based line where the record starts.
///
/// ```
/// use capdedup::input::{read_records, InputFormat};
/// let mut seen = Vec::new();
/// let data = "first\r\n\n  \nsecond\n";
/// read_records("demo.txt", data.as_bytes(), &InputFormat::Lines, |line, text| {
///     seen.push((line, text.to_owned()));
///     Ok(())
/// })?;
/// assert_eq!(seen, [(1, "first".to_owned()), (4, "second".to_owned())]);
/// # Ok::<(), capdedup::Error>(())
/// ```
///
/// # Errors
/// A read error, a line that is not UTF-8 or holds a NUL byte, (JSON Lines) a line that is
/// not an object with a string at the field path, (CSV) a missing column, a row with another
/// number of fields than the first, a quoted field left open at the end, a caption field that
/// is not UTF-8 text, (JSON) a document that is not an array of strings or objects with a
/// string at the field path; the error names the file and line. Errors from `each` pass
/// through.
pub fn read_records<R, F>(file: &str, reader: R, format: &InputFormat, each: F) -> Result<()>
where
    R: BufRead,
    F: FnMut(u64, &str) -> Result<()>,
{
    read_records_with(file, reader, format, ReadOptions::default(), each).map(drop)
}

/// [`read_records`] with options; returns what a lossy read replaced. `lossy` applies to
/// every format: lines and JSON lines are repaired before they are parsed, a JSON document
/// line by line before it is parsed, and a CSV row's caption field (counted on the line where
/// the row starts).
///
/// ```
/// use capdedup::input::{read_records_with, InputFormat, ReadOptions};
/// let mut seen = Vec::new();
/// let data = b"caf\xe9 au lait\nok\n";
/// let options = ReadOptions { lossy: true };
/// let replaced = read_records_with("demo.txt", &data[..], &InputFormat::Lines, options, |_, text| {
///     seen.push(text.to_owned());
///     Ok(())
/// })?;
/// assert_eq!(seen, ["caf\u{fffd} au lait", "ok"]);
/// assert_eq!((replaced.lines, replaced.bytes, replaced.first_line), (1, 1, Some(1)));
/// # Ok::<(), capdedup::Error>(())
/// ```
///
/// # Errors
/// As [`read_records`]; with `lossy`, bytes that are not UTF-8 text are no error.
pub fn read_records_with<R, F>(
    file: &str,
    reader: R,
    format: &InputFormat,
    options: ReadOptions,
    mut each: F,
) -> Result<Replaced>
where
    R: BufRead,
    F: FnMut(u64, &str) -> Result<()>,
{
    read_parts(file, reader, format, options, false, |part| match part {
        RawPart::Record(r) => each(r.line, r.caption),
        _ => Ok(()),
    })
}

/// One record as it was read, to be written back byte for byte: see [`read_raw_records`].
#[derive(Debug, Clone, Copy)]
pub struct RawRecord<'a> {
    /// The 1-based line where the record starts.
    pub line: u64,
    /// The caption, as [`read_records`] gives it.
    pub caption: &'a str,
    /// The record's bytes as read, without what ends it: a line without its line end (and
    /// without a byte-order mark), a CSV row with all its fields and quoting, the text of a
    /// JSON array element.
    pub bytes: &'a [u8],
    /// What ends the record: its line end (`\r\n`, `\n`, `\r`, or nothing at the end of the
    /// input), or for a JSON array element the text up to the next element (`,\n  `; nothing
    /// after the last).
    pub end: &'a [u8],
    /// The fields of a JSON object record (JSON Lines, or an object element of a JSON
    /// array); `None` for other records.
    pub fields: Option<&'a serde_json::Map<String, Value>>,
}

/// The pieces of an input, in order, for [`read_raw_records`].
#[derive(Debug, Clone, Copy)]
pub enum RawPart<'a> {
    /// A byte-order mark at the start (not part of the first record's bytes).
    Bom,
    /// The CSV header row: its line, its bytes (with quoting) and its line end.
    Header {
        /// The line where it starts.
        line: u64,
        /// The row as read.
        bytes: &'a [u8],
        /// Its line end.
        end: &'a [u8],
    },
    /// The text of a JSON document before its first element (`[\n  `).
    Open(&'a [u8]),
    /// A record.
    Record(RawRecord<'a>),
    /// The text of a JSON document after its last element (`\n]\n`).
    Close(&'a [u8]),
}

/// Reads `reader` as [`read_records_with`] does, with the same errors, and gives each piece
/// of the input as read ([`RawPart`]): what a writer needs to write the records back in the
/// input's own format, byte for byte. Blank lines (not records) are not given.
///
/// ```
/// use capdedup::input::{read_raw_records, InputFormat, RawPart, ReadOptions};
/// let data = "\u{feff}id,caption\r\n1,\"A cat,\nasleep\"\r\n2,x";
/// let format = InputFormat::Csv { column: "caption".parse().unwrap(), header: true };
/// let mut seen = Vec::new();
/// read_raw_records("t.csv", data.as_bytes(), &format, ReadOptions::default(), |part| {
///     seen.push(match part {
///         RawPart::Bom => "BOM".to_owned(),
///         RawPart::Header { bytes, end, .. } => format!("header {:?}{:?}", bytes, end),
///         RawPart::Record(r) => format!("{} {:?} {:?}{:?}", r.line, r.caption, r.bytes, r.end),
///         _ => unreachable!(),
///     });
///     Ok(())
/// })?;
/// let bytes = |s: &str| format!("{:?}", s.as_bytes());
/// assert_eq!(seen[0], "BOM");
/// assert_eq!(seen[1], format!("header {}{}", bytes("id,caption"), bytes("\r\n")));
/// assert_eq!(seen[2], format!("2 \"A cat,\\nasleep\" {}{}", bytes("1,\"A cat,\nasleep\""), bytes("\r\n")));
/// assert_eq!(seen[3], format!("4 \"x\" {}[]", bytes("2,x")));
/// # Ok::<(), capdedup::Error>(())
/// ```
///
/// # Errors
/// As [`read_records`].
pub fn read_raw_records<R, F>(
    file: &str,
    reader: R,
    format: &InputFormat,
    options: ReadOptions,
    each: F,
) -> Result<Replaced>
where
    R: BufRead,
    F: FnMut(RawPart<'_>) -> Result<()>,
{
    read_parts(file, reader, format, options, true, each)
}

/// A Parquet input read whole from `reader` (see `capdedup::parquet` to stream a file).
#[cfg(feature = "parquet")]
fn read_parquet<R, F>(file: &str, reader: R, column: &Column, raw: bool, mut each: F) -> Result<()>
where
    R: BufRead,
    F: FnMut(RawPart<'_>) -> Result<()>,
{
    if raw {
        return Err(Error::new(ErrorKind::Parquet(
            "a Parquet input is written back by capdedup::parquet::write (expected a text format)"
                .to_owned(),
        )));
    }
    let source = crate::parquet::Source::read(file, reader)?;
    crate::parquet::read_records(file, source, column, |line, caption| {
        each(RawPart::Record(RawRecord {
            line,
            caption,
            bytes: caption.as_bytes(),
            end: b"",
            fields: None,
        }))
    })
    .map(drop)
}

/// Without the `parquet` feature, a Parquet input is an error.
#[cfg(not(feature = "parquet"))]
fn read_parquet<R, F>(file: &str, _: R, _: &Column, _: bool, _: F) -> Result<()>
where
    R: BufRead,
    F: FnMut(RawPart<'_>) -> Result<()>,
{
    Err(Error::at(
        file,
        None,
        ErrorKind::Parquet(NO_PARQUET.to_owned()),
    ))
}

/// The message for a Parquet input in a build without the `parquet` feature.
pub const NO_PARQUET: &str = "this capdedup was built without Parquet support (expected a build with the default Cargo feature `parquet`)";

/// Both readers: `raw` keeps the bytes of CSV rows (the other formats have them anyway).
fn read_parts<R, F>(
    file: &str,
    mut reader: R,
    format: &InputFormat,
    options: ReadOptions,
    raw: bool,
    mut each: F,
) -> Result<Replaced>
where
    R: BufRead,
    F: FnMut(RawPart<'_>) -> Result<()>,
{
    let mut replaced = Replaced::default();
    let path: Vec<&str> = match format {
        InputFormat::Lines => Vec::new(),
        InputFormat::Jsonl { field } => field.split('.').collect(),
        InputFormat::Csv { column, header } => {
            return read_csv(
                file,
                reader,
                column,
                *header,
                (options, raw),
                &mut replaced,
                each,
            )
            .map(|()| replaced);
        }
        InputFormat::Json { field } => {
            return read_json_array(file, reader, field, options, &mut replaced, each)
                .map(|()| replaced);
        }
        InputFormat::Parquet { column } => {
            return read_parquet(file, reader, column, raw, each).map(|()| replaced);
        }
    };
    let mut buf = Vec::with_capacity(256);
    let mut line_no: u64 = 0;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::at(file, Some(line_no + 1), ErrorKind::Io(e)))?;
        if n == 0 {
            return Ok(replaced);
        }
        line_no += 1;
        let mut bytes = buf.as_slice();
        if let Some(b) = bytes.strip_suffix(b"\n") {
            bytes = b;
        }
        if let Some(b) = bytes.strip_suffix(b"\r") {
            bytes = b;
        }
        let end = &buf[bytes.len()..];
        if line_no == 1 {
            if let Some(b) = bytes.strip_prefix(BOM) {
                bytes = b;
                each(RawPart::Bom)?;
            }
        }
        let repaired: String;
        let text = match decode(bytes) {
            Ok(text) => text,
            Err(_) if options.lossy => {
                repaired = replace_bad_bytes(bytes, line_no, &mut replaced);
                &repaired
            }
            Err(kind) => return Err(Error::at(file, Some(line_no), kind)),
        };
        if text.trim().is_empty() {
            continue;
        }
        match format {
            InputFormat::Jsonl { field } => {
                let value: Value = serde_json::from_str(text)
                    .map_err(|e| Error::at(file, Some(line_no), ErrorKind::Json(json_error(&e))))?;
                if !value.is_object() {
                    return Err(Error::at(
                        file,
                        Some(line_no),
                        ErrorKind::NotAnObject {
                            field: field.clone(),
                            found: json_type(&value),
                        },
                    ));
                }
                let caption = lookup(&value, &path).ok_or_else(|| {
                    Error::at(file, Some(line_no), ErrorKind::MissingField(field.clone()))
                })?;
                match caption {
                    Value::String(s) => each(RawPart::Record(RawRecord {
                        line: line_no,
                        caption: s,
                        bytes,
                        end,
                        fields: value.as_object(),
                    }))?,
                    other => {
                        return Err(Error::at(
                            file,
                            Some(line_no),
                            ErrorKind::NotAString {
                                field: field.clone(),
                                found: json_type(other),
                            },
                        ));
                    }
                }
            }
            _ => each(RawPart::Record(RawRecord {
                line: line_no,
                caption: text,
                bytes,
                end,
                fields: None,
            }))?,
        }
    }
}

pub(crate) const BOM: &[u8] = "\u{feff}".as_bytes();

/// CSV rows through the csv crate, which keeps quoted newlines inside a field and the line
/// where each row starts. Every row must have as many fields as the first (the header, or
/// the first record with `--no-header`): a comma or a line break in an unquoted field shifts
/// the columns after it, so the caption column of a ragged row may hold the wrong text.
fn read_csv<R, F>(
    file: &str,
    mut reader: R,
    column: &Column,
    header: bool,
    (options, raw): (ReadOptions, bool),
    replaced: &mut Replaced,
    mut each: F,
) -> Result<()>
where
    R: BufRead,
    F: FnMut(RawPart<'_>) -> Result<()>,
{
    if let (Column::Name(name), false) = (column, header) {
        return Err(Error::new(ErrorKind::InvalidOption(format!(
            "--column `{name}` names a column, but the CSV has no header row (expected a 1-based index)"
        ))));
    }
    // The csv crate keeps a byte-order mark as part of the first field.
    let has_bom = reader
        .fill_buf()
        .map_err(|e| Error::at(file, Some(1), ErrorKind::Io(e)))?
        .starts_with(BOM);
    if has_bom {
        reader.consume(BOM.len());
        each(RawPart::Bom)?;
    }
    let mut tracker = LineTracker::new(reader);
    if raw {
        tracker.kept = Some(Vec::new());
    }
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(tracker);
    let mut record = csv::ByteRecord::new();
    let read = |csv: &mut csv::Reader<LineTracker<R>>, record: &mut csv::ByteRecord| {
        let more = csv.read_byte_record(record).map_err(|e| {
            let line = csv.position().line();
            // Flexible rows read as bytes leave only I/O errors.
            let kind = match e.into_kind() {
                csv::ErrorKind::Io(e) => ErrorKind::Io(e),
                other => ErrorKind::Io(io::Error::other(format!("{other:?}"))),
            };
            Error::at(file, Some(line), kind)
        })?;
        // The csv crate ends a quoted field left open at the end of the input without a word,
        // and the rest of the file would become one field.
        if let Some((byte, line)) = csv.get_ref().unclosed_quote {
            if more && csv.position().byte() > byte {
                return Err(Error::at(file, Some(line), ErrorKind::UnclosedQuote));
            }
        }
        Ok(more)
    };
    let start_line = |csv: &mut csv::Reader<LineTracker<R>>, record: &csv::ByteRecord| {
        let byte = record.position().map_or(0, |p| p.byte());
        csv.get_mut().line_at(byte)
    };
    let start_byte = |record: &csv::ByteRecord| record.position().map_or(0, |p| p.byte());
    if !read(&mut csv, &mut record)? {
        return Ok(());
    }
    let first_line = start_line(&mut csv, &record);
    let fields = record.len();
    let index = match column {
        Column::Index(i) if *i > fields => {
            return Err(Error::at(
                file,
                Some(first_line),
                ErrorKind::ShortRow { column: *i, fields },
            ));
        }
        Column::Index(i) => i - 1,
        Column::Name(name) => {
            let names: Vec<String> = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_owned())
                .collect();
            names.iter().position(|n| n == name).ok_or_else(|| {
                Error::at(
                    file,
                    Some(first_line),
                    ErrorKind::NoSuchColumn {
                        column: name.clone(),
                        header: names.clone(),
                    },
                )
            })?
        }
    };
    // With `raw`, a row's bytes are known once the next row starts (or the input ends):
    // each row is given one row late, from `held`. Without, each row is given at once (so
    // that `strip` writes every record before a bad one).
    let mut row = Vec::new();
    let mut held = csv::ByteRecord::new();
    // The row held: its start byte, line, and whether it is the header.
    let mut held_at: Option<(u64, u64, bool)> = None;
    let mut give = |csv: &mut csv::Reader<LineTracker<R>>,
                    held: &csv::ByteRecord,
                    (from, line, is_header): (u64, u64, bool),
                    to: u64,
                    replaced: &mut Replaced|
     -> Result<()> {
        let row_len = if raw {
            csv.get_mut().row_bytes(from, to, &mut row)
        } else {
            0
        };
        let (bytes, end) = row.split_at(row_len);
        if is_header {
            return each(RawPart::Header { line, bytes, end });
        }
        let field = &held[index];
        let repaired: String;
        let text = match decode(field) {
            Ok(text) => text,
            Err(_) if options.lossy => {
                repaired = replace_bad_bytes(field, line, replaced);
                &repaired
            }
            Err(ErrorKind::NulByte { offset }) => {
                return Err(Error::at(
                    file,
                    Some(line),
                    ErrorKind::NulByteField { offset },
                ));
            }
            Err(ErrorKind::InvalidUtf8 { offset }) => {
                return Err(Error::at(
                    file,
                    Some(line),
                    ErrorKind::InvalidUtf8Field { offset },
                ));
            }
            Err(kind) => return Err(Error::at(file, Some(line), kind)),
        };
        each(RawPart::Record(RawRecord {
            line,
            caption: text,
            bytes,
            end,
            fields: None,
        }))
    };
    let mut is_header = header;
    loop {
        let line = start_line(&mut csv, &record);
        if record.len() != fields {
            return Err(Error::at(
                file,
                Some(line),
                ErrorKind::RaggedRow {
                    fields: record.len(),
                    expected: fields,
                    header,
                    first_line,
                },
            ));
        }
        let at = start_byte(&record);
        if raw {
            if let Some(prev) = held_at.take() {
                give(&mut csv, &held, prev, at, replaced)?;
            }
            std::mem::swap(&mut held, &mut record);
            held_at = Some((at, line, is_header));
        } else {
            give(&mut csv, &record, (at, line, is_header), at, replaced)?;
        }
        is_header = false;
        if !read(&mut csv, &mut record)? {
            break;
        }
    }
    if let Some(prev) = held_at {
        let to = csv.get_ref().offset;
        give(&mut csv, &held, prev, to, replaced)?;
    }
    Ok(())
}

/// Counts lines under the csv crate. Its `Position::line()` is taken before the terminator
/// of the previous row (the `\n` of a CRLF) and before skipped blank lines, so it can be
/// behind the line where a row starts. This reader notes where line terminators are, and
/// [`LineTracker::line_at`] finds the first byte of a row at or after the csv position.
struct LineTracker<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Offsets of the `\r` and `\n` bytes not yet passed (`true` for `\n`), in order.
    terminators: std::collections::VecDeque<(u64, bool)>,
    /// Newlines before the first entry of `terminators`.
    lines_passed: u64,
    /// Where the bytes read so far leave the csv parser (default dialect), to notice a quoted
    /// field still open at the end of the input.
    quote: CsvState,
    /// The 1-based line of the next byte.
    line: u64,
    /// The byte offset and line of the opening quote of a field still open at the end of the
    /// input.
    unclosed_quote: Option<(u64, u64)>,
    /// The bytes read from `kept_from` on, when rows are given as read.
    kept: Option<Vec<u8>>,
    /// The offset of the first byte of `kept`.
    kept_from: u64,
}

/// The quoting states of csv-core's parser with the default dialect (`,`, `"`, doubled
/// quotes, CR, LF or CRLF line ends, no escapes or comments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CsvState {
    /// At the start of a field (or of a row).
    FieldStart,
    /// In an unquoted field, where a `"` is text.
    Unquoted,
    /// In a quoted field, opened at this byte offset and line.
    Quoted(u64, u64),
    /// Just after a `"` in a quoted field (opened at this byte offset and line): a second `"`
    /// is a quote, anything else closes the field.
    AfterQuote(u64, u64),
}

impl CsvState {
    fn next(self, b: u8, at: u64, line: u64) -> CsvState {
        match (self, b) {
            (CsvState::Quoted(at, line), b'"') => CsvState::AfterQuote(at, line),
            (CsvState::Quoted(..), _) => self,
            (CsvState::FieldStart, b'"') => CsvState::Quoted(at, line),
            (CsvState::AfterQuote(at, line), b'"') => CsvState::Quoted(at, line),
            (_, b',' | b'\r' | b'\n') => CsvState::FieldStart,
            _ => CsvState::Unquoted,
        }
    }
}

impl<R> LineTracker<R> {
    fn new(inner: R) -> Self {
        LineTracker {
            inner,
            offset: 0,
            terminators: std::collections::VecDeque::new(),
            lines_passed: 0,
            quote: CsvState::FieldStart,
            line: 1,
            unclosed_quote: None,
            kept: None,
            kept_from: 0,
        }
    }

    /// Puts in `out` the row read from `from` to `to` (csv positions of this row and the
    /// next, which can include the line ends before and after it): the row without them,
    /// then the line end after it. Returns where the line end starts in `out`; forgets the
    /// bytes before `to`.
    fn row_bytes(&mut self, from: u64, to: u64, out: &mut Vec<u8>) -> usize {
        let kept = self.kept.as_mut().expect("rows are kept");
        let from = (from - self.kept_from) as usize;
        let to_at = (to - self.kept_from) as usize;
        let line_end = |b: &u8| *b == b'\r' || *b == b'\n';
        let region = &kept[from..to_at];
        let start = region
            .iter()
            .position(|b| !line_end(b))
            .unwrap_or(region.len());
        let stop = region
            .iter()
            .rposition(|b| !line_end(b))
            .map_or(start, |p| p + 1);
        // The line end can reach past `to`, the csv position of the next row.
        let after = &kept[from + stop..];
        let end = if after.starts_with(b"\r\n") {
            2
        } else {
            usize::from(after.first().is_some_and(line_end))
        };
        out.clear();
        out.extend_from_slice(&kept[from + start..from + stop + end]);
        kept.drain(..to_at);
        self.kept_from = to;
        stop - start
    }

    /// The 1-based line of the first byte at or after `byte` that is not a line terminator.
    /// Calls must not go backwards.
    fn line_at(&mut self, byte: u64) -> u64 {
        while let Some(&(at, newline)) = self.terminators.front() {
            if at >= byte {
                break;
            }
            self.lines_passed += u64::from(newline);
            self.terminators.pop_front();
        }
        // The terminators right at `byte`, one after the other, come before the row.
        let newlines = self
            .terminators
            .iter()
            .zip(byte..)
            .take_while(|&(&(at, _), next)| at == next)
            .filter(|&(&(_, newline), _)| newline)
            .count() as u64;
        1 + self.lines_passed + newlines
    }
}

impl<R: io::Read> io::Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            if let CsvState::Quoted(at, line) = self.quote {
                self.unclosed_quote = Some((at, line));
            }
        }
        if let Some(kept) = &mut self.kept {
            kept.extend_from_slice(&buf[..n]);
        }
        for (i, &b) in buf[..n].iter().enumerate() {
            let at = self.offset + i as u64;
            if b == b'\n' || b == b'\r' {
                self.terminators.push_back((at, b == b'\n'));
            }
            self.quote = self.quote.next(b, at, self.line);
            self.line += u64::from(b == b'\n');
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// The elements of one JSON array, each with the line where it starts. serde_json gives no
/// positions inside a document, so the array's punctuation is walked here and each element
/// is parsed on its own.
fn read_json_array<R, F>(
    file: &str,
    mut reader: R,
    field: &str,
    options: ReadOptions,
    replaced: &mut Replaced,
    mut each: F,
) -> Result<()>
where
    R: BufRead,
    F: FnMut(RawPart<'_>) -> Result<()>,
{
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::at(file, None, ErrorKind::Io(e)))?;
    let doc = match bytes.strip_prefix(BOM) {
        Some(doc) => {
            each(RawPart::Bom)?;
            doc
        }
        None => &bytes,
    };
    // Text first, line by line as for the other formats, so that a bad byte is named by its
    // line (serde_json would only say "invalid unicode code point").
    let repaired: String;
    let doc = if std::str::from_utf8(doc).is_ok() && !doc.contains(&0) {
        doc
    } else {
        let mut text = String::with_capacity(doc.len() + 16);
        for (i, line) in doc.split(|&b| b == b'\n').enumerate() {
            let line_no = i as u64 + 1;
            if i > 0 {
                text.push('\n');
            }
            match decode(line) {
                Ok(ok) => text.push_str(ok),
                Err(_) if options.lossy => {
                    text.push_str(&replace_bad_bytes(line, line_no, replaced));
                }
                Err(kind) => return Err(Error::at(file, Some(line_no), kind)),
            }
        }
        repaired = text;
        repaired.as_bytes()
    };
    let path: Vec<&str> = field.split('.').collect();
    let mut pos = 0;
    // Line of `pos`, advanced as `pos` moves forward.
    let (mut line, mut counted) = (1u64, 0);
    let mut line_at = |to: usize| {
        line += doc[counted..to].iter().filter(|&&b| b == b'\n').count() as u64;
        counted = to;
        line
    };
    let shape = |line: u64, msg: String| Error::at(file, Some(line), ErrorKind::JsonArray(msg));
    let skip_ws = |mut p: usize| {
        while p < doc.len() && matches!(doc[p], b' ' | b'\t' | b'\n' | b'\r') {
            p += 1;
        }
        p
    };
    // One JSON value starting at `at`: the value and where it ends.
    let value_at = |at: usize, line: u64| -> Result<(Value, usize)> {
        let mut stream = serde_json::Deserializer::from_slice(&doc[at..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(v)) => Ok((v, at + stream.byte_offset())),
            Some(Err(e)) => Err(shape(
                line + e.line().saturating_sub(1) as u64,
                format!("invalid JSON: {}", json_message(&e)),
            )),
            None => Err(shape(
                line,
                "invalid JSON: the document ends before the array is closed".into(),
            )),
        }
    };

    pos = skip_ws(pos);
    match doc.get(pos) {
        Some(b'[') => {}
        None => return Err(shape(line_at(pos), "the document is empty".into())),
        Some(_) => {
            let l = line_at(pos);
            let (v, _) = value_at(pos, l)?;
            return Err(shape(l, format!("the document is {}", json_type(&v))));
        }
    }
    pos = skip_ws(pos + 1);
    if doc.get(pos) == Some(&b']') {
        each(RawPart::Open(&doc[..pos]))?;
        each(RawPart::Close(&doc[pos..]))?;
        pos += 1;
    } else {
        each(RawPart::Open(&doc[..pos]))?;
        loop {
            let l = line_at(pos);
            let (value, end) = value_at(pos, l)?;
            let element = &doc[pos..end];
            // What follows: the separator up to the next element, or the end of the array.
            let after = skip_ws(end);
            let (next, last) = match doc.get(after) {
                Some(b',') => (skip_ws(after + 1), false),
                Some(b']') => (end, true),
                _ => {
                    return Err(shape(
                        line_at(after),
                        "invalid JSON: expected `,` or `]` after an element".into(),
                    ));
                }
            };
            let record = |caption| {
                RawPart::Record(RawRecord {
                    line: l,
                    caption,
                    bytes: element,
                    end: &doc[end..next],
                    fields: value.as_object(),
                })
            };
            match &value {
                Value::String(s) => each(record(s))?,
                Value::Object(_) => match lookup(&value, &path) {
                    Some(Value::String(s)) => each(record(s))?,
                    Some(other) => {
                        return Err(Error::at(
                            file,
                            Some(l),
                            ErrorKind::NotAString {
                                field: field.to_owned(),
                                found: json_type(other),
                            },
                        ));
                    }
                    None => {
                        return Err(Error::at(
                            file,
                            Some(l),
                            ErrorKind::MissingField(field.to_owned()),
                        ));
                    }
                },
                other => return Err(shape(l, format!("an element is {}", json_type(other)))),
            }
            if last {
                each(RawPart::Close(&doc[end..]))?;
                pos = after + 1;
                break;
            }
            pos = next;
        }
    }
    pos = skip_ws(pos);
    if pos < doc.len() {
        return Err(shape(line_at(pos), "there is more after the array".into()));
    }
    Ok(())
}

/// serde_json's message without its " at line L column C" (relative to the element, so wrong
/// for the document); the error names the absolute line instead.
fn json_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    }
}

/// The line as text, or why it is not: invalid UTF-8 or a NUL byte, whichever comes first.
/// A NUL is valid UTF-8 but never caption text; it is what a UTF-16 or binary file looks like.
fn decode(bytes: &[u8]) -> std::result::Result<&str, ErrorKind> {
    let text = std::str::from_utf8(bytes);
    let valid_up_to = text
        .as_ref()
        .map_or_else(|e| e.valid_up_to(), |_| bytes.len());
    if let Some(offset) = bytes[..valid_up_to].iter().position(|&b| b == 0) {
        return Err(ErrorKind::NulByte { offset });
    }
    text.map_err(|e| ErrorKind::InvalidUtf8 {
        offset: e.valid_up_to(),
    })
}

/// The line with each invalid UTF-8 sequence and each NUL replaced by U+FFFD, counted.
fn replace_bad_bytes(bytes: &[u8], line: u64, replaced: &mut Replaced) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    let mut count = 0u64;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\0' {
                out.push(char::REPLACEMENT_CHARACTER);
                count += 1;
            } else {
                out.push(c);
            }
        }
        if !chunk.invalid().is_empty() {
            out.push(char::REPLACEMENT_CHARACTER);
            count += chunk.invalid().len() as u64;
        }
    }
    replaced.lines += 1;
    replaced.bytes += count;
    replaced.first_line.get_or_insert(line);
    out
}

/// serde_json's message for one line, without its "at line 1" (every record is parsed on
/// its own, so its line would always be 1, next to the real line of the file).
fn json_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&position) {
        Some(head) if e.line() == 1 => format!("{head} at column {}", e.column()),
        _ => message,
    }
}

/// The value at a dotted path inside nested objects.
fn lookup<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter()
        .try_fold(value, |v, part| v.as_object()?.get(*part))
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(data: &[u8], format: &InputFormat) -> Result<Vec<(u64, String)>> {
        let mut out = Vec::new();
        read_records("t", data, format, |l, t| {
            out.push((l, t.to_owned()));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn lines_crlf_blank_bom_and_no_final_newline() {
        let got = collect("\u{feff}a\r\n\r\n \t\nb".as_bytes(), &InputFormat::Lines).unwrap();
        assert_eq!(got, [(1, "a".to_owned()), (4, "b".to_owned())]);
    }

    #[test]
    fn invalid_utf8_names_file_and_line() {
        let err = collect(b"ok\nbad \xff here\n", &InputFormat::Lines).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:2: invalid UTF-8 at byte 5 of the line (expected UTF-8 text)"
        );
    }

    #[test]
    fn jsonl_dotted_field_and_errors() {
        let f = InputFormat::Jsonl {
            field: "meta.caption".into(),
        };
        let got = collect(br#"{"meta":{"caption":"x"}}"#, &f).unwrap();
        assert_eq!(got, [(1, "x".to_owned())]);
        let err = collect(b"{\"meta\":{}}\n", &f).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:1: missing field `meta.caption` (expected a string caption there)"
        );
        let err = collect(b"\n{\"meta\":{\"caption\":3}}\n", &f).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:2: field `meta.caption` is a number (expected a string caption)"
        );
        let err = collect(b"{oops\n", &f).unwrap_err();
        assert!(err.to_string().starts_with("t:1: invalid JSON"), "{err}");
        let err = collect(b"[1, 2]\n", &f).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:1: the line is an array (expected a JSON object with a string caption at `meta.caption`)"
        );
        // serde_json's position is within the line; the file's line comes first.
        let err = collect(b"\n\n{\"meta\": {\"caption\": \"x\"", &f).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:3: invalid JSON (expected one JSON object per line): EOF while parsing an object at column 24"
        );
    }

    fn csv(column: &str, header: bool) -> InputFormat {
        InputFormat::Csv {
            column: column.parse().unwrap(),
            header,
        }
    }

    #[test]
    fn csv_quoted_newlines_keep_the_line_where_the_row_starts() {
        let data = "\u{feff}id,caption\r\n1,\"A cat,\nasleep\"\r\n2,\"Say \"\"hi\"\"\"\n\n3,\n";
        let got = collect(data.as_bytes(), &csv("caption", true)).unwrap();
        assert_eq!(
            got,
            [
                (2, "A cat,\nasleep".to_owned()),
                (4, "Say \"hi\"".to_owned()),
                (6, String::new()),
            ]
        );
        assert_eq!(collect(data.as_bytes(), &csv("2", true)).unwrap(), got);
        let got = collect(b"a,x\nb,y\n", &csv("2", false)).unwrap();
        assert_eq!(got, [(1, "x".to_owned()), (2, "y".to_owned())]);
    }

    #[test]
    fn csv_errors_name_the_line_and_what_was_expected() {
        let err = collect(b"id,text\n1,x\n", &csv("caption", true)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:1: no column `caption` in the header (expected one of: id, text; or a 1-based index)"
        );
        let err = collect(b"id,caption\n1,x\n2\n", &csv("caption", true)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:3: the row has 1 field (expected 2, as in the header on line 1; quote a field that holds a comma or a line break)"
        );
        // A longer row is as suspect: an unquoted comma cut its caption short.
        let err = collect(b"\nid,caption\n1,A cat, asleep\n", &csv("2", true)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t:3: the row has 3 fields (expected 2, as in the header on line 2;"),
            "{err}"
        );
        let err = collect(b"a,b\n\"c\nd\",e\nf\n", &csv("2", false)).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "t:4: the row has 1 field (expected 2, as in the first row on line 1;"
            ),
            "{err}"
        );
        let err = collect(b"a\nb\n", &csv("2", false)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:1: the row has 1 field (expected the caption in column 2)"
        );
        let err = collect(b"1,\"a\nb\"\n2,\xff\n", &csv("2", false)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:3: invalid UTF-8 at byte 1 of the caption field (expected UTF-8 text)"
        );
        let err = collect(b"x\n", &csv("caption", false)).unwrap_err();
        assert!(err.to_string().contains("no header row"), "{err}");
        assert!(err.location().is_none());
        assert!("0".parse::<Column>().is_err() && "".parse::<Column>().is_err());
    }

    #[test]
    fn csv_quote_left_open_at_the_end_names_its_line() {
        let unclosed = "t:3: a quoted field opens here and is never closed (expected a closing `\"` before the end of the file)";
        let err = collect(b"id,caption\n1,ok\n2,\"A cat\n3,x\n", &csv("2", true)).unwrap_err();
        assert_eq!(err.to_string(), unclosed);
        // Closed quotes, doubled quotes and quotes inside unquoted fields are fine; the
        // opening quote's own line is named, not the row's.
        let data = b"id,caption\n1,\"a \"\"b\"\"\"\n2,say \"hi\n3,\"x\"";
        assert_eq!(collect(data, &csv("2", true)).unwrap().len(), 3);
        let err = collect(b"id,caption\n1,\"a\nb\",\"c\n", &csv("2", true)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t:3: a quoted field opens here"),
            "{err}"
        );
        let err = collect(b"id,\"caption\n", &csv("caption", true)).unwrap_err();
        assert!(err.to_string().starts_with("t:1: a quoted field"), "{err}");
        // A quote still open in the middle of a long input is found too (the csv crate reads
        // in blocks).
        let mut long = b"id,caption\n".to_vec();
        for i in 0..20_000 {
            long.extend_from_slice(format!("{i},caption {i}\n").as_bytes());
        }
        long.extend_from_slice(b"x,\"open\n");
        for i in 0..20_000 {
            long.extend_from_slice(format!("{i},caption {i}\n").as_bytes());
        }
        let err = collect(&long, &csv("2", true)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t:20002: a quoted field opens here"),
            "{err}"
        );
    }

    #[test]
    fn csv_and_json_array_are_checked_and_repaired_as_text() {
        let err = collect(b"id,caption\n1,a\0b\n", &csv("2", true)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:2: NUL byte at byte 2 of the caption field (expected UTF-8 text, not UTF-16 or binary data)"
        );
        let json = InputFormat::Json {
            field: "caption".into(),
        };
        let err = collect(b"[\"ok\",\n \"caf\xe9\"]", &json).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:2: invalid UTF-8 at byte 6 of the line (expected UTF-8 text)"
        );
        let lossy = ReadOptions { lossy: true };
        for (data, format) in [
            (
                &b"id,caption\n1,caf\xe9\n2,\"a\nb\xff\0\"\n"[..],
                csv("2", true),
            ),
            (&b"[\n\"caf\xe9\",\n \"a\\nb\xff\0\"]"[..], json.clone()),
        ] {
            let mut seen = Vec::new();
            let replaced = read_records_with("t", data, &format, lossy, |l, t| {
                seen.push((l, t.to_owned()));
                Ok(())
            })
            .unwrap();
            assert_eq!(
                seen,
                [
                    (2, "caf\u{fffd}".to_owned()),
                    (3, "a\nb\u{fffd}\u{fffd}".to_owned())
                ],
                "{format:?}"
            );
            assert_eq!(
                (replaced.lines, replaced.bytes, replaced.first_line),
                (2, 3, Some(2)),
                "{format:?}"
            );
        }
    }

    #[test]
    fn json_array_of_strings_or_objects_with_lines() {
        let f = InputFormat::Json {
            field: "meta.caption".into(),
        };
        let data = "\u{feff} [\"one\",\n  {\"meta\": {\"caption\": \"two\"}},\n\n  \"three\"\n]\n";
        let got = collect(data.as_bytes(), &f).unwrap();
        assert_eq!(
            got,
            [
                (1, "one".to_owned()),
                (2, "two".to_owned()),
                (4, "three".to_owned())
            ]
        );
        assert!(collect(b" [ ] ", &f).unwrap().is_empty());
    }

    #[test]
    fn json_array_errors_name_the_line_and_what_was_expected() {
        let f = InputFormat::Json {
            field: "caption".into(),
        };
        let err = |data: &str| collect(data.as_bytes(), &f).unwrap_err().to_string();
        let expected = "(expected a JSON array of caption strings or of objects)";
        assert_eq!(
            err("\n{\"caption\": \"x\"}"),
            format!("t:2: the document is an object {expected}")
        );
        assert_eq!(
            err("[\"a\",\n 3]"),
            format!("t:2: an element is a number {expected}")
        );
        assert_eq!(
            err("[\"a\",\n\n {\"text\": \"b\"}]"),
            "t:3: missing field `caption` (expected a string caption there)"
        );
        assert_eq!(
            err("[{\"caption\": null}]"),
            "t:1: field `caption` is null (expected a string caption)"
        );
        assert_eq!(
            err("[\"a\",\n\"b\"\n\"c\"]"),
            format!("t:3: invalid JSON: expected `,` or `]` after an element {expected}")
        );
        assert_eq!(
            err("[\"a\",\n{\"caption\":\n\"b\",}]"),
            format!("t:3: invalid JSON: trailing comma {expected}")
        );
        assert_eq!(
            err("[\"a\"] x"),
            format!("t:1: there is more after the array {expected}")
        );
        assert_eq!(err("  "), format!("t:1: the document is empty {expected}"));
        assert_eq!(
            err("[\"a\",\n"),
            format!("t:2: invalid JSON: the document ends before the array is closed {expected}")
        );
    }

    /// Every part of an input as read, as text.
    fn parts(data: &[u8], format: &InputFormat) -> Vec<String> {
        let mut out = Vec::new();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        read_raw_records("t", data, format, ReadOptions::default(), |part| {
            out.push(match part {
                RawPart::Bom => "BOM".to_owned(),
                RawPart::Header { line, bytes, end } => {
                    format!("header {line} {:?} {:?}", text(bytes), text(end))
                }
                RawPart::Open(b) => format!("open {:?}", text(b)),
                RawPart::Close(b) => format!("close {:?}", text(b)),
                RawPart::Record(r) => format!(
                    "{} {:?} {:?} {:?} {}",
                    r.line,
                    r.caption,
                    text(r.bytes),
                    text(r.end),
                    r.fields.is_some()
                ),
            });
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn raw_parts_give_back_every_byte_of_a_record() {
        let lines = parts(b"\xef\xbb\xbfa\r\n\n b \nc", &InputFormat::Lines);
        assert_eq!(
            lines,
            [
                "BOM",
                r#"1 "a" "a" "\r\n" false"#,
                r#"3 " b " " b " "\n" false"#,
                r#"4 "c" "c" "" false"#
            ]
        );
        let json = InputFormat::Json {
            field: "caption".into(),
        };
        let array = parts(b"[\n  \"a\", {\"caption\": \"b\"} ,\n\"c\"\n]\n", &json);
        assert_eq!(
            array,
            [
                r#"open "[\n  ""#,
                r#"2 "a" "\"a\"" ", " false"#,
                r#"2 "b" "{\"caption\": \"b\"}" " ,\n" true"#,
                r#"3 "c" "\"c\"" "" false"#,
                r#"close "\n]\n""#
            ]
        );
        assert_eq!(parts(b" [ ] ", &json), [r#"open " [ ""#, r#"close "] ""#]);
        // CSV rows with CR, LF and CRLF ends, blank lines between them, a quoted line break
        // (lines are counted by LF, so the row after a lone CR is on the header's line).
        let csv = parts(
            b"id,caption\r1,\"x\r\ny\"\n\n\r\n2,z",
            &csv("caption", true),
        );
        assert_eq!(
            csv,
            [
                r#"header 1 "id,caption" "\r""#,
                r#"1 "x\r\ny" "1,\"x\r\ny\"" "\n" false"#,
                r#"5 "z" "2,z" "" false"#
            ]
        );
    }

    #[test]
    fn nul_bytes_are_not_text() {
        let err = collect(b"ok\nA\0B\0\n", &InputFormat::Lines).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t:2: NUL byte at byte 2 of the line (expected UTF-8 text, not UTF-16 or binary data)"
        );
        // Whichever comes first is reported.
        let err = collect(b"\xff\0", &InputFormat::Lines).unwrap_err();
        assert!(err.to_string().contains("invalid UTF-8 at byte 1"), "{err}");
        let err = collect(b"\0\xff", &InputFormat::Lines).unwrap_err();
        assert!(err.to_string().contains("NUL byte at byte 1"), "{err}");
    }

    #[test]
    fn lossy_replaces_and_counts() {
        let mut seen = Vec::new();
        let lossy = ReadOptions { lossy: true };
        let data = b"fine\nbad \xff\xfe and \0\n\nalso \xe2\x82 cut\n";
        let replaced = read_records_with("t", &data[..], &InputFormat::Lines, lossy, |l, t| {
            seen.push((l, t.to_owned()));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                (1, "fine".to_owned()),
                (2, "bad \u{fffd}\u{fffd} and \u{fffd}".to_owned()),
                (4, "also \u{fffd} cut".to_owned())
            ]
        );
        assert_eq!(
            replaced,
            Replaced {
                lines: 2,
                bytes: 5,
                first_line: Some(2)
            }
        );
        assert_eq!(
            replaced.to_string(),
            "replaced 5 bytes on 2 lines with U+FFFD (invalid UTF-8 or NUL; first on line 2)"
        );
        let clean =
            read_records_with("t", &b"a\n"[..], &InputFormat::Lines, lossy, |_, _| Ok(())).unwrap();
        assert_eq!(clean, Replaced::default());
        // JSON Lines are repaired before they are parsed.
        let f = InputFormat::Jsonl {
            field: "caption".into(),
        };
        let mut seen = Vec::new();
        read_records_with(
            "t",
            &b"{\"caption\": \"x\xff\"}\n"[..],
            &f,
            lossy,
            |_, t| {
                seen.push(t.to_owned());
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, ["x\u{fffd}"]);
    }
}
