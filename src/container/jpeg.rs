//! Walks JPEG marker segments (ITU T.81 annex B) up to the start of scan.

use super::{Blocks, ContainerError, ExtendedXmpChunk, be_u16, be_u32};
use crate::format::Format;
use crate::structure::{jpeg, tiff};

/// APP1 EXIF identifier (EXIF 2.32 section 4.5.4); ExifTool also accepts a
/// missing second NUL and up to 4 bytes of garbage before it.
const EXIF_ID: &[u8] = b"Exif\0";
/// APP1 XMP identifier (XMP spec part 3, 1.1.3).
const XMP_ID: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
/// APP1 ExtendedXMP identifier (XMP spec part 3, 1.1.3.1).
const XMP_EXT_ID: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
/// APP13 Photoshop image resources identifier.
const PHOTOSHOP_ID: &[u8] = b"Photoshop 3.0\0";
/// The Photoshop 2.5 APP13 identifier; its header is 27 bytes long.
const PHOTOSHOP_OLD_ID: &[u8] = b"Adobe_Photoshop2.5:";
/// How far back from the end of the file the EOI marker is looked for, so
/// that a short trailer after EOI (MPF, maker data) is not taken for truncation.
const EOI_TAIL_SEARCH: usize = 64 * 1024;

/// Walks `bytes` from SOI to SOS, filling `blocks`.
pub(super) fn read(bytes: &[u8], blocks: &mut Blocks) -> Result<(), ContainerError> {
    if bytes.len() < 4 {
        return Err(ContainerError::truncated(
            Format::Jpeg,
            "file ends inside the SOI marker",
        ));
    }
    if !bytes.starts_with(&[0xff, jpeg::SOI]) {
        return Err(ContainerError::corrupt(Format::Jpeg, "no SOI marker"));
    }
    let mut walk = Walk::default();
    let mut pos = 2usize;
    loop {
        // T.81 B.1.1.2: markers may be preceded by any number of 0xFF fill bytes.
        let Some(ff) = jpeg::next_ff(bytes, pos) else {
            blocks.warn("truncated: file ends before the start of scan (SOS)");
            break;
        };
        if ff > pos {
            blocks.warn(format!(
                "{} unknown bytes skipped before a JPEG marker at offset {pos}",
                ff - pos
            ));
        }
        let Some(marker) = jpeg::marker_at(bytes, ff) else {
            blocks.warn("truncated: file ends before the start of scan (SOS)");
            break;
        };
        pos = marker.after();
        if marker.code == jpeg::EOI {
            blocks.warn("EOI marker before the start of scan: no image data");
            walk.eoi_seen = true;
            break;
        }
        if !jpeg::has_length(marker.code) {
            continue;
        }
        let segment = match jpeg::segment(bytes, marker) {
            Ok(segment) => segment,
            Err(e) => {
                blocks.warn(e.to_string());
                break;
            }
        };
        let cut = segment.cut(bytes);
        if cut {
            blocks.warn(segment.cut_error().to_string());
        }
        walk.segment(marker.code, segment.data, blocks);
        if marker.code == jpeg::SOS || cut {
            break;
        }
        pos = segment.end;
    }
    if walk.sos_seen && !walk.eoi_seen && !ends_with_eoi(bytes) {
        blocks.warn("truncated: no EOI marker");
    }
    blocks.photoshop = walk.photoshop;
    Ok(())
}

/// State carried from one segment to the next.
#[derive(Default)]
struct Walk {
    /// Start of scan reached.
    sos_seen: bool,
    /// EOI met while walking the header.
    eoi_seen: bool,
    /// The previous segment was the EXIF APP1, which a following
    /// `Exif\0\0` APP1 without a TIFF header continues (multi-segment EXIF).
    exif_open: bool,
    /// Concatenated APP13 image resources.
    photoshop: Option<Vec<u8>>,
}

