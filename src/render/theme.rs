//! The default theme, embedded in the binary, and the briefing's overrides of it.
//! A briefing's `templates/NAME` replaces the built-in `NAME`; `static/NAME` replaces a
//! built-in static file.

use std::sync::Arc;

use tera::{ErrorKind, Tera};

use crate::diag::{Diagnostics, Loc};
use crate::load::SourceFile;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// The built-in templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "index.html",
    "entity.html",
    "claim.html",
    "list.html",
    "claims.html",
    "discrepancies.html",
    "timeline.html",
    "page.html",
    "404.html",
    "partials/claim.html",
    "partials/facts.html",
    "partials/discrepancy.html",
    "partials/flags.html",
    "partials/agreement.html",
    "partials/comparison.html",
    "partials/notes.html",
    "partials/pagination.html",
    "partials/print-discrepancy.html",
    "partials/print-entity.html",
    "partials/print-annex.html",
    "print.html",
    "search.html",
);

/// The built-in static files: (path, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("print.css", include_bytes!("../../static/print.css")),
    ("search.js", include_bytes!("../../static/search.js")),
    (
        "elasticlunr.min.js",
        include_bytes!("../../static/elasticlunr.min.js"),
    ),
    ("popover.js", include_bytes!("../../static/popover.js")),
];

/// Where a template name comes from: the briefing's override or the built-in theme.
fn origin(name: &str, overrides: &[SourceFile]) -> (String, Option<Arc<str>>) {
    if let Some(f) = overrides.iter().find(|f| override_name(f) == name) {
        return (f.rel.clone(), Some(f.text.clone()));
    }
    let builtin = TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| Arc::<str>::from(*t));
    (format!("<built-in>/templates/{name}"), builtin)
}

fn override_name(f: &SourceFile) -> &str {
    f.rel.strip_prefix("templates/").unwrap_or(&f.rel)
}

/// Every template's name and source: the built-in theme with the briefing's overrides.
pub fn sources(overrides: &[SourceFile]) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
        .collect();
    for f in overrides {
        let name = override_name(f).to_string();
        match all.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = f.text.to_string(),
            None => all.push((name, f.text.to_string())),
        }
    }
    all
}

/// Compiles the theme's `sources`, once per build.
pub fn templates(
    sources: &[(String, String)],
    overrides: &[SourceFile],
    diags: &mut Diagnostics,
) -> Option<Tera> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html"]);
    match tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        Ok(()) => Some(tera),
        Err(err) => {
            for (loc, message, help) in diagnostics(&err, overrides) {
                diags.error(&loc, message, Some(help));
            }
            None
        }
    }
}

/// A Tera error as locations, messages and help lines: one for each problem it reports.
pub fn diagnostics(err: &tera::Error, overrides: &[SourceFile]) -> Vec<(Loc, String, String)> {
    const SYNTAX_HELP: &str = "fix the template syntax (Tera 2: {{ expr }}, {% tag %})";
    const NAMES_HELP: &str =
        "check the names the template uses against the context documented in ARCHITECTURE.md";
    let located = |name: &str, line: usize, col: usize| {
        let (file, source) = origin(name, overrides);
        Loc {
            file,
            line: line.max(1),
            col: col.max(1),
            source,
        }
    };
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let loc = located(report.filename(), span.start_line, span.start_col + 1);
            let help = if matches!(err.kind(), ErrorKind::SyntaxError(_)) {
                SYNTAX_HELP
            } else {
                NAMES_HELP
            };
            vec![(loc, report.message().to_string(), help.into())]
        }
        // Checks across templates (unknown filters, tests, functions, blocks) come as one
        // message of reports in the form `error: MESSAGE` / ` --> NAME:LINE:COL`.
        ErrorKind::Msg(text) if text.starts_with("error: ") => {
            let mut out = Vec::new();
            let mut lines = text.lines();
            while let Some(line) = lines.next() {
                let Some(message) = line.strip_prefix("error: ") else {
                    continue;
                };
                let place = lines.next().and_then(|l| l.trim().strip_prefix("--> "));
                let mut parts = place.unwrap_or("").rsplitn(3, ':');
                let (col, line, name) = (parts.next(), parts.next(), parts.next());
                let loc = match (
                    name,
                    line.and_then(|l| l.parse().ok()),
                    col.and_then(|c| c.parse().ok()),
                ) {
                    (Some(name), Some(line), Some(col)) => located(name, line, col),
                    _ => Loc::file("templates"),
                };
                out.push((loc, message.to_string(), NAMES_HELP.to_string()));
            }
            out
        }
        ErrorKind::TemplateNotFound(name) | ErrorKind::MissingParent { parent: name, .. } => {
            vec![(
                Loc::file("templates"),
                format!("template `{name}` not found"),
                "add the template to templates/, or fix the name".into(),
            )]
        }
        _ => vec![(
            Loc::file("templates"),
            err.to_string(),
            "fix the templates in templates/".into(),
        )],
    }
}
