//! The print view: the whole briefing as one document, `print/index.html`, in reading order
//! (cover, contents, overview, discrepancies, a section per kind of entity, timeline, and an
//! annex that lists every claim once), for `dossier pdf`. It borrows the shared views; every place it contains has an anchor and a
//! section number ([`anchors`]), and its links to those places are in-page links carrying
//! the number (`data-ref`) a paper reader can follow, resolved as the view is built.

mod anchors;
mod fragment;
mod parts;

use std::borrow::Cow;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use super::charts::{self, Agreement};
use super::context::{Base, LegendEntry};
use super::flags::{self, Place};
use super::memo::{Derived, Recorder};
use super::shared::Views;
use super::urls::{self, Route};
use super::views::{self, GradeView, Href};
use super::{jobs, timeline};
use crate::analyse::Severity;
use crate::model::{Body, ClaimId, Details, EntityKind, Model, Target};
use anchors::Anchors;
use fragment::Fragments;
use parts::{Numbered, Part, PrintClaim, PrintDiscLink, PrintDiscrepancy, PrintEntity, Under};

/// The context of `print.html`.
#[derive(Serialize)]
pub struct PrintContext<'a> {
    /// `root` is empty: the view's links are in-page (`#anchor`).
    #[serde(flatten)]
    pub base: Base<'a>,
    /// The prefix from this page to the site's files (its stylesheets).
    pub assets: Cow<'a, str>,
    pub overview_title: &'a str,
    pub overview_html: Option<String>,
    /// The discrepancies the overview marks, in the order it first marks them, written out
    /// (`partials/notes.html`).
    pub overview_notes: Vec<PrintDiscLink<'a>>,
    /// The sources, in list order.
    pub cover_sources: Vec<CoverSource<'a>>,
    /// A section per kind of entity the briefing has, numbered from 2.
    pub kinds: Vec<KindSection<'a>>,
    /// Flags first, then marks, then the dismissed, each drawn by
    /// `partials/print-discrepancy.html`.
    pub discrepancies: Part<'a, Placed<'a>>,
    /// Every outcome, for the legend (`#legend`) in the discrepancies section.
    pub legend: Vec<LegendEntry>,
    pub timeline: Part<'a, PrintDay<'a>>,
    /// Every claim once, by subject, in the order of the entity sections, each subject drawn
    /// by `partials/print-annex.html`.
    pub annex: Part<'a, Placed<'a>>,
    /// The source-agreement matrix (`partials/agreement.html`), its rows linking to the
    /// discrepancies in the view.
    pub agreement: Option<Agreement<'a>>,
    /// The timeline chart (inline SVG), or empty.
    pub timeline_svg: String,
    /// CSS `@page` rules naming the briefing in the running header.
    pub running_head: String,
    /// Whether the analyst graded a source (then the sources section explains the scale).
    pub graded: bool,
}

/// The section of one kind of entity.
#[derive(Serialize)]
pub struct KindSection<'a> {
    /// The kind's key (`country`, `source`).
    pub kind: &'a str,
    pub number: &'a str,
    pub anchor: &'a str,
    /// `Countries`, `People`, ...
    pub title: &'a str,
    /// Each drawn by `partials/print-entity.html`.
    pub entities: Vec<Placed<'a>>,
}

/// An item of the print view drawn by a partial of its own, with a context of its own (`root`
/// and the item as `entry`, `e` or `g`: what the loop of `print.html` once called it):
/// `number`, `anchor`, `item.title` (for the contents) and its `html`. Drawn one at a time, in
/// parallel, so no context of the whole briefing is ever held; `html` is a placeholder that
/// [`Drawn::pieces`] replaces once `print.html` is rendered, so the drawn HTML is never
/// copied into Tera's context nor through its output.
#[derive(Serialize)]
pub struct Placed<'a> {
    pub number: &'a str,
    pub anchor: &'a str,
    pub item: Heading,
    pub html: String,
}

#[derive(Serialize)]
pub struct Heading {
    pub title: String,
}

/// The items drawn by their partials, in order, and the placeholder that stands for each in
/// `print.html`'s context: an HTML comment with a number no briefing can guess (user text is
/// escaped or sanitised, and the sanitiser drops comments).
struct Drawn<'r> {
    prefix: String,
    parts: Vec<String>,
    /// Keeps each part for the next build, by its template and context.
    recorder: Option<&'r Recorder<'r>>,
}

impl<'r> Drawn<'r> {
    fn new(recorder: Option<&'r Recorder<'r>>) -> Self {
        use std::hash::{BuildHasher, Hasher};
        let nonce = std::hash::RandomState::new().build_hasher().finish();
        Drawn {
            prefix: format!("<!--dossier-print-part:{nonce:016x}:"),
            parts: Vec::new(),
            recorder,
        }
    }

