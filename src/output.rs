//! Writers for the report and for `strip`, over any `W: Write` (so they unit-test into a `Vec<u8>`).

use std::io::{self, Write};

use serde::Serialize;

use crate::normalize::Stripped;
use crate::report::Report;

/// `COUNT<TAB>CAPTION`, one line per cluster, in report order (count descending, then caption):
/// the same bytes for the same records in any order, like `sort | uniq -c | sort -rn`.
pub fn write_text<W: Write>(report: &Report, mut out: W) -> io::Result<()> {
    for c in &report.clusters {
        writeln!(out, "{}\t{}", c.count, c.caption)?;
    }
    out.flush()
}

/// The whole report as one JSON document (the contract in the README), newline-terminated.
pub fn write_json<W: Write>(report: &Report, mut out: W) -> io::Result<()> {
    serde_json::to_writer(&mut out, report)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The cluster objects of the JSON document, one per line.
pub fn write_jsonl<W: Write>(report: &Report, mut out: W) -> io::Result<()> {
    for c in &report.clusters {
        serde_json::to_writer(&mut out, c)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// One line of `capdedup strip`'s JSON Lines output.
#[derive(Debug, Serialize)]
pub struct StripLine<'a> {
    /// The file as given (`-` for standard input).
    pub file: &'a str,
    /// The record's 1-based line.
    pub line: u64,
    /// The caption with credits removed.
    pub caption: &'a str,
    /// The removed credit, `null` when there was none.
    pub credit: Option<&'a str>,
}

/// Writes what stripping did to one record as a JSON line.
pub fn write_strip_jsonl<W: Write>(
    file: &str,
    line: u64,
    s: &Stripped,
    mut out: W,
) -> io::Result<()> {
    serde_json::to_writer(
        &mut out,
        &StripLine {
            file,
            line,
            caption: &s.caption,
            credit: s.credit.as_deref(),
        },
    )?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Deduper;

    #[test]
    fn text_and_jsonl_render() {
        let report = Deduper::builder().build().unwrap().cluster_texts([
            "b caption",
            "a caption",
            "b caption",
        ]);
        let mut text = Vec::new();
        write_text(&report, &mut text).unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "2\tb caption\n1\ta caption\n"
        );
        let mut jsonl = Vec::new();
        write_jsonl(&report, &mut jsonl).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(jsonl)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0]["members"],
            serde_json::json!([{"file":"-","line":1},{"file":"-","line":3}])
        );
    }
}
