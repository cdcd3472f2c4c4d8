//! Review decisions: a person's word on what the similarity got wrong, kept in a small JSON
//! file that `cluster`, `check`, `dedup` and `report` honour (`--decisions FILE`,
//! [`crate::Builder::decisions`]).
//!
//! A decision names two captions **by their text as shown** (credits removed, whitespace
//! tidied: a cluster's caption or one of its variants), so it survives re-runs, new data and
//! other credits on the same caption:
//!
//! - `split`: the two captions are never in one cluster (cannot-link), whatever their
//!   similarity; a variant split from its cluster's caption leaves with its own records;
//! - `merge`: the two captions are always in one cluster (must-link), with every caption
//!   clustering put beside either.
//!
//! ```json
//! {
//!   "version": 1,
//!   "decisions": [
//!     {"decision": "split", "a": "Riot police detain a protester.", "b": "Riot police detain a protester in Minsk."},
//!     {"decision": "merge", "a": "So easy even a caveman can do it.", "b": "So easy, a caveman could do it.", "note": "same cartoon"}
//!   ]
//! }
//! ```
//!
//! `capdedup report` writes such a file from the page ("Download decisions"). A decision
//! whose captions no longer both occur is reported as unmatched, never an error; a `merge`
//! that would join two captions a `split` keeps apart is not applied and is reported as a
//! conflict. The JSON report lists both (`decisions`).

use std::collections::HashSet;
use std::fmt;
use std::io::{self, Read, Write};

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// The version of the decisions file this capdedup reads and writes.
pub const DECISIONS_VERSION: u32 = 1;

/// What a person decided about two captions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Never in one cluster (cannot-link).
    Split,
    /// Always in one cluster (must-link).
    Merge,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Split => "split",
            Verdict::Merge => "merge",
        })
    }
}

/// One decision: two captions, as shown, and the verdict on them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RawDecision")]
pub struct ReviewDecision {
    /// `split` or `merge`.
    pub decision: Verdict,
    /// One caption, as shown (credits removed).
    pub a: String,
    /// The other caption.
    pub b: String,
    /// What the reviewer noted, if anything; not used.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    decision: Verdict,
    a: String,
    b: String,
    #[serde(default)]
    note: Option<String>,
}

impl TryFrom<RawDecision> for ReviewDecision {
    type Error = String;

    fn try_from(raw: RawDecision) -> std::result::Result<Self, String> {
        let (a, b) = (tidy(&raw.a), tidy(&raw.b));
        if a.is_empty() || b.is_empty() {
            return Err("a decision names an empty caption".into());
        }
        if a == b {
            return Err(format!("a decision names the same caption twice: {a:?}"));
        }
        Ok(ReviewDecision {
            decision: raw.decision,
            a,
            b,
            note: raw.note,
        })
    }
}

/// Whitespace as captions are shown: runs of it as one space, none at the ends.
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The version field, checked as it is read, so an unknown version is an error at its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct Version(u32);

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = u32::deserialize(d)?;
        if v == DECISIONS_VERSION {
            Ok(Version(v))
        } else {
            Err(serde::de::Error::custom(format!(
                "version {v} is not supported (this capdedup reads version {DECISIONS_VERSION})"
            )))
        }
    }
}

/// A decisions file: the decisions, in the order written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    version: Version,
    /// The decisions.
    pub decisions: Vec<ReviewDecision>,
}

impl Default for Decisions {
    fn default() -> Self {
        Decisions::new(Vec::new())
    }
}

impl Decisions {
    /// Decisions of the current version.
    ///
    /// ```
    /// use capdedup::decisions::{ReviewDecision, Decisions, Verdict};
    /// let d = Decisions::new(vec![ReviewDecision {
    ///     decision: Verdict::Split,
    ///     a: "A cat sleeps.".into(),
    ///     b: "A cat sleeps!".into(),
    ///     note: None,
    /// }]);
    /// let mut json = Vec::new();
    /// d.write(&mut json).unwrap();
    /// assert_eq!(Decisions::read("decisions.json", json.as_slice()).unwrap(), d);
    /// ```
    pub fn new(decisions: Vec<ReviewDecision>) -> Self {
        Decisions {
            version: Version(DECISIONS_VERSION),
            decisions,
        }
    }

    /// The version of the file (always [`DECISIONS_VERSION`] once read).
    pub fn version(&self) -> u32 {
        self.version.0
    }

    /// Reads a decisions file; `file` names it in errors.
    ///
    /// # Errors
    /// Not JSON, not this format (a missing or unknown field, a verdict other than `split`
    /// or `merge`, an empty caption, the same caption twice in one decision), another
    /// version; the error names the file and the line.
    pub fn read<R: Read>(file: &str, mut reader: R) -> Result<Decisions> {
        let mut text = String::new();
        reader.read_to_string(&mut text).map_err(|e| {
            let kind = if e.kind() == io::ErrorKind::InvalidData {
                ErrorKind::Decisions("the file is not UTF-8 text".into())
            } else {
                ErrorKind::Io(e)
            };
            Error::at(file, None, kind)
        })?;
        // serde would read a struct from an array too; a decisions file is an object.
        if let Some((at, c)) = text.char_indices().find(|(_, c)| !c.is_whitespace()) {
            if c != '{' {
                let line = text[..at].matches('\n').count() as u64 + 1;
                return Err(Error::at(
                    file,
                    Some(line),
                    ErrorKind::Decisions("the document is not a JSON object".into()),
                ));
            }
        }
        serde_json::from_str(&text).map_err(|e| {
            let line = (e.line() > 0).then_some(e.line() as u64);
            let msg = e.to_string();
            let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
            Error::at(file, line, ErrorKind::Decisions(msg.to_owned()))
        })
    }

