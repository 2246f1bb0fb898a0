//! The analysis on in-memory briefings: one test per outcome and comparison rule, each with the
//! case that must NOT be flagged beside it.

use super::*;
use crate::model::Model;

const ENTITIES: &str = "
countries:
  - id: finland
    name: Finland
  - id: lithuania
    name: Lithuania
places:
  - id: uusimaa
    name: Uusimaa
    kind: region
    part_of: finland
  - id: espoo
    name: Espoo
    kind: city
    part_of: uusimaa
people:
  - id: minister
    name: The minister
    unnamed: true
  - id: general
    name: The general
    unnamed: true
organizations:
  - id: government
    name: The government
    kind: government
    country: finland
  - id: ministry
    name: The ministry
    kind: ministry
    part_of: government
  - id: acme
    name: Acme
    kind: company
  - id: bolt
    name: Bolt
    kind: company
  - id: crane
    name: Crane
    kind: company
sources:
  - id: s1
    title: One
  - id: s2
    title: Two
  - id: s3
    title: Three
";

/// A model from record files given as text (and an overview), with nothing read from disk.
fn model_of(files: &[(&str, &str)]) -> Model {
    let overview = [("content/index.md", "---\ntitle: Test\n---\nThe overview.\n")];
    let (model, diags) = crate::resolve::model_of_text(files, &overview);
    let errors: Vec<String> = (diags.sorted().iter())
        .filter(|d| d.headline().contains("error"))
        .map(|d| d.render(false))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    model
}

/// Claims written as `source|subject|value|extra fields` lines under one property.
fn briefing(properties: &str, claims: &[&str]) -> Model {
    let ids: Vec<usize> = (0..claims.len()).collect();
    briefing_with_ids(properties, claims, &ids)
}

/// Like [`briefing`], but claim `k` of `claims` gets the id `c{ids[k]}`.
fn briefing_with_ids(properties: &str, claims: &[&str], ids: &[usize]) -> Model {
    let mut yaml = String::from("claims:\n");
    for (line, id) in claims.iter().zip(ids) {
        let mut parts = line.splitn(4, '|');
        let (source, subject, value) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        yaml.push_str(&format!(
            "  - id: c{id}\n    subject: {subject}\n    property: p\n    value: {value}\n    source: {source}\n    quote: \"words {id}\"\n"
        ));
        let extra = parts.next().unwrap_or_default();
        for field in extra.split(';').filter(|f| !f.trim().is_empty()) {
            yaml.push_str(&format!("    {}\n", field.trim()));
        }
    }
    let props = format!("properties:\n  - id: p\n{properties}");
    model_of(&[
        ("content/entities.yaml", ENTITIES),
        ("content/properties.yaml", &props),
        ("content/claims.yaml", &yaml),
    ])
}

fn kinds(model: &Model) -> Vec<String> {
    analyse(model)
        .discrepancies
        .iter()
        .map(|d| d.outcome())
        .collect()
}

fn quantity(claims: &[&str]) -> Vec<String> {
    kinds(&briefing("    kind: quantity\n", claims))
}

#[test]
fn equal_values_agree() {
    assert!(quantity(&["s1|finland|270 km", "s2|finland|270 km"]).is_empty());
}

#[test]
fn different_values_conflict() {
    assert_eq!(
        quantity(&["s1|finland|270 km", "s2|finland|300 km"]),
        ["conflict"]
    );
}

#[test]
fn units_are_converted_before_comparing() {
    assert!(quantity(&["s1|finland|100 mi", "s2|finland|161 km"]).is_empty());
    assert_eq!(
        quantity(&["s1|finland|100 mi", "s2|finland|100 km"]),
        ["conflict"]
    );
}

#[test]
fn currencies_are_not_compared() {
    assert!(quantity(&["s1|finland|€800 million", "s2|finland|$800 million"]).is_empty());
    assert_eq!(
        quantity(&["s1|finland|€800 million", "s2|finland|€900 million"]),
        ["conflict"]
    );
}

