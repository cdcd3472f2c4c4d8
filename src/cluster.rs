//! Clustering: collect records, collapse exact duplicates of the comparison key, then group
//! near-identical keys (centre clustering or single linkage) and build the [`Report`].

use std::collections::HashMap;
use std::sync::Arc;

use itertools::Itertools;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::facts::{Difference, Facts, Veto};
use crate::linkage::{KeyRef, centre_order, link, similar_pairs};
use crate::normalize::{CreditStripper, Stripped};
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
/// [`Deduper::builder`]; every setter has the CLI's default.
#[derive(Debug, Clone)]
pub struct Builder {
    threshold: f64,
    metric: Metric,
    linkage: Linkage,
    canonical: Canonical,
    boilerplate: BoilerplateMode,
    boilerplate_min: usize,
    keep_credits: bool,
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
    /// The similarity metric (`--metric`, default Levenshtein).
    pub fn metric(mut self, metric: Metric) -> Self {
        self.metric = metric;
        self
    }
    /// Centre clustering or single linkage (`--linkage`, default centre).
    pub fn linkage(mut self, linkage: Linkage) -> Self {
        self.linkage = linkage;
        self
    }
    /// Which caption stands for a cluster (`--canonical`, default most frequent).
    pub fn canonical(mut self, canonical: Canonical) -> Self {
        self.canonical = canonical;
        self
    }
    /// Boilerplate handling (`--boilerplate`, default auto).
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
    /// Keep credits in the caption instead of stripping them (`--keep-credits`).
    pub fn keep_credits(mut self, keep: bool) -> Self {
        self.keep_credits = keep;
        self
    }
    /// Adds a regular expression whose matches are removed as credits (`--credit-pattern`).
    pub fn credit_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.credit_patterns.push(pattern.into());
        self
    }
    /// Cluster only records that carry a credit (`--credited-only`): feed a raw page as it is.
    pub fn credited_only(mut self, only: bool) -> Self {
        self.credited_only = only;
        self
    }

    /// Compare every pair of distinct captions (of compatible lengths) instead of the
    /// candidate index (`--exhaustive`): the exact answer, in quadratic time.
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
            variant_ids: HashMap::new(),
            records_read: 0,
            records: 0,
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
        let same = a.key == b.key;
        let similarity = if same {
            1.0
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
    text: String,
    count: u64,
    members: Vec<(u32, u64)>,
    credits: HashMap<String, u64>,
}

/// Accumulates records (holding distinct captions, not every line) and clusters them.
#[derive(Debug)]
pub struct Collector<'a> {
    deduper: &'a Deduper,
    files: Vec<Arc<str>>,
    file_ids: HashMap<Arc<str>, u32>,
    variants: Vec<Variant>,
    variant_ids: HashMap<String, usize>,
    records_read: u64,
    records: u64,
}

