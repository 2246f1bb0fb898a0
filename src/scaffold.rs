//! `dossier new NAME`: a small working briefing to start from. It builds and passes
//! `dossier check` as it is: two sources that disagree on a date give one discrepancy.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result, read_err, write_err};

/// The files of a new briefing: (path inside it, text). `{{TITLE}}` is replaced by the title
/// as a YAML string, `{{NAME}}` by the title as written.
const FILES: &[(&str, &str)] = &[
    ("README.md", README_MD),
    ("dossier.yaml", DOSSIER_YAML),
    ("content/index.md", INDEX_MD),
    ("content/records.yaml", RECORDS_YAML),
    (
        "content/organizations/harbour-bridge-authority.md",
        AUTHORITY_MD,
    ),
    (".github/workflows/pages.yml", PAGES_YML),
    (
        ".gitignore",
        "# `dossier build` and `dossier serve` output\npublic/\n# `dossier pdf` output\n*.pdf\n",
    ),
];

/// Creates the briefing folder `path`; refuses an existing folder that is not empty.
/// Returns the files written, relative to `path`.
pub fn create(path: &Path) -> Result<Vec<&'static str>> {
    refuse_existing(path)?;
    let parent = crate::write::existing_parent(path)?;
    // Written beside the target and moved in whole, so a failure leaves nothing half made.
    let staging = tempfile::Builder::new()
        .prefix(".dossier-new-")
        .tempdir_in(parent)
        .map_err(write_err(parent))?;
    let title = title_of(path);
    for (rel, text) in FILES {
        let file = staging.path().join(rel);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(write_err(dir))?;
        }
        let text = text
            .replace("{{TITLE}}", &yaml_string(&title))
            .replace("{{NAME}}", &title);
        std::fs::write(&file, text).map_err(write_err(&file))?;
    }
    if path.is_dir() {
        std::fs::remove_dir(path).map_err(write_err(path))?;
    }
    let staged: PathBuf = staging.keep();
    std::fs::rename(&staged, path).map_err(|source| {
        let _ = std::fs::remove_dir_all(&staged);
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    })?;
    Ok(FILES.iter().map(|(rel, _)| *rel).collect())
}

fn refuse_existing(path: &Path) -> Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let empty = path.is_dir()
        && std::fs::read_dir(path)
            .map_err(read_err(path))?
            .next()
            .is_none();
    if empty {
        return Ok(());
    }
    Err(Error::UnsafeOutput {
        path: path.to_path_buf(),
        why: "it already exists and is not an empty folder; choose a new name".into(),
    })
}

/// "lithuania-mines" -> "Lithuania mines".
fn title_of(path: &Path) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("briefing")
        .replace(['-', '_'], " ");
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Briefing".into(),
    }
}

