//! Building and watching for `dossier serve`: rebuilds on every change to the sources,
//! swaps the new output in under the server's lock, and reports to the terminal and to open
//! pages (a reload, a stylesheet swap, or the errors of a failed build).

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant, SystemTime};

use notify_debouncer_full::notify::{RecursiveMode, Watcher};
use notify_debouncer_full::{DebounceEventResult, Debouncer, FileIdCache, new_debouncer};

use super::{Problem, State, Status};
use crate::diag::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::load::CONFIG_FILE;
use crate::render::Memo;
use crate::write;
use crate::{Compiled, Options};

const DEBOUNCE: Duration = Duration::from_millis(50);
const WATCHED_DIRS: [&str; 3] = ["content", "templates", "static"];

/// What changed, which decides how open pages refresh.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Change {
    Full,
    CssOnly,
}

/// Compiles and, when there are no errors, swaps the new output in; reports to the terminal
/// and to open pages. `Err` only for the first build of a folder that is not a briefing.
///
/// `warm.served` is the memo of the build being served: against it only what changed is
/// rendered and written ([`crate::rebuild`]); it becomes the new build's, or `None` when the
/// output may no longer match it (the next rebuild is then a full one). It is dropped when the
/// output folder holds another build than the one it was written into (`dossier build` ran
/// meanwhile). `warm.parsed` spares parsing the files that did not change.
pub(super) fn rebuild(
    state: &State,
    options: &Options,
    change: Change,
    since: Option<Instant>,
    warm: &mut Warm,
) -> Result<Status> {
    let Warm { served, parsed } = warm;
    let started = Instant::now();
    let current = state.status();
    let first = current.build == 0 && current.title.is_empty();
    if served
        .as_ref()
        .is_some_and(|s| s.stamp.is_none() || s.stamp != write::stamp(&state.out))
    {
        *served = None;
    }
    let memo = served.as_ref().map(|s| &s.memo);
    let (mut compiled, update) = match crate::rebuild(options, &state.out, memo, parsed) {
        Ok(c) => c,
        Err(e) if first => return Err(e),
        Err(e) => {
            *served = None;
            return Ok(report_failure(state, vec![operational(&e)]));
        }
    };
    print_diagnostics(&compiled, first);
    let Some(update) = update else {
        return Ok(content_failure(state, &compiled));
    };
    let how = update.describe();
    // Requests wait only for the renames of the swap (or the changed files), not for the
    // rendering.
    let applied = {
        let _guard = state.swap.write().unwrap_or_else(|p| p.into_inner());
        update.apply(&compiled.site)
    };
    *served = None;
    match applied {
        Ok(retired) => drop(retired),
        Err(e) => return Ok(report_failure(state, vec![operational(&e)])),
    }
    *served = (compiled.site.memo.take()).map(|memo| Served {
        memo,
        stamp: write::stamp(&state.out),
    });
    let (status, message) = publish(state, &compiled, change);
    if !first {
        let after = since.map_or_else(String::new, |t| {
            format!(", {} ms after the change", t.elapsed().as_millis())
        });
        let took = started.elapsed().as_millis();
        println!(
            "[{}] rebuilt in {took} ms{after} ({how}); {message}",
            clock()
        );
    }
    Ok(status)
}

/// What `serve` keeps between builds.
#[derive(Default)]
pub(super) struct Warm {
    /// The build being served, when the output still holds it.
    served: Option<Served>,
    /// The last parse, good or not: its files need not be parsed again.
    parsed: crate::parse::Cache,
}

/// The memo of the build being served, and the stamp of the output it was written into.
pub(super) struct Served {
    memo: Memo,
    stamp: Option<write::Stamp>,
}

/// Records a good build and tells open pages to reload (or only restyle).
fn publish(state: &State, compiled: &Compiled, change: Change) -> (Status, String) {
    let config = &compiled.model.config;
    let status = state.update(|s| {
        s.build += 1;
        s.errors.clear();
        s.title.clone_from(&config.title);
        s.base_path.clone_from(&config.base_url.path);
    });
    let kind = match change {
        Change::CssOnly => "css",
        Change::Full => "reload",
    };
    let event = serde_json::json!({"type": kind, "build": status.build});
    let pages = state.events.send(event.to_string()).unwrap_or(0);
    let pages = match pages {
        1 => "1 page".to_string(),
        n => format!("{n} pages"),
    };
    (status, format!("{kind} sent to {pages}"))
}

/// Records a build with content errors: the last good build stays.
fn content_failure(state: &State, compiled: &Compiled) -> Status {
    let config = &compiled.model.config;
    state.update(|s| {
        if s.title.is_empty() {
            s.title.clone_from(&config.title);
            s.base_path.clone_from(&config.base_url.path);
        }
    });
    let errors = compiled.diags.sorted();
    let problems = errors.iter().filter(|d| d.severity == Severity::Error);
    report_failure(state, problems.map(|d| problem(d)).collect())
}

fn report_failure(state: &State, problems: Vec<Problem>) -> Status {
    let status = state.update(|s| s.errors.clone_from(&problems));
    let fix = match problems.len() {
        1 => "fix the error above".to_string(),
        n => format!("fix the {n} errors above"),
    };
    eprintln!(
        "[{}] build failed: still serving the last good build; {fix}",
        clock()
    );
    let message = serde_json::json!({"type": "error", "errors": problems});
    let _ = state.events.send(message.to_string());
    status
}

