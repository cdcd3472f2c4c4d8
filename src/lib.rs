//! # capdedup
//!
//! Deduplicate photo captions. Scraped pages and image–text datasets repeat captions with
//! doubled credit trailers (`... (AP Photo) Credit: Uncredited Credit: Uncredited`), agency
//! credits in many styles and small edits. capdedup strips the credits (keeping them as data),
//! folds the text, and collapses near-identical captions into unique ones **with counts**:
//! the library behind the `capdedup` command line, which uses nothing but this public API.
//!
//! ## Quick start
//!
//! ```
//! // One call with the defaults (threshold 0.9, normalised Levenshtein, centre clustering):
//! let report = capdedup::cluster([
//!     "Riot police detain a protester in Minsk. (AP Photo) Credit: Uncredited Credit: Uncredited",
//!     "Riot police detain a protester in Minsk. (AP Photo)",
//!     "Riot police detain a protestor in Minsk.",
//!     "A woman stands in front of a police line. (TUT.by via AP)",
//! ]);
//! assert_eq!(report.clusters.len(), 2);
//! let top = &report.clusters[0];
//! assert_eq!((top.count, top.caption.as_str()), (3, "Riot police detain a protester in Minsk."));
//! assert_eq!(top.credits[0].text, "(AP Photo)");
//!
//! // Strip one caption: the credit is kept as data.
//! let s = capdedup::strip_credits("Flooding in Venice. REUTERS/Manuel Silvestri");
//! assert_eq!(s.caption, "Flooding in Venice.");
//! assert_eq!(s.credit.as_deref(), Some("REUTERS/Manuel Silvestri"));
//!
//! // Options mirror the command line (see `Builder` for each option's flag and default).
//! use capdedup::{Deduper, Linkage, Metric};
//! let deduper = Deduper::builder()
//!     .threshold(0.85)
//!     .metric(Metric::Damerau)
//!     .linkage(Linkage::Single)
//!     .credit_pattern(r"\s*\[[A-Z]+ PICTURES\]$")
//!     .build()?;
//! let report = deduper.cluster_texts(["A tiger yawns [WENN PICTURES]", "A tiger yawns."]);
//! assert_eq!(report.clusters.len(), 1);
//!
//! // The report is the JSON contract of `capdedup cluster --format json`, both ways.
//! let json = serde_json::to_string(&report).unwrap();
//! let back: capdedup::Report = serde_json::from_str(&json).unwrap();
//! assert_eq!(back.clusters[0].members, report.clusters[0].members);
//! # Ok::<(), capdedup::Error>(())
//! ```
//!
//! Records from files, with their file and line, go through a [`Collector`]; the
//! `examples/dedup.rs` program reads a file of any supported format and prints its clusters
//! (`cargo run --example dedup -- captions.txt`):
//!
//! ```no_run
//! use capdedup::input::{self, InputKind, ReadOptions};
//! use capdedup::{Deduper, InputFormat};
//!
//! let path = "captions.csv";
//! let format = match InputKind::from_extension(path) {
//!     InputKind::Csv => InputFormat::Csv { column: "caption".parse().unwrap(), header: true },
//!     InputKind::Jsonl => InputFormat::Jsonl { field: "caption".into() },
//!     InputKind::Json => InputFormat::Json { field: "caption".into() },
//!     InputKind::Parquet => InputFormat::Parquet { column: "caption".parse().unwrap() },
//!     InputKind::Lines => InputFormat::Lines,
//! };
//! let deduper = Deduper::builder().build()?;
//! let mut collector = deduper.collector();
//! input::read_records_with(path, input::open(path)?, &format, ReadOptions::default(), |line, text| {
//!     collector.push(path, line, text);
//!     Ok(())
//! })?;
//! let report = collector.finish();
//! capdedup::output::write_text(&report, std::io::stdout().lock())?;
//! # Ok::<(), capdedup::Error>(())
//! ```
//!
//! ## The pipeline
//!
//! The modules in pipeline order: [`input`] reads records with their file and line (the
//! layouts in [`InputFormat`], compressed files through [`compress`], Parquet through
//! `parquet`); [`normalize`] strips credits ([`normalize::RULES`] and learned credit lines) and
//! folds the comparison key ([`comparison_key`]); [`sentences`] finds the boilerplate left out of it;
//! [`mod@cluster`] groups the keys, with [`similarity`] (the metrics and the verifying kernel),
//! [`facts`] (the veto), [`index`] (the candidate pairs) and [`linkage`] (centre or single
//! linkage), driven by a [`Collector`] that also honours a reviewer's [`decisions`];
//! [`report`] holds the result, a [`Report`] (the JSON contract); [`output`] writes it,
//! [`review`] draws it as an HTML page with its near misses, [`dedup`] writes the input back
//! without duplicates and [`check`] gates it in CI; [`error`] is the floor under all of them. No module imports one
//! that imports it (`tests/layout.rs` checks).
//!
//! 1. **Input** ([`input`]): one caption per line, a CSV column, a JSON Lines field or the
//!    elements of a JSON array, each record with its file and 1-based line. Bad input is an
//!    [`Error`] naming the file and line and saying what was expected; [`input::ReadOptions`]
//!    can replace bytes that are not UTF-8 text instead.
//! 2. **Normalise** ([`normalize`], [`sentences`]): strip credit lines with named rules
//!    ([`normalize::RULES`], plus your own patterns) and return them as data ([`Stripped`]);
//!    fold the caption into a comparison key (NFKC, full case folding, quotes, dashes,
//!    whitespace, the punctuation that ends it: [`comparison_key`]); leave out *boilerplate*, context sentences that recur after
//!    the first sentence in captions of different photos.
//! 3. **Cluster** ([`mod@cluster`], [`similarity`], [`index`], [`linkage`]): exact duplicates
//!    of the key collapse first; a candidate index picks the pairs of distinct keys worth
//!    comparing (or all pairs, [`Builder::exhaustive`]); every candidate is verified exactly with
//!    the chosen [`Metric`] (the same numbers as `strsim`); centre clustering or single
//!    linkage groups the pairs within the threshold. The result is a function of the set of
//!    records: the same for any input order and any number of threads.
//! 4. **Report** ([`report`], [`output`]): a [`Report`] of clusters with counts, members
//!    (file and line), variants, credits and the lowest similarity to the cluster's caption,
//!    written as `COUNT<TAB>CAPTION` text, one JSON document or JSON Lines over any
//!    [`std::io::Write`]; [`output::AtomicFile`] writes a file that appears whole or not at all.
//! 5. **Write back** ([`dedup`]): the input again in its own format, each cluster's kept
//!    record byte for byte as read and the others dropped, or every record annotated with
//!    its cluster ([`Report::assignments`] joins records to clusters): `capdedup dedup`.
//! 6. **Check** ([`check`]): a report against limits (duplicate ratio, cluster size) and an
//!    optional [`check::Baseline`] of known duplicates: the CI gate of `capdedup check`.
//!
//! ## The JSON contract
//!
//! [`Report`] serializes (serde) to the document `capdedup cluster --format json` prints and
//! deserializes from it: each field's documentation on [`Report`], [`Cluster`], [`Member`],
//! [`Counted`] and [`Search`] is its contract, and the *Output* section of docs/formats.md has the same
//! table. `version` ([`report::JSON_VERSION`]) is raised only for incompatible changes; new
//! fields may appear, and deserializing ignores fields it does not know.
//!
//! ## Features at a glance
//!
//! - Credit stripping for agency tails, bracketed and labelled credits in several languages,
//!   credits glued to the caption or at its start ([`strip_credits`], [`CreditStripper`]).
//! - Metrics: Levenshtein (default), Damerau, OSA, Jaro-Winkler, Sørensen-Dice ([`Metric`]).
//! - Canonical caption per cluster: most frequent, first, longest or shortest ([`Canonical`]).
//! - Stripping, fingerprinting and verification on all cores through rayon's global pool
//!   (bound it with `rayon::ThreadPoolBuilder`, as the command line's `-j` does); progress
//!   through the [`Progress`] trait.
//! - Memory proportional to the distinct captions, not the records.
//! - No `unsafe` code; no Cargo features to choose.

