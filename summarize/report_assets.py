"""The report's own style and script, and the Content-Security-Policy that lets only them act.

The script is the page's one script: it filters the stories by source and by the words of
the search box, in the browser, with no server and nothing fetched. The policy names it by
its SHA-256 hash, so any other script (one an article smuggled in as text that somehow
became markup, or an ``on...`` attribute) is refused by the browser as well as escaped.
"""

from __future__ import annotations

import base64
import hashlib

# Persian web fonts first (Vazirmatn is the common open one), then system fonts that
# carry Persian glyphs on Windows, macOS, Android and Linux.
FONT_STACK = ('"Vazirmatn", "Vazir", "Sahel", "Shabnam", "IRANSans", "Segoe UI", Tahoma, '
              '"Geeza Pro", "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", sans-serif')

CSS = """
:root { --ink:#1d2430; --muted:#5b6573; --line:#e3e6ea; --bg:#fafbfc; --card:#fff; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin:0; font-family:%(font)s; color:var(--ink); background:var(--bg); line-height:1.9; }
header, main { max-width: 980px; margin: 0 auto; padding: 0 1rem; }
header h1 { margin: 1.2rem 0 .2rem; font-size: 1.6rem; }
.controls { position: sticky; top: 0; z-index: 2; background: var(--bg); border-bottom: 1px solid var(--line);
  padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }
.controls input, .controls select { font: inherit; padding: .15rem .5rem; border: 1px solid #c8ced6;
  border-radius: 6px; background: #fff; }
.controls input { min-width: 16rem; }
.meta { color: var(--muted); font-size: .85rem; }
nav ol, .thread ol { padding-inline-start: 1.4rem; margin: .3rem 0; }
nav li, .thread li { margin: .15rem 0; }
section.story, details.thread, details.day { background: var(--card); border:1px solid var(--line);
  border-radius: 10px; padding: .6rem 1.1rem; margin: .8rem 0; }
details > summary { cursor: pointer; font-weight: bold; }
details.day > summary { font-weight: normal; }
h2 { font-size: 1.2rem; margin: .2rem 0 .4rem; }
h3 { font-size: 1rem; margin: .8rem 0 .2rem; color: var(--muted); }
.kw { display:inline-block; background:#eef2f7; border-radius: 999px; padding: 0 .6rem; margin: .1rem;
  font-size: .8rem; }
.badge { display:inline-block; color:#fff; border-radius: 4px; padding: 0 .4rem; font-size: .75rem;
  margin-inline-start: .3rem; white-space: nowrap; }
ol.summary li, ul.plain li { margin: .25rem 0; }
table { border-collapse: collapse; width: 100%%; font-size: .85rem; }
td, th { border-bottom: 1px solid var(--line); padding: .2rem .4rem; text-align: right; vertical-align: top; }
a { color: #1b6ca8; text-decoration: none; } a:hover { text-decoration: underline; }
svg { display:block; margin:.3rem 0; max-width: 100%%; height: auto; }
.num { direction: ltr; unicode-bidi: isolate; }
.empty { color: var(--muted); padding: 1rem 0; }
"""

# No inline handlers (the policy would refuse them too): listeners are added here.
SCRIPT = """
(function () {
  "use strict";
  var q = document.getElementById("q"), src = document.getElementById("src");
  var count = document.getElementById("shown"), none = document.getElementById("none");
  var stories = Array.prototype.slice.call(document.querySelectorAll("section.story"));
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-story]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("details.thread, details.day"));
  function norm(s) {
    return s.replace(/[\\u064A\\u0649]/g, "\\u06CC").replace(/\\u0643/g, "\\u06A9")
      .replace(/[\\u064B-\\u065F\\u0670]/g, "").replace(/[\\u200C\\s]+/g, " ").toLowerCase();
  }
  var text = stories.map(function (s) { return norm(s.textContent); });
  function apply() {
    var words = norm(q.value).trim().split(" ").filter(Boolean), source = src.value, seen = {}, n = 0;
    stories.forEach(function (s, i) {
      var ok = (!source || (" " + s.getAttribute("data-sources") + " ").indexOf(" " + source + " ") >= 0) &&
        words.every(function (w) { return text[i].indexOf(w) >= 0; });
      s.hidden = !ok;
      if (ok) { seen[s.id] = true; n += 1; }
    });
    items.forEach(function (li) { li.hidden = !seen[li.getAttribute("data-story")]; });
    groups.forEach(function (d) {
      var left = d.querySelectorAll("[data-story]:not([hidden])").length, n = d.querySelector("summary .n");
      d.hidden = left === 0;
      if (n) { n.textContent = left; }
    });
    count.textContent = n + " \\u0627\\u0632 " + stories.length + " \\u062F\\u0627\\u0633\\u062A\\u0627\\u0646";
    none.hidden = n > 0;
  }
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1)), el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.open = true; }
  }
  q.addEventListener("input", apply);
  src.addEventListener("change", apply);
  window.addEventListener("hashchange", openTarget);
  openTarget();
  apply();
})();
"""


def script_hash(script: str = SCRIPT) -> str:
    """The CSP source expression that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(script: str = SCRIPT) -> str:
    """Nothing loads from anywhere; inline style; the one script named by its hash."""
    return f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {script_hash(script)}"
