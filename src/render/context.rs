//! The template contexts: one `Serialize` struct per template, the documented contract of
//! what it receives. Every context flattens [`Base`] (`site`, `root`, `page`) and borrows
//! the views built once per build (`views`, `shared`). URLs are relative to the site root.

use std::borrow::Cow;

use serde::Serialize;

use super::charts::Agreement;
use super::timeline::TimelineEntry;
use super::urls::{self, Route};
use super::views::{
    ClaimView, DiscLink, DiscrepancyView, EntityView, GradeView, Link, PropertyGroup, SubjectGroup,
};
use crate::analyse::Severity;
use crate::model::{Credibility, Model, Reliability};

/// The briefing, as every page shows it.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    /// The briefing's date, written out (`10 July 2025`).
    pub date: Option<String>,
    /// The same, `YYYY-MM-DD`, for `<time datetime>`.
    pub date_iso: Option<String>,
    pub language: &'a str,
    /// As configured, ending in `/`.
    pub base_url: &'a str,
    /// Its path, starting and ending in `/`.
    pub base_path: &'a str,
    pub counts: Counts,
    /// The kinds that have entities, for the navigation: plural, list page, section.
    pub kinds: Vec<NavKind<'a>>,
}

/// A kind of entity in the navigation.
#[derive(Serialize)]
pub struct NavKind<'a> {
    /// `Countries`.
    pub title: &'a str,
    /// Its list page.
    pub url: String,
    /// Its folder, the `page.section` of its pages.
    pub section: &'a str,
}

#[derive(Serialize)]
pub struct Counts {
    pub sources: usize,
    pub claims: usize,
    /// Every discrepancy, dismissed ones included.
    pub discrepancies: usize,
    /// Those shown as flags, as marks, and those dismissed.
    pub flags: usize,
    pub marks: usize,
    pub dismissed: usize,
}

/// The page being rendered.
#[derive(Serialize)]
pub struct PageMeta<'a> {
    pub title: Cow<'a, str>,
    pub description: Option<&'a str>,
    /// The description link previews show (`og:description`): `description`, else the
    /// briefing's subtitle.
    pub summary: Option<&'a str>,
    /// Where the page is written, relative to the site root.
    pub url: Cow<'a, str>,
    /// The same made absolute with the base URL, when that is absolute (`og:url`, the
    /// canonical link); never for the 404 page, served at any address.
    pub absolute_url: Option<String>,
    /// Its navigation section: `overview`, a kind's folder (`countries`), `claims`,
    /// `discrepancies`, `timeline`, `pages`, `search`, `print` or `404`.
    pub section: &'a str,
}

/// What every template gets.
#[derive(Serialize)]
pub struct Base<'a> {
    pub site: &'a SiteView<'a>,
    /// What goes before a site-relative URL to link to it from this page: `""` on the
    /// overview, `"../"` one folder down, the base URL's path on `404.html`; empty in the
    /// print view, whose links are in-page.
    pub root: Cow<'a, str>,
    pub page: PageMeta<'a>,
}

impl<'a> Base<'a> {
    /// The base of the page at `route`, titled `title`.
    pub fn new(
        site: &'a SiteView<'a>,
        model: &'a Model,
        route: Route,
        title: impl Into<Cow<'a, str>>,
    ) -> Self {
        let url = route.url(model);
        let absolute_url = match route {
            Route::NotFound => None,
            _ => urls::absolute(model, &url),
        };
        Base {
            site,
            root: route.root(model),
            page: PageMeta {
                title: title.into(),
                description: None,
                summary: site.subtitle,
                url,
                absolute_url,
                section: route.section(model),
            },
        }
    }

    /// Sets the page's description, which link previews show too.
    pub fn describe(&mut self, description: Option<&'a str>) {
        self.page.description = description;
        if description.is_some() {
            self.page.summary = description;
        }
    }
}

