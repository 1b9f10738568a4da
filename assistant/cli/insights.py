"""`assistant insights …`: supply–demand analytics of the library and the shortage-talent catalogue export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.cli.common import services
from assistant.insights.ads import frame_from_ads
from assistant.insights.analysis import analyse
from assistant.insights.catalogue import ShortageCatalogue, build_catalogue
from assistant.insights.export import FORMATS, export_catalogue
from assistant.insights.models import GroupStat, InsightFilters, InsightReport

app = typer.Typer(help="产业人才大脑：按产业链、岗位职能、区县、技能的供需分析与紧缺人才目录。")
console = Console()
err_console = Console(stderr=True)
ChainOption = Annotated[
    str | None, typer.Option("--chain", help="只看该产业链（如 智能网联新能源汽车，可写 新能源汽车）或环节。")
]
DistrictOption = Annotated[str | None, typer.Option("--district", help="只看该区县（如 渝北区）。")]
AdsOption = Annotated[
    Path | None, typer.Option("--ads", help="改为分析该目录中的真实招聘 CSV（boss/lagou/liepin 格式；只有需求侧）。")
]
DataDateOption = Annotated[str, typer.Option("--data-date", help="与 --ads 同用：这批招聘数据的日期（如 2019）。")]


def _report(chain: str | None, district: str | None, ads: Path | None, data_date: str) -> InsightReport:
    filters = InsightFilters(chain=chain, district=district)
    if ads is None:
        return services().insights.report(filters)
    return analyse(frame_from_ads(ads, data_date), filters)


def _catalogue(
    chain: str | None, district: str | None, ads: Path | None, data_date: str, top: int
) -> ShortageCatalogue:
    filters = InsightFilters(chain=chain, district=district)
    if ads is None:
        return services().insights.catalogue(filters, top)
    return build_catalogue(frame_from_ads(ads, data_date), filters, top, top)


def _table(title: str, rows: list[GroupStat], limit: int) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("名称", "岗位数", "人才数", "合格人才数", "紧缺指数", "薪酬溢价"):
        table.add_column(column, justify="left" if column == "名称" else "right")
    for row in rows[:limit]:
        premium = "—" if row.salary_premium is None else f"{row.salary_premium:+.1%}"
        table.add_row(escape(row.label), str(row.postings), str(row.talents), str(row.qualified_talents),
                      f"{row.shortage_index:.2f}", premium)
    return table


@app.callback(invoke_without_command=True)
def summary(
    ctx: typer.Context,
    chain: ChainOption = None,
    district: DistrictOption = None,
    ads: AdsOption = None,
    data_date: DataDateOption = "未注明",
    top: Annotated[int, typer.Option("--top", min=1, max=200, help="每张表列出的条数。")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="输出完整的分析 JSON。")] = False,
) -> None:
    """供需分析：各产业链、岗位职能、区县、技能的岗位数、合格人才数、紧缺指数与薪酬溢价。"""
    if ctx.invoked_subcommand is not None:
        return
    report = _report(chain, district, ads, data_date)
    if as_json:
        print(report.model_dump_json())
        return
    scope = "、".join(x for x in (report.chain, report.district) if x) or "全部"
    totals = report.totals
    console.print(f"[bold]供需分析[/bold]（数据日期 {escape(report.data_date)}；范围：{escape(scope)}；"
                  f"来源：{escape(report.source)}）", highlight=False)
    console.print(f"岗位 {totals.postings}，人才 {totals.talents}，合格人才 {totals.qualified_talents}，"
                  f"总体紧缺指数 {totals.shortage_index:.2f}。", highlight=False)
    if not totals.talents:
        console.print("[yellow]没有人才（供给）数据：紧缺指数 = (岗位数 + 5) ÷ 5，只反映需求规模。[/yellow]")
    for title, rows in (("产业链", report.chains), ("岗位职能", report.functions), ("区县", report.districts),
                        ("技能", report.skills)):
        console.print(_table(f"{title}（按紧缺指数）", rows, top))
    console.print(f"[dim]方法：{escape(report.method)}[/dim]", highlight=False)


@app.command("catalogue")
def catalogue_command(
    fmt: Annotated[str, typer.Option("--format", help="导出格式：csv（UTF-8 带 BOM）、xlsx 或 json。")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="写入该文件；不给则 csv/json 输出到屏幕。")] = None,
    chain: ChainOption = None,
    district: DistrictOption = None,
    ads: AdsOption = None,
    data_date: DataDateOption = "未注明",
    top: Annotated[int, typer.Option("--top", min=1, max=200, help="岗位与技能各取紧缺指数最高的条数。")] = 20,
) -> None:
    """导出紧缺人才目录（岗位与技能按紧缺指数排序，附学历、年限、核心技能、薪酬区间、需求集中区县、数据日期与方法）。"""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"不支持的格式：{fmt}（可选 csv、xlsx、json）", param_hint="--format")
    catalogue = _catalogue(chain, district, ads, data_date, top)
    data = export_catalogue(catalogue, fmt)  # checked against FORMATS above
    if out is None:
        if fmt == "xlsx":
            raise typer.BadParameter("xlsx 是二进制文件，请用 --out 指定文件名", param_hint="--out")
        sys.stdout.write(data.decode("utf-8"))
        return
    out.write_bytes(data)
    err_console.print(f"已写入 {escape(str(out))}：{len(catalogue.entries)} 条"
                      f"（数据日期 {escape(catalogue.data_date)}）")
