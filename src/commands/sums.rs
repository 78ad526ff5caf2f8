//! `cutline verify --sums FILE` (check a folder like `sha256sum -c`, plus unlisted files) and `cutline scan --sums` (write that format).

use std::io::Write;
use std::path::PathBuf;

use crate::commands::{Outcome, stdout_error};
use crate::error::Error;
use crate::report::Format;
use crate::sanitize::for_terminal;
use crate::sums::{self, SumsError};

/// Options of `cutline verify --sums FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The checksum file.
    pub file: PathBuf,
    /// The folder its names are relative to; default: the file's folder.
    pub root: Option<PathBuf>,
    /// Only the text form exists; JSON is refused.
    pub format: Format,
}

/// Checks the folder against the checksum file.
pub fn verify(o: &VerifyOptions, out: &mut dyn Write) -> Result<Outcome, Error> {
    if o.format == Format::Json {
        return Err(SumsError::JsonUnsupported.into());
    }
    let checked = sums::check(&o.file, o.root.as_deref())?;
    sums::report(&checked, out).map_err(stdout_error)?;
    Ok(if checked.passed() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// Writes a `sha256sum` file of every file under `root` to `out`; a file
/// that cannot be read, a folder that cannot be listed and a name no line
/// can hold are each named on standard error and fail the run (exit 1, as
/// `scan` exits for a folder it cannot read): the file must not pass for
/// one that covers every byte.
pub fn write(root: &std::path::Path, out: &mut dyn Write) -> Result<Outcome, Error> {
    let left = sums::write_tree(root, out)?;
    for p in &left.unread_places {
        eprintln!("cutline: skipped {}: {p}", for_terminal(p.shown()));
    }
    for (rel, e) in &left.unread_files {
        eprintln!("cutline: {}: cannot read: {e}", for_terminal(rel));
    }
    for rel in &left.not_utf8 {
        eprintln!(
            "cutline: {}: the name is not UTF-8, so no line can list it",
            for_terminal(rel)
        );
    }
    Ok(if left.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
