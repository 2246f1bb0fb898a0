//! Quotes checked against the sources' documents: verbatim, and not from page furniture.
//!
//! Where a source's document is not at hand (a clone of the briefing's repository, whose
//! documents may not be redistributable), its quotes are checked against
//! `content/verified.lock` instead ([`super::lock`]): a quote whose normalised text is the one
//! the lock says was found in the document is still verified, one that changed since (or a
//! claim the lock does not know) is a located warning. `dossier check` writes the lock when it
//! passes and the lock's content changed ([`Verification::save`]).

use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::model::{ClaimId, Date, Details, EntityId, Model, Target, plain_quotes};
use crate::parse::RawBriefing;

use super::ResolveOptions;
use super::lock::{self, LOCK_FILE, Lock, LockedQuote, LockedSource};

/// How one claim's quote was verified: [`Verification::claims`] holds one per claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum QuoteCheck {
    /// Found verbatim (outside the source's `noise:`) in its document, read in this run.
    Verified {
        /// SHA-256 of the document's bytes, lowercase hex.
        document_sha256: String,
        /// When it was first verified in this form (the lock's date; today when new).
        on: Date,
    },
    /// The document is not at hand, and the quote is the one `content/verified.lock` says was
    /// found in the document with this SHA-256 on `on`.
    Locked { document_sha256: String, on: Date },
    /// The document is not at hand, and the quote (or the source it is attributed to) changed
    /// since the lock recorded it: not verified (a warning).
    Changed,
    /// The document is not at hand, and the lock has no entry for the claim (a new claim, or
    /// no usable lock): not verified (a warning).
    NotLocked,
    /// The source names no `document:`: not verified.
    NoDocument,
    /// The document is at hand and the quote is not in it, or only in its page furniture (an
    /// error).
    NotFound,
}

impl QuoteCheck {
    /// Whether the quote is known to be in its document: read now, or as the lock records.
    pub fn is_verified(&self) -> bool {
        matches!(self, Self::Verified { .. } | Self::Locked { .. })
    }

    /// The SHA-256 of the document the quote was found in, when it was.
    pub fn document_sha256(&self) -> Option<&str> {
        match self {
            Self::Verified {
                document_sha256, ..
            }
            | Self::Locked {
                document_sha256, ..
            } => Some(document_sha256),
            _ => None,
        }
    }

    /// When the quote was verified against its document, when it was.
    pub fn verified_on(&self) -> Option<Date> {
        match self {
            Self::Verified { on, .. } | Self::Locked { on, .. } => Some(*on),
            _ => None,
        }
    }
}

/// The `documents:` folder of dossier.yaml.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum DocumentsFolder {
    /// Not set (or dossier.yaml could not be read).
    #[default]
    NotSet,
    Present,
    /// Set, as written here, but not a folder.
    Missing(String),
}

/// What the quote check found: per claim, and for the lock. Kept in
/// `model.config.verification`.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// Per claim, indexed like `Model::claims` (use [`Verification::of`]).
    pub claims: Vec<QuoteCheck>,
    /// Ids of the sources that make claims but whose document was not at hand, in record
    /// order.
    pub without_documents: Vec<String>,
    pub folder: DocumentsFolder,
    /// Whether this run (a `check`) wrote `content/verified.lock`.
    pub lock_written: bool,
    /// Whether a quote was verified against a document in this run.
    verified_now: bool,
    /// Whether a lock file was there.
    lock_present: bool,
    /// The lock's new text, when it differs from the file and may replace it.
    pending: Option<String>,
}

impl Verification {
    /// How a claim's quote was verified.
    pub fn of(&self, claim: ClaimId) -> Option<&QuoteCheck> {
        self.claims.get(claim.0)
    }

    /// Whether `content/verified.lock` no longer says what this run verified.
    pub fn lock_is_stale(&self) -> bool {
        self.verified_now && self.pending.is_some()
    }

    /// How many of the sources without a document [`Verification::summary`] names.
    const NAMED: usize = 5;

