//! Hostile input through the real binary: every file of `fixtures/bad_input/` with its exit
//! status and message, the big inputs (generated here, never committed), unreadable inputs
//! and outputs that cannot be written. The README's "Hostile input" section is the table of
//! what happens; each row is a test here.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_capdedup");

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn stdout(&self) -> &str {
        std::str::from_utf8(&self.stdout).expect("stdout is UTF-8")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).expect("stdout is one JSON document")
    }
}

fn capdedup(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn finish(mut cmd: Command, stdin: Option<Vec<u8>>) -> Run {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary starts");
    let writer = stdin.map(|data| {
        let mut pipe = child.stdin.take().unwrap();
        // The binary may stop (bad input) before it has read everything.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&data);
        })
    });
    let out = child.wait_with_output().unwrap();
    if let Some(writer) = writer {
        writer.join().unwrap();
    }
    Run {
        code: out
            .status
            .code()
            .expect("exited with a status, not killed by a signal"),
        stdout: out.stdout,
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn run(args: &[&str]) -> Run {
    finish(capdedup(args), None)
}

fn run_stdin(args: &[&str], stdin: &[u8]) -> Run {
    finish(capdedup(args), Some(stdin.to_vec()))
}

fn bad(name: &str) -> String {
    format!("fixtures/bad_input/{name}")
}

/// Exit status 0; returns the run.
fn ok(args: &[&str]) -> Run {
    let r = run(args);
    assert_eq!(r.code, 0, "capdedup {args:?}: {}", r.stderr);
    r
}

/// Exit status 2 with exactly `message` on stderr (one line), and for `cluster` nothing on
/// stdout.
fn fails(args: &[&str], message: &str) -> Run {
    let r = run(args);
    assert_eq!(r.code, 2, "capdedup {args:?}: {}", r.stderr);
    assert_eq!(
        r.stderr,
        format!("capdedup: {message}\n"),
        "capdedup {args:?}"
    );
    if args[0] == "cluster" {
        assert!(r.stdout.is_empty(), "cluster printed {:?}", r.stdout());
    }
    r
}

const EMPTY_SUMMARY: &str = "capdedup: 0 records -> 0 clusters (0 duplicates folded)\n";

// ---- encodings ----------------------------------------------------------------------------

#[test]
fn invalid_utf8_exits_2_naming_file_line_and_byte() {
    let message = "fixtures/bad_input/invalid_utf8.txt:2: invalid UTF-8 at byte 4 of the line (expected UTF-8 text)";
    fails(&["cluster", &bad("invalid_utf8.txt")], message);
    // strip streams without learning: the record before the bad line is out, then it stops.
    let r = fails(
        &[
            "strip",
            "--learn-credits",
            "off",
            "--format",
            "text",
            &bad("invalid_utf8.txt"),
        ],
        message,
    );
    assert_eq!(r.stdout(), "Crowds gather in the square.\n");
    // Learning (the default) reads the whole input first: the error comes before any output.
    let r = fails(
        &["strip", "--format", "text", &bad("invalid_utf8.txt")],
        message,
    );
    assert_eq!(r.stdout(), "");
}

#[test]
fn lossy_replaces_bad_bytes_and_says_how_many() {
    let note = "capdedup: fixtures/bad_input/invalid_utf8.txt: replaced 6 bytes on 3 lines with U+FFFD (invalid UTF-8 or NUL; first on line 2)\n";
    let r = ok(&[
        "strip",
        "--lossy",
        "--format",
        "text",
        &bad("invalid_utf8.txt"),
    ]);
    assert_eq!(
        r.stdout(),
        "Crowds gather in the square.\n\
         Caf\u{fffd} owners protest new rules in Paris.\n\
         Crowds gather in the square.\n\
         Stra\u{fffd}e closed after the storm \u{fffd}\u{fffd}\n\
         A truncated euro sign \u{fffd}\n"
    );
    assert_eq!(r.stderr, note);
    // The credit is still found on a repaired line, and cluster says it too.
    let r = ok(&[
        "cluster",
        "--lossy",
        "--format",
        "json",
        &bad("invalid_utf8.txt"),
    ]);
    let doc = r.json();
    assert_eq!(doc["records"], 5);
    assert_eq!(doc["clusters"][0]["count"], 2);
    let credits: Vec<&Value> = doc["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["credits"].as_array().unwrap())
        .collect();
    assert_eq!(credits.len(), 2, "{credits:?}");
    assert!(r.stderr.starts_with(note), "{}", r.stderr);
    assert!(
        r.stderr
            .ends_with("capdedup: 5 records -> 4 clusters (1 duplicates folded)\n")
    );
    // A clean file says nothing.
    let r = ok(&["strip", "--lossy", "fixtures/seed_captions.txt"]);
    assert_eq!(r.stderr, "");
}

#[test]
fn nul_bytes_exit_2_and_lossy_replaces_them() {
    fails(
        &["cluster", &bad("nul_bytes.txt")],
        "fixtures/bad_input/nul_bytes.txt:2: NUL byte at byte 21 of the line (expected UTF-8 text, not UTF-16 or binary data)",
    );
    let r = ok(&[
        "strip",
        "--lossy",
        "--format",
        "text",
        &bad("nul_bytes.txt"),
    ]);
    assert_eq!(
        r.stdout(),
        "A clean caption on line one.\nA caption with a NUL\u{fffd} byte inside.\n"
    );
    assert_eq!(
        r.stderr,
        "capdedup: fixtures/bad_input/nul_bytes.txt: replaced 1 byte on 1 line with U+FFFD (invalid UTF-8 or NUL; first on line 2)\n"
    );
}

#[test]
fn utf16_is_not_read_as_text() {
    fails(
        &["cluster", &bad("utf16le.txt")],
        "fixtures/bad_input/utf16le.txt:1: invalid UTF-8 at byte 1 of the line (expected UTF-8 text)",
    );
    // Without its byte-order mark, UTF-16 is valid UTF-8 full of NULs.
    let utf16: Vec<u8> = "Riot police in Minsk.\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let r = run_stdin(&["cluster"], &utf16);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "capdedup: -:1: NUL byte at byte 2 of the line (expected UTF-8 text, not UTF-16 or binary data)\n"
    );
}

#[test]
fn a_byte_order_mark_is_ignored_at_the_start_only() {
    let doc = ok(&["cluster", "-q", "--format", "json", &bad("bom.txt")]).json();
    assert_eq!(doc["records"], 3);
    let top = &doc["clusters"][0];
    assert_eq!(top["caption"], "First caption after a byte-order mark.");
    assert_eq!(top["count"], 2);
    // A U+FEFF after the first line is text (a zero-width no-break space): kept in the
    // caption, left out of the comparison key.
    assert_eq!(
        doc["clusters"][1]["caption"],
        "\u{feff}A BOM on line 3 is text, not a mark."
    );
    // CSV (the header's first name would otherwise start with it) and JSON documents too.
    let r = run_stdin(
        &["strip", "--csv", "--format", "text"],
        "\u{feff}caption,id\r\nA CSV caption.,1\r\n".as_bytes(),
    );
    assert_eq!(
        (r.code, r.stdout()),
        (0, "A CSV caption.\n"),
        "{}",
        r.stderr
    );
    let r = run_stdin(
        &["strip", "--json", "--format", "text"],
        "\u{feff}[\"A JSON caption.\"]".as_bytes(),
    );
    assert_eq!(
        (r.code, r.stdout()),
        (0, "A JSON caption.\n"),
        "{}",
        r.stderr
    );
    let r = ok(&["strip", "--jsonl", &bad("bom.jsonl")]);
    assert_eq!(
        r.stdout(),
        "{\"file\":\"fixtures/bad_input/bom.jsonl\",\"line\":1,\"caption\":\"A caption in JSON after a byte-order mark.\",\"credit\":null,\"removed\":[]}\n"
    );
}

// ---- line ends and empty input ---------------------------------------------------------

#[test]
fn crlf_ends_a_line_and_a_lone_cr_is_whitespace() {
    let r = ok(&["strip", &bad("crlf_and_lone_cr.txt")]);
    let rows: Vec<Value> = r
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(u64, &str)> = rows
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["caption"].as_str().unwrap()))
        .collect();
    // Line numbers are those of `grep -n` and `sed -n Np`: only `\n` ends a line.
    assert_eq!(
        got,
        [
            (1, "A caption with CRLF."),
            (2, "Another caption with a lone CR inside."),
            (3, "A caption with CRLF.")
        ]
    );
    assert_eq!(rows[0]["credit"], "(AP Photo)");
    let r = ok(&["cluster", "-q", &bad("crlf_and_lone_cr.txt")]);
    assert_eq!(
        r.stdout(),
        "2\tA caption with CRLF.\n1\tAnother caption with a lone CR inside.\n"
    );
}

