//! IPTC-IIM: reads Photoshop image resource blocks and the IIM datasets inside them,
//! computes the IPTC digest, and writes both formats for test fixtures.
//!
//! References: IPTC-NAA Information Interchange Model 4.2 (IIM), the Adobe Photoshop
//! File Formats Specification ("Image Resource Blocks"), the MWG Guidelines 2.0 §4.1
//! (IPTC digest), and ExifTool 12.57 `Photoshop.pm` / `IPTC.pm`, whose tag names and
//! value formats the output matches.

use std::fmt::Write as _;

use md5::{Digest, Md5};

use crate::metadata::fields::{Fields, Source, Value, Warning};

/// Photoshop resource 0x0404: the IPTC-NAA record (raw IIM datasets).
const RES_IPTC_NAA: u16 = 0x0404;
/// Photoshop resource 0x0424: an XMP packet.
const RES_XMP: u16 = 0x0424;
/// Photoshop resource 0x0425: MD5 of the IPTC-NAA record when XMP was last synced.
const RES_IPTC_DIGEST: u16 = 0x0425;

/// The signature of a Photoshop image resource.
const SIG_8BIM: &[u8; 4] = b"8BIM";
/// Rare signatures ExifTool also walks (ImageReady, PhotoDeluxe, …); their resource
/// ids mean something else, so their data is skipped, as ExifTool does.
const SIG_OTHER: [&[u8; 4]; 4] = [b"PHUT", b"AgHg", b"DCSR", b"MeSa"];

/// IIM 4.2 §1.5.1: every dataset starts with the tag marker 0x1C.
const TAG_MARKER: u8 = 0x1C;
/// IIM 4.2 §1.5.2: standard datasets hold at most 32767 octets; larger ones use the
/// extended form, whose length field (high bit set) counts the octets of the real length.
const MAX_STANDARD_LEN: usize = 0x7FFF;
/// ExifTool refuses an extended length held in more than 8 octets (`IPTC.pm`).
const MAX_LENGTH_OCTETS: usize = 8;
/// IIM 1:90 CodedCharacterSet value designating UTF-8 (ISO 2022 `ESC % G`).
const CHARSET_UTF8: &[u8] = b"\x1b%G";

/// What a Photoshop image resource block sequence holds that cutline reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Irb {
    /// Resource 0x0404, the IPTC-NAA record: raw IIM bytes (the first, if several).
    pub iim: Option<Vec<u8>>,
    /// Resource 0x0425, the IPTC digest: MD5 of the IIM when XMP was last synchronised.
    pub iptc_digest: Option<[u8; 16]>,
    /// Resource 0x0424, an XMP packet.
    pub xmp: Option<Vec<u8>>,
    /// Problems met while walking the resources (each is [`Source::Iptc`]).
    pub warnings: Vec<Warning>,
}

/// Reads a sequence of Photoshop image resource blocks: JPEG APP13 payloads after the
/// `Photoshop 3.0\0` header (consecutive segments concatenated, since a resource may
/// span them), TIFF tag 34377, or a PSD image-resources section.
///
/// Each block: a 4-byte signature (`8BIM`; ExifTool also accepts `PHUT`, `AgHg`,
/// `DCSR`, `MeSa`), a u16 BE id, a Pascal-string name padded so length byte + name is
/// even, a u32 BE size, and the data padded to an even length. A block whose size runs
/// past the end keeps the bytes that are there and ends the walk with a warning
/// (ExifTool drops such a block). When 0x0404 appears more than once the first is kept
/// and a warning names the others (ExifTool shows them as group `IPTC2`, `IPTC3`, …).
/// Never panics.
pub fn parse_irb(bytes: &[u8]) -> Irb {
    let mut irb = Irb::default();
    let mut pos = 0usize;
    while let Some(rest) = bytes.get(pos..) {
        // The end, or NUL padding after the last block: nothing more to read.
        if rest.iter().all(|&b| b == 0) {
            break;
        }
        let Some(block) = ResourceBlock::read(rest) else {
            irb.warn(format!("truncated image resource header at offset {pos}"));
            break;
        };
        let Some(signature) = block.signature else {
            let shown = escape(rest.get(..4).unwrap_or(rest));
            irb.warn(format!(
                "bad image resource signature {shown} at offset {pos}"
            ));
            break;
        };
        if signature == SIG_8BIM {
            irb.take(block.id, block.data);
        }
        if block.truncated {
            irb.warn(format!(
                "image resource 0x{:04X} at offset {pos} claims {} bytes, only {} are there",
                block.id,
                block.size,
                block.data.len()
            ));
            break;
        }
        match pos.checked_add(block.next) {
            Some(next) => pos = next,
            None => break,
        }
    }
    irb
}

