//! `cutline export`: a manifest's captions and credits as a spreadsheet CSV, or as the CSV ExifTool's `-csv=` writes into the files.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::commands::check::{DEFAULT_MANIFEST_DIR, find_manifests, root_of};
use crate::commands::{Outcome, stdout_error};
use crate::error::Error;
use crate::exchange::ExchangeError;
use crate::exchange::csv_export::{self, Columns, ManifestColumns};
use crate::exchange::exiftool_csv::{ExifToolColumns, source_prefix};
use crate::manifest;
use crate::sanitize::for_terminal;

/// Which CSV layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The manifest's key names as columns, for a spreadsheet.
    Sheet,
    /// ExifTool's tag names, with `SourceFile`, for `exiftool -csv=`.
    ExifTool,
}

/// Options of `cutline export`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The manifest; `None`: the one `*.json` in `./manifests/`.
    pub manifest: Option<PathBuf>,
    /// A media root that overrides the manifest's `root` (for `SourceFile`).
    pub root: Option<PathBuf>,
    /// The layout.
    pub layout: Layout,
    /// Write here instead of standard output.
    pub output: Option<PathBuf>,
}

/// Writes the CSV. Items left out of an ExifTool CSV (missing files, unsafe
/// paths) are named on standard error, and the run exits 1.
pub fn run(o: &Options, out: &mut dyn Write) -> Result<Outcome, Error> {
    let path = match &o.manifest {
        Some(p) => p.clone(),
        None => only_manifest(Path::new(DEFAULT_MANIFEST_DIR))?,
    };
    let m = manifest::load(&path)?;
    let columns: Box<dyn Columns> = match o.layout {
        Layout::Sheet => Box::new(ManifestColumns::for_manifest(&m)),
        Layout::ExifTool => {
            let root = root_of(&path, &m, o.root.as_deref());
            let cwd = std::env::current_dir().map_err(|source| ExchangeError::Folder {
                path: PathBuf::from("."),
                source,
            })?;
            Box::new(ExifToolColumns::for_manifest(
                &m,
                source_prefix(&root, &cwd)?,
            ))
        }
    };
    let mut buf = Vec::new();
    let skipped = csv_export::write(columns.as_ref(), &m.items, &mut buf).map_err(|e| {
        ExchangeError::Write {
            path: o.output.clone().unwrap_or_else(|| PathBuf::from("-")),
            source: std::io::Error::other(e),
        }
    })?;
    match &o.output {
        // Whole or not at all: the CSV is built in memory first.
        Some(file) => std::fs::write(file, &buf).map_err(|source| ExchangeError::Write {
            path: file.clone(),
            source,
        })?,
        None => out.write_all(&buf).map_err(stdout_error)?,
    }
    for s in &skipped {
        eprintln!("cutline: left out {}: {}", for_terminal(&s.path), s.reason);
    }
    Ok(if skipped.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// The single manifest in `dir`: exporting one of several would be a guess.
fn only_manifest(dir: &Path) -> Result<PathBuf, Error> {
    let mut found = find_manifests(dir)?;
    if found.len() == 1 {
        return Ok(found.remove(0));
    }
    Err(ExchangeError::ManyManifests {
        dir: dir.to_path_buf(),
        count: found.len(),
    }
    .into())
}
