"""Parsing résumé files into numbered lines, and refusing unusable files with a clear Chinese message."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import DocumentLoadError
from assistant.resume.parsing import load_resume, parse_resume_bytes


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("graduate.txt", "txt"), ("postdoc.md", "md"), ("gbk.txt", "txt"), ("graduate.pdf", "pdf"),
     ("engineer.docx", "docx"), ("designer.docx", "docx")],
)
def test_every_format_yields_numbered_lines(samples: dict[str, Path], name: str, fmt: str) -> None:
    resume = load_resume(samples[name])
    assert resume.format == fmt
    assert len(resume.lines) >= 8
    numbers = [line.number for line in resume.lines]
    assert numbers == sorted(set(numbers))
    assert all(line.text == line.text.strip() and line.text for line in resume.lines)


def test_text_line_numbers_match_the_editor(samples: dict[str, Path]) -> None:
    resume = load_resume(samples["graduate.txt"])
    by_number = {line.number: line.text for line in resume.lines}
    source = (samples["graduate.txt"]).read_text(encoding="utf-8").splitlines()
    for number, text in by_number.items():
        assert source[number - 1].strip() == text
    assert 4 not in by_number  # the blank line keeps its number


def test_gbk_text_is_decoded(samples: dict[str, Path]) -> None:
    resume = load_resume(samples["gbk.txt"])
    assert resume.lines[0].text == "钱多多"
    assert any("重庆日报社" in line.text for line in resume.lines)


def test_markdown_markup_is_removed(samples: dict[str, Path]) -> None:
    resume = load_resume(samples["postdoc.md"])
    assert resume.lines[0].text == "赵思远"
    assert any(line.text == "教育背景" for line in resume.lines)


def test_pdf_keeps_chinese_text_and_pages(samples: dict[str, Path]) -> None:
    resume = load_resume(samples["graduate.pdf"])
    assert resume.lines[0].text == "李明轩"
    assert any("重庆云智科技有限公司" in line.text for line in resume.lines)
    assert {line.page for line in resume.lines} == {1}
    assert resume.warnings == []


def test_docx_table_row_reads_as_one_line_and_photo_is_noticed(samples: dict[str, Path]) -> None:
    resume = load_resume(samples["designer.docx"])
    assert any(line.text == "2017.09-2021.06 | 四川美术学院 | 视觉传达设计 | 本科" for line in resume.lines)
    assert resume.has_photo
    assert not load_resume(samples["engineer.docx"]).has_photo


def test_pdf_photo_is_noticed(samples: dict[str, Path]) -> None:
    assert load_resume(samples["manager.pdf"]).has_photo


def test_two_column_pdf_gets_a_warning(samples: dict[str, Path]) -> None:
    resume = load_resume(samples["two_column.pdf"])
    assert any("双栏" in warning for warning in resume.warnings)
    assert any("重庆长安汽车股份有限公司" in line.text for line in resume.lines)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.pdf", "0 字节"),
        ("program.pdf", "可执行程序"),
        ("huge.txt", "太大"),
        ("encrypted.pdf", "密码"),
        ("scanned.pdf", "扫描件"),
        ("bomb.docx", "压缩炸弹"),
        ("archive.docx", "不是 Word"),
        ("broken.pdf", "已损坏"),
        ("photo.png", "PNG 图片"),
    ],
)
def test_bad_files_get_a_clear_message(bad_files: dict[str, Path], name: str, words: str) -> None:
    with pytest.raises(DocumentLoadError, match=words):
        load_resume(bad_files[name])


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes("张三 工程师\n".encode() * 200)
    with pytest.raises(DocumentLoadError, match="上限为"):
        load_resume(path, max_bytes=1024)


def test_binary_garbage_named_txt_is_refused() -> None:
    with pytest.raises(DocumentLoadError):
        parse_resume_bytes(bytes(range(256)) * 8, "resume.txt")


def test_pdf_extension_with_text_content_is_refused() -> None:
    with pytest.raises(DocumentLoadError, match="不是有效的 PDF"):
        parse_resume_bytes("张三的简历，内容足够长足够长".encode(), "resume.pdf")


def test_docx_text_boxes_are_read_once(samples: dict[str, Path]) -> None:
    resume = load_resume(samples["accountant.docx"])
    texts = [line.text for line in resume.lines]
    assert texts[:3] == ["个人简历", "黄婷", "电话：186 0000 6666  邮箱：huangting@example.com"]
    assert texts.count("黄婷") == 1
