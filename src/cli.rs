//! The command line: clap definitions and the glue from arguments to the library.
//! The library never sees clap; this module only translates.

use std::io::{self, BufWriter, IsTerminal, Write};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use capdedup::check::{Baseline, Limits};
use capdedup::compress::{self, Compression, Encoder};
use capdedup::dedup::{Keep, Writer};
use capdedup::input::{self, Column, InputFormat, InputKind, ReadOptions};
use capdedup::output::{self, AtomicFile};
use capdedup::{
    BoilerplateMode, Canonical, Decision, Deduper, Error, ErrorKind, Explanation, Linkage, Metric,
    Progress, Report, Result, Veto,
};

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
    /// Memory is proportional to the distinct captions (their text about twice over, plus
    /// about 250 bytes each for the index) and about 50 bytes per record (to list members): a
    /// peak of about 770 MB for a million 50-character captions.
    #[command(after_long_help = CLUSTER_EXAMPLES)]
    Cluster(ClusterArgs),

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
    #[command(after_long_help = DEDUP_EXAMPLES)]
    Dedup(DedupArgs),

    /// Show what normalisation does to each record: the caption and the credit removed.
    ///
    /// Audit the credit stripping before trusting the clusters: one JSON line per record,
    /// {"file","line","caption","credit"} (credit null when there was none), or with
    /// `--format text` the cleaned caption per line.
    #[command(after_long_help = STRIP_EXAMPLES)]
    Strip(StripArgs),

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
    #[command(after_long_help = CHECK_EXAMPLES)]
    Check(CheckArgs),

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
    #[command(after_long_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),

    /// Print a shell completion script on standard output.
    ///
    /// bash: `capdedup completions bash > ~/.local/share/bash-completion/completions/capdedup`;
    /// zsh: `capdedup completions zsh > ~/.zfunc/_capdedup` (with `~/.zfunc` in `fpath`);
    /// fish: `capdedup completions fish > ~/.config/fish/completions/capdedup.fish`;
    /// PowerShell: `capdedup completions powershell >> $PROFILE`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },

    /// Print the man page (roff) on standard output: `capdedup man | man -l -`.
    Man {
        /// A subcommand's page (`capdedup-check(1)`, ...) instead of the main one.
        #[arg(value_parser = ["cluster", "dedup", "strip", "check", "explain"])]
        command: Option<String>,
    },
}

const CHECK_EXAMPLES: &str = "\
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

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  # Why these two did not merge
  capdedup explain 'Protesters march in Minsk, Sunday, Sept. 13, 2020.' 'Protesters march in Minsk, Monday, Sept. 14, 2020.'

  # The same decision as a JSON document, at another threshold and veto
  capdedup explain --format json -t 0.85 --veto numbers 'A man plays a guitar.' 'A man plays a flute.'";

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

const DEDUP_EXAMPLES: &str = "\
Examples:
  # A scraped CSV without its duplicate captions, every column as it was
  capdedup dedup scrape.csv -o clean.csv

  # From a pipe, keeping the record with the longest caption of each cluster
  cat scrape.csv | capdedup dedup --csv --keep longest > clean.csv

  # Every record with its cluster, to review before dropping anything
  capdedup dedup --annotate data.jsonl | jq -c 'select(.duplicate_of != null)'

  # Text input annotated: written as JSON Lines
  capdedup dedup --annotate captions.txt > captions.annotated.jsonl

  # Several files, each cleaned into out/ under its own name
  capdedup dedup --out-dir out/ part-1.jsonl part-2.jsonl

  # A gzipped input is written back gzipped; --decompress writes it plain
  capdedup dedup part-0.jsonl.gz -o clean.jsonl.gz
  capdedup dedup --decompress part-0.jsonl.gz -o clean.jsonl";

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
    /// Input files; none or `-` reads standard input. The format follows the extension:
    /// `.csv`, `.jsonl` (or `.ndjson`), `.json`, `.parquet`, anything else one caption per line. gzip,
    /// zstd and xz files are read decompressed (told by their first bytes; `a.jsonl.gz` is
    /// JSON Lines), streaming, with the lines of the decompressed text.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,

    /// Read one caption per line, whatever the extension.
    #[arg(long, group = "input_format", help_heading = "Input")]
    pub lines: bool,

    /// Read CSV: the caption is the column `--column`; quoted fields may span lines.
    #[arg(long, group = "input_format", help_heading = "Input")]
    pub csv: bool,

    /// Read JSON Lines: one object per line, the caption in the string at `--field`.
    #[arg(long, group = "input_format", help_heading = "Input")]
    pub jsonl: bool,

    /// Read a JSON array of captions (strings), or of objects with the caption at `--field`.
    #[arg(long, group = "input_format", help_heading = "Input")]
    pub json: bool,

    /// Read Parquet: the caption is the string column `--column` (a dotted path reaches into a
    /// struct column); a record's line is its row number. Rows with a null caption are counted
    /// on stderr, not clustered. Read a row group at a time, the caption column only (standard
    /// input is read whole).
    #[arg(long, group = "input_format", help_heading = "Input")]
    pub parquet: bool,

    /// Dotted path of the caption in each JSON object (JSON Lines and JSON input)
    /// [default: caption].
    #[arg(long, value_name = "NAME", help_heading = "Input")]
    pub field: Option<String>,

    /// CSV or Parquet column of the caption: a header name (for Parquet, a dotted path into a
    /// struct column), or a 1-based index [default: caption].
    #[arg(long, value_name = "NAME|N", help_heading = "Input")]
    pub column: Option<Column>,

    /// The CSV has no header row: the first row is a record (`--column` is then an index).
    #[arg(long, help_heading = "Input")]
    pub no_header: bool,

    /// Replace bytes that are not UTF-8 text (invalid sequences, NUL) with U+FFFD instead of
    /// stopping (every format; in CSV, the caption field); stderr says how many bytes on how
    /// many lines of each file.
    #[arg(long, help_heading = "Input")]
    pub lossy: bool,
}

