"""Follow-up questions: the one rewriter every entry point uses ("那博士呢？" read together with what came before)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from assistant.vocab.catalogue import load_catalogue

SHORT_QUESTION = 12
_ELLIPTICAL = re.compile(r"^(?:那|那么|还有|另外|如果|要是|换成|and\b|what about|how about|and if)", re.IGNORECASE)
_AUDIENCE = re.compile(
    "博士后|博士研究生|博士|硕士研究生|硕士|研究生|本科毕业生|本科生|本科|大专生|专科生|高职|高校毕业生|应届毕业生|应届生"
    "|留学回国人员|留学人员|海外人才|青年人才|技能人才|高层次人才"
    "|postdocs?|phds?|master'?s students?|masters?|bachelors?",
    re.IGNORECASE)
_FILLER = re.compile(r"[那么如果是要在的呢吗？?。，,\s]|what about|how about", re.IGNORECASE)


def is_elliptical(question: str) -> bool:
    """A question opening like "那…", "还有…", "what about …"."""
    return bool(_ELLIPTICAL.match(question.strip()))


def is_audience(text: str) -> bool:
    """Whether the text names who is asking (博士后, 硕士, 应届毕业生 …)."""
    return bool(_AUDIENCE.search(text))


def is_follow_up(question: str) -> bool:
    """A question that cannot stand alone: very short, or opening like "那…" / "what about …"."""
    text = question.strip()
    return len(text) <= SHORT_QUESTION or is_elliptical(text)


def rewrite_follow_up(question: str, history: Sequence[str]) -> str:
    """The question to search for: a follow-up becomes standalone against the (resolved) previous question.

    "那硕士呢？" after "博士后来渝有哪些补贴？" swaps the one thing that changed ("硕士来渝有哪些补贴？"); other
    follow-ups are read together with the previous question. History may hold raw or already rewritten questions.
    """
    if not history:
        return question
    previous = history[0]
    for earlier in history[1:]:
        previous = _resolve(earlier, previous)
    return _resolve(question, previous)


def _resolve(question: str, previous: str) -> str:
    if not is_follow_up(question):
        return question
    text = question.strip()
    return _swap(text, previous) or f"{previous} {text}"


def _swap(text: str, previous: str) -> str | None:
    """The previous question with its audience or district replaced by the one the follow-up names, if that is all."""
    for pattern in (_AUDIENCE, _districts()):
        new = pattern.search(text)
        if not new or len(_FILLER.sub("", pattern.sub("", text))) > 2:
            continue
        old = pattern.search(previous)
        if old and old.group(0) != new.group(0):
            return previous[: old.start()] + new.group(0) + previous[old.end():]
    return None


@cache
def _districts() -> re.Pattern[str]:
    names = load_catalogue().districts
    return re.compile("|".join(sorted({*names, *(n.removesuffix("区") for n in names)}, key=len, reverse=True)))
