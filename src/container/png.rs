//! Walks PNG chunks (ISO/IEC 15948, PNG 3rd edition) for IHDR, eXIf and the textual chunks.

use super::{Blocks, ContainerError, PngText, be_u32, strip_exif_header};
use crate::format::Format;
use crate::structure::png::{self, SIGNATURE};
/// The iTXt keyword that holds XMP (XMP spec part 3, 1.1.5).
const XMP_KEYWORD: &str = "XML:com.adobe.xmp";
/// A zTXt/iTXt text inflates to at most this many bytes.
const INFLATE_CAP: usize = 16 * 1024 * 1024;

/// Walks the chunks of `bytes`, filling `blocks`. CRCs are not checked.
pub(super) fn read(bytes: &[u8], blocks: &mut Blocks) -> Result<(), ContainerError> {
    if !bytes.starts_with(SIGNATURE) {
        return Err(ContainerError::corrupt(Format::Png, "no PNG signature"));
    }
    let mut pos = SIGNATURE.len();
    let mut first = true;
    let mut iend = false;
    while pos < bytes.len() {
        let Some(c) = png::chunk(bytes, pos) else {
            blocks.warn(format!(
                "truncated: chunk header at offset {pos} is cut off"
            ));
            break;
        };
        let (kind, data) = (&c.kind, c.data);
        let overrun = c.cut(bytes);
        if first {
            if kind != b"IHDR" || data.len() < 8 {
                return Err(ContainerError::corrupt(
                    Format::Png,
                    "the first chunk is not a whole IHDR",
                ));
            }
            // PNG 11.2.2: width (4), height (4).
            blocks.width = be_u32(data, 0);
            blocks.height = be_u32(data, 4);
            first = false;
        }
        if overrun {
            let kind = String::from_utf8_lossy(kind);
            blocks.warn(format!(
                "truncated: PNG chunk {kind} at offset {pos} runs past the end of the file"
            ));
        }
        chunk(kind, data, blocks);
        if kind == b"IEND" || overrun {
            iend = kind == b"IEND";
            break;
        }
        pos = c.end();
    }
    if first {
        return Err(ContainerError::truncated(Format::Png, "no IHDR chunk"));
    }
    if !iend {
        blocks.warn("truncated: no IEND chunk");
    }
    Ok(())
}

/// Takes what `blocks` needs from one chunk.
fn chunk(kind: &[u8], data: &[u8], blocks: &mut Blocks) {
    match kind {
        b"eXIf" if blocks.exif.is_none() => {
            blocks.exif = Some(strip_exif_header(data).to_vec());
        }
        b"tEXt" => {
            // PNG 11.3.4.3: keyword, NUL, Latin-1 text.
            let Some((keyword, text)) = split_nul(data) else {
                blocks.warn("tEXt chunk without a keyword separator");
                return;
            };
            text_chunk(latin1(keyword), latin1(text), blocks);
        }
        b"zTXt" => {
            // PNG 11.3.4.4: keyword, NUL, method (0 = zlib), compressed Latin-1 text.
            let Some((keyword, rest)) = split_nul(data) else {
                blocks.warn("zTXt chunk without a keyword separator");
                return;
            };
            let keyword = latin1(keyword);
            if let Some(text) = inflate(rest.get(1..).unwrap_or_default(), &keyword, blocks) {
                text_chunk(keyword, latin1(&text), blocks);
            }
        }
        b"iTXt" => itxt(data, blocks),
        _ => {}
    }
}

/// PNG 11.3.4.5: keyword, NUL, compression flag, method, language tag, NUL,
/// translated keyword, NUL, UTF-8 text.
fn itxt(data: &[u8], blocks: &mut Blocks) {
    let parsed = split_nul(data).and_then(|(keyword, rest)| {
        let (&flag, rest) = rest.split_first()?;
        let (_method, rest) = rest.split_first()?;
        let (_language, rest) = split_nul(rest)?;
        let (_translated, text) = split_nul(rest)?;
        Some((keyword, flag, text))
    });
    let Some((keyword, flag, text)) = parsed else {
        blocks.warn("iTXt chunk with a damaged header");
        return;
    };
    let keyword = latin1(keyword);
    let text = if flag == 0 {
        text.to_vec()
    } else {
        match inflate(text, &keyword, blocks) {
            Some(t) => t,
            None => return,
        }
    };
    if keyword == XMP_KEYWORD {
        if blocks.xmp.is_none() {
            blocks.xmp = Some(text);
        }
        return;
    }
    text_chunk(keyword, String::from_utf8_lossy(&text).into_owned(), blocks);
}

