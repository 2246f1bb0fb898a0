//! Claims, their typed values, and the analysts' notes on them.

use super::{NOTE_KINDS, Resolver, slugify};
use crate::diag::did_you_mean;
use crate::model::{Claim, ClaimId, Date, EntityKind, Note, STATUSES, Target, Value};
use crate::parse::markdown::is_slug;
use crate::parse::records::{RawClaim, RawScalar, RecordPos};

impl Resolver<'_> {
    pub(super) fn claims(&mut self) -> Vec<Claim> {
        let raw = self.raw;
        let mut claims = Vec::new();
        for c in &raw.records.claims {
            let new = self.declare(&c.id, &c.pos, None);
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
            "year" => {
                // A quoted year (`"2026"`) is the same year.
                let year = match raw {
                    RawScalar::Int(y) => Some(*y),
                    RawScalar::Str(s) => s.trim().parse().ok(),
                    _ => None,
                };
                match year {
                    Some(y) if (1000..=9999).contains(&y) => {
                        return i32::try_from(y).ok().map(Value::Year);
                    }
                    _ => "a year of four digits, such as 2026",
                }
            }
            "date" => match raw {
                RawScalar::Str(s) if Date::parse(s).is_some() => {
                    return Date::parse(s).map(Value::Date);
                }
                _ => "a date as YYYY-MM-DD",
            },
            "number" => match raw {
                RawScalar::Str(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                    return Some(Value::Number {
                        value: s.trim().parse().ok()?,
                        unit: c.unit.clone(),
                    });
                }
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
                    let help = crate::diag::one_of(s, &STATUSES);
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
                let help = crate::diag::one_of(other, &kinds);
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
}