#[test]
fn an_empty_file_gives_no_clusters() {
    for file in ["empty.txt", "blank_lines.txt"] {
        let r = ok(&["cluster", &bad(file)]);
        assert_eq!(r.stdout(), "", "{file}");
        assert_eq!(r.stderr, EMPTY_SUMMARY, "{file}");
        let doc = ok(&["cluster", "-q", "--format", "json", &bad(file)]).json();
        assert_eq!(doc["records_read"], 0);
        assert_eq!(doc["clusters"], serde_json::json!([]));
        assert_eq!(ok(&["strip", &bad(file)]).stdout(), "");
        let r = ok(&["cluster", "--jsonl", &bad(file)]);
        assert_eq!((r.stdout(), r.stderr.as_str()), ("", EMPTY_SUMMARY));
    }
    let r = run_stdin(&["cluster", "--format", "jsonl"], b"");
    assert_eq!(
        (r.code, r.stdout(), r.stderr.as_str()),
        (0, "", EMPTY_SUMMARY)
    );
}

#[test]
fn a_last_line_without_newline_is_a_record() {
    let r = ok(&["strip", "--format", "text", &bad("no_final_newline.txt")]);
    assert_eq!(
        r.stdout(),
        "First caption.\nLast caption without a newline.\n"
    );
    // Read as lines (`--lines`: the extension would say JSON Lines), a truncated JSON line
    // is just text.
    let r = ok(&[
        "strip",
        "--lines",
        "--format",
        "text",
        &bad("truncated.jsonl"),
    ]);
    assert_eq!(r.stdout().lines().count(), 2);
}

