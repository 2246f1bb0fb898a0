//! Markdown pages: the YAML front matter, and the inline references (`[[id]]`,
//! `[[claim:id|text]]`, `[[discrepancy:id]]`) in the text outside code.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

/// Markdown extensions Dossier enables, the same for scanning and for rendering.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFront {
    pub title: String,
    pub entity: Option<String>,
    pub description: Option<String>,
}

/// What an inline reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Entity,
    Claim,
    Discrepancy,
}

/// One inline reference, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RefSpec {
    pub kind: RefKind,
    pub id: String,
    pub label: Option<String>,
    /// Byte range of `[[...]]` in the text that was scanned.
    pub range: Range<usize>,
}

/// A malformed reference: byte offset in the scanned text and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct RefError {
    pub offset: usize,
    pub message: String,
    pub help: String,
}

/// Splits `---\nYAML\n---\n` front matter from the body. Returns (front matter text, byte offset
/// of the body). `Err` carries the offset of the opening fence when it is never closed.
pub fn split_front_matter(text: &str) -> Result<Option<(&str, usize)>, usize> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Ok(None);
    };
    let start = text.len() - rest.len();
    let mut pos = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body = start + pos + line.len();
            return Ok(Some((&rest[..pos], body)));
        }
        pos += line.len();
    }
    Err(0)
}

/// Finds the references in a run of Markdown text.
pub fn scan_refs(text: &str) -> Vec<Result<RefSpec, RefError>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("[[") {
        let start = from + i;
        let Some(len) = text[start + 2..].find("]]") else {
            found.push(Err(RefError {
                offset: start,
                message: "inline reference `[[` is never closed".into(),
                help: "close it with `]]`; for literal brackets, put them in a code span (`[[`)"
                    .into(),
            }));
            break;
        };
        let inner = &text[start + 2..start + 2 + len];
        let end = start + 2 + len + 2;
        found.push(parse_ref(inner, start..end));
        from = end;
    }
    found
}

fn parse_ref(inner: &str, range: Range<usize>) -> Result<RefSpec, RefError> {
    let (target, label) = match inner.split_once('|') {
        Some((t, l)) => (t.trim(), Some(l.trim().to_string())),
        None => (inner.trim(), None),
    };
    let (kind, id) = match target.split_once(':') {
        Some(("claim", id)) => (RefKind::Claim, id),
        Some(("discrepancy", id)) => (RefKind::Discrepancy, id),
        Some((prefix, _)) => {
            return Err(RefError {
                offset: range.start,
                message: format!("unknown reference prefix `{prefix}:`"),
                help: "use `[[id]]`, `[[claim:id]]` or `[[discrepancy:id]]`".into(),
            });
        }
        None => (RefKind::Entity, target),
    };
    if !is_slug(id) {
        return Err(RefError {
            offset: range.start,
            message: format!("malformed inline reference `[[{inner}]]`"),
            help: "ids are lowercase letters, digits and dashes, as in `[[karolis-aleksa]]`".into(),
        });
    }
    if label.as_deref() == Some("") {
        return Err(RefError {
            offset: range.start,
            message: format!("empty label in `[[{inner}]]`"),
            help: "write text after `|`, or drop the `|`".into(),
        });
    }
    Ok(RefSpec {
        kind,
        id: id.to_string(),
        label,
        range,
    })
}

/// Whether `s` is a valid id: lowercase ASCII letters, digits and single dashes. (Ids Dossier
/// makes join ids with `--`, which no valid id contains.)
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The prose of a Markdown body (outside code), in runs, from one walk of its events.
pub struct Scan {
    runs: Vec<Run>,
}

/// [`Scan::locate_refs`] of `body`.
pub fn locate_refs(body: &str) -> Vec<Result<RefSpec, RefError>> {
    scan(body).locate_refs()
}

impl Scan {
    /// The runs of prose text (outside code), as (text, byte offset in the body where the
    /// run starts). Consecutive text events are one run, as the renderer sees them:
    /// pulldown-cmark splits text at escapes and brackets.
    pub fn text_runs(&self) -> impl Iterator<Item = (&str, usize)> {
        (self.runs.iter()).map(|run| {
            let start = run.pieces.first().map_or(0, |p| p.source.start);
            (run.text.as_str(), start)
        })
    }

