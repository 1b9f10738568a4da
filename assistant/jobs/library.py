"""The built library in the data directory: records in SQLite, numeric columns in .npz, a manifest."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from assistant.config import POSTINGS_JSONL
from assistant.config import library_dir as library_dir  # re-exported; skills read it too
from assistant.errors import DocumentLoadError, IndexNotReadyError, InvalidInputError
from assistant.jobs.features import (
    Columns,
    Vocabulary,
    build_vocabulary,
    encode_postings,
    encode_talents,
    title_table,
)
from assistant.jobs.generation import generate_postings, generate_talents
from assistant.jobs.models import JobPosting, TalentProfile

FORMAT_VERSION = 1
Progress = Callable[[str, int, int], None]


class BuildReport(BaseModel):
    """What `build_library` wrote."""

    directory: str
    postings: int
    talents: int
    seed: int
    seconds: float


@dataclass
class Library:
    """Postings and profiles with their columns; records are read from SQLite only when shown."""

    directory: Path
    vocab: Vocabulary
    job_columns: Columns
    talent_columns: Columns
    title_table: np.ndarray
    job_ids: list[str]
    talent_ids: list[str]
    _connection: sqlite3.Connection | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # one connection, many web threads

    def _query(self, sql: str, parameters: Sequence[object]) -> list[tuple]:
        with self._lock:
            if self._connection is None:
                self._connection = sqlite3.connect(self.directory / "records.sqlite", check_same_thread=False)
            return self._connection.execute(sql, parameters).fetchall()

    def postings_at(self, rows: Sequence[int]) -> list[JobPosting]:
        """Postings by row number, in the order asked."""
        return [JobPosting.model_validate_json(text) for text in self._fetch("postings", rows)]

    def talents_at(self, rows: Sequence[int]) -> list[TalentProfile]:
        """Profiles by row number, in the order asked."""
        return [TalentProfile.model_validate_json(text) for text in self._fetch("talents", rows)]

    def posting(self, posting_id: str) -> JobPosting:
        """One posting by id; InvalidInputError when unknown."""
        return self.postings_at([self._row("postings", posting_id, "岗位")])[0]

    def talent(self, talent_id: str) -> TalentProfile:
        """One profile by id; InvalidInputError when unknown."""
        return self.talents_at([self._row("talents", talent_id, "人才")])[0]

    def _row(self, table: str, record_id: str, label: str) -> int:
        found = self._query(f"SELECT row FROM {table} WHERE id = ?", (record_id,))
        if not found:
            raise InvalidInputError(f"库中没有编号为 {record_id} 的{label}")
        return int(found[0][0])

    def _fetch(self, table: str, rows: Sequence[int]) -> list[str]:
        if not rows:
            return []
        marks = ",".join("?" * len(rows))
        found = dict(self._query(f"SELECT row, json FROM {table} WHERE row IN ({marks})", [int(r) for r in rows]))
        return [found[int(r)] for r in rows]

    def close(self) -> None:
        """Close the SQLite connection (the columns stay usable; a later lookup reopens it)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def build_library(
    directory: Path,
    postings: int = 30000,
    talents: int = 30000,
    seed: int = 2024,
    progress: Progress | None = None,
    extra_postings: Sequence[JobPosting] = (),
) -> BuildReport:
    """Generate the library with `seed` and write it to `directory`, replacing what was there atomically."""
    if postings < 1 or talents < 1:
        raise InvalidInputError("岗位数和人才数都至少为 1")
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    report("generate", 0, 4)
    jobs = [*generate_postings(postings, seed), *extra_postings]
    report("generate", 1, 4)
    people = generate_talents(talents, seed + 1)
    report("generate", 2, 4)
    vocab = build_vocabulary(jobs, people)
    job_columns, talent_columns = encode_postings(jobs, vocab), encode_talents(people, vocab)
    report("generate", 3, 4)
    staging = directory.with_name(directory.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    arrays = {f"job__{k}": v for k, v in job_columns.items()} | {f"talent__{k}": v for k, v in talent_columns.items()}
    arrays["title_table"] = title_table(vocab)
    np.savez(staging / "columns.npz", **arrays)  # type: ignore[arg-type]  # numpy's stub types **kwds as bool
    (staging / "vocabulary.json").write_text(json.dumps(vocab.entries, ensure_ascii=False), encoding="utf-8")
    with sqlite3.connect(staging / "records.sqlite") as db:
        tables: tuple[tuple[str, Sequence[JobPosting | TalentProfile]], ...] = (("postings", jobs), ("talents", people))
        for table, records in tables:
            db.execute(f"CREATE TABLE {table} (row INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, json TEXT NOT NULL)")
            db.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)",
                           ((i, r.id, r.model_dump_json()) for i, r in enumerate(records)))
    db.close()
    # The same postings as plain records, for the skill analysis (`assistant skills analyze --target …`).
    with (staging / POSTINGS_JSONL).open("w", encoding="utf-8") as fh:
        for job in jobs:
            record = {"title": job.title, "text": job.description, "city": job.district, "industry": job.industry}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    result = BuildReport(directory=str(directory), postings=len(jobs), talents=len(people), seed=seed,
                         seconds=round(time.perf_counter() - started, 2))
    manifest = {"format": FORMAT_VERSION, **result.model_dump()}
    (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    old = directory.with_name(directory.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if directory.exists():
        directory.rename(old)
    staging.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
    report("generate", 4, 4)
    return result


def load_library(directory: Path) -> Library:
    """Open a built library; IndexNotReadyError when none was built."""
    manifest_path = directory / "manifest.json"
    if not manifest_path.exists():
        raise IndexNotReadyError(f"岗位人才库尚未建立（{directory}）：请先运行 assistant jobs build")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT_VERSION:
            raise IndexNotReadyError("岗位人才库的格式已过期：请重新运行 assistant jobs build")
        vocab = Vocabulary(json.loads((directory / "vocabulary.json").read_text(encoding="utf-8")))
        with np.load(directory / "columns.npz") as data:
            arrays = {key: data[key] for key in data.files}
        with sqlite3.connect(directory / "records.sqlite") as db:
            job_ids = [row[0] for row in db.execute("SELECT id FROM postings ORDER BY row")]
            talent_ids = [row[0] for row in db.execute("SELECT id FROM talents ORDER BY row")]
        db.close()
    except (OSError, ValueError, KeyError, sqlite3.Error) as exc:
        raise DocumentLoadError(f"岗位人才库已损坏，请重新运行 assistant jobs build：{exc}") from exc
    return Library(
        directory=directory,
        vocab=vocab,
        job_columns={k.removeprefix("job__"): v for k, v in arrays.items() if k.startswith("job__")},
        talent_columns={k.removeprefix("talent__"): v for k, v in arrays.items() if k.startswith("talent__")},
        title_table=arrays["title_table"],
        job_ids=job_ids,
        talent_ids=talent_ids,
    )
