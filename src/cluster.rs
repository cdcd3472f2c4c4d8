//! Clustering: collect records, collapse exact duplicates of the comparison key, then group
//! near-identical keys (centre clustering or single linkage) and build the [`Report`].

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashMap, HashTable, hash_table};
use std::sync::Arc;

use itertools::Itertools;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::facts::{Difference, Facts, Veto};
use crate::linkage::{KeyRef, centre_order, link, similar_pairs};
use crate::normalize::{
    CreditStripper, LearnedCredits, Learner, Removed, Stripped, credit_identity,
};
use crate::report::{Canonical, Cluster, Counted, JSON_VERSION, Linkage, Member, Report, Search};
use crate::sentences::Boilerplate;
use crate::similarity::Metric;
use crate::{NoProgress, Progress};

/// How boilerplate context sentences are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoilerplateMode {
    /// Detect sentences shared by captions of different photos and leave them out of the key.
    #[default]
    Auto,
    /// Compare whole captions.
    Keep,
}

/// Options for a [`Deduper`], mirroring the command line. Start from
/// [`Deduper::builder`]; every option starts at the command line's default, and
/// [`Builder::build`] checks them.
///
/// | setter | command-line flag | default |
/// |---|---|---|
/// | [`threshold`](Builder::threshold) | `-t, --threshold T` | `0.9` |
/// | [`metric`](Builder::metric) | `-m, --metric M` | [`Metric::Levenshtein`] |
/// | [`linkage`](Builder::linkage) | `--linkage L` | [`Linkage::Centre`] |
/// | [`canonical`](Builder::canonical) | `--canonical C` | [`Canonical::MostFrequent`] |
/// | [`boilerplate`](Builder::boilerplate) | `--boilerplate B` | [`BoilerplateMode::Auto`] |
/// | [`boilerplate_min`](Builder::boilerplate_min) | `--boilerplate-min N` | `2` |
/// | [`keep_credits`](Builder::keep_credits) | `--keep-credits` | `false` |
/// | [`learn_credits`](Builder::learn_credits) | `--learn-credits auto\|off` | `true` (`auto`) |
/// | [`learn_credits_min`](Builder::learn_credits_min) | `--learn-credits-min N` | `3` |
/// | [`credit_pattern`](Builder::credit_pattern) (repeatable) | `--credit-pattern REGEX` | none |
/// | [`credited_only`](Builder::credited_only) | `--credited-only` | `false` |
/// | [`exhaustive`](Builder::exhaustive) | `--exhaustive` | `false` |
///
/// `-j, --threads N` has no setter: the work runs on rayon's global pool (or the pool a call
/// is [`install`](https://docs.rs/rayon/latest/rayon/struct.ThreadPool.html#method.install)ed
/// in); the result is the same for any number of threads.
///
/// ```
/// use capdedup::{BoilerplateMode, Canonical, Deduper, Linkage, Metric};
/// let deduper = Deduper::builder()
///     .threshold(0.85)
///     .metric(Metric::Osa)
///     .linkage(Linkage::Single)
///     .canonical(Canonical::Longest)
///     .boilerplate(BoilerplateMode::Keep)
///     .credit_pattern(r"\s*\[[A-Z]+ PICTURES\]$")
///     .build()?;
/// let report = deduper.cluster_texts(["A tiger yawns in the zoo. [WENN PICTURES]", "A tiger yawns in the zoo"]);
/// assert_eq!(report.clusters[0].caption, "A tiger yawns in the zoo.");
/// assert!(Deduper::builder().threshold(1.5).build().is_err());
/// # Ok::<(), capdedup::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    threshold: f64,
    metric: Metric,
    linkage: Linkage,
    canonical: Canonical,
    boilerplate: BoilerplateMode,
    boilerplate_min: usize,
    keep_credits: bool,
    learn_credits: bool,
    learn_credits_min: usize,
    credit_patterns: Vec<String>,
    credited_only: bool,
    exhaustive: bool,
    veto: Veto,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            threshold: 0.9,
            metric: Metric::Levenshtein,
            linkage: Linkage::Centre,
            canonical: Canonical::MostFrequent,
            boilerplate: BoilerplateMode::Auto,
            boilerplate_min: 2,
            keep_credits: false,
            learn_credits: true,
            learn_credits_min: 3,
            credit_patterns: Vec::new(),
            credited_only: false,
            exhaustive: false,
            veto: Veto::Facts,
        }
    }
}

impl Builder {
    /// Similarity at or above which two captions are near-identical, from 0 to 1 (`--threshold`, default 0.9).
    pub fn threshold(mut self, threshold: f64) -> Self {
        self.threshold = threshold;
        self
    }
    /// The similarity metric (`--metric`, default [`Metric::Levenshtein`]).
    pub fn metric(mut self, metric: Metric) -> Self {
        self.metric = metric;
        self
    }
    /// Centre clustering or single linkage (`--linkage`, default [`Linkage::Centre`]).
    pub fn linkage(mut self, linkage: Linkage) -> Self {
        self.linkage = linkage;
        self
    }
    /// Which caption stands for a cluster (`--canonical`, default [`Canonical::MostFrequent`]).
    pub fn canonical(mut self, canonical: Canonical) -> Self {
        self.canonical = canonical;
        self
    }
    /// Boilerplate handling (`--boilerplate`, default [`BoilerplateMode::Auto`]).
    pub fn boilerplate(mut self, mode: BoilerplateMode) -> Self {
        self.boilerplate = mode;
        self
    }
    /// In how many captions with different other text a sentence must recur to be
    /// boilerplate (`--boilerplate-min`, default 2, at least 2).
    pub fn boilerplate_min(mut self, captions: usize) -> Self {
        self.boilerplate_min = captions;
        self
    }
    /// Keep credits in the caption instead of stripping them (`--keep-credits`, default
    /// false): captions are only tidied (whitespace).
    pub fn keep_credits(mut self, keep: bool) -> Self {
        self.keep_credits = keep;
        self
    }
    /// Learn repeated credit lines from the input (`--learn-credits auto`, default true): see
    /// [`LearnedCredits`].
    pub fn learn_credits(mut self, learn: bool) -> Self {
        self.learn_credits = learn;
        self
    }

