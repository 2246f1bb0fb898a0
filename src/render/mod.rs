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
pub mod memo;
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

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use rayon::prelude::*;

use crate::analyse::Analysis;
use crate::diag::Diagnostics;
use crate::error::Error;
use crate::load::SourceFile;
use crate::model::Model;
pub use memo::Memo;
use memo::Recorder;
use shared::{Core, Views};

/// What render reads.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    /// The memo under way, when render keeps one: it also keeps what is derived from inputs
    /// alone (sanitised HTML, print parts, previews, plain text) for the next build.
    pub recorder: Option<&'a Recorder<'a>>,
}

/// A file of the output, in memory until its [`Sink`] takes it.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where render puts each file as soon as it is made, from any of its threads: the write
/// stage's staging folder, the link checker, or nowhere. No page is held after it is made.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), Error>;

    /// Takes the file at `path` made of the pieces `pieces` yields, in order, each as it
    /// comes (the print view, drawn a few parts at a time: it is never held whole). By
    /// default they are joined and [`Sink::put`].
    fn put_stream(
        &self,
        path: String,
        pieces: &mut dyn Iterator<Item = String>,
    ) -> Result<(), Error> {
        self.put(OutputFile {
            path,
            bytes: pieces.collect::<String>().into_bytes(),
        })
    }

    /// Whether the sink uses a generated file that is not a page (`facts.json`, the search
    /// index, the previews): one it does not use is not made, only its path remembered.
    fn wants(&self, _path: &str) -> bool {
        true
    }
}

/// A sink that drops every file: render for its diagnostics alone.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), Error> {
        Ok(())
    }

    fn put_stream(&self, _: String, pieces: &mut dyn Iterator<Item = String>) -> Result<(), Error> {
        pieces.for_each(drop);
        Ok(())
    }

    fn wants(&self, _path: &str) -> bool {
        false
    }
}

/// What render made: the paths of the files it put in the sink (sorted), the files to
/// copy as they are, and the build's memo when it was asked to keep one.
#[derive(Debug, Default)]
pub struct Site {
    pub files: Vec<String>,
    pub copies: Vec<(String, PathBuf)>,
    pub memo: Option<Memo>,
}

/// Whether render keeps a [`Memo`] of what it makes, for the next build of `serve`.
#[derive(Debug, Clone, Copy)]
pub enum Memoize<'a> {
    No,
    /// Into a sink that holds no previous build: every file goes to it.
    Fresh,
    /// Into a sink that holds this build's files: what is unchanged is neither rendered nor
    /// handed to it.
    Since(&'a Memo),
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

/// Runs html5ever's tokenizer over `pieces`, one document given in order, into `sink`, and
/// gives the sink back (the link checker's and the search text's: neither builds a tree).
pub(crate) fn tokenize<K: TokenSink, S: AsRef<str>>(
    sink: K,
    pieces: impl IntoIterator<Item = S>,
) -> K {
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    for piece in pieces {
        input.push_back(StrTendril::from(piece.as_ref()));
        let _ = tokenizer.feed(&input);
    }
    tokenizer.end();
    tokenizer.sink
}

/// What a tree builder would tell html5ever's tokenizer after the start tag `name`: these
/// elements hold text, not tags (for the sinks of [`tokenize`]).
pub(crate) fn after_start_tag(name: &str) -> TokenSinkResult<()> {
    match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => TokenSinkResult::Continue,
    }
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// Renders the whole site into `sink`. Template problems become diagnostics (and an empty
/// site); `Err` is for a file the sink could not take or that could not be serialised.
/// The pages render in parallel with the generated files (facts, search index, previews).
pub fn render(
    ctx: &Ctx,
    overrides: &[SourceFile],
    static_files: &[(String, PathBuf)],
    sink: &dyn Sink,
    memoize: Memoize,
    diags: &mut Diagnostics,
) -> Result<Site, Error> {
    let sources = theme::sources(overrides);
    let Some(tera) = theme::templates(&sources, overrides, diags) else {
        return Ok(Site::default());
    };
    let recorder = match memoize {
        Memoize::No => None,
        Memoize::Fresh => Some(Recorder::new(None, &sources)),
        Memoize::Since(memo) => Some(Recorder::new(Some(memo), &sources)),
    };
    let ctx = Ctx {
        recorder: recorder.as_ref(),
        ..*ctx
    };
    let out = site::Out::new(sink, recorder.as_ref());
    match Core::build(&ctx, &tera) {
        Ok(core) => render_files(&Views::build(&core), &out, static_files, overrides, diags)?,
        Err(err) => {
            site::report(&err, overrides, &mut HashSet::new(), diags);
            return Ok(Site::default());
        }
    }
    let files = out.finish();
    site::check_output_paths(&files, static_files, diags);
    Ok(Site {
        files,
        copies: static_files.to_vec(),
        memo: recorder.map(Recorder::finish),
    })
}

/// Every page in parallel with the generated files, then the built-in static ones.
fn render_files(
    views: &Views,
    out: &site::Out,
    static_files: &[(String, PathBuf)],
    overrides: &[SourceFile],
    diags: &mut Diagnostics,
) -> Result<(), Error> {
    let (failed, generated) = rayon::join(
        || {
            jobs::routes(views)
                .into_par_iter()
                .map(|route| match jobs::render(views, route, out.recorder()) {
                    Ok(jobs::Page::Made(file, input)) => out.put_made(file, input).map(|()| None),
                    Ok(jobs::Page::Print(path, base)) => print::write(views, base, path, out),
                    Ok(jobs::Page::Kept(path)) => {
                        out.remember(&path);
                        Ok(None)
                    }
                    Err(err) => Ok(Some(err)),
                })
                .collect::<Result<Vec<_>, Error>>()
        },
        || site::generated(views, static_files, out),
    );
    let mut seen = HashSet::new();
    for err in failed?.into_iter().flatten() {
        site::report(&err, overrides, &mut seen, diags);
    }
    generated?;
    for file in site::builtin_static(static_files) {
        out.put(file)?;
    }
    // Copied by the write stage; in the memo so that one removed from static/ goes too.
    if let Some(recorder) = out.recorder() {
        for (path, _) in static_files {
            recorder.record(path, &[], None);
        }
    }
    Ok(())
}
