//! End-to-end tests through the real binary: every subcommand, format and exit status.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use assert_cmd::prelude::*;
use serde_json::Value;

fn capdedup() -> Command {
    let mut cmd = Command::cargo_bin("capdedup").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    run_with_stdin(args, None)
}

fn run_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = capdedup();
    cmd.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(data) = stdin {
        // A child that rejects its arguments exits without reading: that is not a failure.
        if let Err(e) = child.stdin.take().unwrap().write_all(data) {
            assert_eq!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe,
                "writing stdin: {e}"
            );
        }
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn ok(args: &[&str]) -> String {
    let r = run(args);
    assert_eq!(r.code, 0, "capdedup {args:?} failed: {}", r.stderr);
    r.stdout
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("valid JSON")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

// ---- the seed: 12 captions of one AP article -------------------------------------------

#[test]
fn seed_gives_nine_clusters_matching_the_expected_output() {
    let out = ok(&["cluster", "-q", "fixtures/seed_captions.txt"]);
    assert_eq!(out, fixture("seed_captions.expected.txt"));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 9);
    let counts: Vec<u64> = lines
        .iter()
        .map(|l| l.split('\t').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(counts, [4, 1, 1, 1, 1, 1, 1, 1, 1]);
    assert!(lines[0].starts_with("4\tRiot police officers detain a protester"));
    for banned in ["Credit:", "AP Photo", "via AP"] {
        assert!(!out.contains(banned), "output still carries {banned:?}");
    }
    // The two Sochi captions stay apart.
    assert!(out.contains("\tBelarusian President Alexander Lukashenko greets officials"));
    assert!(out.contains("\tBelarusian President Alexander Lukashenko steps down from his plane"));
}

#[test]
fn seed_json_accounts_for_every_record_and_credit() {
    let doc = json(&[
        "cluster",
        "-q",
        "--format",
        "json",
        "fixtures/seed_captions.txt",
    ]);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["threshold"], 0.9);
    assert_eq!(doc["metric"], "levenshtein");
    assert_eq!(doc["records"], 12);
    let clusters = doc["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 9);
    let mut lines: Vec<u64> = Vec::new();
    let mut credit_total = 0;
    for c in clusters {
        let members = c["members"].as_array().unwrap();
        assert_eq!(c["count"].as_u64().unwrap(), members.len() as u64);
        let variant_total: u64 = c["variants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["count"].as_u64().unwrap())
            .sum();
        assert_eq!(variant_total, members.len() as u64);
        credit_total += c["credits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["count"].as_u64().unwrap())
            .sum::<u64>();
        assert!(c["min_similarity"].as_f64().unwrap() >= 0.9);
        for m in members {
            assert_eq!(m["file"], "fixtures/seed_captions.txt");
            lines.push(m["line"].as_u64().unwrap());
        }
    }
    lines.sort_unstable();
    assert_eq!(lines, (1..=12).collect::<Vec<_>>());
    assert_eq!(credit_total, 12, "every record's credit is reported");
    let top = &clusters[0];
    assert_eq!(top["count"], 4);
    assert_eq!(top["variants"].as_array().unwrap().len(), 2);
    assert_eq!(
        top["credits"][0]["text"],
        "(AP Photo) Credit: Uncredited Credit: Uncredited"
    );
    let lines: Vec<u64> = top["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 4, 5, 12]);

    let boilerplate = doc["boilerplate"].as_array().unwrap();
    assert_eq!(boilerplate.len(), 3);
    assert!(
        boilerplate[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Protests calling for the Belarusian president's resignation")
    );
    assert_eq!(boilerplate[0]["count"], 7);
    assert_eq!(boilerplate[1]["count"], 3);
    assert_eq!(boilerplate[2]["count"], 2);
}

#[test]
fn raw_seed_page_with_credited_only_gives_the_same_clusters() {
    let captions = ok(&["cluster", "-q", "fixtures/seed_captions.txt"]);
    let page = run(&["cluster", "--credited-only", "fixtures/seed_page.txt"]);
    assert_eq!(page.code, 0);
    assert_eq!(page.stdout, captions);
    assert!(page.stderr.contains("12 with a credit"), "{}", page.stderr);
    let doc = json(&[
        "cluster",
        "-q",
        "--credited-only",
        "--format",
        "json",
        "fixtures/seed_page.txt",
    ]);
    assert_eq!(doc["records"], 12);
    assert!(doc["records_read"].as_u64().unwrap() > 12);
}

#[test]
fn boilerplate_keep_compares_whole_captions() {
    // Whole-string comparison merges different photos (the reason for `auto`); without the
    // facts veto, which would otherwise keep them apart.
    let out = ok(&[
        "cluster",
        "-q",
        "--veto",
        "none",
        "--boilerplate",
        "keep",
        "fixtures/seed_captions.txt",
    ]);
    assert!(out.lines().count() < 9, "{out}");
    let doc = json(&[
        "cluster",
        "-q",
        "--boilerplate",
        "keep",
        "--format",
        "json",
        "fixtures/seed_captions.txt",
    ]);
    assert_eq!(doc["boilerplate"], serde_json::json!([]));
}

#[test]
fn output_is_the_same_for_any_input_order() {
    let lines: Vec<String> = fixture("seed_captions.txt")
        .lines()
        .map(str::to_owned)
        .collect();
    let expected = fixture("seed_captions.expected.txt");
    let mut orders = vec![lines.iter().rev().cloned().collect::<Vec<_>>()];
    let mut rotated = lines.clone();
    for _ in 0..3 {
        rotated.rotate_left(5);
        orders.push(rotated.clone());
    }
    let mut interleaved: Vec<String> = lines.iter().step_by(2).cloned().collect();
    interleaved.extend(lines.iter().skip(1).step_by(2).cloned());
    orders.push(interleaved);
    for order in orders {
        let input = order.join("\n") + "\n";
        let r = run_with_stdin(&["cluster", "-q"], Some(input.as_bytes()));
        assert_eq!(r.code, 0);
        assert_eq!(r.stdout, expected);
    }
}

#[test]
fn jsonl_output_is_the_cluster_objects_of_the_json_document() {
    let doc = json(&[
        "cluster",
        "-q",
        "--format",
        "json",
        "fixtures/seed_captions.txt",
    ]);
    let out = ok(&[
        "cluster",
        "-q",
        "--format",
        "jsonl",
        "fixtures/seed_captions.txt",
    ]);
    let objects: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(Value::Array(objects), doc["clusters"]);
}

#[test]
fn summary_goes_to_stderr_unless_quiet() {
    let r = run(&["cluster", "fixtures/seed_captions.txt"]);
    assert_eq!(
        r.stderr,
        "capdedup: 12 records -> 9 clusters (3 duplicates folded); 3 boilerplate sentences left out of the comparison\n"
    );
    let r = run(&["cluster", "--quiet", "fixtures/seed_captions.txt"]);
    assert_eq!(r.stderr, "");
}

// ---- inputs ------------------------------------------------------------------------------

#[test]
fn stdin_by_default_and_with_dash() {
    let data = b"a caption\na caption\nanother one\n";
    for args in [
        &["cluster", "-q", "--format", "json"][..],
        &["cluster", "-q", "--format", "json", "-"][..],
    ] {
        let r = run_with_stdin(args, Some(data));
        assert_eq!(r.code, 0);
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(
            doc["clusters"][0]["members"],
            serde_json::json!([{"file":"-","line":1},{"file":"-","line":2}])
        );
    }
}

#[test]
fn crlf_blank_lines_and_credit_styles_collapse() {
    let doc = json(&[
        "cluster",
        "-q",
        "--format",
        "json",
        "fixtures/crlf_doubled_credit.txt",
    ]);
    assert_eq!(doc["records"], 3, "blank lines are not records");
    let c = &doc["clusters"][0];
    assert_eq!(c["count"], 3);
    assert_eq!(c["caption"], "Biden speaks at the White House.");
    let lines: Vec<u64> = c["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 2, 4]);
    let credits: Vec<&str> = c["credits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        credits,
        [
            "(AP Photo/Evan Vucci) Credit: Evan Vucci Credit: Evan Vucci",
            "Evan Vucci/AP Photo"
        ]
    );
    assert!(!ok(&["cluster", "-q", "fixtures/crlf_doubled_credit.txt"]).contains('\r'));
}

#[test]
fn many_files_keep_their_names() {
    let doc = json(&[
        "cluster",
        "-q",
        "--format",
        "json",
        "fixtures/crlf_doubled_credit.txt",
        "fixtures/seed_captions.txt",
    ]);
    assert_eq!(doc["records"], 15);
    assert_eq!(
        doc["clusters"][0]["members"][0]["file"],
        "fixtures/seed_captions.txt"
    );
    assert!(
        doc["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["members"][0]["file"] == "fixtures/crlf_doubled_credit.txt")
    );
}

#[test]
fn jsonl_input_reads_a_dotted_field() {
    let doc = json(&[
        "cluster",
        "-q",
        "--format",
        "json",
        "--jsonl",
        "--field",
        "meta.caption",
        "fixtures/captions.jsonl",
    ]);
    assert_eq!(doc["records"], 3);
    assert_eq!(doc["clusters"][0]["count"], 2);
    assert_eq!(
        doc["clusters"][0]["members"],
        serde_json::json!([{"file":"fixtures/captions.jsonl","line":1},{"file":"fixtures/captions.jsonl","line":2}])
    );
    assert_eq!(
        doc["clusters"][1]["caption"],
        "Menschen auf dem Marktplatz."
    );
}

// ---- strip -------------------------------------------------------------------------------

#[test]
fn strip_reports_caption_and_credit_per_record() {
    let out = ok(&["strip", "fixtures/crlf_doubled_credit.txt"]);
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[0],
        serde_json::json!({"file":"fixtures/crlf_doubled_credit.txt","line":1,"caption":"Biden speaks at the White House.","credit":"(AP Photo/Evan Vucci) Credit: Evan Vucci Credit: Evan Vucci","removed":[
            {"text":"(AP Photo/Evan Vucci)","by":"parenthesised credit"},
            {"text":"Credit: Evan Vucci","by":"credit label"},
            {"text":"Credit: Evan Vucci","by":"credit label"}
        ]})
    );
    assert_eq!(rows[2]["credit"], Value::Null);
    assert_eq!(rows[2]["line"], 4);
}

/// Names that sign explicit credits in the input come off where they stand bare, in `strip`
/// (audited as `learned name`) and in `cluster` (listed as `bare` learned credits; a caption
/// that was only a name is credit-only); a name that is a subject elsewhere, or a caption
/// about the photographer, stays; `--learn-credits off` leaves them all.
#[test]
fn learned_credit_names_come_off_where_they_stand_bare() {
    let path = "fixtures/bare_credit_names.txt";
    let rows: Vec<Value> = ok(&["strip", path])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let row = |line: u64| rows.iter().find(|r| r["line"] == line).unwrap();
    assert_eq!(row(4)["caption"], "Fishing boats return to port.");
    assert_eq!(row(4)["credit"], "Jane Roe");
    assert_eq!(
        row(4)["removed"],
        serde_json::json!([{"text": "Jane Roe", "by": "learned name"}])
    );
    assert_eq!(
        (&row(5)["caption"], &row(5)["credit"]),
        (&Value::from(""), &Value::from("Jane Roe"))
    );
    assert_eq!(
        row(6)["caption"],
        "Children play in the fountain on a hot day."
    );
    assert_eq!(row(6)["credit"], "Acme Wire");
    // A subject: the photographer posing, and John Doe, whom a caption thanks.
    assert_eq!(row(7)["credit"], Value::Null);
    assert_eq!(row(11)["caption"], "Snow falls on the hills. John Doe");
    // A caption that is nothing but a name two explicit credits sign is that credit, even
    // when the name is a subject elsewhere.
    assert_eq!(
        (&row(12)["caption"], &row(12)["credit"]),
        (&Value::from(""), &Value::from("JOHN DOE"))
    );
    let doc = json(&["cluster", "-q", "--format", "json", path]);
    let learned_at = |place: &str| -> Vec<&str> {
        doc["learned_credits"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["place"] == place)
            .map(|l| l["text"].as_str().unwrap())
            .collect()
    };
    assert_eq!(learned_at("bare"), ["Acme Wire", "Jane Roe"]);
    assert_eq!(learned_at("whole"), ["John Doe"]);
    let text = ok(&["cluster", "-q", path]);
    assert!(text.contains("[credit only] Jane Roe"), "{text}");
    // Learning off: the rules alone leave the bare names.
    let off = ok(&["strip", "--learn-credits", "off", "--format", "text", path]);
    assert!(
        off.lines()
            .any(|l| l == "Fishing boats return to port. Jane Roe"),
        "{off}"
    );
    assert!(off.lines().any(|l| l == "Jane Roe"), "{off}");
    assert!(off.lines().any(|l| l == "JOHN DOE"), "{off}");
}

#[test]
fn strip_text_and_untouched_captions() {
    let out = ok(&[
        "strip",
        "--format",
        "text",
        "fixtures/no_credit_untouched.txt",
    ]);
    assert_eq!(out, fixture("no_credit_untouched.txt"));
    let out = ok(&["strip", "--format", "text", "fixtures/seed_captions.txt"]);
    assert!(!out.contains("Credit:") && !out.contains("AP Photo") && !out.contains("via AP"));
}

#[test]
fn keep_credits_and_extra_patterns() {
    let out = ok(&[
        "strip",
        "--format",
        "text",
        "--keep-credits",
        "fixtures/crlf_doubled_credit.txt",
    ]);
    assert!(out.starts_with("Biden speaks at the White House. (AP Photo/Evan Vucci) Credit: Evan Vucci Credit: Evan Vucci\n"));
    let r = run_with_stdin(
        &["strip", "--credit-pattern", r"\s*\[[A-Z]+ PICTURES\]$"],
        Some(b"A tiger yawns [WENN PICTURES]\n"),
    );
    assert_eq!(
        r.stdout,
        "{\"file\":\"-\",\"line\":1,\"caption\":\"A tiger yawns\",\"credit\":\"[WENN PICTURES]\",\"removed\":[{\"text\":\"[WENN PICTURES]\",\"by\":\"credit pattern\"}]}\n"
    );
    let r = run_with_stdin(
        &["strip", "--credited-only"],
        Some(b"no credit\nwith one. (AP Photo)\n"),
    );
    assert_eq!(r.stdout.lines().count(), 1);
}

// ---- clustering options ------------------------------------------------------------------

#[test]
fn centre_linkage_does_not_chain_but_single_does() {
    // a~b and b~c at 0.9, but a and c are further apart.
    let input = b"0123456789\n0123456789X\n0123456789XY\n0123456789XY\n";
    let centre = run_with_stdin(&["cluster", "-q"], Some(input)).stdout;
    assert_eq!(centre, "3\t0123456789XY\n1\t0123456789\n");
    let single = run_with_stdin(&["cluster", "-q", "--linkage", "single"], Some(input)).stdout;
    assert_eq!(single, "4\t0123456789XY\n");
    let doc: Value = serde_json::from_str(
        &run_with_stdin(
            &["cluster", "-q", "--linkage", "single", "--format", "json"],
            Some(input),
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(doc["linkage"], "single");
    assert!(doc["clusters"][0]["min_similarity"].as_f64().unwrap() < 0.9);
}

#[test]
fn canonical_policies() {
    let input = b"A cat sleeps on the mat today\nA cat sleeps on the mat today\nA cat sleeps on a mat today\nA cat sleeps on the mat today!\n";
    let pick = |policy: &str| {
        let out = run_with_stdin(
            &["cluster", "-q", "-t", "0.8", "--canonical", policy],
            Some(input),
        )
        .stdout;
        assert_eq!(out.lines().count(), 1, "{out}");
        out.trim_end().split('\t').nth(1).unwrap().to_owned()
    };
    assert_eq!(pick("most-frequent"), "A cat sleeps on the mat today");
    assert_eq!(pick("first"), "A cat sleeps on the mat today");
    assert_eq!(pick("longest"), "A cat sleeps on the mat today!");
    assert_eq!(pick("shortest"), "A cat sleeps on a mat today");
}

#[test]
fn threshold_and_metrics() {
    // `fox` / `fix` is a change of fact: the thresholds are tested without the veto.
    let input = b"the quick brown fox\nthe quick brown fix\n";
    assert_eq!(
        run_with_stdin(
            &["cluster", "-q", "--veto", "none", "-t", "0.99"],
            Some(input)
        )
        .stdout
        .lines()
        .count(),
        2
    );
    assert_eq!(
        run_with_stdin(
            &["cluster", "-q", "--veto", "none", "-t", "0.9"],
            Some(input)
        )
        .stdout
        .lines()
        .count(),
        1
    );
    for metric in [
        "levenshtein",
        "damerau",
        "osa",
        "jaro-winkler",
        "sorensen-dice",
    ] {
        let r = run_with_stdin(
            &[
                "cluster", "-q", "--veto", "none", "-t", "0.8", "--metric", metric, "--format",
                "json",
            ],
            Some(input),
        );
        assert_eq!(r.code, 0, "{metric}: {}", r.stderr);
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(doc["metric"], metric);
        assert_eq!(doc["clusters"].as_array().unwrap().len(), 1, "{metric}");
    }
}

// ---- errors and exit status --------------------------------------------------------------

fn assert_error(args: &[&str], stdin: Option<&[u8]>, message: &str) -> Run {
    let r = run_with_stdin(args, stdin);
    assert_eq!(r.code, 2, "capdedup {args:?}: {}", r.stderr);
    assert!(
        r.stderr.contains(message),
        "capdedup {args:?}: expected {message:?} in {:?}",
        r.stderr
    );
    if r.stderr.starts_with("capdedup: ") {
        assert_eq!(r.stderr.lines().count(), 1, "one message: {:?}", r.stderr);
    }
    if args[0] == "cluster" {
        assert_eq!(r.stdout, "", "cluster prints nothing when an input is bad");
    }
    r
}

#[test]
fn invalid_utf8_names_file_and_line() {
    assert_error(
        &["cluster", "fixtures/not_utf8.txt"],
        None,
        "capdedup: fixtures/not_utf8.txt:2: invalid UTF-8 at byte 27 of the line (expected UTF-8 text)",
    );
    // strip streams without learning: the records before the bad one are out, then it stops
    // with status 2; learning (the default) reads it all first, so nothing is out.
    let r = assert_error(
        &["strip", "--learn-credits", "off"],
        Some(b"ok\n\xfe\nnever read\n"),
        "capdedup: -:2: invalid UTF-8",
    );
    assert_eq!(r.stdout.lines().count(), 1);
    let r = assert_error(
        &["strip"],
        Some(b"ok\n\xfe\nnever read\n"),
        "capdedup: -:2: invalid UTF-8",
    );
    assert_eq!(r.stdout.lines().count(), 0);
}

#[test]
fn bad_jsonl_names_file_and_line() {
    assert_error(
        &[
            "cluster",
            "--jsonl",
            "--field",
            "meta.caption",
            "fixtures/missing_field.jsonl",
        ],
        None,
        "fixtures/missing_field.jsonl:2: missing field `meta.caption`",
    );
    assert_error(
        &["cluster", "--jsonl"],
        Some(b"{\"caption\": 1}\n"),
        "-:1: field `caption` is a number",
    );
    assert_error(
        &["cluster", "--jsonl"],
        Some(b"not json\n"),
        "-:1: invalid JSON",
    );
}

#[test]
fn unreadable_inputs() {
    assert_error(
        &["cluster", "fixtures/does-not-exist.txt"],
        None,
        "fixtures/does-not-exist.txt: no such file",
    );
    assert_error(&["cluster", "fixtures"], None, "fixtures: is a directory");
}

#[test]
fn usage_errors_exit_2() {
    assert_error(&["cluster", "--threshold", "1.5"], None, "out of range");
    assert_error(&["cluster", "--threshold", "abc"], None, "not a number");
    assert_error(&["cluster", "--metric", "cosine"], None, "invalid value");
    assert_error(
        &["cluster", "--credit-pattern", "("],
        Some(b"x\n"),
        "invalid --credit-pattern `(`",
    );
    assert_error(&["cluster", "--field", "x"], None, "--jsonl");
    assert_error(&["frobnicate"], None, "unrecognized subcommand");
}

#[test]
fn help_on_every_subcommand_has_examples() {
    for sub in ["cluster", "strip"] {
        let out = ok(&[sub, "--help"]);
        assert!(out.contains("Examples:"), "{sub} --help lacks examples");
        assert!(out.contains(&format!("capdedup {sub}")), "{sub}");
    }
    assert!(ok(&["--help"]).contains("Exit status"));
    assert!(ok(&["cluster", "--help"]).contains("Memory is proportional"));
}

#[test]
fn broken_pipe_exits_quietly() {
    let input: String = (0..200_000)
        .map(|i| format!("caption number {i} (AP Photo)\n"))
        .collect();
    let mut child = capdedup()
        .args(["strip", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

// ---- the facts veto and explain -----------------------------------------------------------

#[test]
fn facts_veto_keeps_different_facts_apart() {
    // Date, instrument: vetoed; typo merged; the gallery counter and `hide caption` are page
    // furniture, stripped.
    let out = ok(&["cluster", "-q", "fixtures/facts_veto.txt"]);
    assert_eq!(out, fixture("facts_veto.expected.txt"));
    let clusters = |veto: &str| {
        let doc = json(&[
            "cluster",
            "-q",
            "--veto",
            veto,
            "--format",
            "json",
            "fixtures/facts_veto.txt",
        ]);
        assert_eq!(doc["veto"], veto);
        let search = &doc["search"];
        let count = |field: &str| search[field].as_u64().unwrap();
        (
            doc["clusters"].as_array().unwrap().len(),
            count("pairs_vetoed"),
            count("pairs_verified"),
            count("pairs_similar"),
        )
    };
    // The 3 candidate pairs are similar (the gallery counter and `hide caption` are stripped,
    // so those two pairs are exact duplicates); the veto rejects its pairs before they are
    // verified, and the pairs verified and found similar are the edges.
    assert_eq!(clusters("facts"), (7, 2, 1, 1));
    assert_eq!(clusters("numbers"), (6, 1, 2, 2));
    assert_eq!(clusters("none"), (5, 0, 3, 3));
}

#[test]
fn short_pairs_are_scored_before_the_veto() {
    // Up to 64 characters the kernel runs first and only a similar pair meets the veto, so
    // the vetoed pair is also counted as verified.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("short.txt");
    std::fs::write(
        &path,
        "Protest in Minsk on Sunday, Sept. 13, 2020.\nProtest in Minsk on Sunday, Sept. 14, 2020.\n",
    )
    .unwrap();
    let doc = json(&["cluster", "-q", "--format", "json", path.to_str().unwrap()]);
    let search = &doc["search"];
    assert_eq!(doc["clusters"].as_array().unwrap().len(), 2);
    assert_eq!(
        (
            &search["pairs_verified"],
            &search["pairs_similar"],
            &search["pairs_vetoed"]
        ),
        (&Value::from(1), &Value::from(0), &Value::from(1))
    );
}

#[test]
fn check_honours_the_veto() {
    let input = b"A street musician plays a guitar outside the Louvre museum in Paris.\nA street musician plays a flute outside the Louvre museum in Paris.\n";
    assert_eq!(run_with_stdin(&["check", "-q"], Some(input)).code, 0);
    assert_eq!(
        run_with_stdin(&["check", "-q", "--veto", "none"], Some(input)).code,
        1
    );
    let r = run_with_stdin(&["check", "-q", "--format", "json"], Some(input));
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["veto"], "facts");
}

#[test]
fn explain_says_why_two_captions_do_not_merge() {
    let out = ok(&[
        "explain",
        "Protesters march in Minsk, Belarus, Sunday, Sept. 13, 2020. (AP Photo)",
        "Protesters march in Minsk, Belarus, Monday, Sept. 14, 2020.",
    ]);
    for line in [
        "A credit:      (AP Photo)",
        "B credit:      none",
        "A boilerplate: none detected",
        "A key:         protesters march in minsk, belarus, sunday, sept. 13, 2020",
        "B key:         protesters march in minsk, belarus, monday, sept. 14, 2020",
        "similarity:    0.9483 (levenshtein) >= threshold 0.9",
        "veto (facts):  number 13 vs 14",
        "decision:      no merge: vetoed (number 13 vs 14)",
    ] {
        assert!(out.lines().any(|l| l == line), "{line:?} not in\n{out}");
    }
    let out = ok(&[
        "explain",
        "--veto",
        "none",
        "Protesters march in Minsk, Belarus, Sunday, Sept. 13, 2020.",
        "Protesters march in Minsk, Belarus, Monday, Sept. 14, 2020.",
    ]);
    assert!(out.ends_with("decision:      merge\n"), "{out}");
    let out = ok(&["explain", "-t", "0.99", "A cat sleeps.", "A cat sleeps in."]);
    assert!(
        out.ends_with("decision:      no merge: below threshold\n"),
        "{out}"
    );
}

#[test]
fn explain_shows_a_compound_and_a_final_stop_are_no_difference() {
    // Written apart or together, with or without the full stop: one edit of the keys, and
    // the veto reads `onstage` as `on` + `stage`.
    let out = ok(&["explain", "The band on stage.", "The band onstage"]);
    for line in [
        "A key:         the band on stage",
        "B key:         the band onstage",
        "similarity:    0.9412 (levenshtein) >= threshold 0.9",
        "veto (facts):  the facts agree",
        "decision:      merge",
    ] {
        assert!(out.lines().any(|l| l == line), "{line:?} not in\n{out}");
    }
    let out = ok(&[
        "explain",
        "Protesters march in Minsk.",
        "Protesters march in Minsk!",
    ]);
    assert!(
        out.ends_with("decision:      merge (exact duplicates: the same key)\n"),
        "{out}"
    );
    // Another word is still another word.
    let out = ok(&["explain", "The band on stage.", "The hand on stage"]);
    assert!(
        out.ends_with("decision:      no merge: vetoed (content word \"band\" vs \"hand\")\n"),
        "{out}"
    );
    // Nor is a compound with the opposite direction (`up` and `down` are content words).
    let out = ok(&[
        "explain",
        "The good news is that it's all down hill from here",
        "The good news is that it's all uphill from here.",
    ]);
    assert!(
        out.ends_with("no merge: vetoed (content word \"down\" vs \"uphill\")\n"),
        "{out}"
    );
}

#[test]
fn explain_json_and_boilerplate() {
    // The shared second sentence follows different first sentences: boilerplate.
    let doc = json(&[
        "explain",
        "--format",
        "json",
        "Riot police detain a protester in Minsk. Protests have broken out daily since the presidential election in early August.",
        "A woman kneels in front of a police line in Minsk. Protests have broken out daily since the presidential election in early August.",
    ]);
    assert_eq!(doc["version"], 1);
    assert_eq!(
        (doc["threshold"].as_f64(), doc["metric"].as_str()),
        (Some(0.9), Some("levenshtein"))
    );
    assert_eq!(doc["veto"], "facts");
    assert_eq!(
        doc["a"]["boilerplate"],
        serde_json::json!([
            "Protests have broken out daily since the presidential election in early August."
        ])
    );
    assert_eq!(doc["a"]["key"], "riot police detain a protester in minsk");
    assert_eq!(doc["decision"], "below-threshold");
    let doc = json(&[
        "explain",
        "--format",
        "json",
        "--keep-credits",
        "A man plays a guitar in a park in Paris. (AP Photo)",
        "A man plays a guitar in a park in Paris (AP Photo)",
    ]);
    assert_eq!(doc["a"]["credit"], Value::Null);
    assert_eq!(
        doc["a"]["facts"]["words"],
        serde_json::json!(["ap", "guitar", "man", "paris", "park", "photo", "plays"])
    );
    assert_eq!(doc["difference"], Value::Null);
    assert_eq!(doc["decision"], "merge");
}

#[test]
fn explain_rejects_options_that_only_shape_clusters() {
    // Two captions have no clusters to link, order, search or select: these options would
    // change nothing, so they are usage errors rather than silently ignored.
    for args in [
        &["--linkage", "single"][..],
        &["--canonical", "longest"],
        &["--exhaustive"],
        &["-j", "2"],
        &["--threads", "2"],
        &["--credited-only"],
    ] {
        let mut all = vec!["explain"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["A cat sleeps.", "A cat sleeps!"]);
        let r = run(&all);
        assert_eq!(r.code, 2, "{all:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{all:?}: {}", r.stdout);
        assert!(
            r.stderr
                .contains(&format!("unexpected argument '{}'", args[0])),
            "{all:?}: {}",
            r.stderr
        );
    }
    // The options that decide a merge are still taken.
    let out = ok(&[
        "explain",
        "--keep-credits",
        "--credit-pattern",
        "zzz$",
        "--boilerplate",
        "keep",
        "--boilerplate-min",
        "3",
        "-t",
        "0.8",
        "-m",
        "damerau",
        "--veto",
        "numbers",
        "A cat sleeps.",
        "A cat slept.",
    ]);
    assert!(out.ends_with("decision:      merge\n"), "{out}");
}
