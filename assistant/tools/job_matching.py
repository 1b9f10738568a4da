"""The job and talent matching tools of the chat: typed input and output; the matching itself is `ctx.jobs`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from assistant.jobs.service import PostingQuery, SeekerProfile, SeekerQuery
from assistant.tools.base import ToolContext
from assistant.tools.models import JobBrief, TalentBrief, ToolInput
from assistant.vocab.entities import degree_name

CITY_WIDE = {"重庆", "重庆市", "全市", "全重庆", "不限", "chongqing"}  # the whole city: no district filter
POSTING_FIELDS = {"title", "function", "industry", "chain", "district", "education_min", "majors", "years_min",
                  "skills_required"}


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

    @field_validator("district")
    @classmethod
    def _city_wide(cls, value: str | None) -> str | None:
        """A model (or a user) naming the city itself asks for no district filter."""
        return None if value is not None and value.strip().lower() in CITY_WIDE else value


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

    @field_validator("district")
    @classmethod
    def _city_wide(cls, value: str | None) -> str | None:
        """A model (or a user) naming the city itself asks for no district filter."""
        return None if value is not None and value.strip().lower() in CITY_WIDE else value


class MatchTalentsOutput(BaseModel):
    """The best talents of the library for the posting."""

    posting: dict[str, Any]
    library_size: int
    talents: list[TalentBrief]


def match_jobs_tool(ctx: ToolContext, inp: MatchJobsInput) -> MatchJobsOutput:
    """Rank library postings for the session's résumé profile and/or a described profile."""
    resume = ctx.state.resume if inp.use_resume else None
    fields = ctx.state.resume_fields  # read once at upload, as of the configured date
    if resume is not None and fields is None:  # a session from before fields were kept
        fields = ctx.resumes.document(resume).fields
    seeker = ctx.jobs.seeker_profile(SeekerQuery.model_validate(inp.model_dump(exclude={"use_resume", "top_k"})),
                                     resume, fields)
    found = ctx.jobs.recommend_jobs(seeker.profile, inp.top_k, in_district=bool(inp.district))
    jobs = [JobBrief.model_validate({"rank": rank, **card.model_dump()}) for rank, card in enumerate(found.jobs, 1)]
    ctx.state.last_jobs, ctx.state.last_match_tool = jobs, "match_jobs"
    ctx.state.last_match = inp.model_dump(mode="json")
    if inp.target_role:
        ctx.state.target_job = inp.target_role
    if seeker.profile.district:
        ctx.state.last_region = seeker.profile.district
    return MatchJobsOutput(profile=_summary(seeker, inp.target_role), library_size=found.library_size, jobs=jobs,
                           note=found.note)


def _summary(seeker: SeekerProfile, target_role: str | None) -> ProfileSummary:
    profile = seeker.profile
    return ProfileSummary(
        source=seeker.source, target_role=target_role or next(iter(profile.desired_titles), ""),
        function=profile.function, industry=profile.industry, major=profile.major,
        degree=degree_name(profile.education), district=profile.district, skills=profile.skills[:12],
        years_experience=profile.years_experience)


def match_talents_tool(ctx: ToolContext, inp: MatchTalentsInput) -> MatchTalentsOutput:
    """Rank library talents for a posting described in words."""
    job = ctx.jobs.described_posting(PostingQuery.model_validate(inp.model_dump(exclude={"top_k"})))
    found = ctx.jobs.recommend_talents(job, inp.top_k, in_district=bool(inp.district))
    talents = [TalentBrief.model_validate({"rank": rank, **card.model_dump()})
               for rank, card in enumerate(found.talents, 1)]
    ctx.state.last_talents, ctx.state.last_match_tool = talents, "match_talents"
    ctx.state.last_match = inp.model_dump(mode="json")
    return MatchTalentsOutput(posting=job.model_dump(mode="json", include=POSTING_FIELDS),
                              library_size=found.library_size, talents=talents)
