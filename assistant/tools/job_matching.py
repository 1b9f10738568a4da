"""The job and talent matching tools of the chat: a described or uploaded profile, or a described posting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from assistant.errors import InvalidInputError
from assistant.jobs.matching import MatchResult
from assistant.jobs.models import JobPosting, TalentProfile
from assistant.tools.models import DimensionBar, JobBrief, SessionState, TalentBrief, ToolInput
from assistant.vocab.entities import degree_name, find_degree, find_district, resolve_role

if TYPE_CHECKING:
    from assistant.jobs.library import Library
    from assistant.jobs.matching import MatchWeights
    from assistant.tools.registry import ToolContext

IN_DISTRICT = 0.85  # location score of the asked district (1.0) or a preferred one (0.9); others score ≤ 0.7
_ROWS: dict[int, tuple[object, dict[str, int], dict[str, int]]] = {}


class MatchJobsInput(ToolInput):
    """A job seeker: the session's résumé and/or what they said about themselves."""

    use_resume: bool = Field(default=True, description="Start from the profile of the résumé uploaded in this session.")
    target_role: str | None = Field(default=None, max_length=60, description="Wanted job, e.g. 新能源汽车电池研发.")
    major: str | None = Field(default=None, max_length=40, description="Major, e.g. 机械设计制造及其自动化.")
    degree: str | None = Field(default=None, max_length=10, description="Highest degree: 大专/本科/硕士/博士.")
    district: str | None = Field(default=None, max_length=20, description="Chongqing district, e.g. 渝北区.")
    skills: list[str] = Field(default_factory=list, max_length=30)
    years_experience: float | None = Field(default=None, ge=0, le=60)
    top_k: int = Field(default=5, ge=1, le=20)


class ProfileSummary(BaseModel):
    """The profile that was matched, as the reply explains it."""

    source: str = Field(description="resume, message or resume+message.")
    target_role: str = ""
    function: str = ""
    industry: str = ""
    major: str = ""
    degree: str = ""
    district: str = ""
    skills: list[str] = Field(default_factory=list)
    years_experience: float | None = None


class MatchJobsOutput(BaseModel):
    """The best postings of the library for the profile."""

    profile: ProfileSummary
    library_size: int
    jobs: list[JobBrief]
    note: str | None = None


class MatchTalentsInput(ToolInput):
    """A posting described in words: at least its title."""

    title: str = Field(min_length=1, max_length=60, description="Job title, e.g. 电池系统工程师.")
    district: str | None = Field(default=None, max_length=20)
    degree: str | None = Field(default=None, max_length=10, description="Minimum degree: 大专/本科/硕士/博士.")
    major: str | None = Field(default=None, max_length=40)
    skills: list[str] = Field(default_factory=list, max_length=30)
    years_min: float = Field(default=0.0, ge=0, le=60)
    top_k: int = Field(default=5, ge=1, le=20)


class MatchTalentsOutput(BaseModel):
    """The best talents of the library for the posting."""

    posting: dict[str, Any]
    library_size: int
    talents: list[TalentBrief]


def match_jobs_tool(ctx: ToolContext, inp: MatchJobsInput) -> MatchJobsOutput:
    """Rank library postings for the session's résumé profile and/or a described profile."""
    from assistant.jobs.service import open_library

    profile, source = _profile(ctx.state, inp)
    library = open_library(ctx.settings)
    results, note = _ranked(ctx, library, profile, inp.top_k, bool(inp.district))
    job_rows, _ = _rows(library)
    postings = {p.id: p for p in library.postings_at([job_rows[r.id] for r in results])}
    jobs = [_job_brief(rank, result, postings[result.id]) for rank, result in enumerate(results, 1)]
    ctx.state.last_jobs, ctx.state.last_match_tool = jobs, "match_jobs"
    ctx.state.last_match = inp.model_dump(mode="json")
    if inp.target_role:
        ctx.state.target_job = inp.target_role
    if profile.district:
        ctx.state.last_region = profile.district
    summary = ProfileSummary(
        source=source, target_role=inp.target_role or (profile.desired_titles[0] if profile.desired_titles else ""),
        function=profile.function, industry=profile.industry, major=profile.major,
        degree=degree_name(profile.education), district=profile.district, skills=profile.skills[:12],
        years_experience=profile.years_experience)
    return MatchJobsOutput(profile=summary, library_size=len(library.job_ids), jobs=jobs, note=note)


def _ranked(ctx: ToolContext, library: Library, record: TalentProfile | JobPosting, top_k: int,
            in_district: bool) -> tuple[list[MatchResult], str | None]:
    """The library's ranking (the CLI's weights); a named district becomes a hard location filter."""
    from assistant.jobs.matching import DimensionWeight, MatchWeights, load_weights

    weights = load_weights(ctx.settings.match_weights)
    if in_district:
        location = weights.dimensions["location"]
        strict = MatchWeights(dimensions={**weights.dimensions, "location": DimensionWeight(
            weight=location.weight, hard=True, hard_min=IN_DISTRICT)})
        results = _rank(library, record, top_k, strict)
        if results:
            return results, None
        return _rank(library, record, top_k, weights), f"库中没有{record.district}的合适结果，以下为其他区县的结果。"
    return _rank(library, record, top_k, weights), None


def _rank(library: Library, record: TalentProfile | JobPosting, top_k: int, weights: MatchWeights) -> list[MatchResult]:
    from assistant.jobs.matching import match_jobs, match_talents

    if isinstance(record, TalentProfile):
        return match_jobs(library, record, top_k, weights)
    return match_talents(library, record, top_k, weights)


