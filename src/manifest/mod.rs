//! The manifest (DESIGN.md §3): its model, reading, writing and path safety.
//!
//! - [`model`]: [`Manifest`], [`Item`], [`Field`] (the newsroom's field names and
//!   their IPTC JSON aliases).
//! - [`mod@load`]: [`load()`] / [`parse`], strict JSON with line and column in every error.
//! - [`save`]: [`to_json`] (stable formatting) and [`save_atomic`].
//! - [`path`]: [`check_path`], [`resolve`], [`nfc`], [`path_key`] (finding M004).

pub mod load;
pub mod model;
pub mod path;
pub mod save;

use std::fmt;
use std::io;
use std::path::PathBuf;

pub use load::{load, load_fixity, parse, parse_bytes};
pub use model::{Field, Item, Manifest, SUPPORTED_VERSIONS};
pub use path::{Resolver, UnsafePath, check_path, path_key, path_key_cow, resolve};
pub use save::{save_atomic, to_json};

/// Why a manifest could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestError {
    /// The file could not be read at all (missing, unreadable, a directory).
    #[error("{}: cannot read the manifest: {source}", path.display())]
    Read {
        /// The manifest file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The file was read but is not a valid v1 manifest.
    #[error("{at}: {problem}")]
    Invalid {
        /// Where: file, line, column and the JSON path inside it.
        at: Location,
        /// What is wrong there.
        problem: Problem,
    },
    /// Writing the manifest failed; the previous file (if any) is untouched,
    /// unless `step` is [`WriteStep::SyncDirectory`] (the rename had happened).
    #[error("{}: cannot {step}: {source}", path.display())]
    Write {
        /// The manifest file being written.
        path: PathBuf,
        /// Which step of the atomic write failed.
        step: WriteStep,
        /// What the operating system said.
        source: io::Error,
    },
}

impl ManifestError {
    /// The location of an [`ManifestError::Invalid`] error, if this is one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            ManifestError::Invalid { at, .. } => Some(at),
            _ => None,
        }
    }
}

/// A place in a manifest file: `path:line:column`, plus the JSON path of the
/// value (`items[3].caption`, empty for the document itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The manifest file as given to [`load()`] / [`parse`].
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters (as editors count them).
    pub column: usize,
    /// JSON path of the offending value, e.g. `items[3].caption`; may be empty.
    pub pointer: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)?;
        if !self.pointer.is_empty() {
            write!(f, ": {}", self.pointer)?;
        }
        Ok(())
    }
}

/// What is wrong with a manifest at a [`Location`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The bytes are not UTF-8. `offset` counts bytes from the start of the file.
    #[error("invalid UTF-8 at byte {offset}; save the manifest as UTF-8")]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The file is UTF-16 (it starts with a UTF-16 byte-order mark).
    #[error("starts with a UTF-16 byte-order mark; save the manifest as UTF-8")]
    Utf16,
    /// Not JSON.
    #[error("{0}")]
    Syntax(Syntax),
    /// The same key twice in one object: JSON parsers silently keep one of
    /// them, which would lose an editor's text.
    #[error("duplicate key \"{key}\" (first at line {first_line}, column {first_column})")]
    DuplicateKey {
        /// The repeated key.
        key: String,
        /// Line of the first occurrence.
        first_line: usize,
        /// Column of the first occurrence.
        first_column: usize,
    },
    /// A field given twice, through its name and an alias (or two aliases).
    #[error("\"{first}\" and \"{second}\" both set the {field} field; keep one")]
    AliasConflict {
        /// The manifest field name.
        field: &'static str,
        /// The key seen first.
        first: &'static str,
        /// The key seen second.
        second: &'static str,
    },
    /// A value of the wrong JSON type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// What this key takes.
        expected: &'static str,
        /// What the file has.
        found: &'static str,
    },
    /// `sha256` / `image_sha256` is not 64 hexadecimal digits.
    #[error("expected a SHA-256: 64 hexadecimal digits")]
    BadHash,
    /// A required key is absent.
    #[error("missing \"{0}\"")]
    MissingKey(&'static str),
    /// The top-level object has no `"cutline"` key: probably not a manifest.
    #[error("missing \"cutline\": 1 (is this a cutline manifest?)")]
    NotAManifest,
    /// `"cutline"` names a version this build does not read.
    #[error(
        "unsupported manifest version {found}; this cutline reads version {}",
        supported()
    )]
    UnsupportedVersion {
        /// The value found, as written.
        found: String,
    },
}

fn supported() -> String {
    let v: Vec<String> = SUPPORTED_VERSIONS.iter().map(u32::to_string).collect();
    v.join(", ")
}

/// A JSON syntax error (RFC 8259).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Syntax {
    /// The text ends inside a value.
    #[error("unexpected end of file")]
    UnexpectedEnd,
    /// No value where one must be.
    #[error("expected a JSON value")]
    ExpectedValue,
    /// Object member without `:`.
    #[error("expected ':' after an object key")]
    ExpectedColon,
    /// Object key is not a string.
    #[error("expected a string key in double quotes")]
    ExpectedKey,
    /// After an object member.
    #[error("expected ',' or '}}' after an object member")]
    ExpectedCommaOrBrace,
    /// After an array element.
    #[error("expected ',' or ']' after an array element")]
    ExpectedCommaOrBracket,
    /// A comma before `}` or `]` (JSON has no trailing commas).
    #[error("trailing comma")]
    TrailingComma,
    /// Unknown `\x` escape.
    #[error("invalid escape in a string")]
    BadEscape,
    /// `\u` not followed by four hex digits.
    #[error("invalid \\u escape in a string")]
    BadUnicodeEscape,
    /// A UTF-16 surrogate escape without its pair.
    #[error("unpaired surrogate in a \\u escape")]
    LoneSurrogate,
    /// A raw control character (U+0000–U+001F) inside a string.
    #[error("control character inside a string (write it as a \\u escape)")]
    ControlInString,
    /// Malformed number.
    #[error("invalid number")]
    BadNumber,
    /// A number JSON allows but a 64-bit float cannot hold.
    #[error("number out of range")]
    NumberOutOfRange,
    /// Nesting deeper than the parser allows (stack safety).
    #[error("nested more than {} levels deep", load::MAX_DEPTH)]
    TooDeep,
    /// Something after the top-level value.
    #[error("trailing characters after the manifest")]
    TrailingCharacters,
}

/// A step of [`save_atomic`], for [`ManifestError::Write`].
pub use crate::atomic::Step as WriteStep;