// ---- JSON Lines ----------------------------------------------------------------------------

#[test]
fn bad_json_lines_name_file_line_and_what_was_expected() {
    let cases = [
        (
            "wrong_type.jsonl",
            "fixtures/bad_input/wrong_type.jsonl:2: field `caption` is a number (expected a string caption)",
        ),
        (
            "not_an_object.jsonl",
            "fixtures/bad_input/not_an_object.jsonl:2: the line is an array (expected a JSON object with a string caption at `caption`)",
        ),
        (
            "missing_field.jsonl",
            "fixtures/bad_input/missing_field.jsonl:2: missing field `caption` (expected a string caption there)",
        ),
        (
            "truncated.jsonl",
            "fixtures/bad_input/truncated.jsonl:2: invalid JSON (expected one JSON object per line): EOF while parsing a string at column 41",
        ),
    ];
    for (file, message) in cases {
        fails(&["cluster", "--jsonl", &bad(file)], message);
        // strip (streaming, without learning) has written the good first line when it stops.
        let r = fails(
            &[
                "strip",
                "--learn-credits",
                "off",
                "--jsonl",
                "--format",
                "text",
                &bad(file),
            ],
            message,
        );
        assert_eq!(r.stdout(), "A good caption.\n", "{file}");
    }
}

// ---- CSV and JSON arrays ---------------------------------------------------------------------

