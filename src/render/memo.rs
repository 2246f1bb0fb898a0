//! What `serve` keeps of its last good build, so the next one renders and writes only what
//! changed: for every output file, a 128-bit XXH3 hash of its bytes and, for a page, of what
//! made it (its template with every template that one extends or includes, and its context
//! as CBOR, which names every field and writes strings as they are).
//!
//! A page whose inputs hash as before is not rendered; a file whose bytes hash as before is
//! not written. It also keeps what was derived from inputs alone ([`Derived`]: sanitised
//! Markdown HTML, the search index's plain text, print-view parts, preview sentences), by the
//! digest of those inputs. The hashes cover
//! everything a file is made from, so an incremental build writes the same bytes a full build
//! would (`tests/integration/incremental.rs`).

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap;
use serde::{Serialize, Serializer};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// A 128-bit XXH3 hash: not cryptographic (nothing here is secret or adversarial), and fast
/// enough to hash every page's context on each rebuild.
pub type Digest = u128;

/// The last build's files, by output path.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    files: FxHashMap<String, Entry>,
    derived: FxHashMap<(Derived, Digest), String>,
}

/// What is made of its inputs alone, and so kept by the memo for the next build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Derived {
    /// The search index's plain text.
    PlainText,
    /// The Markdown's HTML, sanitised.
    Sanitized,
    /// A part of the print view, drawn by its partial (by the digest of both).
    PrintPart,
    /// The first sentence of a summary, for its preview (by what its plain text reads).
    Preview,
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
    next: Mutex<FxHashMap<String, Entry>>,
    derived: Mutex<FxHashMap<(Derived, Digest), String>>,
}

impl<'a> Recorder<'a> {
    /// `templates`: every template's name and source, as Tera compiled them.
    pub fn new(previous: Option<&'a Memo>, templates: &[(String, String)]) -> Self {
        Recorder {
            previous,
            templates: closures(templates),
            next: Mutex::default(),
            derived: Mutex::default(),
        }
    }

    /// The digest of a page rendered from `template` with `context`; `None` when the context
    /// does not serialise (the page is then always rendered).
    pub fn page_input(&self, template: &str, context: &impl Serialize) -> Option<Digest> {
        input(&self.templates.get(template)?.to_le_bytes(), context)
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
        self.record_digest(path, xxh3_128(bytes), input)
    }

    /// [`Recorder::record`] for a file made of `pieces`, in order.
    pub fn record_pieces(&self, path: &str, pieces: &[String], input: Option<Digest>) -> bool {
        let mut hasher = Xxh3::new();
        pieces.iter().for_each(|p| hasher.update(p.as_bytes()));
        self.record_digest(path, hasher.digest128(), input)
    }

    fn record_digest(&self, path: &str, bytes: Digest, input: Option<Digest>) -> bool {
        let entry = Entry { input, bytes };
        let before = self.previous.and_then(|m| m.files.get(path));
        let changed = before.is_none_or(|b| b.bytes != entry.bytes);
        self.lock().insert(path.to_string(), entry);
        changed
    }

    /// `make()`, or what it made last time for the same `input` (a digest of all it reads).
    pub fn derive_from(
        &self,
        kind: Derived,
        input: Digest,
        make: impl FnOnce() -> String,
    ) -> String {
        match self.derive_by(kind, input, || Ok::<_, std::convert::Infallible>(make())) {
            Ok(made) => made,
            Err(never) => match never {},
        }
    }

    /// [`Recorder::derive_from`] for a `make` that may fail.
    pub fn derive_by<E>(
        &self,
        kind: Derived,
        input: Digest,
        make: impl FnOnce() -> Result<String, E>,
    ) -> Result<String, E> {
        let key = (kind, input);
        let made = match self.previous.and_then(|m| m.derived.get(&key)) {
            Some(known) => known.clone(),
            None => make()?,
        };
        let mut derived = self.derived.lock().unwrap_or_else(|e| e.into_inner());
        derived.insert(key, made.clone());
        Ok(made)
    }

