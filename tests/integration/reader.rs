//! What a reader gets on the long pages: entity pages with a contents list, claims grouped
//! by property with the readings of a disagreement side by side, the record behind a
//! closed disclosure; the claims index by subject and property; the source-agreement
//! matrix (rows linking to their cards, ties and single readings never drawn as agreement)
//! and the timeline to scale, on the site and in the print view.

use scraper::{ElementRef, Html, Selector};

use crate::support::{Fixture, hrefs, texts};

fn select<'a>(html: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    let sel = Selector::parse(selector).expect("valid selector");
    html.select(&sel).collect()
}

/// The basic fixture with a single-reading finding: only gamma names Österlich.
fn with_single_reading() -> Fixture {
    let fixture = Fixture::new("basic");
    let claims = "content/claims/claims.yaml";
    let text = fixture.read(claims);
    fixture.write(
        claims,
        &format!(
            "{text}\n  - id: only-gamma-supply\n    claims: [gamma-supply]\n    kind: unsupported\n    title: Only gamma names a customer\n    note: No other report names one.\n"
        ),
    );
    fixture
}

#[test]
fn entity_pages_group_claims_by_property_with_contents() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let page = site.html("countries/ruritania.html");
    // A heading per property, with the property's label, in order of first appearance.
    let headings = texts(&page, "section.property-group > h3");
    let labels: Vec<&str> = (headings.iter())
        .map(|h| h.split(" ").next().unwrap_or_default())
        .collect();
    assert_eq!(labels.len(), 3, "{headings:?}");
    assert!(
        headings[0].starts_with("Widget production starts"),
        "{headings:?}"
    );
    assert!(headings[0].contains("4 claims"), "{headings:?}");
    assert!(
        headings[1].starts_with("Will supply widgets to"),
        "{headings:?}"
    );
    assert!(headings[2].starts_with("Statement"), "{headings:?}");
    // Each claim sits under its property, which its line no longer repeats.
    let start = select(&page, "section.property-group")[0];
    let ids: Vec<&str> = (start.select(&Selector::parse("li.claim").expect("selector")))
        .filter_map(|li| li.value().attr("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "claim-alpha-start",
            "claim-beta-start-2023",
            "claim-beta-start-next-year",
            "claim-gamma-start"
        ]
    );
    assert!(texts(&page, "section.property-group .claim-property").is_empty());
    // The conflict's readings side by side above the claims, the best one marked, and a
    // link to its card; beta's contradiction of itself on the same property below it.
    let comparison = texts(
        &page,
        "#property--production-start + .comparison .compare-reading",
    );
    assert_eq!(comparison.len(), 2, "{comparison:?}");
    assert!(
        comparison
            .iter()
            .any(|r| r.starts_with("2026") && r.contains("best supported"))
    );
    assert!(
        comparison
            .iter()
            .any(|r| r.starts_with("2023") && r.contains("Beta Wire"))
    );
    let links = hrefs(&page, "section.property-group .comparison-head a");
    assert_eq!(
        links,
        ["../discrepancies/index.html#conflict--ruritania--production-start"]
    );
    let more = hrefs(&page, "section.property-group ul.comparison-more a");
    assert_eq!(
        more,
        ["../discrepancies/index.html#self--beta--ruritania--production-start"]
    );
    // The contents list names the sections and every property group, with working anchors.
    let nav = select(&page, "nav.page-contents[aria-label='On this page']");
    assert_eq!(nav.len(), 1, "one contents list");
    let targets = hrefs(&page, "nav.page-contents a");
    for anchor in [
        "#summary-h",
        "#about-h",
        "#property--production-start",
        "#property--supplies-to",
        "#property--statement",
    ] {
        assert!(
            targets.iter().any(|t| t == anchor),
            "{anchor} in {targets:?}"
        );
    }
    for t in &targets {
        let id = t.trim_start_matches('#');
        assert_eq!(select(&page, &format!("[id='{id}']")).len(), 1, "{t}");
    }
    // The groups with a flag are marked: the start year (a conflict) and the statement (its
    // wording drifts), not the supply.
    let flagged: Vec<String> = select(&page, "nav.page-contents li li")
        .iter()
        .filter(|li| {
            li.select(&Selector::parse(".flag-sample").expect("selector"))
                .next()
                .is_some()
        })
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(flagged.len(), 2, "{flagged:?}");
    assert!(
        flagged[0].starts_with("Widget production starts"),
        "{flagged:?}"
    );
    assert!(flagged[1].starts_with("Statement"), "{flagged:?}");
    // A short page has no contents list.
    let org = site.html("organizations/widget-ministry.html");
    assert!(select(&org, "nav.page-contents").is_empty());
}

