//! House style (docs/design.md §6): the `policy` object of a manifest and `--policy FILE`, read strictly, validated and merged.
//!
//! A policy is JSON. The manifest's `policy` is read first, then the file's;
//! a key the file sets replaces the manifest's, except `severity` and
//! `caption`, which merge entry by entry. Each key is declared once, in a
//! `settings!` table below: reading, merging, the "did you mean" hint and
//! docs/policy.md's key table all come from that row. Reading is strict so
//! that nothing in a policy silently does nothing: an unknown or repeated
//! key, two names of one code, or a code that decides validity stops the run
//! (exit 2), with the file, line and column.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::finding::Finding;
use crate::manifest::{Field, Item};
use crate::rules::{Code, Severity};

/// Declares an object of policy keys: one row per key (its value type,
/// default and effect) gives the struct field, its reading, its merging and
/// its row in docs/policy.md, so a key cannot be read but not merged, or
/// merged but not documented.
macro_rules! settings {
    (
        $(#[$meta:meta])*
        $name:ident($expected:literal) {
            $( $key:ident: $ty:ty { default: $default:literal, effect: $effect:literal $(,)? } ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default)]
        struct $name {
            $( $key: Option<$ty>, )*
        }

        impl $name {
            /// The keys, in table order.
            const KEYS: &'static [&'static str] = &[$(stringify!($key)),*];
        }

        impl ReadMap for $name {
            fn read_map<'de, A: MapAccess<'de>>(
                mut map: A,
                path: &str,
                cx: &Cx,
            ) -> Result<Self, A::Error> {
                let mut out = $name::default();
                let mut seen: Vec<String> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let here = join(path, &key);
                    if seen.contains(&key) {
                        return Err(cx.fail(Problem::DuplicateKey { key: here }));
                    }
                    match key.as_str() {
                        $(
                            stringify!($key) => {
                                out.$key = Some(map.next_value_seed(Seed::<$ty>::new(&here, cx))?);
                            }
                        )*
                        _ => {
                            let suggestion = did_you_mean(&key, $name::KEYS.iter().copied())
                                .map(|s| join(path, s));
                            return Err(cx.fail(Problem::UnknownKey { key: here, suggestion }));
                        }
                    }
                    seen.push(key);
                }
                Check::check(&out).map_err(|p| cx.fail(p))?;
                Ok(out)
            }
        }

        impl Setting for $name {
            const EXPECTED: &'static str = $expected;

            fn read<'de, D: Deserializer<'de>>(d: D, path: &str, cx: &Cx) -> Result<Self, D::Error> {
                d.deserialize_any(ObjectVisitor::<Self>::new(path, cx))
            }

            /// Key by key: a key `over` sets replaces (or merges into) this one's.
            fn merge(self, over: Self) -> Self {
                $name {
                    $(
                        $key: match (self.$key, over.$key) {
                            (Some(base), Some(over)) => Some(base.merge(over)),
                            (base, over) => over.or(base),
                        },
                    )*
                }
            }

            fn validate(&self) -> Result<(), Problem> {
                $( if let Some(v) = &self.$key { v.validate()?; } )*
                Check::check(self)
            }

            fn docs(path: &str, out: &mut Vec<KeyDoc>) {
                $(
                    let here = join(path, stringify!($key));
                    out.push(KeyDoc {
                        key: here.clone(),
                        value: <$ty as Setting>::EXPECTED,
                        default: $default,
                        effect: $effect,
                    });
                    <$ty as Setting>::docs(&here, out);
                )*
            }
        }
    };
}

