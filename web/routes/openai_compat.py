"""The OpenAI-compatible API: `GET /v1/models` and `POST /v1/chat/completions` (JSON or SSE chunks), answered by the
assistant's ChatService, so Open WebUI, LobeChat, Cherry Studio and the `openai` SDK can use it as a "model".

The client keeps the conversation: each request's earlier user/assistant messages become the history of a new chat
session (the LLM engine reads them). A client that sends back the `session_id` of a reply continues that server-side
session instead, with everything it remembers (the résumé, the last jobs listed, the last policy question), so the
offline engine's follow-ups ("那博士呢？", "第二个岗位") work too. System messages are ignored: the assistant's own
rules and prompts apply. Authentication: a Bearer token or the login cookie, or none (anonymous, like /api/chat);
no CSRF token, and nothing here changes an account.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
import time
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.chat.models import ChatEvent, ChatMessage, ChatReply
from assistant.errors import AssistantError, InvalidInputError
from assistant.labels import AI_LABEL, label_fields
from assistant.policy.answering import Citation, clean_question
from web.auth import current_user
from web.deps import ChatDep
from web.errors import HTTP_CODES, domain_code
from web.security import WebError

log = logging.getLogger(__name__)
router = APIRouter(prefix="/v1", tags=["OpenAI 兼容接口"])
MODEL_ID = "talent-assistant"
MAX_MESSAGES = 200
ANONYMOUS_OWNER = "v1:anonymous"  # anonymous API sessions: the (unguessable) session id is what continues one


class ContentPart(BaseModel):
    """One part of a message's content; only text parts are read."""

    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class CompletionMessage(BaseModel):
    """An OpenAI chat message; fields the assistant does not use (name, tool_calls …) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text for part in self.content or [] if part.type == "text" and part.text)


class CompletionRequest(BaseModel):
    """An OpenAI chat-completion request; sampling options (temperature, max_tokens …) are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = Field(default=MODEL_ID, examples=[MODEL_ID])
    messages: list[CompletionMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    session_id: str | None = Field(default=None, max_length=64,
                                   description="扩展：上一轮回复的 session_id，继续服务端会话（简历、上次岗位列表等）")


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "talent-assistant"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def caller_owner(request: Request) -> str:
    """Whose chat sessions these are: the Bearer token's or the login's user, else the shared anonymous owner."""
    user = current_user(request)
    return f"user:{user.id}" if user is not None else ANONYMOUS_OWNER


@router.get("/models", summary="可用模型（OpenAI 兼容）", response_model=ModelList)
def models() -> ModelList:
    """One model, `talent-assistant`: the LLM engine when one is configured, else the offline engine."""
    return ModelList(data=[ModelCard(id=MODEL_ID, created=int(time.time()))])


@router.post("/chat/completions", summary="对话补全（OpenAI 兼容，支持 stream）",
             responses={200: {"content": {"text/event-stream": {}},
                              "description": "stream=false：chat.completion；stream=true：chat.completion.chunk 事件，"
                                             "以 data: [DONE] 结束"}})
def chat_completions(request: Request, body: CompletionRequest, service: ChatDep) -> Response:
    """Answer the last user message; the reply's text carries the `[n]` markers, a 参考来源 list and the AI label,
    and the message also has `citations`, `ai_generated` and `ai_label` (extension fields)."""
    if body.model != MODEL_ID:
        raise WebError(404, "model_not_found", f"没有名为「{body.model[:60]}」的模型；可用模型：{MODEL_ID}。")
    last = body.messages[-1]
    if last.role != "user" or not last.text().strip():
        raise WebError(422, "invalid_input", "最后一条消息须是用户（role=user）的文字消息。")
    owner = caller_owner(request)
    created = int(time.time())
    completion_id = "chatcmpl-" + secrets.token_hex(12)
    try:
        clean_question(last.text(), service.settings.max_question_chars)  # before a session is opened for it
        session_id = body.session_id or service.start(owner, _history(body.messages[:-1]))
        events = service.stream(session_id, last.text(), owner)
    except AssistantError as exc:
        raise WebError(exc.http_status, domain_code(exc), str(exc)) from exc
    if body.stream:
        chunks = _chunks(events, completion_id, created, buffer=service.llm is not None)
        return StreamingResponse(chunks, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    try:
        reply = _final(events)
    except AssistantError as exc:
        raise WebError(exc.http_status, domain_code(exc), str(exc)) from exc
    return JSONResponse(_completion(reply, completion_id, created))


def _history(messages: list[CompletionMessage]) -> list[ChatMessage]:
    now = dt.datetime.now(dt.UTC)
    history = []
    for message in messages:
        text = message.text().strip()
        if message.role in ("user", "assistant") and text:
            history.append(ChatMessage(role=message.role, content=text, created=now))
    return history


def _final(events: Iterator[ChatEvent]) -> ChatReply:
    for event in events:
        if event.type == "done" and event.reply is not None:
            return event.reply
    raise InvalidInputError("对话引擎没有给出回复，请重试。")


def sources_text(citations: list[Citation]) -> str:
    """The 参考来源 list a plain client shows below the answer: `[n] 《title》（doc_id）`."""
    if not citations:
        return ""
    lines = [f"[{c.n}] 《{c.title}》（{c.doc_id}）" for c in citations]
    return "\n\n参考来源：\n" + "\n".join(lines)


def _tail(reply: ChatReply) -> str:
    # The offline engine's policy text already ends with "出处：[n]《…》" (as the chat page knows too).
    sources = "" if re.search(r"出处[：:]", reply.reply) else sources_text(reply.citations)
    return sources + f"\n\n{AI_LABEL}"


def _extensions(reply: ChatReply) -> dict[str, Any]:
    citations = [c.model_dump(mode="json") for c in reply.citations]
    return {"session_id": reply.session_id, "x_engine": reply.engine, "x_notice": reply.notice,
            "x_citations": citations, **label_fields()}


def _completion(reply: ChatReply, completion_id: str, created: int) -> dict[str, Any]:
    content = (f"（{reply.notice}）\n\n" if reply.notice else "") + reply.reply + _tail(reply)
    message = {"role": "assistant", "content": content,
               "citations": [c.model_dump(mode="json") for c in reply.citations], **label_fields()}
    return {"id": completion_id, "object": "chat.completion", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
            **_extensions(reply)}


def _chunk(completion_id: str, created: int, delta: dict[str, Any], finish: str | None = None,
           **extra: Any) -> str:
    data = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def _chunks(events: Iterator[ChatEvent], completion_id: str, created: int, *, buffer: bool) -> Iterator[str]:
    """The turn as OpenAI chunks. The offline engine's deltas are its reply, streamed as they come; the LLM engine's
    raw tokens are not (its reply is checked against the passages afterwards), so its checked reply is sent whole.
    Whatever fails midway ends the stream with an `error` chunk, then `[DONE]`."""
    yield _chunk(completion_id, created, {"role": "assistant", "content": ""})
    try:
        for event in events:
            if event.type == "delta" and event.text and not buffer:
                yield _chunk(completion_id, created, {"content": event.text})
            elif event.type == "notice" and event.text:
                buffer = False  # the offline engine takes over and streams its own reply
                yield _chunk(completion_id, created, {"content": f"（{event.text}）\n\n"})
            elif event.type == "done" and event.reply is not None:
                reply = event.reply
                text = (reply.reply if buffer else "") + _tail(reply)
                yield _chunk(completion_id, created, {"content": text})
                yield _chunk(completion_id, created, {}, "stop", citations=_extensions(reply)["x_citations"],
                             **_extensions(reply))
    except AssistantError as exc:
        yield f"data: {json.dumps({'error': {'message': str(exc), 'type': domain_code(exc)}}, ensure_ascii=False)}\n\n"
    except Exception:  # the response has started: report in-band (logged; the client gets a generic message)
        log.exception("OpenAI-compatible stream failed midway")
        code, detail = HTTP_CODES[500]
        yield f"data: {json.dumps({'error': {'message': detail, 'type': code}}, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"

