//! Walks a media root, folders read in parallel: regular files, sorted, hidden files and sidecars left out, symlinks kept inside the root.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fs::{self, FileType};
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

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
    /// The walk found this entry as a symbolic link (whose target, a file
    /// inside the root, was checked); false for a regular file reached
    /// through real folders. A false value is known without a stat, so
    /// readers of plain files can skip an `lstat` of their own.
    pub link: bool,
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
    /// Folders or links skipped, with the reason, in walk order (each
    /// folder's names sorted bytewise, a subfolder's findings at its place).
    pub skipped: Vec<Skipped>,
}

/// Lists the regular files under `root`, sorted by name.
///
/// Symlinks are not followed: a symlinked file is listed only when its
/// target, resolved, stays inside the root (docs/design.md §3: never leave the
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
    let listed = list_levels(root, &canonical_root);
    let mut out = join_in_preorder(listed);
    // Folders come out in preorder with names sorted bytewise, which is
    // not quite `rel` order (`a/x` sorts after `a-b`, and lossy names can
    // collide); this stable sort fixes that and costs one linear pass when
    // the order already holds, as it nearly always does.
    out.entries.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// A folder to list: its path and its path relative to the root, lossy
/// if any of its names were not UTF-8.
struct Folder {
    path: PathBuf,
    rel: String,
    lossy: bool,
}

/// A stretch of one folder's findings, in name order, or a subfolder
/// (by number) whose findings go at that place, as a serial walk puts them.
enum Part {
    Own(Walk),
    Folder(usize),
}

/// Every folder under `root`, listed level by level rather than by
/// recursion: a hostile tree thousands of folders deep must not overflow a
/// thread's stack, yet the folders of one level, usually the many, are read
/// in parallel. Folder `0` is the root; `Part::Folder` numbers index this list.
fn list_levels(root: &Path, canonical_root: &Path) -> Vec<Vec<Part>> {
    let mut listed: Vec<Vec<Part>> = vec![Vec::new()];
    let mut level = vec![(
        0,
        Folder {
            path: root.to_path_buf(),
            rel: String::new(),
            lossy: false,
        },
    )];
    while !level.is_empty() {
        let read: Vec<_> = level
            .par_iter()
            .map(|(_, folder)| list_folder(folder, canonical_root))
            .collect();
        let mut next = Vec::new();
        for ((id, _), (mut parts, subfolders)) in level.into_iter().zip(read) {
            let first = listed.len() + next.len();
            for part in &mut parts {
                if let Part::Folder(k) = part {
                    *k += first;
                }
            }
            next.extend(
                subfolders
                    .into_iter()
                    .enumerate()
                    .map(|(k, f)| (first + k, f)),
            );
            if let Some(slot) = listed.get_mut(id) {
                *slot = parts;
            }
        }
        listed.resize_with(listed.len() + next.len(), Vec::new);
        level = next;
    }
    listed
}

/// The folders' findings joined in preorder, each subfolder's at its place
/// among its parent's names, as a serial walk yields them; each entry is
/// moved once.
fn join_in_preorder(mut listed: Vec<Vec<Part>>) -> Walk {
    let total = listed
        .iter()
        .flatten()
        .map(|part| match part {
            Part::Own(w) => w.entries.len(),
            Part::Folder(_) => 0,
        })
        .sum();
    let mut out = Walk {
        entries: Vec::with_capacity(total),
        skipped: Vec::new(),
    };
    let mut take = |id: usize| {
        listed
            .get_mut(id)
            .map(std::mem::take)
            .unwrap_or_default()
            .into_iter()
    };
    let mut stack = vec![take(0)];
    while let Some(parts) = stack.last_mut() {
        match parts.next() {
            Some(Part::Own(w)) => {
                out.entries.extend(w.entries);
                out.skipped.extend(w.skipped);
            }
            Some(Part::Folder(id)) => stack.push(take(id)),
            None => {
                stack.pop();
            }
        }
    }
    out
}

