#!/usr/bin/env python3
"""Generate a synthetic Dossier briefing of N pages, and Hugo's equivalent site.

Usage: scripts/gen-briefing.py N --out DIR [--sources outlets|articles]
                               [--records one|many] [--seed S] [--no-hugo]

The pages come from the peer benchmark's page generator (`gen_corpus.py` in
`../shared/bench`, imported, with the same seed), so Hugo builds the same
N pages: same titles, dates, countries, sources, Markdown body, links and one
fenced YAML block per page. DIR/dossier is the briefing, DIR/hugo Hugo's site
(written by gen_corpus itself).

In the briefing each page is an organization whose summary is the page's
body (its links become `[[page-NNNNN|text]]` references), located in its
first country. Each of the page's distinct sources claims the page's figure
(the YAML block's value); in about one page in ten the sources disagree on it,
so about 10% of the subject+property groups are disputed. The first source
also claims the country. Sources are the 12 outlets (`--sources outlets`) or
one per source entry of a page (`--sources articles`, about 2.5 per page).
Records are in one file per list (`--records one`) or in one file per page
(`--records many`). Output is deterministic for (N, seed, shape).
"""

import argparse
import random
import re
import shutil
import sys
from pathlib import Path


def find_peer(explicit):
    """The folder holding gen_corpus.py: given, or `shared/bench` beside an ancestor."""
    if explicit:
        return Path(explicit)
    here = Path(__file__).resolve().parent
    for up in [here, *here.parents]:
        cand = up / "shared" / "bench"
        if (cand / "gen_corpus.py").is_file():
            return cand
    sys.exit("gen-briefing: gen_corpus.py not found; pass --peer DIR (../shared/bench)")


def q(s):
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def entity_id(i):
    return f"page-{i:05d}"


def sources_of(gc, pg, shape):
    """(id, outlet, title, url) of each distinct source of page `pg`."""
    seen, out = set(), []
    for k, s in enumerate(pg.sources):
        if shape == "outlets":
            sid, title = gc.slugify(s["name"]), s["name"]
        else:
            sid, title = f"src-{pg.i:05d}-{k}", f"{pg.title} ({s['name']})"
        if sid not in seen:
            seen.add(sid)
            out.append((sid, s["name"], title, s["url"]))
    return out


def figure(pg):
    """The figure the page's YAML block gives."""
    for b in pg.blocks:
        if b[0] == "code":
            return b[1]
    raise ValueError("page without a record block")


def records(gc, pg, shape, rng):
    """The YAML lines of one page's organization, its own sources (articles) and claims."""
    eid = entity_id(pg.i)
    org = [f"  - id: {eid}", f"    name: {q(pg.title)}", f"    country: {gc.slugify(pg.countries[0])}"]
    srcs = sources_of(gc, pg, shape)
    src_lines = []
    if shape == "articles":
        for sid, outlet, title, url in srcs:
            src_lines += [f"  - id: {sid}", f"    outlet: {q(outlet)}", f"    title: {q(title)}",
                          f"    date: {pg.date.isoformat()}", f"    url: {q(url)}"]
    rec = figure(pg)
    disputed = len(srcs) > 1 and rng.random() < 0.25
    claims = []
    for k, (sid, _outlet, _title, _url) in enumerate(srcs):
        value = rec["value"] + (k * 7 + 1 if disputed and k > 0 else 0)
        quote = rec["quote"] if k == 0 else gc.sentence(rng, 6, 10).rstrip(".")
        claims += [f"  - id: {eid}-figure-{k}", f"    subject: {eid}", "    property: figure",
                   f"    value: {value}", f"    source: {sid}", f"    quote: {q(quote)}",
                   f"    as_of: {rec['observed']}"]
    sid = srcs[0][0]
    claims += [f"  - id: {eid}-country", f"    subject: {eid}", "    property: located-in",
               f"    value: {gc.slugify(pg.countries[0])}", f"    source: {sid}",
               f"    quote: {q(gc.sentence(rng, 6, 10).rstrip('.'))}"]
    return org, src_lines, claims


