"""`make soak`: 50 incremental runs with injected faults end where a fault-free run ends.

A corpus of about 500 reports over 30 days is generated at run time (seeded) from
data/samples: every sample report comes back every three days with its own id, URL and
time, its numbers changed and a paragraph dropped, as follow-ups do. It is fed to the
pipeline (:func:`flows.stages.run_stages`) in 50 increments, one fifth of each through an
RSS feed served over HTTP (tests/http_fixtures.py), the rest as JSON Lines files.

The faulty pass injects, at fixed increments: a feed that answers 500 twice and recovers
within the poll's retries; a feed down (500 on every attempt) for three increments, whose
reports then arrive late; corrupt files (random bytes, broken JSON Lines, a JSON bomb);
and a run killed with SIGKILL inside its final write transaction (a child process stopped
at the "stories" checkpoint), then run again. The fault-free pass feeds the same corpus in
the same increments. Both databases must hold the same stories (ids and members), threads
and summaries; the faulty one also the rejects and the incomplete run. Prints what it
checked; exits 1 on a mismatch. Run: ``python -m benchmarks.soak`` (a few minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
INCREMENTS = 50
COPIES = 10  # each sample report, ten times, three days apart: 500 reports over 30 days
FEED_SHARE = 5  # every fifth report of an increment comes through the feed
# Faults, by increment (0-based)
FLAKY_FEED = 7  # 500 twice, then the feed: the poll's retries recover within the run
FEED_DOWN = (18, 19, 20)  # 500 on every attempt: those reports arrive at increment 21
CORRUPT = 26  # random bytes, broken JSON Lines and a JSON bomb beside the increment's file
KILLED = 34  # SIGKILL inside the final transaction, then the same increment again
FEED_WINDOW = 4  # the feed lists the reports of its last four increments, as agency feeds do
KILL_TIMEOUT = 600  # seconds for the child to reach its checkpoint
_DIGITS = re.compile(r"[۰-۹]+")
_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


# --- the corpus -------------------------------------------------------------------------------


def generate_corpus(seed: int) -> list[dict[str, Any]]:
    """The sample reports, each in ``COPIES`` versions three days apart, sorted by time."""
    rng = random.Random(seed)
    base = [json.loads(line) for line in (SAMPLES / "agencies.jsonl").read_text(encoding="utf-8").splitlines()]
    out = []
    for copy in range(COPIES):
        for record in base:
            r = dict(record)
            when = datetime.fromisoformat(record["published"]) + timedelta(days=3 * copy,
                                                                           minutes=rng.randrange(-90, 90))
            r["id"] = f"{record['id']}-w{copy}"
            r["url"] = f"{record['url']}?w={copy}"
            r["published"] = when.isoformat()
            if copy:
                # a follow-up: new figures, one paragraph fewer
                def figure(m: re.Match[str]) -> str:
                    return str(int(m.group(0).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
                               + rng.randint(1, 9)).translate(_PERSIAN)

                lines = record["body"].split("\n")
                if len(lines) > 2:
                    del lines[rng.randrange(1, len(lines))]
                r["body"] = _DIGITS.sub(figure, "\n".join(lines))
                r["title"] = _DIGITS.sub(figure, record["title"])
            out.append(r)
    out.sort(key=lambda r: (r["published"], r["id"]))
    return out


@dataclass
class Increment:
    """What one run is given: JSON Lines records, and the reports its feed newly lists."""

    number: int
    records: list[dict[str, Any]]
    feed: list[dict[str, Any]]


def increments(corpus: list[dict[str, Any]]) -> list[Increment]:
    size = -(-len(corpus) // INCREMENTS)
    out = []
    for n in range(INCREMENTS):
        chunk = corpus[n * size:(n + 1) * size]
        out.append(Increment(n, [r for i, r in enumerate(chunk) if i % FEED_SHARE],
                             [r for i, r in enumerate(chunk) if not i % FEED_SHARE]))
    return out


def feed_item(r: dict[str, Any]) -> dict[str, Any]:
    return {"id": r["id"], "title": r["title"], "body": r["body"], "url": r["url"],
            "published": datetime.fromisoformat(r["published"])}


def write_jsonl(records: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def corrupt_files(folder: Path, rng: random.Random) -> list[Path]:
    """Inputs with nothing to ingest: each must become a reject with its reason."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "noise.txt").write_bytes(rng.randbytes(200_000))
    (folder / "broken.jsonl").write_text('{"id": "x", "title": "بی\n[[[\n{"id": \n', encoding="utf-8")
    (folder / "bomb.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    return sorted(folder.iterdir())


# --- one pass -----------------------------------------------------------------------------------


@dataclass
class Pass:
    """A database fed the whole corpus, and what happened on the way."""

    name: str
    db: Path
    runs: int = 0
    failed_polls: int = 0
    retried_polls: int = 0
    killed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def registry_file(folder: Path, feed_url: str) -> Path:
    """The bundled source registry plus one wire source whose feed is the fixture server."""
    text = (ROOT / "data" / "sources.toml").read_text(encoding="utf-8")
    text += (f'\n[sources.soakwire]\nname = "سیم"\naliases = ["soakwire"]\ndomains = []\n'
             f'feeds = ["{feed_url}"]\n')
    path = folder / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def settings_for(db: Path, registry: Path) -> Any:
    from flows.settings import load_settings
    from ingest.fetch import FetchParams

    settings = load_settings(overrides={"db": str(db), "flow.report": "", "flow.fetch_pages": False},
                             environ={})
    fetch = FetchParams(timeout=5.0, retries=2, backoff=0.01, host_delay=0.0, allow_hosts=("127.0.0.1",))
    return replace(settings, ingest=replace(settings.ingest, registry=registry), fetch=fetch)


def poll_feed(db: Any, settings: Any, run_id: str) -> tuple[int, list[str]]:
    """Poll the wire feed once (with the fetcher's retries) and ingest what it has."""
    from flows.fetching import fetch_source
    from flows.stages import ingest_items
    from ingest.fetch import Fetcher
    from ingest.sources import load_registry
    from storage.feeds import record_poll

    registry = load_registry(settings.ingest.registry)
    with Fetcher(settings.fetch) as fetcher:
        result = fetch_source(db, registry.get("soakwire"), settings, registry, fetcher)
    ingest_items(db, result.items, settings, run_id)
    with db.transaction() as con:
        for p in result.polls:
            record_poll(con, p.feed_url, p.source, p.status, p.items, p.etag, p.last_modified, p.error)
    return len(result.items), [p.error or "" for p in result.polls if p.status == "failed"]


# The child for the killed increment: the same run_stages, stopped at a checkpoint.
_CHILD = """
import json, sys
from dataclasses import replace
from benchmarks.soak import settings_for
from flows.stages import run_stages
from storage import Database
db, registry, run_id, files = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
settings = settings_for(db, registry)
settings = replace(settings, flow=replace(settings.flow, pause_at="stories"))
run_stages(Database(db), files, settings, run_id=run_id)
"""


def run_killed(db: Path, registry: Path, files: list[Path], run_id: str) -> None:
    """Run an increment in a child, kill it with SIGKILL inside its final transaction."""
    from flows.checkpoints import marker

    env = {k: v for k, v in os.environ.items() if not k.startswith("DASTAN_")}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(db), str(registry), run_id,
                              json.dumps([str(f) for f in files])], cwd=ROOT, env=env, start_new_session=True)
    path = marker(str(db), "stories")
    deadline = time.monotonic() + KILL_TIMEOUT
    try:
        while not (path.exists() and path.read_text().strip()):
            if child.poll() is not None:
                raise SystemExit(f"soak: the killed increment's child ended (exit {child.returncode}) early")
            if time.monotonic() > deadline:
                raise SystemExit("soak: the killed increment's child never reached its checkpoint")
            time.sleep(0.1)
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        path.unlink(missing_ok=True)


