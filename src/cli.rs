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
    /// No progress bar on stderr (it is also off when stderr is not a terminal or CI is set).
    #[arg(short, long, global = true)]
    pub quiet: bool,
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
        /// Write a `sha256sum` file of every file under ROOT instead (names relative to ROOT).
        #[arg(long, conflicts_with_all = ["json", "no_hash"])]
        sums: bool,
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
        /// A policy file (JSON), merged over each manifest's own `policy`.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Colour the severities of the human report (`auto`: on a terminal, unless NO_COLOR is set).
        #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
        color: ColorArg,
        /// Ignore the hash cache: hash every byte again.
        #[arg(long)]
        full: bool,
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
        /// Validate the BagIt bag DIR (RFC 8493) instead of manifests.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["manifests", "root", "sums"])]
        bag: Option<PathBuf>,
        /// With --bag: Payload-Oxum and completeness only; proves no checksum.
        #[arg(long, requires = "bag")]
        fast: bool,
        /// Check a `sha256sum` file (names relative to its folder, or --root) instead of manifests.
        #[arg(long, value_name = "FILE", conflicts_with = "manifests")]
        sums: Option<PathBuf>,
    },
    /// Make a BagIt bag (RFC 8493) OUT from the files under DIR.
    Bag {
        /// The folder whose files become the payload.
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// The bag to create; must not exist.
        out: PathBuf,
        /// Hard-link the payload instead of copying it.
        #[arg(long)]
        link: bool,
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
    /// Write a manifest's captions and credits as CSV: for a spreadsheet, or for `exiftool -csv=`.
    #[command(group(clap::ArgGroup::new("layout").required(true)))]
    Export {
        /// Spreadsheet columns named as the manifest's keys (path, caption, credit, …).
        #[arg(long, group = "layout")]
        csv: bool,
        /// ExifTool `-csv=` columns (SourceFile, XMP-dc:Description, IPTC:Credit, …), paths as seen from here.
        #[arg(long, group = "layout")]
        exiftool: bool,
        /// The manifest. Default: the one manifests/*.json.
        #[arg(short = 'm', long = "manifest", value_name = "MANIFEST")]
        manifest: Option<PathBuf>,
        /// Media root, instead of the manifest's `root` (for SourceFile).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Write the CSV to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Merge a spreadsheet, a story (HTML, Markdown) or `exiftool -j -G1` output into a manifest.
    #[command(group(clap::ArgGroup::new("input").required(true)))]
    Import {
        /// A CSV: rows matched to items by path; prints a diff per item.
        #[arg(long, value_name = "FILE", group = "input")]
        csv: Option<PathBuf>,
        /// An HTML or Markdown story: each figure becomes an item (caption, credit split off, alt).
        #[arg(long, value_name = "FILE", group = "input")]
        story: Option<PathBuf>,
        /// `exiftool -j -G1` output: fills the fields items lack, adds the files not listed.
        #[arg(long, value_name = "FILE", group = "input")]
        exiftool_json: Option<PathBuf>,
        /// The manifest to change (created by --story and --exiftool-json when absent).
        #[arg(short = 'm', long = "manifest", value_name = "MANIFEST")]
        manifest: PathBuf,
        /// Media root: for a new manifest, the folder image paths resolve against
        /// (default: the story's folder; for --exiftool-json, the SourceFile folder).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Print the diff; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write an HTML contact sheet: every photo with its caption, credit and findings.
    Report {
        /// The HTML file to write (self-contained: opens offline).
        #[arg(long, value_name = "OUT")]
        html: PathBuf,
        /// A manifest to show (repeatable). Default: every manifests/*.json.
        #[arg(short = 'm', long = "manifest", value_name = "MANIFEST")]
        manifests: Vec<PathBuf>,
        /// Media root, instead of each manifest's `root`.
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// A policy file (JSON), merged over each manifest's own `policy`, as in `check`.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Ignore the hash cache: hash every byte again.
        #[arg(long)]
        full: bool,
        /// Format of the findings printed on standard output.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
    },
}

/// `--format` values, the same for every command that reports findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
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

impl FormatArg {
    fn format(self) -> report::Format {
        match self {
            FormatArg::Human => report::Format::Human,
            FormatArg::Json => report::Format::Json,
            FormatArg::Sarif => report::Format::Sarif,
            FormatArg::Junit => report::Format::Junit,
            FormatArg::Github => report::Format::Github,
        }
    }
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
    pub fn into_command(self) -> Invocation {
        Invocation::Run(match self.command {
            CommandArgs::Completions { shell } => return Invocation::Completions(shell),
            CommandArgs::Man => return Invocation::Man,
            CommandArgs::Scan {
                root, sums: true, ..
            } => Command::ScanSums(root),
            CommandArgs::Scan {
                root,
                json,
                no_hash,
                sums: false,
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
                full,
            } => Command::Check(commands::check::Options {
                manifests,
                root,
                format: format.format(),
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
                full,
            }),
            CommandArgs::Verify {
                bag: Some(bag),
                fast,
                format,
                ..
            } => Command::VerifyBag(commands::bag::VerifyOptions {
                bag,
                fast,
                format: format.format(),
            }),
            CommandArgs::Verify {
                sums: Some(file),
                root,
                format,
                ..
            } => Command::VerifySums(commands::sums::VerifyOptions {
                file,
                root,
                format: format.format(),
            }),
            CommandArgs::Bag { from, out, link } => {
                Command::Bag(commands::bag::Options { from, out, link })
            }
            CommandArgs::Verify {
                manifests,
                root,
                format,
                ..
            } => Command::Verify(commands::verify::Options {
                manifests,
                root,
                format: format.format(),
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
            CommandArgs::Export {
                csv: _,
                exiftool,
                manifest,
                root,
                output,
            } => Command::Export(commands::export::Options {
                manifest,
                root,
                layout: if exiftool {
                    commands::export::Layout::ExifTool
                } else {
                    commands::export::Layout::Sheet
                },
                output,
            }),
            CommandArgs::Import {
                csv,
                story,
                exiftool_json,
                manifest,
                root,
                dry_run,
            } => {
                use commands::import::Source;
                // clap's required group guarantees exactly one.
                let source = match (csv, story, exiftool_json) {
                    (Some(f), _, _) => Source::Csv(f),
                    (_, Some(f), _) => Source::Story(f),
                    (_, _, Some(f)) => Source::ExifToolJson(f),
                    (None, None, None) => Source::Csv(PathBuf::new()),
                };
                Command::Import(commands::import::Options {
                    source,
                    manifest,
                    root,
                    dry_run,
                })
            }
            CommandArgs::Report {
                html,
                manifests,
                root,
                policy,
                full,
                format,
            } => Command::Report(commands::report::Options {
                html,
                manifests,
                root,
                policy,
                full,
                format: format.format(),
            }),
        })
    }
}

/// What the binary is asked to do: run a command, or describe itself
/// (completions and the man page come from the argument definitions, so
/// they live on this side, not among the commands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// A command with its validated options.
    Run(Command),
    /// `cutline completions SHELL`.
    Completions(Shell),
    /// `cutline man`.
    Man,
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
        let Invocation::Run(Command::Check(o)) = args.into_command() else {
            panic!("not check");
        };
        assert_eq!(o.format, report::Format::Sarif);
        assert_eq!(o.policy, Some(PathBuf::from("p.json")));
        assert_eq!(o.color, report::ColorChoice::Never);
    }
}
