"""Parse the way Chinese job sites write salary, experience, education and company size."""

from __future__ import annotations

import re

from assistant.vocab.education import find_requirement

# A number is read from where its digits begin, and a run of spaces once (`\s*+`): linear time on any field
# (tests/test_regex_budget.py); rescanning a run of digits or spaces from each of its positions was quadratic.
_NUM = r"(?<!\d)(\d+(?:\.\d+)?)"
_MONTHLY_K = re.compile(rf"{_NUM}\s*+[kK千]?\s*[-~～至到]\s*{_NUM}\s*[kK千]")
_MONTHLY_YUAN = re.compile(rf"{_NUM}\s*[-~～至到]\s*{_NUM}\s*元\s*+/?\s*月")
_ANNUAL_WAN = re.compile(rf"{_NUM}\s*[-~～至到]\s*{_NUM}\s*万")
_DAILY = re.compile(rf"{_NUM}\s*[-~～至到]\s*{_NUM}\s*+元?\s*/\s*天")
_SINGLE_K = re.compile(rf"{_NUM}\s*[kK千]\s*(?:以上)?")
_MONTHS = re.compile(r"(\d{2})\s*薪")
_NEGOTIABLE = ("面议", "薪资面谈", "面谈")
_WORKDAYS_PER_MONTH = 21.75  # statutory average (人社部), turns a daily rate into a monthly one

_YEARS_RANGE = re.compile(rf"{_NUM}\s*[-~～至到]\s*{_NUM}\s*年")
_YEARS_ABOVE = re.compile(rf"{_NUM}\s*年\s*(?:以上|及以上|\+)")
_YEARS_BELOW = re.compile(rf"{_NUM}\s*年\s*(?:以内|以下)")
_YEARS_ONLY = re.compile(rf"^\s*{_NUM}\s*年\s*$")
_ANY_YEARS = ("经验不限", "不限", "无经验", "无需经验")
_GRADUATE = ("应届", "在校", "毕业生")

_SIZE_RANGE = re.compile(r"(?<!\d)(\d+)\s*[-~～至]\s*(\d+)\s*人")
_SIZE_ABOVE = re.compile(r"(?<!\d)(\d+)\s*人\s*以上")
_SIZE_BELOW = re.compile(r"(?:少于|不足)\s*(\d+)\s*人|(?<!\d)(\d+)\s*人\s*以下")


def parse_salary(text: str) -> tuple[int, int, int] | None:
    """'15-20K·14薪' → (15000, 20000, 14) monthly yuan and paid months; None for 面议. ValueError if unreadable."""
    clean = text.strip().replace("，", ",")
    if not clean or any(word in clean for word in _NEGOTIABLE):
        return None
    months_match = _MONTHS.search(clean)
    months = int(months_match.group(1)) if months_match else 12
    if not 12 <= months <= 24:
        raise ValueError(f"无法识别的薪数：{text!r}")
    if match := _MONTHLY_K.search(clean):
        low, high = float(match.group(1)) * 1000, float(match.group(2)) * 1000
    elif match := _MONTHLY_YUAN.search(clean):
        low, high = float(match.group(1)), float(match.group(2))
    elif match := _ANNUAL_WAN.search(clean):
        low, high = float(match.group(1)) * 10000 / 12, float(match.group(2)) * 10000 / 12
    elif match := _DAILY.search(clean):
        low, high = float(match.group(1)) * _WORKDAYS_PER_MONTH, float(match.group(2)) * _WORKDAYS_PER_MONTH
    elif match := _SINGLE_K.fullmatch(clean.split("·")[0].strip()):
        low = high = float(match.group(1)) * 1000
    else:
        raise ValueError(f"无法识别的薪资：{text!r}")
    if high < low:
        raise ValueError(f"薪资上限低于下限：{text!r}")
    return round(low), round(high), months


def parse_years(text: str) -> tuple[float, float | None]:
    """'3-5年' → (3, 5); '3年以上' → (3, None); '经验不限' → (0, None); '应届生' → (0, 1). ValueError if unreadable."""
    clean = text.strip()
    if match := _YEARS_RANGE.search(clean):
        return float(match.group(1)), float(match.group(2))
    if match := _YEARS_ABOVE.search(clean):
        return float(match.group(1)), None
    if match := _YEARS_BELOW.search(clean):
        return 0.0, float(match.group(1))
    if match := _YEARS_ONLY.match(clean):
        return float(match.group(1)), None
    if any(word in clean for word in _GRADUATE):
        return 0.0, 1.0
    if clean in _ANY_YEARS or clean.startswith("经验不限"):
        return 0.0, None
    raise ValueError(f"无法识别的经验要求：{text!r}")


def parse_education(text: str) -> int:
    """'本科及以上' → 3 (see vocab.education.Education). ValueError if no level is named."""
    clean = text.strip()
    if len(clean) > 20:
        raise ValueError(f"无法识别的学历要求：{text[:20]!r}…")
    level = find_requirement(clean)
    if level is not None:
        return int(level)
    raise ValueError(f"无法识别的学历要求：{text!r}")


def parse_company_size(text: str) -> tuple[int, int]:
    """'1000-9999人' → (1000, 9999); '10000人以上' → (10000, 100000); '少于15人' → (1, 15)."""
    clean = text.strip()
    if match := _SIZE_RANGE.fullmatch(clean):
        return int(match.group(1)), int(match.group(2))
    if match := _SIZE_ABOVE.fullmatch(clean):
        low = int(match.group(1))
        return low, max(low * 10, 100000)
    if match := _SIZE_BELOW.fullmatch(clean):
        return 1, int(match.group(1) or match.group(2))
    raise ValueError(f"无法识别的公司规模：{text!r}")