    /// On how many captions (whose other text differs) a segment must recur to be learned as a
    /// credit line (`--learn-credits-min`, default 3; at least 2).
    pub fn learn_credits_min(mut self, captions: usize) -> Self {
        self.learn_credits_min = captions;
        self
    }

    /// Adds a regular expression (Rust `regex` syntax) whose matches are removed as credits,
    /// wherever they match; anchor it with `$` to strip only at the end (`--credit-pattern`,
    /// repeatable; none by default). [`Builder::build`] fails on an invalid pattern.
    pub fn credit_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.credit_patterns.push(pattern.into());
        self
    }
    /// Cluster only records that carry a credit (`--credited-only`, default false): feed a
    /// raw page (article text and captions mixed) as it is.
    pub fn credited_only(mut self, only: bool) -> Self {
        self.credited_only = only;
        self
    }

    /// Compare every pair of distinct captions (of compatible lengths) instead of the
    /// candidate index (`--exhaustive`, default false): the exact answer, in quadratic time.
    pub fn exhaustive(mut self, exhaustive: bool) -> Self {
        self.exhaustive = exhaustive;
        self
    }

    /// Which differences of fact keep near-identical captions apart (`--veto`, default
    /// [`Veto::Facts`]: numbers, dates and content words must agree; see [`crate::facts`]).
    pub fn veto(mut self, veto: Veto) -> Self {
        self.veto = veto;
        self
    }

    /// Checks the options and compiles the credit patterns.
    ///
    /// # Errors
    /// A threshold outside `0..=1`, a `boilerplate_min` below 2, or an invalid credit pattern.
    pub fn build(self) -> Result<Deduper> {
        if !(0.0..=1.0).contains(&self.threshold) {
            return Err(Error::new(ErrorKind::InvalidOption(format!(
                "threshold {} is out of range (expected a number from 0 to 1)",
                self.threshold
            ))));
        }
        if self.boilerplate_min < 2 {
            return Err(Error::new(ErrorKind::InvalidOption(format!(
                "boilerplate-min {} is too small (a sentence must recur in at least 2 captions)",
                self.boilerplate_min
            ))));
        }
        if self.learn_credits_min < 2 {
            return Err(Error::new(ErrorKind::InvalidOption(format!(
                "learn-credits-min {} is too small (a credit line must recur on at least 2 captions)",
                self.learn_credits_min
            ))));
        }
        let stripper = CreditStripper::new(&self.credit_patterns, !self.keep_credits)?;
        Ok(Deduper {
            options: self,
            stripper,
        })
    }
}

/// A configured deduplicator: strips captions and clusters records.
///
/// ```
/// use capdedup::{Deduper, Metric};
/// let deduper = Deduper::builder().threshold(0.8).metric(Metric::Levenshtein).build()?;
/// let report = deduper.cluster_texts(["A cat sleeps. (AP Photo)", "A cat sleeps!", "A dog barks."]);
/// assert_eq!(report.clusters.len(), 2);
/// assert_eq!(report.clusters[0].count, 2);
/// # Ok::<(), capdedup::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Deduper {
    options: Builder,
    stripper: CreditStripper,
}

impl Deduper {
    /// Options with the command line's defaults.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Strips one caption: the caption as users see it, and the credit it carried.
    pub fn strip(&self, text: &str) -> Stripped {
        self.stripper.strip(text)
    }

    /// Like [`Deduper::strip`], and says what removed each piece (see [`Removed`]).
    pub fn strip_audited(&self, text: &str) -> (Stripped, Vec<Removed>) {
        self.stripper.strip_audited(text)
    }

    /// Learns the repeated credit lines of `captions` (already stripped by [`Deduper::strip`]),
    /// as clustering does; none when learning is off or credits are kept.
    pub fn learn<'a>(&self, captions: impl IntoIterator<Item = &'a str>) -> LearnedCredits {
        if !self.options.learn_credits || self.options.keep_credits {
            return LearnedCredits::default();
        }
        LearnedCredits::learn(captions, self.options.learn_credits_min)
    }

    /// Strips learned credit lines off a stripped record: its caption loses them and its credit
    /// gains them.
    pub fn strip_learned(&self, learned: &LearnedCredits, stripped: Stripped) -> Stripped {
        match learned.strip(&stripped.caption) {
            None => stripped,
            Some((caption, line)) => Stripped {
                caption,
                credit: Some(join_credit(stripped.credit.as_deref(), &line)),
            },
        }
    }

    /// A learner for credit lines fed one stripped caption at a time (`strip`, which streams):
    /// `None` when learning is off or credits are kept. Its answer is [`Deduper::learn`]'s on
    /// the same captions.
    pub fn learner(&self) -> Option<Learner> {
        (self.options.learn_credits && !self.options.keep_credits)
            .then(|| Learner::new(self.options.learn_credits_min))
    }

    /// [`Deduper::strip_learned`] for an audited record: the learned lines removed are listed
    /// as `learned`.
    pub fn strip_learned_audited(
        &self,
        learned: &LearnedCredits,
        (stripped, mut removed): (Stripped, Vec<Removed>),
    ) -> (Stripped, Vec<Removed>) {
        match learned.strip(&stripped.caption) {
            None => (stripped, removed),
            Some((caption, line)) => {
                removed.push(Removed {
                    text: line.clone(),
                    by: "learned",
                });
                let credit = Some(join_credit(stripped.credit.as_deref(), &line));
                (Stripped { caption, credit }, removed)
            }
        }
    }

    /// Whether a stripped record is kept under `--credited-only`.
    pub fn selects(&self, stripped: &Stripped) -> bool {
        !self.options.credited_only || stripped.credit.is_some()
    }

    /// Starts collecting records; push them, then call [`Collector::finish`].
    pub fn collector(&self) -> Collector<'_> {
        Collector {
            deduper: self,
            files: Vec::new(),
            file_ids: HashMap::new(),
            variants: Vec::new(),
            variant_ids: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
            members: Vec::new(),
            credits: HashMap::new(),
            records_read: 0,
            skipped: Vec::new(),
            pending: None,
        }
    }

    /// Clusters in-memory captions; members are reported as file `-`, line = position + 1.
    pub fn cluster_texts<I, S>(&self, texts: I) -> Report
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut c = self.collector();
        for (i, t) in texts.into_iter().enumerate() {
            c.push("-", i as u64 + 1, t.as_ref());
        }
        c.finish()
    }
}

