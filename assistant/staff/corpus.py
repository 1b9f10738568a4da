"""The corpus as staff see it.

Indexed documents with their metadata, re-ingest, and uploads checked before they land.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import re
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Literal

import yaml
from filelock import Timeout
from pydantic import BaseModel, Field, field_validator

from assistant.errors import AssistantError, DocumentLoadError, IndexBusyError
from assistant.policy.service import PolicyService
from assistant.retrieval.chunking import chunk_document
from assistant.retrieval.documents import Chunk, DocumentKind, DocumentMeta
from assistant.retrieval.ingest import IngestReport
from assistant.retrieval.loading import MAX_FILE_BYTES, SIDECAR_SUFFIX, decode_text

UPLOAD_MAX_BYTES = MAX_FILE_BYTES  # the ingestor refuses anything larger anyway
FOLDER_BY_KIND = {"policy": "policies", "notice": "notices", "announcement": "announcements"}
ContentType = Literal["pdf", "docx", "text"]
_EXPECTED_CONTENT: dict[str, ContentType] = {
    ".pdf": "pdf", ".docx": "docx", ".md": "text", ".markdown": "text", ".txt": "text", ".html": "text", ".htm": "text",
}
_CONTENT_NAMES = {"pdf": "PDF", "docx": "Word (DOCX)", "text": "文本（MD/TXT/HTML）"}
_DOC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,80}$")


class DocumentRow(BaseModel):
    """One indexed document as the corpus table shows it."""

    meta: DocumentMeta
    validity: str
    chunks: int
    flagged: int = 0  # sentences flagged at ingest as instructions planted for a model ("疑似植入指令")


class IngestSummary(BaseModel):
    """What a (re-)ingest did, for the page and the JSON API."""

    files: int
    unchanged: int
    added: list[str]
    changed: list[str]
    removed: list[str]
    failed: list[str]
    chunks: int
    vectors_added: int
    vectors_removed: int
    vectors_pending: int
    generation: int | None
    seconds: float


class UploadMeta(BaseModel):
    """Metadata typed on the upload form; written as the document's `.meta.yaml` sidecar."""

    title: str = Field(min_length=2, max_length=200, description="标题")
    kind: DocumentKind = Field(default="policy", description="policy 政策 / notice 活动通知 / announcement 项目申报")
    issuer: str = Field(default="", max_length=200, description="发布单位")
    published: dt.date | None = Field(default=None, description="发布日期")
    expires: dt.date | None = Field(default=None, description="有效期至（通知、申报可填截止日期）")
    region: str = Field(default="重庆市", max_length=50, description="适用地区")
    audience: list[str] = Field(default_factory=list, description="适用人群")
    doc_id: str | None = Field(default=None, description="文档 id（小写字母、数字和连字符）；不填则按文件名生成")

    @field_validator("title", "issuer", "region")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("doc_id")
    @classmethod
    def _check_id(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().lower()
        if not _DOC_ID_RE.match(value):
            raise ValueError("文档 id 只能包含小写字母、数字和连字符（2–81 个字符）")
        return value


class UploadResult(BaseModel):
    """Where an upload landed and what the ingest that followed did."""

    doc_id: str
    path: str
    replaced: bool
    chunks: int
    ingest: IngestSummary


class UploadRejectedError(AssistantError):
    """The uploaded file or its metadata cannot be added to the corpus; nothing was changed."""

    http_status = 422


def list_documents(assistant: PolicyService) -> list[DocumentRow]:
    """Indexed documents by kind then id, with their validity today and chunk counts."""
    generation = assistant.store.current()
    if generation is None:
        return []
    counts = {entry.doc_id: len(entry.chunk_ids) for entry in generation.manifest.values()}
    flagged: dict[str, int] = {}
    for chunk in generation.chunks:
        flagged[chunk.doc_id] = flagged.get(chunk.doc_id, 0) + len(chunk.flags)
    today = assistant.settings.current_date()
    rows = [DocumentRow(meta=meta, validity=meta.validity(today), chunks=counts.get(meta.id, 0),
                        flagged=flagged.get(meta.id, 0))
            for meta in generation.documents.values()]
    return sorted(rows, key=lambda r: (r.meta.kind, r.meta.id))


def document_chunks(assistant: PolicyService, doc_id: str) -> tuple[DocumentRow, list[Chunk]]:
    """One indexed document and its chunks in reading order."""
    row = next((r for r in list_documents(assistant) if r.meta.id == doc_id), None)
    generation = assistant.store.current()
    if row is None or generation is None:
        raise DocumentNotFoundError(f"索引中没有文档：{doc_id}")
    return row, sorted((c for c in generation.chunks if c.doc_id == doc_id), key=lambda c: c.ordinal)


class DocumentNotFoundError(AssistantError):
    """No indexed document has this id."""

    http_status = 404


def reingest(assistant: PolicyService) -> IngestSummary:
    """Bring the index up to date with the corpus folder now (BM25); vectors follow in the background."""
    report = assistant.ingest(build_vectors=False)
    assistant.build_vectors_later()  # the service's one background vector thread, however many uploads
    return summarise(report)


def summarise(report: IngestReport) -> IngestSummary:
    return IngestSummary.model_validate({**dataclasses.asdict(report), "seconds": round(report.seconds, 3)})


def sniff_content(data: bytes) -> ContentType | None:
    """The file's real type from its bytes (not its name); None for anything we cannot index."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else None
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):  # a broken central directory
            return None
    if b"\x00" in data[:8192]:
        return None
    try:
        decode_text(data, "")
    except DocumentLoadError:
        return None
    return "text"


def add_document(assistant: PolicyService, data: bytes, filename: str, meta: UploadMeta) -> UploadResult:
    """Check an uploaded file by content and by parsing it, then write it with its sidecar and ingest.

    A file that cannot be parsed is rejected before anything in the corpus folder changes, so the index keeps
    every document it had (including an earlier good version of the same document).
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in _EXPECTED_CONTENT:
        raise UploadRejectedError(f"不支持的文件类型“{suffix or '无扩展名'}”：请上传 MD、TXT、PDF、DOCX 或 HTML 文件。")
    if not data.strip():
        raise UploadRejectedError("文件为空。")
    if len(data) > UPLOAD_MAX_BYTES:
        raise UploadRejectedError(f"文件超过 {UPLOAD_MAX_BYTES // (1024 * 1024)} MB 上限。")
    content = sniff_content(data)
    expected = _EXPECTED_CONTENT[suffix]
    if content != expected:
        found = _CONTENT_NAMES[content] if content else "无法识别的二进制内容"
        raise UploadRejectedError(
            f"文件内容与扩展名不符：扩展名 {suffix} 应为{_CONTENT_NAMES[expected]}，实际是{found}。")
    doc_id = meta.doc_id or _id_from_name(filename, data)
    relative = f"{FOLDER_BY_KIND[meta.kind]}/{doc_id}{suffix}"
    sidecar = _sidecar_yaml(meta, doc_id)
    chunks = _check_parses(assistant, data, relative, sidecar, Path(filename).name)
    _check_id_free(assistant, doc_id, relative)
    target = assistant.settings.corpus_dir / relative
    sidecar_path = target.with_name(target.name + SIDECAR_SUFFIX)
    try:
        with assistant.ingestor.lock.acquire(timeout=assistant.ingestor.lock_timeout):
            previous = {path: path.read_bytes() if path.exists() else None for path in (target, sidecar_path)}
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(sidecar_path, sidecar.encode("utf-8"))
            _write_atomically(target, data)
            try:
                report = assistant.ingest(build_vectors=False)
                failed = [f for f in report.failed if f.startswith(relative)]
                if failed:  # only if the folder changed underneath us: put the old files back
                    raise UploadRejectedError("；".join(failed))
            except AssistantError:
                _restore(previous)
                assistant.ingest(build_vectors=False)
                raise
    except Timeout as exc:
        raise IndexBusyError("另一个进程正在更新索引，请稍后再试") from exc
    assistant.build_vectors_later()  # the service's one background vector thread, however many uploads
    return UploadResult(doc_id=doc_id, path=relative, replaced=previous[target] is not None, chunks=chunks,
                        ingest=summarise(report))


def _id_from_name(filename: str, data: bytes) -> str:
    stem = re.sub(r"[^a-z0-9-]+", "-", Path(filename).stem.lower()).strip("-")
    if len(stem) >= 3 and _DOC_ID_RE.match(stem):
        return f"upload-{stem[:60]}"
    return f"upload-{hashlib.sha256(data).hexdigest()[:10]}"  # e.g. an all-Chinese file name


def _sidecar_yaml(meta: UploadMeta, doc_id: str) -> str:
    fields = meta.model_dump(mode="json", exclude={"doc_id"}, exclude_none=True)
    fields = {"id": doc_id, **fields, "source": "员工上传"}
    return yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)