#[test]
fn overlapping_ranges_are_compatible_disjoint_ones_conflict() {
    assert_eq!(
        quantity(&["s1|finland|dozens, if not almost 100", "s2|finland|60"]).len(),
        1
    );
    assert_eq!(
        quantity(&["s1|finland|20-24", "s2|finland|22"]),
        ["compatible"]
    );
    assert_eq!(
        quantity(&["s1|finland|at least 7", "s2|finland|5"]),
        ["conflict"]
    );
}

#[test]
fn structured_values_are_read() {
    let model = briefing(
        "    kind: quantity\n    unit: km\n",
        &[
            "s1|finland|{min: 20, max: 100, approx: true}",
            "s2|finland|50",
        ],
    );
    assert_eq!(kinds(&model), ["compatible"]);
}

#[test]
fn partial_dates_compare_as_intervals() {
    let dates = |c: &[&str]| kinds(&briefing("    kind: date\n", c));
    assert_eq!(
        dates(&["s1|finland|2026", "s2|finland|2026-03"]),
        ["compatible"]
    );
    assert_eq!(dates(&["s1|finland|2026", "s2|finland|2023"]), ["conflict"]);
    assert!(dates(&["s1|finland|2026-03", "s2|finland|\"2026-03\""]).is_empty());
}

#[test]
fn a_place_within_another_is_a_refinement() {
    let places = |c: &[&str]| kinds(&briefing("    kind: entity\n", c));
    assert_eq!(
        places(&["s1|acme|espoo", "s2|acme|finland"]),
        ["compatible"]
    );
    assert_eq!(
        places(&["s1|acme|ministry", "s2|acme|government"]),
        ["compatible"]
    );
    assert_eq!(
        places(&["s1|acme|espoo", "s2|acme|lithuania"]),
        ["conflict"]
    );
}

#[test]
fn synonyms_agree_outliers_conflict() {
    let vocab = "    kind: text\n    vocabulary:\n      manslaughter: [involuntary manslaughter, a manslaughter charge]\n      murder: []\n";
    let text = |c: &[&str]| kinds(&briefing(vocab, c));
    assert!(text(&["s1|acme|manslaughter", "s2|acme|Involuntary manslaughter"]).is_empty());
    assert_eq!(
        text(&[
            "s1|acme|manslaughter",
            "s2|acme|a manslaughter charge",
            "s3|acme|murder"
        ]),
        ["conflict"]
    );
}

#[test]
fn values_at_other_moments_are_a_change_not_a_conflict() {
    let c = quantity(&[
        "s1|finland|20|as_of: 2024-12",
        "s1|finland|30|as_of: 2025-06",
    ]);
    assert_eq!(c, ["change-over-time"]);
    // The same moment: a self-contradiction.
    let c = quantity(&[
        "s1|finland|20|as_of: 2025-06",
        "s1|finland|30|as_of: 2025-06",
    ]);
    assert_eq!(c, ["self-contradiction"]);
}

#[test]
fn two_speakers_in_one_report_are_a_reported_disagreement() {
    let c = quantity(&[
        "s1|finland|20|speaker: minister",
        "s1|finland|30|speaker: general",
    ]);
    assert_eq!(c, ["reported-disagreement"]);
    let c = quantity(&[
        "s1|finland|20|speaker: minister",
        "s1|finland|30|speaker: minister",
    ]);
    assert_eq!(c, ["self-contradiction"]);
    // An organization can speak too.
    let c = quantity(&["s1|finland|20|speaker: ministry", "s1|finland|30"]);
    assert_eq!(c, ["reported-disagreement"]);
}

#[test]
fn a_stronger_modality_than_all_others_is_an_overstatement() {
    let status = |c: &[&str]| kinds(&briefing("    kind: status\n", c));
    let c = status(&[
        "s1|finland|notified|modality: planned",
        "s2|finland|notified|modality: planned",
        "s3|finland|notified|modality: confirmed",
    ]);
    assert_eq!(c, ["overstatement"]);
    // All alike, or no modality given: nothing to say.
    assert!(
        status(&[
            "s1|finland|notified|modality: planned",
            "s2|finland|notified|modality: planned"
        ])
        .is_empty()
    );
    assert!(
        status(&[
            "s1|finland|notified",
            "s2|finland|notified|modality: confirmed"
        ])
        .is_empty()
    );
}

