//! `facts.json`: the machine-readable export of entities, claims and discrepancies.
//! The schema is documented in the README; `version` changes when it does.

use std::collections::BTreeMap;

use serde::Serialize;

use super::views::DiscLink;
use super::{Ctx, OutputFile, flags, urls};
use crate::analyse::{OUTCOMES, Severity};
use crate::error::Error;
use crate::model::{Details, EntityId, KindInfo, Model, Value};

/// The version of the `facts.json` schema: 2 added typed values (quantities, date spans,
/// lists), `as_of`, `modality`, outcomes with severities and resolutions, and the legend;
/// 3 the declared kinds of entity (`kinds`), each entity's `part_of` and `attributes`, and
/// the analyst's grades of sources and claims (`grade`).
pub const FACTS_VERSION: u32 = 3;

#[derive(Serialize)]
struct Facts<'a> {
    version: u32,
    title: &'a str,
    date: Option<String>,
    /// Every outcome a discrepancy (or a claim's `uncorroborated`) can have.
    outcomes: Vec<OutcomeOut>,
    /// The kinds of entity `dossier.yaml` declares (the built-in ones are not listed).
    kinds: &'a [KindInfo],
    entities: Vec<EntityOut<'a>>,
    claims: Vec<ClaimOut<'a>>,
    discrepancies: Vec<DiscOut<'a>>,
}

#[derive(Serialize)]
struct OutcomeOut {
    outcome: &'static str,
    /// Its name, as the pages show it (`quote drift`).
    name: &'static str,
    severity: Severity,
    meaning: &'static str,
}

#[derive(Serialize)]
struct EntityOut<'a> {
    id: &'a str,
    kind: &'a str,
    name: &'a str,
    aliases: &'a [String],
    url: String,
    /// What it lies in or belongs to (`part_of`, or a place's or organization's country).
    part_of: Option<&'a str>,
    /// A declared kind's attributes, by id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    attributes: BTreeMap<&'a str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<SourceOut<'a>>,
}

#[derive(Serialize)]
struct SourceOut<'a> {
    outlet: Option<&'a str>,
    title: &'a str,
    date: Option<String>,
    url: Option<&'a str>,
    document: Option<&'a str>,
    relays: Vec<&'a str>,
    ai_generated_text: bool,
    ai_generated_images: bool,
    /// The analyst's grade on the Admiralty scale (`B`, `B2`).
    grade: Option<String>,
}

#[derive(Serialize)]
struct ClaimOut<'a> {
    id: &'a str,
    subject: &'a str,
    property: &'a str,
    kind: &'static str,
    value: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    source: &'a str,
    document: Option<&'a str>,
    quote: &'a str,
    speaker: Option<&'a str>,
    date: Option<String>,
    as_of: Option<String>,
    modality: Option<&'static str>,
    /// Its source's grade with the claim's own credibility (`B3`).
    grade: Option<String>,
    uncorroborated: bool,
    discrepancies: Vec<&'a str>,
}

#[derive(Serialize)]
struct ReadingOut<'a> {
    value: &'a str,
    claims: Vec<&'a str>,
    sources: Vec<&'a str>,
}

#[derive(Serialize)]
struct DiscOut<'a> {
    id: &'a str,
    /// What was found, before any note.
    kind: String,
    /// After the notes: the kind, or `compatible` / `dismissed`.
    outcome: String,
    /// The outcome's name, as the pages show it (`quote drift`).
    name: &'static str,
    /// Its number, as the pages' markers and cards show it.
    number: usize,
    /// `flag`, `mark`, or null once dismissed.
    severity: Option<Severity>,
    title: &'a str,
    subject: Option<&'a str>,
    property: Option<&'a str>,
    speaker: Option<&'a str>,
    readings: Vec<ReadingOut<'a>>,
    notes: Vec<&'a str>,
    verdict: Option<&'a str>,
    /// The value of the best-supported reading; null on a tie.
    best: Option<&'a str>,
}

/// Where `facts.json` is written.
pub const PATH: &str = "facts.json";

/// Builds `facts.json`.
pub fn facts_json(ctx: &Ctx, links: &[DiscLink]) -> Result<OutputFile, Error> {
    let model = ctx.model;
    let facts = Facts {
        version: FACTS_VERSION,
        title: &model.config.title,
        date: model.config.date.map(|d| d.to_string()),
        outcomes: (OUTCOMES.iter())
            .map(|(outcome, severity, meaning)| OutcomeOut {
                outcome,
                name: flags::outcome_name(outcome),
                severity: *severity,
                meaning,
            })
            .collect(),
        kinds: model.config.kinds.declared(),
        entities: entities(ctx),
        claims: claims(ctx),
        discrepancies: discrepancies(ctx, links),
    };
    let bytes = serde_json::to_vec_pretty(&facts)
        .map_err(|e| Error::Other(format!("cannot serialise facts.json: {e}")))?;
    Ok(OutputFile {
        path: PATH.into(),
        bytes,
    })
}