/// One image resource block, as read from the start of a byte slice.
struct ResourceBlock<'a> {
    /// The signature, or `None` when it is not one Photoshop uses.
    signature: Option<&'static [u8; 4]>,
    /// The resource id.
    id: u16,
    /// The size the block declares.
    size: u32,
    /// The data: `size` bytes, or fewer when the slice ends first.
    data: &'a [u8],
    /// The slice ended before `size` bytes of data.
    truncated: bool,
    /// Offset of the next block (data padded to even).
    next: usize,
}

impl<'a> ResourceBlock<'a> {
    /// Reads the block at the start of `rest`; `None` when even its header is cut short.
    fn read(rest: &'a [u8]) -> Option<Self> {
        let sig = rest.get(..4)?;
        let signature = std::iter::once(SIG_8BIM)
            .chain(SIG_OTHER)
            .find(|s| s.as_slice() == sig);
        if signature.is_none() {
            // Report the bad signature rather than a truncated header.
            return Some(ResourceBlock {
                signature,
                id: 0,
                size: 0,
                data: &[],
                truncated: false,
                next: 0,
            });
        }
        let id = u16::from_be_bytes([*rest.get(4)?, *rest.get(5)?]);
        // Pascal string: length byte + name, padded to an even count.
        let name_len = usize::from(*rest.get(6)?);
        let name_field = (1 + name_len + 1) & !1;
        let size_at = 6 + name_field;
        let size_bytes: [u8; 4] = rest.get(size_at..size_at + 4)?.try_into().ok()?;
        let size = u32::from_be_bytes(size_bytes);
        let data_at = size_at + 4;
        let available = rest.len().checked_sub(data_at)?;
        let wanted = usize::try_from(size).unwrap_or(usize::MAX);
        let taken = wanted.min(available);
        let data = rest.get(data_at..data_at + taken)?;
        let padded = wanted.saturating_add(wanted & 1);
        Some(ResourceBlock {
            signature,
            id,
            size,
            data,
            truncated: wanted > available,
            next: data_at.saturating_add(padded),
        })
    }
}

impl Irb {
    /// Adds a warning about the resource blocks.
    fn warn(&mut self, message: String) {
        self.warnings.push(Warning::new(Source::Iptc, message));
    }

    /// Keeps the data of an `8BIM` resource cutline reads; the first of each id wins.
    fn take(&mut self, id: u16, data: &[u8]) {
        match id {
            RES_IPTC_NAA if self.iim.is_some() => {
                self.warn("more than one IPTC-NAA resource (0x0404); the first is used".into());
            }
            RES_IPTC_NAA => self.iim = Some(data.to_vec()),
            RES_IPTC_DIGEST if self.iptc_digest.is_some() => {
                self.warn("more than one IPTC digest resource (0x0425); the first is used".into());
            }
            RES_IPTC_DIGEST => match <[u8; 16]>::try_from(data) {
                Ok(digest) => self.iptc_digest = Some(digest),
                Err(_) => self.warn(format!(
                    "IPTC digest resource (0x0425) holds {} bytes, not an MD5 of 16",
                    data.len()
                )),
            },
            RES_XMP if self.xmp.is_some() => {
                self.warn("more than one XMP resource (0x0424); the first is used".into());
            }
            RES_XMP => self.xmp = Some(data.to_vec()),
            _ => {}
        }
    }
}

/// One IIM dataset as it appears in the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dataset<'a> {
    /// Record number (1 envelope, 2 application, …).
    pub record: u8,
    /// Dataset number within the record.
    pub number: u8,
    /// The data field, exactly as stored (a truncated last dataset holds what is there).
    pub data: &'a [u8],
}

