//! The quality gate on the hand-labelled fixtures (`fixtures/labelled/`): credit stripping must
//! get at least 95% of the labelled captions exactly right and never remove caption words.
//! `cargo run --example quality` prints the full report and every miss. On the labelled caption
//! pairs, the default merge decision (threshold 0.9, facts veto) keeps its measured pairwise
//! precision and recall.

#[path = "../examples/labelled/mod.rs"]
mod labelled;

use labelled::percent;

#[test]
fn labelled_captions_come_out_right() {
    let captions = labelled::captions();
    assert!(
        captions.len() >= 300,
        "the labelled set has at least 300 captions"
    );
    assert!(
        captions.iter().any(|c| c.pick == "random") && captions.iter().any(|c| c.pick == "style")
    );
    let outcomes = labelled::judge(&captions);
    let exact = outcomes.iter().filter(|o| o.caption_ok).count();
    let exact_percent = percent(exact, outcomes.len());
    assert!(
        exact_percent >= 95.0,
        "exact captions {exact_percent:.1}% < 95% (run `cargo run --example quality` for the misses)"
    );
    let recovered = outcomes
        .iter()
        .filter(|o| o.caption_ok && o.credit_ok)
        .count();
    let recovered_percent = percent(recovered, outcomes.len());
    assert!(
        recovered_percent >= 95.0,
        "credits recovered {recovered_percent:.1}% < 95%"
    );
    // A labelled credit is always reported (page furniture is reported in the credit field
    // too, so a credit-free caption may report its furniture).
    for o in &outcomes {
        if o.caption_ok && o.labelled.expected_credit.is_some() {
            assert!(o.credit.is_some(), "line {}", o.labelled.line);
        }
    }
}

#[test]
fn no_labelled_caption_loses_words() {
    let captions = labelled::captions();
    let damaged: Vec<String> = labelled::judge(&captions)
        .iter()
        .filter(|o| o.damaged)
        .map(|o| {
            format!(
                "line {}: {:?} -> {:?}",
                o.labelled.line, o.labelled.caption, o.caption
            )
        })
        .collect();
    assert!(
        damaged.is_empty(),
        "captions lost words:\n{}",
        damaged.join("\n")
    );
}

#[test]
fn stripping_moves_text_and_never_drops_it() {
    // Caption and credit together hold every letter and digit of the input: stripping only
    // drops the separators between them (`caption | Photo: X`).
    let letters = |s: &str| {
        let mut v: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
        v.sort_unstable();
        v
    };
    for l in labelled::captions() {
        let s = capdedup::strip_credits(&l.caption);
        let kept = format!("{} {}", s.caption, s.credit.as_deref().unwrap_or(""));
        assert_eq!(
            letters(&l.caption),
            letters(&kept),
            "line {}: {:?}",
            l.line,
            l.caption
        );
    }
}

#[test]
fn labelled_pairs_are_mostly_close_and_scored_consistently() {
    let pairs = labelled::pairs();
    assert!(
        pairs.len() >= 300,
        "the labelled set has at least 300 pairs"
    );
    let duplicates = pairs.iter().filter(|p| p.duplicate).count();
    assert!(
        duplicates > 0 && duplicates < pairs.len(),
        "both kinds of pair"
    );
    assert!(pairs.iter().all(|p| !p.note.is_empty() && p.a != p.b));
    let judged: Vec<labelled::Judged> = pairs.iter().map(labelled::judge_pair).collect();
    let close = judged.iter().filter(|j| j.similarity >= 0.8).count();
    assert!(
        2 * close > pairs.len(),
        "most pairs are close in edit distance"
    );
    for veto in capdedup::Veto::ALL {
        for t in [0.85, 0.9, 0.95] {
            let score = labelled::score_pairs(&pairs, &judged, t, veto);
            assert_eq!(score.true_pos + score.false_neg, duplicates);
            assert!(
                (0.0..=1.0).contains(&score.precision()) && (0.0..=1.0).contains(&score.recall())
            );
        }
    }
}

#[test]
fn the_default_merge_decision_is_precise() {
    use capdedup::Veto;
    let pairs = labelled::pairs();
    let judged: Vec<labelled::Judged> = pairs.iter().map(labelled::judge_pair).collect();
    let score = |t, veto| labelled::score_pairs(&pairs, &judged, t, veto);
    let default = score(0.9, Veto::Facts);
    // Measured 0.987 (228 of 231 merges right) and 0.740 (228 of 308 duplicates merge).
    assert!(
        default.precision() >= 0.98,
        "precision at 0.9 with the facts veto {:.3} < 0.98 (run `cargo run --example quality`)",
        default.precision()
    );
    assert!(
        default.recall() >= 0.72,
        "recall at 0.9 with the facts veto {:.3} < 0.72",
        default.recall()
    );
    // The veto costs some recall (paraphrases and typos in short words), not most of it.
    assert!(
        default.recall() >= 0.9 * score(0.9, Veto::None).recall(),
        "recall at 0.9 with the facts veto {:.3} lost more than a tenth of plain similarity's",
        default.recall()
    );
    // Each veto only removes merges: precision never drops, recall never rises.
    for t in [0.85, 0.9, 0.95] {
        let (none, numbers, facts) = (
            score(t, Veto::None),
            score(t, Veto::Numbers),
            score(t, Veto::Facts),
        );
        assert!(
            none.precision() <= numbers.precision() && numbers.precision() <= facts.precision()
        );
        assert!(none.recall() >= numbers.recall() && numbers.recall() >= facts.recall());
    }
}