settings! {
    /// The top level of a policy object.
    Settings("a JSON object") {
        required: Required {
            default: "`[\"caption\", \"credit\"]`",
            effect: "manifest field names (`caption`, `credit`, `creator`, `copyright`, `source`, `date`, `headline`, `title`, `instructions`, `job_id`, `city`, `country`, `alt`, or their IPTC aliases): each item must have these fields, present and not blank. A missing caption is C001 and a missing credit R001 (as without a policy); any other field is **F001 field-missing**. Leaving `caption` or `credit` out turns C001 or R001 off",
        },
        severity: Severities {
            default: "the severities in [rules.md](rules.md)",
            effect: "code (`R004`, any case) or rule name (`credit-style`) → `\"error\"`, `\"warning\"`, `\"info\"` or `\"off\"`; applied last, to every finding of that code; `off` drops them. Each code may be named once. Codes marked `fixed` in rules.md decide validity, which is not house style: naming one is an error",
        },
        caption: Caption {
            default: "no limits",
            effect: "a caption (the one checked: the manifest's, else the embedded one) outside the range is **C007 caption-length** (warning). A placeholder caption is not measured",
        },
        placeholders: Placeholders {
            default: "none beyond the built-in ones",
            effect: "also placeholders, in captions (C002) and credits (R009), matched as whole words, ignoring case",
        },
        credit_patterns: Patterns {
            default: "none",
            effect: "[`regex` syntax](https://docs.rs/regex/latest/regex/#syntax): a credit matching any of them is never R004 credit-style. A pattern matches anywhere in the credit unless anchored with `^…$`",
        },
        agencies: Agencies {
            default: "no list: any agency",
            effect: "agency, wire and publication names: a credit naming one not on the list is **R006 credit-unknown-agency** (warning). Compared ignoring case and a leading \"The\". Person names, `Courtesy of` and `Screenshot` sources are not agencies; `X via Y` checks Y, `Handout/Y` checks Y",
        },
        unlisted: Level {
            default: "`\"warning\"`",
            effect: "the severity of M002 unlisted-file (images on disk the manifest does not list); `off` stops reporting them. A `severity` entry for M002 wins over this",
        },
        ignore: Globs {
            default: "none",
            effect: "relative to the media root: matching paths are skipped on disk (never M002) and in the manifest (no finding at all). `*` stays within one folder, `**` crosses folders: `drafts/**`, `**/*.psd`, `*.tif` (top folder only)",
        },
    }
}

settings! {
    /// The policy's `caption` object.
    Caption("an object with min_length and/or max_length") {
        min_length: Chars {
            default: "none",
            effect: "a shorter caption is C007",
        },
        max_length: Chars {
            default: "none",
            effect: "a longer caption is C007",
        },
    }
}

/// The keys a policy object may hold.
pub const KEYS: &[&str] = Settings::KEYS;

/// The keys of the policy's `caption` object.
pub const CAPTION_KEYS: &[&str] = Caption::KEYS;

/// The fields required when no policy says otherwise.
pub const DEFAULT_REQUIRED: &[Field] = &[Field::Caption, Field::Credit];

/// Jaro-Winkler similarity (0 to 1) at or above which a hint names the
/// nearest candidate. Below it a hint misleads more than it helps:
/// `agency` → `agencies` (0.89) and `severty` → `severity` (0.97) pass,
/// `strict` → `severity` (0.75) and `colour` → `placeholders` (0.58) do not.
const CLOSE: f64 = 0.8;

/// The candidate closest to `word` (ignoring case), if it is close enough
/// to be what was meant; ties go to the first.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= CLOSE)
        .min_by(|a, b| b.0.total_cmp(&a.0))
        .map(|(_, c)| c)
}

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

/// `; did you mean `x`?`, or nothing when no candidate is close.
struct Hint<'a>(&'a Option<String>);

impl fmt::Display for Hint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(s) => write!(f, "; did you mean `{s}`?"),
            None => Ok(()),
        }
    }
}

