//! The catalogue of finding codes: stable code, rule name, default severity and what triggers it.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; never fails a run by default.
    Info,
    /// Should be fixed before publishing.
    Warning,
    /// Must be fixed.
    Error,
}

impl Severity {
    /// The lowercase name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

macro_rules! catalogue {
    ($( $code:ident, $rule:literal, $sev:ident, $what:literal; )*) => {
        /// A stable finding code. Codes are never reused.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $what]
                $code,
            )*
        }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// The code as printed (`R002`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }

            /// The rule's kebab-case name (`credit-truncated`).
            pub fn rule(self) -> &'static str {
                match self { $(Code::$code => $rule,)* }
            }

            /// The severity when no policy changes it.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$code => Severity::$sev,)* }
            }

            /// One line on what triggers it.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$code => $what,)* }
            }
        }
    };
}

catalogue! {
    M001, "missing-file", Error, "Listed in the manifest, not on disk.";
    M002, "unlisted-file", Warning, "An image on disk that the manifest does not list.";
    M003, "duplicate-entry", Error, "The same path listed twice in one manifest (compared after NFC).";
    M004, "unsafe-path", Error, "A manifest path that is absolute, has `..`, backslash tricks or leaves the root through a symlink; it is never opened.";
    M005, "name-collision", Warning, "Two names equal after Unicode NFC or after case folding.";
    M006, "moved-file", Warning, "A missing item's hash found at an unlisted path.";
    H001, "file-changed", Error, "The file's SHA-256 differs from the manifest's `sha256`.";
    H002, "metadata-only-change", Warning, "The file's hash differs, its image-data hash is equal: only metadata was edited.";
    H003, "image-changed", Error, "The image-data hash differs from the manifest's `image_sha256`.";
    H004, "changed-while-read", Error, "The file's size or modification time moved while it was hashed.";
    H005, "duplicate-image", Info, "Identical bytes at two paths.";
    C001, "caption-missing", Error, "No caption in the manifest and none embedded in the file.";
    C002, "caption-placeholder", Error, "The caption is a placeholder: TK, XXX, lorem ipsum, \"caption here\", or camera boilerplate.";
    C003, "caption-duplicate", Warning, "Two items of one manifest share a caption.";
    C004, "caption-differs-from-embedded", Warning, "The manifest caption differs from the caption embedded in the file.";
    C005, "caption-too-long-for-iim", Info, "The caption is longer than the 2000 bytes IIM 2:120 Caption-Abstract holds, in a file that carries IIM.";
    C006, "caption-bad-characters", Warning, "The caption has control characters, bidi overrides, doubled spaces or unbalanced quotes.";
    C007, "caption-length", Warning, "The caption is shorter than the policy's `caption.min_length` or longer than its `caption.max_length`.";
    R001, "credit-missing", Error, "No credit in the manifest and none embedded in the file.";
    R002, "credit-truncated", Error, "The credit was cut off: unbalanced bracket or quote, a trailing `/`, or a dangling `via`/`of`/`by`/`for`.";
    R003, "credit-empty", Error, "The credit holds only punctuation.";
    R004, "credit-style", Warning, "The credit matches none of the house forms (Name/Agency, Agency, Courtesy of X, X via Y, Screenshot/Source, Handout/Source, Pool).";
    R005, "credit-differs-from-embedded", Warning, "The manifest credit differs from the credit embedded in the file.";
    R006, "credit-unknown-agency", Warning, "The credit names an agency that is not on the policy's `agencies` allow-list.";
    R007, "credit-copyright-prefix", Warning, "The credit starts with ©, Copyright, Photo: or Credit:, which a credit line does not carry.";
    R008, "credit-too-long-for-iim", Info, "The credit is longer than the 32 bytes IIM 2:110 Credit holds, in a file that carries IIM.";
    R009, "credit-placeholder", Error, "The credit is a placeholder: TK, unknown, \"Credit too long, see caption\".";
    F001, "field-missing", Error, "A field the policy's `required` list names (other than caption and credit) is missing or blank.";
    X001, "unreadable-image", Error, "The file cannot be read as an image: unknown format, truncated or corrupt structure, or unreadable.";
    X002, "metadata-conflict", Warning, "The file's EXIF, IPTC and XMP disagree on a field.";
    X003, "metadata-damaged", Warning, "A metadata block in the file could be read only in part.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A code or rule name that is not in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown finding code or rule `{0}`")]
pub struct UnknownCode(pub String);

impl FromStr for Code {
    type Err = UnknownCode;

    /// Accepts the code (`R002`, any case) or the rule name (`credit-truncated`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s) || c.rule() == s)
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_rules_are_unique_and_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()));
            assert!(seen.insert(c.rule()));
            assert_eq!(c.as_str().parse::<Code>(), Ok(*c));
            assert_eq!(c.rule().parse::<Code>(), Ok(*c));
        }
        assert!("Z999".parse::<Code>().is_err());
    }
}
