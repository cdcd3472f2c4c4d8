//! The documentation is tested: every `console` example in `README.md` and `docs/*.md` is run
//! and its output compared with what the page shows, so a changed output fails until the page
//! follows. (The Rust examples are doctests, see `src/lib.rs`; the Python ones run under
//! pytest, `python/tests/test_docs.py`.)
//!
//! How a page's examples run, the conventions its writer follows:
//! - each page gets a fresh folder holding a copy of `docs/examples/` and a link to the
//!   project's `fixtures/`; the page's blocks run in order in that folder, so a later block
//!   sees the files an earlier one wrote;
//! - a line `$ COMMAND` is run by `sh -c` (pipes and `cat` work) with the binary under test
//!   first on `PATH`; a line ending in `\` continues on the next;
//! - the lines after it, up to the next `$ ` or the end of the block, are its standard output
//!   and standard error as they interleave (a summary line on stderr comes last); a first line
//!   `? N` says the exit status is N (0 otherwise);
//! - `[..]` stands for the rest of a line (or any text within it) and a line `...` for any
//!   number of lines ([`snapbox`]'s patterns).
//!
//! The `sh` blocks (set-up, benchmarks) are not run, but each `capdedup` command in them may
//! only use options its subcommand's `--help` lists, so they cannot drift either.

#![cfg(unix)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use snapbox::{Assert, IntoData};

/// A fenced block of a page: its language, the line after its opening fence, its text.
struct Block {
    language: String,
    line: usize,
    text: String,
}

/// One `$` command of a console block and what it must print.
struct Example {
    /// 1-based line of the `$` in the page.
    line: usize,
    command: String,
    status: i32,
    expected: String,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `README.md` then `docs/*.md` in name order.
fn pages() -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    let mut pages = vec![root().join("README.md")];
    pages.extend(docs);
    pages
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        match open.as_mut() {
            None => {
                if let Some(language) = line.strip_prefix("```") {
                    open = Some(Block {
                        language: language.trim().to_owned(),
                        line: i + 2,
                        text: String::new(),
                    });
                }
            }
            Some(block) => {
                if line.starts_with("```") {
                    blocks.push(open.take().unwrap());
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "a fenced block is never closed");
    blocks
}

fn examples(block: &Block) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut lines = block.text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        if let Some(first) = line.strip_prefix("$ ") {
            let mut command = first.to_owned();
            while command.ends_with('\\') {
                command.pop();
                let (_, next) = lines.next().expect("a continued command has a next line");
                command.push(' ');
                command.push_str(next.trim_start());
            }
            examples.push(Example {
                line: block.line + i,
                command,
                status: 0,
                expected: String::new(),
            });
        } else {
            let example = examples.last_mut().unwrap_or_else(|| {
                panic!(
                    "line {}: console output before any `$` command",
                    block.line + i
                )
            });
            match line.strip_prefix("? ") {
                Some(status) if example.expected.is_empty() && example.status == 0 => {
                    example.status = status.parse().expect("`? N` holds an exit status");
                }
                _ => {
                    example.expected.push_str(line);
                    example.expected.push('\n');
                }
            }
        }
    }
    examples
}

/// A fresh folder with `docs/examples/` copied in and `fixtures/` linked.
fn sandbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(root().join("docs/examples")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    std::os::unix::fs::symlink(root().join("fixtures"), dir.path().join("fixtures")).unwrap();
    dir
}

fn path_with_binary() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_capdedup")).parent().unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Runs `command` in `dir`: exit status and stdout with stderr interleaved.
fn run(dir: &Path, command: &str) -> (i32, String) {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("exec 2>&1\n{command}"))
        .current_dir(dir)
        .env("PATH", path_with_binary())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    // The reader's environment must not change what the examples print.
    for (key, _) in std::env::vars() {
        if key.starts_with("CAPDEDUP_") || key == "RAYON_NUM_THREADS" {
            cmd.env_remove(key);
        }
    }
    let out = cmd.output().expect("sh runs");
    let text = String::from_utf8(out.stdout).expect("the examples print UTF-8");
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn every_console_example_prints_what_its_page_shows() {
    let assert = Assert::new();
    let mut failures = String::new();
    let mut counted = Vec::new();
    for page in pages() {
        let name = page.strip_prefix(root()).unwrap().display().to_string();
        let text = fs::read_to_string(&page).unwrap();
        let dir = sandbox();
        let mut n = 0;
        for block in blocks(&text).iter().filter(|b| b.language == "console") {
            for example in examples(block) {
                n += 1;
                let (status, printed) = run(dir.path(), &example.command);
                let at = format!("{name}:{}: $ {}", example.line, example.command);
                if status != example.status {
                    let _ = writeln!(
                        failures,
                        "{at}\n  exit status {status}, the page says {}\n{printed}",
                        example.status
                    );
                } else if let Err(err) = assert.try_eq(
                    Some(&at),
                    printed.into_data(),
                    example.expected.clone().into_data(),
                ) {
                    let _ = writeln!(failures, "{err}");
                }
            }
        }
        counted.push((name, n));
    }
    assert!(
        failures.is_empty(),
        "examples that drifted from the binary:\n{failures}"
    );
    // Nothing vacuous: the pages the examples live in still have them.
    let count = |page: &str| {
        counted
            .iter()
            .find(|(name, _)| name == page)
            .map_or(0, |c| c.1)
    };
    assert!(count("README.md") >= 10, "{counted:?}");
    assert!(count("docs/ci.md") >= 2, "{counted:?}");
    assert!(count("docs/guide.md") >= 2, "{counted:?}");
}

