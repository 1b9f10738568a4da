"""Read a résumé file (PDF, DOCX, TXT/Markdown) into numbered lines, refusing unusable files clearly."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

from assistant.errors import DocumentLoadError
from assistant.resume.models import ParsedResume, ResumeFormat, ResumeLine
from assistant.resume.wraps import Row, join_rows
from assistant.retrieval.limits import FileLimits, check_docx_archive, check_lines, parse_errors
from assistant.retrieval.ocr import OcrReport, ScannedPagesError, needs_ocr, recognise_pdf_pages

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_PAGES = 30  # a résumé's sensible length; the resource limits (zip bombs, XML depth …) are `FileLimits`'

_TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".text": "txt"}
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"#!")
_OTHER_BINARY_MAGIC = {
    b"\x89PNG": " PNG 图片",
    b"\xff\xd8\xff": " JPEG 图片",
    b"GIF8": " GIF 图片",
    b"\xd0\xcf\x11\xe0": "旧版 Word（.doc）或 Excel 文件",
    b"Rar!": "RAR 压缩包",
    b"\x1f\x8b": "gzip 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
}
_MARKDOWN_DECORATION = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+(?=\S))|(\*\*|__|`)")


def load_resume(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, limits: FileLimits | None = None,
                defer_ocr: bool = False) -> ParsedResume:
    """Read and parse the résumé at `path`; raises DocumentLoadError with a Chinese message when unusable."""
    if not path.exists():
        raise DocumentLoadError(f"找不到简历文件：{path}")
    if path.is_dir():
        raise DocumentLoadError(f"{path} 是文件夹，请指定一个简历文件。")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentLoadError(f"无法读取简历文件 {path.name}（{type(exc).__name__}）") from exc
    _check_size(size, max_bytes)
    try:
        data = path.read_bytes()
    except PermissionError as exc:
        raise DocumentLoadError(f"没有读取简历文件 {path.name} 的权限。") from exc
    except OSError as exc:
        raise DocumentLoadError(f"无法读取简历文件 {path.name}（{type(exc).__name__}）") from exc
    return parse_resume_bytes(data, path.name, max_bytes=max_bytes, limits=limits, defer_ocr=defer_ocr)


def parse_resume_bytes(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES,
                       limits: FileLimits | None = None, defer_ocr: bool = False) -> ParsedResume:
    """Parse résumé bytes; the format comes from the content, the file name only breaks ties.

    Every parser failure becomes a DocumentLoadError naming the file (`limits.parse_errors`); files beyond
    `limits` (zip bombs, deep XML, too many or too long lines) are refused. Run it in a `ParseWorker` (through
    `ocr.run_with_ocr`) for a hard time limit. PDF pages without a text layer are read by OCR (`ParsedResume.ocr`
    and a warning say which), or, with `defer_ocr`, reported by raising `ScannedPagesError`.
    """
    _check_size(len(data), max_bytes)
    limits = limits or FileLimits()
    parsed = _parse(data, filename, limits, defer_ocr)
    check_lines([line.text for line in parsed.lines], filename, limits)
    return parsed


def _parse(data: bytes, filename: str, limits: FileLimits, defer_ocr: bool = False) -> ParsedResume:
    head = data[:8]
    if head.startswith(_EXECUTABLE_MAGIC):
        raise DocumentLoadError(f"{filename} 是可执行程序或脚本，不是简历文档。"
                                "请上传 PDF、DOCX、TXT 或 Markdown 文件。")
    for magic, what in _OTHER_BINARY_MAGIC.items():
        if head.startswith(magic):
            raise DocumentLoadError(f"{filename} 是{what}，不是支持的简历格式。"
                                    "请上传 PDF、DOCX、TXT 或 Markdown 文件。")
    if head.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        return _parse_pdf(data, filename, limits, defer_ocr)
    if head.startswith(b"PK\x03\x04"):
        return _parse_docx(data, filename, limits)
    suffix = Path(filename).suffix.lower()
    if suffix in {".pdf", ".docx"}:
        raise DocumentLoadError(f"{filename} 的扩展名是 {suffix}，"
                                f"但内容不是有效的 {suffix[1:].upper()} 文件，可能已损坏。")
    return _parse_text(data, filename, _TEXT_SUFFIXES.get(suffix, "txt"))  # type: ignore[arg-type]


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise DocumentLoadError("简历文件是空的（0 字节），请重新导出后上传。")
    if size > max_bytes:
        raise DocumentLoadError(
            f"简历文件太大（{size / 1024 / 1024:.1f} MB），上限为 {max_bytes / 1024 / 1024:.0f} MB。"
            "请压缩图片或导出为纯文字 PDF 后再上传。"
        )


def _numbered(texts: list[tuple[str, int | None]]) -> list[ResumeLine]:
    lines = []
    for number, (text, page) in enumerate(texts, 1):
        cleaned = text.replace("\u3000", " ").replace("\xa0", " ").strip()
        if cleaned:
            lines.append(ResumeLine(number=number, text=cleaned, page=page))
    return lines


def _require_text(lines: list[ResumeLine], filename: str, hint: str) -> list[ResumeLine]:
    if sum(len(line.text) for line in lines) < 10:
        raise DocumentLoadError(f"{filename} 中几乎没有可读取的文字{hint}。")
    return lines


def _parse_pdf(data: bytes, filename: str, limits: FileLimits, defer_ocr: bool = False) -> ParsedResume:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    with parse_errors(f"{filename} 不是有效的 PDF 文件或已损坏，无法读取。"):
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                # Many PDFs are "encrypted" with an empty user password and open without asking for one.
                try:
                    opened = reader.decrypt("")
                except (DependencyError, NotImplementedError) as exc:
                    raise DocumentLoadError(f"{filename} 已加密，无法读取。请取消密码保护后重新上传。") from exc
                if not opened:
                    raise DocumentLoadError(f"{filename} 设有打开密码，无法读取。请取消密码保护后重新上传。")
            pages = reader.pages
            if len(pages) > min(MAX_PAGES, limits.pdf_max_pages):
                raise DocumentLoadError(f"{filename} 共 {len(pages)} 页，"
                                        f"超过简历的合理篇幅（{MAX_PAGES} 页），请只上传简历本身。")
            page_texts: list[str] = []
            page_rows: list[list[tuple[float, float, str]]] = []
            two_column_pages = []
            image_seen = False
            for page_number, page in enumerate(pages, 1):
                fragments: list[tuple[float, float, str]] = []

                def visit(text: str, cm: object, tm: list[float], font: object, size: object, sink=fragments) -> None:
                    if text.strip():
                        sink.append((tm[4], tm[5], text))

                page_texts.append(page.extract_text(visitor_text=visit) or "")
                page_rows.append(fragments)
                if _looks_two_column(fragments, float(page.mediabox.width)):
                    two_column_pages.append(page_number)
                # A scanned page is one big image: that is the page itself, not a photo on it.
                image_seen = image_seen or (not needs_ocr(page_texts[-1]) and _page_has_image(page))
        except (FileNotDecryptedError, DependencyError) as exc:
            raise DocumentLoadError(f"{filename} 已加密，无法读取。请取消密码保护后重新上传。") from exc
    hint = "：它可能是扫描件或图片型 PDF（没有文字层）。请上传可复制文字的 PDF、DOCX 或 TXT"
    scanned = [number for number, text in enumerate(page_texts, 1) if needs_ocr(text)]
    ocr = None
    if scanned and limits.ocr_max_pages > 0:
        if defer_ocr:
            raise ScannedPagesError(f"{filename} 中几乎没有可读取的文字{hint}。", scanned)
        ocr, page_texts = _ocr_pages(data, filename, scanned, page_texts, limits)
        if not ocr.pages:
            hint = (f"：它是扫描件或图片型 PDF，文字识别（OCR）也没有识别出文字。{ocr.summary()}"
                    "请上传可复制文字的 PDF、DOCX 或 TXT")
    recognised = set(ocr.pages if ocr is not None else [])
    texts: list[tuple[str, int | None]] = [
        (line, number) for number, text in enumerate(page_texts, 1)
        for line in join_rows(_rows(text, [] if number in recognised else page_rows[number - 1]))
    ]
    lines = _require_text(_numbered(texts), filename, hint)
    warnings = []
    if ocr is not None and ocr.pages:
        warnings.append(f"{ocr.summary()}请核对识别出的文字；上传可复制文字的 PDF 或 DOCX 更可靠。")
    if two_column_pages:
        warnings.append(
            f"第 {'、'.join(map(str, two_column_pages))} 页看起来是双栏排版，提取的阅读顺序可能有错位；"
            "建议改用单栏版式，招聘系统的解析也更可靠。"
        )
    return ParsedResume(source=filename, format="pdf", lines=lines, has_photo=image_seen, warnings=warnings, ocr=ocr)


def _ocr_pages(data: bytes, filename: str, scanned: list[int], page_texts: list[str],
               limits: FileLimits) -> tuple[OcrReport, list[str]]:
    """Read the scanned pages by OCR, in place in the page order (never cached on disk: a résumé is personal)."""
    started = time.monotonic()
    results = recognise_pdf_pages(data, scanned, filename, max_pages=limits.ocr_max_pages,
                                  timeout_s=limits.ocr_timeout_s)
    page_texts = list(page_texts)
    for result in results:
        if result.status == "recognised":
            page_texts[result.page - 1] = "\n".join(result.lines)
    return OcrReport.of(results, time.monotonic() - started), page_texts


def _rows(text: str, fragments: list[tuple[float, float, str]]) -> list[Row]:
    """The page's extracted rows, each with its height on the page where the text positions account for it."""
    lines = text.splitlines()
    heights: dict[int, str] = {}
    for _, y, piece in fragments:  # pieces drawn at one height make one row, in drawing order
        key = round(y)
        heights[key] = heights.get(key, "") + piece
    by_height = [(float(y), re.sub(r"\s+", "", piece)) for y, piece in heights.items()]
    ys: list[float | None] = []
    cursor = 0
    for line in lines:
        flat = re.sub(r"\s+", "", line)
        if not flat:
            ys.append(None)
            continue
        if cursor < len(by_height) and by_height[cursor][1] == flat:
            ys.append(by_height[cursor][0])
            cursor += 1
        else:
            return [Row(line) for line in lines]  # an order pypdf rearranged: judge by the text alone
    return [Row(line, y) for line, y in zip(lines, ys, strict=True)]


