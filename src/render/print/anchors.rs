//! The print view's places: every section, entity, claim and discrepancy it contains gets an
//! anchor (an id unique in the document) and a section number, by the site URL of the page
//! or place it stands for. Links are resolved through this table when the view is built.

use rustc_hash::{FxHashMap, FxHashSet};

use super::super::flags;
use super::super::urls::{self, Route};
use super::super::views::{self, Href};
use crate::analyse::Analysis;
use crate::model::{EntityId, EntityKind, Model};

/// A place in the print view.
#[derive(Debug)]
pub struct Anchor {
    /// Its id.
    pub id: String,
    /// `#id`.
    pub href: String,
    /// Its section number, `2.3`.
    pub number: String,
    /// Whether a link to it prints where it is (`[p. 12]`): not for entities, whose names
    /// run through the text and whose sections the contents list.
    pub cited: bool,
}

/// The kinds of entities the view has sections for, with their entities in order.
pub struct KindPlan {
    pub kind: EntityKind,
    pub entities: Vec<EntityId>,
}

/// The places of the print view, and the ids it uses.
pub struct Anchors {
    by_url: FxHashMap<String, Anchor>,
    /// Every id the view's template gives (fixed ones, anchors, and their headings' `-h`).
    taken: FxHashSet<String>,
    /// The prefix from the print view to the site root, for links out of it.
    root: String,
    pub kinds: Vec<KindPlan>,
    /// The subjects of claims, in the order the annex lists them.
    pub annex: Vec<EntityId>,
}

/// The key of entity `e`'s part of the annex: its claims on the claims index.
pub fn annex_url(model: &Model, e: EntityId) -> String {
    format!("{ANNEX}#annex--{}", model.entity(e).id)
}

/// Ids `print.html` uses for its own sections, with their headings' `-h`.
const FIXED: [&str; 7] = [
    "cover",
    "contents",
    "overview",
    "discrepancies",
    "legend",
    "timeline",
    "annex",
];

/// The site URL the annex stands for: the claims index.
pub const ANNEX: &str = urls::CLAIMS;

impl Anchors {
    /// Numbers the view in reading order: 1 the overview, 2 the discrepancies, then a
    /// section per kind that has entities, the timeline, and the annex that lists every claim
    /// once, by subject (a claim's place is its subject's part of the annex).
    pub fn build(model: &Model, analysis: &Analysis) -> Self {
        let mut anchors = Anchors {
            by_url: FxHashMap::default(),
            taken: FxHashSet::default(),
            root: Route::Print.root(model).into_owned(),
            kinds: Vec::new(),
            annex: Vec::new(),
        };
        let kind_ids = (model.config.kinds.all()).map(|k| model.kind(k).folder.as_str());
        for id in FIXED.into_iter().chain(kind_ids) {
            anchors.taken.insert(id.to_string());
            anchors.taken.insert(format!("{id}-h"));
        }
        anchors.fixed(urls::OVERVIEW, "overview", "1".into());
        anchors.fixed(urls::DISCREPANCIES, "discrepancies", "2".into());
        anchors.fixed(flags::LEGEND, "legend", "2".into());
        // Numbered in the order the view shows them: flags, marks, dismissed.
        for (i, d) in analysis.display_order.iter().copied().enumerate() {
            let id = format!("discrepancies-{}", analysis.discrepancies[d].id);
            anchors.place(urls::discrepancy(analysis, d), &id, format!("2.{}", i + 1));
        }
        for kind in model.config.kinds.all() {
            let entities = views::list_order(model, kind);
            if entities.is_empty() {
                continue;
            }
            let section = anchors.kinds.len() + 3;
            let folder = &model.kind(kind).folder;
            anchors.fixed(&urls::kind(model, kind), folder, section.to_string());
            for (i, e) in entities.iter().enumerate() {
                let id = format!("{folder}-{}", model.entity(*e).id);
                let url = urls::entity(model, *e);
                anchors.place(url.clone(), &id, format!("{section}.{}", i + 1));
                if let Some(anchor) = anchors.by_url.get_mut(&url) {
                    anchor.cited = false;
                }
            }
            anchors.kinds.push(KindPlan { kind, entities });
        }
        let section = anchors.kinds.len() + 3;
        anchors.fixed(urls::TIMELINE, "timeline", section.to_string());
        let annex = section + 1;
        anchors.fixed(ANNEX, "annex", annex.to_string());
        let subjects: Vec<EntityId> = (anchors.kinds.iter())
            .flat_map(|k| k.entities.iter().copied())
            .filter(|e| !model.claims_about[e.0].is_empty())
            .collect();
        for (i, e) in subjects.iter().enumerate() {
            let number = format!("{annex}.{}", i + 1);
            let id = format!("annex-{}", model.entity(*e).id);
            anchors.place(annex_url(model, *e), &id, number.clone());
            for c in &model.claims_about[e.0] {
                let id = format!("claims-{}", model.claim(*c).id);
                anchors.place(urls::claim(model, *c), &id, number.clone());
            }
        }
        anchors.annex = subjects;
        anchors
    }

    fn fixed(&mut self, url: &str, id: &str, number: String) {
        let anchor = Anchor {
            id: id.to_string(),
            href: format!("#{id}"),
            number,
            cited: true,
        };
        self.by_url.insert(url.to_string(), anchor);
    }

    /// Gives the place at `url` the id `id`, or `id-2`, `id-3`... when the view already uses
    /// it or its heading's id (`countries-h` is the heading of the countries section and
    /// the anchor of a country with the id `h`).
    fn place(&mut self, url: String, id: &str, number: String) {
        let mut n = 1;
        let id = loop {
            let candidate = if n == 1 {
                id.to_string()
            } else {
                format!("{id}-{n}")
            };
            let heading = format!("{candidate}-h");
            if !self.taken.contains(&candidate) && !self.taken.contains(&heading) {
                self.taken.insert(heading);
                self.taken.insert(candidate.clone());
                break candidate;
            }
            n += 1;
        };
        self.fixed(&url, &id, number);
    }

    /// The place of the page or place at site URL `url` (`countries/x.html`,
    /// `discrepancies/index.html#d`), when the view contains it.
    pub fn get(&self, url: &str) -> Option<&Anchor> {
        self.by_url.get(url)
    }

    /// The place at `url`: in the view (`#id` and its number), or the page out of it.
    pub fn href<'a>(&'a self, url: &str) -> Href<'a> {
        match self.get(url) {
            Some(anchor) => Href {
                url: anchor.href.as_str().into(),
                number: anchor.cited.then_some(anchor.number.as_str()),
            },
            None => Href::site(format!("{}{url}", self.root)),
        }
    }

    /// The id of the place at `url`; empty when the view does not contain it.
    pub fn id(&self, url: &str) -> &str {
        self.get(url).map_or("", |a| a.id.as_str())
    }

    /// The section number of the place at `url`; empty when the view does not contain it.
    pub fn number(&self, url: &str) -> &str {
        self.get(url).map_or("", |a| a.number.as_str())
    }

    /// The ids the template gives, for making the ids of Markdown unique.
    pub fn taken(&self) -> FxHashSet<String> {
        self.taken.clone()
    }
}
