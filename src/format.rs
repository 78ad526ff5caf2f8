//! Sniffs an image file's container format from its first bytes, never from its name.

use serde::{Deserialize, Serialize};

/// The container formats cutline recognizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JPEG / JFIF / EXIF (ITU T.81).
    Jpeg,
    /// PNG (ISO/IEC 15948).
    Png,
    /// TIFF 6.0, and TIFF-based camera raw files (CR2, NEF, DNG, ARW…).
    Tiff,
    /// WebP (RIFF).
    Webp,
    /// HEIF / HEIC (ISO/IEC 23008-12).
    Heic,
    /// AVIF (HEIF with AV1 images).
    Avif,
    /// GIF 87a / 89a.
    Gif,
    /// Adobe Photoshop document.
    Psd,
    /// JPEG 2000 (JP2 container, ISO/IEC 15444-1 annex I).
    Jp2,
    /// JPEG XL (bare codestream or ISOBMFF container).
    Jxl,
}

impl Format {
    /// Every format, in declaration order.
    pub const ALL: [Format; 10] = [
        Format::Jpeg,
        Format::Png,
        Format::Tiff,
        Format::Webp,
        Format::Heic,
        Format::Avif,
        Format::Gif,
        Format::Psd,
        Format::Jp2,
        Format::Jxl,
    ];

    /// The lowercase name used in JSON output and messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Tiff => "tiff",
            Format::Webp => "webp",
            Format::Heic => "heic",
            Format::Avif => "avif",
            Format::Gif => "gif",
            Format::Psd => "psd",
            Format::Jp2 => "jp2",
            Format::Jxl => "jxl",
        }
    }
}

/// How many leading bytes `sniff` needs to decide.
pub const SNIFF_LEN: usize = 64;

/// The format of a file from its first bytes, or `None` when it is not an
/// image cutline knows.
pub fn sniff(head: &[u8]) -> Option<Format> {
    const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    // ISO/IEC 15444-1 I.5.1 and ISO/IEC 18181-2 9.1: a 12-byte signature box.
    const JP2_SIGNATURE: &[u8] = b"\0\0\0\x0cjP  \r\n\x87\n";
    const JXL_SIGNATURE: &[u8] = b"\0\0\0\x0cJXL \r\n\x87\n";
    if head.starts_with(b"\xff\xd8\xff") {
        return Some(Format::Jpeg);
    }
    if head.starts_with(PNG_SIGNATURE) {
        return Some(Format::Png);
    }
    if is_tiff(head) {
        return Some(Format::Tiff);
    }
    if head.len() >= 12 && head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return Some(Format::Webp);
    }
    if head.starts_with(JP2_SIGNATURE) || head.starts_with(b"\xff\x4f\xff\x51") {
        return Some(Format::Jp2);
    }
    if head.starts_with(JXL_SIGNATURE) || head.starts_with(b"\xff\x0a") {
        return Some(Format::Jxl);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some(Format::Gif);
    }
    if head.starts_with(b"8BPS") {
        return Some(Format::Psd);
    }
    if head.get(4..8) == Some(b"ftyp") {
        return ftyp_format(head);
    }
    None
}

/// TIFF 6.0 section 2 header, BigTIFF (43), and the TIFF-based raw
/// variants: Olympus ORF (`IIRO`, `IIRS`, `MMOR`) and Panasonic RW2 (`IIU\0`).
fn is_tiff(head: &[u8]) -> bool {
    matches!(
        head.get(..4),
        Some(b"II*\0" | b"MM\0*" | b"II+\0" | b"MM\0+" | b"IIRO" | b"IIRS" | b"MMOR" | b"IIU\0")
    )
}

