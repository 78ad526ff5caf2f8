//! Metadata writer for test fixtures and sample media: wraps encoded images in EXIF, IPTC, XMP.
//!
//! Byte builders only (no file I/O). Every builder is deterministic: the same
//! inputs give the same bytes. Included by `#[path]` from tests and from
//! `examples/make-media.rs`; not every includer uses every builder.
#![allow(dead_code)]

use std::fmt;
use std::io::Cursor;

use exif::experimental::Writer;
use exif::{Context, Field, In, Rational, Tag, Value};
use md5::{Digest, Md5};

/// Why a builder could not produce its bytes.
#[derive(Debug)]
pub enum EmbedError {
    /// kamadak-exif refused to encode the EXIF/TIFF fields.
    Exif(exif::Error),
    /// The input is not the container this builder expects.
    BadInput {
        /// The container or block being built.
        format: &'static str,
        /// What was wrong with the input.
        reason: &'static str,
    },
    /// A block is too big for the place it must go.
    TooLarge {
        /// The block that did not fit.
        what: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The most that fits.
        max: usize,
    },
}

impl fmt::Display for EmbedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exif(e) => write!(f, "EXIF encoding failed: {e}"),
            Self::BadInput { format, reason } => write!(f, "bad {format} input: {reason}"),
            Self::TooLarge { what, len, max } => {
                write!(f, "{what} is {len} bytes, at most {max} fit")
            }
        }
    }
}

impl std::error::Error for EmbedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Exif(e) => Some(e),
            _ => None,
        }
    }
}

impl From<exif::Error> for EmbedError {
    fn from(e: exif::Error) -> Self {
        Self::Exif(e)
    }
}

/// All the metadata to embed in one image; `None` leaves a block out.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// EXIF (TIFF IFD0 + Exif IFD).
    pub exif: Option<ExifMeta>,
    /// IPTC IIM; written in JPEG (APP13) and TIFF (tag 33723), skipped in PNG and WebP.
    pub iptc: Option<IptcMeta>,
    /// A full XMP packet, e.g. from [`xmp_packet`].
    pub xmp: Option<String>,
}

/// The EXIF text fields cutline reads. EXIF 2.x says ASCII; UTF-8 bytes are written as given.
#[derive(Debug, Clone, Default)]
pub struct ExifMeta {
    /// IFD0 0x010e ImageDescription (the caption).
    pub image_description: Option<String>,
    /// IFD0 0x013b Artist.
    pub artist: Option<String>,
    /// IFD0 0x8298 Copyright.
    pub copyright: Option<String>,
    /// Exif IFD 0x9003 DateTimeOriginal, `YYYY:MM:DD HH:MM:SS`.
    pub date_time_original: Option<String>,
    /// IFD0 0x010f Make.
    pub make: Option<String>,
    /// IFD0 0x0110 Model.
    pub model: Option<String>,
}

/// One IIM dataset: record, dataset number and raw value bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// IIM record (1 envelope, 2 application).
    pub record: u8,
    /// Dataset number within the record.
    pub dataset: u8,
    /// The value, written as is (no charset conversion).
    pub data: Vec<u8>,
}

/// What to write as Photoshop resource 0x0425 (IPTC digest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IptcDigest {
    /// MD5 of the IIM bytes, as Photoshop writes it.
    #[default]
    Correct,
    /// A digest that does not match: the IIM looks edited by an IPTC-unaware tool.
    Wrong,
    /// No 0x0425 resource at all.
    Absent,
}

/// IPTC IIM datasets in write order, plus the digest policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IptcMeta {
    /// Datasets, written in this order.
    pub datasets: Vec<Dataset>,
    /// Photoshop 0x0425 digest to write alongside.
    pub digest: IptcDigest,
}

impl Default for IptcMeta {
    fn default() -> Self {
        Self::new()
    }
}

impl IptcMeta {
    /// Starts with 2:00 ApplicationRecordVersion = 4, as Photoshop and ExifTool write it.
    pub fn new() -> Self {
        Self {
            datasets: vec![Dataset {
                record: 2,
                dataset: 0,
                data: vec![0, 4],
            }],
            digest: IptcDigest::Correct,
        }
    }

    /// Starts with no datasets at all.
    pub fn empty() -> Self {
        Self {
            datasets: Vec::new(),
            digest: IptcDigest::Correct,
        }
    }

    /// Adds 1:90 CodedCharacterSet = `ESC % G` (UTF-8) in front, where IIM wants record 1.
    pub fn utf8(mut self) -> Self {
        self.datasets.insert(
            0,
            Dataset {
                record: 1,
                dataset: 90,
                data: b"\x1b%G".to_vec(),
            },
        );
        self
    }

    /// Appends any dataset with raw bytes (e.g. Latin-1 text).
    pub fn raw(mut self, record: u8, dataset: u8, data: &[u8]) -> Self {
        self.datasets.push(Dataset {
            record,
            dataset,
            data: data.to_vec(),
        });
        self
    }

    /// Appends a record-2 dataset holding UTF-8 text.
    pub fn text(self, dataset: u8, value: &str) -> Self {
        self.raw(2, dataset, value.as_bytes())
    }

    /// 2:120 Caption-Abstract (2000 bytes max).
    pub fn caption(self, value: &str) -> Self {
        self.text(120, value)
    }

    /// 2:110 Credit (32 bytes max).
    pub fn credit(self, value: &str) -> Self {
        self.text(110, value)
    }

    /// 2:80 By-line (32 bytes max); repeatable, call once per creator.
    pub fn by_line(self, value: &str) -> Self {
        self.text(80, value)
    }

    /// 2:115 Source (32 bytes max).
    pub fn source(self, value: &str) -> Self {
        self.text(115, value)
    }

    /// 2:116 CopyrightNotice (128 bytes max).
    pub fn copyright_notice(self, value: &str) -> Self {
        self.text(116, value)
    }

    /// 2:55 DateCreated, `CCYYMMDD`.
    pub fn date_created(self, value: &str) -> Self {
        self.text(55, value)
    }

    /// 2:105 Headline (256 bytes max).
    pub fn headline(self, value: &str) -> Self {
        self.text(105, value)
    }

