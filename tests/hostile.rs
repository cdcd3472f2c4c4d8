//! Hostile input through the real binary: every file of `fixtures/bad_input/` with its exit
//! status and message, the big inputs (generated here, never committed), unreadable inputs
//! and outputs that cannot be written. The README's "Hostile input" section is the table of
//! what happens; each row is a test here.

use std::fs::{self, File};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_capdedup");

fn capdedup(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
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
    let out = capdedup(&["cluster", "fixtures/bad_input/no_such_file.txt"])
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
