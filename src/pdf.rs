//! `dossier pdf`: builds the site into a temporary folder and prints its single-document
//! view (`print/index.html`) to PDF with headless Chromium. The PDF is written beside its
//! destination and moved into place only when Chromium has produced a whole file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::error::{Error, Result, write_err};
use crate::{Compiled, Options};

/// The page that is printed, relative to the output folder.
pub const PRINT_PAGE: &str = "print/index.html";
const TIMEOUT: Duration = Duration::from_secs(120);
const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// What `dossier pdf` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// The briefing folder.
    pub root: PathBuf,
    /// The PDF to write [default: ROOT/briefing.pdf].
    pub output: Option<PathBuf>,
    /// The Chromium (or Chrome) executable [default: $DOSSIER_CHROME, then PATH].
    pub chrome: Option<PathBuf>,
}

impl PdfOptions {
    /// Where the PDF goes.
    pub fn output_path(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("briefing.pdf"))
    }
}

/// Builds and prints. Content errors come back in `diags` with nothing written.
pub fn run(options: &PdfOptions) -> Result<Compiled> {
    let chrome = find_chrome(options.chrome.as_deref())?;
    let work = tempfile::Builder::new()
        .prefix("dossier-pdf-")
        .tempdir()
        .map_err(|e| Error::TempFolder {
            dir: std::env::temp_dir(),
            source: without_path(e),
        })?;
    let site = work.path().join("site");
    let build = Options {
        root: options.root.clone(),
        ..Options::default()
    };
    let compiled = crate::build(&build, Some(&site))?;
    if compiled.diags.has_errors() {
        return Ok(compiled);
    }
    let page = site.join(PRINT_PAGE);
    if !page.is_file() {
        return Err(Error::NoPrintPage { page: PRINT_PAGE });
    }
    print(&chrome, &page, &options.output_path(), work.path())?;
    Ok(compiled)
}

/// The browser to use: `--chrome`, `$DOSSIER_CHROME`, or the first known name on PATH.
pub fn find_chrome(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = given {
        return executable(path).then(|| path.to_path_buf()).ok_or_else(|| {
            Error::ChromeNotExecutable {
                given: "--chrome ",
                path: path.to_path_buf(),
            }
        });
    }
    if let Some(path) = std::env::var_os("DOSSIER_CHROME").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return executable(&path)
            .then_some(path.clone())
            .ok_or(Error::ChromeNotExecutable {
                given: "DOSSIER_CHROME=",
                path,
            });
    }
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    CANDIDATES
        .iter()
        .flat_map(|name| dirs.iter().map(move |d| d.join(name)))
        .find(|p| executable(p))
        .ok_or(Error::ChromeNotFound)
}

/// One of tempfile's errors without the random path it names (` at path "..."`): the message
/// says which folder instead.
fn without_path(e: std::io::Error) -> std::io::Error {
    let text = e.to_string();
    match text.split_once(" at path ") {
        Some((message, _)) => std::io::Error::new(e.kind(), message.to_string()),
        None => e,
    }
}

fn executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// The most times the view is printed to settle its page numbers.
const PASSES: usize = 3;

/// Prints `page` and moves the PDF to `output`. The first print's outline (its bookmarks, one
/// per heading) says on which page each numbered section begins; the view is then printed
/// again with those pages in its contents and cross-references (`p. 12` for `§2.5`), until
/// the pages stay where they are (at most [`PASSES`] times).
fn print(chrome: &Path, page: &Path, output: &Path, work: &Path) -> Result<()> {
    let html = std::fs::read_to_string(page).map_err(crate::error::read_err(page))?;
    let paged = page.with_file_name("paged.html");
    let sections = contents(&html);
    let mut pdf = chromium(chrome, page, work)?;
    let mut pages = section_pages(&pdf, &sections);
    for _ in 1..PASSES {
        if pages.is_empty() {
            break;
        }
        std::fs::write(&paged, with_pages(&html, &pages)).map_err(write_err(&paged))?;
        pdf = chromium(chrome, &paged, work)?;
        let now = section_pages(&pdf, &sections);
        if now == pages {
            break;
        }
        pages = now;
    }
    persist(&pdf, output)
}

