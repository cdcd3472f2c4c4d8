//! The [`Collector`]: records in (file, line, text), stripped on all cores and interned as
//! distinct captions; then exact duplicates of the comparison key collapse, the candidate
//! index and linkage group the distinct keys, and the [`Report`] is built. Also the methods of
//! [`Deduper`] that start a collection.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashMap, HashSet, HashTable, hash_table};
use std::sync::Arc;

use itertools::Itertools;
use rayon::prelude::*;

use crate::cluster::linkage::{KeyRef, centre_order, link_apart, similar_pairs};
use crate::decisions::{
    Decisions, DecisionsApplied, Matched, ReviewDecision, Verdict, join_groups,
};
use crate::normalize::{LearnedCredits, Stripped, credit_identity};
use crate::progress::{NoProgress, Progress};
use crate::report::{Canonical, Cluster, Counted, JSON_VERSION, Member, Report, Search};
use crate::sentences::Boilerplate;

use super::deduper::{BoilerplateMode, Deduper, join_credit};

impl Deduper {
    /// Starts collecting records; push them, then call [`Collector::finish`].
    pub fn collector(&self) -> Collector<'_> {
        Collector {
            deduper: self,
            files: Vec::new(),
            file_ids: HashMap::new(),
            variants: Vec::new(),
            variant_texts: Texts::default(),
            variant_ids: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
            members: Vec::new(),
            credits: CreditNames::default(),
            record_credits: Vec::new(),
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

/// One distinct caption as written (after credit stripping). Its text is in the collector's
/// [`Texts`] under the same id: the caption, or for a credit-only record (nothing left once
/// its credit came off) its credit's [`credit_identity`], so that records of different
/// credits stay apart and those of the same credit, however labelled, come together.
#[derive(Debug, Clone, Copy)]
struct Variant {
    count: u64,
    /// The first record that carried it: file id and line (two fields: the padding of a
    /// `(u32, u64)` could not hold `credit_only`).
    first_line: u64,
    first_file: u32,
    /// The record was all credit: the text is the credit and the caption is empty.
    credit_only: bool,
}

impl Variant {
    /// The first record that carried it: `(file id, line)`.
    fn first(&self) -> (u32, u64) {
        (self.first_file, self.first_line)
    }
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
    /// The text of each variant, by id.
    variant_texts: Texts,
    /// Variant ids with the hash of their text: each caption is stored once, in
    /// `variant_texts`.
    variant_ids: HashTable<(u64, u32)>,
    hasher: DefaultHashBuilder,
    /// Every record kept, in the order pushed.
    members: Vec<Record>,
    /// Each distinct credit removed, stored once.
    credits: CreditNames,
    /// The credit removed from each record of `members` (an id in `credits`, or
    /// [`NO_CREDIT`]): four bytes a record, where a count per `(variant, credit)` in a map
    /// cost a string and an entry for nearly every credited record (a gigabyte at ten
    /// million long captions).
    record_credits: Vec<u32>,
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
        let variants = &mut self.variants;
        let id = intern(
            &mut self.variant_ids,
            &mut self.variant_texts,
            hash,
            &text,
            |v| variants[v as usize].credit_only == credit_only,
        );
        if id as usize == variants.len() {
            variants.push(Variant {
                credit_only,
                count: 0,
                first_file: file,
                first_line: line,
            });
        }
        variants[id as usize].count += 1;
        self.members.push(Record {
            variant: id,
            file,
            line,
        });
        let credit = match credit {
            Some(credit) => self.credits.id(&self.hasher, credit),
            None => NO_CREDIT,
        };
        self.record_credits.push(credit);
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
    pub fn finish_with(self, progress: &dyn Progress) -> Report {
        self.finish_clustering(progress).into_report(progress)
    }

    /// Clusters everything pushed, reporting the long phases to `progress`, and keeps what
    /// the clusters are made of instead of building them: a [`Clustering`] builds them in
    /// report order, a window at a time, for writers that stream (a report holds every
    /// caption two or three times over, in a string of its own).
    pub fn finish_clustering(mut self, progress: &dyn Progress) -> Clustering {
        let pending = self.pending.take();
        self.add_batch(pending);
        // Every record is stripped: the threads' search state for the caption shapes (about
        // 25 MB a thread) would otherwise be held through clustering's peak.
        rayon::broadcast(|_| crate::normalize::release_thread_caches());
        crate::normalize::release_thread_caches();
        // The lookup from caption to variant is no longer needed.
        self.variant_ids = HashTable::new();
        progress.phase("learning credits", 0);
        let learned = self.learn_credits();
        // Credits are numbered from here on, never looked up.
        self.credits.ids = HashTable::new();
        let opts = &self.deduper.options;
        progress.phase("boilerplate", 0);
        let boilerplate = match opts.boilerplate {
            BoilerplateMode::Auto => Boilerplate::detect(self.captions(), opts.boilerplate_min),
            BoilerplateMode::Keep => Boilerplate::none(),
        };

        // Exact collapse on the comparison key.
        progress.phase("folding", 0);
        // Keys are folded on all cores a chunk at a time, while the chunk before is interned
        // (in variant order, on one core).
        let hasher = &self.hasher;
        let variants = &self.variants;
        let variant_texts = &self.variant_texts;
        let fold = |chunk: std::ops::Range<usize>| -> Vec<Folded<'_>> {
            chunk
                .into_par_iter()
                .map(|v| {
                    let text = variant_texts.get(v);
                    let (key, removed) = if variants[v].credit_only {
                        credit_only_key(text)
                    } else {
                        boilerplate.key_of(text)
                    };
                    let hash = hasher.hash_one(key.as_str());
                    let len = key.chars().count();
                    (key, removed, hash, len)
                })
                .collect()
        };
        let mut keys: Vec<Key> = Vec::new();
        let mut key_texts = Texts::default();
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
                        let kid = intern(&mut key_ids, &mut key_texts, hash, &key, |_| true);
                        if kid as usize == keys.len() {
                            keys.push(Key { len, count: 0 });
                        }
                        keys[kid as usize].count += v.count;
                        variant_key.push(kid);
                    }
                },
            );
            pending = next;
        }
        drop(key_ids);
        let boilerplate = counted(fold_written_forms(boiler_counts));
        // Review decisions: key pairs kept apart and joined (see `crate::decisions`).
        let shared_keys = keys.len();
        let mut reviewed = Reviewed::default();
        if let Some(decisions) = &opts.decisions {
            reviewed = Reviewed::new(
                decisions,
                (&self.variants, &self.variant_texts),
                &mut variant_key,
                (&mut keys, &mut key_texts),
            );
        }
        let key_variants = Csr::group(keys.len(), variant_key.iter().map(|&k| k as usize));

        // While the keys are indexed, compared and linked, their `KeyRef`s are the only table
        // of them (a key's length and count would be in both).
        let key_refs: Vec<KeyRef<'_>> = keys
            .into_iter()
            .enumerate()
            .map(|(k, key)| key.as_ref(key_texts.get(k)))
            .collect();
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
        if key_refs.iter().any(|k| k.text.starts_with(CREDIT_ONLY)) {
            edges.retain(|&(a, b)| {
                !key_refs[a as usize].text.starts_with(CREDIT_ONLY)
                    && !key_refs[b as usize].text.starts_with(CREDIT_ONLY)
            });
        }
        progress.phase("linking", 0);
        let groups = link_apart(&key_refs, &edges, opts.linkage, &reviewed.apart);
        let (groups, refused) = join_groups(groups, &reviewed.joined, &reviewed.apart_pairs());
        let decisions = opts.decisions.as_ref().map(|_| reviewed.outcome(&refused));
        let groups = Csr::flatten(groups);
        drop(edges);
        progress.phase("reporting", 0);

        // Per group, in parallel: the canonical variant and the lowest similarity to it.
        let shape: Vec<(u32, f64)> = groups
            .par_rows()
            .map(|group| self.canonical(&key_refs, &key_variants, &variant_key, group))
            .collect();
        let keys: Vec<Key> = key_refs
            .iter()
            .map(|k| Key {
                len: k.len,
                count: k.count,
            })
            .collect();
        drop(key_refs);
        let variant_members = Csr::group(
            self.variants.len(),
            self.members.iter().map(|r| r.variant as usize),
        );
        let variant_credits = self.variant_credits();
        progress.phase("ordering", 0);
        // Clusters come most frequent first, then by caption, then by first record (each
        // record is in one cluster, so the order is total). Sorting the groups before the
        // clusters exist moves indices, not clusters; the first sixteen bytes of a caption
        // decide most comparisons without touching the text.
        let variants = &self.variants;
        let variant_texts = &self.variant_texts;
        let mut order: Vec<ClusterRank> = groups
            .par_rows()
            .zip(&shape)
            .enumerate()
            .map(|(g, (group, &(canonical, _)))| {
                let count: u64 = group.iter().map(|&k| keys[k].count).sum();
                let caption = variant_texts.get(canonical as usize);
                let mut prefix = [0u8; 16];
                let n = caption.len().min(16);
                prefix[..n].copy_from_slice(&caption.as_bytes()[..n]);
                let (first_file, first_line) = group
                    .iter()
                    .flat_map(|&k| key_variants.row(k))
                    .map(|&v| variants[v as usize].first())
                    .min()
                    .expect("clusters are never empty");
                ClusterRank {
                    count,
                    prefix,
                    first_line,
                    first_file,
                    canonical,
                    group: g as u32,
                }
            })
            .collect();
        order.par_sort_unstable_by(|a, b| {
            // Byte arrays compare as the captions' bytes do; a caption shorter than sixteen
            // bytes is padded with zeros, which no longer caption's byte is below.
            b.count
                .cmp(&a.count)
                .then(a.prefix.cmp(&b.prefix))
                .then_with(|| {
                    let text = |r: &ClusterRank| variant_texts.get(r.canonical as usize);
                    text(a).cmp(text(b))
                })
                .then((a.first_file, a.first_line).cmp(&(b.first_file, b.first_line)))
        });
        // Only the places are needed from here on.
        let order: Vec<u32> = order.into_iter().map(|r| r.group).collect();
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
        let records = self.members.len() as u64;
        Clustering {
            head: Report {
                version: JSON_VERSION,
                threshold: opts.threshold,
                metric: opts.metric,
                veto: opts.veto,
                linkage: opts.linkage,
                records_read: self.records_read,
                records,
                clusters: Vec::new(),
                boilerplate,
                learned_credits: learned.lines().to_vec(),
                search: Search {
                    exhaustive: stats.exhaustive,
                    pairs_verified: stats.verified,
                    pairs_similar: stats.similar,
                    pairs_vetoed: stats.vetoed,
                },
                decisions,
                record_clusters,
                records_left_out: std::mem::take(&mut self.skipped),
            },
            files: std::mem::take(&mut self.files),
            variants: std::mem::take(&mut self.variants),
            variant_texts: std::mem::take(&mut self.variant_texts),
            members: std::mem::take(&mut self.members),
            keys,
            key_texts,
            groups,
            key_variants,
            variant_members,
            variant_credits,
            credit_names: std::mem::take(&mut self.credits.names),
            shape,
            order,
            shared_keys,
        }
    }

    /// The credits removed from each variant's records, counted: row `v` holds
    /// `(credit id, records)` in credit id order. No rows when no record had a credit.
    fn variant_credits(&mut self) -> Csr<(u32, u64)> {
        let record_credits = std::mem::take(&mut self.record_credits);
        if self.credits.names.is_empty() {
            return Csr {
                start: Vec::new(),
                items: Vec::new(),
            };
        }
        let mut pairs: Vec<u64> = self
            .members
            .iter()
            .zip(&record_credits)
            .filter(|&(_, &c)| c != NO_CREDIT)
            .map(|(r, &c)| (u64::from(r.variant) << 32) | u64::from(c))
            .collect();
        drop(record_credits);
        pairs.par_sort_unstable();
        let mut start = vec![0u32; self.variants.len() + 1];
        let mut items = Vec::new();
        for run in pairs.chunk_by(|a, b| a == b) {
            start[(run[0] >> 32) as usize + 1] += 1;
            items.push((run[0] as u32, run.len() as u64));
        }
        for v in 0..self.variants.len() {
            start[v + 1] += start[v];
        }
        Csr { start, items }
    }

    /// The texts of the variants that are captions (not credit-only records), in id order.
    fn captions(&self) -> impl Iterator<Item = &str> {
        self.variants
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.credit_only)
            .map(|(i, _)| self.variant_texts.get(i))
    }

    /// Learns the repeated credit lines of the distinct captions and strips them: variants that
    /// become equal merge, and their records' credits gain the line.
    fn learn_credits(&mut self) -> LearnedCredits {
        let learned = self.deduper.learn(self.captions());
        // Credit names: each distinct (caption, credit) of the records, as the rules left them.
        let mut pairs: HashSet<(u32, u32)> = HashSet::new();
        let credited: Vec<(&str, &str)> = self
            .members
            .iter()
            .zip(&self.record_credits)
            .filter(|(r, c)| **c != NO_CREDIT && pairs.insert((r.variant, **c)))
            .map(|(r, c)| {
                let v = r.variant as usize;
                let caption = if self.variants[v].credit_only {
                    ""
                } else {
                    self.variant_texts.get(v)
                };
                (caption, self.credits.name(*c))
            })
            .collect();
        let mut learned = self.deduper.learn_names(learned, self.captions(), credited);
        if learned.is_empty() {
            return learned;
        }
        learned.count(self.captions());
        // Only the captions that lose a line, `(variant, caption, line)` in variant order: a
        // slot for every variant cost 48 bytes a variant, nearly all of them empty.
        let (variants, texts) = (&self.variants, &self.variant_texts);
        let cuts: Vec<(u32, String, String)> = (0..variants.len())
            .into_par_iter()
            .filter(|&v| !variants[v].credit_only)
            .filter_map(|v| {
                learned
                    .strip(texts.get(v))
                    .map(|(caption, line)| (v as u32, caption, line))
            })
            .collect();
        if cuts.is_empty() {
            return learned;
        }
        let old = std::mem::take(&mut self.variants);
        let old_texts = std::mem::take(&mut self.variant_texts);
        let mut table: HashTable<(u64, u32)> = HashTable::with_capacity(old.len());
        let mut remap: Vec<u32> = Vec::with_capacity(old.len());
        let mut cut = cuts.iter().peekable();
        for (i, v) in old.into_iter().enumerate() {
            let (text, line) = match cut.next_if(|c| c.0 as usize == i) {
                Some((_, caption, line)) => (caption.as_str(), Some(line)),
                None => (old_texts.get(i), None),
            };
            // A caption that was only learned names becomes a credit-only record, told apart
            // by what came off.
            let credit_only = v.credit_only || text.is_empty();
            let identity;
            let text = match line {
                Some(line) if text.is_empty() => {
                    identity = credit_identity(line);
                    identity.as_str()
                }
                _ => text,
            };
            let hash = if credit_only {
                self.hasher.hash_one((CREDIT_ONLY, text))
            } else {
                self.hasher.hash_one(text)
            };
            let variants = &mut self.variants;
            let id = intern(&mut table, &mut self.variant_texts, hash, text, |w| {
                variants[w as usize].credit_only == credit_only
            });
            if id as usize == variants.len() {
                variants.push(Variant {
                    count: 0,
                    credit_only,
                    ..v
                });
            }
            let merged = &mut variants[id as usize];
            merged.count += v.count;
            (merged.first_file, merged.first_line) =
                merged.first().min((v.first_file, v.first_line));
            remap.push(id);
        }
        drop(old_texts);
        // A record whose caption lost a line gains it in its credit (after the credit it had).
        for (r, credit) in self.members.iter_mut().zip(&mut self.record_credits) {
            if let Ok(at) = cuts.binary_search_by_key(&r.variant, |c| c.0) {
                let line = &cuts[at].2;
                let had = (*credit != NO_CREDIT).then(|| self.credits.name(*credit));
                let joined = join_credit(had, line);
                *credit = self.credits.id(&self.hasher, joined);
            }
            r.variant = remap[r.variant as usize];
        }
        learned
    }

    /// The canonical variant of a group of keys, and the lowest similarity of a member key
    /// to the canonical variant's key.
    fn canonical(
        &self,
        keys: &[KeyRef<'_>],
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
        let text = |v: u32| self.variant_texts.get(v as usize);
        let by_count_then_text = |a: &u32, b: &u32| {
            let (va, vb) = (&self.variants[*a as usize], &self.variants[*b as usize]);
            vb.count.cmp(&va.count).then_with(|| text(*a).cmp(text(*b)))
        };
        let canonical = match opts.canonical {
            Canonical::MostFrequent => {
                // The key first in centre order (the centre under centre linkage), then its
                // most frequent variant.
                let k = *group
                    .iter()
                    .min_by(|&&a, &&b| centre_order(&keys[a], &keys[b]))
                    .expect("clusters are never empty");
                key_variants
                    .row(k)
                    .iter()
                    .copied()
                    .min_by(by_count_then_text)
            }
            Canonical::First => variants().min_by_key(|&v| self.variants[v as usize].first()),
            Canonical::Longest | Canonical::Shortest => {
                let longest = opts.canonical == Canonical::Longest;
                variants().min_by(|a, b| {
                    let (la, lb) = (text(*a).chars().count(), text(*b).chars().count());
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
                    .similarity(keys[canonical_key].text, keys[k].text)
            })
            .fold(1.0_f64, f64::min);
        (canonical, min_similarity)
    }
}

/// A finished clustering whose clusters are built on demand, in report order: what
/// [`Collector::finish_clustering`] returns. [`Clustering::into_report`] builds them all (the
/// [`Report`] of [`Collector::finish`]); [`Clustering::clusters`] builds a range of them
/// from copies, so that a writer can stream a window at a time (see
/// [`crate::output::write_clustering`]) and never hold every cluster.
#[derive(Debug)]
pub struct Clustering {
    /// The report without its clusters.
    head: Report,
    files: Vec<Arc<str>>,
    variants: Vec<Variant>,
    variant_texts: Texts,
    members: Vec<Record>,
    keys: Vec<Key>,
    key_texts: Texts,
    /// The keys of each group, in the order the groups were formed.
    groups: Csr<usize>,
    key_variants: Csr,
    variant_members: Csr,
    /// The credits removed from each variant's records, `(id in credit_names, records)`
    /// (no rows when no record had a credit).
    variant_credits: Csr<(u32, u64)>,
    credit_names: Texts,
    /// Per group: its canonical variant and the lowest similarity to it.
    shape: Vec<(u32, f64)>,
    /// The group at each place of the report.
    order: Vec<u32>,
    /// Keys from this index on were made for captions a `split` decision set apart from a
    /// caption of the same key (see [`Cluster::decided_apart`]).
    shared_keys: usize,
}

impl Clustering {
    /// The report without its clusters (`clusters` is empty; everything else is there).
    pub fn head(&self) -> &Report {
        &self.head
    }

    /// The number of clusters.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// No clusters (nothing was pushed).
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The clusters at places `range` of the report, built on all cores: each the same as
    /// in [`Clustering::into_report`].
    pub fn clusters(&self, range: std::ops::Range<usize>) -> Vec<Cluster> {
        self.order[range]
            .par_iter()
            .with_min_len(64)
            .map(|&g| self.cluster(g as usize))
            .collect()
    }

    /// What the text output shows of the cluster at place `place` of the report, without
    /// building it: its count, its caption, and, when the caption is empty (records that were
    /// only a credit), its most frequent credit (the first of [`Cluster::credits`]).
    pub fn caption_line(&self, place: usize) -> (u64, &str, Option<&str>) {
        let g = self.order[place] as usize;
        let variants = || {
            self.groups
                .row(g)
                .iter()
                .flat_map(|&k| self.key_variants.row(k).iter().map(|&v| v as usize))
        };
        let count = variants().map(|v| self.variants[v].count).sum();
        let canonical = self.shape[g].0 as usize;
        let caption = if self.variants[canonical].credit_only {
            ""
        } else {
            self.variant_texts.get(canonical)
        };
        let credit = if caption.is_empty() {
            let mut totals: HashMap<&str, u64> = HashMap::new();
            for v in variants() {
                for (text, n) in self.credits_of(v) {
                    *totals.entry(text).or_insert(0) += n;
                }
            }
            totals
                .into_iter()
                .min_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)))
                .map(|(text, _)| text)
        } else {
            None
        };
        (count, caption, credit)
    }

    /// The cluster of group `g`, from copies of its texts.
    fn cluster(&self, g: usize) -> Cluster {
        let (canonical, min_similarity) = self.shape[g];
        let mut variants: Vec<GroupVariant> = Vec::new();
        let mut variant_keys: Vec<String> = Vec::new();
        for &k in self.groups.row(g) {
            for &v in self.key_variants.row(k) {
                let variant = &self.variants[v as usize];
                // A credit-only record's caption is empty; its credit is in `credits`.
                let text = if variant.credit_only {
                    String::new()
                } else {
                    self.variant_texts.get(v as usize).to_owned()
                };
                let credits = self
                    .credits_of(v as usize)
                    .map(|(text, n)| (text.to_owned(), n))
                    .collect();
                variants.push((v, text, variant.count, credits));
                variant_keys.push(self.key_texts.get(k).to_owned());
            }
        }
        let mut cluster = self.assemble(
            variants,
            variant_keys,
            canonical,
            min_similarity,
            &self.variant_members,
        );
        cluster.decided_apart = self.decided_apart(g);
        cluster
    }

    /// The credits removed from the records of variant `v`, with their counts.
    fn credits_of(&self, v: usize) -> impl Iterator<Item = (&str, u64)> {
        let row = if self.variant_credits.start.is_empty() {
            &[][..]
        } else {
            self.variant_credits.row(v)
        };
        row.iter()
            .map(|&(c, n)| (self.credit_names.get(c as usize), n))
    }

    /// Whether group `g` holds a key made for a caption split from another of the same key:
    /// its cluster's id must still differ from the other's.
    fn decided_apart(&self, g: usize) -> bool {
        self.keys.len() > self.shared_keys
            && self.groups.row(g).iter().any(|&k| k >= self.shared_keys)
    }

    /// Every cluster, in report order: the [`Report`]. The texts move into the clusters.
    pub fn into_report(mut self, progress: &dyn Progress) -> Report {
        progress.phase("assembling", 0);
        // On all cores, in the order the groups were formed, which follows the order keys
        // and captions were stored in (built in report order, every cluster would read from
        // a random place); then swapped into report order. The texts move into the
        // clusters: copied out of the variants and keys in one pass in group order (and
        // those freed), each group is handed its own slice of them.
        let mut texts: Vec<VariantTexts> = Vec::with_capacity(self.variants.len());
        let mut sizes: Vec<usize> = Vec::with_capacity(self.groups.len());
        for group in self.groups.rows() {
            let before = texts.len();
            for &k in group {
                let key = self.key_texts.get(k);
                for &v in self.key_variants.row(k) {
                    // A credit-only record's caption is empty; its credit is in `credits`.
                    let text = if self.variants[v as usize].credit_only {
                        String::new()
                    } else {
                        self.variant_texts.get(v as usize).to_owned()
                    };
                    let key = key.to_owned();
                    let credits = self
                        .credits_of(v as usize)
                        .map(|(text, n)| (text.to_owned(), n))
                        .collect();
                    texts.push((text, key, credits));
                }
            }
            sizes.push(texts.len() - before);
        }
        self.variant_texts = Texts::default();
        self.key_texts = Texts::default();
        self.credit_names = Texts::default();
        let mut slices: Vec<&mut [VariantTexts]> = Vec::with_capacity(self.groups.len());
        let mut rest = texts.as_mut_slice();
        for &n in &sizes {
            let (head, tail) = rest.split_at_mut(n);
            slices.push(head);
            rest = tail;
        }
        drop(sizes);
        let mut clusters: Vec<Cluster> = slices
            .into_par_iter()
            .zip(self.groups.par_rows())
            .zip(&self.shape)
            .map(|((slice, group), &(canonical, min_similarity))| {
                let mut variants: Vec<GroupVariant> = Vec::with_capacity(slice.len());
                let mut variant_keys: Vec<String> = Vec::with_capacity(slice.len());
                let mut taken = slice.iter_mut();
                for &k in group {
                    for &v in self.key_variants.row(k) {
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
                    &self.variant_members,
                )
            })
            .collect();
        drop(texts);
        if self.keys.len() > self.shared_keys {
            for (g, cluster) in clusters.iter_mut().enumerate() {
                cluster.decided_apart = self.decided_apart(g);
            }
        }
        permute(&mut clusters, std::mem::take(&mut self.order));
        // Millions of small allocations are freed on a worker thread while the caller goes
        // on to write the report (on a million captions, a few tenths of a second).
        let garbage = (
            std::mem::take(&mut self.groups.items),
            std::mem::take(&mut self.keys),
            std::mem::take(&mut self.variants),
            std::mem::take(&mut self.members),
            std::mem::take(&mut self.variant_members.items),
            std::mem::take(&mut self.key_variants.items),
        );
        rayon::spawn(move || drop(garbage));

        let mut report = self.head;
        report.clusters = clusters;
        report
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
                decided_apart: false,
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
            decided_apart: false,
        }
    }
}

