"""Per-dimension evidence: the posting field and the profile field (or résumé line) a score rests on."""

from __future__ import annotations

from collections.abc import Callable

from assistant.jobs.models import (
    EDUCATION_NAMES,
    TIER_NAMES,
    TITLE_LEVEL_NAMES,
    TRAVEL_NAMES,
    JobPosting,
    TalentProfile,
)
from assistant.privacy import redact_personal

MISSING_EVIDENCE = "missing"
_NONE = "无"


def _talent(talent: TalentProfile, field: str, text: str) -> str:
    """The profile's own words: the résumé line when the profile was parsed from one, without its contact data (a
    line such as "本科 微信 … 手机 …" must not reach an employer who has no consent)."""
    line = redact_personal(talent.evidence_lines.get(field) or "")
    return f"{text}（简历「{line}」）" if line else text


def _join(values: list[str]) -> str:
    return "、".join(values) if values else _NONE


def _overlap(wanted: list[str], have: list[str]) -> str:
    hit = [value for value in wanted if value in set(have)]
    return f"{_join(hit)}（{len(hit)}/{len(wanted)}）"


def _years(value: float | None) -> str:
    return "未提供" if value is None else f"{value:g}年"


def _titles(talent: TalentProfile) -> list[str]:
    """Current and desired titles, each once, in that order."""
    return list(dict.fromkeys(x for x in (talent.current_title, *talent.desired_titles) if x))


def _job_years(job: JobPosting) -> str:
    if job.years_min <= 0 and job.years_max is None:
        return "经验不限"
    return f"{job.years_min:g}-{job.years_max:g}年" if job.years_max is not None else f"{job.years_min:g}年以上"


_FORMATTERS: dict[str, Callable[[JobPosting, TalentProfile], str]] = {
    "job_function": lambda j, t: (
        f"岗位职能「{j.function or '未标注'}」；人才职能{_talent(t, 'function', f'「{t.function}」')}"
    ),
    "title_similarity": lambda j, t: (
        f"职位「{j.title}」；人才"
        + _talent(t, "current_title", f"当前/意向职位「{_join(_titles(t))}」")
    ),
    "industry_chain": lambda j, t: (
        f"岗位 {j.industry or '未标注'}·{j.chain or '—'}；"
        f"人才 {_talent(t, 'industry', f'{t.industry}·{t.chain or chr(8212)}')}"
    ),
    "education": lambda j, t: (
        f"要求{EDUCATION_NAMES[j.education_min]}及以上；"
        f"人才{_talent(t, 'education', EDUCATION_NAMES[t.education] if t.education is not None else '未提供')}"
    ),
    "major": lambda j, t: f"接受专业 {_join(j.majors)}；人才专业{_talent(t, 'major', f'「{t.major}」')}",
    "years_experience": lambda j, t: (
        f"要求{_job_years(j)}；人才{_talent(t, 'years_experience', _years(t.years_experience))}"
    ),
    "salary": lambda j, t: (
        f"岗位 {j.salary.label() if j.salary else '面议'}；人才期望 "
        + _talent(t, "salary_expectation", t.salary_expectation.label() if t.salary_expectation else "未提供")
    ),
    "location": lambda j, t: (
        f"工作地点 {j.district or '未标注'}；人才所在 {_talent(t, 'district', t.district or '未提供')}，"
        f"意向 {_join(t.preferred_districts)}，{'接受' if t.willing_to_relocate else '不接受'}异地"
    ),
    "required_skills": lambda j, t: (
        f"必备 {_join(j.skills_required)}；人才具备 {_talent(t, 'skills', _overlap(j.skills_required, t.skills))}"
    ),
    "preferred_skills": lambda j, t: (
        f"加分 {_join(j.skills_preferred)}；人才具备 {_talent(t, 'skills', _overlap(j.skills_preferred, t.skills))}"
    ),
    "certificates": lambda j, t: (
        f"要求证书 {_join(j.certificates)}；"
        f"人才持有 {_talent(t, 'certificates', _overlap(j.certificates, t.certificates))}"
    ),
    "professional_title": lambda j, t: (
        f"要求职称 {TITLE_LEVEL_NAMES[j.title_level_min]}；"
        f"人才 {_talent(t, 'title_level', TITLE_LEVEL_NAMES[t.title_level])}"
    ),
    "languages": lambda j, t: (
        f"要求语言 {_join(j.languages)}；人才 {_talent(t, 'languages', _overlap(j.languages, t.languages))}"
    ),
    "management": lambda j, t: (
        f"要求带过 {j.management_min} 人以上团队；"
        f"人才{_talent(t, 'managed_team_size', f'带过 {t.managed_team_size} 人')}"
    ),
    "industry_years": lambda j, t: (
        f"要求同行业 {j.industry_years_min:g} 年；"
        f"人才同行业 {_talent(t, 'industry_years', _years(t.industry_years))}"
    ),
    "project_relevance": lambda j, t: (
        f"岗位项目 {_join(j.project_keywords)}；"
        f"人才项目 {_talent(t, 'project_keywords', _overlap(j.project_keywords, t.project_keywords))}"
    ),
    "employment_type": lambda j, t: (
        f"{j.employment_type}、{TRAVEL_NAMES[j.travel]}；"
        f"人才接受 {_join(list(t.employment_types)) if t.employment_types else '任意形式'}、"
        f"{TRAVEL_NAMES[t.travel_tolerance]}"
    ),
    "start_date": lambda j, t: (
        f"到岗 {j.start_date or '未标注'}；人才可到岗 {_talent(t, 'available_from', str(t.available_from or '未提供'))}"
    ),
    "talent_tier": lambda j, t: f"要求人才层次 {TIER_NAMES[j.tier_min]}；人才 {TIER_NAMES[t.tier]}",
    "company_preference": lambda j, t: (
        f"{j.company_type or '类型未标注'}，{_size(j.company_size)}；"
        f"人才偏好 {_join(t.preferred_company_types)}，{_size(t.preferred_company_size)}"
    ),
    "benefits": lambda j, t: f"岗位福利 {_join(j.benefits)}；人才看重 {_overlap(t.desired_benefits, j.benefits)}",
    "career_intent": lambda j, t: (
        f"岗位方向「{j.career_track or '未标注'}」；人才意向{_talent(t, 'career_intent', f'「{t.career_intent}」')}"
    ),
}


def _size(size: tuple[int, int] | None) -> str:
    return f"{size[0]}-{size[1]}人" if size else "规模不限"


_NO_PREFERENCE = {"company_preference": "人才未说明单位偏好", "benefits": "人才未说明看重的福利"}


def evidence(dimension: str, job: JobPosting, talent: TalentProfile, status: str) -> str:
    """The evidence text of one dimension for one pair; "missing" when the profile lacks the field."""
    if status == "missing":
        return MISSING_EVIDENCE
    if status == "not_required":
        return _NO_PREFERENCE.get(dimension, "岗位未提此项要求")
    return _FORMATTERS[dimension](job, talent)
