//! Criterion benches for the pipeline's hot stages (issue 14): load, parse, resolve, analyse,
//! highlighting a fenced YAML block, and the whole build into a temporary folder.
//!
//! `cargo bench --bench pipeline` runs them on the bundled briefing (this repository);
//! `DOSSIER_BENCH_CORPUS=FOLDER` adds a second briefing, such as one that
//! `scripts/gen-briefing.py` writes. Only the public stage functions and [`dossier::build`]
//! are used, each stage on the previous stage's output computed once outside the timing. A
//! bench that cannot read its input stops with an `expect` message (the lints deny `unwrap`).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};
use dossier::diag::Diagnostics;
use dossier::resolve::ResolveOptions;
use dossier::{Options, analyse, load, parse, render, resolve};

/// The briefings to bench: (name in the bench ids, folder).
fn briefings() -> Vec<(String, PathBuf)> {
    let mut list = vec![(
        "bundled".to_string(),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")),
    )];
    if let Some(folder) = std::env::var_os("DOSSIER_BENCH_CORPUS") {
        let folder = PathBuf::from(folder);
        assert!(
            folder.join("content").is_dir(),
            "DOSSIER_BENCH_CORPUS={} is not a briefing folder (no content/ in it)",
            folder.display()
        );
        list.push((corpus_name(&folder), folder));
    }
    list
}

/// A corpus's name in the bench ids, so that Criterion compares a run with the last run on the
/// same corpus: its folder's name, or its parent's for `scripts/gen-briefing.py`'s layout
/// (`corpus-1000-outlets-many/dossier` beside `…/hugo`).
fn corpus_name(folder: &Path) -> String {
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    match name(folder) {
        Some(n) if n == "dossier" => folder.parent().and_then(name).unwrap_or(n),
        Some(n) => n,
        None => "corpus".to_string(),
    }
}

/// The options `build` and `compile` use by default.
fn resolve_options() -> ResolveOptions {
    ResolveOptions {
        require_documents: false,
        require_documents_folder: false,
    }
}

/// Load, parse, resolve and analyse, each on the output of the stage before it.
fn stages(c: &mut Criterion) {
    for (name, root) in briefings() {
        let mut group = c.benchmark_group(format!("stages/{name}"));
        group
            .sample_size(20)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));

        let mut diags = Diagnostics::new();
        let loaded = load::load(&root, &mut diags).expect("the briefing loads");
        let raw = parse::parse(&loaded, &mut diags);
        let model = resolve::resolve(&raw, &root, resolve_options(), &mut diags);
        assert!(
            !diags.has_errors(),
            "{}: {} content errors; the benches need a briefing that builds",
            root.display(),
            diags.error_count()
        );

        group.bench_function("load", |b| {
            b.iter(|| {
                let mut diags = Diagnostics::new();
                load::load(black_box(&root), &mut diags).expect("the briefing loads")
            });
        });
        group.bench_function("parse", |b| {
            b.iter(|| {
                let mut diags = Diagnostics::new();
                parse::parse(black_box(&loaded), &mut diags)
            });
        });
        group.bench_function("resolve", |b| {
            b.iter(|| {
                let mut diags = Diagnostics::new();
                resolve::resolve(black_box(&raw), &root, resolve_options(), &mut diags)
            });
        });
        group.bench_function("analyse", |b| {
            b.iter(|| analyse::analyse(black_box(&model)));
        });
        group.finish();
    }
}

/// A fenced YAML block like each generated summary's (`gen_corpus.py`), numbered.
fn yaml_block(n: u64) -> String {
    format!(
        "id: page-{n:05}-figure-0\n\
         subject: page-{n:05}\n\
         property: figure\n\
         value: {value}\n\
         source: nordic-ledger\n\
         quote: \"Record survey expected defence announced approved\"\n\
         as_of: 2022-09-27\n",
        value = 1000 + n % 9000,
    )
}

/// `highlight` keeps each distinct block for the process, so `fresh` highlights a block never
/// seen before on every iteration (its id, subject and value carry a counter), as each
/// summary's block is on its page; `cached` repeats one block, as the print view shows it again.
fn highlight(c: &mut Criterion) {
    let mut group = c.benchmark_group("highlight/yaml");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let mut counter: u64 = 0;
    group.bench_function("fresh", |b| {
        b.iter_batched(
            || {
                counter += 1;
                yaml_block(counter)
            },
            |code| render::highlight::highlight(black_box(&code), "yaml"),
            BatchSize::SmallInput,
        );
    });
    let code = yaml_block(0);
    group.bench_function("cached", |b| {
        b.iter(|| render::highlight::highlight(black_box(&code), "yaml"));
    });
    group.finish();
}

/// `dossier::build` into a folder that does not exist yet, as a clean build; the temporary
/// folder and the site in memory are dropped outside the timing.
fn build(c: &mut Criterion) {
    for (name, root) in briefings() {
        let options = Options {
            root: root.clone(),
            ..Options::default()
        };
        check_build(&options);
        let mut group = c.benchmark_group(format!("build/{name}"));
        // One build per sample: 10 builds, not the 55 of linear sampling.
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(10));
        group.bench_function("build", |b| {
            b.iter_batched(
                || tempfile::tempdir().expect("a temporary folder"),
                |dir| {
                    let out = dir.path().join("public");
                    let compiled = dossier::build(&options, Some(&out)).expect("the build runs");
                    (dir, compiled)
                },
                BatchSize::PerIteration,
            );
        });
        group.finish();
    }
}

/// Once, outside the timing: the build writes a site (it writes nothing on content errors).
fn check_build(options: &Options) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("public");
    dossier::build(options, Some(&out)).expect("the build runs");
    assert!(
        out.join("index.html").is_file(),
        "{}: the build wrote no index.html (content errors?)",
        options.root.display()
    );
}

criterion_group!(benches, stages, highlight, build);
criterion_main!(benches);
