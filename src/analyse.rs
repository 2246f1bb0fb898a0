//! Stage 4, analyse: finds where sources disagree. Claims are grouped by key (subject and
//! property, or speaker), so the work grows with the size of each group, not with the briefing.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{ClaimId, EntityId, Model, plain_quotes};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiscrepancyKind {
    /// Different sources give different values for one subject and property.
    ValueConflict,
    /// One source gives two values for one subject and property.
    SelfContradiction,
    /// Near-identical quotes of one speaker differ between sources.
    QuoteDrift,
    /// Declared by an analyst's note (overstatement, unsupported, impossible-date, ...).
    Analyst(String),
}

impl DiscrepancyKind {
    pub fn label(&self) -> String {
        match self {
            DiscrepancyKind::ValueConflict => "Sources disagree".into(),
            DiscrepancyKind::SelfContradiction => "Source contradicts itself".into(),
            DiscrepancyKind::QuoteDrift => "Quote wording drifts".into(),
            DiscrepancyKind::Analyst(kind) => match kind.as_str() {
                "overstatement" => "Stated more strongly than elsewhere".into(),
                "understatement" => "Stated more weakly than elsewhere".into(),
                "unsupported" => "No other source supports this".into(),
                "impossible-date" => "Date cannot be right".into(),
                "misattribution" => "Attributed differently".into(),
                _ => "Analyst-flagged discrepancy".into(),
            },
        }
    }

    /// A word or two for inline flags.
    pub fn short_label(&self) -> &'static str {
        match self {
            DiscrepancyKind::ValueConflict => "disputed",
            DiscrepancyKind::SelfContradiction => "self-contradiction",
            DiscrepancyKind::QuoteDrift => "quote drift",
            DiscrepancyKind::Analyst(kind) => match kind.as_str() {
                "overstatement" => "overstated",
                "understatement" => "understated",
                "unsupported" => "unsupported",
                "impossible-date" => "impossible date",
                "misattribution" => "misattributed",
                _ => "flagged",
            },
        }
    }

    pub fn severity(&self) -> Severity {
        Severity::Flag
    }

    pub fn slug(&self) -> String {
        match self {
            DiscrepancyKind::ValueConflict => "value-conflict".into(),
            DiscrepancyKind::SelfContradiction => "self-contradiction".into(),
            DiscrepancyKind::QuoteDrift => "quote-drift".into(),
            DiscrepancyKind::Analyst(k) => k.clone(),
        }
    }
}

/// One of the competing readings in a discrepancy.
#[derive(Debug, Clone)]
pub struct Reading {
    pub value: String,
    pub claims: Vec<ClaimId>,
    pub sources: Vec<EntityId>,
}

/// Words that differ between a quote variant and the first variant.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WordDiff {
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Discrepancy {
    /// Stable: derived from the ids involved, never from an order.
    pub id: String,
    pub kind: DiscrepancyKind,
    pub subject: Option<EntityId>,
    pub property: Option<String>,
    pub speaker: Option<EntityId>,
    pub claims: Vec<ClaimId>,
    pub readings: Vec<Reading>,
    /// For quote drift: per reading after the first, the words that differ from the first.
    pub drift: Vec<WordDiff>,
    /// Indices into [`Model::notes`].
    pub notes: Vec<usize>,
    /// The reading best supported: the one holding a note's `best` claim, else the one strictly
    /// more sources give than any other. `None` on a tie.
    pub best: Option<usize>,
    /// The analyst's verdict, from the first note that gives one.
    pub verdict: Option<String>,
}

/// How loudly a finding is shown: flags for real disagreements, marks for soft findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Shown quietly: a reader may want to know, nobody is wrong.
    Mark,
    /// A real disagreement between or within sources.
    Flag,
}

#[derive(Debug, Default)]
pub struct Analysis {
    pub discrepancies: Vec<Discrepancy>,
    /// Per claim, the discrepancies it is part of.
    pub by_claim: Vec<Vec<usize>>,
    /// Per entity, the discrepancies it is involved in (subject, source or speaker).
    pub by_entity: Vec<Vec<usize>>,
    /// Per note, the first discrepancy it explains.
    pub by_note: Vec<Option<usize>>,
    /// Per claim: no other source asserts the same value for the same subject and property.
    pub uncorroborated: Vec<bool>,
}