    /// 2:05 ObjectName (64 bytes max).
    pub fn object_name(self, value: &str) -> Self {
        self.text(5, value)
    }

    /// 2:90 City (32 bytes max).
    pub fn city(self, value: &str) -> Self {
        self.text(90, value)
    }

    /// 2:101 Country-PrimaryLocationName (64 bytes max).
    pub fn country(self, value: &str) -> Self {
        self.text(101, value)
    }

    /// Sets the 0x0425 digest policy.
    pub fn with_digest(mut self, digest: IptcDigest) -> Self {
        self.digest = digest;
        self
    }

    /// The IIM stream: per dataset 0x1C, record, dataset, length, data.
    pub fn iim_bytes(&self) -> Result<Vec<u8>, EmbedError> {
        let mut out = Vec::new();
        for d in &self.datasets {
            out.extend_from_slice(&[0x1c, d.record, d.dataset]);
            let len = d.data.len();
            if len <= 0x7fff {
                // IIM 1.3.2: standard DataSet, 15-bit length.
                out.extend_from_slice(&(len as u16).to_be_bytes());
            } else {
                // IIM 1.3.3: extended DataSet, top bit set, low bits = size of
                // the length field that follows (4 octets here).
                let len = u32::try_from(len).map_err(|_| EmbedError::TooLarge {
                    what: "IIM dataset",
                    len,
                    max: u32::MAX as usize,
                })?;
                out.extend_from_slice(&0x8004u16.to_be_bytes());
                out.extend_from_slice(&len.to_be_bytes());
            }
            out.extend_from_slice(&d.data);
        }
        Ok(out)
    }
}

/// MD5 of `data` as 16 raw bytes.
fn md5(data: &[u8]) -> [u8; 16] {
    Md5::digest(data).into()
}

/// One Photoshop image resource: `8BIM`, id, empty Pascal name, size, data padded to even.
pub fn photoshop_resource(id: u16, data: &[u8]) -> Result<Vec<u8>, EmbedError> {
    let size = u32::try_from(data.len()).map_err(|_| EmbedError::TooLarge {
        what: "Photoshop resource",
        len: data.len(),
        max: u32::MAX as usize,
    })?;
    let mut out = Vec::with_capacity(data.len() + 13);
    out.extend_from_slice(b"8BIM");
    out.extend_from_slice(&id.to_be_bytes());
    // Empty Pascal string: length byte 0 plus a pad byte to keep it even.
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&size.to_be_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    Ok(out)
}

/// Photoshop image resources holding the IIM (0x0404) and, per policy, its digest (0x0425).
pub fn photoshop_irb(iptc: &IptcMeta) -> Result<Vec<u8>, EmbedError> {
    let iim = iptc.iim_bytes()?;
    let mut out = photoshop_resource(0x0404, &iim)?;
    let digest = match iptc.digest {
        IptcDigest::Correct => Some(md5(&iim)),
        // Digest of something else: readers see an IPTC block edited without
        // the digest being updated (the MWG "IPTC is stale" signal inverted).
        IptcDigest::Wrong => {
            let mut other = iim.clone();
            other.extend_from_slice(b"stale");
            Some(md5(&other))
        }
        IptcDigest::Absent => None,
    };
    if let Some(d) = digest {
        out.extend_from_slice(&photoshop_resource(0x0425, &d)?);
    }
    Ok(out)
}

/// An XMP property value, shaped as the XMP schema wants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmpValue {
    /// Simple text, e.g. `photoshop:Credit`.
    Simple(String),
    /// Language alternative with one `x-default` item, e.g. `dc:description`.
    LangAlt(String),
    /// Ordered array, e.g. `dc:creator`.
    Seq(Vec<String>),
    /// Unordered array, e.g. `dc:subject`.
    Bag(Vec<String>),
}

/// One XMP property: namespace prefix, local name, value.
pub type XmpProp<'a> = (&'a str, &'a str, XmpValue);

/// Namespace URIs for the prefixes the fixtures use.
const XMP_NAMESPACES: &[(&str, &str)] = &[
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("photoshop", "http://ns.adobe.com/photoshop/1.0/"),
    (
        "Iptc4xmpCore",
        "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    ),
    ("Iptc4xmpExt", "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"),
    ("xmpRights", "http://ns.adobe.com/xap/1.0/rights/"),
    ("xmpNote", "http://ns.adobe.com/xmp/note/"),
    ("xmp", "http://ns.adobe.com/xap/1.0/"),
    ("tiff", "http://ns.adobe.com/tiff/1.0/"),
    ("exif", "http://ns.adobe.com/exif/1.0/"),
];

/// Escapes text for XML element content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// The `x:xmpmeta` element holding one `rdf:Description` with `props`.
///
/// A prefix outside the known list is declared as `urn:cutline:test:<prefix>`,
/// which lets fixtures carry unknown namespaces.
pub fn xmp_meta(props: &[XmpProp<'_>]) -> String {
    let mut prefixes: Vec<&str> = Vec::new();
    for (prefix, _, _) in props {
        if !prefixes.contains(prefix) {
            prefixes.push(prefix);
        }
    }
    let mut x = String::new();
    x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    x.push_str(" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    x.push_str("  <rdf:Description rdf:about=\"\"");
    for prefix in &prefixes {
        let uri = XMP_NAMESPACES
            .iter()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| (*u).to_string())
            .unwrap_or_else(|| format!("urn:cutline:test:{prefix}"));
        x.push_str(&format!("\n    xmlns:{prefix}=\"{}\"", xml_escape(&uri)));
    }
    x.push_str(">\n");
    for (prefix, name, value) in props {
        let tag = format!("{prefix}:{name}");
        match value {
            XmpValue::Simple(s) => {
                x.push_str(&format!("   <{tag}>{}</{tag}>\n", xml_escape(s)));
            }
            XmpValue::LangAlt(s) => {
                x.push_str(&format!("   <{tag}>\n    <rdf:Alt>\n"));
                x.push_str(&format!(
                    "     <rdf:li xml:lang=\"x-default\">{}</rdf:li>\n",
                    xml_escape(s)
                ));
                x.push_str(&format!("    </rdf:Alt>\n   </{tag}>\n"));
            }
            XmpValue::Seq(items) | XmpValue::Bag(items) => {
                let kind = if matches!(value, XmpValue::Seq(_)) {
                    "Seq"
                } else {
                    "Bag"
                };
                x.push_str(&format!("   <{tag}>\n    <rdf:{kind}>\n"));
                for item in items {
                    x.push_str(&format!("     <rdf:li>{}</rdf:li>\n", xml_escape(item)));
                }
                x.push_str(&format!("    </rdf:{kind}>\n   </{tag}>\n"));
            }
        }
    }
    x.push_str("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>");
    x
}

/// A standard XMP packet (xpacket wrapper, read-only `end="w"`) holding `props`.
pub fn xmp_packet(props: &[XmpProp<'_>]) -> String {
    // XMP Part 3, 1.1.2: the begin attribute is U+FEFF, the id a fixed string.
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n{}\n<?xpacket end=\"w\"?>",
        xmp_meta(props)
    )
}

/// TIFF field for a UTF-8/ASCII string.
fn ascii(tag: Tag, s: &str) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Ascii(vec![s.as_bytes().to_vec()]),
    }
}

