//! Stage 2, parse: text to raw structs that keep their positions. No cross-file knowledge.

pub mod markdown;
pub mod records;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_128;

use crate::config::RawConfig;
use crate::diag::{Diagnostics, Loc};
use crate::load::{Loaded, SourceFile};
use crate::yaml;
use markdown::{RawFront, RefSpec};
use records::{RECORD_LISTS, RawRecordFile, RecordPos};

/// A Markdown page, parsed.
#[derive(Debug, Clone)]
pub struct RawPage {
    /// Index into [`RawBriefing::files`].
    pub file: usize,
    pub front: RawFront,
    /// Where the front matter's fields are.
    pub front_pos: RecordPos,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// The inline references, with their byte offset in the file.
    pub refs: Vec<(RefSpec, usize)>,
    /// The same references located in the body ([`markdown::Scan::locate_refs`]), for
    /// rendering.
    pub located: Vec<RefSpec>,
}

/// What could not be read: later stages stay quiet about references these may have defined.
#[derive(Debug, Default)]
pub struct Failed {
    /// Record files none of whose records could be read (a YAML syntax error).
    pub files: Vec<String>,
    /// Ids of single records that failed to parse.
    pub ids: HashSet<String>,
    /// `dossier.yaml` could not be read: its settings are unknown.
    pub config: bool,
}

/// Everything the briefing folder says, before references are resolved.
#[derive(Debug, Default)]
pub struct RawBriefing {
    /// The config file (when there is one), record files, then page files: positions index
    /// into this.
    pub files: Vec<SourceFile>,
    pub config: RawConfig,
    /// Where the config's fields are.
    pub config_pos: RecordPos,
    pub records: RawRecordFile,
    pub pages: Vec<RawPage>,
    pub failed: Failed,
    /// Per file, the byte offset where each line starts: computed once, so that a record's
    /// text is found without scanning its file from the top (a file of 10,000 records).
    line_starts: Vec<Vec<usize>>,
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

    /// The location of the field or list item at `path` (`source`, `titles.1.source`) of the
    /// record at `pos`, or of the record itself when it has no such field.
    pub fn field_loc(&self, pos: &RecordPos, path: &str) -> Loc {
        match pos.field(path) {
            Some(p) => self.loc(pos.file, p.line, p.col),
            None => self.loc(pos.file, pos.first, pos.col.max(1)),
        }
    }

    /// Adds a file, with its line index.
    fn push_file(&mut self, file: &SourceFile) -> usize {
        self.files.push(file.clone());
        self.line_starts.push(line_starts(&file.text));
        self.files.len() - 1
    }

    /// The YAML text of the record at `pos`, dedented, for display.
    pub fn record_text(&self, pos: &RecordPos) -> String {
        let text = &self.files[pos.file].text;
        let computed;
        let starts = match self.line_starts.get(pos.file) {
            Some(starts) => starts,
            None => {
                computed = line_starts(text);
                &computed
            }
        };
        let first = pos.first.saturating_sub(1).min(starts.len());
        let last = pos.last.min(starts.len()).max(first);
        let lines: Vec<&str> = (first..last)
            .map(|i| {
                let end = starts.get(i + 1).map_or(text.len(), |&next| next - 1);
                let line = &text[starts[i]..end];
                line.strip_suffix('\r').unwrap_or(line)
            })
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
        // Held by the model to the end of the build: without spare capacity.
        out.truncate(out.trim_end().len());
        out.push('\n');
        out.shrink_to_fit();
        out
    }
}

/// The byte offset of the start of each line of `text`, as `str::lines` counts them (no line
/// after a final newline).
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    if !text.is_empty() {
        starts.push(0);
    }
    starts
        .extend((text.match_indices('\n').map(|(i, _)| i + 1)).filter(|&start| start < text.len()));
    starts
}

/// What `serve` keeps of the last parse, so that a rebuild parses only the files that
/// changed: each record file's tree by the hash of its text, and each page's result by its
/// path, with its text's hash and its place among the files (positions name the place).
#[derive(Debug, Default)]
pub struct Cache {
    trees: HashMap<u128, Arc<Tree>>,
    pages: HashMap<String, (u128, usize, Option<RawPage>, Diagnostics)>,
}

type Tree = Result<yaml::Node, yaml::YamlError>;

