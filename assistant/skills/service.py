"""SkillService: the skill lexicon and the postings library's skill index, owned in one place, and the one rule for
a target's skills (pasted postings, else the library postings like its title, else the skills its title names)."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.config import Settings
from assistant.errors import AssistantError, DocumentLoadError, IndexNotReadyError, InvalidInputError
from assistant.skills.analysis import (
    Posting,
    SkillIndex,
    SkillReport,
    analyze_postings,
    load_library_index,
    postings_library,
    title_tokens,
)
from assistant.skills.extraction import SkillMatcher, SkillMention, extract_skills
from assistant.skills.lexicon import Lexicon, lexicon_stamp, load_lexicon
from assistant.skills.roles import read_role
from assistant.vocab.entities import find_role, resolve_role

# One wording per case; every entry point (CLI, /resume, chat) shows the same note for the same case.
TITLE_ONLY_NOTE = "未提供岗位描述，只比对岗位名称中出现的技能；提供几份目标岗位描述可得到高频技能。"
NOT_IN_LIBRARY_NOTE = ("岗位库中没有与“{target}”相近的岗位，只比对了岗位名称中出现的技能；"
                       "提供几份目标岗位描述可得到高频技能。")
NO_SIMILAR_NOTE = "岗位库中没有与“{target}”相近的岗位，换个常见的岗位名称试试。"
CLOSEST_TITLE_NOTE = "岗位库中没有名为“{target}”的岗位，按最接近的“{matched}”分析。"
FAILED_NOTE = "目标技能分析失败，未做技能比对：{error}"
NO_LIBRARY = "技能分析需要岗位库：请先运行 `assistant library build`。"


class TargetSkills(BaseModel):
    """The skills a résumé is compared with, and a note when only a partial analysis was possible."""

    skills: list[str]
    note: str | None = None


class TitleSkills(BaseModel):
    """The library postings most like a target title, and their skills."""

    target: str
    matched_title: str = Field(description="The target itself, or the closest catalogue title it fell back to.")
    role: str = Field(default="", description="The role whose postings were analysed (\"Java开发\").")
    library_postings: int = Field(description="Postings in the library.")
    report: SkillReport | None = Field(description="Skills of the selected postings; None when none is like it.")
    note: str | None = None


MIN_TARGET_SHARE = 0.1  # a "high-frequency" skill of a target is named in at least this share of its postings


def frequent_enough(postings: int) -> int:
    """The one cut of a target's skills: named in at least 10 % of the postings, and in at least 2 of them when
    there are 3 or more (else in 1). Over 500 postings a skill 2 of them name is not one the role asks for."""
    return max(2 if postings >= 3 else 1, math.ceil(MIN_TARGET_SHARE * postings - 1e-9))


MIN_ROLE_POSTINGS = 20  # fewer postings than this under the filters asked for: the filters are relaxed, visibly
FEW_NOTE = "岗位库中只有 {n} 条“{role}”岗位，高频技能仅供参考。"
RELAXED_NOTE = "“{role}”岗位在{filters}只找到 {n} 条，已放宽到{relaxed}（{m} 条）。"
SUBJECT_NOTE = "岗位库中没有“{role}”岗位，已放宽到所有提到 {subject} 的岗位（{m} 条）。"


class Selection(BaseModel):
    """The library postings a target is analysed over, and how they were chosen."""

    indices: list[int]
    role: str = Field(description="The role the postings are of, as shown (\"Java开发\").")
    matched_title: str = Field(description="The target itself, or the closest catalogue title it fell back to.")
    note: str | None = None


def select_postings(index: SkillIndex, target: str, matcher: SkillMatcher | None = None, *, city: str = "",
                    industry: str = "", level: str | None = None) -> Selection:
    """The postings of the target's role ("高级Java开发" → every Java developer posting), under the filters asked
    for, relaxed visibly when fewer than MIN_ROLE_POSTINGS remain; never padded with other roles. A title that names
    no known role falls back to similar titles, then to its closest catalogue title ("data analyst" → 数据分析师).
    A title without words raises InvalidInputError."""
    if not title_tokens(target):
        raise InvalidInputError("目标岗位名称不能为空。")
    title = find_role(target) if target.isascii() else None
    for candidate in dict.fromkeys(t for t in (title, target) if t):  # "data analyst": its Chinese title first
        found = _select_role(index, candidate, matcher, city=city, industry=industry, level=level)
        if found is not None:
            return found.model_copy(update={"matched_title": candidate})
    role = resolve_role(title or target)
    for alias in (title, role.title if role else None):
        if alias and alias != target and (chosen := index.select(alias, city=city)):
            return Selection(indices=chosen, role=alias, matched_title=alias)
    return Selection(indices=[], role=target, matched_title=target)


def _select_role(index: SkillIndex, target: str, matcher: SkillMatcher | None, *, city: str, industry: str,
                 level: str | None) -> Selection | None:
    role = read_role(target, matcher)
    if not (role.subjects or role.function or role.core):
        return None
    shown = role.label()
    asked = {name: value for name, value in (("level", level), ("city", city), ("industry", industry)) if value}
    kept = dict(asked)

    def select(**extra: bool) -> list[int]:
        return index.select_role(role, city=kept.get("city", ""), industry=kept.get("industry", ""),
                                 level=kept.get("level"), **extra)

    exact = chosen = select()
    while len(chosen) < MIN_ROLE_POSTINGS and kept:  # the narrowest filter goes first: level, city, industry
        kept.pop(next(iter(kept)))
        chosen = select()
    if len(chosen) > len(exact):
        wider = "、".join(kept.values()) + "的" if kept else "不限地区、行业和级别的"
        relaxed = RELAXED_NOTE.format(role=shown, filters="、".join(asked.values()), n=len(exact),
                                      relaxed=f"{wider}“{shown}”岗位", m=len(chosen))
        return Selection(indices=chosen, role=shown, matched_title=target, note=relaxed)
    if exact:
        note = FEW_NOTE.format(n=len(exact), role=shown) if len(exact) < MIN_ROLE_POSTINGS else None
        return Selection(indices=exact, role=shown, matched_title=target, note=note)
    if role.subjects and (same_subject := select(any_function=True)):
        subject = "、".join(sorted(role.subjects))
        return Selection(indices=same_subject, role=subject, matched_title=target,
                         note=SUBJECT_NOTE.format(role=shown, subject=subject, m=len(same_subject)))
    if similar := index.select(target, city=city, industry=industry):
        return Selection(indices=similar, role=target, matched_title=target)
    return None


class SkillService:
    """Skill extraction with the configured lexicon, and high-frequency skills of target postings over the
    configured postings library; both are reloaded when their files change."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._matcher: tuple[Path, tuple[tuple[str, int], ...], SkillMatcher] | None = None
        self._index: tuple[Path, int, SkillMatcher, SkillIndex] | None = None

    # -- the lexicon ----------------------------------------------------------------------------------------------
    def matcher(self) -> SkillMatcher:
        """The matcher of the configured lexicon folder (settings.skills_dir), rebuilt when a file there changes."""
        directory = self.settings.skills_dir
        stamp = lexicon_stamp(directory)
        with self._lock:
            if self._matcher is None or self._matcher[:2] != (directory, stamp):
                self._matcher = (directory, stamp, SkillMatcher(load_lexicon(directory)))
            return self._matcher[2]

    def lexicon(self) -> Lexicon:
        """The configured lexicon."""
        return self.matcher().lexicon

    def extract(self, text: str) -> list[SkillMention]:
        """Skills named in `text` (canonical name, category, required flag, span)."""
        return extract_skills(text, self.matcher())

    # -- the postings library -------------------------------------------------------------------------------------
    def index(self) -> SkillIndex | None:
        """The library's skill index, built once and rebuilt when the file or the lexicon changes; None without one."""
        path = postings_library(self.settings.skills_library, self.settings.data_dir)
        if path is None:
            return None
        matcher = self.matcher()
        try:
            stamp = path.stat().st_mtime_ns
        except OSError as exc:
            raise DocumentLoadError(f"无法读取岗位文件 {path}：{exc}") from exc
        with self._lock:
            if self._index is None or self._index[:3] != (path, stamp, matcher):
                built = load_library_index(path, self.settings.data_dir / "skills", matcher)
                self._index = (path, stamp, matcher, built)
            return self._index[3]

    def reload(self) -> None:
        """Forget the lexicon and the index; the next call reads both again."""
        with self._lock:
            self._matcher = self._index = None

    def title_skills(self, title: str, *, city: str = "", industry: str = "", level: str | None = None,
                     top_k: int = 15, examples: int = 2) -> TitleSkills:
        """Skills of the library postings of `title`'s role (or of its closest catalogue title), optionally in a
        city, industry or level; raises IndexNotReadyError without a library and InvalidInputError for a title
        without words."""
        index = self.index()
        if index is None:
            raise IndexNotReadyError(NO_LIBRARY)
        target = title.strip()
        selection = select_postings(index, target, self.matcher(), city=city, industry=industry, level=level)
        report = index.analyze(selection.indices, top_k=top_k, examples=examples) if selection.indices else None
        if report is None:
            note: str | None = NO_SIMILAR_NOTE.format(target=target)
        elif selection.matched_title != target:
            note = CLOSEST_TITLE_NOTE.format(target=target, matched=selection.matched_title)
        else:
            note = selection.note
        return TitleSkills(target=target, matched_title=selection.matched_title, role=selection.role,
                           library_postings=len(index.postings), report=report, note=note)

    def title_report(self, title: str, top_k: int = 15, examples: int = 2) -> SkillReport | None:
        """Skills of the library postings whose title is like `title`.

        None without a library or when none is like it.
        """
        if not title.strip() or self.index() is None:
            return None
        try:
            return self.title_skills(title, top_k=top_k, examples=examples).report
        except InvalidInputError:  # a title without words (e.g. "！！") selects nothing
            return None

    def postings_report(self, postings: Sequence[Posting], top_k: int = 30) -> SkillReport:
        """Analyse pasted postings; with a library, keyness compares them with all of its postings."""
        return analyze_postings(postings, self.index(), top_k=top_k, matcher=self.matcher())

    # -- the one rule of a target's skills ------------------------------------------------------------------------
    def target_skills(self, target: str | None, postings: Sequence[str] = (), top_k: int = 15) -> TargetSkills:
        """The target's skills: from pasted postings, else the library postings like the title (or its closest
        catalogue title), else the skills the title itself names; each kept when frequent enough."""
        target = (target or "").strip() or None
        try:
            return self._target_skills(target, postings, top_k)
        except AssistantError as exc:  # an unreadable library or lexicon: review without target skills, say why
            return TargetSkills(skills=[], note=FAILED_NOTE.format(error=exc))

    def _target_skills(self, target: str | None, postings: Sequence[str], top_k: int) -> TargetSkills:
        if postings:
            counts = Counter(name for text in postings for name in {m.name for m in self.extract(text)})
            minimum = frequent_enough(len(postings))
            return TargetSkills(skills=[name for name, n in counts.most_common() if n >= minimum][:top_k])
        if not target:
            return TargetSkills(skills=[])
        note = TITLE_ONLY_NOTE
        if self.index() is not None:
            try:
                found = self.title_skills(target, top_k=top_k, examples=0)
            except InvalidInputError:  # a title without words selects nothing; the title-only rule applies
                found = None
            if found is not None and found.report is not None:
                minimum = frequent_enough(found.report.postings)
                skills = [s.name for s in found.report.skills if s.postings >= minimum][:top_k]
                return TargetSkills(skills=skills, note=found.note)
            note = NOT_IN_LIBRARY_NOTE.format(target=target)
        return TargetSkills(skills=list(dict.fromkeys(m.name for m in self.extract(target))), note=note)

