"""The curated skill lexicon (corpus/skills/*.yaml): canonical skills, their aliases, categories and industries."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

from assistant.config import Settings
from assistant.errors import DocumentLoadError

Category = Literal["hard_skill", "tool", "certificate", "language", "soft_skill", "industry_term"]
CATEGORIES: tuple[str, ...] = ("hard_skill", "tool", "certificate", "language", "soft_skill", "industry_term")

_HAN_RE = re.compile(r"[\u3400-\u9fff]")
# Full-width ASCII becomes half-width and ASCII capitals become lower case: one character for one, so offsets
# in the normalised text are offsets in the original.
_NORMALISE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_NORMALISE.update({code: code - 0xFEE0 + 32 for code in range(0xFF21, 0xFF3B)})
_NORMALISE.update({code: code + 32 for code in range(ord("A"), ord("Z") + 1)})
_NORMALISE[0x3000] = 0x20


class Skill(BaseModel):
    """One canonical skill with its aliases."""

    name: str
    category: Category
    aliases_zh: list[str] = Field(default_factory=list)
    aliases_en: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)

    def aliases(self) -> list[str]:
        """Every surface form, the canonical name first; "=CAN" marks a form that matches only in that case."""
        return [self.name, *self.aliases_zh, *self.aliases_en]


class Lexicon(BaseModel):
    """All skills by canonical name, and the normalised surface forms that point at them."""

    skills: dict[str, Skill]
    surface: dict[str, str]
    cased: dict[str, list[str]] = Field(default_factory=dict)
    blocked: list[str] = Field(default_factory=list)

    def find(self, term: str) -> Skill | None:
        """The skill a surface form (any case or width) names, or None."""
        name = self.surface.get(normalise(term).strip())
        return self.skills[name] if name else None

    def fingerprint(self) -> str:
        """A short hash that changes whenever any surface form, category or blocker changes."""
        state = [sorted(self.surface.items()), sorted((n, s.category) for n, s in self.skills.items()),
                 sorted(self.cased.items()), self.blocked]
        return hashlib.sha1(json.dumps(state, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]

    def tokenizer_words(self) -> list[str]:
        """Chinese surface forms (two characters or more), for a jieba user dictionary.

        With them "熟悉自动驾驶" keeps 自动驾驶 whole.
        """
        return sorted(form for form in self.surface if len(form) >= 2 and _HAN_RE.search(form))

    def by_category(self, category: str) -> list[Skill]:
        """Skills of one category, by name."""
        return sorted((s for s in self.skills.values() if s.category == category), key=lambda s: s.name)


def normalise(text: str) -> str:
    """Lower-case ASCII and fold full-width forms, keeping every character at its offset."""
    return text.translate(_NORMALISE)


def variants(alias: str) -> set[str]:
    """Normalised spellings of one alias: with and without the space or hyphen between Latin words."""
    base = normalise(alias.removeprefix("=")).strip()
    forms = {base}
    if re.search(r"[a-z0-9] [a-z0-9]", base):
        forms |= {base.replace(" ", ""), base.replace(" ", "-")}
    if re.search(r"[a-z]-[a-z0-9]", base):
        forms |= {base.replace("-", ""), base.replace("-", " ")}
    return {form for form in forms if form}


def _split(entry: Any, defaults: dict[str, Any], source: str) -> Skill:
    """One YAML entry ("Name | alias | alias" or a mapping) as a Skill."""
    if isinstance(entry, str):
        names = [part.strip() for part in entry.split("|") if part.strip()]
        data: dict[str, Any] = {"name": names[0], "aliases": names[1:]}
    elif isinstance(entry, dict) and "name" in entry:
        data = dict(entry)
    else:
        raise DocumentLoadError(f"技能词表 {source} 中有无法识别的条目：{entry!r}")
    aliases = [str(a).strip() for a in data.pop("aliases", []) or [] if str(a).strip()]
    category = data.get("category", defaults.get("category"))
    if category not in CATEGORIES:
        raise DocumentLoadError(f"技能词表 {source} 中“{data['name']}”的类别无效：{category!r}")
    return Skill(
        name=str(data["name"]).strip(),
        category=category,
        aliases_zh=[a for a in aliases if _HAN_RE.search(a)],
        aliases_en=[a for a in aliases if not _HAN_RE.search(a)],
        industries=list(data.get("industries", defaults.get("industries", []))),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DocumentLoadError(f"无法读取技能词表 {path.name}：{exc}") from exc
    if not isinstance(document, dict):
        raise DocumentLoadError(f"技能词表 {path.name} 的顶层应是映射（industries、groups、blockers）")
    return document


def parse_blockers(path: Path) -> list[str]:
    """Words of a file's `blockers` list: compounds that hide a shorter skill name ("软件工程师" is not 软件工程)."""
    return [normalise(str(word)).strip() for word in _read(path).get("blockers", []) or []]


