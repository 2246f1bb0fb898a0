//! Stage 5, render: the model and its analysis to files in memory, through Tera templates.
//! No I/O here: the write stage puts the result on disk.

pub mod charts;
pub mod export;
pub mod highlight;
pub mod markdown;
mod print;
mod search;
pub mod theme;
pub mod views;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::analyse::{Analysis, DiscrepancyKind};
use crate::diag::Diagnostics;
use crate::load::SourceFile;
use crate::model::{ClaimId, EntityId, EntityKind, Model, PageId, Value};
use views::{ClaimView, DEPTH1, DiscLink, DiscrepancyView, EntityView, Link};

/// What render reads.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub analysis: &'a Analysis,
}

/// A file of the output, in memory.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The rendered site: files in memory, and files to copy as they are.
#[derive(Debug, Default)]
pub struct Site {
    pub files: Vec<OutputFile>,
    pub copies: Vec<(String, PathBuf)>,
}

/// HTML-escapes text.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The inline flags of a claim: one per discrepancy it is part of, each linking to it and
/// naming the competing readings; or, for an uncorroborated claim, a softer mark. A source's
/// contradiction of itself joins the flag of the conflict it is part of, whose readings
/// already include its own.
pub fn flags_html(c: ClaimId, root: &str, ctx: &Ctx) -> String {
    let mut flags: Vec<(Vec<usize>, String)> = Vec::new();
    for &d in &ctx.analysis.by_claim[c.0] {
        let disc = &ctx.analysis.discrepancies[d];
        let joins = flags.iter_mut().find(|(ds, _)| {
            let first = &ctx.analysis.discrepancies[ds[0]];
            disc.kind == DiscrepancyKind::SelfContradiction
                && first.kind == DiscrepancyKind::ValueConflict
                && (first.subject, &first.property) == (disc.subject, &disc.property)
        });
        match joins {
            Some((ds, _)) => ds.push(d),
            None => flags.push((vec![d], readings_text(disc, ctx))),
        }
    }
    let mut out = String::new();
    for (ds, detail) in &flags {
        let first = &ctx.analysis.discrepancies[ds[0]];
        let links: Vec<String> = ds
            .iter()
            .map(|d| {
                let disc = &ctx.analysis.discrepancies[*d];
                format!(
                    "<a href=\"{root}discrepancies/index.html#{}\">{}</a>",
                    esc(&disc.id),
                    esc(disc.kind.short_label())
                )
            })
            .collect();
        let _ = write!(
            out,
            " <span class=\"flag flag-{}\"><span class=\"flag-mark\" aria-hidden=\"true\">⚑</span> <span class=\"flag-label\">{}:</span> <span class=\"flag-detail\">{}</span></span>",
            esc(&first.kind.slug()),
            links.join(" · "),
            esc(detail)
        );
    }
    if out.is_empty() && ctx.analysis.uncorroborated[c.0] {
        let _ = write!(
            out,
            " <a class=\"single-source\" href=\"{root}{}\">single source</a>",
            esc(&ctx.model.claim_url(c))
        );
    }
    out
}

/// "2026 (A, B) vs 2023 (C)": the readings of a discrepancy and who gives each.
fn readings_text(disc: &crate::analyse::Discrepancy, ctx: &Ctx) -> String {
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

/// `text` cut to `max` characters, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    date: Option<String>,
    date_iso: Option<String>,
    language: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    counts: Counts,
}

#[derive(Serialize)]
struct Counts {
    countries: usize,
    people: usize,
    organizations: usize,
    sources: usize,
    claims: usize,
    discrepancies: usize,
}

#[derive(Serialize)]
struct PageMeta {
    title: String,
    description: Option<String>,
    url: String,
    section: &'static str,
}

#[derive(Serialize)]
struct ListEntry {
    name: String,
    url: String,
    claims: usize,
    discrepancies: usize,
    note: Option<String>,
}