/// How credits are stripped: shared by every command that reads captions.
#[derive(Debug, Args)]
pub struct CreditOptions {
    /// Do not strip credits: compare and show captions as written (whitespace tidied).
    #[arg(long, help_heading = "Normalisation")]
    pub keep_credits: bool,

    /// Also remove matches of REGEX as credits, wherever they match (repeatable; anchor
    /// with `$` to strip only at the end). Rust regex syntax.
    #[arg(long, value_name = "REGEX", help_heading = "Normalisation")]
    pub credit_pattern: Vec<String>,

    /// Learn repeated credit lines from the input (`auto`): a segment at the start or end of
    /// captions that recurs on captions whose other text differs and has the shape of a
    /// credit (names, an agency, a credit word, `/`, `©`; never a sentence, a date or a
    /// number) is stripped like a rule's credit. The JSON report lists them
    /// (`learned_credits`). `off` uses the built-in rules only.
    #[arg(long, value_enum, default_value_t = LearnArg::Auto, help_heading = "Normalisation")]
    pub learn_credits: LearnArg,

    /// On how many captions (with different other text) a segment must recur to be learned.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u64).range(2..), help_heading = "Normalisation")]
    pub learn_credits_min: u64,
}

/// `--learn-credits` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LearnArg {
    /// Learn repeated credit lines from the input.
    Auto,
    /// Built-in rules only.
    Off,
}

/// How credits are stripped and which records are kept (`strip`).
#[derive(Debug, Args)]
pub struct StripOptions {
    #[command(flatten)]
    pub credits: CreditOptions,

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
    pub options: ClusterOptions,

    /// Output format: `text` is COUNT<TAB>CAPTION per cluster (control characters escaped as
    /// `\u{1b}`); `json` one document, exact text (see the README for the contract); `jsonl`
    /// the cluster objects, one per line.
    #[arg(short, long, value_enum, default_value_t = ClusterFormat::Text, help_heading = "Output")]
    pub format: ClusterFormat,

    #[command(flatten)]
    pub output: OutputFile,

    /// Do not print the summary line on stderr.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

/// `capdedup dedup` arguments.
#[derive(Debug, Args)]
pub struct DedupArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub options: ClusterOptions,

    /// Which record of a cluster is kept (and named by `duplicate_of`): the `first` in
    /// input order, the first whose caption is the cluster's `canonical` one, or the first
    /// with the `longest` caption (credits removed).
    #[arg(long, value_enum, default_value_t = KeepArg::First, help_heading = "Output")]
    pub keep: KeepArg,

    /// Write every record with its cluster's fields added, instead of dropping duplicates.
    /// Text input is written as JSON Lines.
    #[arg(long, help_heading = "Output")]
    pub annotate: bool,

    /// Put PREFIX before the names of the added fields (`cd_` gives `cd_cluster_id`, ...), to
    /// set them apart from fields of the input.
    #[arg(
        long,
        value_name = "PREFIX",
        requires = "annotate",
        help_heading = "Output"
    )]
    pub annotate_prefix: Option<String>,

    /// Write a compressed input back plain (by default it is written with its own
    /// compression: gzip, zstd or xz); under `--out-dir` its name loses `.gz`, `.zst` or `.xz`.
    #[arg(long, help_heading = "Output")]
    pub decompress: bool,

    #[command(flatten)]
    pub output: OutputFile,

    /// Write one file per input, under its name, into DIR (created if missing); needed for
    /// several inputs.
    #[arg(
        long,
        value_name = "DIR",
        conflicts_with = "output",
        help_heading = "Output"
    )]
    pub out_dir: Option<String>,

    /// Do not print the summary line on stderr.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

