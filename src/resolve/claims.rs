//! Claims, their typed values, and the analysts' notes on them.

use std::collections::HashMap;

use super::{NOTE_KINDS, Resolver, SCALE_HELP, slugify};
use crate::diag::did_you_mean;
use crate::model::{
    Claim, ClaimId, Credibility, Details, EntityKind, Kind, Modality, Note, Property, Resolution,
    STATUSES, Target, Value, normalise_text,
};
use crate::parse::markdown::is_slug;
use crate::parse::records::{RawClaim, RawScalar, RawValue, RecordPos};
use crate::value::{DateSpan, Quantity};

impl Resolver<'_> {
    pub(super) fn claims(&mut self, properties: &HashMap<String, Property>) -> Vec<Claim> {
        let raw = self.raw;
        let mut claims = Vec::new();
        // Per undeclared property, the kind its first claim gave, and that claim's id.
        let mut kinds: HashMap<&str, (Kind, &str)> = HashMap::new();
        for c in &raw.records.claims {
            let new = self.declare(&c.id, &c.pos, None);
            let subject = self.lookup(&c.subject, &c.pos, "subject", &[]);
            let source = self.lookup(&c.source, &c.pos, "source", &[EntityKind::Source]);
            let speakers = [EntityKind::Person, EntityKind::Organization];
            let speaker =
                (c.speaker.as_deref()).and_then(|s| self.lookup(s, &c.pos, "speaker", &speakers));
            let property = properties.get(&c.property);
            let kind = self.claim_kind(c, property, &mut kinds);
            let value = kind.and_then(|kind| self.value(c, kind, property));
            let date = c.date.as_deref().and_then(|d| self.date(d, &c.pos, "date"));
            let as_of = c
                .as_of
                .as_deref()
                .and_then(|d| self.date(d, &c.pos, "as_of"));
            let modality = c.modality.as_deref().and_then(|m| self.modality(m, &c.pos));
            let credibility = c.credibility.and_then(|n| {
                let grade = Credibility::new(n);
                if grade.is_none() {
                    let loc = self.raw.field_loc(&c.pos, "credibility");
                    self.diags.error(
                        &loc,
                        format!("`{n}` is not a credibility"),
                        Some(SCALE_HELP.into()),
                    );
                }
                grade
            });
            let graded = source.is_some_and(
                |s| matches!(&self.entities[s.0].details, Details::Source(s) if s.grade.is_some()),
            );
            if credibility.is_some() && source.is_some() && !graded {
                let loc = self.raw.field_loc(&c.pos, "credibility");
                self.diags.warning(
                    &loc,
                    format!("the credibility has no grade to go with: `{}` has no `grade:`", c.source),
                    Some("give the source a grade (its reliability, A to F), or remove the claim's `credibility:`".into()),
                );
            }
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
            let id = ClaimId(claims.len());
            self.index.insert(c.id.clone(), Target::Claim(id));
            claims.push(Claim {
                id: c.id.clone(),
                subject,
                property: c.property.clone(),
                value,
                source,
                quote: c.quote.trim().to_string(),
                speaker,
                date,
                as_of,
                modality,
                credibility,
                note: c.note.clone(),
                origin: self.origin(&c.pos),
            });
        }
        claims
    }

    /// The claim's kind: the property's declared kind (a claim's own `kind:` must agree), else
    /// the claim's, which must agree with the other claims of the property; text by default.
    fn claim_kind<'r>(
        &mut self,
        c: &'r RawClaim,
        property: Option<&Property>,
        kinds: &mut HashMap<&'r str, (Kind, &'r str)>,
    ) -> Option<Kind> {
        let written = match c.kind.as_deref() {
            None => None,
            Some(name) => match Kind::parse(name) {
                Some(kind) => Some(kind),
                None => {
                    let loc = self.raw.field_loc(&c.pos, "kind");
                    let help = crate::diag::one_of(name, &Kind::NAMES);
                    self.diags
                        .error(&loc, format!("unknown value kind `{name}`"), Some(help));
                    return None;
                }
            },
        };
        let field = if written.is_some() { "kind" } else { "value" };
        if let Some(declared) = property.and_then(|p| p.kind) {
            if let Some(w) = written
                && w != declared
            {
                let loc = self.raw.field_loc(&c.pos, "kind");
                self.diags.error(
                    &loc,
                    format!(
                        "`kind: {}` differs from property `{}`, declared `kind: {}`",
                        w.name(),
                        c.property,
                        declared.name()
                    ),
                    Some("remove the claim's `kind:`; the property's kind applies".into()),
                );
                return None;
            }
            return Some(declared);
        }
        let kind = written.unwrap_or(Kind::Text);
        match kinds.get(c.property.as_str()) {
            Some((first, first_id)) if *first != kind => {
                let loc = self.raw.field_loc(&c.pos, field);
                self.diags.error(
                    &loc,
                    format!(
                        "property `{}` holds {} values here but {} values in claim `{first_id}`",
                        c.property,
                        kind.name(),
                        first.name()
                    ),
                    Some(format!(
                        "declare the property once in `properties:` with `kind: {}` (or the right kind) and make its claims agree",
                        first.name()
                    )),
                );
                None
            }
            Some(_) => Some(kind),
            None => {
                kinds.insert(&c.property, (kind, &c.id));
                Some(kind)
            }
        }
    }

    fn modality(&mut self, name: &str, pos: &RecordPos) -> Option<Modality> {
        let m = Modality::parse(name);
        if m.is_none() {
            let loc = self.raw.field_loc(pos, "modality");
            let help = crate::diag::one_of(name, &Modality::NAMES);
            self.diags
                .error(&loc, format!("unknown modality `{name}`"), Some(help));
        }
        m
    }

    /// Reads a claim's value by its kind: one value, or a whole list on a `multi` property.
    fn value(&mut self, c: &RawClaim, kind: Kind, property: Option<&Property>) -> Option<Value> {
        let multi = property.is_some_and(|p| p.multi);
        let Some(raw) = &c.value else {
            let loc = self.raw.field_loc(&c.pos, "id");
            self.diags.error(
                &loc,
                format!("claim `{}` has no value", c.id),
                Some("add `value:` with what the source asserts".into()),
            );
            return None;
        };
        if c.complete.is_some() && !matches!(raw, RawValue::List(_)) {
            let loc = self.raw.field_loc(&c.pos, "complete");
            self.diags.error(
                &loc,
                "`complete:` says whether a list is whole, but this value is not a list",
                Some("remove `complete:`, or write the value as a list: `[a, b]`".into()),
            );
        }
        match raw {
            RawValue::List(items) if multi => {
                let mut values = Vec::new();
                for (n, item) in items.iter().enumerate() {
                    values.push(self.scalar(c, kind, property, item, &format!("value.{n}"))?);
                }
                if values.is_empty() {
                    let loc = self.raw.field_loc(&c.pos, "value");
                    self.diags.error(
                        &loc,
                        "the list is empty",
                        Some("list what the source names, or remove the claim".into()),
                    );
                    return None;
                }
                let complete = c.complete.unwrap_or(true);
                Some(Value::List {
                    items: values,
                    complete,
                })
            }
            RawValue::List(_) => {
                let loc = self.raw.field_loc(&c.pos, "value");
                self.diags.error(
                    &loc,
                    format!("a list, but property `{}` holds one value", c.property),
                    Some(format!(
                        "declare `{}` with `multi: true` in `properties:`, or give one value",
                        c.property
                    )),
                );
                None
            }
            RawValue::Parts(parts) => {
                let unit = c
                    .unit
                    .as_deref()
                    .or(property.and_then(|p| p.unit.as_deref()));
                let result = if kind != Kind::Quantity {
                    Err(format!(
                        "`{{min, max, unit}}` is for quantities, not {} values",
                        kind.name()
                    ))
                } else {
                    let (min, max) = match parts.value {
                        Some(v) => (Some(v), Some(v)),
                        None => (parts.min, parts.max),
                    };
                    Quantity::from_parts(min, max, parts.unit.as_deref(), parts.approx, unit)
                        .and_then(|q| self.fits_unit(q, property))
                };
                result
                    .map(Value::Quantity)
                    .map_err(|why| self.bad_value(c, kind, "value", &why))
                    .ok()
            }
            RawValue::Scalar(s) => self.scalar(c, kind, property, s, "value"),
        }
    }

    /// One value of `kind`, written `raw` at `field`.
    fn scalar(
        &mut self,
        c: &RawClaim,
        kind: Kind,
        property: Option<&Property>,
        raw: &RawScalar,
        field: &str,
    ) -> Option<Value> {
        let unit = c
            .unit
            .as_deref()
            .or(property.and_then(|p| p.unit.as_deref()));
        let read: Result<Value, String> = match (kind, raw) {
            (Kind::Text, raw) => {
                let written = raw.to_string();
                let canonical = property.and_then(|p| canonical(&p.vocabulary, &written));
                Ok(Value::Text { written, canonical })
            }
            (Kind::Quantity, RawScalar::Int(n)) => Quantity::parse(&n.to_string(), unit)
                .and_then(|q| self.fits_unit(q, property))
                .map(Value::Quantity),
            (Kind::Quantity, RawScalar::Float(x)) => Quantity::parse(&x.to_string(), unit)
                .and_then(|q| self.fits_unit(q, property))
                .map(Value::Quantity),
            (Kind::Quantity, RawScalar::Str(s)) => Quantity::parse(s, unit)
                .and_then(|q| self.fits_unit(q, property))
                .map(Value::Quantity),
            (Kind::Date, RawScalar::Int(_) | RawScalar::Str(_)) => {
                DateSpan::parse(&raw.to_string())
                    .map(Value::Date)
                    .ok_or_else(String::new)
            }
            (Kind::Bool, RawScalar::Bool(b)) => Ok(Value::Bool(*b)),
            (Kind::Status, RawScalar::Str(s)) => {
                if let Some(known) = STATUSES.iter().find(|k| **k == s.as_str()) {
                    Ok(Value::Status(known))
                } else {
                    let loc = self.raw.field_loc(&c.pos, field);
                    let help = crate::diag::one_of(s, &STATUSES);
                    self.diags
                        .error(&loc, format!("unknown status `{s}`"), Some(help));
                    return None;
                }
            }
            (Kind::Entity, RawScalar::Str(s)) => {
                return self.lookup(s, &c.pos, field, &[]).map(Value::Entity);
            }
            _ => Err(String::new()),
        };
        read.map_err(|why| self.bad_value(c, kind, field, &why))
            .ok()
    }

    /// A quantity whose dimension differs from its property's unit does not fit it.
    fn fits_unit(&self, q: Quantity, property: Option<&Property>) -> Result<Quantity, String> {
        let Some(unit) = property.and_then(|p| p.unit.as_deref()) else {
            return Ok(q);
        };
        let Ok(declared) = Quantity::parse(&format!("1 {unit}"), None) else {
            return Ok(q);
        };
        let money = |d: &crate::value::Dimension| matches!(d, crate::value::Dimension::Money(_));
        if declared.dimension == q.dimension || (money(&declared.dimension) && money(&q.dimension))
        {
            Ok(q)
        } else {
            Err(format!(
                "it is a {}, but the property is measured in {unit} ({})",
                q.dimension.name(),
                declared.dimension.name()
            ))
        }
    }

    fn bad_value(&mut self, c: &RawClaim, kind: Kind, field: &str, why: &str) {
        let loc = self.raw.field_loc(&c.pos, field);
        let written = match &c.value {
            Some(RawValue::Scalar(s)) => s.to_string(),
            Some(RawValue::List(items)) => field
                .strip_prefix("value.")
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| items.get(n))
                .map_or_else(String::new, |s| s.to_string()),
            Some(RawValue::Parts(_)) => "{min, max, unit}".into(),
            None => String::new(),
        };
        let why = if why.is_empty() {
            format!("expected {}", kind.expected())
        } else {
            why.to_string()
        };
        self.diags.error(
            &loc,
            format!("`{written}` is not a valid {}: {why}", kind.name()),
            Some(format!(
                "write {}; or, if the property is not a {}, change its `kind:`",
                match kind {
                    Kind::Status => format!("one of {}", STATUSES.join(", ")),
                    other => other.expected().to_string(),
                },
                kind.name()
            )),
        );
    }

    fn claim_lookup(&mut self, wanted: &str, pos: &RecordPos, field: &str) -> Option<ClaimId> {
        if let Some(Target::Claim(c)) = self.index.get(wanted) {
            return Some(*c);
        }
        if self.failed(wanted) {
            return None;
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

    pub(super) fn notes(&mut self, claims: &[Claim]) -> Vec<Note> {
        let raw = self.raw;
        let mut notes = Vec::new();
        for n in &raw.records.notes {
            let index = notes.len();
            if !self.declare(&n.id, &n.pos, Some(Target::Note(index))) {
                continue;
            }
            let ids: Vec<ClaimId> = (n.claims.iter().enumerate())
                .filter_map(|(i, c)| self.claim_lookup(c, &n.pos, &format!("claims.{i}")))
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
            self.check_kind(n.kind.as_deref(), &NOTE_KINDS, &n.pos, "discrepancy");
            let resolution = match n.resolution.as_deref() {
                None => Resolution::default(),
                Some(r) => Resolution::parse(r).unwrap_or_else(|| {
                    let loc = self.raw.field_loc(&n.pos, "resolution");
                    let help = crate::diag::one_of(r, &Resolution::NAMES);
                    self.diags
                        .error(&loc, format!("unknown resolution `{r}`"), Some(help));
                    Resolution::default()
                }),
            };
            notes.push(Note {
                id: n.id.clone(),
                claims: ids,
                kind: n.kind.clone(),
                title: n.title.clone(),
                note: n.note.clone(),
                verdict: n.verdict.clone(),
                best,
                resolution,
                origin: self.origin(&n.pos),
            });
        }
        notes
    }
}

/// The vocabulary's canonical value that `written` is, or is a synonym of.
fn canonical(vocabulary: &[(String, Vec<String>)], written: &str) -> Option<String> {
    let w = normalise_text(written);
    vocabulary
        .iter()
        .find(|(canon, synonyms)| normalise_text(canon) == w || synonyms.contains(&w))
        .map(|(canon, _)| canon.clone())
}