/// Review decisions matched to a run's distinct captions, as pairs of keys.
#[derive(Debug, Default)]
struct Reviewed {
    /// Key pairs a `split` keeps apart.
    apart: Vec<(u32, u32)>,
    /// Key pairs a `merge` joins, with their decisions (`joined_decisions`, same order).
    joined: Vec<(usize, usize)>,
    joined_decisions: Vec<ReviewDecision>,
    /// The `split` decisions applied (they always are).
    split_decisions: Vec<ReviewDecision>,
    unmatched: Vec<ReviewDecision>,
}

impl Reviewed {
    /// Matches the decisions to the variants (credit-only records have no caption to name)
    /// and turns them into key pairs. A caption split from another with the same key gets a
    /// key of its own (the same text), so the two can be kept apart.
    fn new(
        decisions: &Decisions,
        (variants, variant_texts): (&[Variant], &Texts),
        variant_key: &mut [u32],
        (keys, key_texts): (&mut Vec<Key>, &mut Texts),
    ) -> Reviewed {
        let captions = variants
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.credit_only)
            .map(|(i, _)| (i as u32, variant_texts.get(i)));
        let matched = Matched::new(decisions, captions);
        let mut reviewed = Reviewed {
            unmatched: matched.unmatched,
            ..Reviewed::default()
        };
        for (decision, va, vb) in matched.pairs {
            let (ka, mut kb) = (variant_key[va as usize], variant_key[vb as usize]);
            match decision.decision {
                Verdict::Split => {
                    if ka == kb {
                        let count = variants[vb as usize].count;
                        let shared = &mut keys[ka as usize];
                        shared.count -= count;
                        let own = Key {
                            len: shared.len,
                            count,
                        };
                        keys.push(own);
                        let text = key_texts.get(ka as usize).to_owned();
                        key_texts.push(&text);
                        kb = (keys.len() - 1) as u32;
                        variant_key[vb as usize] = kb;
                    }
                    reviewed.apart.push((ka.min(kb), ka.max(kb)));
                    reviewed.split_decisions.push(decision);
                }
                Verdict::Merge => {
                    reviewed.joined.push((ka as usize, kb as usize));
                    reviewed.joined_decisions.push(decision);
                }
            }
        }
        reviewed.apart.sort_unstable();
        reviewed.apart.dedup();
        reviewed
    }

    fn apart_pairs(&self) -> Vec<(usize, usize)> {
        self.apart
            .iter()
            .map(|&(a, b)| (a as usize, b as usize))
            .collect()
    }

    /// What became of the decisions, `refused` being the indices of the merges not applied.
    fn outcome(&self, refused: &[usize]) -> DecisionsApplied {
        let mut applied = self.split_decisions.clone();
        let mut conflicting = Vec::new();
        for (i, d) in self.joined_decisions.iter().enumerate() {
            if refused.contains(&i) {
                conflicting.push(d.clone());
            } else {
                applied.push(d.clone());
            }
        }
        DecisionsApplied {
            applied,
            unmatched: self.unmatched.clone(),
            conflicting,
        }
    }
}

