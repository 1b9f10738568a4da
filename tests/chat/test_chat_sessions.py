"""Sessions: persisted across restarts, private to their owner, deletable, expiring; fallback from a failing LLM."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from sqlalchemy import text

from assistant.app import build_app
from assistant.chat.models import ChatEvent, ChatMessage, ChatReply
from assistant.chat.service import FALLBACK_NOTICE, ChatService
from assistant.chat.sessions import SessionNotFoundError
from assistant.config import Settings
from assistant.errors import BackendUnavailableError, InvalidInputError
from assistant.policy.service import PolicyService
from assistant.tools.models import ToolCall
from assistant.tools.registry import ToolContext, run_tool


def test_a_conversation_survives_a_restart(chat_assistant: PolicyService, chat_settings: Settings,
                                           resume_file: Path) -> None:
    first = build_app(chat_settings, policy=chat_assistant).chat
    session_id, _ = first.upload_resume(None, "user:7", resume_file.read_bytes(), "cv.txt")
    listed = first.turn(session_id, "我想找电池系统工程师的工作", "user:7")
    first.store.close()
    second = build_app(chat_settings, policy=chat_assistant).chat  # a new process on the same data directory
    history = second.history(session_id, "user:7")
    assert [m.role for m in history] == ["assistant", "user", "assistant"]
    assert history[-1].content == listed.reply and history[-1].tool_calls[0].tool == "match_jobs"
    detail = second.turn(session_id, "第二个岗位的薪资是多少？", "user:7")  # state (last jobs) came back too
    assert listed.results[0].output["jobs"][1]["title"] in detail.reply
    review = second.turn(session_id, "帮我看看简历", "user:7")  # and so did the résumé
    assert review.results[0].output["filename"] == "cv.txt"
    second.store.close()


def test_another_owner_never_sees_a_session(chat_service: ChatService, resume_file: Path) -> None:
    reply = chat_service.turn(None, "博士研究生租房补贴每月多少钱？", "user:1")
    sid = reply.session_id
    for attempt in (
        lambda: chat_service.history(sid, "user:2"),
        lambda: chat_service.turn(sid, "那硕士呢？", "anon:someone"),
        lambda: chat_service.delete(sid, "user:2"),
        lambda: chat_service.upload_resume(sid, "user:2", resume_file.read_bytes(), "cv.txt"),
    ):
        with pytest.raises(SessionNotFoundError) as caught:
            attempt()
        assert caught.value.http_status == 404 and "不存在" in str(caught.value)
    assert len(chat_service.history(sid, "user:1")) == 2  # untouched


def test_tools_reach_only_the_context_they_are_given(chat_service: ChatService, chat_assistant: PolicyService,
                                                    resume_file: Path) -> None:
    chat_service.upload_resume(None, "user:1", resume_file.read_bytes(), "cv.txt")
    other = chat_service.store.create("user:2")
    ctx = chat_service.tool_context(other.state)
    result = chat_service.offline.stream(ctx, "帮我看看简历", [])
    done = [e for e in result if e.type == "done"][0]
    assert "请先上传简历" in done.reply.reply  # type: ignore[union-attr]
    for smuggled in ({"target_job": "x", "path": "/etc/passwd"}, {"session_id": "abc"}):
        with pytest.raises(InvalidInputError, match="参数无效"):
            run_tool(ctx, ToolCall(tool="review_resume", input=smuggled))


def test_delete_removes_the_session_and_its_messages(chat_service: ChatService) -> None:
    sid = chat_service.turn(None, "你好", "user:1").session_id
    chat_service.delete(sid, "user:1")
    with pytest.raises(SessionNotFoundError):
        chat_service.history(sid, "user:1")
    with chat_service.store.db.begin() as db:
        left = db.execute(text("SELECT COUNT(*) FROM chat_messages WHERE session_id = :sid"), {"sid": sid}).scalar()
    assert left == 0


def test_idle_sessions_expire(chat_service: ChatService) -> None:
    old = chat_service.turn(None, "你好", "user:1").session_id
    fresh = chat_service.turn(None, "你好", "user:1").session_id
    with chat_service.store.db.begin() as db:  # last message 73 hours ago (ttl 72 h)
        db.execute(text("UPDATE chat_sessions SET updated = :t WHERE id = :sid"), {"t": time.time() - 73 * 3600,
                                                                                  "sid": old})
    with pytest.raises(SessionNotFoundError):
        chat_service.turn(old, "那硕士呢？", "user:1")
    assert chat_service.store.purge_expired() == 1
    assert len(chat_service.history(fresh, "user:1")) == 2


def test_concurrent_turns_on_one_session_are_all_kept(chat_service: ChatService) -> None:
    sid = chat_service.turn(None, "你好", "user:1").session_id
    errors: list[Exception] = []

    def talk(n: int) -> None:
        try:
            chat_service.turn(sid, f"博士研究生租房补贴每月多少钱？第{n}次", "user:1")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=talk, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(chat_service.history(sid, "user:1")) == 2 + 12


class FailingEngine:
    """An LLM engine whose provider is down: before any text, or after some deltas."""

    name: Literal["offline", "llm"] = "llm"

    def __init__(self, after_deltas: int) -> None:
        self.after_deltas = after_deltas

    def stream(self, ctx: ToolContext, message: str, history: list[ChatMessage]) -> Iterator[ChatEvent]:
        ctx.state.target_job = "被回滚的状态"  # a failed engine's state changes must not be kept
        for _ in range(self.after_deltas):
            yield ChatEvent(type="delta", text="部分")
        raise BackendUnavailableError("连接被拒绝")


class WorkingEngine:
    """An LLM engine that answers with a fixed reply."""

    name: Literal["offline", "llm"] = "llm"

    def stream(self, ctx: ToolContext, message: str, history: list[ChatMessage]) -> Iterator[ChatEvent]:
        yield ChatEvent(type="delta", text="你好。")
        yield ChatEvent(type="done", reply=ChatReply(session_id="", reply="你好。", engine="llm"))


@pytest.mark.parametrize("after_deltas", [0, 2])
def test_a_failing_llm_falls_back_to_offline_with_a_notice(chat_assistant: PolicyService, chat_settings: Settings,
                                                           after_deltas: int) -> None:
    service = build_app(chat_settings, policy=chat_assistant).chat.with_engine(FailingEngine(after_deltas))
    events = list(service.stream(None, "博士研究生租房补贴每月多少钱？", "user:1"))
    kinds = [e.type for e in events]
    assert kinds.count("notice") == 1 and kinds[-1] == "done"
    assert events[kinds.index("notice")].text == FALLBACK_NOTICE
    reply = events[-1].reply
    assert reply is not None and reply.engine == "offline" and reply.notice == FALLBACK_NOTICE
    assert "2000元" in reply.reply
    assert service.store.get(reply.session_id, "user:1").state.target_job is None
    service.store.close()


def test_the_llm_engine_is_used_when_it_works(chat_assistant: PolicyService, chat_settings: Settings) -> None:
    service = build_app(chat_settings, policy=chat_assistant).chat.with_engine(WorkingEngine())
    reply = service.turn(None, "你好", "user:1")
    assert reply.engine == "llm" and reply.notice is None and reply.session_id
    service.store.close()


def test_build_chat_service_is_offline_without_a_provider(
    chat_assistant: PolicyService, chat_settings: Settings
) -> None:
    service = build_app(chat_settings, policy=chat_assistant).chat
    assert service.llm is None and service.turn(None, "你好", "user:1").engine == "offline"
    service.store.close()


def test_no_tool_input_can_name_a_file_a_session_or_a_user() -> None:
    from assistant.tools.registry import TOOLS

    forbidden = {"path", "file", "filename", "session_id", "session", "user", "user_id", "owner"}
    for tool in TOOLS.values():
        fields = set(tool.input_model.model_fields)
        assert not fields & forbidden, tool.name
        assert tool.input_model.model_config.get("extra") == "forbid", tool.name
