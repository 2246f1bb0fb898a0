//! The fixture builder shared by the integration tests.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies a fixture folder, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// A fixture briefing copied into a temporary folder.
pub struct Fixture {
    dir: tempfile::TempDir,
    pub root: PathBuf,
}

/// What a run of the binary produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Fixture {
    /// A copy of `tests/fixtures/NAME`.
    pub fn new(name: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().join(name);
        copy_dir(&fixtures().join(name), &root);
        Fixture { dir, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes (or overwrites) a file of the briefing.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("file has a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write fixture file");
        self
    }

    /// Adds `text` at the end of a file.
    pub fn append(&self, rel: &str, text: &str) -> &Self {
        let before = self.read(rel);
        self.write(rel, &(before + text))
    }

    /// Replaces the one occurrence of `from` in a file.
    pub fn replace(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "`{from}` once in {rel}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    /// The temporary folder the briefing was copied into (`root`'s parent): a place outside
    /// the briefing for a test's other files.
    pub fn outside(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `text` with the fixture's absolute paths made stable for snapshots: the briefing
    /// folder is `[BRIEFING]`, the temporary folder around it `[TMP]`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (path, name) in [
            (&self.root, "[BRIEFING]"),
            (&self.dir.path().to_path_buf(), "[TMP]"),
        ] {
            let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            for form in [canonical, path.clone()] {
                out = out.replace(&form.display().to_string(), name);
            }
        }
        out
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Runs `dossier ARGS...` in the briefing folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(&self.root, args, &[])
    }

    /// [`Fixture::run`] with extra environment variables.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &OsStr)]) -> Run {
        run_in(&self.root, args, env)
    }

    /// Builds into `public/` and expects success.
    pub fn build(&self) -> Site {
        let run = self.run(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        Site {
            root: self.path("public"),
        }
    }
}

impl Run {
    /// Asserts a failed run whose messages include `path:line:col` and every fragment.
    pub fn assert_error(&self, location: &str, fragments: &[&str]) {
        assert_eq!(
            self.code, 1,
            "expected exit 1, got {}:\n{}",
            self.code, self.stderr
        );
        let headline = self
            .stderr
            .lines()
            .find(|l| l.starts_with(location))
            .unwrap_or_else(|| panic!("no message at {location} in:\n{}", self.stderr));
        assert!(headline.contains("error:"), "{headline}");
        for f in fragments {
            assert!(
                self.stderr.contains(f),
                "missing `{f}` in:\n{}",
                self.stderr
            );
        }
    }
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Runs `dossier ARGS...` in `cwd` with extra environment variables.
pub fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &OsStr)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("run dossier");
    Run::from(out)
}

/// A built site on disk.
pub struct Site {
    pub root: PathBuf,
}

impl Site {
    pub fn html(&self, rel: &str) -> Html {
        let text = std::fs::read_to_string(self.root.join(rel))
            .unwrap_or_else(|e| panic!("read {rel}: {e}"));
        Html::parse_document(&text)
    }

    pub fn text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }
}

/// The `href`s of the elements matching `selector`.
pub fn hrefs(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).expect("valid selector");
    html.select(&sel)
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

/// The text of the elements matching `selector`.
pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).expect("valid selector");
    html.select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect()
}

/// The repository's own briefing built into a temporary folder (with its content as it is,
/// documents or not): the folder, to keep, and the site.
pub fn bundled_site() -> (tempfile::TempDir, Site) {
    bundled_site_with(&[])
}

/// [`bundled_site`] built with extra environment variables.
pub fn bundled_site_with(env: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temporary folder");
    let root = out.path().join("site");
    let run = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .arg(repo)
        .arg("--output")
        .arg(&root)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("run dossier");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (out, Site { root })
}

/// The search index of a site in one part (every fixture's): the manifest `search-index.js`
/// names `search-index-0.js`, whose object has `docs` (`[url, kind]` per document ref) and
/// `index` (elasticlunr's, with each document's fields in `documentStore.docs`).
pub fn search_index(site: &Site) -> serde_json::Value {
    let manifest = script_json(&site.text("search-index.js"), "window.DOSSIER_SEARCH = ");
    assert_eq!(
        manifest["parts"],
        serde_json::json!(["search-index-0.js"]),
        "one part"
    );
    script_json(
        &site.text("search-index-0.js"),
        "(window.DOSSIER_SEARCH_PARTS = window.DOSSIER_SEARCH_PARTS || {})[\"search-index-0.js\"] = ",
    )
}

/// The JSON a script assigns after `head`.
pub fn script_json(script: &str, head: &str) -> serde_json::Value {
    let json = script
        .strip_prefix(head)
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .unwrap_or_else(|| panic!("the script begins `{head}`"));
    serde_json::from_str(json).expect("the script holds JSON")
}

/// The documents of a search index: (url, kind, title, body, source).
pub fn search_docs(index: &serde_json::Value) -> Vec<[String; 5]> {
    let docs = index["docs"].as_array().expect("docs");
    let store = &index["index"]["documentStore"]["docs"];
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    docs.iter()
        .enumerate()
        .map(|(i, d)| {
            let doc = &store[i.to_string()];
            [
                s(&d[0]),
                s(&d[1]),
                s(&doc["title"]),
                s(&doc["body"]),
                s(&doc["source"]),
            ]
        })
        .collect()
}
