//! Candidate search: which pairs of distinct keys are worth verifying.
//!
//! Comparing all pairs is quadratic (a million distinct captions is 5·10^11 pairs). Instead,
//! every key is reduced to a few *winnowed q-gram fingerprints* (minimizers): the hashes of its
//! q-byte substrings, keeping the smallest in every window of `w` consecutive ones. Two keys
//! that share an exact run of at least `q + w - 1` bytes are guaranteed to share a fingerprint
//! (Schleimer, Wilkerson, Aiken 2003). Keys that share a fingerprint become candidates, and
//! every candidate is verified exactly ([`crate::cluster::similarity::Scorer`]): the index can miss a
//! pair, never invent one.
//!
//! Near-identical captions share long runs (an edit distance of `k` leaves at least one exact
//! run of `(len - k) / (k + 1)` characters), so short keys use short q-grams and long keys long
//! ones. The two schemes overlap in length so that every pair whose lengths allow the threshold
//! is indexed under a common scheme. Every fingerprint of a key is posted: posting only the
//! rarest ones missed pairs whose edit sat on the rare words (`right handed` against
//! `right-handed`). A fingerprint shared by more than [`MAX_POSTING`] keys (a common phrase)
//! is not joined as it is: the cap is fixed, so the larger the input, the more fingerprints
//! are over it, and on templated captions every fingerprint two near duplicates share can be
//! (the recall of the cap alone fell to 56% of the linkable pairs at a million generated
//! captions and 4.5% at ten million). Such a fingerprint is *refined* instead (see
//! `refine_over_cap`): its keys are split by the run of fingerprints that follows it in each
//! key, longer and longer, until the groups are under the cap, and those groups are joined.
//! Near duplicates share long runs; template siblings only phrases. What is still over the
//! cap after the longest run (33 fingerprints) is dropped: this is where recall can be lost,
//! and docs/performance.md reports the measured recall against the exhaustive computation
//! (`examples/recall_scale.rs` measures it at scale). Candidates stay cheap because each
//! group is joined in place and a [`Sketch`] bound rejects most pairs.
//!
//! Tiny keys (up to [`TINY_MAX`] characters) have too few fingerprints for that, so they use
//! an exact filter instead: the q-gram count filter with prefix filtering (Ed-Join, Xiao, Wang,
//! Lin 2008). Two strings within edit distance `k` share at least `len - q + 1 - k·q` of their
//! q-grams, so, with every key's q-grams sorted rarest first, the first `k·q + 1` of both must
//! share one. These prefix tokens are never capped, so no pair of tiny keys is ever missed.

use rayon::prelude::*;

use crate::cluster::similarity::{length_window, max_distance};

/// A fingerprint scheme: q-gram length and winnowing window, in bytes.
#[derive(Debug, Clone, Copy)]
struct Scheme {
    q: usize,
    w: usize,
    tag: u32,
}

/// Keys up to this many characters use the short scheme.
const SHORT_MAX: usize = 48;
/// Short keys: shared runs of 5 + 4 - 1 = 8 bytes always share a fingerprint.
const SHORT: Scheme = Scheme { q: 5, w: 4, tag: 0 };
/// Long keys: shared runs of 9 + 8 - 1 = 16 bytes always share a fingerprint.
const LONG: Scheme = Scheme { q: 9, w: 8, tag: 1 };

/// Fingerprints shared by more keys than this are ignored: common phrases. On a million
/// cartoon captions this bounds the candidates; 512 lost pairs of generated news captions
/// from template-sized families (79.7% recall at 0.8), 1024 loses 2 in 261,471 there and
/// none on 100,000 real captions (see docs/performance.md).
pub const MAX_POSTING: usize = 1024;

/// [`Index::candidate_pairs_apart`] asks the classes of a group's members when the join
/// finds at least this many pairs per member in it.
pub const CLASS_PAIRS: usize = 4;

/// Bits of the table that estimates how many keys share each fingerprint.
const FREQUENCY_BITS: u32 = 24;

/// Lowest threshold the index serves; below it nearly every pair is a candidate anyway and
/// clustering compares all pairs.
pub const MIN_INDEXED_THRESHOLD: f64 = 0.5;

/// Keys up to this many characters are matched exactly (prefix-filtered q-grams).
pub const TINY_MAX: usize = 24;

/// Tokens of the exact tiny-key filter have the top bit set and are never capped; winnowed
/// fingerprints never have it.
pub const EXACT_BIT: u32 = 1 << 31;

/// The most a fingerprint's estimated frequency counts when choosing a key's rarest
/// fingerprints: the estimates are `u16` counters that saturate.
pub const FREQUENCY_CAP: u32 = u16::MAX as u32;

/// The counter of the frequency table that estimates how many keys share winnowed
/// fingerprint `fingerprint`: fingerprints equal in their low 24 bits share a counter.
/// Exact tokens are counted exactly instead (by value).
pub fn frequency_slot(fingerprint: u32) -> u32 {
    fingerprint & ((1 << FREQUENCY_BITS) - 1)
}

/// The longest key that may be paired with a tiny key at `threshold`.
fn tiny_limit(threshold: f64) -> usize {
    (TINY_MAX as f64 / threshold).floor() as usize
}

/// The largest edit distance any pair involving a key of `len` characters can have and still
/// reach `threshold` (its partners are at most `len / threshold` long).
fn max_edits(len: usize, threshold: f64) -> usize {
    crate::cluster::similarity::max_distance((len as f64 / threshold).floor() as usize, threshold)
}

/// The q-gram length for a key of `len` characters in the exact filter: the longest `q <= 3`
/// for which its `k·q + 1` prefix is shorter than its q-gram list (else every q-gram could be
/// destroyed by the edits and the filter would not hold).
fn tiny_q(len: usize, threshold: f64) -> usize {
    let k = max_edits(len, threshold);
    (1..=3).rev().find(|&q| len >= q * (k + 1)).unwrap_or(1)
}

/// The q-gram lengths a tiny key is indexed under: its own and those of every length it may be
/// paired with, so that any pair shares the q of its shorter member.
fn tiny_qs(len: usize, threshold: f64) -> Vec<usize> {
    let lo = (threshold * len as f64).ceil() as usize;
    let hi = (len as f64 / threshold).floor() as usize;
    let mut qs: Vec<usize> = (lo.max(1)..=hi.max(lo.max(1)))
        .chain([len])
        .map(|l| tiny_q(l, threshold))
        .collect();
    qs.sort_unstable();
    qs.dedup();
    qs
}

/// The q-gram tokens of `chars`, tagged with `q`. Each occurrence of a repeated gram is its
/// own token (the low byte numbers them), so that shared tokens count the multiset overlap.
fn qgram_tokens(chars: &[char], q: usize) -> Vec<u32> {
    if chars.len() < q {
        return Vec::new();
    }
    let mut grams: Vec<u32> = chars
        .windows(q)
        .map(|gram| {
            let h = gram
                .iter()
                .fold(0x9e37_79b9_7f4a_7c15_u64 ^ q as u64, |h, &c| {
                    mix(h ^ u64::from(c))
                });
            ((h >> 32) as u32 & !0xff) | EXACT_BIT
        })
        .collect();
    grams.sort_unstable();
    let mut i = 0;
    while i < grams.len() {
        let run = grams[i..].iter().take_while(|&&g| g == grams[i]).count();
        for (n, g) in grams[i..i + run].iter_mut().enumerate() {
            *g |= n.min(0xff) as u32;
        }
        i += run;
    }
    grams
}

/// Which schemes a key of `len` characters is indexed under, at `threshold`. A pair of lengths
/// `a <= b` with `a >= threshold * b` is indexed under a common scheme: both short when
/// `b <= SHORT_MAX`, else both long, because `a >= threshold * b > threshold * SHORT_MAX`.
fn schemes(len: usize, threshold: f64) -> impl Iterator<Item = Scheme> {
    let short = len > TINY_MAX && len <= SHORT_MAX;
    let long = len as f64 >= (threshold * SHORT_MAX as f64).floor();
    [short.then_some(SHORT), long.then_some(LONG)]
        .into_iter()
        .flatten()
}

/// Mixes a 64-bit value into a well-spread 32-bit fingerprint (the murmur3 finaliser).
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Appends the winnowed fingerprints of `bytes` under `scheme` to `out`, without repeats,
/// in no particular order. A key shorter than one window keeps all its q-grams; one shorter
/// than a q-gram is one fingerprint of itself.
///
/// Winnowing keeps the minimum q-gram hash of every window of `w` consecutive ones. Which of
/// two equal minima is kept does not change the set, so the set is that of the windows'
/// minimum values: worked out a block of q-grams at a time, branch-free (the minima of
/// `w` neighbours vectorise), and appended whenever it changes from one window to the next.
fn fingerprints(bytes: &[u8], scheme: Scheme, scratch: &mut Scratch, out: &mut Vec<u32>) {
    let start = out.len();
    fingerprint_sequence(bytes, scheme, scratch, out);
    dedup_from(out, start);
}

