//! Walks TIFF IFDs (TIFF 6.0, BigTIFF, TIFF-based raw) for the image size and the embedded blocks.

use std::collections::HashSet;

use super::{Blocks, ContainerError};
use crate::format::Format;
use crate::structure::tiff::{self as structure, BINARY_DATA_LIMIT, Tiff, type_size};
use crate::structure::{MAX_IFD_DEPTH, MAX_IFDS};

/// At most this many SubIFD offsets are followed from one 0x14A entry.
const MAX_SUB_IFDS: u64 = 32;

/// TIFF 6.0 section 8: NewSubfileType; 0 marks the full-resolution image.
const NEW_SUBFILE_TYPE: u16 = 0x00fe;
/// TIFF 6.0 section 8: SubfileType (old); 1 marks the full-resolution image.
const OLD_SUBFILE_TYPE: u16 = 0x00ff;
/// TIFF 6.0 section 8: ImageWidth.
const IMAGE_WIDTH: u16 = 0x0100;
/// TIFF 6.0 section 8: ImageLength.
const IMAGE_LENGTH: u16 = 0x0101;
/// TIFF Technical Note 1: SubIFDs.
const SUB_IFDS: u16 = 0x014a;
/// XMP spec part 3, 1.1.4: XMP packet in tag 700.
const XMP: u16 = 0x02bc;
/// TIFF/EP and Photoshop: IPTC-NAA record.
const IPTC: u16 = 0x83bb;
/// Photoshop TIFF technical notes: image resource blocks.
const PHOTOSHOP: u16 = 0x8649;
/// EXIF 2.32 4.6.3: Exif IFD pointer.
const EXIF_IFD: u16 = 0x8769;
/// EXIF 2.32 4.6.5: PixelXDimension (ExifTool's ExifImageWidth).
const PIXEL_X: u16 = 0xa002;
/// EXIF 2.32 4.6.5: PixelYDimension (ExifTool's ExifImageHeight).
const PIXEL_Y: u16 = 0xa003;

/// Walks the IFDs of `bytes`, filling `blocks`; the whole file is the EXIF block.
pub(super) fn read(bytes: &[u8], blocks: &mut Blocks) -> Result<(), ContainerError> {
    let (tiff, ifd0) = header(bytes)?;
    let mut walk = Walk {
        tiff,
        blocks,
        visited: HashSet::new(),
        dirs: 0,
        priority_dir: None,
        width: None,
        height: None,
        exif_size: (None, None),
    };
    if tiff.ifd(ifd0).is_err() {
        return Err(ContainerError::corrupt(
            Format::Tiff,
            "IFD0 runs past the end of the file",
        ));
    }
    // IFD0, then the pages linked after it (IFD1, IFD2…).
    let mut next = walk.dir(ifd0, 0, true);
    while let Some(offset) = next.filter(|&o| o != 0) {
        next = walk.dir(offset, 0, true);
    }
    let (width, height) = (walk.width, walk.height);
    let exif_size = walk.exif_size;
    // ExifTool's Composite:ImageSize takes ExifImageWidth/Height for Canon CR2.
    let cr2 = bytes.get(8..10) == Some(b"CR") && bytes.get(10) == Some(&2);
    match exif_size {
        (Some(w), Some(h)) if cr2 && w > 0 && h > 0 => {
            blocks.width = Some(w);
            blocks.height = Some(h);
        }
        _ => {
            blocks.width = width;
            blocks.height = height;
        }
    }
    blocks.exif = Some(bytes.to_vec());
    Ok(())
}

/// TIFF 6.0 section 2 header (and BigTIFF's); returns the IFD0 offset.
fn header(bytes: &[u8]) -> Result<(Tiff<'_>, u64), ContainerError> {
    if bytes.len() < 8 {
        return Err(ContainerError::truncated(
            Format::Tiff,
            "file ends inside the header",
        ));
    }
    let Some(mut tiff) = Tiff::new(bytes) else {
        return Err(ContainerError::corrupt(Format::Tiff, "no byte-order mark"));
    };
    match tiff.magic() {
        // 42 TIFF; ORF "RO"/"RS" and RW2 "U\0" keep the classic layout.
        Some(42 | 0x4f52 | 0x5352 | 0x0055) => Ok((tiff, u64::from(tiff.u32(4).unwrap_or(0)))),
        Some(43) => {
            tiff.big = true;
            let offset = tiff.u64(8).ok_or_else(|| {
                ContainerError::truncated(Format::Tiff, "file ends inside the BigTIFF header")
            })?;
            Ok((tiff, offset))
        }
        _ => Err(ContainerError::corrupt(
            Format::Tiff,
            "unknown TIFF magic number",
        )),
    }
}

