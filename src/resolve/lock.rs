//! `content/verified.lock`: which quotes were found in which documents, so that a reader
//! without the documents (they may not be redistributable) can confirm that no quote changed
//! since it was verified.
//!
//! The file is YAML, written by Dossier in one fixed layout so that it diffs well: the sources
//! by id, each with its document's name, SHA-256 and the date it was last verified, and one
//! line per quote (by claim id) with the SHA-256 of the quote's normalised text
//! ([`super::quotes::squash`]) and the byte offset where the document has it.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, de};

use crate::diag::{Diagnostics, Loc};
use crate::model::Date;
use crate::parse::markdown::is_slug;
use crate::yaml;

/// Where the lock lives, relative to the briefing folder.
pub const LOCK_FILE: &str = "content/verified.lock";

/// The only version of the format so far.
const VERSION: u32 = 1;

/// The lock's content: sources sorted by id, each source's quotes by claim id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lock {
    pub sources: Vec<LockedSource>,
}

/// One source whose quotes were verified against its document.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedSource {
    pub source: String,
    /// The file name, as the source's `document:` gives it.
    pub document: String,
    /// SHA-256 of the document's bytes, lowercase hex.
    #[serde(deserialize_with = "sha256")]
    pub sha256: String,
    /// When these quotes were last verified against this document.
    #[serde(deserialize_with = "date")]
    pub verified: Date,
    #[serde(default)]
    pub quotes: Vec<LockedQuote>,
}

/// One quote found in a document.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedQuote {
    pub claim: String,
    /// SHA-256 of the quote's normalised text, lowercase hex.
    #[serde(deserialize_with = "sha256")]
    pub sha256: String,
    /// Byte offset of the quote in the document.
    pub offset: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLock {
    #[serde(deserialize_with = "version")]
    #[allow(dead_code)]
    version: u32,
    #[serde(default)]
    sources: Vec<LockedSource>,
}

/// What reading the lock found.
#[derive(Debug, Clone)]
pub enum Read {
    /// There is no lock file.
    Absent,
    /// The lock file could not be used (reported as a warning); its text, when it was read.
    Unusable,
    Found {
        lock: Lock,
        text: String,
    },
}

/// Reads `ROOT/content/verified.lock`; a lock that cannot be used is a located warning.
pub fn read(root: &Path, diags: &mut Diagnostics) -> Read {
    let path = root.join(LOCK_FILE);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return Read::Absent;
    };
    let help = Some(format!(
        "run `dossier check` with the sources' documents at hand to write {LOCK_FILE} again"
    ));
    // Like every file of `content/`, a link is followed only while it stays in the briefing.
    if meta.file_type().is_symlink() {
        let inside = match (std::fs::canonicalize(root), std::fs::canonicalize(&path)) {
            (Ok(real_root), Ok(target)) => target.starts_with(&real_root),
            _ => false,
        };
        if !inside {
            diags.warning(
                &Loc::file(LOCK_FILE),
                "it is a symbolic link that leads outside the briefing folder, so it is not read",
                Some("replace the link with the file it leads to".into()),
            );
            return Read::Unusable;
        }
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            diags.warning(
                &Loc::file(LOCK_FILE),
                format!("cannot read it: {err}"),
                help,
            );
            return Read::Unusable;
        }
    };
    match parse(&text) {
        Ok(lock) => Read::Found { lock, text },
        Err(err) => {
            let source: Arc<str> = Arc::from(text.as_str());
            let loc = Loc {
                file: LOCK_FILE.into(),
                line: err.line,
                col: err.col,
                source: Some(source),
            };
            diags.warning(
                &loc,
                format!("this lock cannot be used: {}", err.message),
                help,
            );
            Read::Unusable
        }
    }
}

