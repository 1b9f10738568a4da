"""What the chat reads from a message: district, degree, major, role, years, and a role resolved in the catalogue."""

from __future__ import annotations

import pytest

from assistant.chat.mentions import mentions
from assistant.vocab.education import Education
from assistant.vocab.entities import resolve_role


def test_a_job_seekers_message() -> None:
    said = mentions("我是机械专业硕士，3年工作经验，想在渝北做新能源汽车电池研发，会CATIA和MATLAB")
    assert said.degree == Education.MASTER and said.major == "机械设计制造及其自动化"
    assert said.district == "渝北区" and said.years == 3.0 and said.role == "新能源汽车电池研发"
    assert {"CATIA", "MATLAB"} <= set(said.skills)


@pytest.mark.parametrize(("text", "role"), [
    ("招一个3年经验的Java开发工程师", "Java开发工程师"),
    ("想找渝北的数据分析工作", "数据分析"),
    ("简历怎么改才能投电池系统工程师", "电池系统工程师"),
    ("Any openings for a data analyst?", "数据分析师"),
    ("有没有适合我的工作", None),
])
def test_roles(text: str, role: str | None) -> None:
    assert mentions(text).role == role


def test_a_free_text_role_resolves_to_the_catalogue() -> None:
    role = resolve_role("新能源汽车电池研发")
    assert role is not None
    assert (role.industry, role.function, role.chain) == ("智能网联新能源汽车", "三电研发", "动力电池")
    assert role.title == "电池系统工程师"
    assert resolve_role("厨师") is None  # nothing in the catalogue: no guess
