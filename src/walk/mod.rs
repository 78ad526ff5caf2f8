//! The one folder walk every command lists files with: folders read level by level on every core, sorted, symlinks kept inside a bound, and every place it could not list returned as a [`Problem`].
//!
//! Two uses, two [`Options`]: [`Options::MEDIA`] for the media commands
//! (hidden entries left out, `.xmp` sidecars attached to their image) and
//! [`Options::EVERY_FILE`] for bags and checksum files, which cover every
//! byte (RFC 8493 §2.1.2, §3: a payload file absent from the manifests
//! makes the bag incomplete, hidden or not).

mod problem;

pub use problem::{Problem, ProblemKind, WalkError};

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::fs::{self, FileType};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// One file found under the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The path relative to the root, `/`-separated (lossy UTF-8 for
    /// names that are not UTF-8; such names also get a warning).
    pub rel: String,
    /// The path to open.
    pub abs: PathBuf,
    /// An `.xmp` sidecar beside the file (`name.ext.xmp`, else `name.xmp`);
    /// always `None` when sidecars are listed as files.
    pub sidecar: Option<PathBuf>,
    /// The name was not valid UTF-8 and `rel` is a lossy rendering.
    pub lossy_name: bool,
    /// The walk found this entry as a symbolic link (whose target, a file
    /// inside the bound, was checked); false for a regular file reached
    /// through real folders. A false value is known without a stat, so
    /// readers of plain files can skip an `lstat` of their own.
    pub link: bool,
}

/// The files under a root and the places the walk could not go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walk {
    /// Files, sorted by their relative path.
    pub entries: Vec<Entry>,
    /// Places left out, with the reason, in walk order (each folder's
    /// names sorted bytewise, a subfolder's problems at its place).
    pub skipped: Vec<Problem>,
}

impl Walk {
    /// The places that may hide a file ([`ProblemKind::is_hole`]): a
    /// listing with any is not complete.
    pub fn holes(&self) -> impl Iterator<Item = &Problem> {
        self.skipped.iter().filter(|p| p.kind.is_hole())
    }
}

/// What `.xmp` sidecars are to a walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sidecars {
    /// Attached to the image they describe ([`Entry::sidecar`]), not listed.
    Attach,
    /// Listed as the files they are.
    List,
}

/// What a walk lists. Symlinked files are listed only when they resolve
/// inside the bound, symlinked folders are never entered, and every place
/// left out is in [`Walk::skipped`], whatever the options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options<'a> {
    /// Enter hidden folders and list hidden files (names starting with `.`).
    pub hidden: bool,
    /// Attach or list `.xmp` sidecars.
    pub sidecars: Sidecars,
    /// The folder a symlink's target must resolve inside to be listed;
    /// `None`: the root. A bag's payload walk is bound by the bag, not by
    /// `data/` (docs/bagit.md: links that resolve outside the bag are refused).
    pub links_within: Option<&'a Path>,
}

impl Options<'static> {
    /// `scan`, `check`, `verify`, `init`, `report`: hidden entries left out,
    /// sidecars attached to their image.
    pub const MEDIA: Options<'static> = Options {
        hidden: false,
        sidecars: Sidecars::Attach,
        links_within: None,
    };
    /// Bags and checksum files: every file, hidden ones and sidecars
    /// included (a checksum file and a bag cover every byte).
    pub const EVERY_FILE: Options<'static> = Options {
        hidden: true,
        sidecars: Sidecars::List,
        links_within: None,
    };
}

/// Lists the regular files under `root` the media commands read
/// ([`Options::MEDIA`]), sorted by name.
pub fn walk(root: &Path) -> Result<Walk, WalkError> {
    walk_with(root, Options::MEDIA)
}

