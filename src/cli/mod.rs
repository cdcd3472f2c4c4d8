//! The command line: clap definitions and the glue from arguments to the library.
//! The library never sees clap; this module only translates.
//!
//! Each subcommand has a file of its own, its arguments and its glue (`cluster.rs`,
//! `dedup.rs`, `strip.rs`, `check.rs`, `explain.rs`, `completions.rs`, `man.rs`), over the
//! option groups they share: `options.rs` (normalisation and clustering, and reading the
//! input into a report), `input.rs` (where captions come from), `progress.rs` (the progress
//! bar) and `output.rs` (where the output goes, and the talk on stderr). This file holds the
//! top-level [`Cli`] and dispatches; no file imports one that imports it.

mod check;
mod cluster;
mod completions;
mod dedup;
mod explain;
mod input;
mod man;
mod options;
mod output;
mod progress;
mod report;
mod strip;

use clap::{CommandFactory, Parser, Subcommand};

use capdedup::Result;

pub use output::say;

/// Deduplicate photo captions: strip credit lines, fold the text, and collapse near-identical
/// captions into unique ones with counts.
#[derive(Debug, Parser)]
#[command(name = "capdedup", version, about, long_about = None, after_help = EXIT_STATUS)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

const EXIT_STATUS: &str = "Exit status: 0 success; 1 `check` found the input over its limits; 2 usage or input error (message on stderr names the file and line).";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Cluster near-identical captions and print each unique caption with its count.
    ///
    /// Reads captions (lines, a CSV column, a JSON Lines or JSON field), strips credit lines, leaves out
    /// boilerplate context sentences shared by different photos, collapses exact duplicates of
    /// the folded text, then groups captions whose similarity reaches the threshold.
    ///
    /// Memory is proportional to the records: a peak of about 70 MB plus 360 bytes per record
    /// and three quarters of a byte per character of input (measured: 460 to 480 MB for a
    /// million 52-character captions, 675 MB for a million 320-character ones; an earlier
    /// build took 2.6 GB for four million and 6.1 GB for ten million). The clusters are
    /// written as they are built, never all held at once.
    #[command(after_long_help = cluster::EXAMPLES)]
    Cluster(cluster::ClusterArgs),

    /// Write the input back without its duplicates, in its own format; or annotate every record.
    ///
    /// Clusters the input as `cluster` does (same options, same clusters), then reads it a
    /// second time and writes, for each cluster, one record: the first in input order
    /// (`--keep`), byte for byte as read (a CSV row with all its columns and quoting, a JSON
    /// line, a JSON array element, a line of text); every other record is dropped. The CSV
    /// header, a byte-order mark and the line ends are kept; blank lines, which are not
    /// records, are not written. Records keep the input order. Near-identical captions can
    /// remain: centre clustering keeps apart captions close to each other but not to a common
    /// centre (`--linkage single` merges those chains).
    ///
    /// With `--annotate`, every record is written with added fields: `cluster_id` (derived
    /// from the cluster's content: stable across runs and input orders), `cluster_size`,
    /// `canonical` (the cluster's caption), `caption_clean` (the record's caption, credit
    /// removed), `credit` (empty or null when none) and `duplicate_of` (`path:line` of the
    /// record kept; empty or null on that record). CSV gets the columns appended to the
    /// header; JSON objects get the fields. A line of text has no fields: text input is
    /// written as JSON Lines, `{"caption": ..., "cluster_id": ..., ...}` (and strings of a
    /// JSON array as such objects). A column or field already named so is an error unless
    /// `--annotate-prefix` sets names apart.
    ///
    /// One input is written to standard output or `-o FILE`; several need `--out-dir DIR`
    /// (one file per input, same name). Every output appears whole or not at all: on an
    /// error nothing is written. Standard input is read once (kept in a temporary file for
    /// the second reading). The summary on stderr: records read, written, dropped.
    ///
    /// Memory is as for `cluster`, plus 4 bytes per record (its cluster) and, with
    /// `--annotate`, an id per cluster.
    #[command(after_long_help = dedup::EXAMPLES)]
    Dedup(dedup::DedupArgs),

    /// Show what normalisation does to each record: the caption and the credit removed.
    ///
    /// Audit the credit stripping before trusting the clusters: one JSON line per record,
    /// {"file","line","caption","credit"} (credit null when there was none), or with
    /// `--format text` the cleaned caption per line.
    #[command(after_long_help = strip::EXAMPLES)]
    Strip(strip::StripArgs),

    /// Fail (exit 1) when the input has more duplicates than allowed: a CI gate for scraped data.
    ///
    /// Clusters the input as `cluster` does, then reports every record after the first of its
    /// cluster (input order: file order, then line), one line each:
    /// `path:line: near-duplicate of path:line (similarity 0.97): <caption>` (`duplicate of`
    /// when the comparison keys are equal), then a summary on stderr. By default any
    /// duplicate fails; `--max-duplicate-ratio` and `--max-cluster-size` allow some. With
    /// `--baseline`, only duplicates that are not in the baseline are reported and count.
    ///
    /// Exit status: 0 within the limits, 1 over them, 2 usage or input error.
    /// Memory is as for `cluster`.
    #[command(after_long_help = check::EXAMPLES)]
    Check(check::CheckArgs),

    /// Show why two captions merge or not: keys, credits, boilerplate, similarity, veto.
    ///
    /// Prints both captions' comparison keys (credits removed, text folded), the credits and
    /// boilerplate sentences set aside (boilerplate is detected across the two captions only,
    /// as `cluster` would on an input of just these two), the facts the veto compares, the
    /// similarity against the threshold, the veto's verdict with its reason, and the decision:
    /// `merge`, `no merge: below threshold` or `no merge: vetoed (...)`. Takes the options of
    /// `cluster` that decide whether two captions merge (credits, boilerplate, threshold,
    /// metric, veto), not those that only shape clusters (`--linkage`, `--canonical`,
    /// `--exhaustive`, `-j`, `--credited-only`). Exit status 0 whatever the decision, 2 on a
    /// usage error.
    #[command(after_long_help = explain::EXAMPLES)]
    Explain(explain::ExplainArgs),

    /// Write a review page: one self-contained HTML file of the clusters, with plots.
    ///
    /// Clusters the input as `cluster` does (same options, same clusters) and writes one HTML
    /// file that opens in any browser with no network: the summary, plots (cluster sizes,
    /// credits, duplicates per file, similarities against the threshold), the clusters largest
    /// first with search and filters, each opening to its variants with the differing words
    /// marked, and the near misses (the closest pairs kept apart). In the page, mark a variant
    /// "split" or a near miss "merge" and download the decisions; `--decisions FILE` makes
    /// `cluster`, `check`, `dedup` and `report` honour them.
    ///
    /// The page carries the `--limit` largest clusters (the rest are counted). Memory is as
    /// for `cluster`.
    #[command(after_long_help = report::EXAMPLES)]
    Report(report::ReportArgs),

    /// Print a shell completion script on standard output.
    ///
    /// bash: `capdedup completions bash > ~/.local/share/bash-completion/completions/capdedup`;
    /// zsh: `capdedup completions zsh > ~/.zfunc/_capdedup` (with `~/.zfunc` in `fpath`);
    /// fish: `capdedup completions fish > ~/.config/fish/completions/capdedup.fish`;
    /// PowerShell: `capdedup completions powershell >> $PROFILE`.
    Completions(completions::CompletionsArgs),

    /// Print the man page (roff) on standard output: `capdedup man | man -l -`.
    Man(man::ManArgs),
}

/// Runs the parsed command; returns the exit status.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Cluster(args) => cluster::run(args),
        Command::Dedup(args) => dedup::run(args),
        Command::Strip(args) => strip::run(args),
        Command::Check(args) => check::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Report(args) => report::run(args),
        Command::Completions(args) => completions::run(args, Cli::command()),
        Command::Man(args) => man::run(args, Cli::command()),
    }
}
