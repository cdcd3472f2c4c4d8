//! Compressed inputs through the real binary: gzip, zstd and xz told by their first bytes,
//! the same clusters and `file:line` positions as the plain file, corrupt and truncated
//! archives as exit 2 naming the file, and `dedup` writing the input's own compression back.
//! Every compressed file is made here, from the seed.

mod common;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use capdedup::compress::{Compression, Encoder};
use common::{capdedup, members, ok, run};
use serde_json::Value;

const SEED: &str = "fixtures/seed_captions.txt";

fn seed() -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).unwrap()
}

fn compress(data: &[u8], compression: Compression) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new(), compression).unwrap();
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn decompress(data: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let (mut r, _) =
        capdedup::compress::decompress("t", Box::new(std::io::Cursor::new(data.to_vec()))).unwrap();
    let mut out = Vec::new();
    r.read_to_end(&mut out).unwrap();
    out
}

/// The seed as JSON Lines, one object per caption, with an id beside it.
fn seed_jsonl() -> Vec<u8> {
    let seed = String::from_utf8(seed()).unwrap();
    let mut out = Vec::new();
    for (i, line) in seed.lines().enumerate() {
        let record = serde_json::json!({"id": i + 1, "caption": line});
        writeln!(out, "{record}").unwrap();
    }
    out
}

fn write(dir: &Path, name: &str, data: &[u8]) -> String {
    let path = dir.join(name);
    fs::write(&path, data).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Each cluster's count and caption, and its members' lines (files left out: they differ).
fn clusters(doc: &Value) -> Vec<(u64, String, Vec<u64>)> {
    doc["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["count"].as_u64().unwrap(),
                c["caption"].as_str().unwrap().to_owned(),
                members(c).into_iter().map(|(_, line)| line).collect(),
            )
        })
        .collect()
}

fn cluster_json(file: &str, extra: &[&str]) -> Value {
    let mut args = vec!["cluster", "-q", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(file);
    serde_json::from_str(&ok(&args)).unwrap()
}

/// Runs with binary output; returns status, stdout and stderr.
fn bytes(args: &[&str], stdin: Option<&[u8]>) -> (i32, Vec<u8>, String) {
    common::run_bytes(capdedup(), args, stdin)
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn seed_as_jsonl_gz_zst_xz_gives_the_nine_clusters_of_the_plain_file() {
    let dir = tmp();
    let plain = cluster_json(SEED, &[]);
    assert_eq!(plain["clusters"].as_array().unwrap().len(), 9);
    let jsonl = seed_jsonl();
    for (name, compression) in [
        ("seed.jsonl.gz", Compression::Gzip),
        ("seed.jsonl.zst", Compression::Zstd),
        ("seed.jsonl.xz", Compression::Xz),
    ] {
        let file = write(dir.path(), name, &compress(&jsonl, compression));
        assert_eq!(
            clusters(&cluster_json(&file, &[])),
            clusters(&plain),
            "{name}"
        );
    }
    // The text output too, byte for byte.
    let file = write(
        dir.path(),
        "seed.txt.gz",
        &compress(&seed(), Compression::Gzip),
    );
    assert_eq!(
        ok(&["cluster", "-q", &file]),
        fs::read_to_string("fixtures/seed_captions.expected.txt").unwrap()
    );
}

#[test]
fn the_first_bytes_tell_the_compression_whatever_the_name() {
    let dir = tmp();
    let plain = ok(&["cluster", "-q", SEED]);
    for compression in [Compression::Gzip, Compression::Zstd, Compression::Xz] {
        let file = write(dir.path(), "captions.txt", &compress(&seed(), compression));
        assert_eq!(ok(&["cluster", "-q", &file]), plain, "{compression}");
        // Standard input too.
        let (code, out, err) = bytes(&["cluster", "-q"], Some(&compress(&seed(), compression)));
        assert_eq!(
            (code, String::from_utf8(out).unwrap()),
            (0, plain.clone()),
            "{err}"
        );
    }
    // A JSON Lines file named `.gz` is read as JSON Lines.
    let file = write(
        dir.path(),
        "x.jsonl.gz",
        &compress(b"{\"caption\": \"A cat.\"}\n", Compression::Gzip),
    );
    assert_eq!(ok(&["cluster", "-q", &file]), "1\tA cat.\n");
}

#[test]
fn positions_are_the_lines_of_the_decompressed_text() {
    let dir = tmp();
    // Blank lines and a CSV row with a quoted line break move the lines.
    let csv = b"id,caption\n1,A cat sleeps.\n\n2,\"A dog\nbarks.\"\n3,A cat sleeps.\n";
    let plain = write(dir.path(), "c.csv", csv);
    let gz = write(dir.path(), "c.csv.gz", &compress(csv, Compression::Gzip));
    let lines = |file: &str| -> Vec<u64> {
        ok(&["strip", file])
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["line"]
                    .as_u64()
                    .unwrap()
            })
            .collect()
    };
    assert_eq!(lines(&gz), [2, 4, 6]);
    assert_eq!(lines(&gz), lines(&plain));
    let r = run(&["check", &gz]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout
            .starts_with(&format!("{gz}:6: duplicate of {gz}:2")),
        "{r:?}"
    );
}

