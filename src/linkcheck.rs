//! Checks every internal link and anchor of a rendered site, page by page as render makes
//! them ([`Scanner`] is a [`Sink`]): each page goes once through html5ever's tokenizer, which
//! builds no document tree, and only its ids and link targets are kept.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use html5ever::tokenizer::{TagKind, Token, TokenSink, TokenSinkResult};

use crate::diag::{Diagnostics, Loc};
use crate::error::Error;
use crate::render::{OutputFile, Sink, Site, after_start_tag, tokenize};

/// What one page holds for the check: its ids and the targets of its links.
struct Scanned {
    path: String,
    ids: HashSet<String>,
    links: Vec<String>,
}

/// Takes the pages render makes and remembers what the check needs of each.
#[derive(Default)]
pub struct Scanner {
    pages: Mutex<Vec<Scanned>>,
}

impl Scanner {
    pub fn new() -> Self {
        Self::default()
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
        let text = String::from_utf8_lossy(&file.bytes);
        self.scan(file.path, std::iter::once(text.as_ref()));
        Ok(())
    }

    /// The print view's pieces go through the tokenizer one after the other, as one page.
    fn put_stream(
        &self,
        path: String,
        pieces: &mut dyn Iterator<Item = String>,
    ) -> Result<(), Error> {
        self.scan(path, pieces);
        Ok(())
    }
}

impl Scanner {
    /// Tokenizes the page at `path`, given in `pieces`, and keeps its ids and links.
    fn scan<S: AsRef<str>>(&self, path: String, pieces: impl Iterator<Item = S>) {
        if !path.ends_with(".html") {
            return;
        }
        let Tags { ids, links } = tokenize(Tags::default(), pieces);
        let mut links = links.into_inner();
        // Its links are absolute, for any URL it is served at.
        if path == "404.html" {
            links.clear();
        }
        let page = Scanned {
            path,
            ids: ids.into_inner(),
            links,
        };
        self.pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(page);
    }
}

/// What the tokenizer finds in start tags: every `id`, and the `href` of `a` and `link` and the
/// `src` of `script` and `img`.
#[derive(Default)]
struct Tags {
    ids: RefCell<HashSet<String>>,
    links: RefCell<Vec<String>>,
}

impl TokenSink for Tags {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let name: &str = &tag.name;
        let linked = match name {
            "a" | "link" => "href",
            "script" | "img" => "src",
            _ => "",
        };
        for attr in &tag.attrs {
            let attr_name: &str = &attr.name.local;
            if attr_name == "id" {
                self.ids.borrow_mut().insert(attr.value.to_string());
            } else if attr_name == linked {
                self.links.borrow_mut().push(attr.value.to_string());
            }
        }
        after_start_tag(name)
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
    fn ids_and_links_come_from_tags_not_from_text() {
        let scanner = Scanner::new();
        let html = "<!DOCTYPE html><html><head><title>a <a href=\"t.html\"></title>\
                    <link rel=\"stylesheet\" href=\"s.css\"><script src=\"j.js\">\
                    var x = '<a href=\"no.html\" id=\"no\">';</script>\
                    <style>a::after { content: '<a id=\"no2\">' }</style></head>\
                    <body><svg><a href=\"#one\"><text id=\"in-svg\">x</text></a></svg>\
                    <p id=\"one\">x &amp; <img src=\"i.png\" alt=\"\"></p>\
                    <a href=\"q.html?a=1&amp;b=2\">q</a><a>none</a><!-- <a href=\"c.html\"> --></body></html>";
        assert!(scanner.put(page("index.html", html)).is_ok());
        let pages = scanner.pages.into_inner().unwrap_or_default();
        let ids: HashSet<String> = ["one", "in-svg"].map(String::from).into();
        assert_eq!(pages[0].ids, ids);
        assert_eq!(
            pages[0].links,
            ["s.css", "j.js", "#one", "i.png", "q.html?a=1&b=2"]
        );
    }

    #[test]
    fn a_page_in_pieces_is_scanned_as_one() -> Result<(), Error> {
        let scanner = Scanner::new();
        // Split inside a tag, an attribute and a script, as the print view's pieces may be.
        let pieces = [
            "<p id=\"a\"><a hr",
            "ef=\"#b\">x</a><scr",
            "ipt>'<a id=\"no\">'",
            "</script><p id=\"b\">",
        ];
        scanner.put_stream(
            "print/index.html".into(),
            &mut pieces.map(String::from).into_iter(),
        )?;
        scanner.put_stream(
            "data.js".into(),
            &mut std::iter::once("<a href=\"x.html\">".into()),
        )?;
        let pages = scanner.pages.into_inner().unwrap_or_default();
        assert_eq!(pages.len(), 1, "only pages are scanned");
        assert_eq!(pages[0].ids, ["a", "b"].map(String::from).into());
        assert_eq!(pages[0].links, ["#b"]);
        Ok(())
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
