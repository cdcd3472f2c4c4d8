//! Never over-strip: captions without a credit come out of `capdedup strip` as they went in,
//! with learning on and off. The set is made up, in the shapes that once lost words in a
//! million credit-free captions (the New Yorker caption contest's entries: jokes, quotations,
//! web addresses, signatures of a place): each class of ending after two different captions.

mod common;

use common::*;
use serde_json::Value;

/// Captions that carry no credit, each ending in a shape a rule once took for one.
const ENDINGS: &[&str] = &[
    // A name in brackets after a quotation, in square brackets, with a pronoun.
    "\"so said the poet\" (Jane Roe)",
    "[Kettle Noises]",
    "and then? (Bring Your Own Cake)",
    "(Photo may not be of exact unit)",
    // Web addresses, dates, pairs and sentences with a slash or an agency's name.
    "see https://en.example.org/wiki/Jane_Roe",
    "time of death...11/8/16.",
    "Mr. Dyson for head of the EPA.",
    "EEO/AA compliant.",
    "He's a Minidoodle - Rex.",
    "Sad Cop / Funny Cop.",
    "And for my next trick: The Moon/Sun Summit Notes Vanishing Act",
    "Jane Roe/ Baltimore MD",
    "It also comes in white, Mr. Bloomberg.",
    "We're all employees of The New York Times.",
    "All I said was, \"Try and draw us,\" Rex.",
    // Labels and signs read as words of the sentence.
    "Picture taken on the Campaign River.",
    "Picture this...",
    "the photo finish",
    "go play PokÃ©mon Go.",
    "as rule 1.10 says (c).",
    "about the new \"Credit Collection Act\".",
    "you need to read more",
    // Signatures of a place, cries, answers, verses.
    "a kinder space in the unknown. Jane Roe NYC",
    "a kinder space in the unknown. Jane Roe, New Hope PA",
    "a kinder space in the unknown. Jane Roe Burnaby, BC",
    "a kinder space in the unknown. Jane Roe San Francisco",
    "Jane Roe Pittsburgh,PA",
    "jaws! Ho Ho Ho",
    "what do they say about big feet? Big Halo",
    "says Mark 10:31",
    "Enter / Period / Underscore / Period",
];

/// Openings the endings follow: jokes of eight words or more.
const OPENINGS: &[&str] = &[
    "I told you we should have stopped at the last gas station,",
    "Honestly, the view from up here is worth every single penny,",
];

#[test]
fn captions_without_credits_come_out_as_they_went_in() {
    let captions: Vec<String> = ENDINGS
        .iter()
        .flat_map(|end| OPENINGS.iter().map(move |open| format!("{open} {end}")))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jokes.txt");
    std::fs::write(&path, captions.join("\n") + "\n").unwrap();
    for learn in ["auto", "off"] {
        let out = ok(&["strip", "--learn-credits", learn, path.to_str().unwrap()]);
        let rows: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        assert_eq!(rows.len(), captions.len());
        for (row, caption) in rows.iter().zip(&captions) {
            assert_eq!(
                (row["caption"].as_str(), &row["credit"]),
                (Some(caption.as_str()), &Value::Null),
                "--learn-credits {learn}: {caption}"
            );
        }
    }
}