    /// The one line `check` and `build` print: how many quotes were verified and how.
    pub fn summary(&self) -> Option<String> {
        if self.claims.is_empty() {
            return None;
        }
        let now = (self.claims.iter())
            .filter(|c| matches!(c, QuoteCheck::Verified { .. }))
            .count();
        let locked: Vec<Date> = (self.claims.iter())
            .filter_map(|c| match c {
                QuoteCheck::Locked { on, .. } => Some(*on),
                _ => None,
            })
            .collect();
        let other = self.claims.len() - now - locked.len();
        let when = match (locked.iter().min(), locked.iter().max()) {
            (Some(first), Some(last)) if first != last => format!("between {first} and {last}"),
            (Some(first), _) => format!("on {first}"),
            _ => String::new(),
        };
        let parts = [
            (now, "verified against their documents".to_string()),
            (
                locked.len(),
                format!("match {LOCK_FILE} (verified against documents {when})"),
            ),
            (other, "not verified".to_string()),
        ];
        let mut line = String::new();
        for (n, what) in parts.into_iter().filter(|(n, _)| *n > 0) {
            if line.is_empty() {
                let noun = if n == 1 { "quote" } else { "quotes" };
                line = format!("{n} {noun} {what}");
            } else {
                line += &format!(", {n} {what}");
            }
        }
        if !self.without_documents.is_empty() {
            line += &format!("; no document for {}", first_few(&self.without_documents));
            match &self.folder {
                DocumentsFolder::Missing(dir) => {
                    line += &format!(" (the `documents:` folder `{dir}` is missing)");
                }
                DocumentsFolder::NotSet => line += " (no `documents:` folder is set)",
                DocumentsFolder::Present => {}
            }
        }
        if self.lock_written {
            line += &format!("; wrote {LOCK_FILE}");
        } else if self.lock_is_stale() {
            line += &format!(
                "; {LOCK_FILE} is {}: `dossier check` writes it when it passes",
                if self.lock_present {
                    "out of date"
                } else {
                    "missing"
                }
            );
        }
        Some(line)
    }

    /// Writes `ROOT/content/verified.lock` when its content changed (atomically: a reader sees
    /// the old file or the new one). `check` calls it when it passes; `build` never does.
    pub fn save(&mut self, root: &Path) -> crate::error::Result<()> {
        let Some(text) = self.pending.take() else {
            return Ok(());
        };
        let path = root.join(LOCK_FILE);
        let err = || crate::error::write_err(&path);
        let dir = path.parent().unwrap_or(root);
        // Hidden, so that a build running meanwhile does not read it.
        let mut file = tempfile::Builder::new()
            .prefix(".verified.lock.")
            .tempfile_in(dir)
            .map_err(err())?;
        file.write_all(text.as_bytes()).map_err(err())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::Permissions::from_mode(0o644);
            file.as_file().set_permissions(mode).map_err(err())?;
        }
        file.persist(&path).map_err(|e| err()(e.error))?;
        self.lock_written = true;
        Ok(())
    }
}

/// A document, read: its normalised text, and where each byte of it came from.
struct Doc {
    text: String,
    /// Per byte of `text` (and one past its end), the byte offset in the file's text.
    offsets: Vec<usize>,
    sha256: String,
}

impl Doc {
    fn new(bytes: &[u8]) -> Doc {
        let (text, offsets) = squash_mapped(&String::from_utf8_lossy(bytes));
        Doc {
            text,
            offsets,
            sha256: lock::sha256_hex(bytes),
        }
    }
}

