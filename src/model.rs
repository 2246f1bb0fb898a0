//! The resolved model: one immutable picture of the briefing that every later stage reads.
//! References are typed indices; backlinks are computed here, before anything renders.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use crate::config::Config;

/// Index of an entity in [`Model::entities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub usize);
/// Index of a claim in [`Model::claims`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimId(pub usize);
/// Index of a page in [`Model::pages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub usize);

/// A kind of entity: one of the built-in five, or one the briefing declares under `kinds:` in
/// `dossier.yaml` (`Custom(i)` is the `i`-th declared). What a kind is called and where its
/// pages go is in [`Kinds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Country,
    Place,
    Person,
    Organization,
    Source,
    Custom(u16),
}

impl EntityKind {
    pub const BUILT_IN: [EntityKind; 5] = [
        EntityKind::Country,
        EntityKind::Place,
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::Source,
    ];

    /// Its place in [`Kinds::all`]: the built-in kinds first, then the declared ones.
    fn index(self) -> usize {
        match self {
            EntityKind::Custom(i) => Self::BUILT_IN.len() + usize::from(i),
            built_in => Self::BUILT_IN
                .iter()
                .position(|k| *k == built_in)
                .unwrap_or_default(),
        }
    }
}

/// What a kind of entity is called, and where its records and pages are.
#[derive(Debug, Clone, Serialize)]
pub struct KindInfo {
    /// `country`, `vessel`: the kind in `facts.json` and in CSS classes.
    pub key: String,
    /// `Country`, `Vessel`: the kicker on its pages.
    pub label: String,
    /// `Countries`, `Vessels`: its list page's title.
    pub plural: String,
    /// `countries`, `vessels`: the record list that holds its entities, the folder of their
    /// summary pages under `content/` and of their pages in the site.
    pub folder: String,
    /// The attributes its records may carry besides `id`, `name`, `aliases` and `part_of`
    /// (an identifier, say): shown on its pages, never compared.
    pub attributes: Vec<Attribute>,
}

/// A declared attribute of a kind: its key in the records and its label on the page.
#[derive(Debug, Clone, Serialize)]
pub struct Attribute {
    pub id: String,
    pub label: String,
}

/// Every kind of entity the briefing has: the built-in five, then those it declares.
#[derive(Debug, Clone)]
pub struct Kinds {
    all: Vec<KindInfo>,
}

impl Default for Kinds {
    fn default() -> Self {
        Kinds::new(Vec::new())
    }
}

impl Kinds {
    /// The built-in kinds and `declared`, in that order.
    pub fn new(declared: Vec<KindInfo>) -> Self {
        let built_in = |key: &str, label: &str, plural: &str, folder: &str| KindInfo {
            key: key.into(),
            label: label.into(),
            plural: plural.into(),
            folder: folder.into(),
            attributes: Vec::new(),
        };
        let mut all = vec![
            built_in("country", "Country", "Countries", "countries"),
            built_in("place", "Place", "Places", "places"),
            built_in("person", "Person", "People", "people"),
            built_in(
                "organization",
                "Organization",
                "Organizations",
                "organizations",
            ),
            built_in("source", "Source", "Sources", "sources"),
        ];
        all.extend(declared);
        Kinds { all }
    }

    pub fn info(&self, kind: EntityKind) -> &KindInfo {
        // Every `Custom(i)` is made from a declared kind's position, so it is in range.
        &self.all[kind.index().min(self.all.len() - 1)]
    }

    /// Every kind, in the order the site lists them: the built-in ones, the declared ones
    /// before sources.
    pub fn all(&self) -> impl Iterator<Item = EntityKind> + '_ {
        let declared = (0..self.all.len() - EntityKind::BUILT_IN.len())
            .map(|i| EntityKind::Custom(u16::try_from(i).unwrap_or(u16::MAX)));
        let (subjects, sources) = EntityKind::BUILT_IN.split_at(4);
        (subjects.iter().copied())
            .chain(declared)
            .chain(sources.iter().copied())
    }

    /// The kind whose records are in the list (or whose pages are in the folder) `folder`.
    pub fn by_folder(&self, folder: &str) -> Option<EntityKind> {
        self.all().find(|k| self.info(*k).folder == folder)
    }

    /// The declared kinds.
    pub fn declared(&self) -> &[KindInfo] {
        &self.all[EntityKind::BUILT_IN.len()..]
    }
}

