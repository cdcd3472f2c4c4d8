//! Credit names learned from the input: the names that the rules strip in an explicit credit
//! (`Photo: Jane Roe`, `Jane Roe/AP`, `© Acme Motors`) are stripped where they stand **bare**
//! in other captions of the same input, with no marker around them.
//!
//! Text alone cannot tell a caption that is only `Jane Roe`, or that ends `... harbour. Jane
//! Roe`, from a caption about Jane Roe. The input can: when `Jane Roe` signs other captions as
//! an explicit credit, and never appears inside the story text of any caption, the bare
//! `Jane Roe` is her credit too. A name is learned when it comes in explicit credits of at
//! least [`NAME_MIN`] distinct captions and never inside a caption's text (as a subject:
//! `Police said Jane Roe ...`, `Photographer Jane Roe poses ...`); it is stripped only where
//! credits stand: the whole caption, after the last sentence, in a bracket that ends the
//! caption, or before a capitalised first word at the start (`Jane Roe Soldiers walk ...`,
//! never `Jane Roe poses with her camera`).
//!
//! Evidence is gathered one caption at a time ([`NameLearner`], [`name_evidence`]) and
//! combined as sets, so the answer does not depend on the order of the input.

use std::collections::{HashMap, HashSet};

use super::checks::is_name_word;
use super::words::{LEAD_WORDS, NOT_NAMES, is_sentence_word};

/// On how many distinct captions (caption and credit) a name must be an explicit credit to be
/// learned. Measured on the tune parts: 1 scores as 2 on the independent set but damages a
/// caption of the first set (a name one credit signed, bare in another caption's story); 3
/// loses two tune captions that 2 gets right.
pub const NAME_MIN: usize = 2;

/// The most words a credit name has.
const MAX_NAME_WORDS: usize = 4;
/// The longest caption read for mentions or stripped, in bytes (captions, not documents).
const MAX_CAPTION: usize = 4096;

/// What one record says about credit names: the names of its explicit credit (`(key,
/// written)`, the key folded to lower case) and the names its caption mentions as text (keys).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameEvidence {
    /// Names in the record's credit, as `(key, written)`.
    pub credited: Vec<(String, String)>,
    /// Keys of the name-like word runs inside the caption's text (not where a credit stands).
    pub mentioned: Vec<String>,
}

/// What a record tells about credit names: the names of its `credit` (the rules' credit) and
/// the name-like runs its `caption` mentions inside its text.
///
/// ```
/// use capdedup::normalize::name_evidence;
/// let e = name_evidence("Cyclists in the old town.", Some("Photo: Jane Roe/Acme Wire"));
/// assert_eq!(e.credited, [("jane roe".to_owned(), "Jane Roe".to_owned()), ("acme wire".to_owned(), "Acme Wire".to_owned())]);
/// let e = name_evidence("Police said Jane Roe was not hurt.", None);
/// assert!(e.mentioned.contains(&"jane roe".to_owned()));
/// ```
pub fn name_evidence(caption: &str, credit: Option<&str>) -> NameEvidence {
    NameEvidence {
        credited: credit
            .map(|c| {
                credit_names(c)
                    .into_iter()
                    .map(|n| (key_of(&n), n))
                    .collect()
            })
            .unwrap_or_default(),
        mentioned: if caption.len() <= MAX_CAPTION {
            mentions(caption)
        } else {
            Vec::new()
        },
    }
}

