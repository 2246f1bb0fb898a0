//! The search index: every text a reader sees (the overview and other pages, entities with
//! their facts and summaries, claims with value, quote, speaker, source and note,
//! discrepancies with their readings and the analysts' notes), as an elasticlunr index whose
//! document store keeps each document's text once, for the snippets `search.js` shows.
//! Written as a script (`search-index.js`) so the search page works on a static host and
//! from `file://`; `elasticlunr.min.js` (the same library's JavaScript half) ranks the
//! results in the browser.
//!
//! Text is folded the same way here and in `search.js` (decomposed, accents dropped, a few
//! letters without a decomposition spelt in ASCII, lower case), so `Siauliai` finds
//! `Šiauliai` and the other way round.

use std::cell::{Cell, RefCell};

use elasticlunr::{Index, IndexBuilder};
use html5ever::tokenizer::{TagKind, Token, TokenSink, TokenSinkResult};
use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use sha2::{Digest as _, Sha256};

use super::memo::{self, Derived, Recorder};
use super::shared::Views;
use super::site::Out;
use super::views::{ClaimView, DiscrepancyView, EntityView, script_json_into};
use super::{OutputFile, markdown, urls};
use crate::error::Error;
use crate::model::PageId;

/// The fields of each document, in the order `add_doc` takes them: the title (boosted),
/// the text and, for claims, the source's name.
const FIELDS: [&str; 3] = ["title", "body", "source"];

/// Longer tokens are not words (hashes, URLs) and only bloat the index.
const MAX_TOKEN: usize = 80;

/// Classes of elements whose text is not the page's own: inline markers (`sup.fm`,
/// `partials/flags.html`) name a discrepancy, which has its own document.
const SKIPPED_CLASSES: [&str; 1] = ["fm"];

/// A document of the index, before it is added.
#[derive(Serialize)]
struct Doc {
    /// Site-relative URL.
    url: String,
    /// What it is, as results show it: `Country`, `Claim`, `Discrepancy`, `Page`...
    kind: String,
    title: String,
    body: String,
    source: String,
}

/// One part of the index, as `search.js` reads it: the elasticlunr index of some documents
/// (with each document's fields) and, per document ref (its position in the part), its URL,
/// kind and position among all documents (which breaks ties between equal scores, as one
/// index would).
#[derive(Serialize)]
struct Part<'a> {
    /// `[url, kind, position]` per document.
    docs: Vec<(&'a str, &'a str, usize)>,
    index: Index,
}

/// What `search-index.js` says: the parts' file names, and how many documents there are.
#[derive(Serialize)]
struct Manifest<'a> {
    parts: &'a [String],
    documents: usize,
}

/// Where the index's manifest is written; its parts are `search-index-N.js` beside it.
pub const PATH: &str = "search-index.js";

/// Documents per part, at most: a briefing of a few hundred pages has one part. Parts are
/// built in parallel, and a rebuild of `serve` makes again only those whose documents
/// changed; `search.js` ranks across parts with the document frequencies of all of them, so
/// the ranking is that of one index.
const PART: usize = 2048;

/// Puts `search-index.js` and its parts, each as it is made. A part whose documents are
/// those of the last build (`serve`, through the [`Recorder`]) is not made again. Only the
/// documents of the parts under way are held: each part makes its own.
pub fn index(v: &Views, out: &Out) -> Result<(), Error> {
    let sources = sources(v);
    debug_assert_eq!(
        sources.len(),
        count(v),
        "`count` counts what `sources` lists"
    );
    let texts = Texts(out.recorder());
    let parts = split(&sources, part_size());
    let names = names(parts.len());
    parts.par_iter().zip(&names).try_for_each(|(part, name)| {
        let docs: Vec<(usize, Doc)> = (part.par_iter())
            .map(|&(position, source)| (position, document(v, texts, source)))
            .collect();
        let input = (out.recorder()).and_then(|r| Some((r, r.data_input(&docs)?)));
        if let Some((r, input)) = input
            && r.reuse(name, input)
        {
            out.remember(name);
            return Ok(());
        }
        out.put_made(part_file(name, &docs)?, input.map(|(_, d)| d))
    })?;
    let manifest = Manifest {
        parts: &names,
        documents: sources.len(),
    };
    out.put(script(PATH, "window.DOSSIER_SEARCH = ", &manifest, ";\n")?)
}

