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
use super::memo::Derived;
use super::shared::Views;
use super::site::Out;
use super::urls::{self, Route};
use super::views::{self, GradeView, Href};
use super::{jobs, timeline};
use crate::analyse::Severity;
use crate::error::Error;
use crate::model::{Body, ClaimId, Details, EntityId, EntityKind, Model, Target};
use anchors::Anchors;
use fragment::Fragments;
use parts::{
    Numbered, Part, PrintClaim, PrintDiscLink, PrintDiscrepancy, PrintEntity, PrintNote, Under,
};
use rustc_hash::FxHashMap;

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
/// `number`, `anchor`, `item.title` (for the contents) and its `html`. `html` is a placeholder
/// that [`Stream`] replaces with the item drawn, a few at a time as the file is written, so
/// no context of the whole briefing and no drawn HTML but a few items' is ever held.
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

/// What a placeholder stands for.
#[derive(Clone, Copy)]
enum Item {
    /// The discrepancy at this position of the display order.
    Discrepancy(usize),
    Entity(EntityId),
    /// The claims about this entity.
    Annex(EntityId),
}

/// An item's context, ready to draw.
enum Drawable<'a> {
    Discrepancy(Numbered<'a, PrintDiscrepancy<'a>>),
    Entity(Numbered<'a, PrintEntity<'a>>),
    Annex(Numbered<'a, AnnexGroup<'a>>),
}

/// Items drawn at once, in parallel, while the file is written.
const CHUNK: usize = 128;

/// A piece of the frame: its own text, or the item a placeholder stands for.
#[derive(Debug, PartialEq)]
enum Segment<'f> {
    Text(&'f str),
    Item(usize),
}

/// The segments of `frame` from byte `at`, up to and including the `max`-th placeholder
/// (one that stands for one of `items` items; anything else is text), and where they end.
fn segments<'f>(
    frame: &'f str,
    prefix: &str,
    items: usize,
    mut at: usize,
    max: usize,
) -> (Vec<Segment<'f>>, usize) {
    let mut out = Vec::new();
    let mut text = at;
    let mut placed = 0;
    while placed < max {
        let Some(found) = frame[at..].find(prefix) else {
            at = frame.len();
            break;
        };
        let after = at + found + prefix.len();
        let item = frame[after..].find("-->").and_then(|end| {
            let i: usize = frame[after..after + end].parse().ok()?;
            (i < items).then_some((after + end + 3, i))
        });
        let Some((end, i)) = item else {
            at = after;
            continue;
        };
        if text < at + found {
            out.push(Segment::Text(&frame[text..at + found]));
        }
        out.push(Segment::Item(i));
        placed += 1;
        (at, text) = (end, end);
    }
    if placed < max && text < frame.len() {
        out.push(Segment::Text(&frame[text..]));
        at = frame.len();
    }
    (out, at)
}

/// The print view as it is written: the frame (`print.html` rendered with a placeholder for
/// each item: an HTML comment with a number no briefing can guess, since user text is escaped
/// or sanitised and the sanitiser drops comments) in order, each placeholder replaced by its
/// item, drawn [`CHUNK`] at a time. Markdown fragments are adjusted ([`Fragments`]) in the
/// order the view shows them (an item the frame names twice is drawn twice).
struct Stream<'a> {
    v: &'a Views<'a>,
    anchors: &'a Anchors,
    fragments: Fragments<'a>,
    items: Vec<Item>,
    /// Where each note is printed: under the first discrepancy it is on, by position.
    under: FxHashMap<&'a str, (usize, Under<'a>)>,
    /// The heading of the group each discrepancy begins, if it begins one.
    groups: Vec<Option<&'static str>>,
    prefix: String,
    frame: String,
    /// How far into the frame the pieces made so far reach.
    at: usize,
    ready: std::collections::VecDeque<String>,
    /// The first template error: the stream ends there.
    error: Option<tera::Error>,
}

