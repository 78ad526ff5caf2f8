//! Walks WebP RIFF chunks (RFC 9649) for the canvas size, EXIF and XMP.

use super::{Blocks, ContainerError, le_u16, le_u32, strip_exif_header};
use crate::format::Format;
use crate::structure::riff;

/// Walks the chunks of `bytes`, filling `blocks`.
pub(super) fn read(bytes: &[u8], blocks: &mut Blocks) -> Result<(), ContainerError> {
    // RFC 9649 2.5: "RIFF", file size - 8 (LE), "WEBP".
    if bytes.len() < 12 {
        return Err(ContainerError::truncated(
            Format::Webp,
            "file ends inside the RIFF header",
        ));
    }
    if !bytes.starts_with(b"RIFF") || bytes.get(8..12) != Some(b"WEBP") {
        return Err(ContainerError::corrupt(Format::Webp, "no RIFF WEBP header"));
    }
    let riff_end = le_u32(bytes, 4)
        .and_then(|s| usize::try_from(s).ok())
        .map_or(usize::MAX, |s| s.saturating_add(8));
    if riff_end > bytes.len() {
        blocks.warn("truncated: the RIFF size runs past the end of the file");
    }
    let end = riff_end.min(bytes.len());
    let mut canvas: Option<(u32, u32)> = None;
    let mut bitstream: Option<(u32, u32)> = None;
    let mut pos = 12usize;
    while pos + 8 <= end {
        let Some(c) = riff::chunk(bytes, pos) else {
            break;
        };
        let (kind, chunk_end) = (&c.kind, c.data_end());
        let overrun = chunk_end > end;
        let data = bytes.get(c.data_at..chunk_end.min(end)).unwrap_or_default();
        if overrun {
            let kind = String::from_utf8_lossy(kind);
            blocks.warn(format!(
                "truncated: WebP chunk {kind} at offset {pos} runs past the end of the file"
            ));
        }
        match kind {
            b"VP8X" => canvas = canvas.or(vp8x_size(data)),
            b"VP8 " => bitstream = bitstream.or(vp8_size(data)),
            b"VP8L" => bitstream = bitstream.or(vp8l_size(data)),
            b"EXIF" => {
                blocks
                    .exif
                    .get_or_insert_with(|| strip_exif_header(data).to_vec());
            }
            b"XMP " => {
                blocks.xmp.get_or_insert_with(|| data.to_vec());
            }
            _ => {}
        }
        if overrun {
            break;
        }
        pos = c.padded_end();
    }
    if let Some((w, h)) = canvas.or(bitstream) {
        blocks.width = Some(w);
        blocks.height = Some(h);
    }
    Ok(())
}

/// RFC 9649 2.7: flags (1), reserved (3), canvas width - 1 (24 LE), height - 1 (24 LE).
fn vp8x_size(data: &[u8]) -> Option<(u32, u32)> {
    let u24 = |at: usize| {
        Some(u32::from_le_bytes([
            *data.get(at)?,
            *data.get(at + 1)?,
            *data.get(at + 2)?,
            0,
        ]))
    };
    Some((u24(4)? + 1, u24(7)? + 1))
}

/// RFC 6386 9.1: frame tag (3), start code 9D 01 2A, 14-bit width and height.
fn vp8_size(data: &[u8]) -> Option<(u32, u32)> {
    if data.get(3..6) != Some(b"\x9d\x01\x2a") {
        return None;
    }
    Some((
        u32::from(le_u16(data, 6)? & 0x3fff),
        u32::from(le_u16(data, 8)? & 0x3fff),
    ))
}

/// RFC 9649 3.2.1 (VP8L): signature 0x2F, then 14 bits width - 1, 14 bits height - 1.
fn vp8l_size(data: &[u8]) -> Option<(u32, u32)> {
    if data.first() != Some(&0x2f) {
        return None;
    }
    let bits = le_u32(data, 1)?;
    Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{fuzz, read_blocks};

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = kind.to_vec();
        v.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
        v.extend_from_slice(data);
        if data.len() % 2 == 1 {
            v.push(0);
        }
        v
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut v = b"RIFF".to_vec();
        v.extend_from_slice(&u32::try_from(body.len() + 4).unwrap().to_le_bytes());
        v.extend_from_slice(b"WEBP");
        v.extend(body);
        v
    }

    fn sample() -> Vec<u8> {
        riff(&[
            chunk(b"VP8X", &[0x0c, 0, 0, 0, 0x67, 0x01, 0, 0xd7, 0, 0]),
            chunk(b"VP8 ", &[0, 0, 0, 0x9d, 0x01, 0x2a, 10, 0, 20, 0]),
            chunk(b"EXIF", b"Exif\0\0II*\0\x08\0\0\0"),
            chunk(b"XMP ", b"<x:xmpmeta/>!"),
        ])
    }

    #[test]
    fn reads_canvas_and_blocks() {
        let b = read_blocks(Format::Webp, &sample()).unwrap();
        assert_eq!((b.width, b.height), (Some(360), Some(216)));
        assert_eq!(b.exif.as_deref(), Some(&b"II*\0\x08\0\0\0"[..]));
        assert_eq!(b.xmp.as_deref(), Some(&b"<x:xmpmeta/>!"[..]));
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    }

    #[test]
    fn simple_lossy_and_lossless() {
        let lossy = riff(&[chunk(
            b"VP8 ",
            &[0, 0, 0, 0x9d, 0x01, 0x2a, 0x52, 0x40, 0x52, 0],
        )]);
        let b = read_blocks(Format::Webp, &lossy).unwrap();
        assert_eq!((b.width, b.height), (Some(82), Some(82)));
        // width 400 (399 = 0x18F), height 301 (300 = 0x12C): bits = 399 | 300 << 14.
        let bits: u32 = 399 | (300 << 14);
        let mut l = vec![0x2f];
        l.extend_from_slice(&bits.to_le_bytes());
        let b = read_blocks(Format::Webp, &riff(&[chunk(b"VP8L", &l)])).unwrap();
        assert_eq!((b.width, b.height), (Some(400), Some(301)));
    }

    #[test]
    fn chunk_past_end_warns() {
        let mut f = sample();
        f.truncate(f.len() - 4);
        let b = read_blocks(Format::Webp, &f).unwrap();
        assert_eq!(b.width, Some(360));
        assert!(b.warnings.iter().any(|w| w.contains("runs past the end")));
    }

    #[test]
    fn header_errors() {
        assert!(read_blocks(Format::Webp, b"RIFF\0\0\0\0WEB").is_err());
        assert!(read_blocks(Format::Webp, b"RIFF\0\0\0\0WAVEfmt ").is_err());
    }

    #[test]
    fn never_panics() {
        fuzz::never_panics(Format::Webp, &sample());
    }
}
