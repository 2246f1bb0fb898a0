//! Stage 6, write: the only place that writes the site. It writes into a fresh folder beside
//! the output and swaps it in only when everything is written, so a failed or interrupted
//! build leaves the previous site whole. A rebuild of `serve` that changes a few files holds
//! them in memory and then writes each in place through a rename ([`Patch`]).
//!
//! Every output path is first [`resolve`]d, and the checks of [`check_output`] compare
//! resolved paths, so `..`, symlinks and folders that do not exist yet cannot lead a build
//! to a folder it was not meant to replace.

use std::fs::{self, File};
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::error::{Error, Result, read_err, write_err};
use crate::render::{OutputFile, Sink, Site};

/// A file Dossier leaves in every output folder, so it never replaces a folder it did not make.
pub const MARKER: &str = ".dossier-output";

/// The file that marks a staging folder as Dossier's own; the build writing the folder holds
/// an exclusive lock on it, so a later build deletes only folders whose builds are gone.
const STAGING_MARKER: &str = ".dossier-staging";

/// The new site inside a staging folder; after the swap it holds the previous site.
const SITE: &str = "site";
/// Where the two-rename swap moves the previous site, inside the staging folder.
const OLD: &str = "old";

/// The briefing's source folders: an output inside one would be read back as sources.
const SOURCES: [&str; 3] = ["content", "templates", "static"];

/// A new site being written into a fresh folder beside the output, file by file as render
/// makes them ([`Sink`]), and not yet in place: [`Stage::swap`] puts it there. Dropped
/// before the swap, it is deleted and the output is left as it was.
pub struct Stage {
    staging: Staging,
    /// The path as the caller gave it, resolved again just before the swap.
    requested: PathBuf,
    /// Where `requested` resolved when the build started.
    out: PathBuf,
}

/// The previous output, moved aside by [`Stage::swap`]: deleted when dropped, so a server can
/// let requests through before the deletion.
pub struct Retired {
    _staging: Staging,
}

/// A locked, marked `.NAME.building-*` folder beside the output, deleted when dropped.
struct Staging {
    dir: PathBuf,
    // Held until the folder is deleted (fields drop after `Drop::drop`).
    _lock: File,
}

impl Drop for Staging {
    fn drop(&mut self) {
        remove_staging(&self.dir);
    }
}

/// The folder `path` goes in (`.` for a bare name), created if missing: where Dossier stages
/// a file or folder before moving it into place.
pub fn existing_parent(path: &Path) -> Result<&Path> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(write_err(parent))?;
    Ok(parent)
}

/// Where `path` really is: made absolute, then walked one component at a time: a component
/// that exists is canonicalized (its symlinks and `..` resolved by the file system), one that
/// does not is appended as is, `..` pops and `.` is skipped. So `missing/../x` is `x`, and a
/// symlink anywhere in the existing part is followed, as the writes will follow it.
pub fn resolve(path: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(path).map_err(read_err(path))?;
    let mut out = PathBuf::new();
    for part in abs.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => out.push(part),
            Component::CurDir => {}
            // `out` has no symlinks left, so popping is what the file system does too.
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                match fs::symlink_metadata(&out) {
                    Ok(_) => out = fs::canonicalize(&out).map_err(read_err(&out))?,
                    Err(e) if e.kind() == ErrorKind::NotFound => {}
                    Err(e) => return Err(read_err(&out)(e)),
                }
            }
        }
    }
    Ok(out)
}

