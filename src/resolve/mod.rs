//! Stage 3, resolve: raw records to the one model. Checks ids, references, types and quotes,
//! and computes the relations (claims per entity, backlinks) before anything renders.

mod claims;
mod lock;
mod pages;
mod quotes;
mod relate;

pub use lock::LOCK_FILE;
pub use quotes::{DocumentsFolder, QuoteCheck, Verification};

use std::collections::HashMap;
use std::path::Path;

use crate::config::{BaseUrl, Config, label_of};
use crate::diag::{Diagnostics, Loc, did_you_mean};
use crate::model::{
    Attribute, Custom, Date, DateSpan, Details, Entity, EntityId, EntityKind, Grade, Kind,
    KindInfo, Kinds, Model, Organization, Origin, PageId, Person, Place, Property, Source, Target,
    normalise_text,
};
use crate::parse::RawBriefing;
use crate::parse::markdown::is_slug;
use crate::parse::records::RecordPos;

/// Options that change what resolve checks.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResolveOptions {
    /// A source whose document cannot be found is an error, not a warning.
    pub require_documents: bool,
    /// A `documents:` folder that does not exist is an error (`check`), not only a count.
    pub require_documents_folder: bool,
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

/// The longest id: ids name output files (`claims/ID.html`), and generated discrepancy ids
/// join two of them, which must stay within a file name's 255 bytes.
pub const MAX_ID_LEN: usize = 100;

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
        unchecked: 0,
        kinds: Kinds::default(),
    };
    let config = r.config(root);
    r.declare_entities();
    r.check_names();
    r.fill_entity_details();
    let properties = r.properties();
    let claims = r.claims(&properties);
    let notes = r.notes(&claims);
    let pages = r.pages();
    let note_bodies = r.note_bodies(&claims, &notes);
    r.report_unchecked();
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
        note_bodies,
        documents: vec![None; entities.len()],
        entities,
        claims,
        notes,
        pages,
        properties,
        index,
    };
    relate::relate(&mut model);
    quotes::verify_quotes(&mut model, raw, root, options, diags);
    model.shrink_to_fit();
    model
}

