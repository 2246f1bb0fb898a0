//! What a briefing cannot do to the site it builds: reach files outside its folder through
//! symbolic links, or give Markdown ids that collide with Dossier's own anchors.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use scraper::{Html, Selector};

use crate::support::Fixture;

/// Plants `link` (briefing-relative) pointing at `target`.
#[cfg(unix)]
fn symlink(fixture: &Fixture, target: &Path, link: &str) {
    let path = fixture.path(link);
    std::fs::create_dir_all(path.parent().expect("link has a parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, path).expect("plant a symlink");
}

/// A folder beside the briefing (in the same temporary folder, outside the briefing).
fn outside(fixture: &Fixture, name: &str) -> std::path::PathBuf {
    let dir = fixture.root.parent().expect("parent").join(name);
    std::fs::create_dir_all(&dir).expect("mkdir outside");
    dir
}

#[cfg(unix)]
#[test]
fn a_static_link_to_a_file_outside_fails_the_build() {
    let fixture = Fixture::new("basic");
    let secret = outside(&fixture, "private").join("passwd");
    std::fs::write(&secret, "TOP-SECRET").expect("write the secret");
    symlink(&fixture, &secret, "static/leak.txt");
    let run = fixture.run(&["build"]);
    run.assert_error(
        "static/leak.txt",
        &[
            "symbolic link to",
            "passwd",
            "outside the briefing",
            "copy the file",
        ],
    );
    assert!(!fixture.path("public").exists(), "nothing written");
}

#[cfg(unix)]
#[test]
fn a_content_link_to_a_folder_outside_fails_the_build() {
    let fixture = Fixture::new("basic");
    let dir = outside(&fixture, "elsewhere");
    std::fs::write(
        dir.join("secret.md"),
        "---\ntitle: Secret\n---\nTOP-SECRET\n",
    )
    .expect("write a page outside");
    symlink(&fixture, &dir, "content/linked");
    let run = fixture.run(&["build"]);
    run.assert_error(
        "content/linked",
        &["symbolic link to", "elsewhere", "copy the folder"],
    );
    assert!(
        !run.stderr.contains("secret.md"),
        "nothing behind it read:\n{}",
        run.stderr
    );
    assert!(!fixture.path("public").exists(), "nothing written");
}

#[cfg(unix)]
#[test]
fn links_inside_the_briefing_keep_working() {
    let fixture = Fixture::new("basic");
    fixture.write("assets/logo.txt", "LOGO-INSIDE");
    symlink(
        &fixture,
        &fixture.path("assets/logo.txt"),
        "static/logo.txt",
    );
    symlink(&fixture, &fixture.path("assets"), "static/linked");
    // A relative link that stays inside, through `..`.
    fixture.write(
        "shared/method.md",
        "---\ntitle: Method\n---\nMETHOD-INSIDE\n",
    );
    symlink(
        &fixture,
        Path::new("../shared/method.md"),
        "content/method.md",
    );
    let site = fixture.build();
    assert_eq!(site.text("logo.txt"), "LOGO-INSIDE");
    assert_eq!(site.text("linked/logo.txt"), "LOGO-INSIDE");
    assert!(site.text("pages/method.html").contains("METHOD-INSIDE"));
}

/// The ids of each HTML file of a built site, with how often each occurs.
fn ids_per_page(public: &Path) -> HashMap<String, HashMap<String, usize>> {
    let selector = Selector::parse("[id]").expect("selector");
    let mut pages = HashMap::new();
    for entry in walkdir(public) {
        let rel = entry
            .strip_prefix(public)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        let html = Html::parse_document(&std::fs::read_to_string(&entry).expect("read page"));
        let mut ids: HashMap<String, usize> = HashMap::new();
        for element in html.select(&selector) {
            let id = element.value().attr("id").unwrap_or_default().to_string();
            *ids.entry(id).or_default() += 1;
        }
        pages.insert(rel, ids);
    }
    pages
}

/// Every `.html` file below `dir`.
fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
    {
        if entry.is_dir() {
            found.extend(walkdir(&entry));
        } else if entry.extension().is_some_and(|e| e == "html") {
            found.push(entry);
        }
    }
    found
}

#[test]
fn markdown_ids_never_collide_with_dossiers_anchors() {
    let plain = Fixture::new("basic");
    plain.build();
    let own = ids_per_page(&plain.path("public"));

    let fixture = Fixture::new("basic");
    let index = fixture.read("content/index.md");
    fixture.write(
        "content/index.md",
        &format!(
            "{index}\n## Background {{#main}}\n\nA <span id=\"discrepancies\">x</span>, \
             [up](#main) and [there](#discrepancies).\n"
        ),
    );
    let site = fixture.build();
    let built = ids_per_page(&site.root);
    for (page, ids) in &built {
        let dossier: HashSet<&String> = own
            .get(page)
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        for (id, count) in ids {
            assert_eq!(*count, 1, "{page}: id `{id}` appears {count} times");
            if !dossier.contains(id) {
                assert!(
                    id.contains("user_"),
                    "{page}: unprefixed Markdown id `{id}`"
                );
            }
        }
    }
    let home = site.html("index.html");
    let sel = |s: &str| Selector::parse(s).expect("selector");
    assert_eq!(
        home.select(&sel("main#main")).count(),
        1,
        "Dossier's #main kept"
    );
    assert_eq!(home.select(&sel("h2#user_main")).count(), 1);
    assert_eq!(home.select(&sel("span#user_discrepancies")).count(), 1);
    assert_eq!(
        home.select(&sel("a[href='#user_main']")).count(),
        1,
        "in-page link follows"
    );
    assert_eq!(
        home.select(&sel("a[href='#user_discrepancies']")).count(),
        1
    );
    let print = site.html("print/index.html");
    assert_eq!(
        print.select(&sel("section#discrepancies")).count(),
        1,
        "the print view's own section keeps its id"
    );
    let check = fixture.run(&["check"]);
    assert_eq!(check.code, 0, "links and anchors check:\n{}", check.stderr);
}
