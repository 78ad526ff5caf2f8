//! The house forms (`Name/Agency`, `Agency/Name`, `X via Y`, `X for Y`, `Courtesy of X`,
//! `Screenshot/Source`, `Handout/Source`, `Pool`, `Illustration by X`, lists): which one a
//! peeled credit line takes, its parts, and the agencies it names.

use super::lex::{
    fold_lower_ascii, has_alnum, list_pieces, rsplit_top_word, split_top_char, top_chars,
    with_normalized, words_at,
};
use super::names::{agencyish, namey, person_like};
use super::words::is_known;
use super::{CreditLine, Defect, Prefix, parse_at, push_unique};

/// How deep credits may nest (a list inside a `via` inside a list …) before the parser stops
/// looking and calls the rest unrecognized: bounds the work on hostile input.
const MAX_DEPTH: usize = 6;

/// The shape of a credit line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// `Jane Doe/Reuters`, `Benjamin Chasteen/The Epoch Times`, `Óscar Cañas/EUROPA PRESS/dpa`.
    NameAgency {
        /// The photographer (or first part).
        name: String,
        /// The agency part(s), `/`-joined when more than one.
        agency: String,
    },
    /// `AP Photo/Evan Vucci`, `Reuters/Jane Doe`.
    AgencyName {
        /// The agency.
        agency: String,
        /// The photographer part(s), `/`-joined when more than one.
        name: String,
    },
    /// One agency or one name: `Reuters`, `Getty Images`, `NASA`, `Jane Doe`.
    Single(String),
    /// `Handout via Reuters`, `Jane Doe/Reuters via Getty Images`.
    Via {
        /// Who made or released it.
        who: String,
        /// Who distributed it.
        via: String,
    },
    /// `Jane Doe for The Washington Post`.
    For {
        /// The photographer.
        who: String,
        /// The publication commissioning the work.
        publication: String,
    },
    /// `Courtesy of X`, `Courtesy X`: holds X (empty when cut off).
    Courtesy(String),
    /// `Screenshot/Source`, `Screenshot via Source`, `Screenshot of X`: holds the source.
    Screenshot(String),
    /// `Handout/Source`, `Source/Handout`, `Handout`: holds the source (may be empty).
    Handout(String),
    /// `Pool`, `Pool/Getty Images`, `Jane Doe/Pool`, `Jane Doe/AFP/Pool`: the rest, if any.
    Pool(Option<String>),
    /// `Illustration by X`, `Photo illustration by X`, `Illustration/X`: holds X.
    Illustration(String),
    /// Several full credits joined by `;`, `, `, ` and ` or ` & `, each parsed.
    Multiple(Vec<CreditLine>),
    /// Has a name in it, but in no house form.
    Unrecognized,
    /// Nothing but punctuation, symbols and whitespace.
    Empty,
}

impl Form {
    /// The variant's name, for messages and tests: `"NameAgency"`, `"Courtesy"`, …
    pub fn kind(&self) -> &'static str {
        match self {
            Form::NameAgency { .. } => "NameAgency",
            Form::AgencyName { .. } => "AgencyName",
            Form::Single(_) => "Single",
            Form::Via { .. } => "Via",
            Form::For { .. } => "For",
            Form::Courtesy(_) => "Courtesy",
            Form::Screenshot(_) => "Screenshot",
            Form::Handout(_) => "Handout",
            Form::Pool(_) => "Pool",
            Form::Illustration(_) => "Illustration",
            Form::Multiple(_) => "Multiple",
            Form::Unrecognized => "Unrecognized",
            Form::Empty => "Empty",
        }
    }
}

/// What [`classify`] makes of the text: the form and what [`CreditLine`] takes from it.
pub(super) struct Parsed {
    /// The form.
    pub(super) form: Form,
    /// The agencies named, in order, each once.
    pub(super) agencies: Vec<String>,
    /// Marked as a file photo.
    pub(super) file: bool,
    /// The truncations of a list's members.
    pub(super) child_defects: Vec<Defect>,
    /// The first prefix of a list's members.
    pub(super) child_prefix: Option<Prefix>,
}