/// Checks every quote against its source's document where it is at hand, and against
/// `content/verified.lock` where it is not; fills `model.documents` and
/// `model.config.verification`.
pub(super) fn verify_quotes(
    model: &mut Model,
    raw: &RawBriefing,
    root: &Path,
    options: ResolveOptions,
    diags: &mut Diagnostics,
) {
    // With dossier.yaml unreadable, its `documents:` is unknown: that error says enough.
    let known = !raw.failed.config;
    let written = raw.config.documents.clone().unwrap_or_default();
    let folder = match &model.config.documents {
        Some(d) if !d.is_dir() => DocumentsFolder::Missing(written.clone()),
        Some(_) => DocumentsFolder::Present,
        None => DocumentsFolder::NotSet,
    };
    if let DocumentsFolder::Missing(dir) = &folder
        && known
        && (options.require_documents_folder || options.require_documents)
    {
        let mut help =
            "put the sources' documents in it, or point `documents:` at the folder that holds them"
                .to_string();
        if !options.require_documents {
            help +=
                &format!("; without them, `dossier build` checks the quotes against {LOCK_FILE}");
        }
        diags.error(
            &raw.field_loc(&raw.config_pos, "documents"),
            format!("the `documents:` folder `{dir}` does not exist"),
            Some(help),
        );
    }

    let docs = read_documents(model, raw, &folder, &written, options, diags);
    let old = if known {
        lock::read(root, diags)
    } else {
        lock::Read::Absent
    };
    let old_lock = match &old {
        lock::Read::Found { lock, .. } => Some(lock),
        _ => None,
    };
    let locked = LockIndex::new(old_lock, &written);

    let today = lock::today();
    let mut checks = Vec::with_capacity(model.claims.len());
    let mut found: Vec<Vec<LockedQuote>> = vec![Vec::new(); model.entities.len()];
    let mut unlocked = 0;
    for c in &model.claims {
        let source = model.entity(c.source);
        let Details::Source(s) = &source.details else {
            checks.push(QuoteCheck::NoDocument);
            continue;
        };
        let quote = squash(&c.quote);
        let loc = raw.field_loc(&c.origin.pos, "quote");
        let check = match (&docs[c.source.0], &s.document) {
            (Some(doc), _) => match find(doc, &quote, &s.noise) {
                Found::At(at) => {
                    found[c.source.0].push(LockedQuote {
                        claim: c.id.clone(),
                        sha256: lock::sha256_hex(quote.as_bytes()),
                        offset: doc.offsets.get(at).copied().unwrap_or(at),
                    });
                    // `on` becomes the lock's date below.
                    QuoteCheck::Verified {
                        document_sha256: doc.sha256.clone(),
                        on: today,
                    }
                }
                Found::Missing => {
                    let near = closest_passage(&doc.text, &quote);
                    diags.error(
                        &loc,
                        format!(
                            "quote not found verbatim in the document of `{}`",
                            source.id
                        ),
                        Some(match near {
                            Some(near) => format!("the closest passage reads: \"{near}\""),
                            None => "copy the quote exactly from the document".into(),
                        }),
                    );
                    QuoteCheck::NotFound
                }
                Found::Noise => {
                    diags.error(
                        &loc,
                        "quote comes from page furniture (listed under the source's `noise:`), not the article",
                        Some("quote the article text itself".into()),
                    );
                    QuoteCheck::NotFound
                }
            },
            (None, None) => QuoteCheck::NoDocument,
            (None, Some(document)) if old_lock.is_some() => {
                locked.check(&c.id, &source.id, document, &quote, &loc, diags)
            }
            (None, Some(_)) => {
                unlocked += 1;
                QuoteCheck::NotLocked
            }
        };
        checks.push(check);
    }
    if known && unlocked > 0 && matches!(old, lock::Read::Absent) {
        let (s, are) = if unlocked == 1 {
            ("", "is")
        } else {
            ("s", "are")
        };
        diags.warning(
            &crate::diag::Loc::file(LOCK_FILE),
            format!(
                "the file is missing, so {unlocked} quote{s} whose document{s} {are} not at hand {are} not verified"
            ),
            Some(format!(
                "run `dossier check` with the sources' documents at hand to write {LOCK_FILE}, and commit it"
            )),
        );
    }
    let without_documents = sources_without_documents(model, raw, &docs, &folder, options, diags);

    let (new, dates) = next_lock(model, &docs, found, old_lock, today);
    for (check, c) in checks.iter_mut().zip(&model.claims) {
        if let (QuoteCheck::Verified { on, .. }, Some(date)) = (check, dates[c.source.0]) {
            *on = date;
        }
    }
    let verified_now = docs.iter().any(Option::is_some);
    let text = new.render();
    let all_at_hand = (model.claims.iter()).all(|c| {
        docs[c.source.0].is_some()
            || matches!(&model.entity(c.source).details, Details::Source(s) if s.document.is_none())
    });
    let replace = known
        && match &old {
            lock::Read::Absent => !new.sources.is_empty(),
            // Replaced only when nothing it may hold is lost.
            lock::Read::Unusable => all_at_hand && verified_now,
            lock::Read::Found { text: before, .. } => *before != text,
        };
    for (i, doc) in docs.into_iter().enumerate() {
        model.documents[i] = doc.map(|d| d.text);
    }
    model.config.verification = Verification {
        claims: checks,
        without_documents,
        folder,
        lock_written: false,
        verified_now,
        lock_present: !matches!(old, lock::Read::Absent),
        pending: replace.then_some(text),
    };
}

/// The quotes of a lock, by claim id, to check quotes whose documents are not at hand.
struct LockIndex<'a> {
    quotes: HashMap<&'a str, (&'a LockedSource, &'a LockedQuote)>,
    /// Where the documents should be, for the help: the `documents:` folder as written.
    place: String,
}

