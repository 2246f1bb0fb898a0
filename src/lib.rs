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
use render::Site;

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

/// Runs load, parse, resolve, analyse and render. Content problems are in `diags`;
/// `Err` is for operational failures (no content folder, unreadable root).
pub fn compile(options: &Options) -> Result<Compiled> {
    compile_with(options, false)
}

/// [`compile`]; for `check`, a missing `documents:` folder is an error.
fn compile_with(options: &Options, checking: bool) -> Result<Compiled> {
    let mut diags = Diagnostics::new();
    let loaded = load::load(&options.root, &mut diags)?;
    let raw = parse::parse(&loaded, &mut diags);
    let resolve_options = resolve::ResolveOptions {
        require_documents: options.require_documents,
        require_documents_folder: checking,
    };
    let mut model = resolve::resolve(&raw, &options.root, resolve_options, &mut diags);
    if let Some(url) = &options.base_url {
        model.config.base_url = BaseUrl::parse(url);
    }
    let analysis = analyse::analyse(&model);
    let ctx = render::Ctx {
        model: &model,
        analysis: &analysis,
    };
    let site = render::render(&ctx, &loaded.templates, &loaded.static_files, &mut diags);
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
    let compiled = compile(options)?;
    if !compiled.diags.has_errors() {
        write::write(&compiled.site, &out)?;
    }
    Ok(compiled)
}

/// Runs the whole pipeline and checks the rendered site's internal links. It writes nothing
/// but `content/verified.lock`, when it passes and the quotes verified against the documents
/// changed ([`resolve::Verification::save`]).
pub fn check(options: &Options) -> Result<Compiled> {
    let mut compiled = compile_with(options, true)?;
    if !compiled.diags.has_errors() {
        linkcheck::check(&compiled.site, &mut compiled.diags);
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
