//! # capdedup
//!
//! Deduplicate photo captions. Scraped pages and image–text datasets repeat captions with
//! doubled credit trailers (`... (AP Photo) Credit: Uncredited Credit: Uncredited`), agency
//! credits in many styles and small edits. capdedup
//!
//! 1. **normalises** each caption: strips credit lines (returning them as data) and folds the
//!    text (NFKC, case, quotes, dashes, whitespace) into a comparison key, leaving out
//!    boilerplate context sentences shared by captions of different photos;
//! 2. **clusters** the keys: exact duplicates first, then near-identical keys by a similarity
//!    metric (normalised Levenshtein by default, the same number as `strsim`) and a threshold,
//!    unless the two keys differ in a fact (a number, a date, a content word: [`facts`]);
//! 3. **reports** the clusters with counts, members, variants and credits ([`Report`]), which
//!    serializes to the JSON contract of the command line.
//!
//! The pipeline is input → normalise → cluster → output: [`input`], [`normalize`] and
//! [`sentences`], [`cluster`], [`similarity`] and [`facts`], [`output`]; [`check`] turns a report into
//! a pass or fail against limits and a baseline (the CI gate).
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
//! // Options mirror the command line.
//! use capdedup::{Deduper, Linkage, Metric};
//! let deduper = Deduper::builder()
//!     .threshold(0.85)
//!     .metric(Metric::Damerau)
//!     .linkage(Linkage::Single)
//!     .credit_pattern(r"\s*\[[A-Z]+ PICTURES\]$")
//!     .build()?;
//! let report = deduper.cluster_texts(["A tiger yawns [WENN PICTURES]", "A tiger yawns."]);
//! assert_eq!(report.clusters.len(), 1);
//! serde_json::to_string(&report).unwrap(); // the JSON contract
//! # Ok::<(), capdedup::Error>(())
//! ```

pub mod check;
pub mod cluster;
pub mod error;
pub mod facts;
pub mod index;
pub mod input;
pub mod linkage;
pub mod normalize;
pub mod output;
pub mod report;
pub mod sentences;
pub mod similarity;

pub use cluster::{BoilerplateMode, Builder, Collector, Decision, Deduper, Explanation, Side};
pub use error::{Error, ErrorKind, Location, Result};
pub use facts::Veto;
pub use input::InputFormat;
pub use normalize::{CreditStripper, Stripped, fold_key, strip_credits};
pub use report::{Canonical, Cluster, Counted, Linkage, Member, Report, Search};
pub use similarity::Metric;

/// Receives progress of the long phases of clustering (for a progress bar). Called from
/// worker threads; every method has a do-nothing default.
pub trait Progress: Sync {
    /// A phase starts, with `total` units of work.
    fn phase(&self, _name: &'static str, _total: u64) {}
    /// `n` more units of the current phase are done.
    fn advance(&self, _n: u64) {}
    /// The current phase is over.
    fn done(&self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

// The README's Rust examples run as doctests, so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

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
