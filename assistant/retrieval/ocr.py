"""OCR for PDF pages without a text layer (scans, photographed 红头文件, image-only résumés).

Pages are rendered with PDFium (`pypdfium2`) and read by RapidOCR with the PP-OCRv6 detection and recognition models
that ship inside the `rapidocr` wheel: the model files are passed by path, so RapidOCR's downloader is never reached
and nothing is fetched at run time. Both libraries are imported only when a scanned page
is met. OCR is slow (seconds per page on two cores), so a file gets a page budget and a time budget
(`FileLimits.ocr_max_pages`, `FileLimits.ocr_timeout_s`); pages beyond either are reported as not recognised.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field

from assistant.errors import DocumentLoadError
from assistant.retrieval.worker import ParseWorker

T = TypeVar("T")
log = logging.getLogger(__name__)

ENGINE = "RapidOCR PP-OCRv6"
# A page with fewer visible characters than this in its text layer is treated as a scan (a lone page number or a
# stamp's caption does not make a page readable).
MIN_TEXT_CHARS = 10
RENDER_DPI = 200  # the recogniser scales pages down to 2000 px on the long side anyway; A4 at 200 dpi is 2339 px
MAX_RENDER_PIXELS = 3000 * 3000  # an absurd page size is rendered smaller rather than exhausting memory
DET_SIDE = 1280
UPSIDE_DOWN_BELOW = 0.8  # a page read with less confidence than this is tried turned 180°
MIN_LINE_SCORE = 0.5  # lines recognised with less confidence are noise (a texture, a smudge), not text
_INK_LEVEL = 128  # a grey value darker than this is ink
_MIN_INK_SHARE = 0.0005  # a page with fewer ink pixels than this share is blank (dust, scanner noise)
_MODELS = ("PP-OCRv6_det_small.onnx", "ch_ppocr_mobile_v2.0_cls_mobile.onnx", "PP-OCRv6_rec_small.onnx")
# (the classifier is given by path too, although it is switched off: RapidOCR must never look for a model)

PageStatus = Literal["recognised", "empty", "broken", "skipped"]


class OcrPage(BaseModel):
    """One page read by OCR: its text lines top to bottom and how sure the recogniser was."""

    page: int  # 1-based, as the PDF numbers it
    status: PageStatus
    lines: list[str] = Field(default_factory=list)
    confidence: float | None = None  # characters-weighted mean line score, 0–1; None when nothing was read
    reason: str = ""  # for a skipped page: which budget ran out


class OcrReport(BaseModel):
    """Which pages of a document came from OCR, for the staff corpus page and the résumé review."""

    engine: str = ENGINE
    pages: list[int] = Field(default_factory=list)  # pages whose text was recognised
    empty_pages: list[int] = Field(default_factory=list)  # image pages on which nothing was recognised
    broken_pages: list[int] = Field(default_factory=list)  # pages whose image data cannot be decoded
    skipped_pages: list[int] = Field(default_factory=list)  # scanned pages left unread (page or time budget)
    confidence: float | None = None  # characters-weighted mean over the recognised pages
    page_confidence: dict[int, float] = Field(default_factory=dict)
    seconds: float = 0.0

    @classmethod
    def of(cls, pages: Sequence[OcrPage], seconds: float = 0.0) -> OcrReport:
        recognised = [page for page in pages if page.status == "recognised"]
        weights = [sum(len(line) for line in page.lines) for page in recognised]
        mean = (sum(w * (page.confidence or 0.0) for w, page in zip(weights, recognised, strict=True)) / sum(weights)
                if sum(weights) else None)
        return cls(pages=[p.page for p in recognised], empty_pages=[p.page for p in pages if p.status == "empty"],
                   broken_pages=[p.page for p in pages if p.status == "broken"],
                   skipped_pages=[p.page for p in pages if p.status == "skipped"],
                   confidence=round(mean, 4) if mean is not None else None,
                   page_confidence={p.page: round(p.confidence or 0.0, 4) for p in recognised},
                   seconds=round(seconds, 2))

    def summary(self) -> str:
        """One Chinese sentence: which pages were recognised, how confidently, and which were not read."""
        parts = []
        if self.pages:
            confidence = f"（平均置信度 {self.confidence:.2f}）" if self.confidence is not None else ""
            parts.append(f"第 {_pages(self.pages)} 页没有文字层，文字由 OCR 识别{confidence}，可能有个别错字")
        if self.empty_pages:
            parts.append(f"第 {_pages(self.empty_pages)} 页是图片但没有识别出文字（空白页或无文字图片）")
        if self.broken_pages:
            parts.append(f"第 {_pages(self.broken_pages)} 页的图片数据已损坏或无法渲染，无法识别")
        if self.skipped_pages:
            parts.append(f"第 {_pages(self.skipped_pages)} 页超出 OCR 的页数或时间上限，未识别")
        return "；".join(parts) + "。" if parts else ""


def _pages(numbers: Sequence[int]) -> str:
    return "、".join(map(str, numbers))


class ScannedPagesError(DocumentLoadError):
    """A PDF parsed with `defer_ocr=True` has pages without a text layer: parse it again with OCR (`run_with_ocr`).

    Its message is the plain refusal, for a caller that does not OCR.
    """

    def __init__(self, message: str, pages: Sequence[int]) -> None:
        super().__init__(message)
        self.pages = list(pages)

    def __reduce__(self) -> tuple[Any, ...]:  # it travels back from the parse worker pickled
        return type(self), (str(self), self.pages)


def run_with_ocr(worker: ParseWorker, function: Callable[..., T], *args: Any, name: str, **kwargs: Any) -> T:
    """`worker.run(function, …)` for a parse that may meet scanned pages; `function` takes `defer_ocr`.

    The first run reads text layers only, under the parse time limit; only a file it found scanned pages in is
    parsed again with OCR, under that limit plus the OCR budget — so a file that hangs a parser is still stopped at
    the parse time limit, and OCR's seconds are granted only to real scans.
    """
    try:
        return worker.run(function, *args, name=name, defer_ocr=True, **kwargs)
    except ScannedPagesError:
        if worker.limits.ocr_max_pages <= 0:
            raise
        return worker.run(function, *args, name=name, timeout=worker.limits.timeout_s + worker.limits.ocr_timeout_s,
                          **kwargs)


def needs_ocr(text: str) -> bool:
    """True when a page's extracted text is (almost) nothing."""
    return sum(1 for ch in text if not ch.isspace()) < MIN_TEXT_CHARS