#[derive(Serialize)]
struct ClaimGroup<'a> {
    subject: Link,
    claims: Vec<&'a ClaimView>,
}

/// The dated claims of one date.
#[derive(Serialize)]
struct TimelineEntry<'a> {
    when: String,
    claims: Vec<&'a ClaimView>,
}

#[derive(Serialize)]
struct KindLinks {
    kind: EntityKind,
    title: &'static str,
    url: String,
    entities: Vec<Link>,
}

/// One page to render.
#[derive(Debug, Clone, Copy)]
enum Job {
    Overview,
    Entity(EntityId),
    Claim(ClaimId),
    KindList(EntityKind),
    Claims,
    Discrepancies,
    Timeline,
    Page(PageId),
    NotFound,
    /// The whole briefing as one document, for print and PDF.
    Print,
    Search,
}

/// Everything computed once per build and shared by every page.
struct Shared<'a> {
    ctx: &'a Ctx<'a>,
    site: SiteView<'a>,
    claims: Vec<ClaimView>,
    discs: Vec<DiscLink>,
    disc_views: Vec<DiscrepancyView>,
}

/// Renders the whole site. Template problems become diagnostics.
pub fn render(
    ctx: &Ctx,
    overrides: &[SourceFile],
    static_files: &[(String, PathBuf)],
    diags: &mut Diagnostics,
) -> Site {
    let Some(tera) = theme::templates(overrides, diags) else {
        return Site::default();
    };
    let shared = shared(ctx);
    let jobs = jobs(ctx.model);
    let results: Vec<Result<OutputFile, tera::Error>> = jobs
        .par_iter()
        .map(|job| render_job(&tera, &shared, *job))
        .collect();
    let mut site = Site::default();
    let mut seen = HashMap::new();
    for result in results {
        match result {
            Ok(file) => site.files.push(file),
            Err(err) => {
                for d in theme::diagnostics(&err, overrides) {
                    // The same template fault repeats on every page that uses it: report it once.
                    if seen
                        .insert((d.0.file.clone(), d.0.line, d.0.col, d.1.clone()), ())
                        .is_none()
                    {
                        diags.error(&d.0, d.1, Some(d.2));
                    }
                }
            }
        }
    }
    site.files.push(export::facts_json(ctx, &shared.discs));
    site.files.push(search::index(&shared));
    site.files.push(OutputFile {
        path: "highlight.css".into(),
        bytes: highlight::stylesheet().into_bytes(),
    });
    site.files.push(OutputFile {
        path: ".nojekyll".into(),
        bytes: Vec::new(),
    });
    if let Some(cname) = &ctx.model.config.cname {
        site.files.push(OutputFile {
            path: "CNAME".into(),
            bytes: format!("{cname}\n").into_bytes(),
        });
    }
    let overridden: Vec<&str> = static_files.iter().map(|(p, _)| p.as_str()).collect();
    for (path, bytes) in theme::STATIC {
        if !overridden.contains(path) {
            site.files.push(OutputFile {
                path: (*path).to_string(),
                bytes: bytes.to_vec(),
            });
        }
    }
    check_output_paths(&site.files, static_files, diags);
    site.copies = static_files.to_vec();
    site
}

/// The longest file name most file systems take, in bytes.
const MAX_FILE_NAME: usize = 255;

