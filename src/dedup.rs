//! Writing the input back without its duplicates, or annotated, in its own format: the
//! library side of `capdedup dedup`.
//!
//! A [`Writer`] reads each input a second time ([`crate::input::read_raw_records`]) and
//! joins its records to the clusters of a [`Report`] made from the first reading
//! ([`Report::assignments`]). Without duplicates, it writes each cluster's kept record
//! ([`Keep`]) byte for byte as read and drops the others; annotated, it writes every record
//! with the fields of [`FIELDS`] added.
//!
//! ```
//! use capdedup::dedup::{Keep, Writer};
//! use capdedup::input::{self, InputFormat, ReadOptions};
//! use capdedup::Deduper;
//!
//! let data = "id,caption\n1,A cat sleeps. (AP Photo)\n2,\"A dog, barking\"\n3,A cat sleeps.\n";
//! let format = InputFormat::Csv { column: "caption".parse().unwrap(), header: true };
//! let deduper = Deduper::builder().build()?;
//! let mut collector = deduper.collector();
//! input::read_records("t.csv", data.as_bytes(), &format, |line, text| {
//!     collector.push("t.csv", line, text);
//!     Ok(())
//! })?;
//! let report = collector.finish();
//!
//! let mut out = Vec::new();
//! let mut writer = Writer::dedup(&report, Keep::First);
//! let written = writer.write("t.csv", data.as_bytes(), &format, ReadOptions::default(), &mut out)?;
//! writer.finish()?;
//! assert_eq!(String::from_utf8(out).unwrap(), "id,caption\n1,A cat sleeps. (AP Photo)\n2,\"A dog, barking\"\n");
//! assert_eq!((written.read, written.written), (3, 2));
//! # Ok::<(), capdedup::Error>(())
//! ```

use std::io::{BufRead, Write};

use rayon::prelude::*;
use serde_json::Value;

use crate::cluster::Deduper;
use crate::error::{Error, ErrorKind, Result};
use crate::input::{self, InputFormat, InputKind, RawPart, RawRecord, ReadOptions};
use crate::normalize::LearnedCredits;
use crate::report::{Assignments, Cluster, Report};

#[cfg(feature = "parquet")]
pub mod parquet;

/// The fields an annotated record gets, in this order (each name after the prefix, if any):
/// - `cluster_id`: the same for every record of a cluster, derived from its content
///   ([`Cluster::id`]), so stable across runs and input orders;
/// - `cluster_size`: the records in the cluster;
/// - `canonical`: the cluster's caption;
/// - `caption_clean`: the record's caption with its credit removed;
/// - `credit`: the credit removed (JSON `null`, an empty CSV field when none);
/// - `duplicate_of`: `path:line` of the record its cluster keeps (JSON `null`, an empty CSV
///   field on the kept record itself).
pub const FIELDS: [&str; 6] = [
    "cluster_id",
    "cluster_size",
    "canonical",
    "caption_clean",
    "credit",
    "duplicate_of",
];

/// Which record of a cluster is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// The first record in input order (file order, then line).
    #[default]
    First,
    /// The first record whose caption is the cluster's caption (see `--canonical`).
    Canonical,
    /// The first record of the longest caption (credits removed, in characters).
    Longest,
}

impl Keep {
    /// The index in `cluster.members` of the record kept.
    ///
    /// ```
    /// use capdedup::dedup::Keep;
    /// let report = capdedup::cluster(["A cat sleeps", "A cat sleeps.", "A cat sleeps."]);
    /// let c = &report.clusters[0];
    /// assert_eq!(c.caption, "A cat sleeps.");
    /// assert_eq!(Keep::First.member(c), 0);
    /// assert_eq!(Keep::Canonical.member(c), 1);
    /// assert_eq!(Keep::Longest.member(c), 1);
    /// ```
    ///
    /// A deserialized report does not say which variant each member carried: there, every
    /// choice is the first member.
    pub fn member(self, cluster: &Cluster) -> usize {
        match self {
            Keep::First => 0,
            Keep::Canonical => {
                let variant = cluster
                    .variants
                    .iter()
                    .position(|v| v.text == cluster.caption)
                    .unwrap_or(0) as u32;
                cluster
                    .member_variants
                    .iter()
                    .position(|&v| v == variant)
                    .unwrap_or(0)
            }
            Keep::Longest => {
                let lengths: Vec<usize> = cluster
                    .variants
                    .iter()
                    .map(|v| v.text.chars().count())
                    .collect();
                let longest = *lengths.iter().max().unwrap_or(&0);
                cluster
                    .member_variants
                    .iter()
                    .position(|&v| lengths[v as usize] == longest)
                    .unwrap_or(0)
            }
        }
    }
}

