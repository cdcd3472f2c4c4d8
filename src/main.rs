//! The `capdedup` binary: parse the arguments, run the library, map errors to exit codes.

mod cli;

use clap::Parser;

/// See `Cargo.toml`: measured faster than the system allocator at the same peak memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let code = match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        // The reader went away (`capdedup cluster ... | head`): stop quietly.
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            cli::say(format_args!("{e}"));
            e.exit_code()
        }
    };
    std::process::exit(code);
}