/// Parses a lock's text; sources and quotes come out sorted, and may not repeat.
pub fn parse(text: &str) -> Result<Lock, yaml::YamlError> {
    let tree = yaml::parse_tree(text)?;
    let raw: RawLock = match tree.value {
        yaml::Value::Null => {
            return Err(yaml::YamlError {
                message: "the file is empty".into(),
                line: 1,
                col: 1,
                help: None,
            });
        }
        _ => yaml::from_node(&tree)?,
    };
    // A repeated source or claim: said at its second appearance.
    let mut seen_sources = std::collections::HashSet::new();
    let mut seen_claims = std::collections::HashSet::new();
    let items = tree.get("sources").map_or(&[][..], |n| match &n.value {
        yaml::Value::Seq(items) => items.as_slice(),
        _ => &[],
    });
    for (s, node) in raw.sources.iter().zip(items) {
        if !seen_sources.insert(s.source.as_str()) {
            return Err(repeated("source", &s.source, node.get("source")));
        }
        let quotes = node.get("quotes").map_or(&[][..], |n| match &n.value {
            yaml::Value::Seq(items) => items.as_slice(),
            _ => &[],
        });
        for (q, qnode) in s.quotes.iter().zip(quotes) {
            if !seen_claims.insert(q.claim.as_str()) {
                return Err(repeated("claim", &q.claim, qnode.get("claim")));
            }
        }
    }
    let mut lock = Lock {
        sources: raw.sources,
    };
    lock.sort();
    Ok(lock)
}

fn repeated(what: &str, id: &str, node: Option<&yaml::Node>) -> yaml::YamlError {
    let pos = node.map(|n| n.pos).unwrap_or_default();
    yaml::YamlError {
        message: format!("{what} `{id}` appears twice"),
        line: pos.line.max(1),
        col: pos.col.max(1),
        help: None,
    }
}

impl Lock {
    /// Sorts sources by id and each source's quotes by claim id: the written order.
    pub fn sort(&mut self) {
        self.sources.sort_by(|a, b| a.source.cmp(&b.source));
        for s in &mut self.sources {
            s.quotes.sort_by(|a, b| a.claim.cmp(&b.claim));
        }
    }

    /// The file's text: a header saying what it is, then one line per quote.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# Quotes verified against the sources' documents, for readers who do not have them.\n\
             # Written by `dossier check` when the documents are at hand: do not edit it by hand.\n\
             # Per source: its document's SHA-256 and when it was verified; per quote (claim id):\n\
             # the SHA-256 of its normalised text and its byte offset in the document.\n",
        );
        let _ = writeln!(out, "version: {VERSION}");
        if self.sources.is_empty() {
            out.push_str("sources: []\n");
            return out;
        }
        out.push_str("sources:\n");
        // Hashes are quoted: one made only of digits would read as a number.
        for s in &self.sources {
            let _ = writeln!(out, "  - source: {}", scalar(&s.source));
            let _ = writeln!(out, "    document: {}", quoted(&s.document));
            let _ = writeln!(out, "    sha256: \"{}\"", s.sha256);
            let _ = writeln!(out, "    verified: {}", s.verified);
            if s.quotes.is_empty() {
                out.push_str("    quotes: []\n");
                continue;
            }
            out.push_str("    quotes:\n");
            for q in &s.quotes {
                let _ = writeln!(
                    out,
                    "      - {{claim: {}, sha256: \"{}\", offset: {}}}",
                    scalar(&q.claim),
                    q.sha256,
                    q.offset
                );
            }
        }
        out
    }
}

/// An id as a plain scalar when it is a slug (always, in a briefing that checks), else quoted.
fn scalar(id: &str) -> String {
    if is_slug(id) && id.parse::<f64>().is_err() && !matches!(id, "null" | "true" | "false") {
        id.to_string()
    } else {
        quoted(id)
    }
}

