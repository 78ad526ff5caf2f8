//! Property tests: no parser panics on any bytes, and the IIM and manifest writers round-trip losslessly.
//!
//! Case counts are bounded (`ProptestConfig::with_cases`) so the file runs in a
//! few seconds inside `cargo test`; the long campaigns are the cargo-fuzz
//! targets in `fuzz/` (see docs/security.md).

#[allow(dead_code)]
mod support;

#[path = "bad_input/formats.rs"]
#[allow(dead_code)]
mod formats;

use std::path::Path;
use std::sync::OnceLock;

use cutline::format::{self, Format};
use cutline::manifest::{self, Field, Item, Manifest};
use cutline::metadata::fields::Value as FieldValue;
use cutline::metadata::{self, iptc, xmp};
use cutline::policy::Policy;
use cutline::{container, creditline, imagehash};
use proptest::prelude::*;
use serde_json::{Map, Value};

use support::embed::{
    ExifMeta, IptcMeta, Meta, XmpValue, jpeg_with, png_with, tiff_with, webp_with, xmp_packet,
};
use support::{HEIGHT, WIDTH, plain_jpeg, plain_png, plain_webp, rgb};

const ALL_FORMATS: [Format; 10] = Format::ALL;

/// Valid files carrying EXIF, IPTC and XMP, one per container the builders
/// write, plus minimal headers of the others: the starting points mutated below.
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let meta = Meta {
            exif: Some(ExifMeta {
                image_description: Some("Boats at dawn.".into()),
                artist: Some("Jane Doe".into()),
                copyright: Some("Copyright 2024 Northern Wire".into()),
                date_time_original: Some("2024:05:01 06:30:00".into()),
                make: None,
                model: None,
            }),
            iptc: Some(
                IptcMeta::new()
                    .utf8()
                    .caption("Boats at dawn.")
                    .credit("Jane Doe/Northern Wire")
                    .by_line("Jane Doe"),
            ),
            xmp: Some(xmp_packet(&[
                (
                    "dc",
                    "description",
                    XmpValue::LangAlt("Boats at dawn.".into()),
                ),
                (
                    "photoshop",
                    "Credit",
                    XmpValue::Simple("Jane Doe/Northern Wire".into()),
                ),
                ("dc", "creator", XmpValue::Seq(vec!["Jane Doe".into()])),
            ])),
        };
        let mut out = vec![
            jpeg_with(&plain_jpeg(), &meta).expect("jpeg"),
            png_with(&plain_png(), &meta, &[("Description", "Boats")]).expect("png"),
            tiff_with(&rgb(), WIDTH, HEIGHT, &meta).expect("tiff"),
            webp_with(&plain_webp(), &meta).expect("webp"),
        ];
        out.extend(formats::all().into_iter().map(|(_, bytes, _)| bytes));
        out
    })
}

/// A seed file with up to 16 bytes overwritten and possibly cut short.
fn mutated_file() -> impl Strategy<Value = Vec<u8>> {
    let n = seeds().len();
    (
        0..n,
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
        prop::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(|(which, edits, cut)| {
            let mut bytes = seeds()[which].clone();
            for (at, b) in edits {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len()));
            }
            bytes
        })
}

/// Every reader a scan runs on one file's bytes, as `scan::scan_file` chains them.
fn read_everything(bytes: &[u8]) {
    if let Some(f) = format::sniff(bytes) {
        let _ = imagehash::image_sha256(f, bytes);
        if let Ok(blocks) = container::read_blocks(f, bytes) {
            let meta = metadata::read(&blocks, Some(bytes));
            let _ = metadata::reconcile(&meta);
        }
    }
    for f in ALL_FORMATS {
        let _ = imagehash::image_sha256(f, bytes);
        let _ = container::read_blocks(f, bytes);
    }
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((".{0,8}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Policy-shaped JSON: the real keys with values of any type, plus stray keys.
fn policy_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        prop::sample::select(cutline::policy::KEYS.to_vec()).prop_map(str::to_owned),
        "[a-z_]{1,10}",
    ];
    let value = prop_oneof![
        json_value(),
        prop::collection::vec(".{0,10}", 0..4).prop_map(Value::from),
        prop::collection::vec(
            prop::sample::select(vec![
                "caption", "credit", "alt", "R004", "M002", "error", "off", "[", "**/", "(?i)x",
                "{a,", "\\",
            ]),
            0..4
        )
        .prop_map(Value::from),
    ];
    prop::collection::vec((key, value), 0..6)
        .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>()))
}

/// Text for a manifest field: any characters, including controls, bidi
/// overrides and quotes, which the writer must escape.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,20}",
        "[\\x00-\\x1f\"\\\\\u{202e}\u{2066}\u{feff}\u{85}a ]{0,10}",
    ]
}

