//! Escapes untrusted text (captions, credits, file names) before it reaches a terminal.

use std::fmt::Write;

/// Escapes control characters, bidi overrides and other invisible format
/// characters so that a caption cannot move the cursor, recolour the
/// terminal or reorder what the reader sees (CVE-2021-42574 "Trojan
/// Source" is the bidi case). Printable text, including non-ASCII letters,
/// passes through unchanged.
pub fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if needs_escape(c) {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                _ => {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "\\u{{{:04x}}}", c as u32);
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// True for characters that must never reach a terminal raw.
pub fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible_format(c)
}

/// Unicode bidirectional formatting characters (UAX #9 §2): embeddings,
/// overrides, isolates and the implicit marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Zero-width and other invisible format characters that hide text.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2028}' | '\u{2029}' | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_and_accents_pass() {
        assert_eq!(
            for_terminal("Søren Østergaard/Nordic"),
            "Søren Østergaard/Nordic"
        );
    }

    #[test]
    fn escapes_ansi_and_newlines() {
        assert_eq!(for_terminal("a\x1b[31mb\nc"), "a\\u{001b}[31mb\\nc");
    }

    #[test]
    fn escapes_bidi_override() {
        assert_eq!(for_terminal("abc\u{202E}def"), "abc\\u{202e}def");
        assert_eq!(for_terminal("x\u{2066}y"), "x\\u{2066}y");
    }
}
