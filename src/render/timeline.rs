//! The timeline: dated claims in order, one entry per date, built once for the timeline's
//! pages ([`page`] cuts them) and the print view.

use serde::Serialize;

use super::charts::Moment;
use super::views::ClaimView;
use crate::model::{Claim, DateSpan, Model, Value};

/// The dated claims of one date.
#[derive(Serialize)]
pub struct TimelineEntry<'a> {
    /// The date as written (`9 July 2025`, or a year).
    pub when: String,
    /// The days it covers, for the chart's time axis (`None`: an open end).
    #[serde(skip)]
    pub from: Option<crate::model::Date>,
    #[serde(skip)]
    pub to: Option<crate::model::Date>,
    pub claims: Vec<&'a ClaimView<'a>>,
}

/// Dated claims in order, one entry per date: by the moment a value held (`as_of`), else the
/// date of the statement, else a date it states. `claims` are the claim views, indexed like the model's claims.
pub fn entries<'a>(model: &Model, claims: &'a [ClaimView<'a>]) -> Vec<TimelineEntry<'a>> {
    let mut dated: Vec<(crate::model::Date, String, &DateSpan, &ClaimView)> = Vec::new();
    for (c, view) in model.claims.iter().zip(claims) {
        if let Some(d) = span(c) {
            dated.push((d.sort_key(), d.long(), d, view));
        }
    }
    dated.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.3.id.cmp(b.3.id)));
    let mut entries: Vec<TimelineEntry> = Vec::new();
    for (_, when, span, claim) in dated {
        match entries.last_mut() {
            Some(e) if e.when == when => e.claims.push(claim),
            _ => entries.push(TimelineEntry {
                when,
                from: span.from,
                to: span.to,
                claims: vec![claim],
            }),
        }
    }
    entries
}

/// The date that puts claim `c` on the timeline, if any ([`entries`]).
fn span(c: &Claim) -> Option<&DateSpan> {
    match (&c.as_of, &c.date, &c.value) {
        (Some(d), _, _) | (None, Some(d), _) | (None, None, Value::Date(d)) => Some(d),
        _ => None,
    }
}

/// How many claims the timeline shows.
pub fn dated(model: &Model) -> usize {
    model.claims.iter().filter(|c| span(c).is_some()).count()
}

/// The entries of page `page` (from 0) of a timeline of `per` claims a page: its claims, each
/// under its date; a date whose claims straddle two pages heads its part on each.
pub fn page<'a>(entries: &[TimelineEntry<'a>], page: usize, per: usize) -> Vec<TimelineEntry<'a>> {
    let (first, end) = (page * per, (page + 1) * per);
    let mut seen = 0;
    let mut shown = Vec::new();
    for e in entries {
        let (from, to) = (seen, seen + e.claims.len());
        seen = to;
        if to <= first || from >= end {
            continue;
        }
        let claims = &e.claims[first.max(from) - from..end.min(to) - from];
        shown.push(TimelineEntry {
            when: e.when.clone(),
            from: e.from,
            to: e.to,
            claims: claims.to_vec(),
        });
    }
    shown
}

/// The entries counted per date, for the chart.
pub fn moments<'a>(entries: &'a [TimelineEntry<'a>]) -> Vec<Moment<'a>> {
    entries
        .iter()
        .map(|e| Moment {
            when: &e.when,
            from: e.from,
            to: e.to,
            claims: e.claims.len(),
            disputed: e.claims.iter().filter(|c| c.disputed).count(),
        })
        .collect()
}
