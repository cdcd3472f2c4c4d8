//! The review report: one self-contained HTML page of a [`Report`] (`capdedup report`), for a
//! person deciding whether to trust a deduplication, and the near misses it shows.
//!
//! The page carries everything inline (CSS, script, SVG plots drawn here, the data as JSON)
//! and loads nothing: it works from `file://` with no network. It shows the summary, four
//! plots (cluster sizes, the most frequent credits, duplicates per input file, similarity of
//! merged pairs and near misses against the threshold), the clusters largest first with a
//! search box and filters, each opening to its variants with the words that differ from the
//! cluster's caption marked, and the near misses. A reviewer marks a variant "split" or a
//! near miss "merge" and downloads the decisions ([`crate::decisions`]), which the other
//! commands honour with `--decisions`.
//!
//! Every caption reaches the page as JSON data and is put in the page as text (never as
//! markup), so a caption holding `<script>` shows as those characters.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::cluster::facts::{Facts, Veto};
use crate::cluster::linkage::{KeyRef, similar_pairs_down_to};
use crate::normalize::credit_identity;
use crate::progress::{NoProgress, Progress};
use crate::report::Report;

/// How far below the threshold a pair still counts as a near miss.
pub const NEAR_MISS_MARGIN: f64 = 0.1;

/// Two captions clustering kept apart although they are close: just under the threshold, or
/// similar enough but vetoed, or split by a decision, or apart under centre linkage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearMiss {
    /// One caption (a variant as written, credits removed).
    pub a: String,
    /// The other caption.
    pub b: String,
    /// The clusters (indices into [`Report::clusters`]) of `a` and `b`.
    pub clusters: (usize, usize),
    /// The similarity of their comparison keys.
    pub similarity: f64,
    /// Why they are apart, in words: `below the threshold`, `vetoed: number 13 vs 14`, ...
    pub why: String,
}

/// The closest pairs of captions in different clusters: pairs of comparison keys within
/// [`NEAR_MISS_MARGIN`] below the report's threshold (at least 0.5) or above it, most similar
/// first, at most `limit`. Credit-only records are left out (they never near-merge).
///
/// ```
/// let report = capdedup::cluster([
///     "Protesters march in Minsk, Belarus, Sunday, Sept. 13, 2020.",
///     "Protesters march in Minsk, Belarus, Monday, Sept. 14, 2020.",
///     "A cat sleeps.",
/// ]);
/// let near = capdedup::review::near_misses(&report, 10);
/// assert_eq!(near.len(), 1);
/// assert!(near[0].why.starts_with("vetoed: number"));
/// ```
pub fn near_misses(report: &Report, limit: usize) -> Vec<NearMiss> {
    near_misses_with(report, limit, &NoProgress)
}

/// [`near_misses`], reporting its phases to `progress`.
pub fn near_misses_with(report: &Report, limit: usize, progress: &dyn Progress) -> Vec<NearMiss> {
    if limit == 0 {
        return Vec::new();
    }
    // Each distinct key once, with its cluster and its most frequent caption.
    let mut at: HashMap<&str, (usize, usize, u64)> = HashMap::new();
    for (c, cluster) in report.clusters.iter().enumerate() {
        for (v, key) in cluster.variant_keys.iter().enumerate() {
            if key.starts_with('\0') || cluster.caption.is_empty() {
                continue;
            }
            let count = cluster.variants[v].count;
            at.entry(key.as_str())
                .and_modify(|e| {
                    if e.0 == c && count > e.2 {
                        *e = (c, v, count);
                    }
                })
                .or_insert((c, v, count));
        }
    }
    let mut keys: Vec<(&str, usize, usize)> =
        at.into_iter().map(|(k, (c, v, _))| (k, c, v)).collect();
    keys.sort_unstable();
    let refs: Vec<KeyRef<'_>> = keys
        .iter()
        .map(|&(text, _, _)| KeyRef {
            text,
            len: text.chars().count(),
            count: 1,
        })
        .collect();
    let floor = (report.threshold - NEAR_MISS_MARGIN).max(0.5);
    // The pairs the candidate index chooses at the threshold (what clustering compared),
    // verified down to the floor: every vetoed pair, and those just under the threshold that
    // share a fingerprint with a partner (searching all pairs down to the floor would cost
    // several times the clustering on a million captions).
    let (pairs, _) = similar_pairs_down_to(
        &refs,
        report.metric,
        report.threshold,
        floor,
        false,
        Veto::None,
        progress,
    );
    let mut near: Vec<NearMiss> = pairs
        .into_iter()
        .filter_map(|(i, j)| {
            let (ka, ca, va) = keys[i as usize];
            let (kb, cb, vb) = keys[j as usize];
            if ca == cb {
                return None;
            }
            let similarity = report.metric.similarity(ka, kb);
            let why = if similarity < report.threshold {
                "below the threshold".to_owned()
            } else {
                match Facts::of(ka).verdict(&Facts::of(kb), report.veto) {
                    Some(difference) => format!("vetoed: {difference}"),
                    None => "apart: each is closer to its own cluster's caption".to_owned(),
                }
            };
            let (a, b) = (
                report.clusters[ca].variants[va].text.clone(),
                report.clusters[cb].variants[vb].text.clone(),
            );
            let ((a, ca), (b, cb)) = if (ca, &a) <= (cb, &b) {
                ((a, ca), (b, cb))
            } else {
                ((b, cb), (a, ca))
            };
            Some(NearMiss {
                a,
                b,
                clusters: (ca, cb),
                similarity,
                why,
            })
        })
        .collect();
    near.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then_with(|| x.clusters.cmp(&y.clusters))
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    near.truncate(limit);
    near
}