#[test]
fn a_page_shows_a_prompt_only_in_a_console_block() {
    for page in pages() {
        for block in blocks(&fs::read_to_string(&page).unwrap()) {
            if block.language != "console" {
                assert!(
                    !block.text.lines().any(|l| l.starts_with("$ ")),
                    "{}:{}: a `$ ` prompt in a ```{} block: make it a console block, so it runs",
                    page.display(),
                    block.line,
                    block.language
                );
            }
        }
    }
}

/// The long options `capdedup SUBCOMMAND --help` lists.
fn options_of(subcommand: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_capdedup"))
        .args([subcommand, "--help"])
        .output()
        .unwrap();
    assert!(out.status.success(), "capdedup {subcommand} --help");
    let help = String::from_utf8(out.stdout).unwrap();
    help.split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == '`')
        .filter(|word| word.starts_with("--"))
        .map(|word| {
            word.trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .split(['=', '<'])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn the_commands_of_sh_blocks_use_options_that_exist() {
    let mut checked = 0;
    for page in pages() {
        for block in blocks(&fs::read_to_string(&page).unwrap()) {
            if block.language != "sh" {
                continue;
            }
            for (i, line) in block.text.lines().enumerate() {
                let code = line.split(" #").next().unwrap();
                // Each `capdedup SUB ...` of the line, also after a pipe or `$(`.
                for part in code.split("capdedup ").skip(1) {
                    let mut words = part.split_whitespace();
                    let Some(sub) = words.next() else { continue };
                    if !["cluster", "dedup", "strip", "check", "explain"].contains(&sub) {
                        continue;
                    }
                    let known = options_of(sub);
                    for word in words.take_while(|w| !["|", ">", "<", "&&", ";"].contains(w)) {
                        if word.starts_with("--") && word.len() > 2 {
                            let option = word.split('=').next().unwrap();
                            assert!(
                                known.iter().any(|k| k == option),
                                "{}:{}: `capdedup {sub}` has no option {option}",
                                page.display(),
                                block.line + i
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(
        checked >= 2,
        "only {checked} options checked: is the parser still finding them?"
    );
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(page: &str) -> Vec<String> {
    let mut fence = false;
    let mut anchors = Vec::new();
    for line in page.lines() {
        if line.starts_with("```") {
            fence = !fence;
        } else if !fence && line.starts_with('#') {
            anchors.push(slug(line.trim_start_matches('#')));
        }
    }
    anchors
}

#[test]
fn every_relative_link_reaches_a_file_and_heading() {
    let mut checked = 0;
    for page in pages() {
        let text = fs::read_to_string(&page).unwrap();
        for (i, line) in text.lines().enumerate() {
            for piece in line.split("](").skip(1) {
                let Some(target) = piece.split(')').next() else {
                    continue;
                };
                if target.contains("://") || target.starts_with("mailto:") || target.contains(' ') {
                    continue;
                }
                let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
                let path = if file.is_empty() {
                    page.clone()
                } else {
                    page.parent().unwrap().join(file)
                };
                let at = format!("{}:{}: ({target})", page.display(), i + 1);
                assert!(path.exists(), "{at}: no such file");
                if !anchor.is_empty() {
                    let heads = anchors(&fs::read_to_string(&path).unwrap());
                    assert!(
                        heads.iter().any(|h| h == anchor),
                        "{at}: no such heading in {heads:?}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 30, "only {checked} links checked");
}

#[test]
fn every_source_file_the_pages_name_exists() {
    let mut checked = 0;
    for page in pages() {
        let text = fs::read_to_string(&page).unwrap();
        for piece in text.split('`').skip(1).step_by(2) {
            let named = piece.trim();
            let source = ["src/", "tests/", "examples/", "benches/", "python/"]
                .iter()
                .any(|dir| named.starts_with(dir));
            if source && (named.ends_with(".rs") || named.ends_with(".py")) {
                assert!(
                    root().join(named).exists(),
                    "{}: `{named}` does not exist (moved?)",
                    page.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} paths checked");
}
