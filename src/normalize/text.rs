//! Text primitives, the lowest floor of normalisation: whitespace tidying, folding and the
//! comparison key ([`fold_key`], [`comparison_key`]) and the byte scans and char boundaries the stripping code shares.

use unicode_normalization::UnicodeNormalization;

use super::stamp::stamp_start;

/// Collapses every run of Unicode whitespace into one space and trims both ends.
///
/// ```
/// assert_eq!(capdedup::normalize::tidy_whitespace("  a\t b\u{a0}\u{a0}c \r\n"), "a b c");
/// ```
pub fn tidy_whitespace(text: &str) -> String {
    // Most captions are tidy already: single ASCII spaces between words.
    if is_tidy(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// [`tidy_whitespace`] of an owned string, which is returned as it is when already tidy.
pub(crate) fn tidy_whitespace_owned(text: String) -> String {
    if is_tidy(&text) {
        text
    } else {
        tidy_whitespace(&text)
    }
}

/// Whether `keep` holds for every byte. Checked a block at a time with no early exit inside a
/// block, which vectorises: the fast paths of the text scans.
pub(crate) fn all_bytes(bytes: &[u8], keep: impl Fn(u8) -> bool) -> bool {
    bytes
        .chunks(32)
        .all(|block| block.iter().fold(true, |ok, &b| ok & keep(b)))
}

/// Whether every space in `bytes` stands alone between two other bytes.
fn single_spaced(bytes: &[u8]) -> bool {
    bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !bytes
            .iter()
            .zip(&bytes[bytes.len().min(1)..])
            .fold(false, |any, (&x, &y)| any | ((x == b' ') & (y == b' ')))
}

/// Whether `text` has no whitespace but single ASCII spaces between words. Checked on bytes:
/// Unicode whitespace other than ASCII is U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028,
/// U+2029, U+202F, U+205F and U+3000.
fn is_tidy(text: &str) -> bool {
    let b = text.as_bytes();
    // Most captions: printable ASCII and Latin-1 lead bytes only (checked a block at a time,
    // which vectorises), so the only question is where the spaces are.
    if all_bytes(b, |x| x.wrapping_sub(b' ') < 0xC2 - b' ') {
        return single_spaced(b);
    }
    // `true` at the start: a leading space is not tidy.
    let mut after_space = true;
    for (i, &x) in b.iter().enumerate() {
        if x > b' ' && x < 0xC2 {
            after_space = false;
            continue;
        }
        let space = match x {
            b' ' => {
                if after_space {
                    return false;
                }
                after_space = true;
                continue;
            }
            b'\t'..=b'\r' => true,
            0xC2 => matches!(b.get(i + 1), Some(0x85 | 0xA0)),
            0xE1 => b.get(i + 1) == Some(&0x9A) && b.get(i + 2) == Some(&0x80),
            0xE2 => match (b.get(i + 1), b.get(i + 2)) {
                (Some(0x80), Some(&c)) => c <= 0x8A || matches!(c, 0xA8 | 0xA9 | 0xAF),
                (Some(0x81), Some(0x9F)) => true,
                _ => false,
            },
            0xE3 => b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x80),
            _ => false,
        };
        if space {
            return false;
        }
        after_space = false;
    }
    !after_space || b.is_empty()
}

/// The comparison key of a caption: its text folded ([`fold_key`]) with the punctuation that
/// ends it left out ([`TRAILING_PUNCTUATION`]: a full stop, an ellipsis, `!`, `?`, a comma,
/// colon, semicolon or dash, and the quotes that close it), so that `Protesters march.` and
/// `Protesters march` have one key. A text that is nothing but punctuation keeps it. A page's
/// date stamp after the caption (`... the new law. Posted on March 3, 2017`, `| 03.03.2017`,
/// `2022年8月10日`) is left out too: it dates the page, not the photo. A date of the caption's
/// sentence (`in Minsk, Sunday, Sept. 13, 2020`, `on Jan. 23, 2016`) stays.
///
/// Idempotent: `comparison_key(&comparison_key(s)) == comparison_key(s)`.
///
/// ```
/// use capdedup::comparison_key;
/// assert_eq!(comparison_key("It’s  a\u{200b} test."), "it's a test");
/// assert_eq!(comparison_key("Wait for it…"), comparison_key("Wait for it!"));
/// assert_eq!(comparison_key("The band on stage."), "the band on stage");
/// assert_eq!(comparison_key("..."), "...");
/// assert_eq!(comparison_key("Snow in the park. Posted on March 3, 2017"), "snow in the park");
/// assert_eq!(comparison_key("Snow in the park on March 3, 2017"), "snow in the park on march 3, 2017");
/// ```
pub fn comparison_key(text: &str) -> String {
    key_of_folded(fold_key(text))
}

/// The comparison key of folded text: without its trailing punctuation and without a page's
/// date stamp after the caption (each stamp cut with the punctuation it leaves at the end, so
/// the key stays idempotent).
pub(crate) fn key_of_folded(folded: String) -> String {
    let mut key = without_trailing_punctuation(folded);
    while let Some(cut) = stamp_start(&key) {
        key.truncate(cut);
        key = without_trailing_punctuation(key);
    }
    key
}

/// The punctuation [`comparison_key`] leaves out at the end of a key (after folding, where `…`
/// is `...`, every dash is `-` and every quote `"` or `'`): it ends a sentence, closes a quote
/// or separates a part that is gone, and whether a caption has it is not a difference between
/// two photos.
pub const TRAILING_PUNCTUATION: &[char] = &['.', '!', '?', ',', ';', ':', '-', '"', '\''];

/// Folded `key` without its trailing run of [`TRAILING_PUNCTUATION`] and spaces, unless
/// nothing but punctuation would be left.
pub(crate) fn without_trailing_punctuation(mut key: String) -> String {
    key.truncate(key_end(&key));
    key
}

/// The length of the comparison key of folded `text`: `text` up to its trailing punctuation.
pub(crate) fn key_end(text: &str) -> usize {
    let end = text
        .trim_end_matches(|c: char| c == ' ' || TRAILING_PUNCTUATION.contains(&c))
        .len();
    if text[..end]
        .chars()
        .any(|c| !TRAILING_PUNCTUATION.contains(&c))
    {
        end
    } else {
        text.len()
    }
}

/// Folds text for comparison: Unicode NFKC, full case folding, typographic quotes and dashes
/// folded to ASCII, invisible format characters dropped, whitespace collapsed. A caption's
/// comparison key is its fold without the punctuation that ends it ([`comparison_key`]).
///
/// Folding is idempotent: `fold_key(&fold_key(s)) == fold_key(s)`.
///
/// ```
/// use capdedup::fold_key;
/// assert_eq!(fold_key("“Straße” — ＡＢＣ"), "\"strasse\" - abc");
/// assert_eq!(fold_key("It’s  a\u{200b} test"), "it's a test");
/// ```
pub fn fold_key(text: &str) -> String {
    if text.is_ascii() {
        return fold_ascii(text);
    }
    // Characters are mapped before normalising: dropping an invisible character can bring
    // a letter and a combining mark together, and normalisation must see them joined.
    let mapped: String = text.chars().filter_map(fold_char).collect();
    if mapped.is_ascii() {
        // Only typographic quotes, dashes, spaces or invisible characters were not ASCII
        // (`It’s`): the rest is the ASCII case.
        return fold_ascii(&mapped);
    }
    let nfkc: String = mapped.nfkc().collect();
    let folded: String = caseless::default_case_fold_str(&nfkc).nfkc().collect();
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars().filter_map(fold_char) {
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// One character of the comparison key: typographic quotes and dashes to ASCII, every
/// whitespace to a space, invisible format and control characters dropped.
fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2035}' | '`'
        | '\u{B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{2036}' | '\u{AB}'
        | '\u{BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        c if c.is_whitespace() => ' ',
        '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => return None,
        c if c.is_control() => return None,
        c => c,
    })
}

/// [`fold_key`] for ASCII text, where NFKC is the identity and case folding is lowercasing:
/// the same result without the Unicode tables (most captions in English are ASCII).
fn fold_ascii(text: &str) -> String {
    // Most keys: printable, no backquote, single spaces between words (checked without
    // early exits, which vectorises). Folding is then lowercasing.
    let b = text.as_bytes();
    if all_bytes(b, |x| (x >= b' ') & (x != 0x7f) & (x != b'`')) && single_spaced(b) {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for b in text.bytes() {
        let c = match b {
            b'`' => b'\'',
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => {
                pending_space = !out.is_empty();
                continue;
            }
            0x00..=0x1f | 0x7f => continue,
            c => c.to_ascii_lowercase(),
        };
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c as char);
    }
    out
}

