//! Keeps docs/policy.md's key table in step with the policy's key table in src/policy.rs: every key, its value, default and effect, none extra.

const BEGIN: &str =
    "<!-- keys: generated from src/policy.rs; UPDATE_DOCS=1 cargo test --test policy_doc -->\n";
const END: &str = "<!-- end keys -->";

#[test]
fn policy_key_table_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/policy.md");
    let doc = std::fs::read_to_string(path).expect("docs/policy.md");
    let (head, rest) = doc
        .split_once(BEGIN)
        .expect("the generated table's start marker");
    let (table, tail) = rest
        .split_once(END)
        .expect("the generated table's end marker");
    let want = cutline::policy::key_table();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, format!("{head}{BEGIN}{want}{END}{tail}"))
            .expect("write docs/policy.md");
        return;
    }
    assert_eq!(
        table, want,
        "docs/policy.md's key table differs from src/policy.rs; \
         regenerate it with UPDATE_DOCS=1 cargo test --test policy_doc"
    );
    // The same, key by key, so a stale row names itself.
    let documented: Vec<&str> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| `")?.split('`').next())
        .collect();
    let keys: Vec<String> = cutline::policy::key_docs()
        .into_iter()
        .map(|k| k.key)
        .collect();
    assert_eq!(documented, keys);
}
