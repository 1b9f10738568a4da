"""The staff pages (`/staff`): try a question with every score, run evaluations, manage the corpus, review feedback."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from assistant.errors import AssistantError
from assistant.evaluation.golden import QuestionKind
from assistant.retrieval.search import SearchFilters
from assistant.staff.corpus import UPLOAD_MAX_BYTES, add_document, document_chunks, list_documents, reingest
from assistant.staff.evaluation_runs import EvalChoice
from assistant.staff.feedback import FeedbackIn
from assistant.staff.inspection import trace_question
from assistant.vocab.kinds import KIND_LABELS, VALIDITY_LABELS
from web.auth import require_role
from web.routes import staff_api
from web.routes.staff_api import (
    AssistantDep,
    Evaluations,
    Feedback,
    StaffUser,
    read_upload,
    upload_meta,
    yaml_download,
)
from web.security import verify_csrf
from web.templating import render

router = APIRouter(dependencies=[Depends(require_role("staff"))])
router.include_router(staff_api.router)
Csrf = Depends(verify_csrf)

GOLDEN_KINDS: tuple[str, ...] = QuestionKind.__args__  # type: ignore[attr-defined]


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A staff page with the validity labels every staff template uses (kind labels are a template global)."""
    return render(request, template, status_code=status_code, validity_labels=VALIDITY_LABELS, **context)


@router.get("/staff", include_in_schema=False)
def try_page(request: Request, assistant: AssistantDep, q: str = "", history: str = "",
             kinds: Annotated[list[str] | None, Query()] = None, active_only: bool = False) -> Response:
    """Ask any question and see passages, scores, threshold, decision and answer (a GET form: links can be shared)."""
    earlier = _lines(history)[-10:]
    filters = SearchFilters(kinds=[k for k in kinds or [] if k in KIND_LABELS], active_only=active_only)
    trace, error = None, None
    if q.strip():
        try:
            trace = trace_question(assistant, q, filters, earlier)
        except AssistantError as exc:
            error = str(exc)
    return page(request, "staff/try.html", status_code=422 if error else 200, q=q, history=history, trace=trace,
                filters=filters, error=error, golden_kinds=GOLDEN_KINDS, tab="try")


