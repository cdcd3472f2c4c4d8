//! What a candidate credit must satisfy to be removed, and the styles found by code rather than
//! by a pattern (the leading credit, NPR's repeated credit).

use std::sync::LazyLock;

use regex::Regex;

use super::markers::MARKERS;
use super::text::floor_char_boundary;
use super::words::*;

/// A candidate credit: byte ranges in the text searched.
pub(super) struct Found<'t> {
    pub(super) text: &'t str,
    pub(super) credit: std::ops::Range<usize>,
    pub(super) body: Option<std::ops::Range<usize>>,
    pub(super) inner: Option<std::ops::Range<usize>>,
    pub(super) glued: Option<usize>,
}

impl Found<'_> {
    /// The credit text.
    fn credit(&self) -> &str {
        &self.text[self.credit.clone()]
    }

    /// Where the credit starts.
    fn start(&self) -> usize {
        self.credit.start
    }

    /// The text after the credit's label (`Name` in `Photo: Name`), or the whole credit.
    fn body(&self) -> &str {
        self.body
            .clone()
            .map_or_else(|| self.credit(), |b| &self.text[b])
            .trim()
    }
}

/// Whether the credit at `start` may have more lower-case words: it opens the caption, has a
/// `/` and no capitals at all (`© unplash / chris ralston`).
fn lenient(start: usize, body: &str) -> bool {
    start == 0 && body.contains('/') && !body.chars().any(char::is_uppercase)
}

/// Whether `text` before `start` ends a sentence (or is empty).
fn after_sentence(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    before.is_empty()
        || before.ends_with([
            '.', '!', '?', '…', ')', ']', '"', '”', '’', '»', '|', '•', ':',
        ])
}

/// The char just before `start`.
fn char_before(text: &str, start: usize) -> Option<char> {
    text[..start].chars().next_back()
}

/// No further check: the pattern says it all.
pub(super) fn check_none(_: &Found) -> bool {
    true
}

/// `Credit: Name`, `CreditName`, `Credit...Name`: a glued label needs a capital after it, a
/// lower-case label glued to a word is part of it (`discredit`), and the name must read like
/// names. The label alone (`Credit`) is a credit only as the whole caption.
pub(super) fn check_label(found: &Found) -> bool {
    let (text, start, body) = (found.text, found.start(), found.body());
    if let Some(g) = found.glued {
        if !body.is_empty() && !text[g..].starts_with(char::is_uppercase) {
            return false;
        }
    }
    if char_before(text, start).is_some_and(char::is_alphanumeric)
        && found.credit().starts_with(char::is_lowercase)
    {
        return false;
    }
    if body.is_empty() {
        return text[..start].trim().is_empty() && LABEL_ONLY.is_match(found.credit().trim());
    }
    plausible_credit(body, lenient(start, body))
}

/// `Credit Name`, `Photo iStock`, `FOTO Ángel Flecha.`, `Courtesy Google`: labels without a
/// colon, only after the end of a sentence and before a few name words.
pub(super) fn check_bare_label(found: &Found) -> bool {
    let body = found.body();
    // `FOTO ILUSTRATIVA`, `Foto Symbolbild`: a remark about the picture, not who made it.
    let remark = body.split_whitespace().next().is_some_and(|w| {
        matches!(
            w.to_lowercase().trim_end_matches('.'),
            "ilustrativa"
                | "ilustrativo"
                | "illustrative"
                | "illustration"
                | "d'illustration"
                | "d’illustration"
                | "symbolique"
                | "symbolbild"
                | "symbolfoto"
                | "archivo"
                | "archiv"
        )
    });
    // `Picture this...`, `photo finish`, `Picture taken on the ...`: a lower-case word after
    // the label makes it a word of the sentence; a credit names someone (`Photo iStock`,
    // `Courtesy of Name`).
    let names = body.split_whitespace().next().is_some_and(|w| {
        w.starts_with(|c: char| c.is_uppercase() || c.is_numeric())
            || matches!(w, "of" | "by")
            || MARKERS.exact.find(w).is_some_and(|m| m.start() == 0)
    });
    // `the new "Credit Collection Act"`: a quote that opens a title, not one that closes.
    let before = found.text[..found.start()].trim_end();
    let opening_quote =
        before.ends_with(['"', '“']) && before[..before.len() - 1].ends_with(char::is_whitespace);
    !remark
        && names
        && !opening_quote
        && after_sentence(found.text, found.start())
        && body.split_whitespace().count() <= 7
        && plausible_credit(body, false)
}

