"""The blind set (written from the documents before the evaluator; see tests/data/eligibility_blind/README.md),
held-out half: the numbers reported in docs/ELIGIBILITY.md, kept as floors so that a change cannot lose them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.eligibility.blind import BLIND, condition_recall, corpus_documents, run

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "documents"

pytestmark = pytest.mark.skipif(not (BLIND / "expectations.yaml").is_file(), reason="blind set absent")


def test_held_out_verdicts_are_precise_and_every_condition_shown_is_cited() -> None:
    documents = corpus_documents(CORPUS)
    result = run(documents, "test")
    measured = result.as_dict()
    assert result.pairs >= 100
    assert measured["support"] == 1.0  # every condition shown is in the passage it cites
    assert measured["precision_fit"] >= 0.95, measured  # measured 1.000 (29 of 29)
    assert measured["accuracy"] >= 0.65, measured  # measured 0.670; the target 0.95 is not reached
    recall = condition_recall(documents, "test")
    assert recall["recall"] >= 0.80, recall  # measured 0.855
