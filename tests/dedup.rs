//! End-to-end tests of `capdedup dedup`: records written back byte for byte in their own
//! format (CSV with quoted newlines, a BOM and CRLF; JSON Lines with nested fields; JSON
//! arrays; text), annotation, outputs (stdout, `-o`, `--out-dir`), standard input, and
//! errors that leave nothing written.

mod common;

use std::process::Command;

use common::{assert_usage_error, capdedup, ok, run, run_with_stdin};
use serde_json::Value;

/// Bytes out, bytes in: what one run did.
struct Bytes {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn bytes(cmd: Command, args: &[&str], stdin: Option<&[u8]>) -> Bytes {
    let (code, stdout, stderr) = common::run_bytes(cmd, args, stdin);
    Bytes {
        code,
        stdout,
        stderr,
    }
}

fn dedup(args: &[&str]) -> Vec<u8> {
    let mut all = vec!["dedup", "-q"];
    all.extend_from_slice(args);
    let r = bytes(capdedup(), &all, None);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r.stdout
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("fixtures/dedup/{name}")).unwrap()
}

#[test]
fn csv_rows_are_kept_byte_for_byte_with_header_bom_crlf_and_quoted_newlines() {
    let out = dedup(&["fixtures/dedup/scrape.csv"]);
    assert_eq!(out, fixture("scrape.dedup.expected.csv"));
    // The BOM, the header and CRLF are there; a kept row with a quoted line break is whole.
    assert!(out.starts_with("\u{feff}id,caption,image_url\r\n".as_bytes()));
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(
        "2,\"A woman stands in front of a police line,\r\nholding flowers.\",https://example.org/b.jpg\r\n"
    ));
}

#[test]
fn the_summary_says_records_read_written_and_dropped() {
    let r = run(&["dedup", "fixtures/dedup/scrape.csv"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr, "capdedup: 6 records read, 3 written, 3 dropped\n");
    let r = run(&["dedup", "--annotate", "fixtures/dedup/scrape.csv"]);
    assert_eq!(r.stderr, "capdedup: 6 records read, 6 written, 0 dropped\n");
}

#[test]
fn csv_annotated_gets_columns_after_the_header_and_each_row() {
    let out = dedup(&["--annotate", "fixtures/dedup/scrape.csv"]);
    assert_eq!(out, fixture("scrape.annotated.expected.csv"));
    let mut csv = csv::Reader::from_reader(&out[3..]);
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "id",
            "caption",
            "image_url",
            "cluster_id",
            "cluster_size",
            "canonical",
            "caption_clean",
            "credit",
            "duplicate_of"
        ]
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(&rows[0][3], &rows[2][3], "one cluster, one id");
    assert_eq!(&rows[0][4], "3");
    assert_eq!(
        &rows[0][7],
        "(AP Photo) Credit: Uncredited Credit: Uncredited"
    );
    assert_eq!(&rows[0][8], "", "the kept record is nobody's duplicate");
    assert_eq!(&rows[3][6], "Riot police detain a protestor in Minsk.");
    assert_eq!(&rows[3][8], "fixtures/dedup/scrape.csv:2");
}

#[test]
fn json_lines_keep_nested_fields_and_get_the_fields_appended() {
    let out = dedup(&["--field", "meta.caption", "fixtures/dedup/nested.jsonl"]);
    let input = String::from_utf8(fixture("nested.jsonl")).unwrap();
    let lines: Vec<&str> = input.lines().collect();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("{}\n{}\n", lines[0], lines[1])
    );

    let out = dedup(&[
        "--annotate",
        "--field",
        "meta.caption",
        "fixtures/dedup/nested.jsonl",
    ]);
    assert_eq!(out, fixture("nested.annotated.expected.jsonl"));
    let text = String::from_utf8(out).unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 4, "every record, the blank line left out");
    // The record as it was, then the fields.
    assert!(text.starts_with(&lines[0][..lines[0].len() - 1]));
    assert_eq!(records[0]["meta"]["tags"][1]["k"], "v");
    assert_eq!(records[0]["credit"], "(Getty Images)");
    assert_eq!(records[1]["credit"], Value::Null);
    assert_eq!(records[0]["duplicate_of"], Value::Null);
    assert_eq!(records[3]["duplicate_of"], "fixtures/dedup/nested.jsonl:1");
    assert_eq!(records[3]["extra"]["caption"], "not this one");
    assert_eq!(records[3]["cluster_size"], 3);
}

