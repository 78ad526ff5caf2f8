//! Where a finding is, as a path relative to the repository (the current directory), for SARIF and GitHub annotations.

use std::path::{Component, Path, PathBuf};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::finding::Finding;
use crate::report::Run;
use crate::rules::{Code, Target};

/// A finding's file: relative to the current directory (`relative`) when
/// it lies under it, else absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The `/`-separated path.
    pub path: String,
    /// True when `path` is relative to the current directory.
    pub relative: bool,
}

/// The file a finding points at: the manifest itself for findings about
/// its entries (an unsafe path is never a file to point at) and for a
/// checksum file's lines, the file inside a bag for bag findings, else the
/// file under the manifest's media root.
pub fn locate(run: &Run, f: &Finding, cwd: Option<&Path>) -> Location {
    let on_manifest = matches!(f.code, Code::M003 | Code::M004)
        || f.path.is_empty()
        || (f.code.target() == Target::Sums && f.line.is_some());
    let target = match run.manifests.iter().find(|m| m.manifest == f.manifest) {
        Some(m) if !on_manifest => Path::new(&m.root).join(&f.path),
        _ => PathBuf::from(&f.manifest),
    };
    let target = lexical(&target);
    if target.is_absolute() {
        if let Some(rel) = cwd.and_then(|c| target.strip_prefix(lexical(c)).ok()) {
            return Location {
                path: slashed(rel),
                relative: true,
            };
        }
        return Location {
            path: slashed(&target),
            relative: false,
        };
    }
    Location {
        path: slashed(&target),
        relative: true,
    }
}

/// `a/./b/../c` → `a/c`, without touching the disk.
fn lexical(p: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match (c, out.last()) {
            (Component::CurDir, _) => {}
            (Component::ParentDir, Some(Component::Normal(_))) => {
                out.pop();
            }
            _ => out.push(c),
        }
    }
    out.iter().collect()
}

fn slashed(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    if s.is_empty() { ".".to_owned() } else { s }
}

/// What a URI path keeps as it is: RFC 3986 unreserved characters and `/`;
/// every other byte of the UTF-8 becomes `%XX`.
const URI_PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a path for a URI (RFC 3986 §2.1).
pub fn uri_path(path: &str) -> String {
    utf8_percent_encode(path, URI_PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding() {
        assert_eq!(uri_path("media/a b/ø.jpg"), "media/a%20b/%C3%B8.jpg");
        assert_eq!(uri_path("a/b-c_d~e.f"), "a/b-c_d~e.f");
    }

    #[test]
    fn lexical_tidy() {
        assert_eq!(
            lexical(Path::new("manifests/demo/../../media/./a.jpg")),
            PathBuf::from("media/a.jpg")
        );
    }
}
