"""A job title read as a role: the skills it names (its subject), its function and its level.

"Java开发 / Java工程师 / Java后端 / 高级Java开发" are one role (subject Java, function 开发); "测试开发工程师" is a
tester and "算法工程师" is not a developer. Target skills are computed over the postings of the target's role, not
over every title that shares a word with it ("开发工程师").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from assistant.skills.extraction import SkillMatcher, extract_skills
from assistant.vocab._data import load_yaml

DEVELOPER = "开发"  # a title naming a technology and no function is a developer's ("Java", "PHP工程师")
_HAN_RUN_RE = re.compile(r"[\u3400-\u9fff]+")
_NOISE_RE = re.compile(r"[\s\-_/|·•,，、（）()【】\[\]]+")


@dataclass(frozen=True)
class Role:
    """A title's role: `subjects` (canonical skills it names), `function`, `level`, and the `core` words left when
    neither a skill nor a function is named ("电池系统" of 电池系统工程师)."""

    subjects: frozenset[str]
    function: str | None
    level: str | None
    core: str

    def label(self) -> str:
        """How the role is shown: "Java开发", "测试", "电池系统"."""
        subject = "/".join(sorted(self.subjects)) or self.core
        if self.function and not subject.endswith(self.function):
            return f"{subject}{self.function}" if subject else self.function
        return subject or "该岗位"

    def same_role(self, other: Role) -> bool:
        """`other` (a posting's role) is this role (a target's): it names all of this role's subjects, with the
        same function; without subjects the function and the core words decide."""
        if not _same_function(self.function, other.function):
            return False
        if self.subjects:
            return _covers(other.subjects, self.subjects)
        if not self.core:
            return True  # "测试工程师": every tester
        return _dice(self.core, other.core) >= 0.6

    def same_subject(self, other: Role) -> bool:
        """`other` names this role's subjects (any function): the fallback when the role itself has no postings."""
        return bool(self.subjects) and _covers(other.subjects, self.subjects)


@cache
def _table() -> tuple[dict[str, str], list[tuple[str, re.Pattern[str]]], list[tuple[str, re.Pattern[str]]],
                      re.Pattern[str]]:
    data = load_yaml("roles.yaml")["title_roles"]
    families = {member: family for family, members in data["subject_families"].items() for member in members}

    def words(terms: Sequence[str]) -> re.Pattern[str]:
        # Latin words whole (ui must not match "build"), Chinese words anywhere.
        parts = [rf"(?<![a-z0-9]){re.escape(t)}(?![a-z0-9])" if t.isascii() else re.escape(t)
                 for t in sorted(terms, key=len, reverse=True)]
        return re.compile("|".join(parts))

    functions = [(name, words(terms)) for name, terms in data["functions"]]
    levels = [(name, words(terms)) for name, terms in data["levels"]]
    return families, functions, levels, words(data["generic"])


def read_role(title: str, matcher: SkillMatcher | None = None) -> Role:
    """The role of a job title (any case; Chinese or English)."""
    families, functions, levels, generic = _table()
    lowered = _NOISE_RE.sub(" ", title.lower()[:200])
    mentions = extract_skills(lowered, matcher)
    subjects = frozenset(families.get(m.name, m.name) for m in mentions)
    function = next((name for name, pattern in functions if pattern.search(lowered)), None)
    level = next((name for name, pattern in levels if pattern.search(lowered)), None)
    rest = lowered
    for mention in sorted(mentions, key=lambda m: m.span[0], reverse=True):
        rest = rest[: mention.span[0]] + " " + rest[mention.span[1]:]
    for _, pattern in [*functions, *levels]:
        rest = pattern.sub(" ", rest)
    core = "".join(_HAN_RUN_RE.findall(generic.sub(" ", rest))) if not subjects else ""
    return Role(subjects=subjects, function=function, level=level, core=core)


def read_roles(titles: Sequence[str], matcher: SkillMatcher | None = None) -> list[Role]:
    """The roles of many titles (a library repeats its titles: each distinct one is read once)."""
    seen: dict[str, Role] = {}
    return [seen[t] if t in seen else seen.setdefault(t, read_role(t, matcher)) for t in titles]


def _covers(names: frozenset[str], wanted: frozenset[str]) -> bool:
    """Every wanted subject is among `names`, or a Chinese one contains or is contained in one of them
    (自动驾驶算法 ~ 自动驾驶, 会计 ~ 成本会计); Latin names must be equal (Java is not JavaScript)."""
    return all(w in names or (_HAN_RUN_RE.search(w) and any(_HAN_RUN_RE.search(n) and (w in n or n in w)
                                                            for n in names)) for w in wanted)


def _same_function(a: str | None, b: str | None) -> bool:
    return a == b or {a, b} == {None, DEVELOPER}


def _dice(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    grams_a = {a[i:i + 2] for i in range(max(1, len(a) - 1))}
    grams_b = {b[i:i + 2] for i in range(max(1, len(b) - 1))}
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))
