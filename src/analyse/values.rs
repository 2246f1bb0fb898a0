//! One subject and property with one value per claim: conflicts, self-contradictions,
//! reported disagreements, compatible readings, changes over time and overstatements.

use std::collections::{BTreeMap, HashSet};

use super::{Discrepancy, DiscrepancyKind, Groups, Reading, readings, readings_by};
use crate::model::{Claim, ClaimId, EntityId, Model, Value};
use crate::value::Relation;

/// Pairs of claims, sorted into what their difference means.
#[derive(Default)]
struct Pairs {
    conflict: Vec<(ClaimId, ClaimId)>,
    compatible: Vec<(ClaimId, ClaimId)>,
    change: Vec<(ClaimId, ClaimId)>,
    /// Per source: pairs in one voice (self-contradiction) and between speakers.
    own: BTreeMap<String, (EntityId, Vec<(ClaimId, ClaimId)>)>,
    reported: BTreeMap<String, (EntityId, Vec<(ClaimId, ClaimId)>)>,
}

/// How two values relate, with the model's places and organizations for part-of.
pub(super) fn relation(model: &Model, a: &Value, b: &Value) -> Relation {
    a.relation(b, &|x, y| model.inside(x, y))
}

/// Whether two claims speak of moments that cannot be the same.
fn other_moment(a: &Claim, b: &Claim) -> bool {
    match (&a.as_of, &b.as_of) {
        (Some(x), Some(y)) => !x.overlaps(y),
        _ => false,
    }
}

fn classify(model: &Model, claims: &[ClaimId]) -> Pairs {
    let mut pairs = Pairs::default();
    for (i, &a) in claims.iter().enumerate() {
        for &b in &claims[i + 1..] {
            let (ca, cb) = (model.claim(a), model.claim(b));
            let rel = relation(model, &ca.value, &cb.value);
            if rel == Relation::Same || rel == Relation::Incomparable {
                continue;
            }
            if other_moment(ca, cb) {
                pairs.change.push((a, b));
                continue;
            }
            if rel == Relation::Compatible {
                pairs.compatible.push((a, b));
                continue;
            }
            if ca.source != cb.source {
                pairs.conflict.push((a, b));
                continue;
            }
            let source = model.entity(ca.source).id.clone();
            let bucket = if ca.speaker == cb.speaker {
                &mut pairs.own
            } else {
                &mut pairs.reported
            };
            bucket
                .entry(source)
                .or_insert_with(|| (ca.source, Vec::new()))
                .1
                .push((a, b));
        }
    }
    pairs
}

/// The claims of `pairs`, and those of the group that give one of their values.
fn members(model: &Model, group: &[ClaimId], pairs: &[(ClaimId, ClaimId)]) -> Vec<ClaimId> {
    let involved: HashSet<ClaimId> = pairs.iter().flat_map(|(a, b)| [*a, *b]).collect();
    let keys: HashSet<String> = involved
        .iter()
        .map(|c| model.claim(*c).value.key())
        .collect();
    let mut out: Vec<ClaimId> = group
        .iter()
        .copied()
        .filter(|c| involved.contains(c) || keys.contains(&model.claim(*c).value.key()))
        .collect();
    out.sort();
    out
}

