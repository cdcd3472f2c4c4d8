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
            generalisation_report();
            println!();
            pairs_report();
        }
        [flag, path] if flag == "--time" => time_stripping(path),
        [flag, split] if flag == "--misses" => more_misses(split),
        _ => {
            eprintln!("usage: quality [--time CAPTIONS.jsonl | --misses tune|test]");
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

/// Figures on data the rules were not tuned on: each labelled set split by outlet into a part
/// to tune on and a part only scored, the second independent set, and leave-one-outlet-out.
fn generalisation_report() {
    println!("Generalisation: tune/test split by outlet (a whole outlet on one side); learning on");
    println!(
        "{:<44}{:>9}{:>9}{:>9}{:>9}",
        "set", "captions", "exact %", "credit %", "damaged"
    );
    let row = |name: &str, outcomes: &[labelled::Outcome]| {
        let n = outcomes.len();
        let exact = outcomes.iter().filter(|o| o.caption_ok).count();
        let credit = outcomes
            .iter()
            .filter(|o| o.caption_ok && o.credit_ok)
            .count();
        let damaged = outcomes.iter().filter(|o| o.damaged).count();
        println!(
            "{name:<44}{n:>9}{:>9.1}{:>9.1}{damaged:>9}",
            percent(exact, n),
            percent(credit, n)
        );
        // Line numbers only: these rows include parts that are scored, never read (`--misses
        // tune` shows the text of the tune part).
        for o in outcomes.iter().filter(|o| o.damaged) {
            println!("    damaged, line {}", o.labelled.line);
        }
    };
    let first = labelled::captions();
    let texts: Vec<&str> = first.iter().map(|c| c.caption.as_str()).collect();
    for split in ["tune", "test"] {
        let part: Vec<labelled::LabelledCaption> = labelled::captions()
            .into_iter()
            .filter(|c| labelled::split_of_outlet(&labelled::outlet_of_path(&c.path)) == split)
            .collect();
        let outcomes = labelled::judge_learning(&part, &texts);
        row(&format!("captions.jsonl, {split}"), &outcomes);
    }
    let Some(more) = labelled::more_captions() else {
        println!("(the shared more_captions.jsonl is not there: the independent set is skipped)");
        return;
    };
    let more_texts: Vec<&str> = more.iter().map(|(c, _, _)| c.caption.as_str()).collect();
    // Each batch by split and pick (the second batch, `random2`/`credit2`, comes from pages
    // the first never touched, the third, `random3`/`credit3`, from pages neither touched),
    // then each batch and all together by split.
    let picks: [(&str, &[&str]); 8] = [
        ("random", &["random"]),
        ("credit", &["credit"]),
        ("random2", &["random2"]),
        ("credit2", &["credit2"]),
        ("batch 1", &["random", "credit"]),
        ("batch 2", &["random2", "credit2"]),
        ("batch 3", &["random3", "credit3"]),
        (
            "all batches",
            &[
                "random", "credit", "random2", "credit2", "random3", "credit3",
            ],
        ),
    ];
    for split in ["tune", "test"] {
        for (name, pick) in picks {
            let part: Vec<&(labelled::LabelledCaption, String, String)> = more
                .iter()
                .filter(|(c, _, s)| s == split && pick.contains(&c.pick.as_str()))
                .collect();
            let captions: Vec<labelled::LabelledCaption> =
                part.iter().map(|(c, _, _)| c.clone()).collect();
            let outcomes: Vec<(bool, bool, bool)> =
                labelled::judge_learning(&captions, &more_texts)
                    .iter()
                    .map(|o| (o.caption_ok, o.caption_ok && o.credit_ok, o.damaged))
                    .collect();
            let n = outcomes.len();
            let exact = outcomes.iter().filter(|o| o.0).count();
            let credit = outcomes.iter().filter(|o| o.1).count();
            let damaged = outcomes.iter().filter(|o| o.2).count();
            println!(
                "{:<44}{n:>9}{:>9.1}{:>9.1}{damaged:>9}",
                format!("more_captions.jsonl, {split}, {name}"),
                percent(exact, n),
                percent(credit, n)
            );
        }
    }
    // Learning from the whole file (3,618 captions, labelled or not), as `capdedup strip`
    // would on it: credit names signed on unlabelled captions count too.
    if let Some(all) = labelled::more_texts() {
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        for split in ["tune", "test"] {
            let part: Vec<labelled::LabelledCaption> = more
                .iter()
                .filter(|(_, _, s)| s == split)
                .map(|(c, _, _)| c.clone())
                .collect();
            row(
                &format!("more_captions.jsonl, {split}, all rows, lines only"),
                &labelled::judge_learning_with(&part, &all, false),
            );
            row(
                &format!("more_captions.jsonl, {split}, all rows, + names"),
                &labelled::judge_learning(&part, &all),
            );
        }
    }
    // Learning off: what the rules and shapes do alone.
    let plain: Vec<labelled::LabelledCaption> = more.iter().map(|(c, _, _)| c.clone()).collect();
    row(
        "more_captions.jsonl, all, learning off",
        &labelled::judge(&plain),
    );
    row(
        "more_captions.jsonl, all, learning on",
        &labelled::judge_learning(&plain, &more_texts),
    );
    // Leave one outlet out: each outlet's captions stripped with the lines learned from every
    // other outlet's captions only, so nothing of its own can help it.
    let outlets: std::collections::BTreeSet<&str> =
        more.iter().map(|(_, o, _)| o.as_str()).collect();
    let (mut ok, mut n, mut outlet_scores) = (0, 0, Vec::new());
    for outlet in &outlets {
        let others: Vec<&str> = more
            .iter()
            .filter(|(_, o, _)| o != outlet)
            .map(|(c, _, _)| c.caption.as_str())
            .collect();
        let mine: Vec<labelled::LabelledCaption> = more
            .iter()
            .filter(|(_, o, _)| o == outlet)
            .map(|(c, _, _)| c.clone())
            .collect();
        let outcomes = labelled::judge_learning(&mine, &others);
        let good = outcomes.iter().filter(|o| o.caption_ok).count();
        ok += good;
        n += outcomes.len();
        outlet_scores.push(percent(good, outcomes.len()));
    }
    let macro_avg = outlet_scores.iter().sum::<f64>() / outlet_scores.len().max(1) as f64;
    println!(
        "{:<44}{n:>9}{:>9.1}   (mean over {} outlets: {macro_avg:.1}%)",
        "more_captions.jsonl, leave one outlet out",
        percent(ok, n),
        outlets.len()
    );
    if let (Some(pairs), Some(texts)) = (labelled::more_pairs(), labelled::more_texts()) {
        // The command line learns from the whole file it is given: the pairs are keyed as a
        // run over all of more_captions.jsonl keys them (and, for comparison, by the rules
        // alone, as a run with `--learn-credits off`).
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let learned = labelled::Learned::from(&texts, true);
        println!(
            "\nIndependent close pairs (more_pairs.jsonl), default options (0.9, facts veto), learning from the whole file:"
        );
        println!(
            "{:>8}{:>10}{:>7}{:>11}{:>8}{:>6}{:>6}{:>6}",
            "split", "learning", "pairs", "precision", "recall", "tp", "fp", "fn"
        );
        for split in ["tune", "test"] {
            let part = labelled::pairs_in(&pairs, Some(split));
            for learning in ["off", "auto"] {
                let judged: Vec<Judged> = part
                    .iter()
                    .map(|p| match learning {
                        "off" => labelled::judge_pair(p),
                        _ => labelled::judge_pair_learned(p, &learned),
                    })
                    .collect();
                let s = labelled::score_pairs(&part, &judged, 0.9, Veto::Facts);
                println!(
                    "{split:>8}{learning:>10}{:>7}{:>11.3}{:>8.3}{:>6}{:>6}{:>6}",
                    part.len(),
                    s.precision(),
                    s.recall(),
                    s.true_pos,
                    s.false_pos,
                    s.false_neg
                );
            }
        }
    }
}

/// Prints the misses of the independent set's `split` part (text of the shared data: for the
/// terminal only, never for a fixture) and the pairs of that split kept apart or merged wrongly.
fn more_misses(split: &str) {
    let Some(more) = labelled::more_captions() else {
        eprintln!("the shared more_captions.jsonl is not there");
        std::process::exit(2);
    };
    let texts: Vec<&str> = more.iter().map(|(c, _, _)| c.caption.as_str()).collect();
    let part: Vec<labelled::LabelledCaption> = more
        .iter()
        .filter(|(_, _, s)| s == split)
        .map(|(c, _, _)| c.clone())
        .collect();
    let outcomes = labelled::judge_learning(&part, &texts);
    let misses: Vec<&Outcome> = outcomes.iter().filter(|o| !o.caption_ok).collect();
    println!(
        "more_captions.jsonl, {split}: {} misses of {}",
        misses.len(),
        outcomes.len()
    );
    for o in misses {
        let l = o.labelled;
        let what = if o.damaged { "DAMAGED" } else { "caption" };
        println!("  line {} ({}, {what})", l.line, l.pick);
        println!("    input:    {:?}", tail(&l.caption));
        println!(
            "    expected: {:?} | {:?}",
            tail(&l.expected_caption),
            l.expected_credit
        );
        println!("    got:      {:?} | {:?}", tail(&o.caption), o.credit);
    }
    let (Some(pairs), Some(all)) = (labelled::more_pairs(), labelled::more_texts()) else {
        return;
    };
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let learned = labelled::Learned::from(&all, true);
    println!(
        "\nmore_pairs.jsonl, {split}: wrong at 0.9 with the facts veto, learning from the whole file"
    );
    for (p, s) in &pairs {
        if s != split {
            continue;
        }
        let j = labelled::judge_pair_learned(p, &learned);
        if j.merges(0.9, Veto::Facts) != p.duplicate {
            println!(
                "  {:.3} dup={} facts={:?}: {}",
                j.similarity, p.duplicate, j.facts, p.note
            );
            println!("    a: {:?}\n       {:?}", tail(&p.a), learned.key(&p.a));
            println!("    b: {:?}\n       {:?}", tail(&p.b), learned.key(&p.b));
        }
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
