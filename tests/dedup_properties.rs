//! Order and accounting of `dedup`, as properties over generated inputs in every format:
//! without duplicates, one record per cluster is written, each an input record byte for
//! byte, in input order, and the output has no exact duplicate left; annotated, every
//! record is written and the cluster ids partition the records as the clusters do.

use std::collections::{HashMap, HashSet};

use capdedup::dedup::{Keep, Writer};
use capdedup::input::{self, InputFormat, RawPart, ReadOptions};
use capdedup::{Deduper, Report};
use proptest::prelude::*;
use proptest::sample::select;

const BASES: &[&str] = &[
    "A cat sleeps on a windowsill.",
    "A dog barks at the mailman.",
    "Riot police detain a protester in Minsk.",
    "Flooding in Venice, Italy.",
    "He said \"hi\" to the crowd, twice.",
    "A heron fishes in the pond at dawn.",
];
const CREDITS: &[&str] = &[
    "",
    "",
    " (AP Photo)",
    " REUTERS/Vasily Fedosenko",
    " (Getty Images)",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Lines,
    Csv,
    Jsonl,
    Json,
}

/// A caption: a base, maybe with a typo, a case change, a line break (where the format can
/// hold one) and a credit.
fn caption() -> impl Strategy<Value = (usize, u8, bool, bool, usize)> {
    (
        0..BASES.len(),
        0u8..4,
        any::<bool>(),
        any::<bool>(),
        0..CREDITS.len(),
    )
}

fn text(
    (base, edit, upper, newline, credit): (usize, u8, bool, bool, usize),
    layout: Layout,
) -> String {
    let mut t = BASES[base].to_owned();
    match edit {
        1 => {
            t.remove(3);
        }
        2 => t.push('!'),
        _ => {}
    }
    if upper {
        t = t.to_uppercase();
    }
    if newline && layout != Layout::Lines && layout != Layout::Jsonl {
        t = t.replacen(' ', "\n", 1);
    }
    t + CREDITS[credit]
}

/// The input's bytes and format.
fn render(captions: &[String], layout: Layout, crlf: bool, bom: bool) -> (Vec<u8>, InputFormat) {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    let format = match layout {
        Layout::Lines => {
            for c in captions {
                out += &format!("{c}{eol}");
            }
            InputFormat::Lines
        }
        Layout::Csv => {
            out += &format!("id,caption,url{eol}");
            for (i, c) in captions.iter().enumerate() {
                out += &format!(
                    "{i},\"{}\",https://example.org/{i}{eol}",
                    c.replace('"', "\"\"")
                );
            }
            InputFormat::Csv {
                column: "caption".parse().unwrap(),
                header: true,
            }
        }
        Layout::Jsonl => {
            for (i, c) in captions.iter().enumerate() {
                let c = serde_json::to_string(c).unwrap();
                out += &format!(
                    "{{\"id\": {i}, \"meta\": {{\"caption\": {c}, \"tags\": [1, {{\"a\": null}}]}}}}{eol}"
                );
            }
            InputFormat::Jsonl {
                field: "meta.caption".into(),
            }
        }
        Layout::Json => {
            out += "[";
            for (i, c) in captions.iter().enumerate() {
                let c = serde_json::to_string(c).unwrap();
                let sep = if i == 0 { "" } else { "," };
                if i % 3 == 2 {
                    out += &format!("{sep}{eol}  {c}");
                } else {
                    out += &format!("{sep}{eol}  {{\"id\": {i}, \"caption\": {c}}}");
                }
            }
            out += &format!("{eol}]{eol}");
            InputFormat::Json {
                field: "caption".into(),
            }
        }
    };
    (out.into_bytes(), format)
}

/// Each record's bytes and caption as read.
fn records(data: &[u8], format: &InputFormat) -> Vec<(Vec<u8>, String)> {
    let mut out = Vec::new();
    input::read_raw_records("in", data, format, ReadOptions::default(), |part| {
        if let RawPart::Record(r) = part {
            out.push((r.bytes.to_vec(), r.caption.to_owned()));
        }
        Ok(())
    })
    .unwrap();
    out
}

fn cluster(deduper: &Deduper, data: &[u8], format: &InputFormat) -> Report {
    let mut collector = deduper.collector();
    input::read_records("in", data, format, |line, text| {
        collector.push("in", line, text);
        Ok(())
    })
    .unwrap();
    collector.finish()
}

fn layouts() -> impl Strategy<Value = Layout> {
    select(vec![
        Layout::Lines,
        Layout::Csv,
        Layout::Jsonl,
        Layout::Json,
    ])
}

