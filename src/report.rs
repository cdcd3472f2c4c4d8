//! The result of a run: clusters with their members, variants and credits. These types
//! serialize (serde) to the JSON contract documented in docs/formats.md, field for field, and
//! deserialize from it, so a program can read `capdedup cluster --format json` back into a
//! [`Report`]:
//!
//! ```
//! use capdedup::Report;
//! let report = capdedup::cluster(["A cat sleeps.", "A cat sleeps. (AP Photo)", "A dog barks."]);
//! let json = serde_json::to_string(&report).unwrap();
//! let back: Report = serde_json::from_str(&json).unwrap();
//! assert_eq!(serde_json::to_string(&back).unwrap(), json, "the same document, byte for byte");
//! assert_eq!(back.clusters[0].credits[0].text, "(AP Photo)");
//! ```
//!
//! Two things are not in the JSON and so not in a deserialized report: which variant each
//! member carried and the comparison keys ([`Cluster::member_caption`] and
//! [`Cluster::member_key`] need a report from clustering).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::cluster::facts::Veto;
use crate::cluster::similarity::Metric;

/// Version of the JSON contract; bumped only for incompatible changes.
pub const JSON_VERSION: u32 = 1;

/// How clusters were formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Linkage {
    /// Centre clustering: the most frequent untaken key takes every untaken key within the
    /// threshold of it. No chaining: every member is within the threshold of its centre.
    #[default]
    Centre,
    /// Connected components of the "within the threshold" graph (may chain).
    Single,
}

/// Which caption stands for a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Canonical {
    /// The most frequent variant of the most frequent key (the centre under centre linkage).
    #[default]
    MostFrequent,
    /// The variant of the earliest record (file order, then line): the only order-dependent choice.
    First,
    /// The longest variant.
    Longest,
    /// The shortest variant.
    Shortest,
}

/// A text with the number of records it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    /// The text.
    pub text: String,
    /// How many records carried it.
    pub count: u64,
}

/// Where one input record came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The file as given (`-` for standard input).
    pub file: Arc<str>,
    /// The 1-based line where the record starts.
    pub line: u64,
}

/// One cluster of near-identical captions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// The caption shown for the cluster (credits removed, whitespace tidied).
    pub caption: String,
    /// The number of records in the cluster.
    pub count: u64,
    /// Every record of the cluster, in input order (file order, then line).
    pub members: Vec<Member>,
    /// The distinct captions as written (credits removed), most frequent first.
    pub variants: Vec<Counted>,
    /// The credits removed from the members, most frequent first.
    pub credits: Vec<Counted>,
    /// The lowest similarity of a member's comparison key to the key of `caption`.
    pub min_similarity: f64,
    /// For each member (same order as `members`), the index of its caption in `variants`.
    /// Not part of the JSON contract.
    #[serde(skip)]
    pub member_variants: Vec<u32>,
    /// For each variant (same order as `variants`), its comparison key: the folded text the
    /// metric compared, boilerplate left out. Not part of the JSON contract.
    #[serde(skip)]
    pub variant_keys: Vec<String>,
    /// The cluster holds a caption that a `split` decision set apart from a caption with the
    /// same comparison key, so [`Cluster::id`] also hashes its smallest variant and the two
    /// clusters' ids differ. Not part of the JSON contract.
    #[serde(skip)]
    pub decided_apart: bool,
}

impl Cluster {
    /// An id for the cluster derived from its content, not its position: 16 hex digits of a
    /// fixed 64-bit hash (FNV-1a, then MurmurHash3's finaliser) of the smallest comparison key of its variants (of the
    /// smallest variant in a deserialized report, which has no keys). The same clusters give
    /// the same ids in any run, on any input order; two clusters never share their keys, so
    /// ids differ but for a hash collision (about one chance in 10^7 among a million clusters).
    ///
    /// ```
    /// let a = capdedup::cluster(["A cat sleeps.", "A dog barks.", "a cat sleeps"]);
    /// let b = capdedup::cluster(["A dog barks.", "a cat sleeps", "A cat sleeps."]);
    /// assert_eq!(a.clusters[0].id(), b.clusters[0].id());
    /// assert_ne!(a.clusters[0].id(), a.clusters[1].id());
    /// assert_eq!(a.clusters[0].id().len(), 16);
    /// ```
    pub fn id(&self) -> String {
        let smallest_variant = || self.variants.iter().map(|v| v.text.as_str()).min();
        let smallest = if self.variant_keys.is_empty() {
            smallest_variant()
        } else {
            self.variant_keys.iter().map(String::as_str).min()
        };
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let apart = if self.decided_apart {
            smallest_variant().unwrap_or_default()
        } else {
            ""
        };
        let salt: &[u8] = if self.decided_apart { b"\0" } else { b"" };
        let bytes = smallest.unwrap_or_default().as_bytes().iter();
        for &b in bytes.chain(salt).chain(apart.as_bytes()) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        // MurmurHash3's finaliser: FNV alone leaves similar short texts with similar ids.
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        hash ^= hash >> 33;
        format!("{hash:016x}")
    }

