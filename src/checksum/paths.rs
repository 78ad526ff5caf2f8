//! Paths named inside a bag or a checksum file: percent-decoding (RFC 8493 §2.1.3), spelling checks, and joining to the root without ever leaving it.
//!
//! A path in a manifest is untrusted text. It is refused by its spelling
//! first ([`check`]) and then walked on disk one component at a time
//! ([`join_inside`]), so that a symbolic link cannot lead out either.
//! Containment is decided by comparing path components, never string
//! prefixes: bagit-python 1.9.0 compares characters, so `../bagevil/x`
//! beside a bag named `bag` passes its check; here `..` is refused outright
//! and `/x/bagevil` does not start with `/x/bag` as a `Path`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Why a path is refused; such a path is never opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unsafe {
    /// `""`.
    #[error("empty path")]
    Empty,
    /// `/etc/passwd`.
    #[error("absolute path")]
    Absolute,
    /// `a/../b`.
    #[error("\"..\" segment")]
    ParentSegment,
    /// `a/./b`: two spellings of one file would defeat duplicate checks.
    #[error("\".\" segment")]
    CurrentSegment,
    /// `a//b`, `a/`.
    #[error("empty segment")]
    EmptySegment,
    /// `a\b`: a separator on Windows.
    #[error("backslash")]
    Backslash,
    /// `C:x`, `c:/x`.
    #[error("drive letter")]
    DriveLetter,
    /// `\\?\C:\x`, `\\server\share`, `//server/share`.
    #[error("UNC or device path")]
    Unc,
    /// `~/x`, `~root/x`.
    #[error("starts with \"~\" (a home folder to a shell)")]
    Tilde,
    /// NUL or another control character (CR and LF are allowed: RFC 8493
    /// lets them be percent-encoded in names).
    #[error("control character U+{:04X}", u32::from(*.0))]
    ControlCharacter(char),
    /// `COM1`, `nul.txt`, `COM1:`: a Windows device, not a file.
    #[error("\"{0}\" is a Windows device name")]
    DeviceName(String),
    /// A symbolic link on the way leads out of the root.
    #[error("symbolic link {0} leads outside the bag")]
    LinkOutside(String),
    /// A symbolic link on the way points at nothing.
    #[error("symbolic link {0} points at nothing")]
    BrokenLink(String),
    /// A component could not be examined (permission denied, a loop…): the
    /// path cannot be shown safe.
    #[error("cannot examine {0}: {1}")]
    Unverifiable(String, String),
}

/// Decodes the three escapes RFC 8493 §2.1.3 defines for file paths in
/// manifests and fetch.txt: `%0D` (CR), `%0A` (LF) and `%25` (`%`), in
/// either case of hex digit. Any other `%` sequence is literal text.
pub fn percent_decode(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut rest = p;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let code = tail.get(1..3).map(str::to_ascii_uppercase);
        match code.as_deref() {
            Some("0D") => out.push('\r'),
            Some("0A") => out.push('\n'),
            Some("25") => out.push('%'),
            _ => {
                out.push('%');
                rest = &tail[1..];
                continue;
            }
        }
        rest = &tail[3..];
    }
    out.push_str(rest);
    out
}

