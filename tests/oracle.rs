//! Differential test: the library's clustering against a brute-force oracle built on `strsim`.
//!
//! Captions are generated from a few base sentences over a small vocabulary, then repeated
//! exactly, with 1-3 character edits (substitutions, insertions, deletions, transpositions)
//! and with case / whitespace / quote variants, so that many pairs sit around the usual
//! thresholds. With credits kept and boilerplate off, the comparison key of a caption is
//! exactly `comparison_key(&tidy_whitespace(text))`; the oracle recomputes the keys, collapses
//! exact duplicates, and clusters by comparing all pairs with `strsim`.

use std::collections::{BTreeMap, HashMap};

use capdedup::normalize::tidy_whitespace;
use capdedup::{BoilerplateMode, Deduper, Linkage, Metric, Report, comparison_key};
use proptest::prelude::*;
use proptest::sample::Index;

const THRESHOLDS: [f64; 7] = [0.0, 0.5, 0.8, 0.85, 0.9, 0.95, 1.0];

// ---- the oracle -------------------------------------------------------------------------

/// The similarity of two keys as `strsim` computes it (`Metric::Osa` from `osa_distance`).
fn oracle_similarity(metric: Metric, a: &str, b: &str) -> f64 {
    match metric {
        Metric::Levenshtein => strsim::normalized_levenshtein(a, b),
        Metric::Damerau => strsim::normalized_damerau_levenshtein(a, b),
        Metric::Osa => {
            let longest = a.chars().count().max(b.chars().count());
            if longest == 0 {
                1.0
            } else {
                1.0 - strsim::osa_distance(a, b) as f64 / longest as f64
            }
        }
        Metric::JaroWinkler => strsim::jaro_winkler(a, b),
        Metric::SorensenDice => strsim::sorensen_dice(a, b),
    }
}

/// Distinct comparison keys with the lines (1-based) that carry them, in centre order:
/// count descending, length in characters descending, then bytes.
struct Keys {
    text: Vec<String>,
    lines: Vec<Vec<u64>>,
}

fn oracle_keys(captions: &[String]) -> Keys {
    let mut by_key: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for (i, c) in captions.iter().enumerate() {
        by_key
            .entry(comparison_key(&tidy_whitespace(c)))
            .or_default()
            .push(i as u64 + 1);
    }
    let mut keys: Vec<(String, Vec<u64>)> = by_key.into_iter().collect();
    keys.sort_by(|(ka, la), (kb, lb)| {
        lb.len()
            .cmp(&la.len())
            .then_with(|| kb.chars().count().cmp(&ka.chars().count()))
            .then_with(|| ka.as_bytes().cmp(kb.as_bytes()))
    });
    let (text, lines) = keys.into_iter().unzip();
    Keys { text, lines }
}

/// All pairwise similarities of the keys under one metric (threshold-independent).
/// Computed as `sim(earlier, later)` in centre order, the direction the library compares a
/// centre (or a canonical key) with a member, and mirrored: single linkage is only checked
/// with Levenshtein, which is symmetric.
fn similarity_matrix(keys: &Keys, metric: Metric) -> Vec<Vec<f64>> {
    let n = keys.text.len();
    let mut sim = vec![vec![1.0; n]; n];
    for (i, a) in keys.text.iter().enumerate() {
        for (j, b) in keys.text.iter().enumerate().skip(i + 1) {
            let s = oracle_similarity(metric, a, b);
            sim[i][j] = s;
            sim[j][i] = s;
        }
    }
    sim
}

/// A cluster as the oracle sees it: member lines (sorted) and min similarity to its centre.
type OracleCluster = (Vec<u64>, f64);

/// Centre clustering by brute force: each untaken key in centre order becomes a centre and
/// takes every untaken key with similarity >= threshold.
fn oracle_centre(keys: &Keys, sim: &[Vec<f64>], threshold: f64) -> Vec<OracleCluster> {
    let n = keys.text.len();
    let mut taken = vec![false; n];
    let mut out = Vec::new();
    for c in 0..n {
        if taken[c] {
            continue;
        }
        taken[c] = true;
        let mut group = vec![c];
        for j in 0..n {
            if !taken[j] && sim[c][j] >= threshold {
                taken[j] = true;
                group.push(j);
            }
        }
        out.push(finish_group(keys, sim, &group));
    }
    out
}

