//! Markdown to HTML: inline references (resolved, at their ranges in the text) become links
//! and flags, fenced code is highlighted, and raw HTML is sanitised unless the briefing
//! trusts it.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};

use super::memo::{self, Derived};
use super::{Ctx, esc, flags, urls};
use crate::model::{Body, ResolvedRef, Target};

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

/// Renders `body` for a page whose root prefix is `root` (`""`, `"../"`). A discrepancy is
/// marked once per paragraph (or list item, heading, table cell): later references to it
/// there get no marker.
pub fn to_html(body: &Body, root: &str, ctx: &Ctx) -> String {
    let mut seen = flags::Seen::default();
    let mut current = 0;
    let html = render(body, |r, plain, block| {
        if block != current {
            seen.clear();
            current = block;
        }
        reference(r, plain, root, ctx, &mut seen)
    });
    let mut html = if ctx.model.config.trust_html {
        html
    } else {
        let input = || memo::digest(html.as_bytes());
        memo::kept(ctx.recorder, Derived::Sanitized, input, || {
            SANITIZER.clean(&html).to_string()
        })
    };
    // The views hold it until the last page that shows it is made: without spare capacity.
    html.shrink_to_fit();
    html
}

/// A digest of what [`plain_text`] reads: the body and the text each reference stands for.
pub fn plain_input(body: &Body, ctx: &Ctx) -> u128 {
    let mut input = xxhash_rust::xxh3::Xxh3::new();
    input.update(body.text.as_bytes());
    for r in &body.refs {
        let Event::Text(text) = reference(r, true, "", ctx, &mut flags::Seen::default()) else {
            continue;
        };
        for n in [r.range.start, r.range.end, text.len()] {
            input.update(&n.to_le_bytes());
        }
        input.update(text.as_bytes());
    }
    input.digest128()
}

