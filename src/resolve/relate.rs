//! Relations computed before rendering: claims per entity and backlinks.

use crate::model::{Backlink, ClaimId, Details, EntityId, Model, PageId, Target, Value};

/// Claims per entity and backlinks: which entity pages, Markdown pages, claims' notes and
/// analyst notes link to each entity.
pub(super) fn relate(model: &mut Model) {
    for (i, c) in model.claims.iter().enumerate() {
        let id = ClaimId(i);
        model.claims_about[c.subject.0].push(id);
        model.claims_by[c.source.0].push(id);
        if let Some(s) = c.speaker {
            model.claims_by[s.0].push(id);
        }
    }
    let mut links: Vec<(EntityId, Backlink)> = Vec::new();
    for (i, e) in model.entities.iter().enumerate() {
        let from = Backlink::Entity(EntityId(i));
        let mut push = |to: EntityId| links.push((to, from));
        match &e.details {
            Details::Person(p) => {
                p.country
                    .into_iter()
                    .chain(p.affiliation)
                    .for_each(&mut push);
                p.titles.iter().for_each(|(_, s)| push(*s));
            }
            Details::Organization(o) => o.country.into_iter().chain(o.part_of).for_each(&mut push),
            Details::Place(p) => p.part_of.into_iter().for_each(&mut push),
            Details::Custom(c) => c.part_of.into_iter().for_each(&mut push),
            Details::Source(s) => s.relays.iter().copied().for_each(&mut push),
            Details::Country => {}
        }
        for c in model.claims_about[i].iter().chain(&model.claims_by[i]) {
            let c = &model.claims[c.0];
            push(c.subject);
            push(c.source);
            c.speaker.into_iter().for_each(&mut push);
            if let Value::Entity(v) = c.value {
                push(v);
            }
        }
    }
    for (i, page) in model.pages.iter().enumerate() {
        let from = page
            .entity
            .map_or(Backlink::Page(PageId(i)), Backlink::Entity);
        for to in page.body.targets().filter_map(|t| mentioned(model, t)) {
            links.push((to, from));
        }
    }
    for (i, body) in model.note_bodies.claims.iter().enumerate() {
        let (Some(body), Some(claim)) = (body, model.claims.get(i)) else {
            continue;
        };
        // The pages of its subject, source and speaker list the claim already.
        let listed =
            |e: EntityId| e == claim.subject || e == claim.source || claim.speaker == Some(e);
        for to in body.targets().filter_map(|t| mentioned(model, t)) {
            if !listed(to) {
                links.push((to, Backlink::Claim(ClaimId(i))));
            }
        }
    }
    for (i, body) in model.note_bodies.notes.iter().enumerate() {
        for to in body
            .iter()
            .flat_map(|b| b.targets())
            .filter_map(|t| mentioned(model, t))
        {
            links.push((to, Backlink::Note(i)));
        }
    }
    for (to, from) in links {
        if from != Backlink::Entity(to) {
            model.backlinks[to.0].push(from);
        }
    }
    for list in &mut model.backlinks {
        list.sort();
        list.dedup();
    }
}

/// The entity a reference in a text makes a backlink to: a claim's is its subject's.
fn mentioned(model: &Model, target: Target) -> Option<EntityId> {
    match target {
        Target::Entity(e) => Some(e),
        Target::Claim(c) => model.claims.get(c.0).map(|c| c.subject),
        Target::Note(_) => None,
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    /// The model of one record file and an overview page, and whether anything was an error.
    fn model(records: &str, overview: &str) -> (Model, bool) {
        let (model, diags) = crate::resolve::model_of_text(
            &[("content/records.yaml", records)],
            &[("content/index.md", overview)],
        );
        (model, diags.has_errors())
    }

    const RECORDS: &str = "\
countries:
  - {id: aa, name: Aa}
  - {id: bb, name: Bb}
  - {id: cc, name: Cc}
  - {id: dd, name: Dd}
sources:
  - {id: src, title: A report}
claims:
  - id: one
    subject: aa
    property: statement
    value: x
    source: src
    quote: x
    note: \"[[aa]] and [[src]] list it already; [[bb]] and [[claim:two]] (about dd) do not.\"
  - {id: two, subject: dd, property: statement, value: y, source: src, quote: y}
notes:
  - {id: n, claims: [one, two], kind: other, note: \"See [[cc]], `[[bb]]` stays text.\"}
";

    fn entity(model: &Model, id: &str) -> usize {
        match model.index.get(id) {
            Some(Target::Entity(e)) => e.0,
            other => panic!("{id} is {other:?}"),
        }
    }

    #[test]
    fn references_in_notes_make_backlinks() {
        let (model, errors) = model(RECORDS, "---\ntitle: T\n---\nAbout [[bb]].\n");
        assert!(!errors);
        let one = Backlink::Claim(ClaimId(0));
        let back = |id: &str| model.backlinks[entity(&model, id)].clone();
        assert_eq!(back("bb"), [Backlink::Page(PageId(0)), one]);
        assert!(back("dd").contains(&one), "{:?}", back("dd"));
        assert_eq!(back("cc"), [Backlink::Note(0)]);
        // The claim is on its subject's and its source's pages already.
        assert!(!back("aa").contains(&one) && !back("src").contains(&one));
    }
}