/// One caption of an [`Explanation`]: what normalisation made of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// The caption as given.
    pub caption: String,
    /// The caption with its credit removed, whitespace tidied.
    pub stripped: String,
    /// The credit removed, if any.
    pub credit: Option<String>,
    /// Boilerplate sentences set aside (found across the two captions, as `cluster` would on
    /// an input of just these two).
    pub boilerplate: Vec<String>,
    /// The comparison key the metric scores.
    pub key: String,
    /// The facts of the key that the veto compares.
    pub facts: Facts,
}

/// What became of a pair of captions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// The same comparison key, or a similarity at or above the threshold and no veto.
    Merge,
    /// The similarity is below the threshold.
    BelowThreshold,
    /// Similar enough, but the captions differ in a fact the veto counts.
    Vetoed,
    /// One record is only a credit (nothing left once it came off), and the other is not the
    /// same credit: credit-only records merge only with records of the same credit.
    CreditOnly,
}

/// Why two captions merge or not: [`Deduper::explain`]. Serializes to the JSON of
/// `capdedup explain --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The JSON contract version, as for `cluster` ([`JSON_VERSION`]).
    pub version: u32,
    /// The threshold of the decision.
    pub threshold: f64,
    /// The metric of the similarity.
    pub metric: Metric,
    /// The veto mode.
    pub veto: Veto,
    /// The first caption.
    pub a: Side,
    /// The second caption.
    pub b: Side,
    /// The similarity of the two keys (1 when they are equal).
    pub similarity: f64,
    /// The first difference of fact the veto counts, if any (also reported below the
    /// threshold, and `null` when the keys are equal: exact duplicates are never vetoed).
    pub difference: Option<Difference>,
    /// The decision.
    pub decision: Decision,
}

impl Deduper {
    /// Explains the decision for two captions: both keys, the credits and boilerplate set
    /// aside, the similarity, the facts veto and the outcome, with this deduper's options.
    ///
    /// ```
    /// use capdedup::{Decision, Deduper};
    /// let d = Deduper::builder().build()?;
    /// let e = d.explain(
    ///     "A street musician plays a guitar outside the Louvre in Paris. (AP Photo)",
    ///     "A street musician plays a flute outside the Louvre in Paris.",
    /// );
    /// assert_eq!(e.a.credit.as_deref(), Some("(AP Photo)"));
    /// assert!(e.similarity >= 0.9);
    /// assert_eq!(e.decision, Decision::Vetoed);
    /// assert_eq!(e.difference.unwrap().to_string(), r#"content word "guitar" vs "flute""#);
    /// # Ok::<(), capdedup::Error>(())
    /// ```
    pub fn explain(&self, a: &str, b: &str) -> Explanation {
        let opts = &self.options;
        let (sa, sb) = (self.strip(a), self.strip(b));
        let boilerplate = match opts.boilerplate {
            BoilerplateMode::Auto => Boilerplate::detect(
                [sa.caption.as_str(), sb.caption.as_str()],
                opts.boilerplate_min,
            ),
            BoilerplateMode::Keep => Boilerplate::none(),
        };
        let side = |given: &str, s: Stripped| {
            let (key, removed) = boilerplate.key_of(&s.caption);
            let boilerplate = removed.into_iter().map(str::to_owned).collect();
            Side {
                caption: given.to_owned(),
                facts: Facts::of(&key),
                key,
                boilerplate,
                stripped: s.caption,
                credit: s.credit,
            }
        };
        let (a, b) = (side(a, sa), side(b, sb));
        // A record that is only a credit is the same as another only if their credits are,
        // and never near another (as in clustering).
        let credit_only = |s: &Side| s.stripped.is_empty() && s.credit.is_some();
        let (ca, cb) = (credit_only(&a), credit_only(&b));
        let same = if ca || cb {
            ca && cb
                && a.credit.as_deref().map(credit_identity)
                    == b.credit.as_deref().map(credit_identity)
        } else {
            a.key == b.key
        };
        let similarity = if same {
            1.0
        } else if ca || cb {
            0.0
        } else {
            opts.metric.similarity(&a.key, &b.key)
        };
        let difference = if same {
            None
        } else {
            a.facts.verdict(&b.facts, opts.veto)
        };
        let decision = if same {
            Decision::Merge
        } else if ca || cb {
            Decision::CreditOnly
        } else if similarity < opts.threshold {
            Decision::BelowThreshold
        } else if difference.is_some() {
            Decision::Vetoed
        } else {
            Decision::Merge
        };
        Explanation {
            version: JSON_VERSION,
            threshold: opts.threshold,
            metric: opts.metric,
            veto: opts.veto,
            a,
            b,
            similarity,
            difference,
            decision,
        }
    }
}

/// One distinct caption as written (after credit stripping).
#[derive(Debug)]
struct Variant {
    /// The caption; for a credit-only record (nothing left once its credit came off), its
    /// credit's [`credit_identity`], so that records of different credits stay apart and
    /// those of the same credit, however labelled, come together.
    text: String,
    /// The record was all credit: `text` is the credit and the caption is empty.
    credit_only: bool,
    count: u64,
    /// The first record that carried it: `(file id, line)`.
    first: (u32, u64),
}

/// One record: its variant, file and line.
#[derive(Debug, Clone, Copy)]
struct Record {
    variant: u32,
    file: u32,
    line: u64,
}

/// Accumulates records (holding distinct captions, not every line) and clusters them.
#[derive(Debug)]
pub struct Collector<'a> {
    deduper: &'a Deduper,
    files: Vec<Arc<str>>,
    file_ids: HashMap<Arc<str>, u32>,
    variants: Vec<Variant>,
    /// Variant ids with the hash of their text: each caption is stored once, in its variant.
    variant_ids: HashTable<(u64, u32)>,
    hasher: DefaultHashBuilder,
    /// Every record kept, in the order pushed.
    members: Vec<Record>,
    /// Credits removed, counted per variant.
    credits: HashMap<(u32, String), u64>,
    records_read: u64,
    /// Positions (among the records pushed) of the records `credited_only` left out.
    skipped: Vec<u64>,
    /// The last batch, stripped but not yet added: it is added while the next one is
    /// stripped (see [`Collector::push_batch`]).
    pending: Option<Batch>,
}

