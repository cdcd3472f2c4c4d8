//! Where captions come from: the input files and their format, shared by every command that
//! reads captions.

use std::io;

use clap::Args;

use capdedup::compress::Compression;
use capdedup::input::{self, Column, InputFormat, InputKind, ReadOptions};
use capdedup::{Error, ErrorKind, Result};

use super::output::say;

/// Where captions come from.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input files; none or `-` reads standard input. The format follows the extension:
    /// `.csv`, `.jsonl` (or `.ndjson`), `.json`, `.parquet`, anything else one caption per line. gzip,
    /// zstd and xz files are read decompressed (told by their first bytes; `a.jsonl.gz` is
    /// JSON Lines), streaming, with the lines of the decompressed text.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,

    /// Read one caption per line, whatever the extension.
    #[arg(long, group = "input_format", help_heading = "Input")]
    pub lines: bool,

    /// Read CSV: the caption is the column `--column`; quoted fields may span lines.
    #[arg(long, group = "input_format", help_heading = "Input")]
    pub csv: bool,

    /// Read JSON Lines: one object per line, the caption in the string at `--field`.
    #[arg(long, group = "input_format", help_heading = "Input")]
    pub jsonl: bool,

    /// Read a JSON array of captions (strings), or of objects with the caption at `--field`.
    #[arg(long, group = "input_format", help_heading = "Input")]
    pub json: bool,

    /// Read Parquet: the caption is the string column `--column` (a dotted path reaches into a
    /// struct column); a record's line is its row number. Rows with a null caption are counted
    /// on stderr, not clustered. Read a row group at a time, the caption column only (standard
    /// input is read whole).
    #[arg(long, group = "input_format", help_heading = "Input")]
    pub parquet: bool,

    /// Dotted path of the caption in each JSON object (JSON Lines and JSON input)
    /// [default: caption].
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub field: Option<String>,

    /// CSV or Parquet column of the caption: a header name (for Parquet, a dotted path into a
    /// struct column), or a 1-based index [default: caption].
    #[arg(long, value_name = "NAME|N", help_heading = "Input")]
    pub column: Option<Column>,

    /// The CSV has no header row: the first row is a record (`--column` is then an index).
    #[arg(long, help_heading = "Input")]
    pub no_header: bool,

    /// Replace bytes that are not UTF-8 text (invalid sequences, NUL) with U+FFFD instead of
    /// stopping (every format; in CSV, the caption field); stderr says how many bytes on how
    /// many lines of each file.
    #[arg(long, help_heading = "Input")]
    pub lossy: bool,
}

impl InputArgs {
    pub fn files(&self) -> Vec<String> {
        if self.files.is_empty() {
            vec!["-".to_owned()]
        } else {
            self.files.clone()
        }
    }

    /// The format of `file`: the one named by a flag, else the one its extension announces.
    pub fn format(&self, file: &str) -> InputFormat {
        let kind = if self.lines {
            InputKind::Lines
        } else if self.csv {
            InputKind::Csv
        } else if self.jsonl {
            InputKind::Jsonl
        } else if self.json {
            InputKind::Json
        } else if self.parquet {
            InputKind::Parquet
        } else {
            InputKind::from_extension(file)
        };
        let field = || self.field.clone().unwrap_or_else(|| "caption".to_owned());
        match kind {
            InputKind::Lines => InputFormat::Lines,
            InputKind::Jsonl => InputFormat::Jsonl { field: field() },
            InputKind::Json => InputFormat::Json { field: field() },
            InputKind::Csv => InputFormat::Csv {
                column: self.column(),
                header: !self.no_header,
            },
            InputKind::Parquet => InputFormat::Parquet {
                column: self.column(),
            },
        }
    }

    /// The caption column of CSV and Parquet input.
    fn column(&self) -> Column {
        self.column
            .clone()
            .unwrap_or_else(|| Column::Name("caption".to_owned()))
    }

