"""A run with nothing new to do, decided before anything heavy starts.

Most runs over a directory of saved files find every file already read. Such a run has
nothing to ingest, nothing to embed and nothing to cluster, so it needs neither the
embedding model (torch) nor Prefect (its temporary API server takes seconds to start): it
checks what the database already holds, records the run, and says so. Everything here is
cheap to import: the standard library, DuckDB through ``storage``, and the file readers'
directory walk.

What "nothing new" means is exactly what the full run would find: every input file was
read before (same bytes, same ingest settings), no stored article is outside a story, every
sentence the window's stories and summaries read has a vector for this machine's model and
backend, and the window's stories were made with the clustering, thread and summary
settings of this run. When any of that fails, or cannot be told without torch (a machine that
has not probed the backends yet), the full run goes ahead; the same look tells it whether it
will embed anything (an input not read before, a stored sentence without its vector), so
that a run with work but nothing to embed does not load the model.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.settings import Settings
from storage import Database, DatabaseBusy, run_lock

log = logging.getLogger(__name__)


def file_fingerprint(path: Path, params: Any) -> str:
    """The file's bytes and the ingest settings that read them: the same pair reads the same."""
    h = hashlib.sha256(repr(params).encode())
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def input_fingerprints(inputs: Sequence[str], settings: Settings,
                       passed: list[dict[str, str]] | None = None) -> list[str] | None:
    """Fingerprints of every input file; None when an input is missing (the full run records it).

    ``passed`` gets what the walk passed over (not news inputs), which the run still names."""
    from flows.publish import own_files, project_files
    from ingest.readers import PassedOver, iter_files

    prints = []
    for f in iter_files(inputs, skip=own_files(settings), project=project_files(settings)):
        if isinstance(f, PassedOver):
            if passed is not None:
                passed.append(f.as_dict())
            continue
        if not isinstance(f, Path):
            return None
        prints.append(file_fingerprint(f, settings.ingest))
    return prints


def what_else_is_new(con: Any, settings: Settings) -> str | None:
    """Work of a full run that needs no new vector (one reason), or None."""
    loose = con.execute("""SELECT count(*) FROM articles a LEFT JOIN story_articles sa USING (article_id)
                           WHERE sa.story_id IS NULL""").fetchone()[0]
    if loose:
        return f"{loose} stored article(s) in no story yet"
    if con.execute("SELECT count(*) FROM pending_copies").fetchone()[0]:
        return "wire copies found by an unfinished run"
    changed = changed_story_settings(con, settings)
    if changed:
        return f"the {' and '.join(changed)} settings differ from those the stories were made with"
    return None


def what_needs_vectors(con: Any, prints: Sequence[str], model_id: str, settings: Settings) -> str | None:
    """Why the full run will embed texts (one reason), or None when every text it can read
    has its vector: its inputs were all read before, and no stored sentence lacks one."""
    from storage.embeddings import missing_vectors
    from storage.files import known_fingerprints
    from storage.schema import CURRENT_VERSION, current_version

    if current_version(con) != CURRENT_VERSION:
        return "the database needs a migration"
    unread = len(set(prints) - known_fingerprints(con, list(set(prints))))
    if unread:
        return f"{unread} input file(s) not read before"
    if missing_vectors(con, model_id, settings.summary.candidates_per_article, limit=1):
        return f"sentences without a {model_id} vector"
    return None


# The settings a window's stories, threads and summaries follow (each stored story names the
# run that wrote it, whose params hold them): a rerun with other values redoes them.
STORY_SETTINGS = ("cluster", "threads", "summary")


def changed_story_settings(con: Any, settings: Settings) -> list[str]:
    """The sections of STORY_SETTINGS whose values differ from those of the runs that wrote the
    window's stories (a story written by a run of unknown settings counts as differing)."""
    import json

    from flows.settings import settings_dict

    now = json.loads(json.dumps({k: settings_dict(settings)[k] for k in STORY_SETTINGS}))
    changed: set[str] = set()
    for (params,) in con.execute("""SELECT DISTINCT r.params FROM stories s LEFT JOIN runs r ON r.run_id = s.updated_run
                                    WHERE NOT s.frozen""").fetchall():
        then = json.loads(params) if params else {}
        changed.update(k for k in STORY_SETTINGS if then.get(k) != now[k])
    return [k for k in STORY_SETTINGS if k in changed]


