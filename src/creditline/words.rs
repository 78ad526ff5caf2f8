//! The grammar's word lists (agencies, organisation words, name connectors and particles,
//! dangling words), kept in `words.txt` so an editor can extend them without reading Rust,
//! compiled in and parsed once.

use std::sync::LazyLock;

use super::lex::with_normalized;

/// The lists as shipped: compiled into the binary, so a run never reads a file for them.
const DATA: &str = include_str!("words.txt");

/// Parsed on first use; every later lookup is a binary search with no allocation.
///
/// `words.txt` is part of the source, and `tests::data_file_parses` fails the build's tests
/// if it stops parsing. Were it to fail anyway, the lists come out empty (every agency
/// unknown, every name judged by its shape alone) rather than a panic in a user's run.
static WORDS: LazyLock<Words> = LazyLock::new(|| parse(DATA).unwrap_or_default());

/// One sorted list per `[section]` of `words.txt`.
#[derive(Debug, Default)]
struct Words {
    agencies: Vec<&'static str>,
    organisation_words: Vec<&'static str>,
    connectors: Vec<&'static str>,
    particles: Vec<&'static str>,
    dangling: Vec<&'static str>,
}

/// Why `words.txt` does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum WordsError {
    /// A word before the first `[section]` line.
    #[error("words.txt line {line}: `{word}` comes before any [section]")]
    OutsideSection {
        /// 1-based line number.
        line: usize,
        /// The word.
        word: &'static str,
    },
    /// A `[section]` the grammar does not use.
    #[error("words.txt line {line}: unknown section [{name}]")]
    UnknownSection {
        /// 1-based line number.
        line: usize,
        /// The section's name.
        name: &'static str,
    },
}

fn parse(text: &'static str) -> Result<Words, WordsError> {
    let mut words = Words::default();
    let mut current: Option<&mut Vec<&'static str>> = None;
    for (at, raw) in text.lines().enumerate() {
        let line = at.saturating_add(1);
        let word = raw.trim();
        if word.is_empty() || word.starts_with('#') {
            continue;
        }
        if let Some(name) = word.strip_prefix('[').and_then(|w| w.strip_suffix(']')) {
            current = Some(match name {
                "agencies" => &mut words.agencies,
                "organisation-words" => &mut words.organisation_words,
                "connectors" => &mut words.connectors,
                "particles" => &mut words.particles,
                "dangling" => &mut words.dangling,
                _ => return Err(WordsError::UnknownSection { line, name }),
            });
            continue;
        }
        match current.as_mut() {
            Some(list) => list.push(word),
            None => return Err(WordsError::OutsideSection { line, word }),
        }
    }
    // Sorted here rather than trusted, so a misplaced line cannot hide a word from the search.
    for list in [
        &mut words.agencies,
        &mut words.organisation_words,
        &mut words.connectors,
        &mut words.particles,
        &mut words.dangling,
    ] {
        list.sort_unstable();
    }
    Ok(words)
}

fn contains(list: &[&str], word: &str) -> bool {
    list.binary_search(&word).is_ok()
}

/// On the built-in agency list (case-insensitive, a leading "The" ignored).
pub fn is_known(s: &str) -> bool {
    let agencies = &WORDS.agencies;
    with_normalized(s, |n| contains(agencies, n))
}

/// A word (lowercase) that makes a phrase an organisation rather than a person.
pub(super) fn is_organisation_word(lower: &str) -> bool {
    contains(&WORDS.organisation_words, lower)
}

/// A lowercase word allowed inside a name (`of`, `de`, `and`).
pub(super) fn is_connector(lower: &str) -> bool {
    contains(&WORDS.connectors, lower)
}

/// A lowercase particle inside a person's name (`van`, `de`, `al`).
pub(super) fn is_particle(lower: &str) -> bool {
    contains(&WORDS.particles, lower)
}

/// A word (lowercase) a credit cannot end with (`via`, `of`, `by` …).
pub(super) fn is_dangling(lower: &str) -> bool {
    contains(&WORDS.dangling, lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(w: &Words) -> [(&'static str, &[&'static str]); 5] {
        [
            ("agencies", w.agencies.as_slice()),
            ("organisation-words", w.organisation_words.as_slice()),
            ("connectors", w.connectors.as_slice()),
            ("particles", w.particles.as_slice()),
            ("dangling", w.dangling.as_slice()),
        ]
    }

    #[test]
    fn data_file_parses() {
        let w = parse(DATA).unwrap();
        for (name, list) in lists(&w) {
            assert!(!list.is_empty(), "[{name}] is empty");
        }
        assert_eq!(w.agencies.len(), 102);
    }

    #[test]
    fn data_file_has_no_duplicates() {
        let w = parse(DATA).unwrap();
        for (name, list) in lists(&w) {
            let twice: Vec<_> = list.windows(2).filter(|p| p[0] == p[1]).collect();
            assert!(twice.is_empty(), "[{name}] repeats {twice:?}");
        }
    }

    #[test]
    fn data_file_is_sorted_and_lowercase() {
        // Lookups are made with lowercased, single-spaced keys: any other spelling never matches.
        let mut section = "";
        let mut previous = "";
        for line in DATA
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            if line.starts_with('[') {
                (section, previous) = (line, "");
                continue;
            }
            assert_eq!(
                line,
                line.to_lowercase(),
                "{section} {line:?} is not lowercase"
            );
            assert_eq!(
                line,
                line.split_whitespace().collect::<Vec<_>>().join(" "),
                "{section} {line:?} has stray spaces"
            );
            assert!(previous < line, "{section}: {line:?} after {previous:?}");
            previous = line;
        }
    }

    #[test]
    fn malformed_data_is_refused() {
        assert_eq!(
            parse("aap\n").unwrap_err(),
            WordsError::OutsideSection {
                line: 1,
                word: "aap"
            }
        );
        assert_eq!(
            parse("# c\n[agencie]\naap\n").unwrap_err(),
            WordsError::UnknownSection {
                line: 2,
                name: "agencie"
            }
        );
    }

    #[test]
    fn agency_list_is_sorted_for_binary_search() {
        assert!(WORDS.agencies.windows(2).all(|w| w[0] < w[1]));
        assert!(is_known("The Associated Press") && is_known("REUTERS") && is_known("dpa"));
        assert!(!is_known("Jane Doe"));
    }

    #[test]
    fn lookups_answer_as_the_lists_say() {
        assert!(is_organisation_word("press") && !is_organisation_word("jane"));
        assert!(is_connector("'s") && is_connector("of") && !is_connector("doe"));
        assert!(is_particle("van") && !is_particle("of"));
        assert!(is_dangling("&") && is_dangling("via") && !is_dangling("reuters"));
    }
}
