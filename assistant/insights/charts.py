"""Standalone server-side SVG charts of a report, each with the table it draws (for reading and for CSV download)."""

from __future__ import annotations

import csv
import io
from html import escape

from pydantic import BaseModel

from assistant.insights.models import (
    GroupStat,
    HeatTable,
    InsightReport,
    MonthPoint,
    SalaryBand,
    SalaryHistogram,
)

WIDTH, ROW, LEFT = 680, 24, 190
BLUE, RED, GREEN, GREY, ORANGE = "#1f5fbf", "#b42318", "#0f8a6c", "#8a94a6", "#c2620a"
# Shortage bands of the bars: below 1.2 roughly balanced, 1.2–2 tight, 2 and above short.
BANDS = ((1.2, GREEN, "基本平衡（< 1.2）"), (2.0, ORANGE, "偏紧（1.2–2）"), (float("inf"), RED, "紧缺（≥ 2）"))
PUBLIC_CHARTS = ("chains", "functions", "skills")


class Chart(BaseModel):
    """One chart: an SVG document and the table of its numbers."""

    id: str
    title: str
    svg: str
    headers: list[str]
    rows: list[list[str | int | float]]

    def csv(self) -> bytes:
        """The chart's table as CSV (UTF-8 with BOM for Excel)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.headers)
        writer.writerows(self.rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _svg(title: str, height: float, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" class="chart" '
            f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" '
            'font-family="Noto Sans CJK SC, sans-serif" font-size="12">'
            f'<title>{escape(title)}</title>{body}</svg>')


def _band_colour(value: float) -> str:
    return next(colour for limit, colour, _ in BANDS if value < limit)


def bars(title: str, items: list[tuple[str, float]], reference: float | None = 1.0, digits: int = 2) -> str:
    """Horizontal bars coloured by shortage band, with labels and values; a dashed line marks index 1 (balance)."""
    top = max([v for _, v in items] + [reference or 0.0, 1e-9])
    scale = (WIDTH - LEFT - 70) / top
    body = []
    for i, (label, value) in enumerate(items):
        y = 8 + i * ROW
        colour = _band_colour(value) if reference is not None else BLUE
        body.append(f'<text x="{LEFT - 8}" y="{y + 15}" text-anchor="end">{escape(label[:18])}</text>'
                    f'<rect x="{LEFT}" y="{y + 3}" width="{max(1.0, value * scale):.1f}" height="{ROW - 7}" '
                    f'fill="{colour}" rx="2"/>'
                    f'<text x="{LEFT + value * scale + 6:.1f}" y="{y + 15}">{value:.{digits}f}</text>')
    height = 16 + len(items) * ROW
    if reference is not None:
        x = LEFT + reference * scale
        body.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 4}" '
                    f'stroke="{GREY}" stroke-dasharray="4 3"/>')
        for i, (_, colour, label) in enumerate(BANDS):
            body.append(f'<rect x="{LEFT + i * 150}" y="{height + 2}" width="10" height="10" fill="{colour}"/>'
                        f'<text x="{LEFT + i * 150 + 14}" y="{height + 11}">{escape(label)}</text>')
        height += 20
    return _svg(title, height, "".join(body))


def ranges(title: str, bands: list[SalaryBand]) -> str:
    """Per chain: a P10–P90 whisker, a P25–P75 box and a median tick (annual salary, 万元)."""
    top = max([b.p90 for b in bands] + [1.0])
    scale = (WIDTH - LEFT - 40) / top
    body = []
    for i, band in enumerate(bands):
        y = 8 + i * ROW + ROW / 2
        x = [LEFT + v * scale for v in (band.p10, band.p25, band.p50, band.p75, band.p90)]
        body.append(f'<text x="{LEFT - 8}" y="{y + 4}" text-anchor="end">{escape(band.name[:18])}</text>'
                    f'<line x1="{x[0]:.1f}" y1="{y}" x2="{x[4]:.1f}" y2="{y}" stroke="{GREY}"/>'
                    f'<rect x="{x[1]:.1f}" y="{y - 7}" width="{x[3] - x[1]:.1f}" height="14" '
                    f'fill="{BLUE}" opacity=".35"/>'
                    f'<line x1="{x[2]:.1f}" y1="{y - 8}" x2="{x[2]:.1f}" y2="{y + 8}" '
                    f'stroke="{BLUE}" stroke-width="3"/>')
    height = 36 + len(bands) * ROW
    for tick in range(6):
        value = top * tick / 5
        body.append(f'<text x="{LEFT + value * scale:.1f}" y="{height - 8}" text-anchor="middle" fill="{GREY}">'
                    f'{value / 10000:.0f}万</text>')
    return _svg(title, height, "".join(body))


def columns(title: str, labels: list[str], series: list[tuple[str, str, list[int]]]) -> str:
    """Grouped vertical columns (a histogram or monthly counts): one colour per series, a legend."""
    height, base, left = 260, 220, 50
    peak = max([max(values, default=0) for _, _, values in series] + [1])
    slot = (WIDTH - left - 10) / max(1, len(labels))
    width = slot * 0.8 / max(1, len(series))
    body = [f'<line x1="{left}" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="{GREY}"/>']
    for s, (name, colour, values) in enumerate(series):
        body.append(f'<rect x="{WIDTH - 150}" y="{8 + s * 16}" width="10" height="10" fill="{colour}"/>'
                    f'<text x="{WIDTH - 135}" y="{17 + s * 16}">{escape(name)}</text>')
        for i, value in enumerate(values):
            h = value / peak * (base - 40)
            body.append(f'<rect x="{left + i * slot + slot * 0.1 + s * width:.1f}" y="{base - h:.1f}" '
                        f'width="{width:.1f}" height="{h:.1f}" fill="{colour}"><title>{escape(name)} '
                        f'{escape(labels[i])}：{value}</title></rect>')
    step = max(1, len(labels) // 10)
    for i in range(0, len(labels), step):
        body.append(f'<text x="{left + (i + 0.5) * slot:.1f}" y="{base + 16}" text-anchor="middle">'
                    f'{escape(labels[i])}</text>')
    body.append(f'<text x="{left - 6}" y="{base - (base - 40) + 4}" text-anchor="end" fill="{GREY}">{peak}</text>')
    return _svg(title, height, "".join(body))


def heat_colour(value: float | None, top: float) -> str:
    """Cell colour: white at index ≤ 1 (balanced) to deep red at the table's maximum."""
    if value is None:
        return "#f1f3f6"
    share = 0.0 if top <= 1 else min(1.0, max(0.0, (value - 1) / (top - 1)))
    return f"rgb(255,{int(245 - 150 * share)},{int(240 - 170 * share)})"


