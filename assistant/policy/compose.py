"""How an offline answer is laid out: source lines in document order, each table row under its header, a whole list
or section when the question asks for one, and every document cited once.

The answerer picks sentences (`answering.OfflineAnswerer._pick_sentences`); this module turns them into quotes of
source lines, widens them where the question asks for a list or a section, and renders the cited lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.retrieval.documents import Chunk, DocumentMeta
from assistant.retrieval.index import Generation
from assistant.retrieval.loading import LIST_ITEM_RE

# Questions whose answer is a list: all of its items, in the order of the document.
LIST_QUESTION_RE = re.compile(r"哪些|哪几[类种个项条方面]|有几[类种项]|什么条件|条件|材料|流程|步骤|程序")
# Questions answered by a whole section, with the words its heading has (most specific first).
_SECTION_INTENTS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"(怎么|如何|怎样|去哪|在哪|哪里)(报名|参赛|参加)|报名(方式|途径|渠道|流程)"), ("报名", "参赛")),
    (re.compile(r"(怎么|如何|怎样|去哪|在哪|哪里)(申请|申报|办理)|(申请|申报|办理)(方式|途径|渠道|流程|程序)"),
     ("申报", "申请", "办理", "报名")),
    (re.compile(r"(什么|哪些|啥)材料|材料清单|带.{0,4}材料|材料(有|包括)"), ("材料",)),
    (re.compile(r"(什么|哪些|啥|几)(样的)?(条件|资格)|(申报|报名|参赛|申请|资格)条件|条件是"),
     ("条件", "资格", "对象")),
    (re.compile(r"流程|步骤|(办理|申报|评审)程序"), ("程序", "流程", "步骤")),
    (re.compile(r"联系方式|联系电话|咨询电话|电话(是)?多少|找谁咨询|(哪里|哪儿|何处)咨询|咨询方式|联系人"),
     ("联系", "咨询")),
]
# A heading naming how to do something ("报名方式", "申报程序"), preferred over one that only shares the word.
_PROCEDURE_WORDS = ("方式", "程序", "流程", "途径", "办法", "渠道", "安排", "须知")
_PROCEDURAL_KEYWORDS = ("报名", "申报")
_NOT_PROCEDURE_WORDS = ("条件", "对象", "范围", "标准", "要求", "内容")
_SECTION_NUMBER_RE = re.compile(r"^([一二三四五六七八九十]+、|第[一二三四五六七八九十\d]+[章节条]|\d+[.．、])\s*")
MAX_SECTION_CHARS = 900  # a longer section is not quoted whole: the picked sentences answer instead
MAX_RUN_LINES = 15
MAX_RUN_CHARS = 1000
MAX_ITEM_CHARS = 400  # a list item up to this long is quoted whole rather than its first clause


@dataclass(frozen=True)
class Quote:
    """A piece of one source line that the answer states, with what it is cited from."""

    document: DocumentMeta
    chunk: Chunk
    relevance: float
    line: int  # index of the source line in `chunk.text`
    order: int  # position of the piece within its source line
    text: str


def is_table_row(line: str) -> bool:
    """A table row as the loaders write it: cells joined by " | "."""
    return " | " in line


def _is_item(line: str) -> bool:
    return bool(LIST_ITEM_RE.match(line.strip())) or is_table_row(line)


def table_header(lines: list[str], index: int) -> str | None:
    """The header row of the table row at `index` (the first row of its run); None for the header itself."""
    start = index
    while start > 0 and is_table_row(lines[start - 1]):
        start -= 1
    return lines[start] if start < index else None


def quotes_of(sentence: str, document: DocumentMeta, chunk: Chunk, relevance: float, position: int) -> list[Quote]:
    """The quotes of a picked sentence: one per source line it spans; a list item or table row is quoted whole."""
    lines = chunk.text.split("\n")
    parts = [p.strip() for p in sentence.split("\n") if p.strip()]
    if not parts:
        return []
    first = next((i for i, line in enumerate(lines) if parts[0] in line), None)
    if first is None:
        return [Quote(document, chunk, relevance, 0, position, sentence)]
    quotes: list[Quote] = []
    for offset, part in enumerate(parts):
        index = min(first + offset, len(lines) - 1)
        source = lines[index].strip()
        whole = _is_item(source) and len(source) <= MAX_ITEM_CHARS
        quotes.append(Quote(document, chunk, relevance, index, 0 if whole else position, source if whole else part))
    return quotes


def list_run(quote: Quote) -> list[Quote]:
    """All items of the list or table the quote is an item of, in document order (the quote alone otherwise)."""
    lines = [line.strip() for line in quote.chunk.text.split("\n")]
    if not _is_item(lines[quote.line]):
        return [quote]
    table = is_table_row(lines[quote.line])

    def same_kind(line: str) -> bool:
        return is_table_row(line) if table else bool(LIST_ITEM_RE.match(line)) and not is_table_row(line)

    start = end = quote.line
    while start > 0 and same_kind(lines[start - 1]):
        start -= 1
    while end + 1 < len(lines) and same_kind(lines[end + 1]):
        end += 1
    if table:
        start += 1  # the header row is printed above the rows, not quoted as one
    run = range(start, end + 1)
    if len(run) > MAX_RUN_LINES or sum(len(lines[i]) for i in run) > MAX_RUN_CHARS:
        return [quote]
    return [Quote(quote.document, quote.chunk, quote.relevance, i, 0, lines[i]) for i in run]


def section_keywords(question: str) -> tuple[str, ...]:
    """The heading words of the section the question asks for whole ("怎么报名" → 报名方式), or ()."""
    return next((words for pattern, words in _SECTION_INTENTS if pattern.search(question)), ())


def section_quotes(generation: Generation | None, document: DocumentMeta, relevance: float,
                   keywords: tuple[str, ...]) -> list[Quote]:
    """Every line of the document's section whose heading answers the question, or [] when it has none."""
    if generation is None or not keywords:
        return []
    chunks = sorted((generation.chunks[generation.position[chunk_id]]
                     for entry in generation.manifest.values() if entry.doc_id == document.id
                     for chunk_id in entry.chunk_ids if chunk_id in generation.position), key=lambda c: c.ordinal)

    procedural = keywords[0] in _PROCEDURAL_KEYWORDS  # "怎么报名": 报名方式 before 报名条件

    def rank(chunk: Chunk) -> int | None:
        heading = chunk.heading_path[-1] if chunk.heading_path else ""
        for position, word in enumerate(keywords):
            if word in heading:
                if not procedural or any(w in heading for w in _PROCEDURE_WORDS):
                    return position
                if not any(w in heading for w in _NOT_PROCEDURE_WORDS):
                    return len(keywords) + position
        return None

    ranked = [(r, chunk) for chunk in chunks if (r := rank(chunk)) is not None]
    if not ranked:
        return []
    best = min(r for r, _ in ranked)
    path = next(chunk.heading_path for r, chunk in ranked if r == best)
    section = [chunk for chunk in chunks if chunk.heading_path == path]
    if sum(len(chunk.text) for chunk in section) > MAX_SECTION_CHARS:
        return []
    return [Quote(document, chunk, relevance, i, 0, line.strip())
            for chunk in section for i, line in enumerate(chunk.text.split("\n")) if line.strip()]


