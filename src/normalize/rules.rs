//! The credit rules as data ([`RULES`]), and the machinery that applies them: the marker scan
//! that decides which rules are worth running, the peeling of credit segments off the end, the
//! leading credit and the credits between sentences.

use std::sync::LazyLock;

use regex::Regex;

use super::checks::*;
use super::markers::{MarkerHits, end_kinds, marker};
use super::text::{floor_char_boundary, tidy_whitespace_owned};
use super::words::*;

/// How far from the end a credit can start: end rules only look at this many bytes, so a
/// long caption costs no more than a short one.
const TAIL_WINDOW: usize = 400;

/// The longest credit segment a rule removes, in bytes.
const MAX_CREDIT: usize = 300;

/// Where a rule looks for its credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// At the start of the caption, before the caption text.
    Start,
    /// At the end of the caption; end rules are applied again and again, one segment at a time.
    End,
    /// Between two sentences of the caption.
    Inside,
}

/// One named credit rule: where it looks, and an example of what it removes.
pub struct Rule {
    /// A short name for the credit style.
    pub name: &'static str,
    /// Where in the caption the rule looks.
    pub place: Place,
    /// Captions showing credits the rule removes.
    pub example: &'static str,
    kinds: u16,
    /// How far from the end of the text an end rule's credit may start, in bytes: the rule
    /// only looks at that much, which bounds both the credit and the work.
    reach: usize,
    /// Whether candidates that read like a sentence are turned down before the pattern's
    /// groups are worked out (every check of the rule would turn them down).
    screen: bool,
    find: Finder,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule")
            .field("name", &self.name)
            .field("place", &self.place)
            .field("example", &self.example)
            .finish_non_exhaustive()
    }
}

/// How a rule finds its credit in a piece of caption text: the byte range of the credit.
enum Finder {
    /// A pattern with a group named `credit` and groups the check reads (`body`, the text
    /// after a label; `inner`, the text in brackets; `glued`), and a check the candidate must
    /// also pass. When the leftmost candidate fails, later starts are tried.
    Groups(Regex, Check),
    /// A pattern whose whole match is the credit after a left boundary ([`Prefix`]): cheaper,
    /// as no groups are worked out.
    Span(Regex, Prefix, Check),
    /// Code, for styles a pattern cannot say (repeated names, token-level boundaries).
    Code(fn(&str) -> Option<(usize, usize)>),
}

/// What a [`Finder::Span`] pattern matches before its credit.
#[derive(Clone, Copy)]
enum Prefix {
    /// Nothing: the match is the credit.
    None,
    /// [`BOUNDARY`]: one punctuation mark and spaces, ` - `, or the start of the text.
    Boundary,
    /// Whitespace or the start of the text.
    Space,
    /// Three lower-case letters the credit is glued to.
    Glue,
    /// A full stop, `/` and spaces: `madrileño. / NAME`.
    Slash,
}

/// A check of a candidate credit.
type Check = fn(&Found) -> bool;

/// Separators between agencies, which may also be a comma: `REUTERS, NTB`.
const AGENCY_SEP: &str = r"(?:\s*/\s*|\s+\|\s*|\s*[—–]\s*|\s+-\s+|\s+(?:via|vía)\s+|,\s+)";

/// Where a bare credit may start: the start of the caption, the end of a sentence or a
/// separator (a full stop, quote, bracket, dash or bar before it, glued or not).
const BOUNDARY: &str = r#"(?:^|[.!?…:;|)\]"”’»•–—]\s*|\s-\s|\s{2,})"#;

/// Free text after a credit label: no brackets, colons or `©`, except web addresses and short
/// parenthesised remarks such as `(Ausschnitt)` or `(CC BY 2.0)`.
const BODY: &str = r"(?:[^:：()\[\]©]|://|\([^()]*\))*?";

/// The built-in credit rules. A start rule is taken the first time one matches (in this order);
/// at the end, every rule is tried on each step and the credit that starts last (the shortest)
/// comes off first, then the next step begins.
pub static RULES: LazyLock<Vec<Rule>> = LazyLock::new(build_rules);