/// The largest char boundary of `s` at or below `i`.
pub(super) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_fast_path_matches_the_unicode_path() {
        // Every ASCII character, alone and between letters, folds as the general path does.
        let slow = |s: &str| {
            // Force the general path by appending a non-ASCII char that folds to itself.
            let k = fold_key(&format!("{s}\u{e9}"));
            k.strip_suffix('\u{e9}').map(str::to_owned).unwrap_or(k)
        };
        for b in 0u8..=0x7f {
            let c = b as char;
            for s in [format!("{c}"), format!("A{c}b"), format!(" {c} x")] {
                assert_eq!(fold_ascii(&s), slow(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn folding_is_idempotent_across_invisible_characters() {
        // Found by the property tests: an invisible character between a letter and a
        // combining mark used to be dropped after normalising, so a second fold changed it.
        for s in [
            "e\u{200b}\u{301}",
            "e\u{0}\u{301}",
            "e\u{ad}\u{301}",
            "\u{300}\u{200b}\u{327}",
            "ß\u{200b}\u{301}",
        ] {
            let once = fold_key(s);
            assert_eq!(fold_key(&once), once, "{s:?}");
        }
        assert_eq!(fold_key("e\u{200b}\u{301}"), "é");
    }

    #[test]
    fn the_key_leaves_out_the_punctuation_that_ends_it() {
        for (text, key) in [
            ("The band on stage.", "the band on stage"),
            ("Wait for it...", "wait for it"),
            ("Wait for it…", "wait for it"),
            ("Really?!", "really"),
            ("See more -", "see more"),
            ("Pictured:", "pictured"),
            ("Troops in Washington, D.C.", "troops in washington, d.c"),
            // Inside the text punctuation stays: only the end is left out.
            ("U.S. troops. In Kabul.", "u.s. troops. in kabul"),
            ("\"Quoted.\"", "\"quoted"),
            ("What now?\u{201d}", "what now"),
            // Nothing but punctuation: kept, or the key would be empty.
            ("...", "..."),
            ("?!", "?!"),
            ("-", "-"),
        ] {
            assert_eq!(comparison_key(text), key, "{text:?}");
            assert_eq!(comparison_key(&comparison_key(text)), key, "{text:?} twice");
        }
        assert_eq!(comparison_key("Onstage!"), comparison_key("onstage"));
        assert_ne!(comparison_key("on stage."), comparison_key("onstage"));
        // Folding alone keeps it.
        assert_eq!(fold_key("A cat sleeps."), "a cat sleeps.");
    }

    #[test]
    fn folding() {
        assert_eq!(
            fold_key("“Quoted” ‘text’ – dash — em"),
            "\"quoted\" 'text' - dash - em"
        );
        assert_eq!(fold_key("ＦＵＬＬ width ﬁ"), "full width fi");
        assert_eq!(fold_key("  many \n\t spaces  "), "many spaces");
        assert_eq!(fold_key("ÉCOLE"), "école");
        let s = "Ǆ ß ﬃ İ ΣΑΣ";
        assert_eq!(fold_key(&fold_key(s)), fold_key(s));
    }

    // A page's date stamp (normalize/stamp.rs).

    #[test]
    fn a_page_stamp_after_the_caption_is_left_out_of_the_key() {
        let base = "students protest outside the parliament against the new law";
        for stamp in [
            "Posted on March 3, 2017",
            "| 03.03.2017",
            "3 hours ago",
            "Mar 3, 2017",
            "Updated 2:43 PM ET",
            "2017-03-03",
            "- March 3, 2017 at 10:15 am",
            "Published: 3 March 2017",
            "· Veröffentlicht am 03.03.2017 um 10:15 Uhr",
            "Publié le 3 mars 2017",
            "2022年8月10日",
            "Posted 3 hours ago | Updated 1 hour ago",
            "Updated 3:45 PM ET, Fri March 3, 2017",
            "Published Friday, March 3, 2017",
        ] {
            let caption =
                format!("Students protest outside the parliament against the new law. {stamp}");
            assert_eq!(comparison_key(&caption), base, "{caption:?}");
            if stamp.starts_with(char::is_numeric) && stamp.ends_with("ago") {
                continue; // a relative time needs a label or a break before it
            }
            let caption =
                format!("Students protest outside the parliament against the new law {stamp}");
            assert_eq!(comparison_key(&caption), base, "{caption:?}");
            assert_eq!(
                comparison_key(&comparison_key(&caption)),
                base,
                "{caption:?} twice"
            );
        }
    }

    #[test]
    fn a_headline_without_spaces_loses_its_stamp_too() {
        let headline = "桑田佳祐、新型コロナに感染 ロッキンへの出演はキャンセルに";
        assert_eq!(
            comparison_key(&format!("{headline} 2022年8月10日")),
            comparison_key(headline)
        );
    }

    #[test]
    fn a_date_of_the_sentence_stays_in_the_key() {
        for caption in [
            "Protesters march in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "Donald Trump speaks at a rally in Sioux Center, Iowa, on Jan. 23, 2016",
            "An MSC cargo ship leaves PortMiami, on Aug. 31, 2019.",
            "Traders work on the floor in New York, U.S., November 18, 2019.",
            "The old mill in a photograph taken March 3, 1911",
            "A view of the harbour dated 3.3.1911",
            "Fans queue outside the stadium since 03.03.2017",
            "Meet me by the clock tower at 3:45 pm",
            "The team won the cup in 2017",
            "Mar 3, 2017",
            "The fair opens Monday March 3, 2017",
            "I told you 5 minutes ago!",
            "Not this again. I told you 5 minutes ago",
        ] {
            let key = comparison_key(caption);
            let folded = fold_key(caption);
            let plain = &folded[..key_end(&folded)];
            assert_eq!(key, plain, "{caption:?}");
        }
    }
}
