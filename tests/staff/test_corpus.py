"""Recognising an upload's real type from its bytes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from assistant.staff.corpus import sniff_content

REPO = Path(__file__).resolve().parents[2]


def zipped(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "<xml/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "expected"), [
    ((REPO / "corpus" / "documents" / "announcements" / "announcement-2025-ip-empowerment-pilot.pdf").read_bytes(),
     "pdf"),
    (zipped("word/document.xml"), "docx"),
    (zipped("xl/workbook.xml"), None),
    ("# 标题\n正文".encode(), "text"),
    ("<!doctype html><p>通知</p>".encode(), "text"),
    ("第一条 国标编码的通知。".encode("gb18030"), "text"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00", None),
    (b"PK\x03\x04 truncated", None),
])
def test_content_type_comes_from_the_bytes(data: bytes, expected: str | None) -> None:
    assert sniff_content(data) == expected
