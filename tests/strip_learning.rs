//! `capdedup strip` learns repeated credit lines like `cluster` (`--learn-credits auto`, the
//! default): it reads the input twice (standard input from a temporary copy), and the audit
//! names what learning removed `learned`. With `--learn-credits off` it streams.

mod common;

use common::*;
use serde_json::Value;

/// Captions of different photos closing with an outlet's own credit line, which no built-in
/// rule or shape knows (made-up text), and one caption without it.
const CAPTIONS: &str = "\
Cyclists ride through the old town. Musterhausen Tourism Board
The harbour at dawn. Musterhausen Tourism Board
A new bridge opens over the river. Musterhausen Tourism Board
Fishing boats return before the storm.
";

fn rows(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn a_repeated_credit_line_comes_off_and_the_audit_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("captions.txt");
    std::fs::write(&path, CAPTIONS).unwrap();
    let out = ok(&["strip", path.to_str().unwrap()]);
    let rows = rows(&out);
    assert_eq!(rows.len(), 4);
    for row in &rows[..3] {
        assert!(!row["caption"].as_str().unwrap().contains("Musterhausen"));
        assert_eq!(row["credit"], "Musterhausen Tourism Board");
        assert_eq!(
            row["removed"],
            serde_json::json!([{"text": "Musterhausen Tourism Board", "by": "learned"}])
        );
    }
    assert_eq!(rows[0]["caption"], "Cyclists ride through the old town.");
    assert_eq!(rows[3]["caption"], "Fishing boats return before the storm.");
    assert_eq!(rows[3]["credit"], Value::Null);

    // Off: the rules and shapes only, the line stays.
    let off = rows_of(&["strip", "--learn-credits", "off", path.to_str().unwrap()]);
    assert_eq!(
        off[0]["caption"],
        "Cyclists ride through the old town. Musterhausen Tourism Board"
    );
    // Fewer captions than --learn-credits-min carry it: nothing learned.
    let min = rows_of(&["strip", "--learn-credits-min", "4", path.to_str().unwrap()]);
    assert_eq!(min[0]["credit"], Value::Null);
}

fn rows_of(args: &[&str]) -> Vec<Value> {
    rows(&ok(args))
}

#[test]
fn standard_input_is_read_twice_and_text_output_learns_too() {
    let r = run_with_stdin(&["strip", "--format", "text"], CAPTIONS.as_bytes());
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(
        r.stdout,
        "Cyclists ride through the old town.\nThe harbour at dawn.\nA new bridge opens over the river.\nFishing boats return before the storm.\n"
    );
    // The same through `-` among files.
    let r = run_with_stdin(&["strip", "-"], CAPTIONS.as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(rows(&r.stdout)[1]["removed"][0]["by"], "learned");
}

#[test]
fn the_answer_does_not_depend_on_the_order_of_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<&str> = CAPTIONS.lines().collect();
    let mut answers = Vec::new();
    for order in [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]] {
        let text: String = order.iter().map(|&i| format!("{}\n", lines[i])).collect();
        let path = dir.path().join(format!("{order:?}.txt"));
        std::fs::write(&path, text).unwrap();
        let mut got: Vec<(String, Value)> = rows_of(&["strip", path.to_str().unwrap()])
            .into_iter()
            .map(|r| {
                (
                    r["caption"].as_str().unwrap().to_owned(),
                    r["credit"].clone(),
                )
            })
            .collect();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        answers.push(got);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0], answers[2]);
}

#[test]
fn learning_sees_every_file_and_keeps_rules_first() {
    // The line is on two captions of one file and one of the other: learned from both.
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<&str> = CAPTIONS.lines().collect();
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(&a, format!("{}\n{}\n", lines[0], lines[1])).unwrap();
    std::fs::write(
        &b,
        format!("{}\nSmoke over the hills. (AP Photo/Jane Roe)\n", lines[2]),
    )
    .unwrap();
    let rows = rows_of(&["strip", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(rows.len(), 4);
    assert!(
        rows[..3]
            .iter()
            .all(|r| r["credit"] == "Musterhausen Tourism Board")
    );
    assert_eq!(rows[3]["removed"][0]["by"], "parenthesised credit");
    // --credited-only keeps the records whose credit the rules find, as `cluster` does:
    // learning then sees only those, and a record whose only credit would be learned stays
    // out.
    let only = rows_of(&[
        "strip",
        "--credited-only",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(only.len(), 1);
    assert_eq!(only[0]["removed"][0]["by"], "parenthesised credit");
    let clustered = json(&[
        "cluster",
        "-q",
        "--format",
        "json",
        "--credited-only",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(clustered["records"], 1);
}
