//! Manifest path safety (DESIGN.md §3, finding M004) and path comparison keys.
//!
//! A manifest path is untrusted text: a hostile or careless one must never
//! make cutline open a file outside the media root. [`check_path`] refuses
//! every form that could, by spelling alone; [`resolve`] then walks the path
//! on disk and refuses symbolic links that lead out of the root.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

/// Why a manifest path is refused. Such a path is never opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UnsafePath {
    /// `""`.
    #[error("empty path")]
    Empty,
    /// `/srv/x.jpg`: paths are relative to the root.
    #[error("absolute path (paths are relative to the root)")]
    Absolute,
    /// `a/../b`: could climb out of the root.
    #[error("\"..\" segment (paths may not climb out of the root)")]
    ParentSegment,
    /// `a/./b`: harmless on disk, but two spellings of one file would defeat
    /// duplicate detection (M003), so paths must be written plainly.
    #[error("\".\" segment (write the path without it)")]
    CurrentSegment,
    /// `a//b` or `a/`: an empty segment.
    #[error("empty segment (a doubled or trailing \"/\")")]
    EmptySegment,
    /// `a\b`: Windows reads a backslash as a separator (`a\..\b` climbs).
    #[error("backslash (use \"/\" between folders)")]
    Backslash,
    /// `C:x.jpg`, `C:/x.jpg`: a Windows drive.
    #[error("drive letter (paths are relative to the root)")]
    DriveLetter,
    /// `\\server\share`, `\\?\C:\`, `//server`: a Windows UNC or device path.
    #[error("UNC or device path (paths are relative to the root)")]
    Unc,
    /// `~/x.jpg`, `~user/x.jpg`: a shell would expand it to a home folder.
    #[error("starts with \"~\" (a home folder to a shell)")]
    Tilde,
    /// NUL, a line break or another control character.
    #[error("control character U+{:04X}", u32::from(*.0))]
    ControlCharacter(char),
    /// `NUL`, `COM1.jpg`, `con`: a Windows device, not a file.
    #[error("\"{0}\" is a Windows device name")]
    DeviceName(String),
    /// `x.jpg.` or `x.jpg `: Windows drops trailing dots and spaces, so this
    /// names another file there.
    #[error("\"{0}\" ends with a dot or space (Windows would drop it)")]
    TrailingDotOrSpace(String),
    /// A symbolic link on the way leads outside the root.
    #[error("symbolic link {} leads outside the root, to {}", link.display(), target.display())]
    OutsideRoot {
        /// The link, inside the root.
        link: PathBuf,
        /// Where it resolves to.
        target: PathBuf,
    },
    /// A symbolic link on the way points at nothing, so where it leads
    /// cannot be checked.
    #[error("symbolic link {} points at nothing", link.display())]
    BrokenLink {
        /// The link, inside the root.
        link: PathBuf,
    },
    /// The root or a link could not be examined (missing root, permission
    /// denied, a link loop): the path cannot be shown safe, so it is refused.
    #[error("cannot check {}: {source}", path.display())]
    Unverifiable {
        /// What could not be examined.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
}

