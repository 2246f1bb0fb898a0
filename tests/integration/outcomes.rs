//! Every outcome of the analysis on one invented briefing (`tests/fixtures/outcomes`, a ship
//! aground): each is in `facts.json` with the right claims, the cases that must not be
//! flagged are not, and the pages draw flags, marks and dismissed findings as they should.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{Fixture, Site, hrefs, texts};

/// The built fixture; the fixture (its temporary folder) lives as long as the site is used.
fn build() -> (Fixture, Site) {
    let fixture = Fixture::new("outcomes");
    let site = fixture.build();
    (fixture, site)
}

fn facts(site: &Site) -> Value {
    serde_json::from_str(&site.text("facts.json")).expect("facts.json is JSON")
}

/// The discrepancies of `facts.json` as (id, outcome, severity, claims).
fn findings(facts: &Value) -> Vec<(String, String, Value, BTreeSet<String>)> {
    let discs = facts["discrepancies"].as_array().expect("discrepancies");
    discs
        .iter()
        .map(|d| {
            let claims = (d["readings"].as_array().into_iter().flatten())
                .flat_map(|r| r["claims"].as_array().into_iter().flatten())
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect();
            (
                d["id"].as_str().unwrap_or_default().to_string(),
                d["outcome"].as_str().unwrap_or_default().to_string(),
                d["severity"].clone(),
                claims,
            )
        })
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_outcome_is_found_with_its_claims() {
    let (_fixture, site) = build();
    let facts = facts(&site);
    let found = findings(&facts);
    let expect = |outcome: &str, severity: Value, claims: &[&str]| {
        assert!(
            found
                .iter()
                .any(|(_, o, s, c)| o == outcome && *s == severity && *c == set(claims)),
            "no {outcome} ({severity}) with {claims:?} in {found:#?}"
        );
    };
    let flag = || Value::from("flag");
    let mark = || Value::from("mark");
    expect(
        "conflict",
        flag(),
        &["tide-crew", "harbour-crew", "wire-crew"],
    );
    expect(
        "self-contradiction",
        flag(),
        &["radio-departure-2", "radio-departure-4"],
    );
    expect(
        "reported-disagreement",
        mark(),
        &["wire-injured-velk", "wire-injured-guard"],
    );
    expect(
        "attribution-conflict",
        flag(),
        &["tide-condition", "harbour-condition"],
    );
    expect(
        "overstatement",
        flag(),
        &[
            "tide-investigation",
            "harbour-investigation",
            "wire-investigation",
        ],
    );
    expect("quote-drift", flag(), &["tide-captain", "radio-captain"]);
    // Units: 5-7 mi holds 10 km; a place within another (part_of).
    expect("compatible", mark(), &["tide-offshore", "radio-offshore"]);
    expect("compatible", mark(), &["tide-location", "harbour-location"]);
    expect("omission", mark(), &["tide-agencies", "harbour-agencies"]);
    expect(
        "change-over-time",
        mark(),
        &["harbour-aboard", "radio-aboard"],
    );
    // Notes: one dismisses a conflict, one downgrades a conflict to compatible, one declares
    // a finding of its own kind.
    expect("dismissed", Value::Null, &["tide-length", "wire-length"]);
    expect("compatible", mark(), &["harbour-draught", "radio-draught"]);
    expect("impossible-date", flag(), &["wire-refloated"]);
    let kind_of = |id: &str| {
        (facts["discrepancies"].as_array().into_iter().flatten())
            .find(|d| d["id"] == id)
            .map(|d| d["kind"].clone())
    };
    assert_eq!(
        kind_of("conflict--aldebaran--length"),
        Some("conflict".into())
    );
    assert_eq!(
        kind_of("conflict--aldebaran--draught"),
        Some("conflict".into())
    );

    // Single source: a claim in no discrepancy that no other source backs.
    let claim = |id: &str| {
        (facts["claims"].as_array().into_iter().flatten())
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("claim {id} in facts.json"))
    };
    let cargo = claim("radio-cargo");
    assert_eq!(cargo["uncorroborated"], true);
    assert_eq!(cargo["discrepancies"], Value::Array(Vec::new()));
    assert_eq!(claim("tide-condition")["as_of"], "2025-03");
    assert_eq!(claim("wire-investigation")["modality"], "confirmed");

    // The legend lists every outcome with its severity.
    let outcomes: Vec<&str> = (facts["outcomes"].as_array().into_iter().flatten())
        .filter_map(|o| o["outcome"].as_str())
        .collect();
    for o in [
        "conflict",
        "self-contradiction",
        "reported-disagreement",
        "attribution-conflict",
        "overstatement",
        "quote-drift",
        "compatible",
        "omission",
        "change-over-time",
        "single-source",
        "dismissed",
        "analyst",
    ] {
        assert!(outcomes.contains(&o), "{o} not in {outcomes:?}");
    }
}