/// `Photo: Name`, `Foto: dpa`, `Photograph by Name`, `Bild © Name`: after a plain space the
/// label must be capitalised (`Main image: Whale expert ...` is a caption), and the name must
/// read like names.
pub(super) fn check_lead(found: &Found) -> bool {
    let (text, start, credit) = (found.text, found.start(), found.credit());
    let before = &text[..start];
    let after_word = before.ends_with(' ')
        && before
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
    let glued = char_before(text, start).is_some_and(char::is_alphanumeric);
    if (after_word || glued) && credit.starts_with(char::is_lowercase) {
        return false;
    }
    let body = found.body();
    if credit.contains('@') && body.contains('.') {
        // `foto@swr.de` is an e-mail address, `Фото@paulinaporizkov` a credit.
        return false;
    }
    // `Im Bild: der Knaus Boxstar` describes the picture (`Photo by the author` is fine).
    let first = body.split_whitespace().next().unwrap_or("");
    let colon = credit[..credit.len() - body.len()]
        .trim_end()
        .ends_with([':', '：']);
    let im_bild = before.trim_end().ends_with(" Im") || before.trim_end() == "Im";
    if colon && (ARTICLES.contains(&first) || im_bild) {
        return false;
    }
    // `Foto de Jane Roe`, `Foto di ...`, `Photo par ...`: in other languages the word for
    // `by` is also `of` (`Foto de la semana`, `photo of the week`): a name must follow, told
    // by its capital, which a line in capitals cannot show (`IMAGEN DE REFERENCIA`).
    let label = credit[..credit.len() - body.len()]
        .trim_end()
        .to_lowercase();
    let of_word = [" de", " di", " par", " por", " av", " von"]
        .iter()
        .any(|w| label.ends_with(w));
    // `Foto cedida por el Ayuntamiento`, `Photo fournie par la mairie`: "provided by" in
    // Spanish, Portuguese and French names who gave the picture, with its article, and opens
    // a sentence of its own (`La foto, cedida por la familia, muestra ...` is the caption's).
    let given = label
        .rsplit(' ')
        .nth(1)
        .is_some_and(|w| GIVEN_BY.contains(&w));
    if given {
        let first_ok = body.starts_with(char::is_uppercase)
            || ARTICLES.contains(&first)
            || matches!(first, "o" | "a" | "os" | "as" | "l'" | "lo");
        return first_ok && after_sentence(text, start) && plausible_credit(body, true);
    }
    let shouting = !credit.chars().any(char::is_lowercase);
    if of_word && (shouting || !body.starts_with(char::is_uppercase)) {
        return false;
    }
    // `Photo provided by Acme Corp.` opens its own sentence and names someone; `This 2017
    // file photo provided by the registry shows ...` is the caption's sentence.
    let provided = [
        "provided by",
        "supplied by",
        "submitted by",
        "contributed by",
        "taken by",
    ]
    .iter()
    .any(|w| label.ends_with(w));
    if provided && (!body.starts_with(char::is_uppercase) || !after_sentence(text, start)) {
        return false;
    }
    !body.is_empty() && plausible_credit(body, lenient(start, body))
}

/// `© Name`, `(c) Name`, `Copyright: Name`. A remark in brackets ends the credit:
/// `© Name / stock.adobe.com (Ausschnitt) Schuppentier` is a credit and a caption.
pub(super) fn check_copyright(found: &Found) -> bool {
    let body = found.body();
    // `PokÃ©mon`: a sign between a letter and a lower-case letter is inside a word (here a
    // mis-decoded `é`), not a credit's start.
    let inside_word = char_before(found.text, found.start()).is_some_and(char::is_alphabetic)
        && found.credit().starts_with('©')
        && found.credit()['©'.len_utf8()..].starts_with(char::is_lowercase);
    if inside_word {
        return false;
    }
    let remark_then_words = body.match_indices(')').any(|(i, _)| {
        body[i + 1..].starts_with(' ') && body[i + 1..].chars().any(char::is_alphabetic)
    });
    !body.is_empty() && !remark_then_words && plausible_credit(body, lenient(found.start(), body))
}

/// A trailing `( ... )` or `[ ... ]` whose content is a credit. A bare name in brackets must
/// not follow another name: `Matthias Körner (DGB Mittelhessen)` and
/// `Prime Minister (Mia Mottley)` keep theirs, `... Populares. (Teresa Canino Rivera)` does not.
pub(super) fn check_paren(found: &Found) -> bool {
    let Some(inner) = found.inner.clone() else {
        return false;
    };
    match paren_credit(&found.text[inner]) {
        ParenCredit::Credit => true,
        ParenCredit::BareName => {
            let before = found.text[..found.start()].trim_end();
            // `"... in yours" (Jane Roe)`: a quotation's author, not its photographer (a
            // sentence closed inside the quote may still carry a credit: `... God." (Name)`).
            let quotation = before.ends_with(['"', '”'])
                && !before[..before.len() - 1].ends_with(['.', '!', '?']);
            // `[Bird Noises]`: square brackets hold an editor's or a stage direction, and
            // carry a credit only with a credit's own sign (`[File: Reuters]`).
            let square = found.text[found.start()..].starts_with('[');
            !quotation
                && !square
                && !before
                    .split_whitespace()
                    .next_back()
                    .is_some_and(|w| is_name_word(w) || NOT_NAMES.contains(&w))
        }
        ParenCredit::No => false,
    }
}

/// `Name/Agency` and the like: see [`chain_is_credit`].
pub(super) fn check_chain(found: &Found) -> bool {
    // `https://en.wikipedia.org/wiki/Name`: a web address's path, cut after its `.`.
    let token = found.text[..found.start()]
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default();
    !token.contains("://")
        && !token.starts_with("www.")
        && chain_is_credit(found.credit(), found.start() == 0)
}

