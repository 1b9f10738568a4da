"""Golden-set evaluations started from the staff page: one at a time on a background thread, kept with their reports."""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field
from sqlalchemy import insert, select

from assistant.errors import AssistantError, InvalidInputError
from assistant.evaluation.golden import GoldenQuestion, load_golden
from assistant.evaluation.report import compare, render_html
from assistant.evaluation.runner import EvalRun, EvalSummary, run_questions
from assistant.policy.service import PolicyService
from assistant.storage import Database, schema

log = logging.getLogger(__name__)
R = schema.eval_runs
_RUN_ID_RE = re.compile(r"^[0-9]{8}-[0-9]{6}-[a-z0-9-]+$")


class EvalChoice(BaseModel):
    """Which questions to run: the whole golden set, or an evenly spread sample of it."""

    question_set: Literal["golden", "sample"] = Field(
        default="sample", description="golden = 全部标准问题；sample = 抽样")
    sample_size: int = Field(default=30, ge=1, le=1000, description="抽样题数（question_set=sample 时）")


class GateCheck(BaseModel):
    """One threshold of corpus/eval/gate.yaml applied to a run."""

    metric: str
    value: float
    limit: float
    passed: bool


class EvalRecord(BaseModel):
    """A finished run as listed on the staff page; the full run and its HTML report sit beside it."""

    id: str
    set_name: str
    author: str
    started: dt.datetime
    finished: dt.datetime
    summary: EvalSummary
    gate: list[GateCheck]
    passed: bool | None = Field(description="all gate thresholds met; None when the repository has no gate file")
    compared_with: str | None = None


class EvalProgress(BaseModel):
    """What the evaluation thread is doing now."""

    state: Literal["idle", "running", "done", "failed"]
    run_id: str | None = None
    set_name: str | None = None
    done: int = 0
    total: int = 0
    started: dt.datetime | None = None
    error: str | None = None


class EvaluationBusyError(AssistantError):
    """An evaluation is already running."""

    http_status = 409


