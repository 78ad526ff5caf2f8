//! HEIC / AVIF image-data bytes as ExifTool 13 hashes them: the extents of
//! every coded-image item (`av01`, `avc1`, `hvc1`, `lhv1`, `hvt1`), items in
//! increasing ID order, extents in `iloc` order.
//!
//! Replays `Image::ExifTool::QuickTime::HandleItemInfo` (QuickTime.pm, "do
//! hash of AVIF "av01" and HEIC image data"), fed by `ParseItemInfoEntry`
//! (infe) and `ParseItemLocation` (iloc), run when a top-level `meta` box is
//! done. Items are skipped as ExifTool skips them: protected, encoded
//! (other than deflate), construction method > 1 (or 1 without `idat`),
//! data in another file, or no extents. Grid/overlay items are not hashed,
//! their tiles (and thumbnails) are. Files with a `moov` box (image
//! sequences) are `Unsupported`: ExifTool also hashes their track samples.

use std::collections::BTreeMap;

use super::{Feed, Walk};
use crate::imagehash::ImageHashError;
use crate::structure::isobmff::{Bmff, Boxes};
use crate::structure::{be_u16, be_u32, be_u64};

/// `%isImageData` in QuickTime.pm.
const IMAGE_TYPES: [&[u8]; 5] = [b"av01", b"avc1", b"hvc1", b"lhv1", b"hvt1"];

/// What `$$et{ItemInfo}{$id}` holds that matters for the hash.
#[derive(Default, Clone, Copy)]
struct Item<'a> {
    item_type: Option<&'a [u8]>,
    content_type: Option<&'a [u8]>,
    content_encoding: Option<&'a [u8]>,
    protection: u16,
    construction: u16,
    data_ref: u16,
    base: u64,
    extents: Option<Extents<'a>>,
}

/// An item's extent list, decoded from the `iloc` payload when hashed.
#[derive(Clone, Copy)]
struct Extents<'a> {
    iloc: &'a [u8],
    pos: usize,
    count: u16,
    version: u8,
    offset_size: usize,
    length_size: usize,
    index_size: usize,
}

/// One box: its type and the payload range (absolute file positions).
struct BoxAt {
    kind: [u8; 4],
    start: usize,
    end: usize,
}

/// The boxes of `b[start..end]` in order, stopping where `ProcessMOV` stops:
/// at a box of size 0 (to the end, or a terminator), an invalid size
/// ("Invalid atom size") or a truncated box.
fn boxes(b: &[u8], start: usize, end: usize) -> impl Iterator<Item = BoxAt> + '_ {
    let data = b.get(start..end).unwrap_or_default();
    Boxes::new(data)
        .take_while(Bmff::whole)
        .map(move |bx| BoxAt {
            kind: bx.kind,
            start: start + bx.body_at,
            end: start + bx.body_at + bx.body.len(),
        })
}

pub(super) fn walk(feed: &mut Feed) -> Walk {
    let b = feed.bytes;
    if b.get(4..8) != Some(&b"ftyp"[..]) {
        return Walk::Bad(ImageHashError::BadSignature("ISOBMFF"));
    }
    if boxes(b, 0, b.len()).any(|bx| &bx.kind == b"moov") {
        return Walk::Unsupported;
    }
    for bx in boxes(b, 0, b.len()) {
        if &bx.kind == b"meta" {
            // Meta: `Start => 4` skips version and flags.
            let items = parse_meta(b, bx.start.saturating_add(4), bx.end);
            hash_items(feed, &items);
        }
    }
    Walk::Done
}

/// The items of one `meta` box, plus where its `idat` payload starts.
struct MetaItems<'a> {
    items: BTreeMap<u32, Item<'a>>,
    idat: Option<usize>,
}

