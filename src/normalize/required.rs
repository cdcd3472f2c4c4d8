//! The bytes a match must contain, read off a pattern: a filter that spares most searches.
//!
//! A caption shape such as `@handle / Twitter` at the end cannot match a caption without an
//! `@`, but the regex engine does not know that before it runs: a pattern anchored at the end
//! is searched backwards from the end, with no literal to look for first, and the Unicode
//! classes of a shape make its automaton large (the handle shape alone was 40% of the time
//! spent stripping the New Yorker captions, most of it on captions with no `@`).
//!
//! [`Required::of`] walks the pattern's syntax tree and collects **sets of bytes of which every
//! match holds at least one** (`@` alone; `[Pp]` for a case-insensitive `p`; the first bytes of
//! the UTF-8 encodings of a Unicode class). A text is searched only if it holds a byte of each
//! set; [`Bytes::of`] notes which byte values a text holds in one pass, and each shape's test
//! is then a few bitwise ands. The sets are a necessary condition computed from the pattern,
//! never a guess: a text they reject has no match, so the output is the same with or without
//! them.

use regex_syntax::hir::{Class, Hir, HirKind};

/// A set of byte values, one bit each.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub(super) struct Bytes([u64; 4]);

impl Bytes {
    /// The byte values `text` holds.
    pub(super) fn of(text: &[u8]) -> Bytes {
        let mut set = Bytes::default();
        for &b in text {
            set.insert(b);
        }
        set
    }

    /// Whether `b` is in the set.
    pub(super) fn contains(self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    fn insert_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.insert(b);
        }
    }

    fn union(self, other: Bytes) -> Bytes {
        Bytes(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }

    fn meets(self, other: Bytes) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }

    fn len(self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    fn is_full(self) -> bool {
        self.0.iter().all(|&w| w == u64::MAX)
    }
}

/// What every match of a pattern holds: one byte of each set.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub(super) struct Required {
    sets: Vec<Bytes>,
}

impl Required {
    /// The sets of the pattern `hir`.
    pub(super) fn of(hir: &Hir) -> Required {
        let mut sets = needs(hir);
        // A set of every byte says nothing; the smallest sets reject the most texts, so they
        // are asked first.
        sets.retain(|s| !s.is_full());
        sets.sort_by_key(|s| (s.len(), s.0));
        sets.dedup();
        Required { sets }
    }

    /// Whether a text holding the byte values `present` may match: false only when it cannot.
    pub(super) fn may_match(&self, present: Bytes) -> bool {
        self.sets.iter().all(|&s| present.meets(s))
    }
}

/// The sets of bytes every match of `hir` holds one of.
fn needs(hir: &Hir) -> Vec<Bytes> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Vec::new(),
        HirKind::Literal(lit) => lit
            .0
            .iter()
            .map(|&b| {
                let mut set = Bytes::default();
                set.insert(b);
                set
            })
            .collect(),
        HirKind::Class(class) => vec![class_bytes(class, false)],
        HirKind::Repetition(rep) if rep.min > 0 => needs(&rep.sub),
        HirKind::Repetition(_) => Vec::new(),
        HirKind::Capture(cap) => needs(&cap.sub),
        HirKind::Concat(parts) => parts.iter().flat_map(needs).collect(),
        // A match goes through one branch: it holds a byte of that branch's smallest set, so
        // a byte of the union of every branch's smallest set. A branch that needs nothing
        // leaves the alternation needing nothing.
        HirKind::Alternation(branches) => {
            let mut union = Bytes::default();
            for branch in branches {
                match needs(branch).into_iter().min_by_key(|s| s.len()) {
                    Some(smallest) => union = union.union(smallest),
                    None => return Vec::new(),
                }
            }
            vec![union]
        }
    }
}

/// The bytes a match of the pattern `hir` can start with (`at_end` false) or end with
/// (`at_end` true), read off its syntax tree; `None` when it can match the empty text (then
/// it can match at any edge). A superset: a byte outside it begins (or ends) no match.
pub(super) fn edge_set(hir: &Hir, at_end: bool) -> Option<Bytes> {
    let (set, nullable) = edge(hir, at_end);
    (!nullable).then_some(set)
}

/// The bytes a match of `hir` can start (or end) with, and whether it can match the empty
/// text (a look-around, such as `^` or `$`, matches no byte).
fn edge(hir: &Hir, at_end: bool) -> (Bytes, bool) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (Bytes::default(), true),
        HirKind::Literal(lit) => {
            let byte = if at_end { lit.0.last() } else { lit.0.first() };
            let mut set = Bytes::default();
            if let Some(&b) = byte {
                set.insert(b);
            }
            (set, byte.is_none())
        }
        HirKind::Class(class) => (class_bytes(class, at_end), false),
        HirKind::Repetition(rep) => {
            let (set, nullable) = edge(&rep.sub, at_end);
            (set, nullable || rep.min == 0)
        }
        HirKind::Capture(cap) => edge(&cap.sub, at_end),
        HirKind::Concat(parts) => {
            // From the edge inwards, while the parts passed can match nothing.
            let mut set = Bytes::default();
            let mut ordered: Box<dyn Iterator<Item = &Hir>> = if at_end {
                Box::new(parts.iter().rev())
            } else {
                Box::new(parts.iter())
            };
            for part in &mut ordered {
                let (s, nullable) = edge(part, at_end);
                set = set.union(s);
                if !nullable {
                    return (set, false);
                }
            }
            (set, true)
        }
        HirKind::Alternation(branches) => {
            branches
                .iter()
                .fold((Bytes::default(), false), |(set, nullable), branch| {
                    let (s, n) = edge(branch, at_end);
                    (set.union(s), nullable || n)
                })
        }
    }
}

