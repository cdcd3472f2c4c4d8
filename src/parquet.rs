//! Parquet input and output (feature `parquet`): the caption is one string column (or a
//! string inside a struct column, by a dotted path), read in record batches of that column
//! only; a record's position is its 1-based row number across row groups. Null captions are
//! counted, not clustered. [`crate::dedup::parquet::write`] writes a Parquet input back for
//! `dedup`, with the same schema (plus the added columns when annotating).

use std::fs::File;
use std::io::Read;

use ::parquet::arrow::ProjectionMask;
use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use ::parquet::file::reader::ChunkReader;
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};

use crate::error::{Error, ErrorKind, Result};
use crate::format::Column;

/// Rows read at a time.
pub(crate) const BATCH_ROWS: usize = 8192;

/// A Parquet input: a file, read a row group at a time, or standard input, held in memory
/// (Parquet's footer is at the end: the reader must seek).
#[derive(Debug)]
pub enum Source {
    /// A file.
    File(File),
    /// Bytes read whole.
    Bytes(bytes::Bytes),
}

impl Source {
    /// Opens `path`; `-` reads standard input whole.
    ///
    /// # Errors
    /// The file is missing or unreadable; the error names it.
    pub fn open(path: &str) -> Result<Source> {
        if path == "-" {
            return Source::read("-", std::io::stdin());
        }
        let io_err = |e| Error::at(path, None, ErrorKind::Io(e));
        if std::fs::metadata(path).map_err(io_err)?.is_dir() {
            return Err(io_err(std::io::Error::from(
                std::io::ErrorKind::IsADirectory,
            )));
        }
        File::open(path).map(Source::File).map_err(io_err)
    }

    /// Reads `reader` (the input named `file`) whole.
    ///
    /// # Errors
    /// Reading failed.
    pub fn read(file: &str, mut reader: impl Read) -> Result<Source> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| Error::at(file, None, ErrorKind::Io(e)))?;
        Ok(Source::Bytes(bytes.into()))
    }
}

/// Rows whose caption is null: counted and reported, not clustered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Nulls {
    /// How many.
    pub rows: u64,
    /// The first (1-based row number).
    pub first_row: Option<u64>,
}

impl std::fmt::Display for Nulls {
    /// `2 null captions (first on row 3), not clustered`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} null caption{}",
            self.rows,
            if self.rows == 1 { "" } else { "s" }
        )?;
        if let Some(row) = self.first_row {
            write!(f, " (first on row {row})")?;
        }
        write!(f, ", not clustered")
    }
}

pub(crate) fn parquet_error(file: &str, e: impl std::fmt::Display) -> Error {
    Error::at(
        file,
        None,
        ErrorKind::Parquet(format!("invalid Parquet: {e} (expected a Parquet file)")),
    )
}

/// Reads the caption `column` of every row of `source` (the input named `file`) and calls
/// `each(row, text)` for each row whose caption is not null, `row` being 1-based across row
/// groups. Returns the rows with a null caption.
///
/// # Errors
/// The input is not Parquet; it has no such column, or the column is not a string; reading
/// failed. Errors from `each` pass through.
pub fn read_records<F>(file: &str, source: Source, column: &Column, each: F) -> Result<Nulls>
where
    F: FnMut(u64, &str) -> Result<()>,
{
    match source {
        Source::File(f) => read_from(file, f, column, each),
        Source::Bytes(b) => read_from(file, b, column, each),
    }
}

fn read_from<T, F>(file: &str, source: T, column: &Column, mut each: F) -> Result<Nulls>
where
    T: ChunkReader + 'static,
    F: FnMut(u64, &str) -> Result<()>,
{
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(source).map_err(|e| parquet_error(file, e))?;
    let path = caption_path(file, builder.schema(), column)?;
    let mask = ProjectionMask::columns(builder.parquet_schema(), [path.join(".").as_str()]);
    let reader = builder
        .with_projection(mask)
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| parquet_error(file, e))?;
    let mut nulls = Nulls::default();
    let mut row = 0;
    for batch in reader {
        let batch = batch.map_err(|e| parquet_error(file, e))?;
        let captions = Captions::of(&batch, &path);
        for i in 0..batch.num_rows() {
            row += 1;
            match captions.get(i) {
                Some(text) => each(row, text)?,
                None => {
                    nulls.rows += 1;
                    nulls.first_row.get_or_insert(row);
                }
            }
        }
    }
    Ok(nulls)
}