/// A double-quoted YAML scalar: JSON's string escapes are YAML's.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn sha256<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(s)
    } else {
        Err(de::Error::custom(format!(
            "`{s}` is not a SHA-256: expected 64 lowercase hexadecimal digits"
        )))
    }
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let s = String::deserialize(d)?;
    Date::parse(&s)
        .ok_or_else(|| de::Error::custom(format!("`{s}` is not a date: expected YYYY-MM-DD")))
}

fn version<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = u32::deserialize(d)?;
    if v == VERSION {
        Ok(v)
    } else {
        Err(de::Error::custom(format!(
            "version {v} is not known: this Dossier reads and writes version {VERSION}"
        )))
    }
}

/// Today's date (UTC), or that of `SOURCE_DATE_EPOCH` (seconds since 1970) when it is set, for
/// reproducible locks.
pub fn today() -> Date {
    let from_env = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    let secs = from_env.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
    });
    civil_from_days(secs.div_euclid(86_400))
}

/// The calendar date `days` days after 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: i32::try_from(year).unwrap_or(i32::MAX),
        month: u8::try_from(month).unwrap_or(1),
        day: u8::try_from(day).unwrap_or(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Lock {
        Lock {
            sources: vec![LockedSource {
                source: "src-a".into(),
                document: "a: \"b\".txt".into(),
                sha256: "ab".repeat(32),
                verified: Date {
                    year: 2025,
                    month: 7,
                    day: 12,
                },
                quotes: vec![
                    LockedQuote {
                        claim: "claim-1".into(),
                        sha256: "01".repeat(32),
                        offset: 17,
                    },
                    LockedQuote {
                        claim: "claim-2".into(),
                        sha256: "cd".repeat(32),
                        offset: 0,
                    },
                ],
            }],
        }
    }

    #[test]
    fn render_and_parse_round_trip() {
        let lock = sample();
        let text = lock.render();
        assert!(
            text.contains("      - {claim: claim-1, sha256: \"0101"),
            "{text}"
        );
        assert!(text.contains("document: \"a: \\\"b\\\".txt\""), "{text}");
        assert_eq!(parse(&text).expect("parses"), lock);
        let empty = Lock::default();
        assert_eq!(parse(&empty.render()).expect("parses"), empty);
    }

    #[test]
    fn parse_sorts_and_refuses_repeats() {
        let text = "version: 1\nsources:\n  - source: b\n    document: b.txt\n    sha256: \
                    0000000000000000000000000000000000000000000000000000000000000000\n    \
                    verified: 2025-07-12\n    quotes:\n      - {claim: z, sha256: \
                    0000000000000000000000000000000000000000000000000000000000000000, offset: 3}\n      \
                    - {claim: y, sha256: \
                    0000000000000000000000000000000000000000000000000000000000000000, offset: 1}\n";
        let lock = parse(text).expect("parses");
        assert_eq!(lock.sources[0].quotes[0].claim, "y");
        let twice = text.replace("claim: y", "claim: z");
        let err = parse(&twice).expect_err("a repeated claim");
        assert_eq!(err.message, "claim `z` appears twice");
        assert_eq!(err.line, 9);
    }

    #[test]
    fn bad_values_are_located() {
        let text = sample().render().replace(&"cd".repeat(32), "nothex");
        let err = parse(&text).expect_err("bad hash");
        assert!(err.message.contains("is not a SHA-256"), "{}", err.message);
        assert_eq!(err.line, 13);
        let err = parse("version: 2\n").expect_err("unknown version");
        assert!(err.message.contains("version 2 is not known"));
        assert!(parse("").is_err());
        assert!(parse("version: 1\nextra: 1\n").is_err());
    }

    #[test]
    fn days_become_dates() {
        let d = |days| civil_from_days(days).to_string();
        assert_eq!(d(0), "1970-01-01");
        assert_eq!(d(11_016), "2000-02-29");
        assert_eq!(d(19_723), "2024-01-01");
        assert_eq!(d(-1), "1969-12-31");
    }

    #[test]
    fn sha256_of_nothing() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
