//! The part of a scanned file that `check` reads, as bytes for the hash cache: a re-check of an unchanged file then costs a `stat`, not a read.
//!
//! Only what `check`'s rules look at is kept (format, size, dimensions, the
//! reconciled fields, conflicts, warnings, the IPTC flags), never the
//! per-source tag maps. The bytes start with the version of the cutline that
//! read the file, so a newer reader never trusts an older one's reading: a
//! record of another version is a miss and the file is read again.

use serde::{Deserialize, Serialize};

use crate::format::Format;
use crate::metadata::fields::{Source, Warning};
use crate::metadata::reconcile::field_name;
use crate::metadata::{Conflict, Effective};
use crate::scan::Scanned;

/// Which reader wrote a record: the crate version and the record layout.
const READER: &str = concat!("cutline ", env!("CARGO_PKG_VERSION"), " record 1");

/// A conflict with its field named by text (a [`Conflict`] borrows a static name).
#[derive(Serialize, Deserialize)]
struct StoredConflict {
    field: String,
    values: std::collections::BTreeMap<Source, String>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    reader: String,
    format: Format,
    width: Option<u32>,
    height: Option<u32>,
    effective: Effective,
    conflicts: Vec<StoredConflict>,
    warnings: Vec<Warning>,
    iptc_stale: Option<bool>,
    has_iptc: bool,
}

/// The bytes to cache for `s`, or `None` when it must not be cached: a file
/// that is no readable image, changed while read, or was only read in part
/// is read again next time rather than remembered.
pub fn encode(s: &Scanned, whole: bool) -> Option<Vec<u8>> {
    let format = s.format?;
    if s.error.is_some() || s.changed_while_read || !whole {
        return None;
    }
    let stored = Stored {
        reader: READER.to_owned(),
        format,
        width: s.width,
        height: s.height,
        effective: s.effective().clone(),
        conflicts: s
            .conflicts
            .iter()
            .map(|c| StoredConflict {
                field: c.field.to_owned(),
                values: c.values.clone(),
            })
            .collect(),
        warnings: s.warnings.clone(),
        iptc_stale: s.iptc_stale,
        has_iptc: s.has_iptc,
    };
    serde_json::to_vec(&stored).ok()
}

/// The record of the file at `path` (relative) of `size` bytes with the
/// cached hashes, from bytes [`encode`] wrote; `None` for bytes of another
/// reader or any other shape (a miss, never a verdict).
pub fn decode(
    bytes: &[u8],
    path: String,
    size: u64,
    sha256: String,
    image_sha256: Option<String>,
) -> Option<Scanned> {
    let stored: Stored = serde_json::from_slice(bytes).ok()?;
    if stored.reader != READER {
        return None;
    }
    let conflicts = stored
        .conflicts
        .into_iter()
        .map(|c| {
            Some(Conflict {
                field: field_name(&c.field)?,
                values: c.values,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let mut s = Scanned::empty(path);
    s.format = Some(stored.format);
    s.size = size;
    s.width = stored.width;
    s.height = stored.height;
    s.sha256 = Some(sha256);
    s.image_sha256 = image_sha256;
    s.effective = Some(Box::new(stored.effective));
    s.conflicts = conflicts;
    s.warnings = stored.warnings;
    s.iptc_stale = stored.iptc_stale;
    s.has_iptc = stored.has_iptc;
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn sample() -> Scanned {
        let mut s = Scanned::empty("a/b.jpg".into());
        s.format = Some(Format::Jpeg);
        s.size = 1234;
        s.width = Some(640);
        s.height = Some(480);
        s.sha256 = Some("ab".repeat(32));
        s.effective_mut().caption = Some("Boats at dawn.".into());
        s.effective_mut().credit = Some("(Screenshot/".into());
        s.effective_mut().creator = vec!["Jane Doe".into()];
        s.conflicts = vec![Conflict {
            field: "caption",
            values: BTreeMap::from([(Source::Exif, "a".into()), (Source::Xmp, "b".into())]),
        }];
        s.warnings = vec![Warning::new(Source::Iptc, "odd")];
        s.iptc_stale = Some(true);
        s.has_iptc = true;
        s
    }

    #[test]
    fn a_record_round_trips_with_everything_check_reads() {
        let s = sample();
        let bytes = encode(&s, true).unwrap();
        let back = decode(&bytes, s.path.clone(), s.size, "ab".repeat(32), None).unwrap();
        assert_eq!(back.format, s.format);
        assert_eq!(
            (back.size, back.width, back.height),
            (1234, Some(640), Some(480))
        );
        assert_eq!(back.effective(), s.effective());
        assert_eq!(back.conflicts, s.conflicts);
        assert_eq!(back.warnings, s.warnings);
        assert_eq!((back.iptc_stale, back.has_iptc), (Some(true), true));
        assert_eq!(back.sha256, s.sha256);
    }

    #[test]
    fn what_must_be_read_again_is_not_stored() {
        let mut s = sample();
        assert!(encode(&s, false).is_none(), "read in part");
        s.changed_while_read = true;
        assert!(encode(&s, true).is_none());
        let mut s = sample();
        s.format = None;
        assert!(encode(&s, true).is_none(), "not an image");
    }

    #[test]
    fn another_reader_or_damage_is_a_miss() {
        let s = sample();
        let bytes = encode(&s, true).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let older = text.replace(READER, "cutline 0.0.1 record 1");
        let d = |b: &[u8]| decode(b, "x".into(), 1, "00".repeat(32), None);
        assert!(d(older.as_bytes()).is_none());
        assert!(d(&bytes[..bytes.len() / 2]).is_none());
        assert!(d(b"").is_none());
        let unknown_field = text.replace("\"field\":\"caption\"", "\"field\":\"mood\"");
        assert!(d(unknown_field.as_bytes()).is_none());
    }
}
