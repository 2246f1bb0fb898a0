//! `dossier new NAME`: the scaffolded briefing builds and checks at once, its workflow is
//! valid YAML for GitHub Pages, and an existing folder is never overwritten.

use std::path::Path;
use std::process::{Command, Output};

fn dossier(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run dossier")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_new_briefing_checks_and_builds_with_one_discrepancy() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dossier(dir.path(), &["new", "harbour-bridge"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let root = dir.path().join("harbour-bridge");
    for file in [
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

    let check = dossier(&root, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(
        text(&check.stderr).trim().is_empty(),
        "no warnings: {}",
        text(&check.stderr)
    );
    assert!(
        text(&check.stdout).contains("1 discrepancy,"),
        "{}",
        text(&check.stdout)
    );

    let build = dossier(&root, &["build"]);
    assert_eq!(build.status.code(), Some(0), "{}", text(&build.stderr));
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
    assert_eq!(dossier(dir.path(), &["new", "b"]).status.code(), Some(0));
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
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not an empty folder"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("taken/notes.txt")).expect("kept"),
        "mine"
    );
    assert!(!dir.path().join("taken/dossier.yaml").exists());

    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    let out = dossier(dir.path(), &["new", "empty"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "an empty folder is fine: {}",
        text(&out.stderr)
    );
    assert!(dir.path().join("empty/dossier.yaml").is_file());
}
