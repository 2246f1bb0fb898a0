//! The only module that touches serde_yaml (unmaintained upstream), so that it can be swapped.
//!
//! It parses YAML into the `Raw*` structs of the parse stage and turns serde_yaml's errors into
//! located messages with a suggestion. It also finds where a record or a field starts, by a
//! light line scan: serde_yaml keeps no positions of values, and block-style records (which the
//! format asks for) put each `- ` item and each `key:` at the start of its own line.

use serde::de::DeserializeOwned;

/// A YAML problem with a 1-based position.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub col: usize,
    pub help: Option<String>,
}

/// Parses `text` into `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|err| {
        let (line, col) = err
            .location()
            .map_or((1, 1), |l| (l.line(), l.column().max(1)));
        let message = err.to_string();
        // serde_yaml appends " at line L column C"; we show the position ourselves.
        let message = match message.rfind(" at line ") {
            Some(i) if message.matches(" at line ").count() == 1 => message[..i].to_string(),
            _ => message,
        };
        let help = help_for(&message);
        YamlError {
            message,
            line,
            col,
            help,
        }
    })
}

/// What to do about a serde_yaml message.
fn help_for(message: &str) -> Option<String> {
    // serde_yaml puts the path first (`claims[3].source: ...`).
    let message = message
        .split_once(": ")
        .filter(|(path, _)| !path.contains(' '))
        .map_or(message, |(_, rest)| rest);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`')?;
        let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return Some(
            match crate::diag::did_you_mean(field, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("remove `{field}`; allowed fields: {}", names.join(", ")),
            },
        );
    }
    if message.starts_with("missing field") {
        return Some("add the field to this record".into());
    }
    if message.contains("duplicate entry") || message.starts_with("duplicate field") {
        return Some("a key may appear once per mapping: remove or rename one of them".into());
    }
    if message.starts_with("invalid type") {
        return Some("change the value to the type the message expects".into());
    }
    if message.contains("recursion limit") {
        return Some("the document nests too deeply; flatten it".into());
    }
    None
}

/// The 1-based lines where the items of the top-level list `key:` start (`- ` at the items'
/// indentation). Block style is assumed; for flow style the list is empty.
pub fn item_lines(text: &str, key: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut inside = false;
    let mut indent = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let this_indent = line.len() - trimmed.len();
        if this_indent == 0 && !trimmed.starts_with('-') {
            inside = trimmed
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'));
            indent = None;
            continue;
        }
        if !inside || !(trimmed.starts_with("- ") || trimmed == "-") {
            continue;
        }
        match indent {
            None => {
                indent = Some(this_indent);
                lines.push(i + 1);
            }
            Some(n) if n == this_indent => lines.push(i + 1),
            _ => {}
        }
    }
    lines
}

/// The 1-based line of the top-level `key:`.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// The position (1-based line, column) of the value of `key:` between lines `first` and `last`
/// (inclusive, 1-based), or of the key itself when the value is on the next lines.
pub fn field_position(text: &str, first: usize, last: usize, key: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate().skip(first.saturating_sub(1)) {
        if i + 1 > last {
            break;
        }
        let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
        let Some(rest) = trimmed.strip_prefix(key) else {
            continue;
        };
        let Some(after_colon) = rest.strip_prefix(':') else {
            continue;
        };
        let key_col = line.len() - trimmed.len();
        let value = after_colon.trim_start();
        let col = if value.is_empty() || value.starts_with('#') {
            key_col
        } else {
            line.len() - value.len()
        };
        return Some((i + 1, line[..col].chars().count() + 1));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rec {
        id: String,
        title: Option<String>,
        year: Option<u16>,
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let err = parse::<Vec<Rec>>("- id: a\n  titel: x\n").expect_err("unknown field");
        assert_eq!(err.line, 2);
        assert_eq!(err.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn wrong_type_is_located() {
        let err = parse::<Vec<Rec>>("- id: a\n  year: twenty\n").expect_err("wrong type");
        assert_eq!((err.line, err.col), (2, 9));
        assert!(err.message.contains("invalid type"), "{}", err.message);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse::<Vec<Rec>>("- id: a\n  id: b\n").expect_err("duplicate");
        assert!(err.message.contains("duplicate"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse::<serde::de::IgnoredAny>(&deep).is_err());
    }

    #[test]
    fn finds_items_and_fields() {
        let text =
            "claims:\n  - id: a\n    source: x\n\n  - id: b\n    source: y\nsources:\n  - id: s\n";
        assert_eq!(item_lines(text, "claims"), vec![2, 5]);
        assert_eq!(item_lines(text, "sources"), vec![8]);
        assert_eq!(field_position(text, 5, 6, "source"), Some((6, 13)));
        assert_eq!(field_position(text, 2, 4, "id"), Some((2, 9)));
    }
}