fn print_diagnostics(compiled: &Compiled, with_warnings: bool) {
    let color = std::io::stderr().is_terminal();
    for d in compiled.diags.sorted() {
        if with_warnings || d.severity == Severity::Error {
            eprintln!("{}", d.render(color));
        }
    }
}

fn problem(d: &Diagnostic) -> Problem {
    Problem {
        headline: d.headline(),
        help: d.help.clone(),
        text: d.render(false),
    }
}

fn operational(e: &Error) -> Problem {
    eprintln!("error: {e}");
    Problem {
        headline: format!("error: {e}"),
        help: None,
        text: format!("error: {e}"),
    }
}

/// `HH:MM:SS.mmm` (UTC), for the rebuild log.
fn clock() -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() % 86_400;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        now.subsec_millis()
    )
}

/// The watcher and what the rebuild thread needs.
struct Rebuilder<W: Watcher, C: FileIdCache> {
    state: Arc<State>,
    options: Options,
    warm: Warm,
    /// The briefing folder and the output, canonical, to compare with event paths.
    root: PathBuf,
    out: PathBuf,
    debouncer: Debouncer<W, C>,
    watched: HashSet<PathBuf>,
}

/// Starts the watcher and the thread that rebuilds on its events.
pub(super) fn watch(state: Arc<State>, options: Options, warm: Warm) -> Result<()> {
    let root =
        std::fs::canonicalize(&options.root).map_err(crate::error::read_err(&options.root))?;
    let cannot_watch = |source| Error::Watch {
        path: root.clone(),
        source,
    };
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(cannot_watch)?;
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(cannot_watch)?;
    let out = std::fs::canonicalize(&state.out).unwrap_or_else(|_| state.out.clone());
    let mut rebuilder = Rebuilder {
        state,
        options,
        warm,
        root,
        out,
        debouncer,
        watched: HashSet::new(),
    };
    rebuilder.watch_dirs();
    std::thread::Builder::new()
        .name("dossier-rebuild".into())
        .spawn(move || rebuilder.run(&rx))
        .map_err(|source| Error::Start {
            what: "the rebuild thread",
            source,
        })?;
    Ok(())
}

impl<W: Watcher, C: FileIdCache> Rebuilder<W, C> {
    /// Rebuilds once per burst of events, until the watcher stops.
    fn run(&mut self, rx: &mpsc::Receiver<DebounceEventResult>) {
        while let Ok(first) = rx.recv() {
            let mut batches = vec![first];
            batches.extend(rx.try_iter());
            self.watch_dirs();
            let paths = changed_paths(&batches, &self.root, &self.out);
            if paths.is_empty() {
                continue;
            }
            let since = batches
                .iter()
                .filter_map(|b| b.as_ref().ok())
                .flatten()
                .map(|e| e.time)
                .min();
            let shown: Vec<String> = paths
                .iter()
                .take(3)
                .map(|p| p.display().to_string())
                .collect();
            println!("[{}] changed: {}", clock(), shown.join(", "));
            let css = paths
                .iter()
                .all(|p| p.starts_with("static") && p.extension().is_some_and(|e| e == "css"));
            let change = if css { Change::CssOnly } else { Change::Full };
            let _ = rebuild(&self.state, &self.options, change, since, &mut self.warm);
        }
    }

    /// Watches content/, templates/ and static/ as they appear (and forgets them as they go).
    fn watch_dirs(&mut self) {
        for name in WATCHED_DIRS {
            let dir = self.root.join(name);
            if !dir.is_dir() {
                self.watched.remove(&dir);
            } else if !self.watched.contains(&dir)
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(dir);
            }
        }
    }
}

/// The briefing-relative paths of the events that concern the sources.
fn changed_paths(batches: &[DebounceEventResult], root: &Path, out: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = batches
        .iter()
        .filter_map(|b| b.as_ref().ok())
        .flatten()
        .filter(|e| !e.kind.is_access())
        .flat_map(|e| e.paths.iter())
        .filter(|p| !p.starts_with(out))
        .filter_map(|p| p.strip_prefix(root).ok())
        .filter(|rel| is_source(rel))
        .map(Path::to_path_buf)
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Whether a briefing-relative path is one the build reads: not hidden, not an editor's file.
fn is_source(rel: &Path) -> bool {
    let Some(first) = rel.components().next() else {
        return false;
    };
    let top = first.as_os_str().to_str().unwrap_or("");
    let in_scope = rel == Path::new(CONFIG_FILE) || WATCHED_DIRS.contains(&top);
    let hidden = rel
        .components()
        .any(|c| c.as_os_str().to_str().is_none_or(|s| s.starts_with('.')));
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    in_scope && !hidden && !crate::load::is_editor_file(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_told_from_output_and_editor_files() {
        assert!(is_source(Path::new("content/a.yaml")));
        assert!(is_source(Path::new("dossier.yaml")));
        assert!(is_source(Path::new("static/style.css")));
        assert!(!is_source(Path::new("public/index.html")));
        assert!(!is_source(Path::new("content/.a.yaml.swp")));
        assert!(!is_source(Path::new("content/a.md~")));
        assert!(!is_source(Path::new(".public.building-x/index.html")));
        assert!(!is_source(Path::new("target/debug/x")));
    }
}
