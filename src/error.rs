//! The library's error type: every error says where (file and line) and what was expected.

use std::fmt;
use std::io;

/// Where an input error happened: the file as the user named it (`-` for standard input)
/// and, when the error belongs to one record, its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as given on the command line, `-` for standard input.
    pub file: String,
    /// The 1-based line, or `None` when the error concerns the whole file (say, it is missing).
    pub line: Option<u64>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.file, line),
            None => write!(f, "{}", self.file),
        }
    }
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be opened or read.
    Io(io::Error),
    /// A line is not valid UTF-8; `offset` is the byte offset of the first bad byte in the line.
    InvalidUtf8 {
        /// Byte offset of the first invalid byte within the line (0-based).
        offset: usize,
    },
    /// A line holds a NUL byte (UTF-16 or binary data); `offset` is its 0-based byte offset.
    NulByte {
        /// Byte offset of the NUL within the line (0-based).
        offset: usize,
    },
    /// A JSON Lines record did not parse.
    Json(String),
    /// A JSON Lines record is valid JSON but not an object.
    NotAnObject {
        /// The field path the caption was expected at.
        field: String,
        /// The JSON type found instead (`an array`, `a string`, ...).
        found: &'static str,
    },
    /// A JSON Lines record lacks the field named with `--field`.
    MissingField(String),
    /// The field exists but is not a string.
    NotAString {
        /// The field path.
        field: String,
        /// The JSON type found instead (`number`, `object`, ...).
        found: &'static str,
    },
    /// A `--credit-pattern` is not a valid regular expression.
    InvalidPattern {
        /// The pattern as given.
        pattern: String,
        /// The regex engine's explanation.
        reason: String,
    },
    /// An option is out of range (say, a threshold above 1).
    InvalidOption(String),
    /// A CSV caption field is not valid UTF-8; `offset` is the byte offset of the first bad
    /// byte within the field.
    InvalidUtf8Field {
        /// Byte offset of the first invalid byte within the field (0-based).
        offset: usize,
    },
    /// The CSV header has no column of this name.
    NoSuchColumn {
        /// The column asked for.
        column: String,
        /// The header's column names.
        header: Vec<String>,
    },
    /// A CSV row is too short to have the caption column.
    ShortRow {
        /// The caption column (1-based).
        column: usize,
        /// How many fields the row has.
        fields: usize,
    },
    /// A CSV caption field holds a NUL byte (UTF-16 or binary data); `offset` is its 0-based
    /// byte offset within the field.
    NulByteField {
        /// Byte offset of the NUL within the field (0-based).
        offset: usize,
    },
    /// A CSV row has another number of fields than the first row (the header, or the first
    /// record without one): its columns may be shifted.
    RaggedRow {
        /// How many fields the row has.
        fields: usize,
        /// How many the first row has.
        expected: usize,
        /// Whether the first row is a header.
        header: bool,
        /// The line where the first row starts.
        first_line: u64,
    },
    /// A quoted CSV field is still open at the end of the input; the location is the line
    /// of its opening quote.
    UnclosedQuote,
    /// A JSON document is not an array of strings or objects; the text says what was found.
    JsonArray(String),
    /// The output file (`-o`) could not be written.
    Output(io::Error),
    /// A baseline file (`check --baseline`) could not be used; the text says why.
    Baseline(String),
    /// An input read a second time (`dedup`) differs from the first reading.
    Changed,
    /// A record to annotate already has a field (or the CSV header a column) of this name.
    FieldClash(String),
    /// A compressed input does not decompress (truncated, corrupt, or not what its name
    /// says); the location's line is the one where the decompressed text stops.
    Corrupt(crate::compression::Corrupt),
    /// A decisions file (`--decisions`) could not be used; the text says why.
    Decisions(String),
    /// A Parquet input cannot be read as asked (not Parquet, no such string column, or
    /// Parquet support left out of the build); the text says what and what was expected.
    Parquet(String),
}

/// The error of every fallible capdedup operation.
#[derive(Debug)]
pub struct Error {
    location: Option<Location>,
    kind: ErrorKind,
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error tied to a file (and maybe a line).
    /// A read error that carries a [`crate::compress::Corrupt`] becomes
    /// [`ErrorKind::Corrupt`].
    pub fn at(file: &str, line: Option<u64>, kind: ErrorKind) -> Self {
        let kind = match kind {
            ErrorKind::Io(e)
                if e.get_ref()
                    .is_some_and(|inner| inner.is::<crate::compression::Corrupt>()) =>
            {
                match e.into_inner().map(|inner| inner.downcast()) {
                    Some(Ok(corrupt)) => ErrorKind::Corrupt(*corrupt),
                    _ => unreachable!("checked to hold a Corrupt"),
                }
            }
            kind => kind,
        };
        Error {
            location: Some(Location {
                file: file.to_owned(),
                line,
            }),
            kind,
        }
    }

    /// An error that belongs to no input, such as a bad option.
    pub fn new(kind: ErrorKind) -> Self {
        Error {
            location: None,
            kind,
        }
    }

