//! The credit-line grammar as a whole: a table of real credit lines, the seed cases, and
//! generated input that must never panic.

use super::*;

/// What a row expects of the defects.
#[derive(Debug, Clone, Copy)]
enum Want {
    Clean,
    Empty,
    Trunc(fn(&Truncation) -> bool),
}
use Want::{Clean, Empty, Trunc};

fn open(c: char) -> fn(&Truncation) -> bool {
    match c {
        '(' => |t| *t == Truncation::Unbalanced('('),
        ')' => |t| *t == Truncation::Unbalanced(')'),
        '[' => |t| *t == Truncation::Unbalanced('['),
        '“' => |t| *t == Truncation::Unbalanced('“'),
        '«' => |t| *t == Truncation::Unbalanced('«'),
        '\'' => |t| *t == Truncation::Unbalanced('\''),
        '"' => |t| *t == Truncation::Unbalanced('"'),
        _ => |_| false,
    }
}
fn slash(t: &Truncation) -> bool {
    *t == Truncation::TrailingSlash
}
fn dangling(t: &Truncation) -> bool {
    matches!(t, Truncation::DanglingWord(_))
}

/// (credit line, form kind, prefix, defects)
#[allow(clippy::type_complexity)]
fn table() -> Vec<(&'static str, &'static str, Option<Prefix>, Want)> {
    use Prefix as P;
    vec![
        // Seed cases from the damaged article.
        ("(Screenshot/", "Screenshot", None, Trunc(open('('))),
        ("(", "Empty", None, Empty),
        ("(Courtesy of Xiqiang Dong)", "Courtesy", None, Clean),
        ("Courtesy of Xiqiang Dong", "Courtesy", None, Clean),
        (
            "Benjamin Chasteen/The Epoch Times",
            "NameAgency",
            None,
            Clean,
        ),
        // Wires and newspapers.
        ("Jane Doe/Reuters", "NameAgency", None, Clean),
        ("(Jane Doe/Reuters)", "NameAgency", None, Clean),
        ("Evan Vucci/AP", "NameAgency", None, Clean),
        ("AP Photo/Evan Vucci", "AgencyName", None, Clean),
        ("Reuters/Jane Doe", "AgencyName", None, Clean),
        ("Xinhua/Zhang Wei", "AgencyName", None, Clean),
        ("EPA-EFE/Jane Doe", "AgencyName", None, Clean),
        ("Northern Wire/Jane Doe", "AgencyName", None, Clean),
        ("Óscar Cañas/EUROPA PRESS/dpa", "NameAgency", None, Clean),
        ("AFP/Getty Images", "NameAgency", None, Clean),
        ("Jane O'Brien/Reuters", "NameAgency", None, Clean),
        ("Jane O’Brien/Reuters", "NameAgency", None, Clean),
        ("Reuters", "Single", None, Clean),
        ("REUTERS", "Single", None, Clean),
        ("Getty Images", "Single", None, Clean),
        ("NASA", "Single", None, Clean),
        ("Jane Doe", "Single", None, Clean),
        ("Library of Congress", "Single", None, Clean),
        ("U.S Navy", "Single", None, Clean),
        ("Jane Doe/Reuters via Getty Images", "Via", None, Clean),
        ("Handout via Reuters", "Via", None, Clean),
        ("Jane Doe via AP", "Via", None, Clean),
        ("AFP via Getty Images", "Via", None, Clean),
        ("Jane Doe for The Washington Post", "For", None, Clean),
        // Archives, museums, handouts, pools, screenshots.
        ("Courtesy of the artist", "Courtesy", None, Clean),
        ("Courtesy NASA/JPL-Caltech", "Courtesy", None, Clean),
        ("Screenshot/YouTube", "Screenshot", None, Clean),
        ("Screenshot via NTD", "Screenshot", None, Clean),
        ("Screenshot of CCTV broadcast", "Screenshot", None, Clean),
        ("Screenshot", "Screenshot", None, Clean),
        ("Handout/Ministry of Defence", "Handout", None, Clean),
        ("Reuters/Handout", "Handout", None, Clean),
        ("Handout", "Handout", None, Clean),
        ("Pool", "Pool", None, Clean),
        ("Pool/Getty Images", "Pool", None, Clean),
        ("Jane Doe/Pool", "Pool", None, Clean),
        ("Jane Doe/AFP/Pool", "Pool", None, Clean),
        ("File/AP", "Single", None, Clean),
        ("AP Photo/Evan Vucci, File", "AgencyName", None, Clean),
        (
            "Illustration by The Epoch Times",
            "Illustration",
            None,
            Clean,
        ),
        // Several credits.
        ("Jane Doe/Reuters; John Roe/AP", "Multiple", None, Clean),
        ("Jane Doe/Reuters and John Roe/AP", "Multiple", None, Clean),
        ("NASA, ESA, Michael Wong", "Multiple", None, Clean),
        ("Jane Doe and John Roe", "Multiple", None, Clean),
        ("Jane Doe, Reuters", "Unrecognized", None, Clean),
        ("NASA/JPL-Caltech/SSI", "NameAgency", None, Clean),
        ("REUTERS/Jane Doe/File Photo", "AgencyName", None, Clean),
        (
            "Allan Kohl; Minneapolis College of Art & Design Visual Resource Collection",
            "Multiple",
            None,
            Clean,
        ),
        // Prefixes (R007).
        ("© Reuters", "Single", Some(P::CopyrightSign), Clean),
        (
            "©2024 Jane Doe/Reuters",
            "NameAgency",
            Some(P::CopyrightSign),
            Clean,
        ),
        ("(c) 2024 Jane Doe", "Single", Some(P::CopyrightC), Clean),
        ("(C) Reuters", "Single", Some(P::CopyrightC), Clean),
        (
            "Copyright 2023 The New York Times. All rights reserved.",
            "Single",
            Some(P::CopyrightWord),
            Clean,
        ),
        (
            "Photo: Jane Doe/Reuters",
            "NameAgency",
            Some(P::Photo),
            Clean,
        ),
        (
            "(Photo: Jane Doe/Reuters)",
            "NameAgency",
            Some(P::Photo),
            Clean,
        ),
        (
            "PHOTO: Jane Doe/Reuters",
            "NameAgency",
            Some(P::Photo),
            Clean,
        ),
        ("Photo by Jane Doe", "Single", Some(P::PhotoBy), Clean),
        ("Photograph: Jane Doe", "Single", Some(P::Photograph), Clean),
        ("Credit: NASA/ESA", "NameAgency", Some(P::Credit), Clean),
        ("Photo credit: Jane Doe", "Single", Some(P::Credit), Clean),
        ("Image: Getty Images", "Single", Some(P::Image), Clean),
        ("Picture: Alamy", "Single", Some(P::Picture), Clean),
        ("Photo courtesy of NASA", "Courtesy", Some(P::Photo), Clean),
        // Truncated (R002).
        (
            "Photo by",
            "Unrecognized",
            Some(P::PhotoBy),
            Trunc(dangling),
        ),
        (
            "Photo:",
            "Unrecognized",
            Some(P::Photo),
            Trunc(|t| *t == Truncation::TrailingPunctuation(':')),
        ),
        ("Courtesy of", "Courtesy", None, Trunc(dangling)),
        ("(Courtesy of", "Courtesy", None, Trunc(open('('))),
        ("Courtesy", "Courtesy", None, Trunc(dangling)),
        ("Jane Doe via", "Unrecognized", None, Trunc(dangling)),
        ("Jane Doe for", "Unrecognized", None, Trunc(dangling)),
        ("Jane Doe &", "Unrecognized", None, Trunc(dangling)),
        ("Jane Doe/", "Single", None, Trunc(slash)),
        ("AP Photo/", "Single", None, Trunc(slash)),
        (
            "/Reuters",
            "Single",
            None,
            Trunc(|t| *t == Truncation::LeadingSlash),
        ),
        ("Jane Doe/Reuters)", "NameAgency", None, Trunc(open(')'))),
        ("[Jane Doe/Reuters", "NameAgency", None, Trunc(open('['))),
        ("“Jane Doe/Reuters", "NameAgency", None, Trunc(open('“'))),
        ("Jane Doe/Reuters «", "NameAgency", None, Trunc(open('«'))),
        ("'Jane Doe/Reuters", "NameAgency", None, Trunc(open('\''))),
        ("\"Jane Doe/Reuters", "NameAgency", None, Trunc(open('"'))),
        (
            "NASA, ESA, Michael Wong (Space T",
            "Multiple",
            None,
            Trunc(open('(')),
        ),
        (
            "Jane Doe/Reuters,",
            "NameAgency",
            None,
            Trunc(|t| *t == Truncation::TrailingPunctuation(',')),
        ),
        (
            "Jane Doe/The New York Times…",
            "NameAgency",
            None,
            Trunc(|t| *t == Truncation::Ellipsis),
        ),
        // Empty (R003): punctuation, symbols, whitespace only.
        ("()", "Empty", None, Empty),
        ("/", "Empty", None, Empty),
        (" - ", "Empty", None, Empty),
        ("\"\"", "Empty", None, Empty),
        ("“”", "Empty", None, Empty),
        ("", "Empty", None, Empty),
        ("   \t ", "Empty", None, Empty),
        ("©", "Empty", None, Empty),
        ("© 2024", "Empty", None, Empty),
        ("(c)", "Empty", None, Empty),
        // Not a house form (R004).
        ("Ian Britton - FreeFoto.com", "Unrecognized", None, Clean),
        ("credit", "Unrecognized", None, Clean),
        ("This is a credit", "Unrecognized", None, Clean),
        ("Credit Line (ref2019.1)", "Unrecognized", None, Clean),
        ("iptc status-provider", "Unrecognized", None, Clean),
    ]
}

