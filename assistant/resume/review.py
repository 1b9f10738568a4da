"""Review a parsed résumé: a 0–100 score with components, line-level suggestions, target-skill coverage."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from assistant.resume.fields import extract_fields
from assistant.resume.models import (
    ParsedResume,
    ResumeFields,
    ResumeReview,
    Section,
    SkillCoverage,
    Suggestion,
)
from assistant.resume.sections import SECTION_TITLES, split_sections
from assistant.resume.suggestions import EXPERIENCE_KEYS, has_figure, line_suggestions

# Points per component; they add up to 100 and are explained in docs/RESUME.md.
WEIGHTS = {"completeness": 25, "quantification": 25, "wording": 20, "dates": 10, "privacy": 10, "skills": 10}
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
MAX_KEYWORD_SUGGESTIONS = 8
_INLINE_INTENT = re.compile(
    r"^(?:求职意向|求职目标|应聘岗位|应聘职位|期望职位|意向岗位|目标岗位|自我评价|Objective)\s*[:：]", re.I)


def review_resume(
    resume: ParsedResume,
    *,
    target_skills: Sequence[str] = (),
    target_note: str | None = None,
    today: dt.date | None = None,
    sections: list[Section] | None = None,
    fields: ResumeFields | None = None,
) -> ResumeReview:
    """Score the résumé and list what to change, each suggestion pointing at its lines; facts are never invented.

    `sections` and `fields` are those already read from this résumé (as of `today`), so it is read once; missing
    ones are computed here.
    """
    today = today or dt.date.today()
    sections = sections if sections is not None else split_sections(resume.lines)
    fields = fields if fields is not None else extract_fields(resume, sections, today=today)
    suggestions = line_suggestions(resume, sections, fields, today)
    suggestions += _missing_sections(resume, sections, fields)
    suggestions += _length(resume)
    coverage = skill_coverage(fields, sections, target_skills, note=target_note or _skills_note(fields))
    suggestions += _keyword_suggestions(coverage, fields)
    components = _components(resume, sections, fields, suggestions, coverage, bool(target_skills))
    suggestions.sort(key=lambda s: (_SEVERITY_ORDER[s.severity], s.lines[0] if s.lines else 10**6))
    return ResumeReview(
        score=sum(components.values()), components=components, sections=sections, fields=fields,
        suggestions=suggestions, skills=coverage, warnings=list(resume.warnings),
    )


def _skills_note(fields: ResumeFields) -> str | None:
    return next((note for note in fields.notes if "技能" in note), None)


def skill_coverage(fields: ResumeFields, sections: list[Section], target_skills: Sequence[str],
                   *, note: str | None = None) -> SkillCoverage:
    """Target skills split into present (listed where a reader looks for skills), buried (only inside experience)
    and missing."""
    skill_lines = {n for s in sections if s.key in {"skills", "certificates", "self_evaluation", "intent"}
                   for n in range(s.start_line, s.end_line + 1)}
    lines_of = {item.name.lower(): item.lines for item in fields.skills}
    coverage = SkillCoverage(note=note)
    for skill in dict.fromkeys(target_skills):
        # A framework's family counts for it: Spring Boot or Spring MVC on the résumé covers "Spring".
        lines = lines_of.get(skill.lower()) or [n for name, found in lines_of.items()
                                               if name.startswith(skill.lower() + " ") for n in found]
        if not lines:
            coverage.missing.append(skill)
        elif skill_lines and not set(lines) & skill_lines:
            coverage.buried.append(skill)
        else:
            coverage.present.append(skill)
    return coverage


def _keyword_suggestions(coverage: SkillCoverage, fields: ResumeFields) -> list[Suggestion]:
    out = []
    lines_of = {item.name.lower(): item.lines for item in fields.skills}
    for skill in coverage.buried:
        out.append(Suggestion(
            lines=lines_of[skill.lower()], category="missing_keyword", severity="low",
            message=f"目标岗位常要求“{skill}”，它只出现在经历描述里，筛选时容易被忽略；可在“专业技能”中也列出。",
            example=f"专业技能：{skill}【熟练程度，如：熟悉/精通】",
        ))
    for skill in coverage.missing[:MAX_KEYWORD_SUGGESTIONS]:
        out.append(Suggestion(
            lines=[], category="missing_keyword", severity="medium",
            message=f"目标岗位常要求“{skill}”，简历中没有出现。仅当你确实掌握时再补充，并写出用它做过的事。",
            example=f"【仅在确有此技能时】熟悉 {skill}，曾用于【具体项目/任务】",
        ))
    return out


def _missing_sections(resume: ParsedResume, sections: list[Section], fields: ResumeFields) -> list[Suggestion]:
    keys = {s.key for s in sections}
    if any(_INLINE_INTENT.match(line.text) for line in resume.lines):
        keys.add("intent")  # 求职意向：数据分析师 written on one line, not as a heading
    out = []
    if not fields.phones and not fields.emails:
        out.append(Suggestion(lines=[], category="missing_section", severity="high",
                              message="没有找到手机号或邮箱，招聘方无法联系你。请在简历开头写上联系方式。",
                              example="电话：【你的手机号】 | 邮箱：【你的邮箱】"))
    elif not fields.emails:
        out.append(Suggestion(lines=[fields_line(sections)], category="missing_section", severity="low",
                              message="只有电话没有邮箱，很多招聘方用邮件发面试通知，建议补充邮箱。",
                              example="邮箱：【你的邮箱】"))
    if "education" not in keys and not fields.education:
        out.append(_missing("education", "没有“教育背景”，招聘方无法核对学历要求。",
                            "【起止年.月】 【学校】 【专业】 【学历】"))
    if not keys & {"work", "internship", "project"}:
        out.append(_missing("work", "没有工作、实习或项目经历。应届生也可以写课程项目、实习或校园经历。",
                            "【起止年.月】 【单位/项目名称】 【职位/角色】"))
    if "skills" not in keys:
        out.append(_missing("skills", "没有单独的“专业技能”部分，关键词不易被筛选系统和招聘方看到。",
                            "专业技能：【你确实掌握的技能，按熟练程度排列】"))
    if not keys & {"self_evaluation", "intent"}:
        out.append(Suggestion(lines=[], category="missing_section", severity="low",
                              message="没有“求职意向”或“自我评价”，可用一两句话说明目标岗位和核心优势（只写有依据的）。",
                              example="求职意向：【目标岗位】（【期望城市】）"))
    return out


def fields_line(sections: list[Section]) -> int:
    """The first line of the 基本信息 section (where contact data belongs), or 1."""
    return next((s.start_line for s in sections if s.key == "basic"), 1)


def _missing(key: str, message: str, example: str) -> Suggestion:
    return Suggestion(lines=[], category="missing_section", severity="high" if key != "skills" else "medium",
                      message=f"缺少“{SECTION_TITLES[key]}”：{message}", example=example)  # type: ignore[index]


def _length(resume: ParsedResume) -> list[Suggestion]:
    chars = sum(len(line.text) for line in resume.lines)
    pages = max((line.page or 1 for line in resume.lines), default=1)
    if chars < 250:
        return [Suggestion(lines=[], category="length", severity="medium",
                           message=f"简历只有约 {chars} 字，内容偏少。补充每段经历的具体职责与成果（只写真实发生的）。",
                           example=None)]
    if chars > 3500 or pages > 2:
        return [Suggestion(lines=[], category="length", severity="low",
                           message=(f"简历约 {chars} 字（{pages} 页），偏长。"
                                    "保留与目标岗位最相关的经历，控制在 1–2 页。"),
                           example=None)]
    long_lines = [line.number for line in resume.lines if len(line.text) > 150]
    if long_lines:
        return [Suggestion(lines=long_lines, category="formatting", severity="low",
                           message="这些行过长，不便快速浏览。拆成几条要点，每条以动词开头。", example=None)]
    return []


def _components(resume: ParsedResume, sections: list[Section], fields: ResumeFields, suggestions: list[Suggestion],
                coverage: SkillCoverage, has_target: bool) -> dict[str, int]:
    keys = {s.key for s in sections}
    completeness = (
        (5 if fields.phones or fields.emails else 0)
        + (5 if fields.education or "education" in keys else 0)
        + (10 if keys & {"work", "internship", "project"} else 0)
        + (5 if "skills" in keys else 0)
    )
    entry_lines = {e.line for e in fields.work} | {e.line for e in fields.education}
    experience = [line for line in resume.lines for s in sections
                  if s.key in EXPERIENCE_KEYS and s.start_line <= line.number <= s.end_line
                  and line.number != s.heading_line and line.number not in entry_lines]
    # Lines that state a figure, however they are worded: wording has its own score.
    quantified = [line for line in experience if has_figure(line.text)]
    quantification = round(WEIGHTS["quantification"] * len(quantified) / len(experience)) if experience else 0
    weak = sum(1 for s in suggestions if s.category in {"weak_verb", "vague_duty"})
    injected = sum(1 for s in suggestions if s.category == "formatting" and "指令" in s.message)
    wording = max(0, WEIGHTS["wording"] - 4 * weak - 10 * injected) if experience else 0
    if any(s.category == "length" for s in suggestions):
        completeness = max(0, completeness - 5)
    date_issues = sum(1 for s in suggestions if s.category == "date_issue")
    dates = max(0, WEIGHTS["dates"] - 3 * date_issues)
    sensitive = [s for s in suggestions if s.category == "sensitive_data"]
    privacy = 0 if any(s.severity == "high" for s in sensitive) else max(0, WEIGHTS["privacy"] - 3 * len(sensitive))
    if has_target:
        wanted = len(coverage.present) + len(coverage.buried) + len(coverage.missing)
        skills = (round(WEIGHTS["skills"] * (len(coverage.present) + 0.5 * len(coverage.buried)) / wanted)
                  if wanted else 0)
    else:
        skills = WEIGHTS["skills"] if len(fields.skills) >= 3 or "skills" in keys else 5 if fields.skills else 0
    return {"completeness": completeness, "quantification": quantification, "wording": wording,
            "dates": dates, "privacy": privacy, "skills": skills}
