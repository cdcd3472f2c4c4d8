//! From distinct comparison keys to groups: find the verified similar pairs (through the
//! candidate index, or all pairs with `exhaustive`), then link them by centre clustering or
//! single linkage. Everything here is a function of the set of keys: input order and thread
//! count never change the result.
//!
//! [`link`] is public so that edges verified elsewhere (a distributed job) are clustered
//! exactly as the command line clusters them.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use crate::cluster::facts::{KeyFacts, Veto};
pub use crate::cluster::index::Histogram;
use crate::cluster::index::{Index, IndexKey, MIN_INDEXED_THRESHOLD, Sketch};
use crate::cluster::similarity::{Metric, Scorer, length_window, max_distance};
use crate::progress::Progress;
use crate::report::Linkage;

/// One distinct comparison key as clustering sees it.
#[derive(Debug, Clone, Copy)]
pub struct KeyRef<'a> {
    /// The comparison key.
    pub text: &'a str,
    /// Length in characters.
    pub len: usize,
    /// Records carrying this key.
    pub count: u64,
}

impl IndexKey for KeyRef<'_> {
    fn text(&self) -> &str {
        self.text
    }

    fn chars(&self) -> usize {
        self.len
    }
}

/// Centre order: count (descending), length (descending), then bytes. A total order on
/// content, so the clusters never depend on input order.
pub fn centre_order(a: &KeyRef<'_>, b: &KeyRef<'_>) -> std::cmp::Ordering {
    b.count
        .cmp(&a.count)
        .then_with(|| b.len.cmp(&a.len))
        .then_with(|| a.text.cmp(b.text))
}

/// How pairs were found, for the record. Each candidate pair that passes the length and
/// histogram bounds is either vetoed or verified; `similar` of the verified are the edges.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SearchStats {
    /// Pairs compared exactly: short pairs before the veto, longer ones after it.
    pub verified: u64,
    /// Pairs found within the threshold (and not vetoed): the edges.
    pub similar: u64,
    /// Pairs kept apart by the veto: short pairs found similar, longer pairs before any
    /// exact comparison.
    pub vetoed: u64,
    /// Whether every compatible pair was compared (no index).
    pub exhaustive: bool,
}

/// Whether the candidate index applies: an edit-distance metric at a threshold where it prunes.
pub(crate) fn uses_index(metric: Metric, threshold: f64, exhaustive: bool) -> bool {
    !exhaustive && metric.length_bounded() && threshold >= MIN_INDEXED_THRESHOLD
}

/// Pairs whose keys are both at most this many characters are compared with the metric
/// before the facts veto: the bit-parallel kernel fits one machine word, and costs less than
/// reading a key's facts.
pub(crate) const SCORE_FIRST_MAX: usize = 64;

