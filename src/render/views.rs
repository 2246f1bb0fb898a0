//! The typed views templates receive: `#[derive(Serialize)]` structs built once per build
//! from the model and shared by every page that shows them (see `shared`). URLs in views are
//! relative to the site root; templates prefix them with `root`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::memo::{self, Digest};
use super::urls::{self, Route};
use super::{Ctx, flags, markdown};
use crate::analyse::{Discrepancy, DiscrepancyKind, Severity};
use crate::model::{
    Backlink, ClaimId, Details, EntityId, EntityKind, Grade, Model, Origin, Source, Value,
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
    /// A source's grade (of the claim, where the link is a claim's source).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<GradeView>,
}

impl Link {
    /// A link to something that is not a source: no grade.
    pub fn plain(name: impl Into<String>, url: impl Into<String>) -> Self {
        Link {
            name: name.into(),
            url: url.into(),
            grade: None,
        }
    }
}

/// An analyst's grade as shown beside a source's name: `B2`, and what it means.
#[derive(Debug, Clone, Serialize)]
pub struct GradeView {
    pub code: String,
    pub meaning: String,
}

impl From<Grade> for GradeView {
    fn from(g: Grade) -> Self {
        GradeView {
            code: g.code(),
            meaning: g.meaning(),
        }
    }
}

/// A source's grade, or `None` for any other entity or an ungraded source.
pub fn grade(model: &Model, e: EntityId) -> Option<Grade> {
    match &model.entity(e).details {
        Details::Source(s) => s.grade,
        _ => None,
    }
}

/// The YAML record a page comes from, as written (for pages that show it). It is shown as
/// plain text: syntect's YAML grammar cost half the build's CPU on a record per claim page,
/// for colour in a closed disclosure.
#[derive(Debug, Serialize)]
pub struct RecordView<'m> {
    pub file: &'m str,
    pub line: usize,
    pub yaml: &'m str,
}

/// Where a record is, without its text (for records no page shows).
#[derive(Debug, Serialize)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

/// A claim's view: shown on its page, its subject's and source's pages and many more, so
/// the memo hashes it once ([`memo::shared`]).
#[derive(Debug, Serialize)]
#[serde(remote = "Self")]
pub struct ClaimView<'m> {
    /// The claim it shows.
    #[serde(skip)]
    pub claim: ClaimId,
    pub id: &'m str,
    pub url: String,
    pub subject: Link,
    /// The subject's id.
    pub subject_id: &'m str,
    pub property: &'m str,
    pub label: String,
    pub kind: &'static str,
    pub value: String,
    pub value_url: Option<String>,
    pub source: Link,
    pub quote: &'m str,
    /// Who made the statement, according to the source: a person or an organization.
    pub speaker: Option<Link>,
    /// The speaker's kind (`person`, `organization`), when there is one.
    pub speaker_kind: Option<String>,
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
    pub record: RecordView<'m>,
    /// Its digest, for the memo.
    #[serde(skip)]
    pub digest: OnceLock<Digest>,
}

impl Serialize for ClaimView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// The view's own fields, as `derive(Serialize)` writes them.
        struct Fields<'a, 'm>(&'a ClaimView<'m>);
        impl Serialize for Fields<'_, '_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                ClaimView::serialize(self.0, s)
            }
        }
        memo::shared(&Fields(self), &self.digest, serializer)
    }
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
    /// Where the note is written (no page shows the record).
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

/// The claims about one subject of one property, with the findings on them.
#[derive(Debug, Serialize)]
pub struct PropertyGroup<'a> {
    pub property: &'a str,
    /// The property's label (`Will supply mines to`).
    pub label: String,
    /// Its heading's id on the page: `property--ID`.
    pub anchor: String,
    /// In file order.
    pub claims: Vec<&'a ClaimView<'a>>,
    /// The findings about this subject and property shown beside claims, flags first, for
    /// their readings side by side (dismissed ones are not shown).
    pub discrepancies: Vec<&'a DiscrepancyView>,
    /// The claims by the value they give, in order of first appearance (the claims index).
    pub readings: Vec<ValueClaims<'a>>,
}

