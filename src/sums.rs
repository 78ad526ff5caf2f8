//! `sha256sum` checksum files (GNU coreutils format): reading them, checking a folder against one like `sha256sum -c`, and writing one.
//!
//! A line is `HASH  NAME` (text mode) or `HASH *NAME` (binary mode); a
//! line whose name holds `\`, LF or CR starts with `\` and escapes them as
//! `\\`, `\n`, `\r` (coreutils 9 `md5sum.c`, `filename_unescape`). The BSD
//! form `SHA256 (NAME) = HASH` that `sha256sum -c` also accepts is read too.
//! Names are untrusted: a path that could leave the root is refused and
//! never opened, as in a bag ([`crate::checksum::paths`]).

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::checksum::digest::{self, Algorithm};
use crate::checksum::paths;
use crate::walk::{self, Problem, WalkError};

/// A backslash is a plain character in names on POSIX systems, where
/// `sha256sum` escapes it; on Windows it is a separator and refused.
const NAMES: paths::Backslash = if cfg!(unix) {
    paths::Backslash::Plain
} else {
    paths::Backslash::Refused
};

/// Why a checksum file could not be checked or written at all (exit 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SumsError {
    /// The checksum file or the root could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// The root could not be walked at all.
    #[error(transparent)]
    Walk(#[from] WalkError),
}

/// One well-formed line of a checksum file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// The SHA-256, lower-cased.
    pub hex: String,
    /// The name, unescaped, a leading `./` removed.
    pub name: String,
}

/// A line that is not in any form `sha256sum -c` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number.
    pub number: usize,
}

/// Parses a checksum file's bytes. Lines end at LF (a CR before it, from
/// an editor on Windows, is dropped). Bad lines are returned, never skipped.
pub fn parse(bytes: &[u8]) -> (Vec<Line>, Vec<BadLine>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let mut raw_lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if raw_lines.last().is_some_and(|l| l.is_empty()) {
        raw_lines.pop();
    }
    for (i, raw) in raw_lines.into_iter().enumerate() {
        let number = i + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        match std::str::from_utf8(raw).ok().and_then(parse_line) {
            Some((hex, name)) => good.push(Line { number, hex, name }),
            None => bad.push(BadLine { number }),
        }
    }
    (good, bad)
}

/// `(hex, name)` of one line, or `None` when it is malformed.
fn parse_line(line: &str) -> Option<(String, String)> {
    let line = line.trim_start_matches([' ', '\t']);
    let (escaped, line) = match line.strip_prefix('\\') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let (hex, name) = if let Some(rest) = line.strip_prefix("SHA256 (") {
        // BSD tag form: `SHA256 (NAME) = HASH`.
        let (name, hex) = rest.rsplit_once(") = ")?;
        (hex, name)
    } else {
        let hex = line.get(..64)?;
        let rest = line.get(64..)?;
        let rest = rest.strip_prefix([' ', '\t'])?;
        let name = rest.strip_prefix([' ', '*']).unwrap_or(rest);
        (hex, name)
    };
    if hex.len() != Algorithm::Sha256.hex_len() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let name = if escaped {
        unescape(name)?
    } else {
        name.to_owned()
    };
    if name.is_empty() {
        return None;
    }
    let name = name.strip_prefix("./").map(str::to_owned).unwrap_or(name);
    Some((hex.to_ascii_lowercase(), name))
}

/// Undoes coreutils' escaping: `\\`, `\n`, `\r`; any other escape is invalid.
fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                '\\' => out.push('\\'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// One line as coreutils writes it (text mode, two spaces).
pub fn format_line(hex: &str, name: &str) -> String {
    if name.contains(['\\', '\n', '\r']) {
        let escaped = name
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\r', "\\r");
        format!("\\{hex}  {escaped}\n")
    } else {
        format!("{hex}  {name}\n")
    }
}

/// What became of one listed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Same bytes.
    Ok,
    /// Different bytes.
    Failed,
    /// Not on disk.
    Missing,
    /// On disk, could not be read.
    Unreadable(String),
    /// The name could lead outside the root: not opened.
    Unsafe(String),
}

/// The result of checking a folder against a checksum file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The checksum file, as given.
    pub file: PathBuf,
    /// Every listed name with its status, in file order.
    pub listed: Vec<(Line, Status)>,
    /// Lines that could not be read.
    pub bad_lines: Vec<BadLine>,
    /// Files under the root that no line lists (`sha256sum -c` never says).
    pub unlisted: Vec<String>,
    /// Places under the root the walk could not read ([`walk::Walk::holes`]):
    /// a file there could be unlisted, or a listed one unseen.
    pub unread: Vec<Problem>,
    /// The folder the names were resolved against.
    pub root: PathBuf,
    /// How many files are under the root (the checksum file left out).
    pub files: usize,
}

impl Checked {
    /// Every listed file matched, every line was well formed and every
    /// folder under the root could be read. Unlisted files are reported but
    /// do not fail the run (like M002 in `verify`); a folder that could not
    /// be read does, since it leaves the unlisted report incomplete.
    pub fn passed(&self) -> bool {
        self.bad_lines.is_empty()
            && self.unread.is_empty()
            && self.listed.iter().all(|(_, s)| *s == Status::Ok)
    }
}