/// Refuses to write to `out` (a [`resolve`]d path) when that could destroy anything but a
/// previous Dossier build: the file system root, the home folder or a folder containing it,
/// the briefing `root` (when given) or a folder containing it, a folder inside its sources, a
/// file, a non-empty folder without the [`MARKER`], and the current folder or one containing
/// it. The current folder is refused even when empty, unless it has the marker: replacing it
/// leaves the shell in a deleted folder, and a folder containing it holds whatever is being
/// worked on; a marked folder was written whole by Dossier, so replacing it loses nothing.
pub fn check_output(out: &Path, root: Option<&Path>) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::UnsafeOutput {
            path: out.to_path_buf(),
            why: format!("{why}; choose another --output, such as the briefing's public/"),
        })
    };
    // What is there may be someone's: it can be moved away, and then the path is free.
    let occupied = |why: &str| {
        Err(Error::UnsafeOutput {
            path: out.to_path_buf(),
            why: format!(
                "{why}; move it away (Dossier never deletes it), or choose another --output"
            ),
        })
    };
    if out.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    let home = std::env::home_dir().filter(|h| !h.as_os_str().is_empty());
    if home.is_some_and(|h| resolve(&h).is_ok_and(|h| h.starts_with(out))) {
        return refuse("it is your home folder or contains it");
    }
    if let Some(root) = root {
        let root = resolve(root)?;
        if root.starts_with(out) {
            return refuse("it is the briefing folder or contains it");
        }
        for dir in SOURCES {
            if out.starts_with(resolve(&root.join(dir))?) {
                return refuse(&format!(
                    "it is inside {dir}/, one of the briefing's sources"
                ));
            }
        }
    }
    let meta = match fs::symlink_metadata(out) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        other => other.map_err(read_err(out))?,
    };
    if !meta.is_dir() {
        return occupied("it is a file, not a folder");
    }
    if out.join(MARKER).is_file() {
        return Ok(());
    }
    let cwd = std::env::current_dir().map_err(|source| Error::NoCurrentFolder { source })?;
    if resolve(&cwd)?.starts_with(out) {
        return refuse(&format!(
            "it is the current folder or contains it, and was not written by Dossier (no {MARKER} file)"
        ));
    }
    if fs::read_dir(out).map_err(read_err(out))?.next().is_some() {
        return occupied(&format!(
            "it is not empty and was not written by Dossier (no {MARKER} file)"
        ));
    }
    Ok(())
}

/// Starts a new site in a fresh folder beside `out`, after checking `out` and deleting the
/// staging folders that interrupted builds left there.
pub fn stage(out: &Path) -> Result<Stage> {
    let resolved = resolve(out)?;
    check_output(&resolved, None)?;
    let parent = existing_parent(&resolved)?;
    let name = resolved
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy());
    let prefix = format!(".{name}.building-");
    remove_stale(parent, &prefix);
    let staging = Staging::create(parent, &prefix)?;
    fs::create_dir(staging.dir.join(SITE)).map_err(write_err(&staging.dir))?;
    Ok(Stage {
        staging,
        requested: out.to_path_buf(),
        out: resolved,
    })
}

impl Sink for Stage {
    fn put(&self, file: OutputFile) -> Result<()> {
        let path = self.staging.dir.join(SITE).join(&file.path);
        create_parent(&path)?;
        fs::write(&path, &file.bytes).map_err(write_err(&path))
    }

    /// Writes each piece as it comes and lets it go.
    fn put_stream(&self, path: String, pieces: &mut dyn Iterator<Item = String>) -> Result<()> {
        use std::io::Write as _;
        let path = self.staging.dir.join(SITE).join(&path);
        create_parent(&path)?;
        let mut file = File::create(&path).map_err(write_err(&path))?;
        for piece in pieces {
            file.write_all(piece.as_bytes()).map_err(write_err(&path))?;
        }
        Ok(())
    }
}

impl Stage {
    /// Copies `site`'s files that are copied as they are and marks the folder as a build:
    /// the last step before [`Stage::swap`].
    pub fn complete(&self, site: &Site) -> Result<()> {
        let root = self.staging.dir.join(SITE);
        site.copies.par_iter().try_for_each(|(rel, from)| {
            let path = root.join(rel);
            create_parent(&path)?;
            fs::copy(from, &path).map(|_| ()).map_err(read_err(from))
        })?;
        let marker = root.join(MARKER);
        fs::write(
            &marker,
            "Written by dossier build; replaced whole by the next build.\n",
        )
        .map_err(write_err(&marker))
    }
}

