//! What search engines and link previews read: `sitemap.xml` and `robots.txt` (generated
//! files), and the schema.org `ClaimReview` JSON-LD of the discrepancies page. The Open Graph
//! and Twitter card tags are in `templates/base.html`, from `page` (see `context::PageMeta`).
//!
//! A sitemap lists absolute URLs only, so it is written only when the base URL is absolute
//! (`https://…/`, as the Pages workflow passes with `--base-url`); `robots.txt` then points at
//! it.

use std::collections::BTreeSet;

use serde_json::{Value as Json, json};

use super::urls::{self, Route};
use super::views::{DiscrepancyView, script_safe_json};
use super::{Ctx, OutputFile, esc, search};
use crate::model::{Details, EntityId};
use crate::value::Resolution;

/// `sitemap.xml` (every page but the 404 page), when the base URL is absolute.
pub fn sitemap(ctx: &Ctx, routes: &[Route]) -> Option<OutputFile> {
    let model = ctx.model;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for route in routes.iter().filter(|r| **r != Route::NotFound) {
        let url = urls::absolute(model, &route.url(model))?;
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", esc(&url)));
    }
    xml.push_str("</urlset>\n");
    Some(OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    })
}

/// `robots.txt`: everything may be crawled; the sitemap, when there is one.
pub fn robots(ctx: &Ctx, sitemap: Option<&OutputFile>) -> OutputFile {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(url) = sitemap.and_then(|s| urls::absolute(ctx.model, &s.path)) {
        text.push_str(&format!("Sitemap: {url}\n"));
    }
    OutputFile {
        path: "robots.txt".into(),
        bytes: text.into_bytes(),
    }
}

/// Whether a discrepancy has an analyst's verdict to publish as a review: a verdict other
/// than `unresolved`, on a finding the notes did not dismiss.
fn reviewed(ctx: &Ctx, index: usize) -> bool {
    let d = &ctx.analysis.discrepancies[index];
    d.resolution != Resolution::Dismissed
        && d.verdict
            .as_deref()
            .is_some_and(|v| !v.trim().eq_ignore_ascii_case("unresolved") && !v.trim().is_empty())
}

/// The `ClaimReview` of each discrepancy with a verdict among `on` (indices into the
/// analysis's), in the analysis's order, as one JSON-LD document (`@graph`) for a page of the
/// discrepancies, safe inside `<script>`; `None` when there is none.
pub fn claim_reviews(ctx: &Ctx, views: &[DiscrepancyView], on: &[usize]) -> Option<String> {
    let model = ctx.model;
    let mut on = on.to_vec();
    on.sort_unstable();
    let config = &model.config;
    let mut author = json!({"@type": "Organization", "name": config.title});
    if let Some(url) = urls::absolute(model, urls::OVERVIEW) {
        author["url"] = url.into();
    }
    let graph: Vec<Json> = (on.iter())
        .filter_map(|i| Some((*i, views.get(*i)?)))
        .filter(|(i, _)| reviewed(ctx, *i))
        .map(|(i, v)| claim_review(ctx, i, v, &author))
        .collect();
    if graph.is_empty() {
        return None;
    }
    Some(script_safe_json(&json!({
        "@context": "https://schema.org",
        "@graph": graph,
    })))
}

fn claim_review(ctx: &Ctx, index: usize, v: &DiscrepancyView, author: &Json) -> Json {
    let model = ctx.model;
    let d = &ctx.analysis.discrepancies[index];
    let readings: Vec<String> = (v.readings.iter())
        .map(|r| {
            let sources: Vec<&str> = r.sources.iter().map(|s| s.name.as_str()).collect();
            format!("{} ({})", r.value, sources.join(", "))
        })
        .collect();
    let sources: BTreeSet<EntityId> = (d.claims.iter()).map(|c| model.claim(*c).source).collect();
    let mut claim = json!({
        "@type": "Claim",
        "text": format!("{} — {}", v.link.title, readings.join("; ")),
        "appearance": sources.into_iter().map(|s| appearance(ctx, s)).collect::<Vec<_>>(),
    });
    if let Some(speaker) = &v.speaker {
        claim["author"] = json!({"@type": "Person", "name": speaker.name});
    }
    let verdict = d.verdict.clone().unwrap_or_default();
    let mut review = json!({
        "@type": "ClaimReview",
        // On the discrepancies page itself, `#id` is the card.
        "url": urls::absolute(model, &v.link.url).unwrap_or_else(|| format!("#{}", v.link.id)),
        "claimReviewed": v.link.title,
        "itemReviewed": claim,
        "reviewRating": {"@type": "Rating", "alternateName": verdict},
        "author": author,
    });
    let body: Vec<String> = (v.notes.iter())
        .filter_map(|n| n.html.as_deref().map(search::plain_text))
        .filter(|t| !t.is_empty())
        .collect();
    if !body.is_empty() {
        review["reviewBody"] = body.join(" ").into();
    }
    if let Some(date) = model.config.date {
        review["datePublished"] = date.to_string().into();
    }
    review
}

/// Where a claim appeared: its source, as the `NewsArticle` its page describes, with its own
/// address when it has one.
fn appearance(ctx: &Ctx, s: EntityId) -> Json {
    let entity = ctx.model.entity(s);
    let mut work = json!({"@type": "NewsArticle", "name": entity.name});
    // The same node as the source page's own JSON-LD.
    if let Some(id) = urls::absolute(ctx.model, &urls::entity(ctx.model, s)) {
        work["@id"] = id.into();
    }
    if let Details::Source(source) = &entity.details {
        work["headline"] = source.title.clone().into();
        if let Some(url) = &source.url {
            work["url"] = url.clone().into();
        }
        if let Some(date) = source.date {
            work["datePublished"] = date.to_string().into();
        }
        if let Some(outlet) = &source.outlet {
            work["publisher"] = json!({"@type": "Organization", "name": outlet});
        }
    }
    work
}