/// What is wrong with a policy, wherever it came from.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The policy is not a JSON object.
    #[error("a policy must be a JSON object")]
    NotObject,
    /// A key no policy has.
    #[error("unknown policy key `{key}`{}", Hint(.suggestion))]
    UnknownKey {
        /// The key as written (`caption.` prefixed inside `caption`).
        key: String,
        /// The nearest valid key, if one is close.
        suggestion: Option<String>,
    },
    /// A key written twice in one object: JSON readers keep one of the two
    /// values, so the other would silently do nothing.
    #[error("policy key `{key}` is repeated")]
    DuplicateKey {
        /// The key (`severity.R004` inside `severity`).
        key: String,
    },
    /// A value of the wrong JSON type.
    #[error("policy `{key}` must be {expected}")]
    WrongType {
        /// The key.
        key: String,
        /// What it must be.
        expected: &'static str,
    },
    /// `required` names something that is not a manifest field.
    #[error("policy `required` names unknown field `{name}`{}", Hint(.suggestion))]
    UnknownField {
        /// The name as written.
        name: String,
        /// The nearest field name, if one is close.
        suggestion: Option<String>,
    },
    /// `severity` names something that is not a code or rule.
    #[error("policy `severity` names unknown code or rule `{name}`{}", Hint(.suggestion))]
    UnknownCode {
        /// The name as written.
        name: String,
        /// The nearest code or rule name, if one is close.
        suggestion: Option<String>,
    },
    /// `severity` names one code twice (`R004` and `credit-style`): which
    /// level wins would depend on key order.
    #[error("policy `severity` names {code} twice, as `{first}` and as `{second}`")]
    SameCode {
        /// The code.
        code: Code,
        /// The first name used.
        first: String,
        /// The second.
        second: String,
    },
    /// `severity` names a code that decides validity.
    #[error(
        "policy `severity` cannot change `{name}`: {code} {} decides validity, which is not house style",
        .code.rule()
    )]
    FixedCode {
        /// The name as written.
        name: String,
        /// The code.
        code: Code,
    },
    /// A level other than error, warning, info or off.
    #[error("policy `{key}` is `{value}`; expected error, warning, info or off")]
    BadLevel {
        /// The key (`severity.R004`, `unlisted`).
        key: String,
        /// The value as written.
        value: String,
    },
    /// A credit pattern that is not a regular expression.
    #[error("policy `credit_patterns` has an invalid regular expression: {source}")]
    BadPattern {
        /// What the regex parser said.
        source: regex::Error,
    },
    /// An ignore pattern that is not a glob.
    #[error("policy `ignore` has an invalid glob: {source}")]
    BadGlob {
        /// What the glob parser said.
        source: globset::Error,
    },
    /// `caption.min_length` above `caption.max_length`.
    #[error("policy `caption`: min_length {min} is greater than max_length {max}")]
    LengthOrder {
        /// The minimum.
        min: u64,
        /// The maximum.
        max: u64,
    },
}

/// Where a policy problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The policy file, the manifest, or the name given to [`Policy::from_value`].
    pub origin: String,
    /// Line and column (1-based), when the policy was read from text.
    pub at: Option<(usize, usize)>,
    /// Whether it is a manifest's `policy` object.
    pub inline: bool,
}

impl Place {
    fn new(origin: &str, inline: bool) -> Place {
        Place {
            origin: origin.to_owned(),
            at: None,
            inline,
        }
    }

    /// `self` at the position `e` reports (serde_json gives line 0 when it has none).
    fn at(mut self, e: &serde_json::Error) -> Place {
        if e.line() > 0 {
            self.at = Some((e.line(), e.column()));
        }
        self
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)?;
        if let Some((line, column)) = self.at {
            write!(f, ":{line}:{column}")?;
        }
        if self.inline {
            f.write_str(": `policy`")?;
        }
        Ok(())
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
    /// The policy is JSON, but not a valid policy.
    #[error("{place}: {problem}")]
    Invalid {
        /// Where.
        place: Place,
        /// What is wrong.
        problem: Problem,
    },
    /// Each policy is valid alone, not merged (`caption.min_length` from
    /// one above `caption.max_length` from the other).
    #[error("the manifest's policy with --policy on top: {problem}")]
    Merged {
        /// What is wrong.
        problem: Problem,
    },
}

impl PolicyError {
    /// What is wrong with the policy, when it is JSON but not a valid policy.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            PolicyError::Invalid { problem, .. } | PolicyError::Merged { problem } => Some(problem),
            _ => None,
        }
    }
}

/// One row of docs/policy.md's key table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDoc {
    /// The key; nested keys dotted (`caption.min_length`).
    pub key: String,
    /// What its value must be.
    pub value: &'static str,
    /// What holds when no policy sets it.
    pub default: &'static str,
    /// What it does.
    pub effect: &'static str,
}

/// Every policy key, nested keys after their parent, in table order.
pub fn key_docs() -> Vec<KeyDoc> {
    let mut out = Vec::new();
    Settings::docs("", &mut out);
    out
}

/// docs/policy.md's key table, as Markdown.
pub fn key_table() -> String {
    let mut t = String::from("| key | value | default | effect |\n|---|---|---|---|\n");
    for k in key_docs() {
        t.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            k.key, k.value, k.default, k.effect
        ));
    }
    t
}

/// A policy value: how it is read, checked and merged.
trait Setting: Sized {
    /// What the value must be, for messages and the docs' value column.
    const EXPECTED: &'static str;

