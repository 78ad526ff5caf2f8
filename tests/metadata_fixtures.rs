//! Metadata fixtures built in temp dirs (JPEG, PNG, TIFF, WebP): each source read, MWG reconciliation, damage and checks.

#[allow(dead_code)] // each test binary uses part of the shared support
mod support;

use cutline::commands::init::item_from;
use cutline::finding::Finding;
use cutline::format::Format;
use cutline::metadata::fields::{Source, Value};
use cutline::scan::Scanned;
use cutline::walk::walk;
use serde_json::json;

use support::embed::{
    self, ExifMeta, IptcDigest, IptcMeta, Meta, XmpProp, XmpValue, jpeg_extended_xmp, jpeg_with,
    png_with, tiff_with, webp_with, xmp_packet,
};
use support::{
    HEIGHT, WIDTH, check_root, codes, jpeg_insert_segment, plain_jpeg, plain_png, plain_webp, rgb,
    scan_bytes, write_files,
};

/// APP1 XMP identifier (XMP part 3, 1.1.3).
const XMP_APP1_ID: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
/// APP13 Photoshop identifier.
const PHOTOSHOP_ID: &[u8] = b"Photoshop 3.0\0";

/// The four containers the builders write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Jpeg,
    Png,
    Tiff,
    Webp,
}

const ALL_KINDS: [Kind; 4] = [Kind::Jpeg, Kind::Png, Kind::Tiff, Kind::Webp];

impl Kind {
    fn file_name(self) -> &'static str {
        match self {
            Kind::Jpeg => "photo.jpg",
            Kind::Png => "photo.png",
            Kind::Tiff => "photo.tif",
            Kind::Webp => "photo.webp",
        }
    }

    fn format(self) -> Format {
        match self {
            Kind::Jpeg => Format::Jpeg,
            Kind::Png => Format::Png,
            Kind::Tiff => Format::Tiff,
            Kind::Webp => Format::Webp,
        }
    }

    /// Whether the container has a place for IPTC-IIM.
    fn carries_iptc(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Tiff)
    }

    /// An image of this kind carrying `meta` (IPTC is dropped by PNG and WebP).
    fn build(self, meta: &Meta) -> Vec<u8> {
        match self {
            Kind::Jpeg => jpeg_with(&plain_jpeg(), meta),
            Kind::Png => png_with(&plain_png(), meta, &[]),
            Kind::Tiff => tiff_with(&rgb(), WIDTH, HEIGHT, meta),
            Kind::Webp => webp_with(&plain_webp(), meta),
        }
        .expect("fixture builds")
    }

    /// Builds and scans an image of this kind carrying `meta`.
    fn scan(self, meta: &Meta) -> Scanned {
        scan_bytes(self.file_name(), &self.build(meta))
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| (*s).to_owned()).collect())
}

fn langalt<'a>(prefix: &'a str, name: &'a str, value: &str) -> XmpProp<'a> {
    (prefix, name, XmpValue::LangAlt(value.to_owned()))
}

fn simple<'a>(prefix: &'a str, name: &'a str, value: &str) -> XmpProp<'a> {
    (prefix, name, XmpValue::Simple(value.to_owned()))
}

/// An XMP packet holding just `dc:description`.
fn xmp_caption(caption: &str) -> String {
    xmp_packet(&[langalt("dc", "description", caption)])
}

fn exif_caption(caption: &str) -> ExifMeta {
    ExifMeta {
        image_description: Some(caption.to_owned()),
        ..ExifMeta::default()
    }
}

/// The three captions of the MWG case, all different.
fn three_captions(exif: &str) -> Meta {
    Meta {
        exif: Some(exif_caption(exif)),
        iptc: Some(IptcMeta::new().caption("IPTC: boats at noon.")),
        xmp: Some(xmp_caption("XMP: boats at dusk.")),
    }
}

/// Asserts the file scanned cleanly as `kind`: no error, no warnings, no conflicts.
fn assert_clean(s: &Scanned, kind: Kind) {
    assert!(s.error.is_none(), "{kind:?}: {:?}", s.error);
    assert_eq!(s.format, Some(kind.format()), "{kind:?}");
    assert_eq!((s.width, s.height), (Some(WIDTH), Some(HEIGHT)), "{kind:?}");
    assert!(s.warnings.is_empty(), "{kind:?}: {:?}", s.warnings);
    assert!(s.conflicts.is_empty(), "{kind:?}: {:?}", s.conflicts);
}

/// Findings of `code`, for one file.
fn with_code<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.code.as_str() == code)
        .collect()
}

/// A manifest listing `path` with only `caption` and `credit`.
fn manifest_one(path: &str, caption: &str, credit: &str) -> String {
    json!({
        "cutline": 1,
        "root": ".",
        "items": [{ "path": path, "caption": caption, "credit": credit }],
    })
    .to_string()
}

/// Writes `bytes` as `name` in a temp dir and checks it against a one-item manifest.
fn check_one(name: &str, bytes: &[u8], caption: &str, credit: &str) -> Vec<Finding> {
    let dir = tempfile::tempdir().expect("temp dir");
    write_files(dir.path(), &[(name, bytes)]);
    check_root(dir.path(), &manifest_one(name, caption, credit))
}

// ---------------------------------------------------------------------------
// One source at a time, per container.
// ---------------------------------------------------------------------------

