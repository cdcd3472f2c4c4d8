//! Writers for the report and for `strip`, over any `W: Write` (so they unit-test into a
//! `Vec<u8>`), and [`AtomicFile`], an output file that appears whole or not at all.

use crate::decisions::DecisionsApplied;
use std::borrow::Cow;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tempfile::NamedTempFile;

use crate::cluster::Clustering;
use crate::cluster::facts::Veto;
use crate::cluster::similarity::Metric;
use crate::error::{Error, ErrorKind, Result};
use crate::normalize::LearnedLine;
use crate::normalize::{Removed, Stripped};
use crate::report::{Cluster, Counted, Linkage, Report, Search};

/// An output file written atomically: the bytes go to a temporary file in the same folder,
/// which [`AtomicFile::commit`] renames over `path`. Until then `path` is untouched (a file
/// already there keeps its old content), and dropping an uncommitted `AtomicFile` removes the
/// temporary file, so an error never leaves a half-written output.
///
/// ```
/// use std::io::Write;
/// use capdedup::output::AtomicFile;
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("out.txt");
/// let mut out = AtomicFile::create(&path)?;
/// writeln!(out, "1\tA cat sleeps.")?;
/// assert!(!path.exists(), "nothing is visible before the commit");
/// out.commit()?;
/// assert_eq!(std::fs::read_to_string(&path)?, "1\tA cat sleeps.\n");
///
/// let mut out = AtomicFile::create(&path)?;
/// writeln!(out, "half")?;
/// drop(out); // an error happened: no commit
/// assert_eq!(std::fs::read_to_string(&path)?, "1\tA cat sleeps.\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    file: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `path`: creates the temporary file beside it.
    ///
    /// # Errors
    /// The folder is missing or not writable; the error names `path`.
    pub fn create(path: impl AsRef<Path>) -> Result<AtomicFile> {
        let path = path.as_ref().to_owned();
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".capdedup-").suffix(".tmp");
        // A temporary file is private (0600); the output gets the mode a new file gets
        // (0666 less the umask), or keeps the mode of the file it replaces.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let tmp = builder
            .tempfile_in(dir)
            .map_err(|e| output_error(&path, e))?;
        if let Ok(meta) = fs::metadata(&path) {
            tmp.as_file()
                .set_permissions(meta.permissions())
                .map_err(|e| output_error(&path, e))?;
        }
        Ok(AtomicFile {
            path,
            file: BufWriter::with_capacity(1 << 16, tmp),
        })
    }

    /// Flushes, syncs and renames the temporary file over the path.
    ///
    /// # Errors
    /// Writing, syncing or renaming failed (the temporary file is removed); the error names the path.
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        let tmp = self
            .file
            .into_inner()
            .map_err(|e| output_error(&path, e.into_error()))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| output_error(&path, e))?;
        tmp.persist(&path)
            .map_err(|e| output_error(&path, e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf).map_err(|e| self.name_in(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush().map_err(|e| self.name_in(e))
    }
}

impl AtomicFile {
    /// A write error (say, the disk is full) that names the output file in its message.
    fn name_in(&self, e: io::Error) -> io::Error {
        let message = format!("cannot write {}: {e}", self.path.display());
        io::Error::new(e.kind(), message)
    }
}

fn output_error(path: &Path, e: io::Error) -> Error {
    Error::at(&path.to_string_lossy(), None, ErrorKind::Output(e))
}

/// `COUNT<TAB>CAPTION`, one line per cluster, in report order (count descending, then caption):
/// the same bytes for the same records in any order, like `sort | uniq -c | sort -rn`.
/// Control characters in a caption are escaped ([`escape_controls`]); the JSON output has the
/// exact text.
///
/// ```
/// let report = capdedup::cluster(["A cat\u{1b}[2J sleeps.", "A dog barks.", "A dog barks."]);
/// let mut out = Vec::new();
/// capdedup::output::write_text(&report, &mut out)?;
/// assert_eq!(String::from_utf8(out)?, "2\tA dog barks.\n1\tA cat\\u{1b}[2J sleeps.\n");
///
/// // Records that were only a credit show it, one cluster per credit.
/// let report = capdedup::cluster(["Jane Roe/AP", "John Doe/Reuters", "Jane Roe/AP"]);
/// let mut out = Vec::new();
/// capdedup::output::write_text(&report, &mut out)?;
/// assert_eq!(
///     String::from_utf8(out)?,
///     "2\t[credit only] Jane Roe/AP\n1\t[credit only] John Doe/Reuters\n"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_text<W: Write>(report: &Report, mut out: W) -> io::Result<()> {
    // Rendered on all cores a window at a time (reading a million captions from wherever
    // they were allocated is most of the work), written in order.
    for window in report.clusters.chunks(WINDOW) {
        write_text_window(window, &mut out)?;
    }
    out.flush()
}

