//! The print view: the whole briefing as one document, `print/index.html`, in reading order
//! (cover, contents, overview, the four kinds of entities, discrepancies, timeline), for
//! `dossier pdf`. Every anchor is prefixed by its section, links to other pages of the site
//! become in-page links carrying a section number (`data-ref`) a paper reader can follow, and
//! ids that Markdown repeats across sections are made unique.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::views::{DiscrepancyView, EntityView};
use super::{Shared, TimelineEntry, entity_view, markdown, timeline};
use crate::model::{Details, EntityId, EntityKind};

/// Where the print view is written.
pub const URL: &str = "print/index.html";

#[derive(Serialize)]
struct Numbered<T> {
    number: String,
    anchor: String,
    #[serde(rename = "item")]
    inner: T,
}

#[derive(Serialize)]
struct KindSection<'a> {
    number: String,
    anchor: &'static str,
    title: &'static str,
    entities: Vec<Numbered<EntityView<'a>>>,
}

#[derive(Serialize)]
struct CoverSource {
    name: String,
    url: String,
    title: String,
    outlet: Option<String>,
    date: Option<String>,
}

#[derive(Serialize)]
struct Part<T> {
    number: String,
    items: Vec<T>,
}

/// A link target inside the print view.
struct Target {
    anchor: String,
    number: String,
}

/// Fills the template context of `print.html`.
pub(super) fn insert(s: &Shared, context: &mut tera::Context) {
    let model = s.ctx.model;
    let overview = model.pages.iter().find(|p| p.url == "index.html");
    context.insert(
        "overview_title",
        &overview.map_or("Overview", |p| p.title.as_str()),
    );
    context.insert(
        "overview_html",
        &overview.map(|p| markdown::to_html(&p.body, super::DEPTH1, s.ctx)),
    );
    context.insert("cover_sources", &cover_sources(s));
    let kinds = kind_sections(s);
    let mut next = 2 + kinds.len();
    let discs: Vec<Numbered<&DiscrepancyView>> = s
        .disc_views
        .iter()
        .enumerate()
        .map(|(i, d)| Numbered {
            number: format!("{next}.{}", i + 1),
            anchor: format!("discrepancies-{}", d.link.id),
            inner: d,
        })
        .collect();
    context.insert("kinds", &kinds);
    context.insert(
        "discrepancies",
        &Part {
            number: next.to_string(),
            items: discs,
        },
    );
    next += 1;
    let entries: Vec<TimelineEntry> = timeline(s);
    context.insert(
        "timeline",
        &Part {
            number: next.to_string(),
            items: entries,
        },
    );
    context.insert("running_head", &running_head(s));
}

fn kind_sections<'a>(s: &'a Shared) -> Vec<KindSection<'a>> {
    let mut sections = Vec::new();
    for kind in EntityKind::ALL {
        let ids = entities_of(s, kind);
        if ids.is_empty() {
            continue;
        }
        let number = (sections.len() + 2).to_string();
        let entities = ids
            .into_iter()
            .enumerate()
            .map(|(i, e)| Numbered {
                number: format!("{number}.{}", i + 1),
                anchor: format!("{}-{}", kind.folder(), s.ctx.model.entity(e).id),
                inner: entity_view(s, e),
            })
            .collect();
        sections.push(KindSection {
            number,
            anchor: kind.folder(),
            title: kind.plural(),
            entities,
        });
    }
    sections
}

/// The entities of a kind in the order their list page shows them.
fn entities_of(s: &Shared, kind: EntityKind) -> Vec<EntityId> {
    let model = s.ctx.model;
    let mut ids: Vec<EntityId> = (0..model.entities.len())
        .map(EntityId)
        .filter(|e| model.entity(*e).kind == kind)
        .collect();
    if kind != EntityKind::Source {
        ids.sort_by_key(|e| model.entity(*e).name.to_lowercase());
    }
    ids
}

fn cover_sources(s: &Shared) -> Vec<CoverSource> {
    let model = s.ctx.model;
    entities_of(s, EntityKind::Source)
        .into_iter()
        .filter_map(|e| match &model.entity(e).details {
            Details::Source(src) => Some(CoverSource {
                name: model.entity(e).name.clone(),
                url: model.entity_url(e),
                title: src.title.clone(),
                outlet: src.outlet.clone(),
                date: src.date.map(|d| d.long()),
            }),
            _ => None,
        })
        .collect()
}

/// The `@page` rules naming the briefing in the running header (not on the cover): a CSS
/// string cannot come from the document, so it is written into a `<style>` element.
fn running_head(s: &Shared) -> String {
    let config = &s.ctx.model.config;
    let date = config.date.map(|d| d.long()).unwrap_or_default();
    format!(
        "@page {{ @top-left {{ content: {}; }} @top-right {{ content: {}; }} }} \
         @page :first {{ @top-left {{ content: none; }} @top-right {{ content: none; }} }}",
        css_string(&config.title),
        css_string(&date)
    )
}

/// A CSS string literal that cannot end the string or the `<style>` element.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Rewrites the rendered print view: links to pages it contains become in-page links, and
/// repeated ids are made unique.
pub(super) fn finish(html: &str, s: &Shared) -> String {
    unique_ids(&in_page_links(html, &targets(s)))
}

