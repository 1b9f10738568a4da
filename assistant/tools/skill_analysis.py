"""The skill-analysis tool: high-frequency skills of a target job, from SkillService (as `assistant skills analyze`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.errors import InvalidInputError
from assistant.tools.base import ToolContext
from assistant.tools.models import ToolInput
from assistant.vocab.entities import find_district

NO_TARGET = "请告诉我目标岗位名称，例如：数据分析师需要哪些技能？"


class AnalyzeSkillsInput(ToolInput):
    """A target job title (default: the session's target job)."""

    target_job: str | None = Field(default=None, max_length=60, description="e.g. 数据分析师; empty = the session's.")
    district: str | None = Field(
        default=None, max_length=20, description="Only postings of this district, e.g. 渝北区.")
    top_k: int = Field(default=10, ge=1, le=30, description="How many skills to list.")


class SkillBrief(BaseModel):
    """One high-frequency skill of the target postings."""

    name: str
    category: str = Field(description="hard_skill, tool, certificate, language, soft_skill or industry_term.")
    share: float = Field(description="Share of the target postings that name it.")
    required_share: float = Field(description="Share of the target postings that require it.")
    keyness: float | None = Field(description="Log-likelihood G² against the rest of the library; > 0 = distinctive.")
    example: str = Field(default="", description="A sentence of a posting that names it.")


class AnalyzeSkillsOutput(BaseModel):
    """High-frequency skills of the library postings most like the target title."""

    target_job: str
    matched_title: str = Field(description="The title the postings were selected by (the target or the closest one).")
    postings: int = Field(description="Target postings analysed; 0 = none is like the target.")
    reference_postings: int
    skills: list[SkillBrief]
    note: str | None = None


def analyze_skills_tool(ctx: ToolContext, inp: AnalyzeSkillsInput) -> AnalyzeSkillsOutput:
    """High-frequency skills of the target job across the postings library (SkillService.title_skills)."""
    target = inp.target_job or ctx.state.target_job
    if not target:
        raise InvalidInputError(NO_TARGET)
    district = (find_district(inp.district) or inp.district) if inp.district else ""
    found = ctx.skills.title_skills(target, city=district, top_k=inp.top_k, examples=1)
    ctx.state.target_job = target
    report = found.report
    if report is None:
        return AnalyzeSkillsOutput(target_job=target, matched_title=found.matched_title, postings=0,
                                   reference_postings=found.library_postings, skills=[], note=found.note)
    skills = [SkillBrief(name=s.name, category=s.category, share=s.share, required_share=s.required_share,
                         keyness=s.keyness, example=s.examples[0] if s.examples else "") for s in report.skills]
    return AnalyzeSkillsOutput(target_job=target, matched_title=found.matched_title, postings=report.postings,
                               reference_postings=report.reference_postings, skills=skills, note=found.note)
