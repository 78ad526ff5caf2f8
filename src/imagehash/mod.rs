//! SHA-256 of a file's image data without its metadata, byte-compatible with
//! ExifTool 13's `ImageDataHash` (`-api ImageHashType=SHA256`).
//!
//! Each container module reproduces exactly which bytes ExifTool 13.x feeds
//! its digest (the perl subs are cited in each file). Everything works on the
//! whole file already in memory: no decoding, no copies, slices of `bytes`
//! are fed to the hasher range by range.

mod isobmff;
mod jpeg;
mod png;
mod tiff;
mod webp;

use sha2::{Digest, Sha256};

use crate::format::Format;

/// The outcome of hashing a file's image data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageHash {
    /// SHA-256 of the image data, as ExifTool's `ImageDataHash` computes it.
    Sha256([u8; 32]),
    /// A format ExifTool does not hash, or one this module does not (yet).
    Unsupported,
    /// The structure is too damaged to find any image data.
    Unreadable(ImageHashError),
}

impl ImageHash {
    /// The digest as 64 lowercase hex digits, as ExifTool prints it.
    pub fn hex(&self) -> Option<String> {
        match self {
            ImageHash::Sha256(d) => {
                let mut s = String::with_capacity(64);
                for b in d {
                    s.push(char::from(HEX[usize::from(b >> 4)]));
                    s.push(char::from(HEX[usize::from(b & 0x0f)]));
                }
                Some(s)
            }
            ImageHash::Unsupported | ImageHash::Unreadable(_) => None,
        }
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Why no image data could be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImageHashError {
    /// The file does not start with the container's signature.
    #[error("not a {0} file: bad signature")]
    BadSignature(&'static str),
    /// The walk found no image data bytes at all; ExifTool then reports no
    /// `ImageDataHash` (it drops the digest of empty input, `DoneExtract`).
    #[error("no image data found")]
    NoImageData,
    /// The structure points at the same bytes over and over (more than
    /// `AMPLIFICATION` times the file size): refused rather than spending
    /// unbounded time. ExifTool would hash it; no real file does this.
    #[error("image data references exceed {AMPLIFICATION}× the file size")]
    TooMuchData,
}

/// How many times the file size the walk may feed before giving up.
const AMPLIFICATION: u64 = 8;

/// The image-data hash of a file of the given format, computed from the
/// whole file in memory.
pub fn image_sha256(format: Format, bytes: &[u8]) -> ImageHash {
    let mut feed = Feed::new(bytes);
    let walked = match format {
        Format::Jpeg => jpeg::walk(&mut feed),
        Format::Png => png::walk(&mut feed),
        Format::Tiff => tiff::walk(&mut feed),
        Format::Webp => webp::walk(&mut feed),
        Format::Heic | Format::Avif => isobmff::walk(&mut feed),
        // ExifTool also hashes JP2 and JXL; cutline does not (yet). GIF and
        // PSD have no ImageDataHash in ExifTool 13.
        Format::Gif | Format::Psd | Format::Jp2 | Format::Jxl => Walk::Unsupported,
    };
    match walked {
        Walk::Done => feed.finish(),
        Walk::Unsupported => ImageHash::Unsupported,
        Walk::Bad(e) => ImageHash::Unreadable(e),
    }
}

/// How a container walk ended.
enum Walk {
    /// The walk is over (possibly early, as ExifTool stops on damage); the
    /// digest is whatever was fed.
    Done,
    /// A variant of the container ExifTool hashes differently or not at all.
    Unsupported,
    /// Not even the container header could be read.
    Bad(ImageHashError),
}

/// The hasher plus the file, so walkers feed file ranges without copying.
struct Feed<'a> {
    bytes: &'a [u8],
    hasher: Sha256,
    fed: u64,
    budget: u64,
    over_budget: bool,
}

impl<'a> Feed<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Feed {
            bytes,
            hasher: Sha256::new(),
            fed: 0,
            // A hostile TIFF can list 100 000 strips that all cover the
            // whole file; bound the work at a multiple of its size.
            budget: (bytes.len() as u64)
                .saturating_mul(AMPLIFICATION)
                .saturating_add(1 << 20),
            over_budget: false,
        }
    }

    /// Feeds literal bytes (JPEG marker bytes ExifTool re-creates).
    fn add(&mut self, data: &[u8]) {
        self.hasher.update(data);
        self.fed = self.fed.saturating_add(data.len() as u64);
    }

    /// Feeds up to `len` file bytes from `start`, clipped at end of file, as
    /// `Image::ExifTool::ImageDataHash` (Writer.pl) does: it hashes what it
    /// can read and stops at EOF. Returns the number of bytes fed.
    fn add_file(&mut self, start: u64, len: u64) -> u64 {
        let file_len = self.bytes.len() as u64;
        if start >= file_len || len == 0 {
            return 0;
        }
        let end = start.saturating_add(len).min(file_len);
        if self.fed.saturating_add(end - start) > self.budget {
            self.over_budget = true;
            return 0;
        }
        // Both bounds are ≤ bytes.len(), so they fit in usize.
        let (Ok(s), Ok(e)) = (usize::try_from(start), usize::try_from(end)) else {
            return 0;
        };
        if let Some(slice) = self.bytes.get(s..e) {
            self.hasher.update(slice);
            self.fed = self.fed.saturating_add(slice.len() as u64);
            slice.len() as u64
        } else {
            0
        }
    }

    fn finish(self) -> ImageHash {
        if self.over_budget {
            return ImageHash::Unreadable(ImageHashError::TooMuchData);
        }
        if self.fed == 0 {
            return ImageHash::Unreadable(ImageHashError::NoImageData);
        }
        ImageHash::Sha256(self.hasher.finalize().into())
    }
}

