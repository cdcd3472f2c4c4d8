//! `--decisions`: review decisions honoured by `cluster`, `check`, `dedup` and `report`, and
//! the errors of a bad decisions file (exit 2, file and line named, nothing written).

mod common;

use std::fs;

use common::{run, run_in};
use serde_json::{Value, json};

const SEED: &str = "fixtures/seed_captions.txt";

fn cluster_json(args: &[&str]) -> Value {
    let mut all = vec!["cluster", "-q", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// A decisions file in a fresh folder; returns the folder and the file's path.
fn decisions(value: &Value) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("decisions.json");
    fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

/// The seed's largest cluster: its caption and its other variant (the same comparison key:
/// they differ only in a boilerplate sentence).
fn top_variants() -> (String, String) {
    let report = cluster_json(&[SEED]);
    let top = &report["clusters"][0];
    let caption = top["caption"].as_str().unwrap().to_owned();
    let other = top["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["text"].as_str().unwrap())
        .find(|t| *t != caption)
        .unwrap()
        .to_owned();
    (caption, other)
}

#[test]
fn a_split_separates_variants_of_the_same_key_in_every_command() {
    let (caption, other) = top_variants();
    let (_dir, path) = decisions(&json!({
        "version": 1,
        "decisions": [{"decision": "split", "a": caption, "b": other}]
    }));
    let report = cluster_json(&["--decisions", &path, SEED]);
    let clusters = report["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 10);
    assert_eq!(clusters[0]["count"], 2);
    assert_eq!(clusters[1]["count"], 2);
    assert_eq!(report["decisions"]["applied"].as_array().unwrap().len(), 1);
    assert_eq!(report["decisions"]["unmatched"], json!([]));

    let text = run(&["cluster", "--decisions", &path, SEED]);
    assert_eq!(text.stdout.lines().count(), 10);
    assert!(
        text.stderr
            .contains("decisions.json: 1 decision applied, 0 unmatched, 0 conflicting"),
        "{}",
        text.stderr
    );

    let check = run(&[
        "check",
        "-q",
        "--format",
        "json",
        "--decisions",
        &path,
        SEED,
    ]);
    assert_eq!(check.code, 1);
    let check: Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(check["duplicates"], 2);

    let dedup = run(&["dedup", "-q", "--decisions", &path, SEED]);
    assert_eq!(dedup.code, 0, "{}", dedup.stderr);
    assert_eq!(dedup.stdout.lines().count(), 10);

    // Cluster ids stay distinct although the two halves share a comparison key.
    let annotated = run(&["dedup", "-q", "--annotate", "--decisions", &path, SEED]);
    let ids: std::collections::BTreeSet<String> = annotated
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["cluster_id"].to_string())
        .collect();
    assert_eq!(ids.len(), 10);
}

#[test]
fn a_merge_joins_captions_the_threshold_keeps_apart() {
    let a = "Belarusian President Alexander Lukashenko greets officials upon his arriving at the Black Sea resort of Sochi, Russia, Monday, Sept. 14, 2020. Belarus' authoritarian president, Lukashenko is visiting Sochi for talks with Russian President Vladimir Putin a day after an estimated 150,000 flooded the streets of the Belarusian capital, demanding Lukashenko's resignation.";
    let b = "Belarusian President Alexander Lukashenko steps down from his plane upon his arriving at the Black Sea resort of Sochi, Russia, Monday, Sept. 14, 2020. Belarus' authoritarian president, Lukashenko is visiting Sochi for talks with Russian President Vladimir Putin a day after an estimated 150,000 flooded the streets of the Belarusian capital, demanding Lukashenko's resignation.";
    let (_dir, path) = decisions(&json!({
        "version": 1,
        "decisions": [
            {"decision": "merge", "a": a, "b": b, "note": "the same visit"},
            {"decision": "merge", "a": a, "b": "A caption no record has."}
        ]
    }));
    let report = cluster_json(&["--decisions", &path, SEED]);
    assert_eq!(report["clusters"].as_array().unwrap().len(), 8);
    let merged = report["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["variants"].as_array().unwrap().len() == 2 && c["count"] == 2)
        .expect("the two Sochi captions in one cluster");
    assert!(merged["min_similarity"].as_f64().unwrap() < 0.9);
    let d = &report["decisions"];
    assert_eq!(d["applied"].as_array().unwrap().len(), 1);
    // Reported with its captions in a fixed order (the smaller text first).
    assert_eq!(d["unmatched"][0]["a"], "A caption no record has.");
    assert_eq!(d["conflicting"], json!([]));
}

#[test]
fn a_merge_that_a_split_forbids_is_reported_and_not_applied() {
    let texts =
        "A cat sleeps on the sofa.\nA cat sleeps on the sofa!\nA dog barks at the mailman.\n";
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("c.txt"), texts).unwrap();
    fs::write(
        dir.path().join("d.json"),
        json!({"version": 1, "decisions": [
            {"decision": "split", "a": "A cat sleeps on the sofa.", "b": "A cat sleeps on the sofa!"},
            {"decision": "merge", "a": "A cat sleeps on the sofa!", "b": "A dog barks at the mailman."},
            {"decision": "merge", "a": "A dog barks at the mailman.", "b": "A cat sleeps on the sofa."}
        ]})
        .to_string(),
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &[
            "cluster",
            "-q",
            "--format",
            "json",
            "--decisions",
            "d.json",
            "c.txt",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &report["decisions"];
    assert_eq!(d["applied"].as_array().unwrap().len(), 2);
    assert_eq!(d["conflicting"].as_array().unwrap().len(), 1);
    // The two cat captions are never together.
    for c in report["clusters"].as_array().unwrap() {
        let texts: Vec<&str> = c["variants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["text"].as_str().unwrap())
            .collect();
        assert!(
            !(texts.contains(&"A cat sleeps on the sofa.")
                && texts.contains(&"A cat sleeps on the sofa!")),
            "{texts:?}"
        );
    }
}

#[test]
fn decisions_give_the_same_clusters_in_any_input_order_and_decision_order() {
    let (caption, other) = top_variants();
    let (_d1, forward) = decisions(&json!({"version": 1, "decisions": [
        {"decision": "split", "a": caption, "b": other},
        {"decision": "merge", "a": "x", "b": "y"}
    ]}));
    let (_d2, backward) = decisions(&json!({"version": 1, "decisions": [
        {"decision": "merge", "a": "y", "b": "x"},
        {"decision": "split", "a": other, "b": caption}
    ]}));
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<String> = fs::read_to_string(SEED)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.reverse();
    fs::write(dir.path().join("rev.txt"), lines.join("\n") + "\n").unwrap();
    let a = run(&["cluster", "-q", "--decisions", &forward, SEED]);
    let b = run_in(
        dir.path(),
        &["cluster", "-q", "--decisions", &backward, "rev.txt"],
    );
    assert_eq!(a.stdout, b.stdout);
    for linkage in ["centre", "single"] {
        let a = run(&[
            "cluster",
            "-q",
            "--linkage",
            linkage,
            "--decisions",
            &forward,
            SEED,
        ]);
        let b = run_in(
            dir.path(),
            &[
                "cluster",
                "-q",
                "--linkage",
                linkage,
                "--decisions",
                &backward,
                "rev.txt",
            ],
        );
        assert_eq!(a.stdout, b.stdout, "{linkage}");
        assert_eq!(a.stdout.lines().count(), 10, "{linkage}");
    }
}

#[test]
fn a_bad_decisions_file_is_exit_2_naming_file_and_line_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "{\"version\": 2, \"decisions\": []}",
            "d.json:1: version 2 is not supported",
        ),
        (
            "{\"version\": 1,\n \"decisions\": [\n  {\"decision\": \"maybe\", \"a\": \"x\", \"b\": \"y\"}]}",
            "d.json:3: unknown variant `maybe`",
        ),
        ("{\"version\": 1,\n \"decisions\": [", "d.json:2: EOF"),
        ("not json", "d.json:1: "),
    ];
    for (text, message) in cases {
        fs::write(dir.path().join("d.json"), text).unwrap();
        for command in ["cluster", "check", "dedup", "report"] {
            let out = dir.path().join(format!("out-{command}"));
            let r = run_in(
                dir.path(),
                &[
                    command,
                    "--decisions",
                    "d.json",
                    "-o",
                    out.to_str().unwrap(),
                    &format!("{}/{SEED}", env!("CARGO_MANIFEST_DIR")),
                ],
            );
            assert_eq!(r.code, 2, "{command} {text}: {}", r.stderr);
            assert!(
                r.stderr.starts_with(&format!("capdedup: {message}")),
                "{command}: {}",
                r.stderr
            );
            assert!(
                r.stderr.contains("expected a decisions file"),
                "{}",
                r.stderr
            );
            assert!(!out.exists(), "{command} wrote {out:?}");
            assert_eq!(r.stdout, "");
        }
    }
    let r = run_in(
        dir.path(),
        &["cluster", "--decisions", "missing.json", "x.txt"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("capdedup: missing.json: cannot open it"),
        "{}",
        r.stderr
    );
}

#[test]
fn report_writes_one_self_contained_page_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let r = run(&["report", SEED, "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.ends_with(&format!(
        "capdedup: {}: 9 clusters, 3 near misses\n",
        out.display()
    )));
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    // The same bytes on one and two threads, and for another input order.
    let again = run(&["report", "-q", "-j", "1", SEED]);
    let two = run(&["report", "-q", "-j", "2", SEED]);
    assert_eq!(again.stdout, two.stdout);
    assert_eq!(again.stdout, html);
    // --limit: the page carries the largest clusters and counts the rest.
    let limited = run(&["report", "-q", "--limit", "3", "--near", "1", SEED]);
    assert!(
        limited
            .stdout
            .contains("This page carries the 3 largest clusters. The other 6")
    );
}
