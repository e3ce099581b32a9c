"""The reads people run through the command line: stories, one story, timelines, runs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

TEHRAN = ZoneInfo("Asia/Tehran")


def _iso(value: datetime | None, time_known: bool | None = True) -> str | None:
    """A stored time as people read it: ISO 8601 UTC ("2026-02-28T06:30:00Z"), or the Tehran
    calendar day alone ("2026-02-28") when the report printed no time of day (issue 13)."""
    if value is None:
        return None
    if not time_known:
        return value.astimezone(TEHRAN).date().isoformat()
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


# Whether a story's first (last) time is a time of day: some report at that time printed one.
_FIRST_KNOWN = "bool_or(a.published_time_known AND a.published_at = s.first_published)"
_LAST_KNOWN = "bool_or(a.published_time_known AND a.published_at = s.last_published)"


def list_stories(con: Any, limit: int | None = None) -> list[dict[str, Any]]:
    """Stories, most recent first, with sources and their articles' ids."""
    rows = con.execute(
        f"""SELECT s.story_id, s.title, s.keywords, s.thread_id, s.n_articles, s.n_sources,
                  s.first_source, s.first_published, s.last_published,
                  list(coalesce(a.external_id, a.article_id) ORDER BY a.published_at NULLS LAST, a.article_id),
                  list(DISTINCT coalesce(a.source, a.attribution))
                      FILTER (WHERE coalesce(a.source, a.attribution) IS NOT NULL AND a.duplicate_of IS NULL),
                  {_FIRST_KNOWN}, {_LAST_KNOWN}
           FROM stories s JOIN story_articles sa USING (story_id) JOIN articles a USING (article_id)
           GROUP BY ALL
           ORDER BY s.last_published DESC NULLS LAST, s.n_sources DESC, s.story_id
           LIMIT ?""",
        [limit if limit is not None else 2**62],
    ).fetchall()
    out = []
    for sid, title, kw, thread, n, n_src, first_src, first, last, articles, sources, first_known, last_known in rows:
        out.append({
            "story_id": sid,
            "title": title,
            "keywords": list(kw or []),
            "thread_id": thread,
            "sources": sorted(sources or []),
            "n_sources": n_src,
            "n_articles": n,
            "first_source": first_src,
            "first_published": _iso(first, first_known),
            "last_published": _iso(last, last_known),
            "articles": list(articles),
        })
    return out


def story_detail(con: Any, story_id: str) -> dict[str, Any] | None:
    """One story: title, keywords, summary, coverage by source, and its timeline (None if unknown)."""
    found = story_details(con, [story_id])
    return found[0] if found else None


