//! Recall of the candidate index at scale, measured on a sample: does the index built over
//! the whole input still find the similar pairs of a 20,000-caption sample that an
//! exhaustive comparison finds?
//!
//! ```sh
//! cargo run --release --example generate -- --count 10000000 --seed 42 > /tmp/long-10m.txt
//! cargo run --release --example recall_scale -- /tmp/long-10m.txt --sample 20000
//! ```
//!
//! Comparing a sample against ten million captions exhaustively is out of reach (2·10^11
//! pairs), but the index's candidates for them are not: the candidates of the index built
//! over the whole input, exactly as clustering builds and joins it, contain a pair of the
//! sample or do not. So:
//!
//! 1. the input is read and clustered once with the library, which gives every distinct
//!    comparison key (credits stripped, boilerplate left out, exactly as the command line
//!    compares them) and the first line each key appears on;
//! 2. the **truth**: every pair of distinct keys of the sample (the first `--sample` records)
//!    whose similarity reaches the threshold, found by comparing all pairs of the sample
//!    (a length window and a character-histogram bound, both exact, then the metric);
//! 3. for each prefix of the input (the sample itself, 1M, 4M, ... records, and the whole
//!    input) the index ([`Index::build`]) over the keys first seen in that prefix, with its
//!    cap on a fingerprint's keys ([`capdedup::index::MAX_POSTING`]) and the refinement of
//!    the fingerprints over it, joined with the classes of numbers the default veto gives
//!    long keys ([`Index::candidate_pairs_apart`]); a true pair is **found** at that size
//!    when it is a candidate;
//! 4. recall = found / truth, per threshold and size.
//!
//! The pairs are reported twice: every similar pair (as `--veto none` counts them, though
//! the join with classes may leave out pairs that differ in a number, which the veto rejects
//! anyway), and the pairs the default facts veto lets through, the ones clustering can link.
//! Until refinement, the tool counted each sample fingerprint's keys per prefix instead (the
//! cap was then the only thing that changed with the input's size): docs/performance.md,
//! "Recall at scale", has the figures of both.
//!
//! At the sample's own size the figure is the index's recall on the sample alone, which
//! `bench/recall.sh` measures end to end against `--exhaustive` (a check of this method).
//! The sample is the input's first records, so it holds whole families of near duplicates
//! (the generator's edits refer to earlier captions), not a scatter of unrelated captions.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{BufRead, BufReader};

use capdedup::facts::Facts;
use capdedup::index::{Histogram, Index, TINY_MAX};
use capdedup::similarity::{Metric, Scorer};
use capdedup::{Deduper, NoProgress, Veto};
use rayon::prelude::*;

struct Args {
    input: String,
    sample: u64,
    thresholds: Vec<f64>,
    sizes: Vec<u64>,
}

fn parse_args() -> Args {
    let mut args = Args {
        input: String::new(),
        sample: 20_000,
        thresholds: vec![0.8, 0.85, 0.9, 0.95],
        sizes: vec![1_000_000, 4_000_000],
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--sample" => args.sample = value().parse().expect("--sample N"),
            "--thresholds" => {
                args.thresholds = value()
                    .split(',')
                    .map(|t| t.parse().expect("--thresholds 0.8,0.9"))
                    .collect()
            }
            "--sizes" => {
                args.sizes = value()
                    .split(',')
                    .map(|t| t.parse().expect("--sizes 1000000,4000000"))
                    .collect()
            }
            _ if args.input.is_empty() => args.input = a,
            _ => panic!("unexpected argument {a}"),
        }
    }
    assert!(
        !args.input.is_empty(),
        "usage: recall_scale FILE [--sample N]"
    );
    args
}

/// Every distinct comparison key of the input with the first line it appears on.
fn keys_of(path: &str) -> (Vec<(String, u64)>, u64) {
    let deduper = Deduper::builder()
        .threshold(0.95)
        .build()
        .expect("default options");
    let mut collector = deduper.collector();
    let file = File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut records = 0u64;
    let mut batch: Vec<(u64, String)> = Vec::with_capacity(65_536);
    for (i, line) in BufReader::new(file).lines().enumerate() {
        batch.push((i as u64 + 1, line.expect("UTF-8 text")));
        records += 1;
        if batch.len() == batch.capacity() {
            collector.push_batch(path, &batch);
            batch.clear();
        }
    }
    collector.push_batch(path, &batch);
    drop(batch);
    let clustering = collector.finish_clustering(&NoProgress);
    let mut keys: Vec<(String, u64)> = Vec::new();
    let step = 65_536;
    for start in (0..clustering.len()).step_by(step) {
        let end = (start + step).min(clustering.len());
        for cluster in clustering.clusters(start..end) {
            let mut first: HashMap<&str, u64> = HashMap::new();
            for (member, &v) in cluster.members.iter().zip(&cluster.member_variants) {
                let key = cluster.variant_keys[v as usize].as_str();
                let line = first.entry(key).or_insert(member.line);
                *line = (*line).min(member.line);
            }
            keys.extend(first.into_iter().map(|(k, l)| (k.to_owned(), l)));
        }
    }
    // A key belongs to one cluster, but say so rather than assume it.
    keys.par_sort_unstable();
    keys.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 = a.1.min(b.1);
            true
        } else {
            false
        }
    });
    (keys, records)
}

