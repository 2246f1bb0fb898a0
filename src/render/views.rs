//! The typed views templates receive: `#[derive(Serialize)]` structs built from the model.
//! URLs in views are relative to the site root; templates prefix them with `root`.

use serde::Serialize;

use super::{Ctx, flags_html, highlight::highlight, markdown};
use crate::analyse::{Discrepancy, DiscrepancyKind};
use crate::model::{Backlink, ClaimId, Details, EntityId, EntityKind, Origin, Value};

/// The root prefix of every page below the site root (all pages but the overview and 404).
pub const DEPTH1: &str = "../";

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct RecordView {
    pub file: String,
    pub line: usize,
    pub html: String,
}

#[derive(Debug, Serialize)]
pub struct ClaimView {
    pub id: String,
    pub url: String,
    pub subject: Link,
    pub property: String,
    pub label: String,
    pub kind: &'static str,
    pub value: String,
    pub value_url: Option<String>,
    pub source: Link,
    pub quote: String,
    pub speaker: Option<Link>,
    pub date: Option<String>,
    pub note_html: Option<String>,
    /// Inline flags (discrepancies, or the single-source mark), for a page one level down.
    pub flags_html: String,
    pub disputed: bool,
    pub uncorroborated: bool,
    pub discrepancies: Vec<DiscLink>,
    pub record: RecordView,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiscLink {
    pub id: String,
    pub url: String,
    pub title: String,
    pub label: String,
    pub kind: String,
}

#[derive(Debug, Serialize)]
pub struct QuoteView {
    pub claim: Link,
    pub quote: String,
    pub source: Link,
}

#[derive(Debug, Serialize)]
pub struct ReadingView {
    pub value: String,
    pub best: bool,
    pub sources: Vec<Link>,
    pub quotes: Vec<QuoteView>,
    /// For quote drift: the words this wording drops and adds, against the first wording.
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct NoteView {
    pub id: String,
    pub title: Option<String>,
    pub html: Option<String>,
    pub verdict: Option<String>,
    pub record: RecordView,
}

#[derive(Debug, Serialize)]
pub struct DiscrepancyView {
    #[serde(flatten)]
    pub link: DiscLink,
    pub subject: Option<Link>,
    pub property: Option<String>,
    pub speaker: Option<Link>,
    pub readings: Vec<ReadingView>,
    pub notes: Vec<NoteView>,
    pub verdict: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FactItem {
    pub text: String,
    pub url: Option<String>,
    pub note: Option<String>,
    pub note_url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FactView {
    pub label: String,
    pub items: Vec<FactItem>,
}

#[derive(Debug, Serialize)]
pub struct EntityView<'a> {
    pub id: String,
    pub kind: EntityKind,
    pub kind_label: &'static str,
    pub name: String,
    pub aliases: Vec<String>,
    pub url: String,
    pub summary_html: Option<String>,
    pub facts: Vec<FactView>,
    pub about: Vec<&'a ClaimView>,
    pub by: Vec<&'a ClaimView>,
    pub discrepancies: Vec<&'a DiscLink>,
    pub backlinks: Vec<Link>,
    pub record: RecordView,
    pub json_ld: String,
}

pub fn link(ctx: &Ctx, e: EntityId) -> Link {
    Link {
        name: ctx.model.entity(e).name.clone(),
        url: ctx.model.entity_url(e),
    }
}

pub fn record(origin: &Origin) -> RecordView {
    RecordView {
        file: origin.file.clone(),
        line: origin.line,
        html: highlight(&origin.yaml, "yaml"),
    }
}

/// The link to discrepancy number `index`.
pub fn disc_link(ctx: &Ctx, index: usize, d: &Discrepancy) -> DiscLink {
    let model = ctx.model;
    // A note may explain several discrepancies (a conflict and a source's contradiction of
    // itself): its title names the first, the others keep titles of their own.
    let note_title = d
        .notes
        .iter()
        .filter(|n| ctx.analysis.by_note[**n] == Some(index))
        .find_map(|n| model.notes[*n].title.clone());
    let title = note_title.unwrap_or_else(|| match (&d.kind, d.subject, &d.property, d.speaker) {
        (DiscrepancyKind::QuoteDrift, _, _, Some(s)) => {
            format!("Wording of {}'s quote", model.entity(s).name)
        }
        (DiscrepancyKind::SelfContradiction, Some(s), Some(p), _) => {
            let source = d.claims.first().map(|c| model.claim(*c).source);
            format!(
                "{} contradicts itself: {}, {}",
                source.map_or("A source", |e| model.short_name(e)),
                model.entity(s).name,
                model.property_label(p).to_lowercase()
            )
        }
        (_, Some(s), Some(p), _) => {
            format!("{}: {}", model.entity(s).name, model.property_label(p))
        }
        _ => d.id.clone(),
    });
    DiscLink {
        id: d.id.clone(),
        url: format!("discrepancies/index.html#{}", d.id),
        title,
        label: d.kind.label(),
        kind: d.kind.slug(),
    }
}

pub fn claim(ctx: &Ctx, c: ClaimId, discs: &[DiscLink]) -> ClaimView {
    let model = ctx.model;
    let claim = model.claim(c);
    let value_url = match claim.value {
        Value::Entity(e) => Some(model.entity_url(e)),
        _ => None,
    };
    let in_discs = &ctx.analysis.by_claim[c.0];
    ClaimView {
        id: claim.id.clone(),
        url: model.claim_url(c),
        subject: link(ctx, claim.subject),
        property: claim.property.clone(),
        label: model.property_label(&claim.property),
        kind: claim.value.kind_name(),
        value: model.display_value(&claim.value),
        value_url,
        source: link(ctx, claim.source),
        quote: claim.quote.clone(),
        speaker: claim.speaker.map(|s| link(ctx, s)),
        date: claim.date.map(|d| d.long()),
        note_html: claim
            .note
            .as_deref()
            .map(|n| markdown::to_html(n, DEPTH1, ctx)),
        flags_html: flags_html(c, DEPTH1, ctx),
        disputed: !in_discs.is_empty(),
        uncorroborated: ctx.analysis.uncorroborated[c.0],
        discrepancies: in_discs.iter().map(|d| discs[*d].clone()).collect(),
        record: record(&claim.origin),
    }
}

pub fn discrepancy(ctx: &Ctx, d: &Discrepancy, link: DiscLink) -> DiscrepancyView {
    let model = ctx.model;
    let best: Vec<ClaimId> = d
        .notes
        .iter()
        .filter_map(|n| model.notes[*n].best)
        .collect();
    let readings = d
        .readings
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let diff = i.checked_sub(1).and_then(|k| d.drift.get(k));
            ReadingView {
                value: r.value.clone(),
                best: r.claims.iter().any(|c| best.contains(c)),
                sources: r.sources.iter().map(|s| self::link(ctx, *s)).collect(),
                quotes: r
                    .claims
                    .iter()
                    .map(|c| {
                        let claim = model.claim(*c);
                        QuoteView {
                            claim: Link {
                                name: claim.id.clone(),
                                url: model.claim_url(*c),
                            },
                            quote: claim.quote.clone(),
                            source: self::link(ctx, claim.source),
                        }
                    })
                    .collect(),
                removed: diff.map(|x| x.removed.clone()).unwrap_or_default(),
                added: diff.map(|x| x.added.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let notes: Vec<NoteView> = d
        .notes
        .iter()
        .map(|n| {
            let note = &model.notes[*n];
            NoteView {
                id: note.id.clone(),
                title: note.title.clone(),
                html: note
                    .note
                    .as_deref()
                    .map(|t| markdown::to_html(t, DEPTH1, ctx)),
                verdict: note.verdict.clone(),
                record: record(&note.origin),
            }
        })
        .collect();
    DiscrepancyView {
        link,
        subject: d.subject.map(|s| self::link(ctx, s)),
        property: d.property.as_deref().map(|p| model.property_label(p)),
        speaker: d.speaker.map(|s| self::link(ctx, s)),
        verdict: notes.iter().find_map(|n| n.verdict.clone()),
        readings,
        notes,
    }
}

fn item(text: impl Into<String>, url: Option<String>) -> FactItem {
    FactItem {
        text: text.into(),
        url,
        note: None,
        note_url: None,
    }
}

fn fact(label: &str, items: Vec<FactItem>) -> Option<FactView> {
    (!items.is_empty()).then(|| FactView {
        label: label.into(),
        items,
    })
}

/// The key facts of an entity's record, as label and items.
pub fn facts(ctx: &Ctx, e: EntityId) -> Vec<FactView> {
    let model = ctx.model;
    let entity = model.entity(e);
    let linked = |id: Option<EntityId>| {
        id.map(|i| {
            vec![item(
                model.entity(i).name.clone(),
                Some(model.entity_url(i)),
            )]
        })
        .unwrap_or_default()
    };
    let text = |t: &Option<String>| t.iter().map(|t| item(t.clone(), None)).collect::<Vec<_>>();
    let mut facts: Vec<Option<FactView>> = Vec::new();
    match &entity.details {
        Details::Country => {}
        Details::Person(p) => {
            let titles = p
                .titles
                .iter()
                .map(|(t, s)| FactItem {
                    text: t.clone(),
                    url: None,
                    note: Some(model.entity(*s).name.clone()),
                    note_url: Some(model.entity_url(*s)),
                })
                .collect();
            facts.push(fact("Title, per source", titles));
            facts.push(fact("Country", linked(p.country)));
            facts.push(fact("Affiliation", linked(p.affiliation)));
            if p.unnamed {
                facts.push(fact(
                    "Identity",
                    vec![item("Not named by the sources: identified by role", None)],
                ));
            }
        }
        Details::Organization(o) => {
            facts.push(fact("Kind", text(&o.kind)));
            facts.push(fact("Country", linked(o.country)));
        }
        Details::Source(s) => {
            let outlet = match &s.outlet {
                Some(o) => vec![item(o.clone(), None)],
                None => vec![item("Unknown", None)],
            };
            facts.push(fact("Outlet", outlet));
            facts.push(fact("Outlet note", text(&s.outlet_note)));
            facts.push(fact("Title", vec![item(s.title.clone(), None)]));
            let date = s.date.map_or_else(|| "Not given".into(), |d| d.long());
            facts.push(fact("Date", vec![item(date, None)]));
            facts.push(fact(
                "Address",
                s.url.iter().map(|u| item(u.clone(), None)).collect(),
            ));
            facts.push(fact("Document", text(&s.document)));
            let relays: Vec<FactItem> = s
                .relays
                .iter()
                .map(|r| item(model.entity(*r).name.clone(), Some(model.entity_url(*r))))
                .collect();
            facts.push(fact("Relays", relays));
            facts.push(fact("Relay statement", text(&s.relay_note)));
            let ai = match (s.ai_text, s.ai_images) {
                (true, true) => "Declares text and images AI-generated",
                (true, false) => "Declares its text AI-generated",
                (false, true) => "Declares its images AI-generated",
                (false, false) => "No AI-generation declared",
            };
            facts.push(fact("AI generation", vec![item(ai, None)]));
            facts.push(fact("AI note", text(&s.ai_note)));
            facts.push(fact("Reliability", text(&s.reliability)));
            facts.push(fact(
                "Not article text",
                s.noise.iter().map(|n| item(n.clone(), None)).collect(),
            ));
        }
    }
    facts.push(fact(
        "Also written",
        entity
            .aliases
            .iter()
            .map(|a| item(a.clone(), None))
            .collect(),
    ));
    facts.into_iter().flatten().collect()
}

/// Pages that link to an entity.
pub fn backlinks(ctx: &Ctx, e: EntityId) -> Vec<Link> {
    ctx.model.backlinks[e.0]
        .iter()
        .map(|b| match b {
            Backlink::Entity(other) => link(ctx, *other),
            Backlink::Page(p) => {
                let page = &ctx.model.pages[p.0];
                Link {
                    name: page.title.clone(),
                    url: page.url.clone(),
                }
            }
        })
        .collect()
}

/// schema.org JSON-LD for an entity page, safe to place inside `<script>`.
pub fn json_ld(ctx: &Ctx, e: EntityId) -> String {
    let model = ctx.model;
    let entity = model.entity(e);
    let mut doc = serde_json::json!({
        "@context": "https://schema.org",
        "name": entity.name,
    });
    let kind = match &entity.details {
        Details::Country => "Country",
        Details::Person(p) => {
            if let Some((title, _)) = p.titles.first() {
                doc["jobTitle"] = title.clone().into();
            }
            "Person"
        }
        Details::Organization(_) => "Organization",
        Details::Source(s) => {
            doc["headline"] = s.title.clone().into();
            if let Some(d) = s.date {
                doc["datePublished"] = d.to_string().into();
            }
            if let Some(o) = &s.outlet {
                doc["publisher"] = serde_json::json!({"@type": "Organization", "name": o});
            }
            if let Some(u) = &s.url {
                doc["url"] = u.clone().into();
            }
            "NewsArticle"
        }
    };
    doc["@type"] = kind.into();
    if !entity.aliases.is_empty() {
        doc["alternateName"] = entity.aliases.clone().into();
    }
    if model.config.base_url.is_absolute() {
        doc["@id"] = format!("{}{}", model.config.base_url.url, model.entity_url(e)).into();
    }
    script_safe_json(&doc)
}

/// JSON for a `<script>` element: `<`, `>` and `&` escaped so no string can close the element.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
