//! Sentence splitting that knows news abbreviations (`Sept. 13`, `U.S.`, `Mr.`), and the
//! detection of boilerplate context sentences shared by captions of different photos.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashMap, HashSet};
use rayon::prelude::*;

use crate::normalize::{comparison_key, fold_key, key_end, key_of_folded};

/// Abbreviations after which a full stop does not end a sentence (compared case-folded).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "lt", "col", "maj",
    "capt", "cmdr", "adm", "sgt", "cpl", "pvt", "gov", "sen", "rep", "rev", "hon", "pres", "supt",
    "insp", "det", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "no", "nos",
    "vs", "v", "inc", "corp", "co", "ltd", "bros", "dept", "univ", "ave", "blvd", "rd", "fig",
    "vol", "approx", "est", "ca", "cf", "al", "e.g", "i.e",
];

/// Splits a caption into sentences (trimmed slices of `text`).
///
/// A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or brackets) followed by
/// whitespace and a capital letter or an opening quote; a full stop after a known
/// abbreviation, a single-letter initial or a dotted acronym (`U.S.`) does not end one.
///
/// ```
/// use capdedup::sentences::split_sentences;
/// let s = split_sentences("Rally in Minsk, Sunday, Sept. 13, 2020. Mr. Smith and U.S. envoys watch.");
/// assert_eq!(s, ["Rally in Minsk, Sunday, Sept. 13, 2020.", "Mr. Smith and U.S. envoys watch."]);
/// ```
pub fn split_sentences(text: &str) -> Vec<&str> {
    // Walks byte positions rather than collecting the characters: a `Vec<(usize, char)>`
    // costs 16 bytes per character, 16 times the caption (1.6 GB for a 100 MB line).
    let is_end = |c: char| matches!(c, '.' | '!' | '?' | '…');
    let mut out = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    // Only `.`, `!`, `?` and the lead byte of `…` can start a terminator; the bytes
    // between are skipped without decoding them.
    while let Some(skip) = text.as_bytes()[pos..]
        .iter()
        .position(|&b| matches!(b, b'.' | b'!' | b'?' | 0xE2))
    {
        pos += skip;
        let c = text[pos..].chars().next().expect("a character starts here");
        if !is_end(c) {
            pos += c.len_utf8();
            continue;
        }
        // Take the whole run of terminators and closers: `?!`, `."`, `.)`.
        let run = &text[pos + c.len_utf8()..];
        let closers = run
            .find(|n: char| !(is_end(n) || matches!(n, '"' | '\'' | '”' | '’' | ')' | ']' | '»')))
            .unwrap_or(run.len());
        let end = text.len() - run.len() + closers;
        let next = text[end..].trim_start();
        let followed_by_start = next.len() < text.len() - end
            && next.chars().next().is_some_and(|n| {
                n.is_uppercase() || matches!(n, '"' | '“' | '‘' | '\'' | '(' | '«' | '¿' | '¡')
            });
        if followed_by_start && !(c == '.' && is_abbreviation(&text[start..pos])) {
            out.push(text[start..end].trim());
            start = text.len() - next.len();
        }
        pos = end;
    }
    let last = text[start..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

/// Whether the word just before a full stop makes it an abbreviation rather than an ending.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '\'' | '‘'))
        .next()
        .unwrap_or("");
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 {
        return false;
    }
    // `F.` (an initial) and `U.S.` / `a.m.` (dotted acronyms).
    if (letters == 1 && word.chars().count() == 1) || word.contains('.') {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Captions handled at once by [`Boilerplate::detect`]: what one chunk finds is added up
/// before the next is read, so that the evidence of every caption is never held at once.
const CHUNK: usize = 1 << 16;

/// A sentence seen by the first pass of [`Boilerplate::detect`]: the hash of its folded
/// text, the hash of its caption's other sentences, and where it is (caption, and its place
/// among the caption's sentences).
#[derive(Debug, Clone, Copy)]
struct Sighting {
    hash: u64,
    rest: u64,
    caption: u32,
    sentence: u32,
}

/// How many words a sentence needs before it can count as boilerplate. Agency context
/// sentences are long (the seed's have 27 to 31 words); shorter ones ("I get paid by the
/// hour.", recurring in cartoon captions) are too often the real content.
pub const BOILERPLATE_MIN_WORDS: usize = 10;

/// Boilerplate sentences found in a set of captions, keyed by their folded form.
#[derive(Debug, Default, Clone)]
pub struct Boilerplate {
    keys: HashSet<String>,
    /// The first bytes of every key: a caption that holds none of them after a space has
    /// no boilerplate sentence, and is not split.
    starts: KeyStarts,
}

/// The first `len` bytes of every boilerplate key (at most 8, fewer if a key is shorter),
/// read as a number.
#[derive(Debug, Default, Clone)]
struct KeyStarts {
    len: usize,
    set: HashSet<u64>,
}

impl KeyStarts {
    fn new(keys: &HashSet<String>) -> Self {
        let len = keys.iter().map(String::len).min().unwrap_or(0).min(8);
        let set = keys
            .iter()
            .map(|k| Self::read(&k.as_bytes()[..len]))
            .collect();
        KeyStarts { len, set }
    }

    fn read(bytes: &[u8]) -> u64 {
        let mut word = [0u8; 8];
        word[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(word)
    }

    /// Whether a key may start right after a space of `folded`: a key's first bytes follow
    /// one of its spaces. Always true when a key is empty.
    fn may_hold_one(&self, folded: &str) -> bool {
        if self.len == 0 {
            return !self.set.is_empty();
        }
        let b = folded.as_bytes();
        b.iter()
            .enumerate()
            .filter(|&(_, &c)| c == b' ')
            .any(|(p, _)| {
                b.get(p + 1..p + 1 + self.len)
                    .is_some_and(|start| self.set.contains(&Self::read(start)))
            })
    }
}

impl Boilerplate {
    /// Finds the sentences that recur after the first sentence in at least `min_captions`
    /// captions whose other text differs. `captions` are distinct captions as written.
    pub fn detect<'a, I>(captions: I, min_captions: usize) -> Self
    where
        I: IntoIterator<Item = &'a str>,
    {
        let captions: Vec<&str> = captions.into_iter().collect();
        Self::detect_hashed(&captions, min_captions, &DefaultHashBuilder::default())
    }

    /// [`Boilerplate::detect`], hashing sentences with `hasher` (any hash gives the same
    /// answer: a test makes every sentence collide).
    fn detect_hashed<S: BuildHasher + Sync>(
        captions: &[&str],
        min_captions: usize,
        hasher: &S,
    ) -> Self {
        let needed = min_captions.max(2);
        // Two passes, so that only the sentences that can be boilerplate are ever held as
        // text (a string for every sentence was the peak of a run on long captions). The
        // first counts the distinct remainders of each sentence *hash*: sentences that share a
        // hash only add up, so every boilerplate sentence's hash reaches `needed`. The second
        // folds again the sentences of those hashes, found by their place, and counts them by
        // their text, so that a collision never changes the answer.
        let mut sightings: Vec<Sighting> = Vec::new();
        for (at, chunk) in captions.chunks(CHUNK).enumerate() {
            let found: Vec<Sighting> = chunk
                .par_iter()
                .enumerate()
                .flat_map_iter(|(i, c)| {
                    let caption = (at * CHUNK + i) as u32;
                    Self::placed_contexts(c)
                        .into_iter()
                        .map(move |(sentence, key, rest)| Sighting {
                            hash: hasher.hash_one(key.as_str()),
                            rest,
                            caption,
                            sentence,
                        })
                })
                .collect();
            sightings.extend(found);
        }
        sightings.par_sort_unstable_by_key(|s| (s.hash, s.rest));
        // (caption, sentence, rest) of every sighting of a hash seen with `needed` rests.
        let mut candidates: Vec<(u32, u32, u64)> = Vec::new();
        for run in sightings.chunk_by(|a, b| a.hash == b.hash) {
            let rests = 1 + run.windows(2).filter(|w| w[0].rest != w[1].rest).count();
            if rests >= needed {
                candidates.extend(run.iter().map(|s| (s.caption, s.sentence, s.rest)));
            }
        }
        drop(sightings);
        candidates.par_sort_unstable();
        // sentence key -> the distinct (folded) remainders it was seen with, up to `needed`
        // of them.
        let mut contexts: HashMap<String, Vec<u64>> = HashMap::new();
        let mut left = &candidates[..];
        while !left.is_empty() {
            // A chunk ends with a caption's last sighting: each caption is split once.
            let mut end = CHUNK.min(left.len());
            while end < left.len() && left[end].0 == left[end - 1].0 {
                end += 1;
            }
            let (chunk, after) = left.split_at(end);
            left = after;
            let found: Vec<(String, u64)> = chunk
                .par_chunk_by(|a, b| a.0 == b.0)
                .flat_map_iter(|sighted| {
                    let sentences = split_sentences(captions[sighted[0].0 as usize]);
                    sighted
                        .iter()
                        .map(move |&(_, s, rest)| (comparison_key(sentences[s as usize]), rest))
                })
                .collect();
            for (sentence, rest) in found {
                let seen = contexts.entry(sentence).or_default();
                if seen.len() < needed && !seen.contains(&rest) {
                    seen.push(rest);
                }
            }
        }
        Self::from_contexts(
            contexts.into_iter().map(|(k, rests)| (k, rests.len())),
            min_captions,
        )
    }

    /// The evidence [`Boilerplate::detect`] gathers from one caption: for every sentence after
    /// the first with at least [`BOILERPLATE_MIN_WORDS`] words, its folded form and a hash of
    /// the caption's other (folded) sentences. A sentence is boilerplate when it comes with at
    /// least `min_captions` distinct hashes over all captions: a distributed job counts them
    /// with a group-by, then calls [`Boilerplate::from_contexts`].
    ///
    /// ```
    /// use capdedup::sentences::Boilerplate;
    /// let c = Boilerplate::contexts("A cat sleeps. The photo was taken on a rainy afternoon in the city of Minsk.");
    /// assert_eq!(c.len(), 1);
    /// assert_eq!(c[0].0, "the photo was taken on a rainy afternoon in the city of minsk");
    /// ```
    pub fn contexts(caption: &str) -> Vec<(String, u64)> {
        Self::placed_contexts(caption)
            .into_iter()
            .map(|(_, key, rest)| (key, rest))
            .collect()
    }

    /// [`Boilerplate::contexts`] with the place of each sentence among the caption's
    /// sentences ([`split_sentences`]).
    fn placed_contexts(caption: &str) -> Vec<(u32, String, u64)> {
        if too_short_for_boilerplate(caption) {
            return Vec::new();
        }
        let sentences = split_sentences(caption);
        if sentences.len() < 2 {
            return Vec::new();
        }
        let keys: Vec<String> = sentences.iter().map(|s| comparison_key(s)).collect();
        let rests = hash_rests(&keys);
        // A sentence repeated within one caption is one context, not several: each
        // occurrence has a different rest, which made one caption count as two.
        let first: Vec<bool> = {
            let mut seen = HashSet::new();
            keys.iter().map(|k| seen.insert(k.as_str())).collect()
        };
        sentences
            .iter()
            .zip(keys)
            .zip(rests)
            .zip(first)
            .enumerate()
            .skip(1)
            .filter(|(_, (((s, _), _), first))| {
                *first && s.split_whitespace().count() >= BOILERPLATE_MIN_WORDS
            })
            .map(|(i, (((_, key), rest), _))| (i as u32, key, rest))
            .collect()
    }

    /// Boilerplate from counted evidence: the sentences (folded, as [`Boilerplate::contexts`]
    /// returns them) with the number of distinct context hashes each came with; those with
    /// at least `min_captions` (and at least 2) are boilerplate.
    pub fn from_contexts<I>(counts: I, min_captions: usize) -> Self
    where
        I: IntoIterator<Item = (String, usize)>,
    {
        let keys: HashSet<String> = counts
            .into_iter()
            .filter(|(_, distinct)| *distinct >= min_captions.max(2))
            .map(|(k, _)| k)
            .collect();
        let starts = KeyStarts::new(&keys);
        Boilerplate { keys, starts }
    }

    /// No boilerplate at all (`--boilerplate keep`).
    pub fn none() -> Self {
        Boilerplate::default()
    }

    /// Number of distinct boilerplate sentences.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no boilerplate was found.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The comparison key of `caption` with boilerplate left out, and the boilerplate
    /// sentences (as written) that were set aside. The first sentence always stays.
    pub fn key_of<'a>(&self, caption: &'a str) -> (String, Vec<&'a str>) {
        let folded = comparison_key(caption);
        // A sentence's folded form is a substring of the folded caption: sentences are
        // separated by whitespace, which folding makes one space and never merges with a
        // neighbour. So a caption whose folded form holds no key's first bytes after a space
        // has no boilerplate sentence after its first (most captions), and is not split.
        if self.keys.is_empty()
            || too_short_for_boilerplate(caption)
            || !self.starts.may_hold_one(&folded)
        {
            return (folded, Vec::new());
        }
        let sentences = split_sentences(caption);
        if sentences.len() < 2 {
            return (folded, Vec::new());
        }
        let mut kept: Vec<String> = Vec::with_capacity(sentences.len());
        let mut removed = Vec::new();
        for (i, s) in sentences.iter().enumerate() {
            // A sentence's key is its folded text up to its final stop; the stops between the
            // sentences kept stay in the caption's key.
            let text = fold_key(s);
            if i > 0 && self.keys.contains(&text[..key_end(&text)]) {
                removed.push(*s);
            } else {
                kept.push(text);
            }
        }
        if removed.is_empty() {
            (folded, removed)
        } else {
            (key_of_folded(kept.join(" ")), removed)
        }
    }
}

/// Whether `caption` has fewer words than one boilerplate sentence needs
/// ([`BOILERPLATE_MIN_WORDS`]): most captions are ruled out without splitting them.
fn too_short_for_boilerplate(caption: &str) -> bool {
    if caption.is_ascii() {
        // Words are runs of bytes other than ASCII whitespace; counting stops at enough of
        // them (a long caption is settled by its first words).
        let mut words = 0;
        let mut in_word = false;
        for &b in caption.as_bytes() {
            let space = matches!(b, b'\t'..=b'\r' | b' ');
            words += usize::from(!space && !in_word);
            if words == BOILERPLATE_MIN_WORDS {
                return false;
            }
            in_word = !space;
        }
        return true;
    }
    // Words are at most one more than the characters that can be whitespace; counting the
    // bytes that can start one (ASCII whitespace, lead bytes of Unicode spaces) vectorises
    // and settles most captions.
    let could_be_space = caption
        .bytes()
        .filter(|&b| matches!(b, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3))
        .count();
    if could_be_space + 1 < BOILERPLATE_MIN_WORDS {
        return true;
    }
    caption
        .split_whitespace()
        .nth(BOILERPLATE_MIN_WORDS - 1)
        .is_none()
}

/// For every sentence `i`, a hash of the other sentences in order (`keys` without `keys[i]`),
/// for all `i` in linear time: a caption of `n` sentences must not cost `n²` (a 1 MB caption
/// has some 15,000). The hash of the rest is a polynomial over the sentence hashes, taken as
/// a prefix sum before `i` plus a suffix sum after it, shifted down one power.
fn hash_rests(keys: &[String]) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    const BASE: u64 = 0x9e37_79b9_7f4a_7c15;
    let hashes: Vec<u64> = keys
        .iter()
        .map(|k| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            k.hash(&mut h);
            h.finish()
        })
        .collect();
    let n = hashes.len();
    let mut powers = Vec::with_capacity(n);
    let mut p = 1u64;
    for _ in 0..n {
        powers.push(p);
        p = p.wrapping_mul(BASE);
    }
    // suffix[i] = sum over j > i of hashes[j] * BASE^(j - 1).
    let mut suffix = vec![0u64; n];
    for i in (0..n.saturating_sub(1)).rev() {
        suffix[i] = suffix[i + 1].wrapping_add(hashes[i + 1].wrapping_mul(powers[i]));
    }
    let mut prefix = 0u64;
    (0..n)
        .map(|i| {
            let rest = prefix.wrapping_add(suffix[i]) ^ (n as u64).wrapping_mul(BASE);
            prefix = prefix.wrapping_add(hashes[i].wrapping_mul(powers[i]));
            rest
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_short_counts_words() {
        let nine = " one two  three four\tfive six seven eight nine. ";
        assert!(too_short_for_boilerplate(nine));
        assert!(!too_short_for_boilerplate(&format!("{nine}ten")));
        assert!(too_short_for_boilerplate(
            "ünï two three four five six seven eight nine"
        ));
        assert!(!too_short_for_boilerplate(
            "ünï two three four five six seven eight nine ten"
        ));
        assert!(too_short_for_boilerplate(""));
    }

    #[test]
    fn key_starts_find_keys_after_a_space() {
        let keys: HashSet<String> = ["the conflict has killed thousands.", "ab"]
            .map(String::from)
            .into();
        let starts = KeyStarts::new(&keys);
        assert_eq!(starts.len, 2, "as long as the shortest key");
        assert!(starts.may_hold_one("rally in minsk. ab."));
        assert!(
            !starts.may_hold_one("ab rally in minsk."),
            "only after a space"
        );
        assert!(!starts.may_hold_one("rally in minsk. a"));
        let long: HashSet<String> = ["the conflict has killed thousands.".to_owned()].into();
        let starts = KeyStarts::new(&long);
        assert_eq!(starts.len, 8);
        assert!(starts.may_hold_one("a rally. the conflict has"));
        assert!(
            !starts.may_hold_one("a rally. the con"),
            "too short to hold it"
        );
        assert!(KeyStarts::new(&[String::new()].into()).may_hold_one("anything"));
        assert!(!KeyStarts::new(&HashSet::new()).may_hold_one("any thing"));
    }

    #[test]
    fn abbreviations_do_not_split() {
        let s = split_sentences(
            "Riot police in Minsk, Belarus, Sunday, Sept. 13, 2020. Protests have broken out daily since the Aug. 9 presidential election. Mr. Smith and the U.S. envoy, Gen. Jones, watch.",
        );
        assert_eq!(
            s,
            [
                "Riot police in Minsk, Belarus, Sunday, Sept. 13, 2020.",
                "Protests have broken out daily since the Aug. 9 presidential election.",
                "Mr. Smith and the U.S. envoy, Gen. Jones, watch."
            ]
        );
    }

    #[test]
    fn initials_quotes_and_questions() {
        assert_eq!(
            split_sentences("John F. Kennedy speaks."),
            ["John F. Kennedy speaks."]
        );
        assert_eq!(
            split_sentences("He said \"go.\" Then he left! Why? Because."),
            ["He said \"go.\"", "Then he left!", "Why?", "Because."]
        );
        assert_eq!(
            split_sentences("Up 3.5 percent. Down 2."),
            ["Up 3.5 percent.", "Down 2."]
        );
        assert_eq!(split_sentences(""), Vec::<&str>::new());
    }

    #[test]
    fn multibyte_terminators_and_unicode_whitespace() {
        assert_eq!(
            split_sentences("Wait…\u{a0}Then «go.»  ¿Qué? Fin"),
            ["Wait…", "Then «go.»", "¿Qué?", "Fin"]
        );
        assert_eq!(split_sentences("..."), ["..."]);
        assert_eq!(split_sentences(" . A"), [".", "A"]);
    }

    #[test]
    fn rest_hashes_match_exactly_when_the_other_sentences_do() {
        let lists: Vec<Vec<String>> = [
            &["a", "b", "c"][..],
            &["a", "c", "b"],
            &["x", "a", "c"],
            &["a", "c"],
            &["b", "a", "c"],
            &["a", "a", "a"],
            &["a", "a"],
            &["a"],
            &[],
        ]
        .iter()
        .map(|l| l.iter().map(|s| s.to_string()).collect())
        .collect();
        for a in &lists {
            for b in &lists {
                let (ha, hb) = (hash_rests(a), hash_rests(b));
                assert_eq!((ha.len(), hb.len()), (a.len(), b.len()));
                for (i, hash_a) in ha.iter().enumerate() {
                    for (j, hash_b) in hb.iter().enumerate() {
                        let mut ra = a.clone();
                        ra.remove(i);
                        let mut rb = b.clone();
                        rb.remove(j);
                        assert_eq!(hash_a == hash_b, ra == rb, "{a:?}[{i}] vs {b:?}[{j}]");
                    }
                }
            }
        }
    }

    /// A hasher under which every sentence collides.
    #[derive(Default)]
    struct Collide;

    impl std::hash::Hasher for Collide {
        fn finish(&self) -> u64 {
            7
        }
        fn write(&mut self, _: &[u8]) {}
    }

    #[test]
    fn boilerplate_needs_different_contexts() {
        let ctx =
            "Protests calling for his resignation have broken out daily since the August election.";
        let a = format!("Police detain a man. {ctx}");
        let b = format!("A woman holds a flag. {ctx}");
        let bp = Boilerplate::detect([a.as_str(), b.as_str()], 2);
        assert_eq!(bp.len(), 1);
        assert_eq!(bp.key_of(&a).0, "police detain a man");
        assert_eq!(bp.key_of(&a).1, [ctx]);
        // The same caption twice is not "different photos".
        assert!(Boilerplate::detect([a.as_str(), a.as_str()], 2).is_empty());
        // A short trailing sentence is never boilerplate.
        assert!(Boilerplate::detect(["One. Now what?", "Two. Now what?"], 2).is_empty());
        assert!(
            Boilerplate::detect(
                [
                    "It was not me. I get paid by the hour.",
                    "Who? I get paid by the hour."
                ],
                2
            )
            .is_empty()
        );
        // A sentence repeated within one caption is one caption, not two.
        let twice = format!("Police detain a man. {ctx} A woman waves. {ctx}");
        assert!(Boilerplate::detect([twice.as_str()], 2).is_empty());
        assert_eq!(
            Boilerplate::detect([twice.as_str(), b.as_str()], 2).len(),
            1
        );
        // Sentences whose hashes collide are still counted apart: with every hash the same,
        // the answer is the same.
        let collide = std::hash::BuildHasherDefault::<Collide>::default();
        let d = format!("A dog barks. {}", ctx.replace("August", "June"));
        let e = format!("The end. {ctx} A cat sleeps today in the sun on the porch of the house.");
        let all = [a.as_str(), b.as_str(), d.as_str(), e.as_str()];
        let exact = Boilerplate::detect(all, 2);
        let collided = Boilerplate::detect_hashed(&all, 2, &collide);
        assert_eq!(exact.len(), 1);
        assert_eq!(collided.keys, exact.keys);
        assert_eq!(
            Boilerplate::detect_hashed(&all, 3, &collide).keys,
            Boilerplate::detect(all, 3).keys
        );
        // A first sentence is never boilerplate.
        let c = format!("{ctx} Police detain a man.");
        let bp = Boilerplate::detect([a.as_str(), b.as_str(), c.as_str()], 2);
        assert_eq!(bp.key_of(&c).0, comparison_key(&c));
    }
}
