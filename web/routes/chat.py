"""The chat HTTP API: a turn as JSON or as server-sent events, résumé upload, history and deletion of a session."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import iterate_in_threadpool

from assistant.chat.models import ChatEvent, ChatMessage, ChatReply
from assistant.chat.service import ChatService
from assistant.errors import AssistantError
from assistant.market.service import TalentMarket
from web.deps import ChatDep, MarketDep
from web.errors import HTTP_CODES
from web.security import WebError, verify_csrf

log = logging.getLogger(__name__)
router = APIRouter(tags=["对话"])
OWNER_COOKIE = "ta_chat"
_ERROR_CODES = {"SessionNotFoundError": "session_not_found", "InvalidInputError": "invalid_input",
                "DocumentLoadError": "document_unreadable", "IndexNotReadyError": "index_not_ready",
                "BackendUnavailableError": "backend_unavailable"}
Csrf = Depends(verify_csrf)


class ChatRequest(BaseModel):
    """One user message, in a session or starting a new one."""

    session_id: str | None = Field(default=None, max_length=64, description="上一轮返回的会话编号；为空则开始新对话")
    message: str = Field(
        description="用户消息", examples=["我是机械专业硕士，想做新能源汽车电池研发，有什么岗位和政策？"]
    )


class ResumeUploaded(BaseModel):
    """The session the résumé now belongs to, and what the chat read from it."""

    session_id: str
    summary: str


Service = ChatDep


def _owner(request: Request) -> tuple[str, str | None]:
    """The owner string of this caller, and a new anonymous token to set as cookie (None when not needed)."""
    user = getattr(request.state, "user", None)
    if user is not None:
        return f"user:{user.id}", None
    token = request.cookies.get(OWNER_COOKIE)
    if token and 16 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum():
        return f"anon:{token}", None
    token = secrets.token_urlsafe(24)
    return f"anon:{token}", token


def _remember(response: Response, token: str | None) -> None:
    if token is not None:
        response.set_cookie(OWNER_COOKIE, token, httponly=True, samesite="lax", max_age=90 * 24 * 3600)


def _error_payload(exc: AssistantError) -> dict[str, str]:
    return {"error": _ERROR_CODES.get(type(exc).__name__, "error"), "detail": str(exc)}


def _fail(exc: AssistantError, token: str | None) -> JSONResponse:
    response = JSONResponse(status_code=exc.http_status, content=_error_payload(exc))
    _remember(response, token)
    return response


@router.post("/api/chat", summary="对话一轮（完整回复）", response_model=ChatReply, dependencies=[Csrf])
def chat(request: Request, body: ChatRequest, service: Service, market: MarketDep) -> Response:
    """Answer one message; the reply carries the session id to send with the next message."""
    owner, token = _owner(request)
    try:
        session_id = _with_saved_resume(request, service, market, body.session_id, owner)
        reply = service.turn(session_id, body.message, owner)
    except AssistantError as exc:
        return _fail(exc, token)
    response = JSONResponse(reply.model_dump(mode="json"))
    _remember(response, token)
    return response


@router.post("/api/chat/stream", summary="对话一轮（SSE 流式）", dependencies=[Csrf],
             responses={200: {"content": {"text/event-stream": {}},
                              "description": "事件 tool / delta {text, draft} / notice {text} / done（完整回复）；"
                                             "draft=true 为大模型未经核对的草稿，以 done 中核对后的回复替换"}})
def chat_stream(request: Request, body: ChatRequest, service: Service, market: MarketDep) -> Response:
    """Stream one turn as server-sent events; bad input and unknown sessions fail before the stream starts."""
    owner, token = _owner(request)
    try:
        session_id = _with_saved_resume(request, service, market, body.session_id, owner)
        events = service.stream(session_id, body.message, owner, paced=True)
    except AssistantError as exc:
        return _fail(exc, token)
    response = EventSourceResponse(_closing(_sse(events)), ping=15)
    _remember(response, token)
    return response


def _with_saved_resume(request: Request, service: ChatService, market: TalentMarket, session_id: str | None,
                       owner: str) -> str | None:
    """A logged-in talent's session without a résumé gets their saved one and saved target (as /resume uses them);
    returns the session id to continue (a new session when none was given)."""
    user = getattr(request.state, "user", None)
    if user is None or user.role != "talent":
        return session_id
    if session_id is not None and service.state(session_id, owner).state.resume is not None:
        return session_id
    saved = market.saved_resume(user.id)
    if saved is None:
        return session_id
    data, filename = saved
    return service.upload_resume(session_id, owner, data, filename, target=market.saved_target(user.id))[0]


async def _closing(events: Iterator[ServerSentEvent]) -> AsyncIterator[ServerSentEvent]:
    """`events` read in the thread pool and closed as soon as the stream ends, also when the client leaves midway.
    Without the explicit close an abandoned turn is only finalised by the garbage collector (the cancellation's
    traceback keeps it in a reference cycle), and until then it holds its session's lock: the user's next message
    in that conversation would wait."""
    try:
        async for event in iterate_in_threadpool(events):  # the pool's thread has finished when this is cancelled
            yield event
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()


def _sse(events: Iterator[ChatEvent]) -> Iterator[ServerSentEvent]:
    """The turn's events; whatever fails midway (a domain error or anything unexpected) ends the stream with an
    `error` event `{"error", "detail"}`, so the client always learns why it stopped."""
    try:
        for event in events:
            if event.type == "tool" and event.tool_call is not None:
                data = event.tool_call.model_dump(mode="json")
            elif event.type == "done" and event.reply is not None:
                data = event.reply.model_dump(mode="json")
            elif event.type == "delta":
                data = {"text": event.text, "draft": event.draft}
            else:
                data = {"text": event.text}
            text = json.dumps(data, ensure_ascii=False)
            text.encode("utf-8")  # fail here, inside the try, rather than in the server's encoder
            yield ServerSentEvent(data=text, event=event.type)
    except AssistantError as exc:
        yield ServerSentEvent(data=json.dumps(_error_payload(exc), ensure_ascii=False), event="error")
    except Exception:  # the response has started: report in-band (logged; the client gets a generic message)
        log.exception("chat stream failed midway")
        payload = {"error": HTTP_CODES[500][0], "detail": HTTP_CODES[500][1]}
        yield ServerSentEvent(data=json.dumps(payload, ensure_ascii=False), event="error")
    finally:  # a client that left: end the turn (unsaved) and free its session now
        close = getattr(events, "close", None)
        if close is not None:
            close()


@router.post("/api/chat/resume", summary="上传简历到会话", response_model=ResumeUploaded, dependencies=[Csrf])
def upload_resume(
    request: Request,
    service: Service,
    file: Annotated[UploadFile, File(description="简历：PDF、DOCX、TXT 或 Markdown（按内容识别格式）")],
    session_id: Annotated[str | None, Form(max_length=64)] = None,
) -> Response:
    """Attach a résumé to the session (a new one when none is given); the chat can then review and match it."""
    owner, token = _owner(request)
    limit = service.settings.resume_max_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise WebError(413, "resume_too_large", f"简历文件太大，上限为 {limit / 1024 / 1024:.0f} MB。")
    try:
        sid, summary = service.upload_resume(session_id or None, owner, data, file.filename or "resume")
    except AssistantError as exc:
        return _fail(exc, token)
    response = JSONResponse(ResumeUploaded(session_id=sid, summary=summary).model_dump())
    _remember(response, token)
    return response


@router.get("/api/chat/{session_id}", summary="会话消息", response_model=list[ChatMessage])
def history(request: Request, session_id: str, service: Service) -> Response:
    """The session's messages, oldest first; 404 for an unknown, expired or someone else's session."""
    owner, token = _owner(request)
    try:
        messages = service.history(session_id, owner)
    except AssistantError as exc:
        return _fail(exc, token)
    return JSONResponse([m.model_dump(mode="json") for m in messages])


@router.delete("/api/chat/{session_id}", summary="删除会话", status_code=204, dependencies=[Csrf])
def delete(request: Request, session_id: str, service: Service) -> Response:
    """Delete the session and its messages; 404 when it is not the caller's."""
    owner, token = _owner(request)
    try:
        service.delete(session_id, owner)
    except AssistantError as exc:
        return _fail(exc, token)
    return Response(status_code=204)
