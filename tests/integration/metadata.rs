//! What search engines and link previews read: `sitemap.xml`, `robots.txt`, the Open Graph
//! and Twitter card tags, and the `ClaimReview` JSON-LD of the discrepancies page.

use std::collections::BTreeSet;

use scraper::{Html, Selector};
use serde_json::Value;

use crate::support::{Fixture, Site, bundled_site};

const BASE: &str = "https://example.org/briefing/";

/// The `content` of `<meta property|name=NAME>`.
fn meta(html: &Html, name: &str) -> Option<String> {
    let sel = Selector::parse(&format!("meta[property='{name}'], meta[name='{name}']"))
        .expect("selector");
    html.select(&sel)
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_string))
}

/// Every `.html` file of a site, relative to its root.
fn html_files(site: &Site) -> BTreeSet<String> {
    walkdir::WalkDir::new(&site.root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&site.root).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

fn absolute_fixture() -> Fixture {
    let fixture = Fixture::new("basic");
    fixture.replace("dossier.yaml", "base_url: /", &format!("base_url: {BASE}"));
    fixture
}

#[test]
fn the_sitemap_lists_every_page_but_404_with_absolute_urls() {
    let fixture = absolute_fixture();
    let site = fixture.build();
    let xml = site.text("sitemap.xml");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let listed: Vec<&str> = xml
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    assert!(listed.iter().all(|u| u.starts_with(BASE)), "{listed:?}");
    let listed: BTreeSet<String> = listed
        .iter()
        .map(|u| u.trim_start_matches(BASE).to_string())
        .collect();
    let mut pages = html_files(&site);
    assert!(pages.remove("404.html"));
    assert_eq!(listed, pages, "every written page but 404.html, once");
    assert_eq!(
        site.text("robots.txt"),
        format!("User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n")
    );
    // The link checker is content with the absolute links and the canonical ones.
    let check = fixture.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn without_an_absolute_base_url_there_is_no_sitemap() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    assert!(!site.exists("sitemap.xml"), "a sitemap needs absolute URLs");
    assert_eq!(site.text("robots.txt"), "User-agent: *\nAllow: /\n");
    let page = site.html("people/jan-novak.html");
    assert_eq!(meta(&page, "og:url"), None);
    assert_eq!(meta(&page, "og:title").as_deref(), Some("Jan Novák"));
    let canonical = Selector::parse("link[rel=canonical]").expect("selector");
    assert!(page.select(&canonical).next().is_none());
}

#[test]
fn pages_carry_open_graph_and_twitter_card_tags() {
    let fixture = absolute_fixture();
    let site = fixture.build();
    let person = site.html("people/jan-novak.html");
    assert_eq!(meta(&person, "og:title").as_deref(), Some("Jan Novák"));
    assert_eq!(
        meta(&person, "og:site_name").as_deref(),
        Some("Test briefing")
    );
    assert_eq!(meta(&person, "og:type").as_deref(), Some("article"));
    assert_eq!(
        meta(&person, "og:url"),
        Some(format!("{BASE}people/jan-novak.html"))
    );
    // Without a description of its own, a page is described by the briefing's subtitle.
    assert_eq!(
        meta(&person, "og:description").as_deref(),
        Some("Three sources that disagree")
    );
    assert_eq!(meta(&person, "twitter:card").as_deref(), Some("summary"));
    assert_eq!(meta(&person, "twitter:title").as_deref(), Some("Jan Novák"));
    let canonical = Selector::parse("link[rel=canonical]").expect("selector");
    assert_eq!(
        person
            .select(&canonical)
            .next()
            .and_then(|l| l.value().attr("href")),
        Some(format!("{BASE}people/jan-novak.html").as_str())
    );
    let overview = site.html("index.html");
    assert_eq!(meta(&overview, "og:type").as_deref(), Some("website"));
    assert_eq!(meta(&overview, "og:url"), Some(format!("{BASE}index.html")));
    // The 404 page is served at any address: no URL of its own.
    assert_eq!(meta(&site.html("404.html"), "og:url"), None);
}

/// The JSON-LD documents of a page.
fn json_ld(html: &Html) -> Vec<Value> {
    let sel = Selector::parse("script[type='application/ld+json']").expect("selector");
    html.select(&sel)
        .map(|s| serde_json::from_str(&s.text().collect::<String>()).expect("valid JSON-LD"))
        .collect()
}

#[test]
fn each_discrepancy_with_a_verdict_is_a_claim_review() {
    let (_dir, site) = bundled_site();
    let page = site.html("discrepancies/index.html");
    let docs = json_ld(&page);
    assert_eq!(docs.len(), 1, "one JSON-LD document");
    assert_eq!(docs[0]["@context"], "https://schema.org");
    let reviews = docs[0]["@graph"].as_array().expect("@graph");

    let facts: Value = serde_json::from_str(&site.text("facts.json")).expect("facts.json");
    let expected: BTreeSet<&str> = (facts["discrepancies"].as_array())
        .expect("discrepancies")
        .iter()
        .filter(|d| d["outcome"] != "dismissed")
        .filter(|d| d["verdict"].as_str().is_some_and(|v| v != "unresolved"))
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert!(expected.len() >= 10, "{expected:?}");
    let ids = Selector::parse("section.discrepancy[id]").expect("selector");
    let cards: BTreeSet<&str> = page
        .select(&ids)
        .filter_map(|s| s.value().attr("id"))
        .collect();

    let mut reviewed = BTreeSet::new();
    for r in reviews {
        assert_eq!(r["@type"], "ClaimReview", "{r}");
        let url = r["url"].as_str().expect("url");
        let id = url
            .strip_prefix('#')
            .expect("the card on this page (base URL `/`)");
        assert!(cards.contains(id), "{url} is a card");
        reviewed.insert(id);
        assert!(
            r["claimReviewed"].as_str().is_some_and(|t| !t.is_empty()),
            "{r}"
        );
        let claim = &r["itemReviewed"];
        assert_eq!(claim["@type"], "Claim");
        assert!(claim["text"].as_str().is_some_and(|t| !t.is_empty()), "{r}");
        let appearances = claim["appearance"].as_array().expect("appearance");
        assert!(!appearances.is_empty(), "{r}");
        for a in appearances {
            assert!(
                a["name"].as_str().is_some_and(|n| n.starts_with("Report")),
                "{a}"
            );
        }
        let rating = &r["reviewRating"];
        assert_eq!(rating["@type"], "Rating");
        assert!(
            rating["alternateName"]
                .as_str()
                .is_some_and(|v| !v.is_empty() && v != "unresolved")
        );
        assert_eq!(r["author"]["@type"], "Organization");
        assert_eq!(r["author"]["name"], facts["title"]);
    }
    assert_eq!(reviewed.iter().copied().collect::<BTreeSet<_>>(), expected);
    let lt = reviews
        .iter()
        .find(|r| r["reviewRating"]["alternateName"] == "2026")
        .expect("Lithuania's production start");
    assert!(
        lt["reviewBody"]
            .as_str()
            .is_some_and(|b| b.contains("2023")),
        "{lt}"
    );
}

#[test]
fn claim_reviews_use_absolute_urls_with_an_absolute_base() {
    let fixture = absolute_fixture();
    let site = fixture.build();
    let docs = json_ld(&site.html("discrepancies/index.html"));
    let reviews = docs[0]["@graph"].as_array().expect("@graph");
    assert!(!reviews.is_empty());
    for r in reviews {
        let url = r["url"].as_str().expect("url");
        assert!(
            url.starts_with(&format!("{BASE}discrepancies/index.html#")),
            "{url}"
        );
        assert_eq!(r["author"]["url"], format!("{BASE}index.html"));
        for a in r["itemReviewed"]["appearance"]
            .as_array()
            .expect("appearance")
        {
            assert!(
                a["@id"]
                    .as_str()
                    .is_some_and(|i| i.starts_with(&format!("{BASE}sources/"))),
                "{a}"
            );
        }
    }
}

#[test]
fn a_briefing_may_bring_its_own_robots_txt() {
    let fixture = absolute_fixture();
    fixture.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    let site = fixture.build();
    assert_eq!(site.text("robots.txt"), "User-agent: *\nDisallow: /\n");
    assert!(site.exists("sitemap.xml"));
    // A generated page still cannot be replaced.
    fixture.write("static/sitemap.xml", "<urlset/>");
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("static/sitemap.xml would replace the generated sitemap.xml"),
        "{}",
        run.stderr
    );
}
