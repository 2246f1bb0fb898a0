//! Browser tests: the real `dossier serve --port 0` driven by headless Chromium through
//! chromedriver (fantoccini), and `dossier pdf` checked with poppler's pdftotext/pdftoppm.
//!
//! Without Chromium, chromedriver or poppler each test prints a loud `SKIPPED:` line and
//! passes, unless `DOSSIER_REQUIRE_BROWSER=1` (as in CI), when it fails instead.

use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::server::Server;
use crate::support::fixtures;
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// One Chromium at a time: the machines have two cores.
static BROWSER: Mutex<()> = Mutex::new(());
const WAIT: Duration = Duration::from_secs(30);
const CLAIMS: &str = "content/claims/claims.yaml";

// ---------------------------------------------------------------------------------------
// Tools

/// Finds `name` on PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// The programs a test needs, or `None` after saying loudly why it is skipped (or panics
/// when `DOSSIER_REQUIRE_BROWSER=1`).
fn require(test: &str, programs: &[&str]) -> Option<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in programs {
        let path = match *name {
            "chromium" => dossier::pdf::find_chrome(None).ok(),
            "chromedriver" => std::env::var_os("CHROMEDRIVER")
                .map(PathBuf::from)
                .or_else(|| on_path("chromedriver")),
            other => on_path(other),
        };
        match path {
            Some(p) => found.push(p),
            None => missing.push(*name),
        }
    }
    if missing.is_empty() {
        return Some(found);
    }
    let message = format!(
        "SKIPPED: chromium/chromedriver not found ({} missing) for {test}: install them with \
         `apt-get install chromium chromium-driver poppler-utils`",
        missing.join(", ")
    );
    if std::env::var("DOSSIER_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("{message} (DOSSIER_REQUIRE_BROWSER=1 makes this a failure)");
    }
    // Straight to stderr, not `eprintln!`: the test harness would capture that and hide it.
    let _ = writeln!(
        std::io::stderr().lock(),
        "\n!!!!!!!!!!\n{message}\n!!!!!!!!!!\n"
    );
    None
}

/// A chromedriver on a free loopback port, killed on drop.
struct Driver {
    child: Child,
    port: u16,
    chrome: PathBuf,
    profile: tempfile::TempDir,
}