pub mod check;
pub mod cluster;
pub mod compress;
mod compression;
pub mod decisions;
pub mod dedup;
pub mod error;
mod format;
pub mod input;
pub mod normalize;
pub mod output;
#[cfg(feature = "parquet")]
pub mod parquet;
mod progress;
pub mod report;
pub mod review;
pub mod sentences;

pub use cluster::facts::Veto;
pub use cluster::similarity::Metric;
pub use cluster::{
    BoilerplateMode, Builder, Clustering, Collector, Decision, Deduper, Explanation, Side,
};
#[doc(inline)]
pub use cluster::{facts, index, linkage, similarity};
pub use error::{Error, ErrorKind, Location, Result};
pub use input::InputFormat;
pub use normalize::{CreditStripper, Removed, Stripped, comparison_key, fold_key, strip_credits};
pub use progress::{NoProgress, Progress};
pub use report::{
    Assignment, Assignments, Canonical, Cluster, Counted, Linkage, Member, Report, Search,
};

// The Rust examples of the README and the manual run as doctests, so they cannot drift from
// the API (tests/docs.rs runs their console examples).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(doctest)]
#[doc = include_str!("../docs/library.md")]
struct LibraryPageDoctests;

/// Clusters captions with the default options (threshold 0.9, normalised Levenshtein, centre
/// linkage, credits stripped, boilerplate left out of the comparison). Members are reported
/// as file `-`, line = position + 1.
pub fn cluster<I, S>(captions: I) -> Report
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    Deduper::builder()
        .build()
        .expect("the default options are valid")
        .cluster_texts(captions)
}