/// The id of the text of `texts` that is `text` (which hashes to `hash`) and for which
/// `same(id)` holds, adding `text` when there is none (its id is then `texts`' new last):
/// each text is stored once, and `table` holds only ids, each beside its text's hash, so that
/// growing the table never reads the texts.
fn intern(
    table: &mut HashTable<(u64, u32)>,
    texts: &mut Texts,
    hash: u64,
    text: &str,
    same: impl Fn(u32) -> bool,
) -> u32 {
    match table.entry(
        hash,
        |&(h, i)| h == hash && texts.get(i as usize) == text && same(i),
        |&(h, _)| h,
    ) {
        hash_table::Entry::Occupied(e) => e.get().1,
        hash_table::Entry::Vacant(e) => {
            let id = texts.push(text);
            e.insert((hash, id));
            id
        }
    }
}

/// Texts one after the other in a few large buffers, numbered in the order added: a
/// `String` each cost a 24-byte header and an allocation of its own (rounded up to the
/// allocator's size class, with whatever spare capacity stripping or folding left), about as
/// much as a short caption's text; here a text costs its bytes and an 8-byte end.
#[derive(Debug, Default)]
struct Texts {
    /// Buffers filled one after the other, each up to its capacity and never grown (growing
    /// one large buffer would copy it, holding it twice meanwhile).
    blocks: Vec<String>,
    /// The id of the first text of each block.
    block_first: Vec<u32>,
    /// Where each text ends, counting the bytes of every text before it.
    ends: Vec<u64>,
}

