//! The pages of the site: which there are, and for each its template and context, built
//! from the shared views.

use std::borrow::Cow;

use serde::Serialize;

use super::context::{
    Base, ClaimContext, ClaimGroup, ClaimsContext, DiscrepanciesContext, EntityContext,
    IndexContext, KindLinks, LegendEntry, ListContext, ListEntry, PageContext, Pagination,
    PlainContext, Scale, TimelineContext,
};
use super::memo::{Digest, Recorder};
use super::shared::Views;
use super::urls::{self, Route};
use super::{OutputFile, charts, flags, markdown, metadata, timeline, views};
use crate::analyse::{OUTCOMES, Severity};
use crate::model::{ClaimId, Details, EntityId, EntityKind, Model};

/// Entities on one page of a kind's list.
pub const LIST_PAGE: usize = 500;
/// Subjects (with their claims) on one page of the claims index.
pub const CLAIMS_PAGE: usize = 100;
/// Claims on one page of the timeline.
pub const TIMELINE_PAGE: usize = 250;
/// Entities of each kind the overview names; its list page has the rest.
pub const OVERVIEW_PER_KIND: usize = 40;

/// How many pages a list of `n` items takes, `per` a page: at least one.
fn pages(n: usize, per: usize) -> usize {
    n.div_ceil(per).max(1)
}

/// Page `page` (from 0) of `all`, `per` a page: empty past its end.
fn window<T>(all: &[T], page: usize, per: usize) -> &[T] {
    let start = page.saturating_mul(per).min(all.len());
    &all[start..start.saturating_add(per).min(all.len())]
}

/// Every page, in a fixed order.
pub fn routes(v: &Views) -> Vec<Route> {
    let ctx = v.core.ctx;
    let model = ctx.model;
    let subjects = (model.claims_about.iter())
        .filter(|c| !c.is_empty())
        .count();
    let mut routes = vec![
        Route::Overview,
        Route::NotFound,
        Route::Print,
        Route::Search,
    ];
    let discrepancies = pages(ctx.analysis.discrepancies.len(), urls::DISCREPANCIES_PAGE);
    routes.extend((0..discrepancies).map(Route::Discrepancies));
    routes.extend((0..pages(subjects, CLAIMS_PAGE)).map(Route::Claims));
    routes.extend((0..pages(timeline::dated(model), TIMELINE_PAGE)).map(Route::Timeline));
    // A kind's list pages only when it has entities.
    for kind in model.config.kinds.all() {
        let n = model.entities.iter().filter(|e| e.kind == kind).count();
        if n > 0 {
            routes.extend((0..pages(n, LIST_PAGE)).map(|p| Route::Kind(kind, p)));
        }
    }
    for (e, view) in v.entities.iter().enumerate() {
        routes.push(Route::Entity(EntityId(e)));
        routes.extend((1..view.pages()).map(|n| Route::EntityPage(EntityId(e), n)));
    }
    routes.extend((0..model.claims.len()).map(|c| Route::Claim(ClaimId(c))));
    // Summaries are their entity's page, the overview is its own route.
    routes.extend(urls::own_pages(model).map(Route::Page));
    routes
}

/// A page job's result.
pub enum Page<'a> {
    /// The file, and the digest of what made it when there is a recorder.
    Made(OutputFile, Option<Digest>),
    /// The page at this path is made from what made it last time: the sink has it.
    Kept(String),
    /// The print view, at this path with this base: `print::write` draws it as it goes.
    Print(String, Base<'a>),
}

/// Renders the page at `route`, unless `recorder` says it would be the same as last time.
pub fn render<'v>(
    v: &Views<'v>,
    route: Route,
    recorder: Option<&Recorder>,
) -> Result<Page<'v>, tera::Error> {
    let job = Job {
        v,
        path: route.url(v.core.ctx.model),
        recorder,
    };
    contexts(job, route)
}

/// A page to render from a template.
struct Job<'a, 'v> {
    v: &'a Views<'v>,
    path: Cow<'a, str>,
    recorder: Option<&'a Recorder<'a>>,
}

impl<'v> Job<'_, 'v> {
    /// Renders `template` with `context`, or keeps last time's page if both are unchanged.
    fn write(self, template: &str, context: &impl Serialize) -> Result<Page<'v>, tera::Error> {
        let input = (self.recorder).and_then(|r| Some((r, r.page_input(template, context)?)));
        if let Some((r, input)) = input
            && r.reuse(&self.path, input)
        {
            return Ok(Page::Kept(self.path.into_owned()));
        }
        let html = (self.v.core.tera).render(template, &tera::Context::from_serialize(context)?)?;
        let file = OutputFile {
            path: self.path.into_owned(),
            bytes: html.into_bytes(),
        };
        Ok(Page::Made(file, input.map(|(_, d)| d)))
    }
}

