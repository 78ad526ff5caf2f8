//! What a walk could not list, as data: each place with a kind the commands decide on, and the errors that stop a walk before it starts.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why a walk could not start: the root itself is unusable. Everything
/// below the root that cannot be read is a [`Problem`] instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WalkError {
    /// The root could not be resolved.
    #[error("{}: cannot open media root: {source}", path.display())]
    Root {
        /// The root as given.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// The root is not a folder.
    #[error("{}: media root is not a folder", path.display())]
    RootNotDir {
        /// The root as given.
        path: PathBuf,
    },
}

/// What kind of place the walk left out. The first five are holes: there
/// may be files there the listing does not show ([`ProblemKind::is_hole`]);
/// the rest are left out by design and say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A folder that could not be listed: permission denied, an I/O error
    /// while reading its entries.
    Unreadable,
    /// A path longer than the OS takes (PATH_MAX, ENAMETOOLONG): what is
    /// below it cannot be opened by its path.
    TooLong,
    /// A name its folder listed that was gone when the walk came to it.
    Vanished,
    /// An entry whose type could not be learned (the `lstat` failed).
    Unexamined,
    /// A symbolic link that points at nothing, or at a loop.
    BrokenLink,
    /// A symbolic link whose target is outside the bound; never followed
    /// (docs/design.md §3: never leave the root through a symlink).
    LinkOutside,
    /// A symbolic link to a folder; never entered, which also rules out loops.
    LinkedFolder,
    /// A FIFO, socket or device (or a link to one): no bytes to read.
    Special,
}

impl ProblemKind {
    /// The walk could not see what is there, so a file may be missing from
    /// the listing: no command may pass such a walk as complete.
    pub fn is_hole(self) -> bool {
        matches!(
            self,
            ProblemKind::Unreadable
                | ProblemKind::TooLong
                | ProblemKind::Vanished
                | ProblemKind::Unexamined
                | ProblemKind::BrokenLink
        )
    }

    /// The stable kebab-case name (`too-long`).
    pub fn name(self) -> &'static str {
        match self {
            ProblemKind::Unreadable => "unreadable",
            ProblemKind::TooLong => "too-long",
            ProblemKind::Vanished => "vanished",
            ProblemKind::Unexamined => "unexamined",
            ProblemKind::BrokenLink => "broken-link",
            ProblemKind::LinkOutside => "link-outside",
            ProblemKind::LinkedFolder => "linked-folder",
            ProblemKind::Special => "special",
        }
    }

    /// The kind an I/O error on a path stands for: ENAMETOOLONG and ENOENT
    /// have kinds of their own, anything else is `otherwise`.
    pub(crate) fn of(err: &io::Error, otherwise: ProblemKind) -> ProblemKind {
        match err.kind() {
            io::ErrorKind::InvalidFilename => ProblemKind::TooLong,
            io::ErrorKind::NotFound => ProblemKind::Vanished,
            _ => otherwise,
        }
    }
}

/// One place the walk left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The path relative to the root, `/`-separated (lossy for names that
    /// are not UTF-8); empty for the root itself.
    pub rel: String,
    /// What kind of place it is.
    pub kind: ProblemKind,
    /// What the OS said, when it said something (`Permission denied (os
    /// error 13)`); empty when the kind says it all.
    pub detail: String,
}

impl Problem {
    /// A problem of `kind` at `rel` with what the OS said.
    pub(crate) fn new(rel: String, kind: ProblemKind, detail: impl fmt::Display) -> Self {
        Problem {
            rel,
            kind,
            detail: detail.to_string(),
        }
    }

    /// A place left out by design, nothing more to say.
    pub(crate) fn by_design(rel: String, kind: ProblemKind) -> Self {
        Problem {
            rel,
            kind,
            detail: String::new(),
        }
    }

    /// `rel`, or `.` for the root, for messages.
    pub fn shown(&self) -> &str {
        if self.rel.is_empty() { "." } else { &self.rel }
    }
}

/// Why, for a person: `cannot list the folder: Permission denied (os
/// error 13)`. The path is the caller's to add.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.kind {
            ProblemKind::Unreadable => "cannot list the folder",
            ProblemKind::TooLong => "path too long for the OS to open (PATH_MAX)",
            ProblemKind::Vanished => "vanished while the folder was walked",
            ProblemKind::Unexamined => "cannot examine",
            ProblemKind::BrokenLink => "broken symlink",
            ProblemKind::LinkOutside => "symlink leads outside the root; not followed",
            ProblemKind::LinkedFolder => "a symbolic link to a folder; not entered",
            ProblemKind::Special => "not a regular file (FIFO, socket or device); not read",
        };
        if self.detail.is_empty() {
            f.write_str(why)
        } else {
            write!(f, "{why}: {}", self.detail)
        }
    }
}
