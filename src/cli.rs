//! The command line (clap derive), turned into validated options; nothing below this module sees clap.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

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
        #[arg(long, value_enum, default_value_t = CheckFormatArg::Human)]
        format: CheckFormatArg,
        /// Fail (exit 1) on findings of this severity or worse.
        #[arg(long, value_enum, default_value_t = SeverityArg::Error)]
        fail_on: SeverityArg,
        /// A policy file (JSON), merged over each manifest's own `policy`.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Colour the severities of the human report (`auto`: on a terminal, unless NO_COLOR is set).
        #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
        color: ColorArg,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff).
    Man,
    /// Fixity: every file unchanged, metadata-only change, image changed, moved, missing or new.
    Verify {
        /// A manifest to verify (repeatable). Default: every manifests/*.json.
        #[arg(short = 'm', long = "manifest", value_name = "MANIFEST")]
        manifests: Vec<PathBuf>,
        /// Media root, instead of each manifest's `root`.
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Report format.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
    },
    /// Accept the folder's current hashes, moves and new files into a manifest, keeping every caption.
    Update {
        /// The manifest to update.
        #[arg(short = 'm', long = "manifest", value_name = "MANIFEST")]
        manifest: PathBuf,
        /// Media root, instead of the manifest's `root`.
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Remove items whose file is gone, instead of marking them `"missing": true`.
        #[arg(long)]
        prune: bool,
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

/// `check --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormatArg {
    /// For a person.
    Human,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions annotations.
    Github,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
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
                policy,
                color,
            } => Command::Check(commands::check::Options {
                manifests,
                root,
                format: match format {
                    CheckFormatArg::Human => report::CheckFormat::Human,
                    CheckFormatArg::Json => report::CheckFormat::Json,
                    CheckFormatArg::Sarif => report::CheckFormat::Sarif,
                    CheckFormatArg::Junit => report::CheckFormat::Junit,
                    CheckFormatArg::Github => report::CheckFormat::Github,
                },
                fail_on: match fail_on {
                    SeverityArg::Error => Severity::Error,
                    SeverityArg::Warning => Severity::Warning,
                    SeverityArg::Info => Severity::Info,
                },
                policy,
                color: match color {
                    ColorArg::Auto => report::ColorChoice::Auto,
                    ColorArg::Always => report::ColorChoice::Always,
                    ColorArg::Never => report::ColorChoice::Never,
                },
            }),
            CommandArgs::Completions { shell } => Command::Completions(shell),
            CommandArgs::Man => Command::Man,
            CommandArgs::Verify {
                manifests,
                root,
                format,
            } => Command::Verify(commands::verify::Options {
                manifests,
                root,
                format: match format {
                    FormatArg::Human => report::Format::Human,
                    FormatArg::Json => report::Format::Json,
                },
            }),
            CommandArgs::Update {
                manifest,
                root,
                dry_run,
                prune,
            } => Command::Update(commands::update::Options {
                manifest,
                root,
                dry_run,
                prune,
            }),
        }
    }
}

/// Writes the completion script for `shell` (clap_complete).
pub fn completions(shell: Shell, out: &mut dyn Write) {
    let mut cmd = Args::command();
    clap_complete::generate(shell, &mut cmd, "cutline", out);
}

/// Writes the man page, roff (clap_mangen).
pub fn man(out: &mut dyn Write) -> io::Result<()> {
    clap_mangen::Man::new(Args::command()).render(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn man_page_and_completions_render() {
        let mut page = Vec::new();
        man(&mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains(".TH cutline"), "{page}");
        assert!(page.contains("(manifest format 1)"), "{page}");
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let mut script = Vec::new();
            completions(shell, &mut script);
            let script = String::from_utf8(script).unwrap();
            assert!(script.contains("cutline"), "{shell}");
            assert!(script.contains("sarif"), "{shell}: --format values");
        }
    }

    #[test]
    fn check_takes_policy_color_and_ci_formats() {
        let args = Args::try_parse_from([
            "cutline", "check", "--format", "sarif", "--policy", "p.json", "--color", "never",
        ])
        .unwrap();
        let Command::Check(o) = args.into_command() else {
            panic!("not check");
        };
        assert_eq!(o.format, report::CheckFormat::Sarif);
        assert_eq!(o.policy, Some(PathBuf::from("p.json")));
        assert_eq!(o.color, report::ColorChoice::Never);
    }
}
