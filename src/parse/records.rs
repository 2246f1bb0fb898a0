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
    pub places: Vec<RawPlace>,
    pub people: Vec<RawPerson>,
    pub organizations: Vec<RawOrganization>,
    pub sources: Vec<RawSource>,
    pub claims: Vec<RawClaim>,
    pub notes: Vec<RawNote>,
    pub properties: Vec<RawProperty>,
    /// The entities of the kinds `dossier.yaml` declares, each with its kind.
    pub custom: Vec<RawCustom>,
}

/// The lists a record file may hold, in the order the format documents them.
pub const RECORD_LISTS: [&str; 8] = [
    "countries",
    "places",
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

/// A claim's value as written: one scalar, a list (on a `multi` property), or the structured
/// form of a quantity (`{min: 20, max: 100, unit: km, approx: true}`).
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Scalar(RawScalar),
    List(Vec<RawScalar>),
    Parts(RawParts),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParts {
    pub value: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: Option<String>,
    #[serde(default)]
    pub approx: bool,
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> serde::de::Visitor<'de> for ValueVisitor {
    type Value = RawValue;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(
            "a value (a number, a date, a word or a text), a list of them, or \
             `{min, max, value, unit, approx}`",
        )
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Scalar(RawScalar::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Scalar(RawScalar::Int(v)))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawValue, E> {
        ScalarVisitor.visit_u64(v).map(RawValue::Scalar)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<RawValue, E> {
        ScalarVisitor.visit_f64(v).map(RawValue::Scalar)
    }
    fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::Scalar(RawScalar::Str(v.to_string())))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<RawScalar>()? {
            items.push(item);
        }
        Ok(RawValue::List(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawValue, A::Error> {
        let d = serde::de::value::MapAccessDeserializer::new(map);
        RawParts::deserialize(d).map(RawValue::Parts)
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
pub struct RawPlace {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// city, region, ...: free text.
    pub kind: Option<String>,
    pub part_of: Option<String>,
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
    pub part_of: Option<String>,
    #[serde(skip)]
    pub pos: RecordPos,
}

/// An entity of a kind `dossier.yaml` declares: its declared attributes are fields of their
/// own, checked against the declaration by resolve.
#[derive(Debug, Deserialize)]
pub struct RawCustom {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub part_of: Option<String>,
    #[serde(flatten)]
    pub attributes: std::collections::BTreeMap<String, RawScalar>,
    /// The declared kind's position in `kinds:`.
    #[serde(skip)]
    pub kind: u16,
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
    /// The analyst's grade on the Admiralty scale: `B` (reliability), or `B2` (with the
    /// credibility of its claims).
    pub grade: Option<String>,
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
    pub value: Option<RawValue>,
    pub unit: Option<String>,
    pub source: String,
    pub quote: String,
    pub speaker: Option<String>,
    pub date: Option<String>,
    pub as_of: Option<String>,
    pub modality: Option<String>,
    pub complete: Option<bool>,
    /// The analyst's credibility of this claim, 1-6 on the Admiralty scale.
    pub credibility: Option<u8>,
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
    pub resolution: Option<String>,
    #[serde(skip)]
    pub pos: RecordPos,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProperty {
    pub id: String,
    pub label: Option<String>,
    pub kind: Option<String>,
    pub unit: Option<String>,
    #[serde(default)]
    pub multi: bool,
    pub counts: Option<String>,
    /// Canonical value: synonyms.
    #[serde(default)]
    pub vocabulary: std::collections::BTreeMap<String, Option<Vec<String>>>,
    #[serde(skip)]
    pub pos: RecordPos,
}