/// `body` as plain text, references as their labels (for previews): no markup, no code
/// blocks or headings, blocks joined by spaces.
pub fn plain_text(body: &Body, ctx: &Ctx) -> String {
    let mut splice = Splice {
        text: body.text.as_str(),
        refs: &body.refs,
        next: 0,
        done: 0,
    };
    let mut out = String::new();
    let (mut code, mut heading) = (false, false);
    let mut seen = flags::Seen::default();
    for (event, range) in Parser::new_ext(&body.text, Body::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code = true,
            Event::End(TagEnd::CodeBlock) => code = false,
            Event::Start(Tag::Heading { .. }) => heading = true,
            Event::End(TagEnd::Heading(_)) => heading = false,
            Event::Text(t) if !code => {
                let mut events = Vec::new();
                splice.text(t, range, &mut events, |r| {
                    reference(r, true, "", ctx, &mut seen)
                });
                for e in events.into_iter().filter(|_| !heading) {
                    if let Event::Text(t) = e {
                        out.push_str(&t);
                    }
                }
            }
            Event::Code(t) if !heading => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `body` as HTML (not sanitised), each reference replaced by what `reference` makes of it
/// (`plain`: inside a link or an image's alt text, where only text may stand; then the
/// number of the block it stands in, which changes at the end of every paragraph, heading,
/// list item and table cell).
fn render(
    body: &Body,
    mut reference: impl FnMut(&ResolvedRef, bool, usize) -> Event<'static>,
) -> String {
    let text = body.text.as_str();
    let mut splice = Splice {
        text,
        refs: &body.refs,
        next: 0,
        done: 0,
    };
    let mut events: Vec<Event> = Vec::new();
    let mut code: Option<(String, String)> = None;
    let mut plain = 0usize;
    let mut block = 0usize;
    for (event, range) in Parser::new_ext(text, Body::options()).into_offset_iter() {
        match event {
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => {
                block += 1;
                events.push(event);
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                plain += 1;
                events.push(event);
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                plain = plain.saturating_sub(1);
                events.push(event);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(t) if code.is_some() => {
                if let Some((_, buf)) = code.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, buf)) = code.take() {
                    events.push(Event::Html(super::highlight::highlight(&buf, &lang).into()));
                }
            }
            Event::Text(t) => {
                splice.text(t, range, &mut events, |r| reference(r, plain > 0, block));
            }
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Puts a body's references in place of their text, walking its text events in order.
struct Splice<'b> {
    text: &'b str,
    refs: &'b [ResolvedRef],
    /// The next reference to place.
    next: usize,
    /// The body's text up to here is placed (the end of the last reference).
    done: usize,
}

impl<'b> Splice<'b> {
    /// One text event, whose source is `range` of the body.
    fn text(
        &mut self,
        text: CowStr<'b>,
        range: Range<usize>,
        events: &mut Vec<Event<'b>>,
        mut reference: impl FnMut(&ResolvedRef) -> Event<'static>,
    ) {
        let source = self.text.get(range.clone());
        let Some(source) = source.filter(|s| **s == *text) else {
            // An escape, an entity or a smart quote: its text is not its source, so it is a
            // reference's whole, or none of it.
            if range.start < self.done {
                return;
            }
            match self.refs.get(self.next) {
                Some(r) if r.range.start < range.end => {
                    events.push(reference(r));
                    self.done = r.range.end;
                    self.next += 1;
                }
                _ => events.push(Event::Text(text)),
            }
            return;
        };
        let mut at = range.start.max(self.done);
        while let Some(r) = self.refs.get(self.next)
            && r.range.start < range.end
        {
            let start = r.range.start.clamp(at, range.end);
            if let Some(before) = self.slice(at..start, &range, source) {
                events.push(Event::Text(before));
            }
            events.push(reference(r));
            at = at.max(r.range.end);
            self.done = at;
            self.next += 1;
        }
        if let Some(after) = self.slice(at..range.end, &range, source) {
            events.push(Event::Text(after));
        }
    }

    /// Bytes `part` of the body, inside a verbatim event `whole` whose text is `source`.
    fn slice(
        &self,
        part: Range<usize>,
        whole: &Range<usize>,
        source: &'b str,
    ) -> Option<CowStr<'b>> {
        if part.start >= part.end {
            return None;
        }
        let local = part.start.checked_sub(whole.start)?..part.end.checked_sub(whole.start)?;
        source.get(local).map(CowStr::Borrowed)
    }
}

/// The HTML of one reference, or where only text may stand (`plain`) its label; a claim's
/// markers unless the paragraph has them already (`seen`).
fn reference(
    r: &ResolvedRef,
    plain: bool,
    root: &str,
    ctx: &Ctx,
    seen: &mut flags::Seen,
) -> Event<'static> {
    let model = ctx.model;
    let label = r.label.as_deref();
    if plain {
        let text = match (label, r.target) {
            (Some(l), _) => l.to_string(),
            (None, Some(Target::Entity(e))) => model.entity(e).name.clone(),
            (None, Some(Target::Claim(c))) => model.display_value(&model.claim(c).value),
            (None, Some(Target::Note(n))) => model.notes[n].id.clone(),
            (None, None) => String::new(),
        };
        return Event::Text(CowStr::from(text));
    }
    let html = match r.target {
        Some(Target::Entity(e)) => {
            let entity = model.entity(e);
            format!(
                "<a class=\"ref ref-{}\" href=\"{root}{}\">{}</a>",
                model.kind(entity.kind).folder,
                esc(&model.entity_url(e)),
                esc(label.unwrap_or(&entity.name))
            )
        }
        Some(Target::Claim(c)) => {
            let value = model.display_value(&model.claim(c).value);
            format!(
                "<a class=\"ref ref-claim\" href=\"{root}{}\">{}</a>{}",
                esc(&model.claim_url(c)),
                esc(label.unwrap_or(&value)),
                flags::html(c, root, ctx, seen)
            )
        }
        Some(Target::Note(n)) => {
            let note = &model.notes[n];
            let label = label.or(note.title.as_deref()).unwrap_or(&note.id);
            format!(
                "<a class=\"ref ref-discrepancy\" href=\"{root}{}\">{}</a>",
                esc(&urls::note(model, ctx.analysis, n)),
                esc(label)
            )
        }
        // Reported by resolve; show the text the analyst wrote.
        None => esc(label.unwrap_or_default()),
    };
    Event::InlineHtml(CowStr::from(html))
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

    /// A body whose references are the given pieces of `text` (their first occurrences).
    fn body(text: &str, refs: &[&str]) -> Body {
        let refs = refs
            .iter()
            .map(|r| {
                let start = text.find(r).expect("in the text");
                ResolvedRef {
                    range: start..start + r.len(),
                    target: None,
                    label: Some(r.trim_matches(['[', ']']).to_string()),
                }
            })
            .collect();
        Body {
            text: text.to_string(),
            refs,
        }
    }

    /// The HTML with each reference as `<ref>label</ref>`, or `{label}` where it is plain.
    fn spliced(body: &Body) -> String {
        render(body, |r, plain, _| {
            let label = r.label.clone().unwrap_or_default();
            match plain {
                true => Event::Text(format!("{{{label}}}").into()),
                false => Event::InlineHtml(format!("<ref>{label}</ref>").into()),
            }
        })
    }

    #[test]
    fn references_are_spliced_in_multibyte_text() {
        let b = body("Žemė – “[[a]]” ąž [[b|x]]✓\n", &["[[a]]", "[[b|x]]"]);
        assert_eq!(
            spliced(&b),
            "<p>Žemė – “<ref>a</ref>” ąž <ref>b|x</ref>✓</p>\n"
        );
    }

    #[test]
    fn references_are_spliced_in_crlf_text() {
        let b = body(
            "Łódź\r\nthen [[a]]\r\n\r\n- ü [[b]]!\r\n",
            &["[[a]]", "[[b]]"],
        );
        assert_eq!(
            spliced(&b),
            "<p>Łódź\nthen <ref>a</ref></p>\n<ul>\n<li>ü <ref>b</ref>!</li>\n</ul>\n"
        );
    }

    #[test]
    fn escapes_and_entities_inside_a_reference_go_with_it() {
        let b = body(
            "| a |\n|---|\n| é [[x\\|y]] z |\n\n&#91;[e]] it's\n",
            &["[[x\\|y]]", "&#91;[e]]"],
        );
        let html = spliced(&b);
        assert!(html.contains("<td>é <ref>x\\|y</ref> z</td>"), "{html}");
        assert!(html.contains("<p><ref>&#91;[e</ref> it’s</p>"), "{html}");
    }

    #[test]
    fn references_in_links_are_plain_and_code_stays_literal() {
        let b = body(
            "[see [[a]]](x.html) `[[c]]` [[d]]\n\n```\n[[e]]\n```\n",
            &["[[a]]", "[[d]]"],
        );
        let html = spliced(&b);
        assert!(html.contains("<a href=\"x.html\">see {a}</a>"), "{html}");
        assert!(html.contains("<code>[[c]]</code> <ref>d</ref>"), "{html}");
        assert!(html.contains("[[e]]"), "{html}");
    }

    #[test]
    fn a_body_without_references_is_plain_markdown() {
        let b = body("*ä* & [[not resolved]]\n", &[]);
        assert_eq!(spliced(&b), "<p><em>ä</em> &amp; [[not resolved]]</p>\n");
    }
}
