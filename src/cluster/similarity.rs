//! Similarity metrics over comparison keys, and the thresholded check clustering relies on.
//!
//! Every metric returns the same number as its `strsim` counterpart. Levenshtein, the
//! default, is verified with a bit-parallel kernel (the `rapidfuzz` crate) given the
//! largest distance that still reaches the threshold, so most non-matching pairs stop early.
//! Damerau-Levenshtein uses the `rapidfuzz` kernel too (linear memory, where `strsim` keeps
//! the whole `n × m` table: 20 GB for two 50,000-character captions).

use std::sync::OnceLock;

use rapidfuzz::distance::{damerau_levenshtein, levenshtein};
use serde::{Deserialize, Serialize};

/// A similarity in `[0, 1]` between two comparison keys; 1.0 means identical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// `1 - levenshtein / longer length` over characters (`strsim::normalized_levenshtein`).
    #[default]
    Levenshtein,
    /// Damerau-Levenshtein with unrestricted transpositions (`strsim::normalized_damerau_levenshtein`).
    Damerau,
    /// Optimal string alignment (restricted Damerau): `1 - strsim::osa_distance / longer length`.
    Osa,
    /// Jaro-Winkler (`strsim::jaro_winkler`).
    JaroWinkler,
    /// Sørensen-Dice over character bigrams, whitespace ignored (`strsim::sorensen_dice`).
    SorensenDice,
}

impl Metric {
    /// All metrics, in the order `--help` lists them.
    pub const ALL: [Metric; 5] = [
        Metric::Levenshtein,
        Metric::Damerau,
        Metric::Osa,
        Metric::JaroWinkler,
        Metric::SorensenDice,
    ];

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Levenshtein => "levenshtein",
            Metric::Damerau => "damerau",
            Metric::Osa => "osa",
            Metric::JaroWinkler => "jaro-winkler",
            Metric::SorensenDice => "sorensen-dice",
        }
    }

    /// Whether the similarity is bounded by the length ratio (`shorter / longer`), so that
    /// pairs whose lengths differ too much can be skipped without being compared.
    pub fn length_bounded(self) -> bool {
        matches!(self, Metric::Levenshtein | Metric::Damerau | Metric::Osa)
    }

    /// The similarity of `a` and `b`, as `strsim` computes it.
    ///
    /// ```
    /// use capdedup::Metric;
    /// assert_eq!(Metric::Levenshtein.similarity("kitten", "sitting"), strsim::normalized_levenshtein("kitten", "sitting"));
    /// assert_eq!(Metric::Levenshtein.similarity("", ""), 1.0);
    /// ```
    pub fn similarity(self, a: &str, b: &str) -> f64 {
        match self {
            Metric::Levenshtein => {
                let (la, lb) = (a.chars().count(), b.chars().count());
                if la == 0 && lb == 0 {
                    return 1.0;
                }
                let d = levenshtein::distance(a.chars(), b.chars());
                1.0 - d as f64 / la.max(lb) as f64
            }
            Metric::Damerau => {
                let (la, lb) = (a.chars().count(), b.chars().count());
                if la == 0 && lb == 0 {
                    return 1.0;
                }
                let d = damerau_levenshtein::distance(a.chars(), b.chars());
                1.0 - d as f64 / la.max(lb) as f64
            }
            Metric::Osa => {
                let (la, lb) = (a.chars().count(), b.chars().count());
                if la == 0 && lb == 0 {
                    return 1.0;
                }
                1.0 - strsim::osa_distance(a, b) as f64 / la.max(lb) as f64
            }
            Metric::JaroWinkler => strsim::jaro_winkler(a, b),
            Metric::SorensenDice => strsim::sorensen_dice(a, b),
        }
    }
}

impl std::fmt::Display for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Metric {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Metric::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| format!("unknown metric `{s}`"))
    }
}

