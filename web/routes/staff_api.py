"""The staff JSON API (`/api/staff/*`): the same operations as the /staff pages, for scripts and the page's JS."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError
from pydantic_core import ErrorDetails

from assistant.retrieval.documents import Chunk
from assistant.retrieval.search import SearchFilters
from assistant.staff.corpus import (
    UPLOAD_MAX_BYTES,
    DocumentRow,
    IngestSummary,
    UploadMeta,
    UploadRejectedError,
    UploadResult,
    add_document,
    document_chunks,
    list_documents,
    reingest,
)
from assistant.staff.evaluation_runs import EvalChoice, EvalProgress, EvalRecord
from assistant.staff.feedback import FeedbackEntry, FeedbackIn, FeedbackStore, export_golden_yaml
from assistant.staff.inspection import QuestionTrace, trace_question
from web.auth import User, require_role
from web.deps import EvaluationsDep, FeedbackDep, PolicyDep
from web.security import verify_csrf

StaffUser = Annotated[User, Depends(require_role("staff"))]
router = APIRouter(prefix="/api/staff", tags=["工作人员"], dependencies=[Depends(require_role("staff"))])


class TraceRequest(BaseModel):
    """A question to try, as a user would ask it."""

    question: str = Field(description="问题", examples=["博士研究生租房补贴每月多少钱？"])
    history: list[str] = Field(default_factory=list, max_length=10, description="可选：此前的提问（追问时）")
    filters: SearchFilters | None = Field(default=None, description="可选：元数据过滤")


class EvalState(BaseModel):
    """The running evaluation (if any) and the stored runs, newest first."""

    progress: EvalProgress
    runs: list[EvalRecord]


class DocumentDetail(BaseModel):
    """An indexed document and its chunks."""

    document: DocumentRow
    chunks: list[Chunk]


AssistantDep = PolicyDep
Evaluations = EvaluationsDep
Feedback = FeedbackDep
Csrf = Depends(verify_csrf)


def read_upload(file: UploadFile) -> bytes:
    """The uploaded bytes, refusing more than the corpus limit without reading it all."""
    data = file.file.read(UPLOAD_MAX_BYTES + 1)
    if len(data) > UPLOAD_MAX_BYTES:
        raise UploadRejectedError(f"文件超过 {UPLOAD_MAX_BYTES // (1024 * 1024)} MB 上限。")
    return data


def upload_meta(title: str, kind: str, issuer: str, published: str, expires: str, region: str, audience: str,
                doc_id: str) -> UploadMeta:
    """Validate the metadata fields of the upload form; a Chinese message names what is wrong."""
    people = [p.strip() for p in audience.replace("，", ",").replace("、", ",").split(",") if p.strip()]
    try:
        return UploadMeta.model_validate({
            "title": title, "kind": kind, "issuer": issuer, "published": published.strip() or None,
            "expires": expires.strip() or None, "region": region.strip() or "重庆市", "audience": people,
            "doc_id": doc_id or None,
        })
    except ValidationError as exc:
        labels = {"title": "标题", "kind": "类型", "issuer": "发布单位", "published": "发布日期", "expires": "有效期至",
                  "region": "地区", "audience": "适用人群", "doc_id": "文档 id"}
        problems = "；".join(f"{labels.get(str(e['loc'][0]), e['loc'][0])}{_problem(e)}" for e in exc.errors())
        raise UploadRejectedError(f"元数据不符合要求：{problems}") from exc


def _problem(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind.startswith("date"):
        return "应为 YYYY-MM-DD 格式的日期"
    if kind == "string_too_short":
        return "太短或为空"
    if kind == "string_too_long":
        return "太长"
    if kind == "literal_error":
        return "取值不在允许范围内"
    return "：" + error["msg"].removeprefix("Value error, ")


@router.post("/trace", summary="试问：检索段落及 BM25/向量/融合分数、阈值与作答决定", response_model=QuestionTrace)
def trace(body: TraceRequest, assistant: AssistantDep) -> QuestionTrace:
    """Runs the question exactly as users get it; read-only, so no CSRF token is needed."""
    return trace_question(assistant, body.question, body.filters, body.history)


@router.get("/eval", summary="评测进度与历史记录", response_model=EvalState)
def eval_state(runner: Evaluations) -> EvalState:
    return EvalState(progress=runner.progress(), runs=runner.runs())


@router.post("/eval", summary="开始一次评测（后台运行；已有评测在运行时 409）", response_model=EvalProgress,
             status_code=202, dependencies=[Csrf])
def eval_start(body: EvalChoice, runner: Evaluations, user: StaffUser) -> EvalProgress:
    """Starts the golden set or a sample; poll `GET /api/staff/eval`; the report is at /staff/eval/runs/{id}."""
    return runner.start(body, user.username)


@router.get("/eval/runs/{run_id}", summary="一次评测的汇总与门槛结果", response_model=EvalRecord)
def eval_record(run_id: str, runner: Evaluations) -> EvalRecord:
    return runner.record(run_id)


@router.get("/documents", summary="已索引的文件（类型、地区、发文单位、日期、有效性、分块数）",
            response_model=list[DocumentRow])
def documents(assistant: AssistantDep) -> list[DocumentRow]:
    return list_documents(assistant)


@router.get("/documents/{doc_id}", summary="一个文件及其分块", response_model=DocumentDetail)
def document(doc_id: str, assistant: AssistantDep) -> DocumentDetail:
    row, chunks = document_chunks(assistant, doc_id)
    return DocumentDetail(document=row, chunks=chunks)


@router.post("/documents", summary="上传文件（MD/TXT/PDF/DOCX/HTML）及元数据并重新索引", response_model=UploadResult,
             status_code=201, dependencies=[Csrf])
def upload(
    assistant: AssistantDep,
    file: Annotated[UploadFile, File(description="文件，按内容检查类型")],
    title: Annotated[str, Form(description="标题")] = "",
    kind: Annotated[str, Form()] = "policy",
    issuer: Annotated[str, Form()] = "",
    published: Annotated[str, Form(description="YYYY-MM-DD")] = "",
    expires: Annotated[str, Form(description="有效期至 YYYY-MM-DD")] = "",
    region: Annotated[str, Form()] = "重庆市",
    audience: Annotated[str, Form(description="适用人群，逗号分隔")] = "",
    doc_id: Annotated[str, Form()] = "",
) -> UploadResult:
    """422 `upload_rejected` with a Chinese reason for a bad file or metadata; the corpus is then unchanged."""
    meta = upload_meta(title, kind, issuer, published, expires, region, audience, doc_id)
    return add_document(assistant, read_upload(file), file.filename or "", meta)


@router.post("/ingest", summary="重新索引语料目录", response_model=IngestSummary, dependencies=[Csrf])
def ingest(assistant: AssistantDep) -> IngestSummary:
    return reingest(assistant)


@router.post("/feedback", summary="标记答案好/差并备注", response_model=FeedbackEntry, status_code=201,
             dependencies=[Csrf])
def feedback_add(body: FeedbackIn, store: Feedback, user: StaffUser) -> FeedbackEntry:
    return store.add(body, user.username)


@router.get("/feedback", summary="已标记的答案（新的在前）", response_model=list[FeedbackEntry])
def feedback_list(store: Feedback, verdict: Literal["good", "bad"] | None = None) -> list[FeedbackEntry]:
    return store.list(verdict)


@router.get("/feedback/export", summary="导出为标准问题集 YAML（corpus/eval/golden.yaml 格式）",
            response_class=Response, responses={200: {"content": {"application/x-yaml": {}}}})
def feedback_export(store: Feedback, verdict: Literal["good", "bad", "all"] = "bad") -> Response:
    return yaml_download(store, verdict)


def yaml_download(store: FeedbackStore, verdict: Literal["good", "bad", "all"]) -> Response:
    """The marked answers as a golden-set YAML attachment."""
    entries = store.list(None if verdict == "all" else verdict, limit=100_000)
    return Response(export_golden_yaml(entries), media_type="application/x-yaml; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="feedback-{verdict}.yaml"'})