/// A name's key: its words without the punctuation around them, in lower case, one space
/// apart (`J. Roe` and `J Roe` are one name, `JANE ROE` and `Jane Roe` too).
pub(super) fn key_of(name: &str) -> String {
    name.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A record's identity for counting distinct captions: a hash (64-bit FNV-1a, the same on
/// every run) of its caption and credit.
pub fn record_hash(caption: &str, credit: &str) -> u64 {
    caption
        .bytes()
        .chain([1u8])
        .chain(credit.bytes())
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// A learned name: `(written, distinct captions)`.
pub type LearnedName = (String, u64);

/// Gathers name evidence over an input, a record at a time, in any order.
#[derive(Debug, Clone, Default)]
pub struct NameLearner {
    /// Key -> (smallest written form, distinct records).
    credited: HashMap<String, (String, HashSet<u64>)>,
    mentioned: HashSet<String>,
}

impl NameLearner {
    /// An empty learner.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads one record as the rules left it: its caption and the credit they removed.
    pub fn add(&mut self, caption: &str, credit: Option<&str>) {
        self.add_caption(caption);
        if let Some(credit) = credit {
            self.add_credit(caption, credit);
        }
    }

    /// Reads the text of a caption (as the rules left it) for the names it mentions.
    pub fn add_caption(&mut self, caption: &str) {
        self.add_mentioned(name_evidence(caption, None).mentioned);
    }

    /// Reads the names a caption mentions, as [`name_evidence`] found them (`mentioned`):
    /// [`NameLearner::add_caption`] for a reader that finds them on several cores.
    pub fn add_mentioned(&mut self, keys: Vec<String>) {
        for key in keys {
            if !self.mentioned.contains(&key) {
                self.mentioned.insert(key);
            }
        }
    }

    /// Reads the credit the rules removed from a record whose caption they left as `caption`.
    pub fn add_credit(&mut self, caption: &str, credit: &str) {
        let credited = name_evidence("", Some(credit)).credited;
        if !credited.is_empty() {
            self.add_credited(record_hash(caption, credit), credited);
        }
    }

    /// Reads the names a record's credit gives, as [`name_evidence`] found them
    /// (`credited`), and the record's [`record_hash`]: [`NameLearner::add_credit`] for a
    /// reader that finds them on several cores.
    pub fn add_credited(&mut self, record: u64, credited: Vec<(String, String)>) {
        for (key, written) in credited {
            let entry = self
                .credited
                .entry(key)
                .or_insert_with(|| (written.clone(), HashSet::new()));
            if written < entry.0 {
                entry.0 = written;
            }
            entry.1.insert(record);
        }
    }

    /// The names learned: `(written, distinct captions)`, ordered on the written form.
    pub fn finish(self) -> Vec<(String, u64)> {
        self.finish_all().0
    }

    /// The keys of the names credited on enough distinct records to be learned: the only
    /// ones [`NameLearner::finish_all`] asks whether a caption mentions.
    pub fn learnable(&self) -> HashSet<String> {
        self.credited
            .iter()
            .filter(|(_, (_, records))| records.len() >= NAME_MIN)
            .map(|(key, _)| key.clone())
            .collect()
    }

    /// The names learned, and the **whole-caption names**: names that sign explicit credits
    /// of at least [`NAME_MIN`] distinct captions but are also mentioned inside some caption's
    /// text. Those are stripped only where a caption is nothing but them (`SpaceX` alone,
    /// when `SpaceX hide caption toggle caption SpaceX` signs two captions and another says
    /// `SpaceX launched ...`): a caption that is only a name its input credits is that credit,
    /// scraped without its label. Both `(written, distinct captions)`, ordered on the
    /// written form.
    pub fn finish_all(self) -> (Vec<LearnedName>, Vec<LearnedName>) {
        let (mut bare, mut whole) = (Vec::new(), Vec::new());
        for (key, (written, records)) in self.credited {
            if records.len() < NAME_MIN {
                continue;
            }
            let name = (written, records.len() as u64);
            if self.mentioned.contains(&key) {
                whole.push(name);
            } else {
                bare.push(name);
            }
        }
        bare.sort();
        whole.sort();
        (bare, whole)
    }
}

/// The names in an explicit credit: its parts between separators (`/`, `|`, `,`, `;`,
/// brackets, `©`, `:`, a dash, `via`, `for`, `by`, `and`), without labels (`Photo`,
/// `Credit`, `Courtesy of`) and tags (`File`, `Pool`, `Handout`), kept when they are one to
/// four capitalised name words.
pub(super) fn credit_names(credit: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // NPR writes its credit twice around its buttons (`SpaceX hide caption toggle caption
    // SpaceX`): the buttons separate two copies of the credit.
    let copies = credit.split(NPR_BUTTONS);
    for part in copies.flat_map(parts) {
        let mut words: Vec<&str> = part.split_whitespace().collect();
        while words.first().is_some_and(|w| is_label(w)) {
            words.remove(0);
        }
        // `AP Photo`, `Jane Roe, File`; `Getty Images` keeps its last word.
        while words.last().is_some_and(|w| {
            is_tag(w)
                || matches!(
                    w.to_lowercase().as_str(),
                    "photo" | "photos" | "foto" | "fotos" | "photograph"
                )
        }) {
            words.pop();
        }
        if words.is_empty() || words.len() > MAX_NAME_WORDS {
            continue;
        }
        if words.iter().all(|w| name_token(w)) && words.iter().any(|w| w.chars().count() >= 2) {
            let name = words.join(" ");
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// The buttons between the two copies of an NPR credit.
const NPR_BUTTONS: &str = "hide caption toggle caption";

/// The characters [`parts`] splits a credit at.
fn is_part_separator(c: char) -> bool {
    matches!(
        c,
        '/' | '|'
            | ','
            | ';'
            | '('
            | ')'
            | '['
            | ']'
            | '©'
            | ':'
            | '·'
            | '•'
            | '–'
            | '—'
            | '（'
            | '）'
            | '＝'
            | '='
            | '"'
            | '“'
            | '”'
    )
}

/// The words [`parts`] splits a credit at and leaves out (`Jane Roe for Acme Wire`).
fn is_part_connector(w: &str) -> bool {
    matches!(
        w,
        "-" | "via" | "for" | "by" | "and" | "&" | "und" | "para" | "pour" | "vía"
    )
}

/// Splits a credit (or a bare segment) into its parts at credit separators, each trimmed.
fn parts(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for piece in text.split(is_part_separator) {
        let mut start = 0;
        let words: Vec<(usize, &str)> = word_offsets(piece);
        for (at, w) in &words {
            if is_part_connector(w) {
                out.push(&piece[start..*at]);
                start = at + w.len();
            }
        }
        out.push(&piece[start..]);
    }
    out.into_iter()
        .map(|p| p.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '\'' | '’')))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The words of `text` with their byte offsets.
fn word_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// A word that labels a credit (`Photo`, `Credit`, `Courtesy`, `Copyright`, `(c)`).
fn is_label(w: &str) -> bool {
    let lower = w
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    lower.is_empty()
        || LEAD_WORDS.contains(&lower.as_str())
        || matches!(
            lower.as_str(),
            "credit" | "credits" | "copyright" | "c" | "of" | "staff" | "courtesy"
        )
}

/// A word that tags a credit without naming anyone (`AP Photo, File`, `Pool`, `Handout`).
fn is_tag(w: &str) -> bool {
    matches!(
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
            .as_str(),
        "file" | "pool" | "handout" | "archive" | "archiv" | "archivbild" | "dpa-bildfunk"
    )
}

/// A word of a name: capitalised (`Roe`, `McNamee`, `J.`) or in capitals (`AFP`, `ROE`), no
/// digit, no word that only sentences have.
fn name_token(w: &str) -> bool {
    let core = w.trim_end_matches(['.', '\'', '’']);
    if core.is_empty() || is_sentence_word(&core.to_lowercase()) {
        return false;
    }
    is_name_word(w)
        || is_brand_word(core)
        || (core.chars().count() >= 2
            && core
                .chars()
                .all(|c| c.is_uppercase() || c == '-' || c == '&'))
}

/// A brand written in camel case (`SpaceX`, `YouTube`, `PlayStation`): a capital, letters
/// only, at least two lower-case ones, and a capital after a lower-case letter. A credit
/// names a brand as often as a person (`SpaceX hide caption toggle caption SpaceX`).
pub(super) fn is_brand_word(core: &str) -> bool {
    let chars: Vec<char> = core.chars().collect();
    chars.first().is_some_and(|c| c.is_uppercase())
        && chars.iter().all(|c| c.is_alphabetic())
        && chars.iter().filter(|c| c.is_lowercase()).count() >= 2
        && chars
            .windows(2)
            .any(|p| p[0].is_lowercase() && p[1].is_uppercase())
}

/// The keys of the name-like word runs inside `caption`'s text: every run of one to four
/// name words, except where a credit would stand (the run that opens the caption, a run that
/// is the whole last segment after a sentence, a bracket that ends the caption). Those are
/// the places bare names are stripped from, so they are no evidence of a subject.
fn mentions(caption: &str) -> Vec<String> {
    let words = word_offsets(caption);
    // Where the text after the last sentence starts, when it is all name words.
    let tail_from = trailing_names_from(caption, &words);
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut run_start = 0;
    let flush = |run: &mut Vec<&str>, start: usize, out: &mut Vec<String>| {
        if start > 0 {
            for i in 0..run.len() {
                for j in i + 1..=run.len().min(i + MAX_NAME_WORDS) {
                    out.push(run[i..j].join(" ").to_lowercase());
                }
            }
        }
        run.clear();
    };
    for (k, (_, w)) in words.iter().enumerate() {
        if tail_from.is_some_and(|t| k >= t) {
            break;
        }
        let opens = w.starts_with(['(', '[', '"', '“', '‘', '\'', '«']);
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        if opens && !run.is_empty() {
            flush(&mut run, run_start, &mut out);
        }
        let closes = w.ends_with(|c: char| !c.is_alphanumeric());
        if !core.is_empty() && name_token(core) {
            if run.is_empty() {
                run_start = k;
            }
            run.push(core);
            if closes {
                flush(&mut run, run_start, &mut out);
            }
        } else {
            flush(&mut run, run_start, &mut out);
        }
    }
    // A run that ends the caption may end in a credit glued to the subject's name (`... and
    // Jane Doe Acme Roe`, `Jane Doe (right) Acme Roe`): the names of two words or more
    // that end it, after two name words or a closed bracket, stand where
    // [`KnownNames::strip`] takes a glued credit, so they are no evidence of a subject.
    if tail_from.is_none()
        && !run.is_empty()
        && words.last().is_some_and(|(_, w)| {
            w.trim_end_matches('.')
                .ends_with(|c: char| c.is_alphanumeric())
        })
    {
        let before_run = run_start.checked_sub(1).map(|k| words[k].1);
        let end_keys: HashSet<String> = (0..run.len().saturating_sub(1))
            .filter(|&i| run.len() - i <= MAX_NAME_WORDS)
            .filter(|&i| {
                if i >= 2 {
                    glued_after(&run[i - 2..i])
                } else if i == 0 {
                    before_run.is_some_and(|w| w.ends_with(')'))
                } else {
                    false
                }
            })
            .map(|i| run[i..].join(" ").to_lowercase())
            .collect();
        if !end_keys.is_empty() {
            let mut all = Vec::new();
            flush(&mut run, run_start, &mut all);
            out.extend(all.into_iter().filter(|k| !end_keys.contains(k)));
        }
    }
    flush(&mut run, run_start, &mut out);
    out.sort();
    out.dedup();
    out
}

/// The index of the first word of the caption's last segment when that segment (after a
/// sentence end or a credit separator, or in a bracket that ends the caption) is only name
/// words; the whole caption counts as one segment.
fn trailing_names_from(caption: &str, words: &[(usize, &str)]) -> Option<usize> {
    let at = last_segment_start(caption);
    let k = words.iter().position(|(o, _)| *o >= at)?;
    let all_names = words[k..].iter().all(|(_, w)| {
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        core.is_empty() || name_token(core) || matches!(*w, "/" | "|" | "-")
    });
    all_names.then_some(k)
}

/// Where the last segment of `caption` starts: after its last sentence end (`. `, `! `,
/// `? `) or credit separator (` | `, ` - `, ` / `), or at its last ` (` when it ends in a
/// bracket; 0 when there is none.
fn last_segment_start(caption: &str) -> usize {
    const SEPARATORS: [&str; 10] = [
        ". ", "! ", "? ", "。", " | ", " - ", " – ", " — ", " / ", " · ",
    ];
    /// The longest separator, in bytes.
    const LONGEST: usize = 5;
    let bytes = caption.as_bytes();
    let mut at = 0;
    let mut full_stop_seen = false;
    // One scan from the end, which stops once no separator further left can end later (the
    // rightmost occurrence of each separator, as `rfind` gives it, but without a search of
    // the whole caption per separator).
    for i in (0..bytes.len()).rev() {
        if i + LONGEST <= at {
            break;
        }
        // Each separator starts with one of these bytes: most bytes need no comparison.
        if !matches!(bytes[i], b'.' | b'!' | b'?' | b' ' | 0xE3) {
            continue;
        }
        for sep in SEPARATORS {
            if !bytes[i..].starts_with(sep.as_bytes()) {
                continue;
            }
            // `J. Roe`: an initial ends no sentence, and then the last full stop counts for
            // none (every separator starts with ASCII or a lead byte: `i` is a boundary).
            if sep == ". " {
                if full_stop_seen {
                    continue;
                }
                full_stop_seen = true;
                if initial_before(&caption[..i]) {
                    continue;
                }
            }
            at = at.max(i + sep.len());
        }
    }
    if caption.ends_with(')')
        && let Some(i) = caption.rfind(" (")
    {
        at = at.max(i + 1);
    }
    at
}

/// Whether two words can close a subject's name that a credit is glued to: both name words,
/// neither a title, a position or a place word (`President`, `Cardinal`, `North`), nor a word
/// of a credit's label (`Photographer`).
fn glued_after(words: &[&str]) -> bool {
    words.iter().all(|w| {
        let core = w.trim_end_matches(['.', '\'', '’']);
        name_token(w)
            && !core.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
            && !NOT_NAMES.contains(&core)
            && !is_label(core)
            && !LEAD_WORDS.contains(&core.to_lowercase().as_str())
    })
}

/// Whether the text ends with a single capital letter (an initial: `J` of `J. Roe`).
fn initial_before(text: &str) -> bool {
    let mut rev = text.chars().rev();
    matches!((rev.next(), rev.next()), (Some(c), Some(' ')) | (Some(c), None) if c.is_uppercase())
}

/// The credit names learned from an input, to strip where they stand bare.
#[derive(Debug, Clone, Default)]
pub(super) struct KnownNames {
    keys: HashSet<String>,
    /// Every word of the keys: a word outside it is in no known name, which turns down
    /// nearly every caption before the names are looked up word run by word run.
    words: HashSet<String>,
}

impl KnownNames {
    /// Known names from their written forms.
    pub(super) fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let keys: HashSet<String> = names.into_iter().map(key_of).collect();
        let words = keys
            .iter()
            .flat_map(|k| k.split(' '))
            .map(str::to_owned)
            .collect();
        KnownNames { keys, words }
    }

    /// Whether `segment` is only known names between credit separators.
    fn all_known(&self, segment: &str) -> bool {
        let segment = segment.trim();
        if segment.is_empty() || !segment.chars().any(char::is_alphabetic) {
            return false;
        }
        // Every word `parts` keeps must be a word of some known name: a cheap test that
        // turns down nearly every caption before names are looked up run by run.
        if !self.known_words(segment) {
            return false;
        }
        let parts = parts(segment);
        !parts.is_empty() && parts.iter().all(|p| self.covers(p))
    }

    /// Whether every word of `text` (split at spaces and credit separators, connectors left
    /// out) is a word of some known name, or has no letters or digits.
    fn known_words(&self, text: &str) -> bool {
        text.split(|c: char| c.is_whitespace() || is_part_separator(c))
            .filter(|w| !is_part_connector(w))
            .all(|w| self.is_known_word(w))
    }

    /// Whether one word (no whitespace in it) is a word of some known name, or has no letters
    /// or digits: `key_of(word)` looked up, without building the key when it is the word.
    fn is_known_word(&self, word: &str) -> bool {
        let core = word.trim_matches(|c: char| !c.is_alphanumeric());
        if core.is_empty() {
            true
        } else if core
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            self.words.contains(core)
        } else {
            self.words.contains(&core.to_lowercase())
        }
    }

    /// Whether the words of `part` are a run of known names (`Acme Wire Jane Roe`).
    fn covers(&self, part: &str) -> bool {
        let words: Vec<&str> = part.split_whitespace().collect();
        // reach[i]: the first i words are known names.
        let mut reach = vec![false; words.len() + 1];
        reach[0] = true;
        for i in 0..words.len() {
            if !reach[i] {
                continue;
            }
            for j in i + 1..=words.len().min(i + MAX_NAME_WORDS) {
                if !reach[j] && self.keys.contains(&key_of(&words[i..j].join(" "))) {
                    reach[j] = true;
                }
            }
        }
        !words.is_empty() && reach[words.len()]
    }

    /// Whether `caption` is only known names (a trailing full stop allowed).
    pub(super) fn is_whole(&self, caption: &str) -> bool {
        !self.keys.is_empty()
            && caption.len() <= MAX_CAPTION
            && self.all_known(caption.trim().trim_end_matches('.'))
    }

    /// Strips known names standing bare in `caption`, again while one stands at an edge: the
    /// caption left (possibly empty) and the pieces removed before and after it, each in
    /// textual order; `None` when none stands there.
    pub(super) fn strip(&self, caption: &str) -> Option<(String, Vec<String>, Vec<String>)> {
        if self.keys.is_empty() || caption.len() > MAX_CAPTION {
            return None;
        }
        let mut rest = caption.trim().to_owned();
        let mut head: Vec<String> = Vec::new();
        let mut tail: Vec<String> = Vec::new();
        for _ in 0..4 {
            if rest.is_empty() {
                break;
            }
            // The whole caption.
            if self.all_known(rest.trim_end_matches('.')) {
                head.push(rest.clone());
                rest.clear();
                break;
            }
            // The last segment: after a sentence or a separator, or a bracket at the end.
            let at = last_segment_start(&rest);
            if at > 0 {
                let segment = rest[at..].trim();
                let inner = segment
                    .strip_prefix('(')
                    .and_then(|s| s.strip_suffix(')'))
                    .unwrap_or(segment);
                let before = rest[..at].trim_end();
                let before_kept = before.trim_end_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '|' | '-' | '–' | '—' | '/' | '·')
                });
                if !before_kept.is_empty()
                    && self.all_known(inner.trim_end_matches('.'))
                    && (segment.starts_with('(')
                        || before_kept.ends_with(['.', '!', '?', '。', '"', '”', ')'])
                        || before_kept.len() < before.len())
                {
                    tail.insert(0, segment.to_owned());
                    rest = before_kept.to_owned();
                    continue;
                }
            }
            // The end: a known name of two words or more glued to the caption's last name
            // (`Paul Doe and Jane Doe Acme Roe`) or to a closed bracket (`Jane Doe (right)
            // Acme Roe`).
            if let Some(at) = self.glued_end(&rest) {
                tail.insert(0, rest[at..].trim().to_owned());
                rest = rest[..at].trim_end().to_owned();
                continue;
            }
            // The start: known names before a capitalised first word of the story.
            if let Some((name, left)) = self.leading(&rest) {
                head.push(name);
                rest = left;
                continue;
            }
            break;
        }
        if head.is_empty() && tail.is_empty() {
            return None;
        }
        Some((rest, head, tail))
    }

    /// Where a known name of two to [`MAX_NAME_WORDS`] words starts that ends `caption`
    /// glued to the name before it, with no separator (a credit in its own element of the
    /// page, joined with a space: `Paul Doe and Jane Doe Acme Roe`): after two name words
    /// that are no title or position (`Pope meets Cardinal Jane Roe` stays), or after a
    /// closed bracket (`Jane Doe (right) Acme Roe`), with at least two words left.
    fn glued_end(&self, caption: &str) -> Option<usize> {
        // Nearly every caption ends in a word of no known name: one look, no word list.
        if !self.is_known_word(caption.rsplit(' ').next().unwrap_or_default()) {
            return None;
        }
        let words = word_offsets(caption);
        let n = words.len();
        let last = words.last()?.1;
        if !last.ends_with(|c: char| c.is_alphanumeric()) {
            return None;
        }
        for len in (2..=MAX_NAME_WORDS.min(n.saturating_sub(2))).rev() {
            let k = n - len;
            let before = [words[k - 2].1, words[k - 1].1];
            let glued = before[1].ends_with(')') || glued_after(&before);
            if !glued {
                continue;
            }
            let tail = &caption[words[k].0..];
            if words[k..].iter().all(|(_, w)| name_token(w))
                && self.known_words(tail)
                && self.keys.contains(&key_of(tail))
            {
                return Some(words[k].0);
            }
        }
        None
    }

    /// Known names that open `caption` before a story that starts with a capital letter
    /// (`Jane Roe Soldiers walk ...`; `Jane Roe poses ...` stays), with at least two words
    /// of the story left: the names and the rest.
    fn leading(&self, caption: &str) -> Option<(String, String)> {
        // Nearly every caption opens with a word of no known name: one look, no word list.
        if !self.known_words(caption.split_whitespace().next().unwrap_or_default()) {
            return None;
        }
        let words = word_offsets(caption);
        // The names are the first `k` words, all of them known words: the words after the
        // first unknown one never need looking at.
        let known = words
            .iter()
            .take_while(|(_, w)| self.known_words(w))
            .count();
        let limit = words
            .len()
            .saturating_sub(2)
            .min(MAX_NAME_WORDS * 2)
            .min(known);
        for k in (1..=limit).rev() {
            let (next_at, next) = words[k];
            let head = caption[..next_at].trim_end();
            if !self.all_known(head) || head.ends_with([',', ':', '/']) {
                continue;
            }
            let starts_story = next.chars().next().is_some_and(char::is_uppercase)
                && !name_token(next.trim_end_matches(|c: char| !c.is_alphanumeric()))
                || matches!(next, "|" | "-" | "–" | "—" | "·");
            // A capitalised word that is a name could continue the name (`Jane Roe Smith`);
            // only a word that is not name-like (`Soldiers walk`: the next is lower case)
            // or a separator opens the story.
            let starts_story = starts_story
                || (next.chars().next().is_some_and(char::is_uppercase)
                    && words
                        .get(k + 1)
                        .is_some_and(|(_, w)| w.starts_with(char::is_lowercase)));
            if !starts_story {
                continue;
            }
            let rest = caption[next_at..]
                .trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '|' | '-' | '–' | '—' | '·')
                })
                .to_owned();
            return Some((head.to_owned(), rest));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn learn(records: &[(&str, Option<&str>)]) -> Vec<(String, u64)> {
        let mut l = NameLearner::new();
        for (c, credit) in records {
            l.add(c, *credit);
        }
        l.finish()
    }

    #[test]
    fn names_come_out_of_explicit_credits() {
        for (credit, names) in [
            ("Photo: Jane Roe", &["Jane Roe"][..]),
            ("Jane Roe/AP", &["Jane Roe", "AP"]),
            (
                "(Jane Roe/Acme Images via Getty Images)",
                &["Jane Roe", "Acme Images", "Getty Images"],
            ),
            ("© Acme Motors", &["Acme Motors"]),
            (
                "Credit: John Doe for The Daily Planet",
                &["John Doe", "The Daily Planet"],
            ),
            ("AP Photo/Jane Roe, File", &["AP", "Jane Roe"]),
            ("Photo courtesy of the city museum", &[]),
            ("Photo: Twitter", &["Twitter"]),
            // A brand in camel case is a name; NPR's buttons separate the credit's copies.
            ("SpaceX hide caption toggle caption SpaceX", &["SpaceX"]),
            ("Jane Roe/YouTube", &["Jane Roe", "YouTube"]),
            // Not camel case: lower-case first, a digit, one lower-case letter.
            ("Photo: iStock", &[]),
            ("Photo: PS5X", &[]),
        ] {
            assert_eq!(credit_names(credit), names, "{credit}");
        }
    }

    #[test]
    fn a_name_seen_in_credits_is_stripped_bare() {
        let names = learn(&[
            ("Cyclists in the old town.", Some("Photo: Jane Roe")),
            ("The harbour at dawn.", Some("Jane Roe/Acme Wire")),
            ("A ferry leaves.", Some("(Acme Wire)")),
            ("A bridge opens.", Some("Photo: Acme Wire")),
        ]);
        assert_eq!(
            names,
            [("Acme Wire".to_owned(), 3), ("Jane Roe".to_owned(), 2)]
        );
        let known = KnownNames::new(names.iter().map(|(n, _)| n.as_str()));
        for (caption, left, removed) in [
            ("Jane Roe", "", "Jane Roe"),
            ("JANE ROE", "", "JANE ROE"),
            (
                "A new school opens. Jane Roe",
                "A new school opens.",
                "Jane Roe",
            ),
            (
                "A new school opens. (Acme Wire)",
                "A new school opens.",
                "(Acme Wire)",
            ),
            (
                "A new school opens | Jane Roe / Acme Wire",
                "A new school opens",
                "Jane Roe Acme Wire",
            ),
            (
                "Acme Wire Jane Roe Soldiers walk past the gate.",
                "Soldiers walk past the gate.",
                "Acme Wire Jane Roe",
            ),
        ] {
            let (got, mut pieces, tail) =
                known.strip(caption).unwrap_or_else(|| panic!("{caption}"));
            pieces.extend(tail);
            assert_eq!((got.as_str(), pieces.join(" ").as_str()), (left, removed));
        }
        for caption in [
            "Jane Roe poses with her camera in Paris.",
            "A portrait of Jane Roe",
            "Jane Roe Smith",
            "A new school opens. Jane Roe Smith",
            "Jane Roe: a life in pictures",
        ] {
            assert_eq!(known.strip(caption), None, "{caption}");
        }
    }

    #[test]
    fn a_name_that_is_a_subject_elsewhere_or_seen_once_is_not_learned() {
        let names = learn(&[
            ("Cyclists in the old town.", Some("Photo: Jane Roe")),
            ("The harbour at dawn.", Some("Jane Roe/Acme Wire")),
            ("The mayor met Jane Roe on Monday.", None),
            ("A ferry leaves.", Some("(John Doe/Acme Wire)")),
        ]);
        // Jane Roe is a subject; John Doe signs one caption only.
        assert_eq!(names, [("Acme Wire".to_owned(), 2)]);
        // Photographer Jane Roe as the subject opening a caption is no evidence against the
        // name, and is not stripped.
        assert!(mentions("Photographer Jane Roe poses with her camera.").is_empty());
        assert!(mentions("Police said Jane Roe was hurt.").contains(&"jane roe".to_owned()));
    }

    #[test]
    fn a_name_glued_to_the_caption_end_is_stripped_after_a_name_or_a_bracket() {
        let records = [
            ("A fundraising dinner in the city.", Some("Photo: Acme Roe")),
            ("Guests arrive at the hall.", Some("Acme Roe/Acme Wire")),
            ("Paul Doe (left) and Jane Doe Acme Roe", None),
            ("John Smith (right) Acme Roe", None),
        ];
        // The glued credits are where a credit stands: no evidence of a subject.
        assert!(!mentions(records[2].0).contains(&"acme roe".to_owned()));
        assert!(!mentions(records[3].0).contains(&"acme roe".to_owned()));
        let names = learn(&records);
        assert!(names.iter().any(|(n, _)| n == "Acme Roe"), "{names:?}");
        let known = KnownNames::new(names.iter().map(|(n, _)| n.as_str()));
        for (caption, left) in [
            (records[2].0, "Paul Doe (left) and Jane Doe"),
            (records[3].0, "John Smith (right)"),
        ] {
            let (got, _, tail) = known.strip(caption).unwrap_or_else(|| panic!("{caption}"));
            assert_eq!((got.as_str(), tail.join(" ").as_str()), (left, "Acme Roe"));
        }
        // After a title, a lower-case word or one capitalised word, the name is the subject.
        for caption in [
            "The pope meets Cardinal Acme Roe",
            "A portrait of Acme Roe",
            "Award-winning photographer Acme Roe",
            "Meet Acme Roe",
            "Jane Doe Acme Roe Smith",
        ] {
            assert_eq!(known.strip(caption), None, "{caption}");
        }
        // A name mentioned inside a caption's text is still a subject, never learned.
        let names = learn(&[
            records[0],
            records[1],
            ("Police said Acme Roe was not hurt.", None),
        ]);
        assert!(!names.iter().any(|(n, _)| n == "Acme Roe"), "{names:?}");
        // A name ending a caption after a verb is a mention too.
        assert!(mentions("The crowd cheers for Acme Roe").contains(&"acme roe".to_owned()));
    }

    #[test]
    fn a_camel_case_brand_is_learned_from_its_credits_and_guarded_as_a_subject() {
        let records = [
            (
                "A rocket lifts off.",
                Some("Acmespace hide caption toggle caption AcmeSpace"),
            ),
            (
                "The booster lands at sea.",
                Some("AcmeSpace hide caption toggle caption AcmeSpace"),
            ),
        ];
        let names = learn(&records);
        assert_eq!(names, [("AcmeSpace".to_owned(), 2)]);
        let known = KnownNames::new(names.iter().map(|(n, _)| n.as_str()));
        assert_eq!(
            known.strip("AcmeSpace"),
            Some((String::new(), vec!["AcmeSpace".to_owned()], Vec::new()))
        );
        assert_eq!(known.strip("AcmeSpace launches its new rocket."), None);
        // The brand as the story's subject elsewhere: not learned.
        let mut with_subject = records.to_vec();
        with_subject.push(("Engineers say AcmeSpace will fly again.", None));
        assert!(learn(&with_subject).is_empty());
        assert!(is_brand_word("YouTube") && is_brand_word("SpaceX"));
        for w in ["Space", "SPACEX", "iStock", "McX", "Ab1C", "X"] {
            assert!(!is_brand_word(w), "{w}");
        }
    }

    #[test]
    fn a_credited_name_that_is_a_subject_is_stripped_only_as_the_whole_caption() {
        let mut l = NameLearner::new();
        for (caption, credit) in [
            ("A ferry leaves.", Some("Photo: Jane Roe")),
            ("The harbour at dawn.", Some("Jane Roe/Acme Wire")),
            ("The mayor met Jane Roe on Monday.", None),
            ("A bridge opens.", Some("Photo: John Doe")),
            ("Police said John Doe was not hurt.", None),
        ] {
            l.add(caption, credit);
        }
        let (bare, whole) = l.finish_all();
        assert!(bare.is_empty(), "{bare:?}");
        assert_eq!(whole, [("Jane Roe".to_owned(), 2)]);
        let known = KnownNames::new(whole.iter().map(|(n, _)| n.as_str()));
        assert!(known.is_whole("Jane Roe") && known.is_whole("JANE ROE."));
        for caption in [
            "Jane Roe poses with her camera.",
            "A ferry leaves. Jane Roe",
            "Jane Roe Smith",
            "John Doe",
            "",
        ] {
            assert!(!known.is_whole(caption), "{caption}");
        }
    }

    #[test]
    fn learning_is_order_independent_and_without_credits_learns_nothing() {
        let mut records = vec![
            ("Cyclists in the old town.", Some("Photo: Jane Roe")),
            ("The harbour at dawn.", Some("JANE ROE/Acme Wire")),
            ("A ferry leaves.", Some("(Acme Wire)")),
            ("The mayor met John Doe.", None),
            ("A ferry leaves.", Some("(Acme Wire)")),
        ];
        let want = learn(&records);
        records.reverse();
        assert_eq!(learn(&records), want);
        assert!(learn(&[("A cat. Jane Roe", None), ("Jane Roe", None)]).is_empty());
    }
}
