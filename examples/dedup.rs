//! The library's common case in one small program: read a file of captions (the format from
//! its extension, as the command line does), cluster it with options set through the builder,
//! and print `COUNT<TAB>CAPTION` per cluster with where each cluster's records are.
//!
//! ```sh
//! cargo run --example dedup -- fixtures/seed_captions.txt
//! cargo run --example dedup -- fixtures/quoted_newlines.csv 0.85
//! ```
//!
//! Errors (a missing file, a bad line) are printed the way `capdedup` prints them, naming the
//! file and line, with exit status 2.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use capdedup::input::{self, Column, InputKind, ReadOptions};
use capdedup::{Deduper, InputFormat, Report};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, rest @ ..] = args.as_slice() else {
        eprintln!("usage: dedup FILE [THRESHOLD]");
        return ExitCode::from(2);
    };
    let threshold = match rest.first().map(|t| t.parse::<f64>()) {
        None => 0.9,
        Some(Ok(t)) => t,
        Some(Err(_)) => {
            eprintln!("dedup: the threshold is not a number (expected 0 to 1)");
            return ExitCode::from(2);
        }
    };
    match run(path, threshold) {
        Ok(report) => match print(&report) {
            Ok(()) => ExitCode::SUCCESS,
            // The reader went away (`| head`): nothing more to say.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("dedup: error writing output: {e}");
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("dedup: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Reads every record of `path` and clusters them.
fn run(path: &str, threshold: f64) -> capdedup::Result<Report> {
    // The same defaults as the command line: a `caption` column or field.
    let format = match InputKind::from_extension(path) {
        InputKind::Lines => InputFormat::Lines,
        InputKind::Csv => InputFormat::Csv {
            column: Column::Name("caption".into()),
            header: true,
        },
        InputKind::Jsonl => InputFormat::Jsonl {
            field: "caption".into(),
        },
        InputKind::Json => InputFormat::Json {
            field: "caption".into(),
        },
        InputKind::Parquet => InputFormat::Parquet {
            column: Column::Name("caption".into()),
        },
    };
    let deduper = Deduper::builder().threshold(threshold).build()?;
    let mut collector = deduper.collector();
    let reader = input::open(path)?;
    input::read_records_with(
        path,
        reader,
        &format,
        ReadOptions::default(),
        |line, text| {
            collector.push(path, line, text);
            Ok(())
        },
    )?;
    Ok(collector.finish())
}

/// `COUNT<TAB>CAPTION`, then the lines of the cluster's records when there are several.
fn print(report: &Report) -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    for cluster in &report.clusters {
        let caption = capdedup::output::escape_controls(&cluster.caption);
        writeln!(out, "{}\t{caption}", cluster.count)?;
        if cluster.count > 1 {
            let lines: Vec<String> = cluster.members.iter().map(|m| m.line.to_string()).collect();
            writeln!(out, "\tlines {}", lines.join(", "))?;
        }
        if let Some(credit) = cluster.credits.first() {
            writeln!(out, "\tcredit {} ({}x)", credit.text, credit.count)?;
        }
    }
    out.flush()?;
    eprintln!(
        "dedup: {} records -> {} clusters ({} duplicates folded)",
        report.records,
        report.clusters.len(),
        report.duplicates()
    );
    Ok(())
}