fn build_rules() -> Vec<Rule> {
    use marker::*;
    let agency = alternation(AGENCIES);
    let lead = format!("(?i:{})", alternation(LEAD_WORDS));
    let given = alternation(GIVEN_BY);
    let name = format!(r"{TOKEN}(?:\s+{TOKEN})*");
    let pattern = |p: String| Regex::new(&p).expect("built-in credit rule compiles");
    vec![
        Rule {
            name: "leading BBC image copyright",
            place: Place::Start,
            example: "Image copyright Getty Images Image caption Scooter Braun ...",
            kinds: COPYRIGHT,
            reach: usize::MAX,
            screen: false,
            find: Finder::Groups(
                pattern(r"^(?P<credit>Image copyright\s.{1,80}?)\s+Image caption\b".into()),
                check_none,
            ),
        },
        Rule {
            name: "leading credit",
            place: Place::Start,
            example: "SN/APA/KEYSTONE/CYRIL ZINGARO Nationaler Trauertag ...; © Getty Images MANCHESTER ...; dpa/Jan Woitas Im Oktober ...; Bild: Jahr MediaAuf der ...",
            kinds: LEAD | COPYRIGHT | AGENCY | SLASH | WEB,
            reach: usize::MAX,
            screen: false,
            find: Finder::Code(leading_credit),
        },
        Rule {
            name: "NPR hide caption",
            place: Place::End,
            example: "... 2015. Chuck Burton/AP hide caption toggle caption Chuck Burton/AP",
            kinds: TOGGLE,
            reach: 300,
            screen: false,
            find: Finder::Code(npr_toggle_caption),
        },
        Rule {
            name: "credit label",
            place: Place::End,
            example: "... rabbitCredit: Getty - Contributor; ... Queens.CreditChang W. Lee/The New York Times; ... policy.CreditCredit...Name/Associated Press",
            kinds: CREDIT,
            reach: 200,
            screen: true,
            find: Finder::Groups(
                pattern(format!(
                    r"(?P<credit>(?:(?i:mandatory)\s+)?(?:(?i:photo|image|picture|foto|pic)\s?)?(?:Credit)?(?:Credits?|CREDITS?|credits?|Crédits?|(?i:créditos?)|Fotocredit)(?:\s+(?i:photo))?(?:\s*[:：]\s*|\s*(?:\.\.\.|…)\s*|(?P<glued>))(?P<body>{BODY}))\s*$"
                )),
                check_label,
            ),
        },
        Rule {
            name: "credit label without colon",
            place: Place::End,
            example: "Credit Harry Campbell; ... agents. Credit Ashraf Shazly/Agence France-Presse — Getty Images",
            kinds: CREDIT,
            reach: 120,
            screen: true,
            find: Finder::Groups(
                pattern(format!(r"(?P<credit>Credit(?:\s+|\s*[—–]\s*)(?P<body>\p{{Lu}}{BODY}))\s*$")),
                check_bare_label,
            ),
        },
        Rule {
            name: "parenthesised credit",
            place: Place::End,
            example: "... (AP Photo/Evan Vucci); ... (Image: Getty); ... (Foto: SLF/Dürr; 14.01.2022).; ... (Lucy Akins)",
            kinds: PAREN,
            reach: 300,
            screen: false,
            find: Finder::Groups(
                pattern(
                    r"(?P<credit>\((?P<inner>(?:[^()]|\([^()]*\))+)\)|\[(?P<inner2>[^\[\]]+)\])\s*\.?\s*$"
                        .into(),
                ),
                check_paren,
            ),
        },
        Rule {
            name: "lead word",
            place: Place::End,
            example: "... Photo: Name; ... Foto: dpa; ... Photograph by Name/Getty Images; ... Bild © Name; ... Screenshot aus Twitter",
            kinds: LEAD,
            reach: 200,
            screen: true,
            find: Finder::Groups(
                pattern(format!(
                    r"(?:^|[\s.!?…:;|)\]”’»•,\-–—]|\p{{Ll}})(?P<credit>(?:(?:(?i:staff|file|archive|handout|pool|stock)\s+)?{lead}(?:[\s-]+(?i:illustration|composite|montage|credit|source|copyright|und Styling|foto|photo))?(?:\s*[:：]\s*(?:©\s*)?|\s*©\s*|\s+(?i:by|via|courtesy(?: of)?|(?:provided|supplied|submitted|contributed|taken)\s+by|(?i:{given})\s+(?:por|par|pela|pelo)|from|di|von|par|por|av|de)\s+|@)|(?i:screenshots?)\s+aus\s+)(?P<body>{BODY}))\s*$"
                )),
                check_lead,
            ),
        },
        Rule {
            name: "lead word without colon",
            place: Place::End,
            example: "... l'organisme. Photo iStock; ... secuestro. FOTO Ángel Flecha.; Courtesy Google",
            kinds: LEAD,
            reach: 100,
            screen: true,
            find: Finder::Groups(
                pattern(format!(
                    r"(?:^|[\s.!?…:;|)\]”’»•,\-–—])(?P<credit>(?i:photos?(?:\s+d['’]archives?)?|fotos?|fot\.|zdj\.|bild|picture|courtesy|capture\s+d['’]écran|screen\s?grab)\s+(?P<body>\p{{L}}{BODY}))\s*$"
                )),
                check_bare_label,
            ),
        },
        Rule {
            name: "submitted photo",
            place: Place::End,
            example: "Jonathan P. Blair Submitted photo; ... Folketinget. PR-foto",
            kinds: LEAD,
            reach: 40,
            screen: false,
            find: Finder::Span(
                pattern(
                    r"(?:^|\s)(?P<credit>(?i:submitted|contributed|handout)\s+(?i:photo|image|picture)|(?i:pr)[\s-](?i:photo|foto|bild|billede|bilde)|(?i:pressefoto|pressebild|pressfoto|pressbild))\s*$"
                        .into(),
                ),
                Prefix::Space,
                check_none,
            ),
        },
        Rule {
            name: "copyright",
            place: Place::End,
            example: "... © Name; ... festlegt© Bundesregierung/Name; ... (c) Name; ... Copyright: Name",
            kinds: COPYRIGHT,
            reach: 200,
            screen: true,
            find: Finder::Groups(
                pattern(format!(
                    r"(?P<credit>(?:©|\([cC]\)|(?i:copyright)\s*(?:[:©]|\(c\)|\d{{4}}))\s*(?:(?i:foto|bild|quelle|photo)\s*:\s*)?(?P<body>{BODY}))\s*$"
                )),
                check_copyright,
            ),
        },
        Rule {
            name: "name/agency chain",
            place: Place::End,
            example: "... Evan Vucci/AP Photo; ... Name / AFP - Getty Images; ... Name | Getty Images; ... Scott Heins/Gothamist",
            kinds: SLASH | AGENCY,
            reach: 160,
            screen: true,
            find: Finder::Span(
                pattern(format!(
                    r"{BOUNDARY}(?P<credit>(?:{name}){SEP}(?:{name})(?:{SEP}(?:{name}))*(?:\s+\((?:Composite|Symbolbild)\))?\.?)\s*$"
                )),
                Prefix::Boundary,
                check_chain,
            ),
        },
        Rule {
            name: "name/agency glued to the caption",
            place: Place::End,
            example: "... connected with its sitesEnglish Heritage/PA",
            kinds: SLASH,
            reach: 80,
            screen: true,
            find: Finder::Span(
                pattern(format!(
                    r"\p{{Ll}}{{3}}(?P<credit>\p{{Lu}}\p{{L}}+(?:\s+{TOKEN})+/{GLUED_AGENCY}(?:/Getty)?)\s*$"
                )),
                Prefix::Glue,
                check_none,
            ),
        },
        Rule {
            name: "name, agency",
            place: Place::End,
            example: "Patrick Semansky, ASSOCIATED PRESS; ITV, ASSOCIATED PRESS",
            kinds: AGENCY,
            reach: 80,
            screen: true,
            find: Finder::Span(
                pattern(format!(
                    r"{BOUNDARY}(?P<credit>{TOKEN}(?:\s+{TOKEN}){{0,2}},\s+{agency})\s*$"
                )),
                Prefix::Boundary,
                check_name_agency,
            ),
        },
        Rule {
            name: "agency",
            place: Place::End,
            example: "... on Monday. Getty Images; ... in LondonPA; ... in MilanAFP via Getty Images; ... .Reuters",
            kinds: AGENCY,
            reach: 80,
            screen: true,
            find: Finder::Span(
                pattern(format!(
                    r"(?P<credit>{agency}(?:{AGENCY_SEP}{agency})*(?:\s+(?:Photo|Images|file|files))?(?:\s+for\s+\p{{Lu}}[\p{{L}}\p{{M}}&'’.\-]*(?:\s+\p{{Lu}}[\p{{L}}\p{{M}}&'’.\-]*){{0,3}})?(?:\s+\((?:Composite|Symbolbild)\))?\.?)\s*$"
                )),
                Prefix::None,
                check_agency,
            ),
        },
        Rule {
            name: "name after a slash",
            place: Place::End,
            example: "Sala de espera de un ambulatorio madrileño. / GORKA LEJARCEGI",
            kinds: SLASH,
            reach: 60,
            screen: true,
            find: Finder::Span(
                pattern(format!(r"[.!?]\s*/\s*(?P<credit>{name})\s*$")),
                Prefix::Slash,
                check_name,
            ),
        },
        Rule {
            name: "name and e-mail",
            place: Place::End,
            example: "... December 2015. Roberto Koltun rkoltun@elnuevoherald.com",
            kinds: AT,
            reach: 100,
            screen: true,
            find: Finder::Span(
                pattern(format!(
                    r"{BOUNDARY}(?P<credit>(?:{name})\s+[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+)\s*$"
                )),
                Prefix::Boundary,
                check_body,
            ),
        },
        Rule {
            name: "parenthesised credit between sentences",
            place: Place::Inside,
            example: "... Littleton, Colo. (AP Photo/David Zalubowski) In this Sunday ...",
            kinds: INNER,
            reach: usize::MAX,
            screen: false,
            find: Finder::Groups(
                pattern(
                    r"[.!?]\s+(?P<credit>\((?:AP Photo|(?i:photo|foto|bild|image|credit))[^\p{L}][^()]*\))\s+\p{Lu}"
                        .into(),
                ),
                check_none,
            ),
        },
    ]
}

