"""A corpus document's metadata (title, kind, issuer, dates, validity) for the chat's citation panel."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import BaseModel

from assistant.errors import IndexNotReadyError
from assistant.retrieval.documents import DocumentMeta
from assistant.vocab.kinds import VALIDITY_LABELS, kind_label
from web.deps import app_of
from web.security import WebError

router = APIRouter(tags=["政策问答"])



class DocumentOut(BaseModel):
    """What a citation panel shows about the document a passage came from."""

    id: str
    title: str
    kind: str
    kind_label: str
    issuer: str
    doc_number: str
    region: str
    audience: list[str]
    published: dt.date | None
    effective: dt.date | None
    expires: dt.date | None
    deadline: dt.date | None
    validity: str
    validity_label: str
    superseded_by: str | None
    source: str


def describe(meta: DocumentMeta, today: dt.date) -> DocumentOut:
    """The document's metadata with its validity as of `today`."""
    validity = meta.validity(today)
    return DocumentOut(id=meta.id, title=meta.title, kind=meta.kind, kind_label=kind_label(meta.kind),
                       issuer=meta.issuer, doc_number=meta.doc_number, region=meta.region, audience=meta.audience,
                       published=meta.published, effective=meta.effective, expires=meta.expires,
                       deadline=meta.deadline, validity=validity, validity_label=VALIDITY_LABELS[validity],
                       superseded_by=meta.superseded_by, source=meta.source)


@router.get("/api/documents/{doc_id}", summary="文件信息（标题、类型、发文单位、日期、有效性）",
            response_model=DocumentOut)
def document(doc_id: str, request: Request) -> DocumentOut:
    """Metadata of one indexed document; 404 `document_not_found` for an unknown id."""
    assistant = app_of(request).policy
    generation = assistant.store.current()
    if generation is None:
        raise IndexNotReadyError("索引尚未建立：请先运行 `assistant ingest`。")
    meta = generation.documents.get(doc_id)
    if meta is None:
        raise WebError(404, "document_not_found", "没有找到该文件。")
    return describe(meta, assistant.settings.current_date())