def story_details(con: Any, story_ids: Sequence[str]) -> list[dict[str, Any]]:
    """:func:`story_detail` of many stories in five queries, not five per story, in the order
    given (unknown ids left out): the report reads every story of the database, and one
    story at a time took 15 ms each, 155 s for 10,000 (issue 15)."""
    ids = list(story_ids)
    heads = {r[0]: r for r in con.execute(
        f"""SELECT s.story_id, s.title, s.keywords, s.thread_id, s.n_articles, s.n_sources, s.first_source,
                  s.first_published, s.last_published, {_FIRST_KNOWN}, {_LAST_KNOWN}
           FROM stories s LEFT JOIN story_articles sa USING (story_id) LEFT JOIN articles a USING (article_id)
           WHERE s.story_id IN (SELECT unnest(?)) GROUP BY ALL""", [ids]).fetchall()}
    summary: dict[str, list[dict[str, Any]]] = {}
    for sid, text, source, aid, url, pub, known in con.execute(
            """SELECT m.story_id, m.text, m.source, coalesce(a.external_id, a.article_id), a.url, a.published_at,
                      a.published_time_known
               FROM summaries m JOIN articles a USING (article_id)
               WHERE m.story_id IN (SELECT unnest(?)) ORDER BY m.story_id, m.rank""", [ids]).fetchall():
        summary.setdefault(sid, []).append(
            {"text": text, "source": source, "article_id": aid, "url": url, "published_at": _iso(pub, known)})
    sources: dict[str, list[dict[str, Any]]] = {}
    for sid, src, fr, nr, nc, known in con.execute(
            """SELECT story_id, source, first_report, n_reports, n_copies, first_report_time_known
               FROM story_sources WHERE story_id IN (SELECT unnest(?))
               ORDER BY story_id, first_report NULLS LAST""", [ids]).fetchall():
        sources.setdefault(sid, []).append(
            {"source": src, "first_report": _iso(fr, known), "n_reports": nr, "n_copies": nc})
    timeline: dict[str, list[dict[str, Any]]] = {}
    for sid, pub, src, t, url, aid, ext, attr, dup, known in con.execute(
            """SELECT story_id, published_at, source, title, url, article_id, external_id, attribution, is_duplicate,
                      published_time_known
               FROM story_timeline WHERE story_id IN (SELECT unnest(?))
               ORDER BY story_id, published_at NULLS LAST, article_id""", [ids]).fetchall():
        timeline.setdefault(sid, []).append(
            {"published_at": _iso(pub, known), "source": src, "title": t, "url": url,
             "article_id": ext or aid, "attribution": attr, "is_duplicate": dup})
    notes: dict[str, tuple[dict[str, list[str]], dict[str, list[str]]]] = {}
    for sid, source, kind, text in con.execute(
            """SELECT story_id, source, kind, text FROM source_notes WHERE story_id IN (SELECT unnest(?))
               ORDER BY story_id, source, kind, rank""", [ids]).fetchall():
        sentences, terms = notes.setdefault(sid, ({}, {}))
        (sentences if kind == "sentence" else terms).setdefault(source, []).append(text)
    out = []
    for story_id in ids:
        if story_id not in heads:
            continue
        sid, title, kw, thread, n, n_src, first_src, first, last, first_known, last_known = heads[story_id]
        per_source, per_source_terms = notes.get(sid, ({}, {}))
        out.append({
            "story_id": sid,
            "title": title,
            "keywords": list(kw or []),
            "thread_id": thread,
            "n_articles": n,
            "n_sources": n_src,
            "first_source": first_src,
            "first_published": _iso(first, first_known),
            "last_published": _iso(last, last_known),
            "summary": summary.get(sid, []),
            "sources": sources.get(sid, []),
            "per_source": per_source,
            "per_source_terms": per_source_terms,
            "timeline": timeline.get(sid, []),
        })
    return out


def list_threads(con: Any) -> list[dict[str, Any]]:
    """Threads with their stories in time order."""
    threads = con.execute(
        "SELECT thread_id, title, n_stories, first_published, last_published FROM threads "
        "ORDER BY last_published DESC NULLS LAST, thread_id"
    ).fetchall()
    known: dict[str, tuple[bool, bool]] = {
        sid: (bool(fk), bool(lk)) for sid, fk, lk in con.execute(
            f"""SELECT s.story_id, {_FIRST_KNOWN}, {_LAST_KNOWN}
                FROM stories s JOIN story_articles sa USING (story_id) JOIN articles a USING (article_id)
                WHERE s.thread_id IS NOT NULL GROUP BY s.story_id""").fetchall()}
    out = []
    for tid, title, n, first, last in threads:
        rows = con.execute(
            "SELECT story_id, title, first_published, last_published, n_articles, n_sources "
            "FROM thread_timeline WHERE thread_id = ?",
            [tid],
        ).fetchall()
        stories = [
            {"story_id": sid, "title": t, "first_published": _iso(fp, known.get(sid, (True, True))[0]),
             "n_articles": na, "n_sources": ns}
            for sid, t, fp, _lp, na, ns in rows
        ]
        # the thread's first (last) time is its stories' first (last): known when one of those is
        first_known = any(known.get(sid, (True, True))[0] for sid, _t, fp, *_ in rows if fp == first)
        last_known = any(known.get(sid, (True, True))[1] for sid, _t, _fp, lp, *_ in rows if lp == last)
        out.append({"thread_id": tid, "title": title, "n_stories": n, "first_published": _iso(first, first_known),
                    "last_published": _iso(last, last_known), "stories": stories})
    return out