impl Parsed {
    fn new(form: Form) -> Self {
        Parsed {
            form,
            agencies: Vec::new(),
            file: false,
            child_defects: Vec::new(),
            child_prefix: None,
        }
    }

    fn with_agencies(form: Form, agencies: Vec<String>) -> Self {
        let mut p = Parsed::new(form);
        for a in agencies {
            push_unique(&mut p.agencies, a);
        }
        p
    }
}

pub(super) fn classify(text: &str, depth: usize, allow_list: bool) -> Parsed {
    let text = text.trim();
    if depth > MAX_DEPTH || !has_alnum(text) {
        return Parsed::new(Form::Unrecognized);
    }
    let next = depth.saturating_add(1);

    // `Jane Doe/Reuters; John Roe/AP`
    let mut pieces = split_top_char(text, ';')
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let first = pieces.next();
    if let (Some(a), Some(b)) = (first, pieces.next()) {
        let lines = [a, b]
            .into_iter()
            .chain(pieces)
            .map(|p| parse_at(p, next, true))
            .collect();
        return multiple(lines);
    }
    let text = first.unwrap_or(text);

    // `AP Photo/Evan Vucci, File`, `Jane Doe/AFP, Pool`
    if let Some((before, after)) = split_last_top_comma(text)
        && has_alnum(before)
    {
        if is_file_marker(after) {
            let mut inner = classify(before, next, allow_list);
            inner.file = true;
            return inner;
        }
        if after.eq_ignore_ascii_case("pool") {
            let inner = classify(before, next, false);
            let mut p = Parsed::with_agencies(Form::Pool(Some(before.to_string())), inner.agencies);
            p.file = inner.file;
            return p;
        }
    }

    if let Some(n) = words_at(text, &["courtesy"]) {
        let rest = text.get(n..).unwrap_or("").trim_start();
        let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        let rest = match words_at(rest, &["of"]) {
            Some(m) => rest.get(m..).unwrap_or(""),
            None => rest,
        };
        return Parsed::new(Form::Courtesy(rest.trim().to_string()));
    }
    for lead in SCREENSHOT_LEADS {
        if let Some(n) = words_at(text, lead) {
            let rest = text.get(n..).unwrap_or("").trim();
            return Parsed::new(Form::Screenshot(rest.to_string()));
        }
    }
    for lead in ILLUSTRATION_LEADS {
        if let Some(n) = words_at(text, lead) {
            let rest = text.get(n..).unwrap_or("").trim();
            let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
            return Parsed::new(Form::Illustration(rest.to_string()));
        }
    }

    // `NASA, ESA, Michael Wong`, `Jane Doe/Reuters and John Roe/AP`
    if allow_list {
        let pieces = list_pieces(text);
        if pieces.len() >= 2 {
            let lines: Vec<CreditLine> = pieces.iter().map(|p| parse_at(p, next, false)).collect();
            if name_comma_agency(&lines) {
                return Parsed::new(Form::Unrecognized);
            }
            if lines.iter().all(list_member) {
                return multiple(lines);
            }
        }
    }

    if let Some((who, via)) = rsplit_top_word(text, "via") {
        if marker(who) == Some(Marker::Screenshot) {
            return Parsed::new(Form::Screenshot(via.to_string()));
        }
        let inner = classify(who, next, false);
        let mut agencies = inner.agencies;
        agencies.extend(source_agencies(via, next));
        let mut p = Parsed::with_agencies(
            Form::Via {
                who: who.to_string(),
                via: via.to_string(),
            },
            agencies,
        );
        p.file = inner.file;
        return p;
    }

    if let Some((who, publication)) = rsplit_top_word(text, "for")
        && person_like(who)
    {
        return Parsed::with_agencies(
            Form::For {
                who: who.to_string(),
                publication: publication.to_string(),
            },
            vec![publication.to_string()],
        );
    }

    if text.contains('/') {
        let parts: Vec<&str> = split_top_char(text, '/').collect();
        if parts.len() >= 2 {
            return slash_form(parts, next);
        }
    }
    single_form(text)
}

