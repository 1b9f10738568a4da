"""The HTTP API served by a real uvicorn server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from assistant.app import build_app
from assistant.policy.service import PolicyService
from tests.live import serving
from web.app import create_app


@pytest.fixture
def base_url(bm25_assistant: PolicyService) -> Iterator[str]:
    with serving(create_app(build_app(bm25_assistant.settings, policy=bm25_assistant))) as base_url:
        yield base_url


def test_health_reports_the_index(base_url: str) -> None:
    body = httpx.get(f"{base_url}/health").json()
    assert body["status"] == "ok" and body["indexed"] and body["documents"] == 5


def test_ask_returns_the_answer_contract(base_url: str) -> None:
    response = httpx.post(f"{base_url}/api/ask", json={"question": "在本市首次购房的博士有什么补贴？"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"question", "answer", "grounded", "citations", "ai_generated", "ai_label"}
    assert body["ai_generated"] is True and body["ai_label"] == "以上内容由人工智能生成，请以原文为准"
    assert body["grounded"] and "20万元" in body["answer"]
    assert body["citations"][0]["doc_id"] == "test-housing"


def test_ask_with_filters(base_url: str) -> None:
    body = httpx.post(f"{base_url}/api/ask", json={"question": "招聘会在哪天举行",
                                                   "filters": {"active_only": True}}).json()
    assert all(c["doc_id"] != "test-job-fair-2025" for c in body["citations"])


def test_search_returns_ranked_passages(base_url: str) -> None:
    hits = httpx.post(f"{base_url}/api/search", json={"query": "创业导师 工作经费", "top_k": 3}).json()
    assert hits and {h["doc_id"] for h in hits} <= {"test-mentor-1", "test-mentor-2", "test-housing",
                                                     "test-job-fair-2025", "test-grant-2027"}
    assert set(hits[0]) == {"doc_id", "title", "kind", "text", "score"}


@pytest.mark.parametrize("payload", [{"question": ""}, {"question": "问" * 10_000}])
def test_bad_questions_are_422_with_a_message(base_url: str, payload: dict[str, str]) -> None:
    response = httpx.post(f"{base_url}/api/ask", json=payload)
    assert response.status_code == 422 and response.json()["detail"]


def test_openapi_docs_are_served(base_url: str) -> None:
    assert httpx.get(f"{base_url}/docs").status_code == 200
    paths = httpx.get(f"{base_url}/openapi.json").json()["paths"]
    assert {"/health", "/api/ask", "/api/search"} <= set(paths)
