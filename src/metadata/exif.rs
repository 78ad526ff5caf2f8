//! Reads the newsroom tags of an EXIF block (a TIFF structure) with kamadak-exif, decoding text itself.

use exif::{In, Reader, Tag};

use crate::metadata::fields::{Fields, Source, Value, Warning};

/// The tags cutline reads, with ExifTool's names (docs/design.md §8). All are
/// ASCII-typed in EXIF 2.32; cameras and editors often put UTF-8 or
/// Latin-1 bytes in them anyway.
const TAGS: &[(Tag, In, &str)] = &[
    (Tag::ImageDescription, In::PRIMARY, "ImageDescription"), // 0x010E
    (Tag::Artist, In::PRIMARY, "Artist"),                     // 0x013B
    (Tag::Copyright, In::PRIMARY, "Copyright"),               // 0x8298
    (Tag::DateTimeOriginal, In::PRIMARY, "DateTimeOriginal"), // 0x9003, Exif IFD
    (Tag::Make, In::PRIMARY, "Make"),                         // 0x010F
    (Tag::Model, In::PRIMARY, "Model"),                       // 0x0110
];

/// What an EXIF block gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exif {
    /// Tag name → text, absent tags omitted.
    pub fields: Fields,
    /// Damage met while parsing (the block was read in part).
    pub warnings: Vec<Warning>,
}

/// Reads `tiff` (bytes starting with a TIFF header). Never fails: a block
/// that cannot be parsed at all gives no fields and a warning.
pub fn read(tiff: &[u8]) -> Exif {
    let mut out = Exif::default();
    let mut reader = Reader::new();
    reader.continue_on_error(true);
    let mut owned = tiff.to_vec();
    retype_ifd_pointers(&mut owned);
    let parsed = match reader.read_raw(owned) {
        Ok(exif) => exif,
        Err(err) => {
            let mut partial_errors = Vec::new();
            match err.distill_partial_result(|errs| partial_errors = errs) {
                Ok(exif) => {
                    for e in partial_errors {
                        out.warnings.push(Warning::new(Source::Exif, e.to_string()));
                    }
                    exif
                }
                Err(e) => {
                    out.warnings
                        .push(Warning::new(Source::Exif, format!("unreadable: {e}")));
                    return out;
                }
            }
        }
    };
    for &(tag, ifd, name) in TAGS {
        let Some(field) = parsed.get_field(tag, ifd) else {
            continue;
        };
        if let Some(text) = ascii_text(&field.value, tag) {
            out.fields.insert(name.to_owned(), Value::Text(text));
        }
    }
    out
}

/// The text of an ASCII (or mistyped BYTE/UNDEFINED) value, as ExifTool
/// reads it: up to the first NUL; except Copyright, which may hold the
/// photographer's and the editor's notices separated by NUL (EXIF 2.32
/// §4.6.5, tag 0x8298), joined with a newline as ExifTool's Exif.pm does.
fn ascii_text(value: &exif::Value, tag: Tag) -> Option<String> {
    let parts: Vec<String> = match value {
        exif::Value::Ascii(strings) => strings.iter().map(|s| decode(s)).collect(),
        exif::Value::Byte(bytes) | exif::Value::Undefined(bytes, _) => {
            bytes.split(|&b| b == 0).map(decode).collect()
        }
        _ => return None,
    };
    let text = if tag == Tag::Copyright {
        let photographer = parts.first().map_or("", |s| s.trim_end());
        match parts.get(1).map(|s| s.trim_end()).filter(|s| !s.is_empty()) {
            Some(editor) => format!("{photographer}\n{editor}"),
            None => photographer.to_owned(),
        }
    } else {
        parts.into_iter().next().unwrap_or_default()
    };
    (!text.is_empty()).then_some(text)
}

/// Sub-IFD pointer tags: ExifIFD 0x8769, GPS 0x8825, Interop 0xA005.
const POINTER_TAGS: [u16; 3] = [0x8769, 0x8825, 0xA005];
/// TIFF type 13, IFD (Adobe TIFF Technical Note 1 / TIFF-PM6).
const TYPE_IFD: u16 = 13;
/// TIFF type 4, LONG.
const TYPE_LONG: u16 = 4;

