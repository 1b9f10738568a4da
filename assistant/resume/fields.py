"""Extract facts from résumé lines: name, contact, education, work, years, certificates, languages, skills."""

from __future__ import annotations

import datetime as dt
import re

from assistant.errors import AssistantError
from assistant.resume.dates import find_ranges, merged_months
from assistant.resume.lexicon import (
    COMPOUND_SURNAMES,
    DEGREE_RANK,
    DEGREE_WORDS,
    ORG_SUFFIXES,
    SURNAMES,
    TITLE_HEADS,
)
from assistant.resume.models import (
    DegreeLevel,
    EducationEntry,
    ParsedResume,
    ResumeFields,
    ResumeLine,
    Section,
    SkillItem,
    WorkEntry,
)
from assistant.skills.extraction import SkillMatcher, extract_skills
from assistant.vocab.education import find_resume_degree

PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
# Word runs before "@", "University" or a company suffix are bounded (64 characters): unbounded, every position
# of a long run was rescanned to its end (quadratic time, tests/test_regex_budget.py).
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_NAME_LABEL = re.compile(r"(?:姓\s*名|Name)\s*[:：]\s*([\u4e00-\u9fa5·]{2,5}|[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})")
_NAME_ONLY = re.compile(r"^([\u4e00-\u9fa5]{2,4})(?:\s*(?:的)?(?:个人)?简历)?$")
_EN_NAME_ONLY = re.compile(r"^([A-Z][a-z]+(?: [A-Z]\.?)?(?: [A-Z][a-z]+){1,2})$")
_SCHOOL_RE = re.compile(
    r"([\u4e00-\u9fa5（）()]{2,20}?(?:科学院大学|大学|学院|学校|党校|研究生院|科学院|研究所))(?![\u4e00-\u9fa5]{0,2}(?:附属|医院))"
    r"|((?:[A-Z][A-Za-z.&'-]{0,63}\s+){0,5}(?:University|College|Institute)(?:\s+of(?:\s+[A-Z][A-Za-z.&'-]*)+)?)"
)
_MAJOR_RE = re.compile(
    r"\bin ([A-Z][A-Za-z ]{2,40}[a-z])"
    r"|(?:专业\s*[:：]\s*)?([\u4e00-\u9fa5（）A-Za-z]{2,16}?)(?:专业|系(?![统列]))"
    r"|主修\s*[:：]?\s*([\u4e00-\u9fa5]{2,12})"
)
_EN_ORG_RE = re.compile(
    r"((?:[A-Z][\w&.'-]{0,63}\s+){1,6}(?:Co\.,?\s*Ltd\.?|Inc\.?|Ltd\.?|LLC|Corporation|Company|Group|Bank|University))"
)
_ORG_RE = re.compile(
    r"([\u4e00-\u9fa5A-Za-z0-9（）()·&]{2,30}(?:"
    + "|".join(re.escape(s) for s in ORG_SUFFIXES if len(s) >= 2 or s in {"厂", "局"})
    + r"))"
)
_TITLE_RE = re.compile(
    r"([\u4e00-\u9fa5A-Za-z]{0,8}?(?:" + "|".join(re.escape(h) for h in TITLE_HEADS)
    + r"|工程师|开发|运营|销售|实习生|博士后))"
)
_SEPARATOR = re.compile(r"\s*[|｜/丨,，·•]\s*|\s{2,}|\t")
_CERT_RE = re.compile(
    r"(?:持有|获得|取得|通过|(?<!\s))\s*([\u4e00-\u9fa5A-Za-z0-9（）()]{0,16}(?: [A-Za-z0-9]+ )?"
    r"(?:证书|资格证|执业证|证(?=[\s,，;；、。]|$)|资格)"
    r"|PMP|CPA|ACCA|CFA|FRM|CISSP|CCIE|CCNP|CCNA|RHCE|OCP|软考[\u4e00-\u9fa5]{0,12}|注册[\u4e00-\u9fa5]{2,8}师)"
)
_LANGUAGE_RE = re.compile(
    r"CET[-－ ]?[46](?:\s*[（(]?\s*\d{3}\s*分?[）)]?)?|大学英语[四六]级|英语[四六]级|专业[四八]级|TEM[-－ ]?[48]"
    r"|雅思\s*\d(?:\.\d)?|IELTS\s*\d(?:\.\d)?|托福\s*\d{2,3}|TOEFL\s*\d{2,3}|TOEIC\s*\d{3}"
    r"|(?:日语|JLPT)\s*N[1-5]|韩语\s*TOPIK\s*\d|TOPIK\s*\d|(?:法语|德语|西班牙语)\s*[ABC][12]|普通话[一二三]级[甲乙]等",
    re.I,
)


