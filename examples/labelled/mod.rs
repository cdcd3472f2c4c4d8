//! Scoring against the hand-labelled fixtures in `fixtures/labelled/`: shared by
//! `examples/quality.rs` (the report) and `tests/quality.rs` (the gate), so both count the
//! same way.

use std::path::{Path, PathBuf};

use capdedup::facts::Facts;
use capdedup::{Metric, Veto, comparison_key, normalize::tidy_whitespace, strip_credits};
use serde::Deserialize;

/// One labelled caption: a real caption with the caption and credit a person expects.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledCaption {
    /// 1-based line of the caption in the web_captions.jsonl it was drawn from.
    pub line: usize,
    /// `random` (seeded sample) or `style` (picked to cover a credit style or a hard negative).
    pub pick: String,
    /// The page the caption was scraped from (its file name names the outlet).
    #[serde(default)]
    pub path: String,
    /// The caption as it stood on the page.
    pub caption: String,
    /// What stripping should leave (whitespace tidied).
    pub expected_caption: String,
    /// What stripping should remove, or `None` when the caption carries no credit.
    pub expected_credit: Option<String>,
}

/// One labelled pair of captions: do they describe the same photo?
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledPair {
    /// First caption.
    pub a: String,
    /// Second caption.
    pub b: String,
    /// Whether `a` and `b` describe the same photo (judged by hand).
    pub duplicate: bool,
    /// Why: what differs between the two.
    pub note: String,
}

/// The fixture folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/labelled")
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(name: &str) -> Vec<T> {
    let path = fixtures().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// The labelled captions.
pub fn captions() -> Vec<LabelledCaption> {
    read_jsonl("captions.jsonl")
}

/// The labelled caption pairs.
pub fn pairs() -> Vec<LabelledPair> {
    read_jsonl("pairs.jsonl")
}

/// What stripping did to one labelled caption, judged against its labels.
#[derive(Debug)]
pub struct Outcome<'a> {
    /// The labelled caption.
    pub labelled: &'a LabelledCaption,
    /// The caption stripping left.
    pub caption: String,
    /// The credit stripping removed.
    pub credit: Option<String>,
    /// The caption is exactly the expected one.
    pub caption_ok: bool,
    /// The credit equals the expected credit (after whitespace tidying).
    pub credit_ok: bool,
    /// Words of the expected caption are missing from what stripping left: real caption
    /// text was removed as if it were a credit.
    pub damaged: bool,
}

/// Strips every labelled caption with the built-in rules and judges the result.
pub fn judge(labelled: &[LabelledCaption]) -> Vec<Outcome<'_>> {
    labelled
        .iter()
        .map(|l| Outcome::of(l, strip_credits(&l.caption)))
        .collect()
}

impl<'a> Outcome<'a> {
    /// Judges what stripping made of `labelled`.
    fn of(labelled: &'a LabelledCaption, s: capdedup::Stripped) -> Self {
        let tidy = |c: &Option<String>| c.as_deref().map(tidy_whitespace);
        Outcome {
            labelled,
            caption_ok: s.caption == labelled.expected_caption,
            credit_ok: tidy(&s.credit) == tidy(&labelled.expected_credit),
            damaged: loses_words(&labelled.expected_caption, &s.caption),
            caption: s.caption,
            credit: s.credit,
        }
    }
}

/// Whether some word of `expected` cannot be found, in order, in `got`. Words are compared
/// without their leading and trailing punctuation, and a credit left glued to a word
/// (`MilanAFP`) still contains the word, so only removed text counts.
pub fn loses_words(expected: &str, got: &str) -> bool {
    let mut rest = got;
    for word in expected.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() {
            continue;
        }
        match rest.find(word) {
            Some(i) => rest = &rest[i + word.len()..],
            None => return true,
        }
    }
    false
}

/// Percentage of `n` in `total`.
pub fn percent(n: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        100.0 * n as f64 / total as f64
    }
}