/// What [`Writer::write`] did with one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Written {
    /// Records read.
    pub read: u64,
    /// Records written.
    pub written: u64,
}

/// Writes inputs back, joined to the clusters of a report made from them: see the
/// [module documentation](self).
#[derive(Debug)]
pub struct Writer<'r> {
    report: &'r Report,
    assignments: std::iter::Peekable<Assignments<'r>>,
    /// Records read so far, over every input.
    record: u64,
    /// For each cluster, the index of the member kept.
    kept: Vec<u32>,
    annotate: Option<Annotate<'r>>,
}

#[derive(Debug)]
struct Annotate<'r> {
    deduper: &'r Deduper,
    /// The credit lines clustering learned: `caption_clean` and `credit` are what the
    /// clusters were made of.
    learned: LearnedCredits,
    /// The field names, prefixed.
    names: Vec<String>,
    /// The names as JSON strings followed by `:`.
    json_names: Vec<String>,
    /// Each cluster's id.
    ids: Vec<String>,
}

impl<'r> Writer<'r> {
    /// A writer that writes each cluster's kept record, byte for byte as read, and drops
    /// the others.
    pub fn dedup(report: &'r Report, keep: Keep) -> Self {
        Writer {
            report,
            assignments: report.assignments().peekable(),
            record: 0,
            kept: report
                .clusters
                .par_iter()
                .map(|c| keep.member(c) as u32)
                .collect(),
            annotate: None,
        }
    }

    /// A writer that writes every record with the [`FIELDS`] added, their names after
    /// `prefix`; `deduper` (the one that made the report) tells each record's credit.
    /// `duplicate_of` names the record `keep` keeps. Records of a text input (one caption
    /// per line) become JSON lines `{"caption": ..., ...}`; strings of a JSON array become
    /// such objects.
    pub fn annotate(report: &'r Report, keep: Keep, deduper: &'r Deduper, prefix: &str) -> Self {
        let names: Vec<String> = FIELDS.iter().map(|f| format!("{prefix}{f}")).collect();
        let json_names = names
            .iter()
            .map(|n| format!("{}:", Value::from(n.as_str())))
            .collect();
        let ids = report.clusters.par_iter().map(Cluster::id).collect();
        Writer {
            annotate: Some(Annotate {
                deduper,
                learned: LearnedCredits::from_lines(report.learned_credits.clone()),
                names,
                json_names,
                ids,
            }),
            ..Writer::dedup(report, keep)
        }
    }

