//! The HTTP side of `dossier serve`: the site's files from the output folder (never from
//! outside it), the 404 page, the live-reload WebSocket and the build status, with the
//! live-reload client injected into every HTML response. Files answer GET and HEAD only;
//! any other method gets `405 Method Not Allowed` with `Allow: GET, HEAD`.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::extract::State as AxumState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tokio::sync::broadcast;

use super::{State, Status};
use crate::render::views::script_safe_json;

/// The live-reload client: reloads on a new build, swaps stylesheets on a CSS-only change,
/// shows build errors in an overlay. `__DOSSIER_STATE__` is replaced when injected.
const CLIENT: &str = include_str!("livereload.js");

/// The server's routes: its own endpoints under `/__dossier/`, the site for the rest.
pub(super) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/__dossier/livereload", get(livereload))
        .route("/__dossier/status", get(status))
        .fallback(site_file)
        .layer(middleware::from_fn_with_state(state.clone(), same_origin))
        .with_state(state)
}

/// Refuses requests for another host name while bound to loopback (DNS rebinding), and
/// requests to the server's own endpoints from pages of another origin (they carry the
/// briefing's errors, snippets of its sources included).
async fn same_origin(
    AxumState(state): AxumState<Arc<State>>,
    request: Request,
    next: Next,
) -> Response {
    if allowed(request.headers(), request.uri().path(), state.loopback) {
        next.run(request).await
    } else {
        (StatusCode::FORBIDDEN, "forbidden: cross-origin request\n").into_response()
    }
}

fn allowed(headers: &HeaderMap, path: &str, loopback: bool) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = host_name(host);
    if loopback && !matches!(name, "localhost" | "127.0.0.1" | "[::1]" | "") {
        return false;
    }
    if !path.starts_with("/__dossier/") {
        return true;
    }
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        None => true,
        Some(origin) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host),
    }
}

/// `example.org` of `example.org:1111`, `[::1]` of `[::1]:1111`.
fn host_name(host: &str) -> &str {
    match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => &host[..i],
        _ => host,
    }
}

async fn status(AxumState(state): AxumState<Arc<State>>) -> Response {
    let body = serde_json::to_string(&state.status()).unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn livereload(ws: WebSocketUpgrade, AxumState(state): AxumState<Arc<State>>) -> Response {
    ws.on_upgrade(move |socket| reload_socket(socket, state))
}

/// Greets a page with the current build and errors, then forwards every rebuild event.
async fn reload_socket(mut socket: WebSocket, state: Arc<State>) {
    let mut events = state.events.subscribe();
    let s = state.status();
    let hello = serde_json::json!({"type": "hello", "build": s.build, "errors": s.errors});
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(text) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => {}
                _ => return,
            },
        }
    }
}

/// What a request for a site path comes to.
enum Reply {
    File { bytes: Vec<u8>, path: PathBuf },
    Redirect(String),
    NotFound,
    Forbidden,
}

/// The methods the site's files answer: a static site has nothing to post, put or delete.
const ALLOW: &str = "GET, HEAD";

async fn site_file(AxumState(state): AxumState<Arc<State>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let allow = [(header::ALLOW, HeaderValue::from_static(ALLOW))];
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            allow,
            "405 Method Not Allowed\n",
        )
            .into_response();
    }
    // HEAD runs as GET: hyper sends the same headers, Content-Length included, and no body.
    let raw = uri.path().to_string();
    let task_state = state.clone();
    let reply = tokio::task::spawn_blocking(move || resolve(&task_state, &raw))
        .await
        .unwrap_or(Reply::NotFound);
    match reply {
        Reply::File { bytes, path } => file_response(&state, StatusCode::OK, bytes, &path),
        Reply::Redirect(to) => Redirect::temporary(&to).into_response(),
        Reply::Forbidden => (StatusCode::FORBIDDEN, "403 Forbidden\n").into_response(),
        Reply::NotFound => not_found(state).await,
    }
}

async fn not_found(state: Arc<State>) -> Response {
    let task_state = state.clone();
    let page = tokio::task::spawn_blocking(move || {
        read_locked(&task_state, &task_state.out.join("404.html"))
    })
    .await
    .ok()
    .flatten();
    let bytes = page.unwrap_or_else(|| {
        b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>".to_vec()
    });
    file_response(&state, StatusCode::NOT_FOUND, bytes, Path::new("404.html"))
}

