//! Stage 4, analyse: finds where sources disagree, and how. Claims are grouped by key (subject
//! and property, speaker, shared quote words), so the work grows with the size of each group,
//! not with the briefing. Values are compared by their meaning ([`crate::value::Relation`]):
//! units converted, ranges as intervals, dates as the days they cover, lists as sets, places
//! within places; moments (`as_of`), speakers and modality decide what a difference means.
//!
//! The result does not depend on the order of files or records: groups, readings, claims and
//! discrepancies are ordered by id.

mod notes;
mod quotes;
mod sets;
mod values;

use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::model::{ClaimId, EntityId, Model, Resolution};

/// What kind of finding a discrepancy is. One vocabulary: the same name inline, on cards, in
/// the matrix, in print and in `facts.json` (`slug`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiscrepancyKind {
    /// Sources give incompatible values for the same subject, property and moment.
    Conflict,
    /// One source, in its own voice or through one speaker, gives incompatible values.
    SelfContradiction,
    /// Two speakers quoted in one report disagree: the report is not wrong.
    ReportedDisagreement,
    /// The same statement is attributed to different speakers by different reports.
    AttributionConflict,
    /// One source states a fact more strongly (modality) than every other source.
    Overstatement,
    /// Near-identical quotes of one speaker differ in wording between sources.
    QuoteDrift,
    /// Readings that differ but can all be true: nested or overlapping ranges, a place
    /// within another, a date within a longer period.
    Compatible,
    /// One source's whole list leaves out items another source names.
    Omission,
    /// Different values for moments (`as_of`) that do not overlap.
    ChangeOverTime,
    /// Declared by an analyst's note (unsupported, impossible-date, misattribution, ...).
    Analyst(String),
}

/// How loudly a finding is shown: flags for real disagreements, marks for soft findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Shown quietly: a reader may want to know, nobody is shown to be wrong.
    Mark,
    /// A real disagreement between or within sources.
    Flag,
}

/// Every outcome with its slug, severity and meaning, for the legend and the schema.
pub const OUTCOMES: [(&str, Severity, &str); 12] = [
    (
        "conflict",
        Severity::Flag,
        "Sources give incompatible values for the same moment.",
    ),
    (
        "self-contradiction",
        Severity::Flag,
        "One source gives incompatible values, in its own voice or through one speaker.",
    ),
    (
        "attribution-conflict",
        Severity::Flag,
        "Reports attribute the same statement to different speakers.",
    ),
    (
        "overstatement",
        Severity::Flag,
        "One source states a fact more strongly than every other source (an intention as a completed act).",
    ),
    (
        "quote-drift",
        Severity::Flag,
        "Reports quote the same speaker in near-identical but different words.",
    ),
    (
        "reported-disagreement",
        Severity::Mark,
        "Two speakers quoted in one report disagree; the report itself is consistent.",
    ),
    (
        "compatible",
        Severity::Mark,
        "Readings differ but can all be true: overlapping ranges, a place within another, a more precise date.",
    ),
    (
        "omission",
        Severity::Mark,
        "One source's whole list leaves out items another source names.",
    ),
    (
        "change-over-time",
        Severity::Mark,
        "Different values for different moments: a change, not a disagreement.",
    ),
    (
        "single-source",
        Severity::Mark,
        "Only one source gives this value.",
    ),
    (
        "dismissed",
        Severity::Mark,
        "An analyst judged the finding not to be a real disagreement; the note says why.",
    ),
    (
        "analyst",
        Severity::Flag,
        "Declared by an analyst's note: unsupported, impossible date, misattribution, understatement or other.",
    ),
];

