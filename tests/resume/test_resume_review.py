"""The review: score, line-level suggestions per category, target-skill coverage, truthfulness, injection."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.config import Settings
from assistant.resume.models import ResumeReview
from assistant.resume.parsing import load_resume, parse_resume_bytes
from assistant.resume.review import review_resume
from assistant.skills.analysis import split_postings
from assistant.skills.service import FEW_NOTE, SkillService

from .conftest import TODAY

POSTINGS = """高级后端工程师（Java）
任职要求：精通 Java，熟悉 Kafka、Redis，有微服务架构经验，熟悉 Docker 优先。

---
Java 后端开发
要求：熟练掌握 Java 和 MySQL，了解 Kafka，有微服务拆分经验，会使用 Docker 部署。

---
后端架构师
负责微服务治理；要求精通 Java，熟悉 Kafka、Docker 与 Kubernetes。
"""


@pytest.fixture
def skills(make_settings: Callable[..., Settings]) -> SkillService:
    """The skill service of settings without a postings library."""
    return SkillService(make_settings())


def _review(path: Path, **kwargs: object) -> ResumeReview:
    return review_resume(load_resume(path), today=TODAY, **kwargs)  # type: ignore[arg-type]


def _by_category(review: ResumeReview, category: str) -> list[list[int]]:
    return [s.lines for s in review.suggestions if s.category == category]


def test_weak_verb_and_vague_duty_point_at_their_lines(samples: dict[str, Path]) -> None:
    review = _review(samples["graduate.txt"])
    assert [11] in _by_category(review, "weak_verb")  # 参与公司内部系统的开发
    assert [12] in _by_category(review, "vague_duty")  # 负责接口相关工作
    quantified = 13  # 将平均响应时间从 800ms 降到 200ms
    assert not any(quantified in s.lines for s in review.suggestions if s.category != "missing_keyword")


def test_unquantified_result_is_flagged_with_a_placeholder(samples: dict[str, Path]) -> None:
    review = _review(samples["manager.txt"])
    (suggestion,) = [s for s in review.suggestions if s.category == "unquantified_result"]
    assert suggestion.lines == [9]
    assert suggestion.example is not None
    assert suggestion.example.startswith("负责华东区域运营管理") and "【具体数字】" in suggestion.example


def test_sensitive_data_is_flagged_without_repeating_the_id_number(samples: dict[str, Path]) -> None:
    review = _review(samples["manager.pdf"])
    sensitive = [s for s in review.suggestions if s.category == "sensitive_data"]
    flagged = {n for s in sensitive for n in s.lines}
    assert {2, 3, 4} <= flagged
    assert any(s.severity == "high" and s.lines == [4] for s in sensitive)
    assert any("照片" in s.message for s in sensitive)
    dumped = review.model_dump_json(include={"suggestions"})
    assert "510102198001011234" not in dumped
    assert review.components["privacy"] == 0


def test_missing_sections_and_short_length(samples: dict[str, Path]) -> None:
    review = _review(samples["weak.txt"])
    messages = " ".join(s.message for s in review.suggestions if s.category == "missing_section")
    assert "教育背景" in messages and "专业技能" in messages and "邮箱" in messages
    assert _by_category(review, "length")


def test_mixed_date_formats_are_a_formatting_finding(samples: dict[str, Path]) -> None:
    review = _review(samples["manager.txt"])
    formatting = [s for s in review.suggestions if s.category == "formatting" and "日期写法" in s.message]
    assert formatting and 8 in formatting[0].lines and 16 in formatting[0].lines


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2015.07-2017.06 重庆甲科技有限公司 工程师\n2018.09-至今 重庆乙科技有限公司 工程师", "空档"),
        ("2015.07-至今 重庆甲科技有限公司 工程师\n2018.09-2020.01 重庆乙科技有限公司 工程师", "重叠"),
        ("2027.03-至今 重庆甲科技有限公司 工程师\n2015.07-2017.06 重庆乙科技有限公司 工程师", "晚于今天"),
    ],
)
def test_date_problems(text: str, words: str) -> None:
    body = f"张三\n电话：13800000000\n工作经历\n{text}\n教育背景\n2011.09-2015.06 重庆大学 软件工程 本科\n"
    review = review_resume(parse_resume_bytes(body.encode(), "r.txt"), today=TODAY)
    assert any(s.category == "date_issue" and words in s.message for s in review.suggestions)


@pytest.mark.usefixtures("skill_lexicon")
def test_target_skills_split_into_present_buried_missing(samples: dict[str, Path], skills: SkillService) -> None:
    wanted = skills.target_skills("后端工程师", split_postings(POSTINGS))
    assert wanted.note is None
    assert {"Java", "Kafka", "Docker", "微服务"} <= set(wanted.skills)
    review = _review(samples["engineer.txt"], target_skills=wanted.skills)
    assert {"Java", "Kafka"} <= set(review.skills.present)
    assert "微服务" in review.skills.buried
    assert "Docker" in review.skills.missing
    missing = [s for s in review.suggestions if s.category == "missing_keyword" and "Docker" in s.message]
    assert missing and "确有" in (missing[0].example or "")
    buried = [s for s in review.suggestions if s.category == "missing_keyword" and "微服务" in s.message]
    assert buried and buried[0].lines == [8, 16]


def test_a_stronger_resume_scores_higher(samples: dict[str, Path]) -> None:
    strong, weak = _review(samples["engineer.txt"]), _review(samples["weak.txt"])
    assert strong.score > weak.score + 20
    assert strong.score == sum(strong.components.values())
    assert 0 <= weak.score <= 100


def test_injected_instructions_are_data(samples: dict[str, Path]) -> None:
    review = _review(samples["injection.txt"])
    assert review.score < 100
    flagged = [s for s in review.suggestions if s.category == "formatting" and "指令" in s.message]
    assert {n for s in flagged for n in s.lines} == {7, 8}
    assert "腾讯" not in review.model_dump_json(include={"suggestions", "fields"})


_PLACEHOLDER = re.compile(r"【[^【】]*】")
_ORG = re.compile(r"[\u4e00-\u9fa5]{2,20}(?:公司|大学|学院|集团|银行|研究院|事务所)")


def _outside_placeholders(text: str) -> str:
    while _PLACEHOLDER.search(text):
        text = _PLACEHOLDER.sub(" ", text)
    return text


@pytest.mark.parametrize(
    "name",
    ["graduate.pdf", "engineer.docx", "postdoc.md", "manager.pdf", "career_changer.txt", "english.txt", "weak.txt",
     "no_headings.txt", "injection.txt", "accountant.docx", "designer.docx", "gbk.txt", "two_column.pdf"],
)
@pytest.mark.usefixtures("skill_lexicon")
def test_no_suggestion_invents_facts(samples: dict[str, Path], name: str, skills: SkillService) -> None:
    resume = load_resume(samples[name])
    source = resume.text
    wanted = skills.target_skills("工程师", split_postings(POSTINGS)).skills
    review = review_resume(resume, target_skills=wanted, today=TODAY)
    own_skills = {item.name for item in review.fields.skills}
    assert review.suggestions
    for suggestion in review.suggestions:
        assert all(line in {ln.number for ln in resume.lines} for line in suggestion.lines)
        example = _outside_placeholders(suggestion.example or "")
        for number in re.findall(r"\d+(?:\.\d+)?", example):
            assert number in source, (suggestion, number)
        for text in (example, suggestion.message):
            for org in _ORG.findall(text):
                assert org in source, (suggestion, org)
        allowed = own_skills | (set(wanted) if suggestion.category == "missing_keyword" else set())
        for mention in skills.extract(example):
            assert mention.name in allowed or mention.name.lower() in source.lower(), (suggestion, mention.name)


@pytest.mark.usefixtures("skill_lexicon")
def test_cli_review_json(samples: dict[str, Path], tmp_path: Path) -> None:
    postings = tmp_path / "postings.txt"
    postings.write_text(POSTINGS, encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["resume", "review", str(samples["engineer.docx"]), "--target", "后端工程师", "--postings", str(postings),
         "--json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"score", "components", "sections", "fields", "suggestions", "skills"} <= set(payload)
    assert "Docker" in payload["skills"]["missing"]
    assert set(payload["skills"]) >= {"present", "buried", "missing"}
    for suggestion in payload["suggestions"]:
        assert set(suggestion) == {"lines", "category", "severity", "message", "example"}


def test_cli_review_bad_file_is_one_line(bad_files: dict[str, Path]) -> None:
    result = CliRunner().invoke(app, ["resume", "review", str(bad_files["encrypted.pdf"])])
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception) and "密码" in str(result.exception)


def test_logs_never_carry_contact_data_or_id_numbers(
    samples: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    _review(samples["manager.pdf"])
    logged = " ".join(record.getMessage() for record in caplog.records)
    for secret in ("510102198001011234", "13600001111", "zhangjg@example.com"):
        assert secret not in logged


@pytest.mark.usefixtures("skill_lexicon")
def test_target_title_uses_the_postings_library(
    samples: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_settings: Callable[..., Settings]
) -> None:
    rows = [
        {"title": "数据分析师", "text": "熟练使用 SQL 和 Python，会用 Tableau 制作报表。"},
        {"title": "高级数据分析师", "text": "精通 SQL，熟悉 Python、Pandas，有 Tableau 经验。"},
        {"title": "数据分析师（电商）", "text": "掌握 SQL、Excel，了解 Python 与 Power BI。"},
        {"title": "Java 开发工程师", "text": "精通 Java、Spring Boot、MySQL。"},
        {"title": "Java 后端", "text": "熟悉 Java、Kafka、Redis。"},
    ]
    library = tmp_path / "library.jsonl"
    library.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    wanted = SkillService(make_settings(skills_library=library)).target_skills("数据分析师")
    assert wanted.note == FEW_NOTE.format(n=3, role="数据分析")  # the role's 3 postings, said to be few
    assert {"SQL", "Python", "Tableau"} <= set(wanted.skills) and "Java" not in wanted.skills
    monkeypatch.setenv("ASSISTANT_SKILLS_LIBRARY", str(library))
    result = CliRunner().invoke(
        app, ["resume", "review", str(samples["career_changer.txt"]), "--target", "数据分析师", "--json"]
    )
    assert result.exit_code == 0, result.output
    coverage = json.loads(result.stdout)["skills"]
    assert {"SQL", "Python", "Tableau"} <= set(coverage["present"])
