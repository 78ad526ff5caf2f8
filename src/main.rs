//! The `cutline` binary: parse arguments, run the command, map the outcome to an exit code.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use cutline::cli::{self, Args, Invocation};
use cutline::commands::Outcome;
use cutline::error::Error;

fn main() -> ExitCode {
    let args = Args::parse();
    cutline::progress::set_quiet(args.quiet);
    let mut out = io::stdout().lock();
    let result = match args.into_command() {
        Invocation::Run(command) => cutline::commands::run(&command, &mut out),
        Invocation::Completions(shell) => {
            cli::completions(shell, &mut out);
            Ok(Outcome::Clean)
        }
        Invocation::Man => cli::man(&mut out)
            .map(|()| Outcome::Clean)
            .map_err(|source| Error::Io {
                path: "-".into(),
                source,
            }),
    };
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
