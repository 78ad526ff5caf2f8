//! The HTML contact sheet as data: a card per manifest item, unlisted file and finding path, each with its findings and thumbnail.

mod template;
pub mod thumbnail;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::finding::Finding;
use crate::format::Format;
use crate::manifest::{Manifest, check_path, path_key};
use crate::policy::Policy;
use crate::rules::{Code, Severity};
use crate::scan::Scanned;

pub use template::render;
pub use thumbnail::{Thumbnail, Unavailable};

/// A whole contact sheet.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// When it was made, `YYYY-MM-DD HH:MM UTC`.
    pub made: String,
    /// One section per manifest, in command-line order.
    pub sections: Vec<Section>,
}

/// The cards of one manifest.
#[derive(Debug, Clone)]
pub struct Section {
    /// The manifest as named on the command line.
    pub manifest: String,
    /// Its media root, for display.
    pub root: String,
    /// Items in manifest order, then unlisted files, then any other path a
    /// finding names.
    pub cards: Vec<Card>,
}

/// What a card stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A manifest item whose file is on disk.
    Listed,
    /// A manifest item whose file is not on disk.
    Missing,
    /// A manifest item whose path is unsafe (M004): never opened.
    Refused,
    /// A file on disk the manifest does not list.
    Unlisted,
    /// A path only a finding names.
    Other,
}

impl Kind {
    /// The card's label, as shown.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Refused => "not opened",
            other => other.name(),
        }
    }

    /// The name used in the page's classes and `data-kind`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Listed => "listed",
            Kind::Missing => "missing",
            Kind::Refused => "refused",
            Kind::Unlisted => "unlisted",
            Kind::Other => "other",
        }
    }
}

/// One card: a file, what the desk says about it, and what is wrong.
#[derive(Debug, Clone)]
pub struct Card {
    /// Listed, missing, unlisted or other.
    pub kind: Kind,
    /// The path relative to the root, as the manifest or the walk gives it.
    pub path: String,
    /// The caption that would print: the manifest's, else the embedded one.
    pub caption: Option<String>,
    /// The credit that would print: the manifest's, else the embedded one.
    pub credit: Option<String>,
    /// The manifest's `alt` text.
    pub alt: Option<String>,
    /// Creators: the manifest's, else the embedded ones.
    pub creator: Vec<String>,
    /// The date: the manifest's, else the embedded one.
    pub date: Option<String>,
    /// Pixel width from the header.
    pub width: Option<u32>,
    /// Pixel height from the header.
    pub height: Option<u32>,
    /// The container format sniffed from the bytes.
    pub format: Option<Format>,
    /// Size in bytes.
    pub size: Option<u64>,
    /// SHA-256 of the file.
    pub sha256: Option<String>,
    /// The findings on this path, sorted by code.
    pub findings: Vec<Finding>,
    /// The file to draw, when it is on disk under the root.
    pub file: Option<PathBuf>,
    /// The preview.
    pub thumbnail: Thumbnail,
}

impl Card {
    fn new(kind: Kind, path: &str) -> Self {
        Card {
            kind,
            path: path.to_owned(),
            caption: None,
            credit: None,
            alt: None,
            creator: Vec::new(),
            date: None,
            width: None,
            height: None,
            format: None,
            size: None,
            sha256: None,
            findings: Vec::new(),
            file: None,
            thumbnail: Thumbnail::Unavailable(match kind {
                Kind::Missing => Unavailable::Missing,
                _ => Unavailable::NotOpened,
            }),
        }
    }

    /// The worst severity on the card, `None` when it has no findings.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// `alt` text: the manifest's `alt`, else the caption, else the file name.
    pub fn alt_text(&self) -> String {
        self.alt
            .as_deref()
            .or(self.caption.as_deref())
            .map(str::to_owned)
            .unwrap_or_else(|| format!("Image {}", self.path))
    }

    /// The credit as a page prints it: in parentheses, unless the credit
    /// already brings its own.
    pub fn printed_credit(&self) -> Option<String> {
        let c = self.credit.as_deref()?.trim();
        Some(if c.starts_with('(') {
            c.to_owned()
        } else {
            format!("({c})")
        })
    }

    fn fill_from(&mut self, s: &Scanned, root: &Path) {
        self.width = s.width;
        self.height = s.height;
        self.format = s.format;
        self.size = Some(s.size);
        self.sha256.clone_from(&s.sha256);
        self.file = Some(root.join(&s.path));
    }
}

/// One manifest's check, as the sheet needs it.
pub struct Input<'a> {
    /// The manifest as named.
    pub manifest_name: &'a str,
    /// The manifest.
    pub manifest: &'a Manifest,
    /// Its media root (opened) and how to show it.
    pub root: &'a Path,
    /// The root for display.
    pub root_display: String,
    /// Its policy (ignored paths get no card, as `check` counts no item).
    pub policy: &'a Policy,
    /// Every file under the root, scanned.
    pub scanned: &'a [Scanned],
    /// The findings `check` reports for this manifest.
    pub findings: Vec<Finding>,
}

