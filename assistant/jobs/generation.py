"""A deterministic, seeded generator of Chongqing job postings and talent profiles (see docs/MATCHING.md)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from typing import TypeVar, cast

from assistant.jobs.models import (
    Education,
    EmploymentType,
    JobPosting,
    ProtectedAttributes,
    SalaryRange,
    TalentProfile,
)
from assistant.vocab.catalogue import Catalogue, load_catalogue
from assistant.vocab.education import degree_name

__all__ = ["Catalogue", "generate_postings", "generate_talents", "load_catalogue"]

_SIZES = ((1, 49), (50, 99), (100, 499), (500, 999), (1000, 9999), (10000, 100000))
_SIZE_P = (0.12, 0.15, 0.30, 0.15, 0.20, 0.08)
_EDU_P = {  # by career track: P(不限, 高中, 大专, 本科, 硕士, 博士) required by a posting
    "研究": (0.0, 0.0, 0.05, 0.45, 0.40, 0.10),
    "职能支持": (0.10, 0.12, 0.40, 0.35, 0.03, 0.0),
    "default": (0.04, 0.04, 0.22, 0.55, 0.13, 0.02),
}
_EDU_FACTOR = (0.8, 0.8, 0.9, 1.0, 1.25, 1.5)
_REGION_FACTOR = {"中心城区": 1.0, "主城新区": 0.88, "渝东北": 0.8, "渝东南": 0.8}
_MONTHS, _MONTHS_P = (12, 13, 14, 15, 16), (0.45, 0.25, 0.18, 0.07, 0.05)
_EMPLOYMENT, _EMPLOYMENT_P = ("全职", "实习", "兼职", "劳务派遣"), (0.90, 0.05, 0.02, 0.03)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林谭唐冉向彭"
_GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玉萍红梅鑫宇浩然欣怡子涵雨轩俊熙"
_COMPANY_WORDS = ("长江", "山城", "两江", "巴渝", "嘉陵", "渝新", "西部", "缙云", "朝天门", "科学城", "明月", "金佛")
_COMPANY_KINDS = ("科技", "智能", "实业", "集团", "股份", "信息", "制造", "新材料", "医药", "供应链")
_DISCRIMINATORY = (  # stated in a few generated ads so that fairness checks meet them; never scored
    ("gender", "限男性", "男"), ("age", "35岁以下", "35岁以下"), ("marital_status", "已婚已育优先", "已婚已育"),
    ("hukou", "限重庆本地户口", "重庆户籍"), ("health", "乙肝携带者勿扰", "非乙肝携带者"),
)
T = TypeVar("T")
_TODAY = dt.date(2026, 12, 1)  # fixed so that the library does not depend on the day it is built


class _Random(random.Random):
    """Python's Mersenne Twister (fast scalar draws, stable across releases) with the few draws we need."""

    def integers(self, low: int, high: int | None = None) -> int:
        return self.randrange(low) if high is None else self.randrange(low, high)

    def pick(self, options: Sequence[T], p: Sequence[float] | None = None) -> T:
        return self.choices(options, weights=p)[0] if p is not None else options[self.randrange(len(options))]

    def poisson(self, lam: float) -> int:
        limit, k, product = math.exp(-lam), 0, self.random()
        while product > limit:
            k, product = k + 1, product * self.random()
        return k


def _subset(rng: _Random, pool: list[str], k: int) -> list[str]:
    k = min(k, len(pool))
    return [pool[i] for i in sorted(rng.sample(range(len(pool)), k))] if k else []


def _posting_skills(rng: _Random, profile: dict[str, float]) -> tuple[list[str], list[str]]:
    """A posting's requirements (the role's skills at ≥ 0.5, each with its probability; at least its first) and
    加分项 (the rest, at most 3)."""
    required = [name for name, p in profile.items() if p >= 0.5 and rng.random() < p]
    if not required:
        required = [max(profile, key=lambda name: profile[name])]
    preferred = [name for name, p in profile.items() if p < 0.5 and rng.random() < p]
    return required[:7], preferred[:3]


