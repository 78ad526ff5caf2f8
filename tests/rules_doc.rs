//! Keeps docs/rules.md and the code catalogue in step: same codes, rule names, severities, targets, commands and policy.

use cutline::rules::Code;

#[test]
fn rules_table_matches_catalogue() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md"))
        .expect("docs/rules.md");
    let mut rows = Vec::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | code | rule | default | … : cells[0] is empty before the first bar.
        if cells.len() > 4
            && cells[1].len() == 4
            && cells[1].chars().skip(1).all(|c| c.is_ascii_digit())
        {
            rows.push((
                cells[1].to_owned(),
                cells[2].to_owned(),
                cells[3].to_owned(),
                cells[4].to_owned(),
                cells[5].to_owned(),
                cells[6].to_owned(),
            ));
        }
    }
    let documented: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    for code in Code::ALL {
        let row = rows
            .iter()
            .find(|r| r.0 == code.as_str())
            .unwrap_or_else(|| panic!("{code} is in the code but not in docs/rules.md"));
        assert_eq!(row.1, code.rule(), "rule name of {code}");
        assert_eq!(row.2, code.default_severity().name(), "severity of {code}");
        let target = serde_json::to_value(code.target()).expect("target");
        assert_eq!(Some(row.3.as_str()), target.as_str(), "points-at of {code}");
        let commands: Vec<&str> = code.commands().iter().map(|c| c.name()).collect();
        assert_eq!(row.4, commands.join(", "), "commands of {code}");
        let policy = if code.decides_validity() {
            "fixed"
        } else {
            "adjustable"
        };
        assert_eq!(row.5, policy, "policy column of {code}");
    }
    for d in documented {
        assert!(
            d.parse::<Code>().is_ok(),
            "{d} is in docs/rules.md but not in the code"
        );
    }
}