    /// Draws each of `items` with `template`, the item named `name` in its context.
    fn place<'a, T: Serialize + Send>(
        &mut self,
        tera: &tera::Tera,
        template: &str,
        name: &'static str,
        items: Vec<Numbered<'a, T>>,
        title: impl Fn(&T) -> &str + Sync,
    ) -> Result<Vec<Placed<'a>>, tera::Error> {
        let drawn: Vec<(Placed<'a>, String)> = items
            .into_par_iter()
            .map(|n| {
                let draw = || {
                    let mut context = tera::Context::new();
                    context.insert("root", "");
                    context.insert(name, &n);
                    tera.render(template, &context)
                };
                let input =
                    (self.recorder).and_then(|r| Some((r, r.page_input(template, &(name, &n))?)));
                let html = match input {
                    Some((r, input)) => r.derive_by(Derived::PrintPart, input, draw)?,
                    None => draw()?,
                };
                let placed = Placed {
                    number: n.number,
                    anchor: n.anchor,
                    item: Heading {
                        title: title(&n.item).to_string(),
                    },
                    html: String::new(),
                };
                Ok((placed, html))
            })
            .collect::<Result<_, tera::Error>>()?;
        Ok((drawn.into_iter())
            .map(|(mut placed, html)| {
                placed.html = format!("{}{}-->", self.prefix, self.parts.len());
                self.parts.push(html);
                placed
            })
            .collect())
    }

    /// `frame` (`print.html` rendered) with each placeholder replaced by its item's HTML, as
    /// pieces to write in order: the frame between the placeholders and the items, each moved
    /// here, never copied into one string with the rest.
    fn pieces(mut self, frame: &str) -> Vec<String> {
        let mut pieces: Vec<String> = Vec::with_capacity(2 * self.parts.len() + 1);
        // Where each item went among the pieces: a placeholder the frame repeats (a template
        // may draw an item twice) gets a copy of it.
        let mut moved: Vec<Option<usize>> = vec![None; self.parts.len()];
        let mut text = String::new();
        let mut rest = frame;
        while let Some(at) = rest.find(&self.prefix) {
            text.push_str(&rest[..at]);
            let after = &rest[at + self.prefix.len()..];
            let part = after.find("-->").and_then(|end| {
                let i: usize = after[..end].parse().ok()?;
                (i < self.parts.len()).then_some((end, i))
            });
            let Some((end, i)) = part else {
                text.push_str(&self.prefix);
                rest = after;
                continue;
            };
            if !text.is_empty() {
                pieces.push(std::mem::take(&mut text));
            }
            let html = match moved[i] {
                Some(piece) => pieces[piece].clone(),
                None => std::mem::take(&mut self.parts[i]),
            };
            moved[i] = Some(pieces.len());
            pieces.push(html);
            rest = &after[end + 3..];
        }
        text.push_str(rest);
        pieces.push(text);
        pieces
    }
}

/// A source as the cover lists it.
#[derive(Serialize)]
pub struct CoverSource<'a> {
    pub name: &'a str,
    #[serde(flatten)]
    pub href: Href<'a>,
    pub title: &'a str,
    pub outlet: Option<&'a str>,
    pub date: Option<String>,
    pub grade: Option<GradeView>,
}

/// The claims about one subject, in the annex.
#[derive(Serialize)]
pub struct AnnexGroup<'a> {
    /// The subject's name and its section.
    pub name: &'a str,
    #[serde(flatten)]
    pub href: Href<'a>,
    pub claims: Vec<&'a PrintClaim<'a>>,
}

/// A date of the timeline and how many claims refer to it (the claims themselves are printed
/// once, in the annex: a second copy in the template's context cost a third of its memory).
#[derive(Serialize)]
pub struct PrintDay<'a> {
    pub when: &'a str,
    pub claims: usize,
}