/// A known agency at the end: see [`agency_tail_ok`].
pub(super) fn check_agency(found: &Found) -> bool {
    agency_tail_ok(found.text, found.start())
}

/// `Name, AGENCY`: the words before the comma are capitalised.
pub(super) fn check_name_agency(found: &Found) -> bool {
    found.credit().rsplit_once(", ").is_some_and(|(name, _)| {
        name.split_whitespace()
            .all(|w| w.starts_with(char::is_uppercase) && !w.ends_with('.') || is_name_word(w))
    })
}

/// A bare name of two or three words.
pub(super) fn check_name(found: &Found) -> bool {
    is_bare_name(found.credit(), 2, 3)
}

/// A run of names (see [`plausible_credit`]).
pub(super) fn check_body(found: &Found) -> bool {
    // `466 2267 name@example.com`: the end of a telephone number is no name.
    let credit = found.credit();
    let name = credit.rsplit_once(' ').map_or("", |(n, _)| n);
    name.split_whitespace()
        .any(|w| w.chars().any(char::is_alphabetic))
        && plausible_credit(credit, false)
}

/// A label that can make up a whole credit on its own (`Credit`).
static LABEL_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?i:credits?)$").expect("label pattern compiles"));

/// A bare credit is a short run of names and agencies, not a sentence: at most 14 words, no
/// `!` or `?` (outside web addresses), no word that only sentences have (`is`, `with`, `für`),
/// no word glued to the next (`NewsSean Hannity ...`), and at most one lower-case word other
/// than connectors, user names, domains and agency names (three when `lenient`). This keeps
/// `Image: Jose Mourinho has agreed a deal to become manager` a caption.
pub(super) fn plausible_credit(segment: &str, lenient: bool) -> bool {
    let words: Vec<(usize, &str)> = token_offsets_ws(segment).collect();
    if words.is_empty() || words.len() > 14 || UI_NOISE.iter().any(|n| segment.ends_with(n)) {
        return false;
    }
    // `(c).`, `CREDITS....`: a sign with no name after it.
    if !segment.chars().any(char::is_alphanumeric) {
        return false;
    }
    // Agency names are looked up only if a lower-case word needs excusing.
    let mut agency_spans: Option<Vec<(usize, usize)>> = None;
    let mut lower = 0;
    for (i, &(start, w)) in words.iter().enumerate() {
        // A web address, user name or number is excused; the full stop or colon that ends a
        // word is not a web address's (`... patrol the border.` is a sentence's last word).
        let inner = w.trim_end_matches(['.', ':', ',', ';']);
        let urlish = inner.contains(['/', '.', '@', '_', '|', ':']) || w.contains(char::is_numeric);
        if !urlish && w.contains(['!', '?']) {
            return false;
        }
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        if is_sentence_word(core) || is_contraction(core) {
            return false;
        }
        // `NewsSean Hannity interviews ...`: a credit glued to the sentence after it.
        if camel_glue(w).is_some()
            && words[i + 1..].iter().any(|(_, n)| {
                let n = n.trim_matches(|c: char| !c.is_alphanumeric());
                n.starts_with(char::is_lowercase) && !is_credit_connector(n)
            })
        {
            return false;
        }
        if !core.starts_with(char::is_lowercase)
            || urlish
            || core.chars().skip(1).any(char::is_uppercase)
            || is_credit_connector(core)
        {
            continue;
        }
        let end = start + w.len();
        let spans = agency_spans.get_or_insert_with(|| {
            MARKERS
                .exact
                .find_iter(segment)
                .map(|m| (m.start(), m.end()))
                .collect()
        });
        if !spans.iter().any(|&(s, e)| start >= s && end <= e) {
            lower += 1;
        }
    }
    lower <= if lenient { 3 } else { 1 }
}

/// A contraction, which only sentences have (`He's`, `I'm`, `don't`, `we'll`); a possessive
/// (`Christie's`) is a name's.
fn is_contraction(w: &str) -> bool {
    let lower = w.to_lowercase().replace('’', "'");
    ["n't", "'re", "'m", "'ll", "'ve", "'d"]
        .iter()
        .any(|t| lower.ends_with(t))
        || matches!(
            lower.as_str(),
            "he's"
                | "she's"
                | "it's"
                | "that's"
                | "what's"
                | "there's"
                | "here's"
                | "let's"
                | "who's"
                | "where's"
        )
}

/// Words of `text` split at any whitespace, with their byte offsets.
fn token_offsets_ws(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |w| (w.as_ptr().addr() - text.as_ptr().addr(), w))
}

