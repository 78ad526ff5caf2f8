//! The errors that stop a command from running (exit code 2); per-file problems are findings instead.

use std::io;
use std::path::PathBuf;

/// Why a command could not run at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The media root could not be resolved.
    #[error("{}: cannot open media root: {source}", path.display())]
    Root {
        /// The root as given.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// A folder walk could not start (its root unusable).
    #[error(transparent)]
    Walk(#[from] crate::walk::WalkError),
    /// A manifest could not be read, parsed or written.
    #[error(transparent)]
    Manifest(#[from] crate::manifest::ManifestError),
    /// No manifest was named and none was found.
    #[error("no manifest given and none found in {}", dir.display())]
    NoManifest {
        /// The folder searched (`./manifests`).
        dir: PathBuf,
    },
    /// `init` refused to replace an existing manifest.
    #[error("{}: already exists; pass --force to replace it", path.display())]
    WouldOverwrite {
        /// The manifest that exists.
        path: PathBuf,
    },
    /// A policy (the manifest's `policy` or `--policy FILE`) is unreadable or invalid.
    #[error(transparent)]
    Policy(#[from] crate::policy::PolicyError),
    /// A bag could not be validated or made at all.
    #[error(transparent)]
    Bag(#[from] crate::bagit::BagError),
    /// A checksum file could not be read or written at all.
    #[error(transparent)]
    Sums(#[from] crate::sums::SumsError),
    /// An import or export could not run (`cutline import`, `cutline export`).
    #[error(transparent)]
    Exchange(#[from] crate::exchange::ExchangeError),
    /// Reading or writing a file or stream failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file involved (`-` for standard output).
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
}