impl<'a> LockIndex<'a> {
    fn new(lock: Option<&'a Lock>, written: &str) -> Self {
        let quotes = (lock.iter())
            .flat_map(|l| &l.sources)
            .flat_map(|s| s.quotes.iter().map(move |q| (q.claim.as_str(), (s, q))))
            .collect();
        let place = if written.is_empty() {
            "the `documents:` folder".to_string()
        } else {
            format!("`{written}` (the `documents:` folder)")
        };
        LockIndex { quotes, place }
    }

    /// Whether the lock vouches for claim `id`'s quote (normalised) from `source`'s
    /// `document`; a quote that changed since, or a claim it does not know, is a warning.
    fn check(
        &self,
        id: &str,
        source: &str,
        document: &str,
        quote: &str,
        loc: &crate::diag::Loc,
        diags: &mut Diagnostics,
    ) -> QuoteCheck {
        let help = Some(format!(
            "to verify it, run `dossier check` with `{document}` in {}: that updates {LOCK_FILE}",
            self.place
        ));
        match self.quotes.get(id) {
            Some((block, q))
                if block.source == source
                    && block.document == document
                    && q.sha256 == lock::sha256_hex(quote.as_bytes()) =>
            {
                QuoteCheck::Locked {
                    document_sha256: block.sha256.clone(),
                    on: block.verified,
                }
            }
            Some((block, _)) => {
                diags.warning(
                    loc,
                    format!(
                        "quote of `{id}` changed since it was verified against the document of `{}` ({LOCK_FILE})",
                        block.source
                    ),
                    help,
                );
                QuoteCheck::Changed
            }
            None => {
                diags.warning(
                    loc,
                    format!(
                        "claim `{id}` is not in {LOCK_FILE}: its quote was never verified against its document"
                    ),
                    help,
                );
                QuoteCheck::NotLocked
            }
        }
    }
}

/// `names` joined, the first [`Verification::NAMED`] of them when there are more: the line
/// stays one line however large the briefing.
fn first_few(names: &[String]) -> String {
    let shown = names.len().min(Verification::NAMED);
    let mut text = names[..shown].join(", ");
    if names.len() > shown {
        text += &format!(" and {} more", names.len() - shown);
    }
    text
}

/// The ids of the sources with claims whose document is not at hand; with
/// `--require-documents`, each is an error (unless the folder's or the document's own error
/// says it already).
fn sources_without_documents(
    model: &Model,
    raw: &RawBriefing,
    docs: &[Option<Doc>],
    folder: &DocumentsFolder,
    options: ResolveOptions,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut without = Vec::new();
    for (i, e) in model.entities.iter().enumerate() {
        let Details::Source(s) = &e.details else {
            continue;
        };
        let claims = model.claims_by[i].len();
        if claims == 0 || docs[i].is_some() {
            continue;
        }
        without.push(e.id.clone());
        if !options.require_documents || raw.failed.config {
            continue;
        }
        match (&s.document, folder) {
            (None, _) => diags.error(
                &raw.field_loc(&e.origin.pos, "id"),
                format!(
                    "source `{}` gives no `document:`, so the quote{} of its {} cannot be verified",
                    e.id,
                    if claims == 1 { "" } else { "s" },
                    if claims == 1 {
                        "claim".to_string()
                    } else {
                        format!("{claims} claims")
                    }
                ),
                Some("add `document:` with the name of its file in the `documents:` folder (--require-documents needs every source's document)".into()),
            ),
            (Some(_), DocumentsFolder::NotSet) => diags.error(
                &raw.field_loc(&e.origin.pos, "document"),
                format!(
                    "no `documents:` folder is set, so the document of `{}` cannot be read",
                    e.id
                ),
                Some(
                    "set `documents:` in dossier.yaml to the folder that holds the documents"
                        .into(),
                ),
            ),
            (Some(_), _) => {}
        }
    }
    without
}

