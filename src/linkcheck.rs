//! Checks every internal link and anchor of a rendered site, page by page as render makes
//! them ([`Scanner`] is a [`Sink`]): each page is parsed once and only its ids and link
//! targets are kept, so no page, let alone its document tree, outlives its parse.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use scraper::{Html, Selector};

use crate::diag::{Diagnostics, Loc};
use crate::error::Error;
use crate::render::{OutputFile, Sink, Site};

/// What one page holds for the check: its ids and the targets of its links.
struct Scanned {
    path: String,
    ids: HashSet<String>,
    links: Vec<String>,
}

/// Takes the pages render makes and remembers what the check needs of each.
pub struct Scanner {
    /// Elements with ids, and elements that link (constant selectors: never `None`).
    selectors: Option<(Selector, Selector)>,
    pages: Mutex<Vec<Scanned>>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

impl Scanner {
    pub fn new() -> Self {
        let ids = Selector::parse("[id]");
        let links = Selector::parse("a[href], link[href], script[src], img[src]");
        Scanner {
            selectors: ids.ok().zip(links.ok()),
            pages: Mutex::default(),
        }
    }

    /// Reports each link from a page of `site` to a missing file or a missing anchor.
    pub fn report(self, site: &Site, diags: &mut Diagnostics) {
        let pages = self.pages.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut files: HashSet<&str> = site.files.iter().map(String::as_str).collect();
        files.extend(site.copies.iter().map(|(p, _)| p.as_str()));
        let anchors: HashMap<&str, &HashSet<String>> =
            pages.iter().map(|p| (p.path.as_str(), &p.ids)).collect();
        for page in &pages {
            for target in &page.links {
                if let Some(problem) = broken(&page.path, target, &files, &anchors) {
                    diags.error(
                        &Loc::file(&format!("<output>/{}", page.path)),
                        format!("broken link `{target}`: {problem}"),
                        Some(
                            "fix the reference in the content or template that produces this link"
                                .into(),
                        ),
                    );
                }
            }
        }
    }
}

impl Sink for Scanner {
    /// Only pages are checked: the generated scripts and data need not be made.
    fn wants(&self, _path: &str) -> bool {
        false
    }

    fn put(&self, file: OutputFile) -> Result<(), Error> {
        let Some((ids, links)) = &self.selectors else {
            return Ok(());
        };
        if !file.path.ends_with(".html") {
            return Ok(());
        }
        let html = Html::parse_document(&String::from_utf8_lossy(&file.bytes));
        let ids = (html.select(ids))
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect();
        // Its links are absolute, for any URL it is served at.
        let links = if file.path == "404.html" {
            Vec::new()
        } else {
            (html.select(links))
                .filter_map(|e| {
                    let value = e.value();
                    value.attr("href").or_else(|| value.attr("src"))
                })
                .map(str::to_string)
                .collect()
        };
        let page = Scanned {
            path: file.path,
            ids,
            links,
        };
        self.pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(page);
        Ok(())
    }
}

fn broken(
    from: &str,
    target: &str,
    files: &HashSet<&str>,
    anchors: &HashMap<&str, &HashSet<String>>,
) -> Option<String> {
    if target.contains("://") || target.starts_with("mailto:") || target.starts_with("//") {
        return None;
    }
    let (file_part, fragment) = match target.split_once('#') {
        Some((f, frag)) => (f, Some(frag)),
        None => (target, None),
    };
    let resolved = if file_part.is_empty() {
        from.to_string()
    } else {
        join(from, file_part)?
    };
    if !files.contains(resolved.as_str()) {
        return Some(format!("no file {resolved} in the site"));
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let known = anchors.get(resolved.as_str())?;
    let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    (!known.contains(decoded.as_ref())).then(|| format!("no anchor #{fragment} in {resolved}"))
}

/// Resolves a relative URL against the page it appears on; `None` when it climbs out.
fn join(from: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in rel.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::OutputFile;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: html.as_bytes().to_vec(),
        }
    }

    #[test]
    fn finds_missing_files_and_anchors() -> Result<(), Error> {
        let scanner = Scanner::new();
        scanner.put(page(
            "index.html",
            "<a href=\"a/b.html#x\">ok</a><a href=\"a/c.html\">no</a><a href=\"a/b.html#y\">no</a>",
        ))?;
        scanner.put(page(
            "a/b.html",
            "<p id=\"x\"></p><a href=\"../index.html\">up</a>",
        ))?;
        let site = Site {
            files: vec!["index.html".into(), "a/b.html".into()],
            ..Site::default()
        };
        let mut diags = Diagnostics::new();
        scanner.report(&site, &mut diags);
        let messages: Vec<String> = diags.sorted().iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("a/c.html")));
        assert!(messages.iter().any(|m| m.contains("#y")));
        Ok(())
    }
}