/// `clusters` as [`write_text`] writes them, rendered on all cores.
fn write_text_window<W: Write>(clusters: &[Cluster], out: &mut W) -> io::Result<()> {
    let rendered: Vec<Vec<u8>> = clusters
        .par_chunks(WINDOW / 16)
        .map(|chunk| {
            let mut buf = Vec::with_capacity(chunk.len() * 64);
            for c in chunk {
                let credit = c.credits.first().map(|c| c.text.as_str());
                text_line(&mut buf, c.count, &c.caption, credit);
            }
            buf
        })
        .collect();
    for buf in rendered {
        out.write_all(&buf)?;
    }
    Ok(())
}

/// One line of the text output: `count`, then `caption`, or, when it is empty (records that
/// were only a credit), `credit` (the cluster's most frequent).
fn text_line(buf: &mut Vec<u8>, count: u64, caption: &str, credit: Option<&str>) {
    // Writing to a Vec cannot fail.
    let _ = match (caption.is_empty(), credit) {
        // Records that were only a credit: the credit says which they are.
        (true, Some(credit)) => {
            writeln!(buf, "{count}\t[credit only] {}", escape_controls(credit))
        }
        _ => writeln!(buf, "{count}\t{}", escape_controls(caption)),
    };
}

/// How [`write_clustering`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// As [`write_text`].
    Text,
    /// As [`write_json`].
    Json,
    /// As [`write_jsonl`].
    Jsonl,
}

/// Writes a [`Clustering`] the way the writer of `format` writes its [`Report`], byte for
/// byte, building the clusters a window at a time: the clusters of a report are never all
/// held at once (on a million captions they are most of the memory a run takes).
///
/// ```
/// let deduper = capdedup::Deduper::builder().build()?;
/// let texts = ["A cat sleeps.", "A dog barks.", "A cat sleeps. (AP Photo)"];
/// let mut c = deduper.collector();
/// for (i, t) in texts.iter().enumerate() {
///     c.push("-", i as u64 + 1, t);
/// }
/// let mut streamed = Vec::new();
/// capdedup::output::write_clustering(&c.finish_clustering(&capdedup::NoProgress), capdedup::output::Format::Json, &mut streamed)?;
/// let mut whole = Vec::new();
/// capdedup::output::write_json(&deduper.cluster_texts(texts), &mut whole)?;
/// assert_eq!(streamed, whole);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_clustering<W: Write>(
    clustering: &Clustering,
    format: Format,
    mut out: W,
) -> io::Result<()> {
    match format {
        Format::Text => {
            // Only the count and the caption are shown: no cluster is built.
            for from in (0..clustering.len()).step_by(WINDOW) {
                let to = (from + WINDOW).min(clustering.len());
                let rendered: Vec<Vec<u8>> = (from..to)
                    .into_par_iter()
                    .chunks(WINDOW / 16)
                    .map(|places| {
                        let mut buf = Vec::with_capacity(places.len() * 64);
                        for p in places {
                            let (count, caption, credit) = clustering.caption_line(p);
                            text_line(&mut buf, count, caption, credit);
                        }
                        buf
                    })
                    .collect();
                for buf in rendered {
                    out.write_all(&buf)?;
                }
            }
        }
        Format::Json => {
            let head = clustering.head();
            let document = Document {
                version: head.version,
                threshold: head.threshold,
                metric: head.metric,
                veto: head.veto,
                linkage: head.linkage,
                records_read: head.records_read,
                records: head.records,
                clusters: Streamed(clustering),
                boilerplate: &head.boilerplate,
                learned_credits: &head.learned_credits,
                search: &head.search,
                decisions: head.decisions.as_ref(),
            };
            serde_json::to_writer(&mut out, &document)?;
            out.write_all(b"\n")?;
        }
        Format::Jsonl => {
            for_each_window(clustering, |window| {
                for c in window {
                    serde_json::to_writer(&mut out, c)?;
                    out.write_all(b"\n")?;
                }
                Ok(())
            })?;
        }
    }
    out.flush()
}