/// What the page says about the run beside the report itself.
#[derive(Debug, Clone, Default)]
pub struct PageSettings {
    /// The page's title (say, the input files).
    pub title: String,
    /// The options used, as `(flag, value)` pairs, shown in the summary.
    pub options: Vec<(String, String)>,
    /// How many clusters the page carries, largest first (the rest are summarised).
    pub limit: usize,
}

/// One cluster as the page's script reads it.
#[derive(Serialize)]
struct PageCluster<'a> {
    id: String,
    caption: &'a str,
    count: u64,
    /// `[text, count, similarity to the caption's key]`.
    variants: Vec<(&'a str, u64, f64)>,
    credits: Vec<(&'a str, u64)>,
    /// `[file index, line]`, at most [`MEMBERS_SHOWN`]; `more` says how many are left out.
    members: Vec<(usize, u64)>,
    more: usize,
    /// Indices of the files its members come from.
    files: Vec<usize>,
    min_similarity: f64,
    credit_only: bool,
}

/// Members carried per cluster: the rest are counted (the JSON report has them all).
const MEMBERS_SHOWN: usize = 200;

#[derive(Serialize)]
struct PageData<'a> {
    threshold: f64,
    files: Vec<&'a str>,
    clusters: Vec<PageCluster<'a>>,
    near: &'a [NearMiss],
}

