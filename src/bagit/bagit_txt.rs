//! The bag declaration, `bagit.txt` (RFC 8493 §2.1.1): exactly two lines, `BagIt-Version` then `Tag-File-Character-Encoding`, no BOM.

use super::tag_file::lines;

/// What a valid declaration says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    /// `1.0`, or `0.97` for bags made before RFC 8493.
    pub version: String,
    /// `UTF-8` in every bag cutline can read.
    pub encoding: String,
}

/// Why a declaration is refused, with the line (1-based) when one is at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationError {
    /// The line at fault, if one is.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

fn err(line: Option<usize>, message: impl Into<String>) -> DeclarationError {
    DeclarationError {
        line,
        message: message.into(),
    }
}

/// Versions whose layout this validator knows: RFC 8493 is 1.0; 0.97 is
/// the last draft, with the same layout, and is what bagit-python wrote
/// for years.
pub const KNOWN_VERSIONS: [&str; 2] = ["1.0", "0.97"];

/// Parses the bytes of `bagit.txt`.
pub fn parse(bytes: &[u8]) -> Result<Declaration, DeclarationError> {
    // §2.1.1: "The bag declaration MUST be encoded in UTF-8 and MUST NOT
    // contain a byte-order mark (BOM)."
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(err(
            Some(1),
            "starts with a byte-order mark (RFC 8493 §2.1.1 forbids one)",
        ));
    }
    if bytes.is_empty() {
        return Err(err(None, "is empty"));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes
            .get(..e.valid_up_to())
            .map_or(1, |b| b.iter().filter(|&&c| c == b'\n').count() + 1);
        err(Some(line), "is not UTF-8")
    })?;
    let ls = lines(text);
    let mut version = None;
    let mut encoding = None;
    for (i, (key, slot)) in [
        ("BagIt-Version", &mut version),
        ("Tag-File-Character-Encoding", &mut encoding),
    ]
    .into_iter()
    .enumerate()
    {
        let Some(l) = ls.get(i) else {
            return Err(err(None, format!("has no line {} (`{key}: …`)", i + 1)));
        };
        // Exact form `Key: value`: one colon, one space, no padding.
        let Some(value) = l.text.strip_prefix(key).and_then(|r| r.strip_prefix(": ")) else {
            return Err(err(
                Some(l.number),
                format!("line {} must be `{key}: …`", l.number),
            ));
        };
        if value.is_empty() || value != value.trim() {
            return Err(err(
                Some(l.number),
                format!("`{key}` has an empty or padded value"),
            ));
        }
        *slot = Some(value.to_owned());
    }
    if let Some(extra) = ls.get(2) {
        return Err(err(
            Some(extra.number),
            "has more than the two lines RFC 8493 §2.1.1 allows",
        ));
    }
    let (Some(version), Some(encoding)) = (version, encoding) else {
        return Err(err(None, "is incomplete"));
    };
    let numeric = version.split_once('.').is_some_and(|(a, b)| {
        !a.is_empty() && !b.is_empty() && (a.to_owned() + b).bytes().all(|c| c.is_ascii_digit())
    });
    if !numeric {
        return Err(err(
            Some(1),
            format!("BagIt-Version `{version}` is not M.N"),
        ));
    }
    if !KNOWN_VERSIONS.contains(&version.as_str()) {
        return Err(err(
            Some(1),
            format!("BagIt-Version `{version}` is not one cutline knows (1.0, 0.97)"),
        ));
    }
    if !encoding.eq_ignore_ascii_case("UTF-8") {
        return Err(err(
            Some(2),
            format!("Tag-File-Character-Encoding `{encoding}`: cutline reads UTF-8 tag files only"),
        ));
    }
    Ok(Declaration { version, encoding })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_lines_parse() {
        let d = parse(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n").unwrap();
        assert_eq!(d.version, "1.0");
        assert!(parse(b"BagIt-Version: 0.97\r\nTag-File-Character-Encoding: UTF-8").is_ok());
    }

    #[test]
    fn every_deviation_is_refused_with_its_line() {
        for (bytes, line) in [
            (
                &b"\xEF\xBB\xBFBagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"[..],
                Some(1),
            ),
            (b"", None),
            (b"\x00\x01garbage\xff", Some(1)),
            (
                b"BagIt-Version: 2.0\nTag-File-Character-Encoding: UTF-8\n",
                Some(1),
            ),
            (
                b"BagIt-Version: one\nTag-File-Character-Encoding: UTF-8\n",
                Some(1),
            ),
            (
                b"BagIt-Version:1.0\nTag-File-Character-Encoding: UTF-8\n",
                Some(1),
            ),
            (
                b"Tag-File-Character-Encoding: UTF-8\nBagIt-Version: 1.0\n",
                Some(1),
            ),
            (b"BagIt-Version: 1.0\n", None),
            (
                b"BagIt-Version: 1.0\nTag-File-Character-Encoding: Latin-1\n",
                Some(2),
            ),
            (
                b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nExtra: x\n",
                Some(3),
            ),
        ] {
            let e = parse(bytes).unwrap_err();
            assert_eq!(e.line, line, "{bytes:?}: {}", e.message);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let bytes: Vec<u8> = (0..(state % 40))
                .map(|i| (state >> (i % 57)) as u8)
                .collect();
            let _ = parse(&bytes);
        }
    }
}
