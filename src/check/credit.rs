//! Credit rules: missing (R001), truncated (R002), empty (R003), house style (R004), differs from embedded (R005), unknown agency (R006), copyright prefix (R007), too long for IIM (R008), placeholder (R009).

use crate::check::{Joined, Sink, text_or_embedded};
use crate::creditline;
use crate::manifest::Field;
use crate::rules::Code;
use crate::textnorm::same_comparable;

/// IIM 2:110 Credit holds at most 32 octets (IIM 4.2, §6.2).
const IIM_CREDIT_LIMIT: usize = 32;

/// Credits that stand in for a real one.
const PLACEHOLDERS: &[&str] = &[
    "tk",
    "credit tk",
    "photo tk",
    "xxx",
    "unknown",
    "n/a",
    "na",
    "none",
    "tbd",
    "credit",
    "photographer",
    "credit too long, see caption",
    "see caption",
];

/// Rules on one item's credit line.
pub(super) fn check_item(j: &Joined<'_>, sink: &mut Sink) {
    let path = &j.item.path;
    let embedded = j.record.and_then(|r| r.effective().credit.as_deref());
    // A credit of only white space is as good as none; "(" is not: it is
    // an empty credit that reached print (R003).
    let manifest = j.item.credit.as_deref().filter(|c| !c.trim().is_empty());
    let Some(line) = text_or_embedded(manifest, embedded) else {
        if !sink.policy.requires(Field::Credit) {
            return;
        }
        sink.add(
            sink.build(
                Code::R001,
                path,
                "no credit in the manifest and none embedded in the file",
            )
            .field("credit"),
        );
        return;
    };
    let parsed = creditline::parse(line);
    // An empty or cut-off credit is reported as such and is not asked whether it is a
    // placeholder; asked once here, it is not asked again for R006.
    let placeholder = !parsed.is_empty()
        && parsed.truncation().is_none()
        && (is_placeholder(line) || sink.policy.placeholder_in(line).is_some());
    if parsed.is_empty() {
        sink.add(
            sink.build(
                Code::R003,
                path,
                format!("credit `{line}` holds only punctuation"),
            )
            .field("credit")
            .actual(line),
        );
    } else if let Some(t) = parsed.truncation() {
        sink.add(
            sink.build(
                Code::R002,
                path,
                format!("credit `{line}` looks cut off: {t}"),
            )
            .field("credit")
            .actual(line),
        );
    } else if placeholder {
        sink.add(
            sink.build(
                Code::R009,
                path,
                format!("credit `{line}` is a placeholder"),
            )
            .field("credit")
            .actual(line),
        );
    } else if !parsed.is_house_style() && !sink.policy.accepts_credit(line) {
        sink.add(
            sink.build(
                Code::R004,
                path,
                format!("credit `{line}` matches no house form (Name/Agency, Agency, Courtesy of X, X via Y, Handout/Source)"),
            )
            .field("credit")
            .actual(line),
        );
    }
    // An empty, cut-off or placeholder credit names no real agency.
    let usable = !parsed.is_empty() && parsed.truncation().is_none() && !placeholder;
    if usable && sink.policy.has_agency_list() {
        for agency in parsed.agencies() {
            if !sink.policy.agency_allowed(agency) {
                sink.add(
                    sink.build(
                        Code::R006,
                        path,
                        format!(
                            "credit names `{agency}`, which is not on the house list of agencies"
                        ),
                    )
                    .field("credit")
                    .actual(line),
                );
            }
        }
    }
    if let Some(prefix) = &parsed.prefix {
        sink.add(
            sink.build(
                Code::R007,
                path,
                format!("credit starts with {prefix}; a credit line names who to credit, without a copyright or label prefix"),
            )
            .field("credit")
            .actual(line),
        );
    }
    // Only where the file carries IIM: there an IPTC-only reader sees the
    // credit cut; a file without IIM has nothing to cut.
    if line.len() > IIM_CREDIT_LIMIT && j.record.is_some_and(|r| r.has_iptc) {
        sink.add(
            sink.build(
                Code::R008,
                path,
                format!(
                    "credit is {} bytes; IIM 2:110 Credit holds {IIM_CREDIT_LIMIT}, so IPTC-only readers will see it cut",
                    line.len()
                ),
            )
            .field("credit"),
        );
    }
    if let (Some(m), Some(e)) = (manifest, embedded)
        && !same_comparable(strip_parens(m), strip_parens(e))
    {
        sink.add(
            sink.build(
                Code::R005,
                path,
                "manifest credit differs from the credit embedded in the file",
            )
            .field("credit")
            .expected(m)
            .actual(e),
        );
    }
}

/// `(Jane Doe/Wire)` and `Jane Doe/Wire` are the same credit.
fn strip_parens(s: &str) -> &str {
    let t = s.trim();
    t.strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(t)
}

fn is_placeholder(line: &str) -> bool {
    let t = strip_parens(line).trim().trim_end_matches('.');
    // The placeholders are lowercase ASCII: for ASCII text, comparing ignoring ASCII case is
    // comparing the lowercased text, without building it. Other text can lowercase to ASCII
    // (the Kelvin sign to `k`), so it takes the exact path.
    if t.is_ascii() {
        return PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(t));
    }
    PLACEHOLDERS.contains(&t.to_lowercase().as_str())
}
