//! The command line: clap definitions and the glue from arguments to the library.
//! The library never sees clap; this module only translates.

use std::io::{self, BufWriter, Write};

use clap::{Args, Parser, Subcommand, ValueEnum};

use capdedup::input::{self, InputFormat, ReadOptions};
use capdedup::output;
use capdedup::{BoilerplateMode, Canonical, Deduper, Error, Linkage, Metric, Result};

/// Deduplicate photo captions: strip credit lines, fold the text, and collapse near-identical
/// captions into unique ones with counts.
#[derive(Debug, Parser)]
#[command(name = "capdedup", version, about, long_about = None, after_help = EXIT_STATUS)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

const EXIT_STATUS: &str =
    "Exit status: 0 success; 2 usage or input error (message on stderr names the file and line).";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Cluster near-identical captions and print each unique caption with its count.
    ///
    /// Reads one caption per line (or a JSON Lines field), strips credit lines, leaves out
    /// boilerplate context sentences shared by different photos, collapses exact duplicates of
    /// the folded text, then groups captions whose similarity reaches the threshold.
    ///
    /// Memory is proportional to the distinct captions plus 16 bytes per record (to list members).
    #[command(after_long_help = CLUSTER_EXAMPLES)]
    Cluster(ClusterArgs),

    /// Show what normalisation does to each record: the caption and the credit removed.
    ///
    /// Audit the credit stripping before trusting the clusters: one JSON line per record,
    /// {"file","line","caption","credit"} (credit null when there was none), or with
    /// `--format text` the cleaned caption per line.
    #[command(after_long_help = STRIP_EXAMPLES)]
    Strip(StripArgs),
}

const CLUSTER_EXAMPLES: &str = "\
Examples:
  # Unique captions with counts, most repeated first (like sort | uniq -c | sort -rn)
  capdedup cluster captions.txt

  # A raw scraped page: keep only the lines that carry a photo credit
  capdedup cluster --credited-only page.txt

  # Clusters with members, variants and credits for a program
  capdedup cluster --format json captions.txt | jq '.clusters[] | select(.count > 1)'

  # Captions in a JSON Lines field, looser threshold, connected components
  capdedup cluster --jsonl --field meta.caption --threshold 0.85 --linkage single data.jsonl";

const STRIP_EXAMPLES: &str = "\
Examples:
  # What was removed from each caption
  capdedup strip captions.txt | jq -c 'select(.credit != null)'

  # Cleaned captions, one per line
  capdedup strip --format text captions.txt

  # An extra house style of credit
  capdedup strip --credit-pattern '\\s*\\[[A-Z]+ PICTURES\\]$' captions.txt";

/// Where captions come from.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input files, one caption per line; none or `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,

    /// Read JSON Lines: one object per line, the caption in the string at `--field`.
    #[arg(long, help_heading = "Input")]
    pub jsonl: bool,

    /// Dotted path of the caption in each JSON line (with `--jsonl`).
    #[arg(
        long,
        value_name = "NAME",
        default_value = "caption",
        requires = "jsonl",
        help_heading = "Input"
    )]
    pub field: String,

    /// Replace bytes that are not UTF-8 text (invalid sequences, NUL) with U+FFFD instead of
    /// stopping; stderr says how many bytes on how many lines of each file.
    #[arg(long, help_heading = "Input")]
    pub lossy: bool,
}

/// How credits are stripped and which records are kept.
#[derive(Debug, Args)]
pub struct StripOptions {
    /// Do not strip credits: compare and show captions as written (whitespace tidied).
    #[arg(long, help_heading = "Normalisation")]
    pub keep_credits: bool,

    /// Also remove matches of REGEX as credits, wherever they match (repeatable; anchor
    /// with `$` to strip only at the end). Rust regex syntax.
    #[arg(long, value_name = "REGEX", help_heading = "Normalisation")]
    pub credit_pattern: Vec<String>,

    /// Keep only records that carry a credit, so a raw page (article text and captions
    /// mixed) can be fed as it is.
    #[arg(long, help_heading = "Normalisation")]
    pub credited_only: bool,
}