/// The claims of a group that give one value.
#[derive(Debug, Serialize)]
pub struct ValueClaims<'a> {
    pub value: &'a str,
    pub claims: Vec<&'a ClaimView<'a>>,
    /// No other source gives it.
    pub uncorroborated: bool,
    /// One of them is part of a flag.
    pub disputed: bool,
}

/// The claims one entity makes or speaks about one subject.
#[derive(Debug, Serialize)]
pub struct SubjectGroup<'a> {
    pub subject: &'a Link,
    /// Its heading's id on the page: `about--ID`.
    pub anchor: String,
    pub claims: Vec<&'a ClaimView<'a>>,
}

/// An entry of a page's contents list.
#[derive(Debug, Serialize)]
pub struct ContentsItem {
    pub anchor: String,
    pub title: String,
    /// A group of claims with a flag (a real disagreement) among them.
    pub flagged: bool,
    pub children: Vec<ContentsItem>,
}

/// A page has a contents list from this many claims, or from three sections.
pub const CONTENTS_FROM_CLAIMS: usize = 6;

#[derive(Debug, Serialize)]
pub struct EntityView<'a> {
    pub id: String,
    /// The kind's key (`country`, `vessel`) and label (`Country`, `Vessel`).
    pub kind: String,
    pub kind_label: String,
    /// A source's grade.
    pub grade: Option<GradeView>,
    pub name: String,
    pub aliases: Vec<String>,
    pub url: String,
    pub summary_html: Option<String>,
    pub facts: Vec<FactView>,
    // The lists below are not drawn from the view: they are paged together
    // ([`EntityView::pages`]), and each page of the entity draws its part of each.
    /// The claims about it.
    #[serde(skip)]
    pub about: Vec<&'a ClaimView<'a>>,
    /// The same, grouped by property (in order of first appearance).
    #[serde(skip)]
    pub about_groups: Vec<PropertyGroup<'a>>,
    /// The claims it makes (a source) or speaks (a person, an organization) about others.
    #[serde(skip)]
    pub by: Vec<&'a ClaimView<'a>>,
    /// The same, grouped by subject (in order of first appearance).
    #[serde(skip)]
    pub by_groups: Vec<SubjectGroup<'a>>,
    /// Every discrepancy it is involved in, in the order they are numbered in (flags, marks,
    /// then those an analyst dismissed).
    #[serde(skip)]
    pub discrepancies: Vec<&'a DiscLink>,
    /// The pages that link to it (made into links per page: [`backlink`]).
    #[serde(skip)]
    pub backlinks: &'a [Backlink],
    /// The first page's sections and groups, for a contents list on a long page; empty on
    /// a short one.
    pub contents: Vec<ContentsItem>,
    pub record: RecordView<'a>,
    /// Authoring details shown with the record, not to every reader (a source's document
    /// file and page furniture).
    pub record_facts: Vec<FactView>,
    pub json_ld: String,
}

impl EntityView<'_> {
    /// How many pages the entity's page takes: each of its lists (claims about it by
    /// property, discrepancies, what it claims by subject, pages that mention it) shows
    /// [`urls::ENTITY_PAGE`] items a page, the first on its own page, the rest on its
    /// [`Route::EntityPage`]s.
    pub fn pages(&self) -> usize {
        let lists = [
            self.about_groups.len(),
            self.discrepancies.len(),
            self.by_groups.len(),
            self.backlinks.len(),
        ];
        lists
            .into_iter()
            .max()
            .unwrap_or(0)
            .div_ceil(urls::ENTITY_PAGE)
            .max(1)
    }
}

pub fn link(ctx: &Ctx, e: EntityId) -> Link {
    Link {
        name: ctx.model.entity(e).name.clone(),
        url: urls::entity(ctx.model, e),
        grade: grade(ctx.model, e).map(GradeView::from),
    }
}

