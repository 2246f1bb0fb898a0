//! The site's URL scheme, in one place: where each page is written (its URL relative to the
//! site root, `/`-separated, never with a leading `/`), the `root` prefix that leads from a
//! page back to the site root, and the addresses of places inside pages (a discrepancy on
//! the discrepancies page). Views hold site-relative URLs; templates put `root` before them.

use std::borrow::Cow;

use crate::analyse::Analysis;
use crate::model::{ClaimId, EntityId, EntityKind, Model, Page, PageId};

/// The overview, at the site root.
pub const OVERVIEW: &str = "index.html";
/// Every claim, grouped by subject.
pub const CLAIMS: &str = "claims/index.html";
/// The first page of the discrepancies; each is an anchor on its page ([`discrepancy`]).
pub const DISCREPANCIES: &str = "discrepancies/index.html";
/// Items of each of an entity page's lists on one page (the claims about it by property,
/// its discrepancies, what it claims by subject, the pages that mention it): its page shows
/// the first, its [`Route::EntityPage`]s the rest.
pub const ENTITY_PAGE: usize = 100;
/// Discrepancies on one page of their list, in the order they are numbered in.
pub const DISCREPANCIES_PAGE: usize = 100;
pub const TIMELINE: &str = "timeline/index.html";
pub const SEARCH: &str = "search/index.html";
/// The whole briefing as one document.
pub const PRINT: &str = "print/index.html";
/// Served for any unknown path, so its links start from the base URL's path.
pub const NOT_FOUND: &str = "404.html";

/// A page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    Overview,
    Entity(EntityId),
    /// Page `n` (from 1) of an entity's page: the rest of its long lists ([`ENTITY_PAGE`]).
    EntityPage(EntityId, usize),
    Claim(ClaimId),
    /// Page `n` (from 0) of the list of one kind of entity.
    Kind(EntityKind, usize),
    /// Page `n` (from 0) of the claims index.
    Claims(usize),
    /// Page `n` (from 0) of the discrepancies.
    Discrepancies(usize),
    /// Page `n` (from 0) of the timeline.
    Timeline(usize),
    /// A Markdown page that is neither the overview nor an entity's summary.
    Page(PageId),
    NotFound,
    Print,
    Search,
}

/// The Markdown files that are pages of their own (not the overview, not a summary).
pub fn own_pages(model: &Model) -> impl Iterator<Item = PageId> + '_ {
    (0..model.pages.len())
        .map(PageId)
        .filter(|p| Route::of_page(model, *p) == Route::Page(*p))
}

impl Route {
    /// Where the page of a Markdown file is: the overview, its entity's page (a summary), or
    /// a page of its own.
    pub fn of_page(model: &Model, p: PageId) -> Route {
        let page = &model.pages[p.0];
        match page.entity {
            Some(e) => Route::Entity(e),
            None if is_overview(page) => Route::Overview,
            None => Route::Page(p),
        }
    }

    /// The page's URL, relative to the site root.
    pub fn url(self, model: &Model) -> Cow<'_, str> {
        match self {
            Route::Overview => OVERVIEW.into(),
            Route::Entity(e) => entity(model, e).into(),
            Route::EntityPage(e, n) => entity_page(model, e, n).into(),
            Route::Claim(c) => claim(model, c).into(),
            Route::Kind(k, n) => paged(&kind(model, k), n).into(),
            Route::Claims(n) => paged(CLAIMS, n).into(),
            Route::Discrepancies(n) => paged(DISCREPANCIES, n).into(),
            Route::Timeline(n) => paged(TIMELINE, n).into(),
            Route::Page(p) => model.pages[p.0].url.as_str().into(),
            Route::NotFound => NOT_FOUND.into(),
            Route::Print => PRINT.into(),
            Route::Search => SEARCH.into(),
        }
    }

    /// The prefix that leads from this page to the site root: one `../` per folder of its
    /// URL, or for the 404 page (served at any depth) the base URL's path.
    pub fn root(self, model: &Model) -> Cow<'_, str> {
        match self {
            Route::NotFound => model.config.base_url.path.as_str().into(),
            other => root(&other.url(model)).into(),
        }
    }

    /// The navigation section the page belongs to (`page.section`, the body's class).
    pub fn section(self, model: &Model) -> &str {
        match self {
            Route::Overview => "overview",
            Route::Entity(e) | Route::EntityPage(e, _) => &model.kind(model.entity(e).kind).folder,
            Route::Kind(k, _) => &model.kind(k).folder,
            Route::Claim(_) | Route::Claims(_) => "claims",
            Route::Discrepancies(_) => "discrepancies",
            Route::Timeline(_) => "timeline",
            Route::Page(_) => "pages",
            Route::NotFound => "404",
            Route::Print => "print",
            Route::Search => "search",
        }
    }
}

