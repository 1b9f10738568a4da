"""How salary, experience, education and company size are read from job-site wording."""

from __future__ import annotations

import pytest

from assistant.jobs.parsing import parse_company_size, parse_education, parse_salary, parse_years


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15-20K·14薪", (15000, 20000, 14)),
        ("10-15K", (10000, 15000, 12)),
        ("10k-20k", (10000, 20000, 12)),
        ("18-36万", (15000, 30000, 12)),
        ("18-36万\n      24小时反馈", (15000, 30000, 12)),
        ("150-200元/天", (3262, 4350, 12)),
        ("8000-12000元/月", (8000, 12000, 12)),
        ("面议", None),
        ("薪资面议 72小时反馈", None),
    ],
)
def test_parse_salary_reads_monthly_annual_daily_and_months(text: str, expected: tuple | None) -> None:
    assert parse_salary(text) == expected


@pytest.mark.parametrize("text", ["高薪", "20-10K", "10-15K·40薪", "五险一金"])
def test_parse_salary_rejects_unreadable_text(text: str) -> None:
    with pytest.raises(ValueError, match="无法识别|低于"):
        parse_salary(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3-5年", (3.0, 5.0)),
        ("1-3年", (1.0, 3.0)),
        ("3年以上", (3.0, None)),
        ("10年以上", (10.0, None)),
        ("1年以内", (0.0, 1.0)),
        ("1年以下", (0.0, 1.0)),
        ("经验不限", (0.0, None)),
        ("不限", (0.0, None)),
        ("应届生", (0.0, 1.0)),
        ("应届毕业生", (0.0, 1.0)),
    ],
)
def test_parse_years(text: str, expected: tuple) -> None:
    assert parse_years(text) == expected


@pytest.mark.parametrize(
    ("text", "level"),
    [("本科及以上", 3), ("统招本科", 3), ("大专", 2), ("硕士及以上", 4), ("博士", 5), ("中专/中技及以上", 1),
     ("学历不限", 0), ("不限", 0)],
)
def test_parse_education(text: str, level: int) -> None:
    assert parse_education(text) == level


@pytest.mark.parametrize("text", ["五险一金，年终奖", "3-5年", ""])
def test_parse_education_rejects_other_fields(text: str) -> None:
    with pytest.raises(ValueError, match="学历"):
        parse_education(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1000-9999人", (1000, 9999)), ("20-99人", (20, 99)), ("10000人以上", (10000, 100000)), ("少于15人", (1, 15))],
)
def test_parse_company_size(text: str, expected: tuple) -> None:
    assert parse_company_size(text) == expected


def test_parse_company_size_rejects_an_industry() -> None:
    with pytest.raises(ValueError, match="公司规模"):
        parse_company_size("互联网")
