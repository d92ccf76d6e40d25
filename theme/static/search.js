// rekap site search: reads the index written at build time (search/index.js)
// and lists matches as the reader types. No server, no third-party code.
(function () {
  "use strict";
  var docs = window.REKAP_SEARCH || [];
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !input || !list) return;
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
  var folded = docs.map(function (d) { return fold(d.t + " " + d.s + " " + d.k); });
  function run() {
    var q = fold(input.value).split(/\s+/).filter(Boolean);
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!q.length) { status.textContent = ""; return; }
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var ok = true;
      for (var j = 0; j < q.length; j++) { if (folded[i].indexOf(q[j]) < 0) { ok = false; break; } }
      if (ok) hits.push(docs[i]);
    }
    status.textContent = hits.length + " " + (status.getAttribute("data-found") || "found");
    hits.slice(0, 50).forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = link(d.u); a.textContent = d.t; a.className = "item-title";
      li.appendChild(a);
      if (d.k || d.d) {
        var m = document.createElement("span");
        m.className = "muted"; m.textContent = [d.k, d.d].filter(Boolean).join(" · ");
        li.appendChild(m);
      }
      if (d.s) { var p = document.createElement("p"); p.textContent = d.s; li.appendChild(p); }
      list.appendChild(li);
    });
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  input.addEventListener("input", run);
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); }
  run();
})();
