"""Split résumé lines into sections by headings, or by content where the headings are missing."""

from __future__ import annotations

import re

from assistant.resume.lexicon import SECTION_HEADINGS
from assistant.resume.models import ResumeLine, Section, SectionKey

SECTION_TITLES: dict[SectionKey, str] = {
    "basic": "基本信息",
    "intent": "求职意向",
    "education": "教育背景",
    "work": "工作经历",
    "internship": "实习经历",
    "project": "项目经历",
    "campus": "校园经历",
    "skills": "专业技能",
    "certificates": "证书/荣誉",
    "self_evaluation": "自我评价",
    "other": "其他",
}

_KEYWORD_MAP = SECTION_HEADINGS
# Linear time (tests/test_regex_budget.py): the trailing run is tried where it begins, a run of spaces or an
# e-mail's local part is read once — not rescanned from each of its positions.
_DECORATION = re.compile(
    r"^[\s#*>【\[（(「『■□◆◇●○▶►•·\-—_=|]*|(?<![\s】\]）)」』：:\-—_=|*#])[\s】\]）)」』：:\-—_=|*#]*$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．)]|[（(][一二三四五六七八九十\d]+[）)])\s*")
_EN_TITLE = re.compile(r"^[A-Za-z][A-Za-z &/]+$")

_CONTACT = re.compile(r"1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|[\w.+-]{1,64}@[\w-]+\.[\w.]+|电话|手机|邮箱|E-?mail", re.I)
_SCHOOL = re.compile(r"大学|学院|学校|University|College|Institute", re.I)
_DEGREE = re.compile(r"本科|硕士|博士|大专|专科|学士|研究生|Bachelor|Master|Ph\.?D|B\.S|M\.S", re.I)
_DATE_SPAN = re.compile(
    r"(19|20)\d{2}\s*+[年./\-]?\s*+\d{0,2}\s*+月?\s*+[-–—~至到]+\s*+((19|20)\d{2}|至今|今|现在|present|now)", re.I)
_COMPANY = re.compile(r"公司|集团|银行|研究院|研究所|医院|有限|科技|Inc\.?|Ltd\.?|Co\.|Corp", re.I)


def heading_key(text: str) -> SectionKey | None:
    """The section a line announces when it is a heading, else None."""
    stripped = _NUMBERING.sub("", _DECORATION.sub("", text.strip()))
    stripped = _DECORATION.sub("", stripped).strip()
    if not stripped or len(stripped) > 24:
        return None
    lowered = stripped.lower()
    if lowered in _KEYWORD_MAP:
        return _KEYWORD_MAP[lowered]
    # Bilingual headings such as "教育背景 Education" or "工作经历 / Work Experience".
    for part in re.split(r"\s*[/|｜]\s*|\s+(?=[A-Za-z])", lowered):
        if part in _KEYWORD_MAP:
            return _KEYWORD_MAP[part]
    return None


def split_sections(lines: list[ResumeLine]) -> list[Section]:
    """Sections in document order; text before the first heading is 基本信息 when it holds contact data."""
    marks = [(index, key) for index, line in enumerate(lines) if (key := heading_key(line.text))]
    if len(marks) < 2:
        return _infer_sections(lines)
    sections: list[Section] = []
    if marks[0][0] > 0:
        head = lines[: marks[0][0]]
        sections.append(
            Section(key="basic", title=SECTION_TITLES["basic"], heading_line=None,
                    start_line=head[0].number, end_line=head[-1].number, inferred=True)
        )
    for position, (index, key) in enumerate(marks):
        end_index = marks[position + 1][0] - 1 if position + 1 < len(marks) else len(lines) - 1
        body_end = lines[end_index].number
        sections.append(
            Section(key=key, title=lines[index].text.strip(" #【】[]：:"), heading_line=lines[index].number,
                    start_line=lines[index].number, end_line=body_end)
        )
    return sections


def _infer_sections(lines: list[ResumeLine]) -> list[Section]:
    """No usable headings: label each line by its content and merge runs of the same label."""
    sections: list[Section] = []
    current: SectionKey | None = None
    for index, line in enumerate(lines):
        key = _content_key(line.text, index, current)
        if sections and key == current:
            sections[-1].end_line = line.number
            continue
        sections.append(
            Section(key=key, title=SECTION_TITLES[key], heading_line=None,
                    start_line=line.number, end_line=line.number, inferred=True)
        )
        current = key
    return sections


def _content_key(text: str, index: int, current: SectionKey | None) -> SectionKey:
    if index < 4 and (_CONTACT.search(text) or len(text) <= 4):
        return "basic"
    if _SCHOOL.search(text) and (_DEGREE.search(text) or _DATE_SPAN.search(text)):
        return "education"
    if _DATE_SPAN.search(text) and _COMPANY.search(text):
        return "internship" if "实习" in text else "work"
    if re.search(r"证书|资格|CET|四级|六级|PMP|CPA|获奖|奖学金", text):
        return "certificates" if current not in {"work", "project"} else current
    if re.search(r"熟悉|精通|掌握|熟练", text) and current not in {"work", "project", "internship"}:
        return "skills"
    return current or "basic"

