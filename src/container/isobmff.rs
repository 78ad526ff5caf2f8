//! Walks ISOBMFF boxes (ISO/IEC 14496-12) and HEIF item metadata (ISO/IEC 23008-12) for HEIC/AVIF.

use super::{Blocks, ContainerError, be_u16, be_u32};
use crate::format::Format;
use crate::structure::isobmff::{Bmff, Boxes};
use crate::structure::tiff;

/// XMP spec part 3, 1.1.6: the UUID of a top-level XMP `uuid` box.
pub(super) const XMP_UUID: &[u8] =
    b"\xbe\x7a\xcf\xcb\x97\xa9\x42\xe8\x9c\x71\x99\x94\x91\xe3\xaf\xac";
/// At most this many items are kept from `iinf` / `iloc`.
const MAX_ITEMS: usize = 4096;
/// At most this many extents are read for one item.
const MAX_EXTENTS: usize = 1024;

/// Walks a HEIF/AVIF file's `meta` box, filling `blocks`.
pub(super) fn read(
    format: Format,
    bytes: &[u8],
    blocks: &mut Blocks,
) -> Result<(), ContainerError> {
    if bytes.len() < 8 {
        return Err(ContainerError::truncated(
            format,
            "file ends inside the first box",
        ));
    }
    let mut boxes = Boxes::new(bytes);
    let mut meta = None;
    let mut uuid_xmp = None;
    for b in boxes.by_ref() {
        match &b.kind {
            b"meta" if meta.is_none() => meta = Some(b.body),
            b"uuid" if b.body.starts_with(XMP_UUID) => uuid_xmp = uuid_xmp.or(b.body.get(16..)),
            _ => {}
        }
    }
    if let Some(warning) = boxes.error {
        blocks.warn(warning.to_string());
    }
    match meta {
        Some(body) => Meta::parse(body.get(4..).unwrap_or_default(), blocks).collect(bytes, blocks),
        None => blocks.warn("no HEIF meta box"),
    }
    if blocks.xmp.is_none() {
        blocks.xmp = uuid_xmp.map(<[u8]>::to_vec);
    }
    Ok(())
}

/// One entry of `iinf` (23008-12 9.2 / 14496-12 8.11.6).
struct ItemInfo {
    id: u32,
    kind: [u8; 4],
    content_type: String,
    encoded: bool,
}

/// One entry of `iloc` (14496-12 8.11.3).
struct Location {
    id: u32,
    method: u16,
    data_ref: u16,
    /// (offset, length) pairs, base offset already added; length 0 = to the end.
    extents: Vec<(u64, u64)>,
}

/// What `meta` says about its items.
#[derive(Default)]
struct Meta<'a> {
    primary: Option<u32>,
    items: Vec<ItemInfo>,
    locations: Vec<Location>,
    /// `ipco` children in order (1-based in `ipma`).
    properties: Vec<Bmff<'a>>,
    /// (item, property indices) from `ipma`.
    associations: Vec<(u32, Vec<u16>)>,
    /// (from item, to items) of `cdsc` references.
    describes: Vec<(u32, Vec<u32>)>,
    idat: &'a [u8],
}

impl<'a> Meta<'a> {
    /// Reads the children of `meta` (payload after its version/flags).
    fn parse(body: &'a [u8], blocks: &mut Blocks) -> Self {
        let mut meta = Meta::default();
        let mut boxes = Boxes::new(body);
        for b in boxes.by_ref() {
            match &b.kind {
                b"pitm" => meta.primary = pitm(b.body),
                b"iinf" => meta.items = iinf(b.body, blocks),
                b"iloc" => meta.locations = iloc(b.body, blocks),
                b"iprp" => meta.iprp(b.body, blocks),
                b"iref" => meta.describes = iref(b.body),
                b"idat" => meta.idat = b.body,
                _ => {}
            }
        }
        if let Some(warning) = boxes.error {
            blocks.warn(format!("in meta: {warning}"));
        }
        meta
    }