#[test]
fn what_agrees_is_not_flagged() {
    let (_fixture, site) = build();
    let facts = facts(&site);
    let in_any: BTreeSet<String> = findings(&facts)
        .into_iter()
        .flat_map(|(_, _, _, c)| c)
        .collect();
    for claim in [
        // 100 mi and 161 km agree once converted.
        "tide-tow",
        "wire-tow",
        // Synonyms in the property's vocabulary.
        "tide-cause",
        "wire-cause",
        // A list that is not whole (complete: false) omits nothing.
        "radio-agencies",
        // A count that matches its list.
        "tide-tugs",
        "tide-tug-count",
    ] {
        assert!(!in_any.contains(claim), "{claim} is part of a finding");
    }
    // Values at disjoint moments are a change over time, never a conflict.
    assert!(
        !findings(&facts)
            .iter()
            .any(|(id, o, _, _)| id.contains("crew-aboard") && o != "change-over-time")
    );
}

#[test]
fn flags_marks_and_dismissed_findings_are_drawn_by_severity() {
    let (_fixture, site) = build();
    let ship = site.html("vessels/aldebaran.html");
    // A conflict: a flag beside each claim, linking to it.
    assert_eq!(
        hrefs(&ship, "li#claim-wire-crew sup.fm-flag.fm-conflict a"),
        ["../discrepancies/index.html#conflict--aldebaran--crew"]
    );
    assert!(texts(&ship, "li#claim-wire-crew sup.fm-mark").is_empty()); // (the li is there: above)
    // Compatible readings (one after a note): a mark, not a flag.
    for claim in ["tide-location", "tide-offshore", "radio-draught"] {
        let sel = format!("li#claim-{claim}");
        assert_eq!(
            texts(&ship, &format!("{sel} sup.fm-mark.fm-compatible")).len(),
            1,
            "{claim}"
        );
        assert!(
            texts(&ship, &format!("{sel} sup.fm-flag")).is_empty(),
            "{claim}"
        );
    }
    let mark = texts(&ship, "li#claim-tide-location sup.fm-mark");
    assert!(
        mark[0].contains("◦") && mark[0].contains("compatible"),
        "{mark:?}"
    );
    // Soft findings of other kinds are marks too.
    assert_eq!(
        texts(
            &ship,
            "li#claim-radio-aboard sup.fm-mark.fm-change-over-time"
        )
        .len(),
        1
    );
    assert_eq!(
        texts(
            &ship,
            "li#claim-wire-injured-velk sup.fm-mark.fm-reported-disagreement"
        )
        .len(),
        1
    );
    // The dismissed conflict: no flag or mark inline (only a value's single-source mark).
    for claim in ["tide-length", "wire-length"] {
        let line = format!("li#claim-{claim} .claim-line");
        let marker = format!("{line} sup.fm:not(.fm-single-source)");
        assert_eq!(texts(&ship, &line).len(), 1, "{claim} is on the page");
        assert!(texts(&ship, &marker).is_empty(), "{claim}");
    }
    let page = site.html("claims/wire-length.html");
    assert_eq!(texts(&page, "main .claim-line").len(), 1);
    assert!(texts(&page, "main .claim-line sup.fm:not(.fm-single-source)").is_empty());
    // The overview's running text follows the same rules.
    let overview = site.html("index.html");
    assert_eq!(
        texts(&overview, "main sup.fm-flag.fm-conflict").len(),
        1,
        "the crew conflict"
    );
    assert_eq!(texts(&overview, "main sup.fm-mark.fm-compatible").len(), 1);
    // Every flag and mark refers to the legend.
    let titles = {
        let sel = scraper::Selector::parse("main .flag, main .mark").expect("selector");
        (ship.select(&sel))
            .filter_map(|e| e.value().attr("title").map(str::to_string))
            .collect::<Vec<_>>()
    };
    assert!(!titles.is_empty());
    assert!(titles.iter().all(|t| t.contains("legend")), "{titles:?}");
    // On the entity page the involved findings are split the same way.
    assert!(
        hrefs(&ship, ".discrepancy-list a.flag")
            .contains(&"../discrepancies/index.html#conflict--aldebaran--crew".to_string())
    );
    assert!(
        hrefs(&ship, ".discrepancy-list a.mark")
            .contains(&"../discrepancies/index.html#compatible--aldebaran--location".to_string())
    );
    assert!(
        !hrefs(&ship, ".discrepancy-list a.flag, .discrepancy-list a.mark")
            .iter()
            .any(|h| h.ends_with("#conflict--aldebaran--length"))
    );
}

