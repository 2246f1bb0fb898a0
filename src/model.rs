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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Country,
    Person,
    Organization,
    Source,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Country,
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::Source,
    ];

    /// The output folder of this kind's pages.
    pub fn folder(self) -> &'static str {
        match self {
            EntityKind::Country => "countries",
            EntityKind::Person => "people",
            EntityKind::Organization => "organizations",
            EntityKind::Source => "sources",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EntityKind::Country => "Country",
            EntityKind::Person => "Person",
            EntityKind::Organization => "Organization",
            EntityKind::Source => "Source",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            EntityKind::Country => "Countries",
            EntityKind::Person => "People",
            EntityKind::Organization => "Organizations",
            EntityKind::Source => "Sources",
        }
    }
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
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// "9 July 2025".
    pub fn long(&self) -> String {
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
        let month = MONTHS[usize::from(self.month.clamp(1, 12)) - 1];
        format!("{} {month} {}", self.day, self.year)
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
    Person(Person),
    Organization(Organization),
    Source(Box<Source>),
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
}

#[derive(Debug, Clone)]
pub struct Source {
    /// The label inline flags use.
    pub short: Option<String>,
    pub outlet: Option<String>,
    pub outlet_note: Option<String>,
    pub title: String,
    pub date: Option<Date>,
    pub url: Option<String>,
    pub document: Option<String>,
    pub relays: Vec<EntityId>,
    pub relay_note: Option<String>,
    pub ai_text: bool,
    pub ai_images: bool,
    pub ai_note: Option<String>,
    pub reliability: Option<String>,
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

/// A claim's value, typed by its `kind`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Year(i32),
    Date(Date),
    Number { value: f64, unit: Option<String> },
    Status(&'static str),
    Bool(bool),
    Entity(EntityId),
}

impl Value {
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Text(_) => "text",
            Value::Year(_) => "year",
            Value::Date(_) => "date",
            Value::Number { .. } => "number",
            Value::Status(_) => "status",
            Value::Bool(_) => "bool",
            Value::Entity(_) => "entity",
        }
    }

    /// The form two values are compared in: text ignores case, spacing and end punctuation.
    pub fn comparable(&self) -> String {
        match self {
            Value::Text(t) => normalise_text(t),
            Value::Number { value, unit } => {
                format!("{value}{}", unit.as_deref().unwrap_or("").to_lowercase())
            }
            Value::Entity(id) => format!("entity:{}", id.0),
            other => format!("{other:?}"),
        }
    }
}

/// Lowercase, single-spaced, without punctuation at either end, quotes made plain.
pub fn normalise_text(t: &str) -> String {
    let plain = plain_quotes(t).to_lowercase();
    let words: Vec<&str> = plain.split_whitespace().collect();
    words
        .join(" ")
        .trim_matches(|c: char| c.is_ascii_punctuation() && c != '%')
        .to_string()
}

/// Typographic quotes and apostrophes as ASCII.
pub fn plain_quotes(t: &str) -> String {
    t.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
            '\u{00A0}' => ' ',
            c => c,
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    pub subject: EntityId,
    pub property: String,
    pub value: Value,
    pub source: EntityId,
    pub quote: String,
    pub speaker: Option<EntityId>,
    pub date: Option<Date>,
    pub note: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Property {
    /// As declared; [`Model::property_label`] derives one from the id otherwise.
    pub label: Option<String>,
    pub multi: bool,
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
    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.0]
    }

    pub fn claim(&self, id: ClaimId) -> &Claim {
        &self.claims[id.0]
    }

    /// The label of a property: declared, or derived from its id.
    pub fn property_label(&self, property: &str) -> String {
        if let Some(label) = self.properties.get(property).and_then(|p| p.label.clone()) {
            return label;
        }
        let words = property.replace('-', " ");
        let mut chars = words.chars();
        chars.next().map_or_else(String::new, |c| {
            c.to_uppercase().collect::<String>() + chars.as_str()
        })
    }

    pub fn is_multi(&self, property: &str) -> bool {
        self.properties.get(property).is_some_and(|p| p.multi)
    }

    /// A value as a reader sees it.
    pub fn display_value(&self, value: &Value) -> String {
        match value {
            Value::Text(t) => t.clone(),
            Value::Year(y) => y.to_string(),
            Value::Date(d) => d.long(),
            Value::Number { value, unit } => match unit {
                Some(u) => format!("{value} {u}"),
                None => value.to_string(),
            },
            Value::Status(s) => s.to_string(),
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => "no".into(),
            Value::Entity(id) => self.entity(*id).name.clone(),
        }
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
        format!("{}/{}.html", e.kind.folder(), e.id)
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
