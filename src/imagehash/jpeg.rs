//! JPEG image-data bytes as ExifTool 13 hashes them: the scan data from the
//! first SOS marker up to (not including) EOI.
//!
//! This replays the marker loop of `Image::ExifTool::ProcessJPEG`
//! (ExifTool.pm, "read ahead to the next segment"): the file is read in
//! pieces ending at each 0xFF; when the piece that follows a stand-alone
//! marker (SOS, RSTn, or a 0xFF00 stuffing "marker") ends at another
//! stand-alone marker, ExifTool adds "\xff" . chr(marker) plus the piece.
//! Consequences kept here on purpose, for byte compatibility:
//! - the SOS segment header is hashed with the scan data (SOS has no length
//!   in ExifTool's `%markerLenBytes`);
//! - a piece of scan data that ends at a marker *with* a length (DHT, DQT,
//!   another SOS's predecessor in progressive files…) is not hashed;
//! - EOI and everything after it is left out.

use super::{Feed, Walk};
use crate::imagehash::ImageHashError;
use crate::structure::be_u32;
use crate::structure::jpeg;

/// `%markerLenBytes` in ExifTool.pm: markers ExifTool reads without a
/// 2-byte length (0 = stand-alone; 4 = J2C extension with a 4-byte length).
fn marker_len_bytes(m: u8) -> Option<u8> {
    match m {
        0x00 | 0x01 | 0xd0..=0xda | 0x30..=0x3f | 0x4f | 0x92 | 0x93 => Some(0),
        0x74 | 0x75 | 0x77 => Some(4),
        _ => None,
    }
}

/// Markers whose following piece ExifTool hashes (ProcessJPEG: `$marker ==
/// 0x00 or $marker == 0xda or ($marker >= 0xd0 and $marker <= 0xd7)`).
fn is_hashed_marker(m: u8) -> bool {
    matches!(m, 0x00 | 0xda | 0xd0..=0xd7)
}

