//! Where records come from: one caption per line, or a string field of each JSON line.
//! Every record keeps its file and 1-based line.

use std::fs::File;
use std::io::{self, BufRead, BufReader};

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};

/// How captions are laid out in the input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// One caption per line (UTF-8; CRLF accepted; blank lines are not records).
    #[default]
    Lines,
    /// JSON Lines: one object per line; the caption is the string at `field`, a dotted path
    /// such as `caption` or `meta.caption`. Blank lines are skipped.
    Jsonl {
        /// Dotted path of the caption field.
        field: String,
    },
}

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
    /// Lines with at least one replacement.
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

/// Opens `path` for reading; `-` is standard input.
///
/// # Errors
/// The file is missing, unreadable or a directory; the error names the path.
pub fn open(path: &str) -> Result<Box<dyn BufRead>> {
    if path == "-" {
        return Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())));
    }
    let io_err = |e| Error::at(path, None, ErrorKind::Io(e));
    let meta = std::fs::metadata(path).map_err(io_err)?;
    if meta.is_dir() {
        return Err(io_err(io::Error::from(io::ErrorKind::IsADirectory)));
    }
    let file = File::open(path).map_err(io_err)?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
}

/// Reads every record of `reader` (named `file` in messages) and calls `each(line, text)`.
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
/// A read error, a line that is not UTF-8 or holds a NUL byte, or (JSON Lines) a line that
/// is not an object with a string at the field path; the error names the file and line.
/// Errors from `each` pass through.
pub fn read_records<R, F>(file: &str, reader: R, format: &InputFormat, each: F) -> Result<()>
where
    R: BufRead,
    F: FnMut(u64, &str) -> Result<()>,
{
    read_records_with(file, reader, format, ReadOptions::default(), each).map(drop)
}

/// [`read_records`] with options; returns what a lossy read replaced.
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
    mut reader: R,
    format: &InputFormat,
    options: ReadOptions,
    mut each: F,
) -> Result<Replaced>
where
    R: BufRead,
    F: FnMut(u64, &str) -> Result<()>,
{
    let mut replaced = Replaced::default();
    let path: Vec<&str> = match format {
        InputFormat::Lines => Vec::new(),
        InputFormat::Jsonl { field } => field.split('.').collect(),
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
        if line_no == 1 {
            if let Some(b) = bytes.strip_prefix("\u{feff}".as_bytes()) {
                bytes = b;
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
            InputFormat::Lines => each(line_no, text)?,
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
                    Value::String(s) => each(line_no, s)?,
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
        }
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
