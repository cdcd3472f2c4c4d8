//! `capdedup report`: the review page, one self-contained HTML file.

use clap::Args;

use capdedup::Result;
use capdedup::review::{self, PageSettings};

use super::cluster::summary;
use super::input::InputArgs;
use super::options::ClusterOptions;
use super::output::{OutputFile, say};

/// Examples for the long help.
pub const EXAMPLES: &str = "\
Examples:
  # The review page of a caption file, opened in any browser, offline
  capdedup report captions.txt -o report.html

  # A million captions: the 2,000 largest clusters and 200 near misses
  capdedup report --limit 2000 --near 200 captions.jsonl.gz -o report.html

  # After a review: honour the decisions downloaded from the page
  capdedup report --decisions capdedup-decisions.json captions.txt -o report.html
  capdedup dedup --decisions capdedup-decisions.json captions.txt -o clean.txt";

/// `capdedup report` arguments.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub options: ClusterOptions,

    /// How many clusters the page carries, largest first; the rest are counted in its
    /// summary.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 10_000,
        help_heading = "Output"
    )]
    pub limit: usize,

    /// How many near misses (closest pairs kept apart) the page shows.
    #[arg(long, value_name = "N", default_value_t = 500, help_heading = "Output")]
    pub near: usize,

    #[command(flatten)]
    pub output: OutputFile,

    /// Do not print the summary lines on stderr.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

/// Runs `capdedup report`; returns the exit status.
pub fn run(args: ReportArgs) -> Result<i32> {
    let report = args.options.report(&args.input, args.quiet)?;
    let near = review::near_misses(&report, args.near);
    let files = args.input.files();
    let mut options = Vec::new();
    if let Some(path) = &args.options.decisions {
        options.push(("--decisions".to_owned(), path.clone()));
    }
    let settings = PageSettings {
        title: if files.is_empty() {
            "standard input".to_owned()
        } else {
            files.join(", ")
        },
        options,
        limit: args.limit,
    };
    let mut out = args.output.open()?;
    review::write_html(&report, &near, &settings, &mut out)?;
    out.finish()?;
    if !args.quiet {
        say(format_args!("{}", summary(&report, report.clusters.len())));
        let shown = report.clusters.len().min(args.limit);
        let target = args.output.output.as_deref().unwrap_or("standard output");
        let of = if shown < report.clusters.len() {
            format!(" (the largest of {})", report.clusters.len())
        } else {
            String::new()
        };
        say(format_args!(
            "{target}: {shown} cluster{}{of}, {} near miss{}",
            if shown == 1 { "" } else { "s" },
            near.len(),
            if near.len() == 1 { "" } else { "es" }
        ));
    }
    Ok(0)
}
