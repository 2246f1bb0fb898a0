//! Dossier: a static-site generator for annotated briefings.
//!
//! The pipeline is the module list: [`load`] -> [`parse`] -> [`resolve`] (one [`model`]) ->
//! [`analyse`] (discrepancies) -> [`render`] -> [`write`]. [`linkcheck`] checks the rendered
//! site; the server and the PDF step sit on top of [`build`].

pub mod analyse;
pub mod config;
pub mod diag;
pub mod error;
pub mod linkcheck;
pub mod load;
pub mod model;
pub mod parse;
pub mod pdf;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod serve;
pub mod value;
pub mod write;
pub mod yaml;

use std::path::{Path, PathBuf};

use analyse::Analysis;
use config::BaseUrl;
use diag::Diagnostics;
use error::Result;
use model::Model;
use render::{Discard, Memo, Memoize, Sink, Site};

/// What a build or check is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The briefing folder.
    pub root: PathBuf,
    /// Overrides `base_url` from dossier.yaml.
    pub base_url: Option<String>,
    /// A source whose document is missing is an error.
    pub require_documents: bool,
}

/// The result of running the pipeline up to rendering.
pub struct Compiled {
    pub model: Model,
    pub analysis: Analysis,
    pub site: Site,
    pub diags: Diagnostics,
}

/// Runs load, parse, resolve, analyse and render into `sink` (into nothing when the
/// content has errors: render still reports the templates' own). Content problems are in
/// `diags`; `Err` is for operational failures (no content folder, unreadable root, a file the
/// sink could not take).
pub fn compile(options: &Options, sink: &dyn Sink) -> Result<Compiled> {
    compile_with(options, false, sink, Memoize::No, None)
}

/// [`compile`]; for `check`, a missing `documents:` folder is an error; `memoize` as
/// [`render::render`] takes it, and `parsed` as [`parse::parse_with`].
fn compile_with(
    options: &Options,
    checking: bool,
    sink: &dyn Sink,
    memoize: Memoize,
    parsed: Option<&mut parse::Cache>,
) -> Result<Compiled> {
    let mut diags = Diagnostics::new();
    let loaded = load::load(&options.root, &mut diags)?;
    let raw = parse::parse_with(&loaded, parsed, &mut diags);
    let resolve_options = resolve::ResolveOptions {
        require_documents: options.require_documents,
        require_documents_folder: checking,
    };
    let mut model = resolve::resolve(&raw, &options.root, resolve_options, &mut diags);
    // Render needs the model, the theme overrides and the static files, not the sources
    // (dropped here, not at the end: a pattern's `..` would keep them to the last page).
    drop(raw);
    let load::Loaded {
        templates,
        static_files,
        config,
        records,
        pages,
        root: _,
    } = loaded;
    drop((config, records, pages));
    if let Some(url) = &options.base_url {
        model.config.base_url = BaseUrl::parse(url);
    }
    let analysis = analyse::analyse(&model);
    let ctx = render::Ctx {
        model: &model,
        analysis: &analysis,
        recorder: None,
    };
    let sink = if diags.has_errors() { &Discard } else { sink };
    let site = render::render(&ctx, &templates, &static_files, sink, memoize, &mut diags)?;
    Ok(Compiled {
        model,
        analysis,
        site,
        diags,
    })
}

/// Builds the site into `output` (default `public/` in the briefing folder). Nothing is
/// written when the content has errors, or when [`output_dir`] refuses the output.
pub fn build(options: &Options, output: Option<&Path>) -> Result<Compiled> {
    let out = output_dir(&options.root, output)?;
    let (compiled, stage) = staged(options, &out, Memoize::No, None)?;
    if let Some(stage) = stage {
        stage.swap()?;
    }
    Ok(compiled)
}