/// `index.html`, the overview.
#[derive(Serialize)]
pub struct IndexContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    /// The overview's Markdown, for this page (root `""`).
    pub overview_html: Option<&'a str>,
    /// The discrepancies of the discrepancies' first page, in their order (so an ordered
    /// list numbers them as their markers do: `number`).
    pub discrepancies: Vec<&'a DiscLink>,
    /// How many more there are, on the discrepancies' later pages.
    pub more_discrepancies: usize,
    /// Every kind of entity with its list page and its entities.
    pub kinds: Vec<KindLinks<'a>>,
}

/// One kind of entity on the overview.
#[derive(Serialize)]
pub struct KindLinks<'a> {
    /// `country`, `vessel`: the kind's key.
    pub kind: &'a str,
    /// `Countries`, `People`, ...
    pub title: &'a str,
    /// The kind's list page.
    pub url: String,
    /// In file order, the first [`super::jobs::OVERVIEW_PER_KIND`].
    pub entities: Vec<Link>,
    /// How many more the list page has.
    pub more: usize,
}

/// `entity.html`, a country's, person's, organization's or source's page.
#[derive(Serialize)]
pub struct EntityContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub entity: &'a EntityView<'a>,
    // This page's part of each of the entity's lists: the first
    // [`ENTITY_PAGE`](super::urls::ENTITY_PAGE) items of each on its own page, the rest on
    // the pages after it ([`Route::EntityPage`]).
    /// The claims about it, by property.
    pub about_groups: &'a [PropertyGroup<'a>],
    /// The discrepancies it is involved in, split by severity: flags, marks, and those an
    /// analyst dismissed.
    pub flagged: Vec<&'a DiscLink>,
    pub marked: Vec<&'a DiscLink>,
    pub dismissed: Vec<&'a DiscLink>,
    /// What it claims (a source) or says (a person, an organization), by subject.
    pub by_groups: &'a [SubjectGroup<'a>],
    /// The pages that mention it.
    pub backlinks: Vec<Link>,
    /// The pages of the entity's page, when a list takes more than one.
    pub pagination: Option<Pagination>,
}

/// `claim.html`, a claim's page.
#[derive(Serialize)]
pub struct ClaimContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub claim: &'a ClaimView<'a>,
}

/// `list.html`, the list of one kind of entity.
#[derive(Serialize)]
pub struct ListContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    /// The kind's key (`country`, `vessel`).
    pub kind: &'a str,
    /// In list order (sources as written, the others by name): this page's.
    pub entries: Vec<ListEntry<'a>>,
    /// The list's pages, when it has more than one.
    pub pagination: Option<Pagination>,
    /// On the sources page, when a source is graded: the Admiralty scale, reliability
    /// (`A`, meaning) and credibility (`1`, meaning).
    pub scale: Option<Scale>,
}

/// The grading scale the sources page explains.
#[derive(Serialize)]
pub struct Scale {
    pub reliability: Vec<ScaleEntry>,
    pub credibility: Vec<ScaleEntry>,
}

/// One grade of the scale: `B`, `usually reliable`.
#[derive(Serialize)]
pub struct ScaleEntry {
    pub grade: String,
    pub meaning: &'static str,
}

impl Scale {
    /// The NATO (Admiralty) scale.
    pub fn admiralty() -> Self {
        Scale {
            reliability: (Reliability::SCALE.iter())
                .map(|(g, m)| ScaleEntry {
                    grade: g.to_string(),
                    meaning: m,
                })
                .collect(),
            credibility: (Credibility::SCALE.iter())
                .map(|(g, m)| ScaleEntry {
                    grade: g.to_string(),
                    meaning: m,
                })
                .collect(),
        }
    }
}

/// An entity in its kind's list.
#[derive(Serialize)]
pub struct ListEntry<'a> {
    pub name: &'a str,
    pub url: &'a str,
    /// Claims about it and claims it makes or speaks.
    pub claims: usize,
    pub discrepancies: usize,
    /// A source's title.
    pub note: Option<&'a str>,
    /// A source's grade.
    pub grade: Option<&'a GradeView>,
}