/// TIFF field with one SHORT.
fn short(tag: Tag, v: &[u16]) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Short(v.to_vec()),
    }
}

/// TIFF field with one LONG.
fn long(tag: Tag, v: u32) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Long(vec![v]),
    }
}

/// TIFF field with 72/1, for X/YResolution.
fn dpi72(tag: Tag) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Rational(vec![Rational { num: 72, denom: 1 }]),
    }
}

/// TIFF field holding UNDEFINED bytes.
fn undefined(tag: Tag, v: &[u8]) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Undefined(v.to_vec(), 0),
    }
}

/// The text fields of `exif`, in IFD0 or the Exif IFD as kamadak-exif's tag context says.
fn exif_text_fields(exif: &ExifMeta) -> Vec<Field> {
    let mut fields = Vec::new();
    let pairs = [
        (Tag::ImageDescription, &exif.image_description),
        (Tag::Make, &exif.make),
        (Tag::Model, &exif.model),
        (Tag::Artist, &exif.artist),
        (Tag::Copyright, &exif.copyright),
        (Tag::DateTimeOriginal, &exif.date_time_original),
    ];
    for (tag, value) in pairs {
        if let Some(v) = value {
            fields.push(ascii(tag, v));
        }
    }
    fields
}

/// Encodes `fields` (and optional strips) as a TIFF stream.
fn write_tiff(fields: &[Field], strips: Option<&[&[u8]]>, le: bool) -> Result<Vec<u8>, EmbedError> {
    let mut writer = Writer::new();
    for f in fields {
        writer.push_field(f);
    }
    if let Some(s) = strips {
        writer.set_strips(s, In::PRIMARY);
    }
    let mut buf = Cursor::new(Vec::new());
    writer.write(&mut buf, le)?;
    Ok(buf.into_inner())
}

/// EXIF as embedded in JPEG (after `Exif\0\0`), PNG `eXIf` and WebP `EXIF`: big-endian TIFF.
///
/// Besides the text fields it writes what ExifTool's `-validate` requires of
/// a JPEG's EXIF (Exif 2.32 / 3.0): YCbCrPositioning, ExifVersion,
/// ComponentsConfiguration, ColorSpace, PixelX/YDimension; plus resolution
/// and FlashpixVersion, which most cameras write.
pub fn exif_tiff(exif: &ExifMeta, width: u32, height: u32) -> Result<Vec<u8>, EmbedError> {
    let mut fields = exif_text_fields(exif);
    fields.extend([
        dpi72(Tag::XResolution),
        dpi72(Tag::YResolution),
        short(Tag::ResolutionUnit, &[2]),
        short(Tag::YCbCrPositioning, &[1]),
        undefined(Tag::ExifVersion, b"0232"),
        undefined(Tag::ComponentsConfiguration, &[1, 2, 3, 0]),
        undefined(Tag::FlashpixVersion, b"0100"),
        short(Tag::ColorSpace, &[1]),
        long(Tag::PixelXDimension, width),
        long(Tag::PixelYDimension, height),
    ]);
    write_tiff(&fields, None, false)
}

/// Options for [`jpeg_with_options`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JpegOptions {
    /// Split the Photoshop IRB data across two APP13 segments (each with its own header).
    pub split_app13: bool,
}

const SOI: [u8; 2] = [0xff, 0xd8];
const EXIF_HEADER: &[u8] = b"Exif\0\0";
const XMP_HEADER: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const EXT_XMP_HEADER: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
const PS_HEADER: &[u8] = b"Photoshop 3.0\0";
/// A segment's length field counts itself: at most 65535 - 2 payload bytes.
const MAX_SEGMENT_PAYLOAD: usize = 0xffff - 2;

/// One JPEG marker segment: FF, marker, u16 length (including itself), payload.
fn segment(marker: u8, parts: &[&[u8]], what: &'static str) -> Result<Vec<u8>, EmbedError> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if len > MAX_SEGMENT_PAYLOAD {
        return Err(EmbedError::TooLarge {
            what,
            len,
            max: MAX_SEGMENT_PAYLOAD,
        });
    }
    let mut out = vec![0xff, marker];
    out.extend_from_slice(&((len + 2) as u16).to_be_bytes());
    for p in parts {
        out.extend_from_slice(p);
    }
    Ok(out)
}

/// A JPEG split into: width, height, and the bytes after SOI without APP0/APP1/APP13.
struct JpegParts<'a> {
    width: u32,
    height: u32,
    kept: Vec<&'a [u8]>,
}