#[test]
fn the_discrepancies_page_orders_by_severity_with_a_legend() {
    let (_fixture, site) = build();
    let page = site.html("discrepancies/index.html");
    let legend = texts(&page, "#legend--outcomes dt");
    assert_eq!(legend.len(), 12, "{legend:?}");
    assert!(legend.iter().any(|t| t.contains("change over time")));
    assert!(!texts(&page, "#legend--outcomes dd").is_empty());
    let groups = texts(&page, "section.discrepancy-group > h2");
    assert_eq!(
        groups,
        ["Disagreements", "Soft findings", "Dismissed by the analyst"]
    );
    let ids_in = |group: &str| -> Vec<String> {
        let sel = scraper::Selector::parse(&format!("section#group--{group} section.discrepancy"))
            .expect("selector");
        (page.select(&sel))
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect()
    };
    assert!(ids_in("flags").contains(&"conflict--aldebaran--crew".to_string()));
    assert!(ids_in("flags").contains(&"refloated-too-early".to_string()));
    assert!(ids_in("marks").contains(&"compatible--aldebaran--location".to_string()));
    assert!(ids_in("marks").contains(&"conflict--aldebaran--draught".to_string()));
    assert_eq!(ids_in("dismissed"), ["conflict--aldebaran--length"]);
    let dismissed = texts(&page, "section#conflict--aldebaran--length .analyst-note");
    assert!(
        dismissed[0].contains("length between perpendiculars"),
        "{dismissed:?}"
    );
    // The agreement matrix has a row per flag only.
    let flags = ids_in("flags").len();
    let sources = 4;
    assert_eq!(
        texts(&page, "table.agreement td.cell").len(),
        flags * sources
    );
}

#[test]
fn claim_pages_show_moment_modality_speaker_and_verification() {
    let (_fixture, site) = build();
    let page = site.html("claims/tide-condition.html");
    let facts = texts(&page, "dl.facts dd").join(" | ");
    assert!(facts.contains("as of March 2025"), "{facts}");
    assert!(facts.contains("Ilse Marrow"), "{facts}");
    assert!(facts.contains("not verified"), "{facts}");
    let page = site.html("claims/wire-investigation.html");
    assert_eq!(texts(&page, "dd.modality"), ["confirmed"]);
    // An organization as the speaker.
    let page = site.html("claims/wire-injured-guard.html");
    let facts = texts(&page, "dl.facts dd").join(" | ");
    assert!(
        facts.contains("Varnland Coast Guard") && facts.contains("an organization"),
        "{facts}"
    );
    let ship = site.html("vessels/aldebaran.html");
    let meta = texts(&ship, "li#claim-harbour-aboard .claim-by").join(" ");
    assert!(meta.contains("as of 5 March 2025"), "{meta}");
}

#[test]
fn places_have_pages_and_a_list() {
    let (_fixture, site) = build();
    let list = site.html("places/index.html");
    assert_eq!(
        texts(&list, "ul.entity-list > li > a"),
        ["Kessel Bay", "Port Kessel"]
    );
    let port = site.html("places/port-kessel.html");
    assert_eq!(hrefs(&port, "dl.facts dd a"), ["../places/kessel-bay.html"]);
    let overview = site.html("index.html");
    assert!(hrefs(&overview, "nav a").contains(&"places/index.html".to_string()));
}

