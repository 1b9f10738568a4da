"""The golden question set: questions with expected documents and facts, or marked to be declined."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from assistant.errors import InvalidInputError

QuestionKind = Literal[
    "fact", "number", "deadline", "conditions", "materials", "contact", "two_doc", "colloquial", "typo",
    "english", "follow_up", "expired", "superseded", "decline_other_city", "decline_unrelated",
    "decline_near_topic", "retrieval", "person", "lookalike",
]


class GoldenQuestion(BaseModel):
    """One question of the set and what a correct answer must contain."""

    id: str
    question: str
    kind: QuestionKind
    answerable: bool = True
    expected_docs: list[str] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)
    all_facts: bool = False
    history: list[str] = Field(default_factory=list)
    flags: list[Literal["expired", "superseded"]] = Field(default_factory=list)
    # figures that belong to another audience (the 博士后 amount asked by a 硕士): an answer stating one is wrong
    wrong_facts: list[str] = Field(default_factory=list)


def load_golden(path: Path) -> list[GoldenQuestion]:
    """Read and validate a golden set (YAML list); ids must be unique."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        questions = [GoldenQuestion.model_validate(item) for item in raw]
    except (OSError, yaml.YAMLError, ValidationError, TypeError) as exc:
        raise InvalidInputError(f"无法读取问题集 {path}：{exc}") from exc
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            raise InvalidInputError(f"问题集 {path} 中 id 重复：{question.id}")
        seen.add(question.id)
    return questions


def load_cmrc(path: Path, limit: int | None = None) -> tuple[dict[str, str], list[GoldenQuestion]]:
    """CMRC2018 (SQuAD format) as a retrieval-only set: paragraphs by id, and one question per QA pair."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs: dict[str, str] = {}
    questions: list[GoldenQuestion] = []
    for article in data:
        for paragraph in article["paragraphs"]:
            doc_id = f"cmrc-{paragraph['id']}"
            paragraphs[doc_id] = paragraph["context"]
            for qa in paragraph["qas"]:
                questions.append(GoldenQuestion(id=qa["id"], question=qa["question"], kind="retrieval",
                                                expected_docs=[doc_id]))
    return paragraphs, questions[:limit] if limit else questions