    pub fn finish(self) -> Memo {
        Memo {
            files: self.next.into_inner().unwrap_or_else(|e| e.into_inner()),
            derived: self.derived.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<String, Entry>> {
        self.next.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `make()`, kept under `kind` by `recorder` when render keeps a memo, by the digest `input`
/// gives (computed only then).
pub fn kept(
    recorder: Option<&Recorder>,
    kind: Derived,
    input: impl FnOnce() -> Digest,
    make: impl FnOnce() -> String,
) -> String {
    match recorder {
        Some(r) => r.derive_from(kind, input(), make),
        None => make(),
    }
}

/// The digest of `bytes`.
pub fn digest(bytes: &[u8]) -> Digest {
    xxh3_128(bytes)
}

/// The digest of `head` then `value` as CBOR; `None` when it does not serialise.
fn input(head: &[u8], value: &impl Serialize) -> Option<Digest> {
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        buffer.extend_from_slice(head);
        let hashing = Hashing::start();
        let written = ciborium::into_writer(value, &mut *buffer);
        drop(hashing);
        written.ok()?;
        Some(xxh3_128(buffer))
    })
}

thread_local! {
    /// Each thread's buffer for what it hashes: one hash of a whole buffer is faster than
    /// feeding the hasher a serialiser's many small writes.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Whether this thread is serialising a value to hash it ([`shared`]).
    static HASHING: Cell<bool> = const { Cell::new(false) };
}

/// While it lives, this thread serialises to hash.
struct Hashing(bool);

impl Hashing {
    fn start() -> Self {
        Hashing(HASHING.replace(true))
    }
}

impl Drop for Hashing {
    fn drop(&mut self) {
        HASHING.set(self.0);
    }
}

/// Serialises a view that many pages show (`fields`, its fields as they serialise). To hash
/// a page's context it stands for its own digest instead, made the first time and kept in
/// `digest`, so a view on a thousand pages is serialised for hashing once, not a thousand
/// times. The view must not change once made (the views do not: each build makes its own).
pub fn shared<S: Serializer>(
    fields: &impl Serialize,
    digest: &OnceLock<Digest>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if !HASHING.get() {
        return fields.serialize(serializer);
    }
    let digest = match digest.get() {
        Some(d) => *d,
        None => {
            let mut bytes = Vec::new();
            ciborium::into_writer(fields, &mut bytes).map_err(serde::ser::Error::custom)?;
            *digest.get_or_init(|| xxh3_128(&bytes))
        }
    };
    serializer.serialize_bytes(&digest.to_le_bytes())
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
            let mut hasher = Xxh3::new();
            for i in members {
                let (name, source) = &templates[i];
                for part in [name.as_bytes(), source.as_bytes()] {
                    hasher.update(&(part.len() as u64).to_le_bytes());
                    hasher.update(part);
                }
            }
            (templates[start].0.clone(), hasher.digest128())
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

    /// A view serialised through [`shared`], as the shared views are.
    struct View {
        text: String,
        digest: OnceLock<Digest>,
    }

    impl Serialize for View {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            shared(&self.text, &self.digest, serializer)
        }
    }

    #[test]
    fn a_shared_view_renders_as_itself_and_hashes_by_what_it_holds() {
        let templates = set(&[("t.html", "{{ v }}")]);
        let recorder = Recorder::new(None, &templates);
        let view = |text: &str| View {
            text: text.to_string(),
            digest: OnceLock::new(),
        };
        let page = |v: &View| recorder.page_input("t.html", &[v, v]);
        let (one, two) = (view("one"), view("two"));
        assert_eq!(
            serde_json::to_value(&one).ok(),
            Some(serde_json::json!("one"))
        );
        assert!(one.digest.get().is_none(), "rendering does not hash");

        let first = page(&one);
        assert!(first.is_some());
        assert!(
            one.digest.get().is_some(),
            "hashing keeps the view's digest"
        );
        assert_eq!(page(&one), first);
        assert_eq!(
            page(&view("one")),
            first,
            "the digest is of what the view holds"
        );
        assert_ne!(page(&two), first);
        assert_eq!(
            serde_json::to_value(&one).ok(),
            Some(serde_json::json!("one"))
        );
    }
}