def extract_fields(resume: ParsedResume, sections: list[Section], *, today: dt.date | None = None,
                   matcher: SkillMatcher | None = None) -> ResumeFields:
    """All fields the résumé states; nothing is guessed beyond what its lines say."""
    today = today or dt.date.today()
    lines = resume.lines
    by_key = {key: [line for line in lines if _in(line, sections, key)] for key in
              ("education", "work", "internship", "project", "certificates", "skills")}
    fields = ResumeFields(
        name=_name(lines),
        phones=sorted({"".join(m.groups()) for line in lines for m in PHONE_RE.finditer(line.text)}),
        emails=sorted({m.group(0) for line in lines for m in EMAIL_RE.finditer(line.text)}),
    )
    fields.education = _education(by_key["education"] or [ln for ln in lines if _SCHOOL_RE.search(ln.text)])
    fields.highest_degree = highest([entry.degree for entry in fields.education if entry.degree])
    fields.work = _work(by_key["work"], internship=False) + _work(by_key["internship"], internship=True)
    ranges = [entry.dates for entry in fields.work if entry.dates and not entry.internship]
    fields.total_years = round(merged_months(ranges, (today.year, today.month)) / 12, 1)
    fields.languages = _unique(m.group(0).strip() for line in lines for m in _LANGUAGE_RE.finditer(line.text))
    cert_lines = by_key["certificates"] + by_key["skills"] or lines
    fields.certificates = _unique(
        m.group(1).strip() for line in cert_lines for m in _CERT_RE.finditer(line.text) if len(m.group(1).strip()) >= 3
    )
    fields.skills, note = extract_skill_items(lines, matcher)
    if note:
        fields.notes.append(note)
    return fields


def _in(line: ResumeLine, sections: list[Section], key: str) -> bool:
    return any(s.key == key and s.start_line <= line.number <= s.end_line and line.number != s.heading_line
               for s in sections)


def _unique(values: object) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:  # type: ignore[attr-defined]
        seen.setdefault(re.sub(r"\s+", " ", value), None)
    return list(seen)


def _name(lines: list[ResumeLine]) -> str | None:
    for line in lines[:12]:
        if match := _NAME_LABEL.search(line.text):
            return match.group(1)
    for line in lines[:3]:
        text = line.text.strip()
        if (match := _NAME_ONLY.match(text)) and _is_chinese_name(match.group(1)):
            return match.group(1)
        if match := _EN_NAME_ONLY.match(text):
            return match.group(1)
        first = _SEPARATOR.split(text)[0].strip()
        if 2 <= len(first) <= 4 and _is_chinese_name(first):
            return first
    return None


def _is_chinese_name(text: str) -> bool:
    if not re.fullmatch(r"[\u4e00-\u9fa5]{2,4}", text) or re.search(r"简历|信息|经历|求职|个人|背景|技能|评价", text):
        return False
    return text[0] in SURNAMES or text.startswith(COMPOUND_SURNAMES)


def degree_of(text: str) -> DegreeLevel | None:
    """The degree level a text names (本科, 硕士 …), the highest when several appear."""
    return find_resume_degree(text)