impl<'a> Iterator for Stream<'a> {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        while self.ready.is_empty() && self.error.is_none() && self.at < self.frame.len() {
            if let Err(err) = self.fill() {
                self.error = Some(err);
            }
        }
        if self.error.is_some() {
            self.ready.clear();
        }
        self.ready.pop_front()
    }
}

impl<'a> Stream<'a> {
    /// Makes the next pieces: the frame up to the next [`CHUNK`] items, and the items.
    fn fill(&mut self) -> Result<(), tera::Error> {
        let frame = std::mem::take(&mut self.frame);
        let made = self.fill_from(&frame);
        self.frame = frame;
        made
    }

    fn fill_from(&mut self, frame: &str) -> Result<(), tera::Error> {
        let (segments, at) = segments(frame, &self.prefix, self.items.len(), self.at, CHUNK);
        let mut drawables = Vec::new();
        for segment in &segments {
            if let Segment::Item(i) = segment {
                drawables.push(self.context(self.items[*i])?);
            }
        }
        let this = &*self;
        let drawn: Vec<String> = (drawables.par_iter())
            .map(|d| this.draw(d))
            .collect::<Result<_, _>>()?;
        let mut drawn = drawn.into_iter();
        for segment in segments {
            let piece = match segment {
                Segment::Text(text) => text.to_string(),
                Segment::Item(_) => drawn.next().unwrap_or_default(),
            };
            self.ready.push_back(piece);
        }
        self.at = at;
        Ok(())
    }

    /// The context of `item`, its fragments adjusted now.
    fn context(&mut self, item: Item) -> Result<Drawable<'a>, tera::Error> {
        let (v, anchors) = (self.v, self.anchors);
        let model = v.core.ctx.model;
        Ok(match item {
            Item::Discrepancy(k) => {
                let d = &v.core.disc_views[v.core.ctx.analysis.display_order[k]];
                let notes = (d.notes.iter())
                    .map(|n| match self.under.get(n.id.as_str()) {
                        Some((first, under)) if *first != k => PrintNote::under(n, under.clone()),
                        _ => PrintNote::new(n, &mut self.fragments),
                    })
                    .collect();
                let mut item = PrintDiscrepancy::new(d, anchors, notes);
                item.group = self.groups[k];
                Drawable::Discrepancy(Numbered {
                    number: anchors.number(&d.link.url),
                    anchor: anchors.id(&d.link.url),
                    item,
                })
            }
            Item::Entity(e) => {
                let view = &v.entities[e.0];
                let summary = (view.summary_html.as_deref()).map(|h| self.fragments.relink(h));
                // Listed by title: the discrepancies section, before, has them in full.
                let summary_marks = (model.entity(e).summary)
                    .map(|p| marked(v, &model.pages[p.0].body))
                    .unwrap_or_default();
                let involved = v.core.ctx.analysis.by_entity[e.0].iter().copied();
                let notes = notes(v, anchors, summary_marks.into_iter().chain(involved));
                Drawable::Entity(Numbered {
                    number: anchors.number(&view.url),
                    anchor: anchors.id(&view.url),
                    item: PrintEntity::new(view, summary, notes, anchors),
                })
            }
            Item::Annex(e) => {
                let url = anchors::annex_url(model, e);
                let claims = (model.claims_about[e.0].iter())
                    .map(|c| claim(v, *c, anchors, &mut self.fragments))
                    .collect::<Result<_, _>>()?;
                Drawable::Annex(Numbered {
                    number: anchors.number(&url),
                    anchor: anchors.id(&url),
                    item: AnnexGroup {
                        name: &v.entities[e.0].name,
                        href: anchors.href(&v.entities[e.0].url),
                        claims,
                    },
                })
            }
        })
    }

    /// Draws `d` with its partial, or takes what the same drew last time (`serve`).
    fn draw(&self, d: &Drawable) -> Result<String, tera::Error> {
        match d {
            Drawable::Discrepancy(n) => {
                self.draw_with("partials/print-discrepancy.html", "entry", n)
            }
            Drawable::Entity(n) => self.draw_with("partials/print-entity.html", "e", n),
            Drawable::Annex(n) => self.draw_with("partials/print-annex.html", "g", n),
        }
    }

    fn draw_with(
        &self,
        template: &str,
        name: &'static str,
        n: &(impl Serialize + Sync),
    ) -> Result<String, tera::Error> {
        let draw = || {
            let mut context = tera::Context::new();
            context.insert("root", "");
            context.insert(name, n);
            self.v.core.tera.render(template, &context)
        };
        let recorder = self.v.core.ctx.recorder;
        match recorder.and_then(|r| Some((r, r.page_input(template, &(name, n))?))) {
            Some((r, input)) => r.derive_by(Derived::PrintPart, input, draw),
            None => draw(),
        }
    }

    /// The placeholder of the next item, `item`.
    fn place(&mut self, item: Item, number: &'a str, anchor: &'a str, title: &str) -> Placed<'a> {
        let html = format!("{}{}-->", self.prefix, self.items.len());
        self.items.push(item);
        Placed {
            number,
            anchor,
            item: Heading {
                title: title.to_string(),
            },
            html,
        }
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
    pub claims: Vec<PrintClaim<'a>>,
}