/// Reports what the write stage would fail on, or what would clash on a case-insensitive file
/// system (macOS, Windows, and so GitHub Pages checkouts there): a static file that replaces
/// or differs only in case from another output file, and names too long to write.
fn check_output_paths(
    files: &[OutputFile],
    static_files: &[(String, PathBuf)],
    diags: &mut Diagnostics,
) {
    let mut taken: HashMap<String, String> = files
        .iter()
        .map(|f| (f.path.to_lowercase(), f.path.clone()))
        .collect();
    for f in files {
        if let Some(long) = f.path.split('/').find(|c| c.len() > MAX_FILE_NAME) {
            diags.error(
                &crate::diag::Loc::file(&f.path),
                format!("the output file name `{long}` is longer than {MAX_FILE_NAME} bytes"),
                Some("shorten the id or file name it comes from".into()),
            );
        }
    }
    for (path, _) in static_files {
        let loc = crate::diag::Loc::file(&format!("static/{path}"));
        match taken.get(&path.to_lowercase()) {
            Some(other) if other == path => diags.error(
                &loc,
                format!("static/{path} would replace the generated {path}"),
                Some(
                    "rename or remove the file; generated pages cannot be replaced from static/"
                        .into(),
                ),
            ),
            Some(other) => diags.error(
                &loc,
                format!("static/{path} differs only in case from the output file {other}"),
                Some("rename one of them: on macOS and Windows they would be the same file".into()),
            ),
            None => {
                taken.insert(path.to_lowercase(), path.clone());
            }
        }
    }
}

fn shared<'a>(ctx: &'a Ctx<'a>) -> Shared<'a> {
    let model = ctx.model;
    let config = &model.config;
    let count = |k: EntityKind| model.entities.iter().filter(|e| e.kind == k).count();
    let discs: Vec<DiscLink> = ctx
        .analysis
        .discrepancies
        .iter()
        .enumerate()
        .map(|(i, d)| views::disc_link(ctx, i, d))
        .collect();
    let claims = (0..model.claims.len())
        .into_par_iter()
        .map(|c| views::claim(ctx, ClaimId(c), &discs))
        .collect();
    let disc_views = ctx
        .analysis
        .discrepancies
        .par_iter()
        .zip(discs.par_iter())
        .map(|(d, l)| views::discrepancy(ctx, d, l.clone()))
        .collect();
    Shared {
        ctx,
        site: SiteView {
            title: &config.title,
            subtitle: config.subtitle.as_deref(),
            date: config.date.map(|d| d.long()),
            date_iso: config.date.map(|d| d.to_string()),
            language: &config.language,
            base_url: &config.base_url.url,
            base_path: &config.base_url.path,
            counts: Counts {
                countries: count(EntityKind::Country),
                people: count(EntityKind::Person),
                organizations: count(EntityKind::Organization),
                sources: count(EntityKind::Source),
                claims: model.claims.len(),
                discrepancies: ctx.analysis.discrepancies.len(),
            },
        },
        claims,
        discs,
        disc_views,
    }
}

fn jobs(model: &Model) -> Vec<Job> {
    let mut jobs = vec![
        Job::Overview,
        Job::Claims,
        Job::Discrepancies,
        Job::Timeline,
        Job::NotFound,
        Job::Print,
        Job::Search,
    ];
    jobs.extend(EntityKind::ALL.map(Job::KindList));
    jobs.extend((0..model.entities.len()).map(|e| Job::Entity(EntityId(e))));
    jobs.extend((0..model.claims.len()).map(|c| Job::Claim(ClaimId(c))));
    jobs.extend(
        model
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.entity.is_none() && p.url != "index.html")
            .map(|(i, _)| Job::Page(PageId(i))),
    );
    jobs
}

