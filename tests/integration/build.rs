//! A good briefing builds into a cross-linked site with flags where claims are disputed.

use crate::support::{Fixture, hrefs, search_docs, search_index, texts};

#[test]
fn every_entity_claim_and_index_page_is_written() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    for page in [
        "index.html",
        "404.html",
        "countries/index.html",
        "countries/ruritania.html",
        "countries/osterlich.html",
        "people/jan-novak.html",
        "organizations/widget-ministry.html",
        "sources/alpha.html",
        "sources/beta.html",
        "sources/gamma.html",
        "claims/index.html",
        "claims/beta-start-2023.html",
        "discrepancies/index.html",
        "timeline/index.html",
        "facts.json",
        "highlight.css",
        "style.css",
        ".nojekyll",
    ] {
        assert!(site.exists(page), "{page} missing");
    }
}

#[test]
fn claims_link_to_sources_and_sources_link_back() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let claim = site.html("claims/beta-start-2023.html");
    assert!(hrefs(&claim, "dl.facts a").contains(&"../sources/beta.html".to_string()));
    let source = site.html("sources/beta.html");
    let links = hrefs(&source, "ul.claims a.claim-value");
    assert!(
        links.contains(&"../claims/beta-start-2023.html".to_string()),
        "{links:?}"
    );
}

#[test]
fn people_and_countries_link_both_ways() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let person = site.html("people/jan-novak.html");
    assert!(hrefs(&person, "dl.facts a").contains(&"../countries/ruritania.html".to_string()));
    let country = site.html("countries/ruritania.html");
    let back = hrefs(&country, "ul.backlinks a");
    assert!(
        back.contains(&"../people/jan-novak.html".to_string()),
        "{back:?}"
    );
    // The overview mentions the country inline: it is a backlink too.
    assert!(back.contains(&"../index.html".to_string()), "{back:?}");
}

#[test]
fn disputed_claims_carry_flags_and_undisputed_ones_do_not() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let overview = site.html("index.html");
    // One marker per discrepancy in the paragraph: alpha's claim marks the conflict, beta's
    // (in the conflict too) only its contradiction of itself.
    assert_eq!(
        hrefs(&overview, "main sup.fm-flag a"),
        [
            "discrepancies/index.html#conflict--ruritania--production-start",
            "discrepancies/index.html#self--beta--ruritania--production-start"
        ]
    );
    // A marker is a sign and the discrepancy's number, as its card shows it, with the
    // severity and outcome in words for screen readers; no readings inline.
    let markers = texts(&overview, "main sup.fm-flag");
    assert_eq!(
        markers,
        ["⚑flag 1: conflict", "⚑flag 3: self-contradiction"]
    );
    let discrepancies = site.html("discrepancies/index.html");
    assert_eq!(
        texts(
            &discrepancies,
            "section#conflict--ruritania--production-start h3 .disc-num"
        ),
        ["⚑1"]
    );

    // The supply claim is undisputed but has one source: a softer mark, no flag.
    let supply = site.html("claims/gamma-supply.html");
    assert!(
        !texts(&supply, "main .claim-line, main dl").is_empty(),
        "the claim is there"
    );
    assert!(texts(&supply, "sup.fm-flag").is_empty());
    assert_eq!(
        hrefs(&supply, "main .claim-line sup.fm-mark.fm-single-source a"),
        ["../claims/gamma-supply.html"]
    );
    assert_eq!(
        texts(&supply, "main .claim-line sup.fm-single-source .vh"),
        ["single source"]
    );

    // In claim lists, the marker stands beside the disputed claim only: one marker for the
    // conflict and the contradiction it includes, linking to the conflict.
    let country = site.html("countries/ruritania.html");
    assert_eq!(
        hrefs(&country, "li#claim-beta-start-2023 sup.fm a"),
        ["../discrepancies/index.html#conflict--ruritania--production-start"]
    );
    assert_eq!(texts(&country, "li#claim-gamma-supply").len(), 1);
    assert!(texts(&country, "li#claim-gamma-supply sup.fm-flag").is_empty());
}

