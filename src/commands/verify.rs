//! `cutline verify`: fixity only; every file of each manifest in one audit category, a summary an auditor reads, an exit code.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::check::Finding;
use crate::commands::check::{load_manifests_with, root_of, tidy};
use crate::commands::{Outcome, stdout_error};
use crate::error::Error;
use crate::fixity::{self, Audit, Category, FileState};
use crate::manifest::{self, Manifest};
use crate::progress::Progress;
use crate::report::Format;
use crate::rules::Severity;
use crate::sanitize::for_terminal;
use crate::scan::{Hooks, Recorded, ScanOptions, Scanned, scan_all_with};
use crate::walk::{Problem, walk};

/// The wire version of `verify --format json`; bumped on any incompatible change.
pub const VERSION: u32 = 1;

/// Options of `cutline verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Manifests to verify; empty means every `*.json` in `./manifests/`.
    pub manifests: Vec<PathBuf>,
    /// A media root that overrides each manifest's `root`.
    pub root: Option<PathBuf>,
    /// The report format (human or JSON).
    pub format: Format,
}

/// One manifest, the folder it was verified against and what was found.
#[derive(Debug)]
pub struct Verified {
    /// The manifest as named.
    pub manifest: String,
    /// The media root used.
    pub root: PathBuf,
    /// Items the manifest lists.
    pub items: usize,
    /// Images found under the root.
    pub images: usize,
    /// Every file's category and the findings.
    pub audit: Audit,
    /// Places under the root the walk could not read (a folder unreadable
    /// or past PATH_MAX…): a file there is neither seen nor judged, so any
    /// fails the run.
    pub unread: Vec<Problem>,
}

/// Reads every byte under each manifest's root and classifies every file.
pub fn run(o: &Options, out: &mut dyn Write) -> Result<Outcome, Error> {
    // Every manifest is read before any work: a bad one stops the run
    // (exit 2) before anything is printed or written.
    // Fixity reads no caption or credit: items keep only paths and hashes.
    let loaded = load_manifests_with(&o.manifests, manifest::load_fixity)?;
    // Fixity reads every byte and nothing else: no metadata walk.
    let mut scans = Scans::new(ScanOptions::FIXITY, loaded.iter().map(|(_, m)| m));
    let roots: Vec<PathBuf> = loaded
        .iter()
        .map(|(path, m)| root_of(path, m, o.root.as_deref()))
        .collect();
    // Every root is read before any is classified, so the recorded hashes
    // (only reading needs them) are freed before classification, the peak.
    for root in &roots {
        scans.get(root)?;
    }
    scans.done_reading();
    let mut runs = Vec::new();
    for ((path, m), root) in loaded.iter().zip(&roots) {
        let scanned = scans.get(root)?;
        let mut v = verify_one(path, m, root, scanned);
        v.unread = scans.unread(root).to_vec();
        runs.push(v);
    }
    let failed = runs
        .iter()
        .flat_map(|v| &v.audit.findings)
        .any(|f| f.severity >= Severity::Error)
        || runs.iter().any(|v| !v.unread.is_empty());
    match o.format {
        Format::Human => human(&runs, failed, out),
        Format::Json => json(&runs, failed, out),
    }
    .map_err(stdout_error)?;
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Classifies the files of manifest `m` (read from `path`) against a fresh
/// read of `root`.
pub fn verify_one(path: &Path, m: &Manifest, root: &Path, scanned: &[Scanned]) -> Verified {
    let name = path.display().to_string();
    let audit = fixity::classify(m, &name, root, scanned);
    Verified {
        manifest: name,
        root: root.to_path_buf(),
        items: m.items.len(),
        images: scanned.iter().filter(|s| s.is_image()).count(),
        audit,
        unread: Vec::new(),
    }
}

/// Walks and reads each media root once, however many manifests share it.
/// Never a cache across runs: every byte is read on every run.
pub(crate) struct Scans<'m> {
    options: ScanOptions,
    recorded: Recorded<'m>,
    done: HashMap<PathBuf, Vec<Scanned>>,
    /// Per root, the walk's holes ([`crate::walk::Walk::holes`]).
    unread: HashMap<PathBuf, Vec<Problem>>,
}

impl<'m> Scans<'m> {
    /// Reads with `options`; the hashes `manifests` record spare the
    /// image-data hash of files whose bytes are unchanged.
    pub(crate) fn new(
        options: ScanOptions,
        manifests: impl IntoIterator<Item = &'m Manifest>,
    ) -> Self {
        Scans {
            options,
            recorded: Recorded::of(manifests),
            done: HashMap::new(),
            unread: HashMap::new(),
        }
    }

    /// Frees what only reading needs; a root read later is read without
    /// the recorded hashes (its image hashes are computed).
    pub(crate) fn done_reading(&mut self) {
        self.recorded = Recorded::default();
    }

    /// The fresh read of every file under `root`.
    pub(crate) fn get(&mut self, root: &Path) -> Result<&[Scanned], Error> {
        let key = Self::key(root);
        if !self.done.contains_key(&key) {
            let w = walk(root)?;
            self.unread
                .insert(key.clone(), w.holes().cloned().collect());
            let progress = Progress::new(w.entries.len() as u64);
            // No cache here, by design (docs/verify.md).
            let hooks = Hooks {
                cache: None,
                progress: Some(&progress),
                recorded: Some(&self.recorded),
            };
            let scanned = scan_all_with(&w.entries, self.options, hooks);
            progress.finish();
            self.done.insert(key.clone(), scanned);
        }
        Ok(self.done.get(&key).map_or(&[][..], Vec::as_slice))
    }