impl Collector<'_> {
    /// Adds one record: its file (as the user named it), its 1-based line and its text.
    /// Returns what stripping did, so callers can report it.
    pub fn push(&mut self, file: &str, line: u64, text: &str) -> Stripped {
        let stripped = self.deduper.strip(text);
        self.records_read += 1;
        if self.deduper.selects(&stripped) {
            self.push_stripped(file, line, &stripped);
        }
        stripped
    }

    /// Adds many records of one file at once, stripping them on all cores. Equivalent to
    /// calling [`Collector::push`] for each `(line, text)` in order.
    pub fn push_batch<S: AsRef<str> + Sync>(&mut self, file: &str, records: &[(u64, S)]) {
        let deduper = self.deduper;
        let stripped: Vec<Stripped> = records
            .par_iter()
            .map(|(_, text)| deduper.strip(text.as_ref()))
            .collect();
        self.records_read += records.len() as u64;
        for ((line, _), s) in records.iter().zip(&stripped) {
            if deduper.selects(s) {
                self.push_stripped(file, *line, s);
            }
        }
    }

    /// Adds a record that was already stripped with this deduper's [`Deduper::strip`]
    /// (and selected with [`Deduper::selects`]).
    pub fn push_stripped(&mut self, file: &str, line: u64, stripped: &Stripped) {
        let file_id = match self.files.last() {
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
        };
        self.records += 1;
        let id = match self.variant_ids.get(&stripped.caption) {
            Some(&id) => id,
            None => {
                self.variants.push(Variant {
                    text: stripped.caption.clone(),
                    count: 0,
                    members: Vec::new(),
                    credits: HashMap::new(),
                });
                self.variant_ids
                    .insert(stripped.caption.clone(), self.variants.len() - 1);
                self.variants.len() - 1
            }
        };
        let v = &mut self.variants[id];
        v.count += 1;
        v.members.push((file_id, line));
        if let Some(credit) = &stripped.credit {
            *v.credits.entry(credit.clone()).or_insert(0) += 1;
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
        // The lookup from caption to variant is no longer needed: free its copy of the text.
        self.variant_ids = HashMap::new();
        let opts = &self.deduper.options;
        let boilerplate = match opts.boilerplate {
            BoilerplateMode::Auto => Boilerplate::detect(
                self.variants.iter().map(|v| v.text.as_str()),
                opts.boilerplate_min,
            ),
            BoilerplateMode::Keep => Boilerplate::none(),
        };

        // Exact collapse on the comparison key.
        let folded: Vec<(String, Vec<&str>)> = self
            .variants
            .par_iter()
            .map(|v| boilerplate.key_of(&v.text))
            .collect();
        let mut keys: Vec<Key> = Vec::new();
        let mut key_ids: HashMap<String, usize> = HashMap::new();
        let mut boiler_counts: HashMap<&str, u64> = HashMap::new();
        let mut variant_key = Vec::with_capacity(self.variants.len());
        for (vid, (v, (key, removed))) in self.variants.iter().zip(folded).enumerate() {
            for s in removed {
                *boiler_counts.entry(s).or_insert(0) += v.count;
            }
            let kid = *key_ids.entry(key.clone()).or_insert_with(|| {
                keys.push(Key {
                    len: key.chars().count(),
                    text: key,
                    count: 0,
                    variants: Vec::new(),
                });
                keys.len() - 1
            });
            keys[kid].count += v.count;
            keys[kid].variants.push(vid);
            variant_key.push(kid);
        }
        drop(key_ids);

        let key_refs: Vec<KeyRef<'_>> = keys.iter().map(Key::as_ref).collect();
        let (edges, stats) = similar_pairs(
            &key_refs,
            opts.metric,
            opts.threshold,
            opts.exhaustive,
            progress,
        );
        let (edges, vetoed) = veto_edges(&keys, edges, opts.veto);
        let groups = link(&key_refs, &edges, opts.linkage);
        drop(edges);

        let mut clusters: Vec<Cluster> = groups
            .par_iter()
            .map(|group| self.build_cluster(&keys, &variant_key, group))
            .collect();
        clusters.par_sort_unstable_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.caption.cmp(&b.caption))
        });

        Report {
            version: JSON_VERSION,
            threshold: opts.threshold,
            metric: opts.metric,
            veto: opts.veto,
            linkage: opts.linkage,
            records_read: self.records_read,
            records: self.records,
            clusters,
            boilerplate: counted(fold_written_forms(boiler_counts)),
            search: Search {
                exhaustive: stats.exhaustive,
                pairs_verified: stats.verified,
                pairs_similar: stats.similar,
                pairs_vetoed: vetoed,
            },
        }
    }

    fn build_cluster(&self, keys: &[Key], variant_key: &[usize], group: &[usize]) -> Cluster {
        let opts = &self.deduper.options;
        let variants: Vec<usize> = group
            .iter()
            .flat_map(|&k| keys[k].variants.iter().copied())
            .collect();
        let first_seen = |vid: usize| self.variants[vid].members[0];
        let canonical_variant = match opts.canonical {
            Canonical::MostFrequent => {
                // The key first in centre order (the centre under centre linkage), then its
                // most frequent variant.
                let k = *group
                    .iter()
                    .min_by(|&&a, &&b| centre_order(&keys[a].as_ref(), &keys[b].as_ref()))
                    .expect("clusters are never empty");
                *keys[k]
                    .variants
                    .iter()
                    .min_by(|&&a, &&b| {
                        let (va, vb) = (&self.variants[a], &self.variants[b]);
                        vb.count.cmp(&va.count).then_with(|| va.text.cmp(&vb.text))
                    })
                    .expect("keys have variants")
            }
            Canonical::First => *variants
                .iter()
                .min_by_key(|&&v| first_seen(v))
                .expect("clusters are never empty"),
            Canonical::Longest | Canonical::Shortest => {
                let longest = opts.canonical == Canonical::Longest;
                *variants
                    .iter()
                    .min_by(|&&a, &&b| {
                        let (va, vb) = (&self.variants[a], &self.variants[b]);
                        let (la, lb) = (va.text.chars().count(), vb.text.chars().count());
                        let by_len = if longest { lb.cmp(&la) } else { la.cmp(&lb) };
                        by_len
                            .then_with(|| vb.count.cmp(&va.count))
                            .then_with(|| va.text.cmp(&vb.text))
                    })
                    .expect("clusters are never empty")
            }
        };
        let canonical_key = variant_key[canonical_variant];
        let min_similarity = group
            .iter()
            .map(|&k| {
                if k == canonical_key {
                    1.0
                } else {
                    opts.metric
                        .similarity(&keys[canonical_key].text, &keys[k].text)
                }
            })
            .fold(1.0_f64, f64::min);

        let variants_counted = counted(
            variants
                .iter()
                .map(|&v| (self.variants[v].text.as_str(), self.variants[v].count)),
        );
        // Variant texts are distinct, so each variant id has one position in `variants_counted`.
        let position: HashMap<&str, u32> = variants_counted
            .iter()
            .enumerate()
            .map(|(i, c)| (c.text.as_str(), i as u32))
            .collect();
        let mut variant_keys = vec![String::new(); variants_counted.len()];
        let mut members: Vec<(u32, u64, u32)> = Vec::new();
        for &v in &variants {
            let pos = position[self.variants[v].text.as_str()];
            variant_keys[pos as usize] = keys[variant_key[v]].text.clone();
            members.extend(self.variants[v].members.iter().map(|&(f, l)| (f, l, pos)));
        }
        members.sort_unstable();
        let mut credits: HashMap<&str, u64> = HashMap::new();
        for &v in &variants {
            for (c, n) in &self.variants[v].credits {
                *credits.entry(c.as_str()).or_insert(0) += n;
            }
        }
        Cluster {
            caption: self.variants[canonical_variant].text.clone(),
            count: variants.iter().map(|&v| self.variants[v].count).sum(),
            member_variants: members.iter().map(|&(_, _, pos)| pos).collect(),
            members: members
                .into_iter()
                .map(|(f, line, _)| Member {
                    file: self.files[f as usize].clone(),
                    line,
                })
                .collect(),
            variants: variants_counted,
            variant_keys,
            credits: counted(credits),
            min_similarity,
        }
    }
}

