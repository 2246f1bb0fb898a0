//! The two charts, built at build time with no JavaScript and legible on paper (every mark
//! carries a symbol or words, not only a colour): the timeline, an inline SVG drawn to scale
//! on a linear time axis, and the source-agreement matrix, a view that
//! `partials/agreement.html` draws as an HTML table (real header cells, rows linking to their
//! discrepancy cards, labels that wrap, a horizontal scroll of its own on a narrow screen).

use std::fmt::Write as _;

use serde::Serialize;

use super::views::{self, DiscLink, GradeView, Href};
use super::{Ctx, esc};
use crate::analyse::{Discrepancy, Severity};
use crate::model::{Date, EntityId, EntityKind};

// ---------------------------------------------------------------------------------------------
// The timeline

/// One date of the timeline: the days it covers (an open end is `None`: `by 2026`), and how
/// many of its claims there are and are disputed.
pub struct Moment<'a> {
    pub when: &'a str,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub claims: usize,
    pub disputed: usize,
}

/// The share of the width, in percent, left blank on each side of the time axis.
const PAD: f64 = 4.0;
/// A timeline label longer than this wraps onto a second line.
const LABEL_CHARS: usize = 40;

/// Days since 1970-01-01 (proleptic Gregorian), for a linear time axis.
fn day_number(d: Date) -> i64 {
    let (y, m) = if d.month <= 2 {
        (i64::from(d.year) - 1, i64::from(d.month) + 9)
    } else {
        (i64::from(d.year), i64::from(d.month) - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * m + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn jan_first(year: i32) -> i64 {
    day_number(Date {
        year,
        month: 1,
        day: 1,
    })
}

/// The time axis: whole years from `start` to `end` (exclusive), a tick every `step` years.
#[derive(Debug, PartialEq)]
struct Axis {
    start: i32,
    end: i32,
    step: i32,
}

impl Axis {
    /// The axis covering every day of `moments`, in whole steps, with at most eight ticks.
    fn of(moments: &[Moment]) -> Option<Axis> {
        let years = moments
            .iter()
            .flat_map(|m| [m.from, m.to])
            .flatten()
            .map(|d| d.year);
        let (lo, hi) = years.fold(None, |acc: Option<(i32, i32)>, y| {
            Some(acc.map_or((y, y), |(lo, hi)| (lo.min(y), hi.max(y))))
        })?;
        let span = i64::from(hi) - i64::from(lo) + 1;
        let step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
            .into_iter()
            .find(|s| span.div_euclid(i64::from(*s)) < 7)
            .unwrap_or(1000);
        let start = lo.div_euclid(step) * step;
        let end = (hi.div_euclid(step) + 1).saturating_mul(step);
        Some(Axis { start, end, step })
    }

    /// Where day `d` falls, in percent of the chart's width.
    fn x(&self, d: Date) -> f64 {
        let (lo, hi) = (jan_first(self.start), jan_first(self.end));
        let share = (day_number(d) - lo) as f64 / (hi - lo).max(1) as f64;
        PAD + share.clamp(0.0, 1.0) * (100.0 - 2.0 * PAD)
    }

    fn ticks(&self) -> impl Iterator<Item = i32> + '_ {
        (0..)
            .map(|i: i32| self.start.saturating_add(i.saturating_mul(self.step)))
            .take_while(|y| *y <= self.end)
    }
}

/// `text` in lines of at most `max` characters, broken at spaces (a longer word is a line
/// of its own).
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // Only spaces break: a no-break space keeps `disputed ⚑` together.
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// One row per date, in order, on a linear time axis (to scale): a dot for a day or a short
/// span, a bar for a longer one, an arrow towards an open end; each row labelled with its
/// date and counts (disputed ones marked ⚑). The SVG is as wide as its container (its x
/// coordinates are percentages, its text a fixed size), so it fits a phone and stays legible.
pub fn timeline(moments: &[Moment]) -> String {
    let Some(axis) = Axis::of(moments) else {
        return String::new();
    };
    let (top, line_h, track_gap, row_gap) = (8, 20, 16, 14);
    let total: usize = moments.iter().map(|m| m.claims).sum();
    let labels: Vec<Vec<String>> = moments
        .iter()
        .map(|m| wrap(&label(m), LABEL_CHARS))
        .collect();
    let rows_h: usize = labels
        .iter()
        .map(|l| l.len() * line_h + track_gap + row_gap)
        .sum();
    let axis_y = top + rows_h + 4;
    let height = axis_y + 30;
    let mut svg = format!(
        "<svg class=\"chart chart-timeline\" role=\"img\" aria-labelledby=\"chart--timeline-title\" width=\"100%\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"chart--timeline-title\">Dated claims on a time axis drawn to scale, {start} to {end}: {total} claims on {n} dates; ⚑ counts the disputed ones</title>",
        start = axis.start,
        end = axis.end,
        n = moments.len(),
    );
    let last = axis.ticks().last();
    for year in axis.ticks() {
        // The end labels stand inside the chart, not half outside it.
        let anchor = if year == axis.start {
            "start"
        } else if Some(year) == last {
            "end"
        } else {
            "middle"
        };
        let x = axis.x(Date {
            year,
            month: 1,
            day: 1,
        });
        let _ = write!(
            svg,
            "<line x1=\"{x:.2}%\" y1=\"{top}\" x2=\"{x:.2}%\" y2=\"{axis_y}\" class=\"grid\"/>\
<line x1=\"{x:.2}%\" y1=\"{axis_y}\" x2=\"{x:.2}%\" y2=\"{}\" class=\"axis\"/>\
<text x=\"{x:.2}%\" y=\"{}\" class=\"tick\" text-anchor=\"{anchor}\">{year}</text>",
            axis_y + 6,
            axis_y + 24,
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{PAD}%\" y1=\"{axis_y}\" x2=\"{}%\" y2=\"{axis_y}\" class=\"axis\"/>",
        100.0 - PAD
    );
    let mut y = top;
    for (m, lines) in moments.iter().zip(&labels) {
        let class = if m.disputed > 0 {
            "mark disputed"
        } else {
            "mark"
        };
        for (k, text) in lines.iter().enumerate() {
            let _ = write!(
                svg,
                "<text x=\"0\" y=\"{}\" class=\"when\">{}</text>",
                y + (k + 1) * line_h - 5,
                esc(text)
            );
        }
        let track = y + lines.len() * line_h + track_gap / 2;
        let _ = write!(
            svg,
            "<line x1=\"{PAD}%\" y1=\"{track}\" x2=\"{}%\" y2=\"{track}\" class=\"track\"/>",
            100.0 - PAD
        );
        svg.push_str(&mark(&axis, m, track, class));
        y += lines.len() * line_h + track_gap + row_gap;
    }
    svg.push_str("</svg>");
    svg
}

/// "9 July 2025 · 4 claims, 1 disputed ⚑".
fn label(m: &Moment) -> String {
    let claims = if m.claims == 1 { "claim" } else { "claims" };
    let disputed = if m.disputed > 0 {
        format!(", {} disputed\u{a0}⚑", m.disputed)
    } else {
        String::new()
    };
    format!("{} · {} {claims}{disputed}", m.when, m.claims)
}

/// The mark of one date on its track at `y`.
fn mark(axis: &Axis, m: &Moment, y: usize, class: &str) -> String {
    // An open end: a dot at the known end and an arrow pointing the open way, drawn in a
    // nested SVG placed at the dot, whose own coordinates are pixels.
    let arrow = |d: Date, towards: i32| {
        let x = axis.x(d);
        format!(
            "<svg x=\"{x:.2}%\" y=\"{y}\" overflow=\"visible\" class=\"open\"><line x1=\"0\" y1=\"0\" x2=\"{}\" y2=\"0\" class=\"{class} tail\"/><path d=\"M{} -5 L{} 0 L{} 5\" class=\"{class} head\"/></svg><circle cx=\"{x:.2}%\" cy=\"{y}\" r=\"6\" class=\"{class}\"/>",
            towards * 22,
            towards * 16,
            towards * 24,
            towards * 16,
        )
    };
    match (m.from, m.to) {
        (Some(from), Some(to)) => {
            let (a, b) = (axis.x(from), axis.x(to));
            if b - a < 1.5 {
                format!(
                    "<circle cx=\"{:.2}%\" cy=\"{y}\" r=\"6\" class=\"{class}\"/>",
                    (a + b) / 2.0
                )
            } else {
                format!(
                    "<rect x=\"{a:.2}%\" y=\"{}\" width=\"{:.2}%\" height=\"12\" rx=\"3\" class=\"{class}\"/>",
                    y - 6,
                    b - a
                )
            }
        }
        (None, Some(to)) => arrow(to, -1),
        (Some(from), None) => arrow(from, 1),
        (None, None) => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// The source-agreement matrix

/// What one source says of one discrepancy, against its best-supported reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    /// It gives the best-supported reading only.
    Agrees,
    /// It gives another reading only.
    Disagrees,
    /// It gives more than one reading.
    Both,
    /// It gives one of several readings, none best supported (a tie).
    Tied,
    /// The discrepancy has a single reading (an analyst's finding about one statement: an
    /// unsupported claim, a misattribution), and this source gives it: nothing to agree with.
    Gives,
    /// It gives no reading.
    Silent,
}

impl Stance {
    pub fn symbol(self) -> &'static str {
        match self {
            Stance::Agrees => "✓",
            Stance::Disagrees => "✗",
            Stance::Both => "±",
            Stance::Tied => "=",
            Stance::Gives => "●",
            Stance::Silent => "·",
        }
    }

    /// The words a screen reader (and the legend) gives for the symbol.
    pub fn words(self) -> &'static str {
        match self {
            Stance::Agrees => "gives the best-supported reading",
            Stance::Disagrees => "gives another reading",
            Stance::Both => "gives more than one reading",
            Stance::Tied => "gives one side of a tie (no reading is best supported)",
            Stance::Gives => "makes the one statement in question (nothing to agree with)",
            Stance::Silent => "says nothing of it",
        }
    }
}

/// One cell of the matrix.
#[derive(Debug, Serialize)]
pub struct Cell {
    /// Also its CSS class: `agrees`, `disagrees`, `both`, `tied`, `gives`, `silent`.
    pub stance: Stance,
    pub symbol: &'static str,
    pub words: &'static str,
}

/// A source, as a column.
#[derive(Debug, Serialize)]
pub struct Column {
    /// The short label (`004`).
    pub short: String,
    pub name: String,
    /// The analyst's grade of the source.
    pub grade: Option<GradeView>,
}

/// A discrepancy shown as a flag, as a row: its title links to its card.
#[derive(Debug, Serialize)]
pub struct Row<'a> {
    /// The discrepancy's number, as its markers show it (⚑8).
    pub number: usize,
    pub title: &'a str,
    /// The outcome's name (`conflict`).
    pub name: &'static str,
    #[serde(flatten)]
    pub href: Href<'a>,
    /// One per column.
    pub cells: Vec<Cell>,
}

/// The legend: the stances the matrix uses, in a fixed order.
#[derive(Debug, Serialize)]
pub struct LegendItem {
    pub stance: Stance,
    pub symbol: &'static str,
    pub words: &'static str,
}

/// The source-agreement matrix, for `partials/agreement.html`.
#[derive(Debug, Serialize)]
pub struct Agreement<'a> {
    pub columns: Vec<Column>,
    pub rows: Vec<Row<'a>>,
    /// When more sources than [`MAX_COLUMNS`] give readings of flags: how many (and no
    /// columns, rows or legend).
    pub omitted: usize,
    /// [`MAX_COLUMNS`], for the sentence that says so.
    pub max_columns: usize,
    /// The stances that occur, for the legend.
    pub legend: Vec<LegendItem>,
}