@router.post("/staff/feedback", include_in_schema=False, dependencies=[Csrf])
def feedback_form(
    request: Request, store: Feedback, user: StaffUser,
    question: Annotated[str, Form(max_length=2000)],
    verdict: Annotated[Literal["good", "bad"], Form()],
    answer: Annotated[str, Form(max_length=20000)] = "",
    history: Annotated[str, Form(max_length=4000)] = "",
    grounded: Annotated[bool, Form()] = False,
    cited_docs: Annotated[str, Form(max_length=2000)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    should_decline: Annotated[bool, Form()] = False,
    expected_docs: Annotated[str, Form(max_length=2000)] = "",
    facts: Annotated[str, Form(max_length=2000)] = "",
    kind: Annotated[str, Form()] = "",
) -> Response:
    try:
        item = FeedbackIn.model_validate({
            "question": question, "verdict": verdict, "answer": answer, "grounded": grounded, "note": note,
            "history": _lines(history), "cited_docs": _items(cited_docs), "should_decline": should_decline,
            "expected_docs": _items(expected_docs), "facts": _items(facts, "；;\n"), "kind": kind or None,
        })
    except ValidationError:
        return page(request, "staff/feedback.html", status_code=422, entries=store.list(), saved=None, verdict=None,
                    error="反馈内容不符合要求：问题不能为空，类别须从列表中选择。", tab="feedback")
    entry = store.add(item, user.username)
    return RedirectResponse(f"/staff/feedback?saved={entry.id}", status_code=303)


@router.get("/staff/feedback", include_in_schema=False)
def feedback_page(request: Request, store: Feedback, verdict: Literal["good", "bad"] | None = None,
                  saved: int | None = None) -> Response:
    return page(request, "staff/feedback.html", entries=store.list(verdict), verdict=verdict, saved=saved, error=None,
                tab="feedback")


@router.get("/staff/feedback/export.yaml", include_in_schema=False)
def feedback_download(store: Feedback, verdict: Literal["good", "bad", "all"] = "bad") -> Response:
    return yaml_download(store, verdict)


@router.get("/staff/eval", include_in_schema=False)
def eval_page(request: Request, runner: Evaluations) -> Response:
    return page(request, "staff/eval.html", progress=runner.progress(), runs=runner.runs(), error=None, tab="eval")


@router.post("/staff/eval", include_in_schema=False, dependencies=[Csrf])
def eval_form(request: Request, runner: Evaluations, user: StaffUser,
              question_set: Annotated[Literal["golden", "sample"], Form()] = "sample",
              sample_size: Annotated[int, Form(ge=1, le=1000)] = 30) -> Response:
    try:
        runner.start(EvalChoice(question_set=question_set, sample_size=sample_size), user.username)
    except AssistantError as exc:
        return page(request, "staff/eval.html", status_code=exc.http_status, progress=runner.progress(),
                    runs=runner.runs(), error=str(exc), tab="eval")
    return RedirectResponse("/staff/eval", status_code=303)


@router.get("/staff/eval/runs/{run_id}", include_in_schema=False)
def eval_report(run_id: str, runner: Evaluations) -> Response:
    """The run's HTML report (the same renderer as `assistant eval --html`)."""
    return HTMLResponse(runner.report_html(run_id))


@router.get("/staff/corpus", include_in_schema=False)
def corpus_page(request: Request, assistant: AssistantDep) -> Response:
    return corpus_view(request, assistant)


def corpus_view(request: Request, assistant: AssistantDep, status_code: int = 200, **context: Any) -> Response:
    values: dict[str, Any] = {"upload": None, "ingest": None, "error": None, "form": {}, **context}
    return page(request, "staff/corpus.html", status_code=status_code, documents=list_documents(assistant),
                status=assistant.status(), upload_limit_mb=UPLOAD_MAX_BYTES // (1024 * 1024), tab="corpus", **values)


@router.get("/staff/corpus/{doc_id}", include_in_schema=False)
def document_page(request: Request, doc_id: str, assistant: AssistantDep) -> Response:
    row, chunks = document_chunks(assistant, doc_id)
    return page(request, "staff/document.html", row=row, chunks=chunks, tab="corpus")


@router.post("/staff/corpus/ingest", include_in_schema=False, dependencies=[Csrf])
def ingest_form(request: Request, assistant: AssistantDep) -> Response:
    try:
        summary = reingest(assistant)
    except AssistantError as exc:
        return corpus_view(request, assistant, exc.http_status, error=str(exc))
    return corpus_view(request, assistant, ingest=summary)


@router.post("/staff/corpus/upload", include_in_schema=False, dependencies=[Csrf])
def upload_form(
    request: Request, assistant: AssistantDep,
    file: Annotated[UploadFile, File()],
    title: Annotated[str, Form(max_length=400)] = "",
    kind: Annotated[str, Form(max_length=40)] = "policy",
    issuer: Annotated[str, Form(max_length=400)] = "",
    published: Annotated[str, Form(max_length=40)] = "",
    expires: Annotated[str, Form(max_length=40)] = "",
    region: Annotated[str, Form(max_length=100)] = "重庆市",
    audience: Annotated[str, Form(max_length=400)] = "",
    doc_id: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    form = {"title": title, "kind": kind, "issuer": issuer, "published": published, "expires": expires,
            "region": region, "audience": audience, "doc_id": doc_id}
    try:
        meta = upload_meta(title, kind, issuer, published, expires, region, audience, doc_id)
        result = add_document(assistant, read_upload(file), file.filename or "", meta)
    except AssistantError as exc:
        return corpus_view(request, assistant, exc.http_status, error=str(exc), form=form)
    return corpus_view(request, assistant, upload=result)


def _items(text: str, separators: str = "，,、 \n") -> list[str]:
    """The values of a form field separated by any of `separators`."""
    for separator in separators:
        text = text.replace(separator, "\n")
    return [item.strip() for item in text.split("\n") if item.strip()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
