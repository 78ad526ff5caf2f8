//! Reads RIFF chunk headers (RFC 9649 2.3 for WebP): a FourCC, a little-endian size, data padded to an even length.

use super::{array, le_u32};

/// One chunk header, found at a position in the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk {
    /// The chunk FourCC.
    pub(crate) kind: [u8; 4],
    /// The stated data size (without the padding byte).
    pub(crate) size: u32,
    /// Where the data starts.
    pub(crate) data_at: usize,
}

impl Chunk {
    /// Where the data ends by its size (possibly past the file).
    pub(crate) fn data_end(&self) -> usize {
        usize::try_from(self.size).map_or(usize::MAX, |s| self.data_at.saturating_add(s))
    }

    /// Where the next chunk starts: RFC 9649 2.4, chunks are padded to an
    /// even size.
    pub(crate) fn padded_end(&self) -> usize {
        let end = self.data_end();
        end.saturating_add(end % 2)
    }
}

/// The chunk header at `pos`; `None` when its 8 bytes are not all there.
pub(crate) fn chunk(bytes: &[u8], pos: usize) -> Option<Chunk> {
    Some(Chunk {
        kind: array::<4>(bytes, pos)?,
        size: le_u32(bytes, pos.checked_add(4)?)?,
        data_at: pos + 8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_ranges() {
        let bytes = b"RIFF\x0d\0\0\0WEBPXMP \x01\0\0\0x\0";
        let c = chunk(bytes, 12).unwrap();
        assert_eq!((&c.kind, c.size, c.data_at), (b"XMP ", 1, 20));
        assert_eq!((c.data_end(), c.padded_end()), (21, 22));
        assert!(chunk(bytes, 16).is_none());
    }
}