fn render_job(tera: &tera::Tera, s: &Shared, job: Job) -> Result<OutputFile, tera::Error> {
    let model = s.ctx.model;
    let mut context = tera::Context::new();
    context.insert("site", &s.site);
    context.insert("root", DEPTH1);
    let (template, meta) = match job {
        Job::Overview => {
            context.insert("root", "");
            let page = model.pages.iter().find(|p| p.url == "index.html");
            context.insert(
                "overview_html",
                &page.map(|p| markdown::to_html(&p.body, "", s.ctx)),
            );
            context.insert("discrepancies", &s.discs);
            context.insert("kinds", &kind_links(s.ctx));
            let title = page.map_or_else(|| model.config.title.clone(), |p| p.title.clone());
            ("index.html", meta(title, None, "index.html", "overview"))
        }
        Job::Entity(e) => {
            let view = entity_view(s, e);
            let title = view.name.clone();
            let url = view.url.clone();
            context.insert("entity", &view);
            let section = model.entity(e).kind.folder();
            ("entity.html", meta(title, None, &url, section))
        }
        Job::Claim(c) => {
            let view = &s.claims[c.0];
            context.insert("claim", view);
            let title = format!("{}: {}", view.subject.name, view.label);
            ("claim.html", meta(title, None, &view.url, "claims"))
        }
        Job::KindList(kind) => {
            context.insert("entries", &list_entries(s.ctx, kind));
            context.insert("kind", &kind);
            let url = format!("{}/index.html", kind.folder());
            (
                "list.html",
                meta(kind.plural().into(), None, &url, kind.folder()),
            )
        }
        Job::Claims => {
            context.insert("groups", &claim_groups(s));
            (
                "claims.html",
                meta("Claims".into(), None, "claims/index.html", "claims"),
            )
        }
        Job::Discrepancies => {
            let discs: Vec<&crate::analyse::Discrepancy> =
                s.ctx.analysis.discrepancies.iter().collect();
            let titles: Vec<String> = s.discs.iter().map(|d| d.title.clone()).collect();
            context.insert("agreement_svg", &charts::agreement(s.ctx, &discs, &titles));
            context.insert("discrepancies", &s.disc_views);
            let url = "discrepancies/index.html";
            (
                "discrepancies.html",
                meta("Discrepancies".into(), None, url, "discrepancies"),
            )
        }
        Job::Timeline => {
            let entries = timeline(s);
            context.insert("chart_svg", &charts::timeline(&moments(&entries)));
            context.insert("entries", &entries);
            (
                "timeline.html",
                meta("Timeline".into(), None, "timeline/index.html", "timeline"),
            )
        }
        Job::Page(p) => {
            let page = &model.pages[p.0];
            context.insert(
                "content_html",
                &markdown::to_html(&page.body, DEPTH1, s.ctx),
            );
            let m = meta(
                page.title.clone(),
                page.description.clone(),
                &page.url,
                "pages",
            );
            ("page.html", m)
        }
        Job::NotFound => {
            context.insert("root", &model.config.base_url.path);
            (
                "404.html",
                meta("Page not found".into(), None, "404.html", "404"),
            )
        }
        Job::Search => (
            "search.html",
            meta("Search".into(), None, "search/index.html", "search"),
        ),
        Job::Print => {
            print::insert(s, &mut context);
            (
                "print.html",
                meta(model.config.title.clone(), None, print::URL, "print"),
            )
        }
    };
    context.insert("page", &meta);
    let mut html = tera.render(template, &context)?;
    if let Job::Print = job {
        html = print::finish(&html, s);
    }
    Ok(OutputFile {
        path: meta.url,
        bytes: html.into_bytes(),
    })
}

fn meta(title: String, description: Option<String>, url: &str, section: &'static str) -> PageMeta {
    PageMeta {
        title,
        description,
        url: url.to_string(),
        section,
    }
}

fn entity_view<'a>(s: &'a Shared, e: EntityId) -> EntityView<'a> {
    let ctx = s.ctx;
    let model = ctx.model;
    let entity = model.entity(e);
    EntityView {
        id: entity.id.clone(),
        kind: entity.kind,
        kind_label: entity.kind.label(),
        name: entity.name.clone(),
        aliases: entity.aliases.clone(),
        url: model.entity_url(e),
        summary_html: entity
            .summary
            .map(|p| markdown::to_html(&model.pages[p.0].body, DEPTH1, ctx)),
        facts: views::facts(ctx, e),
        about: model.claims_about[e.0]
            .iter()
            .map(|c| &s.claims[c.0])
            .collect(),
        by: model.claims_by[e.0]
            .iter()
            .filter(|c| model.claim(**c).subject != e)
            .map(|c| &s.claims[c.0])
            .collect(),
        discrepancies: ctx.analysis.by_entity[e.0]
            .iter()
            .map(|d| &s.discs[*d])
            .collect(),
        backlinks: views::backlinks(ctx, e),
        record: views::record(&entity.origin),
        json_ld: views::json_ld(ctx, e),
    }
}

