"""Join the rows a PDF layout wrapped back into the author's lines.

A PDF stores rows, not paragraphs: a long bullet becomes two or three rows, and a "。" that did not fit becomes a
row of its own. A row continues the line above when nothing marks a new line — no bullet, numbering, heading, date or
"label：" — and the row above ran to the right margin without ending a sentence, or the row itself starts with
closing punctuation (a lone "。" row is never a line of its own). A vertical gap wider than the page's usual line
spacing (from pypdf's text positions) always separates lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant.resume.dates import find_ranges
from assistant.resume.sections import heading_key

FULL_ROW = 0.8  # a row at least this share of the page's widest row ran into the right margin
LATIN_CONTINUATION_ROW = 0.6  # a lowercase Latin word after a row this wide continues it
GAP_FACTOR = 1.45  # a vertical step this much wider than the usual line spacing is a paragraph break

_SENTENCE_END = "。！？!?；;…"
_CLOSING = "。，、；：！？,.;:!?）)】」』》”’%"
_NEW_LINE = re.compile(
    r"^(?:[-*•·●▪■◆◇○►▶→√✓]|\d{1,2}[、.．)）](?!\d)|[（(][一二三四五六七八九十\d]{1,2}[）)]|[一二三四五六七八九十]+[、.．]"
    r"|[①-⑳]|(?:19|20)\d{2}\s*[年./\-]|[\w\u4e00-\u9fff]{1,8}\s*[：:])"
)


@dataclass(frozen=True)
class Row:
    """One row of a page as extracted, and where it sits (None when the layout gave no position)."""

    text: str
    y: float | None = None


def display_width(text: str) -> float:
    """Width in ems: a CJK character or full-width sign is 1, a Latin letter, digit or space about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def join_rows(rows: list[Row]) -> list[str]:
    """The author's lines of one page's rows (blank rows are dropped)."""
    kept = [Row(row.text.replace("\u3000", " ").replace("\xa0", " ").strip(), row.y) for row in rows]
    kept = [row for row in kept if row.text]
    if not kept:
        return []
    full = max(display_width(row.text) for row in kept)
    spacing = _usual_spacing(kept)
    lines: list[str] = []
    previous: Row | None = None
    for row in kept:
        if previous is not None and lines and _continues(previous, row, full, spacing):
            lines[-1] = _glue(lines[-1], row.text)
        else:
            lines.append(row.text)
        previous = row
    return lines


def _continues(above: Row, row: Row, full: float, spacing: float | None) -> bool:
    text = row.text
    if all(ch in _CLOSING for ch in text):
        return True  # a lone "。" or "）" belongs to the line above, wherever it sits
    if spacing is not None and above.y is not None and row.y is not None and above.y - row.y > spacing * GAP_FACTOR:
        return False
    if text[0] in _CLOSING:
        return True
    if above.text[-1] in _SENTENCE_END or _NEW_LINE.match(text) or heading_key(text) or heading_key(above.text):
        return False
    if find_ranges(above.text):
        return False  # an entry's header (dates, employer, title) is a line of its own
    width = display_width(above.text) / full
    if text[0].isascii() and text[0].islower():
        return width >= LATIN_CONTINUATION_ROW
    return width >= FULL_ROW


def _glue(left: str, right: str) -> str:
    """Latin words broken at a space get it back; CJK text joins directly."""
    if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def _usual_spacing(rows: list[Row]) -> float | None:
    """The median vertical step between consecutive rows of the page, when the layout gave positions."""
    steps = sorted(a.y - b.y for a, b in zip(rows, rows[1:], strict=False)
                   if a.y is not None and b.y is not None and a.y > b.y)
    return steps[len(steps) // 2] if len(steps) >= 3 else None
