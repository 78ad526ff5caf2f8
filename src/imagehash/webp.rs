//! WebP (RIFF) image-data bytes as ExifTool 13 hashes them: the payload of
//! every `VP8 `, `VP8L`, `ANIM`, `ANMF` and `ALPH` chunk (padding byte
//! included), in file order; EXIF, XMP, ICCP and VP8X are left out.
//!
//! Replays the chunk loop of `Image::ExifTool::RIFF::ProcessRIFF` (RIFF.pm,
//! `%isImageData`). ExifTool walks chunks to the end of the file, not to the
//! RIFF size; WebP image chunks are in its tag table, so they are read whole
//! (`Read($buff, $len2) >= $len`, else the walk stops unhashed); the RIFF
//! (`data`, `LIST_movi`) image chunks are hashed as far as the file goes.

use super::{Feed, Walk};
use crate::imagehash::ImageHashError;
use crate::structure::riff;

pub(super) fn walk(feed: &mut Feed) -> Walk {
    let b = feed.bytes;
    // ProcessRIFF: `$buff =~ /^(RIFF|RF64)....(.{4})/s` on the first 12 bytes.
    if b.len() < 12 || !(b.starts_with(b"RIFF") || b.starts_with(b"RF64")) {
        return Walk::Bad(ImageHashError::BadSignature("RIFF"));
    }
    let mut pos = 12usize;
    // Each pass consumes at least the 8-byte chunk header.
    while let Some(chunk) = riff::chunk(b, pos) {
        let tag = &chunk.kind;
        pos = chunk.data_at;
        let mut len = i64::from(chunk.size);
        let mut list_movi = false;
        if tag == b"LIST" {
            let Some(kind) = b.get(pos..pos + 4) else {
                break;
            };
            pos += 4;
            list_movi = kind == b"movi";
            len -= 4; // the LIST type was already read
        }
        if len <= 0 {
            // Zero-length chunks are skipped, except an all-null tag
            // ("Encountered empty null chunk"); negative ones stop the walk.
            if len == 0 && *tag != [0; 4] {
                continue;
            }
            break;
        }
        let len2 = len + (len & 1); // RIFF chunks are padded to even size
        let (Ok(len), Ok(len2)) = (usize::try_from(len), usize::try_from(len2)) else {
            break;
        };
        let avail = b.len().saturating_sub(pos);
        match tag {
            b"VP8 " | b"VP8L" | b"ANIM" | b"ANMF" | b"ALPH" => {
                if avail < len {
                    break; // short read: `$err = 1`, nothing hashed
                }
                feed.add_file(pos as u64, len2 as u64);
            }
            b"data" => {
                feed.add_file(pos as u64, len2 as u64);
            }
            b"LIST" if list_movi => {
                feed.add_file(pos as u64, len2 as u64);
            }
            b"RIFF" => {
                // A concatenated RIFF: skip its type word and walk into it.
                if avail < 4 {
                    break;
                }
                pos += 4;
                continue;
            }
            _ => {}
        }
        pos = pos.saturating_add(len2);
    }
    Walk::Done
}

#[cfg(test)]
mod tests {
    use crate::format::Format;
    use crate::imagehash::testkit::{hex_of, never_panics};
    use crate::imagehash::{ImageHash, image_sha256};

    fn chunk(v: &mut Vec<u8>, tag: &[u8; 4], data: &[u8]) {
        v.extend_from_slice(tag);
        v.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
        v.extend_from_slice(data);
        if data.len() % 2 == 1 {
            v.push(0);
        }
    }

    /// An extended WebP: VP8X, an EXIF chunk holding `exif`, and a VP8L
    /// chunk with an odd-length payload (so a padding byte follows).
    fn extended_webp(exif: &[u8], vp8l: &[u8]) -> Vec<u8> {
        let mut body = b"WEBP".to_vec();
        chunk(&mut body, b"VP8X", &[0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        chunk(&mut body, b"VP8L", vp8l);
        if !exif.is_empty() {
            chunk(&mut body, b"EXIF", exif);
        }
        let mut v = b"RIFF".to_vec();
        v.extend_from_slice(&u32::try_from(body.len()).unwrap().to_le_bytes());
        v.extend_from_slice(&body);
        v
    }

    /// A 1×1 lossless VP8L bitstream (as libwebp writes for one pixel).
    const VP8L_1X1: &[u8] = &[
        0x2f, 0x00, 0x00, 0x00, 0x00, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00,
    ];

    #[test]
    fn hashes_image_chunk_with_padding() {
        let vp8l = &VP8L_1X1[..13]; // odd length
        let v = extended_webp(b"", vp8l);
        let expect: [u8; 32] = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            h.update(vp8l);
            h.update([0u8]);
            h.finalize().into()
        };
        assert_eq!(image_sha256(Format::Webp, &v), ImageHash::Sha256(expect));
    }

    #[test]
    fn matches_exiftool_13() {
        // extended_webp(b"", VP8L_1X1) written to /tmp/t.webp, then
        // exiftool -ImageDataHash -api ImageHashType=SHA256 /tmp/t.webp
        // (ExifTool 13.59)
        assert_eq!(
            hex_of(Format::Webp, &extended_webp(b"", VP8L_1X1)),
            EXIFTOOL_1X1
        );
    }

    const EXIFTOOL_1X1: &str = "c885c87bf590b303b830270cef239bd9035b2e843ef4cfd0805b3382751a9031";

    #[test]
    fn metadata_change_keeps_hash_and_pixel_change_moves_it() {
        let base = image_sha256(Format::Webp, &extended_webp(b"", VP8L_1X1));
        let meta = image_sha256(
            Format::Webp,
            &extended_webp(b"II*\0\x08\0\0\0\0\0", VP8L_1X1),
        );
        assert_eq!(base, meta);
        let mut px = VP8L_1X1.to_vec();
        px[9] ^= 0x10;
        assert_ne!(base, image_sha256(Format::Webp, &extended_webp(b"", &px)));
    }

    #[test]
    fn garbage_never_panics() {
        never_panics(Format::Webp, &extended_webp(b"MM\0*", VP8L_1X1));
    }
}
