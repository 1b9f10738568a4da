"""/mcp on a live server, spoken to by the MCP SDK's own streamable-HTTP client; a Bearer token decides the tools."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from assistant.accounts import AccountStore
from assistant.config import Settings
from assistant.labels import AI_LABEL
from assistant.storage.database import EMBEDDED_FILE


@pytest.fixture(scope="module")
def employer_token(live_settings: Settings) -> str:
    return AccountStore(live_settings.data_dir / EMBEDDED_FILE).create_token("mcp-employer", "employer")[1]


def mcp_session(base: str, calls: list[tuple[str, dict[str, Any]]],
                token: str | None = None) -> tuple[list[str], list[Any]]:
    """Connect to BASE/mcp (optionally with a Bearer token), list the tools and make `calls`."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def run() -> tuple[list[str], list[Any]]:
        with anyio.fail_after(120):
            async with httpx2.AsyncClient(headers=headers, timeout=60) as http, \
                    Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client:
                names = [tool.name for tool in (await client.list_tools()).tools]
                return names, [await client.call_tool(name, arguments) for name, arguments in calls]

    # On its own thread: a browser test's Playwright leaves an event loop running on this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, run).result()


def test_anonymous_client_gets_public_tools_and_cited_answers(live_server: str) -> None:
    names, (policy, posting, shortage) = mcp_session(live_server, [
        ("search_policies", {"question": "博士研究生租房补贴每月多少钱"}),
        ("check_posting", {"title": "销售", "description": "限男性"}),
        ("talent_shortage", {"focus": "skills", "top_k": 30}),
    ])
    assert {"search_policies", "match_jobs", "analyze_skills", "review_resume", "talent_shortage"} <= set(names)
    assert "check_posting" not in names and "match_talents" not in names
    assert not policy.is_error and "2000元" in policy.structured_content["answer"]
    assert policy.structured_content["citations"][0]["doc_id"] == "test-housing"
    assert policy.meta["ai_label"] == AI_LABEL
    assert posting.is_error and "仅对招聘方、工作人员开放" in posting.content[0].text
    assert 0 < len(shortage.structured_content["rows"]) <= 10  # the public summary's top 10, as on /insights


def test_employer_token_unlocks_posting_check_and_talent_matching(live_server: str, employer_token: str) -> None:
    names, (posting, talents, shortage) = mcp_session(live_server, [
        ("check_posting", {"title": "销售代表", "description": "限男性，35岁以下。"}),
        ("match_talents", {"title": "数据分析师", "top_k": 3}),
        ("talent_shortage", {"focus": "skills", "top_k": 30}),
    ], token=employer_token)
    assert {"check_posting", "match_talents"} <= set(names)
    assert not posting.is_error
    assert {"gender", "age"} <= {issue["issue"]["kind"] for issue in posting.structured_content["issues"]}
    assert not talents.is_error and len(talents.structured_content["talents"]) == 3
    assert len(shortage.structured_content["rows"]) > 10


def test_bad_token_is_refused_and_no_csrf_is_needed(live_server: str) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    headers = {"Accept": "application/json, text/event-stream", "Authorization": "Bearer ta_not-a-real-token"}
    refused = httpx.post(f"{live_server}/mcp", json=body, headers=headers)
    assert refused.status_code == 401
