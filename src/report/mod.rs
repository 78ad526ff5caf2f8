//! Turns a check run's findings into output: one reporter per format, behind one trait.

mod human;
mod json;

use std::io;

use serde::Serialize;

use crate::check::Finding;
use crate::rules::Severity;

pub use human::Human;
pub use json::Json;

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
}

/// Everything a reporter needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRun {
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
        Format::Human => Box::new(Human),
        Format::Json => Box::new(Json),
    }
}
