"""Scanned PDFs (no text layer) are read by OCR: corpus ingest, résumé review, the staff pages, and bad scans.

The fixtures in tests/data/ocr are image-only PDFs rendered from the `.txt` texts beside them
(`python -m bench.bench_ocr --fixtures`); the real RapidOCR models from the `rapidocr` wheel read them.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from assistant.app import build_app
from assistant.config import Settings
from assistant.errors import DocumentLoadError
from assistant.retrieval.limits import FileLimits
from assistant.retrieval.loading import load_document
from assistant.retrieval.ocr import ScannedPagesError, model_files, recognise_image, recognise_pdf_pages
from assistant.retrieval.worker import ParseWorker
from bench.bench_ocr import accuracy
from web.app import create_app

OCR = Path(__file__).resolve().parents[1] / "data" / "ocr"
POLICY = (OCR / "policy.txt").read_text(encoding="utf-8")
META = {"id": "scan-housing", "title": "青年人才安居补贴实施办法", "kind": "policy", "issuer": "测试局"}


def _corpus_with(tmp: Path, fixture: str, name: str = "policies/scan.pdf") -> Path:
    target = tmp / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(OCR / fixture, target)
    target.with_name(target.name + ".meta.yaml").write_text(yaml.safe_dump(META, allow_unicode=True),
                                                           encoding="utf-8")
    return target


def test_the_models_ship_inside_the_package() -> None:
    assert all(path.is_file() and path.stat().st_size > 500_000 for path in model_files())


@pytest.mark.parametrize("fixture", ["policy_150dpi.pdf", "policy_rotated.pdf"])
def test_scans_at_150_dpi_and_fed_askew_are_read_accurately(tmp_path: Path, fixture: str) -> None:
    document = load_document(_corpus_with(tmp_path, fixture), tmp_path)
    text = "\n".join(block.text for block in document.blocks)
    assert accuracy(text, POLICY, fold=True) >= 0.97
    assert "每月补贴2000元" in text.replace(" ", "")
    assert document.meta.ocr is not None and document.meta.ocr.pages == [1]


def test_scanned_pages_keep_their_place_and_a_blank_page_is_reported_empty(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(OCR / "mixed.pdf"))  # page 1 typed, page 2 scanned
    writer.add_page(PdfReader(OCR / "blank_scan.pdf").pages[0])
    path = tmp_path / "three.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    document = load_document(path, tmp_path)
    text = "".join(block.text for block in document.blocks).replace(" ", "")
    assert text.index("第四条") < text.index("第五条") < text.index("第七条本办法自2027年3月1日起施行")
    assert text.endswith("有效期三年。")  # nothing read off the blank sheet
    ocr = document.meta.ocr
    assert ocr is not None and ocr.pages == [2] and ocr.empty_pages == [3] and not ocr.skipped_pages
    assert "第 3 页是图片但没有识别出文字" in ocr.summary()


def test_a_sheet_scanned_upside_down_is_read_the_right_way_up() -> None:
    import numpy as np
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument((OCR / "policy_150dpi.pdf").read_bytes())
    page = np.asarray(document[0].render(scale=150 / 72, grayscale=True).to_pil().convert("RGB"))
    document.close()
    top = page[: page.shape[0] // 4]  # the title and the first articles
    lines, scores = recognise_image(np.ascontiguousarray(top[::-1, ::-1]))
    assert "重庆市青年人才安居补贴实施办法" in "".join(lines) and min(scores) > 0.8


def test_a_blank_scan_is_refused_as_empty_not_read_as_garbage(tmp_path: Path) -> None:
    with pytest.raises(DocumentLoadError, match="空白页") as caught:
        load_document(_corpus_with(tmp_path, "blank_scan.pdf"), tmp_path)
    assert "scan.pdf" in str(caught.value) and "OCR 也没有识别出文字" in str(caught.value)


def _garbled(data: bytes) -> bytes:
    """The scan's JPEG bytes overwritten in the middle: the PDF is intact, its picture is not."""
    start = data.index(b"stream") + 200
    return data[:start] + bytes(range(256)) * 40 + data[start + 10240:]


