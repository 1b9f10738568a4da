"""`assistant mcp` as an MCP host runs it: a real child process spoken to over stdio by the SDK's own client."""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters

from assistant.config import load_settings
from assistant.jobs.library import build_library, library_dir
from assistant.labels import AI_LABEL
from assistant.policy.service import build_policy_service
from assistant.tools.registry import TOOLS

REPO = Path(__file__).resolve().parents[1]
RESUME = REPO / "tests" / "data" / "resume" / "engineer.txt"


@pytest.fixture(scope="module")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of an indexed fixture corpus and a small job library, as a host would pass it."""
    root = tmp_path_factory.mktemp("mcp-stdio")
    env = {"ASSISTANT_DATA_DIR": str(root / "data"), "ASSISTANT_CORPUS_DIR": str(REPO / "tests" / "data" / "corpus"),
           "ASSISTANT_EMBEDDING_PROVIDER": "none", "ASSISTANT_TODAY": "2026-11-22"}
    settings = load_settings(data_dir=root / "data", corpus_dir=REPO / "tests" / "data" / "corpus",
                             embedding_provider="none", today="2026-11-22")
    build_policy_service(settings).ingest()
    build_library(library_dir(settings.data_dir), postings=300, talents=300)
    return {**os.environ, **env}


def session(env: dict[str, str], role: str, calls: list[tuple[str, dict[str, Any]]]) -> tuple[Any, list[Any]]:
    """Spawn `assistant mcp --role ROLE`, list its tools and make `calls` in one session."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "assistant.cli.main", "mcp", "--role", role],
                                   env=env, cwd=str(REPO))

    async def run() -> tuple[Any, list[Any]]:
        with anyio.fail_after(180):
            async with Client(params) as client:
                listed = await client.list_tools()
                return listed, [await client.call_tool(name, arguments) for name, arguments in calls]

    # On its own thread: a browser test's Playwright leaves an event loop running on this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, run).result()


def test_stdio_talent_gets_cited_answers_and_reviews_but_not_employer_tools(server_env: dict[str, str]) -> None:
    listed, (policy, review, match, posting, bad) = session(server_env, "talent", [
        ("search_policies", {"question": "博士研究生租房补贴每月多少钱"}),
        ("review_resume", {"resume_text": RESUME.read_text(encoding="utf-8"), "target_job": "后端工程师"}),
        ("match_jobs", {"target_role": "Java开发工程师", "degree": "本科", "top_k": 3}),
        ("check_posting", {"title": "销售", "description": "限男性，35岁以下"}),
        ("search_policies", {"question": "", "path": "/etc/passwd"}),
    ])
    tools = {tool.name: tool for tool in listed.tools}
    assert {"search_policies", "match_jobs", "analyze_skills", "review_resume", "talent_shortage"} <= set(tools)
    assert "match_talents" not in tools and "check_posting" not in tools
    assert tools["search_policies"].description == TOOLS["search_policies"].description
    assert "question" in tools["search_policies"].input_schema["properties"]
    if "check_eligibility" in TOOLS:  # a chat tool that reads the session's résumé takes its text instead
        assert "resume_text" in tools["check_eligibility"].input_schema["properties"]

    assert not policy.is_error
    answer = policy.structured_content
    assert answer["grounded"] and "2000元" in answer["answer"]
    assert answer["citations"][0]["doc_id"] == "test-housing" and "[1]" in answer["answer"]
    assert policy.meta["ai_generated"] is True and policy.meta["ai_label"] == AI_LABEL

    assert not review.is_error
    assert 0 < review.structured_content["score"] <= 100 and review.structured_content["suggestions"]
    assert not match.is_error and len(match.structured_content["jobs"]) == 3

    assert posting.is_error and "招聘方" in posting.content[0].text
    assert bad.is_error and "参数无效" in bad.content[0].text


def test_stdio_employer_role_checks_postings(server_env: dict[str, str]) -> None:
    listed, (posting,) = session(server_env, "employer", [
        ("check_posting", {"title": "销售代表", "description": "限男性，本科以上学历，有驾照。"}),
    ])
    assert {"check_posting", "match_talents"} <= {tool.name for tool in listed.tools}  # matching: test_mcp_http
    assert not posting.is_error
    verdict = posting.structured_content
    assert not verdict["publishable"] and "gender" in verdict["blocking"] and "男性" not in verdict["rewrite"]
    assert verdict["ai_label"] == AI_LABEL
