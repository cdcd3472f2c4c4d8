//! `capdedup dedup`: the input written back without its duplicates, or annotated.

use std::io::{self, BufWriter, Write};

use clap::{Args, ValueEnum};

use capdedup::compress::{Compression, Encoder};
use capdedup::dedup::{Keep, Writer};
use capdedup::input::{Column, InputFormat, ReadOptions};
use capdedup::output::AtomicFile;
use capdedup::{Error, ErrorKind, Result};

use super::input::{InputArgs, Open, open_spooled, spool_stdin};
use super::options::ClusterOptions;
use super::output::{OutputFile, say};

/// Examples for the long help.
pub const EXAMPLES: &str = "\
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

/// Runs `capdedup dedup`; returns the exit status.
pub fn run(args: DedupArgs) -> Result<i32> {
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
    let spooled = spool_stdin(&files)?;
    let open = |file: &str| open_spooled(spooled.as_ref(), file);

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
            let done = capdedup::dedup::parquet::write(writer, file, source, column, &mut out)?;
            (done, Pending::File(out))
        }
        None => {
            let tmp = tempfile::NamedTempFile::new()
                .map_err(|e| Error::at("-", None, ErrorKind::Output(e)))?;
            let mut out = BufWriter::with_capacity(1 << 16, tmp);
            let done = capdedup::dedup::parquet::write(writer, file, source, column, &mut out)?;
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
        ErrorKind::Parquet(capdedup::input::NO_PARQUET.to_owned()),
    ))
}
