"""The employer's draft check: severities, the publish gate and the neutral rewrite."""

from __future__ import annotations

import pytest

from assistant.errors import InvalidInputError
from assistant.jobs.models import Education
from assistant.market.posting_review import PostingDraft, review_draft
from assistant.skills.lexicon import default_lexicon


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


LISTED = "岗位职责：\n1. 负责设备巡检\n2. 限男性，35岁以下\n3. 本地户口优先\n4. 能适应夜班\n福利：五险一金"


@pytest.mark.parametrize(("description", "rewrite"), [
    (LISTED, "岗位职责：\n1. 负责设备巡检\n2. 能适应夜班\n福利：五险一金"),  # the list counts on, the rest stays
    ("任职要求：1.本科以上学历；2.35周岁以下；3.熟悉Java", "任职要求：1.本科以上学历；2.熟悉Java"),
    ("1.限男性；2.已婚；3.熟悉Java", "1.熟悉Java"),
    ("1、限男性，能出差；2、熟悉Java", "1、能出差；2、熟悉Java"),
    ("2. 年龄：25-35岁\n3. 熟悉SQL", "2. 熟悉SQL"),
    ("任职要求：男性，本科", "任职要求：本科"),
    ("熟悉PLC、男性优先、能出差", "熟悉PLC、能出差"),
    ("招聘Java工程师，限男性。负责后端开发", "招聘Java工程师。负责后端开发"),
    ("负责门店销售，形象气质佳，有亲和力", "负责门店销售，有亲和力"),
])
def test_rewrite_replaces_only_the_offending_clauses(description: str, rewrite: str) -> None:
    verdict = review_draft(PostingDraft(title="工程师", description=description), [])
    assert verdict.rewrite == rewrite
    assert review_draft(PostingDraft(title="工程师", description=rewrite), []).issues == []


@pytest.mark.parametrize("description", ["1. 限男性\n2. 重庆户籍，35岁以下", "1. 男性，35岁以下\n2. 本地户口"])
def test_a_rewrite_that_would_leave_nothing_is_not_offered(description: str) -> None:
    verdict = review_draft(PostingDraft(title="工程师", description=description), [])
    assert verdict.rewrite == "" and "补充岗位职责" in (verdict.rewrite_note or "")
    assert not verdict.publishable


@pytest.mark.parametrize(("description", "message"), [
    ("1.\n2. 重庆，", "只剩编号"), ("", "为空"), ("1、\n2、", "只剩编号"),
    ("负责设备巡检与维护\n2.\n3. 能适应夜班", "只有编号"), ("负责设备巡检与维护\n熟悉PLC，", "句子不完整"),
])
def test_an_empty_or_broken_description_cannot_be_published(description: str, message: str) -> None:
    verdict = review_draft(PostingDraft(title="设备运维工程师", description=description), [])
    assert verdict.issues == [] and not verdict.publishable
    assert message in (verdict.incomplete or "")


@pytest.mark.parametrize(("field", "skills"), [
    ("Spring Boot, Spring Cloud", ["Spring Boot", "Spring Cloud"]),
    ("Python，SQL、Tableau；Excel/PPT\nMachine  Learning", ["Python", "SQL", "Tableau", "Excel", "PPT",
                                                           "Machine Learning"]),
    ("Java, Java ,, ", ["Java"]),
])
def test_skills_field_is_a_list_that_keeps_multi_word_skills_whole(field: str, skills: list[str]) -> None:
    assert PostingDraft(title="Java开发工程师", skills=field).skills == skills  # type: ignore[arg-type]


def test_skills_are_named_as_the_lexicon_names_them() -> None:
    draft = PostingDraft(title="Java开发工程师", skills="springboot、spring cloud，MYSQL，自研框架")  # type: ignore[arg-type]
    named = draft.with_canonical_skills(default_lexicon()).skills
    assert named == ["Spring Boot", "Spring Cloud", "MySQL", "自研框架"]  # unknown skills are kept as typed