/// The largest edit distance `d` with `1 - d / longest >= threshold`, computed with the
/// same floating-point expression as the similarity so the two never disagree.
pub fn max_distance(longest: usize, threshold: f64) -> usize {
    if longest == 0 {
        return 0;
    }
    let passes = |d: usize| 1.0 - d as f64 / longest as f64 >= threshold;
    let mut d = (((1.0 - threshold) * longest as f64).floor().max(0.0) as usize).min(longest);
    while d < longest && passes(d + 1) {
        d += 1;
    }
    while d > 0 && !passes(d) {
        d -= 1;
    }
    d
}

/// The range of lengths (in characters) a key may have and still reach `threshold` against
/// a key of `len` characters, for length-bounded metrics.
pub fn length_window(len: usize, threshold: f64) -> (usize, usize) {
    if threshold <= 0.0 {
        return (0, usize::MAX);
    }
    // similarity <= shorter / longer, so shorter >= threshold * longer.
    let lo = (threshold * len as f64).floor() as usize;
    let hi = (len as f64 / threshold).ceil() as usize;
    (lo.saturating_sub(1), hi.saturating_add(1))
}

/// Slack for the similarity bounds below, so that floating-point rounding in a metric can
/// never make a bound reject a pair the metric itself would pass.
const BOUND_SLACK: f64 = 1e-9;

/// One side of many comparisons: prepared once (for Levenshtein, the bit-parallel pattern
/// tables), then compared against each candidate with [`Scorer::within`].
pub struct Scorer<'a> {
    metric: Metric,
    threshold: f64,
    key: &'a str,
    len: usize,
    /// Built on the first comparison that needs it: the tables take 32 bytes per character
    /// (3 GB for a 100 MB caption), wasted on a key that has no candidate.
    batch: OnceLock<levenshtein::BatchComparator<char>>,
    /// Sørensen-Dice only: bytes of the key that are not whitespace.
    nonspace_bytes: usize,
}

impl<'a> Scorer<'a> {
    /// Prepares `key` (of `len` characters) for comparisons under `metric` and `threshold`.
    pub fn new(metric: Metric, threshold: f64, key: &'a str, len: usize) -> Self {
        let nonspace_bytes = if metric == Metric::SorensenDice {
            nonspace_bytes_up_to(key, usize::MAX)
        } else {
            0
        };
        Scorer {
            metric,
            threshold,
            key,
            len,
            batch: OnceLock::new(),
            nonspace_bytes,
        }
    }

    /// The similarity of the prepared key to `other` (of `other_len` characters) when it is at
    /// least the threshold, else `None`. Exactly `metric.similarity(key, other) >= threshold`.
    pub fn within(&self, other: &str, other_len: usize) -> Option<f64> {
        let longest = self.len.max(other_len);
        if self.metric == Metric::Levenshtein {
            if longest == 0 {
                return (1.0 >= self.threshold).then_some(1.0);
            }
            let k = max_distance(longest, self.threshold);
            if self.len.abs_diff(other_len) > k {
                return None;
            }
            let d = if self.len == 0 {
                other_len
            } else {
                self.batch
                    .get_or_init(|| levenshtein::BatchComparator::new(self.key.chars()))
                    .distance_with_args(
                        other.chars(),
                        &levenshtein::Args::default().score_cutoff(k),
                    )?
            };
            (d <= k).then(|| 1.0 - d as f64 / longest as f64)
        } else if self.metric == Metric::Damerau {
            if longest == 0 {
                return (1.0 >= self.threshold).then_some(1.0);
            }
            let k = max_distance(longest, self.threshold);
            if self.len.abs_diff(other_len) > k {
                return None;
            }
            let d = damerau_levenshtein::distance_with_args(
                self.key.chars(),
                other.chars(),
                &damerau_levenshtein::Args::default().score_cutoff(k),
            )?;
            (d <= k).then(|| 1.0 - d as f64 / longest as f64)
        } else {
            // The metrics below cost O(n·m) (Jaro) or build a table of the longer text
            // (Sørensen-Dice) per pair: one huge caption against many short ones must be
            // rejected from the lengths alone.
            if self.metric == Metric::JaroWinkler && self.jaro_winkler_bound(other_len) {
                return None;
            }
            if self.metric == Metric::SorensenDice && self.sorensen_dice_bound(other) {
                return None;
            }
            if self.metric.length_bounded()
                && longest > 0
                && (self.len.min(other_len) as f64 / longest as f64) < self.threshold
            {
                return None;
            }
            let s = self.metric.similarity(self.key, other);
            (s >= self.threshold).then_some(s)
        }
    }

    /// Whether Jaro-Winkler cannot reach the threshold against a text of `other_len`
    /// characters. Jaro is `(m/a + m/b + (m-t)/m) / 3` with `m <= min(a, b)` matches, so at
    /// most `(2 + r) / 3` for the length ratio `r = min/max`; the Winkler prefix bonus adds at
    /// most `0.4 (1 - jaro)`, so Jaro-Winkler is at most `0.8 + 0.2 r`.
    fn jaro_winkler_bound(&self, other_len: usize) -> bool {
        let longest = self.len.max(other_len);
        if longest == 0 {
            return false;
        }
        let r = self.len.min(other_len) as f64 / longest as f64;
        0.8 + 0.2 * r + BOUND_SLACK < self.threshold
    }

    /// Whether Sørensen-Dice cannot reach the threshold against `other`. strsim counts the
    /// bytes `A`, `B` of the texts without whitespace and shares at most `min(A, B) - 1`
    /// bigrams, so the score is at most `2 min(A', B') / (A' + B')` with `A' = A - 1`.
    /// Counting `other` stops as soon as it is too long to pass, so a short key against a
    /// huge text costs the short key's length, not the huge one's.
    fn sorensen_dice_bound(&self, other: &str) -> bool {
        if self.threshold <= 0.0 {
            return false;
        }
        let a = self.nonspace_bytes;
        if a < 2 {
            // strsim scores 1.0 for equal texts and 0.0 for any other pair with a text this
            // short: a longer text cannot pass.
            return nonspace_bytes_up_to(other, a) > a;
        }
        let a1 = (a - 1) as f64;
        // Beyond `b1 > a1 (2 - t) / t` the bound is below the threshold.
        let limit = (a1 * (2.0 - self.threshold) / self.threshold).ceil() + 2.0;
        let limit = if limit >= usize::MAX as f64 {
            usize::MAX
        } else {
            limit as usize
        };
        let b = nonspace_bytes_up_to(other, limit);
        if b > limit {
            return true;
        }
        if b < 2 {
            // Texts of different lengths, one too short for a bigram: strsim scores 0.0.
            return true;
        }
        let b1 = (b - 1) as f64;
        2.0 * a1.min(b1) / (a1 + b1) + BOUND_SLACK < self.threshold
    }
}

/// The UTF-8 length of `s` without its whitespace, counted up to just past `limit`.
fn nonspace_bytes_up_to(s: &str, limit: usize) -> usize {
    let mut n = 0usize;
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        n += c.len_utf8();
        if n > limit {
            break;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_match_strsim() {
        let pairs = [
            ("kitten", "sitting"),
            ("", "abc"),
            ("ca", "abc"),
            ("naïve café", "naive cafe"),
            ("the same", "the same"),
        ];
        for (a, b) in pairs {
            assert_eq!(
                Metric::Levenshtein.similarity(a, b),
                strsim::normalized_levenshtein(a, b)
            );
            assert_eq!(
                Metric::Damerau.similarity(a, b),
                strsim::normalized_damerau_levenshtein(a, b)
            );
            assert_eq!(
                Metric::JaroWinkler.similarity(a, b),
                strsim::jaro_winkler(a, b)
            );
            assert_eq!(
                Metric::SorensenDice.similarity(a, b),
                strsim::sorensen_dice(a, b)
            );
        }
    }

    #[test]
    fn max_distance_agrees_with_the_similarity() {
        for longest in 1..300 {
            for t in [0.0, 0.5, 0.8, 0.85, 0.9, 0.95, 0.99, 1.0] {
                let k = max_distance(longest, t);
                assert!(1.0 - k as f64 / longest as f64 >= t || k == 0);
                if k < longest {
                    assert!(
                        1.0 - ((k + 1) as f64) / (longest as f64) < t,
                        "{longest} {t}"
                    );
                }
            }
        }
    }

    use proptest::prelude::*;

    /// Short texts over a small alphabet (transpositions and repeats are common), with
    /// whitespace and multi-byte characters.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::string::string_regex("[abé ]{0,12}").unwrap(),
            proptest::string::string_regex("[ab]{0,40}").unwrap(),
            proptest::string::string_regex("[a-dß\\t]{0,8}").unwrap(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn damerau_is_strsims_number(a in text(), b in text()) {
            prop_assert_eq!(
                Metric::Damerau.similarity(&a, &b),
                strsim::normalized_damerau_levenshtein(&a, &b)
            );
        }

        #[test]
        fn scorer_agrees_with_the_metric(
            a in text(),
            b in text(),
            t in prop_oneof![Just(0.0), Just(0.5), Just(0.85), Just(0.9), Just(1.0), 0.0..=1.0f64],
        ) {
            for m in Metric::ALL {
                let want = m.similarity(&a, &b);
                let got = Scorer::new(m, t, &a, a.chars().count()).within(&b, b.chars().count());
                prop_assert_eq!(got, (want >= t).then_some(want), "{} {} {:?} {:?}", m, t, &a, &b);
            }
        }
    }

    #[test]
    fn length_bounds_reject_a_huge_text_against_a_short_one() {
        let huge = "word ".repeat(200_000);
        let short = "a caption of some words";
        for t in [0.85, 0.9] {
            let s = Scorer::new(Metric::JaroWinkler, t, short, short.chars().count());
            assert!(s.jaro_winkler_bound(huge.chars().count()));
            let s = Scorer::new(Metric::SorensenDice, t, short, short.chars().count());
            assert!(s.sorensen_dice_bound(&huge));
            let s = Scorer::new(Metric::SorensenDice, t, &huge, huge.chars().count());
            assert!(s.sorensen_dice_bound(short));
        }
        // Counting stops just past the limit.
        assert!(nonspace_bytes_up_to(&huge, 10) <= 14);
        // At low thresholds the lengths prove nothing.
        let s = Scorer::new(Metric::JaroWinkler, 0.8, short, short.chars().count());
        assert!(!s.jaro_winkler_bound(huge.chars().count()));
    }

    #[test]
    fn damerau_is_strsims_number_on_long_texts() {
        // Long enough for several 64-character blocks and a wide band of transpositions.
        let a = "ab".repeat(700) + "the end";
        let b = "ba".repeat(700) + "the bend";
        let want = strsim::normalized_damerau_levenshtein(&a, &b);
        assert_eq!(Metric::Damerau.similarity(&a, &b), want);
        let s = Scorer::new(Metric::Damerau, 0.5, &a, a.chars().count());
        assert_eq!(s.within(&b, b.chars().count()), Some(want));
    }

    #[test]
    fn scorer_is_exactly_the_threshold_test() {
        let words = ["riot police", "riot polite", "riot", "", "police riot", "r"];
        for m in Metric::ALL {
            for t in [0.0, 0.5, 0.9, 1.0] {
                for a in words {
                    let s = Scorer::new(m, t, a, a.chars().count());
                    for b in words {
                        let want = m.similarity(a, b);
                        let got = s.within(b, b.chars().count());
                        assert_eq!(got, (want >= t).then_some(want), "{m} {t} {a:?} {b:?}");
                    }
                }
            }
        }
    }
}
