"""The HTML report in a real browser: right-to-left, every story there, nothing injected runs,
and a reader can open a thread, filter by a source and search a word (issue 14).

Headless Chromium from Debian (`make browser` installs it), driven by Playwright without
its own browser download. The screenshots (report.png, report-thread.png, report-source.png,
report-search.png) are kept in test-output/ for a person to look at.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows.publish import md_escape, write_report
from storage import Database
from summarize.report_assets import SCRIPT, script_hash
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUT = ROOT / "test-output"
HOSTILE_TITLE = 'هشدار «خطر» <script>window.__pwned = 1</script> " onmouseover="window.__pwned=2" x="'
HOSTILE = [
    {"id": "evil-1", "source": "isna", "url": "javascript:window.__pwned=3",
     "title": HOSTILE_TITLE, "published": "2025-11-23T12:00:00+03:30",
     "body": "به گزارش ایسنا، متنی با <img src=x onerror=\"window.__pwned=4\"> و <iframe src=\"javascript:"
             "window.__pwned=5\"></iframe> برای آزمودن گزارش منتشر شد و باید بی‌اثر نمایش داده شود. "
             "این خبر درباره یک حادثه ساختگی در تهران است که هیچ منبع دیگری آن را گزارش نکرده است."},
]


@pytest.fixture(scope="module")
def report(demo, tmp_path_factory) -> tuple[Path, list[dict]]:
    from flows.pipeline import run_local
    from flows.settings import load_settings

    db_src, _first, _second = demo
    tmp = tmp_path_factory.mktemp("report")
    db = tmp / "report.duckdb"
    shutil.copy(db_src, db)
    hostile = tmp / "hostile.jsonl"
    hostile.write_text("\n".join(json.dumps(h, ensure_ascii=False) for h in HOSTILE) + "\n", encoding="utf-8")
    # a JSONL record's HTML is read as its text at ingestion; a text page is text, markup and
    # all, so its headline reaches the report as written and the report must show it so
    page = tmp / "evil-page.txt"
    page.write_text(f"ایسنا\n{HOSTILE_TITLE}\n{HOSTILE[0]['body']}\n", encoding="utf-8")
    run_local(load_settings(overrides={"db": str(db), "flow.report": ""}), [str(hostile), str(page)])
    out = write_report(Database(str(db)), tmp / "report.html")
    from storage.queries import list_stories

    with Database(str(db)).connect(read_only=True) as con:
        stories = list_stories(con)
        record_title = con.execute("SELECT title FROM articles WHERE external_id = 'evil-1'").fetchone()[0]
        hostile_title = con.execute("SELECT title FROM articles WHERE external_id = 'evil-page'").fetchone()[0]
    assert "<script>" not in record_title and "__pwned = 1" not in record_title  # the record's tags are gone
    return out, stories, hostile_title


@pytest.fixture(scope="module")
def page(report):
    from playwright.sync_api import sync_playwright

    path, _stories, _hostile = report
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        pg = browser.new_page(viewport={"width": 1100, "height": 1600})
        dialogs: list[str] = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.goto(path.as_uri())
        pg.wait_for_load_state("load")
        pg.hover("h2")  # an injected onmouseover would fire here
        OUT.mkdir(exist_ok=True)
        pg.screenshot(path=str(OUT / "report.png"), full_page=False)
        pg.dialogs = dialogs  # type: ignore[attr-defined]
        yield pg
        browser.close()


def test_report_is_right_to_left_with_a_persian_font_stack(page) -> None:
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "fa"
    assert "Vazirmatn" in page.evaluate("getComputedStyle(document.body).fontFamily")


def test_every_story_title_is_in_the_page(page, report) -> None:
    _path, stories, _hostile = report
    text = page.evaluate("document.body.innerText")
    for s in stories:
        assert s["title"] in text, s["title"]
    assert page.locator("section.story").count() == len(stories)


def test_no_script_from_article_text_ran(page, report) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    # the page's one script is its own, and the policy allows no other
    assert page.locator("script").count() == 1
    assert page.evaluate("document.scripts[0].textContent") == SCRIPT
    policy = page.evaluate("document.querySelector('meta[http-equiv=Content-Security-Policy]').content")
    assert f"script-src {script_hash()}" in policy and "unsafe" not in policy.split("script-src")[1]
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    # the hostile title is shown as text, markup, quotes and all
    _path, _stories, hostile_title = report
    assert "<script>" in hostile_title and hostile_title in page.evaluate("document.body.innerText")


def test_each_story_has_a_timeline_chart_and_the_screenshot_exists(page) -> None:
    assert page.locator("section.story svg circle").count() > 0
    assert (OUT / "report.png").stat().st_size > 10_000


def test_markdown_artifact_text_is_inert() -> None:
    text = md_escape('[click](javascript:alert(1)) <script>x</script> | ![i](http://e/x.png)')
    for bad in ("](", "<script", "![", "| "):
        assert bad not in text.replace("\\]", "").replace("\\<", "").replace("\\!", "").replace("\\|", "")


# --- a reader's page: threads, days, a source filter and a search box ----------------------

VISIBLE = "section.story:not([hidden])"


def reset(page) -> None:
    page.fill("#q", "")
    page.select_option("#src", "")


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all(VISIBLE, "els => els.map(e => e.id)")


def test_threads_come_first_and_open_on_their_stories_in_time_order(page) -> None:
    reset(page)
    first = page.locator("main > *").first
    assert first.get_attribute("id") == "threads"
    thread = page.locator("details.thread").first
    assert thread.get_attribute("open") is None  # closed until the reader opens it
    items = thread.locator("li[data-story]")
    assert not items.first.is_visible()
    thread.locator("summary").click()
    assert thread.get_attribute("open") is not None and items.first.is_visible()
    assert items.count() >= 2
    times = [t.strip() for t in thread.locator("li[data-story] > span.num").all_inner_texts()]
    assert times == sorted(times)  # stories in time order
    assert thread.locator("svg circle").count() == items.count()  # one dot per story on its time line
    thread.scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / "report-thread.png"))
    # a thread's story links to its section, which links back to the thread
    story_id = items.first.get_attribute("data-story")
    assert page.locator(f"section.story[id='{story_id}'] a[href='#{thread.get_attribute('id')}']").count() == 1


def test_the_index_by_day_lists_every_story_once(page, report) -> None:
    reset(page)
    _path, stories, _hostile = report
    listed = page.eval_on_selector_all("#days li[data-story]", "els => els.map(e => e.dataset.story)")
    assert sorted(listed) == sorted(s["story_id"] for s in stories)
    assert page.locator("#days details.day[open]").count() == 1  # the newest day is open


def test_filter_by_source_shows_only_that_sources_stories(page, report) -> None:
    reset(page)
    _path, stories, _hostile = report
    source = "fars"
    expected = sorted(s["story_id"] for s in stories if source in s["sources"])
    assert 0 < len(expected) < len(stories)
    page.select_option("#src", source)
    assert sorted(visible_ids(page)) == expected
    # the thread and day lists follow: only that source's stories, and no empty box left
    listed = page.eval_on_selector_all("li[data-story]:not([hidden])", "els => els.map(e => e.dataset.story)")
    assert set(listed) <= set(expected)
    for box in page.locator("details.thread:not([hidden]), details.day:not([hidden])").all():
        left = box.locator("li[data-story]:not([hidden])").count()
        assert left > 0 and box.locator("summary .n").inner_text() == str(left)  # its count follows too
    assert page.inner_text("#shown").startswith(f"{len(expected)} ")
    page.screenshot(path=str(OUT / "report-source.png"))
    reset(page)
    assert len(visible_ids(page)) == len(stories)


def test_search_finds_a_word_in_titles_and_summaries(page, report) -> None:
    reset(page)
    _path, stories, _hostile = report
    word = "زلزله"
    page.fill("#q", word)
    shown = visible_ids(page)
    assert shown
    for sid in shown:
        assert word in page.inner_text(f"section.story[id='{sid}']")
    with_word = [s["story_id"] for s in stories if word in s["title"]]
    assert set(with_word) <= set(shown)
    assert len(shown) < len(stories)
    # with a source as well: both must hold
    page.select_option("#src", "fars")
    assert set(visible_ids(page)) <= set(shown)
    page.select_option("#src", "")
    page.locator("section.story:not([hidden])").first.scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / "report-search.png"))
    # typed the other way (Arabic yeh and kaf, ZWNJ as a space), the same stories
    page.fill("#q", "كرمان")
    assert set(visible_ids(page)) == {sid for sid in [s["story_id"] for s in stories]
                                      if "کرمان" in page.inner_text(f"section.story[id='{sid}']")}
    page.fill("#q", "واژه‌ای که در هیچ خبری نیست")
    assert visible_ids(page) == [] and page.locator("#none").is_visible()
    reset(page)


def test_markup_typed_into_the_search_box_stays_text(page) -> None:
    page.fill("#q", '<img src=x onerror="window.__pwned=9">')
    assert page.evaluate("typeof window.__pwned") == "undefined"
    reset(page)