/// `dedup --keep` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeepArg {
    /// The first record in input order.
    First,
    /// The first record with the cluster's caption.
    Canonical,
    /// The first record with the longest caption.
    Longest,
}

/// How two captions are compared: shared by `cluster`, `check` and `explain`.
#[derive(Debug, Args)]
pub struct CompareOptions {
    #[command(flatten)]
    pub credits: CreditOptions,

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

    /// Which differences of fact keep similar captions apart. `facts`: numbers, dates,
    /// weekdays and months must agree, and no content word may be substituted, added or
    /// removed (case, punctuation, accents, articles and prepositions, a typo inside a word,
    /// gallery counters and page furniture such as `hide caption` do not count); `numbers`:
    /// only numbers and dates; `none`: the similarity alone decides. `capdedup explain A B`
    /// shows the verdict for two captions.
    #[arg(long, value_enum, default_value_t = VetoArg::Facts, help_heading = "Clustering")]
    pub veto: VetoArg,
}

/// How records are selected, compared and clustered: shared by `cluster` and `check`.
/// `explain` compares two captions and takes only the [`CompareOptions`].
#[derive(Debug, Args)]
pub struct ClusterOptions {
    #[command(flatten)]
    pub compare: CompareOptions,

    /// Keep only records that carry a credit, so a raw page (article text and captions
    /// mixed) can be fed as it is.
    #[arg(long, help_heading = "Normalisation")]
    pub credited_only: bool,

    /// `centre`: the most frequent caption takes every caption within the threshold of it
    /// (no chaining); `single`: connected components (may chain).
    #[arg(long, value_enum, default_value_t = LinkageArg::Centre, help_heading = "Clustering")]
    pub linkage: LinkageArg,

    /// The caption shown for a cluster; ties are broken by content, never by position.
    #[arg(long, value_enum, default_value_t = CanonicalArg::MostFrequent, help_heading = "Clustering")]
    pub canonical: CanonicalArg,

    /// Compare every pair of distinct captions instead of using the candidate index: the exact
    /// answer for those who need a guarantee, in quadratic time.
    #[arg(long, help_heading = "Clustering")]
    pub exhaustive: bool,

    /// Worker threads (0: one per core). The output is the same for any number.
    #[arg(
        short = 'j',
        long,
        value_name = "N",
        default_value_t = 0,
        help_heading = "Clustering"
    )]
    pub threads: usize,
}

/// Where the output goes.
#[derive(Debug, Args)]
pub struct OutputFile {
    /// Write the output to FILE instead of standard output. The file appears whole or not at
    /// all: it is written beside FILE under a temporary name, then renamed.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<String>,
}

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

    /// Output format: `text` for people, `json` one document (see the README).
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
    /// `::error` workflow commands; `::warning` when within the limits) or `json` (see the README).
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

/// `--veto` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VetoArg {
    /// Numbers, dates and content words must agree.
    Facts,
    /// Only numbers and dates must agree.
    Numbers,
    /// No veto: the similarity alone decides.
    None,
}

impl From<VetoArg> for Veto {
    fn from(v: VetoArg) -> Veto {
        match v {
            VetoArg::Facts => Veto::Facts,
            VetoArg::Numbers => Veto::Numbers,
            VetoArg::None => Veto::None,
        }
    }
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
    fn files(&self) -> Vec<String> {
        if self.files.is_empty() {
            vec!["-".to_owned()]
        } else {
            self.files.clone()
        }
    }

    /// The format of `file`: the one named by a flag, else the one its extension announces.
    fn format(&self, file: &str) -> InputFormat {
        let kind = if self.lines {
            InputKind::Lines
        } else if self.csv {
            InputKind::Csv
        } else if self.jsonl {
            InputKind::Jsonl
        } else if self.json {
            InputKind::Json
        } else if self.parquet {
            InputKind::Parquet
        } else {
            InputKind::from_extension(file)
        };
        let field = || self.field.clone().unwrap_or_else(|| "caption".to_owned());
        match kind {
            InputKind::Lines => InputFormat::Lines,
            InputKind::Jsonl => InputFormat::Jsonl { field: field() },
            InputKind::Json => InputFormat::Json { field: field() },
            InputKind::Csv => InputFormat::Csv {
                column: self.column(),
                header: !self.no_header,
            },
            InputKind::Parquet => InputFormat::Parquet {
                column: self.column(),
            },
        }
    }

