"""The `assistant` command as a user runs it: a real process, its stdout, stderr and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def run(tmp_path: Path, corpus_dir: Path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_CORPUS_DIR": str(corpus_dir),
           "ASSISTANT_EMBEDDING_PROVIDER": "none", "ASSISTANT_TODAY": "2026-11-22"}

    def invoke(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assistant.cli.main", *args], env=env, capture_output=True,
                              text=True, timeout=120)

    return invoke


def test_ask_json_prints_exactly_one_object_with_the_contract(run) -> None:  # type: ignore[no-untyped-def]
    assert run("ingest").returncode == 0
    result = run("ask", "博士研究生租房补贴每月多少钱", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)  # one object, nothing else on stdout
    assert set(answer) == {"question", "answer", "grounded", "citations"}
    assert answer["grounded"] and "2000元" in answer["answer"]
    citation = answer["citations"][0]
    assert set(citation) == {"n", "doc_id", "title", "kind", "snippet", "score"}
    assert citation["n"] == 1 and citation["doc_id"] == "test-housing" and citation["kind"] == "policy"


def test_declined_question_has_no_citations(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest")
    answer = json.loads(run("ask", "火星移民签证怎么办", "--json").stdout)
    assert answer["grounded"] is False and answer["citations"] == []


def test_search_json_lists_ranked_passages(run) -> None:  # type: ignore[no-untyped-def]
    run("ingest")
    result = run("search", "博士 科研启动 资助金额", "--json", "--top-k", "2", "--kind", "announcement")
    hits = json.loads(result.stdout)
    assert 1 <= len(hits) <= 2
    assert all(set(hit) == {"doc_id", "title", "kind", "text", "score"} for hit in hits)
    assert all(hit["kind"] == "announcement" for hit in hits)
    assert hits == sorted(hits, key=lambda h: -h["score"])


@pytest.mark.parametrize("question", ["", "   ", "问" * 10_000])
def test_bad_questions_exit_with_a_message_not_a_traceback(run, question: str) -> None:  # type: ignore[no-untyped-def]
    run("ingest")
    result = run("ask", question)
    assert result.returncode == 2
    assert "错误" in result.stderr and "Traceback" not in result.stderr


def test_asking_before_ingest_says_what_to_do(run) -> None:  # type: ignore[no-untyped-def]
    result = run("ask", "博士后")
    assert result.returncode == 4 and "assistant ingest" in result.stderr


def test_ingest_reports_skipped_files_by_name(run, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    (corpus_dir / "policies" / "empty.md").write_text("")
    result = run("ingest")
    assert result.returncode == 0 and "empty.md" in result.stderr
    assert "未变" in run("ingest").stdout


def test_unknown_kind_is_rejected(run) -> None:  # type: ignore[no-untyped-def]
    result = run("search", "博士", "--kind", "blog")
    assert result.returncode == 2 and "blog" in result.stderr


@pytest.mark.parametrize("command", [[], ["ingest"], ["search"], ["ask"], ["serve"], ["status"]])
def test_every_command_has_help(run, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = run(*command, "--help")
    assert result.returncode == 0 and "Usage" in result.stdout
