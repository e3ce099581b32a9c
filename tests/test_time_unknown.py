"""A day printed without its time stays a day (issue 13: "A time that cannot be read leaves
the date with its time unknown; it never yields a wrong time").

Before, «تاریخ انتشار: ۱۴۰۴/۱۲/۰۹» or a feed's «Sat, 28 Feb 2026» was stored as Tehran
midnight, shown as «2026-02-27 20:30» (UTC) or «00:00», and clustered as a precise time.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from clustering.cluster import ArticleView, ClusterParams, pair_table, same_story_probability
from flows import stages
from flows.cli import main
from flows.settings import load_settings
from ingest import Article, IngestParams, read_inputs
from storage import Database
from tests.conftest import FakeEncoder

DAY = "2026-02-28"  # 9 Esfand 1404
PAGE = """افزایش ۲۵ درصدی نرخ بلیت مترو تهران از فروردین تصویب شد
تاریخ انتشار: ۱۴۰۴/۱۲/۰۹
به گزارش ایسنا، اعضای شورای شهر تهران امروز افزایش ۲۵ درصدی نرخ بلیت مترو را برای سال آینده تصویب کردند.
رئیس کمیسیون عمران شورا گفت این افزایش از ابتدای فروردین اجرا می‌شود.
"""
PAGE_WITH_TIME = PAGE.replace("۱۴۰۴/۱۲/۰۹", "۱۴۰۴/۱۲/۰۹ - ۱۰:۳۰")
FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>نمونه</title><link>https://www.isna.ir/</link>
<item><title>افزایش نرخ بلیت مترو تهران تصویب شد</title><link>https://www.isna.ir/news/1/</link>
<pubDate>Sat, 28 Feb 2026</pubDate>
<description>شورای شهر تهران افزایش ۲۵ درصدی نرخ بلیت مترو را برای سال آینده تصویب کرد.</description></item>
<item><title>زلزله ۴.۵ ریشتری در کرمان</title><link>https://www.isna.ir/news/2/</link>
<pubDate>Sat, 28 Feb 2026 10:30:00 +0330</pubDate>
<description>زمین‌لرزه‌ای به بزرگی ۴.۵ ریشتر شهر کرمان را لرزاند.</description></item>
</channel></rss>
"""


def read(path: Path) -> list[Article]:
    return [a for a in read_inputs([path], IngestParams()) if isinstance(a, Article)]