def recognise_pdf_pages(data: bytes, pages: Sequence[int], name: str, *, max_pages: int, timeout_s: float,
                        cache_dir: Path | None = None) -> list[OcrPage]:
    """OCR the given 1-based `pages` of a PDF in order; the first `max_pages` within `timeout_s` are read, the rest
    come back `skipped`. Raises DocumentLoadError naming the file when PDFium cannot open it.

    With `cache_dir`, pages already read from the same bytes (by the same engine settings) are taken from there, so
    a corpus upload — parsed once to check it, then again by the ingest — pays for OCR once.
    """
    import pypdfium2 as pdfium

    started = time.monotonic()
    cache = _cache_path(cache_dir, data)
    known = _read_cache(cache)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise DocumentLoadError(f"{name}: 扫描页无法渲染（PDF 结构损坏：{exc}）") from None
    results: list[OcrPage] = []
    done = 0
    try:
        for number in pages:
            if number in known:
                results.append(known[number])
                continue
            if done >= max_pages:
                results.append(OcrPage(page=number, status="skipped", reason=f"超过每个文件 {max_pages} 页的 OCR 上限"))
            elif time.monotonic() - started > timeout_s:
                results.append(OcrPage(page=number, status="skipped", reason=f"OCR 用时超过 {timeout_s:g} 秒"))
            else:
                results.append(_recognise_page(document, data, number, name))
            done += 1
    finally:
        document.close()
    _write_cache(cache, results)
    return results


def _cache_path(cache_dir: Path | None, data: bytes) -> Path | None:
    if cache_dir is None:
        return None
    settings = f"{ENGINE}|{RENDER_DPI}|{DET_SIDE}|{MIN_LINE_SCORE}|{UPSIDE_DOWN_BELOW}"
    key = hashlib.sha256(settings.encode() + data).hexdigest()
    return cache_dir / f"{key}.json"


def _read_cache(path: Path | None) -> dict[int, OcrPage]:
    if path is None or not path.is_file():
        return {}
    try:
        pages = [OcrPage.model_validate(item) for item in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError):  # a damaged cache file is only a lost shortcut
        return {}
    return {page.page: page for page in pages}


def _write_cache(path: Path | None, results: Sequence[OcrPage]) -> None:
    kept = [page.model_dump(mode="json") for page in results if page.status != "skipped"]
    if path is None or not kept:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only data folder: OCR again next time


def _recognise_page(document: Any, data: bytes, number: int, name: str) -> OcrPage:
    import numpy as np

    try:
        page = document[number - 1]
        width, height = page.get_size()
        scale = min(RENDER_DPI / 72, (MAX_RENDER_PIXELS / max(width * height, 1.0)) ** 0.5)
        image = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
        page.close()
    except Exception:  # noqa: BLE001 - PDFium on a damaged file fails in many ways; all mean "cannot draw it"
        log.info("page %s of %s cannot be rendered", number, name, exc_info=True)
        return OcrPage(page=number, status="broken")
    if image.size == 0 or (image < _INK_LEVEL).mean() < _MIN_INK_SHARE:
        # Blank: no need to run the models. PDFium draws an image it cannot decode as nothing, so tell a blank
        # sheet from a corrupt one by decoding the page's images.
        return OcrPage(page=number, status="broken" if _images_broken(data, number) else "empty")
    try:
        lines, scores = recognise_image(np.stack([image] * 3, axis=-1))
    except DocumentLoadError:
        raise
    except Exception:  # noqa: BLE001 - the engine choking on one page must not lose the document's other pages
        log.warning("OCR failed on page %s of %s", number, name, exc_info=True)
        return OcrPage(page=number, status="broken")
    if not lines:
        return OcrPage(page=number, status="empty")
    return OcrPage(page=number, status="recognised", lines=lines, confidence=round(_confidence(lines, scores), 4))


