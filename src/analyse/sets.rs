//! `multi` properties, compared as sets per source, and counts checked against the lists
//! they sum up.

use std::collections::{BTreeMap, BTreeSet};

use super::{Discrepancy, DiscrepancyKind, Groups, Reading, readings, values::relation};
use crate::model::{ClaimId, EntityId, Model, Value};
use crate::value::{Quantity, Relation};

/// What one source says a list holds.
struct SourceList {
    source: EntityId,
    /// Item keys and how to show them.
    items: BTreeMap<String, String>,
    /// Whether the source gives the whole list (a list value without `complete: false`).
    complete: bool,
    claims: Vec<ClaimId>,
}

/// Per source (ordered by id), the items its claims name.
fn lists(model: &Model, claims: &[ClaimId]) -> Vec<SourceList> {
    let mut by_source: BTreeMap<String, SourceList> = BTreeMap::new();
    for &c in claims {
        let claim = model.claim(c);
        let entry = by_source
            .entry(model.entity(claim.source).id.clone())
            .or_insert_with(|| SourceList {
                source: claim.source,
                items: BTreeMap::new(),
                complete: false,
                claims: Vec::new(),
            });
        entry.claims.push(c);
        match &claim.value {
            Value::List { items, complete } => {
                entry.complete |= *complete;
                for v in items {
                    entry.items.insert(v.key(), model.display_value(v));
                }
            }
            v => {
                entry.items.insert(v.key(), model.display_value(v));
            }
        }
    }
    by_source.into_values().collect()
}

pub(super) fn compare_lists(
    model: &Model,
    subject: EntityId,
    property: &str,
    claims: &[ClaimId],
    found: &mut Vec<Discrepancy>,
) {
    let lists = lists(model, claims);
    let subject_id = &model.entity(subject).id;
    let (mut conflict, mut omission) = (BTreeSet::new(), BTreeSet::new());
    for (i, a) in lists.iter().enumerate() {
        for (j, b) in lists.iter().enumerate().skip(i + 1) {
            let keys = |l: &SourceList| l.items.keys().cloned().collect::<BTreeSet<_>>();
            let (ka, kb) = (keys(a), keys(b));
            let outcome = match (a.complete, b.complete) {
                (true, true) if ka == kb => None,
                (true, true) if ka.is_subset(&kb) || kb.is_subset(&ka) => Some(false),
                (true, true) => Some(true),
                (true, false) if !kb.is_subset(&ka) => Some(false),
                (false, true) if !ka.is_subset(&kb) => Some(false),
                _ => None,
            };
            match outcome {
                Some(true) => conflict.extend([i, j]),
                Some(false) => omission.extend([i, j]),
                None => {}
            }
        }
    }
    // One source with two whole lists that differ contradicts itself.
    for l in &lists {
        let whole: Vec<ClaimId> = (l.claims.iter().copied())
            .filter(|c| matches!(model.claim(*c).value, Value::List { complete: true, .. }))
            .collect();
        let distinct: BTreeSet<String> =
            whole.iter().map(|c| model.claim(*c).value.key()).collect();
        if distinct.len() > 1 {
            let rs = readings(model, &whole);
            let source_id = &model.entity(l.source).id;
            found.push(
                Discrepancy::new(
                    format!("self--{source_id}--{subject_id}--{property}"),
                    DiscrepancyKind::SelfContradiction,
                    whole,
                    rs,
                )
                .about(subject, property),
            );
        }
    }
    // A conflict between whole lists says it all; omissions matter where none conflicts.
    let (set, kind, prefix) = if conflict.is_empty() {
        (omission, DiscrepancyKind::Omission, "omission")
    } else {
        (conflict, DiscrepancyKind::Conflict, "conflict")
    };
    if set.is_empty() {
        return;
    }
    let members: Vec<&SourceList> = set.iter().map(|i| &lists[*i]).collect();
    let readings = members
        .iter()
        .map(|l| list_reading(l, list_text(l)))
        .collect();
    let claims = members.iter().flat_map(|l| l.claims.clone()).collect();
    let id = format!("{prefix}--{subject_id}--{property}");
    found.push(Discrepancy::new(id, kind, claims, readings).about(subject, property));
}

/// One source's list as a reading.
fn list_reading(l: &SourceList, value: String) -> Reading {
    Reading {
        value,
        claims: l.claims.clone(),
        sources: vec![l.source],
    }
}

fn list_text(l: &SourceList) -> String {
    let names: Vec<&str> = l.items.values().map(String::as_str).collect();
    let list = names.join(", ");
    if l.complete {
        list
    } else {
        format!("including {list}")
    }
}

/// A count (`counts: parties`) that differs from a whole list of what it counts: within one
/// source a self-contradiction, between sources a conflict.
pub(super) fn counts_against_lists(
    model: &Model,
    groups: &Groups<'_>,
    found: &mut Vec<Discrepancy>,
) {
    let by_key: BTreeMap<(EntityId, &str), &Vec<ClaimId>> =
        groups.iter().map(|(k, v)| (*k, v)).collect();
    for ((subject, property), claims) in groups {
        let Some(counted) = model
            .properties
            .get(*property)
            .and_then(|p| p.counts.as_deref())
        else {
            continue;
        };
        let Some(listed) = by_key.get(&(*subject, counted)) else {
            continue;
        };
        let lists: Vec<SourceList> = lists(model, listed)
            .into_iter()
            .filter(|l| l.complete)
            .collect();
        let subject_id = &model.entity(*subject).id;
        let mut across: Vec<(ClaimId, usize)> = Vec::new();
        for &c in claims {
            let claim = model.claim(c);
            for (li, l) in lists.iter().enumerate() {
                let Ok(n) = Quantity::parse(&l.items.len().to_string(), None) else {
                    continue;
                };
                if relation(model, &claim.value, &Value::Quantity(n)) != Relation::Disjoint {
                    continue;
                }
                if l.source == claim.source {
                    let source_id = &model.entity(l.source).id;
                    let readings = vec![
                        count_reading(model, c),
                        list_reading(l, format!("{} listed: {}", l.items.len(), list_text(l))),
                    ];
                    let claims = std::iter::once(c).chain(l.claims.iter().copied()).collect();
                    found.push(
                        Discrepancy::new(
                            format!("count--{source_id}--{subject_id}--{property}"),
                            DiscrepancyKind::SelfContradiction,
                            claims,
                            readings,
                        )
                        .about(*subject, property),
                    );
                } else {
                    across.push((c, li));
                }
            }
        }
        if across.is_empty() {
            continue;
        }
        let mut readings: Vec<Reading> = Vec::new();
        let mut claims_in = Vec::new();
        for (c, li) in &across {
            if !claims_in.contains(c) {
                readings.push(count_reading(model, *c));
                claims_in.push(*c);
            }
            let l = &lists[*li];
            if !l.claims.iter().all(|x| claims_in.contains(x)) {
                readings.push(list_reading(
                    l,
                    format!("{} listed: {}", l.items.len(), list_text(l)),
                ));
                claims_in.extend(l.claims.iter().copied());
            }
        }
        found.push(
            Discrepancy::new(
                format!("count--{subject_id}--{property}"),
                DiscrepancyKind::Conflict,
                claims_in,
                readings,
            )
            .about(*subject, property),
        );
    }
}

fn count_reading(model: &Model, c: ClaimId) -> Reading {
    let claim = model.claim(c);
    Reading {
        value: model.display_value(&claim.value),
        claims: vec![c],
        sources: vec![claim.source],
    }
}