    /// Reads the value of the key at `path` (`severity`, `caption.min_length`).
    fn read<'de, D: Deserializer<'de>>(d: D, path: &str, cx: &Cx) -> Result<Self, D::Error>;

    /// `over` (from the later policy) on top of `self`: by default it replaces it.
    fn merge(self, over: Self) -> Self {
        over
    }

    /// Checks that span keys, after a merge.
    fn validate(&self) -> Result<(), Problem> {
        Ok(())
    }

    /// The doc rows of the keys nested inside this value, if any.
    fn docs(_path: &str, _out: &mut Vec<KeyDoc>) {}
}

/// A value read whole as JSON, then checked: lists and single values,
/// where positions inside the value add nothing to the message.
trait Leaf: Sized {
    /// What the value must be.
    const EXPECTED: &'static str;
    /// The value from its JSON; `path` names the key in errors.
    fn from_json(v: Value, path: &str) -> Result<Self, Problem>;
}

impl<T: Leaf> Setting for T {
    const EXPECTED: &'static str = T::EXPECTED;

    fn read<'de, D: Deserializer<'de>>(d: D, path: &str, cx: &Cx) -> Result<Self, D::Error> {
        // Duplicate keys inside a leaf's JSON do not matter: no leaf is an
        // object, so any object there is refused whole.
        let v = Value::deserialize(d)?;
        T::from_json(v, path).map_err(|p| cx.fail(p))
    }
}

/// Checks across the keys of one object (`caption.min_length ≤ max_length`).
trait Check {
    fn check(&self) -> Result<(), Problem> {
        Ok(())
    }
}

impl Check for Settings {}

impl Check for Caption {
    fn check(&self) -> Result<(), Problem> {
        match (&self.min_length, &self.max_length) {
            (Some(Chars(min)), Some(Chars(max))) if min > max => Err(Problem::LengthOrder {
                min: *min,
                max: *max,
            }),
            _ => Ok(()),
        }
    }
}

/// An object value read entry by entry, so each problem has its position.
trait ReadMap: Setting {
    fn read_map<'de, A: MapAccess<'de>>(map: A, path: &str, cx: &Cx) -> Result<Self, A::Error>;
}

/// The reading context: serde errors are strings, so the typed problem
/// waits here for the caller, who pairs it with the position serde_json
/// adds to the string error.
#[derive(Default)]
struct Cx {
    problem: Cell<Option<Problem>>,
}

impl Cx {
    fn fail<E: de::Error>(&self, problem: Problem) -> E {
        let e = E::custom(&problem);
        self.problem.set(Some(problem));
        e
    }
}

/// `path.key`, or `key` at the top.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Reads a `T` for the key at `path`.
struct Seed<'a, T> {
    path: &'a str,
    cx: &'a Cx,
    t: PhantomData<T>,
}

impl<'a, T> Seed<'a, T> {
    fn new(path: &'a str, cx: &'a Cx) -> Self {
        Seed {
            path,
            cx,
            t: PhantomData,
        }
    }
}

impl<'de, T: Setting> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read(d, self.path, self.cx)
    }
}

/// Reads an object with `T::read_map`; anything else is the typed wrong-type problem.
struct ObjectVisitor<'a, T> {
    path: &'a str,
    cx: &'a Cx,
    t: PhantomData<T>,
}

impl<'a, T> ObjectVisitor<'a, T> {
    fn new(path: &'a str, cx: &'a Cx) -> Self {
        ObjectVisitor {
            path,
            cx,
            t: PhantomData,
        }
    }
}

impl<T: ReadMap> ObjectVisitor<'_, T> {
    fn wrong<E: de::Error>(self) -> Result<T, E> {
        Err(self.cx.fail(if self.path.is_empty() {
            Problem::NotObject
        } else {
            Problem::WrongType {
                key: self.path.to_owned(),
                expected: T::EXPECTED,
            }
        }))
    }
}

impl<'de, T: ReadMap> Visitor<'de> for ObjectVisitor<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read_map(map, self.path, self.cx)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
        self.wrong()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
        self.wrong()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<T, E> {
        self.wrong()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        self.wrong()
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<T, E> {
        self.wrong()
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        self.wrong()
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        self.wrong()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        self.wrong()
    }
}

/// An array of strings, or `None` if `v` is anything else.
fn strings(v: &Value) -> Option<Vec<&str>> {
    v.as_array()?.iter().map(Value::as_str).collect()
}

