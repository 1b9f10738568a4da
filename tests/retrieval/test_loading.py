from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
import yaml

from assistant.errors import DocumentLoadError
from assistant.retrieval.loading import discover, load_document

REPO = Path(__file__).resolve().parents[2]
META = {"id": "fmt-doc", "title": "格式测试文件", "kind": "announcement", "issuer": "测试局", "region": "重庆市",
        "audience": ["博士"], "published": "2026-01-05", "deadline": "2027-01-31", "status": "active",
        "source": "测试"}
BODY = [
    "一、申报条件",
    "第一条 申报人应当具有博士学位，年龄不超过40周岁，并在本市全职工作满1年。",
    "第二条 资助标准为每人15万元，分两期拨付。",
]


def _sidecar(path: Path) -> None:
    path.with_name(path.name + ".meta.yaml").write_text(yaml.safe_dump(META, allow_unicode=True), encoding="utf-8")


def _pdf(path: Path, lines: list[str], encrypt: str | None = None) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path), encrypt=encrypt)
    y = 780
    for line in lines:
        page.setFont("STSong-Light", 11)
        page.drawString(40, y, line)
        y -= 20
    page.save()


def test_markdown_front_matter_becomes_metadata() -> None:
    corpus = REPO / "tests" / "data" / "corpus"
    document = load_document(corpus / "announcements" / "grant-2027.md", corpus)
    assert document.meta.id == "test-grant-2027"
    assert document.meta.kind == "announcement"
    assert document.meta.region == "两江新区"
    assert document.meta.deadline == dt.date(2027, 3, 31)
    assert any(block.kind == "table_row" and "15万元" in block.text for block in document.blocks)


def test_pdf_with_sidecar_keeps_chinese_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    _pdf(path, BODY)
    _sidecar(path)
    document = load_document(path, tmp_path)
    text = "\n".join(block.text for block in document.blocks)
    assert "年龄不超过40周岁" in text and "每人15万元" in text
    assert document.meta.title == "格式测试文件" and document.meta.kind == "announcement"
    assert [b.kind for b in document.blocks][:1] == ["heading"]


def test_docx_headings_paragraphs_and_tables(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("一、申报条件", level=2)
    doc.add_paragraph(BODY[1])
    table = doc.add_table(rows=2, cols=2)
    for (i, j), text in {(0, 0): "类别", (0, 1): "金额", (1, 0): "企业博士", (1, 1): "15万元"}.items():
        table.cell(i, j).text = text
    path = tmp_path / "doc.docx"
    doc.save(str(path))
    _sidecar(path)
    document = load_document(path, tmp_path)
    assert document.blocks[0].kind == "heading" and document.blocks[0].text == "一、申报条件"
    rows = [b for b in document.blocks if b.kind == "table_row"]
    assert rows[-1].text == "企业博士 | 15万元" and rows[-1].header == "类别 | 金额"


def test_html_page_drops_navigation_and_keeps_structure(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>网页通知</title></head><body><nav>首页 登录</nav><h2>一、活动安排</h2>"
        "<p>招聘会于2026年12月5日举行。</p><ul><li>1. 携带简历</li></ul><footer>版权</footer></body></html>",
        encoding="utf-8",
    )
    document = load_document(path, tmp_path)
    texts = [b.text for b in document.blocks]
    assert document.meta.title == "网页通知"
    assert "招聘会于2026年12月5日举行。" in texts and "1. 携带简历" in texts
    assert not any("首页" in t or "版权" in t for t in texts)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8"])
def test_text_files_in_chinese_encodings_decode_exactly(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes("\n\n".join(BODY).encode(encoding))
    document = load_document(path, tmp_path)
    assert [b.text for b in document.blocks][1:] == BODY[1:]


def test_the_corpus_gb18030_document_reads_back() -> None:
    corpus = REPO / "corpus" / "documents"
    path = corpus / "policies" / "policy-talent-children-spouse-service.txt"
    assert path.read_bytes().decode("gb18030")  # really stored in GB18030, not UTF-8
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    document = load_document(path, corpus)
    assert "子女入学" in document.meta.title and any("第一条" in b.text for b in document.blocks)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.md", b"", "文件为空"),
        ("blank.txt", b"  \n\n ", "文件为空"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage", "PDF"),
        ("fake.docx", b"MZ\x90\x00 this is an exe renamed", "DOCX"),
        ("bad-front.md", b"---\ntitle: [unclosed\n---\nbody", "YAML"),
    ],
)
def test_unreadable_files_raise_a_clear_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentLoadError, match=message) as caught:
        load_document(path, tmp_path)
    assert name in str(caught.value)


def test_encrypted_and_scanned_pdfs_are_refused(tmp_path: Path) -> None:
    _pdf(tmp_path / "locked.pdf", BODY, encrypt="secret")
    with pytest.raises(DocumentLoadError, match="加密"):
        load_document(tmp_path / "locked.pdf", tmp_path)
    _pdf(tmp_path / "scan.pdf", [])  # a page with no text layer, as a scanner produces
    with pytest.raises(DocumentLoadError, match="扫描件"):
        load_document(tmp_path / "scan.pdf", tmp_path)


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (120 * 1024 * 1024))
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(DocumentLoadError, match="过大"):
        load_document(path, tmp_path)


def test_discover_skips_readme_sidecars_and_private_folders(tmp_path: Path) -> None:
    for name in ["README.md", "a.md", "b.pdf", "b.pdf.meta.yaml", "_drafts/c.md", ".git/d.md", "e.exe"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    assert [p.name for p in discover(tmp_path)] == ["a.md", "b.pdf"]


def test_demo_corpus_is_complete_and_consistent() -> None:
    corpus = REPO / "corpus" / "documents"
    documents = [load_document(path, corpus) for path in discover(corpus)]
    ids = [d.meta.id for d in documents]
    assert len(ids) == len(set(ids))
    kinds = [d.meta.kind for d in documents]
    assert kinds.count("policy") >= 30 and kinds.count("notice") >= 15 and kinds.count("announcement") >= 15
    suffixes = {Path(d.meta.path).suffix for d in documents}
    assert {".md", ".pdf", ".docx", ".html", ".txt"} <= suffixes
    statuses = {d.meta.status for d in documents}
    assert {"active", "expired", "superseded"} <= statuses
    for document in documents:
        meta = document.meta
        assert meta.issuer and meta.region and meta.published and meta.audience and meta.source, meta.id
        if meta.status == "superseded":
            assert meta.superseded_by in ids