    /// 23008-12 9.3: `ipco` properties and `ipma` associations.
    fn iprp(&mut self, body: &'a [u8], blocks: &mut Blocks) {
        for b in Boxes::new(body) {
            match &b.kind {
                b"ipco" => {
                    let mut inner = Boxes::new(b.body);
                    self.properties = inner.by_ref().collect();
                    if let Some(warning) = inner.error {
                        blocks.warn(format!("in ipco: {warning}"));
                    }
                }
                b"ipma" => self.associations.extend(ipma(b.body)),
                _ => {}
            }
        }
    }

    /// Fills `blocks` from the primary item's `ispe` and the Exif / XMP items.
    fn collect(&self, file: &[u8], blocks: &mut Blocks) {
        // 23008-12 6.5.3: ispe = version/flags, width (4), height (4). Like
        // ExifTool: only version/flags 0; the main image's size comes from the
        // last ispe that belongs to the primary item or to no item at all; irot
        // does not swap it.
        let primary = self.primary.unwrap_or(0);
        for (index, p) in self.properties.iter().enumerate() {
            if &p.kind != b"ispe" || !p.body.starts_with(&[0, 0, 0, 0]) {
                continue;
            }
            let mut owners = self
                .associations
                .iter()
                .filter(|(_, props)| props.iter().any(|&i| usize::from(i) == index + 1));
            let mut owners_again = owners.clone();
            let main = owners.next().is_none() || owners_again.any(|(id, _)| *id == primary);
            if let (true, Some(w), Some(h)) = (main, be_u32(p.body, 4), be_u32(p.body, 8)) {
                blocks.width = Some(w);
                blocks.height = Some(h);
            }
        }
        if self.primary.is_none() {
            blocks.warn("HEIF meta has no primary item (pitm)");
        }
        if let Some(data) = self.item_data(b"Exif", "", primary, file, blocks) {
            blocks.exif = exif_payload(&data, blocks);
        }
        if let Some(data) = self.item_data(b"mime", "application/rdf+xml", primary, file, blocks) {
            blocks.xmp = Some(data);
        }
    }

    /// The bytes of the first item of `kind` (and `content_type` for `mime`),
    /// preferring one that describes (`cdsc`) the primary item.
    fn item_data(
        &self,
        kind: &[u8; 4],
        content_type: &str,
        primary: u32,
        file: &[u8],
        blocks: &mut Blocks,
    ) -> Option<Vec<u8>> {
        let mut candidates: Vec<&ItemInfo> = self
            .items
            .iter()
            .filter(|i| {
                &i.kind == kind && (content_type.is_empty() || i.content_type == content_type)
            })
            .collect();
        let describes_primary = |id: u32| {
            self.describes
                .iter()
                .any(|(from, to)| *from == id && to.contains(&primary))
        };
        candidates.sort_by_key(|i| (!describes_primary(i.id), i.id));
        let item = candidates.first()?;
        let name = if content_type.is_empty() {
            "Exif"
        } else {
            "XMP"
        };
        if item.encoded {
            blocks.warn(format!("HEIF {name} item is content-encoded: not read"));
            return None;
        }
        let Some(loc) = self.locations.iter().find(|l| l.id == item.id) else {
            blocks.warn(format!("HEIF {name} item has no location (iloc)"));
            return None;
        };
        let source = match (loc.method, loc.data_ref) {
            (0, 0) => file,
            (1, _) => self.idat,
            _ => {
                blocks.warn(format!(
                    "HEIF {name} item uses construction method {}: not read",
                    loc.method
                ));
                return None;
            }
        };
        let mut data = Vec::new();
        for &(offset, length) in &loc.extents {
            let start = usize::try_from(offset).unwrap_or(usize::MAX);
            let end = if length == 0 {
                source.len()
            } else {
                usize::try_from(length).map_or(usize::MAX, |l| start.saturating_add(l))
            };
            let Some(extent) = source.get(start..end.min(source.len())) else {
                blocks.warn(format!(
                    "HEIF {name} item extent at {offset} is past the end of the file"
                ));
                break;
            };
            if end > source.len() {
                blocks.warn(format!(
                    "truncated: HEIF {name} item extent at {offset} runs past the end"
                ));
            }
            data.extend_from_slice(extent);
        }
        (!data.is_empty()).then_some(data)
    }
}