/// Runs Chromium once on `page`, returning the PDF it wrote.
fn chromium(chrome: &Path, page: &Path, work: &Path) -> Result<Vec<u8>> {
    let pdf = work.join("print.pdf");
    let _ = std::fs::remove_file(&pdf);
    let log_path = work.join("chromium.log");
    let log = std::fs::File::create(&log_path).map_err(write_err(&log_path))?;
    let mut child = Command::new(chrome)
        .args(chrome_args(work, &pdf))
        .arg(file_url(page)?)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|source| Error::ChromeRun {
            chrome: chrome.to_path_buf(),
            source,
        })?;
    let status = wait(&mut child, chrome)?;
    let written = std::fs::read(&pdf).unwrap_or_default();
    if !status.success() || !written.starts_with(b"%PDF") {
        let log = std::fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(12).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(Error::ChromeFailed {
            chrome: chrome.to_path_buf(),
            status,
            log: if tail.is_empty() {
                "(it wrote no messages)".into()
            } else {
                tail.join("\n")
            },
        });
    }
    Ok(written)
}

/// Writes `pdf` beside `output` and moves it into place.
fn persist(pdf: &[u8], output: &Path) -> Result<()> {
    let parent = crate::write::existing_parent(output)?;
    let mut partial = tempfile::Builder::new()
        .prefix(".dossier-pdf-")
        .suffix(".part")
        .tempfile_in(parent)
        .map_err(write_err(parent))?;
    std::io::Write::write_all(&mut partial, pdf).map_err(write_err(partial.path()))?;
    // A temporary file is private (0600); the briefing is an ordinary document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(partial.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(write_err(partial.path()))?;
    }
    partial.persist(output).map_err(|e| Error::Write {
        path: output.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// The page each numbered section (`2.5 Lithuania`) begins on, from the PDF's outline; empty
/// when the PDF has none (a Chromium without `--generate-pdf-document-outline`). A bookmark is
/// a section's only if its title begins as the view numbers it (`sections`): a heading of the
/// analyst's own that starts with a number is not one.
fn section_pages(pdf: &[u8], sections: &BTreeMap<String, String>) -> BTreeMap<String, usize> {
    let Ok(toc) = lopdf::Document::load_mem(pdf).and_then(|d| d.get_toc()) else {
        return BTreeMap::new();
    };
    let mut pages = BTreeMap::new();
    for entry in toc.toc {
        let number = entry.title.split_whitespace().next().unwrap_or_default();
        let Some(title) = sections.get(number) else {
            continue;
        };
        // (The outline loses spaces where a heading broke across lines.)
        if letters(&entry.title).starts_with(&letters(title)) {
            pages.entry(number.to_string()).or_insert(entry.page);
        }
    }
    pages
}

/// The view's numbered places, by number: `2.5` -> `2.5 Lithuania`, read from where the view
/// writes a number (`<span class="num">2.5</span> Lithuania`, in a heading or a contents
/// entry), up to the end of the heading or link.
fn contents(html: &str) -> BTreeMap<String, String> {
    const NUM: &str = "<span class=\"num\">";
    let mut sections = BTreeMap::new();
    let mut rest = html;
    while let Some(at) = rest.find(NUM) {
        rest = &rest[at + NUM.len()..];
        let Some(end) = rest.find("</span>") else {
            break;
        };
        let number = &rest[..end];
        let after = &rest[end..];
        let stop = ["</h2>", "</h3>", "</h4>", "</a>"]
            .iter()
            .filter_map(|t| after.find(t))
            .min()
            .unwrap_or(after.len());
        if is_section_number(number) {
            let text = format!("{number}{}", strip_tags(&after[..stop]));
            sections.entry(number.to_string()).or_insert(text);
        }
    }
    sections
}

/// The text of an HTML fragment, its character references dropped (the escaper writes them
/// only for punctuation: `&#39;`, `&amp;`), which the comparison ignores anyway.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let (mut in_tag, mut in_ref) = (false, false);
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '&' if !in_tag => in_ref = true,
            ';' if in_ref => in_ref = false,
            c if !in_tag && !in_ref => out.push(c),
            _ => {}
        }
    }
    out
}