/// Stripped records of one file waiting to be added: `(line, stripped, hash of the caption)`.
#[derive(Debug)]
struct Batch {
    file: u32,
    records: Vec<(u64, Stripped, u64)>,
}

impl Collector<'_> {
    /// Adds one record: its file (as the user named it), its 1-based line and its text.
    /// Returns what stripping did, so callers can report it.
    pub fn push(&mut self, file: &str, line: u64, text: &str) -> Stripped {
        let stripped = self.deduper.strip(text);
        if self.deduper.selects(&stripped) {
            self.push_stripped(file, line, &stripped);
        } else {
            self.skipped.push(self.records_read);
            self.records_read += 1;
        }
        stripped
    }

    /// Adds many records of one file at once, stripping them on all cores. Equivalent to
    /// calling [`Collector::push`] for each `(line, text)` in order.
    ///
    /// The batch is stripped while the previous one is added to the collection (adding is
    /// sequential), so a stream of batches keeps every core busy.
    pub fn push_batch<S: AsRef<str> + Sync>(&mut self, file: &str, records: &[(u64, S)]) {
        let deduper = self.deduper;
        let hasher = self.hasher;
        let file = self.file_id(file);
        let pending = self.pending.take();
        let (stripped, ()) = rayon::join(
            || {
                records
                    .par_iter()
                    .with_min_len(64)
                    .map(|(line, text)| {
                        let s = deduper.strip(text.as_ref());
                        deduper.selects(&s).then(|| {
                            let hash = identity_hash(&hasher, &s);
                            (*line, s, hash)
                        })
                    })
                    .collect::<Vec<_>>()
            },
            || self.add_batch(pending),
        );
        // Which records were left out is kept, so that every record read has a place in
        // `Report::assignments` (almost always none are).
        let first = self.records_read;
        let stripped: Vec<(u64, Stripped, u64)> = if stripped.iter().all(Option::is_some) {
            stripped.into_iter().flatten().collect()
        } else {
            let skipped = &mut self.skipped;
            stripped
                .into_iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    if r.is_none() {
                        skipped.push(first + i as u64);
                    }
                    r
                })
                .collect()
        };
        self.records_read += records.len() as u64;
        self.pending = Some(Batch {
            file,
            records: stripped,
        });
    }

    /// Adds the records of `batch`, if any, in order.
    fn add_batch(&mut self, batch: Option<Batch>) {
        if let Some(Batch { file, records }) = batch {
            for (line, s, hash) in records {
                self.add(file, line, s, hash);
            }
        }
    }

    /// Adds a record that was already stripped with this deduper's [`Deduper::strip`]
    /// (and selected with [`Deduper::selects`]); it counts as a record read.
    pub fn push_stripped(&mut self, file: &str, line: u64, stripped: &Stripped) {
        self.records_read += 1;
        let pending = self.pending.take();
        self.add_batch(pending);
        let file_id = self.file_id(file);
        let hash = identity_hash(&self.hasher, stripped);
        self.add(file_id, line, stripped.clone(), hash);
    }

    fn file_id(&mut self, file: &str) -> u32 {
        match self.files.last() {
            Some(last) if &**last == file => self.files.len() as u32 - 1,
            _ => match self.file_ids.get(file) {
                Some(&id) => id,
                None => {
                    let name: Arc<str> = Arc::from(file);
                    let id = self.files.len() as u32;
                    self.files.push(name.clone());
                    self.file_ids.insert(name, id);
                    id
                }
            },
        }
    }

    /// Adds a record whose caption hashes to `hash` under `self.hasher`.
    fn add(&mut self, file: u32, line: u64, stripped: Stripped, hash: u64) {
        let Stripped { caption, credit } = stripped;
        // A record that is only a credit is told apart by its credit (see `Variant::text`).
        let credit_only = caption.is_empty() && credit.is_some();
        let text = if credit_only {
            credit_identity(credit.as_deref().unwrap_or_default())
        } else {
            caption
        };
        let id = intern(
            &mut self.variant_ids,
            &mut self.variants,
            hash,
            text,
            |v, t| v.credit_only == credit_only && v.text == t,
            |text| Variant {
                text,
                credit_only,
                count: 0,
                first: (file, line),
            },
        );
        self.variants[id as usize].count += 1;
        self.members.push(Record {
            variant: id,
            file,
            line,
        });
        if let Some(credit) = credit {
            *self.credits.entry((id, credit)).or_insert(0) += 1;
        }
    }

    /// Records pushed so far (before `--credited-only` selection).
    pub fn records_read(&self) -> u64 {
        self.records_read
    }

    /// Clusters everything pushed and builds the report.
    pub fn finish(self) -> Report {
        self.finish_with(&NoProgress)
    }

    /// Like [`Collector::finish`], reporting the long phases to `progress`.
    pub fn finish_with(mut self, progress: &dyn Progress) -> Report {
        let pending = self.pending.take();
        self.add_batch(pending);
        // The lookup from caption to variant is no longer needed.
        self.variant_ids = HashTable::new();
        progress.phase("learning credits", 0);
        let learned = self.learn_credits();
        let opts = &self.deduper.options;
        progress.phase("boilerplate", 0);
        let boilerplate = match opts.boilerplate {
            BoilerplateMode::Auto => Boilerplate::detect(
                self.variants
                    .iter()
                    .filter(|v| !v.credit_only)
                    .map(|v| v.text.as_str()),
                opts.boilerplate_min,
            ),
            BoilerplateMode::Keep => Boilerplate::none(),
        };

        // Exact collapse on the comparison key.
        progress.phase("folding", 0);
        // Keys are folded on all cores a chunk at a time, while the chunk before is interned
        // (in variant order, on one core).
        let hasher = &self.hasher;
        let variants = &self.variants;
        let fold = |chunk: std::ops::Range<usize>| -> Vec<Folded<'_>> {
            variants[chunk]
                .par_iter()
                .map(|v| {
                    let (key, removed) = if v.credit_only {
                        credit_only_key(&v.text)
                    } else {
                        boilerplate.key_of(&v.text)
                    };
                    let hash = hasher.hash_one(key.as_str());
                    let len = key.chars().count();
                    (key, removed, hash, len)
                })
                .collect()
        };
        let mut keys: Vec<Key> = Vec::new();
        let mut key_ids: HashTable<(u64, u32)> = HashTable::with_capacity(variants.len());
        let mut boiler_counts: HashMap<&str, u64> = HashMap::new();
        let mut variant_key: Vec<u32> = Vec::with_capacity(variants.len());
        const FOLD_CHUNK: usize = 1 << 16;
        let mut chunks = (0..variants.len())
            .step_by(FOLD_CHUNK)
            .map(|at| at..(at + FOLD_CHUNK).min(variants.len()));
        let mut pending = chunks.next().map(|c| (c.clone(), fold(c)));
        while let Some((chunk, folded)) = pending.take() {
            let next = chunks.next();
            let (next, ()) = rayon::join(
                || next.map(|c| (c.clone(), fold(c))),
                || {
                    for (v, (key, removed, hash, len)) in variants[chunk].iter().zip(folded) {
                        for s in removed {
                            *boiler_counts.entry(s).or_insert(0) += v.count;
                        }
                        let kid = intern(
                            &mut key_ids,
                            &mut keys,
                            hash,
                            key,
                            |k, t| k.text == t,
                            |text| Key {
                                len,
                                text,
                                count: 0,
                            },
                        );
                        keys[kid as usize].count += v.count;
                        variant_key.push(kid);
                    }
                },
            );
            pending = next;
        }
        drop(key_ids);
        let boilerplate = counted(fold_written_forms(boiler_counts));
        let key_variants = Csr::group(keys.len(), variant_key.iter().map(|&k| k as usize));

        let key_refs: Vec<KeyRef<'_>> = keys.iter().map(Key::as_ref).collect();
        let (mut edges, stats) = similar_pairs(
            &key_refs,
            opts.metric,
            opts.threshold,
            opts.exhaustive,
            opts.veto,
            progress,
        );
        // Credit-only records are the same only if their credits are: their keys take part in
        // the exact collapse only, never in a near-duplicate edge.
        if keys.iter().any(|k| k.text.starts_with(CREDIT_ONLY)) {
            edges.retain(|&(a, b)| {
                !keys[a as usize].text.starts_with(CREDIT_ONLY)
                    && !keys[b as usize].text.starts_with(CREDIT_ONLY)
            });
        }
        progress.phase("linking", 0);
        let groups = Csr::flatten(link(&key_refs, &edges, opts.linkage));
        drop(edges);
        progress.phase("reporting", 0);

        // Per group, in parallel: the canonical variant and the lowest similarity to it.
        let shape: Vec<(u32, f64)> = groups
            .par_rows()
            .map(|group| self.canonical(&keys, &key_variants, &variant_key, group))
            .collect();
        drop(key_refs);
        let variant_members = Csr::group(
            self.variants.len(),
            self.members.iter().map(|r| r.variant as usize),
        );
        let mut variant_credits: Vec<Vec<(String, u64)>> = Vec::new();
        if !self.credits.is_empty() {
            variant_credits.resize_with(self.variants.len(), Vec::new);
            for ((v, credit), n) in std::mem::take(&mut self.credits) {
                variant_credits[v as usize].push((credit, n));
            }
        }
        progress.phase("ordering", 0);
        // Clusters come most frequent first, then by caption, then by first record (each
        // record is in one cluster, so the order is total). Sorting the groups before the
        // clusters exist moves indices, not clusters; the first sixteen bytes of a caption
        // decide most comparisons without touching the text.
        let variants = &self.variants;
        let mut order: Vec<ClusterRank<'_>> = groups
            .par_rows()
            .zip(&shape)
            .enumerate()
            .map(|(g, (group, &(canonical, _)))| {
                let count: u64 = group.iter().map(|&k| keys[k].count).sum();
                let caption = variants[canonical as usize].text.as_str();
                let mut prefix = [0u8; 16];
                let n = caption.len().min(16);
                prefix[..n].copy_from_slice(&caption.as_bytes()[..n]);
                let first = group
                    .iter()
                    .flat_map(|&k| key_variants.row(k))
                    .map(|&v| variants[v as usize].first)
                    .min()
                    .expect("clusters are never empty");
                (
                    std::cmp::Reverse(count),
                    u128::from_be_bytes(prefix),
                    caption,
                    first,
                    g as u32,
                )
            })
            .collect();
        order.par_sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| a.2.cmp(b.2))
                .then(a.3.cmp(&b.3))
        });
        // Only the places are needed from here on.
        let order: Vec<u32> = order.into_iter().map(|(_, _, _, _, g)| g).collect();
        // Each record's cluster (its place in report order), for `Report::assignments`:
        // four bytes a record.
        let record_clusters: Vec<u32> = {
            let mut place = vec![0u32; order.len()];
            for (pos, &g) in order.iter().enumerate() {
                place[g as usize] = pos as u32;
            }
            let mut key_cluster = vec![0u32; keys.len()];
            for (g, group) in groups.rows().enumerate() {
                for &k in group {
                    key_cluster[k] = place[g];
                }
            }
            self.members
                .par_iter()
                .map(|r| key_cluster[variant_key[r.variant as usize] as usize])
                .collect()
        };
        progress.phase("assembling", 0);
        // On all cores, in the order the groups were formed, which follows the order keys
        // and captions were stored in (built in report order, every cluster would read from
        // a random place); then swapped into report order. The texts move into the
        // clusters: taken out of the variants and keys in one pass in group order, each
        // group is handed its own slice of them.
        let mut texts: Vec<VariantTexts> = Vec::with_capacity(self.variants.len());
        let mut sizes: Vec<usize> = Vec::with_capacity(groups.len());
        for group in groups.rows() {
            let before = texts.len();
            for &k in group {
                let mut key = std::mem::take(&mut keys[k].text);
                let row = key_variants.row(k);
                for (i, &v) in row.iter().enumerate() {
                    let variant = &mut self.variants[v as usize];
                    // A credit-only record's caption is empty; its credit is in `credits`.
                    let text = if variant.credit_only {
                        String::new()
                    } else {
                        std::mem::take(&mut variant.text)
                    };
                    let key = if i + 1 == row.len() {
                        std::mem::take(&mut key)
                    } else {
                        key.clone()
                    };
                    let credits = variant_credits
                        .get_mut(v as usize)
                        .map(std::mem::take)
                        .unwrap_or_default();
                    texts.push((text, key, credits));
                }
            }
            sizes.push(texts.len() - before);
        }
        let mut slices: Vec<&mut [VariantTexts]> = Vec::with_capacity(groups.len());
        let mut rest = texts.as_mut_slice();
        for &n in &sizes {
            let (head, tail) = rest.split_at_mut(n);
            slices.push(head);
            rest = tail;
        }
        drop(sizes);
        let mut clusters: Vec<Cluster> = slices
            .into_par_iter()
            .zip(groups.par_rows())
            .zip(&shape)
            .map(|((slice, group), &(canonical, min_similarity))| {
                let mut variants: Vec<GroupVariant> = Vec::with_capacity(slice.len());
                let mut variant_keys: Vec<String> = Vec::with_capacity(slice.len());
                let mut taken = slice.iter_mut();
                for &k in group {
                    for &v in key_variants.row(k) {
                        let (text, key, credits) =
                            std::mem::take(taken.next().expect("a text per variant"));
                        variants.push((v, text, self.variants[v as usize].count, credits));
                        variant_keys.push(key);
                    }
                }
                self.assemble(
                    variants,
                    variant_keys,
                    canonical,
                    min_similarity,
                    &variant_members,
                )
            })
            .collect();
        drop(texts);
        permute(&mut clusters, order);
        let records = self.members.len() as u64;
        // Millions of small allocations are freed on a worker thread while the caller goes
        // on to write the report (on a million captions, a few tenths of a second).
        let garbage = (
            groups,
            keys,
            std::mem::take(&mut self.variants),
            std::mem::take(&mut self.members),
            variant_members,
            key_variants,
        );
        rayon::spawn(move || drop(garbage));

        Report {
            version: JSON_VERSION,
            threshold: opts.threshold,
            metric: opts.metric,
            veto: opts.veto,
            linkage: opts.linkage,
            records_read: self.records_read,
            records,
            clusters,
            boilerplate,
            learned_credits: learned.lines().to_vec(),
            search: Search {
                exhaustive: stats.exhaustive,
                pairs_verified: stats.verified,
                pairs_similar: stats.similar,
                pairs_vetoed: stats.vetoed,
            },
            record_clusters,
            records_left_out: std::mem::take(&mut self.skipped),
        }
    }

    /// Learns the repeated credit lines of the distinct captions and strips them: variants that
    /// become equal merge, and their records' credits gain the line.
    fn learn_credits(&mut self) -> LearnedCredits {
        let captions = || {
            self.variants
                .iter()
                .filter(|v| !v.credit_only)
                .map(|v| v.text.as_str())
        };
        let mut learned = self.deduper.learn(captions());
        if learned.is_empty() {
            return learned;
        }
        learned.count(captions());
        let cuts: Vec<Option<(String, String)>> = self
            .variants
            .par_iter()
            .map(|v| (!v.credit_only).then(|| learned.strip(&v.text)).flatten())
            .collect();
        if cuts.iter().all(Option::is_none) {
            return learned;
        }
        let old = std::mem::take(&mut self.variants);
        let mut table: HashTable<(u64, u32)> = HashTable::with_capacity(old.len());
        let mut remap: Vec<u32> = Vec::with_capacity(old.len());
        let mut added: Vec<Option<String>> = Vec::with_capacity(old.len());
        let mut uncredited: Vec<u64> = old.iter().map(|v| v.count).collect();
        for ((v, _), n) in &self.credits {
            uncredited[*v as usize] -= n;
        }
        for (v, cut) in old.into_iter().zip(cuts) {
            let (text, line) = match cut {
                Some((caption, line)) => (caption, Some(line)),
                None => (v.text, None),
            };
            let credit_only = v.credit_only;
            let hash = if credit_only {
                self.hasher.hash_one((CREDIT_ONLY, text.as_str()))
            } else {
                self.hasher.hash_one(text.as_str())
            };
            let id = intern(
                &mut table,
                &mut self.variants,
                hash,
                text,
                |w, t| w.credit_only == credit_only && w.text == t,
                |text| Variant {
                    text,
                    credit_only,
                    count: 0,
                    first: v.first,
                },
            );
            let merged = &mut self.variants[id as usize];
            merged.count += v.count;
            merged.first = merged.first.min(v.first);
            remap.push(id);
            added.push(line);
        }
        for r in &mut self.members {
            r.variant = remap[r.variant as usize];
        }
        let mut credits: HashMap<(u32, String), u64> = HashMap::new();
        for ((v, credit), n) in std::mem::take(&mut self.credits) {
            let credit = match &added[v as usize] {
                Some(line) => join_credit(Some(&credit), line),
                None => credit,
            };
            *credits.entry((remap[v as usize], credit)).or_insert(0) += n;
        }
        for (v, line) in added.into_iter().enumerate() {
            if let Some(line) = line {
                if uncredited[v] > 0 {
                    *credits.entry((remap[v], line)).or_insert(0) += uncredited[v];
                }
            }
        }
        self.credits = credits;
        learned
    }

    /// The canonical variant of a group of keys, and the lowest similarity of a member key
    /// to the canonical variant's key.
    fn canonical(
        &self,
        keys: &[Key],
        key_variants: &Csr,
        variant_key: &[u32],
        group: &[usize],
    ) -> (u32, f64) {
        let opts = &self.deduper.options;
        let variants = || {
            group
                .iter()
                .flat_map(|&k| key_variants.row(k).iter().copied())
        };
        let by_count_then_text = |a: &u32, b: &u32| {
            let (va, vb) = (&self.variants[*a as usize], &self.variants[*b as usize]);
            vb.count.cmp(&va.count).then_with(|| va.text.cmp(&vb.text))
        };
        let canonical = match opts.canonical {
            Canonical::MostFrequent => {
                // The key first in centre order (the centre under centre linkage), then its
                // most frequent variant.
                let k = *group
                    .iter()
                    .min_by(|&&a, &&b| centre_order(&keys[a].as_ref(), &keys[b].as_ref()))
                    .expect("clusters are never empty");
                key_variants
                    .row(k)
                    .iter()
                    .copied()
                    .min_by(by_count_then_text)
            }
            Canonical::First => variants().min_by_key(|&v| self.variants[v as usize].first),
            Canonical::Longest | Canonical::Shortest => {
                let longest = opts.canonical == Canonical::Longest;
                variants().min_by(|a, b| {
                    let (va, vb) = (&self.variants[*a as usize], &self.variants[*b as usize]);
                    let (la, lb) = (va.text.chars().count(), vb.text.chars().count());
                    let by_len = if longest { lb.cmp(&la) } else { la.cmp(&lb) };
                    by_len.then_with(|| by_count_then_text(a, b))
                })
            }
        }
        .expect("clusters are never empty");
        let canonical_key = variant_key[canonical as usize] as usize;
        let min_similarity = group
            .iter()
            .filter(|&&k| k != canonical_key)
            .map(|&k| {
                opts.metric
                    .similarity(&keys[canonical_key].text, &keys[k].text)
            })
            .fold(1.0_f64, f64::min);
        (canonical, min_similarity)
    }

    /// One cluster from its variants `(id, text, count)` (texts moved out of the collector)
    /// and their comparison keys.
    fn assemble(
        &self,
        mut variants: Vec<GroupVariant>,
        variant_keys: Vec<String>,
        canonical: u32,
        min_similarity: f64,
        variant_members: &Csr,
    ) -> Cluster {
        if variants.len() == 1 {
            // Most clusters: one caption as written. Nothing to order or merge.
            let (v, text, n, credits) = variants.pop().expect("one variant");
            let row = variant_members.row(v as usize);
            let at = |r: u32| {
                let r = self.members[r as usize];
                (r.file, r.line)
            };
            let mut members: Vec<(u32, u64)> = Vec::new();
            let in_order = row.windows(2).all(|w| at(w[0]) <= at(w[1]));
            if !in_order {
                members.extend(row.iter().map(|&r| at(r)));
                members.sort_unstable();
            }
            let member = |(f, line): (u32, u64)| Member {
                file: self.files[f as usize].clone(),
                line,
            };
            let members: Vec<Member> = if in_order {
                row.iter().map(|&r| member(at(r))).collect()
            } else {
                members.into_iter().map(member).collect()
            };
            let credits = counted(credits);
            return Cluster {
                caption: text.clone(),
                count: n,
                member_variants: vec![0; members.len()],
                members,
                variants: vec![Counted { text, count: n }],
                variant_keys,
                credits,
                min_similarity,
            };
        }
        // Variants most frequent first, then by text; keys follow their variant.
        let mut order: Vec<usize> = (0..variants.len()).collect();
        if order.len() > 1 {
            order.sort_by(|&a, &b| {
                variants[b]
                    .2
                    .cmp(&variants[a].2)
                    .then_with(|| variants[a].1.cmp(&variants[b].1))
            });
        }
        let mut caption = String::new();
        let mut count = 0;
        // (file, line, record, variant): records on the same line (elements of a JSON
        // array) stay in the order pushed, as `Report::assignments` expects.
        let mut members: Vec<(u32, u64, u32, u32)> = Vec::new();
        let mut credits: HashMap<String, u64> = HashMap::new();
        for (pos, &i) in order.iter().enumerate() {
            for (c, n) in std::mem::take(&mut variants[i].3) {
                *credits.entry(c).or_insert(0) += n;
            }
            let (v, ref text, n, _) = variants[i];
            if v == canonical {
                caption.clone_from(text);
            }
            count += n;
            members.extend(variant_members.row(v as usize).iter().map(|&r| {
                let rec = self.members[r as usize];
                (rec.file, rec.line, r, pos as u32)
            }));
        }
        if !members.is_sorted() {
            members.sort_unstable();
        }
        let mut keys_in_order = Vec::with_capacity(order.len());
        let mut slots: Vec<Option<(String, String, u64)>> = variants
            .drain(..)
            .zip(variant_keys)
            .map(|((_, text, n, _), key)| Some((text, key, n)))
            .collect();
        let mut variants_counted = Vec::with_capacity(order.len());
        for &i in &order {
            let (text, key, n) = slots[i].take().expect("each variant once");
            variants_counted.push(Counted { text, count: n });
            keys_in_order.push(key);
        }
        Cluster {
            caption,
            count,
            member_variants: members.iter().map(|&(_, _, _, pos)| pos).collect(),
            members: members
                .into_iter()
                .map(|(f, line, _, _)| Member {
                    file: self.files[f as usize].clone(),
                    line,
                })
                .collect(),
            variants: variants_counted,
            variant_keys: keys_in_order,
            credits: counted(credits),
            min_similarity,
        }
    }
}

