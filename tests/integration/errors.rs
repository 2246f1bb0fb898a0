//! Error kinds that need more than one edit or a look at the output (the one-edit cases are in
//! `catalogue.rs`, as whole-stderr snapshots): the exit code, and a message naming the file, line and column
//! and saying what to do.

use crate::support::Fixture;

fn with_records(text: &str) -> Fixture {
    let fixture = Fixture::new("basic");
    fixture.write("content/extra.yaml", text);
    fixture
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let run = with_records("countries:\n  - id: x\n    nmae: X\n").run(&["check"]);
    run.assert_error(
        "content/extra.yaml:3:5",
        &["unknown field `nmae`", "did you mean `name`?"],
    );
}

#[test]
fn missing_required_field() {
    let run = with_records("countries:\n  - id: x\n").run(&["check"]);
    run.assert_error(
        "content/extra.yaml:2:5",
        &["missing field `name`", "add the field"],
    );
}

#[test]
fn duplicate_id_across_files() {
    let run =
        with_records("countries:\n  - id: ruritania\n    name: Ruritania Again\n").run(&["check"]);
    run.assert_error(
        "content/extra.yaml:2:9",
        &[
            "duplicate id `ruritania`",
            "first defined at content/entities.yaml:2",
        ],
    );
}

#[test]
fn dangling_reference_suggests_the_closest_id() {
    let fixture = Fixture::new("basic");
    fixture.replace(
        "content/claims/claims.yaml",
        "source: gamma\n    quote: begins",
        "source: gama\n    quote: begins",
    );
    let run = fixture.run(&["check"]);
    run.assert_error(
        "content/claims/claims.yaml:32:13",
        &["unknown source `gama`", "did you mean `gamma`?"],
    );
}

#[test]
fn reference_to_the_wrong_kind() {
    let fixture = Fixture::new("basic");
    fixture.replace(
        "content/claims/claims.yaml",
        "source: gamma\n    quote: begins",
        "source: ruritania\n    quote: begins",
    );
    let run = fixture.run(&["check"]);
    run.assert_error(
        "content/claims/claims.yaml:32:13",
        &["`ruritania` is a country, but `source` must name one of: sources"],
    );
}

#[test]
fn unknown_inline_reference() {
    let fixture = Fixture::new("basic");
    fixture.replace(
        "content/countries/ruritania.md",
        "[[widget-ministry]]",
        "[[widget-ministy]]",
    );
    let run = fixture.run(&["check"]);
    run.assert_error(
        "content/countries/ruritania.md:5:13",
        &[
            "unknown entity `widget-ministy`",
            "did you mean `[[widget-ministry]]`?",
        ],
    );
}

#[test]
fn malformed_inline_reference() {
    let fixture = Fixture::new("basic");
    fixture.replace(
        "content/countries/ruritania.md",
        "[[widget-ministry]]",
        "[[Widget Ministry]]",
    );
    let run = fixture.run(&["check"]);
    run.assert_error(
        "content/countries/ruritania.md:5:13",
        &["malformed inline reference", "lowercase"],
    );
}

#[test]
fn unterminated_front_matter() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "content/broken.md",
        "---\ntitle: Broken\n\nNo closing fence.\n",
    );
    let run = fixture.run(&["check"]);
    run.assert_error(
        "content/broken.md:1:1",
        &["front matter is never closed", "end the front matter"],
    );
}

#[test]
fn alias_shared_by_two_entities() {
    let run =
        with_records("countries:\n  - id: other\n    name: Other\n    aliases: [Ruritania]\n")
            .run(&["check"]);
    run.assert_error(
        "content/extra.yaml:4:14",
        &[
            "`Ruritania` of `other` also names `ruritania`",
            "a name or alias must name one entity",
        ],
    );
}

#[test]
fn name_shared_by_two_entities_ignoring_accents() {
    let run = with_records("countries:\n  - id: other\n    name: OSTERLICH\n").run(&["check"]);
    run.assert_error(
        "content/extra.yaml:3:11",
        &["`OSTERLICH` of `other` also names `osterlich`"],
    );
}

#[test]
fn unknown_status_value() {
    let run = with_records(
        "claims:\n  - id: s1\n    subject: ruritania\n    property: treaty\n    kind: status\n    value: notifed\n    source: alpha\n    quote: Ruritania will\n",
    )
    .run(&["check"]);
    run.assert_error(
        "content/extra.yaml:6:12",
        &["unknown status `notifed`", "did you mean `notified`?"],
    );
}

#[test]
fn quote_from_page_furniture_is_refused() {
    let fixture = Fixture::new("basic");
    fixture.replace(
        "content/sources.yaml",
        "reliability: Unattributed.",
        "reliability: Unattributed.\n    noise: [Gamma Post.]",
    );
    fixture.replace(
        "content/claims/claims.yaml",
        "quote: begins in 2026",
        "quote: Gamma Post",
    );
    let run = fixture.run(&["check"]);
    run.assert_error("content/claims/claims.yaml:33:12", &["page furniture"]);
}

