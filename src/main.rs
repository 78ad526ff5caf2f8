//! The `cutline` binary: parse arguments, run the command, map the outcome to an exit code.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use cutline::cli::Args;
use cutline::error::Error;

fn main() -> ExitCode {
    let args = Args::parse();
    cutline::progress::set_quiet(args.quiet);
    let command = args.into_command();
    let mut out = io::stdout().lock();
    let result = cutline::commands::run(&command, &mut out);
    let flushed = out.flush();
    match result {
        Ok(outcome) if flushed.is_ok() => ExitCode::from(outcome.code()),
        Ok(_) => ExitCode::from(2),
        // A closed pipe (`cutline scan | head`) is the reader's choice, not an error.
        Err(Error::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "cutline: {}",
                cutline::sanitize::for_terminal(&e.to_string())
            );
            ExitCode::from(2)
        }
    }
}