/// The field types whose values this walk reads as unsigned integers.
fn is_uint(kind: u16) -> bool {
    matches!(kind, 1 | 3 | 4 | 13 | 16 | 18)
}

/// What the walk has learnt so far.
struct Walk<'a, 'b> {
    tiff: Tiff<'a>,
    blocks: &'b mut Blocks,
    /// IFD offsets already read: a loop guard.
    visited: HashSet<u64>,
    /// IFDs read so far, the index of the next one.
    dirs: usize,
    /// ExifTool's priority directory: the first whose SubfileType says
    /// "full-resolution image"; its ImageWidth/Height override earlier ones.
    priority_dir: Option<usize>,
    width: Option<u32>,
    height: Option<u32>,
    /// ExifImageWidth/Height from the Exif IFD.
    exif_size: (Option<u32>, Option<u32>),
}

impl Walk<'_, '_> {
    /// Reads the IFD at `offset` (ExifTool order: entries in file order,
    /// SubIFDs as they are met). Returns its next-IFD link, or `None` when the
    /// IFD could not be read.
    fn dir(&mut self, offset: u64, depth: u32, chained: bool) -> Option<u64> {
        if !self.visited.insert(offset) {
            self.blocks.warn(format!(
                "TIFF IFD at offset {offset} is linked twice (loop)"
            ));
            return None;
        }
        if self.dirs >= MAX_IFDS {
            self.blocks
                .warn(format!("TIFF walk stopped after {MAX_IFDS} IFDs"));
            return None;
        }
        let index = self.dirs;
        self.dirs += 1;
        let t = self.tiff;
        // ExifTool rejects an IFD whose entries run past the end whole ("Bad
        // IFD0 directory"): its entries would be read from whatever follows.
        let ifd = match t.ifd(offset) {
            Ok(ifd) => ifd,
            Err(e) => {
                self.blocks.warn(e.to_string());
                return None;
            }
        };
        let mut bad_formats = 0;
        let span = (
            offset,
            u64::try_from(ifd.link_at - ifd.at + 4).unwrap_or(u64::MAX),
        );
        for i in 0..ifd.count {
            match self.entry(t.entry(&ifd, i), span, index, depth) {
                Entry::Read => {}
                // ExifTool: a bad field type in the first entry means a corrupt IFD;
                // more than 10 problems abort the IFD.
                // (Type 0 after the first entry is zero padding: skipped quietly.)
                Entry::BadFormat(kind) => {
                    if i == 0 || kind != 0 {
                        self.blocks.warn(format!(
                            "TIFF IFD at offset {offset}: entry {i} has unknown field type {kind}"
                        ));
                    }
                    bad_formats += usize::from(kind != 0);
                    if i == 0 || bad_formats > 10 {
                        return None;
                    }
                }
                // ExifTool stops reading an IFD, and the pages after it, at
                // the first value it cannot read.
                Entry::OutOfFile(tag) => {
                    self.blocks.warn(format!(
                        "TIFF IFD at offset {offset}: value of tag 0x{tag:04X} is out of the file; rest of IFD not read"
                    ));
                    return None;
                }
            }
        }
        if !chained {
            return None;
        }
        let next = t.offset(ifd.link_at);
        if next.is_none() {
            self.blocks.warn(format!(
                "truncated: TIFF IFD at offset {offset} has no next-IFD link"
            ));
        }
        next
    }

