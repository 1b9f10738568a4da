"""`create_app` builds the FastAPI application around an `PolicyService`; routes stay thin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field
from starlette.middleware.sessions import SessionMiddleware

from assistant import __version__
from assistant.accounts import secret_key
from assistant.app import App
from assistant.labels import ai_generated_field, ai_label_field
from assistant.policy.answering import Answer
from assistant.policy.service import AskContext, SearchHitOut
from assistant.retrieval.search import SearchFilters
from assistant.tools.policy_search import profile_person
from web.auth import SessionUserMiddleware, current_user
from web.deps import AppDep, PolicyDep
from web.errors import (
    ERROR_RESPONSES,
    CatchAllMiddleware,
    UnicodeGuardMiddleware,
    error_response,
    install_error_handlers,
)
from web.routes import account as pages_account
from web.routes import chat as chat_api
from web.routes import chat_page as pages_chat
from web.routes import documents, insights, openai_compat
from web.routes import eligibility as eligibility_routes
from web.routes import employer as pages_employer
from web.routes import jobs as pages_jobs
from web.routes import mcp as mcp_route
from web.routes import resume as pages_resume
from web.routes import staff_pages as pages_staff
from web.security import BodyLimitMiddleware, RateLimitMiddleware, SecurityHeadersMiddleware
from web.templating import STATIC_DIR


class AskRequest(BaseModel):
    """A question, with optional metadata filters."""

    question: str = Field(description="想咨询的问题（中文或英文）", examples=["博士后留渝率是多少？"])
    filters: SearchFilters | None = Field(default=None, description="可选：按类型、地区、人群、是否有效过滤")
    history: list[str] = Field(default_factory=list, description="可选：此前的提问，用于理解“那博士呢？”这类追问")


class LabelledAnswer(Answer):
    """The `ask --json` answer with the AI-generated label fields (`ai_generated`, `ai_label`)."""

    ai_generated: bool = ai_generated_field()
    ai_label: str = ai_label_field()


class SearchRequest(BaseModel):
    """A search query."""

    query: str = Field(description="检索内容", examples=["卓越工程师 6+5+4"])
    top_k: int = Field(default=5, ge=1, le=50, description="返回段落数")
    filters: SearchFilters | None = None


def create_app(services: App) -> FastAPI:
    """The application over services built once by the caller (`assistant serve`, tests) with `build_app`."""
    settings = services.settings
    mcp_endpoint, mcp_lifespan = mcp_route.mcp_app(services)  # the MCP server at /mcp (streamable HTTP)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with mcp_lifespan():  # the MCP session manager's task group, for the app's lifetime
            yield

    app = FastAPIOffline(  # /docs and /redoc served from the package, not from a CDN
        lifespan=lifespan,
        title="人才 AI 管家 API",
        version=__version__,
        description="重庆人才政策问答、岗位匹配、简历优化与人才洞察。页面与 JSON 接口共用同一套服务；"
        "需要登录的接口可用 API 令牌（`Authorization: Bearer …`，由 `assistant tokens create` 创建）或会话 Cookie；"
        "只有带 Cookie 的修改请求需带 `X-CSRF-Token`（从 `GET /api/me` 取得），不带 Cookie 的 JSON 请求无需。"
        "出错时一律返回 `{\"error\": 代码, \"detail\": 中文说明}`。",
        responses=ERROR_RESPONSES,  # the one error body, for every operation (422 included)
    )
    app.state.services = services
    if settings.demo:
        services.accounts.ensure_demo_accounts()

    # Each add wraps the previous ones, so a request passes: security headers → rate limit → body limit →
    # signed session → user lookup → Unicode check → catch-all (an unexpected error's 500 keeps the connection) →
    # routes.
    app.add_middleware(CatchAllMiddleware)
    app.add_middleware(UnicodeGuardMiddleware)
    app.add_middleware(SessionUserMiddleware, accounts=services.accounts)
    key = settings.web_secret_key.get_secret_value() if settings.web_secret_key else secret_key(settings.data_dir)
    app.add_middleware(SessionMiddleware, secret_key=key, session_cookie="ta_session",
                       max_age=settings.web_session_max_age_s, same_site="lax", https_only=settings.web_https_only)
    app.add_middleware(BodyLimitMiddleware, body_limit=settings.web_max_body_bytes,
                       upload_limit=settings.web_max_upload_bytes, reject=error_response)
    app.add_middleware(RateLimitMiddleware, per_minute=settings.web_rate_limit_per_minute,
                       burst=settings.web_rate_limit_burst, logins_per_minute=settings.web_login_attempts_per_minute,
                       reject=error_response, database=services.database)
    app.add_middleware(SecurityHeadersMiddleware)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/health", summary="服务与索引状态", tags=["系统"])
    def health(request: Request, policy: PolicyDep) -> dict[str, object]:
        return {"status": "ok", **policy.status(), "warming_up": getattr(request.app.state, "warming_up", False)}

    @app.post("/api/ask", summary="带引用的政策问答", response_model=LabelledAnswer, tags=["政策问答"])
    def ask(request: Request, body: AskRequest, policy: PolicyDep, services: AppDep) -> LabelledAnswer:
        # A logged-in talent's saved profile is who is asking; what the question itself says is laid over it.
        user = current_user(request)
        person = (profile_person(services.eligibility, services.market, user.id)
                  if user is not None and user.role == "talent" else None)
        context = AskContext(filters=body.filters, history=body.history, person=person)
        return LabelledAnswer(**policy.trace(body.question, context).answer.model_dump())

    @app.post("/api/search", summary="混合检索", response_model=list[SearchHitOut], tags=["政策问答"])
    def search(body: SearchRequest, policy: PolicyDep) -> list[SearchHitOut]:
        return policy.search(body.query, body.top_k, body.filters)

    app.include_router(pages_account.router)
    app.include_router(pages_chat.router)
    app.include_router(chat_api.router)
    app.include_router(documents.router)
    app.include_router(insights.router)
    app.include_router(pages_staff.router)
    app.include_router(pages_resume.router)
    app.include_router(eligibility_routes.router)
    app.include_router(pages_jobs.router)
    app.include_router(pages_employer.router)
    app.include_router(openai_compat.router)
    app.router.routes.append(mcp_endpoint)
    document_html_errors(app)
    return app


def document_html_errors(app: FastAPI) -> None:
    """Operations outside /api/ (chart and catalogue downloads) may answer an error with the Chinese HTML page, and
    succeed with a file of the media type asked for: document both."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for path, operations in schema.get("paths", {}).items():
            if path.startswith(("/api/", "/v1/")) or path == "/health":
                continue
            for operation in operations.values():
                ok = operation.get("responses", {}).get("200", {})
                if ok.get("content") == {"application/json": {"schema": {}}}:
                    # A download returning a bare `Response` (CSV, XLSX, SVG …) has no JSON model to declare.
                    ok["content"] = {"*/*": {"schema": {}}}
                for status, response in operation.get("responses", {}).items():
                    if status[:1] in ("4", "5"):
                        response.setdefault("content", {})["text/html"] = {"schema": {"type": "string"}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