/// Every pair `(i, j)`, `i < j`, of keys whose similarity reaches `threshold` and whose facts
/// `veto` lets through, each verified exactly. With the index, pairs that share no
/// fingerprint are not compared (see [`crate::cluster::index`]); with `exhaustive`, every pair of
/// compatible lengths is.
///
/// The checks run cheapest first: lengths, character histograms, the facts veto, then the
/// metric. Each is a condition on the pair alone, so the order changes the work, not the
/// edges. The veto comes before the metric because it is a byte comparison once a key's
/// facts are read, and on templated captions (the same sentence, other names and dates)
/// almost every similar pair is vetoed; except for pairs of short keys (up to
/// [`SCORE_FIRST_MAX`] characters), where the metric is cheaper than reading the facts.
/// Facts are read on first use, so a key whose pairs all fail the cheap bounds never costs
/// its facts.
pub(crate) fn similar_pairs(
    keys: &[KeyRef<'_>],
    metric: Metric,
    threshold: f64,
    exhaustive: bool,
    veto: Veto,
    progress: &dyn Progress,
) -> (Vec<(u32, u32)>, SearchStats) {
    similar_pairs_down_to(
        keys, metric, threshold, threshold, exhaustive, veto, progress,
    )
}

/// [`similar_pairs`] with the candidates the index chooses for `threshold`, verified down to
/// `floor` (at most `threshold`): the pairs clustering compared, with those just under the
/// threshold kept (the review report's near misses). Below [`MIN_INDEXED_THRESHOLD`] or
/// with `exhaustive`, every pair of compatible lengths at `floor` is compared.
pub(crate) fn similar_pairs_down_to(
    keys: &[KeyRef<'_>],
    metric: Metric,
    index_threshold: f64,
    floor: f64,
    exhaustive: bool,
    veto: Veto,
    progress: &dyn Progress,
) -> (Vec<(u32, u32)>, SearchStats) {
    let n = keys.len();
    let indexed = uses_index(metric, index_threshold, exhaustive);
    let threshold = floor.min(index_threshold);
    progress.phase("indexing", 0);
    // Each key's class of numbers ([`KeyFacts::numbers_class`], 0 until read), kept apart
    // from its facts: keys whose classes differ are vetoed without their facts, and on
    // templated captions most candidates of a long key differ from it in a date, so most
    // keys never need theirs (a key's facts are about 150 bytes; on a million generated
    // captions the facts of every key with a candidate were 90 MB at the peak).
    let classes: Vec<AtomicU32> = if veto == Veto::None {
        Vec::new()
    } else {
        (0..n).map(|_| AtomicU32::new(0)).collect()
    };
    let read_class = |i: usize| {
        let class = classes[i].load(Ordering::Relaxed);
        if class != 0 {
            return class;
        }
        let class = KeyFacts::of(keys[i].text).numbers_class();
        classes[i].store(class, Ordering::Relaxed);
        class
    };
    // The candidates, when the index applies: built and joined before the checks below
    // exist. The postings, sorted and grouped, and then the groups are the largest
    // transient tables of a run, and the checks (56 bytes a key) are not held beside them
    // (with the room for the members in `grouped_postings`, 1M New Yorker captions peaked
    // at 478-481 MB instead of 550-582). No facts are read before the checks exist: the
    // join asks only classes.
    let candidates = indexed.then(|| {
        let index = Index::build_sketched(keys, index_threshold, |i| Sketch::of(keys[i].text));
        progress.phase("joining", 0);
        if veto == Veto::None {
            index.into_candidate_pairs(index_threshold)
        } else {
            // Keys that differ in a number are always vetoed, so where the join finds many
            // pairs (templated captions: the same sentence, another date) the long keys have
            // their class of numbers read now, and such pairs are left out before they are
            // sorted. The veto checks long keys first anyway.
            index.into_candidate_pairs_apart(index_threshold, |i| {
                if keys[i].len > SCORE_FIRST_MAX {
                    read_class(i)
                } else {
                    0
                }
            })
        }
    });
    let bounded = metric.length_bounded();
    let checks: Vec<Checks> = keys
        .par_iter()
        .map(|k| Checks {
            len: k.len,
            histogram: if bounded {
                Histogram::of(k.text)
            } else {
                Histogram([0; 32])
            },
            facts: OnceLock::new(),
        })
        .collect();
    let facts_of = |i: usize| {
        checks[i]
            .facts
            .get_or_init(|| Box::new(KeyFacts::of(keys[i].text)))
    };
    let class_of = |i: usize| match checks[i].facts.get() {
        Some(facts) => facts.numbers_class(),
        None => read_class(i),
    };
    let verify = |i: usize, cands: &mut Vec<u32>, edges: &mut Vec<(u32, u32)>| -> Counts {
        let key = &keys[i];
        if bounded {
            // Cheap bounds first: lengths, then character counts.
            let (lo, hi) = length_window(key.len, threshold);
            let mine = &checks[i].histogram;
            cands.retain(|&j| {
                let other = &checks[j as usize];
                (lo..=hi).contains(&other.len) && {
                    let k = max_distance(key.len.max(other.len), threshold);
                    mine.edit_lower_bound(&other.histogram) <= k
                }
            });
        }
        if cands.is_empty() {
            return Counts::default();
        }
        let scorer = Scorer::new(metric, threshold, key.text, key.len);
        let within = |j: u32| {
            let other = &keys[j as usize];
            scorer.within(other.text, other.len).is_some()
        };
        if veto == Veto::None {
            edges.extend(cands.iter().filter(|&&j| within(j)).map(|&j| (i as u32, j)));
            return Counts {
                verified: cands.len() as u64,
                vetoed: 0,
            };
        }
        // Short pairs are scored first and only similar ones have their facts read (the
        // kernel costs less than reading a short caption's facts, and on real captions few
        // candidates are similar); longer pairs have their facts compared first.
        let mut counts = Counts::default();
        for &j in cands.iter() {
            let agree = || facts_of(i).agree(facts_of(j as usize), veto);
            let keep = if key.len.max(keys[j as usize].len) <= SCORE_FIRST_MAX {
                counts.verified += 1;
                within(j) && {
                    let agree = agree();
                    counts.vetoed += u64::from(!agree);
                    agree
                }
            } else if class_of(i) == class_of(j as usize) && agree() {
                counts.verified += 1;
                within(j)
            } else {
                counts.vetoed += 1;
                false
            };
            if keep {
                edges.push((i as u32, j));
            }
        }
        counts
    };

    let per_chunk: Vec<(Vec<(u32, u32)>, Counts)> = if let Some(pairs) = candidates {
        // Runs of pairs with the same first key: `(key, start, end)` in `pairs`.
        let mut runs: Vec<(u32, usize, usize)> = Vec::new();
        for (p, &pair) in pairs.iter().enumerate() {
            let i = (pair >> 32) as u32;
            match runs.last_mut() {
                Some(run) if run.0 == i => run.2 = p + 1,
                _ => runs.push((i, p, p + 1)),
            }
        }
        progress.phase("comparing", runs.len() as u64);
        const RUNS: usize = 256;
        runs.par_chunks(RUNS)
            .map(|chunk| {
                let mut edges = Vec::new();
                let mut counts = Counts::default();
                let mut cands: Vec<u32> = Vec::new();
                for &(i, start, end) in chunk {
                    cands.clear();
                    cands.extend(pairs[start..end].iter().map(|&p| p as u32));
                    counts += verify(i as usize, &mut cands, &mut edges);
                }
                progress.advance(chunk.len() as u64);
                (edges, counts)
            })
            .collect()
    } else {
        let by_len = LengthIndex::new(keys);
        progress.phase("comparing", n as u64);
        const CHUNK: usize = 1024;
        (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let mut edges = Vec::new();
                let mut counts = Counts::default();
                let mut cands: Vec<u32> = Vec::new();
                let first = c * CHUNK;
                for (i, key) in keys
                    .iter()
                    .enumerate()
                    .take((first + CHUNK).min(n))
                    .skip(first)
                {
                    cands.clear();
                    cands.extend(
                        by_len
                            .window(metric, threshold, key.len)
                            .iter()
                            .copied()
                            .filter(|&j| j as usize > i),
                    );
                    counts += verify(i, &mut cands, &mut edges);
                }
                progress.advance((((c + 1) * CHUNK).min(n) - c * CHUNK) as u64);
                (edges, counts)
            })
            .collect()
    };
    progress.done();

    let mut counts = Counts::default();
    for (_, c) in &per_chunk {
        counts += *c;
    }
    let edges: Vec<(u32, u32)> = per_chunk.into_iter().flat_map(|(e, _)| e).collect();
    let stats = SearchStats {
        verified: counts.verified,
        similar: edges.len() as u64,
        vetoed: counts.vetoed,
        exhaustive: !indexed,
    };
    (edges, stats)
}

/// Pairs verified and pairs vetoed, counted per chunk of work.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    verified: u64,
    vetoed: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.verified += other.verified;
        self.vetoed += other.vetoed;
    }
}

