//! Pictures generated at build time as inline SVG: no JavaScript, legible on paper (every
//! mark carries a symbol or a number, not only a colour).

use std::fmt::Write as _;

use super::views::DiscLink;
use super::{Ctx, esc, shorten};
use crate::analyse::{Discrepancy, Severity};
use crate::model::{EntityId, EntityKind};

/// One column of the timeline: a date and how many of its claims are disputed.
pub struct Moment<'a> {
    pub when: &'a str,
    pub claims: usize,
    pub disputed: usize,
}

/// A bar per date: dated claims, the disputed part marked with a hatched, labelled segment.
pub fn timeline(moments: &[Moment]) -> String {
    if moments.is_empty() {
        return String::new();
    }
    let (col, left, top, height) = (96, 16, 28, 120);
    let width = left * 2 + col * moments.len();
    let max = moments.iter().map(|m| m.claims).max().unwrap_or(1).max(1);
    let total: usize = moments.iter().map(|m| m.claims).sum();
    let mut svg = format!(
        "<svg class=\"chart chart-timeline\" role=\"img\" aria-labelledby=\"timeline-chart-title\" viewBox=\"0 0 {width} {h}\" width=\"{width}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"timeline-chart-title\">Dated claims by date: {total} claims on {n} dates; the hatched part of each bar is disputed</title>\
<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" class=\"bar-disputed\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"hatch-line\"/></pattern></defs>",
        h = top + height + 48,
        n = moments.len(),
    );
    let base = top + height;
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" class=\"axis\"/>",
        width - left
    );
    for (i, m) in moments.iter().enumerate() {
        let x = left + i * col + col / 4;
        let w = col / 2;
        let bar = (m.claims * height) / max;
        let disputed = (m.disputed * height) / max;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{bar}\" class=\"bar\"/>",
            base - bar
        );
        if m.disputed > 0 {
            let _ = write!(
                svg,
                "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{disputed}\" fill=\"url(#hatch)\" class=\"bar-hatched\"/>",
                base - disputed
            );
        }
        let label = if m.disputed > 0 {
            format!("{} ({} ⚑)", m.claims, m.disputed)
        } else {
            m.claims.to_string()
        };
        let cx = x + w / 2;
        let _ = write!(
            svg,
            "<text x=\"{cx}\" y=\"{}\" class=\"count\" text-anchor=\"middle\">{}</text><text x=\"{cx}\" y=\"{}\" class=\"when\" text-anchor=\"middle\">{}</text>",
            base - bar - 6,
            esc(&label),
            base + 18,
            esc(m.when)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Whether a source agrees with the best-supported reading of a discrepancy.
#[derive(Clone, Copy, PartialEq)]
enum Stance {
    Agrees,
    Disagrees,
    Both,
    /// It gives a reading, and no reading is best supported (a tie).
    Tied,
    Silent,
}

/// What the legend says of the tied mark, when a row has one.
const TIED: &str = " · ○ a tie: no reading is best supported";

/// Sources (columns) against the discrepancies shown as flags (rows, titled by their
/// `links`; soft and dismissed findings have no row): agrees with the best-supported reading
/// ([`Discrepancy::best`]), disagrees, both, silent, or gives a reading of a tie.
pub fn agreement(ctx: &Ctx, links: &[DiscLink]) -> String {
    let model = ctx.model;
    let rows: Vec<(&Discrepancy, &DiscLink)> = (ctx.analysis.discrepancies.iter())
        .zip(links)
        .filter(|(d, _)| d.severity() == Some(Severity::Flag))
        .collect();
    let discs: Vec<&Discrepancy> = rows.iter().map(|(d, _)| *d).collect();
    let sources: Vec<EntityId> = (0..model.entities.len())
        .map(EntityId)
        .filter(|e| model.entity(*e).kind == EntityKind::Source)
        .collect();
    if sources.is_empty() || discs.is_empty() {
        return String::new();
    }
    let (label_w, col, row, top) = (330, 64, 22, 64);
    let width = label_w + col * sources.len() + 8;
    let height = top + row * discs.len() + 44;
    let tied = discs.iter().any(|d| d.best.is_none());
    let mut svg = format!(
        "<svg class=\"chart chart-agreement\" role=\"img\" aria-labelledby=\"agreement-title\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"agreement-title\">Which source agrees with the best-supported reading of each discrepancy: ✓ agrees, ✗ disagrees, ± gives both, · silent{}</title>",
        if tied { TIED } else { "" }
    );
    for (j, s) in sources.iter().enumerate() {
        let x = label_w + j * col + col / 2;
        let _ = write!(
            svg,
            "<text x=\"{x}\" y=\"{}\" class=\"source\" text-anchor=\"middle\">{}</text>",
            top - 12,
            esc(model.short_name(*s))
        );
    }
    for (i, (d, link)) in rows.iter().enumerate() {
        let y = top + i * row;
        if i % 2 == 0 {
            let _ = write!(
                svg,
                "<rect x=\"0\" y=\"{y}\" width=\"{width}\" height=\"{row}\" class=\"stripe\"/>"
            );
        }
        let _ = write!(
            svg,
            "<text x=\"4\" y=\"{}\" class=\"label\">⚑{} {}</text>",
            y + 15,
            link.number,
            esc(&shorten(&link.title, 42))
        );
        for (j, s) in sources.iter().enumerate() {
            let (symbol, class) = match stance(d, *s) {
                Stance::Agrees => ("✓", "agrees"),
                Stance::Disagrees => ("✗", "disagrees"),
                Stance::Both => ("±", "both"),
                Stance::Tied => ("○", "tied"),
                Stance::Silent => ("·", "silent"),
            };
            let x = label_w + j * col + col / 2;
            let _ = write!(
                svg,
                "<text x=\"{x}\" y=\"{}\" class=\"cell {class}\" text-anchor=\"middle\">{symbol}</text>",
                y + 16
            );
        }
    }
    let _ = write!(
        svg,
        "<text x=\"4\" y=\"{}\" class=\"legend\">✓ agrees with the best-supported reading · ✗ disagrees · ± gives both · · silent{}</text></svg>",
        height - 14,
        if tied { TIED } else { "" }
    );
    svg
}

fn stance(d: &Discrepancy, source: EntityId) -> Stance {
    let gives = |i: usize| {
        d.readings
            .get(i)
            .is_some_and(|r| r.sources.contains(&source))
    };
    let Some(best) = d.best else {
        let any = (0..d.readings.len()).any(gives);
        return if any { Stance::Tied } else { Stance::Silent };
    };
    let agrees = gives(best);
    let other = (0..d.readings.len()).any(|i| i != best && gives(i));
    match (agrees, other) {
        (true, true) => Stance::Both,
        (true, false) => Stance::Agrees,
        (false, true) => Stance::Disagrees,
        (false, false) => Stance::Silent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::{DiscrepancyKind, Reading};
    use crate::model::ClaimId;

    fn conflict(best: Option<usize>) -> Discrepancy {
        let reading = |value: &str, c: usize, s: usize| Reading {
            value: value.into(),
            claims: vec![ClaimId(c)],
            sources: vec![EntityId(s)],
        };
        Discrepancy {
            id: "d".into(),
            kind: DiscrepancyKind::Conflict,
            subject: None,
            property: None,
            speaker: None,
            claims: vec![ClaimId(0), ClaimId(1)],
            readings: vec![reading("2026", 0, 0), reading("2023", 1, 1)],
            drift: Vec::new(),
            notes: Vec::new(),
            best,
            verdict: None,
            resolution: crate::model::Resolution::Confirmed,
        }
    }

    #[test]
    fn a_tie_ticks_no_reading() {
        let tie = conflict(None);
        assert!(stance(&tie, EntityId(0)) == Stance::Tied);
        assert!(stance(&tie, EntityId(1)) == Stance::Tied);
        assert!(stance(&tie, EntityId(2)) == Stance::Silent);
        let decided = conflict(Some(1));
        assert!(stance(&decided, EntityId(0)) == Stance::Disagrees);
        assert!(stance(&decided, EntityId(1)) == Stance::Agrees);
    }

    #[test]
    fn timeline_labels_counts_and_dates() {
        let svg = timeline(&[
            Moment {
                when: "9 July 2025",
                claims: 4,
                disputed: 1,
            },
            Moment {
                when: "2026",
                claims: 2,
                disputed: 0,
            },
        ]);
        assert!(svg.contains("4 (1 ⚑)"));
        assert!(svg.contains(">2026<"));
        assert!(svg.contains("<title"));
        assert!(timeline(&[]).is_empty());
    }
}