/// The id of the item of `items` whose text is `text` (which hashes to `hash`), adding
/// `make(text)` when there is none: each text is stored once, in its item, and `table` holds
/// only ids, each beside its text's hash, so that growing the table never reads the texts.
fn intern<T>(
    table: &mut HashTable<(u64, u32)>,
    items: &mut Vec<T>,
    hash: u64,
    text: String,
    same: impl Fn(&T, &str) -> bool,
    make: impl FnOnce(String) -> T,
) -> u32 {
    match table.entry(
        hash,
        |&(h, i)| h == hash && same(&items[i as usize], &text),
        |&(h, _)| h,
    ) {
        hash_table::Entry::Occupied(e) => e.get().1,
        hash_table::Entry::Vacant(e) => {
            let id = items.len() as u32;
            items.push(make(text));
            e.insert((hash, id));
            id
        }
    }
}

/// A record's credit with a learned credit line added.
fn join_credit(credit: Option<&str>, line: &str) -> String {
    match credit {
        Some(c) if !c.is_empty() => format!("{c} {line}"),
        _ => line.to_owned(),
    }
}

/// What opens the comparison key of a credit-only record, before its credit as written: a
/// control character, which folded keys never hold, so no caption's key can equal it.
const CREDIT_ONLY: char = '\u{0}';

