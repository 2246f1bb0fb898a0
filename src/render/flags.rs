//! Inline flags: what a claim carries wherever it appears (claim lists, claim pages, the
//! timeline, running text). One small superscript marker per discrepancy the claim is part
//! of, drawn by its severity after the analysts' notes: ⚑ and the discrepancy's number for a
//! real disagreement (`flag`), a lighter ◦ and its number for a soft finding (`mark`),
//! nothing for a finding an analyst dismissed; an uncorroborated claim with neither gets a
//! lone ◦ (single source). Each marker links to the discrepancy's card, and names its
//! outcome in visually hidden text; with JavaScript, `popover.js` opens the detail
//! (`previews.js`) on hover and focus. In running text a discrepancy is marked once per
//! paragraph ([`Seen`]). The print view writes each marker's detail out in its notes
//! ([`Flag::detail`]). The markup is the theme's `partials/flags.html`; this module gives
//! it its data.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Serialize;
use tera::Tera;

use super::views::Href;
use super::{Ctx, shorten, theme, urls};
use crate::analyse::{Discrepancy, DiscrepancyKind, OUTCOMES, Severity};
use crate::model::{ClaimId, Resolution};

/// The partial that draws a claim's flags.
pub const PARTIAL: &str = "partials/flags.html";

/// The legend of outcomes, on the discrepancies page (site-relative). Its id contains `--`,
/// which no note's id does, so it cannot collide with a discrepancy's anchor.
pub const LEGEND: &str = "discrepancies/index.html#legend--outcomes";

/// The outcome's name after the notes ([`Discrepancy::outcome`]): the kind's
/// [`DiscrepancyKind::short_label`], `compatible` once downgraded, `dismissed` once dismissed.
pub fn outcome_label(d: &Discrepancy) -> &'static str {
    match d.resolution {
        Resolution::Dismissed => "dismissed",
        Resolution::Compatible => DiscrepancyKind::Compatible.short_label(),
        Resolution::Confirmed => d.kind.short_label(),
    }
}

/// What the outcome means, in a sentence, after the notes.
pub fn outcome_meaning(d: &Discrepancy) -> &'static str {
    let slug = match (d.resolution, &d.kind) {
        (Resolution::Confirmed, DiscrepancyKind::Analyst(_)) => "analyst".to_string(),
        _ => d.outcome(),
    };
    meaning(&slug)
}

/// The meaning of an outcome's slug, from [`OUTCOMES`].
pub fn meaning(slug: &str) -> &'static str {
    (OUTCOMES.iter())
        .find(|(s, _, _)| *s == slug)
        .map_or("", |(_, _, m)| m)
}

/// The name of an outcome's slug in [`OUTCOMES`], as readers see it everywhere.
pub fn outcome_name(slug: &str) -> &'static str {
    match slug {
        "conflict" => DiscrepancyKind::Conflict.short_label(),
        "self-contradiction" => DiscrepancyKind::SelfContradiction.short_label(),
        "reported-disagreement" => DiscrepancyKind::ReportedDisagreement.short_label(),
        "attribution-conflict" => DiscrepancyKind::AttributionConflict.short_label(),
        "overstatement" => DiscrepancyKind::Overstatement.short_label(),
        "quote-drift" => DiscrepancyKind::QuoteDrift.short_label(),
        "compatible" => DiscrepancyKind::Compatible.short_label(),
        "omission" => DiscrepancyKind::Omission.short_label(),
        "change-over-time" => DiscrepancyKind::ChangeOverTime.short_label(),
        "single-source" => "single source",
        "dismissed" => "dismissed",
        _ => DiscrepancyKind::Analyst(String::new()).short_label(),
    }
}

/// What running text has marked already in the current paragraph: a discrepancy (or a
/// claim's single-source mark) referred to again gets no second marker.
#[derive(Debug, Default)]
pub struct Seen {
    discs: HashSet<usize>,
    claims: HashSet<ClaimId>,
}

impl Seen {
    /// A new paragraph: nothing is marked in it yet.
    pub fn clear(&mut self) {
        self.discs.clear();
        self.claims.clear();
    }
}

/// The discrepancies one flag stands for: a source's contradiction of itself joins the flag
/// of the conflict it is part of, whose readings already include its own.
#[derive(Debug)]
pub struct Group {
    /// Indices into the analysis's discrepancies; the first names the flag's kind.
    pub discs: Vec<usize>,
    /// "2026: Report A, Report B; 2023: Report C": the readings and who gives each.
    detail: String,
}

/// The context of `partials/flags.html`: the flags of one claim, for one page.
#[derive(Serialize)]
pub struct FlagsContext<'a> {
    /// What goes before each `url`: the page's root (empty in the print view, whose urls are
    /// in-page anchors).
    pub root: &'a str,
    /// In the order of the claim's discrepancies.
    pub flags: Vec<Flag<'a>>,
    /// The claim's page, when the claim is uncorroborated and has no flag or mark: the
    /// "single source" mark links there.
    pub single_source: Option<Href<'a>>,
    /// The legend of outcomes (the discrepancies page's `#legend--outcomes`), which the
    /// markers' popovers link to.
    pub legend: Href<'a>,
}