def _looks_two_column(fragments: list[tuple[float, float, str]], width: float) -> bool:
    """Two columns: many rows where text starts both left of and right of the page middle at the same height."""
    if len(fragments) < 8 or width <= 0:
        return False
    rows: dict[int, list[float]] = {}
    for x, y, _ in fragments:
        rows.setdefault(round(y / 3), []).append(x)
    split = width * 0.45
    both = sum(1 for xs in rows.values() if min(xs) < width * 0.3 and max(xs) > split)
    right_only = sum(1 for xs in rows.values() if min(xs) > split)
    return both >= 5 and both + right_only >= 0.3 * len(rows)


def _page_has_image(page: object) -> bool:
    try:
        resources = page["/Resources"]  # type: ignore[index]
        xobjects = resources.get("/XObject") if resources else None
        if not xobjects:
            return False
        xobjects = xobjects.get_object()
        return any(xobjects[key].get_object().get("/Subtype") == "/Image" for key in xobjects)
    except (KeyError, AttributeError, TypeError, ValueError):
        return False


def _parse_docx(data: bytes, filename: str, limits: FileLimits) -> ParsedResume:
    broken = f"{filename} 不是有效的 DOCX 文件或已损坏，无法读取。"
    with parse_errors(broken), zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise DocumentLoadError(f"{filename} 是压缩包而不是 Word（DOCX）文档。请上传 PDF、DOCX、TXT 或 Markdown 文件。")
    check_docx_archive(data, filename, limits)  # zip bombs, malformed or too deeply nested XML
    from docx import Document
    from docx.table import Table

    with parse_errors(broken):
        document = Document(io.BytesIO(data))
        texts: list[tuple[str, int | None]] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells: list[str] = []
                    for cell in row.cells:
                        value = cell.text.strip()
                        if value and value not in cells:  # merged cells repeat their text
                            cells.append(value)
                    if all("\n" not in cell for cell in cells):
                        texts.append((" | ".join(cells), None))  # one row of a template table reads as one line
                        continue
                    for cell_text in cells:
                        texts.extend((line, None) for line in cell_text.splitlines())
            else:
                texts.extend((line, None) for line in block.text.splitlines() or [""])
                texts.extend((line, None) for line in _text_box_lines(block._p))
        has_photo = len(document.inline_shapes) > 0 or any(
            "image" in rel.reltype for rel in document.part.rels.values()
        )
    lines = _require_text(_numbered(texts), filename, "：文档可能只有图片。请上传包含文字的简历")
    return ParsedResume(source=filename, format="docx", lines=lines, has_photo=has_photo)