/// The paths [`index`] writes, without making them (for a sink that does not use them).
pub fn paths(v: &Views) -> Vec<String> {
    let n = count(v);
    let mut paths = names(n.div_ceil(part_size()).max(1));
    paths.push(PATH.into());
    paths
}

fn names(parts: usize) -> Vec<String> {
    (0..parts).map(|i| format!("search-index-{i}.js")).collect()
}

/// The part size; `DOSSIER_TEST_SEARCH_PART` sets it for tests of a briefing in many parts.
fn part_size() -> usize {
    std::env::var("DOSSIER_TEST_SEARCH_PART")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(PART)
}

/// The documents in parts of at most about `size`: each document in the part its URL's hash
/// picks, so a part keeps its documents when others come and go; in the order of `sources`
/// within a part, with its position among all. At least one part.
fn split(sources: &[(&str, Source)], size: usize) -> Vec<Vec<(usize, Source)>> {
    let n = sources.len().div_ceil(size).max(1);
    let mut parts = vec![Vec::new(); n];
    for (position, (url, source)) in sources.iter().enumerate() {
        let hash = Sha256::digest(url.as_bytes());
        let key = u64::from_le_bytes(hash[..8].try_into().unwrap_or_default());
        parts[(key % n as u64) as usize].push((position, *source));
    }
    parts
}

/// A part's script: its index built from its documents.
fn part_file(name: &str, docs: &[(usize, Doc)]) -> Result<OutputFile, Error> {
    let mut index = FIELDS
        .iter()
        .fold(IndexBuilder::new(), |b, f| {
            b.add_field_with_tokenizer(f, Box::new(tokenize))
        })
        .build();
    for (i, (_, d)) in docs.iter().enumerate() {
        index.add_doc(&i.to_string(), [&d.title, &d.body, &d.source]);
    }
    let part = Part {
        docs: (docs.iter())
            .map(|(n, d)| (d.url.as_str(), d.kind.as_str(), *n))
            .collect(),
        index,
    };
    let head = format!(
        "(window.DOSSIER_SEARCH_PARTS = window.DOSSIER_SEARCH_PARTS || {{}})[\"{name}\"] = "
    );
    script(name, &head, &part, ";\n")
}

/// `head`, `value` as JSON safe inside a script, then `tail`.
fn script(path: &str, head: &str, value: &impl Serialize, tail: &str) -> Result<OutputFile, Error> {
    let mut bytes = head.as_bytes().to_vec();
    script_json_into(&mut bytes, value)
        .map_err(|e| Error::Other(format!("cannot serialise {path}: {e}")))?;
    bytes.extend_from_slice(tail.as_bytes());
    Ok(OutputFile {
        path: path.into(),
        bytes,
    })
}

/// How many documents [`documents`] makes.
fn count(v: &Views) -> usize {
    let model = v.core.ctx.model;
    usize::from(v.overview_html.is_some())
        + urls::own_pages(model).count()
        + v.entities.len()
        + v.core.claims.len()
        + v.core.disc_views.len()
}

/// The plain text of HTML fragments ([`plain_text`]), through the memo when there is one.
#[derive(Clone, Copy)]
struct Texts<'a>(Option<&'a Recorder<'a>>);

impl Texts<'_> {
    fn of(self, html: &str) -> String {
        let input = || memo::digest(html.as_bytes());
        memo::kept(self.0, Derived::PlainText, input, || plain_text(html))
    }
}

/// What a document is made from.
#[derive(Clone, Copy)]
enum Source {
    Overview,
    Page(PageId),
    /// By position among the views of entities, claims and discrepancies.
    Entity(usize),
    Claim(usize),
    Discrepancy(usize),
}

