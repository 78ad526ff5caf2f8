//! Turns any command's findings into output: one reporter per format, behind one trait (`check`, `report`, `verify`, `verify --bag`, `verify --sums`).

mod github;
mod human;
mod json;
mod junit;
pub mod location;
mod sarif;

use std::io::{self, IsTerminal};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::finding::Finding;
use crate::fixity::{self, Category, FileState};
use crate::rules::{Command, Severity};

pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use junit::Junit;
pub use sarif::Sarif;

/// What one manifest, bag or checksum file covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestRun {
    /// The manifest (bag folder, checksum file) as named on the command line or found.
    pub manifest: String,
    /// The media root it was checked against.
    pub root: String,
    /// Items it lists (files a bag's manifests list; lines of a checksum file).
    pub items: usize,
    /// Images found under its root (payload files; files under the root).
    pub files: usize,
    /// The item paths it lists, in its order (JUnit makes a testcase of each).
    #[serde(skip)]
    pub paths: Vec<String>,
    /// What a person should know of the whole (a bag's version, and what
    /// was and was not proved).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Each file's one verdict, for the commands that classify files
    /// (`check`, `verify`); empty for bags and checksum files. Kept per
    /// manifest so no verdict carries a copy of the manifest's name.
    #[serde(skip)]
    pub verdicts: Vec<FileState>,
}

/// One file's one verdict as the JSON report writes it: the manifest it
/// belongs to, and the file and its category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Verdict<'a> {
    /// The manifest it belongs to.
    pub manifest: &'a str,
    /// The file and its category.
    #[serde(flatten)]
    pub state: &'a FileState,
}

/// Everything a reporter needs, whatever the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The command that ran (SARIF lists the rules it can emit).
    pub command: Command,
    /// Each manifest (bag, checksum file) checked, in order.
    pub manifests: Vec<ManifestRun>,
    /// All findings, sorted by manifest, path, code.
    pub findings: Vec<Finding>,
    /// The severity at or above which the run fails.
    pub fail_on: Severity,
}

/// Counts for the summary line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Manifests (bags, checksum files) checked.
    pub manifests: usize,
    /// Items listed, over all manifests.
    pub items: usize,
    /// Files scanned, over all manifests.
    pub files: usize,
    /// Files per fixity category, every category even at zero (fixed keys
    /// for machines), when the command classifies files.
    #[serde(flatten)]
    pub categories: Map<String, Value>,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub info: usize,
    /// The exit code this run ends with.
    pub exit_code: u8,
}

impl Run {
    /// A run of `command` with nothing in it yet.
    pub fn new(command: Command, fail_on: Severity) -> Run {
        Run {
            command,
            manifests: Vec::new(),
            findings: Vec::new(),
            fail_on,
        }
    }

    /// True when some finding is at or above `fail_on`.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.severity >= self.fail_on)
    }

    /// Whether the command classifies files (and so has verdicts to count).
    pub fn classifies(&self) -> bool {
        matches!(
            self.command,
            Command::Check | Command::Report | Command::Verify | Command::Update
        )
    }

    /// Every verdict with the manifest it belongs to, in report order.
    pub fn verdicts(&self) -> impl Iterator<Item = Verdict<'_>> {
        self.manifests.iter().flat_map(|m| {
            m.verdicts.iter().map(|state| Verdict {
                manifest: &m.manifest,
                state,
            })
        })
    }

    /// The counts of this run.
    pub fn summary(&self) -> Summary {
        let count = |s: Severity| self.findings.iter().filter(|f| f.severity == s).count();
        let mut categories = Map::new();
        if self.classifies() {
            let counts = fixity::count(self.manifests.iter().flat_map(|m| &m.verdicts));
            for (c, n) in Category::ALL.iter().zip(counts) {
                categories.insert(c.name().to_owned(), Value::from(n));
            }
        }
        Summary {
            manifests: self.manifests.len(),
            items: self.manifests.iter().map(|m| m.items).sum(),
            files: self.manifests.iter().map(|m| m.files).sum(),
            categories,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            info: count(Severity::Info),
            exit_code: u8::from(self.failed()),
        }
    }

    /// How the human report names what was checked, what it lists (if it
    /// counts that) and what was found: (`manifest`, `items`, `images on disk`).
    pub fn nouns(&self) -> (&'static str, Option<&'static str>, &'static str) {
        match self.command {
            Command::VerifyBag => ("bag", None, "payload files"),
            Command::VerifySums => ("checksum file", Some("lines"), "files under its root"),
            _ => ("manifest", Some("items"), "images on disk"),
        }
    }
}

/// A way of printing a run.
pub trait Report {
    /// Writes the whole report for `run` to `out`.
    fn report(&self, run: &Run, out: &mut dyn io::Write) -> io::Result<()>;
}

/// The output formats, the same for every command that reports findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a person at a terminal.
    Human,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

/// `--color`: whether the human report colours severities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is unset or empty.
    #[default]
    Auto,
    /// Always, even into a pipe and despite `NO_COLOR`.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour, looking at `NO_COLOR` (no-color.org) and at
    /// whether standard output is a terminal.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && io::stdout().is_terminal()
            }
        }
    }
}

/// The reporter for `format`; `color` only affects the human one.
pub fn reporter(format: Format, color: bool) -> Box<dyn Report> {
    match format {
        Format::Human => Box::new(Human { color }),
        Format::Json => Box::new(Json),
        Format::Sarif => Box::new(Sarif),
        Format::Junit => Box::new(Junit),
        Format::Github => Box::new(Github),
    }
}
