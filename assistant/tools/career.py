"""The skill-analysis and résumé-review tools of the chat, over the same cores the CLI calls."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant.errors import IndexNotReadyError, InvalidInputError
from assistant.tools.models import ToolInput
from assistant.vocab.entities import find_district, find_role, resolve_role

if TYPE_CHECKING:
    from assistant.skills.analysis import SkillIndex
    from assistant.tools.registry import ToolContext

NO_RESUME = "还没有上传简历：请先上传简历（PDF、DOCX、TXT 或 Markdown），我再帮你看。"
_SKILL_INDEXES: dict[tuple[Path, float], SkillIndex] = {}
_SKILL_LOCK = threading.Lock()


class AnalyzeSkillsInput(ToolInput):
    """A target job title (default: the session's target job)."""

    target_job: str | None = Field(default=None, max_length=60, description="e.g. 数据分析师; empty = the session's.")
    district: str | None = Field(default=None, max_length=20)
    top_k: int = Field(default=10, ge=1, le=30)


class SkillBrief(BaseModel):
    """One high-frequency skill of the target postings."""

    name: str
    category: str
    share: float
    required_share: float
    keyness: float | None
    example: str = ""


class AnalyzeSkillsOutput(BaseModel):
    """High-frequency skills of the library postings most like the target title."""

    target_job: str
    matched_title: str
    postings: int
    reference_postings: int
    skills: list[SkillBrief]
    note: str | None = None


class ReviewResumeInput(ToolInput):
    """Which job to review the session's résumé against (default: the session's target job)."""

    target_job: str | None = Field(default=None, max_length=60)


class SuggestionBrief(BaseModel):
    """One suggestion with the résumé lines it points at."""

    lines: list[int]
    line_text: str = ""
    severity: str
    category: str
    message: str
    example: str | None = None


class ReviewResumeOutput(BaseModel):
    """Score, components, line-level suggestions and target-skill coverage of the session's résumé."""

    filename: str
    target_job: str | None
    score: int
    components: dict[str, int]
    suggestions: list[SuggestionBrief]
    present: list[str]
    buried: list[str]
    missing: list[str]
    note: str | None = None
    warnings: list[str] = Field(default_factory=list)


def skill_index(ctx: ToolContext) -> SkillIndex:
    """The skill index of the postings library, built once per process (rebuilt when the file changes)."""
    from assistant.skills.analysis import load_library_index, postings_library

    path = postings_library(ctx.settings.skills_library, ctx.settings.data_dir)
    if path is None:
        raise IndexNotReadyError("技能分析需要岗位库：请先运行 `assistant library build`。")
    key = (path, path.stat().st_mtime)
    with _SKILL_LOCK:
        if key not in _SKILL_INDEXES:
            index = load_library_index(path, ctx.settings.data_dir / "skills")
            _SKILL_INDEXES.clear()
            _SKILL_INDEXES[key] = index
        return _SKILL_INDEXES[key]


def _select(index: SkillIndex, target: str, district: str = "") -> tuple[list[int], str]:
    """Postings like the target title; a free-text role falls back to its closest catalogue title."""
    chosen = index.select(target, city=district)
    if chosen:
        return chosen, target
    title = find_role(target) if target.isascii() else None  # "data analyst" → 数据分析师
    role = resolve_role(title or target)
    for alias in (title, role.title if role else None):
        if alias and alias != target and (chosen := index.select(alias, city=district)):
            return chosen, alias
    return [], target


def analyze_skills_tool(ctx: ToolContext, inp: AnalyzeSkillsInput) -> AnalyzeSkillsOutput:
    """High-frequency skills of the target job across the built postings library."""
    target = inp.target_job or ctx.state.target_job
    if not target:
        raise InvalidInputError("请告诉我目标岗位名称，例如：数据分析师需要哪些技能？")
    district = (find_district(inp.district) or inp.district) if inp.district else ""
    index = skill_index(ctx)
    chosen, matched = _select(index, target, district)
    ctx.state.target_job = target
    if not chosen:
        return AnalyzeSkillsOutput(target_job=target, matched_title=matched, postings=0,
                                   reference_postings=len(index.postings), skills=[],
                                   note=f"岗位库中没有与“{target}”相近的岗位，换个常见的岗位名称试试。")
    report = index.analyze(chosen, top_k=inp.top_k, examples=1)
    skills = [SkillBrief(name=s.name, category=s.category, share=s.share, required_share=s.required_share,
                         keyness=s.keyness, example=s.examples[0] if s.examples else "") for s in report.skills]
    note = None if matched == target else f"库中没有名为“{target}”的岗位，按最接近的“{matched}”分析。"
    return AnalyzeSkillsOutput(target_job=target, matched_title=matched, postings=report.postings,
                               reference_postings=report.reference_postings, skills=skills, note=note)


def review_resume_tool(ctx: ToolContext, inp: ReviewResumeInput) -> ReviewResumeOutput:
    """Review the session's uploaded résumé against the target job's high-frequency skills."""
    from assistant.resume.review import review_resume
    from assistant.resume.targets import TITLE_ONLY_NOTE, target_skills

    resume = ctx.state.resume
    if resume is None:
        raise InvalidInputError(NO_RESUME)
    target = inp.target_job or ctx.state.target_job
    skills: list[str] = []
    note: str | None = None
    if target:
        try:
            index = skill_index(ctx)
        except IndexNotReadyError:
            skills, note = target_skills(target, [])  # title-only comparison, as the CLI does without a library
            note = note or TITLE_ONLY_NOTE
        else:
            chosen, _ = _select(index, target)
            if chosen:  # the same selection and threshold as assistant.resume.targets
                report = index.analyze(chosen, top_k=15, examples=0)
                minimum = 2 if report.postings >= 3 else 1
                skills = [s.name for s in report.skills if s.postings >= minimum][:15]
            else:
                skills, note = target_skills(target, [])
        ctx.state.target_job = target
    review = review_resume(resume, target_skills=skills, target_note=note, today=ctx.settings.current_date())
    text_of = {line.number: line.text for line in resume.lines}
    suggestions = [SuggestionBrief(lines=s.lines, line_text=text_of.get(s.lines[0], "") if s.lines else "",
                                   severity=s.severity, category=s.category, message=s.message, example=s.example)
                   for s in review.suggestions]
    return ReviewResumeOutput(filename=ctx.state.resume_filename or resume.source, target_job=target,
                              score=review.score, components=review.components, suggestions=suggestions,
                              present=review.skills.present, buried=review.skills.buried,
                              missing=review.skills.missing, note=review.skills.note, warnings=review.warnings)
