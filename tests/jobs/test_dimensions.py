"""Each of the 22 dimensions: a perfect pair scores 1, one changed field moves only its own dimension."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.jobs.dimensions import DIMENSIONS
from assistant.jobs.matching import MatchWeights, explain_pair
from assistant.jobs.models import JobPosting, TalentProfile

JOB = JobPosting(
    id="J1", title="Java开发工程师", company="重庆山城数据科技有限公司", function="软件开发", industry="软件和信息服务",
    chain="大数据", district="渝北区", company_type="民营企业", company_size=(100, 499), education_min=3,
    majors=["软件工程"], years_min=3, years_max=5, salary="15-20K·14薪", skills_required=["Java", "MySQL"],
    skills_preferred=["Kafka"], certificates=["PMP"], title_level_min=2, languages=["英语"], management_min=3,
    industry_years_min=2, project_keywords=["数据中台"], employment_type="全职", travel=1,
    start_date=dt.date(2027, 1, 1), tier_min=1, benefits=["五险一金", "年终奖"], career_track="技术专家",
)
TALENT = TalentProfile(
    id="T1", name="测试人才", current_title="Java开发工程师", desired_titles=["Java开发工程师"], function="软件开发",
    industry="软件和信息服务", chain="大数据", district="渝北区", preferred_districts=["渝北区"], education=3,
    major="软件工程", years_experience=4, industry_years=3, salary_expectation="14-18K",
    skills=["Java", "MySQL", "Kafka"], certificates=["PMP"], title_level=2, languages=["英语"], managed_team_size=5,
    project_keywords=["数据中台"],
    employment_types=["全职"], travel_tolerance=1, available_from=dt.date(2026, 12, 15), tier=1,
    preferred_company_types=["民营企业"], preferred_company_size=(100, 499), desired_benefits=["五险一金"],
    career_intent="技术专家",
)


def _scores(
    weights: MatchWeights, job: JobPosting = JOB, talent: TalentProfile = TALENT
) -> dict[str, tuple[float, str]]:
    result = explain_pair(job, talent, weights)
    return {d.name: (d.score, d.status) for d in result.dimensions}


def test_there_are_22_named_dimensions_and_a_perfect_pair_scores_one(weights: MatchWeights) -> None:
    assert len(DIMENSIONS) == 22 == len({d.name for d in DIMENSIONS})
    scores = _scores(weights)
    assert all(score == 1.0 and status == "compared" for score, status in scores.values()), scores
    assert explain_pair(JOB, TALENT, weights).score == 1.0


CASES = [
    ("job_function", {}, {"function": "数据智能"}, 0.3, "compared"),
    ("job_function", {}, {"function": ""}, 0.5, "missing"),
    ("title_similarity", {}, {"current_title": "仓储经理", "desired_titles": ["物流主管"]}, 0.0, "compared"),
    ("industry_chain", {}, {"chain": "云计算"}, 0.7, "compared"),
    ("industry_chain", {}, {"industry": "生物医药", "chain": "中药"}, 0.0, "compared"),
    ("education", {}, {"education": 2}, 0.3, "compared"),
    ("education", {}, {"education": 5}, 1.0, "compared"),
    ("education", {}, {"education": None}, 0.5, "missing"),
    ("education", {"education_min": 0}, {"education": 1}, 1.0, "not_required"),
    ("major", {}, {"major": "计算机科学与技术"}, 0.6, "compared"),  # listed for the posting's industry
    ("major", {}, {"major": "药学"}, 0.2, "compared"),
    ("major", {"majors": []}, {"major": "药学"}, 1.0, "not_required"),
    ("years_experience", {}, {"years_experience": 1.5}, 0.5, "compared"),
    ("years_experience", {}, {"years_experience": 12}, 0.8, "compared"),  # far above the range
    ("years_experience", {}, {"years_experience": None}, 0.5, "missing"),
    ("salary", {}, {"salary_expectation": "35-40K"}, 0.0, "compared"),
    ("salary", {}, {"salary_expectation": "25-30K"}, 1 - (300 - 280) / 300 / 0.3, "compared"),  # annual, 14薪 counted
    ("salary", {}, {"salary_expectation": "22-25K"}, 1.0, "compared"),  # 22K×12 < 20K×14
    ("salary", {"salary": "面议"}, {}, 0.5, "missing"),
    ("location", {}, {"district": "沙坪坝区", "preferred_districts": ["沙坪坝区", "渝北区"]}, 0.9, "compared"),
    ("location", {}, {"district": "沙坪坝区", "preferred_districts": [], "willing_to_relocate": True}, 0.7, "compared"),
    ("location", {}, {"district": "万州区", "preferred_districts": []}, 0.1, "compared"),
    ("required_skills", {}, {"skills": ["Java", "Kafka"]}, 0.5, "compared"),
    ("preferred_skills", {}, {"skills": ["Java", "MySQL"]}, 0.0, "compared"),
    ("certificates", {}, {"certificates": []}, 0.0, "compared"),
    ("professional_title", {}, {"title_level": 1}, 0.4, "compared"),
    ("languages", {}, {"languages": ["日语"]}, 0.0, "compared"),
    ("management", {}, {"managed_team_size": 1}, 0.5 + 0.5 / 3, "compared"),
    ("industry_years", {}, {"industry_years": 1}, 0.5, "compared"),
    ("project_relevance", {}, {"project_keywords": ["智慧城市"]}, 0.0, "compared"),
    ("employment_type", {"employment_type": "实习"}, {}, 0.0, "compared"),
    ("employment_type", {"travel": 2}, {}, 0.6, "compared"),
    ("start_date", {}, {"available_from": dt.date(2027, 2, 15)}, 0.5, "compared"),
    ("talent_tier", {}, {"tier": 0}, 0.0, "compared"),
    ("company_preference", {}, {"preferred_company_types": ["国有企业"]}, 0.5, "compared"),
    ("company_preference", {}, {"preferred_company_types": [], "preferred_company_size": None}, 1.0, "not_required"),
    ("benefits", {}, {"desired_benefits": ["五险一金", "人才公寓"]}, 0.5, "compared"),
    ("career_intent", {}, {"career_intent": "管理"}, 0.3, "compared"),
]


@pytest.mark.parametrize(("name", "job_change", "talent_change", "score", "status"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_one_changed_field_moves_its_own_dimension(
    weights: MatchWeights, name: str, job_change: dict, talent_change: dict, score: float, status: str
) -> None:
    job = JobPosting.model_validate({**JOB.model_dump(), **job_change})
    talent = TalentProfile.model_validate({**TALENT.model_dump(), **talent_change})
    scores = _scores(weights, job, talent)
    assert scores[name][0] == pytest.approx(score, abs=1e-4)
    assert scores[name][1] == status
    others = {key: value for key, value in scores.items() if key != name and value[0] != 1.0}
    # title changes also change function-free title similarity only; everything else stays perfect
    assert not {k for k in others if k not in {"title_similarity"}}, others


def test_title_similarity_prefers_closer_titles(weights: MatchWeights) -> None:
    near = _scores(weights,
                   talent=TALENT.model_copy(update={"current_title": "Java后端开发工程师", "desired_titles": []}))
    far = _scores(weights, talent=TALENT.model_copy(update={"current_title": "Python开发工程师", "desired_titles": []}))
    assert 1.0 > near["title_similarity"][0] > far["title_similarity"][0] > 0.0


def test_evidence_names_both_sides_or_says_missing(weights: MatchWeights) -> None:
    result = explain_pair(JOB, TALENT.model_copy(update={"education": None}), weights)
    evidence = {d.name: d.evidence for d in result.dimensions}
    assert evidence["education"] == "missing"
    assert "15-20K·14薪" in evidence["salary"] and "14-18K" in evidence["salary"]
    assert "（2/2）" in evidence["required_skills"]


def test_evidence_quotes_the_resume_line_when_there_is_one(weights: MatchWeights) -> None:
    talent = TALENT.model_copy(update={"evidence_lines": {"skills": "熟练使用 Java、MySQL 与 Kafka"}})
    evidence = {d.name: d.evidence for d in explain_pair(JOB, talent, weights).dimensions}
    assert "简历「熟练使用 Java、MySQL 与 Kafka」" in evidence["required_skills"]


def test_every_dimension_is_documented_with_its_default_weight(weights: MatchWeights) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "MATCHING.md").read_text(encoding="utf-8")
    rows = {cells[2]: cells for line in doc.splitlines()
            if line.startswith("| ") and len(cells := [c.strip() for c in line.split("|")]) > 8}
    for dimension in DIMENSIONS:
        cells = rows[dimension.name]
        assert cells[3] == dimension.label
        assert float(cells[6]) == weights.dimensions[dimension.name].weight, dimension.name
        assert cells[7].startswith("yes") == weights.dimensions[dimension.name].hard, dimension.name
