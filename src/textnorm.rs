//! Normalizes text for comparison: NFC, trimmed, runs of white space folded to one space.

use unicode_normalization::UnicodeNormalization;

/// `s` in the form two texts are compared in (DESIGN.md §4: "after
/// trimming and NFC"; runs of white space count as one, since IIM and XMP
/// writers differ in line endings and padding).
pub fn comparable(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    for word in nfc.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_composes() {
        assert_eq!(comparable("  Malmo\u{0308}\r\n  harbor "), "Malmö harbor");
    }
}
