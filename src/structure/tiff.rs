//! Reads TIFF structure (TIFF 6.0 section 2, BigTIFF): byte order, IFDs, entries and where their values lie.

use super::array;

/// ExifTool's `BINARY_DATA_LIMIT` (Exif.pm): a value larger than this is not
/// loaded unless ExifTool knows its tag, so a file is not rejected for one
/// that runs past its end. Both IFD walks mimic ExifTool on this point.
pub(crate) const BINARY_DATA_LIMIT: u64 = 10 * 1024 * 1024;

/// Whether `data` starts with a classic TIFF header (TIFF 6.0 section 2:
/// byte order, then 42).
pub(crate) fn is_header(data: &[u8]) -> bool {
    data.starts_with(b"II*\0") || data.starts_with(b"MM\0*")
}

/// The byte order and layout of one TIFF structure.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tiff<'a> {
    /// The whole TIFF structure; offsets count from its start.
    pub(crate) bytes: &'a [u8],
    /// `II` byte order.
    pub(crate) little: bool,
    /// BigTIFF: 8-byte counts and offsets, 20-byte entries.
    pub(crate) big: bool,
}

/// Why an IFD could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum IfdError {
    /// The offset is at or past the end of the data.
    #[error("TIFF IFD offset {offset} is past the end of the file")]
    PastEnd {
        /// The IFD offset.
        offset: u64,
    },
    /// The data ends inside the entry count.
    #[error("truncated: TIFF IFD at offset {offset} has no entry count")]
    NoCount {
        /// The IFD offset.
        offset: u64,
    },
    /// The entry table would run past the end of the data.
    #[error(
        "truncated: TIFF IFD at offset {offset} has {count} entries but room for {room}: not read"
    )]
    TooManyEntries {
        /// The IFD offset.
        offset: u64,
        /// The stated entry count.
        count: usize,
        /// How many entries the data has room for.
        room: usize,
    },
}

/// An IFD whose entry table lies wholly in the data (TIFF 6.0 section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ifd {
    /// Where the IFD starts (its entry count).
    pub(crate) at: usize,
    /// The number of entries.
    pub(crate) count: usize,
    /// Where the first entry starts.
    pub(crate) entries_at: usize,
    /// Where the next-IFD offset is (just after the entries; it may be cut off).
    pub(crate) link_at: usize,
}

/// One IFD entry's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// The tag.
    pub(crate) tag: u16,
    /// The field type.
    pub(crate) kind: u16,
    /// The number of values.
    pub(crate) count: u64,
    /// Where the value field (the value itself, or its offset) is.
    pub(crate) field_at: usize,
}

/// Where an entry's value lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Value {
    /// Its offset: the value field itself when inline.
    pub(crate) start: u64,
    /// Its length in bytes.
    pub(crate) len: u64,
    /// Whether it fits in the value field (TIFF 6.0 section 2).
    pub(crate) inline: bool,
}

/// The size of one value of a field type: TIFF 6.0 section 2 (1–12), TIFF
/// Technical Note 1 (13, IFD), BigTIFF (16–18) and Exif 3.0 (129, UTF-8).
/// Which of these a reader accepts is its own choice.
pub(crate) fn type_size(kind: u16) -> Option<u64> {
    Some(match kind {
        1 | 2 | 6 | 7 | 129 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 | 16..=18 => 8,
        _ => return None,
    })
}

impl<'a> Tiff<'a> {
    /// The classic-layout TIFF in `bytes`, by its byte-order mark (TIFF 6.0
    /// section 2: `II` or `MM`); `None` without one.
    pub(crate) fn new(bytes: &'a [u8]) -> Option<Self> {
        let little = match bytes.get(..2)? {
            b"II" => true,
            b"MM" => false,
            _ => return None,
        };
        Some(Tiff {
            bytes,
            little,
            big: false,
        })
    }