def _rows(library: Library) -> tuple[dict[str, int], dict[str, int]]:
    """Row numbers of posting and talent ids, computed once per opened library."""
    entry = _ROWS.get(id(library))
    if entry is None or entry[0] is not library:
        entry = (library, {k: i for i, k in enumerate(library.job_ids)}, {k: i for i, k in enumerate(library.talent_ids)})
        _ROWS.clear()
        _ROWS[id(library)] = entry
    return entry[1], entry[2]


def _profile(state: SessionState, inp: MatchJobsInput) -> tuple[TalentProfile, str]:
    base = TalentProfile(id="chat")
    source = "message"
    if inp.use_resume and state.resume is not None:
        from assistant.jobs.resume_profile import profile_from_resume
        from assistant.resume.fields import extract_fields
        from assistant.resume.sections import split_sections

        base = profile_from_resume(state.resume, extract_fields(state.resume, split_sections(state.resume.lines)),
                                   profile_id="chat-resume")
        source = "resume"
    update: dict[str, Any] = {}
    if inp.target_role:
        role = resolve_role(inp.target_role)
        update["desired_titles"] = list(dict.fromkeys([inp.target_role, *([role.title] if role else [])]))
        if role:
            update |= {"function": role.function, "industry": role.industry, "chain": role.chain}
    if inp.major:
        update["major"] = inp.major
    if inp.degree:
        level = find_degree(inp.degree)
        if level is None:
            raise InvalidInputError(f"无法识别的学历：{inp.degree}（可用：大专、本科、硕士、博士）")
        update["education"] = level
    if inp.district:
        district = find_district(inp.district) or inp.district
        update |= {"district": district, "preferred_districts": [district]}
    if inp.skills:
        update["skills"] = list(dict.fromkeys([*base.skills, *inp.skills]))
    if inp.years_experience is not None:
        update["years_experience"] = inp.years_experience
    if update and source == "resume":
        source = "resume+message"
    profile = base.model_copy(update=update)
    if profile.is_empty():
        raise InvalidInputError("请告诉我你的专业、学历、想做的岗位或技能，或先上传简历，我再为你匹配岗位。")
    return profile, source


def _dimension_notes(result: MatchResult) -> tuple[list[str], list[str]]:
    compared = [d for d in result.dimensions if d.status == "compared"]
    strengths = sorted((d for d in compared if d.score >= 0.7), key=lambda d: -d.weight * d.score)[:3]
    gaps = sorted((d for d in compared if d.score < 0.5), key=lambda d: -d.weight * (1 - d.score))[:2]
    return [f"{d.label}：{d.evidence}" for d in strengths], [f"{d.label}：{d.evidence}" for d in gaps]


def _dimension_bars(result: MatchResult, count: int = 6) -> list[DimensionBar]:
    compared = sorted((d for d in result.dimensions if d.status == "compared"), key=lambda d: -d.weight)
    return [DimensionBar(label=d.label, score=round(d.score, 3)) for d in compared[:count]]


def _job_brief(rank: int, result: MatchResult, posting: JobPosting) -> JobBrief:
    strengths, gaps = _dimension_notes(result)
    return JobBrief(rank=rank, id=posting.id, title=posting.title, company=posting.company, district=posting.district,
                    salary=posting.salary.label() if posting.salary else "面议",
                    education_min=degree_name(posting.education_min), years_min=posting.years_min,
                    skills_required=posting.skills_required[:8], score=result.score,
                    passed_hard_filters=result.passed_hard_filters, strengths=strengths, gaps=gaps,
                    dimensions=_dimension_bars(result))


def match_talents_tool(ctx: ToolContext, inp: MatchTalentsInput) -> MatchTalentsOutput:
    """Rank library talents for a posting described in words."""
    from assistant.jobs.service import open_library

    role = resolve_role(inp.title)
    fields: dict[str, Any] = {"id": "chat-posting", "title": inp.title, "skills_required": inp.skills,
                              "years_min": inp.years_min, "majors": [inp.major] if inp.major else []}
    if role:
        fields |= {"function": role.function, "industry": role.industry, "chain": role.chain}
    if inp.district:
        fields["district"] = find_district(inp.district) or inp.district
    if inp.degree:
        level = find_degree(inp.degree)
        if level is None:
            raise InvalidInputError(f"无法识别的学历：{inp.degree}（可用：大专、本科、硕士、博士）")
        fields["education_min"] = level
    job = JobPosting(**fields)
    library = open_library(ctx.settings)
    results, _ = _ranked(ctx, library, job, inp.top_k, bool(inp.district))
    people = library.talents_at([_rows(library)[1][r.id] for r in results])
    talents = []
    for rank, (result, person) in enumerate(zip(results, people, strict=True), 1):
        strengths, _ = _dimension_notes(result)
        talents.append(TalentBrief(rank=rank, id=person.id, name=person.name or person.id,
                                   current_title=person.current_title, district=person.district,
                                   education=degree_name(person.education), years_experience=person.years_experience,
                                   skills=person.skills[:8], score=result.score, strengths=strengths))
    ctx.state.last_talents, ctx.state.last_match_tool = talents, "match_talents"
    ctx.state.last_match = inp.model_dump(mode="json")
    posting = job.model_dump(mode="json", include={"title", "function", "industry", "chain", "district",
                                                   "education_min", "majors", "years_min", "skills_required"})
    return MatchTalentsOutput(posting=posting, library_size=len(library.talent_ids), talents=talents)


