//! A finding: one problem found by any command, as data; reporters decide how it looks.

use serde::Serialize;

use crate::rules::{Code, Severity};

/// One problem found, as data; reporters decide how it looks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code (`R002`).
    pub code: Code,
    /// The rule's name (`credit-truncated`).
    pub rule: &'static str,
    /// Severity after policy.
    pub severity: Severity,
    /// What the finding belongs to: the manifest as named, the bag folder,
    /// or the checksum file.
    pub manifest: String,
    /// The item or file path, relative to the root (or to the bag).
    pub path: String,
    /// The line of the file named by `line_of`, when the finding is about
    /// one line (a bag's tag file, a checksum file's line), 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The manifest field concerned (`caption`, `credit`, `sha256`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// What was expected (the manifest's value, for comparisons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// For a person.
    pub message: String,
}

impl Finding {
    /// A finding of `code` at its default severity, in `manifest`, at `path`.
    pub fn new(code: Code, manifest: &str, path: &str, message: impl Into<String>) -> Finding {
        Finding {
            code,
            rule: code.rule(),
            severity: code.default_severity(),
            manifest: manifest.to_owned(),
            path: path.to_owned(),
            line: None,
            field: None,
            expected: None,
            actual: None,
            message: message.into(),
        }
    }
}

/// Builds a finding with its default severity; the fields are filled by
/// the chained setters.
#[derive(Debug)]
pub struct FindingBuilder(Finding);

impl FindingBuilder {
    /// Starts from `f`.
    pub fn new(f: Finding) -> Self {
        FindingBuilder(f)
    }
    /// The manifest field concerned.
    pub fn field(mut self, f: &'static str) -> Self {
        self.0.field = Some(f);
        self
    }
    /// What was expected.
    pub fn expected(mut self, v: impl Into<String>) -> Self {
        self.0.expected = Some(v.into());
        self
    }
    /// What was found.
    pub fn actual(mut self, v: impl Into<String>) -> Self {
        self.0.actual = Some(v.into());
        self
    }
    /// Another severity than the code's default.
    pub fn severity(mut self, s: Severity) -> Self {
        self.0.severity = s;
        self
    }
    /// The line it concerns (1-based).
    pub fn line(mut self, n: usize) -> Self {
        self.0.line = Some(n);
        self
    }
    /// The finding.
    pub fn done(self) -> Finding {
        self.0
    }
}
