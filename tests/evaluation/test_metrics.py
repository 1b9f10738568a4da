"""The metric definitions on tiny hand-made cases with known answers."""

from __future__ import annotations

import pytest

from assistant.evaluation.metrics import (
    cited_sentences,
    facts_found,
    hit_at_k,
    is_supported,
    percentile,
    reciprocal_rank,
    refusal_scores,
)


def test_hit_at_k_counts_distinct_documents() -> None:
    ranked = ["a", "a", "b", "c", "d"]
    assert not hit_at_k(ranked, ["c"], 1)
    assert not hit_at_k(ranked, ["c"], 2)
    assert hit_at_k(ranked, ["c"], 3)  # a, b, c: repeated chunks of one document count once
    assert hit_at_k(ranked, ["x", "b"], 2)


def test_reciprocal_rank() -> None:
    assert reciprocal_rank(["a", "b", "c"], ["c"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(["a", "b", "c"], ["a", "c"]) == 1.0
    assert reciprocal_rank(["a", "b"], ["z"]) == 0.0
    assert reciprocal_rank(["d"] * 3 + [str(i) for i in range(20)], ["15"], k=10) == 0.0


def test_refusal_precision_recall_f1() -> None:
    should = [True, True, True, False, False, False]
    did = [True, True, False, True, False, False]
    scores = refusal_scores(should, did)
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(2 / 3)
    assert refusal_scores([False, False], [False, False]) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert refusal_scores([True], [False])["f1"] == 0.0


def test_cited_sentences_pairs_each_sentence_with_its_marker() -> None:
    answer = "根据现有文件：\n博士后留渝率达90%。[1]年均招收超1000名。[1]\n资助每人10万元。[2]\n注意：已截止。"
    assert cited_sentences(answer) == [("博士后留渝率达90%。", 1), ("年均招收超1000名。", 1), ("资助每人10万元。", 2)]


@pytest.mark.parametrize(
    ("sentence", "passage", "supported"),
    [
        ("博士后留渝率达90%。", "第二条 博士后留渝率达90%，较2020年增长10个百分点。", True),  # 。 vs ，
        ("博士后留渝率达90%", "第二条 博士后留渝率达90%，较2020年增长10个百分点。", True),
        ("第一条 每人 15万元。", "第一条 每人15万元。", True),  # whitespace does not matter
        ("每人资助15万元，分两期拨付。", "资助每人15万元，分两期拨付。", True),  # a faithful reordering is support
        ("每人资助15万元，一次拨付。", "资助每人15万元，分两期拨付。", False),  # a changed condition is not
        ("每人最高资助15万元。", "资助每人15万元，分两期拨付。", False),  # nor an added cap
        ("硕士每人资助15万元。", "博士每人资助15万元，硕士每人资助10万元。", False),  # nor a wrong audience
        ("市级财政资助每人15万元，分两期拨付。", "资助每人15万元，分两期拨付。", False),  # an added claim
        ("每人资助25万元，分两期拨付。", "资助每人15万元，分两期拨付。", False),  # a changed figure never passes
        ("人才公寓免租三年。", "资助每人15万元，分两期拨付。", False),
    ],
)
def test_citation_support_check(sentence: str, passage: str, supported: bool) -> None:
    assert is_supported(sentence, passage) is supported


def test_facts_found_any_or_all() -> None:
    assert facts_found("留渝率90%", ["90%", "1000名"], all_facts=False) == ["90%"]
    assert facts_found("留渝率90%", ["90%", "1000名"], all_facts=True) == []
    assert facts_found("90%与1000名", ["90%", "1000名"], all_facts=True) == ["90%", "1000名"]


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([], 95) == 0.0