/// A claim's source, graded with the claim's own credibility where it has one.
pub fn claim_source(ctx: &Ctx, c: ClaimId) -> Link {
    let claim = ctx.model.claim(c);
    Link {
        grade: grade(ctx.model, claim.source).map(|g| g.with(claim.credibility).into()),
        ..link(ctx, claim.source)
    }
}

/// The record: only for records a page shows.
pub fn record(origin: &Origin) -> RecordView<'_> {
    RecordView {
        file: &origin.file,
        line: origin.line,
        yaml: &origin.yaml,
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
        url: urls::discrepancy(ctx.analysis, index),
        title,
        label: crate::model::capitalised(flags::outcome_label(d)),
        name: flags::outcome_label(d),
        kind: d.outcome(),
        found: d.kind.slug(),
        found_name: d.kind.short_label(),
        severity: d.severity(),
        meaning: flags::outcome_meaning(d),
        number: ctx.analysis.numbers[index],
    }
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
pub fn claim<'m>(
    ctx: &Ctx<'m>,
    c: ClaimId,
    discs: &[DiscLink],
    flags_html: String,
) -> ClaimView<'m> {
    let model: &'m Model = ctx.model;
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
        id: &claim.id,
        url: urls::claim(model, c),
        subject: link(ctx, claim.subject),
        subject_id: &model.entity(claim.subject).id,
        property: &claim.property,
        label: model.property_label(&claim.property),
        kind: claim.value.kind_name(),
        value: model.display_value(&claim.value),
        value_url,
        source: claim_source(ctx, c),
        quote: &claim.quote,
        speaker: claim.speaker.map(|s| link(ctx, s)),
        speaker_kind: (claim.speaker).map(|s| model.kind(model.entity(s).kind).key.clone()),
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
        digest: OnceLock::new(),
    }
}

/// Claims about `subject`, grouped by property in order of first appearance, each group
/// with the findings on that subject and property (`disc_views` indexed like the
/// analysis's discrepancies) and the anchor `ANCHOR_PREFIX` + the property's id.
pub fn by_property<'a>(
    ctx: &Ctx,
    subject: EntityId,
    anchor_prefix: &str,
    claims: impl IntoIterator<Item = &'a ClaimView<'a>>,
    disc_views: &'a [DiscrepancyView],
) -> Vec<PropertyGroup<'a>> {
    let mut groups: Vec<PropertyGroup> = Vec::new();
    for c in claims {
        match groups.iter_mut().find(|g| g.property == c.property) {
            Some(g) => g.claims.push(c),
            None => groups.push(PropertyGroup {
                property: c.property,
                label: c.label.clone(),
                anchor: format!("{anchor_prefix}{}", c.property),
                claims: vec![c],
                discrepancies: Vec::new(),
                readings: Vec::new(),
            }),
        }
    }
    for g in &mut groups {
        for c in &g.claims {
            match g.readings.iter_mut().find(|r| r.value == c.value) {
                Some(r) => r.claims.push(c),
                None => g.readings.push(ValueClaims {
                    value: &c.value,
                    claims: vec![c],
                    uncorroborated: false,
                    disputed: false,
                }),
            }
        }
        for r in &mut g.readings {
            r.uncorroborated = r.claims.iter().all(|c| c.uncorroborated);
            r.disputed = r.claims.iter().any(|c| c.disputed);
        }
        // Only those the subject is involved in: not a scan of every discrepancy.
        let mut found: Vec<(&Discrepancy, &DiscrepancyView)> = (ctx.analysis.by_entity[subject.0])
            .iter()
            .filter_map(|d| Some((ctx.analysis.discrepancies.get(*d)?, disc_views.get(*d)?)))
            .filter(|(d, v)| {
                d.subject == Some(subject)
                    && d.property.as_deref() == Some(g.property)
                    && v.link.severity.is_some()
            })
            .collect();
        found.sort_by_key(|(_, v)| v.link.severity != Some(Severity::Flag));
        g.discrepancies = found.into_iter().map(|(_, v)| v).collect();
    }
    groups
}