fn split_last_top_comma(s: &str) -> Option<(&str, &str)> {
    if !s.contains(',') {
        return None;
    }
    let at = top_chars(s)
        .filter(|&(_, c, top)| top && c == ',')
        .last()?
        .0;
    Some((s.get(..at)?.trim(), s.get(at.checked_add(1)?..)?.trim()))
}

fn multiple(lines: Vec<CreditLine>) -> Parsed {
    let mut p = Parsed::new(Form::Unrecognized);
    for line in &lines {
        for a in &line.agencies {
            push_unique(&mut p.agencies, a.clone());
        }
        for d in &line.defects {
            if matches!(d, Defect::Truncated(_)) {
                push_unique(&mut p.child_defects, d.clone());
            }
        }
        p.child_prefix = p.child_prefix.or(line.prefix);
        p.file |= line.file;
    }
    p.form = Form::Multiple(lines);
    p
}

/// Whether a piece of a `,`/`and` list is a full credit on its own.
fn list_member(line: &CreditLine) -> bool {
    match &line.form {
        Form::Single(s) => is_known(s) || person_like(s),
        Form::Unrecognized | Form::Empty | Form::Multiple(_) => false,
        _ => true,
    }
}

/// `Jane Doe, Reuters` (or `Reuters and Jane Doe`): one mistyped slash credit, not a list.
fn name_comma_agency(lines: &[CreditLine]) -> bool {
    match lines {
        [
            CreditLine {
                form: Form::Single(a),
                ..
            },
            CreditLine {
                form: Form::Single(b),
                ..
            },
        ] => person_like(a) != person_like(b),
        _ => false,
    }
}

/// `Screenshot of X`, `Screenshot from X`.
const SCREENSHOT_LEADS: &[&[&str]] = &[
    &["screenshot", "of"],
    &["screenshot", "from"],
    &["screengrab", "of"],
    &["screengrab", "from"],
    &["screen", "grab", "from"],
];

/// `Illustration by X`, `Photo illustration by X`, `Illustration: X`.
const ILLUSTRATION_LEADS: &[&[&str]] = &[
    &["illustration", "by"],
    &["photo", "illustration", "by"],
    &["photo-illustration", "by"],
    &["illustration"],
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Screenshot,
    Handout,
    Pool,
    Illustration,
}

/// A slash part that says what kind of picture it is rather than who made it.
fn marker(part: &str) -> Option<Marker> {
    fold_lower_ascii(part, marker_of).unwrap_or_else(|| {
        let words: Vec<String> = part.split_whitespace().map(str::to_lowercase).collect();
        marker_of(&words.join(" "))
    })
}

/// [`marker`] of the part's words, lowercased and joined by one space.
fn marker_of(joined: &str) -> Option<Marker> {
    match joined {
        "screenshot" | "screengrab" | "screen grab" | "screen shot" | "screen capture" => {
            Some(Marker::Screenshot)
        }
        "handout" | "handout photo" => Some(Marker::Handout),
        "pool" | "pool photo" => Some(Marker::Pool),
        "illustration" | "photo illustration" | "photo-illustration" => Some(Marker::Illustration),
        _ => None,
    }
}

fn slash_form(raw: Vec<&str>, depth: usize) -> Parsed {
    let mut parts: Vec<&str> = raw.into_iter().map(str::trim).collect();
    // A leading or trailing empty part is a truncation, reported already; read the rest.
    while parts.first().is_some_and(|p| p.is_empty()) {
        parts.remove(0);
    }
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    if parts.is_empty() || parts.iter().any(|p| p.is_empty()) {
        return Parsed::new(Form::Unrecognized);
    }
    let before = parts.len();
    parts.retain(|p| !is_file_marker(p));
    let file = parts.len() < before;
    let mut p = slash_parts(&parts, depth);
    p.file |= file;
    p
}

