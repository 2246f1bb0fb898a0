//! Inline flags: what a claim carries wherever it appears (claim lists, claim pages, the
//! timeline, running text). One flag per discrepancy the claim is part of, drawn by its
//! severity after the analysts' notes: a real disagreement (`flag`) names the competing
//! readings, a soft finding (`mark`) is a quiet superscript, and a finding an analyst
//! dismissed shows nothing inline. An uncorroborated claim with neither gets a "single
//! source" mark. Every flag and mark refers to the legend of outcomes on the discrepancies
//! page ([`LEGEND`]). The markup is the theme's `partials/flags.html`; this module gives it
//! its data.

use std::sync::LazyLock;

use serde::Serialize;
use tera::Tera;

use super::views::Href;
use super::{Ctx, shorten, theme, urls};
use crate::analyse::{Analysis, Discrepancy, DiscrepancyKind, OUTCOMES, Severity};
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

/// The order the discrepancies page and the print view show the discrepancies in: flags,
/// then marks, then the dismissed, each in the analysis's order (by id).
pub fn display_order(analysis: &Analysis) -> Vec<usize> {
    let mut order: Vec<usize> = (0..analysis.discrepancies.len()).collect();
    order.sort_by_key(|d| std::cmp::Reverse(analysis.discrepancies[*d].severity()));
    order
}

/// The discrepancies one flag stands for: a source's contradiction of itself joins the flag
/// of the conflict it is part of, whose readings already include its own.
#[derive(Debug)]
pub struct Group {
    /// Indices into the analysis's discrepancies; the first names the flag's kind.
    discs: Vec<usize>,
    /// "2026 (A, B) vs 2023 (C)": the readings and who gives each.
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
    /// The legend of outcomes (the discrepancies page's `#legend`), which every flag's and
    /// mark's `title` refers to.
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
    /// A link per discrepancy (`label`: the outcome's name, such as "conflict", and its
    /// place).
    pub links: Vec<FlagLink<'a>>,
    /// The competing readings and their sources.
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
/// a discrepancy (by index) and to the claim.
pub fn context<'a>(
    ctx: &Ctx,
    c: ClaimId,
    groups: &'a [Group],
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
        Place::Discrepancy(d) => Href::site(urls::discrepancy(&ctx.analysis.discrepancies[d])),
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
/// Markdown running text shows (it has no access to the briefing's theme yet).
pub fn html(c: ClaimId, root: &str, ctx: &Ctx) -> String {
    let groups = groups(ctx, c);
    let flags = context(ctx, c, &groups, root, &|place| site_href(ctx, place));
    match BUILT_IN.as_ref() {
        // The built-in partial is tested to render (see the tests below).
        Ok(tera) => render(tera, &flags).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// "2026 (A, B) vs 2023 (C)": the readings of a discrepancy and who gives each.
fn readings_text(disc: &Discrepancy, ctx: &Ctx) -> String {
    let readings: Vec<String> = disc
        .readings
        .iter()
        .map(|r| {
            let sources: Vec<&str> = r.sources.iter().map(|s| ctx.model.short_name(*s)).collect();
            format!("{} ({})", shorten(&r.value, 60), sources.join(", "))
        })
        .collect();
    readings.join(" vs ")
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
            links: vec![FlagLink {
                label: name,
                href: Href::site("discrepancies/index.html#x"),
            }],
            detail: "2026 (A) vs 2023 (B's)",
            name,
            meaning: "It means this.",
        };
        let flags = FlagsContext {
            root: "../",
            flags: vec![flag(Severity::Flag, "conflict", "conflict")],
            single_source: None,
            legend: Href::site(LEGEND),
        };
        assert_eq!(
            render(tera, &flags).expect("renders"),
            " <span class=\"flag flag-conflict\" title=\"conflict: It means this. See the legend of outcomes on the discrepancies page.\">\
             <span class=\"flag-mark\" aria-hidden=\"true\">⚑</span> \
             <span class=\"flag-label\"><a href=\"../discrepancies/index.html#x\">conflict</a>:</span> \
             <span class=\"flag-detail\">2026 (A) vs 2023 (B&#39;s)</span></span>"
        );
        let marks = FlagsContext {
            root: "../",
            flags: vec![flag(Severity::Mark, "compatible", "compatible")],
            single_source: None,
            legend: Href::site(LEGEND),
        };
        assert_eq!(
            render(tera, &marks).expect("renders"),
            " <sup class=\"mark mark-compatible\" title=\"compatible: 2026 (A) vs 2023 (B&#39;s). It means this. See the legend of outcomes on the discrepancies page.\">\
             <span class=\"mark-sign\" aria-hidden=\"true\">◦</span> \
             <a href=\"../discrepancies/index.html#x\">compatible</a></sup>"
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
            " <a class=\"single-source\" href=\"#claims-x\" data-ref=\"§2.1\">single source</a>"
        );
    }
}
