"""Posting check: flag discriminatory or unlawful requirements with the rule they conflict with.

Matching never reads protected attributes (they live in `ProtectedAttributes`, which no feature encodes);
this module is the other half: it tells an employer which words of a posting demand them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import yaml
from pydantic import BaseModel, Field

from assistant.errors import InvalidInputError

MAX_POSTING_CHARS = 50_000
_CLAUSE = re.compile(r"[^，。；;,.\n！!？?、]+")
_LIABILITY = "就业促进法第六十二条：实施就业歧视的，劳动者可以向人民法院提起诉讼"


@dataclass(frozen=True)
class _Rule:
    kind: str
    patterns: tuple[re.Pattern[str], ...]
    exempt: re.Pattern[str] | None  # a clause matching this is lawful or neutral wording
    rule: str
    suggestion: str


def _load_rules() -> tuple[_Rule, ...]:
    """The rules of posting_rules.yaml (beside this module): patterns, exemption, law and rewording per kind."""
    text = resources.files("assistant.jobs").joinpath("posting_rules.yaml").read_text(encoding="utf-8")
    return tuple(
        _Rule(
            kind=str(entry["kind"]),
            patterns=tuple(re.compile(pattern) for pattern in entry["patterns"]),
            exempt=re.compile(entry["exempt"]) if entry.get("exempt") else None,
            rule=str(entry["rule"]),
            suggestion=str(entry["suggestion"]),
        )
        for entry in yaml.safe_load(text)
    )


# in the order each clause is checked against them; read once, at import
_RULES: tuple[_Rule, ...] = _load_rules()


class PostingIssue(BaseModel):
    """One flagged requirement."""

    kind: str = Field(
        description="gender, age, marital_childbearing, hukou, ethnicity, religion, health, disability, appearance"
    )
    text: str = Field(description="The words that demand the protected attribute.")
    clause: str = Field(description="The clause they stand in.")
    start: int = Field(description="Character offset of `text` in the posting.")
    rule: str = Field(description="The law it conflicts with.")
    suggestion: str


class PostingCheck(BaseModel):
    """The result of checking one posting."""

    issues: list[PostingIssue]
    liability: str = _LIABILITY


def check_posting(text: str) -> PostingCheck:
    """Flag discriminatory requirements in a posting text, each with its law and a neutral rewording."""
    if not text.strip():
        raise InvalidInputError("岗位描述为空，无法检查")
    if len(text) > MAX_POSTING_CHARS:
        raise InvalidInputError(f"岗位描述过长（{len(text)} 字），上限 {MAX_POSTING_CHARS} 字")
    issues: list[PostingIssue] = []
    for clause in _CLAUSE.finditer(text):
        for rule in _RULES:
            if rule.exempt is not None and rule.exempt.search(clause.group()):
                continue
            match = next((m for p in rule.patterns if (m := p.search(clause.group()))), None)
            if match is None:
                continue
            issues.append(PostingIssue(kind=rule.kind, text=match.group(), clause=clause.group().strip(),
                                       start=clause.start() + match.start(), rule=rule.rule,
                                       suggestion=rule.suggestion))
    return PostingCheck(issues=sorted(issues, key=lambda issue: (issue.start, issue.kind)))