/// Site URL (relative to the root, with or without `#fragment`) to its place in the view.
fn targets(s: &Shared) -> HashMap<String, Target> {
    let model = s.ctx.model;
    let mut map = HashMap::new();
    let mut add = |url: String, anchor: String, number: String| {
        map.insert(url, Target { anchor, number });
    };
    add("index.html".into(), "overview".into(), "1".into());
    for (k, kind) in EntityKind::ALL
        .into_iter()
        .filter(|k| !entities_of(s, *k).is_empty())
        .enumerate()
    {
        let section = k + 2;
        add(
            format!("{}/index.html", kind.folder()),
            kind.folder().into(),
            section.to_string(),
        );
        for (i, e) in entities_of(s, kind).into_iter().enumerate() {
            let number = format!("{section}.{}", i + 1);
            let anchor = format!("{}-{}", kind.folder(), model.entity(e).id);
            for c in &model.claims_about[e.0] {
                let claim = &model.claim(*c).id;
                add(
                    model.claim_url(*c),
                    format!("claims-{claim}"),
                    number.clone(),
                );
            }
            add(model.entity_url(e), anchor, number);
        }
    }
    let discs = 2 + EntityKind::ALL
        .iter()
        .filter(|k| !entities_of(s, **k).is_empty())
        .count();
    add(
        "discrepancies/index.html".into(),
        "discrepancies".into(),
        discs.to_string(),
    );
    for (i, d) in s.disc_views.iter().enumerate() {
        let url = format!("discrepancies/index.html#{}", d.link.id);
        add(
            url,
            format!("discrepancies-{}", d.link.id),
            format!("{discs}.{}", i + 1),
        );
    }
    add(
        "timeline/index.html".into(),
        "timeline".into(),
        (discs + 1).to_string(),
    );
    map
}

/// `href="../URL"` to `href="#ANCHOR" data-ref="§N"` for every URL the view contains.
fn in_page_links(html: &str, targets: &HashMap<String, Target>) -> String {
    const PREFIX: &str = "href=\"../";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(PREFIX) {
        out.push_str(&rest[..at]);
        let after = &rest[at + PREFIX.len()..];
        let Some(end) = after.find('"') else {
            rest = &rest[at..];
            break;
        };
        let url = after[..end].replace("&amp;", "&");
        let target = targets
            .get(&url)
            .or_else(|| targets.get(url.split('#').next().unwrap_or("")));
        match target {
            Some(t) => {
                let _ = write!(out, "href=\"#{}\" data-ref=\"§{}\"", t.anchor, t.number);
            }
            None => out.push_str(&rest[at..at + PREFIX.len() + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Renames the second and later elements with the same id (`x` becomes `x-2`), pointing each
/// `href="#x"` at the nearest such element after it (as a footnote reference precedes its note).
fn unique_ids(html: &str) -> String {
    const ID: &str = " id=\"";
    let ids = attribute_values(html, ID);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    // For each repeated id: (position, new name) of each occurrence.
    let mut renamed: Vec<(usize, usize, String)> = Vec::new();
    let mut places: HashMap<&str, Vec<(usize, String)>> = HashMap::new();
    for (pos, value) in &ids {
        let n = seen.entry(value).or_insert(0);
        *n += 1;
        let name = if *n == 1 {
            (*value).to_string()
        } else {
            format!("{value}-{n}")
        };
        if *n > 1 {
            renamed.push((*pos, value.len(), name.clone()));
        }
        places.entry(value).or_default().push((*pos, name));
    }
    places.retain(|_, v| v.len() > 1);
    if places.is_empty() {
        return html.to_string();
    }
    let mut edits = renamed;
    for (pos, value) in attribute_values(html, " href=\"#") {
        if let Some(list) = places.get(value) {
            let chosen = list
                .iter()
                .find(|(p, _)| *p > pos)
                .or_else(|| list.last())
                .map(|(_, name)| name.clone());
            if let Some(name) = chosen.filter(|n| n != value) {
                edits.push((pos, value.len(), name));
            }
        }
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(html.len() + edits.len() * 4);
    let mut last = 0;
    for (pos, len, name) in edits {
        out.push_str(&html[last..pos]);
        out.push_str(&name);
        last = pos + len;
    }
    out.push_str(&html[last..]);
    out
}

/// (byte offset, value) of every attribute value that follows `prefix` (which ends in `"`).
fn attribute_values<'h>(html: &'h str, prefix: &str) -> Vec<(usize, &'h str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find(prefix) {
        let start = from + at + prefix.len();
        let Some(len) = html[start..].find('"') else {
            break;
        };
        found.push((start, &html[start..start + len]));
        from = start + len;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_contained_pages_become_anchors() {
        let mut targets = HashMap::new();
        targets.insert(
            "countries/x.html".to_string(),
            Target {
                anchor: "countries-x".into(),
                number: "2.1".into(),
            },
        );
        let html = r#"<a href="../countries/x.html">X</a> <a href="../pages/y.html">Y</a>"#;
        assert_eq!(
            in_page_links(html, &targets),
            r##"<a href="#countries-x" data-ref="§2.1">X</a> <a href="../pages/y.html">Y</a>"##
        );
    }

    #[test]
    fn repeated_ids_are_renamed_and_followed() {
        let html = r##"<a href="#1">a</a><p id="1"></p><a href="#1">b</a><p id="1"></p>"##;
        assert_eq!(
            unique_ids(html),
            r##"<a href="#1">a</a><p id="1"></p><a href="#1-2">b</a><p id="1-2"></p>"##
        );
    }

    #[test]
    fn css_strings_cannot_escape() {
        assert_eq!(css_string("a\"</style>"), "\"a\\22 \\3c /style\\3e \"");
    }
}