fn parse_meta(b: &[u8], start: usize, end: usize) -> MetaItems<'_> {
    let mut m = MetaItems {
        items: BTreeMap::new(),
        idat: None,
    };
    for bx in boxes(b, start, end) {
        let Some(payload) = b.get(bx.start..bx.end) else {
            break;
        };
        match &bx.kind {
            b"iinf" => {
                // Version 0: 2-byte entry count, else 4 (the count is not
                // used: every child box is read).
                let skip = if payload.first() == Some(&0) { 6 } else { 8 };
                for infe in boxes(b, bx.start.saturating_add(skip), bx.end) {
                    if &infe.kind == b"infe"
                        && let Some(p) = b.get(infe.start..infe.end)
                    {
                        parse_infe(p, &mut m.items);
                    }
                }
            }
            b"iloc" => parse_iloc(payload, &mut m.items),
            b"idat" => m.idat = Some(bx.start),
            _ => {}
        }
    }
    m
}

/// `GetString` (QuickTime.pm): bytes to the next NUL (or the end).
fn c_string<'a>(p: &'a [u8], pos: &mut usize) -> &'a [u8] {
    let rest = p.get(*pos..).unwrap_or_default();
    let n = rest.iter().position(|&c| c == 0);
    *pos += n.map_or(rest.len(), |n| n + 1);
    rest.get(..n.unwrap_or(rest.len())).unwrap_or_default()
}

/// `ParseItemInfoEntry` (ISO/IEC 14496-12 §8.11.6).
fn parse_infe<'a>(p: &'a [u8], items: &mut BTreeMap<u32, Item<'a>>) {
    if p.len() < 8 {
        return;
    }
    let version = p[0];
    let mut pos = 4;
    if version <= 1 {
        let (Some(id), Some(prot)) = (be_u16(p, 4), be_u16(p, 6)) else {
            return;
        };
        pos += 4;
        let item = items.entry(u32::from(id)).or_default();
        item.protection = prot;
        let _name = c_string(p, &mut pos);
        item.content_type = Some(c_string(p, &mut pos));
        item.content_encoding = Some(c_string(p, &mut pos));
        return;
    }
    let id = match version {
        2 => be_u16(p, pos).map(u32::from),
        3 => be_u32(p, pos),
        _ => None, // ExifTool files these under an undefined ID
    };
    let Some(id) = id else { return };
    pos += if version == 2 { 2 } else { 4 };
    let (Some(prot), Some(kind)) = (be_u16(p, pos), p.get(pos + 2..pos + 6)) else {
        return;
    };
    let item = items.entry(id).or_default();
    item.protection = prot;
    item.item_type = Some(kind);
    pos += 6;
    let _name = c_string(p, &mut pos);
    if kind == b"mime" {
        item.content_type = Some(c_string(p, &mut pos));
        item.content_encoding = Some(c_string(p, &mut pos));
    }
}

/// `GetVarInt` (QuickTime.pm): a 0-, 4- or 8-byte field; other sizes give
/// undef. Advances `pos` by `n` in every case, as ExifTool does.
fn var_int(p: &[u8], pos: &mut usize, n: usize) -> Option<u64> {
    let at = *pos;
    *pos = pos.saturating_add(n);
    if at.checked_add(n)? > p.len() {
        return None;
    }
    match n {
        0 => Some(0),
        4 => be_u32(p, at).map(u64::from),
        8 => be_u64(p, at),
        _ => None,
    }
}