/// Renders the site into a staging folder beside `out`, each page as it is made: complete
/// and ready for [`write::Stage::swap`], or `None` when the build has errors (its folder is
/// then deleted).
fn staged(
    options: &Options,
    out: &Path,
    memoize: Memoize,
    parsed: Option<&mut parse::Cache>,
) -> Result<(Compiled, Option<write::Stage>)> {
    let stage = write::stage(out)?;
    let compiled = compile_with(options, false, &stage, memoize, parsed)?;
    if compiled.diags.has_errors() {
        return Ok((compiled, None));
    }
    stage.complete(&compiled.site)?;
    Ok((compiled, Some(stage)))
}

/// How a rebuild of `serve` goes into the output folder.
pub enum Update {
    /// A full build in a staging folder, to swap in.
    Swap(write::Stage),
    /// The files that changed, to write in, and the paths of those the new build lacks.
    Patch(write::Patch, Vec<String>),
}

impl Update {
    /// Puts the rebuild in place. A swap returns the previous build, deleted when dropped.
    pub fn apply(self, site: &Site) -> Result<Option<write::Retired>> {
        match self {
            Update::Swap(stage) => stage.swap().map(Some),
            Update::Patch(patch, removed) => patch.apply(site, &removed).map(|()| None),
        }
    }

    /// For the log: how the rebuild was put in place.
    pub fn describe(&self) -> String {
        match self {
            Update::Swap(_) => "full build".into(),
            Update::Patch(patch, removed) => {
                let (n, gone) = (patch.len(), removed.len());
                let files = if n == 1 { "file" } else { "files" };
                match gone {
                    0 => format!("{n} {files} changed"),
                    _ => format!("{n} {files} changed, {gone} removed"),
                }
            }
        }
    }
}

/// Rebuilds the site for `serve`. Against `previous`, the memo of the build in `out`, only
/// the pages whose template or context changed are rendered and only the files whose bytes
/// changed are written; without it, when `out` no longer holds a build, or when the changed
/// files are too many to hold, it is a full build in a staging folder. The new build's memo is
/// `site.memo`; `None` for the update when the content has errors (nothing is written).
/// `parsed` holds the last parse, and then this one ([`parse::parse_with`]).
pub fn rebuild(
    options: &Options,
    out: &Path,
    previous: Option<&Memo>,
    parsed: &mut parse::Cache,
) -> Result<(Compiled, Option<Update>)> {
    if let Some(previous) = previous
        && let Some(patch) = write::Patch::new(out)?
    {
        let memoize = Memoize::Since(previous);
        let compiled = compile_with(options, false, &patch, memoize, Some(parsed))?;
        if compiled.diags.has_errors() {
            return Ok((compiled, None));
        }
        if !patch.overflowed() {
            let removed =
                (compiled.site.memo.as_ref()).map_or_else(Vec::new, |m| previous.removed(m));
            return Ok((compiled, Some(Update::Patch(patch, removed))));
        }
    }
    let (compiled, stage) = staged(options, out, Memoize::Fresh, Some(parsed))?;
    Ok((compiled, stage.map(Update::Swap)))
}

/// Runs the whole pipeline and checks the rendered site's internal links, page by page as
/// render makes them. It writes nothing but `content/verified.lock`, when it passes and the
/// quotes verified against the documents changed ([`resolve::Verification::save`]).
pub fn check(options: &Options) -> Result<Compiled> {
    let scanner = linkcheck::Scanner::new();
    let mut compiled = compile_with(options, true, &scanner, Memoize::No, None)?;
    if !compiled.diags.has_errors() {
        scanner.report(&compiled.site, &mut compiled.diags);
    }
    if !compiled.diags.has_errors() {
        compiled.model.config.verification.save(&options.root)?;
    }
    Ok(compiled)
}

/// The output folder (default `ROOT/public`), resolved ([`write::resolve`]): refused where
/// writing would destroy the briefing or anything but a previous build
/// ([`write::check_output`]).
pub fn output_dir(root: &Path, output: Option<&Path>) -> Result<PathBuf> {
    let out = write::resolve(&output.map_or_else(|| root.join("public"), Path::to_path_buf))?;
    write::check_output(&out, Some(root))?;
    Ok(out)
}