    /// Reads every record of every file, in order, each file opened with `open`. The formats
    /// are settled before the first file is read, so an option that applies to none of the
    /// inputs fails before any output. `notes`: say on stderr how many bytes `--lossy`
    /// replaced and how many Parquet captions were null (a second reading of the same input
    /// does not say it again).
    pub fn for_each_record_in(
        &self,
        open: &Open<'_>,
        notes: bool,
        mut each: impl FnMut(&str, u64, &str) -> Result<()>,
    ) -> Result<()> {
        let inputs: Vec<(String, InputFormat)> = self
            .files()
            .into_iter()
            .map(|file| {
                let format = self.format(&file);
                (file, format)
            })
            .collect();
        let any = |kinds: &[InputKind]| inputs.iter().any(|(_, f)| kinds.contains(&f.kind()));
        let unused = |option: &str, applies: &str, expected: &str| {
            Err(Error::new(ErrorKind::InvalidOption(format!(
                "{option} applies to {applies} input, but no input is read as {applies} (expected {expected})"
            ))))
        };
        if self.field.is_some() && !any(&[InputKind::Jsonl, InputKind::Json]) {
            return unused(
                "--field",
                "JSON",
                "--jsonl or --json, or a .jsonl or .json file",
            );
        }
        if self.column.is_some() && !any(&[InputKind::Csv, InputKind::Parquet]) {
            return unused(
                "--column",
                "CSV or Parquet",
                "--csv or --parquet, or a .csv or .parquet file",
            );
        }
        if self.no_header && !any(&[InputKind::Csv]) {
            return unused("--no-header", "CSV", "--csv, or a .csv file");
        }
        let options = ReadOptions { lossy: self.lossy };
        for (file, format) in inputs {
            if let InputFormat::Parquet { column } = &format {
                read_parquet(&file, column, open, notes, |line, text| {
                    each(&file, line, text)
                })?;
                continue;
            }
            let (reader, _) = open(&file)?;
            let replaced =
                input::read_records_with(&file, reader, &format, options, |line, text| {
                    each(&file, line, text)
                })?;
            if notes && replaced.bytes > 0 {
                say(format_args!("{file}: {replaced}"));
            }
        }
        Ok(())
    }
}

/// Reads the records of a Parquet input (standard input through `open`, whole); says on
/// stderr how many captions were null (with `notes`).
#[cfg(feature = "parquet")]
fn read_parquet(
    file: &str,
    column: &Column,
    open: &Open<'_>,
    notes: bool,
    each: impl FnMut(u64, &str) -> Result<()>,
) -> Result<()> {
    let source = if file == "-" {
        capdedup::parquet::Source::read(file, open(file)?.0)?
    } else {
        capdedup::parquet::Source::open(file)?
    };
    let nulls = capdedup::parquet::read_records(file, source, column, each)?;
    if notes && nulls.rows > 0 {
        say(format_args!("{file}: {nulls}"));
    }
    Ok(())
}

/// Without the `parquet` feature, a Parquet input is an error.
#[cfg(not(feature = "parquet"))]
fn read_parquet(
    file: &str,
    _: &Column,
    _: &Open<'_>,
    _: bool,
    _: impl FnMut(u64, &str) -> Result<()>,
) -> Result<()> {
    Err(Error::at(
        file,
        None,
        ErrorKind::Parquet(input::NO_PARQUET.to_owned()),
    ))
}

/// Opens an input: its reader, decompressed, and the compression found.
pub type Open<'a> = dyn Fn(&str) -> Result<(Box<dyn io::BufRead + Send>, Compression)> + Sync + 'a;

/// Standard input kept in a temporary file when it is among `files`, to be read twice.
pub fn spool_stdin(files: &[String]) -> Result<Option<tempfile::NamedTempFile>> {
    if !files.iter().any(|f| f == "-") {
        return Ok(None);
    }
    let mut tmp =
        tempfile::NamedTempFile::new().map_err(|e| Error::at("-", None, ErrorKind::Io(e)))?;
    io::copy(&mut io::stdin().lock(), tmp.as_file_mut())
        .map_err(|e| Error::at("-", None, ErrorKind::Io(e)))?;
    Ok(Some(tmp))
}

/// Opens `file`; standard input from its spooled copy when there is one.
pub fn open_spooled(
    spooled: Option<&tempfile::NamedTempFile>,
    file: &str,
) -> Result<(Box<dyn io::BufRead + Send>, Compression)> {
    match (spooled, file) {
        (Some(tmp), "-") => {
            let f = tmp
                .reopen()
                .map_err(|e| Error::at("-", None, ErrorKind::Io(e)))?;
            capdedup::compress::decompress("-", Box::new(f))
        }
        _ => input::open_detected(file),
    }
}
