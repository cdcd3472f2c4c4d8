//! The CI gate: are the duplicates of a [`Report`] within [`Limits`], and which of them are
//! new since a [`Baseline`]? Renders the answer as lint-style lines, GitHub Actions workflow
//! commands or JSON, over any `W: Write`.
//!
//! Every record of a cluster after its first (input order: file order, then line) is a
//! duplicate of that first record: an exact duplicate when their comparison keys are equal,
//! a near-duplicate otherwise.
//!
//! ```
//! use capdedup::check::{self, Limits};
//! let report = capdedup::cluster(["A cat sleeps.", "A dog barks.", "A cat sleps.", "A cat sleeps!"]);
//! let outcome = check::check(&report, Limits::default(), None);
//! assert!(!outcome.passed());
//! let mut out = Vec::new();
//! check::write_human(&outcome, &mut out, false)?;
//! assert_eq!(String::from_utf8(out).unwrap(), "\
//! -:3: near-duplicate of -:1 (similarity 0.91): A cat sleps.
//! -:4: duplicate of -:1: A cat sleeps!
//! ");
//! # Ok::<(), std::io::Error>(())
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::sync::Arc;

use anstyle::{AnsiColor, Style};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::normalize::fold_key;
use crate::output::escape_controls;
use crate::report::{Cluster, JSON_VERSION, Linkage, Member, Report};

/// Version of the baseline file format; raised only for incompatible changes.
pub const BASELINE_VERSION: u32 = 1;

/// Captions in the human and GitHub outputs are cut to this many characters.
pub const CAPTION_WIDTH: usize = 80;

/// What the data must stay within.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    /// The largest allowed share of new duplicates among the records (new duplicates ÷
    /// records), from 0 to 1; 0 fails on any duplicate.
    pub max_duplicate_ratio: f64,
    /// The largest allowed cluster (records) holding a new duplicate; `None` for no limit.
    pub max_cluster_size: Option<u64>,
}

impl Default for Limits {
    /// Any duplicate fails.
    fn default() -> Self {
        Limits {
            max_duplicate_ratio: 0.0,
            max_cluster_size: None,
        }
    }
}

/// A limit the data broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// [`Limits::max_duplicate_ratio`].
    MaxDuplicateRatio,
    /// [`Limits::max_cluster_size`].
    MaxClusterSize,
}

/// One new duplicate record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The duplicate's file, as given.
    pub file: Arc<str>,
    /// The 1-based line where the duplicate starts.
    pub line: u64,
    /// The first record of its cluster, which it duplicates.
    pub duplicate_of: Member,
    /// Whether the two comparison keys are equal (an exact duplicate).
    pub exact: bool,
    /// The similarity of the duplicate's comparison key to the first record's (1.0 when exact).
    /// Under centre linkage each member is within the threshold of the cluster's centre, not
    /// necessarily of its first record, so this can be below the threshold.
    pub similarity: f64,
    /// The duplicate's caption (credits removed, whitespace tidied).
    pub caption: String,
    /// The index of its cluster in [`Outcome::clusters`].
    pub cluster: usize,
}

/// The result of a check.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The limits checked.
    pub limits: Limits,
    /// Whether a baseline was given.
    pub baseline: bool,
    /// Records clustered.
    pub records: u64,
    /// All duplicates: records minus clusters.
    pub duplicates: u64,
    /// Duplicates the baseline already had (0 without a baseline).
    pub known_duplicates: u64,
    /// New duplicates ÷ records (0 for no records): the figure `max_duplicate_ratio` bounds.
    pub duplicate_ratio: f64,
    /// The size of the largest cluster holding a new duplicate (0 when there is none): the
    /// figure `max_cluster_size` bounds.
    pub largest_cluster: u64,
    /// The limits broken, in the order of [`Limits`]' fields; empty when the check passed.
    pub failed: Vec<Limit>,
    /// The new duplicates, cluster by cluster (in [`Outcome::clusters`] order), each cluster's
    /// in input order.
    pub findings: Vec<Finding>,
    /// Indices in `report.clusters` of the clusters holding new duplicates, in report order.
    pub clusters: Vec<usize>,
}