/// One flag or mark.
#[derive(Serialize)]
pub struct Flag<'a> {
    /// The first discrepancy's outcome after the notes (`conflict`, `quote-drift`,
    /// `compatible`, a note's kind): [`Discrepancy::outcome`].
    pub kind: String,
    /// How loudly to show it: `flag` (a real disagreement) or `mark` (a soft finding).
    /// Dismissed findings have no flag.
    pub severity: Severity,
    /// The first discrepancy's number (`Analysis::numbers`), as its card shows it.
    pub number: usize,
    /// A link per discrepancy (`label`: the outcome's name, such as "conflict", and its
    /// place); the marker links to the first.
    pub links: Vec<FlagLink<'a>>,
    /// The competing readings and their sources, by name ("2026: Report A, Report B;
    /// 2023: Report C").
    pub detail: &'a str,
    /// The first discrepancy's outcome's name (`conflict`, `compatible`): [`outcome_label`].
    pub name: &'static str,
    /// What the first discrepancy's outcome means (the legend's sentence).
    pub meaning: &'static str,
}

#[derive(Serialize)]
pub struct FlagLink<'a> {
    pub label: &'static str,
    #[serde(flatten)]
    pub href: Href<'a>,
}

/// The flag groups of claim `c`.
pub fn groups(ctx: &Ctx, c: ClaimId) -> Vec<Group> {
    let discrepancies = &ctx.analysis.discrepancies;
    let mut groups: Vec<Group> = Vec::new();
    for &d in &ctx.analysis.by_claim[c.0] {
        let disc = &discrepancies[d];
        // Dismissed by an analyst: nothing inline (the discrepancies page keeps it).
        if disc.severity().is_none() {
            continue;
        }
        let joins = groups.iter_mut().find(|g| {
            let first = &discrepancies[g.discs[0]];
            disc.kind == DiscrepancyKind::SelfContradiction
                && first.kind == DiscrepancyKind::Conflict
                && disc.severity() == first.severity()
                && (first.subject, &first.property) == (disc.subject, &disc.property)
        });
        match joins {
            Some(g) => g.discs.push(d),
            None => groups.push(Group {
                discs: vec![d],
                detail: readings_text(disc, ctx),
            }),
        }
    }
    groups
}

/// The context for claim `c`'s flags `groups` on a page: `href` says where a page links to
/// a discrepancy (by index) and to the claim; `numbers` are `Analysis::numbers`.
pub fn context<'a>(
    ctx: &Ctx,
    c: ClaimId,
    groups: &'a [Group],
    numbers: &[usize],
    root: &'a str,
    href: &dyn Fn(Place) -> Href<'a>,
) -> FlagsContext<'a> {
    let discrepancies = &ctx.analysis.discrepancies;
    let flags: Vec<Flag> = groups
        .iter()
        .map(|g| {
            let first = &discrepancies[g.discs[0]];
            Flag {
                kind: first.outcome(),
                severity: first.severity().unwrap_or(Severity::Mark),
                number: numbers.get(g.discs[0]).copied().unwrap_or_default(),
                links: (g.discs.iter())
                    .map(|d| FlagLink {
                        label: outcome_label(&discrepancies[*d]),
                        href: href(Place::Discrepancy(*d)),
                    })
                    .collect(),
                detail: &g.detail,
                name: outcome_label(first),
                meaning: outcome_meaning(first),
            }
        })
        .collect();
    let single = flags.is_empty() && ctx.analysis.uncorroborated[c.0];
    FlagsContext {
        root,
        flags,
        single_source: single.then(|| href(Place::Claim(c))),
        legend: href(Place::Legend),
    }
}

/// What a flag links to.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    /// An index into the analysis's discrepancies.
    Discrepancy(usize),
    Claim(ClaimId),
    /// The legend of outcomes ([`LEGEND`]).
    Legend,
}

/// Where `place` is on a page of the site (not the print view).
pub fn site_href(ctx: &Ctx, place: Place) -> Href<'static> {
    match place {
        Place::Discrepancy(d) => Href::site(urls::discrepancy(ctx.analysis, d)),
        Place::Claim(c) => Href::site(urls::claim(ctx.model, c)),
        Place::Legend => Href::site(LEGEND),
    }
}

/// Draws `flags` with the theme's partial.
pub fn render(tera: &Tera, flags: &FlagsContext) -> Result<String, tera::Error> {
    if flags.flags.is_empty() && flags.single_source.is_none() {
        return Ok(String::new());
    }
    let context = tera::Context::from_serialize(flags)?;
    let mut html = tera.render(PARTIAL, &context)?;
    // A partial's file ends in a newline; the flags stand inside a line of text.
    html.truncate(html.trim_end().len());
    // Each claim's view holds it, and the renderer's buffer is sized for the whole partial.
    html.shrink_to_fit();
    Ok(html)
}

