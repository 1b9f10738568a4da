"""The target job's high-frequency skills, from pasted postings or the postings library (via skill analysis)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from assistant.errors import AssistantError

TITLE_ONLY_NOTE = "未提供岗位描述（--postings），只比对岗位名称中出现的技能；提供几份目标岗位描述可得到高频技能。"


def target_skills(
    target: str | None,
    postings: Sequence[str] = (),
    *,
    library: Path | None = None,
    cache_dir: Path | None = None,
    top_k: int = 15,
) -> tuple[list[str], str | None]:
    """Skills most target postings ask for, and a note when the analysis could only be partial."""
    try:
        return _target_skills(target, postings, library, cache_dir, top_k)
    except ImportError:
        return [], "技能分析模块尚不可用，未做目标技能比对。"
    except AssistantError as exc:
        return [], f"目标技能分析失败，未做技能比对：{exc}"


def _target_skills(
    target: str | None, postings: Sequence[str], library: Path | None, cache_dir: Path | None, top_k: int
) -> tuple[list[str], str | None]:
    from assistant.skills.extraction import extract_skills

    if postings:
        # Document frequency: how many of the pasted postings name each skill, most common first.
        counts = Counter(name for text in postings for name in {m.name for m in extract_skills(text)})
        minimum = 2 if len(postings) >= 3 else 1
        return [name for name, count in counts.most_common() if count >= minimum][:top_k], None
    if target and library is not None:
        from assistant.skills.analysis import load_library_index

        index = load_library_index(library, cache_dir)
        selected = index.select(target)
        if selected:
            report = index.analyze(selected, top_k=top_k)
            minimum = 2 if report.postings >= 3 else 1
            return [stat.name for stat in report.skills if stat.postings >= minimum][:top_k], None
    if target:
        return list(dict.fromkeys(m.name for m in extract_skills(target))), TITLE_ONLY_NOTE
    return [], None


def split_postings(text: str) -> list[str]:
    """Pasted postings: JSON lines with a `text` field, or plain texts separated by blank lines or `---`."""
    if text.lstrip().startswith("{"):
        from assistant.skills.analysis import read_postings

        return [posting.text for posting in read_postings(text.splitlines())]
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not line.strip() or not line.strip().strip("-="):
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks
