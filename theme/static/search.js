// rekap site search: reads the index written at build time (search/index.js),
// ranks what matches (titles and names first, then keywords, the summary,
// the body) and lists it ten at a time. No server, no third-party code; it
// works from file:// too.
(function () {
  "use strict";
  var docs = window.REKAP_SEARCH || [];
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  if (!form || !input || !list || !status) return;
  var PAGE = 10;
  // Links in the index are site paths; the root link tells where the site root
  // is from here (it ends in index.html in an archive build opened from disk).
  var rootLink = document.getElementById("search-root");
  var base = rootLink ? rootLink.getAttribute("data-base") : "/";
  var rootAttr = rootLink ? rootLink.getAttribute("href") : base;
  var archive = /index\.html$/.test(rootAttr);
  var root = rootLink ? rootLink.href.replace(/index\.html$/, "") : base;
  function link(u) {
    var rest = u.indexOf(base) === 0 ? u.slice(base.length) : u.replace(/^\//, "");
    if (archive && (rest === "" || /\/$/.test(rest))) rest += "index.html";
    return root + rest;
  }
  function fold(s) {
    return (s || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var folded = docs.map(function (d) {
    return { t: fold(d.t), g: fold(d.g), s: fold(d.s), b: fold(d.b) };
  });
  function wordStart(text, term) {
    var i = text.indexOf(term);
    while (i >= 0) {
      if (i === 0 || /[^a-z0-9]/.test(text.charAt(i - 1))) return true;
      i = text.indexOf(term, i + 1);
    }
    return false;
  }
  // Every term must match somewhere; a match in the title counts most.
  function score(f, terms) {
    var total = 0;
    for (var j = 0; j < terms.length; j++) {
      var q = terms[j], s = 0;
      if (f.t.indexOf(q) >= 0) s = wordStart(f.t, q) ? 100 : 60;
      else if (f.g.indexOf(q) >= 0) s = 30;
      else if (f.s.indexOf(q) >= 0) s = 10;
      else if (f.b.indexOf(q) >= 0) s = 3;
      else return 0;
      total += s;
    }
    if (f.t === terms.join(" ")) total += 200;
    return total;
  }
  // A piece of the body around the first match, when the summary has none.
  function snippet(d, f, terms) {
    for (var j = 0; j < terms.length; j++) {
      if (f.s.indexOf(terms[j]) >= 0) return d.s;
    }
    var i = f.b.indexOf(terms[0]);
    if (i < 0 || !d.b) return d.s;
    var from = Math.max(0, i - 80), to = Math.min(d.b.length, i + 120);
    // Whole words only at both ends.
    if (from > 0) { var sp = d.b.indexOf(" ", from); if (sp >= 0 && sp < i) from = sp + 1; }
    if (to < d.b.length) { var ep = d.b.lastIndexOf(" ", to); if (ep > i) to = ep; }
    return (from > 0 ? "…" : "") + d.b.slice(from, to).trim() + (to < d.b.length ? "…" : "");
  }
  var hits = [], shown = 0, terms = [];
  function say() {
    var n = hits.length;
    if (!terms.length) { status.textContent = ""; return; }
    if (!n) { status.textContent = status.getAttribute("data-none"); return; }
    var word = n === 1 ? status.getAttribute("data-one") : status.getAttribute("data-many");
    var text = n + " " + word;
    if (n > PAGE) text += "; " + status.getAttribute("data-showing") + " 1–" + shown;
    status.textContent = text + ".";
  }
  function showMore() {
    var end = Math.min(hits.length, shown + PAGE);
    for (var i = shown; i < end; i++) {
      var h = hits[i], d = h.d;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = link(d.u); a.textContent = d.t; a.className = "item-title";
      if (d.l) a.lang = d.l;
      li.appendChild(a);
      if (d.k || d.d) {
        var m = document.createElement("span");
        m.className = "muted"; m.textContent = [d.k, d.d].filter(Boolean).join(" · ");
        li.appendChild(m);
      }
      var text = snippet(d, h.f, terms);
      if (text) {
        var p = document.createElement("p"); p.textContent = text;
        if (d.l) p.lang = d.l;
        li.appendChild(p);
      }
      list.appendChild(li);
    }
    shown = end;
    if (more) more.hidden = shown >= hits.length;
    say();
  }
  function run() {
    terms = fold(input.value).split(/\s+/).filter(Boolean);
    while (list.firstChild) list.removeChild(list.firstChild);
    hits = []; shown = 0;
    if (terms.length) {
      for (var i = 0; i < docs.length; i++) {
        var sc = score(folded[i], terms);
        if (sc > 0) hits.push({ d: docs[i], f: folded[i], score: sc, i: i });
      }
      hits.sort(function (x, y) { return y.score - x.score || x.i - y.i; });
    }
    showMore();
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  input.addEventListener("input", run);
  if (more) more.addEventListener("click", showMore);
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); }
  run();
})();
