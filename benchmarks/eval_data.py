"""Which labelled data a benchmark reads: the sets of ../shared/eval, or the sample corpus alone.

The evaluation sets live next to the project (``../shared/eval``, read in place, never
copied). A copy of the tree without them used to fall back to the sample corpus without a
word, and its figures looked like the README's. Every benchmark now says on stderr which
data it read, and records it in its JSON output under ``"data"`` (:meth:`EvalData.as_dict`).
Asked for explicitly (``--eval-dir DIR``, or ``BENCH_EVAL_DIR``, which a benchmark passes
on to the processes it starts), data that is not there is an error before any work.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL_DIR = ROOT.parent / "shared" / "eval"
ENV = "BENCH_EVAL_DIR"  # not DASTAN_*: those are settings, and an unknown one is an error (flows.settings)
SAMPLES = "data/samples"  # always read: the sample corpus and its labels (data/sample_labels.jsonl)


class EvalDataMissing(Exception):
    """The evaluation data a person asked for is not there."""


@dataclass(frozen=True)
class EvalData:
    """Where the evaluation sets were looked for, whether they were asked for, and what is there."""

    folder: Path
    asked_for: bool  # named by --eval-dir or BENCH_EVAL_DIR, not the default place
    sets: tuple[str, ...]  # NAME of every NAME.items.jsonl there, sorted

    @property
    def fallback(self) -> bool:
        """True when no set is there: the benchmark reads the sample corpus alone."""
        return not self.sets

    def items(self) -> list[Path]:
        return [self.folder / f"{name}.items.jsonl" for name in self.sets]

    def labelled(self) -> list[tuple[str, Path, Path]]:
        """(name, items, gold) of every set that has its gold file."""
        out = []
        for name, items in zip(self.sets, self.items(), strict=True):
            gold = self.folder / f"{name}.gold.jsonl"
            if gold.exists():
                out.append((name, items, gold))
        return out

    def used(self) -> str:
        """The data read, in a few words (the JSON's ``data.used``, each step's context)."""
        if self.fallback:
            return f"{SAMPLES} alone ({self.folder} is not there)"
        return f"{self.folder}: {', '.join(self.sets)}; and {SAMPLES}"

    def describe(self) -> str:
        """The line a benchmark prints on stderr."""
        if self.fallback:
            return (f"data: {self.folder} is not there (or holds no NAME.items.jsonl): the sample corpus "
                    f"alone ({SAMPLES}); the figures are not comparable with the README's. "
                    f"--eval-dir DIR names the sets")
        return f"data: {self.folder}: {', '.join(self.sets)}; and {SAMPLES}"

    def as_dict(self) -> dict[str, Any]:
        return {"eval_dir": str(self.folder), "asked_for": self.asked_for, "sets": list(self.sets),
                "fallback": self.fallback, "used": self.used()}

    def require(self, names: list[str] | tuple[str, ...]) -> None:
        """Raise :class:`EvalDataMissing` naming the sets asked for that are not there."""
        missing = [n for n in names if n not in self.sets]
        if missing:
            raise EvalDataMissing(f"the evaluation data asked for is not there: {', '.join(missing)} "
                                  f"(no NAME.items.jsonl in {self.folder}); --eval-dir DIR names the folder")


def eval_data(folder: Path | str | None = None, *, say: bool = True) -> EvalData:
    """The evaluation sets in ``folder``, else ``BENCH_EVAL_DIR``, else ``../shared/eval``.

    Asked for (``folder`` or the variable given) and not there: :class:`EvalDataMissing`.
    With ``say``, the data read is printed on stderr, loudly when it is the samples alone.
    """
    named = folder if folder is not None else os.environ.get(ENV) or None
    where = Path(named).expanduser() if named is not None else DEFAULT_EVAL_DIR
    sets = tuple(sorted(p.name.removesuffix(".items.jsonl") for p in where.glob("*.items.jsonl"))) \
        if where.is_dir() else ()
    data = EvalData(where.resolve() if where.exists() else where, named is not None, sets)
    if named is not None and data.fallback:
        raise EvalDataMissing(f"the evaluation data asked for is not there: {where} "
                              f"({'no such folder' if not where.is_dir() else 'no NAME.items.jsonl in it'})")
    if say:
        print(data.describe(), file=sys.stderr, flush=True)
    return data


def add_argument(parser: argparse.ArgumentParser) -> None:
    """``--eval-dir DIR``: the folder of the evaluation sets, which must then be there."""
    parser.add_argument("--eval-dir", type=Path, default=None,
                        help=f"the evaluation sets (NAME.items.jsonl, NAME.gold.jsonl); asked for, they must be "
                             f"there. Default: ${ENV}, else {DEFAULT_EVAL_DIR} when there, else the sample "
                             f"corpus alone (said on stderr and in the JSON's \"data\")")


def pass_on(data: EvalData) -> None:
    """Make the processes a benchmark starts read the same data (and fail alike)."""
    if data.asked_for:
        os.environ[ENV] = str(data.folder)