/// Fills the context of the page at `route` and renders it.
fn contexts<'v>(job: Job<'_, 'v>, route: Route) -> Result<Page<'v>, tera::Error> {
    let v = job.v;
    let core = v.core;
    let model = core.ctx.model;
    match route {
        Route::Overview => overview(v, job),
        Route::Entity(e) | Route::EntityPage(e, _) => {
            let page = match route {
                Route::EntityPage(_, n) => n,
                _ => 0,
            };
            let entity = &v.entities[e.0];
            let discrepancies = window(&entity.discrepancies, page, urls::ENTITY_PAGE);
            let with = |s: Option<Severity>| {
                (discrepancies.iter().copied())
                    .filter(|d| d.severity == s)
                    .collect()
            };
            let pagination =
                Pagination::of(entity.pages(), 1, page, |n| urls::entity_page(model, e, n));
            let context = EntityContext {
                base: with_views(v, route, entity.name.as_str()),
                entity,
                about_groups: window(&entity.about_groups, page, urls::ENTITY_PAGE),
                flagged: with(Some(Severity::Flag)),
                marked: with(Some(Severity::Mark)),
                dismissed: with(None),
                by_groups: window(&entity.by_groups, page, urls::ENTITY_PAGE),
                backlinks: (window(entity.backlinks, page, urls::ENTITY_PAGE).iter())
                    .map(|b| views::backlink(core.ctx, b))
                    .collect(),
                pagination,
            };
            job.write("entity.html", &context)
        }
        Route::Claim(c) => {
            let claim = &core.claims[c.0];
            let title = format!("{}: {}", claim.subject.name, claim.label);
            let base = with_views(v, route, title);
            job.write("claim.html", &ClaimContext { base, claim })
        }
        Route::Kind(kind, page) => {
            // Each page makes its own entries only: not the whole list once per page.
            let all = v.list(kind);
            let pagination = Pagination::of(all.len(), LIST_PAGE, page, |n| {
                urls::paged(&urls::kind(model, kind), n)
            });
            let entries = list_entries(v, all.iter().skip(page * LIST_PAGE).take(LIST_PAGE));
            let context = ListContext {
                base: with_views(v, route, model.kind(kind).plural.as_str()),
                kind: &model.kind(kind).key,
                entries,
                pagination,
                scale: (kind == EntityKind::Source && graded(model)).then(Scale::admiralty),
            };
            job.write("list.html", &context)
        }
        Route::Claims(page) => {
            let base = with_views(v, route, "Claims");
            let all = &v.claim_subjects;
            let pagination = Pagination::of(all.len(), CLAIMS_PAGE, page, |n| {
                urls::paged(urls::CLAIMS, n)
            });
            let subjects = all.iter().skip(page * CLAIMS_PAGE).take(CLAIMS_PAGE);
            let groups = subjects.map(|e| claim_group(v, *e)).collect();
            let context = ClaimsContext {
                base,
                groups,
                pagination,
            };
            job.write("claims.html", &context)
        }
        Route::Discrepancies(page) => {
            let order = &core.ctx.analysis.display_order;
            let per = urls::DISCREPANCIES_PAGE;
            let pagination = Pagination::of(order.len(), per, page, |n| {
                urls::paged(urls::DISCREPANCIES, n)
            });
            let on = window(order, page, per);
            let shown: Vec<&views::DiscrepancyView> =
                on.iter().map(|d| &core.disc_views[*d]).collect();
            let with = |s: Option<Severity>| {
                (shown.iter().copied())
                    .filter(|d| d.link.severity == s)
                    .collect()
            };
            let context = DiscrepanciesContext {
                base: with_views(v, route, "Discrepancies"),
                flags: with(Some(Severity::Flag)),
                marks: with(Some(Severity::Mark)),
                dismissed: with(None),
                discrepancies: shown,
                legend: legend(),
                agreement: charts::agreement(core.ctx, &core.discs, on, |l| {
                    views::Href::site(l.url.as_str())
                }),
                claim_reviews_json_ld: metadata::claim_reviews(core.ctx, &core.disc_views, on),
                pagination,
            };
            job.write("discrepancies.html", &context)
        }
        Route::Timeline(page) => {
            let dated = v.timeline.iter().map(|e| e.claims.len()).sum();
            let pagination = Pagination::of(dated, TIMELINE_PAGE, page, |n| {
                urls::paged(urls::TIMELINE, n)
            });
            let entries = timeline::page(&v.timeline, page, TIMELINE_PAGE);
            let context = TimelineContext {
                base: with_views(v, route, "Timeline"),
                // Each page charts its own dates: a chart of them all would grow with the
                // briefing.
                chart_svg: charts::timeline(&timeline::moments(&entries)),
                entries,
                pagination,
            };
            job.write("timeline.html", &context)
        }
        Route::Page(p) => {
            let page = &model.pages[p.0];
            let mut base = base(v, route, page.title.as_str());
            base.describe(page.description.as_deref());
            let content_html = markdown::to_html(&page.body, &base.root, core.ctx);
            job.write("page.html", &PageContext { base, content_html })
        }
        Route::NotFound => {
            let context: PlainContext = base(v, route, "Page not found");
            job.write("404.html", &context)
        }
        Route::Search => {
            let context: PlainContext = base(v, route, "Search");
            job.write("search.html", &context)
        }
        // One job of everything: not memoised, its bytes are compared.
        Route::Print => Ok(Page::Print(
            job.path.into_owned(),
            base(v, route, model.config.title.as_str()),
        )),
    }
}