/// Finds every discrepancy in the model.
pub fn analyse(model: &Model) -> Analysis {
    let mut found = Vec::new();
    let groups = group_by_key(model);
    for ((subject, property), claims) in &groups {
        if !model.is_multi(property) {
            value_conflicts(model, *subject, property, claims, &mut found);
        }
    }
    quote_drift(model, &mut found);
    attach_notes(model, &mut found);
    for d in &mut found {
        d.best = best_reading(model, d);
        d.verdict = (d.notes.iter()).find_map(|n| model.notes[*n].verdict.clone());
    }

    let mut analysis = Analysis {
        by_claim: vec![Vec::new(); model.claims.len()],
        by_entity: vec![Vec::new(); model.entities.len()],
        by_note: vec![None; model.notes.len()],
        uncorroborated: uncorroborated(model, &groups),
        discrepancies: found,
    };
    for (d, disc) in analysis.discrepancies.iter().enumerate() {
        let mut entities: Vec<EntityId> = disc.subject.into_iter().chain(disc.speaker).collect();
        for c in &disc.claims {
            analysis.by_claim[c.0].push(d);
            let claim = model.claim(*c);
            entities.push(claim.source);
            entities.push(claim.subject);
            entities.extend(claim.speaker);
        }
        entities.sort();
        entities.dedup();
        for e in entities {
            analysis.by_entity[e.0].push(d);
        }
        for n in &disc.notes {
            analysis.by_note[*n].get_or_insert(d);
        }
    }
    analysis
}

type Groups<'m> = Vec<((EntityId, &'m str), Vec<ClaimId>)>;

/// Claims grouped by subject and property, groups in the order of their first claim.
fn group_by_key(model: &Model) -> Groups<'_> {
    let mut index: HashMap<(EntityId, &str), usize> = HashMap::new();
    let mut groups: Groups<'_> = Vec::new();
    for (i, c) in model.claims.iter().enumerate() {
        let key = (c.subject, c.property.as_str());
        let g = *index.entry(key).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(ClaimId(i));
    }
    groups
}

/// Groups claims by comparable value, in order of first appearance.
fn readings(model: &Model, claims: &[ClaimId]) -> Vec<Reading> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut readings: Vec<Reading> = Vec::new();
    for &c in claims {
        let claim = model.claim(c);
        let key = claim.value.comparable();
        let r = *index.entry(key).or_insert_with(|| {
            readings.push(Reading {
                value: model.display_value(&claim.value),
                claims: Vec::new(),
                sources: Vec::new(),
            });
            readings.len() - 1
        });
        readings[r].claims.push(c);
        if !readings[r].sources.contains(&claim.source) {
            readings[r].sources.push(claim.source);
        }
    }
    readings
}

fn value_conflicts(
    model: &Model,
    subject: EntityId,
    property: &str,
    claims: &[ClaimId],
    found: &mut Vec<Discrepancy>,
) {
    let all = readings(model, claims);
    if all.len() < 2 {
        return;
    }
    let subject_id = &model.entity(subject).id;
    // Two sources disagree when some source backs a reading another source does not share.
    let mut sources: Vec<EntityId> = all.iter().flat_map(|r| r.sources.clone()).collect();
    sources.sort();
    sources.dedup();
    let disagree = sources.len() > 1
        && all
            .iter()
            .any(|r| sources.iter().any(|s| !r.sources.contains(s)));
    if disagree {
        found.push(Discrepancy {
            id: format!("conflict--{subject_id}--{property}"),
            kind: DiscrepancyKind::ValueConflict,
            subject: Some(subject),
            property: Some(property.to_string()),
            speaker: None,
            claims: claims.to_vec(),
            readings: all,
            drift: Vec::new(),
            notes: Vec::new(),
            best: None,
            verdict: None,
        });
    }
    for source in sources {
        let own: Vec<ClaimId> = claims
            .iter()
            .copied()
            .filter(|c| model.claim(*c).source == source)
            .collect();
        let own_readings = readings(model, &own);
        if own_readings.len() > 1 {
            let source_id = &model.entity(source).id;
            found.push(Discrepancy {
                id: format!("self--{source_id}--{subject_id}--{property}"),
                kind: DiscrepancyKind::SelfContradiction,
                subject: Some(subject),
                property: Some(property.to_string()),
                speaker: None,
                claims: own,
                readings: own_readings,
                drift: Vec::new(),
                notes: Vec::new(),
                best: None,
                verdict: None,
            });
        }
    }
}

