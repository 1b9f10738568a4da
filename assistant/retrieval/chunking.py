"""Structure-aware chunking: an article, a condition list or a table row group is never cut in two."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from assistant.retrieval.documents import Block, Chunk, LoadedDocument
from assistant.retrieval.loading import ARTICLE_RE
from assistant.untrusted import flag_instructions

_SENTENCE_SPLIT_RE = re.compile(r"(?<=[。！？；!?;])")
# No chunk is longer than this many times `max_chars` (newlines included): a unit up to it stays whole (a long
# article), a longer one is split at sentence ends, and a run without sentence ends (a one-line upload) is cut.
HARD_LIMIT_FACTOR = 3


def hard_limit(max_chars: int) -> int:
    """The most characters any chunk may have when chunking with `max_chars`."""
    return HARD_LIMIT_FACTOR * max_chars


@dataclass
class _Unit:
    """Blocks that belong together: a lead paragraph and its list, an article, a table's row group."""

    heading_path: tuple[str, ...]
    lines: list[str] = field(default_factory=list)
    kind: str = "paragraph"
    table_header: str = ""

    @property
    def size(self) -> int:
        return sum(len(line) for line in self.lines)

    @property
    def length(self) -> int:
        """Characters of the unit's text as a chunk holds it (lines joined by newlines)."""
        return self.size + max(0, len(self.lines) - 1)


def chunk_document(document: LoadedDocument, max_chars: int = 600) -> list[Chunk]:
    """Split a document into chunks of whole units, each chunk within one heading section."""
    units = _units(document.blocks, max_chars, document.meta.title.strip())
    chunks: list[Chunk] = []
    pending: list[_Unit] = []

    def emit() -> None:
        if not pending:
            return
        text = "\n".join(line for unit in pending for line in unit.lines)
        path = list(pending[0].heading_path)
        digest = hashlib.sha1(f"{document.meta.id}\x00{' > '.join(path)}\x00{text}".encode()).hexdigest()
        chunks.append(Chunk(id=digest[:20], doc_id=document.meta.id, ordinal=len(chunks), heading_path=path, text=text,
                            flags=flag_instructions(text)))
        pending.clear()

    for unit in units:
        same_section = bool(pending) and pending[0].heading_path == unit.heading_path
        fits = sum(u.size for u in pending) + unit.size <= max_chars
        if pending and not (same_section and fits):
            emit()
        pending.append(unit)
        if unit.size >= max_chars:
            emit()
    emit()
    return [chunk for chunk in chunks if chunk.text.strip()]


def _units(blocks: list[Block], max_chars: int, title: str) -> list[_Unit]:
    headings: list[tuple[int, str]] = []
    units: list[_Unit] = []
    current: _Unit | None = None

    def path() -> tuple[str, ...]:
        return tuple(text for _, text in headings)

    for block in blocks:
        if block.text.strip() == title:
            continue  # the title line of a PDF/DOCX/text body; every chunk carries the title already
        if block.kind == "heading":
            if block.level <= 1 and not headings:
                # A top-level heading usually repeats the document title, which every chunk already carries.
                continue
            while headings and headings[-1][0] >= block.level:
                headings.pop()
            headings.append((block.level, block.text))
            current = None
            continue
        if block.kind == "table_row":
            header = block.header or block.text
            starts_table = not block.header
            if (
                starts_table
                or current is None
                or current.kind != "table"
                or current.table_header != header
                or current.size + len(block.text) > max_chars
            ):
                current = _Unit(path(), kind="table", table_header=header)
                units.append(current)
                if not starts_table:
                    current.lines.append(header)
            current.lines.append(block.text)
            continue
        if block.kind == "list_item" and current is not None and current.kind in ("paragraph", "article", "list"):
            current.lines.append(block.text)
            if current.kind == "paragraph":
                current.kind = "list"
            continue
        is_article = bool(ARTICLE_RE.match(block.text))
        current = _Unit(path(), [block.text], kind="article" if is_article else "paragraph")
        units.append(current)
    return [piece for unit in units for piece in _split_oversized(unit, max_chars)]


def _split_oversized(unit: _Unit, max_chars: int) -> list[_Unit]:
    """Only a unit beyond the hard limit is split, at sentence ends, so a normal article stays whole; a sentence
    longer than the hard limit (text without sentence ends) is cut at it."""
    limit = hard_limit(max_chars)
    if unit.length <= limit:
        return [unit]
    pieces: list[_Unit] = []
    current = _Unit(unit.heading_path, kind=unit.kind)
    for line in unit.lines:
        for sentence in (run[i : i + limit] for run in _SENTENCE_SPLIT_RE.split(line) if run
                         for i in range(0, len(run), limit)):
            if current.lines and current.size + len(sentence) > max_chars:
                pieces.append(current)
                current = _Unit(unit.heading_path, kind=unit.kind)
            current.lines.append(sentence)
    if current.lines:
        pieces.append(current)
    return pieces