pub(super) fn walk(feed: &mut Feed) -> Walk {
    let b = feed.bytes;
    // ExifTool only calls ProcessJPEG for a file matching `%magicNumber`
    // JPEG => '\xff\xd8\xff' (ExifTool.pm); otherwise "File format error".
    if b.get(..3) != Some(&[0xff, 0xd8, 0xff][..]) {
        return Walk::Bad(ImageHashError::BadSignature("JPEG"));
    }
    let mut pos = 2usize;
    let mut marker: Option<u8> = None;
    // Every pass consumes at least one byte, so the loop is bounded by the
    // file length.
    loop {
        // ExifTool stops reading ahead at EOI and SOD (and handles them by
        // leaving the marker loop).
        if matches!(marker, Some(0xd9) | Some(0x93)) {
            break;
        }
        // `$raf->ReadLine($buff)` with `$/ = "\xff"`: the piece up to and
        // including the next 0xFF. At EOF (no 0xFF, or nothing left) the next
        // `Read($ch, 1)` fails and ExifTool leaves the loop without hashing.
        // Padding 0xFF bytes are skipped to the marker byte.
        let Some(found) = jpeg::next_marker(b, pos) else {
            break;
        };
        let (m_pos, next) = (found.at, found.code);
        let mut after = found.after();
        match marker_len_bytes(next) {
            None => {
                // Segment with a 2-byte length; it must be complete.
                match jpeg::segment(b, found) {
                    Ok(segment) if !segment.cut(b) => after = segment.end,
                    _ => break,
                }
            }
            Some(4) => {
                // J2C extension: 4-byte length, then a seek (which succeeds
                // past EOF; the next read then fails).
                let Some(len) = be_u32(b, after) else { break };
                if len < 4 {
                    break;
                }
                let Ok(len) = usize::try_from(len) else { break };
                after = after.saturating_add(len);
            }
            Some(_) => {
                if let Some(cur) = marker
                    && is_hashed_marker(cur)
                {
                    // "\xff" . chr($marker), then the piece with its trailing
                    // 0xFF removed but any extra padding 0xFFs put back:
                    // exactly the file bytes up to the marker's last 0xFF.
                    feed.add(&[0xff, cur]);
                    if let Some(piece) = b.get(pos..m_pos - 1) {
                        feed.add(piece);
                    }
                }
            }
        }
        marker = Some(next);
        pos = after;
    }
    Walk::Done
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Format;
    use crate::imagehash::testkit::{hex_of, never_panics};
    use crate::imagehash::{ImageHash, image_sha256};

    /// A minimal baseline JPEG, 8×8 grey, built by hand: SOI, APP0 JFIF,
    /// DQT, SOF0, DHT (DC and AC, one code each), SOS, 2 scan bytes with a
    /// stuffed 0xFF00, EOI. (Not decodable in earnest; ExifTool does not
    /// decode.) `app1` adds an EXIF APP1 segment with the given comment text.
    fn tiny_jpeg(app1: &[u8], scan: &[u8]) -> Vec<u8> {
        let mut v = vec![0xff, 0xd8];
        v.extend_from_slice(&[0xff, 0xe0, 0x00, 0x10]);
        v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        if !app1.is_empty() {
            let len = u16::try_from(app1.len() + 2).unwrap();
            v.extend_from_slice(&[0xff, 0xfe]); // COM segment: metadata only
            v.extend_from_slice(&len.to_be_bytes());
            v.extend_from_slice(app1);
        }
        v.extend_from_slice(&[0xff, 0xdb, 0x00, 0x43, 0x00]);
        v.extend_from_slice(&[1u8; 64]);
        v.extend_from_slice(&[0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01]);
        v.extend_from_slice(&[0x01, 0x11, 0x00]);
        v.extend_from_slice(&[0xff, 0xc4, 0x00, 0x14, 0x00, 0x01]);
        v.extend_from_slice(&[0u8; 15]);
        v.extend_from_slice(&[0x00]);
        v.extend_from_slice(&[0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]);
        v.extend_from_slice(scan);
        v.extend_from_slice(&[0xff, 0xd9]);
        v
    }

    const SCAN: &[u8] = &[0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56];

    #[test]
    fn hashes_sos_through_scan_without_eoi() {
        let v = tiny_jpeg(b"", SCAN);
        // Expected bytes: from FF DA (incl. its header) to before FF D9.
        let sos = v.windows(2).position(|w| w == [0xff, 0xda]).unwrap();
        let expect: [u8; 32] = {
            use sha2::{Digest, Sha256};
            Sha256::digest(&v[sos..v.len() - 2]).into()
        };
        assert_eq!(image_sha256(Format::Jpeg, &v), ImageHash::Sha256(expect));
    }

    #[test]
    fn matches_exiftool_13() {
        // printf of tiny_jpeg(b"", SCAN) to /tmp/t.jpg, then
        // exiftool -ImageDataHash -api ImageHashType=SHA256 /tmp/t.jpg
        // (ExifTool 13.59)
        let v = tiny_jpeg(b"", SCAN);
        assert_eq!(hex_of(Format::Jpeg, &v), EXIFTOOL_TINY);
    }

    const EXIFTOOL_TINY: &str = "b62d459549e161744aa3b1e434ffca5a35fe2578ca2bf335a7cc3829ad91af52";

    #[test]
    fn metadata_change_keeps_hash_and_pixel_change_moves_it() {
        let base = image_sha256(Format::Jpeg, &tiny_jpeg(b"", SCAN));
        let meta = image_sha256(Format::Jpeg, &tiny_jpeg(b"a comment", SCAN));
        assert_eq!(base, meta);
        let mut scan = SCAN.to_vec();
        scan[0] ^= 1;
        assert_ne!(base, image_sha256(Format::Jpeg, &tiny_jpeg(b"", &scan)));
    }

    #[test]
    fn progressive_piece_before_length_marker_is_skipped() {
        // Scan data ending at a DHT (a marker with a length) is not hashed,
        // as in ProcessJPEG; only the piece ending at EOI is.
        let mut v = vec![0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xaa];
        v.extend_from_slice(&[0xff, 0xc4, 0x00, 0x03, 0x00]);
        v.extend_from_slice(&[0xff, 0xda, 0x00, 0x02, 0xbb, 0xff, 0xd9]);
        let expect: [u8; 32] = {
            use sha2::{Digest, Sha256};
            Sha256::digest([0xff, 0xda, 0x00, 0x02, 0xbb]).into()
        };
        assert_eq!(image_sha256(Format::Jpeg, &v), ImageHash::Sha256(expect));
    }

    #[test]
    fn not_a_jpeg_is_unreadable() {
        assert!(matches!(
            image_sha256(Format::Jpeg, b"GIF89a"),
            ImageHash::Unreadable(ImageHashError::BadSignature(_))
        ));
    }

    #[test]
    fn garbage_never_panics() {
        never_panics(Format::Jpeg, &tiny_jpeg(b"x", SCAN));
    }
}
