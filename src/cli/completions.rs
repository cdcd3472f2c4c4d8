//! `capdedup completions`: shell completion scripts from the clap definition.

use std::io::{self, Write};

use clap::Args;
use clap_complete::Shell;

use capdedup::Result;

/// `capdedup completions` arguments.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the completion script of `cli` (the whole command line) for the shell.
pub fn run(args: CompletionsArgs, mut cli: clap::Command) -> Result<i32> {
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut cli, "capdedup", &mut out);
    out.flush()?;
    Ok(0)
}
