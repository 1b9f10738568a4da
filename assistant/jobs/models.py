"""Typed records of the library: a job posting and a talent profile."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.jobs.parsing import parse_company_size, parse_education, parse_salary
from assistant.vocab.education import EDUCATION_NAMES as EDUCATION_NAMES  # the one scale, re-exported here
from assistant.vocab.education import Education as Education

# 职称 levels: 0 none, 1 初级, 2 中级, 3 副高级, 4 正高级.
TITLE_LEVEL_NAMES = ("无", "初级", "中级", "副高级", "正高级")
# 人才层次 (Chongqing's talent classification, simplified): 0 none … 4 A类 (top).
TIER_NAMES = ("未认定", "D类", "C类", "B类", "A类")
TRAVEL_NAMES = ("无需出差", "偶尔出差", "经常出差")
EmploymentType = Literal["全职", "兼职", "实习", "劳务派遣"]
CompanyType = Literal["国有企业", "民营企业", "外资企业", "合资企业", "事业单位", "初创公司"]
CareerTrack = Literal["技术专家", "管理", "产品", "销售与市场", "研究", "职能支持"]


class SalaryRange(BaseModel):
    """Monthly salary in yuan, with the number of paid months a year (e.g. 15-20K·14薪)."""

    model_config = ConfigDict(frozen=True)

    low: int = Field(ge=0, description="Lower bound, yuan per month.")
    high: int = Field(ge=0, description="Upper bound, yuan per month.")
    months: int = Field(default=12, ge=12, le=24, description="Paid months a year (薪).")

    @model_validator(mode="after")
    def _ordered(self) -> SalaryRange:
        if self.high < self.low:
            raise ValueError("薪资上限低于下限")
        return self

    def annual(self) -> tuple[int, int]:
        """Annual range in yuan."""
        return self.low * self.months, self.high * self.months

    def label(self) -> str:
        """The range written the way job sites do: 15-20K·14薪."""
        text = f"{self.low / 1000:g}-{self.high / 1000:g}K"
        return text if self.months == 12 else f"{text}·{self.months}薪"


def _salary_from_text(value: object) -> object:
    """Accept '15-20K·14薪' or '面议' wherever a SalaryRange is expected."""
    if isinstance(value, str):
        parsed = parse_salary(value)
        return None if parsed is None else SalaryRange(low=parsed[0], high=parsed[1], months=parsed[2])
    return value


def _education_from_text(value: object) -> object:
    """Accept '本科及以上' wherever an Education level is expected."""
    return parse_education(value) if isinstance(value, str) and not value.isdigit() else value


def _size_from_text(value: object) -> object:
    """Accept '1000-9999人' wherever a head-count range is expected."""
    return parse_company_size(value) if isinstance(value, str) else value


class ProtectedAttributes(BaseModel):
    """Attributes the law protects; stored when stated, never read by any score."""

    gender: str | None = None
    age: str | None = Field(default=None, description="An age or a demanded age range, e.g. 25-35岁.")
    ethnicity: str | None = None
    religion: str | None = None
    marital_status: str | None = None
    childbearing: str | None = None
    hukou: str | None = Field(default=None, description="户籍 (household registration).")
    health: str | None = Field(default=None, description="e.g. 乙肝病原携带者.")
    appearance: str | None = Field(default=None, description="Height, looks.")


class JobPosting(BaseModel):
    """One job posting with the fields the 22 dimensions compare."""

    id: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    company: str = ""
    function: str = Field(default="", description="Job function (岗位职能), e.g. 软件开发.")
    industry: str = ""
    chain: str = Field(default="", description="产业链 segment within the industry.")
    district: str = Field(default="", description="Chongqing district (or city) of the workplace.")
    company_type: str = ""
    company_size: tuple[int, int] | None = Field(default=None, description="Head-count range, e.g. (1000, 9999).")
    education_min: Education = Education.NONE
    majors: list[str] = Field(default_factory=list, description="Accepted majors; empty = any.")
    years_min: float = Field(default=0.0, ge=0, le=60)
    years_max: float | None = Field(default=None, ge=0, le=60)
    salary: SalaryRange | None = Field(default=None, description="None when the ad says 面议.")
    skills_required: list[str] = Field(default_factory=list)
    skills_preferred: list[str] = Field(default_factory=list)
    certificates: list[str] = Field(default_factory=list)
    title_level_min: int = Field(default=0, ge=0, le=4, description="Required 职称 level, see TITLE_LEVEL_NAMES.")
    languages: list[str] = Field(default_factory=list)
    management_min: int = Field(default=0, ge=0, description="Minimum team size managed before; 0 = none.")
    industry_years_min: float = Field(default=0.0, ge=0, le=60)
    project_keywords: list[str] = Field(default_factory=list)
    employment_type: EmploymentType = "全职"
    travel: int = Field(default=0, ge=0, le=2, description="Travel level, see TRAVEL_NAMES.")
    start_date: dt.date | None = None
    tier_min: int = Field(default=0, ge=0, le=4, description="Required 人才层次, see TIER_NAMES.")
    benefits: list[str] = Field(default_factory=list)
    career_track: str = ""
    description: str = Field(default="", max_length=20000)
    stated_protected: ProtectedAttributes = Field(
        default_factory=ProtectedAttributes, description="Demands the ad states (flagged by fairness, never scored)."
    )
    source: str = "generated"

    @field_validator("title")
    @classmethod
    def _strip_title(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("职位名称不能为空")
        return value.strip()

    @model_validator(mode="after")
    def _years_ordered(self) -> JobPosting:
        if self.years_max is not None and self.years_max < self.years_min:
            raise ValueError("经验要求上限低于下限")
        return self

    _salary_text = field_validator("salary", mode="before")(lambda value: _salary_from_text(value))
    _education_text = field_validator("education_min", mode="before")(lambda value: _education_from_text(value))
    _size_text = field_validator("company_size", mode="before")(lambda value: _size_from_text(value))


class TalentProfile(BaseModel):
    """One job seeker's profile; `evidence_lines` maps a field name to the résumé line it came from."""

    id: str = Field(min_length=1, max_length=64)
    name: str = ""
    current_title: str = ""
    desired_titles: list[str] = Field(default_factory=list)
    function: str = ""
    industry: str = ""
    chain: str = ""
    district: str = ""
    preferred_districts: list[str] = Field(default_factory=list)
    willing_to_relocate: bool = False
    education: Education | None = None
    major: str = ""
    years_experience: float | None = Field(default=None, ge=0, le=60)
    industry_years: float | None = Field(default=None, ge=0, le=60)
    salary_expectation: SalaryRange | None = None
    skills: list[str] = Field(default_factory=list)
    certificates: list[str] = Field(default_factory=list)
    title_level: int = Field(default=0, ge=0, le=4)
    languages: list[str] = Field(default_factory=list)
    managed_team_size: int = Field(default=0, ge=0)
    project_keywords: list[str] = Field(default_factory=list)
    employment_types: list[EmploymentType] = Field(default_factory=list, description="Accepted; empty = any.")
    travel_tolerance: int = Field(default=1, ge=0, le=2)
    available_from: dt.date | None = None
    tier: int = Field(default=0, ge=0, le=4)
    preferred_company_types: list[str] = Field(default_factory=list)
    preferred_company_size: tuple[int, int] | None = None
    desired_benefits: list[str] = Field(default_factory=list)
    career_intent: str = ""
    protected: ProtectedAttributes = Field(default_factory=ProtectedAttributes)
    evidence_lines: dict[str, str] = Field(default_factory=dict)
    source: str = "generated"

    _salary_text = field_validator("salary_expectation", mode="before")(lambda value: _salary_from_text(value))
    _education_text = field_validator("education", mode="before")(lambda value: _education_from_text(value))
    _size_text = field_validator("preferred_company_size", mode="before")(lambda value: _size_from_text(value))

    def is_empty(self) -> bool:
        """True when the profile carries nothing a dimension could compare."""
        return not (
            self.current_title or self.desired_titles or self.function or self.industry or self.skills
            or self.education is not None or self.years_experience is not None or self.major
        )