/// Content of a trailing `( ... )` that makes it a credit rather than part of the caption.
static CREDIT_INNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?x)
        ^\s*(?i:photos?|photograph|photography|photographer|foto|fotos|fotoğraf|fotoğraflar|fotografía|fotografia|fot\.|kuva|billede|bilde|imagen|image|images|picture|pictures|pic|bild|bildquelle|фото|credits?|crédits?|crédito|créditos|courtesy|source|quelle|copyright|video\s+by|screenshot|screengrab|screen\s+grab|screen\s+capture|graphic|illustration)(?:\b|\s|$)
        | ^\s*(?i:file|staff|special|submitted|contributed|courtesy)\s+(?i:photos?|image|picture)\s+(?i:by|from|courtesy)\s+\S
        | ^\s*(?i:submitted|contributed|supplied|provided|handout)(?:\s+(?i:photos?|image|picture))?\s*$
        | ^\s*(?i:staff|courtesy|pool)\s+(?i:photos?|photograph|images?|pictures?|pic)\s*$
        | ^\s*\p{{Lu}}\p{{Ll}}+(?:\s+\p{{Lu}}[\p{{L}}.'’\-]*){{1,2}}\s+for\s+(?:The\s+)?\p{{Lu}}[\p{{L}}.'’\-]*(?:\s+\p{{Lu}}[\p{{L}}.'’\-]*){{0,3}}\s*$
        | ^\s*(?i:file)\s*:
        | ^\s*AP\s+Photo\b
        | ©
        | ^\s*\([cC]\)
        | \b(?:via|vía)\s+\S
        | (?i:photography)
        | \s(?i:screenshot)
        | ^\s*{agency}\s*$
        | ^\s*{agency}\s*:\s*\p{{Lu}}
        ",
        agency = alternation(AGENCIES)
    ))
    .expect("credit-content pattern compiles")
});

/// What the text inside trailing brackets is.
enum ParenCredit {
    /// A credit: a credit label, an agency, a `via`, a `Name/Organisation` chain, a web domain.
    Credit,
    /// A bare name of two to four words: a credit unless it names the person before it.
    BareName,
    /// Part of the caption: `(left)`, `(2nd R)`, `(file)`, `(FILE)`, `(Symbolbild)`, `(COVID-19)`.
    No,
}

/// Whether the text inside trailing brackets is a credit (see [`ParenCredit`]).
fn paren_credit(inner: &str) -> ParenCredit {
    let inner = inner.trim();
    if CREDIT_INNER.is_match(inner) {
        // `(Photo may not be of exact unit)`: a credit's word opening a sentence, a verb
        // after it where a credit has a name, a colon or `by`.
        let mut words = inner.split_whitespace();
        let label = words
            .next()
            .is_some_and(|w| LEAD_WORDS.contains(&w.to_lowercase().as_str()));
        let sentence = label
            && words.next().is_some_and(|w| {
                // `credit:REUTERS`: the word before its colon.
                let w = w
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or_default();
                // `(Photo provided to Acme Daily)` says where it came from.
                w.starts_with(char::is_lowercase)
                    && !is_credit_connector(w)
                    && !matches!(
                        w,
                        "from" | "provided" | "supplied" | "courtesy" | "cortesía" | "cortesia"
                    )
                    && !GIVEN_BY.contains(&w)
            });
        return if sentence {
            ParenCredit::No
        } else {
            ParenCredit::Credit
        };
    }
    if inner.contains(['/', '|', '–', '—']) {
        let parts: Vec<&str> = SEP_SPLIT.split(inner).collect();
        // `(NASA/JPL-Caltech/ASU)`: three or more capitalised parts, not a web address.
        let agencies = parts.len() >= 3
            && !inner.contains(':')
            && plausible_credit(inner, false)
            && parts
                .iter()
                .all(|p| p.trim().starts_with(char::is_uppercase));
        return if agencies || chain_is_credit(inner, false) {
            ParenCredit::Credit
        } else {
            ParenCredit::No
        };
    }
    if !inner.contains(' ') && inner.contains('.') {
        // A web domain: `(onmeth.com)`.
        let parts: Vec<&str> = inner.split('.').collect();
        let domain = parts.len() >= 2
            && parts.iter().all(|p| !p.is_empty())
            && parts
                .last()
                .is_some_and(|p| p.chars().all(char::is_alphabetic));
        return if domain {
            ParenCredit::Credit
        } else {
            ParenCredit::No
        };
    }
    // `(Bring Your Own Ball)`: a pronoun is a sentence's word, not a name's.
    let pronoun = inner.split_whitespace().any(|w| {
        matches!(
            w,
            "I" | "You" | "Your" | "My" | "Our" | "We" | "Their" | "They" | "His" | "Her" | "Its"
        )
    });
    if !pronoun && is_bare_name(inner, 2, 4) {
        ParenCredit::BareName
    } else {
        ParenCredit::No
    }
}

/// Whether `text` is a bare name of `min` to `max` words: capitalised words (with initials,
/// `Co.`, [`NAME_PARTICLES`], `of` and `the` inside), the first not a title or place word.
/// `Lucy Akins`, `Teresa Canino Rivera`, `FUENTE EXTERNA`, `Walt Disney Co.`,
/// `Jan van der Berg`.
pub(super) fn is_bare_name(text: &str, min: usize, max: usize) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < min || words.len() > max {
        return false;
    }
    if NOT_NAMES.contains(&words[0].trim_end_matches('.')) {
        return false;
    }
    let last = words.len() - 1;
    words.iter().enumerate().all(|(i, w)| {
        let particle = matches!(*w, "of" | "the") || NAME_PARTICLES.contains(w);
        (particle && i != 0 && i != last) || is_name_word(w)
    })
}

/// Splits a credit chain at its separators.
static SEP_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(SEP).expect("separator pattern compiles"));

