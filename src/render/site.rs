//! Site assembly: the rendered pages with the generated files (`facts.json`, the search
//! index, the previews, the highlighting stylesheet, `sitemap.xml` and `robots.txt`) and the
//! theme's static files, checked for names the write stage or another file system would trip on.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

use super::memo::{Digest, Recorder};
use super::shared::Views;
use super::{OutputFile, Sink, export, highlight, jobs, metadata, previews, search, theme};
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

/// The files render generates besides the pages, but for those `static/` replaces, put in
/// `out` as each is made (in parallel: the search index alone is a quarter of the work).
pub fn generated(
    views: &Views,
    static_files: &[(String, PathBuf)],
    out: &Out,
) -> Result<(), Error> {
    let core = views.core;
    let put = |file: Result<OutputFile, Error>| -> Result<(), Error> {
        let file = file?;
        let replaced = REPLACEABLE.contains(&file.path.as_str())
            && static_files.iter().any(|(p, _)| *p == file.path);
        if replaced { Ok(()) } else { out.put(file) }
    };
    // The big three, made only for a sink that uses them.
    let make = |path: &str, file: &dyn Fn() -> Result<OutputFile, Error>| {
        if out.wants(path) {
            put(file())
        } else {
            out.remember(path);
            Ok(())
        }
    };
    let ((facts, search), previews) = rayon::join(
        || {
            rayon::join(
                || make(export::PATH, &|| export::facts_json(core.ctx, &core.discs)),
                || {
                    if out.wants(search::PATH) {
                        search::index(views, out)
                    } else {
                        search::paths(views).iter().for_each(|p| out.remember(p));
                        Ok(())
                    }
                },
            )
        },
        || make(previews::PATH, &|| previews::file(views.core)),
    );
    (facts.and(search).and(previews))?;
    put(Ok(OutputFile {
        path: "highlight.css".into(),
        bytes: highlight::stylesheet().into_bytes(),
    }))?;
    put(Ok(OutputFile {
        path: ".nojekyll".into(),
        bytes: Vec::new(),
    }))?;
    let sitemap = metadata::sitemap(core.ctx, &jobs::routes(views));
    put(Ok(metadata::robots(core.ctx, sitemap.as_ref())))?;
    if let Some(sitemap) = sitemap {
        put(Ok(sitemap))?;
    }
    if let Some(cname) = &core.ctx.model.config.cname {
        put(Ok(OutputFile {
            path: "CNAME".into(),
            bytes: format!("{cname}\n").into_bytes(),
        }))?;
    }
    Ok(())
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

/// Render's side of the sink: it remembers every path, keeps files whose names no file
/// system takes from the sink (so [`check_output_paths`] reports them, not the write) and,
/// with a [`Recorder`], those the sink already holds.
pub struct Out<'a> {
    sink: &'a dyn Sink,
    paths: Mutex<Vec<String>>,
    recorder: Option<&'a Recorder<'a>>,
}

impl<'a> Out<'a> {
    pub fn new(sink: &'a dyn Sink, recorder: Option<&'a Recorder<'a>>) -> Self {
        Out {
            sink,
            paths: Mutex::default(),
            recorder,
        }
    }

    pub fn recorder(&self) -> Option<&'a Recorder<'a>> {
        self.recorder
    }

    pub fn put(&self, file: OutputFile) -> Result<(), Error> {
        self.put_made(file, None)
    }

    /// Puts a file made from `input` (a page's template and context, [`Recorder::page_input`]).
    pub fn put_made(&self, file: OutputFile, input: Option<Digest>) -> Result<(), Error> {
        if self.admit(&file.path, |r| r.record(&file.path, &file.bytes, input)) {
            self.sink.put(file)
        } else {
            Ok(())
        }
    }

    /// Puts the file at `path` made of the pieces `pieces` yields ([`Sink::put_stream`]),
    /// each as it comes; with a recorder, which compares the bytes with last time's before
    /// the sink may have them, once all are made. Every piece is asked for, whatever the
    /// sink takes: the stream's own errors are found so.
    pub fn put_stream(
        &self,
        path: String,
        pieces: &mut dyn Iterator<Item = String>,
    ) -> Result<(), Error> {
        if self.recorder.is_some() {
            let pieces: Vec<String> = pieces.collect();
            if self.admit(&path, |r| r.record_pieces(&path, &pieces, None)) {
                self.sink.put_stream(path, &mut pieces.into_iter())?;
            }
            return Ok(());
        }
        if self.admit(&path, |_| true) {
            self.sink.put_stream(path, &mut *pieces)?;
        }
        pieces.for_each(drop);
        Ok(())
    }

    /// Remembers `path` and has `record` record the file; whether the sink is to get it: its
    /// name is one file systems take, and it changed or there is no recorder.
    fn admit(&self, path: &str, record: impl FnOnce(&Recorder) -> bool) -> bool {
        let writable = path.split('/').all(|c| c.len() <= MAX_FILE_NAME);
        self.remember(path);
        let changed = self.recorder.is_none_or(record);
        writable && changed
    }

    pub fn wants(&self, path: &str) -> bool {
        self.sink.wants(path)
    }

    /// Records a path the site has, whether or not the sink gets the file.
    pub fn remember(&self, path: &str) {
        (self.paths.lock().unwrap_or_else(|e| e.into_inner())).push(path.to_string());
    }

    /// Every path put, sorted.
    pub fn finish(self) -> Vec<String> {
        let mut paths = self.paths.into_inner().unwrap_or_else(|e| e.into_inner());
        paths.sort_unstable();
        paths
    }
}

/// Reports what the write stage would fail on, or what would clash on a case-insensitive file
/// system (macOS, Windows, and so GitHub Pages checkouts there): a static file that replaces
/// or differs only in case from another output file, and names too long to write.
pub fn check_output_paths(
    files: &[String],
    static_files: &[(String, PathBuf)],
    diags: &mut Diagnostics,
) {
    let mut taken: std::collections::HashMap<String, String> = files
        .iter()
        .map(|f| (f.to_lowercase(), f.clone()))
        .collect();
    for f in files {
        if let Some(long) = f.split('/').find(|c| c.len() > MAX_FILE_NAME) {
            diags.error(
                &Loc::file(f),
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
