"""Skill mentions in a job posting or résumé: canonical name, category, required or preferred, character span."""

from __future__ import annotations

import bisect
import re
from functools import cache

from pydantic import BaseModel

from assistant.tools.skill_lexicon import Lexicon, default_lexicon, normalise

_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
# "Python3", "Vue2.x", "MySQL8.0": a version number glued to a Latin alias still names the skill.
_VERSION_RE = re.compile(r"[0-9]+(?:\.[0-9x]+)*")

# Clause boundaries: sentence punctuation, line breaks and list numbers such as "2." or "3、" glued to the text.
_CLAUSE_RE = re.compile(r"[。；;！!？?\n]|(?<![0-9.])[0-9]{1,2}[、.．)）](?![0-9x])|[①②③④⑤⑥⑦⑧⑨⑩]")
_AFTER_PREFERRED_RE = re.compile(
    r"优先(?!级)|加分|更佳|为佳|更好|者佳|是一个加分|a plus|is a plus|preferred|nice to have|bonus"
)
_BEFORE_CUE_RE = re.compile(
    r"(?P<preferred>了解|接触过|接触|知晓|懂得|有所涉猎|familiarity with|exposure to|knowledge of)"
    r"|(?P<required>熟悉|精通|掌握|熟练|具备|具有|擅长|能够|会使用|必须|需要|要求|proficien\w*|familiar with|"
    r"experience (?:in|with)|strong|solid|must)"
)
_HEADER_RE = re.compile(
    r"(?P<preferred>加分项|加分条件|优先条件|优先考虑|以下优先|preferred qualifications|nice to have|bonus points)\s*[:：]"
    r"|(?P<required>任职要求|岗位要求|职位要求|任职资格|任职条件|岗位职责|工作职责|职位描述|工作内容|基本要求|"
    r"requirements|qualifications|responsibilities)\s*[:：]"
)


class SkillMention(BaseModel):
    """One skill named in a text."""

    name: str
    category: str
    required: bool
    span: tuple[int, int]


class SkillMatcher:
    """Longest-match lookup of every lexicon surface form, with Latin word boundaries."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._forms: dict[str, str] = {}
        lengths: dict[str, set[int]] = {}
        for form, name in lexicon.surface.items():
            if len(form) < 2:
                continue  # a single letter or character is never a safe skill name
            self._forms[form] = name
            lengths.setdefault(form[:2], set()).add(len(form))
        self._lengths = {prefix: sorted(sizes, reverse=True) for prefix, sizes in lengths.items()}
        self._cased = lexicon.cased

    def find(self, text: str, norm: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, canonical name) matches; `norm` is `normalise(text)`."""
        found: list[tuple[int, int, str]] = []
        forms, lengths, size, cased = self._forms, self._lengths, len(norm), self._cased
        i = 0
        while i < size - 1:
            sizes = lengths.get(norm[i : i + 2])
            if sizes is None or (norm[i] in _WORD and i > 0 and norm[i - 1] in _WORD):
                i += 1
                continue
            for length in sizes:
                form = norm[i : i + length]
                name = forms.get(form)
                if name is None or (form in cased and text[i : i + length] != cased[form]):
                    continue
                end = self._end(norm, i, i + length)
                if end:
                    found.append((i, end, name))
                    i = end - 1
                    break
            i += 1
        return found

    @staticmethod
    def _end(norm: str, start: int, end: int) -> int:
        """Where a match ending at `end` really ends (after a version number), or 0 when it ends inside a word."""
        if end >= len(norm) or norm[end - 1] not in _WORD:
            return end
        following = norm[end]
        if norm[end - 1] in _LETTERS and following in "+#":
            return 0  # "C" is not the start of "C++" or "C#"
        if following not in _WORD:
            return end
        if norm[end - 1] in _LETTERS and following.isdigit() and end - start >= 3:
            version = _VERSION_RE.match(norm, end)
            stop = version.end() if version else end
            if stop >= len(norm) or norm[stop] not in _WORD:
                return stop
        return 0


@cache
def _default_matcher() -> SkillMatcher:
    return SkillMatcher(default_lexicon())


def _clause_bounds(norm: str) -> list[int]:
    return [0, *(m.start() for m in _CLAUSE_RE.finditer(norm)), len(norm)]


def _is_preferred(norm: str, start: int, end: int, bounds: list[int], headers: list[tuple[int, bool]]) -> bool:
    """Preferred when its clause says so after it (优先/加分), under a 加分项 heading, or its nearest cue is 了解."""
    k = bisect.bisect_right(bounds, start)
    clause_start, clause_end = bounds[k - 1], bounds[min(k, len(bounds) - 1)]
    part_start = max(clause_start, *(norm.rfind(comma, clause_start, start) + 1 for comma in "，,"))
    cue = None
    for match in _BEFORE_CUE_RE.finditer(norm, part_start, start):
        cue = match
    after = _AFTER_PREFERRED_RE.search(norm, end, max(clause_end, end))
    # "熟悉Java，有Go经验者优先": a 优先 in a later comma part covers only mentions whose own part has no verb.
    if after and (cue is None or not any(comma in norm[end : after.start()] for comma in "，,")):
        return True
    h = bisect.bisect_right(headers, (start, True))
    if h > 0 and headers[h - 1][1]:
        return True  # everything under a 加分项 heading is a plus, whatever verb it uses
    return cue is not None and cue.lastgroup == "preferred"


def extract_skills(text: str, matcher: SkillMatcher | None = None) -> list[SkillMention]:
    """Skills named in `text`, in order, each with its canonical name, category, required flag and span."""
    matcher = matcher or _default_matcher()
    norm = normalise(text)
    matches = matcher.find(text, norm)
    if not matches:
        return []
    bounds = _clause_bounds(norm)
    headers = [(m.start(), m.lastgroup == "preferred") for m in _HEADER_RE.finditer(norm)]
    skills = matcher.lexicon.skills
    return [
        SkillMention(
            name=name,
            category=skills[name].category,
            required=not _is_preferred(norm, start, end, bounds, headers),
            span=(start, end),
        )
        for start, end, name in matches
    ]
