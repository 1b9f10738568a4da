"""The LLM engine behind the real web API (uvicorn on loopback): JSON and SSE turns, and the fallback notice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.app import build_app
from assistant.chat.service import FALLBACK_NOTICE
from assistant.config import Settings
from assistant.policy.service import PolicyService
from tests.chat.llm_support import citing, llm_overrides
from tests.chat.openai_server import ScriptedOpenAIServer, Turn
from tests.live import api_client, serving, sse_events
from web.app import create_app

QUESTION = "博士研究生有什么租房补贴？"
SEARCH = Turn(tool_calls=[("search_policies", {"question": QUESTION})])


@pytest.fixture
def base_url(chat_assistant: PolicyService, chat_settings: Settings, server: ScriptedOpenAIServer) -> Iterator[str]:
    settings = chat_settings.model_copy(update=llm_overrides(server))
    services = build_app(settings, policy=chat_assistant)
    with serving(create_app(services)) as base_url:
        yield base_url
    services.chat.store.close()




def test_api_chat_answers_with_the_llm_and_falls_back_when_it_stops(
    base_url: str, server: ScriptedOpenAIServer
) -> None:
    server.script(SEARCH, citing("博士研究生每月补贴2000元，最长36个月[{n}]。", "2000元"))
    with api_client(base_url) as client:
        first = client.post("/api/chat", json={"session_id": None, "message": QUESTION}).json()
        assert first["engine"] == "llm" and first["notice"] is None
        assert first["reply"] == "博士研究生每月补贴2000元，最长36个月[1]。"
        assert first["citations"][0]["doc_id"] == "test-housing"
        assert first["tool_calls"][0]["tool"] == "search_policies"
        server.stop()
        second = client.post("/api/chat", json={"session_id": first["session_id"], "message": "那硕士研究生呢？"})
        assert second.status_code == 200
        body = second.json()
        assert body["engine"] == "offline" and body["notice"] == FALLBACK_NOTICE and "1200元" in body["reply"]


def test_sse_stream_ends_with_the_checked_reply(base_url: str, server: ScriptedOpenAIServer) -> None:
    def final(body: dict) -> Turn:
        return Turn(content=citing("博士研究生每月补贴2000元，最长36个月[{n}]。", "2000元")(body).content
                    + "另外每月还有8000元生活补贴[1]。")

    server.script(SEARCH, final)
    with api_client(base_url) as client, client.stream("POST", "/api/chat/stream", json={"message": QUESTION},
                                                    headers={"Accept": "text/event-stream"}) as response:
        events = sse_events(response)
    names = [name for name, _ in events]
    assert names[0] == "tool" and "delta" in names and names[-1] == "done"
    streamed = "".join(data["text"] for name, data in events if name == "delta")
    done = events[-1][1]
    assert "8000元" in streamed and "8000元" not in done["reply"] and done["engine"] == "llm"
    assert done["reply"].startswith("博士研究生每月补贴2000元，最长36个月[1]。")
