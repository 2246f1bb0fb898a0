//! The bundled briefing: every quote is found verbatim in its seed document.

use std::path::Path;
use std::process::Command;

/// Runs `dossier check --require-documents` on the repository's own briefing, whose
/// `documents:` points at `../shared/seeds`. Without that folder the test is skipped loudly,
/// unless DOSSIER_REQUIRE_SEEDS=1 (as in CI) makes it mandatory.
#[test]
fn bundled_briefing_quotes_are_verbatim_in_the_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = root.join("../shared/seeds");
    if !seeds.is_dir() {
        assert!(
            std::env::var("DOSSIER_REQUIRE_SEEDS").as_deref() != Ok("1"),
            "DOSSIER_REQUIRE_SEEDS=1 but {} is missing",
            seeds.display()
        );
        eprintln!(
            "SKIPPED: {} not found; quotes not verified",
            seeds.display()
        );
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "--require-documents"])
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run dossier");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dossier check failed:\n{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("no errors"), "{stdout}");
}

/// The same check must fail when a quote is altered: the test above can fail.
#[test]
fn an_altered_quote_is_caught() {
    let fixture = crate::support::Fixture::new("basic");
    fixture.replace(
        "content/claims/claims.yaml",
        "quote: begins in 2026",
        "quote: begins in early 2026",
    );
    let run = fixture.run(&["check", "--require-documents"]);
    run.assert_error(
        "content/claims/claims.yaml:33:12",
        &["quote not found verbatim", "closest passage"],
    );
}