/// A double-quoted YAML scalar.
fn yaml_string(text: &str) -> String {
    let escaped: String = text
        .chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

const README_MD: &str = r#"# {{NAME}}

An annotated briefing made with Dossier: summaries in `content/*.md`, fact records (people,
organizations, sources and the claims they make) in `content/*.yaml`, settings in
`dossier.yaml`.

## Write and preview

```sh
dossier serve      # builds into public/ and serves it at http://127.0.0.1:1111/
```

Edit any file under `content/` (or `dossier.yaml`): the open page reloads by itself. A broken
edit keeps the last good site up and shows the error, with its file and line, in the browser
and the terminal.

## Check and build

```sh
dossier check      # every record, reference, quote and link; writes nothing
dossier build      # the static site, into public/
dossier pdf        # the whole briefing as briefing.pdf (needs Chromium)
```

`dossier check` exits with status 1 and lists every problem when something is wrong; fix them
before publishing.

## Publish

`public/` is a plain static site: copy it to any web server. For GitHub Pages, push this folder
to a GitHub repository, set Settings > Pages > Source to "GitHub Actions", and fill in
`DOSSIER_GIT` in `.github/workflows/pages.yml`: every push to `main` then checks, builds and
publishes the briefing.
"#;

const DOSSIER_YAML: &str = r#"# The briefing's settings: see the Dossier README for every key.
title: {{TITLE}}
subtitle: "What two reports say about the new harbour bridge, and where they disagree"
date: 2025-03-14
# The URL the site is served from; `dossier build --base-url` overrides it.
base_url: /
language: en
trust_html: false
"#;

const INDEX_MD: &str = r#"---
title: Overview
---
Two reports describe the new harbour bridge in [[northland]]. Both quote
[[anna-berg]] of the [[harbour-bridge-authority]], but they disagree on when it opens:
[[claim:daily-opening-year|2026]] according to one, [[claim:wire-opening-year|2027]] according
to the other.

The cost, [[claim:daily-cost]], is given by one report only.

Start editing: the records are in `content/records.yaml`, this text in `content/index.md`.
Run `dossier serve` to see every change in the browser, `dossier check` before publishing.
"#;

const AUTHORITY_MD: &str = r#"---
title: Harbour Bridge Authority
entity: harbour-bridge-authority
---
The public body that builds and will run the bridge. See
[[discrepancy:opening-year-conflict|the discrepancy on the opening year]].
"#;

const RECORDS_YAML: &str = r#"# Records: any .yaml file under content/ may hold any of these lists.
countries:
  - id: northland
    name: Northland

people:
  - id: anna-berg
    name: Anna Berg
    country: northland
    affiliation: harbour-bridge-authority
    titles:
      - title: Spokesperson
        source: src-daily
      - title: Press officer
        source: src-wire

organizations:
  - id: harbour-bridge-authority
    name: Harbour Bridge Authority
    kind: agency
    country: northland

sources:
  - id: src-daily
    outlet: Northland Daily
    title: "Harbour bridge to open in 2026"
    date: 2025-03-12
    reliability: "A local daily; names its sources."
  - id: src-wire
    outlet: Coastal Wire
    title: "Bridge opening slips to 2027, authority says"
    date: 2025-03-13
    reliability: "A regional agency; quotes the authority directly."

properties:
  - id: opening-year
    label: Opens to traffic
  - id: cost
    label: Cost

claims:
  - id: daily-opening-year
    subject: harbour-bridge-authority
    property: opening-year
    kind: year
    value: 2026
    source: src-daily
    quote: "the bridge will open in 2026"
    speaker: anna-berg
  - id: wire-opening-year
    subject: harbour-bridge-authority
    property: opening-year
    kind: year
    value: 2027
    source: src-wire
    quote: "opening is now expected in 2027"
    speaker: anna-berg
  - id: daily-cost
    subject: harbour-bridge-authority
    property: cost
    kind: number
    value: 410
    unit: million EUR
    source: src-daily
    quote: "a cost of 410 million euros"

notes:
  - id: opening-year-conflict
    claims: [daily-opening-year, wire-opening-year]
    title: "Opening: 2026 or 2027?"
    note: |
      The later report says the date *slipped*: it may be an update rather than a conflict.
    verdict: unresolved
"#;

const PAGES_YML: &str = r#"# Builds this briefing with Dossier and publishes it to GitHub Pages.
# Repository settings: Settings > Pages > Build and deployment > Source: "GitHub Actions".
name: pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Check out
        uses: actions/checkout@v4

      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v5

      - name: Install Rust
        run: |
          rustup toolchain install stable --profile minimal
          rustup default stable

      - name: Install Dossier
        env:
          # The Git URL of the Dossier repository to build the site with: fill it in.
          DOSSIER_GIT: ""
        run: |
          if [ -z "$DOSSIER_GIT" ]; then
            echo "::error::Set DOSSIER_GIT in .github/workflows/pages.yml to the Git URL of Dossier"
            exit 1
          fi
          cargo install --git "$DOSSIER_GIT" dossier --locked

      - name: Check the briefing
        run: dossier check

      - name: Build the site
        env:
          # e.g. https://OWNER.github.io/REPO (no trailing slash) or the custom domain
          BASE_URL: ${{ steps.pages.outputs.base_url }}
        run: dossier build --output public --base-url "${BASE_URL}/"

      - name: Upload artifact
        uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_folder_name() {
        assert_eq!(title_of(Path::new("x/harbour-bridge")), "Harbour bridge");
        assert_eq!(yaml_string("a \"b\" \\"), "\"a \\\"b\\\" \\\\\"");
    }
}