/// The TIFF structure inside a HEIF Exif item (23008-12 A.2.1: a 4-byte
/// offset to the TIFF header, usually past "Exif\0\0"). Mirrors ExifTool's
/// tolerance of a missing offset field.
fn exif_payload(data: &[u8], blocks: &mut Blocks) -> Option<Vec<u8>> {
    if tiff::is_header(data) {
        blocks.warn("HEIF Exif item lacks its header offset");
        return Some(data.to_vec());
    }
    if let Some(rest) = data.strip_prefix(b"Exif\0\0".as_slice()) {
        blocks.warn("HEIF Exif item lacks its header offset");
        return Some(rest.to_vec());
    }
    let skip = be_u32(data, 0)
        .and_then(|n| usize::try_from(n).ok())?
        .checked_add(4)?;
    match data.get(skip..) {
        Some(tiff) => Some(tiff.to_vec()),
        None => {
            blocks.warn("HEIF Exif item header offset is past its end");
            None
        }
    }
}

/// 14496-12 8.11.4: `pitm` v0 has a 16-bit item id, v1 a 32-bit one.
fn pitm(body: &[u8]) -> Option<u32> {
    if body.first() == Some(&0) {
        be_u16(body, 4).map(u32::from)
    } else {
        be_u32(body, 4)
    }
}

/// 14496-12 8.11.6: `iinf` entry count, then `infe` boxes.
fn iinf(body: &[u8], blocks: &mut Blocks) -> Vec<ItemInfo> {
    let start = if body.first() == Some(&0) { 6 } else { 8 };
    let mut items = Vec::new();
    let mut boxes = Boxes::new(body.get(start..).unwrap_or_default());
    for b in boxes.by_ref().take(MAX_ITEMS) {
        if &b.kind == b"infe" {
            items.extend(infe(b.body));
        }
    }
    if let Some(warning) = boxes.error {
        blocks.warn(format!("in iinf: {warning}"));
    }
    items
}

/// 14496-12 8.11.6.2 `infe`: v2/v3 carry an item type; `mime` items a content
/// type and encoding; v0/v1 are always MIME-less file items.
fn infe(body: &[u8]) -> Option<ItemInfo> {
    let version = *body.first()?;
    let (id, rest) = match version {
        2 => (u32::from(be_u16(body, 4)?), body.get(8..)?),
        3 => (be_u32(body, 4)?, body.get(10..)?),
        _ => return None,
    };
    let kind: [u8; 4] = rest.get(..4)?.try_into().ok()?;
    let mut strings = rest.get(4..)?.split(|&b| b == 0);
    let _name = strings.next();
    let (content_type, encoding) = if &kind == b"mime" {
        let ct = strings
            .next()
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .unwrap_or_default();
        (ct, strings.next().unwrap_or_default())
    } else {
        (String::new(), &[][..])
    };
    Some(ItemInfo {
        id,
        kind,
        content_type,
        encoded: !encoding.is_empty(),
    })
}

/// 14496-12 8.11.3 `iloc`.
fn iloc(body: &[u8], blocks: &mut Blocks) -> Vec<Location> {
    let mut out = Vec::new();
    if parse_iloc(body, &mut out).is_none() {
        blocks.warn("truncated: HEIF iloc box is cut off");
    }
    out
}

/// Parses `iloc` into `out`; `None` when it ends early.
fn parse_iloc(body: &[u8], out: &mut Vec<Location>) -> Option<()> {
    let version = *body.first()?;
    let sizes = be_u16(body, 4)?;
    let offset_size = usize::from(sizes >> 12);
    let length_size = usize::from((sizes >> 8) & 0xf);
    let base_size = usize::from((sizes >> 4) & 0xf);
    let index_size = if version >= 1 {
        usize::from(sizes & 0xf)
    } else {
        0
    };
    let mut r = Reader { data: body, pos: 6 };
    let count = if version < 2 { r.uint(2)? } else { r.uint(4)? };
    for _ in 0..count.min(MAX_ITEMS as u64) {
        let id = u32::try_from(if version < 2 { r.uint(2)? } else { r.uint(4)? }).ok()?;
        let method = if version >= 1 {
            u16::try_from(r.uint(2)? & 0xf).ok()?
        } else {
            0
        };
        let data_ref = u16::try_from(r.uint(2)?).ok()?;
        let base = r.uint(base_size)?;
        let extent_count = r.uint(2)?;
        let mut extents = Vec::new();
        for _ in 0..extent_count.min(MAX_EXTENTS as u64) {
            r.uint(index_size)?;
            let offset = r.uint(offset_size)?;
            let length = r.uint(length_size)?;
            extents.push((base.checked_add(offset)?, length));
        }
        out.push(Location {
            id,
            method,
            data_ref,
            extents,
        });
    }
    Some(())
}

