//! Stage 2, parse: text to raw structs that keep their positions. No cross-file knowledge.

pub mod markdown;
pub mod records;

use crate::config::RawConfig;
use crate::diag::{Diagnostics, Loc};
use crate::load::{Loaded, SourceFile};
use crate::yaml;
use markdown::{RawFront, RefSpec};
use records::{RawRecordFile, RecordPos};

/// A Markdown page, parsed.
#[derive(Debug)]
pub struct RawPage {
    /// Index into [`RawBriefing::files`].
    pub file: usize,
    pub front: RawFront,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// The inline references, with their byte offset in the file.
    pub refs: Vec<(RefSpec, usize)>,
}

/// Everything the briefing folder says, before references are resolved.
#[derive(Debug, Default)]
pub struct RawBriefing {
    /// Record files, then page files, then the config file: positions index into this.
    pub files: Vec<SourceFile>,
    pub config: RawConfig,
    pub records: RawRecordFile,
    pub pages: Vec<RawPage>,
}

impl RawBriefing {
    /// The location of line `line`, column `col` of file `file`.
    pub fn loc(&self, file: usize, line: usize, col: usize) -> Loc {
        let f = &self.files[file];
        Loc {
            file: f.rel.clone(),
            line,
            col,
            source: Some(f.text.clone()),
        }
    }

    /// The location of `key:` inside the record at `pos`, or of the record itself.
    pub fn field_loc(&self, pos: &RecordPos, key: &str) -> Loc {
        let text = &self.files[pos.file].text;
        match yaml::field_position(text, pos.first, pos.last, key) {
            Some((line, col)) => self.loc(pos.file, line, col),
            None => self.loc(pos.file, pos.first, 1),
        }
    }

    /// The YAML text of the record at `pos`, dedented, for display.
    pub fn record_text(&self, pos: &RecordPos) -> String {
        let text = &self.files[pos.file].text;
        let lines: Vec<&str> = text
            .lines()
            .skip(pos.first.saturating_sub(1))
            .take(pos.last + 1 - pos.first)
            .collect();
        let indent = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let mut out = String::new();
        for line in lines {
            out.push_str(line.get(indent..).unwrap_or("").trim_end());
            out.push('\n');
        }
        out.trim_end().to_string() + "\n"
    }
}

/// Parses every loaded file; problems go to `diags`, and what parsed is kept.
pub fn parse(loaded: &Loaded, diags: &mut Diagnostics) -> RawBriefing {
    let mut raw = RawBriefing::default();
    for file in &loaded.records {
        let index = raw.files.len();
        raw.files.push(file.clone());
        if let Some(records) = parse_record_file(file, index, diags) {
            merge(&mut raw.records, records);
        }
    }
    for file in &loaded.pages {
        let index = raw.files.len();
        raw.files.push(file.clone());
        if let Some(page) = parse_page(file, index, diags) {
            raw.pages.push(page);
        }
    }
    if let Some(file) = &loaded.config {
        raw.files.push(file.clone());
        match yaml::parse::<Option<RawConfig>>(&file.text) {
            Ok(config) => raw.config = config.unwrap_or_default(),
            Err(err) => report_yaml(diags, file, 0, err),
        }
    }
    raw
}

fn report_yaml(
    diags: &mut Diagnostics,
    file: &SourceFile,
    line_offset: usize,
    err: yaml::YamlError,
) {
    let loc = Loc {
        file: file.rel.clone(),
        line: err.line + line_offset,
        col: err.col,
        source: Some(file.text.clone()),
    };
    diags.error(&loc, err.message, err.help);
}

/// Parses one record file and records where each record starts and ends.
pub fn parse_record_file(
    file: &SourceFile,
    index: usize,
    diags: &mut Diagnostics,
) -> Option<RawRecordFile> {
    if file.text.trim().is_empty() {
        diags.warning(
            &Loc::file(&file.rel),
            "record file is empty",
            Some("add records (countries:, people:, claims: ...) or delete the file".into()),
        );
        return None;
    }
    let mut records = match yaml::parse::<RawRecordFile>(&file.text) {
        Ok(r) => r,
        Err(err) => {
            report_yaml(diags, file, 0, err);
            return None;
        }
    };
    let total_lines = file.text.lines().count().max(1);
    let text = &file.text;
    macro_rules! place {
        ($list:ident) => {{
            let key = stringify!($list);
            let starts = yaml::item_lines(text, key);
            let positions = if starts.len() == records.$list.len() {
                positions(&starts, index, text, total_lines)
            } else {
                // Not block style: messages point at the list's key.
                let line = yaml::key_line(text, key).unwrap_or(1);
                let pos = RecordPos {
                    file: index,
                    first: line,
                    last: line,
                };
                vec![pos; records.$list.len()]
            };
            for (record, pos) in records.$list.iter_mut().zip(positions) {
                record.pos = pos;
            }
        }};
    }
    place!(countries);
    place!(people);
    place!(organizations);
    place!(sources);
    place!(claims);
    place!(notes);
    place!(properties);
    Some(records)
}

