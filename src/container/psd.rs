//! Reads the Photoshop document header and its image resources section (Adobe PSD file format spec).

use super::{Blocks, ContainerError, be_u16, be_u32};
use crate::format::Format;

/// Image resource 0x0422: EXIF data 1, a TIFF structure.
const EXIF_RESOURCE: u16 = 0x0422;

/// Reads `bytes`' header and image resources, filling `blocks`.
pub(super) fn read(bytes: &[u8], blocks: &mut Blocks) -> Result<(), ContainerError> {
    // File header: "8BPS", version (2), reserved (6), channels (2), height (4),
    // width (4), depth (2), color mode (2).
    if bytes.len() < 26 {
        return Err(ContainerError::truncated(
            Format::Psd,
            "file ends inside the header",
        ));
    }
    if !bytes.starts_with(b"8BPS") || !matches!(be_u16(bytes, 4), Some(1 | 2)) {
        return Err(ContainerError::corrupt(Format::Psd, "not a PSD/PSB header"));
    }
    blocks.height = be_u32(bytes, 14);
    blocks.width = be_u32(bytes, 18);
    // Color mode data section: length (4) and data.
    let Some(mode_len) = be_u32(bytes, 26).and_then(|l| usize::try_from(l).ok()) else {
        blocks.warn("truncated: file ends before the color mode data section");
        return Ok(());
    };
    let resources_at = 30usize.saturating_add(mode_len);
    // Image resources section: length (4) and the resource blocks.
    let Some(length) = be_u32(bytes, resources_at).and_then(|l| usize::try_from(l).ok()) else {
        blocks.warn("truncated: file ends before the image resources section");
        return Ok(());
    };
    let start = resources_at + 4;
    let end = start.saturating_add(length);
    if end > bytes.len() {
        blocks.warn("truncated: the image resources section runs past the end of the file");
    }
    let resources = bytes.get(start..end.min(bytes.len())).unwrap_or_default();
    blocks.exif = exif_resource(resources).map(<[u8]>::to_vec);
    blocks.photoshop = Some(resources.to_vec());
    Ok(())
}

/// The data of resource 0x0422. Each block: "8BIM", id (2), Pascal name
/// padded to even length, size (4), data padded to even length.
fn exif_resource(mut data: &[u8]) -> Option<&[u8]> {
    while data.starts_with(b"8BIM") {
        let id = be_u16(data, 4)?;
        let name_len = usize::from(*data.get(6)?);
        let size_at = 6 + ((name_len + 2) & !1);
        let size = usize::try_from(be_u32(data, size_at)?).ok()?;
        let body_at = size_at + 4;
        let body = data.get(body_at..body_at.checked_add(size)?)?;
        if id == EXIF_RESOURCE {
            return Some(body);
        }
        data = data.get(body_at + ((size + 1) & !1)..)?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{fuzz, read_blocks};

    fn resource(id: u16, body: &[u8]) -> Vec<u8> {
        let mut v = b"8BIM".to_vec();
        v.extend_from_slice(&id.to_be_bytes());
        v.extend_from_slice(&[0, 0]);
        v.extend_from_slice(&u32::try_from(body.len()).unwrap().to_be_bytes());
        v.extend_from_slice(body);
        if body.len() % 2 == 1 {
            v.push(0);
        }
        v
    }

    fn sample() -> Vec<u8> {
        let mut f = b"8BPS\0\x01\0\0\0\0\0\0\0\x03".to_vec();
        f.extend_from_slice(&216u32.to_be_bytes());
        f.extend_from_slice(&360u32.to_be_bytes());
        f.extend_from_slice(&[0, 8, 0, 3]);
        f.extend_from_slice(&[0, 0, 0, 2, 9, 9]);
        let mut res = resource(0x0404, b"\x1c\x02\x05\0\x01X");
        res.extend(resource(0x0422, b"MM\0*\0\0\0\x08\0"));
        f.extend_from_slice(&u32::try_from(res.len()).unwrap().to_be_bytes());
        f.extend(res);
        f.extend_from_slice(&[0; 8]);
        f
    }

    #[test]
    fn reads_header_and_resources() {
        let f = sample();
        let b = read_blocks(Format::Psd, &f).unwrap();
        assert_eq!((b.width, b.height), (Some(360), Some(216)));
        assert!(b.photoshop.as_deref().unwrap().starts_with(b"8BIM\x04\x04"));
        assert_eq!(b.exif.as_deref(), Some(&b"MM\0*\0\0\0\x08\0"[..]));
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    }

    #[test]
    fn section_past_end_warns() {
        let mut f = sample();
        f.truncate(f.len() - 12);
        let b = read_blocks(Format::Psd, &f).unwrap();
        assert!(b.warnings.iter().any(|w| w.contains("runs past the end")));
    }

    #[test]
    fn header_errors() {
        assert!(read_blocks(Format::Psd, b"8BPS\0\x01").is_err());
        assert!(read_blocks(Format::Psd, &[b"8BPS\0\x07".as_slice(), &[0; 30]].concat()).is_err());
    }

    #[test]
    fn never_panics() {
        fuzz::never_panics(Format::Psd, &sample());
    }
}
