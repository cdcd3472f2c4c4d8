//! Candidate search: which pairs of distinct keys are worth verifying.
//!
//! Comparing all pairs is quadratic (a million distinct captions is 5·10^11 pairs). Instead,
//! every key is reduced to a few *winnowed q-gram fingerprints* (minimizers): the hashes of its
//! q-byte substrings, keeping the smallest in every window of `w` consecutive ones. Two keys
//! that share an exact run of at least `q + w - 1` bytes are guaranteed to share a fingerprint
//! (Schleimer, Wilkerson, Aiken 2003). Keys that share a fingerprint become candidates, and
//! every candidate is verified exactly ([`crate::similarity::Scorer`]): the index can miss a
//! pair, never invent one.
//!
//! Near-identical captions share long runs (an edit distance of `k` leaves at least one exact
//! run of `(len - k) / (k + 1)` characters), so short keys use short q-grams and long keys long
//! ones. The two schemes overlap in length so that every pair whose lengths allow the threshold
//! is indexed under a common scheme. A fingerprint shared by more than [`MAX_POSTING`] keys
//! carries no information (boilerplate phrases) and is ignored; this is where recall can be
//! lost, and the README reports the measured recall against the exhaustive computation.

use rayon::prelude::*;

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

/// Fingerprints shared by more keys than this are ignored.
pub const MAX_POSTING: usize = 512;

/// Lowest threshold the index serves; below it nearly every pair is a candidate anyway and
/// clustering compares all pairs.
pub const MIN_INDEXED_THRESHOLD: f64 = 0.5;

