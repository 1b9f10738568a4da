"""Metric definitions, kept as small pure functions so that tests can pin each one down."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from assistant.evaluation import support

_CITED = re.compile(r"(?<![^\[\]\n])([^\[\]\n]+?)\[(\d+)\]")  # from where a run begins: linear time


def hit_at_k(ranked_docs: Sequence[str], expected: Sequence[str], k: int) -> bool:
    """True when any expected document is among the first k distinct retrieved documents."""
    return any(doc in expected for doc in _distinct(ranked_docs)[:k])


def reciprocal_rank(ranked_docs: Sequence[str], expected: Sequence[str], k: int = 10) -> float:
    """1/rank of the first expected document among the first k distinct documents, else 0."""
    for rank, doc in enumerate(_distinct(ranked_docs)[:k], 1):
        if doc in expected:
            return 1.0 / rank
    return 0.0


def _distinct(docs: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(docs))


def refusal_scores(should_decline: Sequence[bool], declined: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1 of declining, the positive class being "should be declined"."""
    true_positive = sum(1 for s, d in zip(should_decline, declined, strict=True) if s and d)
    predicted = sum(declined)
    actual = sum(should_decline)
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def cited_sentences(answer: str) -> list[tuple[str, int]]:
    """The (sentence, n) pairs of an answer: each run of text that ends in a citation marker [n]."""
    pairs: list[tuple[str, int]] = []
    for line in answer.split("\n"):
        pairs += [(m.group(1).strip(), int(m.group(2))) for m in _CITED.finditer(line)]
    return [(sentence, n) for sentence, n in pairs if sentence]


def is_supported(sentence: str, passage: str) -> bool:
    """A cited sentence is supported when the passage says what it says, in its words or in a faithful paraphrase.

    Containment (whitespace and quotation marks ignored) passes at once; otherwise every figure, named programme,
    condition and negation of the sentence must be found in one sentence of the passage with the same bound and
    for the same audience, and the sentence's content words must be covered by the passage. A changed figure, an
    added or dropped condition, a dropped cap or a wrong audience does not pass (`assistant/evaluation/support.py`;
    measured on `tests/data/grounding/`, see docs/EVALUATION.md).
    """
    return support.is_supported(sentence, passage)


def facts_found(answer: str, facts: Sequence[str], all_facts: bool) -> list[str]:
    """The expected facts the answer states; empty when it states none (or not all, when all are required)."""
    found = [fact for fact in facts if fact in answer]
    if all_facts and len(found) < len(facts):
        return []
    return found


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[index]
