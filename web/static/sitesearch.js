// Search in the static copy of the site (timeline build-site): the build
// writes search/index.js, which sets window.timelineSearchIndex to every
// event's titles (English, Japanese, Korean), summary, date and link
// (relative to the search page). Loaded as a script, not fetched, so that
// it works from file:// as well as over HTTP. Every word of the query
// must appear in an event's titles or summary; title matches rank first,
// then by date. Results are built with textContent, never as HTML.
(function () {
  "use strict";
  var index = window.timelineSearchIndex || [];
  var form = document.getElementById("site-search");
  var input = document.getElementById("site-q");
  var list = document.getElementById("site-results");
  var status = document.getElementById("site-status");
  if (!form || !input || !list || !status) return;
  function norm(s) {
    return (s || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }
  var docs = index.map(function (e) {
    return { e: e, title: norm([e.title, e.title_ja, e.title_ko].join(" ")), text: norm(e.summary) };
  });
  function search(q) {
    var words = norm(q).split(/\s+/).filter(Boolean);
    var hits = [];
    if (!words.length) return hits;
    docs.forEach(function (d) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var inTitle = d.title.indexOf(words[i]) >= 0;
        if (!inTitle && d.text.indexOf(words[i]) < 0) return;
        score += inTitle ? 3 : 1;
      }
      hits.push({ d: d, score: score });
    });
    hits.sort(function (a, b) {
      return b.score - a.score || (a.d.e.date < b.d.e.date ? -1 : a.d.e.date > b.d.e.date ? 1 : 0);
    });
    return hits;
  }
  var max = 100;
  function show(q) {
    var hits = search(q);
    list.textContent = "";
    if (!q.trim()) {
      status.textContent = "";
      return;
    }
    status.textContent = hits.length === 0 ? "No event matches “" + q + "”." :
      hits.length + (hits.length === 1 ? " event matches" : " events match") + " “" + q + "”" +
      (hits.length > max ? "; the first " + max + " are shown." : ".");
    hits.slice(0, max).forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = h.d.e.url;
      a.textContent = h.d.e.title;
      var time = document.createElement("time");
      time.textContent = h.d.e.date;
      var p = document.createElement("p");
      p.textContent = h.d.e.summary;
      li.appendChild(time);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    show(input.value);
  });
  input.addEventListener("input", function () { show(input.value); });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) {
    input.value = q;
    show(q);
  }
})();