    /// The caption column of CSV and Parquet input.
    fn column(&self) -> Column {
        self.column
            .clone()
            .unwrap_or_else(|| Column::Name("caption".to_owned()))
    }

    /// Reads every record of every file, in order, each file opened with `open`. The formats
    /// are settled before the first file is read, so an option that applies to none of the
    /// inputs fails before any output. `notes`: say on stderr how many bytes `--lossy`
    /// replaced (a second reading of the same input does not say it again).
    fn for_each_record_in(
        &self,
        open: &Open<'_>,
        notes: bool,
        mut each: impl FnMut(&str, u64, &str) -> Result<()>,
    ) -> Result<()> {
        let inputs: Vec<(String, InputFormat)> = self
            .files()
            .into_iter()
            .map(|file| {
                let format = self.format(&file);
                (file, format)
            })
            .collect();
        let any = |kinds: &[InputKind]| inputs.iter().any(|(_, f)| kinds.contains(&f.kind()));
        let unused = |option: &str, applies: &str, expected: &str| {
            Err(Error::new(ErrorKind::InvalidOption(format!(
                "{option} applies to {applies} input, but no input is read as {applies} (expected {expected})"
            ))))
        };
        if self.field.is_some() && !any(&[InputKind::Jsonl, InputKind::Json]) {
            return unused(
                "--field",
                "JSON",
                "--jsonl or --json, or a .jsonl or .json file",
            );
        }
        if self.column.is_some() && !any(&[InputKind::Csv, InputKind::Parquet]) {
            return unused(
                "--column",
                "CSV or Parquet",
                "--csv or --parquet, or a .csv or .parquet file",
            );
        }
        if self.no_header && !any(&[InputKind::Csv]) {
            return unused("--no-header", "CSV", "--csv, or a .csv file");
        }
        let options = ReadOptions { lossy: self.lossy };
        for (file, format) in inputs {
            if let InputFormat::Parquet { column } = &format {
                read_parquet(&file, column, open, notes, |line, text| {
                    each(&file, line, text)
                })?;
                continue;
            }
            let (reader, _) = open(&file)?;
            let replaced =
                input::read_records_with(&file, reader, &format, options, |line, text| {
                    each(&file, line, text)
                })?;
            if notes && replaced.bytes > 0 {
                say(format_args!("{file}: {replaced}"));
            }
        }
        Ok(())
    }
}

impl CreditOptions {
    fn builder(&self) -> capdedup::Builder {
        self.credit_pattern.iter().fold(
            Deduper::builder()
                .keep_credits(self.keep_credits)
                .learn_credits(self.learn_credits == LearnArg::Auto)
                .learn_credits_min(self.learn_credits_min as usize),
            |b, p| b.credit_pattern(p.clone()),
        )
    }
}

impl StripOptions {
    fn builder(&self) -> capdedup::Builder {
        self.credits.builder().credited_only(self.credited_only)
    }
}

/// Runs the parsed command; returns the exit status.
pub fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Cluster(args) => cluster(args),
        Command::Dedup(args) => dedup(args),
        Command::Strip(args) => strip(args),
        Command::Check(args) => check(args),
        Command::Explain(args) => explain(args),
        Command::Completions { shell } => {
            let mut out = io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "capdedup", &mut out);
            out.flush()?;
            Ok(0)
        }
        Command::Man { command } => man(command.as_deref()),
    }
}

impl CompareOptions {
    /// The builder set for these options; the cluster-only settings keep their defaults.
    fn builder(&self) -> capdedup::Builder {
        self.credits
            .builder()
            .threshold(self.threshold)
            .metric(match self.metric {
                MetricArg::Levenshtein => Metric::Levenshtein,
                MetricArg::Damerau => Metric::Damerau,
                MetricArg::Osa => Metric::Osa,
                MetricArg::JaroWinkler => Metric::JaroWinkler,
                MetricArg::SorensenDice => Metric::SorensenDice,
            })
            .boilerplate(match self.boilerplate {
                BoilerplateArg::Auto => BoilerplateMode::Auto,
                BoilerplateArg::Keep => BoilerplateMode::Keep,
            })
            .boilerplate_min(self.boilerplate_min as usize)
            .veto(self.veto.into())
    }
}

impl ClusterOptions {
    fn deduper(&self) -> Result<Deduper> {
        self.compare
            .builder()
            .credited_only(self.credited_only)
            .linkage(match self.linkage {
                LinkageArg::Centre => Linkage::Centre,
                LinkageArg::Single => Linkage::Single,
            })
            .canonical(match self.canonical {
                CanonicalArg::MostFrequent => Canonical::MostFrequent,
                CanonicalArg::First => Canonical::First,
                CanonicalArg::Longest => Canonical::Longest,
                CanonicalArg::Shortest => Canonical::Shortest,
            })
            .exhaustive(self.exhaustive)
            .build()
    }

