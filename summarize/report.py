"""The HTML report: right-to-left Persian, one section per story, all article text escaped.

The report is a single self-contained file (inline CSS and SVG, no script at all), so it
opens from disk in any browser and cannot run anything an article smuggled in: every
text goes through :func:`html.escape`, and only http(s) URLs become links.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

TEHRAN = ZoneInfo("Asia/Tehran")
# Persian web fonts first (Vazirmatn is the common open one), then system fonts that
# carry Persian glyphs on Windows, macOS, Android and Linux.
FONT_STACK = ('"Vazirmatn", "Vazir", "Sahel", "Shabnam", "IRANSans", "Segoe UI", Tahoma, '
              '"Geeza Pro", "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", sans-serif')
_PALETTE = ["#1b6ca8", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#2c3e50",
            "#b7950b", "#7f8c8d", "#e84393"]

_CSS = """
:root { --ink:#1d2430; --muted:#5b6573; --line:#e3e6ea; --bg:#fafbfc; --card:#fff; }
* { box-sizing: border-box; }
body { margin:0; font-family:%(font)s; color:var(--ink); background:var(--bg); line-height:1.9; }
header, main { max-width: 960px; margin: 0 auto; padding: 0 1rem; }
header h1 { margin: 1.2rem 0 .2rem; font-size: 1.6rem; }
.meta { color: var(--muted); font-size: .85rem; }
nav ol { padding-inline-start: 1.4rem; }
nav li { margin: .15rem 0; }
section.story, section.thread { background: var(--card); border:1px solid var(--line); border-radius: 10px;
  padding: .8rem 1.1rem; margin: 1rem 0; }
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
svg { display:block; margin:.3rem 0; }
.num { direction: ltr; unicode-bidi: isolate; }
"""


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s), else None (no javascript:, data:, relative tricks)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def _link(text: str, url: str | None) -> str:
    safe = safe_url(url)
    if safe is None:
        return _e(text)
    return f'<a href="{_e(safe)}" rel="noopener noreferrer nofollow">{_e(text)}</a>'


def local_time(iso: str | None) -> str:
    """An ISO UTC time as Tehran local time, for people in Iran reading the report."""
    if not iso:
        return "تاریخ نامعلوم"
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return _e(iso)
    return when.astimezone(TEHRAN).strftime("%Y-%m-%d %H:%M")


def _colors(sources: Sequence[str]) -> dict[str, str]:
    return {s: _PALETTE[i % len(_PALETTE)] for i, s in enumerate(sorted(set(sources)))}


def _badge(source: str | None, colors: Mapping[str, str], names: Mapping[str, str]) -> str:
    key = source or "?"
    return (f'<span class="badge" style="background:{colors.get(key, "#7f8c8d")}">'
            f"{_e(names.get(key, key))}</span>")


def timeline_svg(timeline: Sequence[Mapping[str, Any]], colors: Mapping[str, str],
                 width: int = 640, height: int = 28) -> str:
    """Reports over time as dots on one axis, coloured by source (inline SVG)."""
    points = []
    for item in timeline:
        if item.get("published_at"):
            try:
                points.append((datetime.fromisoformat(item["published_at"].replace("Z", "+00:00")),
                               item.get("source") or "?"))
            except ValueError:
                continue
    if not points:
        return ""
    start = min(p[0] for p in points)
    span = max((max(p[0] for p in points) - start).total_seconds(), 3600.0)
    pad = 10
    dots = []
    for when, source in points:
        # left to right is earlier to later even in an RTL page: a time axis, like numbers
        x = pad + (width - 2 * pad) * (when - start).total_seconds() / span
        dots.append(f'<circle cx="{x:.1f}" cy="{height / 2:.1f}" r="5" fill="{colors.get(source, "#7f8c8d")}">'
                    f"<title>{_e(source)} {_e(when.astimezone(TEHRAN).strftime('%Y-%m-%d %H:%M'))}</title></circle>")
    axis = f'<line x1="{pad}" y1="{height / 2}" x2="{width - pad}" y2="{height / 2}" stroke="#ccd" />'
    return (f'<svg role="img" aria-label="زمان‌نمای گزارش‌ها" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" direction="ltr">{axis}{"".join(dots)}</svg>')


def render_story(story: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """One story's section: title, keywords, summary, sources, per-source, timeline."""
    timeline = story.get("timeline", [])
    colors = _colors([t.get("source") or "?" for t in timeline])
    parts = [f'<section class="story" id="{_e(story["story_id"])}">',
             f"<h2>{_e(story.get('title') or '')}</h2>",
             f'<div class="meta">{_e(story["n_articles"])} گزارش از {_e(story["n_sources"])} منبع · '
             f"نخستین گزارش: {_e(local_time(story.get('first_published')))} · "
             f'<span class="num">{_e(story["story_id"])}</span></div>']
    if story.get("keywords"):
        parts.append("<div>" + "".join(f'<span class="kw">{_e(k)}</span>' for k in story["keywords"]) + "</div>")
    if story.get("summary"):
        parts.append("<h3>خلاصه</h3><ol class=\"summary\">")
        for s in story["summary"]:
            src = _badge(s.get("source"), colors, names)
            parts.append(f"<li>{_link(s['text'], s.get('url'))}{src}</li>")
        parts.append("</ol>")
    per_source = story.get("per_source") or {}
    terms = story.get("per_source_terms") or {}
    if per_source or terms:
        parts.append("<h3>آنچه تنها هر منبع گفت</h3>")
        for source in sorted(set(per_source) | set(terms)):
            words = "".join(f'<span class="kw">{_e(t)}</span>' for t in terms.get(source, []))
            parts.append(f"<div>{_badge(source, colors, names)} {words}</div><ul class=\"plain\">")
            parts.extend(f"<li>{_e(t)}</li>" for t in per_source.get(source, []))
            parts.append("</ul>")
    parts.append("<h3>زمان‌نما</h3>")
    parts.append(timeline_svg(timeline, colors))
    parts.append("<table><tr><th>زمان</th><th>منبع</th><th>عنوان</th></tr>")
    for t in timeline:
        copy = " (رونوشت)" if t.get("is_duplicate") else ""
        parts.append(f"<tr><td class=\"num\">{_e(local_time(t.get('published_at')))}</td>"
                     f"<td>{_badge(t.get('source'), colors, names)}{_e(copy)}</td>"
                     f"<td>{_link(t.get('title') or '', t.get('url'))}</td></tr>")
    parts.append("</table></section>")
    return "\n".join(parts)


def render_report(
    stories: Sequence[Mapping[str, Any]],
    threads: Sequence[Mapping[str, Any]] = (),
    names: Mapping[str, str] | None = None,
    title: str = "داستان: خبرها در قالب رویداد",
    generated_at: datetime | None = None,
) -> str:
    """The whole report: an index by recency and coverage, threads, then every story."""
    names = names or {}
    when = (generated_at or datetime.now(UTC)).astimezone(TEHRAN).strftime("%Y-%m-%d %H:%M")
    ordered = sorted(stories, key=lambda s: (s.get("last_published") or "", s.get("n_sources", 0)), reverse=True)
    out = ['<!DOCTYPE html>', '<html lang="fa" dir="rtl">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           # No script may run in this page, whatever an article contains.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
           "style-src 'unsafe-inline'; img-src data:\">",
           f"<title>{_e(title)}</title>", f"<style>{_CSS % {'font': FONT_STACK}}</style>", "</head>", "<body>",
           f"<header><h1>{_e(title)}</h1><div class=\"meta\">{len(stories)} داستان · ساخته‌شده در "
           f"<span class=\"num\">{_e(when)}</span> (به وقت تهران)</div></header>", "<main>",
           "<nav><h3>فهرست داستان‌ها (تازه‌ترین و پرپوشش‌ترین نخست)</h3><ol>"]
    for s in ordered:
        out.append(f'<li><a href="#{_e(s["story_id"])}">{_e(s.get("title") or "")}</a> '
                   f'<span class="meta">({_e(s["n_sources"])} منبع، {_e(s["n_articles"])} گزارش)</span></li>')
    out.append("</ol></nav>")
    if threads:
        out.append("<h2>رشته‌ها</h2>")
        for th in threads:
            out.append(f'<section class="thread" id="{_e(th["thread_id"])}"><h2>{_e(th.get("title") or "")}</h2><ol>')
            for st in th.get("stories", []):
                out.append(f'<li><span class="num">{_e(local_time(st.get("first_published")))}</span> '
                           f'<a href="#{_e(st["story_id"])}">{_e(st.get("title") or "")}</a></li>')
            out.append("</ol></section>")
    out.extend(render_story(s, names) for s in ordered)
    out.extend(["</main>", "</body>", "</html>"])
    return "\n".join(out) + "\n"
