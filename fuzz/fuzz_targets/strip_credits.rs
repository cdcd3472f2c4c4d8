//! The credit stripper and the comparison key on any UTF-8 text.
//!
//! - nothing is lost: the caption is a prefix of the tidied text, and every other
//!   non-space character is in the credit, except the separators (`-`, `|`, `/`, ...)
//!   dropped between a caption and its credit or between two credits;
//! - stripping is idempotent on what it keeps, and a credit is never empty;
//! - `fold_key` is idempotent, except on the known bug (fixed on main): an invisible
//!   character dropped after normalisation can join a letter and a combining mark.
#![no_main]

use capdedup::normalize::{fold_key, tidy_whitespace};
use capdedup::strip_credits;
use libfuzzer_sys::fuzz_target;

/// What `strip` may drop between the caption and a credit (`trim_separators`).
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '|' | '·' | '•' | '-' | '–' | '—' | '/' | ',' | ';')
}

/// Characters `fold_key` drops without a trace (zero-width, format and control characters).
fn dropped_by_fold(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
        || (c.is_control() && !c.is_whitespace())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let tidy = tidy_whitespace(text);
    let s = strip_credits(text);

    assert!(
        tidy.starts_with(&s.caption),
        "the caption is a prefix of the tidied text: {:?} -> {:?}",
        tidy,
        s.caption
    );
    assert_eq!(s.caption, s.caption.trim(), "the caption is trimmed");
    let rest: String = tidy[s.caption.len()..]
        .chars()
        .filter(|&c| !is_separator(c))
        .collect();
    match &s.credit {
        None => assert_eq!(s.caption, tidy, "no credit, nothing removed"),
        Some(credit) => {
            assert!(!credit.trim().is_empty(), "a credit is never empty");
            let credit: String = credit.chars().filter(|&c| !is_separator(c)).collect();
            assert_eq!(rest, credit, "every removed character is in the credit");
        }
    }

    let key = fold_key(text);
    let known_bug = fold_key(&text.replace(dropped_by_fold, "")) != key;
    if !known_bug {
        assert_eq!(fold_key(&key), key, "fold_key is idempotent on {text:?}");
    }
    assert_eq!(key, key.trim(), "the key is trimmed");
    assert!(!key.contains("  "), "the key has single spaces");
});