/// Writes the review page of `report` with its `near` misses.
///
/// ```
/// let report = capdedup::cluster(["A cat <b>sleeps</b>.", "A cat <b>sleeps</b>!", "A dog."]);
/// let near = capdedup::review::near_misses(&report, 100);
/// let settings = capdedup::review::PageSettings { limit: 10_000, ..Default::default() };
/// let mut html = Vec::new();
/// capdedup::review::write_html(&report, &near, &settings, &mut html).unwrap();
/// let html = String::from_utf8(html).unwrap();
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(!html.contains("<b>sleeps"), "captions are data, never markup");
/// ```
pub fn write_html<W: Write>(
    report: &Report,
    near: &[NearMiss],
    settings: &PageSettings,
    mut out: W,
) -> io::Result<()> {
    let stats = Stats::of(report);
    let shown = report.clusters.len().min(settings.limit);
    let mut file_ids: HashMap<&str, usize> = HashMap::new();
    let mut files: Vec<&str> = Vec::new();
    for cluster in &report.clusters {
        for m in &cluster.members {
            file_ids.entry(&m.file).or_insert_with(|| {
                files.push(&m.file);
                files.len() - 1
            });
        }
    }
    let clusters: Vec<PageCluster<'_>> = report.clusters[..shown]
        .iter()
        .map(|c| {
            let canonical_key = c
                .variants
                .iter()
                .position(|v| v.text == c.caption)
                .and_then(|i| c.variant_keys.get(i));
            let variants = c
                .variants
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let similarity = match (canonical_key, c.variant_keys.get(i)) {
                        (Some(a), Some(b)) if a != b => report.metric.similarity(a, b),
                        _ => 1.0,
                    };
                    (v.text.as_str(), v.count, round4(similarity))
                })
                .collect();
            let mut cluster_files: Vec<usize> =
                c.members.iter().map(|m| file_ids[&*m.file]).collect();
            cluster_files.sort_unstable();
            cluster_files.dedup();
            PageCluster {
                id: c.id(),
                caption: &c.caption,
                count: c.count,
                variants,
                credits: c
                    .credits
                    .iter()
                    .map(|k| (k.text.as_str(), k.count))
                    .collect(),
                members: c
                    .members
                    .iter()
                    .take(MEMBERS_SHOWN)
                    .map(|m| (file_ids[&*m.file], m.line))
                    .collect(),
                more: c.members.len().saturating_sub(MEMBERS_SHOWN),
                files: cluster_files,
                min_similarity: round4(c.min_similarity),
                credit_only: c.caption.is_empty() && !c.credits.is_empty(),
            }
        })
        .collect();
    let data = PageData {
        threshold: report.threshold,
        files,
        clusters,
        near,
    };
    let json = serde_json::to_string(&data).map_err(io::Error::other)?;

    let title = if settings.title.is_empty() {
        "capdedup report".to_owned()
    } else {
        format!("capdedup report: {}", settings.title)
    };
    let mut html = String::with_capacity(json.len() + 64 * 1024);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing may load from anywhere: the page is its own world.
    html.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    let _ = writeln!(html, "<title>{}</title>", escape(&title));
    let _ = writeln!(
        html,
        "<style>\n{}</style>\n</head>\n<body>",
        include_str!("page.css")
    );
    let _ = writeln!(
        html,
        "<header><h1>{}</h1>\n<p class=\"lede\">Largest clusters first. Open a cluster to see its \
         variants, with the words that differ from its caption marked. Mark a variant that does \
         not belong as <strong>split</strong>, or a near miss that should merge as \
         <strong>merge</strong>, then download the decisions and pass them to \
         <code>capdedup cluster --decisions FILE</code> (and <code>check</code>, \
         <code>dedup</code>, <code>report</code>).</p></header>",
        escape(&title)
    );
    html.push_str("<main>\n");
    summary(&mut html, report, &stats, settings, shown, near.len());
    plots(&mut html, report, &stats, near);
    html.push_str(include_str!("controls.html"));
    html.push_str("</main>\n");
    // The data: JSON with `<`, `>` and `&` escaped, so no caption can close the script.
    html.push_str("<script type=\"application/json\" id=\"capdedup-data\">");
    for ch in json.chars() {
        match ch {
            '<' => html.push_str("\\u003c"),
            '>' => html.push_str("\\u003e"),
            '&' => html.push_str("\\u0026"),
            '\u{2028}' => html.push_str("\\u2028"),
            '\u{2029}' => html.push_str("\\u2029"),
            c => html.push(c),
        }
    }
    html.push_str("</script>\n<script>\n");
    html.push_str(include_str!("page.js"));
    html.push_str("</script>\n</body>\n</html>\n");
    out.write_all(html.as_bytes())?;
    out.flush()
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).floor() / 10_000.0
}

/// Figures of the whole report (not only the clusters the page carries).
struct Stats {
    duplicates: u64,
    credit_only: u64,
    /// `(credit identity, records)`, most first.
    credits: Vec<(String, u64)>,
    /// `(file, records, duplicates)` in the order files first appear.
    files: Vec<(String, u64, u64)>,
    /// `(size class label, clusters)`: 1, 2, 3–4, 5–8, ...
    sizes: Vec<(String, u64)>,
    /// Similarities of merged keys to their cluster's caption key (not 1).
    merged: Vec<f64>,
}