def feed_pass(name: str, parts: list[Increment], work: Path, server: Any, faults: bool, seed: int) -> Pass:
    """Feed every increment to a new database; with ``faults``, inject them on the way."""
    from flows.stages import run_stages
    from storage import Database

    folder = work / name
    folder.mkdir()
    p = Pass(name, folder / "soak.duckdb")
    registry = registry_file(folder, f"{server.base}/soak/rss.xml")
    settings = settings_for(p.db, registry)
    db = Database(str(p.db))
    with db.connect():
        pass  # a new, migrated database: the first feed poll reads its validators from it
    rng = random.Random(seed)
    started = time.monotonic()
    for inc in parts:
        run_id = f"{name}-{inc.number:02d}"
        recent = [i for part in parts[max(0, inc.number - FEED_WINDOW + 1):inc.number + 1] for i in part.feed]
        server.soak_items = [feed_item(r) for r in recent]
        server.soak_fail = 0
        if faults and inc.number == FLAKY_FEED:
            server.soak_fail = 2
        if faults and inc.number in FEED_DOWN:
            server.soak_fail = 10**6
        hits = server.hits["/soak/rss.xml"]
        _items, failed = poll_feed(db, settings, run_id)
        p.failed_polls += len(failed)
        p.retried_polls += server.hits["/soak/rss.xml"] - hits - 1
        files = [write_jsonl(inc.records, folder / f"increment-{inc.number:02d}.jsonl")]
        if faults and inc.number == CORRUPT:
            files += corrupt_files(folder / "corrupt", rng)
        if faults and inc.number == KILLED:
            run_killed(p.db, registry, files, run_id + "-killed")
            p.killed.append(run_id + "-killed")
        run_stages(db, files, settings, run_id=run_id)
        p.runs += 1
        if inc.number % 10 == 9:
            print(f"  {name}: {inc.number + 1} increments, {time.monotonic() - started:.0f} s", flush=True)
    p.seconds = time.monotonic() - started
    return p


