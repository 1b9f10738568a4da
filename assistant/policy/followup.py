"""Follow-up questions: an elliptical question ("那博士呢？") is read together with the previous one."""

from __future__ import annotations

import re

_ELLIPTICAL = re.compile(r"^(那|那么|还有|另外|如果|要是|换成|and\b|what about|how about|and if)", re.IGNORECASE)
SHORT_QUESTION = 12


def rewrite_follow_up(question: str, history: list[str]) -> str:
    """The question to search for: unchanged unless it is elliptical and there is a previous question."""
    if not history:
        return question
    if len(question.strip()) <= SHORT_QUESTION or _ELLIPTICAL.match(question.strip()):
        return f"{history[-1]} {question}"
    return question
