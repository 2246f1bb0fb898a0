// Dossier's search: filters the prebuilt index (search-index.js) in the browser.
// Every word of the query must appear in an entry; case and diacritics are ignored.
(function () {
  "use strict";
  var index = window.DOSSIER_SEARCH || [];
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!input || !status || !list) return;
  var root = "../";
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var folded = index.map(function (e) { return fold(e.t + " " + e.x); });
  var kinds = {
    countries: "Country", people: "Person", organizations: "Organization",
    sources: "Source", claims: "Claim", discrepancies: "Discrepancy"
  };
  function run() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) {
      status.textContent = index.length + " entries to search.";
      return;
    }
    var hits = [];
    for (var i = 0; i < index.length && hits.length < 100; i++) {
      var text = folded[i];
      if (words.every(function (w) { return text.indexOf(w) !== -1; })) hits.push(index[i]);
    }
    status.textContent = hits.length === 100 ? "First 100 results." : hits.length + " result" + (hits.length === 1 ? "." : "s.");
    hits.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + e.u;
      a.textContent = e.t;
      var kind = document.createElement("span");
      kind.className = "muted";
      kind.textContent = " · " + (kinds[e.k] || e.k);
      li.appendChild(a);
      li.appendChild(kind);
      list.appendChild(li);
    });
  }
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) input.value = q;
  input.addEventListener("input", run);
  run();
})();
