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
