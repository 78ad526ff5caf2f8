//! Reads an XMP packet (RDF/XML) into `prefix:Name` fields, resolving namespaces by URI.
//!
//! What is read, and how (ExifTool 12.57 `XMP.pm` is the reference the corpus is
//! checked against):
//! - every top-level property of every `rdf:Description` of every `rdf:RDF`, in
//!   attribute form (`photoshop:Credit="…"`) and element form;
//! - a property's namespace is matched by URI, never by the prefix text; properties
//!   in namespaces not in [`NAMESPACES`] are skipped;
//! - simple values keep their text as is (ExifTool `ParseXMPElement` trims only
//!   `rdf:Description` bodies, never a property's text);
//! - `rdf:Alt` gives the `xml:lang="x-default"` item, else the first; `rdf:Bag` and
//!   `rdf:Seq` always give a [`Value::List`];
//! - `rdf:resource` gives its URI; a qualified value (`rdf:value` inside
//!   `rdf:parseType="Resource"` or a nested `rdf:Description`) gives the `rdf:value`;
//!   any other structure is skipped (cutline compares texts, not structures);
//! - a property met twice (two `rdf:Description` blocks) keeps the later value, as
//!   ExifTool's `FoundTag` does for tags of equal priority.

use md5::{Digest, Md5};
use roxmltree::{Document, Node, ParsingOptions};

use crate::container::ExtendedXmpChunk;
use crate::metadata::fields::{Fields, Source, Value, Warning};

/// Largest packet accepted by [`parse_xmp`], in bytes.
pub const MAX_PACKET_BYTES: usize = 16 << 20;

/// Largest reassembled ExtendedXMP packet accepted by [`assemble_extended`], in bytes.
pub const MAX_EXTENDED_BYTES: u32 = 64 << 20;

/// Most XML nodes one packet may hold: bounds memory at roughly 60 MiB of tree.
/// Photoshop's bloated `photoshop:DocumentAncestors` lists reach some 10^5 items.
const NODES_LIMIT: u32 = 1 << 20;

/// Deepest element nesting searched for `rdf:RDF`.
const MAX_DEPTH: usize = 64;

const RDF_NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Namespace URI → canonical prefix used in field keys (`dc:description`).
pub const NAMESPACES: &[(&str, &str)] = &[
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://ns.adobe.com/photoshop/1.0/", "photoshop"),
    ("http://ns.adobe.com/xap/1.0/", "xmp"),
    ("http://ns.adobe.com/xap/1.0/rights/", "xmpRights"),
    ("http://ns.adobe.com/xmp/note/", "xmpNote"),
    (
        "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
        "Iptc4xmpCore",
    ),
    ("http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "Iptc4xmpExt"),
    ("http://ns.adobe.com/xap/1.0/mm/", "xmpMM"),
    ("http://ns.adobe.com/tiff/1.0/", "tiff"),
    ("http://ns.adobe.com/exif/1.0/", "exif"),
    ("http://ns.useplus.org/ldf/xmp/1.0/", "plus"),
    ("http://ns.adobe.com/lightroom/1.0/", "lr"),
];

/// The properties read from one XMP packet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Xmp {
    /// `prefix:Name` → value, for properties in [`NAMESPACES`].
    pub fields: Fields,
    /// The `xmpNote:HasExtendedXMP` GUID: the MD5 of a JPEG ExtendedXMP packet.
    pub has_extended: Option<String>,
    /// Problems met in a packet that was still read.
    pub warnings: Vec<Warning>,
}

