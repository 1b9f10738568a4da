"""Every error as JSON `{"error": code, "detail": 中文}` for APIs or a friendly Chinese page: never a stack trace."""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.errors import AssistantError
from web.auth import LoginRequired, wants_json
from web.templating import render

log = logging.getLogger(__name__)

DOMAIN_CODES: dict[str, str] = {
    "InvalidInputError": "invalid_input",
    "DocumentLoadError": "document_unreadable",
    "IndexNotReadyError": "index_not_ready",
    "IndexBusyError": "index_busy",
    "BackendUnavailableError": "backend_unavailable",
}
HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "请求格式不正确。"),
    401: ("login_required", "请先登录。"),
    403: ("forbidden", "您没有权限访问此页面。"),
    404: ("not_found", "您访问的页面或资源不存在。"),
    405: ("method_not_allowed", "不支持该请求方式。"),
    409: ("conflict", "操作与当前状态冲突，请刷新后重试。"),
    413: ("payload_too_large", "请求内容过大。"),
    415: ("unsupported_media_type", "不支持该文件或内容类型。"),
    422: ("invalid_input", "提交的内容不符合要求。"),
    429: ("rate_limited", "请求过于频繁，请稍后再试。"),
    500: ("internal_error", "服务器内部错误，请稍后再试。"),
    503: ("unavailable", "服务暂时不可用，请稍后再试。"),
}
TITLES: dict[int, str] = {401: "需要登录", 403: "无权访问", 404: "页面不存在", 405: "请求方式不支持",
                          413: "内容过大", 422: "内容不符合要求", 429: "请求过于频繁", 500: "服务器出错了",
                          503: "服务暂不可用"}
VALIDATION_WORDS: dict[str, str] = {"missing": "缺少必填项", "string_too_short": "内容太短",
                                    "string_too_long": "内容太长", "too_short": "条目太少", "too_long": "条目太多",
                                    "greater_than_equal": "数值太小", "less_than_equal": "数值太大",
                                    "json_invalid": "不是有效的 JSON", "literal_error": "取值不在允许范围内"}


INVALID_UNICODE = ("invalid_unicode", "请求中含有无效的 Unicode 字符（如孤立的代理项 \\ud800 或非 UTF-8 字节），"
                   "请使用 UTF-8 编码的正常文本后重试。")


class ErrorBody(BaseModel):
    """Every error the API returns: a stable code and one Chinese sentence (4xx and 5xx alike, 422 included)."""

    error: str = Field(description="稳定的错误代码，如 invalid_input、login_required、rate_limited",
                       examples=["invalid_input"])
    detail: str = Field(description="给用户看的中文说明", examples=["提交的内容不符合要求（question：缺少必填项）。"])


# Declared on the app for every operation (FastAPI `responses=`), so the schema shows the body really returned,
# 422 included (FastAPI's own HTTPValidationError is never sent: `invalid_request` below answers instead).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": f"{TITLES.get(status, default)}（error={code}）"}
    for status, (code, default) in HTTP_CODES.items()
}
ERROR_RESPONSES[400]["description"] = ("请求格式不正确（error=bad_request），"
                                      "或含有无效的 Unicode（error=invalid_unicode）")
ERROR_RESPONSES[403]["description"] = "没有权限（error=forbidden），或 CSRF 校验失败（error=csrf_failed）"
ERROR_RESPONSES[422]["description"] = "提交的内容不符合要求（error=invalid_input 等，detail 列出出错的字段）"


def domain_code(exc: AssistantError) -> str:
    """The stable code of a domain error: a known name, else the class name in snake_case."""
    name = type(exc).__name__
    return DOMAIN_CODES.get(name) or re.sub(r"(?<!^)(?=[A-Z])", "_", name.removesuffix("Error")).lower() or "error"


def error_response(request: Request, status: int, code: str, detail: str) -> Response:
    """JSON for API routes, an HTML page otherwise."""
    if wants_json(request):
        return JSONResponse(status_code=status, content={"error": code, "detail": detail})

    try:
        return render(request, "error.html", status_code=status, status=status,
                      heading=TITLES.get(status, "出错了"), detail=detail)
    except Exception:  # a broken template must not turn an error page into a stack trace
        log.exception("error page failed")
        return Response(f"<!doctype html><meta charset=utf-8><title>出错了</title><p>{status}：出错了。</p>",
                        status_code=status, media_type="text/html")


