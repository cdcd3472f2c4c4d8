//! End-to-end tests of the finishing touches: `-o FILE` (atomic output), shell completions
//! and the man page.

mod common;

use std::fs;

use common::{assert_usage_error, ok, run};

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn output_file_gets_the_bytes_of_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let out = out.to_str().unwrap();
    for args in [
        ["cluster", "--format", "json", "fixtures/seed_captions.txt"],
        ["strip", "--format", "jsonl", "fixtures/seed_captions.txt"],
    ] {
        let r = run(&[&args[..], &["-o", out][..]].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.stdout, "");
        assert_eq!(fs::read_to_string(out).unwrap(), ok(&args), "{args:?}");
    }
    assert_eq!(leftovers(dir.path()), ["out.json"]);
}

#[test]
fn an_error_leaves_no_output_file_and_an_old_one_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cleaned.txt");
    let out_str = out.to_str().unwrap();
    // strip streams: records before the bad line were written, but only to the temporary file.
    let r = run(&[
        "strip",
        "-o",
        out_str,
        "fixtures/seed_captions.txt",
        "fixtures/not_utf8.txt",
    ]);
    assert_usage_error(&r, "fixtures/not_utf8.txt:2: invalid UTF-8");
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );

    fs::write(&out, "old content\n").unwrap();
    let r = run(&["cluster", "-o", out_str, "fixtures/not_utf8.txt"]);
    assert_eq!(r.code, 2);
    assert_eq!(fs::read_to_string(&out).unwrap(), "old content\n");
    assert_eq!(leftovers(dir.path()), ["cleaned.txt"]);
}

#[cfg(unix)]
#[test]
fn a_replaced_output_file_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clusters.txt");
    fs::write(&out, "old\n").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).unwrap();
    ok(&[
        "cluster",
        "-q",
        "-o",
        out.to_str().unwrap(),
        "fixtures/seed_captions.txt",
    ]);
    assert_eq!(
        fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_ne!(fs::read_to_string(&out).unwrap(), "old\n");
}

#[test]
fn an_output_folder_that_does_not_exist_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("missing").join("out.txt");
    let r = run(&[
        "cluster",
        "-o",
        out.to_str().unwrap(),
        "fixtures/seed_captions.txt",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .ends_with("out.txt: cannot write the output file: no such folder\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn completions_for_every_shell_know_the_subcommands_and_options() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = ok(&["completions", shell]);
        for needle in [
            "capdedup",
            "check",
            "max-duplicate-ratio",
            "write-baseline",
            "column",
        ] {
            assert!(
                script.contains(needle),
                "{shell} completions lack {needle:?}"
            );
        }
    }
    let r = run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid value 'tcsh'"), "{}", r.stderr);
}

#[test]
fn man_pages_for_the_program_and_each_subcommand() {
    let page = ok(&["man"]);
    assert!(page.contains(".TH capdedup 1"), "{page}");
    assert!(page.contains("capdedup\\-check(1)"));
    assert!(page.contains("Exit status: 0 success; 1 `check`"));
    for sub in ["cluster", "strip", "check"] {
        let page = ok(&["man", sub]);
        let title = format!(".TH capdedup-{sub} 1");
        assert!(page.contains(&title), "{sub}: {page}");
        assert!(page.contains(".SH OPTIONS"), "{sub}");
    }
    assert!(ok(&["man", "check"]).contains("\\-\\-max\\-duplicate\\-ratio"));
    assert_eq!(run(&["man", "frobnicate"]).code, 2);
}
