//! The marker scan: one Aho-Corasick pass over a caption finds the words that can open or
//! sign a credit (`Photo`, `©`, `Credit`, `/`, agency names ...), so that a rule runs only where
//! one of its markers lies. Below the rules, the checks and the learned credit lines, which
//! all consult it.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::words::{AGENCIES, LEAD_WORDS, WEB_ENDINGS};

/// Kinds of marker; a rule runs only when a marker of one of its kinds lies in the part of the
/// caption it looks at.
pub(super) mod marker {
    /// A word that opens a credit: `Photo`, `Foto`, `Bild`, `Image`, `Source` ...
    pub const LEAD: u16 = 1;
    /// `Credit`, `Crédits`, `Fotocredit`.
    pub const CREDIT: u16 = 1 << 1;
    /// `©`, `(c)`, `Copyright`.
    pub const COPYRIGHT: u16 = 1 << 2;
    /// An agency name as written (`Getty Images`, `REUTERS`; `AP` and `PA` only at the end).
    pub const AGENCY: u16 = 1 << 3;
    /// A separator of credit parts: `/`, `|`, ` - `, a dash, ` via `.
    pub const SLASH: u16 = 1 << 4;
    /// `@`: an e-mail address or a user name.
    pub const AT: u16 = 1 << 5;
    /// NPR's `toggle caption`.
    pub const TOGGLE: u16 = 1 << 6;
    /// Read off the end: the text ends with `)` or `]` (perhaps then `.`).
    pub const PAREN: u16 = 1 << 7;
    /// A sentence end followed by an opening bracket: `... Colo. (AP Photo/Name) In ...`.
    pub const INNER: u16 = 1 << 9;
    /// A web domain's ending: `.com`, `.org`, `.co.uk` ...
    pub const WEB: u16 = 1 << 10;
}

/// The marker scan: one automaton over the marker words without regard to case (lead words,
/// `credit`, `©` ...) and the agency names, whose hits count only as written; and the agency
/// names alone, longest first, for the checks.
pub(super) struct Markers {
    scan: AhoCorasick,
    /// Per pattern of `scan`: its kind, and the text it must equal exactly (agencies).
    patterns: Vec<(u16, Option<&'static str>)>,
    pub(super) exact: AhoCorasick,
}

pub(super) static MARKERS: LazyLock<Markers> = LazyLock::new(|| {
    // The scan ignores the case of ASCII letters only: a word with other letters (`źródło`,
    // `фото`, `πηγή`) is also scanned for as it opens a sentence and in capitals.
    let cased: Vec<String> = LEAD_WORDS
        .iter()
        .filter(|w| !w.is_ascii())
        .flat_map(|w| {
            let mut chars = w.chars();
            let title: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            [title, w.to_uppercase()]
        })
        .collect();
    let mut words: Vec<(&str, u16, Option<&'static str>)> = LEAD_WORDS
        .iter()
        .copied()
        .chain(cased.iter().map(String::as_str))
        .map(|w| (w, marker::LEAD, None))
        .collect();
    words.extend(
        [
            // Polish abbreviations of `fotografia` and `zdjęcie` (`Fot. Jan Kowalski`).
            ("fot.", marker::LEAD),
            ("zdj.", marker::LEAD),
            ("redit", marker::CREDIT),
            ("rédit", marker::CREDIT),
            ("©", marker::COPYRIGHT),
            ("(c)", marker::COPYRIGHT),
            ("copyright", marker::COPYRIGHT),
            ("/", marker::SLASH),
            ("|", marker::SLASH),
            (" - ", marker::SLASH),
            ("—", marker::SLASH),
            ("–", marker::SLASH),
            (" via ", marker::SLASH),
            (" vía ", marker::SLASH),
            ("@", marker::AT),
            ("toggle caption", marker::TOGGLE),
            (". (", marker::INNER),
            ("submitted", marker::LEAD),
        ]
        .map(|(w, k)| (w, k, None)),
    );
    // Domain endings: a two-letter one only before a space (`.de `), as `.de` opens words.
    let web: Vec<String> = WEB_ENDINGS
        .iter()
        .map(|e| {
            if e.len() <= 2 {
                format!(".{e} ")
            } else {
                format!(".{e}")
            }
        })
        .collect();
    words.extend(web.iter().map(|w| (w.as_str(), marker::WEB, None)));
    // Short agencies (`AP`, `PA`) are inside too many words to scan for without regard to
    // case; they count only at the end of the text (see [`end_kinds`]).
    words.extend(
        AGENCIES
            .iter()
            .filter(|a| a.len() > 3)
            .map(|a| (*a, marker::AGENCY, Some(*a))),
    );
    Markers {
        scan: AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(words.iter().map(|(w, _, _)| w))
            .expect("marker words build"),
        patterns: words.iter().map(|(_, k, exact)| (*k, *exact)).collect(),
        exact: AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .build(AGENCIES)
            .expect("agency names build"),
    }
});

/// Where the markers of a caption are: each hit's byte range and kind. A rule runs only when a
/// marker of its kinds lies in the part of the caption it looks at.
pub(super) struct MarkerHits {
    hits: Vec<(usize, usize, u16)>,
}

impl MarkerHits {
    /// Scans `text` once.
    pub(super) fn scan(text: &str) -> Self {
        let m = &*MARKERS;
        let hits = m
            .scan
            .find_overlapping_iter(text)
            .filter_map(|h| {
                let (kind, exact) = m.patterns[h.pattern().as_usize()];
                let as_written = exact.is_none_or(|e| &text[h.range()] == e);
                as_written.then_some((h.start(), h.end(), kind))
            })
            .collect();
        MarkerHits { hits }
    }

    /// The hits of `text[range]`, from those of `text`: the markers are plain words, so a
    /// substring holds exactly the hits that lie wholly within it.
    pub(super) fn within(&self, range: std::ops::Range<usize>) -> MarkerHits {
        let hits = self
            .hits_in(range.clone())
            .map(|(s, e, kind)| (s - range.start, e - range.start, kind))
            .collect();
        MarkerHits { hits }
    }

    /// The hits that lie wholly within `range`.
    pub(super) fn hits_in(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = (usize, usize, u16)> {
        self.hits
            .iter()
            .copied()
            .filter(move |&(s, e, _)| s >= range.start && e <= range.end)
    }

    /// Whether there are no markers at all.
    pub(super) fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    /// The kinds of marker that lie wholly within `range`.
    pub(super) fn kinds_in(&self, range: std::ops::Range<usize>) -> u16 {
        self.hits_in(range).fold(0, |k, (_, _, kind)| k | kind)
    }
}

/// Agency names of up to three letters, which can be glued to the caption's last word.
static SHORT_AGENCIES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| AGENCIES.iter().copied().filter(|a| a.len() <= 3).collect());

/// The marker kinds read off the end of `text`: a short agency name (`... LondonPA`), a closing
/// bracket, a possible bare name. Checked again each time a segment comes off the end.
pub(super) fn end_kinds(text: &str) -> u16 {
    let mut kinds = 0;
    let end = text.trim_end_matches('.');
    let last = end.as_bytes().last();
    if SHORT_AGENCIES
        .iter()
        .any(|a| a.as_bytes().last() == last && end.ends_with(a))
    {
        kinds |= marker::AGENCY;
    }
    if text.trim_end_matches(['.', ' ']).ends_with([')', ']']) {
        kinds |= marker::PAREN;
    }
    kinds
}
