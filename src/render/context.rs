//! The template contexts: one `Serialize` struct per template, the documented contract of
//! what it receives. Every context flattens [`Base`] (`site`, `root`, `page`) and borrows
//! the views built once per build (`views`, `shared`). URLs are relative to the site root.

use std::borrow::Cow;

use serde::Serialize;

use super::timeline::TimelineEntry;
use super::urls::Route;
use super::views::{ClaimView, DiscLink, DiscrepancyView, EntityView, Link};
use crate::analyse::Severity;
use crate::model::{EntityKind, Model};

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
}

#[derive(Serialize)]
pub struct Counts {
    pub countries: usize,
    pub places: usize,
    pub people: usize,
    pub organizations: usize,
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
    /// Where the page is written, relative to the site root.
    pub url: Cow<'a, str>,
    /// Its navigation section: `overview`, a kind's folder (`countries`), `claims`,
    /// `discrepancies`, `timeline`, `pages`, `search`, `print` or `404`.
    pub section: &'static str,
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
        Base {
            site,
            root: route.root(model),
            page: PageMeta {
                title: title.into(),
                description: None,
                url: route.url(model),
                section: route.section(model),
            },
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
    /// Every discrepancy, in the discrepancies page's order (so an ordered list numbers
    /// them as their markers do: `number`).
    pub discrepancies: Vec<&'a DiscLink>,
    /// Every kind of entity with its list page and its entities.
    pub kinds: Vec<KindLinks>,
}

/// One kind of entity on the overview.
#[derive(Serialize)]
pub struct KindLinks {
    pub kind: EntityKind,
    /// `Countries`, `People`, ...
    pub title: &'static str,
    /// The kind's list page.
    pub url: String,
    /// In file order.
    pub entities: Vec<Link>,
}

/// `entity.html`, a country's, person's, organization's or source's page.
#[derive(Serialize)]
pub struct EntityContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub entity: &'a EntityView<'a>,
}

/// `claim.html`, a claim's page.
#[derive(Serialize)]
pub struct ClaimContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub claim: &'a ClaimView,
}

/// `list.html`, the list of one kind of entity.
#[derive(Serialize)]
pub struct ListContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    pub kind: EntityKind,
    /// In list order (sources as written, the others by name).
    pub entries: Vec<ListEntry<'a>>,
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
}

/// `claims.html`, every claim.
#[derive(Serialize)]
pub struct ClaimsContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    /// One per entity that claims are about, by name.
    pub groups: Vec<ClaimGroup<'a>>,
}

/// The claims about one entity.
#[derive(Serialize)]
pub struct ClaimGroup<'a> {
    pub subject: Link,
    pub claims: Vec<&'a ClaimView>,
}

/// `discrepancies.html`, every discrepancy.
#[derive(Serialize)]
pub struct DiscrepanciesContext<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    /// Every discrepancy, in the analysis's order (by id).
    pub discrepancies: &'a [DiscrepancyView],
    /// The findings shown as flags (severity `flag`), by id.
    pub flags: Vec<&'a DiscrepancyView>,
    /// The soft findings, shown as marks (severity `mark`), by id.
    pub marks: Vec<&'a DiscrepancyView>,
    /// The findings an analyst dismissed (no severity): their notes say why.
    pub dismissed: Vec<&'a DiscrepancyView>,
    /// Every outcome (`analyse::OUTCOMES`), for the legend (`#legend`) that inline flags
    /// refer to.
    pub legend: Vec<LegendEntry>,
    /// The source-agreement matrix (inline SVG) of the flags, or empty.
    pub agreement_svg: String,
    /// The sources the matrix's columns name by their short labels, in its order.
    pub sources: Vec<SourceKey<'a>>,
}

/// A source's short label (the matrix's column heading) and its name.
#[derive(Serialize)]
pub struct SourceKey<'a> {
    pub short: &'a str,
    pub name: &'a str,
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
    /// One per date, in order.
    pub entries: &'a [TimelineEntry<'a>],
    /// The chart of claims per date (inline SVG), or empty.
    pub chart_svg: String,
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
