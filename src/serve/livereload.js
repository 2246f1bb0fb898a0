// Injected by `dossier serve` into every HTML response; never written to the site.
(function () {
  var state = __DOSSIER_STATE__;
  var build = state.build;
  function overlay(errors) {
    var el = document.getElementById("__dossier-overlay");
    if (!errors || !errors.length) { if (el) el.remove(); return; }
    if (!el) {
      el = document.createElement("div");
      el.id = "__dossier-overlay";
      el.setAttribute("role", "alert");
      el.style.cssText = "position:fixed;inset:1rem;z-index:2147483647;overflow:auto;padding:1rem 1.25rem;" +
        "background:#1b1b1f;color:#f4f4f5;border:3px solid #e5484d;border-radius:8px;font:14px/1.45 ui-monospace,monospace;" +
        "box-shadow:0 8px 32px rgba(0,0,0,.4)";
      document.body.appendChild(el);
    }
    el.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "Dossier: the build failed. Showing the last good build until the error is fixed.";
    title.style.cssText = "display:block;color:#ff8589;margin-bottom:.5rem";
    el.appendChild(title);
    errors.forEach(function (e) {
      var pre = document.createElement("pre");
      pre.className = "dossier-error";
      pre.style.cssText = "white-space:pre-wrap;margin:.5rem 0;padding-top:.5rem;border-top:1px solid #3f3f46";
      pre.textContent = e.text;
      el.appendChild(pre);
    });
  }
  function reloadCss() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("dossier-reload", Date.now());
      link.href = url.href;
    });
  }
  function connect(delay) {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + "/__dossier/livereload");
    ws.onopen = function () { delay = 250; };
    ws.onmessage = function (event) {
      var msg = JSON.parse(event.data);
      if (msg.type === "hello") {
        if (msg.build !== build) { location.reload(); return; }
        overlay(msg.errors);
        // Connected and current: from now on every rebuild reaches this page. Tests wait for it.
        document.documentElement.setAttribute("data-dossier-live", String(build));
      } else if (msg.type === "reload") {
        location.reload();
      } else if (msg.type === "css") {
        build = msg.build; overlay([]); reloadCss();
        document.documentElement.setAttribute("data-dossier-live", String(build));
      } else if (msg.type === "error") {
        overlay(msg.errors);
      }
    };
    ws.onclose = function () {
      document.documentElement.removeAttribute("data-dossier-live");
      setTimeout(function () { connect(Math.min(delay * 2, 4000)); }, delay);
    };
  }
  overlay(state.errors);
  connect(250);
})();
