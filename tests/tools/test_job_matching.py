"""The job-matching tool: typed request in, ranked explained results out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.config import load_settings
from assistant.errors import InvalidInputError
from assistant.jobs.library import build_library
from assistant.jobs.models import JobPosting
from assistant.jobs.service import (
    JobMatchRequest,
    check_job_posting,
    match,
    open_library,
    read_posting,
    read_profile,
    review_posting,
)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    data_dir = tmp_path_factory.mktemp("data")
    build_library(data_dir / "jobs", postings=400, talents=400, seed=1)
    return load_settings(data_dir=data_dir)


def test_match_both_directions_by_id(settings) -> None:  # type: ignore[no-untyped-def]
    talents = match(JobMatchRequest(direction="talents_for_job", job_id="J000001", top_k=5), settings)
    assert talents.query_id == "J000001" and talents.library_size == 400 and len(talents.results) == 5
    jobs = match(JobMatchRequest(direction="jobs_for_talent", talent_id=talents.results[0].id, top_k=5), settings)
    assert len(jobs.results) == 5 and all(r.title for r in jobs.results)


def test_match_an_inline_profile(settings) -> None:  # type: ignore[no-untyped-def]
    request = JobMatchRequest.model_validate({"direction": "jobs_for_talent", "top_k": 3, "talent": {
        "id": "me", "current_title": "电池系统工程师", "industry": "智能网联新能源汽车", "skills": ["电池管理系统", "MATLAB"],
        "education": "硕士", "years_experience": 5, "district": "两江新区"}})
    response = match(request, settings)
    assert response.results[0].score >= response.results[-1].score


def test_the_request_needs_exactly_one_query() -> None:
    with pytest.raises(ValidationError, match="恰好"):
        JobMatchRequest(direction="talents_for_job")
    with pytest.raises(ValidationError, match="恰好"):
        JobMatchRequest(direction="jobs_for_talent", talent_id="T1", talent={"id": "x", "skills": ["Java"]})


def test_the_library_is_opened_once_and_reopened_after_a_rebuild(settings) -> None:  # type: ignore[no-untyped-def]
    assert open_library(settings) is open_library(settings)


def test_read_record_explains_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "job.json"
    bad.write_text(json.dumps({"id": "j", "title": "会计", "salary": "高薪"}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InvalidInputError, match="salary"):
        read_posting(bad)
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (10 * 1024 * 1024))
    with pytest.raises(InvalidInputError, match="过大"):
        read_profile(huge)


def test_check_job_posting_flags_discrimination() -> None:
    assert [i.kind for i in check_job_posting("限女性，25-30岁").issues] == ["gender", "age"]


def test_posting_a_job_checks_its_wording_and_pushes_talents(settings) -> None:  # type: ignore[no-untyped-def]
    job = JobPosting(id="NEW", title="Java开发工程师", industry="软件和信息服务", district="渝北区",
                     skills_required=["Java"], description="负责后端开发，限男性，本地户口优先。")
    review = review_posting(job, top_k=3, settings=settings)
    assert [issue.kind for issue in review.check.issues] == ["gender", "hukou"]
    assert review.check.issues[1].text == "本地户口优先"
    assert len(review.talents.results) == 3 and review.talents.query_id == "NEW"
