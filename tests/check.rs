//! End-to-end tests of `capdedup check`: every output format, exit status, limit, baseline
//! and colour choice, and the examples of docs/ci.md that tests/docs.rs cannot run (the
//! baseline file, the workflow step) as written.

mod common;

use std::fs;
use std::path::Path;

use common::{assert_usage_error, members, run, run_in, run_with_env};
use serde_json::Value;

const SEED: &str = "fixtures/seed_captions.txt";
const CSV: &str = "fixtures/quoted_newlines.csv";

fn ci_page() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md")).unwrap()
}

/// The fenced block of `language` in docs/ci.md whose text contains `needle`.
fn page_block(language: &str, needle: &str) -> String {
    let text = ci_page();
    let fence = format!("```{language}\n");
    text.split(&fence)
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .find(|block| block.contains(needle))
        .unwrap_or_else(|| panic!("no ```{language} block with {needle:?} in docs/ci.md"))
        .to_owned()
}

#[test]
fn within_the_limits_exits_0_and_prints_only_the_summary() {
    let r = run(&["check", "fixtures/no_credit_untouched.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "capdedup: check passed: 3 records, 0 duplicates; duplicate ratio 0.000 <= 0\n"
    );
    let r = run(&["check", "-q", "fixtures/no_credit_untouched.txt"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
}

#[test]
fn the_first_record_of_a_cluster_is_the_reference_across_files() {
    // The CSV comes first, so its line 2 is the reference for every Minsk caption.
    let extra = "Riot police detain a protestor in Minsk!\n";
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("more.txt"), extra).unwrap();
    fs::copy(CSV, dir.path().join("a.csv")).unwrap();
    let r = run_in(dir.path(), &["check", "-q", "a.csv", "more.txt"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "a.csv:3: duplicate of a.csv:2: Riot police detain a protester in Minsk.\n\
         a.csv:6: duplicate of a.csv:2: Riot police detain a protester in Minsk.\n\
         more.txt:1: near-duplicate of a.csv:2 (similarity 0.97): Riot police detain a protestor in Minsk!\n"
    );
}

#[test]
fn long_captions_are_cut_to_80_characters() {
    let r = run(&["check", "-q", SEED]);
    let first = r.stdout.lines().next().unwrap();
    let caption = first.splitn(3, ": ").nth(2).unwrap();
    assert_eq!(caption.chars().count(), 80, "{caption}");
    assert!(caption.ends_with('…'));
}

#[test]
fn duplicate_ratio_limit() {
    // The seed: 12 records, 3 duplicates (0.25).
    let at = |ratio: &str| run(&["check", "--max-duplicate-ratio", ratio, SEED]);
    let r = at("0.25");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout.lines().count(),
        3,
        "duplicates are listed when within the limit too"
    );
    assert!(
        r.stderr.ends_with("duplicate ratio 0.250 <= 0.25\n"),
        "{}",
        r.stderr
    );
    let r = at("0.24");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.ends_with("duplicate ratio 0.250 > 0.24\n"),
        "{}",
        r.stderr
    );
    let r = at("1.5");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("1.5 is out of range (expected 0 to 1)"),
        "{}",
        r.stderr
    );
}

#[test]
fn cluster_size_limit() {
    let at = |size: &str| {
        run(&[
            "check",
            "--max-duplicate-ratio",
            "1",
            "--max-cluster-size",
            size,
            SEED,
        ])
    };
    let r = at("4");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.ends_with("; largest cluster 4 <= 4\n"),
        "{}",
        r.stderr
    );
    let r = at("3");
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "capdedup: check failed: 12 records, 3 duplicates; duplicate ratio 0.250 <= 1; largest cluster 4 > 3\n"
    );
    let r = at("0");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("0 is not in 1.."), "{}", r.stderr);
}

#[test]
fn github_format_escapes_file_and_message() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a,b:c.txt"),
        "100% of votes counted\n100% of votes counted\n100% of vote counted!\n",
    )
    .unwrap();
    let r = run_in(
        dir.path(),
        &["check", "-q", "--format", "github", "a,b:c.txt"],
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "::error file=a%2Cb%3Ac.txt,line=2,title=Duplicate caption::duplicate of a,b:c.txt:1: 100%25 of votes counted\n\
         ::error file=a%2Cb%3Ac.txt,line=3,title=Near-duplicate caption::near-duplicate of a,b:c.txt:1 (similarity 0.95): 100%25 of vote counted!\n"
    );
    // Within the limits the duplicates are warnings.
    let r = run(&[
        "check",
        "-q",
        "--format",
        "github",
        "--max-duplicate-ratio",
        "0.5",
        CSV,
    ]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        "::warning file=fixtures/quoted_newlines.csv,line=3,title=Duplicate caption::duplicate of fixtures/quoted_newlines.csv:2: Riot police detain a protester in Minsk.\n\
         ::warning file=fixtures/quoted_newlines.csv,line=6,title=Duplicate caption::duplicate of fixtures/quoted_newlines.csv:2: Riot police detain a protester in Minsk.\n"
    );
}

