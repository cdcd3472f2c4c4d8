//! `capdedup man`: the man pages (roff) from the clap definition.

use std::io::{self, BufWriter, Write};

use clap::Args;

use capdedup::Result;

/// `capdedup man` arguments.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand's page (`capdedup-check(1)`, ...) instead of the main one.
    #[arg(value_parser = ["cluster", "dedup", "strip", "check", "explain", "report"])]
    pub command: Option<String>,
}

/// Prints the man page of `cli` (the whole command line), or of one of its subcommands.
pub fn run(args: ManArgs, mut cmd: clap::Command) -> Result<i32> {
    if let Some(name) = args.command.as_deref() {
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
