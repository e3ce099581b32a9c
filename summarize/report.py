"""The HTML report: a reader's page of threads, days and stories, right-to-left, in one file.

Threads come first, each a box that opens on its stories in time order with an SVG time
line; then an index of the stories by the day they began (Tehran days, Jalali and
Gregorian); then every story's section: title, keywords, summary, what each source alone
reported, its reports on a time line. A source filter and a search box narrow all three
in the browser (:mod:`summarize.report_assets`); the page loads nothing and needs no server.

The file is self-contained (inline CSS, SVG and one script) and cannot run anything an
article smuggled in: every text goes through :func:`html.escape`, only http(s) URLs become
links, and the Content-Security-Policy allows the page's own script alone, by its hash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ingest.readers import OWN_REPORT_META
from summarize.report_assets import CSS, FONT_STACK, SCRIPT, content_security_policy
from summarize.report_html import (
    TEHRAN,
    UNKNOWN_DAY,
    UNKNOWN_SOURCE,
    badge,
    colors,
    coverage,
    day_key,
    day_label,
    e,
    link,
    local_time,
    safe_url,
    source_key,
    source_name,
    thread_svg,
    time_of_day,
    timeline_svg,
)

__all__ = ["FONT_STACK", "local_time", "render_report", "render_story", "safe_url", "timeline_svg"]


def _sources(story: Mapping[str, Any]) -> list[str]:
    found = [source_key(t.get("source")) for t in story.get("timeline", [])]
    found += [source_key(s.get("source")) for s in story.get("sources", [])]
    return sorted(set(found))


def render_story(story: Mapping[str, Any], names: Mapping[str, str],
                 thread: Mapping[str, Any] | None = None) -> str:
    """One story's section: title, keywords, summary, sources, per-source, timeline."""
    timeline = story.get("timeline", [])
    palette = colors([t.get("source") for t in timeline])
    counted = coverage(story["n_articles"], story["n_sources"], UNKNOWN_SOURCE in _sources(story))
    in_thread = ""
    if thread is not None:
        in_thread = f' · رشته: <a href="#{e(thread["thread_id"])}">{e(thread.get("title") or "")}</a>'
    parts = [f'<section class="story" id="{e(story["story_id"])}" data-sources="{e(" ".join(_sources(story)))}" '
             f'data-day="{e(day_key(story.get("first_published")))}">',
             f"<h2>{e(story.get('title') or '')}</h2>",
             f'<div class="meta">{e(counted)} · '
             f"نخستین گزارش: <span class=\"num\">{e(local_time(story.get('first_published')))}</span> · "
             f'<span class="num">{e(story["story_id"])}</span>{in_thread}</div>']
    if story.get("keywords"):
        parts.append("<div>" + "".join(f'<span class="kw">{e(k)}</span>' for k in story["keywords"]) + "</div>")
    if story.get("summary"):
        parts.append("<h3>خلاصه</h3><ol class=\"summary\">")
        for s in story["summary"]:
            parts.append(f"<li>{link(s['text'], s.get('url'))}{badge(s.get('source'), palette, names)}</li>")
        parts.append("</ol>")
    per_source = story.get("per_source") or {}
    terms = story.get("per_source_terms") or {}
    if per_source or terms:
        parts.append("<h3>آنچه تنها هر منبع گفت</h3>")
        for source in sorted(set(per_source) | set(terms)):
            words = "".join(f'<span class="kw">{e(t)}</span>' for t in terms.get(source, []))
            parts.append(f"<div>{badge(source, palette, names)} {words}</div><ul class=\"plain\">")
            parts.extend(f"<li>{e(t)}</li>" for t in per_source.get(source, []))
            parts.append("</ul>")
    parts.append("<h3>زمان‌نما</h3>")
    parts.append(timeline_svg(timeline, palette))
    parts.append("<table><tr><th>زمان</th><th>منبع</th><th>عنوان</th></tr>")
    for t in timeline:
        copy = " (رونوشت)" if t.get("is_duplicate") else ""
        parts.append(f"<tr><td class=\"num\">{e(local_time(t.get('published_at')))}</td>"
                     f"<td>{badge(t.get('source'), palette, names)}{e(copy)}</td>"
                     f"<td>{link(t.get('title') or '', t.get('url'))}</td></tr>")
    parts.append("</table></section>")
    return "\n".join(parts)


def _story_item(story: Mapping[str, Any], names: Mapping[str, str], when: str) -> str:
    """A story's line in a list (a thread's, a day's): time, linked title, its sources."""
    palette = colors(_sources(story))
    badges = "".join(badge(s, palette, names) for s in _sources(story))
    return (f'<li data-story="{e(story["story_id"])}"><span class="num">{e(when)}</span> '
            f'<a href="#{e(story["story_id"])}">{e(story.get("title") or "")}</a>{badges}</li>')


