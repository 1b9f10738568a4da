"""/v1/chat/completions answered by the LLM engine (a scripted OpenAI-protocol model on loopback), through the
official `openai` client: the client's history reaches the model, and only the grounding-checked reply is sent."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from assistant.app import build_app
from assistant.config import Settings
from assistant.labels import AI_LABEL
from assistant.policy.service import PolicyService
from tests.chat.llm_support import citing, llm_overrides
from tests.chat.openai_server import ScriptedOpenAIServer, Turn
from tests.live import serving
from web.app import create_app

QUESTION = "博士研究生有什么租房补贴？"
SEARCH = Turn(tool_calls=[("search_policies", {"question": QUESTION})])


@pytest.fixture
def client(chat_assistant: PolicyService, chat_settings: Settings,
           server: ScriptedOpenAIServer) -> Iterator[openai.OpenAI]:
    services = build_app(chat_settings.model_copy(update=llm_overrides(server)), policy=chat_assistant)
    secret = services.accounts.create_token("v1-llm", "talent")[1]
    with serving(create_app(services)) as base_url:
        yield openai.OpenAI(base_url=f"{base_url}/v1", api_key=secret, max_retries=0, timeout=60)
    services.chat.store.close()


def test_llm_reply_with_the_clients_history(client: openai.OpenAI, server: ScriptedOpenAIServer) -> None:
    server.script(SEARCH, citing("博士研究生每月补贴2000元，最长36个月[{n}]。", "2000元"))
    completion = client.chat.completions.create(model="talent-assistant", messages=[
        {"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！我是人才 AI 管家。"},
        {"role": "user", "content": QUESTION}])
    message = completion.choices[0].message
    assert message.content.startswith("博士研究生每月补贴2000元，最长36个月[1]。")
    assert message.content.endswith(AI_LABEL) and (completion.model_extra or {})["x_engine"] == "llm"
    assert "参考来源：\n[1] 《" in message.content  # the model's text names no sources: the list is added
    sent = [m.get("content") for m in server.requests[0]["messages"]]
    assert "你好！我是人才 AI 管家。" in sent and sent[-1].startswith("博士研究生有什么租房补贴")


def test_llm_stream_sends_only_the_checked_reply(client: openai.OpenAI, server: ScriptedOpenAIServer) -> None:
    def final(body: dict) -> Turn:
        grounded = citing("博士研究生每月补贴2000元，最长36个月[{n}]。", "2000元")(body).content
        return Turn(content=grounded + "另外每月还有8000元生活补贴[1]。")  # not in any passage: dropped

    server.script(SEARCH, final)
    chunks = list(client.chat.completions.create(model="talent-assistant", stream=True,
                                                 messages=[{"role": "user", "content": QUESTION}]))
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert text.startswith("博士研究生每月补贴2000元，最长36个月[1]。") and "8000元" not in text
    assert text.endswith(AI_LABEL) and chunks[-1].choices[0].finish_reason == "stop"


def test_llm_down_falls_back_with_a_notice(client: openai.OpenAI, server: ScriptedOpenAIServer) -> None:
    server.stop()
    completion = client.chat.completions.create(model="talent-assistant",
                                                messages=[{"role": "user", "content": QUESTION}])
    assert (completion.model_extra or {})["x_engine"] == "offline"
    text = completion.choices[0].message.content
    assert "已切换为离线模式" in text and "2000元" in text
