//! The parts of `print.html`'s context: the shared views as the print view shows them,
//! borrowing their text, with every link resolved through the view's [`Anchors`] (in-page
//! `url` `#anchor` and `ref`, its section number) and its HTML drawn for the view.

use std::borrow::Cow;

use serde::Serialize;

use super::super::views::{
    ClaimView, DiscrepancyView, EntityView, FactView, GradeView, Href, Link, NoteView, ReadingView,
    VerificationView,
};
use super::anchors::Anchors;
use super::fragment::Fragments;
use crate::analyse::Severity;

/// A link: `name`, `url` (after `root`, which is empty here) and `ref`.
#[derive(Serialize)]
pub struct PrintLink<'a> {
    pub name: &'a str,
    pub grade: Option<&'a GradeView>,
    #[serde(flatten)]
    pub href: Href<'a>,
}

impl<'a> PrintLink<'a> {
    pub fn new(link: &'a Link, anchors: &'a Anchors) -> Self {
        PrintLink {
            name: &link.name,
            grade: link.grade.as_ref(),
            href: anchors.href(&link.url),
        }
    }
}

/// An item of the print view with its place: `number`, `anchor` (its id) and the `item`.
#[derive(Serialize)]
pub struct Numbered<'a, T> {
    pub number: &'a str,
    pub anchor: &'a str,
    pub item: T,
}

/// A numbered part holding `items`.
#[derive(Serialize)]
pub struct Part<'a, T> {
    pub number: &'a str,
    pub items: Vec<T>,
}

/// A claim, as entity sections and the timeline show it.
#[derive(Serialize)]
pub struct PrintClaim<'a> {
    pub id: &'a str,
    /// Its id in the view (`claims-ID`, made unique).
    pub anchor: &'a str,
    /// Its place: the claims list of its subject's section.
    #[serde(flatten)]
    pub href: Href<'a>,
    pub subject: PrintLink<'a>,
    pub label: &'a str,
    pub kind: &'static str,
    pub value: &'a str,
    pub source: PrintLink<'a>,
    pub quote: &'a str,
    pub speaker: Option<PrintLink<'a>>,
    pub speaker_kind: Option<&'a str>,
    pub date: Option<&'a str>,
    pub as_of: Option<&'a str>,
    pub modality: Option<&'static str>,
    pub verification: &'a VerificationView,
    pub note_html: Option<String>,
    /// Drawn by `partials/flags.html` with in-page links.
    pub flags_html: String,
    pub disputed: bool,
    pub marked: bool,
    pub uncorroborated: bool,
}

impl<'a> PrintClaim<'a> {
    pub fn new(
        c: &'a ClaimView<'a>,
        flags_html: String,
        anchors: &'a Anchors,
        fragments: &mut Fragments,
    ) -> Self {
        PrintClaim {
            id: c.id,
            anchor: anchors.id(&c.url),
            href: anchors.href(&c.url),
            subject: PrintLink::new(&c.subject, anchors),
            label: &c.label,
            kind: c.kind,
            value: &c.value,
            source: PrintLink::new(&c.source, anchors),
            quote: c.quote,
            speaker: c.speaker.as_ref().map(|s| PrintLink::new(s, anchors)),
            speaker_kind: c.speaker_kind.as_deref(),
            date: c.date.as_deref(),
            as_of: c.as_of.as_deref(),
            modality: c.modality,
            verification: &c.verification,
            note_html: (c.note_html.as_deref()).map(|h| fragments.relink(h)),
            flags_html,
            disputed: c.disputed,
            marked: c.marked,
            uncorroborated: c.uncorroborated,
        }
    }
}