/// The model of record files and pages given as `(path, text)`, with nothing read from disk,
/// and what resolving it said. For tests of resolve and of the later stages.
#[cfg(test)]
pub(crate) fn model_of_text(
    records: &[(&str, &str)],
    pages: &[(&str, &str)],
) -> (Model, Diagnostics) {
    use crate::load::{Loaded, SourceFile};
    let files = |list: &[(&str, &str)]| -> Vec<SourceFile> {
        list.iter()
            .map(|(rel, text)| SourceFile::from_text(rel, text))
            .collect()
    };
    let loaded = Loaded {
        root: std::path::PathBuf::from("/nonexistent-briefing"),
        records: files(records),
        pages: files(pages),
        ..Loaded::default()
    };
    let mut diags = Diagnostics::new();
    let raw = crate::parse::parse(&loaded, &mut diags);
    let model = resolve(&raw, &loaded.root, ResolveOptions::default(), &mut diags);
    (model, diags)
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
    /// References not checked because a file that may define them failed.
    unchecked: usize,
    /// The kinds of entity, once the config is read.
    kinds: Kinds,
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
        let config_loc = |r: &Self, key: &str| r.raw.field_loc(&r.raw.config_pos, key);
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
        self.kinds = self.declared_kinds();
        Config {
            title: raw.title.clone().unwrap_or_else(|| "Briefing".into()),
            subtitle: raw.subtitle.clone(),
            date,
            base_url: BaseUrl::parse(raw.base_url.as_deref().unwrap_or("/")),
            language: raw.language.clone().unwrap_or_else(|| "en".into()),
            documents,
            trust_html: raw.trust_html,
            cname: raw.cname.clone(),
            verification: Verification::default(),
            kinds: self.kinds.clone(),
        }
    }

    /// The kinds `dossier.yaml` declares under `kinds:`, in order; one whose id or folder is
    /// taken is reported.
    fn declared_kinds(&mut self) -> Kinds {
        let built_in = Kinds::default();
        let mut declared: Vec<KindInfo> = Vec::new();
        for (n, k) in self.raw.config.kinds.iter().enumerate() {
            let loc = self
                .raw
                .field_loc(&self.raw.config_pos, &format!("kinds.{n}.id"));
            let folder = k.folder();
            let mut built_ins = built_in.all().map(|b| built_in.info(b));
            let same_id = |t: &&KindInfo| t.key == k.id;
            let same_folder = |t: &&KindInfo| t.folder == folder;
            let problem = if slugify(&k.id) != k.id {
                Some((
                    format!("`{}` is not a kind id", k.id),
                    format!(
                        "write it in lower case with hyphens, e.g. `{}`",
                        slugify(&k.id)
                    ),
                ))
            } else if folder.is_empty() || RESERVED_FOLDERS.contains(&folder.as_str()) {
                Some((
                    format!(
                        "the kind `{}` would write its pages to `{folder}/`, which the site uses",
                        k.id
                    ),
                    "give it another `plural:`".to_string(),
                ))
            } else if let Some(b) = built_ins.find(|b| same_id(b) || same_folder(b)) {
                Some((
                    format!("`{}` is a built-in kind", b.key),
                    format!(
                        "write its entities under `{}:`, or give this kind another `id:` and `plural:`",
                        b.folder
                    ),
                ))
            } else if declared.iter().any(|d| same_id(&d)) {
                Some((
                    format!("the kind `{}` is declared twice", k.id),
                    "remove one of them".to_string(),
                ))
            } else {
                declared.iter().find(|d| same_folder(d)).map(|d| {
                    (
                        format!(
                            "the kinds `{}` and `{}` would share the list and folder `{folder}`",
                            d.key, k.id
                        ),
                        "give one of them another `plural:`".to_string(),
                    )
                })
            };
            // A kind with a problem is kept, so that its entities do not turn into a cascade
            // of unknown references: the error fails the build anyway.
            if let Some((message, help)) = problem {
                self.diags.error(&loc, message, Some(help));
            }
            let mut attributes: Vec<Attribute> = Vec::new();
            for (a, attr) in k.attributes.iter().enumerate() {
                let field = format!("kinds.{n}.attributes.{a}.id");
                let loc = self.raw.field_loc(&self.raw.config_pos, &field);
                if CUSTOM_FIELDS.contains(&attr.id.as_str()) {
                    self.diags.error(
                        &loc,
                        format!("`{}` is a field of every entity, not an attribute", attr.id),
                        Some(
                            "remove it from `attributes:`, or give the attribute another id".into(),
                        ),
                    );
                } else if attributes.iter().any(|b| b.id == attr.id) {
                    self.diags.error(
                        &loc,
                        format!("the attribute `{}` is declared twice", attr.id),
                        Some("remove one of them".into()),
                    );
                } else {
                    attributes.push(Attribute {
                        id: attr.id.clone(),
                        label: attr.label.clone().unwrap_or_else(|| label_of(&attr.id)),
                    });
                }
            }
            declared.push(KindInfo {
                key: k.id.clone(),
                label: k.label(),
                plural: k.plural(),
                folder,
                attributes,
            });
        }
        Kinds::new(declared)
    }

    /// Registers an id; reports a malformed, reserved or duplicate one. Returns whether it is
    /// new. With no target, the id is only reserved: its record is added to the index once it
    /// is valid, so no reference ever resolves to a record that failed.
    fn declare(&mut self, id: &str, pos: &RecordPos, target: Option<Target>) -> bool {
        let loc = self.raw.field_loc(pos, "id");
        if id == "index" {
            self.diags.error(
                &loc,
                "`index` is reserved: it names the list pages",
                Some("choose another id".into()),
            );
            return false;
        }
        if id.len() > MAX_ID_LEN {
            self.diags.error(
                &loc,
                format!(
                    "id is {} characters long; the most is {MAX_ID_LEN}",
                    id.len()
                ),
                Some("ids name output files: shorten it".into()),
            );
            return false;
        }
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
        if let Some(target) = target {
            self.index.insert(id.to_string(), target);
        }
        true
    }

    /// Whether `id` names a record that was declared but failed to resolve: its own error is
    /// reported, so references to it stay quiet rather than repeat it.
    ///
    /// The same holds for a record that failed to parse, and, when a whole file failed, for
    /// any id not found: that file may have defined it. Those are counted, and said once.
    fn failed(&mut self, id: &str) -> bool {
        if self.index.contains_key(id) {
            return false;
        }
        if self.first_seen.contains_key(id) || self.raw.failed.ids.contains(id) {
            return true;
        }
        if self.raw.failed.files.is_empty() {
            return false;
        }
        self.unchecked += 1;
        true
    }

    /// Says once how many references went unchecked because a file failed.
    fn report_unchecked(&mut self) {
        let files = &self.raw.failed.files;
        if self.unchecked == 0 || files.is_empty() {
            return;
        }
        let n = self.unchecked;
        let message = format!(
            "{n} reference{} not checked because {} failed",
            if n == 1 { " was" } else { "s were" },
            files.join(" and ")
        );
        let loc = Loc::file(&files[0]);
        self.diags.warning(
            &loc,
            message,
            Some("fix the error in that file first; its records may define them".into()),
        );
    }

    fn origin(&self, pos: &RecordPos) -> Origin {
        Origin {
            file: self.raw.files[pos.file].rel.clone(),
            line: pos.first,
            yaml: self.raw.record_text(pos),
            pos: pos.clone(),
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
        if !self.declare(id, pos, Some(Target::Entity(eid))) {
            return;
        }
        if name.trim().is_empty() {
            let field = if pos.field("name").is_some() {
                "name"
            } else {
                "title"
            };
            let loc = self.raw.field_loc(pos, field);
            self.diags.error(
                &loc,
                format!("`{field}` of `{id}` is empty"),
                Some("write the name readers should see in headings and links".into()),
            );
        }
        for (n, alias) in aliases.iter().enumerate() {
            if alias.trim().is_empty() {
                let loc = self.raw.field_loc(pos, &format!("aliases.{n}"));
                self.diags.error(
                    &loc,
                    "an alias is empty",
                    Some("remove it, or write the other name".into()),
                );
            }
        }
        let details = match kind {
            EntityKind::Country => Details::Country,
            EntityKind::Place => Details::Place(Place {
                kind: None,
                part_of: None,
            }),
            EntityKind::Person => Details::Person(Person {
                country: None,
                affiliation: None,
                titles: Vec::new(),
                unnamed: false,
            }),
            EntityKind::Organization => Details::Organization(Organization {
                kind: None,
                country: None,
                part_of: None,
            }),
            EntityKind::Source => Details::Source(Box::new(empty_source())),
            EntityKind::Custom(_) => Details::Custom(Custom {
                part_of: None,
                attributes: Vec::new(),
            }),
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
        for p in &records.places {
            self.push_entity(&p.id, EntityKind::Place, &p.name, &p.aliases, &p.pos);
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
        for c in &records.custom {
            let kind = EntityKind::Custom(c.kind);
            self.push_entity(&c.id, kind, &c.name, &c.aliases, &c.pos);
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
            // (as written, the field it is written in); an entity may repeat its own name.
            let names: Vec<(String, &str)> = std::iter::once((e.name.clone(), "name"))
                .chain(e.aliases.iter().map(|a| (a.clone(), "aliases")))
                .collect();
            for (written, field) in names {
                let folded = fold(&written);
                match self.names.get(&folded) {
                    Some(&other) if other.0 != i => {
                        let other_id = self.entities[other.0].id.clone();
                        let e = &self.entities[i];
                        let message = format!("`{written}` of `{}` also names `{other_id}`", e.id);
                        let loc = self.raw.field_loc(&e.origin.pos, field);
                        self.diags.error(
                            &loc,
                            message,
                            Some(
                                "a name or alias must name one entity (case and accents are ignored): remove or change one of them".into(),
                            ),
                        );
                    }
                    _ => {
                        self.names.insert(folded, EntityId(i));
                    }
                }
            }
        }
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
        if found.is_none() && self.failed(wanted) {
            return None;
        }
        let loc = self.raw.field_loc(pos, field);
        // `titles.1.source` is written `source:` by the analyst.
        let field = (field.rsplit('.'))
            .find(|s| !s.chars().all(|c| c.is_ascii_digit()))
            .unwrap_or(field);
        match found {
            Some(e) if kinds.is_empty() || kinds.contains(&self.entities[e.0].kind) => Some(e),
            Some(e) => {
                let actual = self
                    .kinds
                    .info(self.entities[e.0].kind)
                    .label
                    .to_lowercase();
                let expected: Vec<&str> = (kinds.iter())
                    .map(|k| self.kinds.info(*k).folder.as_str())
                    .collect();
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
                let what = if let [kind] = kinds {
                    self.kinds.info(*kind).label.to_lowercase()
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
            for (n, t) in p.titles.iter().enumerate() {
                let field = format!("titles.{n}.source");
                if let Some(s) = self.lookup(&t.source, &p.pos, &field, &[EntityKind::Source]) {
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
            self.check_kind(
                o.kind.as_deref(),
                &ORGANIZATION_KINDS,
                &o.pos,
                "organization",
            );
            let country = o
                .country
                .as_deref()
                .and_then(|c| self.lookup(c, &o.pos, "country", &[EntityKind::Country]));
            let part_of = o.part_of.as_deref().and_then(|p| {
                let kinds = [EntityKind::Organization, EntityKind::Country];
                self.lookup(p, &o.pos, "part_of", &kinds)
            });
            self.entities[i].details = Details::Organization(Organization {
                kind: o.kind.clone(),
                country,
                part_of,
            });
        }
        for p in &raw.records.places {
            let Some(i) = self.entity_index(&p.id) else {
                continue;
            };
            let part_of = p.part_of.as_deref().and_then(|c| {
                let kinds = [EntityKind::Place, EntityKind::Country];
                self.lookup(c, &p.pos, "part_of", &kinds)
            });
            self.entities[i].details = Details::Place(Place {
                kind: p.kind.clone(),
                part_of,
            });
        }
        self.fill_custom();
        self.check_part_of_cycles();
        for s in &raw.records.sources {
            let Some(i) = self.entity_index(&s.id) else {
                continue;
            };
            let date = s.date.as_deref().and_then(|d| self.date(d, &s.pos, "date"));
            let grade = s.grade.as_deref().and_then(|g| {
                let grade = Grade::parse(g);
                if grade.is_none() {
                    let loc = self.raw.field_loc(&s.pos, "grade");
                    self.diags.error(
                        &loc,
                        format!("`{g}` is not a grade"),
                        Some(SCALE_HELP.into()),
                    );
                }
                grade
            });
            let relays = (s.relays.iter().enumerate())
                .filter_map(|(n, r)| {
                    let field = format!("relays.{n}");
                    self.lookup(r, &s.pos, &field, &[EntityKind::Organization])
                })
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
                grade,
                noise: s.noise.clone(),
            }));
        }
    }

    /// The entities of declared kinds: `part_of` (any entity but a source) and the declared
    /// attributes; a field the kind does not declare is an error.
    fn fill_custom(&mut self) {
        let raw = self.raw;
        let containers: Vec<EntityKind> = (self.kinds.all())
            .filter(|k| *k != EntityKind::Source)
            .collect();
        for c in &raw.records.custom {
            let Some(i) = self.entity_index(&c.id) else {
                continue;
            };
            let part_of =
                (c.part_of.as_deref()).and_then(|p| self.lookup(p, &c.pos, "part_of", &containers));
            let info = self.kinds.info(EntityKind::Custom(c.kind)).clone();
            let mut attributes = Vec::new();
            for a in &info.attributes {
                if let Some(value) = c.attributes.get(&a.id) {
                    attributes.push((a.id.clone(), value.to_string()));
                }
            }
            for key in c.attributes.keys() {
                if info.attributes.iter().any(|a| &a.id == key) {
                    continue;
                }
                let loc = self.raw.field_loc(&c.pos, key);
                let mut allowed: Vec<&str> = CUSTOM_FIELDS.to_vec();
                allowed.extend(info.attributes.iter().map(|a| a.id.as_str()));
                let help = match did_you_mean(key, allowed.iter().copied()) {
                    Some(best) => format!(
                        "did you mean `{best}`? Or declare it under the kind's `attributes:` in dossier.yaml"
                    ),
                    None => format!(
                        "declare it under `attributes:` of the kind `{}` in dossier.yaml, or remove it",
                        info.key
                    ),
                };
                self.diags.error(
                    &loc,
                    format!("a {} has no field `{key}`", info.label.to_lowercase()),
                    Some(help),
                );
            }
            self.entities[i].details = Details::Custom(Custom {
                part_of,
                attributes,
            });
        }
    }

    /// Reports a `kind:` that is not one of `allowed`.
    fn check_kind(&mut self, kind: Option<&str>, allowed: &[&str], pos: &RecordPos, what: &str) {
        if let Some(kind) = kind
            && !allowed.contains(&kind)
        {
            let loc = self.raw.field_loc(pos, "kind");
            let help = crate::diag::one_of(kind, allowed);
            self.diags
                .error(&loc, format!("unknown {what} kind `{kind}`"), Some(help));
        }
    }

    /// A `part_of` chain that comes back to where it started is an error at each member.
    fn check_part_of_cycles(&mut self) {
        let parent = |e: &Entity| match &e.details {
            Details::Place(p) => p.part_of,
            Details::Organization(o) => o.part_of,
            Details::Custom(c) => c.part_of,
            _ => None,
        };
        for start in 0..self.entities.len() {
            let mut at = parent(&self.entities[start]);
            let mut steps = 0;
            while let Some(p) = at {
                if p.0 == start {
                    let e = &self.entities[start];
                    let loc = self.raw.field_loc(&e.origin.pos, "part_of");
                    self.diags.error(
                        &loc,
                        format!("`{}` is part of itself through `part_of`", e.id),
                        Some("remove one `part_of:` of the chain".into()),
                    );
                    break;
                }
                steps += 1;
                if steps > self.entities.len() {
                    break;
                }
                at = parent(&self.entities[p.0]);
            }
        }
    }

    /// A date as precise as written: `2025`, `2025-07`, `2025-07-09`, a range or a bound.
    fn date(&mut self, text: &str, pos: &RecordPos, field: &str) -> Option<DateSpan> {
        let parsed = DateSpan::parse(text);
        if parsed.is_none() {
            let loc = self.raw.field_loc(pos, field);
            self.diags.error(
                &loc,
                format!("`{text}` is not a date"),
                Some(
                    "write a date as YYYY-MM-DD, or as precise as known (2025-07, 2025), a range \
                     (2025-07-01/2025-07-09) or a bound (by 2026, before 2026-07, after 2025)"
                        .into(),
                ),
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
            let kind = p.kind.as_deref().and_then(|k| {
                let kind = Kind::parse(k);
                if kind.is_none() {
                    let loc = self.raw.field_loc(&p.pos, "kind");
                    let help = crate::diag::one_of(k, &Kind::NAMES);
                    self.diags
                        .error(&loc, format!("unknown value kind `{k}`"), Some(help));
                }
                kind
            });
            if p.unit.is_some() && kind.is_some_and(|k| k != Kind::Quantity) {
                let loc = self.raw.field_loc(&p.pos, "unit");
                self.diags.error(
                    &loc,
                    format!(
                        "`unit:` is for quantities, but `{}` is declared `kind: {}`",
                        p.id,
                        p.kind.as_deref().unwrap_or("")
                    ),
                    Some("remove `unit:`, or declare `kind: quantity`".into()),
                );
            }
            if let Some(unit) = &p.unit
                && !crate::value::is_known_unit(unit)
            {
                let loc = self.raw.field_loc(&p.pos, "unit");
                self.diags.error(
                    &loc,
                    format!("unknown unit `{unit}`"),
                    Some("use a unit such as km, mi, kg, t, EUR, USD, %, months or count".into()),
                );
            }
            if !p.vocabulary.is_empty() && kind.is_some_and(|k| k != Kind::Text) {
                let loc = self.raw.field_loc(&p.pos, "vocabulary");
                self.diags.error(
                    &loc,
                    format!(
                        "a vocabulary is for text properties, but `{}` is not `kind: text`",
                        p.id
                    ),
                    Some("remove `vocabulary:`, or declare `kind: text`".into()),
                );
            }
            let vocabulary = (p.vocabulary.iter())
                .map(|(canonical, synonyms)| {
                    let synonyms = synonyms.iter().flatten().map(|s| normalise_text(s));
                    (canonical.clone(), synonyms.collect())
                })
                .collect();
            map.insert(
                p.id.clone(),
                Property {
                    label: p.label.clone(),
                    kind,
                    unit: p.unit.clone(),
                    multi: p.multi,
                    counts: p.counts.clone(),
                    vocabulary,
                },
            );
        }
        self.check_counts(&map);
        map
    }

    /// `counts:` must name a declared `multi` property.
    fn check_counts(&mut self, map: &HashMap<String, Property>) {
        for p in &self.raw.records.properties {
            let Some(counted) = &p.counts else { continue };
            if map.get(counted).is_some_and(|c| c.multi) {
                continue;
            }
            let loc = self.raw.field_loc(&p.pos, "counts");
            let multi = map
                .iter()
                .filter(|(_, q)| q.multi)
                .map(|(id, _)| id.as_str());
            let help = match did_you_mean(counted, multi) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "name a property declared with `multi: true`".into(),
            };
            self.diags.error(
                &loc,
                format!("`counts: {counted}` does not name a `multi` property"),
                Some(help),
            );
        }
    }
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
        grade: None,
        noise: Vec::new(),
    }
}

/// A slug suggestion for a malformed id.
/// How to write a grade on the Admiralty scale.
const SCALE_HELP: &str = "a grade is a source's reliability, A (completely reliable) to F (cannot be judged), optionally followed by the credibility of its information, 1 (confirmed by other sources) to 6 (cannot be judged): `B`, `B2`; a claim's `credibility:` is the number alone";

/// The fields every entity of a declared kind may have.
const CUSTOM_FIELDS: [&str; 4] = ["id", "name", "aliases", "part_of"];

/// The site's own folders, which no kind of entity may write its pages to.
const RESERVED_FOLDERS: [&str; 13] = [
    "claims",
    "discrepancies",
    "timeline",
    "search",
    "print",
    "static",
    "pages",
    "documents",
    // Ids of the print view's own sections, which a kind's section id would repeat.
    "cover",
    "contents",
    "overview",
    "legend",
    "annex",
];

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
}
