//! House style (docs/design.md §6): the `policy` object of a manifest and `--policy FILE`, loaded, validated and merged.
//!
//! A policy is JSON. The manifest's `policy` is read first, then the file's;
//! a key the file sets replaces the manifest's, except `severity` and
//! `caption`, which merge entry by entry. Unknown keys are an error that
//! names the nearest valid key, so a typo never silently does nothing.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;
use serde_json::Value;

use crate::finding::Finding;
use crate::manifest::{Field, Item};
use crate::rules::{Code, Severity};

/// The keys a policy object may hold.
pub const KEYS: &[&str] = &[
    "required",
    "severity",
    "caption",
    "placeholders",
    "credit_patterns",
    "agencies",
    "unlisted",
    "ignore",
];

/// The keys of the policy's `caption` object.
pub const CAPTION_KEYS: &[&str] = &["min_length", "max_length"];

/// The fields required when no policy says otherwise.
pub const DEFAULT_REQUIRED: &[Field] = &[Field::Caption, Field::Credit];

/// What a policy does with a rule's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Report at this severity.
    Report(Severity),
    /// Drop the findings.
    Off,
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "error" => Level::Report(Severity::Error),
            "warning" => Level::Report(Severity::Warning),
            "info" => Level::Report(Severity::Info),
            "off" => Level::Off,
            _ => return None,
        })
    }
}

/// Why a policy could not be used (the run stops with exit 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The policy file could not be read.
    #[error("{}: cannot read policy: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// The policy file is not JSON.
    #[error("{}: policy is not valid JSON: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        source: serde_json::Error,
    },
    /// The policy is not a JSON object.
    #[error("{origin}: a policy must be a JSON object")]
    NotObject {
        /// Where the policy came from.
        origin: String,
    },
    /// A key no policy has.
    #[error("{origin}: unknown policy key `{key}`; did you mean `{suggestion}`?")]
    UnknownKey {
        /// Where the policy came from.
        origin: String,
        /// The key as written (`caption.` prefixed inside `caption`).
        key: String,
        /// The nearest valid key.
        suggestion: String,
    },
    /// A value of the wrong JSON type.
    #[error("{origin}: policy `{key}` must be {expected}")]
    WrongType {
        /// Where the policy came from.
        origin: String,
        /// The key.
        key: String,
        /// What it must be.
        expected: &'static str,
    },
    /// `required` names something that is not a manifest field.
    #[error(
        "{origin}: policy `required` names unknown field `{name}`; did you mean `{suggestion}`?"
    )]
    UnknownField {
        /// Where the policy came from.
        origin: String,
        /// The name as written.
        name: String,
        /// The nearest field name.
        suggestion: String,
    },
    /// `severity` names something that is not a code or rule.
    #[error(
        "{origin}: policy `severity` names unknown code or rule `{name}`; did you mean `{suggestion}`?"
    )]
    UnknownCode {
        /// Where the policy came from.
        origin: String,
        /// The name as written.
        name: String,
        /// The nearest code or rule name.
        suggestion: String,
    },
    /// A level other than error, warning, info or off.
    #[error("{origin}: policy `{key}` is `{value}`; expected error, warning, info or off")]
    BadLevel {
        /// Where the policy came from.
        origin: String,
        /// The key (`severity.R004`, `unlisted`).
        key: String,
        /// The value as written.
        value: String,
    },
    /// A credit pattern that is not a regular expression.
    #[error("{origin}: policy `credit_patterns` has an invalid regular expression: {source}")]
    BadPattern {
        /// Where the policy came from.
        origin: String,
        /// What the regex parser said.
        source: regex::Error,
    },
    /// An ignore pattern that is not a glob.
    #[error("{origin}: policy `ignore` has an invalid glob: {source}")]
    BadGlob {
        /// Where the policy came from.
        origin: String,
        /// What the glob parser said.
        source: globset::Error,
    },
    /// `caption.min_length` above `caption.max_length` (after merging).
    #[error("policy `caption`: min_length {min} is greater than max_length {max}")]
    LengthOrder {
        /// The minimum.
        min: u64,
        /// The maximum.
        max: u64,
    },
}

/// A validated policy. [`Policy::default`] is the built-in house style.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    required: Option<Vec<Field>>,
    severity: BTreeMap<Code, Level>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    placeholders: Option<Vec<String>>,
    credit_patterns: Option<Vec<Regex>>,
    agencies: Option<Vec<String>>,
    unlisted: Option<Level>,
    ignore: Option<GlobSet>,
}

