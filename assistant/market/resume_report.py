"""The résumé page's report: score and components, suggestions beside their lines, skills, jobs and policies."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.jobs.explain import explain
from assistant.jobs.matching import MatchResult
from assistant.jobs.models import JobPosting, TalentProfile
from assistant.jobs.search import JobSummary, summarize
from assistant.labels import ai_generated_field, ai_label_field
from assistant.market.policies import PolicyCitation
from assistant.resume.models import ParsedResume, ResumeReview, SkillCoverage, Suggestion
from assistant.resume.review import WEIGHTS

COMPONENT_LABELS = {"completeness": "完整度", "quantification": "成果量化", "wording": "措辞", "dates": "时间线",
                    "privacy": "隐私保护", "skills": "技能匹配"}


class Component(BaseModel):
    """One part of the score."""

    name: str
    label: str
    points: int
    maximum: int


class ReportLine(BaseModel):
    """A résumé line with the suggestions that point at it first."""

    number: int
    text: str
    section: str = ""
    suggestions: list[Suggestion] = Field(default_factory=list)


class MatchedJob(BaseModel):
    """A library job that fits the résumé, with the dimensions that decided it."""

    job: JobSummary
    score: float
    strengths: list[str]
    gaps: list[str]


class ResumeReport(BaseModel):
    """Everything the résumé page shows; also the JSON of POST /api/resume/review."""

    source: str
    format: str
    score: int
    components: list[Component]
    warnings: list[str]
    lines: list[ReportLine]
    general: list[Suggestion] = Field(
        description="Suggestions about the whole résumé (no line), e.g. a missing section."
    )
    suggestion_count: int
    target: str | None
    target_skills: list[str]
    skills: SkillCoverage
    jobs: list[MatchedJob]
    jobs_note: str | None = None
    policies: list[PolicyCitation]
    policies_note: str | None = None
    profile: TalentProfile
    ai_generated: bool = ai_generated_field()
    ai_label: str = ai_label_field()


def build_report(resume: ParsedResume, review: ResumeReview, *, target: str | None, target_skills: list[str],
                 profile: TalentProfile, matches: list[tuple[MatchResult, JobPosting]],
                 jobs_note: str | None, policies: list[PolicyCitation], policies_note: str | None) -> ResumeReport:
    """Arrange a review for reading: each suggestion sits beside the first line it concerns."""
    section_of: dict[int, str] = {}
    for section in review.sections:
        for number in range(section.start_line, section.end_line + 1):
            section_of[number] = section.title
    by_line: dict[int, list[Suggestion]] = {}
    general: list[Suggestion] = []
    for suggestion in review.suggestions:
        if suggestion.lines:
            by_line.setdefault(suggestion.lines[0], []).append(suggestion)
        else:
            general.append(suggestion)
    lines = [ReportLine(number=line.number, text=line.text, section=section_of.get(line.number, ""),
                        suggestions=by_line.get(line.number, [])) for line in resume.lines]
    jobs = [_matched(result, job) for result, job in matches]
    return ResumeReport(
        source=resume.source, format=resume.format, score=review.score,
        components=[Component(name=name, label=COMPONENT_LABELS.get(name, name), points=points, maximum=WEIGHTS[name])
                    for name, points in review.components.items()],
        warnings=review.warnings, lines=lines, general=general, suggestion_count=len(review.suggestions),
        target=target, target_skills=target_skills, skills=review.skills, jobs=jobs, jobs_note=jobs_note,
        policies=policies, policies_note=policies_note, profile=profile,
    )


def _matched(result: MatchResult, job: JobPosting) -> MatchedJob:
    strengths, gaps = explain(result)  # the one rule, as on the chat's job cards and the employer's candidates
    return MatchedJob(job=summarize(job), score=result.score, strengths=strengths, gaps=gaps)
