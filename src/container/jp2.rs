//! Walks JPEG 2000 boxes (ISO/IEC 15444-1 annex I) for `ihdr`, XML and the metadata UUID boxes.

use super::isobmff::XMP_UUID;
use super::{Blocks, ContainerError, be_u32};
use crate::format::Format;
use crate::structure::isobmff::Boxes;

/// ExifTool's and Adobe's UUID for EXIF: "JpgTiffExif->JP2".
const EXIF_UUID: &[u8] = b"JpgTiffExif->JP2";
/// The EXIF UUID written by Photoshop's JPEG 2000 plug-in.
const EXIF_UUID_ADOBE: &[u8] = b"\x05\x37\xcd\xab\x9d\x0c\x44\x31\xa7\x2a\xfa\x56\x1f\x2a\x11\x3e";
/// The IPTC UUIDs (ExifTool's and Photoshop's).
const IPTC_UUIDS: [&[u8]; 2] = [
    b"\x33\xc7\xa4\xd2\xb8\x1d\x47\x23\xa0\xba\xf1\xa3\xe0\x97\xad\x38",
    b"\x09\xa1\x4e\x97\xc0\xb4\x42\xe0\xbe\xbf\x36\xdf\x6f\x0c\xe3\x6f",
];
/// The Photoshop image resources UUID.
const PHOTOSHOP_UUID: &[u8] = b"\x2c\x4c\x01\x00\x85\x04\x40\xb9\xa0\x3e\x56\x21\x48\xd6\xdf\xeb";

/// Walks the boxes (or the bare codestream) of `bytes`, filling `blocks`.
pub(super) fn read(bytes: &[u8], blocks: &mut Blocks) -> Result<(), ContainerError> {
    if bytes.starts_with(b"\xff\x4f\xff\x51") {
        return codestream(bytes, blocks);
    }
    if bytes.len() < 12 {
        return Err(ContainerError::truncated(
            Format::Jp2,
            "file ends inside the signature box",
        ));
    }
    let mut boxes = Boxes::new(bytes);
    let mut has_codestream = false;
    for b in boxes.by_ref() {
        has_codestream |= &b.kind == b"jp2c";
        match &b.kind {
            b"jp2h" => {
                // I.5.3.1 ihdr: height (4), width (4), components, depth, ….
                let ihdr = Boxes::new(b.body).find(|c| &c.kind == b"ihdr");
                if let Some(ihdr) = ihdr.filter(|_| blocks.width.is_none()) {
                    blocks.height = be_u32(ihdr.body, 0);
                    blocks.width = be_u32(ihdr.body, 4);
                }
            }
            b"xml " => {
                let looks_xmp = super::find(b.body, b"x:xmpmeta").is_some()
                    || super::find(b.body, b"rdf:RDF").is_some();
                if looks_xmp && blocks.xmp.is_none() {
                    blocks.xmp = Some(b.body.to_vec());
                }
            }
            b"uuid" => uuid(b.body, blocks),
            b"jp2c" if blocks.width.is_none() => {
                let _ = codestream(b.body, blocks);
            }
            _ => {}
        }
    }
    if let Some(warning) = boxes.error {
        blocks.warn(warning.to_string());
    }
    // I.5: a JP2 file holds at least one codestream box; none means it was cut
    // at a box boundary (which the overrun check cannot see).
    if !has_codestream {
        blocks.warn("no codestream box (jp2c): the file is cut short or holds no image");
    }
    Ok(())
}

/// A `uuid` box (I.7.2): 16-byte UUID, then the data.
fn uuid(body: &[u8], blocks: &mut Blocks) {
    let (Some(id), Some(data)) = (body.get(..16), body.get(16..)) else {
        return;
    };
    if id == EXIF_UUID || id == EXIF_UUID_ADOBE {
        // Digikam writes "Exif\0\0" before the TIFF header; ExifTool skips it.
        blocks
            .exif
            .get_or_insert_with(|| super::strip_exif_header(data).to_vec());
    } else if IPTC_UUIDS.contains(&id) {
        if data.first() == Some(&0x1c) {
            blocks.iptc.get_or_insert_with(|| data.to_vec());
        } else {
            blocks.photoshop.get_or_insert_with(|| data.to_vec());
        }
    } else if id == XMP_UUID {
        blocks.xmp.get_or_insert_with(|| data.to_vec());
    } else if id == PHOTOSHOP_UUID {
        blocks.photoshop.get_or_insert_with(|| data.to_vec());
    }
}

