//! Credit lines learned from the input: segments at the start or end of captions that recur on
//! captions whose other text differs, and that have the shape of a credit.
//!
//! An outlet's own credit line (`Jane Roe/Ritzau Scanpix`, `Foto: Stadt Musterhausen`,
//! `Courtesy of the City Museum`) may match no built-in rule, but in a scrape it repeats: the
//! same segment closes many different captions. Learning counts, over the distinct captions
//! (after the built-in rules), each segment cut off at a separator (`. `, ` | `, ` - `, ` / `,
//! a bracket) at the start or the end, and keeps those seen on at least `min` captions whose
//! rest differs, or, when signed as a credit (a slash, `©`, an agency, a credit word), on one
//! caption that also comes without it (the same photo with and without its trailer: the rest
//! is itself a caption of the input), **and** that look like a credit: a few capitalised
//! words, an agency, a credit word, a slash or `©`; never a sentence (a verb or a preposition of the story), a date or a
//! number. The story's repeated endings (`in Minsk, Belarus, Sunday, Sept. 13, 2020.`) and the
//! boilerplate context sentences fail that test and stay.
//!
//! Learning sees all distinct captions at once, so its answer does not depend on their order.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::checks::is_name_word;
use super::markers::MARKERS;
use super::names::{KnownNames, NameLearner};
use super::text::{floor_char_boundary, fold_key};
use super::words::{is_credit_connector, is_label_word, is_sentence_word};

/// Where a learned credit line stands in its captions.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Edge {
    /// Before the caption text.
    Start,
    /// After the caption text.
    End,
    /// A credit name (learned from explicit credits), stripped wherever it stands bare: the
    /// whole caption, after the last sentence, in a bracket at the end, or at the start
    /// before the story's first capitalised word.
    Bare,
    /// A credit name (learned from explicit credits) that is also a subject in some caption:
    /// stripped only where a caption is nothing but it.
    Whole,
}

impl Edge {
    /// Whether lines of this place are segments cut at a caption's start or end (not names).
    pub fn is_segment(self) -> bool {
        matches!(self, Edge::Start | Edge::End)
    }
}

/// One learned credit line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LearnedLine {
    /// The segment as written.
    pub text: String,
    /// Where it stands.
    pub place: Edge,
    /// On how many distinct captions (whose other text differs) it was seen; for a
    /// [`Edge::Bare`] name, on how many distinct captions it was an explicit credit.
    pub captions: u64,
}

/// The credit lines learned from one input. [`LearnedCredits::default`] has none.
#[derive(Debug, Clone, Default)]
pub struct LearnedCredits {
    lines: Vec<LearnedLine>,
    /// The learned segments at the start and at the end, looked up by `&str`.
    starts: HashSet<String>,
    ends: HashSet<String>,
    /// The lengths in bytes of the learned segments at the start and at the end (distinct,
    /// shortest first): a caption that opens or closes with none of them is not cut up.
    start_lens: Vec<usize>,
    end_lens: Vec<usize>,
    names: KnownNames,
    whole: KnownNames,
}

/// The longest segment considered, in characters.
const MAX_CHARS: usize = 90;
/// The longest caption learning reads, in bytes.
const MAX_CAPTION: usize = 4096;
/// The most words a learned credit line has.
const MAX_WORDS: usize = 9;