    /// The references outside code, located in the body itself: a reference's range runs
    /// from its `[[` to its `]]` in the source (escapes and entities inside it included), an
    /// error's offset is where its `[[` is. The same references, in the same order, as
    /// [`scan_refs`] finds in each of the [`Scan::text_runs`].
    pub fn locate_refs(&self) -> Vec<Result<RefSpec, RefError>> {
        let mut found = Vec::new();
        for run in &self.runs {
            for r in scan_refs(&run.text) {
                found.push(match r {
                    Ok(mut spec) => {
                        let start = run.source(spec.range.start, false);
                        let end = run.source(spec.range.end, true);
                        spec.range = start..end.max(start);
                        Ok(spec)
                    }
                    Err(mut err) => {
                        err.offset = run.source(err.offset, false);
                        Err(err)
                    }
                });
            }
        }
        found
    }
}

/// A run of text events, and where each of them came from.
struct Run {
    text: String,
    pieces: Vec<Piece>,
}

/// One text event of a run.
struct Piece {
    /// Where it starts in the run's text.
    at: usize,
    /// Its bytes in the body.
    source: Range<usize>,
    /// Whether its text is those bytes (not an escape, an entity or a smart quote).
    verbatim: bool,
}

impl Run {
    /// The offset in the body of byte `at` of the run's text: of the byte before it when `end`
    /// (an exclusive end). Inside a piece that is not verbatim, its start (or end).
    fn source(&self, at: usize, end: bool) -> usize {
        let probe = if end { at.saturating_sub(1) } else { at };
        let i = self.pieces.partition_point(|p| p.at <= probe);
        let Some(piece) = i.checked_sub(1).and_then(|i| self.pieces.get(i)) else {
            return 0;
        };
        match (piece.verbatim, end) {
            (true, _) => piece.source.start + at.saturating_sub(piece.at),
            (false, false) => piece.source.start,
            (false, true) => piece.source.end,
        }
    }
}

