// The timeline's progressive enhancement. Without it every move is a link
// and every state a permalink; with it, links, the wheel (zoom), pinching,
// dragging (pan) and the keys + − ← → fetch the server's drawing for the
// new window, swap it in and update the address. No framework.
(function () {
  "use strict";
  var region = document.getElementById("tl-region");
  if (!region || !window.fetch || !window.history.pushState) return;
  var busy = null;

  function tl() { return region.querySelector(".tl"); }

  // The width the drawing should have: its column, less the panel's when
  // the panel will sit beside it (the server's limits: 240 to 2400 px).
  function drawingWidth(withPanel) {
    var w = region.clientWidth - 4;
    if (withPanel && window.innerWidth >= 1100) w -= 336;
    return Math.max(240, Math.min(2400, Math.floor(w)));
  }

  function load(url, opts) {
    opts = opts || {};
    var u = new URL(url, location.href);
    u.searchParams.set("w", drawingWidth(u.searchParams.has("sel")));
    if (busy) busy.abort();
    busy = new AbortController();
    region.classList.add("tl-loading");
    return fetch(u, { headers: { "HX-Request": "true" }, signal: busy.signal })
      .then(function (r) {
        var push = r.headers.get("HX-Push-Url");
        return r.text().then(function (html) { return { html: html, push: push, ok: r.ok }; });
      })
      .then(function (res) {
        var tmp = document.createElement("div");
        tmp.innerHTML = res.html;
        var next = tmp.querySelector("#tl-region");
        if (!next) return;
        region.replaceWith(next);
        region = next;
        if (res.push && !opts.replace) {
          if (opts.history !== false) history.pushState({ tl: true }, "", res.push);
        } else if (res.push) {
          history.replaceState({ tl: true }, "", res.push);
        }
        var w = tl();
        if (w && w.dataset.title) document.title = w.dataset.title;
        restoreFocus(opts.focus);
      })
      .catch(function (e) { if (e.name !== "AbortError") location.href = url; })
      .finally(function () { region.classList.remove("tl-loading"); });
  }

  function restoreFocus(f) {
    if (!f) return;
    var el = null;
    if (f.panel) el = region.querySelector("#tl-panel-title");
    if (!el && f.slug) el = region.querySelector('.tl-item[data-slug="' + CSS.escape(f.slug) + '"]');
    if (!el && f.nav) el = region.querySelector('[data-tl-nav="' + f.nav + '"]');
    if (el) el.focus({ preventScroll: true });
  }

  // A window of days around a day, asked for by at and days; the server
  // rounds it to whole years, months or days and answers its permalink.
  function moveTo(centerMs, days, focus) {
    var w = tl();
    if (!w) return;
    var u = new URL(w.dataset.url, location.href);
    u.searchParams.delete("from");
    u.searchParams.delete("to");
    days = Math.max(7, Math.min(732000, Math.round(days)));
    var d = new Date(centerMs);
    if (d.getUTCFullYear() < 1000 || d.getUTCFullYear() > 2999) return;
    u.searchParams.set("at", d.toISOString().slice(0, 10));
    u.searchParams.set("days", days);
    load(u.pathname + u.search, { focus: focus });
  }

  function span() {
    var w = tl();
    var lo = Date.parse(w.dataset.lo + "T00:00:00Z"), days = +w.dataset.days;
    return { lo: lo, days: days, left: +w.dataset.left, right: +w.dataset.right, msPerPx: days * 864e5 / (+w.dataset.right - +w.dataset.left) };
  }

  function dayAtClientX(x) {
    var s = span(), svg = region.querySelector(".tl-svg");
    var px = x - svg.getBoundingClientRect().left;
    return s.lo + (px - s.left) * s.msPerPx;
  }

  function zoom(factor, atMs, focus) {
    var s = span();
    var center = s.lo + s.days * 864e5 / 2;
    if (atMs === undefined) atMs = center;
    // Keep the day under the pointer where it is.
    var newCenter = atMs + (center - atMs) * factor;
    moveTo(newCenter, s.days * factor, focus);
  }

  region.parentNode.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-tl-nav], a[data-tl-sel]");
    if (!a || !region.contains(a) || e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    if (dragged) { e.preventDefault(); return; }
    e.preventDefault();
    var focus = {};
    if (a.hasAttribute("data-tl-nav")) focus.nav = a.dataset.tlNav;
    else if (a.classList.contains("tl-item")) { focus.panel = true; }
    else if (a.dataset.testid === "tl-panel-close") { var p = region.querySelector(".tl-selected"); focus.slug = p && p.dataset.slug; }
    else focus.panel = true;
    load(a.getAttribute("href"), { focus: focus });
  });

  // The overview strip: a click anywhere moves the window there.
  region.parentNode.addEventListener("click", function (e) {
    var strip = e.target.closest && e.target.closest(".tl-strip svg");
    if (!strip || e.target.closest("a")) return;
    var first = +strip.parentNode.dataset.first, last = +strip.parentNode.dataset.last;
    var r = strip.getBoundingClientRect();
    var frac = (e.clientX - r.left - 8) / (r.width - 16);
    var year = first + frac * (last - first + 1);
    moveTo(Date.UTC(Math.floor(year), 0, 1) + (year % 1) * 365.25 * 864e5, span().days, { nav: "strip" });
  });

  // Wheel and pinch (which browsers report as a wheel with ctrlKey) zoom
  // about the pointer; a sideways swipe pans.
  var wheel = 0, wheelAt = 0, wheelTimer = null, pan = 0;
  region.parentNode.addEventListener("wheel", function (e) {
    if (!e.target.closest || !e.target.closest(".tl-scroll") || !region.contains(e.target)) return;
    var sideways = Math.abs(e.deltaX) > Math.abs(e.deltaY);
    e.preventDefault();
    if (sideways) pan += e.deltaX; else wheel += e.deltaY * (e.ctrlKey ? 4 : 1);
    wheelAt = dayAtClientX(e.clientX);
    clearTimeout(wheelTimer);
    wheelTimer = setTimeout(function () {
      var s = span();
      if (pan) {
        moveTo(s.lo + s.days * 864e5 / 2 + pan * s.msPerPx, s.days);
      } else if (wheel) {
        zoom(Math.pow(2, Math.max(-3, Math.min(3, wheel / 200))), wheelAt);
      }
      wheel = 0; pan = 0;
    }, 180);
  }, { passive: false });

  // Dragging pans; two fingers pinch. The drawing follows the pointer and
  // the new window is fetched on release.
  var pointers = {}, startX = 0, dragged = false, pinch0 = 0, pinchMid = 0;
  region.parentNode.addEventListener("pointerdown", function (e) {
    var sc = e.target.closest && e.target.closest(".tl-scroll");
    if (!sc || !region.contains(sc) || e.button !== 0) return;
    pointers[e.pointerId] = e.clientX;
    var ids = Object.keys(pointers);
    if (ids.length === 1) { startX = e.clientX; dragged = false; }
    if (ids.length === 2) { pinch0 = Math.abs(pointers[ids[0]] - pointers[ids[1]]); pinchMid = (pointers[ids[0]] + pointers[ids[1]]) / 2; }
  });
  window.addEventListener("pointermove", function (e) {
    if (!(e.pointerId in pointers)) return;
    pointers[e.pointerId] = e.clientX;
    if (Object.keys(pointers).length === 1 && Math.abs(e.clientX - startX) > 6) {
      dragged = true;
      var svg = region.querySelector(".tl-svg");
      region.querySelector(".tl-scroll").classList.add("tl-dragging");
      if (svg) svg.style.transform = "translateX(" + (e.clientX - startX) + "px)";
    }
  });
  function release(e) {
    if (!(e.pointerId in pointers)) return;
    var ids = Object.keys(pointers);
    if (ids.length === 2) {
      var d = Math.abs(pointers[ids[0]] - pointers[ids[1]]);
      if (pinch0 > 20 && d > 20) zoom(pinch0 / d, dayAtClientX(pinchMid));
      pointers = {};
      dragged = true;
      setTimeout(function () { dragged = false; }, 0);
      return;
    }
    delete pointers[e.pointerId];
    if (dragged) {
      var s = span();
      moveTo(s.lo + s.days * 864e5 / 2 - (e.clientX - startX) * s.msPerPx, s.days);
      setTimeout(function () { dragged = false; }, 0);
    }
  }
  window.addEventListener("pointerup", release);
  window.addEventListener("pointercancel", function (e) { pointers = {}; dragged = false; });

  // Keys: + and − zoom, ← and → move, whenever focus is not in a field.
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(t.tagName))) return;
    var nav = { "+": "in", "=": "in", "-": "out", "_": "out", "ArrowLeft": "earlier", "ArrowRight": "later" }[e.key];
    if (!nav || !tl()) return;
    var a = region.querySelector('[data-tl-nav="' + nav + '"]');
    if (!a) return;
    e.preventDefault();
    var slug = t && t.closest && t.closest(".tl-item") ? t.closest(".tl-item").dataset.slug : null;
    load(a.getAttribute("href"), { focus: slug ? { slug: slug, nav: nav } : { nav: nav } });
  });

  window.addEventListener("popstate", function () {
    load(location.pathname + location.search, { history: false });
  });

  // A drawing made for another width is made again for this screen.
  var w = tl();
  if (w && Math.abs(+w.dataset.width - drawingWidth(!!region.querySelector(".tl-panel"))) > 40) {
    load(location.pathname + location.search, { replace: true });
  }
})();