def summary_material(con: Any) -> list[dict[str, Any]]:
    """Per story: its summary picks and its members' sentences (for scoring summaries)."""
    picks: dict[str, list[dict[str, Any]]] = {}
    for sid, aid, pos, text, source, role in con.execute(
        """SELECT m.story_id, m.article_id, m.position, m.text, m.source, s.role
           FROM summaries m JOIN sentences s ON s.article_id = m.article_id AND s.position = m.position
           ORDER BY m.story_id, m.rank"""
    ).fetchall():
        picks.setdefault(sid, []).append({"article_id": aid, "position": pos, "text": text,
                                          "source": source, "role": role})
    members: dict[str, list[dict[str, Any]]] = {}
    for sid, aid, source, pub, pos, text, role, copy_of in con.execute(
        """SELECT sa.story_id, a.article_id, coalesce(a.source, a.attribution), a.published_at,
                  s.position, s.text, s.role, s.copy_of
           FROM story_articles sa JOIN articles a USING (article_id) JOIN sentences s USING (article_id)
           WHERE a.duplicate_of IS NULL
           ORDER BY sa.story_id, a.published_at NULLS LAST, a.article_id, s.position"""
    ).fetchall():
        members.setdefault(sid, []).append({"article_id": aid, "source": source, "published_at": pub,
                                            "position": pos, "text": text, "role": role, "copy_of": copy_of})
    return [{"story_id": sid, "picks": picks.get(sid, []), "sentences": sents} for sid, sents in members.items()]


def list_articles(con: Any, with_sentences: bool = False, limit: int | None = None) -> list[dict[str, Any]]:
    """Ingested articles, newest first, with their fields (and sentences in order)."""
    rows = con.execute(
        """SELECT a.article_id, a.external_id, a.source, a.attribution, a.cited, a.title, a.lead,
                  a.published_at, a.published_time_known, a.published_text, a.url, a.duplicate_of, a.input_ref,
                  (SELECT count(*) FROM sentences s WHERE s.article_id = a.article_id
                     AND s.role <> 'boilerplate' AND s.copy_of IS NULL) AS n_sentences
           FROM articles a
           ORDER BY a.published_at DESC NULLS LAST, a.article_id
           LIMIT ?""",
        [limit if limit is not None else 2**62],
    ).fetchall()
    out = []
    for aid, ext, src, attr, cited, title, lead, pub, known, pub_text, url, dup, ref, n in rows:
        out.append({"article_id": aid, "id": ext, "source": src, "attribution": attr, "cited": list(cited or []),
                    "title": title, "lead": lead, "published_at": _iso(pub, known), "published_text": pub_text,
                    "url": url, "n_sentences": n, "duplicate_of": dup, "input": ref})
    if with_sentences and out:
        sentences: dict[str, list[dict[str, Any]]] = {}
        for aid, text, role, copy_of in con.execute(
            """SELECT article_id, text, role, copy_of FROM sentences
               WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id, position""",
            [[a["article_id"] for a in out]],
        ).fetchall():
            sentences.setdefault(aid, []).append({"text": text, "role": role, "copy_of": copy_of})
        for a in out:
            a["sentences"] = sentences.get(a["article_id"], [])
    return out


def article_titles(con: Any) -> dict[str, str]:
    """Each article's id as its input gave it (``external_id``, else dastan's) -> its title, as
    ingested."""
    rows = con.execute("SELECT coalesce(external_id, article_id), title FROM articles").fetchall()
    return {str(i): t or "" for i, t in rows}


def list_rejects(con: Any, limit: int | None = None) -> list[dict[str, Any]]:
    """Inputs that did not become articles, newest first, with reason and detail."""
    rows = con.execute(
        "SELECT input_ref, reason, detail, run_id, rejected_at FROM rejects ORDER BY rejected_at DESC LIMIT ?",
        [limit if limit is not None else 2**62],
    ).fetchall()
    return [{"input": ref, "reason": reason, "detail": detail, "run_id": run, "rejected_at": _iso(at)}
            for ref, reason, detail, run, at in rows]


class SqlError(Exception):
    """A query people typed failed; the message is DuckDB's."""


def run_sql(con: Any, sql: str, limit: int | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run a query on a read-only connection; a write is refused with a clear message."""
    import duckdb

    from storage.db import ReadOnlyViolation

    # A read-only database still lets COPY ... TO write any file, and read_text read one
    # (found by tests/test_output_safety.py): a query gets the database and nothing else.
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchmany(limit) if limit is not None else cur.fetchall()
    except duckdb.Error as err:
        message = str(err)
        if "read-only" in message or "read only" in message or "disabled by configuration" in message:
            raise ReadOnlyViolation(
                "dastan sql opens the database read-only: it answers queries but never changes data "
                f"or touches files ({message.splitlines()[0]})"
            ) from err
        raise SqlError(str(err).splitlines()[0]) from err
    return columns, rows
