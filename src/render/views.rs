//! The typed views templates receive: `#[derive(Serialize)]` structs built once per build
//! from the model and shared by every page that shows them (see `shared`). URLs in views are
//! relative to the site root; templates prefix them with `root`.

use std::borrow::Cow;

use serde::Serialize;

use super::urls::{self, Route};
use super::{Ctx, flags, highlight::highlight, markdown};
use crate::analyse::{Discrepancy, DiscrepancyKind, Severity};
use crate::model::{
    Backlink, ClaimId, Details, EntityId, EntityKind, Model, Origin, Source, Value,
};
use crate::resolve::QuoteCheck;

/// The root prefix of the pages that show the views' HTML fragments (flags, notes,
/// summaries): entity, claim, list, claims, discrepancies and timeline pages, one folder
/// below the site root. Page jobs check their pages have it.
pub const ROOT: &str = "../";

/// Where a link leads, as a page shows it: `url` goes after the page's `root`. In the print
/// view a place inside the view is `#anchor` (with an empty `root`) and `ref` is its section
/// number, for `data-ref`; elsewhere `ref` is absent.
#[derive(Debug, Clone, Serialize)]
pub struct Href<'a> {
    pub url: Cow<'a, str>,
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub number: Option<&'a str>,
}

impl<'a> Href<'a> {
    /// A site-relative URL, on a page of the site.
    pub fn site(url: impl Into<Cow<'a, str>>) -> Self {
        Href {
            url: url.into(),
            number: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// The YAML record a page comes from, highlighted (for pages that show it).
#[derive(Debug, Serialize)]
pub struct RecordView {
    pub file: String,
    pub line: usize,
    pub html: String,
}

/// Where a record is, without its text (for records no page shows).
#[derive(Debug, Serialize)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Serialize)]
pub struct ClaimView {
    /// The claim it shows.
    #[serde(skip)]
    pub claim: ClaimId,
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
    /// Who made the statement, according to the source: a person or an organization.
    pub speaker: Option<Link>,
    /// The speaker's kind (`person`, `organization`), when there is one.
    pub speaker_kind: Option<EntityKind>,
    /// When the statement was made, written out.
    pub date: Option<String>,
    /// The moment the value held, written out (`July 2025`, `by 2026`).
    pub as_of: Option<String>,
    /// How strongly the source states it (`planned`, `confirmed`, ...).
    pub modality: Option<&'static str>,
    /// Whether and how the quote was verified against the source's document.
    pub verification: VerificationView,
    pub note_html: Option<String>,
    /// Inline flags and marks (or the single-source mark), for a page one level down.
    pub flags_html: String,
    /// Part of a finding shown as a flag (a real disagreement).
    pub disputed: bool,
    /// Part of a soft finding shown as a mark, and of no flag.
    pub marked: bool,
    pub uncorroborated: bool,
    /// Every discrepancy it is part of, dismissed ones included.
    pub discrepancies: Vec<DiscLink>,
    pub record: RecordView,
}

/// How a claim's quote was verified ([`QuoteCheck`]).
#[derive(Debug, Clone, Serialize)]
pub struct VerificationView {
    /// `verified` (against the document, in this run), `locked` (matches the verified
    /// record, `content/verified.lock`) or `not-verified`.
    pub state: &'static str,
    /// In words: "verified against the source document (SHA-256 abcd1234…)".
    pub text: String,
    /// In a few words, for claim lists: "quote verified".
    pub short: &'static str,
    /// The document's SHA-256, when the quote was found in it.
    pub sha256: Option<String>,
    /// When it was verified (`YYYY-MM-DD`), when it was.
    pub on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiscLink {
    pub id: String,
    pub url: String,
    pub title: String,
    /// The outcome's name with a capital (`Conflict`, `Compatible`), for headings.
    pub label: String,
    /// The outcome's name (`conflict`, `quote drift`): the one name everywhere.
    pub name: &'static str,
    /// The outcome's slug after the notes (`conflict`, `compatible`, `dismissed`), as in
    /// `facts.json`; also the CSS class (`flag-conflict`).
    pub kind: String,
    /// What the analysis found, before any note (`conflict`): differs from `kind` once a
    /// note downgraded or dismissed it.
    pub found: String,
    /// The name of what was found (`conflict`).
    pub found_name: &'static str,
    /// `flag`, `mark`, or none once dismissed.
    pub severity: Option<Severity>,
    /// What the outcome means (the legend's sentence).
    pub meaning: &'static str,
    /// Its number, from 1 in the discrepancies page's order: inline markers show it.
    pub number: usize,
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
    /// The best-supported reading ([`Discrepancy::best`]); none is on a tie.
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
    /// Where the note is written (not highlighted: no page shows the record).
    pub record: Place,
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
    /// The analyst's verdict ([`Discrepancy::verdict`]).
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
    /// Every discrepancy it is involved in, dismissed ones included.
    pub discrepancies: Vec<&'a DiscLink>,
    /// The same, split by severity: flags, marks, and those an analyst dismissed.
    pub flagged: Vec<&'a DiscLink>,
    pub marked: Vec<&'a DiscLink>,
    pub dismissed: Vec<&'a DiscLink>,
    pub backlinks: Vec<Link>,
    pub record: RecordView,
    pub json_ld: String,
}

pub fn link(ctx: &Ctx, e: EntityId) -> Link {
    Link {
        name: ctx.model.entity(e).name.clone(),
        url: urls::entity(ctx.model, e),
    }
}

/// The record, highlighted: only for records a page shows.
pub fn record(origin: &Origin) -> RecordView {
    RecordView {
        file: origin.file.clone(),
        line: origin.line,
        html: highlight(&origin.yaml, "yaml"),
    }
}

fn place(origin: &Origin) -> Place {
    Place {
        file: origin.file.clone(),
        line: origin.line,
    }
}

/// The entities of a kind in the order their list page (and the print view) shows them:
/// sources in file order, the others by name.
pub fn list_order(model: &Model, kind: EntityKind) -> Vec<EntityId> {
    let mut ids: Vec<EntityId> = (0..model.entities.len())
        .map(EntityId)
        .filter(|e| model.entity(*e).kind == kind)
        .collect();
    if kind != EntityKind::Source {
        ids.sort_by_key(|e| model.entity(*e).name.to_lowercase());
    }
    ids
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
                source.map_or("A source", |e| model.entity(e).name.as_str()),
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
        url: urls::discrepancy(d),
        title,
        label: capitalised(flags::outcome_label(d)),
        name: flags::outcome_label(d),
        kind: d.outcome(),
        found: d.kind.slug(),
        found_name: d.kind.short_label(),
        severity: d.severity(),
        meaning: flags::outcome_meaning(d),
        number: flags::display_number(ctx.analysis, index),
    }
}

/// `text` with its first letter a capital.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// How claim `c`'s quote was verified, in words.
pub fn verification(ctx: &Ctx, c: ClaimId) -> VerificationView {
    let check = ctx.model.config.verification.of(c);
    let sha256 = check
        .and_then(QuoteCheck::document_sha256)
        .map(str::to_string);
    let on = check
        .and_then(QuoteCheck::verified_on)
        .map(|d| d.to_string());
    let short: String = sha256.as_deref().unwrap_or("").chars().take(12).collect();
    let (state, text) = match check {
        Some(QuoteCheck::Verified { .. }) => (
            "verified",
            format!("verified against the source document (SHA-256 {short}…)"),
        ),
        Some(QuoteCheck::Locked { on, .. }) => (
            "locked",
            format!(
                "matches the verified record of {} (content/verified.lock; document SHA-256 {short}…)",
                on.long()
            ),
        ),
        Some(QuoteCheck::Changed) => (
            "not-verified",
            "not verified: the quote changed since it was verified".to_string(),
        ),
        Some(QuoteCheck::NotLocked) => (
            "not-verified",
            "not verified: the document is not at hand and the verified record has no entry"
                .to_string(),
        ),
        Some(QuoteCheck::NoDocument) => (
            "not-verified",
            "not verified: the source names no document".to_string(),
        ),
        Some(QuoteCheck::NotFound) => (
            "not-verified",
            "not verified: not found in the document".to_string(),
        ),
        None => ("not-verified", "not verified".to_string()),
    };
    let short = match state {
        "verified" => "quote verified",
        "locked" => "quote matches the verified record",
        _ => "quote not verified",
    };
    VerificationView {
        state,
        text,
        short,
        sha256,
        on,
    }
}

/// A claim's view; `flags_html` is its flags for a page at [`ROOT`].
pub fn claim(ctx: &Ctx, c: ClaimId, discs: &[DiscLink], flags_html: String) -> ClaimView {
    let model = ctx.model;
    let claim = model.claim(c);
    let value_url = match claim.value {
        Value::Entity(e) => Some(urls::entity(model, e)),
        _ => None,
    };
    let in_discs = &ctx.analysis.by_claim[c.0];
    let severity = |s: Severity| {
        (in_discs.iter()).any(|d| ctx.analysis.discrepancies[*d].severity() == Some(s))
    };
    let disputed = severity(Severity::Flag);
    ClaimView {
        claim: c,
        id: claim.id.clone(),
        url: urls::claim(model, c),
        subject: link(ctx, claim.subject),
        property: claim.property.clone(),
        label: model.property_label(&claim.property),
        kind: claim.value.kind_name(),
        value: model.display_value(&claim.value),
        value_url,
        source: link(ctx, claim.source),
        quote: claim.quote.clone(),
        speaker: claim.speaker.map(|s| link(ctx, s)),
        speaker_kind: claim.speaker.map(|s| model.entity(s).kind),
        date: claim.date.map(|d| d.long()),
        as_of: claim.as_of.map(|d| d.long()),
        modality: claim.modality.map(|m| m.name()),
        verification: verification(ctx, c),
        note_html: model.note_bodies.claims[c.0]
            .as_ref()
            .map(|n| markdown::to_html(n, ROOT, ctx)),
        flags_html,
        disputed,
        marked: !disputed && severity(Severity::Mark),
        uncorroborated: ctx.analysis.uncorroborated[c.0],
        discrepancies: in_discs.iter().map(|d| discs[*d].clone()).collect(),
        record: record(&claim.origin),
    }
}

/// An entity's view, borrowing the claim views and discrepancy links built before it.
pub fn entity<'a>(
    ctx: &Ctx,
    e: EntityId,
    claims: &'a [ClaimView],
    discs: &'a [DiscLink],
) -> EntityView<'a> {
    let model = ctx.model;
    let entity = model.entity(e);
    let involved: Vec<&DiscLink> = (ctx.analysis.by_entity[e.0].iter())
        .map(|d| &discs[*d])
        .collect();
    let with = |s: Option<Severity>| -> Vec<&DiscLink> {
        involved
            .iter()
            .copied()
            .filter(|d| d.severity == s)
            .collect()
    };
    EntityView {
        id: entity.id.clone(),
        kind: entity.kind,
        kind_label: entity.kind.label(),
        name: entity.name.clone(),
        aliases: entity.aliases.clone(),
        url: urls::entity(model, e),
        summary_html: entity
            .summary
            .map(|p| markdown::to_html(&model.pages[p.0].body, ROOT, ctx)),
        facts: facts(ctx, e),
        about: model.claims_about[e.0]
            .iter()
            .map(|c| &claims[c.0])
            .collect(),
        by: model.claims_by[e.0]
            .iter()
            .filter(|c| model.claim(**c).subject != e)
            .map(|c| &claims[c.0])
            .collect(),
        flagged: with(Some(Severity::Flag)),
        marked: with(Some(Severity::Mark)),
        dismissed: with(None),
        discrepancies: involved,
        backlinks: backlinks(ctx, e),
        record: record(&entity.origin),
        json_ld: json_ld(ctx, e),
    }
}

pub fn discrepancy(ctx: &Ctx, d: &Discrepancy, link: DiscLink) -> DiscrepancyView {
    let model = ctx.model;
    let readings = d
        .readings
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let diff = i.checked_sub(1).and_then(|k| d.drift.get(k));
            ReadingView {
                value: r.value.clone(),
                best: d.best == Some(i),
                sources: r.sources.iter().map(|s| self::link(ctx, *s)).collect(),
                quotes: r
                    .claims
                    .iter()
                    .map(|c| {
                        let claim = model.claim(*c);
                        QuoteView {
                            claim: Link {
                                name: claim.id.clone(),
                                url: urls::claim(model, *c),
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
                html: model.note_bodies.notes[*n]
                    .as_ref()
                    .map(|t| markdown::to_html(t, ROOT, ctx)),
                verdict: note.verdict.clone(),
                record: place(&note.origin),
            }
        })
        .collect();
    DiscrepancyView {
        link,
        subject: d.subject.map(|s| self::link(ctx, s)),
        property: d.property.as_deref().map(|p| model.property_label(p)),
        speaker: d.speaker.map(|s| self::link(ctx, s)),
        verdict: d.verdict.clone(),
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
                Some(urls::entity(model, i)),
            )]
        })
        .unwrap_or_default()
    };
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
                    note_url: Some(urls::entity(model, *s)),
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
            facts.push(fact("Part of", linked(o.part_of)));
        }
        Details::Place(p) => {
            facts.push(fact("Kind", text(&p.kind)));
            facts.push(fact("Part of", linked(p.part_of)));
        }
        Details::Source(s) => facts.extend(source_facts(ctx, s)),
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

