"""Search and filter the built job library: title/keyword, industry, district, education, salary; paginated.

JobService builds the catalogue once per opened library (`JobService.catalogue()`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pydantic import BaseModel, Field

from assistant.jobs.library import Library
from assistant.jobs.models import EDUCATION_NAMES, Education, JobPosting

PAGE_SIZE = 20
BATCH = 2000


class JobQuery(BaseModel):
    """What a job seeker filters by; empty fields do not filter."""

    q: str = Field(
        default="", max_length=100, description="Words that must all appear in the title, company or description."
    )
    industry: str = Field(default="", max_length=50)
    district: str = Field(default="", max_length=50)
    education: Education | None = Field(
        default=None, description="The seeker's education: jobs requiring at most this."
    )
    salary_min: int | None = Field(
        default=None, ge=0, le=1_000_000, description="Monthly yuan the job may pay at least."
    )
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=PAGE_SIZE, ge=1, le=100)


class JobSummary(BaseModel):
    """One row of the results list."""

    id: str
    title: str
    company: str
    industry: str
    district: str
    education: str
    salary: str
    years: str
    skills: list[str]


class JobPage(BaseModel):
    """One page of results with the totals a pager needs."""

    query: JobQuery
    total: int
    page: int
    pages: int
    jobs: list[JobSummary]


class Facets(BaseModel):
    """The values each filter offers, most common first."""

    industries: list[str]
    districts: list[str]
    education: dict[int, str]
    titles: list[str] = Field(description="Most frequent job titles (for the résumé target picker).")


@dataclass(frozen=True)
class _Row:
    row: int
    haystack: str
    industry: str
    district: str
    education: int
    salary_high: int | None


class JobCatalogue:
    """A compact in-memory view of the library's postings (read once), searched in one pass per query."""

    def __init__(self, library: Library, postings: list[JobPosting]) -> None:
        self.library = library
        self.rows = [
            _Row(i, f"{p.title}\n{p.company}\n{p.description}\n{' '.join(p.skills_required)}".lower(), p.industry,
                 p.district, int(p.education_min), p.salary.high if p.salary else None)
            for i, p in enumerate(postings)
        ]
        self.facets = Facets(
            industries=[name for name, _ in Counter(p.industry for p in postings if p.industry).most_common()],
            districts=[name for name, _ in Counter(p.district for p in postings if p.district).most_common()],
            education={int(level): name for level, name in EDUCATION_NAMES.items()},
            titles=[name for name, _ in Counter(p.title for p in postings).most_common(300)],
        )

    def search(self, query: JobQuery) -> JobPage:
        """Matching postings in library order, one page of them."""
        words = query.q.lower().split()
        found = [
            r.row for r in self.rows
            if all(word in r.haystack for word in words)
            and (not query.industry or r.industry == query.industry)
            and (not query.district or r.district == query.district)
            and (query.education is None or r.education <= query.education)
            and (query.salary_min is None or (r.salary_high is not None and r.salary_high >= query.salary_min))
        ]
        pages = max(1, -(-len(found) // query.page_size))
        page = min(query.page, pages)
        chosen = found[(page - 1) * query.page_size : page * query.page_size]
        jobs = [summarize(job) for job in self.library.postings_at(chosen)]
        return JobPage(query=query, total=len(found), page=page, pages=pages, jobs=jobs)


def summarize(job: JobPosting) -> JobSummary:
    """The list-row view of a posting."""
    if job.years_max is not None:
        years = f"{job.years_min:g}-{job.years_max:g}年"
    else:
        years = f"{job.years_min:g}年以上" if job.years_min else "经验不限"
    return JobSummary(id=job.id, title=job.title, company=job.company, industry=job.industry, district=job.district,
                      education=EDUCATION_NAMES[job.education_min], salary=job.salary.label() if job.salary else "面议",
                      years=years, skills=job.skills_required[:6])


def build_catalogue(library: Library) -> JobCatalogue:
    """Read every posting of an opened library into a catalogue (a second or two for 30 000 postings)."""
    n = len(library.job_ids)
    postings = [job for start in range(0, n, BATCH) for job in library.postings_at(range(start, min(n, start + BATCH)))]
    return JobCatalogue(library, postings)
