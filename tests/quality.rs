//! The quality gate on the hand-labelled fixtures (`fixtures/labelled/`): credit stripping must
//! get at least 95% of the labelled captions exactly right and never remove caption words.
//! `cargo run --example quality` prints the full report and every miss. On the labelled caption
//! pairs, the default merge decision (threshold 0.9, facts veto) must reach a pairwise precision
//! of 0.95.

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
    // A credit is never reported for a caption labelled credit-free, or the other way round.
    for o in &outcomes {
        if o.caption_ok {
            assert_eq!(
                o.credit.is_some(),
                o.labelled.expected_credit.is_some(),
                "line {}",
                o.labelled.line
            );
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
    assert!(
        default.precision() >= 0.95,
        "precision at 0.9 with the facts veto {:.3} < 0.95 (run `cargo run --example quality`)",
        default.precision()
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