impl Stage {
    /// Checks the output again (it may have changed while the site was written), then puts the
    /// new site in place: one atomic exchange where the file system can, else two renames.
    /// On failure the staging folder is deleted and the output is left as it was.
    pub fn swap(self) -> Result<Retired> {
        test_pause();
        let now = resolve(&self.requested)?;
        if now != self.out {
            return Err(Error::UnsafeOutput {
                path: self.requested,
                why: format!(
                    "it resolved to {} when the build started and to {} now; build again",
                    self.out.display(),
                    now.display()
                ),
            });
        }
        check_output(&self.out, None)?;
        let (site, aside) = (self.staging.dir.join(SITE), self.staging.dir.join(OLD));
        if fs::symlink_metadata(&self.out).is_err() {
            rename_new(&site, &self.out)?;
            return Ok(Retired {
                _staging: self.staging,
            });
        }
        let old = exchange(&site, &self.out, &aside)?;
        test_pause();
        // The output could have been replaced since the check: only what is a previous build
        // now that it sits in the staging folder is deleted; anything else is put back.
        if previous_output(&old) {
            return Ok(Retired {
                _staging: self.staging,
            });
        }
        let back = if old == site { aside } else { site };
        if let Err(e) = exchange(&old, &self.out, &back) {
            return Err(Error::OutputReplaced {
                path: self.out,
                kept: self.staging.keep(),
                source: Box::new(e),
            });
        }
        Err(Error::UnsafeOutput {
            path: self.out,
            why: "it was replaced by a folder not written by Dossier during the build".into(),
        })
    }
}

/// The files of an incremental rebuild (`serve`) that differ from the build in the output,
/// held in memory until [`Patch::apply`] writes them in. A rebuild that changes more than
/// [`Patch::LIMIT`] bytes overflows: it is then made again as a full build
/// ([`Patch::overflowed`]), so the output never holds half of one.
pub struct Patch {
    out: PathBuf,
    files: std::sync::Mutex<Vec<OutputFile>>,
    bytes: std::sync::atomic::AtomicUsize,
}

impl Patch {
    pub const LIMIT: usize = 256 << 20;

    /// A patch of the build in `out`, or `None` when `out` holds no build of Dossier's (it
    /// was removed, or replaced).
    pub fn new(out: &Path) -> Result<Option<Patch>> {
        let resolved = resolve(out)?;
        check_output(&resolved, None)?;
        if !resolved.join(MARKER).is_file() {
            return Ok(None);
        }
        Ok(Some(Patch {
            out: resolved,
            files: std::sync::Mutex::default(),
            bytes: std::sync::atomic::AtomicUsize::new(0),
        }))
    }

    /// Whether the changed files were more than [`Patch::LIMIT`] bytes (some were dropped).
    pub fn overflowed(&self) -> bool {
        self.bytes.load(std::sync::atomic::Ordering::Relaxed) > Self::LIMIT
    }

    /// How many files the patch writes.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the changed files into the output, each into a temporary file beside its place
    /// then renamed over it (a reader sees the old file or the new one, whole); copies the
    /// files `site` copies as they are; deletes the `removed` files.
    pub fn apply(self, site: &Site, removed: &[String]) -> Result<()> {
        check_output(&self.out, None)?;
        if !self.out.join(MARKER).is_file() {
            return Err(Error::UnsafeOutput {
                path: self.out,
                why: "it no longer holds the build it was served from; build again".into(),
            });
        }
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        let out = &self.out;
        files
            .par_iter()
            .try_for_each(|f| replace(&out.join(&f.path), &f.bytes))?;
        site.copies.par_iter().try_for_each(|(rel, from)| {
            let bytes = fs::read(from).map_err(read_err(from))?;
            let path = out.join(rel);
            if fs::read(&path).is_ok_and(|old| old == bytes) {
                return Ok(());
            }
            replace(&path, &bytes)
        })?;
        for rel in removed {
            let path = out.join(rel);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != ErrorKind::NotFound => return Err(write_err(&path)(e)),
                _ => {}
            }
            // Folders left empty go too (an error means it is not empty).
            for dir in path
                .ancestors()
                .skip(1)
                .take_while(|d| d.starts_with(out) && *d != out)
            {
                if fs::remove_dir(dir).is_err() {
                    break;
                }
            }
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<OutputFile>> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Patch {
    fn put(&self, file: OutputFile) -> Result<()> {
        use std::sync::atomic::Ordering;
        let total = self.bytes.fetch_add(file.bytes.len(), Ordering::Relaxed) + file.bytes.len();
        if total <= Self::LIMIT {
            self.lock().push(file);
        }
        Ok(())
    }
}

/// Writes `bytes` at `path` through a hidden file beside it, renamed over it.
fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    create_parent(path)?;
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let tmp = path.with_file_name(format!(".{name}.dossier-new"));
    fs::write(&tmp, bytes).map_err(write_err(&tmp))?;
    fs::rename(&tmp, path).map_err(write_err(path))
}

/// What identifies the build in `out`: its marker file's device, inode and time. A build of
/// Dossier's writes a new marker; a patch leaves it. `None` without a marker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stamp {
    id: (u64, u64),
    modified: Option<std::time::SystemTime>,
}

