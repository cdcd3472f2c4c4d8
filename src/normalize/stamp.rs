//! A page's date stamp after a caption: `... on Monday. Posted on March 3, 2017`,
//! `... the new law 3 hours ago`, `... ｜ 2022年8月10日`. Teasers and galleries carry the day
//! the page was published, not a fact of the photo, so the same caption with and without its
//! stamp (or with two stamps) is the same caption. The stamp stays in the caption people see;
//! only the comparison key ([`comparison_key`](super::comparison_key)) leaves it out, as it
//! leaves out the punctuation that ends a caption.
//!
//! A date that belongs to the caption's sentence stays in the key, so two photos of different
//! days are still told apart: a date after a comma (`in Minsk, Sunday, Sept. 13, 2020`), after a
//! preposition or a weekday (`on Jan. 23, 2016`, `taken March 3, 2017`), a year alone, or a time
//! without a publishing label (`at 3:45 pm`).

use std::sync::LazyLock;

use regex::Regex;

/// Month names of the folded key (English, German, French, Spanish, Italian, Dutch), long and
/// short.
const MONTHS: &str = "jan|january|janv|janvier|januar|jänner|enero|gennaio|januari\
    |feb|february|febr|februar|février|fevrier|febrero|febbraio|februari\
    |mar|march|märz|maerz|mars|marzo|maart\
    |apr|april|avr|avril|abril|aprile\
    |may|mai|mayo|maggio|mei\
    |jun|june|juni|juin|junio|giugno\
    |jul|july|juli|juil|juillet|julio|luglio\
    |aug|august|août|aout|agosto|augustus\
    |sep|sept|september|septembre|septiembre|settembre\
    |oct|october|okt|oktober|octobre|octubre|ottobre\
    |nov|november|novembre|noviembre\
    |dec|december|dez|dezember|déc|décembre|decembre|diciembre|dicembre";

/// Words that open a page's stamp.
const LABELS: &str = "posted|published|updated|last updated|modified|first published\
    |veröffentlicht|aktualisiert|zuletzt aktualisiert|publié|publie|mis à jour|mis a jour\
    |publicado|actualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt";

/// A stamp at the end of a folded key (the caller checks what stands before `sep`).
static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    let date = [
        format!(r"(?:{MONTHS})\.?\s\d{{1,2}}(?:st|nd|rd|th)?,?\s\d{{4}}"),
        format!(r"\d{{1,2}}(?:st|nd|rd|th|\.)?\s(?:de\s)?(?:{MONTHS})\.?(?:\sde)?,?\s\d{{4}}"),
        r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})".to_owned(),
        r"\d{4}[./-]\d{1,2}[./-]\d{1,2}".to_owned(),
        r"\d{4}年\d{1,2}月\d{1,2}日".to_owned(),
    ]
    .join("|");
    let time = r"\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?(?:\s(?:uhr|[a-z]{2,4}))?";
    let ago = [
        r"(?:\d+|an?|one)\s(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\sago",
        r"vor\s\d+\s(?:sekunden|minuten|stunden|tagen|wochen|monaten|jahren)",
        r"il\sy\sa\s\d+\s(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)",
        r"hace\s\d+\s(?:segundos?|minutos?|horas?|días?|dias?|semanas?|meses?|años?|anos?)",
    ]
    .join("|");
    let label = format!(r"(?:{LABELS})(?:\s(?:on|at|am|um|le|el|il|op))?:?\s");
    // A weekday before a labelled date (`Updated 3:45 PM ET, Fri March 3, 2017`), where it
    // cannot be the caption's own.
    let weekday = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?|[a-z]+day),?\s";
    let stamp = [
        format!(r"(?:{label})?(?:{date})(?:,?\s(?:at\s|um\s|à\s|a\slas\s)?{time})?"),
        format!(r"(?:{label})(?:{weekday})(?:{date})(?:,?\s(?:at\s|um\s|à\s|a\slas\s)?{time})?"),
        format!(r"(?:{label})?{time},?\s(?:{date})"),
        format!(r"(?:{label}){time},?\s(?:{weekday})(?:{date})"),
        format!(r"(?:{label}){time}"),
        format!(r"(?:{label})?(?:{ago})"),
    ]
    .join("|");
    Regex::new(&format!(
        r"(?P<sep>\s*[|·•]\s*|\s+-\s+|\s+)(?P<stamp>{stamp})$"
    ))
    .expect("the stamp pattern compiles")
});