/// Lists the regular files under `root`, sorted by name.
///
/// Symlinks are not followed: a symlinked file is listed only when its
/// target, resolved, stays inside the bound (docs/design.md §3: never leave
/// the root through a symlink); symlinked folders are never entered, which
/// also rules out loops. What cannot be listed (a folder unreadable or past
/// PATH_MAX, a name gone mid-walk, a failed `lstat`) is a [`Problem`] in
/// [`Walk::skipped`]; `Err` only when the root itself is unusable.
pub fn walk_with(root: &Path, options: Options<'_>) -> Result<Walk, WalkError> {
    let canonical_root = root.canonicalize().map_err(|source| WalkError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    if !canonical_root.is_dir() {
        return Err(WalkError::RootNotDir {
            path: root.to_path_buf(),
        });
    }
    let bound = match options.links_within {
        Some(b) => b.canonicalize().map_err(|source| WalkError::Root {
            path: b.to_path_buf(),
            source,
        })?,
        None => canonical_root,
    };
    let listed = list_levels(root, &Rules::new(&bound, options));
    let mut out = join_in_preorder(listed);
    // Folders come out in preorder with names sorted bytewise, which is
    // not quite `rel` order (`a/x` sorts after `a-b`, and lossy names can
    // collide); this stable sort fixes that and costs one linear pass when
    // the order already holds, as it nearly always does.
    out.entries.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// The options as each folder's listing needs them.
struct Rules<'a> {
    bound: &'a Path,
    hidden: bool,
    attach: bool,
}

impl<'a> Rules<'a> {
    fn new(bound: &'a Path, o: Options<'_>) -> Self {
        Rules {
            bound,
            hidden: o.hidden,
            attach: o.sidecars == Sidecars::Attach,
        }
    }
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
fn list_levels(root: &Path, rules: &Rules<'_>) -> Vec<Vec<Part>> {
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
            .map(|(_, folder)| list_folder(folder, rules))
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
fn list_folder(folder: &Folder, rules: &Rules<'_>) -> (Vec<Part>, Vec<Folder>) {
    let (dir, rel, lossy) = (folder.path.as_path(), folder.rel.as_str(), folder.lossy);
    let mut own = Walk::default();
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(err) => {
            let kind = ProblemKind::of(&err, ProblemKind::Unreadable);
            own.skipped.push(Problem::new(rel.to_owned(), kind, err));
            return (vec![Part::Own(own)], Vec::new());
        }
    };
    // Read errors are reported first, at the folder they were met in.
    let mut children: Vec<(OsString, FileType)> = Vec::new();
    for item in read {
        match item {
            // No name to go with it: the folder could not be read through.
            Err(err) => {
                let kind = ProblemKind::of(&err, ProblemKind::Unreadable);
                own.skipped.push(Problem::new(rel.to_owned(), kind, err));
            }
            Ok(de) => {
                let name = de.file_name();
                if !rules.hidden && is_hidden(&name) {
                    continue;
                }
                // `file_type` comes from the directory listing (d_type), so
                // most entries cost no stat; where it does not, the `lstat`
                // can fail, and that is reported, never dropped.
                match de.file_type() {
                    Ok(ft) => children.push((name, ft)),
                    Err(err) => {
                        let (child, _) = child_rel(rel, lossy, &name);
                        let kind = ProblemKind::of(&err, ProblemKind::Unexamined);
                        own.skipped.push(Problem::new(child, kind, err));
                    }
                }
            }
        }
    }
    // Names compare bytewise: that fixes the order of `skipped`.
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
            if let Err(problem) = link_to_file(&path, rules.bound) {
                own.skipped.push(problem.at(child));
                continue;
            }
        } else if !ft.is_file() {
            own.skipped
                .push(Problem::by_design(child, ProblemKind::Special));
            continue;
        }
        if rules.attach && is_sidecar(&name) {
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

/// A problem not yet placed: its kind and what the OS said.
struct Unplaced(ProblemKind, String);

impl Unplaced {
    fn at(self, rel: String) -> Problem {
        Problem {
            rel,
            kind: self.0,
            detail: self.1,
        }
    }
}

/// `Ok` when the symlink at `path` resolves to a regular file inside
/// `bound` (compared by components); otherwise why it is left out.
fn link_to_file(path: &Path, bound: &Path) -> Result<(), Unplaced> {
    let target = path.canonicalize().map_err(|err| {
        let kind = match ProblemKind::of(&err, ProblemKind::BrokenLink) {
            ProblemKind::TooLong => ProblemKind::TooLong,
            _ => ProblemKind::BrokenLink,
        };
        Unplaced(kind, err.to_string())
    })?;
    if !target.starts_with(bound) {
        return Err(Unplaced(ProblemKind::LinkOutside, String::new()));
    }
    match fs::metadata(&target) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) if m.is_dir() => Err(Unplaced(ProblemKind::LinkedFolder, String::new())),
        Ok(_) => Err(Unplaced(ProblemKind::Special, String::new())),
        Err(err) => Err(Unplaced(
            ProblemKind::of(&err, ProblemKind::Unexamined),
            err.to_string(),
        )),
    }
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
        let skipped: Vec<_> = w.skipped.iter().map(|p| (p.rel.as_str(), p.kind)).collect();
        assert_eq!(
            skipped,
            [
                ("loop", ProblemKind::LinkedFolder),
                ("out.jpg", ProblemKind::LinkOutside)
            ]
        );
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
    #[ignore = "needs a process subject to file permissions, which CI (root) is not; \
                tests/bad_input.rs an_unreadable_folder_fails_every_command_that_lists_it \
                runs the same case as nobody"]
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
            crate::testutil::skip_or_fail(
                "this process reads folders it has no permission for (root)",
            );
            return;
        }
        let w = w.unwrap();
        let rels: Vec<_> = w.entries.iter().map(|e| e.rel.as_str()).collect();
        assert_eq!(rels, ["a.jpg", "m/b.jpg", "z.jpg"]);
        assert_eq!(w.skipped.len(), 1, "{:?}", w.skipped);
        assert_eq!(w.skipped[0].rel, "locked");
        assert_eq!(w.skipped[0].kind, ProblemKind::Unreadable);
        assert!(
            w.skipped[0].detail.contains("ermission denied"),
            "{}",
            w.skipped[0].detail
        );
    }

    #[test]
    fn every_file_lists_hidden_files_and_sidecars() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [".git/obj", ".hidden.jpg", "a.jpg", "a.jpg.xmp", "b/.c"] {
            let p = root.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, b"x").unwrap();
        }
        let w = walk_with(root, Options::EVERY_FILE).unwrap();
        let rels: Vec<_> = w.entries.iter().map(|e| e.rel.as_str()).collect();
        assert_eq!(
            rels,
            [".git/obj", ".hidden.jpg", "a.jpg", "a.jpg.xmp", "b/.c"]
        );
        assert!(w.entries.iter().all(|e| e.sidecar.is_none()));
        assert!(w.skipped.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_bound_by_links_within_not_by_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let bag = dir.path();
        fs::create_dir_all(bag.join("data")).unwrap();
        fs::write(bag.join("tag.txt"), b"x").unwrap();
        std::os::unix::fs::symlink(bag.join("tag.txt"), bag.join("data/t")).unwrap();
        let w = walk_with(&bag.join("data"), Options::EVERY_FILE).unwrap();
        assert!(w.entries.is_empty());
        assert_eq!(w.skipped[0].kind, ProblemKind::LinkOutside);
        let within = Options {
            links_within: Some(bag),
            ..Options::EVERY_FILE
        };
        let w = walk_with(&bag.join("data"), within).unwrap();
        assert_eq!(w.entries.len(), 1);
        assert!(w.entries[0].link);
    }

    /// A chain of folders whose path passes PATH_MAX (4096 on Linux), made
    /// from inside with relative names: `create_dir_all` of the whole path
    /// would itself be refused with ENAMETOOLONG.
    #[cfg(unix)]
    fn past_path_max(root: &Path) -> String {
        let name = "d".repeat(250);
        let script = format!(
            "cd \"$1\" && i=0; while [ $i -lt 17 ]; do mkdir {name} && cd -P ./{name} || exit 1; i=$((i+1)); done; printf x > deep.jpg"
        );
        let ok = std::process::Command::new("sh")
            .args(["-c", &script, "sh"])
            .arg(root)
            .status()
            .unwrap()
            .success();
        assert!(ok, "could not build the deep tree");
        name
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_past_path_max_is_a_too_long_problem() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("top.jpg"), b"x").unwrap();
        let name = past_path_max(root);
        for options in [Options::MEDIA, Options::EVERY_FILE] {
            let w = walk_with(root, options).unwrap();
            let rels: Vec<_> = w.entries.iter().map(|e| e.rel.as_str()).collect();
            assert_eq!(rels, ["top.jpg"]);
            let holes: Vec<_> = w.holes().collect();
            assert_eq!(holes.len(), 1, "{:?}", w.skipped);
            assert_eq!(holes[0].kind, ProblemKind::TooLong);
            assert!(holes[0].rel.starts_with(&format!("{name}/{name}/")));
            assert!(holes[0].to_string().contains("too long"), "{}", holes[0]);
        }
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
