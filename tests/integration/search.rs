//! The search index on the bundled briefing: every text a reader sees is searchable (the
//! summaries, the speakers), ranked by elasticlunr in the browser (see `browser.rs`).

use crate::support::{Fixture, bundled_site, search_docs, search_index};

#[test]
fn the_bundled_index_holds_summaries_and_every_claim_of_a_speaker() {
    let (_dir, site) = bundled_site();
    let index = search_index(&site);
    assert_eq!(
        index["index"]["version"], "0.9.5",
        "elasticlunr.js's format"
    );
    assert_eq!(
        index["index"]["fields"],
        serde_json::json!(["title", "body", "source"])
    );
    let docs = search_docs(&index);

    // Kaliningrad is only in a summary and a note: both are indexed, with their text stored.
    let kaliningrad: Vec<&[String; 5]> = docs
        .iter()
        .filter(|d| d[3].contains("Kaliningrad"))
        .collect();
    assert!(
        kaliningrad
            .iter()
            .any(|d| d[0] == "countries/lithuania.html" && d[1] == "Country"),
        "Lithuania's summary: {kaliningrad:?}"
    );
    let inverted = &index["index"]["index"]["body"]["root"];
    assert!(
        "kaliningrad"
            .chars()
            .try_fold(inverted, |node, c| node.get(c.to_string()))
            .is_some_and(|node| node["docs"].as_object().is_some_and(|d| !d.is_empty())),
        "the token `kaliningrad` is in the body index"
    );

    // Every claim Karolis Aleksa speaks in is a document naming him, with its source.
    let facts: serde_json::Value =
        serde_json::from_str(&site.text("facts.json")).expect("facts.json");
    let sources: std::collections::HashMap<&str, &str> = (facts["entities"].as_array())
        .expect("entities")
        .iter()
        .filter_map(|e| Some((e["id"].as_str()?, e["name"].as_str()?)))
        .collect();
    let spoken: Vec<&serde_json::Value> = (facts["claims"].as_array())
        .expect("claims")
        .iter()
        .filter(|c| c["speaker"] == "karolis-aleksa")
        .collect();
    assert!(spoken.len() >= 14, "{} claims", spoken.len());
    for c in spoken {
        let id = c["id"].as_str().expect("id");
        let url = format!("claims/{id}.html");
        let doc = docs
            .iter()
            .find(|d| d[0] == url)
            .unwrap_or_else(|| panic!("no document for {url}"));
        assert_eq!(doc[1], "Claim");
        assert!(doc[3].contains("Karolis Aleksa"), "{url}: {}", doc[3]);
        let quote = c["quote"].as_str().expect("quote");
        assert!(doc[3].contains(quote), "{url} stores its quote");
        let source = sources[c["source"].as_str().expect("source")];
        assert_eq!(doc[4], source, "{url}'s source");
    }

    // The overview and the discrepancies (with their notes) are documents too.
    assert!(
        docs.iter()
            .any(|d| d[0] == "index.html" && d[1] == "Overview")
    );
    let notes = facts["discrepancies"].as_array().expect("discrepancies");
    assert_eq!(
        docs.iter().filter(|d| d[1] == "Discrepancy").count(),
        notes.len()
    );
}

#[test]
fn pages_notes_and_folded_names_are_indexed() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "content/about.md",
        "---\ntitle: About this briefing\n---\nWritten in Šiauliai, with care.\n",
    );
    let site = fixture.build();
    let docs = search_docs(&search_index(&site));
    let page = docs
        .iter()
        .find(|d| d[1] == "Page")
        .expect("the page is a document");
    assert_eq!(page[2], "About this briefing");
    assert_eq!(
        page[3], "Written in Šiauliai, with care.",
        "stored as written"
    );
    let index = search_index(&site);
    let body = &index["index"]["index"]["body"]["root"];
    // Folded in the index: `siauliai` (the query is folded the same way in search.js).
    assert!(
        "siaul"
            .chars()
            .try_fold(body, |node, c| node.get(c.to_string()))
            .is_some(),
        "the folded token is indexed"
    );
    assert!(
        docs.iter().any(|d| d[1] == "Person" && d[2] == "Jan Novák"),
        "{docs:?}"
    );
    assert!(site.exists("elasticlunr.min.js") && site.exists("search.js"));
    let search = site.text("search/index.html");
    let lunr = search
        .find("elasticlunr.min.js")
        .expect("the library is loaded");
    let script = search.find("search.js\"").expect("the search script");
    assert!(lunr < script, "elasticlunr loads before search.js");
    assert!(
        search.contains("The search needs JavaScript"),
        "the no-JS message stays"
    );
}