impl LearnedCredits {
    /// Learns the credit lines of `captions` (distinct captions, credits already stripped by
    /// the rules): credit-shaped segments seen on at least `min` captions whose rest differs,
    /// or, when [`LearnedCredits::signed`], with a rest that is itself one of `captions` (a
    /// caption seen with and without it).
    ///
    /// ```
    /// use capdedup::normalize::LearnedCredits;
    /// let captions = [
    ///     "Cyclists ride through the old town. Jane Roe/Ritzau Scanpix",
    ///     "The harbour at dawn. Jane Roe/Ritzau Scanpix",
    ///     "A new bridge opens. Jane Roe/Ritzau Scanpix",
    ///     "Police in Minsk, Belarus, Sunday, Sept. 13, 2020.",
    ///     "Protesters in Minsk, Belarus, Sunday, Sept. 13, 2020.",
    ///     "Soldiers in Minsk, Belarus, Sunday, Sept. 13, 2020.",
    /// ];
    /// let learned = LearnedCredits::learn(captions, 3);
    /// assert_eq!(learned.lines().len(), 1);
    /// assert_eq!(learned.lines()[0].text, "Jane Roe/Ritzau Scanpix");
    /// let (caption, credit) = learned.strip("A ferry leaves. Jane Roe/Ritzau Scanpix").unwrap();
    /// assert_eq!((caption.as_str(), credit.as_str()), ("A ferry leaves.", "Jane Roe/Ritzau Scanpix"));
    /// ```
    pub fn learn<'a>(captions: impl IntoIterator<Item = &'a str>, min: usize) -> Self {
        let min = min.max(2);
        // segment -> the distinct rests it was seen with (up to `min` of them).
        let mut seen: HashMap<(Edge, &str), Vec<String>> = HashMap::new();
        let captions: Vec<&str> = captions.into_iter().collect();
        // Cutting the captions into segments is most of the work: it is done on all cores, a
        // part of a block at a time, and each part's rests are merged in the captions' order.
        // A segment keeps its first `min` distinct rests in that order, so the merge keeps
        // exactly what one pass over the captions would (a rest among the first `min` of all
        // is among the first `min` of its part).
        for block in captions.chunks(1 << 16) {
            let parts: Vec<HashMap<(Edge, &str), Vec<String>>> = block
                .par_chunks(1 << 12)
                .map(|part| {
                    let mut seen: HashMap<(Edge, &str), Vec<String>> = HashMap::new();
                    // Only credit-shaped segments are kept below: the others are left out
                    // here, before their rests are folded and held, and each is judged once
                    // a part (templated captions repeat their sentences).
                    let mut rejected: HashSet<(Edge, &str)> = HashSet::new();
                    // A credit line closes a caption, not a document: very long texts are left
                    // out, so learning costs a bounded amount per caption.
                    for &caption in part.iter().filter(|c| c.len() <= MAX_CAPTION) {
                        for (edge, segment, rest) in segments(caption) {
                            if !counts_here(edge, caption, segment, rest) {
                                continue;
                            }
                            let key = (edge, segment);
                            if let Some(rests) = seen.get_mut(&key) {
                                add_rest(rests, min, || fold_key(rest));
                            } else if !rejected.contains(&key) {
                                if credit_shaped(segment, edge) {
                                    add_rest(seen.entry(key).or_default(), min, || fold_key(rest));
                                } else {
                                    rejected.insert(key);
                                }
                            }
                        }
                    }
                    seen
                })
                .collect();
            for part in parts {
                for (key, rests) in part {
                    let kept = seen.entry(key).or_default();
                    for rest in rests {
                        add_rest(kept, min, || rest);
                    }
                }
            }
        }
        // Credit-shaped segments seen on `min` captions are learned; a signed one seen on fewer
        // is still a credit line when one of its captions also comes without it (its rest is
        // itself a caption of the input): the same photo with and without the trailer.
        // (On all cores: nearly every caption brings segments of its own. The order of `kept`
        // and `few` does not matter: the lines are sorted below.)
        let (mut kept, few): (Vec<_>, Vec<_>) =
            seen.par_iter().partition(|(_, rests)| rests.len() >= min);
        let few: Vec<_> = few
            .into_iter()
            .filter(|((_, segment), _)| LearnedCredits::signed(segment))
            .collect();
        // Only the rests of those segments are looked up, so the captions' folded texts are
        // never all held at once.
        let wanted: HashSet<&str> = few
            .iter()
            .flat_map(|(_, rests)| rests.iter().map(String::as_str))
            .filter(|rest| !rest.is_empty())
            .collect();
        if !wanted.is_empty() {
            // A twin is a caption too: a document-sized text is never one.
            let twins: HashSet<&str> = captions
                .par_iter()
                .filter(|c| c.len() <= MAX_CAPTION)
                .filter_map(|c| wanted.get(fold_key(c).as_str()).copied())
                .collect();
            kept.extend(
                few.into_iter()
                    .filter(|(_, rests)| rests.iter().any(|r| twins.contains(r.as_str()))),
            );
        }
        let mut lines: Vec<LearnedLine> = kept
            .into_iter()
            .map(|((place, segment), rests)| LearnedLine {
                text: (*segment).to_owned(),
                place: *place,
                captions: rests.len() as u64,
            })
            .collect();
        // Ordered on content, so the answer does not depend on the hash table's order.
        lines.sort_by(|a, b| (a.place, &a.text).cmp(&(b.place, &b.text)));
        LearnedCredits::from_lines(lines)
    }

    /// These credit lines with the credit names `names` learned (`(written, captions)`, from
    /// [`NameLearner::finish`]) added as [`Edge::Bare`] lines, ordered on content.
    ///
    /// ```
    /// use capdedup::normalize::{LearnedCredits, NameLearner};
    /// let mut names = NameLearner::new();
    /// names.add("Cyclists in the old town.", Some("Photo: Jane Roe"));
    /// names.add("The harbour at dawn.", Some("Jane Roe/Acme Wire"));
    /// let learned = LearnedCredits::default().with_names(names.finish());
    /// let (caption, credit) = learned.strip("A ferry leaves port. Jane Roe").unwrap();
    /// assert_eq!((caption.as_str(), credit.as_str()), ("A ferry leaves port.", "Jane Roe"));
    /// assert_eq!(learned.strip("Jane Roe poses with her camera."), None);
    /// ```
    pub fn with_names(self, names: Vec<(String, u64)>) -> Self {
        self.with_names_at(names, Edge::Bare)
    }

    /// These credit lines with the whole-caption names `names` (from
    /// [`NameLearner::finish_all`]) added as [`Edge::Whole`] lines, ordered on content.
    ///
    /// ```
    /// use capdedup::normalize::{LearnedCredits, NameLearner};
    /// let mut names = NameLearner::new();
    /// names.add("A rocket lifts off.", Some("Photo: AcmeSpace"));
    /// names.add("The booster lands.", Some("AcmeSpace/Acme Wire"));
    /// names.add("AcmeSpace engineers test an engine.", None);
    /// names.add("Crowds watch as AcmeSpace launches.", None);
    /// let (bare, whole) = names.finish_all();
    /// let learned = LearnedCredits::default().with_names(bare).with_whole_names(whole);
    /// assert_eq!(learned.strip("ACMESPACE"), Some((String::new(), "ACMESPACE".to_owned())));
    /// assert_eq!(learned.strip("A rocket on the pad. AcmeSpace"), None);
    /// ```
    pub fn with_whole_names(self, names: Vec<(String, u64)>) -> Self {
        self.with_names_at(names, Edge::Whole)
    }

    fn with_names_at(self, names: Vec<(String, u64)>, place: Edge) -> Self {
        let mut lines = self.lines;
        lines.extend(names.into_iter().map(|(text, captions)| LearnedLine {
            text,
            place,
            captions,
        }));
        lines.sort_by(|a, b| (a.place, &a.text).cmp(&(b.place, &b.text)));
        LearnedCredits::from_lines(lines)
    }

    /// What learning reads in one distinct caption, for a learner that counts elsewhere (the
    /// Spark pipeline, with a group-by): each segment at the start or end that has the shape
    /// of a credit line, with its edge and the rest of the caption folded as
    /// [`LearnedCredits::learn`] compares them; the rest is `None` when the caption is too
    /// long to learn from (it still counts in [`LearnedCredits::count`]). A segment is learned
    /// exactly when at least `min` (at least 2) distinct rests come with it over all captions,
    /// or it is [`LearnedCredits::signed`] and one of its (non-empty) rests is the
    /// [`fold_key`](crate::normalize::fold_key) of a caption, and its `captions` after
    /// [`LearnedCredits::count`] are how many times it comes at all.
    ///
    /// ```
    /// use capdedup::normalize::{Edge, LearnedCredits};
    /// let found = LearnedCredits::candidates("The harbour at dawn. Jane Roe/Ritzau Scanpix");
    /// assert_eq!(found, [(Edge::End, "Jane Roe/Ritzau Scanpix", Some("the harbour at dawn.".to_owned()))]);
    /// ```
    pub fn candidates(caption: &str) -> Vec<(Edge, &str, Option<String>)> {
        let learnable = caption.len() <= MAX_CAPTION;
        segments(caption)
            .into_iter()
            .filter(|(edge, segment, rest)| {
                credit_shaped(segment, *edge) && counts_here(*edge, caption, segment, rest)
            })
            .map(|(edge, segment, rest)| (edge, segment, learnable.then(|| fold_key(rest))))
            .collect()
    }

    /// Whether a credit-shaped segment is signed as a credit line strongly enough that one
    /// caption seen with and without it is enough to learn it: two words or more, no
    /// sentence end, and a slash between names, `©`, `@`, a known agency, or a credit word
    /// such as `Photo` or `Courtesy` that labels a word after it, or a bracket of names
    /// (`(Jane Roe and John Poe)`). Capitalised words alone are not enough there, nor a
    /// sentence with a credit word in it: `Sorry.` and `Sorry. Your photo ID looks faked.`,
    /// a joke and the joke signed by its author, are captions of their own.
    ///
    /// ```
    /// use capdedup::normalize::LearnedCredits;
    /// assert!(LearnedCredits::signed("John Poe/Acme Wire"));
    /// assert!(LearnedCredits::signed("Foto: Stadt Musterhausen"));
    /// assert!(!LearnedCredits::signed("Richard Farina"));
    /// assert!(!LearnedCredits::signed("Your photo ID looks faked."));
    /// assert!(!LearnedCredits::signed("Professional courtesy"));
    /// assert!(LearnedCredits::signed("(Jane Roe and John Poe)"));
    /// ```
    pub fn signed(segment: &str) -> bool {
        let words: Vec<&str> = segment.split_whitespace().collect();
        if words.len() < 2 || segment.ends_with(['.', '!', '?', '…', '。']) {
            return false;
        }
        // A bracket that closes the caption holding only names (credit-shaped): a byline.
        let bracketed = segment.starts_with(['(', '[']) && segment.ends_with([')', ']']);
        if bracketed
            && words.iter().all(|w| {
                !w.trim_matches(['(', ')', '[', ']'])
                    .contains(['.', '!', '?'])
            })
        {
            return true;
        }
        // A credit word last labels nothing (`Professional courtesy`); a slash counts anywhere.
        signed(segment, &words[..words.len() - 1]) || slash_between_names(&words)
    }

    /// The credit lines of a report (`Report::learned_credits`), to strip them again.
    pub fn from_lines(lines: Vec<LearnedLine>) -> Self {
        let at = |place: Edge| {
            lines
                .iter()
                .filter(|l| l.place == place)
                .map(|l| l.text.clone())
                .collect()
        };
        let (starts, ends): (HashSet<String>, HashSet<String>) = (at(Edge::Start), at(Edge::End));
        let lens = |set: &HashSet<String>| {
            let mut lens: Vec<usize> = set.iter().map(String::len).collect();
            lens.sort_unstable();
            lens.dedup();
            lens
        };
        let (start_lens, end_lens) = (lens(&starts), lens(&ends));
        let names_at = |place: Edge| {
            KnownNames::new(
                lines
                    .iter()
                    .filter(|l| l.place == place)
                    .map(|l| l.text.as_str()),
            )
        };
        let (names, whole) = (names_at(Edge::Bare), names_at(Edge::Whole));
        LearnedCredits {
            lines,
            starts,
            ends,
            start_lens,
            end_lens,
            names,
            whole,
        }
    }

    /// Counts, for the report, how many of `captions` carry each learned line (a
    /// [`Edge::Bare`] name keeps its count of explicit credits).
    pub fn count<'a>(&mut self, captions: impl IntoIterator<Item = &'a str>) {
        if self.lines.is_empty() {
            return;
        }
        if self.starts.is_empty() && self.ends.is_empty() {
            // Only names, which keep their counts.
            return;
        }
        // On all cores, a part at a time; the counts of the parts are added up.
        let captions: Vec<&str> = captions.into_iter().collect();
        let counts: HashMap<(Edge, &str), u64> = captions
            .par_chunks(1 << 12)
            .map(|part| {
                let mut counts: HashMap<(Edge, &str), u64> = HashMap::new();
                for caption in part.iter().filter(|c| self.may_have_segment(c)) {
                    for (edge, segment, _) in segments(caption) {
                        if self.has_segment(edge, segment) {
                            *counts.entry((edge, segment)).or_insert(0) += 1;
                        }
                    }
                }
                counts
            })
            .reduce(HashMap::new, |mut all, part| {
                for (key, n) in part {
                    *all.entry(key).or_insert(0) += n;
                }
                all
            });
        for line in self.lines.iter_mut().filter(|l| l.place.is_segment()) {
            line.captions = counts
                .get(&(line.place, line.text.as_str()))
                .copied()
                .unwrap_or(0);
        }
        self.lines.sort_by(|a, b| {
            b.captions
                .cmp(&a.captions)
                .then_with(|| (a.place, &a.text).cmp(&(b.place, &b.text)))
        });
    }

    /// Whether `text` may carry a learned segment: false only when it neither opens with a
    /// learned start nor closes with a learned end. A segment is cut off at a separator and
    /// trimmed, so it is a prefix of the text without its leading whitespace, or a suffix of
    /// it without its trailing whitespace; looking up those of the learned lengths is much
    /// cheaper than cutting the text at every separator.
    fn may_have_segment(&self, text: &str) -> bool {
        let end = text.trim_end();
        let start = text.trim_start();
        self.end_lens.iter().any(|&n| {
            n <= end.len()
                && end.is_char_boundary(end.len() - n)
                && self.ends.contains(&end[end.len() - n..])
        }) || self.start_lens.iter().any(|&n| {
            n <= start.len() && start.is_char_boundary(n) && self.starts.contains(&start[..n])
        })
    }

    /// Whether `segment` is a learned line at `edge`.
    fn has_segment(&self, edge: Edge, segment: &str) -> bool {
        match edge {
            Edge::Start => self.starts.contains(segment),
            Edge::End => self.ends.contains(segment),
            Edge::Bare | Edge::Whole => false,
        }
    }

    /// The learned lines, most frequent first (after [`LearnedCredits::count`]).
    pub fn lines(&self) -> &[LearnedLine] {
        &self.lines
    }

    /// Whether nothing was learned.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Strips the learned lines off `caption`, again and again while one stands at an edge,
    /// then the learned names standing bare: the caption left and the pieces removed (joined
    /// by a space, in textual order), or `None` when nothing learned is there. A caption that
    /// is only a learned line is left as it is; one that is only learned names becomes empty.
    pub fn strip(&self, caption: &str) -> Option<(String, String)> {
        self.strip_pieces(caption).map(|(rest, pieces)| {
            let joined: Vec<&str> = pieces.iter().map(|(p, _)| p.as_str()).collect();
            (rest, joined.join(" "))
        })
    }

    /// [`LearnedCredits::strip`], each piece removed with what took it: `learned` (a line)
    /// or `learned name` (a bare name).
    pub fn strip_pieces(&self, caption: &str) -> Option<(String, Vec<(String, &'static str)>)> {
        if self.lines.is_empty() {
            return None;
        }
        let mut rest = caption;
        let mut head: Vec<&str> = Vec::new();
        let mut tail: Vec<&str> = Vec::new();
        'outer: for _ in 0..4 {
            if !self.may_have_segment(rest) {
                break;
            }
            for (edge, segment, left) in segments(rest) {
                if !left.is_empty() && self.has_segment(edge, segment) {
                    match edge {
                        Edge::Start => head.push(segment),
                        Edge::End | Edge::Bare | Edge::Whole => tail.insert(0, segment),
                    }
                    rest = left;
                    continue 'outer;
                }
            }
            break;
        }
        let mut pieces: Vec<(String, &'static str)> =
            head.iter().map(|p| ((*p).to_owned(), "learned")).collect();
        let mut tail: Vec<(String, &'static str)> =
            tail.iter().map(|p| ((*p).to_owned(), "learned")).collect();
        let rest = match self.names.strip(rest) {
            Some((left, name_head, name_tail)) => {
                pieces.extend(name_head.into_iter().map(|p| (p, "learned name")));
                let mut named: Vec<(String, &'static str)> =
                    name_tail.into_iter().map(|p| (p, "learned name")).collect();
                named.append(&mut tail);
                tail = named;
                left
            }
            None => rest.to_owned(),
        };
        // A caption that is only names its input credits (some of them subjects elsewhere).
        let rest = if !rest.is_empty() && self.whole.is_whole(&rest) {
            pieces.push((rest, "learned name"));
            String::new()
        } else {
            rest
        };
        if pieces.is_empty() && tail.is_empty() {
            return None;
        }
        pieces.extend(tail);
        Some((rest, pieces))
    }
}

/// Learns credit lines one caption at a time, holding only what learning needs: for each
/// credit-shaped segment, a hash of up to `min` distinct rests (not the captions). For a
/// reader that streams (`capdedup strip`): its answer is [`LearnedCredits::learn`]'s on the
/// same captions, in any order and with any repeats (a repeated caption brings no new rest).
///
/// ```
/// use capdedup::normalize::{LearnedCredits, Learner};
/// let captions = [
///     "Cyclists ride through the old town. Jane Roe/Ritzau Scanpix",
///     "The harbour at dawn. Jane Roe/Ritzau Scanpix",
///     "The harbour at dawn. Jane Roe/Ritzau Scanpix",
///     "A new bridge opens. Jane Roe/Ritzau Scanpix",
/// ];
/// let mut learner = Learner::new(3);
/// for c in captions {
///     learner.add(c);
/// }
/// assert_eq!(learner.finish().lines(), LearnedCredits::learn(captions, 3).lines());
/// ```
#[derive(Debug, Clone)]
pub struct Learner {
    min: usize,
    seen: HashMap<(Edge, String), Vec<u64>>,
    /// Every caption read, hashed as rests are (sorted at the end; 8 bytes a caption, less
    /// than a hash set's): a signed segment seen on fewer than `min` captions is learned
    /// when one of its rests is itself a caption.
    captions: Vec<u64>,
    names: NameLearner,
}

impl Learner {
    /// A learner keeping segments seen on at least `min` (at least 2) captions whose rest differs.
    pub fn new(min: usize) -> Self {
        Learner {
            min: min.max(2),
            seen: HashMap::new(),
            captions: Vec::new(),
            names: NameLearner::new(),
        }
    }

    /// Reads the credit the rules removed from a record whose caption they left as `caption`
    /// (empty for a credit-only record): its names may be learned ([`NameLearner`]).
    pub fn add_credit(&mut self, caption: &str, credit: &str) {
        self.names.add_credit(caption, credit);
    }

    /// Reads one caption (credits already stripped by the rules).
    pub fn add(&mut self, caption: &str) {
        self.names.add_caption(caption);
        // A document-sized text is never a twin (as in `learn`): folding it for its hash
        // would cost another copy of it.
        if caption.len() > MAX_CAPTION {
            return;
        }
        self.captions.push(rest_hash(caption));
        for (edge, segment, rest) in segments(caption) {
            if !counts_here(edge, caption, segment, rest) {
                continue;
            }
            if let Some(rests) = self.seen.get_mut(&(edge, segment.to_owned())) {
                if rests.len() < self.min {
                    let h = rest_hash(rest);
                    if !rests.contains(&h) {
                        rests.push(h);
                    }
                }
            } else if credit_shaped(segment, edge) {
                self.seen
                    .insert((edge, segment.to_owned()), vec![rest_hash(rest)]);
            }
        }
    }

    /// The lines learned, ordered on content as [`LearnedCredits::learn`] orders them.
    pub fn finish(self) -> LearnedCredits {
        let (min, mut captions) = (self.min, self.captions);
        captions.sort_unstable();
        captions.dedup();
        let empty = rest_hash("");
        let mut lines: Vec<LearnedLine> = self
            .seen
            .into_iter()
            .filter(|((_, segment), rests)| {
                rests.len() >= min
                    || (LearnedCredits::signed(segment)
                        && rests
                            .iter()
                            .any(|r| *r != empty && captions.binary_search(r).is_ok()))
            })
            .map(|((place, text), rests)| LearnedLine {
                text,
                place,
                captions: rests.len() as u64,
            })
            .collect();
        lines.sort_by(|a, b| (a.place, &a.text).cmp(&(b.place, &b.text)));
        let (bare, whole) = self.names.finish_all();
        LearnedCredits::from_lines(lines)
            .with_names(bare)
            .with_whole_names(whole)
    }
}

/// A hash of a rest as [`LearnedCredits::learn`] compares rests (folded): 64-bit FNV-1a, the
/// same on every run, so the answer never depends on a seed.
fn rest_hash(rest: &str) -> u64 {
    fold_key(rest).bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The segments of `caption` that could be a credit line: `(edge, segment, rest)`, cut at a
/// separator near the start or the end.
fn segments(caption: &str) -> Vec<(Edge, &str, &str)> {
    let mut out = Vec::new();
    let len = caption.len();
    // End: after the last sentence end or separator within reach.
    let from = floor_char_boundary(caption, len.saturating_sub(MAX_CHARS * 4));
    for (i, sep) in separators(&caption[from..]) {
        let at = from + i;
        let segment = caption[at + sep..].trim();
        let rest = trim_rest_end(&caption[..at]);
        if !segment.is_empty() && !rest.is_empty() && segment.chars().count() <= MAX_CHARS {
            out.push((Edge::End, segment, rest));
        }
    }
    // A trailing bracket: `... harbour. (City Museum)`.
    if caption.ends_with(')') {
        if let Some(open) = caption.rfind(" (") {
            let segment = &caption[open + 1..];
            let rest = caption[..open].trim_end();
            if !segment[1..].contains('(')
                && segment.chars().count() <= MAX_CHARS
                && !rest.is_empty()
            {
                out.push((Edge::End, segment, rest));
            }
        }
    }
    // Start: before the first separator within reach (`Foto: Stadt Musterhausen | ...`).
    let reach = floor_char_boundary(caption, len.min(MAX_CHARS * 2));
    for (i, sep) in separators(&caption[..reach]) {
        let segment = caption[..i].trim();
        let rest = caption[i + sep..].trim_start();
        if !segment.is_empty() && !rest.is_empty() && segment.chars().count() <= MAX_CHARS {
            out.push((Edge::Start, segment, rest));
        }
    }
    // A trailing bracket after a sentence is cut both ways: one caption carries it once (in
    // the report's counts, and as one rest when learning).
    // (A handful of segments: a linear look beats hashing them.)
    let mut kept: Vec<(Edge, &str, &str)> = Vec::with_capacity(out.len());
    for piece in out {
        if !kept.iter().any(|k| (k.0, k.1) == (piece.0, piece.1)) {
            kept.push(piece);
        }
    }
    kept
}

/// Adds a segment's rest (made by `rest` only when needed) unless `min` distinct rests are
/// already there or it is one of them.
fn add_rest(rests: &mut Vec<String>, min: usize, rest: impl FnOnce() -> String) {
    if rests.len() < min {
        let rest = rest();
        if !rests.contains(&rest) {
            rests.push(rest);
        }
    }
}

/// Where `text` can be cut: `(byte offset, separator length)`, the separator not part of
/// either side. Sentence ends keep their mark on the left.
fn separators(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    // Byte by byte: every mark looked for is ASCII or starts with a lead byte (`。` with 0xE3),
    // so a match is always at a character boundary.
    for (i, &byte) in b.iter().enumerate() {
        let c = match byte {
            b'.' | b'!' | b'?' | b' ' | b':' => char::from(byte),
            0xE3 if text[i..].starts_with('。') => '。',
            _ => continue,
        };
        match c {
            '.' | '!' | '?' | '。'
                if b.get(i + c.len_utf8()) == Some(&b' ') && !after_abbreviation(&text[..i]) =>
            {
                // The mark stays with the sentence.
                out.push((i + c.len_utf8(), 1));
            }
            // Every spaced separator's second byte is one of these (`–`, `—`, `•` start with
            // 0xE2, `·` with 0xC2): most spaces stop at this one look.
            ' ' if matches!(b.get(i + 1), Some(b'|' | b'-' | b'/' | 0xE2 | 0xC2)) => {
                for sep in [" | ", " - ", " – ", " — ", " / ", " · ", " • "] {
                    if text[i..].starts_with(sep) {
                        out.push((i, sep.len()));
                    }
                }
            }
            ':' if text[i..].starts_with(": ") && i > 0 => out.push((i, 2)),
            _ => {}
        }
    }
    out
}

/// Whether the word before a full stop is an abbreviation or an initial (`U.S`, `Dr`, `J`,
/// `Jan`): no sentence ends there.
fn after_abbreviation(before: &str) -> bool {
    let word = before.rsplit(' ').next().unwrap_or(before);
    (word.chars().count() <= 3 && word.starts_with(char::is_uppercase)) || word.contains('.')
}

/// The rest before an end segment, without its dangling separators.
fn trim_rest_end(text: &str) -> &str {
    text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '|' | '-' | '–' | '—' | '/' | '·' | '•' | ':')
    })
}