/// Every document's URL and source, in a fixed order: pages, entities, claims, discrepancies.
fn sources<'v>(v: &'v Views) -> Vec<(&'v str, Source)> {
    let core = v.core;
    let model = core.ctx.model;
    let overview = (v.overview_html.is_some()).then_some((urls::OVERVIEW, Source::Overview));
    let pages = urls::own_pages(model).map(|p| (model.pages[p.0].url.as_str(), Source::Page(p)));
    let entities =
        (v.entities.iter().enumerate()).map(|(i, e)| (e.url.as_str(), Source::Entity(i)));
    let claims = (core.claims.iter().enumerate()).map(|(i, c)| (c.url.as_str(), Source::Claim(i)));
    let discs = (core.disc_views.iter().enumerate())
        .map(|(i, d)| (d.link.url.as_str(), Source::Discrepancy(i)));
    (overview.into_iter())
        .chain(pages)
        .chain(entities)
        .chain(claims)
        .chain(discs)
        .collect()
}

/// The document made from `source`.
fn document(v: &Views, texts: Texts, source: Source) -> Doc {
    let core = v.core;
    let ctx = core.ctx;
    let model = ctx.model;
    match source {
        Source::Overview => {
            let title = v.overview.map_or(model.config.title.as_str(), |p| {
                model.pages[p.0].title.as_str()
            });
            Doc {
                url: urls::OVERVIEW.into(),
                kind: "Overview".into(),
                title: title.into(),
                body: v
                    .overview_html
                    .as_deref()
                    .map(|h| texts.of(h))
                    .unwrap_or_default(),
                source: String::new(),
            }
        }
        Source::Page(p) => {
            let page = &model.pages[p.0];
            let html = markdown::to_html(&page.body, &urls::Route::Page(p).root(model), ctx);
            let mut body = page.description.clone().unwrap_or_default();
            push_sentence(&mut body, &texts.of(&html));
            Doc {
                url: page.url.clone(),
                kind: "Page".into(),
                title: page.title.clone(),
                body,
                source: String::new(),
            }
        }
        Source::Entity(i) => entity(&v.entities[i], texts),
        Source::Claim(i) => claim(&core.claims[i], texts),
        Source::Discrepancy(i) => discrepancy(&core.disc_views[i], texts),
    }
}

fn entity(e: &EntityView, texts: Texts) -> Doc {
    let mut body = String::new();
    for f in &e.facts {
        let items: Vec<&str> = f.items.iter().map(|i| i.text.as_str()).collect();
        push_sentence(&mut body, &format!("{}: {}", f.label, items.join(", ")));
    }
    if let Some(html) = &e.summary_html {
        push_sentence(&mut body, &texts.of(html));
    }
    Doc {
        url: e.url.clone(),
        kind: e.kind_label.clone(),
        title: e.name.clone(),
        body,
        source: String::new(),
    }
}

fn claim(c: &ClaimView, texts: Texts) -> Doc {
    let mut body = format!("“{}”", c.quote);
    if let Some(s) = &c.speaker {
        body.push_str(" — ");
        body.push_str(&s.name);
    }
    if let Some(d) = &c.date {
        body.push_str(", ");
        body.push_str(d);
    }
    body.push('.');
    if let Some(a) = &c.as_of {
        push_sentence(&mut body, &format!("As of {a}"));
    }
    if let Some(html) = &c.note_html {
        push_sentence(&mut body, &texts.of(html));
    }
    Doc {
        url: c.url.clone(),
        kind: "Claim".into(),
        title: format!("{}: {} {}", c.subject.name, c.label, c.value),
        body,
        source: c.source.name.clone(),
    }
}

fn discrepancy(d: &DiscrepancyView, texts: Texts) -> Doc {
    let mut body = String::new();
    let readings: Vec<String> = (d.readings.iter())
        .map(|r| {
            let sources: Vec<&str> = r.sources.iter().map(|s| s.name.as_str()).collect();
            format!("{} ({})", r.value, sources.join(", "))
        })
        .collect();
    push_sentence(
        &mut body,
        &format!("{}: {}", d.link.label, readings.join("; ")),
    );
    if let Some(verdict) = &d.verdict {
        push_sentence(&mut body, &format!("Verdict: {verdict}"));
    }
    for n in &d.notes {
        if let Some(t) = &n.title {
            push_sentence(&mut body, t);
        }
        if let Some(html) = &n.html {
            push_sentence(&mut body, &texts.of(html));
        }
    }
    for q in d.readings.iter().flat_map(|r| &r.quotes) {
        push_sentence(&mut body, &format!("“{}” ({})", q.quote, q.source.name));
    }
    Doc {
        url: d.link.url.clone(),
        kind: "Discrepancy".into(),
        title: d.link.title.clone(),
        body,
        source: String::new(),
    }
}