/// The facts of a source's record.
fn source_facts(ctx: &Ctx, s: &Source) -> Vec<Option<FactView>> {
    let model = ctx.model;
    let mut facts = Vec::new();
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
        .map(|r| item(model.entity(*r).name.clone(), Some(urls::entity(model, *r))))
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
    facts
}

fn text(t: &Option<String>) -> Vec<FactItem> {
    t.iter().map(|t| item(t.clone(), None)).collect()
}

/// Pages that link to an entity.
pub fn backlinks(ctx: &Ctx, e: EntityId) -> Vec<Link> {
    ctx.model.backlinks[e.0]
        .iter()
        .map(|b| match b {
            Backlink::Entity(other) => link(ctx, *other),
            Backlink::Page(p) => Link {
                name: ctx.model.pages[p.0].title.clone(),
                url: Route::of_page(ctx.model, *p).url(ctx.model).into_owned(),
            },
            Backlink::Claim(c) => {
                let claim = ctx.model.claim(*c);
                let subject = &ctx.model.entity(claim.subject).name;
                Link {
                    name: format!("{subject}: {}", ctx.model.property_label(&claim.property)),
                    url: urls::claim(ctx.model, *c),
                }
            }
            Backlink::Note(n) => {
                let anchor = markdown::note_anchor(ctx, *n);
                let title = ctx.analysis.by_note[*n]
                    .map(|d| disc_link(ctx, d, &ctx.analysis.discrepancies[d]).title);
                Link {
                    name: title.unwrap_or_else(|| anchor.to_string()),
                    url: urls::on_discrepancies(anchor),
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
        Details::Place(_) => "Place",
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
    if let Some(id) = urls::absolute(model, &urls::entity(model, e)) {
        doc["@id"] = id.into();
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