/// Claims grouped by subject, in order of first appearance.
fn by_subject<'a>(claims: &[&'a ClaimView]) -> Vec<SubjectGroup<'a>> {
    let mut groups: Vec<SubjectGroup> = Vec::new();
    // A source's page may hold thousands of subjects: found by index, not by a scan.
    let mut index: HashMap<&str, usize> = HashMap::new();
    for c in claims {
        match index.get(c.subject.url.as_str()) {
            Some(&i) => groups[i].claims.push(c),
            None => {
                index.insert(&c.subject.url, groups.len());
                groups.push(SubjectGroup {
                    subject: &c.subject,
                    anchor: format!("about--{}", c.subject_id),
                    claims: vec![c],
                });
            }
        }
    }
    groups
}

/// The contents of an entity page, when it is long: its sections (and their groups).
fn contents(v: &EntityView) -> Vec<ContentsItem> {
    let item = |anchor: &str, title: String, children| ContentsItem {
        anchor: anchor.to_string(),
        title,
        flagged: false,
        children,
    };
    let group = |anchor: &str, title: String, claims: &[&ClaimView]| ContentsItem {
        flagged: claims.iter().any(|c| c.disputed),
        ..item(anchor, title, Vec::new())
    };
    let mut items = Vec::new();
    if v.summary_html.is_some() {
        items.push(item("summary-h", "Summary".into(), Vec::new()));
    }
    if !v.discrepancies.is_empty() {
        items.push(item("disc-h", "Discrepancies".into(), Vec::new()));
    }
    if !v.about_groups.is_empty() {
        let children = (v.about_groups.iter().take(urls::ENTITY_PAGE))
            .map(|g| group(&g.anchor, g.label.clone(), &g.claims))
            .collect();
        items.push(item(
            "about-h",
            format!("Claims about {}", v.name),
            children,
        ));
    }
    if !v.by_groups.is_empty() {
        let title = if v.kind == "source" {
            "What this source claims"
        } else {
            "Quoted or cited in"
        };
        // The groups on the entity's own page.
        let children = (v.by_groups.iter().take(urls::ENTITY_PAGE))
            .map(|g| group(&g.anchor, g.subject.name.clone(), &g.claims))
            .collect();
        items.push(item("by-h", title.into(), children));
    }
    if !v.backlinks.is_empty() {
        let title = format!("Pages that mention {}", v.name);
        items.push(item("backlinks-h", title, Vec::new()));
    }
    let claims = v.about.len() + v.by.len();
    if items.len() >= 3 || claims >= CONTENTS_FROM_CLAIMS {
        items
    } else {
        Vec::new()
    }
}

/// An entity's view, borrowing the claim and discrepancy views built before it.
pub fn entity<'a>(
    ctx: &Ctx<'a>,
    e: EntityId,
    claims: &'a [ClaimView<'a>],
    discs: &'a [DiscLink],
    disc_views: &'a [DiscrepancyView],
) -> EntityView<'a> {
    let model = ctx.model;
    let entity = model.entity(e);
    let mut involved: Vec<&DiscLink> = (ctx.analysis.by_entity[e.0].iter())
        .map(|d| &discs[*d])
        .collect();
    involved.sort_by_key(|d| d.number);
    let about_groups = by_property(
        ctx,
        e,
        "property--",
        model.claims_about[e.0].iter().map(|c| &claims[c.0]),
        disc_views,
    );
    let by: Vec<&ClaimView> = (model.claims_by[e.0].iter())
        .filter(|c| model.claim(**c).subject != e)
        .map(|c| &claims[c.0])
        .collect();
    let (facts, record_facts) = facts(ctx, e);
    let mut view = EntityView {
        id: entity.id.clone(),
        kind: model.kind(entity.kind).key.clone(),
        kind_label: model.kind(entity.kind).label.clone(),
        grade: grade(model, e).map(GradeView::from),
        name: entity.name.clone(),
        aliases: entity.aliases.clone(),
        url: urls::entity(model, e),
        summary_html: entity
            .summary
            .map(|p| markdown::to_html(&model.pages[p.0].body, ROOT, ctx)),
        facts,
        about: about_groups
            .iter()
            .flat_map(|g| g.claims.iter().copied())
            .collect(),
        about_groups,
        by_groups: by_subject(&by),
        by,
        contents: Vec::new(),
        discrepancies: involved,
        backlinks: &ctx.model.backlinks[e.0],
        record: record(&entity.origin),
        record_facts,
        json_ld: json_ld(ctx, e),
    };
    view.contents = contents(&view);
    view
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
                            claim: Link::plain(&claim.id, urls::claim(model, *c)),
                            quote: claim.quote.clone(),
                            source: claim_source(ctx, *c),
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