/// Splits IIM bytes into datasets, in file order, with warnings about damage.
///
/// IIM 4.2 §1.5: tag marker 0x1C, record, dataset, u16 BE length; a length with the
/// high bit set is extended (§1.5.2): its low 15 bits count the following octets that
/// hold the real length. Stops with a warning at a byte that is not 0x1C, except NUL
/// padding running to the end (written by some tools; ExifTool accepts it silently).
/// A length past the end keeps what is there, warns, and stops. Never panics.
pub fn datasets(bytes: &[u8]) -> (Vec<Dataset<'_>>, Vec<Warning>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    let mut warn = |message: String| warnings.push(Warning::new(Source::Iptc, message));
    let mut pos = 0usize;
    while let Some(rest) = bytes.get(pos..) {
        if rest.iter().all(|&b| b == 0) {
            break;
        }
        let (marker, record, number, len_hi, len_lo) = match rest {
            [m, r, n, h, l, ..] => (*m, *r, *n, *h, *l),
            _ => {
                warn(format!("truncated IIM dataset header at offset {pos}"));
                break;
            }
        };
        if marker != TAG_MARKER {
            warn(format!("bad IIM tag marker 0x{marker:02X} at offset {pos}"));
            break;
        }
        let short_len = usize::from(u16::from_be_bytes([len_hi, len_lo]));
        let mut data_at = 5;
        let len = if short_len & 0x8000 == 0 {
            short_len
        } else {
            let octets = short_len & 0x7FFF;
            let Some(field) = rest
                .get(5..5 + octets)
                .filter(|_| octets <= MAX_LENGTH_OCTETS)
            else {
                warn(format!(
                    "bad extended length ({octets} octets) for IIM {record}:{number:02} at offset {pos}"
                ));
                break;
            };
            data_at += octets;
            // At most 8 octets, so this fits in u64; saturate where usize is smaller.
            let long = field.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
            usize::try_from(long).unwrap_or(usize::MAX)
        };
        let available = rest.len().saturating_sub(data_at);
        let Some(data) = rest.get(data_at..data_at + len.min(available)) else {
            break;
        };
        found.push(Dataset {
            record,
            number,
            data,
        });
        if len > available {
            warn(format!(
                "IIM {record}:{number:02} at offset {pos} claims {len} bytes, only {available} are there"
            ));
            break;
        }
        pos += data_at + len;
    }
    (found, warnings)
}

/// IIM datasets decoded into ExifTool-named fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Iim {
    /// ExifTool tag name → value; repeatable datasets are always [`Value::List`].
    pub fields: Fields,
    /// Problems met while reading (each is [`Source::Iptc`]).
    pub warnings: Vec<Warning>,
}

/// How a dataset's bytes become a value, after ExifTool's `IPTC.pm` tag table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `string` format: text in the record's character set.
    Text,
    /// `string`, repeatable: collected into a list.
    List,
    /// `digits` format: ASCII digits, never charset-translated.
    Digits,
    /// `digits[8]` CCYYMMDD, shown as `YYYY:MM:DD` (ExifTool `ExifDate`).
    Date,
    /// `string[11]` HHMMSS±HHMM, shown as `HH:MM:SS±HH:MM` (ExifTool `ExifTime`).
    Time,
}

/// The datasets cutline reads: (record, dataset, ExifTool tag name, kind).
/// Sizes in comments are IIM 4.2 maxima.
const DATASETS: &[(u8, u8, &str, Kind)] = &[
    (2, 4, "ObjectAttributeReference", Kind::List), // 68 bytes, repeatable
    (2, 5, "ObjectName", Kind::Text),               // 64 bytes
    (2, 7, "EditStatus", Kind::Text),               // 64 bytes
    (2, 10, "Urgency", Kind::Digits),               // 1 digit
    (2, 12, "SubjectReference", Kind::List),        // 236 bytes, repeatable
    (2, 15, "Category", Kind::Text),                // 3 bytes
    (2, 20, "SupplementalCategories", Kind::List),  // 32 bytes, repeatable
    (2, 22, "FixtureIdentifier", Kind::Text),       // 32 bytes
    (2, 25, "Keywords", Kind::List),                // 64 bytes, repeatable
    (2, 26, "ContentLocationCode", Kind::List),     // 3 bytes, repeatable
    (2, 27, "ContentLocationName", Kind::List),     // 64 bytes, repeatable
    (2, 40, "SpecialInstructions", Kind::Text),     // 256 bytes
    (2, 55, "DateCreated", Kind::Date),             // 8 digits
    (2, 60, "TimeCreated", Kind::Time),             // 11 bytes
    (2, 62, "DigitalCreationDate", Kind::Date),     // 8 digits
    (2, 63, "DigitalCreationTime", Kind::Time),     // 11 bytes
    (2, 65, "OriginatingProgram", Kind::Text),      // 32 bytes
    (2, 70, "ProgramVersion", Kind::Text),          // 10 bytes
    (2, 80, "By-line", Kind::List),                 // 32 bytes, repeatable
    (2, 85, "By-lineTitle", Kind::List),            // 32 bytes, repeatable
    (2, 90, "City", Kind::Text),                    // 32 bytes
    (2, 92, "Sub-location", Kind::Text),            // 32 bytes
    (2, 95, "Province-State", Kind::Text),          // 32 bytes
    (2, 100, "Country-PrimaryLocationCode", Kind::Text), // 3 bytes
    (2, 101, "Country-PrimaryLocationName", Kind::Text), // 64 bytes
    (2, 103, "OriginalTransmissionReference", Kind::Text), // 32 bytes
    (2, 105, "Headline", Kind::Text),               // 256 bytes
    (2, 110, "Credit", Kind::Text),                 // 32 bytes
    (2, 115, "Source", Kind::Text),                 // 32 bytes
    (2, 116, "CopyrightNotice", Kind::Text),        // 128 bytes
    (2, 118, "Contact", Kind::List),                // 128 bytes, repeatable
    (2, 120, "Caption-Abstract", Kind::Text),       // 2000 bytes
    (2, 122, "Writer-Editor", Kind::List),          // 32 bytes, repeatable
    (2, 135, "LanguageIdentifier", Kind::Text),     // 3 bytes
];

