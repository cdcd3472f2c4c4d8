//! `capdedup strip`: what normalisation does to each record.

use std::io::Write;

use clap::{Args, ValueEnum};

use capdedup::Result;
use capdedup::output;

use super::input::{InputArgs, open_spooled, spool_stdin};
use super::options::CreditOptions;
use super::output::OutputFile;

/// Examples for the long help.
pub const EXAMPLES: &str = "\
Examples:
  # What was removed from each caption
  capdedup strip captions.txt | jq -c 'select(.credit != null)'

  # Cleaned captions, one per line
  capdedup strip --format text captions.txt

  # An extra house style of credit
  capdedup strip --credit-pattern '\\s*\\[[A-Z]+ PICTURES\\]$' captions.txt";

/// How credits are stripped and which records are kept (`strip`).
#[derive(Debug, Args)]
pub struct StripOptions {
    #[command(flatten)]
    pub credits: CreditOptions,

    /// Keep only records that carry a credit the rules find, so a raw page (article text and
    /// captions mixed) can be fed as it is; credit lines are learned from those records
    /// (the records `cluster --credited-only` keeps).
    #[arg(long, help_heading = "Normalisation")]
    pub credited_only: bool,
}

/// `capdedup strip` arguments.
#[derive(Debug, Args)]
pub struct StripArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub strip: StripOptions,

    /// Output format: `jsonl` ({"file","line","caption","credit"} per record) or `text`
    /// (the cleaned caption per line, control characters escaped as `\u{1b}`).
    #[arg(short, long, value_enum, default_value_t = StripFormat::Jsonl, help_heading = "Output")]
    pub format: StripFormat,

    #[command(flatten)]
    pub output: OutputFile,
}

/// `strip --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StripFormat {
    /// {"file","line","caption","credit"} per record.
    Jsonl,
    /// The cleaned caption per line.
    Text,
}

impl StripOptions {
    fn builder(&self) -> capdedup::Builder {
        self.credits.builder().credited_only(self.credited_only)
    }
}

/// Runs `capdedup strip`; returns the exit status.
pub fn run(args: StripArgs) -> Result<i32> {
    // With `--learn-credits off` it streams: each record is written as soon as it is read.
    // Learning needs the whole input first: a first reading feeds the learner (which holds
    // only the credit-shaped segments and hashes, not the captions), the second strips and
    // writes; standard input is kept in a temporary file for the second reading.
    let deduper = args.strip.builder().build()?;
    let learner = deduper.learner();
    let spooled = match learner {
        Some(_) => spool_stdin(&args.input.files())?,
        None => None,
    };
    let open = |file: &str| open_spooled(spooled.as_ref(), file);
    let learned = match learner {
        None => None,
        Some(mut learner) => {
            args.input.for_each_record_in(&open, false, |_, _, text| {
                let stripped = deduper.strip(text);
                // Learned from the records kept, as `cluster` learns (it keeps them first).
                if !deduper.selects(&stripped) {
                    return Ok(());
                }
                if !stripped.caption.is_empty() {
                    learner.add(&stripped.caption);
                }
                if let Some(credit) = &stripped.credit {
                    learner.add_credit(&stripped.caption, credit);
                }
                Ok(())
            })?;
            Some(learner.finish())
        }
    };
    let mut out = args.output.open()?;
    let audit = args.format == StripFormat::Jsonl;
    args.input
        .for_each_record_in(&open, true, |file, line, text| {
            let (mut stripped, mut removed) = if audit {
                deduper.strip_audited(text)
            } else {
                (deduper.strip(text), Vec::new())
            };
            // `--credited-only` keeps a record by what the rules found, before learned lines
            // are stripped, as `cluster` selects: a line the rules leave bare stays out even
            // when a learned line comes off it.
            let selected = deduper.selects(&stripped);
            if let Some(learned) = &learned {
                (stripped, removed) = deduper.strip_learned_audited(learned, (stripped, removed));
            }
            if selected {
                match args.format {
                    StripFormat::Jsonl => {
                        output::write_strip_jsonl(file, line, &stripped, &removed, &mut out)?
                    }
                    StripFormat::Text => {
                        writeln!(out, "{}", output::escape_controls(&stripped.caption))?;
                    }
                }
            }
            Ok(())
        })?;
    out.finish()?;
    Ok(0)
}