/// The winnowed fingerprints of `bytes` under `scheme` in the order of the text, appended to
/// `out`: a value is repeated only when its window minimum comes back further on (what
/// [`fingerprints`] removes). Refinement reads each fingerprint's successors in this order.
fn fingerprint_sequence(bytes: &[u8], scheme: Scheme, scratch: &mut Scratch, out: &mut Vec<u32>) {
    let Scheme { q, w, tag } = scheme;
    let tagged = |h: u64| (mix(h ^ (u64::from(tag) << 56)) >> 33) as u32;
    if bytes.len() < q {
        let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        out.push(tagged(h ^ 0x9e37_79b9));
        return;
    }
    // Rolling polynomial hash of every q-gram, tagged. The q-grams go into a block (a
    // caption of ordinary length fits one); when it is full, its windows are winnowed and
    // its last `w - 1` q-grams start the next block, so a huge key costs no table per byte.
    const BASE: u64 = 0x100_0000_01b3;
    let top = (0..q - 1).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let first = bytes[..q - 1].iter().fold(0u64, |h, &b| {
        h.wrapping_mul(BASE).wrapping_add(u64::from(b) + 1)
    });
    let grams = bytes[q - 1..].iter().enumerate().scan(first, |h, (i, &b)| {
        if i > 0 {
            *h = h.wrapping_sub((u64::from(bytes[i - 1]) + 1).wrapping_mul(top));
        }
        *h = h.wrapping_mul(BASE).wrapping_add(u64::from(b) + 1);
        Some(tagged(*h))
    });
    if bytes.len() - q < w {
        // Shorter than one window: every q-gram.
        out.extend(grams);
    } else {
        let Scratch { grams: buf, minima } = scratch;
        let mut filled = 0;
        // The minimum of the last window winnowed, if any.
        let mut last: Option<u32> = None;
        for g in grams {
            if filled == BLOCK {
                winnow(&buf[..], w, minima, &mut last, out);
                buf.copy_within(BLOCK + 1 - w.., 0);
                filled = w - 1;
            }
            buf[filled] = g;
            filled += 1;
        }
        winnow(&buf[..filled], w, minima, &mut last, out);
    }
}

/// How many q-grams [`fingerprints`] winnows at a time.
const BLOCK: usize = 512;

/// Working space of [`fingerprints`], reused from key to key: a block of q-gram hashes and
/// their window minima.
struct Scratch {
    grams: Box<[u32; BLOCK]>,
    minima: Box<[u32; BLOCK]>,
}

impl Default for Scratch {
    fn default() -> Scratch {
        Scratch {
            grams: Box::new([0; BLOCK]),
            minima: Box::new([0; BLOCK]),
        }
    }
}

/// Appends to `out` the minimum of every window of `w` consecutive values of `grams` that
/// differs from the window before it (`last`, the minimum of the window before the first,
/// is updated); `minima` is working space.
fn winnow(
    grams: &[u32],
    w: usize,
    minima: &mut [u32; BLOCK],
    last: &mut Option<u32>,
    out: &mut Vec<u32>,
) {
    let windows = grams.len() + 1 - w;
    let minima = &mut minima[..windows];
    match w {
        4 => window_minima::<4>(grams, minima),
        8 => window_minima::<8>(grams, minima),
        _ => {
            for (m, window) in minima.iter_mut().zip(grams.windows(w)) {
                *m = window.iter().copied().min().expect("windows are not empty");
            }
        }
    }
    let mut prev = match *last {
        Some(m) => m,
        None => {
            out.push(minima[0]);
            minima[0]
        }
    };
    for &m in minima.iter() {
        if m != prev {
            out.push(m);
            prev = m;
        }
    }
    *last = Some(prev);
}

/// `minima[i]` = the minimum of `grams[i..i + W]`, for every window.
#[inline]
fn window_minima<const W: usize>(grams: &[u32], minima: &mut [u32]) {
    for (m, window) in minima.iter_mut().zip(grams.windows(W)) {
        let window: &[u32; W] = window.try_into().expect("windows have W values");
        *m = window.iter().copied().fold(u32::MAX, u32::min);
    }
}

/// Removes repeats from `v[start..]`, leaving `v[..start]` alone; the order of what is left
/// is unspecified. A key's few fingerprints are checked against a 64-bit mask of the ones
/// kept (repeats are rare: only repeated substrings make them) rather than sorted; many are
/// sorted.
fn dedup_from(v: &mut Vec<u32>, start: usize) {
    if v.len() - start > 64 {
        return sort_dedup_from(v, start);
    }
    let mut seen = 0u64;
    let mut n = start;
    for i in start..v.len() {
        let x = v[i];
        let bit = 1u64 << (x & 63);
        if seen & bit != 0 && v[start..n].contains(&x) {
            continue;
        }
        seen |= bit;
        v[n] = x;
        n += 1;
    }
    v.truncate(n);
}

/// Sorts `v[start..]` and removes repeats from it, leaving `v[..start]` alone.
fn sort_dedup_from(v: &mut Vec<u32>, start: usize) {
    v[start..].sort_unstable();
    let mut n = start;
    for i in start..v.len() {
        if i == start || v[i] != v[n - 1] {
            v[n] = v[i];
            n += 1;
        }
    }
    v.truncate(n);
}

/// Character counts of a key in 32 hashed bins. Every edit changes the counts by at most 2
/// in total, so half the difference of two histograms is a lower bound on the edit distance
/// (Levenshtein, Damerau, OSA); it costs a few nanoseconds and rejects most unrelated pairs.
#[derive(Debug, Clone, Copy)]
pub struct Histogram(pub(crate) [u8; 32]);

impl Histogram {
    /// The histogram of `text`.
    pub fn of(text: &str) -> Self {
        let mut h = [0u8; 32];
        for c in text.chars() {
            let bin = ((c as u32).wrapping_mul(0x9e37_79b1) >> 27) as usize;
            h[bin] = h[bin].saturating_add(1);
        }
        Histogram(h)
    }

    /// The count in each bin, saturated at 255.
    pub(crate) fn bins(&self) -> [u8; 32] {
        self.0
    }

    /// A lower bound on the edit distance. Saturated bins only make it smaller, so it stays
    /// a bound.
    pub fn edit_lower_bound(&self, other: &Histogram) -> usize {
        let l1: u32 = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(&a, &b)| u32::from(a.abs_diff(b)))
            .sum();
        l1.div_ceil(2) as usize
    }
}

/// A key's characters counted in 32 hashed bins of 4 bits (saturating at 15), packed in 16
/// bytes. Each edit changes the counts by at most 2 in total, so half the L1 distance of two
/// sketches is a lower bound on their edit distance (Levenshtein, OSA, Damerau); saturated
/// bins only lower it. A group's sketches are copied next to each other for its join, so
/// that scanning it rejects most members without touching memory elsewhere: on a million
/// cartoon captions it turns about 160 million shared-fingerprint pairs into a hundred
/// thousand.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sketch([u8; 16]);

impl Sketch {
    /// The sketch of `text`: its [`Histogram`] with each bin capped at 15, two bins a byte.
    pub fn of(text: &str) -> Sketch {
        Sketch::of_histogram(&Histogram::of(text))
    }

    /// The sketch of a text whose [`Histogram`] is already known.
    pub(crate) fn of_histogram(histogram: &Histogram) -> Sketch {
        let bins = histogram.bins();
        let mut packed = [0u8; 16];
        for (p, pair) in packed.iter_mut().zip(bins.chunks_exact(2)) {
            *p = pair[0].min(15) | (pair[1].min(15) << 4);
        }
        Sketch(packed)
    }

    /// A lower bound on the edit distance between the texts of `self` and `other`.
    #[inline]
    pub fn edit_lower_bound(&self, other: &Sketch) -> usize {
        self.l1(other).div_ceil(2) as usize
    }

    /// The L1 distance of the two count vectors (twice the edit distance bound, rounded up).
    #[inline]
    fn l1(&self, other: &Sketch) -> u32 {
        // Byte-wide first (at most 30 per byte), then one widening sum: both vectorise.
        let mut d = [0u8; 16];
        for ((d, &a), &b) in d.iter_mut().zip(&self.0).zip(&other.0) {
            *d = (a & 15).abs_diff(b & 15) + (a >> 4).abs_diff(b >> 4);
        }
        d.iter().map(|&x| u32::from(x)).sum()
    }
}

