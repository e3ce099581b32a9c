"""Fuzzing the raw-page parser and the file readers with hypothesis, for a bounded time.

The targets get structured Persian page-like input (page chrome, dates in many forms,
agency datelines, trailing "most viewed" lists, odd line ends) and raw bytes. Whatever
they get, they must not raise, and every article they make must be well-formed: a
non-empty title, only title/lead/body sentences as content, a publication time that is
unknown or aware and plausible. `make test` gives each target a few seconds;
`make fuzz` sets DASTAN_FUZZ_SECONDS=600 (split between the targets).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from ingest import Article, IngestParams, Reject, Role, read_inputs
from ingest.article import build_article
from ingest.pages import parse_page_text
from ingest.sources import load_registry
from tests.test_properties import EARLIEST, LATEST, date_text, persian_text

SECONDS = float(os.environ.get("DASTAN_FUZZ_SECONDS") or 20)
ROUND = 60  # examples per hypothesis round; rounds run, each with its own seed, until time is up

CHROME = ["کد خبر ۷۸۷۴۰۲", "کد ۷۸۷۴۰۲", "فیلم بیشتر »»", "اشتراک گذاری", "لینک کوتاه: https://isna.ir/xdKq3",
          "انتهای پیام/", "برچسب ها: زلزله، کرمان", "نظرات ۱۲", "صفحه اصلی", "ارسال نظر", "نسخه چاپی", "۱۴:۴۴",
          "۰۹:۱۱ - ۱۴۰۰/۰۳/۱۴", "منبع: ایسنا", "خبرنگار: علی رضایی", "کپی لینک"]
LABELS = ["تاریخ انتشار:", "انتشار:", "زمان انتشار:", "منتشر شده در", "به روز شده در:", "تاریخ خبر:", ""]
DATELINES = ["به گزارش ایسنا،", "به گزارش خبرنگار سیاسی خبرگزاری تسنیم،", "به گزارش ایرنا از تهران،",
             "به گزارش خبرگزاری مهر به نقل از اسکای نیوز،", "تهران- ایرنا-", "به نقل از رویترز،", "به گزارش",
             "به گزارش ،", "به گزارش " + "خبرگزاری " * 30 + "،"]
TRAILERS = ["پربیننده ترین", "اخبار مرتبط", "آخرین اخبار", "پیشنهاد سردبیر", "نظرات کاربران", "داغ‌ترین"]
NEWLINES = ["\n", "\r\n", "\r", "\u2028", "\n\n", "\n \n"]


@st.composite
def page_line(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.sampled_from(CHROME))
    if kind == 1:
        return f"{draw(st.sampled_from(LABELS))} {draw(date_text())}"
    if kind == 2:
        return f"{draw(st.sampled_from(DATELINES))} {draw(persian_text())}"
    if kind == 3:
        return draw(st.sampled_from(TRAILERS))
    if kind == 4:
        return draw(st.text(max_size=40))  # any Unicode at all: controls, bidi, surrogates excluded
    if kind == 5:
        return draw(st.sampled_from(["", " ", "\u200c", "\u200f\u202e", "\ufeff", "\t"]))
    if kind == 6:
        return draw(persian_text()) * draw(st.integers(1, 40))  # long lines past the title and lead limits
    return draw(persian_text())


@st.composite
def page(draw: st.DrawFn) -> str:
    lines = draw(st.lists(page_line(), max_size=25))
    out = ""
    for line in lines:
        out += line + draw(st.sampled_from(NEWLINES))
    return out


def check_article(item: Article | Reject) -> None:
    """What every reader must give: a well-formed article, or a reject with its reason."""
    if isinstance(item, Reject):
        assert item.reason and item.detail and item.input_ref
        return
    assert isinstance(item, Article)
    assert item.title.strip(), item
    content = item.content_sentences()
    assert content, item
    assert {s.role for s in content} <= {Role.TITLE, Role.LEAD, Role.BODY}
    assert all(s.text.strip() for s in item.sentences)
    assert [s.position for s in item.sentences] == list(range(len(item.sentences)))
    when = item.published_at
    assert when is None or (when.utcoffset() is not None and when.utcoffset().total_seconds() == 0
                            and EARLIEST <= when < LATEST), when


def run_for(seconds: float, target: Callable[[int], None]) -> int:
    """Run hypothesis rounds of ``target`` until ``seconds`` pass; return how many rounds ran."""
    deadline = time.monotonic() + seconds
    rounds = 0
    while rounds == 0 or time.monotonic() < deadline:
        target(rounds)
        rounds += 1
    return rounds


REGISTRY = load_registry()


def fuzz_page(round_seed: int) -> None:
    @seed(round_seed)
    @settings(max_examples=ROUND, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(page())
    def check(raw: str) -> None:
        draft = parse_page_text(raw, "fuzz.txt", external_id="fuzz")
        assert all(role in Role for role, _ in draft.segments)
        assert draft.published_at is None or EARLIEST <= draft.published_at < LATEST
        check_article(build_article(draft, REGISTRY))

    check()


SUFFIXES = [".txt", ".jsonl", ".json", ".csv", ".html", ".htm", ".xml", ""]


@st.composite
def file_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.binary(max_size=400))
    text = draw(page())
    if kind == 1:  # a page as a Windows tool saves it
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1256"]))
        return text.encode(encoding, errors="replace")
    if kind == 2:  # JSON Lines built from page lines, some broken
        import json

        rows = [json.dumps({"id": str(i), "title": line, "body": text, "published": line}, ensure_ascii=False)
                for i, line in enumerate(text.splitlines()[:5])]
        rows.insert(draw(st.integers(0, len(rows))), draw(st.sampled_from(['{"title": "بی', "[[[[", "null", "{}"])))
        return "\n".join(rows).encode()
    if kind == 3:  # raw text cut at a random byte
        data = text.encode()
        return data[: draw(st.integers(0, len(data)))]
    return draw(st.binary(max_size=50)) + text.encode() + draw(st.binary(max_size=50))


def fuzz_files(round_seed: int) -> None:
    @seed(round_seed)
    @settings(max_examples=ROUND // 2, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(file_bytes(), st.sampled_from(SUFFIXES))
    def check(data: bytes, suffix: str) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"input{suffix}"
            path.write_bytes(data)
            items = list(read_inputs([path], IngestParams()))
        assert items, "every input is accounted for: at least one article or reject"
        for item in items:
            check_article(item)

    check()


def test_fuzz_raw_page_parser() -> None:
    rounds = run_for(SECONDS * 0.6, fuzz_page)
    print(f"parse_page_text: {rounds} rounds of {ROUND} pages")


def test_fuzz_file_readers() -> None:
    rounds = run_for(SECONDS * 0.4, fuzz_files)
    print(f"read_inputs: {rounds} rounds of {ROUND // 2} files")