/// The reliability of a source on the NATO (Admiralty) scale, A to F.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reliability(char);

/// The credibility of information on the same scale, 1 to 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credibility(u8);

impl Reliability {
    /// Every grade and its meaning, for the legend on the sources page.
    pub const SCALE: [(char, &'static str); 6] = [
        ('A', "completely reliable"),
        ('B', "usually reliable"),
        ('C', "fairly reliable"),
        ('D', "not usually reliable"),
        ('E', "unreliable"),
        ('F', "reliability cannot be judged"),
    ];

    pub fn parse(c: char) -> Option<Self> {
        let c = c.to_ascii_uppercase();
        Self::SCALE
            .iter()
            .any(|(g, _)| *g == c)
            .then_some(Reliability(c))
    }

    pub fn letter(self) -> char {
        self.0
    }

    pub fn meaning(self) -> &'static str {
        (Self::SCALE.iter())
            .find(|(g, _)| *g == self.0)
            .map_or("", |(_, m)| m)
    }
}

impl Credibility {
    /// Every grade and its meaning.
    pub const SCALE: [(u8, &'static str); 6] = [
        (1, "confirmed by other sources"),
        (2, "probably true"),
        (3, "possibly true"),
        (4, "doubtful"),
        (5, "improbable"),
        (6, "truth cannot be judged"),
    ];

    pub fn new(n: u8) -> Option<Self> {
        (1..=6).contains(&n).then_some(Credibility(n))
    }

    pub fn number(self) -> u8 {
        self.0
    }

    pub fn meaning(self) -> &'static str {
        (Self::SCALE.iter())
            .find(|(g, _)| *g == self.0)
            .map_or("", |(_, m)| m)
    }
}

/// An analyst's grade: a source's reliability and, for a claim or as a source's default,
/// the information's credibility (`B2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grade {
    pub reliability: Reliability,
    pub credibility: Option<Credibility>,
}

impl Grade {
    /// `B` or `B2`.
    pub fn parse(text: &str) -> Option<Self> {
        let mut chars = text.trim().chars();
        let reliability = Reliability::parse(chars.next()?)?;
        let rest = chars.as_str();
        let credibility = match rest {
            "" => None,
            digits if digits.bytes().all(|b| b.is_ascii_digit()) => {
                Some(Credibility::new(digits.parse().ok()?)?)
            }
            _ => return None,
        };
        Some(Grade {
            reliability,
            credibility,
        })
    }

    /// `B2`, or `B` without a credibility.
    pub fn code(self) -> String {
        match self.credibility {
            Some(c) => format!("{}{}", self.reliability.letter(), c.number()),
            None => self.reliability.letter().to_string(),
        }
    }

    /// `usually reliable source; probably true`.
    pub fn meaning(self) -> String {
        let source = format!("{} source", self.reliability.meaning());
        match self.credibility {
            Some(c) => format!("{source}; {}", c.meaning()),
            None => source,
        }
    }

    /// This grade with a claim's own credibility, when it has one.
    pub fn with(self, credibility: Option<Credibility>) -> Self {
        Grade {
            credibility: credibility.or(self.credibility),
            ..self
        }
    }
}

/// `text` with a capital first letter.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u8 = m.parse().ok()?;
        let day: u8 = d.parse().ok()?;
        if !(1..=12).contains(&month) {
            return None;
        }
        (1..=Date::days_in(year, month))
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    pub fn days_in(year: i32, month: u8) -> u8 {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            _ => 28,
        }
    }

    /// The day after.
    pub fn next(self) -> Option<Date> {
        Some(if self.day < Date::days_in(self.year, self.month) {
            Date {
                day: self.day + 1,
                ..self
            }
        } else if self.month < 12 {
            Date {
                month: self.month + 1,
                day: 1,
                ..self
            }
        } else {
            Date {
                year: self.year.checked_add(1)?,
                month: 1,
                day: 1,
            }
        })
    }

    /// The day before.
    pub fn previous(self) -> Option<Date> {
        Some(if self.day > 1 {
            Date {
                day: self.day - 1,
                ..self
            }
        } else if self.month > 1 {
            let month = self.month - 1;
            Date {
                month,
                day: Date::days_in(self.year, month),
                ..self
            }
        } else {
            Date {
                year: self.year.checked_sub(1)?,
                month: 12,
                day: 31,
            }
        })
    }

    /// "9 July 2025".
    pub fn long(&self) -> String {
        format!("{} {} {}", self.day, self.month_name(), self.year)
    }

    /// "July".
    pub fn month_name(&self) -> &'static str {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        MONTHS[usize::from(self.month.clamp(1, 12)) - 1]
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where a record came from, for "show the record" and for messages.
#[derive(Debug, Clone, Serialize)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    /// The record's YAML text.
    pub yaml: String,
    /// Where the record is, for messages about its fields.
    #[serde(skip)]
    pub pos: crate::parse::records::RecordPos,
}