    /// Where it happened, if it concerns an input.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }

    /// What happened.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The process exit status for this error: always 2 (usage or input error), so that
    /// 1 stays free for "the data failed a check".
    pub fn exit_code(&self) -> i32 {
        2
    }

    /// True when writing the output failed because the reader went away (`| head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(&self.kind, ErrorKind::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        match &self.kind {
            // An I/O error without a location is one writing the output (see `From`).
            ErrorKind::Io(e) if self.location.is_none() => write!(f, "error writing output: {e}"),
            ErrorKind::Io(e) => match e.kind() {
                io::ErrorKind::NotFound => write!(f, "no such file (expected a file of captions)"),
                io::ErrorKind::PermissionDenied => {
                    write!(f, "permission denied (expected a readable file)")
                }
                io::ErrorKind::IsADirectory => {
                    write!(f, "is a directory (expected a file of captions)")
                }
                _ => write!(f, "error reading: {e}"),
            },
            ErrorKind::InvalidUtf8 { offset } => write!(
                f,
                "invalid UTF-8 at byte {} of the line (expected UTF-8 text)",
                offset + 1
            ),
            ErrorKind::NulByte { offset } => write!(
                f,
                "NUL byte at byte {} of the line (expected UTF-8 text, not UTF-16 or binary data)",
                offset + 1
            ),
            ErrorKind::Json(msg) => {
                write!(f, "invalid JSON (expected one JSON object per line): {msg}")
            }
            ErrorKind::NotAnObject { field, found } => write!(
                f,
                "the line is {found} (expected a JSON object with a string caption at `{field}`)"
            ),
            ErrorKind::MissingField(field) => {
                write!(
                    f,
                    "missing field `{field}` (expected a string caption there)"
                )
            }
            ErrorKind::NotAString { field, found } => {
                write!(f, "field `{field}` is {found} (expected a string caption)")
            }
            ErrorKind::InvalidPattern { pattern, reason } => {
                write!(f, "invalid --credit-pattern `{pattern}`: {reason}")
            }
            ErrorKind::InvalidOption(msg) => write!(f, "{msg}"),
            ErrorKind::InvalidUtf8Field { offset } => write!(
                f,
                "invalid UTF-8 at byte {} of the caption field (expected UTF-8 text)",
                offset + 1
            ),
            ErrorKind::NoSuchColumn { column, header } => write!(
                f,
                "no column `{column}` in the header (expected one of: {}; or a 1-based index)",
                header.join(", ")
            ),
            ErrorKind::ShortRow { column, fields } => write!(
                f,
                "the row has {fields} field{} (expected the caption in column {column})",
                if *fields == 1 { "" } else { "s" }
            ),
            ErrorKind::NulByteField { offset } => write!(
                f,
                "NUL byte at byte {} of the caption field (expected UTF-8 text, not UTF-16 or binary data)",
                offset + 1
            ),
            ErrorKind::RaggedRow {
                fields,
                expected,
                header,
                first_line,
            } => write!(
                f,
                "the row has {fields} field{} (expected {expected}, as in the {} on line {first_line}; quote a field that holds a comma or a line break)",
                if *fields == 1 { "" } else { "s" },
                if *header { "header" } else { "first row" }
            ),
            ErrorKind::UnclosedQuote => write!(
                f,
                "a quoted field opens here and is never closed (expected a closing `\"` before the end of the file)"
            ),
            ErrorKind::Output(e) => {
                write!(f, "cannot write the output file: ")?;
                match e.kind() {
                    io::ErrorKind::NotFound => write!(f, "no such folder"),
                    io::ErrorKind::PermissionDenied => write!(f, "permission denied"),
                    io::ErrorKind::IsADirectory => write!(f, "is a directory"),
                    _ => write!(f, "{e}"),
                }
            }
            ErrorKind::Baseline(msg) => write!(
                f,
                "{msg} (expected a baseline written by `capdedup check --write-baseline`)"
            ),
            ErrorKind::Changed => write!(
                f,
                "the input changed while it was read (expected the same records on the second reading)"
            ),
            ErrorKind::FieldClash(name) => write!(
                f,
                "the record already has a field `{name}` (expected none of the added names; set a prefix with --annotate-prefix)"
            ),
            ErrorKind::Corrupt(c) => write!(f, "{c} (expected a whole {} file)", c.compression),
            ErrorKind::Parquet(msg) => write!(f, "{msg}"),
            ErrorKind::Decisions(msg) => write!(
                f,
                "{msg} (expected a decisions file as `capdedup report` downloads it)"
            ),
            ErrorKind::JsonArray(msg) => write!(
                f,
                "{msg} (expected a JSON array of caption strings or of objects)"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) | ErrorKind::Output(e) => Some(e),
            _ => None,
        }
    }
}

/// An error writing the output: the only I/O error without a file and line (input errors
/// are made with [`Error::at`]).
impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::new(ErrorKind::Io(e))
    }
}