/// Every outcome, for the legend.
pub fn legend() -> Vec<LegendEntry> {
    (OUTCOMES.iter())
        .map(|(slug, severity, meaning)| LegendEntry {
            slug,
            name: flags::outcome_name(slug),
            severity: *severity,
            meaning,
        })
        .collect()
}

fn base<'a>(v: &Views<'a>, route: Route, title: impl Into<Cow<'a, str>>) -> Base<'a> {
    Base::new(&v.core.site, v.core.ctx.model, route, title)
}

/// The base of a page that shows views, whose HTML fragments are drawn for [`views::ROOT`].
fn with_views<'a>(v: &Views<'a>, route: Route, title: impl Into<Cow<'a, str>>) -> Base<'a> {
    let base = base(v, route, title);
    debug_assert_eq!(
        base.root,
        views::ROOT,
        "{route:?} shows views drawn for another depth"
    );
    base
}

fn overview<'v>(v: &Views<'v>, job: Job<'_, 'v>) -> Result<Page<'v>, tera::Error> {
    let ctx = v.core.ctx;
    let model = ctx.model;
    let page = v.overview.map(|p| &model.pages[p.0]);
    let title = page.map_or(model.config.title.as_str(), |p| p.title.as_str());
    let kinds = (model.config.kinds.all())
        .map(|k| {
            let all: Vec<EntityId> = (0..model.entities.len())
                .map(EntityId)
                .filter(|e| model.entity(*e).kind == k)
                .collect();
            KindLinks {
                kind: &model.kind(k).key,
                title: &model.kind(k).plural,
                url: urls::kind(model, k),
                more: all.len().saturating_sub(OVERVIEW_PER_KIND),
                entities: (all.into_iter().take(OVERVIEW_PER_KIND))
                    .map(|e| views::link(ctx, e))
                    .collect(),
            }
        })
        .filter(|k| !k.entities.is_empty())
        .collect();
    let context = IndexContext {
        base: base(v, Route::Overview, title),
        overview_html: v.overview_html.as_deref(),
        // Those of the discrepancies' first page: the rest are on the pages after it.
        discrepancies: (window(&ctx.analysis.display_order, 0, urls::DISCREPANCIES_PAGE).iter())
            .map(|d| &v.core.discs[*d])
            .collect(),
        more_discrepancies: (ctx.analysis.display_order.len())
            .saturating_sub(urls::DISCREPANCIES_PAGE),
        kinds,
    };
    job.write("index.html", &context)
}

/// Whether the analyst graded any source.
pub fn graded(model: &Model) -> bool {
    (model.entities.iter()).any(|e| matches!(&e.details, Details::Source(s) if s.grade.is_some()))
}

fn list_entries<'a>(
    v: &'a Views<'a>,
    entities: impl Iterator<Item = &'a EntityId>,
) -> Vec<ListEntry<'a>> {
    let ctx = v.core.ctx;
    let model = ctx.model;
    entities
        .copied()
        .map(|e| ListEntry {
            name: &model.entity(e).name,
            url: &v.entities[e.0].url,
            claims: model.claims_about[e.0].len() + model.claims_by[e.0].len(),
            discrepancies: ctx.analysis.by_entity[e.0].len(),
            note: match &model.entity(e).details {
                Details::Source(s) => Some(s.title.as_str()),
                _ => None,
            },
            grade: v.entities[e.0].grade.as_ref(),
        })
        .collect()
}

/// The claims index's group for subject `e`.
fn claim_group<'a>(v: &'a Views<'a>, e: EntityId) -> ClaimGroup<'a> {
    let ctx = v.core.ctx;
    let model = ctx.model;
    let claims = || model.claims_about[e.0].iter().map(|c| &v.core.claims[c.0]);
    let id = &model.entity(e).id;
    let prefix = format!("{id}--");
    ClaimGroup {
        subject: views::link(ctx, e),
        anchor: format!("subject--{id}"),
        claims: claims().collect(),
        properties: views::by_property(ctx, e, &prefix, claims(), &v.core.disc_views),
    }
}
