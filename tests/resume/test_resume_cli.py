"""`assistant resume parse` and error handling as a user meets them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli.main import app


def test_parse_json_has_numbered_lines_sections_and_fields(samples: dict[str, Path]) -> None:
    result = CliRunner().invoke(app, ["resume", "parse", str(samples["engineer.docx"]), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["format"] == "docx"
    assert payload["lines"][0] == {"number": 1, "text": "个人简历", "page": None}
    assert [s["key"] for s in payload["sections"]][:2] == ["basic", "work"]
    assert payload["fields"]["name"] == "王浩然"


def test_parse_prints_a_readable_summary(samples: dict[str, Path]) -> None:
    result = CliRunner().invoke(app, ["resume", "parse", str(samples["no_headings.txt"])])
    assert result.exit_code == 0, result.output
    assert "姓名：周子涵" in result.stdout
    assert "2023.01-至今 重庆铁塔科技有限公司 高级网络工程师" in result.stdout


def test_missing_file_is_one_chinese_line_and_exit_code_3(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", "from assistant.cli.main import main; main()",
         "resume", "review", str(tmp_path / "无.pdf")],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert completed.returncode == 3
    assert "找不到简历文件" in completed.stderr
    assert "Traceback" not in completed.stderr