/// Lists one folder: its findings in name order, with `Part::Folder(k)`
/// marking the place of the `k`th subfolder returned.
fn list_folder(folder: &Folder, canonical_root: &Path) -> (Vec<Part>, Vec<Folder>) {
    let (dir, rel, lossy) = (folder.path.as_path(), folder.rel.as_str(), folder.lossy);
    let mut own = Walk::default();
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(err) => {
            own.skipped.push(io_skipped(rel.to_owned(), dir, &err));
            return (vec![Part::Own(own)], Vec::new());
        }
    };
    // Read errors are reported first, as walkdir (which this replaced) did.
    let mut children: Vec<(OsString, FileType)> = Vec::new();
    for item in read {
        match item {
            // No name to go with it: the error is all there is to report.
            Err(err) => own.skipped.push(Skipped {
                rel: String::new(),
                reason: err.to_string(),
                unreadable: true,
            }),
            Ok(de) => {
                let name = de.file_name();
                // `file_type` comes from the directory listing (d_type), so
                // most entries cost no stat.
                match de.file_type() {
                    Ok(ft) if !is_hidden(&name) => children.push((name, ft)),
                    Ok(_) => {}
                    Err(err) => {
                        let (child, _) = child_rel(rel, lossy, &name);
                        own.skipped.push(io_skipped(child, &join(dir, &name), &err));
                    }
                }
            }
        }
    }
    // Names compare bytewise, as walkdir's `sort_by_file_name` did: that
    // fixes the order of `skipped`.
    children.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    own.entries.reserve(children.len());
    let mut parts = Vec::new();
    let mut subfolders = Vec::new();
    let mut sidecars: HashSet<PathBuf> = HashSet::new();
    for (name, ft) in children {
        let (child, child_lossy) = child_rel(rel, lossy, &name);
        let path = join(dir, &name);
        if ft.is_dir() {
            parts.push(Part::Own(std::mem::take(&mut own)));
            parts.push(Part::Folder(subfolders.len()));
            subfolders.push(Folder {
                path,
                rel: child,
                lossy: child_lossy,
            });
            continue;
        }
        let link = ft.is_symlink();
        if link {
            match path.canonicalize() {
                Ok(target) if target.starts_with(canonical_root) && target.is_file() => {}
                Ok(target) if target.starts_with(canonical_root) => continue,
                Ok(_) => {
                    own.skipped.push(Skipped {
                        rel: child,
                        reason: "symlink leads outside the root; not followed".into(),
                        unreadable: false,
                    });
                    continue;
                }
                Err(err) => {
                    own.skipped.push(Skipped {
                        rel: child,
                        reason: format!("broken symlink: {err}"),
                        unreadable: true,
                    });
                    continue;
                }
            }
        } else if !ft.is_file() {
            continue;
        }
        if is_sidecar(&name) {
            sidecars.insert(path);
            continue;
        }
        own.entries.push(Entry {
            rel: child,
            abs: path,
            sidecar: None,
            lossy_name: child_lossy,
            link,
        });
    }
    parts.push(Part::Own(own));
    parts.retain(|p| match p {
        Part::Own(w) => !w.entries.is_empty() || !w.skipped.is_empty(),
        Part::Folder(_) => true,
    });

    // Sidecars are matched against what the walk saw rather than probed with
    // a stat per candidate name: four failed stats per image were a
    // measurable share of a 100k-file walk (docs/performance.md). Every
    // candidate lies in the image's own folder, so this folder's set is the
    // whole answer.
    if !sidecars.is_empty() {
        for part in &mut parts {
            if let Part::Own(w) = part {
                for e in &mut w.entries {
                    e.sidecar = sidecar_among(&e.abs, |p| sidecars.contains(p));
                }
            }
        }
    }
    (parts, subfolders)
}

/// `dir/name` with a single allocation (`Path::join` copies, then grows).
/// The same path `DirEntry::path` gives.
fn join(dir: &Path, name: &OsStr) -> PathBuf {
    let mut path = PathBuf::with_capacity(dir.as_os_str().len() + 1 + name.len());
    path.push(dir);
    path.push(name);
    path
}

/// The relative path of `name` inside the folder `parent`, and whether it
/// or any folder above it had to be rendered lossily. Built by appending to
/// the parent's path: re-deriving it from the full path per file was a
/// large share of the walk's time.
fn child_rel(parent: &str, parent_lossy: bool, name: &OsStr) -> (String, bool) {
    let (name, lossy) = match name.to_str() {
        Some(s) => (std::borrow::Cow::Borrowed(s), parent_lossy),
        None => (name.to_string_lossy(), true),
    };
    let mut rel = String::with_capacity(parent.len() + 1 + name.len());
    if !parent.is_empty() {
        rel.push_str(parent);
        rel.push('/');
    }
    rel.push_str(&name);
    (rel, lossy)
}