fn wrong(path: &str, expected: &'static str) -> Problem {
    Problem::WrongType {
        key: path.to_owned(),
        expected,
    }
}

/// `required`: the manifest fields every item must have.
#[derive(Debug, Clone)]
struct Required(Vec<Field>);

impl Leaf for Required {
    const EXPECTED: &'static str = "an array of field names";

    fn from_json(v: Value, path: &str) -> Result<Self, Problem> {
        let names = strings(&v).ok_or_else(|| wrong(path, <Self as Leaf>::EXPECTED))?;
        let mut fields = Vec::new();
        for n in names {
            let (f, _) = Field::from_key(n).ok_or_else(|| Problem::UnknownField {
                name: n.to_owned(),
                suggestion: did_you_mean(n, Field::ALL.iter().map(|f| f.name())).map(str::to_owned),
            })?;
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
        Ok(Required(fields))
    }
}

/// `severity`: a level per code, merged entry by entry.
#[derive(Debug, Clone, Default)]
struct Severities(BTreeMap<Code, Level>);

impl Setting for Severities {
    const EXPECTED: &'static str = "an object of code → level";

    fn read<'de, D: Deserializer<'de>>(d: D, path: &str, cx: &Cx) -> Result<Self, D::Error> {
        d.deserialize_any(ObjectVisitor::<Self>::new(path, cx))
    }

    fn merge(mut self, over: Self) -> Self {
        self.0.extend(over.0);
        self
    }
}

impl ReadMap for Severities {
    fn read_map<'de, A: MapAccess<'de>>(mut map: A, path: &str, cx: &Cx) -> Result<Self, A::Error> {
        let mut levels = BTreeMap::new();
        // The name each code was given, to name both when it comes twice.
        let mut names: BTreeMap<Code, String> = BTreeMap::new();
        while let Some(name) = map.next_key::<String>()? {
            let here = join(path, &name);
            if names.values().any(|n| *n == name) {
                return Err(cx.fail(Problem::DuplicateKey { key: here }));
            }
            let Ok(code) = name.parse::<Code>() else {
                // Only codes a policy may change are worth suggesting.
                let adjustable = Code::ALL.iter().filter(|c| !c.decides_validity());
                let suggestion =
                    did_you_mean(&name, adjustable.flat_map(|c| [c.as_str(), c.rule()]))
                        .map(str::to_owned);
                return Err(cx.fail(Problem::UnknownCode { name, suggestion }));
            };
            if code.decides_validity() {
                return Err(cx.fail(Problem::FixedCode { name, code }));
            }
            if let Some(first) = names.get(&code) {
                return Err(cx.fail(Problem::SameCode {
                    code,
                    first: first.clone(),
                    second: name,
                }));
            }
            let level = map.next_value_seed(Seed::<Level>::new(&here, cx))?;
            levels.insert(code, level);
            names.insert(code, name);
        }
        Ok(Severities(levels))
    }
}

/// `caption.min_length`, `caption.max_length`: a number of characters.
#[derive(Debug, Clone, Copy)]
struct Chars(u64);

impl Leaf for Chars {
    const EXPECTED: &'static str = "a whole number of characters";

    fn from_json(v: Value, path: &str) -> Result<Self, Problem> {
        v.as_u64()
            .map(Chars)
            .ok_or_else(|| wrong(path, <Self as Leaf>::EXPECTED))
    }
}

/// `placeholders`: lowercased words and phrases.
#[derive(Debug, Clone)]
struct Placeholders(Vec<String>);

impl Leaf for Placeholders {
    const EXPECTED: &'static str = "an array of strings";

    fn from_json(v: Value, path: &str) -> Result<Self, Problem> {
        let words = strings(&v).ok_or_else(|| wrong(path, <Self as Leaf>::EXPECTED))?;
        Ok(Placeholders(
            words
                .into_iter()
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect(),
        ))
    }
}

/// `credit_patterns`: compiled regular expressions.
#[derive(Debug, Clone)]
struct Patterns(Vec<Regex>);

impl Leaf for Patterns {
    const EXPECTED: &'static str = "an array of regular expressions";