#[test]
fn the_print_view_uses_the_same_vocabulary() {
    let (_fixture, site) = build();
    let print = site.html("print/index.html");
    assert_eq!(texts(&print, "#legend dt").len(), 12);
    assert!(!texts(&print, "li#claims-wire-crew sup.fm-flag.fm-conflict").is_empty());
    assert!(texts(&print, "li#claims-tide-location sup.fm-flag").is_empty());
    assert!(!texts(&print, "li#claims-tide-location sup.fm-mark").is_empty());
    assert!(
        texts(
            &print,
            "li#claims-wire-length sup.fm:not(.fm-single-source)"
        )
        .is_empty()
    );
    let groups = texts(&print, "p.print-group");
    assert_eq!(
        groups,
        ["Disagreements", "Soft findings", "Dismissed by the analyst"]
    );
}

#[test]
fn a_declared_kind_has_its_pages_list_and_facts() {
    let (_fixture, site) = build();
    let vessel = site.html("vessels/aldebaran.html");
    assert_eq!(texts(&vessel, "p.kicker"), ["Vessel"]);
    assert_eq!(
        texts(&vessel, "dl.facts dt"),
        ["IMO number", "Flag state", "Also written"]
    );
    assert_eq!(
        texts(&vessel, "dl.facts dd"),
        ["9123456", "Varnland", "Aldebaran"]
    );
    // Its claims and discrepancies are on its page like any entity's.
    assert!(!texts(&vessel, "ul.claims > li").is_empty());
    let list = site.html("vessels/index.html");
    assert_eq!(texts(&list, "h1"), ["Vessels"]);
    assert_eq!(texts(&list, "ul.entity-list > li > a"), ["MV Aldebaran"]);
    let overview = site.html("index.html");
    let nav = hrefs(&overview, "nav a");
    let at = |url: &str| nav.iter().position(|h| h == url);
    assert!(
        at("organizations/index.html") < at("vessels/index.html")
            && at("vessels/index.html") < at("sources/index.html"),
        "declared kinds come before sources in {nav:?}"
    );
    let facts = facts(&site);
    assert_eq!(facts["kinds"][0]["key"], "vessel");
    assert_eq!(facts["kinds"][0]["attributes"][0]["label"], "IMO number");
    let entity = (facts["entities"].as_array().into_iter().flatten())
        .find(|e| e["id"] == "aldebaran")
        .expect("the vessel is in facts.json");
    assert_eq!(entity["kind"], "vessel");
    assert_eq!(entity["attributes"]["imo"], "9123456");
}

#[test]
fn grades_show_beside_sources_and_in_facts() {
    let (_fixture, site) = build();
    let list = site.html("sources/index.html");
    assert_eq!(texts(&list, "ul.entity-list .grade"), ["B2", "C"]);
    assert_eq!(
        texts(&list, "#grades dl").len(),
        2,
        "both scales are explained"
    );
    assert_eq!(texts(&list, "#grades dt .grade").len(), 12);
    let tide = site.html("sources/src-tide.html");
    assert_eq!(texts(&tide, "p.kicker .grade"), ["B2"]);
    assert_eq!(
        hrefs(&tide, "p.kicker a.grade"),
        ["../sources/index.html#grades"]
    );
    let facts = facts(&site);
    let find = |list: &str, id: &str| {
        (facts[list].as_array().into_iter().flatten())
            .find(|e| e["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {list}"))
    };
    assert_eq!(find("entities", "src-tide")["source"]["grade"], "B2");
    assert_eq!(
        find("entities", "src-harbour")["source"]["grade"],
        Value::Null
    );
    // A claim's own credibility replaces its source's; a source without one gives its letter.
    assert_eq!(find("claims", "wire-crew")["grade"], "C4");
    assert_eq!(find("claims", "wire-length")["grade"], "C");
    assert_eq!(find("claims", "harbour-aboard")["grade"], Value::Null);
}
