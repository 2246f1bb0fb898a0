//! Stage 1, load: the only place that walks the briefing folder and reads its files.
//!
//! It reads text as UTF-8 and reports, rather than skips, anything it cannot read (an unreadable
//! file, a name that is not UTF-8, a symbolic-link loop), so the later stages see every file.
//! Symbolic links are followed only while they stay inside the briefing folder: one whose real
//! target is outside is an error and nothing behind it is read, so a link such as
//! `static/x -> /etc/passwd` can never put a file of the machine into the site.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Diagnostics, Loc};
use crate::error::{Error, Result};

/// The name of a briefing's config file, at the top of the folder.
pub const CONFIG_FILE: &str = "dossier.yaml";

/// A text file of the briefing, read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the briefing folder, `/`-separated: what diagnostics show.
    pub rel: String,
    pub path: PathBuf,
    pub text: Arc<str>,
}

#[cfg(test)]
impl SourceFile {
    /// A file given as text, for tests that read nothing from disk.
    pub fn from_text(rel: &str, text: &str) -> SourceFile {
        SourceFile {
            rel: rel.into(),
            path: rel.into(),
            text: Arc::from(text),
        }
    }
}

/// Everything the later stages need from disk.
#[derive(Debug, Default)]
pub struct Loaded {
    pub root: PathBuf,
    pub config: Option<SourceFile>,
    /// `content/**/*.yaml`, sorted by path.
    pub records: Vec<SourceFile>,
    /// `content/**/*.md`, sorted by path.
    pub pages: Vec<SourceFile>,
    /// `templates/**/*.html`: the briefing's overrides of the built-in theme.
    pub templates: Vec<SourceFile>,
    /// `static/**`: (path inside static/, file on disk).
    pub static_files: Vec<(String, PathBuf)>,
}

/// Reads the briefing folder at `root`.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Result<Loaded> {
    let content = root.join("content");
    if !content.is_dir() {
        let why = if !root.exists() {
            "it does not exist (check the path, or run `dossier new NAME` to start a briefing)"
        } else if !root.is_dir() {
            "it is a file (give the folder that holds dossier.yaml and content/)"
        } else {
            "it has no content/ folder (run `dossier new NAME` to start one)"
        };
        return Err(Error::NotABriefing {
            path: shown(root),
            why: why.into(),
        });
    }
    let mut loaded = Loaded {
        root: root.to_path_buf(),
        ..Loaded::default()
    };
    // Canonical, to compare with the real targets of links; `content/` exists, so this resolves.
    let real_root = std::fs::canonicalize(root).map_err(crate::error::read_err(root))?;
    let config_path = root.join(CONFIG_FILE);
    if config_path.is_file() {
        match escapes(&real_root, &config_path) {
            Some(target) => refuse(root, &config_path, &target, false, diags),
            None => loaded.config = read_text(root, &config_path, diags),
        }
    }
    // Read in parallel, kept in walk order.
    let read: Vec<_> = (walk(root, &real_root, &content, diags).into_par_iter())
        .filter(|path| matches!(extension(path), Some("yaml" | "yml" | "md" | "markdown")))
        .map(|path| {
            let mut found = Diagnostics::new();
            (read_text(root, &path, &mut found), found)
        })
        .collect();
    for (file, found) in read {
        diags.append(found);
        let Some(file) = file else { continue };
        match extension(&file.path) {
            Some("yaml" | "yml") => loaded.records.push(file),
            _ => loaded.pages.push(file),
        }
    }
    let templates = root.join("templates");
    if templates.is_dir() {
        for path in walk(root, &real_root, &templates, diags) {
            if extension(&path) == Some("html") {
                loaded.templates.extend(read_text(root, &path, diags));
            }
        }
    }
    let statics = root.join("static");
    if statics.is_dir() {
        for path in walk(root, &real_root, &statics, diags) {
            if let Some(inner) = relative(&statics, &path) {
                loaded.static_files.push((inner, path));
            }
        }
    }
    Ok(loaded)
}

/// Reads a source document (the article a source record points at), if it exists.
pub fn read_document(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Files below `dir`, sorted, skipping hidden and editor files and refusing links that lead
/// out of the briefing (`real_root`, canonical); problems become diagnostics.
fn walk(root: &Path, real_root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut files = Vec::new();
    // (link, real target, is a folder), filled by the filter, reported after the walk.
    let mut refused: Vec<(PathBuf, PathBuf, bool)> = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let shown = e.depth() == 0 || !is_hidden(e.file_name());
            // Only a link (or the walked folder itself) can lead out; skipping the others
            // saves a canonicalize per file. A refused folder is not descended into.
            let linked = e.depth() == 0 || e.path_is_symlink();
            let target = if shown && linked {
                escapes(real_root, e.path())
            } else {
                None
            };
            if let Some(target) = target {
                refused.push((e.path().to_path_buf(), target, e.file_type().is_dir()));
                return false;
            }
            shown
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if entry.file_name().to_str().is_none() {
                    let rel = display_rel(root, entry.path());
                    diags.error(
                        &Loc::file(&rel),
                        "file name is not valid UTF-8",
                        Some("rename the file using UTF-8 characters only".into()),
                    );
                } else if !is_editor_temp(entry.path()) {
                    files.push(entry.into_path());
                }
            }
            Ok(_) => {}
            Err(err) => {
                // A link to a folder above the briefing is a loop to walkdir (checked before
                // the filter), but what matters is that it leads out.
                let out = err.path().filter(|_| err.loop_ancestor().is_some());
                if let Some((link, target)) = out.and_then(|p| Some((p, escapes(real_root, p)?))) {
                    refuse(root, link, &target, true, diags);
                    continue;
                }
                let rel = err
                    .path()
                    .map_or_else(|| display_rel(root, dir), |p| display_rel(root, p));
                let (what, help) = match err.io_error() {
                    _ if err.loop_ancestor().is_some() => (
                        "symbolic link loop".to_string(),
                        "the link leads to a folder that contains it: remove it, or point it \
                         elsewhere inside the briefing",
                    ),
                    Some(io) => (
                        format!("cannot read this folder: {io}"),
                        "check its permissions (it must be readable and searchable), or remove it",
                    ),
                    None => (format!("cannot read: {err}"), "fix or remove this entry"),
                };
                diags.error(&Loc::file(&rel), what, Some(help.into()));
            }
        }
    }
    for (link, target, dir) in refused {
        refuse(root, &link, &target, dir, diags);
    }
    files
}