/// The comparison key of a credit-only record: [`CREDIT_ONLY`] and its credit's identity.
fn credit_only_key(credit: &str) -> (String, Vec<&str>) {
    let mut key = String::with_capacity(credit.len() + 1);
    key.push(CREDIT_ONLY);
    key.push_str(credit);
    (key, Vec::new())
}

/// The hash a stripped record is interned under: of its caption, or of its credit's identity
/// when the caption is empty (see [`Variant::text`]).
fn identity_hash(hasher: &DefaultHashBuilder, s: &Stripped) -> u64 {
    match (&s.credit, s.caption.is_empty()) {
        (Some(credit), true) => hasher.hash_one((CREDIT_ONLY, credit_identity(credit).as_str())),
        _ => hasher.hash_one(s.caption.as_str()),
    }
}

/// Puts `items[from[p]]` at position `p`, for every `p`, in place (`from` is a permutation):
/// each cycle of the permutation is followed once, with swaps.
fn permute<T>(items: &mut [T], mut from: Vec<u32>) {
    const DONE: u32 = u32::MAX;
    for start in 0..items.len() {
        let mut p = start;
        while from[p] != DONE {
            let s = from[p] as usize;
            from[p] = DONE;
            if s == start {
                break;
            }
            items.swap(p, s);
            p = s;
        }
    }
}

