"""The one rule that reads a match as strengths and gaps, used by the chat, the résumé, job and employer pages."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.jobs.matching import DimensionScore, MatchResult
from assistant.jobs.models import JobPosting, TalentProfile
from assistant.privacy import redact_personal
from assistant.vocab.entities import degree_name

STRENGTH_MIN = 0.7  # a dimension at least this good is a strength …
GAP_BELOW = 0.5  # … one below this a gap (0.5 is what a dimension without data scores)
STRENGTHS = 3
GAPS = 2
BARS = 6


class DimensionBar(BaseModel):
    """One compared dimension as a bar: its label and score, 0–1."""

    label: str
    score: float


def explain(result: MatchResult) -> tuple[list[str], list[str]]:
    """(strengths, gaps) of a match, each "label：evidence".

    Only compared dimensions with a weight count. Strengths: score ≥ 0.7, the 3 that add the most (weight × score).
    Gaps: score < 0.5, the 2 that cost the most (weight × (1 − score)). Ties keep the order of the 22 dimensions.
    """
    compared = [d for d in result.dimensions if d.status == "compared" and d.weight > 0]
    strengths = sorted((d for d in compared if d.score >= STRENGTH_MIN), key=lambda d: -d.weight * d.score)
    gaps = sorted((d for d in compared if d.score < GAP_BELOW), key=lambda d: -d.weight * (1 - d.score))
    return [_note(d) for d in strengths[:STRENGTHS]], [_note(d) for d in gaps[:GAPS]]


def dimension_bars(result: MatchResult, count: int = BARS) -> list[DimensionBar]:
    """The heaviest compared dimensions of a match, for a card's bars."""
    compared = sorted((d for d in result.dimensions if d.status == "compared"), key=lambda d: -d.weight)
    return [DimensionBar(label=d.label, score=round(d.score, 3)) for d in compared[:count]]


class JobCard(BaseModel):
    """A recommended posting as a card shows it: what it offers and asks, the score and its explanation."""

    id: str
    title: str
    company: str = ""
    district: str = ""
    salary: str = Field(description="e.g. 15-20K·14薪, or 面议.")
    education_min: str = ""
    years_min: float = 0.0
    skills_required: list[str] = Field(default_factory=list)
    score: float
    passed_hard_filters: bool = True
    strengths: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)
    dimensions: list[DimensionBar] = Field(default_factory=list)


class TalentCard(BaseModel):
    """A recommended talent as a card shows it: no contact data, no protected attributes."""

    id: str
    name: str
    current_title: str = ""
    district: str = ""
    education: str = ""
    years_experience: float | None = None
    skills: list[str] = Field(default_factory=list)
    score: float
    strengths: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)


def job_card(result: MatchResult, posting: JobPosting) -> JobCard:
    """The card of a posting matched for a talent."""
    strengths, gaps = explain(result)
    return JobCard(id=posting.id, title=posting.title, company=posting.company, district=posting.district,
                   salary=posting.salary.label() if posting.salary else "面议",
                   education_min=degree_name(posting.education_min), years_min=posting.years_min,
                   skills_required=posting.skills_required[:8], score=result.score,
                   passed_hard_filters=result.passed_hard_filters, strengths=strengths, gaps=gaps,
                   dimensions=dimension_bars(result))


def talent_card(result: MatchResult, talent: TalentProfile) -> TalentCard:
    """The card of a talent matched for a posting."""
    strengths, gaps = explain(result)
    return TalentCard(id=talent.id, name=talent.name or talent.id, current_title=talent.current_title,
                      district=talent.district, education=degree_name(talent.education),
                      years_experience=talent.years_experience, skills=talent.skills[:8], score=result.score,
                      strengths=strengths, gaps=gaps)


def _note(dimension: DimensionScore) -> str:
    return f"{dimension.label}：{redact_personal(dimension.evidence)}"
