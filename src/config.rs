//! The briefing's settings (`dossier.yaml`), raw and resolved.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::Date;

/// `dossier.yaml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub date: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<String>,
    pub documents: Option<String>,
    #[serde(default)]
    pub trust_html: bool,
    pub cname: Option<String>,
    /// Kinds of entity besides the built-in ones.
    #[serde(default)]
    pub kinds: Vec<RawKind>,
}

/// A kind of entity the briefing declares: `- id: vessel` with an optional `label`
/// (`Vessel`), `plural` (`Vessels`) and `attributes` (`- id: imo` with a `label`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKind {
    pub id: String,
    pub label: Option<String>,
    pub plural: Option<String>,
    #[serde(default)]
    pub attributes: Vec<RawAttribute>,
}

impl RawKind {
    /// `Vessel`: as declared, or the id with a capital.
    pub fn label(&self) -> String {
        self.label.clone().unwrap_or_else(|| label_of(&self.id))
    }

    /// `Vessels`: as declared, or the label with an `s`.
    pub fn plural(&self) -> String {
        self.plural
            .clone()
            .unwrap_or_else(|| format!("{}s", self.label()))
    }

    /// `vessels`: the plural as a slug, the name of its record list and of its folders.
    pub fn folder(&self) -> String {
        crate::resolve::slugify(&self.plural())
    }
}

/// `production-start` as a label: `Production start`.
pub fn label_of(id: &str) -> String {
    crate::model::capitalised(&id.replace(['-', '_'], " "))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttribute {
    pub id: String,
    pub label: Option<String>,
}

/// The settings the build uses.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub subtitle: Option<String>,
    pub date: Option<Date>,
    pub base_url: BaseUrl,
    pub language: String,
    /// Folder holding the sources' documents, absolute.
    #[serde(skip)]
    pub documents: Option<PathBuf>,
    pub trust_html: bool,
    pub cname: Option<String>,
    /// How each claim's quote was verified (against its document, or `content/verified.lock`).
    #[serde(skip)]
    pub verification: crate::resolve::Verification,
    /// The kinds of entity, built-in and declared.
    #[serde(skip)]
    pub kinds: crate::model::Kinds,
}

/// Where the site is served from: `https://user.github.io/repo/` or `/repo/` or `/`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BaseUrl {
    /// As given, ending in `/`.
    pub url: String,
    /// Its path part, starting and ending in `/`: what absolute links on the 404 page use.
    pub path: String,
}

impl BaseUrl {
    pub fn parse(url: &str) -> Self {
        let mut url = url.trim().to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        let path = match url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]).to_string(),
            None if url.starts_with('/') => url.clone(),
            None => format!("/{url}"),
        };
        BaseUrl { url, path }
    }

    /// Whether it is a full URL (then canonical links and JSON-LD ids can use it).
    pub fn is_absolute(&self) -> bool {
        self.url.contains("://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_path_is_derived() {
        let b = BaseUrl::parse("https://user.github.io/repo");
        assert_eq!(b.url, "https://user.github.io/repo/");
        assert_eq!(b.path, "/repo/");
        assert_eq!(BaseUrl::parse("https://example.org").path, "/");
        assert_eq!(BaseUrl::parse("/sub").path, "/sub/");
    }
}