fn exif_only_reads_caption(kind: Kind) {
    let s = kind.scan(&Meta {
        exif: Some(ExifMeta {
            image_description: Some("Boats leave the harbor at dawn.".into()),
            artist: Some("Jane Doe".into()),
            copyright: Some("Copyright 2024 Northern Wire".into()),
            date_time_original: Some("2024:05:03 06:12:00".into()),
            ..ExifMeta::default()
        }),
        ..Meta::default()
    });
    assert_clean(&s, kind);
    assert_eq!(
        s.exif.get("ImageDescription"),
        Some(&text("Boats leave the harbor at dawn.")),
        "{kind:?}: {:?}",
        s.exif
    );
    assert_eq!(s.exif.get("Artist"), Some(&text("Jane Doe")), "{kind:?}");
    assert_eq!(
        s.exif.get("DateTimeOriginal"),
        Some(&text("2024:05:03 06:12:00")),
        "{kind:?}"
    );
    assert!(s.iptc.is_empty(), "{kind:?}: {:?}", s.iptc);
    assert!(s.xmp.is_empty(), "{kind:?}: {:?}", s.xmp);
    assert_eq!(
        s.effective().caption.as_deref(),
        Some("Boats leave the harbor at dawn."),
        "{kind:?}"
    );
    assert_eq!(s.effective().creator, ["Jane Doe"], "{kind:?}");
    assert_eq!(
        s.effective().copyright.as_deref(),
        Some("Copyright 2024 Northern Wire"),
        "{kind:?}"
    );
    assert_eq!(
        s.effective().date.as_deref(),
        Some("2024-05-03"),
        "{kind:?}"
    );
    assert_eq!(s.effective().credit, None, "{kind:?}");
}

fn iptc_only_reads_caption(kind: Kind) {
    let s = kind.scan(&Meta {
        iptc: Some(
            IptcMeta::new()
                .utf8()
                .caption("Nets drying on the quay in Malmö.")
                .by_line("Jane Doe")
                .by_line("John Roe")
                .credit("Jane Doe/Northern Wire")
                .date_created("20240503"),
        ),
        ..Meta::default()
    });
    assert_clean(&s, kind);
    assert_eq!(
        s.iptc.get("DateCreated"),
        Some(&text("2024:05:03")),
        "{kind:?}: ExifTool's date form"
    );
    assert_eq!(
        s.effective().date.as_deref(),
        Some("2024-05-03"),
        "{kind:?}"
    );
    assert_eq!(
        s.iptc.get("Caption-Abstract"),
        Some(&text("Nets drying on the quay in Malmö.")),
        "{kind:?}: {:?}",
        s.iptc
    );
    assert_eq!(
        s.iptc.get("By-line"),
        Some(&list(&["Jane Doe", "John Roe"])),
        "{kind:?}"
    );
    assert_eq!(
        s.iptc.get("Credit"),
        Some(&text("Jane Doe/Northern Wire")),
        "{kind:?}"
    );
    assert!(s.exif.is_empty(), "{kind:?}: {:?}", s.exif);
    assert!(s.xmp.is_empty(), "{kind:?}: {:?}", s.xmp);
    assert_eq!(
        s.effective().caption.as_deref(),
        Some("Nets drying on the quay in Malmö."),
        "{kind:?}"
    );
    assert_eq!(s.effective().creator, ["Jane Doe", "John Roe"], "{kind:?}");
    assert_eq!(
        s.effective().credit.as_deref(),
        Some("Jane Doe/Northern Wire"),
        "{kind:?}"
    );
}

fn xmp_only_reads_caption(kind: Kind) {
    let s = kind.scan(&Meta {
        xmp: Some(xmp_packet(&[
            langalt("dc", "description", "Gulls over the fish market."),
            ("dc", "creator", XmpValue::Seq(vec!["Jane Doe".into()])),
            simple("photoshop", "Credit", "Jane Doe/Northern Wire"),
            simple("photoshop", "City", "Ullapool"),
            simple("photoshop", "DateCreated", "2024-05-03T06:12:00+01:00"),
        ])),
        ..Meta::default()
    });
    assert_eq!(
        s.effective().date.as_deref(),
        Some("2024-05-03"),
        "{kind:?}"
    );
    assert_clean(&s, kind);
    assert_eq!(
        s.xmp.get("dc:description"),
        Some(&text("Gulls over the fish market.")),
        "{kind:?}: {:?}",
        s.xmp
    );
    assert_eq!(
        s.xmp.get("dc:creator"),
        Some(&list(&["Jane Doe"])),
        "{kind:?}"
    );
    assert_eq!(
        s.xmp.get("photoshop:Credit"),
        Some(&text("Jane Doe/Northern Wire")),
        "{kind:?}"
    );
    assert!(s.exif.is_empty(), "{kind:?}: {:?}", s.exif);
    assert!(s.iptc.is_empty(), "{kind:?}: {:?}", s.iptc);
    assert_eq!(
        s.effective().caption.as_deref(),
        Some("Gulls over the fish market."),
        "{kind:?}"
    );
    assert_eq!(s.effective().creator, ["Jane Doe"], "{kind:?}");
    assert_eq!(
        s.effective().credit.as_deref(),
        Some("Jane Doe/Northern Wire"),
        "{kind:?}"
    );
    assert_eq!(s.effective().city.as_deref(), Some("Ullapool"), "{kind:?}");
}

#[test]
fn jpeg_with_exif_only_reads_caption() {
    exif_only_reads_caption(Kind::Jpeg);
}

#[test]
fn jpeg_with_iptc_only_reads_caption() {
    iptc_only_reads_caption(Kind::Jpeg);
}

#[test]
fn jpeg_with_xmp_only_reads_caption() {
    xmp_only_reads_caption(Kind::Jpeg);
}

#[test]
fn png_with_exif_only_reads_caption() {
    exif_only_reads_caption(Kind::Png);
}

#[test]
fn png_with_xmp_only_reads_caption() {
    xmp_only_reads_caption(Kind::Png);
}

#[test]
fn tiff_with_exif_only_reads_caption() {
    exif_only_reads_caption(Kind::Tiff);
}

#[test]
fn tiff_with_iptc_only_reads_caption() {
    iptc_only_reads_caption(Kind::Tiff);
}

#[test]
fn tiff_with_xmp_only_reads_caption() {
    xmp_only_reads_caption(Kind::Tiff);
}

#[test]
fn webp_with_exif_only_reads_caption() {
    exif_only_reads_caption(Kind::Webp);
}

#[test]
fn webp_with_xmp_only_reads_caption() {
    xmp_only_reads_caption(Kind::Webp);
}