#[test]
fn multi_member_gzip_reads_every_member() {
    let dir = tmp();
    let mut data = compress(b"first\nsecond\n", Compression::Gzip);
    data.extend(compress(b"third\n", Compression::Gzip));
    data.extend(compress(b"fourth\n", Compression::Gzip));
    let file = write(dir.path(), "m.txt.gz", &data);
    assert_eq!(
        ok(&["strip", "--format", "text", &file]),
        "first\nsecond\nthird\nfourth\n"
    );
    // zstd frames and xz streams one after the other, likewise.
    for compression in [Compression::Zstd, Compression::Xz] {
        let mut data = compress(b"first\n", compression);
        data.extend(compress(b"second\n", compression));
        let file = write(dir.path(), "m.txt", &data);
        assert_eq!(
            ok(&["strip", "--format", "text", &file]),
            "first\nsecond\n",
            "{compression}"
        );
    }
}

/// Exit status 2, one message naming `file` and containing each of `words`.
fn assert_broken(args: &[&str], file: &str, words: &[&str]) {
    let r = run(args);
    assert_eq!(r.code, 2, "{args:?}: {r:?}");
    let message = r.stderr.trim_end();
    assert_eq!(message.lines().count(), 1, "{r:?}");
    assert!(message.starts_with(&format!("capdedup: {file}")), "{r:?}");
    for w in words {
        assert!(message.contains(w), "{w:?} in {r:?}");
    }
}

#[test]
fn truncated_gzip_is_an_error_naming_the_file_never_a_short_read() {
    let dir = tmp();
    let gz = compress(&seed(), Compression::Gzip);
    // Cut in the deflate data, and cut in the trailer (all the text there, the checksum not).
    for cut in [gz.len() / 2, gz.len() - 4] {
        let file = write(dir.path(), "cut.txt.gz", &gz[..cut]);
        for command in ["cluster", "strip", "check", "dedup"] {
            assert_broken(
                &[command, &file],
                &file,
                &[
                    "corrupt gzip data",
                    "truncated",
                    "expected a whole gzip file",
                ],
            );
        }
    }
    // Cut in the trailer: every line was read, so the message names the line after the last.
    let file = write(dir.path(), "cut.txt.gz", &gz[..gz.len() - 4]);
    assert_broken(&["cluster", &file], &format!("{file}:13:"), &[]);
    // Truncated zstd and xz likewise.
    for (name, compression) in [("cut.zst", Compression::Zstd), ("cut.xz", Compression::Xz)] {
        let data = compress(&seed(), compression);
        let file = write(dir.path(), name, &data[..data.len() - 3]);
        assert_broken(
            &["cluster", &file],
            &file,
            &["truncated", &compression.to_string()],
        );
    }
}

#[test]
fn garbage_after_a_zstd_frame_or_a_gzip_member_is_an_error() {
    let dir = tmp();
    let mut data = compress(&seed(), Compression::Zstd);
    data.extend_from_slice(b"this is not zstd\n");
    let file = write(dir.path(), "garbage.txt.zst", &data);
    assert_broken(
        &["cluster", &file],
        &format!("{file}:13:"),
        &["corrupt zstd data"],
    );
    let mut data = compress(&seed(), Compression::Gzip);
    data.extend_from_slice(b"this is not gzip\n");
    let file = write(dir.path(), "garbage.txt.gz", &data);
    assert_broken(
        &["cluster", &file],
        &format!("{file}:13:"),
        &["corrupt gzip data"],
    );
}

