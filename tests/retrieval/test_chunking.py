from __future__ import annotations

import re
from pathlib import Path

from assistant.retrieval.chunking import chunk_document
from assistant.retrieval.documents import Block, DocumentMeta, LoadedDocument
from assistant.retrieval.loading import discover, load_document

REPO = Path(__file__).resolve().parents[2]
ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条")


def _document(blocks: list[Block]) -> LoadedDocument:
    return LoadedDocument(meta=DocumentMeta(id="d", title="标题"), blocks=blocks)


def test_every_article_of_the_corpus_sits_whole_in_one_chunk() -> None:
    corpus = REPO / "corpus" / "documents"
    checked = 0
    for path in discover(corpus):
        document = load_document(path, corpus)
        chunks = chunk_document(document, max_chars=600)
        for block in document.blocks:
            if ARTICLE.match(block.text) and len(block.text) <= 1800:
                assert any(block.text in chunk.text for chunk in chunks), (path.name, block.text[:30])
                checked += 1
    assert checked > 200


def test_condition_list_stays_with_its_lead_in() -> None:
    blocks = [Block(kind="heading", text="第二章 补贴标准", level=2),
              Block(kind="paragraph", text="第三条 符合条件的按下列标准补贴：" + "说明" * 250)]
    blocks += [Block(kind="list_item", text=f"（{n}）第{n}档每月补贴{n}000元；") for n in "一二三"]
    chunks = chunk_document(_document(blocks), max_chars=200)
    holding = [c for c in chunks if "第三条" in c.text]
    assert len(holding) == 1 and all(f"（{n}）" in holding[0].text for n in "一二三")


def test_table_rows_are_grouped_and_repeat_the_header() -> None:
    header = "类别 | 金额"
    blocks = [Block(kind="heading", text="二、支持标准", level=2), Block(kind="table_row", text=header)]
    blocks += [Block(kind="table_row", text=f"第{i}类人才 | {i}0万元", header=header) for i in range(1, 40)]
    chunks = chunk_document(_document(blocks), max_chars=120)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text.startswith(header)
        assert chunk.heading_path == ["二、支持标准"]
    rows = [line for chunk in chunks for line in chunk.text.split("\n") if line != header]
    assert len(rows) == 39  # every row once, none cut


def test_chunks_carry_heading_path_and_never_mix_sections() -> None:
    corpus = REPO / "tests" / "data" / "corpus"
    document = load_document(corpus / "policies" / "housing.md", corpus)
    chunks = chunk_document(document, max_chars=600)
    by_path = {tuple(c.heading_path): c.text for c in chunks}
    assert "第四条" in by_path[("第二章 补贴标准",)]
    assert "第五条" not in by_path[("第二章 补贴标准",)]
    assert chunks[0].context_line(document.meta.title) == "测试市青年人才安居补贴办法 > 第一章 总则"


def test_only_a_runaway_unit_is_split_at_sentence_ends() -> None:
    long_article = "第一条 " + "这是一句很长的规定。" * 300
    chunks = chunk_document(_document([Block(kind="paragraph", text=long_article)]), max_chars=300)
    assert len(chunks) > 3
    assert all(chunk.text.endswith("。") for chunk in chunks)
    assert "".join(chunk.text.replace("\n", "") for chunk in chunks) == long_article


def test_a_run_without_sentence_ends_is_cut_at_the_hard_limit() -> None:
    # A staff upload of a multi-megabyte one-line file once became one ~1M-character chunk, whose embedding held
    # the encoder for minutes; no chunk may be longer than hard_limit(max_chars).
    from assistant.retrieval.chunking import hard_limit

    line = "人才政策补贴说明" * 125_000  # 1M characters, no sentence end
    blocks = [Block(kind="heading", text="二、说明", level=2), Block(kind="paragraph", text=line),
              Block(kind="paragraph", text="第一句。" * 600 + "没有句号的尾巴" * 300)]
    chunks = chunk_document(_document(blocks), max_chars=600)
    assert max(len(c.text) for c in chunks) <= hard_limit(600) == 1800
    assert "".join(c.text.replace("\n", "") for c in chunks) == line + "第一句。" * 600 + "没有句号的尾巴" * 300
    assert all(c.heading_path == ["二、说明"] for c in chunks)
