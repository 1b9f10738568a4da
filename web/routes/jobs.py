"""/jobs: search and filter the job library; /jobs/{id}: a job's high-frequency skills and the viewer's match."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from assistant.errors import InvalidInputError
from assistant.jobs.models import Education
from assistant.jobs.search import Facets, JobPage, JobQuery
from assistant.market.service import JobDetail
from web.auth import current_user
from web.deps import MarketDep
from web.templating import render

router = APIRouter()
SALARY_CHOICES = (5000, 8000, 10000, 15000, 20000, 30000)


def job_query(q: str = "", industry: str = "", district: str = "", education: str = "", salary_min: str = "",
              page: str = "1") -> JobQuery:
    """Query-string values as a JobQuery; empty values do not filter, unusable ones are a clear error."""
    try:
        return JobQuery(q=q.strip(), industry=industry, district=district,
                        education=Education(int(education)) if education.strip() else None,
                        salary_min=int(salary_min) if salary_min.strip() else None, page=int(page or 1))
    except ValueError as exc:
        raise InvalidInputError("筛选条件无效：学历、薪资和页码须为数字。") from exc


def _viewer_id(request: Request) -> int | None:
    user = current_user(request)
    return user.id if user is not None and user.role == "talent" else None


QueryText = Annotated[str, Query(max_length=100)]


@router.get("/jobs", include_in_schema=False)
def jobs_page(request: Request, market: MarketDep, q: QueryText = "", industry: QueryText = "",
              district: QueryText = "", education: QueryText = "", salary_min: QueryText = "",
              page: QueryText = "1") -> Response:
    query = job_query(q, industry, district, education, salary_min, page)
    result = market.search_jobs(query)
    return render(request, "jobs.html", result=result, facets=market.facets(), salary_choices=SALARY_CHOICES)


@router.get("/jobs/{job_id}", include_in_schema=False)
def job_page(request: Request, job_id: str, market: MarketDep) -> Response:
    detail = market.job_detail(job_id[:64], _viewer_id(request))
    return render(request, "job.html", detail=detail)


@router.get("/api/jobs", summary="搜索岗位库", response_model=JobPage, tags=["岗位"])
def jobs_api(market: MarketDep, q: QueryText = "", industry: QueryText = "", district: QueryText = "",
             education: Annotated[str, Query(max_length=2, description="求职者学历 0–5：只列要求不高于它的岗位")] = "",
             salary_min: Annotated[str, Query(max_length=8, description="月薪上限不低于此值（元）")] = "",
             page: QueryText = "1") -> JobPage:
    """Postings whose title, company, description or skills contain every word of `q`, filtered, 20 per page."""
    return market.search_jobs(job_query(q, industry, district, education, salary_min, page))


@router.get("/api/jobs/facets", summary="岗位筛选项", response_model=Facets, tags=["岗位"])
def facets_api(market: MarketDep) -> Facets:
    """Industries, districts, education levels and the most frequent titles of the library."""
    return market.facets()


@router.get("/api/jobs/{job_id}", summary="岗位详情", response_model=JobDetail, tags=["岗位"])
def job_api(request: Request, job_id: str, market: MarketDep) -> JobDetail:
    """The posting, its title's high-frequency skills, its wording check and, for a talent with a profile, the match."""
    return market.job_detail(job_id[:64], _viewer_id(request))