/// The bytes a character of `class` can start with (`at_end` false) or end with: the byte
/// itself for a byte class or an ASCII character; for any other character, the first byte
/// of its UTF-8 encoding (first bytes grow with the code point, so a range of characters
/// starts with a range of bytes) or its last, a continuation byte. A run of 64 characters or
/// more ends in every continuation byte; a shorter one is looked at character by character
/// (`\s` beyond ASCII ends in a few continuation bytes, not in that of `”`).
fn class_bytes(class: &Class, at_end: bool) -> Bytes {
    let mut set = Bytes::default();
    match class {
        Class::Bytes(bytes) => {
            for r in bytes.ranges() {
                set.insert_range(r.start(), r.end());
            }
        }
        Class::Unicode(chars) => {
            for r in chars.ranges() {
                if r.start().is_ascii() {
                    set.insert_range(first_byte(r.start()), first_byte(r.end().min('\x7f')));
                }
                if r.end().is_ascii() {
                    continue;
                }
                // No byte from 0x80 to 0xC1 starts a character.
                let (lo, hi) = (r.start().max('\u{80}'), r.end());
                if !at_end {
                    set.insert_range(first_byte(lo), first_byte(hi));
                } else if u32::from(hi) - u32::from(lo) >= 63 {
                    set.insert_range(0x80, 0xBF);
                } else {
                    for c in lo..=hi {
                        let mut buf = [0; 4];
                        set.insert(*c.encode_utf8(&mut buf).as_bytes().last().unwrap_or(&0));
                    }
                }
            }
        }
    }
    set
}

fn first_byte(c: char) -> u8 {
    let mut buf = [0; 4];
    c.encode_utf8(&mut buf);
    buf[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::parse(pattern).expect("a valid pattern")
    }

    fn may(pattern: &str, text: &str) -> bool {
        Required::of(&parse(pattern)).may_match(Bytes::of(text.as_bytes()))
    }

    #[test]
    fn a_literal_byte_is_required() {
        assert!(!may(r"@\w+\s*$", "A cat sleeps on the sofa."));
        assert!(may(r"@\w+\s*$", "A cat. @jane"));
        assert!(!may(r"(?:^|\.\s*)©\s*\w+", "A cat sleeps."));
        assert!(may(r"(?:^|\.\s*)©\s*\w+", "A cat. © Jane"));
    }

    #[test]
    fn a_case_insensitive_word_needs_either_case() {
        assert!(may(r"(?i:photo)", "PHOTO"));
        assert!(may(r"(?i:photo)", "Photo"));
        assert!(!may(r"(?i:photo)", "A cat sleeps."), "no p and no h");
    }

    #[test]
    fn an_alternation_needs_a_byte_of_some_branch() {
        assert!(may(r"(?:@x|/y)", "a /y"));
        assert!(may(r"(?:@x|/y)", "a @x"));
        assert!(!may(r"(?:@x|/y)", "a b c"));
        // A branch that can match nothing needs nothing.
        assert!(may(r"(?:@x|z*)", "a b c"));
    }

    #[test]
    fn optional_parts_need_nothing() {
        assert!(may(r"a(?:@b)?", "a"));
        assert!(may(r"a(?:@b){0,3}", "a"));
        assert!(!may(r"a(?:@b){1,3}", "a b"));
    }

    #[test]
    fn a_unicode_class_needs_the_first_byte_of_one_of_its_characters() {
        assert!(may(r"[＝=]AP", "写真＝AP"));
        assert!(may(r"[＝=]AP", "x=AP"));
        assert!(
            !may(r"[＝=]AP", "写真 AP"),
            "＝ starts with 0xEF, which 写真 lacks"
        );
        assert!(may(r"\p{Lu}", "É"));
        assert!(!may(r"\p{Lu}", "a cat"));
    }

    #[test]
    fn edge_sets_hold_the_bytes_a_match_starts_or_ends_with() {
        let end = edge_set(&parse(r"\((?P<cut>[A-Z][a-z]+)\)\s*$"), true)
            .expect("a match ends in a byte");
        assert!(end.contains(b')') && end.contains(b' ') && end.contains(b'\n'));
        assert!(!end.contains(b'.') && !end.contains(b'a'));
        // Whitespace beyond ASCII ends in some continuation bytes (U+00A0 in 0xA0), and no
        // whitespace ends as `”` (U+201D) does, in 0x9D.
        assert!(end.contains(0xA0) && !end.contains(0x9D));
        let start =
            edge_set(&parse(r"^(?:Photo|Foto)s?:\s"), false).expect("a match starts with a byte");
        assert!(start.contains(b'P') && start.contains(b'F') && !start.contains(b'p'));
        assert!(edge_set(&parse(r"^(?i:photo)"), false).is_some_and(|s| s.contains(b'p')));
        // A first character beyond ASCII starts with its lead byte.
        let east = edge_set(&parse(r"^[（(]写真"), false).expect("a match starts with a byte");
        assert!(east.contains(b'(') && east.contains(0xEF) && !east.contains(0xE5));
        // An optional start reaches the part after it.
        let opt = edge_set(&parse(r"^(?:@)?x"), false).expect("a match starts with a byte");
        assert!(opt.contains(b'@') && opt.contains(b'x') && !opt.contains(b'y'));
        // A pattern that can match the empty text has no edge.
        assert!(edge_set(&parse(r"x*$"), true).is_none());
    }
}
