"""The run's encoder process (flows.embed_process): the vectors the run's own process would
compute, and a process that cannot embed leaves the run embedding by itself."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from flows import embed_process


@pytest.mark.slow
def test_the_encoder_process_gives_the_vectors_of_the_runs_own_encoder(real_encoder) -> None:
    from clustering.embed import EmbedParams, resolved

    params = resolved(EmbedParams())
    texts = ["به گزارش ایسنا، زلزله‌ای به بزرگی ۴ ریشتر بوشهر را لرزاند.", "قیمت طلا امروز کاهش یافت", "سلام"]
    proc = embed_process.EncoderProcess(params)
    try:
        got = proc.encode(texts, params.prompt)
        again = proc.encode(texts[:1], params.prompt)
    finally:
        proc.close()
    assert got is not None and again is not None
    if real_encoder.backend == params.backend:
        assert np.array_equal(got, real_encoder.encode(texts, kind=params.prompt))
    assert np.array_equal(again, got[:1])
    assert proc._proc.returncode == 0  # ended when closed


def test_a_process_that_cannot_load_its_model_hands_the_work_back(tmp_path: Path, caplog) -> None:
    from clustering.embed import EmbedParams

    params = dataclasses.replace(EmbedParams(), model=str(tmp_path / "no-model"), backend="torch-fp32")
    proc = embed_process.EncoderProcess(params)
    try:
        assert proc.encode(["a text"], "query") is None
        assert proc.failed and "ModelError" in proc.failed
        assert proc.encode(["a text"], "query") is None  # asked no more
    finally:
        proc.close()
    assert "embedding in this process" in caplog.text


def test_start_early_starts_nothing_for_a_model_it_cannot_resolve(tmp_path: Path) -> None:
    from clustering.embed import EmbedParams

    embed_process.start_early(dataclasses.replace(EmbedParams(), model=str(tmp_path / "no-model")))
    assert not embed_process._started


def same_vectors(a: np.ndarray, b: np.ndarray) -> bool:
    """One text's unit vectors from two encoders agree to bfloat16 rounding: cosine >= 0.9999 each."""
    return a.shape == b.shape and bool((np.einsum("ij,ij->i", a, b) >= 0.9999).all())


@pytest.mark.slow
def test_two_workers_give_the_vectors_of_one_and_batches_sent_ahead_come_back(real_encoder) -> None:
    import psutil

    from clustering.embed import EmbedParams, resolved

    params = resolved(EmbedParams())
    texts = [f"به گزارش ایسنا، {i} نفر در حادثه رانندگی محور اصفهان مصدوم شدند." for i in range(40)]
    batches = [texts[i:i + 8] + ["قیمت طلا امروز کاهش یافت"] * (i % 3) for i in range(0, 40, 8)]
    proc = embed_process.EncoderProcess(params, workers=2)
    try:
        proc.prefetch(batches, params.prompt)
        got = [proc.encode(b, params.prompt) for b in batches]
        workers = psutil.Process(proc._proc.pid).children()
        again = proc.encode(batches[1], params.prompt)  # not sent ahead: asked now
    finally:
        proc.close()
    assert len(workers) == 1  # the process that loaded the model, and one worker forked from it
    assert all(g is not None for g in got) and again is not None
    # One batch's vectors from either worker: bit for bit where the CPU's bfloat16 kernels do not
    # depend on the process (it was so on 2026-11-28), within bfloat16's rounding where they do
    # (2026-12-01, Xeon with AMX: up to 8e-4 apart, cosine above 0.99998). The fidelity bar for a
    # backend is 0.999 to float32 (clustering.backends.FIDELITY); two workers must agree far better.
    assert same_vectors(again, got[1])
    if real_encoder.backend == params.backend:
        for b, g in zip(batches, got, strict=True):
            assert same_vectors(g, real_encoder.encode(b, kind=params.prompt))
    assert not proc._ahead
    assert proc._proc.returncode == 0
    assert not workers[0].is_running() or workers[0].status() == psutil.STATUS_ZOMBIE


@pytest.mark.slow
def test_a_killed_worker_hands_the_work_back(caplog) -> None:
    import signal

    import psutil

    from clustering.embed import EmbedParams, resolved

    params = resolved(EmbedParams())
    proc = embed_process.EncoderProcess(params, workers=2)
    try:
        assert proc.encode(["سلام"], params.prompt) is not None  # loaded, worker forked
        for worker in psutil.Process(proc._proc.pid).children():
            worker.send_signal(signal.SIGKILL)
        answers = [proc.encode([f"متن {i}"], params.prompt) for i in range(4)]
    finally:
        proc.close()
    assert None in answers  # the killed worker's channel failed the process
    assert proc.failed and proc.encode(["متن"], params.prompt) is None  # asked no more
    assert "embedding in this process" in caplog.text