/// The inverse of [`percent_decode`]: `%`, CR and LF escaped, nothing else.
pub fn percent_encode(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Whether a backslash in a name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backslash {
    /// Refused: Windows reads it as a separator (`data\..\..\x` climbs
    /// there). Bags are meant to move between systems, so always refused.
    Refused,
    /// A plain character, as in POSIX names (a `sha256sum` file made on
    /// Linux escapes it precisely so it can list such names).
    Plain,
}

/// Checks a decoded, `/`-separated relative path by its spelling alone;
/// a backslash is refused.
pub fn check(p: &str) -> Result<(), Unsafe> {
    check_with(p, Backslash::Refused)
}

/// [`check`], choosing what a backslash is.
pub fn check_with(p: &str, backslash: Backslash) -> Result<(), Unsafe> {
    if p.is_empty() {
        return Err(Unsafe::Empty);
    }
    if let Some(c) = p
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\r' | '\n'))
    {
        return Err(Unsafe::ControlCharacter(c));
    }
    if p.starts_with("\\\\") || p.starts_with("//") {
        return Err(Unsafe::Unc);
    }
    if p.starts_with('/') {
        return Err(Unsafe::Absolute);
    }
    let mut chars = p.chars();
    if chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.next() == Some(':') {
        return Err(Unsafe::DriveLetter);
    }
    if backslash == Backslash::Refused && p.contains('\\') {
        return Err(Unsafe::Backslash);
    }
    if p.starts_with('~') {
        return Err(Unsafe::Tilde);
    }
    for seg in p.split('/') {
        match seg {
            "" => return Err(Unsafe::EmptySegment),
            "." => return Err(Unsafe::CurrentSegment),
            ".." => return Err(Unsafe::ParentSegment),
            _ if is_device_name(seg) => return Err(Unsafe::DeviceName(seg.to_owned())),
            _ => {}
        }
    }
    Ok(())
}

/// Windows reserved device names, with or without an extension or a colon
/// (`nul.txt`, `COM1:`), per Microsoft's "Naming Files, Paths, and
/// Namespaces".
fn is_device_name(seg: &str) -> bool {
    let stem = seg
        .split(['.', ':'])
        .next()
        .unwrap_or(seg)
        .trim_end_matches(' ')
        .to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let port = stem
                .strip_prefix("COM")
                .or_else(|| stem.strip_prefix("LPT"));
            port.is_some_and(|d| d.len() == 1 && d.bytes().all(|b| b.is_ascii_digit()))
        }
    }
}

/// Joins the checked path `p` to the canonical `root`, following symbolic
/// links one component at a time and refusing any that resolves outside
/// `root` (compared by components, [`Path::starts_with`]). A path that does
/// not exist is returned joined, for the caller to report missing.
pub fn join_inside(root: &Path, p: &str) -> Result<PathBuf, Unsafe> {
    join_inside_with(root, p, Backslash::Refused)
}

/// [`join_inside`], choosing what a backslash is.
pub fn join_inside_with(root: &Path, p: &str, backslash: Backslash) -> Result<PathBuf, Unsafe> {
    check_with(p, backslash)?;
    let mut here = root.to_path_buf();
    let mut segments = p.split('/');
    while let Some(seg) = segments.next() {
        let next = here.join(seg);
        match fs::symlink_metadata(&next) {
            Err(e) if absent(&e) => return Ok(segments.fold(next, |acc, s| acc.join(s))),
            Err(e) => return Err(Unsafe::Unverifiable(shown(root, &next), e.to_string())),
            Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(&next) {
                Ok(target) if target.starts_with(root) => here = target,
                Ok(_) => return Err(Unsafe::LinkOutside(shown(root, &next))),
                Err(e) if absent(&e) => return Err(Unsafe::BrokenLink(shown(root, &next))),
                Err(e) => return Err(Unsafe::Unverifiable(shown(root, &next), e.to_string())),
            },
            Ok(_) => here = next,
        }
    }
    Ok(here)
}

/// `path` relative to `root`, `/`-separated, for messages.
fn shown(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

fn absent(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes_round_trip() {
        assert_eq!(percent_decode("a%0Db%0aC%25d%41%"), "a\rb\nC%d%41%");
        let name = "data/100% \r\n.txt";
        assert_eq!(percent_decode(&percent_encode(name)), name);
        assert_eq!(percent_encode(name), "data/100%25 %0D%0A.txt");
    }

    #[test]
    fn unsafe_spellings_are_refused() {
        for (p, want) in [
            ("../bagevil/x", Unsafe::ParentSegment),
            ("data/../../x", Unsafe::ParentSegment),
            ("/etc/passwd", Unsafe::Absolute),
            ("~/x", Unsafe::Tilde),
            ("C:/x", Unsafe::DriveLetter),
            ("\\\\?\\C:\\x", Unsafe::Unc),
            ("data/COM1:", Unsafe::DeviceName("COM1:".into())),
            ("data/nul.txt", Unsafe::DeviceName("nul.txt".into())),
            ("data/a\\b", Unsafe::Backslash),
            ("data//a", Unsafe::EmptySegment),
            ("data/./a", Unsafe::CurrentSegment),
            ("data/a\0", Unsafe::ControlCharacter('\0')),
        ] {
            assert_eq!(check(p), Err(want), "{p:?}");
        }
        for p in ["data/a\rb", "data/..x", "data/com10", "data/x~", "data/a:b"] {
            assert_eq!(check(p), Ok(()), "{p:?}");
        }
    }
}
