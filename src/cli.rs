//! The command line (clap derive), turned into validated options; nothing below this module sees clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::commands::{self, Command};
use crate::report;
use crate::rules::Severity;

/// Keeps image captions and credits honest.
#[derive(Debug, Parser)]
#[command(name = "cutline", version = concat!(env!("CARGO_PKG_VERSION"), " (manifest format 1)"), about, long_about = None)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: CommandArgs,
}

/// The subcommands, as typed.
#[derive(Debug, Subcommand)]
pub enum CommandArgs {
    /// List every file under ROOT: format, size, dimensions, hashes, metadata.
    Scan {
        /// The folder to scan.
        #[arg(default_value = ".")]
        root: PathBuf,
        /// JSON Lines, one object per file.
        #[arg(long)]
        json: bool,
        /// Skip hashing: read metadata only.
        #[arg(long)]
        no_hash: bool,
    },
    /// Write a new manifest for the images under ROOT.
    Init {
        /// The media folder.
        #[arg(default_value = ".")]
        root: PathBuf,
        /// The manifest to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Replace an existing manifest.
        #[arg(long)]
        force: bool,
    },
    /// Check manifests against their media: files, hashes, captions, credits.
    Check {
        /// A manifest to check (repeatable). Default: every manifests/*.json.
        #[arg(short = 'm', long = "manifest", value_name = "MANIFEST")]
        manifests: Vec<PathBuf>,
        /// Media root, instead of each manifest's `root`.
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Report format.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Fail (exit 1) on findings of this severity or worse.
        #[arg(long, value_enum, default_value_t = SeverityArg::Error)]
        fail_on: SeverityArg,
    },
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// For a person.
    Human,
    /// One JSON document.
    Json,
}

/// `--fail-on` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Only errors fail the run.
    Error,
    /// Warnings and errors fail the run.
    Warning,
    /// Any finding fails the run.
    Info,
}

impl Args {
    /// The validated command.
    pub fn into_command(self) -> Command {
        match self.command {
            CommandArgs::Scan {
                root,
                json,
                no_hash,
            } => Command::Scan(commands::scan::Options {
                root,
                json,
                no_hash,
            }),
            CommandArgs::Init {
                root,
                output,
                force,
            } => Command::Init(commands::init::Options {
                root,
                output,
                force,
            }),
            CommandArgs::Check {
                manifests,
                root,
                format,
                fail_on,
            } => Command::Check(commands::check::Options {
                manifests,
                root,
                format: match format {
                    FormatArg::Human => report::Format::Human,
                    FormatArg::Json => report::Format::Json,
                },
                fail_on: match fail_on {
                    SeverityArg::Error => Severity::Error,
                    SeverityArg::Warning => Severity::Warning,
                    SeverityArg::Info => Severity::Info,
                },
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Args::command().debug_assert();
    }
}