fn hash() -> impl Strategy<Value = String> {
    "[0-9a-fA-F]{64}"
}

/// Keys no writer or reader claims, for the unknown-field maps.
fn unknown_key() -> impl Strategy<Value = String> {
    "x_[a-zA-Z0-9_ ]{0,8}"
}

fn item() -> impl Strategy<Value = Item> {
    let fields = prop::collection::vec(
        (
            prop::sample::select(Field::ALL.to_vec()),
            text(),
            any::<bool>(),
        ),
        0..6,
    );
    (
        text(),
        prop::option::of(hash()),
        prop::option::of(hash()),
        prop::option::of(any::<u64>()),
        fields,
        prop::collection::vec(text(), 0..3),
        any::<bool>(),
        prop::collection::vec((unknown_key(), json_value()), 0..3),
    )
        .prop_map(
            |(path, sha, image_sha, size, fields, creator, missing, extra)| {
                let mut item = Item::new(path);
                item.sha256 = sha;
                item.image_sha256 = image_sha;
                item.size = size;
                item.missing = missing;
                for (field, value, alias) in fields {
                    if field == Field::Creator {
                        continue;
                    }
                    if alias && let Some(a) = field.aliases().first() {
                        item.spelling.insert(field, a);
                    }
                    if let Some(slot) = text_slot(&mut item, field) {
                        *slot = Some(value);
                    }
                }
                item.creator = creator;
                item.extra = extra.into_iter().collect();
                item
            },
        )
}

/// The public fields by [`Field`] (the model's own accessor is crate-private).
fn text_slot(item: &mut Item, field: Field) -> Option<&mut Option<String>> {
    Some(match field {
        Field::Caption => &mut item.caption,
        Field::Credit => &mut item.credit,
        Field::Copyright => &mut item.copyright,
        Field::Source => &mut item.source,
        Field::Date => &mut item.date,
        Field::Headline => &mut item.headline,
        Field::Title => &mut item.title,
        Field::Instructions => &mut item.instructions,
        Field::JobId => &mut item.job_id,
        Field::City => &mut item.city,
        Field::Country => &mut item.country,
        Field::Alt => &mut item.alt,
        _ => return None,
    })
}

