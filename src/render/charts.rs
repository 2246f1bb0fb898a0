//! Pictures generated at build time as inline SVG: no JavaScript, legible on paper (every
//! mark carries a symbol or a number, not only a colour).

use std::fmt::Write as _;

use super::{Ctx, esc, shorten};
use crate::analyse::Discrepancy;
use crate::model::{ClaimId, EntityId, EntityKind};

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

/// Whether a source agrees with the leading reading of a discrepancy.
#[derive(Clone, Copy, PartialEq)]
enum Stance {
    Agrees,
    Disagrees,
    Both,
    Silent,
}

/// Sources (columns) against discrepancies (rows): agrees with the best-supported reading
/// (the note's `best`, else the reading most sources give), disagrees, both, or silent.
pub fn agreement(ctx: &Ctx, discs: &[&Discrepancy], titles: &[String]) -> String {
    let model = ctx.model;
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
    let mut svg = format!(
        "<svg class=\"chart chart-agreement\" role=\"img\" aria-labelledby=\"agreement-title\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"agreement-title\">Which source agrees with the best-supported reading of each discrepancy: ✓ agrees, ✗ disagrees, ± gives both, · silent</title>"
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
    for (i, (d, title)) in discs.iter().zip(titles).enumerate() {
        let y = top + i * row;
        if i % 2 == 0 {
            let _ = write!(
                svg,
                "<rect x=\"0\" y=\"{y}\" width=\"{width}\" height=\"{row}\" class=\"stripe\"/>"
            );
        }
        let _ = write!(
            svg,
            "<text x=\"4\" y=\"{}\" class=\"label\">{}</text>",
            y + 15,
            esc(&shorten(title, 46))
        );
        let leading = leading_reading(ctx, d);
        for (j, s) in sources.iter().enumerate() {
            let stance = stance(d, leading, *s);
            let (symbol, class) = match stance {
                Stance::Agrees => ("✓", "agrees"),
                Stance::Disagrees => ("✗", "disagrees"),
                Stance::Both => ("±", "both"),
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
        "<text x=\"4\" y=\"{}\" class=\"legend\">✓ agrees with the best-supported reading · ✗ disagrees · ± gives both · · silent</text></svg>",
        height - 14
    );
    svg
}

/// The index of the reading that leads: the one with the note's best claim, else the one
/// most sources give (the first on a tie).
fn leading_reading(ctx: &Ctx, d: &Discrepancy) -> usize {
    let best: Vec<ClaimId> = d
        .notes
        .iter()
        .filter_map(|n| ctx.model.notes[*n].best)
        .collect();
    if let Some(i) = d
        .readings
        .iter()
        .position(|r| r.claims.iter().any(|c| best.contains(c)))
    {
        return i;
    }
    let most = d
        .readings
        .iter()
        .map(|r| r.sources.len())
        .max()
        .unwrap_or(0);
    d.readings
        .iter()
        .position(|r| r.sources.len() == most)
        .unwrap_or(0)
}

fn stance(d: &Discrepancy, leading: usize, source: EntityId) -> Stance {
    let gives = |i: usize| {
        d.readings
            .get(i)
            .is_some_and(|r| r.sources.contains(&source))
    };
    let agrees = gives(leading);
    let other = (0..d.readings.len()).any(|i| i != leading && gives(i));
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
