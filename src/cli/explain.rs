//! `capdedup explain`: why two captions merge or not.

use std::io::{self, BufWriter, Write};

use clap::{Args, ValueEnum};

use capdedup::{Decision, Explanation, Result, Veto};

use super::options::CompareOptions;

/// Examples for the long help.
pub const EXAMPLES: &str = "\
Examples:
  # Why these two did not merge
  capdedup explain 'Protesters march in Minsk, Sunday, Sept. 13, 2020.' 'Protesters march in Minsk, Monday, Sept. 14, 2020.'

  # The same decision as a JSON document, at another threshold and veto
  capdedup explain --format json -t 0.85 --veto numbers 'A man plays a guitar.' 'A man plays a flute.'";

/// `capdedup explain` arguments.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The first caption.
    #[arg(value_name = "A")]
    pub a: String,

    /// The second caption.
    #[arg(value_name = "B")]
    pub b: String,

    #[command(flatten)]
    pub options: CompareOptions,

    /// Output format: `text` for people, `json` one document (see docs/guide.md).
    #[arg(short, long, value_enum, default_value_t = ExplainFormat::Text, help_heading = "Output")]
    pub format: ExplainFormat,
}

/// `explain --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Labelled lines for people.
    Text,
    /// One JSON document.
    Json,
}

/// Runs `capdedup explain`; returns the exit status.
pub fn run(args: ExplainArgs) -> Result<i32> {
    let explanation = args.options.builder().build()?.explain(&args.a, &args.b);
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        ExplainFormat::Text => write_explanation(&explanation, &mut out)?,
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &explanation).map_err(io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(0)
}

/// The text form of `explain`: one labelled line per fact of the decision.
fn write_explanation(e: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    for (name, side) in [("A", &e.a), ("B", &e.b)] {
        writeln!(out, "{name} caption:     {}", side.caption)?;
        writeln!(
            out,
            "{name} credit:      {}",
            side.credit.as_deref().unwrap_or("none")
        )?;
        if side.boilerplate.is_empty() {
            writeln!(out, "{name} boilerplate: none detected")?;
        } else {
            for s in &side.boilerplate {
                writeln!(out, "{name} boilerplate: {s}")?;
            }
        }
        writeln!(out, "{name} key:         {}", side.key)?;
        let list = |items: &[Box<str>]| {
            if items.is_empty() {
                "none".to_owned()
            } else {
                items.join(" ")
            }
        };
        writeln!(out, "{name} numbers:     {}", list(&side.facts.numbers))?;
        writeln!(out, "{name} words:       {}", list(&side.facts.words))?;
    }
    let exact = e.a.key == e.b.key;
    writeln!(
        out,
        "similarity:    {:.4} ({}) {} threshold {}",
        e.similarity,
        e.metric,
        if e.similarity >= e.threshold {
            ">="
        } else {
            "<"
        },
        e.threshold
    )?;
    let verdict = match (&e.difference, exact) {
        (_, true) => "not applied: the keys are equal".to_owned(),
        (Some(d), false) => format!("{d}"),
        (None, false) if e.veto == Veto::None => "none (--veto none)".to_owned(),
        (None, false) => "the facts agree".to_owned(),
    };
    let label = format!("veto ({}):", e.veto);
    writeln!(out, "{label:<15}{verdict}")?;
    let decision = match e.decision {
        Decision::Merge if exact => "merge (exact duplicates: the same key)".to_owned(),
        Decision::Merge => "merge".to_owned(),
        Decision::BelowThreshold => "no merge: below threshold".to_owned(),
        Decision::CreditOnly => {
            "no merge: only a credit (credit-only records merge only with the same credit)"
                .to_owned()
        }
        Decision::Vetoed => format!(
            "no merge: vetoed ({})",
            e.difference
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        ),
    };
    writeln!(out, "decision:      {decision}")
}
