//! `fetch.txt` (RFC 8493 §2.2.3): `url length path` lines, read to report them; cutline never fetches anything.

use super::problem::{Kind, Problem};
use super::tag_file::lines;
use crate::checksum::paths::{self, percent_decode};
use crate::rules::Severity;

/// Problems and notices for fetch.txt holding `text`: an info line per
/// entry (it is listed, never fetched), an error per bad line or unsafe path.
pub fn review(text: &str) -> Vec<Problem> {
    const FILE: &str = "fetch.txt";
    let mut out = Vec::new();
    for l in lines(text) {
        let at = Some(l.number);
        let mut parts = l.text.splitn(3, [' ', '\t']);
        let (Some(url), Some(length), Some(raw)) = (parts.next(), parts.next(), parts.next())
        else {
            out.push(Problem::error(
                Kind::MalformedLine,
                FILE,
                at,
                "not `url length path`",
            ));
            continue;
        };
        let raw = raw.trim_start_matches([' ', '\t']);
        if url.is_empty()
            || !(length == "-" || length.bytes().all(|b| b.is_ascii_digit()) && !length.is_empty())
        {
            out.push(Problem::error(
                Kind::MalformedLine,
                FILE,
                at,
                "not `url length path` (length is digits or `-`)",
            ));
            continue;
        }
        let path = percent_decode(raw);
        match paths::check(&path) {
            Err(why) => out.push(Problem::error(
                Kind::UnsafePath,
                FILE,
                at,
                format!("`{raw}`: {why}; never written or opened"),
            )),
            Ok(()) if !path.starts_with("data/") => out.push(Problem::error(
                Kind::UnsafePath,
                FILE,
                at,
                format!("`{raw}` is not under data/; never written or opened"),
            )),
            Ok(()) => out.push(
                Problem::error(
                    Kind::Fetch,
                    FILE,
                    at,
                    format!("`{raw}` is to be fetched from {url}; cutline never fetches, so it must already be in the bag"),
                )
                .at(Severity::Info),
            ),
        }
    }
    out
}
