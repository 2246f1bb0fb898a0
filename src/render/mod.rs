//! Stage 5, render: the model and its analysis to files in memory, through Tera templates.
//! No I/O here: the write stage puts the result on disk.
//!
//! The views are built once (`shared`), then every page job (`jobs`) borrows them in its
//! template's context (`context`), in parallel; `site` adds the generated and static files.

pub mod charts;
mod context;
pub mod export;
mod flags;
pub mod highlight;
mod jobs;
pub mod markdown;
mod metadata;
mod previews;
mod print;
mod search;
mod shared;
mod site;
pub mod theme;
mod timeline;
pub mod urls;
pub mod views;

use std::collections::HashSet;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::analyse::Analysis;
use crate::diag::{Diagnostics, Loc};
use crate::error::Error;
use crate::load::SourceFile;
use crate::model::Model;
use shared::{Core, Views};

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

/// `text` cut to `max` characters, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// Renders the whole site. Template problems become diagnostics; so, until the caller takes
/// [`render_site`]'s operational errors, does a file that cannot be serialised.
pub fn render(
    ctx: &Ctx,
    overrides: &[SourceFile],
    static_files: &[(String, PathBuf)],
    diags: &mut Diagnostics,
) -> Site {
    render_site(ctx, overrides, static_files, diags).unwrap_or_else(|err| {
        diags.error(&Loc::file("render"), err.to_string(), None);
        Site::default()
    })
}

/// Renders the whole site. Template problems become diagnostics (and an empty site); `Err`
/// is for a generated file that cannot be serialised.
pub fn render_site(
    ctx: &Ctx,
    overrides: &[SourceFile],
    static_files: &[(String, PathBuf)],
    diags: &mut Diagnostics,
) -> Result<Site, Error> {
    let Some(tera) = theme::templates(overrides, diags) else {
        return Ok(Site::default());
    };
    let mut seen = HashSet::new();
    let core = match Core::build(ctx, &tera) {
        Ok(core) => core,
        Err(err) => {
            site::report(&err, overrides, &mut seen, diags);
            return Ok(Site::default());
        }
    };
    let views = Views::build(&core);
    let results: Vec<Result<OutputFile, tera::Error>> = jobs::routes(ctx.model)
        .into_par_iter()
        .map(|route| jobs::render(&views, route))
        .collect();
    let mut site = Site::default();
    for result in results {
        match result {
            Ok(file) => site.files.push(file),
            Err(err) => site::report(&err, overrides, &mut seen, diags),
        }
    }
    site.files.extend(site::generated(&views, static_files)?);
    site.files.extend(site::builtin_static(static_files));
    site::check_output_paths(&site.files, static_files, diags);
    site.copies = static_files.to_vec();
    Ok(site)
}