#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub details: Details,
    pub origin: Origin,
    /// The Markdown page that summarises this entity.
    pub summary: Option<PageId>,
}

#[derive(Debug, Clone)]
pub enum Details {
    Country,
    Place(Place),
    Person(Person),
    Organization(Organization),
    Source(Box<Source>),
    /// An entity of a kind the briefing declares.
    Custom(Custom),
}

#[derive(Debug, Clone)]
pub struct Person {
    pub country: Option<EntityId>,
    pub affiliation: Option<EntityId>,
    /// The title each source gives.
    pub titles: Vec<(String, EntityId)>,
    pub unnamed: bool,
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub kind: Option<String>,
    pub country: Option<EntityId>,
    /// The organization it belongs to (a ministry's government).
    pub part_of: Option<EntityId>,
}

/// A city, region or other place below a country.
#[derive(Debug, Clone)]
pub struct Place {
    pub kind: Option<String>,
    /// The place or country it lies in.
    pub part_of: Option<EntityId>,
}

/// An entity of a declared kind: what it is part of, and its declared attributes' values
/// (attribute id, value) in the order the kind declares them.
#[derive(Debug, Clone)]
pub struct Custom {
    pub part_of: Option<EntityId>,
    pub attributes: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Source {
    /// The label inline flags use.
    pub short: Option<String>,
    pub outlet: Option<String>,
    pub outlet_note: Option<String>,
    pub title: String,
    pub date: Option<DateSpan>,
    pub url: Option<String>,
    pub document: Option<String>,
    pub relays: Vec<EntityId>,
    pub relay_note: Option<String>,
    pub ai_text: bool,
    pub ai_images: bool,
    pub ai_note: Option<String>,
    pub reliability: Option<String>,
    /// The analyst's grade of the source.
    pub grade: Option<Grade>,
    pub noise: Vec<String>,
}

/// The documented set of statuses, in the order a plan usually moves through them.
pub const STATUSES: [&str; 9] = [
    "considered",
    "planned",
    "announced",
    "decided",
    "underway",
    "notified",
    "in-force",
    "completed",
    "rejected",
];

pub use crate::value::{DateSpan, Kind, Modality, Resolution, Value, normalise_text, plain_quotes};

#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    pub subject: EntityId,
    pub property: String,
    pub value: Value,
    pub source: EntityId,
    pub quote: String,
    /// Who the source says made the statement: a person or an organization. `None` is the
    /// source's own voice.
    pub speaker: Option<EntityId>,
    /// When the statement was made.
    pub date: Option<DateSpan>,
    /// The moment the value held; values for disjoint moments are a change over time.
    pub as_of: Option<DateSpan>,
    /// How strongly the source states it; `None` when the analyst did not say.
    pub modality: Option<Modality>,
    /// The analyst's credibility of this claim, when it differs from its source's grade.
    pub credibility: Option<Credibility>,
    pub note: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Property {
    /// As declared; [`Model::property_label`] derives one from the id otherwise.
    pub label: Option<String>,
    /// Declared once; claims of the property must fit it. `None`: each claim says (text by default).
    pub kind: Option<Kind>,
    /// For quantities: the unit a value without one is in.
    pub unit: Option<String>,
    pub multi: bool,
    /// This property counts the items of another (`party-count` counts `parties`).
    pub counts: Option<String>,
    /// Canonical values and their synonyms, normalised (see [`normalise_text`]).
    pub vocabulary: Vec<(String, Vec<String>)>,
}

/// An analyst's note on a group of claims.
#[derive(Debug, Clone)]
pub struct Note {
    pub id: String,
    pub claims: Vec<ClaimId>,
    pub kind: Option<String>,
    pub title: Option<String>,
    pub note: Option<String>,
    pub verdict: Option<String>,
    pub best: Option<ClaimId>,
    /// What the analyst decided about the finding the note explains.
    pub resolution: Resolution,
    pub origin: Origin,
}

/// What a link from the text points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Entity(EntityId),
    Claim(ClaimId),
    /// A note's id: the discrepancy it explains.
    Note(usize),
}

