"""Skill mentions in a job posting or résumé: canonical name, category, required or preferred, character span."""

from __future__ import annotations

import bisect
import re
from functools import cache

from pydantic import BaseModel

from assistant.skills.lexicon import Lexicon, default_lexicon, normalise

_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_COMMA_RE = re.compile(r"[，,]")
# "Python3", "Vue2.x", "MySQL8.0": a version number glued to a Latin alias still names the skill.
_VERSION_RE = re.compile(r"[0-9]+(?:\.[0-9x]+)*")

# Clause boundaries: sentence punctuation, line breaks, bullets ("- 熟练…") and list numbers such as "2." or "3、"
# glued to the text (but not the "5" of "HTML5、").
_CLAUSE_RE = re.compile(
    r"[。；;！!？?\n•●■▪*]|(?<![0-9.a-z])[0-9]{1,2}[、.．)）](?![0-9x])|[①②③④⑤⑥⑦⑧⑨⑩]|-\s+(?=[\u4e00-\u9fff])"
)
# Each cue pattern starts with a lookahead on its possible first characters: the scan skips other text fast.
_AFTER_PREFERRED_RE = re.compile(
    r"(?=[优加更为者是有略aipnb])"
    r"(?:优先(?!级)|加分|更佳|为佳|更好|者佳|是一个加分|有一定的?了解|有所了解|略有了解|a plus|is a plus|"
    r"preferred|nice to have|bonus)"
)
_BEFORE_CUE_RE = re.compile(
    r"(?=[了接知懂有深熟精掌具擅能会必需要fekpsm])"
    r"(?:(?P<preferred>了解|接触过|接触|知晓|懂得|有所涉猎|familiarity with|exposure to|knowledge of)"
    r"|(?P<required>深入了解|深刻理解|深入理解|熟悉|精通|掌握|熟练|具备|具有|擅长|能够|会使用|必须|需要|要求"
    r"|proficien\w*|familiar with|"
    r"experience (?:in|with)|strong|solid|must))"
)
_HEADER_RE = re.compile(
    r"(?=[加优以满任岗职工基关pnbrq])(?:(?P<preferred>加分项|加分条件|优先条件|优先考虑|以下优先|满足以下条件优先|以下条件优先|"
    r"preferred qualifications|nice to have|bonus points)\s*[:：]"
    r"|(?P<required>任职要求|岗位要求|职位要求|任职资格|任职条件|岗位职责|工作职责|职位描述|工作内容|基本要求|关键字|关键词|"
    r"requirements|qualifications|responsibilities)\s*[:：])"
)
# What the employer offers ("发展机会1) 我们将提供金融方面的培训", "将得到：接触无人机"): not asked of the candidate.
# Such a section runs to the next requirement heading.
_OFFER_RE = re.compile(
    r"(?=[发我你将公福薪员w])(?:发展机会|我们提供|我们能提供|我们为你提供|我们能给你|你将获得|你将得到|你能得到|将得到|"
    r"公司福利|福利待遇|薪资福利|薪酬福利|员工福利|福利|what we offer)(?:\s*[:：]|(?=\s*(?:[0-9]{1,2}[、.．)）]|\n)))"
)
# A generic head noun glued to a named product ("Linux 操作系统", "SQLSERVER数据库") is part of that name, not a
# second skill (操作系统原理).
_HEAD_FORMS = frozenset({"操作系统", "数据库"})
# "C" alone names the C language only as the whole text or as an item of a list of skills ("C/C++", "Java、C").
_C_LETTER_RE = re.compile(r"(?<![a-z0-9_.+#&'-])c(?![a-z0-9_+#&'-])")
_LIST_GAP_RE = re.compile(r"\s*(?:[/、,，;；|]|或|和|及|与)?\s*")
_C_LANGUAGE = "C语言"


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
        # A blocker maps to "": it is matched (so nothing shorter inside it is) but reported as nothing.
        for form, name in [*lexicon.surface.items(), *((word, "") for word in lexicon.blocked)]:
            if len(form) < 2:
                continue  # a single letter or character is never a safe skill name
            self._forms[form] = name
            lengths.setdefault(form[:2], set()).add(len(form))
        self._lengths = {prefix: sorted(sizes, reverse=True) for prefix, sizes in lengths.items()}
        self._cased = lexicon.cased
        # "沟通和表达能力": the stem of a soft skill named "XX能力" counts when "和/与/、" joins it to another ability.
        stems: dict[str, str] = {}
        for skill in lexicon.skills.values():
            if skill.category != "soft_skill":
                continue
            for alias in skill.aliases():
                form = normalise(alias.removeprefix("=")).strip()
                stem = form.removesuffix("能力").removesuffix("的")
                if stem != form and len(stem) >= 2 and stem not in self._forms:
                    stems.setdefault(stem, skill.name)
        self._stems = stems
        first = "".join(sorted({re.escape(s[0]) for s in stems}))
        alternatives = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
        self._stem_re = re.compile(f"(?=[{first}])(?:{alternatives})(?=[和与及、/])") if stems else None

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
                if i + length > size:
                    continue
                form = norm[i : i + length]
                name = forms.get(form)
                if name is None or (form in cased and text[i : i + length] not in cased[form]):
                    continue
                end = self._end(norm, i, i + length)
                if end:
                    if name:
                        found.append((i, end, name))
                    i = end - 1
                    break
            i += 1
        found = self._drop_head_nouns(norm, found)
        return sorted([*found, *self._stem_mentions(norm, found), *self._c_language(norm, found)])

    @staticmethod
    def _drop_head_nouns(norm: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        kept: list[tuple[int, int, str]] = []
        for start, end, name in found:
            previous_end = kept[-1][1] if kept else 0
            if (kept and end - start <= 4 and norm[start:end] in _HEAD_FORMS and norm[previous_end - 1] in _WORD
                    and norm[previous_end:start] in ("", " ")):
                continue
            kept.append((start, end, name))
        return kept

    def _stem_mentions(self, norm: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        if self._stem_re is None:
            return []
        skills = self.lexicon.skills
        starts = {start: (end, name) for start, end, name in found}
        extra: list[tuple[int, int, str]] = []
        for m in self._stem_re.finditer(norm):
            # the ability that closes the pair ("表达能力", "合作的能力") follows the conjunction at once
            following = starts.get(m.end() + 1)
            if following is None or skills[following[1]].category != "soft_skill":
                continue
            if norm.startswith("能力", following[0] - 2) and not any(
                    start < m.end() and m.start() < end for start, end, _ in found):
                extra.append((m.start(), m.end(), self._stems[m.group()]))
        return extra

    def _c_language(self, norm: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        if _C_LANGUAGE not in self.lexicon.skills or "c" not in norm:
            return []
        if norm.strip() == "c":
            start = norm.index("c")
            return [(start, start + 1, _C_LANGUAGE)]
        skills = self.lexicon.skills
        extra: list[tuple[int, int, str]] = []
        for m in _C_LETTER_RE.finditer(norm):
            i = m.start()
            k = bisect.bisect_left(found, (i + 1, 0, ""))
            before = found[k - 1] if k > 0 else None
            after = found[k] if k < len(found) else None
            if before is not None and before[1] > i:
                continue  # part of a longer name ("C语言", "C/S架构")
            neighbours = []
            if before is not None:
                neighbours.append((before[2], norm[before[1] : i]))
            if after is not None:
                neighbours.append((after[2], norm[i + 1 : after[0]]))
            if any(skills[name].category in ("hard_skill", "tool") and _LIST_GAP_RE.fullmatch(gap)
                   for name, gap in neighbours):
                extra.append((i, i + 1, _C_LANGUAGE))
        return extra

    @staticmethod
    def _end(norm: str, start: int, end: int) -> int:
        """Where a match ending at `end` really ends (after a version number), or 0 when it ends inside a word."""
        if end >= len(norm) or norm[end - 1] not in _WORD:
            return end
        following = norm[end]
        if norm[end - 1] in _LETTERS and (following == "#" or norm.startswith("++", end)):
            return 0  # "C" is not the start of "C++" or "C#" (but "HTML+CSS" names HTML)
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


class _Clauses:
    """Where a text's clauses, comma parts, headings and cue words are, found once per text."""

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self.headers = [(m.start(), m.lastgroup == "preferred") for m in _HEADER_RE.finditer(norm)]
        offers = [m.start() for m in _OFFER_RE.finditer(norm)]
        # (start, is an offer section) of every section, in order
        self.sections = sorted([*((p, False) for p, _ in self.headers), *((p, True) for p in offers)])
        self.bounds = sorted(
            {0, len(norm), *(m.start() for m in _CLAUSE_RE.finditer(norm)), *(p for p, _ in self.headers)})
        self.commas = [m.start() for m in _COMMA_RE.finditer(norm)]
        cues = list(_BEFORE_CUE_RE.finditer(norm))
        self.cue_ends = [m.end() for m in cues]
        self.cues = [(m.start(), m.lastgroup == "preferred") for m in cues]
        self.afters = [m.start() for m in _AFTER_PREFERRED_RE.finditer(norm)]

    def in_offer(self, start: int) -> bool:
        """Whether a position lies in a section about what the employer offers."""
        s = bisect.bisect_right(self.sections, (start, True))
        return s > 0 and self.sections[s - 1][1]

    def is_preferred(self, start: int, end: int) -> bool:
        """Preferred when its clause says so after it (优先/加分), under a 加分项 heading,
        or its nearest cue is 了解."""
        k = bisect.bisect_right(self.bounds, start)
        clause_start, clause_end = self.bounds[k - 1], self.bounds[min(k, len(self.bounds) - 1)]
        j = bisect.bisect_right(self.cue_ends, start) - 1
        cue = self.cues[j] if j >= 0 and self.cues[j][0] >= clause_start else None  # "熟悉A，B": B is governed too
        a = bisect.bisect_left(self.afters, end)
        after = self.afters[a] if a < len(self.afters) and self.afters[a] < max(clause_end, end) else None
        if after is not None and _opens_bracket(self.norm[end:after]):
            after = None  # "熟练运用SQL（熟练使用Python更佳）": the 更佳 belongs to the bracket, not to SQL
        # "熟悉Java，有Go经验者优先": a 优先 after a comma covers only mentions that no verb before them governs.
        if after is not None and (
                cue is None or bisect.bisect_left(self.commas, end) == bisect.bisect_left(self.commas, after)):
            return True
        h = bisect.bisect_right(self.headers, (start, True))
        if h > 0 and self.headers[h - 1][1]:
            return True  # everything under a 加分项 heading is a plus, whatever verb it uses
        return cue is not None and cue[1]


def _opens_bracket(between: str) -> bool:
    return between.count("(") + between.count("（") > between.count(")") + between.count("）")


def extract_skills(text: str, matcher: SkillMatcher | None = None) -> list[SkillMention]:
    """Skills named in `text`, in order, each with its canonical name, category, required flag and span."""
    matcher = matcher or _default_matcher()
    norm = normalise(text)
    matches = matcher.find(text, norm)
    if not matches:
        return []
    clauses = _Clauses(norm)
    skills = matcher.lexicon.skills
    # Built from the lexicon and our own offsets: construct without re-validating (a third of the time otherwise).
    return [
        SkillMention.model_construct(
            name=name, category=skills[name].category, required=not clauses.is_preferred(start, end), span=(start, end)
        )
        for start, end, name in matches
        if not clauses.in_offer(start)
    ]
