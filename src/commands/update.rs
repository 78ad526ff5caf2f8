//! `cutline update`: accepts the folder's current state into the manifest, keeping every caption, credit and unknown key.
//!
//! What it may change in an item: `sha256`, `image_sha256`, `size`, `path`
//! (a move) and `missing`. It appends items for new files and, only with
//! `--prune`, removes items whose file is gone. Nothing else of the manifest
//! is touched, and the file is replaced atomically
//! ([`manifest::save_atomic`]): a reader, or a run killed at any instant,
//! sees the old manifest or the new one, never a mix.

use std::io::Write;
use std::path::PathBuf;

use crate::commands::check::root_of;
use crate::commands::init::item_from;
use crate::commands::verify::Scans;
use crate::commands::{Outcome, report_skipped, stdout_error};
use crate::error::Error;
use crate::fixity::{self, Audit, Category};
use crate::manifest::{self, Item, Manifest};
use crate::sanitize::for_terminal;
use crate::scan::{ScanOptions, Scanned};

/// Options of `cutline update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The manifest to bring up to date.
    pub manifest: PathBuf,
    /// A media root that overrides the manifest's `root`.
    pub root: Option<PathBuf>,
    /// Print what would change; write nothing.
    pub dry_run: bool,
    /// Remove items whose file is gone instead of marking them missing.
    pub prune: bool,
}

/// One change `update` makes (or, for [`Change::Skipped`], refuses to make).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// New hashes and size recorded for a file whose bytes changed.
    Rehashed {
        /// The item's path.
        path: String,
        /// What kind of change it was.
        category: Category,
    },
    /// An image hash or size the item lacked, recorded for an unchanged file.
    Completed {
        /// The item's path.
        path: String,
    },
    /// The item follows its file to a new path.
    Moved {
        /// The path the manifest listed.
        from: String,
        /// Where the file is now.
        to: String,
    },
    /// A new item for a file the manifest did not list.
    Added {
        /// The file's path.
        path: String,
    },
    /// `"missing": true` set on an item whose file is gone.
    MarkedMissing {
        /// The item's path.
        path: String,
    },
    /// An item whose file is gone, removed (`--prune`).
    Pruned {
        /// The item's path.
        path: String,
    },
    /// `"missing"` cleared: the file is back.
    Reappeared {
        /// The item's path.
        path: String,
    },
    /// Left as it is, and why (the run then exits 1).
    Skipped {
        /// The item's or file's path.
        path: String,
        /// Why nothing was recorded.
        reason: &'static str,
    },
}

impl Change {
    /// The line printed for this change.
    pub fn line(&self) -> String {
        let t = |s: &str| for_terminal(s);
        match self {
            Change::Rehashed { path, category } => {
                format!("updated   {}: new hashes ({})", t(path), category.label())
            }
            Change::Completed { path } => {
                format!("completed {}: image hash and size recorded", t(path))
            }
            Change::Moved { from, to } => format!("moved     {} → {}", t(from), t(to)),
            Change::Added { path } => format!("added     {}", t(path)),
            Change::MarkedMissing { path } => format!("missing   {}: marked missing", t(path)),
            Change::Pruned { path } => format!("pruned    {}: removed (file gone)", t(path)),
            Change::Reappeared { path } => {
                format!("restored  {}: back on disk, missing mark cleared", t(path))
            }
            Change::Skipped { path, reason } => format!("skipped   {}: {reason}", t(path)),
        }
    }
}