/// A key as the index reads it: its text and its length in characters. Clustering indexes
/// its own key records as they are, without a copy of `(text, length)` per key (24 bytes a
/// key).
pub(crate) trait IndexKey: Sync {
    /// The comparison key.
    fn text(&self) -> &str;
    /// Its length in characters.
    fn chars(&self) -> usize;
}

impl IndexKey for (&str, usize) {
    fn text(&self) -> &str {
        self.0
    }

    fn chars(&self) -> usize {
        self.1
    }
}

/// The inverted index: for every key, the fingerprint groups (postings) it belongs to.
///
/// Keys are numbered by rank, their place in (length, id) order: a group's members, sorted by
/// rank, are sorted by length, which is what the join needs; and the per-rank tables that
/// fill the groups are read in increasing order.
pub struct Index {
    /// The groups of all useful postings: those of the fingerprints, then those of each
    /// level of refinement (see `refine_over_cap`), each level's held apart so that adding
    /// one never copies the others.
    groups: Vec<Groups>,
    /// The length in characters of each rank.
    len_by_rank: Vec<u32>,
    /// The sketch of each rank. The join copies a group's sketches next to each other
    /// before comparing them (a table per member would hold each key's sketch in every
    /// group it is in: ten times the memory on real captions).
    sketch_by_rank: Vec<Sketch>,
    /// The key id of each rank.
    by_len: Vec<u32>,
    /// Fingerprints over the cap (more than [`MAX_POSTING`] keys share them), refined into
    /// longer contexts (see `refine_over_cap`).
    pub dropped_groups: usize,
}

impl Index {
    /// Builds the index over `keys` (comparison keys and their length in characters, by id)
    /// for `threshold`.
    pub fn build(keys: &[(&str, usize)], threshold: f64) -> Index {
        // Sketched in id order (the order the texts lie in memory), then gathered by rank.
        let sketches: Vec<Sketch> = keys.par_iter().map(|&(k, _)| Sketch::of(k)).collect();
        Index::build_sketched(keys, threshold, |id| sketches[id])
    }

    /// [`Index::build`] with each key's sketch from `sketch_of(id)`, asked once per key as
    /// the index's own table is filled, after the postings are grouped: clustering makes
    /// them there rather than hold a table of them beside the postings.
    pub(crate) fn build_sketched<K: IndexKey>(
        keys: &[K],
        threshold: f64,
        sketch_of: impl Fn(usize) -> Sketch + Sync,
    ) -> Index {
        Index::build_with(keys, threshold, sketch_of, true)
    }

    /// [`Index::build_sketched`], with or without the refinement of over-cap fingerprints
    /// (without: the index before refinement, for tests to compare).
    fn build_with<K: IndexKey>(
        keys: &[K],
        threshold: f64,
        sketch_of: impl Fn(usize) -> Sketch + Sync,
        refine: bool,
    ) -> Index {
        let by_len = ids_by_length(keys);
        let mut rank = vec![0u32; keys.len()];
        for (r, &id) in by_len.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        let parts = unsorted_postings(keys, threshold, |id| rank[id]);
        let (members, start, over) = grouped_postings(parts, MAX_POSTING);
        let dropped_groups = over.len();
        let mut groups = vec![Groups { members, start }];
        if refine {
            refine_over_cap(keys, threshold, &rank, over, &mut groups);
        }
        drop(rank);
        let len_by_rank: Vec<u32> = by_len
            .par_iter()
            .map(|&id| keys[id as usize].chars() as u32)
            .collect();
        let sketch_by_rank: Vec<Sketch> = by_len
            .par_iter()
            .map(|&id| sketch_of(id as usize))
            .collect();

        Index {
            groups,
            len_by_rank,
            sketch_by_rank,
            by_len,
            dropped_groups,
        }
    }

    /// Every pair of keys that shares a fingerprint or an exact token, whose lengths allow
    /// `threshold`, and whose [`Sketch`]es do not rule it out, packed as `i << 32 | j` with
    /// `i < j`, sorted and without repeats.
    ///
    /// The join runs group by group: a group's members are sorted by length, so each member's
    /// partners of compatible length are the members right after it, and the scan touches
    /// nothing but the group's own three arrays.
    pub fn candidate_pairs(&self, threshold: f64) -> Vec<u64> {
        self.join(threshold, None, self.groups.iter())
    }

    /// [`Index::candidate_pairs`], freeing each part of the index once it has been joined
    /// (the groups of the fingerprints, then of each level of refinement): the candidates
    /// and the groups are not all held at once.
    pub(crate) fn into_candidate_pairs(mut self, threshold: f64) -> Vec<u64> {
        let groups = std::mem::take(&mut self.groups);
        self.join(threshold, None, groups.into_iter())
    }

    /// [`Index::candidate_pairs`] without the pairs of keys whose classes `class_of(id)` are
    /// both nonzero and differ: the caller knows such keys can never be linked (clustering
    /// gives a long key the hash of its numbers when the facts veto is on). 0 is no class.
    ///
    /// Classes are asked only in groups where the join finds at least [`CLASS_PAIRS`] pairs
    /// per member (a class may be costly, and templated captions, the same sentence with
    /// other names and dates, fill such groups): a pair of different classes may still be
    /// returned, and every pair of [`Index::candidate_pairs`] whose classes do not differ
    /// is.
    ///
    /// ```
    /// use capdedup::index::Index;
    /// let keys: Vec<String> = (10..30)
    ///     .map(|day| format!("riot police detain a protester in minsk on sunday, sept. {day}"))
    ///     .collect();
    /// let refs: Vec<(&str, usize)> = keys.iter().map(|k| (k.as_str(), k.len())).collect();
    /// let index = Index::build(&refs, 0.9);
    /// assert_eq!(index.candidate_pairs(0.9).len(), 20 * 19 / 2);
    /// // Each day its own class: no pair is left.
    /// assert!(index.candidate_pairs_apart(0.9, |id| id as u32 + 1).is_empty());
    /// // No class: every pair.
    /// assert_eq!(index.candidate_pairs_apart(0.9, |_| 0).len(), 20 * 19 / 2);
    /// ```
    pub fn candidate_pairs_apart(
        &self,
        threshold: f64,
        class_of: impl Fn(usize) -> u32 + Sync,
    ) -> Vec<u64> {
        self.join(threshold, Some(&class_of), self.groups.iter())
    }

    /// [`Index::candidate_pairs_apart`], freeing each part of the index once it has been
    /// joined (see [`Index::into_candidate_pairs`]).
    pub(crate) fn into_candidate_pairs_apart(
        mut self,
        threshold: f64,
        class_of: impl Fn(usize) -> u32 + Sync,
    ) -> Vec<u64> {
        let groups = std::mem::take(&mut self.groups);
        self.join(threshold, Some(&class_of), groups.into_iter())
    }