# --- comparing ------------------------------------------------------------------------------------


@dataclass
class Snapshot:
    """A database's stories keyed by their members, so two databases compare story by story."""

    ids: dict[tuple[str, ...], str]  # members -> story id
    stories: dict[tuple[str, ...], tuple]  # members -> title, counts, first/last report, frozen
    threads: set[tuple[str | None, frozenset[tuple[str, ...]]]]  # (title, its stories' members)
    summaries: dict[tuple[str, ...], list[tuple]]  # members -> rank, article, position, text, source
    notes: dict[tuple[str, ...], list[tuple]]  # members -> source, kind, rank, text
    articles: list[tuple]  # article id, content hash, duplicate of
    arrived: dict[str, int]  # article id -> the increment that stored it


def snapshot(db: Path) -> Snapshot:
    from storage import Database

    with Database(str(db)).connect(read_only=True) as con:
        members: dict[str, list[str]] = {}
        for sid, aid in con.execute("SELECT story_id, article_id FROM story_articles ORDER BY ALL").fetchall():
            members.setdefault(sid, []).append(aid)
        key = {sid: tuple(aids) for sid, aids in members.items()}
        stories = {key[r[0]]: r[1:] for r in con.execute(
            "SELECT story_id, title, n_articles, n_sources, first_source, first_published, last_published, frozen "
            "FROM stories").fetchall()}
        thread_members: dict[str, set[tuple[str, ...]]] = {}
        for sid, tid in con.execute("SELECT story_id, thread_id FROM stories WHERE thread_id IS NOT NULL").fetchall():
            thread_members.setdefault(tid, set()).add(key[sid])
        titles = dict(con.execute("SELECT thread_id, title FROM threads").fetchall())
        summaries: dict[tuple[str, ...], list[tuple]] = {}
        for sid, *row in con.execute(
                "SELECT story_id, rank, article_id, position, text, source FROM summaries ORDER BY ALL").fetchall():
            summaries.setdefault(key[sid], []).append(tuple(row))
        notes: dict[tuple[str, ...], list[tuple]] = {}
        for sid, *row in con.execute(
                "SELECT story_id, source, kind, rank, text FROM source_notes ORDER BY ALL").fetchall():
            notes.setdefault(key[sid], []).append(tuple(row))
        articles = con.execute("SELECT article_id, content_hash, duplicate_of FROM articles ORDER BY ALL").fetchall()
        arrived = {aid: int(re.search(r"-(\d+)", run).group(1)) for aid, run in
                   con.execute("SELECT article_id, run_id FROM articles").fetchall()}
    return Snapshot({k: sid for sid, k in key.items()}, stories,
                    {(titles.get(t), frozenset(m)) for t, m in thread_members.items()}, summaries, notes,
                    articles, arrived)


def run_statuses(db: Path) -> dict[str, str]:
    from storage import Database

    with Database(str(db)).connect(read_only=True) as con:
        return dict(con.execute("SELECT run_id, status FROM runs").fetchall())


def reject_reasons(db: Path) -> dict[str, int]:
    from storage import Database

    with Database(str(db)).connect(read_only=True) as con:
        return dict(con.execute("SELECT reason, count(*) FROM rejects GROUP BY reason ORDER BY reason").fetchall())


