//! The raw record types: what the analyst wrote, field for field, with references still strings.
//! The resolve stage turns them into the model.

use std::sync::Arc;

use serde::Deserialize;

use crate::yaml::Pos;

/// Where a record sits in its file (1-based first and last line, first column) and where each
/// of its fields and list items is, by path (`source`, `titles.1.source`), from the parser.
#[derive(Debug, Clone, Default)]
pub struct RecordPos {
    pub file: usize,
    pub first: usize,
    pub col: usize,
    pub last: usize,
    pub fields: Arc<[(String, Pos)]>,
}

impl RecordPos {
    /// The position of the field or item at `path`, if the record has it.
    pub fn field(&self, path: &str) -> Option<Pos> {
        self.fields
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, pos)| *pos)
    }
}

/// The records of the briefing's YAML files, each list in file order.
#[derive(Debug, Default)]
pub struct RawRecordFile {
    pub countries: Vec<RawCountry>,
    pub people: Vec<RawPerson>,
    pub organizations: Vec<RawOrganization>,
    pub sources: Vec<RawSource>,
    pub claims: Vec<RawClaim>,
    pub notes: Vec<RawNote>,
    pub properties: Vec<RawProperty>,
}

/// The lists a record file may hold, in the order the format documents them.
pub const RECORD_LISTS: [&str; 7] = [
    "countries",
    "people",
    "organizations",
    "sources",
    "claims",
    "notes",
    "properties",
];

/// A YAML scalar as written: the claim's `kind` says how to read it.
#[derive(Debug, Clone, PartialEq)]
pub enum RawScalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

impl<'de> Deserialize<'de> for RawScalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl serde::de::Visitor<'_> for ScalarVisitor {
    type Value = RawScalar;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(
            "one value (a number, a year, a date, a word or a text), not a list or a mapping",
        )
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawScalar, E> {
        Ok(RawScalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawScalar, E> {
        Ok(RawScalar::Int(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawScalar, E> {
        i64::try_from(v)
            .map(RawScalar::Int)
            .map_err(|_| E::custom(format!("the number `{v}` is too large")))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<RawScalar, E> {
        let written = match v {
            _ if v.is_finite() => return Ok(RawScalar::Float(v)),
            _ if v.is_nan() => ".nan",
            _ if v > 0.0 => ".inf",
            _ => "-.inf",
        };
        Err(E::custom(format!("`{written}` is not a finite number")))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawScalar, E> {
        Ok(RawScalar::Str(v.to_string()))
    }
}

impl std::fmt::Display for RawScalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RawScalar::Bool(b) => write!(f, "{b}"),
            RawScalar::Int(i) => write!(f, "{i}"),
            RawScalar::Float(x) => write!(f, "{x}"),
            RawScalar::Str(s) => write!(f, "{s}"),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCountry {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(skip)]
    pub pos: RecordPos,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTitle {
    pub title: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub country: Option<String>,
    pub affiliation: Option<String>,
    #[serde(default)]
    pub titles: Vec<RawTitle>,
    #[serde(default)]
    pub unnamed: bool,
    #[serde(skip)]
    pub pos: RecordPos,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrganization {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: Option<String>,
    pub country: Option<String>,
    #[serde(skip)]
    pub pos: RecordPos,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAiGenerated {
    #[serde(default)]
    pub text: bool,
    #[serde(default)]
    pub images: bool,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: String,
    /// A label; defaults to the outlet, then the title.
    pub name: Option<String>,
    /// A very short label for inline flags (`004`); defaults to the name.
    pub short: Option<String>,
    pub outlet: Option<String>,
    pub outlet_note: Option<String>,
    pub title: String,
    pub date: Option<String>,
    pub url: Option<String>,
    pub document: Option<String>,
    #[serde(default)]
    pub relays: Vec<String>,
    pub relay_note: Option<String>,
    #[serde(default)]
    pub ai_generated: RawAiGenerated,
    pub reliability: Option<String>,
    #[serde(default)]
    pub noise: Vec<String>,
    #[serde(skip)]
    pub pos: RecordPos,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    pub id: String,
    pub subject: String,
    pub property: String,
    pub kind: Option<String>,
    pub value: Option<RawScalar>,
    pub unit: Option<String>,
    pub source: String,
    pub quote: String,
    pub speaker: Option<String>,
    pub date: Option<String>,
    pub note: Option<String>,
    #[serde(skip)]
    pub pos: RecordPos,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNote {
    pub id: String,
    pub claims: Vec<String>,
    pub kind: Option<String>,
    pub title: Option<String>,
    pub note: Option<String>,
    pub verdict: Option<String>,
    pub best: Option<String>,
    #[serde(skip)]
    pub pos: RecordPos,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProperty {
    pub id: String,
    pub label: Option<String>,
    #[serde(default)]
    pub multi: bool,
    #[serde(skip)]
    pub pos: RecordPos,
}