#[test]
fn json_arrays_keep_their_elements_and_layout() {
    let out = dedup(&["fixtures/dedup/array.json"]);
    assert_eq!(out, fixture("array.dedup.expected.json"));
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc.as_array().unwrap().len(), 2);
    let out = dedup(&["--annotate", "fixtures/dedup/array.json"]);
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc[2]["nested"]["a"][1], 2);
    assert_eq!(doc[2]["duplicate_of"], "fixtures/dedup/array.json:2");
    // Strings of an array become objects.
    let r = bytes(
        capdedup(),
        &["dedup", "-q", "--annotate", "--json"],
        Some(b"[\"A cat.\", \"A cat.\"]"),
    );
    let doc: Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(doc[1]["caption"], "A cat.");
    assert_eq!(doc[1]["duplicate_of"], "-:1");
}

#[test]
fn text_is_annotated_as_json_lines_and_help_says_so() {
    let out = dedup(&["--annotate", "fixtures/dedup/part-2.txt"]);
    let text = String::from_utf8(out).unwrap();
    // The line ends are kept (CRLF here).
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 3);
    let first: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["caption"], "A dog barks at the mailman.");
    assert_eq!(first["cluster_size"], 1);
    let help = ok(&["dedup", "--help"]);
    let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("Text input is written as JSON Lines"),
        "{help}"
    );
    assert!(help.contains("Examples:"));
}

#[test]
fn text_without_duplicates_keeps_lines_and_drops_blank_ones() {
    let r = bytes(
        capdedup(),
        &["dedup", "-q"],
        Some(b"A cat sleeps.\n\nA dog barks.\r\nA cat sleeps!\nA heron."),
    );
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, b"A cat sleeps.\nA dog barks.\r\nA heron.");
}

#[test]
fn keep_canonical_and_longest_choose_another_record() {
    let data = b"A cat sleeps\nA cat sleeps. (AP Photo)\nA cat sleeps.\nA cat sleeps.\n";
    let keep = |how: &str| {
        let r = bytes(capdedup(), &["dedup", "-q", "--keep", how], Some(data));
        assert_eq!(r.code, 0, "{}", r.stderr);
        String::from_utf8(r.stdout).unwrap()
    };
    assert_eq!(keep("first"), "A cat sleeps\n");
    assert_eq!(keep("canonical"), "A cat sleeps. (AP Photo)\n");
    assert_eq!(keep("longest"), "A cat sleeps. (AP Photo)\n");
    // `duplicate_of` names the record kept.
    let r = bytes(
        capdedup(),
        &["dedup", "-q", "--annotate", "--keep", "canonical"],
        Some(data),
    );
    let first: Value =
        serde_json::from_slice(r.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(first["duplicate_of"], "-:2");
}

#[test]
fn standard_input_is_read_once_and_written_as_from_a_file() {
    let data = fixture("scrape.csv");
    let r = bytes(capdedup(), &["dedup", "-q", "--csv"], Some(&data));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, fixture("scrape.dedup.expected.csv"));
    let r = bytes(capdedup(), &["dedup", "-q", "--csv", "-"], Some(&data));
    assert_eq!(r.stdout, fixture("scrape.dedup.expected.csv"));
}

