//! `dossier serve`: builds the briefing, serves the output folder over HTTP, rebuilds on
//! change and reloads open pages through a WebSocket.
//!
//! The site is written to disk as by `dossier build` (default `PATH/public`). Each request
//! opens its file under a read lock that the rebuild holds, for writing, only while the new
//! output folder is swapped in, so a response is always the old build or the new one, whole.
//! The live-reload script is injected into HTML responses, never written to the site. A build
//! with errors leaves the last good build in place; its errors go to the terminal and, over
//! the socket, to an overlay in the browser. The server's own endpoints live under the
//! reserved path `/__dossier/` (`livereload`, a WebSocket; `status`, the last build as JSON).

mod http;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::broadcast;

use crate::Options;
use crate::error::{Error, Result};

/// What `dossier serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The briefing folder.
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Overrides `base_url` from dossier.yaml.
    pub base_url: Option<String>,
}

/// One located problem, as the terminal and the overlay show it.
#[derive(Debug, Clone, Serialize)]
struct Problem {
    headline: String,
    help: Option<String>,
    /// The headline, the source snippet and the help, without colour.
    text: String,
}

/// The state of the last build.
#[derive(Debug, Clone, Serialize)]
struct Status {
    /// Counts good builds; a page reloads when it differs from the one it was served with.
    build: u64,
    base_path: String,
    title: String,
    /// Non-empty while the sources do not build: the last good build is still served.
    errors: Vec<Problem>,
}

/// What every request handler and the rebuild thread share.
struct State {
    out: PathBuf,
    /// Held for writing while the output folder is swapped, for reading while a file is read.
    swap: RwLock<()>,
    status: RwLock<Status>,
    events: broadcast::Sender<String>,
    /// Bound to a loopback address: then only loopback host names are answered, so a web page
    /// elsewhere cannot reach the server through DNS rebinding.
    loopback: bool,
}

impl State {
    fn status(&self) -> Status {
        match self.status.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn update(&self, f: impl FnOnce(&mut Status)) -> Status {
        let mut guard = self.status.write().unwrap_or_else(|p| p.into_inner());
        f(&mut guard);
        guard.clone()
    }
}

/// Runs the server until Ctrl-C (or SIGTERM).
pub fn run(options: &ServeOptions) -> Result<()> {
    let build_options = Options {
        root: options.root.clone(),
        base_url: options.base_url.clone(),
        ..Options::default()
    };
    let out = std::path::absolute(crate::output_dir(&options.root, None)?)
        .map_err(|source| Error::NoCurrentFolder { source })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Start {
            what: "the server's threads",
            source,
        })?;
    let result = runtime.block_on(serve(options, build_options, out));
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

async fn serve(options: &ServeOptions, build_options: Options, out: PathBuf) -> Result<()> {
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| listen_error(addr, source))?;
    let local = listener
        .local_addr()
        .map_err(|source| Error::Listen { addr, source })?;
    let (events, _) = broadcast::channel(16);
    let state = Arc::new(State {
        out,
        swap: RwLock::new(()),
        status: RwLock::new(Status {
            build: 0,
            base_path: "/".into(),
            title: String::new(),
            errors: Vec::new(),
        }),
        events,
        loopback: options.bind.is_loopback(),
    });
    let mut warm = watch::Warm::default();
    let first = watch::rebuild(&state, &build_options, watch::Change::Full, None, &mut warm)?;
    // Watching before saying so: an edit made as soon as `Serving` shows is rebuilt.
    watch::watch(state.clone(), build_options, warm)?;
    let url = format!("http://{}{}", display_host(local), first.base_path);
    println!("Serving {} at {url} (Ctrl-C to stop)", first.title);
    if options.open {
        open_browser(&url);
    }
    let app = http::router(state);
    tokio::select! {
        served = axum::serve(listener, app).into_future() => {
            served.map_err(|source| Error::ServerStopped { source })
        }
        () = stop_signal() => {
            println!("Stopped.");
            Ok(())
        }
    }
}

/// Why the server cannot listen on `addr`: a port in use is the common case, and says so.
fn listen_error(addr: SocketAddr, source: std::io::Error) -> Error {
    match source.kind() {
        std::io::ErrorKind::AddrInUse => Error::PortInUse { addr, source },
        std::io::ErrorKind::AddrNotAvailable => Error::NotLocalAddress { addr, source },
        std::io::ErrorKind::PermissionDenied => Error::PortDenied { addr, source },
        _ => Error::Listen { addr, source },
    }
}

/// Resolves on Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn display_host(addr: SocketAddr) -> String {
    match addr.ip() {
        ip if ip.is_unspecified() => format!("localhost:{}", addr.port()),
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
    }
}

fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    if let Err(e) = std::process::Command::new(program)
        .args(args)
        .arg(url)
        .spawn()
    {
        eprintln!("warning: cannot open a browser ({program}: {e}); open {url} yourself");
    }
}