/// Where `path` really leads when that is outside the briefing (`real_root`, canonical).
/// A path that cannot be resolved counts as outside: refuse rather than guess.
fn escapes(real_root: &Path, path: &Path) -> Option<PathBuf> {
    let target = std::fs::canonicalize(path)
        .or_else(|_| std::fs::read_link(path))
        .unwrap_or_else(|_| path.to_path_buf());
    (!target.starts_with(real_root)).then_some(target)
}

/// Reports a link out of the briefing: which, where it leads and what to do instead.
fn refuse(root: &Path, link: &Path, target: &Path, dir: bool, diags: &mut Diagnostics) {
    let rel = display_rel(root, link);
    let what = if dir { "folder" } else { "file" };
    diags.error(
        &Loc::file(&rel),
        format!(
            "symbolic link to `{}`, outside the briefing folder: not read",
            target.display()
        ),
        Some(format!(
            "copy the {what} into the briefing folder, or point the link at a {what} inside it"
        )),
    );
}

fn read_text(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<SourceFile> {
    let rel = display_rel(root, path);
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(SourceFile {
                rel,
                path: path.to_path_buf(),
                // Editors on Windows start UTF-8 files with a byte-order mark.
                text: Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text)),
            }),
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let valid = String::from_utf8_lossy(&err.as_bytes()[..offset]).into_owned();
                let source: Arc<str> = Arc::from(valid);
                let mut loc = Loc::at_offset(&rel, &source, offset);
                loc.source = None;
                diags.error(
                    &loc,
                    "file is not valid UTF-8",
                    Some("save the file as UTF-8".into()),
                );
                None
            }
        },
        Err(err) => {
            diags.error(
                &Loc::file(&rel),
                format!("cannot read file: {err}"),
                Some("check the file's permissions".into()),
            );
            None
        }
    }
}

fn extension(path: &Path) -> Option<&str> {
    path.extension().and_then(|e| e.to_str())
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn is_editor_temp(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(is_editor_file)
}

/// Whether a file name is an editor's backup, swap or lock file, which the build never reads.
pub fn is_editor_file(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with('#')
        || name.starts_with(".#")
        || name == "4913"
        || [".swp", ".swx", ".tmp", ".bak"]
            .iter()
            .any(|s| name.ends_with(s))
}

fn relative(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// `path` relative to the briefing folder, for messages (a name that is not UTF-8 shows with
/// replacement characters).
pub fn display_rel(root: &Path, path: &Path) -> String {
    relative(root, path).unwrap_or_else(|| match path.strip_prefix(root) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.display().to_string(),
    })
}

/// The briefing folder as messages name it: as given, but the current folder by its path.
fn shown(root: &Path) -> PathBuf {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        std::env::current_dir().unwrap_or_else(|_| root.to_path_buf())
    } else {
        root.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_are_followed_only_inside_the_briefing() {
        let dir = tempfile::tempdir().expect("temp");
        let root = dir.path().join("b");
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        std::fs::create_dir_all(root.join("static")).expect("mkdir");
        std::fs::write(root.join("content/a.md"), "a").expect("write");
        std::fs::write(dir.path().join("secret"), "s").expect("write");
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, root.join(name)).expect("symlink");
        };
        link(Path::new("../content/a.md"), "static/in.md");
        link(&dir.path().join("secret"), "static/out");
        link(dir.path(), "content/up");
        link(Path::new("."), "content/self");
        let mut diags = Diagnostics::new();
        let loaded = load(&root, &mut diags).expect("load");
        let statics: Vec<&str> = loaded
            .static_files
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(statics, ["in.md"]);
        assert_eq!(loaded.pages.len(), 1, "nothing read through content/up");
        let headlines: Vec<String> = diags.sorted().iter().map(|d| d.headline()).collect();
        assert_eq!(
            headlines.len(),
            3,
            "a loop inside, a folder and a file outside: {headlines:?}"
        );
        assert_eq!(headlines[0], "content/self: error: symbolic link loop");
        assert!(headlines[1].starts_with("content/up: error: symbolic link to"));
        assert!(headlines[2].starts_with("static/out: error: symbolic link to"));
        assert!(headlines[2].ends_with("outside the briefing folder: not read"));
    }
}
