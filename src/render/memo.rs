//! What `serve` keeps of its last good build, so the next one renders and writes only what
//! changed: for every output file, the SHA-256 of its bytes and, for a page, of what made it
//! (its template with every template that one extends or includes, and its context as JSON).
//!
//! A page whose inputs hash as before is not rendered; a file whose bytes hash as before is
//! not written. It also keeps the plain text the search index made of each HTML fragment, by
//! the fragment's hash. Both hashes cover everything the file is made from, so an incremental build
//! writes the same bytes a full build would (`tests/integration/incremental.rs`).

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::Mutex;

use serde::Serialize;
use sha2::{Digest as _, Sha256};

/// A SHA-256 digest.
pub type Digest = [u8; 32];

/// The last build's files, by output path.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    files: HashMap<String, Entry>,
    texts: HashMap<Digest, String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    /// What made the file: a page's template and context. `None` for other files.
    input: Option<Digest>,
    bytes: Digest,
}

impl Memo {
    /// The files of the last build that the new one no longer has, sorted.
    pub fn removed(&self, now: &Memo) -> Vec<String> {
        let mut gone: Vec<String> = (self.files.keys())
            .filter(|p| !now.files.contains_key(*p))
            .cloned()
            .collect();
        gone.sort_unstable();
        gone
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The memo of the build under way, against the last one when the sink holds the last
/// build's files (then unchanged files are not handed to it).
pub struct Recorder<'a> {
    previous: Option<&'a Memo>,
    /// Per template name, the digest of its source and of every template it extends or
    /// includes.
    templates: HashMap<String, Digest>,
    next: Mutex<HashMap<String, Entry>>,
    texts: Mutex<HashMap<Digest, String>>,
}

impl<'a> Recorder<'a> {
    /// `templates`: every template's name and source, as Tera compiled them.
    pub fn new(previous: Option<&'a Memo>, templates: &[(String, String)]) -> Self {
        Recorder {
            previous,
            templates: closures(templates),
            next: Mutex::default(),
            texts: Mutex::default(),
        }
    }

    /// The digest of a page rendered from `template` with `context`; `None` when the context
    /// does not serialise (the page is then always rendered).
    pub fn page_input(&self, template: &str, context: &impl Serialize) -> Option<Digest> {
        input(self.templates.get(template)?, context)
    }

    /// The digest of data a file other than a page is made from (it uses no template).
    pub fn data_input(&self, data: &impl Serialize) -> Option<Digest> {
        input(b"data\0", data)
    }

    /// Whether the file at `path` was made from `input` last time; if so it is kept as it is.
    pub fn reuse(&self, path: &str, input: Digest) -> bool {
        let Some(entry) = self.previous.and_then(|m| m.files.get(path)) else {
            return false;
        };
        if entry.input != Some(input) {
            return false;
        }
        self.lock().insert(path.to_string(), *entry);
        true
    }

    /// Records the file at `path`; whether the sink needs it (it changed, or the sink holds no
    /// previous build).
    pub fn record(&self, path: &str, bytes: &[u8], input: Option<Digest>) -> bool {
        let entry = Entry {
            input,
            bytes: Sha256::digest(bytes).into(),
        };
        let before = self.previous.and_then(|m| m.files.get(path));
        let changed = before.is_none_or(|b| b.bytes != entry.bytes);
        self.lock().insert(path.to_string(), entry);
        changed
    }

    /// `make(html)`, or what it made of the same fragment last time.
    pub fn text(&self, html: &str, make: fn(&str) -> String) -> String {
        let key: Digest = Sha256::digest(html.as_bytes()).into();
        let known = self.previous.and_then(|m| m.texts.get(&key)).cloned();
        let text = known.unwrap_or_else(|| make(html));
        let mut texts = self.texts.lock().unwrap_or_else(|e| e.into_inner());
        texts.insert(key, text.clone());
        text
    }