/// Rewrites sub-IFD pointers typed IFD (13) as LONG (4), in our own copy
/// of the block: the two are the same 4 bytes, TIFF-PM6 allows either, but
/// kamadak-exif 0.6 only follows LONG pointers and would lose the whole
/// Exif IFD (DateTimeOriginal) of such files.
fn retype_ifd_pointers(buf: &mut [u8]) {
    let le = match buf.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return,
    };
    let u16_at = |b: &[u8], at: usize| -> Option<u16> {
        let x: [u8; 2] = b.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if le {
            u16::from_le_bytes(x)
        } else {
            u16::from_be_bytes(x)
        })
    };
    let u32_at = |b: &[u8], at: usize| -> Option<usize> {
        let x: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
        let v = if le {
            u32::from_le_bytes(x)
        } else {
            u32::from_be_bytes(x)
        };
        usize::try_from(v).ok()
    };
    let type_bytes = if le {
        TYPE_LONG.to_le_bytes()
    } else {
        TYPE_LONG.to_be_bytes()
    };
    let mut queue: Vec<usize> = u32_at(buf, 4).into_iter().collect();
    let mut seen = Vec::new();
    // Bounded: IFD0, its next IFDs and the sub-IFDs they point to.
    while let Some(ifd) = queue.pop() {
        if ifd == 0 || seen.contains(&ifd) || seen.len() >= 16 {
            continue;
        }
        seen.push(ifd);
        let Some(count) = u16_at(buf, ifd) else {
            continue;
        };
        for i in 0..usize::from(count) {
            let entry = ifd + 2 + 12 * i;
            let (Some(tag), Some(typ)) = (u16_at(buf, entry), u16_at(buf, entry + 2)) else {
                break;
            };
            if !POINTER_TAGS.contains(&tag) {
                continue;
            }
            if typ == TYPE_IFD
                && let Some(slot) = buf.get_mut(entry + 2..entry + 4)
            {
                slot.copy_from_slice(&type_bytes);
            }
            if let Some(target) = u32_at(buf, entry + 8) {
                queue.push(target);
            }
        }
        if let Some(next) = u32_at(buf, ifd + 2 + 12 * usize::from(count)) {
            queue.push(next);
        }
    }
}

/// Decodes EXIF text: UTF-8 when valid, else Latin-1, trailing NULs cut.
/// (`display_value()` would escape every non-ASCII byte.)
pub fn decode(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let bytes = &bytes[..end];
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exif::Field;
    use exif::experimental::Writer;

    fn tiff_with(fields: &[Field]) -> Vec<u8> {
        let mut w = Writer::new();
        for f in fields {
            w.push_field(f);
        }
        let mut out = std::io::Cursor::new(Vec::new());
        w.write(&mut out, false).unwrap();
        out.into_inner()
    }

    fn ascii(tag: Tag, ifd: In, s: &[u8]) -> Field {
        Field {
            tag,
            ifd_num: ifd,
            value: exif::Value::Ascii(vec![s.to_vec()]),
        }
    }

    #[test]
    fn reads_newsroom_tags_utf8_and_latin1() {
        let bytes = tiff_with(&[
            ascii(
                Tag::ImageDescription,
                In::PRIMARY,
                "Boats at dawn".as_bytes(),
            ),
            ascii(Tag::Artist, In::PRIMARY, "Søren".as_bytes()),
            ascii(Tag::Copyright, In::PRIMARY, b"\xa9 2024 Wire"),
            ascii(Tag::DateTimeOriginal, In::PRIMARY, b"2024:05:03 06:12:00"),
        ]);
        let e = read(&bytes);
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
        assert_eq!(
            e.fields.get("ImageDescription"),
            Some(&Value::Text("Boats at dawn".into()))
        );
        assert_eq!(e.fields.get("Artist"), Some(&Value::Text("Søren".into())));
        assert_eq!(
            e.fields.get("Copyright"),
            Some(&Value::Text("© 2024 Wire".into()))
        );
        assert_eq!(
            e.fields.get("DateTimeOriginal"),
            Some(&Value::Text("2024:05:03 06:12:00".into()))
        );
    }

    #[test]
    fn garbage_gives_warning_not_panic() {
        let e = read(b"II*\0\xff\xff\xff\xff");
        assert!(e.fields.is_empty());
        assert!(!e.warnings.is_empty());
        let good = tiff_with(&[ascii(Tag::Artist, In::PRIMARY, b"A")]);
        for cut in 0..good.len() {
            let _ = read(&good[..cut]);
        }
    }
}
