//! Parquet through the real binary: the caption column (top-level or in a struct), row
//! numbers across row groups, null captions counted and left out, errors naming the file,
//! and `dedup` writing Parquet back with the input's schema. Every file is made here.
#![cfg(feature = "parquet")]

mod common;

use std::fs::{self, File};
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, StringArray, StructArray};
use arrow_schema::{DataType, Field, Fields, Schema};
use common::{members, ok, run};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::properties::WriterProperties;
use serde_json::Value;

const SEED: &str = "fixtures/seed_captions.txt";

/// Writes a table of `id` (1, 2, ...), `caption` and `meta` (a struct holding the caption
/// again and a number) to `path`, `rows_per_group` rows per row group.
fn write_table(path: &Path, captions: &[Option<&str>], rows_per_group: usize) {
    let n = captions.len() as i64;
    let caption: ArrayRef = Arc::new(StringArray::from(captions.to_vec()));
    let meta_fields = Fields::from(vec![
        Field::new("caption", DataType::Utf8, true),
        Field::new("n", DataType::Int64, false),
    ]);
    let meta = StructArray::new(
        meta_fields.clone(),
        vec![
            caption.clone(),
            Arc::new(Int64Array::from_iter_values(0..n)),
        ],
        None,
    );
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("caption", DataType::Utf8, true),
        Field::new("meta", DataType::Struct(meta_fields), false),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(Int64Array::from_iter_values(1..=n)),
            caption,
            Arc::new(meta),
        ],
    )
    .unwrap();
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(rows_per_group))
        .build();
    let mut w = ArrowWriter::try_new(File::create(path).unwrap(), schema, Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

/// Every row of a Parquet file: its batches, concatenated, and the number of row groups.
fn read_table(bytes: Vec<u8>) -> (RecordBatch, usize) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).unwrap();
    let groups = builder.metadata().num_row_groups();
    let schema = builder.schema().clone();
    let batches: Vec<RecordBatch> = builder.build().unwrap().map(Result::unwrap).collect();
    (
        arrow_select::concat::concat_batches(&schema, &batches).unwrap(),
        groups,
    )
}

fn seed() -> Vec<String> {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn seed_parquet(dir: &Path) -> String {
    let seed = seed();
    let captions: Vec<Option<&str>> = seed.iter().map(|s| Some(s.as_str())).collect();
    let path = dir.join("seed.parquet");
    write_table(&path, &captions, 5);
    path.to_str().unwrap().to_owned()
}

fn cluster_json(args: &[&str]) -> Value {
    let mut all = vec!["cluster", "-q", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(&all)).unwrap()
}

/// Each cluster's count, caption and member lines.
fn clusters(doc: &Value) -> Vec<(u64, String, Vec<u64>)> {
    doc["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["count"].as_u64().unwrap(),
                c["caption"].as_str().unwrap().to_owned(),
                members(c).into_iter().map(|(_, l)| l).collect(),
            )
        })
        .collect()
}

#[test]
fn the_seed_as_parquet_gives_the_nine_clusters_with_row_numbers_as_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = seed_parquet(dir.path());
    let plain = cluster_json(&[SEED]);
    assert_eq!(plain["clusters"].as_array().unwrap().len(), 9);
    // Row groups of 5 rows: rows 6 to 12 are in the second and third groups.
    assert_eq!(clusters(&cluster_json(&[&file])), clusters(&plain));
    assert_eq!(
        clusters(&cluster_json(&["--column", "meta.caption", &file])),
        clusters(&plain)
    );
    assert_eq!(
        clusters(&cluster_json(&["--column", "2", &file])),
        clusters(&plain)
    );
    assert_eq!(
        ok(&["cluster", "-q", &file]),
        fs::read_to_string("fixtures/seed_captions.expected.txt").unwrap()
    );
    // Standard input, with --parquet.
    let stdin = fs::read(&file).unwrap();
    let r = common::run_with_stdin(&["cluster", "-q", "--parquet"], &stdin);
    assert_eq!(r.stdout, ok(&["cluster", "-q", &file]), "{r:?}");
}

#[test]
fn two_row_groups_and_a_null_caption() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nulls.parquet");
    write_table(
        &path,
        &[
            Some("A cat sleeps."),
            Some("A dog barks."),
            None,
            Some("A cat sleeps."),
        ],
        2,
    );
    let (_, groups) = read_table(fs::read(&path).unwrap());
    assert_eq!(groups, 2);
    let file = path.to_str().unwrap();
    let r = run(&["cluster", "--format", "json", file]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains(&format!(
            "{file}: 1 null caption (first on row 3), not clustered"
        )),
        "{r:?}"
    );
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["records"], 3);
    // Row 4, in the second row group, is a duplicate of row 1.
    let r = run(&["check", file]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .starts_with(&format!("{file}:4: duplicate of {file}:1")),
        "{r:?}"
    );
}

