//! Quality report on the hand-labelled fixtures: how well credit stripping does on real
//! captions, and how the current clustering decision does on labelled caption pairs.
//!
//! ```sh
//! cargo run --example quality                      # the report
//! cargo run --release --example quality -- --time ../shared/data/web_captions.jsonl
//! ```
//!
//! `--time FILE` instead times `strip_credits` on the `caption` field of a JSON Lines file,
//! repeated until about a million captions have been stripped, and prints ns per caption.

mod labelled;

use std::time::Instant;

use capdedup::Veto;
use labelled::{Judged, Outcome, percent};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {
            stripping_report();
            println!();
            pairs_report();
        }
        [flag, path] if flag == "--time" => time_stripping(path),
        _ => {
            eprintln!("usage: quality [--time CAPTIONS.jsonl]");
            std::process::exit(2);
        }
    }
}

fn stripping_report() {
    let captions = labelled::captions();
    let outcomes = labelled::judge(&captions);
    println!(
        "Credit stripping: {} hand-labelled captions (fixtures/labelled/captions.jsonl)",
        outcomes.len()
    );
    println!("{:<26}{:>10}{:>10}{:>10}", "", "all", "random", "style");
    let groups: Vec<Vec<&Outcome>> = [None, Some("random"), Some("style")]
        .iter()
        .map(|pick| {
            outcomes
                .iter()
                .filter(|o| pick.is_none_or(|p| o.labelled.pick == p))
                .collect()
        })
        .collect();
    let row = |name: &str, test: &dyn Fn(&Outcome) -> bool, as_percent: bool| {
        print!("{name:<26}");
        for group in &groups {
            let n = group.iter().filter(|o| test(o)).count();
            if as_percent {
                print!("{:>10.1}", percent(n, group.len()));
            } else {
                print!("{n:>10}");
            }
        }
        println!();
    };
    row("captions", &|_| true, false);
    row("exact caption %", &|o| o.caption_ok, true);
    row("credit recovered %", &|o| o.credit_ok, true);
    row("damaged (count)", &|o| o.damaged, false);
    println!(
        "(random: a seeded sample of distinct captions; style: picked to cover each credit style and hard negatives)"
    );
    let misses: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| !(o.caption_ok && o.credit_ok))
        .collect();
    println!("\nMisses ({}):", misses.len());
    for o in misses {
        let l = o.labelled;
        let what = if o.damaged {
            "DAMAGED"
        } else if !o.caption_ok {
            "caption"
        } else {
            "credit"
        };
        println!("  line {} ({}, {what})", l.line, l.pick);
        println!(
            "    expected: {:?} | {:?}",
            tail(&l.expected_caption),
            l.expected_credit
        );
        println!("    got:      {:?} | {:?}", tail(&o.caption), o.credit);
    }
}

/// The end of a long caption, where credits sit.
fn tail(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 100 {
        s.to_owned()
    } else {
        format!("…{}", chars[chars.len() - 100..].iter().collect::<String>())
    }
}

fn pairs_report() {
    let pairs = labelled::pairs();
    let judged: Vec<Judged> = pairs.iter().map(labelled::judge_pair).collect();
    let dups = pairs.iter().filter(|p| p.duplicate).count();
    let close = judged.iter().filter(|j| j.similarity >= 0.8).count();
    println!(
        "Clustering decision: {} hand-labelled pairs (fixtures/labelled/pairs.jsonl), {dups} duplicates, {close} with similarity >= 0.8",
        pairs.len()
    );
    println!(
        "merge when normalised Levenshtein of the stripped, folded captions >= threshold and the veto finds no difference of fact"
    );
    println!(
        "{:>8}{:>10}{:>11}{:>8}{:>6}{:>6}{:>6}",
        "veto", "threshold", "precision", "recall", "tp", "fp", "fn"
    );
    for veto in Veto::ALL.iter().rev() {
        for t in [0.85, 0.9, 0.95] {
            let s = labelled::score_pairs(&pairs, &judged, t, *veto);
            println!(
                "{:>8}{:>10.2}{:>11.3}{:>8.3}{:>6}{:>6}{:>6}",
                veto.name(),
                t,
                s.precision(),
                s.recall(),
                s.true_pos,
                s.false_pos,
                s.false_neg
            );
        }
    }
    println!("\nWrong at 0.9 with the default veto (facts):");
    for (p, j) in pairs.iter().zip(&judged) {
        if j.merges(0.9, Veto::Facts) != p.duplicate {
            let verdict = if p.duplicate {
                match &j.facts {
                    Some(d) if j.similarity >= 0.9 => format!("kept apart ({d})"),
                    _ => "kept apart (below threshold)".to_owned(),
                }
            } else {
                "merged".to_owned()
            };
            println!("  {:.3} {verdict}: {}", j.similarity, p.note);
        }
    }
}

fn time_stripping(path: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let captions: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            v["caption"].as_str().expect("caption field").to_owned()
        })
        .collect();
    let repeat = (1_000_000 / captions.len().max(1)).max(1);
    // Warm up: compile the rules once.
    for c in &captions {
        std::hint::black_box(capdedup::strip_credits(c));
    }
    let start = Instant::now();
    for _ in 0..repeat {
        for c in &captions {
            std::hint::black_box(capdedup::strip_credits(std::hint::black_box(c)));
        }
    }
    let n = repeat * captions.len();
    let ns = start.elapsed().as_nanos() as f64 / n as f64;
    println!(
        "{n} captions ({} lines x {repeat}): {ns:.0} ns per caption",
        captions.len()
    );
}