/// Whether a chain of names split by `/`, `|`, `—`, `-`, `via`, `for` or `,` is a credit: at
/// most five parts that read like names; `,` and `for` must lead to an agency or a
/// publication; and one part is an agency or a web domain, or it ends `for` a publication, or
/// it is a person's name `/` an organisation (`Scott Heins/Gothamist`). `Windows/Mac`,
/// `and/or` and `Berliner Platz - Cinemaxx-Kino in Essen` are not credits.
pub(super) fn chain_is_credit(chain: &str, whole_caption: bool) -> bool {
    let chain = chain.trim_end_matches('.');
    let parts: Vec<&str> = SEP_SPLIT.split(chain).map(str::trim).collect();
    let seps: Vec<&str> = SEP_SPLIT
        .find_iter(chain)
        .map(|m| m.as_str().trim())
        .collect();
    if parts.len() < 2 || parts.len() > 5 || parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    // `...11/8/16`: a date, not a chain of names.
    if parts
        .iter()
        .filter(|p| !p.chars().any(char::is_alphabetic))
        .count()
        >= 2
    {
        return false;
    }
    if !plausible_credit(chain, false) {
        return false;
    }
    // An agency opening or closing a part; opening it, not before a lower-case word of the
    // sentence (`EEO/AA compliant`).
    let is_agency = |p: &str| {
        MARKERS.exact.find_iter(p).any(|m| {
            let after = &p[m.end()..];
            let opens = m.start() == 0
                && (after.is_empty()
                    || after.starts_with(|c: char| !c.is_alphanumeric())
                        && !after.split_whitespace().next().is_some_and(|w| {
                            w.starts_with(char::is_lowercase) && !is_credit_connector(w)
                        }));
            opens || m.end() == p.len()
        })
    };
    let is_publication = |p: &str| {
        p.split_whitespace()
            .next_back()
            .is_some_and(|w| PUBLICATION_WORDS.contains(&w))
    };
    let has_domain = |p: &str| p.split_whitespace().any(is_domain);
    for (i, sep) in seps.iter().enumerate() {
        let next = parts[i + 1];
        if matches!(*sep, "," | "for" | "para")
            && !is_agency(next)
            && !is_publication(next)
            && !is_outlet_name(next)
        {
            return false;
        }
        // `Name for the EPA` names an outlet; `Dyson for head of the EPA` is a sentence.
        if matches!(*sep, "for" | "para") && !next.starts_with(char::is_uppercase) {
            return false;
        }
    }
    if parts.iter().any(|p| is_agency(p) || has_domain(p)) {
        return true;
    }
    // An outlet by its shape and a person, by any separator: `THE CANADIAN PRESS/Jane Roe`,
    // `Jane Roe - The Star`, `Jane Roe / Acme Herald` (`Spring Fever - Main Street` has no
    // outlet, `Sad Cop / Funny Cop` no person).
    let outlets: Vec<bool> = parts.iter().map(|p| is_outlet_name(p)).collect();
    let named = |i: usize| !outlets[i] && is_bare_name(parts[i], 2, 3);
    if outlets.contains(&true)
        && (0..parts.len()).any(named)
        && (0..parts.len()).all(|i| outlets[i] || named(i))
    {
        return true;
    }
    if seps.iter().any(|s| matches!(*s, "for" | "para")) {
        return true;
    }
    let person = is_person(parts[0]);
    // `Jane Roe/ Baltimore MD` is a signature and its place; `Sad Cop / Funny Cop` a pair.
    let organisation = parts[1..].iter().all(|p| {
        p.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
            && !p.split_whitespace().next_back().is_some_and(is_place_code)
    });
    let pair = parts[0].split_whitespace().any(|w| {
        parts[1..]
            .iter()
            .any(|p| p.split_whitespace().any(|o| o == w))
    });
    // Only a guess, so never the whole caption: `White House | Minsk.` stays a caption.
    !whole_caption
        && person
        && organisation
        && !pair
        && seps.iter().all(|s| matches!(*s, "/" | "|"))
}

/// An outlet's name by its shape: two to four capitalised words, the first may be `The`, the
/// last ends an outlet's name (`THE CANADIAN PRESS`, `The Acme Herald`, `Daily News`,
/// `The Star`). A word in capitals is read as its title-case form (`PRESS` as `Press`).
pub(super) fn is_outlet_name(part: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    let article = matches!(words[0], "The" | "THE");
    let last = words[words.len() - 1];
    // `PRESS` read as `Press`; `TV` and `HBO` are looked up as they are.
    let mut chars = last.chars();
    let title: String = if last.chars().count() > 2 && !last.chars().any(char::is_lowercase) {
        chars
            .next()
            .into_iter()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    } else {
        last.to_string()
    };
    let ends = ends_outlet_name(last)
        || ends_outlet_name(&title)
        || (article && words.len() == 2 && THE_PAPERS.contains(&title.as_str()));
    ends && words[usize::from(article)..]
        .iter()
        .all(|w| (is_name_word(w) || is_capitals_word(w)) && !NOT_NAMES.contains(w))
}

/// A word in capitals of two letters or more (`PRESS`, `AP`).
fn is_capitals_word(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase)
}

