"""The evaluation run end to end on the fixture corpus: metrics, report, calibration, the CLI gate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assistant.evaluation.calibration import calibrate
from assistant.evaluation.golden import load_golden
from assistant.evaluation.report import compare, render_html
from assistant.evaluation.runner import run_questions
from assistant.policy.service import PolicyService

MINI = Path(__file__).resolve().parents[1] / "data" / "golden-mini.yaml"


def test_run_scores_the_mini_set(bm25_assistant: PolicyService) -> None:
    run, retrievals = run_questions(bm25_assistant, load_golden(MINI), "mini")
    by_id = {r.id: r for r in run.results}
    assert len(retrievals) == 6
    assert by_id["m1"].correct and by_id["m1"].rank == 1
    assert by_id["m4"].correct, by_id["m4"].failures  # the follow-up is read with its history
    assert by_id["m3"].correct and "截止" in by_id["m3"].answer
    assert by_id["m5"].correct and not by_id["m5"].grounded
    summary = run.summary
    assert summary.hit_at_5 == 1.0 and summary.citation_support == 1.0
    assert summary.refusal_f1 == 1.0 and summary.accuracy == 1.0
    assert summary.latency_p95_ms > 0


def test_report_has_charts_and_comparison(bm25_assistant: PolicyService) -> None:
    run, _ = run_questions(bm25_assistant, load_golden(MINI), "mini")
    worse = run.model_copy(deep=True)
    worse.results[0].correct = False
    html = render_html(run, compare(worse, run))
    assert html.count("<svg") == 4 and "hit@k 曲线" in html and "阈值" in html
    assert "m1" in html  # fixed since the "previous" run


def test_calibration_prefers_the_threshold_with_best_refusal_f1(bm25_assistant: PolicyService) -> None:
    questions = load_golden(MINI)
    _, retrievals = run_questions(bm25_assistant, questions, "mini")
    best, points = calibrate(bm25_assistant, questions, retrievals, [0.0, 0.3, 1.01])
    assert [p.threshold for p in points] == [0.0, 0.3, 1.01]
    assert points[-1].accuracy < points[1].accuracy  # a threshold above any relevance declines everything
    assert best.refusal_f1 == max(p.refusal_f1 for p in points)
    assert bm25_assistant.answerer.threshold == bm25_assistant.settings.refusal_threshold  # restored


def test_cli_gate_fails_below_thresholds(tmp_path: Path, corpus_dir: Path) -> None:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data"), "ASSISTANT_CORPUS_DIR": str(corpus_dir),
           "ASSISTANT_EMBEDDING_PROVIDER": "none", "ASSISTANT_TODAY": "2026-11-22"}
    easy, hard = tmp_path / "easy.yaml", tmp_path / "hard.yaml"
    easy.write_text("hit_at_5: 0.9\nrefusal_f1: 0.9\nlatency_p95_ms: 5000\n")
    hard.write_text("accuracy: 1.01\n")
    command = [sys.executable, "-m", "assistant.cli.main", "eval", "--set", str(MINI)]
    passed = subprocess.run([*command, "--gate", str(easy), "--out", str(tmp_path / "run.json"),
                             "--html", str(tmp_path / "report.html")], env=env, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stderr
    assert json.loads((tmp_path / "run.json").read_text())["summary"]["hit_at_5"] == 1.0
    assert (tmp_path / "report.html").read_text().startswith("<!DOCTYPE html>")
    failed = subprocess.run([*command, "--gate", str(hard), "--compare", str(tmp_path / "run.json")], env=env,
                            capture_output=True, text=True)
    assert failed.returncode == 1 and "未通过" in failed.stderr
