//! Property test of `serve`'s incremental rebuilds ([`dossier::rebuild`] against the last
//! build's memo): after any sequence of edits (summaries written, changed and removed, the
//! overview, claim values, a template, a static file, the site's subtitle), the output is byte
//! for byte what a full `dossier build` writes, and a build with errors leaves it untouched.

use std::collections::BTreeMap;
use std::path::Path;

use dossier::{Options, Update};
use proptest::prelude::*;

use crate::support::Fixture;

/// Entities of the `outcomes` fixture a summary can be about or refer to.
const ENTITIES: [&str; 6] = [
    "aldebaran",
    "port-kessel",
    "oren-hale",
    "coast-guard",
    "varnland",
    "src-wire",
];
const CLAIMS: [&str; 4] = ["tide-crew", "wire-crew", "harbour-aboard", "tide-cause"];

#[derive(Debug, Clone)]
enum Edit {
    /// Writes the summary of `ENTITIES[about]`, referring to `ENTITIES[mentions]`.
    Summary {
        about: usize,
        mentions: usize,
        words: String,
    },
    RemoveSummary {
        about: usize,
    },
    /// Appends a sentence referring to `CLAIMS[claim]` to the overview.
    Overview {
        claim: usize,
    },
    /// Sets the value of the `nth` claim in claims.yaml (may be an error for its property).
    Value {
        nth: usize,
        value: &'static str,
    },
    /// Overrides `partials/claim.html` (or `list.html`) with the built-in one plus `mark`.
    Template {
        list: bool,
        mark: usize,
    },
    Static {
        rule: usize,
    },
    Subtitle {
        n: usize,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    let words = prop::collection::vec(
        prop::sample::select(vec!["crew", "tide", "report", "ship"]),
        1..5,
    )
    .prop_map(|w| w.join(" "));
    prop_oneof![
        3 => (0..ENTITIES.len(), 0..ENTITIES.len(), words)
            .prop_map(|(about, mentions, words)| Edit::Summary { about, mentions, words }),
        1 => (0..ENTITIES.len()).prop_map(|about| Edit::RemoveSummary { about }),
        1 => (0..CLAIMS.len()).prop_map(|claim| Edit::Overview { claim }),
        2 => (0..12usize, prop::sample::select(vec!["19", "22", "4", "grounding"]))
            .prop_map(|(nth, value)| Edit::Value { nth, value }),
        1 => (any::<bool>(), 0..3usize).prop_map(|(list, mark)| Edit::Template { list, mark }),
        1 => (0..3usize).prop_map(|rule| Edit::Static { rule }),
        1 => (0..3usize).prop_map(|n| Edit::Subtitle { n }),
    ]
}

fn apply(f: &Fixture, edit: &Edit) {
    match edit {
        Edit::Summary {
            about,
            mentions,
            words,
        } => {
            let (id, other) = (ENTITIES[*about], ENTITIES[*mentions]);
            f.write(
                &format!("content/summaries/{id}.md"),
                &format!(
                    "---\ntitle: About {id}\nentity: {id}\n---\nOn {words}, see [[{other}]].\n"
                ),
            );
        }
        Edit::RemoveSummary { about } => {
            let _ =
                std::fs::remove_file(f.path(&format!("content/summaries/{}.md", ENTITIES[*about])));
        }
        Edit::Overview { claim } => {
            f.append(
                "content/index.md",
                &format!("\nSee also [[claim:{}]].\n", CLAIMS[*claim]),
            );
        }
        Edit::Value { nth, value } => {
            let path = "content/claims/claims.yaml";
            let text = f.read(path);
            let mut seen = 0;
            let lines: Vec<String> = (text.lines())
                .map(|l| {
                    if l.starts_with("    value: ") {
                        seen += 1;
                        if seen == nth + 1 {
                            return format!("    value: {value}");
                        }
                    }
                    l.to_string()
                })
                .collect();
            f.write(path, &(lines.join("\n") + "\n"));
        }
        Edit::Template { list, mark } => {
            let name = if *list {
                "list.html"
            } else {
                "partials/claim.html"
            };
            let builtin = std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("templates")
                    .join(name),
            )
            .expect("built-in template");
            // A child template's text must be inside a block.
            let at = builtin.rfind("{% endblock").unwrap_or(builtin.len());
            let (head, tail) = builtin.split_at(at);
            f.write(
                &format!("templates/{name}"),
                &format!("{head}<!-- edit {mark} -->{tail}"),
            );
        }
        Edit::Static { rule } => match rule {
            0 => {
                let _ = std::fs::remove_file(f.path("static/extra.css"));
            }
            n => {
                f.write("static/extra.css", &format!("p {{ margin: {n}px }}\n"));
            }
        },
        Edit::Subtitle { n } => {
            let text = f.read("dossier.yaml");
            let subtitle = text
                .lines()
                .find(|l| l.starts_with("subtitle:"))
                .unwrap_or("subtitle:");
            f.write(
                "dossier.yaml",
                &text.replace(subtitle, &format!("subtitle: Edition {n}")),
            );
        }
    }
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("read output"))
        })
        .collect()
}

