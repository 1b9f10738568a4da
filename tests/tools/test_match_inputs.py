"""The matching tools' inputs as a model or a user writes them."""

from __future__ import annotations

import pytest

from assistant.tools.job_matching import MatchJobsInput, MatchTalentsInput


@pytest.mark.parametrize("city", ["重庆", "重庆市", " 全市 ", "Chongqing"])
def test_naming_the_city_itself_means_no_district_filter(city: str) -> None:
    """The local model asked for district "重庆" and got "未知的区县「重庆」" back (bench/bench_llm.py, c16)."""
    assert MatchTalentsInput(title="电池系统工程师", district=city).district is None
    assert MatchJobsInput(district=city).district is None


def test_a_district_is_kept() -> None:
    assert MatchTalentsInput(title="电池系统工程师", district="渝北区").district == "渝北区"
    assert MatchJobsInput(district="璧山").district == "璧山"