pub fn stamp(out: &Path) -> Option<Stamp> {
    let meta = fs::metadata(out.join(MARKER)).ok()?;
    #[cfg(unix)]
    let id = {
        use std::os::unix::fs::MetadataExt;
        (meta.dev(), meta.ino())
    };
    #[cfg(not(unix))]
    let id = (0, meta.len());
    Some(Stamp {
        id,
        modified: meta.modified().ok(),
    })
}

/// Whether `dir` holds a previous Dossier build, or nothing.
fn previous_output(dir: &Path) -> bool {
    dir.join(MARKER).is_file() || fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

impl Staging {
    /// Creates the folder, then its marker, locked for as long as this value lives.
    fn create(parent: &Path, prefix: &str) -> Result<Staging> {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(parent)
            .map_err(write_err(parent))?
            .keep();
        let path = dir.join(STAGING_MARKER);
        let made = File::create_new(&path).and_then(|mut lock| {
            lock.try_lock().map_err(std::io::Error::from)?;
            std::io::Write::write_all(
                &mut lock,
                b"A build of dossier in progress, or interrupted: the next build deletes it.\n",
            )?;
            Ok(lock)
        });
        match made {
            Ok(lock) => Ok(Staging { dir, _lock: lock }),
            Err(e) => {
                remove_staging(&dir);
                Err(write_err(path)(e))
            }
        }
    }

    /// Leaves the folder in place for good: without its marker no build deletes it.
    fn keep(self) -> PathBuf {
        let _ = fs::remove_file(self.dir.join(STAGING_MARKER));
        let dir = self.dir.clone();
        std::mem::forget(self);
        dir
    }
}

/// Deletes the staging folders beginning with `prefix` in `parent` that no running build
/// holds: those with an unlocked marker, and empty ones (a build killed between creating the
/// folder and its marker, or while deleting it; an empty folder holds nothing to lose).
/// Best effort: a folder that cannot be deleted is left for a later build.
fn remove_stale(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let dir = entry.path();
        let ours = entry.file_name().to_string_lossy().starts_with(prefix)
            && entry.file_type().is_ok_and(|t| t.is_dir());
        if !ours {
            continue;
        }
        let marker = dir.join(STAGING_MARKER);
        if !fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file()) {
            // Fails unless the folder is empty.
            let _ = fs::remove_dir(&dir);
        } else if let Ok(lock) = File::open(&marker)
            && lock.try_lock().is_ok()
        {
            remove_staging(&dir);
        }
    }
}

/// Deletes a staging folder with its marker last, so an interrupted deletion leaves a folder
/// that is still recognisably Dossier's.
fn remove_staging(dir: &Path) {
    for sub in [SITE, OLD] {
        remove_tree(&dir.join(sub));
    }
    let _ = fs::remove_dir_all(dir);
}

/// Deletes the folder `dir`, its top-level entries in parallel: a large site's folders
/// (`claims/`, `sources/`, an entity kind's) are deleted side by side, each by a thread.
fn remove_tree(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.par_iter().with_max_len(1).for_each(|path| {
        let _ = match fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
            _ => fs::remove_file(path),
        };
    });
    let _ = fs::remove_dir_all(dir);
}

/// Test-only hook: when `DOSSIER_TEST_SWAP_PAUSE_MS` is set, sleeps that long before the swap
/// and after the exchange, so tests can interrupt a build there. Does nothing when unset.
fn test_pause() {
    if let Some(ms) = std::env::var("DOSSIER_TEST_SWAP_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(dir) => fs::create_dir_all(dir).map_err(write_err(dir)),
        None => Ok(()),
    }
}

/// Whether a `renameat2` error means the file system or kernel lacks the flag.
#[cfg(target_os = "linux")]
fn unsupported(e: rustix::io::Errno) -> bool {
    use rustix::io::Errno;
    [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP].contains(&e)
}