    fn from_json(v: Value, path: &str) -> Result<Self, Problem> {
        let pats = strings(&v).ok_or_else(|| wrong(path, <Self as Leaf>::EXPECTED))?;
        pats.into_iter()
            .map(Regex::new)
            .collect::<Result<Vec<_>, _>>()
            .map(Patterns)
            .map_err(|source| Problem::BadPattern { source })
    }
}

/// `agencies`: the allow-list, as compared (see [`agency_key`]).
#[derive(Debug, Clone)]
struct Agencies(Vec<String>);

impl Leaf for Agencies {
    const EXPECTED: &'static str = "an array of agency names";

    fn from_json(v: Value, path: &str) -> Result<Self, Problem> {
        let names = strings(&v).ok_or_else(|| wrong(path, <Self as Leaf>::EXPECTED))?;
        Ok(Agencies(names.into_iter().map(agency_key).collect()))
    }
}

impl Leaf for Level {
    const EXPECTED: &'static str = "`\"error\"`, `\"warning\"`, `\"info\"` or `\"off\"`";

    fn from_json(v: Value, path: &str) -> Result<Self, Problem> {
        let value = match v {
            Value::String(s) => match Level::parse(&s) {
                Some(level) => return Ok(level),
                None => s,
            },
            other => other.to_string(),
        };
        Err(Problem::BadLevel {
            key: path.to_owned(),
            value,
        })
    }
}

/// `ignore`: glob patterns relative to the media root.
#[derive(Debug, Clone)]
struct Globs(GlobSet);

impl Leaf for Globs {
    const EXPECTED: &'static str = "an array of glob patterns";

    fn from_json(v: Value, path: &str) -> Result<Self, Problem> {
        let globs = strings(&v).ok_or_else(|| wrong(path, <Self as Leaf>::EXPECTED))?;
        let mut set = GlobSetBuilder::new();
        for g in globs {
            // `*` stays within one folder; `**` crosses folders.
            let glob = GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map_err(|source| Problem::BadGlob { source })?;
            set.add(glob);
        }
        set.build()
            .map(Globs)
            .map_err(|source| Problem::BadGlob { source })
    }
}

/// Reads a whole policy from `d`; on failure, the typed problem when the
/// policy (not the JSON under it) is at fault.
fn read_policy<'de, D: Deserializer<'de>>(d: D) -> Result<Settings, (D::Error, Option<Problem>)> {
    let cx = Cx::default();
    Seed::<Settings>::new("", &cx)
        .deserialize(d)
        .map_err(|e| (e, cx.problem.take()))
}

/// Finds a manifest's `policy` object in the manifest's text and reads it
/// there, for the line and column of its first problem. Only called once
/// the policy is known to be bad, so a good run reads no file twice.
fn locate_inline(manifest: &Path) -> Option<PolicyError> {
    struct FindPolicy<'a>(&'a Cx);

    impl<'de> Visitor<'de> for FindPolicy<'_> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a manifest")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                if key == "policy" {
                    map.next_value_seed(Seed::<Settings>::new("", self.0))?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        }
    }

    let text = std::fs::read_to_string(manifest).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let cx = Cx::default();
    let e = serde_json::Deserializer::from_str(text)
        .deserialize_map(FindPolicy(&cx))
        .err()?;
    let problem = cx.problem.take()?;
    let place = Place::new(&manifest.display().to_string(), true).at(&e);
    Some(PolicyError::Invalid { place, problem })
}

/// A validated policy. [`Policy::default`] is the built-in house style.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    s: Settings,
}