/// Words of a quote, compared without case and punctuation.
fn words(quote: &str) -> Vec<String> {
    plain_quotes(quote)
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '\u{2014}' || c == '\u{2013}')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '%')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Longest common subsequence of two word lists, as index pairs.
fn lcs(a: &[String], b: &[String]) -> Vec<(usize, usize)> {
    let mut table = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut pairs) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// The words of `b` not in `a` (added) and of `a` not in `b` (removed).
pub fn word_diff(a: &[String], b: &[String]) -> WordDiff {
    let common = lcs(a, b);
    let kept_a: Vec<usize> = common.iter().map(|p| p.0).collect();
    let kept_b: Vec<usize> = common.iter().map(|p| p.1).collect();
    WordDiff {
        removed: (0..a.len())
            .filter(|i| !kept_a.contains(i))
            .map(|i| a[i].clone())
            .collect(),
        added: (0..b.len())
            .filter(|i| !kept_b.contains(i))
            .map(|i| b[i].clone())
            .collect(),
    }
}

/// Whether two quotes are the same words said differently: most words shared, neither
/// simply an excerpt of the other.
fn drifts(a: &[String], b: &[String]) -> bool {
    if a == b || a.is_empty() || b.is_empty() || contains(a, b) || contains(b, a) {
        return false;
    }
    let common = lcs(a, b).len();
    let shorter = a.len().min(b.len());
    // Near-identical: the shorter quote is mostly found in the longer, in order.
    common >= 3 && common * 4 >= shorter * 3
}

fn contains(long: &[String], short: &[String]) -> bool {
    short.len() <= long.len() && long.windows(short.len()).any(|w| w == short)
}

