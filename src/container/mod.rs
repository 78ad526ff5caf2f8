//! Finds the metadata blocks and the pixel dimensions inside an image container, without decoding.

mod gif;
mod isobmff;
mod jp2;
mod jpeg;
mod jxl;
mod png;
mod psd;
mod tiff;
mod webp;

use crate::format::Format;
use crate::structure::{be_u16, be_u32, le_u16, le_u32};

/// The raw metadata blocks and header facts of one image file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blocks {
    /// Width in pixels from the header (no decode).
    pub width: Option<u32>,
    /// Height in pixels from the header (no decode).
    pub height: Option<u32>,
    /// The EXIF block as a TIFF structure (starting `II*\0` or `MM\0*`).
    pub exif: Option<Vec<u8>>,
    /// Photoshop image resource blocks (`8BIM…`): JPEG APP13 payloads after
    /// `Photoshop 3.0\0` concatenated, TIFF tag 34377, PSD's resource section.
    pub photoshop: Option<Vec<u8>>,
    /// A bare IPTC-IIM block (TIFF tag 33723) not wrapped in image resources.
    pub iptc: Option<Vec<u8>>,
    /// The main XMP packet.
    pub xmp: Option<Vec<u8>>,
    /// JPEG ExtendedXMP: the reassembled extension packet when its GUID
    /// matches `xmpNote:HasExtendedXMP` is checked by the XMP reader.
    pub xmp_extended: Vec<ExtendedXmpChunk>,
    /// PNG textual chunks in file order.
    pub png_text: Vec<PngText>,
    /// Damaged structure met while walking the container, one message
    /// each; [`crate::metadata::read`] files them as container warnings.
    pub warnings: Vec<String>,
}

/// One APP1 ExtendedXMP segment (XMP spec part 3, 1.1.3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtendedXmpChunk {
    /// 32 ASCII hex digits: the MD5 of the full extended packet.
    pub guid: String,
    /// Full length of the extended packet.
    pub full_length: u32,
    /// Offset of this chunk in the extended packet.
    pub offset: u32,
    /// This chunk's bytes.
    pub data: Vec<u8>,
}

/// A PNG textual chunk, decompressed and decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PngText {
    /// The chunk's keyword (`Description`, `Author`, `XML:com.adobe.xmp`…).
    pub keyword: String,
    /// The text (tEXt/zTXt: Latin-1 decoded; iTXt: UTF-8).
    pub text: String,
}

/// Why a container could not be walked at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContainerError {
    /// The file ended before its first structure was complete.
    #[error("truncated {format} file: {detail}")]
    Truncated {
        /// The container format.
        format: &'static str,
        /// What was cut off.
        detail: String,
    },
    /// The bytes do not form the container its signature promised.
    #[error("corrupt {format} file: {detail}")]
    Corrupt {
        /// The container format.
        format: &'static str,
        /// What is wrong.
        detail: String,
    },
}

/// Walks the container of `format` in `bytes` (the whole file) and collects
/// its blocks.
///
/// Damage met after the first structure becomes a warning in
/// [`Blocks::warnings`] and the walk keeps what it had read; only a file whose
/// header itself is unreadable is an error. For TIFF (and TIFF-based raw) the
/// whole file is the EXIF structure, so [`Blocks::exif`] is a copy of `bytes`.
pub fn read_blocks(format: Format, bytes: &[u8]) -> Result<Blocks, ContainerError> {
    let mut blocks = Blocks::default();
    match format {
        Format::Jpeg => jpeg::read(bytes, &mut blocks)?,
        Format::Png => png::read(bytes, &mut blocks)?,
        Format::Tiff => tiff::read(bytes, &mut blocks)?,
        Format::Webp => webp::read(bytes, &mut blocks)?,
        Format::Heic | Format::Avif => isobmff::read(format, bytes, &mut blocks)?,
        Format::Gif => gif::read(bytes, &mut blocks)?,
        Format::Psd => psd::read(bytes, &mut blocks)?,
        Format::Jp2 => jp2::read(bytes, &mut blocks)?,
        Format::Jxl => jxl::read(bytes, &mut blocks)?,
    }
    Ok(blocks)
}

/// A damaged file reports at most this many container warnings.
const MAX_WARNINGS: usize = 32;

impl Blocks {
    /// Records damage found in the container structure, once per message and
    /// at most [`MAX_WARNINGS`] times per file (fuzzed files repeat damage).
    fn warn(&mut self, message: impl Into<String>) {
        let message = message.into();
        if self.warnings.contains(&message) {
            return;
        }
        match self.warnings.len() {
            n if n < MAX_WARNINGS => self.warnings.push(message),
            MAX_WARNINGS => self
                .warnings
                .push("further container warnings left out".to_string()),
            _ => {}
        }
    }
}

impl ContainerError {
    /// The file ended inside its first structure.
    fn truncated(format: Format, detail: impl Into<String>) -> Self {
        ContainerError::Truncated {
            format: format.name(),
            detail: detail.into(),
        }
    }

    /// The first structure is not what the signature promised.
    fn corrupt(format: Format, detail: impl Into<String>) -> Self {
        ContainerError::Corrupt {
            format: format.name(),
            detail: detail.into(),
        }
    }
}

/// The position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A TIFF-structured EXIF payload with an optional `Exif\0\0` prefix removed.
fn strip_exif_header(data: &[u8]) -> &[u8] {
    data.strip_prefix(b"Exif\0\0".as_slice()).unwrap_or(data)
}

#[cfg(test)]
mod fuzz {
    //! Shared input mangling for the per-container never-panic tests.

    use super::*;

    /// Runs `read_blocks` on every truncation of `valid`, on copies with single
    /// bytes flipped, and on xorshift noise behind `valid`'s first bytes.
    pub(super) fn never_panics(format: Format, valid: &[u8]) {
        for n in 0..=valid.len() {
            let _ = read_blocks(format, &valid[..n]);
        }
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..300 {
            let mut v = valid.to_vec();
            if !v.is_empty() {
                for _ in 0..4 {
                    let i = (next() as usize) % v.len();
                    v[i] = next() as u8;
                }
            }
            let _ = read_blocks(format, &v);
            let keep = (next() as usize) % (valid.len() + 1);
            let mut noise = valid[..keep].to_vec();
            noise.extend((0..64).map(|_| next() as u8));
            let _ = read_blocks(format, &noise);
        }
    }
}