def test_a_page_with_a_date_alone_has_its_time_unknown(tmp_path: Path) -> None:
    (tmp_path / "day.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "timed.txt").write_text(PAGE_WITH_TIME, encoding="utf-8")
    (day,) = read(tmp_path / "day.txt")
    (timed,) = read(tmp_path / "timed.txt")
    assert day.published_at == datetime(2026, 2, 27, 20, 30, tzinfo=UTC)  # the day's start in Tehran
    assert not day.published_time_known
    assert timed.published_at == datetime(2026, 2, 28, 7, 0, tzinfo=UTC) and timed.published_time_known


def test_a_feed_item_with_a_date_alone_has_its_time_unknown(tmp_path: Path) -> None:
    (tmp_path / "isna.xml").write_text(FEED, encoding="utf-8")
    day, timed = read(tmp_path / "isna.xml")
    assert not day.published_time_known and day.published_at == datetime(2026, 2, 27, 20, 30, tzinfo=UTC)
    assert timed.published_time_known and timed.published_at == datetime(2026, 2, 28, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(("published", "known"), [
    ("2026-02-28", False),
    ("۱۴۰۴/۱۲/۰۹", False),
    ("۹ اسفند ۱۴۰۴", False),
    ("2026-02-28T10:30:00+03:30", True),
    ("2026-02-28T00:00:00+03:30", True),  # a midnight that was printed is a time
])
def test_a_record_with_a_date_alone_has_its_time_unknown(tmp_path: Path, published: str, known: bool) -> None:
    path = tmp_path / "items.jsonl"
    record = {"id": "x1", "source": "isna", "title": "افزایش نرخ بلیت مترو تهران تصویب شد",
              "body": "شورای شهر تهران افزایش ۲۵ درصدی نرخ بلیت مترو را تصویب کرد.", "published": published}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = read(path)
    assert article.published_time_known is known
    assert article.published_at is not None and article.published_at.astimezone(UTC).date().isoformat() in (
        "2026-02-27", DAY)


def test_an_html_page_gives_the_time_of_its_structured_day_from_its_date_line() -> None:
    from ingest.html import parse_html

    head = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2026-02-28"}</script>'
    body = ("<article><h1>افزایش نرخ بلیت مترو تهران تصویب شد</h1>{line}"
            "<p>به گزارش ایسنا، شورای شهر تهران افزایش ۲۵ درصدی نرخ بلیت مترو را برای سال آینده تصویب کرد.</p>"
            "<p>رئیس کمیسیون عمران شورا گفت این افزایش از ابتدای فروردین اجرا می‌شود.</p></article>")
    page = "<html><head>{head}</head><body>{body}</body></html>"
    alone = parse_html(page.format(head=head, body=body.format(line="")), "a.html")
    assert alone.published_at == datetime(2026, 2, 27, 20, 30, tzinfo=UTC) and not alone.published_time_known
    line = '<div class="date">شنبه ۹ اسفند ۱۴۰۴ - ۱۰:۳۰</div>'
    timed = parse_html(page.format(head=head, body=body.format(line=line)), "b.html")
    assert timed.published_at == datetime(2026, 2, 28, 7, 0, tzinfo=UTC) and timed.published_time_known


@pytest.fixture
def day_only_db(tmp_path: Path, monkeypatch) -> Path:
    """A page and a feed item, both dated by the day alone, through the whole pipeline."""
    fake = FakeEncoder()
    monkeypatch.setattr(stages, "embed_texts", lambda texts, params: fake.encode(list(texts)))
    (tmp_path / "day.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "isna.xml").write_text(FEED, encoding="utf-8")
    db = Database(str(tmp_path / "d.duckdb"))
    stages.run_stages(db, [tmp_path / "day.txt", tmp_path / "isna.xml"], load_settings(overrides={"db": db.path}))
    return tmp_path / "d.duckdb"


def test_a_day_alone_is_shown_as_the_day_never_as_a_time(day_only_db: Path, capsys) -> None:
    assert main(["articles", "--json", "--db", str(day_only_db)]) == 0
    shown = sorted(json.loads(line)["published_at"] for line in capsys.readouterr().out.splitlines())
    assert shown == [DAY, DAY, "2026-02-28T07:00:00Z"]

    assert main(["stories", "--db", str(day_only_db)]) == 0
    table = capsys.readouterr().out
    assert f"{DAY} " in table and "20:30" not in table and "00:00" not in table
    assert "2026-02-28 10:30" in table  # the item that printed its time keeps it, in Tehran time
    assert "last (Tehran)" in table  # the time the list is sorted by (defect 15 of the eighth newcomer)

    assert main(["stories", "--json", "--db", str(day_only_db)]) == 0
    stories = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    day_story = next(s for s in stories if s["first_published"] == DAY)
    assert main(["show", day_story["story_id"], "--db", str(day_only_db)]) == 0
    detail = capsys.readouterr().out
    assert f"at {DAY}" in detail and "20:30" not in detail and "00:00" not in detail

    from flows.publish import write_report

    html = write_report(Database(str(day_only_db)), day_only_db.with_name("r.html")).read_text(encoding="utf-8")
    assert f'<span class="num">{DAY}</span>' in html
    assert "2026-02-28 00:00" not in html and "2026-02-27 20:30" not in html
    assert "2026-02-28 10:30" in html  # Tehran time of the timed item


def test_show_and_timeline_print_tehran_time_as_stories_does(day_only_db: Path, capsys, monkeypatch) -> None:
    # a newcomer's find: `show` and `timeline` printed «2026-02-28T07:00:00Z» (UTC) beside
    # `stories`, which prints «2026-02-28 10:30» (Tehran)
    assert main(["stories", "--json", "--db", str(day_only_db)]) == 0
    stories = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    timed = next(s for s in stories if s["first_published"] == "2026-02-28T07:00:00Z")
    day = next(s for s in stories if s["first_published"] == DAY)
    for args in (["show", timed["story_id"]], ["timeline", timed["story_id"]]):
        assert main([*args, "--db", str(day_only_db)]) == 0
        out = capsys.readouterr().out
        assert "2026-02-28 10:30" in out and "07:00" not in out and "Z " not in out, out
        assert "Tehran" in out
    for args in (["show", day["story_id"]], ["timeline", day["story_id"]]):
        assert main([*args, "--db", str(day_only_db)]) == 0
        out = capsys.readouterr().out
        assert DAY in out and "20:30" not in out and "00:00" not in out and "T" not in out.replace("Tehran", ""), out
    # --json stays UTC ISO
    assert main(["timeline", timed["story_id"], "--json", "--db", str(day_only_db)]) == 0
    assert "2026-02-28T07:00:00Z" in capsys.readouterr().out

    import storage.queries

    thread = {"thread_id": "t1", "title": "بلیت مترو", "n_stories": 2, "stories": [
        {"story_id": day["story_id"], "title": "الف", "first_published": DAY, "n_sources": 1},
        {"story_id": timed["story_id"], "title": "ب", "first_published": "2026-02-28T07:00:00Z", "n_sources": 1}]}
    monkeypatch.setattr(storage.queries, "list_threads", lambda con: [thread])
    assert main(["timeline", "--thread", "t1", "--db", str(day_only_db)]) == 0
    out = capsys.readouterr().out
    assert f"  {DAY} " in out and "2026-02-28 10:30" in out and "07:00" not in out and "Tehran" in out


def view(aid: str, when: datetime | None, known: bool = True) -> ArticleView:
    text = "شورای شهر تهران افزایش نرخ بلیت مترو را تصویب کرد"
    source = "isna" if aid == "a" else "irna"
    return ArticleView(aid, tuple(text.split()), when, source, title_lemmas=tuple(text.split()), text=text, title=text,
                       time_known=known)


def probability(a: ArticleView, b: ArticleView) -> float:
    vectors = FakeEncoder().encode([a.text, b.text])
    params = ClusterParams()
    table = pair_table([a, b], vectors, params)
    return float(same_story_probability(table, params)[0])


def test_a_report_with_its_time_unknown_gets_no_same_hour_evidence() -> None:
    midnight = datetime(2026, 2, 27, 20, 30, tzinfo=UTC)  # 9 Esfand's start in Tehran
    timed = view("a", midnight + timedelta(minutes=10))
    both_timed = probability(timed, view("b", midnight))
    day_alone = probability(timed, view("b", midnight, known=False))
    undated = probability(view("a", None), view("b", None))
    # ten minutes apart by the clock: the "same hour" gain; the day alone says nothing within the day
    assert both_timed > day_alone
    assert day_alone == pytest.approx(undated)
    table = pair_table([timed, view("b", midnight, known=False)], FakeEncoder().encode(["x", "x"]), ClusterParams())
    assert np.isnan(table.gap_hours).all()
    # the day itself still counts: the day alone two days later is two days apart
    later = view("b", midnight + timedelta(days=2), known=False)
    table = pair_table([timed, later], FakeEncoder().encode(["x", "x"]), ClusterParams())
    assert table.gap_hours.tolist() == [48.0]
    assert probability(timed, later) < day_alone


def test_the_next_days_figures_are_not_vetoed_on_a_guessed_time() -> None:
    from clustering.pairs import FEATURES

    def tally(aid: str, when: datetime, figure: str, known: bool) -> ArticleView:
        text = f"شمار مصدومان زلزله کوهبنان به {figure} نفر رسید"
        return ArticleView(aid, tuple(text.split()), when, "irna", title_lemmas=tuple(text.split()), text=text,
                           title=text, time_known=known)

    evening = datetime(2026, 2, 27, 17, 0, tzinfo=UTC)  # 20:30 in Tehran
    next_day = datetime(2026, 2, 27, 20, 30, tzinfo=UTC)  # the start of the next Tehran day
    column = FEATURES.index("figures_next_day")
    for known, vetoed in ((True, True), (False, False)):
        # printed with its time (a day later) it is the next day's tally; printed as the day
        # alone it may be the next morning's update: unknown, so no veto
        pair = [tally("a", evening, "۲۷", True), tally("b", next_day + timedelta(hours=0 if not known else 20),
                                                       "۳۵", known)]
        table = pair_table(pair, FakeEncoder().encode(["x", "x"]), ClusterParams())
        assert bool(table.features[0, column]) is vetoed
    # two days apart, the day alone is enough
    later = tally("b", next_day + timedelta(days=1), "۴۱", False)
    table = pair_table([tally("a", evening, "۲۷", True), later], FakeEncoder().encode(["x", "x"]), ClusterParams())
    assert table.features[0, column] == 1


def test_a_day_alone_is_never_taken_as_the_first_report_of_its_day() -> None:
    from clustering.stories import Member, make_story
    from summarize.representative import first_reporter_best
    from summarize.select import Candidate

    day_start = datetime(2026, 2, 27, 20, 30, tzinfo=UTC)  # 9 Esfand 00:00 in Tehran
    timed = day_start + timedelta(hours=10)
    story = make_story("s1", [Member("a", "borna", day_start, time_known=False), Member("b", "isna", timed)])
    # the timed report leads; the day alone still comes before the next day's reports
    assert story.first_source == "isna" and story.article_ids == ("b", "a")
    later = make_story("s2", [Member("a", "borna", day_start, time_known=False),
                              Member("c", "irna", day_start + timedelta(days=1, hours=1))])
    assert later.first_source == "borna"
    vec = np.ones(4, np.float32)
    candidates = [Candidate("a", 1, "x", "borna", day_start, None, vec, time_known=False),
                  Candidate("b", 1, "y", "isna", timed, None, vec)]
    assert first_reporter_best(candidates, np.array([1.0, 0.5]), np.array([True, True])) == 1