    /// The caption (credits removed, as written) of the member at `index` in `members`.
    ///
    /// ```
    /// let report = capdedup::cluster(["A cat sleeps.", "A cat sleeps!", "A cat sleeps."]);
    /// let c = &report.clusters[0];
    /// assert_eq!(c.member_caption(1), "A cat sleeps!");
    /// ```
    ///
    /// # Panics
    /// If `index` is not below `members.len()`, or the report was deserialized (the JSON does
    /// not say which variant each member carried).
    pub fn member_caption(&self, index: usize) -> &str {
        &self.variants[self.member_variants[index] as usize].text
    }

    /// The comparison key of the member at `index` in `members`: two members with the same
    /// key are exact duplicates; the metric scores keys to find near-duplicates.
    ///
    /// ```
    /// let report = capdedup::cluster(["A cat sleeps. (AP Photo)", "a cat  SLEEPS!", "A cat sleps."]);
    /// let c = &report.clusters[0];
    /// assert_eq!(c.member_key(0), c.member_key(1));
    /// assert_eq!(c.member_key(2), "a cat sleps");
    /// ```
    ///
    /// # Panics
    /// If `index` is not below `members.len()`, or the report was deserialized (the JSON has
    /// no comparison keys).
    pub fn member_key(&self, index: usize) -> &str {
        &self.variant_keys[self.member_variants[index] as usize]
    }
}

/// The whole result of clustering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The JSON contract version ([`JSON_VERSION`]).
    pub version: u32,
    /// The similarity threshold used.
    pub threshold: f64,
    /// The metric used.
    pub metric: Metric,
    /// Which differences of fact stopped near-identical captions from merging. A document
    /// written before the veto existed has no `veto`, and reads (where reports are read back)
    /// as [`Veto::None`], which is what those versions did.
    #[serde(default = "no_veto")]
    pub veto: Veto,
    /// The linkage used.
    pub linkage: Linkage,
    /// Records read from the input, before any `--credited-only` selection.
    pub records_read: u64,
    /// Records clustered (after any `--credited-only` selection); the sum of cluster counts.
    pub records: u64,
    /// The clusters, by count (descending), then caption.
    pub clusters: Vec<Cluster>,
    /// Boilerplate sentences left out of the comparison, with the number of records they were
    /// set aside from, by count (descending), then text.
    pub boilerplate: Vec<Counted>,
    /// Credit lines learned from the input (segments that recur at the start or end of
    /// captions whose other text differs, with the shape of a credit), most frequent first,
    /// each with the number of distinct captions it was stripped from. Absent in documents
    /// written before learning existed.
    #[serde(default)]
    pub learned_credits: Vec<crate::normalize::LearnedLine>,
    /// How similar pairs were searched.
    pub search: Search,
    /// What became of the review decisions given (`--decisions`): applied, unmatched (a
    /// caption no record has) and conflicting (a `merge` a `split` forbids). Absent without
    /// decisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decisions: Option<crate::decisions::DecisionsApplied>,
    /// For each clustered record in the order pushed, the index of its cluster in
    /// `clusters` ([`Report::assignments`] reads it). Not part of the JSON contract: empty
    /// in a deserialized report.
    #[serde(skip)]
    pub record_clusters: Vec<u32>,
    /// The positions, among the records read, of those `credited_only` left out, ascending.
    /// Not part of the JSON contract.
    #[serde(skip)]
    pub records_left_out: Vec<u64>,
}

