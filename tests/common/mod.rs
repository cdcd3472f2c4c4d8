//! Helpers shared by the end-to-end test binaries: run the real `capdedup` and capture it.

// Each test binary uses only some of these.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use assert_cmd::prelude::*;
use serde_json::Value;

/// The binary, run from the package root so fixture paths read `fixtures/...`.
pub fn capdedup() -> Command {
    let mut cmd = Command::cargo_bin("capdedup").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// What one run did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs with no standard input.
pub fn run(args: &[&str]) -> Run {
    execute(capdedup(), args, None)
}

/// Runs with `stdin` piped in.
pub fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Run {
    execute(capdedup(), args, Some(stdin))
}

/// Runs in `dir` (relative paths resolve there).
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = capdedup();
    cmd.current_dir(dir);
    execute(cmd, args, None)
}

/// Runs with extra environment variables.
pub fn run_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = capdedup();
    cmd.env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    execute(cmd, args, None)
}

fn execute(cmd: Command, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let (code, stdout, stderr) = run_bytes(cmd, args, stdin);
    Run {
        code,
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr,
    }
}

/// Runs `cmd` with `args` and `stdin` (none: no standard input); returns the exit status,
/// stdout as bytes (outputs need not be UTF-8: compressed, Parquet) and stderr.
pub fn run_bytes(mut cmd: Command, args: &[&str], stdin: Option<&[u8]>) -> (i32, Vec<u8>, String) {
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
        // The binary may exit (say, on a usage error) before it reads its input.
        let _ = child.stdin.take().unwrap().write_all(data);
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().expect("exited normally, not by a signal"),
        out.stdout,
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// Runs and asserts exit status 0; returns stdout.
pub fn ok(args: &[&str]) -> String {
    let r = run(args);
    assert_eq!(r.code, 0, "capdedup {args:?} failed: {}", r.stderr);
    r.stdout
}

/// Runs, asserts exit status 0 and parses stdout as one JSON document.
pub fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("valid JSON")
}

/// Asserts exit status 2, one message on stderr containing `message`, and nothing on stdout.
pub fn assert_usage_error(r: &Run, message: &str) {
    assert_eq!(r.code, 2, "expected status 2: {r:?}");
    assert!(r.stderr.contains(message), "expected {message:?} in {r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "one message: {r:?}");
    assert_eq!(r.stdout, "", "no output on an error: {r:?}");
}

/// The `(file, line)` of every member of a cluster object.
pub fn members(cluster: &Value) -> Vec<(String, u64)> {
    cluster["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["file"].as_str().unwrap().to_owned(),
                m["line"].as_u64().unwrap(),
            )
        })
        .collect()
}
