"""Real job ads read from ../shared/data at test time: the labelled sets keep references (file, row, column, SHA-1
prefix) and labels only, never the text."""

from __future__ import annotations

import csv
import hashlib
import json
from functools import cache
from pathlib import Path

import pytest

JOBS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "jobs_2019_boss_liepin_lagou"


@cache
def _rows(name: str) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with (JOBS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def labelled_postings(labels: Path) -> list[tuple[str, list[dict]]]:
    """(text, skills) for each labelled posting; skips the test when ../shared/data is absent."""
    if not JOBS.is_dir():
        pytest.skip(f"job ads not found at {JOBS} (../shared/data is only present in the project workspace/CI)")
    postings = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = _rows(record["file"])[record["row"]][record["column"]]
        assert hashlib.sha1(text.encode()).hexdigest()[:12] == record["sha1"], f"row {record['row']} changed"
        postings.append((text, record["skills"]))
    return postings