/// What moves from a variant into its cluster: its text, its comparison key and the
/// credits removed from it with their counts.
type VariantTexts = (String, String, Vec<(String, u64)>);

/// A variant of a group as its cluster is assembled: id, text, records, credits.
type GroupVariant = (u32, String, u64, Vec<(String, u64)>);

/// A variant's comparison key, the boilerplate sentences set aside, the key's hash and its
/// length in characters.
type Folded<'a> = (String, Vec<&'a str>, u64, usize);

/// Where a group's cluster comes in the report: count (descending), the first sixteen bytes
/// of its caption, its caption (read only when those tie), its first record `(file, line)`,
/// and the group's index.
type ClusterRank<'a> = (std::cmp::Reverse<u64>, u128, &'a str, (u32, u64), u32);

/// Rows of items in one flat list (compressed rows): a million small lists would be a
/// million allocations to read from and to free. `row(g)` is row `g`.
struct Csr<T = u32> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl Csr {
    /// Positions grouped by a small integer: `row(g)` lists, in increasing order, the
    /// positions `i` whose group was `g`.
    fn group(groups: usize, of: impl Iterator<Item = usize> + Clone) -> Csr {
        let mut start = vec![0u32; groups + 1];
        for g in of.clone() {
            start[g + 1] += 1;
        }
        for g in 0..groups {
            start[g + 1] += start[g];
        }
        let mut fill = start.clone();
        let mut items = vec![0u32; start[groups] as usize];
        for (i, g) in of.enumerate() {
            items[fill[g] as usize] = i as u32;
            fill[g] += 1;
        }
        Csr { start, items }
    }
}

