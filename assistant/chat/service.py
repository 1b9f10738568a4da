"""ChatService: one conversation turn at a time per session, over the LLM engine when configured, else offline."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import PurePath
from typing import Literal, Protocol

from assistant.chat import compose
from assistant.chat.llm import build_llm_engine
from assistant.chat.models import ChatEvent, ChatMessage, ChatReply
from assistant.chat.offline import OfflineEngine
from assistant.chat.sessions import Session, SessionStore, session_store
from assistant.config import Settings
from assistant.eligibility.service import EligibilityService
from assistant.errors import BackendUnavailableError
from assistant.insights.service import InsightService
from assistant.jobs.service import JobService
from assistant.policy.answering import clean_question
from assistant.policy.service import PolicyService
from assistant.resume.service import ResumeService
from assistant.skills.service import SkillService
from assistant.tools.base import ToolContext
from assistant.tools.models import SessionState

log = logging.getLogger(__name__)
FALLBACK_NOTICE = "大模型服务暂不可用，已切换为离线模式。"
MAX_FILENAME_CHARS = 120
MAX_PACING_S = 2.0  # a long offline reply is paced for at most this long, then sent at once


class ChatEngine(Protocol):
    """Turns a message into events: "tool" calls, "delta" text, finally exactly one "done" with the reply."""

    name: Literal["offline", "llm"]

    def stream(self, ctx: ToolContext, message: str, history: list[ChatMessage]) -> Iterator[ChatEvent]: ...


class ChatService:
    """Sessions, engines and the fallback between them; the seam the web API and the CLI share."""

    def __init__(self, settings: Settings, *, policy: PolicyService, jobs: JobService, skills: SkillService,
                 resumes: ResumeService, insights: InsightService, llm: ChatEngine | None = None,
                 store: SessionStore | None = None, eligibility: EligibilityService | None = None) -> None:
        self.settings = settings
        self.policy, self.jobs, self.skills, self.resumes, self.insights = policy, jobs, skills, resumes, insights
        self.llm = llm
        self.eligibility = eligibility
        self.offline = OfflineEngine()
        self.store: SessionStore = store or session_store(settings.data_dir, settings.chat_session_ttl_hours)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def with_engine(self, llm: ChatEngine | None) -> ChatService:
        """The same services and session store with another LLM engine (None = offline only)."""
        return ChatService(self.settings, policy=self.policy, jobs=self.jobs, skills=self.skills, resumes=self.resumes,
                           insights=self.insights, llm=llm, store=self.store, eligibility=self.eligibility)

    def tool_context(self, state: SessionState) -> ToolContext:
        """The tools' view of a turn over `state` (tests and benchmarks run tools directly with it)."""
        return ToolContext(policy=self.policy, jobs=self.jobs, skills=self.skills, resumes=self.resumes,
                           insights=self.insights, settings=self.settings, state=state, eligibility=self.eligibility)

    def turn(self, session_id: str | None, message: str, owner: str) -> ChatReply:
        """One complete turn; returns the reply (with its session id)."""
        reply = None
        for event in self.stream(session_id, message, owner):
            if event.type == "done":
                reply = event.reply
        assert reply is not None  # stream always ends with "done"
        return reply

    def stream(self, session_id: str | None, message: str, owner: str, *, paced: bool = False) -> Iterator[ChatEvent]:
        """One turn as events; the message is checked and the session opened before the first event.

        `paced` (the web chat) spaces the offline engine's sentences `chat_stream_pace_ms` apart so a reader sees
        them arrive; the LLM engine's deltas are its unchecked draft and come marked `draft`. A consumer that stops
        reading (a closed connection) ends the turn unsaved and frees the session."""
        text = clean_question(message, self.settings.max_question_chars)
        session = self.store.open(session_id, owner)
        events = self._run(session, text)
        pace_s = self.settings.chat_stream_pace_ms / 1000 if paced else 0.0
        return _paced(events, pace_s) if pace_s > 0 else events

    def _run(self, session: Session, text: str) -> Iterator[ChatEvent]:
        with self._lock(session.id):
            session = self.store.get(session.id, session.owner)  # another turn may have changed it meanwhile
            history = self.store.messages(session.id, session.owner)
            started = dt.datetime.now(dt.UTC)
            reply: ChatReply | None = None
            notice: str | None = None
            engine = self.llm or self.offline
            ctx = self._context(session)
            try:
                for event in engine.stream(ctx, text, history):
                    if event.type == "done":
                        reply = event.reply
                    elif event.type == "delta" and engine is not self.offline:
                        yield event.model_copy(update={"draft": True})
                    else:
                        yield event
            except BackendUnavailableError as exc:
                if engine is self.offline:
                    raise
                log.warning("LLM reply not used, the offline engine answers: %s", exc)
                notice = getattr(exc, "notice", FALLBACK_NOTICE)
                yield ChatEvent(type="notice", text=notice)
                ctx = self._context(session)
                for event in self.offline.stream(ctx, text, history):
                    if event.type == "done":
                        reply = event.reply
                    else:
                        yield event
            if reply is None:
                raise BackendUnavailableError("对话引擎没有给出回复，请重试。")
            reply = reply.model_copy(update={"session_id": session.id, "notice": notice or reply.notice})
            session.state = ctx.state
            finished = dt.datetime.now(dt.UTC)
            self.store.save(session, [
                ChatMessage(role="user", content=text, created=started),
                ChatMessage(role="assistant", content=reply.reply, created=finished, citations=reply.citations,
                            tool_calls=reply.tool_calls, results=reply.results),
            ])
            yield ChatEvent(type="done", reply=reply)

    def _context(self, session: Session) -> ToolContext:
        """The tools' view of one turn: the services and a copy of the session's state (saved after the turn)."""
        return self.tool_context(session.state.model_copy(deep=True))

    def start(self, owner: str, history: list[ChatMessage]) -> str:
        """A new session of `owner` that already holds `history` (for clients that keep the conversation themselves,
        such as the OpenAI-compatible API); returns its id. The engines read it as earlier turns."""
        session = self.store.create(owner)
        if history:
            self.store.save(session, history)
        return session.id

    def attach_resume(self, session_id: str | None, owner: str, data: bytes, filename: str) -> str:
        """Parse an uploaded résumé into the session (a new one when no id is given); returns the session id."""
        return self.upload_resume(session_id, owner, data, filename)[0]

    def upload_resume(self, session_id: str | None, owner: str, data: bytes, filename: str,
                      target: str | None = None) -> tuple[str, str]:
        """Like `attach_resume`, also returning the summary the chat shows; `target` (a saved profile's target job)
        becomes the session's target job unless the session already has one."""
        name = PurePath((filename or "resume.txt").replace("\\", "/")).name[:MAX_FILENAME_CHARS] or "resume.txt"
        document = self.resumes.read(data, name)  # read once, as of the configured date; format from the content
        parsed, fields = document.parsed, document.fields
        summary = compose.upload_text(name, len(parsed.lines), fields.highest_degree,
                                      [skill.name for skill in fields.skills], parsed.warnings)
        session = self.store.open(session_id, owner)
        with self._lock(session.id):
            session = self.store.get(session.id, owner)
            session.state = session.state.model_copy(update={
                "resume": parsed, "resume_fields": fields, "resume_filename": name,
                "resume_id": hashlib.sha1(data).hexdigest(),
                "target_job": session.state.target_job or target or None,
            })
            now = dt.datetime.now(dt.UTC)
            self.store.save(session, [ChatMessage(role="assistant", content=summary, created=now)])
        return session.id, summary

    def history(self, session_id: str, owner: str) -> list[ChatMessage]:
        """The owner's session messages, oldest first."""
        return self.store.messages(session_id, owner)

    def state(self, session_id: str, owner: str) -> Session:
        """The owner's session with its state (for the CLI's /json)."""
        return self.store.get(session_id, owner)

    def delete(self, session_id: str, owner: str) -> None:
        """Delete the owner's session."""
        self.store.delete(session_id, owner)
        with self._locks_guard:
            self._locks.pop(session_id, None)

    def _lock(self, session_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(session_id, threading.Lock())


def _paced(events: Iterator[ChatEvent], pace_s: float) -> Iterator[ChatEvent]:
    """`events` with final (not draft) deltas at least `pace_s` apart, for at most MAX_PACING_S in all."""
    budget = MAX_PACING_S
    last: float | None = None
    try:
        for event in events:
            if event.type == "delta" and not event.draft:
                now = time.monotonic()
                wait = 0.0 if last is None else min(pace_s - (now - last), budget)
                if wait > 0:
                    time.sleep(wait)
                    budget -= wait
                last = time.monotonic()
            yield event
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()  # a reader that left ends the turn now (its lock released), not when garbage is collected


def build_chat_service(settings: Settings, *, policy: PolicyService, jobs: JobService, skills: SkillService,
                       resumes: ResumeService, insights: InsightService,
                       store: SessionStore | None = None,
                       eligibility: EligibilityService | None = None) -> ChatService:
    """The chat service over these services: with the LLM engine when one is configured."""
    llm: ChatEngine | None = None
    try:
        llm = build_llm_engine(settings)
    except BackendUnavailableError as exc:  # a misconfigured provider must not take the chat down
        log.warning("LLM engine not available, using the offline engine: %s", exc)
    return ChatService(settings, policy=policy, jobs=jobs, skills=skills, resumes=resumes, insights=insights, llm=llm,
                       store=store, eligibility=eligibility)
