//! `capdedup cluster`: unique captions with counts.

use clap::{Args, ValueEnum};

use capdedup::output;
use capdedup::{Report, Result};

use super::input::InputArgs;
use super::options::ClusterOptions;
use super::output::{OutputFile, say};

/// Examples for the long help.
pub const EXAMPLES: &str = "\
Examples:
  # Unique captions with counts, most repeated first (like sort | uniq -c | sort -rn)
  capdedup cluster captions.txt

  # A raw scraped page: keep only the lines that carry a photo credit
  capdedup cluster --credited-only page.txt

  # Clusters with members, variants and credits for a program
  capdedup cluster --format json captions.txt | jq '.clusters[] | select(.count > 1)'

  # Captions in a JSON Lines field, looser threshold, connected components
  capdedup cluster --jsonl --field meta.caption --threshold 0.85 --linkage single data.jsonl";

/// `capdedup cluster` arguments.
#[derive(Debug, Args)]
pub struct ClusterArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub options: ClusterOptions,

    /// Output format: `text` is COUNT<TAB>CAPTION per cluster (control characters escaped as
    /// `\u{1b}`); `json` one document, exact text (see docs/formats.md for the contract); `jsonl`
    /// the cluster objects, one per line.
    #[arg(short, long, value_enum, default_value_t = ClusterFormat::Text, help_heading = "Output")]
    pub format: ClusterFormat,

    #[command(flatten)]
    pub output: OutputFile,

    /// Do not print the summary line on stderr.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

/// `cluster --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClusterFormat {
    /// COUNT<TAB>CAPTION per cluster.
    Text,
    /// One JSON document.
    Json,
    /// One JSON object per cluster per line.
    Jsonl,
}

/// Runs `capdedup cluster`; returns the exit status.
pub fn run(args: ClusterArgs) -> Result<i32> {
    // The clusters are built as they are written, a window at a time: all of them at once
    // would be most of the memory of the run.
    let clustering = args.options.clustering(&args.input, args.quiet)?;

    let writing = std::time::Instant::now();
    let mut out = args.output.open()?;
    let format = match args.format {
        ClusterFormat::Text => output::Format::Text,
        ClusterFormat::Json => output::Format::Json,
        ClusterFormat::Jsonl => output::Format::Jsonl,
    };
    output::write_clustering(&clustering, format, &mut out)?;
    out.finish()?;
    if std::env::var_os("CAPDEDUP_TIMINGS").is_some() {
        say(format_args!(
            "{:>12} {:7.3} s{}",
            "writing",
            writing.elapsed().as_secs_f64(),
            super::progress::memory()
        ));
    }

    let report = clustering.head();
    if !args.quiet {
        say(format_args!("{}", summary(report, clustering.len())));
    }
    // The process ends now: freeing a million clusters one by one would only delay it (about
    // a second on a million captions).
    std::mem::forget(clustering);
    Ok(0)
}

/// The summary line of a clustering (`12 records -> 9 clusters (3 duplicates folded); ...`),
/// from a report (its clusters may not be built) and its number of clusters.
pub fn summary(report: &Report, clusters: usize) -> String {
    let kept = if report.records_read == report.records {
        format!("{} records", report.records)
    } else {
        format!(
            "{} records read, {} with a credit",
            report.records_read, report.records
        )
    };
    let boiler = match report.boilerplate.len() {
        0 => String::new(),
        1 => "; 1 boilerplate sentence left out of the comparison".to_owned(),
        n => format!("; {n} boilerplate sentences left out of the comparison"),
    };
    // Lines only: learned credit names (`bare`, `whole`) are listed in the JSON report; most inputs
    // teach a few that never stand bare anywhere.
    let lines = report
        .learned_credits
        .iter()
        .filter(|l| l.place.is_segment())
        .count();
    let learned = match lines {
        0 => String::new(),
        1 => "; 1 credit line learned".to_owned(),
        n => format!("; {n} credit lines learned"),
    };
    format!(
        "{kept} -> {clusters} clusters ({} duplicates folded){boiler}{learned}",
        report.records - clusters as u64
    )
}