/// Which schemes a key of `len` characters is indexed under, at `threshold`. A pair of lengths
/// `a <= b` with `a >= threshold * b` is indexed under a common scheme: both short when
/// `b <= SHORT_MAX`, else both long, because `a >= threshold * b > threshold * SHORT_MAX`.
fn schemes(len: usize, threshold: f64) -> impl Iterator<Item = Scheme> {
    let short = len <= SHORT_MAX;
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

/// Appends the winnowed fingerprints of `bytes` under `scheme` to `out` (deduplicated
/// within the key). A key shorter than one window keeps all its q-grams; one shorter than a
/// q-gram is one fingerprint of itself.
fn fingerprints(bytes: &[u8], scheme: Scheme, out: &mut Vec<u32>) {
    let Scheme { q, w, tag } = scheme;
    let tagged = |h: u64| (mix(h ^ (u64::from(tag) << 56)) >> 32) as u32;
    if bytes.len() < q {
        let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        out.push(tagged(h ^ 0x9e37_79b9));
        return;
    }
    // Rolling polynomial hash of every q-gram.
    const BASE: u64 = 0x100_0000_01b3;
    let top = (0..q - 1).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut grams = Vec::with_capacity(bytes.len() - q + 1);
    let mut h = 0u64;
    for (i, &b) in bytes.iter().enumerate() {
        if i >= q {
            h = h.wrapping_sub((u64::from(bytes[i - q]) + 1).wrapping_mul(top));
        }
        h = h.wrapping_mul(BASE).wrapping_add(u64::from(b) + 1);
        if i + 1 >= q {
            grams.push(tagged(h));
        }
    }
    let start = out.len();
    if grams.len() <= w {
        out.extend_from_slice(&grams);
    } else {
        // Robust winnowing: the minimum of each window, the rightmost on ties, once.
        let mut last: Option<usize> = None;
        for win in 0..=grams.len() - w {
            let mut best = win;
            for (i, &g) in grams.iter().enumerate().skip(win).take(w) {
                if g <= grams[best] {
                    best = i;
                }
            }
            if last != Some(best) {
                out.push(grams[best]);
                last = Some(best);
            }
        }
    }
    sort_dedup_from(out, start);
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

/// The inverted index: for every key, the fingerprint groups (postings) it belongs to.
pub struct Index {
    /// Key ids of all useful postings, grouped by fingerprint.
    members: Vec<u32>,
    /// `members[group_start[g]..group_start[g + 1]]` is group `g`.
    group_start: Vec<u32>,
    /// `key_groups[key_start[k]..key_start[k + 1]]` are the groups key `k` belongs to.
    key_groups: Vec<u32>,
    key_start: Vec<u32>,
    /// Fingerprints ignored because too many keys share them.
    pub dropped_groups: usize,
}

impl Index {
    /// Builds the index over `keys` (comparison keys and their length in characters, by id)
    /// for `threshold`.
    pub fn build(keys: &[(&str, usize)], threshold: f64) -> Index {
        // 1. Fingerprints of every key, in parallel: (fingerprint << 32 | id).
        let per_key: Vec<Vec<u32>> = keys
            .par_iter()
            .map(|&(k, chars)| {
                let mut fp = Vec::new();
                for scheme in schemes(chars, threshold) {
                    fingerprints(k.as_bytes(), scheme, &mut fp);
                }
                fp
            })
            .collect();
        let mut postings: Vec<u64> = Vec::with_capacity(per_key.iter().map(Vec::len).sum());
        for (id, fps) in per_key.iter().enumerate() {
            postings.extend(fps.iter().map(|&f| (u64::from(f) << 32) | id as u64));
        }
        drop(per_key);
        postings.par_sort_unstable();

        // 2. Groups of two or more keys, up to MAX_POSTING.
        let mut members = Vec::new();
        let mut group_start = vec![0u32];
        let mut dropped_groups = 0;
        let mut i = 0;
        while i < postings.len() {
            let fp = postings[i] >> 32;
            let mut j = i + 1;
            while j < postings.len() && postings[j] >> 32 == fp {
                j += 1;
            }
            let n = j - i;
            if n > MAX_POSTING {
                dropped_groups += 1;
            } else if n >= 2 {
                members.extend(postings[i..j].iter().map(|&p| p as u32));
                group_start.push(members.len() as u32);
            }
            i = j;
        }
        drop(postings);

        // 3. Key -> groups (CSR).
        let mut key_start = vec![0u32; keys.len() + 1];
        for &m in &members {
            key_start[m as usize + 1] += 1;
        }
        for k in 0..keys.len() {
            key_start[k + 1] += key_start[k];
        }
        let mut fill = key_start.clone();
        let mut key_groups = vec![0u32; members.len()];
        for g in 0..group_start.len() - 1 {
            for &m in &members[group_start[g] as usize..group_start[g + 1] as usize] {
                key_groups[fill[m as usize] as usize] = g as u32;
                fill[m as usize] += 1;
            }
        }
        Index {
            members,
            group_start,
            key_groups,
            key_start,
            dropped_groups,
        }
    }

    /// Appends to `out` every key `j > key` that shares a fingerprint with `key`, sorted and
    /// without repeats.
    pub fn candidates(&self, key: u32, out: &mut Vec<u32>) {
        let k = key as usize;
        let start = out.len();
        for &g in &self.key_groups[self.key_start[k] as usize..self.key_start[k + 1] as usize] {
            let (lo, hi) = (
                self.group_start[g as usize] as usize,
                self.group_start[g as usize + 1] as usize,
            );
            let group = &self.members[lo..hi];
            // Members are sorted by id: skip to those after `key`.
            let after = group.partition_point(|&m| m <= key);
            out.extend_from_slice(&group[after..]);
        }
        sort_dedup_from(out, start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fps(s: &str, scheme: Scheme) -> Vec<u32> {
        let mut v = Vec::new();
        fingerprints(s.as_bytes(), scheme, &mut v);
        v
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
        let mut got = Vec::new();
        index.candidates(0, &mut got);
        assert_eq!(got, [2]);
        got.clear();
        index.candidates(2, &mut got);
        assert!(got.is_empty(), "only later keys are reported");
    }

    #[test]
    fn schemes_cover_every_compatible_pair() {
        for t in [0.5, 0.8, 0.9, 0.95] {
            for b in 1..200usize {
                for a in 1..=b {
                    if (a as f64) < t * b as f64 {
                        continue;
                    }
                    let sa: Vec<u32> = schemes(a, t).map(|s| s.tag).collect();
                    assert!(schemes(b, t).any(|s| sa.contains(&s.tag)), "{a} {b} {t}");
                }
            }
        }
    }
}