/// 23008-12 9.3.3 `ipma`: per item, its property indices (1-based).
fn ipma(body: &[u8]) -> Vec<(u32, Vec<u16>)> {
    let mut out = Vec::new();
    let (Some(&version), Some(flags)) = (body.first(), be_u32(body, 0)) else {
        return out;
    };
    let wide = flags & 1 == 1;
    let mut r = Reader { data: body, pos: 4 };
    let Some(count) = r.uint(4) else { return out };
    for _ in 0..count.min(MAX_ITEMS as u64) {
        let id = if version < 1 { r.uint(2) } else { r.uint(4) };
        let (Some(id), Some(n)) = (id.and_then(|v| u32::try_from(v).ok()), r.uint(1)) else {
            break;
        };
        let mut props = Vec::new();
        for _ in 0..n {
            // Top bit: essential flag; the rest: the index.
            let index = if wide {
                r.uint(2).map(|v| v & 0x7fff)
            } else {
                r.uint(1).map(|v| v & 0x7f)
            };
            let Some(index) = index.and_then(|v| u16::try_from(v).ok()) else {
                break;
            };
            props.push(index);
        }
        out.push((id, props));
    }
    out
}

/// 14496-12 8.11.12 `iref`: `cdsc` references (which item describes which).
fn iref(body: &[u8]) -> Vec<(u32, Vec<u32>)> {
    let wide = body.first().is_some_and(|&v| v >= 1);
    let width = if wide { 4 } else { 2 };
    let mut out = Vec::new();
    for b in Boxes::new(body.get(4..).unwrap_or_default()) {
        if &b.kind != b"cdsc" {
            continue;
        }
        let mut r = Reader {
            data: b.body,
            pos: 0,
        };
        let (Some(from), Some(n)) = (r.uint(width), r.uint(2)) else {
            continue;
        };
        let to = (0..n)
            .map_while(|_| r.uint(width).and_then(|v| u32::try_from(v).ok()))
            .collect();
        if let Ok(from) = u32::try_from(from) {
            out.push((from, to));
        }
    }
    out
}

