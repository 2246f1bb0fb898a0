//! Inline references are resolved once: pages and `note:` fields link, and make backlinks.

use crate::support::{Fixture, hrefs, texts};

/// The basic fixture with a country that only notes mention: a claim's and an analyst's.
fn mentioned_in_notes() -> Fixture {
    let fixture = Fixture::new("basic");
    fixture
        .replace(
            "content/entities.yaml",
            "countries:\n",
            "countries:\n  - id: zembla\n    name: Zembla\n",
        )
        .replace(
            "content/claims/claims.yaml",
            "    quote: We will build tens of thousands of widgets\n",
            "    quote: We will build tens of thousands of widgets\n    \
             note: Said in Žemė, near [[zembla|the Zemblan border]].\n",
        )
        .replace(
            "content/claims/claims.yaml",
            "its own body says \"next year\".\n",
            "its own body says \"next year\". Not [[zembla]]'s `[[zembla]]`.\n",
        );
    fixture
}

#[test]
fn an_entity_mentioned_only_in_notes_gets_backlinks() {
    let fixture = mentioned_in_notes();
    let site = fixture.build();
    let page = site.html("countries/zembla.html");
    let back = hrefs(&page, "ul.backlinks a");
    assert!(
        back.contains(&"../claims/alpha-quote.html".to_string()),
        "{back:?}"
    );
    let on_discrepancies: Vec<&String> = (back.iter())
        .filter(|h| h.starts_with("../discrepancies/index.html#"))
        .collect();
    assert_eq!(on_discrepancies.len(), 1, "{back:?}");
    // The backlink's anchor is the discrepancy the note explains, where the note is shown.
    let anchor = on_discrepancies[0].rsplit('#').next().unwrap_or_default();
    let discrepancies = site.html("discrepancies/index.html");
    let in_section = format!("section[id=\"{anchor}\"] a.ref");
    assert!(
        hrefs(&discrepancies, &in_section).contains(&"../countries/zembla.html".to_string()),
        "no link to zembla in section {anchor}"
    );
    // The notes themselves link, with the label written; code stays literal.
    let claim = site.html("claims/alpha-quote.html");
    let labels = texts(&claim, "a.ref[href=\"../countries/zembla.html\"]");
    assert_eq!(labels, ["the Zemblan border"]);
    assert!(
        site.text("claims/alpha-quote.html")
            .contains("Said in Žemė, near ")
    );
    assert!(
        site.text("discrepancies/index.html")
            .contains("<code>[[zembla]]</code>")
    );
}

#[test]
fn references_in_crlf_pages_with_multibyte_text_link_in_place() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "content/countries/ruritania.md",
        "---\r\ntitle: Ruritania\r\nentity: ruritania\r\n---\r\n\
         Ruritanijos “žodis” — [[widget-ministry|ministerija]] plans ąžuolas;\r\n\
         see [[claim:gamma-start]] ✓ and `[[jan-novak]]`.\r\n",
    );
    let site = fixture.build();
    let text = site.text("countries/ruritania.html");
    assert!(
        text.contains(
            "Ruritanijos “žodis” — <a class=\"ref ref-organizations\" \
             href=\"../organizations/widget-ministry.html\">ministerija</a> plans ąžuolas;\nsee "
        ),
        "{text}"
    );
    assert!(text.contains("<code>[[jan-novak]]</code>"), "{text}");
    let page = site.html("countries/ruritania.html");
    let claims = texts(&page, "a.ref-claim[href=\"../claims/gamma-start.html\"]");
    assert_eq!(claims.len(), 1, "{text}");
    // The ministry's page has the country's page among its backlinks, as before.
    let ministry = site.html("organizations/widget-ministry.html");
    assert!(
        hrefs(&ministry, "ul.backlinks a").contains(&"../countries/ruritania.html".to_string())
    );
}