/// `claims.html`, every claim.
#[derive(Serialize)]
pub struct ClaimsContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    /// One per entity that claims are about, by name (`groups.*.properties`: label,
    /// anchor, claims): this page's.
    pub groups: Vec<ClaimGroup<'a>>,
    /// The index's pages, when it has more than one.
    pub pagination: Option<Pagination>,
}

/// The pages of a long list: `pages` (number, url, current), `previous` and `next` (urls).
#[derive(Serialize)]
pub struct Pagination {
    pub pages: Vec<PageLink>,
    pub previous: Option<String>,
    pub next: Option<String>,
}

#[derive(Serialize)]
pub struct PageLink {
    /// From 1.
    pub number: usize,
    pub url: String,
    pub current: bool,
}

impl Pagination {
    /// The pages of a list of `items`, `per` a page, on page `page` (from 0), whose page `n`
    /// is at `url(n)`; `None` when it fits on one page.
    pub fn of(
        items: usize,
        per: usize,
        page: usize,
        url: impl Fn(usize) -> String,
    ) -> Option<Pagination> {
        let count = items.div_ceil(per);
        (count > 1).then(|| Pagination {
            pages: (0..count)
                .map(|n| PageLink {
                    number: n + 1,
                    url: url(n),
                    current: n == page,
                })
                .collect(),
            previous: page.checked_sub(1).map(&url),
            next: (page + 1 < count).then(|| url(page + 1)),
        })
    }
}

/// The claims about one entity.
#[derive(Serialize)]
pub struct ClaimGroup<'a> {
    pub subject: Link,
    /// Its heading's id: `subject--ID`.
    pub anchor: String,
    pub claims: Vec<&'a ClaimView<'a>>,
    /// The same by property (anchors `SUBJECT--PROPERTY`).
    pub properties: Vec<PropertyGroup<'a>>,
}

/// `discrepancies.html`, every discrepancy.
#[derive(Serialize)]
pub struct DiscrepanciesContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    /// The discrepancies on this page, in the order they are numbered in.
    pub discrepancies: Vec<&'a DiscrepancyView>,
    /// This page's findings shown as flags (severity `flag`), by id.
    pub flags: Vec<&'a DiscrepancyView>,
    /// This page's soft findings, shown as marks (severity `mark`), by id.
    pub marks: Vec<&'a DiscrepancyView>,
    /// This page's findings an analyst dismissed (no severity): their notes say why.
    pub dismissed: Vec<&'a DiscrepancyView>,
    /// Every outcome (`analyse::OUTCOMES`), for the legend (`#legend`) that inline flags
    /// refer to.
    pub legend: Vec<LegendEntry>,
    /// The source-agreement matrix of this page's flags (`partials/agreement.html` draws
    /// it), if there is a flag: `columns` (short, name), `rows` (title, name, url, cells: stance,
    /// symbol, words), `legend` (stance, symbol, words).
    pub agreement: Option<Agreement<'a>>,
    /// schema.org `ClaimReview`s (JSON-LD, safe inside `<script>`) of this page's
    /// discrepancies an analyst gave a verdict, when there are any.
    pub claim_reviews_json_ld: Option<String>,
    /// The pages of the discrepancies, when there are more than one.
    pub pagination: Option<Pagination>,
}

/// One outcome in the legend.
#[derive(Serialize)]
pub struct LegendEntry {
    /// `conflict`, `single-source`, ...: the CSS class and `facts.json`'s outcome.
    pub slug: &'static str,
    /// As readers see it: `conflict`, `single source`.
    pub name: &'static str,
    pub severity: Severity,
    pub meaning: &'static str,
}

/// `timeline.html`, the dated claims.
#[derive(Serialize)]
pub struct TimelineContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    /// This page's, one per date, in order.
    pub entries: Vec<TimelineEntry<'a>>,
    /// The chart of this page's claims per date (inline SVG); empty when none is dated.
    pub chart_svg: String,
    pub pagination: Option<Pagination>,
}

/// `page.html`, a Markdown page of its own.
#[derive(Serialize)]
pub struct PageContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub content_html: String,
}

/// `404.html` and `search.html` get the base alone (`search.js` reads `search-index.js`).
pub type PlainContext<'a> = Base<'a>;