    /// Reads every input and clusters it, records stripped in batches on all cores, with a
    /// progress bar on a terminal unless `quiet`.
    fn report(&self, input: &InputArgs, quiet: bool) -> Result<Report> {
        self.report_in(input, quiet, &input::open_detected)
    }

    /// [`ClusterOptions::report`], each file opened with `open`.
    fn report_in(&self, input: &InputArgs, quiet: bool, open: &Open<'_>) -> Result<Report> {
        let deduper = self.deduper()?;
        if self.threads > 0 {
            // Only fails if a pool already exists, and then that pool is used: harmless.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(self.threads)
                .build_global();
        }
        let progress = ProgressBar::new(!quiet);
        let mut collector = deduper.collector();
        progress.phase("reading", 0);
        // One thread reads and decodes batches of records while the collector strips one
        // batch on all cores and adds the one before.
        // A batch is one buffer of text with the line and the span of each record in it
        // (a string per record would cost an allocation, and a free on another thread).
        type Batch = (String, String, Vec<(u64, usize, usize)>);
        let (send, batches) = std::sync::mpsc::sync_channel::<Batch>(2);
        std::thread::scope(|scope| -> Result<()> {
            let reader = scope.spawn(move || {
                let mut text_buf = String::with_capacity(BATCH_BYTES + (1 << 16));
                let mut spans: Vec<(u64, usize, usize)> = Vec::with_capacity(BATCH);
                let mut batch_file = String::new();
                let sent = input.for_each_record_in(open, true, |file, line, text| {
                    if spans.len() == BATCH
                        || text_buf.len() >= BATCH_BYTES
                        || (file != batch_file && !spans.is_empty())
                    {
                        let full = (
                            batch_file.clone(),
                            std::mem::replace(
                                &mut text_buf,
                                String::with_capacity(BATCH_BYTES + (1 << 16)),
                            ),
                            std::mem::replace(&mut spans, Vec::with_capacity(BATCH)),
                        );
                        // The receiver only hangs up when it panicked.
                        let _ = send.send(full);
                    }
                    if file != batch_file {
                        file.clone_into(&mut batch_file);
                    }
                    spans.push((line, text_buf.len(), text_buf.len() + text.len()));
                    text_buf.push_str(text);
                    Ok(())
                });
                let _ = send.send((batch_file, text_buf, spans));
                sent
            });
            for (file, text, spans) in batches {
                let records: Vec<(u64, &str)> = spans
                    .iter()
                    .map(|&(line, from, to)| (line, &text[from..to]))
                    .collect();
                collector.push_batch(&file, &records);
                progress.advance(records.len() as u64);
            }
            reader.join().expect("the reader thread does not panic")
        })?;
        progress.done();
        let report = collector.finish_with(&progress);
        progress.clear();
        Ok(report)
    }
}

/// Reads the records of a Parquet input (standard input through `open`, whole); says on
/// stderr how many captions were null (with `notes`).
#[cfg(feature = "parquet")]
fn read_parquet(
    file: &str,
    column: &Column,
    open: &Open<'_>,
    notes: bool,
    each: impl FnMut(u64, &str) -> Result<()>,
) -> Result<()> {
    let source = if file == "-" {
        capdedup::parquet::Source::read(file, open(file)?.0)?
    } else {
        capdedup::parquet::Source::open(file)?
    };
    let nulls = capdedup::parquet::read_records(file, source, column, each)?;
    if notes && nulls.rows > 0 {
        say(format_args!("{file}: {nulls}"));
    }
    Ok(())
}

/// Without the `parquet` feature, a Parquet input is an error.
#[cfg(not(feature = "parquet"))]
fn read_parquet(
    file: &str,
    _: &Column,
    _: &Open<'_>,
    _: bool,
    _: impl FnMut(u64, &str) -> Result<()>,
) -> Result<()> {
    Err(Error::at(
        file,
        None,
        ErrorKind::Parquet(input::NO_PARQUET.to_owned()),
    ))
}

/// Opens an input: its reader, decompressed, and the compression found.
type Open<'a> = dyn Fn(&str) -> Result<(Box<dyn io::BufRead + Send>, Compression)> + Sync + 'a;

/// A line of talk on stderr, prefixed with the program name. Unlike `eprintln!` it does not
/// panic when stderr cannot be written (`2>/dev/full`): the data on stdout is what counts.
pub fn say(message: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr(), "capdedup: {message}");
}