/// A person's name: two name words, or three with an initial (`Ellen M. Banner`).
fn is_person(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let initial = words.iter().any(|w| w.len() <= 3 && w.ends_with('.'));
    // `The Trump`: an article opens a sentence, not a name.
    let opening = words.first().is_some_and(|w| SENTENCE_STARTS.contains(w));
    !opening && (is_bare_name(text, 2, 2) || (initial && is_bare_name(text, 3, 3)))
}

/// Whether a known agency at byte `start` of `text` stands where it can be a credit: the
/// whole caption, after the end of a sentence (`... Monday. Getty Images`,
/// `(Photo: Getty Images)Getty`), glued to the last word (`... in LondonPA`,
/// `... the UKAFP via Getty`), or, for the unmistakable multi-word forms and `AP` after a name,
/// after a plain space (`... should be Getty Images`, `... Timothy Weeks AP`). After a `/`,
/// `|`, `-`, `,`, `via` or `for` it is part of a longer credit, which the chain rule takes.
fn agency_tail_ok(text: &str, start: usize) -> bool {
    let credit = text[start..].trim().trim_end_matches('.');
    let before = &text[..start];
    let Some(prev) = before.chars().next_back() else {
        return true;
    };
    let sentence_end =
        |c: char| matches!(c, '.' | '!' | '?' | '…' | ')' | ']' | '"' | '”' | '’' | '»');
    if prev.is_whitespace() {
        let before = before.trim_end();
        let Some(last) = before.chars().next_back() else {
            return true;
        };
        // `..., "Try and draw us," Rex`: a quotation closed after a comma goes on.
        if matches!(last, '"' | '”') && before[..before.len() - 1].ends_with(',') {
            return false;
        }
        if sentence_end(last) {
            // `... in white, Mr. Bloomberg`: an abbreviation's full stop ends no sentence.
            let word = before
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or_default()
                .trim_end_matches('.');
            return !(last == '.' && ABBREVIATIONS_BEFORE_NAMES.contains(&word));
        }
        // After `The` the agency's name goes back to the article (`Jane Roe, The Associated
        // Press`): the longer credit is taken whole or not at all.
        if matches!(last, '/' | '|' | '-' | '–' | '—' | ',')
            || [" via", " vía", " for", " para"]
                .iter()
                .any(|w| before.ends_with(w))
            || matches!(before.rsplit(' ').next(), Some("The" | "the"))
        {
            return false;
        }
        // `... employees of The New York Times`: after a preposition the outlet is a word
        // of the sentence.
        let preposition = before.rsplit(char::is_whitespace).next().is_some_and(|w| {
            matches!(
                w,
                "of" | "at" | "for" | "from" | "in" | "on" | "with" | "to" | "about" | "by"
            )
        });
        let multiword = credit.contains(' ') && !credit.starts_with("AP ") && !preposition;
        let after_name = credit == "AP"
            && before
                .split_whitespace()
                .next_back()
                .is_some_and(|w| is_name_word(w) && w.chars().count() > 2);
        return multiword || after_name;
    }
    if sentence_end(prev) {
        return true;
    }
    // `Jane Roe Pittsburgh,PA`: a state's code after its city.
    if prev == ',' && is_place_code(credit) {
        return false;
    }
    let composite = credit.contains(" via ") || credit.contains('/');
    (prev.is_lowercase() || prev.is_numeric() || prev == ',' || (composite && prev.is_alphabetic()))
        && GLUED.is_match(credit)
}

/// Titles that stand before a name with a full stop (`Mr. Bloomberg`).
const ABBREVIATIONS_BEFORE_NAMES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Capt", "Lt", "Sgt", "Col", "St",
    "Rev", "Pres", "Hon", "Sr", "Jr",
];

/// An agency credit as newsrooms glue it to the last word.
static GLUED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^{GLUED_AGENCY}(?:(?:\s+via\s+|/)(?:Getty Images|Getty))?$"
    ))
    .expect("glued agency pattern compiles")
});

/// NPR's `Name/Agency hide caption toggle caption Name/Agency`: both copies of the credit and
/// the buttons between them.
pub(super) fn npr_toggle_caption(text: &str) -> Option<(usize, usize)> {
    const TOGGLE: &str = " hide caption toggle caption ";
    let i = text.rfind(TOGGLE)?;
    let credit = &text[i + TOGGLE.len()..];
    if credit.is_empty() || credit.len() > 160 {
        return None;
    }
    let start = if text[..i].ends_with(credit) {
        i - credit.len()
    } else {
        i + 1
    };
    Some((start, text.len()))
}

/// Words that continue a company's name (`Getty Images Inc.`), never a caption's first word.
const COMPANY_SUFFIXES: &[&str] = &[
    "Inc",
    "Ltd",
    "LLC",
    "Corp",
    "Co",
    "Corporation",
    "Company",
    "Group",
    "plc",
    "PLC",
    "AG",
    "GmbH",
    "SA",
    "Holdings",
    "Foundation",
    "International",
];