/// Moves `from` to `to`, which does not exist; fails if `to` appeared meanwhile.
fn rename_new(from: &Path, to: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Err(e) if unsupported(e) => {}
            other => return other.map_err(|e| write_err(to)(e.into())),
        }
    }
    fs::rename(from, to).map_err(write_err(to))
}

/// Swaps the folders `new` and `out`; returns where the previous site now is. Atomic on Linux
/// file systems that support `RENAME_EXCHANGE` (the previous site is then at `new`); elsewhere
/// two renames through `aside`, with the previous site put back if the second fails.
fn exchange(new: &Path, out: &Path, aside: &Path) -> Result<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, new, CWD, out, RenameFlags::EXCHANGE) {
            Err(e) if unsupported(e) => {}
            other => {
                return other
                    .map(|()| new.to_path_buf())
                    .map_err(|e| write_err(out)(e.into()));
            }
        }
    }
    two_renames(new, out, aside)
}

/// The swap where the file system cannot exchange: for a moment nothing is at `out`.
fn two_renames(new: &Path, out: &Path, aside: &Path) -> Result<PathBuf> {
    fs::rename(out, aside).map_err(write_err(out))?;
    match fs::rename(new, out) {
        Ok(()) => Ok(aside.to_path_buf()),
        Err(source) => {
            let _ = fs::rename(aside, out);
            Err(Error::Write {
                path: out.to_path_buf(),
                source,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temporary folder");
        let real = fs::canonicalize(dir.path()).expect("canonical");
        (dir, real)
    }

    #[test]
    fn resolve_pops_through_missing_folders() {
        let (_dir, t) = temp();
        fs::create_dir(t.join("victim")).expect("mkdir");
        assert_eq!(
            resolve(&t.join("missing/../victim")).expect("resolve"),
            t.join("victim")
        );
        assert_eq!(
            resolve(&t.join("a/./b/../c")).expect("resolve"),
            t.join("a/c")
        );
    }

    #[cfg(unix)]
    #[test]
    fn resolve_follows_symlinks_before_popping() {
        let (_dir, t) = temp();
        fs::create_dir_all(t.join("real/sub")).expect("mkdir");
        std::os::unix::fs::symlink(t.join("real/sub"), t.join("link")).expect("symlink");
        assert_eq!(
            resolve(&t.join("link")).expect("resolve"),
            t.join("real/sub")
        );
        // `..` after a symlink is the target's parent, as the file system sees it.
        assert_eq!(
            resolve(&t.join("link/..")).expect("resolve"),
            t.join("real")
        );
        assert_eq!(
            resolve(&t.join("link/new/x")).expect("resolve"),
            t.join("real/sub/new/x")
        );
    }

    #[test]
    fn resolve_makes_relative_paths_absolute() {
        let cwd = fs::canonicalize(".").expect("cwd");
        assert_eq!(resolve(Path::new(".")).expect("resolve"), cwd);
        assert_eq!(resolve(Path::new("no-such/..")).expect("resolve"), cwd);
        assert_eq!(resolve(Path::new("/..")).expect("resolve"), Path::new("/"));
    }

    #[test]
    fn both_swaps_leave_the_previous_site_where_they_say() {
        let (_dir, t) = temp();
        for (n, swap) in [exchange, two_renames].into_iter().enumerate() {
            let (new, out, aside) = (
                t.join(format!("new{n}")),
                t.join(format!("out{n}")),
                t.join(format!("aside{n}")),
            );
            fs::create_dir(&new).expect("mkdir");
            fs::write(new.join("v"), "new").expect("write");
            fs::create_dir(&out).expect("mkdir");
            fs::write(out.join("v"), "old").expect("write");
            let old = swap(&new, &out, &aside).expect("swap");
            assert_eq!(fs::read_to_string(out.join("v")).expect("read"), "new");
            assert_eq!(fs::read_to_string(old.join("v")).expect("read"), "old");
        }
    }

    #[cfg(unix)]
    #[test]
    fn resolve_refuses_dangling_symlinks_and_files_as_folders() {
        let (_dir, t) = temp();
        std::os::unix::fs::symlink(t.join("nowhere"), t.join("dangling")).expect("symlink");
        assert!(resolve(&t.join("dangling")).is_err());
        fs::write(t.join("file"), "x").expect("write");
        assert!(resolve(&t.join("file/x")).is_err());
    }
}
