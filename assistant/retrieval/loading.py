"""Read corpus files (Markdown, text, HTML, PDF, DOCX) into metadata plus structural blocks."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.errors import DocumentLoadError
from assistant.retrieval.documents import Block, DocumentMeta, LoadedDocument
from assistant.retrieval.limits import (
    MAX_FILE_BYTES,
    FileLimits,
    binary_kind,
    check_docx_archive,
    check_lines,
    check_pages,
    check_printable,
    check_size,
    check_tree_depth,
    parse_errors,
)
from assistant.retrieval.ocr import OcrReport, ScannedPagesError, needs_ocr, recognise_pdf_pages

SUPPORTED_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx"})
SIDECAR_SUFFIX = ".meta.yaml"
__all__ = ["MAX_FILE_BYTES", "SIDECAR_SUFFIX", "SUPPORTED_SUFFIXES", "decode_text", "discover", "load_document"]
_TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm"})
_KIND_BY_FOLDER = {"policies": "policy", "notices": "notice", "announcements": "announcement"}

_CN_NUM = "一二三四五六七八九十百零〇"
CHAPTER_RE = re.compile(rf"^第[{_CN_NUM}\d]+[章节编]\s*\S")
ARTICLE_RE = re.compile(rf"^第[{_CN_NUM}\d]+条")
SECTION_RE = re.compile(rf"^[{_CN_NUM}]+、\s*\S")
LIST_ITEM_RE = re.compile(rf"^(（[{_CN_NUM}\d]+）|\([{_CN_NUM}\d]+\)|\d+[.．、]\s*\S|[-*•]\s+\S|[①-⑳])")
_SENTENCE_END = tuple("。！？；：!?;:）)」”")


def discover(corpus_dir: Path) -> list[Path]:
    """Every indexable file under `corpus_dir`, sorted; skips `_`/`.` names, README.md and sidecars."""
    if not corpus_dir.is_dir():
        raise DocumentLoadError(f"语料目录不存在：{corpus_dir}")
    found = []
    for path in corpus_dir.rglob("*"):
        relative = path.relative_to(corpus_dir)
        if any(part.startswith(("_", ".")) for part in relative.parts):
            continue
        if path.name.lower() == "readme.md" or path.name.endswith(SIDECAR_SUFFIX):
            continue
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
            found.append(path)
    return sorted(found)


def source_files(path: Path) -> list[Path]:
    """The files whose bytes define a document: the file itself and its sidecar when present."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    return [path, sidecar] if sidecar.is_file() else [path]


def load_document(path: Path, corpus_dir: Path, limits: FileLimits | None = None, *,
                  defer_ocr: bool = False) -> LoadedDocument:
    """Parse one file within `limits`; raises DocumentLoadError naming the file when it cannot be read.

    Every parser failure (pypdf, python-docx/lxml/zipfile, BeautifulSoup, charset_normalizer, a codec) becomes a
    DocumentLoadError through `limits.parse_errors`; run it in a `ParseWorker` (through `ocr.run_with_ocr`) for a
    hard time limit. PDF pages without a text layer are read by OCR (`LoadedDocument.meta.ocr` says which), or,
    with `defer_ocr`, reported by raising `ScannedPagesError`.
    """
    limits = limits or FileLimits()
    relative = path.relative_to(corpus_dir).as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentLoadError(f"{relative}: 无法读取文件（{exc.strerror}）") from exc
    if not data.strip():
        raise DocumentLoadError(f"{relative}: 文件为空")
    check_size(len(data), relative, limits)
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        found = binary_kind(data)
        if found is not None:
            raise DocumentLoadError(f"{relative}: 扩展名是 {suffix}，但内容是{found}，不是文本；"
                                    "请改回正确的扩展名或另存为文本")
    front: dict[str, Any] = {}
    ocr: OcrReport | None = None
    if suffix in (".md", ".markdown"):
        text = decode_text(data, relative)
        check_lines(text.splitlines(), relative, limits)
        front, body = split_front_matter(text, relative)
        blocks = markdown_blocks(body)
    elif suffix == ".txt":
        lines = decode_text(data, relative).splitlines()
        check_lines(lines, relative, limits)
        blocks = text_blocks(lines)
    elif suffix in (".html", ".htm"):
        blocks, html_title = html_blocks(decode_text(data, relative), relative, limits)
        check_lines([block.text for block in blocks], relative, limits)
        front = {"title": html_title} if html_title else {}
    elif suffix == ".pdf":
        lines, ocr = pdf_text(data, relative, limits, defer_ocr=defer_ocr)
        check_lines(lines, relative, limits)
        blocks = text_blocks(lines)
    elif suffix == ".docx":
        blocks = docx_blocks(data, relative, limits)
        check_lines([block.text for block in blocks], relative, limits)
    else:
        raise DocumentLoadError(f"{relative}: 不支持的文件类型 {suffix}")
    if not any(block.text.strip() for block in blocks):
        raise DocumentLoadError(f"{relative}: 没有可提取的文字")
    front.update(read_sidecar(path, relative))
    front.pop("ocr", None)  # what OCR did is measured here, never taken from the metadata
    meta = build_meta(front, path, relative, blocks)
    meta.ocr = ocr
    return LoadedDocument(meta=meta, blocks=blocks)


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8, else detect the encoding (GB18030/GBK is common on Chinese portals)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    with parse_errors(f"{name}: 无法识别文件编码"):
        best = from_bytes(data).best()
    encoding = best.encoding if best else None
    # GB2312/GBK are subsets of GB18030; decoding with the superset never loses characters.
    if encoding in (None, "gb2312", "gbk", "gb18030", "big5", "cp936"):
        encoding = "gb18030"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DocumentLoadError(f"{name}: 无法识别文件编码") from exc
    check_printable(text, name)
    return text


