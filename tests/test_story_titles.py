"""A story's title carries the facts its reports share (issue 13: the sample corpus's flu
story was titled with Borna's headline, which lacks the «H3N2» that ISNA's headline and
IRNA's report give).

The reports go through ingestion and the summarizer as in a run; vectors come from the
fake encoder, so what decides here is the choice of headline, not the model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from clustering.stories import Member, make_story
from flows.summaries import summarize_stories
from flows.window import embedded_sentences
from ingest import Article, IngestParams, read_inputs
from ingest.models import content_hash
from storage import Database
from storage.articles import load_articles, upsert_articles
from summarize.params import SummaryParams
from summarize.title import best_headline, confirmed_facts, hard_facts
from tests.conftest import SAMPLES, FakeEncoder


def story_text(records: list[dict], tmp_path: Path) -> tuple[str, list[str]]:
    """The title and summary sentences of one story made of ``records`` (JSON Lines items)."""
    path = tmp_path / "story.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    articles = [a for a in read_inputs([path], IngestParams()) if isinstance(a, Article)]
    assert len(articles) == len(records)
    db = Database(":memory:")
    with db.transaction() as con:
        upsert_articles(con, articles, "r")
    with db.connect() as con:
        stored = load_articles(con)
    params = SummaryParams()
    texts = [s.text for a in stored for s in embedded_sentences(a, params)]
    vectors = dict(zip((content_hash(t) for t in texts), FakeEncoder().encode(texts), strict=True))
    story = make_story("s1", [Member(a.article_id, a.source, a.published_at) for a in stored])
    (text,), rows, _notes = summarize_stories([story], {a.article_id: a for a in stored}, vectors, params)
    return text.title, [r.text for r in rows]


def test_the_flu_story_reads_h3n2_in_its_title_and_summary(tmp_path: Path) -> None:
    lines = (SAMPLES / "agencies.jsonl").read_text(encoding="utf-8").splitlines()
    flu = [json.loads(line) for line in lines if json.loads(line)["id"] in ("isna-0147", "borna-0148", "irna-0149")]
    title, summary = story_text(flu, tmp_path)
    assert "H3N2" in title
    assert any("H3N2" in s for s in summary)


def test_a_code_two_of_three_headlines_give_is_in_the_title(tmp_path: Path) -> None:
    # An invented story: the first headline, also the most central one (it shares words with
    # both others), names no aircraft; the two later ones name «F-35», and confirm each other.
    records = [
        {"id": "t1", "source": "tasnim", "published": "2026-02-28T09:00:00+03:30",
         "title": "اسرائیل سه فروند جنگنده جدید به پایگاه نواتیم تحویل گرفت",
         "body": "به گزارش تسنیم، رژیم صهیونیستی امروز سه فروند جنگنده جدید آمریکایی تحویل گرفت."},
        {"id": "i2", "source": "isna", "published": "2026-02-28T10:00:00+03:30",
         "title": "سه جنگنده F-35 جدید به اسرائیل رسید",
         "body": "به گزارش ایسنا، سه فروند جنگنده F-35 امروز در پایگاه نواتیم به زمین نشستند."},
        {"id": "m3", "source": "mehr", "published": "2026-02-28T11:00:00+03:30",
         "title": "ورود سه فروند F-35 دیگر به پایگاه نواتیم",
         "body": "به گزارش مهر، با تحویل سه جنگنده F-35 دیگر شمار این جنگنده‌ها در اسرائیل افزایش یافت."},
    ]
    title, summary = story_text(records, tmp_path)
    assert "F-35" in title
    assert any("F-35" in s for s in summary)


def test_hard_facts_are_latin_codes_and_figures() -> None:
    assert hard_facts("آنفلوآنزای H3N2 و COVID-19 و ۳۰ درصد افزایش") == {"h3n2", "covid-19", "30 percent"}
    assert hard_facts("افزایش مراجعه بیماران آنفلوآنزا") == frozenset()


def test_a_fact_only_its_own_report_gives_does_not_decide_the_title() -> None:
    heads = ["عنوان اول بدون رمز", "عنوان دوم با X-1", "عنوان سوم"]
    reports = [heads[0], heads[1] + " و باز X-1", heads[2]]
    assert confirmed_facts(heads, reports) == [0, 0, 0]
    vecs = np.stack([np.array([1, 0.1], np.float32), np.array([0, 1], np.float32), np.array([1, 0], np.float32)])
    # nothing confirmed: the most central headline, as before
    assert best_headline(heads, vecs, reports) == best_headline(heads, vecs)
    reports[2] += " X-1"  # a second report confirms it
    assert best_headline(heads, vecs, reports) == "عنوان دوم با X-1"