/// Records stripped together on all cores: at most this many,
const BATCH: usize = 32768;
/// and of at most about this many bytes.
const BATCH_BYTES: usize = 8 << 20;

/// A progress bar on stderr, drawn only when stderr is a terminal, not `--quiet`, and the
/// run has lasted more than a second.
struct ProgressBar {
    bar: Option<indicatif::ProgressBar>,
    start: std::time::Instant,
    /// With `CAPDEDUP_TIMINGS` set, the start of the current phase, to print each phase's
    /// wall time on stderr (for profiling; see bench/README.md).
    timings: Option<std::sync::Mutex<(&'static str, std::time::Instant)>>,
}

impl ProgressBar {
    fn new(wanted: bool) -> Self {
        use std::io::IsTerminal;
        let bar = (wanted && io::stderr().is_terminal()).then(|| {
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden())
        });
        let timings = std::env::var_os("CAPDEDUP_TIMINGS")
            .map(|_| std::sync::Mutex::new(("start", std::time::Instant::now())));
        ProgressBar {
            bar,
            start: std::time::Instant::now(),
            timings,
        }
    }

    /// Prints how long the phase that just ended took, with `CAPDEDUP_TIMINGS` set.
    fn lap(&self, next: &'static str) {
        if let Some(t) = &self.timings {
            let mut t = t.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            say(format_args!(
                "{:>12} {:7.3} s",
                t.0,
                t.1.elapsed().as_secs_f64()
            ));
            *t = (next, std::time::Instant::now());
        }
    }

    fn clear(&self) {
        self.lap("done");
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for ProgressBar {
    fn phase(&self, name: &'static str, total: u64) {
        self.lap(name);
        let Some(bar) = &self.bar else { return };
        let style = if total == 0 {
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg}: {human_pos} records ({elapsed})",
            )
        } else {
            indicatif::ProgressStyle::with_template(
                "{msg} {wide_bar} {human_pos}/{human_len} captions ({eta} left)",
            )
        };
        bar.set_message(name);
        if let Ok(style) = style {
            bar.set_style(style);
        }
        bar.set_length(total);
        bar.set_position(0);
    }

    fn advance(&self, n: u64) {
        let Some(bar) = &self.bar else { return };
        bar.inc(n);
        if bar.is_hidden() && self.start.elapsed() > std::time::Duration::from_secs(1) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

/// Standard output, or an [`AtomicFile`] with `-o`.
enum Sink {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    File(AtomicFile),
}

impl OutputFile {
    fn open(&self) -> Result<Sink> {
        Ok(match &self.output {
            Some(path) => Sink::File(AtomicFile::create(path)?),
            None => Sink::Stdout(BufWriter::with_capacity(1 << 16, io::stdout().lock())),
        })
    }
}

impl Sink {
    /// Flushes standard output, or commits the file.
    fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut out) => out.flush().map_err(Error::from),
            Sink::File(file) => file.commit(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::File(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::File(file) => file.flush(),
        }
    }
}

fn cluster(args: ClusterArgs) -> Result<i32> {
    let report = args.options.report(&args.input, args.quiet)?;

    let writing = std::time::Instant::now();
    let mut out = args.output.open()?;
    match args.format {
        ClusterFormat::Text => output::write_text(&report, &mut out),
        ClusterFormat::Json => output::write_json(&report, &mut out),
        ClusterFormat::Jsonl => output::write_jsonl(&report, &mut out),
    }?;
    out.finish()?;
    if std::env::var_os("CAPDEDUP_TIMINGS").is_some() {
        say(format_args!(
            "{:>12} {:7.3} s",
            "writing",
            writing.elapsed().as_secs_f64()
        ));
    }

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
        let learned = match report.learned_credits.len() {
            0 => String::new(),
            1 => "; 1 credit line learned".to_owned(),
            n => format!("; {n} credit lines learned"),
        };
        say(format_args!(
            "{kept} -> {} clusters ({} duplicates folded){boiler}{learned}",
            report.clusters.len(),
            report.duplicates()
        ));
    }
    // The process ends now: freeing a million clusters one by one would only delay it (about
    // a second on a million captions).
    std::mem::forget(report);
    Ok(0)
}

