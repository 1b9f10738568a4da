"""Date ranges as résumés write them."""

from __future__ import annotations

import pytest

from assistant.resume.dates import find_ranges, merged_months


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2021.09-至今 重庆长江数据科技有限公司", (2021, 9), None),
        ("2019年3月—2021年6月 成都蓉城网络有限公司", (2019, 3), (2021, 6)),
        ("2018/09 ~ 2022/06", (2018, 9), (2022, 6)),
        ("2016年9月至2020年6月", (2016, 9), (2020, 6)),
        ("2020.7 - 2021.3", (2020, 7), (2021, 3)),
        ("Sep 2019 – Present", (2019, 9), None),
        ("Jul 2018 - May 2020", (2018, 7), (2020, 5)),
        ("2015-2019 西南大学", (2015, 1), (2019, 12)),
    ],
)
def test_ranges_are_read(text: str, start: tuple[int, int], end: tuple[int, int] | None) -> None:
    (found,) = find_ranges(text)
    assert found.start == start
    assert found.end == end


def test_reversed_range_is_ignored() -> None:
    assert find_ranges("2021.06-2019.03") == []


def test_overlapping_ranges_count_once() -> None:
    ranges = find_ranges("2019.01-2019.12") + find_ranges("2019.07-2020.06")
    assert merged_months(ranges, (2026, 11)) == 18
    assert merged_months(find_ranges("2026.01-至今"), (2026, 11)) == 11
