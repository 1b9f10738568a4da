"""The shared vocabularies: the one education scale, document-kind labels, districts, regions and English roles."""

from __future__ import annotations

from typing import get_args

import pytest

from assistant.jobs.parsing import parse_education
from assistant.retrieval.documents import DocumentKind
from assistant.vocab.catalogue import load_catalogue
from assistant.vocab.education import (
    DEGREE_RANK,
    DEGREES,
    EDUCATION_NAMES,
    Education,
    audience_name,
    degree_name,
    find_degree,
    find_requirement,
    find_resume_degree,
    level_of,
)
from assistant.vocab.entities import ENGLISH_ROLES, find_role
from assistant.vocab.kinds import KIND_LABELS, kind_label
from assistant.vocab.places import OTHER_REGIONS, PINYIN_DISTRICTS, find_district, find_other_region


def test_the_scale_is_ordered_and_named() -> None:
    assert list(Education) == sorted(Education) and Education.NONE == 0 and Education.DOCTOR == 5
    assert [EDUCATION_NAMES[level] for level in Education] == ["学历不限", "高中/中专", "大专", "本科", "硕士", "博士"]
    assert degree_name(Education.MASTER) == "硕士" and degree_name(None) == ""
    assert audience_name(Education.BACHELOR) == "本科毕业生" and audience_name(None) == "人才"


@pytest.mark.parametrize(("text", "level"), [
    ("我是机械专业硕士", Education.MASTER), ("计算机博士研究生", Education.DOCTOR), ("统招本科", Education.BACHELOR),
    ("高职毕业", Education.ASSOCIATE), ("中专/中技", Education.HIGH_SCHOOL), ("I have a PhD", Education.DOCTOR),
    ("master's degree in CS", Education.MASTER), ("Bachelors of Engineering", Education.BACHELOR),
    ("本科，后来读了MBA", Education.MASTER),  # the highest level named
    ("有没有适合我的工作", None), ("地点不限", None),  # 不限 sets a requirement, it names no degree
    ("housing subsidy for doctors", None), ("we embark on", None), ("I mastered Python", None),  # whole words only
])
def test_words_name_a_level(text: str, level: Education | None) -> None:
    assert find_degree(text) == level


def test_a_postdoc_counts_as_a_doctor_but_the_resume_keeps_it() -> None:
    assert find_resume_degree("2019-2021 重庆大学 博士后") == "博士后" and find_degree("博士后") == Education.DOCTOR
    assert level_of("博士后") == level_of("博士") == Education.DOCTOR and DEGREE_RANK["博士后"] > DEGREE_RANK["博士"]
    assert DEGREES == ("高中", "中专", "大专", "本科", "硕士", "博士", "博士后")
    assert [level_of(d) for d in DEGREES] == sorted(level_of(d) for d in DEGREES)


def test_a_requirement_may_set_no_level() -> None:
    assert find_requirement("学历不限") == Education.NONE and find_requirement("本科及以上") == Education.BACHELOR
    assert find_requirement("五险一金") is None
    assert parse_education("硕士及以上") == 4 and parse_education("不限") == 0


def test_kind_labels_cover_every_document_kind() -> None:
    assert set(KIND_LABELS) == set(get_args(DocumentKind))
    assert kind_label("notice") == "人才活动通知" and kind_label("other") == "other"


def test_districts_pinyin_and_other_regions() -> None:
    districts = set(load_catalogue().districts)
    assert {"渝北区", "两江新区"} <= districts and load_catalogue().region("渝北区") == "中心城区"
    assert set(PINYIN_DISTRICTS.values()) <= districts
    assert find_district("jobs in Yubei") == "渝北区" and find_district("两江的岗位") == "两江新区"
    assert find_district("北京的岗位") is None
    assert "北京" in OTHER_REGIONS and not districts & set(OTHER_REGIONS)
    assert find_other_region("成都的人才政策") == "成都" and find_other_region("渝北的人才政策") is None


def test_english_roles_map_onto_catalogue_titles() -> None:
    catalogue = load_catalogue()
    titles = {t for name in catalogue.industries
              for f in catalogue.industry(name)["functions"].values() for t in f["titles"]}
    assert set(ENGLISH_ROLES.values()) <= titles
    assert find_role("Any openings for data analysts?") == "数据分析师"