impl Policy {
    /// Reads and validates a policy file (`--policy FILE`).
    pub fn from_file(path: &Path) -> Result<Policy, PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Policy::from_text(&text, path)
    }

    /// A policy file's text; `path` names it in errors.
    fn from_text(text: &str, path: &Path) -> Result<Policy, PolicyError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let read = read_policy(&mut de).and_then(|s| de.end().map(|()| s).map_err(|e| (e, None)));
        match read {
            Ok(s) => Ok(Policy { s }),
            Err((e, Some(problem))) => Err(PolicyError::Invalid {
                place: Place::new(&path.display().to_string(), false).at(&e),
                problem,
            }),
            Err((source, None)) => Err(PolicyError::Json {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Validates a policy object; `origin` names it in errors.
    pub fn from_value(value: &Value, origin: &str) -> Result<Policy, PolicyError> {
        Policy::from_value_at(value, Place::new(origin, false))
    }

    fn from_value_at(value: &Value, place: Place) -> Result<Policy, PolicyError> {
        match read_policy(value) {
            Ok(s) => Ok(Policy { s }),
            Err((_, Some(problem))) => Err(PolicyError::Invalid { place, problem }),
            // Reading a `Value` fails only through the problems above.
            Err((source, None)) => Err(PolicyError::Json {
                path: PathBuf::from(place.origin),
                source,
            }),
        }
    }

    /// The policy of a manifest (its `policy` object, if any) with `over`
    /// (from `--policy FILE`) merged on top. `origin` is the manifest's
    /// path; when the manifest's policy is bad, the error gives its line.
    pub fn for_manifest(
        manifest_policy: Option<&Value>,
        origin: &str,
        over: Option<&Policy>,
    ) -> Result<Policy, PolicyError> {
        let base = match manifest_policy {
            Some(v) => Policy::from_value_at(v, Place::new(origin, true)).map_err(|e| match e {
                PolicyError::Invalid { .. } => locate_inline(Path::new(origin)).unwrap_or(e),
                other => other,
            })?,
            None => Policy::default(),
        };
        match over {
            Some(o) => base.merge(o.clone()),
            None => Ok(base),
        }
    }

    /// `over` on top of `self`: each key `over` sets replaces this one's;
    /// `severity` and `caption` merge entry by entry.
    pub fn merge(self, over: Policy) -> Result<Policy, PolicyError> {
        let s = self.s.merge(over.s);
        s.validate()
            .map_err(|problem| PolicyError::Merged { problem })?;
        Ok(Policy { s })
    }

    /// The fields every item must have ([`DEFAULT_REQUIRED`] unless set).
    pub fn required(&self) -> &[Field] {
        self.s.required.as_ref().map_or(DEFAULT_REQUIRED, |r| &r.0)
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
        let c = self.s.caption.as_ref();
        (
            c.and_then(|c| c.min_length).map(|n| n.0),
            c.and_then(|c| c.max_length).map(|n| n.0),
        )
    }

    /// The house's extra placeholder word or phrase found in `text` (as
    /// whole words, ignoring case), if any.
    pub fn placeholder_in(&self, text: &str) -> Option<&str> {
        let list = self.s.placeholders.as_ref().map_or(&[][..], |p| &p.0);
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
        self.s
            .credit_patterns
            .as_ref()
            .is_some_and(|p| p.0.iter().any(|r| r.is_match(credit)))
    }

    /// Whether an agency allow-list is set.
    pub fn has_agency_list(&self) -> bool {
        self.s.agencies.is_some()
    }

    /// Whether `agency` is on the allow-list (always, without one). Compared
    /// ignoring case, surrounding space and a leading "the".
    pub fn agency_allowed(&self, agency: &str) -> bool {
        self.s
            .agencies
            .as_ref()
            .is_none_or(|list| list.0.contains(&agency_key(agency)))
    }

    /// What to do with M002 unlisted files, when the policy says.
    pub fn unlisted(&self) -> Option<Level> {
        self.s.unlisted
    }

    /// Whether `path` (relative, `/`-separated) is ignored on disk and in the manifest.
    pub fn is_ignored(&self, path: &str) -> bool {
        self.s.ignore.as_ref().is_some_and(|g| g.0.is_match(path))
    }

    /// The policy's level for `code`, if `severity` names it.
    pub fn level(&self, code: Code) -> Option<Level> {
        self.s.severity.as_ref()?.0.get(&code).copied()
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(v: Value) -> Result<Policy, PolicyError> {
        Policy::from_value(&v, "test")
    }

    /// The problem of a policy that must be refused.
    fn refused(v: Value) -> Problem {
        match policy(v) {
            Err(PolicyError::Invalid { problem, .. }) => problem,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn did_you_mean_only_when_close() {
        let keys = || KEYS.iter().copied();
        assert_eq!(did_you_mean("severty", keys()), Some("severity"));
        assert_eq!(did_you_mean("AGENCY", keys()), Some("agencies"));
        assert_eq!(did_you_mean("strict", keys()), None);
        assert_eq!(did_you_mean("colour", keys()), None);
        assert_eq!(did_you_mean("x", keys()), None);
        assert_eq!(did_you_mean("anything", std::iter::empty()), None);
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
            refused(json!({"caption": {"min_length": 30, "max_length": 3}})),
            Problem::LengthOrder { min: 30, max: 3 }
        ));
        assert!(matches!(
            refused(json!({"caption": {"min_length": "ten"}})),
            Problem::WrongType { .. }
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
            refused(json!({"credit_patterns": ["("]})),
            Problem::BadPattern { .. }
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
            refused(json!({"unlisted": true})),
            Problem::BadLevel { .. }
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
            refused(json!({"ignore": ["a[b"]})),
            Problem::BadGlob { .. }
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

    /// The message refusing `text` as a policy file `p.json`.
    fn refused_text(text: &str) -> String {
        Policy::from_text(text, Path::new("p.json"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_repeated_key_is_refused_with_its_position() {
        assert_eq!(
            refused_text("{\"unlisted\": \"off\",\n \"unlisted\": \"error\"}"),
            "p.json:2:11: policy key `unlisted` is repeated"
        );
        assert_eq!(
            refused_text(r#"{"severity": {"R004": "off", "C003": "info", "R004": "error"}}"#),
            "p.json:1:51: policy key `severity.R004` is repeated"
        );
        assert_eq!(
            refused_text(r#"{"caption": {"min_length": 3, "min_length": 4}}"#),
            "p.json:1:42: policy key `caption.min_length` is repeated"
        );
    }

    #[test]
    fn two_names_of_one_code_are_refused() {
        assert_eq!(
            refused_text(r#"{"severity": {"R004": "error", "credit-style": "off"}}"#),
            "p.json:1:45: policy `severity` names R004 twice, as `R004` and as `credit-style`"
        );
        assert!(matches!(
            refused(json!({"severity": {"r004": "error", "R004": "off"}})),
            Problem::SameCode {
                code: Code::R004,
                ..
            }
        ));
    }

    #[test]
    fn codes_that_decide_validity_are_refused() {
        assert_eq!(
            refused_text(r#"{"severity": {"B009": "warning"}}"#),
            "p.json:1:20: policy `severity` cannot change `B009`: B009 bag-checksum-mismatch \
             decides validity, which is not house style"
        );
        for name in ["W001", "w001", "unreadable-path", "S001", "bag-declaration"] {
            assert!(
                matches!(
                    refused(json!({"severity": {name: "off"}})),
                    Problem::FixedCode { .. }
                ),
                "{name}"
            );
        }
        // S006 does not decide validity: a policy may change it.
        assert!(policy(json!({"severity": {"S006": "off"}})).is_ok());
    }

    #[test]
    fn a_far_typo_gets_no_hint() {
        assert_eq!(
            refused_text(r#"{"strict": true}"#),
            "p.json:1:9: unknown policy key `strict`"
        );
        let e = policy(json!({"severity": {"Z999": "off"}})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "test: policy `severity` names unknown code or rule `Z999`"
        );
        let e = policy(json!({"required": ["colour"]})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "test: policy `required` names unknown field `colour`"
        );
    }

    #[test]
    fn bad_json_and_trailing_text_are_not_policies() {
        let e = Policy::from_text("{\"unlisted\": ", Path::new("p.json")).unwrap_err();
        assert!(matches!(e, PolicyError::Json { .. }), "{e}");
        let e = Policy::from_text("{} {}", Path::new("p.json")).unwrap_err();
        assert!(matches!(e, PolicyError::Json { .. }), "{e}");
    }

    #[test]
    fn a_merge_that_crosses_lengths_is_refused() {
        let base = policy(json!({"caption": {"min_length": 50}})).unwrap();
        let over = policy(json!({"caption": {"max_length": 20}})).unwrap();
        let e = base.merge(over).unwrap_err();
        assert!(
            matches!(e.problem(), Some(Problem::LengthOrder { .. })),
            "{e}"
        );
    }

    #[test]
    fn the_key_table_lists_every_key_once() {
        let keys: Vec<String> = key_docs().into_iter().map(|k| k.key).collect();
        assert_eq!(
            keys,
            [
                "required",
                "severity",
                "caption",
                "caption.min_length",
                "caption.max_length",
                "placeholders",
                "credit_patterns",
                "agencies",
                "unlisted",
                "ignore"
            ]
        );
    }

    #[test]
    fn not_an_object() {
        assert!(matches!(refused(json!(["required"])), Problem::NotObject));
        assert_eq!(
            policy(json!(7)).unwrap_err().to_string(),
            "test: a policy must be a JSON object"
        );
    }
}
