"""Choosing the questions of a staff evaluation and checking a run against the gate thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import InvalidInputError
from assistant.evaluation.golden import load_golden
from assistant.evaluation.runner import EvalSummary
from assistant.staff.evaluation_runs import EvalChoice, gate_checks, select_questions

REPO = Path(__file__).resolve().parents[2]


def test_a_sample_is_spread_over_the_whole_set() -> None:
    golden = load_golden(REPO / "corpus" / "eval" / "golden.yaml")
    sample = select_questions(golden, EvalChoice(question_set="sample", sample_size=30))
    assert len(sample) == 30 and len({q.id for q in sample}) == 30
    assert sample[0].id == golden[0].id and sample[-1].id in {q.id for q in golden[-len(golden) // 30 - 1:]}
    assert any(not q.answerable for q in sample) and len({q.kind for q in sample}) >= 8
    assert select_questions(golden, EvalChoice(question_set="golden")) == golden
    assert select_questions(golden[:5], EvalChoice(sample_size=30)) == golden[:5]
    with pytest.raises(InvalidInputError):
        select_questions([], EvalChoice())


def summary(**values: float) -> EvalSummary:
    base = {name: 0.0 for name in EvalSummary.model_fields}
    base.update(questions=1, answerable=1, hit_curve=[], accuracy_by_kind={}, **values)
    return EvalSummary.model_validate(base)


def test_gate_checks_use_at_least_for_quality_and_at_most_for_latency(tmp_path: Path) -> None:
    gate = tmp_path / "gate.yaml"
    gate.write_text("hit_at_5: 0.9\nlatency_p95_ms: 100\n", encoding="utf-8")
    checks = {c.metric: c.passed for c in gate_checks(summary(hit_at_5=0.95, latency_p95_ms=150.0), gate)}
    assert checks == {"hit_at_5": True, "latency_p95_ms": False}
    assert gate_checks(summary(), tmp_path / "missing.yaml") == []
    gate.write_text("made_up_metric: 1\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="未知指标"):
        gate_checks(summary(), gate)