/// Files a decoded textual chunk: ImageMagick raw profiles become blocks,
/// everything else goes to `png_text`.
fn text_chunk(keyword: String, text: String, blocks: &mut Blocks) {
    if keyword == XMP_KEYWORD {
        if blocks.xmp.is_none() {
            blocks.xmp = Some(text.into_bytes());
        }
        return;
    }
    if let Some(kind) = keyword.strip_prefix("Raw profile type ")
        && raw_profile(kind, &text, blocks)
    {
        return;
    }
    blocks.png_text.push(PngText { keyword, text });
}

/// ImageMagick's hex "Raw profile type X" text: `\nX\n   <length>\n<hex…>`.
/// Returns whether the profile was taken into a block.
fn raw_profile(kind: &str, text: &str, blocks: &mut Blocks) -> bool {
    let slot = match kind {
        "exif" | "APP1" | "xmp" | "iptc" | "8bim" => kind,
        _ => return false,
    };
    let mut lines = text.trim_start_matches('\n').splitn(3, '\n');
    let (_name, length, hex) = (lines.next(), lines.next(), lines.next().unwrap_or_default());
    let declared = length.and_then(|l| l.trim().parse::<usize>().ok());
    let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let mut data = Vec::with_capacity(digits.len() / 2);
    for pair in digits.chunks_exact(2) {
        let (Some(hi), Some(lo)) = (hex_value(pair[0]), hex_value(pair[1])) else {
            blocks.warn(format!("Raw profile type {kind} holds a non-hex digit"));
            return false;
        };
        data.push(hi << 4 | lo);
    }
    if declared != Some(data.len()) {
        blocks.warn(format!(
            "Raw profile type {kind} is not the length it declares"
        ));
    }
    let is_xmp = data.starts_with(b"http://ns.adobe.com/xap/1.0/\0") || slot == "xmp";
    if is_xmp {
        let xmp = data
            .strip_prefix(b"http://ns.adobe.com/xap/1.0/\0".as_slice())
            .unwrap_or(&data);
        blocks.xmp.get_or_insert_with(|| xmp.to_vec());
    } else if slot == "exif" || slot == "APP1" {
        blocks
            .exif
            .get_or_insert_with(|| strip_exif_header(&data).to_vec());
    } else if slot == "iptc" && data.first() == Some(&0x1c) {
        // IIM record marker 0x1C: a bare IPTC block, not image resources.
        blocks.iptc.get_or_insert(data);
    } else {
        blocks.photoshop.get_or_insert(data);
    }
    true
}

/// The value of one hex digit.
fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|v| u8::try_from(v).ok())
}

/// Inflates a zlib stream, capped at [`INFLATE_CAP`] bytes.
fn inflate(compressed: &[u8], keyword: &str, blocks: &mut Blocks) -> Option<Vec<u8>> {
    match miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(compressed, INFLATE_CAP) {
        Ok(text) => Some(text),
        Err(e) if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
            blocks.warn(format!(
                "compressed PNG text {keyword:?} inflates past 16 MiB: cut there"
            ));
            Some(e.output)
        }
        Err(_) => {
            blocks.warn(format!("compressed PNG text {keyword:?} does not inflate"));
            None
        }
    }
}

/// Splits at the first NUL.
fn split_nul(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = data.iter().position(|&b| b == 0)?;
    Some((&data[..at], data.get(at + 1..).unwrap_or_default()))
}

