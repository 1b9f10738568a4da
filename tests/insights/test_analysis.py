"""Shortage indices on the hand-computed library (tests/data/insights/library.json): every number worked out by hand.

Typical requirements (lower medians): 汽车·自动驾驶 本科 & 3 years, 汽车·生产制造 大专 & 0 years, 电子·芯片设计
本科 & 1 year. Qualified talents: t1 (硕士, 4 y), t3 (大专, 1 y), t5 (本科, 0 y); t2 has 2 < 3 years, t4 is 高中,
t6's education is unknown. Index = (postings + 5) / (qualified + 5).
"""

from __future__ import annotations

import numpy as np
import pytest

from assistant.errors import InvalidInputError
from assistant.insights.analysis import analyse, shortage_index
from assistant.insights.frame import Frame
from assistant.insights.models import InsightFilters


def _by_name(groups: list) -> dict:
    return {g.label: g for g in groups}


def test_function_indices_are_exact(hand_frame: Frame) -> None:
    report = analyse(hand_frame)
    rows = [(g.label, g.postings, g.talents, g.qualified_talents, g.shortage_index) for g in report.functions]
    assert rows == [
        ("芯片设计（电子信息）", 2, 1, 0, 1.4),                        # 7 / 5
        ("自动驾驶（智能网联新能源汽车）", 3, 2, 1, round(8 / 6, 4)),   # 8 / 6
        ("生产制造（智能网联新能源汽车）", 2, 3, 2, 1.0),               # 7 / 7
    ]


def test_chain_district_skill_and_total_indices(hand_frame: Frame) -> None:
    report = analyse(hand_frame)
    chains = {g.name: (g.postings, g.qualified_talents, g.shortage_index) for g in report.chains}
    assert chains == {"电子信息": (2, 0, 1.4), "智能网联新能源汽车": (5, 3, 1.25)}
    districts = {g.name: (g.postings, g.talents, g.qualified_talents, g.shortage_index) for g in report.districts}
    # t4 lives in 渝北区 but also wants 两江新区: supply of both.
    assert districts == {"渝北区": (4, 3, 1, 1.5), "两江新区": (3, 4, 2, round(8 / 7, 4))}
    skills = {g.name: (g.postings, g.talents, g.qualified_talents, g.shortage_index) for g in report.skills}
    assert skills == {"C++": (3, 2, 2, round(8 / 7, 4)), "ROS": (2, 2, 1, round(7 / 6, 4)), "深度学习": (1, 0, 0, 1.2),
                      "精益生产": (2, 3, 2, 1.0), "Verilog": (2, 1, 0, 1.4)}
    assert (report.totals.postings, report.totals.talents, report.totals.qualified_talents) == (7, 6, 3)
    assert report.totals.shortage_index == 1.5


def test_salary_premium_against_the_city_median(hand_frame: Frame) -> None:
    report = analyse(hand_frame)
    # Annual midpoints: 300k, 420k, 240k, 108k, 84k, 360k (p7 is 面议) → city median 270k.
    assert report.city_salary_median == 270000
    functions = _by_name(report.functions)
    assert functions["自动驾驶（智能网联新能源汽车）"].salary_median == 300000
    assert functions["自动驾驶（智能网联新能源汽车）"].salary_premium == round(300000 / 270000 - 1, 4)
    assert functions["芯片设计（电子信息）"].salary_premium == round(360000 / 270000 - 1, 4)
    assert functions["生产制造（智能网联新能源汽车）"].salary_premium == round(96000 / 270000 - 1, 4)
    assert functions["自动驾驶（智能网联新能源汽车）"].expected_salary_median == (420000 + 264000) / 2


def test_filters_recompute_within_the_scope(hand_frame: Frame) -> None:
    report = analyse(hand_frame, InsightFilters(chain="新能源汽车", district="两江"))
    assert (report.chain, report.district) == ("智能网联新能源汽车", "两江新区")
    # Postings p3, p4, p5; talents t2, t3, t4, t5. In scope 自动驾驶 needs 本科 & 1 year (p3 alone): t2 qualifies.
    functions = {g.name: (g.postings, g.qualified_talents, g.shortage_index) for g in report.functions}
    assert functions == {"自动驾驶": (1, 1, 1.0), "生产制造": (2, 2, 1.0)}
    assert report.totals.postings == 3 and report.totals.qualified_talents == 3


def test_a_chain_link_filters_too(hand_frame: Frame) -> None:
    report = analyse(hand_frame, InsightFilters(chain="集成电路"))
    assert report.chain == "集成电路" and report.totals.postings == 2


def test_unknown_filters_are_refused_in_chinese(hand_frame: Frame) -> None:
    with pytest.raises(InvalidInputError, match="没有名为“航天”的产业链"):
        analyse(hand_frame, InsightFilters(chain="航天"))
    with pytest.raises(InvalidInputError, match="区县"):
        analyse(hand_frame, InsightFilters(district="万州"))


def test_zero_supply_does_not_divide_by_zero() -> None:
    assert shortage_index(np.array([0, 10]), np.array([0, 0])).tolist() == [1.0, 3.0]


def test_trends_by_month_where_dates_exist(hand_frame: Frame) -> None:
    report = analyse(hand_frame)
    # p1, p3 in 2026-12 and p2 in 2027-01; t1 is available in 2026-12, t2 only in 2027-02
    # (outside the postings' months).
    assert [(p.month, p.postings, p.talents) for p in report.trends] == [("2026-12", 2, 1), ("2027-01", 1, 0)]
    assert "到岗" in report.trend_note


def test_heat_table_and_salary_bands(hand_frame: Frame) -> None:
    report = analyse(hand_frame)
    heat = report.heat
    assert heat.rows == ["渝北区", "两江新区"] and heat.columns == ["智能网联新能源汽车", "电子信息"]
    # 渝北区 × 汽车: p1, p2 vs qualified t1 → 7/6; 渝北区 × 电子: p6, p7 vs none → 7/5; 两江新区 × 电子: no demand.
    assert heat.shortage == [[round(7 / 6, 4), 1.4], [round(8 / 7, 4), None]]
    bands = {b.name: b for b in report.salary_bands}
    assert bands["电子信息"].p50 == 360000 and bands["智能网联新能源汽车"].postings == 5