#[test]
fn lists_compare_as_sets() {
    let lists = |c: &[&str]| kinds(&briefing("    kind: entity\n    multi: true\n", c));
    assert!(lists(&["s1|finland|[acme, bolt]", "s2|finland|[bolt, acme]"]).is_empty());
    assert_eq!(
        lists(&["s1|finland|[acme, bolt]", "s2|finland|[acme]"]),
        ["omission"]
    );
    assert_eq!(
        lists(&["s1|finland|[acme, bolt]", "s2|finland|[acme, crane]"]),
        ["conflict"]
    );
    // "including ...": not the whole list.
    assert!(
        lists(&[
            "s1|finland|[acme, bolt]",
            "s2|finland|[acme]|complete: false"
        ])
        .is_empty()
    );
    // Single mentions are not whole lists.
    assert!(lists(&["s1|finland|acme", "s2|finland|bolt"]).is_empty());
}

#[test]
fn a_count_that_differs_from_its_list_is_a_self_contradiction() {
    let props = "    kind: entity\n    multi: true\n  - id: n\n    kind: quantity\n    counts: p\n";
    let extra = "claims:\n  - id: count1\n    subject: finland\n    property: n\n    value: 3\n    source: s1\n    quote: three of them\n";
    let model = |list: &str| {
        let claims = format!(
            "{extra}  - id: list1\n    subject: finland\n    property: p\n    value: {list}\n    source: s1\n    quote: the list\n"
        );
        let props = format!("properties:\n  - id: p\n{props}");
        model_of(&[
            ("content/entities.yaml", ENTITIES),
            ("content/properties.yaml", &props),
            ("content/claims.yaml", &claims),
        ])
    };
    assert_eq!(kinds(&model("[acme, bolt]")), ["self-contradiction"]);
    assert!(kinds(&model("[acme, bolt, crane]")).is_empty());
}

#[test]
fn one_statement_given_to_two_speakers_is_an_attribution_conflict() {
    let claims = "claims:
  - id: a
    subject: finland
    property: view
    value: effective
    source: s1
    speaker: minister
    quote: a highly effective and cost-efficient weapon
  - id: b
    subject: finland
    property: view
    value: effective
    source: s2
    speaker: general
    quote: highly effective and cost-efficient
  - id: c
    subject: finland
    property: view
    value: effective
    source: s3
    speaker: general
    quote: we will buy more of them soon
";
    let model = model_of(&[
        ("content/entities.yaml", ENTITIES),
        ("content/claims.yaml", claims),
    ]);
    let found = analyse(&model);
    let d: Vec<&Discrepancy> = (found.discrepancies.iter())
        .filter(|d| d.kind == DiscrepancyKind::AttributionConflict)
        .collect();
    assert_eq!(d.len(), 1);
    let ids: Vec<&str> = d[0]
        .claims
        .iter()
        .map(|c| model.claim(*c).id.as_str())
        .collect();
    assert_eq!(ids, ["a", "b"]);
}

