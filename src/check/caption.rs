//! Caption rules: missing (C001), placeholder (C002), duplicate (C003), differs from embedded (C004), too long for IIM (C005), bad characters (C006), length (C007).

use std::collections::HashMap;

use rayon::prelude::*;

use crate::check::{Joined, Sink, text_or_embedded};
use crate::manifest::Field;
use crate::metadata::reconcile::is_camera_boilerplate;
use crate::rules::Code;
use crate::sanitize;
use crate::textnorm::{comparable, same_comparable};

/// IIM 2:120 Caption-Abstract holds at most 2000 octets (IIM 4.2, §6.2).
const IIM_CAPTION_LIMIT: usize = 2000;

/// Phrases editors type where a caption will go later.
const PLACEHOLDER_PHRASES: &[&str] = &[
    "lorem ipsum",
    "caption here",
    "caption to come",
    "caption tk",
    "insert caption",
    "add caption",
    "caption goes here",
    "[caption]",
    "placeholder",
    "no caption",
];

/// Rules on one item's caption.
pub(super) fn check_item(j: &Joined<'_>, sink: &mut Sink) {
    let path = &j.item.path;
    let embedded = j.record.and_then(|r| r.effective().caption.as_deref());
    let manifest = j.item.caption.as_deref().filter(|c| !c.trim().is_empty());
    let Some(caption) = text_or_embedded(manifest, embedded) else {
        if !sink.policy.requires(Field::Caption) {
            return;
        }
        sink.add(
            sink.build(
                Code::C001,
                path,
                "no caption in the manifest and none embedded in the file",
            )
            .field("caption"),
        );
        return;
    };
    // The policy outlives the sink's borrow, so `why` may be held across `sink.add`.
    let policy = sink.policy;
    if let Some(why) = placeholder(caption).or_else(|| policy.placeholder_in(caption)) {
        sink.add(
            sink.build(
                Code::C002,
                path,
                format!("caption is a placeholder ({why})"),
            )
            .field("caption")
            .actual(caption),
        );
    } else {
        check_length(path, caption, sink);
    }
    if let Some(why) = bad_characters(caption) {
        sink.add(
            sink.build(Code::C006, path, format!("caption has {why}"))
                .field("caption")
                .actual(caption),
        );
    }
    // Only where the file carries IIM (see R008).
    if caption.len() > IIM_CAPTION_LIMIT && j.record.is_some_and(|r| r.has_iptc) {
        sink.add(
            sink.build(
                Code::C005,
                path,
                format!(
                    "caption is {} bytes; IIM 2:120 Caption-Abstract holds {IIM_CAPTION_LIMIT}, so IPTC-only readers will see it cut",
                    caption.len()
                ),
            )
            .field("caption"),
        );
    }
    if let (Some(m), Some(e)) = (manifest, embedded)
        && !same_comparable(m, e)
    {
        sink.add(
            sink.build(
                Code::C004,
                path,
                "manifest caption differs from the caption embedded in the file",
            )
            .field("caption")
            .expected(m)
            .actual(e),
        );
    }
}

/// C007: the caption against the policy's `caption.min_length` and
/// `caption.max_length`, in characters (not bytes: a length rule is about
/// what a reader sees). A placeholder is not also measured.
fn check_length(path: &str, caption: &str, sink: &mut Sink) {
    let limits = sink.policy.caption_length();
    if limits == (None, None) {
        return; // the usual case: no need to count
    }
    let chars = caption.trim().chars().count() as u64;
    let why = match limits {
        (Some(min), _) if chars < min => {
            format!("{chars} characters, under the house minimum of {min}")
        }
        (_, Some(max)) if chars > max => {
            format!("{chars} characters, over the house maximum of {max}")
        }
        _ => return,
    };
    sink.add(
        sink.build(Code::C007, path, format!("caption is {why}"))
            .field("caption"),
    );
}