/// Reads IIM datasets into fields named as ExifTool names them.
///
/// Text is UTF-8 (lossy) once 1:90 CodedCharacterSet is `ESC % G`; otherwise UTF-8 when
/// the bytes are valid UTF-8, else Windows-1252 (ExifTool's default `CharsetIPTC`,
/// "Latin"). Trailing NULs are trimmed as ExifTool trims them; spaces are kept.
/// Unknown datasets (and 2:00 ApplicationRecordVersion, 1:90 itself) are skipped.
/// A non-repeatable dataset seen again keeps its last value, with a warning
/// (ExifTool shows the last too).
/// Never panics.
pub fn parse_iim(bytes: &[u8]) -> Iim {
    let (found, warnings) = datasets(bytes);
    let mut iim = Iim {
        fields: Fields::new(),
        warnings,
    };
    let mut utf8 = false;
    for ds in found {
        let raw = &trim_nuls(ds.data)[..];
        // IIM 1:90 CodedCharacterSet applies to the datasets after it (ExifTool reads
        // it in sequence too; record 1 comes before record 2 in a conforming file).
        if (ds.record, ds.number) == (1, 90) {
            utf8 = raw == CHARSET_UTF8;
            continue;
        }
        let Some(&(_, _, name, kind)) = DATASETS
            .iter()
            .find(|d| (d.0, d.1) == (ds.record, ds.number))
        else {
            continue;
        };
        let text = match kind {
            Kind::Text | Kind::List => decode_text(raw, utf8),
            Kind::Digits => String::from_utf8_lossy(raw).into_owned(),
            Kind::Date => exif_date(&String::from_utf8_lossy(raw)),
            Kind::Time => exif_time(&decode_text(raw, utf8)),
        };
        match (kind, iim.fields.get_mut(name)) {
            (Kind::List, Some(Value::List(items))) => items.push(text),
            (Kind::List, _) => {
                iim.fields.insert(name.to_owned(), Value::List(vec![text]));
            }
            // A non-repeatable dataset again: the last wins, as in ExifTool's output
            // (equal-priority tags found later override earlier ones; `-a` lists all,
            // but its JSON and default output show the last).
            (_, Some(old)) => {
                iim.warnings.push(Warning::new(
                    Source::Iptc,
                    format!(
                        "IIM {}:{:02} {name} appears more than once; the last is used",
                        ds.record, ds.number
                    ),
                ));
                *old = Value::Text(text);
            }
            (_, None) => {
                iim.fields.insert(name.to_owned(), Value::Text(text));
            }
        }
    }
    iim
}

/// Drops trailing NULs as ExifTool's `s/\0+$//` does: Perl's `$` also matches just
/// before a final newline, so `"a\0\n"` becomes `"a\n"`.
fn trim_nuls(data: &[u8]) -> Vec<u8> {
    let strip = |d: &[u8]| -> usize { d.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1) };
    match data.split_last() {
        Some((0, _)) => data[..strip(data)].to_vec(),
        Some((b'\n', body)) if body.last() == Some(&0) => {
            let mut kept = body[..strip(body)].to_vec();
            kept.push(b'\n');
            kept
        }
        _ => data.to_vec(),
    }
}

/// Decodes IIM text: UTF-8 when declared (lossy) or valid, else Windows-1252.
fn decode_text(raw: &[u8], utf8_declared: bool) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) if utf8_declared => String::from_utf8_lossy(raw).into_owned(),
        Err(_) => raw.iter().map(|&b| cp1252(b)).collect(),
    }
}

/// One Windows-1252 byte as a char (the mapping in ExifTool's `Charset/Latin.pm`:
/// 0x80–0x9F per CP1252.TXT, the five unassigned codes kept as U+0081 etc.).
fn cp1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => HIGH
            .get(usize::from(b - 0x80))
            .and_then(|&u| char::from_u32(u32::from(u)))
            .unwrap_or(char::REPLACEMENT_CHARACTER),
        _ => char::from(b),
    }
}

