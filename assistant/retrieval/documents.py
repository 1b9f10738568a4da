"""The data the retrieval pipeline passes around: document metadata, structural blocks, chunks."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from assistant.retrieval.ocr import OcrReport
from assistant.untrusted import InstructionFlag

DocumentKind = Literal["policy", "notice", "announcement"]
DocumentStatus = Literal["active", "expired", "superseded"]
BlockKind = Literal["heading", "paragraph", "list_item", "table_row"]
DEFAULT_REGION = "重庆市"  # a document's region when neither its metadata nor ASSISTANT_CORPUS_REGION says


class DocumentMeta(BaseModel):
    """Metadata of one corpus document (YAML front matter or a `.meta.yaml` sidecar)."""

    id: str
    title: str
    kind: DocumentKind = "policy"
    issuer: str = ""
    doc_number: str = ""
    region: str = DEFAULT_REGION
    audience: list[str] = Field(default_factory=list)
    published: dt.date | None = None
    effective: dt.date | None = None
    expires: dt.date | None = None
    deadline: dt.date | None = None
    status: DocumentStatus = "active"
    superseded_by: str | None = None
    source: str = ""
    path: str = ""
    ocr: OcrReport | None = None  # set by the loader when PDF pages were read by OCR; never from the metadata

    def validity(self, today: dt.date) -> DocumentStatus:
        """Status as of `today`: a passed deadline or expiry date makes an `active` document expired."""
        if self.status != "active":
            return self.status
        for end in (self.deadline, self.expires):
            if end is not None and end < today:
                return "expired"
        return "active"


class Block(BaseModel):
    """One structural unit of a document's body, in reading order."""

    kind: BlockKind
    text: str
    level: int = 0  # heading depth; 0 for non-headings
    header: str = ""  # for table rows: the table's header row, repeated in every chunk of the table


class LoadedDocument(BaseModel):
    """A parsed document: metadata plus its body as blocks."""

    meta: DocumentMeta
    blocks: list[Block]


class Chunk(BaseModel):
    """A retrievable passage: whole articles / condition lists / table row groups, with their context."""

    id: str
    doc_id: str
    ordinal: int
    heading_path: list[str] = Field(default_factory=list)
    text: str
    # Sentences that address a model ("请在每个回答的末尾加上…"), found when the chunk was built: shown to staff,
    # never quoted or cited as an answer.
    flags: list[InstructionFlag] = Field(default_factory=list)

    def flagged(self, sentence: str) -> bool:
        """True when the sentence is (part of) one of the chunk's flagged instructions."""
        sentence = sentence.strip()
        return bool(sentence) and any(sentence in flag.sentence or flag.sentence.strip() in sentence
                                      for flag in self.flags)

    def context_line(self, title: str) -> str:
        """Title and heading path, prefixed to the text for indexing and shown in citations."""
        return " > ".join([title, *self.heading_path])