    /// The join of the groups of `segments`, each dropped once joined when they are owned.
    fn join<S: std::borrow::Borrow<Groups>>(
        &self,
        threshold: f64,
        class_of: Option<&(dyn Fn(usize) -> u32 + Sync)>,
        segments: impl Iterator<Item = S>,
    ) -> Vec<u64> {
        // Per member length: the longest partner length and twice the edits allowed. Looked
        // up for ordinary lengths (every member needs them, and working them out is several
        // floating-point divisions), worked out for longer ones.
        let bounds_of = |len: usize| {
            let (_, longest) = length_window(len, threshold);
            (longest, 2 * max_distance(longest, threshold) as u32)
        };
        let longest_member = self.len_by_rank.last().copied().unwrap_or(0) as usize;
        let table: Vec<(usize, u32)> = (0..=longest_member.min(1 << 16)).map(bounds_of).collect();
        let bounds = |len: u32| {
            table
                .get(len as usize)
                .copied()
                .unwrap_or_else(|| bounds_of(len as usize))
        };
        let scan = |segment: &Groups| -> Vec<Vec<u64>> {
            (0..segment.start.len() - 1)
                .into_par_iter()
                .with_min_len(256)
                .fold(
                    || (Vec::new(), Vec::new(), Vec::new(), COMPACT_FROM),
                    |(mut out, mut lens, mut sketches, mut compact_at): (
                        Vec<u64>,
                        Vec<u32>,
                        Vec<Sketch>,
                        usize,
                    ),
                     g| {
                        let (lo, hi) = (segment.start[g] as usize, segment.start[g + 1] as usize);
                        let ranks = &segment.members[lo..hi];
                        lens.clear();
                        lens.extend(ranks.iter().map(|&r| self.len_by_rank[r as usize]));
                        sketches.clear();
                        sketches.extend(ranks.iter().map(|&r| self.sketch_by_rank[r as usize]));
                        let id = |p: usize| self.by_len[ranks[p] as usize];
                        let first = out.len();
                        // Members `p + 1..end` are the partners of compatible length of member `p`:
                        // `end` only grows with `p`, as lengths do.
                        let mut end = 0;
                        for p in 0..ranks.len() {
                            let (longest, k2) = bounds(lens[p]);
                            end = end.max(p + 1);
                            while end < ranks.len() && lens[end] as usize <= longest {
                                end += 1;
                            }
                            let mine = &sketches[p];
                            for (q, other) in sketches.iter().enumerate().take(end).skip(p + 1) {
                                if mine.l1(other) <= k2 {
                                    // Positions in the group for now: ids once the group is done.
                                    out.push(((p as u64) << 32) | q as u64);
                                }
                            }
                        }
                        let found = out.len() - first;
                        let pair = |pq: u64| {
                            let (a, b) = (id((pq >> 32) as usize), id(pq as u32 as usize));
                            (u64::from(a.min(b)) << 32) | u64::from(a.max(b))
                        };
                        match class_of {
                            Some(class_of) if found >= CLASS_PAIRS * ranks.len() => {
                                let classes: Vec<u32> =
                                    (0..ranks.len()).map(|p| class_of(id(p) as usize)).collect();
                                let mut kept = first;
                                for at in first..out.len() {
                                    let pq = out[at];
                                    let (a, b) =
                                        (classes[(pq >> 32) as usize], classes[pq as u32 as usize]);
                                    if a == b || a == 0 || b == 0 {
                                        out[kept] = pair(pq);
                                        kept += 1;
                                    }
                                }
                                out.truncate(kept);
                            }
                            _ => {
                                for pq in &mut out[first..] {
                                    *pq = pair(*pq);
                                }
                            }
                        }
                        // A pair shares many groups (near duplicates share most of their
                        // fingerprints, and refinement puts each shared run in a group of its
                        // own): the repeats are dropped as they pile up, not once all are held.
                        if out.len() >= compact_at {
                            out.sort_unstable();
                            out.dedup();
                            compact_at = (2 * out.len()).max(COMPACT_FROM);
                        }
                        (out, lens, sketches, compact_at)
                    },
                )
                .map(|(mut out, _, _, _)| {
                    out.sort_unstable();
                    out.dedup();
                    out.shrink_to_fit();
                    out
                })
                .collect()
        };
        let mut found: Vec<Vec<u64>> = Vec::new();
        for segment in segments {
            found.extend(scan(segment.borrow()));
        }
        // Gathered one part at a time, each freed once copied, and the repeats dropped
        // whenever the pairs have doubled: the parts overlap (a pair is found in every group
        // it shares), and a table as large as all of them was a third of the candidates'
        // memory.
        let mut pairs: Vec<u64> = Vec::new();
        let mut compact_at = COMPACT_FROM;
        for part in found {
            pairs.extend_from_slice(&part);
            drop(part);
            if pairs.len() >= compact_at {
                pairs.par_sort_unstable();
                pairs.dedup();
                compact_at = (2 * pairs.len()).max(COMPACT_FROM);
            }
        }
        pairs.par_sort_unstable();
        pairs.dedup();
        pairs
    }
}

/// Groups of keys that share a token: `members[start[g]..start[g + 1]]` are the ranks of group
/// `g`'s members, ascending.
struct Groups {
    members: Vec<u32>,
    start: Vec<u32>,
}

/// The join sorts a part's pairs and drops their repeats whenever they have doubled since the
/// last time, from this many on.
const COMPACT_FROM: usize = 1 << 16;

/// Key ids in (length, id) order. Lengths are small numbers, so a counting sort does it in
/// two passes; a comparison sort only when some key is very long.
fn ids_by_length<K: IndexKey>(keys: &[K]) -> Vec<u32> {
    let longest = keys.iter().map(IndexKey::chars).max().unwrap_or(0);
    if longest > 1 << 20 {
        let mut by_len: Vec<u32> = (0..keys.len() as u32).collect();
        by_len.par_sort_unstable_by_key(|&id| (keys[id as usize].chars(), id));
        return by_len;
    }
    let mut start = vec![0u32; longest + 2];
    for key in keys {
        start[key.chars() + 1] += 1;
    }
    for len in 0..=longest {
        start[len + 1] += start[len];
    }
    let mut by_len = vec![0u32; keys.len()];
    for (id, key) in keys.iter().enumerate() {
        let len = key.chars();
        by_len[start[len] as usize] = id as u32;
        start[len] += 1;
    }
    by_len
}

/// Everything a key can be indexed under, before its rarest tokens are chosen: what
/// [`Index::build`] computes for each key on its own. Choosing needs the frequencies over all
/// keys (see [`blocking_keys`]); a distributed job counts them in a first pass.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyTokens {
    /// Winnowed fingerprints (keys longer than [`TINY_MAX`]), per scheme sorted and without
    /// repeats; a key under both schemes lists both sets.
    pub fingerprints: Vec<u32>,
    /// How many fingerprints are indexed (today all of them): the first this many, rarest
    /// first, ordered by
    /// (estimated frequency of [`frequency_slot`] capped at [`FREQUENCY_CAP`], value).
    pub fingerprints_kept: usize,
    /// Exact-filter tokens of tiny keys (up to `TINY_MAX / threshold` characters), one list
    /// per q-gram length: the tokens ([`EXACT_BIT`] set) and how many are indexed, rarest
    /// first, ordered by (number of these token lists over all keys holding it, value).
    pub exact: Vec<(Vec<u32>, usize)>,
}

/// The tokens key `key` (of `len` characters) can be indexed under at `threshold`.
///
/// ```
/// use capdedup::index::{key_tokens, EXACT_BIT};
/// let long = key_tokens("riot police detain a protester in minsk, belarus", 48, 0.9);
/// assert!(!long.fingerprints.is_empty() && long.exact.is_empty());
/// let tiny = key_tokens("a cat sleeps", 12, 0.9);
/// assert!(tiny.fingerprints.is_empty());
/// assert!(tiny.exact.iter().all(|(t, kept)| *kept <= t.len() && t.iter().all(|x| x & EXACT_BIT != 0)));
/// ```
pub fn key_tokens(key: &str, len: usize, threshold: f64) -> KeyTokens {
    let mut fps = Vec::new();
    let mut scratch = Scratch::default();
    for scheme in schemes(len, threshold) {
        let start = fps.len();
        fingerprints(key.as_bytes(), scheme, &mut scratch, &mut fps);
        fps[start..].sort_unstable();
    }
    let kept = fps.len();
    let exact = if len <= tiny_limit(threshold) {
        exact_lists(key, len, threshold)
    } else {
        Vec::new()
    };
    KeyTokens {
        fingerprints: fps,
        fingerprints_kept: kept,
        exact,
    }
}

/// The postings of the candidate index: `(token, key id)` for the rarest tokens of every key
/// (ids are positions in `keys`: comparison keys with their length in characters), sorted.
/// Keys that share a token are candidates, except that a winnowed fingerprint (no
/// [`EXACT_BIT`]) held by more than [`MAX_POSTING`] keys is ignored.
///
/// ```
/// let keys = [("riot police detain a protester in minsk", 39), ("riot police detain a protestor in minsk", 39)];
/// let postings = capdedup::index::blocking_keys(&keys, 0.9);
/// let shared = postings.iter().any(|&(t, id)| id == 0 && postings.contains(&(t, 1)));
/// assert!(shared);
/// ```
pub fn blocking_keys(keys: &[(&str, usize)], threshold: f64) -> Vec<(u32, u32)> {
    selected_postings(keys, threshold)
        .into_iter()
        .map(|p| ((p >> 32) as u32, p as u32))
        .collect()
}