/// ExifTool `Exif::ExifDate`: `s/(\d{4})[^\d]*(\d{2})[^\d]*(\d{2})$/$1:$2:$3/`, so
/// `20040621` → `2004:06:21`; text that does not end that way is left alone.
fn exif_date(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    // Walk back from the end: 2 digits, non-digits, 2 digits, non-digits, 4 digits.
    // Each non-digit run must be maximal, so the match (if any) is unique.
    let run_start =
        |end: usize| -> usize { (0..end).rev().find(|&i| digit(i)).map_or(0, |i| i + 1) };
    let n = chars.len();
    let Some(day_at) = n.checked_sub(2).filter(|&i| digit(i) && digit(i + 1)) else {
        return s.to_owned();
    };
    let sep2 = run_start(day_at);
    let Some(month_at) = sep2.checked_sub(2).filter(|&i| digit(i) && digit(i + 1)) else {
        return s.to_owned();
    };
    let sep1 = run_start(month_at);
    let Some(year_at) = sep1.checked_sub(4).filter(|&i| (i..i + 4).all(digit)) else {
        return s.to_owned();
    };
    let part = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    format!(
        "{}{}:{}:{}",
        part(0, year_at),
        part(year_at, year_at + 4),
        part(month_at, month_at + 2),
        part(day_at, n)
    )
}

/// ExifTool `Exif::ExifTime`: spaces become `:`, `HHMMSS` at the start gains colons,
/// and a zone `±HHMM` at the end (before any whitespace) becomes `±HH:MM`:
/// `100000+0000` → `10:00:00+00:00`.
fn exif_time(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().map(|c| if c == ' ' { ':' } else { c }).collect();
    if chars.len() >= 6 && chars[..6].iter().all(char::is_ascii_digit) {
        chars.insert(4, ':');
        chars.insert(2, ':');
    }
    // `([+-]\d{2})(\d{2})\s*$` → `$1:$2` (the trailing whitespace goes too).
    let body = chars
        .iter()
        .rposition(|c| !c.is_whitespace())
        .map_or(0, |i| i + 1);
    if let Some(sign) = body.checked_sub(5) {
        let zone = &chars[sign..body];
        if matches!(zone[0], '+' | '-') && zone[1..].iter().all(char::is_ascii_digit) {
            chars.truncate(body);
            chars.insert(sign + 3, ':');
        }
    }
    chars.into_iter().collect()
}

/// The MD5 ExifTool reports as `CurrentIPTCDigest` and Photoshop stores in resource
/// 0x0425: over the IPTC-NAA record's data exactly, `size` bytes without the resource's
/// even-padding byte (`IPTC.pm` `ProcessIPTC` hashes `substr($$dataPt, $pos, $dirLen)`,
/// where `Photoshop.pm` passes the resource size as `DirLen`).
pub fn iim_digest(iim: &[u8]) -> [u8; 16] {
    Md5::digest(iim).into()
}

/// Whether the stored IPTC digest shows IIM edited after XMP was last synchronised:
/// `None` without a digest or without IIM, `Some(true)` when the 0x0425 digest differs
/// from the IIM's current digest. MWG Guidelines 2.0 §4.1: then IIM is newer, and XMP
/// should not be preferred over it (ExifTool warns "IPTCDigest is not current").
///
/// In TIFF, compare with the 0x0404 of the same resource blocks (tag 34377), as this
/// does: Photoshop also writes the IIM to tag 33723 as `LONG`s, NUL-padded to a multiple
/// of 4, and its digest covers the unpadded 0x0404 bytes. ExifTool 12.57 hashes the
/// padded tag 33723 instead, so it warns "not current" on such files when nothing is stale.
pub fn is_stale(irb: &Irb) -> Option<bool> {
    let stored = irb.iptc_digest?;
    let iim = irb.iim.as_deref()?;
    Some(stored != iim_digest(iim))
}