def _text_box_lines(paragraph: object) -> list[str]:
    """Lines of text boxes anchored in a paragraph (many Chinese résumé templates are built from them)."""
    from docx.oxml.ns import qn

    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    lines = []
    for box in paragraph.iter(qn("w:txbxContent")):  # type: ignore[attr-defined]
        # Word stores each box twice (DrawingML and a VML fallback); read only the first.
        if any(ancestor.tag == fallback for ancestor in box.iterancestors()):
            continue
        for inner in box.iter(qn("w:p")):
            lines.append("".join(node.text or "" for node in inner.iter(qn("w:t"))))
    return lines


def _parse_text(data: bytes, filename: str, fmt: ResumeFormat) -> ParsedResume:
    from charset_normalizer import from_bytes

    if data.count(b"\x00") > len(data) // 100 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentLoadError(f"{filename} 是二进制文件，不是文本简历。请上传 PDF、DOCX、TXT 或 Markdown 文件。")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        with parse_errors(f"{filename} 无法识别文字编码，可能不是文本文件。请另存为 UTF-8 编码后上传。"):
            best = from_bytes(data).best()
            if best is None:
                raise DocumentLoadError(f"{filename} 无法识别文字编码，可能不是文本文件。"
                                        "请另存为 UTF-8 编码后上传。") from None
            text = str(best)
    if sum(1 for ch in text if not ch.isprintable() and ch not in "\r\n\t") > len(text) // 50:
        raise DocumentLoadError(f"{filename} 含大量不可打印字符，不是文本简历。")
    raw_lines = text.splitlines()
    if fmt == "md":
        raw_lines = [_MARKDOWN_DECORATION.sub("", line) for line in raw_lines]
    lines = _require_text(_numbered([(line, None) for line in raw_lines]), filename, "")
    return ParsedResume(source=filename, format=fmt, lines=lines)
