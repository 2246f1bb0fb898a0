//! Relations computed before rendering: claims per entity and backlinks.

use crate::model::{Backlink, ClaimId, Details, EntityId, Model, PageId, Target, Value};

/// Claims per entity and backlinks: which entity pages and Markdown pages link to each entity.
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
        for t in &page.refs {
            match t {
                Target::Entity(e) => links.push((*e, from)),
                Target::Claim(c) => links.push((model.claims[c.0].subject, from)),
                Target::Note(_) => {}
            }
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
