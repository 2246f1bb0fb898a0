//! Stage 3, resolve: raw records to the one model. Checks ids, references, types and quotes,
//! and computes the relations (claims per entity, backlinks) before anything renders.

use std::collections::HashMap;
use std::path::Path;

use crate::config::{BaseUrl, Config};
use crate::diag::{Diagnostics, Loc, did_you_mean};
use crate::load;
use crate::model::{
    Backlink, Claim, ClaimId, Date, Details, Entity, EntityId, EntityKind, Model, Note,
    Organization, Origin, Page, PageId, Person, Property, STATUSES, Source, Target, Value,
    plain_quotes,
};
use crate::parse::RawBriefing;
use crate::parse::markdown::{RefKind, is_slug};
use crate::parse::records::{RawClaim, RawScalar, RecordPos};

/// Options that change what resolve checks.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResolveOptions {
    /// A source whose document cannot be found is an error, not a warning.
    pub require_documents: bool,
}

/// Organization kinds the format documents.
pub const ORGANIZATION_KINDS: [&str; 12] = [
    "company",
    "ministry",
    "government",
    "parliament",
    "association",
    "alliance",
    "treaty",
    "agency",
    "outlet",
    "campaign",
    "military",
    "other",
];

/// Kinds of discrepancy an analyst can declare in a note.
pub const NOTE_KINDS: [&str; 6] = [
    "overstatement",
    "understatement",
    "unsupported",
    "impossible-date",
    "misattribution",
    "other",
];

/// Resolves the raw briefing at `root` into the model.
pub fn resolve(
    raw: &RawBriefing,
    root: &Path,
    options: ResolveOptions,
    diags: &mut Diagnostics,
) -> Model {
    let mut r = Resolver {
        raw,
        diags,
        index: HashMap::new(),
        first_seen: HashMap::new(),
        names: HashMap::new(),
        entities: Vec::new(),
    };
    let config = r.config(root);
    r.declare_entities();
    r.check_names();
    r.fill_entity_details();
    let properties = r.properties();
    let claims = r.claims();
    let notes = r.notes(&claims);
    let pages = r.pages();
    let Resolver {
        index,
        mut entities,
        diags,
        ..
    } = r;
    for (i, page) in pages.iter().enumerate() {
        if let Some(e) = page.entity {
            entities[e.0].summary = Some(PageId(i));
        }
    }
    let mut model = Model {
        config,
        claims_about: vec![Vec::new(); entities.len()],
        claims_by: vec![Vec::new(); entities.len()],
        backlinks: vec![Vec::new(); entities.len()],
        documents: vec![None; entities.len()],
        entities,
        claims,
        notes,
        pages,
        properties,
        index,
    };
    relate(&mut model);
    verify_quotes(&mut model, raw, options, diags);
    model
}

struct Resolver<'a> {
    raw: &'a RawBriefing,
    diags: &'a mut Diagnostics,
    index: HashMap<String, Target>,
    /// Where each id was first defined, for duplicate messages.
    first_seen: HashMap<String, Loc>,
    /// Folded names and aliases to entities.
    names: HashMap<String, EntityId>,
    entities: Vec<Entity>,
}