/// Drops the verified edges whose keys differ in a fact `veto` counts; returns the edges kept
/// (in their order) and how many were dropped. The facts of each key that has an edge are read
/// once, on all cores; the check per edge merges two short sorted lists.
fn veto_edges(keys: &[Key], edges: Vec<(u32, u32)>, veto: Veto) -> (Vec<(u32, u32)>, u64) {
    if veto == Veto::None || edges.is_empty() {
        return (edges, 0);
    }
    let mut linked = vec![false; keys.len()];
    for &(i, j) in &edges {
        linked[i as usize] = true;
        linked[j as usize] = true;
    }
    let facts: Vec<Option<Facts>> = keys
        .par_iter()
        .zip(linked)
        .map(|(k, linked)| linked.then(|| Facts::of(&k.text)))
        .collect();
    let of = |i: u32| {
        facts[i as usize]
            .as_ref()
            .expect("facts of every linked key")
    };
    let kept: Vec<(u32, u32)> = edges
        .par_iter()
        .copied()
        .filter(|&(i, j)| of(i).verdict(of(j), veto).is_none())
        .collect();
    let vetoed = (edges.len() - kept.len()) as u64;
    (kept, vetoed)
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
fn counted<'s>(items: impl IntoIterator<Item = (&'s str, u64)>) -> Vec<Counted> {
    items
        .into_iter()
        .sorted_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)))
        .map(|(text, count)| Counted {
            text: text.to_owned(),
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
    variants: Vec<usize>,
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
