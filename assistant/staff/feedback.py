"""Staff verdicts on answers (good/bad with a note), kept in SQLite and exportable as new golden questions."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, field_validator

from assistant.errors import AssistantError, InvalidInputError
from assistant.evaluation.golden import GoldenQuestion, QuestionKind

Verdict = Literal["good", "bad"]
MAX_NOTE_CHARS = 2000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    author TEXT NOT NULL,
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    answer TEXT NOT NULL,
    grounded INTEGER NOT NULL,
    cited_docs TEXT NOT NULL,
    verdict TEXT NOT NULL,
    note TEXT NOT NULL,
    should_decline INTEGER NOT NULL,
    expected_docs TEXT NOT NULL,
    facts TEXT NOT NULL,
    kind TEXT
)
"""


class FeedbackIn(BaseModel):
    """A staff member's verdict on one answer; expected documents and facts make it a usable golden question."""

    question: str = Field(min_length=1, max_length=2000, description="提问原文")
    history: list[str] = Field(default_factory=list, description="追问时此前的提问")
    answer: str = Field(default="", max_length=20000, description="助手给出的答案")
    grounded: bool = Field(default=False, description="助手是否作答（False 表示拒答）")
    cited_docs: list[str] = Field(default_factory=list, description="答案引用的文件 id")
    verdict: Verdict = Field(description="good 或 bad")
    note: str = Field(default="", max_length=MAX_NOTE_CHARS, description="备注：哪里不对、应该怎样")
    should_decline: bool = Field(default=False, description="这个问题本应拒答")
    expected_docs: list[str] = Field(default_factory=list, description="应当引用的文件 id（可空）")
    facts: list[str] = Field(default_factory=list, description="正确答案应包含的短语（可空）")
    kind: QuestionKind | None = Field(default=None, description="问题类别（可空，导出时按是否拒答取默认值）")

    @field_validator("question", "note")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class FeedbackEntry(FeedbackIn):
    """A stored verdict."""

    id: int
    created: dt.datetime
    author: str


class FeedbackError(AssistantError):
    """The feedback store cannot be read or written."""

    http_status = 500


class FeedbackStore:
    """SQLite file of verdicts; one short connection per call, so any thread may use it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    def add(self, item: FeedbackIn, author: str) -> FeedbackEntry:
        """Store a verdict and return it with its id."""
        if not item.question:
            raise InvalidInputError("问题不能为空。")
        created = dt.datetime.now(dt.UTC).replace(microsecond=0)
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created, author, question, history, answer, grounded, cited_docs, verdict, note,"
                " should_decline, expected_docs, facts, kind) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (created.isoformat(), author, item.question, json.dumps(item.history, ensure_ascii=False), item.answer,
                 int(item.grounded), json.dumps(item.cited_docs), item.verdict, item.note, int(item.should_decline),
                 json.dumps(item.expected_docs), json.dumps(item.facts, ensure_ascii=False), item.kind),
            )
            new_id = int(cursor.lastrowid or 0)
        return FeedbackEntry(id=new_id, created=created, author=author, **item.model_dump())

    def list(self, verdict: Verdict | None = None, limit: int = 500) -> list[FeedbackEntry]:
        """Newest first, optionally only one verdict."""
        query = "SELECT * FROM feedback" + (" WHERE verdict = ?" if verdict else "") + " ORDER BY id DESC LIMIT ?"
        params: tuple[object, ...] = (verdict, limit) if verdict else (limit,)
        with self._connect() as db:
            rows = db.execute(query, params).fetchall()
        return [_entry(row) for row in rows]

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = sqlite3.connect(self.path, timeout=10)
        except sqlite3.Error as exc:
            raise FeedbackError(f"无法打开反馈数据库 {self.path}：{exc}") from exc
        connection.row_factory = sqlite3.Row
        try:
            with connection:  # commits, or rolls back on error
                yield connection
        finally:
            connection.close()


def _entry(row: sqlite3.Row) -> FeedbackEntry:
    return FeedbackEntry(
        id=row["id"], created=dt.datetime.fromisoformat(row["created"]), author=row["author"],
        question=row["question"], history=json.loads(row["history"]), answer=row["answer"],
        grounded=bool(row["grounded"]), cited_docs=json.loads(row["cited_docs"]), verdict=row["verdict"],
        note=row["note"], should_decline=bool(row["should_decline"]), expected_docs=json.loads(row["expected_docs"]),
        facts=json.loads(row["facts"]), kind=row["kind"],
    )


def as_golden(entry: FeedbackEntry) -> GoldenQuestion:
    """The golden question a verdict stands for: expected documents default to those a good answer cited."""
    if entry.should_decline:
        return GoldenQuestion(id=f"fb{entry.id:04d}", question=entry.question, kind=entry.kind or "decline_near_topic",
                              answerable=False, history=entry.history)
    expected = entry.expected_docs or (entry.cited_docs if entry.verdict == "good" else [])
    kind = entry.kind or ("follow_up" if entry.history else "fact")
    return GoldenQuestion(id=f"fb{entry.id:04d}", question=entry.question, kind=kind, expected_docs=expected,
                          facts=entry.facts, history=entry.history)


def export_golden_yaml(entries: list[FeedbackEntry]) -> str:
    """YAML in the corpus/eval/golden.yaml format (oldest first), with each note kept as a comment."""
    lines = ["# 由员工反馈导出的候选标准问题（人才 AI 管家）。合入 corpus/eval/golden.yaml 前请核对期望文件与事实。"]
    for entry in sorted(entries, key=lambda e: e.id):
        question = as_golden(entry)
        body = yaml.safe_dump([question.model_dump(mode="json")], allow_unicode=True, sort_keys=False, width=1000)
        verdict = "好" if entry.verdict == "good" else "差"
        note = " ".join(entry.note.split())
        lines.append(f"# 反馈 #{entry.id}（{verdict}，{entry.author}，{entry.created:%Y-%m-%d}）{note}".rstrip())
        if question.answerable and not (question.expected_docs or question.facts):
            lines.append("# 待补充期望文件或事实：")
        lines.append(body.rstrip("\n"))
    return "\n".join(lines) + "\n"
