//! Inline flags: what a claim carries wherever it appears (claim lists, claim pages, the
//! timeline, running text). One flag per discrepancy the claim is part of, linking to it and
//! naming the competing readings, or for an uncorroborated claim a softer "single source"
//! mark. The markup is the theme's `partials/flags.html`; this module gives it its data.

use std::sync::LazyLock;

use serde::Serialize;
use tera::Tera;

use super::views::Href;
use super::{Ctx, shorten, theme, urls};
use crate::analyse::{Discrepancy, DiscrepancyKind, Severity};
use crate::model::ClaimId;

/// The partial that draws a claim's flags.
pub const PARTIAL: &str = "partials/flags.html";

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
    /// The claim's page, when the claim is uncorroborated and has no flag: the "single
    /// source" mark links there.
    pub single_source: Option<Href<'a>>,
}

/// One flag.
#[derive(Serialize)]
pub struct Flag<'a> {
    /// The first discrepancy's kind (`value-conflict`, `quote-drift`, a note's kind).
    pub kind: String,
    /// How loudly to show it: `flag` (a real disagreement) or `mark` (a soft finding).
    pub severity: Severity,
    /// A link per discrepancy (`label`: a word or two such as "disputed", and its place).
    pub links: Vec<FlagLink<'a>>,
    /// The competing readings and their sources.
    pub detail: &'a str,
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
        let joins = groups.iter_mut().find(|g| {
            let first = &discrepancies[g.discs[0]];
            disc.kind == DiscrepancyKind::SelfContradiction
                && first.kind == DiscrepancyKind::Conflict
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
                kind: first.kind.slug(),
                severity: first.kind.severity(),
                links: (g.discs.iter())
                    .map(|d| FlagLink {
                        label: discrepancies[*d].kind.short_label(),
                        href: href(Place::Discrepancy(*d)),
                    })
                    .collect(),
                detail: &g.detail,
            }
        })
        .collect();
    let single = flags.is_empty() && ctx.analysis.uncorroborated[c.0];
    FlagsContext {
        root,
        flags,
        single_source: single.then(|| href(Place::Claim(c))),
    }
}

/// What a flag links to.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    /// An index into the analysis's discrepancies.
    Discrepancy(usize),
    Claim(ClaimId),
}

/// Where `place` is on a page of the site (not the print view).
pub fn site_href(ctx: &Ctx, place: Place) -> Href<'static> {
    match place {
        Place::Discrepancy(d) => Href::site(urls::discrepancy(&ctx.analysis.discrepancies[d])),
        Place::Claim(c) => Href::site(urls::claim(ctx.model, c)),
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
    fn the_built_in_partial_draws_flags_and_the_single_source_mark() {
        let tera = BUILT_IN.as_ref().expect("built-in flags partial compiles");
        let flags = FlagsContext {
            root: "../",
            flags: vec![Flag {
                kind: "value-conflict".into(),
                severity: Severity::Flag,
                links: vec![FlagLink {
                    label: "disputed",
                    href: Href::site("discrepancies/index.html#x"),
                }],
                detail: "2026 (A) vs 2023 (B's)",
            }],
            single_source: None,
        };
        assert_eq!(
            render(tera, &flags).expect("renders"),
            " <span class=\"flag flag-value-conflict\"><span class=\"flag-mark\" aria-hidden=\"true\">⚑</span> \
             <span class=\"flag-label\"><a href=\"../discrepancies/index.html#x\">disputed</a>:</span> \
             <span class=\"flag-detail\">2026 (A) vs 2023 (B&#39;s)</span></span>"
        );
        let single = FlagsContext {
            root: "",
            flags: Vec::new(),
            single_source: Some(Href {
                url: "#claims-x".into(),
                number: Some("2.1"),
            }),
        };
        assert_eq!(
            render(tera, &single).expect("renders"),
            " <a class=\"single-source\" href=\"#claims-x\" data-ref=\"§2.1\">single source</a>"
        );
    }
}
