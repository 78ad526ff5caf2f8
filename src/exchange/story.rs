//! Figures of a story as published or drafted (HTML `<figure>`/`<img>`, Markdown images with a caption under them), and the credit split off a printed caption.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use scraper::{ElementRef, Html, Selector};

use crate::exchange::cells::Slot;
use crate::exchange::merge::{Incoming, Notice};
use crate::manifest::{Field, check_path, path_key};
use crate::textnorm::nfc;

/// One image as the story prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Where in the story (`figure 3`).
    pub at: String,
    /// The image reference as written (`src`, or the Markdown link).
    pub src: String,
    /// The printed caption, credit included, white space folded; `None`
    /// when the image has no caption at all.
    pub caption: Option<String>,
    /// `alt` text, when the image has it.
    pub alt: Option<String>,
}

/// How a story is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// HTML, as published or saved from a browser.
    Html,
    /// Markdown, as drafted.
    Markdown,
}

impl Kind {
    /// By extension (`.html`, `.htm`, `.xhtml`; `.md`, `.markdown`), else by
    /// content: text whose first non-blank character is `<` is HTML.
    pub fn of(path: &Path, text: &str) -> Kind {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("html" | "htm" | "xhtml") => Kind::Html,
            Some("md" | "markdown" | "mdown" | "mkd") => Kind::Markdown,
            _ if text.trim_start().starts_with('<') => Kind::Html,
            _ => Kind::Markdown,
        }
    }
}

/// The figures of `text`, in story order.
pub fn figures(kind: Kind, text: &str) -> Vec<Figure> {
    match kind {
        Kind::Html => figures_html(text),
        Kind::Markdown => figures_markdown(text),
    }
}

/// Every `<img>` of the story's `<article>` (of the whole page when it has
/// none: a saved page carries logos and navigation outside the article),
/// with the `<figcaption>` of the `<figure>` around it. Parsed by html5ever
/// (through `scraper`), as a browser parses: unclosed and misnested tags
/// included.
pub fn figures_html(text: &str) -> Vec<Figure> {
    let doc = Html::parse_document(text);
    let (Ok(article), Ok(img), Ok(figcaption)) = (
        Selector::parse("article"),
        Selector::parse("img"),
        Selector::parse("figcaption"),
    ) else {
        return Vec::new();
    };
    let scope = doc
        .select(&article)
        .next()
        .unwrap_or_else(|| doc.root_element());
    let mut out = Vec::new();
    for (n, el) in scope.select(&img).enumerate() {
        let Some(src) = el.value().attr("src") else {
            continue;
        };
        let figure = el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .find(|a| a.value().name() == "figure");
        let caption = figure
            .and_then(|f| f.select(&figcaption).next())
            .map(|c| fold(&c.text().collect::<String>()));
        out.push(Figure {
            at: format!("figure {}", n + 1),
            src: src.trim().to_owned(),
            caption,
            alt: el.value().attr("alt").map(fold),
        });
    }
    out
}

/// What a Markdown paragraph holds, in order.
enum Piece {
    Image { src: String, alt: String },
    Text(String),
}

/// Every image of a Markdown story (CommonMark, parsed by pulldown-cmark),
/// with its caption: the text after it in its paragraph (the line under
/// it), else the paragraph directly under it, when that paragraph holds
/// no image. Anything else between image and text (a heading, a list)
/// means the image has no caption.
pub fn figures_markdown(text: &str) -> Vec<Figure> {
    let mut out: Vec<Figure> = Vec::new();
    let mut awaiting: Option<usize> = None;
    let mut para: Option<Vec<Piece>> = None;
    let mut alt: Option<(String, String)> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Paragraph) => para = Some(Vec::new()),
            Event::Start(Tag::Image { dest_url, .. }) => {
                alt = Some((dest_url.to_string(), String::new()));
            }
            Event::End(TagEnd::Image) => {
                if let (Some((src, a)), Some(p)) = (alt.take(), para.as_mut()) {
                    p.push(Piece::Image { src, alt: a });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, a)) = alt.as_mut() {
                    a.push_str(&t);
                } else if let Some(p) = para.as_mut() {
                    p.push(Piece::Text(t.to_string()));
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, a)) = alt.as_mut() {
                    a.push(' ');
                } else if let Some(p) = para.as_mut() {
                    p.push(Piece::Text(" ".into()));
                }
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(pieces) = para.take() {
                    awaiting = paragraph(pieces, awaiting, &mut out);
                }
            }
            Event::Start(_) if para.is_none() => awaiting = None,
            _ => {}
        }
    }
    out
}

