//! Renders a [`Sheet`] as one self-contained HTML page with maud, which escapes every caption, credit and path.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};

use crate::finding::Finding;
use crate::rules::Severity;
use crate::sanitize;
use crate::sheet::thumbnail::Origin;
use crate::sheet::{Card, Kind, Section, Sheet, Thumbnail};

/// The page's stylesheet (screen and print).
const CSS: &str = include_str!("sheet.css");
/// The page's script: filters, search, keyboard navigation.
const JS: &str = include_str!("sheet.js");

/// The whole page. Nothing is fetched: styles, script and thumbnails are
/// inline, and the Content-Security-Policy forbids every network request
/// and every script or style but these two (by hash, CSP Level 3 §8.3), so
/// even a template mistake could not run a caption as code.
pub fn render(sheet: &Sheet) -> String {
    let names: Vec<&str> = sheet.sections.iter().map(|s| s.manifest.as_str()).collect();
    let cards = || sheet.sections.iter().flat_map(|s| &s.cards);
    let count = |sev: Severity| {
        cards()
            .flat_map(|c| &c.findings)
            .filter(|f| f.severity == sev)
            .count()
    };
    let images = cards()
        .filter(|c| c.format.is_some() && c.file.is_some())
        .count();
    let mut codes: Vec<(String, &'static str, usize)> = Vec::new();
    for f in cards().flat_map(|c| &c.findings) {
        match codes.iter_mut().find(|(c, _, _)| *c == f.code.as_str()) {
            Some(entry) => entry.2 += 1,
            None => codes.push((f.code.as_str().to_owned(), f.rule, 1)),
        }
    }
    codes.sort();
    let csp = format!(
        "default-src 'none'; img-src data:; style-src '{}'; script-src '{}'; \
         base-uri 'none'; form-action 'none'",
        csp_hash(CSS),
        csp_hash(JS)
    );
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(csp);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(concat!("cutline ", env!("CARGO_PKG_VERSION")));
                title { "Contact sheet · " (names.join(", ")) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.masthead {
                    div.title {
                        p.kicker { "cutline contact sheet" }
                        h1 {
                            @for (i, n) in names.iter().enumerate() {
                                @if i > 0 { ", " }
                                bdi { (n) }
                            }
                        }
                        p.made { "Made " time { (sheet.made) } }
                    }
                    dl.counts {
                        div { dt { "Images" } dd #n-images { (images) } }
                        div { dt { "Cards" } dd #n-cards { (cards().count()) } }
                        div.error { dt { "Errors" } dd #n-error { (count(Severity::Error)) } }
                        div.warning { dt { "Warnings" } dd #n-warning { (count(Severity::Warning)) } }
                        div.info { dt { "Info" } dd #n-info { (count(Severity::Info)) } }
                    }
                }
                form.controls role="search" aria-label="Filter the cards" {
                    fieldset.sev {
                        legend { "Show" }
                        @for (value, label) in [("error", "Errors"), ("warning", "Warnings"), ("info", "Info"), ("clean", "Clean")] {
                            label.(value) {
                                input type="checkbox" name="sev" value=(value) checked;
                                " " (label)
                            }
                        }
                    }
                    label.code {
                        span { "Code" }
                        select #code name="code" {
                            option value="" { "All codes" }
                            @for (code, rule, n) in &codes {
                                option value=(code) { (code) " " (rule) " (" (n) ")" }
                            }
                        }
                    }
                    label.search {
                        span { "Search" }
                        input #q type="search" name="q" placeholder="Caption, credit, path…" autocomplete="off";
                    }
                    p.status aria-live="polite" {
                        span #shown { (cards().count()) } " of " (cards().count()) " shown"
                    }
                    p.keys {
                        kbd { "j" } "/" kbd { "k" } " or arrows: next/previous · "
                        kbd { "/" } " search · " kbd { "Esc" } " clear"
                    }
                }
                main {
                    @for (si, section) in sheet.sections.iter().enumerate() {
                        (section_markup(si, section))
                    }
                    p #empty hidden { "No card matches these filters." }
                }
                script { (PreEscaped(JS)) }
            }
        }
    };
    markup.into_string()
}

fn section_markup(si: usize, section: &Section) -> Markup {
    html! {
        section.manifest aria-labelledby=(format!("m-{si}")) {
            h2 id=(format!("m-{si}")) {
                bdi { (section.manifest) }
                span.root { " → " bdi { (section.root) } }
            }
            div.grid {
                @for (ci, card) in section.cards.iter().enumerate() {
                    (card_markup(si, ci, card))
                }
            }
        }
    }
}

fn card_markup(si: usize, ci: usize, card: &Card) -> Markup {
    let sevs: Vec<&str> = {
        let mut s: Vec<&str> = card.findings.iter().map(|f| f.severity.name()).collect();
        s.dedup();
        if s.is_empty() { vec!["clean"] } else { s }
    };
    let mut codes: Vec<&str> = card.findings.iter().map(|f| f.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let printed = card.printed_credit();
    let search = [
        card.caption.as_deref(),
        printed.as_deref(),
        Some(card.path.as_str()),
        Some(&card.creator.join(" ")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n")
    .to_lowercase();
    let worst = card.worst().map_or("clean", Severity::name);
    html! {
        article.card.(format!("worst-{worst}")).(format!("kind-{}", card.kind.name()))
            id=(format!("c-{si}-{ci}")) tabindex="0"
            data-path=(card.path) data-kind=(card.kind.name())
            data-sevs=(sevs.join(" ")) data-codes=(codes.join(" ")) data-text=(visible(&search)) {
            figure {
                (thumb_markup(card))
                figcaption.cutline {
                    @if let Some(c) = &card.caption {
                        span.caption { (text(c)) }
                    } @else {
                        span.caption.absent { "No caption" }
                    }
                    " "
                    @if let Some(c) = &printed {
                        span.credit { (text(c)) }
                    } @else {
                        span.credit.absent { "(no credit)" }
                    }
                }
            }
            @if !card.findings.is_empty() {
                ul.badges aria-label="Findings" {
                    @for f in &card.findings { (badge(f)) }
                }
            }
            @if let Thumbnail::Unavailable(u) = &card.thumbnail {
                @if let Some(note) = u.note() { p.note { (text(&note)) } }
            }
            dl.meta {
                @if !card.creator.is_empty() {
                    div { dt { "Creator" } dd { (text(&card.creator.join("; "))) } }
                }
                @if let Some(d) = &card.date { div { dt { "Date" } dd { (text(d)) } } }
                @if let (Some(w), Some(h)) = (card.width, card.height) {
                    div { dt { "Size" } dd.num { (w) " × " (h) } }
                }
                @if let Some(f) = card.format {
                    div { dt { "Format" } dd { (f.name().to_uppercase()) @if let Some(s) = card.size { " · " (human_size(s)) } } }
                }
                @if let Some(h) = &card.sha256 {
                    div { dt { "SHA-256" } dd.num title=(h) { (h.get(..12).unwrap_or(h)) } }
                }
            }
            p.path {
                span.frame { (ci + 1) }
                code { (text(&card.path)) }
                @if card.kind != Kind::Listed { span.kind { (card.kind.label()) } }
            }
        }
    }
}

fn thumb_markup(card: &Card) -> Markup {
    match &card.thumbnail {
        Thumbnail::Image {
            data_uri,
            width,
            height,
            origin,
        } => html! {
            div.thumb {
                img src=(data_uri) width=(width) height=(height) alt=(visible(&card.alt_text()))
                    data-thumb=(match origin { Origin::Exif => "exif", Origin::Decoded => "decoded" })
                    decoding="async";
            }
        },
        Thumbnail::Unavailable(u) => html! {
            div.thumb.placeholder role="img" aria-label=(visible(&card.alt_text())) {
                span { (u.label()) }
            }
        },
    }
}

fn badge(f: &Finding) -> Markup {
    html! {
        li.badge.(f.severity.name()) data-code=(f.code.as_str()) data-severity=(f.severity.name()) data-path=(f.path) title=(f.rule) {
            b { (f.code.as_str()) }
            " "
            span.msg { (text(&f.message)) }
            // As the human report: the pair only, when the finding compares two values.
            @if let (Some(e), Some(a)) = (&f.expected, &f.actual) {
                span.detail { "manifest: " (text(e)) }
                span.detail { "file: " (text(a)) }
            }
        }
    }
}

/// Untrusted text: maud escapes `<`, `>`, `&` and quotes; here control,
/// bidi and invisible characters (CVE-2021-42574) are also shown as their
/// code points, and the text is isolated (`<bdi>`, HTML §4.5.23) so a
/// right-to-left caption cannot reorder the credit beside it.
fn text(s: &str) -> Markup {
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in s.chars() {
        let ctl = sanitize::needs_escape(c) && c != '\n';
        let piece = if ctl {
            format!("U+{:04X}", c as u32)
        } else {
            c.to_string()
        };
        match runs.last_mut() {
            Some((false, run)) if !ctl => run.push_str(&piece),
            _ => runs.push((ctl, piece)),
        }
    }
    html! {
        bdi {
            @for (ctl, run) in &runs {
                @if *ctl { span.ctl title="invisible control character" { (run) } } @else { (run) }
            }
        }
    }
}

/// Untrusted text for an attribute (`alt`, the search index): the same
/// code points [`text`] shows, as plain text, since attributes hold no markup.
fn visible(s: &str) -> String {
    s.chars()
        .map(|c| {
            if sanitize::needs_escape(c) && c != '\n' {
                format!("U+{:04X}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    match bytes {
        b if b >= KIB * KIB => format!("{:.1} MB", b as f64 / (KIB * KIB) as f64),
        b if b >= KIB => format!("{} KB", b.div_ceil(KIB)),
        b => format!("{b} B"),
    }
}

/// `sha256-…` source expression of an inline block (CSP Level 3 §2.3.1).
fn csp_hash(content: &str) -> String {
    format!(
        "sha256-{}",
        STANDARD.encode(Sha256::digest(content.as_bytes()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let out = text("a\u{202E}b<i>").into_string();
        assert_eq!(
            out,
            "<bdi>a<span class=\"ctl\" title=\"invisible control character\">U+202E</span>b&lt;i&gt;</bdi>"
        );
    }

    #[test]
    fn sizes_read_like_a_desk_would() {
        assert_eq!(human_size(900), "900 B");
        assert_eq!(human_size(55_405), "55 KB");
        assert_eq!(human_size(3 * 1024 * 1024), "3.0 MB");
    }
}