fn dedup(args: DedupArgs) -> Result<i32> {
    let files = args.input.files();
    for (i, f) in files.iter().enumerate() {
        if files[..i].contains(f) {
            return Err(Error::new(ErrorKind::InvalidOption(format!(
                "`{f}` is given twice (expected each input once: its records would be written twice)"
            ))));
        }
    }
    // Where each input's output goes: `None` for standard output.
    let targets: Vec<Option<std::path::PathBuf>> = match (&args.out_dir, &args.output.output) {
        (Some(dir), _) => {
            let mut names = std::collections::HashSet::new();
            files
                .iter()
                .map(|f| {
                    let name = std::path::Path::new(f).file_name().filter(|_| f != "-");
                    let Some(name) = name else {
                        return Err(Error::new(ErrorKind::InvalidOption(format!(
                            "`{f}` has no file name to write under --out-dir (expected a file; use -o or standard output for standard input)"
                        ))));
                    };
                    if !names.insert(name.to_owned()) {
                        return Err(Error::new(ErrorKind::InvalidOption(format!(
                            "two inputs are named `{}` (expected distinct names under --out-dir)",
                            name.to_string_lossy()
                        ))));
                    }
                    // Written plain, a compressed input loses its compression's extension.
                    let name = name.to_string_lossy();
                    let name = if args.decompress {
                        Compression::strip_extension(&name)
                    } else {
                        &name
                    };
                    let target = std::path::Path::new(dir).join(name);
                    Ok(Some(target))
                })
                .collect::<Result<_>>()?
        }
        (None, Some(path)) if files.len() == 1 => {
            vec![Some(path.into())]
        }
        (None, _) if files.len() == 1 => vec![None],
        (None, _) => {
            return Err(Error::new(ErrorKind::InvalidOption(format!(
                "{} inputs need --out-dir DIR (expected one output file per input)",
                files.len()
            ))));
        }
    };

    // Standard input is read twice: kept in a temporary file from the first reading.
    let spooled = if files.iter().any(|f| f == "-") {
        let mut tmp =
            tempfile::NamedTempFile::new().map_err(|e| Error::at("-", None, ErrorKind::Io(e)))?;
        io::copy(&mut io::stdin().lock(), tmp.as_file_mut())
            .map_err(|e| Error::at("-", None, ErrorKind::Io(e)))?;
        Some(tmp)
    } else {
        None
    };
    let open = |file: &str| -> Result<(Box<dyn io::BufRead + Send>, Compression)> {
        match (&spooled, file) {
            (Some(tmp), "-") => {
                let f = tmp
                    .reopen()
                    .map_err(|e| Error::at("-", None, ErrorKind::Io(e)))?;
                compress::decompress("-", Box::new(f))
            }
            _ => input::open_detected(file),
        }
    };

    let report = args.options.report_in(&args.input, args.quiet, &open)?;
    let deduper = args.options.deduper()?;
    let keep = match args.keep {
        KeepArg::First => Keep::First,
        KeepArg::Canonical => Keep::Canonical,
        KeepArg::Longest => Keep::Longest,
    };
    let mut writer = if args.annotate {
        let prefix = args.annotate_prefix.as_deref().unwrap_or("");
        Writer::annotate(&report, keep, &deduper, prefix)
    } else {
        Writer::dedup(&report, keep)
    };
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::at(dir, None, ErrorKind::Output(e)))?;
    }
    // Every output is complete before any appears: files are committed, and standard
    // output copied from a temporary file, only once every input is written.
    let mut pending = Vec::with_capacity(files.len());
    let (mut read, mut written) = (0, 0);
    let options = ReadOptions {
        lossy: args.input.lossy,
    };
    for (file, target) in files.iter().zip(&targets) {
        let format = args.input.format(file);
        if let InputFormat::Parquet { column } = &format {
            let (done, out) = write_parquet(&mut writer, file, column, &open, target.as_deref())?;
            pending.push(out);
            read += done.read;
            written += done.written;
            continue;
        }
        let (reader, compression) = open(file)?;
        let compression = if args.decompress {
            Compression::None
        } else {
            compression
        };
        let done = match target {
            Some(path) => {
                let mut out = Encoder::new(AtomicFile::create(path)?, compression)?;
                let done = writer.write(file, reader, &format, options, &mut out)?;
                pending.push(Pending::File(out.finish()?));
                done
            }
            None => {
                let tmp = tempfile::NamedTempFile::new()
                    .map_err(|e| Error::at("-", None, ErrorKind::Output(e)))?;
                let out = BufWriter::with_capacity(1 << 16, tmp);
                let mut out = Encoder::new(out, compression)?;
                let done = writer.write(file, reader, &format, options, &mut out)?;
                let tmp = out.finish()?.into_inner().map_err(|e| e.into_error())?;
                pending.push(Pending::Stdout(tmp));
                done
            }
        };
        read += done.read;
        written += done.written;
    }
    writer.finish()?;
    for p in pending {
        match p {
            Pending::File(out) => out.commit()?,
            Pending::Stdout(tmp) => {
                let mut stdout = io::stdout().lock();
                let mut from = tmp.reopen()?;
                io::copy(&mut from, &mut stdout)?;
                stdout.flush()?;
            }
        }
    }
    if !args.quiet {
        say(format_args!(
            "{read} records read, {written} written, {} dropped",
            read - written
        ));
    }
    std::mem::forget(report);
    Ok(0)
}

