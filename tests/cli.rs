//! CLI behaviour as trycmd cases: each `tests/cmd/<case>.toml` names the arguments, the exit code and the exact output.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*.toml");
}