impl DiscrepancyKind {
    /// The outcome's name, used everywhere a reader sees it.
    pub fn short_label(&self) -> &'static str {
        match self {
            DiscrepancyKind::Conflict => "conflict",
            DiscrepancyKind::SelfContradiction => "self-contradiction",
            DiscrepancyKind::ReportedDisagreement => "reported disagreement",
            DiscrepancyKind::AttributionConflict => "attribution conflict",
            DiscrepancyKind::Overstatement => "overstatement",
            DiscrepancyKind::QuoteDrift => "quote drift",
            DiscrepancyKind::Compatible => "compatible",
            DiscrepancyKind::Omission => "omission",
            DiscrepancyKind::ChangeOverTime => "change over time",
            DiscrepancyKind::Analyst(kind) => match kind.as_str() {
                "overstatement" => "overstatement",
                "understatement" => "understatement",
                "unsupported" => "unsupported",
                "impossible-date" => "impossible date",
                "misattribution" => "misattribution",
                _ => "analyst flag",
            },
        }
    }

    /// The name with a capital, for headings.
    pub fn label(&self) -> String {
        let name = self.short_label();
        let mut chars = name.chars();
        chars.next().map_or_else(String::new, |c| {
            c.to_uppercase().collect::<String>() + chars.as_str()
        })
    }

    pub fn slug(&self) -> String {
        match self {
            DiscrepancyKind::Analyst(k) => k.clone(),
            other => other.short_label().replace(' ', "-"),
        }
    }

    pub fn severity(&self) -> Severity {
        match self {
            DiscrepancyKind::ReportedDisagreement
            | DiscrepancyKind::Compatible
            | DiscrepancyKind::Omission
            | DiscrepancyKind::ChangeOverTime => Severity::Mark,
            _ => Severity::Flag,
        }
    }

    /// What the outcome means, in a sentence.
    pub fn meaning(&self) -> &'static str {
        let slug = match self {
            DiscrepancyKind::Analyst(_) => "analyst".to_string(),
            other => other.slug(),
        };
        OUTCOMES
            .iter()
            .find(|(s, _, _)| *s == slug)
            .map_or("", |(_, _, m)| m)
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
    /// more sources give than any other. `None` on a tie, and for soft findings.
    pub best: Option<usize>,
    /// The analyst's verdict, from the first note that gives one.
    pub verdict: Option<String>,
    /// What the analysts' notes decided: a dismissed finding is no longer shown as one.
    pub resolution: Resolution,
}

impl Discrepancy {
    fn new(
        id: String,
        kind: DiscrepancyKind,
        claims: Vec<ClaimId>,
        readings: Vec<Reading>,
    ) -> Self {
        Discrepancy {
            id,
            kind,
            subject: None,
            property: None,
            speaker: None,
            claims,
            readings,
            drift: Vec::new(),
            notes: Vec::new(),
            best: None,
            verdict: None,
            resolution: Resolution::Confirmed,
        }
    }

    /// The subject and property the finding is about.
    fn about(mut self, subject: EntityId, property: &str) -> Self {
        self.subject = Some(subject);
        self.property = Some(property.to_string());
        self
    }

    /// How loudly to show it, after the notes: `None` once an analyst dismissed it.
    pub fn severity(&self) -> Option<Severity> {
        match self.resolution {
            Resolution::Dismissed => None,
            Resolution::Compatible => Some(Severity::Mark),
            Resolution::Confirmed => Some(self.kind.severity()),
        }
    }

    /// The outcome's slug after the notes (`dismissed`, `compatible`, or the kind's).
    pub fn outcome(&self) -> String {
        match self.resolution {
            Resolution::Dismissed => "dismissed".into(),
            Resolution::Compatible => "compatible".into(),
            Resolution::Confirmed => self.kind.slug(),
        }
    }
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
    /// Per claim: no other source gives the same value for the same subject and property.
    pub uncorroborated: Vec<bool>,
    /// The order findings are shown and numbered in: flags, then marks, then the dismissed,
    /// each by id.
    pub display_order: Vec<usize>,
    /// Per discrepancy, its number: its place in `display_order`, from 1.
    pub numbers: Vec<usize>,
}

