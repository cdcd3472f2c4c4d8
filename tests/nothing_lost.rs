//! Nothing lost, through the real binary: every credit `strip` removes is reported by
//! `cluster`, in the cluster of its record, and every output is byte-identical for any
//! number of threads. (Idempotent normalisation, counts adding up, the threshold, input
//! order and the JSON round trip are the library properties of `tests/properties.rs`.)

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_capdedup");

/// Runs the binary on a file with `RAYON_NUM_THREADS` set (rayon reads it for its global
/// pool); returns stdout, or panics with stderr.
fn run(args: &[&str], file: &std::path::Path, threads: usize) -> Vec<u8> {
    let out = Command::new(BIN)
        .args(args)
        .arg(file)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "capdedup {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn write_captions(captions: &[String]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut file, (captions.join("\n") + "\n").as_bytes()).unwrap();
    file
}

const WORDS: &[&str] = &[
    "police",
    "officers",
    "detain",
    "a",
    "protester",
    "during",
    "rally",
    "in",
    "Minsk",
    "Belarus",
    "Sunday",
    "woman",
    "holds",
    "flag",
    "the",
    "march",
    "Biden",
    "speaks",
    "at",
    "White",
    "House",
    "Sept.",
    "13,",
    "2020.",
    "crowd",
    "gathers",
    "near",
    "square",
];

const CREDITS: &[&str] = &[
    "(AP Photo)",
    "(AP Photo/Evan Vucci)",
    "(AP Photo) Credit: Uncredited Credit: Uncredited",
    "(TUT.by via AP)",
    "Evan Vucci/AP Photo",
    "REUTERS/Jane Doe",
    "Photo: John Smith",
    "© Jane Doe",
    "Credit: Jane Doe",
    "(Photo by Jane Doe/AFP via Getty Images)",
    "- Photo: John Smith",
];

/// A caption of 3 to 14 words.
fn base() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 3..14).prop_map(|w| w.join(" "))
}

/// A variant of `base`: as is, a character changed, a word dropped, a credit appended, or a
/// boilerplate context sentence appended.
fn variant(base: String) -> impl Strategy<Value = String> {
    let context = "Protests calling for the president's resignation have broken out daily since the election.";
    (
        0..6usize,
        any::<prop::sample::Index>(),
        prop::sample::select(CREDITS),
    )
        .prop_map(move |(kind, at, credit)| {
            let mut s = base.clone();
            match kind {
                0 => {}
                1 if !s.is_empty() => {
                    let i = at.index(s.len());
                    if s.is_char_boundary(i) && s.is_char_boundary(i + 1) {
                        s.replace_range(i..i + 1, "x");
                    }
                }
                2 => {
                    let words: Vec<&str> = s.split(' ').collect();
                    let drop = at.index(words.len());
                    s = words
                        .iter()
                        .enumerate()
                        .filter(|&(i, _)| i != drop)
                        .map(|(_, w)| *w)
                        .collect::<Vec<_>>()
                        .join(" ");
                }
                3 => s = format!("{s}. {context}"),
                _ => s = format!("{s}. {credit}"),
            }
            s
        })
}

/// 1 to 40 captions: a few bases, each with several variants, shuffled.
fn captions() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(base(), 1..6)
        .prop_flat_map(|bases| {
            let per_base: Vec<_> = bases
                .into_iter()
                .map(|b| prop::collection::vec(variant(b), 1..8))
                .collect();
            per_base
        })
        .prop_map(|groups| groups.into_iter().flatten().collect::<Vec<_>>())
        .prop_shuffle()
}

/// Command-line options for `cluster` that change which records are kept and how they group.
fn options() -> impl Strategy<Value = Vec<&'static str>> {
    (
        prop::sample::select(vec!["0.9", "0.8", "0.6", "1"]),
        prop::sample::select(vec!["centre", "single"]),
        prop::sample::select(vec!["most-frequent", "first", "longest", "shortest"]),
        prop::sample::select(vec!["auto", "keep"]),
        prop::sample::select(vec!["levenshtein", "damerau", "jaro-winkler"]),
        any::<bool>(),
    )
        .prop_map(
            |(t, linkage, canonical, boilerplate, metric, credited_only)| {
                let mut args = vec![
                    "-t",
                    t,
                    "--linkage",
                    linkage,
                    "--canonical",
                    canonical,
                    "--boilerplate",
                    boilerplate,
                    "--metric",
                    metric,
                ];
                if credited_only {
                    args.push("--credited-only");
                }
                args
            },
        )
}