#[test]
fn json_format_has_limits_figures_findings_and_the_cluster_objects() {
    let r = run(&[
        "check",
        "-q",
        "--format",
        "json",
        "--max-cluster-size",
        "5",
        SEED,
        CSV,
    ]);
    assert_eq!(r.code, 1);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["passed"], false);
    assert_eq!(doc["failed"], serde_json::json!(["max_duplicate_ratio"]));
    assert_eq!(
        doc["limits"],
        serde_json::json!({"max_duplicate_ratio": 0.0, "max_cluster_size": 5})
    );
    assert_eq!(doc["records"], 16);
    assert_eq!(doc["duplicates"], 5);
    assert_eq!(doc["new_duplicates"], 5);
    assert_eq!(doc["known_duplicates"], 0);
    assert_eq!(doc["baseline"], false);
    assert_eq!(doc["duplicate_ratio"], 5.0 / 16.0);
    assert_eq!(doc["largest_cluster"], 4);
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 5);
    assert_eq!(
        findings[3],
        serde_json::json!({
            "file": CSV, "line": 3, "duplicate_of": {"file": CSV, "line": 2},
            "exact": true, "similarity": 1.0,
            "caption": "Riot police detain a protester in Minsk.", "cluster": 1
        })
    );
    // The same cluster objects as `cluster --format json`, those with duplicates.
    let clustered = common::json(&["cluster", "-q", "--format", "json", SEED, CSV]);
    let with_duplicates: Vec<&Value> = clustered["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["count"].as_u64().unwrap() > 1)
        .collect();
    assert_eq!(
        doc["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        with_duplicates
    );
    assert_eq!(members(&doc["clusters"][1]).len(), 3);

    let r = run(&[
        "check",
        "-q",
        "--format",
        "json",
        "fixtures/no_credit_untouched.txt",
    ]);
    assert_eq!(r.code, 0);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (
            doc["passed"].as_bool(),
            doc["clusters"].as_array().unwrap().len()
        ),
        (Some(true), 0)
    );
}

#[test]
fn baseline_is_deterministic_and_forgives_only_known_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let seed = fs::read_to_string(SEED).unwrap();
    fs::write(p.join("captions.txt"), &seed).unwrap();
    let reversed: String = seed.lines().rev().map(|l| format!("{l}\n")).collect();
    fs::write(p.join("reversed.txt"), reversed).unwrap();

    let r = run_in(
        p,
        &["check", "--write-baseline", "base.json", "captions.txt"],
    );
    assert_eq!(r.code, 0, "writing a baseline accepts today's duplicates");
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "capdedup: wrote base.json: 3 duplicates in 1 cluster\n"
    );
    let written = fs::read_to_string(p.join("base.json")).unwrap();
    assert!(written.starts_with("{\n  \"version\": 1,\n"), "{written}");
    assert!(written.ends_with("}\n"));
    let r = run_in(
        p,
        &[
            "check",
            "-q",
            "--write-baseline",
            "again.json",
            "reversed.txt",
        ],
    );
    assert_eq!(r.code, 0);
    assert_eq!(fs::read_to_string(p.join("again.json")).unwrap(), written);

    let r = run_in(p, &["check", "--baseline", "base.json", "captions.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "capdedup: check passed: 12 records, 0 new duplicates (3 in the baseline); duplicate ratio 0.000 <= 0\n"
    );

    // One more copy of a known caption, and a new pair.
    let grown = format!(
        "{seed}{}\nA brand new caption here.\nA brand new caption here!\n",
        seed.lines().nth(2).unwrap()
    );
    fs::write(p.join("captions.txt"), grown).unwrap();
    let r = run_in(p, &["check", "--baseline", "base.json", "captions.txt"]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.split(": ").next().unwrap())
        .collect();
    assert_eq!(lines, ["captions.txt:13", "captions.txt:15"]);
    assert!(
        r.stderr.contains("2 new duplicates (3 in the baseline)"),
        "{}",
        r.stderr
    );
    let r = run_in(
        p,
        &[
            "check",
            "-q",
            "--format",
            "json",
            "--baseline",
            "base.json",
            "captions.txt",
        ],
    );
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (doc["baseline"].as_bool(), doc["known_duplicates"].as_u64()),
        (Some(true), Some(3))
    );
}