/// Whether a Markdown page is the overview (`content/index.md`, which resolve writes to the
/// site root). The one test of it: everything else compares [`Route`]s.
fn is_overview(page: &Page) -> bool {
    page.entity.is_none() && page.url == OVERVIEW
}

/// The overview's Markdown page, when the briefing has one.
pub fn overview_page(model: &Model) -> Option<PageId> {
    (0..model.pages.len())
        .map(PageId)
        .find(|p| Route::of_page(model, *p) == Route::Overview)
}

/// The prefix from the page at `url` (site-relative) to the site root: `""` at the root,
/// `"../"` one folder down, and so on.
pub fn root(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// An entity's page.
pub fn entity(model: &Model, e: EntityId) -> String {
    let entity = model.entity(e);
    format!("{}/{}.html", model.kind(entity.kind).folder, entity.id)
}

/// Page `n` (from 0) of an entity's page: `sources/x.2.html` for the second. Ids have no
/// dots, so no entity's own page can be one of these.
pub fn entity_page(model: &Model, e: EntityId, n: usize) -> String {
    let it = model.entity(e);
    match n {
        0 => entity(model, e),
        n => format!("{}/{}.{}.html", model.kind(it.kind).folder, it.id, n + 1),
    }
}

/// A claim's page.
pub fn claim(model: &Model, c: ClaimId) -> String {
    format!("claims/{}.html", model.claim(c).id)
}

/// The list of one kind of entity (its first page).
pub fn kind(model: &Model, kind: EntityKind) -> String {
    format!("{}/index.html", model.kind(kind).folder)
}

/// Page `n` (from 0) of the list whose first page is `first` (`x/index.html`): `x/index.2.html`
/// for the second. Ids have no dots, so no entity's or claim's page can be one of these.
pub fn paged(first: &str, n: usize) -> String {
    match n {
        0 => first.to_string(),
        n => first.replace("index.html", &format!("index.{}.html", n + 1)),
    }
}

/// The page (from 0) of the discrepancies that shows discrepancy `d` (an index into the
/// analysis's): they are paged in the order they are numbered in.
fn discrepancies_page(analysis: &Analysis, d: usize) -> usize {
    let number = analysis.numbers.get(d).copied().unwrap_or(1);
    number.saturating_sub(1) / DISCREPANCIES_PAGE
}

/// Discrepancy `d` (an index into the analysis's), on its page of the discrepancies.
pub fn discrepancy(analysis: &Analysis, d: usize) -> String {
    let id = analysis.discrepancies.get(d).map_or("", |d| d.id.as_str());
    let page = paged(DISCREPANCIES, discrepancies_page(analysis, d));
    format!("{page}#{id}")
}

/// Where note `n` is read: with the discrepancy it explains, or for a note that explains
/// none, its id on the first page of the discrepancies.
pub fn note(model: &Model, analysis: &Analysis, n: usize) -> String {
    match analysis.by_note.get(n).copied().flatten() {
        Some(d) => discrepancy(analysis, d),
        None => {
            let id = model.notes.get(n).map_or("", |note| note.id.as_str());
            format!("{DISCREPANCIES}#{id}")
        }
    }
}

/// A site-relative URL made absolute with the base URL, when that is absolute (for
/// JSON-LD `@id`).
pub fn absolute(model: &Model, url: &str) -> Option<String> {
    let base = &model.config.base_url;
    base.is_absolute().then(|| format!("{}{url}", base.url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_follows_the_depth_of_the_url() {
        assert_eq!(root("index.html"), "");
        assert_eq!(root("claims/x.html"), "../");
        assert_eq!(root("pages/a/b.html"), "../../");
    }
}