#[test]
fn invalid_utf8_in_csv_and_json_arrays_exits_2_and_lossy_repairs_it() {
    // CSV streams (strip has printed the rows before the bad one); a JSON document is
    // checked whole before its first element is read.
    let cases = [
        (
            "invalid_utf8.csv",
            "fixtures/bad_input/invalid_utf8.csv:3: invalid UTF-8 at byte 4 of the caption field (expected UTF-8 text)",
            "Crowds gather in the square.\n",
            "Stra\u{fffd}e closed, after the storm.",
        ),
        (
            "invalid_utf8.json",
            "fixtures/bad_input/invalid_utf8.json:3: invalid UTF-8 at byte 19 of the line (expected UTF-8 text)",
            "",
            "Stra\u{fffd}e closed after the storm.",
        ),
    ];
    for (file, message, before, last) in cases {
        fails(&["cluster", &bad(file)], message);
        let r = fails(
            &[
                "strip",
                "--learn-credits",
                "off",
                "--format",
                "text",
                &bad(file),
            ],
            message,
        );
        assert_eq!(r.stdout(), before, "{file}");

        let r = ok(&["strip", "--lossy", "--format", "text", &bad(file)]);
        assert_eq!(
            r.stdout(),
            format!("Crowds gather in the square.\nCaf\u{fffd} owners protest in Paris.\n{last}\n"),
            "{file}"
        );
        assert_eq!(
            r.stderr,
            format!(
                "capdedup: fixtures/bad_input/{file}: replaced 2 bytes on 2 lines with U+FFFD (invalid UTF-8 or NUL; first on line 3)\n"
            )
        );
        let r = ok(&["cluster", "--lossy", "--format", "json", &bad(file)]);
        assert_eq!(r.json()["records"], 3, "{file}");
        assert!(
            r.stderr
                .ends_with("capdedup: 3 records -> 3 clusters (0 duplicates folded)\n"),
            "{}",
            r.stderr
        );
    }
    // A NUL in a CSV caption is not text either; in a JSON document it is named by its line.
    let r = run_stdin(&["cluster", "--csv"], b"id,caption\n1,A\0B\n");
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            2,
            "capdedup: -:2: NUL byte at byte 2 of the caption field (expected UTF-8 text, not UTF-16 or binary data)\n"
        )
    );
    let r = run_stdin(&["cluster", "--json"], b"[\n\"A\0B\"]");
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            2,
            "capdedup: -:2: NUL byte at byte 3 of the line (expected UTF-8 text, not UTF-16 or binary data)\n"
        )
    );
}

#[test]
fn a_ragged_csv_row_exits_2_naming_its_line_and_the_expected_fields() {
    // Row 3 has an unquoted comma in its caption: read as 5 fields, its caption column would
    // say "Protesters march in Minsk" and its source " Belarus". Every row must have the
    // header's number of fields, longer or shorter, whichever column holds the caption.
    let message = "fixtures/bad_input/ragged_row.csv:3: the row has 5 fields (expected 3, as in the header on line 1; quote a field that holds a comma or a line break)";
    fails(&["cluster", &bad("ragged_row.csv")], message);
    fails(
        &["cluster", "--column", "1", &bad("ragged_row.csv")],
        message,
    );
    let r = fails(
        &[
            "strip",
            "--learn-credits",
            "off",
            "--format",
            "text",
            &bad("ragged_row.csv"),
        ],
        message,
    );
    assert_eq!(r.stdout(), "Riot police detain a protester in Minsk.\n");
    // A short row, and without a header the first row sets the number of fields.
    let r = run_stdin(
        &["cluster", "--csv"],
        b"id,caption,source\n1,A cat.,AP\n2,A dog.\n",
    );
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            2,
            "capdedup: -:3: the row has 2 fields (expected 3, as in the header on line 1; quote a field that holds a comma or a line break)\n"
        )
    );
    let r = run_stdin(
        &["cluster", "--csv", "--no-header", "--column", "2"],
        b"1,A cat.\n\n2,A dog.,AP\n",
    );
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            2,
            "capdedup: -:3: the row has 3 fields (expected 2, as in the first row on line 1; quote a field that holds a comma or a line break)\n"
        )
    );
}

