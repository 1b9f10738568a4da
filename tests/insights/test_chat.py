"""The chat tool's view (ShortageQuery → ShortageAnswer) uses the same numbers as the report, with the data date."""

from __future__ import annotations

import datetime as dt
import shutil

from assistant.config import Settings
from assistant.insights.chat import ShortageQuery
from assistant.insights.models import InsightFilters
from assistant.insights.service import InsightService
from assistant.jobs.library import build_library, library_dir


def test_which_jobs_are_most_short_in_chongqing(library_settings: Settings) -> None:
    answer = InsightService(library_settings).shortage(ShortageQuery(top_k=5))
    report = InsightService(library_settings).report()
    built = (library_dir(library_settings.data_dir) / "manifest.json").stat().st_mtime
    assert answer.data_date == report.data_date == dt.datetime.fromtimestamp(built, dt.UTC).date().isoformat()
    functions = [row for row in answer.rows if row.kind == "岗位"]
    assert [(r.name, r.chain, r.shortage_index) for r in functions] == [
        (g.name, g.chain, g.shortage_index) for g in report.functions[:5]]
    assert answer.summary.startswith(
        f"按 {answer.data_date} 的岗位人才库数据，重庆全市最紧缺的岗位是：{functions[0].name}"
    )
    assert "紧缺指数" in answer.method


def test_which_skills_does_the_ev_chain_lack(library_settings: Settings) -> None:
    answer = InsightService(library_settings).shortage(ShortageQuery(chain="新能源汽车", top_k=3))
    assert answer.chain == "智能网联新能源汽车"
    skills = [row for row in answer.rows if row.kind == "技能"]
    report = InsightService(library_settings).report(InsightFilters(chain="新能源汽车"))
    assert [r.name for r in skills] == [g.name for g in report.skills[:3]]
    assert "智能网联新能源汽车产业链" in answer.summary and "最紧缺的技能是" in answer.summary
    assert all(row.chain in ("", "智能网联新能源汽车") for row in answer.rows)


def test_a_function_narrows_the_jobs(library_settings: Settings) -> None:
    answer = InsightService(library_settings).shortage(ShortageQuery(function="自动驾驶"))
    assert {row.name for row in answer.rows if row.kind == "岗位"} == {"自动驾驶"}
    missing = InsightService(library_settings).shortage(ShortageQuery(function="宇航员"))
    assert "没有“宇航员”相关岗位的需求数据" in missing.summary


def test_a_rebuilt_library_is_analysed_again(library_settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = library_settings.model_copy(update={"data_dir": tmp_path})
    shutil.copytree(library_dir(library_settings.data_dir), library_dir(tmp_path))
    insights = InsightService(settings)
    assert insights.report().totals.postings == 400
    build_library(library_dir(tmp_path), postings=120, talents=80, seed=3)
    assert insights.report().totals.postings == 120  # the same service sees the rebuilt library
