//! Checks every internal link and anchor of a rendered site, in memory.

use std::collections::{HashMap, HashSet};

use scraper::{Html, Selector};

use crate::diag::{Diagnostics, Loc};
use crate::render::Site;

/// Reports each link from a page of `site` to a missing file or a missing anchor.
pub fn check(site: &Site, diags: &mut Diagnostics) {
    let pages: Vec<(&str, Html)> = site
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| {
            (
                f.path.as_str(),
                Html::parse_document(&String::from_utf8_lossy(&f.bytes)),
            )
        })
        .collect();
    let (Ok(ids), Ok(links)) = (
        Selector::parse("[id]"),
        Selector::parse("a[href], link[href], script[src], img[src]"),
    ) else {
        return;
    };
    let mut files: HashSet<&str> = site.files.iter().map(|f| f.path.as_str()).collect();
    files.extend(site.copies.iter().map(|(p, _)| p.as_str()));
    let anchors: HashMap<&str, HashSet<String>> = pages
        .iter()
        .map(|(path, html)| {
            let set = html
                .select(&ids)
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect();
            (*path, set)
        })
        .collect();
    for (path, html) in &pages {
        if *path == "404.html" {
            // Its links are absolute, for any URL it is served at.
            continue;
        }
        for element in html.select(&links) {
            let value = element.value();
            let Some(target) = value.attr("href").or_else(|| value.attr("src")) else {
                continue;
            };
            if let Some(problem) = broken(path, target, &files, &anchors) {
                diags.error(
                    &Loc::file(&format!("<output>/{path}")),
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
    anchors: &HashMap<&str, HashSet<String>>,
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