#[test]
fn a_discrepancy_is_marked_once_per_paragraph() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "content/index.md",
        "---\ntitle: Widgets\n---\n\
         Alpha says [[claim:alpha-start]], beta [[claim:beta-start-2023]] and again\n\
         [[claim:alpha-start|next year]]; gamma [[claim:gamma-supply]] and [[claim:gamma-supply]].\n\n\
         - A list item: [[claim:alpha-start]] and [[claim:alpha-start]].\n\n\
         | a | b |\n|---|---|\n| [[claim:alpha-start]] | [[claim:alpha-start]] |\n",
    );
    let site = fixture.build();
    let overview = site.html("index.html");
    let conflict = "discrepancies/index.html#conflict--ruritania--production-start";
    let in_block =
        |selector: &str| -> Vec<String> { hrefs(&overview, &format!("{selector} sup.fm a")) };
    // The paragraph: the conflict once, beta's contradiction of itself once, the single
    // source once, though each claim is referred to twice.
    assert_eq!(
        in_block("main .overview > p:not(.lede)"),
        [
            conflict,
            "discrepancies/index.html#self--beta--ruritania--production-start",
            "claims/gamma-supply.html"
        ]
    );
    // Every paragraph, list item and table cell starts afresh.
    assert_eq!(in_block("main .overview li"), [conflict]);
    assert_eq!(in_block("main .overview td"), [conflict, conflict]);
    // Every marker links to its card, which exists.
    let cards = site.html("discrepancies/index.html");
    for href in hrefs(&overview, "main sup.fm-flag a") {
        let id = href.split_once('#').map(|(_, id)| id).expect("an anchor");
        assert_eq!(
            texts(&cards, &format!("section.discrepancy[id='{id}']")).len(),
            1,
            "{href}"
        );
    }
}

#[test]
fn discrepancies_page_lists_every_reading_and_note() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let page = site.html("discrepancies/index.html");
    let ids: Vec<String> = texts(&page, "section.discrepancy h3");
    assert_eq!(ids.len(), 3, "{ids:?}");
    let text = site.text("discrepancies/index.html");
    assert!(text.contains("id=\"conflict--ruritania--production-start\""));
    assert!(text.contains("id=\"drift--alpha-quote\""));
    assert!(
        text.contains("<ins>new</ins>"),
        "drift shows the added word"
    );
    assert!(text.contains("Verdict:</strong> 2026"));
    assert!(text.contains("impossible for a report dated 2025"));
}

#[test]
fn facts_json_holds_entities_claims_and_discrepancies() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let facts: serde_json::Value = serde_json::from_str(&site.text("facts.json")).expect("json");
    assert_eq!(facts["version"], 3);
    assert_eq!(facts["entities"].as_array().map(Vec::len), Some(8));
    let claim = facts["claims"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "beta-start-2023"))
        .expect("claim in export");
    assert_eq!(claim["value"], "2023", "a year is a date, in ISO 8601");
    assert_eq!(claim["source"], "beta");
    assert_eq!(claim["document"], "beta.txt");
    let kinds: Vec<&str> = facts["discrepancies"]
        .as_array()
        .expect("discrepancies")
        .iter()
        .filter_map(|d| d["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        ["conflict", "quote-drift", "self-contradiction"],
        "ordered by id"
    );
}

#[test]
fn links_are_relative_so_any_sub_path_works() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["build", "--base-url", "https://user.github.io/repo/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let person =
        std::fs::read_to_string(fixture.path("public/people/jan-novak.html")).expect("page");
    assert!(
        !person.contains("href=\"/"),
        "no root-absolute links on normal pages"
    );
    assert!(person.contains("\"@id\":\"https://user.github.io/repo/people/jan-novak.html\""));
    // The 404 page is served from any path, so its links use the base path.
    let missing = std::fs::read_to_string(fixture.path("public/404.html")).expect("404");
    assert!(missing.contains("href=\"/repo/index.html\""));
}

