//! The part of a scanned file that `check` reads, as bytes for the hash cache: a re-check of an unchanged file then costs a `stat`, not a read.
//!
//! Only what `check`'s rules look at is kept (format, size, dimensions, the
//! reconciled fields, conflicts, warnings, the IPTC flags), never the
//! per-source tag maps. The bytes start with the version of the cutline that
//! read the file, so a newer reader never trusts an older one's reading: a
//! record of another version is a miss and the file is read again.

use std::collections::BTreeMap;

use crate::format::Format;
use crate::metadata::fields::{Source, Warning};
use crate::metadata::reconcile::field_name;
use crate::metadata::{Conflict, Effective};
use crate::scan::Scanned;

/// Which reader wrote a record: the crate version and the record layout.
/// Layout 2 is the binary one below (layout 1 was JSON, twice the size:
/// a 100k-file re-check read twice the cache pages).
const READER: &str = concat!("cutline ", env!("CARGO_PKG_VERSION"), " record 2");

/// Every source, by its code in a record.
const SOURCES: [Source; 6] = [
    Source::Container,
    Source::Exif,
    Source::Iptc,
    Source::Xmp,
    Source::Png,
    Source::Sidecar,
];

/// The bytes to cache for `s`, or `None` when it must not be cached: a file
/// that is no readable image, changed while read, or was only read in part
/// is read again next time rather than remembered.
///
/// Layout: the reader tag; the format code; width and height; the ten
/// reconciled fields; the conflicts (field name, then source code and value
/// for each); the warnings (source code, message); the IPTC flags. A string
/// is its length as a LEB128 number then its UTF-8 bytes; an optional one
/// stores length + 1, with 0 for none.
pub fn encode(s: &Scanned, whole: bool) -> Option<Vec<u8>> {
    encode_as(s, whole, READER)
}

fn encode_as(s: &Scanned, whole: bool, reader: &str) -> Option<Vec<u8>> {
    let format = s.format?;
    if s.error.is_some() || s.changed_while_read || !whole {
        return None;
    }
    let mut w = Writer(Vec::with_capacity(256));
    w.text(reader);
    // A format's code is its place in `Format::ALL` (codes need to hold
    // only within one version, which the tag names).
    w.byte(code_of(&Format::ALL, format)?);
    w.dimension(s.width);
    w.dimension(s.height);
    let e = s.effective();
    w.opt(e.caption.as_deref());
    w.number(e.creator.len());
    for c in &e.creator {
        w.text(c);
    }
    for f in [
        &e.credit,
        &e.copyright,
        &e.source,
        &e.date,
        &e.headline,
        &e.title,
        &e.city,
        &e.country,
    ] {
        w.opt(f.as_deref());
    }
    w.number(s.conflicts.len());
    for c in &s.conflicts {
        w.text(c.field);
        w.number(c.values.len());
        for (source, value) in &c.values {
            w.byte(code_of(&SOURCES, *source)?);
            w.text(value);
        }
    }
    w.number(s.warnings.len());
    for warning in &s.warnings {
        w.byte(code_of(&SOURCES, warning.source)?);
        w.text(&warning.message);
    }
    w.byte(match s.iptc_stale {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    });
    w.byte(u8::from(s.has_iptc));
    Some(w.0)
}