impl Walk {
    /// Takes what `blocks` needs from one marker segment's payload.
    fn segment(&mut self, marker: u8, data: &[u8], blocks: &mut Blocks) {
        let exif_was_open = std::mem::take(&mut self.exif_open);
        match marker {
            // T.81 table B.1: SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            0xc0..=0xcf if !matches!(marker, 0xc4 | 0xc8 | 0xcc) => {
                // B.2.2 frame header: P (1), Y (2), X (2), Nf (1).
                if let (Some(h), Some(w), true) =
                    (be_u16(data, 1), be_u16(data, 3), data.len() >= 6)
                {
                    blocks.width = Some(u32::from(w));
                    blocks.height = Some(u32::from(h));
                }
            }
            jpeg::SOS => self.sos_seen = true,
            0xe1 => self.app1(data, exif_was_open, blocks),
            0xed => {
                let payload = if let Some(rest) = data.strip_prefix(PHOTOSHOP_ID) {
                    Some(rest)
                } else if data.starts_with(PHOTOSHOP_OLD_ID) {
                    Some(data.get(27..).unwrap_or_default())
                } else {
                    None
                };
                if let Some(payload) = payload {
                    self.photoshop
                        .get_or_insert_with(Vec::new)
                        .extend_from_slice(payload);
                }
            }
            _ => {}
        }
    }

    /// APP1: EXIF, XMP or ExtendedXMP.
    fn app1(&mut self, data: &[u8], exif_was_open: bool, blocks: &mut Blocks) {
        if let Some(rest) = data.strip_prefix(XMP_EXT_ID) {
            extended_xmp(rest, blocks);
        } else if let Some(rest) = data.strip_prefix(XMP_ID) {
            if blocks.xmp.is_none() {
                blocks.xmp = Some(rest.to_vec());
            }
        } else if let Some(at) = data
            .get(..4 + EXIF_ID.len())
            .and_then(|h| super::find(h, EXIF_ID))
        {
            // The identifier is 6 bytes ("Exif\0\0") after any leading garbage.
            let tiff = data.get(at + 6..).unwrap_or_default();
            match &mut blocks.exif {
                None => {
                    if at > 0 {
                        blocks.warn("unknown garbage at the start of the EXIF segment");
                    }
                    blocks.exif = Some(tiff.to_vec());
                    self.exif_open = true;
                }
                Some(exif) if exif_was_open && at == 0 && !tiff::is_header(tiff) => {
                    // ExifTool's multi-segment EXIF: a continuation has no TIFF header.
                    exif.extend_from_slice(tiff);
                    self.exif_open = true;
                }
                Some(_) => {}
            }
        } else if blocks.xmp.is_none() {
            // Non-standard XMP headers that ExifTool still reads.
            // ExifTool.pm (APP1 "Could be XMP") hands such a segment to
            // its XMP parser whole; ours needs the XML itself, so the packet
            // starts at the first '<' (e.g. "XMP\0://ns.adobe.com/xap/1.0/\0<?xpacket").
            let looks_xmp = data.starts_with(b"XMP\0") || super::find(data, b"<?xpacket").is_some();
            if looks_xmp && let Some(lt) = data.iter().position(|&b| b == b'<') {
                blocks.warn("non-standard header for APP1 XMP segment");
                blocks.xmp = data.get(lt..).map(<[u8]>::to_vec);
            }
        }
    }
}

/// XMP part 3, 1.1.3.1: GUID (32 hex digits), full length, offset, data.
fn extended_xmp(rest: &[u8], blocks: &mut Blocks) {
    let (Some(guid), Some(full_length), Some(offset)) =
        (rest.get(..32), be_u32(rest, 32), be_u32(rest, 36))
    else {
        blocks.warn("ExtendedXMP segment too short for its header");
        return;
    };
    blocks.xmp_extended.push(ExtendedXmpChunk {
        guid: String::from_utf8_lossy(guid).into_owned(),
        full_length,
        offset,
        data: rest.get(40..).unwrap_or_default().to_vec(),
    });
}