/// The lock as it should now be, with the date of each source verified now (indexed like
/// the entities): the quotes `found` in the documents at hand, and what the old lock said of
/// the other sources, less the claims that are gone. A source's date changes only when its
/// document or one of its quotes did.
fn next_lock(
    model: &Model,
    docs: &[Option<Doc>],
    mut found: Vec<Vec<LockedQuote>>,
    old: Option<&Lock>,
    today: Date,
) -> (Lock, Vec<Option<Date>>) {
    let mut new = Lock::default();
    let mut dates = vec![None; model.entities.len()];
    for (i, e) in model.entities.iter().enumerate() {
        let Details::Source(s) = &e.details else {
            continue;
        };
        let before = old.and_then(|l| l.sources.iter().find(|b| b.source == e.id));
        let block = match (&docs[i], &s.document) {
            (Some(doc), Some(document)) => {
                let mut block = LockedSource {
                    source: e.id.clone(),
                    document: document.clone(),
                    sha256: doc.sha256.clone(),
                    verified: today,
                    quotes: std::mem::take(&mut found[i]),
                };
                block.quotes.sort_by(|a, b| a.claim.cmp(&b.claim));
                if let Some(b) = before
                    && (&b.document, &b.sha256, &b.quotes)
                        == (&block.document, &block.sha256, &block.quotes)
                {
                    block.verified = b.verified;
                }
                dates[i] = Some(block.verified);
                block
            }
            _ => {
                let Some(b) = before else { continue };
                let mut block = b.clone();
                block.quotes.retain(|q| {
                    matches!(model.index.get(&q.claim), Some(Target::Claim(c)) if model.claims[c.0].source == EntityId(i))
                });
                block
            }
        };
        if !block.quotes.is_empty() {
            new.sources.push(block);
        }
    }
    new.sort();
    (new, dates)
}

/// Reads the documents of the sources, where the folder has them; one the folder lacks is
/// a warning (an error with `--require-documents`).
fn read_documents(
    model: &Model,
    raw: &RawBriefing,
    folder: &DocumentsFolder,
    written: &str,
    options: ResolveOptions,
    diags: &mut Diagnostics,
) -> Vec<Option<Doc>> {
    let mut docs: Vec<Option<Doc>> = (0..model.entities.len()).map(|_| None).collect();
    let Some(dir) = model.config.documents.as_ref() else {
        return docs;
    };
    if *folder != DocumentsFolder::Present {
        return docs;
    }
    for (i, e) in model.entities.iter().enumerate() {
        let Details::Source(s) = &e.details else {
            continue;
        };
        let Some(document) = &s.document else {
            continue;
        };
        match std::fs::read(dir.join(document)) {
            Ok(bytes) => docs[i] = Some(Doc::new(&bytes)),
            Err(_) => {
                let loc = raw.field_loc(&e.origin.pos, "document");
                let message = format!("document `{document}` not found in `{written}`");
                let help = Some(format!(
                    "put it in that folder (`documents:` in dossier.yaml), or fix the name; until then its quotes are checked against {LOCK_FILE}"
                ));
                if options.require_documents {
                    diags.error(&loc, message, help);
                } else {
                    diags.warning(&loc, message, help);
                }
            }
        }
    }
    docs
}

enum Found {
    /// At this byte offset of the normalised document.
    At(usize),
    Missing,
    /// Only inside the source's page furniture.
    Noise,
}

/// Where `quote` (normalised) is in the document, outside its `noise:` passages.
fn find(doc: &Doc, quote: &str, noise: &[String]) -> Found {
    let noise: Vec<String> = noise.iter().map(|n| squash(n)).collect();
    let mut seen = false;
    for (at, _) in doc.text.match_indices(quote) {
        seen = true;
        if !noise
            .iter()
            .any(|n| noise_covers(&doc.text, n, at, quote.len()))
        {
            return Found::At(at);
        }
    }
    if seen { Found::Noise } else { Found::Missing }
}

fn noise_covers(doc: &str, noise: &str, at: usize, len: usize) -> bool {
    !noise.is_empty()
        && doc
            .match_indices(noise)
            .any(|(n, _)| n <= at && at + len <= n + noise.len())
}

/// Text normalised for quote matching: plain quotes, single spaces.
pub fn squash(text: &str) -> String {
    plain_quotes(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`squash`], with the offset in `text` of each byte of the result (and of its end).
fn squash_mapped(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len() + 1);
    let mut space = None;
    let mut buf = [0; 4];
    for (i, c) in text.char_indices() {
        for p in plain_quotes(c.encode_utf8(&mut buf)).chars() {
            if p.is_whitespace() {
                if !out.is_empty() && space.is_none() {
                    space = Some(i);
                }
                continue;
            }
            if let Some(at) = space.take() {
                out.push(' ');
                offsets.push(at);
            }
            out.push(p);
            offsets.resize(out.len(), i);
        }
    }
    offsets.push(text.len());
    (out, offsets)
}