/// Parses every loaded file; problems go to `diags`, and what parsed is kept.
pub fn parse(loaded: &Loaded, diags: &mut Diagnostics) -> RawBriefing {
    parse_with(loaded, None, diags)
}

/// [`parse`], reusing what `cache` holds of the same files and leaving in it what this
/// parse made (and nothing else, so it does not grow over a long session).
pub fn parse_with(
    loaded: &Loaded,
    mut cache: Option<&mut Cache>,
    diags: &mut Diagnostics,
) -> RawBriefing {
    // The last parse, taken: what is still current moves from it into the next one.
    let mut previous = cache.as_deref_mut().map(std::mem::take);
    let mut next = cache.is_some().then(Cache::default);
    let mut raw = RawBriefing::default();
    // The config first: it declares the kinds whose record lists the record files may hold.
    if let Some(file) = &loaded.config {
        let index = raw.push_file(file);
        let parsed = yaml::parse_tree(&file.text).and_then(|tree| {
            let config = match tree.value {
                yaml::Value::Null => RawConfig::default(),
                _ => yaml::from_node(&tree)?,
            };
            Ok((config, record_pos(&tree, index, 0, &file.text)))
        });
        match parsed {
            Ok((config, pos)) => (raw.config, raw.config_pos) = (config, pos),
            Err(err) => {
                report_yaml(diags, file, 0, err);
                raw.failed.config = true;
            }
        }
    }
    // The YAML of every record file and every page in parallel; the records are then read
    // in file order, as they may depend on the lists declared before them.
    let trees: Vec<(u128, Arc<Tree>)> = (loaded.records.par_iter())
        .map(|file| {
            let key = xxh3_128(file.text.as_bytes());
            let known = (previous.as_ref()).and_then(|c| c.trees.get(&key)).cloned();
            let tree = known.unwrap_or_else(|| Arc::new(yaml::parse_tree(&file.text)));
            (key, tree)
        })
        .collect();
    for (file, (key, tree)) in loaded.records.iter().zip(trees) {
        let index = raw.push_file(file);
        read_record_file(file, &tree, index, &mut raw, diags);
        if let Some(next) = &mut next {
            next.trees.insert(key, tree);
        }
    }
    let first = raw.files.len();
    for file in &loaded.pages {
        raw.push_file(file);
    }
    // Each page parsed again unless the last parse has it with the same text and place
    // (`None`: take that one).
    let known = previous.as_ref();
    let pages: Vec<_> = (loaded.pages.par_iter().enumerate())
        .map(|(i, file)| {
            let (key, index) = (xxh3_128(file.text.as_bytes()), first + i);
            match known.and_then(|c| c.pages.get(&file.rel)) {
                Some((k, at, _, _)) if (*k, *at) == (key, index) => None,
                _ => {
                    let mut found = Diagnostics::new();
                    Some((key, index, parse_page(file, index, &mut found), found))
                }
            }
        })
        .collect();
    for (file, parsed) in loaded.pages.iter().zip(pages) {
        let entry = match parsed {
            Some(entry) => entry,
            None => match previous.as_mut().and_then(|c| c.pages.remove(&file.rel)) {
                Some(entry) => entry,
                None => continue,
            },
        };
        let (page, found) = match &mut next {
            Some(next) => {
                let (page, found) = (entry.2.clone(), entry.3.clone());
                next.pages.insert(file.rel.clone(), entry);
                (page, found)
            }
            None => (entry.2, entry.3),
        };
        diags.append(found);
        raw.pages.extend(page);
    }
    if let (Some(cache), Some(next)) = (cache, next) {
        *cache = next;
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

/// The position of a record (or front matter) node: its lines and every field's position.
fn record_pos(node: &yaml::Node, file: usize, line_offset: usize, text: &str) -> RecordPos {
    let shift = |mut p: yaml::Pos| {
        p.line += line_offset;
        p
    };
    let end = node.end().min(text.len());
    let last = node.pos.line
        + text[node.pos.offset.min(end)..end]
            .trim_end()
            .matches('\n')
            .count();
    RecordPos {
        file,
        first: node.pos.line + line_offset,
        col: node.pos.col,
        last: last + line_offset,
        fields: node
            .paths()
            .into_iter()
            .map(|(k, p)| (k, shift(p)))
            .collect(),
    }
}

/// Parses one record file into `raw`. A syntax error fails the whole file; a bad record fails
/// alone, and an unknown list reports one error and keeps the rest of the file.
pub fn parse_record_file(
    file: &SourceFile,
    index: usize,
    raw: &mut RawBriefing,
    diags: &mut Diagnostics,
) {
    read_record_file(file, &yaml::parse_tree(&file.text), index, raw, diags);
}

/// [`parse_record_file`] with its YAML already parsed.
fn read_record_file(
    file: &SourceFile,
    tree: &Tree,
    index: usize,
    raw: &mut RawBriefing,
    diags: &mut Diagnostics,
) {
    let tree = match tree {
        Ok(tree) => tree,
        Err(err) => {
            let loc = raw.loc(index, err.line, err.col);
            diags.file_failed(&loc, err.message.clone(), err.help.clone());
            raw.failed.files.push(file.rel.clone());
            return;
        }
    };
    let entries = match &tree.value {
        yaml::Value::Map(entries) => entries,
        yaml::Value::Null => {
            diags.warning(
                &Loc::file(&file.rel),
                "record file is empty",
                Some("add records (countries:, people:, claims: ...) or delete the file".into()),
            );
            return;
        }
        _ => {
            let loc = raw.loc(index, tree.pos.line, tree.pos.col);
            diags.file_failed(
                &loc,
                "a record file is a mapping of lists",
                Some("start with a list name such as `claims:` and put the records under it as `- id: ...`".into()),
            );
            raw.failed.files.push(file.rel.clone());
            return;
        }
    };
    let mut seen = HashSet::new();
    for (key, list) in entries {
        let loc = raw.loc(index, key.pos.line, key.pos.col);
        // A built-in list stays itself: resolve reports a kind declared with its name.
        let declared = (raw.config.kinds.iter())
            .position(|k| k.folder() == key.name)
            .filter(|_| !RECORD_LISTS.contains(&key.name.as_str()));
        if declared.is_none() && !RECORD_LISTS.contains(&key.name.as_str()) {
            // `dossier.yaml` failed: it may declare the kind this list is of.
            if raw.failed.config {
                continue;
            }
            let folders: Vec<String> = raw.config.kinds.iter().map(|k| k.folder()).collect();
            let lists: Vec<&str> = (RECORD_LISTS.iter().copied())
                .chain(folders.iter().map(String::as_str))
                .collect();
            diags.error(
                &loc,
                format!("unknown list `{}`", key.name),
                Some(crate::diag::one_of(&key.name, &lists)),
            );
            continue;
        }
        if !seen.insert(key.name.as_str()) {
            diags.error(
                &loc,
                format!("`{}` appears twice in this file", key.name),
                Some("merge the two lists into one".into()),
            );
        }
        let items = match &list.value {
            yaml::Value::Seq(items) => items.as_slice(),
            yaml::Value::Null => &[],
            _ => {
                let loc = raw.loc(index, list.pos.line, list.pos.col);
                diags.error(
                    &loc,
                    format!("`{}` must be a list of records", key.name),
                    Some(format!(
                        "write each record as an item: `{}:` then `  - id: ...`",
                        key.name
                    )),
                );
                continue;
            }
        };
        let into = &mut raw.records;
        let mut read = Reader {
            file,
            index,
            diags,
            failed: &mut raw.failed,
        };
        if let Some(kind) = declared.and_then(|k| u16::try_from(k).ok()) {
            let first = into.custom.len();
            read.list(items, &mut into.custom, |r, p| r.pos = p);
            into.custom[first..].iter_mut().for_each(|r| r.kind = kind);
            continue;
        }
        match key.name.as_str() {
            "countries" => read.list(items, &mut into.countries, |r, p| r.pos = p),
            "places" => read.list(items, &mut into.places, |r, p| r.pos = p),
            "people" => read.list(items, &mut into.people, |r, p| r.pos = p),
            "organizations" => read.list(items, &mut into.organizations, |r, p| r.pos = p),
            "sources" => read.list(items, &mut into.sources, |r, p| r.pos = p),
            "claims" => read.list(items, &mut into.claims, |r, p| r.pos = p),
            "notes" => read.list(items, &mut into.notes, |r, p| r.pos = p),
            _ => read.list(items, &mut into.properties, |r, p| r.pos = p),
        }
    }
}

/// Reads the records of one list, each on its own.
struct Reader<'a> {
    file: &'a SourceFile,
    index: usize,
    diags: &'a mut Diagnostics,
    failed: &'a mut Failed,
}

impl Reader<'_> {
    fn list<T: serde::de::DeserializeOwned>(
        &mut self,
        items: &[yaml::Node],
        into: &mut Vec<T>,
        place: impl Fn(&mut T, RecordPos),
    ) {
        for item in items {
            match yaml::from_node::<T>(item) {
                Ok(mut record) => {
                    place(
                        &mut record,
                        record_pos(item, self.index, 0, &self.file.text),
                    );
                    into.push(record);
                }
                Err(err) => {
                    report_yaml(self.diags, self.file, 0, err);
                    if let Some(id) = item.get("id").and_then(yaml::Node::as_str) {
                        self.failed.ids.insert(id.to_string());
                    }
                }
            }
        }
    }
}

