//! `dossier new NAME`: the scaffolded briefing builds and checks at once, its workflow is
//! valid YAML for GitHub Pages, and an existing folder is never overwritten.

use std::path::Path;

use crate::support::{Run, run_in};

fn dossier(dir: &Path, args: &[&str]) -> Run {
    run_in(dir, args, &[])
}

#[test]
fn a_new_briefing_checks_and_builds_with_one_discrepancy() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dossier(dir.path(), &["new", "harbour-bridge"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let root = dir.path().join("harbour-bridge");
    for file in [
        "README.md",
        "dossier.yaml",
        "content/index.md",
        ".gitignore",
        ".github/workflows/pages.yml",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    assert!(
        std::fs::read_to_string(root.join(".gitignore"))
            .expect("gitignore")
            .contains("public/")
    );

    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    assert!(readme.starts_with("# Harbour bridge\n"), "{readme}");
    for step in [
        "dossier serve",
        "dossier check",
        "dossier build",
        "GitHub Pages",
    ] {
        assert!(readme.contains(step), "the README explains `{step}`");
    }

    let check = dossier(&root, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.trim().is_empty(),
        "no warnings: {}",
        check.stderr
    );
    assert!(check.stdout.contains("1 discrepancy,"), "{}", check.stdout);

    let build = dossier(&root, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let facts: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("public/facts.json")).expect("facts.json"),
    )
    .expect("facts.json is JSON");
    assert_eq!(facts["discrepancies"].as_array().map(Vec::len), Some(1));
    let home = std::fs::read_to_string(root.join("public/index.html")).expect("index.html");
    assert!(
        home.contains("Harbour bridge"),
        "title from the folder name"
    );
    assert!(root.join("public/print/index.html").is_file());
}

#[test]
fn the_workflow_deploys_to_github_pages() {
    let dir = tempfile::tempdir().expect("temp");
    assert_eq!(dossier(dir.path(), &["new", "b"]).code, 0);
    let yaml = std::fs::read_to_string(dir.path().join("b/.github/workflows/pages.yml"))
        .expect("workflow");
    let doc: serde_json::Value = serde_saphyr::from_str(&yaml).expect("valid YAML");
    for job in ["build", "deploy"] {
        assert!(doc["jobs"][job]["steps"].is_array(), "job {job}");
    }
    for action in [
        "actions/checkout@",
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(yaml.contains(action), "{action}");
    }
    assert_eq!(doc["permissions"]["pages"].as_str(), Some("write"));
}

#[test]
fn an_existing_folder_is_not_overwritten() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::create_dir(dir.path().join("taken")).expect("mkdir");
    std::fs::write(dir.path().join("taken/notes.txt"), "mine").expect("write");
    let out = dossier(dir.path(), &["new", "taken"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not an empty folder"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("taken/notes.txt")).expect("kept"),
        "mine"
    );
    assert!(!dir.path().join("taken/dossier.yaml").exists());

    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    let out = dossier(dir.path(), &["new", "empty"]);
    assert_eq!(out.code, 0, "an empty folder is fine: {}", out.stderr);
    assert!(dir.path().join("empty/dossier.yaml").is_file());
}