/// Sorts the postings of all `parts` together: each part counted by buckets of their top
/// bits and scattered straight into its place in the result (the parts on all cores, each
/// into slices of its own), then each bucket, small enough for the cache, sorted in place
/// (the buckets on all cores). Returns the sorted postings and each bucket's range in them;
/// equal tokens share a bucket. Each part is freed once scattered, so the postings are held
/// at most twice (the parts and the result), not three times.
fn sort_in_buckets(parts: Vec<Vec<u64>>) -> (Vec<u64>, Vec<(usize, usize)>) {
    const BITS: u32 = 10;
    const BUCKETS: usize = 1 << BITS;
    let bucket = |p: u64| (p >> (64 - BITS)) as usize;
    // 1. How many entries of each part fall in each bucket.
    let counts: Vec<Vec<usize>> = parts
        .par_iter()
        .map(|part| {
            let mut count = vec![0usize; BUCKETS];
            for &p in part {
                count[bucket(p)] += 1;
            }
            count
        })
        .collect();
    // 2. The result cut into a slice per (bucket, part), bucket-major, handed to the parts.
    let total: usize = parts.iter().map(Vec::len).sum();
    let mut sorted = vec![0u64; total];
    let mut ranges = Vec::with_capacity(BUCKETS);
    let mut slices: Vec<Vec<&mut [u64]>> = (0..parts.len())
        .map(|_| Vec::with_capacity(BUCKETS))
        .collect();
    let mut rest = sorted.as_mut_slice();
    let mut at = 0;
    for b in 0..BUCKETS {
        let from = at;
        for (part, count) in counts.iter().enumerate() {
            let (head, tail) = rest.split_at_mut(count[b]);
            slices[part].push(head);
            rest = tail;
            at += count[b];
        }
        ranges.push((from, at));
    }
    // 3. Each part scattered into its slices, then freed.
    parts
        .into_par_iter()
        .zip(slices)
        .for_each(|(part, mut slices)| {
            let mut next = vec![0usize; BUCKETS];
            for &p in &part {
                let b = bucket(p);
                slices[b][next[b]] = p;
                next[b] += 1;
            }
        });
    // 4. Each bucket sorted in place.
    let mut buckets: Vec<&mut [u64]> = Vec::with_capacity(BUCKETS);
    let mut rest = sorted.as_mut_slice();
    for &(from, to) in &ranges {
        let (head, tail) = rest.split_at_mut(to - from);
        buckets.push(head);
        rest = tail;
    }
    buckets.into_par_iter().for_each(|b| b.sort_unstable());
    (sorted, ranges)
}

/// [`blocking_keys`] packed as `token << 32 | id`, sorted.
fn selected_postings(keys: &[(&str, usize)], threshold: f64) -> Vec<u64> {
    let parts = unsorted_postings(keys, threshold, |id| id as u32);
    sort_in_buckets(parts.iter().map(Part::packed).collect()).0
}

/// One core's share of the postings: each key's tokens, four bytes each, one after the
/// other, and `(label, how many tokens)` per key. Packed as `token << 32 | label` only a
/// round at a time (see [`grouped_postings`]): eight bytes a posting, twice over while they
/// were sorted, were the largest table of a run.
#[derive(Debug, Default)]
struct Part {
    tokens: Vec<u32>,
    runs: Vec<(u32, u32)>,
}

impl Part {
    fn push(&mut self, label: u32, tokens: &[u32]) {
        if !tokens.is_empty() {
            self.tokens.extend_from_slice(tokens);
            self.runs.push((label, tokens.len() as u32));
        }
    }

    /// Every posting, packed as `token << 32 | label`.
    fn postings(&self) -> impl Iterator<Item = u64> + '_ {
        let mut at = 0;
        self.runs.iter().flat_map(move |&(label, n)| {
            let tokens = &self.tokens[at..at + n as usize];
            at += n as usize;
            tokens
                .iter()
                .map(move |&t| (u64::from(t) << 32) | u64::from(label))
        })
    }

    fn packed(&self) -> Vec<u64> {
        self.postings().collect()
    }
}

/// Postings sorted in this many rounds, about as large as each other.
const ROUNDS: usize = 8;

/// The useful groups of the postings of all `parts`, as [`Index`] holds them: the labels of
/// each group's members (ascending), the groups one after the other in token order, each
/// group's start, and the tokens of the groups dropped (winnowed fingerprints of more than
/// [`MAX_POSTING`] keys), ascending. Groups of one key are left out.
///
/// The same groups as sorting every posting at once, with an eighth of the postings packed
/// at a time: the tokens are counted by buckets of their top bits, the buckets cut into
/// [`ROUNDS`] runs of about the same size, and for each run every part scatters the postings
/// of its buckets into their place (the parts on all cores), each bucket is sorted in place
/// and its groups read off (the buckets on all cores). The buffer is reused from round to
/// round.
fn grouped_postings(parts: Vec<Part>, cap: usize) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    const BITS: u32 = 10;
    const BUCKETS: usize = 1 << BITS;
    let bucket = |t: u32| (t >> (32 - BITS)) as usize;
    let counts: Vec<Vec<usize>> = parts
        .par_iter()
        .map(|part| {
            let mut count = vec![0usize; BUCKETS];
            for &t in &part.tokens {
                count[bucket(t)] += 1;
            }
            count
        })
        .collect();
    let per_bucket: Vec<usize> = (0..BUCKETS)
        .map(|b| counts.iter().map(|c| c[b]).sum())
        .collect();
    let total: usize = per_bucket.iter().sum();
    let target = (total / ROUNDS).max(1);
    let mut rounds: Vec<(usize, usize)> = Vec::new();
    let (mut from, mut size) = (0, 0);
    for (b, &n) in per_bucket.iter().enumerate() {
        size += n;
        if size >= target || b + 1 == BUCKETS {
            rounds.push((from, b + 1));
            (from, size) = (b + 1, 0);
        }
    }
    let round_size = |&(lo, hi): &(usize, usize)| per_bucket[lo..hi].iter().sum::<usize>();
    let largest = rounds.iter().map(round_size).max().unwrap_or(0);
    let mut buffer = vec![0u64; largest];
    // Room for every posting at once: the kept members are fewer, and the pages of the
    // room they never fill are never touched, so never resident. Grown by doubling, the
    // members were copied to a new buffer twice their size with the old one still held,
    // beside the postings: 1M New Yorker captions peaked 30 to 50 MB higher.
    let mut members: Vec<u32> = Vec::with_capacity(total);
    let mut group_start: Vec<u32> = vec![0];
    let mut dropped: Vec<u32> = Vec::new();
    for &(lo, hi) in &rounds {
        let round = &mut buffer[..round_size(&(lo, hi))];
        // The round cut into a slice per (bucket, part), bucket-major, handed to the parts.
        let mut slices: Vec<Vec<&mut [u64]>> = (0..parts.len())
            .map(|_| Vec::with_capacity(hi - lo))
            .collect();
        let mut ranges = Vec::with_capacity(hi - lo);
        let mut rest = &mut round[..];
        let mut at = 0;
        for b in lo..hi {
            let from = at;
            for (part, count) in counts.iter().enumerate() {
                let (head, tail) = rest.split_at_mut(count[b]);
                slices[part].push(head);
                rest = tail;
                at += count[b];
            }
            ranges.push((from, at));
        }
        parts.par_iter().zip(slices).for_each(|(part, mut slices)| {
            let mut next = vec![0usize; hi - lo];
            for p in part.postings() {
                let b = bucket((p >> 32) as u32);
                if (lo..hi).contains(&b) {
                    let i = b - lo;
                    slices[i][next[i]] = p;
                    next[i] += 1;
                }
            }
        });
        let mut buckets: Vec<&mut [u64]> = Vec::with_capacity(hi - lo);
        let mut rest = &mut round[..];
        for &(from, to) in &ranges {
            let (head, tail) = rest.split_at_mut(to - from);
            buckets.push(head);
            rest = tail;
        }
        // Each bucket sorted and its groups read off: (members, group sizes, dropped).
        let found: Vec<(Vec<u32>, Vec<u32>, Vec<u32>)> = buckets
            .into_par_iter()
            .map(|b| {
                b.sort_unstable();
                let (mut kept, mut sizes, mut dropped) = (Vec::new(), Vec::new(), Vec::new());
                for group in b.chunk_by(|a, b| a >> 32 == b >> 32) {
                    let exact = (group[0] >> 32) as u32 & EXACT_BIT != 0;
                    if group.len() > cap && !exact {
                        dropped.push((group[0] >> 32) as u32);
                    } else if group.len() >= 2 {
                        kept.extend(group.iter().map(|&p| p as u32));
                        sizes.push(group.len() as u32);
                    }
                }
                (kept, sizes, dropped)
            })
            .collect();
        for (kept, sizes, d) in found {
            members.extend_from_slice(&kept);
            for n in sizes {
                group_start.push(group_start[group_start.len() - 1] + n);
            }
            dropped.extend_from_slice(&d);
        }
    }
    (members, group_start, dropped)
}

/// How far past a fingerprint the contexts of refinement reach, level by level, in
/// fingerprints: level `l`'s token of a fingerprint is the hash of the run of
/// `REFINE_LEVELS[l] + 1` fingerprints that starts with it.
/// Each level is a pass over the keys that still have an occurrence over the cap. The steps
/// stay small because a typo near the end of a short caption leaves one shared run of about
/// 13 fingerprints: levels 3, 8, 16, 32 missed 4 of the 599 linkable pairs of the sample at
/// a million generated captions.
const REFINE_LEVELS: [usize; 7] = [3, 6, 9, 12, 16, 24, 32];