fn file_response(state: &State, code: StatusCode, bytes: Vec<u8>, path: &Path) -> Response {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        inject(
            &String::from_utf8_lossy(&bytes),
            &client_script(&state.status()),
        )
        .into_bytes()
    } else {
        bytes
    };
    let mut response = (code, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Maps a raw (still percent-encoded) request path to a file of the current build.
fn resolve(state: &State, raw: &str) -> Reply {
    let base = state.status().base_path;
    if base != "/" && (raw == "/" || raw == base.trim_end_matches('/')) {
        return Reply::Redirect(base);
    }
    let Some(rest) = raw.strip_prefix(base.as_str()) else {
        return Reply::NotFound;
    };
    let Some(rel) = safe_relative(rest) else {
        return Reply::Forbidden;
    };
    let _guard = state.swap.read().unwrap_or_else(|p| p.into_inner());
    let mut path = state.out.join(&rel);
    if path.is_dir() {
        if !raw.ends_with('/') {
            return Reply::Redirect(format!("{raw}/"));
        }
        path.push("index.html");
    }
    if !inside(&state.out, &path) {
        return if path.exists() {
            Reply::Forbidden
        } else {
            Reply::NotFound
        };
    }
    match std::fs::read(&path) {
        Ok(bytes) => Reply::File { bytes, path },
        Err(_) => Reply::NotFound,
    }
}

/// Decodes a request path once and keeps it only if every segment is a plain name: no `..`,
/// `.`, empty segment, backslash, NUL or drive prefix.
fn safe_relative(rest: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0', ':']) {
        return None;
    }
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    let mut rel = PathBuf::new();
    if trimmed.is_empty() {
        return Some(rel);
    }
    for segment in trimmed.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return None;
        }
        rel.push(segment);
    }
    rel.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(rel)
}

/// Whether `path`, with symbolic links resolved, is inside `root`.
fn inside(root: &Path, path: &Path) -> bool {
    match (std::fs::canonicalize(root), std::fs::canonicalize(path)) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => false,
    }
}

/// Reads a file of the build under the swap lock.
fn read_locked(state: &State, path: &Path) -> Option<Vec<u8>> {
    let _guard = state.swap.read().unwrap_or_else(|p| p.into_inner());
    if !inside(&state.out, path) {
        return None;
    }
    std::fs::read(path).ok()
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "yaml" | "yml" => "text/yaml; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Puts `script` before the last `</body>`, or at the end.
fn inject(html: &str, script: &str) -> String {
    let at = html
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + script.len());
    out.push_str(&html[..at]);
    out.push_str(script);
    out.push_str(&html[at..]);
    out
}

/// The live-reload client, with the build it was served with and the current errors.
fn client_script(status: &Status) -> String {
    let state = serde_json::json!({"build": status.build, "errors": status.errors});
    format!(
        "<script data-dossier-livereload>{}</script>",
        CLIENT.replace("__DOSSIER_STATE__", &script_safe_json(&state))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_origin_requests_are_refused() {
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, HeaderValue::from_str(v).expect("header value"));
            }
            map
        };
        let local = headers(&[("host", "127.0.0.1:1111")]);
        assert!(allowed(&local, "/index.html", true));
        let rebinding = headers(&[("host", "evil.example:1111")]);
        assert!(!allowed(&rebinding, "/index.html", true));
        assert!(allowed(&rebinding, "/index.html", false));
        let same = headers(&[
            ("host", "localhost:1111"),
            ("origin", "http://localhost:1111"),
        ]);
        assert!(allowed(&same, "/__dossier/status", true));
        let other = headers(&[
            ("host", "localhost:1111"),
            ("origin", "http://evil.example"),
        ]);
        assert!(!allowed(&other, "/__dossier/livereload", true));
        assert!(allowed(&other, "/index.html", true));
        assert_eq!(host_name("[::1]:80"), "[::1]");
        assert_eq!(host_name("[::1]"), "[::1]");
    }

    #[test]
    fn only_plain_segments_are_kept() {
        assert_eq!(safe_relative("a/b.html"), Some(PathBuf::from("a/b.html")));
        assert_eq!(safe_relative(""), Some(PathBuf::new()));
        assert_eq!(
            safe_relative("countries/"),
            Some(PathBuf::from("countries"))
        );
        for bad in [
            "../x",
            "%2e%2e/x",
            "a/../../x",
            "..%5cx",
            "/etc/passwd",
            "a//b",
            "./x",
            "c:/x",
            "%00",
        ] {
            assert_eq!(safe_relative(bad), None, "{bad}");
        }
        // Decoded once only: `%252e` names a file called `%2e`, which does not climb.
        assert_eq!(
            safe_relative("%252e%252e/x"),
            Some(PathBuf::from("%2e%2e/x"))
        );
    }

    #[test]
    fn script_goes_before_the_last_body_close() {
        assert_eq!(
            inject("<p></p></BODY></html>", "<s>"),
            "<p></p><s></BODY></html>"
        );
        assert_eq!(inject("<p>", "<s>"), "<p><s>");
    }
}