@dataclass
class Look:
    """What a look at the database before a run found.

    ``counts``: the finished run's counts when there was nothing new, else None.
    ``embeds``: whether the full run will embed texts (True also when that cannot be told:
    no database yet, another run holds it, an input is missing). A run that will not
    embed (a rerun after a run killed once its vectors were stored, or one whose settings
    of clustering changed) need not load the model.
    """

    counts: dict[str, Any] | None
    embeds: bool = True


def look_before_run(settings: Settings, inputs: Sequence[str], kind: str = "pipeline") -> Look:
    """Record a finished run when ``inputs`` hold nothing new, and tell whether a full run embeds.

    Holds the run lock while it looks, so what it finds cannot change under it. When a run
    holds the lock, the full run goes ahead: it waits for that run and says for which.
    """
    from clustering.embed import known_encoder_id

    db = Database(settings.db)
    if db.is_memory or not db.exists():
        return Look(None)
    passed: list[dict[str, str]] = []
    prints = input_fingerprints(inputs, settings, passed)
    model_id = known_encoder_id(settings.embed)
    if prints is None or model_id is None:
        return Look(None)
    run_id = uuid.uuid4().hex[:12]
    try:
        counts, last_change, embeds = _decide(db, run_id, prints, model_id, settings, kind, passed)
    except DatabaseBusy:
        return Look(None)
    if counts is None:
        return Look(None, embeds)
    from flows.publish import report_path

    # the same place a full run writes it: beside the database (a relative flow.report is
    # taken from the database's folder, not the working directory)
    out = report_path(settings)
    if out is not None:
        from flows.publish import ReportError

        try:
            counts["report"] = _current_report(db, out, last_change)
        except ReportError as err:  # the run is recorded: say why its report is missing
            counts["report_error"] = str(err)
    return Look(counts, embeds=False)


def _decide(db: Database, run_id: str, prints: Sequence[str], model_id: str, settings: Settings,
            kind: str, passed: list[dict[str, str]]) -> tuple[dict[str, Any] | None, Any, bool]:
    """Under the run lock (never waiting for it): the finished run's counts, or None, the last
    change of stories, and whether a full run will embed."""
    with run_lock(db, run_id, wait=False):
        with db.connect(read_only=True) as con:
            to_embed = what_needs_vectors(con, prints, model_id, settings)
            reason = to_embed or what_else_is_new(con, settings)
            if reason is not None:
                log.info("a full run: %s", reason)
                return None, None, to_embed is not None
            stories = int(con.execute("SELECT count(*) FROM stories").fetchone()[0])
            # the last run that may have changed stories or summaries (the report shows them)
            last_change = con.execute(
                """SELECT max(finished_at) FROM runs WHERE status IN ('completed', 'partial')
                   AND json_extract_string(counts, '$.nothing_new') IS NULL""").fetchone()[0]
        counts: dict[str, Any] = {
            "run_id": run_id, "read": 0, "ingested": 0, "existing": 0, "duplicates": 0, "near_duplicates": 0,
            "rejected": {}, "rejected_total": 0, "unchanged_files": len(prints), "passed_over": passed,
            "embedded": 0, "model": model_id,
            "stories": stories, "stories_new": 0, "stories_updated": 0, "nothing_new": True, "status": "completed",
        }
        _record(db, run_id, kind, settings, counts)
    return counts, last_change, False


def _record(db: Database, run_id: str, kind: str, settings: Settings, counts: dict[str, Any]) -> None:
    from flows.settings import settings_dict
    from storage.runs import COMPLETED, finish_run, start_run

    with db.transaction() as con:
        stale = start_run(con, run_id, kind, settings_dict(settings), settings.embed.model)
        finish_run(con, run_id, COMPLETED, {k: v for k, v in counts.items() if k != "status"})
    if stale:
        log.warning("%d earlier run(s) ended without finishing; marked incomplete", stale)


def _current_report(db: Database, out: Path, last_change: Any) -> str:
    """The report's path, written again only when the file is missing or older than the last
    run that changed stories (otherwise it already shows the database's stories)."""
    if out.exists() and last_change is not None and out.stat().st_mtime >= last_change.timestamp():
        return str(out)
    from flows.publish import write_report

    return str(write_report(db, out))