#[test]
fn the_independent_set_keeps_its_floor() {
    // The second labelled set (fixtures/labelled/more_captions.jsonl), scraped from pages the
    // rules were never written against. Its text stays in the shared data; without it there
    // is nothing to score.
    let Some(more) = labelled::more_captions() else {
        eprintln!("shared more_captions.jsonl not found: skipped");
        return;
    };
    let texts: Vec<&str> = more.iter().map(|(c, _, _)| c.caption.as_str()).collect();
    // Measured on the first two batches: all 89.4%, the tune part 95.4%, the test part (never
    // tuned on) 84.5%; the first batch's test part 84.2%, the second batch's (pages the first
    // never touched) tune 92.7% and test 85.2%. The third batch (pages neither touched, 153
    // rows) came in at tune 79.0% / test 83.3% before any rule saw it, and is tune 86.4% /
    // test 83.3% after its tune misses were read; all three batches: tune 94.0%, test 84.4%,
    // all 88.8%; shapes from a development set of unlabelled web captions then took the test
    // part to 85.8%. The floors sit a little below, so that a regression fails and noise does
    // not. The third batch damages 1 tune and 4 test captions (left as found: reading the
    // test ones would tune on them); the first two batches damage none.
    let first: &[&str] = &["random", "credit"];
    let second: &[&str] = &["random2", "credit2"];
    let third: &[&str] = &["random3", "credit3"];
    let two: &[&str] = &["random", "credit", "random2", "credit2"];
    let all: &[&str] = &[
        "random", "credit", "random2", "credit2", "random3", "credit3",
    ];
    for (picks, part, floor, max_damaged) in [
        (all, None, 88.5, 5),
        (all, Some("tune"), 93.5, 1),
        (all, Some("test"), 85.0, 4),
        (two, Some("tune"), 95.0, 0),
        (two, Some("test"), 84.0, 0),
        (first, Some("test"), 83.5, 0),
        (second, Some("tune"), 92.0, 0),
        (second, Some("test"), 84.5, 0),
        (third, Some("tune"), 86.0, 1),
        (third, Some("test"), 83.0, 4),
    ] {
        let captions: Vec<labelled::LabelledCaption> = more
            .iter()
            .filter(|(c, _, split)| {
                part.is_none_or(|p| split == p) && picks.contains(&c.pick.as_str())
            })
            .map(|(c, _, _)| c.clone())
            .collect();
        let outcomes = labelled::judge_learning(&captions, &texts);
        let exact = outcomes.iter().filter(|o| o.caption_ok).count();
        let exact_percent = percent(exact, outcomes.len());
        assert!(
            exact_percent >= floor,
            "independent set {picks:?} {part:?}: exact captions {exact_percent:.1}% < {floor}% (cargo run --example quality)"
        );
        let damaged = outcomes.iter().filter(|o| o.damaged).count();
        assert!(
            damaged <= max_damaged,
            "independent set {picks:?} {part:?}: {damaged} damaged > {max_damaged}"
        );
    }
}

#[test]
fn the_held_out_outlets_of_the_first_set_keep_their_floor() {
    // The first set split by outlet: the part the rules were not tuned on this session is
    // scored like the rest (`cargo run --example quality` prints both parts).
    let test: Vec<labelled::LabelledCaption> = labelled::captions()
        .into_iter()
        .filter(|c| labelled::split_of_outlet(&labelled::outlet_of_path(&c.path)) == "test")
        .collect();
    assert!(
        test.len() >= 200,
        "the test part has {} captions",
        test.len()
    );
    let texts: Vec<&str> = test.iter().map(|c| c.caption.as_str()).collect();
    let outcomes = labelled::judge_learning(&test, &texts);
    let exact = percent(
        outcomes.iter().filter(|o| o.caption_ok).count(),
        outcomes.len(),
    );
    assert!(
        exact >= 95.0,
        "held-out outlets: exact captions {exact:.1}% < 95%"
    );
}

#[test]
fn independent_close_pairs_keep_their_precision() {
    // Close pairs of the second set (never tuned on): a merge at the default options is
    // rarely wrong. Credit-only captions of different photographers are the classic false
    // merge, and they now stay apart.
    let (Some(pairs), Some(texts)) = (labelled::more_pairs(), labelled::more_texts()) else {
        eprintln!("shared more_captions.jsonl not found: skipped");
        return;
    };
    // Keyed as `capdedup` keys them on the whole file: after learning from all its captions.
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let learned = labelled::Learned::from(&texts, true);
    // Measured: all 0.942 / 0.831 (49 of 52 merges right, 49 of 59 duplicates merge); the
    // test part (never tuned on) 0.955 / 0.700 (0.952 / 0.667 with the rules alone). The
    // target recall is 0.80: the duplicates still kept apart differ by a credit or page
    // furniture the stripper leaves, or by a rewording.
    for (part, precision, recall) in [(None, 0.94, 0.83), (Some("test"), 0.95, 0.70)] {
        let pairs = labelled::pairs_in(&pairs, part);
        let judged: Vec<labelled::Judged> = pairs
            .iter()
            .map(|p| labelled::judge_pair_learned(p, &learned))
            .collect();
        let s = labelled::score_pairs(&pairs, &judged, 0.9, capdedup::Veto::Facts);
        assert!(
            s.precision() >= precision,
            "independent pairs {part:?}: precision {:.3} < {precision}",
            s.precision()
        );
        assert!(
            s.recall() >= recall,
            "independent pairs {part:?}: recall {:.3} < {recall}",
            s.recall()
        );
    }
}
