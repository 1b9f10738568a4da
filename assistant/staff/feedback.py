"""Staff verdicts on answers (good/bad with a note), kept in the storage layer and exportable as golden questions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import SQLAlchemyError

from assistant.errors import AssistantError, InvalidInputError
from assistant.evaluation.golden import GoldenQuestion, QuestionKind
from assistant.storage import Database, inserted_id, schema
from assistant.storage.database import StorageError

Verdict = Literal["good", "bad"]
MAX_NOTE_CHARS = 2000

FB = schema.staff_feedback


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
    """Verdicts in the storage layer; each call is one transaction, so any thread may use it.

    Given a path, the store keeps its own SQLite file there; `build_app` passes the application's `Database`.
    """

    def __init__(self, database: Path | Database) -> None:
        try:
            self.db = database if isinstance(database, Database) else Database.sqlite(database)
        except StorageError as exc:
            raise FeedbackError(f"无法打开反馈数据库 {database}：{exc}") from exc
        self.path = database if isinstance(database, Path) else None

    def import_legacy(self, path: Path) -> bool:
        """Copy the verdicts of an old `feedback.sqlite` once (True when copied)."""
        return self.db.import_legacy(path, {"feedback": (FB, lambda row: {
            **row, "grounded": bool(row["grounded"]), "should_decline": bool(row["should_decline"])})})

    def add(self, item: FeedbackIn, author: str) -> FeedbackEntry:
        """Store a verdict and return it with its id."""
        if not item.question:
            raise InvalidInputError("问题不能为空。")
        created = dt.datetime.now(dt.UTC).replace(microsecond=0)
        with self._begin() as db:
            new_id = inserted_id(db.execute(insert(FB).values(
                created=created.isoformat(), author=author, question=item.question,
                history=json.dumps(item.history, ensure_ascii=False), answer=item.answer, grounded=item.grounded,
                cited_docs=json.dumps(item.cited_docs), verdict=item.verdict, note=item.note,
                should_decline=item.should_decline, expected_docs=json.dumps(item.expected_docs),
                facts=json.dumps(item.facts, ensure_ascii=False), kind=item.kind)))
        return FeedbackEntry(id=new_id, created=created, author=author, **item.model_dump())

    def list(self, verdict: Verdict | None = None, limit: int = 500) -> list[FeedbackEntry]:
        """Newest first, optionally only one verdict."""
        query = select(FB)
        if verdict:
            query = query.where(FB.c.verdict == verdict)
        with self._begin() as db:
            rows = db.execute(query.order_by(FB.c.id.desc()).limit(limit)).mappings().all()
        return [_entry(row) for row in rows]

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        try:
            with self.db.begin() as connection:
                yield connection
        except SQLAlchemyError as exc:
            raise FeedbackError(f"无法读写反馈数据库：{exc}") from exc


def _entry(row: Any) -> FeedbackEntry:
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
