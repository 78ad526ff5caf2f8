//! Turns a check run's findings into output: one reporter per format, behind one trait.

mod github;
mod human;
mod json;
mod junit;
pub mod location;
mod sarif;

use std::io::{self, IsTerminal};

use serde::Serialize;

use crate::finding::Finding;
use crate::rules::{Command, Severity};

pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use junit::Junit;
pub use sarif::Sarif;

/// What one manifest covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestRun {
    /// The manifest as named on the command line or found.
    pub manifest: String,
    /// The media root it was checked against.
    pub root: String,
    /// Items it lists.
    pub items: usize,
    /// Images found under its root.
    pub files: usize,
    /// The item paths it lists, in its order (JUnit makes a testcase of each).
    #[serde(skip)]
    pub paths: Vec<String>,
}

/// Everything a reporter needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRun {
    /// The command that ran (SARIF lists the rules it can emit).
    pub command: Command,
    /// Each manifest checked, in order.
    pub manifests: Vec<ManifestRun>,
    /// All findings, sorted by manifest, path, code.
    pub findings: Vec<Finding>,
    /// The severity at or above which the run fails.
    pub fail_on: Severity,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Manifests checked.
    pub manifests: usize,
    /// Items listed, over all manifests.
    pub items: usize,
    /// Files scanned, over all manifests.
    pub files: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub info: usize,
    /// The exit code this run ends with.
    pub exit_code: u8,
}

impl CheckRun {
    /// True when some finding is at or above `fail_on`.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.severity >= self.fail_on)
    }

    /// The counts of this run.
    pub fn summary(&self) -> Summary {
        let count = |s: Severity| self.findings.iter().filter(|f| f.severity == s).count();
        Summary {
            manifests: self.manifests.len(),
            items: self.manifests.iter().map(|m| m.items).sum(),
            files: self.manifests.iter().map(|m| m.files).sum(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            info: count(Severity::Info),
            exit_code: u8::from(self.failed()),
        }
    }
}

/// A way of printing a check run.
pub trait Report {
    /// Writes the whole report for `run` to `out`.
    fn report(&self, run: &CheckRun, out: &mut dyn io::Write) -> io::Result<()>;
}

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a person at a terminal.
    Human,
    /// One JSON document (`{"version":1,"summary":…,"findings":[…]}`).
    Json,
}

/// The reporter for `format`.
pub fn reporter(format: Format) -> Box<dyn Report> {
    match format {
        Format::Human => Box::new(Human { color: false }),
        Format::Json => Box::new(Json),
    }
}

/// The output formats of `check`: the two [`Format`]s and the CI formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
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

/// The reporter for a `check` format; `color` only affects the human one.
pub fn check_reporter(format: CheckFormat, color: bool) -> Box<dyn Report> {
    match format {
        CheckFormat::Human => Box::new(Human { color }),
        CheckFormat::Json => Box::new(Json),
        CheckFormat::Sarif => Box::new(Sarif),
        CheckFormat::Junit => Box::new(Junit),
        CheckFormat::Github => Box::new(Github),
    }
}