/// Positions of the records whose first lines are `starts`: each ends before the next starts
/// (or at the end of its block).
fn positions(starts: &[usize], file: usize, text: &str, total_lines: usize) -> Vec<RecordPos> {
    let lines: Vec<&str> = text.lines().collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, &first)| {
            let limit = starts.get(i + 1).map_or(total_lines, |next| next - 1);
            // Stop at the next top-level key.
            let mut last = first;
            for (n, line) in lines.iter().enumerate().take(limit).skip(first) {
                let top_level = !line.starts_with([' ', '\t', '-', '#']) && !line.is_empty();
                if top_level {
                    break;
                }
                if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
                    last = n + 1;
                }
            }
            RecordPos { file, first, last }
        })
        .collect()
}

fn merge(into: &mut RawRecordFile, from: RawRecordFile) {
    into.countries.extend(from.countries);
    into.people.extend(from.people);
    into.organizations.extend(from.organizations);
    into.sources.extend(from.sources);
    into.claims.extend(from.claims);
    into.notes.extend(from.notes);
    into.properties.extend(from.properties);
}

/// Parses a Markdown page: its front matter and its inline references.
pub fn parse_page(file: &SourceFile, index: usize, diags: &mut Diagnostics) -> Option<RawPage> {
    let text = &file.text;
    let (front, body_offset) = match markdown::split_front_matter(text) {
        Ok(Some((front_text, body))) => match yaml::parse::<RawFront>(front_text) {
            Ok(front) => (front, body),
            Err(err) => {
                // The front matter starts on line 2, after the opening `---`.
                report_yaml(diags, file, 1, err);
                return None;
            }
        },
        Ok(None) => {
            diags.error(
                &Loc::at_offset(&file.rel, text, 0),
                "page has no front matter",
                Some("start the page with `---`, a line `title: ...`, and `---`".into()),
            );
            return None;
        }
        Err(offset) => {
            diags.error(
                &Loc::at_offset(&file.rel, text, offset),
                "front matter is never closed",
                Some("end the front matter with a line `---`".into()),
            );
            return None;
        }
    };
    let body = &text[body_offset..];
    let mut refs = Vec::new();
    for (run, run_start) in markdown::text_runs(body) {
        for found in markdown::scan_refs(&run) {
            match found {
                Ok(spec) => {
                    let offset =
                        body_offset + source_offset(body, run_start, &run, spec.range.start);
                    refs.push((spec, offset));
                }
                Err(err) => {
                    let offset = body_offset + source_offset(body, run_start, &run, err.offset);
                    diags.error(
                        &Loc::at_offset(&file.rel, text, offset),
                        err.message,
                        Some(err.help),
                    );
                }
            }
        }
    }
    Some(RawPage {
        file: index,
        front,
        body_offset,
        refs,
    })
}

/// Maps an offset in a merged text run back to the body: where the same `[[` occurs in the
/// source after the run's start (smart punctuation and entities can shift the run's text).
fn source_offset(body: &str, run_start: usize, run: &str, in_run: usize) -> usize {
    let nth = run[..in_run].matches("[[").count();
    body[run_start..]
        .match_indices("[[")
        .nth(nth)
        .map_or(run_start + in_run, |(i, _)| run_start + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn file(rel: &str, text: &str) -> SourceFile {
        SourceFile {
            rel: rel.into(),
            path: rel.into(),
            text: Arc::from(text),
        }
    }

    #[test]
    fn records_know_their_lines() {
        let f = file(
            "c.yaml",
            "claims:\n  - id: a\n    subject: x\n    property: p\n    source: s\n    quote: q\n\n  - id: b\n    subject: x\n    property: p\n    source: s\n    quote: q\n",
        );
        let mut diags = Diagnostics::new();
        let recs = parse_record_file(&f, 0, &mut diags).expect("parses");
        assert_eq!((recs.claims[0].pos.first, recs.claims[0].pos.last), (2, 6));
        assert_eq!((recs.claims[1].pos.first, recs.claims[1].pos.last), (8, 12));
    }

    #[test]
    fn page_errors_point_into_the_file() {
        let f = file("p.md", "---\ntitle: T\ntitel: U\n---\nx\n");
        let mut diags = Diagnostics::new();
        assert!(parse_page(&f, 0, &mut diags).is_none());
        let d = diags.sorted()[0];
        assert_eq!(
            (d.line, d.help.as_deref()),
            (3, Some("did you mean `title`?"))
        );
    }

    #[test]
    fn reference_offsets_are_in_the_file() {
        let f = file("p.md", "---\ntitle: T\n---\nIt's *about* [[lithuania]].\n");
        let mut diags = Diagnostics::new();
        let page = parse_page(&f, 0, &mut diags).expect("parses");
        let (spec, offset) = &page.refs[0];
        assert_eq!(spec.id, "lithuania");
        assert_eq!(&f.text[*offset..*offset + 2], "[[");
    }
}