/// Credits reported by `strip` per line, for the records it keeps.
fn stripped_credits(file: &std::path::Path, credited_only: bool) -> BTreeMap<u64, String> {
    let mut args = vec!["strip"];
    if credited_only {
        args.push("--credited-only");
    }
    String::from_utf8(run(&args, file, 1))
        .unwrap()
        .lines()
        .filter_map(|l| {
            let row: Value = serde_json::from_str(l).unwrap();
            let credit = row["credit"].as_str()?.to_owned();
            Some((row["line"].as_u64().unwrap(), credit))
        })
        .collect()
}

proptest! {
    // Each case runs the binary three times; a debug binary starts in about 0.15 s.
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Every credit `strip` removes is reported by `cluster --format json`, in the cluster
    /// that holds its record: the credits of a cluster are exactly those of its members.
    #[test]
    fn the_credits_removed_are_all_reported(captions in captions(), options in options()) {
        let file = write_captions(&captions);
        let credited_only = options.contains(&"--credited-only");
        let credits = stripped_credits(file.path(), credited_only);
        let mut args = vec!["cluster", "-q", "--format", "json"];
        args.extend(&options);
        let doc: Value = serde_json::from_slice(&run(&args, file.path(), 1)).unwrap();
        let mut reported = 0;
        for c in doc["clusters"].as_array().unwrap() {
            let mut want: BTreeMap<&str, u64> = BTreeMap::new();
            for m in c["members"].as_array().unwrap() {
                if let Some(credit) = credits.get(&m["line"].as_u64().unwrap()) {
                    *want.entry(credit).or_default() += 1;
                }
            }
            let got: BTreeMap<&str, u64> = c["credits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| (v["text"].as_str().unwrap(), v["count"].as_u64().unwrap()))
                .collect();
            prop_assert_eq!(&got, &want, "cluster {}", c["caption"]);
            reported += got.values().sum::<u64>();
        }
        prop_assert_eq!(reported, credits.len() as u64);
        // --keep-credits removes nothing, and reports nothing.
        let kept: Value = serde_json::from_slice(&run(
            &["cluster", "-q", "--format", "json", "--keep-credits"],
            file.path(),
            1,
        ))
        .unwrap();
        prop_assert!(kept["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["credits"] == serde_json::json!([])));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// The same bytes on 1 and 2 threads, for every output format and for `strip`.
    #[test]
    fn output_is_byte_identical_for_any_thread_count(
        captions in captions(),
        options in options(),
    ) {
        let file = write_captions(&captions);
        for format in ["text", "json"] {
            let mut args = vec!["cluster", "-q", "--format", format];
            args.extend(&options);
            prop_assert_eq!(run(&args, file.path(), 1), run(&args, file.path(), 2), "{}", format);
        }
        prop_assert_eq!(run(&["strip"], file.path(), 1), run(&["strip"], file.path(), 2));
    }
}

/// Big enough to be split among threads: more records than one batch of parallel stripping
/// and more distinct captions than one chunk of parallel verification.
#[test]
fn a_big_input_is_byte_identical_on_1_and_2_threads() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let bases: Vec<String> = (0..1100)
        .map(|_| {
            let n = 4 + (next() % 20) as usize;
            (0..n)
                .map(|_| WORDS[(next() % WORDS.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    // About 2,200 distinct captions in 8,500 records.
    let captions: Vec<String> = (0..8_500)
        .map(|_| {
            let base = &bases[(next() % bases.len() as u64) as usize];
            match next() % 3 {
                0 => base.clone(),
                1 => format!(
                    "{base} {}",
                    CREDITS[(next() % CREDITS.len() as u64) as usize]
                ),
                _ => format!("{base}!"),
            }
        })
        .collect();
    let file = write_captions(&captions);
    for args in [&["cluster", "-q", "--format", "json"][..], &["strip"]] {
        let one = run(args, file.path(), 1);
        assert!(!one.is_empty());
        assert!(one == run(args, file.path(), 2), "{args:?} differs");
    }
}