def _check_parses(assistant: PolicyService, data: bytes, relative: str, sidecar: str, shown_name: str) -> int:
    """Parse the file exactly as ingest will (in its parse worker, under the limits), in a scratch folder; returns
    its chunk count. A file without any indexable passage is refused too."""
    with tempfile.TemporaryDirectory(prefix="upload-") as scratch:
        path = Path(scratch) / relative
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        path.with_name(path.name + SIDECAR_SUFFIX).write_text(sidecar, encoding="utf-8")
        try:
            document = assistant.ingestor.load(path, Path(scratch))
            chunks = len(chunk_document(document, assistant.ingestor.chunk_max_chars))
            if not chunks:
                raise DocumentLoadError(f"{relative}: 没有可索引的正文（0 个段落）")
        except DocumentLoadError as exc:
            reason = str(exc).removeprefix(f"{relative}: ")
            raise UploadRejectedError(f"“{shown_name}”无法解析，未加入语料库：{reason}") from exc
        return chunks


def _check_id_free(assistant: PolicyService, doc_id: str, relative: str) -> None:
    generation = assistant.store.current()
    existing = generation.documents.get(doc_id) if generation else None
    if existing is not None and existing.path != relative:
        raise UploadRejectedError(
            f"文档 id {doc_id} 已被 {existing.path} 使用；替换文件时请保持相同的 id、类型和扩展名，或换一个 id。"
        )


def _restore(previous: dict[Path, bytes | None]) -> None:
    for path, data in previous.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            _write_atomically(path, data)


def _write_atomically(path: Path, data: bytes) -> None:
    # The dot prefix keeps a half-written file out of a concurrent `discover`.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)
