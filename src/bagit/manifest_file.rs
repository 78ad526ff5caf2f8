//! Payload and tag manifests (RFC 8493 §2.1.3, §2.2.1): `checksum<whitespace>path` lines, every malformed line reported, never skipped.

use std::collections::HashMap;

use super::problem::{Kind, Problem};
use super::tag_file::lines;
use crate::checksum::digest::Algorithm;
use crate::checksum::paths::{self, percent_decode};
use crate::rules::Severity;
use crate::textnorm::nfc;

/// One well-formed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line number.
    pub line: usize,
    /// The checksum, lower-cased (RFC 8493 does not fix the case of hex
    /// digits; bagit-python and others write both).
    pub checksum: String,
    /// The path, percent-decoded, `/`-separated, relative to the bag.
    pub path: String,
}

/// Which kind of manifest: payload manifests list only `data/…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `manifest-ALG.txt`.
    Payload,
    /// `tagmanifest-ALG.txt`.
    Tag,
}

/// Parses manifest `file` (its name in the bag) holding `bytes`, checksums
/// of `alg`. Returns the good entries and a problem for every bad line.
pub fn parse(file: &str, bytes: &[u8], alg: Algorithm, role: Role) -> (Vec<Entry>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut bytes = bytes;
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        problems.push(Problem::error(
            Kind::MalformedLine,
            file,
            Some(1),
            "starts with a byte-order mark",
        ));
        bytes = rest;
    }
    let text = String::from_utf8_lossy(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = bytes
            .get(..e.valid_up_to())
            .map_or(1, |b| b.iter().filter(|&&c| c == b'\n').count() + 1);
        problems.push(Problem::error(
            Kind::MalformedLine,
            file,
            Some(line),
            "not UTF-8 (the bag declares UTF-8 tag files)",
        ));
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for l in lines(&text) {
        let at = Some(l.number);
        if l.text.trim().is_empty() {
            problems.push(
                Problem::error(Kind::MalformedLine, file, at, "an empty line")
                    .at(Severity::Warning),
            );
            continue;
        }
        let Some((checksum, rest)) = l.text.split_once([' ', '\t']) else {
            problems.push(Problem::error(
                Kind::MalformedLine,
                file,
                at,
                "not `checksum path`: no white space after the checksum",
            ));
            continue;
        };
        let raw_path = rest.trim_start_matches([' ', '\t']);
        if checksum.len() != alg.hex_len() || !checksum.bytes().all(|b| b.is_ascii_hexdigit()) {
            problems.push(Problem::error(
                Kind::MalformedLine,
                file,
                at,
                format!(
                    "`{checksum}` is not a {alg} checksum ({} hex digits)",
                    alg.hex_len()
                ),
            ));
            continue;
        }
        if raw_path.is_empty() {
            problems.push(Problem::error(
                Kind::MalformedLine,
                file,
                at,
                "no path after the checksum",
            ));
            continue;
        }
        let path = percent_decode(raw_path);
        if let Err(why) = paths::check(&path) {
            problems.push(Problem::error(
                Kind::UnsafePath,
                file,
                at,
                format!("`{raw_path}`: {why}; not opened"),
            ));
            continue;
        }
        let in_payload = path.starts_with("data/");
        match role {
            Role::Payload if !in_payload => {
                problems.push(Problem::error(
                    Kind::MalformedLine,
                    file,
                    at,
                    format!("`{raw_path}` is not under data/: a payload manifest lists payload files only"),
                ));
                continue;
            }
            Role::Tag if in_payload => {
                problems.push(Problem::error(
                    Kind::MalformedLine,
                    file,
                    at,
                    format!("`{raw_path}` is a payload file: a tag manifest lists tag files only"),
                ));
                continue;
            }
            _ => {}
        }
        if let Some(first) = seen.insert(nfc(&path).into_owned(), l.number) {
            problems.push(Problem::error(
                Kind::DuplicateEntry,
                file,
                at,
                format!("`{raw_path}` is already listed on line {first}"),
            ));
            continue;
        }
        entries.push(Entry {
            line: l.number,
            checksum: checksum.to_ascii_lowercase(),
            path,
        });
    }
    (entries, problems)
}

/// One manifest line as written: `checksum  path`, the path
/// percent-encoded (two spaces, as `sha256sum` and bagit-python write).
pub fn format_line(checksum: &str, path: &str) -> String {
    format!("{checksum}  {}\n", paths::percent_encode(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn good_lines_parse_and_bad_ones_are_reported_by_line() {
        let text = format!(
            "{H}  data/a.txt\n{}\tdata/b%0Dc\n\nnope\n{H}  ../bagevil/x\n{H}  data/a.txt\n{H}  bagit.txt\n{}  data/short\n",
            H.to_uppercase(),
            H
        );
        let text = text.replacen(&format!("{}  data/short", H), "abc  data/short", 1);
        let (e, p) = parse(
            "manifest-sha256.txt",
            text.as_bytes(),
            Algorithm::Sha256,
            Role::Payload,
        );
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].checksum, H);
        assert_eq!(e[1].path, "data/b\rc");
        assert_eq!(e[1].checksum, H, "upper-case hex accepted");
        let got: Vec<_> = p.iter().map(|p| (p.line, p.kind, p.severity)).collect();
        assert_eq!(
            got,
            [
                (Some(3), Kind::MalformedLine, Severity::Warning),
                (Some(4), Kind::MalformedLine, Severity::Error),
                (Some(5), Kind::UnsafePath, Severity::Error),
                (Some(6), Kind::DuplicateEntry, Severity::Error),
                (Some(7), Kind::MalformedLine, Severity::Error),
                (Some(8), Kind::MalformedLine, Severity::Error),
            ]
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let bytes: Vec<u8> = (0..(state % 90))
                .map(|i| (state >> (i % 61)) as u8)
                .collect();
            let _ = parse("m", &bytes, Algorithm::Md5, Role::Payload);
        }
    }
}