/// The path of the caption column in `schema`: top-level name, then struct fields.
pub(crate) fn caption_path(file: &str, schema: &Schema, column: &Column) -> Result<Vec<String>> {
    let path: Vec<String> = match column {
        Column::Index(i) => match schema.fields().get(i - 1) {
            Some(f) => vec![f.name().clone()],
            None => {
                return Err(Error::at(
                    file,
                    None,
                    ErrorKind::Parquet(format!(
                        "there is no column {i} (expected 1 to {})",
                        schema.fields().len()
                    )),
                ));
            }
        },
        Column::Name(name) => name.split('.').map(str::to_owned).collect(),
    };
    let mut fields = schema.fields();
    let mut found: Option<&Field> = None;
    for (depth, part) in path.iter().enumerate() {
        let field = fields.iter().find(|f| f.name() == part);
        match (field, depth) {
            (Some(f), _) => {
                found = Some(f);
                if let DataType::Struct(children) = f.data_type() {
                    fields = children;
                } else if depth + 1 < path.len() {
                    found = None;
                    break;
                }
            }
            _ => {
                found = None;
                break;
            }
        }
    }
    let string_columns = string_paths(schema);
    match found.map(Field::data_type) {
        Some(DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) => Ok(path),
        Some(other) => Err(Error::at(
            file,
            None,
            ErrorKind::Parquet(format!(
                "column `{}` is {other} (expected a string column: {})",
                path.join("."),
                string_columns
            )),
        )),
        None => Err(Error::at(
            file,
            None,
            ErrorKind::Parquet(format!(
                "no column `{}` (expected a string column: {})",
                path.join("."),
                string_columns
            )),
        )),
    }
}

/// The string columns of `schema`, dotted, for messages.
fn string_paths(schema: &Schema) -> String {
    fn walk(prefix: &str, fields: &arrow_schema::Fields, out: &mut Vec<String>) {
        for f in fields {
            let name = format!("{prefix}{}", f.name());
            match f.data_type() {
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => out.push(name),
                DataType::Struct(children) => walk(&format!("{name}."), children, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk("", schema.fields(), &mut out);
    if out.is_empty() {
        "the file has none".to_owned()
    } else {
        format!("one of {}", out.join(", "))
    }
}

/// The caption column of a batch: the arrays from the top-level column down to the string,
/// any of which may be null on a row.
pub(crate) struct Captions {
    levels: Vec<ArrayRef>,
}

impl Captions {
    /// The batch holds the column at `path` (checked by [`caption_path`]).
    pub(crate) fn of(batch: &RecordBatch, path: &[String]) -> Captions {
        let mut levels = Vec::with_capacity(path.len());
        let mut array = batch
            .column_by_name(&path[0])
            .expect("the projected column")
            .clone();
        for part in &path[1..] {
            let child = array
                .as_struct()
                .column_by_name(part)
                .expect("a field checked in the schema")
                .clone();
            levels.push(array);
            array = child;
        }
        levels.push(array);
        Captions { levels }
    }

    /// The caption of row `i`, `None` when it (or a struct above it) is null.
    pub(crate) fn get(&self, i: usize) -> Option<&str> {
        if self.levels.iter().any(|a| a.is_null(i)) {
            return None;
        }
        let strings = self.levels.last().expect("at least the column");
        Some(match strings.data_type() {
            DataType::Utf8 => strings.as_string::<i32>().value(i),
            DataType::LargeUtf8 => strings.as_string::<i64>().value(i),
            _ => strings.as_string_view().value(i),
        })
    }
}