#[test]
fn png_text_description_is_read_and_loses_to_xmp() {
    let bytes = png_with(
        &plain_png(),
        &Meta::default(),
        &[("Description", "PNG text caption.")],
    )
    .expect("png builds");
    let s = scan_bytes("photo.png", &bytes);
    assert_clean(&s, Kind::Png);
    assert_eq!(s.png.get("Description"), Some(&text("PNG text caption.")));
    assert_eq!(s.effective().caption.as_deref(), Some("PNG text caption."));

    let bytes = png_with(
        &plain_png(),
        &Meta {
            xmp: Some(xmp_caption("XMP caption.")),
            ..Meta::default()
        },
        &[("Description", "PNG text caption.")],
    )
    .expect("png builds");
    let s = scan_bytes("photo.png", &bytes);
    assert_eq!(s.effective().caption.as_deref(), Some("XMP caption."));
    assert_eq!(s.conflicts.len(), 1, "{:?}", s.conflicts);
    assert_eq!(s.conflicts[0].field, "caption");
    assert_eq!(
        s.conflicts[0].values.keys().copied().collect::<Vec<_>>(),
        [Source::Xmp, Source::Png]
    );
}

// ---------------------------------------------------------------------------
// 1. MWG: EXIF, then XMP, then IPTC; every disagreement listed.
// ---------------------------------------------------------------------------

#[test]
fn exif_iptc_xmp_captions_all_differ_gives_exif_and_a_conflict() {
    for kind in [Kind::Jpeg, Kind::Tiff] {
        let s = kind.scan(&three_captions("EXIF: boats at dawn."));
        assert!(s.error.is_none(), "{kind:?}: {:?}", s.error);
        assert!(s.warnings.is_empty(), "{kind:?}: {:?}", s.warnings);
        assert_eq!(
            s.effective().caption.as_deref(),
            Some("EXIF: boats at dawn."),
            "{kind:?}"
        );
        assert_eq!(s.conflicts.len(), 1, "{kind:?}: {:?}", s.conflicts);
        let c = &s.conflicts[0];
        assert_eq!(c.field, "caption", "{kind:?}");
        let values: Vec<(Source, &str)> = c.values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            values,
            [
                (Source::Exif, "EXIF: boats at dawn."),
                (Source::Iptc, "IPTC: boats at noon."),
                (Source::Xmp, "XMP: boats at dusk."),
            ],
            "{kind:?}"
        );
    }
}

#[test]
fn blank_exif_caption_gives_xmp_over_iptc() {
    for kind in [Kind::Jpeg, Kind::Tiff] {
        let s = kind.scan(&three_captions("   "));
        assert!(s.error.is_none(), "{kind:?}: {:?}", s.error);
        assert_eq!(
            s.effective().caption.as_deref(),
            Some("XMP: boats at dusk."),
            "{kind:?}"
        );
        assert_eq!(s.conflicts.len(), 1, "{kind:?}: {:?}", s.conflicts);
        assert_eq!(
            s.conflicts[0].values.keys().copied().collect::<Vec<_>>(),
            [Source::Iptc, Source::Xmp],
            "{kind:?}: a blank EXIF caption is no value"
        );
    }
}

#[test]
fn exif_and_xmp_captions_differ_in_png_and_webp_gives_exif_and_a_conflict() {
    for kind in [Kind::Png, Kind::Webp] {
        let s = kind.scan(&three_captions("EXIF: boats at dawn."));
        assert!(s.iptc.is_empty(), "{kind:?}: no IIM in this container");
        assert_eq!(
            s.effective().caption.as_deref(),
            Some("EXIF: boats at dawn."),
            "{kind:?}"
        );
        assert_eq!(s.conflicts.len(), 1, "{kind:?}: {:?}", s.conflicts);
        assert_eq!(
            s.conflicts[0].values.keys().copied().collect::<Vec<_>>(),
            [Source::Exif, Source::Xmp],
            "{kind:?}"
        );
    }
}

#[test]
fn xmp_and_iptc_disagree_gives_x002() {
    for kind in ALL_KINDS {
        let bytes = kind.build(&three_captions("EXIF: boats at dawn."));
        let findings = check_one(
            kind.file_name(),
            &bytes,
            "EXIF: boats at dawn.",
            "Jane Doe/Northern Wire",
        );
        let x002 = with_code(&findings, "X002");
        assert_eq!(x002.len(), 1, "{kind:?}: {findings:#?}");
        assert_eq!(x002[0].field, Some("caption"), "{kind:?}");
        assert_eq!(x002[0].path, kind.file_name(), "{kind:?}");
        assert!(
            x002[0].message.contains("XMP: boats at dusk."),
            "{kind:?}: {}",
            x002[0].message
        );
        assert_eq!(
            x002[0].message.contains("IPTC: boats at noon."),
            kind.carries_iptc(),
            "{kind:?}: {}",
            x002[0].message
        );
        // The manifest caption equals the effective (EXIF) one.
        assert!(with_code(&findings, "C004").is_empty(), "{kind:?}");
    }
}

// ---------------------------------------------------------------------------
// 2. The IPTC digest: stale IIM wins over XMP.
// ---------------------------------------------------------------------------

fn credits(digest: IptcDigest) -> Meta {
    Meta {
        iptc: Some(
            IptcMeta::new()
                .credit("Jane Doe/New Wire")
                .with_digest(digest),
        ),
        xmp: Some(xmp_packet(&[simple(
            "photoshop",
            "Credit",
            "Jane Doe/Old Wire",
        )])),
        ..Meta::default()
    }
}

#[test]
fn stale_iptc_digest_gives_iptc_credit() {
    let s = Kind::Jpeg.scan(&credits(IptcDigest::Wrong));
    assert!(s.error.is_none(), "{:?}", s.error);
    assert_eq!(s.iptc_stale, Some(true));
    assert_eq!(s.effective().credit.as_deref(), Some("Jane Doe/New Wire"));
    assert_eq!(s.conflicts.len(), 1, "{:?}", s.conflicts);
    assert_eq!(s.conflicts[0].field, "credit");
}

#[test]
fn current_iptc_digest_gives_xmp_credit() {
    let s = Kind::Jpeg.scan(&credits(IptcDigest::Correct));
    assert_eq!(s.iptc_stale, Some(false));
    assert_eq!(s.effective().credit.as_deref(), Some("Jane Doe/Old Wire"));
    assert_eq!(s.conflicts.len(), 1, "{:?}", s.conflicts);
}

