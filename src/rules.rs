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

/// What a finding points at, so every report can locate it the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// A manifest item (and its file under the root, when there is one).
    Item,
    /// A file or folder under a media root that no item stands for.
    File,
    /// A file of a BagIt bag, often with the line of a tag file.
    Bag,
    /// A line of a `sha256sum` checksum file, or a file under its root.
    Sums,
}

/// The commands that emit findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Command {
    /// `cutline check`.
    #[serde(rename = "check")]
    Check,
    /// `cutline report` (the contact sheet shows `check`'s findings).
    #[serde(rename = "report")]
    Report,
    /// `cutline verify` against manifests.
    #[serde(rename = "verify")]
    Verify,
    /// `cutline update` (the fixity verdicts it records).
    #[serde(rename = "update")]
    Update,
    /// `cutline verify --bag`.
    #[serde(rename = "verify --bag")]
    VerifyBag,
    /// `cutline verify --sums`.
    #[serde(rename = "verify --sums")]
    VerifySums,
}

impl Command {
    /// As typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Command::Check => "check",
            Command::Report => "report",
            Command::Verify => "verify",
            Command::Update => "update",
            Command::VerifyBag => "verify --bag",
            Command::VerifySums => "verify --sums",
        }
    }
}

/// Whether a policy may change a code's severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Policy {
    /// House style: a policy may raise, lower or turn it off.
    Adjustable,
    /// It decides validity (a bag or checksum list is valid, every file was
    /// read): not house style, so no policy may change it.
    Fixed,
}

macro_rules! catalogue {
    ($( $code:ident, $rule:literal, $sev:ident, $target:ident, [$($cmd:ident)*], $pol:ident, $what:literal; )*) => {
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

            /// What a finding of this code points at.
            pub fn target(self) -> Target {
                match self { $(Code::$code => Target::$target,)* }
            }

            /// The commands that emit it.
            pub fn commands(self) -> &'static [Command] {
                match self { $(Code::$code => &[$(Command::$cmd),*],)* }
            }

            /// True when no policy may change its severity: it decides
            /// validity, which is not house style.
            pub fn decides_validity(self) -> bool {
                match self { $(Code::$code => matches!(Policy::$pol, Policy::Fixed),)* }
            }

            /// One line on what triggers it.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$code => $what,)* }
            }
        }
    };
}

