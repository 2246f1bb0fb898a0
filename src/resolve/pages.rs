//! Markdown pages: which entity each summarises, where it is written, and its inline
//! references.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Resolver, slugify};
use crate::diag::{Loc, did_you_mean};
use crate::model::{Body, Claim, EntityId, Note, NoteBodies, Page, ResolvedRef, Target};
use crate::parse::markdown::{self, RefKind, RefSpec};
use crate::parse::records::RecordPos;

/// A record by where it starts: file, line, column.
type RecordKey = (usize, usize, usize);

fn record_key(pos: &RecordPos) -> RecordKey {
    (pos.file, pos.first, pos.col)
}

/// A located reference with its target; one without keeps the text the analyst wrote.
fn resolved(spec: RefSpec, target: Option<Target>) -> ResolvedRef {
    let label = match target {
        Some(_) => spec.label,
        None => Some(spec.label.unwrap_or(spec.id)),
    };
    ResolvedRef {
        range: spec.range,
        target,
        label,
    }
}

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
                    self.kinds.info(self.entities[e.0].kind).folder,
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
            let body = file.text.get(p.body_offset..).unwrap_or_default();
            // Parse found these references (and reported the malformed ones) in the same
            // order; their offsets in the file locate the messages, as they always have.
            let located = p.located.iter().cloned();
            let mut refs = Vec::new();
            // An unknown id is reported at its first reference in the page only.
            let mut unknown = HashSet::new();
            for ((spec, offset), found) in p.refs.iter().zip(located) {
                debug_assert_eq!((spec.kind, &spec.id), (found.kind, &found.id));
                let target = if unknown.contains(&spec.id) {
                    None
                } else {
                    let loc = || Loc::at_offset(&file.rel, &file.text, *offset);
                    let target = self.inline_target(spec.kind, &spec.id, loc);
                    if target.is_none() {
                        unknown.insert(spec.id.clone());
                    }
                    target
                };
                refs.push(resolved(found, target));
            }
            pages.push(Page {
                url,
                file: file.rel.clone(),
                title: p.front.title.clone(),
                description: p.front.description.clone(),
                entity,
                body: Body {
                    text: body.to_string(),
                    refs,
                },
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

    /// Resolves the `note:` fields of claims and notes (Markdown too); problems point at the
    /// field. Every record's note is checked, also of records that failed: `claims` and `notes`
    /// (the records that resolved) get theirs.
    pub(super) fn note_bodies(&mut self, claims: &[Claim], notes: &[Note]) -> NoteBodies {
        let raw = self.raw;
        let fields = (raw.records.claims.iter())
            .map(|c| (&c.note, &c.pos))
            .chain(raw.records.notes.iter().map(|n| (&n.note, &n.pos)));
        let mut bodies: HashMap<RecordKey, Body> = HashMap::new();
        for (text, pos) in fields {
            let Some(text) = text else { continue };
            let loc = || raw.field_loc(pos, "note");
            let mut refs = Vec::new();
            for found in markdown::locate_refs(text) {
                match found {
                    Ok(spec) => {
                        let target = self.inline_target(spec.kind, &spec.id, loc);
                        refs.push(resolved(spec, target));
                    }
                    Err(err) => self.diags.error(&loc(), err.message, Some(err.help)),
                }
            }
            let body = Body {
                text: text.clone(),
                refs,
            };
            bodies.insert(record_key(pos), body);
        }
        NoteBodies {
            claims: (claims.iter())
                .map(|c| bodies.remove(&record_key(&c.origin.pos)))
                .collect(),
            notes: (notes.iter())
                .map(|n| bodies.remove(&record_key(&n.origin.pos)))
                .collect(),
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

#[cfg(test)]
mod tests {

    use crate::model::{Model, Target};

    fn model(records: &str, overview: &str) -> Model {
        let records = [("content/records.yaml", records)];
        crate::resolve::model_of_text(&records, &[("content/index.md", overview)]).0
    }

    const RECORDS: &str = "\
countries:
  - {id: aa, name: Aä}
sources:
  - {id: src, title: A report}
claims:
  - {id: bad, subject: nobody, property: p, value: x, source: src, quote: x, note: \"[[aa|bad]]\"}
  - {id: good, subject: aa, property: p, value: y, source: src, quote: y, note: \"ä [[aa|good]]\"}
";

    #[test]
    fn each_claim_gets_its_own_note() {
        let model = model(RECORDS, "---\ntitle: T\n---\n");
        assert_eq!(model.claims.len(), 1);
        let body = model.note_bodies.claims[0].as_ref().expect("a note");
        assert_eq!(&body.text[body.refs[0].range.clone()], "[[aa|good]]");
        assert_eq!(body.refs[0].label.as_deref(), Some("good"));
    }

    #[test]
    fn page_references_are_located_and_resolved() {
        let page = "---\r\ntitle: T\r\n---\r\nŽ [[aa]] [[nobody|Nobody]] [[nobody]] `[[aa]]`\r\n";
        let model = model(RECORDS, page);
        let body = &model.pages[0].body;
        let refs: Vec<(&str, Option<Target>, Option<&str>)> = (body.refs.iter())
            .map(|r| (&body.text[r.range.clone()], r.target, r.label.as_deref()))
            .collect();
        let aa = model.index.get("aa").copied();
        assert_eq!(
            refs,
            [
                ("[[aa]]", aa, None),
                // Unknown: reported once, shown as written.
                ("[[nobody|Nobody]]", None, Some("Nobody")),
                ("[[nobody]]", None, Some("nobody")),
            ]
        );
    }
}