/// `ParseItemLocation` (ISO/IEC 14496-12 §8.11.3).
fn parse_iloc<'a>(p: &'a [u8], items: &mut BTreeMap<u32, Item<'a>>) {
    if p.len() < 8 {
        return;
    }
    let version = p[0];
    let Some(sizes) = be_u16(p, 4) else { return };
    let noff = usize::from(sizes >> 12);
    let nlen = usize::from((sizes >> 8) & 0x0f);
    let nbas = usize::from((sizes >> 4) & 0x0f);
    let nind = usize::from(sizes & 0x0f);
    let (num, mut pos) = if version < 2 {
        (be_u16(p, 6).map(u32::from), 8)
    } else {
        (be_u32(p, 6), 10)
    };
    let Some(num) = num else { return };
    for _ in 0..num {
        let id = if version < 2 {
            let Some(id) = be_u16(p, pos) else { return };
            pos += 2;
            u32::from(id)
        } else {
            let Some(id) = be_u32(p, pos) else { return };
            pos += 4;
            id
        };
        let mut construction = None;
        if version == 1 || version == 2 {
            let Some(c) = be_u16(p, pos) else { return };
            construction = Some(c & 0x0f);
            pos += 2;
        }
        let Some(data_ref) = be_u16(p, pos) else {
            return;
        };
        pos += 2;
        let base = var_int(p, &mut pos, nbas).unwrap_or(0);
        let Some(count) = be_u16(p, pos) else { return };
        pos += 2;
        let first = pos;
        for _ in 0..count {
            if version == 1 || version == 2 {
                let _ = var_int(p, &mut pos, nind);
            }
            let _ = var_int(p, &mut pos, noff);
            if var_int(p, &mut pos, nlen).is_none() {
                return; // "return undef unless defined $extent_length"
            }
        }
        let item = items.entry(id).or_default();
        if let Some(c) = construction {
            item.construction = c;
        }
        item.data_ref = data_ref;
        item.base = base;
        item.extents = Some(Extents {
            iloc: p,
            pos: first,
            count,
            version,
            offset_size: noff,
            length_size: nlen,
            index_size: nind,
        });
        // Stored counts are bounded by the payload: each extent was read.
    }
}

