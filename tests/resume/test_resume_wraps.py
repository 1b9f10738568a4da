"""PDF rows wrapped by the layout read back as the author's lines, and review evidence quotes the line it concerns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.app import build_app
from assistant.config import Settings
from assistant.resume.parsing import load_resume
from assistant.resume.wraps import Row, join_rows

DATA = Path(__file__).parents[1] / "data" / "resume"
SOURCE = (DATA / "wrapped_source.txt").read_text(encoding="utf-8").splitlines()


def test_wrapped_pdf_reads_as_the_authors_lines() -> None:
    # wrapped.pdf is wrapped_source.txt laid out 31 characters wide (make_wrapped_pdf.py): bullets take 2–3 rows and
    # the self-evaluation's "。" sits alone on a row.
    lines = [line.text for line in load_resume(DATA / "wrapped.pdf").lines]
    assert lines == SOURCE
    assert all(text.strip("。，、；） ") for text in lines)  # no line is punctuation alone


@pytest.mark.usefixtures("skill_lexicon")
def test_review_of_a_wrapped_pdf_quotes_whole_lines(make_settings: Callable[..., Settings]) -> None:
    services = build_app(make_settings())
    document = services.resumes.read_file(DATA / "wrapped.pdf")
    review, _ = services.resumes.review(document, "Java开发工程师")
    text_of = {line.number: line.text for line in document.parsed.lines}
    quoted = [text_of[s.lines[0]] for s in review.suggestions if s.lines]
    assert quoted and all(text in SOURCE for text in quoted)
    # The bullet without figures is quoted whole (its three rows), and its example continues the whole line.
    unquantified = [s for s in review.suggestions if s.category == "unquantified_result"]
    assert [text_of[s.lines[0]] for s in unquantified] == [SOURCE[8]]
    assert unquantified[0].example and unquantified[0].example.startswith(SOURCE[8][2:] + "，")
    # The figures of a wrapped bullet (800ms → 200ms, 50 万笔) count: its second and third rows are part of it.
    first_bullet = next(line.number for line in document.parsed.lines if line.text.startswith("• 负责订单系统"))
    assert not any(first_bullet in s.lines and s.category == "quantification" for s in review.suggestions)


def _rows(*texts: str, step: float = 18.0) -> list[Row]:
    return [Row(text, 800 - index * step) for index, text in enumerate(texts)]


def test_rows_that_reach_the_margin_join_but_new_lines_stay() -> None:
    rows = _rows("• 负责数据仓库的建设与维护，设计了三层模型并推动各业务线接",  # full row, no sentence end
                 "入统一口径。",
                 "• 编写每日报表",  # a bullet starts a new line
                 "专业技能",  # a heading
                 "熟悉 SQL、Python、Hive 与 Spark，能够独立完成数据清洗与建模",
                 "2020.09-2024.06 重庆大学 统计学 本科")  # a date starts an entry
    assert join_rows(rows) == ["• 负责数据仓库的建设与维护，设计了三层模型并推动各业务线接入统一口径。",
                               "• 编写每日报表", "专业技能",
                               "熟悉 SQL、Python、Hive 与 Spark，能够独立完成数据清洗与建模",
                               "2020.09-2024.06 重庆大学 统计学 本科"]


def test_short_rows_a_paragraph_gap_and_latin_words() -> None:
    # A short row ends its line even without punctuation (a title, a name).
    assert join_rows(_rows("张伟", "Java开发工程师", "负责订单系统的设计开发与上线运维工作")) == [
        "张伟", "Java开发工程师", "负责订单系统的设计开发与上线运维工作"]
    # A gap wider than the page's line spacing separates paragraphs, however full the row above.
    rows = [Row("熟悉 SQL、Python、Hive 与 Spark，能够独立完成数据清洗与建模", 800), Row("第二行内容", 782),
            Row("第三行内容", 764), Row("负责的项目获得公司年度创新奖并在全集团推广", 720)]
    assert join_rows(rows)[-1] == "负责的项目获得公司年度创新奖并在全集团推广"
    # Latin words broken at a space get the space back; a lone "。" row always joins.
    assert join_rows(_rows("Designed and built the order service used by the whole",
                           "company every day", "。")) == ["Designed and built the order service used by the whole "
                                                            "company every day。"]