/// The comparison key the clustering uses for a caption: credits stripped, then folded.
pub fn key(caption: &str) -> String {
    key_of_stripped(strip_credits(caption))
}

/// The comparison key of a stripped caption: its folded text, or for a record that is only a
/// credit, a NUL and the credit's identity.
fn key_of_stripped(s: capdedup::Stripped) -> String {
    match (s.caption.is_empty(), s.credit) {
        // A record that is only a credit is the same as another only if their credits are.
        (true, Some(credit)) => format!("\u{0}{}", capdedup::normalize::credit_identity(&credit)),
        _ => comparison_key(&s.caption),
    }
}

/// Pairwise precision and recall of "same photo" decided as `similarity >= threshold`.
#[derive(Debug, Clone, Copy)]
pub struct PairScore {
    /// Duplicates merged.
    pub true_pos: usize,
    /// Different photos merged.
    pub false_pos: usize,
    /// Duplicates kept apart.
    pub false_neg: usize,
}

impl PairScore {
    /// Of the merged pairs, the share that are duplicates (1.0 when nothing merged).
    pub fn precision(&self) -> f64 {
        let merged = self.true_pos + self.false_pos;
        if merged == 0 {
            1.0
        } else {
            self.true_pos as f64 / merged as f64
        }
    }

    /// Of the duplicate pairs, the share that merged (1.0 when there are none).
    pub fn recall(&self) -> f64 {
        let dups = self.true_pos + self.false_neg;
        if dups == 0 {
            1.0
        } else {
            self.true_pos as f64 / dups as f64
        }
    }
}

/// One pair as the clustering sees it: the similarity of the two comparison keys, and the
/// difference of fact each veto mode finds (`None`: they agree, or the keys are equal).
#[derive(Debug, Clone)]
pub struct Judged {
    /// Normalised Levenshtein similarity of the keys.
    pub similarity: f64,
    /// The difference found under `Veto::Numbers`, as text.
    pub numbers: Option<String>,
    /// The difference found under `Veto::Facts`, as text.
    pub facts: Option<String>,
}

impl Judged {
    /// Whether the pair merges at `threshold` under `veto`.
    pub fn merges(&self, threshold: f64, veto: Veto) -> bool {
        self.similarity >= threshold
            && match veto {
                Veto::None => true,
                Veto::Numbers => self.numbers.is_none(),
                Veto::Facts => self.facts.is_none(),
            }
    }
}

/// Judges a pair as the clustering does: keys, similarity, and the veto on the keys' facts.
pub fn judge_pair(pair: &LabelledPair) -> Judged {
    judge_keys(key(&pair.a), key(&pair.b))
}

/// [`judge_pair`] with the keys the command line gives the pair's captions after learning
/// from the whole input they come from.
pub fn judge_pair_learned(pair: &LabelledPair, learned: &Learned) -> Judged {
    judge_keys(learned.key(&pair.a), learned.key(&pair.b))
}

fn judge_keys(a: String, b: String) -> Judged {
    let credit_only = a.starts_with('\u{0}') || b.starts_with('\u{0}');
    let similarity = if credit_only && a != b {
        0.0
    } else {
        Metric::Levenshtein.similarity(&a, &b)
    };
    let (fa, fb) = (Facts::of(&a), Facts::of(&b));
    let differ = |veto| {
        if a == b {
            None
        } else {
            fa.verdict(&fb, veto).map(|d| d.to_string())
        }
    };
    Judged {
        similarity,
        numbers: differ(Veto::Numbers),
        facts: differ(Veto::Facts),
    }
}

/// Scores the merge decision at `threshold` under `veto` on `pairs` (already judged).
pub fn score_pairs(
    pairs: &[LabelledPair],
    judged: &[Judged],
    threshold: f64,
    veto: Veto,
) -> PairScore {
    let mut score = PairScore {
        true_pos: 0,
        false_pos: 0,
        false_neg: 0,
    };
    for (pair, j) in pairs.iter().zip(judged) {
        match (j.merges(threshold, veto), pair.duplicate) {
            (true, true) => score.true_pos += 1,
            (true, false) => score.false_pos += 1,
            (false, true) => score.false_neg += 1,
            (false, false) => {}
        }
    }
    score
}