/// A label left at the end once its credit came off (`Photo:` before `Name/AP`,
/// `Photographs by` before `Photo: Name`, `Image copyright` before `Getty Images`, `Bild`
/// before `© Name`, `Credit` glued before `Kevin Frayer/Getty Images`): it joins the credit.
static DANGLING_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let lead = alternation(LEAD_WORDS);
    Regex::new(&format!(
        r"(?:^|[\s.!?…:;|)\]”’»•,\-–—]|\p{{Ll}})(?P<label>(?:(?i:{lead})(?:\s+(?i:illustration|composite|montage|credit|source|photo))?|(?:Credit)?(?:Credits?|CREDITS?|Crédits?)|Image)(?P<tie>\s*[:：]|\s*(?:\.\.\.|…)|\s+(?i:by|via|courtesy(?:\s+of)?|from|copyright)|\s+photo\s*[:：])?)\s*$",
    ))
    .expect("dangling label pattern compiles")
});

/// Strips `text` (whitespace tidied) with the built-in rules: the caption and the credit
/// segments in textual order; `None` for a caption without markers, which stays as it is.
pub(super) fn strip(text: &str, known: Option<MarkerHits>) -> Option<Stripping> {
    let markers = known.unwrap_or_else(|| MarkerHits::scan(text));
    if markers.is_empty() && end_kinds(text) == 0 {
        return None;
    }
    Some(strip_builtin(text, &markers))
}