impl Stats {
    fn of(report: &Report) -> Stats {
        let mut credit_only = 0;
        let mut credits: HashMap<String, (u64, String)> = HashMap::new();
        let mut files: Vec<(String, u64, u64)> = Vec::new();
        let mut file_at: HashMap<&str, usize> = HashMap::new();
        let mut size_classes: Vec<u64> = Vec::new();
        let mut merged = Vec::new();
        for c in &report.clusters {
            if c.caption.is_empty() && !c.credits.is_empty() {
                credit_only += c.count;
            }
            for credit in &c.credits {
                let e = credits
                    .entry(credit_identity(&credit.text))
                    .or_insert_with(|| (0, credit.text.clone()));
                e.0 += credit.count;
            }
            for (i, m) in c.members.iter().enumerate() {
                let f = *file_at.entry(&m.file).or_insert_with(|| {
                    files.push((m.file.to_string(), 0, 0));
                    files.len() - 1
                });
                files[f].1 += 1;
                // Members are in input order: every one after the first is a duplicate.
                files[f].2 += u64::from(i > 0);
            }
            let class = (64 - (c.count.max(1) - 1).leading_zeros()) as usize;
            if size_classes.len() <= class {
                size_classes.resize(class + 1, 0);
            }
            size_classes[class] += 1;
            if let Some(ck) = c
                .variants
                .iter()
                .position(|v| v.text == c.caption)
                .and_then(|i| c.variant_keys.get(i))
            {
                let mut seen: Vec<&str> = Vec::new();
                for k in &c.variant_keys {
                    if k != ck && !seen.contains(&k.as_str()) {
                        seen.push(k);
                        merged.push(report.metric.similarity(ck, k));
                    }
                }
            }
        }
        let mut credits: Vec<(String, u64)> = credits.into_values().map(|(n, t)| (t, n)).collect();
        credits.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let sizes = size_classes
            .iter()
            .enumerate()
            .map(|(class, &n)| {
                let label = match class {
                    0 => "1".to_owned(),
                    1 => "2".to_owned(),
                    _ => format!("{}–{}", (1u64 << (class - 1)) + 1, 1u64 << class),
                };
                (label, n)
            })
            .collect();
        Stats {
            duplicates: report.records - report.clusters.len() as u64,
            credit_only,
            credits,
            files,
            sizes,
            merged,
        }
    }
}

/// `&`, `<`, `>`, `"` and `'` as entities: text for an element or an attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn summary(
    html: &mut String,
    report: &Report,
    stats: &Stats,
    settings: &PageSettings,
    shown: usize,
    near: usize,
) {
    html.push_str("<section aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2>\n<dl class=\"summary\">\n");
    let mut row = |term: &str, value: String| {
        let _ = writeln!(
            html,
            "<div><dt>{}</dt><dd>{}</dd></div>",
            escape(term),
            value
        );
    };
    row("records", thousands(report.records));
    if report.records_read != report.records {
        row(
            "records read",
            format!(
                "{} ({} without a credit left out)",
                thousands(report.records_read),
                thousands(report.records_read - report.records)
            ),
        );
    }
    row(
        "clusters",
        format!(
            "<span id=\"total-clusters\">{}</span>",
            thousands(report.clusters.len() as u64)
        ),
    );
    row("duplicates folded", thousands(stats.duplicates));
    row("credit-only records", thousands(stats.credit_only));
    row(
        "boilerplate sentences",
        thousands(report.boilerplate.len() as u64),
    );
    row(
        "learned credit lines",
        thousands(report.learned_credits.len() as u64),
    );
    row("near misses shown", thousands(near as u64));
    let mut options = format!(
        "<code>--threshold {} --metric {} --veto {} --linkage {}</code>",
        report.threshold,
        report.metric.name(),
        report.veto.name(),
        match report.linkage {
            crate::Linkage::Centre => "centre",
            crate::Linkage::Single => "single",
        }
    );
    for (flag, value) in &settings.options {
        let _ = write!(options, " <code>{} {}</code>", escape(flag), escape(value));
    }
    html.push_str("</dl>\n");
    let _ = writeln!(html, "<p class=\"options\">Options: {options}</p>");
    if shown < report.clusters.len() {
        let rest = &report.clusters[shown..];
        let records: u64 = rest.iter().map(|c| c.count).sum();
        let largest = rest.iter().map(|c| c.count).max().unwrap_or(0);
        let _ = writeln!(
            html,
            "<p class=\"note\" id=\"limit-note\">This page carries the {} largest clusters. The other {} \
             clusters hold {} records (the largest of them {}); <code>capdedup cluster --format \
             json</code> lists them all, or raise <code>--limit</code>.</p>",
            thousands(shown as u64),
            thousands(rest.len() as u64),
            thousands(records),
            thousands(largest)
        );
    }
    if !report.boilerplate.is_empty() || !report.learned_credits.is_empty() {
        html.push_str(
            "<details class=\"found\"><summary>Boilerplate and learned credit lines</summary>\n",
        );
        if !report.boilerplate.is_empty() {
            html.push_str("<h3>Boilerplate sentences (left out of the comparison)</h3><ul>\n");
            for b in &report.boilerplate {
                let _ = writeln!(
                    html,
                    "<li>{} <span class=\"n\">({} records)</span></li>",
                    escape(&b.text),
                    thousands(b.count)
                );
            }
            html.push_str("</ul>\n");
        }
        if !report.learned_credits.is_empty() {
            html.push_str("<h3>Credit lines learned from the input</h3><ul>\n");
            for l in &report.learned_credits {
                let json = serde_json::to_value(l).unwrap_or_default();
                let text = json
                    .get("text")
                    .and_then(|t| t.as_str())
                    .unwrap_or_default();
                let place = json
                    .get("place")
                    .and_then(|t| t.as_str())
                    .unwrap_or_default();
                let n = json
                    .get("captions")
                    .and_then(|t| t.as_u64())
                    .unwrap_or_default();
                let _ = writeln!(
                    html,
                    "<li>{} <span class=\"n\">({place}, {} captions)</span></li>",
                    escape(text),
                    thousands(n)
                );
            }
            html.push_str("</ul>\n");
        }
        html.push_str("</details>\n");
    }
    html.push_str("</section>\n");
}