/// A Markdown text (a page's body, a `note:` field) with its inline references resolved:
/// render parses `text` with [`Body::options`] and splices each reference in at its range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub text: String,
    /// In order of appearance, outside code; malformed references are not here (they stay
    /// text).
    pub refs: Vec<ResolvedRef>,
}

/// One inline reference of a [`Body`].
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedRef {
    /// Byte range in [`Body::text`] of the whole reference, `[[` to `]]` (escapes included).
    pub range: std::ops::Range<usize>,
    /// `None` when the reference was reported (unknown id, wrong kind).
    pub target: Option<Target>,
    /// The text after `|`; for a reference without a target, that text or the id as written.
    pub label: Option<String>,
}

impl Body {
    /// The Markdown extensions the ranges were found with, which render must parse with.
    pub fn options() -> pulldown_cmark::Options {
        crate::parse::markdown::options()
    }

    /// What the text refers to, in order of appearance.
    pub fn targets(&self) -> impl Iterator<Item = Target> + '_ {
        self.refs.iter().filter_map(|r| r.target)
    }
}

/// The `note:` fields of claims and analyst notes, resolved: indexed like
/// [`Model::claims`] and [`Model::notes`].
#[derive(Debug, Clone, Default)]
pub struct NoteBodies {
    pub claims: Vec<Option<Body>>,
    pub notes: Vec<Option<Body>>,
}

/// A Markdown page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Output path, relative to the site root (`index.html`, `pages/method.html`).
    pub url: String,
    pub file: String,
    pub title: String,
    pub description: Option<String>,
    pub entity: Option<EntityId>,
    /// The text after the front matter.
    pub body: Body,
}

/// A page that links to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Backlink {
    Entity(EntityId),
    Page(PageId),
    /// The claim's page (its `note:` mentions the entity).
    Claim(ClaimId),
    /// An analyst note, on the discrepancies page: index into [`Model::notes`].
    Note(usize),
}

/// The briefing, resolved.
#[derive(Debug)]
pub struct Model {
    pub config: Config,
    pub entities: Vec<Entity>,
    pub claims: Vec<Claim>,
    pub notes: Vec<Note>,
    pub pages: Vec<Page>,
    pub properties: HashMap<String, Property>,
    /// Every id (entities, claims, notes) to what it names.
    pub index: HashMap<String, Target>,
    /// Per entity, the claims about it (as subject), in file order.
    pub claims_about: Vec<Vec<ClaimId>>,
    /// Per entity, the claims it makes (when a source) or speaks (when a person).
    pub claims_by: Vec<Vec<ClaimId>>,
    /// Per entity, the pages that link to it.
    pub backlinks: Vec<Vec<Backlink>>,
    /// The `note:` fields, resolved.
    pub note_bodies: NoteBodies,
    /// Per source, the text of its document when one was found.
    pub documents: Vec<Option<String>>,
}

