"""The HTML report in a real browser: right-to-left, every story there, nothing injected runs.

Headless Chromium from Debian (`make browser` installs it), driven by Playwright without
its own browser download. The screenshot is kept in test-output/ for a person to look at.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows.publish import md_escape, write_report
from storage import Database
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
    run_local(load_settings(overrides={"db": str(db), "flow.report": ""}), [str(hostile)])
    out = write_report(Database(str(db)), tmp / "report.html")
    from storage.queries import list_stories

    with Database(str(db)).connect(read_only=True) as con:
        stories = list_stories(con)
        hostile_title = con.execute("SELECT title FROM articles WHERE external_id = 'evil-1'").fetchone()[0]
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
    assert page.locator("script").count() == 0  # the report has no script at all
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