catalogue! {
    M001, "missing-file", Error, Item, [Check Report Verify Update], Adjustable, "Listed in the manifest, not on disk; at info when the item is marked `\"missing\": true` (acknowledged).";
    M002, "unlisted-file", Warning, File, [Check Report Verify Update], Adjustable, "An image on disk that the manifest does not list.";
    M003, "duplicate-entry", Error, Item, [Check Report Verify Update], Adjustable, "The same path listed twice in one manifest.";
    M004, "unsafe-path", Error, Item, [Check Report Verify Update], Adjustable, "A manifest path that is absolute, has `..`, backslash tricks or leaves the root through a symlink; it is never opened.";
    M005, "name-collision", Warning, File, [Check Report Verify Update], Adjustable, "Two names equal after Unicode NFC or after case folding.";
    M006, "moved-file", Warning, File, [Check Report Verify Update], Adjustable, "A missing item's hash found at an unlisted path.";
    H001, "file-changed", Error, Item, [Check Report Verify Update], Adjustable, "The file's SHA-256 differs from the manifest's `sha256`, and no image-data hash tells a metadata edit from a new picture.";
    H002, "metadata-only-change", Warning, Item, [Check Report Verify Update], Adjustable, "The file's hash differs, its image-data hash is equal: only metadata was edited.";
    H003, "image-changed", Error, Item, [Check Report Verify Update], Adjustable, "The image-data hash differs from the manifest's `image_sha256`.";
    H004, "changed-while-read", Error, Item, [Check Report Verify Update], Adjustable, "The file's size or modification time moved while it was hashed.";
    H005, "duplicate-image", Info, File, [Check Report Verify Update], Adjustable, "Identical bytes at two paths.";
    C001, "caption-missing", Error, Item, [Check Report], Adjustable, "No caption in the manifest and none embedded in the file.";
    C002, "caption-placeholder", Error, Item, [Check Report], Adjustable, "The caption is a placeholder: TK, XXX, lorem ipsum, \"caption here\", or camera boilerplate.";
    C003, "caption-duplicate", Warning, Item, [Check Report], Adjustable, "Two items of one manifest share a caption.";
    C004, "caption-differs-from-embedded", Warning, Item, [Check Report], Adjustable, "The manifest caption differs from the caption embedded in the file.";
    C005, "caption-too-long-for-iim", Info, Item, [Check Report], Adjustable, "The caption is longer than the 2000 bytes IIM 2:120 Caption-Abstract holds, in a file that carries IIM.";
    C006, "caption-bad-characters", Warning, Item, [Check Report], Adjustable, "The caption has control characters, bidi overrides, doubled spaces or unbalanced quotes.";
    C007, "caption-length", Warning, Item, [Check Report], Adjustable, "The caption is shorter than the policy's `caption.min_length` or longer than its `caption.max_length`.";
    R001, "credit-missing", Error, Item, [Check Report], Adjustable, "No credit in the manifest and none embedded in the file.";
    R002, "credit-truncated", Error, Item, [Check Report], Adjustable, "The credit was cut off: unbalanced bracket or quote, a trailing `/`, or a dangling `via`/`of`/`by`/`for`.";
    R003, "credit-empty", Error, Item, [Check Report], Adjustable, "The credit holds only punctuation.";
    R004, "credit-style", Warning, Item, [Check Report], Adjustable, "The credit matches none of the house forms (Name/Agency, Agency, Courtesy of X, X via Y, Screenshot/Source, Handout/Source, Pool).";
    R005, "credit-differs-from-embedded", Warning, Item, [Check Report], Adjustable, "The manifest credit differs from the credit embedded in the file.";
    R006, "credit-unknown-agency", Warning, Item, [Check Report], Adjustable, "The credit names an agency that is not on the policy's `agencies` allow-list.";
    R007, "credit-copyright-prefix", Warning, Item, [Check Report], Adjustable, "The credit starts with ©, Copyright, Photo: or Credit:, which a credit line does not carry.";
    R008, "credit-too-long-for-iim", Info, Item, [Check Report], Adjustable, "The credit is longer than the 32 bytes IIM 2:110 Credit holds, in a file that carries IIM.";
    R009, "credit-placeholder", Error, Item, [Check Report], Adjustable, "The credit is a placeholder: TK, unknown, \"Credit too long, see caption\".";
    F001, "field-missing", Error, Item, [Check Report], Adjustable, "A field the policy's `required` list names (other than caption and credit) is missing or blank.";
    X001, "unreadable-image", Error, Item, [Check Report Verify Update], Adjustable, "The file cannot be read as an image: unknown format, truncated or corrupt structure, or unreadable.";
    X002, "metadata-conflict", Warning, Item, [Check Report], Adjustable, "The file's EXIF, IPTC and XMP disagree on a field.";
    X003, "metadata-damaged", Warning, Item, [Check Report], Adjustable, "A metadata block in the file could be read only in part.";
    W001, "unreadable-path", Error, File, [Check Report Verify Update VerifyBag VerifySums], Fixed, "A folder or file under the root that cannot be listed or opened (permission, I/O error, a path too long for the OS): what it holds was not checked.";
    B001, "bag-declaration", Error, Bag, [VerifyBag], Fixed, "`bagit.txt` is missing or is not the declaration of RFC 8493 §2.1.1.";
    B002, "bag-missing-part", Error, Bag, [VerifyBag], Fixed, "A required part of the bag is missing: `data/`, or every payload manifest (RFC 8493 §2.1).";
    B003, "bag-malformed-line", Error, Bag, [VerifyBag], Fixed, "A line of a manifest, tag file or `fetch.txt` that does not parse.";
    B004, "bag-unknown-algorithm", Error, Bag, [VerifyBag], Fixed, "A manifest whose algorithm cutline cannot compute: its checksums cannot be verified.";
    B005, "bag-unsafe-path", Error, Bag, [VerifyBag], Fixed, "A path in the bag that could lead outside it; never opened.";
    B006, "bag-duplicate-entry", Error, Bag, [VerifyBag], Fixed, "A path listed twice in one manifest of the bag.";
    B007, "bag-missing-file", Error, Bag, [VerifyBag], Fixed, "Listed in a manifest, not in the bag (RFC 8493 §3, complete).";
    B008, "bag-unlisted-file", Error, Bag, [VerifyBag], Fixed, "In the payload, absent from a payload manifest (RFC 8493 §3, complete).";
    B009, "bag-checksum-mismatch", Error, Bag, [VerifyBag], Fixed, "A checksum that does not match the file (RFC 8493 §3, valid).";
    B010, "bag-unreadable-file", Error, Bag, [VerifyBag], Fixed, "A file of the bag that cannot be read, or is not a regular file.";
    B011, "bag-oxum-mismatch", Error, Bag, [VerifyBag], Fixed, "`Payload-Oxum` disagrees with the payload found.";
    B012, "bag-info", Error, Bag, [VerifyBag], Fixed, "`bag-info.txt` holds a malformed or repeated reserved value.";
    B013, "bag-name-collision", Warning, Bag, [VerifyBag], Fixed, "Two names of the bag equal after Unicode NFC or case folding, or a listed name matched on disk only after NFC.";
    B014, "bag-fetch", Info, Bag, [VerifyBag], Fixed, "`fetch.txt` lists files to fetch: listed, never fetched.";
    S001, "sums-mismatch", Error, Sums, [VerifySums], Fixed, "A file's SHA-256 differs from its line in the checksum file (`sha256sum -c` says FAILED).";
    S002, "sums-missing-file", Error, Sums, [VerifySums], Fixed, "A file the checksum file lists is not on disk.";
    S003, "sums-unreadable-file", Error, Sums, [VerifySums], Fixed, "A file the checksum file lists cannot be read, or is not a regular file.";
    S004, "sums-unsafe-path", Error, Sums, [VerifySums], Fixed, "A name in the checksum file that could lead outside the root; never opened.";
    S005, "sums-malformed-line", Error, Sums, [VerifySums], Fixed, "A line of the checksum file that is not `HASH  NAME`.";
    S006, "sums-unlisted-file", Warning, Sums, [VerifySums], Adjustable, "A file under the root that no line of the checksum file lists (`sha256sum -c` never says).";
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