fn slash_parts(parts: &[&str], depth: usize) -> Parsed {
    let (first, rest) = match parts {
        [] => return Parsed::new(Form::Unrecognized),
        [one] => return single_form(one),
        [first, rest @ ..] => (*first, rest),
    };
    let last = rest.last().copied().unwrap_or(first);
    let found = match (marker(first), marker(last)) {
        (Some(m), _) => Some((m, parts.get(1..).unwrap_or(&[]))),
        (None, Some(m)) => Some((m, parts.get(..parts.len().saturating_sub(1)).unwrap_or(&[]))),
        (None, None) => None,
    };
    if let Some((m, others)) = found {
        let joined = others.join("/");
        return match m {
            Marker::Screenshot => Parsed::new(Form::Screenshot(joined)),
            Marker::Illustration => Parsed::new(Form::Illustration(joined)),
            Marker::Handout => {
                let agencies = source_agencies(&joined, depth);
                Parsed::with_agencies(Form::Handout(joined), agencies)
            }
            Marker::Pool if joined.is_empty() => Parsed::new(Form::Pool(None)),
            Marker::Pool => {
                let agencies = classify(&joined, depth, false).agencies;
                Parsed::with_agencies(Form::Pool(Some(joined)), agencies)
            }
        };
    }
    if parts.len() > 4 || !parts.iter().all(|p| is_known(p) || namey(p)) {
        return Parsed::new(Form::Unrecognized);
    }
    if agency_first(first, rest) {
        let mut agencies = vec![first.to_string()];
        agencies.extend(rest.iter().skip(1).map(|s| s.to_string()));
        let form = Form::AgencyName {
            agency: first.to_string(),
            name: rest.join("/"),
        };
        return Parsed::with_agencies(form, agencies);
    }
    let mut agencies = Vec::new();
    if is_known(first) && !person_like(first) {
        agencies.push(first.to_string());
    }
    agencies.extend(rest.iter().map(|s| s.to_string()));
    let form = Form::NameAgency {
        name: first.to_string(),
        agency: rest.join("/"),
    };
    Parsed::with_agencies(form, agencies)
}

/// `File`, `File Photo`, `File Image`: a file photo, not a party to the credit.
fn is_file_marker(part: &str) -> bool {
    with_normalized(part, |n| {
        matches!(n, "file" | "file photo" | "file image" | "file picture")
    })
}

/// `Agency/Name` rather than `Name/Agency`: only when the evidence points that way.
fn agency_first(a: &str, rest: &[&str]) -> bool {
    let Some(b) = rest.first() else {
        return false;
    };
    // `NASA/JPL-Caltech/SSI`: agencies all along, read as `Name/Agency` with the first in front.
    if rest.iter().any(|p| agencyish(p)) {
        return false;
    }
    if is_known(a) {
        return true;
    }
    person_like(b) && !person_like(a) && agencyish(a)
}

fn single_form(s: &str) -> Parsed {
    let s = s.trim();
    match marker(s) {
        Some(Marker::Screenshot) => return Parsed::new(Form::Screenshot(String::new())),
        Some(Marker::Handout) => return Parsed::new(Form::Handout(String::new())),
        Some(Marker::Pool) => return Parsed::new(Form::Pool(None)),
        Some(Marker::Illustration) => return Parsed::new(Form::Illustration(String::new())),
        None => {}
    }
    if is_file_marker(s) {
        return Parsed::new(Form::Unrecognized);
    }
    if is_known(s) {
        return Parsed::with_agencies(Form::Single(s.to_string()), vec![s.to_string()]);
    }
    if namey(s) {
        let agencies = if person_like(s) {
            Vec::new()
        } else {
            vec![s.to_string()]
        };
        return Parsed::with_agencies(Form::Single(s.to_string()), agencies);
    }
    Parsed::new(Form::Unrecognized)
}

/// The agencies a `via` target or handout source names: itself unless it is a person.
fn source_agencies(text: &str, depth: usize) -> Vec<String> {
    if !has_alnum(text) {
        return Vec::new();
    }
    let p = classify(text, depth, false);
    if p.agencies.is_empty() && !person_like(text) {
        vec![text.trim().to_string()]
    } else {
        p.agencies
    }
}