/// The one walk of a body's events that finds its prose.
pub fn scan(body: &str) -> Scan {
    let mut runs: Vec<Run> = Vec::new();
    let mut in_code = false;
    let mut after_text = false;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) if !in_code => {
                let verbatim = body.get(range.clone()) == Some(&*text);
                let mut piece = Piece {
                    at: 0,
                    source: range,
                    verbatim,
                };
                match runs.last_mut() {
                    Some(run) if after_text => {
                        piece.at = run.text.len();
                        run.text.push_str(&text);
                        run.pieces.push(piece);
                    }
                    _ => runs.push(Run {
                        text: text.into_string(),
                        pieces: vec![piece],
                    }),
                }
                after_text = true;
                continue;
            }
            _ => {}
        }
        after_text = false;
    }
    Scan { runs }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split() {
        let text = "---\ntitle: X\n---\nBody\n";
        let (front, body) = split_front_matter(text).expect("closed").expect("present");
        assert_eq!(front, "title: X\n");
        assert_eq!(&text[body..], "Body\n");
        assert_eq!(split_front_matter("---\ntitle: X\n"), Err(0));
        assert_eq!(split_front_matter("No front matter"), Ok(None));
    }

    #[test]
    fn references_of_every_kind() {
        let refs = scan_refs("See [[lithuania]], [[claim:c-1|next year]] and [[discrepancy:d]].");
        let refs: Vec<RefSpec> = refs.into_iter().map(|r| r.expect("valid")).collect();
        assert_eq!(refs[0].kind, RefKind::Entity);
        assert_eq!(refs[0].id, "lithuania");
        assert_eq!(refs[1].kind, RefKind::Claim);
        assert_eq!(refs[1].label.as_deref(), Some("next year"));
        assert_eq!(refs[2].kind, RefKind::Discrepancy);
    }

    #[test]
    fn malformed_references_are_located() {
        let errs = scan_refs("ok [[Not An Id]] then [[open");
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].as_ref().expect_err("bad id").offset, 3);
        assert_eq!(errs[1].as_ref().expect_err("unclosed").offset, 22);
        assert!(scan_refs("[[foo:bar]]")[0].is_err());
    }

    #[test]
    fn escaped_pipes_keep_a_reference_whole() {
        let scanned = scan("| a |\n|---|\n| [[x\\|y]] |\n");
        let runs: Vec<_> = scanned.text_runs().collect();
        let refs = scan_refs(runs[1].0);
        assert_eq!(refs[0].as_ref().map(|r| r.label.as_deref()), Ok(Some("y")));
    }

    #[test]
    fn references_in_code_are_ignored() {
        let scanned = scan("Text [[a]]\n\n```\n[[b]]\n```\n\n`[[c]]`\n");
        let all: String = scanned.text_runs().map(|(t, _)| t).collect();
        assert!(all.contains("[[a]]"));
        assert!(!all.contains("[[b]]") && !all.contains("[[c]]"));
    }

    /// The source text of each located reference.
    fn located(body: &str) -> Vec<&str> {
        locate_refs(body)
            .into_iter()
            .map(|r| &body[r.expect("valid").range])
            .collect()
    }

    #[test]
    fn references_are_located_in_the_source() {
        let body = "Žemė – “see” [[lithuania]] and [[claim:c-1|ąžuolas]] ✓ [[discrepancy:d]]\n";
        assert_eq!(
            located(body),
            [
                "[[lithuania]]",
                "[[claim:c-1|ąžuolas]]",
                "[[discrepancy:d]]"
            ]
        );
    }

    #[test]
    fn crlf_lines_keep_their_offsets() {
        let body = "---\r\nnot front matter\r\n\r\nŁódź\r\nthen [[a]]\r\n\r\n> ü [[b|x]]\r\n";
        let refs: Vec<RefSpec> = locate_refs(body)
            .into_iter()
            .map(|r| r.expect("valid"))
            .collect();
        assert_eq!(refs.len(), 2);
        assert_eq!(&body[refs[0].range.clone()], "[[a]]");
        assert_eq!(&body[refs[1].range.clone()], "[[b|x]]");
        assert_eq!(refs[1].label.as_deref(), Some("x"));
    }

    #[test]
    fn escapes_and_entities_inside_a_reference_are_part_of_it() {
        // In a table `\|` keeps the cell whole; `&#91;` is a `[`; the text of `\[` is its `[`
        // alone, so the backslash stays outside.
        let body = "| a |\n|---|\n| é [[x\\|y]] |\n\n&#91;[b]] and \\[[c]]\n";
        assert_eq!(located(body), ["[[x\\|y]]", "&#91;[b]]", "[[c]]"]);
    }

    #[test]
    fn located_errors_point_at_their_brackets() {
        let body = "ä [[Bad Id]]\n\nö [[open\n";
        let offsets: Vec<usize> = locate_refs(body)
            .into_iter()
            .map(|r| r.expect_err("malformed").offset)
            .collect();
        assert_eq!(
            offsets,
            [
                body.find("[[Bad").unwrap_or(0),
                body.find("[[open").unwrap_or(0)
            ]
        );
    }

    #[test]
    fn located_references_are_those_of_the_runs() {
        let body =
            "A [[a]] `[[b]]`\n\n```\n[[c]]\n```\n\n    [[d]]\n\n[*[[e]]*](x) [[Bad]] [[f|g]]\n";
        let scanned: Vec<_> = (scan(body).text_runs())
            .flat_map(|(run, _)| scan_refs(run))
            .map(|r| r.map(|s| (s.kind, s.id, s.label)).map_err(|e| e.message))
            .collect();
        let found: Vec<_> = locate_refs(body)
            .into_iter()
            .map(|r| r.map(|s| (s.kind, s.id, s.label)).map_err(|e| e.message))
            .collect();
        assert_eq!(found, scanned);
        assert_eq!(located_ok(body), ["[[a]]", "[[e]]", "[[f|g]]"]);
    }

    fn located_ok(body: &str) -> Vec<&str> {
        locate_refs(body)
            .into_iter()
            .filter_map(Result::ok)
            .map(|r| &body[r.range])
            .collect()
    }
}