    /// Writes the file as pretty-printed JSON, newline-terminated.
    pub fn write<W: Write>(&self, mut out: W) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut out, self)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// The decisions without repeats, in a fixed order (by verdict, then texts), so the
    /// result of applying them does not depend on the order they were written in.
    pub(crate) fn distinct(&self) -> Vec<ReviewDecision> {
        let mut seen = HashSet::new();
        let mut out: Vec<ReviewDecision> = self
            .decisions
            .iter()
            .map(|d| {
                let mut d = d.clone();
                d.note = None;
                if d.b < d.a {
                    std::mem::swap(&mut d.a, &mut d.b);
                }
                d
            })
            .filter(|d| seen.insert(d.clone()))
            .collect();
        out.sort();
        out
    }
}

/// What became of the decisions in one run: part of the JSON report (`decisions`), present
/// only when decisions were given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DecisionsApplied {
    /// Decisions whose two captions both occur: honoured.
    pub applied: Vec<ReviewDecision>,
    /// Decisions naming a caption no record has (any more).
    pub unmatched: Vec<ReviewDecision>,
    /// `merge` decisions not applied because they would join two captions a `split` keeps
    /// apart.
    pub conflicting: Vec<ReviewDecision>,
}

/// Decisions matched to the distinct captions of a run: pairs of caption ids (the caller's
/// numbering) per decision, and what became of each decision so far.
#[derive(Debug, Default)]
pub(crate) struct Matched {
    /// `(decision, a, b)`: the decisions whose captions both occur, in [`Decisions::distinct`]
    /// order, splits first.
    pub pairs: Vec<(ReviewDecision, u32, u32)>,
    /// The decisions naming a caption no record has.
    pub unmatched: Vec<ReviewDecision>,
}

impl Matched {
    /// Looks the decisions' captions up among `captions` (`(id, text as shown)`, each text
    /// once).
    pub(crate) fn new<'a>(
        decisions: &Decisions,
        captions: impl IntoIterator<Item = (u32, &'a str)>,
    ) -> Matched {
        let wanted = decisions.distinct();
        let texts: HashSet<&str> = wanted
            .iter()
            .flat_map(|d| [d.a.as_str(), d.b.as_str()])
            .collect();
        let ids: std::collections::HashMap<&str, u32> = captions
            .into_iter()
            .filter_map(|(id, text)| texts.get(text).map(|&t| (t, id)))
            .collect();
        let mut matched = Matched::default();
        for d in wanted.iter().cloned() {
            match (ids.get(d.a.as_str()), ids.get(d.b.as_str())) {
                (Some(&a), Some(&b)) => matched.pairs.push((d, a, b)),
                _ => matched.unmatched.push(d),
            }
        }
        matched
    }
}

