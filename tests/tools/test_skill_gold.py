"""Extraction quality on a hand-labelled gold set of 60 real postings (labels here, texts in ../shared/data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.skills.extraction import extract_skills
from assistant.skills.lexicon import default_lexicon
from tests.tools.real_postings import labelled_postings

GOLD = Path(__file__).resolve().parents[1] / "data" / "skills" / "gold_postings.jsonl"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def gold() -> list[tuple[str, list[dict]]]:
    return labelled_postings(GOLD)


def test_gold_set_is_large_and_well_formed(gold: list[tuple[str, list[dict]]]) -> None:
    assert len(gold) >= 60
    names = default_lexicon().skills
    for text, skills in gold:
        for skill in skills:
            start, end = skill["span"]
            assert 0 <= start < end <= len(text)
            assert skill["name"] in names, f"gold name {skill['name']} is not a canonical lexicon name"


def test_extraction_precision_recall_f1_at_canonical_name_level(gold: list[tuple[str, list[dict]]]) -> None:
    tp = fp = fn = 0
    for text, skills in gold:
        expected = {s["name"] for s in skills}
        found = {m.name for m in extract_skills(text)}
        tp, fp, fn = tp + len(expected & found), fp + len(found - expected), fn + len(expected - found)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert precision >= 0.85 and recall >= 0.85 and f1 >= 0.85, (precision, recall, f1)


def test_required_or_preferred_per_posting_on_the_flagged_part(gold: list[tuple[str, list[dict]]]) -> None:
    # 20 postings also carry a gold flag per skill: required unless the posting asks for it only as 优先/加分/了解.
    right = total = 0
    for text, skills in gold:
        flagged = {s["name"]: s["required"] for s in skills if "required" in s}
        required: dict[str, bool] = {}
        for mention in extract_skills(text):
            required[mention.name] = required.get(mention.name, False) or mention.required
        for name in flagged.keys() & required.keys():
            total += 1
            right += flagged[name] == required[name]
    assert total >= 250 and right / total >= 0.9, (right, total)
