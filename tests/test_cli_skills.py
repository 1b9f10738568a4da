"""`assistant skills …` as a user runs it: a real process, its stdout, stderr and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SMALL = Path(__file__).resolve().parent / "data" / "skills" / "postings_small.jsonl"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    env.pop("ASSISTANT_SKILLS_LIBRARY", None)

    def invoke(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assistant.cli.main", "skills", *args], env=env,
                              capture_output=True, text=True, timeout=120, input=stdin)

    return invoke


def test_extract_json_prints_one_list_per_posting(run) -> None:  # type: ignore[no-untyped-def]
    stdin = '熟练掌握Java，熟悉Spring Boot；有Kafka经验者优先\n\n{"title": "机器人", "text": "精通C++，了解ROS2"}\n'
    result = run("extract", "--json", stdin=stdin)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == [
        [
            {"name": "Java", "category": "hard_skill", "required": True, "span": [4, 8]},
            {"name": "Spring Boot", "category": "tool", "required": True, "span": [11, 22]},
            {"name": "Kafka", "category": "tool", "required": False, "span": [24, 29]},
        ],
        [
            {"name": "C++", "category": "hard_skill", "required": True, "span": [2, 5]},
            {"name": "ROS2", "category": "tool", "required": False, "span": [8, 12]},
        ],
    ]


def test_extract_reads_a_file_and_prints_readable_lines(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    postings = tmp_path / "postings.txt"
    postings.write_text("持有PMP证书，熟悉Excel\n", encoding="utf-8")
    result = run("extract", str(postings))
    assert result.returncode == 0, result.stderr
    assert "PMP" in result.stdout and "证书/资格" in result.stdout and "必需" in result.stdout


def test_analyze_target_over_a_library(run) -> None:  # type: ignore[no-untyped-def]
    result = run("analyze", "--target", "自动驾驶算法工程师", "--library", str(SMALL), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["postings"] == 4
    top = report["skills"][0]
    assert {"name", "category", "share", "keyness", "examples"} <= set(top)
    assert (top["name"], top["share"]) == ("C++", 1.0) and top["keyness"] > 0 and top["examples"]
    table = run("analyze", "--target", "自动驾驶算法工程师", "--library", str(SMALL))
    assert "行业术语" in table.stdout and "自动驾驶" in table.stdout


def test_analyze_pasted_postings(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    postings = tmp_path / "mine.jsonl"
    postings.write_text('{"text": "熟悉Excel与财务分析"}\n{"text": "熟练使用Excel"}\n', encoding="utf-8")
    report = json.loads(run("analyze", "--postings", str(postings), "--json").stdout)
    assert report["postings"] == 2 and report["skills"][0] == {
        **report["skills"][0], "name": "Excel", "share": 1.0, "keyness": None,
    }


def test_analyze_needs_exactly_one_source_and_says_so_in_chinese(run) -> None:  # type: ignore[no-untyped-def]
    neither = run("analyze", "--json")
    assert neither.returncode == 2 and "二选一" in neither.stderr
    no_library = run("analyze", "--target", "数据分析师")
    assert no_library.returncode == 2 and "岗位库" in no_library.stderr and "Traceback" not in no_library.stderr


def test_analyze_target_defaults_to_the_built_job_library(tmp_path: Path) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    env.pop("ASSISTANT_SKILLS_LIBRARY", None)

    def assistant(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assistant.cli.main", *args], env=env, capture_output=True,
                              text=True, timeout=120)

    before = assistant("skills", "analyze", "--target", "Java开发工程师", "--json")
    assert before.returncode == 2 and "library build" in before.stderr
    assert assistant("library", "build", "--postings", "1500", "--talents", "50").returncode == 0
    report = json.loads(assistant("skills", "analyze", "--target", "Java开发工程师", "--json").stdout)
    assert report["postings"] > 0 and report["skills"]
    assert all(skill["keyness"] is not None for skill in report["skills"])
