"""The staff report: an HTML page (Jinja2, inline SVG charts) and a comparison with a previous run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel

from assistant.evaluation.calibration import CalibrationPoint
from assistant.evaluation.charts import bar_chart, histogram, line_chart
from assistant.evaluation.runner import EvalRun
from assistant.labels import AI_LABEL, implicit_label_json

HEADLINE = ("hit_at_1", "hit_at_5", "hit_at_10", "mrr_at_10", "accuracy", "refusal_precision", "refusal_recall",
            "refusal_f1", "citation_support", "latency_p50_ms", "latency_p95_ms")


class Comparison(BaseModel):
    """What changed since a previous run."""

    metrics: list[tuple[str, float, float]]  # (name, before, after)
    fixed: list[str]  # question ids now correct
    broken: list[str]  # question ids now wrong


def compare(previous: EvalRun, current: EvalRun) -> Comparison:
    before = previous.summary.model_dump()
    after = current.summary.model_dump()
    metrics = [(name, float(before[name]), float(after[name])) for name in HEADLINE]
    old = {r.id: r.correct for r in previous.results}
    fixed = [r.id for r in current.results if r.correct and old.get(r.id) is False]
    broken = [r.id for r in current.results if not r.correct and old.get(r.id) is True]
    return Comparison(metrics=metrics, fixed=fixed, broken=broken)


def render_html(run: EvalRun, comparison: Comparison | None = None,
                calibration: list[CalibrationPoint] | None = None) -> str:
    environment = Environment(loader=PackageLoader("assistant.evaluation", "templates"),
                              autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined)
    summary = run.summary
    answerable = [r.top_relevance for r in run.results if r.answerable]
    declined = [r.top_relevance for r in run.results if not r.answerable]
    latencies = [r.latency_ms for r in run.results]
    charts = {
        "hit_curve": line_chart(summary.hit_curve, "hit@k 曲线", "k"),
        "relevance": histogram({"应回答": answerable, "应拒答": declined}, "最高相关度分布",
                               marker=summary.threshold, marker_label=f"阈值 {summary.threshold:.2f}"),
        "kinds": bar_chart(list(summary.accuracy_by_kind.items()), "各类问题正确率"),
        "latency": histogram({"延迟": latencies}, "延迟分布（毫秒）", low=0.0,
                             high=max(latencies, default=1.0) * 1.05 or 1.0),
    }
    return environment.get_template("report.html.j2").render(
        run=run, summary=summary, charts=charts, comparison=comparison, calibration=calibration or [],
        failures=[r for r in run.results if not r.correct or r.failures],
        answerable_relevance=answerable, declined_relevance=declined,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        ai_label=AI_LABEL, aigc=implicit_label_json(run.model_dump_json()),  # the report quotes generated answers
    )


def write_html(path: Path, html: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