/// Letters and digits only, lower case: how a bookmark title is compared with its entry.
fn letters(text: &str) -> String {
    (text.chars())
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `1`, `2.5`: what the print view numbers its sections with.
fn is_section_number(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// The print view with page numbers: each `data-ref="§2.5"` (a cross-reference, shown after
/// its link) becomes `data-ref="p. 12"`, and each `data-page="2.5"` (a contents entry) becomes
/// `data-page="12"`. A section the outline does not know keeps its number.
fn with_pages(html: &str, pages: &BTreeMap<String, usize>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = [("data-ref=\"§", "p. "), ("data-page=\"", "")]
            .into_iter()
            .filter_map(|(marker, prefix)| rest.find(marker).map(|at| (at, marker, prefix)))
            .min_by_key(|(at, ..)| *at);
        let Some((at, marker, prefix)) = next else {
            out.push_str(rest);
            return out;
        };
        let start = at + marker.len();
        let Some(len) = rest[start..].find('"') else {
            out.push_str(rest);
            return out;
        };
        let number = &rest[start..start + len];
        out.push_str(&rest[..at]);
        match pages.get(number) {
            Some(page) => {
                let attribute = &marker[..marker.find('"').unwrap_or(0) + 1];
                out.push_str(&format!("{attribute}{prefix}{page}"));
            }
            None => out.push_str(&rest[at..start + len]),
        }
        rest = &rest[start + len..];
    }
}

fn chrome_args(work: &Path, pdf: &Path) -> Vec<String> {
    let profile = work.join("profile");
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--no-pdf-header-footer",
        "--generate-pdf-document-outline",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .chain([
        format!("--user-data-dir={}", profile.display()),
        format!("--print-to-pdf={}", pdf.display()),
    ])
    .collect()
}

/// Waits for Chromium, killing it after [`TIMEOUT`].
fn wait(child: &mut std::process::Child, chrome: &Path) -> Result<std::process::ExitStatus> {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::ChromeTimeout {
                    chrome: chrome.to_path_buf(),
                    secs: TIMEOUT.as_secs(),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(source) => {
                return Err(Error::ChromeRun {
                    chrome: chrome.to_path_buf(),
                    source,
                });
            }
        }
    }
}

/// Characters escaped in a `file://` URL path.
const PATH_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The `file://` URL of an existing file.
pub fn file_url(path: &Path) -> Result<String> {
    let abs = std::fs::canonicalize(path).map_err(crate::error::read_err(path))?;
    let text = abs.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("//?/").unwrap_or(&text);
    let slash = if text.starts_with('/') { "" } else { "/" };
    Ok(format!(
        "file://{slash}{}",
        utf8_percent_encode(text, PATH_ESCAPES)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_chrome_is_explained() {
        let err = find_chrome(Some(Path::new("/nonexistent/chromium"))).expect_err("no such file");
        assert!(err.to_string().contains("--chrome"));
    }

    #[test]
    fn page_numbers_replace_section_numbers() {
        let pages = BTreeMap::from([("2".to_string(), 4), ("2.5".to_string(), 12)]);
        let html = r##"<a href="#x" data-ref="§2.5">X</a> <a data-page="2">C</a> <a data-ref="§9.1">Y</a> data-ref="§2"##;
        assert_eq!(
            with_pages(html, &pages),
            r##"<a href="#x" data-ref="p. 12">X</a> <a data-page="4">C</a> <a data-ref="§9.1">Y</a> data-ref="§2"##
        );
        assert!(is_section_number("2.15") && is_section_number("1"));
        let html = r##"<a href="#a" data-page="2.5"><span class="num">2.5</span> Lithuania</a>
            <h3><span class="num">2.6</span> <span aria-hidden="true">⚑</span> Finland&#39;s date</h3>"##;
        let sections = contents(html);
        assert_eq!(
            sections.get("2.5").map(String::as_str),
            Some("2.5 Lithuania")
        );
        assert_eq!(
            sections.get("2.6").map(|t| letters(t)),
            Some(letters("2.6 ⚑ Finland's date"))
        );
        assert_eq!(letters("2.5 Lithu ania COUNTRY"), "25lithuaniacountry");
        assert!(
            !is_section_number("2.") && !is_section_number("Contents") && !is_section_number("")
        );
    }

    #[test]
    fn file_urls_escape_spaces() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a b#.html");
        std::fs::write(&file, "x").expect("write");
        let url = file_url(&file).expect("url");
        assert!(url.starts_with("file:///"), "{url}");
        assert!(url.ends_with("/a%20b%23.html"), "{url}");
    }
}