    pub fn finish(self) -> Memo {
        Memo {
            files: self.next.into_inner().unwrap_or_else(|e| e.into_inner()),
            texts: self.texts.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.next.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The digest of `head` then `value` as JSON; `None` when it does not serialise.
fn input(head: &[u8], value: &impl Serialize) -> Option<Digest> {
    let mut hasher = Sha256::new();
    hasher.update(head);
    serde_json::to_writer(HashWriter(&mut hasher), value).ok()?;
    Some(hasher.finalize().into())
}

/// Feeds what serde_json writes to the hasher.
struct HashWriter<'a>(&'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Per template, the digest of its source and of the sources of every template it may use.
/// Tera 2 names the templates a template extends or includes by string literals, so a
/// template that names another in quotes is taken to use it (more than it may, never less).
/// A template that defines components is used by every template.
fn closures(templates: &[(String, String)]) -> HashMap<String, Digest> {
    let uses = |source: &str, name: &str| {
        ['"', '\'', '`'].iter().any(|q| {
            let quoted = format!("{q}{name}{q}");
            source.contains(&quoted)
        })
    };
    let components: Vec<usize> = (0..templates.len())
        .filter(|i| defines_components(&templates[*i].1))
        .collect();
    let edges: Vec<Vec<usize>> = (templates.iter())
        .map(|(_, source)| {
            let mut to: Vec<usize> = (0..templates.len())
                .filter(|j| uses(source, &templates[*j].0))
                .collect();
            to.extend(&components);
            to
        })
        .collect();
    (0..templates.len())
        .map(|start| {
            let mut seen = HashSet::from([start]);
            let mut stack = vec![start];
            while let Some(i) = stack.pop() {
                stack.extend(edges[i].iter().filter(|j| seen.insert(**j)));
            }
            let mut members: Vec<usize> = seen.into_iter().collect();
            members.sort_unstable_by(|a, b| templates[*a].0.cmp(&templates[*b].0));
            let mut hasher = Sha256::new();
            for i in members {
                let (name, source) = &templates[i];
                for part in [name.as_bytes(), source.as_bytes()] {
                    hasher.update((part.len() as u64).to_le_bytes());
                    hasher.update(part);
                }
            }
            (templates[start].0.clone(), hasher.finalize().into())
        })
        .collect()
}

/// Whether a template defines a Tera 2 component (`{% component Name(...) %}`).
fn defines_components(source: &str) -> bool {
    source.match_indices("{%").any(|(at, _)| {
        let rest = source[at + 2..].trim_start_matches(['-', '+', '~']);
        rest.trim_start().starts_with("component ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(list: &[(&str, &str)]) -> Vec<(String, String)> {
        (list.iter())
            .map(|(n, s)| ((*n).to_string(), (*s).to_string()))
            .collect()
    }

    #[test]
    fn a_template_depends_on_what_it_extends_and_includes_only() {
        let with = |partial: &str| {
            closures(&set(&[
                ("base.html", "<html>{% block main %}{% endblock %}</html>"),
                (
                    "a.html",
                    r#"{% extends "base.html" %}{% include "p.html" %}"#,
                ),
                ("b.html", r#"{% extends 'base.html' %}"#),
                ("p.html", partial),
            ]))
        };
        let (before, after) = (with("partial"), with("partial, edited"));
        assert_ne!(before["a.html"], after["a.html"]);
        assert_ne!(before["p.html"], after["p.html"]);
        assert_eq!(before["b.html"], after["b.html"]);
        assert_eq!(before["base.html"], after["base.html"]);
    }

    #[test]
    fn components_are_used_by_every_template() {
        let with = |body: &str| {
            closures(&set(&[
                ("c.html", body),
                ("a.html", "{{ Button(label='x') }}"),
            ]))
        };
        let (one, two) = (
            with("{% component Button(label) %}<b>{{ label }}</b>{% endcomponent Button %}"),
            with("{% component Button(label) %}<i>{{ label }}</i>{% endcomponent Button %}"),
        );
        assert_ne!(one["a.html"], two["a.html"]);
    }

    #[test]
    fn unchanged_files_are_not_handed_on_and_removed_ones_are_listed() {
        let templates = set(&[("t.html", "{{ x }}")]);
        let first = Recorder::new(None, &templates);
        let input = first.page_input("t.html", &serde_json::json!({"x": 1}));
        assert!(input.is_some());
        assert!(first.record("a.html", b"one", input));
        assert!(first.record("gone.html", b"x", None));
        assert!(first.record("kept.css", b"css", None));
        let memo = first.finish();

        let second = Recorder::new(Some(&memo), &templates);
        let same = second.page_input("t.html", &serde_json::json!({"x": 1}));
        let other = second.page_input("t.html", &serde_json::json!({"x": 2}));
        assert_eq!(same, input);
        assert_ne!(other, input);
        assert!(second.reuse("a.html", same.unwrap_or_default()));
        assert!(!second.reuse("new.html", same.unwrap_or_default()));
        assert!(!second.record("kept.css", b"css", None));
        assert!(second.record("new.css", b"css", None));
        let next = second.finish();
        assert_eq!(memo.removed(&next), vec!["gone.html".to_string()]);
        assert_eq!(next.len(), 3);
    }
}
