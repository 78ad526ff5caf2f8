//! Walks a media root: regular files, sorted, hidden files and sidecars left out, symlinks kept inside the root.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::Error;

/// One file found under the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The path relative to the root, `/`-separated (lossy UTF-8 for
    /// names that are not UTF-8; such names also get a warning).
    pub rel: String,
    /// The path to open.
    pub abs: PathBuf,
    /// An `.xmp` sidecar beside the file (`name.ext.xmp`, else `name.xmp`).
    pub sidecar: Option<PathBuf>,
    /// The name was not valid UTF-8 and `rel` is a lossy rendering.
    pub lossy_name: bool,
}

/// What the walk could not enter or read (the run goes on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path, relative to the root where possible.
    pub rel: String,
    /// Why it was skipped.
    pub reason: String,
    /// It could not be read (permission denied, broken link, I/O error),
    /// as opposed to left out by design (a symlink leaving the root).
    pub unreadable: bool,
}

/// The files under a root and the places the walk could not go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walk {
    /// Files, sorted by their relative path.
    pub entries: Vec<Entry>,
    /// Folders or links skipped, with the reason.
    pub skipped: Vec<Skipped>,
}

/// Lists the regular files under `root`, sorted by name.
///
/// Symlinks are not followed: a symlinked file is listed only when its
/// target, resolved, stays inside the root (DESIGN.md §3: never leave the
/// root through a symlink); symlinked folders are never entered, which also
/// rules out loops. Hidden entries (name starting with `.`) are skipped, as
/// are `.xmp` sidecars, which are attached to the image they describe.
pub fn walk(root: &Path) -> Result<Walk, Error> {
    let canonical_root = root.canonicalize().map_err(|source| Error::Root {
        path: root.to_path_buf(),
        source,
    })?;
    if !canonical_root.is_dir() {
        return Err(Error::RootNotDir {
            path: root.to_path_buf(),
        });
    }
    let mut out = Walk::default();
    let mut sidecars: HashSet<PathBuf> = HashSet::new();
    let iter = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for item in iter {
        let entry = match item {
            Ok(e) => e,
            Err(err) => {
                let rel = err.path().map(|p| relative(root, p).0).unwrap_or_default();
                out.skipped.push(Skipped {
                    rel,
                    reason: err.to_string(),
                    unreadable: true,
                });
                continue;
            }
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let path = entry.path();
        if ft.is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {}
                Ok(target) if target.starts_with(&canonical_root) => continue,
                Ok(_) => {
                    out.skipped.push(Skipped {
                        rel: relative(root, path).0,
                        reason: "symlink leads outside the root; not followed".into(),
                        unreadable: false,
                    });
                    continue;
                }
                Err(err) => {
                    out.skipped.push(Skipped {
                        rel: relative(root, path).0,
                        reason: format!("broken symlink: {err}"),
                        unreadable: true,
                    });
                    continue;
                }
            }
        } else if !ft.is_file() {
            continue;
        }
        if is_sidecar(path) {
            sidecars.insert(path.to_path_buf());
            continue;
        }
        let (rel, lossy_name) = relative(root, path);
        out.entries.push(Entry {
            rel,
            abs: path.to_path_buf(),
            sidecar: None,
            lossy_name,
        });
    }
    // Sidecars are matched against what the walk saw rather than probed with
    // a stat per candidate name: four failed stats per image were a
    // measurable share of a 100k-file walk (docs/performance.md).
    if !sidecars.is_empty() {
        for e in &mut out.entries {
            e.sidecar = sidecar_among(&e.abs, |p| sidecars.contains(p));
        }
    }
    out.entries.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn is_sidecar(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xmp"))
}

/// The sidecar of an image: `name.ext.xmp` (darktable) wins over
/// `name.xmp` (Lightroom), since it names this exact file. The `.xmp`
/// extension is matched in either case, as the walk leaves both out.
/// `exists` says whether the walk saw a candidate.
fn sidecar_among(path: &Path, exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    for ext in ["xmp", "XMP"] {
        let mut long = path.as_os_str().to_owned();
        long.push(".");
        long.push(ext);
        let long = PathBuf::from(long);
        if exists(&long) {
            return Some(long);
        }
    }
    for ext in ["xmp", "XMP"] {
        let short = path.with_extension(ext);
        if short != path && exists(&short) {
            return Some(short);
        }
    }
    None
}

/// `path` relative to `root`, `/`-separated; true when the name had to be
/// rendered lossily because it is not UTF-8.
fn relative(root: &Path, path: &Path) -> (String, bool) {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut lossy = false;
    let parts: Vec<String> = rel
        .components()
        .map(|c| {
            let s = c.as_os_str();
            match s.to_str() {
                Some(t) => t.to_owned(),
                None => {
                    lossy = true;
                    s.to_string_lossy().into_owned()
                }
            }
        })
        .collect();
    (parts.join("/"), lossy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn sorted_skips_hidden_and_sidecars() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::write(root.join("b/z.jpg"), b"x").unwrap();
        fs::write(root.join("a.jpg"), b"x").unwrap();
        fs::write(root.join("a.jpg.xmp"), b"x").unwrap();
        fs::write(root.join(".hidden.jpg"), b"x").unwrap();
        fs::write(root.join(".git/obj"), b"x").unwrap();
        let w = walk(root).unwrap();
        let rels: Vec<_> = w.entries.iter().map(|e| e.rel.as_str()).collect();
        assert_eq!(rels, ["a.jpg", "b/z.jpg"]);
        assert_eq!(w.entries[0].sidecar, Some(root.join("a.jpg.xmp")));
        assert_eq!(w.entries[1].sidecar, None);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_out_of_root_is_skipped_and_loop_terminates() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.jpg"), b"x").unwrap();
        let root = dir.path();
        fs::write(root.join("in.jpg"), b"x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.jpg"), root.join("out.jpg"))
            .unwrap();
        std::os::unix::fs::symlink(root.join("in.jpg"), root.join("alias.jpg")).unwrap();
        std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
        let w = walk(root).unwrap();
        let rels: Vec<_> = w.entries.iter().map(|e| e.rel.as_str()).collect();
        assert_eq!(rels, ["alias.jpg", "in.jpg"]);
        assert_eq!(w.skipped.len(), 1);
        assert_eq!(w.skipped[0].rel, "out.jpg");
    }

    #[cfg(unix)]
    #[test]
    fn a_sidecar_symlinked_out_of_the_root_is_not_attached() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(outside.path().join("secret.xmp"), b"<x/>").unwrap();
        fs::write(root.join("a.jpg"), b"x").unwrap();
        fs::write(root.join("b.jpg"), b"x").unwrap();
        fs::write(root.join("b.XMP"), b"<x/>").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.xmp"), root.join("a.jpg.xmp"))
            .unwrap();
        let w = walk(root).unwrap();
        assert_eq!(w.entries[0].rel, "a.jpg");
        assert_eq!(w.entries[0].sidecar, None);
        assert_eq!(w.entries[1].sidecar, Some(root.join("b.XMP")));
        assert_eq!(w.skipped.len(), 1);
        assert_eq!(w.skipped[0].rel, "a.jpg.xmp");
    }
}
