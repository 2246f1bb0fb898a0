//! Property test: random edits of the fixture's YAML and Markdown (bytes removed, YAML's
//! punctuation inserted, lines repeated, swapped or cut) never make `dossier check` panic or
//! hang: it answers within a time budget with exit code 0, 1 or 2.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;

use crate::support::Fixture;

/// The files the mutations edit.
const FILES: [&str; 4] = [
    "content/entities.yaml",
    "content/claims/claims.yaml",
    "content/index.md",
    "dossier.yaml",
];

/// Far above a check of the fixture (tens of milliseconds), far below a hang.
const BUDGET: Duration = Duration::from_secs(20);

#[derive(Debug, Clone)]
enum Mutation {
    Remove { at: usize, len: usize },
    Insert { at: usize, text: String },
    RepeatLine { line: usize },
    SwapLines { a: usize, b: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let punctuation = prop::collection::vec(
        prop::sample::select(vec![
            "[",
            "]",
            "{",
            "}",
            ":",
            "- ",
            "|",
            ">",
            "'",
            "\"",
            "\t",
            "\n",
            " ",
            "#",
            "&a",
            "*a",
            "!!",
            "%",
            "@",
            "`",
            "---\n",
            "[[",
            "]]",
            "\u{feff}",
            "é",
            "9999999999999999999999",
            ".nan",
            "~",
        ]),
        1..6,
    )
    .prop_map(|parts| parts.concat());
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(at, len)| Mutation::Remove { at, len }),
        (any::<usize>(), punctuation).prop_map(|(at, text)| Mutation::Insert { at, text }),
        any::<usize>().prop_map(|line| Mutation::RepeatLine { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// The nearest character boundary at or before `at % (len + 1)`.
fn boundary(text: &str, at: usize) -> usize {
    let mut i = at % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    match m {
        Mutation::Remove { at, len } => {
            let start = boundary(text, *at);
            let end = boundary(text, start + len);
            let end = end.max(start);
            format!("{}{}", &text[..start], &text[end..])
        }
        Mutation::Insert { at, text: new } => {
            let at = boundary(text, *at);
            format!("{}{new}{}", &text[..at], &text[at..])
        }
        Mutation::RepeatLine { line } if !lines.is_empty() => {
            let i = line % lines.len();
            lines.insert(i, lines[i]);
            lines.concat()
        }
        Mutation::SwapLines { a, b } if !lines.is_empty() => {
            let n = lines.len();
            lines.swap(a % n, b % n);
            lines.concat()
        }
        Mutation::Truncate { at } => text[..boundary(text, *at)].to_string(),
        _ => text.to_string(),
    }
}

/// Runs `dossier check` with a deadline; the exit code, or why there is none.
fn check_within_budget(fixture: &Fixture) -> Result<i32, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("check")
        .current_dir(&fixture.root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("wait: {e}"))? {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                use std::io::Read;
                let _ = pipe.read_to_string(&mut stderr);
            }
            if stderr.contains("panicked") {
                return Err(format!("panic:\n{stderr}"));
            }
            return status
                .code()
                .ok_or_else(|| format!("killed by a signal:\n{stderr}"));
        }
        if start.elapsed() > BUDGET {
            let _ = child.kill();
            return Err(format!("no answer within {BUDGET:?}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn check_survives_mutated_input(
        file in 0..FILES.len(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let fixture = Fixture::new("basic");
        let rel = FILES[file];
        let mut text = fixture.read(rel);
        for m in &mutations {
            text = apply(&text, m);
        }
        fixture.write(rel, &text);
        let code = check_within_budget(&fixture).map_err(TestCaseError::fail)?;
        prop_assert!(matches!(code, 0..=2), "exit code {code} for {rel}:\n{text}");
    }
}
