"""`assistant insights` and `assistant insights catalogue` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.config import Settings


@pytest.fixture
def invoke(library_settings: Settings):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    env = {"ASSISTANT_DATA_DIR": str(library_settings.data_dir), "COLUMNS": "200"}

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["insights", *args], env=env)

    return run


def test_summary_prints_tables_with_the_data_date(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--chain", "电子信息", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "数据日期" in result.output and "范围：电子信息" in result.output
    for title in ("产业链（按紧缺指数）", "岗位职能（按紧缺指数）", "区县（按紧缺指数）", "技能（按紧缺指数）",
                  "方法："):
        assert title in result.output


def test_summary_json_is_the_report(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("--district", "渝北区", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["district"] == "渝北区" and body["totals"]["postings"] > 0
    assert body["functions"][0]["shortage_index"] >= body["functions"][-1]["shortage_index"]


def test_catalogue_csv_to_stdout_and_xlsx_to_a_file(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("catalogue", "--format", "csv", "--top", "5")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0][:3] == ["排名", "类别", "名称"] and len(rows) == 11
    target = tmp_path / "目录.xlsx"
    result = invoke("catalogue", "--format", "xlsx", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert load_workbook(target).sheetnames == ["说明", "紧缺人才目录"]


def test_bad_input_is_explained_in_chinese(invoke) -> None:  # type: ignore[no-untyped-def]
    assert "不支持的格式" in invoke("catalogue", "--format", "pdf").output
    assert "请用 --out" in invoke("catalogue", "--format", "xlsx").output


def test_the_real_command_line_reports_an_unknown_chain(library_settings: Settings) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(library_settings.data_dir)}
    result = subprocess.run([sys.executable, "-m", "assistant.cli.main", "insights", "--chain", "航天"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "没有名为“航天”的产业链" in result.stderr and "Traceback" not in result.stderr


def test_no_library_says_how_to_build_one(tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "assistant.cli.main", "insights", "catalogue", "--format", "json"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "assistant jobs build" in result.stderr