def validation_detail(exc: RequestValidationError) -> str:
    """One Chinese sentence naming the fields that failed."""
    parts = []
    for error in exc.errors()[:5]:
        field = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form"))
        word = VALIDATION_WORDS.get(str(error.get("type")), "格式不正确")
        parts.append(f"{field or '请求体'}：{word}")
    return "提交的内容不符合要求（" + "；".join(parts) + "）。"


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors, HTTP errors, validation errors and anything unexpected to friendly responses."""

    @app.exception_handler(AssistantError)
    async def domain_error(request: Request, exc: AssistantError) -> Response:
        return error_response(request, exc.http_status, domain_code(exc), str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code, default = HTTP_CODES.get(exc.status_code, ("http_error", "请求无法完成。"))
        code = getattr(exc, "code", code)
        # Framework messages ("Not Found") are English; ours are Chinese and shown as they are.
        detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else default
        response = error_response(request, exc.status_code, code, detail)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, "invalid_input", validation_detail(exc))

    @app.exception_handler(LoginRequired)
    async def login_required(_: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={exc.next_url}", status_code=303)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(request, 500, "internal_error", HTTP_CODES[500][1])


class CatchAllMiddleware:
    """Answers an unexpected exception with the friendly 500 and *returns*, so the connection stays usable.

    Starlette's outermost ServerErrorMiddleware sends the 500 and then re-raises; uvicorn, seeing an exception after
    the response started, closes the connection, and the client's next keep-alive request is reset. This sits just
    outside the routes (inside the session and security middleware, so the 500 carries their headers). When the
    response had already started (a stream failing midway) the exception is re-raised: closing is then the only
    honest way to signal a cut-off body.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            request = Request(scope)
            log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
            await error_response(request, 500, "internal_error", HTTP_CODES[500][1])(scope, receive, send)


_SURROGATE_ESCAPE_RE = re.compile(rb"\\u[dD][89a-fA-F]")


def unicode_problem(body: bytes, content_type: str) -> bool:
    """Whether a request body the app will parse carries invalid Unicode: bytes that are not UTF-8 (including
    UTF-8-encoded surrogates), a JSON string with a lone surrogate escape, or a form field whose %-escapes are."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        return not _utf8(unquote_to_bytes(body.replace(b"+", b" ")))
    if media and media != "application/json" and not media.endswith("+json"):
        return False  # multipart and other bodies: files are bytes; Starlette decodes their text fields safely
    if not _utf8(body):
        return True
    if not _SURROGATE_ESCAPE_RE.search(body):
        return False  # the common case: no \\ud800-style escape at all
    try:
        parsed = json.loads(body)
    except ValueError:
        return False  # not JSON: the route answers its own 422
    try:
        json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True  # a paired escape (an emoji) encodes; a lone one does not
    return False


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class UnicodeGuardMiddleware:
    """400 `invalid_unicode` for a query string, JSON body or form body that is not valid Unicode, before any route
    sees it (a lone surrogate used to reach the encoder, SQLite or the JSON encoder and end as a 500 or a cut-off
    stream). The body is read here (the body limit outside still applies) and replayed to the route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not _utf8(unquote_to_bytes(scope.get("query_string", b"").replace(b"+", b" "))):
            await self._reject(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        if scope["method"] in ("GET", "HEAD", "OPTIONS") or content_type.lower().startswith("multipart/"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        try:
            while True:
                message = await receive()
                if message["type"] != "http.request":  # the client went away
                    await self.app(scope, _replay([message], receive), send)
                    return
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        except StarletteHTTPException as exc:  # the body limit, raised by the receive outside
            code, default = HTTP_CODES.get(exc.status_code, ("http_error", "请求无法完成。"))
            detail = exc.detail if isinstance(exc.detail, str) else default
            await error_response(Request(scope), exc.status_code, getattr(exc, "code", code), detail)(
                scope, receive, send)
            return
        body = b"".join(chunks)
        if unicode_problem(body, content_type):
            await self._reject(scope, receive, send)
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)

    @staticmethod
    async def _reject(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        log.info("invalid Unicode in %s %s", request.method, request.url.path)
        await error_response(request, 400, *INVALID_UNICODE)(scope, receive, send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
