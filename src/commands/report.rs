//! `cutline report --html OUT`: runs the same checks as `check` and writes them as a self-contained HTML contact sheet.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::commands::check::{Setup, check_all, tidy};
use crate::commands::{Outcome, stdout_error};
use crate::error::Error;
use crate::report::{Format, reporter};
use crate::rules::{Command, Severity};
use crate::sheet::{self, Input, Sheet};

/// Options of `cutline report`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Where to write the HTML page.
    pub html: PathBuf,
    /// Manifests to show; empty means every `*.json` in `./manifests/`.
    pub manifests: Vec<PathBuf>,
    /// A media root that overrides each manifest's `root`.
    pub root: Option<PathBuf>,
    /// `--policy FILE`, merged over each manifest's own `policy`, as in `check`.
    pub policy: Option<PathBuf>,
    /// `--full`: ignore the hash cache, as in `check`.
    pub full: bool,
    /// How the findings are printed on standard output.
    pub format: Format,
}

/// Checks every manifest, draws the sheet and writes it. The sheet is for
/// looking, not gating: it exits 0 whatever it shows (`check` gates).
pub fn run(o: &Options, out: &mut dyn Write) -> Result<Outcome, Error> {
    // The same orchestration as `check` (policy, cache, walk, rules), so
    // the sheet shows exactly the findings `check` reports.
    let setup = Setup {
        command: Command::Report,
        manifests: &o.manifests,
        root: o.root.as_deref(),
        policy: o.policy.as_deref(),
        full: o.full,
        fail_on: Severity::Error,
    };
    let mut sections = Vec::new();
    let run = check_all(&setup, |s| {
        sections.push(sheet::section(Input {
            manifest_name: s.name,
            manifest: s.manifest,
            root: s.root,
            root_display: tidy(s.root),
            policy: s.policy,
            scanned: s.scanned,
            findings: s.findings.to_vec(),
        }));
    })?;
    sheet::draw_thumbnails(&mut sections);
    let sheet = Sheet {
        made: sheet::timestamp(SystemTime::now()),
        sections,
    };
    write_atomic(&o.html, sheet::render(&sheet).as_bytes())?;

    let cards: usize = sheet.sections.iter().map(|s| s.cards.len()).sum();
    let count = |sev: Severity| {
        sheet
            .sections
            .iter()
            .flat_map(|s| &s.cards)
            .flat_map(|c| &c.findings)
            .filter(|f| f.severity == sev)
            .count()
    };
    let wrote = format!(
        "wrote {}: {cards} cards; {} errors, {} warnings, {} info",
        o.html.display(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    if o.format == Format::Human {
        // The sheet is the report for a person; one line says where it is.
        writeln!(out, "{wrote}").map_err(stdout_error)?;
    } else {
        // Standard output carries the machine report alone.
        eprintln!("cutline: {wrote}");
        reporter(o.format, false)
            .report(&run, out)
            .map_err(stdout_error)?;
    }
    Ok(Outcome::Clean)
}

/// Writes the sheet atomically ([`crate::atomic::write`]): a reader never
/// opens half a sheet, and a failed run leaves the old one in place.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    crate::atomic::write(path, bytes).map_err(|(_, source)| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_atomic_into_a_missing_folder_fails_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(&dir.path().join("gone/sheet.html"), b"new").unwrap_err();
        assert!(matches!(e, Error::Io { .. }), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
