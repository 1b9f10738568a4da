"""The shortage-talent catalogue and its CSV / XLSX / JSON exports."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from assistant.insights.catalogue import build_catalogue
from assistant.insights.export import COLUMNS, export_catalogue
from assistant.insights.frame import Frame


def test_catalogue_entries_carry_typical_requirements(hand_frame: Frame) -> None:
    catalogue = build_catalogue(hand_frame, min_postings=1)
    assert catalogue.data_date == "2026-11-01" and "紧缺指数" in catalogue.method
    functions = [e for e in catalogue.entries if e.kind == "岗位"]
    assert [e.name for e in functions] == ["芯片设计", "自动驾驶", "生产制造"]
    chip = functions[0]
    assert (chip.rank, chip.chain, chip.shortage_index, chip.education, chip.years) == (1, "电子信息", 1.4, "本科", 1.0)
    # Verilog in both chip postings, C++ in one of two (vs 2 of the other 5 postings): both over-represented.
    assert chip.core_skills == ["Verilog", "C++"]
    assert (chip.salary_p25, chip.salary_p75, chip.salary_range) == (360000, 360000, "36.0–36.0万元/年")
    assert chip.districts == ["渝北区 100%"]
    driving = functions[1]
    assert driving.education == "本科" and driving.years == 3.0 and driving.districts == ["渝北区 67%", "两江新区 33%"]
    skills = [e for e in catalogue.entries if e.kind == "技能"]
    assert [(e.rank, e.name) for e in skills[:2]] == [(1, "Verilog"), (2, "深度学习")]
    assert skills[0].chain == "电子信息"


def test_default_catalogue_skips_tiny_groups(hand_frame: Frame) -> None:
    catalogue = build_catalogue(hand_frame)  # at least 3 postings
    assert [(e.kind, e.name) for e in catalogue.entries] == [("岗位", "自动驾驶"), ("技能", "C++")]


def test_csv_has_a_bom_and_parses(hand_frame: Frame) -> None:
    data = export_catalogue(build_catalogue(hand_frame, min_postings=1), "csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1][:5] == ["1", "岗位", "芯片设计", "电子信息", "1.4"] and rows[1][-1] == "2026-11-01"
    assert len(rows) == 1 + 3 + 5


def test_xlsx_opens_with_a_header_sheet_and_the_stated_columns(hand_frame: Frame) -> None:
    data = export_catalogue(build_catalogue(hand_frame, min_postings=1), "xlsx")
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["说明", "紧缺人才目录"]
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert about["数据日期"] == "2026-11-01" and "紧缺指数" in about["方法"] and about["范围"] == "全市、全部产业链"
    rows = list(book["紧缺人才目录"].iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert rows[1][2] == "芯片设计" and rows[1][4] == 1.4 and rows[1][10] == "Verilog、C++"


def test_json_states_date_and_method(hand_frame: Frame) -> None:
    body = json.loads(export_catalogue(build_catalogue(hand_frame, min_postings=1), "json"))
    assert body["data_date"] == "2026-11-01" and body["title"] == "重庆紧缺人才目录" and "合格人才" in body["method"]
    assert body["entries"][0]["core_skills"] == ["Verilog", "C++"]