/// The key facts of an entity's record, as label and items, and apart from them the
/// authoring details that only the record disclosure shows (a source's document file and
/// page furniture).
pub fn facts(ctx: &Ctx, e: EntityId) -> (Vec<FactView>, Vec<FactView>) {
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
    let mut internals: Vec<Option<FactView>> = Vec::new();
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
        Details::Source(s) => {
            facts.extend(source_facts(ctx, s));
            internals.push(fact("Document file", text(&s.document)));
            internals.push(fact(
                "Not article text",
                s.noise.iter().map(|n| item(n.clone(), None)).collect(),
            ));
        }
        Details::Custom(c) => {
            for (id, value) in &c.attributes {
                let mut declared = model.kind(entity.kind).attributes.iter();
                let label = declared.find(|a| a.id == *id).map_or(id, |a| &a.label);
                facts.push(fact(label, vec![item(value.clone(), None)]));
            }
            facts.push(fact("Part of", linked(c.part_of)));
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
    (
        facts.into_iter().flatten().collect(),
        internals.into_iter().flatten().collect(),
    )
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
    let grade = s.grade.map(|g| format!("{}: {}", g.code(), g.meaning()));
    facts.push(fact("Grade", text(&grade)));
    facts.push(fact("Reliability", text(&s.reliability)));
    facts
}

fn text(t: &Option<String>) -> Vec<FactItem> {
    t.iter().map(|t| item(t.clone(), None)).collect()
}

/// A link to a page that links to an entity.
pub fn backlink(ctx: &Ctx, b: &Backlink) -> Link {
    match b {
        Backlink::Entity(other) => link(ctx, *other),
        Backlink::Page(p) => Link::plain(
            &ctx.model.pages[p.0].title,
            Route::of_page(ctx.model, *p).url(ctx.model),
        ),
        Backlink::Claim(c) => {
            let claim = ctx.model.claim(*c);
            let subject = &ctx.model.entity(claim.subject).name;
            Link::plain(
                format!("{subject}: {}", ctx.model.property_label(&claim.property)),
                urls::claim(ctx.model, *c),
            )
        }
        Backlink::Note(n) => {
            let title = ctx.analysis.by_note[*n]
                .map(|d| disc_link(ctx, d, &ctx.analysis.discrepancies[d]).title);
            let id = || ctx.model.notes.get(*n).map(|note| note.id.clone());
            Link::plain(
                title.or_else(id).unwrap_or_default(),
                urls::note(ctx.model, ctx.analysis, *n),
            )
        }
    }
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
        Details::Custom(_) => "Thing",
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
    let mut out = Vec::new();
    // Writing into a `Vec` cannot fail, nor can serialising a `Value`.
    let _ = script_json_into(&mut out, value);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `value` to `out` as [`script_safe_json`] does, serialised straight into it: no
/// `serde_json::Value` tree and no copy (the search index is a hundred megabytes at 10,000
/// pages).
pub fn script_json_into<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
) -> serde_json::Result<()> {
    serde_json::to_writer(ScriptSafe(out), value)
}

/// Escapes `<`, `>` and `&` in the JSON written through it: they only occur inside strings,
/// where `\uXXXX` means the same character.
struct ScriptSafe<'a>(&'a mut Vec<u8>);

impl std::io::Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            match b {
                b'<' => self.0.extend_from_slice(b"\\u003c"),
                b'>' => self.0.extend_from_slice(b"\\u003e"),
                b'&' => self.0.extend_from_slice(b"\\u0026"),
                b => self.0.push(b),
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
