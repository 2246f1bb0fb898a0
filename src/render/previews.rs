//! The previews: what `popover.js` shows when a reader hovers or focuses a link to an
//! entity, a claim or a discrepancy, or an inline marker. Written once per site as a script
//! (`previews.js`, a map from site-relative URL to preview, like `search-index.js`), so the
//! pages carry no per-page data and the links work unchanged without JavaScript.

use std::collections::BTreeMap;

use serde::Serialize;

use super::memo::{self, Derived};
use super::shared::Core;
use super::views::{ClaimView, DiscLink, DiscrepancyView, Link, script_json_into};
use super::{Ctx, OutputFile, markdown, shorten, urls};
use crate::analyse::Severity;
use crate::error::Error;
use crate::model::capitalised;
use crate::model::{Body, Details, EntityId};

/// The file `popover.js` reads.
pub const PATH: &str = "previews.js";

/// The longest one-line summary, in characters.
const SUMMARY: usize = 160;

/// One preview. Short keys keep the file small: it holds every entity, claim and
/// discrepancy of the briefing.
#[derive(Serialize, Default)]
struct Preview {
    /// What it is: `Country`, `Person`, `Claim`, or a discrepancy's outcome (`Conflict`).
    k: String,
    /// Its name or title.
    n: String,
    /// A one-line summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<String>,
    /// Its counts, in words ("12 claims · 3 discrepancies").
    #[serde(skip_serializing_if = "Option::is_none")]
    c: Option<String>,
    /// A claim's source, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    src: Option<String>,
    /// A claim's quote, shortened.
    #[serde(skip_serializing_if = "Option::is_none")]
    q: Option<String>,
    /// A claim's discrepancies shown beside it, when it has more than one (their URLs): a
    /// marker's popover names the others its marker stands for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ds: Vec<String>,
    /// A discrepancy's severity (`flag`, `mark`; none once dismissed).
    #[serde(skip_serializing_if = "Option::is_none")]
    sev: Option<Severity>,
    /// A discrepancy's number, as its card and markers show it.
    #[serde(skip_serializing_if = "Option::is_none")]
    num: Option<usize>,
    /// What its outcome means (the legend's sentence).
    #[serde(skip_serializing_if = "Option::is_none")]
    m: Option<&'static str>,
    /// A discrepancy's readings: value, its sources by name, whether best supported.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    r: Vec<(String, Vec<String>, bool)>,
    /// The analyst's verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    v: Option<String>,
}

/// What a URL of `previews.js` previews.
#[derive(Clone, Copy)]
enum Item {
    Entity(EntityId),
    /// A claim's view, by its position in [`Core::claims`].
    Claim(usize),
    /// A discrepancy's view, by its position in [`Core::disc_views`].
    Discrepancy(usize),
}

/// The previews by URL: each is made as the file is written, so only the URLs are held.
struct Previews<'a> {
    core: &'a Core<'a>,
    items: BTreeMap<String, Item>,
}

impl Serialize for Previews<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let core = self.core;
        serializer.collect_map(self.items.iter().map(|(url, item)| {
            let preview = match *item {
                Item::Entity(e) => entity(core.ctx, e),
                Item::Claim(c) => claim(&core.claims[c]),
                Item::Discrepancy(d) => discrepancy(&core.disc_views[d]),
            };
            (url, preview)
        }))
    }
}

/// Builds `previews.js`.
pub fn file(core: &Core) -> Result<OutputFile, Error> {
    let model = core.ctx.model;
    let mut items = BTreeMap::new();
    for e in 0..model.entities.len() {
        items.insert(urls::entity(model, EntityId(e)), Item::Entity(EntityId(e)));
    }
    for (i, c) in core.claims.iter().enumerate() {
        items.insert(c.url.clone(), Item::Claim(i));
    }
    for (i, d) in core.disc_views.iter().enumerate() {
        items.insert(d.link.url.clone(), Item::Discrepancy(i));
    }
    let mut bytes = b"window.DOSSIER_PREVIEWS = ".to_vec();
    script_json_into(&mut bytes, &Previews { core, items })
        .map_err(|e| Error::Other(format!("cannot serialise {PATH}: {e}")))?;
    bytes.extend_from_slice(b";\n");
    Ok(OutputFile {
        path: PATH.into(),
        bytes,
    })
}

/// A claim's preview: its value, counts, source and quote.
fn claim(c: &ClaimView) -> Preview {
    let counts = match (c.discrepancies.len(), c.uncorroborated) {
        (0, true) => Some("single source".to_string()),
        (0, false) => None,
        (n, _) => Some(plural(n, "discrepancy", "discrepancies")),
    };
    Preview {
        k: "Claim".into(),
        n: format!("{}: {}", c.subject.name, c.label),
        s: Some(shorten(&c.value, SUMMARY)),
        c: counts,
        src: Some(graded(&c.source)),
        q: Some(shorten(c.quote, 120)),
        ds: others(&c.discrepancies),
        ..Preview::default()
    }
}

