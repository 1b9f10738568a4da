"""JobService: typed request in, ranked explained results out; the library, weights and catalogue it owns."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.config import load_settings
from assistant.errors import IndexNotReadyError, InvalidInputError
from assistant.jobs.explain import explain
from assistant.jobs.library import build_library
from assistant.jobs.models import JobPosting
from assistant.jobs.search import JobQuery
from assistant.jobs.service import (
    JobMatchRequest,
    JobService,
    PostingQuery,
    SeekerQuery,
    check_job_posting,
    read_posting,
    read_profile,
)
from assistant.resume.service import ResumeService
from assistant.skills.service import SkillService

RESUME = Path(__file__).resolve().parents[1] / "data" / "jobs" / "resume_java.txt"


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> JobService:
    data_dir = tmp_path_factory.mktemp("data")
    build_library(data_dir / "jobs", postings=400, talents=400, seed=1)
    return JobService(load_settings(data_dir=data_dir))


def test_match_both_directions_by_id(jobs: JobService) -> None:
    talents = jobs.match(JobMatchRequest(direction="talents_for_job", job_id="J000001", top_k=5))
    assert talents.query_id == "J000001" and talents.library_size == 400 and len(talents.results) == 5
    found = jobs.match(JobMatchRequest(direction="jobs_for_talent", talent_id=talents.results[0].id, top_k=5))
    assert len(found.results) == 5 and all(r.title for r in found.results)


def test_match_an_inline_profile(jobs: JobService) -> None:
    request = JobMatchRequest.model_validate({"direction": "jobs_for_talent", "top_k": 3, "talent": {
        "id": "me", "current_title": "电池系统工程师", "industry": "智能网联新能源汽车",
        "skills": ["电池管理系统", "MATLAB"], "education": "硕士", "years_experience": 5, "district": "两江新区"}})
    response = jobs.match(request)
    assert response.results[0].score >= response.results[-1].score


def test_the_request_needs_exactly_one_query() -> None:
    with pytest.raises(ValidationError, match="恰好"):
        JobMatchRequest(direction="talents_for_job")
    with pytest.raises(ValidationError, match="恰好"):
        JobMatchRequest(direction="jobs_for_talent", talent_id="T1", talent={"id": "x", "skills": ["Java"]})


def test_the_library_and_catalogue_are_opened_once_and_reopened_after_a_rebuild(tmp_path: Path) -> None:
    service = JobService(load_settings(data_dir=tmp_path))
    with pytest.raises(IndexNotReadyError):
        service.library()
    assert service.library_or_none() is None
    service.build(postings=50, talents=50, seed=3)
    library, catalogue = service.library(), service.catalogue()
    assert service.library() is library and service.catalogue() is catalogue
    assert catalogue.search(JobQuery()).total == 50
    manifest = service.directory / "manifest.json"
    service.build(postings=60, talents=50, seed=3)
    os.utime(manifest, (1, manifest.stat().st_mtime + 10))  # a rebuild within the clock's resolution still counts
    assert service.library() is not library and len(service.library().job_ids) == 60
    assert service.catalogue() is not catalogue and service.catalogue().search(JobQuery()).total == 60


def test_weights_are_kept_and_re_read_when_their_file_changes(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[2] / "assistant" / "jobs" / "weights.yaml").read_text(encoding="utf-8")
    path = tmp_path / "weights.yaml"
    path.write_text(text, encoding="utf-8")
    service = JobService(load_settings(data_dir=tmp_path, match_weights=path))
    first = service.weights()
    assert service.weights() is first and first.dimensions["location"].weight == 5
    path.write_text(text.replace("location:           {weight: 5}", "location:           {weight: 50}"),
                    encoding="utf-8")
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 10**9))
    assert service.weights().dimensions["location"].weight == 50


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


def test_posting_a_job_checks_its_wording_and_pushes_talents(jobs: JobService) -> None:
    job = JobPosting(id="NEW", title="Java开发工程师", industry="软件和信息服务", district="渝北区",
                     skills_required=["Java"], description="负责后端开发，限男性，本地户口优先。")
    review = jobs.review_posting(job, top_k=3)
    assert [issue.kind for issue in review.check.issues] == ["gender", "hukou"]
    assert review.check.issues[1].text == "本地户口优先"
    assert len(review.talents.results) == 3 and review.talents.query_id == "NEW"


def test_a_seeker_profile_lays_the_message_over_the_resume(jobs: JobService) -> None:
    said = jobs.seeker_profile(SeekerQuery(target_role="电池系统工程师", degree="硕士", district="渝北"))
    assert said.source == "message" and said.profile.function == "三电研发"
    assert said.profile.education == 4 and said.profile.preferred_districts == ["渝北区"]
    document = ResumeService(jobs.settings, SkillService(jobs.settings)).read_file(RESUME)
    from_resume = jobs.seeker_profile(SeekerQuery(), document.parsed, document.fields)
    assert from_resume.source == "resume" and from_resume.profile.current_title == "Java开发工程师"
    laid = jobs.seeker_profile(SeekerQuery(skills=["Rust"]), document.parsed, document.fields)
    assert laid.source == "resume+message" and laid.profile.skills == [*from_resume.profile.skills, "Rust"]
    with pytest.raises(InvalidInputError, match="无法识别的学历"):
        jobs.seeker_profile(SeekerQuery(degree="很高"))
    with pytest.raises(InvalidInputError, match="先上传简历"):
        jobs.seeker_profile(SeekerQuery())


def test_a_district_asked_for_is_a_hard_filter_until_nothing_passes(jobs: JobService) -> None:
    profile = jobs.seeker_profile(SeekerQuery(target_role="Java开发工程师", district="渝北区")).profile
    inside = jobs.recommend_jobs(profile, 5, in_district=True)
    assert inside.note is None and inside.jobs and all(card.district == "渝北区" for card in inside.jobs)
    # no schooling and no experience: almost every posting fails a hard filter, so most districts have none left
    beginner = profile.model_copy(update={"education": 0, "years_experience": 0.0})
    relaxed = []
    for district in jobs.catalogue().facets.districts:
        asked = beginner.model_copy(update={"district": district, "preferred_districts": [district]})
        found = jobs.recommend_jobs(asked, 5, in_district=True)
        if found.note is not None:
            assert found.note == f"库中没有{district}的合适结果，以下为其他区县的结果。"
            assert all(card.district != district for card in found.jobs)
            relaxed.append(district)
    assert relaxed


def test_cards_carry_the_one_explanation(jobs: JobService) -> None:
    job = jobs.described_posting(PostingQuery(title="电池系统工程师", degree="本科", skills=["电池管理系统"]))
    assert job.function == "三电研发" and job.education_min == 3
    found = jobs.recommend_talents(job, 5)
    pairs = jobs.talents_for(job, 5)
    assert [card.id for card in found.talents] == [talent.id for _, talent in pairs]
    for card, (result, _) in zip(found.talents, pairs, strict=True):
        assert (card.strengths, card.gaps) == explain(result)
    profile = jobs.library().talent(found.talents[0].id)
    for card, (result, _) in zip(jobs.recommend_jobs(profile, 5).jobs, jobs.jobs_for(profile, 5), strict=True):
        assert (card.strengths, card.gaps) == explain(result) and card.id == result.id