/// Single linkage by brute force: union-find over all pairs with similarity >= threshold.
fn oracle_single(keys: &Keys, sim: &[Vec<f64>], threshold: f64) -> Vec<OracleCluster> {
    let n = keys.text.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            x = parent[x];
        }
        x
    }
    for (i, row) in sim.iter().enumerate() {
        for (j, &s) in row.iter().enumerate() {
            if i != j && s >= threshold {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups
        .into_values()
        .map(|g| finish_group(keys, sim, &g))
        .collect()
}

/// `group` is in centre order (its first key is the centre / the canonical's key).
fn finish_group(keys: &Keys, sim: &[Vec<f64>], group: &[usize]) -> OracleCluster {
    let centre = group[0];
    debug_assert!(group.iter().all(|&k| k >= centre));
    let mut lines: Vec<u64> = group
        .iter()
        .flat_map(|&k| keys.lines[k].iter().copied())
        .collect();
    lines.sort_unstable();
    let min = group
        .iter()
        .map(|&k| if k == centre { 1.0 } else { sim[centre][k] })
        .fold(1.0_f64, f64::min);
    (lines, min)
}

// ---- comparing ----------------------------------------------------------------------------

/// The library in its exact mode: the oracle checks the clustering itself. Whether the
/// candidate index finds every pair is a recall question, measured separately; the facts veto
/// (a filter on the pairs found) is off, as the oracle knows only the metric.
fn library(captions: &[String], metric: Metric, linkage: Linkage, threshold: f64) -> Report {
    Deduper::builder()
        .veto(capdedup::Veto::None)
        .exhaustive(true)
        .keep_credits(true)
        .boilerplate(BoilerplateMode::Keep)
        .metric(metric)
        .linkage(linkage)
        .threshold(threshold)
        .build()
        .expect("valid options")
        .cluster_texts(captions)
}

fn check(
    captions: &[String],
    metric: Metric,
    linkage: Linkage,
    threshold: f64,
    want: &[OracleCluster],
) -> Result<(), TestCaseError> {
    let report = library(captions, metric, linkage, threshold);
    let ctx = format!("{metric} {linkage:?} threshold {threshold}");
    prop_assert_eq!(report.records, captions.len() as u64, "{}", ctx);

    let mut got: Vec<Vec<u64>> = Vec::new();
    let mut got_min: HashMap<Vec<u64>, f64> = HashMap::new();
    for c in &report.clusters {
        prop_assert_eq!(c.count, c.members.len() as u64, "{}: {:?}", ctx, c);
        prop_assert!(c.members.iter().all(|m| &*m.file == "-"), "{}", ctx);
        let lines: Vec<u64> = c.members.iter().map(|m| m.line).collect();
        let mut sorted = lines.clone();
        sorted.sort_unstable();
        prop_assert_eq!(&lines, &sorted, "{}: members in input order", ctx);
        got_min.insert(sorted.clone(), c.min_similarity);
        got.push(sorted);
    }
    got.sort();
    let mut expected: Vec<Vec<u64>> = want.iter().map(|(l, _)| l.clone()).collect();
    expected.sort();
    prop_assert_eq!(&got, &expected, "{}: partitions differ", ctx);

    for (lines, min) in want {
        let lib = got_min[lines];
        prop_assert!(
            lib == *min,
            "{}: min_similarity of cluster {:?}: library {} oracle {}",
            ctx,
            lines,
            lib,
            min
        );
    }
    Ok(())
}

fn run_all(captions: &[String]) -> Result<(), TestCaseError> {
    let keys = oracle_keys(captions);
    for metric in Metric::ALL {
        let sim = similarity_matrix(&keys, metric);
        for t in THRESHOLDS {
            check(
                captions,
                metric,
                Linkage::Centre,
                t,
                &oracle_centre(&keys, &sim, t),
            )?;
            if metric == Metric::Levenshtein {
                check(
                    captions,
                    metric,
                    Linkage::Single,
                    t,
                    &oracle_single(&keys, &sim, t),
                )?;
            }
        }
    }
    Ok(())
}

// ---- generating captions --------------------------------------------------------------------

const WORDS: &[&str] = &[
    "riot",
    "police",
    "detain",
    "a",
    "protester",
    "in",
    "Minsk",
    "on",
    "Sunday,",
    "Sept.",
    "13,",
    "2020.",
    "the",
    "woman",
    "holds",
    "flag",
    "near",
    "line",
    "officers",
    "it's",
    "\"free\"",
    "'peace'",
    "café",
    "Straße",
    "naïve",
    "ﬁnal",
    "—",
    "march",
    "city",
    "centre",
    "Belarus.",
    "crowd",
    "gathers",
    "outside",
    "court",
    "AP",
    "(left)",
    "Mr.",
    "Lukashenko's",
    "rally",
];

/// Characters used by edits: letters, a few folded ones, punctuation, quotes and space.
const EDIT_CHARS: &[char] = &[
    'a', 'e', 'i', 'o', 'r', 's', 't', 'n', 'M', 'P', 'é', 'ß', '.', ',', ' ', '\'', '’', '"', '“',
    '-', '–',
];

#[derive(Debug, Clone)]
enum Edit {
    Substitute(Index, char),
    Insert(Index, char),
    Delete(Index),
    Transpose(Index),
}

#[derive(Debug, Clone)]
enum Style {
    Upper,
    Lower,
    Title,
    ExtraSpaces,
    Tabs,
    NoBreakSpaces,
    CurlyQuotes,
    StraightQuotes,
    Padded,
}

#[derive(Debug, Clone)]
enum Derive {
    Exact,
    Edited(Vec<Edit>),
    Styled(Style),
    EditedStyled(Vec<Edit>, Style),
}

fn edit() -> impl Strategy<Value = Edit> {
    let ch = proptest::sample::select(EDIT_CHARS);
    prop_oneof![
        (any::<Index>(), ch.clone()).prop_map(|(i, c)| Edit::Substitute(i, c)),
        (any::<Index>(), ch).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<Index>().prop_map(Edit::Delete),
        any::<Index>().prop_map(Edit::Transpose),
    ]
}

fn style() -> impl Strategy<Value = Style> {
    prop_oneof![
        Just(Style::Upper),
        Just(Style::Lower),
        Just(Style::Title),
        Just(Style::ExtraSpaces),
        Just(Style::Tabs),
        Just(Style::NoBreakSpaces),
        Just(Style::CurlyQuotes),
        Just(Style::StraightQuotes),
        Just(Style::Padded),
    ]
}

fn derive() -> impl Strategy<Value = Derive> {
    prop_oneof![
        3 => Just(Derive::Exact),
        4 => proptest::collection::vec(edit(), 1..=3).prop_map(Derive::Edited),
        2 => style().prop_map(Derive::Styled),
        2 => (proptest::collection::vec(edit(), 1..=3), style())
            .prop_map(|(e, s)| Derive::EditedStyled(e, s)),
    ]
}

fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        match e {
            Edit::Substitute(i, c) if !chars.is_empty() => {
                let i = i.index(chars.len());
                chars[i] = *c;
            }
            Edit::Insert(i, c) => {
                let i = i.index(chars.len() + 1);
                chars.insert(i, *c);
            }
            Edit::Delete(i) if !chars.is_empty() => {
                let i = i.index(chars.len());
                chars.remove(i);
            }
            Edit::Transpose(i) if chars.len() >= 2 => {
                let i = i.index(chars.len() - 1);
                chars.swap(i, i + 1);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn apply_style(text: &str, style: &Style) -> String {
    match style {
        Style::Upper => text.to_uppercase(),
        Style::Lower => text.to_lowercase(),
        Style::Title => text
            .split(' ')
            .map(|w| {
                let mut cs = w.chars();
                match cs.next() {
                    Some(f) => f.to_uppercase().chain(cs).collect(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        Style::ExtraSpaces => text.replace(' ', "  "),
        Style::Tabs => text.replacen(' ', "\t", 2),
        Style::NoBreakSpaces => text.replace(' ', "\u{a0}"),
        Style::CurlyQuotes => {
            let mut open = true;
            text.chars()
                .map(|c| match c {
                    '\'' => '’',
                    '"' => {
                        open = !open;
                        if open { '”' } else { '“' }
                    }
                    c => c,
                })
                .collect()
        }
        Style::StraightQuotes => text.replace(['’', '‘'], "'").replace(['“', '”'], "\""),
        Style::Padded => format!("  {text} \n"),
    }
}

fn derive_caption(base: &str, d: &Derive) -> String {
    match d {
        Derive::Exact => base.to_owned(),
        Derive::Edited(e) => apply_edits(base, e),
        Derive::Styled(s) => apply_style(base, s),
        Derive::EditedStyled(e, s) => apply_style(&apply_edits(base, e), s),
    }
}

/// 1-5 base sentences of 2-10 words, then up to 45 captions derived from them (each base
/// also appears once as written).
fn captions() -> impl Strategy<Value = Vec<String>> {
    let base = proptest::collection::vec(proptest::sample::select(WORDS), 2..=10)
        .prop_map(|w| w.join(" "));
    proptest::collection::vec(base, 1..=5).prop_flat_map(|bases| {
        let n = bases.len();
        proptest::collection::vec((0..n, derive()), 0..=(45 - n)).prop_map(move |derived| {
            let mut out = bases.clone();
            out.extend(derived.iter().map(|(b, d)| derive_caption(&bases[*b], d)));
            out
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn clusters_match_the_brute_force_oracle(captions in captions()) {
        run_all(&captions)?;
    }
}

// ---- fixed cases ------------------------------------------------------------------------------

#[test]
fn fixed_cases_match_the_oracle() {
    let cases: Vec<Vec<&str>> = vec![
        vec![],
        vec![""],
        vec!["", " ", "a", "A", "ab"],
        vec![
            "Riot police detain a protester in Minsk.",
            "Riot police detain a protestor in Minsk.",
            "riot  police detain a protester in minsk.",
            "Riot police detain a protester in Minsk!",
            "Riot police detain protesters in Minsk.",
            "A woman holds a flag near a police line.",
            "A woman holds a flag near the police line.",
            "It’s “free”",
            "It's \"free\"",
            "Its free",
        ],
        // A chain: single linkage joins what centre clustering keeps apart.
        vec![
            "aaaaaaaaaa",
            "aaaaaaaaab",
            "aaaaaaaabb",
            "aaaaaaabbb",
            "aaaaaabbbb",
        ],
        // Longer than 64 characters: the multi-word bit-parallel kernel.
        vec![
            "Riot police officers detain a protester in Minsk, Belarus, Sunday, Sept. 13, 2020 and more",
            "Riot police officers detain a protestor in Minsk, Belarus, Sunday, Sept. 13, 2020 and more",
            "Riot police officers detained protesters in Minsk, Belarus, Sunday, Sept. 13, 2020 and more!",
            "Riot police officers detain a protester in Minsk, Belarus, Sunday, Sept. 13, 2020",
        ],
    ];
    for captions in cases {
        let captions: Vec<String> = captions.into_iter().map(str::to_owned).collect();
        run_all(&captions).unwrap_or_else(|e| panic!("{captions:?}: {e}"));
    }
}

/// The oracle's own centre order: count descending, length descending, then bytes.
#[test]
fn oracle_centre_order() {
    let captions: Vec<String> = ["b", "a", "bb", "a", "c", "ab"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let keys = oracle_keys(&captions);
    assert_eq!(keys.text, ["a", "ab", "bb", "b", "c"]);
    assert_eq!(keys.lines[0], [2, 4]);
}