/// Why an XMP packet (or its ExtendedXMP extension) could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum XmpError {
    /// The packet is larger than [`MAX_PACKET_BYTES`].
    #[error("XMP packet of {len} bytes is over the {limit}-byte limit")]
    TooLarge {
        /// The packet's length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// Nothing but padding.
    #[error("XMP packet is empty")]
    Empty,
    /// A DOCTYPE: refused, since XMP has no use for one and entities can explode.
    #[error("XMP packet has a DTD, refused")]
    Dtd,
    /// More XML nodes than the reader will hold.
    #[error("XMP packet has more than {limit} XML nodes")]
    TooManyNodes {
        /// The limit.
        limit: u32,
    },
    /// Not well-formed XML.
    #[error("XMP packet is not well-formed XML: {0}")]
    Xml(roxmltree::Error),
    /// Well-formed XML without an `rdf:RDF` element.
    #[error("XMP packet has no rdf:RDF element")]
    NoRdf,
    /// No ExtendedXMP chunk carries the GUID.
    #[error("extended XMP {guid}: no chunk has this GUID")]
    ExtendedMissing {
        /// The GUID looked for.
        guid: String,
    },
    /// The chunks' full lengths disagree.
    #[error("extended XMP {guid}: chunks give full lengths {first} and {other}")]
    ExtendedLengthMismatch {
        /// The GUID.
        guid: String,
        /// The first chunk's full length.
        first: u32,
        /// A differing full length.
        other: u32,
    },
    /// The full length is over [`MAX_EXTENDED_BYTES`].
    #[error("extended XMP {guid}: full length {len} is over the {limit}-byte limit")]
    ExtendedTooLarge {
        /// The GUID.
        guid: String,
        /// The declared full length.
        len: u32,
        /// The limit.
        limit: u32,
    },
    /// A chunk reaches past the full length.
    #[error(
        "extended XMP {guid}: chunk at offset {offset} of {len} bytes overruns full length {full_length}"
    )]
    ExtendedChunkOutOfRange {
        /// The GUID.
        guid: String,
        /// The chunk's offset.
        offset: u32,
        /// The chunk's length.
        len: usize,
        /// The declared full length.
        full_length: u32,
    },
    /// Some bytes of the packet are in no chunk.
    #[error("extended XMP {guid}: {missing} of {full_length} bytes are in no chunk")]
    ExtendedIncomplete {
        /// The GUID.
        guid: String,
        /// How many bytes no chunk covers.
        missing: u64,
        /// The declared full length.
        full_length: u32,
    },
    /// The MD5 of the assembled packet is not the GUID.
    #[error("extended XMP {guid}: MD5 of the assembled packet is {actual}")]
    ExtendedDigestMismatch {
        /// The GUID (the expected MD5).
        guid: String,
        /// The MD5 found, 32 uppercase hex digits.
        actual: String,
    },
}

/// Reads the properties of an XMP packet as found in a file or an `.xmp` sidecar:
/// UTF-8, UTF-16 or UTF-32, with or without BOM, `<?xpacket?>` wrapper and padding.
pub fn parse_xmp(bytes: &[u8]) -> Result<Xmp, XmpError> {
    if bytes.len() > MAX_PACKET_BYTES {
        return Err(XmpError::TooLarge {
            len: bytes.len(),
            limit: MAX_PACKET_BYTES,
        });
    }
    let mut xmp = Xmp::default();
    let text = decode(bytes, &mut xmp.warnings);
    // XMP part 3, packet wrapper: padding is XML whitespace before the trailer;
    // NUL runs after the packet also occur in files (writers reserving room).
    let text = text
        .trim_start_matches(['\u{feff}', '\0'])
        .trim_start()
        .trim_end_matches(|c: char| c == '\0' || c.is_whitespace());
    if text.is_empty() {
        return Err(XmpError::Empty);
    }
    // XML 1.0 §2.2 forbids NUL and most C0 controls anywhere; some writers leave
    // NUL runs inside packets (ExifTool's regex reader skips them). Dropping them
    // keeps the rest of the packet readable.
    let cleaned: String;
    let text = if text.contains(|c| !is_xml_char(c)) {
        cleaned = text.chars().filter(|c| is_xml_char(*c)).collect();
        xmp.warnings.push(Warning::new(
            Source::Xmp,
            "characters not allowed in XML (NUL, control codes) removed from XMP packet",
        ));
        cleaned.as_str()
    } else {
        text
    };
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: NODES_LIMIT,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => XmpError::Dtd,
        roxmltree::Error::NodesLimitReached => XmpError::TooManyNodes { limit: NODES_LIMIT },
        other => XmpError::Xml(other),
    })?;
    let rdfs = find_rdf(&doc, &mut xmp.warnings);
    if rdfs.is_empty() {
        return Err(XmpError::NoRdf);
    }
    for rdf in rdfs {
        for desc in rdf.children().filter(|n| is_rdf(*n, "Description")) {
            read_description(desc, &mut xmp.fields);
        }
    }
    if let Some(Value::Text(guid)) = xmp.fields.get("xmpNote:HasExtendedXMP") {
        xmp.has_extended = Some(guid.trim().to_owned());
    }
    Ok(xmp)
}

