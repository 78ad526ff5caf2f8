//! TIFF image-data bytes as ExifTool 13 hashes them: the strips, tiles and
//! other image blocks each IFD points to, IFD by IFD, in ExifTool's order.
//!
//! Replays `Image::ExifTool::Exif::ProcessExif` (Exif.pm) as far as it
//! decides what is hashed, and `AddImageDataHash` (WriteExif.pl):
//! - `$doHash` holds for every IFD of a TIFF file read with base 0 and not
//!   in maker notes: IFD0 and its chain (IFD1, IFD2…), SubIFDs (0x14a) and
//!   their chain, ExifIFD, InteropIFD, GlobalParametersIFD, ProfileIFD;
//! - the hash of an IFD is added when the IFD is finished, so the sub-IFDs
//!   it points to come first and the next IFD in the chain comes after;
//! - within an IFD, the image-data tags with their byte-count partner
//!   (`OffsetPair`) are taken in `sort keys` order of the decimal tag IDs:
//!   StripOffsets 273, TileOffsets 324, 0xbcc0 48320, 0xbcc2 48322, 0x201
//!   513; each offset/count pair is fed (clipped at end of file); a zero,
//!   missing or negative value skips the pair;
//! - which variant of 0x111 / 0x201 applies (so whether it is image data)
//!   follows the `Condition`s of `%Image::ExifTool::Exif::Main`: e.g.
//!   JPEG-compressed (7) strips of a TIFF are image data only when
//!   SubfileType is 0, IFD1's 0x201 is the thumbnail (not hashed);
//! - an IFD ExifTool gives up on (bad first entry format, more than 10
//!   warnings, a value past end of file, illegal size) adds nothing, and
//!   stops its chain.
//!
//! ExifTool picks the TIFF "type" (NEF, ARW…) from the file name extension,
//! which this module does not see: files are treated as a `.tif` would be,
//! except that CR2 is recognised by its header and raw compressions by
//! `IdentifyRawFile`, as ExifTool does. BigTIFF, Panasonic RW2, Olympus ORF
//! and HD Photo headers are `Unsupported`.

use super::{Feed, Walk};
use crate::imagehash::ImageHashError;
use crate::structure::tiff::{BINARY_DATA_LIMIT, Tiff, type_size};
use crate::structure::{MAX_IFD_DEPTH, MAX_IFDS};

/// `@formatSize` in Exif.pm as `ProcessExif` applies it to a classic TIFF:
/// types 1–13 and 129 (UTF-8, Exif 3.0); anything else is a "Bad format".
fn format_size(fmt: u16) -> Option<u64> {
    if matches!(fmt, 1..=13 | 129) {
        type_size(fmt)
    } else {
        None
    }
}

/// `%intFormat` in Exif.pm, restricted to the classic TIFF types.
fn is_int_format(fmt: u16) -> bool {
    matches!(fmt, 1 | 3 | 4 | 6 | 8 | 9 | 13)
}