def heat_svg(title: str, heat: HeatTable) -> str:
    """The district × chain table as coloured cells with the index written in."""
    top = max([v for row in heat.shortage for v in row if v is not None] + [1.0])
    cell = (WIDTH - 110) / max(1, len(heat.columns))
    body = [f'<text x="{110 + (c + 0.5) * cell:.1f}" y="16" text-anchor="middle" font-size="10">'
            f'{escape(name[:8])}</text>'
            for c, name in enumerate(heat.columns)]
    for r, district in enumerate(heat.rows):
        y = 24 + r * ROW
        body.append(f'<text x="104" y="{y + 16}" text-anchor="end">{escape(district)}</text>')
        for c, value in enumerate(heat.shortage[r]):
            text = "—" if value is None else f"{value:.2f}"
            body.append(f'<rect x="{110 + c * cell:.1f}" y="{y}" width="{cell - 2:.1f}" height="{ROW - 2}" '
                        f'fill="{heat_colour(value, top)}"/><text x="{110 + (c + 0.5) * cell:.1f}" y="{y + 16}" '
                        f'text-anchor="middle">{text}</text>')
    return _svg(title, 30 + len(heat.rows) * ROW, "".join(body))


def _stat_rows(groups: list[GroupStat]) -> list[list[str | int | float]]:
    return [[g.label, g.postings, g.talents, g.qualified_talents, g.shortage_index,
             "" if g.salary_premium is None else round(g.salary_premium, 4)] for g in groups]


_STAT_HEADERS = ["名称", "岗位数", "人才数", "合格人才数", "紧缺指数", "薪酬溢价"]


def _group_chart(chart_id: str, title: str, groups: list[GroupStat]) -> Chart:
    return Chart(id=chart_id, title=title, svg=bars(title, [(g.label, g.shortage_index) for g in groups]),
                 headers=_STAT_HEADERS, rows=_stat_rows(groups))


def _salary_chart(report: InsightReport) -> Chart:
    title = "各产业链岗位年薪分布（P10–P90，方框为 P25–P75，竖线为中位数）"
    bands = report.salary_bands
    return Chart(id="salary", title=title, svg=ranges(title, bands),
                 headers=["产业链", "岗位数", "P10", "P25", "中位数", "P75", "P90"],
                 rows=[[b.name, b.postings, b.p10, b.p25, b.p50, b.p75, b.p90] for b in bands])


def _histogram_chart(histogram: SalaryHistogram) -> Chart:
    title = "岗位年薪与人才期望年薪分布（每档 3 万元，末档含以上）"
    labels = [f"{e / 10000:.0f}万" for e in histogram.edges[:-1]]
    series = [("岗位薪资", BLUE, histogram.postings), ("人才期望", GREEN, histogram.talents)]
    return Chart(id="salary_histogram", title=title, svg=columns(title, labels, series),
                 headers=["年薪下限（元）", "岗位数", "人才数"],
                 rows=[[histogram.edges[i], histogram.postings[i], histogram.talents[i]] for i in range(len(labels))])


def _trend_chart(points: list[MonthPoint]) -> Chart:
    title = "逐月趋势：岗位（按到岗月份）与人才（按可到岗月份）"
    series = [("岗位", BLUE, [p.postings for p in points]), ("人才", GREEN, [p.talents for p in points])]
    return Chart(id="trends", title=title, svg=columns(title, [p.month for p in points], series),
                 headers=["月份", "岗位数", "人才数"], rows=[[p.month, p.postings, p.talents] for p in points])


def _heat_chart(heat: HeatTable) -> Chart:
    title = "区县 × 产业链 紧缺指数热力表"
    rows: list[list[str | int | float]] = [
        [district, *["" if v is None else v for v in heat.shortage[r]]] for r, district in enumerate(heat.rows)
    ]
    return Chart(id="heat", title=title, svg=heat_svg(title, heat), headers=["区县", *heat.columns], rows=rows)


def report_charts(report: InsightReport, public: bool = False, top: int = 12) -> list[Chart]:
    """The dashboard's charts in page order; `public` keeps the summary ones (chains, functions, skills)."""
    charts = [
        _group_chart("chains", "各产业链紧缺指数", report.chains),
        _group_chart("functions", f"紧缺指数最高的 {top} 类岗位", report.functions[:top]),
        _group_chart("skills", f"紧缺指数最高的 {top} 项技能", report.skills[:top]),
    ]
    if public:
        return charts
    return [*charts, _heat_chart(report.heat), _group_chart("districts", "各区县紧缺指数", report.districts[:top]),
            _salary_chart(report), _histogram_chart(report.salary_histogram), _trend_chart(report.trends)]