/// C003: items of one manifest sharing a caption. Reported on every item
/// after the first, naming the first.
pub(super) fn check_duplicates(joined: &[Joined<'_>], sink: &mut Sink) {
    let policy = sink.policy;
    // Each caption's comparison key, computed on every core; the first
    // holder of a key is then found in manifest order.
    let keyed: Vec<Option<(&str, String)>> = joined
        .par_iter()
        .with_min_len(256)
        .map(|j| {
            let embedded = j.record.and_then(|r| r.effective().caption.as_deref());
            let manifest = j.item.caption.as_deref().filter(|c| !c.trim().is_empty());
            let caption = text_or_embedded(manifest, embedded)?;
            if placeholder(caption).is_some() || policy.placeholder_in(caption).is_some() {
                return None; // C002 already says it; a shared "TK" is not a second problem
            }
            let mut key = comparable(caption);
            if key.is_ascii() {
                key.make_ascii_lowercase(); // what `to_lowercase` does to ASCII, in place
            } else {
                key = key.to_lowercase();
            }
            Some((caption, key))
        })
        .collect();
    let mut first: HashMap<String, &str> = HashMap::new();
    for (j, keyed) in joined.iter().zip(keyed) {
        let Some((caption, key)) = keyed else {
            continue;
        };
        match first.get(&key) {
            Some(p) => sink.add(
                sink.build(Code::C003, &j.item.path, format!("same caption as `{p}`"))
                    .field("caption")
                    .actual(caption),
            ),
            None => {
                first.insert(key, &j.item.path);
            }
        }
    }
}

/// Why `caption` is a placeholder, or `None`.
pub(crate) fn placeholder(caption: &str) -> Option<&'static str> {
    let t = caption.trim();
    if is_camera_boilerplate(t) {
        return Some("camera boilerplate");
    }
    if is_camera_file_name(t) {
        return Some("a camera file name");
    }
    // "TK" (to come) is newsroom shorthand; only as a word in capitals,
    // since "tk" appears inside real words and names. A TK anywhere outranks
    // an XXX before it.
    let mut xxx = false;
    let words = if may_hold_tk_or_xxx(t) { t } else { "" };
    for w in words.split(|c: char| !c.is_alphanumeric()) {
        if matches!(w, "TK" | "TKTK" | "TKTKTK") {
            return Some("TK");
        }
        xxx |= w.len() >= 3 && w.chars().all(|c| c == 'x' || c == 'X');
    }
    if xxx {
        return Some("XXX");
    }
    has_placeholder_phrase(t).then_some("placeholder text")
}

/// Whether `t` has the bytes a TK word (`TK`) or an XXX word (three `x` or `X`) needs: a
/// byte scan that spares splitting most captions into words.
fn may_hold_tk_or_xxx(t: &str) -> bool {
    let mut prev = 0u8;
    let mut xs = 0usize;
    for &b in t.as_bytes() {
        if (prev, b) == (b'T', b'K') {
            return true;
        }
        xs = if b == b'x' || b == b'X' {
            xs.saturating_add(1)
        } else {
            0
        };
        if xs >= 3 {
            return true;
        }
        prev = b;
    }
    false
}

/// Room on the stack for a caption lowercased by [`has_placeholder_phrase`]; a longer one
/// takes the allocating path.
const PHRASE_BUF: usize = 1024;

/// Whether `t.to_lowercase()` contains one of the placeholder phrases.
fn has_placeholder_phrase(t: &str) -> bool {
    // The phrases are lowercase ASCII and can only match ASCII bytes, and `to_lowercase`
    // maps every non-ASCII char to non-ASCII chars but for the Kelvin sign (to `k`) and the
    // dotted capital I (to `i` and a combining dot): without those two, lowercasing the
    // ASCII letters alone, on the stack, finds exactly the same phrases. (Two single-char
    // searches: each is a fast byte search, unlike one search for either char.)
    let mut buf = [0u8; PHRASE_BUF];
    if (t.is_ascii() || !(t.contains('\u{212A}') || t.contains('\u{0130}')))
        && let Some(dst) = buf.get_mut(..t.len())
    {
        dst.copy_from_slice(t.as_bytes());
        dst.make_ascii_lowercase();
        if let Ok(lower) = std::str::from_utf8(dst) {
            return PLACEHOLDER_PHRASES.iter().any(|p| lower.contains(p));
        }
    }
    let lower = t.to_lowercase();
    PLACEHOLDER_PHRASES.iter().any(|p| lower.contains(p))
}

/// `IMG_1234`, `DSC01234.JPG`, `P1010001`: the name a camera gave the file.
fn is_camera_file_name(t: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "IMG", "DSC", "DSCN", "DSCF", "P", "PICT", "DCP", "GOPR", "PXL", "MVIMG",
    ];
    let stem = t.rsplit_once('.').map_or(t, |(s, ext)| {
        if ext.len() <= 4 && ext.chars().all(|c| c.is_ascii_alphanumeric()) {
            s
        } else {
            t
        }
    });
    let prefix_len = stem
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '_' || *c == '-')
        .count();
    let (prefix, digits) = stem.split_at(prefix_len);
    let prefix = prefix.trim_matches(|c| c == '_' || c == '-');
    digits.len() >= 3
        && digits.chars().all(|c| c.is_ascii_digit())
        && PREFIXES.iter().any(|p| p.eq_ignore_ascii_case(prefix))
}

