"""The employer's draft check: severities, the publish gate and the neutral rewrite."""

from __future__ import annotations

import pytest

from assistant.errors import InvalidInputError
from assistant.jobs.models import Education
from assistant.market.posting_review import PostingDraft, review_draft


@pytest.mark.parametrize(("description", "rewrite"), [
    ("招聘机械工程师，限男性，3年以上经验。", "招聘机械工程师，3年以上经验。"),
    ("负责设备维护。本地户口优先；能适应夜班", "负责设备维护。能适应夜班"),
    ("熟悉PLC，男性优先", "熟悉PLC"),
    ("年龄25-35岁，本科以上，已婚已育优先", "本科以上"),
    ("负责数据分析，熟悉SQL", "负责数据分析，熟悉SQL"),
])
def test_rewrite_drops_only_the_flagged_requirements(description: str, rewrite: str) -> None:
    assert review_draft(PostingDraft(title="工程师", description=description), []).rewrite == rewrite


def test_prohibited_kinds_block_even_when_acknowledged() -> None:
    verdict = review_draft(PostingDraft(title="司机", description="限男性，持C1驾照"), ["gender"])
    assert verdict.blocking == ["gender"] and not verdict.publishable
    assert verdict.issues[0].severity == "block" and "就业促进法" in verdict.issues[0].issue.rule


def test_age_and_appearance_publish_once_confirmed() -> None:
    draft = PostingDraft(title="空中乘务员", description="身高165cm以上，年龄18-26岁")
    assert review_draft(draft, []).unconfirmed == ["age", "appearance"]
    confirmed = review_draft(draft, ["age", "appearance"])
    assert confirmed.publishable and {i.severity for i in confirmed.issues} == {"confirm"}


def test_flags_in_the_title_are_checked_but_not_rewritten_into_the_description() -> None:
    verdict = review_draft(PostingDraft(title="男性保安", description="负责门岗值守"), [])
    assert verdict.rewrite == "负责门岗值守"


def test_draft_becomes_a_job_with_parsed_fields() -> None:
    job = PostingDraft(title="数据分析师", district="渝北区", education="本科", salary="10-15K·13薪",
                       skills="Python，SQL、Tableau").to_job()  # type: ignore[arg-type]
    assert job.education_min == Education.BACHELOR and job.salary is not None and job.salary.months == 13
    assert job.skills_required == ["Python", "SQL", "Tableau"]


@pytest.mark.parametrize(("changes", "message"),
                         [({"district": "火星区"}, "未知的区县"), ({"salary": "很多"}, "岗位信息无效")])
def test_unusable_fields_are_named(changes: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        PostingDraft(title="数据分析师", **changes).to_job()  # type: ignore[arg-type]