#[test]
fn authoring_details_are_behind_a_closed_disclosure() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    for (page, file) in [
        ("countries/ruritania.html", "content/entities.yaml"),
        ("sources/alpha.html", "content/sources.yaml"),
        ("claims/alpha-start.html", "content/claims/claims.yaml"),
    ] {
        let html = site.html(page);
        let details = select(&html, "details.record");
        assert_eq!(details.len(), 1, "{page}");
        assert_eq!(
            details[0].value().attr("open"),
            None,
            "{page}: closed by default"
        );
        assert_eq!(
            texts(&html, "details.record > summary"),
            ["Show the record"]
        );
        let place = texts(&html, "details.record .record-place").join(" ");
        assert!(
            place.contains(file) && place.contains("line "),
            "{page}: {place}"
        );
        // Nothing of it outside the disclosure.
        let main = texts(&html, "main").join(" ");
        let outside = main.replace(&texts(&html, "details.record").join(" "), "");
        assert!(!outside.contains(file), "{page}: {file} outside the record");
        assert!(!outside.contains("Value kind"), "{page}");
        assert!(!outside.contains("alpha.txt"), "{page}: the document file");
    }
    let claim = site.html("claims/alpha-start.html");
    let place = texts(&claim, "details.record .record-place").join(" ");
    assert!(place.contains("value kind: date"), "{place}");
    let source = site.html("sources/alpha.html");
    assert_eq!(
        texts(&source, "details.record dl.record-facts dd"),
        ["alpha.txt"]
    );
    let facts = texts(&source, "dl.facts:not(.record-facts) dt");
    assert!(facts.contains(&"Outlet".to_string()), "{facts:?}");
    assert!(!facts.contains(&"Document file".to_string()), "{facts:?}");
}

#[test]
fn the_claims_index_groups_by_subject_and_property() {
    let fixture = Fixture::new("basic");
    let claims = "content/claims/claims.yaml";
    let text = fixture.read(claims).replacen(
        "claims:\n",
        "claims:\n  - id: gamma-osterlich\n    subject: osterlich\n    property: buys-from\n    kind: entity\n    value: ruritania\n    source: gamma\n    quote: the widgets will go to Osterlich\n\n",
        1,
    );
    fixture.write(claims, &text);
    let site = fixture.build();
    let page = site.html("claims/index.html");
    assert_eq!(
        texts(&page, "section.claim-groups > h2"),
        ["Österlich", "Ruritania"]
    );
    let properties = texts(&page, "section#subject--ruritania, section.claim-groups h3");
    assert!(
        properties
            .iter()
            .any(|p| p.starts_with("Widget production starts"))
    );
    // One line per value, each source leading to its claim.
    let values = texts(
        &page,
        "#ruritania--production-start ~ ul.value-claims strong",
    );
    assert_eq!(values, ["2026", "2023"]);
    let sources = hrefs(
        &page,
        "#ruritania--production-start ~ ul.value-claims a[id]",
    );
    assert_eq!(
        sources,
        [
            "../claims/alpha-start.html",
            "../claims/beta-start-next-year.html",
            "../claims/gamma-start.html",
            "../claims/beta-start-2023.html"
        ]
    );
    let nav = hrefs(
        &page,
        "nav.page-contents[aria-label='Subjects on this page'] a",
    );
    assert_eq!(nav, ["#subject--osterlich", "#subject--ruritania"]);
}

#[test]
fn matrix_has_no_column_for_a_source_no_flag_involves() {
    let fixture = with_single_reading();
    fixture.write(
        "content/delta.yaml",
        "sources:\n  - id: delta\n    outlet: Delta Post\n    title: Nothing disputed\n",
    );
    let site = fixture.build();
    let page = site.html("discrepancies/index.html");
    let columns = texts(&page, "table.agreement thead th");
    assert_eq!(
        columns,
        [
            "Disagreement",
            "Alpha Daily",
            "Beta Wire",
            "Widget production begins"
        ]
    );
    // Every row has a cell per column, no more.
    assert!(matrix(&page).iter().all(|row| row.len() == 3));
    assert!(
        site.exists("sources/delta.html"),
        "the source itself is listed"
    );
}

/// The matrix's symbols, row by row.
fn matrix(page: &Html) -> Vec<Vec<String>> {
    select(page, "table.agreement tbody tr")
        .into_iter()
        .map(|row| {
            (row.select(&Selector::parse("td.cell span[aria-hidden]").expect("selector")))
                .map(|s| s.text().collect())
                .collect()
        })
        .collect()
}

