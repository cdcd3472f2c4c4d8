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
/// A read error, a line that is not UTF-8, or (JSON Lines) a line that is not an object with
/// a string at the field path; the error names the file and line. Errors from `each` pass through.
pub fn read_records<R, F>(
    file: &str,
    mut reader: R,
    format: &InputFormat,
    mut each: F,
) -> Result<()>
where
    R: BufRead,
    F: FnMut(u64, &str) -> Result<()>,
{
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
            return Ok(());
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
        let text = std::str::from_utf8(bytes).map_err(|e| {
            Error::at(
                file,
                Some(line_no),
                ErrorKind::InvalidUtf8 {
                    offset: e.valid_up_to(),
                },
            )
        })?;
        if text.trim().is_empty() {
            continue;
        }
        match format {
            InputFormat::Lines => each(line_no, text)?,
            InputFormat::Jsonl { field } => {
                let value: Value = serde_json::from_str(text)
                    .map_err(|e| Error::at(file, Some(line_no), ErrorKind::Json(e.to_string())))?;
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
    }
}