#[test]
fn a_statement_one_report_gives_a_speaker_and_another_none_has_lost_its_attribution() {
    let claim = |id: &str, source: &str, speaker: &str, quote: &str| {
        format!(
            "  - id: {id}\n    subject: lithuania\n    property: plan\n    value: order\n    source: {source}\n{speaker}    quote: {quote}\n"
        )
    };
    let minister = "    speaker: minister\n";
    let model = |first: &str, second: &str| {
        let claims = format!("claims:\n{first}{second}");
        model_of(&[
            ("content/entities.yaml", ENTITIES),
            ("content/claims.yaml", &claims),
        ])
    };
    let order = claim(
        "a",
        "s1",
        minister,
        "Lithuania plans to order tens of thousands of such mines",
    );
    // The same words in another report's own voice: the attribution is lost.
    let own_voice = claim(
        "b",
        "s2",
        "",
        "Lithuania plans to order tens of thousands of anti-personnel mines",
    );
    assert_eq!(kinds(&model(&order, &own_voice)), ["attribution-conflict"]);
    // A report's own prose sharing a run of the words (most of its own, few of the statement's)
    // is not the statement, though between two speakers it would count as a drift.
    let statement = claim(
        "a",
        "s1",
        minister,
        "officials of both countries confirmed that they intend to withdraw from the Ottawa Convention",
    );
    let prose = claim(
        "b",
        "s2",
        "",
        "leading Kyiv to withdraw from the Ottawa Convention",
    );
    assert!(kinds(&model(&statement, &prose)).is_empty());
    let general = claim(
        "b",
        "s2",
        "    speaker: general\n",
        "leading Kyiv to withdraw from the Ottawa Convention",
    );
    assert_eq!(
        kinds(&model(&statement, &general)),
        ["attribution-conflict"]
    );
    // The same report giving it no speaker elsewhere is not another report's attribution.
    let same_report = claim(
        "b",
        "s1",
        "",
        "Lithuania plans to order tens of thousands of such mines",
    );
    assert!(kinds(&model(&order, &same_report)).is_empty());
}

#[test]
fn a_note_is_about_the_findings_its_claims_hold_or_are_held_by() {
    // Two conflicts, on p (a, b) and on q (c, d); a note on b, c and d holds the second and
    // only shares a claim with the first, so it dismisses the second alone.
    let claim = |id: &str, property: &str, value: &str, source: &str| {
        format!(
            "  - id: {id}\n    subject: finland\n    property: {property}\n    value: {value}\n    source: {source}\n    quote: {value}\n"
        )
    };
    let claims = [
        claim("a", "p", "x", "s1"),
        claim("b", "p", "y", "s2"),
        claim("c", "q", "z", "s1"),
        claim("d", "q", "w", "s3"),
    ]
    .concat();
    let model = |note_claims: &str| {
        let text = format!(
            "claims:\n{claims}notes:\n  - id: n\n    claims: [{note_claims}]\n    resolution: dismissed\n    note: Not a conflict.\n"
        );
        model_of(&[
            ("content/entities.yaml", ENTITIES),
            ("content/claims.yaml", &text),
        ])
    };
    let outcome = |model: &Model, property: &str| {
        (analyse(model).discrepancies.iter())
            .find(|d| d.property.as_deref() == Some(property))
            .map(|d| d.outcome())
    };
    let nested = model("b, c, d");
    assert_eq!(outcome(&nested, "p").as_deref(), Some("conflict"));
    assert_eq!(outcome(&nested, "q").as_deref(), Some("dismissed"));
    // With no finding nesting with it, a note attaches to those it overlaps.
    let overlapping = model("b, c");
    assert_eq!(outcome(&overlapping, "p").as_deref(), Some("dismissed"));
    assert_eq!(outcome(&overlapping, "q").as_deref(), Some("dismissed"));
}

#[test]
fn notes_dismiss_downgrade_and_decide_ties() {
    let claims = &["s1|finland|270 km", "s2|finland|300 km"];
    let with_note = |note: &str| {
        let mut yaml = String::from("claims:\n");
        for (i, (s, v)) in [("s1", "270 km"), ("s2", "300 km")].iter().enumerate() {
            yaml.push_str(&format!(
                "  - id: c{i}\n    subject: finland\n    property: p\n    value: {v}\n    source: {s}\n    quote: \"w {i}\"\n"
            ));
        }
        let notes = format!("notes:\n  - id: n1\n    claims: [c0, c1]\n{note}");
        model_of(&[
            ("content/entities.yaml", ENTITIES),
            (
                "content/properties.yaml",
                "properties:\n  - id: p\n    kind: quantity\n",
            ),
            ("content/claims.yaml", &yaml),
            ("content/notes.yaml", &notes),
        ])
    };
    // No note: a tie has no best reading.
    let plain = briefing("    kind: quantity\n", claims);
    let a = analyse(&plain);
    assert_eq!(a.discrepancies[0].best, None);
    let m = with_note("    note: a slip\n    best: c0\n");
    let a = analyse(&m);
    assert_eq!(a.discrepancies[0].best, Some(0));
    assert_eq!(a.discrepancies[0].severity(), Some(Severity::Flag));
    let m = with_note("    note: rounding\n    resolution: compatible\n");
    let a = analyse(&m);
    assert_eq!(a.discrepancies[0].outcome(), "compatible");
    assert_eq!(a.discrepancies[0].severity(), Some(Severity::Mark));
    let m = with_note("    note: two different borders\n    resolution: dismissed\n");
    let a = analyse(&m);
    assert_eq!(a.discrepancies[0].outcome(), "dismissed");
    assert_eq!(a.discrepancies[0].severity(), None);
}

