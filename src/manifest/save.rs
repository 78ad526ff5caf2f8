//! Writing a manifest: stable JSON formatting and an atomic replace on disk.

use std::path::Path;

use serde_json::{Map, Value};

use super::ManifestError;
use super::model::{Field, ITEM_KEYS, Item, Manifest, TOP_KEYS};

/// The manifest as JSON text, formatted so that git diffs stay small:
/// two-space indent, one key per line, keys in a fixed order (`cutline`,
/// `root`, `policy`, `items`, then unknown keys in their original order;
/// inside an item `path`, `sha256`, `image_sha256`, `size`, `missing`, the
/// descriptive fields in [`Field::ALL`] order under the spelling the file
/// used, then unknown keys in their original order), UTF-8 without a
/// byte-order mark, and a final newline.
///
/// Keys in `extra` that collide with a known key or alias are not written:
/// the file would otherwise hold the key twice and fail to load.
pub fn to_json(m: &Manifest) -> String {
    let mut top = Map::new();
    top.insert("cutline".into(), Value::from(m.version));
    if let Some(root) = &m.root {
        top.insert("root".into(), Value::String(root.clone()));
    }
    if let Some(policy) = &m.policy {
        top.insert("policy".into(), policy.clone());
    }
    top.insert(
        "items".into(),
        Value::Array(m.items.iter().map(item_json).collect()),
    );
    for (k, v) in &m.extra {
        if !TOP_KEYS.contains(&k.as_str()) {
            top.insert(k.clone(), v.clone());
        }
    }
    let mut out = String::new();
    write_value(&mut out, &Value::Object(top), 0);
    out.push('\n');
    out
}

fn item_json(item: &Item) -> Value {
    let mut obj = Map::new();
    let text = |s: &Option<String>| s.as_ref().map(|s| Value::String(s.clone()));
    obj.insert("path".into(), Value::String(item.path.clone()));
    let integrity = [
        ("sha256", text(&item.sha256)),
        ("image_sha256", text(&item.image_sha256)),
        ("size", item.size.map(Value::from)),
        ("missing", item.missing.then_some(Value::Bool(true))),
    ];
    for (key, value) in integrity {
        if let Some(v) = value {
            obj.insert(key.into(), v);
        }
    }
    for field in Field::ALL {
        let value = match field {
            Field::Creator if item.creator.is_empty() => None,
            Field::Creator => Some(Value::from(item.creator.clone())),
            other => item.text(other).map(Value::from),
        };
        if let Some(v) = value {
            obj.insert(item.key_for(field).into(), v);
        }
    }
    for (k, v) in &item.extra {
        if !ITEM_KEYS.contains(&k.as_str()) && Field::from_key(k).is_none() {
            obj.insert(k.clone(), v.clone());
        }
    }
    Value::Object(obj)
}

/// Pretty-print like `serde_json::to_string_pretty` (two spaces, `"k": v`),
/// but infallibly and with the string escaping of [`write_json_string`].
fn write_value(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_json_string(out, s),
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                push_indent(out, indent + 1);
                write_value(out, v, indent + 1);
            }
            out.push('\n');
            push_indent(out, indent);
            out.push(']');
        }
        Value::Object(o) if o.is_empty() => out.push_str("{}"),
        Value::Object(o) => {
            out.push('{');
            for (i, (k, v)) in o.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                push_indent(out, indent + 1);
                write_json_string(out, k);
                out.push_str(": ");
                write_value(out, v, indent + 1);
            }
            out.push('\n');
            push_indent(out, indent);
            out.push('}');
        }
    }
}