#[test]
fn table_of_credit_lines() {
    let rows = table();
    assert!(rows.len() >= 40);
    for (line, kind, prefix, want) in rows {
        let got = parse(line);
        assert_eq!(got.form.kind(), kind, "form of {line:?}: {got:?}");
        assert_eq!(got.prefix, prefix, "prefix of {line:?}: {got:?}");
        match want {
            Clean => assert!(got.defects.is_empty(), "defects of {line:?}: {got:?}"),
            Empty => {
                assert!(got.is_empty(), "{line:?} should be empty: {got:?}");
                assert_eq!(got.truncation(), None, "{line:?} empty, not truncated");
                assert_eq!(got.defects, vec![Defect::Empty]);
            }
            Trunc(pred) => {
                assert!(!got.is_empty(), "{line:?} is not empty: {got:?}");
                assert!(
                    got.defects
                        .iter()
                        .any(|d| matches!(d, Defect::Truncated(t) if pred(t))),
                    "{line:?} should show that truncation: {got:?}"
                );
            }
        }
        let house = !matches!(kind, "Unrecognized" | "Empty");
        assert_eq!(got.is_house_style(), house, "house style of {line:?}");
    }
}

#[test]
fn seed_screenshot_is_truncated_twice_and_not_empty() {
    let got = parse("(Screenshot/");
    assert!(!got.is_empty());
    assert_eq!(got.truncation(), Some(&Truncation::Unbalanced('(')));
    assert!(
        got.defects
            .contains(&Defect::Truncated(Truncation::TrailingSlash))
    );
    assert_eq!(got.form, Form::Screenshot(String::new()));
}

