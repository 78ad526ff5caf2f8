//! BagIt (RFC 8493): validating bags the way the RFC says, and making them; one file per concern.
//!
//! [`validate::validate`] reads a bag without ever opening a path outside
//! it and returns every [`Problem`] with its file and line;
//! [`create::create`] makes a bag from a folder. Problems become findings
//! ([`Problem::finding`]) that the one report stack (`crate::report`) prints.

pub mod bagit_txt;
pub mod create;
pub mod fetch_file;
pub mod manifest_file;
pub mod problem;
pub mod tag_file;
pub mod validate;

use std::io;
use std::path::PathBuf;

pub use problem::{Kind, Problem};
pub use validate::{Validation, validate};

/// Why a bag could not be validated or made at all (exit 2). Problems in
/// a bag being validated are [`Problem`]s instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BagError {
    /// The folder could not be opened.
    #[error("{}: cannot open: {source}", path.display())]
    Open {
        /// As given.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// Not a folder.
    #[error("{}: not a folder", path.display())]
    NotDir {
        /// As given.
        path: PathBuf,
    },
    /// `cutline bag` never writes into an existing path.
    #[error("{}: already exists; cutline bag makes a new folder", path.display())]
    Exists {
        /// The bag asked for.
        path: PathBuf,
    },
    /// The bag would be inside the folder being bagged.
    #[error("{}: is inside the folder being bagged", path.display())]
    InsideSource {
        /// The bag asked for.
        path: PathBuf,
    },
    /// Two source names equal after Unicode NFC or case folding.
    #[error(
        "`{first}` and `{second}` are the same name after Unicode NFC or case folding; rename one before bagging"
    )]
    Collision {
        /// The first name.
        first: String,
        /// The name that collides with it.
        second: String,
    },
    /// A source name that is not UTF-8: no manifest could list it.
    #[error("{}: the name is not UTF-8, so a manifest cannot list it", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// A symbolic link or special file in the source: not bagged silently.
    #[error("{}: {what}; cutline bag takes regular files only", path.display())]
    Special {
        /// The entry.
        path: PathBuf,
        /// What it is.
        what: &'static str,
    },
    /// A place under the source the walk could not read (a folder
    /// unreadable or past PATH_MAX…): a bag made without it would silently
    /// leave files out.
    #[error("{}: {problem}; a bag made without it would leave files out", path.display())]
    Incomplete {
        /// The place, under the source.
        path: PathBuf,
        /// What the walk met there.
        problem: crate::walk::Problem,
    },
    /// Reading or writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
}