/// A credit that opens the caption: `© Getty Images MANCHESTER ...`, `© Lucy Nicholson
/// Detainees at ...`, `dpa/Jan Woitas Im Oktober ...`, `Bild: Jahr MediaAuf der ...`,
/// `SN/APA/KEYSTONE/CYRIL ZINGARO Nationaler Trauertag ...`. Only taken when the end of the
/// credit is certain and a caption follows: a word glued to the next (`MediaAuf`), the end of
/// a known agency, a word that starts a sentence (`Im`, `The`) before lower-case words, a
/// switch from capitals to normal case, or two name words followed by a capitalised word and
/// a lower-case one. Otherwise the caption is left as it is:
/// `Image: Jose Mourinho has agreed a deal ...` stays.
pub(super) fn leading_credit(text: &str) -> Option<(usize, usize)> {
    let (body_start, kind) = leading_opening(text)?;
    // Spektrum's `© Name / stock.adobe.com (Ausschnitt) Caption ...`.
    if kind == Opening::Copyright {
        let limit = floor_char_boundary(text, text.len().min(600));
        if let Some(i) = text[..limit].find("(Ausschnitt)") {
            let end = i + "(Ausschnitt)".len();
            return (end < text.len()).then_some((0, end));
        }
    }
    let tokens: Vec<(usize, &str)> = token_offsets(&text[body_start..])
        .take(12)
        .map(|(i, t)| (body_start + i, t))
        .collect();
    if tokens.len() < 2 {
        return None;
    }
    let credit_like = |t: &str| {
        !t.ends_with([':', ';', '!', '?'])
            && (!t.ends_with('.') || is_name_word(t) || t.trim_end_matches('.').contains('.'))
    };
    let lower_word = |t: &str| t.starts_with(char::is_lowercase);
    // A word glued to the next one: `MediaAuf`, `GlobalFrom`, `ImagesKristi`.
    for (n, &(at, tok)) in tokens.iter().enumerate().take(8) {
        // A web domain is one word, however its name is written (`JaneRoeSingles.com`), and
        // no glued word after it is a credit's end.
        if is_domain(tok) {
            break;
        }
        if let Some(split) = camel_glue(tok) {
            let end = at + split;
            return (end > body_start && tokens.len() > n + 1).then_some((0, end));
        }
        if !credit_like(tok) {
            break;
        }
    }
    // A known agency right after `©`, a label or opening the caption: `© Getty Images Nach
    // ...`, `Foto: EFE Soldados patrullan ...`.
    if matches!(kind, Opening::Copyright | Opening::Agency | Opening::Label) {
        if let Some(m) = MARKERS.exact.find(&text[body_start..]) {
            let end = body_start + m.end();
            let rest = text[end..].trim_start();
            // Without `©`, the rest must read as a sentence's start (`Getty Images Firefighters
            // battle ...`), not as the agency's own name going on (`Getty Images Inc. reported
            // ...`, `Getty Images CEO Jane Roe said ...`).
            let sentence_next = || {
                let mut words = rest.split_whitespace();
                let first = words.next().unwrap_or("");
                let second = words.next().unwrap_or("");
                !COMPANY_SUFFIXES.contains(&first.trim_end_matches(['.', ',']))
                    && (SENTENCE_STARTS.contains(&first) || second.starts_with(char::is_lowercase))
            };
            if m.start() == 0
                && text[end..].starts_with(' ')
                && rest.starts_with(char::is_uppercase)
                && (kind == Opening::Copyright || sentence_next())
            {
                return Some((0, end));
            }
        }
    }
    // A word that starts a sentence, before lower-case words: `dpa/Jan Woitas Im Oktober
    // steigt ...`; one followed by a lower-case word is preferred (`Photo: Name Archives Le
    // Devoir Les entreprises ...`).
    let mut starts = Vec::new();
    for n in 1..tokens.len().min(8) {
        if !credit_like(tokens[n - 1].1) {
            break;
        }
        let followed = tokens[n + 1..].iter().take(4).any(|(_, t)| lower_word(t));
        if SENTENCE_STARTS.contains(&tokens[n].1) && followed {
            starts.push(n);
        }
    }
    let chosen = starts
        .iter()
        .find(|&&n| tokens.get(n + 1).is_some_and(|(_, t)| lower_word(t)))
        .or(starts.first());
    if let Some(&n) = chosen {
        return Some((0, tokens[n].0));
    }
    // From capitals to normal case: `KEYSTONE/CYRIL ZINGARO Nationaler Trauertag`.
    if kind == Opening::Chain {
        // A spaced slash belongs to the chain (`NASA / NOAA Concentration of ...`).
        let caps = |t: &str| {
            t == "/" || t.chars().any(char::is_alphabetic) && !t.chars().any(char::is_lowercase)
        };
        if let Some(n) = tokens.iter().position(|(_, t)| !caps(t)) {
            if n >= 1
                && tokens[n - 1].1 != "/"
                && is_name_word(tokens[n].1)
                && tokens[..n].iter().any(|(_, t)| t.contains('/'))
                && tokens.len() > n + 1
            {
                return Some((0, tokens[n].0));
            }
        }
    }
    // Two name words, then a capitalised word and a lower-case one: `© Lucy Nicholson
    // Detainees at ...`.
    if matches!(kind, Opening::Copyright | Opening::Label) && tokens.len() >= 4 {
        let [(_, a), (_, b), (at, c), (_, d)] = [tokens[0], tokens[1], tokens[2], tokens[3]];
        if is_name_word(a)
            && is_name_word(b)
            && !a.ends_with('.')
            && !b.ends_with('.')
            && is_name_word(c)
            && !SENTENCE_STARTS.contains(&c)
            && lower_word(d)
            && !NOT_NAMES.contains(&a)
        {
            return Some((0, at));
        }
    }
    None
}