/// The IDs of `%Image::ExifTool::Exif::Main` (ExifTool 13.59) whose values
/// ExifTool reads even when over `BINARY_DATA_LIMIT`: every tag except the
/// unconditional `Binary`/`Unknown` ones without a SubDirectory. Sorted.
/// (Generated with perl from `GetTagTable('Image::ExifTool::Exif::Main')`.)
#[rustfmt::skip]
const READ_WHEN_LARGE: [u16; 565] = [
    0x0001, 0x0002, 0x000b, 0x00fe, 0x00ff, 0x0100, 0x0101, 0x0102, 0x0103, 0x0106,
    0x0107, 0x0108, 0x0109, 0x010a, 0x010d, 0x010e, 0x010f, 0x0110, 0x0111, 0x0112,
    0x0115, 0x0116, 0x0117, 0x0118, 0x0119, 0x011a, 0x011b, 0x011c, 0x011d, 0x011e,
    0x011f, 0x0120, 0x0121, 0x0122, 0x0124, 0x0125, 0x0128, 0x0129, 0x012c, 0x0131,
    0x0132, 0x013b, 0x013c, 0x013d, 0x013e, 0x013f, 0x0141, 0x0142, 0x0143, 0x0144,
    0x0145, 0x0146, 0x0147, 0x0148, 0x014a, 0x014c, 0x014d, 0x014e, 0x0150, 0x0151,
    0x0152, 0x0153, 0x0154, 0x0155, 0x0156, 0x0157, 0x0158, 0x0159, 0x015a, 0x015f,
    0x0190, 0x0191, 0x0192, 0x0193, 0x0194, 0x0195, 0x01b1, 0x01b2, 0x01b3, 0x0200,
    0x0201, 0x0202, 0x0203, 0x0205, 0x0206, 0x0207, 0x0208, 0x0209, 0x0211, 0x0212,
    0x0213, 0x0214, 0x022f, 0x02bc, 0x0303, 0x03e7, 0x1000, 0x1001, 0x1002, 0x4746,
    0x4747, 0x4748, 0x4749, 0x5001, 0x5002, 0x5003, 0x5004, 0x5005, 0x5006, 0x5007,
    0x5008, 0x5009, 0x500a, 0x500b, 0x500c, 0x500d, 0x500e, 0x500f, 0x5010, 0x5012,
    0x5013, 0x5014, 0x5015, 0x5016, 0x5017, 0x5018, 0x5019, 0x5020, 0x5021, 0x5022,
    0x5023, 0x5024, 0x5025, 0x5026, 0x5027, 0x5028, 0x5029, 0x502a, 0x502b, 0x502c,
    0x502d, 0x502e, 0x502f, 0x5030, 0x5031, 0x5032, 0x5033, 0x5034, 0x5035, 0x5036,
    0x5037, 0x5038, 0x5039, 0x503a, 0x503b, 0x5090, 0x5091, 0x5100, 0x5101, 0x5102,
    0x5103, 0x5104, 0x5110, 0x5111, 0x5112, 0x5113, 0x7000, 0x7010, 0x7031, 0x7032,
    0x7034, 0x7035, 0x7036, 0x7037, 0x7038, 0x7310, 0x7313, 0x74c7, 0x74c8, 0x800d,
    0x80a6, 0x80b9, 0x80ba, 0x80bb, 0x80bc, 0x80e3, 0x80e4, 0x80e5, 0x80e6, 0x8214,
    0x8215, 0x8216, 0x8217, 0x8218, 0x8219, 0x821a, 0x827d, 0x828d, 0x828e, 0x828f,
    0x8290, 0x8298, 0x829a, 0x829d, 0x82a5, 0x82a6, 0x82a7, 0x82a8, 0x82a9, 0x82aa,
    0x82ab, 0x82ac, 0x830e, 0x8335, 0x8336, 0x835c, 0x835d, 0x835e, 0x835f, 0x83bb,
    0x847e, 0x847f, 0x8480, 0x8481, 0x8482, 0x84e0, 0x84e1, 0x84e2, 0x84e3, 0x84e4,
    0x84e5, 0x84e6, 0x84e7, 0x84e8, 0x84e9, 0x84ea, 0x84eb, 0x84ec, 0x84ed, 0x84ee,
    0x84ef, 0x84f0, 0x8546, 0x8568, 0x85b8, 0x85d7, 0x85d8, 0x8602, 0x8606, 0x8649,
    0x8769, 0x8773, 0x877f, 0x8780, 0x8781, 0x8782, 0x87ac, 0x87be, 0x8822, 0x8824,
    0x8825, 0x8827, 0x8829, 0x882a, 0x882b, 0x8830, 0x8831, 0x8832, 0x8833, 0x8834,
    0x8835, 0x885c, 0x885d, 0x885e, 0x8871, 0x888a, 0x9000, 0x9003, 0x9004, 0x9009,
    0x9010, 0x9011, 0x9012, 0x9101, 0x9102, 0x9201, 0x9202, 0x9203, 0x9204, 0x9205,
    0x9206, 0x9207, 0x9208, 0x9209, 0x920a, 0x920b, 0x920c, 0x920d, 0x920e, 0x920f,
    0x9210, 0x9211, 0x9212, 0x9213, 0x9214, 0x9215, 0x9216, 0x9217, 0x923a, 0x923b,
    0x923c, 0x923f, 0x927c, 0x9286, 0x9287, 0x9290, 0x9291, 0x9292, 0x932f, 0x935c,
    0x9400, 0x9401, 0x9402, 0x9403, 0x9404, 0x9405, 0x9999, 0x9a00, 0x9c9b, 0x9c9c,
    0x9c9d, 0x9c9e, 0x9c9f, 0xa000, 0xa001, 0xa002, 0xa003, 0xa004, 0xa005, 0xa010,
    0xa011, 0xa101, 0xa20b, 0xa20c, 0xa20d, 0xa20e, 0xa20f, 0xa210, 0xa211, 0xa212,
    0xa213, 0xa214, 0xa215, 0xa216, 0xa217, 0xa300, 0xa301, 0xa302, 0xa401, 0xa402,
    0xa403, 0xa404, 0xa405, 0xa406, 0xa407, 0xa408, 0xa409, 0xa40a, 0xa40c, 0xa40d,
    0xa40e, 0xa40f, 0xa410, 0xa411, 0xa412, 0xa420, 0xa430, 0xa431, 0xa432, 0xa433,
    0xa434, 0xa435, 0xa436, 0xa437, 0xa438, 0xa439, 0xa43a, 0xa43b, 0xa43c, 0xa460,
    0xa461, 0xa462, 0xa480, 0xa481, 0xa500, 0xafc0, 0xafc1, 0xafc2, 0xafc3, 0xafc4,
    0xafc5, 0xbc01, 0xbc02, 0xbc03, 0xbc04, 0xbc80, 0xbc81, 0xbc82, 0xbc83, 0xbcc0,
    0xbcc1, 0xbcc2, 0xbcc3, 0xbcc4, 0xbcc5, 0xc427, 0xc428, 0xc429, 0xc42a, 0xc4a5,
    0xc519, 0xc51b, 0xc573, 0xc580, 0xc5e0, 0xc612, 0xc613, 0xc614, 0xc615, 0xc616,
    0xc617, 0xc619, 0xc61a, 0xc61b, 0xc61c, 0xc61d, 0xc61e, 0xc61f, 0xc620, 0xc621,
    0xc622, 0xc623, 0xc624, 0xc625, 0xc626, 0xc627, 0xc628, 0xc629, 0xc62a, 0xc62b,
    0xc62c, 0xc62d, 0xc62e, 0xc62f, 0xc630, 0xc631, 0xc632, 0xc633, 0xc634, 0xc635,
    0xc640, 0xc65a, 0xc65b, 0xc65c, 0xc65d, 0xc660, 0xc68b, 0xc68c, 0xc68d, 0xc68e,
    0xc68f, 0xc690, 0xc691, 0xc692, 0xc6bf, 0xc6c5, 0xc6d2, 0xc6d3, 0xc6f3, 0xc6f4,
    0xc6f5, 0xc6f6, 0xc6f7, 0xc6f8, 0xc6f9, 0xc6fa, 0xc6fb, 0xc6fc, 0xc6fd, 0xc6fe,
    0xc714, 0xc715, 0xc716, 0xc717, 0xc718, 0xc719, 0xc71a, 0xc71b, 0xc71c, 0xc71d,
    0xc71e, 0xc71f, 0xc725, 0xc726, 0xc761, 0xc763, 0xc764, 0xc772, 0xc789, 0xc791,
    0xc792, 0xc793, 0xc7a1, 0xc7a3, 0xc7a4, 0xc7a5, 0xc7a6, 0xc7a7, 0xc7a8, 0xc7aa,
    0xc7b5, 0xc7d5, 0xc7e9, 0xc7ea, 0xc7eb, 0xc7ec, 0xc7ed, 0xc7ee, 0xcd2e, 0xcd30,
    0xcd31, 0xcd32, 0xcd33, 0xcd34, 0xcd35, 0xcd36, 0xcd37, 0xcd38, 0xcd39, 0xcd3a,
    0xcd41, 0xcd43, 0xcd44, 0xcd47, 0xcd48, 0xcd49, 0xcd4a, 0xcd4b, 0xcea1, 0xea1d,
    0xfde8, 0xfde9, 0xfdea, 0xfe00, 0xfe4c, 0xfe4d, 0xfe4e, 0xfe51, 0xfe52, 0xfe53,
    0xfe54, 0xfe55, 0xfe56, 0xfe57, 0xfe58,
];

