//! Walks GIF blocks (GIF89a specification) for the logical screen size and the XMP application extension.

use super::{Blocks, ContainerError, le_u16};
use crate::format::Format;

/// XMP spec part 3, 1.1.2: application identifier and authentication code.
const XMP_APP: &[u8] = b"XMP DataXMP";

/// Walks the blocks of `bytes`, filling `blocks`.
pub(super) fn read(bytes: &[u8], blocks: &mut Blocks) -> Result<(), ContainerError> {
    // GIF89a 17–18: header (6), logical screen width (2 LE), height (2 LE), flags, bg, aspect.
    let (Some(width), Some(height), Some(&flags)) =
        (le_u16(bytes, 6), le_u16(bytes, 8), bytes.get(10))
    else {
        return Err(ContainerError::truncated(
            Format::Gif,
            "file ends inside the logical screen descriptor",
        ));
    };
    blocks.width = Some(u32::from(width));
    blocks.height = Some(u32::from(height));
    let mut pos = 13 + color_table_len(flags);
    loop {
        let Some(&introducer) = bytes.get(pos) else {
            blocks.warn("truncated: no GIF trailer");
            return Ok(());
        };
        pos += 1;
        match introducer {
            // GIF89a 27: trailer.
            0x3b => return Ok(()),
            // GIF89a 20: image descriptor (9 bytes), local color table, LZW code size, data.
            0x2c => {
                let Some(&flags) = bytes.get(pos + 8) else {
                    break;
                };
                pos += 9 + color_table_len(flags) + 1;
                match sub_blocks(bytes, pos) {
                    Some(end) => pos = end,
                    None => break,
                }
            }
            // GIF89a 23–26: extension: label, then sub-blocks.
            0x21 => {
                let Some(&label) = bytes.get(pos) else { break };
                pos += 1;
                let start = pos;
                let Some(end) = sub_blocks(bytes, pos) else {
                    break;
                };
                if label == 0xff
                    && bytes
                        .get(start..start + 12)
                        .is_some_and(|h| h[0] == 11 && &h[1..] == XMP_APP)
                {
                    xmp(bytes.get(start + 12..end).unwrap_or_default(), blocks);
                }
                pos = end;
            }
            other => {
                blocks.warn(format!(
                    "unknown GIF block 0x{other:02X} at offset {}",
                    pos - 1
                ));
                return Ok(());
            }
        }
    }
    blocks.warn("truncated: GIF block runs past the end of the file");
    Ok(())
}

/// Bytes in a color table announced by packed `flags` (GIF89a 18.c, 20.c).
fn color_table_len(flags: u8) -> usize {
    if flags & 0x80 == 0 {
        0
    } else {
        3 << ((flags & 7) + 1)
    }
}

/// The offset after the sub-block chain starting at `pos` (GIF89a 15), or
/// `None` when it runs past the end.
fn sub_blocks(bytes: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let size = usize::from(*bytes.get(pos)?);
        pos += 1 + size;
        if size == 0 {
            return Some(pos);
        }
        if pos > bytes.len() {
            return None;
        }
    }
}

/// The XMP packet is stored raw, its bytes read as sub-block sizes, and is
/// followed by a 258-byte "magic trailer" (XMP part 3, 1.1.2). Like ExifTool,
/// keep the raw bytes up to the end of `<?xpacket end=…?>`.
fn xmp(raw: &[u8], blocks: &mut Blocks) {
    if blocks.xmp.is_some() {
        return;
    }
    let end = super::find(raw, b"<?xpacket end=")
        .and_then(|at| super::find(&raw[at..], b"?>").map(|e| at + e + 2))
        .or_else(|| super::find(raw, b"</x:xmpmeta>").map(|at| at + 12))
        .unwrap_or_else(|| raw.len().saturating_sub(258));
    blocks.xmp = Some(raw.get(..end).unwrap_or_default().to_vec());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{fuzz, read_blocks};

    fn sample() -> Vec<u8> {
        let mut f = b"GIF89a\x68\x01\xd8\x00\x80\0\0".to_vec();
        f.extend_from_slice(&[0; 6]); // 2-entry global color table
        f.extend_from_slice(b"\x21\xfe\x03abc\x00"); // comment
        f.extend_from_slice(b"\x21\xff\x0bXMP DataXMP");
        f.extend_from_slice(b"<?xpacket begin=''?><x:xmpmeta/><?xpacket end='w'?>");
        // The magic trailer: 01 FF FE … 01 00, then the block terminator 00.
        f.push(1);
        f.extend((0..=255u8).rev());
        f.push(0);
        f.extend_from_slice(b"\x2c\0\0\0\0\x01\0\x01\0\0\x02\x02\x4c\x01\x00");
        f.push(0x3b);
        f
    }

    #[test]
    fn reads_screen_and_xmp() {
        let b = read_blocks(Format::Gif, &sample()).unwrap();
        assert_eq!((b.width, b.height), (Some(360), Some(216)));
        assert_eq!(
            b.xmp.as_deref(),
            Some(&b"<?xpacket begin=''?><x:xmpmeta/><?xpacket end='w'?>"[..])
        );
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    }

    #[test]
    fn missing_trailer_warns() {
        let mut f = sample();
        f.pop();
        let b = read_blocks(Format::Gif, &f).unwrap();
        assert!(b.warnings.iter().any(|w| w.contains("no GIF trailer")));
        f.truncate(f.len() - 3);
        let b = read_blocks(Format::Gif, &f).unwrap();
        assert!(b.warnings.iter().any(|w| w.contains("runs past the end")));
    }

    #[test]
    fn header_errors() {
        assert!(read_blocks(Format::Gif, b"GIF89a\x01\0\x01\0").is_err());
    }

    #[test]
    fn never_panics() {
        fuzz::never_panics(Format::Gif, &sample());
    }
}