/// The most sources (columns) the matrix is drawn with.
pub const MAX_COLUMNS: usize = 30;

/// Sources (columns) against the discrepancies `on` (indices into the analysis's, in row
/// order) that are shown as flags (rows; soft and dismissed findings are not disagreements
/// and have no row), each row titled by its link in `links` (indexed like the analysis's
/// discrepancies) and leading where `href` says. None when there is no flag or no source.
pub fn agreement<'a>(
    ctx: &Ctx,
    links: &'a [DiscLink],
    on: &[usize],
    href: impl Fn(&'a DiscLink) -> Href<'a>,
) -> Option<Agreement<'a>> {
    let model = ctx.model;
    let flagged: Vec<(&Discrepancy, &'a DiscLink)> = (on.iter())
        .filter_map(|d| Some((ctx.analysis.discrepancies.get(*d)?, links.get(*d)?)))
        .filter(|(d, _)| d.severity() == Some(Severity::Flag))
        .collect();
    // Only the sources that give a reading of some flag: a column of silent cells says
    // nothing, and with a source per article it would make the matrix grow with the square
    // of the briefing.
    let mut involved = vec![false; model.entities.len()];
    for (d, _) in &flagged {
        for s in d.readings.iter().flat_map(|r| &r.sources) {
            if let Some(seen) = involved.get_mut(s.0) {
                *seen = true;
            }
        }
    }
    let sources: Vec<EntityId> = (0..model.entities.len())
        .map(EntityId)
        .filter(|e| involved[e.0] && model.entity(*e).kind == EntityKind::Source)
        .collect();
    // Beyond a readable width the matrix is not drawn (it would grow as flags times sources);
    // the cards list every reading by source.
    if sources.len() > MAX_COLUMNS {
        return (!flagged.is_empty()).then(|| Agreement {
            columns: Vec::new(),
            rows: Vec::new(),
            legend: Vec::new(),
            omitted: sources.len(),
            max_columns: MAX_COLUMNS,
        });
    }
    let rows: Vec<Row> = (flagged.into_iter())
        .map(|(d, link)| Row {
            number: link.number,
            title: &link.title,
            name: link.name,
            href: href(link),
            cells: sources
                .iter()
                .map(|s| {
                    let stance = stance(d, *s);
                    Cell {
                        stance,
                        symbol: stance.symbol(),
                        words: stance.words(),
                    }
                })
                .collect(),
        })
        .collect();
    if sources.is_empty() || rows.is_empty() {
        return None;
    }
    let legend = [
        Stance::Agrees,
        Stance::Disagrees,
        Stance::Both,
        Stance::Tied,
        Stance::Gives,
        Stance::Silent,
    ]
    .into_iter()
    .filter(|s| rows.iter().any(|r| r.cells.iter().any(|c| c.stance == *s)))
    .map(|stance| LegendItem {
        stance,
        symbol: stance.symbol(),
        words: stance.words(),
    })
    .collect();
    Some(Agreement {
        columns: sources
            .iter()
            .map(|s| Column {
                short: model.short_name(*s).to_string(),
                name: model.entity(*s).name.clone(),
                grade: views::grade(model, *s).map(GradeView::from),
            })
            .collect(),
        rows,
        legend,
        omitted: 0,
        max_columns: MAX_COLUMNS,
    })
}

