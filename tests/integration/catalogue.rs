//! The catalogue of bad input: one case a way to get a briefing, or a command, wrong. The whole
//! of stderr is a snapshot (`snapshots/integration__catalogue__NAME.snap`), so a message that
//! changes shows in review; absolute paths are redacted to `[BRIEFING]` (the briefing folder)
//! and `[TMP]` (the temporary folder around it).
//!
//! - `catalogue!`: content errors. `build` exits 1 and writes nothing, and `check` fails the
//!   same way, with the same messages.
//! - `warnings!`: content warnings. `build` succeeds with them, `check` prints the same.
//! - `check_only!`: what only `check` sees (the rendered site's links): `build` succeeds.
//! - `operational!`: failures that are not the content's (a folder that is not a briefing, an
//!   output Dossier refuses to replace, a port in use, Chromium missing): exit 2 and one
//!   `error:` line that says what to do.
//!
//! Add a case with one line below; run `INSTA_UPDATE=always cargo test --test integration
//! catalogue` to write its snapshot, then read the snapshot before committing it.

use std::ffi::OsStr;
use std::path::Path;

use crate::support::{Fixture, Run, run_in};

/// Runs one case and compares stderr with its snapshot.
fn bad(name: &str, setup: impl FnOnce(&Fixture)) {
    let fixture = Fixture::new("basic");
    setup(&fixture);
    content_failure(name, &fixture, |args| fixture.run(args));
}

/// [`bad`] for a case that makes a file or folder unreadable: as root, which reads anything,
/// the commands run as `nobody` (with `setpriv`; the case is skipped, loudly, without it).
#[cfg(unix)]
fn bad_unreadable(name: &str, setup: impl FnOnce(&Fixture)) {
    let fixture = Fixture::new("basic");
    setup(&fixture);
    if !privileged(&fixture) {
        content_failure(name, &fixture, |args| fixture.run(args));
        return;
    }
    let Some(setpriv) = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.is_file())
    else {
        eprintln!("SKIPPED {name}: running as root and no setpriv to drop to `nobody`");
        return;
    };
    content_failure(name, &fixture, |args| {
        let bin = OsStr::new(env!("CARGO_BIN_EXE_dossier"));
        let mut all: Vec<&OsStr> = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"]
            .into_iter()
            .map(OsStr::new)
            .collect();
        all.push(bin);
        all.extend(args.iter().map(OsStr::new));
        let out = std::process::Command::new(setpriv)
            .args(all)
            .current_dir(&fixture.root)
            .env("NO_COLOR", "1")
            .output()
            .expect("run dossier as nobody");
        Run::from(out)
    });
}

/// Whether this process reads files that deny it (root does).
#[cfg(unix)]
fn privileged(fixture: &Fixture) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = fixture.outside("probe");
    std::fs::write(&probe, "x").expect("write the probe");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    std::fs::read(&probe).is_ok()
}

/// `build` exits 1 and writes nothing; `check` fails the same way; stderr is the snapshot.
fn content_failure(name: &str, fixture: &Fixture, run: impl Fn(&[&str]) -> Run) {
    let build = run(&["build"]);
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
    let check = run(&["check"]);
    assert_eq!(
        (check.code, &check.stderr),
        (build.code, &build.stderr),
        "{name}: `check` must fail exactly as `build` does"
    );
    insta::assert_snapshot!(name, fixture.redact(&build.stderr));
}

/// Runs one case that only warns: `build` succeeds and writes the site, `check` prints the
/// same messages.
fn warns(name: &str, setup: impl FnOnce(&Fixture)) {
    let fixture = Fixture::new("basic");
    setup(&fixture);
    let build = fixture.run(&["build"]);
    assert_eq!(build.code, 0, "{name}: exit code\n{}", build.stderr);
    assert!(fixture.path("public/index.html").is_file(), "{name}: built");
    assert!(build.stderr.contains("warning:"), "{name}: no warning");
    let check = fixture.run(&["check"]);
    assert_eq!(
        (check.code, &check.stderr),
        (build.code, &build.stderr),
        "{name}: `check` must warn exactly as `build` does"
    );
    insta::assert_snapshot!(name, fixture.redact(&build.stderr));
}

/// Runs one case that only `check` catches: `build` succeeds, `check` exits 1.
fn check_fails(name: &str, setup: impl FnOnce(&Fixture)) {
    let fixture = Fixture::new("basic");
    setup(&fixture);
    let build = fixture.run(&["build"]);
    assert_eq!(build.code, 0, "{name}: build\n{}", build.stderr);
    let check = fixture.run(&["check"]);
    assert_eq!(check.code, 1, "{name}: check\n{}", check.stderr);
    insta::assert_snapshot!(name, fixture.redact(&check.stderr));
}