/// Walks the marker segments up to SOS, dropping APP0, APP1 and APP13.
fn jpeg_parts(jpeg: &[u8]) -> Result<JpegParts<'_>, EmbedError> {
    let bad = |reason| EmbedError::BadInput {
        format: "JPEG",
        reason,
    };
    if jpeg.get(..2) != Some(&SOI[..]) {
        return Err(bad("no SOI marker"));
    }
    let mut pos = 2;
    let mut kept = Vec::new();
    let mut dims = None;
    loop {
        let marker = match jpeg.get(pos..pos + 2) {
            Some([0xff, m]) => *m,
            _ => return Err(bad("expected a marker")),
        };
        if marker == 0xda {
            // SOS: everything from here on (scan data, EOI) is kept verbatim.
            kept.push(jpeg.get(pos..).ok_or(bad("truncated"))?);
            break;
        }
        let len = jpeg
            .get(pos + 2..pos + 4)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
            .ok_or(bad("truncated segment length"))?;
        let seg = jpeg
            .get(pos..pos + 2 + len)
            .ok_or(bad("segment runs past the end"))?;
        // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC): precision, height, width.
        let is_sof = (0xc0..=0xcf).contains(&marker) && ![0xc4, 0xc8, 0xcc].contains(&marker);
        if is_sof && let Some(b) = seg.get(5..9) {
            let h = u32::from(u16::from_be_bytes([b[0], b[1]]));
            let w = u32::from(u16::from_be_bytes([b[2], b[3]]));
            dims = Some((w, h));
        }
        if !matches!(marker, 0xe0 | 0xe1 | 0xed) {
            kept.push(seg);
        }
        pos += 2 + len;
    }
    let (width, height) = dims.ok_or(bad("no SOF segment"))?;
    Ok(JpegParts {
        width,
        height,
        kept,
    })
}

/// Assembles SOI, APP1 Exif, the XMP segments, APP13, then the rest of the JPEG.
fn build_jpeg(
    jpeg: &[u8],
    meta: &Meta,
    xmp_segments: &[Vec<u8>],
    opts: &JpegOptions,
) -> Result<Vec<u8>, EmbedError> {
    let parts = jpeg_parts(jpeg)?;
    let mut out = SOI.to_vec();
    if let Some(exif) = &meta.exif {
        let tiff = exif_tiff(exif, parts.width, parts.height)?;
        out.extend(segment(0xe1, &[EXIF_HEADER, &tiff], "APP1 Exif")?);
    }
    for s in xmp_segments {
        out.extend_from_slice(s);
    }
    if let Some(iptc) = &meta.iptc {
        let irb = photoshop_irb(iptc)?;
        if opts.split_app13 {
            let (a, b) = irb.split_at(irb.len() / 2);
            out.extend(segment(0xed, &[PS_HEADER, a], "APP13")?);
            out.extend(segment(0xed, &[PS_HEADER, b], "APP13")?);
        } else {
            out.extend(segment(0xed, &[PS_HEADER, &irb], "APP13")?);
        }
    }
    for k in parts.kept {
        out.extend_from_slice(k);
    }
    Ok(out)
}

/// Wraps an encoded JPEG in `meta`: APP1 Exif, APP1 XMP, APP13 Photoshop IRB after SOI.
///
/// Existing APP0, APP1 and APP13 segments of the input are dropped.
pub fn jpeg_with(jpeg: &[u8], meta: &Meta) -> Result<Vec<u8>, EmbedError> {
    jpeg_with_options(jpeg, meta, &JpegOptions::default())
}

/// [`jpeg_with`] with layout options.
pub fn jpeg_with_options(
    jpeg: &[u8],
    meta: &Meta,
    opts: &JpegOptions,
) -> Result<Vec<u8>, EmbedError> {
    let mut xmp = Vec::new();
    if let Some(packet) = &meta.xmp {
        xmp.push(segment(0xe1, &[XMP_HEADER, packet.as_bytes()], "APP1 XMP")?);
    }
    build_jpeg(jpeg, meta, &xmp, opts)
}

/// Uppercase hex of `bytes`.
fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// A JPEG whose XMP is split into a main packet and ExtendedXMP (XMP Part 3, 1.1.3.1).
///
/// The main packet holds `main` plus `xmpNote:HasExtendedXMP` = GUID, the GUID
/// being the uppercase hex MD5 of the extended `x:xmpmeta` (which has no
/// xpacket wrapper). The extended data goes out in `chunk_size`-byte pieces,
/// one APP1 each: header, GUID, u32 full length, u32 offset, piece.
/// `meta.xmp` must be `None`; EXIF and IPTC from `meta` are written as usual.
pub fn jpeg_extended_xmp(
    jpeg: &[u8],
    meta: &Meta,
    main: &[XmpProp<'_>],
    extended: &[XmpProp<'_>],
    chunk_size: usize,
) -> Result<Vec<u8>, EmbedError> {
    if meta.xmp.is_some() {
        return Err(EmbedError::BadInput {
            format: "ExtendedXMP",
            reason: "meta.xmp must be None: the main packet is built here",
        });
    }
    // 65533 payload - 35 header - 32 GUID - 8 length/offset.
    let max_chunk = MAX_SEGMENT_PAYLOAD - EXT_XMP_HEADER.len() - 32 - 8;
    if chunk_size == 0 || chunk_size > max_chunk {
        return Err(EmbedError::TooLarge {
            what: "ExtendedXMP chunk size",
            len: chunk_size,
            max: max_chunk,
        });
    }
    let ext = xmp_meta(extended);
    let ext = ext.as_bytes();
    let guid = hex_upper(&md5(ext));
    let full_len = u32::try_from(ext.len()).map_err(|_| EmbedError::TooLarge {
        what: "ExtendedXMP",
        len: ext.len(),
        max: u32::MAX as usize,
    })?;
    let mut props = main.to_vec();
    props.push(("xmpNote", "HasExtendedXMP", XmpValue::Simple(guid.clone())));
    let packet = xmp_packet(&props);
    let mut segments = vec![segment(0xe1, &[XMP_HEADER, packet.as_bytes()], "APP1 XMP")?];
    let mut offset: u32 = 0;
    for piece in ext.chunks(chunk_size) {
        segments.push(segment(
            0xe1,
            &[
                EXT_XMP_HEADER,
                guid.as_bytes(),
                &full_len.to_be_bytes(),
                &offset.to_be_bytes(),
                piece,
            ],
            "APP1 ExtendedXMP",
        )?);
        // Cannot overflow: the pieces sum to full_len, itself a u32.
        offset = offset.saturating_add(piece.len() as u32);
    }
    build_jpeg(jpeg, meta, &segments, &JpegOptions::default())
}

/// CRC-32 (ISO 3309, as PNG uses it) lookup table.
const CRC_TABLE: [u32; 256] = crc_table();

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
}

/// CRC-32 of `parts` concatenated.
pub fn crc32(parts: &[&[u8]]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for p in parts {
        for &b in *p {
            c = CRC_TABLE[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
        }
    }
    c ^ 0xffff_ffff
}

/// One PNG chunk: u32 length, type, data, CRC over type and data.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Result<Vec<u8>, EmbedError> {
    // PNG 5.3: length is at most 2^31 - 1.
    let len = u32::try_from(data.len())
        .ok()
        .filter(|l| *l <= 0x7fff_ffff)
        .ok_or(EmbedError::TooLarge {
            what: "PNG chunk",
            len: data.len(),
            max: 0x7fff_ffff,
        })?;
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(&[kind, data]).to_be_bytes());
    Ok(out)
}