/// Whether a segment carries a credit sign: a slash between names (`Jane Roe/Agency`, not
/// `the fish/pigeon cartoon`), `©`, `@`, a known agency, or a credit word that labels what
/// follows it (`Photo`, `Courtesy`; last in a sentence it is a word of the story:
/// `Professional courtesy.`).
fn signed(segment: &str, words: &[&str]) -> bool {
    slash_between_names(words)
        || segment.contains(['©', '@'])
        || MARKERS.exact.is_match(segment)
        || words.iter().enumerate().any(|(i, w)| {
            let lower = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            let closes_sentence = i + 1 == words.len() && segment.ends_with('.');
            is_label_word(&lower) && !closes_sentence
        })
}

/// Whether a word holds a slash between names (`Roe/Reuters`, not `the fish/pigeon`).
fn slash_between_names(words: &[&str]) -> bool {
    words
        .iter()
        .any(|w| w.contains('/') && w.chars().any(char::is_uppercase))
}

/// Whether an occurrence of an end segment counts towards learning it: after the end of a
/// sentence (or a bracket or quote), in brackets, after a credit's separator (` / `, ` | `,
/// ` · `, a dash), or signed as a credit. A name-like ending after a colon explains the
/// caption (`Looks like the new AI: Animal Intelligence`).
fn counts_here(edge: Edge, caption: &str, segment: &str, rest: &str) -> bool {
    if edge == Edge::Start
        || segment.starts_with('(')
        || rest.ends_with(['.', '!', '?', '…', ')', ']', '"', '”', '’', '»', '。'])
    {
        return true;
    }
    let words: Vec<&str> = segment.split_whitespace().collect();
    if signed(segment, &words) {
        return true;
    }
    let between = caption
        .get(rest.len()..caption.len().saturating_sub(segment.len()))
        .unwrap_or_default()
        .trim();
    let credit_separator = |c: char| matches!(c, '/' | '|' | '·' | '•' | '-' | '–' | '—');
    between.contains(credit_separator)
        && between
            .chars()
            .all(|c| c.is_whitespace() || c == ':' || credit_separator(c))
}