/// The refinement token of the window `seq[start..end]` at `level`, from the prefix hashes
/// `prefix` of `seq` (`prefix[i]` hashes `seq[..i]`) and the powers of their base: a
/// polynomial hash of the window, mixed with the level, without [`EXACT_BIT`].
fn window_token(prefix: &[u64], powers: &[u64], start: usize, end: usize, level: usize) -> u32 {
    let h = prefix[end].wrapping_sub(prefix[start].wrapping_mul(powers[end - start]));
    (mix(h ^ ((level as u64 + 1) << 58) ^ (end - start) as u64) >> 33) as u32
}

/// The window of level `level` for the fingerprint at `i` of a sequence of `n`: the
/// `REFINE_LEVELS[level] + 1` fingerprints from `i` on, moved back at the end of the
/// sequence (so that it stays that long), the whole sequence when it is shorter.
fn refine_window(i: usize, n: usize, level: usize) -> (usize, usize) {
    let len = (REFINE_LEVELS[level] + 1).min(n);
    let start = i.min(n - len);
    (start, start + len)
}

/// Refinement of the fingerprints over the cap: their keys split by a longer context until
/// the groups are small enough to join, each level's groups (as [`grouped_postings`] gives
/// them) appended to `groups`.
///
/// A fingerprint over [`MAX_POSTING`] keys is a phrase many captions hold, and on templated
/// captions at a million and more every fingerprint two near duplicates share can be one.
/// So each occurrence of such a fingerprint in a key (in the order of the key's text) gets a
/// level-1 token: the hash of the run of fingerprints that starts with it and reaches
/// [`REFINE_LEVELS`]`[0]` fingerprints further. Keys sharing that token share the whole run
/// (up to hash collisions, which only add candidates). Groups of level-1 tokens under the cap
/// are joined like any other group; the occurrences whose level-1 token is itself over the
/// cap get a level-2 token, with a longer run, and so on up to the last level. Near
/// duplicates (a typo, a changed word) share long runs, so they meet in a small group;
/// template siblings, which share only phrases, spread out as the runs reach their
/// differences. Occurrences still over the cap at the last level, or whose run already covers
/// the whole key, are dropped.
///
/// Every group is a function of the keys alone (tokens are sorted), so the candidates do not
/// depend on the order of the input or the number of threads. Nothing is refined when no
/// fingerprint is over the cap. Each level costs a fingerprinting of the keys that had an
/// occurrence left, and the postings of those occurrences, grouped in rounds as the first
/// level is. Between levels a key keeps a bit per fingerprint (is this occurrence still over
/// the cap?), not its sequence (4 bytes a fingerprint) nor its tokens: an occurrence costs
/// the token of its last level and of its next, whatever the level, where reading every
/// level again from the start cost the square of the levels; its groups are a part of the
/// index of their own, so that adding a level never copies the ones before it.
fn refine_over_cap<K: IndexKey>(
    keys: &[K],
    threshold: f64,
    rank: &[u32],
    over: Vec<u32>,
    groups: &mut Vec<Groups>,
) {
    if over.is_empty() {
        return;
    }
    // The tokens over the cap at the level before (before level 0: the fingerprints),
    // ascending.
    let mut over_before: Vec<u32> = over;
    // The keys with an occurrence still over the cap, and which of their occurrences are:
    // key `active[a]`'s bits are `alive[alive_start[a]..alive_start[a + 1]]`, a bit per
    // fingerprint of its sequences (its schemes' one after the other). Empty before level 0,
    // where every key is read and every occurrence of a fingerprint over the cap counts.
    let mut active: Vec<u32> = (0..keys.len() as u32).collect();
    let mut alive: Vec<u64> = Vec::new();
    let mut alive_start: Vec<u32> = Vec::new();
    for level in 0..REFINE_LEVELS.len() {
        let before = &over_before;
        let (alive_ref, start_ref) = (&alive, &alive_start);
        let chunks: Vec<RefineChunk> = active
            .par_iter()
            .enumerate()
            .with_min_len(1024)
            .fold(
                || (RefineChunk::default(), RefineScratch::default()),
                |(mut chunk, mut s), (a, &id)| {
                    let key = &keys[id as usize];
                    let old = (level > 0)
                        .then(|| &alive_ref[start_ref[a] as usize..start_ref[a + 1] as usize]);
                    s.fill(key, threshold);
                    let words = s.seq.len().div_ceil(64);
                    let bits_at = chunk.bits.len();
                    chunk.bits.resize(bits_at + words, 0);
                    s.out.clear();
                    for &(from, to) in &s.bounds {
                        let n = to - from;
                        for i in from..to {
                            let still = match old {
                                None => before.binary_search(&s.seq[i]).is_ok(),
                                Some(old) => {
                                    old[i / 64] >> (i % 64) & 1 == 1 && {
                                        let (ws, we) = refine_window(i - from, n, level - 1);
                                        // A window of the whole key cannot grow: dropped.
                                        we - ws < n
                                            && before
                                                .binary_search(&s.token(
                                                    from + ws,
                                                    from + we,
                                                    level - 1,
                                                ))
                                                .is_ok()
                                    }
                                }
                            };
                            if still {
                                chunk.bits[bits_at + i / 64] |= 1 << (i % 64);
                                let (ws, we) = refine_window(i - from, n, level);
                                let t = s.token(from + ws, from + we, level);
                                s.out.push(t);
                            }
                        }
                    }
                    if s.out.is_empty() {
                        chunk.bits.truncate(bits_at);
                    } else {
                        s.out.sort_unstable();
                        s.out.dedup();
                        chunk.part.push(rank[id as usize], &s.out);
                        chunk.ids.push(id);
                        chunk.words.push(words as u32);
                    }
                    (chunk, s)
                },
            )
            .map(|(chunk, _)| chunk)
            .collect();
        // The next level's keys and bits, chunk by chunk (the order does not matter: the
        // groups are sorted).
        let mut next: Vec<u32> = Vec::with_capacity(chunks.iter().map(|c| c.ids.len()).sum());
        let mut next_alive: Vec<u64> =
            Vec::with_capacity(chunks.iter().map(|c| c.bits.len()).sum());
        let mut next_start: Vec<u32> = Vec::with_capacity(next.capacity() + 1);
        next_start.push(0);
        let mut postings: Vec<Part> = Vec::with_capacity(chunks.len());
        for chunk in chunks {
            next.extend_from_slice(&chunk.ids);
            next_alive.extend_from_slice(&chunk.bits);
            for w in chunk.words {
                let end = next_start[next_start.len() - 1] + w;
                next_start.push(end);
            }
            postings.push(chunk.part);
        }
        drop((active, alive, alive_start));
        if next.is_empty() {
            break;
        }
        let (found, starts, dropped) = grouped_postings(postings, MAX_POSTING);
        if starts.len() > 1 {
            groups.push(Groups {
                members: found,
                start: starts,
            });
        }
        if dropped.is_empty() {
            break;
        }
        over_before = dropped;
        (active, alive, alive_start) = (next, next_alive, next_start);
    }
}

/// What a share of the keys gives one level of [`refine_over_cap`]: the postings of its
/// keys' occurrences still over the cap, those keys, their bits (which occurrences) and how
/// many 64-bit words of bits each has.
#[derive(Default)]
struct RefineChunk {
    part: Part,
    ids: Vec<u32>,
    bits: Vec<u64>,
    words: Vec<u32>,
}

/// Working space of [`refine_over_cap`], reused from key to key: a key's fingerprint
/// sequences (one per scheme, one after the other, with their ranges), their prefix hashes
/// and the powers of the hash's base, and the key's tokens.
#[derive(Default)]
struct RefineScratch {
    scratch: Scratch,
    seq: Vec<u32>,
    bounds: Vec<(usize, usize)>,
    prefix: Vec<u64>,
    powers: Vec<u64>,
    out: Vec<u32>,
}

impl RefineScratch {
    /// The base of the polynomial hash of runs of fingerprints.
    const BASE: u64 = 0x9e37_79b9_7f4a_7c15;

