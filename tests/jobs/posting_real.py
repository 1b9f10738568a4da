"""Sentences of the real 2019 job ads (../shared/data) for measuring the posting check, addressed by reference.

Only references (file, CSV record, column, character span) and a short hash live in the repository
(tests/data/posting_real/labels.yaml); the text is read from ../shared/data at run time.
`python -m tests.jobs.posting_real SEED N` prints a fresh random sample of candidate sentences for labelling.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "jobs_2019_boss_liepin_lagou"
LABELS = Path(__file__).resolve().parents[1] / "data" / "posting_real" / "labels.yaml"
# the description column of each source, by record width (see assistant/jobs/loading.py's layouts)
_DESCRIPTION = {"boss_zhipin_all_sheets.csv": {11: 6}, "liepin_all_sheets.csv": {15: 9, 14: 9}}
# sentence ends, and the start of a numbered item ("…任务；4.同…", "…要求1、…")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_ITEM = re.compile(r"(?<![\d.])(?=(?:\d{1,2}|[一二三四五六七八九十])[.．、)）](?!\d))")
# any word of a protected ground: the broad filter that picks candidate sentences
CANDIDATE = re.compile(r"男|女|性别|年龄|岁|\d0后|95后|婚|育|孕|户口|户籍|籍|本地|民族|族|宗教|信仰|乙肝|传染|携带|"
                       r"健康|残|身高|体重|形象|相貌|长相|五官|颜值|容貌|外貌|气质")


@dataclass(frozen=True)
class Sentence:
    file: str
    record: int  # 0-based data record of the CSV (header excluded)
    column: int
    start: int
    end: int
    text: str

    @property
    def digest(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()[:10]

    @property
    def ref(self) -> str:
        return f"{self.file}:{self.record}:{self.column}:{self.start}:{self.end}"


def records(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return list(reader)


def sentences(name: str, rows: list[list[str]]) -> Iterator[Sentence]:
    widths = _DESCRIPTION[name]
    for record, row in enumerate(rows):
        column = widths.get(len(row))
        if column is None:
            continue
        field = row[column]
        for piece in _SENTENCE.finditer(field):
            bounds = [piece.start()] + [piece.start() + m.start() for m in _ITEM.finditer(piece.group()) if m.start()]
            bounds.append(piece.end())
            for start, end in zip(bounds, bounds[1:], strict=False):
                text = field[start:end]
                if text.strip():
                    yield Sentence(name, record, column, start, end, text)


def resolve(ref: str) -> str:
    """The text a reference points at (the caller checks the digest)."""
    name, record, column, start, end = ref.rsplit(":", 4)
    return records(name)[int(record)][int(column)][int(start):int(end)]


def candidates() -> list[Sentence]:
    found: list[Sentence] = []
    for name in sorted(_DESCRIPTION):
        found.extend(s for s in sentences(name, records(name)) if CANDIDATE.search(s.text) and len(s.text) <= 200)
    return found


if __name__ == "__main__":
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    pool = candidates()
    seen: set[str] = set()
    unique = [s for s in pool if not (s.text.strip() in seen or seen.add(s.text.strip()))]  # type: ignore[func-returns-value]
    print(f"# {len(pool)} candidates, {len(unique)} distinct", file=sys.stderr)
    for s in random.Random(seed).sample(unique, count):
        print(f"{s.ref}\t{s.digest}\t{s.text.strip()}")


def labelled() -> list[tuple[int, str, set[str]]]:
    """(id, sentence, kinds) of every hand-labelled real sentence; AssertionError when the data has changed."""
    import yaml

    cache: dict[str, list[list[str]]] = {}
    out: list[tuple[int, str, set[str]]] = []
    for entry in yaml.safe_load(LABELS.read_text(encoding="utf-8")):
        name, record, column, start, end = entry["ref"].rsplit(":", 4)
        rows = cache.setdefault(name, records(name))
        text = rows[int(record)][int(column)][int(start):int(end)]
        assert hashlib.sha1(text.encode("utf-8")).hexdigest()[:10] == str(entry["sha1"]), entry["ref"]
        out.append((int(entry["id"]), text, set(entry["kinds"] or [])))
    return out


def precision_recall(cases: list[tuple[str, set[str]]], kinds_of: object) -> tuple[float, float, list[str]]:
    """Per-kind precision and recall of `kinds_of(text) -> set of kinds` over (text, expected kinds), and misses."""
    tp = fp = fn = 0
    errors: list[str] = []
    for text, expected in cases:
        found = kinds_of(text)  # type: ignore[operator]
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        if found != expected:
            errors.append(f"expected {sorted(expected)} got {sorted(found)}: {text.strip()}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, errors