#[test]
fn a_column_that_is_missing_or_not_a_string_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = seed_parquet(dir.path());
    for (column, message) in [
        (
            "nope",
            "no column `nope` (expected a string column: one of caption, meta.caption)",
        ),
        ("id", "column `id` is Int64 (expected a string column"),
        ("meta.n", "column `meta.n` is Int64"),
        ("9", "there is no column 9 (expected 1 to 3)"),
    ] {
        let r = run(&["cluster", "--column", column, &file]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr
                .starts_with(&format!("capdedup: {file}: {message}")),
            "{column}: {r:?}"
        );
    }
    // Not Parquet at all.
    let bad = dir.path().join("bad.parquet");
    fs::write(&bad, "A cat sleeps.\n").unwrap();
    let r = run(&["cluster", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid Parquet"), "{r:?}");
}

#[test]
fn dedup_writes_parquet_with_the_same_schema() {
    let dir = tempfile::tempdir().unwrap();
    let file = seed_parquet(dir.path());
    let out = dir.path().join("clean.parquet");
    ok(&["dedup", "-q", &file, "-o", out.to_str().unwrap()]);
    let (input, _) = read_table(fs::read(&file).unwrap());
    let (kept, _) = read_table(fs::read(&out).unwrap());
    assert_eq!(kept.schema(), input.schema());
    // The rows kept are those `dedup` keeps of the plain seed, in order, every column whole.
    let expected = ok(&["dedup", "-q", SEED]);
    let captions = kept.column_by_name("caption").unwrap().as_string::<i32>();
    let got: Vec<&str> = (0..kept.num_rows()).map(|i| captions.value(i)).collect();
    assert_eq!(got, expected.lines().collect::<Vec<_>>());
    let ids = kept
        .column_by_name("id")
        .unwrap()
        .as_primitive::<arrow_array::types::Int64Type>();
    let seed = seed();
    for (i, caption) in got.iter().enumerate() {
        assert_eq!(seed[ids.value(i) as usize - 1], *caption);
    }
}

#[test]
fn dedup_annotate_adds_the_columns_and_keeps_null_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nulls.parquet");
    write_table(
        &path,
        &[
            Some("A cat sleeps. (AP Photo)"),
            None,
            Some("A cat sleeps."),
        ],
        2,
    );
    let file = path.to_str().unwrap();
    let out = dir.path().join("annotated.parquet");
    ok(&[
        "dedup",
        "-q",
        "--annotate",
        file,
        "-o",
        out.to_str().unwrap(),
    ]);
    let (t, _) = read_table(fs::read(&out).unwrap());
    let schema = t.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(
        names,
        [
            "id",
            "caption",
            "meta",
            "cluster_id",
            "cluster_size",
            "canonical",
            "caption_clean",
            "credit",
            "duplicate_of"
        ]
    );
    assert_eq!(t.num_rows(), 3);
    let s = |name: &str| t.column_by_name(name).unwrap().as_string::<i32>().clone();
    assert_eq!(s("credit").value(0), "(AP Photo)");
    assert!(s("credit").is_null(2) && s("duplicate_of").is_null(0));
    assert_eq!(s("duplicate_of").value(2), format!("{file}:1"));
    assert_eq!(s("cluster_id").value(0), s("cluster_id").value(2));
    // The row with a null caption is kept, its added columns null.
    assert!(s("caption").is_null(1) && s("cluster_id").is_null(1));
    let sizes = t.column_by_name("cluster_size").unwrap();
    assert_eq!(
        sizes
            .as_primitive::<arrow_array::types::UInt64Type>()
            .value(0),
        2
    );
    // Without --annotate the null row is kept too, the duplicate dropped.
    let out = dir.path().join("clean.parquet");
    ok(&["dedup", "-q", file, "-o", out.to_str().unwrap()]);
    let (t, _) = read_table(fs::read(&out).unwrap());
    assert_eq!(t.num_rows(), 2);
    // Annotating an annotated file: its columns clash with the added ones.
    let annotated = dir.path().join("annotated.parquet");
    let r = run(&["dedup", "--annotate", annotated.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.stderr.contains("already has a field `cluster_id`"),
        "{r:?}"
    );
}