/// Reassembles a JPEG ExtendedXMP packet (XMP part 3 §1.1.3.1) from the chunks
/// carrying `guid`, and checks that every byte is present and that its MD5 is the GUID.
pub fn assemble_extended(chunks: &[ExtendedXmpChunk], guid: &str) -> Result<Vec<u8>, XmpError> {
    let guid_owned = || guid.to_owned();
    let mine: Vec<&ExtendedXmpChunk> = chunks
        .iter()
        .filter(|c| c.guid.eq_ignore_ascii_case(guid))
        .collect();
    let first = mine
        .first()
        .ok_or_else(|| XmpError::ExtendedMissing { guid: guid_owned() })?;
    let full_length = first.full_length;
    if let Some(other) = mine.iter().find(|c| c.full_length != full_length) {
        return Err(XmpError::ExtendedLengthMismatch {
            guid: guid_owned(),
            first: full_length,
            other: other.full_length,
        });
    }
    if full_length > MAX_EXTENDED_BYTES {
        return Err(XmpError::ExtendedTooLarge {
            guid: guid_owned(),
            len: full_length,
            limit: MAX_EXTENDED_BYTES,
        });
    }
    let total = full_length as usize;
    let mut buffer = vec![0u8; total];
    let mut ranges = Vec::with_capacity(mine.len());
    for chunk in &mine {
        let start = chunk.offset as usize;
        let out_of_range = || XmpError::ExtendedChunkOutOfRange {
            guid: guid_owned(),
            offset: chunk.offset,
            len: chunk.data.len(),
            full_length,
        };
        let end = start
            .checked_add(chunk.data.len())
            .ok_or_else(out_of_range)?;
        let slot = buffer.get_mut(start..end).ok_or_else(out_of_range)?;
        slot.copy_from_slice(&chunk.data);
        ranges.push((start, end));
    }
    // Chunks may come in any order (the spec asks readers not to assume file order).
    ranges.sort_unstable();
    let mut covered_to = 0usize;
    let mut missing = 0u64;
    for (start, end) in ranges {
        if start > covered_to {
            missing += (start - covered_to) as u64;
        }
        covered_to = covered_to.max(end);
    }
    missing += total.saturating_sub(covered_to) as u64;
    if missing > 0 {
        return Err(XmpError::ExtendedIncomplete {
            guid: guid_owned(),
            missing,
            full_length,
        });
    }
    // XMP part 3 §1.1.3.1: the GUID is the MD5 digest of the full extended
    // packet, as 32 hex digits. (ExifTool does not check it; Adobe's toolkit writes it.)
    let actual: String = Md5::digest(&buffer)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    if !actual.eq_ignore_ascii_case(guid) {
        return Err(XmpError::ExtendedDigestMismatch {
            guid: guid_owned(),
            actual,
        });
    }
    Ok(buffer)
}

/// Adds the properties of a JPEG ExtendedXMP packet to the main packet's.
/// On a property present in both, the extended value wins: Adobe's XMP Toolkit
/// (`XMPUtils::MergeFromJPEG`, "replacing any duplicates") and ExifTool (which
/// reads the extension last; the later tag wins) agree.
pub fn merge(main: &mut Xmp, extended: Xmp) {
    main.fields.extend(extended.fields);
    main.warnings.extend(extended.warnings);
}

/// The text encodings an XMP packet may use (XMP part 3 §1.1.1.1: UTF-8, UTF-16, UTF-32).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16Be,
    Utf16Le,
    Utf32Be,
    Utf32Le,
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf32Be => "UTF-32BE",
            Encoding::Utf32Le => "UTF-32LE",
        }
    }
}

/// Picks the encoding from the first bytes: a byte order mark (XMP part 3 §1.1.1.1:
/// the xpacket `begin` attribute is U+FEFF in the packet's encoding), else the zero
/// bytes around the leading `<` (XML 1.0 appendix F).
fn sniff(bytes: &[u8]) -> Encoding {
    match bytes {
        [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8,
        [0x00, 0x00, 0xFE, 0xFF, ..] => Encoding::Utf32Be,
        [0xFF, 0xFE, 0x00, 0x00, ..] => Encoding::Utf32Le,
        [0xFE, 0xFF, ..] => Encoding::Utf16Be,
        [0xFF, 0xFE, ..] => Encoding::Utf16Le,
        [0x00, 0x00, 0x00, a, ..] if *a != 0 => Encoding::Utf32Be,
        [a, 0x00, 0x00, 0x00, ..] if *a != 0 => Encoding::Utf32Le,
        [0x00, a, ..] if *a != 0 => Encoding::Utf16Be,
        [a, 0x00, ..] if *a != 0 => Encoding::Utf16Le,
        _ => Encoding::Utf8,
    }
}

/// Decodes the packet to text, replacing malformed sequences (with a warning)
/// so that the rest of a damaged packet is still read.
fn decode(bytes: &[u8], warnings: &mut Vec<Warning>) -> String {
    let encoding = sniff(bytes);
    let mut bad = 0usize;
    let text = match encoding {
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => {
                bad = 1;
                String::from_utf8_lossy(bytes).into_owned()
            }
        },
        Encoding::Utf16Be | Encoding::Utf16Le => {
            let units = bytes.chunks_exact(2).map(|p| match (encoding, p) {
                (Encoding::Utf16Be, [a, b]) => u16::from_be_bytes([*a, *b]),
                (_, [a, b]) => u16::from_le_bytes([*a, *b]),
                _ => 0,
            });
            let text = char::decode_utf16(units)
                .map(|r| {
                    r.unwrap_or_else(|_| {
                        bad += 1;
                        char::REPLACEMENT_CHARACTER
                    })
                })
                .collect();
            bad += usize::from(!bytes.len().is_multiple_of(2));
            text
        }
        Encoding::Utf32Be | Encoding::Utf32Le => {
            let text = bytes
                .chunks_exact(4)
                .map(|q| {
                    let unit = match (encoding, q) {
                        (Encoding::Utf32Be, [a, b, c, d]) => u32::from_be_bytes([*a, *b, *c, *d]),
                        (_, [a, b, c, d]) => u32::from_le_bytes([*a, *b, *c, *d]),
                        _ => 0,
                    };
                    char::from_u32(unit).unwrap_or_else(|| {
                        bad += 1;
                        char::REPLACEMENT_CHARACTER
                    })
                })
                .collect();
            bad += usize::from(!bytes.len().is_multiple_of(4));
            text
        }
    };
    if bad > 0 {
        warnings.push(Warning::new(
            Source::Xmp,
            format!(
                "malformed {} text in XMP packet replaced by U+FFFD",
                encoding.name()
            ),
        ));
    }
    text
}

