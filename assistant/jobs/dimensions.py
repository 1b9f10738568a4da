"""The 22 matching dimensions: vectorised pair scores in [0, 1] with a state (compared / missing / not required)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.jobs.features import Columns

COMPARED, MISSING, NOT_REQUIRED = 0, 1, 2
MISSING_SCORE = 0.5  # unknown on the talent side: neither rewarded nor punished
Scored = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Pair:
    """One side is a single record (arrays of length 1), the other the library; numpy broadcasts between them."""

    job: Columns
    talent: Columns
    title_sims: np.ndarray  # title similarity per pair, computed once by matching (needs the title table)


@dataclass(frozen=True)
class Dimension:
    """A named dimension: what it compares and how (its weight and hard flag come from weights.yaml)."""

    name: str
    label: str
    compares: str
    score: Callable[[Pair], Scored]


def _finish(score: np.ndarray, missing: np.ndarray | bool = False, not_required: np.ndarray | bool = False) -> Scored:
    """Scores with the missing / not-required cases set; their state (0 compared, 1 missing, 2 not required)."""
    score = np.asarray(score, dtype=np.float32)
    missing, not_required = np.asarray(missing), np.asarray(not_required)
    state = np.where(not_required, np.int8(NOT_REQUIRED), np.where(missing, np.int8(MISSING), np.int8(COMPARED)))
    if missing.any():
        score = np.where(missing, np.float32(MISSING_SCORE), score)
    if not_required.any():
        score = np.where(not_required, np.float32(1.0), score)
    return score, state


def _popcount(bits: np.ndarray) -> np.ndarray:
    counts = np.bitwise_count(bits)
    total = counts[..., 0].astype(np.int16)
    for word in range(1, counts.shape[-1]):  # a few words: column adds beat a reduce over a short last axis
        total += counts[..., word]
    return total


def _coverage(required_bits: np.ndarray, required_count: np.ndarray, have_bits: np.ndarray) -> np.ndarray:
    hit = _popcount(required_bits & have_bits)
    return hit / np.maximum(required_count, 1)


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) & (a >= 0)


def job_function(p: Pair) -> Scored:
    j, t = p.job, p.talent
    score = np.where(_same(j["function"], t["function"]), 1.0, np.where(_same(j["industry"], t["industry"]), 0.3, 0.0))
    return _finish(score, missing=t["function"] < 0, not_required=j["function"] < 0)


def title_similarity(p: Pair) -> Scored:
    return _finish(p.title_sims, missing=p.talent["title_count"] == 0)


def industry_chain(p: Pair) -> Scored:
    j, t = p.job, p.talent
    same_industry = _same(j["industry"], t["industry"])
    score = np.where(same_industry & _same(j["chain"], t["chain"]), 1.0, np.where(same_industry, 0.7, 0.0))
    return _finish(score, missing=t["industry"] < 0, not_required=j["industry"] < 0)


def education(p: Pair) -> Scored:
    gap = p.job["edu_min"].astype(np.int16) - p.talent["edu"]
    score = np.where(gap <= 0, 1.0, np.where(gap == 1, 0.3, 0.0))
    return _finish(score, missing=p.talent["edu"] < 0, not_required=p.job["edu_min"] == 0)


def major(p: Pair) -> Scored:
    j, t = p.job, p.talent
    exact = _contains(j["major_bits"], t["major"])
    industry = j["industry"]
    related = (industry >= 0) & (industry < 63) & (((t["major_industries"] >> np.clip(industry, 0, 62)) & 1) == 1)
    score = np.where(exact, 1.0, np.where(related, 0.6, 0.2))
    return _finish(score, missing=~t["has_major"], not_required=j["major_count"] == 0)


def years_experience(p: Pair) -> Scored:
    j, t = p.job, p.talent
    need, have = j["years_min"], t["years"]
    short = np.clip(need - have, 0, None)
    score = np.where(short <= 0, 1.0, np.clip(1.0 - short / np.maximum(need, 1.0), 0.0, 1.0))
    over = ~np.isnan(j["years_max"]) & (have > j["years_max"] + 5)
    score = np.where(over, 0.8, score)
    return _finish(score, missing=np.isnan(have), not_required=need <= 0)


def salary(p: Pair) -> Scored:
    j, t = p.job, p.talent
    gap = (t["sal_lo"] - j["sal_hi"]) / np.where(t["sal_lo"] > 0, t["sal_lo"], 1.0)
    score = np.where(gap <= 0, 1.0, np.clip(1.0 - gap / 0.3, 0.0, 1.0))
    return _finish(np.nan_to_num(score), missing=np.isnan(j["sal_hi"]) | np.isnan(t["sal_lo"]))


def location(p: Pair) -> Scored:
    j, t = p.job, p.talent
    preferred = _contains(t["pref_district_bits"], j["district"])
    same_region = _same(j["region"], t["region"])
    score = np.where(_same(j["district"], t["district"]), 1.0, np.where(preferred, 0.9, np.where(
        t["relocate"], np.where(same_region, 0.7, 0.6), np.where(same_region, 0.5, 0.1))))
    return _finish(score, missing=t["district"] < 0, not_required=j["district"] < 0)


def required_skills(p: Pair) -> Scored:
    j, t = p.job, p.talent
    return _finish(_coverage(j["req_bits"], j["req_count"], t["skill_bits"]),
                   missing=t["skill_count"] == 0, not_required=j["req_count"] == 0)


def preferred_skills(p: Pair) -> Scored:
    j, t = p.job, p.talent
    return _finish(_coverage(j["pref_bits"], j["pref_count"], t["skill_bits"]),
                   missing=t["skill_count"] == 0, not_required=j["pref_count"] == 0)


def certificates(p: Pair) -> Scored:
    j = p.job
    return _finish(_coverage(j["cert_bits"], j["cert_count"], p.talent["cert_bits"]), not_required=j["cert_count"] == 0)


def professional_title(p: Pair) -> Scored:
    gap = p.job["title_level"].astype(np.int16) - p.talent["title_level"]
    score = np.where(gap <= 0, 1.0, np.where(gap == 1, 0.4, 0.0))
    return _finish(score, not_required=p.job["title_level"] == 0)


def languages(p: Pair) -> Scored:
    j = p.job
    return _finish(_coverage(j["lang_bits"], j["lang_count"], p.talent["lang_bits"]), not_required=j["lang_count"] == 0)


def management(p: Pair) -> Scored:
    need, have = p.job["management"], p.talent["managed"]
    score = np.where(have >= need, 1.0, np.where(have > 0, 0.5 + 0.5 * have / np.maximum(need, 1), 0.0))
    return _finish(score, not_required=need == 0)


def industry_years(p: Pair) -> Scored:
    need, have = p.job["industry_years"], p.talent["industry_years"]
    score = np.where(have >= need, 1.0, np.clip(have / np.maximum(need, 0.5), 0.0, 1.0))
    return _finish(np.nan_to_num(score), missing=np.isnan(have), not_required=need <= 0)


def project_relevance(p: Pair) -> Scored:
    j, t = p.job, p.talent
    cover = _coverage(j["proj_bits"], j["proj_count"], t["proj_bits"])
    score = np.where(cover > 0, 0.5 + 0.5 * cover, 0.0)
    return _finish(score, missing=t["proj_count"] == 0, not_required=j["proj_count"] == 0)


def employment_type(p: Pair) -> Scored:
    j, t = p.job, p.talent
    accepted = (t["employment"] == 0) | ((t["employment"] & j["employment"]) != 0)
    score = np.where(accepted, 1.0, 0.0) * np.where(j["travel"] > t["travel"], 0.6, 1.0)
    return _finish(score)


def start_date(p: Pair) -> Scored:
    start, avail = p.job["start_day"], p.talent["avail_day"]
    late = (avail - start).astype(np.float64)
    score = np.where(late <= 0, 1.0, np.clip(1.0 - late / 90.0, 0.0, 1.0))
    return _finish(score, missing=avail < 0, not_required=start < 0)


def talent_tier(p: Pair) -> Scored:
    need, have = p.job["tier"], p.talent["tier"]
    score = np.where(have >= need, 1.0, 0.3 * have / np.maximum(need, 1))
    return _finish(score, not_required=need == 0)


def company_preference(p: Pair) -> Scored:
    j, t = p.job, p.talent
    wants_type, wants_size = t["ctype_count"] > 0, t["size_lo"] >= 0
    type_ok = _contains(t["ctype_bits"], j["company_type"])
    size_ok = (j["size_lo"] >= 0) & (j["size_lo"] <= t["size_hi"]) & (j["size_hi"] >= t["size_lo"])
    parts = (np.where(wants_type, np.where(type_ok, 1.0, 0.0), 0.0)
             + np.where(wants_size, np.where(size_ok, 1.0, 0.3), 0.0))
    stated = wants_type.astype(np.int8) + wants_size.astype(np.int8)
    return _finish(parts / np.maximum(stated, 1), not_required=stated == 0)


def benefits(p: Pair) -> Scored:
    t = p.talent
    return _finish(_coverage(t["benefit_bits"], t["benefit_count"], p.job["benefit_bits"]),
                   not_required=t["benefit_count"] == 0)


def career_intent(p: Pair) -> Scored:
    j, t = p.job, p.talent
    score = np.where(_same(j["track"], t["intent"]), 1.0, 0.3)
    return _finish(score, missing=~t["has_intent"], not_required=j["track"] < 0)


def _contains(bits: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Whether each bitset row holds its id; either side may be a single row (broadcast)."""
    ids = np.asarray(ids)
    limit = bits.shape[-1] * 64
    safe = np.clip(ids, 0, limit - 1)
    if bits.shape[0] == 1:
        words = bits[0, safe // 64]
    else:
        words = bits[np.arange(bits.shape[0]), np.broadcast_to(safe // 64, (bits.shape[0],))]
    hit = (words >> (safe % 64).astype(np.uint64)) & np.uint64(1)
    return (ids >= 0) & (ids < limit) & (hit == 1)


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("job_function", "岗位职能", "posting function vs talent function (same industry = partial)",
              job_function),
    Dimension("title_similarity", "职位名称相似度", "posting title vs talent's current and desired titles",
              title_similarity),
    Dimension("industry_chain", "行业/产业链", "industry, then 产业链 segment", industry_chain),
    Dimension("education", "学历", "talent's highest degree vs required minimum", education),
    Dimension("major", "专业", "talent's major vs accepted majors (related = listed for the industry)", major),
    Dimension("years_experience", "工作年限", "years of experience vs required range", years_experience),
    Dimension("salary", "薪酬待遇", "annual pay (incl. 薪 months) offered vs expected", salary),
    Dimension("location", "工作地点/意向区县", "district, preferred districts, relocation, region", location),
    Dimension("required_skills", "必备技能", "share of required skills the talent has", required_skills),
    Dimension("preferred_skills", "加分技能", "share of preferred skills the talent has", preferred_skills),
    Dimension("certificates", "证书", "share of required certificates held", certificates),
    Dimension("professional_title", "职称", "职称 level vs required", professional_title),
    Dimension("languages", "语言", "share of required languages", languages),
    Dimension("management", "管理经验", "largest team managed vs required", management),
    Dimension("industry_years", "同行业年限", "years in the same industry vs required", industry_years),
    Dimension("project_relevance", "项目相关度", "project keywords shared with the posting", project_relevance),
    Dimension("employment_type", "用工形式/出差", "employment type accepted; travel within tolerance", employment_type),
    Dimension("start_date", "到岗时间", "talent's availability vs posting's start date", start_date),
    Dimension("talent_tier", "人才层次", "certified talent tier vs required", talent_tier),
    Dimension("company_preference", "单位类型与规模偏好", "company type and size vs the talent's preference",
              company_preference),
    Dimension("benefits", "福利待遇", "share of the talent's desired benefits offered", benefits),
    Dimension("career_intent", "职业发展意向", "posting's career track vs talent's intent", career_intent),
)
