"""Typed results of the supply–demand analytics (shared by the CLI, the web page, the chat tool and the exports)."""

from __future__ import annotations

from pydantic import BaseModel, Field

SMOOTHING = 5.0
METHOD = (
    "紧缺指数 = (岗位数 + k) ÷ (合格人才数 + k)，k = 5：平滑项避免零供给时除以零，并让样本很少的类别向 1 收缩；"
    "指数大于 1 表示需求多于合格供给。合格人才：与岗位同一产业链、同一岗位职能，学历与工作年限都不低于该类岗位要求的"
    "中位数（取下中位数）；学历或年限未知者计入人才数但不计为合格。区县的供给计居住或意向在该区县的人才，技能的供给计"
    "具备该技能的合格人才。第二信号薪酬溢价 = 该类岗位年薪中位数 ÷ 全市岗位年薪中位数 − 1（年薪取薪资区间中点 × "
    "发薪月数，面议不计）。"
)


class InsightFilters(BaseModel):
    """The scope of an analysis: an industrial chain (or a link of one) and a district; None = all."""

    chain: str | None = Field(
        default=None, description="产业链（如 智能网联新能源汽车）或其环节（如 动力电池），可写简称。")
    district: str | None = Field(default=None, description="区县（如 渝北区），可写简称。")


class GroupStat(BaseModel):
    """Demand, supply and the shortage signals of one group (a chain, function, district or skill)."""

    name: str
    chain: str = Field(default="", description="For job functions: the chain the function belongs to.")
    postings: int = Field(description="Postings in the group (demand).")
    talents: int = Field(description="Talents in the group (matching supply, before the requirement check).")
    qualified_talents: int = Field(description="Talents who also meet the group's typical requirements.")
    shortage_index: float = Field(description="(postings + k) / (qualified_talents + k).")
    salary_median: float | None = Field(default=None, description="Median offered annual salary (yuan).")
    salary_premium: float | None = Field(default=None, description="salary_median / city median − 1.")
    expected_salary_median: float | None = Field(
        default=None, description="Median expected annual salary of the talents.")

    @property
    def label(self) -> str:
        """The name with its chain, e.g. 生产制造（电子信息）."""
        return f"{self.name}（{self.chain}）" if self.chain else self.name


class HeatTable(BaseModel):
    """Shortage index per district (rows) and chain (columns); None where there is no demand."""

    rows: list[str]
    columns: list[str]
    shortage: list[list[float | None]]
    postings: list[list[int]]


class SalaryBand(BaseModel):
    """Offered annual salary percentiles of a chain's postings (yuan)."""

    name: str
    postings: int
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float


class SalaryHistogram(BaseModel):
    """Offered (postings) and expected (talents) annual salaries in bins of `edges` (yuan)."""

    edges: list[float]
    postings: list[int]
    talents: list[int]


class MonthPoint(BaseModel):
    """Postings and talents dated in one month."""

    month: str
    postings: int
    talents: int


class InsightReport(BaseModel):
    """The supply–demand analysis of one scope of the library."""

    data_date: str
    source: str
    method: str = METHOD
    smoothing: float = SMOOTHING
    chain: str | None = Field(default=None, description="The resolved chain filter.")
    district: str | None = Field(default=None, description="The resolved district filter.")
    totals: GroupStat
    city_salary_median: float | None
    chains: list[GroupStat]
    functions: list[GroupStat]
    districts: list[GroupStat]
    skills: list[GroupStat]
    heat: HeatTable
    salary_bands: list[SalaryBand]
    salary_histogram: SalaryHistogram
    trends: list[MonthPoint]
    trend_note: str
