//! Site assembly: the rendered pages with the generated files (`facts.json`, the search
//! index, the previews, the highlighting stylesheet, `sitemap.xml` and `robots.txt`) and the
//! theme's static files, checked for names the write stage or another file system would trip on.

use std::collections::HashSet;
use std::path::PathBuf;

use super::shared::Views;
use super::{OutputFile, export, highlight, jobs, metadata, previews, search, theme};
use crate::diag::{Diagnostics, Loc};
use crate::error::Error;
use crate::load::SourceFile;

/// Reports template errors as located diagnostics. The same fault repeats on every page
/// that uses the template: `seen` keeps each reported once.
pub fn report(
    err: &tera::Error,
    overrides: &[SourceFile],
    seen: &mut HashSet<(String, usize, usize, String)>,
    diags: &mut Diagnostics,
) {
    for (loc, message, help) in theme::diagnostics(err, overrides) {
        let key = (loc.file.clone(), loc.line, loc.col, message.clone());
        if seen.insert(key) {
            diags.error(&loc, message, Some(help));
        }
    }
}

/// Generated files a briefing's `static/` may replace: its own `robots.txt` wins.
const REPLACEABLE: [&str; 1] = ["robots.txt"];

/// The files render generates besides the pages, but for those `static/` replaces.
pub fn generated(
    views: &Views,
    static_files: &[(String, PathBuf)],
) -> Result<Vec<OutputFile>, Error> {
    let core = views.core;
    let mut files = vec![
        export::facts_json(core.ctx, &core.discs)?,
        search::index(views)?,
        previews::file(views.core)?,
        OutputFile {
            path: "highlight.css".into(),
            bytes: highlight::stylesheet().into_bytes(),
        },
        OutputFile {
            path: ".nojekyll".into(),
            bytes: Vec::new(),
        },
    ];
    let sitemap = metadata::sitemap(core.ctx, &jobs::routes(core.ctx.model));
    files.push(metadata::robots(core.ctx, sitemap.as_ref()));
    files.extend(sitemap);
    if let Some(cname) = &core.ctx.model.config.cname {
        files.push(OutputFile {
            path: "CNAME".into(),
            bytes: format!("{cname}\n").into_bytes(),
        });
    }
    files.retain(|f| {
        !(REPLACEABLE.contains(&f.path.as_str()) && static_files.iter().any(|(p, _)| *p == f.path))
    });
    Ok(files)
}

/// The built-in static files the briefing's `static/` does not replace.
pub fn builtin_static(static_files: &[(String, PathBuf)]) -> impl Iterator<Item = OutputFile> {
    let overridden: HashSet<&str> = static_files.iter().map(|(p, _)| p.as_str()).collect();
    theme::STATIC
        .iter()
        .filter(move |(path, _)| !overridden.contains(path))
        .map(|(path, bytes)| OutputFile {
            path: (*path).to_string(),
            bytes: bytes.to_vec(),
        })
}

/// The longest file name most file systems take, in bytes.
const MAX_FILE_NAME: usize = 255;

/// Reports what the write stage would fail on, or what would clash on a case-insensitive file
/// system (macOS, Windows, and so GitHub Pages checkouts there): a static file that replaces
/// or differs only in case from another output file, and names too long to write.
pub fn check_output_paths(
    files: &[OutputFile],
    static_files: &[(String, PathBuf)],
    diags: &mut Diagnostics,
) {
    let mut taken: std::collections::HashMap<String, String> = files
        .iter()
        .map(|f| (f.path.to_lowercase(), f.path.clone()))
        .collect();
    for f in files {
        if let Some(long) = f.path.split('/').find(|c| c.len() > MAX_FILE_NAME) {
            diags.error(
                &Loc::file(&f.path),
                format!("the output file name `{long}` is longer than {MAX_FILE_NAME} bytes"),
                Some("shorten the id or file name it comes from".into()),
            );
        }
    }
    for (path, _) in static_files {
        let loc = Loc::file(&format!("static/{path}"));
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
