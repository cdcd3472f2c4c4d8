//! The clusterer on a few captions split from the input, with options from its first bytes.
//!
//! - nothing is lost: counts add up to the records, every record is a member of exactly one
//!   cluster, variants add up to the count, and every credit removed is reported;
//! - under centre linkage every member is within the threshold of the caption shown (the
//!   centre) when that caption is the most frequent one;
//! - the report serializes to JSON.
#![no_main]

use capdedup::{BoilerplateMode, Canonical, Deduper, Linkage, Metric};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let captions: Vec<&str> = text.split('\n').take(12).collect();
    let threshold =
        [0.0, 0.5, 0.8, 0.85, 0.9, 0.95, 1.0, f64::from(*b) / 255.0][usize::from(a % 8)];
    let metric = Metric::ALL[usize::from(a / 8 % 5)];
    let linkage = if a / 40 % 2 == 0 {
        Linkage::Centre
    } else {
        Linkage::Single
    };
    let canonical = [
        Canonical::MostFrequent,
        Canonical::First,
        Canonical::Longest,
        Canonical::Shortest,
    ][usize::from(b % 4)];
    let boilerplate = if b / 4 % 2 == 0 {
        BoilerplateMode::Auto
    } else {
        BoilerplateMode::Keep
    };
    let deduper = Deduper::builder()
        .threshold(threshold)
        .metric(metric)
        .linkage(linkage)
        .canonical(canonical)
        .boilerplate(boilerplate)
        .keep_credits(b / 8 % 4 == 0)
        .credited_only(b / 32 % 4 == 0)
        .build()
        .expect("valid options");
    let report = deduper.cluster_texts(&captions);

    let selected: Vec<u64> = captions
        .iter()
        .enumerate()
        .filter(|(_, c)| deduper.selects(&deduper.strip(c)))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    let credited = captions
        .iter()
        .filter(|c| {
            let s = deduper.strip(c);
            deduper.selects(&s) && s.credit.is_some()
        })
        .count() as u64;
    assert_eq!(report.records_read, captions.len() as u64);
    assert_eq!(report.records, selected.len() as u64);
    let mut members: Vec<u64> = Vec::new();
    let mut credits = 0;
    for c in &report.clusters {
        assert!(c.count > 0);
        assert_eq!(c.count, c.members.len() as u64);
        assert_eq!(c.count, c.variants.iter().map(|v| v.count).sum::<u64>());
        assert!(c.variants.iter().any(|v| v.text == c.caption));
        credits += c.credits.iter().map(|v| v.count).sum::<u64>();
        members.extend(c.members.iter().map(|m| m.line));
        assert!(
            (0.0..=1.0).contains(&c.min_similarity),
            "{}",
            c.min_similarity
        );
        if linkage == Linkage::Centre && canonical == Canonical::MostFrequent {
            assert!(
                c.min_similarity >= threshold,
                "{metric} {threshold}: {} < threshold in {c:?}",
                c.min_similarity
            );
        }
    }
    members.sort_unstable();
    assert_eq!(members, selected, "every record is in exactly one cluster");
    assert_eq!(credits, credited, "every credit removed is reported");
    let json = serde_json::to_string(&report).expect("the report serializes");
    assert!(json.starts_with("{\"version\":1,"));
});
