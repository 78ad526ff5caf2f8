//! `cutline report --html OUT`: runs the same checks as `check` and writes them as a self-contained HTML contact sheet.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::check::{Context, check_with_policy};
use crate::commands::check::{load_manifests, root_of, tidy};
use crate::commands::{Outcome, stdout_error};
use crate::error::Error;
use crate::policy::Policy;
use crate::rules::Severity;
use crate::scan::{ScanOptions, Scanned, scan_all};
use crate::sheet::{self, Input, Sheet};
use crate::walk::walk;

/// Options of `cutline report`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Where to write the HTML page.
    pub html: PathBuf,
    /// Manifests to show; empty means every `*.json` in `./manifests/`.
    pub manifests: Vec<PathBuf>,
    /// A media root that overrides each manifest's `root`.
    pub root: Option<PathBuf>,
}

/// Checks every manifest, draws the sheet and writes it. The sheet is for
/// looking, not gating: it exits 0 whatever it shows (`check` gates).
pub fn run(o: &Options, out: &mut dyn Write) -> Result<Outcome, Error> {
    // Every manifest is read before any work: a bad one stops the run
    // (exit 2) before anything is printed or written.
    let loaded = load_manifests(&o.manifests)?;
    let policies: Vec<Policy> = loaded
        .iter()
        .map(|(p, m)| Policy::for_manifest(m.policy.as_ref(), &p.display().to_string(), None))
        .collect::<Result<_, _>>()?;

    let mut scans: HashMap<PathBuf, Vec<Scanned>> = HashMap::new();
    let mut sections = Vec::new();
    for ((path, m), policy) in loaded.iter().zip(&policies) {
        let root = root_of(path, m, o.root.as_deref());
        let key = root.canonicalize().unwrap_or_else(|_| root.clone());
        if !scans.contains_key(&key) {
            let w = walk(&root)?;
            scans.insert(key.clone(), scan_all(&w.entries, ScanOptions::default()));
        }
        let scanned = scans.get(&key).map_or(&[][..], Vec::as_slice);
        let name = path.display().to_string();
        let ctx = Context {
            manifest: m,
            manifest_name: name.clone(),
            root: root.clone(),
            scanned,
        };
        sections.push(sheet::section(Input {
            manifest_name: &name,
            manifest: m,
            root: &root,
            root_display: tidy(&root),
            policy,
            scanned,
            findings: check_with_policy(&ctx, policy),
        }));
    }
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
    writeln!(
        out,
        "wrote {}: {cards} cards; {} errors, {} warnings, {} info",
        o.html.display(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    )
    .map_err(stdout_error)?;
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
