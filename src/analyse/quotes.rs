//! Quotes compared across sources: one speaker's words drifting between reports (quote drift),
//! and one statement attributed to different speakers (attribution conflict).

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Discrepancy, DiscrepancyKind, Reading, WordDiff};
use crate::model::{ClaimId, EntityId, Model, plain_quotes};

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

pub(super) fn quote_drift(model: &Model, found: &mut Vec<Discrepancy>) {
    let mut by_speaker: FxHashMap<EntityId, Vec<ClaimId>> = FxHashMap::default();
    for (i, c) in model.claims.iter().enumerate() {
        if let Some(s) = c.speaker {
            by_speaker.entry(s).or_default().push(ClaimId(i));
        }
    }
    let mut speakers: Vec<_> = by_speaker.into_iter().collect();
    speakers.sort_by(|(a, _), (b, _)| model.entity(*a).id.cmp(&model.entity(*b).id));
    for (speaker, mut claims) in speakers {
        claims.sort_by(|a, b| model.claim(*a).id.cmp(&model.claim(*b).id));
        let quotes: Vec<Vec<String>> = claims
            .iter()
            .map(|c| words(&model.claim(*c).quote))
            .collect();
        // Cluster drifting pairs (union-find), so one wording history is one discrepancy.
        let mut parent: Vec<usize> = (0..claims.len()).collect();
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
            let readings = variants.into_iter().map(|(_, r)| r).collect();
            let id = format!("drift--{}", model.claim(ids[0]).id);
            let mut d = Discrepancy::new(id, DiscrepancyKind::QuoteDrift, ids, readings);
            d.speaker = Some(speaker);
            d.drift = drift;
            found.push(d);
        }
    }
}

/// Quote fragments shorter than this are too common to say two reports quote one statement.
const SHINGLE: usize = 4;
/// A run of words found in more claims than this is boilerplate, not a shared statement.
const COMMON: usize = 50;

/// Whether two quotes are one statement: the same words, one an excerpt of the other, or the
/// same words drifting; `strict`ly, a drift must keep most words of the longer quote too.
fn same_statement(a: &[String], b: &[String], strict: bool) -> bool {
    let (shorter, longer) = (a.len().min(b.len()), a.len().max(b.len()));
    let drifting = drifts(a, b) && (!strict || lcs(a, b).len() * 4 >= longer * 3);
    shorter >= SHINGLE && (a == b || contains(a, b) || contains(b, a) || drifting)
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The same statement attributed to different speakers by different reports, or to a speaker
/// by one and to nobody (the report's own voice) by another. Candidates share
/// a run of [`SHINGLE`] words (an index, so the work grows with the quotes, not their pairs).
pub(super) fn attribution_conflicts(model: &Model, found: &mut Vec<Discrepancy>) {
    let spoken: Vec<ClaimId> = (0..model.claims.len()).map(ClaimId).collect();
    let quotes: Vec<Vec<String>> = spoken
        .iter()
        .map(|c| words(&model.claim(*c).quote))
        .collect();
    let mut index: FxHashMap<&[String], Vec<usize>> = FxHashMap::default();
    for (i, q) in quotes.iter().enumerate() {
        for w in q.windows(SHINGLE) {
            let bucket = index.entry(w).or_default();
            if bucket.last() != Some(&i) {
                bucket.push(i);
            }
        }
    }
    let mut parent: Vec<usize> = (0..spoken.len()).collect();
    let mut linked = vec![false; spoken.len()];
    let mut checked = FxHashSet::default();
    for bucket in index.values().filter(|b| b.len() > 1 && b.len() <= COMMON) {
        for (x, &i) in bucket.iter().enumerate() {
            for &j in &bucket[x + 1..] {
                if !checked.insert((i, j)) {
                    continue;
                }
                let (a, b) = (model.claim(spoken[i]), model.claim(spoken[j]));
                // A statement one report gives a speaker and another makes in its own voice
                // has lost its attribution: that differs too, but only for the same words, an
                // excerpt of them, or a drift that keeps most words of both quotes (a looser
                // drift is met by common phrases of a report's own prose).
                if a.source == b.source || a.speaker == b.speaker {
                    continue;
                }
                let own_voice = a.speaker.is_none() || b.speaker.is_none();
                if same_statement(&quotes[i], &quotes[j], own_voice) {
                    let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                    parent[rj] = ri;
                    linked[i] = true;
                    linked[j] = true;
                }
            }
        }
    }
    let mut clusters: BTreeMap<usize, Vec<ClaimId>> = BTreeMap::new();
    for i in (0..spoken.len()).filter(|i| linked[*i]) {
        let r = root(&mut parent, i);
        clusters.entry(r).or_default().push(spoken[i]);
    }
    for (_, mut claims) in clusters {
        claims.sort_by(|a, b| model.claim(*a).id.cmp(&model.claim(*b).id));
        let readings = super::readings_by(model, &claims, |c| match model.claim(c).speaker {
            Some(speaker) => {
                let e = model.entity(speaker);
                (e.id.clone(), format!("said by {}", e.name))
            }
            None => (
                String::new(),
                "no speaker named (the report's own voice)".into(),
            ),
        });
        let id = format!("attribution--{}", model.claim(claims[0]).id);
        found.push(Discrepancy::new(
            id,
            DiscrepancyKind::AttributionConflict,
            claims,
            readings,
        ));
    }
}