#[test]
fn single_source_values_are_marked() {
    let model = briefing(
        "    kind: quantity\n",
        &["s1|finland|1", "s2|finland|1", "s3|lithuania|2"],
    );
    let a = analyse(&model);
    assert_eq!(a.uncorroborated, [false, false, true]);
}

mod order {
    use proptest::prelude::*;

    use super::*;

    /// What the analysis found, by ids only, so two orders of the same records compare.
    fn summary(model: &Model) -> Vec<String> {
        let a = analyse(model);
        a.discrepancies
            .iter()
            .map(|d| {
                let claims: Vec<&str> = d
                    .claims
                    .iter()
                    .map(|c| model.claim(*c).id.as_str())
                    .collect();
                let readings: Vec<String> = (d.readings.iter())
                    .map(|r| {
                        let mut ids: Vec<&str> = r
                            .claims
                            .iter()
                            .map(|c| model.claim(*c).id.as_str())
                            .collect();
                        ids.sort();
                        format!("{}={}", r.value, ids.join(","))
                    })
                    .collect();
                let best = d.best.map(|b| d.readings[b].value.clone());
                format!(
                    "{} {} [{}] {{{}}} {best:?}",
                    d.id,
                    d.outcome(),
                    claims.join(","),
                    readings.join(";")
                )
            })
            .collect()
    }

    const CLAIMS: [&str; 8] = [
        "s1|finland|270 km|speaker: minister",
        "s2|finland|300 km|speaker: general",
        "s3|finland|168 mi",
        "s1|finland|280 km|speaker: general",
        "s2|lithuania|about 20",
        "s3|lithuania|22|as_of: 2025",
        "s1|lithuania|40|as_of: 2024",
        "s2|finland|270 km",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn the_result_does_not_depend_on_record_order(order in Just((0..CLAIMS.len()).collect::<Vec<_>>()).prop_shuffle()) {
            // Claim ids follow the lines, so shuffling the lines shuffles the records.
            let base: Vec<&str> = CLAIMS.to_vec();
            let shuffled: Vec<&str> = order.iter().map(|i| CLAIMS[*i]).collect();
            let a = briefing_with_ids("    kind: quantity\n", &base, &(0..CLAIMS.len()).collect::<Vec<_>>());
            let b = briefing_with_ids("    kind: quantity\n", &shuffled, &order);
            prop_assert_eq!(summary(&a), summary(&b));
        }
    }

    #[test]
    fn comparing_is_symmetric() {
        let values = [
            "270 km",
            "about 270 km",
            "168 mi",
            "20-24 km",
            "at least 300 km",
            "€5",
            "$5",
            "5",
        ];
        let model = briefing("    kind: quantity\n", &["s1|finland|1"]);
        let parsed: Vec<crate::model::Value> = values
            .iter()
            .filter_map(|v| {
                crate::value::Quantity::parse(v, None)
                    .ok()
                    .map(crate::model::Value::Quantity)
            })
            .collect();
        for a in &parsed {
            for b in &parsed {
                assert_eq!(
                    values::relation(&model, a, b),
                    values::relation(&model, b, a),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
