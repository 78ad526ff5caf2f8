//! Normalizes text for comparison: NFC, trimmed, runs of white space folded to one space.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// `s` in the form two texts are compared in (docs/design.md §4: "after
/// trimming and NFC"; runs of white space count as one, since IIM and XMP
/// writers differ in line endings and padding).
pub fn comparable(s: &str) -> String {
    let nfc = nfc(s);
    if is_folded_ascii(&nfc) {
        return nfc.into_owned(); // most captions: nothing to fold, one copy
    }
    let mut out = String::with_capacity(nfc.len());
    for word in nfc.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `comparable(a) == comparable(b)`, without building either: the folded texts are equal
/// exactly when their words are.
pub fn same_comparable(a: &str, b: &str) -> bool {
    if a == b {
        return true; // the usual case: the manifest says what the file does
    }
    let (a, b) = (nfc(a), nfc(b));
    if is_folded_ascii(&a) && is_folded_ascii(&b) {
        return a == b;
    }
    a.split_whitespace().eq(b.split_whitespace())
}

/// ASCII with no white space but single spaces between words: `comparable` leaves it as is.
fn is_folded_ascii(s: &str) -> bool {
    // Starting as if after a space rejects a leading one.
    let mut after_space = true;
    for &c in s.as_bytes() {
        if c == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if !c.is_ascii() || char::from(c).is_whitespace() {
            return false;
        } else {
            after_space = false;
        }
    }
    !after_space || s.is_empty()
}

/// Unicode NFC of `s`, borrowed when it already is (nearly always). macOS
/// file systems hand back decomposed names (NFD) where an editor typed
/// composed ones: "é" must match "e\u{301}".
pub fn nfc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s); // ASCII is NFC; spare the per-char quick check
    }
    // Most text is already NFC (all ASCII text is): the quick check (UAX #15
    // §9) spares building a composed copy, which was a fifth of `check`'s time.
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        _ => Cow::Owned(s.nfc().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_composes() {
        assert_eq!(comparable("  Malmo\u{0308}\r\n  harbor "), "Malmö harbor");
        assert_eq!(comparable("plain\tascii  text"), "plain ascii text");
        assert_eq!(comparable("Malmö"), "Malmö");
    }

    #[test]
    fn same_comparable_agrees_with_comparing_the_folded_texts() {
        let texts = [
            "",
            "   ",
            "Malmö harbor",
            "  Malmo\u{0308}\r\n  harbor ",
            "Malmö  harbor",
            "Malmöharbor",
            "plain ascii text",
            "plain\tascii\u{00A0}text",
            "plain ascii",
            "a b",
            "ab",
            "a  b ",
            " a",
            "a ",
            "a\u{000B}b",
            "a\u{001F}b",
            "a\u{0085}b",
            "A\u{030A}ngstr\u{00F6}m",
            "\u{00C5}ngstr\u{00F6}m",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(
                    same_comparable(a, b),
                    comparable(a) == comparable(b),
                    "{a:?} vs {b:?}"
                );
                // The folded-ASCII shortcut must fold as the general path does.
                let general: Vec<&str> = a.split_whitespace().collect();
                if a.is_ascii() {
                    assert_eq!(comparable(a), general.join(" "), "{a:?}");
                }
            }
        }
    }
}