/// Finds every discrepancy in the model.
pub fn analyse(model: &Model) -> Analysis {
    let mut found = Vec::new();
    let groups = group_by_key(model);
    for ((subject, property), claims) in &groups {
        if model.is_multi(property) {
            sets::compare_lists(model, *subject, property, claims, &mut found);
        } else {
            values::compare_values(model, *subject, property, claims, &mut found);
        }
    }
    sets::counts_against_lists(model, &groups, &mut found);
    quotes::quote_drift(model, &mut found);
    quotes::attribution_conflicts(model, &mut found);
    for d in &mut found {
        d.claims
            .sort_by(|a, b| model.claim(*a).id.cmp(&model.claim(*b).id));
        d.claims.dedup();
    }
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found.dedup_by(|a, b| a.id == b.id);
    notes::attach_notes(model, &mut found);
    for d in &mut found {
        d.best = best_reading(model, d);
        d.verdict = (d.notes.iter()).find_map(|n| model.notes[*n].verdict.clone());
    }

    let mut analysis = Analysis {
        by_claim: vec![Vec::new(); model.claims.len()],
        by_entity: vec![Vec::new(); model.entities.len()],
        by_note: vec![None; model.notes.len()],
        uncorroborated: values::uncorroborated(model, &groups),
        display_order: Vec::new(),
        numbers: vec![0; found.len()],
        discrepancies: found,
    };
    let mut order: Vec<usize> = (0..analysis.discrepancies.len()).collect();
    order.sort_by_key(|d| std::cmp::Reverse(analysis.discrepancies[*d].severity()));
    for (place, d) in order.iter().enumerate() {
        analysis.numbers[*d] = place + 1;
    }
    analysis.display_order = order;
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

/// Claims grouped by subject and property, groups ordered by subject id and property, claims
/// by id.
fn group_by_key(model: &Model) -> Groups<'_> {
    let mut index: FxHashMap<(EntityId, &str), usize> = FxHashMap::default();
    let mut groups: Groups<'_> = Vec::new();
    for (i, c) in model.claims.iter().enumerate() {
        let key = (c.subject, c.property.as_str());
        let g = *index.entry(key).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(ClaimId(i));
    }
    for (_, claims) in &mut groups {
        claims.sort_by(|a, b| model.claim(*a).id.cmp(&model.claim(*b).id));
    }
    groups.sort_by(|((s1, p1), _), ((s2, p2), _)| {
        (model.entity(*s1).id.as_str(), *p1).cmp(&(model.entity(*s2).id.as_str(), *p2))
    });
    groups
}

/// Groups claims into readings by a key, readings ordered by key.
fn readings_by(
    model: &Model,
    claims: &[ClaimId],
    key: impl Fn(ClaimId) -> (String, String),
) -> Vec<Reading> {
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    let mut readings: Vec<(String, Reading)> = Vec::new();
    for &c in claims {
        let claim = model.claim(c);
        let (k, shown) = key(c);
        let r = *index.entry(k.clone()).or_insert_with(|| {
            readings.push((
                k,
                Reading {
                    value: shown,
                    claims: Vec::new(),
                    sources: Vec::new(),
                },
            ));
            readings.len() - 1
        });
        readings[r].1.claims.push(c);
        if !readings[r].1.sources.contains(&claim.source) {
            readings[r].1.sources.push(claim.source);
        }
    }
    readings.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, r) in &mut readings {
        r.sources
            .sort_by(|a, b| model.entity(*a).id.cmp(&model.entity(*b).id));
    }
    readings.into_iter().map(|(_, r)| r).collect()
}

/// Claims grouped by value.
fn readings(model: &Model, claims: &[ClaimId]) -> Vec<Reading> {
    readings_by(model, claims, |c| {
        let v = &model.claim(c).value;
        (v.key(), model.display_value(v))
    })
}

/// The reading a note names as best, else the one strictly more sources give; none on a tie,
/// and none for findings where no reading is wrong or there is only one reading.
fn best_reading(model: &Model, d: &Discrepancy) -> Option<usize> {
    if d.readings.len() < 2 {
        return None;
    }
    let named: Vec<ClaimId> = (d.notes.iter())
        .filter_map(|n| model.notes[*n].best)
        .collect();
    if let Some(i) = (d.readings.iter()).position(|r| r.claims.iter().any(|c| named.contains(c))) {
        return Some(i);
    }
    if d.kind.severity() == Severity::Mark || d.resolution != Resolution::Confirmed {
        return None;
    }
    let most = d.readings.iter().map(|r| r.sources.len()).max()?;
    let mut leaders = (d.readings.iter().enumerate()).filter(|(_, r)| r.sources.len() == most);
    let first = leaders.next()?.0;
    leaders.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests;
