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

/// Writes beside the target and renames over it, so a reader never opens
/// half a sheet and a failed run leaves the old one in place.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .map_or_else(|| "sheet".into(), |n| n.to_string_lossy().into_owned());
    // In the target's own folder, so the rename cannot cross file systems.
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    let prefix = format!(".{name}.");
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // 0666 less the umask, as a plain write makes it, rather than tempfile's private
        // 0600: the sheet is meant to be opened by others (a shared folder, a web server).
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    // Dropped on any error before `persist`, which removes the temporary file.
    let mut tmp = builder.tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_atomic_replaces_the_sheet_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let sheet = dir.path().join("sheet.html");
        std::fs::write(&sheet, "old").unwrap();
        write_atomic(&sheet, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&sheet).unwrap(), "new");
        assert_eq!(names(dir.path()), ["sheet.html"]);
    }

    #[test]
    fn write_atomic_into_a_missing_folder_fails_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(&dir.path().join("gone/sheet.html"), b"new").unwrap_err();
        assert!(matches!(e, Error::Io { .. }), "{e}");
        assert!(names(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn write_atomic_gives_the_mode_a_plain_write_would() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.html");
        std::fs::write(&plain, "x").unwrap();
        let sheet = dir.path().join("sheet.html");
        write_atomic(&sheet, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&sheet), mode(&plain));
    }
}
