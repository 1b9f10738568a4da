"""A target job's high-frequency skills: from pasted postings, or from the library postings sharing its title."""

from __future__ import annotations

import threading
from pathlib import Path

from assistant.config import Settings
from assistant.errors import InvalidInputError
from assistant.resume.targets import TITLE_ONLY_NOTE, target_skills
from assistant.skills.analysis import SkillIndex, SkillReport, load_library_index, postings_library

_INDEXES: dict[tuple[Path, int], SkillIndex] = {}
_LOCK = threading.Lock()


def library_skill_index(settings: Settings) -> SkillIndex | None:
    """The skill index of the postings library (configured file, else the built job library), kept in memory."""
    path = postings_library(settings.skills_library, settings.data_dir)
    if path is None:
        return None
    key = (path, path.stat().st_mtime_ns)
    with _LOCK:
        if key not in _INDEXES:
            index = load_library_index(path, settings.data_dir / "skills")
            _INDEXES.clear()
            _INDEXES[key] = index
        return _INDEXES[key]


def title_skill_report(settings: Settings, title: str, top_k: int = 15) -> SkillReport | None:
    """Skills of the library postings whose title is like `title` (share, keyness, example sentences); None if none."""
    index = library_skill_index(settings)
    if index is None or not title.strip():
        return None
    selected = index.select(title)
    return index.analyze(selected, top_k=top_k) if selected else None


def resolve_target_skills(settings: Settings, target: str | None, postings: list[str],
                          top_k: int = 15) -> tuple[list[str], str | None]:
    """The skills a résumé is compared with, and a note when only a partial analysis was possible."""
    if not postings and target:
        try:
            report = title_skill_report(settings, target, top_k)
        except InvalidInputError:  # a title without words (e.g. "！！") selects nothing; fall back to the title
            report = None
        if report is not None:
            minimum = 2 if report.postings >= 3 else 1  # same cut as `assistant resume review --target`
            return [stat.name for stat in report.skills if stat.postings >= minimum][:top_k], None
    skills, note = target_skills(target, postings, library=None, top_k=top_k)
    if note == TITLE_ONLY_NOTE:
        note = "岗位库中没有同名岗位，只比对了岗位名称中出现的技能；粘贴几份目标岗位描述可得到高频技能。"
    return skills, note
