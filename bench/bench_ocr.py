"""Benchmark OCR of scanned PDFs: character accuracy and seconds per page, on scans rendered here.

Chinese text is typeset with reportlab (STSong-Light, no font file needed), rasterised with PDFium at 300 or 150
dpi (optionally turned by a degree or two, as a sheet fed askew), and written back as an image-only PDF — a scan
with no text layer. Each scan is then read by the loader's own path (`loading.pdf_text`: pypdf finds no text, the
page is rendered and recognised by RapidOCR), and the recognised text is compared with what was typeset:
accuracy = 1 − CER, the character edit distance over the typeset length, after removing whitespace (and, in the
second figure, NFKC-folding full-width punctuation and digits).

The text is Chinese statutes from `../shared/data/laws_zh` (nobody here wrote them; nothing was tuned on them);
without it the bench uses the regression fixtures' texts in `tests/data/ocr/`.

Run: `python -m bench.bench_ocr [--pages 4] [--write]`; `python -m bench.bench_ocr --fixtures` rewrites the small
scanned fixtures under `tests/data/ocr/` that the tests read.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from assistant.retrieval.limits import FileLimits
from assistant.retrieval.loading import pdf_text
from assistant.retrieval.ocr import ENGINE, OcrReport

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT / ".." / "shared" / "data" / "laws_zh"
FIXTURES = ROOT / "tests" / "data" / "ocr"
FONT = "STSong-Light"
A4 = (595.28, 841.89)


def wrap(paragraphs: Iterable[str], width: int) -> list[str]:
    """Paragraphs cut into lines of `width` characters, as a typeset page breaks them."""
    lines = []
    for paragraph in paragraphs:
        text = re.sub(r"\s+", "", paragraph)
        lines += [text[i:i + width] for i in range(0, len(text), width)]
    return lines


def text_pdf(pages: Sequence[Sequence[str]], font_size: float = 14, leading: float = 26) -> bytes:
    """A PDF with a real text layer: each page's lines typeset from the top-left margin."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for lines in pages:
        pdf.setFont(FONT, font_size)
        y = A4[1] - 72
        for line in lines:
            pdf.drawString(72, y, line)
            y -= leading
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def rasterise(pdf: bytes, dpi: int, rotate: float = 0.0) -> list[Any]:
    """Grey page images of a PDF at `dpi`, turned `rotate` degrees (white fills the corners)."""
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    images = []
    for page in document:
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        if rotate:
            image = image.rotate(rotate, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
        images.append(image)
    document.close()
    return images


def image_pdf(images: Sequence[Any], dpi: int, bilevel: bool = False, quality: int = 70) -> bytes:
    """An image-only PDF, one image per page: grey JPEG as most scanners write, or 1-bit CCITT G4 as fax-style
    scanners do."""
    if bilevel:
        images = [image.point(lambda v: 255 if v > 160 else 0).convert("1") for image in images]
    buffer = io.BytesIO()
    options = {} if bilevel else {"quality": quality}
    images[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=list(images[1:]), **options)
    return buffer.getvalue()


def scan(pages: Sequence[Sequence[str]], dpi: int, rotate: float = 0.0, bilevel: bool = False) -> bytes:
    """Typeset, rasterise and wrap as an image-only PDF: a scanned document with no text layer."""
    return image_pdf(rasterise(text_pdf(pages), dpi, rotate), dpi, bilevel)


def normalise(text: str, fold: bool = False) -> str:
    text = re.sub(r"\s+", "", text)
    return unicodedata.normalize("NFKC", text) if fold else text


def accuracy(recognised: str, truth: str, fold: bool = False) -> float:
    """1 − CER: one minus the character edit distance over the length of the truth."""
    from rapidfuzz.distance import Levenshtein

    got, want = normalise(recognised, fold), normalise(truth, fold)
    return 1.0 - Levenshtein.distance(got, want) / max(len(want), 1)


def read_scan(data: bytes, name: str) -> tuple[str, OcrReport]:
    """The text the loader gets from a scanned PDF, and its OCR report."""
    lines, report = pdf_text(data, name, FileLimits(ocr_max_pages=1000, ocr_timeout_s=3600))
    assert report is not None, "no page was sent to OCR"
    return "\n".join(lines), report


TUNING_PAGES = 4  # pages 1–4 of the statute text chose the settings; the figures come from the pages after them


def law_pages(count: int, start: int = TUNING_PAGES, lines_per_page: int = 26, width: int = 30) -> list[list[str]]:
    """`count` pages of statute text from page `start + 1` on (articles of several laws, headings and front matter
    left out); pages 1–`TUNING_PAGES` are the tuning half."""
    paragraphs: list[str] = []
    for path in sorted(LAWS.rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[-1]
        picked = [p for p in body.splitlines() if p.strip() and not p.startswith(("#", "<!--"))]
        paragraphs += picked[:12]  # the first articles of each law: many laws, not one law's vocabulary
    lines = wrap(paragraphs, width)
    first = start * lines_per_page
    return [lines[i:i + lines_per_page] for i in range(first, first + count * lines_per_page, lines_per_page)]


def fixture_pages() -> list[list[str]]:
    return [path.read_text(encoding="utf-8").splitlines() for path in sorted(FIXTURES.glob("policy*.txt"))]


VARIANTS = [("300 dpi", 300, 0.0), ("150 dpi", 150, 0.0), ("300 dpi, turned 1.5°", 300, 1.5),
            ("150 dpi, turned 2°", 150, -2.0)]


def run(pages: list[list[str]], source: str) -> str:
    """Every page at every variant, one page per PDF; a Markdown section with accuracy and seconds per page."""
    read_scan(scan(pages[:1], 150), "warm-up.pdf")  # load the models once, as a parse worker does
    load_before = os.getloadavg()[0]
    rows = []
    for label, dpi, rotate in VARIANTS:
        strict, folded, seconds = [], [], []
        for number, lines in enumerate(pages, 1):
            data = scan([lines], dpi, rotate)
            started = time.perf_counter()
            text, report = read_scan(data, f"page-{number}.pdf")
            seconds.append(time.perf_counter() - started)
            truth = "".join(lines)
            strict.append(accuracy(text, truth))
            folded.append(accuracy(text, truth, fold=True))
            print(f"{label} page {number}: {strict[-1]:.4f} / {folded[-1]:.4f}, {seconds[-1]:.1f} s, "
                  f"confidence {report.confidence}", file=sys.stderr)
        chars = sum(len("".join(lines)) for lines in pages)
        rows.append(f"| {label} | {len(pages)} | {chars} | {_mean(strict):.4f} (min {min(strict):.4f}) | "
                    f"{_mean(folded):.4f} | {statistics.median(seconds):.1f} | {max(seconds):.1f} |")
    return "\n".join([
        "## OCR of scanned PDFs (`python -m bench.bench_ocr`)",
        "",
        f"{ENGINE} (models bundled in the `rapidocr` wheel) through the loader's path: an image-only A4 page "
        f"(JPEG, 14 pt 宋体, 30 characters × 26 lines) → pypdf finds no text layer → PDFium renders it at 200 dpi → "
        f"RapidOCR. Text: {source}. Accuracy = 1 − CER (character edit distance / typeset characters, whitespace "
        "removed); \"folded\" also NFKC-folds full-width punctuation and digits. Seconds per page include rendering, "
        "not the one-off model load (about 1–3 s per worker process). Seconds depend on what else runs: load "
        f"average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after this run (on a shared machine at load "
        "10–13 the same pages took 20–40 s).",
        "",
        "| scan | pages | characters | accuracy | accuracy, folded | s/page (median) | s/page (max) |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
    ])


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def write_fixtures(out: Path = FIXTURES) -> list[Path]:
    """The scanned fixtures the tests read, each one page and well under 300 KB, from the `.txt` texts beside them
    (a mixed PDF: page 1 with a text layer, page 2 scanned)."""
    policy = (out / "policy.txt").read_text(encoding="utf-8").splitlines()
    resume = (out / "resume.txt").read_text(encoding="utf-8").splitlines()
    second = (out / "policy_page2.txt").read_text(encoding="utf-8").splitlines()
    files = {
        "policy_300dpi.pdf": scan([policy], 300),
        "policy_150dpi.pdf": scan([policy], 150),
        "policy_rotated.pdf": scan([policy], 300, rotate=1.5, bilevel=True),
        "resume_scan.pdf": scan([resume], 200),
        "blank_scan.pdf": _blank_scan(),
        "mixed.pdf": _mixed(policy, second),
    }
    written = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written


def _blank_scan() -> bytes:
    """A blank sheet as a scanner sees it: off-white with faint grain, no text."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    pixels = np.clip(rng.normal(246, 4, (1754, 1240)), 0, 255).astype("uint8")
    return image_pdf([Image.fromarray(pixels, "L")], 150, quality=40)


def _mixed(first: list[str], second: list[str]) -> bytes:
    """Page 1 typeset with a text layer, page 2 a scanned image of typeset text."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(text_pdf([first]))).pages[0])
    writer.add_page(PdfReader(io.BytesIO(scan([second], 200))).pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6, help="statute pages per variant (from the test half)")
    parser.add_argument("--tuning", action="store_true", help="read the tuning half (pages 1–4) instead")
    parser.add_argument("--write", action="store_true", help="write the result into docs/PERFORMANCE.md")
    parser.add_argument("--fixtures", action="store_true", help="rewrite tests/data/ocr/*.pdf and stop")
    args = parser.parse_args()
    if args.fixtures:
        for path in write_fixtures():
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KB")
        return
    if LAWS.is_dir():
        if args.tuning:
            pages, source = law_pages(TUNING_PAGES, 0), "the tuning half (pages 1–4) of the statute text"
        else:
            pages = law_pages(args.pages)
            source = (f"{args.pages} pages of statutes from `../shared/data/laws_zh` (the first articles of each "
                      f"law in file order, pages {TUNING_PAGES + 1}–{TUNING_PAGES + args.pages}; pages "
                      f"1–{TUNING_PAGES} were the tuning half that chose the detector size and the upright reading)")
    else:
        pages, source = fixture_pages(), "the regression fixtures' texts (`../shared/data` absent)"
    section = run(pages, source)
    print(section)
    if args.write:
        from bench.report import write_section

        print(f"written to {write_section('ocr', section)}")


if __name__ == "__main__":
    main()