def highest(levels: list[DegreeLevel | None]) -> DegreeLevel | None:
    """The highest of some degree levels (博士 over 硕士 …), None for none."""
    best: DegreeLevel | None = None
    for level in levels:
        if level is not None and (best is None or DEGREE_RANK[level] > DEGREE_RANK[best]):
            best = level
    return best


def _education(lines: list[ResumeLine]) -> list[EducationEntry]:
    entries: list[EducationEntry] = []
    for line in lines:
        school_match = _SCHOOL_RE.search(line.text)
        ranges = find_ranges(line.text)
        if school_match:
            school = (school_match.group(1) or school_match.group(2)).strip()
            rest = line.text.replace(school, " ")
            entries.append(EducationEntry(
                school=school, degree=degree_of(rest), major=_major(rest),
                dates=ranges[0] if ranges else None, line=line.number,
            ))
        elif entries and entries[-1].line >= line.number - 2:
            # Degree, major or dates written on the line after the school.
            last = entries[-1]
            last.degree = last.degree or degree_of(line.text)
            last.major = last.major or _major(line.text)
            last.dates = last.dates or (ranges[0] if ranges else None)
    return entries


def _major(text: str) -> str | None:
    cleaned = re.sub(r"(19|20)\d{2}[^\s]*", " ", text)
    if match := _MAJOR_RE.search(cleaned):
        value = (match.group(1) or match.group(2) or match.group(3) or "").strip()
        for word, _ in DEGREE_WORDS:
            value = value.replace(word, "")
        value = value.strip("（）() ")
        return value or None
    parts = [p for p in re.split(r"[\s|｜/丨,，·•]+", cleaned) if p.strip()]
    for part in parts:
        part = part.strip()
        if (re.fullmatch(r"[\u4e00-\u9fa5]{2,12}", part) and not degree_of(part)
                and not re.search(r"学历|学位|GPA|排名", part)):
            return part
    return None


def _work(lines: list[ResumeLine], *, internship: bool) -> list[WorkEntry]:
    entries: list[WorkEntry] = []
    for line in lines:
        ranges = find_ranges(line.text)
        if not ranges:
            continue
        rest = line.text.replace(ranges[0].text, " ").strip(" |｜,，:：")
        organization = _organization(rest)
        title = _title(rest.replace(organization, " ") if organization else rest)
        if organization is None and title is None and entries and not rest:
            continue
        entries.append(WorkEntry(organization=organization, title=title, dates=ranges[0],
                                 internship=internship or "实习" in line.text, line=line.number))
    return entries


def _organization(text: str) -> str | None:
    if match := _EN_ORG_RE.search(text) or _ORG_RE.search(text):
        return match.group(1).strip()
    parts = [p.strip() for p in _SEPARATOR.split(text) if p.strip()]
    if len(parts) >= 2 and not _TITLE_RE.fullmatch(parts[0]):
        return parts[0]
    return None


def _title(text: str) -> str | None:
    parts = [p.strip() for p in _SEPARATOR.split(text) if p.strip()]
    for part in parts:
        if len(part) <= (30 if part.isascii() else 16) and _TITLE_RE.search(part):
            return part
    return None


def extract_skill_items(lines: list[ResumeLine],
                        matcher: SkillMatcher | None = None) -> tuple[list[SkillItem], str | None]:
    """Skills found by the skill lexicon (the service's; the packaged one without), with their lines; a note
    instead when the lexicon cannot be loaded."""
    found: dict[str, SkillItem] = {}
    try:
        for line in lines:
            for mention in extract_skills(line.text, matcher):
                item = found.setdefault(
                    mention.name, SkillItem(name=mention.name, category=str(mention.category), lines=[]))
                if line.number not in item.lines:
                    item.lines.append(line.number)
    except AssistantError as exc:
        return [], f"技能词库加载失败，本次未提取技能：{exc}"
    return list(found.values()), None
