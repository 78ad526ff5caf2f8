//! Caption rules: missing (C001), placeholder (C002), duplicate (C003), differs from embedded (C004), too long for IIM (C005), bad characters (C006), length (C007).

use std::collections::HashMap;

use rayon::prelude::*;

use crate::check::{Joined, Sink, text_or_embedded};
use crate::manifest::Field;
use crate::metadata::reconcile::is_camera_boilerplate;
use crate::rules::Code;
use crate::sanitize;
use crate::textnorm::comparable;

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
    let embedded = j.record.and_then(|r| r.effective.caption.as_deref());
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
    let house_placeholder = sink.policy.placeholder_in(caption).map(str::to_owned);
    if let Some(why) = placeholder(caption)
        .map(str::to_owned)
        .or(house_placeholder)
    {
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
        && comparable(m) != comparable(e)
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
    let chars = caption.trim().chars().count() as u64;
    let why = match sink.policy.caption_length() {
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
            let embedded = j.record.and_then(|r| r.effective.caption.as_deref());
            let manifest = j.item.caption.as_deref().filter(|c| !c.trim().is_empty());
            let caption = text_or_embedded(manifest, embedded)?;
            if placeholder(caption).is_some() || policy.placeholder_in(caption).is_some() {
                return None; // C002 already says it; a shared "TK" is not a second problem
            }
            Some((caption, comparable(caption).to_lowercase()))
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
    // since "tk" appears inside real words and names.
    let words: Vec<&str> = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| matches!(*w, "TK" | "TKTK" | "TKTKTK")) {
        return Some("TK");
    }
    if words
        .iter()
        .any(|w| w.len() >= 3 && w.chars().all(|c| c == 'x' || c == 'X'))
    {
        return Some("XXX");
    }
    let lower = t.to_lowercase();
    PLACEHOLDER_PHRASES
        .iter()
        .find(|p| lower.contains(*p))
        .map(|_| "placeholder text")
}

/// `IMG_1234`, `DSC01234.JPG`, `P1010001`: the name a camera gave the file.
fn is_camera_file_name(t: &str) -> bool {
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
    let prefix = prefix
        .trim_matches(|c| c == '_' || c == '-')
        .to_ascii_uppercase();
    digits.len() >= 3
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(
            prefix.as_str(),
            "IMG" | "DSC" | "DSCN" | "DSCF" | "P" | "PICT" | "DCP" | "GOPR" | "PXL" | "MVIMG"
        )
}

/// What is wrong with the characters of `caption`, or `None`.
pub(crate) fn bad_characters(caption: &str) -> Option<String> {
    if let Some(c) = caption.chars().find(|c| sanitize::is_bidi_control(*c)) {
        return Some(format!("a bidi control character U+{:04X}", c as u32));
    }
    if let Some(c) = caption.chars().find(|c| c.is_control()) {
        return Some(format!("a control character U+{:04X}", c as u32));
    }
    if caption.trim().contains("  ") {
        return Some("doubled spaces".into());
    }
    if caption.chars().filter(|c| *c == '"').count() % 2 == 1 {
        return Some("an unbalanced straight quote (\")".into());
    }
    let open = caption.chars().filter(|c| *c == '\u{201C}').count();
    let close = caption.chars().filter(|c| *c == '\u{201D}').count();
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

    #[test]
    fn characters() {
        assert!(bad_characters("a\u{202E}b").is_some());
        assert!(bad_characters("a\tb").is_some());
        assert!(bad_characters("two  spaces").is_some());
        assert!(bad_characters("\"Organ Crimes,\" an oil painting").is_none());
        assert!(bad_characters("\"Organ Crimes, an oil painting").is_some());
        assert!(bad_characters("\u{201C}Quoted\u{201D} fine").is_none());
    }
}
