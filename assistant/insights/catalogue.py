"""The shortage-talent catalogue (紧缺人才目录): top job functions and skills by shortage index, with requirements."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from assistant.insights.analysis import UNKNOWN_CHAIN, analyse, resolve_scope
from assistant.insights.frame import Frame
from assistant.insights.models import GroupStat, InsightFilters
from assistant.jobs.models import EDUCATION_NAMES, Education
from assistant.skills.analysis import log_likelihood

CORE_SKILLS, TOP_DISTRICTS, MIN_POSTINGS = 6, 3, 3
CATALOGUE_TITLE = "重庆紧缺人才目录"


class CatalogueEntry(BaseModel):
    """One job function or skill in the catalogue, with its typical requirements."""

    rank: int
    kind: Literal["岗位", "技能"]
    name: str
    chain: str = Field(description="The function's chain; for a skill, the chain that asks for it most.")
    shortage_index: float
    postings: int
    qualified_talents: int
    salary_premium: float | None
    education: str = Field(description="Typical (lower-median) education required.")
    years: float = Field(description="Typical (lower-median) minimum years of experience.")
    core_skills: list[str] = Field(
        description="Most-required skills, over-represented against the other postings (G² > 0).")
    salary_p25: float | None = Field(description="Offered annual salary, 25th percentile (yuan).")
    salary_p75: float | None = Field(description="Offered annual salary, 75th percentile (yuan).")
    districts: list[str] = Field(description="Districts where demand concentrates, with their share, e.g. 渝北区 18%.")

    @property
    def salary_range(self) -> str:
        """The P25–P75 range in 万元 a year, e.g. 12.0–18.5万元/年."""
        if self.salary_p25 is None or self.salary_p75 is None:
            return "面议"
        return f"{self.salary_p25 / 10000:.1f}–{self.salary_p75 / 10000:.1f}万元/年"


class ShortageCatalogue(BaseModel):
    """The catalogue with the data date and the method, ready for publication."""

    title: str = CATALOGUE_TITLE
    data_date: str
    source: str
    method: str
    chain: str | None = None
    district: str | None = None
    entries: list[CatalogueEntry]


def build_catalogue(frame: Frame, filters: InsightFilters | None = None, top_functions: int = 20,
                    top_skills: int = 20, min_postings: int = MIN_POSTINGS) -> ShortageCatalogue:
    """The top functions and skills by shortage index (at least `min_postings` postings each) within `filters`."""
    report = analyse(frame, filters)
    scope = resolve_scope(frame, filters or InsightFilters())
    entries: list[CatalogueEntry] = []
    totals = frame.job_skills[scope.jobs].sum(axis=0)  # per-skill postings in scope, for every entry's keyness
    functions = [g for g in report.functions if g.postings >= min_postings][:top_functions]
    for group in functions:
        chain = frame.chains.index(group.chain) if group.chain != UNKNOWN_CHAIN else -1
        jobs = scope.jobs & (frame.job_chain == chain) & (frame.job_function == frame.functions.index(group.name))
        entries.append(_entry(frame, scope.jobs, totals, jobs, group, "岗位", len(entries) + 1, exclude=-1))
    for group in [g for g in report.skills if g.postings >= min_postings][:top_skills]:
        skill = frame.skills.index(group.name)
        jobs = scope.jobs & frame.job_skills[:, skill]
        entries.append(_entry(frame, scope.jobs, totals, jobs, group, "技能", len(entries) - len(functions) + 1,
                              exclude=skill))
    return ShortageCatalogue(data_date=report.data_date, source=report.source, method=report.method,
                             chain=report.chain, district=report.district, entries=entries)


def _lower_median(values: np.ndarray) -> float:
    ordered = np.sort(values)
    return float(ordered[(len(ordered) - 1) // 2]) if len(ordered) else 0.0


def _entry(frame: Frame, scope: np.ndarray, totals: np.ndarray, jobs: np.ndarray, group: GroupStat,
           kind: Literal["岗位", "技能"], rank: int, exclude: int) -> CatalogueEntry:
    """Typical requirements of the postings at `jobs` (a subset of `scope`)."""
    count = int(jobs.sum())
    salary = frame.job_salary[jobs & ~np.isnan(frame.job_salary)]
    p25, p75 = (float(v) for v in np.percentile(salary, (25, 75))) if len(salary) else (None, None)
    chain = group.chain
    if kind == "技能":
        chains = np.bincount(frame.job_chain[jobs & (frame.job_chain >= 0)], minlength=len(frame.chains))
        chain = frame.chains[int(chains.argmax())] if chains.sum() else ""
    districts = np.bincount(frame.job_district[jobs & (frame.job_district >= 0)], minlength=len(frame.districts))
    top = [d for d in np.argsort(-districts, kind="stable")[:TOP_DISTRICTS] if districts[d]]
    return CatalogueEntry(
        rank=rank, kind=kind, name=group.name, chain=chain, shortage_index=group.shortage_index,
        postings=group.postings, qualified_talents=group.qualified_talents, salary_premium=group.salary_premium,
        education=EDUCATION_NAMES[Education(int(_lower_median(frame.job_edu[jobs])))],
        years=_lower_median(frame.job_years[jobs].astype(np.float64)),
        core_skills=_core_skills(frame, totals, int(scope.sum()), jobs, count, exclude),
        salary_p25=None if p25 is None else round(p25, 2), salary_p75=None if p75 is None else round(p75, 2),
        districts=[f"{frame.districts[d]} {districts[d] / max(1, count):.0%}" for d in top],
    )


def _core_skills(frame: Frame, totals: np.ndarray, in_scope: int, jobs: np.ndarray, count: int,
                 exclude: int) -> list[str]:
    """Skills most often required at `jobs`, keeping those over-represented against the rest of the scope."""
    hits = frame.job_skills[jobs].sum(axis=0)
    rest = totals - hits
    others = in_scope - count
    ranked: list[str] = []
    for skill in np.argsort(-hits, kind="stable"):
        if not hits[skill] or len(ranked) == CORE_SKILLS:
            break
        if skill != exclude and (not others or log_likelihood(int(hits[skill]), count, int(rest[skill]), others) > 0):
            ranked.append(frame.skills[skill])
    return ranked