/// Latin-1 bytes of `s`, as PNG tEXt requires; `None` if a character is beyond U+00FF.
fn latin1(s: &str) -> Option<Vec<u8>> {
    s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

/// Wraps an encoded PNG in `meta`: after IHDR, `eXIf`, iTXt `XML:com.adobe.xmp`, then tEXt.
///
/// All go before IDAT (PNG 3rd ed. wants eXIf there; ExifTool warns about
/// text after IDAT). IPTC is skipped: PNG has no standard place for it.
/// tEXt is Latin-1 (PNG 11.3.4.3): text beyond U+00FF is an error.
pub fn png_with(png: &[u8], meta: &Meta, text: &[(&str, &str)]) -> Result<Vec<u8>, EmbedError> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    let bad = |reason| EmbedError::BadInput {
        format: "PNG",
        reason,
    };
    if png.get(..8) != Some(SIG) {
        return Err(bad("no PNG signature"));
    }
    let ihdr = png.get(8..33).ok_or(bad("truncated IHDR"))?;
    if ihdr.get(4..8) != Some(b"IHDR") {
        return Err(bad("first chunk is not IHDR"));
    }
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (width, height) = (be32(&ihdr[8..12]), be32(&ihdr[12..16]));

    let mut out = png.get(..33).ok_or(bad("truncated IHDR"))?.to_vec();
    if let Some(exif) = &meta.exif {
        out.extend(png_chunk(b"eXIf", &exif_tiff(exif, width, height)?)?);
    }
    if let Some(packet) = &meta.xmp {
        // iTXt: keyword, NUL, compression flag 0, method 0, empty language
        // tag, NUL, empty translated keyword, NUL, UTF-8 text.
        let mut data = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
        data.extend_from_slice(packet.as_bytes());
        out.extend(png_chunk(b"iTXt", &data)?);
    }
    for (keyword, value) in text {
        let mut data = latin1(keyword).ok_or(bad("tEXt keyword is not Latin-1"))?;
        data.push(0);
        data.extend(latin1(value).ok_or(bad("tEXt text is not Latin-1"))?);
        out.extend(png_chunk(b"tEXt", &data)?);
    }
    out.extend_from_slice(png.get(33..).ok_or(bad("truncated"))?);
    Ok(out)
}

/// Byte order of [`tiff_with`] files ("II"); embedded EXIF is big-endian ("MM").
const TIFF_LITTLE_ENDIAN: bool = true;

/// Writes an uncompressed RGB TIFF (8 bits per sample, strips of about 8 KB) carrying `meta`.
///
/// IFD0 holds the image fields, ImageDescription/Make/Model/Artist/Copyright,
/// tag 700 XMP (BYTE) and tag 33723 IPTC-NAA (LONG, raw IIM); the Exif
/// IFD holds DateTimeOriginal with what ExifTool's `-validate` requires of a
/// TIFF (ExifVersion, FlashpixVersion, ColorSpace). Little-endian.
pub fn tiff_with(rgb: &[u8], width: u32, height: u32, meta: &Meta) -> Result<Vec<u8>, EmbedError> {
    let bad = |reason| EmbedError::BadInput {
        format: "TIFF",
        reason,
    };
    let row = usize::try_from(width)
        .ok()
        .and_then(|w| w.checked_mul(3))
        .filter(|r| *r > 0)
        .ok_or(bad("zero or huge width"))?;
    let expected = usize::try_from(height)
        .ok()
        .and_then(|h| h.checked_mul(row))
        .filter(|n| *n > 0)
        .ok_or(bad("zero or huge height"))?;
    if rgb.len() != expected {
        return Err(bad("rgb length is not width * height * 3"));
    }
    let rows_per_strip = (8192 / row).max(1);
    let strips: Vec<&[u8]> = rgb.chunks(rows_per_strip * row).collect();

    let mut fields = vec![
        long(Tag::ImageWidth, width),
        long(Tag::ImageLength, height),
        short(Tag::BitsPerSample, &[8, 8, 8]),
        short(Tag::Compression, &[1]),
        short(Tag::PhotometricInterpretation, &[2]),
        short(Tag::SamplesPerPixel, &[3]),
        long(Tag::RowsPerStrip, rows_per_strip as u32),
        dpi72(Tag::XResolution),
        dpi72(Tag::YResolution),
        short(Tag::PlanarConfiguration, &[1]),
        short(Tag::ResolutionUnit, &[2]),
    ];
    if let Some(exif) = &meta.exif {
        fields.extend(exif_text_fields(exif));
        fields.extend([
            undefined(Tag::ExifVersion, b"0232"),
            undefined(Tag::FlashpixVersion, b"0100"),
            short(Tag::ColorSpace, &[1]),
        ]);
    }
    if let Some(packet) = &meta.xmp {
        // TIFF tag 700 XMP, BYTE (XMP Part 3, 1.1.4).
        fields.push(Field {
            tag: Tag(Context::Tiff, 700),
            ifd_num: In::PRIMARY,
            value: Value::Byte(packet.as_bytes().to_vec()),
        });
    }
    if let Some(iptc) = &meta.iptc {
        // TIFF tag 33723 IPTC-NAA: the raw IIM stream, no Photoshop wrapper.
        // Typed LONG, zero-padded to a multiple of 4, as Photoshop and ExifTool
        // write it (ExifTool's -validate flags UNDEFINED as non-standard). The
        // LONGs are built so the file bytes are the IIM bytes in order.
        let mut iim = iptc.iim_bytes()?;
        iim.resize(iim.len().div_ceil(4) * 4, 0);
        let longs = iim
            .chunks_exact(4)
            .map(|c| {
                let b = [c[0], c[1], c[2], c[3]];
                if TIFF_LITTLE_ENDIAN {
                    u32::from_le_bytes(b)
                } else {
                    u32::from_be_bytes(b)
                }
            })
            .collect();
        fields.push(Field {
            tag: Tag(Context::Tiff, 33723),
            ifd_num: In::PRIMARY,
            value: Value::Long(longs),
        });
    }
    write_tiff(&fields, Some(&strips), TIFF_LITTLE_ENDIAN)
}