/// A bar of a chart: its label, its value, and the text of its value.
struct Bar {
    label: String,
    value: f64,
    shown: String,
}

/// A horizontal bar chart: one labelled bar per row, the value written at its end (readable
/// without colour), with a table of the same numbers for screen readers and print.
fn bar_chart(html: &mut String, id: &str, title: &str, desc: &str, bars: &[Bar], unit: &str) {
    let _ = writeln!(html, "<figure class=\"plot\" aria-labelledby=\"{id}-t\">");
    let _ = writeln!(
        html,
        "<figcaption id=\"{id}-t\">{}</figcaption>",
        escape(title)
    );
    if bars.is_empty() {
        html.push_str("<p class=\"note\">Nothing to plot.</p></figure>\n");
        return;
    }
    let (label_w, bar_w, row_h) = (200.0, 200.0, 22.0);
    let width = label_w + bar_w + 110.0;
    let height = row_h * bars.len() as f64 + 8.0;
    let max = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let _ = writeln!(
        html,
        "<svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\">\
         <desc id=\"{id}-d\">{}</desc>",
        escape(desc)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let w = (bar.value / max * bar_w).max(1.0);
        let label: String = if bar.label.chars().count() > 30 {
            bar.label.chars().take(29).collect::<String>() + "…"
        } else {
            bar.label.clone()
        };
        let _ = writeln!(
            html,
            "<g><title>{}: {}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"lbl\">{}</text>\
             <rect x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" class=\"bar\"/>\
             <text x=\"{:.1}\" y=\"{}\" class=\"val\">{}</text></g>",
            escape(&bar.label),
            escape(&bar.shown),
            label_w - 6.0,
            y + 15.0,
            escape(&label),
            y + 3.0,
            row_h - 6.0,
            label_w + w + 5.0,
            y + 15.0,
            escape(&bar.shown),
        );
    }
    html.push_str("</svg>\n");
    table(html, bars, unit);
    html.push_str("</figure>\n");
}

fn table(html: &mut String, bars: &[Bar], unit: &str) {
    html.push_str("<details class=\"table\"><summary>The numbers</summary><table><thead><tr><th scope=\"col\"></th>");
    let _ = write!(
        html,
        "<th scope=\"col\">{}</th></tr></thead><tbody>",
        escape(unit)
    );
    for bar in bars {
        let _ = write!(
            html,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(&bar.label),
            escape(&bar.shown)
        );
    }
    html.push_str("</tbody></table></details>\n");
}

