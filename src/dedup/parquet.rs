//! Writing a Parquet input back for `dedup` (feature `parquet`): the kept rows, or every row
//! annotated, with the input's schema. Reading is [`crate::parquet`]'s; this half lives with
//! `dedup` because it writes what a [`Writer`] decides.

use std::io::Write;
use std::sync::Arc;

use ::parquet::arrow::ArrowWriter;
use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use ::parquet::basic::Compression as Codec;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::reader::ChunkReader;
use arrow_array::{ArrayRef, BooleanArray, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use super::{Writer, Written};
use crate::error::{Error, ErrorKind, Result};
use crate::format::Column;
use crate::parquet::{BATCH_ROWS, Captions, Source, caption_path, parquet_error};

/// Reads `source` (the Parquet input named `file`) a second time and writes it to `out` as
/// `writer` says (the kept rows, or every row annotated), with the input's schema, plus the
/// added columns when annotating, and the compression of its first column. A row whose
/// caption is null is no record: it is kept, and annotated with nulls.
///
/// # Errors
/// As [`crate::parquet::read_records`]; annotating, the schema already has a column of an added name; the
/// input differs from the one clustered; writing failed.
pub fn write<W: Write + Send>(
    writer: &mut Writer<'_>,
    file: &str,
    source: Source,
    column: &Column,
    out: W,
) -> Result<Written> {
    match source {
        Source::File(f) => write_from(writer, file, f, column, out),
        Source::Bytes(b) => write_from(writer, file, b, column, out),
    }
}

fn write_from<T: ChunkReader + 'static, W: Write + Send>(
    writer: &mut Writer<'_>,
    file: &str,
    source: T,
    column: &Column,
    out: W,
) -> Result<Written> {
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(source).map_err(|e| parquet_error(file, e))?;
    let path = caption_path(file, builder.schema(), column)?;
    let codec = builder
        .metadata()
        .row_groups()
        .first()
        .and_then(|g| g.columns().first())
        .map_or(Codec::SNAPPY, |c| c.compression());
    let codec = match codec {
        Codec::UNCOMPRESSED | Codec::SNAPPY | Codec::GZIP(_) | Codec::LZ4_RAW | Codec::ZSTD(_) => {
            codec
        }
        _ => Codec::SNAPPY,
    };
    let input_schema = builder.schema().clone();
    let names = writer.annotation_names();
    if let Some(names) = &names {
        if let Some(name) = names
            .iter()
            .find(|n| input_schema.fields().iter().any(|f| f.name() == *n))
        {
            return Err(Error::at(file, None, ErrorKind::FieldClash(name.clone())));
        }
    }
    let schema: SchemaRef = match &names {
        None => input_schema.clone(),
        Some(names) => {
            let mut fields: Vec<Arc<Field>> = input_schema.fields().iter().cloned().collect();
            for (i, name) in names.iter().enumerate() {
                let kind = if i == 1 {
                    DataType::UInt64
                } else {
                    DataType::Utf8
                };
                fields.push(Arc::new(Field::new(name, kind, true)));
            }
            Arc::new(Schema::new_with_metadata(
                fields,
                input_schema.metadata().clone(),
            ))
        }
    };
    let reader = builder
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| parquet_error(file, e))?;
    let props = WriterProperties::builder().set_compression(codec).build();
    let output = |e: ::parquet::errors::ParquetError| {
        Error::at(file, None, ErrorKind::Output(std::io::Error::other(e)))
    };
    let mut parquet = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(output)?;
    let mut written = Written::default();
    let mut row = 0;
    for batch in reader {
        let batch = batch.map_err(|e| parquet_error(file, e))?;
        let captions = Captions::of(&batch, &path);
        let mut keep = Vec::with_capacity(batch.num_rows());
        // The added columns, when annotating.
        let mut added: [Vec<Option<String>>; 6] = Default::default();
        for i in 0..batch.num_rows() {
            row += 1;
            let Some(caption) = captions.get(i) else {
                keep.push(true);
                for values in &mut added {
                    values.push(None);
                }
                continue;
            };
            written.read += 1;
            let Some((cluster, member)) = writer.next_row(file, row)? else {
                keep.push(false);
                continue;
            };
            match writer.annotation(cluster, member, caption) {
                Some(values) => {
                    keep.push(true);
                    written.written += 1;
                    for (column, v) in added.iter_mut().zip(values) {
                        column.push(v);
                    }
                }
                None => {
                    let kept = writer.keeps(cluster, member);
                    written.written += u64::from(kept);
                    keep.push(kept);
                }
            }
        }
        let kept = arrow_select::filter::filter_record_batch(&batch, &BooleanArray::from(keep))
            .map_err(|e| parquet_error(file, e))?;
        let batch = if names.is_some() {
            let mut columns = kept.columns().to_vec();
            for (i, values) in added.into_iter().enumerate() {
                let array: ArrayRef = if i == 1 {
                    Arc::new(UInt64Array::from_iter(
                        values
                            .iter()
                            .map(|v| v.as_deref().and_then(|s| s.parse().ok())),
                    ))
                } else {
                    Arc::new(StringArray::from(values))
                };
                columns.push(array);
            }
            RecordBatch::try_new(schema.clone(), columns).map_err(|e| parquet_error(file, e))?
        } else {
            kept
        };
        parquet.write(&batch).map_err(output)?;
    }
    parquet.close().map_err(output)?;
    Ok(written)
}