impl Outcome {
    /// Whether the data is within the limits.
    pub fn passed(&self) -> bool {
        self.failed.is_empty()
    }

    /// Duplicates that are not in the baseline (all of them without one).
    pub fn new_duplicates(&self) -> u64 {
        self.findings.len() as u64
    }
}

/// Checks `report` against `limits`; with a baseline, only duplicates that are new count.
///
/// A duplicate is new unless the baseline had it: the baseline lists, per cluster, how many
/// records carried each caption (folded: case, quotes, whitespace and credits do not matter).
/// Walking a cluster's members in input order, a member is a known duplicate when its caption
/// still has records left in its baseline cluster's count, and that baseline cluster already
/// has a record earlier in this cluster. So a record added to a known cluster is new (the
/// data got worse), a record deleted is not a failure, and when two baseline clusters merge
/// into one, the first record of the second counts as one new duplicate.
pub fn check(report: &Report, limits: Limits, baseline: Option<&Baseline>) -> Outcome {
    let mut findings = Vec::new();
    let mut clusters = Vec::new();
    let mut failed_size = false;
    let mut largest_cluster = 0;
    for (index, cluster) in report.clusters.iter().enumerate() {
        if cluster.count < 2 {
            continue;
        }
        let found = new_duplicates(cluster, report, baseline, clusters.len());
        if found.is_empty() {
            continue;
        }
        largest_cluster = largest_cluster.max(cluster.count);
        failed_size |= limits
            .max_cluster_size
            .is_some_and(|max| cluster.count > max);
        findings.extend(found);
        clusters.push(index);
    }
    let duplicates = report.duplicates();
    let new = findings.len() as u64;
    let duplicate_ratio = if report.records == 0 {
        0.0
    } else {
        new as f64 / report.records as f64
    };
    let mut failed = Vec::new();
    if duplicate_ratio > limits.max_duplicate_ratio {
        failed.push(Limit::MaxDuplicateRatio);
    }
    if failed_size {
        failed.push(Limit::MaxClusterSize);
    }
    Outcome {
        limits,
        baseline: baseline.is_some(),
        records: report.records,
        duplicates,
        known_duplicates: duplicates - new,
        duplicate_ratio,
        largest_cluster,
        failed,
        findings,
        clusters,
    }
}

/// The new duplicates of one cluster (see [`check`] for what "new" means).
fn new_duplicates(
    cluster: &Cluster,
    report: &Report,
    baseline: Option<&Baseline>,
    cluster_index: usize,
) -> Vec<Finding> {
    let ids: Vec<u64> = cluster
        .variants
        .iter()
        .map(|v| caption_id(&v.text))
        .collect();
    let first_key = cluster.member_key(0);
    let mut similarity: HashMap<u32, f64> = HashMap::new();
    // Records of each caption taken from the baseline so far, and the baseline clusters met.
    let mut used: HashMap<u64, u64> = HashMap::new();
    let mut opened: HashSet<usize> = HashSet::new();
    let mut found = Vec::new();
    for (i, member) in cluster.members.iter().enumerate() {
        let variant = cluster.member_variants[i];
        let id = ids[variant as usize];
        let known_in = baseline
            .and_then(|b| b.ids.get(&id))
            .and_then(|&(bc, count)| {
                let used = used.entry(id).or_insert(0);
                (*used < count).then(|| {
                    *used += 1;
                    bc
                })
            });
        // `insert` is false when the baseline cluster was already met: a known duplicate.
        let opens = known_in.is_none_or(|bc| opened.insert(bc));
        if i == 0 || !opens {
            continue;
        }
        let key = cluster.member_key(i);
        let exact = key == first_key;
        let similarity = *similarity.entry(variant).or_insert_with(|| {
            if exact {
                1.0
            } else {
                report.metric.similarity(first_key, key)
            }
        });
        found.push(Finding {
            file: member.file.clone(),
            line: member.line,
            duplicate_of: cluster.members[0].clone(),
            exact,
            similarity,
            caption: cluster.member_caption(i).to_owned(),
            cluster: cluster_index,
        });
    }
    found
}