/// The built-in theme's flags partial alone, for [`html`].
static BUILT_IN: LazyLock<Result<Tera, tera::Error>> = LazyLock::new(|| {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html"]);
    let text = (theme::TEMPLATES.iter())
        .find(|(name, _)| *name == PARTIAL)
        .map_or("", |(_, text)| *text);
    tera.add_raw_template(PARTIAL, text)?;
    Ok(tera)
});

/// Claim `c`'s flags for a page whose root is `root`, drawn with the built-in partial: what
/// Markdown running text shows (it has no access to the briefing's theme yet). Only what
/// the paragraph has not marked yet (`seen`) gets a marker.
pub fn html(c: ClaimId, root: &str, ctx: &Ctx, seen: &mut Seen) -> String {
    let mut groups = groups(ctx, c);
    for g in &mut groups {
        // What the paragraph marked already goes; a group whose first went is named (and
        // numbered) after its first new discrepancy.
        let first = g.discs.first().copied();
        g.discs.retain(|d| seen.discs.insert(*d));
        if let Some(d) = g.discs.first().filter(|d| Some(**d) != first) {
            g.detail = readings_text(&ctx.analysis.discrepancies[*d], ctx);
        }
    }
    groups.retain(|g| !g.discs.is_empty());
    let mut flags = context(ctx, c, &groups, &ctx.analysis.numbers, root, &|place| {
        site_href(ctx, place)
    });
    if flags.single_source.is_some() && !seen.claims.insert(c) {
        flags.single_source = None;
    }
    match BUILT_IN.as_ref() {
        // The built-in partial is tested to render (see the tests below).
        Ok(tera) => render(tera, &flags).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// "2026: Report A, Report B; 2023: Report C": the readings of a discrepancy and who gives
/// each, by the sources' names (not their short codes, which are explained nowhere inline).
pub fn readings_text(disc: &Discrepancy, ctx: &Ctx) -> String {
    let readings: Vec<String> = disc
        .readings
        .iter()
        .map(|r| {
            let sources: Vec<&str> = (r.sources.iter())
                .map(|s| ctx.model.entity(*s).name.as_str())
                .collect();
            format!("{}: {}", shorten(&r.value, 60), sources.join(", "))
        })
        .collect();
    readings.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_partial_draws_flags_marks_and_the_single_source_mark() {
        let tera = BUILT_IN.as_ref().expect("built-in flags partial compiles");
        let flag = |severity, kind: &str, name| Flag {
            kind: kind.into(),
            severity,
            number: 3,
            links: vec![
                FlagLink {
                    label: name,
                    href: Href::site("discrepancies/index.html#x"),
                },
                FlagLink {
                    label: "self-contradiction",
                    href: Href::site("discrepancies/index.html#y"),
                },
            ],
            detail: "2026: A; 2023: B's",
            name,
            meaning: "It means this.",
        };
        let flags = FlagsContext {
            root: "../",
            flags: vec![flag(Severity::Flag, "conflict", "conflict")],
            single_source: None,
            legend: Href::site(LEGEND),
        };
        // One marker, linking to the first discrepancy, no space before it (it never starts
        // a line), severity and outcome in words for screen readers.
        assert_eq!(
            render(tera, &flags).expect("renders"),
            "<sup class=\"fm fm-flag fm-conflict\"><a href=\"../discrepancies/index.html#x\">\
             <span class=\"fm-sign\" aria-hidden=\"true\">⚑</span><span class=\"vh\">flag </span>3\
             <span class=\"vh\">: conflict</span></a></sup>"
        );
        let marks = FlagsContext {
            root: "../",
            flags: vec![flag(Severity::Mark, "compatible", "compatible")],
            single_source: None,
            legend: Href::site(LEGEND),
        };
        assert_eq!(
            render(tera, &marks).expect("renders"),
            "<sup class=\"fm fm-mark fm-compatible\"><a href=\"../discrepancies/index.html#x\">\
             <span class=\"fm-sign\" aria-hidden=\"true\">◦</span><span class=\"vh\">mark </span>3\
             <span class=\"vh\">: compatible</span></a></sup>"
        );
        let single = FlagsContext {
            root: "",
            flags: Vec::new(),
            single_source: Some(Href {
                url: "#claims-x".into(),
                number: Some("2.1"),
            }),
            legend: Href::site(LEGEND),
        };
        assert_eq!(
            render(tera, &single).expect("renders"),
            "<sup class=\"fm fm-mark fm-single-source\"><a href=\"#claims-x\" data-ref=\"§2.1\">\
             <span class=\"fm-sign\" aria-hidden=\"true\">◦</span><span class=\"vh\">single source</span></a></sup>"
        );
    }
}
