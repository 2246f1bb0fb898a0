// Dossier's search: ranks the prebuilt index with elasticlunr.min.js, in the browser, with no
// server. search-index.js names the index's parts (search-index-N.js, loaded here as scripts so
// the page works from file://), each an elasticlunr index of some documents with their text;
// every part ranks its documents with the document frequencies of all parts, so the ranking
// is that of one index. Every word of the query must match a document (a word matches the
// words it begins, after stemming); case and diacritics are ignored, folded as
// src/render/search.rs folds the index. Results are built as DOM nodes: no text of the
// briefing is ever parsed as HTML.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!input || !status || !list) return;
  var manifest = window.DOSSIER_SEARCH;
  var root = "../";
  function unavailable() {
    status.textContent = "The search index could not be loaded; every page is also reachable from the overview.";
  }
  if (!manifest || !window.elasticlunr || !manifest.parts || !manifest.parts.length) {
    unavailable();
    return;
  }
  var pending = manifest.parts.length;
  var failed = false;
  manifest.parts.forEach(function (name) {
    var script = document.createElement("script");
    script.src = root + name;
    script.onload = function () { if (--pending === 0 && !failed) start(); };
    script.onerror = function () { failed = true; unavailable(); };
    document.head.appendChild(script);
  });

  function start() {
    var loaded = window.DOSSIER_SEARCH_PARTS || {};
    var parts = manifest.parts.map(function (name) {
      var data = loaded[name];
      return data && { docs: data.docs, idx: window.elasticlunr.Index.load(data.index) };
    });
    if (parts.some(function (p) { return !p; })) {
      unavailable();
      return;
    }
    // Document frequency and count over every part, as one index would have them.
    var total = 0;
    parts.forEach(function (p) { total += p.idx.documentStore.length; });
    var idfs = {};
    parts.forEach(function (p) {
      p.idx.idf = function (term, field) {
        var key = field + "/" + term;
        if (!(key in idfs)) {
          var df = 0;
          parts.forEach(function (q) { df += q.idx.index[field].getDocFreq(term); });
          idfs[key] = 1 + Math.log(total / (df + 1));
        }
        return idfs[key];
      };
    });
    search(parts, total);
  }

  function search(parts, total) {
    var idx = parts[0].idx;
    var config = {
      fields: { title: { boost: 3 }, body: { boost: 1 }, source: { boost: 1 } },
      bool: "OR",
      expand: true
    };
    var LIMIT = 100;
    var SNIPPET_WORDS = 28;
    var LETTERS = { "ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe" };

    function fold(s) {
      return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .replace(/[łøđıßæœ]/g, function (c) { return LETTERS[c]; });
    }
    // The index's tokens for a piece of folded text: trimmed, stop words dropped, stemmed.
    function tokens(text) {
      return idx.pipeline.run(window.elasticlunr.tokenizer(text));
    }

    // The query's words that can match anything (not stop words), and their stems.
    function parse(query) {
      var words = fold(query).split(/[\s\-]+/).filter(Boolean);
      var terms = [];
      var stems = [];
      words.forEach(function (w) {
        var t = tokens(w);
        if (t.length) {
          terms.push(w);
          stems.push.apply(stems, t);
        }
      });
      return { terms: terms, stems: stems };
    }

    // The documents every term matches, best first: {part, ref, score, n}.
    function find(terms) {
      var ranked = [];
      parts.forEach(function (p) {
        var hits = p.idx.search(terms.join(" "), config);
        if (terms.length > 1) {
          terms.forEach(function (t) {
            var hit = {};
            p.idx.search(t, config).forEach(function (r) { hit[r.ref] = true; });
            hits = hits.filter(function (r) { return hit[r.ref]; });
          });
        }
        hits.forEach(function (r) {
          var n = (p.docs[Number(r.ref)] || [])[2];
          ranked.push({ part: p, ref: r.ref, score: r.score, n: n });
        });
      });
      // Equal scores in the documents' order, as one index ranks them.
      return ranked.sort(function (a, b) { return b.score - a.score || a.n - b.n; });
    }

    // Whether a word of the text is one the query matches: its token begins with a stem.
    var cache = {};
    function matches(word, stems) {
      var key = fold(word);
      if (!(key in cache)) cache[key] = tokens(key)[0] || "";
      var t = cache[key];
      return t !== "" && stems.some(function (s) { return t.indexOf(s) === 0; });
    }

    // Appends `words` (text split on white space) to `parent`, marking the matched ones.
    function appendMarked(parent, words, stems) {
      words.forEach(function (word, i) {
        if (i > 0) parent.appendChild(document.createTextNode(" "));
        var m = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(word);
        if (m && m[2] && matches(m[2], stems)) {
          if (m[1]) parent.appendChild(document.createTextNode(m[1]));
          var mark = document.createElement("mark");
          mark.textContent = m[2];
          parent.appendChild(mark);
          if (m[3]) parent.appendChild(document.createTextNode(m[3]));
        } else {
          parent.appendChild(document.createTextNode(word));
        }
      });
    }

    // The passage of `body` with the most matched words (starting a few words before one), as a
    // paragraph.
    function snippet(body, stems) {
      var words = body.split(/\s+/).filter(Boolean);
      var before = [0];
      words.forEach(function (w, i) {
        var m = /^[^\p{L}\p{N}]*(.*?)[^\p{L}\p{N}]*$/u.exec(w);
        before.push(before[i] + (m && m[1] && matches(m[1], stems) ? 1 : 0));
      });
      var start = 0;
      var most = 0;
      for (var i = 0; i < words.length; i++) {
        if (before[i + 1] === before[i]) continue;
        var s = Math.max(0, i - 4);
        var count = before[Math.min(words.length, s + SNIPPET_WORDS)] - before[s];
        if (count > most) {
          most = count;
          start = s;
        }
      }
      var end = Math.min(words.length, start + SNIPPET_WORDS);
      var p = document.createElement("p");
      p.className = "search-snippet";
      if (start > 0) p.appendChild(document.createTextNode("… "));
      appendMarked(p, words.slice(start, end), stems);
      if (end < words.length) p.appendChild(document.createTextNode(" …"));
      return p;
    }

    function result(hit, stems) {
      var doc = hit.part.idx.documentStore.getDoc(hit.ref) || {};
      var meta = hit.part.docs[Number(hit.ref)] || ["", ""];
      var li = document.createElement("li");
      var head = document.createElement("p");
      head.className = "search-hit";
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = meta[1];
      var a = document.createElement("a");
      a.href = root + meta[0];
      appendMarked(a, String(doc.title || "").split(/\s+/).filter(Boolean), stems);
      head.appendChild(kind);
      head.appendChild(document.createTextNode(" "));
      head.appendChild(a);
      li.appendChild(head);
      if (doc.source) {
        var source = document.createElement("p");
        source.className = "search-source muted";
        source.appendChild(document.createTextNode("Source: "));
        appendMarked(source, String(doc.source).split(/\s+/), stems);
        li.appendChild(source);
      }
      if (doc.body) li.appendChild(snippet(String(doc.body), stems));
      return li;
    }

    function run() {
      var query = input.value;
      var parsed = parse(query);
      list.textContent = "";
      if (!query.trim()) {
        status.textContent = total + " pages, entities, claims and discrepancies to search.";
        return;
      }
      if (!parsed.terms.length) {
        status.textContent = "No results: the query has only words too common to search.";
        return;
      }
      var hits = find(parsed.terms);
      var shown = hits.slice(0, LIMIT);
      var what = "“" + query.trim() + "”";
      status.textContent = hits.length === 0 ? "No results for " + what + "." :
        (hits.length > LIMIT ? "The first " + LIMIT + " of " + hits.length + " results" :
          hits.length + " result" + (hits.length === 1 ? "" : "s")) + " for " + what + ", best first.";
      shown.forEach(function (h) { list.appendChild(result(h, parsed.stems)); });
    }

    var q = new URLSearchParams(window.location.search).get("q");
    if (q) input.value = q;
    input.addEventListener("input", run);
    run();
  }
})();
