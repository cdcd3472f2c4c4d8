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
    /// The sets of `pattern`; none (every text may match) when it does not parse.
    pub(super) fn of(pattern: &str) -> Required {
        let Ok(hir) = regex_syntax::parse(pattern) else {
            return Required::default();
        };
        let mut sets = needs(&hir);
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
        HirKind::Class(class) => vec![first_bytes(class)],
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

/// The bytes a character of `class` can start with: the byte itself for a byte class, the
/// first byte of its UTF-8 encoding for a Unicode class (first bytes grow with the code
/// point, so a range of characters starts with a range of bytes).
fn first_bytes(class: &Class) -> Bytes {
    let mut set = Bytes::default();
    match class {
        Class::Bytes(bytes) => {
            for r in bytes.ranges() {
                set.insert_range(r.start(), r.end());
            }
        }
        Class::Unicode(chars) => {
            for r in chars.ranges() {
                set.insert_range(first_byte(r.start()), first_byte(r.end()));
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

    fn may(pattern: &str, text: &str) -> bool {
        Required::of(pattern).may_match(Bytes::of(text.as_bytes()))
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
    fn an_unparsable_pattern_needs_nothing() {
        assert_eq!(Required::of("("), Required::default());
        assert!(may("(", ""));
    }
}