/// `HandleItemInfo`: hash the image items of one `meta`, by ID.
fn hash_items(feed: &mut Feed, m: &MetaItems) {
    for item in m.items.values() {
        let kind = match item.content_type {
            Some(ct) if !ct.is_empty() => ct,
            _ => match item.item_type {
                Some(t) => t,
                None => continue,
            },
        };
        if !IMAGE_TYPES.contains(&kind) {
            continue;
        }
        if item
            .content_encoding
            .is_some_and(|e| !e.is_empty() && e != b"deflate")
        {
            continue;
        }
        if item.protection != 0 || item.construction > 1 || item.data_ref != 0 {
            continue;
        }
        let idat = if item.construction == 1 {
            match m.idat {
                Some(p) => p as u64,
                None => continue,
            }
        } else {
            0
        };
        let Some(ext) = item.extents else { continue };
        let base = item.base.saturating_add(idat);
        let mut pos = ext.pos;
        for _ in 0..ext.count {
            if ext.version == 1 || ext.version == 2 {
                let _ = var_int(ext.iloc, &mut pos, ext.index_size);
            }
            let offset = var_int(ext.iloc, &mut pos, ext.offset_size).unwrap_or(0);
            let length = var_int(ext.iloc, &mut pos, ext.length_size).unwrap_or(0);
            feed.add_file(base.saturating_add(offset), length);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::format::Format;
    use crate::imagehash::testkit::{hex_of, never_panics};
    use crate::imagehash::{ImageHash, image_sha256};

    fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = u32::try_from(payload.len() + 8)
            .unwrap()
            .to_be_bytes()
            .to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }

    /// A HEIC-shaped file: ftyp, meta (hdlr, pitm, iinf with an hvc1 item 1
    /// and an Exif item 2, iloc), then mdat holding `exif` and `coded`.
    fn tiny_heic(exif: &[u8], coded: &[u8]) -> Vec<u8> {
        let ftyp = bx(b"ftyp", b"heic\0\0\0\0mif1heic");
        let mut hdlr = vec![0u8; 8];
        hdlr.extend_from_slice(b"pict");
        hdlr.extend_from_slice(&[0u8; 13]);
        let mut infe1 = vec![2, 0, 0, 0, 0, 1, 0, 0];
        infe1.extend_from_slice(b"hvc1\0");
        let mut infe2 = vec![2, 0, 0, 0, 0, 2, 0, 0];
        infe2.extend_from_slice(b"Exif\0");
        let mut iinf = vec![0, 0, 0, 0, 0, 2];
        iinf.extend(bx(b"infe", &infe1));
        iinf.extend(bx(b"infe", &infe2));
        let meta_len_without_iloc = {
            let mut m = vec![0u8; 4];
            m.extend(bx(b"hdlr", &hdlr));
            m.extend(bx(b"pitm", &[0, 0, 0, 0, 0, 1]));
            m.extend(bx(b"iinf", &iinf));
            m
        };
        // iloc v0, offset_size 4, length_size 4, base_offset_size 0.
        let iloc_len = 8 + 2 * (2 + 2 + 2 + 8);
        let meta_total = 8 + meta_len_without_iloc.len() + 8 + iloc_len;
        let mdat_data = ftyp.len() + meta_total + 8;
        let exif_at = u32::try_from(mdat_data).unwrap();
        let coded_at = exif_at + u32::try_from(exif.len()).unwrap();
        let mut iloc = vec![0, 0, 0, 0, 0x44, 0x00, 0, 2];
        for (id, at, len) in [(1u16, coded_at, coded.len()), (2, exif_at, exif.len())] {
            iloc.extend_from_slice(&id.to_be_bytes());
            iloc.extend_from_slice(&[0, 0, 0, 1]);
            iloc.extend_from_slice(&at.to_be_bytes());
            iloc.extend_from_slice(&u32::try_from(len).unwrap().to_be_bytes());
        }
        let mut meta = meta_len_without_iloc;
        meta.extend(bx(b"iloc", &iloc));
        let mut v = ftyp;
        v.extend(bx(b"meta", &meta));
        let mut mdat = exif.to_vec();
        mdat.extend_from_slice(coded);
        v.extend(bx(b"mdat", &mdat));
        v
    }

    const CODED: &[u8] = b"\x00\x00\x00\x05\x26\x01\xaf\x13\x80";

    #[test]
    fn hashes_coded_item_extents_only() {
        let v = tiny_heic(b"\0\0\0\0MM\0*", CODED);
        let expect: [u8; 32] = {
            use sha2::{Digest, Sha256};
            Sha256::digest(CODED).into()
        };
        assert_eq!(image_sha256(Format::Heic, &v), ImageHash::Sha256(expect));
    }

    #[test]
    fn matches_exiftool_13() {
        // tiny_heic(b"\0\0\0\0MM\0*", CODED) written to /tmp/t.heic, then
        // exiftool -ImageDataHash -api ImageHashType=SHA256 /tmp/t.heic
        // (ExifTool 13.59)
        assert_eq!(
            hex_of(Format::Heic, &tiny_heic(b"\0\0\0\0MM\0*", CODED)),
            EXIFTOOL_TINY
        );
    }

    const EXIFTOOL_TINY: &str = "0ea7b78b7119b23adc4e6e63166c446b0d3e256a18c1c95b3348cc07aac066fb";

    #[test]
    fn metadata_change_keeps_hash_and_pixel_change_moves_it() {
        let base = image_sha256(Format::Heic, &tiny_heic(b"\0\0\0\0MM\0*", CODED));
        assert_eq!(
            base,
            image_sha256(Format::Heic, &tiny_heic(b"\0\0\0\0II*\0", CODED))
        );
        let mut c = CODED.to_vec();
        c[8] ^= 1;
        assert_ne!(
            base,
            image_sha256(Format::Heic, &tiny_heic(b"\0\0\0\0MM\0*", &c))
        );
    }

    #[test]
    fn garbage_never_panics() {
        never_panics(Format::Heic, &tiny_heic(b"\0\0\0\0MM\0*", CODED));
    }
}