/// Renders the print view with `base` (the page's own), in pieces to write in order
/// ([`Drawn::pieces`]).
pub fn render(v: &Views, mut base: Base) -> Result<Vec<String>, tera::Error> {
    let ctx = v.core.ctx;
    let model = ctx.model;
    let anchors = Anchors::build(model, ctx.analysis);
    let mut fragments = Fragments::new(&anchors);
    let overview_root = Route::Overview.root(model);
    let overview_html =
        (v.overview_html.as_deref()).map(|h| fragments.relink_from(h, &overview_root));
    // Markdown fragments are adjusted in reading order (their ids are made unique in it):
    // the overview, each entity's summary and its claims' notes, the discrepancies' notes.
    let mut summaries = Vec::new();
    for plan in &anchors.kinds {
        for e in &plan.entities {
            let view = &v.entities[e.0];
            summaries.push((view.summary_html.as_deref()).map(|h| fragments.relink(h)));
        }
    }
    let mut claims: Vec<Option<PrintClaim>> = (0..model.claims.len()).map(|_| None).collect();
    for e in &anchors.annex {
        for c in &model.claims_about[e.0] {
            claims[c.0] = Some(claim(v, *c, &anchors, &mut fragments)?);
        }
    }
    let mut discrepancies = Part {
        number: anchors.number(urls::DISCREPANCIES),
        items: (ctx.analysis.display_order.iter().copied())
            .map(|d| &v.core.disc_views[d])
            .map(|d| Numbered {
                number: anchors.number(&d.link.url),
                anchor: anchors.id(&d.link.url),
                item: PrintDiscrepancy::new(d, &anchors, &mut fragments),
            })
            .collect(),
    };
    // A note on several discrepancies is printed under the first of them.
    let mut printed: std::collections::HashMap<&str, Under> = std::collections::HashMap::new();
    for entry in &mut discrepancies.items {
        let here = Under {
            number: entry.item.number,
            href: Href {
                url: format!("#{}", entry.anchor).into(),
                number: Some(entry.number),
            },
        };
        for note in &mut entry.item.notes {
            match printed.get(note.id) {
                Some(first) => {
                    note.under = Some(first.clone());
                    note.html = None;
                }
                None => {
                    printed.insert(note.id, here.clone());
                }
            }
        }
    }
    let mut previous = None;
    for entry in &mut discrepancies.items {
        let severity = entry.item.severity;
        if previous != Some(severity) {
            entry.item.group = Some(match severity {
                Some(Severity::Flag) => "Disagreements",
                Some(Severity::Mark) => "Soft findings",
                None => "Dismissed by the analyst",
            });
        }
        previous = Some(severity);
    }
    let timeline = Part {
        number: anchors.number(urls::TIMELINE),
        items: (v.timeline.iter())
            .map(|t| PrintDay {
                when: &t.when,
                claims: t.claims.len(),
            })
            .collect(),
    };
    let tera = v.core.tera;
    let mut drawn = Drawn::new(v.core.ctx.recorder);
    let discrepancies = Part {
        number: discrepancies.number,
        items: drawn.place(
            tera,
            "partials/print-discrepancy.html",
            "entry",
            discrepancies.items,
            |d| d.title,
        )?,
    };
    let annex = Part {
        number: anchors.number(anchors::ANNEX),
        items: (anchors.annex.iter())
            .map(|e| {
                let url = anchors::annex_url(model, *e);
                Numbered {
                    number: anchors.number(&url),
                    anchor: anchors.id(&url),
                    item: AnnexGroup {
                        name: &v.entities[e.0].name,
                        href: anchors.href(&v.entities[e.0].url),
                        claims: (model.claims_about[e.0].iter())
                            .filter_map(|c| claims[c.0].as_ref())
                            .collect(),
                    },
                }
            })
            .collect(),
    };
    let annex = Part {
        number: annex.number,
        items: drawn.place(tera, "partials/print-annex.html", "g", annex.items, |g| {
            g.name
        })?,
    };
    drop(claims);
    let assets = base.root.clone();
    base.root = Cow::Borrowed("");
    let context = PrintContext {
        base,
        assets,
        overview_title: (v.overview).map_or("Overview", |p| model.pages[p.0].title.as_str()),
        overview_html,
        overview_notes: (v.overview)
            .map(|p| notes(v, &anchors, marked(v, &model.pages[p.0].body)))
            .unwrap_or_default(),
        cover_sources: cover_sources(model, &anchors),
        kinds: kind_sections(v, &anchors, summaries, &mut drawn)?,
        discrepancies,
        legend: jobs::legend(),
        timeline,
        annex,
        agreement: charts::agreement(ctx, &v.core.discs, &ctx.analysis.display_order, |l| {
            anchors.href(&l.url)
        }),
        timeline_svg: charts::timeline(&timeline::moments(&v.timeline)),
        running_head: running_head(model),
        graded: jobs::graded(model),
    };
    let frame = tera.render("print.html", &tera::Context::from_serialize(&context)?)?;
    Ok(drawn.pieces(&frame))
}

/// Claim `c` as the view shows it, its flags linking to places in the view.
fn claim<'a>(
    v: &'a Views,
    c: ClaimId,
    anchors: &'a Anchors,
    fragments: &mut Fragments,
) -> Result<PrintClaim<'a>, tera::Error> {
    let core = v.core;
    let ctx = core.ctx;
    let href = |place| match place {
        Place::Discrepancy(d) => anchors.href(&core.discs[d].url),
        Place::Claim(c) => anchors.href(&core.claims[c.0].url),
        Place::Legend => anchors.href(flags::LEGEND),
    };
    let flags = flags::context(ctx, c, &core.flags[c.0], &ctx.analysis.numbers, "", &href);
    let html = flags::render(core.tera, &flags)?;
    Ok(PrintClaim::new(&core.claims[c.0], html, anchors, fragments))
}