/// How the similar pairs were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Search {
    /// True when every pair of distinct captions with compatible lengths was compared;
    /// false when the candidate index chose the pairs to compare.
    pub exhaustive: bool,
    /// Pairs of distinct comparison keys that passed the length and histogram bounds and were
    /// compared exactly with the metric: pairs of keys longer than 64 characters only when
    /// the veto let them through (it is checked first for them).
    pub pairs_verified: u64,
    /// Pairs found at or above the threshold and not vetoed: the edges clustering worked
    /// from.
    pub pairs_similar: u64,
    /// Pairs that passed the bounds but were kept apart because their captions differ in a
    /// fact (see [`Veto`]): for keys longer than 64 characters before any similarity was
    /// computed (some may be below the threshold too), for shorter ones after they were found
    /// similar. Without `exhaustive`, pairs of long keys that differ in a number can be left
    /// out by the candidate index, where it finds many pairs, and are not counted. 0 in a
    /// document written before the veto existed.
    #[serde(default)]
    pub pairs_vetoed: u64,
}

/// The veto of documents written before it existed: none.
fn no_veto() -> Veto {
    Veto::None
}

impl Report {
    /// Records folded into another record's cluster: `records - clusters`.
    pub fn duplicates(&self) -> u64 {
        self.records - self.clusters.len() as u64
    }

    /// Each clustered record with its cluster, in input order (the order records were
    /// pushed): the join of the records back to the clusters. Records left out by
    /// `credited_only` are skipped (their [`Assignment::record`] positions are missing).
    ///
    /// A record's member is found by its rank within its cluster, so the records of a file
    /// must have been pushed in line order, each file at once, as the readers of [`crate::input`]
    /// and the command line do. A deserialized report has no assignments (the JSON does not
    /// say the order of the records): the iterator is empty.
    ///
    /// ```
    /// let report = capdedup::cluster(["A cat sleeps.", "A dog barks.", "A cat sleeps!"]);
    /// let got: Vec<(u64, u64, usize, usize)> = report
    ///     .assignments()
    ///     .map(|a| (a.record, a.member().line, a.cluster, a.member_index))
    ///     .collect();
    /// // Record 2 is the second member of the first cluster, "A cat sleeps.".
    /// assert_eq!(got, [(0, 1, 0, 0), (1, 2, 1, 0), (2, 3, 0, 1)]);
    /// ```
    pub fn assignments(&self) -> Assignments<'_> {
        Assignments {
            report: self,
            ranks: vec![
                0;
                if self.record_clusters.is_empty() {
                    0
                } else {
                    self.clusters.len()
                }
            ],
            next: 0,
            skipped: 0,
            record: 0,
        }
    }
}

/// One record's place in a [`Report`]: see [`Report::assignments`].
#[derive(Debug, Clone, Copy)]
pub struct Assignment<'a> {
    /// The record's 0-based position among the records read (input order).
    pub record: u64,
    /// The index of its cluster in [`Report::clusters`].
    pub cluster: usize,
    /// Its index in that cluster's `members` (and `member_variants`).
    pub member_index: usize,
    report: &'a Report,
}

impl<'a> Assignment<'a> {
    /// The record's cluster.
    pub fn cluster(&self) -> &'a Cluster {
        &self.report.clusters[self.cluster]
    }

    /// The record's file and line.
    pub fn member(&self) -> &'a Member {
        &self.cluster().members[self.member_index]
    }
}

/// The iterator of [`Report::assignments`].
#[derive(Debug, Clone)]
pub struct Assignments<'a> {
    report: &'a Report,
    /// Members of each cluster met so far.
    ranks: Vec<u32>,
    /// The next entry of `record_clusters`.
    next: usize,
    /// The next entry of `skipped`.
    skipped: usize,
    /// The position of the next record read.
    record: u64,
}

impl<'a> Iterator for Assignments<'a> {
    type Item = Assignment<'a>;

    fn next(&mut self) -> Option<Assignment<'a>> {
        let report = self.report;
        let &cluster = report.record_clusters.get(self.next)?;
        while report.records_left_out.get(self.skipped) == Some(&self.record) {
            self.skipped += 1;
            self.record += 1;
        }
        let rank = &mut self.ranks[cluster as usize];
        let a = Assignment {
            record: self.record,
            cluster: cluster as usize,
            member_index: *rank as usize,
            report,
        };
        *rank += 1;
        self.next += 1;
        self.record += 1;
        Some(a)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.report.record_clusters.len() - self.next;
        (n, Some(n))
    }
}

impl ExactSizeIterator for Assignments<'_> {}