/// ExifTool's `$$self{TIFF_TYPE}` values that change a `Condition`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TiffType {
    Tiff,
    Cr2,
    /// Canon 1D RAW, ExifMeta, DCP: none of the conditions single them out.
    OtherHeader,
    Arw,
    Srw,
    Kdc,
    Nef,
    Nrw,
    Dcr,
    Pef,
}

/// `$$self{DIR_NAME}` as far as the conditions look at it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Dir {
    /// IFD0, IFD1, … (the main chain).
    Ifd(u32),
    /// "SubIFD" (0), "SubIFD1", "SubIFD2", …
    Sub(u32),
    /// ExifIFD, InteropIFD, GlobParamIFD, ProfileIFD.
    Other,
}

/// A tag's values where they lie in the file, decoded on demand (so no
/// allocation sized by an untrusted count).
#[derive(Clone, Copy, Debug)]
struct Vals {
    fmt: u16,
    count: u32,
    pos: usize,
}

/// The tags `AddImageDataHash` looks at, in its `sort keys` order:
/// (offsets tag, byte-counts tag).
const PAIRS: [(u16, u16); 5] = [
    (0x111, 0x117),   // "273"   StripOffsets / StripByteCounts
    (0x144, 0x145),   // "324"   TileOffsets / TileByteCounts
    (0xbcc0, 0xbcc1), // "48320" ImageOffset / ImageByteCount
    (0xbcc2, 0xbcc3), // "48322" AlphaOffset / AlphaByteCount
    (0x201, 0x202),   // "513"   JpgFromRaw / OtherImage (0x201/0x202)
];