#[test]
fn a_file_named_for_a_compression_it_is_not_is_an_error() {
    let dir = tmp();
    for name in ["plain.txt.gz", "plain.zst", "plain.XZ"] {
        let file = write(dir.path(), name, b"A cat sleeps.\n");
        assert_broken(
            &["cluster", &file],
            &file,
            &["is named for", "expected a whole"],
        );
    }
    let file = write(dir.path(), "empty.gz", b"");
    assert_broken(
        &["cluster", &file],
        &file,
        &["does not start as gzip data does"],
    );
}

fn dedup_bytes(args: &[&str]) -> Vec<u8> {
    let mut all = vec!["dedup", "-q"];
    all.extend_from_slice(args);
    let (code, out, err) = bytes(&all, None);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

#[test]
fn dedup_writes_the_input_compression_back_or_plain_with_decompress() {
    let dir = tmp();
    let jsonl = seed_jsonl();
    let plain_file = write(dir.path(), "seed.jsonl", &jsonl);
    let expected = dedup_bytes(&[&plain_file]);
    let annotated = dedup_bytes(&["--annotate", &plain_file]);
    for (name, compression) in [
        ("seed.jsonl.gz", Compression::Gzip),
        ("seed.jsonl.zst", Compression::Zstd),
        ("seed.jsonl.xz", Compression::Xz),
    ] {
        let file = write(dir.path(), name, &compress(&jsonl, compression));
        let out = dedup_bytes(&[&file]);
        assert_eq!(Compression::from_magic(&out), compression, "{name}");
        assert_eq!(decompress(&out), expected, "{name}");
        assert_eq!(dedup_bytes(&["--decompress", &file]), expected, "{name}");
        // Annotated: the same records with the same fields, but `duplicate_of` names the file.
        let out = decompress(&dedup_bytes(&["--annotate", &file]));
        let plain_name = format!("{}:", plain_file);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(annotated.clone())
                .unwrap()
                .replace(&plain_name, &format!("{file}:")),
            "{name}"
        );
    }
}

#[test]
fn dedup_out_dir_keeps_the_name_and_decompress_drops_its_extension() {
    let dir = tmp();
    let gz = write(
        dir.path(),
        "part-1.txt.gz",
        &compress(&seed(), Compression::Gzip),
    );
    let zst = write(
        dir.path(),
        "part-2.txt.zst",
        &compress(&seed(), Compression::Zstd),
    );
    let out: PathBuf = dir.path().join("out");
    let out_str = out.to_str().unwrap();
    dedup_bytes(&["--out-dir", out_str, &gz, &zst]);
    let expected = dedup_bytes(&[SEED]);
    assert_eq!(
        decompress(&fs::read(out.join("part-1.txt.gz")).unwrap()),
        expected
    );
    // The second file's records are duplicates of the first's: all dropped.
    assert_eq!(
        decompress(&fs::read(out.join("part-2.txt.zst")).unwrap()),
        b""
    );
    let plain = dir.path().join("plain");
    dedup_bytes(&["--decompress", "--out-dir", plain.to_str().unwrap(), &gz]);
    assert_eq!(fs::read(plain.join("part-1.txt")).unwrap(), expected);
    // From standard input, gzip in, gzip out.
    let (code, out, err) = bytes(
        &["dedup", "-q"],
        Some(&compress(&seed(), Compression::Gzip)),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(decompress(&out), expected);
}

#[test]
fn dedup_of_a_truncated_input_writes_nothing() {
    let dir = tmp();
    let gz = compress(&seed(), Compression::Gzip);
    let file = write(dir.path(), "cut.txt.gz", &gz[..gz.len() / 2]);
    let target = dir.path().join("clean.txt.gz");
    let (code, out, err) = bytes(&["dedup", "-o", target.to_str().unwrap(), &file], None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("truncated"), "{err}");
    assert!(out.is_empty() && !target.exists());
}