pub(super) fn compare_values(
    model: &Model,
    subject: EntityId,
    property: &str,
    claims: &[ClaimId],
    found: &mut Vec<Discrepancy>,
) {
    if claims.len() < 2 {
        return;
    }
    let subject_id = &model.entity(subject).id;
    let pairs = classify(model, claims);
    let mut push = |id: String, kind: DiscrepancyKind, members: Vec<ClaimId>, rs: Vec<Reading>| {
        found.push(Discrepancy::new(id, kind, members, rs).about(subject, property));
    };
    if !pairs.conflict.is_empty() {
        let m = members(model, claims, &pairs.conflict);
        let rs = readings(model, &m);
        push(
            format!("conflict--{subject_id}--{property}"),
            DiscrepancyKind::Conflict,
            m,
            rs,
        );
    } else if !pairs.compatible.is_empty() {
        let m = members(model, claims, &pairs.compatible);
        let rs = readings(model, &m);
        push(
            format!("compatible--{subject_id}--{property}"),
            DiscrepancyKind::Compatible,
            m,
            rs,
        );
    }
    // The claims of one source among a group's pairs and the values they give.
    let of_source = |source: EntityId, pairs: &[(ClaimId, ClaimId)]| -> Vec<ClaimId> {
        let m = members(model, claims, pairs);
        (m.into_iter())
            .filter(|c| model.claim(*c).source == source)
            .collect()
    };
    for (source_id, (source, own)) in &pairs.own {
        let same_source = of_source(*source, own);
        let rs = readings(model, &same_source);
        let id = format!("self--{source_id}--{subject_id}--{property}");
        push(id, DiscrepancyKind::SelfContradiction, same_source, rs);
    }
    for (source_id, (source, between)) in &pairs.reported {
        let same_source = of_source(*source, between);
        let rs = readings_by(model, &same_source, |c| {
            let claim = model.claim(c);
            let speaker = claim.speaker.map_or_else(
                || "the report itself".to_string(),
                |s| model.entity(s).name.clone(),
            );
            (
                format!("{}|{speaker}", claim.value.key()),
                format!("{} ({speaker})", model.display_value(&claim.value)),
            )
        });
        let id = format!("reported--{source_id}--{subject_id}--{property}");
        push(id, DiscrepancyKind::ReportedDisagreement, same_source, rs);
    }
    if !pairs.change.is_empty() {
        let m = members(model, claims, &pairs.change);
        let rs = readings_by(model, &m, |c| {
            let claim = model.claim(c);
            let when = claim.as_of.map_or_else(
                || "no date given".to_string(),
                |d| format!("as of {}", d.long()),
            );
            (
                format!(
                    "{}|{}",
                    claim
                        .as_of
                        .map(|d| d.sort_key().to_string())
                        .unwrap_or_default(),
                    claim.value.key()
                ),
                format!("{} ({when})", model.display_value(&claim.value)),
            )
        });
        push(
            format!("change--{subject_id}--{property}"),
            DiscrepancyKind::ChangeOverTime,
            m,
            rs,
        );
    }
    if let Some((source, m)) = overstatement(model, claims) {
        let rs = readings_by(model, &m, |c| {
            let claim = model.claim(c);
            let modality = claim.modality.map_or("", |m| m.name());
            (
                format!(
                    "{}|{}",
                    9 - claim.modality.map_or(0, |m| m.strength()),
                    modality
                ),
                format!("{} ({modality})", model.display_value(&claim.value)),
            )
        });
        let source_id = &model.entity(source).id;
        let id = format!("overstated--{source_id}--{subject_id}--{property}");
        push(id, DiscrepancyKind::Overstatement, m, rs);
    }
}

/// The source that states the group's fact more strongly than every other source does, when
/// at least two sources say how strongly (`modality`) and their values agree or fit together.
fn overstatement(model: &Model, claims: &[ClaimId]) -> Option<(EntityId, Vec<ClaimId>)> {
    let rated: Vec<ClaimId> = (claims.iter().copied())
        .filter(|c| model.claim(*c).modality.is_some())
        .collect();
    let strength = |c: ClaimId| model.claim(c).modality.map_or(0, |m| m.strength());
    // Per source, its strongest statement.
    let mut by_source: BTreeMap<String, (EntityId, u8)> = BTreeMap::new();
    for &c in &rated {
        let s = model.claim(c).source;
        let e = by_source
            .entry(model.entity(s).id.clone())
            .or_insert((s, 0));
        e.1 = e.1.max(strength(c));
    }
    if by_source.len() < 2 {
        return None;
    }
    let mut ranked: Vec<(EntityId, u8)> = by_source.values().copied().collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
    let (top, top_strength) = ranked[0];
    if ranked[1].1 >= top_strength {
        return None;
    }
    // The same fact: the strongest claims fit every other rated claim's value.
    let strongest: Vec<ClaimId> = (rated.iter().copied())
        .filter(|c| model.claim(*c).source == top && strength(*c) == top_strength)
        .collect();
    let fits = strongest.iter().all(|a| {
        rated.iter().all(|b| {
            let rel = relation(model, &model.claim(*a).value, &model.claim(*b).value);
            matches!(rel, Relation::Same | Relation::Compatible)
        })
    });
    fits.then_some((top, rated))
}

/// Per claim: no claim of another source gives the same value (after converting units; for a
/// list, any of its items) for the same subject and property.
pub(super) fn uncorroborated(model: &Model, groups: &Groups<'_>) -> Vec<bool> {
    let mut result = vec![false; model.claims.len()];
    let items = |c: ClaimId| -> Vec<&Value> {
        match &model.claim(c).value {
            Value::List { items, .. } => items.iter().collect(),
            v => vec![v],
        }
    };
    for (_, claims) in groups {
        for &c in claims {
            let source = model.claim(c).source;
            let mine = items(c);
            let backed = claims.iter().any(|&o| {
                model.claim(o).source != source
                    && items(o).iter().any(|theirs| {
                        mine.iter()
                            .any(|m| relation(model, m, theirs) == Relation::Same)
                    })
            });
            result[c.0] = !backed;
        }
    }
    result
}
