//! PNG image-data bytes as ExifTool 13 hashes them: the data of every IDAT
//! chunk (also JDAT/JDAA), in file order, without chunk headers or CRCs.
//!
//! Replays the chunk loop of `Image::ExifTool::PNG::ProcessPNG` (PNG.pm):
//! `%isDatChunk = (IDAT, JDAT, JDAA)`; a data chunk is fed with
//! `ImageDataHash($raf, $len)` (clipped at EOF), then its CRC must be
//! readable; any other chunk must be complete; after IEND, ExifTool keeps
//! reading chunks while a full 8-byte header is there (trailer), and IEND
//! itself is skipped as header + 4 bytes whatever its length says.

use super::{Feed, Walk};
use crate::imagehash::ImageHashError;
use crate::structure::png::{self, MAX_LENGTH, SIGNATURE};

pub(super) fn walk(feed: &mut Feed) -> Walk {
    let b = feed.bytes;
    if b.get(..8) != Some(&SIGNATURE[..]) {
        return Walk::Bad(ImageHashError::BadSignature("PNG"));
    }
    let mut pos = 8usize;
    // Each pass consumes at least the 8-byte chunk header.
    while let Some(c) = png::chunk(b, pos) {
        // ProcessPNG: `last if $len > 0x7fffffff` ("Invalid chunk size").
        if c.length > MAX_LENGTH {
            break;
        }
        let (kind, data) = (&c.kind, c.data_at);
        if kind == b"IEND" {
            // Reads only the CRC, ignoring the length.
            if data + 4 > b.len() {
                break;
            }
            pos = data + 4;
            continue;
        }
        if matches!(kind, b"IDAT" | b"JDAT" | b"JDAA") {
            feed.add_file(data as u64, u64::from(c.length));
        }
        // The data and CRC must be there (a data chunk was hashed clipped first).
        if c.end() > b.len() {
            break;
        }
        pos = c.end();
    }
    Walk::Done
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Format;
    use crate::imagehash::testkit::{hex_of, never_panics};
    use crate::imagehash::{ImageHash, image_sha256};

    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xffff_ffffu32;
        for &byte in data {
            c ^= u32::from(byte);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    fn chunk(v: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        v.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        let start = v.len();
        v.extend_from_slice(kind);
        v.extend_from_slice(data);
        let crc = crc32(&v[start..]);
        v.extend_from_slice(&crc.to_be_bytes());
    }

    /// zlib stream: one stored block holding filter byte 0 and one pixel.
    fn zlib(pixel: u8) -> Vec<u8> {
        let raw = [0u8, pixel];
        let (mut a, mut b) = (1u32, 0u32);
        for &x in &raw {
            a = (a + u32::from(x)) % 65521;
            b = (b + a) % 65521;
        }
        let mut z = vec![0x78, 0x01, 0x01, 0x02, 0x00, 0xfd, 0xff];
        z.extend_from_slice(&raw);
        z.extend_from_slice(&((b << 16) | a).to_be_bytes());
        z
    }

    /// A 1×1 grey PNG whose zlib stream is split over two IDAT chunks, with
    /// a tEXt chunk holding `text` before the data.
    fn two_idat_png(text: &[u8], pixel: u8) -> Vec<u8> {
        let mut v = SIGNATURE.to_vec();
        chunk(&mut v, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
        if !text.is_empty() {
            chunk(&mut v, b"tEXt", text);
        }
        let z = zlib(pixel);
        chunk(&mut v, b"IDAT", &z[..5]);
        chunk(&mut v, b"IDAT", &z[5..]);
        chunk(&mut v, b"IEND", &[]);
        v
    }

    #[test]
    fn hashes_idat_data_only() {
        let v = two_idat_png(b"", 0x80);
        let expect: [u8; 32] = {
            use sha2::{Digest, Sha256};
            Sha256::digest(zlib(0x80)).into()
        };
        assert_eq!(image_sha256(Format::Png, &v), ImageHash::Sha256(expect));
    }

    #[test]
    fn matches_exiftool_13() {
        // two_idat_png(b"", 0x80) written to /tmp/t.png, then
        // exiftool -ImageDataHash -api ImageHashType=SHA256 /tmp/t.png
        // (ExifTool 13.59)
        assert_eq!(
            hex_of(Format::Png, &two_idat_png(b"", 0x80)),
            EXIFTOOL_TWO_IDAT
        );
    }

    const EXIFTOOL_TWO_IDAT: &str =
        "3551cec0444026c8db031aada60ab57882181aee296915bd4ac022eb868d138e";

    #[test]
    fn metadata_change_keeps_hash_and_pixel_change_moves_it() {
        let base = image_sha256(Format::Png, &two_idat_png(b"", 0x80));
        let text = image_sha256(Format::Png, &two_idat_png(b"Comment\0hello", 0x80));
        assert_eq!(base, text);
        assert_ne!(base, image_sha256(Format::Png, &two_idat_png(b"", 0x81)));
    }

    #[test]
    fn truncated_idat_hashes_what_is_there() {
        let v = two_idat_png(b"", 0x80);
        // Cut inside the second IDAT's data: ExifTool hashes the partial
        // data it could read, then stops ("Truncated data").
        let cut = &v[..v.len() - 12 - 4 - 2];
        assert!(matches!(
            image_sha256(Format::Png, cut),
            ImageHash::Sha256(_)
        ));
    }

    #[test]
    fn garbage_never_panics() {
        never_panics(Format::Png, &two_idat_png(b"Comment\0hi", 7));
    }
}
