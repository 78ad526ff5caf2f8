//! `cutline verify`: fixity only; every file of each manifest in one audit category, reported through the one report stack, with an exit code.

use std::io::Write;
use std::path::PathBuf;

use crate::commands::check::{load_manifests_with, root_of, tidy};
use crate::commands::scans::Scans;
use crate::commands::{Outcome, free_later, print_run};
use crate::error::Error;
use crate::fixity;
use crate::manifest;
use crate::report::{Format, ManifestRun, Run};
use crate::rules::{Command, Severity};
use crate::scan::ScanOptions;

/// Options of `cutline verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Manifests to verify; empty means every `*.json` in `./manifests/`.
    pub manifests: Vec<PathBuf>,
    /// A media root that overrides each manifest's `root`.
    pub root: Option<PathBuf>,
    /// The report format.
    pub format: Format,
}

/// Reads every byte under each manifest's root and classifies every file.
pub fn run(o: &Options, out: &mut dyn Write) -> Result<Outcome, Error> {
    // Every manifest is read before any work: a bad one stops the run
    // (exit 2) before anything is printed or written.
    // Fixity reads no caption or credit: items keep only paths and hashes.
    let loaded = load_manifests_with(&o.manifests, manifest::load_fixity)?;
    // Fixity reads every byte and nothing else: no metadata walk, and never
    // a cache across runs (docs/verify.md).
    let mut scans = Scans::new(ScanOptions::FIXITY, loaded.iter().map(|(_, m)| m), None);
    let roots: Vec<PathBuf> = loaded
        .iter()
        .map(|(path, m)| root_of(path, m, o.root.as_deref()))
        .collect();
    // Every root is read before any is classified, so the recorded hashes
    // (only reading needs them) are freed before classification, the peak.
    for root in &roots {
        scans.read(root)?;
    }
    scans.done_reading();
    let mut run = Run::new(Command::Verify, Severity::Error);
    for ((path, m), root) in loaded.iter().zip(&roots) {
        let name = path.display().to_string();
        run.findings.extend(scans.unreadable(root, &name));
        let scanned = scans.get(root)?;
        let audit = fixity::classify(m, &name, root, scanned);
        run.manifests.push(ManifestRun {
            manifest: name.clone(),
            root: tidy(root),
            items: m.items.len(),
            files: scanned.iter().filter(|s| s.is_image()).count(),
            paths: m.items.iter().map(|i| i.path.clone()).collect(),
            note: None,
            verdicts: audit.files,
        });
        run.findings.extend(audit.findings);
    }
    let outcome = print_run(&run, o.format, false, out);
    scans.finish();
    free_later((run, loaded));
    outcome
}
