//! End-to-end tests of the input formats: CSV, JSON arrays, JSON Lines, detection by
//! extension, many files in one run, and their errors (file, line, what was expected).

mod common;

use common::{assert_usage_error, json, members, ok, run, run_with_stdin};

fn cluster_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["cluster", "-q", "--format", "json"];
    all.extend_from_slice(args);
    json(&all)
}

#[test]
fn csv_by_extension_keeps_the_line_where_a_quoted_row_starts() {
    let doc = cluster_json(&["fixtures/quoted_newlines.csv"]);
    assert_eq!(doc["records"], 4, "the header is not a record");
    let top = &doc["clusters"][0];
    assert_eq!(top["count"], 3);
    assert_eq!(top["caption"], "Riot police detain a protester in Minsk.");
    let f = "fixtures/quoted_newlines.csv".to_owned();
    assert_eq!(members(top), [(f.clone(), 2), (f.clone(), 3), (f, 6)]);
    // The same through the flag, by index, and from standard input.
    assert_eq!(
        cluster_json(&[
            "--csv",
            "--column",
            "caption",
            "fixtures/quoted_newlines.csv"
        ]),
        doc
    );
    assert_eq!(
        cluster_json(&["--column", "2", "fixtures/quoted_newlines.csv"]),
        doc
    );
    let data = std::fs::read("fixtures/quoted_newlines.csv").unwrap();
    let r = run_with_stdin(&["cluster", "-q", "--csv"], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        ok(&["cluster", "-q", "fixtures/quoted_newlines.csv"])
    );
}

#[test]
fn csv_without_header_counts_every_row() {
    let data = b"Riot police detain a protester.,1\nRiot police detain a protester.,2\n";
    let r = run_with_stdin(
        &["cluster", "-q", "--csv", "--no-header", "--column", "1"],
        data,
    );
    assert_eq!(r.stdout, "2\tRiot police detain a protester.\n");
    let r = run_with_stdin(&["cluster", "-q", "--csv", "--column", "1"], data);
    assert_eq!(
        r.stdout, "1\tRiot police detain a protester.\n",
        "a header row"
    );
    let r = run_with_stdin(&["cluster", "--csv", "--no-header"], data);
    assert_usage_error(&r, "no header row (expected a 1-based index)");
}

#[test]
fn csv_errors_name_file_line_and_expectation() {
    assert_usage_error(
        &run(&["cluster", "fixtures/short_row.csv"]),
        "capdedup: fixtures/short_row.csv:3: the row has 1 field (expected 2, as in the header on line 1; quote a field that holds a comma or a line break)",
    );
    assert_usage_error(
        &run(&[
            "cluster",
            "--column",
            "text",
            "fixtures/quoted_newlines.csv",
        ]),
        "capdedup: fixtures/quoted_newlines.csv:1: no column `text` in the header (expected one of: id, caption, source; or a 1-based index)",
    );
    let r = run_with_stdin(&["cluster", "--csv", "--column", "0"], b"");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("column `0` is not a valid index"),
        "{}",
        r.stderr
    );
}

#[test]
fn json_array_of_objects_and_of_strings() {
    let doc = cluster_json(&["--field", "meta.caption", "fixtures/captions_array.json"]);
    assert_eq!(doc["records"], 3);
    let f = "fixtures/captions_array.json".to_owned();
    assert_eq!(members(&doc["clusters"][0]), [(f.clone(), 2), (f, 4)]);
    assert_eq!(doc["clusters"][0]["caption"], "A cat sleeps on the mat.");

    let r = run_with_stdin(
        &["cluster", "-q", "--json"],
        b"[\"A cat sleeps.\",\n \"A cat sleeps. (AP Photo)\",\n \"A dog barks.\"]",
    );
    assert_eq!(r.stdout, "2\tA cat sleeps.\n1\tA dog barks.\n");
}

#[test]
fn json_errors_name_file_line_and_expectation() {
    assert_usage_error(
        &run(&["cluster", "fixtures/captions_array.json"]),
        "capdedup: fixtures/captions_array.json:2: missing field `caption` (expected a string caption there)",
    );
    assert_usage_error(
        &run_with_stdin(&["cluster", "--json"], b"{\"caption\": \"x\"}"),
        "capdedup: -:1: the document is an object (expected a JSON array of caption strings or of objects)",
    );
    assert_usage_error(
        &run_with_stdin(&["cluster", "--json"], b"[\"a\",\n\n true]"),
        "-:3: an element is a boolean",
    );
}

#[test]
fn many_files_of_different_formats_cluster_together() {
    // The CSV's default column and the JSON array's `--field` each apply to their own file.
    let doc = cluster_json(&[
        "--field",
        "meta.caption",
        "fixtures/quoted_newlines.csv",
        "fixtures/seed_captions.txt",
        "fixtures/captions_array.json",
        "fixtures/captions.jsonl",
    ]);
    assert_eq!(doc["records"], 4 + 12 + 3 + 3);
    let files: std::collections::BTreeSet<String> = doc["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| members(c).into_iter().map(|(f, _)| f))
        .collect();
    assert_eq!(files.len(), 4, "{files:?}");
    // `.jsonl` is detected: without `--field` the caption is at `caption`, absent here.
    assert_usage_error(
        &run(&["cluster", "fixtures/captions.jsonl"]),
        "fixtures/captions.jsonl:1: missing field `caption`",
    );
}

#[test]
fn options_that_apply_to_no_input_are_refused_before_any_output() {
    assert_usage_error(
        &run(&["strip", "--field", "x", "fixtures/seed_captions.txt"]),
        "capdedup: --field applies to JSON input, but no input is read as JSON (expected --jsonl or --json, or a .jsonl or .json file)",
    );
    assert_usage_error(
        &run_with_stdin(&["strip", "--column", "2"], b"x\n"),
        "--column applies to CSV or Parquet input, but no input is read as CSV or Parquet (expected --csv or --parquet, or a .csv or .parquet file)",
    );
    assert_usage_error(
        &run(&[
            "strip",
            "--no-header",
            "--json",
            "fixtures/captions_array.json",
        ]),
        "--no-header applies to CSV input",
    );
    let r = run(&["strip", "--csv", "--jsonl", "fixtures/quoted_newlines.csv"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
}

#[test]
fn lines_flag_overrides_the_extension() {
    let out = ok(&[
        "strip",
        "--format",
        "text",
        "--lines",
        "fixtures/short_row.csv",
    ]);
    assert_eq!(out, "id,caption\n1,A cat sleeps.\n2\n");
}
