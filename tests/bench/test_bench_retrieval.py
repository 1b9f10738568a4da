"""The retrieval benchmark's own arithmetic and corpus building (the measuring itself runs in `bench/`)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.documents import Chunk
from bench.bench_retrieval import compose, mrr_at, recall_at, table
from bench.corpora import DEMO_QUESTIONS, cmrc_set, derived_vectors, large_corpus, sentence_windows

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def test_mrr_and_recall_count_only_ranks_within_the_cutoff() -> None:
    ranks = [1, 2, None, 11]
    assert mrr_at(ranks, 10) == pytest.approx((1 + 0.5) / 4)
    assert recall_at(ranks, 1) == 0.25
    assert recall_at(ranks, 5) == 0.5
    assert mrr_at([], 10) == 0.0


def test_sentence_windows_are_consecutive_sentences_of_the_passage() -> None:
    chunk = Chunk(id="c1", doc_id="d", ordinal=0, text="第一句。第二句！第三句？")
    windows = sentence_windows(chunk, 2, "w2-")
    assert [w.text for w in windows] == ["第一句。第二句！", "第二句！第三句？"]
    assert len({w.id for w in windows}) == 2
    assert sentence_windows(chunk, 3, "w3-") == []


def test_derived_vectors_are_unit_length_and_close_to_the_real_ones() -> None:
    rng = np.random.default_rng(1)
    real = rng.normal(size=(20, 16)).astype(np.float32) + 3.0
    real /= np.linalg.norm(real, axis=1, keepdims=True)
    derived = derived_vectors(real, 50)
    assert derived.shape == (50, 16)
    assert np.allclose(np.linalg.norm(derived, axis=1), 1.0, atol=1e-5)
    assert float((derived @ real.T).max(axis=1).min()) > 0.9


def test_cmrc_set_makes_each_paragraph_the_gold_of_its_questions(tmp_path: Path) -> None:
    data = {"data": [{"id": "A", "title": "重庆", "paragraphs": [{"id": "P_1", "context": " 重庆是直辖市。 ",
             "qas": [{"question": "重庆是什么？", "id": "q1", "answers": []}]}]}]}
    path = tmp_path / "cmrc.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = cmrc_set(path=path)
    assert [c.text for c in result.chunks] == ["重庆是直辖市。"]
    assert result.questions == ["重庆是什么？"]
    assert result.gold == [result.chunks[0].id]
    assert result.documents[result.chunks[0].doc_id].title == "重庆"


def test_large_corpus_reaches_the_target_with_distinct_texts() -> None:
    if not (SHARED_DATA / "laws_zh").is_dir():
        pytest.skip("../shared/data is absent (only a development checkout has it)")
    chunks, documents = large_corpus(6000)
    assert len(chunks) == 6000
    assert len({c.id for c in chunks}) == 6000
    assert len({c.text for c in chunks}) == 6000
    assert all(c.doc_id in documents for c in chunks)


def test_report_composition_keeps_the_command_and_parts(tmp_path: Path) -> None:
    (tmp_path / "cmrc.md").write_text("### Retrieval quality\n\nrows", encoding="utf-8")
    text = compose(tmp_path)
    assert "python -m bench.bench_retrieval" in text
    assert "### Retrieval quality" in text
    assert table(("a", "b"), [["1", "2"]]).splitlines()[-1] == "| 1 | 2 |"
    assert len(DEMO_QUESTIONS) == 100