/// Check a manifest path by its spelling alone, without touching the disk.
///
/// A safe path is relative, `/`-separated, with no empty, `.` or `..`
/// segments, no backslashes, drive letters, UNC prefixes, leading `~`,
/// control characters, Windows device names, or segments ending in a dot
/// or space.
pub fn check_path(p: &str) -> Result<(), UnsafePath> {
    if p.is_empty() {
        return Err(UnsafePath::Empty);
    }
    // ASCII (nearly every path) is checked byte by byte; `char::is_control`
    // is Unicode's Cc, which is C0, DEL and the C1 range U+0080-U+009F.
    let control = if p.is_ascii() {
        p.bytes().find(|b| b.is_ascii_control()).map(char::from)
    } else {
        p.chars().find(|c| c.is_control())
    };
    if let Some(c) = control {
        return Err(UnsafePath::ControlCharacter(c));
    }
    if p.starts_with("\\\\") || p.starts_with("//") {
        return Err(UnsafePath::Unc);
    }
    if p.starts_with('/') {
        return Err(UnsafePath::Absolute);
    }
    let mut chars = p.chars();
    if chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.next() == Some(':') {
        return Err(UnsafePath::DriveLetter);
    }
    if p.contains('\\') {
        return Err(UnsafePath::Backslash);
    }
    if p.starts_with('~') {
        return Err(UnsafePath::Tilde);
    }
    for seg in p.split('/') {
        match seg {
            "" => return Err(UnsafePath::EmptySegment),
            "." => return Err(UnsafePath::CurrentSegment),
            ".." => return Err(UnsafePath::ParentSegment),
            _ if is_device_name(seg) => return Err(UnsafePath::DeviceName(seg.to_string())),
            _ if seg.ends_with(['.', ' ']) => {
                return Err(UnsafePath::TrailingDotOrSpace(seg.to_string()));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Windows reserved device names, with or without an extension
/// (`nul.jpg` is the device too). Microsoft's "Naming Files, Paths, and
/// Namespaces" lists them, including COM0/LPT0 and the superscript digits.
fn is_device_name(seg: &str) -> bool {
    let stem = seg.split('.').next().unwrap_or(seg).trim_end_matches(' ');
    if stem.is_ascii() {
        // Nearly every name: compared without an uppercased copy, which was
        // most of the spelling check of a 100k-item manifest.
        let b = stem.as_bytes();
        return match b.len() {
            3 => ["CON", "PRN", "AUX", "NUL"]
                .iter()
                .any(|d| stem.eq_ignore_ascii_case(d)),
            4 => {
                (b[..3].eq_ignore_ascii_case(b"COM") || b[..3].eq_ignore_ascii_case(b"LPT"))
                    && b[3].is_ascii_digit()
            }
            6 => stem.eq_ignore_ascii_case("CONIN$"),
            7 => stem.eq_ignore_ascii_case("CONOUT$"),
            _ => false,
        };
    }
    // Other scripts: Unicode uppercase, which can turn a non-ASCII letter
    // into an ASCII one (`ı` into `I`).
    device_by_uppercase(stem)
}

/// [`is_device_name`] of a stem read through its Unicode uppercase: the
/// general reading, which the ASCII fast path must agree with.
fn device_by_uppercase(stem: &str) -> bool {
    let upper = stem.to_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let port = upper
                .strip_prefix("COM")
                .or_else(|| upper.strip_prefix("LPT"));
            let mut rest = port.map(str::chars).into_iter().flatten();
            match (rest.next(), rest.next()) {
                (Some(c), None) => c.is_ascii_digit() || matches!(c, '¹' | '²' | '³'),
                _ => false,
            }
        }
    }
}

/// Join a manifest path to `root`, refusing it if its spelling is unsafe
/// ([`check_path`]) or if any symbolic link on the way, or at the end,
/// resolves outside `root`.
///
/// Containment is decided on canonical paths compared component by
/// component, never by string prefix (`/data/bagevil` is not inside
/// `/data/bag`). The result has the links resolved, so opening it does not
/// follow them again. A path that does not exist (yet) is not unsafe: it is
/// returned joined to the canonical root, and the caller reports it missing.
pub fn resolve(root: &Path, p: &str) -> Result<PathBuf, UnsafePath> {
    Resolver::new(root).resolve(p)
}

/// [`resolve`] for many paths under one root: the root is made canonical
/// once, and each folder on the way is examined once, not once per file in
/// it (a 100k-item manifest would otherwise cost a `readlink` per root
/// component and an `lstat` per folder for every item).
/// It is shared by the threads that resolve a manifest's items in parallel.
#[derive(Debug)]
pub struct Resolver {
    given: PathBuf,
    root: Option<PathBuf>,
    /// Folders already walked (`a/b`, as spelled in the manifest) and what
    /// they resolved to.
    folders: Mutex<HashMap<String, PathBuf>>,
}

impl Resolver {
    /// A resolver for paths under `root`.
    pub fn new(root: &Path) -> Self {
        Resolver {
            given: root.to_path_buf(),
            root: fs::canonicalize(root).ok(),
            folders: Mutex::new(HashMap::new()),
        }
    }

    /// Like [`resolve`].
    pub fn resolve(&self, p: &str) -> Result<PathBuf, UnsafePath> {
        check_path(p)?;
        let root = match &self.root {
            Some(r) => r.clone(),
            // The root could not be made canonical when the resolver was
            // made: try again, and say why if it still cannot.
            None => fs::canonicalize(&self.given).map_err(|source| UnsafePath::Unverifiable {
                path: self.given.clone(),
                source,
            })?,
        };
        let (folder, name) = match p.rsplit_once('/') {
            Some((f, n)) => (Some(f), n),
            None => (None, p),
        };
        let known = |f: &str| self.folders.lock().ok()?.get(f).cloned();
        let here = match folder {
            None => root.clone(),
            Some(f) => match known(f) {
                Some(dir) => dir,
                None => match walk_segments(&root, root.clone(), f.split('/'))? {
                    (dir, true) => {
                        if let Ok(mut memo) = self.folders.lock() {
                            memo.insert(f.to_owned(), dir.clone());
                        }
                        dir
                    }
                    // A folder on the way is absent: so is the file.
                    (missing, false) => return Ok(missing.join(name)),
                },
            },
        };
        walk_segments(&root, here, std::iter::once(name)).map(|(h, _)| h)
    }

    /// Why `p` is unsafe, if it is. `walked` says the walk of this root
    /// found `p`, spelled exactly so, as a regular file through real folders
    /// (it never follows a link into a folder): then no link lies on the way
    /// and only the spelling can make it unsafe, so the `lstat`s are spared.
    pub fn verdict(&self, p: &str, walked: bool) -> Option<UnsafePath> {
        if walked {
            check_path(p).err()
        } else {
            self.resolve(p).err()
        }
    }

    /// The unsafe ones among `items` by index, judged on every core;
    /// `path_of` gives an item's path, or `None` to pass it over, and
    /// `walked` holds the paths the walk found plain (see
    /// [`Resolver::verdict`]). Only unsafe paths are kept, nearly always
    /// none: a slot per item was 7 MB at a 100k-item run's peak.
    pub fn unsafe_among<T: Sync>(
        &self,
        items: &[T],
        path_of: impl Fn(&T) -> Option<&str> + Sync,
        walked: &foldhash::HashSet<&str>,
    ) -> foldhash::HashMap<usize, UnsafePath> {
        items
            .par_iter()
            .enumerate()
            .with_min_len(256)
            .filter_map(|(i, item)| {
                let p = path_of(item)?;
                self.verdict(p, walked.contains(p)).map(|why| (i, why))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect()
    }
}

/// Follows `segments` from `here`, a canonical folder inside `root`; the
/// path reached and whether every segment exists.
fn walk_segments<'s>(
    root: &Path,
    mut here: PathBuf,
    mut segments: impl Iterator<Item = &'s str>,
) -> Result<(PathBuf, bool), UnsafePath> {
    while let Some(seg) = segments.next() {
        let next = here.join(seg);
        match fs::symlink_metadata(&next) {
            Err(e) if absent(&e) => {
                // Nothing more on disk to follow; the rest is plain names.
                return Ok((segments.fold(next, |acc, s| acc.join(s)), false));
            }
            Err(source) => return Err(UnsafePath::Unverifiable { path: next, source }),
            Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(&next) {
                Ok(target) if target.starts_with(root) => here = target,
                Ok(target) => return Err(UnsafePath::OutsideRoot { link: next, target }),
                Err(e) if absent(&e) => return Err(UnsafePath::BrokenLink { link: next }),
                Err(source) => return Err(UnsafePath::Unverifiable { path: next, source }),
            },
            Ok(_) => here = next,
        }
    }
    Ok((here, true))
}

/// Not there: missing, or a file where a folder was expected (`a.jpg/b`).
fn absent(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// The key under which a manifest path is compared with a file found on
/// disk (DESIGN.md §3: "compared after Unicode NFC").
pub fn path_key(p: &str) -> String {
    path_key_cow(p).into_owned()
}

/// [`path_key`], borrowing `p` when it is already NFC (nearly always): a
/// 100k-item run keys every path twice, and a copy each was 10 MB held.
pub fn path_key_cow(p: &str) -> Cow<'_, str> {
    crate::textnorm::nfc(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_names_fast_path_agrees_with_uppercasing() {
        let mut names: Vec<String> = [
            "con",
            "Con",
            "cOn.jpg",
            "nul.txt",
            "com1",
            "COM0",
            "lpt9",
            "lpt10",
            "com",
            "comx",
            "conin$",
            "CONOUT$",
            "conout",
            "aux ",
            "aux .jpg",
            "prn.",
            "CON  ",
            "a",
            "",
            "com¹",
            "COM².x",
            "conın$",
            "ſ",
            "nuL",
            "lpt",
            "LPTA",
            "com 1",
            "photo.jpg",
            "x.con",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        // Every name of up to four characters over the letters that matter.
        let alphabet = ['c', 'O', 'n', 'u', 'l', 'P', 't', '1', '$', '.', ' '];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for stem in &frontier {
                for c in alphabet {
                    next.push(format!("{stem}{c}"));
                }
            }
            names.extend(next.iter().cloned());
            frontier = next;
        }
        for n in &names {
            let stem = n.split('.').next().unwrap_or(n).trim_end_matches(' ');
            assert_eq!(is_device_name(n), device_by_uppercase(stem), "{n:?}");
        }
    }

    #[test]
    fn plain_relative_paths_are_safe() {
        for p in [
            "a.jpg",
            "harbor/boats-at-dawn.jpg",
            "a b/c d.jpg",
            ".hidden/x.jpg",
            "..x/y..z.jpg",
            "x~/~y.jpg",
            "café/é.jpg",
            "console.jpg",
            "com10.jpg",
            "lpt/a.jpg",
            "photo:1.jpg",
        ] {
            assert!(check_path(p).is_ok(), "{p}: {:?}", check_path(p));
        }
    }

    #[test]
    fn every_unsafe_form_is_refused_with_its_reason() {
        use UnsafePath::*;
        use std::mem::discriminant;
        let dev = || DeviceName(String::new());
        let dot = || TrailingDotOrSpace(String::new());
        let cases = [
            ("", Empty),
            ("/etc/passwd", Absolute),
            ("/", Absolute),
            ("..", ParentSegment),
            ("../x.jpg", ParentSegment),
            ("a/../../x.jpg", ParentSegment),
            ("a/..", ParentSegment),
            ("./a.jpg", CurrentSegment),
            ("a/./b.jpg", CurrentSegment),
            ("a//b.jpg", EmptySegment),
            ("a/", EmptySegment),
            ("a\\..\\b", Backslash),
            ("a\\b.jpg", Backslash),
            ("C:", DriveLetter),
            ("C:x.jpg", DriveLetter),
            ("c:/x.jpg", DriveLetter),
            ("C:\\x.jpg", DriveLetter),
            ("\\\\server\\share\\x.jpg", Unc),
            ("\\\\?\\C:\\x.jpg", Unc),
            ("\\\\.\\COM1", Unc),
            ("//server/share", Unc),
            ("~", Tilde),
            ("~/x.jpg", Tilde),
            ("~root/x.jpg", Tilde),
            ("a\0.jpg", ControlCharacter('\0')),
            ("a\n.jpg", ControlCharacter('\n')),
            ("a\u{1b}[2J.jpg", ControlCharacter('\u{1b}')),
            ("a\u{7f}.jpg", ControlCharacter('\u{7f}')),
            ("a\u{85}.jpg", ControlCharacter('\u{85}')),
            ("NUL", dev()),
            ("nul.jpg", dev()),
            ("a/con", dev()),
            ("a/Aux.tar.gz", dev()),
            ("prn/x.jpg", dev()),
            ("COM1", dev()),
            ("com9.jpg", dev()),
            ("LPT1.jpg", dev()),
            ("COM¹", dev()),
            ("CONIN$", dev()),
            ("nul .jpg", dev()),
            ("x.jpg.", dot()),
            ("x.jpg ", dot()),
            ("dir./x.jpg", dot()),
        ];
        for (p, want) in cases {
            match check_path(p) {
                Err(e) => assert_eq!(discriminant(&e), discriminant(&want), "{p:?} gave {e:?}"),
                Ok(()) => panic!("{p:?} was accepted"),
            }
        }
    }

    #[test]
    fn reasons_read_clearly() {
        assert_eq!(
            check_path("../x").unwrap_err().to_string(),
            "\"..\" segment (paths may not climb out of the root)"
        );
        assert_eq!(
            check_path("a\0").unwrap_err().to_string(),
            "control character U+0000"
        );
        assert!(matches!(check_path("NUL"), Err(UnsafePath::DeviceName(s)) if s == "NUL"));
        assert!(matches!(
            check_path("a\u{1b}"),
            Err(UnsafePath::ControlCharacter('\u{1b}'))
        ));
        assert_eq!(
            check_path("com1.jpg").unwrap_err().to_string(),
            "\"com1.jpg\" is a Windows device name"
        );
    }

    #[test]
    fn check_path_never_panics() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let alphabet = [
            'a', '.', '/', '\\', ':', '~', ' ', '\0', 'é', '¹', 'C', 'N', 'U', 'L', 'O', 'M', '1',
        ];
        for _ in 0..5000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 12) as usize;
            let s: String = (0..len)
                .map(|i| alphabet[((state >> (i * 5)) % alphabet.len() as u64) as usize])
                .collect();
            let _ = check_path(&s);
        }
    }

    #[test]
    fn keys_compose_and_match_across_forms() {
        assert_eq!(path_key("e\u{301}"), "é");
        assert_eq!(path_key("plain.jpg"), "plain.jpg");
        assert_eq!(path_key("cafe\u{301}/x.jpg"), path_key("café/x.jpg"));
        assert_ne!(path_key("A.jpg"), path_key("a.jpg"));
    }

    #[test]
    fn resolve_joins_existing_and_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("bag");
        fs::create_dir_all(root.join("a")).unwrap();
        fs::write(root.join("a/x.jpg"), b"x").unwrap();
        let canon = fs::canonicalize(&root).unwrap();
        assert_eq!(resolve(&root, "a/x.jpg").unwrap(), canon.join("a/x.jpg"));
        assert_eq!(
            resolve(&root, "a/new/y.jpg").unwrap(),
            canon.join("a/new/y.jpg")
        );
        assert_eq!(
            resolve(&root, "a/x.jpg/z").unwrap(),
            canon.join("a/x.jpg/z")
        );
        assert!(matches!(
            resolve(&root, "../bag/a/x.jpg"),
            Err(UnsafePath::ParentSegment)
        ));
        let missing_root = resolve(&dir.path().join("nope"), "a.jpg");
        assert!(matches!(missing_root, Err(UnsafePath::Unverifiable { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_inside_the_root_are_followed() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("bag");
        fs::create_dir_all(root.join("real")).unwrap();
        fs::write(root.join("real/x.jpg"), b"x").unwrap();
        symlink("real", root.join("alias")).unwrap();
        symlink("real/x.jpg", root.join("link.jpg")).unwrap();
        symlink("../real/x.jpg", root.join("real/up.jpg")).unwrap();
        symlink(root.join("real"), root.join("absolute-alias")).unwrap();
        let canon = fs::canonicalize(&root).unwrap();
        assert_eq!(
            resolve(&root, "alias/x.jpg").unwrap(),
            canon.join("real/x.jpg")
        );
        assert_eq!(
            resolve(&root, "absolute-alias/x.jpg").unwrap(),
            canon.join("real/x.jpg")
        );
        assert_eq!(
            resolve(&root, "link.jpg").unwrap(),
            canon.join("real/x.jpg")
        );
        assert_eq!(
            resolve(&root, "real/up.jpg").unwrap(),
            canon.join("real/x.jpg")
        );
        assert_eq!(
            resolve(&root, "alias/missing.jpg").unwrap(),
            canon.join("real/missing.jpg")
        );
        // The root itself reached through a link is still the root.
        let via = dir.path().join("via");
        symlink(&root, &via).unwrap();
        assert_eq!(
            resolve(&via, "alias/x.jpg").unwrap(),
            canon.join("real/x.jpg")
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_refused() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("bag");
        let outside = dir.path().join("outside");
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("secret.jpg"), b"s").unwrap();
        symlink(outside.join("secret.jpg"), root.join("leak.jpg")).unwrap();
        symlink("../outside", root.join("dir")).unwrap();
        symlink("/", root.join("slash")).unwrap();
        symlink("nowhere", root.join("broken.jpg")).unwrap();
        symlink("loop", root.join("loop")).unwrap();
        for p in [
            "leak.jpg",
            "dir/secret.jpg",
            "dir/not-yet.jpg",
            "slash/etc/passwd",
        ] {
            assert!(
                matches!(resolve(&root, p), Err(UnsafePath::OutsideRoot { .. })),
                "{p}"
            );
        }
        assert!(matches!(
            resolve(&root, "broken.jpg"),
            Err(UnsafePath::BrokenLink { .. })
        ));
        assert!(matches!(
            resolve(&root, "loop"),
            Err(UnsafePath::Unverifiable { .. })
        ));
        let e = resolve(&root, "leak.jpg").unwrap_err().to_string();
        assert!(
            e.starts_with("symbolic link ") && e.contains("leads outside the root"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_sibling_sharing_the_root_name_prefix_is_outside() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("bag");
        let evil = dir.path().join("bagevil");
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(&evil).unwrap();
        fs::write(evil.join("x.jpg"), b"x").unwrap();
        symlink(&evil, root.join("sub")).unwrap();
        symlink("../bagevil/x.jpg", root.join("x.jpg")).unwrap();
        assert!(matches!(
            resolve(&root, "sub/x.jpg"),
            Err(UnsafePath::OutsideRoot { .. })
        ));
        assert!(matches!(
            resolve(&root, "x.jpg"),
            Err(UnsafePath::OutsideRoot { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn one_resolver_gives_the_same_answers_as_resolve_for_every_path() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("media");
        let outside = dir.path().join("outside");
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(root.join("a/b/1.jpg"), b"x").unwrap();
        fs::write(root.join("a/b/2.jpg"), b"x").unwrap();
        fs::write(root.join("top.jpg"), b"x").unwrap();
        fs::write(outside.join("1.jpg"), b"x").unwrap();
        symlink(&outside, root.join("out")).unwrap();
        symlink(root.join("a/b"), root.join("alias")).unwrap();
        symlink(outside.join("1.jpg"), root.join("a/b/leak.jpg")).unwrap();
        let paths = [
            "a/b/1.jpg",
            "a/b/2.jpg",
            "a/b/missing.jpg",
            "a/b/leak.jpg",
            "a/b/1.jpg",
            "out/1.jpg",
            "out/2.jpg",
            "alias/1.jpg",
            "alias/2.jpg",
            "gone/deeper/x.jpg",
            "top.jpg/x.jpg",
            "top.jpg",
            "../escape.jpg",
        ];
        // The memo of folders must not change any answer, in any order.
        let r = Resolver::new(&root);
        for p in paths.iter().chain(paths.iter().rev()) {
            let one = resolve(&root, p).map_err(|e| e.to_string());
            let many = r.resolve(p).map_err(|e| e.to_string());
            assert_eq!(one, many, "{p}");
        }
        assert!(r.resolve("out/2.jpg").is_err(), "a folder leaving the root");
        assert_eq!(
            r.resolve("alias/2.jpg").unwrap(),
            root.canonicalize().unwrap().join("a/b/2.jpg")
        );
    }
}