class EvaluationRunner:
    """Starts runs on a thread, reports progress, and stores each run (record, run, HTML report) in the database."""

    def __init__(self, assistant: PolicyService, eval_dir: Path, runs_dir: Path,
                 database: Database | None = None) -> None:
        self.assistant = assistant
        self.golden_path = eval_dir / "golden.yaml"
        self.gate_path = eval_dir / "gate.yaml"
        self.runs_dir = runs_dir  # where earlier versions kept runs as JSON files (imported once)
        self.db = database or Database.sqlite(runs_dir / "eval_runs.sqlite")
        self._import_files()
        self._lock = threading.Lock()
        self._progress = EvalProgress(state="idle")
        self._thread: threading.Thread | None = None

    def start(self, choice: EvalChoice, author: str) -> EvalProgress:
        """Begin a run in the background; raises EvaluationBusyError while another one is running."""
        questions = select_questions(load_golden(self.golden_path), choice)
        set_name = "golden" if choice.question_set == "golden" else f"sample-{len(questions)}"
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                raise EvaluationBusyError("已有一次评测正在运行，请等它结束后再开始。")
            started = dt.datetime.now(dt.UTC).replace(microsecond=0)
            run_id = f"{started:%Y%m%d-%H%M%S}-{set_name}"
            suffix = 1
            while self._exists(run_id):  # two short runs within one second
                suffix += 1
                run_id = f"{started:%Y%m%d-%H%M%S}-{set_name}-{suffix}"
            self._progress = EvalProgress(state="running", run_id=run_id, set_name=set_name, total=len(questions),
                                          started=started)
            self._thread = threading.Thread(target=self._run, args=(run_id, set_name, questions, author, started),
                                            name="staff-evaluation", daemon=True)
            self._thread.start()
            return self._progress.model_copy()

    def progress(self) -> EvalProgress:
        with self._lock:
            return self._progress.model_copy()

    def wait(self, timeout: float | None = None) -> EvalProgress:
        """Block until the current run ends (tests, CLI)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.progress()

    def runs(self) -> list[EvalRecord]:
        """Past runs, newest first (from every node sharing the database)."""
        with self.db.begin() as db:
            records = db.execute(select(R.c.record).order_by(R.c.id.desc())).scalars().all()
        return [EvalRecord.model_validate_json(record) for record in records]

    def record(self, run_id: str) -> EvalRecord:
        return EvalRecord.model_validate_json(self._column(run_id, R.c.record))

    def report_html(self, run_id: str) -> str:
        return self._column(run_id, R.c.report_html)

    def _column(self, run_id: str, column: Any) -> str:
        found = None
        if _RUN_ID_RE.match(run_id):
            with self.db.begin() as db:
                found = db.execute(select(column).where(R.c.id == run_id)).scalar()
        if found is None:
            raise RunNotFoundError(f"找不到评测记录：{run_id}")
        return str(found)

    def _exists(self, run_id: str) -> bool:
        with self.db.begin() as db:
            return db.execute(select(R.c.id).where(R.c.id == run_id)).first() is not None

    def _import_files(self) -> None:
        # Runs of earlier versions: {id}.record.json + {id}.run.json + {id}.html in runs_dir.
        if not self.runs_dir.is_dir():
            return
        for record_path in sorted(self.runs_dir.glob("*.record.json")):
            run_id = record_path.name.removesuffix(".record.json")
            run_path, html_path = self.runs_dir / f"{run_id}.run.json", self.runs_dir / f"{run_id}.html"
            if not (_RUN_ID_RE.match(run_id) and run_path.is_file() and html_path.is_file()):
                continue
            record = EvalRecord.model_validate_json(record_path.read_text(encoding="utf-8"))
            with self.db.begin() as db:
                self.db.insert_ignore(db, R, {"id": run_id, "set_name": record.set_name,
                                              "record": record.model_dump_json(),
                                              "run": run_path.read_text(encoding="utf-8"),
                                              "report_html": html_path.read_text(encoding="utf-8")})

    def _run(self, run_id: str, set_name: str, questions: list[GoldenQuestion], author: str,
             started: dt.datetime) -> None:
        try:
            run, _ = run_questions(self.assistant, questions, set_name, self._advance)
            previous = next((r for r in self.runs() if r.set_name == set_name), None)
            earlier = EvalRun.model_validate_json(self._column(previous.id, R.c.run)) if previous else None
            checks = gate_checks(run.summary, self.gate_path)
            record = EvalRecord(
                id=run_id, set_name=set_name, author=author, started=started,
                finished=dt.datetime.now(dt.UTC).replace(microsecond=0), summary=run.summary, gate=checks,
                passed=all(c.passed for c in checks) if checks else None,
                compared_with=previous.id if previous else None,
            )
            html = render_html(run, compare(earlier, run) if earlier else None)
            with self.db.begin() as db:  # record, run and report in one row: listed only once complete
                db.execute(insert(R).values(id=run_id, set_name=set_name, record=record.model_dump_json(),
                                            run=run.model_dump_json(), report_html=html))
            with self._lock:
                self._progress = self._progress.model_copy(update={"state": "done"})
        except Exception as exc:  # the thread's top level: report any failure on the page instead of losing it
            log.exception("evaluation %s failed", run_id)
            with self._lock:
                self._progress = self._progress.model_copy(update={"state": "failed", "error": str(exc)})

    def _advance(self, done: int, total: int) -> None:
        with self._lock:
            self._progress = self._progress.model_copy(update={"done": done, "total": total})


class RunNotFoundError(AssistantError):
    """No stored evaluation run has this id."""

    http_status = 404


def select_questions(questions: list[GoldenQuestion], choice: EvalChoice) -> list[GoldenQuestion]:
    """All questions, or `sample_size` of them spread evenly over the set (so every kind is represented)."""
    if not questions:
        raise InvalidInputError("问题集为空。")
    if choice.question_set == "golden" or choice.sample_size >= len(questions):
        return questions
    step = len(questions) / choice.sample_size
    return [questions[int(i * step)] for i in range(choice.sample_size)]


def gate_checks(summary: EvalSummary, gate_path: Path) -> list[GateCheck]:
    """The run against the repository's gate thresholds (latency: at most; everything else: at least)."""
    if not gate_path.is_file():
        return []
    limits = yaml.safe_load(gate_path.read_text(encoding="utf-8")) or {}
    values = summary.model_dump()
    checks = []
    for metric, limit in limits.items():
        if metric not in values:
            raise InvalidInputError(f"门槛文件中的未知指标：{metric}")
        value = float(values[metric])
        passed = value <= limit if metric.startswith("latency") else value >= limit
        checks.append(GateCheck(metric=metric, value=round(value, 4), limit=float(limit), passed=passed))
    return checks