/// `capdedup cluster` arguments.
#[derive(Debug, Args)]
pub struct ClusterArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub strip: StripOptions,

    /// Leave boilerplate context sentences out of the comparison (`auto`): a sentence that
    /// recurs after the first sentence in captions whose other text differs. `keep` compares
    /// whole captions.
    #[arg(long, value_enum, default_value_t = BoilerplateArg::Auto, help_heading = "Normalisation")]
    pub boilerplate: BoilerplateArg,

    /// In how many captions (with different other text) a sentence must recur to count as boilerplate.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(2..), help_heading = "Normalisation")]
    pub boilerplate_min: u64,

    /// Similarity at or above which two captions are the same, from 0 to 1.
    #[arg(short, long, value_name = "T", default_value_t = 0.9, value_parser = parse_threshold, help_heading = "Clustering")]
    pub threshold: f64,

    /// Similarity metric (all as computed by the strsim crate).
    #[arg(short, long, value_enum, default_value_t = MetricArg::Levenshtein, help_heading = "Clustering")]
    pub metric: MetricArg,

    /// `centre`: the most frequent caption takes every caption within the threshold of it
    /// (no chaining); `single`: connected components (may chain).
    #[arg(long, value_enum, default_value_t = LinkageArg::Centre, help_heading = "Clustering")]
    pub linkage: LinkageArg,

    /// The caption shown for a cluster; ties are broken by content, never by position.
    #[arg(long, value_enum, default_value_t = CanonicalArg::MostFrequent, help_heading = "Clustering")]
    pub canonical: CanonicalArg,

    /// Output format: `text` is COUNT<TAB>CAPTION per cluster; `json` one document (see the
    /// README for the contract); `jsonl` the cluster objects, one per line.
    #[arg(short, long, value_enum, default_value_t = ClusterFormat::Text, help_heading = "Output")]
    pub format: ClusterFormat,

    /// Do not print the summary line on stderr.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

/// `capdedup strip` arguments.
#[derive(Debug, Args)]
pub struct StripArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub strip: StripOptions,

    /// Output format: `jsonl` ({"file","line","caption","credit"} per record) or `text`
    /// (the cleaned caption per line).
    #[arg(short, long, value_enum, default_value_t = StripFormat::Jsonl, help_heading = "Output")]
    pub format: StripFormat,
}

/// `--boilerplate` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BoilerplateArg {
    /// Detect and leave out shared context sentences.
    Auto,
    /// Compare whole captions.
    Keep,
}

/// `--metric` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MetricArg {
    /// 1 - edit distance / longer length (normalised Levenshtein).
    Levenshtein,
    /// Normalised Damerau-Levenshtein (transpositions count as one edit).
    Damerau,
    /// Normalised optimal string alignment (restricted Damerau).
    Osa,
    /// Jaro-Winkler.
    JaroWinkler,
    /// Sørensen-Dice over character bigrams.
    SorensenDice,
}

/// `--linkage` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LinkageArg {
    /// Centre clustering (no chaining).
    #[value(alias = "center")]
    Centre,
    /// Single linkage (connected components).
    Single,
}

/// `--canonical` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CanonicalArg {
    /// The most frequent caption.
    MostFrequent,
    /// The caption of the earliest record.
    First,
    /// The longest caption.
    Longest,
    /// The shortest caption.
    Shortest,
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

/// `strip --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StripFormat {
    /// {"file","line","caption","credit"} per record.
    Jsonl,
    /// The cleaned caption per line.
    Text,
}

fn parse_threshold(s: &str) -> std::result::Result<f64, String> {
    let t: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number (expected 0 to 1)"))?;
    if (0.0..=1.0).contains(&t) {
        Ok(t)
    } else {
        Err(format!("{t} is out of range (expected 0 to 1)"))
    }
}

impl InputArgs {
    fn format(&self) -> InputFormat {
        if self.jsonl {
            InputFormat::Jsonl {
                field: self.field.clone(),
            }
        } else {
            InputFormat::Lines
        }
    }

