"""Nothing injected: user strings never become SQL, and article text never becomes markup.

SQL: `dastan sql` refuses every write (and every file access) with a clear message and
changes nothing; ids given to `dastan show` and `dastan timeline` are parameters, never
SQL. Output: the Markdown artifact and the HTML report render hostile article text as
text, checked with a real Markdown renderer and an HTML parser over hypothesis input.
(tests/test_report_browser.py loads a hostile report in Chromium.)
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from flows.publish import markdown_summary, md_escape
from storage import Database
from summarize.report import render_report
from summarize.report_assets import SCRIPT
from tests.conftest import ROOT

DASTAN = [sys.executable, "-m", "flows.cli"]
TABLES = ["articles", "sentences", "stories", "story_articles", "summaries", "threads", "runs", "rejects",
          "source_notes", "embeddings"]


@pytest.fixture(scope="module")
def db(demo, tmp_path_factory) -> Path:
    """A copy of the sample database (the real pipeline's output)."""
    src, _first, _second = demo
    path = tmp_path_factory.mktemp("safety") / "safety.duckdb"
    shutil.copy(src, path)
    return path


def fingerprint(path: Path) -> dict[str, object]:
    """Row counts of every table and a hash of the stories: what a write would change."""
    with Database(str(path)).connect(read_only=True) as con:
        out: dict[str, object] = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}
        rows = con.execute("SELECT * FROM stories ORDER BY story_id").fetchall()
        views = {v for (v,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    out["stories_hash"] = hashlib.sha256(repr(rows).encode()).hexdigest()
    out["views"] = sorted(views)
    return out


def dastan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DASTAN, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


WRITES = [
    "DELETE FROM stories",
    "INSERT INTO stories (story_id, n_articles, n_sources) VALUES ('s-evil', 1, 1)",
    "DROP TABLE stories",
    "UPDATE stories SET title = 'pwned'",
    "DROP VIEW story_timeline",
    "CREATE TABLE evil AS SELECT * FROM stories",
    "SELECT 1; DELETE FROM summaries",
    "ALTER TABLE stories RENAME TO gone",
]


@pytest.mark.slow
@pytest.mark.parametrize("statement", WRITES)
def test_sql_refuses_writes_with_a_clear_message_and_changes_nothing(db: Path, statement: str) -> None:
    before = fingerprint(db)
    result = dastan("sql", statement, "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.startswith("dastan: ") and "read-only" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint(db) == before


@pytest.mark.slow
def test_sql_cannot_write_or_read_files_either(db: Path, tmp_path: Path) -> None:
    """A read-only database still ran COPY ... TO and read_text() until external access was off."""
    leak = tmp_path / "leak.csv"
    for statement in (f"COPY stories TO '{leak}'", "SELECT * FROM read_text('/etc/hostname')",
                      f"COPY (SELECT 1) TO '{tmp_path / 'x.parquet'}' (FORMAT parquet)"):
        result = dastan("sql", statement, "--db", str(db))
        assert result.returncode == 1 and result.stderr.startswith("dastan: "), (statement, result.stderr)
        assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_sql_still_answers_queries(db: Path) -> None:
    result = dastan("sql", "SELECT count(*) AS n FROM story_timeline", "--json", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert int(re.search(r'"n": (\d+)', result.stdout).group(1)) > 0


INJECTIONS = ["x' OR '1'='1", "'; DROP TABLE stories; --", "%", "' UNION SELECT * FROM runs --"]


@pytest.mark.slow
@pytest.mark.parametrize("story_id", INJECTIONS)
def test_show_and_timeline_take_ids_as_data_not_sql(db: Path, story_id: str) -> None:
    before = fingerprint(db)
    for args in (["show", story_id], ["timeline", story_id], ["timeline", "--thread", story_id],
                 ["show", story_id, "--json"]):
        result = dastan(*args, "--db", str(db))
        assert result.returncode == 1, (args, result.stdout)
        assert re.match(r"dastan: no (story|thread) ", result.stderr), result.stderr
        assert result.stdout == "" and "Traceback" not in result.stderr
    assert fingerprint(db) == before


# --- Markdown artifact ----------------------------------------------------------------------

MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")
TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "p", "h1", "code", "strong"}
HOSTILE_BITS = ["[x](javascript:alert(1))", "![i](http://e.example/x.png)", "<script>alert(1)</script>",
                "<img src=x onerror=alert(1)>", "|", "\\|", "\n", "`", "**", "_", "<http://evil.example>",
                "http://evil.example", "&lt;script&gt;", "&#124;", "\\", "---", "#", "> ", "    ", "~~",
                "[a]: http://x", "[a]", "<!-- c -->", "<", ">", '"', "'", "&", "\x00", "\u2028", " ", "زلزله", "«»"]
hostile = st.one_of(st.lists(st.sampled_from(HOSTILE_BITS), max_size=12).map("".join), st.text(max_size=40))


def rendered_rows(markdown: str) -> tuple[set[str], list[int]]:
    """The tags a Markdown renderer makes of it, and the cell count of each table row."""
    html = MD.render(markdown)
    tags = set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", html))
    return tags, [len(re.findall(r"<t[dh][ >]", row)) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)]


def story_row(title: str, source: str) -> dict:
    return {"story_id": "s1", "title": title, "sources": [source, "isna"], "n_articles": 3,
            "first_published": "2025-11-19T02:50:00Z"}


@settings(deadline=None, max_examples=300)
@given(hostile.map(lambda s: s.replace("\r", "")), hostile.map(lambda s: s.replace("\r", "")))
@example("[click](javascript:alert(1)) <script>x</script> | ![i](http://e/x.png)", "a|b")
def test_markdown_artifact_renders_article_text_as_text(title: str, source: str) -> None:
    markdown = markdown_summary([story_row(title, source), story_row("دومی", "mehr")],
                                {"ingested": 2}, "/tmp/report.html")
    tags, cells = rendered_rows(markdown)
    assert tags <= TABLE_TAGS, tags  # no <a>, <img>, <script> or any HTML from the text
    assert cells == [5, 5, 5]  # the header and two story rows, five cells each: no pipe broke out


@pytest.mark.parametrize("source", ["isna\r| fake row", "a\r\nb"])
def test_markdown_artifact_rows_survive_carriage_returns(source: str) -> None:
    _tags, cells = rendered_rows(markdown_summary([story_row("عنوان", source)], {}, None))
    assert cells == [5, 5]


def test_md_escape_leaves_no_live_markdown() -> None:
    text = md_escape("[a](http://x) ![b](y) <i>c</i> `d` *e* _f_ | g # h")
    assert "<" not in MD.renderInline(text)  # no tag at all: every bracket is shown as text


# --- HTML report -----------------------------------------------------------------------------

ALLOWED_ELEMENTS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "div", "span", "main",
                    "nav", "h3", "ol", "li", "a", "section", "h2", "ul", "svg", "line", "circle", "table", "tr",
                    "th", "td",
                    # issue 14: threads and days open and close, a search box and a source filter, and
                    # the page's own script (checked below to be the one script, unchanged)
                    "details", "summary", "label", "input", "select", "option", "script"}


class Elements(HTMLParser):
    """Every element, attribute and link target of a page, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "script":
            self.scripts.append("")
            self._in_script = True
        for name, value in attrs:
            self.attrs.add(name)
            if name in ("href", "src"):
                self.hrefs.append(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
            return
        self.text.append(data)


URLS = st.sampled_from(["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>",
                        '" onmouseover="alert(1)', "https://www.isna.ir/news/1?a=1&b=<x>", "//evil.example/x",
                        "vbscript:x", "http://ok.example/\" onclick=\"x", None])


@pytest.fixture(scope="module")
def report_input(db: Path) -> tuple[list[dict], list[dict]]:
    from flows.publish import report_data

    return report_data(Database(str(db)))


@pytest.mark.slow
@settings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=hostile, text=hostile, source=hostile, url=URLS)
def test_html_report_shows_hostile_text_as_text_and_links_only_http(report_input, title: str, text: str,
                                                                    source: str, url: str | None) -> None:
    stories, threads = report_input
    story = dict(stories[0])
    story.update(title=title, keywords=[text], summary=[{"text": text, "source": source, "url": url,
                                                         "article_id": "a", "published_at": None}],
                 per_source={source: [text]}, per_source_terms={source: [title]},
                 timeline=[{**t, "title": title, "url": url, "source": source} for t in story["timeline"]])
    page = Elements()
    page.feed(render_report([story, *stories[1:]], threads, {source: text}))
    assert page.tags <= ALLOWED_ELEMENTS, page.tags - ALLOWED_ELEMENTS
    assert page.scripts == [SCRIPT]  # the page's own script, once: nothing from the text became one
    assert not {a for a in page.attrs if a.startswith("on")}
    assert all(h.startswith(("#", "http://", "https://")) for h in page.hrefs), page.hrefs
    assert title.strip() in "".join(page.text)