#[test]
fn code_is_highlighted_with_classes_and_records_shown_as_written() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let overview = site.text("index.html");
    assert!(overview.contains("<pre class=\"code\" data-lang=\"yaml\"><code><span class=\"hl-"));
    let claim = site.html("claims/alpha-start.html");
    let place = texts(&claim, "details.record .record-place");
    assert!(
        place[0].contains("content/claims/claims.yaml, line 2"),
        "{place:?}"
    );
    let record = texts(&claim, "details.record pre.code code");
    assert!(record[0].starts_with("- id: alpha-start\n"), "{record:?}");
    let raw = site.text("claims/alpha-start.html");
    let shown = &raw[raw.find("<details class=\"record\"").unwrap_or(0)..];
    assert!(!shown.contains("hl-"), "the record is not highlighted");
    assert!(site.text("highlight.css").contains(".hl-"));
}

#[test]
fn check_passes_on_a_good_briefing_and_writes_nothing() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("no errors"));
    assert!(!fixture.path("public").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let fixture = Fixture::new("basic");
    fixture.build();
    let before = std::fs::read(fixture.path("public/index.html")).expect("built");
    fixture.replace(
        "content/claims/claims.yaml",
        "source: alpha\n    quote: start",
        "source: alpah\n    quote: start",
    );
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("nothing was written"));
    assert_eq!(
        std::fs::read(fixture.path("public/index.html")).expect("still there"),
        before
    );
}

#[test]
fn trusted_raw_html_is_kept() {
    let fixture = Fixture::new("basic");
    fixture.replace(
        "dossier.yaml",
        "base_url: /",
        "base_url: /\ntrust_html: true",
    );
    fixture.write(
        "content/pages/raw.md",
        "---\ntitle: Raw\n---\n<div class=\"box\" data-x=\"1\">kept</div>\n",
    );
    let site = fixture.build();
    assert!(
        site.text("pages/raw.html")
            .contains("<div class=\"box\" data-x=\"1\">kept</div>")
    );
}

#[test]
fn references_inside_links_and_images_become_text() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "content/pages/links.md",
        "---\ntitle: Links\n---\n[see [[ruritania]]](https://example.org) ![a [[claim:alpha-start]] b](x.png)\n",
    );
    let site = fixture.build();
    let page = site.text("pages/links.html");
    assert!(
        page.contains("<a href=\"https://example.org\">see Ruritania</a>"),
        "{page}"
    );
    assert!(page.contains("alt=\"a 2026 b\""), "{page}");
}

#[test]
fn raw_html_is_sanitised_unless_trusted() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "content/pages/raw.md",
        "---\ntitle: Raw\n---\n<script>alert(1)</script><a href=\"javascript:alert(2)\" onclick=\"x()\">x</a> <b>bold</b>\n",
    );
    let site = fixture.build();
    let page = site.text("pages/raw.html");
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("javascript:"));
    assert!(!page.contains("onclick"));
    assert!(page.contains("<b>bold</b>"));
}