    /// One IFD entry.
    fn entry(
        &mut self,
        field: Option<structure::Entry>,
        (ifd, ifd_len): (u64, u64),
        dir: usize,
        depth: u32,
    ) -> Entry {
        let t = self.tiff;
        let Some(field) = field else {
            return Entry::Read;
        };
        let (tag, kind, count) = (field.tag, field.kind, field.count);
        // TIFF 6.0 types 1–12, TN1's IFD (13), BigTIFF's 16–18 in BigTIFF only.
        if !(matches!(kind, 1..=13) || (t.big && matches!(kind, 16..=18))) {
            return Entry::BadFormat(kind);
        }
        let Some(structure::Value { start, len, inline }) =
            type_size(kind).and_then(|unit| t.value(&field, unit))
        else {
            return Entry::OutOfFile(tag);
        };
        let value = usize::try_from(start)
            .ok()
            .zip(usize::try_from(len).ok())
            .and_then(|(s, l)| t.bytes.get(s..s.checked_add(l)?));
        // ExifTool fails on a value past the end of the file, except one of a
        // tag it does not know that is too large to load (> 10 MiB); then it
        // skips a value that points into the header or into the IFD itself.
        if value.is_none() && (len <= BINARY_DATA_LIMIT || (0x00fe..=0x0153).contains(&tag)) {
            return Entry::OutOfFile(tag);
        }
        let ifd_end = ifd.saturating_add(ifd_len);
        let suspicious =
            !inline && (start < 8 || (start < ifd_end && start.saturating_add(len) > ifd));
        if suspicious {
            self.blocks.warn(format!(
                "TIFF tag 0x{tag:04X} has a suspicious value offset {start}"
            ));
        }
        let Some(value) = value.filter(|_| !suspicious) else {
            return Entry::Read;
        };
        if !matches!(
            tag,
            NEW_SUBFILE_TYPE
                | OLD_SUBFILE_TYPE
                | IMAGE_WIDTH
                | IMAGE_LENGTH
                | SUB_IFDS
                | XMP
                | IPTC
                | PHOTOSHOP
                | EXIF_IFD
                | PIXEL_X
                | PIXEL_Y
        ) {
            return Entry::Read;
        }
        // The value lies in the file (checked above), so its start fits usize.
        let at = usize::try_from(start).unwrap_or(usize::MAX);
        let uint = |i: u64| is_uint(kind).then(|| t.uint(kind, at, count, i)).flatten();
        let first = uint(0);
        let first32 = first.and_then(|v| u32::try_from(v).ok());
        match tag {
            NEW_SUBFILE_TYPE if first == Some(0) => {
                self.priority_dir.get_or_insert(dir);
            }
            OLD_SUBFILE_TYPE if first == Some(1) => {
                self.priority_dir.get_or_insert(dir);
            }
            // ExifTool: the first one found, unless the priority directory has one.
            IMAGE_WIDTH if self.width.is_none() || self.priority_dir == Some(dir) => {
                self.width = first32.or(self.width);
            }
            IMAGE_LENGTH if self.height.is_none() || self.priority_dir == Some(dir) => {
                self.height = first32.or(self.height);
            }
            XMP => {
                self.blocks.xmp.get_or_insert_with(|| value.to_vec());
            }
            IPTC => {
                self.blocks.iptc.get_or_insert_with(|| value.to_vec());
            }
            PHOTOSHOP => {
                self.blocks.photoshop.get_or_insert_with(|| value.to_vec());
            }
            SUB_IFDS if depth < MAX_IFD_DEPTH => {
                for i in 0..count.min(MAX_SUB_IFDS) {
                    if let Some(offset) = uint(i) {
                        self.dir(offset, depth + 1, false);
                    }
                }
            }
            EXIF_IFD if depth < MAX_IFD_DEPTH => {
                if let Some(offset) = first {
                    self.dir(offset, depth + 1, false);
                }
            }
            PIXEL_X => self.exif_size.0 = self.exif_size.0.or(first32),
            PIXEL_Y => self.exif_size.1 = self.exif_size.1.or(first32),
            _ => {}
        }
        Entry::Read
    }
}

/// How reading one IFD entry went.
enum Entry {
    /// Read, or of no interest.
    Read,
    /// The field type is not a TIFF one.
    BadFormat(u16),
    /// The value lies (partly) past the end of the file.
    OutOfFile(u16),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{fuzz, read_blocks};

    /// A little-endian classic TIFF builder: IFDs of (tag, type, count, value-bytes).
    struct Builder {
        out: Vec<u8>,
    }

