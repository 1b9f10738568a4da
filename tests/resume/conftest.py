"""Résumé fixtures: the checked-in text samples, rendered to PDF and DOCX once per session, plus bad files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "resume"
TODAY = dt.date(2026, 11, 1)


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def write_pdf(path: Path, lines: list[str], *, photo: bool = False) -> Path:
    """One text line per PDF line, top to bottom, new page when full."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _font()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 50
    for line in lines:
        if y < 50:
            pdf.showPage()
            y = A4[1] - 50
        pdf.setFont(font, 11)
        pdf.drawString(50, y, line)
        y -= 18
    if photo:
        from reportlab.lib.utils import ImageReader

        pdf.drawImage(ImageReader(io.BytesIO(_png())), 450, A4[1] - 120, 60, 80)
    pdf.save()
    return path


def write_two_column_pdf(path: Path, left: list[str], right: list[str]) -> Path:
    """A sidebar layout: contact and skills on the left, experience on the right, same heights."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _font()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for column, x in ((left, 40), (right, 320)):
        y = A4[1] - 50
        for line in column:
            pdf.setFont(font, 11)
            pdf.drawString(x, y, line)
            y -= 18
    pdf.save()
    return path


def write_docx(path: Path, blocks: list[str | list[str]], *, photo: bool = False) -> Path:
    """A paragraph per string, a one-row table per list of cells (a common résumé template layout)."""
    from docx import Document

    document = Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=1, cols=len(block))
        for cell, value in zip(table.rows[0].cells, block, strict=True):
            cell.text = value
    if photo:
        document.add_picture(io.BytesIO(_png()))
    document.save(str(path))
    return path


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80\x80\x80" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def sample_lines(name: str) -> list[str]:
    """The lines of a checked-in UTF-8 sample."""
    return (DATA / name).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every sample résumé by name: text files as checked in, plus PDF and DOCX renderings."""
    out = tmp_path_factory.mktemp("resumes")
    files = {path.name: path for path in DATA.iterdir() if path.suffix in {".txt", ".md"}}
    files["graduate.pdf"] = write_pdf(out / "graduate.pdf", sample_lines("graduate.txt"))
    files["manager.pdf"] = write_pdf(out / "manager.pdf", sample_lines("manager.txt"), photo=True)
    files["engineer.docx"] = write_docx(out / "engineer.docx", sample_lines("engineer.txt"))
    accountant = sample_lines("accountant.txt")
    # The name and contact lines sit in a text box, as in many downloaded templates.
    files["accountant.docx"] = add_text_box(write_docx(out / "accountant.docx", ["个人简历", *accountant[2:]]),
                                            accountant[:2])
    designer: list[str | list[str]] = [
        [part.strip() for part in line.split("|")] if "|" in line else line for line in sample_lines("designer.txt")
    ]
    files["designer.docx"] = write_docx(out / "designer.docx", designer, photo=True)
    lines = sample_lines("two_column.txt")
    files["two_column.pdf"] = write_two_column_pdf(out / "two_column.pdf", lines[:3] + lines[8:], lines[3:8])
    return files


@pytest.fixture(scope="session")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Files a user might upload by mistake or on purpose."""
    from pypdf import PdfReader, PdfWriter

    out = tmp_path_factory.mktemp("bad")
    files: dict[str, Path] = {}
    files["empty.pdf"] = out / "empty.pdf"
    files["empty.pdf"].write_bytes(b"")
    files["program.pdf"] = out / "program.pdf"
    files["program.pdf"].write_bytes(
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
    )
    files["huge.txt"] = out / "huge.txt"
    with files["huge.txt"].open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    plain = write_pdf(out / "plain.pdf", sample_lines("graduate.txt"))
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    files["encrypted.pdf"] = out / "encrypted.pdf"
    with files["encrypted.pdf"].open("wb") as fh:
        writer.write(fh)
    files["scanned.pdf"] = _image_only_pdf(out / "scanned.pdf")
    files["bomb.docx"] = out / "bomb.docx"
    with zipfile.ZipFile(files["bomb.docx"], "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (8 * 1024 * 1024))
    files["archive.docx"] = out / "archive.docx"
    with zipfile.ZipFile(files["archive.docx"], "w") as archive:
        archive.writestr("notes.txt", "hello")
    files["broken.pdf"] = out / "broken.pdf"
    files["broken.pdf"].write_bytes(b"%PDF-1.7\n" + b"garbage " * 50)
    files["photo.png"] = out / "photo.png"
    files["photo.png"].write_bytes(_png())
    return files


def _image_only_pdf(path: Path) -> Path:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    pdf.drawImage(ImageReader(io.BytesIO(_png())), 50, 300, 400, 400)
    pdf.save()
    return path


@pytest.fixture(scope="session")
def skill_lexicon() -> None:
    """Skip when the shared skill lexicon cannot be loaded (it is developed alongside; the résumé code copes)."""
    from assistant.errors import AssistantError

    try:
        from assistant.skills.extraction import extract_skills

        extract_skills("Java")
    except (ImportError, AssistantError) as exc:
        pytest.skip(f"共享技能词库不可用：{exc}")


def add_text_box(docx_path: Path, lines: list[str]) -> Path:
    """Anchor a text box holding `lines` in the document's first paragraph, as Word writes it (with a VML fallback)."""
    from docx import Document
    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    paragraphs = "".join(f'<w:p><w:r><w:t>{line}</w:t></w:r></w:p>' for line in lines)
    run = etree.fromstring(
        f'<w:r xmlns:w="{w}" xmlns:mc="{mc}"><mc:AlternateContent>'
        f"<mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>{paragraphs}</w:txbxContent></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><w:txbxContent>{paragraphs}</w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    document = Document(str(docx_path))
    document.paragraphs[0]._p.append(run)
    document.save(str(docx_path))
    return docx_path