def _talent_skills(rng: _Random, cat: Catalogue, industry: str, function: str, title: str,
                   titles: Sequence[str]) -> list[str]:
    """A talent's skills: most of their role's (a little likelier than a posting names them), one or two from a
    neighbouring title of the same function, and a soft skill."""
    own = cat.role_skills(industry, function, title)
    skills = {name for name, p in own.items() if rng.random() < min(0.95, p + 0.15)}
    neighbour = cat.role_skills(industry, function, titles[rng.integers(len(titles))])
    skills.update(_subset(rng, sorted(set(neighbour) - skills), int(rng.integers(0, 3))))
    skills.update(_subset(rng, cat.raw["soft_skills"], 1))
    return sorted(skills)


_DUTIES = (  # no project names: they name other skills (工业机器人集成) and would count as this role's
    "负责{skill}相关的设计、开发与维护，保证交付质量与进度",
    "参与新项目的方案设计、实施与问题跟踪",
    "配合上下游部门推进项目落地",
    "制定并落实{skill}相关的工作规范",
    "分析并解决工作中遇到的{skill}问题，持续优化",
)
_YEARS_TEXT = {0: "经验不限，欢迎应届毕业生", 1: "1年以上相关工作经验"}


def _description(rng: _Random, district: str, education: int, years_min: float,
                 required: Sequence[str], preferred: Sequence[str],
                 soft: Sequence[str], benefits: Sequence[str]) -> str:
    """Posting text with the structure of real ads: 岗位职责 / 任职要求 / 加分项 / 福利, in varied wording."""
    duties = [rng.pick(_DUTIES).format(skill=rng.pick(required)) for _ in range(3)]
    duties = list(dict.fromkeys(duties))
    level = Education(education)
    years = int(years_min)
    asks = [
        "学历不限" if level == Education.NONE else f"{degree_name(level)}及以上学历",
        _YEARS_TEXT.get(years, f"{years}年以上相关工作经验"),
        f"{rng.pick(('熟练掌握', '精通', '熟悉'))}{'、'.join(required)}",
        *([f"具备{'、'.join(soft)}能力"] if soft else []),
    ]
    # The title is the ad's heading, not its text (as in real ads): the text's skills are the role's requirements.
    # Nor the chain or the company: their names hold skill words (人工智能, 大数据, 供应链) that would count in
    # every ad of the chain or the company; both are fields of the posting.
    lines = [f"工作地点：{district}。", "岗位职责："]
    lines += [f"{i}. {duty}；" for i, duty in enumerate(duties, 1)]
    lines += ["任职要求："] + [f"{i}. {ask}；" for i, ask in enumerate(asks, 1)]
    if preferred:
        lines.append(f"加分项：有{'、'.join(preferred)}经验者优先。")
    lines.append(f"福利：{'、'.join(benefits)}。")
    return "\n".join(lines)


def _salary(rng: _Random, base: float, years: float, education: int, region: str) -> SalaryRange:
    level = base * (1 + 0.08 * (min(years, 15) - 3)) * _EDU_FACTOR[education] * _REGION_FACTOR.get(region, 0.9)
    low = max(2500, round(level * rng.lognormvariate(0, 0.15) / 500) * 500)
    high = round(low * rng.uniform(1.3, 1.8) / 500) * 500
    return SalaryRange(low=low, high=high, months=rng.pick(_MONTHS, p=_MONTHS_P))


class _Drawer:
    """Shared draws for postings and profiles: one numpy Generator, consumed in a fixed order."""

    def __init__(self, seed: int) -> None:
        self.rng = _Random(seed)
        self.cat = load_catalogue()
        self.industry_p = [self.cat.industry(n)["share"] for n in self.cat.industries]
        self.district_p = [v[1] for v in self.cat.raw["districts"].values()]

    def place(self) -> tuple[str, str, str, str, dict]:
        rng, cat = self.rng, self.cat
        industry = str(rng.pick(cat.industries, p=self.industry_p))
        spec = cat.industry(industry)
        function = list(spec["functions"])[rng.integers(len(spec["functions"]))]
        chain = spec["chains"][rng.integers(len(spec["chains"]))]
        district = str(rng.pick(cat.districts, p=self.district_p))
        return industry, chain, function, district, spec

    def company_type(self, spec: dict) -> str:
        types = spec["company_types"]
        return str(self.rng.pick(list(types), p=list(types.values())))