impl Policy {
    /// Reads and validates a policy file (`--policy FILE`).
    pub fn from_file(path: &Path) -> Result<Policy, PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let value: Value = serde_json::from_str(&text).map_err(|source| PolicyError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        Policy::from_value(&value, &path.display().to_string())
    }

    /// Validates a policy object; `origin` names it in errors.
    pub fn from_value(value: &Value, origin: &str) -> Result<Policy, PolicyError> {
        let obj = value.as_object().ok_or_else(|| PolicyError::NotObject {
            origin: origin.to_owned(),
        })?;
        let o = origin.to_owned();
        let wrong = |key: &str, expected| PolicyError::WrongType {
            origin: o.clone(),
            key: key.to_owned(),
            expected,
        };
        let mut p = Policy::default();
        for (key, v) in obj {
            match key.as_str() {
                "required" => {
                    let names = strings(v).ok_or_else(|| wrong(key, "an array of field names"))?;
                    let mut fields = Vec::new();
                    for n in names {
                        let (f, _) =
                            Field::from_key(n).ok_or_else(|| PolicyError::UnknownField {
                                origin: o.clone(),
                                name: n.to_owned(),
                                suggestion: nearest(n, Field::ALL.iter().map(|f| f.name())),
                            })?;
                        if !fields.contains(&f) {
                            fields.push(f);
                        }
                    }
                    p.required = Some(fields);
                }
                "severity" => {
                    let map = v
                        .as_object()
                        .ok_or_else(|| wrong(key, "an object of code → level"))?;
                    for (name, level) in map {
                        let code = name.parse::<Code>().map_err(|_| PolicyError::UnknownCode {
                            origin: o.clone(),
                            name: name.clone(),
                            suggestion: nearest(
                                name,
                                Code::ALL.iter().flat_map(|c| [c.as_str(), c.rule()]),
                            ),
                        })?;
                        p.severity
                            .insert(code, level_of(level, &format!("severity.{name}"), &o)?);
                    }
                }
                "caption" => {
                    let map = v
                        .as_object()
                        .ok_or_else(|| wrong(key, "an object with min_length and/or max_length"))?;
                    for (k, n) in map {
                        let slot = match k.as_str() {
                            "min_length" => &mut p.min_length,
                            "max_length" => &mut p.max_length,
                            _ => {
                                return Err(PolicyError::UnknownKey {
                                    origin: o.clone(),
                                    key: format!("caption.{k}"),
                                    suggestion: format!(
                                        "caption.{}",
                                        nearest(k, CAPTION_KEYS.iter().copied())
                                    ),
                                });
                            }
                        };
                        *slot = Some(n.as_u64().ok_or_else(|| {
                            wrong(&format!("caption.{k}"), "a whole number of characters")
                        })?);
                    }
                }
                "placeholders" => {
                    let words = strings(v).ok_or_else(|| wrong(key, "an array of strings"))?;
                    p.placeholders = Some(
                        words
                            .into_iter()
                            .map(|w| w.trim().to_lowercase())
                            .filter(|w| !w.is_empty())
                            .collect(),
                    );
                }
                "credit_patterns" => {
                    let pats =
                        strings(v).ok_or_else(|| wrong(key, "an array of regular expressions"))?;
                    let compiled = pats
                        .into_iter()
                        .map(Regex::new)
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|source| PolicyError::BadPattern {
                            origin: o.clone(),
                            source,
                        })?;
                    p.credit_patterns = Some(compiled);
                }
                "agencies" => {
                    let names = strings(v).ok_or_else(|| wrong(key, "an array of agency names"))?;
                    p.agencies = Some(names.into_iter().map(agency_key).collect());
                }
                "unlisted" => p.unlisted = Some(level_of(v, key, &o)?),
                "ignore" => {
                    let globs =
                        strings(v).ok_or_else(|| wrong(key, "an array of glob patterns"))?;
                    let mut set = GlobSetBuilder::new();
                    for g in globs {
                        // `*` stays within one folder; `**` crosses folders.
                        let glob = GlobBuilder::new(g)
                            .literal_separator(true)
                            .build()
                            .map_err(|source| PolicyError::BadGlob {
                                origin: o.clone(),
                                source,
                            })?;
                        set.add(glob);
                    }
                    p.ignore = Some(set.build().map_err(|source| PolicyError::BadGlob {
                        origin: o.clone(),
                        source,
                    })?);
                }
                other => {
                    return Err(PolicyError::UnknownKey {
                        origin: o.clone(),
                        key: other.to_owned(),
                        suggestion: nearest(other, KEYS.iter().copied()),
                    });
                }
            }
        }
        p.check_lengths()?;
        Ok(p)
    }

    /// The policy of a manifest (its `policy` object, if any) with `over`
    /// (from `--policy FILE`) merged on top.
    pub fn for_manifest(
        manifest_policy: Option<&Value>,
        origin: &str,
        over: Option<&Policy>,
    ) -> Result<Policy, PolicyError> {
        let base = match manifest_policy {
            Some(v) => Policy::from_value(v, &format!("{origin}: `policy`"))?,
            None => Policy::default(),
        };
        match over {
            Some(o) => base.merge(o.clone()),
            None => Ok(base),
        }
    }

    /// `over` on top of `self`: each key `over` sets replaces this one's;
    /// `severity` and `caption` merge entry by entry.
    pub fn merge(mut self, over: Policy) -> Result<Policy, PolicyError> {
        self.severity.extend(over.severity);
        let merged = Policy {
            required: over.required.or(self.required),
            severity: self.severity,
            min_length: over.min_length.or(self.min_length),
            max_length: over.max_length.or(self.max_length),
            placeholders: over.placeholders.or(self.placeholders),
            credit_patterns: over.credit_patterns.or(self.credit_patterns),
            agencies: over.agencies.or(self.agencies),
            unlisted: over.unlisted.or(self.unlisted),
            ignore: over.ignore.or(self.ignore),
        };
        merged.check_lengths()?;
        Ok(merged)
    }

    fn check_lengths(&self) -> Result<(), PolicyError> {
        match (self.min_length, self.max_length) {
            (Some(min), Some(max)) if min > max => Err(PolicyError::LengthOrder { min, max }),
            _ => Ok(()),
        }
    }

    /// The fields every item must have ([`DEFAULT_REQUIRED`] unless set).
    pub fn required(&self) -> &[Field] {
        self.required.as_deref().unwrap_or(DEFAULT_REQUIRED)
    }

    /// Whether `field` is required.
    pub fn requires(&self, field: Field) -> bool {
        self.required().contains(&field)
    }

    /// The required fields other than caption and credit (which have their
    /// own codes, C001 and R001) that `item` lacks or leaves blank (F001).
    pub fn missing_fields(&self, item: &Item) -> Vec<Field> {
        self.required()
            .iter()
            .copied()
            .filter(|f| !matches!(f, Field::Caption | Field::Credit))
            .filter(|&f| match f {
                Field::Creator => item.creator.iter().all(|c| c.trim().is_empty()),
                other => item.text(other).is_none_or(|t| t.trim().is_empty()),
            })
            .collect()
    }

    /// `caption.min_length` and `caption.max_length`, in characters.
    pub fn caption_length(&self) -> (Option<u64>, Option<u64>) {
        (self.min_length, self.max_length)
    }

    /// The house's extra placeholder word or phrase found in `text` (as
    /// whole words, ignoring case), if any.
    pub fn placeholder_in(&self, text: &str) -> Option<&str> {
        let list = self.placeholders.as_deref().unwrap_or_default();
        if list.is_empty() {
            return None; // the usual case: spare lowercasing every caption and credit
        }
        let lower = text.to_lowercase();
        list.iter()
            .find(|p| contains_words(&lower, p))
            .map(String::as_str)
    }

    /// Whether `credit` matches one of the house's `credit_patterns`.
    pub fn accepts_credit(&self, credit: &str) -> bool {
        self.credit_patterns
            .as_deref()
            .unwrap_or_default()
            .iter()
            .any(|r| r.is_match(credit))
    }

    /// Whether an agency allow-list is set.
    pub fn has_agency_list(&self) -> bool {
        self.agencies.is_some()
    }

    /// Whether `agency` is on the allow-list (always, without one). Compared
    /// ignoring case, surrounding space and a leading "the".
    pub fn agency_allowed(&self, agency: &str) -> bool {
        self.agencies
            .as_ref()
            .is_none_or(|list| list.contains(&agency_key(agency)))
    }

    /// What to do with M002 unlisted files, when the policy says.
    pub fn unlisted(&self) -> Option<Level> {
        self.unlisted
    }

    /// Whether `path` (relative, `/`-separated) is ignored on disk and in the manifest.
    pub fn is_ignored(&self, path: &str) -> bool {
        self.ignore.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// The policy's level for `code`, if `severity` names it.
    pub fn level(&self, code: Code) -> Option<Level> {
        self.severity.get(&code).copied()
    }

    /// The final pass: `severity` overrides applied, findings of rules set
    /// `off` dropped.
    pub fn apply_severity(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter_map(|mut f| match self.level(f.code) {
                Some(Level::Off) => None,
                Some(Level::Report(s)) => {
                    f.severity = s;
                    Some(f)
                }
                None => Some(f),
            })
            .collect()
    }
}

