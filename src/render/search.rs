//! The search index: entities, claims (with their quotes) and discrepancies, written as a
//! script (`search-index.js`) so the search page works on a static host and from `file://`.

use serde::Serialize;

use super::shared::Core;
use super::views::script_safe_json;
use super::{OutputFile, urls};
use crate::error::Error;
use crate::model::EntityId;

#[derive(Serialize)]
struct Entry<'a> {
    /// Title shown in results.
    t: String,
    /// Kind: country, person, organization, source, claim, discrepancy.
    k: &'a str,
    /// Site-relative URL.
    u: String,
    /// Further text searched: aliases, values, quotes, readings.
    x: String,
}

/// Builds `search-index.js`.
pub fn index(s: &Core) -> Result<OutputFile, Error> {
    let model = s.ctx.model;
    let mut entries: Vec<Entry> = Vec::new();
    for (i, e) in model.entities.iter().enumerate() {
        entries.push(Entry {
            t: e.name.clone(),
            k: &model.kind(e.kind).folder,
            u: urls::entity(model, EntityId(i)),
            x: e.aliases.join(" "),
        });
    }
    for c in &s.claims {
        entries.push(Entry {
            t: format!("{}: {} {}", c.subject.name, c.label, c.value),
            k: "claims",
            u: c.url.clone(),
            x: format!("{} {}", c.quote, c.source.name),
        });
    }
    for d in &s.disc_views {
        let readings: Vec<&str> = d.readings.iter().map(|r| r.value.as_str()).collect();
        entries.push(Entry {
            t: d.link.title.clone(),
            k: "discrepancies",
            u: d.link.url.clone(),
            x: format!("{} {}", d.link.label, readings.join(" ")),
        });
    }
    let json = serde_json::to_value(&entries)
        .map_err(|e| Error::Other(format!("cannot serialise search-index.js: {e}")))?;
    Ok(OutputFile {
        path: "search-index.js".into(),
        bytes: format!("window.DOSSIER_SEARCH = {};\n", script_safe_json(&json)).into_bytes(),
    })
}
