//! What is wrong with a bag: each problem with its kind, severity, the file it concerns and the line there.

use serde::Serialize;

use crate::finding::{Finding, FindingBuilder};
use crate::rules::{Code, Severity};

/// The kinds of bag problem. The kebab-case names are stable: scripts
/// match on them (docs/bagit.md lists each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `bagit.txt` missing, with a BOM, or not exactly the two lines of
    /// RFC 8493 §2.1.1.
    Declaration,
    /// A required part is missing: `data/`, or every payload manifest.
    MissingPart,
    /// A line of a manifest, tag file or fetch.txt that does not parse.
    MalformedLine,
    /// A manifest whose algorithm cutline cannot compute: its checksums
    /// cannot be verified, so the bag cannot be shown valid.
    UnknownAlgorithm,
    /// A path that could lead outside the bag; never opened.
    UnsafePath,
    /// A path listed twice in one manifest.
    DuplicateEntry,
    /// Listed in a manifest, not in the bag (RFC 8493 §3 completeness).
    MissingFile,
    /// In the payload, absent from a payload manifest (§3 completeness).
    UnlistedFile,
    /// A checksum that does not match the file (§3 validity).
    ChecksumMismatch,
    /// A file that could not be read, or is not a regular file.
    Unreadable,
    /// `Payload-Oxum` disagrees with the payload found.
    OxumMismatch,
    /// `bag-info.txt` holds a malformed or repeated reserved value.
    BagInfo,
    /// Two names equal after Unicode NFC or case folding, or a listed name
    /// matched on disk only after NFC.
    NameCollision,
    /// `fetch.txt` is present: listed, never fetched.
    Fetch,
}

impl Kind {
    /// Its code in the catalogue (docs/rules.md).
    pub fn code(self) -> Code {
        match self {
            Kind::Declaration => Code::B001,
            Kind::MissingPart => Code::B002,
            Kind::MalformedLine => Code::B003,
            Kind::UnknownAlgorithm => Code::B004,
            Kind::UnsafePath => Code::B005,
            Kind::DuplicateEntry => Code::B006,
            Kind::MissingFile => Code::B007,
            Kind::UnlistedFile => Code::B008,
            Kind::ChecksumMismatch => Code::B009,
            Kind::Unreadable => Code::B010,
            Kind::OxumMismatch => Code::B011,
            Kind::BagInfo => Code::B012,
            Kind::NameCollision => Code::B013,
            Kind::Fetch => Code::B014,
        }
    }

    /// The stable name (`checksum-mismatch`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Declaration => "declaration",
            Kind::MissingPart => "missing-part",
            Kind::MalformedLine => "malformed-line",
            Kind::UnknownAlgorithm => "unknown-algorithm",
            Kind::UnsafePath => "unsafe-path",
            Kind::DuplicateEntry => "duplicate-entry",
            Kind::MissingFile => "missing-file",
            Kind::UnlistedFile => "unlisted-file",
            Kind::ChecksumMismatch => "checksum-mismatch",
            Kind::Unreadable => "unreadable",
            Kind::OxumMismatch => "oxum-mismatch",
            Kind::BagInfo => "bag-info",
            Kind::NameCollision => "name-collision",
            Kind::Fetch => "fetch",
        }
    }
}

/// One problem found in a bag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Error: the bag is not valid. Warning or info: worth knowing.
    pub severity: Severity,
    /// What kind of problem.
    pub kind: Kind,
    /// The file it concerns, relative to the bag (`manifest-sha256.txt`,
    /// `data/a.jpg`).
    pub file: String,
    /// The line of `file` it was found on (1-based), when it is a line.
    pub line: Option<usize>,
    /// What is wrong, for a person.
    pub message: String,
}

impl Problem {
    /// An error at `file`, `line`.
    pub fn error(kind: Kind, file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            kind,
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }

    /// The same problem at another severity.
    pub fn at(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// As a finding of the bag `bag` (its code from the catalogue).
    pub fn finding(&self, bag: &str) -> Finding {
        let mut b = FindingBuilder::new(Finding::new(
            self.kind.code(),
            bag,
            &self.file,
            self.message.clone(),
        ))
        .severity(self.severity);
        if let Some(n) = self.line {
            b = b.line(n);
        }
        b.done()
    }

    /// `file:line` or `file`.
    pub fn location(&self) -> String {
        match self.line {
            Some(n) => format!("{}:{n}", self.file),
            None => self.file.clone(),
        }
    }
}
