//! Checks every internal link and anchor of a rendered site, in memory.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use scraper::{Html, Selector};

use crate::diag::{Diagnostics, Loc};
use crate::render::Site;

/// What one page holds for the check: its ids and the targets of its links.
struct Scanned<'a> {
    path: &'a str,
    ids: HashSet<String>,
    links: Vec<String>,
}

/// Reports each link from a page of `site` to a missing file or a missing anchor.
///
/// Each page is parsed on its own (in parallel) and only its ids and link targets are kept:
/// holding every page's document tree at once took several times the site's own size.
pub fn check(site: &Site, diags: &mut Diagnostics) {
    let (Ok(ids), Ok(links)) = (
        Selector::parse("[id]"),
        Selector::parse("a[href], link[href], script[src], img[src]"),
    ) else {
        return;
    };
    let pages: Vec<Scanned> = site
        .files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| {
            let html = Html::parse_document(&String::from_utf8_lossy(&f.bytes));
            Scanned {
                path: f.path.as_str(),
                ids: (html.select(&ids))
                    .filter_map(|e| e.value().attr("id").map(str::to_string))
                    .collect(),
                // Its links are absolute, for any URL it is served at.
                links: if f.path == "404.html" {
                    Vec::new()
                } else {
                    (html.select(&links))
                        .filter_map(|e| {
                            let value = e.value();
                            value.attr("href").or_else(|| value.attr("src"))
                        })
                        .map(str::to_string)
                        .collect()
                },
            }
        })
        .collect();
    let mut files: HashSet<&str> = site.files.iter().map(|f| f.path.as_str()).collect();
    files.extend(site.copies.iter().map(|(p, _)| p.as_str()));
    let anchors: HashMap<&str, &HashSet<String>> = pages.iter().map(|p| (p.path, &p.ids)).collect();
    for page in &pages {
        for target in &page.links {
            if let Some(problem) = broken(page.path, target, &files, &anchors) {
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
    fn finds_missing_files_and_anchors() {
        let site = Site {
            files: vec![
                page(
                    "index.html",
                    "<a href=\"a/b.html#x\">ok</a><a href=\"a/c.html\">no</a><a href=\"a/b.html#y\">no</a>",
                ),
                page(
                    "a/b.html",
                    "<p id=\"x\"></p><a href=\"../index.html\">up</a>",
                ),
            ],
            copies: Vec::new(),
        };
        let mut diags = Diagnostics::new();
        check(&site, &mut diags);
        let messages: Vec<String> = diags.sorted().iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("a/c.html")));
        assert!(messages.iter().any(|m| m.contains("#y")));
    }
}
