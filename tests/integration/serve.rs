//! `dossier serve` over HTTP, without a browser: content types, the 404 page, path
//! traversal, the injected live-reload script, broken edits (and what the terminal says about
//! them, as snapshots), sub-path base URLs, the methods answered, and whole responses while
//! rebuilds run under load. A port in use is in `catalogue`.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::server::{Response, Server, request};

const REBUILD: Duration = Duration::from_secs(30);
const CLAIMS: &str = "content/claims/claims.yaml";
const GOOD: &str = "    source: gamma\n    quote: begins in 2026";
const BROKEN: &str = "    source: gama\n    quote: begins in 2026";

#[test]
fn serves_pages_styles_and_the_404_page() {
    let server = Server::start("basic", &[]);
    assert_eq!(server.base, "/");
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.text().contains("Widgets in Ruritania"),
        "{}",
        home.text()
    );

    let page = server.get("/people/jan-novak.html");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Jan Novák"));

    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(
        !css.text().contains("livereload"),
        "CSS is served as written"
    );

    let json = server.get("/facts.json");
    assert_eq!(json.header("content-type"), Some("application/json"));

    let missing = server.get("/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let not_found = server.read("public/404.html");
    let title = not_found
        .split("<h1>")
        .nth(1)
        .and_then(|s| s.split("</h1>").next())
        .expect("404.html has an h1");
    assert!(
        missing.text().contains(title),
        "the site's 404 page is served"
    );

    let folder = server.get("/people");
    assert_eq!(folder.status, 307);
    assert_eq!(folder.header("location"), Some("/people/"));
    assert_eq!(
        server.get("/people/").status,
        200,
        "a folder serves its index.html"
    );
}

#[test]
fn never_serves_files_outside_the_output() {
    let server = Server::start("basic", &[]);
    let secret = "TOP-SECRET-OUTSIDE-THE-SITE";
    std::fs::write(server.path("secret.txt"), secret).expect("write the secret");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(server.path("secret.txt"), server.path("public/leak.txt"))
            .expect("plant a symlink to a file outside");
        std::os::unix::fs::symlink(
            server.root.parent().expect("parent"),
            server.path("public/up"),
        )
        .expect("plant a symlink to a folder outside");
    }
    let attempts = [
        "/../secret.txt",
        "/../Cargo.toml",
        "/%2e%2e/secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%252e%252e/secret.txt",
        "/..%5csecret.txt",
        "/..%5c..%5cx",
        "/%2F..%2Fsecret.txt",
        "//etc/passwd",
        "/leak.txt",
        "/up/basic/secret.txt",
        "/up/",
        "/.%2e/secret.txt",
        "/people/../../secret.txt",
    ];
    for path in attempts {
        let r = server.get(path);
        assert!(
            r.status == 403 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        let body = r.text();
        assert!(!body.contains(secret), "{path} leaked the secret");
        assert!(!body.contains("root:x:0"), "{path} leaked /etc/passwd");
        assert!(!body.contains("[package]"), "{path} leaked Cargo.toml");
    }
}