/// An array of strings, or `None` if `v` is anything else.
fn strings(v: &Value) -> Option<Vec<&str>> {
    v.as_array()?.iter().map(Value::as_str).collect()
}

fn level_of(v: &Value, key: &str, origin: &str) -> Result<Level, PolicyError> {
    let s = v.as_str().unwrap_or_default();
    Level::parse(s).ok_or_else(|| PolicyError::BadLevel {
        origin: origin.to_owned(),
        key: key.to_owned(),
        value: match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
    })
}

/// `The Associated Press ` → `associated press`.
fn agency_key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    lower
        .strip_prefix("the ")
        .map_or(lower.clone(), |s| s.trim().to_owned())
}

/// Whether `phrase` occurs in `text` with no letter or digit right before or after it.
fn contains_words(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The candidate nearest to `word` by edit distance (ties: the first).
pub fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    candidates
        .min_by_key(|c| edit_distance(&word.to_lowercase(), &c.to_lowercase()))
        .unwrap_or_default()
        .to_owned()
}

/// Levenshtein distance, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (up + 1).min(row[j] + 1).min(diag + usize::from(ca != *cb));
            diag = up;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(v: Value) -> Result<Policy, PolicyError> {
        Policy::from_value(&v, "test")
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("severty", "severity"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn unknown_key_names_the_nearest_valid_one() {
        let e = policy(json!({"severty": {}})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "test: unknown policy key `severty`; did you mean `severity`?"
        );
        let e = policy(json!({"agency": []})).unwrap_err();
        assert!(e.to_string().contains("did you mean `agencies`?"), "{e}");
        let e = policy(json!({"caption": {"max_len": 3}})).unwrap_err();
        assert!(
            e.to_string()
                .contains("`caption.max_len`; did you mean `caption.max_length`?"),
            "{e}"
        );
    }

    #[test]
    fn required_fields_are_validated() {
        let p = policy(json!({"required": ["credit", "alt", "creditLine"]})).unwrap();
        assert_eq!(p.required(), &[Field::Credit, Field::Alt]);
        assert!(!p.requires(Field::Caption));
        let e = policy(json!({"required": ["captoin"]})).unwrap_err();
        assert!(e.to_string().contains("did you mean `caption`?"), "{e}");
        assert_eq!(Policy::default().required(), DEFAULT_REQUIRED);
    }

    #[test]
    fn missing_fields_skip_caption_and_credit() {
        let p = policy(json!({"required": ["caption", "alt", "creator", "city"]})).unwrap();
        let mut item = Item::new("a.jpg");
        item.city = Some("  ".into());
        assert_eq!(
            p.missing_fields(&item),
            vec![Field::Alt, Field::Creator, Field::City]
        );
        item.alt = Some("Boats".into());
        item.creator = vec!["Jane Doe".into()];
        item.city = Some("Oban".into());
        assert!(p.missing_fields(&item).is_empty());
    }

    #[test]
    fn severity_levels_and_off() {
        let p = policy(json!({"severity": {"R004": "error", "caption-duplicate": "off"}})).unwrap();
        assert_eq!(p.level(Code::R004), Some(Level::Report(Severity::Error)));
        assert_eq!(p.level(Code::C003), Some(Level::Off));
        assert_eq!(p.level(Code::C001), None);
        let e = policy(json!({"severity": {"R004": "fatal"}})).unwrap_err();
        assert!(e.to_string().contains("`severity.R004` is `fatal`"), "{e}");
        let e = policy(json!({"severity": {"credit-styel": "off"}})).unwrap_err();
        assert!(
            e.to_string().contains("did you mean `credit-style`?"),
            "{e}"
        );
    }

    #[test]
    fn caption_lengths() {
        let p = policy(json!({"caption": {"min_length": 20, "max_length": 300}})).unwrap();
        assert_eq!(p.caption_length(), (Some(20), Some(300)));
        assert!(matches!(
            policy(json!({"caption": {"min_length": 30, "max_length": 3}})),
            Err(PolicyError::LengthOrder { .. })
        ));
        assert!(matches!(
            policy(json!({"caption": {"min_length": "ten"}})),
            Err(PolicyError::WrongType { .. })
        ));
    }

    #[test]
    fn placeholders_match_whole_words() {
        let p = policy(json!({"placeholders": ["TBA", "photo to come"]})).unwrap();
        assert_eq!(p.placeholder_in("Caption TBA"), Some("tba"));
        assert_eq!(p.placeholder_in("PHOTO TO COME."), Some("photo to come"));
        assert_eq!(p.placeholder_in("The TBAR lift"), None);
    }

    #[test]
    fn credit_patterns_compile_and_match() {
        let p = policy(json!({"credit_patterns": ["^Staff/[A-Z][a-z]+$"]})).unwrap();
        assert!(p.accepts_credit("Staff/Herald"));
        assert!(!p.accepts_credit("jane doe"));
        assert!(matches!(
            policy(json!({"credit_patterns": ["("]})),
            Err(PolicyError::BadPattern { .. })
        ));
    }

    #[test]
    fn agencies_allow_list() {
        assert!(Policy::default().agency_allowed("Anyone"));
        let p = policy(json!({"agencies": ["Reuters", "The Associated Press"]})).unwrap();
        assert!(p.has_agency_list());
        assert!(p.agency_allowed("reuters"));
        assert!(p.agency_allowed("Associated Press"));
        assert!(!p.agency_allowed("Northern Wire"));
    }

    #[test]
    fn unlisted_level() {
        let p = policy(json!({"unlisted": "error"})).unwrap();
        assert_eq!(p.unlisted(), Some(Level::Report(Severity::Error)));
        assert_eq!(
            policy(json!({"unlisted": "off"})).unwrap().unlisted(),
            Some(Level::Off)
        );
        assert!(matches!(
            policy(json!({"unlisted": true})),
            Err(PolicyError::BadLevel { .. })
        ));
    }

    #[test]
    fn ignore_globs() {
        let p = policy(json!({"ignore": ["drafts/**", "*.tif"]})).unwrap();
        assert!(p.is_ignored("drafts/a/b.jpg"));
        assert!(p.is_ignored("scan.tif"));
        assert!(!p.is_ignored("archive/scan.tif"), "* stays in one folder");
        assert!(!p.is_ignored("harbor/boats.jpg"));
        assert!(matches!(
            policy(json!({"ignore": ["a[b"]})),
            Err(PolicyError::BadGlob { .. })
        ));
    }

    #[test]
    fn file_overrides_manifest_and_maps_merge() {
        let manifest = json!({
            "required": ["caption", "credit", "alt"],
            "severity": {"R004": "error", "C003": "info"},
            "caption": {"min_length": 10, "max_length": 400},
            "unlisted": "warning"
        });
        let file = policy(json!({
            "required": ["caption"],
            "severity": {"R004": "off"},
            "caption": {"max_length": 200},
        }))
        .unwrap();
        let p = Policy::for_manifest(Some(&manifest), "m.json", Some(&file)).unwrap();
        assert_eq!(p.required(), &[Field::Caption]);
        assert_eq!(p.level(Code::R004), Some(Level::Off));
        assert_eq!(p.level(Code::C003), Some(Level::Report(Severity::Info)));
        assert_eq!(p.caption_length(), (Some(10), Some(200)));
        assert_eq!(p.unlisted(), Some(Level::Report(Severity::Warning)));
        // The manifest's policy is named in its errors.
        let e = Policy::for_manifest(Some(&json!({"ignroe": []})), "m.json", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.json: `policy`: unknown policy key `ignroe`; did you mean `ignore`?"
        );
    }

    #[test]
    fn not_an_object() {
        assert!(matches!(
            policy(json!(["required"])),
            Err(PolicyError::NotObject { .. })
        ));
    }
}