#[test]
fn an_unclosed_csv_quote_exits_2_naming_the_line_where_it_opens() {
    // Without the check, the csv crate ends the field at the end of the file: rows 3 and 4
    // would become part of one caption and the duplicate on line 5 would be lost.
    let message = "fixtures/bad_input/unclosed_quote.csv:3: a quoted field opens here and is never closed (expected a closing `\"` before the end of the file)";
    fails(&["cluster", &bad("unclosed_quote.csv")], message);
    let r = fails(
        &[
            "strip",
            "--learn-credits",
            "off",
            "--format",
            "text",
            &bad("unclosed_quote.csv"),
        ],
        message,
    );
    assert_eq!(r.stdout(), "Riot police detain a protester in Minsk.\n");
    fails(&["cluster", "--lossy", &bad("unclosed_quote.csv")], message);
}

#[test]
fn empty_and_truncated_csv_and_json_arrays() {
    // An empty CSV has no rows, so no records; an empty JSON document is not an array.
    let r = run_stdin(&["cluster", "--csv"], b"");
    assert_eq!(
        (r.code, r.stdout(), r.stderr.as_str()),
        (0, "", EMPTY_SUMMARY)
    );
    let r = run_stdin(&["cluster", "--csv"], b"id,caption\n");
    assert_eq!(
        (r.code, r.stdout(), r.stderr.as_str()),
        (0, "", EMPTY_SUMMARY)
    );
    let r = run_stdin(&["cluster", "--json"], b"");
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            2,
            "capdedup: -:1: the document is empty (expected a JSON array of caption strings or of objects)\n"
        )
    );
    let r = run_stdin(&["cluster", "--json"], b"[\"A cat.\",\n \"A dog");
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            2,
            "capdedup: -:2: invalid JSON: EOF while parsing a string (expected a JSON array of caption strings or of objects)\n"
        )
    );
    // A last CSV row without a newline is a record like any other.
    let r = run_stdin(
        &["strip", "--csv", "--format", "text"],
        b"id,caption\n1,A cat.",
    );
    assert_eq!((r.code, r.stdout()), (0, "A cat.\n"));
}

// ---- control characters in the text outputs --------------------------------------------------