    /// The 16-bit number after the byte-order mark (42 for TIFF, 43 for BigTIFF).
    pub(crate) fn magic(&self) -> Option<u16> {
        self.u16(2)
    }

    /// A `u16` in the file's byte order.
    pub(crate) fn u16(&self, at: usize) -> Option<u16> {
        let b = array(self.bytes, at)?;
        Some(if self.little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }

    /// A `u32` in the file's byte order.
    pub(crate) fn u32(&self, at: usize) -> Option<u32> {
        let b = array(self.bytes, at)?;
        Some(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    /// A `u64` in the file's byte order.
    pub(crate) fn u64(&self, at: usize) -> Option<u64> {
        let b = array(self.bytes, at)?;
        Some(if self.little {
            u64::from_le_bytes(b)
        } else {
            u64::from_be_bytes(b)
        })
    }

    /// An offset or count: 8 bytes in BigTIFF, else 4.
    pub(crate) fn offset(&self, at: usize) -> Option<u64> {
        if self.big {
            self.u64(at)
        } else {
            self.u32(at).map(u64::from)
        }
    }

    /// Size of an IFD entry.
    pub(crate) fn entry_len(&self) -> usize {
        if self.big { 20 } else { 12 }
    }

    /// The IFD at `offset`, if its entry count and whole entry table lie in
    /// the data. The entry count is bounded by the bytes present, never by
    /// the field alone.
    pub(crate) fn ifd(&self, offset: u64) -> Result<Ifd, IfdError> {
        let Some(at) = usize::try_from(offset)
            .ok()
            .filter(|&a| a < self.bytes.len())
        else {
            return Err(IfdError::PastEnd { offset });
        };
        let count = if self.big {
            self.u64(at)
                .map(|c| usize::try_from(c).unwrap_or(usize::MAX))
        } else {
            self.u16(at).map(usize::from)
        };
        let count = count.ok_or(IfdError::NoCount { offset })?;
        let entries_at = at + if self.big { 8 } else { 2 };
        let room = self.bytes.len().saturating_sub(entries_at) / self.entry_len();
        if count > room {
            return Err(IfdError::TooManyEntries {
                offset,
                count,
                room,
            });
        }
        Ok(Ifd {
            at,
            count,
            entries_at,
            link_at: entries_at + count * self.entry_len(),
        })
    }

    /// The `index`th entry of `ifd` (`None` past its count).
    pub(crate) fn entry(&self, ifd: &Ifd, index: usize) -> Option<Entry> {
        if index >= ifd.count {
            return None;
        }
        self.entry_at(ifd.entries_at + index * self.entry_len())
    }

    /// The entry whose fields start at `at`.
    pub(crate) fn entry_at(&self, at: usize) -> Option<Entry> {
        let (tag, kind) = (self.u16(at)?, self.u16(at + 2)?);
        let count = self.offset(at + 4)?;
        let field_at = at + if self.big { 12 } else { 8 };
        Some(Entry {
            tag,
            kind,
            count,
            field_at,
        })
    }

    /// Where the value of `entry` lies, `unit` bytes per value: inline when
    /// it fits in the value field, else at the offset the field holds (TIFF
    /// 6.0 section 2). `None` for a length past `u64` or an offset cut off.
    pub(crate) fn value(&self, entry: &Entry, unit: u64) -> Option<Value> {
        let len = unit.checked_mul(entry.count)?;
        let field = u64::try_from(entry.field_at).ok()?;
        if len <= if self.big { 8 } else { 4 } {
            return Some(Value {
                start: field,
                len,
                inline: true,
            });
        }
        Some(Value {
            start: self.offset(entry.field_at)?,
            len,
            inline: false,
        })
    }

    /// The `index`th of `count` integers of field type `kind` stored from
    /// `at`, if non-negative: BYTE, SHORT, LONG, IFD, LONG8, IFD8 and their
    /// signed kin (TIFF 6.0 section 2, TIFF TN1, BigTIFF). `None` for other
    /// types, a negative value, `index ≥ count` or bytes past the end.
    pub(crate) fn uint(&self, kind: u16, at: usize, count: u64, index: u64) -> Option<u64> {
        if index >= count {
            return None;
        }
        let i = usize::try_from(index).ok()?;
        let pos = |unit: usize| at.checked_add(i.checked_mul(unit)?);
        match kind {
            1 => self.bytes.get(pos(1)?).map(|&v| u64::from(v)),
            6 => u64::try_from(*self.bytes.get(pos(1)?)? as i8).ok(),
            3 => self.u16(pos(2)?).map(u64::from),
            8 => u64::try_from(self.u16(pos(2)?)? as i16).ok(),
            4 | 13 => self.u32(pos(4)?).map(u64::from),
            9 => u64::try_from(self.u32(pos(4)?)? as i32).ok(),
            16 | 18 => self.u64(pos(8)?),
            17 => u64::try_from(self.u64(pos(8)?)? as i64).ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_and_numbers() {
        let t = Tiff::new(b"MM\0*\0\0\0\x08").unwrap();
        assert_eq!(
            (t.magic(), t.u32(4), t.offset(4)),
            (Some(42), Some(8), Some(8))
        );
        assert!(Tiff::new(b"XX*\0").is_none());
        let t = Tiff::new(b"II*\0\x08\0\0\0").unwrap();
        assert_eq!(t.u32(4), Some(8));
        assert_eq!(t.u32(6), None);
    }

    #[test]
    fn ifd_entries_and_values() {
        // IFD0 at 8: one SHORT inline, one LONG×2 out of line at 38.
        let mut f = b"II*\0\x08\0\0\0\x02\0".to_vec();
        f.extend_from_slice(&[0x00, 0x01, 3, 0, 1, 0, 0, 0, 0x40, 0, 0, 0]);
        f.extend_from_slice(&[0x11, 0x01, 4, 0, 2, 0, 0, 0, 38, 0, 0, 0]);
        f.extend_from_slice(&[0, 0, 0, 0]);
        f.extend_from_slice(&[7, 0, 0, 0, 9, 0, 0, 0]);
        let t = Tiff::new(&f).unwrap();
        let ifd = t.ifd(8).unwrap();
        assert_eq!((ifd.count, ifd.entries_at, ifd.link_at), (2, 10, 34));
        let e = t.entry(&ifd, 0).unwrap();
        assert_eq!((e.tag, e.kind, e.count), (0x100, 3, 1));
        let v = t.value(&e, 2).unwrap();
        assert!(v.inline);
        assert_eq!(t.uint(e.kind, e.field_at, e.count, 0), Some(64));
        let e = t.entry(&ifd, 1).unwrap();
        let v = t.value(&e, type_size(e.kind).unwrap()).unwrap();
        assert_eq!(
            v,
            Value {
                start: 38,
                len: 8,
                inline: false
            }
        );
        assert_eq!(t.uint(4, 38, 2, 1), Some(9));
        assert_eq!(t.uint(4, 38, 2, 2), None);
        assert_eq!(t.uint(9, 38, 2, 0), Some(7));
        assert!(t.entry(&ifd, 2).is_none());
    }

    #[test]
    fn ifd_errors() {
        let t = Tiff::new(b"MM\0*\0\0\0\x08\xff\xff\0\0").unwrap();
        assert_eq!(t.ifd(99), Err(IfdError::PastEnd { offset: 99 }));
        assert_eq!(t.ifd(11), Err(IfdError::NoCount { offset: 11 }));
        assert_eq!(
            t.ifd(8).unwrap_err().to_string(),
            "truncated: TIFF IFD at offset 8 has 65535 entries but room for 0: not read"
        );
        // Signed values below zero are not offsets.
        let t = Tiff::new(b"II\xff\xff").unwrap();
        assert_eq!(t.uint(8, 2, 1, 0), None);
        assert_eq!(t.uint(3, 2, 1, 0), Some(0xffff));
    }
}