/// Per-IFD `%offsetInfo`: slot per tag of `PAIRS`, (is image data, values).
#[derive(Default)]
struct OffsetInfo {
    offsets: [Option<(bool, Vals)>; 5],
    counts: [Option<Vals>; 5],
}

struct Walker<'a, 'f> {
    feed: &'f mut Feed<'a>,
    t: Tiff<'a>,
    tiff_type: TiffType,
    identified_raw: bool,
    /// `$$self{PROCESSED}`: IFD addresses already read.
    processed: Vec<u64>,
    dirs_left: usize,
}

/// Where an IFD ended: the position of its next-IFD pointer and how many of
/// its 4 bytes were there (`$bytesFromEnd`).
struct DirEnd {
    next_ptr: usize,
    bytes_from_end: usize,
}

pub(super) fn walk(feed: &mut Feed) -> Walk {
    let b = feed.bytes;
    // DoProcessTIFF (ExifTool.pm): byte order, identifier, IFD0 offset ≥ 8.
    let Some(t) = Tiff::new(b) else {
        return Walk::Bad(ImageHashError::BadSignature("TIFF"));
    };
    let (Some(ident), Some(ifd0)) = (t.magic(), t.u32(4)) else {
        return Walk::Bad(ImageHashError::BadSignature("TIFF"));
    };
    if ifd0 < 8 {
        return Walk::Bad(ImageHashError::BadSignature("TIFF"));
    }
    let mut tiff_type = TiffType::Tiff;
    let mut header_len = 8u64;
    match ident {
        0x2a if ifd0 >= 16 => {
            // Canon CR2 (or other) signature after the header.
            let Some(sig) = b.get(8..16) else {
                return Walk::Bad(ImageHashError::BadSignature("TIFF"));
            };
            header_len = 16;
            if sig.starts_with(b"CR\x02\0") {
                tiff_type = TiffType::Cr2;
            } else if sig.starts_with(b"\xba\xb0\xac\xbb") || sig == b"ExifMeta" {
                tiff_type = TiffType::OtherHeader;
            }
        }
        0x2a => {}
        // BigTIFF (ProcessBTF: no hash), Panasonic RW2/RAW (PanasonicRaw
        // table), Olympus ORF (own file type), HD Photo.
        0x2b | 0x55 | 0x4f52 | 0x5352 => return Walk::Unsupported,
        _ if t.little && ident & 0xff == 0xbc => return Walk::Unsupported,
        0x4352 => tiff_type = TiffType::OtherHeader, // DCP profile
        _ => {}
    }
    let mut w = Walker {
        feed,
        t,
        tiff_type,
        identified_raw: false,
        processed: Vec::new(),
        dirs_left: MAX_IFDS,
    };
    // ProcessDirectory records an address only if DirLen is non-zero; for
    // IFD0 DirLen = header bytes read − offset.
    let record = u64::from(ifd0) != header_len;
    w.process_dir(Dir::Ifd(0), None, u64::from(ifd0), true, record, 0);
    Walk::Done
}

impl Walker<'_, '_> {
    /// Value `i` of `v` as ExifTool's `ReadValue` would print it, if that
    /// matches `/^\d+$/` (a non-negative integer); `None` otherwise.
    fn uint(&self, v: Vals, i: u32) -> Option<u64> {
        self.t.uint(v.fmt, v.pos, u64::from(v.count), u64::from(i))
    }

    /// `$$self{Compression} eq 'N'` (or SubfileType): a single integer.
    fn single_eq(&self, v: Option<Vals>, n: u64) -> bool {
        v.is_some_and(|v| v.count == 1 && self.uint(v, 0) == Some(n))
    }

