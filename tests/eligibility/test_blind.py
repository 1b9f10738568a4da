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
    assert measured["precision_fit"] >= 0.95, measured  # measured 0.972 (35 of 36; rules-3); the 0.98 not met
    assert measured["accuracy"] >= 0.72, measured  # measured 0.750 (rules-3; 0.670 before); the 0.95 not met
    recall = condition_recall(documents, "test")
    assert recall["recall"] >= 0.88, recall  # measured 0.915 (rules-3; 0.855 before)