/// Calls `f` on the clusters of `clustering` a window at a time, in report order.
fn for_each_window(
    clustering: &Clustering,
    mut f: impl FnMut(&[Cluster]) -> io::Result<()>,
) -> io::Result<()> {
    for from in (0..clustering.len()).step_by(WINDOW) {
        f(&clustering.clusters(from..(from + WINDOW).min(clustering.len())))?;
    }
    Ok(())
}

/// The JSON document of a [`Report`], field for field in the same order, with the clusters
/// built as they are written.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    threshold: f64,
    metric: Metric,
    veto: Veto,
    linkage: Linkage,
    records_read: u64,
    records: u64,
    clusters: Streamed<'a>,
    boilerplate: &'a [Counted],
    learned_credits: &'a [LearnedLine],
    search: &'a Search,
    #[serde(skip_serializing_if = "Option::is_none")]
    decisions: Option<&'a DecisionsApplied>,
}

/// The clusters of a [`Clustering`] as a JSON array, built a window at a time.
struct Streamed<'a>(&'a Clustering);

impl Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let clustering = self.0;
        let mut seq = serializer.serialize_seq(Some(clustering.len()))?;
        for from in (0..clustering.len()).step_by(WINDOW) {
            for c in clustering.clusters(from..(from + WINDOW).min(clustering.len())) {
                seq.serialize_element(&c)?;
            }
        }
        seq.end()
    }
}

/// Clusters rendered together before they are written.
const WINDOW: usize = 1 << 16;

/// `text` with every control character (C0, DEL and C1: `char::is_control`) written as
/// `\u{HEX}` (ESC as `\u{1b}`, BEL as `\u{7}`), the way Rust's `{:?}` writes them: a caption
/// printed on a terminal cannot move the cursor, change colours or set the window title, and
/// no caption spans two lines of a line-oriented output. Credit stripping already turns tabs,
/// line breaks and other whitespace into spaces, so only non-space controls are left to
/// escape. A backslash is not escaped: the text output is for reading; the JSON output is exact.
///
/// ```
/// use capdedup::output::escape_controls;
/// assert_eq!(escape_controls("\u{1b}]0;pwned\u{7}caption"), r"\u{1b}]0;pwned\u{7}caption");
/// assert_eq!(escape_controls("line\r\nbreak\u{9b}"), r"line\u{d}\u{a}break\u{9b}");
/// assert!(matches!(escape_controls("Café – ok"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    // Control characters are C0 and DEL bytes, or C1 (U+0080 to U+009F, encoded 0xC2 0x80 to
    // 0xC2 0x9F): text with none of those bytes (checked a block at a time, which
    // vectorises) has none.
    let clean =
        crate::normalize::all_bytes(text.as_bytes(), |b| (b >= 0x20) & (b != 0x7f) & (b != 0xc2));
    if clean || !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The whole report as one JSON document (the contract in docs/formats.md), newline-terminated.
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
    /// Each piece removed and what removed it (a rule, a shape, ...), in textual order.
    pub removed: &'a [Removed],
}

/// Writes what stripping did to one record as a JSON line.
pub fn write_strip_jsonl<W: Write>(
    file: &str,
    line: u64,
    s: &Stripped,
    removed: &[Removed],
    mut out: W,
) -> io::Result<()> {
    serde_json::to_writer(
        &mut out,
        &StripLine {
            file,
            line,
            caption: &s.caption,
            credit: s.credit.as_deref(),
            removed,
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