def parse_file(path: Path) -> list[Skill]:
    """Skills of one lexicon file: top-level `industries`, then `groups` of {category, skills}."""
    document = _read(path)
    skills: list[Skill] = []
    for group in document.get("groups", []):
        defaults = {
            "category": group.get("category"),
            "industries": group.get("industries", document.get("industries", [])),
        }
        skills.extend(_split(entry, defaults, path.name) for entry in group.get("skills", []))
    return skills


def build_lexicon(skills: Iterable[Skill], blocked: Iterable[str] = ()) -> Lexicon:
    """Merge skills by canonical name and index their surface forms; conflicting entries are errors."""
    merged: dict[str, Skill] = {}
    for skill in skills:
        known = merged.get(skill.name)
        if known is None:
            merged[skill.name] = skill.model_copy(deep=True)
            continue
        if known.category != skill.category:
            raise DocumentLoadError(f"技能“{skill.name}”在词表中有两个类别：{known.category}、{skill.category}")
        known.aliases_zh = list(dict.fromkeys(known.aliases_zh + skill.aliases_zh))
        known.aliases_en = list(dict.fromkeys(known.aliases_en + skill.aliases_en))
        known.industries = list(dict.fromkeys(known.industries + skill.industries))
    surface: dict[str, str] = {}
    cased: dict[str, list[str]] = {}
    for skill in merged.values():
        for alias in skill.aliases():
            if alias.startswith("="):  # "=CAN": only this exact spelling, so the English verb "can" stays out
                cased.setdefault(normalise(alias[1:]), []).append(alias[1:])
            for form in variants(alias):
                owner = surface.setdefault(form, skill.name)
                if owner != skill.name:
                    raise DocumentLoadError(f"别名“{alias}”同时指向“{owner}”和“{skill.name}”")
    blockers = sorted({word for word in blocked if word and word not in surface})
    return Lexicon(skills=merged, surface=surface, cased=cased, blocked=blockers)


def load_lexicon(directory: Path) -> Lexicon:
    """Read every *.yaml file of `directory` into one lexicon."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise DocumentLoadError(f"技能词表目录 {directory} 中没有 .yaml 文件")
    blocked = [word for path in files for word in parse_blockers(path)]
    return build_lexicon((skill for path in files for skill in parse_file(path)), blocked)


def lexicon_stamp(directory: Path) -> tuple[tuple[str, int], ...]:
    """Names and modification times of the folder's lexicon files.

    It changes whenever a file is edited, added or removed.
    """
    try:
        return tuple((path.name, path.stat().st_mtime_ns) for path in sorted(directory.glob("*.yaml")))
    except OSError:
        return ()


# The lexicon shipped in the checkout, for the few callers that have no settings (a `Settings` holds the configured
# folder, and services built from it read that one): the path is passed explicitly, no environment is read here.
PACKAGED_SKILLS_DIR: Path = Settings.model_fields["skills_dir"].default


@cache
def default_lexicon() -> Lexicon:
    """The packaged lexicon (PACKAGED_SKILLS_DIR), read once on first use; services use the configured folder."""
    return load_lexicon(PACKAGED_SKILLS_DIR)
