"""Date ranges as Chinese résumés write them.

For example 2021.09-至今, 2019年3月—2021年6月, 2018/09 ~ 2022/06, Sep 2019 – Present.
"""

from __future__ import annotations

import re

from assistant.resume.models import DateRange

_MONTHS_EN = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
# Linear time on any line (tests/test_regex_budget.py): a month name is tried only where a run of letters begins,
# and every run of spaces is read once (possessive `\s*+`; "to" then needs a space before it) — a backtracking
# `[a-z]*` and three adjacent `\s*` made 30,000 letters, or "2019" and 1,000 spaces, cost seconds.
_POINT = (r"(?:(?<![a-z])(?P<{p}en>[A-Za-z]{{3}})[a-z]*+\.?\s++)?(?P<{p}y>(?:19|20)\d{{2}})"
          r"(?:\s*+(?:年|[./\-])\s*+(?P<{p}m>\d{{1,2}})\s*+月?)?\s*+(?:年)?")
_ONGOING = r"(?P<now>至今|今|现在|目前|迄今|present|now|current)"
RANGE_RE = re.compile(
    _POINT.format(p="a") + r"\s*+(?:[-–—~～至到]+|(?<=\s)to\s++)\s*+(?:" + _ONGOING + "|" + _POINT.format(p="b")
    + ")",
    re.I,
)
SINGLE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|[./\-])\s*(\d{1,2})\s*月?(?!\d)")


def _month(match: re.Match[str], prefix: str) -> int:
    english = match.group(f"{prefix}en")
    if english and english[:3].lower() in _MONTHS_EN:
        return _MONTHS_EN[english[:3].lower()]
    value = match.group(f"{prefix}m")
    month = int(value) if value else 0
    return month if 1 <= month <= 12 else 0


def find_ranges(text: str) -> list[DateRange]:
    """Every date range in `text`, in order; a missing month counts as January (start) or December (end)."""
    ranges = []
    for match in RANGE_RE.finditer(text):
        start_month = _month(match, "a") or 1
        start = (int(match.group("ay")), start_month)
        if match.group("now"):
            end = None
        else:
            end = (int(match.group("by")), _month(match, "b") or 12)
            if end < start:
                continue
        ranges.append(DateRange(start=start, end=end, text=match.group(0).strip()))
    return ranges


def merged_months(ranges: list[DateRange], today: tuple[int, int]) -> int:
    """Total months covered by `ranges`, counting overlaps once."""
    spans = sorted(
        (r.start[0] * 12 + r.start[1] - 1, (r.end or today)[0] * 12 + (r.end or today)[1] - 1) for r in ranges
    )
    total, current_start, current_end = 0, None, None
    for start, end in spans:
        if current_end is None or start > current_end + 1:
            if current_end is not None and current_start is not None:
                total += current_end - current_start + 1
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None and current_start is not None:
        total += current_end - current_start + 1
    return total