#[test]
fn seed_open_paren_is_empty_only() {
    let got = parse("(");
    assert_eq!(got.defects, vec![Defect::Empty]);
    assert_eq!(got.form, Form::Empty);
    assert!(!got.is_house_style());
    assert_eq!(got.truncation(), None);
}

#[test]
fn seed_good_credits_are_clean_house_style() {
    for line in [
        "(Courtesy of Xiqiang Dong)",
        "Courtesy of Xiqiang Dong",
        "Benjamin Chasteen/The Epoch Times",
    ] {
        let got = parse(line);
        assert!(got.defects.is_empty(), "{line}: {got:?}");
        assert!(got.is_house_style(), "{line}");
        assert_eq!(got.prefix, None);
    }
    assert_eq!(
        parse("(Courtesy of Xiqiang Dong)").form,
        Form::Courtesy("Xiqiang Dong".into())
    );
    assert_eq!(
        parse("Benjamin Chasteen/The Epoch Times").form,
        Form::NameAgency {
            name: "Benjamin Chasteen".into(),
            agency: "The Epoch Times".into()
        }
    );
}

#[test]
fn forms_hold_their_parts() {
    assert_eq!(
        parse("AP Photo/Evan Vucci").form,
        Form::AgencyName {
            agency: "AP Photo".into(),
            name: "Evan Vucci".into()
        }
    );
    assert_eq!(
        parse("Jane Doe/Reuters via Getty Images").form,
        Form::Via {
            who: "Jane Doe/Reuters".into(),
            via: "Getty Images".into()
        }
    );
    assert_eq!(
        parse("Jane Doe for The Washington Post").form,
        Form::For {
            who: "Jane Doe".into(),
            publication: "The Washington Post".into()
        }
    );
    assert_eq!(
        parse("Pool/Getty Images").form,
        Form::Pool(Some("Getty Images".into()))
    );
    assert_eq!(parse("Pool").form, Form::Pool(None));
    assert_eq!(
        parse("Screenshot/YouTube").form,
        Form::Screenshot("YouTube".into())
    );
    let file = parse("File/AP");
    assert_eq!(file.form, Form::Single("AP".into()));
    assert!(file.file);
    let copy = parse("© 2024 Jane Doe/Reuters. All rights reserved.");
    assert_eq!(copy.body, "Jane Doe/Reuters");
    assert_eq!(copy.prefix, Some(Prefix::CopyrightSign));
    match parse("Jane Doe/Reuters; John Roe/AP").form {
        Form::Multiple(lines) => {
            let kinds: Vec<&str> = lines.iter().map(|l| l.form.kind()).collect();
            assert_eq!(kinds, ["NameAgency", "NameAgency"]);
        }
        other => panic!("not a list: {other:?}"),
    }
}