fn push_indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Append `s` as a JSON string literal.
///
/// Besides what JSON requires (quote, backslash, U+0000–U+001F), characters
/// that are invisible or reorder text on screen are written as `\u` escapes,
/// so a reviewer sees them in a diff: DEL and C1 controls, bidi embeddings,
/// overrides and isolates (the "Trojan Source" characters), LRM/RLM, the
/// line/paragraph separators and U+FEFF. Reading gives back the same text.
pub(super) fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Write the manifest to `path` atomically ([`crate::atomic::write`]): a
/// temporary file beside it, written, `fsync`ed, given the old file's
/// permissions, renamed over `path`, then the directory `fsync`ed (on Unix)
/// so the rename survives a power cut. On any error before the rename the
/// temporary file is removed and `path` is untouched: a reader sees the old
/// manifest or the new one, never half.
pub fn save_atomic(m: &Manifest, path: &Path) -> Result<(), ManifestError> {
    crate::atomic::write(path, to_json(m).as_bytes()).map_err(|(step, source)| {
        ManifestError::Write {
            path: path.to_path_buf(),
            step,
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::WriteStep;
    use crate::manifest::load::{load, parse};
    use crate::testutil::dir_entries;
    use serde_json::json;
    use std::fs;

    const HASH: &str = "41ab000000000000000000000000000000000000000000000000000000000000";

    fn sample() -> Manifest {
        let mut item = Item::new("harbor/boats-at-dawn.jpg");
        item.sha256 = Some(HASH.into());
        item.image_sha256 = Some(HASH.into());
        item.size = Some(81_234);
        item.caption = Some("Fishing boats leave the harbor at dawn.".into());
        item.credit = Some("Jane Doe/Northern Wire".into());
        item.creator = vec!["Jane Doe".into()];
        item.copyright = Some("© 2024 Northern Wire".into());
        item.alt = Some("Three boats.".into());
        item.extra.insert(
            "desk_note".into(),
            json!({"z": 1, "a": [true, null, 2.5, "s"]}),
        );
        item.extra.insert("rank".into(), json!(-3));
        let mut gone = Item::new("gone.jpg");
        gone.missing = true;
        let mut m = Manifest::new();
        m.root = Some("../media".into());
        m.policy = Some(json!({"required": ["caption", "credit"]}));
        m.items = vec![item, gone];
        m.extra.insert("story".into(), json!("Harbor"));
        m.extra
            .insert("editors".into(), json!([{"name": "A"}, {}, []]));
        m
    }

    #[test]
    fn stable_format_matches_the_reference_layout() {
        let want = format!(
            r#"{{
  "cutline": 1,
  "root": "../media",
  "policy": {{
    "required": [
      "caption",
      "credit"
    ]
  }},
  "items": [
    {{
      "path": "harbor/boats-at-dawn.jpg",
      "sha256": "{HASH}",
      "image_sha256": "{HASH}",
      "size": 81234,
      "caption": "Fishing boats leave the harbor at dawn.",
      "credit": "Jane Doe/Northern Wire",
      "creator": [
        "Jane Doe"
      ],
      "copyright": "© 2024 Northern Wire",
      "alt": "Three boats.",
      "desk_note": {{
        "z": 1,
        "a": [
          true,
          null,
          2.5,
          "s"
        ]
      }},
      "rank": -3
    }},
    {{
      "path": "gone.jpg",
      "missing": true
    }}
  ],
  "story": "Harbor",
  "editors": [
    {{
      "name": "A"
    }},
    {{}},
    []
  ]
}}
"#
        );
        assert_eq!(to_json(&sample()), want);
    }

    #[test]
    fn round_trip_keeps_unknown_keys_and_is_a_fixed_point() {
        let m = sample();
        let text = to_json(&m);
        let back = parse(&text, Path::new("m.json")).unwrap();
        assert_eq!(back, m);
        assert_eq!(to_json(&back), text);
    }

    #[test]
    fn rewrite_keeps_alias_spelling_and_unknown_key_order() {
        let text = r#"{"zeta": 1, "items": [{"creditLine": "Jane Doe/Wire", "zz": 1, "path": "a.jpg",
            "aa": {"y": 2, "x": 1}, "description": "Boats.", "jobId": "J"}], "cutline": 1, "alpha": [1]}"#;
        let m = parse(text, Path::new("m.json")).unwrap();
        let out = to_json(&m);
        let want = r#"{
  "cutline": 1,
  "items": [
    {
      "path": "a.jpg",
      "description": "Boats.",
      "creditLine": "Jane Doe/Wire",
      "jobId": "J",
      "zz": 1,
      "aa": {
        "y": 2,
        "x": 1
      }
    }
  ],
  "zeta": 1,
  "alpha": [
    1
  ]
}
"#;
        assert_eq!(out, want);
        let again = parse(&out, Path::new("m.json")).unwrap();
        assert_eq!(again, m);
        assert_eq!(to_json(&again), out);
    }

    #[test]
    fn numbers_in_unknown_keys_reach_a_fixed_point() {
        let nums = "0, -0, 1, -1, 18446744073709551615, -9223372036854775808, 0.1, 1.10, 1e-7, 2.5E+3, \
                    123456789.123456789, 1.7976931348623157e308, 5e-324, 1e21, 123456789012345678901234567890";
        let text = format!(r#"{{"cutline":1,"items":[],"n":[{nums}]}}"#);
        let once = to_json(&parse(&text, Path::new("m")).unwrap());
        let twice = to_json(&parse(&once, Path::new("m")).unwrap());
        assert_eq!(once, twice);
        assert!(once.contains("18446744073709551615"), "{once}");
    }

    #[test]
    fn creator_string_is_written_as_an_array() {
        let m = parse(
            r#"{"cutline":1,"items":[{"path":"a","creator":"Jane"}]}"#,
            Path::new("m"),
        )
        .unwrap();
        assert!(to_json(&m).contains("\"creator\": [\n        \"Jane\"\n      ]"));
    }

    #[test]
    fn invisible_and_bidi_characters_are_escaped_and_read_back() {
        let mut m = Manifest::new();
        let mut item = Item::new("a\u{202e}gpj.exe");
        item.caption =
            Some("q\"\\\n\t\u{1}\u{7f}\u{85}\u{200f}\u{2028}\u{2066}\u{feff} é 📷".into());
        m.items.push(item);
        let text = to_json(&m);
        assert!(text.contains(r#""a\u202egpj.exe""#), "{text}");
        assert!(
            text.contains(r#""q\"\\\n\t\u0001\u007f\u0085\u200f\u2028\u2066\ufeff é 📷""#),
            "{text}"
        );
        assert!(!text.starts_with('\u{feff}'));
        assert_eq!(parse(&text, Path::new("m")).unwrap(), m);
    }

    #[test]
    fn colliding_extra_keys_are_not_written_twice() {
        let mut m = Manifest::new();
        m.extra.insert("items".into(), json!(1));
        let mut item = Item::new("a");
        item.extra.insert("path".into(), json!("b"));
        item.extra.insert("description".into(), json!("c"));
        m.items.push(item);
        let back = parse(&to_json(&m), Path::new("m")).unwrap();
        assert_eq!(back.items[0].path, "a");
        assert_eq!(back.items[0].caption, None);
    }

    #[test]
    fn atomic_save_replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("story.json");
        fs::write(&path, "old").unwrap();
        let m = sample();
        save_atomic(&m, &path).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), to_json(&m));
        assert_eq!(load(&path).unwrap(), m);
        let mut m2 = m.clone();
        m2.items.truncate(1);
        save_atomic(&m2, &path).unwrap();
        assert_eq!(load(&path).unwrap(), m2);
        assert_eq!(dir_entries(dir.path()), vec!["story.json".to_string()]);
    }

    #[cfg(unix)]
    #[test]
    fn atomic_save_keeps_the_old_file_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        save_atomic(&Manifest::new(), &path).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[cfg(unix)]
    #[test]
    fn save_into_a_read_only_directory_fails_cleanly() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ro = dir.path().join("ro");
        fs::create_dir(&ro).unwrap();
        let path = ro.join("m.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
        // Root ignores directory permissions; only check where they apply.
        let probe = ro.join("probe");
        let enforced = fs::write(&probe, "x").is_err();
        let _ = fs::remove_file(&probe);
        let result = save_atomic(&sample(), &path);
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
        if !enforced {
            // Root ignores directory permissions: make the temp file's
            // creation fail another way (its folder is a regular file), so
            // the clean-failure path is still exercised.
            eprintln!(
                "directory permissions not enforced for this user (root?): using a file as the folder"
            );
            let not_a_dir = dir.path().join("plain-file");
            fs::write(&not_a_dir, "x").unwrap();
            let e = save_atomic(&sample(), &not_a_dir.join("m.json")).unwrap_err();
            assert!(
                matches!(
                    e,
                    ManifestError::Write {
                        step: WriteStep::CreateTemp,
                        ..
                    }
                ),
                "{e:?}"
            );
            assert_eq!(fs::read_to_string(&not_a_dir).unwrap(), "x");
        } else {
            let e = result.unwrap_err();
            assert!(
                matches!(
                    e,
                    ManifestError::Write {
                        step: WriteStep::CreateTemp,
                        ..
                    }
                ),
                "{e:?}"
            );
            assert!(
                e.to_string()
                    .contains("m.json: cannot create a temporary file next to it"),
                "{e}"
            );
            assert_eq!(fs::read_to_string(&path).unwrap(), "old");
            assert_eq!(dir_entries(&ro), vec!["m.json".to_string()]);
        }
    }

    #[test]
    fn failed_rename_removes_the_temp_file_and_keeps_the_target() {
        // Renaming a file over a non-empty directory fails on every platform.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("keep"), "x").unwrap();
        let e = save_atomic(&sample(), &path).unwrap_err();
        assert!(
            matches!(
                e,
                ManifestError::Write {
                    step: WriteStep::Rename,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(dir_entries(dir.path()), vec!["m.json".to_string()]);
        assert_eq!(fs::read_to_string(path.join("keep")).unwrap(), "x");
    }
}
