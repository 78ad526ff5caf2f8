//! `cutline init`: writes a new manifest for a folder, hashes and embedded captions pre-filled.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::commands::{Outcome, manifest_dir, report_skipped, stdout_error};
use crate::error::Error;
use crate::manifest::{self, Item, Manifest};
use crate::scan::{ScanOptions, Scanned, scan_all};
use crate::walk::walk;

/// Options of `cutline init`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The media folder.
    pub root: PathBuf,
    /// The manifest to write.
    pub output: PathBuf,
    /// Replace an existing manifest.
    pub force: bool,
}

/// Scans `root` and writes a manifest listing every image in it. A place
/// the walk could not read is named on stderr and makes the exit code 1:
/// the manifest is written, but it may lack the images there.
pub fn run(o: &Options, out: &mut dyn Write) -> Result<Outcome, Error> {
    if o.output.exists() && !o.force {
        return Err(Error::WouldOverwrite {
            path: o.output.clone(),
        });
    }
    let w = walk(&o.root)?;
    let holes = report_skipped(&w.skipped);
    let records = scan_all(&w.entries, ScanOptions::default());
    let items: Vec<Item> = records
        .iter()
        .filter(|r| r.is_image())
        .map(item_from)
        .collect();
    let root = relative_root(&manifest_dir(&o.output), &o.root)?;
    let m = Manifest {
        root: Some(root),
        items,
        ..Manifest::default()
    };
    manifest::save_atomic(&m, &o.output)?;
    writeln!(
        out,
        "wrote {} ({} images from {})",
        o.output.display(),
        m.items.len(),
        o.root.display()
    )
    .map_err(stdout_error)?;
    Ok(if holes {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// A manifest item pre-filled from what the file says of itself.
pub fn item_from(r: &Scanned) -> Item {
    let e = r.effective();
    Item {
        path: r.path.clone(),
        sha256: r.sha256.clone(),
        image_sha256: r.image_sha256.clone(),
        size: Some(r.size),
        caption: e.caption.clone(),
        credit: e.credit.clone(),
        creator: e.creator.clone(),
        copyright: e.copyright.clone(),
        source: e.source.clone(),
        date: e.date.clone(),
        headline: e.headline.clone(),
        title: e.title.clone(),
        city: e.city.clone(),
        country: e.country.clone(),
        ..Item::default()
    }
}

/// `root` as written in the manifest: relative to the manifest's folder,
/// `/`-separated, so the manifest moves with the repository.
pub(crate) fn relative_root(manifest_dir: &Path, root: &Path) -> Result<String, Error> {
    let canon = |p: &Path| {
        p.canonicalize().map_err(|source| Error::Root {
            path: p.to_path_buf(),
            source,
        })
    };
    let from = canon(manifest_dir)?;
    let to = canon(root)?;
    let from_parts: Vec<Component<'_>> = from.components().collect();
    let to_parts: Vec<Component<'_>> = to.components().collect();
    let common = from_parts
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from_parts.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        return Ok(".".to_owned());
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_relative_to_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        std::fs::create_dir_all(base.join("manifests/demo")).unwrap();
        std::fs::create_dir_all(base.join("media/a")).unwrap();
        assert_eq!(
            relative_root(&base.join("manifests"), &base.join("media")).unwrap(),
            "../media"
        );
        assert_eq!(
            relative_root(&base.join("manifests/demo"), &base.join("media/a")).unwrap(),
            "../../media/a"
        );
        assert_eq!(relative_root(base, base).unwrap(), ".");
    }
}