/// An I/O error on `path`, worded as walkdir worded it, so the messages
/// users see did not change with the walk.
fn io_skipped(rel: String, path: &Path, err: &io::Error) -> Skipped {
    Skipped {
        rel,
        reason: format!("IO error for operation on {}: {err}", path.display()),
        unreadable: true,
    }
}

fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Whether `name`, not hidden, ends in `.xmp` in any case: what
/// `Path::extension` would say, without parsing the name as a path.
fn is_sidecar(name: &OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.len() > 4 && name[name.len() - 4..].eq_ignore_ascii_case(b".xmp")
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
        let links: Vec<_> = w.entries.iter().map(|e| e.link).collect();
        assert_eq!(links, [true, false]);
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

    #[test]
    fn nested_names_come_out_in_bytewise_rel_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // `-`, `.` and ` ` sort before `/`, so a folder `a` must not pull
        // its files ahead of the files `a-b`, `a.b`, `a b`.
        let files = [
            "a/b",
            "a/a.b/c",
            "a/a-b",
            "a/a/x",
            "a/a/x.y/z",
            "a/a b",
            "a.b",
            "a-b/c",
            "a b/c/d",
            "ab",
            "ab.c/d",
            "a0/a/b/c/d/e/f/g",
            "a0/a-b",
            "A",
            "b.b/a",
            "b/a/a",
        ];
        let mut expected: Vec<String> = Vec::new();
        for f in files {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, b"x").unwrap();
            expected.push(f.to_owned());
        }
        expected.sort();
        let w = walk(root).unwrap();
        let rels: Vec<_> = w.entries.iter().map(|e| e.rel.clone()).collect();
        assert_eq!(rels, expected);
        assert!(w.entries.iter().all(|e| !e.link && !e.lossy_name));
        assert!(w.entries.iter().all(|e| e.abs == root.join(&e.rel)));
        assert!(w.skipped.is_empty());
    }

    #[test]
    fn hidden_entries_below_the_top_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "x/y/ok.jpg",
            "x/.cache/a.jpg",
            "x/y/.hidden/b.jpg",
            "x/y/.c.jpg",
            "x/y/z/.d.jpg",
        ] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, b"x").unwrap();
        }
        let w = walk(root).unwrap();
        let rels: Vec<_> = w.entries.iter().map(|e| e.rel.as_str()).collect();
        assert_eq!(rels, ["x/y/ok.jpg"]);
        assert!(w.skipped.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_folder_is_reported_and_its_siblings_listed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in ["a.jpg", "locked/in.jpg", "m/b.jpg", "z.jpg"] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, b"x").unwrap();
        }
        let locked = root.join("locked");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        let bypassed = fs::read_dir(&locked).is_ok();
        let w = walk(root);
        // Let the temp dir be removed.
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        if bypassed {
            eprintln!("SKIPPED: this process reads folders it has no permission for (root)");
            return;
        }
        let w = w.unwrap();
        let rels: Vec<_> = w.entries.iter().map(|e| e.rel.as_str()).collect();
        assert_eq!(rels, ["a.jpg", "m/b.jpg", "z.jpg"]);
        assert_eq!(w.skipped.len(), 1, "{:?}", w.skipped);
        assert_eq!(w.skipped[0].rel, "locked");
        assert!(w.skipped[0].unreadable);
        assert!(
            w.skipped[0].reason.contains("ermission denied"),
            "{}",
            w.skipped[0].reason
        );
    }

    #[test]
    fn a_tree_thousands_of_folders_deep_is_walked_without_overflow() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // As deep as a path may be (PATH_MAX 4096): past what a thread's
        // stack takes when each level is a recursive call.
        let depth = (4000 - root.as_os_str().len().min(2000)) / 2;
        let deepest = root.join("d/".repeat(depth));
        fs::create_dir_all(&deepest).unwrap();
        fs::write(deepest.join("f.jpg"), b"x").unwrap();
        fs::write(root.join("top.jpg"), b"x").unwrap();
        let w = walk(root).unwrap();
        let rels: Vec<_> = w.entries.iter().map(|e| e.rel.clone()).collect();
        assert_eq!(
            rels,
            [format!("{}f.jpg", "d/".repeat(depth)), "top.jpg".into()]
        );
    }
}