/// A discrepancy's preview: its outcome, number and readings.
fn discrepancy(d: &DiscrepancyView) -> Preview {
    let link = &d.link;
    let found = (link.found != link.kind).then(|| format!("found as {}", link.found_name));
    Preview {
        k: link.label.clone(),
        n: link.title.clone(),
        s: found,
        sev: link.severity,
        num: Some(link.number),
        m: Some(link.meaning),
        r: (d.readings.iter())
            .map(|r| {
                let sources = r.sources.iter().map(graded).collect();
                (shorten(&r.value, 80), sources, r.best)
            })
            .collect(),
        v: d.verdict.clone(),
        ..Preview::default()
    }
}

/// A source's name with the analyst's grade: `Report 000 (C2)`.
fn graded(source: &Link) -> String {
    match &source.grade {
        Some(g) => format!("{} ({})", source.name, g.code),
        None => source.name.clone(),
    }
}

/// The URLs of `discs` shown beside a claim (not dismissed), when there are several.
fn others(discs: &[DiscLink]) -> Vec<String> {
    let shown: Vec<String> = (discs.iter())
        .filter(|d| d.severity.is_some())
        .map(|d| d.url.clone())
        .collect();
    if shown.len() > 1 { shown } else { Vec::new() }
}

/// An entity's preview: its kind, name, a line about it and its counts.
fn entity(ctx: &Ctx, e: EntityId) -> Preview {
    let model = ctx.model;
    let entity = model.entity(e);
    let claims = model.claims_about[e.0].len()
        + (model.claims_by[e.0].iter())
            .filter(|c| model.claim(**c).subject != e)
            .count();
    let discs = &ctx.analysis.by_entity[e.0];
    let flagged = (discs.iter())
        .filter(|d| ctx.analysis.discrepancies[**d].severity() == Some(Severity::Flag))
        .count();
    let mut counts = plural(claims, "claim", "claims");
    if !discs.is_empty() {
        counts.push_str(" · ");
        counts.push_str(&plural(discs.len(), "discrepancy", "discrepancies"));
        if flagged > 0 {
            counts.push_str(&format!(" ({flagged} flagged)"));
        }
    }
    let summary = entity
        .summary
        .map(|p| summary(&model.pages[p.0].body, ctx))
        .filter(|s| !s.is_empty())
        .or_else(|| about(ctx, e));
    Preview {
        k: model.kind(entity.kind).label.clone(),
        n: entity.name.clone(),
        s: summary.map(|s| shorten(&s, SUMMARY)),
        c: Some(counts),
        ..Preview::default()
    }
}

/// A line about an entity from its record, for one without a summary page.
fn about(ctx: &Ctx, e: EntityId) -> Option<String> {
    let model = ctx.model;
    let name = |id: Option<EntityId>| id.map(|i| model.entity(i).name.clone());
    let parts: Vec<String> = match &model.entity(e).details {
        Details::Person(p) => {
            let title = p.titles.first().map(|(t, _)| t.clone());
            [title, name(p.affiliation).or_else(|| name(p.country))]
                .into_iter()
                .flatten()
                .collect()
        }
        Details::Organization(o) => [o.kind.clone(), name(o.country), name(o.part_of)]
            .into_iter()
            .flatten()
            .collect(),
        Details::Place(p) => [p.kind.clone(), name(p.part_of)]
            .into_iter()
            .flatten()
            .collect(),
        Details::Source(s) => {
            let date = s.date.map(|d| d.long());
            [Some(format!("“{}”", s.title)), s.outlet.clone(), date]
                .into_iter()
                .flatten()
                .collect()
        }
        _ => Vec::new(),
    };
    (!parts.is_empty()).then(|| capitalised(&parts.join(", ")))
}

/// The first sentence of `body`'s text: `serve` keeps it for the next build.
fn summary(body: &Body, ctx: &Ctx) -> String {
    let input = || markdown::plain_input(body, ctx);
    let make = || first_sentence(&markdown::plain_text(body, ctx));
    memo::kept(ctx.recorder, Derived::Preview, input, make)
}

/// The first sentence of `text` (at least a few words), or its start.
fn first_sentence(text: &str) -> String {
    let end = (text.match_indices(". "))
        .map(|(i, _)| i + 1)
        .find(|i| *i >= 30)
        .unwrap_or(text.len());
    text.get(..end).unwrap_or(text).to_string()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentences_skip_short_abbreviations() {
        assert_eq!(
            first_sentence("Lithuania has been a member of NATO since 2004. It borders Russia."),
            "Lithuania has been a member of NATO since 2004."
        );
        assert_eq!(
            first_sentence("Dr. X, a minister of defence since 2024. More."),
            "Dr. X, a minister of defence since 2024."
        );
        assert_eq!(first_sentence("No end"), "No end");
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "claim", "claims"), "1 claim");
        assert_eq!(plural(0, "claim", "claims"), "0 claims");
    }
}
