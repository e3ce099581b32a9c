"""`make bench`: speed and memory, each measured in a fresh process -> benchmarks/results.json.

Measures (medians where repeated): embedding texts/s per backend; the pipeline's own
backend probe on this machine (also kept, per CPU, in benchmarks/backend_probes.json);
end-to-end `dastan run` wall time and peak RSS for 1,000 and 10,000 generated articles of
~20 sentences from an empty database; a rerun with nothing new; adding 100 articles to the
10,000-article database; the same reruns on databases built with stand-in vectors
(``reruns``: minutes instead of an hour of embedding); clustering time and peak RSS for
windows of 1,000, 10,000 and 50,000 articles; the whole pipeline on 1,000 articles against
plain torch float32 embedding every title and sentence of them; BERTopic beside dastan on
the dev sets (in its own venv, .bench-venv, because it needs numpy 2 and hazm pins numpy
1.24).

Every step records the machine it ran on (CPU model, cores, the instructions that decide
the embedding backend) and the load average around it: on a machine shared with other
work, figures taken under load are slower than the machine is.

The generated corpus is made of the sample corpus and the texts of ../shared/eval; without
../shared/eval, of the samples alone, which it says on stderr and records ("data" in the
JSON, and in each step's context). ``--eval-dir DIR`` asks for the sets: not there, an error.

    python -m benchmarks.bench [--quick] [--only NAME] [--eval-dir DIR] [--out benchmarks/results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import generate, write_jsonl
from benchmarks.eval_data import EvalDataMissing, add_argument, eval_data, pass_on
from benchmarks.output import write_results

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROBES = ROOT / "benchmarks" / "backend_probes.json"
TARGETS = {  # issue 15
    "speedup_vs_fp32": 3.0,  # fastest faithful backend against torch float32
    "pipeline_vs_fp32_embedding": 0.35,  # whole pipeline / fp32 embedding of all titles and sentences
    "cluster_50k_seconds": 60.0,
    "cluster_50k_rss_gb": 4.0,
    "e2e_10k_minutes": 30.0,
    "rerun_seconds": {"1000": 5.0, "10000": 8.0},  # a rerun with nothing new
    "add_100_seconds": 25.0,  # 100 new articles into a 10,000-article database
}


def machine() -> dict[str, Any]:
    """The CPU the figures come from (see clustering.backends.machine) and its key."""
    from clustering.backends import machine as cpu
    from clustering.backends import machine_key

    info = cpu()
    return {**info, "key": machine_key(info)}


def step_context(before: float, started: str) -> dict[str, Any]:
    """Where and when one step ran, with the load average before and after it."""
    return {"machine": machine()["key"], "started": started,
            "load_average": [round(before, 2), round(os.getloadavg()[0], 2)]}


def rss_of(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Like :func:`measure`, with the peak RSS read from the kernel for that child only."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, **(env or {})})
    out_b = proc.stdout.read() if proc.stdout else b""
    err_b = proc.stderr.read() if proc.stderr else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err_b.decode()[-3000:]}")
    out = out_b.decode()
    result: dict[str, Any] = {"seconds": round(wall, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    if lines:
        result["result"] = json.loads(lines[-1])
    return result


def dastan_run(db: Path, *paths: Path) -> dict[str, Any]:
    return rss_of([str(BIN / "dastan"), "run", *map(str, paths), "--db", str(db), "--report", ""])


def child(*args: str) -> dict[str, Any]:
    return rss_of([sys.executable, "-m", "benchmarks.bench_child", *args])


def bench_backends() -> dict[str, Any]:
    got = child("backends")
    backends = got["result"]["backends"]
    fp32 = backends["torch-fp32"]["texts_per_second"]
    faithful = {k: v for k, v in backends.items() if v["min_cosine_to_fp32"] >= 0.999 and k.startswith("torch")}
    best = max(faithful, key=lambda k: faithful[k]["texts_per_second"])
    return {**got["result"], "fastest_faithful": best,
            "speedup_vs_fp32": round(faithful[best]["texts_per_second"] / fp32, 2)}


def bench_probe() -> dict[str, Any]:
    """The backend probe the pipeline runs on a new machine, kept per CPU in benchmarks/."""
    entry = child("probe")["result"]
    probes = json.loads(PROBES.read_text()) if PROBES.exists() else {}
    key = machine()["key"]
    probes[key] = {k: entry[k] for k in ("backend", "probe", "machine", "probed_at", "texts")}
    PROBES.write_text(json.dumps(dict(sorted(probes.items())), ensure_ascii=False, indent=2) + "\n")
    return {"backend": entry["backend"], "probe": entry["probe"]}


def median_run(db: Path, corpus: Path, times: int = 3) -> dict[str, Any]:
    runs = [dastan_run(db, corpus) for _ in range(times)]
    return {**sorted(runs, key=lambda r: r["seconds"])[times // 2], "all_seconds": [r["seconds"] for r in runs]}


def bench_reruns(tmp: Path, sizes: list[int]) -> dict[str, Any]:
    """Reruns with nothing new (median of 3) and adding 100 articles, on databases built
    with stand-in vectors (benchmarks.bench_child.standin_db); the 100 are embedded for real."""
    import datetime as dt

    out: dict[str, Any] = {}
    for n in sizes:
        corpus = write_jsonl(generate(n, seed=n), tmp / f"rerun-corpus-{n}.jsonl")
        db = tmp / f"rerun-{n}.duckdb"
        built = child("standin-db", str(corpus), str(db))
        entry = {"articles": n, "build": built["result"], "rerun_nothing_new": median_run(db, corpus)}
        extra = write_jsonl(generate(100, seed=n + 1, start=dt.datetime(2025, 10, 30, tzinfo=dt.UTC), days=1),
                            tmp / f"rerun-extra-{n}.jsonl")
        entry["add_100"] = dastan_run(db, extra)
        out[str(n)] = entry
        print(f"  reruns {n}: nothing new {entry['rerun_nothing_new']['seconds']} s, "
              f"add 100 {entry['add_100']['seconds']} s", flush=True)
    return out


def bench_end_to_end(tmp: Path, sizes: list[int]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n in sizes:
        corpus = write_jsonl(generate(n, seed=n), tmp / f"corpus-{n}.jsonl")
        db = tmp / f"e2e-{n}.duckdb"
        first = dastan_run(db, corpus)
        rerun = dastan_run(db, corpus)
        entry = {"articles": n, "first_run": first, "rerun_nothing_new": rerun}
        if n >= 10_000:
            extra = write_jsonl(generate(100, seed=n + 1, start=__import__("datetime").datetime(
                2025, 10, 30, tzinfo=__import__("datetime").UTC), days=1), tmp / f"extra-{n}.jsonl")
            entry["add_100"] = dastan_run(db, extra)
        if n == 1000:
            entry["fp32_embedding_of_all_texts"] = child("fp32-all", str(corpus))["result"]
            entry["pipeline_vs_fp32_embedding"] = round(
                first["seconds"] / entry["fp32_embedding_of_all_texts"]["estimated_seconds_for_all"], 3)
        out[str(n)] = entry
        print(f"  e2e {n}: first {first['seconds']} s ({first['peak_rss_mb']} MB), rerun {rerun['seconds']} s",
              flush=True)
    return out


def bench_clustering(sizes: list[int]) -> dict[str, Any]:
    out = {}
    for n in sizes:
        got = child("cluster", str(n))
        res = got["result"]
        # the clustering's own peak with its reading workers' (sampled), or the process's peak if higher
        with_workers = max(got["peak_rss_mb"], res.get("peak_rss_mb_with_workers", 0.0))
        out[str(n)] = {"seconds": res["seconds"], "peak_rss_mb": got["peak_rss_mb"],
                       "peak_rss_mb_with_workers": with_workers, "child_processes": res.get("child_processes", 0),
                       "stories": res["stories"], "process_seconds": got["seconds"]}
        print(f"  cluster {n}: {res['seconds']} s, {got['peak_rss_mb']} MB ({with_workers} MB with its "
              f"{res.get('child_processes', 0)} child processes)", flush=True)
    return out


def bench_bertopic(tmp: Path) -> dict[str, Any]:
    """BERTopic (UMAP + HDBSCAN) on dastan's own article vectors of each dev set."""
    from benchmarks.bertopic_side import run_side_by_side

    return run_side_by_side(tmp)