/// A labelled caption of the second, independent set (`more_captions.jsonl` in the shared
/// data, evaluation only): the label holds line, hash and character spans, never the text.
#[derive(Debug, Deserialize)]
struct MoreLabel {
    line: usize,
    hash: String,
    outlet: String,
    pick: String,
    split: String,
    credit: Vec<(usize, usize)>,
    drop: Vec<(usize, usize)>,
}

/// A labelled pair of the second set, by line.
#[derive(Debug, Deserialize)]
struct MorePair {
    a_line: usize,
    a_hash: String,
    b_line: usize,
    b_hash: String,
    duplicate: bool,
    note: String,
    split: String,
}

/// Where the shared data lies: `CAPDEDUP_SHARED_DATA`, or `../shared/data` beside the project.
pub fn shared_data() -> PathBuf {
    std::env::var_os("CAPDEDUP_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

/// The captions of the shared `more_captions.jsonl`, by 1-based line; `None` when the file is
/// not there (the labels never hold its text).
pub fn more_texts() -> Option<Vec<String>> {
    #[derive(Deserialize)]
    struct Row {
        caption: String,
    }
    let text = std::fs::read_to_string(shared_data().join("more_captions.jsonl")).ok()?;
    Some(
        text.lines()
            .map(|l| {
                serde_json::from_str::<Row>(l)
                    .expect("a row of more_captions.jsonl")
                    .caption
            })
            .collect(),
    )
}

/// The first 16 hex digits of the caption's SHA-256: a label names the caption it was made for.
fn short_hash(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The captions of `text` with the spans removed, whitespace tidied; spans are in characters.
fn without_spans(text: &str, spans: &[(usize, usize)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut keep = vec![true; chars.len()];
    for &(s, e) in spans {
        for k in &mut keep[s..e] {
            *k = false;
        }
    }
    let kept: String = chars
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c)
        .collect();
    tidy_whitespace(&kept)
}

/// The second, independent labelled set, as [`LabelledCaption`]s with their outlet and split:
/// `(caption, outlet, split)`. `None` when the shared data is not there.
pub fn more_captions() -> Option<Vec<(LabelledCaption, String, String)>> {
    let texts = more_texts()?;
    let labels: Vec<MoreLabel> = read_jsonl("more_captions.jsonl");
    Some(
        labels
            .into_iter()
            .map(|l| {
                let text = &texts[l.line - 1];
                assert_eq!(
                    short_hash(text),
                    l.hash,
                    "more_captions.jsonl line {}: the caption changed",
                    l.line
                );
                let mut all = l.credit.clone();
                all.extend(&l.drop);
                let chars: Vec<char> = text.chars().collect();
                let credit: Vec<String> = {
                    let mut spans = l.credit.clone();
                    spans.sort_unstable();
                    spans
                        .iter()
                        .map(|&(s, e)| chars[s..e].iter().collect::<String>())
                        .collect()
                };
                let caption = LabelledCaption {
                    line: l.line,
                    pick: l.pick,
                    path: String::new(),
                    caption: text.clone(),
                    expected_caption: without_spans(text, &all),
                    expected_credit: (!credit.is_empty())
                        .then(|| tidy_whitespace(&credit.join(" "))),
                };
                (caption, l.outlet, l.split)
            })
            .collect(),
    )
}

/// The labelled pairs of the second set with their split; `None` without the shared data.
pub fn more_pairs() -> Option<Vec<(LabelledPair, String)>> {
    let texts = more_texts()?;
    let pairs: Vec<MorePair> = read_jsonl("more_pairs.jsonl");
    Some(
        pairs
            .into_iter()
            .map(|p| {
                let (a, b) = (&texts[p.a_line - 1], &texts[p.b_line - 1]);
                assert_eq!(
                    short_hash(a),
                    p.a_hash,
                    "more_pairs.jsonl: line {} changed",
                    p.a_line
                );
                assert_eq!(
                    short_hash(b),
                    p.b_hash,
                    "more_pairs.jsonl: line {} changed",
                    p.b_line
                );
                let pair = LabelledPair {
                    a: a.clone(),
                    b: b.clone(),
                    duplicate: p.duplicate,
                    note: p.note,
                };
                (pair, p.split)
            })
            .collect(),
    )
}

/// The pairs of [`more_pairs`] in `split` (`tune` or `test`), or all of them for `None`.
pub fn pairs_in(pairs: &[(LabelledPair, String)], split: Option<&str>) -> Vec<LabelledPair> {
    pairs
        .iter()
        .filter(|(_, s)| split.is_none_or(|p| s == p))
        .map(|(p, _)| p.clone())
        .collect()
}

/// The outlet of a caption of the first set: the page's file name (`fixtures/nytimes.com.html`
/// gives `nytimes.com`).
pub fn outlet_of_path(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.trim_end_matches(".html")
        .trim_end_matches(".htm")
        .to_owned()
}

/// The split of an outlet of the first set, fixed by a hash of its name (FNV-1a): `tune` or
/// `test`, about half each, a whole outlet on one side.
pub fn split_of_outlet(outlet: &str) -> &'static str {
    let h = outlet.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    });
    if h % 2 == 0 { "tune" } else { "test" }
}