impl<T: Copy + Sync> Csr<T> {
    /// The same rows, flattened; `rows` is freed on another thread.
    fn flatten(rows: Vec<Vec<T>>) -> Csr<T>
    where
        T: Send + 'static,
    {
        let mut start = Vec::with_capacity(rows.len() + 1);
        start.push(0u32);
        let mut items = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        for row in &rows {
            items.extend_from_slice(row);
            start.push(items.len() as u32);
        }
        rayon::spawn(move || drop(rows));
        Csr { start, items }
    }

    fn len(&self) -> usize {
        self.start.len() - 1
    }

    fn row(&self, g: usize) -> &[T] {
        &self.items[self.start[g] as usize..self.start[g + 1] as usize]
    }

    fn rows(&self) -> impl Iterator<Item = &[T]> {
        (0..self.len()).map(|g| self.row(g))
    }

    fn par_rows(&self) -> impl IndexedParallelIterator<Item = &[T]> {
        (0..self.len()).into_par_iter().map(|g| self.row(g))
    }
}

/// Boilerplate sentences are counted per written form; report each folded sentence once,
/// under its most frequent written form, with the total count.
fn fold_written_forms(counts: HashMap<&str, u64>) -> Vec<(&str, u64)> {
    let mut by_key: HashMap<String, (&str, u64, u64)> = HashMap::new();
    for (text, n) in counts {
        let e = by_key
            .entry(crate::normalize::fold_key(text))
            .or_insert((text, 0, 0));
        e.2 += n;
        if n > e.1 || (n == e.1 && text < e.0) {
            e.0 = text;
            e.1 = n;
        }
    }
    by_key
        .into_values()
        .map(|(t, _, total)| (t, total))
        .collect()
}

/// Texts with counts, most frequent first, then by text.
fn counted<S: AsRef<str> + Into<String>>(
    items: impl IntoIterator<Item = (S, u64)>,
) -> Vec<Counted> {
    items
        .into_iter()
        .sorted_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.as_ref().cmp(b.0.as_ref())))
        .map(|(text, count)| Counted {
            text: text.into(),
            count,
        })
        .collect()
}

/// One distinct comparison key.
#[derive(Debug)]
struct Key {
    text: String,
    len: usize,
    count: u64,
}

impl Key {
    fn as_ref(&self) -> KeyRef<'_> {
        KeyRef {
            text: &self.text,
            len: self.len,
            count: self.count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::permute;

    #[test]
    fn permute_puts_each_item_where_the_permutation_says() {
        // Cycles of length 1, 2 and 3, and a fixed point at the end.
        let from = vec![0u32, 2, 1, 5, 3, 4, 6];
        let mut items: Vec<String> = (0..7).map(|i| format!("item {i}")).collect();
        let expected: Vec<String> = from.iter().map(|&f| items[f as usize].clone()).collect();
        permute(&mut items, from);
        assert_eq!(items, expected);
        // Every permutation of four items.
        let mut all = vec![0u32, 1, 2, 3];
        for _ in 0..24 {
            let mut items = vec!['a', 'b', 'c', 'd'];
            let expected: Vec<char> = all.iter().map(|&f| items[f as usize]).collect();
            permute(&mut items, all.clone());
            assert_eq!(items, expected, "{all:?}");
            next_permutation(&mut all);
        }
    }

    fn next_permutation(v: &mut [u32]) {
        let Some(i) = (0..v.len() - 1).rev().find(|&i| v[i] < v[i + 1]) else {
            v.reverse();
            return;
        };
        let j = (i + 1..v.len())
            .rev()
            .find(|&j| v[j] > v[i])
            .expect("a larger item");
        v.swap(i, j);
        v[i + 1..].reverse();
    }
}