/// The cards of one manifest, without thumbnails (see [`draw_thumbnails`]).
/// Every finding lands on exactly one card, so the badges add up to the
/// JSON report: M003 (listed twice) on the last listing of the path, all
/// others on the first.
pub fn section(input: Input<'_>) -> Section {
    let by_key: HashMap<String, &Scanned> = input
        .scanned
        .iter()
        .map(|s| (path_key(&s.path), s))
        .collect();
    let mut cards = Vec::new();
    let mut listed: HashMap<String, Vec<usize>> = HashMap::new();
    for item in &input.manifest.items {
        if input.policy.is_ignored(&item.path) {
            continue;
        }
        let key = path_key(&item.path);
        let record = by_key.get(&key).copied();
        let kind = match record {
            Some(_) => Kind::Listed,
            None if check_path(&item.path).is_err() => Kind::Refused,
            None => Kind::Missing,
        };
        let mut card = Card::new(kind, &item.path);
        let eff = record.map(Scanned::effective);
        card.caption = item
            .caption
            .clone()
            .or_else(|| eff.and_then(|e| e.caption.clone()));
        card.credit = item
            .credit
            .clone()
            .or_else(|| eff.and_then(|e| e.credit.clone()));
        card.creator = if item.creator.is_empty() {
            eff.map(|e| e.creator.clone()).unwrap_or_default()
        } else {
            item.creator.clone()
        };
        card.date = item
            .date
            .clone()
            .or_else(|| eff.and_then(|e| e.date.clone()));
        card.alt.clone_from(&item.alt);
        if let Some(r) = record {
            card.fill_from(r, input.root);
        }
        listed.entry(key).or_default().push(cards.len());
        cards.push(card);
    }
    for s in input.scanned {
        let key = path_key(&s.path);
        if listed.contains_key(&key) || input.policy.is_ignored(&s.path) {
            continue;
        }
        let named = input.findings.iter().any(|f| path_key(&f.path) == key);
        if !s.is_image() && !named {
            continue; // a README beside the photos is no card
        }
        let mut card = Card::new(Kind::Unlisted, &s.path);
        card.caption.clone_from(&s.effective().caption);
        card.credit.clone_from(&s.effective().credit);
        card.creator.clone_from(&s.effective().creator);
        card.date.clone_from(&s.effective().date);
        card.fill_from(s, input.root);
        listed.entry(key).or_default().push(cards.len());
        cards.push(card);
    }
    for f in input.findings {
        let key = path_key(&f.path);
        let at = match listed.get(&key) {
            Some(at) if f.code == Code::M003 => at.last().copied(),
            Some(at) => at.first().copied(),
            None => None,
        };
        let at = at.unwrap_or_else(|| {
            listed.insert(key, vec![cards.len()]);
            cards.push(Card::new(Kind::Other, &f.path));
            cards.len() - 1
        });
        if let Some(card) = cards.get_mut(at) {
            card.findings.push(f);
        }
    }
    for c in &mut cards {
        c.findings
            .sort_by_key(|f| (std::cmp::Reverse(f.severity), f.code));
    }
    Section {
        manifest: input.manifest_name.to_owned(),
        root: input.root_display,
        cards,
    }
}

/// Draws every card's thumbnail, in parallel; a file that cannot be read
/// or decoded gets a placeholder, never an error.
pub fn draw_thumbnails(sections: &mut [Section]) {
    let mut cards: Vec<&mut Card> = sections.iter_mut().flat_map(|s| &mut s.cards).collect();
    cards.par_iter_mut().for_each(|card| {
        let Some(file) = &card.file else { return };
        card.thumbnail = match std::fs::read(file) {
            Ok(bytes) => thumbnail::make(&bytes),
            Err(e) => Thumbnail::Unavailable(Unavailable::Failed(e.to_string())),
        };
    });
}

/// `YYYY-MM-DD HH:MM UTC` for `t`; `SOURCE_DATE_EPOCH` (reproducible-builds.org)
/// overrides it so a committed sheet can be remade byte for byte.
pub fn timestamp(t: SystemTime) -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            t.duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        });
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = crate::civil::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_credit_adds_parentheses_once() {
        let mut c = Card::new(Kind::Listed, "a.jpg");
        c.credit = Some("Jane Doe/Wire".into());
        assert_eq!(c.printed_credit().as_deref(), Some("(Jane Doe/Wire)"));
        c.credit = Some("(Screenshot/".into());
        assert_eq!(c.printed_credit().as_deref(), Some("(Screenshot/"));
    }
}