/// A date of the timeline and how many claims refer to it (the claims themselves are printed
/// once, in the annex: a second copy in the template's context cost a third of its memory).
#[derive(Serialize)]
pub struct PrintDay<'a> {
    pub when: &'a str,
    pub claims: usize,
}

/// Writes the print view, with `base` (the page's own), to `out` at `path` as it is drawn
/// ([`Stream`]); a template error is returned to be reported.
pub fn write(v: &Views, base: Base, path: String, out: &Out) -> Result<Option<tera::Error>, Error> {
    let anchors = Anchors::build(v.core.ctx.model, v.core.ctx.analysis);
    let mut stream = match Stream::new(v, &anchors, base) {
        Ok(stream) => stream,
        Err(err) => return Ok(Some(err)),
    };
    out.put_stream(path, &mut stream)?;
    Ok(stream.error)
}

impl<'a> Stream<'a> {
    /// Renders the frame, with the overview (the first fragment of the view).
    fn new(
        v: &'a Views<'a>,
        anchors: &'a Anchors,
        mut base: Base<'a>,
    ) -> Result<Self, tera::Error> {
        use std::hash::{BuildHasher, Hasher};
        let ctx = v.core.ctx;
        let model = ctx.model;
        let nonce = std::hash::RandomState::new().build_hasher().finish();
        let mut stream = Stream {
            v,
            anchors,
            fragments: Fragments::new(anchors),
            items: Vec::new(),
            under: FxHashMap::default(),
            groups: Vec::new(),
            prefix: format!("<!--dossier-print-part:{nonce:016x}:"),
            frame: String::new(),
            at: 0,
            ready: Default::default(),
            error: None,
        };
        let overview_root = Route::Overview.root(model);
        let overview_html =
            (v.overview_html.as_deref()).map(|h| stream.fragments.relink_from(h, &overview_root));
        let mut previous = None;
        let mut discrepancies = Vec::new();
        for (k, d) in ctx.analysis.display_order.iter().enumerate() {
            let d = &v.core.disc_views[*d];
            let (number, anchor) = (anchors.number(&d.link.url), anchors.id(&d.link.url));
            // A note on several discrepancies is printed under the first of them.
            for note in &d.notes {
                let here = Under {
                    number: d.link.number,
                    href: Href {
                        url: format!("#{anchor}").into(),
                        number: Some(number),
                    },
                };
                stream.under.entry(note.id.as_str()).or_insert((k, here));
            }
            let severity = d.link.severity;
            stream
                .groups
                .push((previous != Some(severity)).then_some(match severity {
                    Some(Severity::Flag) => "Disagreements",
                    Some(Severity::Mark) => "Soft findings",
                    None => "Dismissed by the analyst",
                }));
            previous = Some(severity);
            discrepancies.push(stream.place(Item::Discrepancy(k), number, anchor, &d.link.title));
        }
        let annex = (anchors.annex.iter())
            .map(|e| {
                let url = anchors::annex_url(model, *e);
                let name = &v.entities[e.0].name;
                stream.place(
                    Item::Annex(*e),
                    anchors.number(&url),
                    anchors.id(&url),
                    name,
                )
            })
            .collect();
        let kinds = kind_sections(&mut stream);
        let assets = base.root.clone();
        base.root = Cow::Borrowed("");
        let context = PrintContext {
            base,
            assets,
            overview_title: (v.overview).map_or("Overview", |p| model.pages[p.0].title.as_str()),
            overview_html,
            overview_notes: (v.overview)
                .map(|p| notes(v, anchors, marked(v, &model.pages[p.0].body)))
                .unwrap_or_default(),
            cover_sources: cover_sources(model, anchors),
            kinds,
            discrepancies: Part {
                number: anchors.number(urls::DISCREPANCIES),
                items: discrepancies,
            },
            legend: jobs::legend(),
            timeline: Part {
                number: anchors.number(urls::TIMELINE),
                items: (v.timeline.iter())
                    .map(|t| PrintDay {
                        when: &t.when,
                        claims: t.claims.len(),
                    })
                    .collect(),
            },
            annex: Part {
                number: anchors.number(anchors::ANNEX),
                items: annex,
            },
            agreement: charts::agreement(ctx, &v.core.discs, &ctx.analysis.display_order, |l| {
                anchors.href(&l.url)
            }),
            timeline_svg: charts::timeline(&timeline::moments(&v.timeline)),
            running_head: running_head(model),
            graded: jobs::graded(model),
        };
        stream.frame =
            (v.core.tera).render("print.html", &tera::Context::from_serialize(&context)?)?;
        Ok(stream)
    }
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

/// The section of each kind, its entities placed.
fn kind_sections<'a>(stream: &mut Stream<'a>) -> Vec<KindSection<'a>> {
    let (v, anchors) = (stream.v, stream.anchors);
    let model = v.core.ctx.model;
    let mut sections = Vec::new();
    for plan in &anchors.kinds {
        let list = urls::kind(model, plan.kind);
        let entities = (plan.entities.iter())
            .map(|e| {
                let view = &v.entities[e.0];
                let (number, anchor) = (anchors.number(&view.url), anchors.id(&view.url));
                stream.place(Item::Entity(*e), number, anchor, &view.name)
            })
            .collect();
        sections.push(KindSection {
            kind: &model.kind(plan.kind).key,
            number: anchors.number(&list),
            anchor: anchors.id(&list),
            title: &model.kind(plan.kind).plural,
            entities,
        });
    }
    sections
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
    fn the_frame_is_cut_at_its_placeholders_only() {
        let prefix = "<!--dossier-print-part:00ff:";
        let marker = |i: usize| format!("{prefix}{i}-->");
        let rest = format!(", {prefix}99-->, <!--dossier-print-part:0:0--></main>");
        let frame = format!("<main>{}{}{}{rest}", marker(1), marker(0), marker(1));
        // Two items at a time: a placeholder may repeat; one past the items is text.
        let (first, at) = segments(&frame, prefix, 2, 0, 2);
        assert_eq!(
            first,
            [Segment::Text("<main>"), Segment::Item(1), Segment::Item(0)]
        );
        let (second, at) = segments(&frame, prefix, 2, at, 2);
        assert_eq!(second, [Segment::Item(1), Segment::Text(rest.as_str())]);
        assert_eq!(at, frame.len());
        assert_eq!(segments(&frame, prefix, 2, at, 2).0, []);
        // The last placeholder of a chunk ends it: the text after it comes with the next.
        let (one, at) = segments(&frame, prefix, 2, 0, 1);
        assert_eq!(one, [Segment::Text("<main>"), Segment::Item(1)]);
        assert_eq!(&frame[at..at + prefix.len()], prefix);
    }

    #[test]
    fn css_strings_cannot_escape() {
        assert_eq!(css_string("a\"</style>"), "\"a\\22 \\3c /style\\3e \"");
    }
}