#[test]
fn live_reload_script_is_injected_not_written() {
    let server = Server::start("basic", &[]);
    let served = server.get("/").text();
    assert!(served.contains("/__dossier/livereload"), "script injected");
    let at = served.find("data-dossier-livereload").expect("script tag");
    assert!(
        at < served.rfind("</body>").expect("body end"),
        "before </body>"
    );
    for file in [
        "public/index.html",
        "public/404.html",
        "public/people/jan-novak.html",
    ] {
        assert!(
            !server.read(file).contains("__dossier"),
            "{file} on disk is clean"
        );
    }
    let missing = server.get("/nope").text();
    assert!(
        missing.contains("/__dossier/livereload"),
        "404 page injected too"
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_build_and_reports_the_error() {
    let server = Server::start("basic", &[]);
    let before = server.status();
    let build = before["build"].as_u64().expect("build number");
    assert_eq!(before["errors"].as_array().map(Vec::len), Some(0));
    let good_page = server.get("/").text();

    let text = server.read(CLAIMS);
    let line = text[..text.find(GOOD).expect("claim in fixture")]
        .lines()
        .count()
        + 1;
    server.replace(CLAIMS, GOOD, BROKEN);
    let broken = server.wait_status(REBUILD, "the error", |s| {
        s["errors"].as_array().is_some_and(|e| !e.is_empty())
    });
    let headline = broken["errors"][0]["headline"].as_str().expect("headline");
    assert!(
        headline.starts_with(&format!("{CLAIMS}:{line}:")),
        "located at {CLAIMS}:{line}: {headline}"
    );
    assert!(headline.contains("gama"), "{headline}");
    assert_eq!(broken["build"].as_u64(), Some(build), "no new build");

    let served = server.get("/");
    assert_eq!(served.status, 200, "still serving");
    let served = served.text();
    let page_of = |html: &str| {
        html.split("<script data-dossier-livereload")
            .next()
            .map(str::to_string)
    };
    assert_eq!(
        page_of(&served),
        page_of(&good_page),
        "the last good page, unchanged"
    );
    assert!(
        served.contains(&format!("{CLAIMS}:{line}:")),
        "error injected into the page"
    );
    assert!(
        server.log().contains(&format!("{CLAIMS}:{line}:")),
        "error in the terminal"
    );

    server.replace(CLAIMS, BROKEN, GOOD);
    let fixed = server.wait_status(REBUILD, "the fix", |s| {
        s["errors"].as_array().is_some_and(Vec::is_empty)
    });
    assert!(
        fixed["build"].as_u64() > Some(build),
        "a new build after the fix"
    );
    assert!(
        !server
            .get("/")
            .text()
            .contains(&format!("{CLAIMS}:{line}:"))
    );
}

/// The terminal's account of broken edits: each located error, then one line saying the last
/// good build is still served, with the count of errors in words that agree with it.
#[test]
fn broken_edits_are_reported_in_the_terminal() {
    let server = Server::start("basic", &[]);
    server.replace(CLAIMS, GOOD, BROKEN);
    server.wait_stderr(REBUILD, "fix the error above");
    server.replace("content/index.md", "[[jan-novak]]", "[[jan-novac]]");
    let stderr = server.wait_stderr(REBUILD, "fix the 2 errors above");
    insta::assert_snapshot!(stderr);
}

/// A rebuild that the write stage refuses (the output was replaced by a folder Dossier did not
/// write): the terminal says why, the folder is left alone, and the server keeps running.
#[test]
fn a_refused_output_is_reported_in_the_terminal() {
    let server = Server::start("basic", &[]);
    std::fs::remove_dir_all(server.path("public")).expect("remove public/");
    std::fs::create_dir(server.path("public")).expect("mkdir public/");
    std::fs::write(server.path("public/mine.txt"), "mine").expect("write");
    server.replace(
        "content/index.md",
        "will make widgets",
        "will surely make widgets",
    );
    let stderr = server.wait_stderr(REBUILD, "fix the error above");
    let root = std::fs::canonicalize(&server.root).expect("canonical root");
    insta::assert_snapshot!(stderr.replace(&root.display().to_string(), "[BRIEFING]"));
    assert_eq!(server.read("public/mine.txt"), "mine");
    assert_eq!(server.get("/mine.txt").status, 200, "still serving");
}

/// `--open` where no browser can be started: a warning that gives the URL, and the site is
/// served all the same.
#[test]
fn open_without_a_browser_warns_and_serves() {
    let server = Server::start_with_env("basic", &["--open"], &[("PATH", "")]);
    let stderr = server.wait_stderr(REBUILD, "cannot open a browser");
    insta::assert_snapshot!(stderr);
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn edits_are_rebuilt_and_reported() {
    let server = Server::start("basic", &[]);
    let build = server.status()["build"].as_u64().expect("build");
    server.replace(
        "content/index.md",
        "will make widgets",
        "will surely make widgets",
    );
    server.wait_status(REBUILD, "a rebuild", |s| s["build"].as_u64() > Some(build));
    assert!(server.get("/").text().contains("will surely make widgets"));
    assert!(
        server
            .read("public/index.html")
            .contains("will surely make widgets")
    );
    assert!(server.log().contains("rebuilt in"), "{}", server.log());
    // The rebuild wrote only what changed; the overview, not every page.
    assert!(
        server.log().contains(" changed); reload sent"),
        "{}",
        server.log()
    );

    // A `dossier build` into the served folder replaces the build the memo describes: the
    // next rebuild is a full one, and still shows the edit.
    let build = server.status()["build"].as_u64().expect("build");
    let run = crate::support::run_in(&server.root, &["build"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    server.replace(
        "content/index.md",
        "will surely make",
        "will certainly make",
    );
    server.wait_status(REBUILD, "a rebuild", |s| s["build"].as_u64() > Some(build));
    assert!(
        server.log().contains("(full build); reload sent"),
        "{}",
        server.log()
    );
    assert!(
        server
            .get("/")
            .text()
            .contains("will certainly make widgets")
    );
}

#[test]
fn a_sub_path_base_url_is_served_at_that_path() {
    let server = Server::start("basic", &["--base-url", "https://user.github.io/repo/"]);
    assert_eq!(server.base, "/repo/");
    for from in ["/", "/repo"] {
        let r = server.get(from);
        assert_eq!(r.status, 307, "{from}");
        assert_eq!(r.header("location"), Some("/repo/"), "{from}");
    }
    let home = server.get("/repo/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("Widgets in Ruritania"));
    assert_eq!(server.get("/repo/style.css").status, 200);
    assert_eq!(server.get("/repo/people/jan-novak.html").status, 200);
    assert_eq!(
        server.get("/index.html").status,
        404,
        "nothing outside /repo/"
    );
    assert_eq!(server.get("/repo/nope.html").status, 404);
}

#[test]
fn files_answer_get_and_head_and_refuse_other_methods() {
    let server = Server::start("basic", &[]);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        for path in ["/", "/people/jan-novak.html", "/style.css", "/no/such.html"] {
            let r = server.request(method, path);
            assert_eq!(r.status, 405, "{method} {path}");
            assert_eq!(r.header("allow"), Some("GET, HEAD"), "{method} {path}");
        }
        // The server's own endpoints refuse them too (axum's method router).
        assert_eq!(server.request(method, "/__dossier/status").status, 405);
    }
    for path in ["/", "/people/jan-novak.html", "/style.css"] {
        let get = server.get(path);
        let head = server.request("HEAD", path);
        assert_eq!(head.status, 200, "HEAD {path}");
        assert!(head.body.is_empty(), "HEAD {path} has no body");
        let length = get.body.len().to_string();
        assert_eq!(
            head.header("content-length"),
            Some(length.as_str()),
            "{path}"
        );
        assert_eq!(head.header("content-type"), get.header("content-type"));
    }
    assert_eq!(server.request("HEAD", "/no/such.html").status, 404);

    // The live-reload socket is a GET upgrade and still switches protocols.
    let mut socket = std::net::TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let upgrade = format!(
        "GET /__dossier/livereload HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: Upgrade\r\n\
         Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        server.port
    );
    socket.write_all(upgrade.as_bytes()).expect("send upgrade");
    let mut head = [0u8; 12];
    socket.read_exact(&mut head).expect("read status line");
    assert_eq!(&head, b"HTTP/1.1 101", "{}", String::from_utf8_lossy(&head));
}

/// Pages and files the load test asks for: all exist in every build of the fixture.
const LOAD_PATHS: [&str; 8] = [
    "/",
    "/people/jan-novak.html",
    "/countries/ruritania.html",
    "/claims/index.html",
    "/discrepancies/index.html",
    "/timeline/index.html",
    "/style.css",
    "/facts.json",
];
const CLIENTS: usize = 8;
/// Bounds on each client: whichever comes first, or the end of the edits.
const REQUESTS_PER_CLIENT: usize = 1500;
const LOAD_TIME: Duration = Duration::from_secs(8);
const EDITS: usize = 30;
const EDIT_GAP: Duration = Duration::from_millis(60);

/// Why a response is not a whole, successful one, if it is not.
fn incomplete(r: &Response) -> Option<String> {
    if r.status != 200 {
        return Some(format!("status {}", r.status));
    }
    if let Some(length) = r.header("content-length")
        && length.parse::<usize>().ok() != Some(r.body.len())
    {
        return Some(format!("Content-Length {length}, {} bytes", r.body.len()));
    }
    let html = r
        .header("content-type")
        .is_some_and(|t| t.starts_with("text/html"));
    if html && !r.text().trim_end().ends_with("</html>") {
        let text = r.text();
        let tail: String = text
            .chars()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return Some(format!("HTML ends with `{tail}`"));
    }
    None
}

/// Polls `done` every 50 ms for at most `REBUILD`.
fn wait_for(server: &Server, what: &str, done: impl Fn() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < REBUILD,
            "timed out waiting for {what}\nserver log:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn pages_stay_whole_while_edits_rebuild_the_site_under_load() {
    let server = Server::start("basic", &[]);
    let first_build = server.status()["build"].as_u64().expect("build");
    let index = "content/index.md";
    let original = server.read(index);
    let marker = |n: usize| format!("will make widgets (edit {n})");
    let stop = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + LOAD_TIME;
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (stop, port) = (stop.clone(), server.port);
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                let mut answered = 0usize;
                for i in 0..REQUESTS_PER_CLIENT {
                    if stop.load(Ordering::Relaxed) || Instant::now() > deadline {
                        break;
                    }
                    let path = LOAD_PATHS[(client + i) % LOAD_PATHS.len()];
                    match request(port, "GET", path) {
                        Ok(r) => {
                            answered += 1;
                            failures.extend(incomplete(&r).map(|why| format!("{path}: {why}")));
                        }
                        Err(e) => failures.push(format!("{path}: {e}")),
                    }
                }
                (answered, failures)
            })
        })
        .collect();

    let mut last_good = None;
    for n in 1..=EDITS {
        let text = original.replacen("will make widgets", &marker(n), 1);
        std::fs::write(server.path(index), text).expect("edit index.md");
        std::thread::sleep(EDIT_GAP);
        if n % 12 == 0 {
            // A broken edit once this edit is served: the site must stay at this edit.
            wait_for(&server, "the edit before a broken one", || {
                server.get("/").text().contains(&marker(n))
            });
            server.replace(CLAIMS, GOOD, BROKEN);
            server.wait_status(REBUILD, "the error", |s| {
                s["errors"].as_array().is_some_and(|e| !e.is_empty())
            });
            let served = server.get("/");
            assert_eq!(served.status, 200, "still serving");
            assert!(served.text().contains(&marker(n)), "the last good site");
            server.replace(CLAIMS, BROKEN, GOOD);
            last_good = Some(n);
        }
    }
    wait_for(&server, "the last edit", || {
        server.get("/").text().contains(&marker(EDITS))
    });
    stop.store(true, Ordering::Relaxed);

    let mut answered = 0;
    let mut failures = Vec::new();
    for client in clients {
        let (n, f) = client.join().expect("client thread");
        answered += n;
        failures.extend(f);
    }
    assert!(last_good.is_some(), "a broken edit was made");
    let builds = server.status()["build"].as_u64().expect("build") - first_build;
    eprintln!("{answered} responses during {builds} rebuilds");
    assert!(builds >= 3, "only {builds} rebuilds");
    assert!(answered >= CLIENTS * 10, "only {answered} responses");
    assert!(
        failures.is_empty(),
        "{} of {answered} responses failed under {builds} rebuilds:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
