//! Stage 6, write: the only place that writes the site. It writes into a fresh folder beside
//! the output and swaps it in only when everything is written, so a failed or interrupted
//! build leaves the previous site whole.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result, read_err, write_err};
use crate::render::Site;

/// A file Dossier leaves in every output folder, so it never replaces a folder it did not make.
pub const MARKER: &str = ".dossier-output";

/// Writes `site` to `out` atomically.
pub fn write(site: &Site, out: &Path) -> Result<()> {
    stage(site, out)?.swap().map(drop)
}

/// A complete new site, written beside the output and not yet in place.
pub struct Staged {
    dir: tempfile::TempDir,
    out: PathBuf,
    parent: PathBuf,
    name: String,
}

/// The previous output, moved aside by [`Staged::swap`]: deleted when dropped, so a server can
/// let requests through before the deletion.
pub struct Retired {
    _old: Option<tempfile::TempDir>,
}

/// The folder `path` goes in (`.` for a bare name), created if missing: where Dossier stages
/// a file or folder before moving it into place.
pub fn existing_parent(path: &Path) -> Result<&Path> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(write_err(parent))?;
    Ok(parent)
}

/// Writes `site` into a fresh folder beside `out`.
pub fn stage(site: &Site, out: &Path) -> Result<Staged> {
    check_replaceable(out)?;
    let parent = existing_parent(out)?;
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    let dir = tempfile::Builder::new()
        .prefix(&format!(".{name}.building-"))
        .tempdir_in(parent)
        .map_err(write_err(parent))?;
    let root = dir.path();
    site.files.par_iter().try_for_each(|f| {
        let path = root.join(&f.path);
        create_parent(&path)?;
        std::fs::write(&path, &f.bytes).map_err(write_err(&path))
    })?;
    site.copies.par_iter().try_for_each(|(rel, from)| {
        let path = root.join(rel);
        create_parent(&path)?;
        std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(read_err(from))
    })?;
    let marker = root.join(MARKER);
    std::fs::write(
        &marker,
        "Written by dossier build; replaced whole by the next build.\n",
    )
    .map_err(write_err(&marker))?;
    Ok(Staged {
        dir,
        out: out.to_path_buf(),
        parent: parent.to_path_buf(),
        name: name.to_string(),
    })
}

impl Staged {
    /// Moves the previous output aside and the new one in: two renames.
    pub fn swap(self) -> Result<Retired> {
        swap(self.dir.keep(), &self.out, &self.parent, &self.name)
    }
}

fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(dir) => std::fs::create_dir_all(dir).map_err(write_err(dir)),
        None => Ok(()),
    }
}

/// Moves the old output aside and the new one in; the old one is returned to be deleted.
fn swap(staged: PathBuf, out: &Path, parent: &Path, name: &str) -> Result<Retired> {
    let result = (|| {
        if !out.exists() {
            std::fs::rename(&staged, out).map_err(write_err(out))?;
            return Ok(Retired { _old: None });
        }
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(parent)
            .map_err(write_err(parent))?;
        let old_path = old.path().join(name);
        std::fs::rename(out, &old_path).map_err(write_err(out))?;
        if let Err(source) = std::fs::rename(&staged, out) {
            // Put the previous site back before reporting.
            let _ = std::fs::rename(&old_path, out);
            return Err(Error::Write {
                path: out.to_path_buf(),
                source,
            });
        }
        Ok(Retired { _old: Some(old) })
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staged);
    }
    result
}

/// Refuses to replace a folder that holds something other than a previous Dossier build.
fn check_replaceable(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(Error::UnsafeOutput {
            path: out.to_path_buf(),
            why: "it exists and is not a folder".into(),
        });
    }
    let empty = std::fs::read_dir(out)
        .map_err(read_err(out))?
        .next()
        .is_none();
    if empty || out.join(MARKER).is_file() {
        return Ok(());
    }
    Err(Error::UnsafeOutput {
        path: out.to_path_buf(),
        why: format!(
            "it is not empty and was not written by Dossier (no {MARKER} file); choose another --output or empty it"
        ),
    })
}