/// An entity's section.
#[derive(Serialize)]
pub struct PrintEntity<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub kind_label: &'a str,
    pub name: &'a str,
    /// As on its page (`partials/facts.html`), with in-page links.
    pub facts: Vec<PrintFact<'a>>,
    pub summary_html: Option<String>,
    /// The section's notes: every discrepancy it is involved in, then any other its summary
    /// marks, each written out.
    /// The discrepancies its summary marks, then the others it is involved in: listed by
    /// title, since the discrepancies section has them in full.
    pub discrepancies: Vec<PrintDiscLink<'a>>,
    /// How many claims are about it (listed in the annex, at `annex`), and how many it makes
    /// or speaks.
    pub claims_about: usize,
    pub claims_by: usize,
    pub annex: Option<Href<'a>>,
}

impl<'a> PrintEntity<'a> {
    /// `summary_html` is the view's summary for the print view; `notes` the section's notes.
    pub fn new(
        e: &'a EntityView<'a>,
        summary_html: Option<String>,
        notes: Vec<PrintDiscLink<'a>>,
        anchors: &'a Anchors,
    ) -> Self {
        let annex = (e.about.first()).map(|c| anchors.href(&c.url));
        PrintEntity {
            id: &e.id,
            kind: &e.kind,
            kind_label: &e.kind_label,
            name: &e.name,
            facts: e.facts.iter().map(|f| PrintFact::new(f, anchors)).collect(),
            summary_html,
            discrepancies: notes,
            claims_about: e.about.len(),
            claims_by: e.by.len(),
            annex,
        }
    }
}

/// One fact of an entity: `label` and `items` (text, url, ref, note, note_url, note_ref).
#[derive(Serialize)]
pub struct PrintFact<'a> {
    pub label: &'a str,
    pub items: Vec<PrintFactItem<'a>>,
}

#[derive(Serialize)]
pub struct PrintFactItem<'a> {
    pub text: &'a str,
    pub url: Option<Cow<'a, str>>,
    #[serde(rename = "ref")]
    pub number: Option<&'a str>,
    pub note: Option<&'a str>,
    pub note_url: Option<Cow<'a, str>>,
    pub note_ref: Option<&'a str>,
}

impl<'a> PrintFact<'a> {
    fn new(fact: &'a FactView, anchors: &'a Anchors) -> Self {
        let place = |url: &Option<String>| match url.as_deref().map(|u| anchors.href(u)) {
            Some(href) => (Some(href.url), href.number),
            None => (None, None),
        };
        let items = (fact.items.iter())
            .map(|i| {
                let (url, number) = place(&i.url);
                let (note_url, note_ref) = place(&i.note_url);
                PrintFactItem {
                    text: &i.text,
                    url,
                    number,
                    note: i.note.as_deref(),
                    note_url,
                    note_ref,
                }
            })
            .collect();
        PrintFact {
            label: &fact.label,
            items,
        }
    }
}

/// A discrepancy as a section's note (`partials/notes.html`): id, kind (the outcome's
/// slug), label, name, severity, number (as the markers show it), title, detail (the
/// readings and their sources), verdict, url, ref.
#[derive(Serialize)]
pub struct PrintDiscLink<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub label: &'a str,
    pub name: &'static str,
    pub severity: Option<Severity>,
    pub number: usize,
    pub title: &'a str,
    pub detail: String,
    pub verdict: Option<&'a str>,
    #[serde(flatten)]
    pub href: Href<'a>,
}

impl<'a> PrintDiscLink<'a> {
    pub fn new(d: &'a DiscrepancyView, detail: String, anchors: &'a Anchors) -> Self {
        let link = &d.link;
        PrintDiscLink {
            id: &link.id,
            kind: &link.kind,
            label: &link.label,
            name: link.name,
            severity: link.severity,
            number: link.number,
            title: &link.title,
            detail,
            verdict: d.verdict.as_deref(),
            href: anchors.href(&link.url),
        }
    }
}

