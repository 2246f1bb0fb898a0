//! Operational failures: things that stop a run that are not problems in the content
//! (I/O, a port in use, Chromium missing). Every variant says what went wrong and what to do
//! about it; every I/O variant carries the path it concerns. `main` prints them as
//! `error: MESSAGE` and exits with status 2.

use std::net::SocketAddr;
use std::path::PathBuf;

use notify_debouncer_full::notify;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a briefing folder: {why}")]
    NotABriefing { path: PathBuf, why: String },
    #[error("refusing to write to {path}: {why}")]
    UnsafeOutput { path: PathBuf, why: String },
    /// The output was swapped for a folder Dossier did not write, and putting it back failed.
    #[error(
        "{path} was replaced during the build and could not be put back ({source}); \
         what was there is now in {kept}: move it back by hand, then build again"
    )]
    OutputReplaced {
        path: PathBuf,
        kept: PathBuf,
        source: Box<Error>,
    },
    #[error(
        "cannot tell which folder is the current one: {source}; \
         it may have been deleted: `cd` into an existing folder and run again"
    )]
    NoCurrentFolder { source: std::io::Error },
    #[error(
        "cannot make a temporary folder in {dir}: {source}; \
         check that it exists, is writable and has free space, or set TMPDIR to one that does"
    )]
    TempFolder {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot start {what}: {source}; \
         the system may be out of threads or memory: close other programs and try again"
    )]
    Start {
        what: &'static str,
        source: std::io::Error,
    },
    #[error(
        "cannot listen on {addr}: the port is in use (perhaps by another `dossier serve`); \
         stop that program, or pass another --port (--port 0 picks a free one)"
    )]
    PortInUse {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(
        "cannot listen on {addr}: {ip} is not an address of this machine; pass another --bind \
         (127.0.0.1, the default, serves this machine only; 0.0.0.0 serves every network)",
        ip = addr.ip()
    )]
    NotLocalAddress {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(
        "cannot listen on {addr}: {source}; ports below 1024 need privileges: \
         pass a --port above 1024 (--port 0 picks a free one)"
    )]
    PortDenied {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}; pass another --port or --bind")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {source}; start `dossier serve` again")]
    ServerStopped { source: std::io::Error },
    #[error(
        "cannot watch {path} for changes: {source}; on Linux, raise the inotify limit \
         (`sysctl fs.inotify.max_user_watches=524288`) or close other programs that watch files"
    )]
    Watch {
        path: PathBuf,
        source: notify::Error,
    },
    #[error(
        "Chromium not found: `dossier pdf` prints with headless Chromium or Chrome. Install it \
         (Debian/Ubuntu: `apt-get install chromium`), or pass --chrome PATH, or set DOSSIER_CHROME"
    )]
    ChromeNotFound,
    #[error(
        "{given}{path}: no such executable; give the path of a Chromium or Chrome program \
         (e.g. /usr/bin/chromium), or leave it out to search PATH"
    )]
    ChromeNotExecutable {
        /// `--chrome ` or `DOSSIER_CHROME=`: where the user gave it.
        given: &'static str,
        path: PathBuf,
    },
    #[error("cannot run {chrome}: {source}; check that it is a working Chromium or Chrome")]
    ChromeRun {
        chrome: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{chrome} did not print the PDF ({status}); its last messages follow, \
         and a newer Chromium may help:\n{log}"
    )]
    ChromeFailed {
        chrome: PathBuf,
        status: std::process::ExitStatus,
        log: String,
    },
    #[error(
        "{chrome} did not finish printing within {secs} s and was stopped; \
         try again, or with another --chrome"
    )]
    ChromeTimeout { chrome: PathBuf, secs: u64 },
    #[error(
        "the build wrote no {page} to print; every build renders it, so this is a bug in \
         Dossier: please report it, with the briefing if you can"
    )]
    NoPrintPage { page: &'static str },
    /// Kept for the render stage's serialisation failures (`facts.json`, the search index).
    #[error("{0}")]
    Other(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Wraps an I/O error with the path it concerns.
pub fn read_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| Error::Read { path, source }
}

/// Wraps an I/O error with the path it concerns.
pub fn write_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| Error::Write { path, source }
}
