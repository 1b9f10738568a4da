"""Answer layout on hand-made passages: table headers, whole lists, whole sections, one citation per document."""

from __future__ import annotations

from pathlib import Path

from assistant.policy.compose import (
    Quote,
    list_run,
    merge_quotes,
    quotes_of,
    render,
    section_keywords,
    section_quotes,
    table_header,
)
from assistant.retrieval.documents import Chunk, DocumentMeta
from assistant.retrieval.index import FileEntry, Generation

DOC = DocumentMeta(id="doc-a", title="甲通知")
OTHER = DocumentMeta(id="doc-b", title="乙政策")
TABLE = Chunk(id="c-table", doc_id="doc-a", ordinal=2, heading_path=["三、支持标准"], text="\n".join([
    "项目 | 资助标准",
    "创新人才支持计划 | 每人40万元",
    "出站留渝补贴 | 每人10万元",
]))
LIST = Chunk(id="c-list", doc_id="doc-a", ordinal=1, heading_path=["二、申报条件"], text="\n".join([
    "1. 年龄不超过35周岁；在站期间全职从事博士后研究。",
    "2. 在站满3个月。",
    "3. 签订承诺书。",
]))
SIGN_UP = Chunk(id="c-sign", doc_id="doc-a", ordinal=3, heading_path=["四、报名方式"], text="\n".join([
    "1. 登录“渝才荟”应用报名。",
    "2. 报名截止时间：2027年2月28日。",
]))


def _generation(chunks: list[Chunk]) -> Generation:
    return Generation(number=1, path=Path("."), chunks=chunks, documents={"doc-a": DOC},
                      manifest={"a.md": FileEntry(hash="x", doc_id="doc-a", chunk_ids=[c.id for c in chunks])},
                      retriever=None)


def test_a_row_is_printed_under_its_header_once_per_run() -> None:
    rows = [Quote(DOC, TABLE, 0.9, 2, 0, "出站留渝补贴 | 每人10万元"),
            Quote(DOC, TABLE, 0.9, 1, 0, "创新人才支持计划 | 每人40万元")]
    lines, numbers = render(rows)
    # In table order, under the section's heading and the header row, printed once.
    assert lines == ["支持标准：", "项目 | 资助标准", "创新人才支持计划 | 每人40万元[1]",
                     "出站留渝补贴 | 每人10万元[1]"]
    assert numbers == {"doc-a": 1}
    assert table_header(TABLE.text.split("\n"), 2) == "项目 | 资助标准"
    assert table_header(TABLE.text.split("\n"), 0) is None


def test_a_list_item_is_quoted_whole_and_its_list_completes_in_order() -> None:
    picked = quotes_of("1. 年龄不超过35周岁；", DOC, LIST, 0.8, 0)
    assert picked[0].text == LIST.text.split("\n")[0]  # the whole item, not its first clause
    run = list_run(Quote(DOC, LIST, 0.8, 2, 0, "3. 签订承诺书。"))
    assert [q.line for q in run] == [0, 1, 2]
    table_run = list_run(Quote(DOC, TABLE, 0.8, 2, 0, "出站留渝补贴 | 每人10万元"))
    assert [q.text for q in table_run] == ["创新人才支持计划 | 每人40万元", "出站留渝补贴 | 每人10万元"]


def test_each_document_is_numbered_once_however_many_passages_it_gives() -> None:
    other = Chunk(id="c-other", doc_id="doc-b", ordinal=0, text="乙政策给予每人5万元。")
    quotes = [Quote(DOC, LIST, 0.9, 1, 0, "2. 在站满3个月。"), Quote(OTHER, other, 0.7, 0, 0, "乙政策给予每人5万元。"),
              Quote(DOC, SIGN_UP, 0.6, 0, 0, "1. 登录“渝才荟”应用报名。")]
    lines, numbers = render(merge_quotes(quotes))
    assert numbers == {"doc-a": 1, "doc-b": 2}
    cited = [line for line in lines if line.endswith("]")]
    assert cited[:2] == ["2. 在站满3个月。[1]", "1. 登录“渝才荟”应用报名。[1]"]
    assert cited[-1] == "乙政策给予每人5万元。[2]"


def test_a_fragment_is_dropped_when_its_line_is_quoted_whole() -> None:
    whole = Quote(DOC, LIST, 0.9, 0, 0, LIST.text.split("\n")[0])
    fragment = Quote(DOC, LIST, 0.9, 0, 1, "在站期间全职从事博士后研究。")
    assert merge_quotes([whole, fragment, whole]) == [whole]


def test_how_to_questions_get_the_section_whose_heading_answers_them() -> None:
    assert section_keywords("金牌陪跑赛怎么报名？")[0] == "报名"
    assert "联系" in section_keywords("大赛的联系方式是什么")
    assert section_keywords("博士后补贴多少钱") == ()
    generation = _generation([LIST, TABLE, SIGN_UP])
    section = section_quotes(generation, DOC, 0.7, section_keywords("怎么报名"))
    assert [q.text for q in section] == SIGN_UP.text.split("\n")
    # A conditions heading is not how to apply: no section, the picked sentences answer instead.
    assert section_quotes(_generation([LIST]), DOC, 0.7, section_keywords("如何申报")) == []
    assert section_quotes(None, DOC, 0.7, ("报名",)) == []


def test_a_bare_lead_in_is_printed_without_a_citation_marker() -> None:
    chunk = Chunk(id="c-lead", doc_id="doc-a", ordinal=0, text="申请材料：\n1. 申请表")
    lines, _ = render([Quote(DOC, chunk, 0.9, 0, 0, "申请材料："), Quote(DOC, chunk, 0.9, 1, 0, "1. 申请表")])
    assert lines == ["申请材料：", "1. 申请表[1]"]