fn manifest_strategy() -> impl Strategy<Value = Manifest> {
    (
        prop::option::of(text()),
        prop::option::of(prop::collection::vec((".{0,8}", json_value()), 0..4)),
        prop::collection::vec(item(), 0..5),
        prop::collection::vec((unknown_key(), json_value()), 0..3),
    )
        .prop_map(|(root, policy, items, extra)| {
            let mut m = Manifest::new();
            m.root = root;
            m.policy = policy.map(|kv| Value::Object(kv.into_iter().collect()));
            m.items = items;
            m.extra = extra.into_iter().collect();
            m
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic_the_container_and_metadata_readers(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        read_everything(&bytes);
    }

    #[test]
    fn damaged_real_files_never_panic_the_readers(bytes in mutated_file()) {
        read_everything(&bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_iptc_reader(
        bytes in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let irb = iptc::parse_irb(&bytes);
        let _ = iptc::is_stale(&irb);
        let _ = iptc::parse_iim(&bytes);
        let _ = iptc::datasets(&bytes);
    }

    #[test]
    fn iim_shaped_bytes_never_panic_the_iptc_reader(
        parts in prop::collection::vec(
            (0u8..4, any::<u8>(), any::<u16>(), prop::collection::vec(any::<u8>(), 0..12)),
            0..8,
        ),
    ) {
        // Tag markers with random lengths (extended ones too): lengths past the end,
        // extended-length octet counts of 0 or thousands.
        let mut bytes = Vec::new();
        for (record, number, len, data) in parts {
            bytes.extend([0x1c, record, number]);
            bytes.extend(len.to_be_bytes());
            bytes.extend(data);
        }
        let _ = iptc::parse_iim(&bytes);
        let mut irb = b"8BIM\x04\x04\0\0".to_vec();
        irb.extend(u32::try_from(bytes.len()).unwrap_or(0).to_be_bytes());
        irb.extend(&bytes);
        let _ = iptc::parse_irb(&irb);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_xmp_reader(
        bytes in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let _ = xmp::parse_xmp(&bytes);
    }

    #[test]
    fn xml_shaped_text_never_panics_the_xmp_reader(
        parts in prop::collection::vec(
            prop::sample::select(vec![
                "<x:xmpmeta xmlns:x='adobe:ns:meta/'>", "</x:xmpmeta>",
                "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>", "</rdf:RDF>",
                "<rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/' rdf:about=''>",
                "</rdf:Description>", "<dc:description>", "</dc:description>", "<rdf:Alt>",
                "</rdf:Alt>", "<rdf:li xml:lang='x-default'>", "</rdf:li>", "<rdf:Seq>",
                "</rdf:Seq>", "caption", "&amp;", "&#0;", "<!DOCTYPE x>", "<?xpacket?>",
                "rdf:parseType='Resource'", "\u{feff}", "\0",
            ]),
            0..24,
        ),
    ) {
        let _ = xmp::parse_xmp(parts.concat().as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_manifest_loader(
        bytes in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let _ = manifest::parse_bytes(&bytes, Path::new("m.json"));
    }

    #[test]
    fn damaged_manifests_never_panic_the_loader(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = demo_manifest().to_vec();
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        let _ = manifest::parse_bytes(&bytes, Path::new("m.json"));
    }

    #[test]
    fn any_json_never_panics_the_policy_loader(value in policy_value()) {
        if let Ok(p) = Policy::from_value(&value, "p.json") {
            let _ = Policy::for_manifest(Some(&value), "m.json", Some(&p));
            let _ = p.accepts_credit("Jane Doe/Reuters");
            let _ = p.is_ignored("sport/a.jpg");
        }
    }

    #[test]
    fn any_text_never_panics_the_credit_grammar(line in ".{0,60}") {
        let parsed = creditline::parse(&line);
        let _ = parsed.is_house_style();
        let _ = parsed.agencies();
    }

    #[test]
    fn credit_shaped_text_never_panics_the_credit_grammar(
        parts in prop::collection::vec(
            prop::sample::select(vec![
                "(", ")", "[", "]", "\"", "/", " via ", " for ", " of ", "Courtesy ", "©",
                "(c) ", "Photo: ", "Screenshot", "Handout", "Pool", "File", ", ", "; ", " and ",
                "Jane Doe", "Reuters", "AP", "«", "»", "\u{202e}",
            ]),
            0..20,
        ),
    ) {
        let parsed = creditline::parse(&parts.concat());
        let _ = parsed.is_house_style();
        let _ = parsed.agencies();
    }

    #[test]
    fn iim_datasets_round_trip_through_encode_iim(
        fields in prop::collection::vec(
            (any::<u8>(), any::<u8>(), prop::collection::vec(any::<u8>(), 0..64)),
            0..12,
        ),
        long in prop::option::of(32_760usize..32_800),
    ) {
        let mut fields = fields;
        // Values around 32767 bytes cross into the extended length (IIM 4.2 §1.5.2).
        if let Some(n) = long {
            fields.push((2, 120, vec![b'a'; n]));
        }
        let borrowed: Vec<(u8, u8, &[u8])> =
            fields.iter().map(|(r, n, d)| (*r, *n, d.as_slice())).collect();
        let bytes = iptc::encode_iim(&borrowed);
        let (back, warnings) = iptc::datasets(&bytes);
        prop_assert!(warnings.is_empty(), "{warnings:?}");
        let back: Vec<(u8, u8, &[u8])> = back.iter().map(|d| (d.record, d.number, d.data)).collect();
        prop_assert_eq!(back, borrowed);
    }

    #[test]
    fn iim_text_fields_round_trip_through_parse_iim(
        caption in "[^\\x00]{0,40}",
        credit in "[^\\x00]{0,32}",
        keywords in prop::collection::vec("[^\\x00]{0,16}", 0..4),
    ) {
        let mut fields: Vec<(u8, u8, &[u8])> = vec![
            (1, 90, b"\x1b%G"),
            (2, 120, caption.as_bytes()),
            (2, 110, credit.as_bytes()),
        ];
        for k in &keywords {
            fields.push((2, 25, k.as_bytes()));
        }
        let iim = iptc::parse_iim(&iptc::encode_iim(&fields));
        prop_assert!(iim.warnings.is_empty(), "{:?}", iim.warnings);
        prop_assert_eq!(iim.fields.get("Caption-Abstract"), Some(&FieldValue::Text(caption)));
        prop_assert_eq!(iim.fields.get("Credit"), Some(&FieldValue::Text(credit)));
        let want = (!keywords.is_empty()).then_some(FieldValue::List(keywords));
        prop_assert_eq!(iim.fields.get("Keywords"), want.as_ref());
    }

    #[test]
    fn manifest_round_trips_through_to_json(m in manifest_strategy()) {
        let json = manifest::to_json(&m);
        let back = manifest::parse(&json, Path::new("m.json"));
        prop_assert!(back.is_ok(), "{json}\n{back:?}");
        let back = back.expect("checked");
        prop_assert_eq!(&back, &m, "{}", json);
        // Writing again gives the same bytes: a rewrite without changes is no diff.
        prop_assert_eq!(manifest::to_json(&back), json);
    }
}

fn demo_manifest() -> &'static [u8] {
    include_bytes!("../manifests/demo/needs-work.json")
}
