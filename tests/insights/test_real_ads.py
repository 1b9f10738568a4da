"""The same analysis on the real 2019 job ads (demand only; ../shared/data, skipped when absent)."""

from __future__ import annotations

from assistant.insights.analysis import analyse
from assistant.insights.catalogue import build_catalogue
from assistant.insights.export import export_catalogue
from assistant.insights.frame import Frame
from assistant.insights.models import InsightFilters


def test_demand_only_indices_rank_by_postings(ads_frame: Frame) -> None:
    report = analyse(ads_frame)
    assert report.totals.postings > 20000 and report.totals.talents == 0
    assert report.data_date == "2019" and "只有需求侧" in report.source
    for group in report.functions + report.chains + report.districts + report.skills:
        assert group.qualified_talents == 0
        assert group.shortage_index == round((group.postings + 5) / 5, 4)
    counts = [g.postings for g in report.functions]
    assert counts == sorted(counts, reverse=True)
    assert report.functions[0].name in {"Java", "PHP", "Python", "C++"}  # the crawl's largest sheets
    assert {g.name[:2] for g in report.districts[:8]} == {"北京", "上海", "深圳", "广州"}
    assert report.city_salary_median and 100000 < report.city_salary_median < 400000
    assert report.trends == [] and "没有日期" in report.trend_note


def test_sheet_spellings_are_merged(ads_frame: Frame) -> None:
    # Sheets "python" and "Python" are one function, named by the commoner spelling.
    assert ("Python" in ads_frame.functions) != ("python" in ads_frame.functions)
    assert "Css+html(北京缺三列)" not in ads_frame.functions


def test_skills_come_from_the_skill_extraction(ads_frame: Frame) -> None:
    report = analyse(ads_frame, InsightFilters(chain="计算机软件"))
    assert report.chain == "计算机软件"
    assert {"Java", "MySQL"} <= {g.name for g in report.skills[:30]}


def test_catalogue_on_real_ads(ads_frame: Frame) -> None:
    catalogue = build_catalogue(ads_frame, top_functions=10, top_skills=10)
    java = next(e for e in catalogue.entries if e.kind == "岗位" and e.name == "Java")
    assert "Java" in java.core_skills and java.salary_p25 and java.salary_p25 < java.salary_p75
    assert java.education in {"本科", "大专"} and java.districts
    assert export_catalogue(catalogue, "xlsx")[:2] == b"PK"
