"""A talent profile from a parsed résumé, each field tied to the résumé line it came from."""

from __future__ import annotations

import re
from collections import Counter

from assistant.jobs.models import SalaryRange, TalentProfile
from assistant.jobs.parsing import parse_salary
from assistant.resume.models import ParsedResume, ResumeFields
from assistant.vocab.catalogue import load_catalogue
from assistant.vocab.education import level_of

_DESIRED_TITLE = re.compile(r"(?:期望|意向|求职)(?:职位|岗位|方向)\s*[:：]\s*([^\s，,；;|/]+)")
_DESIRED_SALARY = re.compile(r"(?:期望|意向)(?:薪资|薪酬|月薪|待遇)\s*[:：]\s*(\S+)")
_DESIRED_PLACE = re.compile(r"(?:期望|意向)(?:城市|地点|工作地|区域)")


def profile_from_resume(resume: ParsedResume, fields: ResumeFields, profile_id: str = "resume") -> TalentProfile:
    """Map the résumé's extracted fields onto a TalentProfile; what the résumé does not say stays empty ("missing")."""
    text_of = {line.number: line.text.strip() for line in resume.lines}
    evidence: dict[str, str] = {}
    current_title = ""
    for entry in fields.work:
        if entry.title and not entry.internship:
            current_title, evidence["current_title"] = entry.title, text_of.get(entry.line, "")
            break
    education, major = None, ""
    ranked = [e for e in fields.education if e.degree]
    if ranked:
        best = max(ranked, key=lambda e: level_of(e.degree or "高中"))
        education, evidence["education"] = level_of(best.degree or "高中"), text_of.get(best.line, "")
        if best.major:
            major, evidence["major"] = best.major, text_of.get(best.line, "")
    skills = [skill.name for skill in fields.skills]
    skill_lines = Counter(number for skill in fields.skills for number in skill.lines)
    if skill_lines:  # the line naming the most skills, usually the 专业技能 line
        evidence["skills"] = text_of.get(min(skill_lines, key=lambda n: (-skill_lines[n], n)), "")
    desired_titles, salary, districts = _intent(resume)
    stated = (("desired_titles", desired_titles), ("salary_expectation", salary), ("district", districts))
    for field, (_, line) in stated:
        if line:
            evidence[field] = line
    function, industry = _function_of([current_title, *desired_titles[0]])
    if function:
        evidence["function"] = evidence.get("current_title") or desired_titles[1]
        evidence["industry"] = evidence["function"]
    work_lines = [text_of.get(entry.line, "") for entry in fields.work if not entry.internship]
    if fields.total_years and work_lines:
        evidence["years_experience"] = work_lines[0]
    return TalentProfile(
        id=profile_id,
        name=fields.name or "",
        current_title=current_title,
        function=function,
        industry=industry,
        desired_titles=desired_titles[0],
        district=districts[0][0] if districts[0] else "",
        preferred_districts=districts[0],
        education=education,
        major=major,
        years_experience=fields.total_years if fields.work else None,
        salary_expectation=salary[0],
        skills=skills,
        certificates=list(fields.certificates),
        languages=[
            language for language in fields.languages if language in {"英语", "日语", "德语", "法语", "俄语", "韩语"}
        ],
        evidence_lines={k: v for k, v in evidence.items() if v},
        source=f"resume:{resume.source}",
    )


def _function_of(titles: list[str]) -> tuple[str, str]:
    """Function and industry of the first title that the catalogue lists verbatim; nothing is guessed beyond that."""
    catalogue = load_catalogue()
    for title in titles:
        for industry in catalogue.industries:
            for function, spec in catalogue.industry(industry)["functions"].items():
                if title in spec["titles"]:
                    return function, industry
    return "", ""


def _intent(
    resume: ParsedResume,
) -> tuple[tuple[list[str], str], tuple[SalaryRange | None, str], tuple[list[str], str]]:
    """Desired titles, salary and districts stated on 求职意向 lines, each with its line."""
    titles: tuple[list[str], str] = ([], "")
    salary: tuple[SalaryRange | None, str] = (None, "")
    places: tuple[list[str], str] = ([], "")
    districts = sorted(load_catalogue().districts, key=len, reverse=True)
    for line in resume.lines:
        text = line.text.strip()
        if not titles[0] and (match := _DESIRED_TITLE.search(text)):
            titles = ([match.group(1)], text)
        if salary[0] is None and (match := _DESIRED_SALARY.search(text)):
            try:
                parsed = parse_salary(match.group(1))
            except ValueError:
                parsed = None
            if parsed:
                salary = (SalaryRange(low=parsed[0], high=parsed[1], months=parsed[2]), text)
        if not places[0] and _DESIRED_PLACE.search(text):
            found = [d for d in districts if d in text or d.removesuffix("区") in text]
            if found:
                places = (sorted(found, key=lambda d: text.find(d.removesuffix("区"))), text)
    return titles, salary, places
