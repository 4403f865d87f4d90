"""One-time, offline export of a sentence-transformers model to ONNX (fp32, then int8).

The files are cached per model (platformdirs cache) and written atomically under a lock, so two
processes exporting at once get one good file. Export needs torch; running the file does not.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from index.settings import cache_dir


def _model_key(path: Path) -> str:
    h = hashlib.sha256(str(path).encode())
    for name in ("config.json", "model.safetensors", "pytorch_model.bin"):
        f = path / name
        if f.exists():
            st = f.stat()
            h.update(f"{name}:{st.st_size}".encode())
    return h.hexdigest()[:16]


def _target(path: Path, quantized: bool) -> Path:
    return cache_dir() / "onnx" / _model_key(path) / ("model-int8.onnx" if quantized else "model.onnx")


def is_exported(path: Path, quantized: bool) -> bool:
    """Whether the export is cached already (a first run prepares it: about 5 s)."""
    return _target(path, quantized).exists()


def onnx_model_file(path: Path, quantized: bool) -> Path:
    target = _target(path, quantized)
    folder = target.parent
    if target.exists():
        return target
    from filelock import FileLock

    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder / ".lock")):
        if target.exists():
            return target
        fp32 = folder / "model.onnx"
        if not fp32.exists():
            _export(path, fp32)
        if quantized:
            _quantize(fp32, target)
    return target


def _export(path: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # our own progress bar is the one the user sees
    model = AutoModel.from_pretrained(str(path)).eval()

    class Hidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    ids = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    import warnings

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Hidden(model), (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                          "last_hidden_state": axes},
            opset_version=17, dynamo=False,
        )
    os.replace(tmp, target)


def _quantize(source: Path, target: Path) -> None:
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul"])
    os.replace(tmp, target)
