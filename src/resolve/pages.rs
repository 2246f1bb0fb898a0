//! Markdown pages: which entity each summarises, where it is written, and its inline
//! references.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Resolver, slugify};
use crate::diag::{Loc, did_you_mean};
use crate::model::{EntityId, Page, Target};
use crate::parse::markdown::{self, RefKind};

impl Resolver<'_> {
    pub(super) fn pages(&mut self) -> Vec<Page> {
        let raw = self.raw;
        let mut pages: Vec<Page> = Vec::new();
        let mut summaries: HashMap<EntityId, String> = HashMap::new();
        let mut urls: HashMap<String, String> = HashMap::new();
        for p in &raw.pages {
            let file = &raw.files[p.file];
            let front_pos = &p.front_pos;
            let entity = p
                .front
                .entity
                .as_deref()
                .and_then(|e| self.lookup(e, front_pos, "entity", &[]));
            if let Some(e) = entity
                && let Some(other) = summaries.insert(e, file.rel.clone())
            {
                let loc = self.raw.field_loc(front_pos, "entity");
                self.diags.error(
                    &loc,
                    format!(
                        "`{}` already has a summary in {other}",
                        self.entities[e.0].id
                    ),
                    Some("merge the two pages, or point this one at another entity".into()),
                );
            }
            let stem = Path::new(&file.rel)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("page");
            let url = match entity {
                Some(e) => format!(
                    "{}/{}.html",
                    self.entities[e.0].kind.folder(),
                    self.entities[e.0].id
                ),
                None if file.rel == "content/index.md" => "index.html".into(),
                None => format!("pages/{}.html", slugify(stem)),
            };
            if entity.is_none()
                && let Some(other) = urls.insert(url.clone(), file.rel.clone())
            {
                self.diags.error(
                    &Loc::file(&file.rel),
                    format!("this page and {other} would both be written to {url}"),
                    Some("rename one of the files".into()),
                );
            }
            let mut refs = Vec::new();
            // An unknown id is reported at its first reference in the page only.
            let mut unknown = HashSet::new();
            for (spec, offset) in &p.refs {
                if unknown.contains(&spec.id) {
                    continue;
                }
                let loc = || Loc::at_offset(&file.rel, &file.text, *offset);
                match self.inline_target(spec.kind, &spec.id, loc) {
                    Some(t) => refs.push(t),
                    None => {
                        unknown.insert(spec.id.clone());
                    }
                }
            }
            pages.push(Page {
                url,
                file: file.rel.clone(),
                title: p.front.title.clone(),
                description: p.front.description.clone(),
                entity,
                body: file.text[p.body_offset..].to_string(),
                refs,
            });
        }
        if !pages.iter().any(|p| p.url == "index.html") {
            self.diags.error(
                &Loc::file("content/index.md"),
                "the briefing has no overview page",
                Some(
                    "create content/index.md with front matter `title:` and the key judgments"
                        .into(),
                ),
            );
        }
        pages
    }

    /// Checks the inline references in the `note:` fields of claims and notes (Markdown too);
    /// problems point at the field.
    pub(super) fn check_note_refs(&mut self) {
        let raw = self.raw;
        let notes = raw
            .records
            .claims
            .iter()
            .map(|c| (&c.note, &c.pos))
            .chain(raw.records.notes.iter().map(|n| (&n.note, &n.pos)));
        for (text, pos) in notes {
            let Some(text) = text else { continue };
            for (run, _) in markdown::text_runs(text) {
                for found in markdown::scan_refs(&run) {
                    let loc = || self.raw.field_loc(pos, "note");
                    match found {
                        Ok(spec) => {
                            self.inline_target(spec.kind, &spec.id, loc);
                        }
                        Err(err) => self.diags.error(&loc(), err.message, Some(err.help)),
                    }
                }
            }
        }
    }

    /// The target of an inline reference; `loc` is computed only when there is a problem.
    fn inline_target(
        &mut self,
        kind: RefKind,
        id: &str,
        loc: impl FnOnce() -> Loc,
    ) -> Option<Target> {
        let found = self.index.get(id).copied();
        if self.failed(id) {
            return None;
        }
        let matches = match (kind, found) {
            (RefKind::Entity, Some(t @ Target::Entity(_)))
            | (RefKind::Claim, Some(t @ Target::Claim(_)))
            | (RefKind::Discrepancy, Some(t @ Target::Note(_))) => Some(t),
            _ => None,
        };
        if matches.is_some() {
            return matches;
        }
        let (what, prefix) = match kind {
            RefKind::Entity => ("entity", ""),
            RefKind::Claim => ("claim", "claim:"),
            RefKind::Discrepancy => ("discrepancy note", "discrepancy:"),
        };
        let candidates: Vec<&str> = self
            .index
            .iter()
            .filter(|(_, t)| {
                matches!(
                    (kind, t),
                    (RefKind::Entity, Target::Entity(_))
                        | (RefKind::Claim, Target::Claim(_))
                        | (RefKind::Discrepancy, Target::Note(_))
                )
            })
            .map(|(k, _)| k.as_str())
            .collect();
        let help = match did_you_mean(id, candidates.iter().copied()) {
            Some(best) => format!("did you mean `[[{prefix}{best}]]`?"),
            None if found.is_some() => format!(
                "`{id}` is not a {what}: use the prefix that matches it (`[[id]]`, `[[claim:id]]`, `[[discrepancy:id]]`)"
            ),
            None => format!("no {what} has the id `{id}`; define it or fix the reference"),
        };
        self.diags.error(
            &loc(),
            format!("unknown {what} `{id}` in inline reference"),
            Some(help),
        );
        None
    }
}
