"""Feedback verdicts as golden questions."""

from __future__ import annotations

from pathlib import Path

from assistant.evaluation.golden import load_golden
from assistant.staff.feedback import FeedbackIn, FeedbackStore, export_golden_yaml
from assistant.storage import Database


def test_notes_with_line_breaks_stay_comments_and_the_export_loads(tmp_path: Path, database: Database) -> None:
    store = FeedbackStore(database)
    store.add(FeedbackIn(question="补贴多少？", verdict="bad", note="第一行\n- id: injected\n第三行",
                         expected_docs=["doc-a"], facts=["3万元"], kind="number"), "staff1")
    store.add(FeedbackIn(question="这是什么：A: B", verdict="good", cited_docs=["doc-b"]), "staff2")
    path = tmp_path / "export.yaml"
    path.write_text(export_golden_yaml(store.list()), encoding="utf-8")
    questions = load_golden(path)
    assert [q.id for q in questions] == ["fb0001", "fb0002"]
    assert questions[0].kind == "number" and questions[0].facts == ["3万元"]
    assert questions[1].question == "这是什么：A: B" and questions[1].expected_docs == ["doc-b"]
    assert "# 反馈 #1（差，staff1，" in path.read_text(encoding="utf-8")


def test_the_store_survives_a_reopen(tmp_path: Path, database: Database) -> None:
    FeedbackStore(tmp_path / "f.sqlite").add(FeedbackIn(question="问", verdict="good"), "s")
    assert [e.question for e in FeedbackStore(tmp_path / "f.sqlite").list("good")] == ["问"]
    assert FeedbackStore(tmp_path / "f.sqlite").list("bad") == []
    FeedbackStore(database).add(FeedbackIn(question="问", verdict="bad"), "s")
    reopened = Database(database.url)  # another process on the same database (SQLite file or PostgreSQL)
    assert [e.verdict for e in FeedbackStore(reopened).list()] == ["bad"]
    reopened.dispose()
