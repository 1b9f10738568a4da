"""Fairness: protected attributes never change a score; discriminatory posting wording is flagged with its law."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.errors import InvalidInputError
from assistant.jobs.fairness import check_posting
from assistant.jobs.features import encode_postings, encode_talents
from assistant.jobs.library import Library
from assistant.jobs.matching import MatchWeights, score_jobs_for_talent, score_talents_for_job
from assistant.jobs.models import ProtectedAttributes, TalentProfile

PHRASES = Path(__file__).resolve().parents[1] / "data" / "jobs" / "posting_phrases.yaml"
SWAPS = {
    "gender": ("男", "女"), "age": ("24", "52"), "ethnicity": ("汉族", "藏族"), "religion": (None, "伊斯兰教"),
    "marital_status": ("未婚", "已婚"), "childbearing": (None, "已育二孩"), "hukou": ("重庆", "河南农村"),
    "health": (None, "乙肝病原携带者"), "appearance": (None, "身高158cm"),
}


def _swapped(talent: TalentProfile, field: str) -> TalentProfile:
    first, second = SWAPS[field]
    current = getattr(talent.protected, field)
    value = second if current != second else first
    return talent.model_copy(update={"protected": talent.protected.model_copy(update={field: value})})


@pytest.mark.parametrize("field", sorted(SWAPS))
def test_swapping_a_protected_attribute_changes_no_input_of_any_score(library: Library, field: str) -> None:
    talents = library.talents_at(list(range(1000)))
    original = encode_talents(talents, library.vocab)
    swapped = encode_talents([_swapped(t, field) for t in talents], library.vocab)
    assert original.keys() == swapped.keys()
    for key in original:
        assert np.array_equal(original[key], swapped[key], equal_nan=True), key


def test_swapping_every_protected_attribute_leaves_every_score_unchanged(
    library: Library, weights: MatchWeights
) -> None:
    for talent in library.talents_at(list(range(0, 1500, 30))):
        changed = talent
        for field in SWAPS:
            changed = _swapped(changed, field)
        assert changed.protected != talent.protected
        before = score_jobs_for_talent(library, talent, weights)
        after = score_jobs_for_talent(library, changed, weights)
        assert np.array_equal(before.total, after.total)
        assert np.array_equal(before.per_dimension, after.per_dimension)


def test_a_posting_that_states_protected_demands_scores_like_one_that_does_not(
    library: Library, weights: MatchWeights
) -> None:
    job = library.posting("J000005")
    demanding = job.model_copy(update={
        "stated_protected": ProtectedAttributes(gender="男", age="35岁以下", hukou="重庆", marital_status="已婚已育"),
        "description": job.description + "限男性，35岁以下，已婚已育优先，本地户口。",
    })
    assert all(np.array_equal(a, b, equal_nan=True) for a, b in zip(
        encode_postings([job], library.vocab).values(), encode_postings([demanding], library.vocab).values(),
        strict=True))
    assert np.array_equal(score_talents_for_job(library, job, weights).total,
                          score_talents_for_job(library, demanding, weights).total)


def test_posting_check_precision_and_recall_on_the_phrase_set() -> None:
    cases = yaml.safe_load(PHRASES.read_text(encoding="utf-8"))
    assert len(cases) >= 60
    true_positive = false_positive = false_negative = 0
    for case in cases:
        kinds = {issue.kind for issue in check_posting(case["text"]).issues}
        expected = case["kind"]
        true_positive += expected in kinds
        false_negative += expected is not None and expected not in kinds
        false_positive += len(kinds - {expected})
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


@pytest.mark.parametrize(
    ("text", "kind", "law"),
    [
        ("招聘Java工程师，限男性，35岁以下。", "gender", "就业促进法第二十七条"),
        ("招聘Java工程师，限男性，35岁以下。", "age", "就业促进法第三条"),
        ("已婚已育优先", "marital_childbearing", "妇女权益保障法第四十三条"),
        ("本地户口", "hukou", "第三十一条"),
        ("乙肝携带者勿扰", "health", "就业促进法第三十条"),
        ("身高165以上", "appearance", "第二十六条"),
        ("限汉族", "ethnicity", "第二十八条"),
        ("肢体健全", "disability", "第二十九条"),
    ],
)
def test_each_flag_names_its_law_and_a_neutral_wording(text: str, kind: str, law: str) -> None:
    issue = next(i for i in check_posting(text).issues if i.kind == kind)
    assert law in issue.rule
    assert issue.suggestion and issue.text in text
    assert text[issue.start:issue.start + len(issue.text)] == issue.text


def test_neutral_postings_are_not_flagged() -> None:
    text = "招聘数据分析师，男女不限，年龄不限，户籍不限；本科及以上，3年以上经验，五险一金（含生育保险），可协助落户。"
    assert check_posting(text).issues == []


@pytest.mark.parametrize(("text", "message"), [("   ", "为空"), ("很" * 60_000, "过长")])
def test_empty_or_huge_postings_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        check_posting(text)
