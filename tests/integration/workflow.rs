//! The GitHub Pages workflow is valid YAML, uses the official Pages actions, and builds with
//! the command the README gives.

use std::path::Path;

#[test]
fn pages_workflow_builds_with_the_readme_command() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(".github/workflows/pages.yml")).expect("workflow");
    let workflow: serde_json::Value = dossier::yaml::parse(&text).expect("valid YAML");
    let steps: Vec<&serde_json::Value> = workflow["jobs"]
        .as_object()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_array().into_iter().flatten())
        .collect();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    for action in [
        "actions/checkout",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "{action} missing from {uses:?}"
        );
    }
    let build = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .find(|run| run.contains("-- build"))
        .expect("a step that runs dossier build");
    let command = build
        .lines()
        .find(|l| l.contains("-- build"))
        .expect("build line")
        .trim();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    assert!(
        readme.contains(command),
        "README does not give the workflow's command `{command}`"
    );
    assert_eq!(workflow["permissions"]["pages"], "write");
    assert_eq!(workflow["permissions"]["id-token"], "write");
}
