//! Telling names apart by their shape: a proper name, a person's name, an agency's.

use super::lex::{has_alnum, with_lower};
use super::words::{is_connector, is_known, is_organisation_word, is_particle};

/// Letters with no case (CJK, Arabic …) count as capitalized.
fn caseless(c: char) -> bool {
    c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase()
}

/// Looks like a proper name: capitalized words, lowercase connectors inside, no sentence.
pub(super) fn namey(s: &str) -> bool {
    // One pass, no list of words: every word must pass, so stopping at the first that fails
    // (or at the 13th) answers as the whole list would.
    let mut words = s.split_whitespace().peekable();
    let mut count = 0usize;
    while let Some(w) = words.next() {
        let k = count;
        count = count.saturating_add(1);
        if count > 12 {
            return false;
        }
        let inner = k > 0 && words.peek().is_some();
        let allowed = |c: char| c.is_alphanumeric() || ".-'’&,@_!+".contains(c);
        if !w.chars().all(allowed) || !has_alnum(w) && w != "&" {
            return false;
        }
        if inner
            && with_lower(w.trim_end_matches(','), |bare| {
                bare == "&" || is_connector(bare)
            })
        {
            continue;
        }
        let first = w.chars().next();
        let capital = first.is_some_and(|c| c.is_uppercase() || c.is_numeric() || caseless(c));
        let handle = first == Some('@');
        let inner_capital = w.chars().any(char::is_uppercase); // iStock, eBay
        if !(capital || handle || inner_capital) {
            return false;
        }
    }
    count > 0
}

/// Looks like a person: 2–4 capitalized words (particles aside), no digits, no organisation
/// word, not a known agency, not all capitals.
pub(super) fn person_like(s: &str) -> bool {
    if is_known(s) {
        return false;
    }
    let mut words = s.split_whitespace().peekable();
    let mut names = 0usize;
    let mut count = 0usize;
    let mut k = 0usize;
    while let Some(w) = words.next() {
        let inner = k > 0 && words.peek().is_some();
        k = k.saturating_add(1);
        let (org, particle) = with_lower(w, |lower| {
            let bare = lower.trim_end_matches(['.', ',']);
            (is_organisation_word(bare), is_particle(bare))
        });
        if org {
            return false;
        }
        if inner && particle {
            continue;
        }
        if !w
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
        {
            return false;
        }
        let first = w.chars().next();
        if !first.is_some_and(|c| c.is_uppercase() || caseless(c)) {
            return false;
        }
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 2 {
            // All capitals ("NASA", "EPA") reads as an acronym, not a name.
            if !w.chars().any(|c| c.is_lowercase() || caseless(c)) {
                return false;
            }
            names = names.saturating_add(1);
        }
        count = count.saturating_add(1);
    }
    (2..=4).contains(&count) && names >= 1
}

/// Looks like an agency: known, an acronym, or holding an organisation word.
pub(super) fn agencyish(s: &str) -> bool {
    if is_known(s) {
        return true;
    }
    let mut words = s.split_whitespace();
    if let (Some(one), None) = (words.next(), words.next()) {
        let letters = one.chars().filter(|c| c.is_alphabetic()).count();
        if (2..=6).contains(&letters) && !one.chars().any(char::is_lowercase) {
            return true;
        }
    }
    s.split_whitespace().any(|w| {
        with_lower(w, |lower| {
            is_organisation_word(lower.trim_end_matches(['.', ',']))
        })
    })
}