#[test]
fn absent_iptc_digest_gives_xmp_credit() {
    let s = Kind::Jpeg.scan(&credits(IptcDigest::Absent));
    assert_eq!(s.iptc_stale, None);
    assert_eq!(s.effective().credit.as_deref(), Some("Jane Doe/Old Wire"));
}

// ---------------------------------------------------------------------------
// 3. UTF-16 XMP packets.
// ---------------------------------------------------------------------------

/// `s` as UTF-16 with a leading BOM.
fn utf16_with_bom(s: &str, big_endian: bool) -> Vec<u8> {
    std::iter::once(0xfeff_u16)
        .chain(s.encode_utf16())
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

fn utf16_xmp_reads_caption(big_endian: bool) {
    let packet = xmp_packet(&[
        langalt("dc", "description", "Crowds in Malmö at midsummer, 2024."),
        simple("photoshop", "Credit", "Åsa Ek/Sydsvenskan"),
    ]);
    let mut payload = XMP_APP1_ID.to_vec();
    payload.extend(utf16_with_bom(&packet, big_endian));
    let bytes = jpeg_insert_segment(&plain_jpeg(), 0xe1, &payload);
    let s = scan_bytes("photo.jpg", &bytes);
    assert_clean(&s, Kind::Jpeg);
    assert_eq!(
        s.xmp.get("dc:description"),
        Some(&text("Crowds in Malmö at midsummer, 2024.")),
        "{:?}",
        s.xmp
    );
    assert_eq!(
        s.xmp.get("photoshop:Credit"),
        Some(&text("Åsa Ek/Sydsvenskan"))
    );
    assert_eq!(
        s.effective().caption.as_deref(),
        Some("Crowds in Malmö at midsummer, 2024.")
    );
    assert_eq!(s.effective().credit.as_deref(), Some("Åsa Ek/Sydsvenskan"));
}

#[test]
fn jpeg_with_utf16le_xmp_packet_reads_caption() {
    utf16_xmp_reads_caption(false);
}

#[test]
fn jpeg_with_utf16be_xmp_packet_reads_caption() {
    utf16_xmp_reads_caption(true);
}

// ---------------------------------------------------------------------------
// 4. ExtendedXMP.
// ---------------------------------------------------------------------------

#[test]
fn jpeg_extended_xmp_property_is_merged_into_xmp() {
    let instructions = "Embargoed until 06:00 UTC. ".repeat(40);
    let bytes = jpeg_extended_xmp(
        &plain_jpeg(),
        &Meta::default(),
        &[langalt("dc", "description", "Short main-packet caption.")],
        &[
            simple("photoshop", "Credit", "Jane Doe/Northern Wire"),
            simple("photoshop", "Instructions", &instructions),
        ],
        200,
    )
    .expect("extended xmp builds");
    let s = scan_bytes("photo.jpg", &bytes);
    assert_clean(&s, Kind::Jpeg);
    assert_eq!(
        s.xmp.get("dc:description"),
        Some(&text("Short main-packet caption."))
    );
    assert_eq!(
        s.xmp.get("photoshop:Credit"),
        Some(&text("Jane Doe/Northern Wire")),
        "{:?}",
        s.xmp.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        s.xmp.get("photoshop:Instructions"),
        Some(&text(&instructions))
    );
    assert_eq!(
        s.effective().credit.as_deref(),
        Some("Jane Doe/Northern Wire")
    );
}

// ---------------------------------------------------------------------------
// 5. Sidecars.
// ---------------------------------------------------------------------------

fn sidecar_gives_caption(sidecar_name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let jpeg = jpeg_with(
        &plain_jpeg(),
        &Meta {
            exif: Some(ExifMeta {
                make: Some("Canon".into()),
                ..ExifMeta::default()
            }),
            ..Meta::default()
        },
    )
    .expect("jpeg builds");
    let sidecar = xmp_packet(&[
        langalt("dc", "description", "Caption from the sidecar."),
        simple("photoshop", "Credit", "Jane Doe/Northern Wire"),
    ]);
    write_files(
        dir.path(),
        &[("photo.jpg", &jpeg), (sidecar_name, sidecar.as_bytes())],
    );

    let w = walk(dir.path()).expect("walk");
    let rels: Vec<&str> = w.entries.iter().map(|e| e.rel.as_str()).collect();
    assert_eq!(rels, ["photo.jpg"], "the sidecar is no file of its own");
    assert_eq!(w.entries[0].sidecar, Some(dir.path().join(sidecar_name)));

    let scanned = support::scan_root(dir.path());
    assert_eq!(scanned.len(), 1);
    let s = &scanned[0];
    assert_clean(s, Kind::Jpeg);
    assert!(s.xmp.is_empty(), "{:?}", s.xmp);
    assert_eq!(
        s.sidecar.get("dc:description"),
        Some(&text("Caption from the sidecar.")),
        "{:?}",
        s.sidecar
    );
    assert_eq!(
        s.sidecar.get("photoshop:Credit"),
        Some(&text("Jane Doe/Northern Wire"))
    );
    assert_eq!(
        s.effective().caption.as_deref(),
        Some("Caption from the sidecar.")
    );
    assert_eq!(
        s.effective().credit.as_deref(),
        Some("Jane Doe/Northern Wire")
    );
}

#[test]
fn jpeg_with_name_ext_xmp_sidecar_reads_caption_from_it() {
    sidecar_gives_caption("photo.jpg.xmp");
}

#[test]
fn jpeg_with_name_xmp_sidecar_reads_caption_from_it() {
    sidecar_gives_caption("photo.xmp");
}

#[test]
fn sidecar_caption_wins_over_iptc_and_disagreement_is_a_conflict() {
    let dir = tempfile::tempdir().expect("temp dir");
    let jpeg = jpeg_with(
        &plain_jpeg(),
        &Meta {
            iptc: Some(IptcMeta::new().caption("IIM caption.")),
            ..Meta::default()
        },
    )
    .expect("jpeg builds");
    let sidecar = xmp_caption("Sidecar caption.");
    write_files(
        dir.path(),
        &[("photo.jpg", &jpeg), ("photo.jpg.xmp", sidecar.as_bytes())],
    );
    let scanned = support::scan_root(dir.path());
    let s = &scanned[0];
    assert_eq!(s.effective().caption.as_deref(), Some("Sidecar caption."));
    assert_eq!(s.conflicts.len(), 1, "{:?}", s.conflicts);
    assert_eq!(
        s.conflicts[0].values.keys().copied().collect::<Vec<_>>(),
        [Source::Iptc, Source::Sidecar]
    );
}

// ---------------------------------------------------------------------------
// 6. Latin-1 IIM without 1:90.
// ---------------------------------------------------------------------------

#[test]
fn latin1_iptc_without_coded_character_set_is_decoded() {
    for kind in [Kind::Jpeg, Kind::Tiff] {
        let s = kind.scan(&Meta {
            iptc: Some(
                IptcMeta::new()
                    .raw(2, 120, b"Caf\xe9 au lait")
                    .raw(2, 90, b"Malm\xf6"),
            ),
            ..Meta::default()
        });
        assert_clean(&s, kind);
        assert_eq!(
            s.iptc.get("Caption-Abstract"),
            Some(&text("Café au lait")),
            "{kind:?}"
        );
        assert_eq!(s.iptc.get("City"), Some(&text("Malmö")), "{kind:?}");
        assert_eq!(
            s.effective().caption.as_deref(),
            Some("Café au lait"),
            "{kind:?}"
        );
        assert_eq!(s.effective().city.as_deref(), Some("Malmö"), "{kind:?}");
    }
}

// ---------------------------------------------------------------------------
// 7. Damaged blocks: warn (X003), keep reading.
// ---------------------------------------------------------------------------

/// APP13 payload: one 0x0404 resource that claims `claimed` bytes but holds `iim`.
fn app13_claiming(iim: &[u8], claimed: u32) -> Vec<u8> {
    let mut p = PHOTOSHOP_ID.to_vec();
    p.extend_from_slice(b"8BIM");
    p.extend(0x0404_u16.to_be_bytes());
    p.extend([0, 0]);
    p.extend(claimed.to_be_bytes());
    p.extend_from_slice(iim);
    p
}

/// A JPEG with an EXIF artist and an XMP credit, plus the APP13 `payload`.
fn jpeg_with_app13(payload: &[u8]) -> Vec<u8> {
    let jpeg = jpeg_with(
        &plain_jpeg(),
        &Meta {
            exif: Some(ExifMeta {
                artist: Some("Jane Doe".into()),
                ..ExifMeta::default()
            }),
            xmp: Some(xmp_packet(&[simple(
                "photoshop",
                "Credit",
                "Jane Doe/Northern Wire",
            )])),
            ..Meta::default()
        },
    )
    .expect("jpeg builds");
    jpeg_insert_segment(&jpeg, 0xed, payload)
}

fn assert_damaged_iptc_still_read(s: &Scanned) {
    assert!(s.error.is_none(), "{:?}", s.error);
    assert_eq!(s.format, Some(Format::Jpeg));
    assert!(
        s.warnings.iter().any(|w| w.source == Source::Iptc),
        "{:?}",
        s.warnings
    );
    assert_eq!(
        s.iptc.get("Caption-Abstract"),
        Some(&text("Harbor at dusk.")),
        "{:?}",
        s.iptc
    );
    assert_eq!(s.exif.get("Artist"), Some(&text("Jane Doe")));
    assert_eq!(
        s.xmp.get("photoshop:Credit"),
        Some(&text("Jane Doe/Northern Wire"))
    );
    assert_eq!(s.effective().caption.as_deref(), Some("Harbor at dusk."));
    assert_eq!(s.effective().creator, ["Jane Doe"]);
}

#[test]
fn truncated_app13_resource_warns_and_keeps_other_sources() {
    let iim = IptcMeta::new()
        .caption("Harbor at dusk.")
        .iim_bytes()
        .expect("iim");
    let claimed = u32::try_from(iim.len() + 400).expect("small");
    let bytes = jpeg_with_app13(&app13_claiming(&iim, claimed));
    let s = scan_bytes("photo.jpg", &bytes);
    assert_damaged_iptc_still_read(&s);

    let findings = check_one(
        "photo.jpg",
        &bytes,
        "Harbor at dusk.",
        "Jane Doe/Northern Wire",
    );
    let x003 = with_code(&findings, "X003");
    assert_eq!(x003.len(), s.warnings.len(), "{findings:#?}");
    assert!(!x003.is_empty(), "{findings:#?}");
    assert!(with_code(&findings, "X001").is_empty(), "{findings:#?}");
}

#[test]
fn app13_cut_inside_a_dataset_keeps_earlier_datasets() {
    let iim = IptcMeta::new()
        .caption("Harbor at dusk.")
        .credit("Jane Doe/Northern Wire")
        .iim_bytes()
        .expect("iim");
    // Keep the credit's header and its first 4 bytes ("Jane").
    let cut = &iim[..iim.len() - "Jane Doe/Northern Wire".len() + 4];
    let claimed = u32::try_from(iim.len()).expect("small");
    let bytes = jpeg_with_app13(&app13_claiming(cut, claimed));
    let s = scan_bytes("photo.jpg", &bytes);
    assert_damaged_iptc_still_read(&s);
    // IIM datasets(): a length past the end keeps what is there.
    assert_eq!(s.iptc.get("Credit"), Some(&text("Jane")), "{:?}", s.iptc);
    let findings = check_one(
        "photo.jpg",
        &bytes,
        "Harbor at dusk.",
        "Jane Doe/Northern Wire",
    );
    assert!(!with_code(&findings, "X003").is_empty(), "{findings:#?}");
}

#[test]
fn truncated_xmp_packet_warns_and_keeps_other_sources() {
    for kind in ALL_KINDS {
        let full = xmp_packet(&[
            langalt("dc", "description", "XMP caption never read."),
            simple("photoshop", "Credit", "Jane Doe/Northern Wire"),
        ]);
        let cut = full[..full.len() / 2].to_owned();
        let meta = Meta {
            exif: Some(exif_caption("Harbor at dusk.")),
            iptc: Some(IptcMeta::new().credit("Jane Doe/Northern Wire")),
            xmp: Some(cut),
        };
        let bytes = kind.build(&meta);
        let s = scan_bytes(kind.file_name(), &bytes);
        assert!(s.error.is_none(), "{kind:?}: {:?}", s.error);
        assert_eq!(s.format, Some(kind.format()), "{kind:?}");
        assert!(s.xmp.is_empty(), "{kind:?}: {:?}", s.xmp);
        assert!(
            s.warnings.iter().any(|w| w.source == Source::Xmp),
            "{kind:?}: {:?}",
            s.warnings
        );
        assert_eq!(
            s.exif.get("ImageDescription"),
            Some(&text("Harbor at dusk.")),
            "{kind:?}"
        );
        assert_eq!(
            s.effective().caption.as_deref(),
            Some("Harbor at dusk."),
            "{kind:?}"
        );
        if kind.carries_iptc() {
            assert_eq!(
                s.effective().credit.as_deref(),
                Some("Jane Doe/Northern Wire"),
                "{kind:?}"
            );
        }

        let findings = check_one(
            kind.file_name(),
            &bytes,
            "Harbor at dusk.",
            "Jane Doe/Northern Wire",
        );
        let x003 = with_code(&findings, "X003");
        assert_eq!(x003.len(), 1, "{kind:?}: {findings:#?}");
        assert!(
            x003[0]
                .message
                .starts_with("metadata read only in part: xmp: "),
            "{kind:?}: {}",
            x003[0].message
        );
        assert!(with_code(&findings, "X001").is_empty(), "{kind:?}");
    }
}

// ---------------------------------------------------------------------------
// 8. Camera boilerplate is no caption.
// ---------------------------------------------------------------------------

#[test]
fn exif_camera_boilerplate_caption_gives_iptc_caption_and_no_conflict() {
    for kind in [Kind::Jpeg, Kind::Tiff] {
        let bytes = kind.build(&Meta {
            exif: Some(exif_caption("OLYMPUS DIGITAL CAMERA")),
            iptc: Some(
                IptcMeta::new()
                    .caption("Children fly kites on the beach.")
                    .credit("Jane Doe/Northern Wire"),
            ),
            ..Meta::default()
        });
        let s = scan_bytes(kind.file_name(), &bytes);
        assert_clean(&s, kind);
        assert_eq!(
            s.exif.get("ImageDescription"),
            Some(&text("OLYMPUS DIGITAL CAMERA")),
            "{kind:?}"
        );
        assert_eq!(
            s.effective().caption.as_deref(),
            Some("Children fly kites on the beach."),
            "{kind:?}"
        );

        // A manifest without a caption checks the embedded one: no C002, no X002.
        let dir = tempfile::tempdir().expect("temp dir");
        write_files(dir.path(), &[(kind.file_name(), &bytes)]);
        let m = json!({
            "cutline": 1,
            "items": [{ "path": kind.file_name(), "credit": "Jane Doe/Northern Wire" }],
        })
        .to_string();
        let findings = check_root(dir.path(), &m);
        let found = codes(&findings);
        for code in ["C001", "C002", "X002"] {
            assert!(!found.contains(&code), "{kind:?}: {findings:#?}");
        }
    }
}

// ---------------------------------------------------------------------------
// 9. `cutline init` pre-fills an item from the file.
// ---------------------------------------------------------------------------

#[test]
fn init_prefills_item_from_all_sources() {
    let caption = "Fishing boats leave the harbor at dawn in Ullapool, Scotland.";
    let meta = Meta {
        exif: Some(ExifMeta {
            image_description: Some(caption.into()),
            artist: Some("Jane Doe".into()),
            copyright: Some("Copyright 2024 Northern Wire".into()),
            date_time_original: Some("2024:05:03 06:12:00".into()),
            make: Some("Canon".into()),
            model: Some("Canon EOS R6".into()),
        }),
        iptc: Some(
            IptcMeta::new()
                .utf8()
                .object_name("Ullapool fleet")
                .by_line("Jane Doe")
                .date_created("20240503")
                .city("Ullapool")
                .country("United Kingdom")
                .headline("Fleet sails at first light")
                .credit("Jane Doe/Northern Wire")
                .source("Northern Wire")
                .copyright_notice("Copyright 2024 Northern Wire")
                .caption(caption),
        ),
        xmp: Some(xmp_packet(&[
            langalt("dc", "description", caption),
            ("dc", "creator", XmpValue::Seq(vec!["Jane Doe".into()])),
            langalt("dc", "rights", "Copyright 2024 Northern Wire"),
            langalt("dc", "title", "Ullapool fleet"),
            simple("photoshop", "Credit", "Jane Doe/Northern Wire"),
            simple("photoshop", "Source", "Northern Wire"),
            simple("photoshop", "Headline", "Fleet sails at first light"),
            simple("photoshop", "DateCreated", "2024-05-03T06:12:00"),
            simple("photoshop", "City", "Ullapool"),
            simple("photoshop", "Country", "United Kingdom"),
        ])),
    };
    let s = Kind::Jpeg.scan(&meta);
    assert_clean(&s, Kind::Jpeg);
    let item = item_from(&s);
    assert_eq!(item.path, "photo.jpg");
    assert_eq!(item.size, Some(s.size));
    assert_eq!(item.sha256.as_deref().map(str::len), Some(64));
    assert_eq!(item.caption.as_deref(), Some(caption));
    assert_eq!(item.credit.as_deref(), Some("Jane Doe/Northern Wire"));
    assert_eq!(item.creator, ["Jane Doe"]);
    assert_eq!(
        item.copyright.as_deref(),
        Some("Copyright 2024 Northern Wire")
    );
    assert_eq!(item.source.as_deref(), Some("Northern Wire"));
    assert_eq!(item.date.as_deref(), Some("2024-05-03"));
    assert_eq!(item.headline.as_deref(), Some("Fleet sails at first light"));
    assert_eq!(item.title.as_deref(), Some("Ullapool fleet"));
    assert_eq!(item.city.as_deref(), Some("Ullapool"));
    assert_eq!(item.country.as_deref(), Some("United Kingdom"));
}

// ---------------------------------------------------------------------------
// 10. The manifest against the embedded caption and credit.
// ---------------------------------------------------------------------------

fn iptc_jpeg(caption: &str, credit: &str) -> Vec<u8> {
    jpeg_with(
        &plain_jpeg(),
        &Meta {
            iptc: Some(IptcMeta::new().utf8().caption(caption).credit(credit)),
            ..Meta::default()
        },
    )
    .expect("jpeg builds")
}

#[test]
fn manifest_caption_and_credit_differing_from_embedded_give_c004_and_r005() {
    let bytes = iptc_jpeg("Boats leave the harbor at dusk.", "Jane Doe/AP");
    let findings = check_one(
        "photo.jpg",
        &bytes,
        "Boats leave the harbor at dawn.",
        "Jane Doe/Reuters",
    );
    let c004 = with_code(&findings, "C004");
    assert_eq!(c004.len(), 1, "{findings:#?}");
    assert_eq!(c004[0].field, Some("caption"));
    assert_eq!(
        c004[0].expected.as_deref(),
        Some("Boats leave the harbor at dawn.")
    );
    assert_eq!(
        c004[0].actual.as_deref(),
        Some("Boats leave the harbor at dusk.")
    );
    let r005 = with_code(&findings, "R005");
    assert_eq!(r005.len(), 1, "{findings:#?}");
    assert_eq!(r005[0].field, Some("credit"));
    assert_eq!(r005[0].expected.as_deref(), Some("Jane Doe/Reuters"));
    assert_eq!(r005[0].actual.as_deref(), Some("Jane Doe/AP"));
}

#[test]
fn manifest_equal_to_embedded_up_to_parens_whitespace_and_nfc_gives_no_c004_or_r005() {
    let dir = tempfile::tempdir().expect("temp dir");
    let same = iptc_jpeg("Boats leave the harbor at dawn.", "Jane Doe/Reuters");
    let parens = iptc_jpeg("Nets on the quay.", "(Jane Doe/Reuters)");
    let nfc = iptc_jpeg("Midsummer in Malmö.", "Åsa Ek/Sydsvenskan");
    write_files(
        dir.path(),
        &[
            ("a-same.jpg", &same),
            ("b-parens.jpg", &parens),
            ("c-nfc.jpg", &nfc),
        ],
    );
    let m = json!({
        "cutline": 1,
        "items": [
            {
                "path": "a-same.jpg",
                "caption": "Boats leave the harbor at dawn.",
                "credit": "Jane Doe/Reuters",
            },
            {
                // Extra white space in the caption; parens on the file's credit only.
                "path": "b-parens.jpg",
                "caption": "  Nets on\nthe   quay. ",
                "credit": "Jane Doe/Reuters",
            },
            {
                // Decomposed (NFD) text in the manifest, composed in the file.
                "path": "c-nfc.jpg",
                "caption": "Midsummer in Malmo\u{0308}.",
                "credit": "(A\u{030a}sa Ek/Sydsvenskan)",
            },
        ],
    })
    .to_string();
    let findings = check_root(dir.path(), &m);
    let found = codes(&findings);
    assert!(
        !found.contains(&"C004") && !found.contains(&"R005"),
        "{findings:#?}"
    );
    assert!(!found.contains(&"M002"), "{findings:#?}");
}

/// The same inputs give the same bytes, so fixtures never drift between runs.
#[test]
fn fixtures_are_deterministic() {
    let meta = three_captions("EXIF: boats at dawn.");
    for kind in ALL_KINDS {
        assert_eq!(kind.build(&meta), kind.build(&meta), "{kind:?}");
    }
    let a = embed::photoshop_irb(&IptcMeta::new().caption("x")).expect("irb");
    assert_eq!(
        a,
        embed::photoshop_irb(&IptcMeta::new().caption("x")).expect("irb")
    );
}

// ---------------------------------------------------------------------------
// Edges around the cases above.
// ---------------------------------------------------------------------------

#[test]
fn jpeg_with_app13_split_in_two_segments_reads_iptc() {
    let meta = Meta {
        iptc: Some(
            IptcMeta::new()
                .caption("Split across two APP13 segments.")
                .credit("Jane Doe/Northern Wire")
                .with_digest(IptcDigest::Correct),
        ),
        ..Meta::default()
    };
    let bytes = embed::jpeg_with_options(
        &plain_jpeg(),
        &meta,
        &embed::JpegOptions { split_app13: true },
    )
    .expect("jpeg builds");
    let s = scan_bytes("photo.jpg", &bytes);
    assert_clean(&s, Kind::Jpeg);
    assert_eq!(
        s.iptc.get("Caption-Abstract"),
        Some(&text("Split across two APP13 segments."))
    );
    assert_eq!(s.iptc_stale, Some(false));
    assert_eq!(
        s.effective().credit.as_deref(),
        Some("Jane Doe/Northern Wire")
    );
}

#[test]
fn utf8_exif_and_iptc_without_coded_character_set_read_as_utf8() {
    for kind in [Kind::Jpeg, Kind::Tiff] {
        let s = kind.scan(&Meta {
            exif: Some(exif_caption("Midsummer in Malmö.")),
            iptc: Some(IptcMeta::new().caption("Midsummer in Malmö.")),
            xmp: Some(xmp_caption("Midsummer in Malmö.")),
        });
        assert_clean(&s, kind);
        assert_eq!(
            s.exif.get("ImageDescription"),
            Some(&text("Midsummer in Malmö.")),
            "{kind:?}"
        );
        assert_eq!(
            s.iptc.get("Caption-Abstract"),
            Some(&text("Midsummer in Malmö.")),
            "{kind:?}"
        );
    }
}

#[test]
fn iptc_trailing_nuls_are_trimmed() {
    let s = Kind::Jpeg.scan(&Meta {
        iptc: Some(IptcMeta::new().raw(2, 120, b"Harbor at dusk.\0\0\0")),
        ..Meta::default()
    });
    assert_clean(&s, Kind::Jpeg);
    assert_eq!(
        s.iptc.get("Caption-Abstract"),
        Some(&text("Harbor at dusk."))
    );
}

#[test]
fn nfd_iptc_and_nfc_xmp_with_padding_are_no_conflict() {
    let s = Kind::Jpeg.scan(&Meta {
        iptc: Some(IptcMeta::new().utf8().city("Malmo\u{0308} ")),
        xmp: Some(xmp_packet(&[simple("photoshop", "City", "Malmö")])),
        ..Meta::default()
    });
    assert_clean(&s, Kind::Jpeg);
    assert_eq!(s.effective().city.as_deref(), Some("Malmö"));
}

#[test]
fn iim_credit_cut_at_32_bytes_is_no_conflict_with_full_xmp_credit() {
    let full = "Courtesy of the Ullapool Harbour Museum Trust";
    let s = Kind::Jpeg.scan(&Meta {
        iptc: Some(IptcMeta::new().credit(&full[..32])),
        xmp: Some(xmp_packet(&[simple("photoshop", "Credit", full)])),
        ..Meta::default()
    });
    assert_clean(&s, Kind::Jpeg);
    assert_eq!(s.effective().credit.as_deref(), Some(full));
}

#[test]
fn embedded_xmp_wins_over_sidecar_and_disagreement_is_a_conflict() {
    let dir = tempfile::tempdir().expect("temp dir");
    let jpeg = jpeg_with(
        &plain_jpeg(),
        &Meta {
            xmp: Some(xmp_caption("Embedded caption.")),
            ..Meta::default()
        },
    )
    .expect("jpeg builds");
    let sidecar = xmp_caption("Sidecar caption.");
    write_files(
        dir.path(),
        &[("photo.jpg", &jpeg), ("photo.xmp", sidecar.as_bytes())],
    );
    let scanned = support::scan_root(dir.path());
    let s = &scanned[0];
    assert_eq!(s.effective().caption.as_deref(), Some("Embedded caption."));
    assert_eq!(
        s.sidecar.get("dc:description"),
        Some(&text("Sidecar caption."))
    );
    assert_eq!(s.conflicts.len(), 1, "{:?}", s.conflicts);
    assert_eq!(
        s.conflicts[0].values.keys().copied().collect::<Vec<_>>(),
        [Source::Xmp, Source::Sidecar]
    );
}

#[test]
fn name_ext_xmp_sidecar_wins_over_name_xmp() {
    let dir = tempfile::tempdir().expect("temp dir");
    let long = xmp_caption("From photo.jpg.xmp.");
    let short = xmp_caption("From photo.xmp.");
    write_files(
        dir.path(),
        &[
            ("photo.jpg", &plain_jpeg()),
            ("photo.jpg.xmp", long.as_bytes()),
            ("photo.xmp", short.as_bytes()),
        ],
    );
    let scanned = support::scan_root(dir.path());
    assert_eq!(scanned.len(), 1);
    assert_eq!(
        scanned[0].effective().caption.as_deref(),
        Some("From photo.jpg.xmp.")
    );
}

#[test]
fn uppercase_xmp_sidecar_is_attached() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sidecar = xmp_caption("From PHOTO.XMP.");
    write_files(
        dir.path(),
        &[
            ("photo.jpg", &plain_jpeg()),
            ("photo.XMP", sidecar.as_bytes()),
        ],
    );
    let w = walk(dir.path()).expect("walk");
    let rels: Vec<&str> = w.entries.iter().map(|e| e.rel.as_str()).collect();
    assert_eq!(rels, ["photo.jpg"], "the sidecar is no file of its own");
    let scanned = support::scan_root(dir.path());
    assert_eq!(
        scanned[0].effective().caption.as_deref(),
        Some("From PHOTO.XMP."),
        "a sidecar hidden from the walk must be attached to its image"
    );
}