def merge_quotes(quotes: list[Quote]) -> list[Quote]:
    """Each piece once: a fragment of a line that is also quoted whole is dropped."""
    whole = {(q.chunk.id, q.line) for q in quotes if q.text == q.chunk.text.split("\n")[q.line].strip()}
    kept: dict[tuple[str, int, str], Quote] = {}
    for quote in quotes:
        key = (quote.chunk.id, quote.line, quote.text)
        if key in kept:
            continue
        if (quote.chunk.id, quote.line) in whole and quote.text != quote.chunk.text.split("\n")[quote.line].strip():
            continue
        kept[key] = quote
    return list(kept.values())


def render(quotes: list[Quote]) -> tuple[list[str], dict[str, int]]:
    """The answer's lines, one per source line, documents numbered by their first (best) quote, each cited once.

    Returns the lines and the citation number of each document id.
    """
    numbers: dict[str, int] = {}
    chunk_rank: dict[str, int] = {}
    for quote in quotes:
        numbers.setdefault(quote.document.id, len(numbers) + 1)
        chunk_rank.setdefault(quote.chunk.id, len(chunk_rank))
    out: list[str] = []
    for doc_id, n in numbers.items():
        # The passage holding the best quote first (the fact in the first line); within a passage, document order.
        own = sorted((q for q in quotes if q.document.id == doc_id),
                     key=lambda q: (chunk_rank[q.chunk.id], q.line, q.order))
        previous: Quote | None = None
        for quote in own:
            new_passage = previous is None or previous.chunk.id != quote.chunk.id
            lines = quote.chunk.text.split("\n")
            if new_passage and _is_item(lines[quote.line]) and quote.chunk.heading_path:
                out.append(f"{_SECTION_NUMBER_RE.sub('', quote.chunk.heading_path[-1])}：")
            same_line = previous is not None and previous.chunk.id == quote.chunk.id and previous.line == quote.line
            marker = "" if quote.text.endswith(("：", ":")) else f"[{n}]"  # a bare lead-in states nothing
            if same_line:
                out[-1] += f"{quote.text}{marker}"
            else:
                header = table_header([line.strip() for line in lines], quote.line) \
                    if is_table_row(lines[quote.line]) else None
                follows_row = (previous is not None and previous.chunk.id == quote.chunk.id
                               and is_table_row(lines[previous.line]) and previous.line < quote.line
                               and all(is_table_row(lines[i]) for i in range(previous.line, quote.line + 1)))
                if header is not None and not follows_row:
                    out.append(header)
                out.append(f"{quote.text}{marker}")
            previous = quote
    return out, numbers


def cited_chunks(quotes: list[Quote], doc_id: str) -> list[Chunk]:
    """The chunks a document's quotes come from, in document order, each once."""
    chunks = {q.chunk.id: q.chunk for q in quotes if q.document.id == doc_id}
    return sorted(chunks.values(), key=lambda c: c.ordinal)


def chinese_date(day: dt.date) -> str:
    """2025-10-15 → 2025年10月15日, as the documents write dates."""
    return f"{day.year}年{day.month}月{day.day}日"