    type Entry<'a> = (u16, u16, u32, &'a [u8]);

    impl Builder {
        fn new() -> Self {
            Builder {
                out: b"II*\0\0\0\0\0".to_vec(),
            }
        }

        /// Appends an IFD; returns its offset. Values longer than 4 bytes go after it.
        fn ifd(&mut self, entries: &[Entry], next: u32) -> u32 {
            let start = u32::try_from(self.out.len()).unwrap();
            let table_len = 2 + 12 * entries.len() + 4;
            let mut extra = Vec::new();
            let mut table = u16::try_from(entries.len()).unwrap().to_le_bytes().to_vec();
            for &(tag, kind, count, value) in entries {
                table.extend_from_slice(&tag.to_le_bytes());
                table.extend_from_slice(&kind.to_le_bytes());
                table.extend_from_slice(&count.to_le_bytes());
                if value.len() <= 4 {
                    let mut v = value.to_vec();
                    v.resize(4, 0);
                    table.extend_from_slice(&v);
                } else {
                    let off = start as usize + table_len + extra.len();
                    table.extend_from_slice(&u32::try_from(off).unwrap().to_le_bytes());
                    extra.extend_from_slice(value);
                }
            }
            table.extend_from_slice(&next.to_le_bytes());
            self.out.extend(table);
            self.out.extend(extra);
            start
        }

        fn set_ifd0(&mut self, offset: u32) {
            self.out[4..8].copy_from_slice(&offset.to_le_bytes());
        }
    }

    fn long(v: u32) -> [u8; 4] {
        v.to_le_bytes()
    }

    fn sample() -> Vec<u8> {
        let mut b = Builder::new();
        let sub = b.ifd(
            &[
                (0xfe, 4, 1, &long(0)),
                (0x100, 4, 1, &long(4000)),
                (0x101, 3, 1, &[0xb8, 0x0b]),
            ],
            0,
        );
        let ifd1 = b.ifd(&[(0x100, 4, 1, &long(10)), (0x101, 4, 1, &long(10))], 0);
        let xmp = b"<x:xmpmeta/>";
        let ifd0 = b.ifd(
            &[
                (0xfe, 4, 1, &long(1)),
                (0x100, 3, 1, &[160, 0]),
                (0x101, 3, 1, &[120, 0]),
                (0x14a, 4, 1, &long(sub)),
                (0x2bc, 1, 12, xmp),
                (0x83bb, 4, 2, b"\x1c\x02\x05\0\0\0\0\0"),
                (0x8649, 7, 6, b"8BIM\x04\x04"),
            ],
            ifd1,
        );
        b.set_ifd0(ifd0);
        b.out
    }

    #[test]
    fn full_resolution_subifd_wins_like_exiftool() {
        let f = sample();
        let b = read_blocks(Format::Tiff, &f).unwrap();
        assert_eq!((b.width, b.height), (Some(4000), Some(3000)));
        assert_eq!(b.xmp.as_deref(), Some(&b"<x:xmpmeta/>"[..]));
        assert_eq!(b.iptc.as_deref(), Some(&b"\x1c\x02\x05\0\0\0\0\0"[..]));
        assert_eq!(b.photoshop.as_deref(), Some(&b"8BIM\x04\x04"[..]));
        assert_eq!(b.exif.as_deref(), Some(&f[..]));
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    }

    #[test]
    fn ifd0_wins_without_subfile_type() {
        let mut b = Builder::new();
        let ifd1 = b.ifd(&[(0x100, 4, 1, &long(10)), (0x101, 4, 1, &long(11))], 0);
        let ifd0 = b.ifd(&[(0x100, 4, 1, &long(17)), (0x101, 4, 1, &long(11))], ifd1);
        b.set_ifd0(ifd0);
        let blocks = read_blocks(Format::Tiff, &b.out).unwrap();
        assert_eq!((blocks.width, blocks.height), (Some(17), Some(11)));
    }

    #[test]
    fn later_page_with_full_resolution_wins() {
        // A reduced-resolution IFD0 then a full-resolution IFD1 (ExifTool's priority directory).
        let mut b = Builder::new();
        let ifd1 = b.ifd(
            &[
                (0xfe, 4, 1, &long(0)),
                (0x100, 4, 1, &long(30)),
                (0x101, 4, 1, &long(31)),
            ],
            0,
        );
        let ifd0 = b.ifd(
            &[
                (0xfe, 4, 1, &long(2)),
                (0x100, 4, 1, &long(10)),
                (0x101, 4, 1, &long(11)),
            ],
            ifd1,
        );
        b.set_ifd0(ifd0);
        let blocks = read_blocks(Format::Tiff, &b.out).unwrap();
        assert_eq!((blocks.width, blocks.height), (Some(30), Some(31)));
    }

    #[test]
    fn page_chain_stops_at_max_ifds() {
        // MAX_IFDS + 5 pages linked one after the other, built last first.
        let mut b = Builder::new();
        let mut next = 0;
        for _ in 0..MAX_IFDS + 5 {
            next = b.ifd(&[(0x100, 4, 1, &long(7))], next);
        }
        b.set_ifd0(next);
        let blocks = read_blocks(Format::Tiff, &b.out).unwrap();
        assert_eq!(blocks.width, Some(7));
        let stop = format!("TIFF walk stopped after {MAX_IFDS} IFDs");
        assert!(blocks.warnings.contains(&stop), "{:?}", blocks.warnings);
    }

    #[test]
    fn sub_ifds_are_followed_to_max_ifd_depth() {
        // IFD0 -> SubIFD -> SubIFD … with the XMP only in the deepest.
        let nested = |depth: u32| {
            let mut b = Builder::new();
            let mut child = b.ifd(&[(0x2bc, 1, 12, b"<x:xmpmeta/>")], 0);
            for _ in 0..depth {
                child = b.ifd(&[(0x14a, 4, 1, &long(child))], 0);
            }
            b.set_ifd0(child);
            read_blocks(Format::Tiff, &b.out).unwrap().xmp
        };
        assert!(nested(MAX_IFD_DEPTH).is_some());
        assert!(nested(MAX_IFD_DEPTH + 1).is_none());
    }

    #[test]
    fn ifd_loop_terminates() {
        let mut b = Builder::new();
        // IFD0 links to itself, and its SubIFD points back at IFD0.
        let at = u32::try_from(b.out.len()).unwrap();
        let ifd0 = b.ifd(&[(0x100, 4, 1, &long(5)), (0x14a, 4, 1, &long(at))], at);
        b.set_ifd0(ifd0);
        let blocks = read_blocks(Format::Tiff, &b.out).unwrap();
        assert_eq!(blocks.width, Some(5));
        assert!(blocks.warnings.iter().any(|w| w.contains("loop")));
    }

    #[test]
    fn ifd_past_end_warns_or_fails() {
        // IFD1 claims 0xFFFF entries: ExifTool-like, it is skipped whole.
        let mut f = b"MM\0*\0\0\0\x08\0\x01".to_vec();
        f.extend_from_slice(&[
            0x01, 0x00, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x40, 0, 0, 0, 0, 0, 0x1a,
        ]);
        f.extend_from_slice(&[
            0xff, 0xff, 0x01, 0x00, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x50, 0, 0,
        ]);
        let b = read_blocks(Format::Tiff, &f).unwrap();
        assert_eq!(b.width, Some(64));
        assert!(
            b.warnings
                .iter()
                .any(|w| w.contains("room for 1: not read"))
        );
        // The same damage in IFD0 leaves nothing to read.
        let mut f = b"MM\0*\0\0\0\x08\xff\xff".to_vec();
        f.extend_from_slice(&[0x01, 0x00, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x40, 0, 0]);
        assert!(read_blocks(Format::Tiff, &f).is_err());
    }

    #[test]
    fn bigtiff_and_cr2() {
        let mut f = b"II+\0\x08\0\0\0\x10\0\0\0\0\0\0\0".to_vec();
        f.extend_from_slice(&1u64.to_le_bytes());
        f.extend_from_slice(&0x100u16.to_le_bytes());
        f.extend_from_slice(&16u16.to_le_bytes());
        f.extend_from_slice(&1u64.to_le_bytes());
        f.extend_from_slice(&70_000u64.to_le_bytes());
        f.extend_from_slice(&0u64.to_le_bytes());
        assert_eq!(read_blocks(Format::Tiff, &f).unwrap().width, Some(70_000));

        let mut b = Builder::new();
        b.out.extend_from_slice(b"CR\x02\0\0\0\0\0");
        let exif = b.ifd(
            &[(0xa002, 4, 1, &long(5184)), (0xa003, 4, 1, &long(3456))],
            0,
        );
        let ifd0 = b.ifd(
            &[
                (0x100, 3, 1, &[0x40, 0x01]),
                (0x101, 3, 1, &[0xf0, 0]),
                (0x8769, 4, 1, &long(exif)),
            ],
            0,
        );
        b.set_ifd0(ifd0);
        let blocks = read_blocks(Format::Tiff, &b.out).unwrap();
        assert_eq!((blocks.width, blocks.height), (Some(5184), Some(3456)));
    }

    #[test]
    fn header_errors() {
        assert!(read_blocks(Format::Tiff, b"II*\0").is_err());
        assert!(read_blocks(Format::Tiff, b"II*\0\xff\0\0\0").is_err());
        assert!(read_blocks(Format::Tiff, b"XX*\0\x08\0\0\0\0\0").is_err());
    }

    #[test]
    fn never_panics() {
        fuzz::never_panics(Format::Tiff, &sample());
    }
}