#[test]
fn control_characters_are_escaped_in_text_output_and_exact_in_json() {
    // Raw ESC sequences (clear screen, colour, window title ended by BEL), a backspace, DEL,
    // a C1 CSI, and a lone CR.
    let r = ok(&["cluster", "-q", &bad("control_chars.txt")]);
    assert_eq!(
        r.stdout(),
        "1\t\\u{1b}]0;owned\\u{7}A woman holds a flag.\\u{8}\\u{7f}\n\
         1\tProtesters march\\u{9b}5m in Minsk. Sunday.\n\
         1\tRiot police detain a protester.\\u{1b}[2J\\u{1b}[31m\n"
    );
    assert!(
        !r.stdout
            .iter()
            .any(|&b| b < 0x20 && b != b'\t' && b != b'\n')
    );
    let r = ok(&["strip", "--format", "text", &bad("control_chars.txt")]);
    assert_eq!(
        r.stdout(),
        "Riot police detain a protester.\\u{1b}[2J\\u{1b}[31m\n\
         \\u{1b}]0;owned\\u{7}A woman holds a flag.\\u{8}\\u{7f}\n\
         Protesters march\\u{9b}5m in Minsk. Sunday.\n"
    );
    // JSON keeps the exact text (serde escapes it), and the credit is still found.
    let doc = ok(&[
        "cluster",
        "-q",
        "--format",
        "json",
        &bad("control_chars.txt"),
    ])
    .json();
    let captions: Vec<&str> = doc["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["caption"].as_str().unwrap())
        .collect();
    assert_eq!(
        captions,
        [
            "\u{1b}]0;owned\u{7}A woman holds a flag.\u{8}\u{7f}",
            "Protesters march\u{9b}5m in Minsk. Sunday.",
            "Riot police detain a protester.\u{1b}[2J\u{1b}[31m",
        ]
    );
    assert_eq!(doc["clusters"][2]["credits"][0]["text"], "(AP Photo)");

    // check's human output shows captions the same way.
    let r = run(&[
        "check",
        "--color",
        "never",
        &bad("control_chars.jsonl"),
        &bad("control_chars.jsonl"),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout(),
        "fixtures/bad_input/control_chars.jsonl:2: duplicate of fixtures/bad_input/control_chars.jsonl:2: A woman\\u{1b}[8m holds a flag.\\u{7}\n\
         fixtures/bad_input/control_chars.jsonl:1: duplicate of fixtures/bad_input/control_chars.jsonl:1: Riot police detain a protester. Minsk, Belarus. Sunday.\n"
    );
}

#[test]
fn line_breaks_inside_a_caption_never_break_the_one_line_per_cluster_output() {
    // JSON escapes (and quoted CSV fields) can put LF, CR, CRLF and U+2028 inside a caption:
    // they are whitespace, tidied to one space, so each cluster stays on one line.
    let r = ok(&["cluster", "-q", &bad("control_chars.jsonl")]);
    assert_eq!(
        r.stdout(),
        "1\tA woman\\u{1b}[8m holds a flag.\\u{7}\n\
         1\tRiot police detain a protester. Minsk, Belarus. Sunday.\n"
    );
    let r = ok(&[
        "cluster",
        "-q",
        "--keep-credits",
        "fixtures/quoted_newlines.csv",
    ]);
    assert!(
        r.stdout().lines().all(|l| l.split('\t').count() == 2),
        "{}",
        r.stdout()
    );
    assert_eq!(r.stdout().lines().count(), 3);
    let r = run_stdin(
        &["cluster", "-q", "--json"],
        b"[\"one\\ntwo\\r\\nthree\\rfour\\u2029five\\u0085six\\u000bseven\\fend\"]",
    );
    assert_eq!(r.stdout(), "1\tone two three four five six seven end\n");
}

// ---- files that cannot be read --------------------------------------------------------------

#[test]
fn missing_files_and_directories_exit_2() {
    fails(
        &["cluster", &bad("no_such_file.txt")],
        "fixtures/bad_input/no_such_file.txt: no such file (expected a file of captions)",
    );
    fails(
        &["cluster", "fixtures/bad_input"],
        "fixtures/bad_input: is a directory (expected a file of captions)",
    );
    // A bad file after a good one: cluster prints nothing, strip what it read.
    fails(
        &[
            "cluster",
            "fixtures/seed_captions.txt",
            "fixtures/bad_input",
        ],
        "fixtures/bad_input: is a directory (expected a file of captions)",
    );
    let r = fails(
        &[
            "strip",
            "--learn-credits",
            "off",
            "fixtures/seed_captions.txt",
            &bad("no_such_file.txt"),
        ],
        "fixtures/bad_input/no_such_file.txt: no such file (expected a file of captions)",
    );
    assert_eq!(r.stdout().lines().count(), 12);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // Reachable by any user, so that the file's own mode is what stops the reader.
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let path = dir.path().join("secret.txt");
    fs::write(&path, "a caption\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let path = path.to_str().unwrap();
    let message = format!("capdedup: {path}: permission denied (expected a readable file)\n");
    let cmd = if File::open(path).is_err() {
        capdedup(&["cluster", path])
    } else {
        // Root reads a file whatever its mode (CAP_DAC_OVERRIDE), as in CI containers:
        // run the binary as `nobody` instead, with util-linux's setpriv.
        let as_nobody = |args: &[&str]| {
            let mut cmd = Command::new("/usr/bin/setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN])
                .args(args)
                .current_dir(env!("CARGO_MANIFEST_DIR"));
            cmd
        };
        // Without setpriv, or with the binary in a folder `nobody` cannot enter, there is no
        // unreadable file for root.
        if !as_nobody(&["--version"])
            .output()
            .is_ok_and(|o| o.status.success())
        {
            eprintln!("skipped: running as root, and cannot run the binary as nobody");
            return;
        }
        as_nobody(&["cluster", path])
    };
    let r = finish(cmd, None);
    assert_eq!((r.code, r.stderr.as_str(), r.stdout()), (2, &*message, ""));
}

#[cfg(target_os = "linux")]
#[test]
fn a_read_error_names_the_line() {
    // Reading /proc/self/mem from offset 0 fails with EIO: a file that opens, then fails.
    fails(
        &["cluster", "/proc/self/mem"],
        "/proc/self/mem:1: error reading: Input/output error (os error 5)",
    );
}

// ---- output that cannot be written ------------------------------------------------------

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_exits_2_with_a_clear_message() {
    for args in [
        &["cluster", "fixtures/seed_captions.txt"][..],
        &["cluster", "--format", "json", "fixtures/seed_captions.txt"],
        &["strip", "fixtures/seed_captions.txt"],
    ] {
        let full = File::options().write(true).open("/dev/full").unwrap();
        let mut cmd = capdedup(args);
        cmd.stdout(full).stderr(Stdio::piped()).stdin(Stdio::null());
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            String::from_utf8(out.stderr).unwrap(),
            "capdedup: error writing output: No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stderr_does_not_panic() {
    let full = || File::options().write(true).open("/dev/full").unwrap();
    // The summary is talk: losing it does not fail the run, and the data is whole.
    let out = capdedup(&["cluster", "fixtures/seed_captions.txt"])
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        fs::read_to_string(format!(
            "{}/fixtures/seed_captions.expected.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    );
    // An error still sets the status even when it cannot be said.
    let out = capdedup(&["cluster", &bad("no_such_file.txt")])
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = capdedup(&["strip", "--lossy", &bad("invalid_utf8.txt")])
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

// ---- big inputs (generated, never committed) -----------------------------------------------

/// Sentences of 12 words from a small vocabulary, like agency context sentences: long enough
/// to be boilerplate candidates, so a big caption exercises every stage.
fn sentences(seed: u64, bytes: usize) -> String {
    const WORDS: [&str; 16] = [
        "police", "riot", "protest", "Minsk", "the", "a", "rally", "Belarus", "flag", "woman",
        "march", "street", "capital", "on", "Sunday", "of",
    ];
    let mut state = seed | 1;
    let mut next = move || {
        // xorshift64: reproducible, no dependency.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::with_capacity(bytes + 100);
    while out.len() < bytes {
        let first = WORDS[(next() % 16) as usize];
        let mut first = first.to_owned();
        first[..1].make_ascii_uppercase();
        out.push_str(&first);
        for _ in 0..11 {
            out.push(' ');
            out.push_str(WORDS[(next() % 16) as usize]);
        }
        out.push_str(". ");
    }
    out.truncate(out.trim_end().len());
    out
}

/// Runs the binary with stdout to a file, sampling its peak resident memory (VmHWM, which
/// only grows) until it exits. Returns the run (stdout read back) and the peak in bytes.
#[cfg(target_os = "linux")]
fn run_measured(args: &[&str]) -> (Run, u64) {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("stdout");
    // The allocator returns freed pages to the system after a delay (mimalloc's purge delay):
    // a huge buffer freed while growing (a line read by doubling) stays resident for its
    // 10 ms, and the peak would measure the allocator's timing, not what capdedup holds.
    // Returning pages at once measures the latter; a run without it peaks about 1.5 copies
    // of the line higher (docs/hostile-input.md).
    let mut child = capdedup(args)
        .env("MIMALLOC_PURGE_DELAY", "0")
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).unwrap();
        s
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if let Ok(text) = fs::read_to_string(&status_file) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
            peak_kb = peak_kb.max(hwm.unwrap_or(0));
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    let run = Run {
        code: status.code().expect("exited with a status"),
        stdout: fs::read(&out_path).unwrap(),
        stderr: reader.join().unwrap(),
    };
    assert!(peak_kb > 0, "the process was sampled at least once");
    (run, peak_kb * 1024)
}

/// Memory a run may take besides its input: the binary, its libraries and buffers.
#[cfg(target_os = "linux")]
const BASELINE: u64 = 32 << 20;

#[cfg(target_os = "linux")]
#[test]
fn a_100_mb_line_streams_through_strip_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one_line.txt");
    let caption = sentences(1, 100 << 20);
    fs::write(&path, format!("{caption} (AP Photo)\n")).unwrap();
    let size = caption.len() as u64;
    let (r, peak) = run_measured(&["strip", "--format", "text", path.to_str().unwrap()]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(r.stdout.len() as u64, size + 1);
    assert_eq!(&r.stdout[..size as usize], caption.as_bytes());
    // The line, its tidied copy and the caption: about three times the line.
    assert!(
        peak < 4 * size + BASELINE,
        "strip of a {size}-byte line peaked at {peak} bytes"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_5_mb_line_clusters_in_bounded_memory() {
    // Clustering folds every sentence of the caption (slow in a debug build), hence 5 MB
    // here; the README has the 100 MB run of a release build.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one_line.txt");
    let caption = sentences(2, 5 << 20);
    fs::write(&path, format!("{caption}\n{caption} (AP Photo)\n")).unwrap();
    let size = caption.len() as u64;
    let (r, peak) = run_measured(&["cluster", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(doc["records"], 2);
    assert_eq!(doc["clusters"][0]["count"], 2);
    assert_eq!(
        doc["clusters"][0]["caption"].as_str().unwrap().len() as u64,
        size
    );
    // The text a dozen times over, with room for the allocator: copies of the caption and
    // its key, and the boilerplate candidates (each sentence with its context hashes). Runs
    // of the same binary vary by a few MB (per-thread heaps), so the bound is 14 times the
    // line; a table per character (16 or 32 bytes each) would still break it.
    assert!(
        peak < 14 * size + BASELINE,
        "cluster of a {size}-byte line peaked at {peak} bytes"
    );
}

#[test]
fn a_1_mb_caption_among_short_ones_changes_nothing_else() {
    // 300 pairs of near-duplicates: one sentence ending in `.`, then in `!`.
    let short: Vec<String> = (0..300)
        .flat_map(|i| {
            let s = sentences(1001 + 2 * i, 1);
            let shout = format!("{}!", s.trim_end_matches('.'));
            [s, shout]
        })
        .collect();
    let big = sentences(3, 1 << 20);
    let mut with_big = short.clone();
    with_big.insert(300, format!("{big} (AP Photo/Jane Doe)"));
    let alone = run_stdin(&["cluster", "-q"], (short.join("\n") + "\n").as_bytes());
    let r = run_stdin(
        &["cluster", "-q", "--format", "json"],
        (with_big.join("\n") + "\n").as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["records"], 601);
    let clusters = doc["clusters"].as_array().unwrap();
    let big_cluster: Vec<&Value> = clusters
        .iter()
        .filter(|c| c["caption"].as_str().unwrap().len() > 1000)
        .collect();
    assert_eq!(big_cluster.len(), 1);
    assert_eq!(big_cluster[0]["count"], 1);
    assert_eq!(big_cluster[0]["members"][0]["line"], 301);
    assert_eq!(big_cluster[0]["credits"][0]["text"], "(AP Photo/Jane Doe)");
    // The other clusters are exactly those of the short captions alone.
    let others: String = clusters
        .iter()
        .filter(|c| c["caption"].as_str().unwrap().len() < 1000)
        .map(|c| format!("{}\t{}\n", c["count"], c["caption"].as_str().unwrap()))
        .collect();
    assert_eq!(others, alone.stdout());
    assert_eq!(alone.stdout().lines().count(), 300);

    // Metrics without a length filter reject the big caption from the lengths.
    for metric in ["jaro-winkler", "sorensen-dice"] {
        let few = [&with_big[290..310], &[with_big[300].clone()][..]].concat();
        let r = run_stdin(
            &["cluster", "-q", "--metric", metric, "--format", "json"],
            (few.join("\n") + "\n").as_bytes(),
        );
        assert_eq!(r.code, 0, "{metric}: {}", r.stderr);
        let doc = r.json();
        assert_eq!(doc["records"], 21, "{metric}");
        let big = doc["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["caption"].as_str().unwrap().len() > 1000)
            .expect("the big caption has a cluster");
        assert_eq!(big["count"], 2, "{metric}: the big caption and its copy");
    }
}
