"""What a run shows people: the HTML report, and the Prefect artifacts in the UI."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flows.settings import Settings
from storage import Database
from storage.queries import list_stories, list_threads, story_details

log = logging.getLogger(__name__)
ARTIFACT_ROWS = 50  # stories in the Prefect artifacts; the report has them all

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~"})


def md_escape(text: object) -> str:
    """Text made inert in Markdown: no links, images, HTML or table breaks from article text."""
    # any line end (\n, \r, U+2028) would end a table row early
    return " ".join(str("" if text is None else text).splitlines()).translate(_MD_SPECIAL)


def report_data(db: Database) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every story in detail, and the threads, read in one read-only connection."""
    with db.connect(read_only=not db.is_memory) as con:
        stories = story_details(con, [s["story_id"] for s in list_stories(con)])
        threads = list_threads(con)
    return stories, threads


def source_names() -> dict[str, str]:
    from ingest.sources import load_registry

    return {s.key: s.name for s in load_registry().sources}


def report_path(settings: Settings) -> Path | None:
    """Where a run writes its report: ``flow.report``, a relative path taken from the
    database's folder, so each database's report sits beside it (``--db /elsewhere.duckdb``
    never overwrites ``data/report.html``, the default database's). None: no report."""
    if not settings.flow.report:
        return None
    path = Path(settings.flow.report).expanduser()
    if path.is_absolute():
        return path
    if settings.db == ":memory:":
        return Path.cwd() / path
    return Path(settings.db).expanduser().resolve().parent / path


def own_files(settings: Settings, db_path: str | None = None) -> list[Path]:
    """What a run writes, which a directory walk over its inputs passes over (a database
    kept in the folder it reads: ``dastan run docs --db docs/news.duckdb``): the database,
    DuckDB's write-ahead log and spill folder, the run lock, the report, the built models.
    Each changes with every run, so as inputs they were rejected again on every run, and
    the report was read as a news page on the second."""
    out: list[Path] = [Path(settings.embed.models_dir)]
    for db in {settings.db, db_path or settings.db}:
        if db != ":memory:":
            base = Path(db).expanduser()
            out += [base, *(base.with_name(base.name + suffix) for suffix in (".wal", ".lock", ".tmp"))]
    report = report_path(settings)
    if report is not None:
        out += [report, report.with_name(report.name + ".tmp")]
    return out


def project_files(settings: Settings) -> dict[Path, str]:
    """The project's own data, which a directory walk over its inputs passes over and names
    (``dastan run data`` read the gazetteer as a news page and the sample labels as records):
    what each path is."""
    from clustering.build_gazetteer import SOURCES
    from clustering.places import GAZETTEER
    from flows.settings import ROOT
    from ingest.sources import DEFAULT_REGISTRY

    return {
        Path(settings.ingest.registry or DEFAULT_REGISTRY): "the source registry",
        DEFAULT_REGISTRY: "the source registry",
        GAZETTEER: "the place gazetteer",
        SOURCES: "the gazetteer's sources",
        ROOT / "data" / "sample_labels.jsonl": "the sample corpus's labels",
    }


class ReportError(Exception):
    """The HTML report cannot be written where it was asked for."""


def check_report_path(out: Path) -> None:
    """Raise :class:`ReportError` when the report cannot be written at ``out``: a run checks
    it before it starts, and :func:`write_report` again when it writes."""
    from flows.checks import nearest_existing

    if out.is_dir():
        raise ReportError(f"the report path {out} is a directory; give a file name (e.g. {out / 'report.html'})")
    folder = nearest_existing(out)
    if not folder.is_dir():
        raise ReportError(f"cannot write the report {out}: {folder} is not a directory")


def write_report(db: Database, out: Path) -> Path:
    """Render the HTML report of the whole database to ``out``."""
    from summarize.report import render_report

    check_report_path(out)
    stories, threads = report_data(db)
    tmp = out.with_name(out.name + ".tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(render_report(stories, threads, source_names()), encoding="utf-8")
        tmp.replace(out)  # readers never see a half-written report
    except OSError as err:
        tmp.unlink(missing_ok=True)  # no stray report.html.tmp beside it
        raise ReportError(f"cannot write the report {out}: {err.strerror or err}") from err
    return out


def story_table(db: Database, limit: int = ARTIFACT_ROWS) -> list[dict[str, Any]]:
    with db.connect(read_only=not db.is_memory) as con:
        return list_stories(con, limit)


def markdown_summary(stories: list[dict[str, Any]], counts: dict[str, Any], report: str | None) -> str:
    """The run's Markdown artifact: counts, the story table, a link to the report."""
    lines = ["# dastan run", ""]
    lines.append(
        f"ingested **{counts.get('ingested', 0)}**, "
        f"duplicates **{counts.get('duplicates', 0) + counts.get('near_duplicates', 0)}**, "
        f"rejected **{counts.get('rejected_total', 0)}**, stories new **{counts.get('stories_new', 0)}** / "
        f"updated **{counts.get('stories_updated', 0)}**"
    )
    if passed := counts.get("passed_over"):
        named = "; ".join(f"{p['path']} ({p['detail']})" for p in passed[:ARTIFACT_ROWS])
        more = f" and {len(passed) - ARTIFACT_ROWS} more" if len(passed) > ARTIFACT_ROWS else ""
        lines += ["", f"passed over (not news inputs): {md_escape(named)}{more}"]
    if report:
        lines += ["", f"HTML report: `{md_escape(report)}`"]
    lines += ["", "| story | title | sources | reports | first seen |", "|---|---|---|---|---|"]
    for s in stories:
        lines.append(f"| {md_escape(s['story_id'])} | {md_escape(s['title'])} | {md_escape('، '.join(s['sources']))} "
                     f"| {s['n_articles']} | {md_escape(s['first_published'] or '')} |")
    return "\n".join(lines) + "\n"


def publish(db: Database, settings: Settings, counts: dict[str, Any]) -> str | None:
    """Write the report and, inside a Prefect run, its Markdown and table artifacts."""
    report: str | None = None
    out = report_path(settings)
    if out is not None:
        report = str(write_report(db, out).resolve())
    stories = story_table(db)
    try:
        from prefect.artifacts import create_markdown_artifact, create_table_artifact
        from prefect.context import get_run_context

        get_run_context()
    except (ImportError, RuntimeError):
        return report  # not inside a flow run: no artifacts to publish
    create_markdown_artifact(markdown_summary(stories, counts, report), key="dastan-stories",
                             description="Stories of the last run")
    create_table_artifact(
        [{"story_id": s["story_id"], "title": s["title"], "sources": ", ".join(s["sources"]),
          "reports": s["n_articles"], "first_seen": s["first_published"]} for s in stories],
        key="dastan-story-table", description="Stories (most recent first)",
    )
    return report