@pytest.mark.parametrize(("damage", "words"), [
    (_garbled, "第 1 页的图片数据已损坏"),
    (lambda data: data[: len(data) // 2], "PDF 文件损坏"),
])
def test_a_damaged_scan_gets_a_clear_error_in_the_parse_worker(tmp_path: Path, damage: Callable[[bytes], bytes],
                                                              words: str) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(damage((OCR / "policy_150dpi.pdf").read_bytes()))
    worker = ParseWorker(FileLimits(), concurrency=1)
    try:
        with pytest.raises(DocumentLoadError, match=words) as caught:
            worker.run(load_document, path, tmp_path, name="broken.pdf")
    finally:
        worker.close()
    assert "broken.pdf" in str(caught.value) and "意外" not in str(caught.value)


def test_the_page_budget_leaves_extra_pages_unread_and_says_so() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for _ in range(3):
        writer.add_page(PdfReader(OCR / "blank_scan.pdf").pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    pages = recognise_pdf_pages(buffer.getvalue(), [1, 2, 3], "long.pdf", max_pages=2, timeout_s=60)
    assert [page.status for page in pages] == ["empty", "empty", "skipped"]
    assert "2 页" in pages[2].reason


def test_a_deferred_parse_names_the_scanned_pages_and_ocr_can_be_switched_off(tmp_path: Path) -> None:
    path = _corpus_with(tmp_path, "mixed.pdf")
    with pytest.raises(ScannedPagesError) as caught:
        load_document(path, tmp_path, defer_ocr=True)
    assert caught.value.pages == [2]
    document = load_document(path, tmp_path, FileLimits(ocr_max_pages=0))  # as before OCR: the typed page only
    assert document.meta.ocr is None and "第五条" not in "".join(block.text for block in document.blocks)
    with pytest.raises(DocumentLoadError, match="扫描件"):
        load_document(_corpus_with(tmp_path, "policy_150dpi.pdf", "b.pdf"), tmp_path, FileLimits(ocr_max_pages=0))


def test_front_matter_cannot_claim_ocr(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("---\ntitle: 说明\nocr:\n  pages: [1]\n---\n第一条 本文件是文字版，没有扫描页。\n",
                    encoding="utf-8")
    assert load_document(path, tmp_path).meta.ocr is None


LIBRARY = [{"title": "数据分析师", "text": "熟练使用 SQL 和 Python，会用 Tableau 制作报表。"},
           {"title": "数据分析师（电商）", "text": "掌握 SQL、Excel、Hive，了解 Python 与 Power BI。"}]


def test_an_image_only_resume_is_reviewed_and_the_review_says_ocr_read_it(
        tmp_path: Path, make_settings: Callable[..., Settings]) -> None:
    library = tmp_path / "library.jsonl"
    library.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in LIBRARY), encoding="utf-8")
    services = build_app(make_settings(skills_library=library))
    try:
        document = services.resumes.read((OCR / "resume_scan.pdf").read_bytes(), "扫描简历.pdf")
        review, _ = services.resumes.review(document, "数据分析师")
    finally:
        services.parsing.close()
    parsed = document.parsed
    assert parsed.ocr is not None and parsed.ocr.pages == [1] and not parsed.has_photo
    assert all(line.page == 1 for line in parsed.lines)
    assert document.fields.phones == ["13812345678"] and document.fields.emails == ["liming@example.com"]
    assert review.score > 0 and any("第 1 页没有文字层，文字由 OCR 识别" in w for w in review.warnings)


def test_a_scan_uploaded_by_staff_is_ingested_searchable_and_shown_as_ocr_read(
        make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(web_rate_limit_per_minute=0)
    services = build_app(settings)  # its parse worker: child processes, the text pass then the OCR pass
    application = create_app(services)
    services.accounts.create("staff1", "staff-pass-2026", "staff", "测试员")
    try:
        client = TestClient(application)
        token = client.get("/api/me").json()["csrf_token"]
        login = client.post("/api/auth/login", json={"username": "staff1", "password": "staff-pass-2026"},
                            headers={"X-CSRF-Token": token})
        client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        scan = (OCR / "policy_300dpi.pdf").read_bytes()
        response = client.post("/api/staff/documents", files={"file": ("扫描件.pdf", scan, "application/pdf")},
                               data={"title": "青年人才安居补贴实施办法（扫描件）", "kind": "policy",
                                     "doc_id": "scan-housing"})
        assert response.status_code == 201, response.text
        assert "policies/scan-housing.pdf" in response.json()["ingest"]["added"]
        hits = client.post("/api/search", json={"query": "在重庆英才网提交申请的截止时间"}).json()
        assert hits[0]["doc_id"] == "scan-housing" and "3月31日前通过重庆英才网" in hits[0]["text"].replace(" ", "")
        generation = services.policy.store.current()
        assert generation is not None
        indexed = "".join(chunk.text for chunk in generation.chunks if chunk.doc_id == "scan-housing")
        assert accuracy(indexed, POLICY, fold=True) >= 0.97  # 300 dpi: the bar
        # The upload was parsed twice (checked in a scratch folder, then ingested); OCR ran once.
        assert len(list((settings.data_dir / "ocr-cache").glob("*.json"))) == 1

        corpus = client.get("/staff/corpus").text
        assert 'id="ocr-scan-housing"' in corpus and "OCR 识别 1 页" in corpus
        page = client.get("/staff/corpus/scan-housing").text
        assert 'id="ocr"' in page and "第 1 页没有文字层，文字由 OCR 识别" in page and "<td>第 1 页</td>" in page
        meta = client.get("/api/staff/documents/scan-housing").json()["document"]["meta"]
        assert meta["ocr"]["pages"] == [1] and meta["ocr"]["confidence"] > 0.9
    finally:
        services.parsing.close()
