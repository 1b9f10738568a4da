"""`create_app` builds the FastAPI application around an `Assistant`; routes stay thin."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant import __version__
from assistant.answering import Answer
from assistant.errors import AssistantError
from assistant.retrieval.search import SearchFilters
from assistant.service import Assistant, SearchHitOut


class AskRequest(BaseModel):
    """A question, with optional metadata filters."""

    question: str = Field(description="想咨询的问题（中文或英文）", examples=["博士后留渝率是多少？"])
    filters: SearchFilters | None = Field(default=None, description="可选：按类型、地区、人群、是否有效过滤")
    history: list[str] = Field(default_factory=list, description="可选：此前的提问，用于理解“那博士呢？”这类追问")


class SearchRequest(BaseModel):
    """A search query."""

    query: str = Field(description="检索内容", examples=["卓越工程师 6+5+4"])
    top_k: int = Field(default=5, ge=1, le=50, description="返回段落数")
    filters: SearchFilters | None = None


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant


AssistantDep = Annotated[Assistant, Depends(get_assistant)]


def create_app(assistant: Assistant) -> FastAPI:
    """The application; the assistant is built by the caller (CLI `serve`, tests)."""
    app = FastAPI(
        title="人才 AI 管家 API",
        version=__version__,
        description="重庆人才政策、人才活动与项目申报的检索和带引用的问答。",
    )
    app.state.assistant = assistant

    @app.exception_handler(AssistantError)
    async def domain_error(_: Request, exc: AssistantError) -> JSONResponse:
        return JSONResponse(status_code=exc.http_status, content={"error": type(exc).__name__, "detail": str(exc)})

    @app.get("/health", summary="服务与索引状态")
    def health(assistant: AssistantDep) -> dict[str, object]:
        return {"status": "ok", **assistant.status()}

    @app.post("/api/ask", summary="带引用的政策问答", response_model=Answer)
    def ask(body: AskRequest, assistant: AssistantDep) -> Answer:
        return assistant.ask(body.question, body.filters, body.history)

    @app.post("/api/search", summary="混合检索", response_model=list[SearchHitOut])
    def search(body: SearchRequest, assistant: AssistantDep) -> list[SearchHitOut]:
        return assistant.search(body.query, body.top_k, body.filters)

    return app