/// What the checks before the metric read of a key, side by side: the candidates of a key
/// are scattered over all keys, and on a million keys each separate array read was a cache
/// miss per pair.
struct Checks {
    len: usize,
    histogram: Histogram,
    /// Read on first use (see [`similar_pairs`]); boxed, because most keys never need
    /// theirs: 16 bytes a key instead of 40.
    facts: OnceLock<Box<KeyFacts>>,
}

/// Keys sorted by length, for the length filter when comparing all pairs.
struct LengthIndex {
    by_len: Vec<u32>,
    lens: Vec<usize>,
}

impl LengthIndex {
    fn new(keys: &[KeyRef<'_>]) -> Self {
        let mut by_len: Vec<u32> = (0..keys.len() as u32).collect();
        by_len.sort_unstable_by_key(|&i| (keys[i as usize].len, i));
        let lens = by_len.iter().map(|&i| keys[i as usize].len).collect();
        LengthIndex { by_len, lens }
    }

    /// Keys whose length may reach `threshold` against a key of `len` characters.
    fn window(&self, metric: Metric, threshold: f64, len: usize) -> &[u32] {
        if !metric.length_bounded() {
            return &self.by_len;
        }
        let (lo, hi) = length_window(len, threshold);
        let start = self.lens.partition_point(|&l| l < lo);
        let end = self.lens.partition_point(|&l| l <= hi);
        &self.by_len[start..end]
    }
}

/// Neighbour lists (compressed rows) of the similarity graph.
struct Adjacency {
    start: Vec<u32>,
    next: Vec<u32>,
}

impl Adjacency {
    fn new(n: usize, edges: &[(u32, u32)]) -> Self {
        let mut start = vec![0u32; n + 1];
        for &(a, b) in edges {
            start[a as usize + 1] += 1;
            start[b as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut next = vec![0u32; edges.len() * 2];
        for &(a, b) in edges {
            next[fill[a as usize] as usize] = b;
            fill[a as usize] += 1;
            next[fill[b as usize] as usize] = a;
            fill[b as usize] += 1;
        }
        Adjacency { start, next }
    }

    fn neighbours(&self, i: usize) -> &[u32] {
        &self.next[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// Groups keys (by index into `keys`) from the verified similar pairs `(i, j)` (indices into
/// `keys`, each pair once, in any order). Under centre linkage the first key of each group
/// is its centre; groups come in centre order of their first key (centre linkage) or of
/// their smallest index (single linkage).
///
/// ```
/// use capdedup::Linkage;
/// use capdedup::linkage::{KeyRef, link};
/// let key = |text, count| KeyRef { text, len: 3, count };
/// let keys = [key("abc", 1), key("abd", 5), key("abe", 1)];
/// // a-b and a-c are within the threshold, b-c not: b (most frequent) takes a; c is alone.
/// assert_eq!(link(&keys, &[(0, 1), (0, 2)], Linkage::Centre), [vec![1, 0], vec![2]]);
/// assert_eq!(link(&keys, &[(0, 1), (0, 2)], Linkage::Single), [vec![0, 1, 2]]);
/// ```
pub fn link(keys: &[KeyRef<'_>], edges: &[(u32, u32)], linkage: Linkage) -> Vec<Vec<usize>> {
    match linkage {
        Linkage::Centre => centre_clusters(keys, edges),
        Linkage::Single => single_linkage(keys.len(), edges),
    }
}

/// [`link`], with pairs of keys that must never share a group (`apart`, each pair once): their
/// edges are dropped, a centre takes no key kept apart from a key it already took, and single
/// linkage joins no two components holding such a pair. Centres take their neighbours, and
/// single linkage its edges, in centre order, so the groups do not depend on the input order.
pub(crate) fn link_apart(
    keys: &[KeyRef<'_>],
    edges: &[(u32, u32)],
    linkage: Linkage,
    apart: &[(u32, u32)],
) -> Vec<Vec<usize>> {
    if apart.is_empty() {
        return link(keys, edges, linkage);
    }
    let n = keys.len();
    let mut apart_of: std::collections::HashMap<u32, Vec<u32>> = std::collections::HashMap::new();
    for &(a, b) in apart {
        apart_of.entry(a).or_default().push(b);
        apart_of.entry(b).or_default().push(a);
    }
    let kept_apart = |a: u32, b: u32| apart_of.get(&a).is_some_and(|xs| xs.contains(&b));
    let edges: Vec<(u32, u32)> = edges
        .iter()
        .copied()
        .filter(|&(a, b)| !kept_apart(a, b))
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.par_sort_unstable_by(|&a, &b| centre_order(&keys[a], &keys[b]));
    let mut rank = vec![0usize; n];
    for (r, &k) in order.iter().enumerate() {
        rank[k] = r;
    }
    match linkage {
        Linkage::Centre => {
            let adjacency = Adjacency::new(n, &edges);
            let mut group_of = vec![usize::MAX; n];
            let mut groups: Vec<Vec<usize>> = Vec::new();
            for &c in &order {
                if group_of[c] != usize::MAX {
                    continue;
                }
                let g = groups.len();
                group_of[c] = g;
                let mut group = vec![c];
                let mut neighbours = adjacency.neighbours(c).to_vec();
                neighbours.sort_unstable_by_key(|&j| rank[j as usize]);
                for j in neighbours {
                    let free = group_of[j as usize] == usize::MAX;
                    let allowed = apart_of
                        .get(&j)
                        .is_none_or(|xs| xs.iter().all(|&x| group_of[x as usize] != g));
                    if free && allowed {
                        group_of[j as usize] = g;
                        group.push(j as usize);
                    }
                }
                groups.push(group);
            }
            groups
        }
        Linkage::Single => {
            let mut edges = edges;
            edges.sort_unstable_by_key(|&(a, b)| {
                let (ra, rb) = (rank[a as usize], rank[b as usize]);
                (ra.min(rb), ra.max(rb))
            });
            let mut parent: Vec<usize> = (0..n).collect();
            let constrained: Vec<u32> = apart_of.keys().copied().collect();
            for (a, b) in edges {
                let (ra, rb) = (find(&mut parent, a as usize), find(&mut parent, b as usize));
                if ra == rb {
                    continue;
                }
                let clash = constrained.iter().any(|&x| {
                    let rx = find(&mut parent, x as usize);
                    (rx == ra || rx == rb)
                        && apart_of[&x].iter().any(|&y| {
                            let ry = find(&mut parent, y as usize);
                            ry == if rx == ra { rb } else { ra }
                        })
                });
                if !clash {
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
            components(&mut parent)
        }
    }
}

/// Centre clustering: keys in centre order; each key not yet taken becomes a centre and
/// takes every untaken key within the threshold of it (its neighbours in the graph).
fn centre_clusters(keys: &[KeyRef<'_>], edges: &[(u32, u32)]) -> Vec<Vec<usize>> {
    let adjacency = Adjacency::new(keys.len(), edges);
    // A key without neighbours is a cluster of its own wherever it comes in the order, so
    // only keys with neighbours are sorted (on a million captions, a few thousand).
    let (mut order, alone): (Vec<usize>, Vec<usize>) =
        (0..keys.len()).partition(|&i| !adjacency.neighbours(i).is_empty());
    order.par_sort_unstable_by(|&a, &b| centre_order(&keys[a], &keys[b]));
    order.extend(alone);
    let mut taken = vec![false; keys.len()];
    let mut groups = Vec::new();
    for &c in &order {
        if taken[c] {
            continue;
        }
        taken[c] = true;
        let mut group = vec![c];
        for &j in adjacency.neighbours(c) {
            if !taken[j as usize] {
                taken[j as usize] = true;
                group.push(j as usize);
            }
        }
        groups.push(group);
    }
    groups
}

/// Single linkage: connected components of the similarity graph.
fn single_linkage(n: usize, edges: &[(u32, u32)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    for &(a, b) in edges {
        let (ra, rb) = (find(&mut parent, a as usize), find(&mut parent, b as usize));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    components(&mut parent)
}

/// The root of `x` in a union-find forest, halving the path on the way.
fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// The components of a union-find forest, keyed by their smallest member, in that order.
fn components(parent: &mut [usize]) -> Vec<Vec<usize>> {
    let n = parent.len();
    let mut slot: Vec<usize> = vec![usize::MAX; n];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..n {
        let r = find(parent, i);
        if slot[r] == usize::MAX {
            slot[r] = groups.len();
            groups.push(Vec::new());
        }
        groups[slot[r]].push(i);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_kept_apart_never_share_a_group() {
        let key = |text, count| KeyRef {
            text,
            len: 3,
            count,
        };
        // b (most frequent) is near a and c; a and c must stay apart.
        let keys = [key("abc", 1), key("abd", 5), key("abe", 2)];
        let edges = [(0, 1), (1, 2), (0, 2)];
        assert_eq!(link(&keys, &edges, Linkage::Centre), [vec![1, 0, 2]]);
        // c comes before a in centre order, so b takes c and leaves a.
        assert_eq!(
            link_apart(&keys, &edges, Linkage::Centre, &[(0, 2)]),
            [vec![1, 2], vec![0]]
        );
        let single = link_apart(&keys, &edges, Linkage::Single, &[(0, 2)]);
        assert_eq!(single.len(), 2);
        assert!(single.iter().all(|g| !(g.contains(&0) && g.contains(&2))));
        // A pair apart that is also an edge: the edge is dropped.
        assert_eq!(
            link_apart(&keys, &[(0, 1)], Linkage::Single, &[(0, 1)]),
            [vec![0], vec![1], vec![2]]
        );
        // Nothing apart: the plain linkage.
        assert_eq!(
            link_apart(&keys, &edges, Linkage::Centre, &[]),
            link(&keys, &edges, Linkage::Centre)
        );
    }

    /// The index leaves out pairs of long keys that differ in a number where the join finds
    /// many pairs; the veto would reject them anyway, so the edges are those of comparing all
    /// pairs, in every veto mode.
    #[test]
    fn number_classes_in_the_index_never_change_the_edges() {
        let mut texts = Vec::new();
        for day in 1..=28 {
            for name in ["john smith", "jane doe", "ali hassan"] {
                let text = format!(
                    "protesters gather outside the parliament building in the capital on \
                     sunday, sept. {day}, 2020, as {name} addresses the crowd"
                );
                // A typo: similar, the same facts.
                texts.push(text.replacen("building", "buildng", 1));
                texts.push(text);
            }
        }
        let keys: Vec<KeyRef<'_>> = texts
            .iter()
            .map(|t| KeyRef {
                text: t,
                len: t.chars().count(),
                count: 1,
            })
            .collect();
        for veto in Veto::ALL {
            let search = |exhaustive| {
                let (mut edges, stats) = similar_pairs(
                    &keys,
                    Metric::Levenshtein,
                    0.9,
                    exhaustive,
                    veto,
                    &crate::progress::NoProgress,
                );
                edges.sort_unstable();
                (edges, stats)
            };
            let (indexed, with_index) = search(false);
            let (all, without) = search(true);
            assert_eq!(indexed, all, "{veto}");
            assert!(!indexed.is_empty(), "{veto}");
            if veto != Veto::None {
                // Pairs of other days never reached the veto.
                assert!(
                    with_index.vetoed < without.vetoed / 10,
                    "{veto}: {with_index:?}"
                );
            }
        }
    }

    #[test]
    fn histogram_bound_never_exceeds_the_distance() {
        let words = [
            "",
            "a",
            "kitten",
            "sitting",
            "riot police",
            "police riot",
            "ñandú",
            "ａｂｃ abc",
            "aaaaaaaaaa",
        ];
        for a in words {
            for b in words {
                let d = rapidfuzz::distance::levenshtein::distance(a.chars(), b.chars());
                let lb = Histogram::of(a).edit_lower_bound(&Histogram::of(b));
                assert!(lb <= d, "{a:?} {b:?}: bound {lb} > distance {d}");
            }
        }
        assert!(Histogram::of("abcdefgh").edit_lower_bound(&Histogram::of("stuvwxyz")) >= 4);
    }
}