#[cfg(test)]
pub(crate) mod testkit {
    //! Shared helpers for the container tests.

    use super::*;

    /// Hex digest or a label for the non-hash outcomes.
    pub fn hex_of(format: Format, bytes: &[u8]) -> String {
        match image_sha256(format, bytes) {
            ImageHash::Sha256(_) => image_sha256(format, bytes).hex().unwrap_or_default(),
            ImageHash::Unsupported => "unsupported".to_string(),
            ImageHash::Unreadable(e) => format!("unreadable: {e}"),
        }
    }

    /// Runs every truncation of `valid`, and xorshift-mutated copies of it,
    /// through the hasher: it must never panic.
    pub fn never_panics(format: Format, valid: &[u8]) {
        for n in 0..=valid.len() {
            let _ = image_sha256(format, &valid[..n]);
        }
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..300 {
            let mut v = valid.to_vec();
            for _ in 0..1 + next() % 8 {
                if v.is_empty() {
                    break;
                }
                let i = (next() % v.len() as u64) as usize;
                v[i] = next() as u8;
            }
            let _ = image_sha256(format, &v);
        }
        for len in [0usize, 1, 7, 64, 500] {
            let junk: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let _ = image_sha256(format, &junk);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_64_digits() {
        let h = ImageHash::Sha256([0xab; 32]);
        assert_eq!(h.hex().as_deref(), Some("ab".repeat(32).as_str()));
        assert_eq!(ImageHash::Unsupported.hex(), None);
    }

    #[test]
    fn unsupported_formats() {
        for f in [Format::Gif, Format::Psd, Format::Jp2, Format::Jxl] {
            assert_eq!(image_sha256(f, b"anything"), ImageHash::Unsupported);
        }
    }

    #[test]
    fn empty_input_is_unreadable_for_every_format() {
        for f in [
            Format::Jpeg,
            Format::Png,
            Format::Tiff,
            Format::Webp,
            Format::Heic,
        ] {
            assert!(matches!(image_sha256(f, &[]), ImageHash::Unreadable(_)));
        }
    }
}
