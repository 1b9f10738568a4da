"""The one education scale (education.yaml): levels, their names, the words for each degree, and lookups in text."""

from __future__ import annotations

import re
from enum import IntEnum
from functools import cache
from typing import Literal, get_args

from assistant.vocab._data import load_yaml


class Education(IntEnum):
    """Education levels, ordered so that a higher value satisfies a lower requirement."""

    NONE = 0  # 学历不限
    HIGH_SCHOOL = 1  # 高中/中专/中技
    ASSOCIATE = 2  # 大专
    BACHELOR = 3  # 本科
    MASTER = 4  # 硕士
    DOCTOR = 5  # 博士 (and 博士后)


# A degree as a résumé reports it, lowest first; 博士后 is kept apart from 博士 there, both count as DOCTOR.
Degree = Literal["高中", "中专", "大专", "本科", "硕士", "博士", "博士后"]


def _levels() -> dict[Education, dict]:
    raw = load_yaml("education.yaml")["levels"]
    if list(raw) != [level.name for level in Education]:
        raise ValueError("education.yaml: levels must list every Education member, lowest first")
    return {Education[key]: value for key, value in raw.items()}


def _degrees() -> dict[Degree, dict]:
    raw = load_yaml("education.yaml")["degrees"]
    if tuple(raw) != get_args(Degree):
        raise ValueError("education.yaml: degrees must list every Degree, lowest first")
    return dict(raw)


EDUCATION_NAMES: dict[Education, str] = {level: spec["name"] for level, spec in _levels().items()}
AUDIENCES: dict[Education, str] = {level: spec["audience"] for level, spec in _levels().items()}
DEGREES: tuple[Degree, ...] = get_args(Degree)
DEGREE_RANK: dict[Degree, int] = {degree: rank for rank, degree in enumerate(DEGREES)}
DEGREE_LEVELS: dict[Degree, Education] = {degree: Education[spec["level"]] for degree, spec in _degrees().items()}
# Every word naming a degree, longest first (so that removing them from a text removes 博士研究生 before 博士).
DEGREE_WORDS: tuple[tuple[str, Degree], ...] = tuple(sorted(
    ((word, degree) for degree, spec in _degrees().items() for word in spec["words"]), key=lambda p: -len(p[0])))
ANY_EDUCATION_WORDS: tuple[str, ...] = tuple(_levels()[Education.NONE].get("words", ()))
# The degrees policy documents address by name, with the words that mark a passage for each (博士后 apart).
PASSAGE_WORDS: dict[Degree, tuple[str, ...]] = {
    degree: tuple(spec["passage_words"]) for degree, spec in _degrees().items() if "passage_words" in spec}
POLICY_DEGREES: tuple[Degree, ...] = tuple(PASSAGE_WORDS)
_POLICY_DEGREE_RE = re.compile("|".join(sorted(POLICY_DEGREES, key=len, reverse=True)))


def named_policy_degrees(text: str) -> set[Degree]:
    """The policy degrees a question names by their own name ("重庆对博士有什么补贴？" → {博士}); 博士后 is not 博士."""
    return {next(d for d in POLICY_DEGREES if d == word) for word in _POLICY_DEGREE_RE.findall(text)}


def degree_name(level: Education | None) -> str:
    """The Chinese name of an education level ("" for none)."""
    return EDUCATION_NAMES[level] if level is not None else ""


def audience_name(level: Education | None) -> str:
    """How a policy question calls people of a level (硕士 → 硕士研究生); 人才 when no level is known."""
    return AUDIENCES[level] if level is not None else AUDIENCES[Education.NONE]


def level_of(degree: Degree) -> Education:
    """The scale level a résumé degree counts as (博士后 → DOCTOR)."""
    return DEGREE_LEVELS[degree]


@cache
def _word_re() -> re.Pattern[str]:
    def pattern(word: str) -> str:
        escaped = re.escape(word)
        head = r"(?<![A-Za-z])" if word[0].isascii() and word[0].isalpha() else ""
        tail = r"(?:'?s)?(?![A-Za-z])" if word[-1].isascii() and word[-1].isalnum() else ""
        return head + escaped + tail

    words = [word for word, _ in DEGREE_WORDS]
    return re.compile("|".join(f"(?P<w{i}>{pattern(word)})" for i, word in enumerate(words)), re.IGNORECASE)


def degree_mentions(text: str) -> list[tuple[Degree, int, int]]:
    """Every degree a text names with where its word starts and ends; the longer of overlapping words counts."""
    return [(DEGREE_WORDS[int(str(match.lastgroup)[1:])][1], match.start(), match.end())
            for match in _word_re().finditer(text)]


# Vocational skill levels (职业技能等级), lowest first; 技师 after 高级技师/首席技师 is part of those words.
SkillLevel = Literal["初级工", "中级工", "高级工", "技师", "高级技师"]
SKILL_LEVELS: tuple[SkillLevel, ...] = get_args(SkillLevel)
SKILL_RANK: dict[SkillLevel, int] = {level: rank for rank, level in enumerate(SKILL_LEVELS)}
_SKILL_RE = re.compile(r"高级技师|(?<![高首席])技师|高级工|中级工|初级工")


def skill_mentions(text: str) -> list[tuple[SkillLevel, int, int]]:
    """Every vocational skill level a text names, with where its word starts and ends."""
    return [(next(level for level in SKILL_LEVELS if level == match.group(0)), match.start(), match.end())
            for match in _SKILL_RE.finditer(text)]


def find_degrees(text: str) -> list[Degree]:
    """Every degree a text names, in the order of the text; where words overlap the longer counts (博士后, not 博士)."""
    return [degree for degree, _, _ in degree_mentions(text)]


def find_resume_degree(text: str) -> Degree | None:
    """The highest degree a text names, as a résumé reports it (博士后 above 博士), if any."""
    return max(find_degrees(text), key=DEGREE_RANK.__getitem__, default=None)


def find_degree(text: str) -> Education | None:
    """The highest education level a text names, if any ("学历不限" names none)."""
    degree = find_resume_degree(text)
    return DEGREE_LEVELS[degree] if degree is not None else None


def find_requirement(text: str) -> Education | None:
    """The level a requirement sets ("本科及以上" → BACHELOR, "学历不限" → NONE), None when it names none."""
    level = find_degree(text)
    if level is None and any(word in text for word in ANY_EDUCATION_WORDS):
        return Education.NONE
    return level
