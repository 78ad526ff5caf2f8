//! `cutline report --html OUT`: runs the same checks as `check` and writes them as a self-contained HTML contact sheet.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::check::{Context, check_with_policy};
use crate::commands::check::{load_manifests, root_of, tidy};
use crate::commands::{Outcome, report_skipped, stdout_error};
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
            // The sheet does not gate (`check` does): what the walk left
            // out is named on stderr, the exit code stays 0.
            report_skipped(&w.skipped);
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
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}