/// What is wrong with the characters of `caption`, or `None`.
pub(crate) fn bad_characters(caption: &str) -> Option<String> {
    // One pass gathers what the checks below need, in their order of precedence.
    let (mut bidi, mut control) = (None, None);
    let (mut straight, mut open, mut close) = (0usize, 0usize, 0usize);
    if caption.is_ascii() {
        // No bidi controls or curly quotes in ASCII, and its control chars are the C0 ones
        // and DEL: byte tests suffice.
        let bytes = caption.as_bytes();
        control = bytes
            .iter()
            .find(|b| b.is_ascii_control())
            .map(|&b| char::from(b));
        straight = bytes.iter().filter(|&&b| b == b'"').count();
    } else {
        for c in caption.chars() {
            if bidi.is_none() && sanitize::is_bidi_control(c) {
                bidi = Some(c);
            }
            if control.is_none() && c.is_control() {
                control = Some(c);
            }
            match c {
                '"' => straight = straight.saturating_add(1),
                '\u{201C}' => open = open.saturating_add(1),
                '\u{201D}' => close = close.saturating_add(1),
                _ => {}
            }
        }
    }
    if let Some(c) = bidi {
        return Some(format!("a bidi control character U+{:04X}", c as u32));
    }
    if let Some(c) = control {
        return Some(format!("a control character U+{:04X}", c as u32));
    }
    if caption.trim().contains("  ") {
        return Some("doubled spaces".into());
    }
    if straight % 2 == 1 {
        return Some("an unbalanced straight quote (\")".into());
    }
    if open != close {
        return Some("unbalanced curly quotes (\u{201C} \u{201D})".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "TK",
            "Caption TK",
            "XXX",
            "Lorem ipsum dolor sit amet",
            "Caption here",
            "OLYMPUS DIGITAL CAMERA",
            "IMG_1234",
            "DSC01234.JPG",
        ] {
            assert!(placeholder(p).is_some(), "{p}");
        }
        for ok in [
            "Fishing boats leave the harbor at dawn in Ullapool, Scotland, on May 3, 2024.",
            "Residents of Tkvarcheli gather in the square.",
            "The Xbox launch event in Seattle.",
            "Image 3 of the series hangs in the gallery.",
        ] {
            assert_eq!(placeholder(ok), None, "{ok}");
        }
    }

    /// `has_placeholder_phrase` lowercases ASCII letters only, which finds the same ASCII
    /// phrases as `to_lowercase` only while no other char lowercases to anything ASCII.
    #[test]
    fn only_kelvin_and_dotted_i_lowercase_to_ascii() {
        let to_ascii: Vec<char> = (0x80..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| c.to_lowercase().any(|l| l.is_ascii()))
            .collect();
        assert_eq!(to_ascii, ['\u{0130}', '\u{212A}']);
        assert!(
            PLACEHOLDER_PHRASES
                .iter()
                .all(|p| { !p.is_empty() && p.is_ascii() && p.to_ascii_lowercase() == *p })
        );
        for t in [
            "Caption T\u{212A} at the harbor",
            "CAPTION T\u{212A}",
            "\u{0130}nsert caption",
            "Lorem ipsum",
            "Ana García: caption here",
            "Ana García: CAPTION HERE",
            "caption her",
            "",
            "[Caption]",
            "xx placeholde",
        ] {
            assert_eq!(
                has_placeholder_phrase(t),
                PLACEHOLDER_PHRASES
                    .iter()
                    .any(|p| t.to_lowercase().contains(p)),
                "{t:?}"
            );
        }
    }

    #[test]
    fn characters() {
        assert!(bad_characters("a\u{202E}b").is_some());
        assert!(bad_characters("a\tb").is_some());
        assert!(bad_characters("two  spaces").is_some());
        assert!(bad_characters("\"Organ Crimes,\" an oil painting").is_none());
        assert!(bad_characters("\"Organ Crimes, an oil painting").is_some());
        assert!(bad_characters("\u{201C}Quoted\u{201D} fine").is_none());
        // ASCII's control chars by byte are `char::is_control`'s.
        for b in 0u8..=0x7F {
            assert_eq!(b.is_ascii_control(), char::from(b).is_control(), "{b:#x}");
        }
    }
}