#[test]
fn strings_from_yaml_are_escaped_everywhere() {
    const PAYLOAD: &str = "X</script><script>alert(1)</script>\\\" onmouseover=\\\"alert(2)";
    let fixture = Fixture::new("basic");
    for (file, from) in [
        ("content/entities.yaml", "name: Ministry of Widgets"),
        ("content/entities.yaml", "label: Widget production starts"),
        ("content/sources.yaml", "outlet: Alpha Daily"),
        ("content/sources.yaml", "title: Widgets in 2023"),
        (
            "content/claims/claims.yaml",
            "value: tens of thousands of widgets",
        ),
        (
            "content/claims/claims.yaml",
            "title: \"Production start: 2023 or 2026?\"",
        ),
    ] {
        let key = from.split(':').next().expect("key");
        fixture.replace(file, from, &format!("{key}: \"{PAYLOAD}\""));
    }
    let site = fixture.build();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&site.root) {
        let entry = entry.expect("walk");
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "html") {
            // Parsed as a browser would: no handler attribute, no script running the payload.
            let html = scraper::Html::parse_document(&std::fs::read_to_string(path).expect("read"));
            let handlers = scraper::Selector::parse("[onmouseover]").expect("selector");
            assert!(
                html.select(&handlers).next().is_none(),
                "attribute breakout in {}",
                path.display()
            );
            let scripts = scraper::Selector::parse("script").expect("selector");
            for script in html.select(&scripts) {
                let code: String = script.text().collect();
                if script.value().attr("type") == Some("application/ld+json") {
                    // Data, not code: it must still be one whole JSON document.
                    serde_json::from_str::<serde_json::Value>(&code).expect("JSON-LD stays JSON");
                } else {
                    assert!(
                        !code.contains("alert("),
                        "script payload in {}",
                        path.display()
                    );
                }
            }
            checked += 1;
        } else if path.extension().is_some_and(|e| e == "js") {
            let text = std::fs::read_to_string(path).expect("read");
            assert!(
                !text.contains("</script"),
                "unescaped </script> in {}",
                path.display()
            );
        }
    }
    assert!(checked > 20, "{checked} files checked");
    // The payload did land on the pages, escaped.
    assert!(
        site.text("organizations/widget-ministry.html")
            .contains("\\u003c/script\\u003e")
    );
    assert!(
        site.text("sources/alpha.html")
            .contains("&lt;script&gt;alert(1)")
    );
}

/// The discrepancy section as a reader gets it: readings, sources, quotes, drift and note.
#[test]
fn discrepancy_markup_snapshot() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let page = site.html("discrepancies/index.html");
    let selector = scraper::Selector::parse("section#drift--alpha-quote").expect("selector");
    let section = page.select(&selector).next().expect("drift section").html();
    insta::assert_snapshot!(section);
}

/// The markers in running text, as the overview shows them.
#[test]
fn inline_flag_snapshot() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let page = site.html("index.html");
    let selector = scraper::Selector::parse("main sup.fm").expect("selector");
    let flags: Vec<String> = page.select(&selector).map(|f| f.html()).collect();
    insta::assert_snapshot!(flags.join("\n"));
}

#[test]
fn timeline_and_agreement_pictures_are_inline() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let timeline = site.html("timeline/index.html");
    let labels = texts(&timeline, "svg.chart-timeline text.when");
    // 2023 (one disputed claim), 9 July 2025 (one, disputed: the 2026 reading of alpha), 2026.
    assert!(labels.iter().any(|b| b.contains('⚑')), "{labels:?}");
    let discrepancies = site.html("discrepancies/index.html");
    let cells = texts(&discrepancies, "table.agreement td.cell span[aria-hidden]");
    // Three discrepancies by three sources.
    assert_eq!(cells.len(), 9, "{cells:?}");
    // Beta gives both readings of the start year; gamma agrees with the verdict.
    assert_eq!(&cells[..3], ["✓", "±", "✓"]);
    // The quote drift (rows in id order) is a tie: no reading is best supported, so no
    // source gets a tick for whichever reading came first; beta's contradiction of itself
    // gives both readings.
    assert_eq!(&cells[3..], ["=", "=", "·", "·", "±", "·"]);
    let best = texts(&discrepancies, "section#drift--alpha-quote .reading .best");
    assert!(best.is_empty(), "{best:?}");
}

