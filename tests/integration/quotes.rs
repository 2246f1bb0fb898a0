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

/// Every page of the bundled briefing can be reached from the overview by following links.
#[test]
fn bundled_briefing_pages_are_all_reachable_from_the_overview() {
    use std::collections::{BTreeSet, VecDeque};

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temporary folder");
    let site = out.path().join("site");
    let run = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .arg(root)
        .arg("--output")
        .arg(&site)
        .output()
        .expect("run dossier");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let all: BTreeSet<String> = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| {
            e.path()
                .strip_prefix(&site)
                .ok()
                .map(|p| p.to_string_lossy().into_owned())
        })
        .filter(|p| p != "404.html")
        .collect();
    let selector = scraper::Selector::parse("a[href]").expect("selector");
    let mut seen: BTreeSet<String> = BTreeSet::from(["index.html".to_string()]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(page) = queue.pop_front() {
        let text = std::fs::read_to_string(site.join(&page)).expect("page");
        let html = scraper::Html::parse_document(&text);
        for a in html.select(&selector) {
            let href = a.value().attr("href").unwrap_or_default();
            if href.contains("://") || href.starts_with('#') {
                continue;
            }
            let file = href.split('#').next().unwrap_or_default();
            let mut parts: Vec<&str> = page.split('/').collect();
            parts.pop();
            for segment in file.split('/') {
                match segment {
                    ".." => {
                        parts.pop();
                    }
                    "" | "." => {}
                    s => parts.push(s),
                }
            }
            let target = parts.join("/");
            if all.contains(&target) && seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    let unreached: Vec<&String> = all.difference(&seen).collect();
    assert!(
        unreached.is_empty(),
        "not reachable from the overview: {unreached:?}"
    );
}