def _images_broken(data: bytes, number: int) -> bool:
    """True when an image on the page cannot be decoded (a damaged scan), as pypdf and Pillow see it."""
    from pypdf import PdfReader

    try:
        for image in PdfReader(io.BytesIO(data)).pages[number - 1].images:
            image.image.load()  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - any decoder failure means the same thing here: the picture is damaged
        return True
    return False


def recognise_image(image: Any) -> tuple[list[str], list[float]]:
    """Text lines of an RGB image array (top to bottom, left to right within a line) and their scores.

    Lines are read upright (RapidOCR's per-line 180° classifier is off: on a straight page it sometimes flips a
    line and reads it upside down as garbage); a page read with low confidence is read again turned 180°, as a
    sheet fed upside down would be, and the better reading is kept.
    """
    upright = _read(image)
    if upright[0] and _confidence(*upright) < UPSIDE_DOWN_BELOW:
        turned = _read(image[::-1, ::-1])
        if _confidence(*turned) > _confidence(*upright):
            return turned
    return upright


def _read(image: Any) -> tuple[list[str], list[float]]:
    result = _engine()(image, use_cls=False)
    if not result.txts:
        return [], []
    boxes = [(float(box[:, 1].min()), float(box[:, 1].max()), float(box[:, 0].min())) for box in result.boxes]
    found = [(box, str(text).strip(), float(score))
             for box, text, score in zip(boxes, result.txts, result.scores, strict=True)
             if str(text).strip() and float(score) >= MIN_LINE_SCORE]
    return _join_rows(found)


def _confidence(lines: Sequence[str], scores: Sequence[float]) -> float:
    weights = [len(line) for line in lines]
    return sum(w * s for w, s in zip(weights, scores, strict=True)) / sum(weights) if sum(weights) else 0.0


def _join_rows(found: list[tuple[tuple[float, float, float], str, float]]) -> tuple[list[str], list[float]]:
    """Boxes that share a text row (their vertical centres within half a box height) become one line, read left to
    right: the detector sometimes splits a line at a wide gap (a table cell, a date at the right margin)."""
    found.sort(key=lambda item: ((item[0][0] + item[0][1]) / 2, item[0][2]))
    rows: list[list[tuple[tuple[float, float, float], str, float]]] = []
    for item in found:
        (top, bottom, _), centre = item[0], (item[0][0] + item[0][1]) / 2
        if rows:
            last_top, last_bottom, _ = rows[-1][-1][0]
            if abs(centre - (last_top + last_bottom) / 2) < 0.5 * min(bottom - top, last_bottom - last_top):
                rows[-1].append(item)
                continue
        rows.append([item])
    lines, scores = [], []
    for row in rows:
        row.sort(key=lambda item: item[0][2])
        text = " ".join(item[1] for item in row)
        weights = [len(item[1]) for item in row]
        lines.append(text)
        scores.append(sum(w * item[2] for w, item in zip(weights, row, strict=True)) / sum(weights))
    return lines, scores


def model_files() -> list[Path]:
    """The bundled model files RapidOCR is given (detection, angle classifier, recognition)."""
    import rapidocr

    folder = Path(rapidocr.__file__).parent / "models"
    return [folder / model for model in _MODELS]


# One engine per process: loading the three ONNX sessions takes about a second, a parse worker reads many files.
# It is a library handle, not a domain object.
@functools.cache
def _engine() -> Any:
    from rapidocr import RapidOCR

    det, cls, rec = model_files()
    missing = [path.name for path in (det, cls, rec) if not path.is_file()]
    if missing:  # never let RapidOCR fall back to downloading
        raise DocumentLoadError(f"OCR 模型文件缺失（{'、'.join(missing)}），无法识别扫描件；请重新安装 rapidocr")
    threads = min(4, os.cpu_count() or 1)
    return RapidOCR(params={
        "Global.log_level": "error", "Global.use_cls": False,
        "Det.model_path": str(det), "Cls.model_path": str(cls), "Rec.model_path": str(rec),
        # Detection on the page scaled to 1280 px on its long side (10.5 pt text is still 16 px high) takes a
        # third of the time of the default (which keeps up to 2000 px); recognition reads the sharper page.
        "Det.limit_type": "max", "Det.limit_side_len": DET_SIDE,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })
