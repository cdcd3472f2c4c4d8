//! Similarity metrics over comparison keys, and the thresholded check clustering relies on.
//!
//! Every metric returns the same number as its `strsim` counterpart. Levenshtein, the
//! default, is verified with a bit-parallel kernel (the `rapidfuzz` crate) given the
//! largest distance that still reaches the threshold, so most non-matching pairs stop early.

use rapidfuzz::distance::levenshtein;
use serde::Serialize;

/// A similarity in `[0, 1]` between two comparison keys; 1.0 means identical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
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
            Metric::Damerau => strsim::normalized_damerau_levenshtein(a, b),
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

/// One side of many comparisons: prepared once (for Levenshtein, the bit-parallel pattern
/// tables), then compared against each candidate with [`Scorer::within`].
pub struct Scorer<'a> {
    metric: Metric,
    threshold: f64,
    key: &'a str,
    len: usize,
    batch: Option<levenshtein::BatchComparator<char>>,
}

impl<'a> Scorer<'a> {
    /// Prepares `key` (of `len` characters) for comparisons under `metric` and `threshold`.
    pub fn new(metric: Metric, threshold: f64, key: &'a str, len: usize) -> Self {
        let batch = (metric == Metric::Levenshtein && len > 0)
            .then(|| levenshtein::BatchComparator::new(key.chars()));
        Scorer {
            metric,
            threshold,
            key,
            len,
            batch,
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
            let d = match &self.batch {
                Some(batch) => batch.distance_with_args(
                    other.chars(),
                    &levenshtein::Args::default().score_cutoff(k),
                )?,
                None => other_len,
            };
            (d <= k).then(|| 1.0 - d as f64 / longest as f64)
        } else {
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
