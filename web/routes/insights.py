"""The /insights dashboard and its JSON API: supply–demand charts, tables and downloads per role."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from assistant.errors import IndexNotReadyError, InvalidInputError
from assistant.insights.charts import PUBLIC_CHARTS, Chart, heat_colour, report_charts
from assistant.insights.export import MEDIA_TYPES, export_catalogue
from assistant.insights.models import GroupStat, InsightFilters, InsightReport
from assistant.insights.service import InsightService
from web.auth import User, current_user, require_role
from web.deps import app_of
from web.templating import render

router = APIRouter()
FULL_ROLES = ("staff", "employer")
PUBLIC_TOP = 10
ChainQuery = Annotated[str | None, Query(max_length=50, description="产业链（如 智能网联新能源汽车）或环节，可写简称")]
DistrictQuery = Annotated[str | None, Query(max_length=50, description="区县（如 渝北区）")]


class PublicInsights(BaseModel):
    """What talents and visitors see: totals and the most short chains, functions and skills."""

    data_date: str
    method: str
    chain: str | None
    district: str | None
    totals: GroupStat
    chains: list[GroupStat]
    functions: list[GroupStat]
    skills: list[GroupStat]


def _full(user: User | None) -> bool:
    return user is not None and user.role in FULL_ROLES


def _filters(chain: str | None, district: str | None) -> InsightFilters:
    return InsightFilters(chain=(chain or "").strip() or None, district=(district or "").strip() or None)


def _insights(request: Request) -> InsightService:
    return app_of(request).insights


def _public(report: InsightReport) -> PublicInsights:
    return PublicInsights(data_date=report.data_date, method=report.method, chain=report.chain,
                          district=report.district, totals=report.totals, chains=report.chains,
                          functions=report.functions[:PUBLIC_TOP], skills=report.skills[:PUBLIC_TOP])


@router.get("/insights", include_in_schema=False)
def insights_page(request: Request, chain: ChainQuery = None, district: DistrictQuery = None) -> Response:
    user = current_user(request)
    full = _full(user)
    filters, notice = _filters(chain, district), None
    insights = _insights(request)
    try:
        _version, frame = insights.frame()
        try:
            report = insights.report(filters)
        except InvalidInputError as exc:
            notice, filters = str(exc), InsightFilters()
            report = insights.report(filters)
    except IndexNotReadyError as exc:
        return render(request, "insights.html", missing=str(exc), full=full)
    charts = report_charts(report, public=not full, top=12 if full else PUBLIC_TOP)
    top = max([v for row in report.heat.shortage for v in row if v is not None] + [1.0])
    return render(request, "insights.html", report=report, charts=charts, full=full, notice=notice,
                  chains=frame.chains, districts=frame.districts, chain=report.chain or "",
                  district=report.district or "", heat_colour=lambda v: heat_colour(v, top),
                  query=_query(report))


def _query(report: InsightReport) -> str:
    return urlencode({k: v for k, v in (("chain", report.chain), ("district", report.district)) if v})


def _report(request: Request, chain: str | None, district: str | None) -> InsightReport:
    return _insights(request).report(_filters(chain, district))


@router.get("/api/insights", summary="人才供需分析（工作人员、招聘方看完整数据，其他人看公开摘要）", tags=["人才洞察"],
            response_model=InsightReport | PublicInsights)
def insights_api(
    request: Request, chain: ChainQuery = None, district: DistrictQuery = None
) -> InsightReport | PublicInsights:
    report = _report(request, chain, district)
    return report if _full(current_user(request)) else _public(report)


def _chart(request: Request, chart_id: str, chain: str | None, district: str | None) -> Chart:
    full = _full(current_user(request))
    if not full and chart_id not in PUBLIC_CHARTS:
        raise HTTPException(status_code=403, detail="该图表仅对工作人员和招聘方开放。")
    charts = {chart.id: chart for chart in report_charts(_report(request, chain, district), public=not full)}
    if chart_id not in charts:
        raise HTTPException(status_code=404, detail=f"没有名为 {chart_id} 的图表。")
    return charts[chart_id]


@router.get("/insights/chart/{chart_id}.svg", summary="下载图表（SVG）", tags=["人才洞察"])
def chart_svg(request: Request, chart_id: str, chain: ChainQuery = None, district: DistrictQuery = None) -> Response:
    chart = _chart(request, chart_id, chain, district)
    return Response(chart.svg, media_type="image/svg+xml",
                    headers={"Content-Disposition": f'attachment; filename="insights-{chart.id}.svg"'})


@router.get("/insights/chart/{chart_id}.csv", summary="下载图表数据（CSV）", tags=["人才洞察"])
def chart_csv(request: Request, chart_id: str, chain: ChainQuery = None, district: DistrictQuery = None) -> Response:
    chart = _chart(request, chart_id, chain, district)
    return Response(chart.csv(), media_type=MEDIA_TYPES["csv"],
                    headers={"Content-Disposition": f'attachment; filename="insights-{chart.id}.csv"'})


@router.get("/insights/catalogue", summary="下载紧缺人才目录（CSV/XLSX/JSON）", tags=["人才洞察"])
def catalogue_download(
    request: Request,
    _user: Annotated[User, Depends(require_role(*FULL_ROLES))],
    format: Literal["csv", "xlsx", "json"] = "csv",  # noqa: A002  (the query parameter's public name)
    chain: ChainQuery = None,
    district: DistrictQuery = None,
) -> Response:
    catalogue = _insights(request).catalogue(_filters(chain, district))
    name = f"shortage-catalogue-{catalogue.data_date}.{format}"
    return Response(export_catalogue(catalogue, format), media_type=MEDIA_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