/// Checks `root` (default: the checksum file's folder) against `file`.
pub fn check(file: &Path, root: Option<&Path>) -> Result<Checked, SumsError> {
    let io_at = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SumsError::Io { path, source }
    };
    let bytes = fs::read(file).map_err(io_at(file))?;
    let root = match root {
        Some(r) => r.to_path_buf(),
        None => match file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        },
    };
    let canon_root = fs::canonicalize(&root).map_err(io_at(&root))?;
    let canon_file = fs::canonicalize(file).map_err(io_at(file))?;
    let (lines, bad_lines) = parse(&bytes);
    let mut listed = Vec::new();
    let mut jobs = Vec::new();
    let mut names = BTreeSet::new();
    for l in lines {
        names.insert(l.name.clone());
        match paths::join_inside_with(&canon_root, &l.name, NAMES) {
            Err(why) => listed.push((l, Status::Unsafe(why.to_string()))),
            Ok(abs) => match fs::metadata(&abs) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => listed.push((l, Status::Missing)),
                Ok(m) if !m.is_file() => {
                    listed.push((l, Status::Unreadable("not a regular file".into())));
                }
                _ => {
                    jobs.push((abs, vec![Algorithm::Sha256]));
                    listed.push((l, Status::Ok));
                }
            },
        }
    }
    let mut results = digest::hash_all(&jobs).into_iter();
    for (l, status) in &mut listed {
        if *status != Status::Ok {
            continue;
        }
        match results.next() {
            Some(Ok(d)) if d.get(Algorithm::Sha256) == Some(l.hex.as_str()) => {}
            Some(Ok(_)) => *status = Status::Failed,
            Some(Err(e)) => *status = Status::Unreadable(e.to_string()),
            None => *status = Status::Unreadable("not read".into()),
        }
    }
    let found = files_under(&canon_root)?;
    let unread = found.holes().cloned().collect();
    let under: Vec<_> = found
        .entries
        .into_iter()
        .filter(|e| e.abs != canon_file)
        .collect();
    let files = under.len();
    let unlisted = under
        .into_iter()
        .filter(|e| !names.contains(&e.rel))
        .map(|e| e.rel)
        .collect();
    Ok(Checked {
        file: file.to_path_buf(),
        listed,
        bad_lines,
        unlisted,
        unread,
        root,
        files,
    })
}

/// Every regular file under `root`, hidden ones and sidecars included (a
/// checksum file covers every byte), symlinks kept only when they resolve
/// inside it (docs/bagit.md, `scan --sums`); sorted, with the places the
/// walk could not read.
fn files_under(root: &Path) -> Result<walk::Walk, SumsError> {
    Ok(walk::walk_with(root, walk::Options::EVERY_FILE)?)
}

/// What [`write_tree`] could not put in the checksum file. Any of it makes
/// the file incomplete, so `scan --sums` names each on stderr and fails.
#[derive(Debug, Default)]
pub struct Left {
    /// Files that could not be read, with why.
    pub unread_files: Vec<(String, io::Error)>,
    /// Files whose name is not UTF-8 (rendered lossily): a line would name
    /// a file that does not exist.
    pub not_utf8: Vec<String>,
    /// Places the walk could not read ([`walk::Walk::holes`]).
    pub unread_places: Vec<Problem>,
}

impl Left {
    /// Nothing was left out.
    pub fn is_empty(&self) -> bool {
        self.unread_files.is_empty() && self.not_utf8.is_empty() && self.unread_places.is_empty()
    }
}

/// Writes a `sha256sum` file of every file under `root` (names relative to
/// it) to `out`, hashing in parallel; returns what it had to leave out.
pub fn write_tree(root: &Path, out: &mut dyn Write) -> Result<Left, SumsError> {
    let canon = fs::canonicalize(root).map_err(|source| SumsError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let found = files_under(&canon)?;
    let mut left = Left {
        unread_places: found.holes().cloned().collect(),
        ..Left::default()
    };
    let (files, lossy): (Vec<_>, Vec<_>) = found.entries.into_iter().partition(|e| !e.lossy_name);
    left.not_utf8 = lossy.into_iter().map(|e| e.rel).collect();
    let jobs: Vec<_> = files
        .iter()
        .map(|e| (e.abs.clone(), vec![Algorithm::Sha256]))
        .collect();
    for (e, d) in files.into_iter().zip(digest::hash_all(&jobs)) {
        match d {
            Ok(d) => out
                .write_all(
                    format_line(d.get(Algorithm::Sha256).unwrap_or_default(), &e.rel).as_bytes(),
                )
                .map_err(|source| SumsError::Io {
                    path: PathBuf::from("-"),
                    source,
                })?,
            Err(err) => left.unread_files.push((e.rel, err)),
        }
    }
    Ok(left)
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn every_coreutils_form_parses() {
        let text = format!(
            "{H}  a.txt\n{H} *b.bin\n\\{H}  c\\nd\\\\e\n{H} ./f\nSHA256 (g h) = {H}\n{}  upper\r\nnonsense\n{H}  \\q\n\\{H}  bad\\q\n",
            H.to_uppercase()
        );
        let (good, bad) = parse(text.as_bytes());
        let names: Vec<_> = good.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            ["a.txt", "b.bin", "c\nd\\e", "f", "g h", "upper", "\\q"]
        );
        assert!(good.iter().all(|l| l.hex == H));
        assert_eq!(bad.iter().map(|b| b.number).collect::<Vec<_>>(), [7, 9]);
    }

    #[test]
    fn written_lines_read_back() {
        for name in ["plain.jpg", "back\\slash", "new\nline", "cr\r"] {
            let (good, bad) = parse(format_line(H, name).as_bytes());
            assert!(bad.is_empty(), "{name:?}");
            assert_eq!(good[0].name, name);
        }
        assert_eq!(format_line(H, "a\\b"), format!("\\{H}  a\\\\b\n"));
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut state = 0x1234_5678_9ABC_DEF1_u64;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let bytes: Vec<u8> = (0..(state % 120))
                .map(|i| (state >> (i % 59)) as u8)
                .collect();
            let _ = parse(&bytes);
        }
    }
}
