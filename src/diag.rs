//! Diagnostics: located content problems, collected so that one run reports them all.
//!
//! Every stage pushes into a [`Diagnostics`] collector instead of returning at the first problem.
//! A diagnostic names the file (relative to the briefing folder), the line and column (both
//! 1-based), what is wrong and, where we know it, how to fix it.

use std::fmt::Write as _;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

/// How bad a problem is: errors fail the build, warnings are reported and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One located problem.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the briefing folder, with `/` separators (or `<built-in>/...`).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    pub message: String,
    pub help: Option<String>,
    /// The problem made a whole file unreadable: it is reported before everything else, since
    /// other problems may follow from it.
    #[serde(skip)]
    pub file_failed: bool,
    /// The file's text, for the snippet under the message.
    #[serde(skip)]
    pub source: Option<Arc<str>>,
}

impl Diagnostic {
    /// The first line of the report: `path:line:col: error: message`, the shape editors and
    /// terminals recognise.
    pub fn headline(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line == 0 {
            format!("{}: {severity}: {}", self.file, self.message)
        } else {
            format!(
                "{}:{}:{}: {severity}: {}",
                self.file, self.line, self.col, self.message
            )
        }
    }

    /// The headline, the source snippet with a caret, and the help.
    pub fn render(&self, color: bool) -> String {
        let mut out = self.headline();
        out.push('\n');
        if let Some(snippet) = self.snippet(color) {
            out.push_str(&snippet);
        } else if let Some(help) = &self.help {
            let _ = writeln!(out, "  help: {help}");
        }
        out
    }

    fn snippet(&self, color: bool) -> Option<String> {
        let source = self.source.as_ref()?;
        if self.line == 0 {
            return None;
        }
        let offset = offset_of(source, self.line, self.col)?;
        let len = source[offset..]
            .chars()
            .next()
            .map_or(0, |c| if c == '\n' { 0 } else { c.len_utf8() });
        let mut diag = MietteDiagnostic::new(self.message.clone())
            .with_label(LabeledSpan::at(offset..offset + len, "here"));
        if let Some(help) = &self.help {
            diag = diag.with_help(help.clone());
        }
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let report = miette::Report::new(diag)
            .with_source_code(NamedSource::new(&self.file, source.to_string()));
        let mut out = String::new();
        GraphicalReportHandler::new_themed(theme)
            .with_context_lines(1)
            .render_report(&mut out, report.as_ref())
            .ok()?;
        Some(out)
    }
}

/// Byte offset of a 1-based line and column (column counted in characters).
pub fn offset_of(text: &str, line: usize, col: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &text[line_start..];
    let in_line = rest
        .char_indices()
        .take_while(|(_, c)| *c != '\n')
        .nth(col.saturating_sub(1))
        .map_or_else(|| rest.find('\n').unwrap_or(rest.len()), |(i, _)| i);
    Some(line_start + in_line)
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before, |i| &before[i + 1..])
        .chars()
        .count()
        + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where something came from: a file (with its text, for snippets) and a 1-based position.
#[derive(Debug, Clone)]
pub struct Loc {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub source: Option<Arc<str>>,
}

impl Loc {
    /// A location inside `source` at byte `offset`.
    pub fn at_offset(file: &str, source: &Arc<str>, offset: usize) -> Self {
        let (line, col) = line_col(source, offset);
        Loc {
            file: file.to_string(),
            line,
            col,
            source: Some(source.clone()),
        }
    }

    /// The file as a whole.
    pub fn file(file: &str) -> Self {
        Loc {
            file: file.to_string(),
            line: 0,
            col: 0,
            source: None,
        }
    }
}

/// The collector every stage writes to.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn error(&mut self, loc: &Loc, message: impl Into<String>, help: Option<String>) {
        self.push(Severity::Error, loc, message.into(), help);
    }

    pub fn warning(&mut self, loc: &Loc, message: impl Into<String>, help: Option<String>) {
        self.push(Severity::Warning, loc, message.into(), help);
    }

    /// An error that makes the whole file unreadable; reported first.
    pub fn file_failed(&mut self, loc: &Loc, message: impl Into<String>, help: Option<String>) {
        self.push(Severity::Error, loc, message.into(), help);
        if let Some(last) = self.items.last_mut() {
            last.file_failed = true;
        }
    }

    /// Takes `other`'s diagnostics (a stage that ran in parallel, each part with its own).
    pub fn append(&mut self, mut other: Diagnostics) {
        self.items.append(&mut other.items);
    }

    fn push(&mut self, severity: Severity, loc: &Loc, message: String, help: Option<String>) {
        self.items.push(Diagnostic {
            severity,
            file: loc.file.clone(),
            line: loc.line,
            col: loc.col,
            message,
            help,
            file_failed: false,
            source: loc.source.clone(),
        });
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// All diagnostics: files that could not be read first, then errors, then warnings, each
    /// by file and position, so output is stable.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (
                !a.file_failed,
                a.severity,
                &a.file,
                a.line,
                a.col,
                &a.message,
            )
                .cmp(&(
                    !b.file_failed,
                    b.severity,
                    &b.file,
                    b.line,
                    b.col,
                    &b.message,
                ))
        });
        items
    }
}

/// The id among `candidates` closest to `wanted`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(wanted, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Help for a value that must be one of `allowed`: the closest one, or the whole list.
pub fn one_of(wanted: &str, allowed: &[&str]) -> String {
    match did_you_mean(wanted, allowed.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("use one of: {}", allowed.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_round_trip() {
        let text = "a: 1\nbé: 2\nc: 3\n";
        let off = offset_of(text, 2, 3).expect("line 2 exists");
        assert_eq!(&text[off..off + 1], ":");
        assert_eq!(line_col(text, off), (2, 3));
    }

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["reuters", "lithuania", "finland"];
        assert_eq!(did_you_mean("reutrs", ids), Some("reuters"));
        assert_eq!(did_you_mean("xyz", ids), None);
    }

    #[test]
    fn headline_names_file_line_and_column() {
        let mut diags = Diagnostics::new();
        let src: Arc<str> = Arc::from("x: 1\ny: 2\n");
        diags.error(
            &Loc::at_offset("a.yaml", &src, 5),
            "bad",
            Some("fix".into()),
        );
        let d = diags.sorted()[0];
        assert_eq!(d.headline(), "a.yaml:2:1: error: bad");
        assert!(d.render(false).contains("help: fix"));
    }
}
