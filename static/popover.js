// Dossier's popovers: hovering or focusing an inline marker (sup.fm) opens the detail of its
// discrepancy (outcome, readings and their sources, verdict, links to the card and to the
// legend of outcomes), a non-modal dialog placed right after the marker, so Tab reaches its
// links. Hovering or focusing a link to an entity, a claim or a discrepancy in `main` opens
// a preview (role="tooltip", aria-describedby). Escape closes; leaving closes after a short
// delay, so the pointer can move into the popover. The data is previews.js (a map from
// site-relative URL to preview); without JavaScript every marker and link simply leads to
// its page.
(function () {
  "use strict";
  var data = window.DOSSIER_PREVIEWS;
  var script = document.currentScript;
  if (!data || !script || !script.src) return;
  // The site's root: this script sits there.
  var root = script.src.replace(/popover\.js([?#].*)?$/, "");
  var legendUrl = root + "discrepancies/index.html#legend--outcomes";
  var OPEN_DELAY = 120, CLOSE_DELAY = 300;
  var pop = null, trigger = null, openTimer = 0, closeTimer = 0, quiet = null, count = 0;

  function keyOf(a) {
    if (!(a instanceof HTMLAnchorElement) || !a.href) return null;
    var href = a.href;
    if (href.indexOf(root) !== 0) return null;
    var key = href.slice(root.length);
    return Object.prototype.hasOwnProperty.call(data, key) ? key : null;
  }

  // The trigger an event target belongs to: a marker's link, or a previewable link in main.
  function triggerOf(node) {
    if (!node || !node.closest) return null;
    if (pop && pop.contains(node)) return null;
    var a = node.closest("a");
    if (!a || !a.closest("main") || !keyOf(a)) return null;
    return a;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function link(href, text) {
    var a = el("a", null, text);
    a.href = href;
    return a;
  }

  function isMarker(a) { return !!a.closest("sup.fm"); }

  // Fills the popover for trigger `a`; returns whether it holds links (a dialog).
  function fill(box, a) {
    var key = keyOf(a);
    var p = data[key];
    var marker = isMarker(a);
    var head = el("span", "pop-head");
    head.id = "dossier-pop-h";
    box.textContent = "";
    box.appendChild(head);
    if (marker && a.closest(".fm-single-source")) {
      head.appendChild(el("span", "pop-sign", "◦"));
      head.appendChild(document.createTextNode(" Single source"));
      box.appendChild(el("span", "pop-line", "Only " + (p.src || "one source") + " gives this value: " + p.s + "."));
      if (p.q) box.appendChild(el("span", "pop-quote", "“" + p.q + "”"));
      var links = el("span", "pop-links");
      links.appendChild(link(a.href, "The claim"));
      links.appendChild(document.createTextNode(" · "));
      links.appendChild(link(legendUrl, "What the marks mean"));
      box.appendChild(links);
      return true;
    }
    if (p.num) {
      var sign = p.sev === "flag" ? "⚑" : p.sev === "mark" ? "◦" : "–";
      head.appendChild(el("span", "pop-sign", sign + p.num));
      head.appendChild(document.createTextNode(" " + p.k + (p.sev ? " (" + p.sev + ")" : " (dismissed)")));
      box.appendChild(el("span", "pop-title", p.n));
      if (p.s) box.appendChild(el("span", "pop-line muted", p.s));
      if (p.m) box.appendChild(el("span", "pop-line", p.m));
      if (p.r && p.r.length) {
        // Spans with list roles, not ul: the popover stands inside a paragraph.
        var ul = el("span", "pop-readings");
        ul.setAttribute("role", "list");
        p.r.forEach(function (r) {
          var li = el("span", "pop-reading");
          li.setAttribute("role", "listitem");
          li.appendChild(el("strong", null, r[0]));
          if (r[2]) li.appendChild(el("span", "pop-best", " best supported"));
          li.appendChild(document.createTextNode(" — " + r[1].join(", ")));
          ul.appendChild(li);
        });
        box.appendChild(ul);
      }
      if (p.v) box.appendChild(el("span", "pop-line", "Verdict: " + p.v));
      var also = marker ? others(a, key) : [];
      if (also.length) {
        var line = el("span", "pop-line", "The claim is also part of ");
        also.forEach(function (url, i) {
          var d = data[url];
          line.appendChild(link(root + url, (d.sev === "flag" ? "⚑" : "◦") + d.num + " " + d.k.toLowerCase()));
          line.appendChild(document.createTextNode(i + 1 < also.length ? ", " : "."));
        });
        box.appendChild(line);
      }
      var more = el("span", "pop-links");
      more.appendChild(link(root + key, "The discrepancy"));
      more.appendChild(document.createTextNode(" · "));
      more.appendChild(link(legendUrl, "What the outcomes mean"));
      box.appendChild(more);
      return true;
    }
    head.appendChild(document.createTextNode(p.k));
    box.appendChild(el("span", "pop-title", p.n));
    if (p.s) box.appendChild(el("span", "pop-line", p.s));
    if (p.q) box.appendChild(el("span", "pop-quote", "“" + p.q + "”" + (p.src ? " — " + p.src : "")));
    if (p.c) box.appendChild(el("span", "pop-line muted", p.c));
    return false;
  }

  // The other discrepancies a marker stands for: those of the claim whose link it follows.
  function others(a, key) {
    var node = (a.closest("sup.fm") || a).previousElementSibling;
    for (; node; node = node.previousElementSibling) {
      var k = node.tagName === "A" ? keyOf(node) : null;
      if (k && data[k].k === "Claim") {
        return (data[k].ds || []).filter(function (u) { return u !== key && data[u]; });
      }
      if (node.matches && node.matches("sup.fm")) continue;
      if (node.tagName !== "A") break;
    }
    return [];
  }

  function place(box, a) {
    var anchor = a.closest("sup.fm") || a;
    var r = anchor.getBoundingClientRect();
    var parent = box.offsetParent;
    var base = parent ? parent.getBoundingClientRect() : { left: -window.scrollX, top: -window.scrollY };
    var width = box.offsetWidth;
    var max = document.documentElement.clientWidth - 8;
    var left = Math.max(8, Math.min(r.left, max - width));
    box.style.left = (left - base.left) + "px";
    box.style.top = (r.bottom + 4 - base.top) + "px";
  }

  function open(a) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (trigger === a) return;
    close(false);
    var box = el("span", "popover");
    box.id = "dossier-pop-" + (++count);
    var dialog = fill(box, a);
    if (dialog) {
      box.setAttribute("role", "dialog");
      box.setAttribute("aria-labelledby", box.firstChild.id = box.id + "-h");
      a.setAttribute("aria-expanded", "true");
      a.setAttribute("aria-controls", box.id);
    } else {
      box.setAttribute("role", "tooltip");
      box.firstChild.removeAttribute("id");
      a.setAttribute("aria-describedby", box.id);
    }
    var after = a.closest("sup.fm") || a;
    after.parentNode.insertBefore(box, after.nextSibling);
    place(box, a);
    pop = box;
    trigger = a;
    document.documentElement.setAttribute("data-popover", dialog ? "dialog" : "tooltip");
  }

  function close(refocus) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (!pop) return;
    var a = trigger;
    var hadFocus = pop.contains(document.activeElement);
    if (a.hasAttribute("aria-expanded")) a.setAttribute("aria-expanded", "false");
    a.removeAttribute("aria-controls");
    a.removeAttribute("aria-describedby");
    pop.parentNode.removeChild(pop);
    pop = null;
    trigger = null;
    document.documentElement.removeAttribute("data-popover");
    if (refocus || hadFocus) {
      quiet = a;
      a.focus();
    }
  }

  function later(fn, ms) { return setTimeout(fn, ms); }
  function inside(node) { return !!node && ((pop && pop.contains(node)) || (trigger && trigger.contains(node))); }

  document.addEventListener("mouseover", function (e) {
    if (inside(e.target)) { clearTimeout(closeTimer); return; }
    var a = triggerOf(e.target);
    if (!a || a === quiet) return;
    clearTimeout(openTimer);
    openTimer = later(function () { open(a); }, OPEN_DELAY);
  });
  document.addEventListener("mouseout", function (e) {
    var a = triggerOf(e.target);
    if (a && a === quiet && !a.contains(e.relatedTarget)) quiet = null;
    // Leaving a link before its popover opened cancels it (even while another is open).
    if (a && !a.contains(e.relatedTarget)) clearTimeout(openTimer);
    if (!pop || !inside(e.target) || inside(e.relatedTarget)) return;
    clearTimeout(closeTimer);
    closeTimer = later(function () {
      if (!inside(document.activeElement)) close(false);
    }, CLOSE_DELAY);
  });
  document.addEventListener("focusin", function (e) {
    if (inside(e.target)) { clearTimeout(closeTimer); return; }
    var a = triggerOf(e.target);
    if (a && a !== quiet) open(a);
    else if (pop) close(false);
  });
  document.addEventListener("focusout", function (e) {
    if (quiet && e.target === quiet) quiet = null;
    if (!pop || inside(e.relatedTarget)) return;
    clearTimeout(closeTimer);
    closeTimer = later(function () {
      if (!inside(document.activeElement)) close(false);
    }, CLOSE_DELAY);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && pop) {
      var focused = inside(document.activeElement);
      close(focused);
      e.preventDefault();
    }
  });
  // Links that open a non-modal dialog announce it: markers, and links to a discrepancy.
  var links = document.querySelectorAll("main a");
  for (var i = 0; i < links.length; i++) {
    var key = keyOf(links[i]);
    if (key && (isMarker(links[i]) || data[key].num)) {
      links[i].setAttribute("aria-haspopup", "dialog");
      links[i].setAttribute("aria-expanded", "false");
    }
  }
})();