/// ISO 8859-1 bytes as text.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{fuzz, read_blocks};

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(data);
        v.extend_from_slice(&[0, 0, 0, 0]);
        v
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
    }

    fn sample() -> Vec<u8> {
        let mut f = SIGNATURE.to_vec();
        let mut ihdr = 300u32.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&200u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        f.extend(chunk(b"IHDR", &ihdr));
        f.extend(chunk(b"tEXt", b"Author\0Ren\xe9"));
        let mut z = b"Description\0\0".to_vec();
        z.extend(zlib(b"A caption"));
        f.extend(chunk(b"zTXt", &z));
        f.extend(chunk(b"iTXt", b"Title\0\0\0en\0Titel\0Caf\xc3\xa9"));
        let mut x = b"XML:com.adobe.xmp\0\x01\0\0\0".to_vec();
        x.extend(zlib(b"<x:xmpmeta/>"));
        f.extend(chunk(b"iTXt", &x));
        f.extend(chunk(b"IDAT", &[0; 10]));
        f.extend(chunk(b"eXIf", b"MM\0*\0\0\0\x08\0\0"));
        let profile = b"\nexif\n      14\n45786966000049492a0008000000\n";
        let mut z = b"Raw profile type exif\0\0".to_vec();
        z.extend(zlib(profile));
        f.extend(chunk(b"zTXt", &z));
        f.extend(chunk(
            b"tEXt",
            b"Raw profile type iptc\0\niptc\n 3\n1c0205\n",
        ));
        f.extend(chunk(b"IEND", &[]));
        f
    }

    #[test]
    fn reads_ihdr_text_and_blocks() {
        let b = read_blocks(Format::Png, &sample()).unwrap();
        assert_eq!((b.width, b.height), (Some(300), Some(200)));
        assert_eq!(b.exif.as_deref(), Some(&b"MM\0*\0\0\0\x08\0\0"[..]));
        assert_eq!(b.xmp.as_deref(), Some(&b"<x:xmpmeta/>"[..]));
        assert_eq!(b.iptc.as_deref(), Some(&[0x1c, 2, 5][..]));
        let text: Vec<(&str, &str)> = b
            .png_text
            .iter()
            .map(|t| (t.keyword.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            text,
            [
                ("Author", "Ren\u{e9}"),
                ("Description", "A caption"),
                ("Title", "Caf\u{e9}")
            ]
        );
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    }

    #[test]
    fn raw_profile_exif_when_no_exif_chunk() {
        let mut f = SIGNATURE.to_vec();
        f.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        f.extend(chunk(
            b"tEXt",
            b"Raw profile type exif\0\nexif\n 12\n457869660000 4d4d002a\n",
        ));
        f.extend(chunk(b"IEND", &[]));
        let b = read_blocks(Format::Png, &f).unwrap();
        assert_eq!(b.exif.as_deref(), Some(&b"MM\0*"[..]));
        assert!(b.warnings.iter().any(|w| w.contains("not the length")));
    }

    #[test]
    fn chunk_past_end_warns() {
        let mut f = sample();
        f.truncate(f.len() - 30);
        let b = read_blocks(Format::Png, &f).unwrap();
        assert_eq!(b.width, Some(300));
        assert!(b.warnings.iter().any(|w| w.contains("runs past the end")));
    }

    #[test]
    fn inflate_is_capped() {
        let big = vec![b'a'; INFLATE_CAP + 10];
        let mut z = b"Comment\0\0".to_vec();
        z.extend(zlib(&big));
        let mut f = SIGNATURE.to_vec();
        f.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        f.extend(chunk(b"zTXt", &z));
        let b = read_blocks(Format::Png, &f).unwrap();
        assert_eq!(b.png_text[0].text.len(), INFLATE_CAP);
        assert!(b.warnings.iter().any(|w| w.contains("16 MiB")));
    }

    #[test]
    fn header_errors() {
        assert!(read_blocks(Format::Png, SIGNATURE).is_err());
        let mut f = SIGNATURE.to_vec();
        f.extend(chunk(b"tEXt", b"a\0b"));
        assert!(read_blocks(Format::Png, &f).is_err());
    }

    #[test]
    fn never_panics() {
        fuzz::never_panics(Format::Png, &sample());
    }
}
