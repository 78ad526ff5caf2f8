//! The grammar's word lists: agencies, organisation words, name connectors and particles,
//! dangling words.

use super::lex::with_normalized;

/// Well-known agencies, wires and publications, lowercase, without a leading "the".
const KNOWN_AGENCIES: &[&str] = &[
    "aap",
    "aap image",
    "abaca",
    "abaca press",
    "afp",
    "afp photo",
    "agence france-presse",
    "alamy",
    "alamy stock photo",
    "anadolu",
    "anadolu agency",
    "anp",
    "ansa",
    "ap",
    "ap images",
    "ap photo",
    "apa",
    "associated press",
    "bbc",
    "belga",
    "bloomberg",
    "bloomberg news",
    "canadian press",
    "china news service",
    "cnn",
    "corbis",
    "cp",
    "dpa",
    "efe",
    "epa",
    "epa images",
    "epa-efe",
    "epoch times",
    "esa",
    "europa press",
    "filmmagic",
    "gamma",
    "gamma-rapho",
    "getty",
    "getty images",
    "guardian",
    "imaginechina",
    "imagn",
    "istock",
    "jiji",
    "jiji press",
    "jpl",
    "kcna",
    "keystone",
    "kyodo",
    "kyodo news",
    "los angeles times",
    "lusa",
    "magnum",
    "magnum photos",
    "nasa",
    "new york times",
    "news1",
    "newsis",
    "noaa",
    "ntb",
    "ntd",
    "ntd television",
    "nurphoto",
    "pa",
    "pa images",
    "pa media",
    "pa wire",
    "picture alliance",
    "picture-alliance",
    "polaris",
    "pool",
    "redux",
    "reuters",
    "reuters pictures",
    "ria novosti",
    "ritzau",
    "scanpix",
    "shutterstock",
    "sipa",
    "sipa press",
    "sipa usa",
    "sopa images",
    "sputnik",
    "tass",
    "tt",
    "tt news agency",
    "unsplash",
    "upi",
    "usa today",
    "vcg",
    "visual china group",
    "wall street journal",
    "washington post",
    "wikimedia commons",
    "wireimage",
    "xinhua",
    "xinhua news agency",
    "yonhap",
    "zuma",
    "zuma press",
    "zuma wire",
];

/// Words that make a phrase an organisation rather than a person.
const ORG_WORDS: &[&str] = &[
    "agency",
    "archive",
    "archives",
    "army",
    "association",
    "broadcasting",
    "bureau",
    "center",
    "centre",
    "channel",
    "club",
    "collection",
    "collections",
    "college",
    "commission",
    "committee",
    "commons",
    "company",
    "corp",
    "corporation",
    "corps",
    "council",
    "daily",
    "department",
    "division",
    "embassy",
    "entertainment",
    "facebook",
    "federal",
    "file",
    "films",
    "force",
    "foundation",
    "gallery",
    "gazette",
    "government",
    "group",
    "handout",
    "herald",
    "hospital",
    "image",
    "images",
    "inc",
    "institute",
    "institution",
    "instagram",
    "international",
    "journal",
    "laboratory",
    "library",
    "ltd",
    "llc",
    "magazine",
    "media",
    "ministry",
    "museum",
    "national",
    "navy",
    "network",
    "news",
    "newspaper",
    "observatory",
    "office",
    "photo",
    "photos",
    "picture",
    "pictures",
    "police",
    "pool",
    "post",
    "press",
    "productions",
    "project",
    "radio",
    "records",
    "resource",
    "school",
    "screenshot",
    "service",
    "services",
    "society",
    "studio",
    "studios",
    "survey",
    "team",
    "television",
    "times",
    "tribune",
    "trust",
    "tv",
    "twitter",
    "university",
    "weibo",
    "wire",
    "youtube",
];

/// Lowercase words allowed inside a name (`Library of Congress`, `Ludwig van Beethoven`).
const CONNECTORS: &[&str] = &[
    "'n'", "'s", "a", "al", "an", "and", "at", "bin", "da", "das", "de", "del", "della", "den",
    "der", "des", "di", "do", "dos", "du", "e", "el", "en", "et", "for", "het", "ibn", "in", "la",
    "le", "les", "of", "on", "och", "og", "ter", "the", "to", "und", "van", "von", "y", "zu",
];

/// Lowercase particles inside a person's name.
const PARTICLES: &[&str] = &[
    "al", "bin", "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "el", "ibn",
    "la", "le", "ter", "van", "von", "y", "zu",
];

/// Words a credit cannot end with: something was cut after them.
const DANGLING: &[&str] = &[
    "via", "of", "by", "for", "and", "&", "with", "courtesy", "the", "from", "to",
];

/// On the built-in agency list (case-insensitive, a leading "The" ignored).
pub fn is_known(s: &str) -> bool {
    with_normalized(s, |n| KNOWN_AGENCIES.binary_search(&n).is_ok())
}

/// A word (lowercase) that makes a phrase an organisation rather than a person.
pub(super) fn is_organisation_word(lower: &str) -> bool {
    ORG_WORDS.contains(&lower)
}

/// A lowercase word allowed inside a name (`of`, `de`, `and`).
pub(super) fn is_connector(lower: &str) -> bool {
    CONNECTORS.contains(&lower)
}

/// A lowercase particle inside a person's name (`van`, `de`, `al`).
pub(super) fn is_particle(lower: &str) -> bool {
    PARTICLES.contains(&lower)
}

/// A word (lowercase) a credit cannot end with (`via`, `of`, `by` …).
pub(super) fn is_dangling(lower: &str) -> bool {
    DANGLING.contains(&lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_list_is_sorted_for_binary_search() {
        assert!(KNOWN_AGENCIES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_known("The Associated Press") && is_known("REUTERS") && is_known("dpa"));
        assert!(!is_known("Jane Doe"));
    }
}