    /// Reads `reader` (the input named `file`, read as `format`, as it was for the report)
    /// and writes it to `out`. Inputs must come in the order they were read for the report.
    ///
    /// # Errors
    /// A read error; the input differs from the one clustered (a record is not where the
    /// report has it); annotating, a JSON object or CSV header already has a field of an
    /// added name (use a prefix); writing failed. The error names the file and line.
    pub fn write<R: BufRead, W: Write>(
        &mut self,
        file: &str,
        reader: R,
        format: &InputFormat,
        options: ReadOptions,
        mut out: W,
    ) -> Result<Written> {
        let mut written = Written::default();
        let kind = format.kind();
        let json_array = kind == InputKind::Json;
        // The JSON array separator after the last element written, to write before the next.
        let mut separator: Option<Vec<u8>> = None;
        // Records to annotate, rendered a batch at a time on all cores.
        let mut batch = Batch::default();
        input::read_raw_records(file, reader, format, options, |part| {
            if !matches!(part, RawPart::Record(_)) {
                self.flush(&mut batch, &mut out, &mut separator, kind)?;
            }
            match part {
                // A text input annotated becomes JSON Lines, which has no byte-order mark.
                RawPart::Bom if self.annotate.is_some() && kind == InputKind::Lines => {}
                RawPart::Bom => out.write_all(input::BOM)?,
                RawPart::Header { line, bytes, end } => {
                    out.write_all(bytes)?;
                    if let Some(a) = &self.annotate {
                        a.check_header(file, line, bytes)?;
                        for name in &a.names {
                            out.write_all(b",")?;
                            write_csv_field(&mut out, name)?;
                        }
                    }
                    out.write_all(end)?;
                }
                RawPart::Open(bytes) | RawPart::Close(bytes) => out.write_all(bytes)?,
                RawPart::Record(r) => {
                    written.read += 1;
                    let Some((cluster, member)) = self.next_record(file, &r)? else {
                        return Ok(());
                    };
                    if let Some(a) = &self.annotate {
                        // Checked here, in order, so that the first clash is the one named.
                        if let Some(fields) = r.fields {
                            if let Some(name) =
                                a.names.iter().find(|n| fields.contains_key(n.as_str()))
                            {
                                return Err(Error::at(
                                    file,
                                    Some(r.line),
                                    ErrorKind::FieldClash(name.clone()),
                                ));
                            }
                        }
                        written.written += 1;
                        batch.push(&r, cluster, member);
                        if batch.is_full() {
                            self.flush(&mut batch, &mut out, &mut separator, kind)?;
                        }
                        return Ok(());
                    }
                    if self.kept[cluster] as usize != member {
                        return Ok(());
                    }
                    written.written += 1;
                    write_record(&mut out, r.bytes, r.end, json_array, &mut separator)?;
                }
            }
            Ok(())
        })?;
        self.flush(&mut batch, &mut out, &mut separator, kind)?;
        out.flush()?;
        Ok(written)
    }

    /// Renders the records of `batch` on all cores and writes them in order.
    fn flush<W: Write>(
        &self,
        batch: &mut Batch,
        out: &mut W,
        separator: &mut Option<Vec<u8>>,
        kind: InputKind,
    ) -> Result<()> {
        let Some(a) = &self.annotate else {
            return Ok(());
        };
        if batch.items.is_empty() {
            return Ok(());
        }
        let arena = &batch.arena;
        // Each chunk: its records rendered one after the other, and where each ends.
        let rendered: Vec<(Vec<u8>, Vec<usize>)> = batch
            .items
            .par_chunks(256)
            .map(|chunk| {
                let mut buf = Vec::with_capacity(chunk.len() * 256);
                let mut ends = Vec::with_capacity(chunk.len());
                for item in chunk {
                    a.render(self.report, &self.kept, item, arena, kind, &mut buf);
                    ends.push(buf.len());
                }
                (buf, ends)
            })
            .collect();
        let json_array = kind == InputKind::Json;
        let mut items = batch.items.iter();
        for (buf, ends) in &rendered {
            let mut from = 0;
            for &to in ends {
                let item = items.next().expect("an item per rendered record");
                let end = &arena[item.end.clone()];
                write_record(&mut *out, &buf[from..to], end, json_array, separator)?;
                from = to;
            }
        }
        batch.items.clear();
        batch.arena.clear();
        Ok(())
    }

    /// Checks that every record of the report was met in the inputs written.
    ///
    /// # Errors
    /// Records are missing: an input changed since it was clustered, or was not written.
    pub fn finish(mut self) -> Result<()> {
        match self.assignments.next() {
            None => Ok(()),
            Some(a) => {
                let m = a.member();
                Err(Error::at(&m.file, Some(m.line), ErrorKind::Changed))
            }
        }
    }

