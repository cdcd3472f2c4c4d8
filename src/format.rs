//! How captions are laid out in an input, as data: the format ([`InputFormat`]), its kind
//! without options ([`InputKind`], also told by a file name) and the caption column of CSV and
//! Parquet ([`Column`]). A floor below both [`input`](crate::input), which reads every format
//! and re-exports these types, and `parquet`, which reads and writes Parquet.

use std::path::Path;

use crate::compression::Compression;

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
    /// CSV (RFC 4180, comma-separated): the caption is one column of each row. Quoted fields
    /// may hold newlines; a record's line is the line where its row starts. An empty field
    /// is an empty caption (a record), rows may have different lengths.
    Csv {
        /// The caption column.
        column: Column,
        /// Whether the first row is a header (names the columns, is not a record).
        header: bool,
    },
    /// One JSON document: an array whose elements are captions (strings) or objects with the
    /// caption at the dotted path `field`. Read whole (use JSON Lines to stream).
    Json {
        /// Dotted path of the caption field in object elements.
        field: String,
    },
    /// Parquet (feature `parquet`): the caption is a string column, by name (a dotted path
    /// into a struct column) or 1-based position; a record's line is its 1-based row number.
    /// Read through `capdedup::parquet` to stream a file; null captions are not records.
    Parquet {
        /// The caption column.
        column: Column,
    },
}

/// A CSV column: a header name, or a 1-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// The column whose header is this name (the first such column).
    Name(String),
    /// The column at this 1-based position.
    Index(usize),
}

impl std::str::FromStr for Column {
    type Err = String;

    /// A positive whole number is a position, anything else a header name.
    ///
    /// ```
    /// use capdedup::input::Column;
    /// assert_eq!("3".parse(), Ok(Column::Index(3)));
    /// assert_eq!("caption".parse(), Ok(Column::Name("caption".into())));
    /// assert!("0".parse::<Column>().is_err());
    /// ```
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(
                "the column name is empty (expected a header name or a 1-based index)".into(),
            );
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return match s.parse::<usize>() {
                Ok(0) | Err(_) => Err(format!(
                    "column `{s}` is not a valid index (expected a header name or a 1-based index)"
                )),
                Ok(i) => Ok(Column::Index(i)),
            };
        }
        Ok(Column::Name(s.to_owned()))
    }
}

impl std::fmt::Display for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Column::Name(name) => f.write_str(name),
            Column::Index(i) => write!(f, "{i}"),
        }
    }
}

/// The layout of an input, without its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// One caption per line.
    Lines,
    /// JSON Lines.
    Jsonl,
    /// CSV.
    Csv,
    /// A JSON array.
    Json,
    /// Parquet.
    Parquet,
}

impl InputKind {
    /// The layout a file name's extension announces (ignoring case): `.csv`, `.jsonl` or
    /// `.ndjson`, `.json`, `.parquet`; anything else, and standard input (`-`), is lines. The extension
    /// of a compression comes off first: `a.jsonl.gz` is JSON Lines.
    ///
    /// ```
    /// use capdedup::input::InputKind;
    /// assert_eq!(InputKind::from_extension("data/Scrape.CSV"), InputKind::Csv);
    /// assert_eq!(InputKind::from_extension("a.jsonl"), InputKind::Jsonl);
    /// assert_eq!(InputKind::from_extension("a.json"), InputKind::Json);
    /// assert_eq!(InputKind::from_extension("captions.txt"), InputKind::Lines);
    /// assert_eq!(InputKind::from_extension("part-0.jsonl.zst"), InputKind::Jsonl);
    /// ```
    pub fn from_extension(path: &str) -> InputKind {
        let ext = Path::new(Compression::strip_extension(path))
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => InputKind::Csv,
            Some("jsonl" | "ndjson") => InputKind::Jsonl,
            Some("json") => InputKind::Json,
            Some("parquet") => InputKind::Parquet,
            _ => InputKind::Lines,
        }
    }
}

impl InputFormat {
    /// The layout of this format.
    pub fn kind(&self) -> InputKind {
        match self {
            InputFormat::Lines => InputKind::Lines,
            InputFormat::Jsonl { .. } => InputKind::Jsonl,
            InputFormat::Csv { .. } => InputKind::Csv,
            InputFormat::Json { .. } => InputKind::Json,
            InputFormat::Parquet { .. } => InputKind::Parquet,
        }
    }
}
