//! The catalogue of bad input: one case a way to get the content wrong. Each case edits the
//! `basic` fixture, then asserts that `build` exits 1, writes nothing, and that `check` fails
//! the same way, with the same messages; the whole of stderr is a snapshot
//! (`snapshots/integration__catalogue__NAME.snap`), so a message that changes shows in review.
//!
//! Add a case with one line below; run `INSTA_UPDATE=always cargo test --test integration
//! catalogue` to write its snapshot, then read the snapshot before committing it.

use crate::support::Fixture;

/// Runs one case and compares stderr with its snapshot.
fn bad(name: &str, setup: impl FnOnce(&Fixture)) {
    let fixture = Fixture::new("basic");
    setup(&fixture);
    let build = fixture.run(&["build"]);
    assert_eq!(build.code, 1, "{name}: exit code\n{}", build.stderr);
    assert!(
        !fixture.path("public").exists(),
        "{name}: a failed build wrote public/"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&fixture.root)
        .expect("read the briefing folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{name}: staging left: {leftovers:?}");
    let check = fixture.run(&["check"]);
    assert_eq!(
        (check.code, &check.stderr),
        (build.code, &build.stderr),
        "{name}: `check` must fail exactly as `build` does"
    );
    let root = fixture.root.display().to_string();
    insta::assert_snapshot!(name, build.stderr.replace(&root, "[BRIEFING]"));
}

/// Adds `content/extra.yaml` with `text`.
fn extra(text: &'static str) -> impl FnOnce(&Fixture) {
    move |f| {
        f.write("content/extra.yaml", text);
    }
}

/// Replaces the one `from` in the fixture's claims file.
fn claims(from: &'static str, to: &'static str) -> impl FnOnce(&Fixture) {
    move |f| {
        f.replace("content/claims/claims.yaml", from, to);
    }
}

/// Adds a page `content/extra.md` with `text`.
fn page(text: &'static str) -> impl FnOnce(&Fixture) {
    move |f| {
        f.write("content/extra.md", text);
    }
}

const ALPHA_YEAR: &str = "    value: 2026\n    source: alpha\n";

macro_rules! catalogue {
    ($($name:ident => $setup:expr;)*) => {
        $(
            #[test]
            fn $name() {
                bad(stringify!($name), $setup);
            }
        )*
    };
}