    /// The cluster and member of the next record read, which is `r` of `file`; `None` when
    /// the report left it out (`credited_only`).
    fn next_record(&mut self, file: &str, r: &RawRecord<'_>) -> Result<Option<(usize, usize)>> {
        self.next_row(file, r.line)
    }

    /// [`Writer::next_record`] for the record at `line` (a Parquet row number).
    pub(crate) fn next_row(&mut self, file: &str, line: u64) -> Result<Option<(usize, usize)>> {
        let record = self.record;
        self.record += 1;
        let changed = || Error::at(file, Some(line), ErrorKind::Changed);
        match self.assignments.peek() {
            Some(a) if a.record == record => {
                let m = a.member();
                if m.line != line || &*m.file != file {
                    return Err(changed());
                }
                let found = (a.cluster, a.member_index);
                self.assignments.next();
                Ok(Some(found))
            }
            _ if self.report.records_left_out.binary_search(&record).is_ok() => Ok(None),
            _ => Err(changed()),
        }
    }
}

#[cfg(feature = "parquet")]
impl Writer<'_> {
    /// The names of the added fields, prefixed; `None` when not annotating.
    pub(crate) fn annotation_names(&self) -> Option<Vec<String>> {
        self.annotate.as_ref().map(|a| a.names.clone())
    }

    /// Whether member `member` of cluster `cluster` is the one kept.
    pub(crate) fn keeps(&self, cluster: usize, member: usize) -> bool {
        self.kept[cluster] as usize == member
    }

    /// The values of the added fields for a record, in the order of [`FIELDS`]; `None` when
    /// not annotating.
    pub(crate) fn annotation(
        &self,
        cluster: usize,
        member: usize,
        caption: &str,
    ) -> Option<[Option<String>; 6]> {
        let a = self.annotate.as_ref()?;
        let values = a.values(self.report, &self.kept, cluster, member, caption);
        Some(values.map(|v| v.map(std::borrow::Cow::into_owned)))
    }
}