    /// Reads `key`'s fingerprint sequences and their prefix hashes.
    fn fill<K: IndexKey>(&mut self, key: &K, threshold: f64) {
        self.seq.clear();
        self.bounds.clear();
        for scheme in schemes(key.chars(), threshold) {
            let from = self.seq.len();
            fingerprint_sequence(
                key.text().as_bytes(),
                scheme,
                &mut self.scratch,
                &mut self.seq,
            );
            self.bounds.push((from, self.seq.len()));
        }
        self.prefix.clear();
        self.prefix.push(0);
        let mut h = 0u64;
        for &f in &self.seq {
            h = h.wrapping_mul(Self::BASE).wrapping_add(u64::from(f) + 1);
            self.prefix.push(h);
        }
        if self.powers.len() <= self.seq.len() {
            if self.powers.is_empty() {
                self.powers.push(1);
            }
            while self.powers.len() <= self.seq.len() {
                let p = self.powers[self.powers.len() - 1];
                self.powers.push(p.wrapping_mul(Self::BASE));
            }
        }
    }

    /// The token of `seq[start..end]` at `level` (see [`window_token`]).
    fn token(&self, start: usize, end: usize, level: usize) -> u32 {
        window_token(&self.prefix, &self.powers, start, end, level)
    }
}

/// [`blocking_keys`] with each key labelled `label(id)`, in parts (one per core's share of
/// the keys), in no particular order.
///
/// Winnowed fingerprints are all posted, so they go straight into flat buffers on all
/// cores; only tiny keys keep lists of exact tokens, whose rarest are chosen once every such
/// list has been counted.
fn unsorted_postings<K: IndexKey>(
    keys: &[K],
    threshold: f64,
    label: impl Fn(usize) -> u32 + Sync,
) -> Vec<Part> {
    let limit = tiny_limit(threshold);
    // 1. Every key's fingerprints, and the exact-token lists of tiny keys, in parallel.
    let parts: Vec<_> = keys
        .par_iter()
        .enumerate()
        .with_min_len(1024)
        .fold(
            || (Part::default(), Vec::new(), Vec::new(), Scratch::default()),
            |(mut postings, mut tiny, mut fps, mut scratch): (Part, Vec<_>, Vec<u32>, _),
             (id, key)| {
                let (k, len) = (key.text(), key.chars());
                fps.clear();
                for scheme in schemes(len, threshold) {
                    fingerprints(k.as_bytes(), scheme, &mut scratch, &mut fps);
                }
                postings.push(label(id), &fps);
                if len <= limit {
                    tiny.push((id as u32, exact_lists(k, len, threshold)));
                }
                (postings, tiny, fps, scratch)
            },
        )
        .collect();
    let mut postings: Vec<Part> = Vec::with_capacity(parts.len() + 1);
    let mut tiny: Vec<(u32, ExactLists)> = Vec::new();
    for (p, t, _, _) in parts {
        postings.push(p);
        tiny.extend(t);
    }
    if tiny.is_empty() {
        return postings;
    }
    // 2. Exact tokens of tiny keys: each list's q-grams sorted rarest first (ties by token),
    // the first k·q + 1, counted exactly over all lists.
    let mut exact_frequency: hashbrown::HashMap<u32, u32> = hashbrown::HashMap::new();
    for (_, lists) in &tiny {
        for (list, _) in lists {
            for &tok in list {
                *exact_frequency.entry(tok).or_insert(0) += 1;
            }
        }
    }
    let exact: Vec<Part> = tiny
        .into_par_iter()
        .fold(
            || (Part::default(), Vec::new()),
            |(mut part, mut chosen): (Part, Vec<u32>), (id, lists)| {
                chosen.clear();
                for (list, kept) in lists {
                    let mut ranked: Vec<u64> = list
                        .iter()
                        .map(|tok| (u64::from(exact_frequency[tok]) << 32) | u64::from(*tok))
                        .collect();
                    ranked.sort_unstable();
                    ranked.truncate(kept);
                    chosen.extend(ranked.into_iter().map(|r| r as u32));
                }
                part.push(label(id as usize), &chosen);
                (part, chosen)
            },
        )
        .map(|(part, _)| part)
        .collect();
    postings.extend(exact);
    postings
}

/// The exact-filter token lists of a key: per q-gram length, the tokens and how many of
/// them (rarest first) are posted.
type ExactLists = Vec<(Vec<u32>, usize)>;