/// 64-bit FNV-1a of the folded caption: a stable id (unlike `std`'s hashers, the same in every
/// build) that keeps captions out of the baseline file. Folded with its trailing punctuation
/// (not as the comparison key), so baselines written before the key left it out still match.
fn caption_id(caption: &str) -> u64 {
    fold_key(caption)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// `text` cut to [`CAPTION_WIDTH`] characters, ending in `…` when cut.
fn cut(text: &str) -> String {
    match text.char_indices().nth(CAPTION_WIDTH) {
        None => text.to_owned(),
        Some(_) => {
            let end = text
                .char_indices()
                .nth(CAPTION_WIDTH - 1)
                .map_or(text.len(), |(i, _)| i);
            format!("{}…", text[..end].trim_end())
        }
    }
}

/// A caption as the human and GitHub outputs show it: control characters escaped (a caption
/// never injects terminal escapes), then cut.
fn shown(caption: &str) -> String {
    cut(&escape_controls(caption))
}

/// A similarity with two decimals, rounded down so that a near-duplicate never shows 1.00.
fn two_decimals(similarity: f64) -> String {
    format!("{:.2}", ((similarity * 100.0) + 1e-9).floor() / 100.0)
}

const LOCATION: Style = Style::new().bold();
const KIND: Style = AnsiColor::Yellow.on_default();
const FAILED: Style = AnsiColor::Red.on_default().bold();
const PASSED: Style = AnsiColor::Green.on_default().bold();

/// Applies `style` when `styled`.
fn paint(text: &str, style: Style, styled: bool) -> String {
    if styled {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

/// One line per new duplicate, in the form editors and CI logs link:
/// `path:line: near-duplicate of path:line (similarity 0.97): <caption>` (`duplicate of`,
/// without the similarity, for an exact duplicate); the caption is cut to about 80
/// characters. `styled` adds ANSI colour (bold location, yellow kind).
pub fn write_human<W: Write>(outcome: &Outcome, mut out: W, styled: bool) -> io::Result<()> {
    for f in &outcome.findings {
        let location = paint(&format!("{}:{}", f.file, f.line), LOCATION, styled);
        let of = format!("{}:{}", f.duplicate_of.file, f.duplicate_of.line);
        if f.exact {
            let kind = paint("duplicate of", KIND, styled);
            writeln!(out, "{location}: {kind} {of}: {}", shown(&f.caption))?;
        } else {
            let kind = paint("near-duplicate of", KIND, styled);
            let sim = two_decimals(f.similarity);
            writeln!(
                out,
                "{location}: {kind} {of} (similarity {sim}): {}",
                shown(&f.caption)
            )?;
        }
    }
    out.flush()
}

/// The summary line (without a trailing newline), e.g.
/// `check failed: 12 records, 3 duplicates; duplicate ratio 0.250 > 0`.
///
/// ```
/// use capdedup::check::{self, Limits};
/// let report = capdedup::cluster(["A cat sleeps.", "A cat sleeps.", "A dog barks."]);
/// let limits = Limits { max_duplicate_ratio: 0.5, max_cluster_size: Some(2) };
/// let outcome = check::check(&report, limits, None);
/// assert_eq!(check::summary(&outcome, false),
///     "check passed: 3 records, 1 duplicate; duplicate ratio 0.333 <= 0.5; largest cluster 2 <= 2");
/// ```
pub fn summary(outcome: &Outcome, styled: bool) -> String {
    let verdict = if outcome.passed() {
        paint("check passed", PASSED, styled)
    } else {
        paint("check failed", FAILED, styled)
    };
    let plural = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!("{verdict}: {}, ", plural(outcome.records, "record"));
    if outcome.baseline {
        let _ = write!(
            line,
            "{} ({} in the baseline)",
            plural(outcome.new_duplicates(), "new duplicate"),
            outcome.known_duplicates
        );
    } else {
        line.push_str(&plural(outcome.duplicates, "duplicate"));
    }
    let op = |limit: Limit| {
        if outcome.failed.contains(&limit) {
            ">"
        } else {
            "<="
        }
    };
    let _ = write!(
        line,
        "; duplicate ratio {:.3} {} {}",
        outcome.duplicate_ratio,
        op(Limit::MaxDuplicateRatio),
        outcome.limits.max_duplicate_ratio
    );
    if let Some(max) = outcome.limits.max_cluster_size {
        let _ = write!(
            line,
            "; largest cluster {} {} {max}",
            outcome.largest_cluster,
            op(Limit::MaxClusterSize)
        );
    }
    line
}

/// GitHub Actions workflow commands, one per new duplicate:
/// `::error file=PATH,line=N,title=Duplicate caption::duplicate of PATH:LINE: <caption>`;
/// `::warning` instead of `::error` when the check passed (the duplicates are within the
/// limits). Values are escaped as GitHub requires.
pub fn write_github<W: Write>(outcome: &Outcome, mut out: W) -> io::Result<()> {
    let level = if outcome.passed() { "warning" } else { "error" };
    for f in &outcome.findings {
        let (title, message) = if f.exact {
            (
                "Duplicate caption",
                format!(
                    "duplicate of {}:{}: {}",
                    f.duplicate_of.file,
                    f.duplicate_of.line,
                    shown(&f.caption)
                ),
            )
        } else {
            (
                "Near-duplicate caption",
                format!(
                    "near-duplicate of {}:{} (similarity {}): {}",
                    f.duplicate_of.file,
                    f.duplicate_of.line,
                    two_decimals(f.similarity),
                    shown(&f.caption)
                ),
            )
        };
        writeln!(
            out,
            "::{level} file={},line={},title={}::{}",
            escape_property(&f.file),
            f.line,
            escape_property(title),
            escape_data(&message)
        )?;
    }
    out.flush()
}

/// A workflow command's message: `%`, `\r` and `\n` escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as [`escape_data`], and `:` and `,` too.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The JSON document of `check --format json` (see docs/ci.md).
#[derive(Serialize)]
struct CheckJson<'a> {
    version: u32,
    passed: bool,
    failed: &'a [Limit],
    limits: &'a Limits,
    threshold: f64,
    metric: crate::Metric,
    veto: crate::Veto,
    linkage: Linkage,
    baseline: bool,
    records_read: u64,
    records: u64,
    duplicates: u64,
    known_duplicates: u64,
    new_duplicates: u64,
    duplicate_ratio: f64,
    largest_cluster: u64,
    findings: &'a [Finding],
    clusters: Vec<&'a Cluster>,
}

/// The outcome as one JSON document: verdict, limits, figures, the new duplicates and the
/// clusters holding them (the cluster objects of the report's JSON), newline-terminated.
pub fn write_json<W: Write>(outcome: &Outcome, report: &Report, mut out: W) -> io::Result<()> {
    let doc = CheckJson {
        version: JSON_VERSION,
        passed: outcome.passed(),
        failed: &outcome.failed,
        limits: &outcome.limits,
        threshold: report.threshold,
        metric: report.metric,
        veto: report.veto,
        linkage: report.linkage,
        baseline: outcome.baseline,
        records_read: report.records_read,
        records: outcome.records,
        duplicates: outcome.duplicates,
        known_duplicates: outcome.known_duplicates,
        new_duplicates: outcome.new_duplicates(),
        duplicate_ratio: outcome.duplicate_ratio,
        largest_cluster: outcome.largest_cluster,
        findings: &outcome.findings,
        clusters: outcome
            .clusters
            .iter()
            .map(|&i| &report.clusters[i])
            .collect(),
    };
    serde_json::to_writer(&mut out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The duplicates a dataset had when it adopted the check: per cluster, how many records
/// carried each caption. Captions are identified by a stable 64-bit hash of their folded
/// text (16 hex digits), so the file is small, holds no data and changes only where the
/// duplicates change. See docs/ci.md for the format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The format version, [`BASELINE_VERSION`].
    pub version: u32,
    /// The threshold the baseline was written with. It, the metric, the veto and the linkage
    /// are compared with a run's by [`Baseline::matches_options`].
    pub threshold: f64,
    /// The metric it was written with.
    pub metric: String,
    /// The veto it was written with (`facts`, `numbers` or `none`). A baseline written
    /// before the veto existed has no `veto` and reads as `none`, which is what those
    /// versions did.
    #[serde(default = "no_veto")]
    pub veto: String,
    /// The linkage it was written with.
    pub linkage: String,
    /// The clusters with duplicates, by their smallest caption id.
    pub clusters: Vec<BaselineCluster>,
    #[serde(skip)]
    ids: HashMap<u64, (usize, u64)>,
}

/// One cluster of a [`Baseline`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineCluster {
    /// The cluster's caption, cut to about 80 characters: for reviewers, not read back.
    pub caption: String,
    /// The cluster's records (for reviewers: the sum of the captions' counts).
    pub count: u64,
    /// The folded captions of the cluster, by id.
    pub captions: Vec<BaselineCaption>,
}

/// One caption of a [`BaselineCluster`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineCaption {
    /// 64-bit FNV-1a of the folded caption (credits removed), as 16 lowercase hex digits.
    pub id: String,
    /// How many records carried it.
    pub count: u64,
}

impl Baseline {
    /// The clusters of `report` that hold duplicates.
    ///
    /// ```
    /// use capdedup::check::Baseline;
    /// let report = capdedup::cluster(["A cat sleeps.", "A CAT  sleeps.", "A cat sleeps!", "A dog."]);
    /// let baseline = Baseline::from_report(&report);
    /// assert_eq!(baseline.clusters.len(), 1);
    /// let counts: Vec<u64> = baseline.clusters[0].captions.iter().map(|c| c.count).collect();
    /// assert_eq!(counts.iter().sum::<u64>(), 3);
    /// assert_eq!(counts.len(), 2, "case and spacing fold into one caption");
    /// ```
    pub fn from_report(report: &Report) -> Baseline {
        let mut clusters: Vec<BaselineCluster> = report
            .clusters
            .iter()
            .filter(|c| c.count > 1)
            .map(|c| {
                let mut counts: HashMap<u64, u64> = HashMap::new();
                for v in &c.variants {
                    *counts.entry(caption_id(&v.text)).or_insert(0) += v.count;
                }
                let mut captions: Vec<(u64, u64)> = counts.into_iter().collect();
                captions.sort_unstable();
                BaselineCluster {
                    caption: cut(&c.caption),
                    count: c.count,
                    captions: captions
                        .into_iter()
                        .map(|(id, count)| BaselineCaption {
                            id: format!("{id:016x}"),
                            count,
                        })
                        .collect(),
                }
            })
            .collect();
        clusters.sort_by(|a, b| a.captions[0].id.cmp(&b.captions[0].id));
        let mut baseline = Baseline {
            version: BASELINE_VERSION,
            threshold: report.threshold,
            metric: report.metric.name().to_owned(),
            veto: report.veto.name().to_owned(),
            linkage: linkage_name(report.linkage).to_owned(),
            clusters,
            ids: HashMap::new(),
        };
        baseline
            .index()
            .expect("caption ids of one report are distinct and well-formed");
        baseline
    }

    /// Whether `report` was clustered with the threshold, metric, veto and linkage this
    /// baseline was written with (other options can change clusters too, but are not
    /// recorded).
    ///
    /// ```
    /// use capdedup::check::Baseline;
    /// let texts = ["A cat sleeps.", "A cat sleeps!", "A dog."];
    /// let baseline = Baseline::from_report(&capdedup::cluster(texts));
    /// assert_eq!(baseline.veto, "facts");
    /// assert!(baseline.matches_options(&capdedup::cluster(texts)));
    /// let deduper = capdedup::Deduper::builder().veto(capdedup::Veto::None).build().unwrap();
    /// assert!(!baseline.matches_options(&deduper.cluster_texts(texts)));
    /// ```
    pub fn matches_options(&self, report: &Report) -> bool {
        self.threshold == report.threshold
            && self.metric == report.metric.name()
            && self.veto == report.veto.name()
            && self.linkage == linkage_name(report.linkage)
    }

    /// Reads a baseline written by [`Baseline::write`]; `file` names it in errors.
    ///
    /// # Errors
    /// Not JSON, not this format (unknown or missing fields), another version, an id that is
    /// not 16 hex digits or that appears twice; the error names the file (and the line when
    /// the JSON is at fault).
    pub fn read<R: Read>(file: &str, reader: R) -> Result<Baseline> {
        let mut baseline: Baseline = serde_json::from_reader(reader).map_err(|e| {
            let line = (e.line() > 0).then_some(e.line() as u64);
            let msg = e.to_string();
            let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
            Error::at(file, line, ErrorKind::Baseline(msg.to_owned()))
        })?;
        if baseline.version != BASELINE_VERSION {
            return Err(Error::at(
                file,
                None,
                ErrorKind::Baseline(format!(
                    "version {} is not supported (this capdedup reads version {BASELINE_VERSION})",
                    baseline.version
                )),
            ));
        }
        baseline
            .index()
            .map_err(|msg| Error::at(file, None, ErrorKind::Baseline(msg)))?;
        Ok(baseline)
    }

    /// Writes the baseline as pretty-printed JSON (2-space indent, newline-terminated): the
    /// same bytes for the same duplicates.
    pub fn write<W: Write>(&self, mut out: W) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut out, self)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// Records, for each caption id, its cluster and count.
    fn index(&mut self) -> std::result::Result<(), String> {
        self.ids.clear();
        for (i, cluster) in self.clusters.iter().enumerate() {
            for caption in &cluster.captions {
                let id = (caption.id.len() == 16)
                    .then(|| u64::from_str_radix(&caption.id, 16).ok())
                    .flatten()
                    .ok_or_else(|| format!("id `{}` is not 16 hex digits", caption.id))?;
                if self.ids.insert(id, (i, caption.count)).is_some() {
                    return Err(format!("id `{}` appears twice", caption.id));
                }
            }
        }
        Ok(())
    }
}

