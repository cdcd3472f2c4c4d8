//! The options and the deduplicator: [`Builder`] checks the options of a run and builds a
//! [`Deduper`], which strips captions and explains the decision for a pair
//! ([`Deduper::explain`]); the records of a run are gathered and clustered by a
//! [`Collector`](super::Collector), whose file also holds [`Deduper::collector`].

use itertools::Itertools;
use rayon::prelude::*;
use serde::Serialize;

use crate::cluster::facts::{Difference, Facts, Veto};
use crate::cluster::similarity::Metric;
use std::collections::HashSet;
use std::sync::Arc;

use crate::decisions::Decisions;
use crate::error::{Error, ErrorKind, Result};
use crate::normalize::{
    CreditStripper, LearnedCredits, Learner, NameLearner, Removed, Stripped, credit_identity,
    name_evidence, record_hash,
};
use crate::report::{Canonical, JSON_VERSION, Linkage};
use crate::sentences::Boilerplate;

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
    pub(super) threshold: f64,
    pub(super) metric: Metric,
    pub(super) linkage: Linkage,
    pub(super) canonical: Canonical,
    pub(super) boilerplate: BoilerplateMode,
    pub(super) boilerplate_min: usize,
    pub(super) keep_credits: bool,
    pub(super) learn_credits: bool,
    pub(super) learn_credits_min: usize,
    pub(super) credit_patterns: Vec<String>,
    pub(super) credited_only: bool,
    pub(super) exhaustive: bool,
    pub(super) veto: Veto,
    pub(super) decisions: Option<Arc<Decisions>>,
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
            decisions: None,
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
    /// [`Veto::Facts`]: numbers, dates and content words must agree; see [`crate::cluster::facts`]).
    pub fn veto(mut self, veto: Veto) -> Self {
        self.veto = veto;
        self
    }

    /// Review decisions to honour (`--decisions FILE`, none by default): captions a `split`
    /// names are never in one cluster, captions a `merge` names always are; the report says
    /// which applied ([`Report::decisions`](crate::Report::decisions)). See
    /// [`crate::decisions`].
    ///
    /// ```
    /// use capdedup::decisions::{Decisions, ReviewDecision, Verdict};
    /// use capdedup::Deduper;
    /// let texts = ["A cat sleeps on the sofa.", "A cat sleeps on the sofa!", "A dog barks."];
    /// assert_eq!(capdedup::cluster(texts).clusters.len(), 2);
    /// let split = Decisions::new(vec![ReviewDecision {
    ///     decision: Verdict::Split,
    ///     a: "A cat sleeps on the sofa.".into(),
    ///     b: "A cat sleeps on the sofa!".into(),
    ///     note: None,
    /// }]);
    /// let report = Deduper::builder().decisions(split).build()?.cluster_texts(texts);
    /// assert_eq!(report.clusters.len(), 3);
    /// assert_eq!(report.decisions.unwrap().applied.len(), 1);
    /// # Ok::<(), capdedup::Error>(())
    /// ```
    pub fn decisions(mut self, decisions: Decisions) -> Self {
        self.decisions = Some(Arc::new(decisions));
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
    pub(super) options: Builder,
    pub(super) stripper: CreditStripper,
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

    /// Adds to `learned` the credit names of the input ([`NameLearner`]): `captions` are its
    /// distinct captions and `credits` its records' `(caption, credit)` as
    /// [`Deduper::strip`] left them (any repeats, any order). Nothing is added when learning
    /// is off or credits are kept.
    pub fn learn_names<'a>(
        &self,
        learned: LearnedCredits,
        captions: impl IntoIterator<Item = &'a str>,
        credits: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> LearnedCredits {
        if !self.options.learn_credits || self.options.keep_credits {
            return learned;
        }
        let mut names = NameLearner::new();
        // The credits first: a caption's mentions matter only for the names credited often
        // enough to be learned, so only those are kept (`finish_all` asks about no other).
        for block in &credits.into_iter().chunks(1 << 14) {
            let block: Vec<(&str, &str)> = block.collect();
            let found: Vec<(u64, Vec<(String, String)>)> = block
                .par_iter()
                .map(|(caption, credit)| {
                    let credited = name_evidence("", Some(credit)).credited;
                    (record_hash(caption, credit), credited)
                })
                .collect();
            for (record, credited) in found {
                if !credited.is_empty() {
                    names.add_credited(record, credited);
                }
            }
        }
        let wanted = names.learnable();
        // A caption mentions a wanted name only if one of its words is a word of the name: a
        // look at its words turns down nearly every caption before its runs are built.
        let wanted_words: HashSet<&str> = wanted.iter().flat_map(|k| k.split(' ')).collect();
        let may_mention = |caption: &str| {
            caption.split_whitespace().any(|w| {
                let core = w.trim_matches(|c: char| !c.is_alphanumeric());
                !core.is_empty() && wanted_words.contains(core.to_lowercase().as_str())
            })
        };
        if !wanted.is_empty() {
            // Finding the names a caption mentions is most of the work: it is done on all
            // cores, a block of captions at a time, and gathered in the captions' order.
            for block in &captions.into_iter().chunks(1 << 14) {
                let block: Vec<&str> = block.collect();
                let found: Vec<Vec<String>> = block
                    .par_iter()
                    .filter(|caption| may_mention(caption))
                    .map(|caption| {
                        let mut keys = name_evidence(caption, None).mentioned;
                        keys.retain(|k| wanted.contains(k));
                        keys
                    })
                    .collect();
                for keys in found {
                    names.add_mentioned(keys);
                }
            }
        }
        let (bare, whole) = names.finish_all();
        learned.with_names(bare).with_whole_names(whole)
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
        match learned.strip_pieces(&stripped.caption) {
            None => (stripped, removed),
            Some((caption, pieces)) => {
                let line: Vec<&str> = pieces.iter().map(|(p, _)| p.as_str()).collect();
                let credit = Some(join_credit(stripped.credit.as_deref(), &line.join(" ")));
                removed.extend(pieces.into_iter().map(|(text, by)| Removed { text, by }));
                (Stripped { caption, credit }, removed)
            }
        }
    }

    /// Whether a stripped record is kept under `--credited-only`.
    pub fn selects(&self, stripped: &Stripped) -> bool {
        !self.options.credited_only || stripped.credit.is_some()
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

/// A record's credit with a learned credit line added.
pub(super) fn join_credit(credit: Option<&str>, line: &str) -> String {
    match credit {
        Some(c) if !c.is_empty() => format!("{c} {line}"),
        _ => line.to_owned(),
    }
}