#[test]
fn agencies_name_agency_slots_only() {
    assert_eq!(parse("Jane Doe/Reuters").agencies(), ["Reuters"]);
    assert_eq!(parse("AP Photo/Evan Vucci").agencies(), ["AP Photo"]);
    assert_eq!(
        parse("Jane Doe/Reuters via Getty Images").agencies(),
        ["Reuters", "Getty Images"]
    );
    assert_eq!(
        parse("Óscar Cañas/EUROPA PRESS/dpa").agencies(),
        ["EUROPA PRESS", "dpa"]
    );
    assert_eq!(
        parse("AFP/Getty Images").agencies(),
        ["AFP", "Getty Images"]
    );
    assert_eq!(
        parse("Jane Doe for The Washington Post").agencies(),
        ["The Washington Post"]
    );
    assert_eq!(
        parse("Jane Doe/Reuters; John Roe/AP").agencies(),
        ["Reuters", "AP"]
    );
    assert_eq!(parse("Jane Doe/AFP/Pool").agencies(), ["AFP"]);
    assert_eq!(parse("Handout via Reuters").agencies(), ["Reuters"]);
    assert!(parse("Courtesy of Xiqiang Dong").agencies().is_empty());
    assert!(parse("Screenshot/YouTube").agencies().is_empty());
    assert!(parse("Jane Doe").agencies().is_empty());
    assert_eq!(parse("NASA").agencies(), ["NASA"]);
}

#[test]
fn truncations_read_as_an_editor_would_say_them() {
    let said = |line: &str| parse(line).truncation().map(ToString::to_string);
    assert_eq!(said("(Screenshot/").as_deref(), Some("unclosed '('"));
    assert_eq!(
        said("Jane Doe/").as_deref(),
        Some("nothing after the final '/'")
    );
    assert_eq!(said("Handout via").as_deref(), Some("ends with 'via'"));
    assert_eq!(said("Courtesy of").as_deref(), Some("ends with 'of'"));
    assert_eq!(said("Jane Doe)").as_deref(), Some("unmatched ')'"));
    assert_eq!(Prefix::PhotoBy.to_string(), "Photo by");
    assert_eq!(Defect::Empty.to_string(), "no name in it, only punctuation");
}

/// Fixed-seed xorshift, so a failure replays.
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn check_invariants(line: &str) {
    let got = parse(line);
    assert!(!(got.is_empty() && got.truncation().is_some()), "{line:?}");
    assert_eq!(got.is_empty(), got.form == Form::Empty, "{line:?}: {got:?}");
    for d in &got.defects {
        let _ = d.to_string();
    }
    let _ = got.agencies();
    let _ = got.is_house_style();
}

#[test]
fn never_panics_on_generated_strings() {
    const PIECES: &[&str] = &[
        "(",
        ")",
        "/",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "'",
        "“",
        "”",
        "‘",
        "’",
        "«",
        "»",
        "‹",
        "›",
        "©",
        "(c)",
        " ",
        " ",
        "  ",
        "\t",
        "a",
        "B",
        "é",
        "Ñ",
        "漢",
        "ß",
        "\u{202e}",
        "\0",
        ";",
        ",",
        ":",
        "-",
        "–",
        "…",
        ".",
        "&",
        "+",
        "@",
        "via ",
        " of ",
        "by ",
        " for ",
        " and ",
        "Courtesy ",
        "Photo by ",
        "Photo: ",
        "Copyright ",
        "2024",
        "Pool",
        "File",
        "Handout",
        "Screenshot",
        "Reuters",
        "AP Photo",
        "Jane Doe",
        "\u{0301}",
        "\u{FFFD}",
    ];
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let len = rng.below(24);
        let line: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        check_invariants(&line);
    }
    // Raw pseudo-random bytes, decoded lossily as the caller would.
    for _ in 0..2_000 {
        let len = rng.below(64);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        check_invariants(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn never_panics_on_truncations_of_a_valid_credit() {
    let full = "(© 2024 Óscar Cañas/EUROPA PRESS/dpa via “Getty Images”; Courtesy of the artist)";
    for (at, _) in full.char_indices() {
        check_invariants(full.get(..at).unwrap_or(""));
        check_invariants(full.get(at..).unwrap_or(""));
    }
}

#[test]
fn long_and_deep_input_stays_cheap() {
    let deep = "(".repeat(5_000) + "Jane Doe/Reuters" + &")".repeat(4_000);
    check_invariants(&deep);
    let wide = "Jane Doe/Reuters via AP, ".repeat(2_000);
    check_invariants(&wide);
    let vias = "Jane Doe via ".repeat(2_000) + "AP";
    check_invariants(&vias);
    let slashes = "A/".repeat(5_000);
    check_invariants(&slashes);
}