/// Strips `labelled` as `capdedup strip` does on a file of them: the rules, then the credit
/// lines learned from all the captions of `learn_from` (distinct, after the rules).
pub fn judge_learning<'a>(
    labelled: &'a [LabelledCaption],
    learn_from: &[&str],
) -> Vec<Outcome<'a>> {
    judge_learning_with(labelled, learn_from, true)
}

/// [`judge_learning`], with credit names learned only when `names` (lines always).
pub fn judge_learning_with<'a>(
    labelled: &'a [LabelledCaption],
    learn_from: &[&str],
    names: bool,
) -> Vec<Outcome<'a>> {
    let learner = Learned::from(learn_from, names);
    labelled
        .iter()
        .map(|l| Outcome::of(l, learner.strip(&l.caption)))
        .collect()
}

/// A default [`capdedup::Deduper`] with what it learned from a whole input: the state the
/// command line strips and keys every record of that input with.
pub struct Learned {
    deduper: capdedup::Deduper,
    learned: capdedup::normalize::LearnedCredits,
}

impl Learned {
    /// Learns as `capdedup` does on a file of `learn_from`: credit lines from the distinct
    /// captions after the rules, then (when `names`) the names their explicit credits sign.
    pub fn from(learn_from: &[&str], names: bool) -> Self {
        let deduper = capdedup::Deduper::builder()
            .build()
            .expect("default options");
        let stripped: Vec<capdedup::Stripped> =
            learn_from.iter().map(|c| deduper.strip(c)).collect();
        let distinct: std::collections::BTreeSet<&str> = stripped
            .iter()
            .filter(|s| !s.caption.is_empty())
            .map(|s| s.caption.as_str())
            .collect();
        let learned = deduper.learn(distinct.iter().copied());
        let credited: Vec<(&str, &str)> = stripped
            .iter()
            .filter_map(|s| Some((s.caption.as_str(), s.credit.as_deref()?)))
            .collect();
        let learned = if names {
            deduper.learn_names(learned, distinct.iter().copied(), credited)
        } else {
            learned
        };
        Learned { deduper, learned }
    }

    /// `caption` stripped by the rules, then by the lines and names learned.
    pub fn strip(&self, caption: &str) -> capdedup::Stripped {
        self.deduper
            .strip_learned(&self.learned, self.deduper.strip(caption))
    }

    /// The comparison key of `caption` after learning, as [`key`] builds it from the rules.
    pub fn key(&self, caption: &str) -> String {
        key_of_stripped(self.strip(caption))
    }
}