    /// The places under `root`, read by [`Scans::get`], that the walk could
    /// not read; empty for a root not read.
    pub(crate) fn unread(&self, root: &Path) -> &[Problem] {
        self.unread
            .get(&Self::key(root))
            .map_or(&[][..], Vec::as_slice)
    }

    fn key(root: &Path) -> PathBuf {
        root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
    }
}

/// `1 unchanged, 1 metadata-only change, …`: every category an auditor
/// expects, and any other that occurred.
pub fn summary_counts(files: &[FileState]) -> String {
    let parts: Vec<String> = fixity::tally(files)
        .into_iter()
        .map(|(c, n)| format!("{n} {}", c.label()))
        .collect();
    parts.join(", ")
}

fn severity_counts<'a>(findings: impl Iterator<Item = &'a Finding>) -> [usize; 3] {
    let mut n = [0; 3];
    for f in findings {
        match f.severity {
            Severity::Error => n[0] += 1,
            Severity::Warning => n[1] += 1,
            Severity::Info => n[2] += 1,
        }
    }
    n
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 || word == "info" {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn human(runs: &[Verified], failed: bool, out: &mut dyn Write) -> io::Result<()> {
    for v in runs {
        writeln!(
            out,
            "{} → {} ({} items, {} images on disk)",
            for_terminal(&v.manifest),
            for_terminal(&tidy(&v.root)),
            v.items,
            v.images
        )?;
        for f in &v.audit.findings {
            writeln!(
                out,
                "  {:<7} {} {:<22} {}: {}",
                f.severity.name(),
                f.code,
                f.rule,
                for_terminal(&f.path),
                for_terminal(&f.message)
            )?;
        }
        for p in &v.unread {
            writeln!(
                out,
                "  {:<7} {:<27} {}: {}",
                Severity::Error.name(),
                "not read",
                for_terminal(p.shown()),
                for_terminal(&p.to_string())
            )?;
        }
        writeln!(
            out,
            "  {}: {}",
            plural(v.audit.files.len(), "file"),
            summary_counts(&v.audit.files)
        )?;
    }
    let [e, w, i] = severity_counts(runs.iter().flat_map(|v| &v.audit.findings));
    let unread: usize = runs.iter().map(|v| v.unread.len()).sum();
    let unread = if unread == 0 {
        String::new()
    } else {
        format!("; {} not read", plural(unread, "place"))
    };
    writeln!(
        out,
        "{}: {} verified; {}, {}, {}{unread} → exit {}",
        if failed { "FAIL" } else { "ok" },
        plural(runs.len(), "manifest"),
        plural(e, "error"),
        plural(w, "warning"),
        plural(i, "info"),
        u8::from(failed)
    )
}

#[derive(Serialize)]
struct WireFile<'a> {
    manifest: &'a str,
    #[serde(flatten)]
    state: &'a FileState,
}

#[derive(Serialize)]
struct WireManifest<'a> {
    manifest: &'a str,
    root: String,
    items: usize,
    files: usize,
}

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    summary: Map<String, Value>,
    manifests: Vec<WireManifest<'a>>,
    files: Vec<WireFile<'a>>,
    findings: Vec<&'a Finding>,
    /// Absent when every place was read, so the wire stays as it was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unread: Vec<WireUnread<'a>>,
}

/// A place under a manifest's root the walk could not read.
#[derive(Serialize)]
struct WireUnread<'a> {
    manifest: &'a str,
    path: &'a str,
    kind: &'static str,
    message: String,
}

fn json(runs: &[Verified], failed: bool, out: &mut dyn Write) -> io::Result<()> {
    let all_files: Vec<&FileState> = runs.iter().flat_map(|v| &v.audit.files).collect();
    let mut summary = Map::new();
    summary.insert("manifests".into(), Value::from(runs.len()));
    summary.insert("files".into(), Value::from(all_files.len()));
    // Every category, even at zero: a machine reads fixed keys.
    for c in Category::ALL {
        let n = all_files.iter().filter(|f| f.category == c).count();
        summary.insert(c.name().into(), Value::from(n));
    }
    let [e, w, i] = severity_counts(runs.iter().flat_map(|v| &v.audit.findings));
    summary.insert("errors".into(), Value::from(e));
    summary.insert("warnings".into(), Value::from(w));
    summary.insert("info".into(), Value::from(i));
    summary.insert("exit_code".into(), Value::from(u8::from(failed)));
    let wire = Wire {
        version: VERSION,
        summary,
        manifests: runs
            .iter()
            .map(|v| WireManifest {
                manifest: &v.manifest,
                root: tidy(&v.root),
                items: v.items,
                files: v.images,
            })
            .collect(),
        files: runs
            .iter()
            .flat_map(|v| {
                v.audit.files.iter().map(|state| WireFile {
                    manifest: &v.manifest,
                    state,
                })
            })
            .collect(),
        findings: runs.iter().flat_map(|v| &v.audit.findings).collect(),
        unread: runs
            .iter()
            .flat_map(|v| {
                v.unread.iter().map(|p| WireUnread {
                    manifest: &v.manifest,
                    path: p.shown(),
                    kind: p.kind.name(),
                    message: p.to_string(),
                })
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &wire)?;
    writeln!(out)
}