/// The exact-filter token lists of a tiny key (see [`KeyTokens::exact`]).
fn exact_lists(key: &str, len: usize, threshold: f64) -> ExactLists {
    let chars: Vec<char> = key.chars().collect();
    tiny_qs(len, threshold)
        .into_iter()
        .map(|q| {
            let t = qgram_tokens(&chars, q);
            let kept = (max_edits(len, threshold) * q + 1).min(t.len());
            (t, kept)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fps(s: &str, scheme: Scheme) -> Vec<u32> {
        let mut v = Vec::new();
        fingerprints(s.as_bytes(), scheme, &mut Scratch::default(), &mut v);
        v
    }

    /// Captions of eight 20-byte phrases out of three (all 6,561 of them): every phrase is
    /// held by thousands of keys, and so is every pair of phrases one after the other, so
    /// that every fingerprint is over the cap. Twins: `twins` of them (spread out) with one
    /// byte changed in the middle. Returns the keys and the (original, twin) ids.
    fn templated_with_twins(twins: usize) -> (Vec<String>, Vec<(u32, u32)>) {
        let phrases = [
            "riot police detain ",
            "a protester in mins",
            "k on sunday, sept. ",
        ];
        let mut keys: Vec<String> = (0..6561usize)
            .map(|mut n| {
                (0..8)
                    .map(|_| {
                        let p = phrases[n % 3];
                        n /= 3;
                        p
                    })
                    .collect()
            })
            .collect();
        let mut planted = Vec::new();
        for t in 0..twins {
            let original = t * (6561 / twins);
            let mut twin = keys[original].clone().into_bytes();
            twin[80] = b'#';
            planted.push((original as u32, keys.len() as u32));
            keys.push(String::from_utf8(twin).unwrap());
        }
        (keys, planted)
    }

    fn pairs_of(keys: &[String], threshold: f64, refine: bool) -> (Vec<u64>, usize) {
        let refs: Vec<(&str, usize)> = keys.iter().map(|k| (k.as_str(), k.len())).collect();
        let index = Index::build_with(&refs, threshold, |id| Sketch::of(keys[id].as_str()), refine);
        (index.candidate_pairs(threshold), index.dropped_groups)
    }

    #[test]
    fn refinement_finds_twins_the_cap_misses() {
        let (keys, planted) = templated_with_twins(20);
        let has = |pairs: &[u64], &(a, b): &(u32, u32)| {
            pairs
                .binary_search(&((u64::from(a) << 32) | u64::from(b)))
                .is_ok()
        };
        let (capped, dropped) = pairs_of(&keys, 0.9, false);
        assert!(dropped > 0);
        assert_eq!(planted.iter().filter(|p| has(&capped, p)).count(), 0);
        let (refined, _) = pairs_of(&keys, 0.9, true);
        assert_eq!(
            planted.iter().filter(|p| has(&refined, p)).count(),
            planted.len()
        );
        // Refinement only adds candidates.
        assert!(capped.iter().all(|p| refined.binary_search(p).is_ok()));
        // Siblings that share only phrases are not all joined.
        let all = keys.len() * (keys.len() - 1) / 2;
        assert!(refined.len() < all / 3, "{} of {all}", refined.len());
    }

    #[test]
    fn refinement_changes_nothing_under_the_cap() {
        let (keys, _) = templated_with_twins(20);
        // A tenth of the keys: no fingerprint is over the cap.
        let few: Vec<String> = keys.iter().step_by(10).cloned().collect();
        let (capped, dropped) = pairs_of(&few, 0.9, false);
        assert_eq!(dropped, 0);
        assert!(!capped.is_empty());
        assert_eq!(pairs_of(&few, 0.9, true).0, capped);
    }

    #[test]
    fn refined_candidates_do_not_depend_on_order_or_threads() {
        // At 0.9 the cap drops groups and refinement finds the planted twins (the test
        // above). The keys are distinct, so a pair is named by the ranks of its two texts
        // in sorted order: the same pair of texts has the same name in any input order.
        let (keys, planted) = templated_with_twins(20);
        let pairs_by_rank = |keys: &[String], pairs: &[u64]| {
            let mut sorted: Vec<&str> = keys.iter().map(String::as_str).collect();
            sorted.sort_unstable();
            let rank: Vec<u64> = keys
                .iter()
                .map(|k| sorted.binary_search(&k.as_str()).unwrap() as u64)
                .collect();
            let mut named: Vec<u64> = pairs
                .iter()
                .map(|&p| {
                    let (a, b) = (rank[(p >> 32) as usize], rank[p as u32 as usize]);
                    (a.min(b) << 32) | a.max(b)
                })
                .collect();
            named.sort_unstable();
            named
        };
        let (refined, dropped) = pairs_of(&keys, 0.9, true);
        assert!(dropped > 0, "the cap must be reached for refinement to run");
        let want = pairs_by_rank(&keys, &refined);
        let planted_pairs: Vec<u64> = planted
            .iter()
            .map(|&(a, b)| (u64::from(a) << 32) | u64::from(b))
            .collect();
        for p in pairs_by_rank(&keys, &planted_pairs) {
            assert!(want.binary_search(&p).is_ok());
        }
        let mut reversed = keys.clone();
        reversed.reverse();
        assert_eq!(
            pairs_by_rank(&reversed, &pairs_of(&reversed, 0.9, true).0),
            want
        );
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        assert_eq!(
            one.install(|| pairs_by_rank(&keys, &pairs_of(&keys, 0.9, true).0)),
            want
        );
    }

    #[test]
    fn shared_runs_share_a_fingerprint() {
        let run = "the quick brown fox jumps";
        for scheme in [SHORT, LONG] {
            let a = fps(&format!("AAAAAAA {run} 1111"), scheme);
            let b = fps(&format!("zz {run} over the lazy dog"), scheme);
            assert!(a.iter().any(|f| b.contains(f)), "{scheme:?}");
        }
    }

    /// Winnowing by its definition: every q-gram hashed on its own, the minimum of every
    /// window of `w` (all q-grams when there are at most `w`), as a sorted set.
    fn winnowed_by_definition(bytes: &[u8], scheme: Scheme) -> Vec<u32> {
        let Scheme { q, w, tag } = scheme;
        if bytes.len() < q {
            return fps(std::str::from_utf8(bytes).unwrap(), scheme);
        }
        let grams: Vec<u32> = bytes
            .windows(q)
            .map(|gram| {
                let h = gram.iter().fold(0u64, |h, &b| {
                    h.wrapping_mul(0x100_0000_01b3)
                        .wrapping_add(u64::from(b) + 1)
                });
                (mix(h ^ (u64::from(tag) << 56)) >> 33) as u32
            })
            .collect();
        let mut set: Vec<u32> = if grams.len() <= w {
            grams
        } else {
            grams
                .windows(w)
                .map(|win| *win.iter().min().unwrap())
                .collect()
        };
        set.sort_unstable();
        set.dedup();
        set
    }

    #[test]
    fn fingerprints_are_the_window_minima_across_blocks() {
        // Pseudo-random text over a small alphabet (so minima repeat and ties occur), of
        // lengths around one window and across several blocks.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in (0..40).chain([511, 512, 513, 519, 520, 521, 1030, 1543, 4000]) {
            let text: String = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    b"ab c"[(state % 4) as usize] as char
                })
                .collect();
            for scheme in [SHORT, LONG] {
                let mut got = fps(&text, scheme);
                let n = got.len();
                got.sort_unstable();
                got.dedup();
                assert_eq!(got.len(), n, "no repeats, len {len}");
                assert_eq!(
                    got,
                    winnowed_by_definition(text.as_bytes(), scheme),
                    "len {len}"
                );
            }
        }
    }

    #[test]
    fn sorting_in_buckets_sorts_all_parts_together() {
        // Parts of different sizes (one empty), values spread over every bucket and piled
        // into a few, with repeats.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let parts: Vec<Vec<u64>> = [0usize, 1, 700, 5000, 3]
            .iter()
            .map(|&n| {
                (0..n)
                    .map(|i| {
                        if i % 3 == 0 {
                            next()
                        } else {
                            (next() % 4096) << 52
                        }
                    })
                    .collect()
            })
            .collect();
        let mut want: Vec<u64> = parts.concat();
        want.sort_unstable();
        let (sorted, ranges) = sort_in_buckets(parts);
        assert_eq!(sorted, want);
        assert_eq!(ranges.len(), 1024);
        assert_eq!((ranges[0].0, ranges[1023].1), (0, sorted.len()));
        for (b, &(from, to)) in ranges.iter().enumerate() {
            assert!(sorted[from..to].iter().all(|&p| (p >> 54) as usize == b));
            if b > 0 {
                assert_eq!(ranges[b - 1].1, from);
            }
        }
    }

    #[test]
    fn dedup_keeps_each_value_once() {
        for len in [0usize, 1, 5, 40, 64, 65, 300] {
            let values: Vec<u32> = (0..len as u32)
                .map(|i| (i * 7919) % 23 + (i % 3) * 64)
                .collect();
            let mut v = vec![9, 9];
            v.extend(&values);
            dedup_from(&mut v, 2);
            assert_eq!(v[..2], [9, 9], "the part before start is left alone");
            let mut got = v[2..].to_vec();
            got.sort_unstable();
            let mut want = values;
            want.sort_unstable();
            want.dedup();
            assert_eq!(got, want, "{len}");
        }
    }

    #[test]
    fn tiny_keys_have_fingerprints() {
        assert_eq!(fps("", SHORT).len(), 1);
        assert_eq!(fps("abc", SHORT).len(), 1);
        assert_eq!(fps("abcdef", SHORT).len(), 2);
        assert_ne!(fps("abc", SHORT), fps("abd", SHORT));
    }

    #[test]
    fn candidates_are_pairs_sharing_a_fingerprint() {
        let keys = [
            "riot police detain a protester in minsk",
            "a completely different caption about cats",
            "riot police detain a protestor in minsk",
        ]
        .map(|k| (k, k.chars().count()));
        let index = Index::build(&keys, 0.9);
        assert_eq!(index.candidate_pairs(0.9), [2], "the pair (0, 2), packed");
        let short = [
            ("riot police detain a protester in minsk, belarus", 48),
            ("riot police detain a protester", 30),
        ];
        let index = Index::build(&short, 0.9);
        assert!(
            index.candidate_pairs(0.9).is_empty(),
            "the length window applies"
        );
        let far = [
            ("riot police detain a protester in minsk", 39),
            ("riot police detain xxxxxxxxxxxxxxxxxxx", 39),
        ];
        let index = Index::build(&far, 0.9);
        assert!(
            index.candidate_pairs(0.9).is_empty(),
            "the sketch bound applies"
        );
    }

    #[test]
    fn schemes_cover_every_compatible_pair() {
        for t in [0.5, 0.8, 0.9, 0.95] {
            for b in 1..200usize {
                for a in 1..=b {
                    if (a as f64) < t * b as f64 {
                        continue;
                    }
                    let both_tiny = a <= TINY_MAX && b <= tiny_limit(t);
                    let sa: Vec<u32> = schemes(a, t).map(|s| s.tag).collect();
                    let shared = schemes(b, t).any(|s| sa.contains(&s.tag));
                    assert!(both_tiny || (a > TINY_MAX && shared), "{a} {b} {t}");
                }
            }
        }
    }

    /// The exact filter finds every pair of tiny keys within the threshold: generated short
    /// keys with scattered edits, checked against all pairs.
    #[test]
    fn tiny_keys_never_miss_a_pair() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut rand = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let alphabet: Vec<char> = "abcde fghé!".chars().collect();
        let mut keys: Vec<String> = Vec::new();
        for _ in 0..60 {
            let len = 1 + rand(26);
            let base: String = (0..len).map(|_| alphabet[rand(alphabet.len())]).collect();
            keys.push(base.clone());
            for _ in 0..4 {
                let mut v: Vec<char> = base.chars().collect();
                for _ in 0..1 + rand(3) {
                    let p = rand(v.len() + 1);
                    match rand(3) {
                        0 if p < v.len() => v[p] = alphabet[rand(alphabet.len())],
                        1 if p < v.len() => {
                            v.remove(p);
                        }
                        _ => v.insert(p, alphabet[rand(alphabet.len())]),
                    }
                }
                keys.push(v.into_iter().collect());
            }
        }
        keys.sort();
        keys.dedup();
        let refs: Vec<(&str, usize)> = keys
            .iter()
            .map(|k| (k.as_str(), k.chars().count()))
            .collect();
        for t in [0.7, 0.8, 0.85, 0.9, 0.95] {
            let index = Index::build(&refs, t);
            let pairs = index.candidate_pairs(t);
            let mut missed = Vec::new();
            for i in 0..refs.len() {
                let got: Vec<u32> = pairs
                    .iter()
                    .filter(|&&p| (p >> 32) as usize == i)
                    .map(|&p| p as u32)
                    .collect();
                for j in i + 1..refs.len() {
                    let tiny = refs[i].1.min(refs[j].1) <= TINY_MAX;
                    let sim = strsim::normalized_levenshtein(refs[i].0, refs[j].0);
                    if tiny && sim >= t && !got.contains(&(j as u32)) {
                        missed.push((refs[i].0, refs[j].0, sim));
                    }
                }
            }
            assert!(missed.is_empty(), "threshold {t}: missed {missed:?}");
        }
    }
}