/// The paths whose bytes differ between two trees.
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut paths: Vec<&String> = a.keys().chain(b.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| a.get(*p) != b.get(*p))
        .cloned()
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn incremental_rebuilds_write_what_a_full_build_writes(edits in prop::collection::vec(edit(), 1..8)) {
        let f = Fixture::new("outcomes");
        let options = Options { root: f.root.clone(), ..Options::default() };
        let (served, full) = (f.outside("served"), f.outside("full"));
        // Kept across every build, good or not, as `serve` keeps it.
        let mut parsed = dossier::parse::Cache::default();
        let (first, update) = dossier::rebuild(&options, &served, None, &mut parsed).expect("first build");
        prop_assert!(matches!(update, Some(Update::Swap(_))), "the first build is a full one");
        if let Some(update) = update {
            update.apply(&first.site).expect("swap in");
        }
        let mut memo = first.site.memo;
        prop_assert!(memo.is_some());
        // Only a claim's value can make the briefing wrong (a word for a number).
        let mut values_edited = false;
        for edit in &edits {
            apply(&f, edit);
            values_edited |= matches!(edit, Edit::Value { .. });
            let before = tree(&served);
            let (mut compiled, update) = dossier::rebuild(&options, &served, memo.as_ref(), &mut parsed).expect("rebuild");
            let _ = std::fs::remove_dir_all(&full);
            let reference = dossier::build(&options, Some(&full)).expect("full build");
            prop_assert_eq!(compiled.diags.has_errors(), reference.diags.has_errors(), "after {:?}", edit);
            prop_assert!(
                values_edited || !reference.diags.has_errors(),
                "{:?} made the briefing fail: {:?}", edit, reference.diags.sorted().first().map(|d| d.headline())
            );
            let Some(update) = update else {
                prop_assert!(compiled.diags.has_errors());
                prop_assert!(tree(&served) == before, "a build with errors changed the output ({:?})", edit);
                continue;
            };
            let patched = matches!(update, Update::Patch(..));
            prop_assert!(patched, "a rebuild against the memo is a patch ({:?})", edit);
            update.apply(&compiled.site).expect("apply");
            memo = compiled.site.memo.take();
            let (got, want) = (tree(&served), tree(&full));
            let wrong = differences(&got, &want);
            prop_assert!(wrong.is_empty(), "after {:?}, these files differ from a full build: {:?}", edit, wrong);
        }
    }
}

/// A summary edit renders and writes only the pages that show it, not the whole site.
#[test]
fn a_summary_edit_writes_only_what_it_changes() {
    let f = Fixture::new("outcomes");
    let options = Options {
        root: f.root.clone(),
        ..Options::default()
    };
    let served = f.outside("served");
    let mut parsed = dossier::parse::Cache::default();
    let (first, update) =
        dossier::rebuild(&options, &served, None, &mut parsed).expect("first build");
    update
        .expect("no errors")
        .apply(&first.site)
        .expect("swap in");
    let total = first.site.files.len();
    let memo = first.site.memo.expect("a memo");

    f.write(
        "content/summaries/port-kessel.md",
        "---\ntitle: Port Kessel\nentity: port-kessel\n---\nA small port.\n",
    );
    let (second, update) =
        dossier::rebuild(&options, &served, Some(&memo), &mut parsed).expect("rebuild");
    let Some(Update::Patch(patch, removed)) = update else {
        panic!(
            "expected a patch, got {}",
            if second.diags.has_errors() {
                "errors"
            } else {
                "a full build"
            }
        );
    };
    assert!(removed.is_empty(), "{removed:?}");
    // The entity's page, the print view, the search index and the previews (its summary); not
    // the other pages.
    assert!(
        (2..total / 4).contains(&patch.len()),
        "{} of {total} files written",
        patch.len()
    );
    Update::Patch(patch, removed)
        .apply(&second.site)
        .expect("apply");
    let page = std::fs::read_to_string(served.join("places/port-kessel.html")).expect("page");
    assert!(page.contains("A small port."));
}
