//! Reads PNG chunk headers (ISO/IEC 15948, PNG 3rd edition, 5.3): length, type, data, CRC.

use super::{array, be_u32};

/// The PNG signature (PNG 5.2).
pub(crate) const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// PNG 5.3: a chunk's length is at most 2^31 − 1.
pub(crate) const MAX_LENGTH: u32 = 0x7fff_ffff;

/// One chunk, found at a position in the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk<'a> {
    /// The chunk type.
    pub(crate) kind: [u8; 4],
    /// The stated data length.
    pub(crate) length: u32,
    /// Where the data starts.
    pub(crate) data_at: usize,
    /// The data, cut at the end of the file.
    pub(crate) data: &'a [u8],
}

impl Chunk<'_> {
    /// Where the data ends by its length (possibly past the file).
    pub(crate) fn data_end(&self) -> usize {
        usize::try_from(self.length).map_or(usize::MAX, |l| self.data_at.saturating_add(l))
    }

    /// Where the chunk ends, after its 4-byte CRC: the next chunk's position.
    pub(crate) fn end(&self) -> usize {
        self.data_end().saturating_add(4)
    }

    /// Whether the data runs past the end of `bytes`.
    pub(crate) fn cut(&self, bytes: &[u8]) -> bool {
        self.data_end() > bytes.len()
    }
}

/// The chunk whose header is at `pos`; `None` when the 8-byte header is cut off.
pub(crate) fn chunk(bytes: &[u8], pos: usize) -> Option<Chunk<'_>> {
    let (length, kind) = (be_u32(bytes, pos)?, array::<4>(bytes, pos.checked_add(4)?)?);
    let mut c = Chunk {
        kind,
        length,
        data_at: pos + 8,
        data: &[],
    };
    c.data = bytes
        .get(c.data_at..c.data_end().min(bytes.len()))
        .unwrap_or_default();
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_ranges() {
        let bytes = b"\0\0\0\x03IHDRabcCRC!\0\0\0\x09IDATxy";
        let c = chunk(bytes, 0).unwrap();
        assert_eq!(
            (&c.kind, c.data, c.end(), c.cut(bytes)),
            (b"IHDR", &b"abc"[..], 15, false)
        );
        let c = chunk(bytes, 15).unwrap();
        assert_eq!((c.data, c.data_end(), c.cut(bytes)), (&b"xy"[..], 32, true));
        assert!(chunk(bytes, 20).is_none());
        assert!(chunk(bytes, usize::MAX).is_none());
    }
}