fn stance(d: &Discrepancy, source: EntityId) -> Stance {
    let gives: Vec<usize> = (d.readings.iter().enumerate())
        .filter(|(_, r)| r.sources.contains(&source))
        .map(|(i, _)| i)
        .collect();
    match (gives.as_slice(), d.readings.len(), d.best) {
        ([], _, _) => Stance::Silent,
        (_, 1, _) => Stance::Gives,
        ([_, _, ..], _, _) => Stance::Both,
        ([_], _, None) => Stance::Tied,
        ([i], _, Some(best)) if *i == best => Stance::Agrees,
        ([_], _, Some(_)) => Stance::Disagrees,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::{DiscrepancyKind, Reading};
    use crate::model::ClaimId;

    fn discrepancy(readings: &[(&str, &[usize])], best: Option<usize>) -> Discrepancy {
        Discrepancy {
            id: "d".into(),
            kind: DiscrepancyKind::Conflict,
            subject: None,
            property: None,
            speaker: None,
            claims: vec![ClaimId(0), ClaimId(1)],
            readings: (readings.iter().enumerate())
                .map(|(i, (value, sources))| Reading {
                    value: (*value).into(),
                    claims: vec![ClaimId(i)],
                    sources: sources.iter().map(|s| EntityId(*s)).collect(),
                })
                .collect(),
            drift: Vec::new(),
            notes: Vec::new(),
            best,
            verdict: None,
            resolution: crate::model::Resolution::Confirmed,
        }
    }

    /// The matrix of a briefing where `n` sources each give Finland another size.
    fn matrix_of(n: usize) -> (usize, usize) {
        let mut records =
            String::from("countries:\n  - id: finland\n    name: Finland\nsources:\n");
        let mut claims = String::from("claims:\n");
        for i in 0..n {
            records.push_str(&format!("  - id: s{i}\n    title: Report {i}\n"));
            claims.push_str(&format!(
                "  - id: c{i}\n    subject: finland\n    property: size\n    value: v{i}\n    source: s{i}\n    quote: v{i}\n"
            ));
        }
        let overview = [("content/index.md", "---\ntitle: T\n---\nText.\n")];
        let (model, _) = crate::resolve::model_of_text(
            &[("content/e.yaml", &records), ("content/c.yaml", &claims)],
            &overview,
        );
        let analysis = crate::analyse::analyse(&model);
        let ctx = Ctx {
            model: &model,
            analysis: &analysis,
            recorder: None,
        };
        let links: Vec<DiscLink> = (analysis.discrepancies.iter().enumerate())
            .map(|(i, d)| views::disc_link(&ctx, i, d))
            .collect();
        let matrix = agreement(&ctx, &links, &ctx.analysis.display_order, |l| {
            Href::site(l.url.as_str())
        })
        .expect("a flag");
        (matrix.columns.len(), matrix.omitted)
    }

    #[test]
    fn the_matrix_is_not_drawn_beyond_a_readable_width() {
        assert_eq!(matrix_of(3), (3, 0));
        assert_eq!(matrix_of(MAX_COLUMNS), (MAX_COLUMNS, 0));
        assert_eq!(matrix_of(MAX_COLUMNS + 1), (0, MAX_COLUMNS + 1));
    }

    fn day(year: i32, month: u8, day: u8) -> Option<Date> {
        Some(Date { year, month, day })
    }

    #[test]
    fn a_tie_ticks_no_reading() {
        let tie = discrepancy(&[("2026", &[0]), ("2023", &[1])], None);
        assert_eq!(stance(&tie, EntityId(0)), Stance::Tied);
        assert_eq!(stance(&tie, EntityId(1)), Stance::Tied);
        assert_eq!(stance(&tie, EntityId(2)), Stance::Silent);
        assert_ne!(Stance::Tied.symbol(), Stance::Agrees.symbol());
        assert!(Stance::Tied.words().contains("tie"));
        let decided = discrepancy(&[("2026", &[0]), ("2023", &[1])], Some(1));
        assert_eq!(stance(&decided, EntityId(0)), Stance::Disagrees);
        assert_eq!(stance(&decided, EntityId(1)), Stance::Agrees);
        // A source that gives both readings of a tie contradicts itself: not a side of it.
        let itself = discrepancy(&[("planned", &[3]), ("underway", &[3])], None);
        assert_eq!(stance(&itself, EntityId(3)), Stance::Both);
    }

    #[test]
    fn a_single_reading_is_not_agreement() {
        // An analyst's finding about one statement that four sources make: none of them
        // agrees with anything, even when a note names the reading best.
        for best in [None, Some(0)] {
            let single = discrepancy(&[("yes", &[0, 1, 2, 3])], best);
            for s in 0..4 {
                assert_eq!(stance(&single, EntityId(s)), Stance::Gives, "{best:?} {s}");
            }
            assert_eq!(stance(&single, EntityId(4)), Stance::Silent);
        }
        assert_ne!(Stance::Gives.symbol(), Stance::Agrees.symbol());
    }

    #[test]
    fn the_time_axis_is_to_scale() {
        let at = |from, to| Moment {
            when: "",
            from,
            to,
            claims: 1,
            disputed: 0,
        };
        // Gaps of 10 and 5 years: the x positions are 2:1 apart.
        let moments = [
            at(day(2000, 1, 1), day(2000, 1, 1)),
            at(day(2010, 1, 1), day(2010, 1, 1)),
            at(day(2015, 1, 1), day(2015, 1, 1)),
        ];
        let axis = Axis::of(&moments).expect("an axis");
        assert_eq!(
            axis,
            Axis {
                start: 2000,
                end: 2020,
                step: 5
            }
        );
        let xs: Vec<f64> = (moments.iter())
            .map(|m| axis.x(m.from.expect("a day")))
            .collect();
        let (first, second) = (xs[1] - xs[0], xs[2] - xs[1]);
        assert!((first / second - 2.0).abs() < 0.01, "{xs:?}");
        assert!((xs[0] - PAD).abs() < 1e-9, "{xs:?}");
        // Days count too: 1 March is further from 1 February in a leap year.
        assert_eq!(
            day_number(Date {
                year: 2024,
                month: 3,
                day: 1
            }) - day_number(Date {
                year: 2024,
                month: 2,
                day: 1
            }),
            29
        );
        assert_eq!(
            day_number(Date {
                year: 1970,
                month: 1,
                day: 1
            }),
            0
        );
        // The SVG places the marks where the axis says, in percent of its width.
        let svg = timeline(&moments);
        for x in &xs {
            assert!(svg.contains(&format!("cx=\"{x:.2}%\"")), "{x} in {svg}");
        }
        assert!(svg.contains("width=\"100%\""));
        assert!(
            !svg.contains("viewBox"),
            "no fixed width to shrink on a phone"
        );
    }

    #[test]
    fn timeline_marks_spans_open_ends_and_disputes() {
        let svg = timeline(&[
            Moment {
                when: "2023",
                from: day(2023, 1, 1),
                to: day(2023, 12, 31),
                claims: 2,
                disputed: 1,
            },
            Moment {
                when: "by 2026",
                from: None,
                to: day(2026, 12, 31),
                claims: 1,
                disputed: 0,
            },
        ]);
        assert!(svg.contains("2023 · 2 claims, 1 disputed\u{a0}⚑"), "{svg}");
        assert!(svg.contains("by 2026 · 1 claim<"), "{svg}");
        assert!(svg.contains("class=\"mark disputed\""));
        assert!(
            svg.contains("class=\"open\""),
            "an arrow for the open start"
        );
        assert!(svg.contains("<title"));
        assert!(timeline(&[]).is_empty());
    }

    #[test]
    fn labels_wrap_between_words() {
        assert_eq!(
            wrap("before 9 July 2025 · 12 claims, 3 disputed\u{a0}⚑", 20),
            ["before 9 July 2025 ·", "12 claims, 3", "disputed\u{a0}⚑"]
        );
        assert_eq!(wrap("short", 20), ["short"]);
        assert_eq!(
            wrap("a-very-long-single-word x", 5),
            ["a-very-long-single-word", "x"]
        );
        assert!(wrap("   ", 5).is_empty());
        // A long timeline label takes two lines rather than running off the chart.
        let when = "before 9 July 2025 to after 10 December 2026";
        let svg = timeline(&[Moment {
            when,
            from: day(2025, 1, 1),
            to: day(2025, 1, 1),
            claims: 3,
            disputed: 0,
        }]);
        assert_eq!(svg.matches("class=\"when\"").count(), 2, "{svg}");
    }
}
