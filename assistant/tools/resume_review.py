"""The résumé-review tool: the session's upload reviewed by ResumeService (as `assistant resume review` and /resume)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.errors import InvalidInputError
from assistant.tools.base import ToolContext
from assistant.tools.models import ToolInput

NO_RESUME = "还没有上传简历：请先上传简历（PDF、DOCX、TXT 或 Markdown），我再帮你看。"


class ReviewResumeInput(ToolInput):
    """Which job to review the session's résumé against (default: the session's target job)."""

    target_job: str | None = Field(default=None, max_length=60, description="e.g. 数据分析师; empty = the session's.")
    postings: list[str] = Field(default_factory=list, max_length=20,
                                description="Pasted job descriptions (as on /resume), used instead of the library.")


class SuggestionBrief(BaseModel):
    """One suggestion with the résumé lines it points at."""

    lines: list[int] = Field(description="Line numbers of the résumé; empty = the whole résumé.")
    line_text: str = Field(default="", description="The text of the first of those lines.")
    severity: str = Field(description="high, medium or low.")
    category: str
    message: str
    example: str | None = Field(default=None, description="A rewrite; 【…】 marks what only the user can fill in.")


class ReviewResumeOutput(BaseModel):
    """Score, components, line-level suggestions and target-skill coverage of the session's résumé."""

    filename: str
    target_job: str | None
    score: int = Field(description="0–100, the sum of the components.")
    components: dict[str, int]
    suggestions: list[SuggestionBrief]
    present: list[str] = Field(description="Target skills listed where a reader looks for skills.")
    buried: list[str] = Field(description="Target skills only inside the experience.")
    missing: list[str] = Field(description="Target skills the résumé does not name (add only if true).")
    note: str | None = None
    warnings: list[str] = Field(default_factory=list)


def review_resume_tool(ctx: ToolContext, inp: ReviewResumeInput) -> ReviewResumeOutput:
    """Review the session's uploaded résumé against the target job's skills (ResumeService.review)."""
    resume = ctx.state.resume
    if resume is None:
        raise InvalidInputError(NO_RESUME)
    target = inp.target_job or ctx.state.target_job
    document = ctx.resumes.document(resume, fields=ctx.state.resume_fields)
    review, _ = ctx.resumes.review(document, target, [text[:20_000] for text in inp.postings if text.strip()])
    if target:
        ctx.state.target_job = target
    text_of = {line.number: line.text for line in resume.lines}
    suggestions = [SuggestionBrief(lines=s.lines, line_text=text_of.get(s.lines[0], "") if s.lines else "",
                                   severity=s.severity, category=s.category, message=s.message, example=s.example)
                   for s in review.suggestions]
    return ReviewResumeOutput(filename=ctx.state.resume_filename or resume.source, target_job=target,
                              score=review.score, components=review.components, suggestions=suggestions,
                              present=review.skills.present, buried=review.skills.buried,
                              missing=review.skills.missing, note=review.skills.note, warnings=review.warnings)