/// Whether the file's last non-zero bytes, or a marker near its end (before
/// a trailer), are EOI. Entropy-coded data cannot contain FF D9 (T.81
/// B.1.1.5: FF is stuffed with 00), so any FF D9 after SOS is an EOI.
fn ends_with_eoi(bytes: &[u8]) -> bool {
    let trimmed = bytes
        .iter()
        .rposition(|&b| b != 0)
        .map_or(&[][..], |i| &bytes[..=i]);
    if trimmed.ends_with(b"\xff\xd9") {
        return true;
    }
    let tail = &bytes[bytes.len().saturating_sub(EOI_TAIL_SEARCH)..];
    tail.windows(2).any(|w| w == b"\xff\xd9")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{fuzz, read_blocks};

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![0xff, marker];
        v.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        v.extend_from_slice(payload);
        v
    }

    fn sample() -> Vec<u8> {
        let mut f = vec![0xff, 0xd8];
        f.extend(segment(0xe0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        f.extend(segment(0xe1, b"Exif\0\0MM\0*\0\0\0\x08\0\0"));
        let mut xmp = XMP_ID.to_vec();
        xmp.extend_from_slice(b"<x:xmpmeta/>");
        f.extend(segment(0xe1, &xmp));
        let mut ext = XMP_EXT_ID.to_vec();
        ext.extend_from_slice(&[b'A'; 32]);
        ext.extend_from_slice(&10u32.to_be_bytes());
        ext.extend_from_slice(&4u32.to_be_bytes());
        ext.extend_from_slice(b"abcdef");
        f.extend(segment(0xe1, &ext));
        f.extend(segment(0xed, b"Photoshop 3.0\x008BIM\x04\x04"));
        f.extend(segment(0xc4, &[0; 20]));
        f.extend(segment(
            0xc0,
            &[8, 0, 120, 0, 160, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1],
        ));
        f.extend(segment(0xed, b"Photoshop 3.0\x00\0\0\0\0\0\0\0\0"));
        f.extend(segment(0xda, &[1, 1, 0, 0, 63, 0]));
        f.extend_from_slice(&[0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]);
        f.extend_from_slice(&[0xff, 0xd9]);
        f
    }

    #[test]
    fn reads_sof_and_blocks() {
        let b = read_blocks(Format::Jpeg, &sample()).unwrap();
        assert_eq!((b.width, b.height), (Some(160), Some(120)));
        assert_eq!(b.exif.as_deref(), Some(&b"MM\0*\0\0\0\x08\0\0"[..]));
        assert_eq!(b.xmp.as_deref(), Some(&b"<x:xmpmeta/>"[..]));
        assert_eq!(b.xmp_extended.len(), 1);
        assert_eq!(b.xmp_extended[0].guid, "A".repeat(32));
        assert_eq!(
            (b.xmp_extended[0].full_length, b.xmp_extended[0].offset),
            (10, 4)
        );
        assert_eq!(b.xmp_extended[0].data, b"abcdef");
        // Both APP13 payloads, headers stripped, in file order.
        assert_eq!(
            b.photoshop.as_deref(),
            Some(&b"8BIM\x04\x04\0\0\0\0\0\0\0\0"[..])
        );
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    }

    #[test]
    fn missing_eoi_warns_but_trailing_zeros_do_not() {
        let mut f = sample();
        f.extend_from_slice(&[0, 0, 0]);
        assert!(read_blocks(Format::Jpeg, &f).unwrap().warnings.is_empty());
        f.truncate(f.len() - 5);
        let b = read_blocks(Format::Jpeg, &f).unwrap();
        assert!(b.warnings.iter().any(|w| w == "truncated: no EOI marker"));
        assert_eq!(b.width, Some(160));
    }

    #[test]
    fn segment_past_end_warns_and_keeps_earlier_blocks() {
        let mut f = vec![0xff, 0xd8];
        f.extend(segment(0xe1, b"Exif\0\0II*\0\x08\0\0\0"));
        f.extend_from_slice(&[0xff, 0xe1, 0x40, 0x00, b'h', b't']);
        let b = read_blocks(Format::Jpeg, &f).unwrap();
        assert!(b.exif.is_some());
        assert!(b.warnings.iter().any(|w| w.contains("runs past the end")));
    }

    #[test]
    fn multi_segment_exif_is_joined() {
        let mut f = vec![0xff, 0xd8];
        f.extend(segment(0xe1, b"Exif\0\0II*\0\x08\0\0\0"));
        f.extend(segment(0xe1, b"Exif\0\0more"));
        f.extend(segment(0xda, &[0]));
        f.extend_from_slice(&[0xff, 0xd9]);
        let b = read_blocks(Format::Jpeg, &f).unwrap();
        assert_eq!(b.exif.as_deref(), Some(&b"II*\0\x08\0\0\0more"[..]));
    }

    #[test]
    fn header_errors() {
        assert!(read_blocks(Format::Jpeg, b"").is_err());
        assert!(read_blocks(Format::Jpeg, b"\xff\xd8\xff").is_err());
        assert!(read_blocks(Format::Jpeg, b"\x00\xd8\xff\xe0").is_err());
    }

    #[test]
    fn never_panics() {
        fuzz::never_panics(Format::Jpeg, &sample());
    }
}