/// The `rdf:RDF` elements of the document, searched down to [`MAX_DEPTH`] levels
/// (usually the root's child: `x:xmpmeta/rdf:RDF`; a bare `rdf:RDF` root also occurs).
fn find_rdf<'a, 'input>(
    doc: &'a Document<'input>,
    warnings: &mut Vec<Warning>,
) -> Vec<Node<'a, 'input>> {
    let mut found = Vec::new();
    let mut too_deep = false;
    let mut stack = vec![(doc.root_element(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if is_rdf(node, "RDF") {
            found.push(node);
            continue;
        }
        if depth >= MAX_DEPTH {
            too_deep = true;
            continue;
        }
        // Reversed, so the stack pops them in document order.
        let children: Vec<_> = node.children().filter(Node::is_element).collect();
        stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
    }
    if too_deep {
        warnings.push(Warning::new(
            Source::Xmp,
            format!("XMP nested deeper than {MAX_DEPTH} elements; the deeper part was not read"),
        ));
    }
    found
}

/// XML 1.0 §2.2 `Char` (surrogates cannot occur in a Rust `char`).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

fn is_rdf(node: Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(RDF_NS)
        && node.tag_name().name() == name
}

/// `prefix:Name` for a property in a known namespace, by URI.
fn key(namespace: Option<&str>, name: &str) -> Option<String> {
    let uri = namespace?;
    let (_, prefix) = NAMESPACES.iter().find(|(u, _)| *u == uri)?;
    Some(format!("{prefix}:{name}"))
}

/// Reads the top-level properties of one `rdf:Description` (XMP part 1 §7.9.2.2:
/// attribute form and element form may be mixed).
fn read_description(desc: Node, fields: &mut Fields) {
    for attr in desc.attributes() {
        if let Some(k) = key(attr.namespace(), attr.name()) {
            fields.insert(k, Value::Text(attr.value().to_owned()));
        }
    }
    for prop in desc.children().filter(Node::is_element) {
        let tag = prop.tag_name();
        let (Some(k), Some(value)) = (key(tag.namespace(), tag.name()), property_value(prop))
        else {
            continue;
        };
        fields.insert(k, value);
    }
}

/// The value of an element-form property, or `None` for a structure.
fn property_value(prop: Node) -> Option<Value> {
    let container = prop.children().find(Node::is_element);
    let Some(container) = container.filter(|c| c.tag_name().namespace() == Some(RDF_NS)) else {
        return simple_value(prop).map(Value::Text);
    };
    let items = || container.children().filter(|n| is_rdf(*n, "li"));
    match container.tag_name().name() {
        // XMP part 1 §8.2.2.4: language alternatives; x-default is the default.
        "Alt" => {
            let default = items().find(|li| {
                li.attribute((XML_NS, "lang"))
                    .is_some_and(|lang| lang.eq_ignore_ascii_case("x-default"))
            });
            default
                .or_else(|| items().next())
                .and_then(simple_value)
                .map(Value::Text)
        }
        "Bag" | "Seq" => {
            let mut structs = 0usize;
            let texts: Vec<String> = items()
                .filter_map(|li| {
                    let text = simple_value(li);
                    structs += usize::from(text.is_none());
                    text
                })
                .collect();
            // A list of structures (Iptc4xmpExt:LocationShown) is not text.
            if texts.is_empty() && structs > 0 {
                None
            } else {
                Some(Value::List(texts))
            }
        }
        _ => simple_value(prop).map(Value::Text),
    }
}

/// The text of a simple node (a property or an `rdf:li`): its text, its
/// `rdf:resource` URI, or the `rdf:value` of a qualified value; `None` for a structure.
fn simple_value(node: Node) -> Option<String> {
    if let Some(uri) = node.attribute((RDF_NS, "resource")) {
        return Some(uri.to_owned());
    }
    if node.attribute((RDF_NS, "parseType")) == Some("Resource") {
        return value_of(node);
    }
    if let Some(child) = node.children().find(Node::is_element) {
        return if is_rdf(child, "Description") {
            value_of(child)
        } else {
            None
        };
    }
    // Shorthand structure: fields as attributes of an empty property element.
    let has_fields = node
        .attributes()
        .any(|a| a.namespace().is_some_and(|ns| ns != RDF_NS && ns != XML_NS));
    let text = direct_text(node);
    if has_fields && text.trim().is_empty() {
        return None;
    }
    Some(text)
}

/// The `rdf:value` of a qualified value (XMP part 1 §7.5, general qualifiers).
fn value_of(node: Node) -> Option<String> {
    if let Some(v) = node.attribute((RDF_NS, "value")) {
        return Some(v.to_owned());
    }
    node.children()
        .find(|n| is_rdf(*n, "value"))
        .map(direct_text)
}

/// The text directly inside an element (comments dropped, CDATA and entities resolved).
fn direct_text(node: Node) -> String {
    node.children()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = concat!(
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">",
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
    );
    const TAIL: &str = "</rdf:RDF></x:xmpmeta>";
    const DC: &str = "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"";
    const PS: &str = "xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\"";

    /// A packet holding the given `rdf:Description` blocks.
    fn packet(descriptions: &str) -> String {
        format!("{HEAD}{descriptions}{TAIL}")
    }

    fn text(s: &str) -> Value {
        Value::Text(s.to_owned())
    }

    fn list(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| (*s).to_owned()).collect())
    }

    fn parse(s: &str) -> Xmp {
        parse_xmp(s.as_bytes()).unwrap()
    }

    /// A realistic packet: xpacket wrapper, both property forms, Alt, Bag, Seq.
    fn sample() -> String {
        let body = format!(
            "<rdf:Description rdf:about=\"\" {DC} {PS} photoshop:Credit=\"Jane Doe/Northern Wire\">\
             <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">Boats at dawn</rdf:li>\
             </rdf:Alt></dc:description>\
             <dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>\
             <dc:subject><rdf:Bag><rdf:li>boats</rdf:li><rdf:li>harbor</rdf:li></rdf:Bag></dc:subject>\
             </rdf:Description>"
        );
        format!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n{}\n{}<?xpacket end=\"w\"?>",
            packet(&body),
            " ".repeat(100)
        )
    }

    #[test]
    fn attribute_form() {
        let x = parse(&packet(&format!(
            "<rdf:Description rdf:about=\"\" {PS} photoshop:Credit=\"AP\" photoshop:City=\"Oslo\"/>"
        )));
        assert_eq!(x.fields.get("photoshop:Credit"), Some(&text("AP")));
        assert_eq!(x.fields.get("photoshop:City"), Some(&text("Oslo")));
        // rdf:about is RDF syntax, not a property.
        assert_eq!(x.fields.len(), 2);
        assert!(x.warnings.is_empty());
    }

    #[test]
    fn element_form_keeps_text_as_is() {
        let x = parse(&packet(&format!(
            "<rdf:Description {PS}><photoshop:Credit> AP &amp; Reuters\n</photoshop:Credit>\
             <photoshop:Headline><![CDATA[<b>Storm</b>]]></photoshop:Headline></rdf:Description>"
        )));
        // ExifTool keeps a property's text untrimmed; so do we.
        assert_eq!(
            x.fields.get("photoshop:Credit"),
            Some(&text(" AP & Reuters\n"))
        );
        assert_eq!(
            x.fields.get("photoshop:Headline"),
            Some(&text("<b>Storm</b>"))
        );
    }

    #[test]
    fn empty_property_is_empty_text() {
        let x = parse(&packet(&format!(
            "<rdf:Description {PS}><photoshop:Instructions/></rdf:Description>"
        )));
        assert_eq!(x.fields.get("photoshop:Instructions"), Some(&text("")));
    }

    #[test]
    fn alt_takes_x_default() {
        let x = parse(&packet(&format!(
            "<rdf:Description {DC}><dc:description><rdf:Alt>\
             <rdf:li xml:lang=\"fr\">Bateaux</rdf:li>\
             <rdf:li xml:lang=\"X-Default\">Boats</rdf:li>\
             </rdf:Alt></dc:description></rdf:Description>"
        )));
        assert_eq!(x.fields.get("dc:description"), Some(&text("Boats")));
    }

    #[test]
    fn alt_without_default_takes_first() {
        let x = parse(&packet(&format!(
            "<rdf:Description {DC}><dc:title><rdf:Alt>\
             <rdf:li xml:lang=\"de\">Boote</rdf:li><rdf:li xml:lang=\"en\">Boats</rdf:li>\
             </rdf:Alt></dc:title></rdf:Description>"
        )));
        assert_eq!(x.fields.get("dc:title"), Some(&text("Boote")));
    }

    #[test]
    fn bag_and_seq_are_always_lists() {
        let x = parse(&packet(&format!(
            "<rdf:Description {DC}>\
             <dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>\
             <dc:subject><rdf:Bag><rdf:li>a</rdf:li><rdf:li>b</rdf:li><rdf:li>c</rdf:li></rdf:Bag>\
             </dc:subject></rdf:Description>"
        )));
        assert_eq!(x.fields.get("dc:creator"), Some(&list(&["Jane Doe"])));
        assert_eq!(x.fields.get("dc:subject"), Some(&list(&["a", "b", "c"])));
    }

    #[test]
    fn sample_with_xpacket_wrapper_and_padding() {
        let mut bytes = sample().into_bytes();
        bytes.extend_from_slice(b"\0\0\0  \n\0");
        let x = parse_xmp(&bytes).unwrap();
        assert_eq!(
            x.fields.get("photoshop:Credit"),
            Some(&text("Jane Doe/Northern Wire"))
        );
        assert_eq!(x.fields.get("dc:description"), Some(&text("Boats at dawn")));
        assert_eq!(x.fields.get("dc:creator"), Some(&list(&["Jane Doe"])));
        assert_eq!(
            x.fields.get("dc:subject"),
            Some(&list(&["boats", "harbor"]))
        );
        assert!(x.warnings.is_empty(), "{:?}", x.warnings);
    }

    #[test]
    fn leading_utf8_bom() {
        let bytes = [b"\xEF\xBB\xBF".as_slice(), sample().as_bytes()].concat();
        assert_eq!(parse_xmp(&bytes).unwrap().fields.len(), 4);
    }

    #[test]
    fn two_descriptions_later_wins() {
        let x = parse(&packet(&format!(
            "<rdf:Description {PS} photoshop:Credit=\"first\" photoshop:City=\"Oslo\"/>\
             <rdf:Description {DC} {PS} photoshop:Credit=\"second\">\
             <dc:rights><rdf:Alt><rdf:li xml:lang=\"x-default\">(c) NW</rdf:li></rdf:Alt></dc:rights>\
             </rdf:Description>"
        )));
        assert_eq!(x.fields.get("photoshop:City"), Some(&text("Oslo")));
        assert_eq!(x.fields.get("dc:rights"), Some(&text("(c) NW")));
        assert_eq!(x.fields.get("photoshop:Credit"), Some(&text("second")));
    }

    #[test]
    fn namespace_by_uri_not_prefix() {
        let x = parse(&packet(
            "<rdf:Description xmlns:foo=\"http://purl.org/dc/elements/1.1/\">\
             <foo:description>by URI</foo:description></rdf:Description>",
        ));
        assert_eq!(x.fields.get("dc:description"), Some(&text("by URI")));
    }

    #[test]
    fn dc_prefix_with_wrong_uri_is_not_dc() {
        let x = parse(&packet(
            "<rdf:Description xmlns:dc=\"http://example.com/not-dc/\" dc:title=\"no\">\
             <dc:description>no</dc:description></rdf:Description>",
        ));
        assert!(x.fields.is_empty(), "{:?}", x.fields);
    }

    #[test]
    fn resource_qualified_value_and_structures() {
        let x = parse(&packet(
            "<rdf:Description xmlns:xmpRights=\"http://ns.adobe.com/xap/1.0/rights/\" \
             xmlns:Iptc4xmpCore=\"http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/\" \
             xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
             <xmpRights:WebStatement rdf:resource=\"https://example.com/terms\"/>\
             <Iptc4xmpCore:CreatorContactInfo rdf:parseType=\"Resource\">\
             <Iptc4xmpCore:CiAdrCity>Oslo</Iptc4xmpCore:CiAdrCity></Iptc4xmpCore:CreatorContactInfo>\
             <Iptc4xmpCore:Scene Iptc4xmpCore:Code=\"011\"/>\
             <Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\
             <Iptc4xmpExt:City>Oslo</Iptc4xmpExt:City></rdf:li></rdf:Bag></Iptc4xmpExt:LocationShown>\
             <dc:source rdf:parseType=\"Resource\"><rdf:value>qualified</rdf:value></dc:source>\
             <dc:publisher><rdf:Bag><rdf:li><rdf:Description><rdf:value>Pub</rdf:value>\
             </rdf:Description></rdf:li></rdf:Bag></dc:publisher>\
             </rdf:Description>",
        ));
        let mut expected = Fields::new();
        expected.insert(
            "xmpRights:WebStatement".into(),
            text("https://example.com/terms"),
        );
        expected.insert("dc:source".into(), text("qualified"));
        expected.insert("dc:publisher".into(), list(&["Pub"]));
        assert_eq!(x.fields, expected);
    }

    #[test]
    fn has_extended_guid() {
        let x = parse(&packet(
            "<rdf:Description xmlns:xmpNote=\"http://ns.adobe.com/xmp/note/\" \
             xmpNote:HasExtendedXMP=\"04B9E48040A30A6308713BD1E4223B41\"/>",
        ));
        assert_eq!(
            x.has_extended.as_deref(),
            Some("04B9E48040A30A6308713BD1E4223B41")
        );
    }

    fn utf16(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let units = bom.then_some(0xFEFF).into_iter().chain(s.encode_utf16());
        units
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf16_and_utf32_packets() {
        let s = format!(
            "{}  ",
            sample().replace("Boats at dawn", "Båter ved daggry 🚤")
        );
        let utf32be: Vec<u8> = s.chars().flat_map(|c| u32::from(c).to_be_bytes()).collect();
        let utf32le: Vec<u8> = s.chars().flat_map(|c| u32::from(c).to_le_bytes()).collect();
        for bytes in [
            utf16(&s, false, true),
            utf16(&s, true, true),
            utf16(&s, false, false),
            utf16(&s, true, false),
            utf32be,
            utf32le,
        ] {
            let x = parse_xmp(&bytes).unwrap();
            assert_eq!(
                x.fields.get("dc:description"),
                Some(&text("Båter ved daggry 🚤"))
            );
            assert_eq!(
                x.fields.get("dc:subject"),
                Some(&list(&["boats", "harbor"]))
            );
            assert!(x.warnings.is_empty(), "{:?}", x.warnings);
        }
    }

    #[test]
    fn xml_declaration_naming_utf16_is_accepted() {
        let s = format!("<?xml version=\"1.0\" encoding=\"UTF-16\"?>{}", sample());
        let x = parse_xmp(&utf16(&s, true, true)).unwrap();
        assert_eq!(x.fields.get("dc:description"), Some(&text("Boats at dawn")));
    }

    #[test]
    fn dtd_and_entities_refused() {
        let laughs = concat!(
            "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">",
            "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">&lol2;</x:xmpmeta>"
        );
        assert_eq!(parse_xmp(laughs.as_bytes()), Err(XmpError::Dtd));
        let external = format!("<!DOCTYPE x SYSTEM \"file:///etc/passwd\">{}", packet(""));
        assert_eq!(parse_xmp(external.as_bytes()), Err(XmpError::Dtd));
    }

    #[test]
    fn deep_nesting_is_cut_off_with_a_warning() {
        let depth = 100_000;
        let deep = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let s = format!(
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">{deep}\
             <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\
             <rdf:Description {PS} photoshop:Credit=\"AP\">\
             <photoshop:Source><rdf:Bag><rdf:li>{deep}</rdf:li></rdf:Bag></photoshop:Source>\
             </rdf:Description></rdf:RDF></x:xmpmeta>"
        );
        let x = parse(&s);
        assert_eq!(x.fields.get("photoshop:Credit"), Some(&text("AP")));
        // The nested item is a structure, so the list is skipped.
        assert_eq!(x.fields.get("photoshop:Source"), None);
        assert_eq!(x.warnings.len(), 1, "{:?}", x.warnings);
        // An rdf:RDF found only below the limit is not read.
        let buried = format!(
            "{}{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            packet(""),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(parse_xmp(buried.as_bytes()), Err(XmpError::NoRdf));
    }

    #[test]
    fn bare_rdf_root_and_not_xmp() {
        let bare = format!(
            "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\
             <rdf:Description {PS} photoshop:Source=\"AFP\"/></rdf:RDF>"
        );
        assert_eq!(
            parse(&bare).fields.get("photoshop:Source"),
            Some(&text("AFP"))
        );
        assert_eq!(parse_xmp(b"<html><body/></html>"), Err(XmpError::NoRdf));
        assert_eq!(parse_xmp(b"  \0\0 "), Err(XmpError::Empty));
        assert!(matches!(parse_xmp(b"<x:xmpmeta"), Err(XmpError::Xml(_))));
    }

    #[test]
    fn nul_inside_packet_is_dropped_with_warning() {
        let s = sample().replace("<dc:creator>", "\0\0\0<dc:creator>");
        let x = parse(&s);
        assert_eq!(x.fields.get("dc:creator"), Some(&list(&["Jane Doe"])));
        assert_eq!(x.warnings.len(), 1);
    }

    #[test]
    fn malformed_utf8_is_replaced_with_warning() {
        let mut bytes = sample().into_bytes();
        let at = bytes.windows(5).position(|w| w == b"Boats").unwrap();
        bytes[at] = 0xFF;
        let x = parse_xmp(&bytes).unwrap();
        assert_eq!(
            x.fields.get("dc:description"),
            Some(&text("\u{fffd}oats at dawn"))
        );
        assert_eq!(x.warnings.len(), 1);
    }

    #[test]
    fn too_large_refused() {
        let big = vec![b' '; MAX_PACKET_BYTES + 1];
        assert!(matches!(parse_xmp(&big), Err(XmpError::TooLarge { .. })));
    }

    fn md5_hex(bytes: &[u8]) -> String {
        Md5::digest(bytes)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }

    /// Splits `packet` into three chunks, returned out of order.
    fn chunks(packet: &[u8], guid: &str) -> Vec<ExtendedXmpChunk> {
        let cut = [0, packet.len() / 3, 2 * packet.len() / 3, packet.len()];
        let chunk = |i: usize| ExtendedXmpChunk {
            guid: guid.to_owned(),
            full_length: u32::try_from(packet.len()).unwrap(),
            offset: u32::try_from(cut[i]).unwrap(),
            data: packet[cut[i]..cut[i + 1]].to_vec(),
        };
        vec![chunk(2), chunk(0), chunk(1)]
    }

    #[test]
    fn extended_assembly_and_merge() {
        let ext = packet(&format!(
            "<rdf:Description {PS} photoshop:Credit=\"extended\" photoshop:Source=\"AFP\"/>"
        ))
        .into_bytes();
        let guid = md5_hex(&ext);
        let mut all = chunks(&ext, &guid);
        // A chunk of another extension is ignored.
        all.push(ExtendedXmpChunk {
            guid: "0".repeat(32),
            full_length: 3,
            offset: 0,
            data: b"abc".to_vec(),
        });
        let assembled = assemble_extended(&all, &guid).unwrap();
        assert_eq!(assembled, ext);

        let mut main = parse(&packet(&format!(
            "<rdf:Description {PS} xmlns:xmpNote=\"http://ns.adobe.com/xmp/note/\" \
             xmpNote:HasExtendedXMP=\"{guid}\" photoshop:Credit=\"main\" photoshop:City=\"Oslo\"/>"
        )));
        assert_eq!(main.has_extended.as_deref(), Some(guid.as_str()));
        merge(&mut main, parse_xmp(&assembled).unwrap());
        assert_eq!(main.fields.get("photoshop:Credit"), Some(&text("extended")));
        assert_eq!(main.fields.get("photoshop:Source"), Some(&text("AFP")));
        assert_eq!(main.fields.get("photoshop:City"), Some(&text("Oslo")));
    }

    #[test]
    fn extended_wrong_guid_missing_chunk_and_bad_ranges() {
        let ext = packet("").into_bytes();
        let wrong = "0123456789ABCDEF0123456789ABCDEF";
        assert!(matches!(
            assemble_extended(&chunks(&ext, wrong), wrong),
            Err(XmpError::ExtendedDigestMismatch { .. })
        ));
        let guid = md5_hex(&ext);
        let mut missing = chunks(&ext, &guid);
        let lost = missing.remove(2).data.len();
        assert_eq!(
            assemble_extended(&missing, &guid),
            Err(XmpError::ExtendedIncomplete {
                guid: guid.clone(),
                missing: lost as u64,
                full_length: u32::try_from(ext.len()).unwrap(),
            })
        );
        assert!(matches!(
            assemble_extended(&missing, wrong),
            Err(XmpError::ExtendedMissing { .. })
        ));
        let mut overrun = chunks(&ext, &guid);
        overrun[0].offset = u32::MAX;
        assert!(matches!(
            assemble_extended(&overrun, &guid),
            Err(XmpError::ExtendedChunkOutOfRange { .. })
        ));
        let mut mixed = chunks(&ext, &guid);
        mixed[1].full_length += 1;
        assert!(matches!(
            assemble_extended(&mixed, &guid),
            Err(XmpError::ExtendedLengthMismatch { .. })
        ));
        let huge = vec![ExtendedXmpChunk {
            guid: guid.clone(),
            full_length: u32::MAX,
            offset: 0,
            data: vec![],
        }];
        assert!(matches!(
            assemble_extended(&huge, &guid),
            Err(XmpError::ExtendedTooLarge { .. })
        ));
    }

    /// Fixed-seed xorshift64, so failures reproduce.
    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn never_panics_on_truncation_or_garbage() {
        let valid = sample().into_bytes();
        let wide = utf16(&sample(), false, true);
        for input in [&valid, &wide] {
            for len in 0..=input.len() {
                let _ = parse_xmp(&input[..len]);
            }
        }
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..300 {
            let len = (xorshift(&mut state) % 600) as usize;
            let garbage: Vec<u8> = (0..len).map(|_| xorshift(&mut state) as u8).collect();
            let _ = parse_xmp(&garbage);
            // Mutate a valid packet, so the parser gets past the first bytes.
            let mut mutated = valid.clone();
            for _ in 0..4 {
                let at = (xorshift(&mut state) as usize) % mutated.len();
                mutated[at] = xorshift(&mut state) as u8;
            }
            let _ = parse_xmp(&mutated);
            let chunk = ExtendedXmpChunk {
                guid: "A".repeat(32),
                full_length: (xorshift(&mut state) % 2000) as u32,
                offset: (xorshift(&mut state) % 2000) as u32,
                data: garbage,
            };
            let _ = assemble_extended(&[chunk], &"A".repeat(32));
        }
    }
}