fn kind_links(ctx: &Ctx) -> Vec<KindLinks> {
    EntityKind::ALL
        .iter()
        .map(|k| KindLinks {
            kind: *k,
            title: k.plural(),
            url: format!("{}/index.html", k.folder()),
            entities: (0..ctx.model.entities.len())
                .map(EntityId)
                .filter(|e| ctx.model.entity(*e).kind == *k)
                .map(|e| views::link(ctx, e))
                .collect(),
        })
        .collect()
}

fn list_entries(ctx: &Ctx, kind: EntityKind) -> Vec<ListEntry> {
    let model = ctx.model;
    let mut entries: Vec<ListEntry> = (0..model.entities.len())
        .map(EntityId)
        .filter(|e| model.entity(*e).kind == kind)
        .map(|e| ListEntry {
            name: model.entity(e).name.clone(),
            url: model.entity_url(e),
            claims: model.claims_about[e.0].len() + model.claims_by[e.0].len(),
            discrepancies: ctx.analysis.by_entity[e.0].len(),
            note: match &model.entity(e).details {
                crate::model::Details::Source(s) => Some(s.title.clone()),
                _ => None,
            },
        })
        .collect();
    if kind != EntityKind::Source {
        entries.sort_by_key(|e| e.name.to_lowercase());
    }
    entries
}

fn claim_groups<'a>(s: &'a Shared) -> Vec<ClaimGroup<'a>> {
    let model = s.ctx.model;
    let mut groups: Vec<ClaimGroup> = (0..model.entities.len())
        .map(EntityId)
        .filter(|e| !model.claims_about[e.0].is_empty())
        .map(|e| ClaimGroup {
            subject: views::link(s.ctx, e),
            claims: model.claims_about[e.0]
                .iter()
                .map(|c| &s.claims[c.0])
                .collect(),
        })
        .collect();
    groups.sort_by_key(|g| g.subject.name.to_lowercase());
    groups
}

/// The timeline's entries counted per date, for the chart.
fn moments<'a>(entries: &'a [TimelineEntry<'a>]) -> Vec<charts::Moment<'a>> {
    entries
        .iter()
        .map(|e| charts::Moment {
            when: &e.when,
            claims: e.claims.len(),
            disputed: e.claims.iter().filter(|c| c.disputed).count(),
        })
        .collect()
}

/// Dated claims in order, one entry per date: by the date a claim refers to, else by a date
/// or year it states.
fn timeline<'a>(s: &'a Shared) -> Vec<TimelineEntry<'a>> {
    let model = s.ctx.model;
    let mut dated: Vec<((i32, u8, u8), String, &ClaimView)> = Vec::new();
    for (i, c) in model.claims.iter().enumerate() {
        let when = match (&c.date, &c.value) {
            (Some(d), _) => Some(((d.year, d.month, d.day), d.long())),
            (None, Value::Date(d)) => Some(((d.year, d.month, d.day), d.long())),
            (None, Value::Year(y)) => Some(((*y, 0, 0), y.to_string())),
            _ => None,
        };
        if let Some((key, label)) = when {
            dated.push((key, label, &s.claims[i]));
        }
    }
    dated.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.id.cmp(&b.2.id)));
    let mut entries: Vec<TimelineEntry> = Vec::new();
    for (_, when, claim) in dated {
        match entries.last_mut() {
            Some(e) if e.when == when => e.claims.push(claim),
            _ => entries.push(TimelineEntry {
                when,
                claims: vec![claim],
            }),
        }
    }
    entries
}