/// A discrepancy's section (`partials/discrepancy.html`).
#[derive(Serialize)]
pub struct PrintDiscrepancy<'a> {
    pub id: &'a str,
    /// The outcome's slug after the notes; `found` is what the analysis found.
    pub kind: &'a str,
    pub found: &'a str,
    pub found_name: &'static str,
    pub label: &'a str,
    pub name: &'static str,
    /// `flag`, `mark`, or none once dismissed.
    pub severity: Option<Severity>,
    pub meaning: &'static str,
    /// On the first discrepancy of each severity, the heading of its group
    /// (`Disagreements`, `Soft findings`, `Dismissed by the analyst`).
    pub group: Option<&'static str>,
    pub title: &'a str,
    pub subject: Option<PrintLink<'a>>,
    pub property: Option<&'a str>,
    pub speaker: Option<PrintLink<'a>>,
    pub verdict: Option<&'a str>,
    pub readings: Vec<PrintReading<'a>>,
    pub notes: Vec<PrintNote<'a>>,
    /// Its number, as its markers show it.
    pub number: usize,
}

impl<'a> PrintDiscrepancy<'a> {
    /// `notes` are its notes as the view prints them ([`PrintNote`]).
    pub fn new(d: &'a DiscrepancyView, anchors: &'a Anchors, notes: Vec<PrintNote<'a>>) -> Self {
        PrintDiscrepancy {
            id: &d.link.id,
            kind: &d.link.kind,
            found: &d.link.found,
            found_name: d.link.found_name,
            label: &d.link.label,
            name: d.link.name,
            severity: d.link.severity,
            meaning: d.link.meaning,
            group: None,
            title: &d.link.title,
            subject: d.subject.as_ref().map(|s| PrintLink::new(s, anchors)),
            property: d.property.as_deref(),
            speaker: d.speaker.as_ref().map(|s| PrintLink::new(s, anchors)),
            verdict: d.verdict.as_deref(),
            readings: (d.readings.iter())
                .map(|r| PrintReading::new(r, anchors))
                .collect(),
            notes,
            number: d.link.number,
        }
    }
}

#[derive(Serialize)]
pub struct PrintReading<'a> {
    pub value: &'a str,
    pub best: bool,
    pub sources: Vec<PrintLink<'a>>,
    pub quotes: Vec<PrintQuote<'a>>,
    pub removed: &'a [String],
    pub added: &'a [String],
}

impl<'a> PrintReading<'a> {
    fn new(r: &'a ReadingView, anchors: &'a Anchors) -> Self {
        PrintReading {
            value: &r.value,
            best: r.best,
            sources: (r.sources.iter())
                .map(|s| PrintLink::new(s, anchors))
                .collect(),
            quotes: (r.quotes.iter())
                .map(|q| PrintQuote {
                    claim: PrintLink::new(&q.claim, anchors),
                    quote: &q.quote,
                    source: PrintLink::new(&q.source, anchors),
                })
                .collect(),
            removed: &r.removed,
            added: &r.added,
        }
    }
}

#[derive(Serialize)]
pub struct PrintQuote<'a> {
    pub claim: PrintLink<'a>,
    pub quote: &'a str,
    pub source: PrintLink<'a>,
}

#[derive(Serialize)]
pub struct PrintNote<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub html: Option<String>,
    pub verdict: Option<&'a str>,
    /// A note on several discrepancies is printed once, under the first: the later ones
    /// point to it (its marker's number, url and ref) instead.
    pub under: Option<Under<'a>>,
}

/// Where a note is printed.
#[derive(Serialize, Clone)]
pub struct Under<'a> {
    pub number: usize,
    #[serde(flatten)]
    pub href: Href<'a>,
}

impl<'a> PrintNote<'a> {
    pub fn new(n: &'a NoteView, fragments: &mut Fragments) -> Self {
        PrintNote {
            id: &n.id,
            title: n.title.as_deref(),
            html: n.html.as_deref().map(|h| fragments.relink(h)),
            verdict: n.verdict.as_deref(),
            under: None,
        }
    }

    /// The note printed `under` another discrepancy: its text is not repeated.
    pub fn under(n: &'a NoteView, under: Under<'a>) -> Self {
        PrintNote {
            id: &n.id,
            title: n.title.as_deref(),
            html: None,
            verdict: n.verdict.as_deref(),
            under: Some(under),
        }
    }
}