/// A big-endian cursor over a box payload.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    /// An unsigned integer of `size` bytes (0, 1, 2, 4 or 8); 0 reads as 0.
    fn uint(&mut self, size: usize) -> Option<u64> {
        let bytes = self.data.get(self.pos..self.pos.checked_add(size)?)?;
        if size > 8 {
            return None;
        }
        self.pos += size;
        Some(bytes.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b)))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::container::{fuzz, read_blocks};

    /// A box with `kind` around `body`.
    pub(in crate::container) fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = u32::try_from(body.len() + 8)
            .unwrap()
            .to_be_bytes()
            .to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }

    fn full(kind: &[u8; 4], version: u8, flags: u32, body: &[u8]) -> Vec<u8> {
        let mut v = flags.to_be_bytes().to_vec();
        v[0] = version;
        v.extend_from_slice(body);
        bx(kind, &v)
    }

    fn infe(id: u16, kind: &[u8; 4], extra: &[u8]) -> Vec<u8> {
        let mut b = id.to_be_bytes().to_vec();
        b.extend_from_slice(&[0, 0]);
        b.extend_from_slice(kind);
        b.push(0);
        b.extend_from_slice(extra);
        full(b"infe", 2, 0, &b)
    }

    /// A HEIC with primary item 1 (ispe 4032x3024 plus an irot), an Exif item 2
    /// and an XMP item 3 stored at the end of the file.
    fn sample() -> Vec<u8> {
        let exif = b"\0\0\0\x06Exif\0\0MM\0*\0\0\0\x08".to_vec();
        let xmp = b"<x:xmpmeta/>".to_vec();
        let build = |exif_at: u32, xmp_at: u32| {
            let mut f = bx(b"ftyp", b"heic\0\0\0\0mif1heic");
            let mut inner = full(b"pitm", 0, 0, &[0, 1]);
            let mut entries = vec![0, 3];
            entries.extend(infe(1, b"hvc1", b""));
            entries.extend(infe(2, b"Exif", b""));
            entries.extend(infe(3, b"mime", b"application/rdf+xml\0"));
            inner.extend(full(b"iinf", 0, 0, &entries));
            // iloc v1: offset 4, length 4, base 0, index 0.
            let mut loc = vec![0x44, 0x00, 0, 2];
            for (id, at, len) in [(2u16, exif_at, exif.len()), (3, xmp_at, xmp.len())] {
                loc.extend_from_slice(&id.to_be_bytes());
                loc.extend_from_slice(&[0, 0, 0, 0, 0, 1]);
                loc.extend_from_slice(&at.to_be_bytes());
                loc.extend_from_slice(&u32::try_from(len).unwrap().to_be_bytes());
            }
            inner.extend(full(b"iloc", 1, 0, &loc));
            let mut ispe = 4032u32.to_be_bytes().to_vec();
            ispe.extend_from_slice(&3024u32.to_be_bytes());
            let mut ipco = full(b"ispe", 0, 0, &ispe);
            ipco.extend(bx(b"irot", &[1]));
            let mut iprp = bx(b"ipco", &ipco);
            iprp.extend(full(b"ipma", 0, 0, &[0, 0, 0, 1, 0, 1, 2, 0x81, 0x02]));
            inner.extend(bx(b"iprp", &iprp));
            let cdsc = bx(b"cdsc", &[0, 2, 0, 1, 0, 1]);
            inner.extend(full(b"iref", 0, 0, &cdsc));
            f.extend(full(b"meta", 0, 0, &inner));
            f
        };
        let head = build(0, 0).len() + 8;
        let exif_at = u32::try_from(head).unwrap();
        let xmp_at = exif_at + u32::try_from(exif.len()).unwrap();
        let mut f = build(exif_at, xmp_at);
        let mut mdat = exif.clone();
        mdat.extend_from_slice(&xmp);
        f.extend(bx(b"mdat", &mdat));
        f
    }

    #[test]
    fn reads_primary_ispe_and_items() {
        let b = read_blocks(Format::Heic, &sample()).unwrap();
        // irot does not swap: ExifTool reports the ispe as stored.
        assert_eq!((b.width, b.height), (Some(4032), Some(3024)));
        assert_eq!(b.exif.as_deref(), Some(&b"MM\0*\0\0\0\x08"[..]));
        assert_eq!(b.xmp.as_deref(), Some(&b"<x:xmpmeta/>"[..]));
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    }

    #[test]
    fn box_past_end_warns() {
        let mut f = sample();
        f.truncate(f.len() - 5);
        let b = read_blocks(Format::Heic, &f).unwrap();
        assert_eq!(b.width, Some(4032));
        assert!(b.warnings.iter().any(|w| w.contains("runs past the end")));
    }

    #[test]
    fn large_and_zero_sizes() {
        let mut data = vec![0, 0, 0, 1];
        data.extend_from_slice(b"free");
        data.extend_from_slice(&20u64.to_be_bytes());
        data.extend_from_slice(&[7; 4]);
        data.extend_from_slice(&[0, 0, 0, 0]);
        data.extend_from_slice(b"mdat");
        data.extend_from_slice(&[9; 3]);
        let kinds: Vec<_> = Boxes::new(&data).map(|b| (b.kind, b.body.len())).collect();
        assert_eq!(kinds, [(*b"free", 4), (*b"mdat", 3)]);
    }

    #[test]
    fn header_errors() {
        assert!(read_blocks(Format::Avif, b"\0\0\0").is_err());
    }

    #[test]
    fn never_panics() {
        fuzz::never_panics(Format::Heic, &sample());
    }
}