#[test]
fn template_syntax_error_in_an_override() {
    let fixture = Fixture::new("basic");
    fixture.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock content %}\n");
    let run = fixture.run(&["check"]);
    run.assert_error("templates/page.html:4:1", &["fix the template syntax"]);
}

#[test]
fn template_using_an_unknown_variable() {
    let fixture = Fixture::new("basic");
    fixture.write(
        "templates/list.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p>{{ no_such_thing.name }}</p>\n{% endblock content %}\n",
    );
    let run = fixture.run(&["build"]);
    run.assert_error("templates/list.html:4:", &["no_such_thing"]);
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let fixture = Fixture::new("basic");
    fixture.replace(
        "content/claims/claims.yaml",
        "source: gamma\n    quote: begins",
        "source: gama\n    quote: begins",
    );
    fixture.replace(
        "content/countries/ruritania.md",
        "[[widget-ministry]]",
        "[[widget-ministy]]",
    );
    let run = fixture.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
}

#[test]
fn output_inside_content_is_refused() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["build", "--output", "content/site"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("inside content/"), "{}", run.stderr);
}

#[test]
fn a_folder_without_content_is_not_a_briefing() {
    let fixture = Fixture::new("basic");
    std::fs::remove_dir_all(fixture.path("content")).expect("remove content");
    let run = fixture.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no content/ folder"), "{}", run.stderr);
}

#[test]
fn a_reference_to_a_claim_that_failed_reports_only_the_claim() {
    let fixture = Fixture::new("basic");
    // The last claim fails; the overview refers to it.
    fixture.replace(
        "content/claims/claims.yaml",
        "source: beta\n    speaker",
        "source: betta\n    speaker",
    );
    fixture.replace(
        "content/index.md",
        "See [[discrepancy:start-year]].",
        "See [[discrepancy:start-year]], [[claim:beta-quote]].",
    );
    let run = fixture.run(&["check"]);
    run.assert_error(
        "content/claims/claims.yaml:54:13",
        &["unknown source `betta`", "did you mean `beta`?"],
    );
    assert!(run.stderr.contains("1 error,"), "{}", run.stderr);
}

#[test]
fn reserved_id() {
    let run = with_records("countries:\n  - id: index\n    name: Index\n").run(&["check"]);
    run.assert_error("content/extra.yaml:2:9", &["`index` is reserved"]);
}

#[test]
fn static_file_replacing_a_generated_page() {
    let fixture = Fixture::new("basic");
    fixture.write("static/index.html", "<p>mine</p>\n");
    let run = fixture.run(&["check"]);
    run.assert_error(
        "static/index.html",
        &["would replace the generated index.html"],
    );
}

#[test]
fn unknown_reference_in_a_note_field() {
    let fixture = Fixture::new("basic");
    fixture.replace(
        "content/claims/claims.yaml",
        "its own body says \"next year\".",
        "its own body says \"next year\"; see [[gama]].",
    );
    let run = fixture.run(&["check"]);
    run.assert_error(
        "content/claims/claims.yaml:",
        &[
            "unknown entity `gama` in inline reference",
            "did you mean `[[gamma]]`?",
        ],
    );
}

#[test]
fn flow_style_records_point_at_their_list() {
    let run =
        with_records("# flow style\ncountries: [{id: ruritania, name: Again}]\n").run(&["check"]);
    run.assert_error("content/extra.yaml:2:1", &["duplicate id `ruritania`"]);
}

#[test]
fn a_quoted_year_is_a_year() {
    let fixture = Fixture::new("basic");
    fixture.replace(
        "content/claims/claims.yaml",
        "    value: 2026\n    source: alpha\n",
        "    value: \"2026\"\n    source: alpha\n",
    );
    let site = fixture.build();
    let facts: serde_json::Value = serde_json::from_str(&site.text("facts.json")).expect("JSON");
    let claim = |id: &str| {
        facts["claims"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["id"] == id))
            .unwrap_or_else(|| panic!("claim {id}"))
            .clone()
    };
    // The same year as gamma-start's unquoted `value: 2026`, however facts.json writes years.
    let (quoted, unquoted) = (claim("alpha-start"), claim("gamma-start"));
    assert_eq!(
        (&quoted["kind"], &quoted["value"]),
        (&unquoted["kind"], &unquoted["value"])
    );
    assert_eq!(quoted["kind"], "date", "a year is a date");
}

#[test]
fn a_print_partial_failing_as_the_view_is_written_fails_the_build() {
    let fixture = Fixture::new("basic");
    // The annex comes last: the print view is half written when it fails.
    fixture.write(
        "templates/partials/print-annex.html",
        "{% for c in g.item.claims %}\n{{ c.no_such_field.name }}\n{% endfor %}\n",
    );
    let run = fixture.run(&["build"]);
    run.assert_error("templates/partials/print-annex.html:2:", &["no_such_field"]);
    assert!(!fixture.path("public").exists(), "nothing is written");
}
