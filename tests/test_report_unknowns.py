"""The report and `dastan show` on a story with no date and no source (the eighth newcomer's
defect 10, seen in his t1.html).

Before: the day index put «وم» (the end of «تاریخ نامعلوم») where a story's time goes; a
report of no source got two badges, «?» from its timeline and «unknown» from the
story_sources view, and the source filter listed both; the meta line read «1 گزارش از 0
منبع» and `dastan show` "1 reports from 0 sources".
"""

from __future__ import annotations

import re

import pytest

from summarize.report import render_report
from summarize.report_html import coverage, time_of_day

NO_SOURCE = {
    "story_id": "s1", "title": "خبری بی‌منبع", "n_articles": 1, "n_sources": 0, "keywords": [],
    "first_published": None, "last_published": None, "summary": [], "per_source": {}, "per_source_terms": {},
    "timeline": [{"source": None, "published_at": None, "title": "خبری بی‌منبع", "url": None,
                  "is_duplicate": False}],
    "sources": [{"source": "unknown", "first_report": None, "n_reports": 1, "n_copies": 0}],
}
DATED = {**NO_SOURCE, "story_id": "s2", "n_sources": 1, "first_published": "2025-11-30T06:30:00Z",
         "last_published": "2025-11-30T06:30:00Z",
         "timeline": [{**NO_SOURCE["timeline"][0], "source": "isna", "published_at": "2025-11-30T06:30:00Z"}],
         "sources": [{"source": "isna", "first_report": "2025-11-30T06:30:00Z", "n_reports": 1, "n_copies": 0}]}


def test_the_unknown_day_shows_no_time_and_a_known_day_its_time() -> None:
    page = render_report([NO_SOURCE, DATED], names={"isna": "ایسنا"})
    unknown_day = page.split('id="day-unknown"')[1].split("</details>")[0]
    assert re.search(r'<span class="num"></span> <a href="#s1">', unknown_day), unknown_day
    assert "وم" not in unknown_day.replace("نامعلوم", "")
    assert '<span class="num">10:00</span> <a href="#s2">' in page  # 06:30 UTC is 10:00 in Tehran


def test_a_report_of_no_source_has_one_badge_and_one_filter_entry() -> None:
    page = render_report([NO_SOURCE, DATED], names={"isna": "ایسنا"})
    story = page.split('<section class="story" id="s1"')[1].split("</section>")[0]
    assert 'data-sources="unknown"' in story
    assert ">?<" not in page and ">unknown<" not in page
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', page)
    assert options == [("", "همه منابع"), ("isna", "ایسنا"), ("unknown", "منبع نامعلوم")]
    assert "1 گزارش از منبعی نامعلوم" in story


@pytest.mark.parametrize(("args", "expected"), [
    ((1, 0, True), "1 گزارش از منبعی نامعلوم"),
    ((3, 2, False), "3 گزارش از 2 منبع"),
    ((3, 2, True), "3 گزارش از 2 منبع و منبعی نامعلوم"),
])
def test_coverage_counts_make_sense(args, expected) -> None:
    assert coverage(*args) == expected


@pytest.mark.parametrize(("iso", "expected"), [(None, ""), ("2026-02-28", ""), ("2025-11-30T06:30:00Z", "10:00")])
def test_time_of_day(iso, expected) -> None:
    assert time_of_day(iso) == expected


def test_show_counts_a_report_of_no_source_in_english_singular_and_plural(tmp_path, monkeypatch, capsys) -> None:
    from flows.cli import coverage_line, main
    from storage import Database, queries

    db = tmp_path / "d.duckdb"
    with Database(str(db)).connect():
        pass
    monkeypatch.setattr(queries, "story_detail", lambda con, story_id: {**NO_SOURCE, "first_source": None})
    assert main(["show", "s1", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "1 report from an unknown source; first: unknown at unknown time" in out
    assert "1 reports" not in out and "0 sources" not in out
    assert coverage_line(3, 2, False) == "3 reports from 2 sources"
    assert coverage_line(2, 1, True) == "2 reports from 1 source and an unknown one"