#[test]
fn a_theme_can_replace_the_flag_markup() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "templates/partials/flags.html",
        "{% for f in flags %} <b class=\"my-flag\">{{ f.detail }}</b>{% endfor %}\n",
    );
    let site = fixture.build();
    let country = site.html("countries/ruritania.html");
    assert_eq!(
        texts(&country, "li#claim-beta-start-2023 b.my-flag").len(),
        1
    );
    assert!(texts(&country, "li#claim-beta-start-2023 sup.fm").is_empty());
    let print = site.html("print/index.html");
    assert_eq!(
        texts(&print, "li#claims-beta-start-2023 b.my-flag").len(),
        1
    );
}

#[test]
fn the_print_view_links_inside_itself_with_unique_ids() {
    let fixture = Fixture::new("basic");
    // A country whose section id is the countries heading's id, `countries-h`.
    fixture.replace(
        "content/entities.yaml",
        "countries:\n",
        "countries:\n  - id: h\n    name: Aitch\n",
    );
    // Two summaries with the same heading id, the second linking to its own.
    fixture.replace(
        "content/countries/ruritania.md",
        "[[claim:gamma-start]].",
        "[[claim:gamma-start]].\n\n## Notes {#notes}\n\nText.",
    );
    fixture.write(
        "content/countries/osterlich.md",
        "---\ntitle: Österlich\nentity: osterlich\n---\n[Below](#notes).\n\n## Notes {#notes}\n\nMore.\n",
    );
    let site = fixture.build();
    let print = site.html("print/index.html");
    assert_eq!(
        hrefs(&print, "article#countries-osterlich .summary a"),
        ["#user_notes-2"]
    );
    let ids: Vec<String> = {
        let selector = scraper::Selector::parse("[id]").expect("selector");
        (print.select(&selector))
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect()
    };
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "repeated ids");
    assert!(ids.contains(&"countries-h".to_string()));
    assert!(ids.contains(&"countries-h-2".to_string()), "{ids:?}");
    for href in hrefs(&print, "a") {
        let id = href.strip_prefix('#').expect("in-page link");
        assert!(unique.contains(&id.to_string()), "{href} leads nowhere");
    }
    // A marker in the print view is a numbered note: it links to the discrepancy's section
    // with its number for paper, and the section's notes write its detail out.
    let flags = hrefs(&print, "li#claims-beta-start-2023 sup.fm a");
    assert_eq!(
        flags,
        ["#discrepancies-conflict--ruritania--production-start"]
    );
    let refs: Vec<&str> = {
        let selector =
            scraper::Selector::parse("li#claims-beta-start-2023 sup.fm a").expect("selector");
        (print.select(&selector))
            .filter_map(|a| a.value().attr("data-ref"))
            .collect()
    };
    assert_eq!(
        refs,
        ["§2.1"],
        "section numbers for paper: the discrepancies are section 2"
    );
    // An entity's section lists its discrepancies by title (section 2 has them in full);
    // the overview, read first, writes out those it marks.
    let listed = hrefs(&print, "article#countries-ruritania p.print-also a");
    assert!(
        listed.contains(&"#discrepancies-conflict--ruritania--production-start".to_string()),
        "{listed:?}"
    );
    let overview_notes = texts(&print, "section#overview .print-notes li");
    assert_eq!(overview_notes.len(), 2, "{overview_notes:?}");
    assert!(
        overview_notes.iter().any(|n| n.starts_with("⚑1 conflict: ")
            && n.contains("2026: Alpha Daily")
            && n.contains("2023: Beta Wire")),
        "{overview_notes:?}"
    );
    // Each claim once, in the annex under its subject, where links to it lead.
    let annexed = texts(&print, "section#annex li.claim");
    assert_eq!(
        annexed.len(),
        7,
        "the basic briefing's seven claims: {annexed:?}"
    );
    assert_eq!(texts(&print, "li.claim").len(), 7, "and nowhere else");
    let text = site.text("print/index.html");
    assert_eq!(
        text.matches("href=\"../").count(),
        2,
        "only the stylesheets"
    );
}