/// A name folded for matching: no diacritics, no case, single spaces.
pub fn fold(name: &str) -> String {
    deunicode::deunicode(name)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Resolver<'_> {
    fn config(&mut self, root: &Path) -> Config {
        let raw = &self.raw.config;
        let config_loc = |r: &Self, key: &str| -> Loc {
            let Some(index) = r.raw.files.iter().position(|f| f.rel == load::CONFIG_FILE) else {
                return Loc::file(load::CONFIG_FILE);
            };
            let text = &r.raw.files[index].text;
            let last = text.lines().count();
            r.raw.field_loc(
                &RecordPos {
                    file: index,
                    first: 1,
                    last,
                },
                key,
            )
        };
        let date = raw.date.as_deref().and_then(|d| {
            let parsed = Date::parse(d);
            if parsed.is_none() {
                let loc = config_loc(self, "date");
                self.diags.error(
                    &loc,
                    format!("`{d}` is not a date"),
                    Some("write the date as YYYY-MM-DD, e.g. 2025-07-10".into()),
                );
            }
            parsed
        });
        let documents = raw.documents.as_ref().map(|d| root.join(d));
        Config {
            title: raw.title.clone().unwrap_or_else(|| "Briefing".into()),
            subtitle: raw.subtitle.clone(),
            date,
            base_url: BaseUrl::parse(raw.base_url.as_deref().unwrap_or("/")),
            language: raw.language.clone().unwrap_or_else(|| "en".into()),
            documents,
            trust_html: raw.trust_html,
            cname: raw.cname.clone(),
        }
    }

    /// Registers an id; reports a malformed or duplicate one. Returns whether it is new.
    fn declare(&mut self, id: &str, pos: &RecordPos, target: Target) -> bool {
        let loc = self.raw.field_loc(pos, "id");
        if !is_slug(id) {
            self.diags.error(
                &loc,
                format!("`{id}` is not a valid id"),
                Some(format!(
                    "ids are lowercase letters, digits and dashes, e.g. `{}`",
                    slugify(id)
                )),
            );
        }
        if let Some(first) = self.first_seen.get(id) {
            let help = format!(
                "it is first defined at {}:{}; rename one of them",
                first.file, first.line
            );
            self.diags
                .error(&loc, format!("duplicate id `{id}`"), Some(help));
            return false;
        }
        self.first_seen.insert(id.to_string(), loc);
        self.index.insert(id.to_string(), target);
        true
    }

    fn origin(&self, pos: &RecordPos) -> Origin {
        Origin {
            file: self.raw.files[pos.file].rel.clone(),
            line: pos.first,
            yaml: self.raw.record_text(pos),
        }
    }

    fn push_entity(
        &mut self,
        id: &str,
        kind: EntityKind,
        name: &str,
        aliases: &[String],
        pos: &RecordPos,
    ) {
        let eid = EntityId(self.entities.len());
        if !self.declare(id, pos, Target::Entity(eid)) {
            return;
        }
        let details = match kind {
            EntityKind::Country => Details::Country,
            EntityKind::Person => Details::Person(Person {
                country: None,
                affiliation: None,
                titles: Vec::new(),
                unnamed: false,
            }),
            EntityKind::Organization => Details::Organization(Organization {
                kind: None,
                country: None,
            }),
            EntityKind::Source => Details::Source(Box::new(empty_source())),
        };
        self.entities.push(Entity {
            id: id.to_string(),
            kind,
            name: name.to_string(),
            aliases: aliases.to_vec(),
            details,
            origin: self.origin(pos),
            summary: None,
        });
    }

    fn declare_entities(&mut self) {
        let records = &self.raw.records;
        for c in &records.countries {
            self.push_entity(&c.id, EntityKind::Country, &c.name, &c.aliases, &c.pos);
        }
        for p in &records.people {
            self.push_entity(&p.id, EntityKind::Person, &p.name, &p.aliases, &p.pos);
        }
        for o in &records.organizations {
            self.push_entity(&o.id, EntityKind::Organization, &o.name, &o.aliases, &o.pos);
        }
        for s in &records.sources {
            let name = s
                .name
                .clone()
                .or_else(|| s.outlet.clone())
                .unwrap_or_else(|| s.title.clone());
            self.push_entity(&s.id, EntityKind::Source, &name, &[], &s.pos);
        }
    }

    /// Names and aliases, folded, must each belong to one entity. A source's name is only a
    /// label (often its outlet's name, which is an organization of its own), so it is not one.
    fn check_names(&mut self) {
        for i in 0..self.entities.len() {
            let e = &self.entities[i];
            if e.kind == EntityKind::Source {
                continue;
            }
            let mut names: Vec<String> = std::iter::once(e.name.clone())
                .chain(e.aliases.iter().cloned())
                .map(|n| fold(&n))
                .collect();
            names.sort();
            names.dedup();
            for name in names {
                match self.names.get(&name) {
                    Some(&other) if other.0 != i => {
                        let other_id = self.entities[other.0].id.clone();
                        let (id, file, line) = {
                            let e = &self.entities[i];
                            (e.id.clone(), e.origin.file.clone(), e.origin.line)
                        };
                        let file_index = self.file_index(&file);
                        let pos = RecordPos {
                            file: file_index,
                            first: line,
                            last: line + e_lines(&self.entities[i]),
                        };
                        let loc = self.raw.field_loc(&pos, "aliases");
                        self.diags.error(
                            &loc,
                            format!("the name or alias `{name}` of `{id}` also names `{other_id}`"),
                            Some(
                                "an alias must name one entity: remove it from one of them".into(),
                            ),
                        );
                    }
                    _ => {
                        self.names.insert(name, EntityId(i));
                    }
                }
            }
        }
    }

    fn file_index(&self, rel: &str) -> usize {
        self.raw
            .files
            .iter()
            .position(|f| f.rel == rel)
            .unwrap_or(0)
    }

    /// Resolves a reference written in a record: an id, or a name or alias of an entity.
    fn lookup(
        &mut self,
        wanted: &str,
        pos: &RecordPos,
        field: &str,
        kinds: &[EntityKind],
    ) -> Option<EntityId> {
        let found = match self.index.get(wanted) {
            Some(Target::Entity(e)) => Some(*e),
            _ => self.names.get(&fold(wanted)).copied(),
        };
        let loc = self.raw.field_loc(pos, field);
        match found {
            Some(e) if kinds.is_empty() || kinds.contains(&self.entities[e.0].kind) => Some(e),
            Some(e) => {
                let actual = self.entities[e.0].kind.label().to_lowercase();
                let expected: Vec<&str> = kinds.iter().map(|k| k.folder()).collect();
                self.diags.error(
                    &loc,
                    format!(
                        "`{wanted}` is a {actual}, but `{field}` must name one of: {}",
                        expected.join(", ")
                    ),
                    Some(format!(
                        "use the id of one of the {}",
                        expected.join(" or ")
                    )),
                );
                None
            }
            None => {
                let candidates = self
                    .entities
                    .iter()
                    .filter(|e| kinds.is_empty() || kinds.contains(&e.kind))
                    .map(|e| e.id.as_str());
                let help = match did_you_mean(wanted, candidates) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "define it in a record file, or fix the id".to_string(),
                };
                let what = if kinds.len() == 1 {
                    kinds[0].label().to_lowercase()
                } else {
                    "entity".into()
                };
                self.diags
                    .error(&loc, format!("unknown {what} `{wanted}`"), Some(help));
                None
            }
        }
    }

    fn entity_index(&self, id: &str) -> Option<usize> {
        match self.index.get(id) {
            Some(Target::Entity(e)) => Some(e.0),
            _ => None,
        }
    }

    fn fill_entity_details(&mut self) {
        let raw = self.raw;
        for p in &raw.records.people {
            let Some(i) = self.entity_index(&p.id) else {
                continue;
            };
            let country = p
                .country
                .as_deref()
                .and_then(|c| self.lookup(c, &p.pos, "country", &[EntityKind::Country]));
            let affiliation = p
                .affiliation
                .as_deref()
                .and_then(|a| self.lookup(a, &p.pos, "affiliation", &[EntityKind::Organization]));
            let mut titles = Vec::new();
            for t in &p.titles {
                if let Some(s) = self.lookup(&t.source, &p.pos, "source", &[EntityKind::Source]) {
                    titles.push((t.title.clone(), s));
                }
            }
            self.entities[i].details = Details::Person(Person {
                country,
                affiliation,
                titles,
                unnamed: p.unnamed,
            });
        }
        for o in &raw.records.organizations {
            let Some(i) = self.entity_index(&o.id) else {
                continue;
            };
            if let Some(kind) = &o.kind
                && !ORGANIZATION_KINDS.contains(&kind.as_str())
            {
                let loc = self.raw.field_loc(&o.pos, "kind");
                let help = match did_you_mean(kind, ORGANIZATION_KINDS) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("use one of: {}", ORGANIZATION_KINDS.join(", ")),
                };
                self.diags.error(
                    &loc,
                    format!("unknown organization kind `{kind}`"),
                    Some(help),
                );
            }
            let country = o
                .country
                .as_deref()
                .and_then(|c| self.lookup(c, &o.pos, "country", &[EntityKind::Country]));
            self.entities[i].details = Details::Organization(Organization {
                kind: o.kind.clone(),
                country,
            });
        }
        for s in &raw.records.sources {
            let Some(i) = self.entity_index(&s.id) else {
                continue;
            };
            let date = s.date.as_deref().and_then(|d| self.date(d, &s.pos, "date"));
            let relays = s
                .relays
                .iter()
                .filter_map(|r| self.lookup(r, &s.pos, "relays", &[EntityKind::Organization]))
                .collect();
            self.entities[i].details = Details::Source(Box::new(Source {
                short: s.short.clone(),
                outlet: s.outlet.clone(),
                outlet_note: s.outlet_note.clone(),
                title: s.title.clone(),
                date,
                url: s.url.clone(),
                document: s.document.clone(),
                relays,
                relay_note: s.relay_note.clone(),
                ai_text: s.ai_generated.text,
                ai_images: s.ai_generated.images,
                ai_note: s.ai_generated.note.clone(),
                reliability: s.reliability.clone(),
                noise: s.noise.clone(),
            }));
        }
    }

    fn date(&mut self, text: &str, pos: &RecordPos, field: &str) -> Option<Date> {
        let parsed = Date::parse(text);
        if parsed.is_none() {
            let loc = self.raw.field_loc(pos, field);
            self.diags.error(
                &loc,
                format!("`{text}` is not a date"),
                Some("write dates as YYYY-MM-DD, e.g. 2025-07-09".into()),
            );
        }
        parsed
    }

    fn properties(&mut self) -> HashMap<String, Property> {
        let mut map = HashMap::new();
        for p in &self.raw.records.properties {
            if map.contains_key(&p.id) {
                let loc = self.raw.field_loc(&p.pos, "id");
                self.diags.error(
                    &loc,
                    format!("property `{}` is declared twice", p.id),
                    Some("remove one of the declarations".into()),
                );
                continue;
            }
            let label = p.label.clone().unwrap_or_else(|| p.id.replace('-', " "));
            map.insert(
                p.id.clone(),
                Property {
                    label,
                    multi: p.multi,
                },
            );
        }
        map
    }

    fn claims(&mut self) -> Vec<Claim> {
        let raw = self.raw;
        let mut claims = Vec::new();
        for c in &raw.records.claims {
            let id = ClaimId(claims.len());
            let new = self.declare(&c.id, &c.pos, Target::Claim(id));
            let subject = self.lookup(&c.subject, &c.pos, "subject", &[]);
            let source = self.lookup(&c.source, &c.pos, "source", &[EntityKind::Source]);
            let speaker = c
                .speaker
                .as_deref()
                .and_then(|s| self.lookup(s, &c.pos, "speaker", &[EntityKind::Person]));
            let value = self.value(c);
            let date = c.date.as_deref().and_then(|d| self.date(d, &c.pos, "date"));
            if c.quote.trim().is_empty() {
                let loc = self.raw.field_loc(&c.pos, "quote");
                self.diags.error(
                    &loc,
                    "the quote is empty",
                    Some("copy the exact words of the source that make this claim".into()),
                );
            }
            if !is_slug(&c.property) {
                let loc = self.raw.field_loc(&c.pos, "property");
                self.diags.error(
                    &loc,
                    format!("`{}` is not a valid property", c.property),
                    Some(format!(
                        "properties are slugs, e.g. `{}`",
                        slugify(&c.property)
                    )),
                );
            }
            let (Some(subject), Some(source), Some(value), true) = (subject, source, value, new)
            else {
                continue;
            };
            claims.push(Claim {
                id: c.id.clone(),
                subject,
                property: c.property.clone(),
                value,
                source,
                quote: c.quote.trim().to_string(),
                speaker,
                date,
                note: c.note.clone(),
                origin: self.origin(&c.pos),
            });
        }
        claims
    }

    /// Reads a claim's value by its kind.
    fn value(&mut self, c: &RawClaim) -> Option<Value> {
        let kind = c.kind.as_deref().unwrap_or("text");
        let Some(raw) = &c.value else {
            let loc = self.raw.field_loc(&c.pos, "id");
            self.diags.error(
                &loc,
                format!("claim `{}` has no value", c.id),
                Some("add `value:` with what the source asserts".into()),
            );
            return None;
        };
        let expected = match kind {
            "text" => return Some(Value::Text(raw.to_string())),
            "year" => match raw {
                RawScalar::Int(y) if (1000..=9999).contains(y) => {
                    return i32::try_from(*y).ok().map(Value::Year);
                }
                _ => "a year such as 2026",
            },
            "date" => match raw {
                RawScalar::Str(s) if Date::parse(s).is_some() => {
                    return Date::parse(s).map(Value::Date);
                }
                _ => "a date as YYYY-MM-DD",
            },
            "number" => match raw {
                RawScalar::Int(n) => {
                    return Some(Value::Number {
                        value: *n as f64,
                        unit: c.unit.clone(),
                    });
                }
                RawScalar::Float(x) => {
                    return Some(Value::Number {
                        value: *x,
                        unit: c.unit.clone(),
                    });
                }
                _ => "a number",
            },
            "bool" => match raw {
                RawScalar::Bool(b) => return Some(Value::Bool(*b)),
                _ => "true or false",
            },
            "status" => match raw {
                RawScalar::Str(s) => {
                    if let Some(known) = STATUSES.iter().find(|k| **k == s.as_str()) {
                        return Some(Value::Status(known));
                    }
                    let loc = self.raw.field_loc(&c.pos, "value");
                    let help = match did_you_mean(s, STATUSES) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("use one of: {}", STATUSES.join(", ")),
                    };
                    self.diags
                        .error(&loc, format!("unknown status `{s}`"), Some(help));
                    return None;
                }
                _ => "a status",
            },
            "entity" => match raw {
                RawScalar::Str(s) => {
                    return self.lookup(s, &c.pos, "value", &[]).map(Value::Entity);
                }
                _ => "an entity id",
            },
            other => {
                let loc = self.raw.field_loc(&c.pos, "kind");
                let kinds = ["text", "year", "date", "number", "status", "bool", "entity"];
                let help = match did_you_mean(other, kinds) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("use one of: {}", kinds.join(", ")),
                };
                self.diags
                    .error(&loc, format!("unknown value kind `{other}`"), Some(help));
                return None;
            }
        };
        let loc = self.raw.field_loc(&c.pos, "value");
        self.diags.error(
            &loc,
            format!("`{raw}` is not a valid {kind}: expected {expected}"),
            Some(format!(
                "change the value, or change `kind: {kind}` to the kind it is"
            )),
        );
        None
    }

    fn claim_lookup(&mut self, wanted: &str, pos: &RecordPos, field: &str) -> Option<ClaimId> {
        if let Some(Target::Claim(c)) = self.index.get(wanted) {
            return Some(*c);
        }
        let loc = self.raw.field_loc(pos, field);
        let claims = self.index.iter().filter_map(|(k, v)| match v {
            Target::Claim(_) => Some(k.as_str()),
            _ => None,
        });
        let help = match did_you_mean(wanted, claims) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "list the ids of existing claims".into(),
        };
        self.diags
            .error(&loc, format!("unknown claim `{wanted}`"), Some(help));
        None
    }

    fn notes(&mut self, claims: &[Claim]) -> Vec<Note> {
        let raw = self.raw;
        let mut notes = Vec::new();
        for n in &raw.records.notes {
            let index = notes.len();
            if !self.declare(&n.id, &n.pos, Target::Note(index)) {
                continue;
            }
            let ids: Vec<ClaimId> = n
                .claims
                .iter()
                .filter_map(|c| self.claim_lookup(c, &n.pos, "claims"))
                .collect();
            if n.claims.is_empty() {
                let loc = self.raw.field_loc(&n.pos, "claims");
                self.diags.error(
                    &loc,
                    format!("note `{}` points at no claims", n.id),
                    Some("list the claims the note explains under `claims:`".into()),
                );
            }
            let best = n
                .best
                .as_deref()
                .and_then(|b| self.claim_lookup(b, &n.pos, "best"));
            if let Some(b) = best
                && !ids.contains(&b)
            {
                let loc = self.raw.field_loc(&n.pos, "best");
                self.diags.error(
                    &loc,
                    format!("`best: {}` is not one of the note's claims", claims[b.0].id),
                    Some("add it to `claims:` or pick one of them".into()),
                );
            }
            if let Some(kind) = &n.kind
                && !NOTE_KINDS.contains(&kind.as_str())
            {
                let loc = self.raw.field_loc(&n.pos, "kind");
                let help = match did_you_mean(kind, NOTE_KINDS) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("use one of: {}", NOTE_KINDS.join(", ")),
                };
                self.diags.error(
                    &loc,
                    format!("unknown discrepancy kind `{kind}`"),
                    Some(help),
                );
            }
            notes.push(Note {
                id: n.id.clone(),
                claims: ids,
                kind: n.kind.clone(),
                title: n.title.clone(),
                note: n.note.clone(),
                verdict: n.verdict.clone(),
                best,
                origin: self.origin(&n.pos),
            });
        }
        notes
    }

    fn pages(&mut self) -> Vec<Page> {
        let raw = self.raw;
        let mut pages: Vec<Page> = Vec::new();
        let mut summaries: HashMap<EntityId, String> = HashMap::new();
        let mut urls: HashMap<String, String> = HashMap::new();
        for p in &raw.pages {
            let file = &raw.files[p.file];
            let front_pos = RecordPos {
                file: p.file,
                first: 1,
                last: file.text[..p.body_offset].lines().count(),
            };
            let entity = p
                .front
                .entity
                .as_deref()
                .and_then(|e| self.lookup(e, &front_pos, "entity", &[]));
            if let Some(e) = entity
                && let Some(other) = summaries.insert(e, file.rel.clone())
            {
                let loc = self.raw.field_loc(&front_pos, "entity");
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
            for (spec, offset) in &p.refs {
                if let Some(t) =
                    self.inline_target(spec.kind, &spec.id, &file.rel, &file.text, *offset)
                {
                    refs.push(t);
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

    fn inline_target(
        &mut self,
        kind: RefKind,
        id: &str,
        file: &str,
        text: &std::sync::Arc<str>,
        offset: usize,
    ) -> Option<Target> {
        let found = self.index.get(id).copied();
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
            &Loc::at_offset(file, text, offset),
            format!("unknown {what} `{id}` in inline reference"),
            Some(help),
        );
        None
    }
}

fn e_lines(e: &Entity) -> usize {
    e.origin.yaml.lines().count()
}

fn empty_source() -> Source {
    Source {
        short: None,
        outlet: None,
        outlet_note: None,
        title: String::new(),
        date: None,
        url: None,
        document: None,
        relays: Vec::new(),
        relay_note: None,
        ai_text: false,
        ai_images: false,
        ai_note: None,
        reliability: None,
        noise: Vec::new(),
    }
}

/// A slug suggestion for a malformed id.
pub fn slugify(s: &str) -> String {
    let folded = deunicode::deunicode(s).to_lowercase();
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Claims per entity and backlinks: which entity pages and Markdown pages link to each entity.
fn relate(model: &mut Model) {
    for (i, c) in model.claims.iter().enumerate() {
        let id = ClaimId(i);
        model.claims_about[c.subject.0].push(id);
        model.claims_by[c.source.0].push(id);
        if let Some(s) = c.speaker {
            model.claims_by[s.0].push(id);
        }
    }
    let mut links: Vec<(EntityId, Backlink)> = Vec::new();
    for (i, e) in model.entities.iter().enumerate() {
        let from = Backlink::Entity(EntityId(i));
        let mut push = |to: EntityId| links.push((to, from));
        match &e.details {
            Details::Person(p) => {
                p.country
                    .into_iter()
                    .chain(p.affiliation)
                    .for_each(&mut push);
                p.titles.iter().for_each(|(_, s)| push(*s));
            }
            Details::Organization(o) => o.country.into_iter().for_each(&mut push),
            Details::Source(s) => s.relays.iter().copied().for_each(&mut push),
            Details::Country => {}
        }
        for c in model.claims_about[i].iter().chain(&model.claims_by[i]) {
            let c = &model.claims[c.0];
            push(c.subject);
            push(c.source);
            c.speaker.into_iter().for_each(&mut push);
            if let Value::Entity(v) = c.value {
                push(v);
            }
        }
    }
    for (i, page) in model.pages.iter().enumerate() {
        let from = page
            .entity
            .map_or(Backlink::Page(PageId(i)), Backlink::Entity);
        for t in &page.refs {
            match t {
                Target::Entity(e) => links.push((*e, from)),
                Target::Claim(c) => links.push((model.claims[c.0].subject, from)),
                Target::Note(_) => {}
            }
        }
    }
    for (to, from) in links {
        if from != Backlink::Entity(to) {
            model.backlinks[to.0].push(from);
        }
    }
    for list in &mut model.backlinks {
        list.sort();
        list.dedup();
    }
}

/// Checks every quote against its source's document, where the document is at hand.
fn verify_quotes(
    model: &mut Model,
    raw: &RawBriefing,
    options: ResolveOptions,
    diags: &mut Diagnostics,
) {
    let dir = model.config.documents.clone();
    for (i, e) in model.entities.iter().enumerate() {
        let Details::Source(s) = &e.details else {
            continue;
        };
        let Some(doc) = &s.document else { continue };
        let text = dir.as_ref().and_then(|d| load::read_document(&d.join(doc)));
        if text.is_none() {
            let loc = entity_loc(raw, e, "document");
            let message = match &dir {
                Some(d) => format!("document `{doc}` not found in {}", d.display()),
                None => format!("document `{doc}` given, but no `documents:` folder is set"),
            };
            let help = Some("set `documents:` in dossier.yaml to the folder holding it".into());
            if options.require_documents {
                diags.error(&loc, message + "; its quotes cannot be verified", help);
            }
        }
        model.documents[i] = text.map(|t| squash(&t));
    }
    for c in &model.claims {
        let Some(doc) = &model.documents[c.source.0] else {
            continue;
        };
        let quote = squash(&c.quote);
        let file_index = raw
            .files
            .iter()
            .position(|f| f.rel == c.origin.file)
            .unwrap_or(0);
        let pos = RecordPos {
            file: file_index,
            first: c.origin.line,
            last: c.origin.line + c.origin.yaml.lines().count(),
        };
        let source = model.entity(c.source);
        if !doc.contains(&quote) {
            let near = closest_passage(doc, &quote);
            diags.error(
                &raw.field_loc(&pos, "quote"),
                format!(
                    "quote not found verbatim in the document of `{}`",
                    source.id
                ),
                Some(match near {
                    Some(near) => format!("the closest passage reads: \"{near}\""),
                    None => "copy the quote exactly from the document".into(),
                }),
            );
            continue;
        }
        let Details::Source(s) = &source.details else {
            continue;
        };
        let outside_noise = doc.match_indices(&quote).any(|(at, _)| {
            !s.noise
                .iter()
                .any(|n| noise_covers(doc, &squash(n), at, quote.len()))
        });
        if !outside_noise {
            diags.error(
                &raw.field_loc(&pos, "quote"),
                "quote comes from page furniture (listed under the source's `noise:`), not the article",
                Some("quote the article text itself".into()),
            );
        }
    }
}

fn noise_covers(doc: &str, noise: &str, at: usize, len: usize) -> bool {
    !noise.is_empty()
        && doc
            .match_indices(noise)
            .any(|(n, _)| n <= at && at + len <= n + noise.len())
}

fn entity_loc(raw: &RawBriefing, e: &Entity, key: &str) -> Loc {
    let file = raw
        .files
        .iter()
        .position(|f| f.rel == e.origin.file)
        .unwrap_or(0);
    raw.field_loc(
        &RecordPos {
            file,
            first: e.origin.line,
            last: e.origin.line + e.origin.yaml.lines().count(),
        },
        key,
    )
}

/// Text normalised for quote matching: plain quotes, single spaces.
pub fn squash(text: &str) -> String {
    plain_quotes(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The passage of `doc` that shares the longest run of words with `quote`, for a hint.
fn closest_passage(doc: &str, quote: &str) -> Option<String> {
    let words: Vec<&str> = quote.split(' ').collect();
    let probes = [3, 2].into_iter().flat_map(|n: usize| {
        words
            .windows(n.min(words.len()).max(1))
            .map(|w| w.join(" "))
            .collect::<Vec<_>>()
    });
    for probe in probes {
        if probe.len() < 6 {
            continue;
        }
        if let Some(at) = doc.find(&probe) {
            let begin = doc[..at].char_indices().rev().nth(20).map_or(0, |(i, _)| i);
            let end = doc[at..]
                .char_indices()
                .nth(quote.chars().count() + 20)
                .map_or(doc.len(), |(i, _)| at + i);
            return Some(doc[begin..end].to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_diacritics() {
        assert_eq!(fold("ZSP  Niewiadów"), fold("zsp niewiadow"));
    }

    #[test]
    fn slug_suggestions() {
        assert_eq!(slugify("Karolis Aleksa"), "karolis-aleksa");
        assert_eq!(slugify("Niewiadów!"), "niewiadow");
    }

    #[test]
    fn quotes_match_after_squashing() {
        assert_eq!(
            squash("“It is  not\nonly right”"),
            "\"It is not only right\""
        );
    }
}