/// Words after which a date belongs to the sentence: prepositions, weekdays (English ones are
/// any word ending in `day`), and the verbs that date a photo (`taken March 3, 2017`).
#[rustfmt::skip]
const SENTENCE_BEFORE_DATE: &[&str] = &[
    "on", "in", "at", "since", "from", "until", "till", "to", "by", "of", "before", "after",
    "between", "and", "or", "through", "circa", "c.", "ca.", "dated", "taken", "shot",
    "photographed", "filmed", "recorded", "born", "died", "as", "the", "this", "last", "next",
    "than", "am", "im", "vom", "seit", "bis", "zum", "le", "du", "depuis", "au", "en",
    "el", "del", "desde", "hasta", "de", "il", "dal", "al", "op", "van", "sonntag", "montag",
    "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "dimanche", "lundi", "mardi",
    "mercredi", "jeudi", "vendredi", "samedi", "domingo", "lunes", "martes", "miércoles",
    "jueves", "viernes", "sábado",
];

/// How far from the end of a key a stamp's digits can stand, in bytes (`Zuletzt aktualisiert
/// am 03.03.2017 um 10:15 Uhr`, a relative time in words after its number).
const STAMP_TAIL: usize = 80;

/// The fewest letters and digits a key keeps in front of a stamp it loses (counted, not words:
/// Japanese and Chinese headlines have few spaces).
const MIN_LEFT: usize = 10;

/// Where the stamp at the end of folded `key` starts (its separator included), if it has one
/// that is not part of the caption's sentence.
pub(super) fn stamp_start(key: &str) -> Option<usize> {
    // Every stamp holds a digit near the end of the key, but for `a day ago`: a cheap first
    // look, so that most keys (every caption's key comes here) never run the pattern. A tail
    // that is not ASCII may hold another script's digits (`\d` is Unicode): it runs the pattern.
    let tail = &key.as_bytes()[key.len().saturating_sub(STAMP_TAIL)..];
    if !(tail.iter().any(u8::is_ascii_digit) || !tail.is_ascii() || key.ends_with("ago")) {
        return None;
    }
    let m = STAMP.captures(key)?;
    let sep = m.name("sep")?;
    let before = &key[..sep.start()];
    let separated = sep
        .as_str()
        .trim()
        .chars()
        .any(|c| matches!(c, '|' | '·' | '•' | '-'));
    if before.ends_with([',', ';', ':', '(', '['])
        || before.chars().filter(|c| c.is_alphanumeric()).count() < MIN_LEFT
    {
        return None;
    }
    let stamp = m.name("stamp").map_or("", |s| s.as_str());
    let labelled = LABELS_RE.is_match(stamp);
    let ended = before.ends_with(['.', '!', '?']);
    if !separated && !labelled && !ended {
        // `I told you 5 minutes ago`: a relative time needs a label or a break before it.
        if AGO_RE.is_match(stamp) {
            return None;
        }
        let word = before.split_whitespace().next_back().unwrap_or("");
        let word = word.trim_end_matches(['\'', '"', ')']);
        if SENTENCE_BEFORE_DATE.contains(&word) || word.ends_with("day") || word.ends_with("'s") {
            return None;
        }
    }
    Some(sep.start())
}

/// Whether a stamp is a relative time (`3 hours ago`).
static AGO_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d+|an?|one)\s\S+\sago$|^(?:vor|il|hace)\s").expect("the pattern compiles")
});

/// Whether a stamp opens with a publishing label.
static LABELS_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^(?:{LABELS})\b")).expect("the labels compile"));