#[test]
fn matrix_rows_link_to_cards_and_only_real_readings_agree() {
    let fixture = with_single_reading();
    let site = fixture.build();
    let page = site.html("discrepancies/index.html");
    // Real header cells: a column per source, a row header per flag.
    let columns = texts(&page, "table.agreement thead th");
    assert_eq!(
        columns,
        [
            "Disagreement",
            "Alpha Daily",
            "Beta Wire",
            "Widget production begins"
        ]
    );
    let rows = hrefs(&page, "table.agreement tbody th[scope=row] a");
    let flags: Vec<String> = (select(&page, "section.group-flags > section.discrepancy"))
        .iter()
        .filter_map(|s| s.value().attr("id"))
        .map(|id| format!("../discrepancies/index.html#{id}"))
        .collect();
    assert_eq!(rows, flags, "a row per flag, linking to its card");
    for row in &rows {
        let id = row.rsplit('#').next().unwrap_or_default();
        assert_eq!(
            select(&page, &format!("section[id='{id}']")).len(),
            1,
            "{row}"
        );
    }
    // Labels are whole, not cut.
    let labels = texts(&page, "table.agreement tbody th[scope=row] a");
    assert!(
        (labels.iter())
            .any(|l| l.starts_with('⚑') && l.ends_with(" Production start: 2023 or 2026?")),
        "numbered as the markers: {labels:?}"
    );
    assert!(labels.iter().all(|l| !l.ends_with('…')), "{labels:?}");
    let cells = matrix(&page);
    assert_eq!(cells.len(), 4, "{cells:?}");
    // The conflict: alpha and gamma give the verdict, beta gives both.
    assert_eq!(cells[0], ["✓", "±", "✓"]);
    // The quote drift is a tie: a tie's symbol, no tick.
    assert_eq!(cells[1], ["=", "=", "·"]);
    // The single reading: gamma makes the statement in question; nothing is a tick.
    assert_eq!(cells[2], ["·", "·", "●"]);
    // Beta contradicts itself: it gives both readings.
    assert_eq!(cells[3], ["·", "±", "·"]);
    // Every cell says in words what its symbol means, and the legend lists those used.
    let words = texts(&page, "table.agreement td.cell .visually-hidden");
    assert_eq!(words.len(), 12);
    assert!(words.iter().any(|w| w.contains("tie")), "{words:?}");
    let legend = texts(&page, ".agreement-legend li").join(" | ");
    for symbol in ["✓", "±", "=", "●", "·"] {
        assert!(legend.contains(symbol), "{symbol} in {legend}");
    }
    assert!(
        !legend.contains('✗'),
        "no source gives another reading: {legend}"
    );
    // The table scrolls in a region of its own that the keyboard can reach.
    let region = select(&page, ".table-scroll[role=region][tabindex='0']");
    assert_eq!(region.len(), 1);
}

#[test]
fn the_print_view_has_both_charts_linking_inside_it() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let print = site.html("print/index.html");
    let rows = select(
        &print,
        "#discrepancies table.agreement tbody th[scope=row] a",
    );
    assert_eq!(rows.len(), 3);
    for row in rows {
        let href = row.value().attr("href").unwrap_or_default();
        assert!(href.starts_with('#'), "{href}: an in-page link");
        let id = href.trim_start_matches('#');
        assert_eq!(
            select(&print, &format!("section[id='{id}']")).len(),
            1,
            "{href}"
        );
        assert!(
            row.value().attr("data-ref").is_some(),
            "{href}: a section number"
        );
    }
    assert_eq!(select(&print, "#timeline svg.chart-timeline").len(), 1);
    let css = site.text("print.css");
    assert!(css.contains(".print-view .table-scroll { overflow: visible"));
}

#[test]
fn the_timeline_is_drawn_to_scale() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let page = site.html("timeline/index.html");
    let labels = texts(&page, "svg.chart-timeline text.when");
    // 2023, 9 July 2025 and 2026 (the 2026 readings), each with its count and ⚑ when disputed.
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert!(labels.iter().any(|l| l.contains('⚑')), "{labels:?}");
    let ticks = texts(&page, "svg.chart-timeline text.tick");
    assert_eq!(ticks, ["2023", "2024", "2025", "2026", "2027"]);
    // x in percent of the width: the 9 July 2025 dot is further from 2023 than from 2026.
    let svg = select(&page, "svg.chart-timeline")[0];
    assert_eq!(svg.value().attr("width"), Some("100%"));
    let percent = |s: &str| {
        s.trim_end_matches('%')
            .parse::<f64>()
            .expect("a percentage")
    };
    let bars: Vec<(f64, f64)> = select(&page, "svg.chart-timeline rect.mark")
        .iter()
        .map(|r| {
            let x = percent(r.value().attr("x").unwrap_or_default());
            (x, x + percent(r.value().attr("width").unwrap_or_default()))
        })
        .collect();
    let dots: Vec<f64> = select(&page, "svg.chart-timeline circle.mark")
        .iter()
        .map(|c| percent(c.value().attr("cx").unwrap_or_default()))
        .collect();
    assert_eq!((bars.len(), dots.len()), (2, 1), "{bars:?} {dots:?}");
    let (y2023, y2026) = (bars[0], bars[1]);
    // Whole years are as wide as each other.
    assert!(
        ((y2023.1 - y2023.0) - (y2026.1 - y2026.0)).abs() < 0.1,
        "{bars:?}"
    );
    let july = dots[0];
    let from_2023 = july - y2023.0;
    let to_2026 = y2026.0 - july;
    // 1 January 2023 to 9 July 2025 is 920 days; to 1 January 2026, 176.
    assert!(
        (from_2023 / to_2026 - 920.0 / 176.0).abs() < 0.2,
        "{july} {bars:?}"
    );
}