fn plots(html: &mut String, report: &Report, stats: &Stats, near: &[NearMiss]) {
    html.push_str("<section aria-labelledby=\"plots-h\"><h2 id=\"plots-h\">Plots</h2>\n<div class=\"plots\">\n");
    // Cluster sizes: counts span orders of magnitude, so bars are on a log scale.
    let sizes: Vec<Bar> = stats
        .sizes
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| Bar {
            label: format!("{label} record{}", if label == "1" { "" } else { "s" }),
            value: ((*n as f64) + 1.0).log10(),
            shown: thousands(*n),
        })
        .collect();
    bar_chart(
        html,
        "sizes",
        "Clusters by size (bar length on a log scale)",
        "How many clusters hold 1, 2, 3 to 4, 5 to 8, ... records. Each bar's length is the \
         logarithm of the number of clusters; the number is written at its end.",
        &sizes,
        "clusters",
    );
    let credits: Vec<Bar> = stats
        .credits
        .iter()
        .take(12)
        .map(|(text, n)| Bar {
            label: text.clone(),
            value: *n as f64,
            shown: thousands(*n),
        })
        .collect();
    bar_chart(
        html,
        "credits",
        "Most frequent credits",
        "The credits removed most often, the same credit however labelled counted together, \
         with the number of records that carried each.",
        &credits,
        "records",
    );
    let files: Vec<Bar> = stats
        .files
        .iter()
        .take(20)
        .map(|(file, records, dups)| Bar {
            label: file.clone(),
            value: *dups as f64,
            shown: format!("{} of {}", thousands(*dups), thousands(*records)),
        })
        .collect();
    bar_chart(
        html,
        "files",
        "Duplicates per input file",
        "For each input file, how many of its records are duplicates of an earlier record (of \
         any file), out of its records.",
        &files,
        "duplicates of records",
    );
    similarity_plot(html, report, &stats.merged, near);
    html.push_str("</div></section>\n");
}