/// Appends `text` to `body` as a sentence of its own.
fn push_sentence(body: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if !body.is_empty() {
        if !body.ends_with(['.', '!', '?', ':', '”']) {
            body.push('.');
        }
        body.push(' ');
    }
    body.push_str(text);
}

/// The text of an HTML fragment as a reader sees it: blocks separated by spaces, runs of
/// white space made one, the text of inline flags and marks left out. One pass of html5ever's
/// tokenizer, which builds no tree: the fragments are render's own (sanitised or templated),
/// so their tags are balanced.
pub fn plain_text(html: &str) -> String {
    let out = super::tokenize(Text::default(), [html]).out.into_inner();
    let mut text = String::with_capacity(out.len());
    for word in out.split_whitespace() {
        // A flag left out leaves the space before it: `“next year” , “by 2026”`.
        let joins = word.starts_with([',', '.', ';', ':', ')', '?', '!']);
        if !text.is_empty() && !joins {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

/// What [`plain_text`] keeps of the tokens: the text outside skipped elements, and a space
/// at each edge of an element that is not inline.
#[derive(Default)]
struct Text {
    out: RefCell<String>,
    /// How deep inside a skipped element the tokenizer is (0: outside any).
    skipped: Cell<usize>,
}

/// Elements that never have an end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that join the words around them: anything else separates them.
const INLINE: [&str; 11] = [
    "a", "em", "strong", "code", "span", "sup", "sub", "abbr", "mark", "b", "i",
];

impl TokenSink for Text {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let skipped = self.skipped.get();
        match token {
            Token::CharacterTokens(text) if skipped == 0 => self.out.borrow_mut().push_str(&text),
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                let void = tag.self_closing || VOID.contains(&name);
                let opens = tag.kind == TagKind::StartTag;
                let skips = || {
                    matches!(name, "script" | "style")
                        || (tag.attrs.iter()).any(|a| {
                            &*a.name.local == "class"
                                && (a.value.split_ascii_whitespace())
                                    .any(|k| SKIPPED_CLASSES.contains(&k))
                        })
                };
                if skipped > 0 {
                    if !void {
                        self.skipped
                            .set(if opens { skipped + 1 } else { skipped - 1 });
                    }
                } else if opens && skips() {
                    self.skipped.set(usize::from(!void));
                } else if !INLINE.contains(&name) {
                    self.out.borrow_mut().push(' ');
                }
                if opens {
                    return super::after_start_tag(name);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// `text` in the form both halves of the search compare: decomposed (NFD), accents and other
/// combining marks dropped, letters with no decomposition spelt in ASCII, lower case.
/// `search.js` folds the query with the same rules.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // ASCII is its own decomposition, and canonical reordering never moves a mark past it:
    // only the runs between ASCII characters go through NFD.
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        out.extend(
            rest[..ascii]
                .bytes()
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        rest = &rest[ascii..];
        let other = rest
            .bytes()
            .position(|b| b.is_ascii())
            .unwrap_or(rest.len());
        fold_decomposed(rest[..other].nfd(), &mut out);
        rest = &rest[other..];
    }
    out
}

fn fold_decomposed(chars: impl Iterator<Item = char>, out: &mut String) {
    for c in chars {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        match c {
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// Splits folded text into words as elasticlunr.js does (white space and `-`), without the
/// overlong ones; elasticlunr's pipeline then trims, drops stop words and stems.
fn tokenize(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|s| !s.is_empty() && s.len() <= MAX_TOKEN)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_hold_every_document_once_and_keep_them_as_others_come() {
        let sources = |urls: &[String]| -> Vec<(String, Source)> {
            (urls.iter().enumerate())
                .map(|(i, u)| (u.clone(), Source::Claim(i)))
                .collect()
        };
        let split_urls = |urls: &[String]| {
            let listed = sources(urls);
            let borrowed: Vec<(&str, Source)> =
                listed.iter().map(|(u, s)| (u.as_str(), *s)).collect();
            split(&borrowed, 30)
        };
        let urls: Vec<String> = (0..100).map(|i| format!("claims/c{i}.html")).collect();
        let parts = split_urls(&urls);
        assert_eq!(parts.len(), 4);
        let mut positions: Vec<usize> = parts.iter().flatten().map(|(n, _)| *n).collect();
        positions.sort_unstable();
        assert_eq!(positions, (0..100).collect::<Vec<_>>());
        assert!(parts.iter().all(|p| !p.is_empty()), "hashing spreads them");
        // In the documents' order within a part.
        assert!(parts.iter().all(|p| p.windows(2).all(|w| w[0].0 < w[1].0)));

        // One more document, in front: every other document stays in its part.
        let mut more = vec!["index.html".to_string()];
        more.extend(urls.iter().cloned());
        let again = split_urls(&more);
        let by_url = |parts: &[Vec<(usize, Source)>], urls: &[String]| -> Vec<Vec<String>> {
            (parts.iter())
                .map(|p| {
                    (p.iter())
                        .map(|(n, _)| urls[*n].clone())
                        .filter(|u| u != "index.html")
                        .collect()
                })
                .collect()
        };
        assert_eq!(by_url(&parts, &urls), by_url(&again, &more));
        assert_eq!(split(&[], 30).len(), 1, "an empty index is one part");
    }

    #[test]
    fn folding_drops_diacritics_and_case() {
        assert_eq!(fold("Šiauliai"), "siauliai");
        assert_eq!(fold("ZSP Niewiadów"), "zsp niewiadow");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Straße"), "strasse");
        // A mark written after an ASCII letter is dropped with the others.
        assert_eq!(fold("Cafe\u{301} Ñu"), "cafe nu");
    }

    proptest::proptest! {
        #[test]
        fn folding_in_runs_is_folding_the_whole(
            text in "[a-zA-Z0-9 .-]{0,3}([\u{300}-\u{36f}\u{591}-\u{5c7}\u{1dc0}-\u{1dff}ÅåŁłéÉßæÆœİı Ωﬁ㎏가][a-zA-Z .]{0,2}){0,12}"
        ) {
            let mut whole = String::new();
            fold_decomposed(text.nfd(), &mut whole);
            proptest::prop_assert_eq!(fold(&text), whole);
        }
    }

    #[test]
    fn tokens_split_on_space_and_dash() {
        assert_eq!(
            tokenize("Anti-personnel  mines\tŠiauliai"),
            ["anti", "personnel", "mines", "siauliai"]
        );
        assert!(tokenize(&"x".repeat(MAX_TOKEN + 1)).is_empty());
    }

    #[test]
    fn plain_text_separates_blocks_and_skips_markers() {
        // Markers as `partials/flags.html` draws them: a flag and a single-source mark.
        let html = "<h2>Border</h2><p>About <a href=\"x\">Kali</a>ningrad\
                    <sup class=\"fm fm-flag fm-conflict\"><a href=\"d.html#c\"><span class=\"fm-sign\" aria-hidden=\"true\">⚑</span><span class=\"vh\">flag </span>7<span class=\"vh\">: conflict</span></a></sup>, \
                    today<sup class=\"fm fm-mark fm-single-source\"><a href=\"d.html#l\"><span class=\"vh\">single source</span>◦</a></sup>.</p><ul><li>a</li><li>b</li></ul>";
        assert_eq!(plain_text(html), "Border About Kaliningrad, today. a b");
    }

    #[test]
    fn plain_text_skips_scripts_and_whole_markers_and_decodes_entities() {
        // A `<` in a script is not a tag; a marker's nested elements end with it; a void
        // element inside a marker does not end it early.
        let html = "<p>Tom&nbsp;&amp;&#32;Jerry<script>if (a<b) { x('</p>'); }</script> met\
                    <sup class=\"x fm\"><span>one<br><b>two</b></span></sup>d<br>later</p>\
                    <style>p { color: red }</style><img class=\"fm\" alt=\"\">again";
        assert_eq!(plain_text(html), "Tom & Jerry metd later again");
        assert_eq!(plain_text(""), "");
    }

    #[test]
    fn sentences_are_joined_with_full_stops() {
        let mut body = String::new();
        push_sentence(&mut body, "Kind: city");
        push_sentence(&mut body, "  ");
        push_sentence(&mut body, "Part of: Lithuania");
        assert_eq!(body, "Kind: city. Part of: Lithuania");
    }
}