/// The veto of baselines written before it existed: none.
fn no_veto() -> String {
    crate::Veto::None.name().to_owned()
}

fn linkage_name(linkage: Linkage) -> &'static str {
    match linkage {
        Linkage::Centre => "centre",
        Linkage::Single => "single",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Deduper;

    fn report(texts: &[&str]) -> Report {
        Deduper::builder().build().unwrap().cluster_texts(texts)
    }

    fn lines(outcome: &Outcome) -> Vec<u64> {
        outcome.findings.iter().map(|f| f.line).collect()
    }

    fn baseline_of(texts: &[&str]) -> Baseline {
        let mut bytes = Vec::new();
        Baseline::from_report(&report(texts))
            .write(&mut bytes)
            .unwrap();
        Baseline::read("b.json", bytes.as_slice()).unwrap()
    }

    const CAT: &str = "A cat sleeps on the mat today.";
    const CAT2: &str = "A cat sleeps on the mats today!";
    const DOG: &str = "A dog barks at the mailman all day.";
    const DOG2: &str = "A dog barks at the mailmen all day!";

    #[test]
    fn first_record_is_the_reference_and_exact_is_same_key() {
        let r = report(&[DOG, CAT2, CAT, "a CAT sleeps on the mats  today", DOG]);
        let o = check(&r, Limits::default(), None);
        assert_eq!(lines(&o), [3, 4, 5]);
        let f = &o.findings;
        assert_eq!((f[0].duplicate_of.line, f[0].exact), (2, false));
        assert_eq!(
            f[0].similarity,
            crate::Metric::Levenshtein.similarity(
                "a cat sleeps on the mats today",
                "a cat sleeps on the mat today"
            )
        );
        assert_eq!(
            (f[1].duplicate_of.line, f[1].exact, f[1].similarity),
            (2, true, 1.0)
        );
        assert_eq!((f[2].duplicate_of.line, f[2].exact), (1, true));
        assert_eq!(o.duplicates, 3);
        assert_eq!(o.failed, [Limit::MaxDuplicateRatio]);
    }

    #[test]
    fn limits() {
        let r = report(&[CAT, CAT, CAT, DOG, DOG, "x y z"]);
        let at = |ratio, size| {
            check(
                &r,
                Limits {
                    max_duplicate_ratio: ratio,
                    max_cluster_size: size,
                },
                None,
            )
            .failed
        };
        assert_eq!(at(0.5, None), []);
        assert_eq!(at(0.49, None), [Limit::MaxDuplicateRatio]);
        assert_eq!(at(0.5, Some(3)), []);
        assert_eq!(at(0.5, Some(2)), [Limit::MaxClusterSize]);
        assert_eq!(
            at(0.0, Some(2)),
            [Limit::MaxDuplicateRatio, Limit::MaxClusterSize]
        );
        let o = check(&report(&[]), Limits::default(), None);
        assert!(o.passed() && o.duplicate_ratio == 0.0 && o.largest_cluster == 0);
    }

    #[test]
    fn baseline_forgives_only_the_duplicates_it_has() {
        let base = baseline_of(&[CAT, CAT2, DOG, "x y z"]);
        // The same data, in another order and case: nothing new.
        let o = check(
            &report(&[DOG, "a cat sleeps on the mats today!", "x y z", CAT]),
            Limits::default(),
            Some(&base),
        );
        assert!(o.passed(), "{o:?}");
        assert_eq!((o.duplicates, o.known_duplicates), (1, 1));
        // A record added to a known cluster is new; so is a new cluster.
        let o = check(
            &report(&[CAT, CAT2, CAT, DOG, DOG2]),
            Limits::default(),
            Some(&base),
        );
        assert_eq!(lines(&o), [3, 5]);
        assert_eq!(o.known_duplicates, 1);
        // A record removed from a known cluster is not a failure.
        let o = check(&report(&[CAT, DOG]), Limits::default(), Some(&base));
        assert!(o.passed());
    }

    #[test]
    fn merged_baseline_clusters_count_one_new_duplicate() {
        let base = baseline_of(&[CAT, CAT, DOG, DOG]);
        let loose = Deduper::builder()
            .threshold(0.0)
            .veto(crate::Veto::None)
            .build()
            .unwrap();
        let merged = loose.cluster_texts([CAT, CAT, DOG, DOG]);
        let o = check(&merged, Limits::default(), Some(&base));
        assert_eq!(lines(&o), [3]);
        assert_eq!(o.known_duplicates, 2);
    }

    #[test]
    fn baseline_bytes_are_stable_and_bad_files_are_named() {
        let texts = [DOG, CAT, CAT2, DOG, "x y z"];
        let mut a = Vec::new();
        Baseline::from_report(&report(&texts))
            .write(&mut a)
            .unwrap();
        let mut b = Vec::new();
        let reversed: Vec<&str> = texts.iter().rev().copied().collect();
        Baseline::from_report(&report(&reversed))
            .write(&mut b)
            .unwrap();
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        assert!(
            text.starts_with("{\n  \"version\": 1,\n  \"threshold\": 0.9,"),
            "{text}"
        );
        assert!(text.ends_with("}\n"));

        let err = |data: &str| {
            Baseline::read("b.json", data.as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert!(
            err("{\n\"version\": 1,\n oops").starts_with("b.json:3: "),
            "{}",
            err("{\n oops")
        );
        let v2 = text.replacen("\"version\": 1", "\"version\": 2", 1);
        assert_eq!(
            err(&v2),
            "b.json: version 2 is not supported (this capdedup reads version 1) (expected a baseline written by `capdedup check --write-baseline`)"
        );
        let bad_id = text.replacen("\"id\": \"", "\"id\": \"z", 1);
        assert!(
            err(&bad_id).contains("is not 16 hex digits"),
            "{}",
            err(&bad_id)
        );
    }

    #[test]
    fn github_escaping_and_caption_cut() {
        assert_eq!(escape_data("50% a\r\nb:c,d"), "50%25 a%0D%0Ab:c,d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        let long: String = "é".repeat(100);
        let c = cut(&long);
        assert_eq!(c.chars().count(), CAPTION_WIDTH);
        assert!(c.ends_with('…'));
        assert_eq!(cut("short"), "short");
        assert_eq!(two_decimals(0.97), "0.97");
        assert_eq!(two_decimals(0.9999), "0.99");
    }
}
