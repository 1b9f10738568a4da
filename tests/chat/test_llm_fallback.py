"""Through ChatService: a provider that is down, stops mid-conversation, fails mid-turn or times out degrades to
the offline engine with a notice, never an error."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.app import build_app
from assistant.chat.llm import UNSOURCED_NOTICE, LLMEngine
from assistant.chat.service import FALLBACK_NOTICE, ChatService
from assistant.config import Settings
from assistant.policy.service import build_policy_service
from tests.chat.llm_support import citing, llm_overrides
from tests.chat.openai_server import ScriptedOpenAIServer, Turn

QUESTION = "博士研究生有什么租房补贴？"
SEARCH = Turn(tool_calls=[("search_policies", {"question": QUESTION})])
ANSWER = citing("博士研究生每月补贴2000元，最长36个月[{n}]。", "2000元")


@pytest.fixture
def service_for(make_settings: Callable[..., Settings], server: ScriptedOpenAIServer) -> Callable[..., ChatService]:
    def factory(**overrides: object) -> ChatService:
        values: dict[str, object] = llm_overrides(server)
        values.update(overrides)
        settings = make_settings(**values)
        assistant = build_policy_service(settings)
        assistant.ingest()
        service = build_app(settings, policy=assistant).chat
        assert isinstance(service.llm, LLMEngine)
        return service

    return factory


def test_provider_down_at_start_answers_offline_with_a_notice(
    service_for: Callable[..., ChatService], server: ScriptedOpenAIServer
) -> None:
    service = service_for()
    server.stop()
    events = list(service.stream(None, QUESTION, "user:1"))
    assert [e.text for e in events if e.type == "notice"] == [FALLBACK_NOTICE]
    reply = events[-1].reply
    assert reply is not None and reply.engine == "offline" and reply.notice == FALLBACK_NOTICE
    assert "2000元" in reply.reply and reply.citations


def test_server_stopped_mid_conversation_next_turn_falls_back(
    service_for: Callable[..., ChatService], server: ScriptedOpenAIServer
) -> None:
    service = service_for()
    server.script(SEARCH, ANSWER)
    first = service.turn(None, QUESTION, "user:1")
    assert first.engine == "llm" and first.notice is None and first.reply.endswith("[1]。")
    server.stop()
    second = service.turn(first.session_id, "那硕士研究生呢？", "user:1")
    assert second.session_id == first.session_id
    assert second.engine == "offline" and second.notice == FALLBACK_NOTICE and "1200元" in second.reply
    assert [m.role for m in service.history(first.session_id, "user:1")] == ["user", "assistant"] * 2


def test_failure_after_a_tool_call_switches_to_offline_within_the_turn(
    service_for: Callable[..., ChatService], server: ScriptedOpenAIServer
) -> None:
    service = service_for()
    server.script(SEARCH, Turn(status=502), Turn(status=502))
    events = list(service.stream(None, QUESTION, "user:1"))
    types = [e.type for e in events]
    assert types[0] == "tool" and "notice" in types and types[-1] == "done"
    assert types.index("notice") < len(types) - 1
    reply = events[-1].reply
    assert reply is not None and reply.engine == "offline" and "2000元" in reply.reply


def test_a_timeout_falls_back_quickly(service_for: Callable[..., ChatService], server: ScriptedOpenAIServer) -> None:
    service = service_for(llm_timeout_s=0.3)
    server.script(Turn(content="迟到的回答", delay_s=1.5), Turn(content="迟到的回答", delay_s=1.5))
    reply = service.turn(None, QUESTION, "user:1")
    assert reply.engine == "offline" and reply.notice == FALLBACK_NOTICE and "迟到" not in reply.reply


def test_streamed_text_is_replaced_by_the_checked_reply(
    service_for: Callable[..., ChatService], server: ScriptedOpenAIServer
) -> None:
    service = service_for()

    def final(body: dict) -> Turn:
        turn = ANSWER(body)
        return Turn(content=turn.content + "博士研究生每月还有8000元生活补贴[1]。")

    server.script(SEARCH, final)
    events = list(service.stream(None, QUESTION, "user:1"))
    streamed = "".join(e.text for e in events if e.type == "delta")
    reply = events[-1].reply
    assert reply is not None and "8000元" in streamed and "8000元" not in reply.reply
    assert reply.reply.startswith("博士研究生每月补贴2000元，最长36个月[1]。")
    stored = service.history(reply.session_id, "user:1")[-1]
    assert stored.content == reply.reply  # what is kept is the checked text, not the stream


def test_policy_answer_without_a_search_is_replaced_by_the_offline_answer(
    service_for: Callable[..., ChatService], server: ScriptedOpenAIServer
) -> None:
    """The local 1.5B model answered policy questions from its weights ("每人每年2万元" for a 3万元 subsidy)
    without calling search_policies: such a reply has no source, so the offline engine answers, with a notice."""
    service = service_for()
    server.script(Turn(content="博士研究生每月可以领5000元租房补贴。"))
    reply = service.turn(None, QUESTION, "user:1")
    assert reply.engine == "offline" and reply.notice == UNSOURCED_NOTICE
    assert "5000元" not in reply.reply and "2000元" in reply.reply and reply.citations


def test_a_greeting_needs_no_tool(service_for: Callable[..., ChatService], server: ScriptedOpenAIServer) -> None:
    service = service_for()
    server.script(Turn(content="您好！我可以帮您查询人才政策、匹配岗位。"))
    reply = service.turn(None, "你好", "user:1")
    assert reply.engine == "llm" and reply.notice is None and reply.reply.startswith("您好")


def test_an_unrelated_question_answered_from_the_weights_is_declined(
    service_for: Callable[..., ChatService], server: ScriptedOpenAIServer
) -> None:
    service = service_for()
    server.script(Turn(content="推荐几家解放碑附近好吃的火锅：老火锅、小龙坎。"))
    reply = service.turn(None, "推荐几家解放碑附近好吃的火锅。", "user:1")
    assert reply.engine == "offline" and "小龙坎" not in reply.reply


def test_failed_tool_calls_then_nothing_said_is_answered_offline(
    service_for: Callable[..., ChatService], server: ScriptedOpenAIServer
) -> None:
    """The 1.5B model's calls failed validation and it then answered nothing (bench_llm c05, c16)."""
    service = service_for()
    server.script(Turn(tool_calls=[("search_policies", {"question": ""})]), Turn(content=""))
    reply = service.turn(None, QUESTION, "user:1")
    assert reply.engine == "offline" and reply.notice == UNSOURCED_NOTICE and "2000元" in reply.reply