def differences(a: Any, b: Any) -> tuple[list, list]:
    """Entries of ``a`` not in ``b``, and of ``b`` not in ``a`` (dicts: by key and value)."""
    if isinstance(a, dict):
        return [(k, v) for k, v in a.items() if b.get(k) != v], [(k, v) for k, v in b.items() if a.get(k) != v]
    return sorted(set(a) - set(b), key=repr), sorted(set(b) - set(a), key=repr)


def compare(clean: Pass, faulty: Pass) -> list[str]:
    """What differs between the two databases (nothing, when the faults were survived).

    Stories are matched by their members. A story id may differ only where a report came
    late (the feed was down): ids are kept stable once given, so a story first seen without
    its earliest report keeps the id it got then (clustering/ids.py).
    """
    problems = []
    want, got = snapshot(clean.db), snapshot(faulty.db)
    for name, a, b in (("stories", want.stories, got.stories), ("threads", want.threads, got.threads),
                       ("summaries", want.summaries, got.summaries), ("source notes", want.notes, got.notes),
                       ("articles", want.articles, got.articles)):
        same = a == b
        size = (lambda x: sum(len(v) for v in x.values())) if name in ("summaries", "source notes") else len
        print(f"  {name:<14} {size(a):>6} fault-free  {size(b):>6} faulty  {'same' if same else 'DIFFERENT'}")
        if not same:
            only_a, only_b = differences(a, b)
            problems.append(f"{name}: {len(only_a)} only in the fault-free run, {len(only_b)} only in the faulty "
                            f"run; e.g. {only_a[:1]} / {only_b[:1]}")
    late = {aid for aid, n in got.arrived.items() if n > want.arrived.get(aid, n)}
    renamed = [k for k, sid in want.ids.items() if got.ids.get(k, sid) != sid]
    unexplained = [k for k in renamed if not set(k) & late]
    print(f"  story ids      {len(want.ids) - len(renamed)} the same, {len(renamed)} named differently, each with "
          f"one of the {len(late)} reports the feed delivered late")
    if unexplained:
        problems.append(f"{len(unexplained)} stories have another id without a late report: "
                        f"{[(want.ids[k], got.ids[k]) for k in unexplained][:3]}")
    statuses = run_statuses(faulty.db)
    for run_id in faulty.killed:
        if statuses.get(run_id) != "incomplete":
            problems.append(f"the killed run {run_id} is {statuses.get(run_id)!r}, not 'incomplete'")
    done = sum(1 for s in statuses.values() if s == "completed")
    if done != faulty.runs:
        problems.append(f"{done} completed runs in the faulty database, {faulty.runs} expected")
    rejects = reject_reasons(faulty.db)
    print(f"  runs           {done} completed; killed and rerun: {', '.join(faulty.killed) or 'none'} "
          f"({', '.join(statuses.get(k, '?') for k in faulty.killed)})")
    print(f"  feed           {faulty.failed_polls} failed polls, {faulty.retried_polls} retried requests")
    print(f"  rejects        {sum(rejects.values())} ({', '.join(f'{k} {v}' for k, v in rejects.items())}); "
          f"fault-free: {sum(reject_reasons(clean.db).values())}")
    if not faulty.failed_polls or not faulty.retried_polls or not late:
        problems.append("the feed faults were not injected")
    if not rejects:
        problems.append("the corrupt files left no rejects")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1404)
    parser.add_argument("--keep", type=Path, help="keep the databases in this directory")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from tests.http_fixtures import fixture_server

    corpus = generate_corpus(args.seed)
    parts = increments(corpus)
    days = (datetime.fromisoformat(corpus[-1]["published"]) - datetime.fromisoformat(corpus[0]["published"])).days
    print(f"soak: {len(corpus)} reports over {days} days in {len(parts)} increments "
          f"({sum(len(p.feed) for p in parts)} through the feed), seed {args.seed}", flush=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, fixture_server() as server:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        clean = feed_pass("fault-free", parts, work, server, faults=False, seed=args.seed)
        faulty = feed_pass("faulty", parts, work, server, faults=True, seed=args.seed)
        print(f"compared after {time.monotonic() - started:.0f} s (fault-free pass {clean.seconds:.0f} s, "
              f"faulty pass {faulty.seconds:.0f} s):")
        problems = compare(clean, faulty)
    if problems:
        print("soak: FAILED")
        for p in problems:
            print(f"  - {p}")
        return 1
    print("soak: the faulty run ends with the fault-free run's stories (members), threads and summaries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
