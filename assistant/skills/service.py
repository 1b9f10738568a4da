"""SkillService: the postings library's skill index, owned in one place, and the one rule for a target's skills."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from assistant.config import Settings
from assistant.errors import InvalidInputError
from assistant.skills.analysis import SkillIndex, SkillReport, load_library_index, postings_library
from assistant.skills.extraction import extract_skills

TITLE_ONLY_NOTE = "未提供岗位描述，只比对岗位名称中出现的技能；提供几份目标岗位描述可得到高频技能。"


class TargetSkills(BaseModel):
    """The skills a résumé is compared with, and a note when only a partial analysis was possible."""

    skills: list[str]
    note: str | None = None


def frequent_enough(postings: int) -> int:
    """The one cut of a target's skills: named in at least 2 postings when there are 3 or more, else in 1."""
    return 2 if postings >= 3 else 1


class SkillService:
    """High-frequency skills of target postings over the configured postings library (reloaded when it changes)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._index: tuple[Path, int, SkillIndex] | None = None

    def index(self) -> SkillIndex | None:
        """The library's skill index, built once and rebuilt when the file changes; None without a library."""
        path = postings_library(self.settings.skills_library, self.settings.data_dir)
        if path is None:
            return None
        stamp = path.stat().st_mtime_ns
        with self._lock:
            if self._index is None or self._index[:2] != (path, stamp):
                self._index = (path, stamp, load_library_index(path, self.settings.data_dir / "skills"))
            return self._index[2]

    def title_report(self, title: str, top_k: int = 15, examples: int = 2) -> SkillReport | None:
        """Skills of the library postings whose title is like `title`; None when none is like it."""
        index = self.index()
        if index is None or not title.strip():
            return None
        try:
            selected = index.select(title)
        except InvalidInputError:  # a title without words (e.g. "！！") selects nothing
            return None
        return index.analyze(selected, top_k=top_k, examples=examples) if selected else None

    def target_skills(self, target: str | None, postings: Sequence[str] = (), top_k: int = 15) -> TargetSkills:
        """The target's skills: from pasted postings, else the library postings like the title, else the title."""
        if postings:
            counts = Counter(name for text in postings for name in {m.name for m in extract_skills(text)})
            minimum = frequent_enough(len(postings))
            return TargetSkills(skills=[name for name, n in counts.most_common() if n >= minimum][:top_k])
        if not target:
            return TargetSkills(skills=[])
        report = self.title_report(target, top_k, examples=0)
        if report is not None:
            minimum = frequent_enough(report.postings)
            return TargetSkills(skills=[s.name for s in report.skills if s.postings >= minimum][:top_k])
        return TargetSkills(skills=list(dict.fromkeys(m.name for m in extract_skills(target))), note=TITLE_ONLY_NOTE)