impl Driver {
    fn start(chrome: PathBuf, chromedriver: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver {
            child,
            port,
            chrome,
            profile: tempfile::tempdir().expect("profile folder"),
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < WAIT,
                "chromedriver did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    async fn session(&self, javascript: bool) -> Client {
        let mut options = json!({
            "binary": self.chrome,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,900",
                format!("--user-data-dir={}", self.profile.path().display()),
            ],
        });
        if !javascript {
            options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        // chromedriver speaks plain HTTP on loopback: no TLS stack (and no OpenSSL) needed.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a Chromium session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `body` in a fresh browser session, closing the session even when the body fails.
fn in_browser<F, Fut>(test: &str, body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    in_browser_with(test, true, body);
}

/// [`in_browser`], with the page's JavaScript on or off.
fn in_browser_with<F, Fut>(test: &str, javascript: bool, body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(tools) = require(test, &["chromium", "chromedriver"]) else {
        return;
    };
    let _one_at_a_time = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    let driver = Driver::start(tools[0].clone(), &tools[1]);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let client = driver.session(javascript).await;
        let outcome = tokio::spawn(body(client.clone())).await;
        let _ = client.close().await;
        if let Err(err) = outcome {
            std::panic::resume_unwind(err.into_panic());
        }
    });
}

// ---------------------------------------------------------------------------------------
// Page helpers

async fn js(client: &Client, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
    client.execute(script, args).await.expect("run script")
}

/// Waits for a popover to open (`what` names it in a timeout) and returns its text, lower case.
async fn open_popover_text(client: &Client, what: &str) -> String {
    wait_js(client, what, "return !!document.querySelector('.popover')").await;
    js(client, POPOVER, vec![]).await["text"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase()
}

/// Polls `script` (which returns a boolean) until true; returns how long it took.
async fn wait_js(client: &Client, what: &str, script: &str) -> Duration {
    let started = Instant::now();
    loop {
        if js(client, script, vec![]).await.as_bool() == Some(true) {
            return started.elapsed();
        }
        assert!(started.elapsed() < WAIT, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until the page's live-reload client has its greeting from the server and is
/// current (it marks `<html data-dossier-live>`): from then on every rebuild reaches the page,
/// so an edit made now cannot be missed, nor turn into a reload on a late greeting.
async fn live(client: &Client) -> Duration {
    wait_js(
        client,
        "the live-reload socket's greeting",
        "return document.documentElement.hasAttribute('data-dossier-live')",
    )
    .await
}

/// [`live`], on the page of build `build`: the page has reloaded to it and is connected.
async fn live_at(client: &Client, build: u64) -> Duration {
    wait_js(
        client,
        &format!("the page of build {build}, connected"),
        &format!("return document.documentElement.getAttribute('data-dossier-live') === '{build}'"),
    )
    .await
}

async fn h1(client: &Client) -> String {
    let h1 = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("main h1"))
        .await;
    h1.expect("an h1").text().await.expect("h1 text")
}

async fn path_of(client: &Client) -> (String, Option<String>) {
    let url = client.current_url().await.expect("current URL");
    (url.path().to_string(), url.fragment().map(str::to_string))
}

// ---------------------------------------------------------------------------------------
// Tests

#[test]
fn overview_flags_and_cross_links_work_in_a_browser() {
    let server = Arc::new(Server::start("basic", &[]));
    let home = server.site_url("");
    in_browser("overview_flags_and_cross_links", move |c| async move {
        c.goto(&home).await.expect("open the overview");
        assert_eq!(h1(&c).await, "Widgets in Ruritania");
        assert_eq!(c.title().await.expect("title"), "Test briefing");

        let flag = c
            .find(Locator::Css("main sup.fm-flag"))
            .await
            .expect("an inline marker");
        assert!(
            flag.is_displayed().await.expect("displayed"),
            "the marker is visible"
        );
        let link = flag
            .find(Locator::Css("a[href*='discrepancies/index.html#']"))
            .await
            .expect("the marker links to its discrepancy");
        link.click().await.expect("click the flag");
        wait_js(
            &c,
            "the discrepancy page",
            "return location.hash.length > 1",
        )
        .await;
        let (path, fragment) = path_of(&c).await;
        assert_eq!(path, "/discrepancies/index.html");
        let fragment = fragment.expect("a fragment");
        let exists = js(
            &c,
            "return document.getElementById(arguments[0]) !== null",
            vec![json!(fragment)],
        );
        assert_eq!(exists.await, json!(true), "#{fragment} exists");

        c.goto(&home).await.expect("back to the overview");
        let person = c
            .find(Locator::Css("main a[href$='people/jan-novak.html']"))
            .await
            .expect("a cross-link to a person");
        person.click().await.expect("click the cross-link");
        wait_js(
            &c,
            "the person page",
            "return location.pathname.endsWith('/people/jan-novak.html')",
        )
        .await;
        assert_eq!(h1(&c).await, "Jan Novák");
    });
}

#[test]
fn search_finds_entities_and_quotes_in_the_browser() {
    let server = Arc::new(Server::start("basic", &[]));
    let search = server.site_url("search/index.html");
    in_browser("search_finds_entities_and_quotes", move |c| async move {
        c.goto(&search).await.expect("open the search page");
        let input = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#q"))
            .await
            .expect("the search box");
        // Accents are ignored: "novak" finds Jan Novák.
        input.send_keys("novak").await.expect("type");
        wait_js(
            &c,
            "results for novak",
            "return [...document.querySelectorAll('#search-results a')].some(a => a.textContent === 'Jan Novák')",
        )
        .await;
        // Quotes are searched too, and a result leads to its page.
        input.clear().await.expect("clear");
        input.send_keys("new widgets").await.expect("type");
        wait_js(
            &c,
            "the quote's claim",
            "return document.querySelector('#search-results a[href$=\"claims/beta-quote.html\"]') !== null",
        )
        .await;
        let status = c
            .find(Locator::Css("#search-status"))
            .await
            .expect("status")
            .text()
            .await
            .expect("status text");
        assert!(status.contains("result"), "{status}");
        c.find(Locator::Css(
            "#search-results a[href$='claims/beta-quote.html']",
        ))
        .await
        .expect("the result")
        .click()
        .await
        .expect("follow it");
        wait_js(
            &c,
            "the claim page",
            "return location.pathname.endsWith('/claims/beta-quote.html')",
        )
        .await;
    });
}

/// The bundled briefing's search, from `file://` (no server): a summary's word is found with
/// a highlighted snippet, and a speaker's name lists every claim of his.
#[test]
fn search_ranks_the_bundled_briefing_with_snippets_from_file_urls() {
    let (dir, site) = crate::support::bundled_site();
    let page = format!("file://{}", site.root.join("search/index.html").display());
    in_browser("search_ranks_the_bundled_briefing", move |c| async move {
        let _keep = dir;
        c.goto(&format!("{page}?q=Kaliningrad"))
            .await
            .expect("open the search page");
        wait_js(
            &c,
            "a result for Kaliningrad",
            "return document.querySelectorAll('#search-results li').length > 0",
        )
        .await;
        let marked = js(
            &c,
            "return [...document.querySelectorAll('#search-results .search-snippet mark')]\
             .map(m => m.textContent)",
            vec![],
        )
        .await;
        let marked = marked.as_array().expect("marks");
        assert!(
            !marked.is_empty() && marked.iter().all(|m| m == "Kaliningrad"),
            "snippets mark the word: {marked:?}"
        );
        let kinds = js(
            &c,
            "return [...document.querySelectorAll('#search-results .search-kind')].map(k => k.textContent)",
            vec![],
        )
        .await;
        assert!(
            kinds
                .as_array()
                .is_some_and(|k| k.contains(&json!("Country"))),
            "the summary of Lithuania is a result: {kinds}"
        );

        let input = c.find(Locator::Css("#q")).await.expect("the search box");
        input.clear().await.expect("clear");
        input.send_keys("Aleksa").await.expect("type");
        wait_js(
            &c,
            "the claims Aleksa speaks in",
            "return document.querySelectorAll('#search-results a[href*=\"claims/\"]').length >= 14",
        )
        .await;
        let claim = js(
            &c,
            "const li = document.querySelector('#search-results a[href*=\"claims/\"]').closest('li');\
             return [li.querySelector('.search-kind').textContent, \
                     li.querySelector('.search-source').textContent]",
            vec![],
        )
        .await;
        assert_eq!(claim[0], "Claim");
        assert!(
            claim[1]
                .as_str()
                .is_some_and(|s| s.starts_with("Source: Report")),
            "a claim shows its source: {claim}"
        );

        // The browser's elasticlunr makes of every stored text the tokens the index holds:
        // the Rust and JavaScript halves split, fold, trim and stem alike (fold as search.js).
        let missing = js(
            &c,
            "const data = window.DOSSIER_SEARCH_PARTS['search-index-0.js'], idx = elasticlunr.Index.load(data.index);\
             const fold = s => s.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase();\
             const missing = new Set(); let total = 0;\
             for (const [ref, doc] of Object.entries(data.index.documentStore.docs))\
               for (const f of ['title', 'body', 'source'])\
                 for (const t of idx.pipeline.run(elasticlunr.tokenizer(fold(doc[f] || '')))) {\
                   total++; if (!idx.index[f].hasToken(t)) missing.add(t);\
                 }\
             return [total, [...missing]]",
            vec![],
        )
        .await;
        assert!(missing[0].as_u64().is_some_and(|n| n > 10_000), "{missing}");
        assert_eq!(missing[1], json!([]), "tokens the index lacks");

        // Accents are folded in the query as in the index.
        input.clear().await.expect("clear");
        input.send_keys("niewiadow").await.expect("type");
        wait_js(
            &c,
            "ZSP Niewiadów",
            "return [...document.querySelectorAll('#search-results a')].some(a => a.textContent === 'ZSP Niewiadów')",
        )
        .await;
    });
}

/// A briefing whose search index is in many parts (a part of 20 documents instead of 2048)
/// ranks every query as one index does: the same results in the same order, and the same
/// status line.
#[test]
fn an_index_in_parts_ranks_as_one_index() {
    let (one_dir, one) = crate::support::bundled_site();
    let (parts_dir, parts) =
        crate::support::bundled_site_with(&[("DOSSIER_TEST_SEARCH_PART", "20")]);
    assert!(
        parts.exists("search-index-9.js"),
        "the briefing's index in parts"
    );
    let pages = [one.root.clone(), parts.root.clone()]
        .map(|r| format!("file://{}", r.join("search/index.html").display()));
    in_browser(
        "an_index_in_parts_ranks_as_one_index",
        move |c| async move {
            let _keep = (one_dir, parts_dir);
            let mut seen = Vec::new();
            for query in [
                "Kaliningrad",
                "Aleksa",
                "mines production",
                "Lithuania",
                "convention",
            ] {
                let mut results = Vec::new();
                for page in &pages {
                    c.goto(&format!("{page}?q={query}"))
                        .await
                        .expect("open the search page");
                    wait_js(
                        &c,
                        "the results",
                        "return document.querySelectorAll('#search-results li').length > 0",
                    )
                    .await;
                    results.push(
                    js(
                        &c,
                        "return [document.getElementById('search-status').textContent,\
                         [...document.querySelectorAll('#search-results li a')].map(a => a.getAttribute('href'))]",
                        vec![],
                    )
                    .await,
                );
                }
                assert_eq!(results[0], results[1], "`{query}` in one part and in many");
                seen.push(results[0][1].as_array().map_or(0, Vec::len));
            }
            assert!(
                seen.iter().all(|n| *n > 1),
                "every query has results: {seen:?}"
            );
        },
    );
}

#[test]
fn live_reload_updates_the_page_and_shows_build_errors() {
    let server = Arc::new(Server::start("basic", &[]));
    let srv = server.clone();
    in_browser("live_reload_and_error_overlay", move |c| async move {
        c.goto(&srv.site_url("")).await.expect("open the overview");
        h1(&c).await;
        live(&c).await;
        js(&c, "window.__before_reload = true; return true", vec![]).await;

        srv.replace(
            "content/index.md",
            "will make widgets",
            "will make LIVE-RELOADED widgets",
        );
        let took = wait_js(
            &c,
            "the edit to appear",
            "return document.body.innerText.includes('LIVE-RELOADED')",
        )
        .await;
        eprintln!(
            "live reload: the open page showed the edit {} ms after the file was written",
            took.as_millis()
        );
        let reloaded = js(&c, "return window.__before_reload === undefined", vec![]).await;
        assert_eq!(reloaded, json!(true), "the page reloaded by itself");

        let text = srv.read(CLAIMS);
        let good = "    source: gamma\n    quote: begins in 2026";
        let line = text[..text.find(good).expect("claim")].lines().count() + 1;
        let location = format!("{CLAIMS}:{line}:");
        srv.replace(CLAIMS, good, "    source: gama\n    quote: begins in 2026");
        let overlay_has = format!(
            "var o = document.getElementById('__dossier-overlay'); return !!o && o.innerText.includes('{location}')"
        );
        let took = wait_js(&c, "the error overlay", &overlay_has).await;
        eprintln!(
            "live reload: the error overlay appeared {} ms after the broken edit",
            took.as_millis()
        );
        let overlay = c
            .find(Locator::Id("__dossier-overlay"))
            .await
            .expect("overlay");
        assert!(overlay.is_displayed().await.expect("displayed"));
        let shown = overlay.text().await.expect("overlay text");
        assert!(shown.contains("gama") && shown.contains("help"), "{shown}");
        assert!(
            h1(&c).await.contains("Widgets"),
            "the last good page is still there"
        );

        c.refresh().await.expect("reload by hand while broken");
        wait_js(&c, "the overlay after a manual reload", &overlay_has).await;

        srv.replace(CLAIMS, "    source: gama\n", "    source: gamma\n");
        let took = wait_js(&c, "the overlay to clear", "return !document.getElementById('__dossier-overlay') && document.readyState === 'complete'").await;
        eprintln!(
            "live reload: the overlay cleared {} ms after the fix",
            took.as_millis()
        );
        assert!(
            js(
                &c,
                "return document.body.innerText.includes('LIVE-RELOADED')",
                vec![]
            )
            .await
                == json!(true)
        );
    });
    eprintln!("server log:\n{}", server.log());
}

#[test]
fn the_site_works_under_a_sub_path() {
    let server = Arc::new(Server::start(
        "basic",
        &["--base-url", "https://user.github.io/repo/"],
    ));
    let srv = server.clone();
    in_browser("sub_path_base_url", move |c| async move {
        c.goto(&srv.url("/")).await.expect("open the server root");
        wait_js(
            &c,
            "the redirect to /repo/",
            "return location.pathname === '/repo/'",
        )
        .await;
        assert_eq!(h1(&c).await, "Widgets in Ruritania");
        let styled = "return [...document.styleSheets].some(s => s.href && s.href.endsWith('/repo/style.css') && s.cssRules.length > 0)";
        assert_eq!(
            js(&c, styled, vec![]).await,
            json!(true),
            "style.css loads under /repo/"
        );

        let person = c
            .find(Locator::Css("main a[href$='people/jan-novak.html']"))
            .await
            .expect("a cross-link");
        person.click().await.expect("click");
        wait_js(
            &c,
            "the person page",
            "return location.pathname === '/repo/people/jan-novak.html'",
        )
        .await;
        assert_eq!(h1(&c).await, "Jan Novák");

        c.goto(&srv.site_url("")).await.expect("back");
        h1(&c).await;
        live(&c).await;
        srv.replace(
            "content/index.md",
            "will make widgets",
            "will make SUBPATH-RELOADED widgets",
        );
        wait_js(
            &c,
            "live reload under /repo/",
            "return document.body.innerText.includes('SUBPATH-RELOADED')",
        )
        .await;

        // A stylesheet-only change restyles the open page without reloading it.
        // First a folder static/ to watch: that rebuild reloads the open page by itself (no
        // refresh from here, which that reload would abort); wait until the page is of it.
        let build = srv.status()["build"].as_u64();
        std::fs::create_dir_all(srv.path("static")).expect("mkdir static");
        let status = srv.wait_status(WAIT, "the rebuild for static/", |s| {
            s["build"].as_u64() > build
        });
        let now = status["build"].as_u64().expect("a build number");
        live_at(&c, now).await;
        js(&c, "window.__no_reload = true; return true", vec![]).await;
        let css = "body { outline: 7px solid rgb(1, 2, 3); }\n";
        std::fs::write(srv.path("static/style.css"), css).expect("write style.css");
        let restyled = "return getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'";
        wait_js(&c, "the new stylesheet", restyled).await;
        let kept = js(&c, "return window.__no_reload === true", vec![]).await;
        assert_eq!(kept, json!(true), "restyled without a reload");
    });
}

/// The open popover's role and text, or null.
const POPOVER: &str = "var p = document.querySelector('.popover'); \
     return p ? {role: p.getAttribute('role'), text: p.innerText, id: p.id} : null";

/// Moves the mouse onto the element `css` selects.
async fn hover(client: &Client, css: &str) {
    let element = client
        .find(Locator::Css(css))
        .await
        .expect("an element to hover");
    let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
        element,
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    client.perform_actions(mouse).await.expect("hover");
}

/// Gives the element `css` selects the focus, as the keyboard would (WebDriver focuses an
/// element before typing into it; Shift types nothing).
async fn focus(client: &Client, css: &str) {
    let element = client
        .find(Locator::Css(css))
        .await
        .expect("an element to focus");
    element
        .send_keys(&Key::Shift.to_string())
        .await
        .expect("focus");
}

/// Presses `key` in whatever has the focus.
async fn press(client: &Client, key: Key) {
    let active = client.active_element().await.expect("the focused element");
    active
        .send_keys(&key.to_string())
        .await
        .expect("press a key");
}

#[test]
fn a_markers_popover_opens_on_hover_and_focus_and_closes_on_escape() {
    let server = Arc::new(Server::start("basic", &[]));
    let home = server.site_url("");
    in_browser("marker_popover", move |c| async move {
        c.goto(&home).await.expect("open the overview");
        h1(&c).await;
        let marker = "main sup.fm-flag a[href$='#conflict--ruritania--production-start']";
        let expanded =
            format!("return document.querySelector(\"{marker}\").getAttribute('aria-expanded')");
        assert_eq!(js(&c, &expanded, vec![]).await, json!("false"));

        // Hover: the detail opens, a non-modal dialog with the outcome, the readings with
        // their sources, the verdict and links to the card and the legend.
        hover(&c, marker).await;
        wait_js(
            &c,
            "the popover on hover",
            "return !!document.querySelector('.popover[role=dialog]')",
        )
        .await;
        let pop = js(&c, POPOVER, vec![]).await;
        // (innerText: the heading is in capitals.)
        let text = pop["text"].as_str().expect("popover text").to_lowercase();
        for part in [
            "conflict (flag)",
            "2026",
            "2023",
            "beta wire",
            "verdict: 2026",
            "what the outcomes mean",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
        assert_eq!(js(&c, &expanded, vec![]).await, json!("true"));
        let controls =
            format!("return document.querySelector(\"{marker}\").getAttribute('aria-controls')");
        assert_eq!(js(&c, &controls, vec![]).await, pop["id"]);
        press(&c, Key::Escape).await;
        wait_js(
            &c,
            "Escape to close it",
            "return !document.querySelector('.popover')",
        )
        .await;
        assert_eq!(js(&c, &expanded, vec![]).await, json!("false"));

        // Moving away closes it, after a delay long enough to move into it.
        hover(&c, "main h1").await;
        hover(&c, marker).await;
        wait_js(
            &c,
            "the popover again",
            "return !!document.querySelector('.popover')",
        )
        .await;
        hover(&c, ".popover .pop-links a").await;
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert!(
            js(&c, POPOVER, vec![]).await.is_object(),
            "open while the pointer is in it"
        );
        hover(&c, "main h1").await;
        wait_js(
            &c,
            "leaving to close it",
            "return !document.querySelector('.popover')",
        )
        .await;

        // Focus: it opens too, and Tab walks into it; Escape closes it and gives the focus
        // back to the marker.
        focus(&c, marker).await;
        wait_js(
            &c,
            "the popover on focus",
            "return !!document.querySelector('.popover[role=dialog]')",
        )
        .await;
        press(&c, Key::Tab).await;
        let inside = "return document.querySelector('.popover').contains(document.activeElement)";
        assert_eq!(
            js(&c, inside, vec![]).await,
            json!(true),
            "Tab moves into the popover"
        );
        press(&c, Key::Escape).await;
        wait_js(
            &c,
            "Escape from inside",
            "return !document.querySelector('.popover')",
        )
        .await;
        let back =
            format!("return document.activeElement === document.querySelector(\"{marker}\")");
        assert_eq!(
            js(&c, &back, vec![]).await,
            json!(true),
            "focus back on the marker"
        );

        // The legend is reachable from the popover, by keyboard.

        let blur = format!("document.querySelector(\"{marker}\").blur(); return true");
        js(&c, &blur, vec![]).await;
        focus(&c, marker).await;
        wait_js(
            &c,
            "the popover on focus again",
            "return !!document.querySelector('.popover')",
        )
        .await;
        press(&c, Key::Tab).await;
        press(&c, Key::Tab).await;
        let on_legend = "return document.activeElement.textContent === 'What the outcomes mean'";
        assert_eq!(js(&c, on_legend, vec![]).await, json!(true));
        press(&c, Key::Enter).await;
        wait_js(
            &c,
            "the legend",
            "return location.hash === '#legend--outcomes'",
        )
        .await;
        let (path, _) = path_of(&c).await;
        assert_eq!(path, "/discrepancies/index.html");
        let legend = "return document.getElementById('legend--outcomes') !== null";
        assert_eq!(js(&c, legend, vec![]).await, json!(true));
    });
}

#[test]
fn without_javascript_a_marker_is_a_link_to_its_card() {
    let server = Arc::new(Server::start("basic", &[]));
    let home = server.site_url("");
    in_browser_with("marker_without_javascript", false, move |c| async move {
        c.goto(&home).await.expect("open the overview");
        h1(&c).await;
        let marker = c
            .find(Locator::Css("main sup.fm-flag a"))
            .await
            .expect("a marker");
        assert!(marker.is_displayed().await.expect("displayed"));
        marker.click().await.expect("follow the marker");
        let started = Instant::now();
        let fragment = loop {
            let (path, fragment) = path_of(&c).await;
            if path == "/discrepancies/index.html" {
                break fragment.expect("the card's anchor");
            }
            assert!(started.elapsed() < WAIT, "the marker led to {path}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        };
        assert_eq!(fragment, "conflict--ruritania--production-start");
        let card = c
            .find(Locator::Id(&fragment))
            .await
            .expect("the card the marker leads to");
        let heading = card.find(Locator::Css("h3")).await.expect("its heading");
        let title = heading.text().await.expect("heading text");
        assert!(title.starts_with("⚑1"), "numbered as the marker: {title}");
        // No popover machinery ran: the page's scripts are off.
        let popovers = c.find_all(Locator::Css(".popover")).await.expect("query");
        assert!(popovers.is_empty());
    });
}

#[test]
fn a_preview_opens_on_focus_of_an_entity_link() {
    let server = Arc::new(Server::start("basic", &[]));
    let home = server.site_url("");
    let country = server.site_url("countries/ruritania.html");
    in_browser("entity_preview", move |c| async move {
        c.goto(&home).await.expect("open the overview");
        h1(&c).await;
        let link = "main a.ref-countries[href$='countries/ruritania.html']";
        focus(&c, link).await;
        wait_js(
            &c,
            "the preview",
            "return !!document.querySelector('.popover[role=tooltip]')",
        )
        .await;
        let pop = js(&c, POPOVER, vec![]).await;
        let text = pop["text"].as_str().expect("preview text").to_lowercase();
        for part in ["country", "ruritania", "7 claims", "3 discrepancies"] {
            assert!(text.contains(part), "{part} in {text}");
        }
        let described =
            format!("return document.querySelector(\"{link}\").getAttribute('aria-describedby')");
        assert_eq!(js(&c, &described, vec![]).await, pop["id"]);
        press(&c, Key::Escape).await;
        wait_js(
            &c,
            "Escape to close it",
            "return !document.querySelector('.popover')",
        )
        .await;
        // A claim link previews its value, quote and source.
        hover(&c, "main a.ref-claim[href$='claims/beta-start-2023.html']").await;
        let text = open_popover_text(&c, "the claim preview").await;
        assert!(
            text.contains("claim") && text.contains("beta wire"),
            "{text}"
        );

        // In a claim list, a marker standing for two discrepancies names the second.
        c.goto(&country).await.expect("open the country");
        h1(&c).await;
        focus(&c, "li#claim-beta-start-2023 sup.fm a").await;
        let text = open_popover_text(&c, "the marker's popover").await;
        assert!(
            text.contains("also part of ⚑3 self-contradiction"),
            "{text}"
        );
    });
}

#[test]
fn the_bundled_overview_shows_findings_quietly() {
    let (_work, built) = crate::support::bundled_site();
    let site = built.root.clone();
    let url = format!("file://{}/index.html", site.display());
    in_browser("overview_flag_share", move |c| async move {
        // Text inside markers (the visually hidden names included) against all text in
        // main; and no marker breaks across lines, on a desktop and on a phone.
        let measure = "var len = function (s) { return s.replace(/\\s+/g, '').length; }; \
            var main = document.querySelector('main'); var markers = main.querySelectorAll('sup.fm'); \
            var inside = 0, broken = 0; \
            markers.forEach(function (m) { inside += len(m.innerText); if (m.getClientRects().length > 1) broken++; }); \
            return {all: len(main.innerText), inside: inside, markers: markers.length, broken: broken}";
        for (width, height) in [(1200, 900), (390, 844)] {
            c.set_window_size(width, height).await.expect("window size");
            c.goto(&url).await.expect("open the overview");
            h1(&c).await;
            let m = js(&c, measure, vec![]).await;
            let all = m["all"].as_f64().expect("all");
            let inside = m["inside"].as_f64().expect("inside");
            let share = inside / all;
            eprintln!(
                "overview at {width}px: {} markers, flag text {:.1}% of main",
                m["markers"],
                share * 100.0
            );
            assert!(m["markers"].as_u64() > Some(0), "markers on the overview");
            assert!(share < 0.10, "flag text is {:.1}% of main", share * 100.0);
            assert_eq!(
                m["broken"],
                json!(0),
                "markers broken across lines at {width}px"
            );
        }
    });
}

#[test]
fn pdf_of_the_bundled_briefing_has_every_discrepancy() {
    let Some(tools) = require(
        "pdf_of_the_bundled_briefing",
        &["chromium", "pdftotext", "pdftoppm"],
    ) else {
        return;
    };
    let _one_at_a_time = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = if repo.join("content/index.md").is_file() {
        repo.to_path_buf()
    } else {
        fixtures().join("basic")
    };
    let work = tempfile::tempdir().expect("temp");
    let pdf = work.path().join("briefing.pdf");
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("pdf")
        .arg(&root)
        .arg("--output")
        .arg(&pdf)
        .env("DOSSIER_CHROME", &tools[0])
        .output()
        .expect("run dossier pdf");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "dossier pdf failed:\n{stderr}");
    let size = std::fs::metadata(&pdf).expect("the PDF").len();
    let text = run(&tools[1], &[pdf.as_os_str(), "-".as_ref()]);
    let pages = text.matches('\u{c}').count();
    eprintln!(
        "pdf: {} pages, {} KB, in {} ms, from {}",
        pages,
        size / 1024,
        started.elapsed().as_millis(),
        root.display()
    );
    let flat = squash(&text);

    let site = work.path().join("site");
    let build = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .arg(&root)
        .arg("--output")
        .arg(&site)
        .output()
        .expect("run dossier build");
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let facts: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("facts.json")).expect("facts.json"))
            .expect("JSON");
    let config: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root.join("dossier.yaml")).expect("dossier.yaml"),
    )
    .expect("YAML");
    let title = config["title"].as_str().expect("a title");
    assert!(flat.contains(&squash(title)), "title `{title}` in the PDF");
    assert!(flat.contains("Contents"), "the table of contents");
    let discrepancies = facts["discrepancies"].as_array().expect("discrepancies");
    assert!(!discrepancies.is_empty());
    for d in discrepancies {
        let t = d["title"].as_str().expect("title");
        assert!(flat.contains(&squash(t)), "discrepancy `{t}` in the PDF");
    }

    // The short briefing: bookmarks, page numbers in the contents, both charts, each claim
    // once (its quote in the annex), and no more than 50 A4 pages for the bundled one.
    let doc = lopdf::Document::load(&pdf).expect("a PDF lopdf reads");
    let toc = doc.get_toc().expect("the PDF has an outline (bookmarks)");
    let section = |title: &str| {
        (toc.toc.iter())
            .find(|t| t.title.ends_with(title) && t.title.starts_with(char::is_numeric))
            .unwrap_or_else(|| panic!("a bookmark `N {title}` in {:?}", toc.toc))
    };
    let disc = section("Discrepancies");
    let annex = section("Annex: every claim");
    assert!(disc.page < annex.page, "discrepancies before the annex");
    let contents = run(
        &tools[1],
        &[
            "-f".as_ref(),
            "2".as_ref(),
            "-l".as_ref(),
            "3".as_ref(),
            "-layout".as_ref(),
            pdf.as_os_str(),
            "-".as_ref(),
        ],
    );
    for t in [disc, annex] {
        let line = (contents.lines())
            .find(|l| squash(l).starts_with(&squash(&t.title)))
            .unwrap_or_else(|| panic!("`{}` in the contents:\n{contents}", t.title));
        assert!(
            line.trim_end().ends_with(&format!(" {}", t.page)),
            "the contents give `{}` its page {}: {line}",
            t.title,
            t.page
        );
    }
    assert!(
        flat.contains("Source agreement"),
        "the agreement matrix is printed"
    );
    assert!(
        flat.contains(&squash("Dated claims on a time axis")),
        "the timeline chart is printed"
    );
    assert!(
        !flat.contains('§'),
        "cross-references are page numbers, not section codes"
    );
    // (Letters and digits only: lines break inside words at hyphens.)
    let letters = |t: &str| -> String { t.chars().filter(|c| c.is_alphanumeric()).collect() };
    let all = letters(&text);
    for c in facts["claims"].as_array().expect("claims") {
        let quote = letters(c["quote"].as_str().expect("a quote"));
        assert!(
            all.contains(&quote),
            "claim {} with its quote in the PDF",
            c["id"]
        );
    }
    if root == repo {
        assert!(
            pages <= 50,
            "the bundled briefing prints on {pages} pages, more than 50"
        );
    }

    let png = work.path().join("page1");
    run(
        &tools[2],
        &[
            "-png".as_ref(),
            "-r".as_ref(),
            "50".as_ref(),
            "-f".as_ref(),
            "1".as_ref(),
            "-l".as_ref(),
            "1".as_ref(),
            "-singlefile".as_ref(),
            pdf.as_os_str(),
            png.as_os_str(),
        ],
    );
    let inked = inked_share(&work.path().join("page1.png"));
    eprintln!("pdf: {:.2}% of page 1 is not white", inked * 100.0);
    assert!(
        inked > 0.005,
        "page 1 is blank ({:.3}% inked)",
        inked * 100.0
    );
}

/// At a phone's width (390 px) and a desktop's (1280 px) the overview, the discrepancies page
/// (the agreement matrix) and the country page with the most claims have no element wider
/// than the viewport (the light and dark schemes differ only in colour): the matrix may
/// scroll sideways only inside its own box, which itself fits. On the bundled briefing (its
/// long titles and five sources).
#[test]
fn pages_fit_a_phone() {
    let (_work, built) = crate::support::bundled_site();
    let site = built.root.clone();
    let facts: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("facts.json")).expect("facts.json"))
            .expect("JSON");
    let claims_about = |id: &str| {
        (facts["claims"].as_array().into_iter().flatten())
            .filter(|c| c["subject"] == id)
            .count()
    };
    let country = (facts["entities"].as_array().into_iter().flatten())
        .filter(|e| e["kind"] == "country")
        .max_by_key(|e| claims_about(e["id"].as_str().unwrap_or_default()))
        .and_then(|e| e["url"].as_str())
        .expect("a country")
        .to_string();
    let pages: Vec<String> = [
        "index.html".to_string(),
        "discrepancies/index.html".to_string(),
        country,
    ]
    .iter()
    .map(|p| format!("file://{}", site.join(p).display()))
    .collect();
    in_browser("pages_fit_a_phone", move |c| async move {
        for (window, height) in [(390, 844), (1280, 900)] {
            c.set_window_size(window, height)
                .await
                .expect("a phone-sized, then a desktop-sized window");
            for page in &pages {
                c.goto(page).await.expect("open the page");
                let report = js(
                &c,
                "const w = window.innerWidth;
                 const wide = [];
                 for (const e of document.querySelectorAll('body *')) {
                   const r = e.getBoundingClientRect();
                   if (r.width === 0 && r.height === 0) continue;
                   const scroller = e.parentElement && e.parentElement.closest('.table-scroll');
                   if (scroller) continue;
                   if (r.right > w + 0.5) wide.push(`${e.tagName}.${e.className}: ${Math.round(r.right)}px`);
                 }
                 const tables = [...document.querySelectorAll('.table-scroll')]
                   .map(t => t.getBoundingClientRect().right);
                 return { width: w, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 10), tables };",
                vec![],
            )
            .await;
                let width = report["width"].as_f64().expect("innerWidth");
                assert!(
                    width <= f64::from(window),
                    "{page}: the window is {window} px wide: {report}"
                );
                let scroll = report["scroll"].as_f64().expect("scrollWidth");
                assert!(scroll <= width, "{page}: scrolls sideways: {report}");
                assert_eq!(report["wide"], json!([]), "{page}: wider than the screen");
                for right in report["tables"].as_array().into_iter().flatten() {
                    assert!(
                        right.as_f64().unwrap_or(f64::MAX) <= width,
                        "{page}: {report}"
                    );
                }
            }
        }
    });
}

fn run(program: &Path, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .expect("run a poppler tool");
    assert!(
        out.status.success(),
        "{}: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text with every run of white space made one space, for matching across line breaks.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The share of pixels of a PNG that are visibly darker than white.
fn inked_share(path: &Path) -> f64 {
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("the PNG"));
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let total = pixels.len() / channels;
    let inked = pixels
        .chunks(channels)
        .filter(|p| p.iter().take(3.min(channels)).any(|v| *v < 200))
        .count();
    inked as f64 / total.max(1) as f64
}
