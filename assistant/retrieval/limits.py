"""Resource limits for reading uploaded and corpus files, and the one map from parser exceptions to domain errors.

Résumés (`assistant/resume/parsing.py`) and corpus documents (`assistant/retrieval/loading.py`) are read under the
same `FileLimits` (built from `Settings` by the composition root) and report every parser failure — pypdf,
python-docx/lxml/zipfile, BeautifulSoup, charset_normalizer, a codec — as a `DocumentLoadError` naming the file.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any

from assistant.config import Settings
from assistant.errors import AssistantError, DocumentLoadError

MAX_FILE_BYTES = 20 * 1024 * 1024  # the corpus's compressed-size limit (résumés: Settings.resume_max_bytes)
_XML_SUFFIXES = (".xml", ".rels")
# Modules whose generic exceptions (ValueError, KeyError, TypeError …) mean "this file is malformed".
_PARSER_MODULES = ("pypdf", "docx", "lxml", "bs4", "charset_normalizer", "zipfile", "zlib", "html", "_markupbase",
                   "encodings", "codecs", "xml", "struct", "PIL", "cryptography")
_GENERIC_ERRORS = (ValueError, KeyError, IndexError, TypeError, AttributeError, OSError, EOFError, AssertionError,
                   NotImplementedError, OverflowError, ZeroDivisionError, LookupError)


@dataclass(frozen=True)
class FileLimits:
    """What one file may cost to read; the same for résumés and corpus documents (bytes limits aside)."""

    max_bytes: int = MAX_FILE_BYTES
    docx_max_unpacked_bytes: int = 60 * 1024 * 1024
    docx_max_ratio: float = 100.0
    docx_max_entries: int = 2000
    xml_max_depth: int = 256
    pdf_max_pages: int = 1000
    max_lines: int = 200_000
    max_line_chars: int = 20_000
    timeout_s: float = 30.0
    ocr_max_pages: int = 20  # scanned pages per file read by OCR (0 = none); see assistant/retrieval/ocr.py
    ocr_timeout_s: float = 120.0  # OCR time budget per file, on top of timeout_s
    ocr_cache_dir: Path | None = None  # pages already read by OCR, by file content (corpus files only)

    @classmethod
    def from_settings(cls, settings: Settings) -> FileLimits:
        """The corpus limits a deployment configured; `for_resumes()` narrows the size to résumés'."""
        return cls(docx_max_unpacked_bytes=settings.docx_max_unpacked_bytes, docx_max_ratio=settings.docx_max_ratio,
                   xml_max_depth=settings.xml_max_depth, pdf_max_pages=settings.pdf_max_pages,
                   max_lines=settings.text_max_lines, max_line_chars=settings.text_max_line_chars,
                   timeout_s=settings.parse_timeout_s, ocr_max_pages=settings.ocr_max_pages,
                   ocr_timeout_s=settings.ocr_timeout_s, ocr_cache_dir=settings.data_dir / "ocr-cache")

    def with_max_bytes(self, max_bytes: int) -> FileLimits:
        return replace(self, max_bytes=max_bytes)


def _raised_in_parser(exc: BaseException) -> bool:
    traceback: TracebackType | None = exc.__traceback__
    while traceback is not None:
        module = str(traceback.tb_frame.f_globals.get("__name__", ""))
        if module.split(".")[0] in _PARSER_MODULES:
            return True
        traceback = traceback.tb_next
    return False


def _reason(exc: BaseException) -> str | None:
    """A Chinese reason for a parser exception, or None when it is not a parser's (a bug of ours)."""
    from lxml import etree
    from pypdf.errors import PyPdfError

    if isinstance(exc, RecursionError):
        return "结构嵌套过深"
    if isinstance(exc, MemoryError):
        return "解析所需内存超出上限"
    if isinstance(exc, etree.LxmlError):
        return "XML 结构错误（文档可能被截断或已损坏）"
    if isinstance(exc, (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error)):
        return "压缩结构损坏"
    if isinstance(exc, PyPdfError):
        return "PDF 结构损坏"
    if isinstance(exc, UnicodeError):
        return "文字编码错误"
    if isinstance(exc, struct.error):
        return "二进制结构损坏"
    if isinstance(exc, KeyError) and _raised_in_parser(exc):
        return "缺少必要的组成部分"
    if isinstance(exc, _GENERIC_ERRORS) and _raised_in_parser(exc):
        return "格式不正确"
    return None


@contextmanager
def parse_errors(message: str) -> Iterator[None]:
    """Turn a parser's exception inside the block into `DocumentLoadError(message + "（reason）")`.

    `message` names the file in the caller's words ("x.pdf 不是有效的 PDF 文件或已损坏，无法读取"); domain errors
    pass through, and an exception raised by our own code (not a parser library) is left alone: it is a bug.
    """
    try:
        yield
    except AssistantError:
        raise
    except (Exception, RecursionError, MemoryError) as exc:
        reason = _reason(exc)
        if reason is None:
            raise
        text, end = (message[:-1], message[-1]) if message.endswith(("。", ".")) else (message, "")
        raise DocumentLoadError(f"{text}（{reason}）{end}") from None


