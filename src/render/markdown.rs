//! Markdown to HTML: inline references become links and flags, fenced code is highlighted,
//! and raw HTML is sanitised unless the briefing trusts it.

use std::borrow::Cow;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};

use super::{Ctx, esc};
use crate::model::Target;
use crate::parse::markdown::{RefKind, options, scan_refs};

/// Put before every id the analyst's Markdown or HTML sets (`<span id>`, `## T {#id}`,
/// footnotes), as GitHub puts `user-content-`. Dossier's own anchors are made of lowercase
/// letters, digits and dashes (fixed words and valid ids), so no prefixed id can equal one,
/// whatever the analyst writes.
const USER_ID_PREFIX: &str = "user_";

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes([
        "class",
        "id",
        "title",
        "aria-label",
        "aria-hidden",
        "data-lang",
    ])
    .add_tags([
        "mark",
        "span",
        "sup",
        "sub",
        "abbr",
        "figure",
        "figcaption",
        "details",
        "summary",
    ])
    .link_rel(None)
    .attribute_filter(prefix_user_ids);
    b
});

/// Prefixes every id, and every in-page link (`href="#x"`) of the same Markdown to match, so
/// those links keep working. Not ammonia's `id_prefix`: it leaves an id that already starts
/// with the prefix alone, so `x` and `user_x` would both become `user_x`. Links to an id of
/// another page are left as written: they must name the prefixed id, and `dossier check`
/// reports those that do not.
fn prefix_user_ids<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match (element, attribute) {
        (_, "id") => Some(Cow::Owned(format!("{USER_ID_PREFIX}{value}"))),
        ("a", "href") if value.len() > 1 && value.starts_with('#') => {
            Some(Cow::Owned(format!("#{USER_ID_PREFIX}{}", &value[1..])))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Renders `body` for a page whose root prefix is `root` (`""`, `"../"`).
pub fn to_html(body: &str, root: &str, ctx: &Ctx) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut pending = String::new();
    let mut code: Option<(String, String)> = None;
    // Inside a link or an image's alt text a reference can only be plain text.
    let mut plain = 0usize;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                flush(&mut pending, &mut events, root, ctx, plain > 0);
                plain += 1;
                events.push(event);
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                flush(&mut pending, &mut events, root, ctx, plain > 0);
                plain = plain.saturating_sub(1);
                events.push(event);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                flush(&mut pending, &mut events, root, ctx, plain > 0);
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(text) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, buf)) = code.take() {
                    events.push(Event::Html(super::highlight::highlight(&buf, &lang).into()));
                }
            }
            Event::Text(text) => pending.push_str(&text),
            other => {
                flush(&mut pending, &mut events, root, ctx, plain > 0);
                events.push(other);
            }
        }
    }
    flush(&mut pending, &mut events, root, ctx, plain > 0);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if ctx.model.config.trust_html {
        html
    } else {
        SANITIZER.clean(&html).to_string()
    }
}

/// Emits a run of text, with its inline references turned into HTML (or, where only text may
/// stand, into their label).
fn flush(pending: &mut String, events: &mut Vec<Event>, root: &str, ctx: &Ctx, plain: bool) {
    if pending.is_empty() {
        return;
    }
    let text = std::mem::take(pending);
    let mut last = 0;
    for found in scan_refs(&text) {
        // Malformed references were reported by the parse stage; leave their text as is.
        let Ok(spec) = found else { continue };
        events.push(Event::Text(CowStr::from(
            text[last..spec.range.start].to_string(),
        )));
        let target = ctx.model.index.get(&spec.id).copied();
        if plain {
            let label = spec.label.clone().unwrap_or_else(|| match target {
                Some(Target::Entity(e)) => ctx.model.entity(e).name.clone(),
                Some(Target::Claim(c)) => ctx.model.display_value(&ctx.model.claim(c).value),
                _ => spec.id.clone(),
            });
            events.push(Event::Text(CowStr::from(label)));
            last = spec.range.end;
            continue;
        }
        let html = match (spec.kind, target) {
            (RefKind::Entity, Some(Target::Entity(e))) => {
                let entity = ctx.model.entity(e);
                let label = spec.label.as_deref().unwrap_or(&entity.name);
                format!(
                    "<a class=\"ref ref-{}\" href=\"{root}{}\">{}</a>",
                    entity.kind.folder(),
                    esc(&ctx.model.entity_url(e)),
                    esc(label)
                )
            }
            (RefKind::Claim, Some(Target::Claim(c))) => {
                let claim = ctx.model.claim(c);
                let value = ctx.model.display_value(&claim.value);
                let label = spec.label.as_deref().unwrap_or(&value);
                format!(
                    "<a class=\"ref ref-claim\" href=\"{root}{}\">{}</a>{}",
                    esc(&ctx.model.claim_url(c)),
                    esc(label),
                    super::flags_html(c, root, ctx)
                )
            }
            (RefKind::Discrepancy, Some(Target::Note(n))) => {
                let note = &ctx.model.notes[n];
                let disc = ctx.analysis.by_note[n];
                let label = spec
                    .label
                    .as_deref()
                    .or(note.title.as_deref())
                    .unwrap_or(&note.id);
                let anchor = disc.map_or(note.id.as_str(), |d| {
                    ctx.analysis.discrepancies[d].id.as_str()
                });
                format!(
                    "<a class=\"ref ref-discrepancy\" href=\"{root}discrepancies/index.html#{}\">{}</a>",
                    esc(anchor),
                    esc(label)
                )
            }
            // Unknown targets were reported by resolve; show the text the analyst wrote.
            _ => esc(spec.label.as_deref().unwrap_or(&spec.id)),
        };
        events.push(Event::InlineHtml(CowStr::from(html)));
        last = spec.range.end;
    }
    events.push(Event::Text(CowStr::from(text[last..].to_string())));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_and_their_in_page_links_are_prefixed() {
        let html = SANITIZER.clean(
            "<h2 id=\"main\">T</h2><span id=\"user_main\">x</span>\
             <a href=\"#main\">a</a><a href=\"#\">b</a><a href=\"other.html#main\">c</a>",
        );
        assert_eq!(
            html.to_string(),
            "<h2 id=\"user_main\">T</h2><span id=\"user_user_main\">x</span>\
             <a href=\"#user_main\">a</a><a href=\"#\">b</a><a href=\"other.html#main\">c</a>"
        );
    }
}