/// A RIFF chunk: FourCC, u32 LE size, data, pad byte if the size is odd.
fn riff_chunk(kind: &[u8], data: &[u8]) -> Result<Vec<u8>, EmbedError> {
    let len = u32::try_from(data.len()).map_err(|_| EmbedError::TooLarge {
        what: "RIFF chunk",
        len: data.len(),
        max: u32::MAX as usize,
    })?;
    let mut out = Vec::with_capacity(data.len() + 9);
    out.extend_from_slice(kind);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    Ok(out)
}

/// Converts a WebP to the extended format carrying `meta`: VP8X, image chunks, `EXIF`, `XMP `.
///
/// The input may be simple (VP8/VP8L) or already extended; existing VP8X,
/// EXIF and XMP chunks are replaced. EXIF is TIFF bytes without `Exif\0\0`.
/// IPTC is skipped: WebP has no place for it.
pub fn webp_with(webp: &[u8], meta: &Meta) -> Result<Vec<u8>, EmbedError> {
    let bad = |reason| EmbedError::BadInput {
        format: "WebP",
        reason,
    };
    if webp.get(..4) != Some(b"RIFF") || webp.get(8..12) != Some(b"WEBP") {
        return Err(bad("no RIFF/WEBP header"));
    }
    let mut chunks: Vec<(&[u8], &[u8])> = Vec::new();
    let mut pos = 12;
    while pos < webp.len() {
        let head = webp
            .get(pos..pos + 8)
            .ok_or(bad("truncated chunk header"))?;
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let data = webp
            .get(pos + 8..pos + 8 + len)
            .ok_or(bad("chunk runs past the end"))?;
        chunks.push((&head[..4], data));
        pos += 8 + len + len % 2;
    }
    let mut canvas = None;
    let mut flags = 0u8;
    for (kind, data) in &chunks {
        match *kind {
            b"VP8X" => {
                let b = data.get(..10).ok_or(bad("short VP8X"))?;
                // Keep ICC, alpha and animation flags; EXIF/XMP are set below.
                flags |= b[0] & 0x32;
                let w = u32::from_le_bytes([b[4], b[5], b[6], 0]) + 1;
                let h = u32::from_le_bytes([b[7], b[8], b[9], 0]) + 1;
                canvas = Some((w, h));
            }
            b"VP8L" if canvas.is_none() => {
                // VP8L: 0x2f, then 14 bits width-1, 14 bits height-1, alpha hint.
                let b = data.get(..5).ok_or(bad("short VP8L"))?;
                if b[0] != 0x2f {
                    return Err(bad("bad VP8L signature"));
                }
                let bits = u32::from_le_bytes([b[1], b[2], b[3], b[4]]);
                if bits & (1 << 28) != 0 {
                    flags |= 0x10;
                }
                canvas = Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1));
            }
            b"VP8 " if canvas.is_none() => {
                // VP8 key frame: 3-byte tag, start code 9d 01 2a, 14-bit sizes.
                let b = data.get(..10).ok_or(bad("short VP8"))?;
                if b[3..6] != [0x9d, 0x01, 0x2a] {
                    return Err(bad("bad VP8 start code"));
                }
                let w = u32::from(u16::from_le_bytes([b[6], b[7]]) & 0x3fff);
                let h = u32::from(u16::from_le_bytes([b[8], b[9]]) & 0x3fff);
                canvas = Some((w, h));
            }
            b"ALPH" => flags |= 0x10,
            _ => {}
        }
    }
    let (width, height) = canvas.ok_or(bad("no image chunk"))?;
    if width == 0 || height == 0 {
        return Err(bad("zero canvas size"));
    }
    let exif = meta
        .exif
        .as_ref()
        .map(|e| exif_tiff(e, width, height))
        .transpose()?;
    // VP8X flags byte: Rsv(2) ICC Alpha EXIF XMP Anim Rsv.
    if exif.is_some() {
        flags |= 0x08;
    }
    if meta.xmp.is_some() {
        flags |= 0x04;
    }
    let mut vp8x = vec![flags, 0, 0, 0];
    vp8x.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(height - 1).to_le_bytes()[..3]);

    let mut body = b"WEBP".to_vec();
    body.extend(riff_chunk(b"VP8X", &vp8x)?);
    for (kind, data) in &chunks {
        if !matches!(*kind, b"VP8X" | b"EXIF" | b"XMP ") {
            body.extend(riff_chunk(kind, data)?);
        }
    }
    if let Some(tiff) = &exif {
        body.extend(riff_chunk(b"EXIF", tiff)?);
    }
    if let Some(packet) = &meta.xmp {
        body.extend(riff_chunk(b"XMP ", packet.as_bytes())?);
    }
    // Every chunk is padded to even, so the RIFF chunk itself needs no pad.
    riff_chunk(b"RIFF", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_meta() -> Meta {
        Meta {
            exif: Some(ExifMeta {
                image_description: Some("Boats at dawn.".into()),
                artist: Some("Jane Doe".into()),
                copyright: Some("Copyright 2024 Northern Wire".into()),
                date_time_original: Some("2024:05:03 06:12:00".into()),
                make: Some("Canon".into()),
                model: Some("Canon EOS R6".into()),
            }),
            iptc: Some(
                IptcMeta::new()
                    .utf8()
                    .caption("Boats at dawn.")
                    .credit("Jane Doe/Northern Wire"),
            ),
            xmp: Some(xmp_packet(&[(
                "dc",
                "description",
                XmpValue::LangAlt("Boats & <dawn>".into()),
            )])),
        }
    }

    /// A minimal baseline JPEG skeleton: SOI, APP0, SOF0 (8x4), SOS, EOI.
    fn tiny_jpeg() -> Vec<u8> {
        let mut j = vec![0xff, 0xd8];
        j.extend([0xff, 0xe0, 0, 4, b'J', b'F']);
        j.extend([0xff, 0xc0, 0, 11, 8, 0, 4, 0, 8, 1, 1, 0x11, 0]);
        j.extend([0xff, 0xda, 0, 2, 0x12, 0x34, 0xff, 0xd9]);
        j
    }

    #[test]
    fn iim_standard_and_extended_lengths() {
        let iim = IptcMeta::empty().credit("AB").iim_bytes().unwrap();
        assert_eq!(iim, [0x1c, 2, 110, 0, 2, b'A', b'B']);
        let long = vec![b'x'; 40_000];
        let iim = IptcMeta::empty().raw(2, 120, &long).iim_bytes().unwrap();
        assert_eq!(&iim[..9], &[0x1c, 2, 120, 0x80, 0x04, 0, 0, 0x9c, 0x40]);
        assert_eq!(iim.len(), 9 + 40_000);
    }

    #[test]
    fn utf8_marker_goes_first() {
        let m = IptcMeta::new().caption("c").utf8();
        assert_eq!(m.datasets[0].record, 1);
        assert_eq!(m.datasets[0].data, b"\x1b%G");
    }

    #[test]
    fn irb_layout_and_digest() {
        let iptc = IptcMeta::empty().credit("ABC");
        let iim = iptc.iim_bytes().unwrap();
        let irb = photoshop_irb(&iptc).unwrap();
        assert_eq!(&irb[..6], b"8BIM\x04\x04");
        assert_eq!(&irb[6..8], &[0, 0]);
        assert_eq!(&irb[8..12], &(iim.len() as u32).to_be_bytes());
        // 8 bytes of IIM: no pad, then the digest resource.
        let d = &irb[12 + iim.len()..];
        assert_eq!(&d[..6], b"8BIM\x04\x25");
        assert_eq!(&d[12..28], &md5(&iim));
        let wrong = photoshop_irb(&iptc.clone().with_digest(IptcDigest::Wrong)).unwrap();
        assert_ne!(&wrong[wrong.len() - 16..], &md5(&iim));
        let absent = photoshop_irb(&iptc.with_digest(IptcDigest::Absent)).unwrap();
        assert_eq!(absent.len(), 12 + iim.len());
    }

    #[test]
    fn odd_resource_is_padded() {
        let r = photoshop_resource(0x0404, b"abc").unwrap();
        assert_eq!(r.len(), 12 + 4);
        assert_eq!(r[15], 0);
    }

    #[test]
    fn xmp_packet_shape() {
        let p = xmp_packet(&[
            ("dc", "creator", XmpValue::Seq(vec!["Søren".into()])),
            ("photoshop", "Credit", XmpValue::Simple("A & B".into())),
        ]);
        assert!(p.starts_with("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"));
        assert!(p.ends_with("<?xpacket end=\"w\"?>"));
        assert!(p.contains("<rdf:Seq>\n     <rdf:li>Søren</rdf:li>"));
        assert!(p.contains("<photoshop:Credit>A &amp; B</photoshop:Credit>"));
        assert!(p.contains("xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\""));
        assert!(!p.contains("xmlns:xmpRights"));
    }

    #[test]
    fn crc_matches_known_value() {
        // CRC-32 of "IEND" is the well-known AE 42 60 82.
        assert_eq!(crc32(&[b"IEND"]), 0xae42_6082);
        assert_eq!(crc32(&[b"123456789"]), 0xcbf4_3926);
    }

    #[test]
    fn exif_round_trips_through_kamadak() {
        let tiff = exif_tiff(sample_meta().exif.as_ref().unwrap(), 8, 4).unwrap();
        let exif = exif::Reader::new().read_raw(tiff).unwrap();
        let desc = exif.get_field(Tag::ImageDescription, In::PRIMARY).unwrap();
        assert_eq!(desc.display_value().to_string(), "\"Boats at dawn.\"");
        assert!(exif.get_field(Tag::DateTimeOriginal, In::PRIMARY).is_some());
    }

    #[test]
    fn jpeg_segments_in_order() {
        let out = jpeg_with(&tiny_jpeg(), &sample_meta()).unwrap();
        assert_eq!(&out[..2], &SOI);
        assert_eq!(&out[2..4], &[0xff, 0xe1]);
        assert_eq!(&out[6..12], EXIF_HEADER);
        // The old APP0 is gone, SOF and scan kept.
        assert!(!out.windows(2).any(|w| w == [0xff, 0xe0]));
        assert!(out.ends_with(&[0xff, 0xda, 0, 2, 0x12, 0x34, 0xff, 0xd9]));
        let xmp_at = out.windows(XMP_HEADER.len()).position(|w| w == XMP_HEADER);
        let ps_at = out.windows(PS_HEADER.len()).position(|w| w == PS_HEADER);
        assert!(xmp_at.unwrap() < ps_at.unwrap());
        // Deterministic.
        assert_eq!(out, jpeg_with(&tiny_jpeg(), &sample_meta()).unwrap());
    }

    #[test]
    fn jpeg_split_app13() {
        let opts = JpegOptions { split_app13: true };
        let out = jpeg_with_options(&tiny_jpeg(), &sample_meta(), &opts).unwrap();
        let n = out
            .windows(PS_HEADER.len())
            .filter(|w| *w == PS_HEADER)
            .count();
        assert_eq!(n, 2);
    }

    #[test]
    fn jpeg_extended_xmp_segments() {
        let meta = Meta {
            xmp: None,
            ..sample_meta()
        };
        let ext = [("photoshop", "History", XmpValue::Simple("x".repeat(300)))];
        let main = [("dc", "title", XmpValue::LangAlt("t".into()))];
        let out = jpeg_extended_xmp(&tiny_jpeg(), &meta, &main, &ext, 100).unwrap();
        let ext_xmp = xmp_meta(&ext);
        let guid = hex_upper(&md5(ext_xmp.as_bytes()));
        let hits: Vec<usize> = out
            .windows(EXT_XMP_HEADER.len())
            .enumerate()
            .filter(|(_, w)| *w == EXT_XMP_HEADER)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(hits.len(), ext_xmp.len().div_ceil(100));
        let mut joined = Vec::new();
        for (n, at) in hits.iter().enumerate() {
            let seg_len = usize::from(u16::from_be_bytes([out[at - 2], out[at - 1]])) - 2;
            let g = at + EXT_XMP_HEADER.len();
            assert_eq!(&out[g..g + 32], guid.as_bytes());
            let full = u32::from_be_bytes(out[g + 32..g + 36].try_into().unwrap());
            let off = u32::from_be_bytes(out[g + 36..g + 40].try_into().unwrap());
            assert_eq!(full as usize, ext_xmp.len());
            assert_eq!(off as usize, n * 100);
            joined.extend_from_slice(&out[g + 40..at + seg_len]);
        }
        assert_eq!(joined, ext_xmp.as_bytes());
        let needle = format!("<xmpNote:HasExtendedXMP>{guid}</xmpNote:HasExtendedXMP>");
        assert!(String::from_utf8_lossy(&out).contains(&needle));
        assert!(jpeg_extended_xmp(&tiny_jpeg(), &sample_meta(), &main, &ext, 100).is_err());
    }

    #[test]
    fn png_chunks_before_idat() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = 3u32.to_be_bytes().to_vec();
        ihdr.extend(2u32.to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]);
        png.extend(png_chunk(b"IHDR", &ihdr).unwrap());
        png.extend(png_chunk(b"IDAT", b"zz").unwrap());
        png.extend(png_chunk(b"IEND", b"").unwrap());
        let out = png_with(&png, &sample_meta(), &[("Author", "Jane Doe")]).unwrap();
        let find = |k: &[u8]| out.windows(4).position(|w| w == k).unwrap();
        assert!(find(b"eXIf") < find(b"IDAT"));
        assert!(find(b"iTXt") < find(b"IDAT"));
        assert!(find(b"tEXt") < find(b"IDAT"));
        assert!(out.ends_with(&png_chunk(b"IEND", b"").unwrap()));
        assert!(png_with(&png, &sample_meta(), &[("Author", "Zoë 中")]).is_err());
        assert!(png_with(&png, &sample_meta(), &[("Author", "Zoë")]).is_ok());
    }

    #[test]
    fn tiff_is_readable() {
        let rgb = vec![7u8; 5 * 3 * 3];
        let out = tiff_with(&rgb, 5, 3, &sample_meta()).unwrap();
        let exif = exif::Reader::new().read_raw(out.clone()).unwrap();
        assert!(
            exif.get_field(Tag(Context::Tiff, 33723), In::PRIMARY)
                .is_some()
        );
        assert!(
            exif.get_field(Tag(Context::Tiff, 700), In::PRIMARY)
                .is_some()
        );
        // The LONG-typed IPTC-NAA still holds the IIM bytes in file order.
        let iim = sample_meta().iptc.unwrap().iim_bytes().unwrap();
        assert!(out.windows(iim.len()).any(|w| w == iim));
        assert!(tiff_with(&rgb, 5, 4, &sample_meta()).is_err());
        assert!(tiff_with(&[], 0, 0, &sample_meta()).is_err());
    }

    #[test]
    fn webp_gets_vp8x() {
        // Simple lossless header for a 3x2 image (no real bitstream needed).
        let bits: u32 = 2 | (1 << 14);
        let mut vp8l = vec![0x2f];
        vp8l.extend(bits.to_le_bytes());
        vp8l.push(0);
        let mut body = b"WEBP".to_vec();
        body.extend(riff_chunk(b"VP8L", &vp8l).unwrap());
        let mut webp = b"RIFF".to_vec();
        webp.extend((body.len() as u32).to_le_bytes());
        webp.extend(body);
        let out = webp_with(&webp, &sample_meta()).unwrap();
        assert_eq!(&out[12..16], b"VP8X");
        assert_eq!(out[20], 0x0c);
        assert_eq!(&out[24..30], &[2, 0, 0, 1, 0, 0]);
        let riff = u32::from_le_bytes(out[4..8].try_into().unwrap()) as usize;
        assert_eq!(riff + 8, out.len());
        // Converting again replaces, not duplicates, the metadata chunks.
        let again = webp_with(&out, &sample_meta()).unwrap();
        assert_eq!(again, out);
    }

    /// xorshift64, fixed seed: the garbage generator for the no-panic test.
    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn container_readers_never_panic() {
        let meta = sample_meta();
        let valid_jpeg = jpeg_with(&tiny_jpeg(), &meta).unwrap();
        let rgb = vec![1u8; 2 * 2 * 3];
        let valid_tiff = tiff_with(&rgb, 2, 2, &meta).unwrap();
        for input in [&valid_jpeg, &valid_tiff] {
            for n in 0..=input.len() {
                let cut = &input[..n];
                let _ = jpeg_with(cut, &meta);
                let _ = png_with(cut, &meta, &[]);
                let _ = webp_with(cut, &meta);
            }
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..2000 {
            let len = (xorshift(&mut state) % 64) as usize;
            let mut bytes: Vec<u8> = (0..len).map(|_| xorshift(&mut state) as u8).collect();
            // Give some inputs the right magic so the parsers get further.
            let magic: &[u8] = match xorshift(&mut state) % 4 {
                0 => &[0xff, 0xd8],
                1 => b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR",
                2 => b"RIFF\0\0\0\0WEBP",
                _ => b"",
            };
            bytes.splice(0..0, magic.iter().copied());
            let _ = jpeg_with(&bytes, &meta);
            let _ = png_with(&bytes, &meta, &[]);
            let _ = webp_with(&bytes, &meta);
        }
    }
}
