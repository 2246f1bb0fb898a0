//! Analysts' notes: attached to the findings they are about (confirming, downgrading or
//! dismissing them), or declaring a discrepancy of their own.

use std::collections::HashMap;

use super::{Discrepancy, DiscrepancyKind, readings};
use crate::model::{ClaimId, Model, Resolution};

/// Attaches each note to the discrepancies it is about: those whose claims nest with its own
/// (one set holds the other), or, when none does, those its claims overlap. A note with a
/// `kind:`, or one that overlaps none, declares a discrepancy of its own (unless it
/// dismisses: then there is nothing to declare).
pub(super) fn attach_notes(model: &Model, found: &mut Vec<Discrepancy>) {
    let mut by_claim: HashMap<ClaimId, Vec<usize>> = HashMap::new();
    for (d, disc) in found.iter().enumerate() {
        for c in &disc.claims {
            by_claim.entry(*c).or_default().push(d);
        }
    }
    let mut order: Vec<usize> = (0..model.notes.len()).collect();
    order.sort_by(|a, b| model.notes[*a].id.cmp(&model.notes[*b].id));
    let mut declared = Vec::new();
    for n in order {
        let note = &model.notes[n];
        let mut hits: Vec<usize> = (note.claims.iter())
            .flat_map(|c| by_claim.get(c).into_iter().flatten().copied())
            .collect();
        hits.sort();
        hits.dedup();
        // A note is about a finding when one's claims hold the other's: then it says nothing
        // about another finding that merely shares a claim.
        let nested: Vec<usize> = (hits.iter().copied())
            .filter(|d| {
                let theirs = &found[*d].claims;
                theirs.iter().all(|c| note.claims.contains(c))
                    || note.claims.iter().all(|c| theirs.contains(c))
            })
            .collect();
        if !nested.is_empty() {
            hits = nested;
        }
        if note.kind.is_none() && !hits.is_empty() {
            for d in hits {
                found[d].notes.push(n);
                found[d].resolution = stronger(found[d].resolution, note.resolution);
            }
            continue;
        }
        if note.kind.is_none() && note.resolution == Resolution::Dismissed {
            continue;
        }
        let first = note.claims.first().map(|c| model.claim(*c));
        let all_share = |same: &dyn Fn(ClaimId) -> bool| note.claims.iter().all(|c| same(*c));
        let same_subject =
            first.is_some_and(|f| all_share(&|c| model.claim(c).subject == f.subject));
        let same_property =
            first.is_some_and(|f| all_share(&|c| model.claim(c).property == f.property));
        let kind = DiscrepancyKind::Analyst(note.kind.clone().unwrap_or_else(|| "other".into()));
        let mut d = Discrepancy::new(
            note.id.clone(),
            kind,
            note.claims.clone(),
            readings(model, &note.claims),
        );
        d.subject = first.filter(|_| same_subject).map(|f| f.subject);
        d.property = first.filter(|_| same_property).map(|f| f.property.clone());
        d.notes = vec![n];
        d.resolution = note.resolution;
        declared.push(d);
    }
    found.extend(declared);
    found.sort_by(|a, b| a.id.cmp(&b.id));
}

/// Dismissing outweighs downgrading, which outweighs confirming.
fn stronger(a: Resolution, b: Resolution) -> Resolution {
    let rank = |r: Resolution| match r {
        Resolution::Confirmed => 0,
        Resolution::Compatible => 1,
        Resolution::Dismissed => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}
