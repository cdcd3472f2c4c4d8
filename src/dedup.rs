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
use crate::report::{Assignments, Cluster, Report};

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
    /// # Panics
    /// For [`Keep::Canonical`] and [`Keep::Longest`], on a deserialized report's cluster (it
    /// does not say which variant each member carried).
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
        let mut line_buf = Vec::new();
        input::read_raw_records(file, reader, format, options, |part| {
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
                    let kept = self.kept[cluster] as usize == member;
                    if self.annotate.is_none() && !kept {
                        return Ok(());
                    }
                    written.written += 1;
                    if json_array {
                        if let Some(sep) = separator.take() {
                            out.write_all(&sep)?;
                        }
                    }
                    match &self.annotate {
                        None => out.write_all(r.bytes)?,
                        Some(a) => {
                            line_buf.clear();
                            a.render(
                                self.report,
                                &self.kept,
                                file,
                                &r,
                                cluster,
                                member,
                                kind,
                                &mut line_buf,
                            )?;
                            out.write_all(&line_buf)?;
                        }
                    }
                    if json_array {
                        separator = Some(r.end.to_vec());
                    } else {
                        out.write_all(r.end)?;
                    }
                }
            }
            Ok(())
        })?;
        out.flush()?;
        Ok(written)
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
        let record = self.record;
        self.record += 1;
        let changed = || Error::at(file, Some(r.line), ErrorKind::Changed);
        match self.assignments.peek() {
            Some(a) if a.record == record => {
                let m = a.member();
                if m.line != r.line || &*m.file != file {
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

impl Annotate<'_> {
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

    /// The record `r` with the fields added, without its end.
    #[allow(clippy::too_many_arguments)]
    fn render(
        &self,
        report: &Report,
        kept: &[u32],
        file: &str,
        r: &RawRecord<'_>,
        cluster: usize,
        member: usize,
        kind: InputKind,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        let c = &report.clusters[cluster];
        let stripped = self.deduper.strip(r.caption);
        let kept_member = kept[cluster] as usize;
        let duplicate_of = (kept_member != member).then(|| {
            let m = &c.members[kept_member];
            format!("{}:{}", m.file, m.line)
        });
        let size = c.count.to_string();
        let values: [Option<&str>; 6] = [
            Some(&self.ids[cluster]),
            Some(&size),
            Some(&c.caption),
            Some(&stripped.caption),
            stripped.credit.as_deref(),
            duplicate_of.as_deref(),
        ];
        if kind == InputKind::Csv {
            out.extend_from_slice(r.bytes);
            for v in values {
                out.push(b',');
                write_csv_field(&mut *out, v.unwrap_or(""))?;
            }
            return Ok(());
        }
        // JSON: the fields go before the object's closing brace; a caption that is not in
        // an object (a line of text, a string of an array) becomes one.
        let (head, tail, first): (&[u8], &[u8], bool) = match r.fields {
            Some(fields) => {
                if let Some(name) = self.names.iter().find(|n| fields.contains_key(n.as_str())) {
                    return Err(Error::at(
                        file,
                        Some(r.line),
                        ErrorKind::FieldClash(name.clone()),
                    ));
                }
                let close = r
                    .bytes
                    .iter()
                    .rposition(|&b| b == b'}')
                    .unwrap_or(r.bytes.len());
                (&r.bytes[..close], &r.bytes[close..], fields.is_empty())
            }
            None => {
                out.extend_from_slice(b"{\"caption\":");
                if kind == InputKind::Json {
                    // The string element, as written.
                    out.extend_from_slice(r.bytes);
                } else {
                    serde_json::to_writer(&mut *out, r.caption).map_err(std::io::Error::from)?;
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
                (_, Some(text)) => {
                    serde_json::to_writer(&mut *out, text).map_err(std::io::Error::from)?;
                }
            }
        }
        out.extend_from_slice(tail);
        Ok(())
    }
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