/// Runs one operational failure: `run` does what the case needs and returns the run that
/// must fail with exit 2, printing nothing on stdout.
fn fails(name: &str, run: impl FnOnce(&Fixture) -> Run) {
    let fixture = Fixture::new("basic");
    let out = run(&fixture);
    assert_eq!(
        out.code, 2,
        "{name}: exit code\n{}{}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.is_empty(), "{name}: stdout\n{}", out.stdout);
    assert!(
        out.stderr.starts_with("error: "),
        "{name}: an `error:` line\n{}",
        out.stderr
    );
    insta::assert_snapshot!(name, fixture.redact(&out.stderr));
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

/// Plants the symbolic link `link` (briefing-relative) to `target`.
#[cfg(unix)]
fn symlink(target: &Path, link: &str) -> impl FnOnce(&Fixture) {
    let target = target.to_path_buf();
    let link = link.to_string();
    move |f| {
        let path = f.path(&link);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::os::unix::fs::symlink(&target, path).expect("symlink");
    }
}

/// Makes `rel` unreadable. Root reads any file, so then the runs that follow drop to the
/// unprivileged `nobody` ([`unprivileged`]).
#[cfg(unix)]
fn unreadable(f: &Fixture, rel: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = f.path(rel);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // `nobody` must reach the briefing and write nothing but what `build` would.
    for dir in [f.outside(""), f.root.clone()] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    }
}

macro_rules! catalogue {
    ($runner:ident: $($(#[$meta:meta])* $name:ident => $setup:expr;)*) => {
        $(
            $(#[$meta])*
            #[test]
            fn $name() {
                $runner(stringify!($name), $setup);
            }
        )*
    };
}

catalogue! { bad:
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
    // Grades on the Admiralty scale.
    grade_not_on_the_scale => |f: &Fixture| {
        f.replace("content/sources.yaml", "  - id: alpha\n", "  - id: alpha\n    grade: G7\n");
    };
    credibility_not_on_the_scale => claims(ALPHA_YEAR, "    value: 2026\n    credibility: 9\n    source: alpha\n");
    // Declared kinds of entity (`kinds:` in dossier.yaml).
    kind_attribute_not_declared => |f: &Fixture| {
        f.append("dossier.yaml", "kinds:\n  - id: vessel\n    attributes:\n      - id: imo\n");
        f.write("content/extra.yaml", "vessels:\n  - id: eagle\n    name: Eagle\n    imo: 9329760\n    flag: X\n");
    };
    kind_writes_to_a_site_folder => |f: &Fixture| {
        f.append("dossier.yaml", "kinds:\n  - id: claim-log\n    plural: Claims\n");
    };
    kind_clashes_with_a_built_in => |f: &Fixture| {
        f.append("dossier.yaml", "kinds:\n  - id: court\n  - id: tribunal\n    plural: Courts\n  - id: person\n");
    };
    kind_id_is_not_a_slug => |f: &Fixture| {
        f.append("dossier.yaml", "kinds:\n  - id: Vessel Kind\n");
    };
    kind_attribute_is_a_field => |f: &Fixture| {
        f.append("dossier.yaml", "kinds:\n  - id: vessel\n    attributes:\n      - id: name\n      - id: imo\n      - id: imo\n");
    };
    kind_list_misspelt => |f: &Fixture| {
        f.append("dossier.yaml", "kinds:\n  - id: vessel\n");
        f.write("content/extra.yaml", "vesels:\n  - id: eagle\n    name: Eagle\n");
    };
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
    // Files the load stage cannot name, or will not follow.
    #[cfg(unix)]
    file_name_not_utf8 => |f: &Fixture| {
        use std::os::unix::ffi::OsStrExt;
        let name = OsStr::from_bytes(b"bad-\xff.yaml");
        std::fs::write(f.path("content").join(name), "countries: []\n").expect("write");
    };
    #[cfg(unix)]
    symlink_loop => symlink(Path::new("."), "content/self");
    #[cfg(unix)]
    symlink_to_a_file_outside => |f: &Fixture| {
        let secret = f.outside("passwd");
        std::fs::write(&secret, "secret\n").expect("write");
        symlink(&secret, "static/leak.txt")(f);
    };
    #[cfg(unix)]
    symlink_to_a_folder_outside => |f: &Fixture| {
        let dir = f.outside("elsewhere");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("page.md"), "---\ntitle: T\n---\nText.\n").expect("write");
        symlink(&dir, "content/elsewhere")(f);
    };
    config_syntax_error => |f: &Fixture| {
        f.replace("dossier.yaml", "title: Test briefing\n", "title: [Test briefing\n");
    };
    // Claims, notes and properties.
    empty_quote => claims("    quote: begins in 2026\n", "    quote: \"\"\n");
    invalid_property => extra("claims:\n  - id: n\n    subject: ruritania\n    property: Widget Size\n    value: large\n    source: alpha\n    quote: start making widgets next year\n");
    unknown_status => extra("claims:\n  - id: n\n    subject: ruritania\n    property: treaty\n    kind: status\n    value: notifed\n    source: alpha\n    quote: start making widgets next year\n");
    value_not_a_bool => extra("claims:\n  - id: n\n    subject: ruritania\n    property: exports\n    kind: bool\n    value: perhaps\n    source: alpha\n    quote: start making widgets next year\n");
    quote_from_page_furniture => |f: &Fixture| {
        f.replace("content/sources.yaml", "reliability: Unattributed.", "reliability: Unattributed.\n    noise: [Gamma Post.]");
        f.replace("content/claims/claims.yaml", "quote: begins in 2026", "quote: Gamma Post");
    };
    malformed_reference_in_a_note => extra("claims:\n  - id: n\n    subject: ruritania\n    property: statement\n    value: x\n    source: alpha\n    quote: start making widgets next year\n    note: See [[Not An Id]].\n");
    unknown_note_kind => extra("notes:\n  - id: n\n    claims: [alpha-start]\n    kind: overstatment\n    title: T\n    note: N.\n");
    note_without_claims => extra("notes:\n  - id: n\n    claims: []\n    note: Nothing to explain.\n");
    best_not_among_the_claims => extra("notes:\n  - id: n\n    claims: [alpha-start]\n    best: gamma-start\n    note: N.\n");
    property_declared_twice => extra("properties:\n  - id: supplies-to\n    label: Supplies again\n");
    // The value model: kinds, lists, quantities, properties.
    kind_differs_from_the_property => |f: &Fixture| {
        f.replace("content/entities.yaml", "  - id: production-start\n    label: Widget production starts\n", "  - id: production-start\n    label: Widget production starts\n    kind: date\n");
        f.replace("content/claims/claims.yaml", "    kind: year\n    value: 2023\n", "    kind: bool\n    value: 2023\n");
    };
    property_of_two_kinds => extra("claims:\n  - id: n\n    subject: ruritania\n    property: production-start\n    kind: bool\n    value: true\n    source: alpha\n    quote: start making widgets next year\n");
    unknown_modality => extra("claims:\n  - id: n\n    subject: ruritania\n    property: exports\n    value: widgets\n    modality: rumoured\n    source: alpha\n    quote: start making widgets next year\n");
    complete_on_one_value => extra("claims:\n  - id: n\n    subject: ruritania\n    property: exports\n    value: widgets\n    complete: true\n    source: alpha\n    quote: start making widgets next year\n");
    empty_list => extra("claims:\n  - id: n\n    subject: ruritania\n    property: supplies-to\n    kind: entity\n    value: []\n    source: alpha\n    quote: start making widgets next year\n");
    range_for_a_text_value => extra("claims:\n  - id: n\n    subject: ruritania\n    property: exports\n    value: {min: 1, max: 2}\n    source: alpha\n    quote: start making widgets next year\n");
    unknown_resolution => extra("notes:\n  - id: n\n    claims: [alpha-start]\n    resolution: settled\n    note: N.\n");
    part_of_itself => extra("organizations:\n  - id: x\n    name: X\n    part_of: y\n  - id: y\n    name: Y\n    part_of: x\n");
    unit_on_a_text_property => extra("properties:\n  - id: size\n    kind: text\n    unit: km\n");
    unknown_unit => extra("properties:\n  - id: size\n    kind: quantity\n    unit: furlongz\n");
    quantity_in_the_wrong_dimension => extra("properties:\n  - id: size\n    kind: quantity\n    unit: km\nclaims:\n  - id: n\n    subject: ruritania\n    property: size\n    value: 5 kg\n    source: alpha\n    quote: start making widgets next year\n");
    quantity_unreadable => extra("properties:\n  - id: size\n    kind: quantity\nclaims:\n  - id: n\n    subject: ruritania\n    property: size\n    value: many\n    source: alpha\n    quote: start making widgets next year\n");
    vocabulary_on_a_date_property => extra("properties:\n  - id: opened\n    kind: date\n    vocabulary:\n      spring: [early]\n");
    counts_names_no_list => extra("properties:\n  - id: partners\n    kind: quantity\n    counts: suplies-to\n");
    // Pages.
    too_many_malformed_references => |f: &Fixture| {
        f.write("content/extra.md", &format!("---\ntitle: T\n---\n{}", "[[Bad Ref]]\n".repeat(23)));
    };
    empty_reference_label => page("---\ntitle: T\n---\nSee [[ruritania|]].\n");
    unknown_discrepancy_reference => page("---\ntitle: T\n---\nSee [[discrepancy:nowhere]].\n");
    second_summary_for_an_entity => page("---\ntitle: T\nentity: ruritania\n---\nText.\n");
    two_pages_one_url => |f: &Fixture| {
        f.write("content/notes.md", "---\ntitle: Notes\n---\nOne.\n");
        f.write("content/more/notes.md", "---\ntitle: More notes\n---\nTwo.\n");
    };
    no_overview_page => |f: &Fixture| {
        std::fs::remove_file(f.path("content/index.md")).expect("remove index.md");
    };
    page_file_name_too_long => |f: &Fixture| {
        f.write(&format!("content/{}.md", "a".repeat(251)), "---\ntitle: T\n---\nText.\n");
    };
    // Templates.
    template_unknown_variable => |f: &Fixture| {
        f.write("templates/list.html", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p>{{ no_such_thing.name }}</p>\n{% endblock content %}\n");
    };
    template_missing_parent => |f: &Fixture| {
        f.write("templates/page.html", "{% extends \"nowhere.html\" %}\n");
    };
}

catalogue! { bad_unreadable:
    #[cfg(unix)]
    unreadable_record_file => |f: &Fixture| {
        f.write("content/locked.yaml", "countries: []\n");
        unreadable(f, "content/locked.yaml");
    };
    #[cfg(unix)]
    unreadable_folder => |f: &Fixture| {
        f.write("content/locked/a.yaml", "countries: []\n");
        unreadable(f, "content/locked");
    };
}

catalogue! { warns:
    empty_record_file => extra("# nothing yet\n");
    credibility_without_a_grade => claims(ALPHA_YEAR, "    value: 2026\n    credibility: 2\n    source: alpha\n");
    document_not_found => |f: &Fixture| {
        f.replace("content/sources.yaml", "document: gamma.txt", "document: gamma-missing.txt");
    };
    no_documents_folder => |f: &Fixture| {
        f.replace("dossier.yaml", "documents: documents\n", "");
    };
}

catalogue! { check_fails:
    broken_link_in_a_page => page("---\ntitle: T\n---\nSee [the appendix](appendix.html).\n");
    broken_anchor_in_a_page => page("---\ntitle: T\n---\nSee [the section](#no-such-section).\n");
}

/// With `--require-documents` a missing document is an error, not a warning.
#[test]
fn document_required_but_not_found() {
    let fixture = Fixture::new("basic");
    fixture.replace(
        "content/sources.yaml",
        "document: gamma.txt",
        "document: gamma-missing.txt",
    );
    let check = fixture.run(&["check", "--require-documents"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    insta::assert_snapshot!(fixture.redact(&check.stderr));
}

/// A folder of someone's work, which no build may replace; returns its files.
fn victim(f: &Fixture, rel: &str) -> Vec<(String, String)> {
    f.write(&format!("{rel}/thesis.tex"), "years of work\n");
    f.write(&format!("{rel}/chapters/one.tex"), "chapter one\n");
    files(&f.path(rel))
}

fn files(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)
        .expect("read folder")
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            found.push((path.display().to_string(), text));
        }
    }
    found.sort();
    found
}

/// `dossier pdf` with `env`; no PDF may be left behind.
fn pdf(f: &Fixture, args: &[&str], env: &[(&str, &OsStr)]) -> Run {
    let all: Vec<&str> = ["pdf"].into_iter().chain(args.iter().copied()).collect();
    let mut with_env = vec![("DOSSIER_CHROME", OsStr::new(""))];
    with_env.extend_from_slice(env);
    let run = run_in(&f.root, &all, &with_env);
    assert!(!f.path("briefing.pdf").exists(), "a PDF was written");
    run
}

catalogue! { fails:
    // The briefing folder.
    not_a_briefing => |f: &Fixture| {
        std::fs::remove_dir_all(f.path("content")).expect("remove content/");
        f.run(&["build"])
    };
    briefing_folder_missing => |f: &Fixture| f.run(&["check", "../nowhere"]);
    serve_not_a_briefing => |f: &Fixture| {
        std::fs::remove_dir_all(f.path("content")).expect("remove content/");
        f.run(&["serve", "--port", "0"])
    };
    // Outputs `build` refuses to replace; each is left as it was.
    output_not_written_by_dossier => |f: &Fixture| {
        let before = victim(f, "thesis");
        let run = f.run(&["build", "-o", "thesis"]);
        assert_eq!(files(&f.path("thesis")), before, "the folder is untouched");
        run
    };
    output_is_a_file => |f: &Fixture| {
        f.write("notes.txt", "mine\n");
        let run = f.run(&["build", "-o", "notes.txt"]);
        assert_eq!(f.read("notes.txt"), "mine\n");
        run
    };
    output_below_a_file => |f: &Fixture| {
        f.write("notes.txt", "mine\n");
        f.run(&["build", "-o", "notes.txt/site"])
    };
    output_inside_content => |f: &Fixture| f.run(&["build", "-o", "content/site"]);
    output_is_the_briefing => |f: &Fixture| f.run(&["build", "-o", "."]);
    output_is_the_root => |f: &Fixture| f.run(&["build", "-o", "/"]);
    output_is_the_home_folder => |f: &Fixture| {
        let home = f.outside("home");
        std::fs::create_dir_all(&home).expect("mkdir");
        let home_text = home.display().to_string();
        f.run_with(&["build", "-o", &home_text], &[("HOME", home.as_os_str())])
    };
    output_is_the_current_folder => |f: &Fixture| {
        let before = victim(f, "../work");
        let root = f.root.display().to_string();
        let run = run_in(&f.outside("work"), &["build", &root, "-o", "."], &[]);
        assert_eq!(files(&f.path("../work")), before, "the folder is untouched");
        run
    };
    #[cfg(unix)]
    no_current_folder => |f: &Fixture| {
        victim(f, "thesis");
        let gone = f.outside("gone");
        std::fs::create_dir_all(&gone).expect("mkdir");
        let out = std::process::Command::new("sh")
            .args(["-c", r#"cd "$1" && rmdir "$1" && exec "$2" build "$3" -o "$4""#, "sh"])
            .arg(&gone)
            .arg(env!("CARGO_BIN_EXE_dossier"))
            .arg(&f.root)
            .arg(f.path("thesis"))
            .env("NO_COLOR", "1")
            .output()
            .expect("run sh");
        Run::from(out)
    };
    // The preview server.
    port_in_use => |f: &Fixture| {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = taken.local_addr().expect("address").port().to_string();
        let mut run = f.run(&["serve", "--port", &port]);
        run.stderr = run.stderr.replace(&format!(":{port}"), ":[PORT]");
        run
    };
    // 192.0.2.1 (TEST-NET-1) is no address of this machine.
    cannot_listen => |f: &Fixture| f.run(&["serve", "--bind", "192.0.2.1", "--port", "0"]);
    // The PDF.
    chromium_not_found => |f: &Fixture| pdf(f, &[], &[("PATH", OsStr::new(""))]);
    chrome_not_executable => |f: &Fixture| pdf(f, &["--chrome", "/nonexistent/chromium"], &[]);
    dossier_chrome_not_executable => |f: &Fixture| {
        pdf(f, &[], &[("DOSSIER_CHROME", OsStr::new("/nonexistent/chromium"))])
    };
    #[cfg(unix)]
    chrome_cannot_run => |f: &Fixture| {
        use std::os::unix::fs::PermissionsExt;
        let fake = f.outside("chromium");
        std::fs::write(&fake, "not a program\n").expect("write");
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let fake = fake.display().to_string();
        pdf(f, &["--chrome", &fake], &[])
    };
    #[cfg(unix)]
    chrome_fails => |f: &Fixture| pdf(f, &["--chrome", "/bin/false"], &[]);
    #[cfg(unix)]
    pdf_without_a_temporary_folder => |f: &Fixture| {
        let tmp = f.outside("no-such-tmp");
        pdf(f, &["--chrome", "/bin/false"], &[("TMPDIR", tmp.as_os_str())])
    };
    // `dossier new`.
    new_into_a_folder_in_use => |f: &Fixture| {
        f.write("taken/notes.txt", "mine\n");
        let run = f.run(&["new", "taken"]);
        assert_eq!(f.read("taken/notes.txt"), "mine\n");
        run
    };
    new_below_a_file => |f: &Fixture| {
        f.write("notes.txt", "mine\n");
        f.run(&["new", "notes.txt/briefing"])
    };
}
