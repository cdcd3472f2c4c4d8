//! `capdedup check`: a CI gate on duplicates, with limits and a baseline.

use std::io::{self, IsTerminal};

use clap::{Args, ValueEnum};

use capdedup::Result;
use capdedup::check::{Baseline, Limits};
use capdedup::input;
use capdedup::output::AtomicFile;

use super::input::InputArgs;
use super::options::{ClusterOptions, parse_threshold};
use super::output::{OutputFile, say};

/// Examples for the long help.
pub const EXAMPLES: &str = "\
Examples:
  # Fail on any duplicate caption, with a line per duplicate
  capdedup check captions.txt

  # Allow up to 2% duplicates, but no caption repeated more than 5 times
  capdedup check --max-duplicate-ratio 0.02 --max-cluster-size 5 scrape.csv

  # Adopt the gate on old data: record today's duplicates, then fail only on new ones
  capdedup check --write-baseline captions.baseline.json captions.csv
  capdedup check --baseline captions.baseline.json captions.csv

  # In a GitHub Actions step: annotations on the offending lines
  capdedup check --format github --baseline captions.baseline.json captions.csv";

/// `capdedup check` arguments.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub options: ClusterOptions,

    /// Fail when (new) duplicates ÷ records is above R, from 0 to 1; 0 fails on any duplicate.
    #[arg(long, value_name = "R", default_value_t = 0.0, value_parser = parse_threshold, help_heading = "Limits")]
    pub max_duplicate_ratio: f64,

    /// Fail when a cluster holding a (new) duplicate has more than N records.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..), help_heading = "Limits")]
    pub max_cluster_size: Option<u64>,

    /// Count only duplicates that are not in FILE, a baseline written by `--write-baseline`.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "write_baseline",
        help_heading = "Baseline"
    )]
    pub baseline: Option<String>,

    /// Record today's duplicates in FILE (written atomically) and exit 0, printing nothing
    /// else: adopt the check on old data, then check with `--baseline FILE`.
    #[arg(long, value_name = "FILE", help_heading = "Baseline")]
    pub write_baseline: Option<String>,

    /// Output format: `human` (path:line: ... per duplicate), `github` (GitHub Actions
    /// `::error` workflow commands; `::warning` when within the limits) or `json` (see docs/ci.md).
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Human, help_heading = "Output")]
    pub format: CheckFormat,

    #[command(flatten)]
    pub output: OutputFile,

    /// Colour the human output and the summary: `auto` when the stream is a terminal and
    /// NO_COLOR is unset or empty. JSON and GitHub output are never coloured.
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorArg::Auto, help_heading = "Output")]
    pub color: ColorArg,

    /// Do not print the summary line on stderr.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

/// `check --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `path:line: near-duplicate of path:line (similarity S): caption` per duplicate.
    Human,
    /// GitHub Actions workflow commands, one per duplicate.
    Github,
    /// One JSON document.
    Json,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorArg {
    /// Whether to colour a stream that is (or is not) a terminal.
    fn styled(self, terminal: bool) -> bool {
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

/// Runs `capdedup check`; returns the exit status.
pub fn run(args: CheckArgs) -> Result<i32> {
    let report = args.options.report(&args.input, args.quiet)?;

    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::from_report(&report);
        let mut file = AtomicFile::create(path)?;
        baseline.write(&mut file)?;
        file.commit()?;
        if !args.quiet {
            let (d, c) = (report.duplicates(), baseline.clusters.len());
            say(format_args!(
                "wrote {path}: {d} duplicate{} in {c} cluster{}",
                if d == 1 { "" } else { "s" },
                if c == 1 { "" } else { "s" }
            ));
        }
        return Ok(0);
    }

    let baseline = match &args.baseline {
        Some(path) => Some(Baseline::read(path, input::open(path)?)?),
        None => None,
    };
    match &baseline {
        Some(b) if !args.quiet && !b.matches_options(&report) => say(format_args!(
            "note: the baseline was written with --threshold {} --metric {} --veto {} --linkage {}; clusters may differ",
            b.threshold, b.metric, b.veto, b.linkage
        )),
        _ => {}
    }
    let limits = Limits {
        max_duplicate_ratio: args.max_duplicate_ratio,
        max_cluster_size: args.max_cluster_size,
    };
    let outcome = capdedup::check::check(&report, limits, baseline.as_ref());

    let mut out = args.output.open()?;
    let terminal = args.output.output.is_none() && io::stdout().is_terminal();
    match args.format {
        CheckFormat::Human => {
            capdedup::check::write_human(&outcome, &mut out, args.color.styled(terminal))
        }
        CheckFormat::Github => capdedup::check::write_github(&outcome, &mut out),
        CheckFormat::Json => capdedup::check::write_json(&outcome, &report, &mut out),
    }?;
    out.finish()?;

    if !args.quiet {
        let styled = args.color.styled(io::stderr().is_terminal());
        say(format_args!(
            "{}",
            capdedup::check::summary(&outcome, styled)
        ));
    }
    Ok(if outcome.passed() { 0 } else { 1 })
}