def _rerun_target(n: str) -> str:
    target = TARGETS["rerun_seconds"].get(n)
    return f"<= {target:.0f} s" if target else ""


def table(results: dict[str, Any]) -> str:
    lines = [f"{name}: {c['machine']}, {c['started']}, load average {c['load_average'][0]} -> "
             f"{c['load_average'][1]}" for name, c in results.get("context", {}).items()]
    if "data" in results:
        lines.insert(0, f"data: {results['data']['used']}")
    lines += ["", "| measure | value | target |", "|---|---|---|"]
    p = results.get("probe")
    if p:
        lines.append(f"| pipeline's backend probe: {p['backend']} | " + ", ".join(
            f"{k} {v['texts_per_second']}/s" for k, v in p["probe"].items()) + " | |")
    b = results.get("backends")
    if b:
        for name, v in b["backends"].items():
            lines.append(f"| embedding {name} | {v['texts_per_second']} texts/s "
                         f"(min cos {v['min_cosine_to_fp32']}) | |")
        lines.append(f"| fastest faithful ({b['fastest_faithful']}) vs torch fp32 | {b['speedup_vs_fp32']}x | "
                     f">= {TARGETS['speedup_vs_fp32']}x |")
    for n, e in results.get("end_to_end", {}).items():
        f = e["first_run"]
        lines.append(f"| end to end, {n} articles | {f['seconds']} s, {f['peak_rss_mb']} MB peak | "
                     + (f"<= {TARGETS['e2e_10k_minutes']:.0f} min |" if n == "10000" else "|"))
        lines.append(f"| rerun with nothing new, {n} | {e['rerun_nothing_new']['seconds']} s | "
                     f"{_rerun_target(n)} |")
        if "add_100" in e:
            lines.append(f"| add 100 articles to {n} | {e['add_100']['seconds']} s | "
                         f"<= {TARGETS['add_100_seconds']:.0f} s |")
        if "pipeline_vs_fp32_embedding" in e:
            lines.append(f"| whole pipeline / fp32 embedding of all titles+sentences ({n}) | "
                         f"{e['pipeline_vs_fp32_embedding']} | <= {TARGETS['pipeline_vs_fp32_embedding']} |")
    for n, e in results.get("reruns", {}).items():
        lines.append(f"| rerun with nothing new, {n} (stand-in vectors) | {e['rerun_nothing_new']['seconds']} s | "
                     f"{_rerun_target(n)} |")
        lines.append(f"| add 100 articles to {n} (stand-in vectors) | {e['add_100']['seconds']} s | "
                     + (f"<= {TARGETS['add_100_seconds']:.0f} s |" if n == "10000" else "|"))
    for n, c in results.get("clustering", {}).items():
        target = (f"<= {TARGETS['cluster_50k_seconds']:.0f} s, <= {TARGETS['cluster_50k_rss_gb']:.0f} GB"
                  if n == "50000" else "")
        peak = c.get("peak_rss_mb_with_workers", c["peak_rss_mb"])
        lines.append(f"| clustering window of {n} | {c['seconds']} s, {peak} MB peak (reading workers included) | "
                     f"{target} |")
    for name, r in results.get("bertopic", {}).items():
        if isinstance(r, dict) and "bertopic" in r:
            lines.append(f"| {name}: BERTopic / dastan B3-F1 | {r['bertopic']['bcubed_f1']} / "
                         f"{r['dastan']['bcubed_f1']} ({r['bertopic']['seconds']} s / {r['dastan']['seconds']} s) | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument("--quick", action="store_true", help="small sizes only (1,000 and 5,000)")
    parser.add_argument("--only", choices=["probe", "backends", "reruns", "end_to_end", "clustering", "bertopic"])
    add_argument(parser)
    args = parser.parse_args(argv)
    try:
        data = eval_data(args.eval_dir)
    except EvalDataMissing as err:
        print(f"benchmarks.bench: {err}", file=sys.stderr)
        return 1
    pass_on(data)  # the child processes read the same sets
    results: dict[str, Any] = {"machine": machine(), "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    context: dict[str, Any] = {}
    if args.out.exists() and args.only:
        earlier = json.loads(args.out.read_text())
        context = earlier.get("context", {})
        results = {**earlier, **results}
    with tempfile.TemporaryDirectory(prefix="dastan-bench-") as tmp_name:
        tmp = Path(tmp_name)
        steps = {
            "probe": bench_probe,
            "backends": bench_backends,
            "reruns": lambda: bench_reruns(tmp, [1000] if args.quick else [1000, 10_000]),
            "end_to_end": lambda: bench_end_to_end(tmp, [1000] if args.quick else [1000, 10_000]),
            "clustering": lambda: bench_clustering([1000, 5000] if args.quick else [1000, 10_000, 50_000]),
            "bertopic": lambda: bench_bertopic(tmp),
        }
        for name, step in steps.items():
            if args.only and name != args.only:
                continue
            print(f"{name} ...", flush=True)
            before, started = os.getloadavg()[0], time.strftime("%Y-%m-%dT%H:%M:%S")
            results[name] = step()
            context[name] = {**step_context(before, started), "data": data.used()}
    results["context"] = context  # per step: each may come from another run (--only)
    results["data"] = data.as_dict()  # this run's (each step's own is in its context)
    results["targets"] = TARGETS
    write_results(args.out, results, table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
