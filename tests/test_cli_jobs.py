"""`assistant jobs …` as a user runs it: a real process, its stdout, stderr and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path_factory.mktemp("data"))}

    def invoke(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assistant.cli.main", "jobs", *args], env=env, capture_output=True,
                              text=True, timeout=120, input=stdin)

    built = invoke("build", "--postings", "300", "--talents", "300", "--json")
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["postings"] == 300
    return invoke


def test_match_json_lists_ranked_results_with_22_dimensions(run) -> None:  # type: ignore[no-untyped-def]
    result = run("match", "--job", "J000001", "--top-k", "3", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 3 and all("name" in row and "title" not in row for row in rows)
    assert rows[0]["score"] >= rows[1]["score"] >= rows[2]["score"]
    dimension = rows[0]["dimensions"][0]
    assert {"name", "score", "weight", "evidence"} <= set(dimension)
    assert len(rows[0]["dimensions"]) == 22
    jobs = json.loads(run("match", "--talent", "T000002", "--top-k", "2", "--json").stdout)
    assert len(jobs) == 2 and all("title" in row for row in jobs)


def test_match_a_profile_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    profile = tmp_path / "me.json"
    profile.write_text(json.dumps({"id": "me", "current_title": "Java开发工程师", "skills": ["Java", "MySQL"],
                                   "education": "本科", "district": "渝北区", "salary_expectation": "面议"},
                                  ensure_ascii=False), encoding="utf-8")
    result = run("match", "--profile", str(profile), "--top-k", "2")
    assert result.returncode == 0, result.stderr
    assert "综合" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("match", "--job", "NOPE", "--json"), "NOPE"),
        (("match", "--job", "J000001", "--talent", "T000001"), "恰好"),
        (("match", "--profile", "/nonexistent.json"), "无法读取"),
    ],
)
def test_bad_input_gives_one_line_and_exit_code_2(run, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_check_posting_json_flags_with_the_law(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    posting = tmp_path / "posting.txt"
    posting.write_text("招聘销售经理：限男性，35岁以下，本地户口，男女搭配团队氛围好。", encoding="utf-8")
    result = run("check-posting", str(posting), "--json")
    assert result.returncode == 0, result.stderr
    issues = json.loads(result.stdout)["issues"]
    assert [i["kind"] for i in issues] == ["gender", "age", "hukou"]
    assert all({"kind", "text", "rule", "suggestion"} <= set(i) for i in issues)
    clean = run("check-posting", "-", "--json", stdin="男女不限，年龄不限。")
    assert json.loads(clean.stdout) == {"issues": []}


def test_post_checks_the_posting_and_pushes_talents(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    posting = tmp_path / "job.json"
    posting.write_text(json.dumps({"id": "NEW", "title": "测试工程师", "district": "渝北区",
                                   "skills_required": ["Python"], "description": "35岁以下"}, ensure_ascii=False),
                       encoding="utf-8")
    result = run("post", str(posting), "--top-k", "2", "--json")
    assert result.returncode == 0, result.stderr
    review = json.loads(result.stdout)
    assert [i["kind"] for i in review["check"]["issues"]] == ["age"]
    assert len(review["talents"]["results"]) == 2
