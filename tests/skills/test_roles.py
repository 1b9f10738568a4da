"""A target's skills come from the postings of its role (title → subject, function, level), not from every title
that shares "开发工程师" with it; measured on the real 2019 ads when ../shared/data is there."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.config import Settings, load_settings
from assistant.skills.analysis import SkillIndex
from assistant.skills.extraction import SkillMatcher
from assistant.skills.lexicon import load_lexicon
from assistant.skills.roles import read_role
from assistant.skills.service import FEW_NOTE, RELAXED_NOTE, SkillService, select_postings
from bench.bench_skills import JOBS, real_postings


@pytest.fixture(scope="module")
def matcher() -> SkillMatcher:
    return SkillMatcher(load_lexicon(load_settings().skills_dir))


@pytest.mark.parametrize("title", ["Java开发工程师", "java工程师", "Java后端", "高级Java开发", "JAVA", "Java架构师"])
def test_java_titles_are_one_role(title: str, matcher: SkillMatcher) -> None:
    java = read_role("Java开发工程师", matcher)
    assert java.same_role(read_role(title, matcher)) and read_role(title, matcher).same_role(java)


@pytest.mark.parametrize(("title", "label"), [
    ("Web前端", "前端开发"), ("H5开发", "前端开发"), ("前端工程师", "前端开发"), ("测试开发工程师", "测试"),
    ("算法工程师", "算法"), ("运维工程师", "运维"), ("C++开发工程师", "C++开发"), ("开发工程师(C#)", "C#开发"),
])
def test_roles_of_common_titles(title: str, label: str, matcher: SkillMatcher) -> None:
    assert read_role(title, matcher).label() == label


@pytest.mark.parametrize(("target", "other"), [
    ("Java开发工程师", "JavaScript开发工程师"),  # a Latin name is never part of another
    ("Java开发工程师", "Java测试工程师"),  # same language, another function
    ("C++开发工程师", "Python开发工程师"),
    ("测试工程师", "算法工程师"),
    ("数据分析师", "财务分析师"),
])
def test_different_roles_stay_apart(target: str, other: str, matcher: SkillMatcher) -> None:
    assert not read_role(target, matcher).same_role(read_role(other, matcher))


def _posting(title: str, city: str = "重庆", text: str = "熟悉 Java 与 MySQL。") -> dict[str, str]:
    return {"title": title, "city": city, "text": text}


def test_filters_are_relaxed_visibly_and_never_padded_with_other_roles(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    rows = [_posting("Java开发工程师", city="北京") for _ in range(25)] + [_posting("Java开发工程师")] * 3
    rows += [_posting("Python开发工程师", text="熟悉 Python。") for _ in range(40)]
    library = tmp_path / "library.jsonl"
    library.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    skills = SkillService(make_settings(skills_library=library))

    found = skills.title_skills("Java开发工程师", city="重庆")
    assert found.report is not None and found.report.postings == 28  # Chongqing had 3: all Java postings
    assert found.note == RELAXED_NOTE.format(role="Java开发", filters="重庆", n=3,
                                             relaxed="不限地区、行业和级别的“Java开发”岗位", m=28)
    assert "Python" not in {s.name for s in found.report.skills}
    # Without filters a small role is kept as it is and said to be small.
    few = SkillService(make_settings(skills_library=library)).title_skills("java后端")
    assert few.report is not None and few.report.postings == 28 and few.note is None
    index = skills.index()
    assert index is not None
    only = select_postings(index, "Java开发", skills.matcher(), city="重庆", level="专家")
    assert len(only.indices) == 28 and only.note is not None and "专家、重庆" in only.note
    assert FEW_NOTE.format(n=3, role="Java开发").startswith("岗位库中只有 3 条")


@pytest.mark.slow
@pytest.mark.skipif(not JOBS.is_dir(), reason="../shared/data/jobs_2019_boss_liepin_lagou is not there")
def test_on_the_real_ads_each_role_s_own_technology_comes_first(matcher: SkillMatcher) -> None:
    index = SkillIndex(real_postings(), matcher)
    own = {"Java开发工程师": {"Java"}, "C++开发工程师": {"C++"}, "Python开发工程师": {"Python"},
           "PHP开发工程师": {"PHP"}, "C#开发工程师": {"C#"}, "Ruby开发工程师": {"Ruby", "Ruby on Rails"},
           "Web前端开发工程师": {"JavaScript", "前端开发"}, "iOS开发工程师": {"iOS开发"}, "Go开发工程师": {"Go"},
           "Node.js开发工程师": {"Node.js"}, "运维工程师": {"运维", "Linux", "Python"}}
    for target, expected in own.items():
        selection = select_postings(index, target, matcher)
        report = index.analyze(selection.indices, top_k=3, examples=0)
        assert report.skills[0].name in expected, (target, [s.name for s in report.skills])
        assert report.skills[0].share >= 0.7, (target, report.skills[0])
    java = select_postings(index, "Java开发工程师", matcher)
    assert len(java.indices) > 2000  # every Java developer posting: no cap