    /// One IFD, as `ProcessDirectory` + `ProcessExif`. Returns where it
    /// ended, or `None` when ExifTool would return 0 for it.
    fn process_dir(
        &mut self,
        name: Dir,
        parent: Option<Dir>,
        off: u64,
        multi: bool,
        record: bool,
        depth: u32,
    ) -> Option<DirEnd> {
        if self.dirs_left == 0 || depth > MAX_IFD_DEPTH {
            return None;
        }
        self.dirs_left -= 1;
        // "pointer references previous … directory"
        if self.processed.contains(&off) {
            return None;
        }
        if record {
            self.processed.push(off);
        }
        // "Bad … directory": entry count and entries must be readable; the
        // next-IFD pointer may be cut (0 or 2 of its bytes are tolerated).
        let ifd = self.t.ifd(off).ok()?;
        let dir_end = ifd.link_at; // absolute end of the entries
        let bytes_from_end = self.t.bytes.len().saturating_sub(dir_end).min(4);
        if bytes_from_end < 4 && bytes_from_end != 0 && bytes_from_end != 2 {
            return None; // "Illegal … directory size"
        }
        let buf_end = dir_end + bytes_from_end; // absolute end of the bytes read

        let mut info = OffsetInfo::default();
        let mut compression: Option<Vals> = None;
        let mut subfile: Option<Vals> = None;
        let mut warn_count = 0u32;
        for index in 0..ifd.count {
            if warn_count > 10 {
                return None; // "Too many warnings -- … parsing aborted"
            }
            let field = self.t.entry(&ifd, index)?;
            let (tag, mut fmt) = (field.tag, field.kind);
            // A classic TIFF entry has a 4-byte count.
            let count = u32::try_from(field.count).ok()?;
            let Some(fsize) = format_size(fmt) else {
                // "Bad format"; a corrupt first entry kills the IFD.
                if fmt != 0 {
                    warn_count += 1;
                }
                if index == 0 {
                    return None;
                }
                continue;
            };
            let value = self.t.value(&field, fsize)?;
            let size = value.len;
            let mut pos = field.field_at;
            let mut readable = true;
            if !value.inline {
                if size > 0x7fff_ffff {
                    warn_count += 1; // "Invalid size"
                    continue;
                }
                let ptr = value.start;
                // Offsets into the header or over the IFD are "Suspicious"
                // (a warning, and the entry is skipped).
                let mut suspect = ptr < 8;
                if ptr < dir_end as u64 && ptr + size > off {
                    suspect = true;
                }
                let in_buffer = ptr >= off && ptr + size <= buf_end as u64;
                if !in_buffer {
                    if size > BINARY_DATA_LIMIT && READ_WHEN_LARGE.binary_search(&tag).is_err() {
                        // Unknown or binary tag: "Binary data N bytes", not read.
                        readable = false;
                    } else if ptr + size > self.t.bytes.len() as u64 {
                        return None; // "Error reading value": IFD dropped
                    }
                }
                if suspect {
                    warn_count += 1;
                    continue;
                }
                pos = usize::try_from(ptr).ok()?;
            }
            // "treat single unknown byte as int8u"
            if fmt == 7 && count == 1 {
                fmt = 1;
            }
            // "Ignoring … with excessive count"
            if count > 100_000 && fmt != 2 && fmt != 7 {
                continue;
            }
            if !readable {
                continue;
            }
            let vals = Vals { fmt, count, pos };
            match tag {
                0xfe => subfile = Some(vals),
                0x103 => {
                    compression = Some(vals);
                    self.identify_raw_file(vals);
                }
                0x111 | 0x144 | 0x201 | 0xbcc0 | 0xbcc2 => {
                    // IsOffset: "Wrong format" for non-integer types.
                    if !is_int_format(fmt) {
                        continue;
                    }
                    let image = self.is_image_data(tag, name, parent, compression, subfile);
                    if let Some(slot) = PAIRS.iter().position(|p| p.0 == tag) {
                        info.offsets[slot] = Some((image, vals));
                    }
                }
                0x117 | 0x145 | 0x202 | 0xbcc1 | 0xbcc3 => {
                    if let Some(slot) = PAIRS.iter().position(|p| p.1 == tag) {
                        info.counts[slot] = Some(vals);
                    }
                }
                0x14a | 0x8769 | 0xa005 | 0x190 | 0xc6f5 => {
                    if !is_int_format(fmt) || size == 0 {
                        continue;
                    }
                    // MaxSubdirs: 10 for SubIFD and ProfileIFD, 1 for GPS-like
                    // ones; without it (ExifIFD) only a single value is valid.
                    let max = match tag {
                        0x14a | 0xc6f5 => 10,
                        0xa005 | 0x190 => 1,
                        _ if count == 1 => 1,
                        _ => 0,
                    };
                    for k in 0..count.min(max) {
                        let Some(sub) = self.uint(vals, k) else {
                            continue;
                        };
                        let child = if tag == 0x14a {
                            Dir::Sub(k)
                        } else {
                            Dir::Other
                        };
                        let multi = child == Dir::Sub(0);
                        self.process_dir(child, Some(name), sub, multi, true, depth + 1);
                    }
                }
                _ => {}
            }
        }
        self.add_image_data_hash(&info);

        let here = DirEnd {
            next_ptr: dir_end,
            bytes_from_end,
        };
        if multi && bytes_from_end >= 4 {
            self.follow_chain(name, &here, depth);
        }
        Some(here)
    }