impl Annotate<'_> {
    /// The values of the added fields for member `member` of cluster `cluster`, whose
    /// caption is `caption`, in the order of [`FIELDS`]; `render` gives them their form.
    fn values<'v>(
        &'v self,
        report: &'v Report,
        kept: &[u32],
        cluster: usize,
        member: usize,
        caption: &str,
    ) -> [Option<std::borrow::Cow<'v, str>>; 6] {
        use std::borrow::Cow;
        let c = &report.clusters[cluster];
        let stripped = self
            .deduper
            .strip_learned(&self.learned, self.deduper.strip(caption));
        let kept_member = kept[cluster] as usize;
        let duplicate_of = (kept_member != member).then(|| {
            let m = &c.members[kept_member];
            Cow::Owned(format!("{}:{}", m.file, m.line))
        });
        [
            Some(Cow::Borrowed(self.ids[cluster].as_str())),
            Some(Cow::Owned(c.count.to_string())),
            Some(Cow::Borrowed(c.caption.as_str())),
            Some(Cow::Owned(stripped.caption)),
            stripped.credit.map(Cow::Owned),
            duplicate_of,
        ]
    }

    /// A CSV header must not have a column of an added name.
    fn check_header(&self, file: &str, line: u64, header: &[u8]) -> Result<()> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(header);
        let mut record = csv::ByteRecord::new();
        if csv.read_byte_record(&mut record).unwrap_or(false) {
            for column in &record {
                let column = String::from_utf8_lossy(column);
                if let Some(name) = self.names.iter().find(|n| **n == column.trim()) {
                    return Err(Error::at(
                        file,
                        Some(line),
                        ErrorKind::FieldClash(name.clone()),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The record `item` (its text in `arena`) with the fields added, without its end.
    fn render(
        &self,
        report: &Report,
        kept: &[u32],
        item: &Item,
        arena: &[u8],
        kind: InputKind,
        out: &mut Vec<u8>,
    ) {
        let caption = std::str::from_utf8(&arena[item.caption.clone()]).unwrap_or_default();
        let bytes = &arena[item.bytes.clone()];
        let owned = self.values(report, kept, item.cluster, item.member, caption);
        let values: [Option<&str>; 6] = std::array::from_fn(|i| owned[i].as_deref());
        if kind == InputKind::Csv {
            out.extend_from_slice(bytes);
            for v in values {
                out.push(b',');
                // Writing to a Vec cannot fail.
                let _ = write_csv_field(&mut *out, v.unwrap_or(""));
            }
            return;
        }
        // JSON: the fields go before the object's closing brace; a caption that is not in
        // an object (a line of text, a string of an array) becomes one.
        let (head, tail, first): (&[u8], &[u8], bool) = match item.object {
            Some(empty) => {
                let close = bytes
                    .iter()
                    .rposition(|&b| b == b'}')
                    .unwrap_or(bytes.len());
                (&bytes[..close], &bytes[close..], empty)
            }
            None => {
                out.extend_from_slice(b"{\"caption\":");
                if kind == InputKind::Json {
                    // The string element, as written.
                    out.extend_from_slice(bytes);
                } else {
                    json_string(out, caption);
                }
                (&[], b"}", false)
            }
        };
        out.extend_from_slice(head);
        for (i, (name, v)) in self.json_names.iter().zip(values).enumerate() {
            if i > 0 || !first {
                out.push(b',');
            }
            out.extend_from_slice(name.as_bytes());
            match (i, v) {
                (_, None) => out.extend_from_slice(b"null"),
                (1, Some(size)) => out.extend_from_slice(size.as_bytes()),
                (_, Some(text)) => json_string(out, text),
            }
        }
        out.extend_from_slice(tail);
    }
}

/// Records waiting to be annotated: their text in one buffer.
#[derive(Debug, Default)]
struct Batch {
    arena: Vec<u8>,
    items: Vec<Item>,
}

/// One record of a [`Batch`]: where its parts are in the arena, and its place in the report.
#[derive(Debug)]
struct Item {
    caption: std::ops::Range<usize>,
    bytes: std::ops::Range<usize>,
    end: std::ops::Range<usize>,
    /// For a JSON object, whether it is empty.
    object: Option<bool>,
    cluster: usize,
    member: usize,
}

impl Batch {
    fn push(&mut self, r: &RawRecord<'_>, cluster: usize, member: usize) {
        let mut put = |b: &[u8]| {
            let from = self.arena.len();
            self.arena.extend_from_slice(b);
            from..self.arena.len()
        };
        let caption = put(r.caption.as_bytes());
        let bytes = put(r.bytes);
        let end = put(r.end);
        self.items.push(Item {
            caption,
            bytes,
            end,
            object: r.fields.map(serde_json::Map::is_empty),
            cluster,
            member,
        });
    }

    fn is_full(&self) -> bool {
        self.items.len() >= 1 << 14 || self.arena.len() >= 8 << 20
    }
}

/// Writes a record and what ends it; a JSON array element's separator is held back until
/// another element follows.
fn write_record<W: Write + ?Sized>(
    out: &mut W,
    body: &[u8],
    end: &[u8],
    json_array: bool,
    separator: &mut Option<Vec<u8>>,
) -> std::io::Result<()> {
    if json_array {
        if let Some(sep) = separator.take() {
            out.write_all(&sep)?;
        }
        out.write_all(body)?;
        *separator = Some(end.to_vec());
        Ok(())
    } else {
        out.write_all(body)?;
        out.write_all(end)
    }
}

/// `text` as a JSON string.
fn json_string(out: &mut Vec<u8>, text: &str) {
    // Serializing a string into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

/// One CSV field, quoted when it holds a comma, a quote or a line break.
fn write_csv_field<W: Write + ?Sized>(out: &mut W, text: &str) -> std::io::Result<()> {
    if text.contains([',', '"', '\r', '\n']) {
        out.write_all(b"\"")?;
        out.write_all(text.replace('"', "\"\"").as_bytes())?;
        out.write_all(b"\"")
    } else {
        out.write_all(text.as_bytes())
    }
}