/// A `dedup` output written in full but not yet shown: a file to commit, or standard output
/// in a temporary file.
enum Pending {
    Stdout(tempfile::NamedTempFile),
    File(AtomicFile),
}

/// Writes a Parquet input back (`dedup`) to `target`, or to a temporary file for standard
/// output.
#[cfg(feature = "parquet")]
fn write_parquet(
    writer: &mut Writer<'_>,
    file: &str,
    column: &Column,
    open: &Open<'_>,
    target: Option<&std::path::Path>,
) -> Result<(capdedup::dedup::Written, Pending)> {
    let source = if file == "-" {
        capdedup::parquet::Source::read(file, open(file)?.0)?
    } else {
        capdedup::parquet::Source::open(file)?
    };
    Ok(match target {
        Some(path) => {
            let mut out = AtomicFile::create(path)?;
            let done = capdedup::parquet::write(writer, file, source, column, &mut out)?;
            (done, Pending::File(out))
        }
        None => {
            let tmp = tempfile::NamedTempFile::new()
                .map_err(|e| Error::at("-", None, ErrorKind::Output(e)))?;
            let mut out = BufWriter::with_capacity(1 << 16, tmp);
            let done = capdedup::parquet::write(writer, file, source, column, &mut out)?;
            let tmp = out.into_inner().map_err(|e| e.into_error())?;
            (done, Pending::Stdout(tmp))
        }
    })
}

/// Without the `parquet` feature, a Parquet input is an error.
#[cfg(not(feature = "parquet"))]
fn write_parquet(
    _: &mut Writer<'_>,
    file: &str,
    _: &Column,
    _: &Open<'_>,
    _: Option<&std::path::Path>,
) -> Result<(capdedup::dedup::Written, Pending)> {
    Err(Error::at(
        file,
        None,
        ErrorKind::Parquet(input::NO_PARQUET.to_owned()),
    ))
}

fn strip(args: StripArgs) -> Result<i32> {
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
                if !stripped.caption.is_empty() {
                    learner.add(&stripped.caption);
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
            if let Some(learned) = &learned {
                (stripped, removed) = deduper.strip_learned_audited(learned, (stripped, removed));
            }
            if deduper.selects(&stripped) {
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

/// Standard input kept in a temporary file when it is among `files`, to be read twice.
fn spool_stdin(files: &[String]) -> Result<Option<tempfile::NamedTempFile>> {
    if !files.iter().any(|f| f == "-") {
        return Ok(None);
    }
    let mut tmp =
        tempfile::NamedTempFile::new().map_err(|e| Error::at("-", None, ErrorKind::Io(e)))?;
    io::copy(&mut io::stdin().lock(), tmp.as_file_mut())
        .map_err(|e| Error::at("-", None, ErrorKind::Io(e)))?;
    Ok(Some(tmp))
}

/// Opens `file`; standard input from its spooled copy when there is one.
fn open_spooled(
    spooled: Option<&tempfile::NamedTempFile>,
    file: &str,
) -> Result<(Box<dyn io::BufRead + Send>, Compression)> {
    match (spooled, file) {
        (Some(tmp), "-") => {
            let f = tmp
                .reopen()
                .map_err(|e| Error::at("-", None, ErrorKind::Io(e)))?;
            compress::decompress("-", Box::new(f))
        }
        _ => input::open_detected(file),
    }
}

fn check(args: CheckArgs) -> Result<i32> {
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

fn explain(args: ExplainArgs) -> Result<i32> {
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

fn man(command: Option<&str>) -> Result<i32> {
    let mut cmd = Cli::command();
    if let Some(name) = command {
        // The page of `capdedup check` is capdedup-check(1), as git and cargo name theirs.
        let page = match name {
            "cluster" => "capdedup-cluster",
            "dedup" => "capdedup-dedup",
            "strip" => "capdedup-strip",
            "explain" => "capdedup-explain",
            _ => "capdedup-check",
        };
        cmd.build();
        cmd = cmd
            .find_subcommand(name)
            .expect("clap checked the name")
            .clone()
            .name(page)
            .version(env!("CARGO_PKG_VERSION"));
    }
    let mut out = BufWriter::new(io::stdout().lock());
    clap_mangen::Man::new(cmd).render(&mut out)?;
    out.flush()?;
    Ok(0)
}
