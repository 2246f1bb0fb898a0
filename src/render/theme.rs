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
    "print.html",
    "search.html",
);

/// The built-in static files: (path, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("print.css", include_bytes!("../../static/print.css")),
    ("search.js", include_bytes!("../../static/search.js")),
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

/// Compiles the theme with the briefing's overrides, once per build.
pub fn templates(overrides: &[SourceFile], diags: &mut Diagnostics) -> Option<Tera> {
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
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html"]);
    match tera.add_raw_templates(all) {
        Ok(()) => Some(tera),
        Err(err) => {
            let (loc, message, help) = diagnostic(&err, overrides);
            diags.error(&loc, message, Some(help));
            None
        }
    }
}

/// A Tera error as a location, a message and a help line.
pub fn diagnostic(err: &tera::Error, overrides: &[SourceFile]) -> (Loc, String, String) {
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let (file, source) = origin(report.filename(), overrides);
            let span = report.span();
            let loc = Loc {
                file,
                line: span.start_line.max(1),
                col: span.start_col + 1,
                source,
            };
            let help = if matches!(err.kind(), ErrorKind::SyntaxError(_)) {
                "fix the template syntax (Tera 2: {{ expr }}, {% tag %})"
            } else {
                "check the names the template uses against the context documented in ARCHITECTURE.md"
            };
            (loc, report.message().to_string(), help.into())
        }
        ErrorKind::TemplateNotFound(name) | ErrorKind::MissingParent { parent: name, .. } => (
            Loc::file("templates"),
            format!("template `{name}` not found"),
            "add the template to templates/, or fix the name".into(),
        ),
        _ => (
            Loc::file("templates"),
            err.to_string(),
            "fix the templates in templates/".into(),
        ),
    }
}
