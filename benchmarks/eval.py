"""`make eval`: dastan on every labelled set, beside the references, into benchmarks/eval.json.

Sets: every NAME.items.jsonl / NAME.gold.jsonl pair in ../shared/eval (read in place, never
copied; ``--eval-dir DIR`` names another folder), and the hand-labelled sample corpus. Without
../shared/eval it scores the sample corpus alone and says so (stderr, and "data" in the JSON).
Run: ``python -m benchmarks.eval``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.eval_data import DEFAULT_EVAL_DIR, EvalData, EvalDataMissing, add_argument, eval_data, pass_on

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = DEFAULT_EVAL_DIR  # where the sets are looked for by default (benchmarks.eval_data)

# From ../shared/eval/README.md: each reference's single threshold was chosen on the set it
# is scored on, so these are optimistic for the references. (B-cubed F1, pair F1)
REFERENCES: dict[str, dict[str, tuple[float, float]]] = {
    "stance_dev": {
        "every article alone": (0.553, 0.0),
        "TF-IDF lemmas, average link": (0.877, 0.752),
        "e5-small cosine, average link": (0.801, 0.569),
        "mutual NN over TF-IDF + e5": (0.856, 0.700),
        "e5-small + HDBSCAN": (0.803, 0.616),
        "BERTopic": (0.673, 0.438),
    },
    "rss2020_dev": {
        "every article alone": (0.852, 0.0),
        "TF-IDF lemmas, average link": (0.861, 0.298),
        "e5-small cosine, average link": (0.858, 0.219),
        "mutual NN over TF-IDF + e5": (0.826, 0.391),
        "e5-small + HDBSCAN": (0.729, 0.212),
        "BERTopic": (0.625, 0.206),
    },
}


def sample_set(tmp: Path) -> tuple[Path, Path]:
    """The sample corpus as an items/gold pair (its gold is data/sample_labels.jsonl)."""
    return ROOT / "data" / "samples", ROOT / "data" / "sample_labels.jsonl"


def dev_sets(data: EvalData | None = None) -> list[tuple[str, Path, Path]]:
    """(name, items, gold) of every labelled set of ``data`` (default: what eval_data finds)."""
    return (data or eval_data(say=False)).labelled()


def table(results: list[dict[str, Any]], extra: dict[str, Any] | None = None) -> str:
    extra = extra or {}
    lines = [f"{'set':<15} {'method':<38} {'B3-P':>6} {'B3-R':>6} {'B3-F1':>6} {'pair-P':>6} {'pair-R':>6} "
             f"{'pairF1':>6} {'ARI':>6} {'AMI':>6} {'orphan':>6}"]

    def row(label: str, name: str, x: dict[str, Any]) -> str:
        return (f"{label:<15} {name:<38} {x['bcubed_precision']:>6.3f} {x['bcubed_recall']:>6.3f} "
                f"{x['bcubed_f1']:>6.3f} {x['pair_precision']:>6.3f} {x['pair_recall']:>6.3f} {x['pair_f1']:>6.3f} "
                f"{x['ari']:>6.3f} {x['ami']:>6.3f} {x['orphan_rate']:>6.3f}")

    for r in results:
        lines.append(row(r["set"], "dastan (defaults)", r))
        for name, b in r.get("baselines", {}).items():
            lines.append(row("", name + " (live)", b))
        for name, (b3, pf1) in REFERENCES.get(r["set"], {}).items():
            lines.append(f"{'':<15} {name + ' (README, tuned on set)':<38} {'':>6} {'':>6} {b3:>6.3f} {'':>6} "
                         f"{'':>6} {pf1:>6.3f}")
    loso = extra.get("leave_one_set_out", {})
    if loso:
        lines.append("")
        lines.append("leave one set out (the pair model fitted, and its threshold chosen, on the other sets):")
        for name, x in loso.items():
            lines.append(f"  {name:<15} at {x['threshold']:.2f}: pair-F1 {x['pair_f1']:.3f}, B-cubed F1 "
                         f"{x['bcubed_f1']:.3f}")
    cases = extra.get("cases", [])
    if cases:
        lines.append("")
        lines.append(f"story cases: {sum(c['ok'] for c in cases)} of {len(cases)} right")
        for c in cases:
            lines.append(f"  {'right' if c['ok'] else 'WRONG':<6} {c['case']}" +
                         "".join(f"\n           {p}" for p in c["problems"]))
    lines.append("")
    lines.append(f"{'set':<13} {'summaries':<22} {'boiler':>6} {'cover':>6} {'redund':>6} "
                 f"{'R1':>6} {'R2':>6} {'lead R1':>7} {'lead R2':>7} {'cent R1':>7} {'cent R2':>7}")
    for r in results:
        s = r["summary"]
        rg = s["rouge"]

        def f(x: Any) -> str:
            return "   -  " if x is None else f"{x:6.3f}"

        lines.append(f"{r['set']:<13} {'dastan':<22} {f(s['boilerplate_rate'])} {f(s['source_coverage'])} "
                     f"{f(s['redundancy_max_cosine_max'])} {f(rg['dastan']['rouge1'])} {f(rg['dastan']['rouge2'])} "
                     f"{f(rg['lead_first']['rouge1']):>7} {f(rg['lead_first']['rouge2']):>7} "
                     f"{f(rg['centroid']['rouge1']):>7} {f(rg['centroid']['rouge2']):>7}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from benchmarks.output import write_results
    from flows.evaluate import evaluate
    from flows.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "eval.json")
    parser.add_argument("--only", help="run only this set (sample, or a dev set name)")
    parser.add_argument("--no-loso", action="store_true", help="skip the leave-one-set-out refits and the cases")
    add_argument(parser)
    args = parser.parse_args(argv)
    try:
        data = eval_data(args.eval_dir)
        if args.only and args.only != "sample":
            data.require([args.only])  # a dev set named is asked for
    except EvalDataMissing as err:
        print(f"benchmarks.eval: {err}", file=sys.stderr)
        return 1
    pass_on(data)  # the leave-one-set-out refits read the same sets
    settings = load_settings()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        sets = [("sample", *sample_set(Path(tmp))), *dev_sets(data)]
        for name, items, gold in sets:
            if args.only and name != args.only:
                continue
            start = time.perf_counter()
            result = evaluate(items, gold, settings, name=name, with_baselines=True).as_dict()
            result["seconds"] = round(time.perf_counter() - start, 1)
            results.append(result)
            print(f"{name}: pair-F1 {result['pair_f1']:.3f}, B-cubed F1 {result['bcubed_f1']:.3f} "
                  f"({result['seconds']} s)", flush=True)
    extra: dict[str, Any] = {}
    if not args.only and not args.no_loso:
        from benchmarks.fit_clustering import leave_one_set_out
        from flows.cases import run_cases

        extra["leave_one_set_out"] = leave_one_set_out()
        extra["cases"] = [c.as_dict() for c in run_cases(settings)]
    write_results(args.out, {"data": data.as_dict(), "results": results, "references": REFERENCES, **extra},
                  f"data: {data.used()}\n\n{table(results, extra)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
