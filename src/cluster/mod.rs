//! Clustering: collect records, collapse exact duplicates of the comparison key, then group
//! near-identical keys (centre clustering or single linkage) and build the [`Report`](crate::Report).
//!
//! [`Builder`] and [`Deduper`] (the options, stripping, [`Deduper::explain`]) are in
//! `deduper.rs`; the [`Collector`] that gathers a run's records and clusters them is in
//! `collector.rs`.

mod collector;
mod deduper;
pub mod facts;
pub mod index;
pub mod linkage;
pub mod similarity;

pub use collector::{Clustering, Collector};
pub use deduper::{BoilerplateMode, Builder, Decision, Deduper, Explanation, Side};