/// The largest block of [`Texts`] (unless one text is longer): blocks start small and double
/// up to this size, so a few captions cost little and millions a few hundred blocks.
const TEXT_BLOCK: usize = 1 << 24;

impl Texts {
    /// Adds `text`; returns its id.
    fn push(&mut self, text: &str) -> u32 {
        let id = self.ends.len() as u32;
        let end = self.ends.last().copied().unwrap_or(0);
        match self.blocks.last_mut() {
            Some(block) if block.capacity() - block.len() >= text.len() => block.push_str(text),
            _ => {
                let size = (end as usize).clamp(4096, TEXT_BLOCK).max(text.len());
                let mut block = String::with_capacity(size);
                block.push_str(text);
                self.blocks.push(block);
                self.block_first.push(id);
            }
        }
        self.ends.push(end + text.len() as u64);
        id
    }

    /// The text of id `id`.
    fn get(&self, id: usize) -> &str {
        let b = self.block_first.partition_point(|&f| f as usize <= id) - 1;
        let first = self.block_first[b] as usize;
        let base = if first == 0 { 0 } else { self.ends[first - 1] };
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.blocks[b][(start - base) as usize..(self.ends[id] - base) as usize]
    }

    /// No text was added.
    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// In [`Collector::record_credits`]: no credit was removed from the record.
const NO_CREDIT: u32 = u32::MAX;

/// The distinct credits of a run, each stored once and numbered in the order first seen.
#[derive(Debug, Default)]
struct CreditNames {
    names: Texts,
    /// Ids with the hash of their name (see [`intern`]).
    ids: HashTable<(u64, u32)>,
}

impl CreditNames {
    /// The id of `credit`, numbering it if it is new.
    fn id(&mut self, hasher: &DefaultHashBuilder, credit: String) -> u32 {
        let hash = hasher.hash_one(credit.as_str());
        intern(&mut self.ids, &mut self.names, hash, &credit, |_| true)
    }

    fn name(&self, id: u32) -> &str {
        self.names.get(id as usize)
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
/// of its caption, its caption (read through `canonical` only when those tie), its first
/// record `(file, line)`, and the group's index. 48 bytes, one per cluster: as a tuple with
/// the caption's `&str` and the prefix as a `u128` (aligned to 16) it was 64, and the
/// largest table of the ordering phase.
#[derive(Debug, Clone, Copy)]
struct ClusterRank {
    count: u64,
    prefix: [u8; 16],
    first_line: u64,
    first_file: u32,
    canonical: u32,
    group: u32,
}

/// Rows of items in one flat list (compressed rows): a million small lists would be a
/// million allocations to read from and to free. `row(g)` is row `g`.
#[derive(Debug)]
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

/// One distinct comparison key (its text is in a [`Texts`] under the same id).
#[derive(Debug, Clone, Copy)]
struct Key {
    len: usize,
    count: u64,
}

impl Key {
    fn as_ref(self, text: &str) -> KeyRef<'_> {
        KeyRef {
            text,
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