/// Whether a recurring segment has the shape of a credit, not of the story: at most nine
/// words; no word that only sentences have, no digit (but a year after `©` or `Copyright`),
/// no month or weekday; and either a credit sign (`/`, `©`, `@`, a credit word such as
/// `Photo` or `Courtesy`, a known agency) or only capitalised name words and connectors.
pub(super) fn credit_shaped(segment: &str, edge: Edge) -> bool {
    let words: Vec<&str> = segment.split_whitespace().collect();
    if words.is_empty() || words.len() > MAX_WORDS || !segment.chars().any(char::is_alphabetic) {
        return false;
    }
    // A label alone (`Foto`, `Credit`) is what opens a credit, not a credit line.
    if words.len() == 1 && {
        let w = words[0]
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        is_label_word(&w)
    } {
        return false;
    }
    let copyright = segment.contains('©') || segment.to_lowercase().contains("copyright");
    if segment.chars().any(|c| c.is_ascii_digit()) && !copyright {
        return false;
    }
    if segment.ends_with(['?', '!']) {
        return false;
    }
    // A hashtag (`#MeToo`) is a word of the caption, and a letter's closing
    // (`Sincerely, Jane`) belongs to the letter the caption is.
    let closing = words[0].trim_end_matches(',');
    if segment.starts_with('#')
        || [
            "Sincerely",
            "Regards",
            "Yours",
            "Love",
            "Cheers",
            "Best",
            "Respectfully",
        ]
        .contains(&closing)
    {
        return false;
    }
    let signed = signed(segment, &words);
    let mut all_names = true;
    for w in &words {
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() {
            continue;
        }
        let lower = core.to_lowercase();
        if is_sentence_word(core) || DATE_WORDS.contains(&lower.as_str()) {
            return false;
        }
        let name = is_name_word(core)
            || is_credit_connector(core)
            || core.chars().all(|c| c.is_uppercase() || !c.is_alphabetic());
        if !name {
            all_names = false;
        }
    }
    // Without a credit sign, a segment that ends a sentence (`Over.`, `Merry Christmas.`,
    // `Well...`) or is a single word (`Namaste`, `I`) is a repeated ending of the story.
    if !signed && (segment.ends_with(['.', '…']) || words.len() == 1) {
        return false;
    }
    // A byline (`Posted By: name`) names the writer, not the picture.
    if words.last().is_some_and(|w| w.eq_ignore_ascii_case("by")) {
        return false;
    }
    // What opens a caption is its subject as often as its credit (`U.S. troops ...`,
    // `Berlin | ...`): at the start only a signed segment is a credit line.
    if edge == Edge::Start {
        return signed && all_names_or_short(&words);
    }
    (signed && all_names_or_short(&words)) || (all_names && words.len() <= 6)
}