    /// The next-IFD chain of IFD0 or SubIFD (ProcessExif, "scan for
    /// subsequent IFD's"): SubIFD1 must pass `ValidateIFD`.
    fn follow_chain(&mut self, first: Dir, start: &DirEnd, depth: u32) {
        let mut name = first;
        let mut next_ptr = start.next_ptr;
        for _ in 0..MAX_IFDS {
            let Some(next) = self.t.u32(next_ptr) else {
                return;
            };
            if next == 0 {
                return;
            }
            name = match name {
                Dir::Ifd(k) => Dir::Ifd(k.saturating_add(1)),
                Dir::Sub(k) => Dir::Sub(k.saturating_add(1)),
                Dir::Other => return,
            };
            if name == Dir::Sub(1) && !self.validate_ifd(u64::from(next)) {
                return; // "Ignored bad IFD linked from SubIFD"
            }
            match self.process_dir(name, None, u64::from(next), false, true, depth) {
                Some(end) if end.bytes_from_end >= 4 => next_ptr = end.next_ptr,
                _ => return,
            }
        }
    }

    /// `ValidateIFD` (WriteExif.pl): 2–63 entries, increasing tag IDs,
    /// formats 1–13, non-zero counts.
    fn validate_ifd(&self, off: u64) -> bool {
        let Ok(start) = usize::try_from(off) else {
            return false;
        };
        let Some(n) = self.t.u16(start) else {
            return false;
        };
        if !(2..64).contains(&n) {
            return false;
        }
        let mut last: i32 = -1;
        for i in 0..usize::from(n) {
            // Entries are read one by one: the table may run past the end.
            let Some(e) = self.t.entry_at(start + 2 + self.t.entry_len() * i) else {
                return false;
            };
            if i32::from(e.tag) <= last || !(1..=13).contains(&e.kind) || e.count == 0 {
                return false;
            }
            last = i32::from(e.tag);
        }
        true
    }

    /// `IdentifyRawFile` (Exif.pm): a raw compression names the TIFF type.
    fn identify_raw_file(&mut self, comp: Vals) {
        if self.identified_raw || comp.count != 1 {
            return;
        }
        let t = match self.uint(comp, 0) {
            Some(32767) => TiffType::Arw,
            Some(32770) => TiffType::Srw,
            Some(32867) => TiffType::Kdc,
            Some(34713) => TiffType::Nef,
            Some(65000) => TiffType::Dcr,
            Some(65535) => TiffType::Pef,
            _ => return,
        };
        self.tiff_type = t;
        self.identified_raw = true;
    }

    /// Whether the variant of an offsets tag that ExifTool picks here has
    /// `IsImageData` (the `Condition`s of 0x111 and 0x201 in Exif::Main).
    fn is_image_data(
        &mut self,
        tag: u16,
        dir: Dir,
        parent: Option<Dir>,
        comp: Option<Vals>,
        subfile: Option<Vals>,
    ) -> bool {
        let tt = self.tiff_type;
        match tag {
            0x111 => {
                // OtherImageStart (DNG lossy JPEG), PreviewJXLStart.
                if self.single_eq(comp, 34892) || self.single_eq(comp, 52546) {
                    return true;
                }
                let cr2_ifd0 = tt == TiffType::Cr2 && dir == Dir::Ifd(0);
                let jpeg_not_main =
                    tt == TiffType::Tiff && self.single_eq(comp, 7) && !self.single_eq(subfile, 0);
                if !cr2_ifd0 && !jpeg_not_main {
                    return true; // StripOffsets
                }
                // PreviewImageStart, except JpgFromRawStart in SubIFD2.
                tt != TiffType::Cr2 && dir == Dir::Sub(2)
            }
            0x201 => {
                // ThumbnailOffset's condition renames a NEF with a JPEG
                // IFD0 to NRW as a side effect.
                if tt == TiffType::Nef && dir == Dir::Ifd(0) && self.single_eq(comp, 6) {
                    self.tiff_type = TiffType::Nrw;
                }
                let tt = self.tiff_type;
                let thumb = dir == Dir::Ifd(1)
                    || (dir == Dir::Ifd(0) && matches!(tt, TiffType::Nrw | TiffType::Arw))
                    || (tt == TiffType::Srw && dir == Dir::Sub(0) && parent == Some(Dir::Ifd(1)));
                !thumb
            }
            _ => true,
        }
    }

