"""Pick the fastest faithful way to run the model on the machine that runs it.

Machines differ: on CPUs with bfloat16 matrix instructions (AVX512-BF16, AMX) torch in
bfloat16 runs e5-small about 3x faster than float32 with every vector within cosine
0.9999; elsewhere bfloat16 can be slower than float32. So each candidate is timed on a
short probe and the winner is recorded beside the model, per machine (CPU model and its
matrix instructions): a model directory built on one machine and used on another (a
shared disk, a copied ``data/models``, a Dask worker) is probed again there, once. A
candidate is eligible only if all its probe vectors are within :data:`FIDELITY` of float32.
"""

from __future__ import annotations

import json
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

CANDIDATES = ("torch-fp32", "torch-bf16")
FIDELITY = 0.999  # minimum cosine to the float32 vector of the same text
CHOICE_FILE = "dastan_backend.json"
# The CPU features that decide between the candidates: bfloat16 dot products and matrix tiles.
DECIDING_FLAGS = ("avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_tile", "bf16", "sve")

# Agency-style sentences of typical length (about 40 tokens), for timing only.
PROBE_SENTENCES = [
    "به گزارش ایسنا، سخنگوی دولت امروز در نشست خبری از تصویب طرح جدید حمایت از تولید داخلی خبر داد.",
    "وزیر امور خارجه در سفر به مسکو با همتای روس خود درباره همکاری‌های اقتصادی و منطقه‌ای گفت‌وگو کرد.",
    "سازمان هواشناسی برای روزهای پایانی هفته در استان‌های شمالی کشور هشدار بارش شدید باران صادر کرد.",
    "رئیس سازمان مدیریت بحران گفت شمار مصدومان زلزله به ۴۵ نفر رسیده و عملیات امداد ادامه دارد.",
    "تیم ملی فوتبال ایران در دیداری دوستانه با نتیجه دو بر یک از سد تیم ملی اردن گذشت.",
    "مجلس شورای اسلامی کلیات لایحه بودجه سال آینده را با ۱۸۰ رأی موافق تصویب کرد.",
    "مدارس تهران به دلیل آلودگی هوا و افزایش غلظت ذرات معلق فردا تعطیل خواهند بود.",
    "قیمت دلار در بازار آزاد تهران امروز با کاهش ۲ درصدی همراه شد و به ۷۰ هزار تومان رسید.",
]


def machine() -> dict[str, Any]:
    """What of this machine decides the backend: the CPU model and its deciding instructions."""
    model, flags = "", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key in ("model name", "Model name", "CPU part") and not model:
                model = value.strip()
            elif key in ("flags", "Features") and not flags:
                flags = set(value.split())
    except OSError:  # not Linux: the platform's own name for the processor
        pass
    return {"cpu": model or platform.processor() or platform.machine(), "arch": platform.machine(),
            "cores": os.cpu_count(), "flags": sorted(flags & set(DECIDING_FLAGS))}


def machine_key(info: dict[str, Any] | None = None) -> str:
    """The key a probe is recorded under: CPU model, architecture and deciding flags."""
    info = info or machine()
    return f"{info['cpu']} ({info['arch']}; {' '.join(info['flags']) or 'no bf16 or avx512'})"


def read_choices(model_dir: Path) -> dict[str, Any]:
    """Every machine's probe recorded for ``model_dir`` (empty when none, or in the old format)."""
    try:
        record = json.loads((Path(model_dir) / CHOICE_FILE).read_text())
    except (OSError, ValueError):
        return {}
    machines = record.get("machines") if isinstance(record, dict) else None
    return machines if isinstance(machines, dict) else {}


def chosen_backend(model_dir: Path) -> str | None:
    """The backend probed on this machine for ``model_dir``; None when this machine has no probe.

    A file written by an older build names one backend for whichever machine built it: that
    counts as no probe here, so the model is probed again on this machine.
    """
    entry = read_choices(model_dir).get(machine_key())
    choice = entry.get("backend") if isinstance(entry, dict) else None
    return choice if choice in CANDIDATES else None


def probe_backends(model_dir: Path, repeats: int = 3, n_texts: int = 64) -> dict[str, Any]:
    """Time every candidate on the probe, check fidelity, record and return the result.

    The candidates take turns, and each keeps its best time: on a machine other work
    shares, a burst of that work then slows one turn of each, not all turns of one.
    """
    from clustering.embed import EmbedParams, SentenceTransformerEncoder

    texts = [PROBE_SENTENCES[i % len(PROBE_SENTENCES)] + f" ({i})" for i in range(n_texts)]
    params = EmbedParams()
    encoders = {name: SentenceTransformerEncoder(Path(model_dir), name, params) for name in CANDIDATES}
    vectors: dict[str, np.ndarray] = {}
    for encoder in encoders.values():
        encoder.encode(texts[:8])  # warm-up: first calls allocate and pick kernels
    best_time = dict.fromkeys(CANDIDATES, float("inf"))
    for _ in range(repeats):
        for name, encoder in encoders.items():
            start = time.perf_counter()
            vectors[name] = encoder.encode(texts)
            best_time[name] = min(best_time[name], time.perf_counter() - start)
    reference = vectors[CANDIDATES[0]]  # float32
    results: dict[str, dict[str, float | bool]] = {}
    for name in CANDIDATES:
        cosine = float(np.min(np.sum(vectors[name] * reference, axis=1)))
        results[name] = {
            "texts_per_second": round(n_texts / best_time[name], 1),
            "min_cosine_to_fp32": round(cosine, 6),
            "faithful": cosine >= FIDELITY,
        }
    return record_probe(Path(model_dir), results, n_texts)


def record_probe(model_dir: Path, results: dict[str, dict[str, float | bool]], n_texts: int) -> dict[str, Any]:
    """Pick the fastest faithful candidate of a probe and record it for this machine."""
    best = max(
        (n for n, r in results.items() if r["faithful"]),
        key=lambda n: float(results[n]["texts_per_second"]),
    )
    info = machine()
    entry = {"backend": best, "probe": results, "machine": info,
             "probed_at": datetime.now(UTC).isoformat(timespec="seconds"), "texts": n_texts}
    record_choice(Path(model_dir), machine_key(info), entry)
    return entry


def record_choice(model_dir: Path, key: str, entry: dict[str, Any]) -> None:
    """Add one machine's probe to the model's record, keeping the others' (written atomically)."""
    machines = {**read_choices(model_dir), key: entry}
    path = Path(model_dir) / CHOICE_FILE
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"fidelity_bar": FIDELITY, "machines": machines}, indent=2) + "\n")
    tmp.replace(path)  # two machines probing at once: the last write wins, both stay valid files