    fn files(&self) -> Vec<String> {
        if self.files.is_empty() {
            vec!["-".to_owned()]
        } else {
            self.files.clone()
        }
    }

    /// Reads every record of every file, in order.
    fn for_each_record(&self, mut each: impl FnMut(&str, u64, &str) -> Result<()>) -> Result<()> {
        let format = self.format();
        let options = ReadOptions { lossy: self.lossy };
        for file in self.files() {
            let reader = input::open(&file)?;
            let replaced =
                input::read_records_with(&file, reader, &format, options, |line, text| {
                    each(&file, line, text)
                })?;
            if replaced.bytes > 0 {
                say(format_args!("{file}: {replaced}"));
            }
        }
        Ok(())
    }
}

impl StripOptions {
    fn builder(&self) -> capdedup::Builder {
        self.credit_pattern.iter().fold(
            Deduper::builder()
                .keep_credits(self.keep_credits)
                .credited_only(self.credited_only),
            |b, p| b.credit_pattern(p.clone()),
        )
    }
}

/// Runs the parsed command; returns the exit status.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Cluster(args) => cluster(args),
        Command::Strip(args) => strip(args),
    }
}

fn cluster(args: ClusterArgs) -> Result<i32> {
    let deduper = args
        .strip
        .builder()
        .threshold(args.threshold)
        .metric(match args.metric {
            MetricArg::Levenshtein => Metric::Levenshtein,
            MetricArg::Damerau => Metric::Damerau,
            MetricArg::Osa => Metric::Osa,
            MetricArg::JaroWinkler => Metric::JaroWinkler,
            MetricArg::SorensenDice => Metric::SorensenDice,
        })
        .linkage(match args.linkage {
            LinkageArg::Centre => Linkage::Centre,
            LinkageArg::Single => Linkage::Single,
        })
        .canonical(match args.canonical {
            CanonicalArg::MostFrequent => Canonical::MostFrequent,
            CanonicalArg::First => Canonical::First,
            CanonicalArg::Longest => Canonical::Longest,
            CanonicalArg::Shortest => Canonical::Shortest,
        })
        .boilerplate(match args.boilerplate {
            BoilerplateArg::Auto => BoilerplateMode::Auto,
            BoilerplateArg::Keep => BoilerplateMode::Keep,
        })
        .boilerplate_min(args.boilerplate_min as usize)
        .build()?;

    let mut collector = deduper.collector();
    args.input.for_each_record(|file, line, text| {
        collector.push(file, line, text);
        Ok(())
    })?;
    let report = collector.finish();

    let stdout = io::stdout();
    let out = BufWriter::with_capacity(1 << 16, stdout.lock());
    match args.format {
        ClusterFormat::Text => output::write_text(&report, out),
        ClusterFormat::Json => output::write_json(&report, out),
        ClusterFormat::Jsonl => output::write_jsonl(&report, out),
    }?;

    if !args.quiet {
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
        say(format_args!(
            "{kept} -> {} clusters ({} duplicates folded){boiler}",
            report.clusters.len(),
            report.duplicates()
        ));
    }
    Ok(0)
}

/// A line of talk on stderr, prefixed with the program name. Unlike `eprintln!` it does not
/// panic when stderr cannot be written (`2>/dev/full`): the data on stdout is what counts.
pub fn say(message: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr(), "capdedup: {message}");
}

fn strip(args: StripArgs) -> Result<i32> {
    let deduper = args.strip.builder().build()?;
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    args.input.for_each_record(|file, line, text| {
        let stripped = deduper.strip(text);
        if deduper.selects(&stripped) {
            match args.format {
                StripFormat::Jsonl => output::write_strip_jsonl(file, line, &stripped, &mut out)?,
                StripFormat::Text => writeln!(out, "{}", stripped.caption)?,
            }
        }
        Ok(())
    })?;
    out.flush().map_err(Error::from)?;
    Ok(0)
}
