//! Where the output goes (standard output, or a file that appears whole with `-o`), and the
//! talk on stderr: the lowest floor of the command line.

use std::io::{self, BufWriter, Write};

use clap::Args;

use capdedup::output::AtomicFile;
use capdedup::{Error, Result};

/// A line of talk on stderr, prefixed with the program name. Unlike `eprintln!` it does not
/// panic when stderr cannot be written (`2>/dev/full`): the data on stdout is what counts.
pub fn say(message: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr(), "capdedup: {message}");
}

/// Where the output goes.
#[derive(Debug, Args)]
pub struct OutputFile {
    /// Write the output to FILE instead of standard output. The file appears whole or not at
    /// all: it is written beside FILE under a temporary name, then renamed.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<String>,
}

/// Standard output, or an [`AtomicFile`] with `-o`.
pub enum Sink {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    File(AtomicFile),
}

impl OutputFile {
    pub fn open(&self) -> Result<Sink> {
        Ok(match &self.output {
            Some(path) => Sink::File(AtomicFile::create(path)?),
            None => Sink::Stdout(BufWriter::with_capacity(1 << 16, io::stdout().lock())),
        })
    }
}

impl Sink {
    /// Flushes standard output, or commits the file.
    pub fn finish(self) -> Result<()> {
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
