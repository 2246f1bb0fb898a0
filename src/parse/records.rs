//! The raw record types: what the analyst wrote, field for field, with references still strings.
//! The resolve stage turns them into the model.

use serde::Deserialize;

/// Where a record sits in its file: 1-based first and last line.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecordPos {
    pub file: usize,
    pub first: usize,
    pub last: usize,
}

/// One YAML record file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecordFile {
    #[serde(default)]
    pub countries: Vec<RawCountry>,
    #[serde(default)]
    pub people: Vec<RawPerson>,
    #[serde(default)]
    pub organizations: Vec<RawOrganization>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub claims: Vec<RawClaim>,
    #[serde(default)]
    pub notes: Vec<RawNote>,
    #[serde(default)]
    pub properties: Vec<RawProperty>,
}

/// A YAML scalar as written: the claim's `kind` says how to read it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RawScalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
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
