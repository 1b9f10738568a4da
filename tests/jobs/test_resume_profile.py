"""A résumé becomes a talent profile whose evidence points at the résumé's own lines."""

from __future__ import annotations

from pathlib import Path

from assistant.config import load_settings
from assistant.jobs.library import Library
from assistant.jobs.matching import MatchWeights, match_jobs
from assistant.jobs.models import TalentProfile
from assistant.jobs.resume_profile import profile_from_resume
from assistant.resume.service import ResumeService
from assistant.skills.service import SkillService

RESUME = Path(__file__).resolve().parents[1] / "data" / "jobs" / "resume_java.txt"


def profile_from_resume_file(path: Path, max_bytes: int) -> TalentProfile:
    """The résumé read once by ResumeService (as the CLI and the pages read it), then mapped onto a profile."""
    settings = load_settings(resume_max_bytes=max_bytes)
    document = ResumeService(settings, SkillService(settings)).read_file(path)
    return profile_from_resume(document.parsed, document.fields, profile_id=path.stem)


def test_resume_fields_map_onto_the_profile_with_their_lines() -> None:
    profile = profile_from_resume_file(RESUME, max_bytes=1_000_000)
    assert profile.current_title == "Java开发工程师" and profile.desired_titles == ["Java开发工程师"]
    assert (profile.function, profile.industry) == ("软件开发", "软件和信息服务")  # the catalogue lists this title
    assert profile.education == 3 and profile.major == "软件工程"
    assert profile.preferred_districts == ["渝北区", "两江新区"]
    assert (profile.salary_expectation.low, profile.salary_expectation.high) == (15000, 20000)
    assert {"Java", "MySQL", "Kafka"} <= set(profile.skills)
    assert profile.evidence_lines["salary_expectation"] == "期望薪资：15-20K"
    assert "熟练掌握 Java" in profile.evidence_lines["skills"]
    assert profile.years_experience is not None and profile.years_experience > 5
    assert profile.protected.model_dump(exclude_none=True) == {}  # nothing protected is carried into matching


def test_jobs_for_a_resume_quote_its_lines_and_mark_what_it_lacks(library: Library, weights: MatchWeights) -> None:
    profile = profile_from_resume_file(RESUME, max_bytes=1_000_000)
    results = match_jobs(library, profile, 5, weights)
    assert results
    dims = {d.name: d for d in results[0].dimensions}
    assert "简历「" in dims["required_skills"].evidence or dims["required_skills"].status == "not_required"
    assert dims["project_relevance"].status in {"missing", "not_required"}
    assert dims["education"].evidence.endswith("（简历「2014.09-2018.06 重庆大学 软件工程 本科」）")
