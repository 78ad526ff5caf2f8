//! Walks JPEG XL boxes (ISO/IEC 18181-2) and reads the codestream SizeHeader (ISO/IEC 18181-1).

use super::isobmff::XMP_UUID;
use super::{Blocks, ContainerError, be_u32};
use crate::format::Format;
use crate::structure::isobmff::Boxes;

/// Walks the boxes (or the bare codestream) of `bytes`, filling `blocks`.
pub(super) fn read(bytes: &[u8], blocks: &mut Blocks) -> Result<(), ContainerError> {
    if bytes.starts_with(b"\xff\x0a") {
        let Some((w, h)) = size_header(bytes) else {
            return Err(ContainerError::truncated(
                Format::Jxl,
                "codestream ends inside the SizeHeader",
            ));
        };
        blocks.width = Some(w);
        blocks.height = Some(h);
        return Ok(());
    }
    if bytes.len() < 12 {
        return Err(ContainerError::truncated(
            Format::Jxl,
            "file ends inside the signature box",
        ));
    }
    let mut boxes = Boxes::new(bytes);
    let mut size = None;
    for b in boxes.by_ref() {
        match &b.kind {
            // 18181-2 9.6 / 9.7: the whole codestream, or parts led by a 4-byte index.
            b"jxlc" => size = size.or_else(|| size_header(b.body)),
            b"jxlp" => size = size.or_else(|| size_header(b.body.get(4..).unwrap_or_default())),
            // 18181-2 9.3: Exif box = 4-byte offset to the TIFF header, then the data.
            b"Exif" if blocks.exif.is_none() => {
                let skip = be_u32(b.body, 0)
                    .and_then(|n| usize::try_from(n).ok())
                    .and_then(|n| n.checked_add(4));
                match skip.and_then(|s| b.body.get(s..)) {
                    Some(tiff) => blocks.exif = Some(tiff.to_vec()),
                    None => blocks.warn("JXL Exif box offset is past its end"),
                }
            }
            b"xml " => {
                blocks.xmp.get_or_insert_with(|| b.body.to_vec());
            }
            b"uuid" if b.body.starts_with(XMP_UUID) => {
                blocks
                    .xmp
                    .get_or_insert_with(|| b.body.get(16..).unwrap_or_default().to_vec());
            }
            // 18181-2 9.8: Brotli-compressed box; reading it would need a Brotli decoder.
            b"brob" => {
                let inner =
                    String::from_utf8_lossy(b.body.get(..4).unwrap_or_default()).into_owned();
                if matches!(inner.as_str(), "Exif" | "xml ") {
                    blocks.warn(format!("JXL {inner:?} box is Brotli-compressed: not read"));
                }
            }
            _ => {}
        }
    }
    if let Some(warning) = boxes.error {
        blocks.warn(warning.to_string());
    }
    if let Some((w, h)) = size {
        blocks.width = Some(w);
        blocks.height = Some(h);
    }
    Ok(())
}

/// 18181-1 A.2 SizeHeader after the FF 0A signature, read LSB-first.
fn size_header(codestream: &[u8]) -> Option<(u32, u32)> {
    if !codestream.starts_with(b"\xff\x0a") {
        return None;
    }
    let mut bits = Bits {
        data: codestream.get(2..)?,
        pos: 0,
    };
    let small = bits.take(1)? == 1;
    let dimension = |bits: &mut Bits| -> Option<u32> {
        if small {
            Some((bits.take(5)? + 1) * 8)
        } else {
            let width = [9, 13, 18, 30][usize::try_from(bits.take(2)?).ok()?];
            Some(bits.take(width)? + 1)
        }
    };
    let height = dimension(&mut bits)?;
    let ratio = bits.take(3)?;
    let width = match ratio {
        0 => dimension(&mut bits)?,
        // A.2: fixed aspect ratios 1:1, 12:10, 4:3, 3:2, 16:9, 5:4, 2:1.
        r => {
            let (num, den) = [(1, 1), (12, 10), (4, 3), (3, 2), (16, 9), (5, 4), (2, 1)]
                [usize::try_from(r - 1).ok()?];
            u32::try_from(u64::from(height) * num / den).ok()?
        }
    };
    Some((width, height))
}

/// An LSB-first bit reader (18181-1 section 4).
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    /// The next `n` (≤ 32) bits as an integer, first bit least significant.
    fn take(&mut self, n: u32) -> Option<u32> {
        let mut v = 0u32;
        for i in 0..n {
            let byte = *self.data.get(self.pos / 8)?;
            v |= u32::from((byte >> (self.pos % 8)) & 1) << i;
            self.pos += 1;
        }
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::isobmff::tests::bx;
    use crate::container::{fuzz, read_blocks};

    /// Packs `(value, bit count)` fields LSB-first after FF 0A.
    fn codestream(fields: &[(u32, u32)]) -> Vec<u8> {
        let mut out = vec![0xff, 0x0a];
        let mut bit = 0usize;
        for &(value, n) in fields {
            for i in 0..n {
                if bit / 8 + 2 >= out.len() {
                    out.push(0);
                }
                out[2 + bit / 8] |= u8::try_from((value >> i) & 1).unwrap() << (bit % 8);
                bit += 1;
            }
        }
        out.extend_from_slice(&[0; 4]);
        out
    }

    fn sample() -> Vec<u8> {
        let mut f = bx(b"JXL ", b"\r\n\x87\n");
        f.extend(bx(b"ftyp", b"jxl \0\0\0\0jxl "));
        f.extend(bx(b"Exif", b"\0\0\0\0MM\0*\0\0\0\x08"));
        f.extend(bx(b"xml ", b"<x:xmpmeta/>"));
        // Not small; height 130 (selector 0, 9 bits: 129); ratio 0; width 200.
        f.extend(bx(
            b"jxlc",
            &codestream(&[(0, 1), (0, 2), (129, 9), (0, 3), (0, 2), (199, 9)]),
        ));
        f
    }

    #[test]
    fn reads_boxes_and_size() {
        let b = read_blocks(Format::Jxl, &sample()).unwrap();
        assert_eq!((b.width, b.height), (Some(200), Some(130)));
        assert_eq!(b.exif.as_deref(), Some(&b"MM\0*\0\0\0\x08"[..]));
        assert_eq!(b.xmp.as_deref(), Some(&b"<x:xmpmeta/>"[..]));
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    }

    #[test]
    fn bare_codestream_small_and_ratio() {
        // Small: height (3+1)*8 = 32; ratio 5 (16:9): width 56.
        let b = read_blocks(Format::Jxl, &codestream(&[(1, 1), (3, 5), (5, 3)])).unwrap();
        assert_eq!((b.width, b.height), (Some(56), Some(32)));
        assert!(read_blocks(Format::Jxl, b"\xff\x0a").is_err());
    }

    #[test]
    fn box_past_end_warns() {
        let mut f = sample();
        f.truncate(f.len() - 2);
        let b = read_blocks(Format::Jxl, &f).unwrap();
        assert!(b.warnings.iter().any(|w| w.contains("runs past the end")));
    }

    #[test]
    fn never_panics() {
        fuzz::never_panics(Format::Jxl, &sample());
    }
}