#[test]
fn several_inputs_go_to_one_file_each_under_out_dir() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clean");
    let r = run(&[
        "dedup",
        "--out-dir",
        out.to_str().unwrap(),
        "fixtures/dedup/part-1.txt",
        "fixtures/dedup/part-2.txt",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "capdedup: 6 records read, 3 written, 3 dropped\n");
    // Duplicates across files count: the first of a cluster in file order is kept.
    assert_eq!(
        std::fs::read(out.join("part-1.txt")).unwrap(),
        b"A cat sleeps on a windowsill.\nA dog barks at the mailman. (AP Photo)\n"
    );
    assert_eq!(
        std::fs::read(out.join("part-2.txt")).unwrap(),
        b"A heron fishes in the pond.\r\n"
    );
}

#[test]
fn o_writes_the_file_atomically_even_over_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scrape.csv");
    std::fs::write(&path, fixture("scrape.csv")).unwrap();
    let p = path.to_str().unwrap();
    let r = run(&["dedup", "-q", p, "-o", p]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        fixture("scrape.dedup.expected.csv")
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn a_field_clash_exits_2_before_anything_is_written() {
    let data = b"{\"caption\": \"A cat.\"}\n{\"caption\": \"A dog.\", \"cluster_id\": 7}\n";
    let r = run_with_stdin(&["dedup", "--annotate", "--jsonl"], data);
    assert_usage_error(
        &r,
        "capdedup: -:2: the record already has a field `cluster_id` (expected none of the added names; set a prefix with --annotate-prefix)",
    );
    let r = run_with_stdin(
        &[
            "dedup",
            "-q",
            "--annotate",
            "--annotate-prefix",
            "cd_",
            "--jsonl",
        ],
        data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let second: Value = serde_json::from_str(r.stdout.lines().nth(1).unwrap()).unwrap();
    assert_eq!(
        (
            second["cluster_id"].as_u64(),
            second["cd_cluster_size"].as_u64()
        ),
        (Some(7), Some(1))
    );
    // A CSV header with such a column; nothing appears under -o or --out-dir either.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("a.csv");
    std::fs::write(&csv, "caption,credit\nA cat.,x\n").unwrap();
    let out = dir.path().join("out.csv");
    let r = run(&[
        "dedup",
        "--annotate",
        csv.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_usage_error(&r, "a.csv:1: the record already has a field `credit`");
    assert!(!out.exists());
    let good = dir.path().join("b.csv");
    std::fs::write(&good, "caption\nA dog.\n").unwrap();
    let outs = dir.path().join("outs");
    let r = run(&[
        "dedup",
        "--annotate",
        "--out-dir",
        outs.to_str().unwrap(),
        good.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        !outs.join("b.csv").exists(),
        "no output of the good input either"
    );
}

#[test]
fn bad_input_and_bad_options_exit_2_with_nothing_written() {
    let r = run(&[
        "dedup",
        "fixtures/dedup/part-1.txt",
        "fixtures/dedup/part-2.txt",
    ]);
    assert_usage_error(&r, "2 inputs need --out-dir DIR");
    let r = run(&[
        "dedup",
        "fixtures/dedup/part-1.txt",
        "fixtures/dedup/part-1.txt",
    ]);
    assert_usage_error(&r, "`fixtures/dedup/part-1.txt` is given twice");
    let r = run(&[
        "dedup",
        "--annotate-prefix",
        "x_",
        "fixtures/dedup/part-1.txt",
    ]);
    assert_eq!(r.code, 2, "the prefix needs --annotate");
    let r = run_with_stdin(&["dedup", "--csv"], b"id,caption\n1,ok\n2,\"open\n");
    assert_usage_error(&r, "-:3: a quoted field opens here and is never closed");
    let r = run_with_stdin(&["dedup", "--out-dir", "/tmp"], b"a\n");
    assert_usage_error(&r, "`-` has no file name to write under --out-dir");
    let r = run(&["dedup", "fixtures/dedup/missing.txt"]);
    assert_usage_error(&r, "fixtures/dedup/missing.txt: no such file");
}

#[test]
fn the_output_is_the_same_on_any_thread_count() {
    let one = dedup(&["-j", "1", "--annotate", "fixtures/dedup/scrape.csv"]);
    let two = dedup(&["-j", "2", "--annotate", "fixtures/dedup/scrape.csv"]);
    assert_eq!(one, two);
}

#[test]
fn check_finds_no_exact_duplicate_in_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clean.txt");
    let o = out.to_str().unwrap();
    let r = run(&["dedup", "-q", "fixtures/seed_captions.txt", "-o", o]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let clusters = ok(&["cluster", "-q", "fixtures/seed_captions.txt"])
        .lines()
        .count();
    let written = std::fs::read_to_string(&out).unwrap().lines().count();
    assert_eq!(written, clusters, "one record per cluster");
    let r = run(&["check", "-q", "--format", "json", o]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    let exact = doc.to_string().matches("\"exact\":true").count();
    assert_eq!(exact, 0, "{}", r.stdout);
}

#[test]
fn annotate_ids_partition_records_as_cluster_members_do() {
    let out = dedup(&["--annotate", "fixtures/seed_captions.txt"]);
    let ids: Vec<String> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["cluster_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let doc: Value = serde_json::from_str(&ok(&[
        "cluster",
        "-q",
        "--format",
        "json",
        "fixtures/seed_captions.txt",
    ]))
    .unwrap();
    assert_eq!(ids.len() as u64, doc["records"].as_u64().unwrap());
    // Records by line: the lines of the records, in order, are those the members list.
    let mut lines: Vec<u64> = Vec::new();
    let mut cluster_of = std::collections::HashMap::new();
    for (c, cluster) in doc["clusters"].as_array().unwrap().iter().enumerate() {
        for m in cluster["members"].as_array().unwrap() {
            let line = m["line"].as_u64().unwrap();
            lines.push(line);
            cluster_of.insert(line, c);
        }
    }
    lines.sort_unstable();
    let mut id_cluster = std::collections::HashMap::new();
    let mut cluster_id = std::collections::HashMap::new();
    for (id, line) in ids.iter().zip(&lines) {
        let c = cluster_of[line];
        assert_eq!(*id_cluster.entry(id.clone()).or_insert(c), c);
        assert_eq!(*cluster_id.entry(c).or_insert(id.clone()), *id);
    }
}

#[test]
fn elements_on_one_line_are_told_apart() {
    // Three records on line 1: the one kept is the one `--keep` names, not another of its line.
    let data = b"[\"A cat sleeps\", \"A cat sleeps. (AP Photo)\", \"A cat sleeps.\", \"A dog.\"]";
    let r = bytes(
        capdedup(),
        &["dedup", "-q", "--json", "--keep", "canonical"],
        Some(data),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, b"[\"A cat sleeps. (AP Photo)\", \"A dog.\"]");
    let r = bytes(
        capdedup(),
        &["dedup", "-q", "--json", "--annotate"],
        Some(data),
    );
    let doc: Value = serde_json::from_slice(&r.stdout).unwrap();
    let credits: Vec<&Value> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["credit"])
        .collect();
    assert_eq!(
        credits,
        [
            &Value::Null,
            &Value::from("(AP Photo)"),
            &Value::Null,
            &Value::Null
        ]
    );
    let clean: Vec<&str> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["caption_clean"].as_str().unwrap())
        .collect();
    assert_eq!(
        clean,
        ["A cat sleeps", "A cat sleeps.", "A cat sleeps.", "A dog."]
    );
}

#[test]
fn credited_only_drops_records_without_a_credit_in_both_modes() {
    let data = b"Some article text.\nA cat sleeps. (AP Photo)\nA cat sleeps. REUTERS/Jane Doe\nMore text.\n";
    let r = run_with_stdin(&["dedup", "--credited-only"], data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "A cat sleeps. (AP Photo)\n");
    assert_eq!(r.stderr, "capdedup: 4 records read, 1 written, 3 dropped\n");
    let r = run_with_stdin(&["dedup", "-q", "--credited-only", "--annotate"], data);
    let credits: Vec<String> = r
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["credit"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(credits, ["(AP Photo)", "REUTERS/Jane Doe"]);
}