/// A signed credit may carry a few lower-case words (`Photo courtesy of the city`), not many.
fn all_names_or_short(words: &[&str]) -> bool {
    words
        .iter()
        .filter(|w| w.starts_with(char::is_lowercase) && !is_credit_connector(w))
        .count()
        <= 2
}

/// Months and weekdays (lower-case), in the languages of the labelled sets: a segment naming
/// one is a date of the story.
#[rustfmt::skip]
const DATE_WORDS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "januar", "februar", "märz", "mai", "juni", "juli",
    "oktober", "dezember", "montag", "dienstag", "mittwoch", "donnerstag", "freitag",
    "samstag", "sonntag", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
    "agosto", "septiembre", "octubre", "noviembre", "diciembre", "lunes", "martes",
    "miércoles", "jueves", "viernes", "sábado", "domingo", "janvier", "février", "mars",
    "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "today",
    "yesterday", "tonight",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_credit_lines_are_learned_and_stripped() {
        let caps = [
            "Cyclists ride through the old town. Jane Roe/Ritzau Scanpix",
            "The harbour at dawn. Jane Roe/Ritzau Scanpix",
            "A new bridge opens. Jane Roe/Ritzau Scanpix",
            "Foto: Stadt Musterhausen | Der Marktplatz am Abend",
            "Foto: Stadt Musterhausen | Das Rathaus",
            "Foto: Stadt Musterhausen | Die neue Schule",
        ];
        let learned = LearnedCredits::learn(caps, 3);
        let texts: Vec<&str> = learned.lines().iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts.contains(&"Jane Roe/Ritzau Scanpix"));
        assert!(texts.contains(&"Foto: Stadt Musterhausen"));
        assert_eq!(
            learned.strip("Foto: Stadt Musterhausen | Der Park"),
            Some(("Der Park".to_owned(), "Foto: Stadt Musterhausen".to_owned()))
        );
        // A caption that is only the learned line stays (the rules decide about those).
        assert_eq!(learned.strip("Jane Roe/Ritzau Scanpix"), None);
    }

    #[test]
    fn short_repeated_story_endings_are_not_learned() {
        // Repeated last words of different captions (a contest's punchlines), and a name-like
        // ending after a dash or colon that explains the caption.
        let caps = [
            "Why do they call it a fall? Sorry.",
            "The meeting ran long again. Sorry.",
            "We lost the keys in the snow. Sorry.",
            "Take the stairs, not the lift. Over.",
            "The eagle has landed on the roof. Over.",
            "Central says the coast is clear. Over.",
            "It's the new AI - Animal Intelligence",
            "Looks like a new AI: Animal Intelligence",
            "Based on the very latest AI - Animal Intelligence",
            "Our new campaign trends today #SoExample",
            "The ad trends on every site #SoExample",
            "The crowd cheers once more #SoExample",
            "I have to admit it is professional courtesy.",
            "Between sharks that is professional courtesy.",
            "They never bite lawyers. Professional courtesy.",
            "We met the fish/pigeon cartoon",
            "I prefer the fish/pigeon cartoon",
            "My vote goes to the fish/pigeon cartoon",
            "I must decline your kind invitation. Sincerely, Jane",
            "I am sending you this gift as a sign of affection. Sincerely, Jane",
            "I hope you will consider my proposal. Sincerely, Jane",
        ];
        let learned = LearnedCredits::learn(caps, 3);
        assert!(learned.is_empty(), "{:?}", learned.lines());
        // Signed lines still are, after a dash too.
        let caps = [
            "Cyclists ride through the old town - Musterhausen Tourism Board",
            "The harbour at dawn - Musterhausen Tourism Board",
            "A new bridge opens - Musterhausen Tourism Board",
        ];
        assert_eq!(LearnedCredits::learn(caps, 3).lines().len(), 1);
    }

    #[test]
    fn the_streaming_learner_gives_the_same_answer_in_any_order() {
        let mut caps = vec![
            "Cyclists ride through the old town. Jane Roe/Ritzau Scanpix",
            "The harbour at dawn. Jane Roe/Ritzau Scanpix",
            "The harbour at dawn. Jane Roe/Ritzau Scanpix",
            "A new bridge opens. Jane Roe/Ritzau Scanpix",
            "Foto: Stadt Musterhausen | Der Marktplatz am Abend",
            "Foto: Stadt Musterhausen | Das Rathaus",
            "Foto: Stadt Musterhausen | Die neue Schule",
            "Police detain a man in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "Riot police in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "Protesters in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "Two lines only. Jane Doe/Example Wire",
            "And a second. Jane Doe/Example Wire",
            "A ferry leaves. John Poe/Acme Wire",
            "A ferry leaves.",
        ];
        let want = LearnedCredits::learn(caps.iter().copied(), 3);
        assert_eq!(want.lines().len(), 3, "{:?}", want.lines());
        for _ in 0..3 {
            let mut learner = Learner::new(3);
            for c in &caps {
                learner.add(c);
            }
            assert_eq!(learner.finish().lines(), want.lines());
            caps.reverse();
            caps.rotate_left(5);
        }
    }

    #[test]
    fn story_endings_and_sentences_are_not_learned() {
        let caps = [
            "Police detain a man in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "Riot police in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "Protesters march in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "A man waves. Belarusian authorities have cracked down on protests.",
            "A woman waves. Belarusian authorities have cracked down on protests.",
            "A child waves. Belarusian authorities have cracked down on protests.",
            "Game one. Final score 3 - 2",
            "Game two. Final score 3 - 2",
            "Game three. Final score 3 - 2",
        ];
        let learned = LearnedCredits::learn(caps, 3);
        assert!(learned.is_empty(), "{:?}", learned.lines());
    }

    #[test]
    fn candidates_counted_elsewhere_learn_the_same_lines() {
        let caps = [
            "Cyclists ride through the old town. Jane Roe/Ritzau Scanpix",
            "The harbour at dawn. Jane Roe/Ritzau Scanpix",
            "The harbour at dawn! Jane Roe/Ritzau Scanpix",
            "A new bridge opens. (City Museum)",
            "A vase. (City Museum)",
            "A bowl. (City Museum)",
            "Foto: Stadt Musterhausen | Der Marktplatz am Abend",
            "Foto: Stadt Musterhausen | Das Rathaus",
            "Foto: Stadt Musterhausen | Die neue Schule",
            "Police in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "Riot police in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "Protesters in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "A ferry leaves. John Poe/Acme Wire",
            "A ferry leaves.",
        ];
        let mut learned = LearnedCredits::learn(caps, 3);
        learned.count(caps);
        let folded: HashSet<String> = caps.iter().map(|c| fold_key(c)).collect();
        let mut rests: HashMap<(Edge, &str), (HashSet<String>, u64)> = HashMap::new();
        for c in caps {
            for (edge, segment, rest) in LearnedCredits::candidates(c) {
                let e = rests.entry((edge, segment)).or_default();
                e.0.extend(rest);
                e.1 += 1;
            }
        }
        let mut lines: Vec<LearnedLine> = rests
            .into_iter()
            .filter(|(_, (r, _))| {
                r.len() >= 3 || r.iter().any(|r| !r.is_empty() && folded.contains(r))
            })
            .map(|((place, text), (_, n))| LearnedLine {
                text: text.to_owned(),
                place,
                captions: n,
            })
            .collect();
        lines.sort_by(|a, b| {
            b.captions
                .cmp(&a.captions)
                .then_with(|| (a.place, &a.text).cmp(&(b.place, &b.text)))
        });
        assert_eq!(learned.lines(), lines.as_slice());
        // The story's date ending is not a credit; a trailing bracket after a sentence is
        // counted once on each caption, by both.
        assert_eq!(lines.len(), 4, "{lines:?}");
        let counts: Vec<(&str, u64)> = lines
            .iter()
            .map(|l| (l.text.as_str(), l.captions))
            .collect();
        assert_eq!(
            counts,
            [
                ("Foto: Stadt Musterhausen", 3),
                ("(City Museum)", 3),
                ("Jane Roe/Ritzau Scanpix", 3),
                ("John Poe/Acme Wire", 1)
            ]
        );
    }

    #[test]
    fn a_line_on_one_caption_is_learned_when_the_caption_also_comes_without_it() {
        let caps = [
            "A ferry leaves the harbour. John Poe/Acme Wire",
            "A FERRY LEAVES THE HARBOUR.",
            "Foto: Stadt Musterhausen | Der Marktplatz am Abend",
            "Der Marktplatz am Abend",
            // Twins whose difference is the story, not a credit: never learned.
            "A man waves. Belarusian authorities have cracked down on protests.",
            "A man waves.",
            "Police detain a man in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "Police detain a man",
            // Names or title words alone, with their caption bare: a joke and its author,
            // a caption and its punchline. Not signed as credits: not learned.
            "Been down so long, it looks like up to me. Richard Farina",
            "Been down so long, it looks like up to me.",
            "Really? \"Naked and Afraid?\"",
            "Really?",
            "Sorry. Your photo ID looks faked.",
            "Sorry.",
            // A credit-shaped line seen once, its caption never bare: not learned.
            "A cat sleeps. Jane Roe/Scanpix",
        ];
        let learned = LearnedCredits::learn(caps, 3);
        let texts: Vec<(&str, Edge)> = learned
            .lines()
            .iter()
            .map(|l| (l.text.as_str(), l.place))
            .collect();
        assert_eq!(
            texts,
            [
                ("Foto: Stadt Musterhausen", Edge::Start),
                ("John Poe/Acme Wire", Edge::End)
            ]
        );
        assert_eq!(
            learned.strip("A boat. John Poe/Acme Wire"),
            Some(("A boat.".to_owned(), "John Poe/Acme Wire".to_owned()))
        );
        let mut learner = Learner::new(3);
        for c in caps.iter().rev() {
            learner.add(c);
        }
        assert_eq!(learner.finish().lines(), learned.lines());
    }

    #[test]
    fn below_the_minimum_nothing_is_learned() {
        let caps = ["A cat. Jane Roe/Scanpix", "A dog. Jane Roe/Scanpix"];
        assert!(LearnedCredits::learn(caps, 3).is_empty());
    }

    #[test]
    fn learning_does_not_depend_on_order() {
        let mut caps = [
            "A vase of the Ming era. Photo courtesy of the City Museum",
            "A bronze figure. Photo courtesy of the City Museum",
            "The new wing at night. Photo courtesy of the City Museum",
            "Harbour at dawn - Jane Roe",
            "Ferry leaving port - Jane Roe",
            "Fishing boats in the bay - Jane Roe",
        ];
        caps.sort_unstable();
        let a = LearnedCredits::learn(caps.iter().copied(), 3);
        caps.reverse();
        let b = LearnedCredits::learn(caps.iter().copied(), 3);
        assert_eq!(a.lines(), b.lines());
        assert_eq!(a.lines().len(), 2);
    }
}