/// Writes IIM datasets `(record, dataset, value)` in the given order; a value over
/// 32767 bytes gets an extended length (IIM 4.2 §1.5.2) of 4 octets (8 beyond 4 GiB).
pub fn encode_iim(fields: &[(u8, u8, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for &(record, number, value) in fields {
        out.extend_from_slice(&[TAG_MARKER, record, number]);
        match (value.len() <= MAX_STANDARD_LEN, u32::try_from(value.len())) {
            // Fits in 15 bits, so the cast is exact.
            (true, _) => out.extend_from_slice(&(value.len() as u16).to_be_bytes()),
            (false, Ok(len)) => {
                out.extend_from_slice(&0x8004u16.to_be_bytes());
                out.extend_from_slice(&len.to_be_bytes());
            }
            (false, Err(_)) => {
                out.extend_from_slice(&0x8008u16.to_be_bytes());
                out.extend_from_slice(&(value.len() as u64).to_be_bytes());
            }
        }
        out.extend_from_slice(value);
    }
    out
}

/// Writes `8BIM` image resource blocks `(id, data)` with empty names, each padded to
/// an even length. A resource cannot hold more than `u32::MAX` bytes (its size field);
/// longer data is cut at that length.
pub fn encode_irb(resources: &[(u16, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for &(id, data) in resources {
        let size = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let data = data.get(..size as usize).unwrap_or(data);
        out.extend_from_slice(SIG_8BIM);
        out.extend_from_slice(&id.to_be_bytes());
        // Empty Pascal name: the length byte plus a pad byte, to keep the field even.
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&size.to_be_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(0);
        }
    }
    out
}

/// Bytes shown for a person: printable ASCII as is, the rest as `\xNN`.
fn escape(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, &b| {
        if b.is_ascii_graphic() || b == b' ' {
            s.push(char::from(b));
        } else {
            let _ = write!(s, "\\x{b:02x}");
        }
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::Text(s.to_owned())
    }

    fn list(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| (*s).to_owned()).collect())
    }

    /// A fixed-seed xorshift64 stream, for garbage input without extra crates.
    fn xorshift(seed: u64) -> impl FnMut() -> u64 {
        let mut x = seed;
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    fn sample_iim() -> Vec<u8> {
        encode_iim(&[
            (1, 90, b"\x1b%G"),
            (2, 0, &[0, 4]),
            (2, 5, b"Boats"),
            (2, 25, b"harbor"),
            (2, 25, b"dawn"),
            (2, 55, b"20240503"),
            (2, 60, b"061500+0100"),
            (2, 80, b"Jane Doe"),
            (2, 110, b"Jane Doe/Northern Wire"),
            (2, 120, "Fishing boats leave Ullapool – at dawn.".as_bytes()),
        ])
    }

    #[test]
    fn reads_named_fields_lists_dates_and_times() {
        let iim = parse_iim(&sample_iim());
        assert!(iim.warnings.is_empty(), "{:?}", iim.warnings);
        let f = &iim.fields;
        assert_eq!(f.get("ObjectName"), Some(&text("Boats")));
        assert_eq!(f.get("Keywords"), Some(&list(&["harbor", "dawn"])));
        // By-line is a list even with one item.
        assert_eq!(f.get("By-line"), Some(&list(&["Jane Doe"])));
        assert_eq!(f.get("DateCreated"), Some(&text("2024:05:03")));
        assert_eq!(f.get("TimeCreated"), Some(&text("06:15:00+01:00")));
        assert_eq!(f.get("Credit"), Some(&text("Jane Doe/Northern Wire")));
        assert_eq!(
            f.get("Caption-Abstract"),
            Some(&text("Fishing boats leave Ullapool – at dawn."))
        );
        // 1:90 and 2:00 are not output.
        assert_eq!(f.len(), 7);
    }

    #[test]
    fn text_encodings() {
        // Not declared UTF-8, invalid UTF-8: Windows-1252, as ExifTool ("Latin").
        let iim = parse_iim(&encode_iim(&[(2, 110, b"Caf\xe9 \x93A\x94")]));
        assert_eq!(iim.fields.get("Credit"), Some(&text("Café “A”")));
        // Not declared but valid UTF-8: read as UTF-8.
        let iim = parse_iim(&encode_iim(&[(2, 110, "Café".as_bytes())]));
        assert_eq!(iim.fields.get("Credit"), Some(&text("Café")));
        // Declared UTF-8 but invalid: lossy UTF-8, never Latin.
        let iim = parse_iim(&encode_iim(&[(1, 90, b"\x1b%G"), (2, 110, b"Caf\xe9")]));
        assert_eq!(iim.fields.get("Credit"), Some(&text("Caf\u{FFFD}")));
    }

    #[test]
    fn trailing_nuls_trimmed_spaces_kept() {
        let iim = parse_iim(&encode_iim(&[
            (2, 5, b"Title \0\0"),
            (2, 105, b"a\0\n"),
            (2, 90, b"\0"),
        ]));
        assert_eq!(iim.fields.get("ObjectName"), Some(&text("Title ")));
        assert_eq!(iim.fields.get("Headline"), Some(&text("a\n")));
        assert_eq!(iim.fields.get("City"), Some(&text("")));
    }

    #[test]
    fn exiftool_date_and_time_forms() {
        assert_eq!(exif_date("20040621"), "2004:06:21");
        assert_eq!(exif_date("2004-06-21"), "2004:06:21");
        assert_eq!(exif_date("120040621"), "12004:06:21");
        assert_eq!(exif_date("2004"), "2004");
        assert_eq!(exif_date(""), "");
        assert_eq!(exif_time("100000+0000"), "10:00:00+00:00");
        assert_eq!(exif_time("122738-1227"), "12:27:38-12:27");
        assert_eq!(exif_time("135926.054-0600"), "13:59:26.054-06:00");
        assert_eq!(exif_time("10 30 55"), "10:30:55");
        assert_eq!(exif_time("103055"), "10:30:55");
        // Spaces become colons first, so only other whitespace may follow a zone.
        assert_eq!(exif_time("+0100  "), "+0100::");
        assert_eq!(exif_time("+0100\t"), "+01:00");
        assert_eq!(exif_time("1030"), "1030");
    }

    #[test]
    fn repeated_single_dataset_keeps_last_and_warns() {
        let iim = parse_iim(&encode_iim(&[(2, 110, b"First"), (2, 110, b"Second")]));
        assert_eq!(iim.fields.get("Credit"), Some(&text("Second")));
        assert_eq!(iim.warnings.len(), 1);
        assert_eq!(iim.warnings[0].source, Source::Iptc);
    }

    #[test]
    fn nul_padding_is_fine_garbage_is_not() {
        let mut bytes = encode_iim(&[(2, 5, b"Boats")]);
        bytes.extend_from_slice(&[0; 7]);
        assert!(parse_iim(&bytes).warnings.is_empty());
        bytes.push(0x42);
        let iim = parse_iim(&bytes);
        assert_eq!(iim.fields.get("ObjectName"), Some(&text("Boats")));
        assert_eq!(iim.warnings.len(), 1);
    }

    #[test]
    fn truncated_dataset_keeps_what_is_there() {
        let bytes = encode_iim(&[(2, 5, b"Boats"), (2, 120, b"A long caption")]);
        let iim = parse_iim(&bytes[..bytes.len() - 8]);
        assert_eq!(iim.fields.get("Caption-Abstract"), Some(&text("A long")));
        assert_eq!(iim.warnings.len(), 1);
    }

    #[test]
    fn extended_length_round_trip() {
        let big = vec![b'x'; 40_000];
        let bytes = encode_iim(&[(2, 120, &big), (2, 5, b"after")]);
        // 0x1C 2 120, 0x8004, then the length in 4 octets (IIM 4.2 §1.5.2).
        assert_eq!(&bytes[3..9], &[0x80, 0x04, 0x00, 0x00, 0x9C, 0x40]);
        let (found, warnings) = datasets(&bytes);
        assert!(warnings.is_empty());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].data.len(), 40_000);
        assert_eq!(found[1].data, b"after");
        // An extended length held in more than 8 octets is refused.
        let (found, warnings) =
            datasets(&[0x1C, 2, 5, 0x80, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, b'a']);
        assert!(found.is_empty());
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn datasets_round_trip() {
        let long = vec![7u8; 32_768];
        let input: Vec<(u8, u8, &[u8])> = vec![
            (1, 90, b"\x1b%G"),
            (2, 0, &[0, 4]),
            (2, 25, b""),
            (2, 120, &long),
            (9, 255, b"x"),
        ];
        let bytes = encode_iim(&input);
        let (found, warnings) = datasets(&bytes);
        assert!(warnings.is_empty());
        let back: Vec<(u8, u8, &[u8])> =
            found.iter().map(|d| (d.record, d.number, d.data)).collect();
        assert_eq!(back, input);
    }

    #[test]
    fn irb_round_trip_and_digest() {
        let iim = sample_iim();
        let digest = iim_digest(&iim);
        let xmp = b"<x:xmpmeta/>".to_vec();
        let bytes = encode_irb(&[
            (0x03ED, &[0; 16]),
            (RES_IPTC_NAA, &iim),
            (RES_IPTC_DIGEST, &digest),
            (RES_XMP, &xmp),
        ]);
        let irb = parse_irb(&bytes);
        assert!(irb.warnings.is_empty(), "{:?}", irb.warnings);
        assert_eq!(irb.iim.as_deref(), Some(iim.as_slice()));
        assert_eq!(irb.iptc_digest, Some(digest));
        assert_eq!(irb.xmp, Some(xmp));
        assert_eq!(is_stale(&irb), Some(false));
        assert_eq!(
            parse_iim(irb.iim.as_deref().unwrap_or_default()),
            parse_iim(&iim)
        );
    }

    #[test]
    fn digest_is_md5_of_the_record_and_detects_staleness() {
        // RFC 1321 test vectors.
        assert_eq!(
            iim_digest(b""),
            [
                0xd4, 0x1d, 0x8c, 0xd9, 0x8f, 0x00, 0xb2, 0x04, 0xe9, 0x80, 0x09, 0x98, 0xec, 0xf8,
                0x42, 0x7e
            ]
        );
        assert_eq!(iim_digest(b"abc")[..4], [0x90, 0x01, 0x50, 0x98]);
        let old = iim_digest(b"old");
        let irb = parse_irb(&encode_irb(&[
            (RES_IPTC_NAA, b"new"),
            (RES_IPTC_DIGEST, &old),
        ]));
        assert_eq!(is_stale(&irb), Some(true));
        let no_digest = parse_irb(&encode_irb(&[(RES_IPTC_NAA, b"new")]));
        assert_eq!(is_stale(&no_digest), None);
        let no_iim = parse_irb(&encode_irb(&[(RES_IPTC_DIGEST, &old)]));
        assert_eq!(is_stale(&no_iim), None);
    }

    #[test]
    fn irb_names_padding_and_other_signatures() {
        // A named resource (odd name length: no pad), an odd-sized one, a PHUT one
        // whose id 0x0404 must not be taken for IPTC, then 8BIM 0x0404.
        let mut bytes = Vec::new();
        bytes.extend_from_slice(b"8BIM\x03\xED\x03abc\x00\x00\x00\x03xyz\x00");
        bytes.extend_from_slice(b"PHUT\x04\x04\x02ab\x00\x00\x00\x00\x01Q\x00");
        bytes.extend_from_slice(b"8BIM\x04\x04\x00\x00\x00\x00\x00\x02ok");
        let irb = parse_irb(&bytes);
        assert!(irb.warnings.is_empty(), "{:?}", irb.warnings);
        assert_eq!(irb.iim.as_deref(), Some(&b"ok"[..]));
    }

    #[test]
    fn irb_damage_warns() {
        // Size past the end: keep what is there.
        let bytes = encode_irb(&[(RES_IPTC_NAA, b"abcdef")]);
        let irb = parse_irb(&bytes[..bytes.len() - 2]);
        assert_eq!(irb.iim.as_deref(), Some(&b"abcd"[..]));
        assert_eq!(irb.warnings.len(), 1);
        // Two IPTC records: the first wins.
        let irb = parse_irb(&encode_irb(&[
            (RES_IPTC_NAA, b"one"),
            (RES_IPTC_NAA, b"two"),
        ]));
        assert_eq!(irb.iim.as_deref(), Some(&b"one"[..]));
        assert_eq!(irb.warnings.len(), 1);
        // A bad signature stops the walk.
        let mut bytes = encode_irb(&[(RES_XMP, b"<x/>")]);
        bytes.extend_from_slice(b"JUNKJUNKJUNK");
        let irb = parse_irb(&bytes);
        assert_eq!(irb.xmp.as_deref(), Some(&b"<x/>"[..]));
        assert_eq!(irb.warnings.len(), 1);
        assert!(irb.warnings[0].message.contains("JUNK"));
        // A digest of the wrong size is refused.
        let irb = parse_irb(&encode_irb(&[(RES_IPTC_DIGEST, b"short")]));
        assert_eq!(irb.iptc_digest, None);
        assert_eq!(irb.warnings.len(), 1);
        // Trailing NULs after the last block are padding, not damage.
        let mut bytes = encode_irb(&[(RES_XMP, b"<x/>")]);
        bytes.extend_from_slice(&[0; 3]);
        assert!(parse_irb(&bytes).warnings.is_empty());
    }

    #[test]
    fn never_panics_on_truncations_or_garbage() {
        let iim = sample_iim();
        let digest = iim_digest(&iim);
        let irb = encode_irb(&[
            (RES_IPTC_NAA, &iim),
            (RES_IPTC_DIGEST, &digest),
            (RES_XMP, b"<x/>"),
        ]);
        for end in 0..=irb.len() {
            let parsed = parse_irb(&irb[..end]);
            let _ = is_stale(&parsed);
            let _ = parse_iim(parsed.iim.as_deref().unwrap_or_default());
        }
        for end in 0..=iim.len() {
            let _ = parse_iim(&iim[..end]);
        }
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
        for round in 0..2000 {
            let len = (next() % 300) as usize;
            let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            // Seed half the inputs with valid-looking headers to reach deeper code.
            if round % 2 == 0 && bytes.len() > 12 {
                bytes[..4].copy_from_slice(b"8BIM");
                bytes[4..6].copy_from_slice(&RES_IPTC_NAA.to_be_bytes());
                bytes[12] = TAG_MARKER;
            }
            let parsed = parse_irb(&bytes);
            let _ = parse_iim(parsed.iim.as_deref().unwrap_or_default());
            let _ = parse_iim(&bytes);
            if let Some(b) = bytes.first_mut() {
                *b = TAG_MARKER;
            }
            let _ = parse_iim(&bytes);
        }
    }
}