fn entities<'a>(ctx: &Ctx<'a>) -> Vec<EntityOut<'a>> {
    let model = ctx.model;
    let id = |e: EntityId| model.entity(e).id.as_str();
    model
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| EntityOut {
            id: &e.id,
            kind: &model.kind(e.kind).key,
            name: &e.name,
            aliases: &e.aliases,
            url: urls::entity(model, EntityId(i)),
            part_of: model.parent(EntityId(i)).map(id),
            attributes: match &e.details {
                Details::Custom(c) => (c.attributes.iter())
                    .map(|(l, v)| (l.as_str(), v.as_str()))
                    .collect(),
                _ => BTreeMap::new(),
            },
            source: match &e.details {
                Details::Source(s) => Some(SourceOut {
                    outlet: s.outlet.as_deref(),
                    title: &s.title,
                    date: s.date.map(|d| d.to_string()),
                    url: s.url.as_deref(),
                    document: s.document.as_deref(),
                    relays: s.relays.iter().map(|r| id(*r)).collect(),
                    ai_generated_text: s.ai_text,
                    ai_generated_images: s.ai_images,
                    grade: s.grade.map(|g| g.code()),
                }),
                _ => None,
            },
        })
        .collect()
}

fn claims<'a>(ctx: &Ctx<'a>) -> Vec<ClaimOut<'a>> {
    let model = ctx.model;
    let id = |e: EntityId| model.entity(e).id.as_str();
    model
        .claims
        .iter()
        .enumerate()
        .map(|(i, c)| ClaimOut {
            id: &c.id,
            subject: id(c.subject),
            property: &c.property,
            kind: c.value.kind_name(),
            value: value_json(model, &c.value),
            unit: match &c.value {
                Value::Quantity(q) => Some(q.unit.as_str()),
                _ => None,
            },
            source: id(c.source),
            document: match &model.entity(c.source).details {
                Details::Source(s) => s.document.as_deref(),
                _ => None,
            },
            quote: &c.quote,
            speaker: c.speaker.map(id),
            date: c.date.map(|d| d.to_string()),
            as_of: c.as_of.map(|d| d.to_string()),
            modality: c.modality.map(|m| m.name()),
            grade: super::views::grade(model, c.source).map(|g| g.with(c.credibility).code()),
            uncorroborated: ctx.analysis.uncorroborated[i],
            discrepancies: ctx.analysis.by_claim[i]
                .iter()
                .map(|d| ctx.analysis.discrepancies[*d].id.as_str())
                .collect(),
        })
        .collect()
}

fn discrepancies<'a>(ctx: &Ctx<'a>, links: &'a [DiscLink]) -> Vec<DiscOut<'a>> {
    let model = ctx.model;
    let id = |e: EntityId| model.entity(e).id.as_str();
    ctx.analysis
        .discrepancies
        .iter()
        .zip(links)
        .map(|(d, link)| DiscOut {
            id: &d.id,
            kind: d.kind.slug(),
            outcome: d.outcome(),
            name: link.name,
            number: link.number,
            severity: d.severity(),
            title: &link.title,
            subject: d.subject.map(id),
            property: d.property.as_deref(),
            speaker: d.speaker.map(id),
            readings: d
                .readings
                .iter()
                .map(|r| ReadingOut {
                    value: &r.value,
                    claims: r
                        .claims
                        .iter()
                        .map(|c| model.claim(*c).id.as_str())
                        .collect(),
                    sources: r.sources.iter().map(|s| id(*s)).collect(),
                })
                .collect(),
            notes: d
                .notes
                .iter()
                .map(|n| model.notes[*n].id.as_str())
                .collect(),
            verdict: d.verdict.as_deref(),
            best: d
                .best
                .and_then(|b| d.readings.get(b))
                .map(|r| r.value.as_str()),
        })
        .collect()
}

/// A value as JSON: text with its canonical form, a quantity as its interval in base units,
/// a date as ISO 8601 (`2025-07`, `../2026-12-31`), a list as an array.
fn value_json(model: &Model, value: &Value) -> serde_json::Value {
    use serde_json::json;
    let finite = |x: f64| x.is_finite().then_some(x);
    match value {
        Value::Text { written, canonical } => match canonical {
            Some(c) => json!({"text": written, "canonical": c}),
            None => written.clone().into(),
        },
        Value::Quantity(q) => json!({
            "written": q.written,
            "min": finite(q.low),
            "max": finite(q.high),
            "min_exclusive": q.low_strict,
            "max_exclusive": q.high_strict,
            "approx": q.approx,
            "dimension": q.dimension.name(),
        }),
        Value::Date(d) => d.to_string().into(),
        Value::Status(s) => (*s).into(),
        Value::Bool(b) => (*b).into(),
        Value::Entity(e) => model.entity(*e).id.clone().into(),
        Value::List { items, complete } => json!({
            "items": items.iter().map(|v| value_json(model, v)).collect::<Vec<_>>(),
            "complete": complete,
        }),
    }
}
