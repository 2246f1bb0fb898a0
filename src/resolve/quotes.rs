//! Quotes checked against the sources' documents: verbatim, and not from page furniture.

use crate::diag::{Diagnostics, Loc};
use crate::load;
use crate::model::{Details, Entity, Model, plain_quotes};
use crate::parse::RawBriefing;

use super::ResolveOptions;

/// Checks every quote against its source's document, where the document is at hand.
pub(super) fn verify_quotes(
    model: &mut Model,
    raw: &RawBriefing,
    options: ResolveOptions,
    diags: &mut Diagnostics,
) {
    let dir = model.config.documents.clone();
    for (i, e) in model.entities.iter().enumerate() {
        let Details::Source(s) = &e.details else {
            continue;
        };
        let Some(doc) = &s.document else { continue };
        let text = dir.as_ref().and_then(|d| load::read_document(&d.join(doc)));
        // With dossier.yaml unreadable, its `documents:` is unknown: that error says enough.
        if text.is_none() && !raw.failed.config {
            let loc = entity_loc(raw, e, "document");
            let message = match &dir {
                Some(d) => format!("document `{doc}` not found in {}", d.display()),
                None => format!("document `{doc}` given, but no `documents:` folder is set"),
            };
            let help = Some("set `documents:` in dossier.yaml to the folder holding it".into());
            let message = message + "; its quotes cannot be verified";
            if options.require_documents {
                diags.error(&loc, message, help);
            } else {
                diags.warning(&loc, message, help);
            }
        }
        model.documents[i] = text.map(|t| squash(&t));
    }
    for c in &model.claims {
        let Some(doc) = &model.documents[c.source.0] else {
            continue;
        };
        let quote = squash(&c.quote);
        let pos = &c.origin.pos;
        let source = model.entity(c.source);
        if !doc.contains(&quote) {
            let near = closest_passage(doc, &quote);
            diags.error(
                &raw.field_loc(pos, "quote"),
                format!(
                    "quote not found verbatim in the document of `{}`",
                    source.id
                ),
                Some(match near {
                    Some(near) => format!("the closest passage reads: \"{near}\""),
                    None => "copy the quote exactly from the document".into(),
                }),
            );
            continue;
        }
        let Details::Source(s) = &source.details else {
            continue;
        };
        let outside_noise = doc.match_indices(&quote).any(|(at, _)| {
            !s.noise
                .iter()
                .any(|n| noise_covers(doc, &squash(n), at, quote.len()))
        });
        if !outside_noise {
            diags.error(
                &raw.field_loc(pos, "quote"),
                "quote comes from page furniture (listed under the source's `noise:`), not the article",
                Some("quote the article text itself".into()),
            );
        }
    }
}

fn noise_covers(doc: &str, noise: &str, at: usize, len: usize) -> bool {
    !noise.is_empty()
        && doc
            .match_indices(noise)
            .any(|(n, _)| n <= at && at + len <= n + noise.len())
}

fn entity_loc(raw: &RawBriefing, e: &Entity, key: &str) -> Loc {
    raw.field_loc(&e.origin.pos, key)
}

/// Text normalised for quote matching: plain quotes, single spaces.
pub fn squash(text: &str) -> String {
    plain_quotes(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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
}