#[test]
fn damaged_sidecar_warns_and_gives_x003() {
    let dir = tempfile::tempdir().expect("temp dir");
    let full = xmp_caption("Never read.");
    let cut = &full[..full.len() / 2];
    let jpeg = iptc_jpeg("IIM caption.", "Jane Doe/Northern Wire");
    write_files(
        dir.path(),
        &[("photo.jpg", &jpeg), ("photo.jpg.xmp", cut.as_bytes())],
    );
    let scanned = support::scan_root(dir.path());
    let s = &scanned[0];
    assert!(s.error.is_none(), "{:?}", s.error);
    assert!(s.sidecar.is_empty(), "{:?}", s.sidecar);
    assert!(
        s.warnings.iter().any(|w| w.source == Source::Sidecar),
        "{:?}",
        s.warnings
    );
    assert_eq!(s.effective().caption.as_deref(), Some("IIM caption."));
    let findings = check_root(
        dir.path(),
        &manifest_one("photo.jpg", "IIM caption.", "Jane Doe/Northern Wire"),
    );
    assert_eq!(with_code(&findings, "X003").len(), 1, "{findings:#?}");
}

#[test]
fn stale_digest_does_not_beat_exif_caption() {
    let s = Kind::Jpeg.scan(&Meta {
        exif: Some(exif_caption("EXIF caption.")),
        iptc: Some(
            IptcMeta::new()
                .caption("IIM caption.")
                .with_digest(IptcDigest::Wrong),
        ),
        xmp: Some(xmp_caption("XMP caption.")),
    });
    assert_eq!(s.iptc_stale, Some(true));
    assert_eq!(s.effective().caption.as_deref(), Some("EXIF caption."));

    let s = Kind::Jpeg.scan(&Meta {
        exif: None,
        iptc: Some(
            IptcMeta::new()
                .caption("IIM caption.")
                .with_digest(IptcDigest::Wrong),
        ),
        xmp: Some(xmp_caption("XMP caption.")),
    });
    assert_eq!(s.effective().caption.as_deref(), Some("IIM caption."));
}