fn quote_drift(model: &Model, found: &mut Vec<Discrepancy>) {
    let mut by_speaker: HashMap<EntityId, Vec<ClaimId>> = HashMap::new();
    for (i, c) in model.claims.iter().enumerate() {
        if let Some(s) = c.speaker {
            by_speaker.entry(s).or_default().push(ClaimId(i));
        }
    }
    let mut speakers: Vec<_> = by_speaker.into_iter().collect();
    speakers.sort_by_key(|(s, _)| *s);
    for (speaker, claims) in speakers {
        let quotes: Vec<Vec<String>> = claims
            .iter()
            .map(|c| words(&model.claim(*c).quote))
            .collect();
        // Cluster drifting pairs (union-find), so one wording history is one discrepancy.
        let mut parent: Vec<usize> = (0..claims.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let mut linked = vec![false; claims.len()];
        for i in 0..claims.len() {
            for j in i + 1..claims.len() {
                let (a, b) = (model.claim(claims[i]), model.claim(claims[j]));
                if a.source != b.source && drifts(&quotes[i], &quotes[j]) {
                    let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                    parent[rj] = ri;
                    linked[i] = true;
                    linked[j] = true;
                }
            }
        }
        let mut clusters: Vec<(usize, Vec<usize>)> = Vec::new();
        for i in (0..claims.len()).filter(|i| linked[*i]) {
            let r = root(&mut parent, i);
            match clusters.iter_mut().find(|(root, _)| *root == r) {
                Some((_, members)) => members.push(i),
                None => clusters.push((r, vec![i])),
            }
        }
        for (_, members) in clusters {
            let ids: Vec<ClaimId> = members.iter().map(|m| claims[*m]).collect();
            let mut variants: Vec<(Vec<String>, Reading)> = Vec::new();
            for (&m, &c) in members.iter().zip(&ids) {
                let claim = model.claim(c);
                match variants.iter_mut().find(|(w, _)| *w == quotes[m]) {
                    Some((_, r)) => {
                        r.claims.push(c);
                        if !r.sources.contains(&claim.source) {
                            r.sources.push(claim.source);
                        }
                    }
                    None => variants.push((
                        quotes[m].clone(),
                        Reading {
                            value: claim.quote.clone(),
                            claims: vec![c],
                            sources: vec![claim.source],
                        },
                    )),
                }
            }
            let first = variants[0].0.clone();
            let drift = variants[1..]
                .iter()
                .map(|(w, _)| word_diff(&first, w))
                .collect();
            found.push(Discrepancy {
                id: format!("drift--{}", model.claim(ids[0]).id),
                kind: DiscrepancyKind::QuoteDrift,
                subject: None,
                property: None,
                speaker: Some(speaker),
                claims: ids,
                readings: variants.into_iter().map(|(_, r)| r).collect(),
                drift,
                notes: Vec::new(),
                best: None,
                verdict: None,
            });
        }
    }
}

/// The reading a note names as best, else the one strictly more sources give; none on a tie.
fn best_reading(model: &Model, d: &Discrepancy) -> Option<usize> {
    let named: Vec<ClaimId> = (d.notes.iter())
        .filter_map(|n| model.notes[*n].best)
        .collect();
    if let Some(i) = (d.readings.iter()).position(|r| r.claims.iter().any(|c| named.contains(c))) {
        return Some(i);
    }
    let most = d.readings.iter().map(|r| r.sources.len()).max()?;
    let mut leaders = (d.readings.iter().enumerate()).filter(|(_, r)| r.sources.len() == most);
    let first = leaders.next()?.0;
    leaders.next().is_none().then_some(first)
}

/// Attaches each note to the discrepancies its claims overlap; a note that overlaps none
/// declares a discrepancy of its own.
fn attach_notes(model: &Model, found: &mut Vec<Discrepancy>) {
    let mut by_claim: HashMap<ClaimId, Vec<usize>> = HashMap::new();
    for (d, disc) in found.iter().enumerate() {
        for c in &disc.claims {
            by_claim.entry(*c).or_default().push(d);
        }
    }
    for (n, note) in model.notes.iter().enumerate() {
        let mut hits: Vec<usize> = note
            .claims
            .iter()
            .flat_map(|c| by_claim.get(c).cloned().unwrap_or_default())
            .collect();
        hits.sort();
        hits.dedup();
        if note.kind.is_none() && !hits.is_empty() {
            for d in hits {
                found[d].notes.push(n);
            }
            continue;
        }
        let first = note.claims.first().map(|c| model.claim(*c));
        let same_subject = first.is_some_and(|f| {
            note.claims
                .iter()
                .all(|c| model.claim(*c).subject == f.subject)
        });
        let same_property = first.is_some_and(|f| {
            note.claims
                .iter()
                .all(|c| model.claim(*c).property == f.property)
        });
        found.push(Discrepancy {
            id: note.id.clone(),
            kind: DiscrepancyKind::Analyst(note.kind.clone().unwrap_or_else(|| "other".into())),
            subject: first.filter(|_| same_subject).map(|f| f.subject),
            property: first.filter(|_| same_property).map(|f| f.property.clone()),
            speaker: None,
            claims: note.claims.clone(),
            readings: readings(model, &note.claims),
            drift: Vec::new(),
            notes: vec![n],
            best: None,
            verdict: None,
        });
    }
}

fn uncorroborated(model: &Model, groups: &Groups<'_>) -> Vec<bool> {
    let mut result = vec![false; model.claims.len()];
    for (_, claims) in groups {
        for r in readings(model, claims) {
            if r.sources.len() == 1 {
                for c in r.claims {
                    result[c.0] = true;
                }
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        words(s)
    }

    #[test]
    fn drift_needs_near_identical_wording() {
        let a = w("highly effective and very cost-efficient weapons system");
        let b = w("highly effective and very cost-efficient weapons systems");
        let c = w("highly effective and cost-efficient");
        assert!(drifts(&a, &b));
        assert!(drifts(&a, &c));
        assert!(!drifts(&a, &a));
        assert!(!drifts(&a, &w("we will buy mines")));
        // An excerpt is not drift.
        assert!(!drifts(&a, &w("highly effective")));
    }

    #[test]
    fn word_diff_names_the_changed_words() {
        let d = word_diff(
            &w("a very cost-efficient system"),
            &w("a cost-efficient systems"),
        );
        assert_eq!(d.removed, vec!["very", "system"]);
        assert_eq!(d.added, vec!["systems"]);
    }
}