/// Takes one paragraph: its images become figures; its text is the caption
/// of the image before it, or of the `awaiting` image of the paragraph
/// above. Returns the image still waiting for a caption.
fn paragraph(pieces: Vec<Piece>, awaiting: Option<usize>, out: &mut Vec<Figure>) -> Option<usize> {
    let has_image = pieces.iter().any(|p| matches!(p, Piece::Image { .. }));
    if !has_image {
        let text: String = pieces
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t,
                Piece::Image { .. } => String::new(),
            })
            .collect();
        if let Some(fig) = awaiting.and_then(|i| out.get_mut(i)) {
            let text = fold(&text);
            if !text.is_empty() {
                fig.caption = Some(text);
            }
        }
        return None;
    }
    let mut last: Option<usize> = None;
    let mut tail = String::new();
    for p in pieces {
        match p {
            Piece::Image { src, alt } => {
                close(out, last, &tail);
                tail.clear();
                out.push(Figure {
                    at: format!("figure {}", out.len() + 1),
                    src: src.trim().to_owned(),
                    caption: None,
                    alt: Some(fold(&alt)).filter(|a| !a.is_empty()),
                });
                last = Some(out.len() - 1);
            }
            Piece::Text(t) if last.is_some() => tail.push_str(&t),
            Piece::Text(_) => {}
        }
    }
    if fold(&tail).is_empty() {
        last
    } else {
        close(out, last, &tail);
        None
    }
}

fn close(out: &mut [Figure], last: Option<usize>, tail: &str) {
    let text = fold(tail);
    if let Some(fig) = last.and_then(|i| out.get_mut(i))
        && !text.is_empty()
    {
        fig.caption = Some(text);
    }
}

/// White space folded to single spaces, trimmed (HTML renders it so).
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits a printed caption into caption and credit: the credit is the
/// final parenthesized group, balanced or not. A balanced group loses its
/// parentheses (`Boats. (Jane Doe/Wire)` → `Jane Doe/Wire`), unless empty;
/// an unclosed one keeps its `(` so the damage stays visible to the credit
/// rules (`China. (Screenshot/` → `(Screenshot/`, R002; `China. (` → `(`,
/// R003). A caption whose parentheses all close mid-sentence has no credit.
pub fn split_credit(printed: &str) -> (String, Option<String>) {
    let t = printed.trim();
    if let Some(body) = t.strip_suffix(')') {
        let mut depth = 1usize;
        for (i, c) in body.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' => {
                    depth -= 1;
                    if depth == 0 {
                        let inner = body[i + 1..].trim();
                        let credit = if inner.is_empty() {
                            t[i..].to_owned()
                        } else {
                            inner.to_owned()
                        };
                        return (t[..i].trim_end().to_owned(), Some(credit));
                    }
                }
                _ => {}
            }
        }
        return (t.to_owned(), None);
    }
    match t.rfind('(') {
        Some(i) if !t[i..].contains(')') => (t[..i].trim_end().to_owned(), Some(t[i..].to_owned())),
        _ => (t.to_owned(), None),
    }
}

/// The item path a `src` names, relative to the media root, or why it
/// names none. Query and fragment are dropped, `%XX` escapes decoded
/// (RFC 3986 §2.1), a leading `./` or `/` (the site's root) removed.
pub fn item_path(src: &str) -> Result<String, &'static str> {
    let lower = src.to_ascii_lowercase();
    if src.starts_with("//") || lower.starts_with("data:") || lower.contains("://") {
        return Err("not a file beside the story (save the page with its images)");
    }
    let end = src.find(['?', '#']).unwrap_or(src.len());
    let decoded = percent_decode(&src[..end]);
    let mut p: &str = &decoded;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    let p = p.trim_start_matches('/');
    if p.is_empty() {
        return Err("empty image path");
    }
    check_path(p).map_err(|_| "unsafe path: it climbs out of the media root")?;
    Ok(nfc(p).into_owned())
}

/// `%XX` escapes decoded; a `%` not followed by two hex digits is literal text.
fn percent_decode(s: &str) -> Cow<'_, str> {
    // Escapes that do not decode to UTF-8 are kept as written.
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .unwrap_or(Cow::Borrowed(s))
}

