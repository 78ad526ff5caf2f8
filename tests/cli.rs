//! CLI behaviour as trycmd cases: each `tests/cmd/<case>.toml` names the arguments, the exit code and the exact output.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        // `check` keeps a hash cache: never in the user's own cache folder.
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/cli-cache"),
        )
        .case("tests/cmd/*.toml");
}