/// The format an ISOBMFF `ftyp` box names (ISO/IEC 14496-12 4.3), looking at
/// the major brand and every compatible brand that fits in `head`.
fn ftyp_format(head: &[u8]) -> Option<Format> {
    let size = head
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_be_bytes)
        .and_then(|s| usize::try_from(s).ok())?;
    let end = size.min(head.len());
    let major = head.get(8..12);
    let compatible = head.get(16..end).unwrap_or_default().chunks_exact(4);
    let brands: Vec<&[u8]> = major.into_iter().chain(compatible).collect();
    let has = |wanted: &[&[u8]]| brands.iter().any(|b| wanted.contains(b));
    if has(&[b"avif", b"avis"]) {
        Some(Format::Avif)
    } else if has(&[
        b"heic", b"heix", b"hevc", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
    ]) {
        Some(Format::Heic)
    } else if has(&[b"jxl "]) {
        Some(Format::Jxl)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_format_once_in_order() {
        // No wildcard arm: a new format fails to compile here until `ALL`
        // (and with it the cache's record codes) has it.
        let place = |f: Format| match f {
            Format::Jpeg => 0,
            Format::Png => 1,
            Format::Tiff => 2,
            Format::Webp => 3,
            Format::Heic => 4,
            Format::Avif => 5,
            Format::Gif => 6,
            Format::Psd => 7,
            Format::Jp2 => 8,
            Format::Jxl => 9,
        };
        for (i, f) in Format::ALL.into_iter().enumerate() {
            assert_eq!(place(f), i, "{f:?}");
        }
    }

    #[test]
    fn sniffs_each_signature() {
        let cases: &[(&[u8], Option<Format>)] = &[
            (b"\xff\xd8\xff\xe0", Some(Format::Jpeg)),
            (b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", Some(Format::Png)),
            (b"II*\0\x08\0\0\0", Some(Format::Tiff)),
            (b"MM\0*\0\0\0\x08", Some(Format::Tiff)),
            (b"II+\0\x08\0\0\0", Some(Format::Tiff)),
            (b"IIRO\x08\0\0\0", Some(Format::Tiff)),
            (b"IIU\0\x08\0\0\0", Some(Format::Tiff)),
            (b"RIFF\0\0\0\0WEBPVP8 ", Some(Format::Webp)),
            (b"\0\0\0\x0cjP  \r\n\x87\n", Some(Format::Jp2)),
            (b"\xff\x4f\xff\x51\0", Some(Format::Jp2)),
            (b"\0\0\0\x0cJXL \r\n\x87\n", Some(Format::Jxl)),
            (b"\xff\x0a\xfa", Some(Format::Jxl)),
            (b"GIF89a\x01\0", Some(Format::Gif)),
            (b"GIF87a\x01\0", Some(Format::Gif)),
            (b"8BPS\0\x01", Some(Format::Psd)),
            (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", Some(Format::Heic)),
            (b"\0\0\0\x18ftypmif1\0\0\0\0mif1avif", Some(Format::Avif)),
            (b"\0\0\0\x14ftypavis\0\0\0\0avis", Some(Format::Avif)),
            (b"\0\0\0\x10ftypmif1\0\0\0\0", Some(Format::Heic)),
            (b"\0\0\0\x14ftypjxl \0\0\0\0jxl ", Some(Format::Jxl)),
            (b"\0\0\0\x14ftypisom\0\0\0\0mp41", None),
            (b"%PDF-1.4", None),
            (b"", None),
            (b"\xff\xd8", None),
        ];
        for (head, want) in cases {
            assert_eq!(sniff(head), *want, "{head:?}");
        }
    }

    #[test]
    fn brand_past_the_box_is_ignored() {
        // The ftyp box says 16 bytes: the `avif` after it belongs to the next box.
        assert_eq!(sniff(b"\0\0\0\x10ftypmif1\0\0\0\0avif"), Some(Format::Heic));
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            let mut buf = [0u8; 40];
            for b in &mut buf {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
            buf[4..8].copy_from_slice(b"ftyp");
            let _ = sniff(&buf);
            for n in 0..buf.len() {
                let _ = sniff(&buf[..n]);
            }
        }
    }
}