/// The figures as one record per image: caption and credit split (only when
/// printed with a caption), alt when given. A figure printed again is
/// imported once, from its first printing, with a [`Notice::PrintedTwice`].
pub fn records(figures: &[Figure]) -> (Vec<Incoming>, Vec<Notice>) {
    let mut out: Vec<Incoming> = Vec::new();
    let mut notices = Vec::new();
    let mut seen: HashMap<String, (usize, usize, bool)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for fig in figures {
        let path = match item_path(&fig.src) {
            Ok(p) => p,
            Err(reason) => {
                notices.push(Notice::SkippedImage {
                    at: fig.at.clone(),
                    src: fig.src.clone(),
                    reason,
                });
                continue;
            }
        };
        let mut values = Vec::new();
        if let Some(printed) = &fig.caption {
            let (caption, credit) = split_credit(printed);
            values.push((Slot::Field(Field::Caption), caption));
            values.push((Slot::Field(Field::Credit), credit.unwrap_or_default()));
        }
        if let Some(alt) = &fig.alt {
            values.push((Slot::Field(Field::Alt), alt.clone()));
        }
        let key = path_key(&path);
        if let Some((first, times, differs)) = seen.get_mut(&key) {
            *times += 1;
            *differs |= out[*first].values != values;
            continue;
        }
        seen.insert(key.clone(), (out.len(), 1, false));
        order.push(key);
        out.push(Incoming {
            at: fig.at.clone(),
            path,
            values,
        });
    }
    for key in order {
        if let Some(&(first, times, differs)) = seen.get(&key)
            && times > 1
        {
            notices.push(Notice::PrintedTwice {
                path: out[first].path.clone(),
                times,
                differs,
            });
        }
    }
    (out, notices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_is_the_final_parenthesized_group_balanced_or_not() {
        let s = |t: &str| split_credit(t);
        assert_eq!(
            s("Boats at dawn. (Jane Doe/Wire)"),
            ("Boats at dawn.".into(), Some("Jane Doe/Wire".into()))
        );
        assert_eq!(
            s("Doctors in Henan. (Screenshot/"),
            ("Doctors in Henan.".into(), Some("(Screenshot/".into()))
        );
        assert_eq!(s("China. ("), ("China.".into(), Some("(".into())));
        assert_eq!(s("China. ()"), ("China.".into(), Some("()".into())));
        assert_eq!(
            s("A sign (left) at the parade (Jane (JD) Doe/AP)"),
            (
                "A sign (left) at the parade".into(),
                Some("Jane (JD) Doe/AP".into())
            )
        );
        assert_eq!(
            s("Smith (left) and Jones."),
            ("Smith (left) and Jones.".into(), None)
        );
        assert_eq!(s("Unmatched)"), ("Unmatched)".into(), None));
        assert_eq!(s(""), (String::new(), None));
    }

    #[test]
    fn html_figures_and_loose_images_in_the_article() {
        let html = r#"<html><body><img src="logo.png" alt="Logo"><article>
            <figure><img src="a%20b.jpg?w=600" alt=" Boats "><figcaption>Boats at
              dawn. <span>(Jane Doe/Wire)</span></figcaption></figure>
            <p><img src="./c.jpg" alt="Gulls"></p>
            <figure><img src="https://cdn.example/x.jpg"><figcaption>X (Y)</figcaption></figure>
            </article></body></html>"#;
        let figs = figures(Kind::Html, html);
        assert_eq!(figs.len(), 3, "{figs:#?}");
        assert_eq!(figs[0].src, "a%20b.jpg?w=600");
        assert_eq!(
            figs[0].caption.as_deref(),
            Some("Boats at dawn. (Jane Doe/Wire)")
        );
        assert_eq!(figs[0].alt.as_deref(), Some("Boats"));
        assert_eq!(figs[1].caption, None);
        let (recs, notices) = records(&figs);
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].path, "a b.jpg");
        assert_eq!(recs[1].path, "c.jpg");
        assert!(matches!(notices[0], Notice::SkippedImage { .. }));
    }

    #[test]
    fn markdown_caption_is_the_line_or_paragraph_under_the_image() {
        let md = "# Story\n\n![Boats](a.jpg)\nBoats at dawn. (Jane Doe/Wire)\n\n\
                  ![Gulls](b.jpg)\n\nGulls. (\n\n![No caption](c.jpg)\n\n## Next\n\nBody text.\n";
        let figs = figures(Kind::Markdown, md);
        assert_eq!(figs.len(), 3, "{figs:#?}");
        assert_eq!(
            figs[0].caption.as_deref(),
            Some("Boats at dawn. (Jane Doe/Wire)")
        );
        assert_eq!(figs[1].caption.as_deref(), Some("Gulls. ("));
        assert_eq!(figs[2].caption, None);
        assert_eq!(figs[2].alt.as_deref(), Some("No caption"));
    }

    #[test]
    fn unsafe_and_remote_sources_are_refused() {
        assert!(item_path("../etc/passwd").is_err());
        assert!(item_path("http://x/y.jpg").is_err());
        assert!(item_path("data:image/png;base64,AAAA").is_err());
        assert_eq!(item_path("/img/caf%C3%A9.jpg#x").unwrap(), "img/café.jpg");
        assert_eq!(item_path("%FF.jpg").unwrap(), "%FF.jpg");
        assert_eq!(item_path("100%.jpg").unwrap(), "100%.jpg");
        assert_eq!(item_path("a%2.jpg").unwrap(), "a%2.jpg");
        assert_eq!(item_path("a%20b%2fc.jpg").unwrap(), "a b/c.jpg");
    }

    #[test]
    fn parsers_do_not_panic_on_junk() {
        for junk in [
            "",
            "<",
            "<figure><figcaption>",
            "![",
            "![](",
            "\u{0}\u{feff}<img src>",
        ] {
            let _ = figures(Kind::Html, junk);
            let _ = figures(Kind::Markdown, junk);
        }
    }
}