/// Whether a word is a web domain: `acme.com`, `www.acme-photo.co.uk`, `stock.adobe.com`
/// (a final full stop left out): parts between full stops, none empty, the last of two letters
/// or more.
fn is_domain(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    word.contains('.')
        && word.split('.').all(|label| !label.is_empty())
        && word
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
}

/// What opens a caption that may start with a credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opening {
    /// `©`, `(c)`.
    Copyright,
    /// `Photo:`, `Foto:`, `Bild:`, `Quelle:`.
    Label,
    /// `dpa/Jan Woitas`, `Alex Wong | Getty Images`, `Kjell Holmner/Göteborg & Co`, acronyms
    /// with spaced slashes (`NASA / NOAA`), a web domain (`acmepress.com`).
    Chain,
    /// A stock agency opening the caption: `Shutterstock Beweg dich ...`.
    Agency,
}

static LEADING_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:©\s*|\([cC]\)\s+)(?:(?i:foto|bild|photo)\s*:\s*)?|^(?P<label>(?i:{})\s*:\s*)",
        // The lead words, and `Credit:` (`Credit: Jane Roe/AP Soldiers patrol ...`).
        alternation(
            &[
                LEAD_WORDS,
                &[
                    "credit",
                    "credits",
                    "photo credit",
                    "image credit",
                    "crédit",
                    "crédito"
                ],
            ]
            .concat()
        )
    ))
    .expect("leading label pattern compiles")
});

static LEADING_CHAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:\p{{Lu}}[\p{{L}}\p{{M}}]+\s+)?[\p{{L}}\p{{M}}][\p{{L}}\p{{M}}\p{{N}}.\-]*/[\p{{L}}\p{{M}}]|^{TOKEN}\s+{TOKEN}\s+\|\s+{agency}|^\p{{Lu}}{{2,}}\s+/\s+\p{{Lu}}|^[\p{{L}}\p{{N}}\-]+\.{web}\s",
        agency = alternation(AGENCIES),
        web = alternation(WEB_ENDINGS)
    ))
    .expect("leading chain pattern compiles")
});

/// How the caption opens, if like a credit, and where the credit's own words begin.
fn leading_opening(text: &str) -> Option<(usize, Opening)> {
    if let Some(c) = LEADING_LABEL.captures(text) {
        let end = c.get(0).expect("whole match").end();
        let kind = if c.name("label").is_some() {
            Opening::Label
        } else {
            Opening::Copyright
        };
        return Some((end, kind));
    }
    if LEADING_CHAIN.is_match(text) {
        return Some((0, Opening::Chain));
    }
    LEADING_AGENCIES
        .iter()
        .any(|a| text.starts_with(a) && text[a.len()..].starts_with(' '))
        .then_some((0, Opening::Agency))
}

/// A capitalised name word (`Akins`, `O’Reilly`, `Zitt-James`, `McNamee`, `Co.`, `M.`), not a
/// number, a word with other punctuation, or two words glued (`TrapaniCEO`).
pub(super) fn is_name_word(w: &str) -> bool {
    let core = w.strip_suffix('.').unwrap_or(w);
    let chars: Vec<char> = core.chars().collect();
    let Some(&first) = chars.first() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    if chars.len() == 1 {
        // An initial needs its full stop: `M.` but not `L`.
        return w.ends_with('.');
    }
    if w.ends_with('.') && !matches!(core, "Co" | "Inc" | "Ltd" | "Jr" | "Sr" | "St") {
        return false;
    }
    // A capital after lower-case letters only in `McNamee`, `DiCaprio`, `MacDonald`.
    let glued = chars
        .windows(2)
        .enumerate()
        .any(|(i, p)| p[0].is_lowercase() && p[1].is_uppercase() && !(1..=2).contains(&i));
    !glued
        && chars[1..]
            .iter()
            .all(|&c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’') || is_format(c))
}

/// Invisible format characters (soft hyphen, zero-width space) that may sit inside words.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Words of `text` with their byte offsets.
fn token_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(' ')
        .scan(0, |pos, t| {
            let at = *pos;
            *pos += t.len() + 1;
            Some((at, t))
        })
        .filter(|(_, t)| !t.is_empty())
}

/// Where a word glued to the next splits (`MediaAuf` at 5), unless it is a camel-case name.
/// The first part needs three letters and the second a capital and a lower-case letter.
pub(super) fn camel_glue(token: &str) -> Option<usize> {
    let mut run = 0;
    let mut chars = token.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        if let Some(a) = prev {
            let next_lower = chars.peek().is_some_and(|&(_, n)| n.is_lowercase());
            if a.is_lowercase() && c.is_uppercase() && next_lower && run >= 3 {
                return (!CAMEL_WORDS.iter().any(|w| token.contains(w))).then_some(i);
            }
        }
        run = if c.is_alphabetic() { run + 1 } else { 0 };
        prev = Some(c);
    }
    None
}