impl Model {
    /// Gives back the lists' spare capacity (they grew as records came): the model is held
    /// to the end of the build.
    pub fn shrink_to_fit(&mut self) {
        self.entities.shrink_to_fit();
        self.claims.shrink_to_fit();
        self.notes.shrink_to_fit();
        self.pages.shrink_to_fit();
        for lists in [&mut self.claims_about, &mut self.claims_by] {
            lists.iter_mut().for_each(Vec::shrink_to_fit);
        }
        self.backlinks.iter_mut().for_each(Vec::shrink_to_fit);
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0]
    }

    pub fn claim(&self, id: ClaimId) -> &Claim {
        &self.claims[id.0]
    }

    /// What a kind is called and where its pages go.
    pub fn kind(&self, kind: EntityKind) -> &KindInfo {
        self.config.kinds.info(kind)
    }

    /// The label of a property: declared, or derived from its id.
    pub fn property_label(&self, property: &str) -> String {
        if let Some(label) = self.properties.get(property).and_then(|p| p.label.clone()) {
            return label;
        }
        crate::config::label_of(property)
    }

    pub fn is_multi(&self, property: &str) -> bool {
        self.properties.get(property).is_some_and(|p| p.multi)
    }

    /// A value as a reader sees it: the source's wording, the date as precise as given.
    pub fn display_value(&self, value: &Value) -> String {
        match value {
            Value::Text { written, .. } => written.clone(),
            Value::Quantity(q) => q.written.clone(),
            Value::Date(d) => d.long(),
            Value::Status(s) => s.to_string(),
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => "no".into(),
            Value::Entity(id) => self.entity(*id).name.clone(),
            Value::List { items, complete } => {
                let names: Vec<String> = items.iter().map(|v| self.display_value(v)).collect();
                let list = names.join(", ");
                if *complete {
                    list
                } else {
                    format!("including {list}")
                }
            }
        }
    }

    /// What `id` lies in or belongs to, by `part_of` (or a place's or organization's country).
    pub fn parent(&self, id: EntityId) -> Option<EntityId> {
        match &self.entity(id).details {
            Details::Place(p) => p.part_of,
            Details::Organization(o) => o.part_of.or(o.country),
            Details::Custom(c) => c.part_of,
            _ => None,
        }
    }

    /// Whether `a` lies within or belongs to `b`, directly or through its parents.
    pub fn inside(&self, a: EntityId, b: EntityId) -> bool {
        let mut at = self.parent(a);
        // Resolve refuses cycles; the bound only guards against a model built by hand.
        for _ in 0..self.entities.len() {
            match at {
                Some(p) if p == b => return true,
                Some(p) => at = self.parent(p),
                None => return false,
            }
        }
        false
    }

    /// The name inline flags use: a source's `short` label, else the name.
    pub fn short_name(&self, id: EntityId) -> &str {
        let e = self.entity(id);
        match &e.details {
            Details::Source(s) => s.short.as_deref().unwrap_or(&e.name),
            _ => &e.name,
        }
    }

    /// The site-relative URL of an entity's page.
    pub fn entity_url(&self, id: EntityId) -> String {
        let e = self.entity(id);
        format!("{}/{}.html", self.kind(e.kind).folder, e.id)
    }

    /// The site-relative URL of a claim's page.
    pub fn claim_url(&self, id: ClaimId) -> String {
        format!("claims/{}.html", self.claim(id).id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_admiralty_scale() {
        let b2 = Grade::parse("B2").expect("B2 is a grade");
        assert_eq!(b2.code(), "B2");
        assert_eq!(b2.meaning(), "usually reliable source; probably true");
        assert_eq!(Grade::parse("f").map(|g| g.code()), Some("F".into()));
        for bad in ["", "G", "B0", "B7", "2B", "BB", "B22", "B+2", "B 2"] {
            assert!(Grade::parse(bad).is_none(), "{bad:?} is not a grade");
        }
        // A claim's own credibility replaces its source's; without one the source's holds.
        let c5 = Credibility::new(5);
        assert_eq!(b2.with(c5).code(), "B5");
        assert_eq!(b2.with(None).code(), "B2");
        let b = Grade::parse("B").expect("B is a grade");
        assert_eq!(b.with(None).code(), "B");
        assert!(Credibility::new(0).is_none() && Credibility::new(7).is_none());
    }

    #[test]
    fn dates_are_checked() {
        assert!(Date::parse("2025-07-09").is_some());
        assert!(Date::parse("2025-02-30").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("9 July").is_none());
        assert_eq!(
            Date::parse("2025-07-09").map(|d| d.long()),
            Some("9 July 2025".into())
        );
    }

    #[test]
    fn text_values_compare_loosely() {
        assert_eq!(
            normalise_text("  One of the  Sources. "),
            normalise_text("one of the sources")
        );
        assert_eq!(normalise_text("“Ready option”"), "ready option");
    }
}