    /// `AddImageDataHash` (WriteExif.pl) for one finished IFD.
    fn add_image_data_hash(&mut self, info: &OffsetInfo) {
        for slot in 0..PAIRS.len() {
            let (Some((true, offs)), Some(sizes)) = (info.offsets[slot], info.counts[slot]) else {
                continue;
            };
            for i in 0..offs.count {
                let (Some(o), Some(s)) = (self.uint(offs, i), self.uint(sizes, i)) else {
                    continue;
                };
                if s > 0 {
                    self.feed.add_file(o, s);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Format;
    use crate::imagehash::testkit::{hex_of, never_panics};
    use crate::imagehash::{ImageHash, image_sha256};

    /// A little-endian TIFF builder: one IFD0 with the given entries
    /// (tag, type, count, value-or-offset), data appended by the caller.
    struct Tb {
        v: Vec<u8>,
    }

    impl Tb {
        fn new() -> Self {
            Tb {
                v: b"II*\0\x08\0\0\0".to_vec(),
            }
        }
        fn ifd(&mut self, entries: &[(u16, u16, u32, u32)], next: u32) {
            self.v
                .extend_from_slice(&u16::try_from(entries.len()).unwrap().to_le_bytes());
            for &(t, f, c, val) in entries {
                self.v.extend_from_slice(&t.to_le_bytes());
                self.v.extend_from_slice(&f.to_le_bytes());
                self.v.extend_from_slice(&c.to_le_bytes());
                self.v.extend_from_slice(&val.to_le_bytes());
            }
            self.v.extend_from_slice(&next.to_le_bytes());
        }
    }

    /// 4×2 8-bit grey, two strips of 4 bytes each, plus an ImageDescription
    /// (`desc`, 8 bytes, stored out of line).
    fn two_strip_tiff(desc: &[u8; 8], pixels: &[u8; 8]) -> Vec<u8> {
        let mut t = Tb::new();
        // IFD0 at 8 with 10 entries: 2 + 120 + 4 = 126 bytes → data at 134.
        let desc_at = 134u32;
        let offs_at = desc_at + 8;
        let counts_at = offs_at + 8;
        let pix_at = counts_at + 8;
        t.ifd(
            &[
                (0x100, 3, 1, 4),
                (0x101, 3, 1, 2),
                (0x102, 3, 1, 8),
                (0x103, 3, 1, 1),
                (0x106, 3, 1, 1),
                (0x10e, 2, 8, desc_at),
                (0x111, 4, 2, offs_at),
                (0x115, 3, 1, 1),
                (0x116, 3, 1, 1),
                (0x117, 4, 2, counts_at),
            ],
            0,
        );
        t.v.extend_from_slice(desc);
        t.v.extend_from_slice(&pix_at.to_le_bytes());
        t.v.extend_from_slice(&(pix_at + 4).to_le_bytes());
        t.v.extend_from_slice(&4u32.to_le_bytes());
        t.v.extend_from_slice(&4u32.to_le_bytes());
        t.v.extend_from_slice(pixels);
        t.v
    }

    /// 16×16 8-bit grey in one 16×16 tile (256 bytes).
    fn tiled_tiff(fill: u8) -> Vec<u8> {
        let mut t = Tb::new();
        // 10 entries: IFD ends at 8 + 126 = 134 → tile data at 134.
        t.ifd(
            &[
                (0x100, 3, 1, 16),
                (0x101, 3, 1, 16),
                (0x102, 3, 1, 8),
                (0x103, 3, 1, 1),
                (0x106, 3, 1, 1),
                (0x115, 3, 1, 1),
                (0x142, 3, 1, 16),
                (0x143, 3, 1, 16),
                (0x144, 4, 1, 134),
                (0x145, 4, 1, 256),
            ],
            0,
        );
        t.v.extend(std::iter::repeat_n(fill, 256));
        t.v
    }

    const PIX: &[u8; 8] = b"\x10\x20\x30\x40\x50\x60\x70\x80";

    #[test]
    fn hashes_strips_in_order() {
        let v = two_strip_tiff(b"caption\0", PIX);
        let expect: [u8; 32] = {
            use sha2::{Digest, Sha256};
            Sha256::digest(PIX).into()
        };
        assert_eq!(image_sha256(Format::Tiff, &v), ImageHash::Sha256(expect));
    }

    #[test]
    fn matches_exiftool_13() {
        // two_strip_tiff(b"caption\0", PIX) and tiled_tiff(0x5a) written to
        // /tmp/t2s.tif and /tmp/ttile.tif, then
        // exiftool -ImageDataHash -api ImageHashType=SHA256 /tmp/t2s.tif /tmp/ttile.tif
        // (ExifTool 13.59)
        assert_eq!(
            hex_of(Format::Tiff, &two_strip_tiff(b"caption\0", PIX)),
            EXIFTOOL_TWO_STRIP
        );
        assert_eq!(hex_of(Format::Tiff, &tiled_tiff(0x5a)), EXIFTOOL_TILE);
    }

    const EXIFTOOL_TWO_STRIP: &str =
        "a51f32551aae346ed4948a0dba69cf406bdcfd3db57f30c2c9bf0f5d2945f2c4";
    const EXIFTOOL_TILE: &str = "8bfe96b7ab7217459a0d2f0b4b020a21e5976fec991eba4803711536093ca1b2";

    #[test]
    fn metadata_change_keeps_hash_and_pixel_change_moves_it() {
        let base = image_sha256(Format::Tiff, &two_strip_tiff(b"caption\0", PIX));
        assert_eq!(
            base,
            image_sha256(Format::Tiff, &two_strip_tiff(b"changed\0", PIX))
        );
        let mut px = *PIX;
        px[7] ^= 1;
        assert_ne!(
            base,
            image_sha256(Format::Tiff, &two_strip_tiff(b"caption\0", &px))
        );
        assert_ne!(
            image_sha256(Format::Tiff, &tiled_tiff(1)),
            image_sha256(Format::Tiff, &tiled_tiff(2))
        );
    }

    #[test]
    fn jpeg_strips_without_subfile_type_are_not_hashed() {
        // Compression 7 in a TIFF whose SubfileType is not 0: ExifTool takes
        // 0x111 as PreviewImageStart (no IsImageData), so no hash at all.
        let mut v = two_strip_tiff(b"caption\0", PIX);
        // Entry 3 (0x103) value: 1 → 7. Entries start at 10; value at +8.
        v[10 + 12 * 3 + 8] = 7;
        assert_eq!(
            image_sha256(Format::Tiff, &v),
            ImageHash::Unreadable(ImageHashError::NoImageData)
        );
    }

    #[test]
    fn value_past_eof_drops_the_ifd() {
        let v = two_strip_tiff(b"caption\0", PIX);
        // Cut inside the strip-offset array: "Error reading value" → IFD0
        // adds nothing.
        let cut = &v[..146];
        assert!(matches!(
            image_sha256(Format::Tiff, cut),
            ImageHash::Unreadable(_)
        ));
    }

    #[test]
    fn page_chain_stops_at_max_ifds() {
        // MAX_IFDS + 5 pages of one 1-byte strip each: IFD k at 8 + 30k,
        // its pixel at `pixels + k`. ExifTool would hash every page; the
        // walk stops after MAX_IFDS IFDs, in bounded time.
        let pages = MAX_IFDS + 5;
        let at = |k: usize| u32::try_from(8 + 30 * k).unwrap();
        let pixels = at(pages);
        let mut t = Tb::new();
        for k in 0..pages {
            let next = if k + 1 < pages { at(k + 1) } else { 0 };
            let pixel = pixels + u32::try_from(k).unwrap();
            t.ifd(&[(0x111, 4, 1, pixel), (0x117, 4, 1, 1)], next);
        }
        t.v.extend((0..pages).map(|k| k as u8));
        let expect: Vec<u8> = (0..MAX_IFDS).map(|k| k as u8).collect();
        let expect: [u8; 32] = {
            use sha2::{Digest, Sha256};
            Sha256::digest(&expect).into()
        };
        assert_eq!(image_sha256(Format::Tiff, &t.v), ImageHash::Sha256(expect));
    }

    #[test]
    fn strips_repeating_the_whole_file_are_refused() {
        // 1000 strips, each covering the whole file (8 kB): ExifTool would
        // hash 8 MB; we stop at the amplification bound.
        let mut t = Tb::new();
        let offs_at = 8 + 2 + 24 + 4;
        let sizes_at = offs_at + 4000;
        t.ifd(&[(0x111, 4, 1000, offs_at), (0x117, 4, 1000, sizes_at)], 0);
        for _ in 0..1000 {
            t.v.extend_from_slice(&8u32.to_le_bytes());
        }
        for _ in 0..1000 {
            t.v.extend_from_slice(&8000u32.to_le_bytes());
        }
        assert_eq!(
            image_sha256(Format::Tiff, &t.v),
            ImageHash::Unreadable(ImageHashError::TooMuchData)
        );
    }

    #[test]
    fn bigtiff_is_unsupported() {
        assert_eq!(
            image_sha256(Format::Tiff, b"II+\0\x08\0\0\0\x10\0\0\0\0\0\0\0"),
            ImageHash::Unsupported
        );
    }

    #[test]
    fn garbage_never_panics() {
        never_panics(Format::Tiff, &two_strip_tiff(b"caption\0", PIX));
        never_panics(Format::Tiff, &tiled_tiff(3));
    }
}
