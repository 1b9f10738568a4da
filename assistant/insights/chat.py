"""The chat agent's view of the shortage analysis: "重庆哪些岗位最紧缺？", "新能源汽车产业链缺什么技能？"."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.insights.models import GroupStat, InsightReport


class ShortageQuery(BaseModel):
    """What the user asked about: a chain, a district, a job function (all optional) and how many rows."""

    chain: str | None = Field(default=None, description="产业链或环节，如 新能源汽车、电子信息、动力电池。")
    district: str | None = Field(default=None, description="区县，如 渝北区。")
    function: str | None = Field(default=None, description="岗位职能，如 自动驾驶、软件开发。")
    focus: Literal["all", "functions", "skills"] = Field(default="all", description="只看岗位、只看技能，或都看。")
    top_k: int = Field(default=10, ge=1, le=50)


class ShortageRow(BaseModel):
    """One job function or skill with its shortage signals."""

    kind: Literal["岗位", "技能"]
    name: str
    chain: str = ""
    shortage_index: float
    postings: int
    qualified_talents: int
    salary_premium: float | None = None
    salary_median: float | None = Field(default=None, description="Median offered annual salary (yuan).")


class ShortageAnswer(BaseModel):
    """The most short functions and skills of the scope, the data date, the method and a Chinese summary."""

    data_date: str
    method: str
    chain: str | None = None
    district: str | None = None
    rows: list[ShortageRow]
    summary: str


def _row(kind: Literal["岗位", "技能"], group: GroupStat) -> ShortageRow:
    return ShortageRow(kind=kind, name=group.name, chain=group.chain, shortage_index=group.shortage_index,
                       postings=group.postings, qualified_talents=group.qualified_talents,
                       salary_premium=group.salary_premium, salary_median=group.salary_median)


def _listing(rows: list[ShortageRow], scoped: bool, limit: int = 5) -> str:
    """Rows as Chinese text; inside one chain the chain is not repeated after every function."""
    return "、".join(f"{row.name}{f'（{row.chain}）' if row.chain and not scoped else ''}（紧缺指数 "
                     f"{row.shortage_index:.2f}，{row.postings} 个岗位 / {row.qualified_talents} 位合格人才）"
                     for row in rows[:limit])


def shortage_answer(report: InsightReport, query: ShortageQuery) -> ShortageAnswer:
    """Top functions and skills by shortage index within the query's scope (`report` is already scoped to it)."""
    functions = report.functions
    if query.function and query.function.strip():
        wanted = query.function.strip()
        functions = [g for g in functions if wanted in g.name or g.name in wanted]
    function_rows = [_row("岗位", g) for g in functions[:query.top_k]] if query.focus != "skills" else []
    skill_rows = [_row("技能", g) for g in report.skills[:query.top_k]] if query.focus != "functions" else []
    scope = "".join(x for x in (report.district, report.chain and f"{report.chain}产业链") if x) or "重庆全市"
    parts = [f"按 {report.data_date} 的岗位人才库数据，{scope}"]
    if function_rows:
        parts.append(f"最紧缺的岗位是：{_listing(function_rows, bool(report.chain))}。")
    elif query.focus != "skills":
        parts.append(f"没有“{query.function}”相关岗位的需求数据。" if query.function else "没有岗位需求数据。")
    if skill_rows:
        parts.append(f"最紧缺的技能是：{_listing(skill_rows, bool(report.chain))}。")
    parts.append("紧缺指数 =（岗位数 + 5）÷（合格人才数 + 5），大于 1 表示需求多于合格供给；详见 /insights。")
    return ShortageAnswer(data_date=report.data_date, method=report.method, chain=report.chain,
                          district=report.district, rows=function_rows + skill_rows, summary="".join(parts))
