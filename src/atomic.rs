//! Writing a file atomically: a temporary file beside it, written, flushed, renamed over it, its folder flushed.
//!
//! A reader, or a run killed at any instant, sees the old file or the new
//! one, never half of one (docs/design.md §3). Manifests and the contact
//! sheet are written this way; the temporary file is `tempfile`'s, so a name
//! is never reused and an error before the rename removes it.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::Path;

/// A step of [`write`], named in its error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Creating the temporary file next to the target.
    CreateTemp,
    /// Writing, or copying the target's permissions to the temporary file.
    Write,
    /// `fsync` of the temporary file.
    SyncFile,
    /// Renaming the temporary file over the target.
    Rename,
    /// `fsync` of the directory, making the rename durable.
    SyncDirectory,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::CreateTemp => "create a temporary file next to it",
            Step::Write => "write the temporary file",
            Step::SyncFile => "flush the temporary file to disk",
            Step::Rename => "rename the temporary file over it",
            Step::SyncDirectory => "flush its directory to disk",
        })
    }
}

/// The suffix of every temporary file: `.<name>.<random>.cutline-tmp`.
pub const TEMP_SUFFIX: &str = ".cutline-tmp";

/// Writes `bytes` to `path` atomically. The new file keeps the old one's
/// permissions (a group-writable newsroom file stays so); a new file gets
/// what a plain write gives (0666 less the umask), not a temporary file's
/// private 0600. On an error before the rename, `path` is untouched and the
/// temporary file removed; an error at [`Step::SyncDirectory`] comes after
/// the rename.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), (Step, io::Error)> {
    // In the target's own folder, so the rename cannot cross file systems.
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    // Dropped on any error before `persist`, which removes the temporary file.
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| (Step::CreateTemp, e))?;
    tmp.write_all(bytes).map_err(|e| (Step::Write, e))?;
    match fs::metadata(path) {
        Ok(meta) => {
            fs::set_permissions(tmp.path(), meta.permissions()).map_err(|e| (Step::Write, e))?
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err((Step::Write, e)),
    }
    tmp.as_file().sync_all().map_err(|e| (Step::SyncFile, e))?;
    tmp.persist(path).map_err(|e| (Step::Rename, e.error))?;
    sync_dir(dir).map_err(|e| (Step::SyncDirectory, e))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Windows cannot open a directory as a file to flush it; the rename
    // itself is durable once MoveFileEx returns on NTFS.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::dir_entries;

    #[test]
    fn replaces_the_file_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sheet.html");
        fs::write(&target, "old").unwrap();
        write(&target, b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(dir_entries(dir.path()), ["sheet.html"]);
    }

    #[test]
    fn into_a_missing_folder_fails_at_create_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (step, _) = write(&dir.path().join("gone/sheet.html"), b"new").unwrap_err();
        assert_eq!(step, Step::CreateTemp);
        assert!(dir_entries(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_old_mode_and_gives_a_new_file_a_plain_write_s() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept.json");
        fs::write(&kept, "old").unwrap();
        fs::set_permissions(&kept, fs::Permissions::from_mode(0o664)).unwrap();
        write(&kept, b"new").unwrap();
        assert_eq!(
            fs::metadata(&kept).unwrap().permissions().mode() & 0o777,
            0o664
        );

        let plain = dir.path().join("plain");
        fs::write(&plain, "x").unwrap();
        let want = fs::metadata(&plain).unwrap().permissions().mode() & 0o777;
        let fresh = dir.path().join("fresh.html");
        write(&fresh, b"new").unwrap();
        assert_eq!(
            fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
            want
        );
    }
}