/// 15444-1 A.5.1 SIZ: after SOC and the SIZ marker, Lsiz (2), Rsiz (2),
/// Xsiz, Ysiz, XOsiz, YOsiz (4 each); the image is Xsiz - XOsiz wide.
fn codestream(bytes: &[u8], blocks: &mut Blocks) -> Result<(), ContainerError> {
    let fields = (
        be_u32(bytes, 8),
        be_u32(bytes, 12),
        be_u32(bytes, 16),
        be_u32(bytes, 20),
    );
    let (Some(x), Some(y), Some(x0), Some(y0)) = fields else {
        return Err(ContainerError::truncated(
            Format::Jp2,
            "codestream ends inside the SIZ marker",
        ));
    };
    if !bytes.starts_with(b"\xff\x4f\xff\x51") {
        return Err(ContainerError::corrupt(
            Format::Jp2,
            "codestream does not start with SOC, SIZ",
        ));
    }
    blocks.width = x.checked_sub(x0);
    blocks.height = y.checked_sub(y0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::isobmff::tests::bx;
    use crate::container::{fuzz, read_blocks};

    fn sample() -> Vec<u8> {
        let mut f = bx(b"jP  ", b"\r\n\x87\n");
        f.extend(bx(b"ftyp", b"jp2 \0\0\0\0jp2 "));
        let mut ihdr = 130u32.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&200u32.to_be_bytes());
        ihdr.extend_from_slice(&[0, 3, 7, 7, 0, 0]);
        f.extend(bx(b"jp2h", &bx(b"ihdr", &ihdr)));
        f.extend(bx(b"uuid", &[EXIF_UUID, b"II*\0\x08\0\0\0"].concat()));
        f.extend(bx(
            b"uuid",
            &[IPTC_UUIDS[0], b"\x1c\x02\x05\0\x01A"].concat(),
        ));
        f.extend(bx(b"uuid", &[XMP_UUID, b"<x:xmpmeta/>"].concat()));
        f.extend(bx(
            b"jp2c",
            b"\xff\x4f\xff\x51\0\x29\0\0\0\0\0\xc8\0\0\0\x82\0\0\0\0\0\0\0\0",
        ));
        f
    }

    #[test]
    fn reads_ihdr_and_uuid_boxes() {
        let b = read_blocks(Format::Jp2, &sample()).unwrap();
        assert_eq!((b.width, b.height), (Some(200), Some(130)));
        assert_eq!(b.exif.as_deref(), Some(&b"II*\0\x08\0\0\0"[..]));
        assert_eq!(b.iptc.as_deref(), Some(&b"\x1c\x02\x05\0\x01A"[..]));
        assert_eq!(b.xmp.as_deref(), Some(&b"<x:xmpmeta/>"[..]));
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    }

    #[test]
    fn bare_codestream_size() {
        let c = b"\xff\x4f\xff\x51\0\x29\0\0\0\0\x01\x00\0\0\0\x80\0\0\0\x10\0\0\0\x08";
        let b = read_blocks(Format::Jp2, c).unwrap();
        assert_eq!((b.width, b.height), (Some(240), Some(120)));
        assert!(read_blocks(Format::Jp2, &c[..20]).is_err());
    }

    #[test]
    fn box_past_end_warns() {
        let mut f = sample();
        f.truncate(f.len() - 3);
        let b = read_blocks(Format::Jp2, &f).unwrap();
        assert!(b.warnings.iter().any(|w| w.contains("runs past the end")));
    }

    #[test]
    fn never_panics() {
        fuzz::never_panics(Format::Jp2, &sample());
    }
}