/// Brings the manifest up to date with its folder and prints each change.
pub fn run(o: &Options, out: &mut dyn Write) -> Result<Outcome, Error> {
    let m = manifest::load(&o.manifest)?;
    let root = root_of(&o.manifest, &m, o.root.as_deref());
    // New files become items pre-filled from their metadata (init's item_from).
    let mut scans = Scans::new(ScanOptions::CHECK, [&m]);
    scans.get(&root)?;
    // A folder that could not be read would make its items look missing
    // (and --prune remove them): nothing is written while one exists.
    let unread = scans.unread(&root);
    if report_skipped(unread) {
        writeln!(
            out,
            "{}: not updated: {} under the root could not be read",
            for_terminal(&o.manifest.display().to_string()),
            if unread.len() == 1 {
                "1 place".to_owned()
            } else {
                format!("{} places", unread.len())
            }
        )
        .map_err(stdout_error)?;
        return Ok(Outcome::Findings);
    }
    let scanned = scans.get(&root)?;
    let audit = fixity::classify(&m, &o.manifest.display().to_string(), &root, scanned);
    let (updated, changes) = plan(&m, &audit, scanned, o.prune);
    for c in &changes {
        writeln!(out, "{}", c.line()).map_err(stdout_error)?;
    }
    let made = changes
        .iter()
        .filter(|c| !matches!(c, Change::Skipped { .. }))
        .count();
    let name = for_terminal(&o.manifest.display().to_string());
    if o.dry_run {
        writeln!(
            out,
            "dry run: {made} change{}; {name} not written",
            if made == 1 { "" } else { "s" }
        )
    } else if made == 0 {
        writeln!(out, "{name}: up to date; nothing written")
    } else {
        manifest::save_atomic(&updated, &o.manifest)?;
        writeln!(
            out,
            "wrote {name} ({made} change{})",
            if made == 1 { "" } else { "s" }
        )
    }
    .map_err(stdout_error)?;
    let skipped = changes.len() > made;
    Ok(if skipped {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The updated manifest and the list of changes, from `m`, its audit and
/// the fresh read it was made from. Pure: writes and prints nothing.
///
/// Items keep their place (the story's order); new files are appended in
/// path order. Only `sha256`, `image_sha256`, `size`, `path` and `missing`
/// of an existing item are ever changed.
pub fn plan(
    m: &Manifest,
    audit: &Audit,
    scanned: &[Scanned],
    prune: bool,
) -> (Manifest, Vec<Change>) {
    let mut out = m.clone();
    let mut changes = Vec::new();
    let mut remove = vec![false; m.items.len()];
    let mut added: Vec<Item> = Vec::new();
    for f in &audit.files {
        let rec = f.record.and_then(|r| scanned.get(r));
        let item = f.item.and_then(|i| out.items.get_mut(i));
        let path = f.path.clone();
        match (f.category, item, rec) {
            (Category::Unchanged | Category::Duplicate, Some(item), Some(rec)) => {
                if item.missing {
                    item.missing = false;
                    changes.push(Change::Reappeared { path: path.clone() });
                }
                let mut completed = false;
                if item.image_sha256.is_none() && rec.image_sha256.is_some() {
                    item.image_sha256.clone_from(&rec.image_sha256);
                    completed = true;
                }
                if item.size != Some(rec.size) {
                    item.size = Some(rec.size);
                    completed = true;
                }
                if completed {
                    changes.push(Change::Completed { path });
                }
            }
            (
                c @ (Category::MetadataOnly
                | Category::ImageChanged
                | Category::Changed
                | Category::Unhashed),
                Some(item),
                Some(rec),
            ) => {
                rehash(item, rec);
                changes.push(Change::Rehashed { path, category: c });
            }
            (Category::Moved, Some(item), Some(rec)) => {
                let from = std::mem::replace(&mut item.path, rec.path.clone());
                rehash(item, rec);
                changes.push(Change::Moved { from, to: path });
            }
            (Category::Missing | Category::MissingAcknowledged, Some(item), _) => {
                if prune {
                    if let Some(flag) = f.item.and_then(|i| remove.get_mut(i)) {
                        *flag = true;
                    }
                    changes.push(Change::Pruned { path });
                } else if !item.missing {
                    item.missing = true;
                    changes.push(Change::MarkedMissing { path });
                }
            }
            (Category::New | Category::Duplicate, None, Some(rec)) => {
                added.push(item_from(rec));
                changes.push(Change::Added { path });
            }
            (Category::ChangedWhileRead, _, _) => changes.push(Change::Skipped {
                path,
                reason: "changed while it was read (H004); run update again",
            }),
            (Category::Unreadable, _, _) => changes.push(Change::Skipped {
                path,
                reason: "cannot be read (X001)",
            }),
            (Category::UnsafePath, _, _) => changes.push(Change::Skipped {
                path,
                reason: "unsafe path (M004), never opened; fix it by hand",
            }),
            (Category::DuplicateEntry, _, _) => changes.push(Change::Skipped {
                path,
                reason: "listed twice (M003/M005); remove one entry by hand",
            }),
            (Category::NameCollision, _, _) => changes.push(Change::Skipped {
                path,
                reason: "name equals another file's after Unicode NFC (M005); rename one",
            }),
            // Every category above comes with the item and record it needs;
            // anything else would be a classification bug, so change nothing.
            _ => {}
        }
    }
    if remove.iter().any(|&r| r) {
        let mut keep = remove.iter().map(|r| !r);
        out.items.retain(|_| keep.next().unwrap_or(true));
    }
    added.sort_by(|a, b| a.path.cmp(&b.path));
    out.items.extend(added);
    (out, changes)
}

/// Records the file's current hashes and size in the item. An image hash
/// the file no longer yields is dropped rather than left stale.
fn rehash(item: &mut Item, rec: &Scanned) {
    item.sha256.clone_from(&rec.sha256);
    item.image_sha256.clone_from(&rec.image_sha256);
    item.size = Some(rec.size);
    item.missing = false;
}