/// The record of the file at `path` (relative) of `size` bytes with the
/// cached hashes, from bytes [`encode`] wrote; `None` for bytes of another
/// reader or any other shape (a miss, never a verdict).
pub fn decode(
    bytes: &[u8],
    path: String,
    size: u64,
    sha256: String,
    image_sha256: Option<String>,
) -> Option<Scanned> {
    let mut r = Reader(bytes);
    if r.text()? != READER {
        return None;
    }
    let mut s = Scanned::empty(path);
    s.format = Some(*Format::ALL.get(usize::from(r.byte()?))?);
    s.size = size;
    s.width = r.dimension()?;
    s.height = r.dimension()?;
    let mut e = Effective {
        caption: r.opt()?,
        ..Effective::default()
    };
    let creators = r.number()?;
    e.creator = (0..creators)
        .map(|_| r.text().map(str::to_owned))
        .collect::<Option<_>>()?;
    for f in [
        &mut e.credit,
        &mut e.copyright,
        &mut e.source,
        &mut e.date,
        &mut e.headline,
        &mut e.title,
        &mut e.city,
        &mut e.country,
    ] {
        *f = r.opt()?;
    }
    s.effective = Some(Box::new(e));
    let conflicts = r.number()?;
    s.conflicts = (0..conflicts)
        .map(|_| {
            let field = field_name(r.text()?)?;
            let n = r.number()?;
            let values = (0..n)
                .map(|_| Some((r.source()?, r.text()?.to_owned())))
                .collect::<Option<BTreeMap<_, _>>>()?;
            Some(Conflict { field, values })
        })
        .collect::<Option<_>>()?;
    let warnings = r.number()?;
    s.warnings = (0..warnings)
        .map(|_| Some(Warning::new(r.source()?, r.text()?)))
        .collect::<Option<_>>()?;
    s.iptc_stale = match r.byte()? {
        0 => None,
        1 => Some(false),
        2 => Some(true),
        _ => return None,
    };
    s.has_iptc = match r.byte()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    // Bytes left over mean another layout: a miss.
    if !r.0.is_empty() {
        return None;
    }
    s.sha256 = Some(sha256);
    s.image_sha256 = image_sha256;
    Some(s)
}

fn code_of<T: PartialEq>(all: &[T], x: T) -> Option<u8> {
    all.iter()
        .position(|y| *y == x)
        .and_then(|i| u8::try_from(i).ok())
}

/// Appends a record's parts.
struct Writer(Vec<u8>);

impl Writer {
    fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    /// Unsigned LEB128.
    fn number(&mut self, n: usize) {
        let mut n = n as u64;
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.0.push(low);
                return;
            }
            self.0.push(low | 0x80);
        }
    }

    fn text(&mut self, t: &str) {
        self.number(t.len());
        self.0.extend_from_slice(t.as_bytes());
    }

    fn opt(&mut self, t: Option<&str>) {
        match t {
            None => self.number(0),
            Some(t) => {
                self.number(t.len().saturating_add(1));
                self.0.extend_from_slice(t.as_bytes());
            }
        }
    }

    fn dimension(&mut self, d: Option<u32>) {
        match d {
            None => self.byte(0),
            Some(d) => {
                self.byte(1);
                self.0.extend_from_slice(&d.to_le_bytes());
            }
        }
    }
}

