//! Micro-benchmarks of the verification kernel: is this pair within the threshold?
//! `cargo bench --bench kernel`. Compare the rows of one run with each other; the absolute
//! times depend on the machine.

use capdedup::similarity::Scorer;
use capdedup::{Metric, fold_key};

fn main() {
    divan::main();
}

const A: &str = "Riot police officers detain a protester during a Belarusian opposition supporters' rally protesting the official presidential election results in Minsk, Belarus, Sunday, Sept. 13, 2020.";
/// A near repeat of `A` (a changed word and two typos): within 0.9.
const NEAR: &str = "Riot police officers detain a protestor during a Belarusian oposition supporters' rally protesting the official presidential election results in Minsk, Belarus, Monday, Sept. 13, 2020.";
/// An unrelated caption of similar length: far below 0.9.
const FAR: &str = "Belarusian President Alexander Lukashenko greets officials upon his arriving at the Black Sea resort of Sochi, Russia, Monday, Sept. 14, 2020, for talks with Vladimir Putin.";

fn pairs() -> [(&'static str, String, String); 2] {
    [
        ("near", fold_key(A), fold_key(NEAR)),
        ("far", fold_key(A), fold_key(FAR)),
    ]
}

/// strsim's O(n·m) routine, no cutoff: the baseline.
#[divan::bench(args = ["near", "far"])]
fn strsim_normalized_levenshtein(bencher: divan::Bencher, which: &str) {
    let (_, a, b) = pairs().into_iter().find(|p| p.0 == which).unwrap();
    bencher.bench(|| {
        strsim::normalized_levenshtein(divan::black_box(&a), divan::black_box(&b)) >= 0.9
    });
}

/// The library's scorer: bit-parallel Levenshtein with the largest passing distance as cutoff.
#[divan::bench(args = ["near", "far"])]
fn scorer_within(bencher: divan::Bencher, which: &str) {
    let (_, a, b) = pairs().into_iter().find(|p| p.0 == which).unwrap();
    let (la, lb) = (a.chars().count(), b.chars().count());
    bencher.bench(|| {
        Scorer::new(Metric::Levenshtein, 0.9, divan::black_box(&a), la)
            .within(divan::black_box(&b), lb)
    });
}

/// The scorer prepared once and reused, as clustering does for a key's candidates.
#[divan::bench(args = ["near", "far"])]
fn scorer_within_prepared(bencher: divan::Bencher, which: &str) {
    let (_, a, b) = pairs().into_iter().find(|p| p.0 == which).unwrap();
    let (la, lb) = (a.chars().count(), b.chars().count());
    let scorer = Scorer::new(Metric::Levenshtein, 0.9, &a, la);
    bencher.bench(|| scorer.within(divan::black_box(&b), lb));
}