def split_front_matter(text: str, name: str) -> tuple[dict[str, Any], str]:
    """Separate YAML front matter (between `---` lines) from a Markdown body."""
    if not text.startswith("---"):
        return {}, text
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise DocumentLoadError(f"{name}: YAML 头部没有结束标记 ---")
    try:
        front = yaml.safe_load(parts[0].lstrip("-\n")) or {}
    except yaml.YAMLError as exc:
        raise DocumentLoadError(f"{name}: YAML 头部格式错误") from exc
    if not isinstance(front, dict):
        raise DocumentLoadError(f"{name}: YAML 头部必须是键值对")
    return front, parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""


def read_sidecar(path: Path, name: str) -> dict[str, Any]:
    """Metadata from `<file>.meta.yaml` beside a non-Markdown file, if present."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DocumentLoadError(f"{name}: 元数据文件 {sidecar.name} 格式错误") from exc
    if not isinstance(data, dict):
        raise DocumentLoadError(f"{name}: 元数据文件 {sidecar.name} 必须是键值对")
    return data


def build_meta(front: dict[str, Any], path: Path, relative: str, blocks: list[Block]) -> DocumentMeta:
    """Validate metadata, filling id, title and kind from the file when the metadata lacks them."""
    fields = dict(front)
    fields.setdefault("id", re.sub(r"[^a-z0-9-]+", "-", path.stem.lower()).strip("-") or "doc")
    if not fields.get("title"):
        heading = next((b.text for b in blocks if b.kind == "heading"), None)
        fields["title"] = heading or path.stem
    if "kind" not in fields:
        folder = path.parent.name
        fields["kind"] = _KIND_BY_FOLDER.get(folder, "policy")
    if isinstance(fields.get("audience"), str):
        fields["audience"] = [fields["audience"]]
    for key in ("id", "doc_number", "superseded_by", "issuer", "region", "source", "title"):
        if fields.get(key) is not None and not isinstance(fields[key], str):
            fields[key] = str(fields[key])
    fields["path"] = relative
    try:
        return DocumentMeta.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise DocumentLoadError(f"{relative}: 元数据无效（{problems}）") from exc


def markdown_blocks(body: str) -> list[Block]:
    """Headings, paragraphs, list items and table rows of a Markdown body."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    table_header = ""

    def flush() -> None:
        if paragraph:
            blocks.append(classify_line(" ".join(paragraph)))
            paragraph.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            flush()
            table_header = ""
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            flush()
            blocks.append(Block(kind="heading", text=strip_inline(heading.group(2)), level=len(heading.group(1))))
            continue
        if line.startswith("|"):
            flush()
            cells = [strip_inline(c.strip()) for c in line.strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                continue
            row = " | ".join(cells)
            if not table_header:
                table_header = row
                blocks.append(Block(kind="table_row", text=row, header=""))
            else:
                blocks.append(Block(kind="table_row", text=row, header=table_header))
            continue
        if LIST_ITEM_RE.match(line) or ARTICLE_RE.match(line):
            flush()
        paragraph.append(strip_inline(line))
        if LIST_ITEM_RE.match(line):
            flush()
    flush()
    return blocks


def strip_inline(text: str) -> str:
    """Drop Markdown emphasis and link syntax, keeping the words."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"(\*\*|__|`)", "", text).strip()


def classify_line(text: str) -> Block:
    """A paragraph, or a list item when it starts with an enumeration marker."""
    text = strip_inline(text)
    if LIST_ITEM_RE.match(text) and not ARTICLE_RE.match(text):
        return Block(kind="list_item", text=text)
    return Block(kind="paragraph", text=text)


def text_blocks(lines: list[str]) -> list[Block]:
    """Re-flow extracted lines (PDF, DOCX, plain text) into headings, paragraphs and list items."""
    blocks: list[Block] = []
    current: list[str] = []
    # A paragraph's last line is shorter than a full wrapped line; that is how a paragraph end is told apart
    # from a sentence that merely ends at a line break.
    full_width = max((len(line.strip()) for line in lines), default=0)

    def flush() -> None:
        if current:
            blocks.append(classify_line("".join(current)))
            current.clear()

    for raw in lines:
        line = raw.strip().replace("\u3000", " ")
        if not line:
            flush()
            continue
        if (CHAPTER_RE.match(line) or SECTION_RE.match(line)) and len(line) <= 40:
            flush()
            blocks.append(Block(kind="heading", text=line, level=2))
            continue
        if ARTICLE_RE.match(line) or LIST_ITEM_RE.match(line):
            flush()
        current.append(line)
        if line.endswith(_SENTENCE_END) and len(line) < 0.9 * full_width:
            flush()
    flush()
    return blocks


def pdf_lines(data: bytes, name: str, limits: FileLimits | None = None) -> list[str]:
    """Text lines of a PDF, scanned pages read by OCR; encrypted or text-less PDFs get a clear error."""
    return pdf_text(data, name, limits)[0]


def pdf_text(data: bytes, name: str, limits: FileLimits | None = None, *,
             defer_ocr: bool = False) -> tuple[list[str], OcrReport | None]:
    """Text lines of a PDF in page order (pypdf's text layer; OCR for pages that have (almost) none) and what OCR
    did, None when no page needed it."""
    from pypdf import PdfReader

    limits = limits or FileLimits()
    with parse_errors(f"{name}: PDF 文件损坏或格式不正确"):
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentLoadError(f"{name}: PDF 已加密，无法读取")
        check_pages(len(reader.pages), name, limits)
        pages = [page.extract_text() or "" for page in reader.pages]
    scanned = [number for number, text in enumerate(pages, 1) if needs_ocr(text)]
    refusal = f"{name}: PDF 没有文字层（可能是扫描件），请提供可复制文字的版本"
    report = None
    if scanned and limits.ocr_max_pages > 0:
        if defer_ocr:
            raise ScannedPagesError(refusal, scanned)
        started = time.monotonic()
        results = recognise_pdf_pages(data, scanned, name, max_pages=limits.ocr_max_pages,
                                      timeout_s=limits.ocr_timeout_s, cache_dir=limits.ocr_cache_dir)
        for result in results:
            if result.status == "recognised":
                pages[result.page - 1] = "\n".join(result.lines)
        report = OcrReport.of(results, time.monotonic() - started)
    if not any(page.strip() for page in pages):
        if report is not None:
            raise DocumentLoadError(f"{name}: PDF 没有文字层（可能是扫描件），OCR 也没有识别出文字："
                                    f"{report.summary()}请提供可复制文字或更清晰的版本")
        raise DocumentLoadError(refusal)
    return [line for page in pages for line in (*page.splitlines(), "")], report


def docx_blocks(data: bytes, name: str, limits: FileLimits | None = None) -> list[Block]:
    """Paragraphs (with heading styles) and table rows of a DOCX, guarding against zip bombs and malformed XML."""
    check_docx_archive(data, name, limits or FileLimits())
    with parse_errors(f"{name}: DOCX 文件损坏或格式不正确"):
        return _docx_blocks(data)


def _docx_blocks(data: bytes) -> list[Block]:
    from docx import Document

    document = Document(io.BytesIO(data))
    lines: list[str] = []
    blocks: list[Block] = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        text = paragraph.text.strip()
        if style.lower().startswith("heading") and text:
            blocks.extend(text_blocks(lines))
            lines = []
            level = int(style.split()[-1]) if style.split()[-1].isdigit() else 2
            blocks.append(Block(kind="heading", text=text, level=level))
        else:
            lines.extend([text, ""])
    blocks.extend(text_blocks(lines))
    for table in document.tables:
        rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
        if rows:
            blocks.append(Block(kind="table_row", text=rows[0]))
            blocks.extend(Block(kind="table_row", text=row, header=rows[0]) for row in rows[1:])
    return blocks


def html_blocks(html: str, name: str = "", limits: FileLimits | None = None) -> tuple[list[Block], str]:
    """Headings, paragraphs, list items and table rows of an HTML page, plus its <title>."""
    with parse_errors(f"{name}: HTML 格式不正确"):
        return _html_blocks(html, name, limits or FileLimits())


def _html_blocks(html: str, name: str, limits: FileLimits) -> tuple[list[Block], str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    check_tree_depth(soup, name, limits)
    for tag in soup(["script", "style", "nav", "footer", "header"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    blocks: list[Block] = []
    for element in _html_elements(soup):
        text = re.sub(r"\s+", " ", element.get_text(" ", strip=True))
        if not text:
            continue
        if element.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            blocks.append(Block(kind="heading", text=text, level=int(element.name[1])))
        elif element.name == "li":
            blocks.append(Block(kind="list_item", text=text))
        elif element.name == "tr":
            cells = [c.get_text(" ", strip=True) for c in element.find_all(["td", "th"])]
            row = " | ".join(cells)
            table = element.find_parent("table")
            first = table.find("tr") if table is not None else None
            header = "" if first is element or first is None else " | ".join(
                c.get_text(" ", strip=True) for c in first.find_all(["td", "th"])
            )
            blocks.append(Block(kind="table_row", text=row, header=header))
        else:
            blocks.append(classify_line(text))
    return blocks, title


def _html_elements(soup: Any) -> Iterator[Any]:
    """Block-level elements in document order, skipping those nested inside another yielded one."""
    wanted = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr")
    for element in soup.find_all(wanted):
        if element.find_parent(["li", "tr", "p"]) is None:
            yield element