def render_thread(thread: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]],
                  names: Mapping[str, str]) -> str:
    """A thread as a box that opens on its stories in time order and their SVG time line."""
    members = [by_id[s["story_id"]] for s in thread.get("stories", []) if s["story_id"] in by_id]
    members.sort(key=lambda s: (s.get("first_published") or "9999", s["story_id"]))
    days = [day_key(s.get("first_published")) for s in members]
    dated = [d for d in days if d != UNKNOWN_DAY]
    span = "" if not dated else f'<span class="num">{e(dated[0])}</span>'
    if dated and dated[-1] != dated[0]:
        span += f' تا <span class="num">{e(dated[-1])}</span>'  # each date isolated: no bidi reordering
    out = [f'<details class="thread" id="{e(thread["thread_id"])}">',
           f'<summary>{e(thread.get("title") or "")} <span class="meta">(<span class="n">{len(members)}</span> داستان'
           + (f"، {span}" if span else "") + ")</span></summary>",
           thread_svg(members), "<ol>"]
    out.extend(_story_item(s, names, local_time(s.get("first_published"))) for s in members)
    out.append("</ol></details>")
    return "\n".join(out)


def render_days(stories: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> str:
    """The index by day: each Tehran day (newest first) opens on the stories that began on it."""
    days: dict[str, list[Mapping[str, Any]]] = {}
    for s in stories:
        days.setdefault(day_key(s.get("first_published")), []).append(s)
    keys = sorted((k for k in days if k != UNKNOWN_DAY), reverse=True) + ([UNKNOWN_DAY] if UNKNOWN_DAY in days else [])
    out = ['<nav id="days" aria-label="نمایه روزها"><h2>نمایه روزها</h2>']
    for i, key in enumerate(keys):
        members = sorted(days[key], key=lambda s: (s.get("first_published") or "", s["story_id"]))
        out.append(f'<details class="day" id="day-{e(key)}"{" open" if i == 0 else ""}>'
                   f'<summary>{day_label(key)} <span class="meta">(<span class="n">{len(members)}</span> '
                   "داستان)</span></summary><ol>")
        out.extend(_story_item(s, names, time_of_day(s.get("first_published"))) for s in members)
        out.append("</ol></details>")
    out.append("</nav>")
    return "\n".join(out)


def _controls(stories: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> str:
    sources = sorted({s for st in stories for s in _sources(st)}, key=lambda k: source_name(k, names))
    options = "".join(f'<option value="{e(s)}">{e(source_name(s, names))}</option>' for s in sources)
    return ('<div class="controls" role="search">'
            '<label for="q">جستجو</label> <input id="q" type="search" autocomplete="off" '
            'placeholder="واژه‌ای از عنوان، خلاصه یا منبع">'
            f'<label for="src">منبع</label> <select id="src"><option value="">همه منابع</option>{options}</select>'
            '<span id="shown" class="meta" aria-live="polite"></span></div>')


def render_report(
    stories: Sequence[Mapping[str, Any]],
    threads: Sequence[Mapping[str, Any]] = (),
    names: Mapping[str, str] | None = None,
    title: str = "داستان: خبرها در قالب رویداد",
    generated_at: datetime | None = None,
) -> str:
    """The whole page: threads, the index by day, then every story (newest first)."""
    names = names or {}
    when = (generated_at or datetime.now(UTC)).astimezone(TEHRAN).strftime("%Y-%m-%d %H:%M")
    ordered = sorted(stories, key=lambda s: (s.get("last_published") or "", s.get("n_sources", 0)), reverse=True)
    by_id = {s["story_id"]: s for s in stories}
    shown_threads = [t for t in threads if sum(s["story_id"] in by_id for s in t.get("stories", [])) >= 2]
    thread_of = {s["story_id"]: t for t in shown_threads for s in t.get("stories", [])}
    out = ["<!DOCTYPE html>", '<html lang="fa" dir="rtl">', "<head>", '<meta charset="utf-8">',
           # read back by ingest.readers.is_own_report: a report is never taken for news
           OWN_REPORT_META,
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           # Only the page's own script may run, whatever an article contains.
           f'<meta http-equiv="Content-Security-Policy" content="{e(content_security_policy())}">',
           f"<title>{e(title)}</title>", f"<style>{CSS % {'font': FONT_STACK}}</style>", "</head>", "<body>",
           f"<header><h1>{e(title)}</h1><div class=\"meta\">{len(stories)} داستان · {len(shown_threads)} رشته · "
           f"ساخته‌شده در <span class=\"num\">{e(when)}</span> (به وقت تهران)</div></header>",
           _controls(stories, names), "<main>"]
    if shown_threads:
        out.append('<section id="threads"><h2>رشته‌ها</h2>')
        out.extend(render_thread(t, by_id, names) for t in shown_threads)
        out.append("</section>")
    out.append(render_days(stories, names))
    out.append('<h2 id="stories">داستان‌ها</h2>')
    out.extend(render_story(s, names, thread_of.get(s["story_id"])) for s in ordered)
    out.append('<div id="none" class="empty" hidden>هیچ داستانی با این جستجو و منبع نیست.</div>')
    out.extend(["</main>", f"<script>{SCRIPT}</script>", "</body>", "</html>"])
    return "\n".join(out) + "\n"