def check_size(size: int, name: str, limits: FileLimits) -> None:
    if size > limits.max_bytes:
        raise DocumentLoadError(f"{name}: 文件超过 {limits.max_bytes / 1024 / 1024:g} MB 上限")


def check_docx_archive(data: bytes, name: str, limits: FileLimits) -> None:
    """Refuse a zip bomb (entries, unpacked size, ratio) and malformed or too deeply nested XML before python-docx
    inflates it; reading is bounded by the declared sizes, which zipfile enforces."""
    with parse_errors(f"{name}: DOCX 文件损坏或格式不正确"), zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        packed = sum(info.compress_size for info in infos) or 1
        if len(infos) > limits.docx_max_entries:
            raise DocumentLoadError(f"{name}: DOCX 含 {len(infos)} 个部件，超过上限 {limits.docx_max_entries}，"
                                    "疑似压缩炸弹，已拒绝处理")
        if total > limits.docx_max_unpacked_bytes or total / packed > limits.docx_max_ratio:
            raise DocumentLoadError(
                f"{name}: DOCX 解压后过大或压缩比异常（{total / 1024 / 1024:.0f} MB，"
                f"压缩比 {total / packed:.0f}:1；"
                f"上限 {limits.docx_max_unpacked_bytes / 1024 / 1024:g} MB、{limits.docx_max_ratio:g}:1），"
                "疑似压缩炸弹，已拒绝处理")
        for info in infos:
            if info.filename.lower().endswith(_XML_SUFFIXES):
                with archive.open(info) as part:
                    _check_xml(part, f"{name}: DOCX 部件 {info.filename}", limits.xml_max_depth)


def _check_xml(stream: Any, what: str, max_depth: int) -> None:
    from lxml import etree

    depth = 0
    try:
        for event, _ in etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                                        huge_tree=False):
            depth += 1 if event == "start" else -1
            if depth > max_depth:
                raise DocumentLoadError(f"{what} 的 XML 嵌套超过 {max_depth} 层，已拒绝处理")
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise DocumentLoadError(f"{what} 的 XML 嵌套超过 {max_depth} 层，已拒绝处理") from None
        raise DocumentLoadError(f"{what} 的 XML 结构错误（文件可能被截断或已损坏）") from None


def check_pages(pages: int, name: str, limits: FileLimits) -> None:
    if pages > limits.pdf_max_pages:
        raise DocumentLoadError(f"{name}: PDF 共 {pages} 页，超过上限 {limits.pdf_max_pages} 页")


def check_lines(lines: Sequence[str], name: str, limits: FileLimits) -> None:
    """Too many lines, or one far longer than any real paragraph, is not a document (binary noise, a generated
    file); refusing it keeps chunking and the résumé's line rules linear."""
    if len(lines) > limits.max_lines:
        raise DocumentLoadError(f"{name}: 共 {len(lines)} 行，超过上限 {limits.max_lines} 行")
    longest = max((len(line) for line in lines), default=0)
    if longest > limits.max_line_chars:
        raise DocumentLoadError(f"{name}: 有一行长达 {longest} 个字符，超过上限 {limits.max_line_chars}，"
                                "不像正常的文档")


def check_tree_depth(root: Any, name: str, limits: FileLimits) -> None:
    """Nesting depth of a parsed HTML tree, walked without recursion."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.xml_max_depth:
            raise DocumentLoadError(f"{name}: HTML 嵌套超过 {limits.xml_max_depth} 层，已拒绝处理")
        stack.extend((child, depth + 1) for child in getattr(node, "contents", ()) if hasattr(child, "contents"))


def check_printable(text: str, name: str) -> None:
    """Binary bytes decoded as some encoding read as control characters: a PDF or image renamed `.txt`."""
    if "\x00" in text[:8192] or sum(1 for ch in text if not ch.isprintable() and ch not in "\r\n\t") > len(text) // 50:
        raise DocumentLoadError(f"{name}: 内容是二进制数据而不是文本（可能是改了扩展名的 PDF、图片或压缩包）")


_BINARY_MAGIC = {
    b"%PDF": "PDF 文件", b"PK\x03\x04": "ZIP 压缩包（或 DOCX/XLSX 文档）", b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片", b"\xd0\xcf\x11\xe0": "旧版 Office 文档", b"Rar!": "RAR 压缩包", b"\x1f\x8b": "gzip 压缩包",
    b"7z\xbc\xaf": "7z 压缩包", b"MZ": "可执行程序", b"\x7fELF": "可执行程序",
}


def binary_kind(data: bytes) -> str | None:
    """What a file's leading bytes say it is when that is a binary format ("PDF 文件"), else None."""
    head = data[:1024].lstrip()
    return next((what for magic, what in _BINARY_MAGIC.items() if head.startswith(magic)), None)
