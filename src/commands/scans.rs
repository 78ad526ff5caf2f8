//! Walks and reads each media root once per run, however many manifests share it; what the walk could not read becomes W001 findings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::commands::free_later;
use crate::error::Error;
use crate::finding::Finding;
use crate::manifest::Manifest;
use crate::progress::Progress;
use crate::rules::Code;
use crate::scan::cache::{self, Cache};
use crate::scan::{Hooks, Recorded, ScanOptions, Scanned, scan_all_with};
use crate::walk::{Problem, walk};

/// One root, read.
struct Root {
    scanned: Vec<Scanned>,
    skipped: Vec<Problem>,
}

/// The fresh reads of a run's media roots, shared by its manifests.
pub(crate) struct Scans<'m> {
    options: ScanOptions,
    recorded: Recorded<'m>,
    cache: Option<Cache>,
    done: HashMap<PathBuf, Root>,
}

impl<'m> Scans<'m> {
    /// Reads with `options`; the hashes `manifests` record spare the
    /// image-data hash of files whose bytes are unchanged. With `cache`,
    /// files whose size and time are as cached are not read again
    /// (docs/verify.md says why `verify` never passes one).
    pub(crate) fn new(
        options: ScanOptions,
        manifests: impl IntoIterator<Item = &'m Manifest>,
        cache: Option<Cache>,
    ) -> Self {
        Scans {
            options,
            recorded: Recorded::of(manifests),
            cache,
            done: HashMap::new(),
        }
    }

    /// Frees what only reading needs; a root read later is read without
    /// the recorded hashes (its image hashes are computed).
    pub(crate) fn done_reading(&mut self) {
        self.recorded = Recorded::default();
    }

    /// Reads `root` if no manifest read it before.
    pub(crate) fn read(&mut self, root: &Path) -> Result<(), Error> {
        let key = key_of(root);
        if self.done.contains_key(&key) {
            return Ok(());
        }
        let w = walk(root)?;
        // Places left out by design (a link leaving the root, a special
        // file) are named on stderr; holes become W001 findings below.
        let by_design: Vec<Problem> = w
            .skipped
            .iter()
            .filter(|p| !p.kind.is_hole())
            .cloned()
            .collect();
        crate::commands::report_skipped(&by_design);
        let progress = Progress::new(w.entries.len() as u64);
        let hooks = Hooks {
            cache: self.cache.as_ref().map(|c| (c, key.as_path())),
            progress: Some(&progress),
            recorded: Some(&self.recorded),
        };
        let scanned = scan_all_with(&w.entries, self.options, hooks);
        progress.finish();
        self.done.insert(
            key,
            Root {
                scanned,
                skipped: w.skipped,
            },
        );
        Ok(())
    }

    /// The fresh read of every file under `root`, read now if need be.
    pub(crate) fn get(&mut self, root: &Path) -> Result<&[Scanned], Error> {
        self.read(root)?;
        Ok(self
            .done
            .get(&key_of(root))
            .map_or(&[][..], |r| r.scanned.as_slice()))
    }

    /// W001 for each place under `root` the walk could not read: what it
    /// holds was not checked, so no run over it may pass (docs/design.md §12).
    pub(crate) fn unreadable(&self, root: &Path, manifest: &str) -> Vec<Finding> {
        self.done.get(&key_of(root)).map_or_else(Vec::new, |r| {
            r.skipped
                .iter()
                .filter(|p| p.kind.is_hole())
                .map(|p| unreadable_finding(p, manifest))
                .collect()
        })
    }

    /// Writes the cache back (a cache that cannot be written is a
    /// warning) and closes it; the records read are freed in the background
    /// ([`free_later`]).
    pub(crate) fn finish(mut self) {
        if let Some(mut c) = self.cache.take() {
            if let Err(e) = c.flush() {
                eprintln!("cutline: warning: hash cache not updated: {e}");
            }
            // Closed here, not on the freeing thread: the process may exit
            // before that thread runs.
            drop(c);
        }
        free_later(std::mem::take(&mut self.done));
    }
}

/// W001 for a place the walk could not read (docs/design.md §12).
pub(crate) fn unreadable_finding(p: &Problem, manifest: &str) -> Finding {
    Finding::new(
        Code::W001,
        manifest,
        p.shown(),
        format!("not read, so nothing in it was checked: {p}"),
    )
}

/// Roots are shared by their canonical path.
fn key_of(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// The hash cache for this run; a cache that cannot be used is a warning on
/// stderr and a run that hashes every byte, never an error.
pub(crate) fn open_cache() -> Option<Cache> {
    match cache::open_default() {
        Ok(Some(c)) => {
            if let Some(why) = &c.rebuilt {
                eprintln!(
                    "cutline: warning: hash cache {} was unreadable and is rebuilt ({why})",
                    c.path().display()
                );
            }
            Some(c)
        }
        Ok(None) => None,
        Err(e) => {
            eprintln!("cutline: warning: no hash cache: {e}");
            None
        }
    }
}
