//! What render builds once per build, in parallel, and every page borrows: the claim,
//! discrepancy and entity views, the overview's HTML and the timeline. A view renders its
//! Markdown once, however many pages show it.

use rayon::prelude::*;
use tera::Tera;

use super::context::NavKind;
use super::context::{Counts, SiteView};
use super::timeline::{self, TimelineEntry};
use super::views::{self, ClaimView, DiscLink, DiscrepancyView, EntityView, ROOT};
use super::{Ctx, flags, markdown, urls};
use crate::analyse::Severity;
use crate::model::{ClaimId, EntityId, EntityKind, PageId};

/// The views that do not borrow other views.
pub struct Core<'a> {
    pub ctx: &'a Ctx<'a>,
    /// The compiled theme.
    pub tera: &'a Tera,
    pub site: SiteView<'a>,
    /// Per discrepancy, in the analysis's order.
    pub discs: Vec<DiscLink>,
    /// Per claim, its flag groups (drawn per page by `partials/flags.html`).
    pub flags: Vec<Vec<flags::Group>>,
    /// Per claim, its flags drawn for a page at [`ROOT`].
    pub claims: Vec<ClaimView<'a>>,
    /// Per discrepancy.
    pub disc_views: Vec<DiscrepancyView>,
}

impl<'a> Core<'a> {
    /// Builds the claim and discrepancy views; the flags partial's errors are the theme's.
    pub fn build(ctx: &'a Ctx<'a>, tera: &'a Tera) -> Result<Self, tera::Error> {
        let analysis = ctx.analysis;
        let discs: Vec<DiscLink> = (analysis.discrepancies.iter().enumerate())
            .map(|(i, d)| views::disc_link(ctx, i, d))
            .collect();
        let flags: Vec<Vec<flags::Group>> = (0..ctx.model.claims.len())
            .into_par_iter()
            .map(|c| flags::groups(ctx, ClaimId(c)))
            .collect();
        let claims = (flags.par_iter().enumerate())
            .map(|(c, groups)| {
                let c = ClaimId(c);
                let href = |place| flags::site_href(ctx, place);
                let context = flags::context(ctx, c, groups, &analysis.numbers, ROOT, &href);
                let html = flags::render(tera, &context)?;
                Ok(views::claim(ctx, c, &discs, html))
            })
            .collect::<Result<Vec<_>, tera::Error>>()?;
        let disc_views = (analysis.discrepancies.par_iter().zip(discs.par_iter()))
            .map(|(d, l)| views::discrepancy(ctx, d, l.clone()))
            .collect();
        Ok(Core {
            ctx,
            tera,
            site: site_view(ctx),
            discs,
            flags,
            claims,
            disc_views,
        })
    }
}

/// The views that borrow the [`Core`] ones.
pub struct Views<'a> {
    pub core: &'a Core<'a>,
    /// Per entity.
    pub entities: Vec<EntityView<'a>>,
    /// The overview's Markdown page.
    pub overview: Option<PageId>,
    /// Its HTML, for the overview page (root `""`).
    pub overview_html: Option<String>,
    pub timeline: Vec<TimelineEntry<'a>>,
    /// Per kind with entities, its entities in list order (`views::list_order`).
    pub lists: Vec<(EntityKind, Vec<EntityId>)>,
    /// The subjects of claims, in the claims index's order (by name, folded).
    pub claim_subjects: Vec<EntityId>,
}

impl<'a> Views<'a> {
    pub fn build(core: &'a Core<'a>) -> Self {
        let ctx = core.ctx;
        let model = ctx.model;
        let overview = urls::overview_page(model);
        let root = urls::Route::Overview.root(model);
        // In small batches: entities of a kind are neighbours and cost alike (a page's entity
        // renders its summary, a source few things), and rayon splits a range no further once
        // no thread steals from it, so with large batches one thread was left with the costly
        // ones: 84% of the work, at 10,000 pages of one source per article.
        let (entities, overview_html) = rayon::join(
            || {
                (0..model.entities.len())
                    .into_par_iter()
                    .with_max_len(16)
                    .map(|e| {
                        let (claims, discs) = (&core.claims, &core.discs);
                        views::entity(ctx, EntityId(e), claims, discs, &core.disc_views)
                    })
                    .collect()
            },
            || overview.map(|p| markdown::to_html(&model.pages[p.0].body, &root, ctx)),
        );
        let lists = (model.config.kinds.all())
            .map(|kind| (kind, views::list_order(model, kind)))
            .filter(|(_, ids)| !ids.is_empty())
            .collect();
        let mut claim_subjects: Vec<EntityId> = (0..model.entities.len())
            .map(EntityId)
            .filter(|e| !model.claims_about[e.0].is_empty())
            .collect();
        // By name as a reader sorts it: Österlich with the O.
        claim_subjects.sort_by_cached_key(|e| crate::resolve::fold(&model.entity(*e).name));
        Views {
            core,
            entities,
            overview,
            overview_html,
            timeline: timeline::entries(model, &core.claims),
            lists,
            claim_subjects,
        }
    }

    /// The entities of `kind` in list order (none for a kind without entities).
    pub fn list(&self, kind: EntityKind) -> &[EntityId] {
        (self.lists.iter())
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, ids)| ids.as_slice())
    }
}

fn site_view<'a>(ctx: &Ctx<'a>) -> SiteView<'a> {
    let model = ctx.model;
    let config = &model.config;
    let count = |k: EntityKind| model.entities.iter().filter(|e| e.kind == k).count();
    let severities = |s: Option<Severity>| {
        (ctx.analysis.discrepancies.iter())
            .filter(|d| d.severity() == s)
            .count()
    };
    SiteView {
        title: &config.title,
        subtitle: config.subtitle.as_deref(),
        date: config.date.map(|d| d.long()),
        date_iso: config.date.map(|d| d.to_string()),
        language: &config.language,
        base_url: &config.base_url.url,
        base_path: &config.base_url.path,
        counts: Counts {
            sources: count(EntityKind::Source),
            claims: model.claims.len(),
            discrepancies: ctx.analysis.discrepancies.len(),
            flags: severities(Some(Severity::Flag)),
            marks: severities(Some(Severity::Mark)),
            dismissed: severities(None),
        },
        kinds: (config.kinds.all())
            .filter(|k| count(*k) > 0)
            .map(|k| NavKind {
                title: &model.kind(k).plural,
                url: urls::kind(model, k),
                section: &model.kind(k).folder,
            })
            .collect(),
    }
}