/// What one pass of the built-in rules did.
pub(super) struct Stripping {
    /// The caption left.
    pub caption: String,
    /// The credit segments removed, in textual order, each with the name of its rule.
    pub credits: Vec<(String, &'static str)>,
    /// The markers of `caption`, when it is a piece of the text stripped and they could be
    /// taken from its scan (the next pass need not scan again).
    pub markers: Option<MarkerHits>,
}

/// Applies the built-in rules whose marker kinds occur in `text`: the start once, the end
/// until nothing more comes off, then between sentences.
fn strip_builtin(text: &str, markers: &MarkerHits) -> Stripping {
    let mut head: Option<(&str, &'static str)> = None;
    let mut end = peel_end(text, 0, markers);
    // A caption that is all credit (`CreditKevin Frayer/Getty Images`) comes off the end
    // whole; only otherwise can it open with a credit.
    if end.hi > 0 {
        let kinds = markers.kinds_in(0..text.len().min(START_REACH));
        let start = RULES
            .iter()
            .filter(|r| r.place == Place::Start && r.kinds & kinds != 0)
            .find_map(|r| r.find(text).map(|found| (r.name, found)));
        if let Some((name, (_, head_end))) = start {
            head = Some((&text[..head_end], name));
            let lo = head_end
                + (text[head_end..].len() - trim_separators_start(&text[head_end..]).len());
            end = peel_end(text, lo, markers);
        }
    }
    let kinds = markers.kinds_in(end.lo..end.hi);
    let mut middle = text[end.lo..end.hi].to_owned();
    let mut inside: Vec<(String, &'static str)> = Vec::new();
    for rule in RULES
        .iter()
        .filter(|r| r.place == Place::Inside && r.kinds & kinds != 0)
    {
        while let Some((start, stop)) = rule.find(&middle) {
            inside.push((middle[start..stop].to_owned(), rule.name));
            middle = format!(
                "{} {}",
                middle[..start].trim_end(),
                middle[stop..].trim_start()
            );
        }
    }
    // Built in place: a huge caption is not copied again.
    let mut caption = middle;
    caption.truncate(caption.trim_end().len());
    caption.push_str(&end.suffix);
    let caption = tidy_whitespace_owned(caption);
    let markers = text[end.lo..]
        .starts_with(&caption)
        .then(|| markers.within(end.lo..end.lo + caption.len()));
    let mut credits: Vec<(String, &'static str)> = head
        .map(|(piece, name)| (piece.to_owned(), name))
        .into_iter()
        .collect();
    credits.extend(inside);
    credits.extend(
        end.pieces
            .iter()
            .rev()
            .map(|(piece, name)| ((*piece).to_owned(), *name)),
    );
    Stripping {
        caption,
        credits,
        markers,
    }
}

/// How far from the start a leading credit's markers may be.
const START_REACH: usize = 200;

/// What came off the end of a caption.
struct EndPeel<'t> {
    /// Where the caption text starts (after a leading credit).
    lo: usize,
    /// Where the caption text ends.
    hi: usize,
    /// The credit segments with their rules' names, last first.
    pieces: Vec<(&'t str, &'static str)>,
    /// What the rules left after their credits (the full stop of `... Congreso (Foto: X).`),
    /// to go back on the caption.
    suffix: String,
}

/// Peels credit segments off the end of `text[lo..]` until no end rule matches.
fn peel_end<'t>(text: &'t str, lo: usize, markers: &MarkerHits) -> EndPeel<'t> {
    let mut peel = EndPeel {
        lo,
        hi: text.len(),
        pieces: Vec::new(),
        suffix: String::new(),
    };
    while peel.hi > lo {
        let window_start = floor_char_boundary(text, peel.hi.saturating_sub(TAIL_WINDOW).max(lo));
        let window = &text[window_start..peel.hi];
        let at_end = end_kinds(window);
        let mut best: Option<(usize, usize, &'static str)> = None;
        for rule in RULES.iter().filter(|r| r.place == Place::End) {
            // The rule sees its reach and the char before it (a credit's left boundary), and
            // runs only when one of its markers lies there.
            let from = floor_char_boundary(window, window.len().saturating_sub(rule.reach + 4));
            let kinds = at_end | markers.kinds_in(window_start + from..peel.hi);
            if rule.kinds & kinds == 0 {
                continue;
            }
            let Some((start, end)) = rule.find(&window[from..]) else {
                continue;
            };
            let (start, end) = (from + start, from + end);
            // A credit cannot start where the text was cut, unless that is the caption start.
            if start == from && window_start + from > lo {
                continue;
            }
            if best.is_none_or(|(s, _, _)| start > s) {
                best = Some((start, end, rule.name));
            }
        }
        let Some((mut start, end, name)) = best else {
            break;
        };
        while let Some(label) = dangling_label(&window[..start], &window[start..end]) {
            start = label;
        }
        peel.pieces.push((window[start..end].trim(), name));
        let after = window[end..].trim();
        if !after.is_empty() {
            peel.suffix.insert_str(0, after);
        }
        peel.hi = (window_start + trim_separators(&window[..start]).len()).max(lo);
    }
    peel
}

/// Where a label left just before a credit that came off starts, if it belongs to that credit
/// (see [`DANGLING_LABEL`]): a label with its colon or `by`, a bare label before `©`, or
/// `Credit` glued to the name.
fn dangling_label(before: &str, credit: &str) -> Option<usize> {
    // `... USA© picture alliance/dpa`, `... © Foto: Skoda`: a copyright sign joins its credit.
    let trimmed = before.trim_end();
    if let Some(sign) = trimmed.strip_suffix('©') {
        return Some(sign.len());
    }
    let caps = DANGLING_LABEL.captures(before)?;
    let label = caps.name("label")?;
    let tied = caps.name("tie").is_some();
    let glued_credit = label.as_str().ends_with("Credit")
        && label.end() == before.len()
        && credit.starts_with(char::is_uppercase);
    let before_copyright = credit.starts_with('©');
    // A lower-case label glued to letters ends a compound (`Archivfoto:`, `Pressebild:`): the
    // whole word is the label.
    let mut start = label.start();
    if label.as_str().starts_with(char::is_lowercase)
        && before[..start].ends_with(char::is_alphabetic)
    {
        start = before[..start]
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map_or(start, |(i, _)| i);
    }
    // A lower-case label after a word is part of the sentence (`a photo by`).
    let after_word = before[..start]
        .trim_end_matches(' ')
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
        && before[..start].ends_with(' ');
    if after_word && before[start..].starts_with(char::is_lowercase) {
        return None;
    }
    (tied || before_copyright || glued_credit).then_some(start)
}

impl Rule {
    /// The byte range of this rule's credit in `text`, if it has one there.
    fn find(&self, text: &str) -> Option<(usize, usize)> {
        let (re, check) = match &self.find {
            Finder::Code(f) => return f(text),
            Finder::Groups(re, check) | Finder::Span(re, _, check) => (re, check),
        };
        // Later starts, when the leftmost candidate is not a credit: `... this photo of a 1930s
        // office worker ... Photograph by Name` is tried from `Photograph`.
        let mut from = 0;
        for _ in 0..24 {
            let found = re.find_at(text, from)?;
            from = found.start() + text[found.start()..].chars().next()?.len_utf8();
            // Candidates that read like a sentence are turned down before any groups are
            // worked out; every check would turn them down too.
            if self.screen && reads_like_a_sentence(found.as_str()) {
                continue;
            }
            let candidate = match &self.find {
                Finder::Span(_, prefix, _) => Found {
                    text,
                    credit: found.start() + prefix.len(found.as_str())..found.end(),
                    body: None,
                    inner: None,
                    glued: None,
                },
                _ => {
                    let caps = re.captures_at(text, found.start())?;
                    let range = |name: &str| caps.name(name).map(|m| m.range());
                    Found {
                        text,
                        credit: range("credit")?,
                        body: range("body"),
                        inner: range("inner").or_else(|| range("inner2")),
                        glued: caps.name("glued").map(|m| m.end()),
                    }
                }
            };
            let credit = candidate.credit.clone();
            if credit.start < credit.end
                && credit.len() <= MAX_CREDIT
                && !inside_acronym(text, credit.start)
                && check(&candidate)
            {
                return Some((credit.start, credit.end));
            }
        }
        None
    }
}

impl Prefix {
    /// How many bytes of `matched` come before the credit.
    fn len(self, matched: &str) -> usize {
        let skip_spaces = |s: &str| s.len() - s.trim_start().len();
        match self {
            Prefix::None => 0,
            Prefix::Space => skip_spaces(matched),
            Prefix::Glue => matched.char_indices().nth(3).map_or(0, |(i, _)| i),
            Prefix::Slash => matched
                .find('/')
                .map_or(0, |i| i + 1 + skip_spaces(&matched[i + 1..])),
            Prefix::Boundary => {
                if let Some(rest) = matched.strip_prefix(" - ") {
                    return matched.len() - rest.len();
                }
                let mut chars = matched.char_indices();
                match chars.next() {
                    Some((_, c)) if ".!?…:;|)]\"”’»•–—".contains(c) => {
                        let after = c.len_utf8();
                        after + skip_spaces(&matched[after..])
                    }
                    _ => skip_spaces(matched),
                }
            }
        }
    }
}

/// A quick test on a candidate credit before its groups are worked out: more than 20 words,
/// or a word that only sentences have. Every check that follows would turn it down too.
fn reads_like_a_sentence(candidate: &str) -> bool {
    let mut words = 0;
    for w in candidate.split_ascii_whitespace() {
        words += 1;
        if words > 20 || is_sentence_word(w.trim_matches(|c: char| !c.is_alphanumeric())) {
            return true;
        }
    }
    false
}

/// Whether `start` falls inside a dotted acronym (`D.C.`, `U.S.`): a capital and a full stop
/// right after another capital and full stop. A credit never starts there.
fn inside_acronym(text: &str, start: usize) -> bool {
    let before = &text[..start];
    let mut back = before.chars().rev();
    let glued_after_initial =
        matches!((back.next(), back.next()), (Some('.'), Some(c)) if c.is_uppercase());
    let mut next = text[start..].chars();
    glued_after_initial && next.next().is_some_and(char::is_uppercase) && next.next() == Some('.')
}

/// Whether `c` separates a credit from the caption (`caption - Photo: X`, `caption | Name`).
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '|' | '·' | '•' | '-' | '–' | '—' | '/' | ',' | ';')
}

/// Separators left dangling once a credit is cut off: `caption - Photo: X` keeps `caption`.
fn trim_separators(s: &str) -> &str {
    s.trim_end_matches(is_separator)
}

/// Separators left at the start once a leading credit is cut off.
fn trim_separators_start(s: &str) -> &str {
    s.trim_start_matches(is_separator)
}
