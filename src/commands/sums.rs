//! `cutline verify --sums FILE` (check a folder like `sha256sum -c`, plus unlisted files) and `cutline scan --sums` (write that format).

use std::io::Write;
use std::path::PathBuf;

use crate::commands::{Outcome, print_run};
use crate::error::Error;
use crate::finding::{Finding, FindingBuilder};
use crate::report::{Format, ManifestRun, Run};
use crate::rules::{Code, Command, Severity};
use crate::sanitize::for_terminal;
use crate::sums::{self, Checked, Status};

/// Options of `cutline verify --sums FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The checksum file.
    pub file: PathBuf,
    /// The folder its names are relative to; default: the file's folder.
    pub root: Option<PathBuf>,
    /// The report format.
    pub format: Format,
}

/// Checks the folder against the checksum file.
pub fn verify(o: &VerifyOptions, out: &mut dyn Write) -> Result<Outcome, Error> {
    let checked = sums::check(&o.file, o.root.as_deref())?;
    let name = o.file.display().to_string();
    let mut run = Run::new(Command::VerifySums, Severity::Error);
    let ok = checked
        .listed
        .iter()
        .filter(|(_, s)| *s == Status::Ok)
        .count();
    run.manifests.push(ManifestRun {
        manifest: name.clone(),
        root: checked.root.display().to_string(),
        items: checked.listed.len() + checked.bad_lines.len(),
        files: checked.files,
        paths: checked.listed.iter().map(|(l, _)| l.name.clone()).collect(),
        note: Some(format!(
            "{ok} of {} listed files match, as `sha256sum -c` would say",
            checked.listed.len()
        )),
        verdicts: Vec::new(),
    });
    run.findings = findings(&checked, &name);
    print_run(&run, o.format, false, out)
}

/// Each line that did not check out, and each unlisted file, as a finding
/// of the checksum file `name` (codes S001-S006, docs/rules.md).
fn findings(c: &Checked, name: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for (l, status) in &c.listed {
        let (code, message) = match status {
            Status::Ok => continue,
            Status::Failed => (
                Code::S001,
                "FAILED: the file's SHA-256 differs from this line".to_owned(),
            ),
            Status::Missing => (Code::S002, "FAILED open or read: not on disk".to_owned()),
            Status::Unreadable(why) => (Code::S003, format!("FAILED open or read: {why}")),
            Status::Unsafe(why) => (Code::S004, format!("not opened: {why}")),
        };
        out.push(
            FindingBuilder::new(Finding::new(code, name, &l.name, message))
                .line(l.number)
                .expected(l.hex.clone())
                .done(),
        );
    }
    for b in &c.bad_lines {
        out.push(
            FindingBuilder::new(Finding::new(
                Code::S005,
                name,
                "",
                "improperly formatted SHA256 checksum line",
            ))
            .line(b.number)
            .done(),
        );
    }
    out.extend(
        c.unread
            .iter()
            .map(|p| crate::commands::scans::unreadable_finding(p, name)),
    );
    for u in &c.unlisted {
        out.push(Finding::new(
            Code::S006,
            name,
            u,
            "on disk but on no line of the checksum file",
        ));
    }
    out.sort_by(|a, b| (a.line, &a.path, a.code).cmp(&(b.line, &b.path, b.code)));
    out
}

/// Writes a `sha256sum` file of every file under `root` to `out`; a file
/// that cannot be read, a folder that cannot be listed and a name no line
/// can hold are each named on standard error and fail the run (exit 1, as
/// `scan` exits for a folder it cannot read): the file must not pass for
/// one that covers every byte.
pub fn write(root: &std::path::Path, out: &mut dyn Write) -> Result<Outcome, Error> {
    let left = sums::write_tree(root, out)?;
    for p in &left.unread_places {
        eprintln!("cutline: skipped {}: {p}", for_terminal(p.shown()));
    }
    for (rel, e) in &left.unread_files {
        eprintln!("cutline: {}: cannot read: {e}", for_terminal(rel));
    }
    for rel in &left.not_utf8 {
        eprintln!(
            "cutline: {}: the name is not UTF-8, so no line can list it",
            for_terminal(rel)
        );
    }
    Ok(if left.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