fn kind_sections<'a>(
    v: &'a Views,
    anchors: &'a Anchors,
    summaries: Vec<Option<String>>,
    drawn: &mut Drawn,
) -> Result<Vec<KindSection<'a>>, tera::Error> {
    let model = v.core.ctx.model;
    let mut summaries = summaries.into_iter();
    let mut sections = Vec::new();
    for plan in &anchors.kinds {
        let list = urls::kind(model, plan.kind);
        let entities = (plan.entities.iter())
            .map(|e| {
                let view = &v.entities[e.0];
                let summary = summaries.next().flatten();
                let model = v.core.ctx.model;
                // Listed by title: the discrepancies section, before, has them in full.
                let summary_marks = (model.entity(*e).summary)
                    .map(|p| marked(v, &model.pages[p.0].body))
                    .unwrap_or_default();
                let involved = v.core.ctx.analysis.by_entity[e.0].iter().copied();
                let notes = notes(v, anchors, summary_marks.into_iter().chain(involved));
                Numbered {
                    number: anchors.number(&view.url),
                    anchor: anchors.id(&view.url),
                    item: PrintEntity::new(view, summary, notes, anchors),
                }
            })
            .collect();
        sections.push(KindSection {
            kind: &model.kind(plan.kind).key,
            number: anchors.number(&list),
            anchor: anchors.id(&list),
            title: &model.kind(plan.kind).plural,
            entities: drawn.place(
                v.core.tera,
                "partials/print-entity.html",
                "e",
                entities,
                |e| e.name,
            )?,
        });
    }
    Ok(sections)
}

/// The discrepancies `body`'s claims are marked with, in order (with repeats).
fn marked(v: &Views, body: &Body) -> Vec<usize> {
    (body.refs.iter())
        .filter_map(|r| match r.target {
            Some(Target::Claim(c)) => v.core.flags.get(c.0),
            _ => None,
        })
        .flatten()
        .flat_map(|g| g.discs.iter().copied())
        .collect()
}

/// Discrepancies `discs` (indices, repeats dropped) as a section's notes.
fn notes<'a>(
    v: &'a Views,
    anchors: &'a Anchors,
    discs: impl IntoIterator<Item = usize>,
) -> Vec<PrintDiscLink<'a>> {
    let ctx = v.core.ctx;
    let mut seen = std::collections::HashSet::new();
    (discs.into_iter())
        .filter(|d| seen.insert(*d))
        .filter_map(|d| {
            let view = v.core.disc_views.get(d)?;
            let detail = flags::readings_text(ctx.analysis.discrepancies.get(d)?, ctx);
            Some(PrintDiscLink::new(view, detail, anchors))
        })
        .collect()
}

fn cover_sources<'a>(model: &'a Model, anchors: &'a Anchors) -> Vec<CoverSource<'a>> {
    views::list_order(model, EntityKind::Source)
        .into_iter()
        .filter_map(|e| match &model.entity(e).details {
            Details::Source(src) => Some(CoverSource {
                name: &model.entity(e).name,
                href: anchors.href(&urls::entity(model, e)),
                title: &src.title,
                outlet: src.outlet.as_deref(),
                date: src.date.map(|d| d.long()),
                grade: src.grade.map(GradeView::from),
            }),
            _ => None,
        })
        .collect()
}

/// The `@page` rules naming the briefing in the running header (not on the cover): a CSS
/// string cannot come from the document, so it is written into a `<style>` element.
fn running_head(model: &Model) -> String {
    let config = &model.config;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawn_parts_replace_their_placeholders_only() {
        let mut drawn = Drawn::new(None);
        drawn.parts = vec!["<p>one</p>".into(), "<p>two</p>".into()];
        let marker = |i: usize| format!("{}{i}-->", drawn.prefix);
        let frame = format!(
            "<main>{}{}{}, {}99-->, <!--dossier-print-part:0:0--></main>",
            marker(1),
            marker(0),
            marker(1),
            drawn.prefix
        );
        let prefix = drawn.prefix.clone();
        let pieces = drawn.pieces(&frame);
        assert_eq!(
            pieces.concat(),
            format!(
                "<main><p>two</p><p>one</p><p>two</p>, {prefix}99-->, <!--dossier-print-part:0:0--></main>"
            )
        );
        // Each item a piece of its own, between the frame's.
        assert_eq!(
            pieces[..4],
            ["<main>", "<p>two</p>", "<p>one</p>", "<p>two</p>"]
        );
        assert_eq!(pieces.len(), 5);
    }

    #[test]
    fn css_strings_cannot_escape() {
        assert_eq!(css_string("a\"</style>"), "\"a\\22 \\3c /style\\3e \"");
    }
}
