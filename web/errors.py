"""Every error as JSON `{"error": code, "detail": 中文}` for APIs or a friendly Chinese page: never a stack trace."""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

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