#[test]
fn ci_page_baseline_example_is_what_write_baseline_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.json");
    let r = run(&[
        "check",
        "-q",
        "--write-baseline",
        out.to_str().unwrap(),
        CSV,
    ]);
    assert_eq!(r.code, 0);
    let written = fs::read_to_string(&out).unwrap();
    assert_eq!(page_block("json", "\"captions\": ["), written);
}

#[test]
fn baseline_with_other_options_is_noted() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("b.json");
    let base = base.to_str().unwrap();
    run(&["check", "-q", "--write-baseline", base, CSV]);
    let r = run(&["check", "--baseline", base, "--threshold", "0.8", CSV]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr.starts_with("capdedup: note: the baseline was written with --threshold 0.9 --metric levenshtein --veto facts --linkage centre"),
        "{}",
        r.stderr
    );
}

#[test]
fn baseline_records_the_veto_and_notes_another() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.json");
    let base = path.to_str().unwrap();
    let note = "capdedup: note: the baseline was written with";
    run(&["check", "-q", "--write-baseline", base, CSV]);
    let written: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(written["veto"], "facts");

    // The same veto: no note. Another veto: the note names the baseline's.
    let r = run(&["check", "--baseline", base, CSV]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains(note), "{}", r.stderr);
    for veto in ["none", "numbers"] {
        let r = run(&["check", "--baseline", base, "--veto", veto, CSV]);
        assert!(
            r.stderr.starts_with(&format!(
                "{note} --threshold 0.9 --metric levenshtein --veto facts --linkage centre; clusters may differ\n"
            )),
            "--veto {veto}: {}",
            r.stderr
        );
    }
    // -q silences the note with the summary.
    let r = run(&["check", "-q", "--baseline", base, "--veto", "none", CSV]);
    assert_eq!(r.stderr, "");

    // A baseline written before the veto existed has no `veto`: it was written under none.
    let old: String = fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("\"veto\""))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(!old.contains("veto"));
    fs::write(&path, old).unwrap();
    let r = run(&["check", "--baseline", base, "--veto", "none", CSV]);
    assert!(!r.stderr.contains(note), "{}", r.stderr);
    let r = run(&["check", "--baseline", base, CSV]);
    assert!(
        r.stderr.starts_with(&format!(
            "{note} --threshold 0.9 --metric levenshtein --veto none --linkage centre; clusters may differ\n"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn ci_page_workflow_step_runs_as_written() {
    let step = page_block("yaml", "run: capdedup check");
    let command = step
        .lines()
        .find_map(|l| l.trim().strip_prefix("run: "))
        .unwrap();
    let mut words = command.split_whitespace();
    assert_eq!(words.next(), Some("capdedup"));
    let args: Vec<&str> = words.collect();
    assert!(
        args.contains(&"--format") && args.contains(&"github"),
        "{args:?}"
    );

    // A repository with captions.csv and a baseline written when it was adopted.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let data = fs::read_to_string(CSV).unwrap();
    fs::write(p.join("captions.csv"), &data).unwrap();
    let base = args[args.iter().position(|a| *a == "--baseline").unwrap() + 1];
    let r = run_in(p, &["check", "--write-baseline", base, "captions.csv"]);
    assert_eq!(r.code, 0);

    let r = run_in(p, &args);
    assert_eq!(r.code, 0, "nothing new: {}", r.stderr);
    assert_eq!(r.stdout, "");

    fs::write(
        p.join("captions.csv"),
        format!("{data}5,\"A woman kneels in front of the police line, holding a flag!\",ap\n"),
    )
    .unwrap();
    let r = run_in(p, &args);
    assert_eq!(r.code, 1, "a new duplicate fails the step");
    assert_eq!(
        r.stdout,
        "::error file=captions.csv,line=7,title=Near-duplicate caption::near-duplicate of captions.csv:5 (similarity 0.94): A woman kneels in front of the police line, holding a flag!\n"
    );
}

#[test]
fn bad_baselines_and_option_clashes_exit_2() {
    assert_usage_error(
        &run(&["check", "--baseline", "fixtures/missing.json", CSV]),
        "capdedup: fixtures/missing.json: no such file",
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    fs::write(&bad, "{\n  \"version\": 1,\n  \"clusters\": 3 }\n").unwrap();
    let r = run(&["check", "--baseline", bad.to_str().unwrap(), CSV]);
    assert_usage_error(
        &r,
        "bad.json:3: invalid type: integer `3`, expected a sequence (expected a baseline written by `capdedup check --write-baseline`)",
    );
    let r = run(&[
        "check",
        "--baseline",
        "a.json",
        "--write-baseline",
        "b.json",
        CSV,
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
    assert_usage_error(
        &run(&["check", "fixtures/not_utf8.txt"]),
        "fixtures/not_utf8.txt:2: invalid UTF-8",
    );
}

#[test]
fn output_file_is_written_when_the_check_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let r = run(&[
        "check",
        "-q",
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
        CSV,
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    let doc: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["new_duplicates"], 2);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    const BOLD: &str = "\u{1b}[1m";
    let r = run_with_env(&["check", "--color", "always", CSV], &[]);
    assert!(
        r.stdout.starts_with(&format!(
            "{BOLD}fixtures/quoted_newlines.csv:3\u{1b}[0m: \u{1b}[33mduplicate of\u{1b}[0m "
        )),
        "{:?}",
        r.stdout
    );
    assert!(
        r.stderr
            .starts_with("capdedup: \u{1b}[1m\u{1b}[31mcheck failed\u{1b}[0m: "),
        "{:?}",
        r.stderr
    );
    // `always` wins over NO_COLOR; `auto` on a pipe and `never` do not colour.
    let r = run_with_env(&["check", "--color", "always", CSV], &[("NO_COLOR", "1")]);
    assert!(r.stdout.contains('\u{1b}'));
    for args in [&["check", CSV][..], &["check", "--color", "never", CSV][..]] {
        let r = run_with_env(args, &[]);
        assert!(
            !r.stdout.contains('\u{1b}') && !r.stderr.contains('\u{1b}'),
            "{args:?}"
        );
    }
    for format in ["json", "github"] {
        let r = run_with_env(
            &["check", "--color", "always", "--format", format, CSV],
            &[],
        );
        assert!(!r.stdout.contains('\u{1b}'), "{format} is never coloured");
    }
}

#[test]
fn help_documents_examples_and_exit_status() {
    let help = common::ok(&["check", "--help"]);
    for needle in [
        "Examples:",
        "capdedup check --baseline",
        "Exit status: 0 within the limits, 1 over them, 2 usage or input error",
        "--max-duplicate-ratio <R>",
        "--max-cluster-size <N>",
        "--threshold <T>",
        "--csv",
        "--color <WHEN>",
    ] {
        assert!(help.contains(needle), "check --help lacks {needle:?}");
    }
    assert!(common::ok(&["--help"]).contains("1 `check` found the input over its limits"));
}

/// Runs `capdedup ARGS` on a pseudo-terminal through util-linux `script`; `None` where it is
/// not installed.
#[cfg(unix)]
fn on_a_terminal(args: &str, no_color: Option<&str>) -> Option<String> {
    use std::process::Command;
    Command::new("script").arg("--version").output().ok()?;
    let mut cmd = Command::new("script");
    cmd.args([
        "-qec",
        &format!("{} {args}", env!("CARGO_BIN_EXE_capdedup")),
        "/dev/null",
    ])
    .current_dir(env!("CARGO_MANIFEST_DIR"))
    .env_remove("NO_COLOR");
    if let Some(v) = no_color {
        cmd.env("NO_COLOR", v);
    }
    let out = cmd.output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // On a loaded machine the run can pass the progress bar's one-second mark: the bar draws
    // on the terminal and clears its line (`ESC[2K`) before the report is written. What the
    // run printed is what follows the last clear.
    Some(match text.rfind("\u{1b}[2K") {
        Some(at) => text[at + "\u{1b}[2K".len()..].to_owned(),
        None => text,
    })
}

#[cfg(unix)]
#[test]
fn auto_colours_a_terminal_unless_no_color_is_set() {
    let Some(plain) = on_a_terminal("check --color never fixtures/quoted_newlines.csv", None)
    else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert!(
        plain.contains("check failed") && !plain.contains('\u{1b}'),
        "{plain:?}"
    );
    let auto = on_a_terminal("check fixtures/quoted_newlines.csv", None).unwrap();
    assert!(auto.contains("\u{1b}[33mduplicate of\u{1b}[0m"), "{auto:?}");
    assert!(auto.contains("\u{1b}[31mcheck failed"), "{auto:?}");
    let no_color = on_a_terminal("check fixtures/quoted_newlines.csv", Some("1")).unwrap();
    assert!(!no_color.contains('\u{1b}'), "{no_color:?}");
    let empty = on_a_terminal("check fixtures/quoted_newlines.csv", Some("")).unwrap();
    assert!(
        empty.contains('\u{1b}'),
        "an empty NO_COLOR does not count: {empty:?}"
    );
}