catalogue! {
    // YAML syntax: the file fails as a whole, and is reported first.
    yaml_unclosed_quote => extra("countries:\n  - id: x\n    name: \"unclosed\n");
    yaml_tab_indentation => extra("countries:\n\t- id: x\n\t  name: X\n");
    yaml_bad_indentation => extra("countries:\n  - id: x\n   name: X\n");
    yaml_deep_nesting => |f: &Fixture| {
        f.write("content/extra.yaml", &format!("claims: {}\n", "[".repeat(100_000)));
    };
    yaml_file_is_a_list => extra("- id: x\n  name: X\n");
    yaml_syntax_error_no_cascade => |f: &Fixture| {
        f.replace("content/entities.yaml", "  - id: osterlich\n", "  - id: osterlich\n  bad: [\n");
    };
    // The layout of a record file.
    unknown_list_keeps_the_rest => extra("countrys:\n  - id: x\n    name: X\ncountries:\n  - id: y\n    name: Y\n");
    list_is_not_a_list => extra("countries: ruritania\n");
    list_twice_in_a_file => extra("countries:\n  - id: x\n    name: X\ncountries:\n  - id: y\n    name: Y\n");
    // One record's fields: only that record fails.
    unknown_field => extra("countries:\n  - id: x\n    nmae: X\n");
    missing_field => extra("countries:\n  - id: x\n");
    duplicate_key => extra("countries:\n  - id: x\n    name: X\n    name: Y\n");
    empty_record => extra("countries:\n  -\n  - id: y\n    name: Y\n");
    empty_list_value => extra("countries:\n  - id: x\n    name: X\n    aliases:\n");
    flow_style_record => extra("countries: [{id: x, name: X}, {id: y, nmae: Y}]\n");
    field_of_wrong_shape => extra("countries:\n  - id: x\n    name: X\n    aliases: {a: b}\n");
    value_is_a_list => claims(ALPHA_YEAR, "    value: [2026]\n    source: alpha\n");
    value_is_a_mapping => claims(ALPHA_YEAR, "    value: {year: 2026}\n    source: alpha\n");
    value_too_large => claims(ALPHA_YEAR, "    value: 99999999999999999999\n    source: alpha\n");
    value_not_a_number => extra("claims:\n  - id: n\n    subject: ruritania\n    property: size\n    kind: number\n    value: .nan\n    source: alpha\n    quote: start making widgets next year\n");
    value_infinite => extra("claims:\n  - id: n\n    subject: ruritania\n    property: size\n    kind: number\n    value: .inf\n    source: alpha\n    quote: start making widgets next year\n");
    value_not_a_year => claims(ALPHA_YEAR, "    value: twenty\n    source: alpha\n");
    year_out_of_range => claims(ALPHA_YEAR, "    value: 20260\n    source: alpha\n");
    unknown_value_kind => claims("    kind: year\n    value: 2026\n    source: alpha\n", "    kind: yearly\n    value: 2026\n    source: alpha\n");
    bad_claim_date => claims("    date: 2025-07-09\n", "    date: 2025-13-40\n");
    claim_without_value => claims(ALPHA_YEAR, "    source: alpha\n");
    // Names and ids.
    empty_name => extra("countries:\n  - id: x\n    name: \"\"\n");
    null_name => extra("countries:\n  - id: x\n    name:\n");
    empty_alias => extra("countries:\n  - id: x\n    name: X\n    aliases: [\"\"]\n");
    invalid_id => extra("countries:\n  - id: Not An Id\n    name: X\n");
    reserved_id => extra("countries:\n  - id: index\n    name: X\n");
    duplicate_id => extra("countries:\n  - id: ruritania\n    name: Ruritania Again\n");
    name_names_two_entities => extra("countries:\n  - id: x\n    name: ruritania\n");
    id_too_long => |f: &Fixture| {
        f.write("content/extra.yaml", &format!("countries:\n  - id: {}\n    name: X\n", "a".repeat(300)));
    };
    // References.
    unknown_subject => claims("    subject: ruritania\n    property: supplies-to\n", "    subject: ruritanya\n    property: supplies-to\n");
    reference_of_wrong_kind => claims("    value: 2023\n    source: beta\n", "    value: 2023\n    source: ruritania\n");
    second_title_source_typo => |f: &Fixture| {
        f.replace("content/entities.yaml", "      - title: Widget Minister\n        source: beta\n", "      - title: Widget Minister\n        source: betta\n");
    };
    note_block_holds_a_source_line => extra("claims:\n  - id: n\n    subject: ruritania\n    property: statement\n    value: x\n    note: |\n      source: inside the note\n    source: nowhere\n    quote: start making widgets next year\n");
    unknown_claim_in_note => extra("notes:\n  - id: n\n    claims: [alpha-start, alpha-strat]\n    note: A typo.\n");
    bad_record_keeps_its_file => claims("    value: 2023\n    source: beta\n", "    value: [2023]\n    source: beta\n");
    unknown_organization_kind => extra("organizations:\n  - id: x\n    name: X\n    kind: compnay\n");
    quote_not_in_the_document => claims("    quote: begins in 2026\n", "    quote: begins in 2027\n");
    // Pages and inline references.
    page_without_front_matter => page("Just text.\n");
    front_matter_never_closed => page("---\ntitle: T\nText.\n");
    front_matter_unknown_field => page("---\ntitle: T\ntitel: U\n---\nText.\n");
    malformed_inline_reference => page("---\ntitle: T\n---\nSee [[Not An Id]].\n");
    unknown_inline_reference => page("---\ntitle: T\n---\nSee [[nowhere]], [[nowhere]] and [[claim:nothing]].\n");
    unclosed_inline_reference => page("---\ntitle: T\n---\nSee [[ruritania.\n");
    unknown_reference_prefix => page("---\ntitle: T\n---\nSee [[foo:bar]].\n");
    summary_for_unknown_entity => page("---\ntitle: T\nentity: nowhere\n---\nText.\n");
    // Settings, templates and static files.
    config_unknown_field => |f: &Fixture| {
        f.replace("dossier.yaml", "title: Test briefing\n", "titel: Test briefing\n");
    };
    config_bad_date => |f: &Fixture| {
        f.replace("dossier.yaml", "date: 2025-07-10\n", "date: 10 July\n");
    };
    template_syntax_error => |f: &Fixture| {
        f.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}{% if %}{% endblock %}\n");
    };
    template_unknown_filters => |f: &Fixture| {
        f.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | shout }}\n{{ page.title | whisper }}\n{% endblock %}\n");
    };
    static_file_replaces_a_page => |f: &Fixture| {
        f.write("static/index.html", "<p>mine</p>\n");
    };
    static_file_differs_only_in_case => |f: &Fixture| {
        f.write("static/Style.css", "body {}\n");
    };
    record_file_not_utf8 => |f: &Fixture| {
        std::fs::write(f.path("content/extra.yaml"), b"countries:\n  - id: x\n    name: \xff\n").expect("write");
    };
}
