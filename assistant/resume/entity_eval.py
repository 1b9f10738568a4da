"""Entity-level exact-span precision, recall and F1 of the tagger on a BMES-tagged file (ResumeNER format)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from assistant.resume.entities import tag_entities

Span = tuple[int, int, str]


def read_bmes(path: Path) -> Iterator[tuple[str, set[Span]]]:
    """Sentences of a `char TAG` per line file (blank line between sentences) with their gold spans."""
    chars: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            char, tag = line.rsplit(" ", 1)
            chars.append(char or " ")
            tags.append(tag)
        elif chars:
            yield "".join(chars), _spans(tags)
            chars, tags = [], []


def _spans(tags: list[str]) -> set[Span]:
    spans: set[Span] = set()
    start = None
    for index, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        if prefix == "S":
            spans.add((index, index + 1, kind))
        elif prefix == "B":
            start = index
        elif prefix == "E" and start is not None:
            spans.add((start, index + 1, kind))
            start = None
        elif prefix == "O":
            start = None
    return spans


def measure(path: Path) -> dict[str, tuple[float, float, float]]:
    """(precision, recall, F1) per entity type, and micro-averaged under 'ALL'."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for text, gold in read_bmes(path):
        pred = {(e.start, e.end, e.type) for e in tag_entities(text)}
        for _, _, kind in gold & pred:
            tp[kind] += 1
        for _, _, kind in pred - gold:
            fp[kind] += 1
        for _, _, kind in gold - pred:
            fn[kind] += 1
    scores = {}
    for kind in [*sorted(set(tp) | set(fn) | set(fp)), "ALL"]:
        hits = sum(tp.values()) if kind == "ALL" else tp[kind]
        predicted = hits + (sum(fp.values()) if kind == "ALL" else fp[kind])
        expected = hits + (sum(fn.values()) if kind == "ALL" else fn[kind])
        precision = hits / predicted if predicted else 0.0
        recall = hits / expected if expected else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[kind] = (precision, recall, f1)
    return scores