fn main() {
    let args = parse_args();
    let started = std::time::Instant::now();
    let (keys, records) = keys_of(&args.input);
    let lens: Vec<usize> = keys.par_iter().map(|(k, _)| k.chars().count()).collect();
    let sample: Vec<usize> = (0..keys.len())
        .filter(|&i| keys[i].1 <= args.sample)
        .collect();
    let mut sizes: Vec<u64> = vec![args.sample.min(records)];
    sizes.extend(
        args.sizes
            .iter()
            .copied()
            .filter(|&s| s > args.sample && s < records),
    );
    sizes.push(records);
    sizes.dedup();
    eprintln!(
        "{records} records, {} distinct keys, sample of the first {} records: {} distinct keys ({:.0} s)",
        keys.len(),
        args.sample,
        sample.len(),
        started.elapsed().as_secs_f64()
    );
    let metric = Metric::default();
    // Clustering gives a long key (more than 64 characters) the hash of its numbers as its
    // class when the veto is on: any function of the numbers splits the keys the same way.
    let classes: Vec<u32> = keys
        .par_iter()
        .zip(&lens)
        .map(|((key, _), &len)| {
            if len <= 64 {
                return 0;
            }
            let mut h = DefaultHasher::new();
            Facts::of(key).numbers.hash(&mut h);
            (h.finish() >> 32) as u32 | 1
        })
        .collect();
    println!(
        "{:>9} {:>8} {:>9} | {:>8} {:>8} {:>9} | {:>8} {:>8} {:>9}",
        "threshold", "records", "tiny", "similar", "found", "recall", "linkable", "found", "recall"
    );
    for &t in &args.thresholds {
        // 2. The truth: all pairs of the sample's keys, by length, bounded, then verified.
        let mut by_len = sample.clone();
        by_len.sort_by_key(|&i| (lens[i], i));
        let hist: Vec<Histogram> = by_len.iter().map(|&i| Histogram::of(&keys[i].0)).collect();
        let truth: Vec<(usize, usize)> = (0..by_len.len())
            .into_par_iter()
            .flat_map_iter(|a| {
                let ia = by_len[a];
                let scorer = Scorer::new(metric, t, &keys[ia].0, lens[ia]);
                let mut out = Vec::new();
                for b in a + 1..by_len.len() {
                    let ib = by_len[b];
                    // Sorted by length: once the longer is too long, so is every later one.
                    if (lens[ia] as f64) < t * lens[ib] as f64 - 1e-9 {
                        break;
                    }
                    let k = capdedup::similarity::max_distance(lens[ib], t);
                    if hist[a].edit_lower_bound(&hist[b]) > k {
                        continue;
                    }
                    if scorer.within(&keys[ib].0, lens[ib]).is_some() {
                        out.push((ia, ib));
                    }
                }
                out.into_iter()
            })
            .collect();
        // Tiny keys go through the exact filter, which no size caps: set their pairs aside.
        let tiny = |i: usize| lens[i] <= TINY_MAX;
        let (tiny_pairs, pairs): (Vec<_>, Vec<_>) =
            truth.iter().partition(|&&(a, b)| tiny(a) || tiny(b));
        // The pairs the default veto lets through: the ones clustering can link.
        let linkable: Vec<bool> = pairs
            .par_iter()
            .map(|&&(a, b)| {
                Facts::of(&keys[a].0)
                    .verdict(&Facts::of(&keys[b].0), Veto::default())
                    .is_none()
            })
            .collect();
        // 3. For each size, the index over the keys first seen by then, joined as clustering
        // joins it with the default veto (classes of numbers), and its candidates looked up.
        let percent = |n: usize, of: usize| {
            if of == 0 {
                100.0
            } else {
                100.0 * n as f64 / of as f64
            }
        };
        for &size in &sizes {
            // Ids of the keys of this prefix, ascending: a key's place in it by binary search.
            let ids: Vec<usize> = (0..keys.len()).filter(|&i| keys[i].1 <= size).collect();
            let refs: Vec<(&str, usize)> =
                ids.iter().map(|&i| (keys[i].0.as_str(), lens[i])).collect();
            let index = Index::build(&refs, t);
            let candidates = index.candidate_pairs_apart(t, |j| classes[ids[j]]);
            drop(index);
            let place = |i: usize| {
                ids.binary_search(&i)
                    .expect("the sample is in every prefix")
            };
            let found: Vec<bool> = pairs
                .par_iter()
                .map(|&&(a, b)| {
                    let (x, y) = (place(a) as u64, place(b) as u64);
                    candidates
                        .binary_search(&((x.min(y) << 32) | x.max(y)))
                        .is_ok()
                })
                .collect();
            drop(candidates);
            // A few of the linkable pairs missed over the whole input, to see why.
            if size == *sizes.last().unwrap() {
                for (&&(a, b), _) in pairs
                    .iter()
                    .zip(&found)
                    .zip(&linkable)
                    .filter(|&((_, &f), &l)| l && !f)
                    .map(|(x, _)| x)
                    .take(6)
                {
                    eprintln!(
                        "linkable pair missed at {t}:\n  {}\n  {}",
                        keys[a].0, keys[b].0
                    );
                }
            }
            let all = found.iter().filter(|&&f| f).count();
            let link_truth = linkable.iter().filter(|&&l| l).count();
            let link = found
                .iter()
                .zip(&linkable)
                .filter(|&(&f, &l)| l && f)
                .count();
            println!(
                "{t:>9} {size:>8} {:>9} | {:>8} {all:>8} {:>8.3}% | {link_truth:>8} {link:>8} {:>8.3}%",
                tiny_pairs.len(),
                pairs.len(),
                percent(all, pairs.len()),
                percent(link, link_truth),
            );
        }
    }
    eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
}