/// Parses a Markdown page: its front matter and its inline references.
pub fn parse_page(file: &SourceFile, index: usize, diags: &mut Diagnostics) -> Option<RawPage> {
    let text = &file.text;
    let (front, body_offset) = match markdown::split_front_matter(text) {
        Ok(Some((front_text, body))) => match parse_front(front_text, index) {
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
    let (front, front_pos) = front;
    let body = &text[body_offset..];
    let mut refs = Vec::new();
    let mut malformed = 0;
    let scanned = markdown::scan(body);
    for (run, run_start) in scanned.text_runs() {
        // Where each `[[` of the run stands in the body (smart punctuation and entities can
        // shift the run's text against the source), walked once: linear in the page.
        let mut in_body = body[run_start..]
            .match_indices("[[")
            .map(|(i, _)| body_offset + run_start + i);
        let mut counted = 0;
        for found in markdown::scan_refs(run) {
            let in_run = match &found {
                Ok(spec) => spec.range.start,
                Err(err) => err.offset,
            };
            let skipped = run
                .get(counted..in_run)
                .map_or(0, |t| t.matches("[[").count());
            counted = in_run + 2;
            let offset = in_body
                .nth(skipped)
                .unwrap_or(body_offset + run_start + in_run);
            match found {
                Ok(spec) => refs.push((spec, offset)),
                Err(err) => {
                    malformed += 1;
                    if malformed <= MAX_REF_ERRORS {
                        diags.error(
                            &Loc::at_offset(&file.rel, text, offset),
                            err.message,
                            Some(err.help),
                        );
                    }
                }
            }
        }
    }
    if malformed > MAX_REF_ERRORS {
        diags.error(
            &Loc::file(&file.rel),
            format!(
                "{} more malformed inline references not shown",
                malformed - MAX_REF_ERRORS
            ),
            Some("fix the ones above; the rest are likely the same mistake".into()),
        );
    }
    let located = (scanned.locate_refs().into_iter())
        .filter_map(Result::ok)
        .collect();
    Some(RawPage {
        file: index,
        front,
        front_pos,
        body_offset,
        refs,
        located,
    })
}

/// How many malformed inline references one page reports before it summarises the rest.
const MAX_REF_ERRORS: usize = 20;

/// Front matter (which starts on line 2, after the opening `---`) and its positions.
fn parse_front(text: &str, file: usize) -> Result<(RawFront, RecordPos), yaml::YamlError> {
    let tree = yaml::parse_tree(text)?;
    let front = match tree.value {
        yaml::Value::Null => yaml::from_node(&yaml::Node {
            value: yaml::Value::Map(Vec::new()),
            pos: tree.pos,
        })?,
        _ => yaml::from_node(&tree)?,
    };
    Ok((front, record_pos(&tree, file, 1, text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str, text: &str) -> SourceFile {
        SourceFile::from_text(rel, text)
    }

    /// What a parse through the cache gives, in a form to compare: records, pages and
    /// diagnostics.
    fn parsed(loaded: &Loaded, cache: Option<&mut Cache>) -> String {
        let mut diags = Diagnostics::new();
        let raw = parse_with(loaded, cache, &mut diags);
        let heads: Vec<String> = diags.sorted().iter().map(|d| d.headline()).collect();
        format!("{:?}\n{:?}\n{heads:?}", raw.records, raw.pages)
    }

    #[test]
    fn a_cached_parse_is_a_fresh_parse_and_keeps_only_the_current_files() {
        let records = file(
            "content/a.yaml",
            "countries:\n  - id: norland\n    name: Norland\n",
        );
        let bad = file("content/b.yaml", "countries: [\n");
        let page = |rel: &str, title: &str| {
            file(
                rel,
                &format!("---\ntitle: {title}\n---\nSee [[norland]] and [[nowhere\n"),
            )
        };
        let mut loaded = Loaded {
            records: vec![records.clone(), bad],
            pages: vec![page("content/p.md", "P"), page("content/q.md", "Q")],
            ..Loaded::default()
        };
        let mut cache = Cache::default();
        assert_eq!(parsed(&loaded, Some(&mut cache)), parsed(&loaded, None));
        let tree = Arc::clone(&cache.trees[&xxh3_128(records.text.as_bytes())]);
        // Unchanged files come from the cache, errors included.
        assert_eq!(parsed(&loaded, Some(&mut cache)), parsed(&loaded, None));
        assert!(Arc::ptr_eq(
            &tree,
            &cache.trees[&xxh3_128(records.text.as_bytes())]
        ));
        // A page before the others moves them: their positions must follow.
        loaded.pages.insert(0, page("content/a.md", "A"));
        loaded.pages[2] = page("content/q.md", "Q2");
        assert_eq!(parsed(&loaded, Some(&mut cache)), parsed(&loaded, None));
        loaded.records.pop();
        assert_eq!(parsed(&loaded, Some(&mut cache)), parsed(&loaded, None));
        assert_eq!((cache.trees.len(), cache.pages.len()), (1, 3));
    }

    #[test]
    fn records_know_their_lines() {
        let f = file(
            "c.yaml",
            "claims:\n  - id: a\n    subject: x\n    property: p\n    source: s\n    quote: q\n\n  - id: b\n    subject: x\n    property: p\n    source: s\n    quote: q\n",
        );
        let mut diags = Diagnostics::new();
        let mut raw = RawBriefing {
            files: vec![f.clone()],
            ..RawBriefing::default()
        };
        parse_record_file(&f, 0, &mut raw, &mut diags);
        let claims = &raw.records.claims;
        assert_eq!((claims[0].pos.first, claims[0].pos.last), (2, 6));
        assert_eq!((claims[1].pos.first, claims[1].pos.last), (8, 12));
        let source = claims[1].pos.field("source").expect("source");
        assert_eq!((source.line, source.col), (11, 13));
    }

    #[test]
    fn record_text_is_each_records_own_lines() {
        let text = "countries:\r\n  - id: a\r\n    name: q\r\n\r\n  - id: b\n    name: r\n  - id: c\n    name: s";
        let f = file("c.yaml", text);
        let loaded = Loaded {
            records: vec![f.clone()],
            ..Loaded::default()
        };
        let raw = parse(&loaded, &mut Diagnostics::new());
        let texts: Vec<String> = raw
            .records
            .countries
            .iter()
            .map(|c| raw.record_text(&c.pos))
            .collect();
        assert_eq!(
            texts,
            [
                "- id: a\n  name: q\n",
                "- id: b\n  name: r\n",
                "- id: c\n  name: s\n"
            ]
        );
        // Without the index (a briefing built by hand) the text is the same.
        let bare = RawBriefing {
            files: vec![f],
            ..RawBriefing::default()
        };
        let again: Vec<String> = raw
            .records
            .countries
            .iter()
            .map(|c| bare.record_text(&c.pos))
            .collect();
        assert_eq!(again, texts);
        assert_eq!(line_starts("a\n\nb\n"), [0, 2, 3]);
        assert!(line_starts("").is_empty());
    }

    #[test]
    fn one_bad_record_fails_alone() {
        let f = file(
            "c.yaml",
            "countries:\n  - id: a\n    name: A\n  - id: b\n    name: [B]\nclaimz:\n  - id: c\n",
        );
        let mut diags = Diagnostics::new();
        let mut raw = RawBriefing {
            files: vec![f.clone()],
            ..RawBriefing::default()
        };
        parse_record_file(&f, 0, &mut raw, &mut diags);
        assert_eq!(raw.records.countries.len(), 1);
        assert!(raw.failed.ids.contains("b"));
        let lines: Vec<_> = diags.sorted().iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(lines, vec![(5, 11), (6, 1)]);
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