/// The passage of `doc` that shares the longest run of words with `quote`, for a hint.
fn closest_passage(doc: &str, quote: &str) -> Option<String> {
    let words: Vec<&str> = quote.split(' ').collect();
    let probes = [3, 2].into_iter().flat_map(|n: usize| {
        words
            .windows(n.min(words.len()).max(1))
            .map(|w| w.join(" "))
            .collect::<Vec<_>>()
    });
    for probe in probes {
        if probe.len() < 6 {
            continue;
        }
        if let Some(at) = doc.find(&probe) {
            let begin = doc[..at].char_indices().rev().nth(20).map_or(0, |(i, _)| i);
            let end = doc[at..]
                .char_indices()
                .nth(quote.chars().count() + 20)
                .map_or(doc.len(), |(i, _)| at + i);
            return Some(doc[begin..end].to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_match_after_squashing() {
        assert_eq!(
            squash("“It is  not\nonly right”"),
            "\"It is not only right\""
        );
    }

    #[test]
    fn mapped_squashing_is_squashing_and_finds_the_original_offset() {
        for text in [
            "",
            "  lead and trail  ",
            "“It is  not\nonly right”",
            "a\u{00A0}\u{00A0}b\t\u{2019}c",
            "Niewiadów — “x”\r\n\r\n y",
        ] {
            let (squashed, offsets) = squash_mapped(text);
            assert_eq!(squashed, squash(text), "{text:?}");
            assert_eq!(offsets.len(), squashed.len() + 1, "{text:?}");
        }
        let text = "Intro.\n\n“We will  build” it";
        let (squashed, offsets) = squash_mapped(text);
        let at = squashed.find("\"We will build\"").expect("found");
        assert_eq!(offsets[at], text.find('“').expect("in the text"));
        assert_eq!(&text[offsets[at + 1]..offsets[at + 3]], "We");
    }

    #[test]
    fn noise_only_matches_are_told_apart() {
        let doc = Doc::new(b"TRENDING widgets now. Article: widgets now and later.");
        let noise = ["TRENDING widgets now.".to_string()];
        assert!(matches!(find(&doc, "widgets now", &noise), Found::At(31)));
        assert!(matches!(find(&doc, "TRENDING", &noise), Found::Noise));
        assert!(matches!(find(&doc, "gadgets", &noise), Found::Missing));
    }

    fn verification(claims: Vec<QuoteCheck>, without: &[&str]) -> Verification {
        Verification {
            claims,
            without_documents: without.iter().map(|s| s.to_string()).collect(),
            folder: DocumentsFolder::Missing("../shared/seeds".into()),
            ..Verification::default()
        }
    }

    #[test]
    fn the_summary_counts_each_way() {
        let on = |day| Date {
            year: 2025,
            month: 7,
            day,
        };
        let locked = |day| QuoteCheck::Locked {
            document_sha256: "ab".repeat(32),
            on: on(day),
        };
        let v = verification(vec![locked(12), locked(12)], &["a", "b"]);
        assert_eq!(
            v.summary().as_deref(),
            Some(
                "2 quotes match content/verified.lock (verified against documents on 2025-07-12); no document for a, b (the `documents:` folder `../shared/seeds` is missing)"
            )
        );
        let mixed = vec![
            QuoteCheck::Verified {
                document_sha256: "ab".repeat(32),
                on: on(1),
            },
            locked(2),
            locked(12),
            QuoteCheck::Changed,
        ];
        assert_eq!(
            verification(mixed, &["b"]).summary().as_deref(),
            Some(
                "1 quote verified against their documents, 2 match content/verified.lock (verified against documents between 2025-07-02 and 2025-07-12), 1 not verified; no document for b (the `documents:` folder `../shared/seeds` is missing)"
            )
        );
        assert_eq!(verification(Vec::new(), &[]).summary(), None);
        let many: Vec<String> = (0..25_000).map(|i| format!("src-{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            verification(vec![QuoteCheck::Changed], &many)
                .summary()
                .as_deref(),
            Some(
                "1 quote not verified; no document for src-0, src-1, src-2, src-3, src-4 and 24995 more (the `documents:` folder `../shared/seeds` is missing)"
            )
        );
        assert!(locked(1).is_verified() && !QuoteCheck::Changed.is_verified());
        assert_eq!(locked(3).verified_on(), Some(on(3)));
    }
}