/// Similarities of merged pairs (a key to its cluster's caption key) and of near misses, in
/// bins of 0.01, against the threshold.
fn similarity_plot(html: &mut String, report: &Report, merged: &[f64], near: &[NearMiss]) {
    let t = report.threshold;
    let lo = ((t - NEAR_MISS_MARGIN).max(0.5) * 100.0).floor() as usize;
    let bins = 100 - lo + 1;
    let bin = |s: f64| ((s * 100.0).floor() as usize).clamp(lo, 100) - lo;
    let mut m = vec![0u64; bins];
    let mut n = vec![0u64; bins];
    for &s in merged {
        m[bin(s)] += 1;
    }
    for x in near {
        n[bin(x.similarity)] += 1;
    }
    let max = m.iter().chain(&n).copied().max().unwrap_or(0).max(1) as f64;
    let (w, h, left, bottom) = (500.0, 215.0, 30.0, 45.0);
    let bw = (w - left - 10.0) / bins as f64;
    let id = "sim";
    let _ = writeln!(
        html,
        "<figure class=\"plot wide\" aria-labelledby=\"{id}-t\">"
    );
    let _ = writeln!(
        html,
        "<figcaption id=\"{id}-t\">Similarity of merged pairs and near misses, against the threshold {t}</figcaption>"
    );
    let _ = writeln!(
        html,
        "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\">\
         <desc id=\"{id}-d\">Bars above each similarity from {:.2} to 1: solid bars count the captions \
         merged into a cluster at that similarity to its caption, hatched bars the near misses kept \
         apart. The dashed line is the threshold.</desc>\
         <defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" class=\"hatchbg\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"hatchline\"/></pattern></defs>",
        lo as f64 / 100.0
    );
    let plot_h = h - bottom - 10.0;
    for i in 0..bins {
        let x = left + bw * i as f64;
        let s = (lo + i) as f64 / 100.0;
        let hm = m[i] as f64 / max * plot_h;
        let hn = n[i] as f64 / max * plot_h;
        if m[i] > 0 {
            let _ = write!(
                html,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{hm:.1}\" class=\"bar\"><title>{s:.2}: {} merged</title></rect>",
                x + 1.0,
                10.0 + plot_h - hm,
                (bw / 2.0 - 1.0).max(1.0),
                m[i]
            );
        }
        if n[i] > 0 {
            let _ = write!(
                html,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{hn:.1}\" fill=\"url(#hatch)\" class=\"near\"><title>{s:.2}: {} near misses</title></rect>",
                x + bw / 2.0,
                10.0 + plot_h - hn,
                (bw / 2.0 - 1.0).max(1.0),
                n[i]
            );
        }
        if (lo + i) % 5 == 0 {
            let _ = write!(
                html,
                "<text x=\"{:.1}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{s:.2}</text>",
                x + bw / 2.0,
                h - bottom + 14.0
            );
        }
    }
    let tx = left + bw * (t * 100.0 - lo as f64);
    let _ = writeln!(
        html,
        "<line x1=\"{tx:.1}\" x2=\"{tx:.1}\" y1=\"6\" y2=\"{:.1}\" class=\"threshold\"/>\
         <text x=\"{:.1}\" y=\"16\" class=\"tick\">threshold</text>\
         <text x=\"{left}\" y=\"{}\" class=\"tick\">merged (solid) · near misses (hatched) · most in a bar: {}</text></svg>",
        10.0 + plot_h,
        tx + 4.0,
        h - 1.0,
        max as u64
    );
    let bars: Vec<Bar> = (0..bins)
        .filter(|&i| m[i] + n[i] > 0)
        .map(|i| Bar {
            label: format!("{:.2}", (lo + i) as f64 / 100.0),
            value: 0.0,
            shown: format!("{} merged, {} near misses", m[i], n[i]),
        })
        .collect();
    table(html, &bars, "pairs");
    html.push_str("</figure>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(texts: &[&str]) -> String {
        let report = crate::cluster(texts);
        let near = near_misses(&report, 100);
        let mut out = Vec::new();
        let settings = PageSettings {
            limit: 10_000,
            ..Default::default()
        };
        write_html(&report, &near, &settings, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn captions_never_become_markup_or_close_the_script() {
        let html = page(&[
            "</script><script>alert(1)</script>",
            "<img src=x onerror=alert(2)> a cat",
            "<!-- a comment --> &amp; more",
        ]);
        assert!(!html.contains("<script>alert"));
        assert!(!html.contains("<img src=x"));
        assert!(!html.contains("<!-- a comment"));
        // One data block, one script: the captions stayed inside the JSON.
        assert_eq!(html.matches("</script>").count(), 2);
        assert!(html.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"));
    }

    #[test]
    fn the_page_loads_nothing_from_anywhere() {
        let html = page(&["A cat sleeps. (AP Photo)", "A cat sleeps.", "A dog barks."]);
        for needle in [
            "http://",
            "https://",
            "src=",
            "href=\"http",
            "@import",
            "url(http",
        ] {
            assert!(!html.contains(needle), "{needle}");
        }
        assert!(html.contains("default-src 'none'"));
    }

    /// The page's data, as its script reads it.
    fn data(html: &str) -> serde_json::Value {
        let start = html.find("id=\"capdedup-data\">").unwrap() + 19;
        let end = start + html[start..].find("</script>").unwrap();
        serde_json::from_str(&html[start..end]).unwrap()
    }

    #[test]
    fn the_same_records_give_the_same_page_in_any_order() {
        let texts = [
            "A cat sleeps.",
            "A cat sleeps!",
            "A dog barks.",
            "A dog barked.",
        ];
        let mut rev = texts;
        rev.reverse();
        assert_eq!(page(&texts), page(&texts));
        // Positions differ (the records' lines), the clusters and near misses do not.
        let (a, b) = (data(&page(&texts)), data(&page(&rev)));
        for field in [
            "id",
            "caption",
            "count",
            "variants",
            "credits",
            "min_similarity",
        ] {
            let get = |d: &serde_json::Value| -> Vec<serde_json::Value> {
                d["clusters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c[field].clone())
                    .collect()
            };
            assert_eq!(get(&a), get(&b), "{field}");
        }
        assert_eq!(a["near"], b["near"]);
    }

    #[test]
    fn near_misses_are_apart_and_closest_first() {
        let report = crate::cluster([
            "Protesters march in Minsk, Belarus, Sunday, Sept. 13, 2020.",
            "Protesters march in Minsk, Belarus, Monday, Sept. 14, 2020.",
            "The quick brown fox jumps over the lazy dog.",
            "The quick brown fox jumped over a lazy dog.",
            "Credit: Jane Roe",
            "Credit: John Doe",
        ]);
        let near = near_misses(&report, 10);
        assert!(near.len() >= 2, "{near:?}");
        assert!(near.windows(2).all(|w| w[0].similarity >= w[1].similarity));
        for n in &near {
            assert_ne!(n.clusters.0, n.clusters.1);
            assert!(
                !n.a.is_empty() && !n.b.is_empty(),
                "credit-only records never near-merge"
            );
        }
        assert!(near.iter().any(|n| n.why == "below the threshold"));
        assert_eq!(near_misses(&report, 1).len(), 1);
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1_010_610), "1,010,610");
    }
}