/// Takes a record's parts from the front; `None` at any malformation.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    /// A count or a length. It can never exceed the bytes left (each thing
    /// counted takes at least one), which also keeps a damaged count from
    /// reserving memory.
    fn number(&mut self) -> Option<usize> {
        self.leb128().filter(|&n| n <= self.0.len())
    }

    fn leb128(&mut self) -> Option<usize> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return usize::try_from(n).ok();
            }
        }
        None
    }

    fn text(&mut self) -> Option<&'a str> {
        let n = self.number()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn opt(&mut self) -> Option<Option<String>> {
        match self.leb128()? {
            0 => Some(None),
            n => {
                let bytes = self.take(n - 1)?;
                Some(Some(std::str::from_utf8(bytes).ok()?.to_owned()))
            }
        }
    }

    fn dimension(&mut self) -> Option<Option<u32>> {
        match self.byte()? {
            0 => Some(None),
            1 => Some(Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))),
            _ => None,
        }
    }

    fn source(&mut self) -> Option<Source> {
        SOURCES.get(usize::from(self.byte()?)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn sample() -> Scanned {
        let mut s = Scanned::empty("a/b.jpg".into());
        s.format = Some(Format::Jpeg);
        s.size = 1234;
        s.width = Some(640);
        s.height = Some(480);
        s.sha256 = Some("ab".repeat(32));
        s.effective_mut().caption = Some("Boats at dawn.".into());
        s.effective_mut().credit = Some("(Screenshot/".into());
        s.effective_mut().creator = vec!["Jane Doe".into()];
        s.conflicts = vec![Conflict {
            field: "caption",
            values: BTreeMap::from([(Source::Exif, "a".into()), (Source::Xmp, "b".into())]),
        }];
        s.warnings = vec![Warning::new(Source::Iptc, "odd")];
        s.iptc_stale = Some(true);
        s.has_iptc = true;
        s
    }

    #[test]
    fn a_record_round_trips_with_everything_check_reads() {
        let s = sample();
        let bytes = encode(&s, true).unwrap();
        let back = decode(&bytes, s.path.clone(), s.size, "ab".repeat(32), None).unwrap();
        assert_eq!(back.format, s.format);
        assert_eq!(
            (back.size, back.width, back.height),
            (1234, Some(640), Some(480))
        );
        assert_eq!(back.effective(), s.effective());
        assert_eq!(back.conflicts, s.conflicts);
        assert_eq!(back.warnings, s.warnings);
        assert_eq!((back.iptc_stale, back.has_iptc), (Some(true), true));
        assert_eq!(back.sha256, s.sha256);
    }

    #[test]
    fn what_must_be_read_again_is_not_stored() {
        let mut s = sample();
        assert!(encode(&s, false).is_none(), "read in part");
        s.changed_while_read = true;
        assert!(encode(&s, true).is_none());
        let mut s = sample();
        s.format = None;
        assert!(encode(&s, true).is_none(), "not an image");
    }

    #[test]
    fn another_reader_or_damage_is_a_miss() {
        let s = sample();
        let bytes = encode(&s, true).unwrap();
        let d = |b: &[u8]| decode(b, "x".into(), 1, "00".repeat(32), None);
        assert!(d(&bytes).is_some());
        let older = encode_as(&s, true, "cutline 0.0.1 record 2").unwrap();
        assert!(d(&older).is_none());
        // Every cut, and anything after the end, is a miss.
        for n in 0..bytes.len() {
            assert!(d(&bytes[..n]).is_none(), "cut at {n}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(d(&longer).is_none());
        // A conflict on a field this reader does not know.
        let mut s = sample();
        s.conflicts[0].field = "mood";
        assert!(d(&encode(&s, true).unwrap()).is_none());
        // The JSON records of layout 1 are a miss too.
        assert!(d(br#"{"reader":"cutline 0.1.0 record 1","format":"jpeg"}"#).is_none());
    }

    #[test]
    fn damaged_bytes_never_panic() {
        let bytes = encode(&sample(), true).unwrap();
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..5000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut b = bytes.clone();
            let i = (state as usize) % b.len();
            b[i] = (state >> 32) as u8;
            let _ = decode(&b, "x".into(), 1, "00".repeat(32), None);
        }
    }

    #[test]
    fn every_field_and_every_format_round_trips() {
        let mut s = sample();
        let e = s.effective_mut();
        e.copyright = Some(String::new());
        e.source = Some("Reuters".into());
        e.date = Some("2024-05-03".into());
        e.headline = Some("Héadline".into());
        e.title = Some("T".into());
        e.city = Some("Ullapool".into());
        e.country = Some("Scotland".into());
        e.creator = vec!["A".into(), "B".into()];
        s.width = None;
        for (stale, iptc) in [(None, false), (Some(false), true)] {
            s.iptc_stale = stale;
            s.has_iptc = iptc;
            for f in Format::ALL {
                s.format = Some(f);
                let back = decode(
                    &encode(&s, true).unwrap(),
                    "p".into(),
                    1,
                    "ab".repeat(32),
                    None,
                )
                .unwrap();
                assert_eq!(back.format, Some(f));
                assert_eq!(back.effective(), s.effective());
                assert_eq!((back.width, back.height), (None, Some(480)));
                assert_eq!((back.iptc_stale, back.has_iptc), (stale, iptc));
            }
        }
    }
}