def generate_postings(count: int, seed: int = 2024) -> list[JobPosting]:
    """`count` postings over Chongqing's industries and districts; the same seed gives the same postings."""
    draw = _Drawer(seed)
    rng, cat = draw.rng, draw.cat
    benefits_pool = cat.raw["benefits"]
    languages = list(cat.raw["languages"])
    language_p = list(cat.raw["languages"].values())
    postings = []
    for index in range(count):
        industry, chain, function, district, spec = draw.place()
        fspec = spec["functions"][function]
        title = fspec["titles"][rng.integers(len(fspec["titles"]))]
        track = fspec["track"]
        education = int(rng.pick(range(6), p=_EDU_P.get(track, _EDU_P["default"])))
        years_min = float(rng.pick((0, 1, 2, 3, 5, 8, 10), p=(0.18, 0.17, 0.15, 0.25, 0.15, 0.07, 0.03)))
        manages = any(word in title for word in ("主管", "经理", "班组长"))
        skills, preferred = _posting_skills(rng, cat.role_skills(industry, function, title))
        soft = _subset(rng, cat.raw["soft_skills"], int(rng.integers(0, 2)))
        stated, description_extra = ProtectedAttributes(), ""
        if rng.random() < 0.03:
            field, phrase, value = _DISCRIMINATORY[rng.integers(len(_DISCRIMINATORY))]
            stated, description_extra = ProtectedAttributes(**{field: value}), f"{phrase}。"
        company = (f"重庆{_COMPANY_WORDS[rng.integers(len(_COMPANY_WORDS))]}"
                   f"{_COMPANY_KINDS[rng.integers(len(_COMPANY_KINDS))]}有限公司")
        benefits = ["五险一金", *_subset(rng, benefits_pool[1:], int(rng.integers(2, 7)))]
        postings.append(JobPosting(
            id=f"J{index + 1:06d}",
            title=title,
            company=company,
            function=function,
            industry=industry,
            chain=chain,
            district=district,
            company_type=draw.company_type(spec),
            company_size=rng.pick(_SIZES, p=_SIZE_P),
            education_min=Education(education),
            majors=[] if rng.random() < 0.2 else _subset(rng, spec["majors"], int(rng.integers(1, 4))),
            years_min=years_min,
            years_max=None if rng.random() < 0.4 else years_min + float(rng.pick((2, 3, 5))),
            salary=None if rng.random() < 0.05 else _salary(
                rng, fspec["salary_base"], years_min, education, cat.region(district)),
            skills_required=skills,
            skills_preferred=preferred + soft,
            certificates=_subset(rng, spec["certificates"], 1) if rng.random() < 0.3 else [],
            title_level_min=int(rng.pick(range(5), p=(0.78, 0.1, 0.08, 0.03, 0.01))),
            languages=[str(rng.pick(languages, p=language_p))] if rng.random() < 0.2 else [],
            management_min=int(rng.integers(3, 11)) if manages else 0,
            industry_years_min=min(years_min, float(rng.integers(1, 4))) if rng.random() < 0.4 else 0.0,
            project_keywords=_subset(rng, spec["projects"], int(rng.integers(1, 3))),
            employment_type=cast(EmploymentType, rng.pick(_EMPLOYMENT, p=_EMPLOYMENT_P)),
            travel=int(rng.pick(range(3), p=(0.3, 0.4, 0.3) if track == "销售与市场" else (0.65, 0.3, 0.05))),
            start_date=_TODAY + dt.timedelta(days=int(rng.integers(0, 91))),
            tier_min=int(rng.pick(range(5), p=(0.9, 0.05, 0.03, 0.015, 0.005))),
            benefits=benefits,
            career_track=track,
            description=_description(rng, district, education, years_min, skills,
                                     preferred, soft, benefits) + description_extra,
            stated_protected=stated,
        ))
    return postings