fn keeps() -> impl Strategy<Value = Keep> {
    select(vec![Keep::First, Keep::Canonical, Keep::Longest])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn dedup_writes_one_input_record_per_cluster_in_order(
        picks in proptest::collection::vec(caption(), 0..40),
        layout in layouts(),
        keep in keeps(),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let captions: Vec<String> = picks.iter().map(|&p| text(p, layout)).collect();
        let (data, format) = render(&captions, layout, crlf, bom);
        let deduper = Deduper::builder().build().unwrap();
        let report = cluster(&deduper, &data, &format);
        let mut out = Vec::new();
        let mut writer = Writer::dedup(&report, keep);
        let written = writer.write("in", &data[..], &format, ReadOptions::default(), &mut out).unwrap();
        writer.finish().unwrap();
        prop_assert_eq!(written.read, captions.len() as u64);
        prop_assert_eq!(written.written, report.clusters.len() as u64);
        prop_assert_eq!(out.starts_with("\u{feff}".as_bytes()), bom, "the BOM is kept");

        // The output's records are input records, byte for byte, in input order, one per
        // cluster.
        let input = records(&data, &format);
        let output = records(&out, &format);
        prop_assert_eq!(output.len(), report.clusters.len());
        let cluster_of: Vec<usize> = report.assignments().map(|a| a.cluster).collect();
        let mut at = 0;
        let mut seen = HashSet::new();
        for (bytes, _) in &output {
            while at < input.len() && &input[at].0 != bytes {
                at += 1;
            }
            prop_assert!(at < input.len(), "a written record is not an input record, or out of order");
            prop_assert!(seen.insert(cluster_of[at]), "two records of one cluster");
            at += 1;
        }
        // No exact duplicate is left: no two written captions share a comparison key.
        let again = deduper.cluster_texts(output.iter().map(|(_, c)| c));
        for c in &again.clusters {
            let keys: HashSet<&str> = (0..c.members.len()).map(|i| c.member_key(i)).collect();
            prop_assert_eq!(keys.len(), c.members.len(), "exact duplicates in {:?}", c.members);
        }
    }

    #[test]
    fn annotate_writes_every_record_and_ids_partition_them_as_clusters_do(
        picks in proptest::collection::vec(caption(), 0..40),
        layout in layouts(),
        keep in keeps(),
        crlf in any::<bool>(),
    ) {
        let captions: Vec<String> = picks.iter().map(|&p| text(p, layout)).collect();
        let (data, format) = render(&captions, layout, crlf, false);
        let deduper = Deduper::builder().build().unwrap();
        let report = cluster(&deduper, &data, &format);
        let mut out = Vec::new();
        let mut writer = Writer::annotate(&report, keep, &deduper, "");
        let written = writer.write("in", &data[..], &format, ReadOptions::default(), &mut out).unwrap();
        writer.finish().unwrap();
        prop_assert_eq!(written.written, captions.len() as u64);

        // The cluster id of each record, read back from the output.
        let ids: Vec<String> = match layout {
            Layout::Csv => {
                let mut csv = csv::Reader::from_reader(&out[..]);
                let at = csv.headers().unwrap().iter().position(|h| h == "cluster_id").unwrap();
                csv.records().map(|r| r.unwrap()[at].to_owned()).collect()
            }
            Layout::Json => {
                let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
                doc.as_array().unwrap().iter().map(|v| v["cluster_id"].as_str().unwrap().to_owned()).collect()
            }
            Layout::Lines | Layout::Jsonl => String::from_utf8(out.clone()).unwrap().lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["cluster_id"].as_str().unwrap().to_owned())
                .collect(),
        };
        prop_assert_eq!(ids.len(), captions.len());
        let cluster_of: Vec<usize> = report.assignments().map(|a| a.cluster).collect();
        let mut id_of_cluster: HashMap<usize, &str> = HashMap::new();
        let mut cluster_of_id: HashMap<&str, usize> = HashMap::new();
        for (id, &c) in ids.iter().zip(&cluster_of) {
            prop_assert_eq!(*id_of_cluster.entry(c).or_insert(id), id.as_str());
            prop_assert_eq!(*cluster_of_id.entry(id).or_insert(c), c);
        }
    }

    #[test]
    fn cluster_ids_do_not_depend_on_input_order(
        picks in proptest::collection::vec(caption(), 1..30),
        seed in any::<u64>(),
    ) {
        let captions: Vec<String> = picks.iter().map(|&p| text(p, Layout::Lines)).collect();
        let mut shuffled = captions.clone();
        // A deterministic shuffle from the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let deduper = Deduper::builder().build().unwrap();
        let ids = |captions: &[String]| -> HashMap<String, String> {
            let report = deduper.cluster_texts(captions);
            report
                .assignments()
                .map(|a| (captions[a.record as usize].clone(), a.cluster().id()))
                .collect()
        };
        prop_assert_eq!(ids(&captions), ids(&shuffled));
    }
}