/// Joins the groups that `merge` pairs (of members, by their group in `group_of`) hold, in
/// order, unless a join would put the two members of a `split` pair in one group. Returns
/// the merged groups (in the order of their first group, members in the order they came)
/// and the indices into `merge` of the pairs not applied.
pub(crate) fn join_groups(
    groups: Vec<Vec<usize>>,
    merge: &[(usize, usize)],
    split: &[(usize, usize)],
) -> (Vec<Vec<usize>>, Vec<usize>) {
    if merge.is_empty() {
        return (groups, Vec::new());
    }
    let size = groups.iter().flatten().copied().max().map_or(0, |m| m + 1);
    let mut group_of = vec![0usize; size];
    for (g, members) in groups.iter().enumerate() {
        for &m in members {
            group_of[m] = g;
        }
    }
    // Union-find over groups.
    let mut parent: Vec<usize> = (0..groups.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut refused = Vec::new();
    for (i, &(a, b)) in merge.iter().enumerate() {
        let (ga, gb) = (
            find(&mut parent, group_of[a]),
            find(&mut parent, group_of[b]),
        );
        if ga == gb {
            continue;
        }
        let clash = split.iter().any(|&(x, y)| {
            let (gx, gy) = (
                find(&mut parent, group_of[x]),
                find(&mut parent, group_of[y]),
            );
            (gx == ga && gy == gb) || (gx == gb && gy == ga)
        });
        if clash {
            refused.push(i);
        } else {
            // The earlier group (the earlier centre) stays the root.
            parent[ga.max(gb)] = ga.min(gb);
        }
    }
    let mut slot = vec![usize::MAX; groups.len()];
    let mut out: Vec<Vec<usize>> = Vec::new();
    for g in 0..groups.len() {
        let r = find(&mut parent, g);
        if slot[r] == usize::MAX {
            slot[r] = out.len();
            out.push(Vec::new());
        }
    }
    // The root is the earliest group, so a merged group starts with its first centre.
    for (g, members) in groups.iter().enumerate() {
        let r = find(&mut parent, g);
        out[slot[r]].extend(members.iter().copied());
    }
    (out, refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Decisions> {
        Decisions::read("d.json", text.as_bytes())
    }

    #[test]
    fn reads_what_it_writes() {
        let d = read(
            r#"{"version": 1, "decisions": [
                {"decision": "split", "a": " A  cat. ", "b": "A dog.", "note": "no"},
                {"decision": "merge", "a": "x", "b": "y"}]}"#,
        )
        .unwrap();
        assert_eq!(d.decisions[0].a, "A cat.");
        assert_eq!(d.decisions[1].decision, Verdict::Merge);
        let mut out = Vec::new();
        d.write(&mut out).unwrap();
        assert_eq!(Decisions::read("d.json", out.as_slice()).unwrap(), d);
    }

    #[test]
    fn errors_name_the_line_and_say_what_was_expected() {
        let cases = [
            (
                "{\"version\": 2,\n\"decisions\": []}",
                1,
                "version 2 is not supported",
            ),
            (
                "{\"version\": 1, \"decisions\": [\n{\"decision\": \"maybe\", \"a\": \"x\", \"b\": \"y\"}]}",
                2,
                "unknown variant `maybe`",
            ),
            (
                "{\"version\": 1, \"decisions\": [\n\n{\"decision\": \"split\", \"a\": \"x\", \"b\": \" x\"}]}",
                3,
                "the same caption twice",
            ),
            (
                "{\"version\": 1, \"decisions\": [{\"decision\": \"split\", \"a\": \"x\"}]}",
                1,
                "missing field `b`",
            ),
            (
                "{\"version\": 1, \"decisions\": [], \"extra\": 1}",
                1,
                "unknown field",
            ),
            ("{\"version\": 1,\n \"decisions\": [", 2, "EOF"),
            ("\n[]", 2, "not a JSON object"),
            ("", 1, "EOF"),
        ];
        for (text, line, what) in cases {
            let err = read(text).unwrap_err();
            assert_eq!(err.location().unwrap().line, Some(line), "{text}: {err}");
            let msg = err.to_string();
            assert!(msg.starts_with(&format!("d.json:{line}: ")), "{msg}");
            assert!(msg.contains(what), "{msg}");
            assert!(msg.contains("expected a decisions file"), "{msg}");
            assert_eq!(err.exit_code(), 2);
        }
    }

    #[test]
    fn matched_pairs_and_unmatched_decisions() {
        let d = |v, a: &str, b: &str| ReviewDecision {
            decision: v,
            a: a.into(),
            b: b.into(),
            note: None,
        };
        let decisions = Decisions::new(vec![
            d(Verdict::Merge, "x", "y"),
            d(Verdict::Split, "x", "gone"),
            d(Verdict::Split, "z", "x"),
        ]);
        let m = Matched::new(&decisions, [(0, "x"), (1, "y"), (2, "z")]);
        assert_eq!(m.unmatched, vec![d(Verdict::Split, "gone", "x")]);
        let pairs: Vec<(Verdict, u32, u32)> = m
            .pairs
            .iter()
            .map(|(d, a, b)| (d.decision, *a, *b))
            .collect();
        assert_eq!(pairs, vec![(Verdict::Split, 0, 2), (Verdict::Merge, 0, 1)]);
    }

    #[test]
    fn joins_groups_unless_a_split_forbids_it() {
        let groups = vec![vec![0, 1], vec![2], vec![3, 4], vec![5]];
        // 2 joins {0, 1}; 3 may not join 0's group (0 and 4 are split); 5 joins 3's.
        let (out, refused) = join_groups(groups, &[(2, 0), (0, 3), (5, 4)], &[(0, 4)]);
        assert_eq!(out, vec![vec![0, 1, 2], vec![3, 4, 5]]);
        assert_eq!(refused, vec![1]);
        let (same, none) = join_groups(vec![vec![1, 0]], &[], &[]);
        assert_eq!((same, none), (vec![vec![1, 0]], vec![]));
    }

    #[test]
    fn distinct_ignores_order_notes_and_repeats() {
        let d = |v, a: &str, b: &str| ReviewDecision {
            decision: v,
            a: a.into(),
            b: b.into(),
            note: Some("n".into()),
        };
        let one = Decisions::new(vec![
            d(Verdict::Split, "b", "a"),
            d(Verdict::Merge, "c", "d"),
            d(Verdict::Split, "a", "b"),
        ]);
        let two = Decisions::new(vec![
            d(Verdict::Merge, "d", "c"),
            d(Verdict::Split, "a", "b"),
        ]);
        assert_eq!(one.distinct(), two.distinct());
        assert_eq!(one.distinct().len(), 2);
    }
}
