"""The chat HTTP API on a real uvicorn server: JSON turns, the SSE stream, résumé upload, history, deletion, owners."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.app import build_app
from assistant.config import Settings
from assistant.policy.service import PolicyService
from tests.live import api_client, serving, sse_events
from web.app import create_app

REPLY_KEYS = {"session_id", "reply", "citations", "tool_calls", "results", "engine", "notice",
              "ai_generated", "ai_label"}


@pytest.fixture
def server(chat_assistant: PolicyService, chat_settings: Settings) -> Iterator[tuple[str, object]]:
    services = build_app(chat_settings.model_copy(update={"resume_max_bytes": 4096}), policy=chat_assistant)
    app = create_app(services)
    with serving(app) as base_url:
        yield base_url, app
    services.chat.store.close()




def test_post_chat_returns_the_reply_contract(server: tuple[str, object]) -> None:
    base, _ = server
    with api_client(base) as browser:
        response = browser.post("/api/chat", json={"session_id": None, "message": "博士研究生租房补贴每月多少钱？"})
        assert response.status_code == 200
        body = response.json()
        assert set(body) == REPLY_KEYS and body["engine"] == "offline"
        assert body["tool_calls"] == [
            {"tool": "search_policies", "input": {"question": "博士研究生租房补贴每月多少钱?"}}
        ]
        assert body["citations"][0]["doc_id"] == "test-housing" and "2000元" in body["reply"]
        assert "ta_chat" in browser.cookies  # the anonymous owner, HttpOnly
        follow = browser.post("/api/chat", json={"session_id": body["session_id"], "message": "那硕士呢？"}).json()
        assert follow["session_id"] == body["session_id"] and "1200元" in follow["reply"]


def test_stream_sends_tool_delta_and_done_events(server: tuple[str, object]) -> None:
    base, _ = server
    with api_client(base) as browser, browser.stream(
        "POST", "/api/chat/stream", json={"message": "我是机械专业硕士，想做新能源汽车电池研发，有什么岗位和政策？"},
        headers={"Accept": "text/event-stream"},
    ) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        events = sse_events(response)
    names = [name for name, _ in events]
    assert names[0] == "tool" and names[-1] == "done" and "delta" in names
    assert events[0][1]["tool"] == "match_jobs"
    done = events[-1][1]
    assert set(done) == REPLY_KEYS and done["session_id"]
    assert "".join(data["text"] for name, data in events if name == "delta") == done["reply"]


def test_resume_upload_history_and_delete(server: tuple[str, object], resume_file: Path) -> None:
    base, _ = server
    with api_client(base) as browser, api_client(base) as stranger:
        uploaded = browser.post("/api/chat/resume", files={"file": ("cv.txt", resume_file.read_bytes(), "text/plain")})
        assert uploaded.status_code == 200
        sid = uploaded.json()["session_id"]
        assert "cv.txt" in uploaded.json()["summary"]
        review = browser.post("/api/chat", json={"session_id": sid, "message": "帮我看看简历"}).json()
        assert review["tool_calls"][0]["tool"] == "review_resume" and "/100" in review["reply"]
        messages = browser.get(f"/api/chat/{sid}").json()
        assert [m["role"] for m in messages] == ["assistant", "user", "assistant"]
        for response in (stranger.get(f"/api/chat/{sid}"), stranger.delete(f"/api/chat/{sid}"),
                         stranger.post("/api/chat", json={"session_id": sid, "message": "帮我看看简历"})):
            assert response.status_code == 404 and response.json()["error"] == "session_not_found"
        assert browser.delete(f"/api/chat/{sid}").status_code == 204
        assert browser.get(f"/api/chat/{sid}").status_code == 404


def test_errors_are_json_with_a_stable_code(server: tuple[str, object]) -> None:
    base, _ = server
    with api_client(base) as browser:
        empty = browser.post("/api/chat", json={"message": "   "})
        assert empty.status_code == 422 and empty.json()["error"] == "invalid_input"
        unknown = browser.post("/api/chat/stream", json={"session_id": "nope", "message": "你好"})
        assert unknown.status_code == 404 and unknown.json()["error"] == "session_not_found"
        big = browser.post("/api/chat/resume", files={"file": ("cv.txt", "简历".encode() * 2000, "text/plain")})
        assert big.status_code == 413 and big.json()["error"] == "resume_too_large"
        image = browser.post("/api/chat/resume",
                             files={"file": ("cv.txt", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "text/plain")})
        assert image.status_code == 422 and image.json()["error"] == "document_unreadable"  # sniffed, not the name
    with httpx.Client(base_url=base, cookies={"ta_chat": "c" * 24}) as forged:  # a cookie but no CSRF token
        assert forged.post("/api/chat", json={"message": "你好"}).status_code == 403


def test_a_logged_in_user_owns_sessions_across_browsers(server: tuple[str, object]) -> None:
    base, app = server
    app.state.services.accounts.create("chat-tester", "long-enough-pass-9", "talent", "测试")  # type: ignore[attr-defined]
    with api_client(base) as first, api_client(base) as second, api_client(base) as anonymous:
        for browser in (first, second):
            me = browser.post("/api/auth/login", json={"username": "chat-tester", "password": "long-enough-pass-9"})
            assert me.status_code == 200
            browser.headers["X-CSRF-Token"] = me.json()["csrf_token"]
        sid = first.post("/api/chat", json={"message": "你好"}).json()["session_id"]
        assert len(second.get(f"/api/chat/{sid}").json()) == 2  # same user, another browser
        assert anonymous.get(f"/api/chat/{sid}").status_code == 404
