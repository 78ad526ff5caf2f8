//! Finds JPEG markers and reads marker segments (ITU T.81 annex B), without deciding what they hold.

use super::be_u16;

/// T.81 table B.1: start of image.
pub(crate) const SOI: u8 = 0xd8;
/// T.81 table B.1: end of image.
pub(crate) const EOI: u8 = 0xd9;
/// T.81 table B.1: start of scan; entropy-coded data follows its header.
pub(crate) const SOS: u8 = 0xda;

/// A marker: a code byte after one or more 0xFF bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marker {
    /// Where the first 0xFF was found (bytes before it are not a marker).
    pub(crate) ff: usize,
    /// Where the code byte is (after any 0xFF fill bytes).
    pub(crate) at: usize,
    /// The marker code.
    pub(crate) code: u8,
}

impl Marker {
    /// Where the bytes after the code byte start (a segment's length field).
    pub(crate) fn after(&self) -> usize {
        self.at + 1
    }
}

/// The next marker at or after `pos`: the next 0xFF, then any further 0xFF
/// fill bytes (T.81 B.1.1.2), then the code. `None` when the data ends first.
pub(crate) fn next_marker(bytes: &[u8], pos: usize) -> Option<Marker> {
    marker_at(bytes, next_ff(bytes, pos)?)
}

/// Where the next 0xFF at or after `pos` is.
pub(crate) fn next_ff(bytes: &[u8], pos: usize) -> Option<usize> {
    Some(pos + bytes.get(pos..)?.iter().position(|&b| b == 0xff)?)
}

/// The marker whose first 0xFF is at `ff`, after any 0xFF fill bytes;
/// `None` when the data ends before the code byte.
pub(crate) fn marker_at(bytes: &[u8], ff: usize) -> Option<Marker> {
    let mut at = ff + 1;
    while bytes.get(at) == Some(&0xff) {
        at += 1;
    }
    let code = *bytes.get(at)?;
    Some(Marker { ff, at, code })
}

/// Whether a marker is followed by a 2-byte segment length (T.81 table
/// B.1: all but SOI, EOI, TEM and RSTm stand alone; 0xFF00 is a stuffed
/// 0xFF in entropy-coded data, not a marker).
pub(crate) fn has_length(code: u8) -> bool {
    !matches!(code, 0x00 | 0x01 | 0xd0..=0xd9)
}

/// One marker segment (T.81 B.1.1.4): a 2-byte length that counts itself,
/// then the payload.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment<'a> {
    /// The marker that leads the segment.
    pub(crate) marker: Marker,
    /// The payload after the length, cut at the end of the data.
    pub(crate) data: &'a [u8],
    /// Where the segment ends by its length (possibly past the data).
    pub(crate) end: usize,
}

impl Segment<'_> {
    /// Whether the segment's length runs past the end of `bytes`.
    pub(crate) fn cut(&self, bytes: &[u8]) -> bool {
        self.end > bytes.len()
    }

    /// The error to report when the segment is [`cut`](Self::cut).
    pub(crate) fn cut_error(&self) -> SegmentError {
        SegmentError::RunsPastEnd {
            code: self.marker.code,
            at: self.marker.at - 1,
        }
    }
}

/// Why a marker segment could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SegmentError {
    /// The data ends inside the length field.
    #[error("truncated: JPEG segment 0x{code:02X} has no length")]
    NoLength {
        /// The marker code.
        code: u8,
    },
    /// The length is less than the 2 bytes of the length field itself.
    #[error("JPEG segment 0x{code:02X} has impossible length {length}")]
    ImpossibleLength {
        /// The marker code.
        code: u8,
        /// The stated length.
        length: u16,
    },
    /// The length runs past the end of the data.
    #[error("truncated: JPEG segment 0x{code:02X} at offset {at} runs past the end of the file")]
    RunsPastEnd {
        /// The marker code.
        code: u8,
        /// Offset of the marker's last 0xFF.
        at: usize,
    },
}

/// The segment led by `marker` (which [`has_length`]). A segment whose length
/// runs past the end is returned with its payload cut; see [`Segment::cut`].
pub(crate) fn segment(bytes: &[u8], marker: Marker) -> Result<Segment<'_>, SegmentError> {
    let code = marker.code;
    let pos = marker.after();
    let length = be_u16(bytes, pos).ok_or(SegmentError::NoLength { code })?;
    if length < 2 {
        return Err(SegmentError::ImpossibleLength { code, length });
    }
    let end = pos + usize::from(length);
    let data = bytes.get(pos + 2..end.min(bytes.len())).unwrap_or_default();
    Ok(Segment { marker, data, end })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_skip_garbage_and_fill_bytes() {
        let bytes = b"\xff\xd8ab\xff\xff\xff\xe1\0\x04xy\xff";
        let m = next_marker(bytes, 0).unwrap();
        assert_eq!((m.ff, m.at, m.code), (0, 1, SOI));
        let m = next_marker(bytes, 2).unwrap();
        assert_eq!((m.ff, m.at, m.code), (4, 7, 0xe1));
        let s = segment(bytes, m).unwrap();
        assert_eq!((s.data, s.end, s.cut(bytes)), (&b"xy"[..], 12, false));
        assert_eq!(next_marker(bytes, 12), None);
        assert_eq!(next_marker(bytes, 99), None);
    }

    #[test]
    fn segment_errors() {
        let m = |bytes: &[u8]| next_marker(bytes, 0).unwrap();
        let b = b"\xff\xe1\0";
        assert_eq!(
            segment(b, m(b)).unwrap_err(),
            SegmentError::NoLength { code: 0xe1 }
        );
        let b = b"\xff\xe1\0\x01";
        assert_eq!(
            segment(b, m(b)).unwrap_err().to_string(),
            "JPEG segment 0xE1 has impossible length 1"
        );
        let b = b"\xff\xff\xe1\0\x09ab";
        let s = segment(b, m(b)).unwrap();
        assert!(s.cut(b) && s.data == b"ab");
        assert_eq!(
            s.cut_error().to_string(),
            "truncated: JPEG segment 0xE1 at offset 1 runs past the end of the file"
        );
        assert!(!has_length(SOI) && !has_length(0xd3) && has_length(SOS));
    }
}
