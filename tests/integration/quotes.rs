//! Quotes against the sources' documents, and against `content/verified.lock` for readers who
//! do not have the documents. Every message is a snapshot of the whole output
//! (`snapshots/integration__quotes__NAME.snap`); `SOURCE_DATE_EPOCH` fixes the lock's date.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use sha2::Digest as _;

use crate::support::{Fixture, Run, copy_dir, run_in};

/// 2025-07-12, the date locks written by these tests carry.
const EPOCH: &str = "1752300000";
const LOCK: &str = "content/verified.lock";

fn run(f: &Fixture, args: &[&str]) -> Run {
    run_in(&f.root, args, &[("SOURCE_DATE_EPOCH", OsStr::new(EPOCH))])
}

/// Exit code, stdout and stderr as one text, the fixture's folder replaced.
fn output(f: &Fixture, run: &Run) -> String {
    let root = f.root.display().to_string();
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        run.code, run.stdout, run.stderr
    )
    .replace(&root, "[BRIEFING]")
}

/// The `basic` fixture, checked with its documents (which writes the lock), then without them.
fn locked_without_documents() -> Fixture {
    let f = Fixture::new("basic");
    let check = run(&f, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    std::fs::remove_dir_all(f.path("documents")).expect("remove the documents");
    f
}

fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn check_with_documents_writes_the_lock_once() {
    let f = Fixture::new("basic");
    let first = run(&f, &["check"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stdout.starts_with(
            "7 quotes verified against their documents; wrote content/verified.lock\n"
        ),
        "{}",
        first.stdout
    );
    let lock = f.read(LOCK);
    insta::assert_snapshot!("basic_lock", lock);
    // What the lock says can be checked by hand: the document's hash, and the quote at its
    // offset.
    let alpha = std::fs::read(f.path("documents/alpha.txt")).expect("alpha.txt");
    assert!(
        lock.contains(&format!("sha256: \"{}\"\n", sha256(&alpha))),
        "{lock}"
    );
    let at = String::from_utf8_lossy(&alpha)
        .find("We will build")
        .expect("in alpha.txt");
    assert!(
        lock.contains(&format!(
            "{{claim: alpha-quote, sha256: \"{}\", offset: {at}}}",
            sha256(b"We will build tens of thousands of widgets")
        )),
        "{lock}"
    );
    // Unchanged: not written again (another day, too).
    let modified = || {
        std::fs::metadata(f.path(LOCK))
            .and_then(|m| m.modified())
            .expect("lock")
    };
    let before = modified();
    let again = run_in(&f.root, &["check"], &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(!again.stdout.contains("wrote"), "{}", again.stdout);
    assert_eq!(modified(), before);
    assert_eq!(f.read(LOCK), lock);
}

#[test]
fn check_updates_the_lock_when_a_quote_or_document_changes() {
    let f = Fixture::new("basic");
    run(&f, &["check"]);
    let before = f.read(LOCK);
    // The source's other claim is verified again; its block is dated anew.
    f.replace(
        "content/claims/claims.yaml",
        "quote: Production starts next year",
        "quote: starts next year",
    );
    let later = run_in(
        &f.root,
        &["check"],
        &[("SOURCE_DATE_EPOCH", OsStr::new("1752400000"))],
    );
    assert_eq!(later.code, 0, "{}", later.stderr);
    assert!(later.stdout.contains("; wrote content/verified.lock"));
    let after = f.read(LOCK);
    assert!(after.contains("verified: 2025-07-13"), "{after}");
    assert!(
        after.contains(&format!(
            "{{claim: beta-start-next-year, sha256: \"{}\",",
            sha256(b"starts next year")
        )),
        "{after}"
    );
    // The other sources keep their date.
    assert_eq!(after.matches("verified: 2025-07-12").count(), 2, "{after}");
    assert_ne!(before, after);
    // A claim removed leaves the lock with it.
    f.replace(
        "content/claims/claims.yaml",
        "  - id: alpha-quote\n    subject: ruritania\n    property: statement\n    source: alpha\n    speaker: jan-novak\n    value: tens of thousands of widgets\n    quote: We will build tens of thousands of widgets\n",
        "",
    );
    let removed = run(&f, &["check"]);
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    assert!(!f.read(LOCK).contains("alpha-quote"));
}

#[test]
fn build_never_writes_the_lock() {
    let f = Fixture::new("basic");
    let build = run(&f, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!f.path(LOCK).exists(), "build wrote the lock");
    assert!(
        build.stdout.starts_with(
            "7 quotes verified against their documents; content/verified.lock is missing: `dossier check` writes it when it passes\n"
        ),
        "{}",
        build.stdout
    );
    run(&f, &["check"]);
    let lock = f.read(LOCK);
    f.replace(
        "content/claims/claims.yaml",
        "quote: begins in 2026",
        "quote: in 2026",
    );
    let build = run(&f, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(f.read(LOCK), lock, "build changed the lock");
    assert!(
        build
            .stdout
            .contains("; content/verified.lock is out of date: `dossier check` writes it"),
        "{}",
        build.stdout
    );
}

#[test]
fn without_documents_the_lock_vouches_for_the_quotes() {
    let f = locked_without_documents();
    let build = run(&f, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stderr.is_empty(), "{}", build.stderr);
    insta::assert_snapshot!("lock_matches", output(&f, &build));
}

#[test]
fn a_changed_quote_without_documents_is_a_located_warning() {
    let f = locked_without_documents();
    f.replace(
        "content/claims/claims.yaml",
        "quote: begins in 2026",
        "quote: begins in 2027",
    );
    let build = run(&f, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stderr.starts_with(
            "content/claims/claims.yaml:33:12: warning: quote of `gamma-start` changed"
        ),
        "{}",
        build.stderr
    );
    insta::assert_snapshot!("changed_quote", output(&f, &build));
}

#[test]
fn a_new_claim_without_documents_is_a_located_warning() {
    let f = locked_without_documents();
    f.write(
        "content/extra.yaml",
        "claims:\n  - id: alpha-new\n    subject: ruritania\n    property: statement\n    value: x\n    source: alpha\n    quote: widgets next year\n",
    );
    let build = run(&f, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    insta::assert_snapshot!("new_claim", output(&f, &build));
}

#[test]
fn without_documents_and_lock_one_warning_says_so() {
    let f = Fixture::new("basic");
    std::fs::remove_dir_all(f.path("documents")).expect("remove the documents");
    let build = run(&f, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    insta::assert_snapshot!("no_lock", output(&f, &build));
}

#[test]
fn a_missing_documents_folder_is_an_error_in_check_only() {
    let f = locked_without_documents();
    let check = run(&f, &["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.starts_with("dossier.yaml:5:12: error:"));
    insta::assert_snapshot!("missing_folder_check", output(&f, &check));
    // `build` relies on the lock, for readers who cloned the briefing without its documents.
    assert_eq!(run(&f, &["build"]).code, 0);
}

#[test]
fn require_documents_fails_without_them() {
    let f = locked_without_documents();
    let build = run(&f, &["build", "--require-documents"]);
    assert_eq!(build.code, 1, "{}", build.stderr);
    assert!(!f.path("public").exists(), "a failed build wrote public/");
    insta::assert_snapshot!("require_documents_missing_folder", output(&f, &build));
    let check = run(&f, &["check", "--require-documents"]);
    assert_eq!((check.code, &check.stderr), (build.code, &build.stderr));
}

#[test]
fn require_documents_names_each_source_without_one() {
    let f = Fixture::new("basic");
    run(&f, &["check"]);
    std::fs::remove_file(f.path("documents/beta.txt")).expect("remove beta.txt");
    f.replace("content/sources.yaml", "    document: gamma.txt\n", "");
    // Without the flag: beta's missing file is a warning and the lock vouches for its quotes;
    // gamma gives no document.
    let build = run(&f, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    insta::assert_snapshot!("document_missing_from_folder", output(&f, &build));
    let check = run(&f, &["check", "--require-documents"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    insta::assert_snapshot!("require_documents_per_source", output(&f, &check));
}

#[test]
fn an_unusable_lock_is_a_located_warning_and_check_rewrites_it() {
    let f = Fixture::new("basic");
    run(&f, &["check"]);
    let good = f.read(LOCK);
    f.write(LOCK, &good.replacen("offset: ", "offset: -", 1));
    let build = run(&f, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    insta::assert_snapshot!("unusable_lock", output(&f, &build));
    let check = run(&f, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(f.read(LOCK), good);
}

/// A quote altered while the documents are at hand is an error, and the lock is not written.
#[test]
fn an_altered_quote_is_caught() {
    let fixture = Fixture::new("basic");
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
    assert!(
        !fixture.path(LOCK).exists(),
        "a failed check wrote the lock"
    );
}

/// The repository's own briefing, copied to a temporary folder whose `documents:` is `docs`.
fn bundled_copy(docs: &Path) -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("briefing");
    for sub in ["content", "templates", "static"] {
        if repo.join(sub).is_dir() {
            copy_dir(&repo.join(sub), &root.join(sub));
        }
    }
    let config = std::fs::read_to_string(repo.join("dossier.yaml")).expect("dossier.yaml");
    let documents = format!("documents: {}\n", docs.display());
    let config: String = config
        .lines()
        .map(|l| {
            if l.starts_with("documents:") {
                documents.clone()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert!(config.contains(&documents), "dossier.yaml sets documents:");
    std::fs::write(root.join("dossier.yaml"), config).expect("write dossier.yaml");
    (dir, root)
}

/// Every quote of the bundled briefing is verbatim in its seed document, and the committed
/// `content/verified.lock` says so. Without `../shared/seeds` this half is skipped loudly
/// (the next test still holds the quotes to the lock), unless DOSSIER_REQUIRE_SEEDS=1 (as in
/// CI) makes it mandatory.
#[test]
fn bundled_briefing_quotes_are_verbatim_in_the_seeds_and_locked() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = repo.join("../shared/seeds");
    if !seeds.is_dir() {
        assert!(
            std::env::var("DOSSIER_REQUIRE_SEEDS").as_deref() != Ok("1"),
            "DOSSIER_REQUIRE_SEEDS=1 but {} is missing",
            seeds.display()
        );
        eprintln!(
            "SKIPPED: {} not found: quotes not verified against the seeds, only against {LOCK}",
            seeds.display()
        );
        return;
    }
    let seeds = std::fs::canonicalize(&seeds).expect("seeds");
    let (_dir, root) = bundled_copy(&seeds);
    let run = run_in(&root, &["check", "--require-documents"], &[]);
    assert_eq!(run.code, 0, "dossier check failed:\n{}", run.stderr);
    assert!(run.stdout.contains("no errors"), "{}", run.stdout);
    let fresh = std::fs::read_to_string(root.join(LOCK)).unwrap_or_default();
    let committed = std::fs::read_to_string(repo.join(LOCK)).unwrap_or_default();
    assert!(
        fresh == committed,
        "{LOCK} is out of date: run `cargo run -- check` (with ../shared/seeds) and commit it"
    );
}

/// Without any document, `build` holds every quote of the bundled briefing to the committed
/// lock: none changed since it was verified, and none is new.
#[test]
fn bundled_briefing_without_documents_matches_its_lock() {
    let (dir, root) = bundled_copy(Path::new("../no-documents-here"));
    let site = dir.path().join("site");
    let run = run_in(
        &root,
        &["build", "--output", &site.display().to_string()],
        &[],
    );
    assert_eq!(run.code, 0, "dossier build failed:\n{}", run.stderr);
    assert!(
        !run.stderr.contains("warning"),
        "run `cargo run -- check` (with ../shared/seeds) to update {LOCK}:\n{}",
        run.stderr
    );
    let claims: usize = run
        .stdout
        .split(" claims")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no claim count in {}", run.stdout));
    assert!(claims > 0);
    assert!(
        run.stdout.starts_with(&format!(
            "{claims} quotes match {LOCK} (verified against documents on "
        )),
        "{}",
        run.stdout
    );
}

/// Every page of the bundled briefing can be reached from the overview by following links.
#[test]
fn bundled_briefing_pages_are_all_reachable_from_the_overview() {
    use std::collections::{BTreeSet, VecDeque};

    let (_out, built) = crate::support::bundled_site();
    let site = built.root.clone();
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
