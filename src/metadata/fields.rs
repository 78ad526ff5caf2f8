//! Metadata values as one source holds them: tag name → text or list of texts.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One tag's value: a single text, or the items of a repeatable tag
/// (IIM 2:25 Keywords, 2:80 By-line; XMP `rdf:Bag`/`rdf:Seq`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A single text value.
    Text(String),
    /// The items of a repeatable tag, in file order.
    List(Vec<String>),
}

impl Value {
    /// The value as one text: a list's items joined with `"; "`.
    pub fn joined(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::List(v) => v.join("; "),
        }
    }
}

/// Tag name → value for one metadata source. Sorted, so output is stable.
pub type Fields = BTreeMap<String, Value>;

/// Where a piece of metadata (or a problem with it) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The file's container structure (segments, chunks, boxes).
    Container,
    /// EXIF (TIFF-structured IFDs).
    Exif,
    /// IPTC-IIM records, usually inside Photoshop image resources.
    Iptc,
    /// An XMP packet embedded in the file.
    Xmp,
    /// PNG textual chunks (tEXt, iTXt, zTXt).
    Png,
    /// An `.xmp` sidecar file beside the image.
    Sidecar,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Container => "container",
            Source::Exif => "exif",
            Source::Iptc => "iptc",
            Source::Xmp => "xmp",
            Source::Png => "png",
            Source::Sidecar => "sidecar",
        })
    }
}

/// A problem met while reading a block that was still read in part
/// (a damaged block becomes an X003 finding, never an abort).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The block the problem was found in.
    pub source: Source,
    /// What was wrong, for a person.
    pub message: String,
}

impl Warning {
    /// A warning about `source`.
    pub fn new(source: Source, message: impl Into<String>) -> Self {
        Warning {
            source,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.message)
    }
}