def generate_talents(count: int, seed: int = 2025) -> list[TalentProfile]:
    """`count` talent profiles; the same seed gives the same profiles."""
    draw = _Drawer(seed)
    rng, cat = draw.rng, draw.cat
    all_majors = sorted({m for name in cat.industries for m in cat.industry(name)["majors"]})
    talents = []
    for index in range(count):
        industry, chain, function, district, spec = draw.place()
        fspec = spec["functions"][function]
        titles = fspec["titles"]
        education = int(rng.pick((1, 2, 3, 4, 5), p=(0.05, 0.25, 0.50, 0.16, 0.04)))
        years = min(35.0, round(rng.gammavariate(2.0, 2.5) * 2) / 2)
        others = [d for d in cat.districts if d != district]
        track = "管理" if years > 5 and rng.random() < 0.15 else fspec["track"]
        tier_p = (0.7, 0.15, 0.09, 0.05, 0.01) if education >= 4 else (0.95, 0.04, 0.01, 0.0, 0.0)
        current_title = titles[rng.integers(len(titles))]
        talents.append(TalentProfile(
            id=f"T{index + 1:06d}",
            name=(f"{_SURNAMES[rng.integers(len(_SURNAMES))]}"
                  f"{_GIVEN[rng.integers(len(_GIVEN))]}{_GIVEN[rng.integers(len(_GIVEN))]}"),
            current_title=current_title,
            desired_titles=_subset(rng, titles, int(rng.integers(1, 3))),
            function=function,
            industry=industry,
            chain=chain,
            district=district,
            preferred_districts=[district, *_subset(rng, others, int(rng.integers(0, 3)))],
            willing_to_relocate=bool(rng.random() < 0.3),
            education=Education(education),
            major=(spec["majors"][rng.integers(len(spec["majors"]))] if rng.random() < 0.75
                   else all_majors[rng.integers(len(all_majors))]),
            years_experience=years,
            industry_years=round(years * rng.uniform(0.4, 1.0) * 2) / 2,
            salary_expectation=_salary(rng, fspec["salary_base"], years, education, cat.region(district)),
            skills=_talent_skills(rng, cat, industry, function, current_title, titles),
            certificates=_subset(rng, spec["certificates"], int(rng.pick(range(3), p=(0.55, 0.35, 0.1)))),
            title_level=int(min(4, rng.poisson(years / 6))),
            languages=["英语"] if rng.random() < 0.55 else [],
            managed_team_size=int(rng.integers(2, 31)) if years > 5 and rng.random() < 0.35 else 0,
            project_keywords=_subset(rng, spec["projects"], int(rng.integers(0, 3))),
            employment_types=(["全职", "实习"] if years < 1
                              else ["全职"] if rng.random() < 0.85 else ["全职", "兼职", "劳务派遣"]),
            travel_tolerance=int(rng.pick(range(3), p=(0.25, 0.5, 0.25))),
            available_from=_TODAY + dt.timedelta(days=int(rng.integers(0, 121))),
            tier=int(rng.pick(range(5), p=tier_p)),
            preferred_company_types=_subset(rng, list(spec["company_types"]), int(rng.integers(0, 3))),
            preferred_company_size=_SIZES[rng.integers(len(_SIZES))] if rng.random() < 0.5 else None,
            desired_benefits=_subset(rng, cat.raw["benefits"], int(rng.integers(1, 5))),
            career_intent=track,
            protected=ProtectedAttributes(
                gender=("男", "女")[rng.integers(2)],
                age=str(int(22 + years + rng.integers(0, 7))),
                ethnicity="汉族" if rng.random() < 0.93 else ("土家族", "苗族", "回族", "藏族")[rng.integers(4)],
                marital_status=("未婚", "已婚")[int(rng.random() < min(0.9, years / 10))],
                hukou="重庆" if rng.random() < 0.7 else ("四川", "贵州", "湖北", "陕西")[rng.integers(4)],
            ),
        ))
    return talents