def summary(pg):
    """The page's summary: its body with Dossier references for links."""
    body = pg.markdown(lambda j: f"\0{j}")
    body = re.sub(r"\[([^\]]*)\]\(\0(\d+)\)",
                  lambda m: f"[[{entity_id(int(m.group(2)))}|{m.group(1)}]]", body)
    return f"---\ntitle: {q(pg.title)}\nentity: {entity_id(pg.i)}\n---\n{body}"


def write_dossier(gc, root, pages, n, seed, shape, layout):
    content = root / "content"
    (content / "organizations").mkdir(parents=True)
    (root / "dossier.yaml").write_text(
        f"title: {q(f'Synthetic briefing of {n} pages')}\n"
        f"date: 2025-07-10\nbase_url: /\nlanguage: en\ntrust_html: false\n")
    (content / "index.md").write_text(
        "---\ntitle: Overview\n---\nA synthetic briefing: see [[page-00001|the first page]].\n")
    (content / "countries.yaml").write_text("countries:\n" + "".join(
        f"  - id: {gc.slugify(c)}\n    name: {q(c)}\n" for c in gc.COUNTRIES))
    (content / "properties.yaml").write_text(
        "properties:\n  - id: figure\n    label: Figure\n    kind: number\n"
        "  - id: located-in\n    label: Located in\n    kind: entity\n")
    head = ""
    if shape == "outlets":
        head = "sources:\n" + "".join(
            f"  - id: {gc.slugify(o)}\n    outlet: {q(o)}\n    title: {q(o)}\n"
            for o in gc.OUTLETS)
        (content / "sources.yaml").write_text(head)
    rng = random.Random(f"{seed}:{n}:{shape}:claims")
    all_org, all_src, all_claims = [], [], []
    for pg in pages:
        org, src, claims = records(gc, pg, shape, rng)
        (content / "organizations" / f"{entity_id(pg.i)}.md").write_text(summary(pg))
        if layout == "many":
            folder = content / "records"
            folder.mkdir(exist_ok=True)
            text = "organizations:\n" + "\n".join(org) + "\n"
            if src:
                text += "sources:\n" + "\n".join(src) + "\n"
            text += "claims:\n" + "\n".join(claims) + "\n"
            (folder / f"{entity_id(pg.i)}.yaml").write_text(text)
        else:
            all_org += org
            all_src += src
            all_claims += claims
    if layout == "one":
        (content / "organizations.yaml").write_text("organizations:\n" + "\n".join(all_org) + "\n")
        if all_src:
            (content / "sources.yaml").write_text("sources:\n" + "\n".join(all_src) + "\n")
        (content / "claims.yaml").write_text("claims:\n" + "\n".join(all_claims) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, metavar="N", help="number of pages")
    ap.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    ap.add_argument("--sources", choices=["outlets", "articles"], default="outlets")
    ap.add_argument("--records", choices=["one", "many"], default="many")
    ap.add_argument("--seed", type=int, default=None, help="default: gen_corpus's seed")
    ap.add_argument("--peer", help="folder of gen_corpus.py (default: ../shared/bench)")
    ap.add_argument("--no-hugo", action="store_true", help="write only the briefing")
    args = ap.parse_args()
    if args.n < 1:
        ap.error("N must be at least 1")
    sys.path.insert(0, str(find_peer(args.peer)))
    import gen_corpus as gc  # noqa: E402  (found at run time)

    seed = gc.SEED if args.seed is None else args.seed
    # Exactly gen_corpus.generate's pages for (N, seed).
    rng = random.Random(f"{seed}:{args.n}")
    pages = [gc.Page(i, args.n, rng) for i in range(1, args.n + 1)]
    if args.out.exists():
        shutil.rmtree(args.out)
    write_dossier(gc, args.out / "dossier", pages, args.n, seed, args.sources, args.records)
    if not args.no_hugo:
        (args.out / "hugo").mkdir(parents=True)
        gc.write_hugo(args.out / "hugo", pages)
    print(f"{args.out}: {args.n} pages, sources {args.sources}, records {args.records}")


if __name__ == "__main__":
    main()
