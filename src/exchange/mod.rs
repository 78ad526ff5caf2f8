//! Captions in and out of a manifest: spreadsheets (CSV), ExifTool's CSV and JSON, and stories (HTML, Markdown).
//!
//! One concern per file:
//! - [`cells`]: an item's fields as spreadsheet cells, and back.
//! - [`merge`]: applying incoming values to a manifest, and the per-item diff.
//! - [`csv_export`]: the [`csv_export::Columns`] trait and the manifest-named CSV.
//! - [`exiftool_csv`]: ExifTool's tag names for each field, and its `SourceFile` column.
//! - [`csv_import`]: reading what spreadsheets really produce, matched to the manifest.
//! - [`story`]: figures of an HTML or Markdown story, and the credit split off a printed caption.
//! - [`exiftool_json`]: `exiftool -j -G1` output as the embedded-metadata source.

pub mod cells;
pub mod csv_export;
pub mod csv_import;
pub mod exiftool_csv;
pub mod exiftool_json;
pub mod merge;
pub mod story;

use std::io;
use std::path::PathBuf;

/// Why an import or export could not run (exit code 2). Problems with single
/// rows, columns or figures are [`merge::Notice`]s instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// The input file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The output could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file (`-` for standard output).
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The input is not UTF-8 (a spreadsheet saved as "CSV" in a legacy code page).
    #[error("{}: invalid UTF-8 at byte {offset}; save it as UTF-8 (Excel: \"CSV UTF-8\")", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The input starts with a UTF-16 byte-order mark.
    #[error("{}: UTF-16 text; save it as UTF-8 (Excel: \"CSV UTF-8\")", path.display())]
    Utf16 {
        /// The file.
        path: PathBuf,
    },
    /// The CSV could not be parsed.
    #[error("{}: {source}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// What the CSV reader said (it names the record and line).
        source: csv::Error,
    },
    /// No column names the item: nothing can be matched.
    #[error("{}: no `path` or `SourceFile` column; found: {found}", path.display())]
    NoPathColumn {
        /// The file.
        path: PathBuf,
        /// The header, as read.
        found: String,
    },
    /// The ExifTool JSON is not JSON.
    #[error("{}: not JSON: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// What the JSON reader said.
        source: serde_json::Error,
    },
    /// The JSON is not what `exiftool -j -G1` writes.
    #[error("{}: not `exiftool -j -G1` output: {problem}", path.display())]
    NotExifToolJson {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: &'static str,
    },
    /// No manifest was named and the default folder holds several.
    #[error("{}: holds {count} manifests; name one with -m", dir.display())]
    ManyManifests {
        /// The folder searched.
        dir: PathBuf,
        /// How many it holds.
        count: usize,
    },
    /// The folder a new manifest's `root` should name could not be resolved.
    #[error("{}: cannot resolve folder: {source}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
}

/// Reads `path` as UTF-8 text, dropping a UTF-8 byte-order mark (Excel writes
/// one in "CSV UTF-8") and refusing UTF-16 with a clear message.
pub fn read_text(path: &std::path::Path) -> Result<String, ExchangeError> {
    let bytes = std::fs::read(path).map_err(|source| ExchangeError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    text_of(bytes, path)
}

/// The text of `bytes` read from `path` (see [`read_text`]).
pub fn text_of(mut bytes: Vec<u8>, path: &std::path::Path) -> Result<String, ExchangeError> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(ExchangeError::Utf16 {
            path: path.to_path_buf(),
        });
    }
    let bom = if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        bytes.drain(..3);
        3
    } else {
        0
    };
    String::from_utf8(bytes).map_err(|e| ExchangeError::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to() + bom,
    })
}