#[test]
fn search_index_covers_entities_claims_and_quotes() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let docs = search_docs(&search_index(&site));
    assert!(
        docs.iter()
            .any(|d| d[2] == "Jan Novák" && d[0] == "people/jan-novak.html" && d[1] == "Person")
    );
    assert!(docs.iter().any(|d| {
        d[1] == "Claim" && d[3].contains("tens of thousands of new widgets") && !d[4].is_empty()
    }));
    assert!(site.exists("search/index.html") && site.exists("search.js"));
}

#[test]
fn a_kind_without_entities_has_no_list_page_and_no_link() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    assert!(
        !site.exists("places/index.html"),
        "the basic briefing has no places"
    );
    assert!(site.exists("countries/index.html"));
    let overview = site.html("index.html");
    let nav = hrefs(&overview, "nav a");
    assert!(!nav.iter().any(|h| h.starts_with("places/")), "{nav:?}");
    assert!(nav.contains(&"countries/index.html".to_string()), "{nav:?}");
}

#[test]
fn long_lists_are_paginated() {
    let fixture = Fixture::new("basic");
    let mut records = String::from("countries:\n");
    for i in 0..501 {
        records.push_str(&format!("  - id: land-{i:03}\n    name: Land {i:03}\n"));
    }
    records.push_str("claims:\n");
    for i in 0..260 {
        records.push_str(&format!(
            "  - id: land-{i:03}-start\n    subject: land-{i:03}\n    property: production-start\n    kind: year\n    value: 2026\n    source: alpha\n    quote: start making widgets next year\n"
        ));
    }
    // 120 of them disputed: with the fixture's own findings, more than a page of them.
    for i in 0..120 {
        records.push_str(&format!(
            "  - id: land-{i:03}-beta\n    subject: land-{i:03}\n    property: production-start\n    kind: year\n    value: 2023\n    source: beta\n    quote: starts widget production in 2023\n"
        ));
    }
    fixture.write("content/many.yaml", &records);
    let site = fixture.build();
    // 503 countries, 500 a page: two pages, each linking to the other.
    let first = site.html("countries/index.html");
    let second = site.html("countries/index.2.html");
    assert!(!site.exists("countries/index.3.html"));
    let names = |page: &scraper::Html| texts(page, "ul.entity-list > li > a");
    assert_eq!(names(&first).len(), 500);
    assert_eq!(names(&first).len() + names(&second).len(), 503);
    assert!(names(&first).iter().all(|n| !names(&second).contains(n)));
    assert_eq!(
        hrefs(&first, "nav.pagination a[rel=next]"),
        ["../countries/index.2.html"; 2],
        "before the list and after it"
    );
    assert_eq!(
        hrefs(&second, "nav.pagination a[rel=prev]"),
        ["../countries/index.html"; 2]
    );
    assert_eq!(
        texts(&second, "nav.pagination a[aria-current=page]"),
        ["2", "2"]
    );
    // The claims index: 100 subjects a page.
    let claims = site.html("claims/index.html");
    assert_eq!(texts(&claims, "section.claim-groups > h2").len(), 100);
    assert!(site.exists("claims/index.2.html"));
    let rest = site.html("claims/index.2.html");
    assert!(!texts(&rest, "section.claim-groups > h2").is_empty());
    // The timeline: 250 claims a page; a date whose claims straddle two pages heads its part
    // on each, and each page charts its own dates.
    let timeline = site.html("timeline/index.html");
    let later = site.html("timeline/index.2.html");
    assert!(!site.exists("timeline/index.3.html"));
    let dated = |page: &scraper::Html| texts(page, "ol.timeline > li > ul > li").len();
    assert_eq!(dated(&timeline), 250);
    assert!(dated(&later) >= 10, "the rest: {}", dated(&later));
    let year = |page: &scraper::Html| {
        texts(page, "ol.timeline > li > h2.when").contains(&"2026".to_string())
    };
    assert!(year(&timeline) && year(&later));
    assert_eq!(texts(&timeline, "figure.chart-figure-timeline").len(), 1);
    assert_eq!(texts(&later, "figure.chart-figure-timeline").len(), 1);
    assert_eq!(
        hrefs(&timeline, "nav.pagination a[rel=next]"),
        ["../timeline/index.2.html"; 2]
    );
    // The discrepancies: 100 a page, in the order they are numbered in, the legend on the
    // first; a flag leads to the page that shows its discrepancy.
    let discs = site.html("discrepancies/index.html");
    let more = site.html("discrepancies/index.2.html");
    assert!(!site.exists("discrepancies/index.3.html"));
    let shown = |page: &scraper::Html| texts(page, "section.discrepancy > h3").len();
    assert_eq!(shown(&discs), 100);
    assert!(shown(&more) >= 20, "the rest: {}", shown(&more));
    assert_eq!(texts(&discs, "#legend--outcomes").len(), 1);
    assert!(texts(&more, "#legend--outcomes").is_empty());
    assert_eq!(
        hrefs(&discs, "nav.pagination a[rel=next]"),
        ["../discrepancies/index.2.html"; 2]
    );
    let flags = |c: &str| hrefs(&site.html(&format!("claims/{c}.html")), "sup.fm a");
    assert!(
        flags("land-119-beta")
            .iter()
            .any(|h| h == "../discrepancies/index.2.html#conflict--land-119--production-start"),
        "{:?}",
        flags("land-119-beta")
    );
    assert!(
        flags("land-000-beta")
            .iter()
            .any(|h| h == "../discrepancies/index.html#conflict--land-000--production-start"),
        "{:?}",
        flags("land-000-beta")
    );
    // A source's page: what it claims, 100 subjects a page; its summary and record on the
    // first only.
    let alpha = site.html("sources/alpha.html");
    let alpha2 = site.html("sources/alpha.2.html");
    let alpha3 = site.html("sources/alpha.3.html");
    assert!(!site.exists("sources/alpha.4.html"));
    let subjects = |page: &scraper::Html| texts(page, "section.subject-group > h3").len();
    assert_eq!((subjects(&alpha), subjects(&alpha2)), (100, 100));
    assert!(subjects(&alpha3) > 60, "the rest: {}", subjects(&alpha3));
    assert_eq!(texts(&alpha, "details.record").len(), 1);
    assert!(texts(&alpha2, "details.record").is_empty());
    assert_eq!(
        hrefs(&alpha, "nav.pagination a[rel=next]"),
        ["../sources/alpha.2.html"; 2]
    );
    assert_eq!(
        hrefs(&alpha3, "nav.pagination a[rel=prev]"),
        ["../sources/alpha.2.html"; 2]
    );
    // The overview names the first 40 of a kind and links to the rest.
    let overview = site.html("index.html");
    assert!(
        texts(&overview, "ul.inline-list a").contains(&"and 463 more".to_string()),
        "{:?}",
        texts(&overview, "ul.inline-list a")
    );
    // And the discrepancies of their first page, with a link to the rest.
    assert_eq!(texts(&overview, "ol.discrepancy-index > li").len(), 100);
    assert_eq!(
        hrefs(&overview, "section.at-a-glance p a[href$='index.2.html']"),
        ["discrepancies/index.2.html"]
    );
    // Every link and anchor of the paged site holds.
    let check = fixture.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

/// `check` reads every page's links and ids (html5ever's tokenizer): a link to a file the site
/// lacks and one to an anchor its page lacks are both reported, each with its page.
#[test]
fn check_reports_a_missing_file_and_a_missing_anchor() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "content/about.md",
        "---\ntitle: About\n---\nSee [the annex](missing.html) and [the top](../index.html#nowhere).\n",
    );
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("broken link `missing.html`: no file"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("no anchor #nowhere in index.html"),
        "{}",
        run.stderr
    );
    // Those two only: every other link and anchor of the site is found.
    assert_eq!(
        run.stderr.matches("broken link").count(),
        2,
        "{}",
        run.stderr
    );
}
