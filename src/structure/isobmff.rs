//! Iterates ISOBMFF boxes (ISO/IEC 14496-12 4.2), as laid out in HEIF, AVIF, JPEG 2000 and JPEG XL files.

use std::fmt;

use super::{array, be_u32, be_u64};

/// A four-character code (box type), printed as text for messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct FourCc(pub(crate) [u8; 4]);

impl fmt::Debug for FourCc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&String::from_utf8_lossy(&self.0), f)
    }
}

/// One box: its type and its payload (after the size/type header).
#[derive(Clone, Copy)]
pub(crate) struct Bmff<'a> {
    /// The four-character box type.
    pub(crate) kind: [u8; 4],
    /// Where the payload starts, counted from the start of the iterated data.
    pub(crate) body_at: usize,
    /// The payload, cut at the end of the iterated data if the box overran it.
    pub(crate) body: &'a [u8],
    /// The size field was 0: the box runs to the end of the enclosing data
    /// (14496-12 4.2), which a reader may or may not accept.
    pub(crate) to_end: bool,
    /// The box's size runs past the end of the iterated data; `body` is what
    /// is there, and it is the last box yielded.
    pub(crate) cut: bool,
}

impl Bmff<'_> {
    /// Whether the box's size was stated and lies wholly in the data.
    pub(crate) fn whole(&self) -> bool {
        !self.to_end && !self.cut
    }
}

/// Why the box iteration stopped early.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum BoxError {
    /// Fewer than 8 bytes were left for a box header.
    #[error("truncated: box header at offset {at} is cut off")]
    HeaderCut {
        /// Offset of the box in the iterated data.
        at: usize,
    },
    /// Size 1 announced a 64-bit size that is not there.
    #[error("truncated: box at offset {at} lacks its 64-bit size")]
    LargeSizeCut {
        /// Offset of the box in the iterated data.
        at: usize,
    },
    /// The size is smaller than the box header itself.
    #[error("box {kind:?} at offset {at} has impossible size {size}")]
    ImpossibleSize {
        /// The box type.
        kind: FourCc,
        /// Offset of the box in the iterated data.
        at: usize,
        /// The size it states.
        size: u64,
    },
    /// The box runs past the end of the data (it was still yielded, cut).
    #[error("truncated: box {kind:?} at offset {at} runs past the end")]
    RunsPastEnd {
        /// The box type.
        kind: FourCc,
        /// Offset of the box in the iterated data.
        at: usize,
    },
}

/// Iterates the boxes laid end to end in some data. Stops at the first box
/// whose header is damaged, after yielding (cut) the first one whose size
/// runs past the end; [`Boxes::error`] then says why. Allocates nothing.
pub(crate) struct Boxes<'a> {
    data: &'a [u8],
    pos: usize,
    /// Set when a box ran past the end of the data or had an impossible size.
    pub(crate) error: Option<BoxError>,
}

impl<'a> Boxes<'a> {
    /// The boxes laid end to end in `data`.
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Boxes {
            data,
            pos: 0,
            error: None,
        }
    }
}

impl<'a> Iterator for Boxes<'a> {
    type Item = Bmff<'a>;

    fn next(&mut self) -> Option<Bmff<'a>> {
        if self.error.is_some() || self.pos >= self.data.len() {
            return None;
        }
        let at = self.pos;
        let (Some(size), Some(kind)) = (be_u32(self.data, at), array::<4>(self.data, at + 4))
        else {
            self.error = Some(BoxError::HeaderCut { at });
            return None;
        };
        // 14496-12 4.2: size 1 means a 64-bit largesize follows; 0 means "to
        // the end of the enclosing data".
        let (header, size, to_end): (usize, u64, bool) = match size {
            1 => match be_u64(self.data, at + 8) {
                Some(large) => (16, large, false),
                None => {
                    self.error = Some(BoxError::LargeSizeCut { at });
                    return None;
                }
            },
            0 => (8, (self.data.len() - at) as u64, true),
            n => (8, u64::from(n), false),
        };
        if size < header as u64 {
            self.error = Some(BoxError::ImpossibleSize {
                kind: FourCc(kind),
                at,
                size,
            });
            return None;
        }
        let end = usize::try_from(size).map_or(usize::MAX, |s| at.saturating_add(s));
        let cut = end > self.data.len();
        if cut {
            self.error = Some(BoxError::RunsPastEnd {
                kind: FourCc(kind),
                at,
            });
        }
        self.pos = end;
        let body_at = at + header;
        let body = self
            .data
            .get(body_at..end.min(self.data.len()))
            .unwrap_or_default();
        Some(Bmff {
            kind,
            body_at,
            body,
            to_end,
            cut,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(size: u32, kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = size.to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn boxes_end_to_end() {
        let mut data = bx(12, b"ftyp", b"heic");
        data.extend(bx(9, b"free", b"x"));
        let boxes: Vec<_> = Boxes::new(&data).collect();
        assert_eq!(boxes.len(), 2);
        assert_eq!(&boxes[0].kind, b"ftyp");
        assert_eq!(boxes[0].body, b"heic");
        assert_eq!(boxes[1].body_at, 20);
        assert!(boxes.iter().all(Bmff::whole));
    }

    #[test]
    fn size_zero_runs_to_the_end() {
        let data = bx(0, b"mdat", b"abc");
        let mut boxes = Boxes::new(&data);
        let b = boxes.next().unwrap();
        assert!(b.to_end && !b.whole());
        assert_eq!(b.body, b"abc");
        assert!(boxes.next().is_none() && boxes.error.is_none());
    }

    #[test]
    fn large_size() {
        let mut data = bx(1, b"mdat", &17u64.to_be_bytes());
        data.push(7);
        let b = Boxes::new(&data).next().unwrap();
        assert_eq!((b.body_at, b.body), (16, &[7][..]));
        let mut boxes = Boxes::new(&data[..12]);
        assert!(boxes.next().is_none());
        assert_eq!(boxes.error, Some(BoxError::LargeSizeCut { at: 0 }));
    }

    #[test]
    fn damage_stops_with_a_typed_error() {
        let data = bx(4, b"meta", b"");
        let mut boxes = Boxes::new(&data);
        assert!(boxes.next().is_none());
        assert_eq!(
            boxes.error.unwrap().to_string(),
            "box \"meta\" at offset 0 has impossible size 4"
        );

        let data = bx(u32::MAX, b"mdat", b"abc");
        let mut boxes = Boxes::new(&data);
        let b = boxes.next().unwrap();
        assert!(b.cut && b.body == b"abc");
        assert!(boxes.next().is_none());
        assert_eq!(
            boxes.error.unwrap().to_string(),
            "truncated: box \"mdat\" at offset 0 runs past the end"
        );

        let mut boxes = Boxes::new(b"\0\0\0\x10ft");
        assert!(boxes.next().is_none());
        assert_eq!(boxes.error, Some(BoxError::HeaderCut { at: 0 }));
    }
}
